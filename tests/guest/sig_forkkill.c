/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A child killed right after fork, while it sits in pause(), with a
 * core-dumping signal (SIGQUIT, and SIGILL and SIGSEGV, which the
 * emulator's fault handler owns): it must die of that signal every time.
 * ctcg used to lose a signal that reached the child before it had reset
 * its signal state (the child then paused for good); a few hundred rounds
 * caught it.  Each wait has a 10 s watchdog, so a lost signal fails the
 * test rather than hanging it.  RLIMIT_CORE is 0: no core file, and no
 * core bit in the status.
 *
 * Not compared with qemu-riscv64 7.2: its children sometimes die of
 * another signal than the one sent (SIGSEGV for SIGILL).
 */
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "guest.h"

#define ROUNDS 240

static void on_alarm(int sig)
{
    (void)sig;
}

int main(void)
{
    static const int sigs[] = {SIGQUIT, SIGILL, SIGSEGV};
    struct rlimit r = {0, 0};
    struct sigaction sa = {0};

    CHECK(setrlimit(RLIMIT_CORE, &r) == 0);
    sa.sa_handler = on_alarm; /* no SA_RESTART: waitpid returns EINTR */
    sigaction(SIGALRM, &sa, NULL);
    for (int i = 0; i < ROUNDS && !guest_failures; i++) {
        int sig = sigs[i % 3], status = 0;
        pid_t pid = fork(), w;

        if (pid == 0) {
            for (;;) {
                pause();
            }
        }
        CHECK(pid > 0);
        CHECK(kill(pid, sig) == 0);
        alarm(10);
        w = waitpid(pid, &status, 0);
        alarm(0);
        if (w != pid) {
            fprintf(stderr, "round %d: signal %d lost, child still there\n", i,
                    sig);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            guest_failures++;
            break;
        }
        CHECK(WIFSIGNALED(status) && WTERMSIG(status) == sig);
        CHECK(!WCOREDUMP(status));
    }
    printf("%d rounds\n", ROUNDS);
    return guest_done("sig_forkkill");
}
