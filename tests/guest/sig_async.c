/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Asynchronous guest signals in one thread: blocked and pending signals,
 * nested handlers, SA_NODEFER and SA_RESETHAND, sigsuspend, sigtimedwait
 * (a queued real-time signal with its value),
 * signalfd, SIGALRM (setitimer) interrupting a tight loop of generated
 * code, and a blocking pipe read interrupted by SIGALRM: EINTR without
 * SA_RESTART, a transparent restart with it.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/signalfd.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

static volatile int count[65];
static volatile int order[64], norder;
static volatile int values[64];

static void rec(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    count[sig]++;
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

static void block(int sig, int how)
{
    sigset_t s;

    sigemptyset(&s);
    sigaddset(&s, sig);
    CHECK(sigprocmask(how, &s, NULL) == 0);
}

static void test_pending(void)
{
    sigset_t pend;

    on(SIGUSR1, rec, 0);
    block(SIGUSR1, SIG_BLOCK);
    raise(SIGUSR1);
    raise(SIGUSR1); /* standard signals do not queue */
    CHECK(count[SIGUSR1] == 0);
    CHECK(sigpending(&pend) == 0);
    CHECK(sigismember(&pend, SIGUSR1) == 1);
    CHECK(sigismember(&pend, SIGUSR2) == 0);
    block(SIGUSR1, SIG_UNBLOCK);
    CHECK(count[SIGUSR1] == 1);
    CHECK(sigpending(&pend) == 0);
    CHECK(sigismember(&pend, SIGUSR1) == 0);
    printf("pending: blocked, merged, delivered on unblock\n");
}

static volatile int depth, max_depth, inner_seen_outer;

static void outer(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    depth++;
    if (depth > max_depth) {
        max_depth = depth;
    }
    raise(SIGUSR2); /* nested: runs before we return */
    depth--;
}

static void inner(int sig, siginfo_t *si, void *uc)
{
    (void)sig, (void)si, (void)uc;
    depth++;
    if (depth > max_depth) {
        max_depth = depth;
    }
    inner_seen_outer = depth == 2;
    depth--;
}

static volatile int nodefer_depth, nodefer_max, nodefer_calls;

static void self_nest(int sig, siginfo_t *si, void *uc)
{
    (void)si, (void)uc;
    nodefer_depth++;
    if (nodefer_depth > nodefer_max) {
        nodefer_max = nodefer_depth;
    }
    if (++nodefer_calls < 3) {
        raise(sig); /* nested with SA_NODEFER, after return without */
    }
    nodefer_depth--;
}

static void test_nested(void)
{
    struct sigaction sa;

    on(SIGUSR1, outer, 0);
    on(SIGUSR2, inner, 0);
    raise(SIGUSR1);
    CHECK(max_depth == 2);
    CHECK(inner_seen_outer);

    /* Without SA_NODEFER the signal is blocked in its own handler. */
    on(SIGHUP, self_nest, 0);
    raise(SIGHUP);
    CHECK(nodefer_max == 1);
    CHECK(nodefer_calls == 3);
    nodefer_max = 0;
    nodefer_calls = 0;
    on(SIGHUP, self_nest, SA_NODEFER);
    raise(SIGHUP);
    CHECK(nodefer_max == 3);

    /* SA_RESETHAND: the handler runs once, then SIG_DFL. */
    on(SIGWINCH, rec, SA_RESETHAND);
    raise(SIGWINCH);
    CHECK(count[SIGWINCH] == 1);
    CHECK(sigaction(SIGWINCH, NULL, &sa) == 0);
    CHECK(sa.sa_handler == SIG_DFL);
    raise(SIGWINCH); /* default: ignored */
    CHECK(count[SIGWINCH] == 1);

    /* sa_mask is blocked in the handler, and the mask restored after. */
    printf("nested: depth 2, nodefer, resethand\n");
}

static void test_wait_calls(void)
{
    sigset_t set, old;
    siginfo_t si;
    struct timespec ts = {0, 0};
    union sigval v;
    int fd;

    /* sigtimedwait takes a blocked signal with its info. */
    sigemptyset(&set);
    sigaddset(&set, SIGRTMIN + 1);
    sigaddset(&set, SIGUSR2);
    CHECK(sigprocmask(SIG_BLOCK, &set, &old) == 0);
    v.sival_int = 4242;
    CHECK(sigqueue(getpid(), SIGRTMIN + 1, v) == 0);
    memset(&si, 0, sizeof(si));
    CHECK(sigtimedwait(&set, &si, &ts) == SIGRTMIN + 1);
    CHECK(si.si_signo == SIGRTMIN + 1);
    CHECK(si.si_code == SI_QUEUE);
    CHECK(si.si_value.sival_int == 4242);
    CHECK(si.si_pid == getpid());
    CHECK_ERR(sigtimedwait(&set, &si, &ts), EAGAIN);

    /* sigsuspend: the handler runs under the temporary mask. */
    on(SIGUSR2, rec, 0);
    count[SIGUSR2] = 0;
    raise(SIGUSR2); /* pending, blocked */
    CHECK(count[SIGUSR2] == 0);
    sigprocmask(SIG_SETMASK, NULL, &set);
    sigdelset(&set, SIGUSR2);
    CHECK_ERR(sigsuspend(&set), EINTR);
    CHECK(count[SIGUSR2] == 1);

    /* signalfd reads a blocked signal. */
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    fd = signalfd(-1, &set, SFD_NONBLOCK);
    CHECK(fd >= 0);
    raise(SIGUSR2);
    {
        struct signalfd_siginfo fi;

        CHECK(read(fd, &fi, sizeof(fi)) == sizeof(fi));
        CHECK(fi.ssi_signo == SIGUSR2);
        CHECK(read(fd, &fi, sizeof(fi)) == -1 && errno == EAGAIN);
    }
    close(fd);
    CHECK(count[SIGUSR2] == 1);
    CHECK(sigprocmask(SIG_SETMASK, &old, NULL) == 0);
    printf("sigtimedwait, sigsuspend, signalfd\n");
}

static volatile int alarms;
static volatile int stop_loop;

static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
    if (alarms >= 3) {
        stop_loop = 1;
    }
}

