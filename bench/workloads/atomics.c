// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * atomics: N threads hammering shared counters, either with atomic
 * read-modify-write (amoadd via __atomic_fetch_add, an lr/sc loop via a
 * compare-and-swap, and an atomic exchange-based spin lock) or with a
 * pthread mutex.  The total number of updates is fixed and split over
 * the threads, so the output does not depend on N.
 * argv[1]: "atomic" or "mutex", argv[2]: total updates, argv[3]: threads.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t c_add, c_cas, c_spin_val;
static uint32_t spin;
static uint64_t c_mutex, c_mutex2;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long per_thread_base, extra;
static int use_mutex;

static void *worker(void *arg)
{
    long n = per_thread_base + ((long)(intptr_t)arg < extra ? 1 : 0);

    if (use_mutex) {
        for (long i = 0; i < n; i++) {
            pthread_mutex_lock(&lock);
            c_mutex += (uint64_t)i;
            c_mutex2++;
            pthread_mutex_unlock(&lock);
        }
        return NULL;
    }
    for (long i = 0; i < n; i++) {
        __atomic_fetch_add(&c_add, 1, __ATOMIC_SEQ_CST);
        uint64_t old = __atomic_load_n(&c_cas, __ATOMIC_RELAXED);
        while (!__atomic_compare_exchange_n(
            &c_cas, &old, old + 3, 1, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        }
        if ((i & 7) == 0) {
            while (__atomic_exchange_n(&spin, 1, __ATOMIC_ACQUIRE)) {
                while (__atomic_load_n(&spin, __ATOMIC_RELAXED)) {
                }
            }
            c_spin_val++;
            __atomic_store_n(&spin, 0, __ATOMIC_RELEASE);
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: atomics atomic|mutex TOTAL THREADS\n");
        return 2;
    }
    use_mutex = strcmp(argv[1], "mutex") == 0;
    long total = atol(argv[2]);
    int n = atoi(argv[3]);
    pthread_t tid[64];

    if (n < 1 || n > 64) {
        fprintf(stderr, "atomics: 1..64 threads\n");
        return 2;
    }
    per_thread_base = total / n;
    extra = total % n;
    for (int t = 0; t < n; t++) {
        if (pthread_create(&tid[t], NULL, worker, (void *)(intptr_t)t)) {
            perror("pthread_create");
            return 1;
        }
    }
    for (int t = 0; t < n; t++) {
        pthread_join(tid[t], NULL);
    }
    if (use_mutex) {
        printf("mutex total=%ld count=%llu\n", total,
               (unsigned long long)c_mutex2);
    } else {
        printf("atomic total=%ld add=%llu cas=%llu spin=%llu\n", total,
               (unsigned long long)c_add, (unsigned long long)c_cas,
               (unsigned long long)c_spin_val);
    }
    return 0;
}
