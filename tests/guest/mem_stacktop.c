/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thread stacks' top pages (linux-user/mmap.c, stack_top_populate__locked):
 * ctcg makes the top two pages of a private anonymous MAP_STACK mapping
 * when it becomes writable (glibc's pthread_create maps the stack
 * PROT_NONE and mprotects all but its guard page; without a guard it
 * maps it writable at once).  Here every pattern, those that qualify and
 * those that must not, checks what the guest can see: the pages read zero,
 * take stores, the guard and the pages below a one-page stack stay
 * inaccessible (SIGSEGV in a child), a shared mapping stays shared.  The
 * last line says how many mappings qualify: run-stacktop.sh runs this
 * with TCG_STATS=1 and wants ctcg's count of populated stack tops to be
 * exactly that (a rule that populates too much or too little fails it).
 * Compared with qemu-riscv64 as usual (which populates nothing).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include "guest.h"

#define PG 4096L
#define STACK_LEN (16 * PG)

static int qualify; /* mappings whose top pages ctcg makes */

/* All of [p, p + len) reads zero; then a store to each page sticks. */
static void check_fresh(const char *what, char *p, long len)
{
    long bad = 0;

    for (long i = 0; i < len; i++) {
        bad += p[i] != 0;
    }
    for (long i = 0; i < len; i += PG) {
        p[i] = (char)(i / PG + 1);
    }
    for (long i = 0; i < len; i += PG) {
        bad += p[i] != (char)(i / PG + 1);
    }
    printf("%s: %ld bad bytes\n", what, bad);
    CHECK(bad == 0);
}

/* A child's access to @p: "SIGSEGV" or "ok". */
static void check_access(const char *what, volatile char *p, int write)
{
    pid_t pid = fork();
    int st = 0;

    if (pid == 0) {
        if (write) {
            *p = 1;
        } else {
            (void)*p;
        }
        _exit(0);
    }
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    printf("%s: %s\n", what,
           WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV ? "SIGSEGV"
           : WIFEXITED(st) && WEXITSTATUS(st) == 0    ? "ok"
                                                      : "other");
}

static char *map(long len, int prot, int flags)
{
    char *p = mmap(NULL, len, prot, flags, -1, 0);

    CHECK(p != MAP_FAILED);
    return p == MAP_FAILED ? NULL : p;
}

/* glibc's pattern: PROT_NONE, then all but the lowest page read-write. */
static void stack_with_guard(void)
{
    char *p =
        map(STACK_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK);

    CHECK(mprotect(p + PG, STACK_LEN - PG, PROT_READ | PROT_WRITE) == 0);
    qualify++;
    check_fresh("guarded stack", p + PG, STACK_LEN - PG);
    check_access("guarded stack's guard", p + PG - 1, 0);
    CHECK(munmap(p, STACK_LEN) == 0);
}

/* Read-write at once (a stack without a guard). */
static void stack_writable(void)
{
    char *p = map(STACK_LEN, PROT_READ | PROT_WRITE,
                  MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK);

    qualify++;
    check_fresh("writable stack", p, STACK_LEN);
    CHECK(munmap(p, STACK_LEN) == 0);
}

/* One page above an inaccessible one: only that page may be made. */
static void stack_one_page(void)
{
    char *p = map(2 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);

    CHECK(mmap(p + PG, PG, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_FIXED, -1,
               0) == p + PG);
    qualify++;
    check_fresh("one-page stack", p + PG, PG);
    check_access("below the one-page stack", p + PG - 1, 1);
    CHECK(munmap(p, 2 * PG) == 0);
}

/* Patterns that do not qualify; each still behaves as plain memory. */
static void not_stacks(void)
{
    char *p, *q;
    int st = 0;

    /* mprotect of the bottom half only */
    p = map(STACK_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK);
    CHECK(mprotect(p, STACK_LEN / 2, PROT_READ | PROT_WRITE) == 0);
    check_fresh("bottom half", p, STACK_LEN / 2);
    check_access("above the bottom half", p + STACK_LEN - 1, 0);
    CHECK(munmap(p, STACK_LEN) == 0);

    /* another mapping between the mmap and the mprotect */
    p = map(STACK_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK);
    q = map(PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
    CHECK(mprotect(p + PG, STACK_LEN - PG, PROT_READ | PROT_WRITE) == 0);
    check_fresh("stack after another mmap", p + PG, STACK_LEN - PG);
    CHECK(munmap(p, STACK_LEN) == 0 && munmap(q, PG) == 0);

    /* read-only first, read-write later */
    p = map(STACK_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK);
    CHECK(mprotect(p, STACK_LEN, PROT_READ) == 0);
    check_access("read-only stack, write", p + STACK_LEN - 1, 1);
    CHECK(mprotect(p, STACK_LEN, PROT_READ | PROT_WRITE) == 0);
    check_fresh("read-only, then writable", p, STACK_LEN);
    CHECK(munmap(p, STACK_LEN) == 0);

    /* shared: a child's store is seen by the parent */
    p = map(STACK_LEN, PROT_READ | PROT_WRITE,
            MAP_SHARED | MAP_ANONYMOUS | MAP_STACK);
    check_fresh("shared stack", p, STACK_LEN);
    if (fork() == 0) {
        p[STACK_LEN - 1] = 42;
        _exit(0);
    }
    CHECK(wait(&st) > 0);
    printf("shared stack, child's store: %d\n", p[STACK_LEN - 1]);
    CHECK(p[STACK_LEN - 1] == 42);
    CHECK(munmap(p, STACK_LEN) == 0);

    /* not MAP_STACK */
    p = map(STACK_LEN, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
    CHECK(mprotect(p + PG, STACK_LEN - PG, PROT_READ | PROT_WRITE) == 0);
    check_fresh("plain mapping", p + PG, STACK_LEN - PG);
    CHECK(munmap(p, STACK_LEN) == 0);
}

static void *thread_fn(void *arg)
{
    char local[64];

    memset(local, (int)(long)arg, sizeof(local));
    return (void *)(long)local[63];
}

/* glibc's own thread stacks (the default attributes: with a guard). */
static void threads(void)
{
    for (long i = 1; i <= 4; i++) {
        pthread_t t;
        void *ret = NULL;

        CHECK(pthread_create(&t, NULL, thread_fn, (void *)i) == 0);
        CHECK(pthread_join(t, &ret) == 0);
        CHECK(ret == (void *)i);
        /* A joined thread's stack is cached: only the first is new. */
        qualify += i == 1;
    }
    printf("threads: done\n");
}

int main(void)
{
    stack_with_guard();
    stack_writable();
    stack_one_page();
    not_stacks();
    threads();
    printf("stack tops to populate: %d\n", qualify);
    return guest_done("mem_stacktop");
}
