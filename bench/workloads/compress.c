// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * compress: a deflate-like compressor kernel.  Generated text-like input
 * (words from a small dictionary, chosen by an LCG, so that it repeats at
 * many distances) goes through LZ77 match finding with a hash chain (32 KiB
 * window, matches of 3..258 bytes, a bounded chain walk, lazy evaluation of
 * one byte), then the literal/length and distance symbols get canonical
 * Huffman codes (lengths limited to 15 bits) and are bit-packed.  The tokens
 * are decoded again and compared with the input.  Data-dependent branches,
 * byte loads, short loops, tables.
 * argv[1]: number of 64 KiB blocks to compress.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK (64 * 1024)
#define WSIZE (32 * 1024)
#define HBITS 15
#define MINM 3
#define MAXM 258
#define CHAIN 48
#define NLIT 286 /* 0..255 literals, 256 end, 257..285 lengths */
#define NDIST 30
#define MAXBITS 15

typedef struct {
    uint16_t len;  /* 0: literal */
    uint16_t dist; /* or the literal byte */
} Token;

static uint8_t in[BLOCK];
static int32_t head[1 << HBITS];
static int32_t prev[BLOCK];
static Token tok[BLOCK + 1];
static uint8_t out[BLOCK * 2];
static uint8_t back[BLOCK];
static uint32_t seed = 12345;

static uint32_t rnd(void)
{
    seed = seed * 1103515245u + 12345u;
    return seed >> 8;
}

static void gen_input(void)
{
    static const char *const words[] = {
        "the ",      "quick ",      "brown ",  "fox ",       "jumps ",
        "over ",     "lazy ",       "dog ",    "emulator ",  "translates ",
        "guest ",    "code ",       "into ",   "host ",      "blocks, ",
        "register ", "allocation ", "and ",    "chaining. ", "\n",
        "memory ",   "loads ",      "stores ", "0x7fff ",    "return ",
    };
    size_t n = 0;
    while (n < BLOCK) {
        const char *w = words[rnd() % (sizeof(words) / sizeof(words[0]))];
        if (rnd() % 16 == 0) {
            in[n++] = (uint8_t)('A' + rnd() % 26); /* noise */
            continue;
        }
        while (*w && n < BLOCK) {
            in[n++] = (uint8_t)*w++;
        }
    }
}

static inline uint32_t hash3(const uint8_t *p)
{
    return ((uint32_t)p[0] << 10 ^ (uint32_t)p[1] << 5 ^ p[2]) &
           ((1u << HBITS) - 1);
}

static void insert(int i)
{
    uint32_t h = hash3(in + i);
    prev[i] = head[h];
    head[h] = i;
}

/* Longest match for position i; returns its length, *dist its distance. */
static int longest(int i, int *dist)
{
    int best = 0, limit = BLOCK - i < MAXM ? BLOCK - i : MAXM;
    int cand = head[hash3(in + i)];

    for (int chain = CHAIN; cand >= 0 && i - cand <= WSIZE && chain > 0;
         chain--, cand = prev[cand]) {
        if (in[cand + best] != in[i + best] || in[cand] != in[i]) {
            continue;
        }
        int l = 1;
        while (l < limit && in[cand + l] == in[i + l]) {
            l++;
        }
        if (l > best) {
            best = l;
            *dist = i - cand;
            if (l == limit) {
                break;
            }
        }
    }
    return best >= MINM ? best : 0;
}

static int lz77(void)
{
    int n = 0, i = 0;

    memset(head, 0xff, sizeof(head));
    while (i < BLOCK) {
        int d = 0, d2 = 0, l = 0, l2;
        if (i + MINM <= BLOCK) {
            l = longest(i, &d);
            insert(i);
        }
        /* Lazy: a longer match one byte later wins over this one. */
        if (l && i + 1 + MINM <= BLOCK && (l2 = longest(i + 1, &d2)) > l) {
            tok[n++] = (Token){0, in[i]};
            i++;
            insert(i);
            l = l2;
            d = d2;
        }
        if (l) {
            tok[n++] = (Token){(uint16_t)l, (uint16_t)d};
            for (int k = 1; k < l && i + k + MINM <= BLOCK; k++) {
                insert(i + k);
            }
            i += l;
        } else {
            tok[n++] = (Token){0, in[i]};
            i++;
        }
    }
    tok[n++] = (Token){0, 256};
    return n;
}

