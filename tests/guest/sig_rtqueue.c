/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Real-time signals queued with sigqueue while blocked are delivered in
 * Linux's order when unblocked: lowest signal number first, instances of
 * one signal in the order they were sent, each with its value; and the
 * upper real-time signals exist too.
 *
 * Not compared with qemu-riscv64 (tests/guest/meson.build): QEMU 7.2 maps
 * guest real-time signals onto host ones in reverse order, so it delivers
 * the highest-numbered pending signal first (3,2,1,0 here), unlike Linux.
 */
#include <signal.h>

#include "guest.h"

static volatile int norder;
static volatile int order[64], values[64];

static void rec(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (norder < 64) {
        values[norder] = si->si_value.sival_int;
        order[norder++] = sig;
    }
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void test_rt_queue(void)
{
    int lo = SIGRTMIN, hi = SIGRTMIN + 3;
    union sigval v;
    sigset_t set;

    norder = 0;
    sigemptyset(&set);
    for (int s = lo; s <= hi; s++) {
        sigaddset(&set, s);
    }
    /*
     * Each handler blocks all four: otherwise Linux would set up the
     * frames of the other pending signals on top of the first one before
     * any handler runs, and the innermost (highest) would run first.
     */
    for (int s = lo; s <= hi; s++) {
        struct sigaction sa;

        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = rec;
        sa.sa_flags = SA_SIGINFO;
        sa.sa_mask = set;
        CHECK(sigaction(s, &sa, NULL) == 0);
    }
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    /* Queue in reverse order, three of each, with values. */
    for (int s = hi; s >= lo; s--) {
        for (int k = 0; k < 3; k++) {
            v.sival_int = (s - lo) * 10 + k;
            CHECK(sigqueue(getpid(), s, v) == 0);
        }
    }
    CHECK(norder == 0);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    CHECK(norder == 12);
    for (int i = 0; i < norder && i < 12; i++) {
        CHECK(order[i] == lo + i / 3);
        CHECK(values[i] == (i / 3) * 10 + i % 3);
    }
    /* SIGRTMAX-1 and below exist too (SIGRTMAX is guest 64). */
    on(SIGRTMAX - 2, rec, 0);
    norder = 0;
    v.sival_int = 77;
    CHECK(sigqueue(getpid(), SIGRTMAX - 2, v) == 0);
    CHECK(norder == 1 && order[0] == SIGRTMAX - 2 && values[0] == 77);
    printf("rt: 12 queued, delivered in order with values\n");
}

int main(void)
{
    test_rt_queue();
    return guest_done("sig_rtqueue");
}
