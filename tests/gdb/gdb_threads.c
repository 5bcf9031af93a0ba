/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest program for the gdb tests (tests/gdb/run-gdb.sh): named worker
 * threads that each call work() (a breakpoint target), an FP computation
 * (fp_done), a variable gdb changes (poke: the program prints what it
 * sees), a variable written then read once (watched), and a SIGUSR1 it
 * sends itself (handler: on_usr1).  Built -O0 -g
 * so that locals, finish and next can be checked.  With the argument
 * "spin", the workers first spin until poke is 0 (for Ctrl-C; 20 s at most); with "fork",
 * a child process calls square() first and exits with its result - 2.
 * With "loop", main only calls tick() 25 times, each time after running
 * much libc code (formatting, parsing, sorting): the breakpoint-cost test.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define NTHREADS 3

volatile int poke = 1;
volatile int usr1_seen;
volatile long watched; /* written then read once: watchpoints */
volatile double fp_result;
static pthread_barrier_t barrier;
static int spin;

int square(int x)
{
    int r = x * x;

    return r;
}

void fp_done(double v)
{
    fp_result = v;
}

int work(int id)
{
    int local_id = id * 10;
    int sq = square(local_id);

    return sq + 1;
}

static void *worker(void *arg)
{
    int id = (int)(long)arg;
    char name[16];

    snprintf(name, sizeof(name), "worker-%d", id);
    pthread_setname_np(pthread_self(), name);
    pthread_barrier_wait(&barrier);
    if (spin) {
        struct timespec t0, t;

        clock_gettime(CLOCK_MONOTONIC, &t0);
        do {
            clock_gettime(CLOCK_MONOTONIC, &t);
        } while (t.tv_sec - t0.tv_sec < 20 && poke == 1);
    }
    return (void *)(long)work(id);
}

/* A breakpoint target in a loop of much code (the "loop" argument). */
int tick(int i)
{
    return i + 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static int loop_main(void)
{
    long total = 0;

    for (int i = 0; i < 25; i++) {
        char buf[256];
        double v[32];

        for (int j = 0; j < 32; j++) {
            snprintf(buf, sizeof(buf), "%.6e %s %x", (i * 32 + j) * 1.25,
                     j & 1 ? "odd" : "even", j * 977);
            v[j] = strtod(buf, NULL);
        }
        qsort(v, 32, sizeof(v[0]), cmp_double);
        total += (long)v[31] + tick(i);
    }
    printf("loop %ld\n", total);
    return 0;
}

static int closeall_main(void)
{
    struct rlimit lim;
    int open_fds = 0, dup_fail = 0;

    getrlimit(RLIMIT_NOFILE, &lim);
    syscall(SYS_close_range, 3, ~0U, 0);
    for (int fd = 3; fd < (int)lim.rlim_cur && fd < 65536; fd++) {
        close(fd);
        open_fds += fcntl(fd, F_GETFD) >= 0;
    }
    /* Up to near the limit: over the stub's numbers too (it moves). */
    for (int fd = 3; fd < (int)lim.rlim_cur - 8 && fd < 65536; fd++) {
        dup_fail += dup2(1, fd) != fd;
    }
    syscall(SYS_close_range, 3, ~0U, 0);
    printf("open %d dup2 failed %d\n", open_fds, dup_fail);
    printf("work %d\n", work(4));
    printf("poke %d\n", poke);
    return 0;
}

static void on_usr1(int sig)
{
    usr1_seen = sig;
}

int main(int argc, char **argv)
{
    pthread_t t[NTHREADS];
    long sum = 0;
    double a = 1.5, b = 2.25;

    if (argc > 1 && strcmp(argv[1], "loop") == 0) {
        return loop_main();
    }
    if (argc > 1 && strcmp(argv[1], "closeall") == 0) {
        return closeall_main();
    }
    spin = argc > 1 && strcmp(argv[1], "spin") == 0;
    if (argc > 1 && strcmp(argv[1], "fork") == 0) {
        int status;
        pid_t pid = fork();

        if (pid == 0) {
            _exit(square(3) - 2);
        }
        waitpid(pid, &status, 0);
        printf("child %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    signal(SIGUSR1, on_usr1);
    pthread_barrier_init(&barrier, NULL, NTHREADS + 1);
    for (long i = 0; i < NTHREADS; i++) {
        pthread_create(&t[i], NULL, worker, (void *)(i + 1));
    }
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < NTHREADS; i++) {
        void *r;

        pthread_join(t[i], &r);
        sum += (long)r;
    }
    fp_done(a * b);
    watched = sum;
    printf("sum %ld\n", sum);
    printf("watched %ld\n", watched);
    printf("poke %d\n", poke);
    raise(SIGUSR1);
    printf("usr1 %d\n", usr1_seen);
    printf("fp %g\n", fp_result);
    return 3;
}
