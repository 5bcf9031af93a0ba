/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FPU oracle, guest side: a riscv64 Linux program, run under
 * qemu-riscv64, that executes F/D instructions on request.
 *
 * Input (stdin), one record a line:  OP RM PRE A B C
 *   OP decimal (ops.h), RM 0-4 (ignored by ops without an rm field),
 *   PRE the fflags value set before the instruction, A B C the operands
 *   as hex bit patterns (singles in the low 32 bits; integer operands as
 *   64-bit two's complement).
 * Output (stdout), one line a record:  RESULT FLAGS  in hex, where RESULT
 * is the destination register: a float result as its bit pattern (low 32
 * bits for singles, except the *_BOXED ops, which show all 64), an
 * integer result as the full 64-bit x register (so the sign extension of
 * 32-bit results is visible), and FLAGS is fflags after the instruction.
 *
 * Each instruction is written out with an explicit static rm field, once
 * per rounding mode, by the macros below.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "ops.h"

#define MVIN_S  "fmv.w.x"
#define MVOUT_S "fmv.x.w"
#define MASK_S  0xffffffffull
#define MVIN_D  "fmv.d.x"
#define MVOUT_D "fmv.x.d"
#define MASK_D  ~0ull
/* boxed: raw 64-bit f register contents, single-precision instruction */
#define MVIN_B  "fmv.d.x"
#define MVOUT_B "fmv.x.d"
#define MASK_B  ~0ull

#define CLOB "ft0", "ft1", "ft2", "ft3"

#define RR_RM(F, I, R)                                                  \
    asm volatile(MVIN_##F " ft0, %1\n\t" MVIN_##F " ft1, %2\n\t"        \
                 I " ft2, ft0, ft1, " R "\n\t" MVOUT_##F " %0, ft2"     \
                 : "=r"(r) : "r"(a), "r"(b) : CLOB);                    \
    r &= MASK_##F
#define RR(F, I)                                                        \
    asm volatile(MVIN_##F " ft0, %1\n\t" MVIN_##F " ft1, %2\n\t"        \
                 I " ft2, ft0, ft1\n\t" MVOUT_##F " %0, ft2"            \
                 : "=r"(r) : "r"(a), "r"(b) : CLOB);                    \
    r &= MASK_##F
#define R_RM(F, I, R)                                                   \
    asm volatile(MVIN_##F " ft0, %1\n\t"                                \
                 I " ft2, ft0, " R "\n\t" MVOUT_##F " %0, ft2"          \
                 : "=r"(r) : "r"(a) : CLOB);                            \
    r &= MASK_##F
#define RRR_RM(F, I, R)                                                 \
    asm volatile(MVIN_##F " ft0, %1\n\t" MVIN_##F " ft1, %2\n\t"        \
                 MVIN_##F " ft2, %3\n\t"                                \
                 I " ft3, ft0, ft1, ft2, " R "\n\t" MVOUT_##F " %0, ft3" \
                 : "=r"(r) : "r"(a), "r"(b), "r"(c) : CLOB);            \
    r &= MASK_##F
#define CMP(F, I)                                                       \
    asm volatile(MVIN_##F " ft0, %1\n\t" MVIN_##F " ft1, %2\n\t"        \
                 I " %0, ft0, ft1" : "=r"(r) : "r"(a), "r"(b) : CLOB)
#define CLASS(F, I)                                                     \
    asm volatile(MVIN_##F " ft0, %1\n\t" I " %0, ft0"                   \
                 : "=r"(r) : "r"(a) : CLOB)
#define TOINT_RM(F, I, R)                                               \
    asm volatile(MVIN_##F " ft0, %1\n\t" I " %0, ft0, " R               \
                 : "=r"(r) : "r"(a) : CLOB)
#define FROMINT_RM(F, I, R)                                             \
    asm volatile(I " ft0, %1, " R "\n\t" MVOUT_##F " %0, ft0"           \
                 : "=r"(r) : "r"(a) : CLOB);                            \
    r &= MASK_##F
#define FROMINT(F, I)                                                   \
    asm volatile(I " ft0, %1\n\t" MVOUT_##F " %0, ft0"                  \
                 : "=r"(r) : "r"(a) : CLOB);                            \
    r &= MASK_##F
/* cross-format conversions: F is the destination, the source is F2 */
#define CONV_RM(F, F2, I, R)                                            \
    asm volatile(MVIN_##F2 " ft0, %1\n\t" I " ft1, ft0, " R "\n\t"      \
                 MVOUT_##F " %0, ft1" : "=r"(r) : "r"(a) : CLOB);       \
    r &= MASK_##F
#define CONV(F, F2, I)                                                  \
    asm volatile(MVIN_##F2 " ft0, %1\n\t" I " ft1, ft0\n\t"             \
                 MVOUT_##F " %0, ft1" : "=r"(r) : "r"(a) : CLOB);       \
    r &= MASK_##F

#define WITH_RM(M, ...)                                                 \
    switch (rm) {                                                       \
    case 0: M(__VA_ARGS__, "rne"); break;                               \
    case 1: M(__VA_ARGS__, "rtz"); break;                               \
    case 2: M(__VA_ARGS__, "rdn"); break;                               \
    case 3: M(__VA_ARGS__, "rup"); break;                               \
    default: M(__VA_ARGS__, "rmm"); break;                              \
    }

#define RUN_S_RR_RM(I)       WITH_RM(RR_RM, S, I)
#define RUN_D_RR_RM(I)       WITH_RM(RR_RM, D, I)
#define RUN_B_RR_RM(I)       WITH_RM(RR_RM, B, I)
#define RUN_S_R_RM(I)        WITH_RM(R_RM, S, I)
#define RUN_D_R_RM(I)        WITH_RM(R_RM, D, I)
#define RUN_S_RRR_RM(I)      WITH_RM(RRR_RM, S, I)
#define RUN_D_RRR_RM(I)      WITH_RM(RRR_RM, D, I)
#define RUN_S_RR(I)          RR(S, I)
#define RUN_D_RR(I)          RR(D, I)
#define RUN_B_RR(I)          RR(B, I)
#define RUN_S_CMP(I)         CMP(S, I)
#define RUN_D_CMP(I)         CMP(D, I)
#define RUN_S_CLASS(I)       CLASS(S, I)
#define RUN_D_CLASS(I)       CLASS(D, I)
#define RUN_B_CLASS(I)       CLASS(B, I)
#define RUN_S_TOINT_RM(I)    WITH_RM(TOINT_RM, S, I)
#define RUN_D_TOINT_RM(I)    WITH_RM(TOINT_RM, D, I)
#define RUN_S_FROMINT_RM(I)  WITH_RM(FROMINT_RM, S, I)
#define RUN_D_FROMINT_RM(I)  WITH_RM(FROMINT_RM, D, I)
#define RUN_D_FROMINT(I)     FROMINT(D, I)
#define RUN_S_FROMD_RM(I)    WITH_RM(CONV_RM, S, D, I)
#define RUN_D_FROMS(I)       CONV(D, S, I)

static uint64_t run(unsigned op, unsigned rm, uint64_t a, uint64_t b,
                    uint64_t c)
{
    uint64_t r = 0;

    (void)c;
    switch (op) {
#define X(id, kind, insn) case OP_##id: { RUN_##kind(insn); } break;
    FPU_ORACLE_OPS(X)
#undef X
    default:
        fprintf(stderr, "guest: bad op %u\n", op);
        exit(2);
    }
    return r;
}

int main(void)
{
    static char obuf[1 << 16];
    char line[256];

    setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
    while (fgets(line, sizeof(line), stdin)) {
        char *p = line;
        unsigned op = strtoul(p, &p, 10);
        unsigned rm = strtoul(p, &p, 16);
        unsigned pre = strtoul(p, &p, 16);
        uint64_t a = strtoull(p, &p, 16);
        uint64_t b = strtoull(p, &p, 16);
        uint64_t c = strtoull(p, &p, 16);
        unsigned long fl;
        uint64_t r;

        asm volatile("fsflags %0" : : "r"((unsigned long)pre));
        r = run(op, rm, a, b, c);
        asm volatile("frflags %0" : "=r"(fl));
        printf("%016llx %02lx\n", (unsigned long long)r, fl);
    }
    return 0;
}
