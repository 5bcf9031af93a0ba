/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A loop that runs well past the default TB_HOT_THRESHOLD (accel/tcg/tb.h):
 * check-tiers.sh runs it with the default threshold and wants its TB to
 * become hot (a region).  The sum, a function of every trip, is printed
 * and compared with qemu-riscv64.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
    volatile uint64_t n = 200000; /* volatile: a loop the compiler keeps */
    uint64_t s = 1;

    for (uint64_t i = 0; i < n; i++) {
        s = s * 6364136223846793005ULL + i;
        s ^= s >> 29;
    }
    printf("long-loop: %016llx\n", (unsigned long long)s);
    return 0;
}
