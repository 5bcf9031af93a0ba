/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Bounded queue under a pthread mutex with two condition variables,
 * 4 producers and 4 consumers: every item is consumed exactly once, and
 * each producer's items come out in the order they went in.
 */
#include "stress.h"

#define PRODUCERS 4
#define CONSUMERS 4
#define PER_PRODUCER 50000
#define QSIZE 16
#define STOP 0xffffffffu

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static uint32_t queue[QSIZE];
static unsigned head, tail, count;
static unsigned char seen[PRODUCERS * PER_PRODUCER];

static void put(uint32_t v)
{
    pthread_mutex_lock(&mtx);
    while (count == QSIZE) {
        pthread_cond_wait(&not_full, &mtx);
    }
    queue[tail] = v;
    tail = (tail + 1) % QSIZE;
    count++;
    pthread_cond_signal(&not_empty);
    pthread_mutex_unlock(&mtx);
}

static uint32_t get(void)
{
    uint32_t v;

    pthread_mutex_lock(&mtx);
    while (count == 0) {
        pthread_cond_wait(&not_empty, &mtx);
    }
    v = queue[head];
    head = (head + 1) % QSIZE;
    count--;
    pthread_cond_signal(&not_full);
    pthread_mutex_unlock(&mtx);
    return v;
}

static void *producer(void *p)
{
    uint32_t id = (uint32_t)(uintptr_t)p;

    for (uint32_t i = 0; i < PER_PRODUCER; i++) {
        put(id * PER_PRODUCER + i);
    }
    return NULL;
}

typedef struct {
    long consumed;
    uint64_t sum;
    long last[PRODUCERS];
} Consumer;

static void *consumer(void *p)
{
    Consumer *c = p;

    for (int i = 0; i < PRODUCERS; i++) {
        c->last[i] = -1;
    }
    for (;;) {
        uint32_t v = get();
        if (v == STOP) {
            return NULL;
        }
        CHECK(v < PRODUCERS * PER_PRODUCER, "bad item %u", v);
        /* seen[] bytes are private to whoever dequeued the item. */
        CHECK(__atomic_fetch_add(&seen[v], 1, __ATOMIC_RELAXED) == 0,
              "item %u consumed twice", v);
        long prod = v / PER_PRODUCER, seq = v % PER_PRODUCER;
        CHECK(seq > c->last[prod], "producer %ld: item %ld after %ld", prod,
              seq, c->last[prod]);
        c->last[prod] = seq;
        c->consumed++;
        c->sum += v;
    }
}

int main(void)
{
    pthread_t pt[PRODUCERS], ct[CONSUMERS];
    Consumer cs[CONSUMERS];
    long total = 0;
    uint64_t sum = 0;
    const uint64_t n = (uint64_t)PRODUCERS * PER_PRODUCER;

    memset(cs, 0, sizeof(cs));
    for (int i = 0; i < CONSUMERS; i++) {
        xcreate(&ct[i], consumer, &cs[i]);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        xcreate(&pt[i], producer, (void *)(uintptr_t)i);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        xjoin(pt[i]);
    }
    for (int i = 0; i < CONSUMERS; i++) {
        put(STOP);
    }
    for (int i = 0; i < CONSUMERS; i++) {
        xjoin(ct[i]);
        total += cs[i].consumed;
        sum += cs[i].sum;
    }
    CHECK(total == (long)n, "consumed %ld of %llu", total,
          (unsigned long long)n);
    CHECK(sum == n * (n - 1) / 2, "sum %llu", (unsigned long long)sum);
    for (uint64_t i = 0; i < n; i++) {
        CHECK(seen[i] == 1, "item %llu consumed %d times",
              (unsigned long long)i, seen[i]);
    }
    CHECK(count == 0, "queue not empty: %u", count);
    printf("prodcons: %d producers, %d consumers, %llu items each "
           "consumed once: OK\n", PRODUCERS, CONSUMERS,
           (unsigned long long)n);
    return 0;
}
