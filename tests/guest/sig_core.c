/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Core-dumping default actions: a child that abort()s, faults, or is
 * killed with each signal whose default is a core dump (SIGQUIT, SIGILL,
 * SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS, SIGXCPU, SIGXFSZ)
 * dies of it with the core bit in its wait status (WCOREDUMP) and
 * CLD_DUMPED in waitid when RLIMIT_CORE allows a dump, and without them
 * when RLIMIT_CORE is 0 (LTP's abort01, kill11, waitid10).  ctcg used to
 * set RLIMIT_CORE to 0 before dying, so the bit was never set.
 *
 * Runs in a private directory (core_pattern "core" writes the files
 * there; they are removed).  The host's core_pattern decides whether a
 * dump is written, as under Linux: with a pipe ("|...") the checks of the
 * bit are skipped, as they depend on the helper.
 *
 * Run under ctcg only: qemu-riscv64 7.2 sometimes reports another signal
 * than the one sent to a child that has just forked (as in sig_forkkill),
 * about one run in ten on a busy machine.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "guest.h"

static const int core_sigs[] = {SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, SIGBUS,
                                SIGFPE,  SIGSEGV, SIGSYS,  SIGXCPU, SIGXFSZ};

static void set_core_limit(rlim_t cur)
{
    struct rlimit r;

    CHECK(getrlimit(RLIMIT_CORE, &r) == 0);
    r.rlim_cur = cur == RLIM_INFINITY ? r.rlim_max : cur;
    CHECK(setrlimit(RLIMIT_CORE, &r) == 0);
}

/* A child killed by the parent with @sig (@how 0), or abort()ing (1). */
static int child_status(int sig, int how, int use_waitid, int *code)
{
    int status = -1;
    pid_t pid = fork();

    if (pid == 0) {
        if (how == 1) {
            abort();
        }
        if (how == 2) {
            volatile int *volatile bad = (int *)8;

            *bad = 1;
        }
        for (;;) {
            pause();
        }
    }
    if (how == 0) {
        kill(pid, sig);
    }
    if (use_waitid) {
        siginfo_t si = {0};

        CHECK(waitid(P_PID, pid, &si, WEXITED) == 0);
        *code = si.si_code;
        status = si.si_status;
    } else {
        CHECK(waitpid(pid, &status, 0) == pid);
    }
    unlink("core");
    return status;
}

static void check_all(int want_core, int check_bit)
{
    int code = 0, st;

    for (unsigned i = 0; i < sizeof(core_sigs) / sizeof(core_sigs[0]); i++) {
        st = child_status(core_sigs[i], 0, 0, &code);
        CHECK(WIFSIGNALED(st) && WTERMSIG(st) == core_sigs[i]);
        CHECK(!check_bit || !!WCOREDUMP(st) == want_core);
        st = child_status(core_sigs[i], 0, 1, &code);
        CHECK(st == core_sigs[i]);
        CHECK(!check_bit || code == (want_core ? CLD_DUMPED : CLD_KILLED));
    }
    st = child_status(SIGABRT, 1, 0, &code);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
    CHECK(!check_bit || !!WCOREDUMP(st) == want_core);
    st = child_status(SIGSEGV, 2, 1, &code);
    CHECK(st == SIGSEGV);
    CHECK(!check_bit || code == (want_core ? CLD_DUMPED : CLD_KILLED));
    /* A signal whose default is not a core dump never sets the bit. */
    st = child_status(SIGTERM, 0, 0, &code);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM && !WCOREDUMP(st));
}

int main(void)
{
    char pattern[256] = "";
    int fd = open("/proc/sys/kernel/core_pattern", O_RDONLY), pipe_pattern;
    char *dir = guest_tmpdir();

    if (fd >= 0) {
        CHECK(read(fd, pattern, sizeof(pattern) - 1) >= 0);
        close(fd);
    }
    pipe_pattern = pattern[0] == '|';
    CHECK(chdir(dir) == 0);
    /* A shell's background job (`cmd &` without job control) starts with
     * SIGINT and SIGQUIT ignored, which fork keeps: the children must die
     * of what they are sent. */
    for (size_t i = 0; i < sizeof(core_sigs) / sizeof(core_sigs[0]); i++) {
        signal(core_sigs[i], SIG_DFL);
    }

    set_core_limit(0);
    check_all(0, 1);
    set_core_limit(RLIM_INFINITY);
    check_all(1, !pipe_pattern);
    set_core_limit(0);

    CHECK(chdir("/") == 0);
    CHECK(rmdir(dir) == 0);
    printf("core signals: %s\n",
           pipe_pattern ? "bit checks skipped (pipe core_pattern)" : "checked");
    return guest_done("sig_core");
}
