/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The top real-time signals, 63 and 64 (SIGRTMAX): handlers with
 * SA_SIGINFO see kill, tgkill and sigqueue (with its value); blocked, they
 * show in sigpending and sigtimedwait takes them; SIG_IGN discards them,
 * SIG_DFL terminates with them (wait status).  Pending together with
 * lower real-time signals, they come last, as Linux delivers the
 * lowest-numbered real-time signal first: to handlers and to
 * sigtimedwait.
 *
 * Not compared with qemu-riscv64 (tests/guest/meson.build): QEMU 7.2
 * cannot send guest signals 63 and 64 (EINVAL) and, mapping real-time signals
 * in reverse, delivers the higher ones first.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

static volatile int norder;
static volatile int order[16], values[16], codes[16], pids[16];

static void rec(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    if (norder < 16) {
        values[norder] = si->si_value.sival_int;
        codes[norder] = si->si_code;
        pids[norder] = si->si_pid;
        CHECK(si->si_signo == sig);
        order[norder++] = sig;
    }
}

static void on(int sig, const sigset_t *mask)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = rec;
    sa.sa_flags = SA_SIGINFO;
    if (mask) {
        sa.sa_mask = *mask;
    } else {
        sigemptyset(&sa.sa_mask);
    }
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void test_send(void)
{
    union sigval v;

    CHECK(SIGRTMAX == 64);
    on(63, NULL);
    on(64, NULL);

    norder = 0;
    CHECK(kill(getpid(), 63) == 0);
    CHECK(norder == 1 && order[0] == 63 && codes[0] == SI_USER &&
          pids[0] == getpid());
    norder = 0;
    CHECK(syscall(SYS_tgkill, getpid(), gettid(), 64) == 0);
    CHECK(norder == 1 && order[0] == 64 && codes[0] == SI_TKILL);
    norder = 0;
    v.sival_int = 6363;
    CHECK(sigqueue(getpid(), 63, v) == 0);
    v.sival_int = 6464;
    CHECK(sigqueue(getpid(), SIGRTMAX, v) == 0);
    CHECK(norder == 2 && order[0] == 63 && values[0] == 6363 &&
          codes[0] == SI_QUEUE && order[1] == 64 && values[1] == 6464);
    printf("63, 64: kill, tgkill, sigqueue reach their handlers\n");
}

static void test_blocked(void)
{
    sigset_t set, pend;
    siginfo_t si;
    struct timespec zero = {0, 0};
    union sigval v;

    sigemptyset(&set);
    sigaddset(&set, 63);
    sigaddset(&set, 64);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    norder = 0;
    v.sival_int = 1;
    CHECK(sigqueue(getpid(), 64, v) == 0);
    v.sival_int = 2;
    CHECK(sigqueue(getpid(), 63, v) == 0);
    v.sival_int = 3;
    CHECK(sigqueue(getpid(), 63, v) == 0);
    CHECK(norder == 0);
    CHECK(sigpending(&pend) == 0);
    CHECK(sigismember(&pend, 63) == 1 && sigismember(&pend, 64) == 1);
    CHECK(sigismember(&pend, 62) == 0);

    /* sigtimedwait: lowest first, instances in order. */
    memset(&si, 0, sizeof(si));
    CHECK(sigtimedwait(&set, &si, &zero) == 63);
    CHECK(si.si_signo == 63 && si.si_value.sival_int == 2 &&
          si.si_code == SI_QUEUE && si.si_pid == getpid());
    CHECK(sigtimedwait(&set, &si, &zero) == 63);
    CHECK(si.si_value.sival_int == 3);
    CHECK(sigpending(&pend) == 0);
    CHECK(sigismember(&pend, 63) == 0 && sigismember(&pend, 64) == 1);

    /* Unblocking delivers the rest. */
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    CHECK(norder == 1 && order[0] == 64 && values[0] == 1);
    errno = 0;
    CHECK(sigtimedwait(&set, &si, &zero) == -1 && errno == EAGAIN);
    printf("63, 64: blocked, pending, sigtimedwait, unblocked\n");
}

/* Lower real-time signals pending at the same time come first. */
static void test_order(void)
{
    int sigs[4] = {64, 63, SIGRTMIN + 5, SIGRTMIN};
    sigset_t set;
    siginfo_t si;
    struct timespec zero = {0, 0};
    union sigval v;

    sigemptyset(&set);
    for (int i = 0; i < 4; i++) {
        sigaddset(&set, sigs[i]);
    }
    for (int i = 0; i < 4; i++) {
        on(sigs[i], &set); /* each handler blocks the others: no nesting */
    }
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    norder = 0;
    for (int i = 0; i < 4; i++) {
        v.sival_int = i;
        CHECK(sigqueue(getpid(), sigs[i], v) == 0);
    }
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    CHECK(norder == 4);
    for (int i = 0; i < 4 && i < norder; i++) {
        CHECK(order[i] == sigs[3 - i] && values[i] == 3 - i);
    }

    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    for (int i = 0; i < 4; i++) {
        v.sival_int = i;
        CHECK(sigqueue(getpid(), sigs[i], v) == 0);
    }
    for (int i = 3; i >= 0; i--) {
        CHECK(sigtimedwait(&set, &si, &zero) == sigs[i]);
        CHECK(si.si_value.sival_int == i);
    }
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    printf("63, 64 after lower real-time signals\n");
}

static void test_ign_dfl(void)
{
    int status;
    pid_t pid;

    CHECK(signal(63, SIG_IGN) != SIG_ERR);
    CHECK(kill(getpid(), 63) == 0);
    for (int sig = 63; sig <= 64; sig++) {
        pid = fork();
        if (pid == 0) {
            signal(sig, SIG_DFL);
            kill(getpid(), sig);
            _exit(0);
        }
        CHECK(waitpid(pid, &status, 0) == pid);
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig);
    }
    printf("63 ignored; 63, 64 terminate by default\n");
}

int main(void)
{
    test_send();
    test_blocked();
    test_order();
    test_ign_dfl();
    return guest_done("sig_rt64");
}
