/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exit() racing with thread creation: each of 40 forked children keeps
 * creating, joining and detaching threads from 4 threads while another
 * thread calls exit(N) after a short delay.  The child must end, with
 * status N, whatever was being created or torn down at that moment.
 */
#include <sys/wait.h>
#include <unistd.h>
#include "stress.h"

#define CHILDREN 40

static int k;

static void *noop(void *arg)
{
    return arg;
}

static void *creator(void *arg)
{
    for (;;) {
        pthread_t t;
        if (pthread_create(&t, NULL, noop, NULL) == 0) {
            pthread_join(t, NULL);
        }
    }
    return arg;
}

static void *exiter(void *arg)
{
    struct timespec ts = { 0, (k % 20) * 200000 };
    nanosleep(&ts, NULL);
    exit(k % 100 + 1);
    return arg;
}

static void child(void)
{
    pthread_t t;

    for (int i = 0; i < 3; i++) {
        xcreate(&t, creator, NULL);
    }
    xcreate(&t, exiter, NULL);
    for (;;) {
        if (pthread_create(&t, NULL, noop, NULL) == 0) {
            pthread_detach(t);
        }
    }
}

int main(void)
{
    for (k = 0; k < CHILDREN; k++) {
        int status;
        int64_t t0 = now_ns(CLOCK_MONOTONIC);
        pid_t pid = fork();

        if (pid == 0) {
            child();
        }
        CHECK(pid > 0, "fork: %s", strerror(errno));
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s",
              strerror(errno));
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == k % 100 + 1,
              "child %d: status %#x, want exit %d", k, status, k % 100 + 1);
        int64_t ms = (now_ns(CLOCK_MONOTONIC) - t0) / 1000000;
        CHECK(ms < 10000, "child %d took %lld ms to exit", k, (long long)ms);
    }
    printf("exit-race: %d children exited while creating threads: OK\n",
           CHILDREN);
    return 0;
}
