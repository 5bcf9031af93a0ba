/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V F and D arithmetic: pure functions on IEEE 754 bit patterns.
 *
 * Results are bit-exact with QEMU 7.2's RISC-V target (softfloat in
 * default-NaN mode, tininess detected after rounding, no flush-to-zero),
 * accrued exception flags included.  See README.md in this directory for
 * the design, the measurements behind the host fast path and the few
 * places where QEMU's behaviour is worth knowing.
 *
 * Conventions for every function below:
 *   - @rm is a static rounding mode in RISC-V encoding (RISCV_FRM_RNE ..
 *     RISCV_FRM_RMM, i.e. 0..4).  The caller has already resolved the
 *     dynamic mode (7) from frm and rejected 5, 6 and 7 (illegal
 *     instruction); passing them is undefined.
 *   - Exception flags are ORed into *@flags as RISC-V fflags bits
 *     (FPU_FLAG_NX .. FPU_FLAG_NV); nothing is ever cleared.  Passing
 *     &env->fflags directly is the intended use: the fused multiply-adds
 *     are only fast when NX is already accrued there.
 *   - Every NaN result is the canonical NaN (FPU_DEFAULT_NAN_S/_D); NaN
 *     payloads never propagate.  Signaling NaN operands raise NV.
 *   - Single-precision values are plain 32-bit patterns; NaN-boxing into
 *     the 64-bit f registers is done by the caller with fpu_box_s() and
 *     fpu_unbox_s().
 *   - The functions are thread-safe and reentrant.  On x86-64 hosts some
 *     of them use SSE/FMA3 in the default rounding mode, without touching
 *     MXCSR; this needs MXCSR at its default (RNE, no FTZ/DAZ), which is
 *     checked once at startup (see fpu.c).
 */
#ifndef TARGET_RISCV_FPU_FPU_H
#define TARGET_RISCV_FPU_FPU_H

#include <stdbool.h>
#include <stdint.h>

/* fflags bits (same values as RISCV_FFLAG_* in target-riscv/cpu.h) */
#define FPU_FLAG_NX 0x01 /* inexact */
#define FPU_FLAG_UF 0x02 /* underflow */
#define FPU_FLAG_OF 0x04 /* overflow */
#define FPU_FLAG_DZ 0x08 /* divide by zero */
#define FPU_FLAG_NV 0x10 /* invalid operation */

/* Rounding modes (same values as RISCV_FRM_* in target-riscv/cpu.h) */
enum {
    FPU_RM_RNE = 0, /* to nearest, ties to even */
    FPU_RM_RTZ = 1, /* toward zero */
    FPU_RM_RDN = 2, /* down, toward -inf */
    FPU_RM_RUP = 3, /* up, toward +inf */
    FPU_RM_RMM = 4, /* to nearest, ties away from zero */
};

#define FPU_DEFAULT_NAN_S 0x7fc00000u
#define FPU_DEFAULT_NAN_D 0x7ff8000000000000ull
#define FPU_DEFAULT_NAN_H 0x7e00u

/* fclass result bits */
#define FPU_CLASS_NEG_INF (1u << 0)
#define FPU_CLASS_NEG_NORMAL (1u << 1)
#define FPU_CLASS_NEG_SUBNORMAL (1u << 2)
#define FPU_CLASS_NEG_ZERO (1u << 3)
#define FPU_CLASS_POS_ZERO (1u << 4)
#define FPU_CLASS_POS_SUBNORMAL (1u << 5)
#define FPU_CLASS_POS_NORMAL (1u << 6)
#define FPU_CLASS_POS_INF (1u << 7)
#define FPU_CLASS_SNAN (1u << 8)
#define FPU_CLASS_QNAN (1u << 9)

/* NaN-boxing of singles in the 64-bit f registers */
static inline uint64_t fpu_box_s(uint32_t a)
{
    return 0xffffffff00000000ull | a;
}

/* An improperly boxed value (upper half not all ones) reads as the qNaN. */
static inline uint32_t fpu_unbox_s(uint64_t a)
{
    return (a >> 32) == 0xffffffffu ? (uint32_t)a : FPU_DEFAULT_NAN_S;
}

