/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers called from generated code, with their TCGHelperInfo (the
 * function, its name for -d op, and the TCG_CALL_* flags that say what it
 * may touch).  Defined in helper.c, fpu_helper.c, vector_helper.c and
 * accel/tcg/cpu-exec.c.
 */
#ifndef TARGET_RISCV_HELPER_H
#define TARGET_RISCV_HELPER_H

#include "tcg/tcg.h"

#define DEF_HELPER_INFO(name, flags)                                        \
    const TCGHelperInfo helper_info_##name = {(void *)helper_##name, #name, \
                                              flags}

/* Registered as: DECLARE_HELPER(name) */
#define DECLARE_HELPER(name) extern const TCGHelperInfo helper_info_##name

DECLARE_HELPER(lookup_tb_ptr);
DECLARE_HELPER(read_counter);
DECLARE_HELPER(orc_b);
DECLARE_HELPER(clmul);
DECLARE_HELPER(clmulh);
DECLARE_HELPER(clmulr);
DECLARE_HELPER(check_frm);
DECLARE_HELPER(watch_check);
DECLARE_HELPER(vsetvl);
DECLARE_HELPER(vcheck);
DECLARE_HELPER(vldst);
DECLARE_HELPER(vop);

/* Set by linux-user: may the guest read [addr, addr + len)?  (vle*ff) */
extern bool (*vec_guest_readable)(uint64_t addr, uint64_t len);

/* clang-format off */
#define FP_HELPERS(X) \
    X(fadd_s) \
    X(fsub_s) \
    X(fmul_s) \
    X(fdiv_s) \
    X(fsqrt_s) \
    X(fmadd_s) \
    X(fmsub_s) \
    X(fnmsub_s) \
    X(fnmadd_s) \
    X(fsgnj_s) \
    X(fsgnjn_s) \
    X(fsgnjx_s) \
    X(fmin_s) \
    X(fmax_s) \
    X(fcvt_w_s) \
    X(fcvt_wu_s) \
    X(fcvt_l_s) \
    X(fcvt_lu_s) \
    X(feq_s) \
    X(flt_s) \
    X(fle_s) \
    X(fclass_s) \
    X(fcvt_s_w) \
    X(fcvt_s_wu) \
    X(fcvt_s_l) \
    X(fcvt_s_lu) \
    X(fadd_d) \
    X(fsub_d) \
    X(fmul_d) \
    X(fdiv_d) \
    X(fsqrt_d) \
    X(fmadd_d) \
    X(fmsub_d) \
    X(fnmsub_d) \
    X(fnmadd_d) \
    X(fmin_d) \
    X(fmax_d) \
    X(fcvt_w_d) \
    X(fcvt_wu_d) \
    X(fcvt_l_d) \
    X(fcvt_lu_d) \
    X(feq_d) \
    X(flt_d) \
    X(fle_d) \
    X(fclass_d) \
    X(fcvt_d_w) \
    X(fcvt_d_wu) \
    X(fcvt_d_l) \
    X(fcvt_d_lu) \
    X(fcvt_s_d) \
    X(fcvt_d_s)
/* clang-format on */

/* Zfh/Zfhmin (fpu_helper_h.c) */
/* clang-format off */
#define FP16_HELPERS(X) \
    X(fadd_h) X(fsub_h) X(fmul_h) X(fdiv_h) X(fsqrt_h) \
    X(fmadd_h) X(fmsub_h) X(fnmsub_h) X(fnmadd_h) \
    X(fsgnj_h) X(fsgnjn_h) X(fsgnjx_h) X(fmin_h) X(fmax_h) \
    X(feq_h) X(flt_h) X(fle_h) X(fclass_h) \
    X(fcvt_w_h) X(fcvt_wu_h) X(fcvt_l_h) X(fcvt_lu_h) \
    X(fcvt_h_w) X(fcvt_h_wu) X(fcvt_h_l) X(fcvt_h_lu) \
    X(fcvt_s_h) X(fcvt_h_s) X(fcvt_d_h) X(fcvt_h_d)
/* clang-format on */

#define X(name) DECLARE_HELPER(name);
FP_HELPERS(X)
FP16_HELPERS(X)
#undef X

#endif
