/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory-model litmus tests between two threads, many iterations each,
 * synchronized per iteration by a spin barrier:
 *   MP+fence       x=1; fence rw,rw; y=1  ||  r0=y; fence rw,rw; r1=x
 *   MP+rel/acq     the same with release/acquire atomics
 *   SB+fence       x=1; fence rw,rw; r0=y ||  y=1; fence rw,rw; r1=x
 *   SB+amoswap     amoswap.w.aqrl x; r0=y ||  amoswap.w.aqrl y; r1=x
 *   SB+seq_cst     C11 seq_cst stores and loads
 * The forbidden outcome (MP: r0=1 r1=0; SB: r0=r1=0) must never show.
 *   SB (no fence)  r0=r1=0 is allowed; how often it shows is reported on
 *                  stderr: proof that the test can see the host's store
 *                  buffer at all.
 */
#include <stdatomic.h>
#include "stress.h"

typedef struct {
    int v;
    char pad[60];
} Line;

static Line x __attribute__((aligned(64)));
static Line y __attribute__((aligned(64)));
static int r0, r1;
static SpinBarrier bar;

#define LW(p) ({ int v_; __asm__ volatile("lw %0, 0(%1)" : "=r"(v_) : "r"(p) : "memory"); v_; })
#define SW(p, v) __asm__ volatile("sw %0, 0(%1)" :: "r"(v), "r"(p) : "memory")
#define FENCE() __asm__ volatile("fence rw, rw" ::: "memory")

/* MP+fence */
static void mp_fence_0(void) { SW(&x.v, 1); FENCE(); SW(&y.v, 1); }
static void mp_fence_1(void) { r0 = LW(&y.v); FENCE(); r1 = LW(&x.v); }
/* MP+release/acquire */
static void mp_ra_0(void)
{
    __atomic_store_n(&x.v, 1, __ATOMIC_RELAXED);
    __atomic_store_n(&y.v, 1, __ATOMIC_RELEASE);
}
static void mp_ra_1(void)
{
    r0 = __atomic_load_n(&y.v, __ATOMIC_ACQUIRE);
    r1 = __atomic_load_n(&x.v, __ATOMIC_RELAXED);
}
/* SB+fence */
static void sb_fence_0(void) { SW(&x.v, 1); FENCE(); r0 = LW(&y.v); }
static void sb_fence_1(void) { SW(&y.v, 1); FENCE(); r1 = LW(&x.v); }
/* SB+amoswap.aqrl */
static void sb_amo_0(void)
{
    int old;
    __asm__ volatile("amoswap.w.aqrl %0, %2, (%1)"
                     : "=r"(old) : "r"(&x.v), "r"(1) : "memory");
    r0 = LW(&y.v);
}
static void sb_amo_1(void)
{
    int old;
    __asm__ volatile("amoswap.w.aqrl %0, %2, (%1)"
                     : "=r"(old) : "r"(&y.v), "r"(1) : "memory");
    r1 = LW(&x.v);
}
/* SB+seq_cst */
static void sb_sc_0(void)
{
    __atomic_store_n(&x.v, 1, __ATOMIC_SEQ_CST);
    r0 = __atomic_load_n(&y.v, __ATOMIC_SEQ_CST);
}
static void sb_sc_1(void)
{
    __atomic_store_n(&y.v, 1, __ATOMIC_SEQ_CST);
    r1 = __atomic_load_n(&x.v, __ATOMIC_SEQ_CST);
}
/* SB, no fence */
static void sb_0(void) { SW(&x.v, 1); r0 = LW(&y.v); }
static void sb_1(void) { SW(&y.v, 1); r1 = LW(&x.v); }

typedef struct {
    const char *name;
    void (*t0)(void), (*t1)(void);
    int forbid_r0, forbid_r1;   /* the forbidden outcome */
    int must_not;               /* 0: only report it */
    int iters;
} Test;

static Test tests[] = {
    { "MP+fence",    mp_fence_0, mp_fence_1, 1, 0, 1, 50000 },
    { "MP+rel/acq",  mp_ra_0,    mp_ra_1,    1, 0, 1, 50000 },
    { "SB+fence",    sb_fence_0, sb_fence_1, 0, 0, 1, 200000 },
    { "SB+amoswap",  sb_amo_0,   sb_amo_1,   0, 0, 1, 50000 },
    { "SB+seq_cst",  sb_sc_0,    sb_sc_1,    0, 0, 1, 50000 },
    { "SB",          sb_0,       sb_1,       0, 0, 0, 100000 },
};
#define NTESTS (int)(sizeof(tests) / sizeof(tests[0]))

static int selected[NTESTS];

static void *other(void *unused)
{
    int sense = 0;
    (void)unused;
    for (int t = 0; t < NTESTS; t++) {
        if (!selected[t]) {
            continue;
        }
        for (int i = 0; i < tests[t].iters; i++) {
            spin_barrier_wait(&bar, &sense);
            tests[t].t1();
            spin_barrier_wait(&bar, &sense);
            spin_barrier_wait(&bar, &sense);
        }
    }
    return NULL;
}

/* litmus [TEST...]: run only the tests named (all by default). */
int main(int argc, char **argv)
{
    pthread_t t;
    int sense = 0, fails = 0;

    for (int k = 0; k < NTESTS; k++) {
        selected[k] = argc < 2;
        for (int a = 1; a < argc; a++) {
            selected[k] |= strcmp(argv[a], tests[k].name) == 0;
        }
    }

    spin_barrier_init(&bar, 2);
    xcreate(&t, other, NULL);
    for (int k = 0; k < NTESTS; k++) {
        Test *tc = &tests[k];
        long hist[4] = { 0 };
        if (!selected[k]) {
            continue;
        }
        for (int i = 0; i < tc->iters; i++) {
            spin_barrier_wait(&bar, &sense);
            tc->t0();
            spin_barrier_wait(&bar, &sense);
            hist[(r0 & 1) * 2 + (r1 & 1)]++;
            x.v = 0;
            y.v = 0;
            r0 = r1 = -1;
            spin_barrier_wait(&bar, &sense);
        }
        long forbidden = hist[tc->forbid_r0 * 2 + tc->forbid_r1];
        fprintf(stderr, "litmus %-11s %7d runs: 00:%ld 01:%ld 10:%ld 11:%ld"
                " (r0 r1)\n", tc->name, tc->iters, hist[0], hist[1],
                hist[2], hist[3]);
        if (tc->must_not) {
            printf("%-11s forbidden r0=%d r1=%d: %s\n", tc->name,
                   tc->forbid_r0, tc->forbid_r1,
                   forbidden ? "SEEN (FAIL)" : "never seen");
            if (forbidden) {
                fprintf(stderr, "FAIL %s: forbidden outcome %ld times\n",
                        tc->name, forbidden);
                fails++;
            }
        } else {
            fprintf(stderr, "litmus %s: relaxed outcome r0=%d r1=%d seen "
                    "%ld times in %d (allowed)\n", tc->name, tc->forbid_r0,
                    tc->forbid_r1, forbidden, tc->iters);
        }
    }
    xjoin(t);
    printf("litmus: %s\n", fails ? "FAILED" : "OK");
    return fails ? 1 : 0;
}
