/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fork() from a multi-threaded process: while 4 threads spin on atomics
 * and 2 ping-pong through a mutex, the main thread forks children (and
 * threads fork too); each child runs single-threaded, creates threads of
 * its own, checks a mutex that was held by another thread is usable after
 * pthread_atfork handling, and exits with a status the parent checks.
 */
#include <stdatomic.h>
#include <sys/wait.h>
#include <unistd.h>
#include "stress.h"

#define FORKS 40

static _Atomic int stop;
static _Atomic long spins;
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long shared;

static void *spinner(void *unused)
{
    (void)unused;
    while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
        atomic_fetch_add_explicit(&spins, 1, memory_order_relaxed);
        pthread_mutex_lock(&mtx);
        shared++;
        pthread_mutex_unlock(&mtx);
    }
    return NULL;
}

static void *child_thread(void *p)
{
    return (void *)((intptr_t)p * 2);
}

static int child_body(int k)
{
    pthread_t t[4];
    long sum = 0;

    /* The parent's mutex is ours now (atfork handlers reset it). */
    pthread_mutex_lock(&mtx);
    shared = -1;
    pthread_mutex_unlock(&mtx);
    for (int i = 0; i < 4; i++) {
        xcreate(&t[i], child_thread, (void *)(intptr_t)(i + k));
    }
    for (int i = 0; i < 4; i++) {
        sum += (intptr_t)xjoin(t[i]);
    }
    if (sum != 2 * (4 * k + 6)) {
        return 100;
    }
    return k % 50 + 1;
}

static void fork_and_check(int k)
{
    pid_t pid;
    int status;

    pthread_mutex_lock(&mtx);   /* fork with the lock held: */
    pid = fork();               /* the child inherits it held */
    if (pid == 0) {
        pthread_mutex_unlock(&mtx);
        _exit(child_body(k));
    }
    pthread_mutex_unlock(&mtx);
    CHECK(pid > 0, "fork: %s", strerror(errno));
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == k % 50 + 1,
          "child %d: status %#x", k, status);
}

static void *forker(void *p)
{
    int base = (int)(intptr_t)p;
    for (int k = 0; k < FORKS / 4; k++) {
        fork_and_check(base + k);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[4], f[2];

    for (int i = 0; i < 4; i++) {
        xcreate(&t[i], spinner, NULL);
    }
    for (int k = 0; k < FORKS / 2; k++) {
        fork_and_check(k);
    }
    xcreate(&f[0], forker, (void *)(intptr_t)1000);
    xcreate(&f[1], forker, (void *)(intptr_t)2000);
    xjoin(f[0]);
    xjoin(f[1]);
    atomic_store(&stop, 1);
    for (int i = 0; i < 4; i++) {
        xjoin(t[i]);
    }
    CHECK(shared >= 0, "a child's write showed in the parent");
    printf("fork-threads: %d forks from a 5-thread process: OK\n", FORKS);
    return 0;
}
