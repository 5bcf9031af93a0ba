/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Process misc: fork + wait4/waitid exit statuses, kill with a default
 * disposition, prctl names and flags, guest signal dispositions and masks
 * read back (rt_sigaction, rt_sigprocmask, sigaltstack), SIG_IGN SIGPIPE
 * giving EPIPE, personality, exit status of a child's exit_group.
 */
#include <signal.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "guest.h"

static void handler(int sig)
{
    (void)sig;
}

static void test_fork(void)
{
    int status = 0;
    siginfo_t si;
    struct rusage ru;
    pid_t pid = fork();

    if (pid == 0) {
        _exit(42);
    }
    CHECK(pid > 0);
    CHECK(wait4(pid, &status, 0, &ru) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 42);
    pid = fork();
    if (pid == 0) {
        pause();
        _exit(0);
    }
    CHECK(kill(pid, SIGTERM) == 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    pid = fork();
    if (pid == 0) {
        exit(7);
    }
    memset(&si, 0, sizeof(si));
    CHECK(waitid(P_PID, pid, &si, WEXITED) == 0);
    CHECK(si.si_pid == pid && si.si_code == CLD_EXITED && si.si_status == 7);
    CHECK_ERR(waitpid(-1, &status, WNOHANG), ECHILD);
    printf("fork, wait: done\n");
}

static void test_prctl(void)
{
    char name[16] = "";
    int sig = -1;

    CHECK(prctl(PR_SET_NAME, "guest-test", 0, 0, 0) == 0);
    CHECK(prctl(PR_GET_NAME, name, 0, 0, 0) == 0);
    printf("name: %s\n", name);
    CHECK(prctl(PR_SET_PDEATHSIG, SIGUSR2, 0, 0, 0) == 0);
    CHECK(prctl(PR_GET_PDEATHSIG, &sig, 0, 0, 0) == 0 && sig == SIGUSR2);
    CHECK(prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) == 0);
    CHECK(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) >= 0);
    CHECK_ERR(prctl(9999, 0, 0, 0, 0), EINVAL);
    printf("prctl: done\n");
}

static void test_signals(void)
{
    struct sigaction sa, old;
    sigset_t set, cur;
    stack_t ss, oss;
    int p[2];
    static char stack[16384];

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
    CHECK(sigaction(SIGUSR1, NULL, &old) == 0);
    CHECK(old.sa_handler == handler && (old.sa_flags & SA_RESTART));
    CHECK(sigismember(&old.sa_mask, SIGUSR2) == 1);
    CHECK_ERR(sigaction(SIGKILL, &sa, NULL), EINVAL);
    CHECK_ERR(sigaction(65, &sa, NULL), EINVAL);

    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0);
    CHECK(sigismember(&cur, SIGUSR1) == 1 && sigismember(&cur, SIGUSR2) == 0);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, &cur) == 0);
    CHECK(sigprocmask(SIG_SETMASK, NULL, &cur) == 0);
    CHECK(sigismember(&cur, SIGUSR1) == 0);
    CHECK(sigpending(&cur) == 0 && sigismember(&cur, SIGUSR1) == 0);

    ss.ss_sp = stack;
    ss.ss_size = sizeof(stack);
    ss.ss_flags = 0;
    CHECK(sigaltstack(&ss, NULL) == 0);
    CHECK(sigaltstack(NULL, &oss) == 0 && oss.ss_sp == stack);
    CHECK(oss.ss_size == sizeof(stack) && oss.ss_flags == 0);
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0);
    CHECK(sigaltstack(NULL, &oss) == 0 && oss.ss_flags == SS_DISABLE);

    CHECK(signal(SIGPIPE, SIG_IGN) != SIG_ERR);
    CHECK(pipe(p) == 0 && close(p[0]) == 0);
    CHECK_ERR(write(p[1], "x", 1), EPIPE);
    close(p[1]);
    CHECK(signal(SIGPIPE, SIG_DFL) == SIG_IGN);
    printf("signals: done\n");
}

int main(void)
{
    test_fork();
    test_prctl();
    test_signals();
    CHECK(personality(0xffffffff) == PER_LINUX);
    return guest_done("proc");
}
