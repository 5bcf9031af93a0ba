/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A process-directed signal that a thread has taken but blocks before
 * running its handler goes to another thread that does not block it, as
 * Linux retargets it.  The main thread unblocks SIGRTMIN and 63, both
 * queued to the process: SIGRTMIN comes first (lowest number), and its
 * handler blocks 63 (sa_mask) and tells a second thread, which blocked
 * both until now, to unblock 63.  That thread must receive 63 while the
 * main thread is still inside the SIGRTMIN handler.
 *
 * Not compared with qemu-riscv64: QEMU 7.2 cannot send guest signal 63.
 */
#include <pthread.h>
#include <signal.h>
#include <time.h>

#include "guest.h"

static int go[2];
static pthread_t main_thread;
static volatile int got_in_main, got_in_other, rtmin_runs, saw_other;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static void on_63(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    CHECK(si->si_value.sival_int == 63);
    if (pthread_equal(pthread_self(), main_thread)) {
        got_in_main++;
    } else {
        __atomic_fetch_add(&got_in_other, 1, __ATOMIC_SEQ_CST);
    }
}

static void on_rtmin(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)si;
    (void)uc;
    rtmin_runs++;
    CHECK(got_in_main == 0);
    CHECK(write(go[1], "g", 1) == 1);
    for (int i = 0;
         i < 500 && !__atomic_load_n(&got_in_other, __ATOMIC_SEQ_CST); i++) {
        sleep_ms(10);
    }
    saw_other = __atomic_load_n(&got_in_other, __ATOMIC_SEQ_CST);
}

static void *other(void *arg)
{
    sigset_t set;
    char c;

    (void)arg;
    CHECK(read(go[0], &c, 1) == 1);
    sigemptyset(&set);
    sigaddset(&set, 63);
    CHECK(pthread_sigmask(SIG_UNBLOCK, &set, NULL) == 0);
    for (int i = 0;
         i < 500 && !__atomic_load_n(&got_in_other, __ATOMIC_SEQ_CST); i++) {
        sleep_ms(10);
    }
    return NULL;
}

int main(void)
{
    struct sigaction sa;
    union sigval v;
    sigset_t set;
    pthread_t t;

    main_thread = pthread_self();
    CHECK(pipe(go) == 0);
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN);
    sigaddset(&set, 63);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_flags = SA_SIGINFO;
    sa.sa_sigaction = on_63;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(63, &sa, NULL) == 0);
    sa.sa_sigaction = on_rtmin;
    sa.sa_mask = set;
    CHECK(sigaction(SIGRTMIN, &sa, NULL) == 0);
    CHECK(pthread_create(&t, NULL, other, NULL) == 0); /* inherits the mask */

    v.sival_int = 63;
    CHECK(sigqueue(getpid(), 63, v) == 0);
    v.sival_int = 34;
    CHECK(sigqueue(getpid(), SIGRTMIN, v) == 0);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    pthread_join(t, NULL);
    CHECK(rtmin_runs == 1);
    CHECK(saw_other == 1);
    CHECK(got_in_other == 1 && got_in_main == 0);
    printf("63 taken by the main thread, blocked there, went to the other\n");
    return guest_done("sig_retarget");
}
