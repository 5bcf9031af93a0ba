// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * runwrap: run a command and write its wall time and resource usage to a
 * file, for bench/run.py.  It exists because a child forked from Python
 * inherits the interpreter's peak RSS (Linux keeps the high-water mark
 * across fork and exec): this small static program is the parent instead.
 *
 * usage: runwrap OUTFILE PROGRAM [ARGS...]
 * OUTFILE gets one line: "wall_s maxrss_kib user_s sys_s wait_status".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    struct timespec t0, t1;
    struct rusage ru;
    int status;
    pid_t pid;
    FILE *f;

    if (argc < 3) {
        fprintf(stderr, "usage: runwrap OUTFILE PROGRAM [ARGS...]\n");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid = fork();
    if (pid < 0) {
        perror("runwrap: fork");
        return 125;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("runwrap: exec");
        _exit(127);
    }
    if (wait4(pid, &status, 0, &ru) < 0) {
        perror("runwrap: wait4");
        return 125;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    f = fopen(argv[1], "w");
    if (f == NULL) {
        perror(argv[1]);
        return 125;
    }
    fprintf(f, "%.6f %ld %.6f %.6f %d\n",
            (double)(t1.tv_sec - t0.tv_sec) +
                (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
            ru.ru_maxrss,
            (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
            (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6,
            status);
    fclose(f);
    if (WIFEXITED(status)) {
        return WEXITSTATUS(status);
    }
    return 128 + WTERMSIG(status);
}
