/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The setup of the V extension unit tests (test_vector.c,
 * test_vector_fast2.c): an env of their own with VLEN 128 and ELEN 64
 * (vlenb 16: register r starts at byte r * 16 of vreg), every vreg byte
 * set to a known pattern, and the OP-V encoder.  Guest base is 0, so a
 * guest address is a host pointer.
 */
#ifndef TESTS_UNIT_VECTOR_HARNESS_H
#define TESTS_UNIT_VECTOR_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "target-riscv/cpu.h"

/* vtype = vma << 7 | vta << 6 | vsew << 3 | vlmul */
#define VT(vsew, vlmul) ((uint64_t)(vsew) << 3 | (vlmul))

/*
 * new_env() - a zeroed env (freed by the caller) under @vtype and @vl,
 * VLEN 128, ELEN 64, vreg byte i = i * 7 + 3.
 */
static inline CPURISCVState *new_env(uint64_t vtype, uint64_t vl)
{
    CPURISCVState *env = calloc(1, sizeof(*env));

    assert_non_null(env);
    env->cfg.vlen = 128;
    env->cfg.elen = 64;
    env->vtype = vtype;
    env->vl = vl;
    for (size_t i = 0; i < sizeof(env->vreg); i++) {
        env->vreg[i] = (uint8_t)(i * 7 + 3);
    }
    return env;
}

/* OP-V word: funct6, vm, vs2, vs1 (or rs1/imm), funct3, vd. */
static inline uint32_t opv(int f6, int vm, int vs2, int vs1, int f3, int vd)
{
    return (uint32_t)f6 << 26 | (uint32_t)vm << 25 | (uint32_t)vs2 << 20 |
           (uint32_t)vs1 << 15 | (uint32_t)f3 << 12 | (uint32_t)vd << 7 | 0x57;
}

#endif
