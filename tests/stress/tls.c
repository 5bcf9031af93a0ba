/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thread-local storage in 32 threads: initialized and zero-initialized
 * __thread variables (scalars, arrays, a struct, an over-aligned buffer),
 * each thread checking the initial values, writing its own, and finding
 * them intact after all threads did the same; plus pthread keys with
 * destructors.
 */
#include "stress.h"

#define NTHREADS 32

__thread int tl_int = 42;
__thread long tl_arr[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
__thread char tl_str[24] = "thread-local";
static int global_target;
__thread struct { short s; double d; void *p; } tl_struct = { -7, 2.5, &global_target };
static __thread uint64_t tl_zero[32];
static __thread char tl_aligned[256] __attribute__((aligned(64))) = { 9 };
static __thread int tl_bss_int;

static pthread_key_t key;
static int destructor_calls;
static pthread_mutex_t dmtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_barrier_t bar;
static uintptr_t addrs[NTHREADS];
static uintptr_t tps[NTHREADS];

static void destructor(void *v)
{
    CHECK(v != NULL, "destructor with NULL");
    pthread_mutex_lock(&dmtx);
    destructor_calls += (int)(intptr_t)v;
    pthread_mutex_unlock(&dmtx);
}

static void check_initial(int id)
{
    CHECK(tl_int == 42, "thread %d: tl_int %d", id, tl_int);
    for (int i = 0; i < 8; i++) {
        CHECK(tl_arr[i] == i + 1, "thread %d: tl_arr[%d] %ld", id, i,
              tl_arr[i]);
    }
    CHECK(strcmp(tl_str, "thread-local") == 0, "thread %d: tl_str %s", id,
          tl_str);
    CHECK(tl_struct.s == -7 && tl_struct.d == 2.5 && tl_struct.p == &global_target,
          "thread %d: tl_struct (%d %g %p, want %p)", id, tl_struct.s,
          tl_struct.d, tl_struct.p, (void *)&global_target);
    for (int i = 0; i < 32; i++) {
        CHECK(tl_zero[i] == 0, "thread %d: tl_zero[%d]", id, i);
    }
    CHECK(((uintptr_t)tl_aligned & 63) == 0, "thread %d: tl_aligned at %p",
          id, (void *)tl_aligned);
    CHECK(tl_aligned[0] == 9 && tl_aligned[255] == 0, "tl_aligned values");
    CHECK(tl_bss_int == 0, "tl_bss_int");
}

static void write_own(int id)
{
    tl_int = id * 3;
    for (int i = 0; i < 8; i++) {
        tl_arr[i] = id * 100 + i;
    }
    snprintf(tl_str, sizeof(tl_str), "thread %d", id);
    tl_struct.s = (short)id;
    tl_struct.d = id / 4.0;
    for (int i = 0; i < 32; i++) {
        tl_zero[i] = (uint64_t)id << 32 | i;
    }
    memset(tl_aligned, id, sizeof(tl_aligned));
    tl_bss_int = -id;
}

static void check_own(int id)
{
    char want[24];

    CHECK(tl_int == id * 3, "thread %d: tl_int %d", id, tl_int);
    for (int i = 0; i < 8; i++) {
        CHECK(tl_arr[i] == id * 100 + i, "thread %d: tl_arr[%d] %ld", id, i,
              tl_arr[i]);
    }
    snprintf(want, sizeof(want), "thread %d", id);
    CHECK(strcmp(tl_str, want) == 0, "thread %d: tl_str %s", id, tl_str);
    CHECK(tl_struct.s == id && tl_struct.d == id / 4.0 &&
          tl_struct.p == &global_target, "thread %d: tl_struct", id);
    for (int i = 0; i < 32; i++) {
        CHECK(tl_zero[i] == ((uint64_t)id << 32 | i), "thread %d: tl_zero",
              id);
    }
    for (int i = 0; i < 256; i++) {
        CHECK(tl_aligned[i] == (char)id, "thread %d: tl_aligned[%d]", id, i);
    }
    CHECK(tl_bss_int == -id, "thread %d: tl_bss_int %d", id, tl_bss_int);
    CHECK((intptr_t)pthread_getspecific(key) == id + 1,
          "thread %d: key value", id);
}

static void *worker(void *p)
{
    int id = (int)(intptr_t)p;
    uintptr_t tp;

    __asm__("mv %0, tp" : "=r"(tp));
    tps[id] = tp;
    addrs[id] = (uintptr_t)&tl_int;
    check_initial(id);
    CHECK(pthread_getspecific(key) == NULL, "key not NULL at start");
    CHECK_ERR(pthread_setspecific(key, (void *)(intptr_t)(id + 1)),
              "setspecific");
    write_own(id);
    pthread_barrier_wait(&bar);
    for (int round = 0; round < 50; round++) {
        check_own(id);
        sched_yield();
    }
    pthread_barrier_wait(&bar);
    check_own(id);
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];

    CHECK_ERR(pthread_key_create(&key, destructor), "key_create");
    CHECK_ERR(pthread_barrier_init(&bar, NULL, NTHREADS + 1), "barrier");
    check_initial(-1);
    write_own(1000);
    for (int i = 0; i < NTHREADS; i++) {
        xcreate(&t[i], worker, (void *)(intptr_t)i);
    }
    pthread_barrier_wait(&bar);
    pthread_barrier_wait(&bar);
    for (int i = 0; i < NTHREADS; i++) {
        xjoin(t[i]);
    }
    CHECK(tl_int == 3000, "main's tl_int %d", tl_int);
    CHECK(tl_bss_int == -1000, "main's tl_bss_int");
    for (int i = 0; i < NTHREADS; i++) {
        CHECK(addrs[i] != (uintptr_t)&tl_int, "thread %d shares main's TLS",
              i);
        for (int j = 0; j < i; j++) {
            CHECK(addrs[i] != addrs[j], "threads %d and %d share TLS", i, j);
            CHECK(tps[i] != tps[j], "threads %d and %d share tp", i, j);
        }
    }
    int want = NTHREADS * (NTHREADS + 1) / 2;
    CHECK(destructor_calls == want, "destructor sum %d, want %d",
          destructor_calls, want);
    printf("tls: %d threads, TLS and pthread keys: OK\n", NTHREADS);
    return 0;
}
