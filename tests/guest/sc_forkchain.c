/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A chain of processes, each forking once (the child forks again, the
 * parent waits), 8 deep.  The deepest one sleeps 300 ms and checks that
 * its process used (almost) no CPU time meanwhile: under ctcg, every
 * forked child used to carry a helper thread that spun for good
 * (liburcu's hash-table resize worker, restarted by the fork handler with
 * a stale futex word), so the chain got slower with each generation
 * (0.85 s at depth 10, 12.4 s at depth 42).  The deepest process looks
 * at the other host threads of its process in /proc/self/task (an
 * emulator's helper threads; none under Linux): one that is running or
 * runnable in 16 of 20 samples over 200 ms is a spinner, where an idle
 * thread sleeps.  Exit statuses travel back up the chain.
 */
#include <dirent.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

#define DEPTH 8

#define SAMPLES 20
#define MAX_TIDS 64

/* Count, per thread of this process but the caller, the samples in R. */
static int busiest_thread(void)
{
    static int tids[MAX_TIDS], busy[MAX_TIDS];
    struct timespec gap = {0, 10000000};
    int ntids = 0, most = 0;

    for (int n = 0; n < SAMPLES; n++) {
        DIR *d = opendir("/proc/self/task");
        struct dirent *de;

        while (d && (de = readdir(d)) != NULL) {
            int tid = atoi(de->d_name), i;
            char path[64], line[256], *p;
            FILE *f;

            if (tid <= 0 || tid == gettid()) {
                continue;
            }
            snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
            f = fopen(path, "r");
            if (f == NULL) {
                continue;
            }
            p = fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
            fclose(f);
            for (i = 0; i < ntids && tids[i] != tid; i++) {
            }
            if (i == ntids && ntids < MAX_TIDS) {
                tids[ntids++] = tid;
            }
            if (i < MAX_TIDS && p && p[1] == ' ' && p[2] == 'R') {
                busy[i]++;
            }
        }
        if (d) {
            closedir(d);
        }
        nanosleep(&gap, NULL);
    }
    for (int i = 0; i < ntids; i++) {
        most = busy[i] > most ? busy[i] : most;
    }
    return most;
}

int main(void)
{
    int depth, busy;

    for (depth = 0; depth < DEPTH; depth++) {
        pid_t pid = fork();
        int status = 0;

        if (pid < 0) {
            perror("fork");
            return 2;
        }
        if (pid > 0) {
            if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
                _exit(3);
            }
            if (depth > 0) {
                _exit(WEXITSTATUS(status));
            }
            CHECK(WEXITSTATUS(status) == 0);
            printf("chain of %d\n", DEPTH);
            return guest_done("sc_forkchain");
        }
    }
    busy = busiest_thread();
    if (busy >= SAMPLES * 4 / 5) {
        fprintf(stderr, "depth %d: a thread ran in %d of %d samples\n", depth,
                busy, SAMPLES);
        _exit(1);
    }
    _exit(0);
}
