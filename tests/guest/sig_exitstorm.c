/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Process-directed signals while threads exit with them unblocked: none
 * is lost or delivered twice.  Threads are created and end without end,
 * half of them with a raw exit syscall while they do not block the
 * signal (glibc's pthread_exit blocks everything first), while another
 * thread queues N real-time signals with distinct values to the process;
 * a collector thread also takes them.  Each value must arrive exactly
 * once.  In ctcg an exiting thread takes no guest signal once it has
 * left the guest (signal_thread_exit): a signal its host handler takes
 * then goes back to the process for another thread (issue 14 removed the
 * host call that blocked everything there).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

#include "guest.h"

#define N 3000
#define BATCH 8

static int seen[N];                          /* atomic */
static int twice, bad_value, received, stop; /* atomic */

static void on_sig(int sig, siginfo_t *si, void *uc)
{
    int v = si->si_value.sival_int;

    (void)sig;
    (void)uc;
    if (v < 0 || v >= N) {
        __atomic_fetch_add(&bad_value, 1, __ATOMIC_RELAXED);
        return;
    }
    if (__atomic_exchange_n(&seen[v], 1, __ATOMIC_RELAXED)) {
        __atomic_fetch_add(&twice, 1, __ATOMIC_RELAXED);
    }
    __atomic_fetch_add(&received, 1, __ATOMIC_RELEASE);
}

static void unblock_sig(void)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, SIGRTMIN + 2);
    pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

static void *worker(void *arg)
{
    unblock_sig();
    for (volatile int i = 0; i < 200; i++) {
    }
    if ((long)arg & 1) {
        syscall(SYS_exit, 0); /* with the signal unblocked */
    }
    return NULL;
}

static void *spawner(void *arg)
{
    (void)arg;
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        pthread_t t[BATCH];

        for (long i = 0; i < BATCH; i++) {
            CHECK(pthread_create(&t[i], NULL, worker, (void *)i) == 0);
        }
        for (int i = 0; i < BATCH; i++) {
            pthread_join(t[i], NULL);
        }
    }
    return NULL;
}

static void *collector(void *arg)
{
    struct timespec ts = {0, 1000000};

    (void)arg;
    unblock_sig();
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        nanosleep(&ts, NULL);
    }
    return NULL;
}

int main(void)
{
    struct sigaction sa;
    sigset_t s;
    pthread_t sp[2], co;
    struct timespec ts = {0, 1000000};
    int waited = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sig;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGRTMIN + 2, &sa, NULL) == 0);
    /* main (the sender) blocks it; every other thread unblocks it */
    sigemptyset(&s);
    sigaddset(&s, SIGRTMIN + 2);
    CHECK(pthread_sigmask(SIG_BLOCK, &s, NULL) == 0);
    CHECK(pthread_create(&co, NULL, collector, NULL) == 0);
    for (int i = 0; i < 2; i++) {
        CHECK(pthread_create(&sp[i], NULL, spawner, NULL) == 0);
    }
    for (int v = 0; v < N; v++) {
        union sigval val = {.sival_int = v};

        while (sigqueue(getpid(), SIGRTMIN + 2, val) != 0) {
            CHECK(errno == EAGAIN);
            nanosleep(&ts, NULL);
        }
        if (v % 64 == 0) {
            nanosleep(&ts, NULL); /* let threads come and go */
        }
    }
    /* Up to 20 s for the last ones. */
    while (__atomic_load_n(&received, __ATOMIC_ACQUIRE) < N && waited < 20000) {
        nanosleep(&ts, NULL);
        waited++;
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 2; i++) {
        pthread_join(sp[i], NULL);
    }
    pthread_join(co, NULL);
    CHECK(__atomic_load_n(&received, __ATOMIC_ACQUIRE) == N);
    CHECK(twice == 0);
    CHECK(bad_value == 0);
    for (int v = 0; v < N; v++) {
        if (!seen[v]) {
            fprintf(stderr, "value %d never came\n", v);
            guest_failures++;
            break;
        }
    }
    printf("%d queued signals while threads exit: done\n", N);
    return guest_done("exitstorm");
}
