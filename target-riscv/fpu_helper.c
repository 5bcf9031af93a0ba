/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * F/D helpers called from generated code: unbox singles, resolve the
 * rounding mode (7 = env->frm, validated earlier in the TB by
 * helper_check_frm), call the FP library (fpu/fpu.h) and accrue fflags.
 * They touch only env->frm and env->fflags, which are not TCG globals, so
 * all but check_frm are TCG_CALL_NO_RWG.
 */
#include "accel/tcg/cpu-exec.h"
#include "target-riscv/cpu.h"
#include "target-riscv/fpu/fpu.h"
#include "target-riscv/helper.h"

static inline int fp_rm(CPURISCVState *env, uint64_t rm)
{
    return rm == RISCV_FRM_DYN ? (int)env->frm : (int)rm;
}

static void helper_check_frm(CPURISCVState *env)
{
    if (env->frm > RISCV_FRM_RMM) {
        cpu_loop_exit_restore(env, RISCV_EXCP_ILLEGAL, GETPC());
    }
}

DEF_HELPER_INFO(check_frm, TCG_CALL_NO_WG);

#define S(x) fpu_unbox_s(x)

/* fd = fn(fs1, fs2, rm) */
#define FP_BIN(name, fn, T, unbox, box)                                       \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t rm)                                \
    {                                                                         \
        T r = fn(unbox(a), unbox(b), fp_rm(env, rm), &env->fflags);           \
        return box(r);                                                        \
    }

/* fd = fn(fs1, fs2, fs3, rm) */
#define FP_TER(name, fn, T, unbox, box)                                       \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t c, uint64_t rm)                    \
    {                                                                         \
        T r = fn(unbox(a), unbox(b), unbox(c), fp_rm(env, rm), &env->fflags); \
        return box(r);                                                        \
    }

/* d = fn(s1, rm): sqrt and all conversions */
#define FP_UN(name, fn, in, box)                                               \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t rm) \
    {                                                                          \
        uint64_t r = box(fn(in(a), fp_rm(env, rm), &env->fflags));             \
        return r;                                                              \
    }

/* Without rounding: min, max, compares */
#define FP_NR(name, fn, unbox, box)                                           \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t rm)                                \
    {                                                                         \
        uint64_t r = box(fn(unbox(a), unbox(b), &env->fflags));               \
        (void)rm;                                                             \
        return r;                                                             \
    }

#define ID(x) (x)
#define SEXT32(x) ((uint64_t)(int64_t)(int32_t)(x))
#define U32(x) ((uint32_t)(x))
#define I32(x) ((int32_t)(x))
#define I64(x) ((int64_t)(x))

