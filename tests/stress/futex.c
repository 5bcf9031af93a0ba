/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Raw futex(2): FUTEX_WAIT with a relative timeout that expires,
 * FUTEX_WAIT_BITSET with absolute CLOCK_MONOTONIC and CLOCK_REALTIME
 * timeouts, EAGAIN on a changed value, a timed wait woken early,
 * FUTEX_WAKE of many waiters, FUTEX_CMP_REQUEUE moving waiters to a
 * second futex (woken there one by one), and FUTEX_WAKE_OP.
 */
#include <limits.h>
#include <linux/futex.h>
#include <stdatomic.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "stress.h"

#define MS 1000000LL

static long futex(void *uaddr, int op, int val, const void *ts_or_val2,
                  void *uaddr2, int val3)
{
    return syscall(SYS_futex, uaddr, op, val, ts_or_val2, uaddr2, val3);
}

static void test_relative_timeout(int priv)
{
    int word = 5;
    struct timespec ts = { 0, 150 * MS };
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    long r = futex(&word, FUTEX_WAIT | priv, 5, &ts, NULL, 0);
    int e = errno;
    int64_t dt = now_ns(CLOCK_MONOTONIC) - t0;

    CHECK(r == -1 && e == ETIMEDOUT, "FUTEX_WAIT: ret %ld errno %d", r, e);
    CHECK(dt >= 150 * MS - MS && dt < 5000 * MS,
          "FUTEX_WAIT 150ms timeout took %lld ms", (long long)(dt / MS));
    fprintf(stderr, "futex: relative 150 ms wait took %.1f ms\n", dt / 1e6);
    printf("FUTEX_WAIT%s relative timeout: ETIMEDOUT\n",
           priv ? "_PRIVATE" : "");
}

static void test_absolute_timeout(int clock_flag)
{
    unsigned word = 9;
    clockid_t clk = clock_flag ? CLOCK_REALTIME : CLOCK_MONOTONIC;
    int64_t t0 = now_ns(clk), deadline = t0 + 120 * MS;
    struct timespec ts = { deadline / 1000000000, deadline % 1000000000 };
    long r = futex(&word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG | clock_flag,
                   9, &ts, NULL, FUTEX_BITSET_MATCH_ANY);
    int e = errno;
    int64_t t1 = now_ns(clk);

    CHECK(r == -1 && e == ETIMEDOUT, "FUTEX_WAIT_BITSET: ret %ld errno %d",
          r, e);
    CHECK(t1 >= deadline && t1 - t0 < 5000 * MS,
          "FUTEX_WAIT_BITSET woke %lld ms after start (deadline at 120)",
          (long long)((t1 - t0) / MS));
    fprintf(stderr, "futex: absolute %s wait took %.1f ms\n",
            clock_flag ? "REALTIME" : "MONOTONIC", (t1 - t0) / 1e6);
    printf("FUTEX_WAIT_BITSET absolute %s timeout: ETIMEDOUT\n",
           clock_flag ? "CLOCK_REALTIME" : "CLOCK_MONOTONIC");
}

static void test_eagain(void)
{
    int word = 1;
    struct timespec ts = { 5, 0 };
    long r = futex(&word, FUTEX_WAIT_PRIVATE, 2, &ts, NULL, 0);
    CHECK(r == -1 && errno == EAGAIN, "FUTEX_WAIT mismatch: ret %ld errno %d",
          r, errno);
    r = futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    CHECK(r == 0, "FUTEX_WAKE with no waiters: %ld", r);
    printf("FUTEX_WAIT on a changed value: EAGAIN\n");
}

/* A waiter with a long timeout, woken early by FUTEX_WAKE. */
static _Atomic int early_word;
static _Atomic int early_ready;

static void *early_waiter(void *unused)
{
    (void)unused;
    struct timespec ts = { 20, 0 };
    int64_t t0 = now_ns(CLOCK_MONOTONIC);
    atomic_store(&early_ready, 1);
    while (atomic_load(&early_word) == 0) {
        long r = futex(&early_word, FUTEX_WAIT_PRIVATE, 0, &ts, NULL, 0);
        CHECK(r == 0 || errno == EAGAIN, "early waiter: ret %ld errno %d",
              r, errno);
    }
    return (void *)(intptr_t)((now_ns(CLOCK_MONOTONIC) - t0) / MS);
}

