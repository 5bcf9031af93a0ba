/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest program for the gdb vector tests (tests/gdb/vector*.gdb), built
 * with clang-19 -march=rv64gcv -O0 -g and run with -cpu rv64,v=true,
 * vlen=256: v1 holds src (1..8 as 32-bit elements), v2 = v1 + v1, with
 * vl 8 and vtype e32,m1,ta,ma when vec_done() is called (a breakpoint);
 * then vse32.v stores v2 to dst (what gdb wrote into v2 shows there, and
 * a watchpoint on dst[5] stops at that store).
 */
#include <stdint.h>
#include <stdio.h>

int32_t src[8] = {1, 2, 3, 4, 5, 6, 7, 8};
int32_t dst[8];

/* A breakpoint target that touches no vector register. */
void vec_done(void)
{
}

int main(void)
{
    unsigned long vl;

    __asm__ volatile("vsetivli %0, 8, e32, m1, ta, ma\n\t"
                     "vle32.v v1, (%1)\n\t"
                     "vadd.vv v2, v1, v1"
                     : "=&r"(vl)
                     : "r"(src)
                     : "memory");
    vec_done();
    __asm__ volatile("vsetivli zero, 8, e32, m1, ta, ma\n\t"
                     "vse32.v v2, (%0)"
                     :
                     : "r"(dst)
                     : "memory");
    printf("vl %lu dst", vl);
    for (int i = 0; i < 8; i++) {
        printf(" %d", (int)dst[i]);
    }
    printf("\n");
    return 0;
}
