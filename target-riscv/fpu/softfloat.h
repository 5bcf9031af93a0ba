/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The portable software implementation behind fpu.h (softfloat.c).
 *
 * sf_X has exactly the contract of fpu_X, for every rounding mode, on any
 * host.  fpu.c calls these for RMM and wherever the host fast path is not
 * used or cannot decide; the unit tests compare the two paths.
 */
#ifndef TARGET_RISCV_FPU_SOFTFLOAT_H
#define TARGET_RISCV_FPU_SOFTFLOAT_H

#include <stdint.h>

uint32_t sf_add_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_sub_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_mul_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_div_s(uint32_t a, uint32_t b, int rm, uint32_t *flags);
uint32_t sf_sqrt_s(uint32_t a, int rm, uint32_t *flags);
uint32_t sf_madd_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *flags);
uint32_t sf_msub_s(uint32_t a, uint32_t b, uint32_t c, int rm, uint32_t *flags);
uint32_t sf_nmsub_s(uint32_t a, uint32_t b, uint32_t c, int rm,
                    uint32_t *flags);
uint32_t sf_nmadd_s(uint32_t a, uint32_t b, uint32_t c, int rm,
                    uint32_t *flags);
uint32_t sf_min_s(uint32_t a, uint32_t b, uint32_t *flags);
uint32_t sf_max_s(uint32_t a, uint32_t b, uint32_t *flags);
int sf_eq_s(uint32_t a, uint32_t b, uint32_t *flags);
int sf_lt_s(uint32_t a, uint32_t b, uint32_t *flags);
int sf_le_s(uint32_t a, uint32_t b, uint32_t *flags);
uint32_t sf_class_s(uint32_t a);
uint64_t sf_add_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_sub_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_mul_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_div_d(uint64_t a, uint64_t b, int rm, uint32_t *flags);
uint64_t sf_sqrt_d(uint64_t a, int rm, uint32_t *flags);
uint64_t sf_madd_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *flags);
uint64_t sf_msub_d(uint64_t a, uint64_t b, uint64_t c, int rm, uint32_t *flags);
uint64_t sf_nmsub_d(uint64_t a, uint64_t b, uint64_t c, int rm,
                    uint32_t *flags);
uint64_t sf_nmadd_d(uint64_t a, uint64_t b, uint64_t c, int rm,
                    uint32_t *flags);
uint64_t sf_min_d(uint64_t a, uint64_t b, uint32_t *flags);
uint64_t sf_max_d(uint64_t a, uint64_t b, uint32_t *flags);
int sf_eq_d(uint64_t a, uint64_t b, uint32_t *flags);
int sf_lt_d(uint64_t a, uint64_t b, uint32_t *flags);
int sf_le_d(uint64_t a, uint64_t b, uint32_t *flags);
uint32_t sf_class_d(uint64_t a);
int32_t sf_cvt_w_s(uint32_t a, int rm, uint32_t *flags);
uint32_t sf_cvt_wu_s(uint32_t a, int rm, uint32_t *flags);
int64_t sf_cvt_l_s(uint32_t a, int rm, uint32_t *flags);
uint64_t sf_cvt_lu_s(uint32_t a, int rm, uint32_t *flags);
int32_t sf_cvt_w_d(uint64_t a, int rm, uint32_t *flags);
uint32_t sf_cvt_wu_d(uint64_t a, int rm, uint32_t *flags);
int64_t sf_cvt_l_d(uint64_t a, int rm, uint32_t *flags);
uint64_t sf_cvt_lu_d(uint64_t a, int rm, uint32_t *flags);
uint32_t sf_cvt_s_w(int32_t a, int rm, uint32_t *flags);
uint32_t sf_cvt_s_wu(uint32_t a, int rm, uint32_t *flags);
uint32_t sf_cvt_s_l(int64_t a, int rm, uint32_t *flags);
uint32_t sf_cvt_s_lu(uint64_t a, int rm, uint32_t *flags);
uint64_t sf_cvt_d_w(int32_t a, int rm, uint32_t *flags);
uint64_t sf_cvt_d_wu(uint32_t a, int rm, uint32_t *flags);
uint64_t sf_cvt_d_l(int64_t a, int rm, uint32_t *flags);
uint64_t sf_cvt_d_lu(uint64_t a, int rm, uint32_t *flags);
uint32_t sf_cvt_s_d(uint64_t a, int rm, uint32_t *flags);
uint64_t sf_cvt_d_s(uint32_t a, int rm, uint32_t *flags);

#endif
