/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The checks of the guest test programs here (ind-jump, ret-paths,
 * div-const): CHECK() counts a mismatch in fails and prints it;
 * check_done() prints the verdict and gives the exit status.  The output
 * is compared with qemu-riscv64's (run-program.sh), so it names only
 * values, never addresses.
 */
#ifndef TESTS_PROGRAMS_CHECK_H
#define TESTS_PROGRAMS_CHECK_H

#include <stdio.h>

static int fails;

#define CHECK(name, got, want)                                     \
    do {                                                           \
        long long g_ = (long long)(got), w_ = (long long)(want);   \
        if (g_ != w_) {                                            \
            printf("FAIL %s: got %lld want %lld\n", name, g_, w_); \
            fails++;                                               \
        }                                                          \
    } while (0)

/* check_done() - "@prog: N failures" and 1, or "@prog: all ok" and 0. */
static inline int check_done(const char *prog)
{
    if (fails) {
        printf("%s: %d failures\n", prog, fails);
        return 1;
    }
    printf("%s: all ok\n", prog);
    return 0;
}

#endif