/* Deflate's length and distance symbols: base values and extra bits. */
static int len_sym(int l, int *extra, int *nb)
{
    static const uint16_t base[] = {3,  4,  5,  6,   7,   8,   9,   10,  11, 13,
                                    15, 17, 19, 23,  27,  31,  35,  43,  51, 59,
                                    67, 83, 99, 115, 131, 163, 195, 227, 258};
    int s = 28;
    while (base[s] > l) {
        s--;
    }
    *nb = s < 8 || s == 28 ? 0 : (s - 4) / 4;
    *extra = l - base[s];
    return 257 + s;
}

static int dist_sym(int d, int *extra, int *nb)
{
    int s = 0;
    unsigned v = (unsigned)d - 1;
    if (v < 4) {
        s = (int)v;
        *nb = 0;
        *extra = 0;
        return s;
    }
    int hb = 31 - __builtin_clz(v);
    s = hb * 2 + ((v >> (hb - 1)) & 1);
    *nb = hb - 1;
    *extra = (int)(v & ((1u << (hb - 1)) - 1));
    return s;
}

/* Huffman code lengths from frequencies (heap of nodes), limited to MAXBITS
 * by flattening the deepest leaves (as in zlib's gen_bitlen, simplified). */
static void code_lengths(const uint32_t *freq, int n, uint8_t *len)
{
    int heap[2 * NLIT], parent[2 * NLIT], nh = 0, nodes = n;
    uint32_t w[2 * NLIT];

    for (int i = 0; i < n; i++) {
        len[i] = 0;
        w[i] = freq[i];
        if (freq[i]) {
            heap[nh++] = i;
        }
    }
    if (nh == 1) {
        len[heap[0]] = 1;
        return;
    }
    /* Sort the leaves by weight (insertion sort: n is small), then merge
     * with the two-queue method. */
    for (int i = 1; i < nh; i++) {
        int v = heap[i], j = i;
        while (j > 0 && w[heap[j - 1]] > w[v]) {
            heap[j] = heap[j - 1];
            j--;
        }
        heap[j] = v;
    }
    int q1 = 0, q2 = nodes, q2end = nodes;
    for (int k = 0; k < nh - 1; k++) {
        int pick[2];
        for (int t = 0; t < 2; t++) {
            if (q1 < nh && (q2 == q2end || w[heap[q1]] <= w[q2])) {
                pick[t] = heap[q1++];
            } else {
                pick[t] = q2++;
            }
        }
        w[q2end] = w[pick[0]] + w[pick[1]];
        parent[pick[0]] = parent[pick[1]] = q2end++;
    }
    int root = q2end - 1;
    uint8_t depth[2 * NLIT];
    depth[root] = 0;
    for (int i = root - 1; i >= nodes; i--) {
        depth[i] = depth[parent[i]] + 1;
    }
    int overflow = 0;
    for (int i = 0; i < nh; i++) {
        int d = depth[parent[heap[i]]] + 1;
        if (d > MAXBITS) {
            d = MAXBITS;
            overflow++;
        }
        len[heap[i]] = (uint8_t)d;
    }
    /* Kraft fix-up: lengthen the shortest codes until the sum fits. */
    while (overflow) {
        uint64_t kraft = 0;
        for (int i = 0; i < n; i++) {
            if (len[i]) {
                kraft += 1u << (MAXBITS - len[i]);
            }
        }
        if (kraft <= (1u << MAXBITS)) {
            break;
        }
        for (int i = nh - 1; i >= 0; i--) {
            if (len[heap[i]] < MAXBITS) {
                len[heap[i]]++;
                break;
            }
        }
    }
}