/* NaN-boxing of halves (Zfh/Zfhmin): the upper 48 bits all ones */
static inline uint64_t fpu_box_h(uint16_t a)
{
    return 0xffffffffffff0000ull | a;
}

/* An improperly boxed value reads as the canonical half qNaN. */
static inline uint16_t fpu_unbox_h(uint64_t a)
{
    return (a >> 16) == 0xffffffffffffull ? (uint16_t)a : FPU_DEFAULT_NAN_H;
}

/* binary32 arithmetic */
uint32_t fpu_add_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t fpu_sub_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t fpu_mul_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t fpu_div_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t fpu_sqrt_s(uint32_t a, int rm, uint32_t *flags);
/* a*b+c, a*b-c, -(a*b)+c, -(a*b)-c, each with a single rounding */
uint32_t fpu_madd_s(uint32_t a, uint32_t b, uint32_t c, int rm,
                    uint32_t *flags);
uint32_t fpu_msub_s(uint32_t a, uint32_t b, uint32_t c, int rm,
                    uint32_t *flags);
uint32_t fpu_nmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm,
                     uint32_t *flags);
uint32_t fpu_nmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm,
                     uint32_t *flags);
/* minimumNumber/maximumNumber; -0 < +0 */
uint32_t fpu_min_s(uint32_t a, uint32_t b, uint32_t *flags);
uint32_t fpu_max_s(uint32_t a, uint32_t b, uint32_t *flags);
/* 1 or 0; eq is quiet (NV on sNaN only), lt/le signal NV on any NaN */
int fpu_eq_s(uint32_t a, uint32_t b, uint32_t *flags);
int fpu_lt_s(uint32_t a, uint32_t b, uint32_t *flags);
int fpu_le_s(uint32_t a, uint32_t b, uint32_t *flags);
uint32_t fpu_class_s(uint32_t a);

/* binary64 arithmetic */
uint64_t fpu_add_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t fpu_sub_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t fpu_mul_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t fpu_div_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t fpu_sqrt_d(uint64_t a, int rm, uint32_t *flags);
uint64_t fpu_madd_d(uint64_t a, uint64_t b, uint64_t c, int rm,
                    uint32_t *flags);
uint64_t fpu_msub_d(uint64_t a, uint64_t b, uint64_t c, int rm,
                    uint32_t *flags);
uint64_t fpu_nmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm,
                     uint32_t *flags);
uint64_t fpu_nmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm,
                     uint32_t *flags);
uint64_t fpu_min_d(uint64_t a, uint64_t b, uint32_t *flags);
uint64_t fpu_max_d(uint64_t a, uint64_t b, uint32_t *flags);
int fpu_eq_d(uint64_t a, uint64_t b, uint32_t *flags);
int fpu_lt_d(uint64_t a, uint64_t b, uint32_t *flags);
int fpu_le_d(uint64_t a, uint64_t b, uint32_t *flags);
uint32_t fpu_class_d(uint64_t a);

/*
 * float -> integer (fcvt.{w,wu,l,lu}.{s,d}).  Rounded with @rm; NaN gives
 * the largest positive value, out-of-range values saturate; both raise NV
 * (and not NX).  Unsigned conversion of a negative value that rounds to a
 * nonzero integer gives 0 with NV.  The 32-bit results are sign-extended
 * to 64 bits by the caller (RISC-V does this for fcvt.wu too).
 */
