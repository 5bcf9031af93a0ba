// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sort: records sorted two ways.  An array of 40-byte records (a 32-bit
 * key with many duplicates, a name, a double and an id) goes through the C
 * library's qsort with a comparator (key, then name by strcmp, then id: an
 * indirect call per comparison) and through our own top-down merge sort on
 * the structs (by score, then id: record copies, a data-dependent branch
 * per element).  Both orders are checked and checksummed.
 * argv[1]: rounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NREC 20000

typedef struct {
    uint32_t key;
    uint32_t id;
    double score;
    char name[24];
} Rec;

static Rec a[NREC], b[NREC], tmp[NREC];
static uint32_t seed = 1;

static uint32_t rnd(void)
{
    seed = seed * 1664525u + 1013904223u;
    return seed >> 4;
}

static void fill(void)
{
    for (int i = 0; i < NREC; i++) {
        Rec *r = &a[i];
        uint32_t x = rnd();
        r->key = x % 512;
        r->id = (uint32_t)i;
        /* An exact double: no rounding differences between hosts. */
        r->score = (double)(rnd() % 100000) / 64.0;
        int n = 4 + (int)(x >> 20) % 12;
        for (int k = 0; k < n; k++) {
            r->name[k] = (char)('a' + rnd() % 6);
        }
        r->name[n] = 0;
    }
}

static int cmp_rec(const void *pa, const void *pb)
{
    const Rec *x = pa, *y = pb;
    if (x->key != y->key) {
        return x->key < y->key ? -1 : 1;
    }
    int c = strcmp(x->name, y->name);
    if (c) {
        return c;
    }
    return x->id < y->id ? -1 : x->id > y->id;
}

static inline int before(const Rec *x, const Rec *y)
{
    return x->score < y->score || (x->score == y->score && x->id < y->id);
}

/* Stable top-down merge sort of r[lo, hi) using tmp. */
static void msort(Rec *r, int lo, int hi)
{
    if (hi - lo < 2) {
        return;
    }
    if (hi - lo <= 8) { /* insertion sort of short runs */
        for (int i = lo + 1; i < hi; i++) {
            Rec v = r[i];
            int j = i;
            while (j > lo && before(&v, &r[j - 1])) {
                r[j] = r[j - 1];
                j--;
            }
            r[j] = v;
        }
        return;
    }
    int mid = lo + (hi - lo) / 2;
    msort(r, lo, mid);
    msort(r, mid, hi);
    int i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
        tmp[k++] = before(&r[j], &r[i]) ? r[j++] : r[i++];
    }
    while (i < mid) {
        tmp[k++] = r[i++];
    }
    while (j < hi) {
        tmp[k++] = r[j++];
    }
    memcpy(r + lo, tmp + lo, (size_t)(hi - lo) * sizeof(Rec));
}

static uint64_t digest(const Rec *r)
{
    uint64_t h = 0;
    for (int i = 0; i < NREC; i++) {
        h = (h ^ r[i].id) * 0x100000001b3ull;
    }
    return h;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    uint64_t sum = 0;
    int bad = 0;

    for (int k = 0; k < rounds; k++) {
        fill();
        memcpy(b, a, sizeof(a));
        qsort(a, NREC, sizeof(Rec), cmp_rec);
        msort(b, 0, NREC);
        for (int i = 1; i < NREC; i++) {
            bad += cmp_rec(&a[i - 1], &a[i]) > 0;
            bad += before(&b[i], &b[i - 1]);
        }
        sum = sum * 1000003u ^ digest(a) ^ (digest(b) << 1);
    }
    printf("sort: %d rounds of %d records, checksum %016llx, %s\n", rounds,
           NREC, (unsigned long long)sum, bad ? "NOT SORTED" : "sorted");
    return bad != 0;
}
