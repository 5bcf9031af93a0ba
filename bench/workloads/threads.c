// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * threads: the same total work split evenly over N threads that share
 * nothing (each has its own buffer; results are summed at the end, so
 * the output does not depend on N).  Measures how guest threads scale
 * on host cores: with N <= cores the time should drop as 1/N, with more
 * threads than cores it should not collapse.
 * argv[1]: total work items, argv[2]: threads.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define WORDS 256

typedef struct {
    long begin, end;
    uint64_t sum;
    char pad[64]; /* no false sharing between the jobs */
} Job;

/* A pure function of i: its own small scratch buffer, filled first. */
static uint64_t item(long i)
{
    uint32_t buf[WORDS];
    uint32_t x = (uint32_t)i * 2654435761u + 1;
    uint64_t acc = 0;

    for (int k = 0; k < WORDS; k++) {
        buf[k] = (uint32_t)k * 0x9e3779b9u ^ (uint32_t)i;
    }
    for (int k = 0; k < 512; k++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        uint32_t *w = &buf[x & (WORDS - 1)];
        *w += x;
        acc += *w ^ (uint32_t)k;
    }
    return acc;
}

static void *worker(void *arg)
{
    Job *j = arg;
    uint64_t s = 0;

    for (long i = j->begin; i < j->end; i++) {
        s += item(i);
    }
    j->sum = s;
    return NULL;
}

int main(int argc, char **argv)
{
    long total = argc > 1 ? atol(argv[1]) : 100000;
    int n = argc > 2 ? atoi(argv[2]) : 1;
    pthread_t tid[64];
    Job jobs[64];
    uint64_t sum = 0;

    if (n < 1 || n > 64) {
        fprintf(stderr, "threads: 1..64\n");
        return 2;
    }
    for (int t = 0; t < n; t++) {
        jobs[t].begin = total * t / n;
        jobs[t].end = total * (t + 1) / n;
        if (pthread_create(&tid[t], NULL, worker, &jobs[t]) != 0) {
            perror("pthread_create");
            return 1;
        }
    }
    for (int t = 0; t < n; t++) {
        pthread_join(tid[t], NULL);
        sum += jobs[t].sum;
    }
    printf("threads total=%ld sum=%016llx\n", total, (unsigned long long)sum);
    return 0;
}