int32_t fpu_cvt_w_s(uint32_t a, int rm, uint32_t *flags);
uint32_t fpu_cvt_wu_s(uint32_t a, int rm, uint32_t *flags);
int64_t fpu_cvt_l_s(uint32_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_lu_s(uint32_t a, int rm, uint32_t *flags);
int32_t fpu_cvt_w_d(uint64_t a, int rm, uint32_t *flags);
uint32_t fpu_cvt_wu_d(uint64_t a, int rm, uint32_t *flags);
int64_t fpu_cvt_l_d(uint64_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_lu_d(uint64_t a, int rm, uint32_t *flags);

/* integer -> float (fcvt.{s,d}.{w,wu,l,lu}); only NX can be raised */
uint32_t fpu_cvt_s_w(int32_t a, int rm, uint32_t *flags);
uint32_t fpu_cvt_s_wu(uint32_t a, int rm, uint32_t *flags);
uint32_t fpu_cvt_s_l(int64_t a, int rm, uint32_t *flags);
uint32_t fpu_cvt_s_lu(uint64_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_d_w(int32_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_d_wu(uint32_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_d_l(int64_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_d_lu(uint64_t a, int rm, uint32_t *flags);

/* fcvt.s.d rounds with @rm; fcvt.d.s is exact (@rm accepted, unused) */
uint32_t fpu_cvt_s_d(uint64_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_d_s(uint32_t a, int rm, uint32_t *flags);

/*
 * binary16 (fpu/half.c.inc), with the conventions above: rm 0..4, flags
 * ORed in, canonical NaN 0x7e00, boxing by the caller (fpu_box_h).  Always
 * the software path.  fcvt.s.h and fcvt.d.h are exact (@rm unused).
 */
uint16_t fpu_add_h(uint16_t a, uint16_t b, int rm, uint32_t *flags);
uint16_t fpu_sub_h(uint16_t a, uint16_t b, int rm, uint32_t *flags);
uint16_t fpu_mul_h(uint16_t a, uint16_t b, int rm, uint32_t *flags);
uint16_t fpu_div_h(uint16_t a, uint16_t b, int rm, uint32_t *flags);
uint16_t fpu_sqrt_h(uint16_t a, int rm, uint32_t *flags);
uint16_t fpu_madd_h(uint16_t a, uint16_t b, uint16_t c, int rm,
                    uint32_t *flags);
uint16_t fpu_msub_h(uint16_t a, uint16_t b, uint16_t c, int rm,
                    uint32_t *flags);
uint16_t fpu_nmsub_h(uint16_t a, uint16_t b, uint16_t c, int rm,
                     uint32_t *flags);
uint16_t fpu_nmadd_h(uint16_t a, uint16_t b, uint16_t c, int rm,
                     uint32_t *flags);
uint16_t fpu_min_h(uint16_t a, uint16_t b, uint32_t *flags);
uint16_t fpu_max_h(uint16_t a, uint16_t b, uint32_t *flags);
int fpu_eq_h(uint16_t a, uint16_t b, uint32_t *flags);
int fpu_lt_h(uint16_t a, uint16_t b, uint32_t *flags);
int fpu_le_h(uint16_t a, uint16_t b, uint32_t *flags);
uint32_t fpu_class_h(uint16_t a);
int32_t fpu_cvt_w_h(uint16_t a, int rm, uint32_t *flags);
uint32_t fpu_cvt_wu_h(uint16_t a, int rm, uint32_t *flags);
int64_t fpu_cvt_l_h(uint16_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_lu_h(uint16_t a, int rm, uint32_t *flags);
uint16_t fpu_cvt_h_w(int32_t a, int rm, uint32_t *flags);
uint16_t fpu_cvt_h_wu(uint32_t a, int rm, uint32_t *flags);
uint16_t fpu_cvt_h_l(int64_t a, int rm, uint32_t *flags);
uint16_t fpu_cvt_h_lu(uint64_t a, int rm, uint32_t *flags);
uint16_t fpu_cvt_h_s(uint32_t a, int rm, uint32_t *flags);
uint16_t fpu_cvt_h_d(uint64_t a, int rm, uint32_t *flags);
uint32_t fpu_cvt_s_h(uint16_t a, int rm, uint32_t *flags);
uint64_t fpu_cvt_d_h(uint16_t a, int rm, uint32_t *flags);

/*
 * fpu_host_fast_path() - whether this build and host use the x86-64 fast
 * path of fpu.c for RNE/RTZ/RDN/RUP (RMM always takes the software path;
 * mul, div, sqrt and the fused multiply-adds also need FMA3).
 */
bool fpu_host_fast_path(void);

#endif
