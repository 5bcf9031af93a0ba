/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The README demo guest: a riscv64 program whose threads count primes in
 * parallel.  Each thread takes chunks of the range from a shared atomic
 * counter, adds its count to a mutex-protected total, and records how
 * much it did; main checks the total against a known value.
 *
 * Usage: mt-demo [threads] [limit]
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define CHUNK 20000

static long limit = 2000000;
static atomic_long next_chunk;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static long total;

static int is_prime(long n)
{
    if (n < 2) {
        return 0;
    }
    for (long d = 2; d * d <= n; d++) {
        if (n % d == 0) {
            return 0;
        }
    }
    return 1;
}

static void *worker(void *arg)
{
    long *chunks_done = arg;
    long start;

    while ((start = atomic_fetch_add(&next_chunk, CHUNK)) < limit) {
        long end = start + CHUNK < limit ? start + CHUNK : limit;
        long count = 0;

        for (long n = start; n < end; n++) {
            count += is_prime(n);
        }
        pthread_mutex_lock(&total_lock);
        total += count;
        pthread_mutex_unlock(&total_lock);
        (*chunks_done)++;
    }
    return NULL;
}

int main(int argc, char **argv)
{
    int nthreads = argc > 1 ? atoi(argv[1]) : 4;
    pthread_t tid[64];
    long done[64] = {0};

    if (argc > 2) {
        limit = atol(argv[2]);
    }
    if (nthreads < 1 || nthreads > 64) {
        fprintf(stderr, "usage: mt-demo [threads 1-64] [limit]\n");
        return 2;
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_create(&tid[i], NULL, worker, &done[i]);
    }
    for (int i = 0; i < nthreads; i++) {
        pthread_join(tid[i], NULL);
        printf("thread %d counted %ld chunks\n", i, done[i]);
    }
    printf("primes below %ld: %ld\n", limit, total);
    if (limit == 2000000 && total != 148933) {
        printf("WRONG: expected 148933\n");
        return 1;
    }
    return 0;
}
