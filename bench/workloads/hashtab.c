// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hashtab: a chained hash table of strings, as in a symbol table or a
 * word counter.  Keys are generated ("k" + 7 to 19 characters from an LCG,
 * every key made again from its number), hashed with FNV-1a, kept in
 * malloc'd nodes (the guest's glibc malloc and free), compared with strcmp.
 * Each round inserts N keys (a repeated key bumps its count), looks up N
 * keys of which about half are present, deletes a third, looks up again,
 * and the table grows by rehashing.  Pointer chasing, short string loops,
 * calls into libc.
 * argv[1]: rounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NKEYS 20000

typedef struct Node {
    struct Node *next;
    uint32_t hash;
    uint32_t count;
    char key[];
} Node;

typedef struct {
    Node **b;
    size_t mask, n;
} Table;

static uint32_t fnv1a(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s) {
        h = (h ^ (uint8_t)*s++) * 16777619u;
    }
    return h;
}

/* Key number i as a string: deterministic, 8 to 20 bytes. */
static void make_key(char *buf, uint32_t i)
{
    static const char al[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
    uint32_t x = i * 2654435761u + 0x9e3779b9u;
    int n = 7 + (int)(x % 13);
    buf[0] = 'k';
    for (int k = 1; k <= n; k++) {
        x = x * 1103515245u + 12345u;
        buf[k] = al[(x >> 16) % (sizeof(al) - 1)];
    }
    buf[n + 1] = 0;
}

static void grow(Table *t)
{
    size_t nm = t->mask * 2 + 1;
    Node **nb = calloc(nm + 1, sizeof(*nb));
    for (size_t i = 0; i <= t->mask; i++) {
        Node *p = t->b[i];
        while (p) {
            Node *nx = p->next;
            p->next = nb[p->hash & nm];
            nb[p->hash & nm] = p;
            p = nx;
        }
    }
    free(t->b);
    t->b = nb;
    t->mask = nm;
}

static Node *lookup(const Table *t, const char *k)
{
    uint32_t h = fnv1a(k);
    for (Node *p = t->b[h & t->mask]; p; p = p->next) {
        if (p->hash == h && strcmp(p->key, k) == 0) {
            return p;
        }
    }
    return NULL;
}

static void insert(Table *t, const char *k)
{
    uint32_t h = fnv1a(k);
    Node **pp = &t->b[h & t->mask];
    for (Node *p = *pp; p; p = p->next) {
        if (p->hash == h && strcmp(p->key, k) == 0) {
            p->count++;
            return;
        }
    }
    size_t len = strlen(k);
    Node *n = malloc(sizeof(*n) + len + 1);
    memcpy(n->key, k, len + 1);
    n->hash = h;
    n->count = 1;
    n->next = *pp;
    *pp = n;
    if (++t->n > t->mask + 1) {
        grow(t);
    }
}

static int delete (Table *t, const char *k)
{
    uint32_t h = fnv1a(k);
    for (Node **pp = &t->b[h & t->mask]; *pp; pp = &(*pp)->next) {
        Node *p = *pp;
        if (p->hash == h && strcmp(p->key, k) == 0) {
            *pp = p->next;
            free(p);
            t->n--;
            return 1;
        }
    }
    return 0;
}

static void clear(Table *t)
{
    for (size_t i = 0; i <= t->mask; i++) {
        Node *p = t->b[i];
        while (p) {
            Node *nx = p->next;
            free(p);
            p = nx;
        }
    }
    free(t->b);
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    uint64_t sum = 0;
    char key[32];

    for (int r = 0; r < rounds; r++) {
        Table t = {calloc(64, sizeof(Node *)), 63, 0};
        uint32_t base = (uint32_t)r * 7919u;
        /* Insert: key numbers in [0, NKEYS * 3/4), so some repeat. */
        for (uint32_t i = 0; i < NKEYS; i++) {
            make_key(key, base + (i * 40503u) % (NKEYS * 3 / 4));
            insert(&t, key);
        }
        /* Look up [NKEYS/2, NKEYS * 3/2): about half are there. */
        for (uint32_t i = 0; i < NKEYS; i++) {
            make_key(key, base + NKEYS / 2 + i);
            Node *n = lookup(&t, key);
            sum += n ? n->count * 3u + (uint8_t)n->key[1] : 1;
        }
        /* Delete every third key number. */
        for (uint32_t i = 0; i < NKEYS; i += 3) {
            make_key(key, base + i);
            sum += (uint64_t) delete (&t, key) << 1;
        }
        for (uint32_t i = 0; i < NKEYS; i++) {
            make_key(key, base + i);
            sum += lookup(&t, key) != NULL;
        }
        sum = sum * 31 + t.n + t.mask;
        clear(&t);
    }
    printf("hashtab: %d rounds of %d keys, checksum %016llx\n", rounds, NKEYS,
           (unsigned long long)sum);
    return 0;
}
