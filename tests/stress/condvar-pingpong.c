/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Condition-variable ping-pong between two threads: 100000 round trips,
 * each side waiting for its turn on its own condition variable.
 */
#include "stress.h"

#define ROUNDS 100000

static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond_ping = PTHREAD_COND_INITIALIZER;
static pthread_cond_t cond_pong = PTHREAD_COND_INITIALIZER;
static int turn;        /* 0: ping's turn, 1: pong's */
static long ball;

static void *pong(void *unused)
{
    (void)unused;
    for (long i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&mtx);
        while (turn != 1) {
            pthread_cond_wait(&cond_pong, &mtx);
        }
        CHECK(ball == 2 * i + 1, "pong: ball %ld in round %ld", ball, i);
        ball++;
        turn = 0;
        pthread_cond_signal(&cond_ping);
        pthread_mutex_unlock(&mtx);
    }
    return NULL;
}

int main(void)
{
    pthread_t t;

    xcreate(&t, pong, NULL);
    for (long i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&mtx);
        while (turn != 0) {
            pthread_cond_wait(&cond_ping, &mtx);
        }
        CHECK(ball == 2 * i, "ping: ball %ld in round %ld", ball, i);
        ball++;
        turn = 1;
        pthread_cond_signal(&cond_pong);
        pthread_mutex_unlock(&mtx);
    }
    pthread_mutex_lock(&mtx);
    while (turn != 0) {
        pthread_cond_wait(&cond_ping, &mtx);
    }
    pthread_mutex_unlock(&mtx);
    xjoin(t);
    CHECK(ball == 2 * ROUNDS, "final ball %ld", ball);
    printf("condvar-pingpong: %d round trips: OK\n", ROUNDS);
    return 0;
}
