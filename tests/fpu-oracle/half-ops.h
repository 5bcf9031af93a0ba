/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zfh/Zfhmin operations of the half-precision oracle, shared by the
 * riscv64 guest (half-guest.c) and the host checker (half-oracle.c).
 *
 * X(ID, KIND, INSN): KIND says how the guest runs INSN (see half-guest.c)
 * and which fpu_*_h function the checker uses.  Every f operand is a raw
 * 64-bit register value (usually a NaN-boxed half, sometimes not), every
 * f result is shown as the whole 64-bit register (so the boxing is
 * checked), every x result as the whole x register.
 */
#ifndef TESTS_FPU_ORACLE_HALF_OPS_H
#define TESTS_FPU_ORACLE_HALF_OPS_H

#define HALF_OPS(X)                       \
    X(FADD, RR_RM, "fadd.h")              \
    X(FSUB, RR_RM, "fsub.h")              \
    X(FMUL, RR_RM, "fmul.h")              \
    X(FDIV, RR_RM, "fdiv.h")              \
    X(FSQRT, R_RM, "fsqrt.h")             \
    X(FMADD, RRR_RM, "fmadd.h")           \
    X(FMSUB, RRR_RM, "fmsub.h")           \
    X(FNMSUB, RRR_RM, "fnmsub.h")         \
    X(FNMADD, RRR_RM, "fnmadd.h")         \
    X(FMIN, RR, "fmin.h")                 \
    X(FMAX, RR, "fmax.h")                 \
    X(FSGNJ, RR, "fsgnj.h")               \
    X(FSGNJN, RR, "fsgnjn.h")             \
    X(FSGNJX, RR, "fsgnjx.h")             \
    X(FEQ, CMP, "feq.h")                  \
    X(FLT, CMP, "flt.h")                  \
    X(FLE, CMP, "fle.h")                  \
    X(FCLASS, CLASS, "fclass.h")          \
    X(FCVT_W_H, TOINT_RM, "fcvt.w.h")     \
    X(FCVT_WU_H, TOINT_RM, "fcvt.wu.h")   \
    X(FCVT_L_H, TOINT_RM, "fcvt.l.h")     \
    X(FCVT_LU_H, TOINT_RM, "fcvt.lu.h")   \
    X(FCVT_H_W, FROMINT_RM, "fcvt.h.w")   \
    X(FCVT_H_WU, FROMINT_RM, "fcvt.h.wu") \
    X(FCVT_H_L, FROMINT_RM, "fcvt.h.l")   \
    X(FCVT_H_LU, FROMINT_RM, "fcvt.h.lu") \
    X(FCVT_H_S, FROMS_RM, "fcvt.h.s")     \
    X(FCVT_H_D, FROMD_RM, "fcvt.h.d")     \
    X(FCVT_S_H, CONV, "fcvt.s.h")         \
    X(FCVT_D_H, CONV, "fcvt.d.h")         \
    X(FMV_X_H, MVX, "fmv.x.h")            \
    X(FMV_H_X, MVF, "fmv.h.x")            \
    X(FLH, LOAD, "flh")                   \
    X(FSH, STORE, "fsh")

enum {
#define X(id, kind, insn) HOP_##id,
    HALF_OPS(X)
#undef X
    HOP_COUNT
};

#endif
