/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Process exit while other threads run: they spin in tight loops (a
 * one-instruction self loop, a load/add loop) or block in read() on a
 * pipe, in FUTEX_WAIT and in pthread_join.  The process must end at once
 * with the status asked for.  Modes (argv[1]):
 *   main-exit     main calls exit(42)                      -> 42
 *   thread-exit   a non-main thread calls exit(7)          -> 7
 *   thread-group  a non-main thread calls SYS_exit_group 9 -> 9
 *   main-pexit    main calls pthread_exit; later another
 *                 thread calls exit(5)                     -> 5
 *   all-pexit     main calls pthread_exit; the other
 *                 threads return (glibc: exit(0))          -> 0
 */
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "stress.h"

static int pipefd[2];
static int futex_word;
static volatile long counter;
static pthread_t blocked_joiner_target;
static const char *mode;

static void *spin_self(void *unused)
{
    (void)unused;
    __asm__ volatile("1: j 1b");
    return NULL;
}

static void *spin_count(void *unused)
{
    (void)unused;
    for (;;) {
        counter++;
    }
    return NULL;
}

static void *block_read(void *unused)
{
    char c;
    (void)unused;
    ssize_t r = read(pipefd[0], &c, 1);
    fprintf(stderr, "read returned %zd\n", r);
    abort();
}

static void *block_futex(void *unused)
{
    (void)unused;
    for (;;) {
        syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    }
    return NULL;
}

static void *block_join(void *unused)
{
    (void)unused;
    xjoin(blocked_joiner_target);
    abort();
}

static void *exiter(void *unused)
{
    (void)unused;
    usleep(100000);
    printf("exit-threads %s: exiting\n", mode);
    fflush(stdout);
    if (strcmp(mode, "thread-group") == 0) {
        syscall(SYS_exit_group, 9);
    }
    exit(strcmp(mode, "main-pexit") == 0 ? 5 : 7);
}

static void *quick(void *unused)
{
    (void)unused;
    usleep(50000);
    return NULL;
}

static void atexit_handler(void)
{
    printf("exit-threads %s: atexit handler ran\n", mode);
}

int main(int argc, char **argv)
{
    pthread_t t;

    CHECK(argc == 2, "usage: exit-threads MODE");
    mode = argv[1];
    CHECK(pipe(pipefd) == 0, "pipe");
    atexit(atexit_handler);
    setvbuf(stdout, NULL, _IOFBF, 4096);

    if (strcmp(mode, "all-pexit") == 0) {
        for (int i = 0; i < 4; i++) {
            xcreate(&t, quick, NULL);
        }
        printf("exit-threads %s: main thread leaving\n", mode);
        fflush(stdout);
        pthread_exit(NULL);
    }

    for (int i = 0; i < 2; i++) {
        xcreate(&t, spin_self, NULL);
        xcreate(&t, spin_count, NULL);
        xcreate(&t, block_read, NULL);
        xcreate(&t, block_futex, NULL);
    }
    xcreate(&blocked_joiner_target, block_read, NULL);
    xcreate(&t, block_join, NULL);
    while (counter < 1000) {
        sched_yield();
    }
    if (strcmp(mode, "main-exit") == 0) {
        usleep(100000);
        printf("exit-threads %s: exiting\n", mode);
        exit(42);
    }
    CHECK(strcmp(mode, "thread-exit") == 0 ||
          strcmp(mode, "thread-group") == 0 ||
          strcmp(mode, "main-pexit") == 0, "unknown mode %s", mode);
    xcreate(&t, exiter, NULL);
    if (strcmp(mode, "main-pexit") == 0) {
        pthread_exit(NULL);
    }
    /* Block the main thread in pthread_join on a thread that never ends. */
    xjoin(blocked_joiner_target);
    abort();
}
