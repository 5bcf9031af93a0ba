/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Default actions as a parent's wait sees them: children that raise
 * SIGTERM, fault (SIGSEGV), abort (SIGABRT), raise a real-time signal, are
 * killed by the parent, or ignore SIGTERM; stop and continue (SIGSTOP,
 * SIGTSTP, SIGCONT) with WUNTRACED/WCONTINUED; waitid's CLD_KILLED info.
 * Children that dump core set RLIMIT_CORE to 0 first, so that no core
 * file is written by any emulator.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "guest.h"

static void no_core(void)
{
    struct rlimit r = {0, 0};

    setrlimit(RLIMIT_CORE, &r);
}

static int child_status(void (*fn)(void))
{
    int status = -1;
    pid_t pid = fork();

    if (pid == 0) {
        no_core();
        fn();
        _exit(99);
    }
    CHECK(pid > 0);
    CHECK(waitpid(pid, &status, 0) == pid);
    return status;
}

static void do_term(void)
{
    raise(SIGTERM);
}

static void do_segv(void)
{
    volatile uintptr_t bad = 8;

    *(volatile int *)bad = 1;
}

static void do_abort(void)
{
    abort();
}

static void do_rt(void)
{
    raise(SIGRTMIN + 2);
}

static void do_ignored(void)
{
    signal(SIGTERM, SIG_IGN);
    raise(SIGTERM);
    _exit(7);
}

static void do_pipe(void)
{
    int p[2];

    if (pipe(p) != 0) {
        _exit(1);
    }
    close(p[0]);
    if (write(p[1], "x", 1) < 0) {
        _exit(2);
    }
}

static void check_signaled(const char *what, int status, int sig)
{
    CHECK(WIFSIGNALED(status));
    CHECK(WTERMSIG(status) == sig);
    printf("%s: killed by signal %s\n", what,
           WIFSIGNALED(status) && WTERMSIG(status) == sig ? "ok" : "WRONG");
}

static void test_terminate(void)
{
    int st;

    check_signaled("raise(SIGTERM)", child_status(do_term), SIGTERM);
    check_signaled("segfault", child_status(do_segv), SIGSEGV);
    check_signaled("abort", child_status(do_abort), SIGABRT);
    check_signaled("raise(SIGRTMIN+2)", child_status(do_rt), SIGRTMIN + 2);
    check_signaled("write to a closed pipe", child_status(do_pipe), SIGPIPE);
    st = child_status(do_ignored);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
    printf("ignored SIGTERM: exit 7\n");
}

static void test_kill_child(void)
{
    int p[2], status;
    char c;
    siginfo_t si;
    pid_t pid;

    CHECK(pipe(p) == 0);
    pid = fork();
    if (pid == 0) {
        /*
         * A process group of its own, whose parent is in another group of
         * the session: not orphaned, so SIGTSTP stops it (the kernel
         * discards SIGTSTP in an orphaned group, as under meson test).
         */
        setpgid(0, 0);
        close(p[0]);
        if (write(p[1], "r", 1) != 1) {
            _exit(1);
        }
        for (;;) {
            pause();
        }
    }
    close(p[1]);
    CHECK(read(p[0], &c, 1) == 1);
    close(p[0]);

    /* Stop and continue. */
    CHECK(kill(pid, SIGSTOP) == 0);
    CHECK(waitpid(pid, &status, WUNTRACED) == pid);
    CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGSTOP);
    CHECK(kill(pid, SIGCONT) == 0);
    CHECK(waitpid(pid, &status, WCONTINUED) == pid);
    CHECK(WIFCONTINUED(status));
    CHECK(kill(pid, SIGTSTP) == 0);
    CHECK(waitpid(pid, &status, WUNTRACED) == pid);
    CHECK(WIFSTOPPED(status) && WSTOPSIG(status) == SIGTSTP);
    CHECK(kill(pid, SIGCONT) == 0);
    printf("stop/continue: SIGSTOP, SIGCONT, SIGTSTP\n");

    /* Killed by the parent: waitid reports CLD_KILLED with the signal. */
    CHECK(kill(pid, SIGUSR1) == 0);
    memset(&si, 0, sizeof(si));
    CHECK(waitid(P_PID, pid, &si, WEXITED) == 0);
    CHECK(si.si_signo == SIGCHLD);
    CHECK(si.si_code == CLD_KILLED);
    CHECK(si.si_status == SIGUSR1);
    CHECK(si.si_pid == pid);
    printf("waitid: CLD_KILLED by SIGUSR1\n");
}

int main(void)
{
    test_terminate();
    test_kill_child();
    return guest_done("sig_exit");
}
