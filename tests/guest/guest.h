/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers for the self-checking riscv64 guest programs: CHECK() reports a
 * failed condition with its line and errno on stderr and counts it; each
 * program prints a deterministic summary on stdout (no pids, times or
 * addresses) and exits 0 only when nothing failed, so run-guest.sh can
 * compare ctcg-riscv64 with qemu-riscv64.
 */
#ifndef GUEST_H
#define GUEST_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int guest_failures;

#define CHECK(cond)                                                     \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s:%d: CHECK(%s) failed (errno %d: %s)\n", \
                    __FILE__, __LINE__, #cond, errno, strerror(errno)); \
            guest_failures++;                                           \
        }                                                               \
    } while (0)

/* A failing call with the expected errno. */
#define CHECK_ERR(call, err)                                            \
    do {                                                                \
        errno = 0;                                                      \
        long r_ = (long)(call);                                         \
        if (r_ != -1 || errno != (err)) {                               \
            fprintf(stderr, "%s:%d: %s = %ld errno %d, want -1 errno %d\n", \
                    __FILE__, __LINE__, #call, r_, errno, (err));       \
            guest_failures++;                                           \
        }                                                               \
    } while (0)

static inline int guest_done(const char *name)
{
    printf("%s: %s\n", name, guest_failures ? "FAIL" : "ok");
    fflush(stdout);
    return guest_failures ? 1 : 0;
}

/*
 * A timer signal interrupted a loop that counts in register @name (value
 * @reg, from the handler's ucontext) and stores the count to memory (@mem):
 * the two may differ by the one increment in flight, no more.  Counts a
 * stale reading in *@bad; ten of them end the program (lost registers
 * would also lose the loop's progress, so it might never end).
 */
/*
 * guest_check_tick() - check a loop counter register seen by a signal
 * handler against the counter the loop stores: equal, or one ahead (the
 * store is the loop's first instruction).  Only ticks whose PC lies in
 * [lo, hi] are checked: a tick that lands before the loop starts or after
 * it ends (between setitimer and the loop, or while the handler of a late
 * tick runs on a loaded machine) sees unrelated registers.
 * Returns: 1 when the tick was checked, else 0.
 */
static inline int guest_check_tick(const char *name, unsigned long long pc,
                                    const void *lo, const void *hi,
                                    unsigned long long reg,
                                    unsigned long long mem, volatile int *bad)
{
    if (pc < (unsigned long long)lo || pc > (unsigned long long)hi) {
        return 0;
    }
    if (reg != mem && reg != mem + 1 && ++*bad >= 10) {
        fprintf(stderr, "%s %llu, counter %llu at pc %#llx: stale registers\n",
                name, reg, mem, pc);
        _exit(1);
    }
    return 1;
}

/* A fresh private directory under /tmp; returns its path. */
static inline char *guest_tmpdir(void)
{
    static char dir[64];

    snprintf(dir, sizeof(dir), "/tmp/ctcg-guest-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        exit(2);
    }
    return dir;
}

#endif
