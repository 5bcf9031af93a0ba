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
#include <dirent.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "guest.h"

#define ROUNDS 240

/*
 * For a failure seen once (docs/testing.md): the signal state of each host
 * thread of the stuck child (blocked, pending for the thread and shared),
 * on stderr, before it is killed.
 */
static void dump_child_signals(pid_t pid)
{
    char path[320], line[256];
    struct dirent *d;
    DIR *dir;

    snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
    dir = opendir(path);
    if (dir == NULL) {
        return;
    }
    while ((d = readdir(dir)) != NULL) {
        FILE *f;

        if (d->d_name[0] == '.') {
            continue;
        }
        snprintf(path, sizeof(path), "/proc/%d/task/%s/status", (int)pid,
                 d->d_name);
        f = fopen(path, "r");
        while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
            if (!strncmp(line, "Sig", 3) || !strncmp(line, "ShdPnd", 6) ||
                !strncmp(line, "State", 5) || !strncmp(line, "Name", 4)) {
                fprintf(stderr, "  task %s %s", d->d_name, line);
            }
        }
        if (f != NULL) {
            fclose(f);
        }
    }
    closedir(dir);
}

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
    /* A shell's background job (`cmd &` without job control) starts with
     * SIGQUIT ignored, which fork keeps: the children must die of it. */
    for (int i = 0; i < 3; i++) {
        signal(sigs[i], SIG_DFL);
    }
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
            dump_child_signals(pid);
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
