/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Division by a constant known at translation time (target-riscv/divconst.c):
 * the plan of a multiply-high sequence that gives the RISC-V quotient or
 * remainder for every dividend, and a C evaluation of the same steps that
 * the unit tests compare with plain division.
 */
#ifndef TARGET_RISCV_DIVCONST_H
#define TARGET_RISCV_DIVCONST_H

#include <stdbool.h>
#include <stdint.h>

/* How the quotient is formed (n: the dividend as the operation sees it). */
typedef enum DivConstKind {
    DIVC_ZERO,  /* d == 0: q = all ones, r = n */
    DIVC_NEG,   /* signed d == -1: q = -n (INT_MIN stays), r = 0 */
    DIVC_POW2U, /* unsigned d == 2^shift (1 included): q = n >> shift */
    DIVC_POW2S, /* signed |d| == 2^shift, shift >= 0: biased arithmetic shift */
    DIVC_LEMIRE, /* unsigned, n and d < 2^32: q = muluh(n, m) */
    DIVC_GM,     /* unsigned 64-bit: t = muluh(n, m); q = (t + (n - t) / 2)
                  * >> shift (Granlund-Montgomery, N+1-bit multiplier) */
    DIVC_MAGS,   /* signed: q = mulsh(n, m) (+ n if add > 0, - n if add < 0)
                  * >> shift (arithmetic), + 1 if negative */
} DivConstKind;

/* A plan for one divisor; see divconst_plan(). */
typedef struct DivConstPlan {
    DivConstKind kind;
    uint64_t d; /* the divisor as the operation sees it (extended) */
    uint64_t m; /* multiplier */
    int shift;
    int add;  /* DIVC_MAGS: +1, -1 or 0 */
    bool neg; /* DIVC_POW2S: negate the quotient (d < 0) */
} DivConstPlan;

/**
 * divconst_plan() - plan a division by the constant @d.
 * @p: filled in
 * @d: the divisor register's value (the "w" forms use its low 32 bits)
 * @sign: div/rem (true) or divu/remu (false)
 * @w: the 32-bit forms: the dividend is then extended from 32 bits
 *     (sign- or zero-) before the steps, as divconst_eval() expects
 */
void divconst_plan(DivConstPlan *p, uint64_t d, bool sign, bool w);

/**
 * divconst_eval() - the quotient or remainder that the planned steps give.
 * @p: from divconst_plan()
 * @n: the dividend, already extended for the "w" forms
 * @rem: the remainder rather than the quotient
 * Returns: the 64-bit result (the "w" forms then take its low 32 bits
 * sign-extended, as for plain division).
 */
uint64_t divconst_eval(const DivConstPlan *p, uint64_t n, bool rem);

#endif
