/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The operations of the FPU oracle test, shared by the riscv64 guest
 * program (guest.c) and the host driver (driver.c).
 *
 * X(ID, KIND, INSN): KIND says how the guest runs INSN and how the driver
 * computes the reference; see the RUN_* macros in guest.c.  Kinds ending
 * in _RM take a static rounding mode, the others have no rm field.
 */
#ifndef TESTS_FPU_ORACLE_OPS_H
#define TESTS_FPU_ORACLE_OPS_H

#define FPU_ORACLE_FMT_OPS(X, S, s)                 \
    X(ADD_##S, S##_RR_RM, "fadd." #s)               \
    X(SUB_##S, S##_RR_RM, "fsub." #s)               \
    X(MUL_##S, S##_RR_RM, "fmul." #s)               \
    X(DIV_##S, S##_RR_RM, "fdiv." #s)               \
    X(SQRT_##S, S##_R_RM, "fsqrt." #s)              \
    X(MADD_##S, S##_RRR_RM, "fmadd." #s)            \
    X(MSUB_##S, S##_RRR_RM, "fmsub." #s)            \
    X(NMSUB_##S, S##_RRR_RM, "fnmsub." #s)          \
    X(NMADD_##S, S##_RRR_RM, "fnmadd." #s)          \
    X(MIN_##S, S##_RR, "fmin." #s)                  \
    X(MAX_##S, S##_RR, "fmax." #s)                  \
    X(EQ_##S, S##_CMP, "feq." #s)                   \
    X(LT_##S, S##_CMP, "flt." #s)                   \
    X(LE_##S, S##_CMP, "fle." #s)                   \
    X(CLASS_##S, S##_CLASS, "fclass." #s)           \
    X(CVT_W_##S, S##_TOINT_RM, "fcvt.w." #s)        \
    X(CVT_WU_##S, S##_TOINT_RM, "fcvt.wu." #s)      \
    X(CVT_L_##S, S##_TOINT_RM, "fcvt.l." #s)        \
    X(CVT_LU_##S, S##_TOINT_RM, "fcvt.lu." #s)      \
    X(CVT_##S##_L, S##_FROMINT_RM, "fcvt." #s ".l") \
    X(CVT_##S##_LU, S##_FROMINT_RM, "fcvt." #s ".lu")

#define FPU_ORACLE_OPS(X)                           \
    FPU_ORACLE_FMT_OPS(X, S, s)                     \
    FPU_ORACLE_FMT_OPS(X, D, d)                     \
    X(CVT_S_W, S_FROMINT_RM, "fcvt.s.w")            \
    X(CVT_S_WU, S_FROMINT_RM, "fcvt.s.wu")          \
    X(CVT_D_W, D_FROMINT, "fcvt.d.w")               \
    X(CVT_D_WU, D_FROMINT, "fcvt.d.wu")             \
    X(CVT_S_D, S_FROMD_RM, "fcvt.s.d")              \
    X(CVT_D_S, D_FROMS, "fcvt.d.s")                 \
    X(ADD_S_BOXED, B_RR_RM, "fadd.s")               \
    X(MIN_S_BOXED, B_RR, "fmin.s")                  \
    X(CLASS_S_BOXED, B_CLASS, "fclass.s")

enum {
#define X(id, kind, insn) OP_##id,
    FPU_ORACLE_OPS(X)
#undef X
    OP_COUNT
};

#endif
