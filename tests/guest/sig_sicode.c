/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The si_code (and si_pid/si_uid, si_status, si_fd where they apply) of
 * every way a process sends itself a signal, seen by an SA_SIGINFO
 * handler, as Linux fills them:
 *  - kill: SI_USER; raise, tkill, tgkill: SI_TKILL (issue 13: ctcg gave
 *    SI_USER for these);
 *  - sigqueue and rt_sigqueueinfo with SI_QUEUE: SI_QUEUE and the value;
 *  - alarm and setitimer(ITIMER_REAL): SI_KERNEL;
 *  - a POSIX timer (SIGEV_SIGNAL): SI_TIMER with the value;
 *  - a write to a pipe without readers: SIGPIPE, SI_USER from ourselves;
 *  - F_SETSIG on a pipe: the chosen signal with POLL_IN and si_fd;
 *  - SIGCHLD: CLD_EXITED with the status, CLD_KILLED with the signal.
 * The codes ctcg makes itself for faults are checked by sig_fault,
 * sig_buseof and sig_noexec.  The same program built natively for x86-64
 * prints the same lines; compared with qemu-riscv64, which agrees.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

static volatile sig_atomic_t got;
static siginfo_t last;

static void rec(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    last = *si;
    got++;
}

static void on(int sig)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = rec;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

/* Wait (up to 5 s) for one more signal; did it come with @code? */
static int wait_code(const char *what, int sig, int code)
{
    for (int i = 0; i < 5000 && !got; i++) {
        usleep(1000);
    }
    if (got != 1 || last.si_signo != sig || last.si_code != code) {
        fprintf(stderr, "%s: got %d, signo %d code %d, want %d %d\n", what,
                (int)got, last.si_signo, last.si_code, sig, code);
        guest_failures++;
        got = 0;
        return 0;
    }
    got = 0;
    printf("%s: si_code %d\n", what, code);
    return 1;
}

static void test_senders(void)
{
    union sigval v = {.sival_int = 4242};
    siginfo_t qi;

    on(SIGUSR1);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    if (wait_code("kill", SIGUSR1, SI_USER)) {
        CHECK(last.si_pid == getpid() && last.si_uid == getuid());
    }
    CHECK(raise(SIGUSR1) == 0);
    if (wait_code("raise", SIGUSR1, SI_TKILL)) {
        CHECK(last.si_pid == getpid() && last.si_uid == getuid());
    }
    CHECK(syscall(SYS_tkill, gettid(), SIGUSR1) == 0);
    wait_code("tkill", SIGUSR1, SI_TKILL);
    CHECK(syscall(SYS_tgkill, getpid(), gettid(), SIGUSR1) == 0);
    wait_code("tgkill", SIGUSR1, SI_TKILL);
    CHECK(sigqueue(getpid(), SIGUSR1, v) == 0);
    if (wait_code("sigqueue", SIGUSR1, SI_QUEUE)) {
        CHECK(last.si_value.sival_int == 4242);
    }
    memset(&qi, 0, sizeof(qi));
    qi.si_signo = SIGUSR1;
    qi.si_code = SI_QUEUE;
    qi.si_pid = getpid();
    qi.si_uid = getuid();
    qi.si_value.sival_int = 77;
    CHECK(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &qi) == 0);
    if (wait_code("rt_sigqueueinfo", SIGUSR1, SI_QUEUE)) {
        CHECK(last.si_value.sival_int == 77);
    }
}

static void test_timers(void)
{
    struct itimerval it = {{0, 0}, {0, 20000}};
    struct sigevent ev;
    struct itimerspec ts = {{0, 0}, {0, 20000000}};
    timer_t t;

    on(SIGALRM);
    alarm(1);
    wait_code("alarm", SIGALRM, SI_KERNEL);
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    wait_code("setitimer", SIGALRM, SI_KERNEL);
    memset(&ev, 0, sizeof(ev));
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGUSR2;
    ev.sigev_value.sival_int = 99;
    on(SIGUSR2);
    CHECK(timer_create(CLOCK_MONOTONIC, &ev, &t) == 0);
    CHECK(timer_settime(t, 0, &ts, NULL) == 0);
    if (wait_code("timer", SIGUSR2, SI_TIMER)) {
        CHECK(last.si_value.sival_int == 99);
    }
    timer_delete(t);
}

static void test_io(void)
{
    int p[2];
    char c = 'x';

    on(SIGPIPE);
    CHECK(pipe(p) == 0);
    close(p[0]);
    CHECK_ERR(write(p[1], &c, 1), EPIPE);
    if (wait_code("SIGPIPE", SIGPIPE, SI_USER)) {
        CHECK(last.si_pid == getpid());
    }
    close(p[1]);

    on(SIGRTMIN + 1);
    CHECK(pipe(p) == 0);
    CHECK(fcntl(p[0], F_SETOWN, getpid()) == 0);
    CHECK(fcntl(p[0], F_SETSIG, SIGRTMIN + 1) == 0);
    CHECK(fcntl(p[0], F_SETFL, O_ASYNC | O_NONBLOCK) == 0);
    CHECK(write(p[1], &c, 1) == 1);
    if (wait_code("F_SETSIG", SIGRTMIN + 1, POLL_IN)) {
        CHECK(last.si_fd == p[0]);
    }
    close(p[0]);
    close(p[1]);
}

static void test_child(void)
{
    sigset_t blk, old;
    pid_t pid;
    int st;

    on(SIGCHLD);
    sigemptyset(&blk);
    sigaddset(&blk, SIGCHLD);
    pid = fork();
    if (pid == 0) {
        _exit(7);
    }
    if (wait_code("CLD_EXITED", SIGCHLD, CLD_EXITED)) {
        CHECK(last.si_pid == pid && last.si_status == 7);
    }
    CHECK(waitpid(pid, &st, 0) == pid);
    sigprocmask(SIG_BLOCK, &blk, &old);
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    CHECK(kill(pid, SIGTERM) == 0);
    if (wait_code("CLD_KILLED", SIGCHLD, CLD_KILLED)) {
        CHECK(last.si_pid == pid && last.si_status == SIGTERM);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st));
}

int main(void)
{
    test_senders();
    test_timers();
    test_io();
    test_child();
    return guest_done("sig_sicode");
}
