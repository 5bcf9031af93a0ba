// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * intmix: an integer mix in the spirit of CoreMark (our own code):
 * linked-list find/reverse/sort, integer matrix multiply-accumulate,
 * a table-free state machine over a text buffer, and CRC-16 of the
 * results.  Prints one checksum line.  argv[1]: number of iterations.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_N 256
#define MAT_N 24
#define SM_LEN 512

typedef struct Node {
    struct Node *next;
    int32_t key;
    int32_t val;
} Node;

static Node pool[LIST_N];

static uint16_t crc16_byte(uint8_t b, uint16_t crc)
{
    for (int i = 0; i < 8; i++) {
        uint16_t x = (b ^ crc) & 1;
        b >>= 1;
        crc >>= 1;
        if (x) {
            crc ^= 0xA001;
        }
    }
    return crc;
}

static uint16_t crc16_u32(uint32_t v, uint16_t crc)
{
    for (int i = 0; i < 4; i++) {
        crc = crc16_byte((uint8_t)(v >> (8 * i)), crc);
    }
    return crc;
}

static Node *list_build(uint32_t seed)
{
    Node *head = NULL;
    for (int i = 0; i < LIST_N; i++) {
        seed = seed * 1103515245u + 12345u;
        pool[i].key = (int32_t)((seed >> 8) & 0x3ff);
        pool[i].val = i;
        pool[i].next = head;
        head = &pool[i];
    }
    return head;
}

static Node *list_reverse(Node *l)
{
    Node *prev = NULL;
    while (l) {
        Node *n = l->next;
        l->next = prev;
        prev = l;
        l = n;
    }
    return prev;
}

static Node *list_find(Node *l, int32_t key)
{
    while (l && l->key != key) {
        l = l->next;
    }
    return l;
}

/* Merge sort by key (bottom-up, like CoreMark's list sort). */
static Node *list_sort(Node *list)
{
    int insize = 1;
    for (;;) {
        Node *p = list, *tail = NULL;
        int nmerges = 0;
        list = NULL;
        while (p) {
            Node *q = p;
            int psize = 0, qsize = insize;
            nmerges++;
            for (int i = 0; i < insize && q; i++) {
                psize++;
                q = q->next;
            }
            while (psize > 0 || (qsize > 0 && q)) {
                Node *e;
                if (psize == 0) {
                    e = q, q = q->next, qsize--;
                } else if (qsize == 0 || !q || p->key <= q->key) {
                    e = p, p = p->next, psize--;
                } else {
                    e = q, q = q->next, qsize--;
                }
                if (tail) {
                    tail->next = e;
                } else {
                    list = e;
                }
                tail = e;
            }
            p = q;
        }
        tail->next = NULL;
        if (nmerges <= 1) {
            return list;
        }
        insize *= 2;
    }
}

static int16_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N];
static int32_t mc[MAT_N][MAT_N];

static uint32_t matrix_work(int16_t k)
{
    uint32_t sum = 0;
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (int16_t)(ma[i][j] + k);
        }
    }
    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            int32_t acc = 0;
            for (int x = 0; x < MAT_N; x++) {
                acc += (int32_t)ma[i][x] * mb[x][j];
            }
            mc[i][j] = acc;
            sum += (uint32_t)(acc > 0 ? acc >> 2 : -acc) ^ (uint32_t)(i * j);
        }
    }
    return sum;
}

enum {
    S_START,
    S_INT,
    S_FRAC,
    S_EXP,
    S_SEXP,
    S_ERR,
    S_N
};

static char text[SM_LEN];

static uint32_t state_machine(uint32_t *counts)
{
    const char *p = text;
    uint32_t tokens = 0;
    while (*p) {
        int s = S_START;
        while (*p && *p != ',') {
            char c = *p++;
            switch (s) {
            case S_START:
                s = (c >= '0' && c <= '9')   ? S_INT
                    : (c == '+' || c == '-') ? S_INT
                    : (c == '.')             ? S_FRAC
                                             : S_ERR;
                break;
            case S_INT:
                s = (c >= '0' && c <= '9')   ? S_INT
                    : (c == '.')             ? S_FRAC
                    : (c == 'e' || c == 'E') ? S_EXP
                                             : S_ERR;
                break;
            case S_FRAC:
                s = (c >= '0' && c <= '9')   ? S_FRAC
                    : (c == 'e' || c == 'E') ? S_EXP
                                             : S_ERR;
                break;
            case S_EXP:
                s = (c == '+' || c == '-' || (c >= '0' && c <= '9')) ? S_SEXP
                                                                     : S_ERR;
                break;
            case S_SEXP:
                s = (c >= '0' && c <= '9') ? S_SEXP : S_ERR;
                break;
            default:
                break;
            }
            counts[s]++;
        }
        if (*p == ',') {
            p++;
        }
        tokens++;
    }
    return tokens;
}

static void text_mutate(uint32_t seed)
{
    static const char alpha[] = "0123456789+-.eE0123456789,";
    for (int i = 0; i < SM_LEN - 1; i++) {
        seed = seed * 1664525u + 1013904223u;
        text[i] = alpha[(seed >> 16) % (sizeof(alpha) - 1)];
    }
    text[SM_LEN - 1] = 0;
}

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 1000;
    uint16_t crc = 0xffff;
    uint32_t counts[S_N] = {0};

    for (int i = 0; i < MAT_N; i++) {
        for (int j = 0; j < MAT_N; j++) {
            ma[i][j] = (int16_t)((i * 7 + j * 3) % 17 - 8);
            mb[i][j] = (int16_t)((i * 5 + j * 11) % 13 - 6);
        }
    }
    for (long it = 0; it < iters; it++) {
        Node *l = list_build((uint32_t)it * 2654435761u);
        l = list_reverse(l);
        for (int k = 0; k < 16; k++) {
            Node *f = list_find(l, (int32_t)((it * 37 + k * 101) & 0x3ff));
            crc = crc16_u32(f ? (uint32_t)f->val : 0xdeadu, crc);
        }
        l = list_sort(l);
        crc = crc16_u32((uint32_t)l->key ^ (uint32_t)l->next->val << 10, crc);
        crc = crc16_u32(matrix_work((int16_t)(it & 7) - 3), crc);
        text_mutate((uint32_t)it);
        crc = crc16_u32(state_machine(counts), crc);
    }
    printf("intmix iters=%ld crc=%04x states=%u/%u/%u/%u/%u/%u\n", iters, crc,
           counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    return 0;
}
