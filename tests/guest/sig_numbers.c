/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Signal numbers that syscalls carry as plain integers must reach the
 * host converted and come back converted: a POSIX timer's sigev_signo,
 * fcntl(F_SETSIG/F_GETSIG) and prctl(PR_SET/GET_PDEATHSIG).  Real-time
 * signals are the ones whose host numbers differ (docs/signals.md).
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <time.h>

#include "guest.h"

static volatile int got_sig, got_value;

static void on_rt(int sig, siginfo_t *si, void *ctx)
{
    (void)ctx;
    got_sig = sig;
    got_value = si->si_value.sival_int;
}

int main(void)
{
    struct sigaction sa = {0};
    struct sigevent ev = {0};
    struct itimerspec its = {{0, 0}, {0, 2000000}};
    int sig = SIGRTMIN + 2, fds[2], got = -1;
    timer_t t;
    sigset_t set;

    sa.sa_sigaction = on_rt;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(sig, &sa, NULL) == 0);

    /* A timer that raises SIGRTMIN+2 with a value. */
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = sig;
    ev.sigev_value.sival_int = 4242;
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
    sigemptyset(&set);
    CHECK(timer_settime(t, 0, &its, NULL) == 0);
    while (got_sig == 0) {
        sigsuspend(&set);
    }
    CHECK(got_sig == sig);
    CHECK(got_value == 4242);
    CHECK(timer_delete(t) == 0);
    printf("timer: signal SIGRTMIN+%d value %d\n", got_sig - SIGRTMIN,
           got_value);

    /* fcntl F_SETSIG/F_GETSIG round trip. */
    CHECK(pipe(fds) == 0);
    CHECK(fcntl(fds[0], F_SETSIG, SIGRTMIN + 1) == 0);
    CHECK(fcntl(fds[0], F_GETSIG) == SIGRTMIN + 1);
    CHECK(fcntl(fds[0], F_SETSIG, 0) == 0);
    CHECK(fcntl(fds[0], F_GETSIG) == 0);
    printf("F_GETSIG: ok\n");

    /* prctl PR_SET/GET_PDEATHSIG round trip. */
    CHECK(prctl(PR_SET_PDEATHSIG, SIGRTMIN + 3) == 0);
    CHECK(prctl(PR_GET_PDEATHSIG, &got) == 0);
    CHECK(got == SIGRTMIN + 3);
    CHECK(prctl(PR_SET_PDEATHSIG, 0) == 0);
    CHECK(prctl(PR_GET_PDEATHSIG, &got) == 0);
    CHECK(got == 0);
    printf("PDEATHSIG: ok\n");
    return guest_done("sig_numbers");
}
