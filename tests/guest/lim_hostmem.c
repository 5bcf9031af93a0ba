/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Run by run-hostlimit.sh under a small host RLIMIT_AS (hard limit):
 * start threads that each translate fresh code and then wait, and
 * translate fresh code in the main thread, until thread creation fails
 * (EAGAIN, as Linux answers when a thread's stack cannot be mapped) or
 * 400 threads run (or argv[1] threads).  ctcg must end cleanly either way: this program's own
 * exit 0 (it prints how far it got on stderr), or ctcg's "out of host
 * memory" exit, never a host signal, an abort or a hang.  Then the
 * threads end by themselves and are joined.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#include "guest.h"

static int gate[2];

/* li a0, @n; ret in a new page, run once. */
static int run_new_code(int n)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (code == MAP_FAILED) {
        return -1;
    }
    code[0] = 0x00000513 | ((uint32_t)(n & 0x7ff) << 20);
    code[1] = 0x00008067;
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    return ((int (*)(void))code)();
}

static void *worker(void *arg)
{
    char c;

    run_new_code((int)(intptr_t)arg);
    if (read(gate[0], &c, 1) < 0) {
        return NULL;
    }
    return arg;
}

int main(int argc, char **argv)
{
    pthread_t t[400];
    pthread_attr_t attr;
    int n = 0, err = 0, bad = 0;

    CHECK(pipe(gate) == 0);
    /* small guest stacks: the host's memory runs out first */
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, 64 * 1024);
    for (n = 0; n < (argc > 1 ? atoi(argv[1]) : 400); n++) {
        if (run_new_code(n) != (n & 0x7ff)) {
            bad++;
        }
        err = pthread_create(&t[n], &attr, worker, (void *)(intptr_t)n);
        if (err) {
            break;
        }
    }
    CHECK(err == 0 || err == EAGAIN || err == ENOMEM);
    CHECK(bad == 0);
    fprintf(stderr, "lim_hostmem: %d threads (%s)\n", n,
            err ? strerror(err) : "no failure");
    /*
     * The threads end by themselves and are joined, under the limit: a
     * host thread that ended with pthread_exit() could make glibc abort
     * there (it could not load its unwinder); ctcg's threads now return
     * from their start routine instead (thread.c).
     */
    close(gate[1]); /* every worker's read() returns 0 */
    for (int i = 0; i < n; i++) {
        void *ret = NULL;

        CHECK(pthread_join(t[i], &ret) == 0 && ret == (void *)(intptr_t)i);
    }
    return guest_done("lim_hostmem");
}
