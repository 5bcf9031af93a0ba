/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * MAP_GROWSDOWN mappings grow down on an access below them, as Linux's
 * (LTP mmap18): a thread whose stack is such a mapping recurses far below
 * what was mapped; a plain access below it grows it too.  It does not
 * grow to within stack_guard_gap (256 pages) of an accessible mapping
 * below, nor beyond RLIMIT_STACK: those accesses are SIGSEGV.
 * Not compared with qemu-riscv64: 7.2 does not grow such mappings.
 */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "guest.h"

#define PG 4096L
#define STACK (128 * PG / 4) /* 8 * PTHREAD_STACK_MIN, as mmap18 */
#define GAP (256 * PG)

/* A growsdown mapping of @mapped bytes at the top of a free range of
 * GAP + STACK bytes.  Returns the lowest address the stack may use. */
static char *stack_alloc(long mapped)
{
    char *start = mmap(NULL, GAP + STACK, PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    if (start == MAP_FAILED || munmap(start, GAP + STACK) != 0 ||
        mmap(start + GAP + STACK - mapped, mapped, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_GROWSDOWN, -1,
             0) == MAP_FAILED) {
        _exit(3);
    }
    return start + GAP;
}

static __attribute__((noinline)) void *recurse(void *limit)
{
    volatile char pad[64];

    pad[0] = 1;
    if ((char *)&limit < (char *)limit) {
        return (void *)(uintptr_t)pad[0];
    }
    return recurse(limit);
}

static void run_on(char *bottom)
{
    pthread_attr_t attr;
    pthread_t t;

    if (pthread_attr_init(&attr) ||
        pthread_attr_setstack(&attr, bottom, STACK) ||
        pthread_create(&t, &attr, recurse, bottom + PG) ||
        pthread_join(t, NULL)) {
        _exit(4);
    }
}

/* Run @fn in a child; returns its wait status. */
static int in_child(void (*fn)(long), long arg)
{
    int status;
    pid_t pid = fork();

    if (pid == 0) {
        setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
        fn(arg);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    return status;
}

static void grow_thread(long mapped)
{
    run_on(stack_alloc(mapped));
}

static void grow_thread_blocked(long mapped)
{
    char *bottom = stack_alloc(mapped);

    /* A page where the stack would grow: within the guard gap. */
    if (mmap(bottom, PG, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != bottom) {
        _exit(3);
    }
    run_on(bottom);
}

static void grow_touch(long depth)
{
    char *bottom = stack_alloc(4 * PG);
    char *top = bottom + STACK;

    *(volatile char *)(top - depth) = 5;
    if (*(volatile char *)(top - depth) != 5 ||
        *(volatile char *)(top - 4 * PG - 1) != 0) {
        _exit(5);
    }
}

int main(void)
{
    int st;

    st = in_child(grow_thread, 4 * PG);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    st = in_child(grow_thread, STACK / 2);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    st = in_child(grow_touch, STACK - 100);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    st = in_child(grow_thread_blocked, 4 * PG);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    st = in_child(grow_thread_blocked, STACK / 2);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    return guest_done("mem_growsdown");
}
