/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Translation contexts handed over between threads (accel/tcg/tb-maint.c,
 * "Translation contexts"): a thread translates with the shared context
 * until its 32nd translation, then takes the shared context itself (the
 * next shared translation creates a new one), and an exiting thread gives
 * its whole context back when there is no shared one.  Each phase runs
 * code nobody ran before (192 small distinct functions, one or more TBs
 * each), so that each thread translates:
 *   1. the main thread (private since libc's start-up) runs 32 functions;
 *   2. thread A runs 64: it creates a shared context, then takes it, and
 *      gives it back when it exits;
 *   3. threads B and C start together and run 32 new functions each
 *      (the first use of the returned context, from two threads at once);
 *   4. a forked child runs 32 new functions, then the parent does;
 *   5. the main thread runs all 192 again.
 * Every result is checked against the same formula computed in one loop.
 */
#include <pthread.h>
#include <sys/wait.h>

#include "guest.h"

/* Rows of definitions, not statements: */
/* clang-format off */
#define F(n)                                                               \
    static __attribute__((noinline)) long f##n(long x)                     \
    {                                                                      \
        return (x ^ n) * (2 * n + 1) + (x >> (n % 7));                     \
    }
#define ROW(h)                                                             \
    F(h##0) F(h##1) F(h##2) F(h##3) F(h##4) F(h##5) F(h##6) F(h##7)       \
    F(h##8) F(h##9) F(h##a) F(h##b) F(h##c) F(h##d) F(h##e) F(h##f)
#define TROW(h)                                                            \
    f##h##0, f##h##1, f##h##2, f##h##3, f##h##4, f##h##5, f##h##6,         \
    f##h##7, f##h##8, f##h##9, f##h##a, f##h##b, f##h##c, f##h##d,         \
    f##h##e, f##h##f,

ROW(0x0) ROW(0x1) ROW(0x2) ROW(0x3) ROW(0x4) ROW(0x5)
ROW(0x6) ROW(0x7) ROW(0x8) ROW(0x9) ROW(0xa) ROW(0xb)

#define NFUNCS 192

static long (*const volatile funcs[NFUNCS])(long) = {
    TROW(0x0) TROW(0x1) TROW(0x2) TROW(0x3) TROW(0x4) TROW(0x5)
    TROW(0x6) TROW(0x7) TROW(0x8) TROW(0x9) TROW(0xa) TROW(0xb)};
/* clang-format on */

typedef struct Range {
    int first, last; /* [first, last) */
    int bad;
} Range;

static pthread_barrier_t start_bc;

/* Runs funcs[first..last) on a few inputs; the number of wrong results. */
static int run_range(int first, int last)
{
    int bad = 0;

    for (int n = first; n < last; n++) {
        for (long x = -3; x <= 3; x++) {
            long arg = x * 1000003 + n;
            long want = (arg ^ n) * (2 * n + 1) + (arg >> (n % 7));

            if (funcs[n](arg) != want) {
                bad++;
            }
        }
    }
    return bad;
}

static void *thread_range(void *p)
{
    Range *r = p;

    r->bad = run_range(r->first, r->last);
    return NULL;
}

static void *thread_range_together(void *p)
{
    pthread_barrier_wait(&start_bc);
    return thread_range(p);
}

int main(void)
{
    Range a = {32, 96, -1}, b = {96, 128, -1}, c = {128, 160, -1};
    pthread_t ta, tb, tc;
    int status;
    pid_t pid;

    CHECK(run_range(0, 32) == 0);

    CHECK(pthread_create(&ta, NULL, thread_range, &a) == 0);
    CHECK(pthread_join(ta, NULL) == 0);
    CHECK(a.bad == 0);

    CHECK(pthread_barrier_init(&start_bc, NULL, 2) == 0);
    CHECK(pthread_create(&tb, NULL, thread_range_together, &b) == 0);
    CHECK(pthread_create(&tc, NULL, thread_range_together, &c) == 0);
    CHECK(pthread_join(tb, NULL) == 0);
    CHECK(pthread_join(tc, NULL) == 0);
    CHECK(b.bad == 0 && c.bad == 0);

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        _exit(run_range(160, NFUNCS) == 0 ? 0 : 1);
    }
    CHECK(pid > 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(run_range(160, NFUNCS) == 0);

    CHECK(run_range(0, NFUNCS) == 0);
    printf("%d functions in 5 phases\n", NFUNCS);
    return guest_done("tcg_ctxhandover");
}