/* Canonical codes (bit-reversed for LSB-first packing, as deflate). */
static void canonical(const uint8_t *len, int n, uint16_t *code)
{
    uint16_t count[MAXBITS + 1] = {0}, next[MAXBITS + 2];
    for (int i = 0; i < n; i++) {
        count[len[i]]++;
    }
    count[0] = 0;
    next[1] = 0;
    for (int b = 1; b <= MAXBITS; b++) {
        next[b + 1] = (uint16_t)((next[b] + count[b]) << 1);
    }
    for (int i = 0; i < n; i++) {
        if (len[i]) {
            uint16_t c = next[len[i]]++, r = 0;
            for (int b = 0; b < len[i]; b++) {
                r = (uint16_t)(r << 1 | ((c >> b) & 1));
            }
            code[i] = r;
        }
    }
}

typedef struct {
    uint8_t *p;
    uint64_t acc;
    int nbits;
} Bits;

static inline void put(Bits *b, uint32_t v, int n)
{
    b->acc |= (uint64_t)v << b->nbits;
    b->nbits += n;
    while (b->nbits >= 8) {
        *b->p++ = (uint8_t)b->acc;
        b->acc >>= 8;
        b->nbits -= 8;
    }
}

static size_t encode(int ntok)
{
    uint32_t lf[NLIT] = {0}, df[NDIST] = {0};
    uint8_t ll[NLIT], dl[NDIST];
    uint16_t lc[NLIT] = {0}, dc[NDIST] = {0};
    int e, nb;

    for (int i = 0; i < ntok; i++) {
        if (tok[i].len) {
            lf[len_sym(tok[i].len, &e, &nb)]++;
            df[dist_sym(tok[i].dist, &e, &nb)]++;
        } else {
            lf[tok[i].dist]++;
        }
    }
    code_lengths(lf, NLIT, ll);
    code_lengths(df, NDIST, dl);
    canonical(ll, NLIT, lc);
    canonical(dl, NDIST, dc);
    Bits b = {out, 0, 0};
    for (int i = 0; i < NLIT; i++) {
        put(&b, ll[i], 4);
    }
    for (int i = 0; i < NDIST; i++) {
        put(&b, dl[i], 4);
    }
    for (int i = 0; i < ntok; i++) {
        if (tok[i].len) {
            int s = len_sym(tok[i].len, &e, &nb);
            put(&b, lc[s], ll[s]);
            put(&b, (uint32_t)e, nb);
            s = dist_sym(tok[i].dist, &e, &nb);
            put(&b, dc[s], dl[s]);
            put(&b, (uint32_t)e, nb);
        } else {
            put(&b, lc[tok[i].dist], ll[tok[i].dist]);
        }
    }
    put(&b, 0, 7);
    return (size_t)(b.p - out);
}

static int decode_check(int ntok)
{
    int n = 0;
    for (int i = 0; i < ntok - 1; i++) {
        if (tok[i].len) {
            for (int k = 0; k < tok[i].len; k++, n++) {
                back[n] = back[n - tok[i].dist];
            }
        } else {
            back[n++] = (uint8_t)tok[i].dist;
        }
    }
    return n == BLOCK && memcmp(back, in, BLOCK) == 0;
}

static uint32_t adler(const uint8_t *p, size_t n, uint32_t a0)
{
    uint32_t a = a0 & 0xffff, b = a0 >> 16;
    for (size_t i = 0; i < n; i++) {
        a = (a + p[i]) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

int main(int argc, char **argv)
{
    int blocks = argc > 1 ? atoi(argv[1]) : 8;
    uint64_t total = 0;
    uint32_t sum = 1;
    int ok = 1;

    for (int k = 0; k < blocks; k++) {
        gen_input();
        int ntok = lz77();
        size_t n = encode(ntok);
        ok &= decode_check(ntok);
        total += n;
        sum = adler(out, n, sum);
    }
    printf("compress: %d blocks of %d bytes -> %llu bytes, adler32 %08x, "
           "%s\n",
           blocks, BLOCK, (unsigned long long)total, sum,
           ok ? "round trip ok" : "ROUND TRIP FAILED");
    return ok ? 0 : 1;
}
