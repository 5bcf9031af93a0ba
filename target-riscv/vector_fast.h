/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * V extension fast paths (vector_fast.c): whole instructions on host
 * SIMD, tried before the exact per-element helpers.
 */
#ifndef TARGET_RISCV_VECTOR_FAST_H
#define TARGET_RISCV_VECTOR_FAST_H

#include <stdbool.h>
#include <stdint.h>

#include "target-riscv/cpu.h"

/**
 * vec_fast_op() - run OP-V instruction @insn (not vset*) whole on the
 * host, with @scalar = x[rs1] or f[rs1], if it is one of the fast forms
 * under the current vtype, vl and vstart (vector_fast.c's forms, then
 * vector_fast2.c's).
 * Returns: true with *@ret the value for x[rd]/f[rd] (0 if none) when
 * done; false, having changed nothing, when the exact helper is to run.
 */
bool vec_fast_op(CPURISCVState *env, uint32_t insn, uint64_t scalar,
                 uint64_t *ret);

/**
 * vec_fast_ldst() - run unit-stride or whole-register load/store @insn at
 * guest address @base as one copy when it is unmasked, starts at element
 * 0 and stays in one page.  The caller has set CPUState.helper_ra.
 * Returns: true when done; false, having changed nothing, otherwise.
 */
bool vec_fast_ldst(CPURISCVState *env, uint32_t insn, uint64_t base);

/**
 * vec_fast_mem() - run strided, indexed, segment or masked unit-stride
 * load/store @insn (base x[rs1] = @base, x[rs2] = @stride) element by
 * element with vstart kept at the element being accessed, when its
 * legality checks pass and every active element lies in the guest
 * address space.  The caller has set CPUState.helper_ra.
 * Returns: true when done (or left by a host fault, vstart at the
 * faulting element); false, having changed nothing, otherwise.
 */
bool vec_fast_mem(CPURISCVState *env, uint32_t insn, uint64_t base,
                  uint64_t stride);

#endif
