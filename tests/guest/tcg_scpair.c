/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An amoswap, then sc.d and sc.w back to back, with tp as sc.d's result
 * register, with and without an lr.d before (a reservation that the
 * amoswap to another address keeps): the instructions around the
 * register-allocation failure fz_codepage found (seed 122, page 194, with
 * the instruction table of that time).  Run cold and hot (2000 calls);
 * the results are compared with qemu-riscv64.  This sequence alone did
 * not reproduce the old failure: the fix (cmpxchg's compare value no
 * longer pinned to rax before the allocation) is covered by the random
 * pages of fz_codepage, not by this test.
 */
#include <stdint.h>
#include <stdio.h>

static uint64_t cells[4];

/* scpair(cells, with_lr): returns amo old | sc.d rd << 32 | sc.w rd << 40 */
uint64_t scpair(uint64_t *mem, uint64_t with_lr);
__asm__(".text\n"
        ".globl scpair\n"
        "scpair:\n"
        "  addi sp, sp, -32\n"
        "  sd s1, 0(sp)\n"
        "  sd s8, 8(sp)\n"
        "  sd tp, 16(sp)\n"
        "  mv s1, a0\n"
        "  addi a6, a0, 8\n"
        "  addi s8, a0, 16\n"
        "  li t0, 5\n"
        "  li a4, 77\n"
        "  li a5, 99\n"
        "  beqz a1, 1f\n"
        "  lr.d t1, (a6)\n"
        "1: amoswap.w.aq t4, t0, (s1)\n"
        "  sc.d.aqrl tp, a4, (a6)\n"
        "  sc.w.aq a3, a5, (s8)\n"
        "  slli tp, tp, 32\n"
        "  slli a3, a3, 40\n"
        "  or a0, t4, tp\n"
        "  or a0, a0, a3\n"
        "  ld s1, 0(sp)\n"
        "  ld s8, 8(sp)\n"
        "  ld tp, 16(sp)\n"
        "  addi sp, sp, 32\n"
        "  ret\n");

int main(void)
{
    uint64_t r, acc = 0;

    for (int i = 0; i < 2000; i++) {
        r = scpair(cells, i & 1);
        acc = acc * 31 + r;
        if (i < 4) {
            printf("call %d: %#llx cells %llu %llu %llu\n", i,
                   (unsigned long long)r, (unsigned long long)cells[0],
                   (unsigned long long)cells[1], (unsigned long long)cells[2]);
        }
    }
    printf("acc %#llx cells %llu %llu %llu\n", (unsigned long long)acc,
           (unsigned long long)cells[0], (unsigned long long)cells[1],
           (unsigned long long)cells[2]);
    return 0;
}
