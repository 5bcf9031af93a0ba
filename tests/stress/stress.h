/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the stress guest programs (riscv64 Linux, built with
 * the cross compiler).  Every program prints a deterministic summary on
 * stdout, diagnostics on stderr, and exits 0 on success.
 */
#ifndef STRESS_H
#define STRESS_H

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(cond, ...)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond);\
            fprintf(stderr, __VA_ARGS__);                                  \
            fputc('\n', stderr);                                           \
            fflush(stdout);                                                \
            exit(1);                                                       \
        }                                                                  \
    } while (0)

#define CHECK_ERR(err, what)                                               \
    CHECK((err) == 0, "%s: %s", what, strerror(err))

static inline void xcreate(pthread_t *t, void *(*fn)(void *), void *arg)
{
    int err = pthread_create(t, NULL, fn, arg);
    CHECK_ERR(err, "pthread_create");
}

static inline void *xjoin(pthread_t t)
{
    void *ret;
    int err = pthread_join(t, &ret);
    CHECK_ERR(err, "pthread_join");
    return ret;
}

static inline int64_t now_ns(clockid_t clk)
{
    struct timespec ts;
    clock_gettime(clk, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void cpu_relax(void)
{
    /* Zihintpause "pause" encodes as a FENCE with pred=W, succ=0, and
     * is a harmless fence where not implemented. */
    __asm__ volatile(".insn i 0x0f, 0, x0, x0, 0x010" ::: "memory");
}

/*
 * Sense-reversing spin barrier.  Yields now and then so that more
 * threads than host CPUs still make progress.
 */
typedef struct {
    int n;
    int count;
    int sense;
} SpinBarrier;

static inline void spin_barrier_init(SpinBarrier *b, int n)
{
    b->n = n;
    b->count = 0;
    b->sense = 0;
}

static inline void spin_barrier_wait(SpinBarrier *b, int *local_sense)
{
    int s = !*local_sense;

    *local_sense = s;
    if (__atomic_add_fetch(&b->count, 1, __ATOMIC_ACQ_REL) == b->n) {
        __atomic_store_n(&b->count, 0, __ATOMIC_RELAXED);
        __atomic_store_n(&b->sense, s, __ATOMIC_RELEASE);
    } else {
        unsigned spins = 0;
        while (__atomic_load_n(&b->sense, __ATOMIC_ACQUIRE) != s) {
            if (++spins > 256) {
                sched_yield();
                spins = 0;
            } else {
                cpu_relax();
            }
        }
    }
}

/* A small deterministic PRNG (xorshift64*). */
static inline uint64_t rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

#endif
