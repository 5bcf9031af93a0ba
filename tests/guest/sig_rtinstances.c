/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Several instances of one real-time signal, queued while blocked, are
 * each delivered once, with their values in the order sent, whatever
 * lets them in: sigsuspend (one per call, as the handler's return
 * restores the mask that blocks the signal), sigsuspend with an
 * SA_NODEFER handler (all three at once, nested: Linux sets up the frame
 * of each on top of the previous one, so the last one runs first), ppoll
 * and pselect with a temporary mask, and 61 (SIGRTMAX - 3) the same way.
 */
#include <poll.h>
#include <signal.h>
#include <sys/select.h>

#include "guest.h"

static volatile int n;
static volatile int values[16];

static void rec(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (n < 16) {
        values[n++] = si->si_value.sival_int;
    }
}

static void on(int sig, int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = rec;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void queue3(int sig, int base)
{
    union sigval v;

    for (int k = 0; k < 3; k++) {
        v.sival_int = base + k;
        CHECK(sigqueue(getpid(), sig, v) == 0);
    }
}

/* @how: 0 sigsuspend, 1 ppoll, 2 pselect. */
static void wait_with(int how, int sig)
{
    sigset_t none;
    struct timespec ts = {5, 0};
    int r;

    sigemptyset(&none);
    errno = 0;
    switch (how) {
    case 0:
        r = sigsuspend(&none);
        break;
    case 1:
        r = ppoll(NULL, 0, &ts, &none);
        break;
    default:
        r = pselect(0, NULL, NULL, NULL, &ts, &none);
        break;
    }
    CHECK(r == -1 && errno == EINTR);
    (void)sig;
}

static void test_one_per_wait(int sig, int how)
{
    sigset_t set;

    on(sig, 0);
    sigemptyset(&set);
    sigaddset(&set, sig);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    n = 0;
    queue3(sig, 100);
    for (int k = 0; k < 3; k++) {
        wait_with(how, sig);
        CHECK(n == k + 1 && values[k] == 100 + k);
    }
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    CHECK(n == 3);
}

static void test_nodefer(int sig)
{
    sigset_t set;

    on(sig, SA_NODEFER);
    sigemptyset(&set);
    sigaddset(&set, sig);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    n = 0;
    queue3(sig, 200);
    wait_with(0, sig);
    CHECK(n == 3);
    for (int k = 0; k < 3 && k < n; k++) {
        CHECK(values[k] == 202 - k);
    }
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    CHECK(n == 3);
}

/* Unblocking with sigprocmask: one after the other, in order. */
static void test_unblock(int sig)
{
    sigset_t set;

    on(sig, 0);
    sigemptyset(&set);
    sigaddset(&set, sig);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    n = 0;
    queue3(sig, 300);
    CHECK(n == 0);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    CHECK(n == 3);
    for (int k = 0; k < 3 && k < n; k++) {
        CHECK(values[k] == 300 + k);
    }
}

int main(void)
{
    int sigs[2] = {SIGRTMIN + 1, SIGRTMAX - 3};

    for (int i = 0; i < 2; i++) {
        for (int how = 0; how < 3; how++) {
            test_one_per_wait(sigs[i], how);
        }
        test_nodefer(sigs[i]);
        test_unblock(sigs[i]);
    }
    printf("three instances: one per sigsuspend, ppoll, pselect; nested "
           "with SA_NODEFER; in order when unblocked\n");
    return guest_done("sig_rtinstances");
}