static void test_early_wake(void)
{
    pthread_t t;

    xcreate(&t, early_waiter, NULL);
    while (!atomic_load(&early_ready)) {
        sched_yield();
    }
    usleep(50000);
    atomic_store(&early_word, 1);
    futex(&early_word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    intptr_t ms = (intptr_t)xjoin(t);
    CHECK(ms < 10000, "timed waiter took %ld ms to wake", (long)ms);
    printf("FUTEX_WAIT with a 20 s timeout woken early\n");
}

/* Many waiters on one futex, woken by a broadcast. */
#define NWAITERS 8
static _Atomic int f1, f2, go;
static _Atomic int arrived, finished;

static void *waiter(void *unused)
{
    (void)unused;
    atomic_fetch_add(&arrived, 1);
    while (!atomic_load(&go)) {
        long r = futex(&f1, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
        CHECK(r == 0 || errno == EAGAIN, "waiter: ret %ld errno %d", r,
              errno);
    }
    atomic_fetch_add(&finished, 1);
    return NULL;
}

static void test_wake_all(void)
{
    pthread_t t[NWAITERS];

    atomic_store(&f1, 0);
    atomic_store(&go, 0);
    atomic_store(&arrived, 0);
    atomic_store(&finished, 0);
    for (int i = 0; i < NWAITERS; i++) {
        xcreate(&t[i], waiter, NULL);
    }
    while (atomic_load(&arrived) < NWAITERS) {
        sched_yield();
    }
    usleep(20000);
    atomic_store(&go, 1);
    atomic_store(&f1, 1);
    long woken = futex(&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    CHECK(woken >= 0 && woken <= NWAITERS, "FUTEX_WAKE: %ld", woken);
    for (int i = 0; i < NWAITERS; i++) {
        xjoin(t[i]);
    }
    CHECK(atomic_load(&finished) == NWAITERS, "finished %d",
          atomic_load(&finished));
}

/*
 * FUTEX_CMP_REQUEUE with nr_wake = 0 moves every waiter from f1 to f2;
 * repeat until all NWAITERS have been moved (some may not have entered
 * the kernel yet).  Then they are all asleep on f2, so FUTEX_WAKE on f2
 * must report exactly 1, then NWAITERS - 1, then 0.
 */
static void test_cmp_requeue(void)
{
    pthread_t t[NWAITERS];
    long moved = 0, r;
    int tries = 0;

    atomic_store(&f1, 0);
    atomic_store(&f2, 0);
    atomic_store(&go, 0);
    atomic_store(&arrived, 0);
    atomic_store(&finished, 0);
    for (int i = 0; i < NWAITERS; i++) {
        xcreate(&t[i], waiter, NULL);
    }
    /* A mismatched compare value: EAGAIN, nobody moved. */
    r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX, &f2,
              1);
    CHECK(r == -1 && errno == EAGAIN, "CMP_REQUEUE mismatch: %ld errno %d",
          r, errno);
    while (moved < NWAITERS) {
        r = futex(&f1, FUTEX_CMP_REQUEUE_PRIVATE, 0, (void *)(long)INT_MAX,
                  &f2, 0);
        CHECK(r >= 0, "FUTEX_CMP_REQUEUE: ret %ld errno %d", r, errno);
        moved += r;
        CHECK(moved <= NWAITERS, "moved %ld", moved);
        if (moved < NWAITERS) {
            CHECK(++tries < 20000, "only %ld waiters ever reached the "
                  "kernel", moved);
            usleep(1000);
        }
    }
    atomic_store(&go, 1);
    r = futex(&f1, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    CHECK(r == 0, "FUTEX_WAKE f1 after requeue woke %ld", r);
    r = futex(&f2, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    CHECK(r == 1, "FUTEX_WAKE f2 (1) woke %ld", r);
    r = futex(&f2, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    CHECK(r == NWAITERS - 1, "FUTEX_WAKE f2 (all) woke %ld", r);
    r = futex(&f2, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
    CHECK(r == 0, "FUTEX_WAKE f2 (again) woke %ld", r);
    for (int i = 0; i < NWAITERS; i++) {
        xjoin(t[i]);
    }
    CHECK(atomic_load(&finished) == NWAITERS, "finished %d",
          atomic_load(&finished));
}

static void test_wake_op(void)
{
    int a = 0, b = 0;
    /* *b += 1; wake a; if old *b == 0 wake b too. */
    int op = FUTEX_OP(FUTEX_OP_ADD, 1, FUTEX_OP_CMP_EQ, 0);
    long r = futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b, op);
    CHECK(r == 0 && b == 1, "FUTEX_WAKE_OP: ret %ld b %d", r, b);
    op = FUTEX_OP(FUTEX_OP_OR, 6, FUTEX_OP_CMP_GT, 0);
    r = futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b, op);
    CHECK(r == 0 && b == 7, "FUTEX_WAKE_OP or: ret %ld b %d", r, b);
    op = FUTEX_OP(FUTEX_OP_SET, 100, FUTEX_OP_CMP_NE, 0);
    r = futex(&a, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &b, op);
    CHECK(r == 0 && b == 100, "FUTEX_WAKE_OP set: ret %ld b %d", r, b);
    printf("FUTEX_WAKE_OP: b = %d\n", b);
}

int main(void)
{
    test_eagain();
    test_relative_timeout(0);
    test_relative_timeout(FUTEX_PRIVATE_FLAG);
    test_absolute_timeout(0);
    test_absolute_timeout(FUTEX_CLOCK_REALTIME);
    test_early_wake();
    for (int i = 0; i < 20; i++) {
        test_wake_all();
        test_cmp_requeue();
    }
    printf("FUTEX_WAKE of %d waiters, 20 times\n", NWAITERS);
    printf("FUTEX_CMP_REQUEUE of %d waiters, woken 1 + %d on the target, "
           "20 times\n", NWAITERS, NWAITERS - 1);
    test_wake_op();
    printf("futex: OK\n");
    return 0;
}
