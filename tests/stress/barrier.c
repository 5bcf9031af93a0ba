/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * 16 threads through 2000 rounds of pthread_barrier_wait.  In each round
 * every thread publishes its round number; after the barrier everyone
 * checks all slots and the shared phase the serial thread advanced.
 */
#include "stress.h"

#define NTHREADS 16
#define ROUNDS 2000

static pthread_barrier_t bar;
static int slot[NTHREADS];
static int phase;
static int serial_count[ROUNDS];

static void *worker(void *p)
{
    int id = (int)(intptr_t)p;

    for (int r = 0; r < ROUNDS; r++) {
        slot[id] = r;
        int ret = pthread_barrier_wait(&bar);
        CHECK(ret == 0 || ret == PTHREAD_BARRIER_SERIAL_THREAD,
              "barrier_wait: %d", ret);
        for (int j = 0; j < NTHREADS; j++) {
            CHECK(slot[j] == r, "round %d: thread %d sees slot[%d] = %d",
                  r, id, j, slot[j]);
        }
        CHECK(phase == r, "round %d: phase %d before", r, phase);
        ret = pthread_barrier_wait(&bar);
        if (ret == PTHREAD_BARRIER_SERIAL_THREAD) {
            phase++;
            serial_count[r]++;
        }
        ret = pthread_barrier_wait(&bar);
        CHECK(phase == r + 1, "round %d: phase %d after", r, phase);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];

    CHECK_ERR(pthread_barrier_init(&bar, NULL, NTHREADS), "barrier_init");
    for (int i = 0; i < NTHREADS; i++) {
        xcreate(&t[i], worker, (void *)(intptr_t)i);
    }
    for (int i = 0; i < NTHREADS; i++) {
        xjoin(t[i]);
    }
    for (int r = 0; r < ROUNDS; r++) {
        CHECK(serial_count[r] == 1, "round %d: %d serial threads", r,
              serial_count[r]);
    }
    CHECK(phase == ROUNDS, "phase %d", phase);
    pthread_barrier_destroy(&bar);
    printf("barrier: %d threads x %d rounds: OK\n", NTHREADS, ROUNDS);
    return 0;
}