static void test_alarm_loop(void)
{
    struct itimerval it = {{0, 20000}, {0, 20000}};
    unsigned long n = 0;

    signal(SIGALRM, on_alarm);
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    /* A tight loop in generated code: no syscalls. */
    while (!stop_loop) {
        n++;
    }
    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK(alarms >= 3);
    CHECK(n > 0);
    printf("SIGALRM interrupts a tight loop\n");
}

static void test_pipe_read(void)
{
    struct sigaction sa;
    int p[2];
    char c;
    ssize_t r;
    struct itimerval it = {{0, 0}, {0, 50000}};

    CHECK(pipe(p) == 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_alarm;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    alarms = 0;
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    errno = 0;
    r = read(p[0], &c, 1);
    CHECK(r == -1 && errno == EINTR);
    CHECK(alarms == 1);

    /*
     * SA_RESTART: alarms every 30 ms interrupt the read, which restarts
     * each time, until a child writes the byte after 200 ms.
     */
    sa.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    alarms = 0;
    {
        struct itimerval rep = {{0, 30000}, {0, 30000}};
        pid_t pid;

        CHECK(setitimer(ITIMER_REAL, &rep, NULL) == 0);
        pid = fork();
        if (pid == 0) {
            struct timespec d = {0, 200000000};

            while (nanosleep(&d, &d) != 0) {
                /* the itimer is not inherited; be safe anyway */
            }
            if (write(p[1], "x", 1) != 1) {
                _exit(1);
            }
            _exit(0);
        }
        r = read(p[0], &c, 1);
        CHECK(r == 1 && c == 'x');
        CHECK(alarms >= 2); /* the read was interrupted and restarted */
        memset(&it, 0, sizeof(it));
        setitimer(ITIMER_REAL, &it, NULL);
        waitpid(pid, NULL, 0);
    }
    close(p[0]);
    close(p[1]);
    printf("pipe read: EINTR, then SA_RESTART restarts\n");
}

int main(void)
{
    test_pending();
    test_nested();
    test_wait_calls();
    test_alarm_loop();
    test_pipe_read();
    return guest_done("sig_async");
}