FP_BIN(fadd_s, fpu_add_s, uint32_t, S, fpu_box_s)
FP_BIN(fsub_s, fpu_sub_s, uint32_t, S, fpu_box_s)
FP_BIN(fmul_s, fpu_mul_s, uint32_t, S, fpu_box_s)
FP_BIN(fdiv_s, fpu_div_s, uint32_t, S, fpu_box_s)
FP_BIN(fadd_d, fpu_add_d, uint64_t, ID, ID)
FP_BIN(fsub_d, fpu_sub_d, uint64_t, ID, ID)
FP_BIN(fmul_d, fpu_mul_d, uint64_t, ID, ID)
FP_BIN(fdiv_d, fpu_div_d, uint64_t, ID, ID)
FP_TER(fmadd_s, fpu_madd_s, uint32_t, S, fpu_box_s)
FP_TER(fmsub_s, fpu_msub_s, uint32_t, S, fpu_box_s)
FP_TER(fnmsub_s, fpu_nmsub_s, uint32_t, S, fpu_box_s)
FP_TER(fnmadd_s, fpu_nmadd_s, uint32_t, S, fpu_box_s)
FP_TER(fmadd_d, fpu_madd_d, uint64_t, ID, ID)
FP_TER(fmsub_d, fpu_msub_d, uint64_t, ID, ID)
FP_TER(fnmsub_d, fpu_nmsub_d, uint64_t, ID, ID)
FP_TER(fnmadd_d, fpu_nmadd_d, uint64_t, ID, ID)
FP_UN(fsqrt_s, fpu_sqrt_s, S, fpu_box_s)
FP_UN(fsqrt_d, fpu_sqrt_d, ID, ID)
FP_UN(fcvt_s_d, fpu_cvt_s_d, ID, fpu_box_s)
FP_UN(fcvt_d_s, fpu_cvt_d_s, S, ID)
FP_UN(fcvt_w_s, fpu_cvt_w_s, S, SEXT32)
FP_UN(fcvt_wu_s, fpu_cvt_wu_s, S, SEXT32)
FP_UN(fcvt_l_s, fpu_cvt_l_s, S, ID)
FP_UN(fcvt_lu_s, fpu_cvt_lu_s, S, ID)
FP_UN(fcvt_w_d, fpu_cvt_w_d, ID, SEXT32)
FP_UN(fcvt_wu_d, fpu_cvt_wu_d, ID, SEXT32)
FP_UN(fcvt_l_d, fpu_cvt_l_d, ID, ID)
FP_UN(fcvt_lu_d, fpu_cvt_lu_d, ID, ID)
FP_UN(fcvt_s_w, fpu_cvt_s_w, I32, fpu_box_s)
FP_UN(fcvt_s_wu, fpu_cvt_s_wu, U32, fpu_box_s)
FP_UN(fcvt_s_l, fpu_cvt_s_l, I64, fpu_box_s)
FP_UN(fcvt_s_lu, fpu_cvt_s_lu, ID, fpu_box_s)
FP_UN(fcvt_d_w, fpu_cvt_d_w, I32, ID)
FP_UN(fcvt_d_wu, fpu_cvt_d_wu, U32, ID)
FP_UN(fcvt_d_l, fpu_cvt_d_l, I64, ID)
FP_UN(fcvt_d_lu, fpu_cvt_d_lu, ID, ID)
FP_NR(fmin_s, fpu_min_s, S, fpu_box_s)
FP_NR(fmax_s, fpu_max_s, S, fpu_box_s)
FP_NR(fmin_d, fpu_min_d, ID, ID)
FP_NR(fmax_d, fpu_max_d, ID, ID)
FP_NR(feq_s, fpu_eq_s, S, ID)
FP_NR(flt_s, fpu_lt_s, S, ID)
FP_NR(fle_s, fpu_le_s, S, ID)
FP_NR(feq_d, fpu_eq_d, ID, ID)
FP_NR(flt_d, fpu_lt_d, ID, ID)
FP_NR(fle_d, fpu_le_d, ID, ID)

static uint64_t helper_fclass_s(CPURISCVState *env, uint64_t a, uint64_t rm)
{
    (void)env, (void)rm;
    return fpu_class_s(S(a));
}

static uint64_t helper_fclass_d(CPURISCVState *env, uint64_t a, uint64_t rm)
{
    (void)env, (void)rm;
    return fpu_class_d(a);
}

/* Single sign injection on unboxed values (QEMU checks the boxing too). */
#define FP_SGNJ(name, expr)                                                   \
    static uint64_t helper_##name(CPURISCVState *env, uint64_t a, uint64_t b, \
                                  uint64_t rm)                                \
    {                                                                         \
        uint32_t x = S(a), y = S(b);                                          \
        (void)env, (void)rm;                                                  \
        return fpu_box_s(expr);                                               \
    }

FP_SGNJ(fsgnj_s, (x & 0x7fffffffu) | (y & 0x80000000u))
FP_SGNJ(fsgnjn_s, (x & 0x7fffffffu) | (~y & 0x80000000u))
FP_SGNJ(fsgnjx_s, x ^ (y & 0x80000000u))

#define X(name) DEF_HELPER_INFO(name, TCG_CALL_NO_RWG);
FP_HELPERS(X)
#undef X
