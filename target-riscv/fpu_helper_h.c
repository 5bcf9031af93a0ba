/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Zfh/Zfhmin helpers called from generated code (trans_rvzfh.c.inc).
 *
 * As fpu_helper.c for F and D: the operands are the raw 64-bit f
 * registers; a half operand that is not NaN-boxed (upper 48 bits not all
 * ones) reads as the canonical NaN 0x7e00, as in QEMU 7.2
 * (check_nanbox_h); half results are boxed, single results too, integer
 * results of the 32-bit conversions sign-extended.  @rm 7 means frm,
 * validated earlier in the TB.  All touch only env->frm and env->fflags
 * (no TCG globals): TCG_CALL_NO_RWG.
 */
#include "target-riscv/cpu.h"
#include "target-riscv/fpu/fpu.h"
#include "target-riscv/helper.h"

static inline int fp_rm(CPURISCVState *env, uint64_t rm)
{
    return rm == RISCV_FRM_DYN ? (int)env->frm : (int)rm;
}

#define H(x) fpu_unbox_h(x)
#define ID(x) (x)
#define SEXT32(x) ((uint64_t)(int64_t)(int32_t)(x))

/* fd = fn(fs1, fs2, rm) */
#define H_BIN(name, fn)                                                       \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t rm)                                \
    {                                                                         \
        return fpu_box_h(fn(H(a), H(b), fp_rm(env, rm), &env->fflags));       \
    }

/* fd = fn(fs1, fs2, fs3, rm) */
#define H_TER(name, fn)                                                       \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t c, uint64_t rm)                    \
    {                                                                         \
        return fpu_box_h(fn(H(a), H(b), H(c), fp_rm(env, rm), &env->fflags)); \
    }

/* d = out(fn(in(s1), rm)): sqrt and the conversions */
#define H_UN(name, fn, in, out)                                                \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t rm) \
    {                                                                          \
        return out(fn(in(a), fp_rm(env, rm), &env->fflags));                   \
    }

/* without rounding: min, max, compares */
#define H_NR(name, fn, out)                                                   \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t rm)                                \
    {                                                                         \
        (void)rm;                                                             \
        return out(fn(H(a), H(b), &env->fflags));                             \
    }

H_BIN(fadd_h, fpu_add_h)
H_BIN(fsub_h, fpu_sub_h)
H_BIN(fmul_h, fpu_mul_h)
H_BIN(fdiv_h, fpu_div_h)
H_TER(fmadd_h, fpu_madd_h)
H_TER(fmsub_h, fpu_msub_h)
H_TER(fnmsub_h, fpu_nmsub_h)
H_TER(fnmadd_h, fpu_nmadd_h)
H_UN(fsqrt_h, fpu_sqrt_h, H, fpu_box_h)
H_NR(fmin_h, fpu_min_h, fpu_box_h)
H_NR(fmax_h, fpu_max_h, fpu_box_h)
H_NR(feq_h, fpu_eq_h, ID)
H_NR(flt_h, fpu_lt_h, ID)
H_NR(fle_h, fpu_le_h, ID)

#define I32(x) ((int32_t)(x))
#define U32(x) ((uint32_t)(x))
#define I64(x) ((int64_t)(x))
#define S(x) fpu_unbox_s(x)

H_UN(fcvt_w_h, fpu_cvt_w_h, H, SEXT32)
H_UN(fcvt_wu_h, fpu_cvt_wu_h, H, SEXT32)
H_UN(fcvt_l_h, fpu_cvt_l_h, H, ID)
H_UN(fcvt_lu_h, fpu_cvt_lu_h, H, ID)
H_UN(fcvt_h_w, fpu_cvt_h_w, I32, fpu_box_h)
H_UN(fcvt_h_wu, fpu_cvt_h_wu, U32, fpu_box_h)
H_UN(fcvt_h_l, fpu_cvt_h_l, I64, fpu_box_h)
H_UN(fcvt_h_lu, fpu_cvt_h_lu, ID, fpu_box_h)
H_UN(fcvt_s_h, fpu_cvt_s_h, H, fpu_box_s)
H_UN(fcvt_h_s, fpu_cvt_h_s, S, fpu_box_h)
H_UN(fcvt_d_h, fpu_cvt_d_h, H, ID)
H_UN(fcvt_h_d, fpu_cvt_h_d, ID, fpu_box_h)

static uint64_t helper_fclass_h(CPURISCVState *env, uint64_t a, uint64_t rm)
{
    (void)env, (void)rm;
    return fpu_class_h(H(a));
}

/*
 * Sign injection on unboxed halves: QEMU 7.2 checks the boxing of both
 * operands (an unboxed one reads as the canonical NaN), then boxes.
 */
#define H_SGNJ(name, expr)                                                    \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t rm)                                \
    {                                                                         \
        uint16_t x = H(a), y = H(b);                                          \
        (void)env, (void)rm;                                                  \
        return fpu_box_h((uint16_t)(expr));                                   \
    }

H_SGNJ(fsgnj_h, (x & 0x7fffu) | (y & 0x8000u))
H_SGNJ(fsgnjn_h, (x & 0x7fffu) | (~y & 0x8000u))
H_SGNJ(fsgnjx_h, x ^ (y & 0x8000u))

#define X(name) DEF_HELPER_INFO(name, TCG_CALL_NO_RWG);
FP16_HELPERS(X)
#undef X
