/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the V extension's pure parts: riscv_vtype_vlmax() (the
 * legality and VLMAX of a vtype, which vset{i}vli uses at translation
 * time) and the fast paths of target-riscv/vector_fast.c on an env of
 * our own: each either does the whole instruction as the exact helpers
 * would (tail and masked-off elements kept) or returns false having
 * changed nothing.  tests/vector/rvv-diff compares the same paths with
 * qemu-riscv64 from guest code.
 */
#include "tests/unit/vector-harness.h"

#include "target-riscv/fpu/fpu.h"
#include "target-riscv/vector_fast.h"

static void test_vector_vtype_vlmax(void **state)
{
    (void)state;
    assert_int_equal(riscv_vtype_vlmax(VT(0, 0), 128, 64), 16);
    assert_int_equal(riscv_vtype_vlmax(VT(2, 1), 128, 64), 8);
    assert_int_equal(riscv_vtype_vlmax(VT(3, 3), 1024, 64), 128);
    assert_int_equal(riscv_vtype_vlmax(VT(0, 5), 128, 64), 2); /* mf8 */
    assert_int_equal(riscv_vtype_vlmax(VT(2, 7), 128, 64), 2); /* e32 mf2 */
    assert_int_equal(riscv_vtype_vlmax(VT(3, 7), 128, 64), 0); /* e64 mf2 */
    assert_int_equal(riscv_vtype_vlmax(VT(3, 6), 128, 64), 0); /* e64 mf4 */
    assert_int_equal(riscv_vtype_vlmax(VT(0, 4), 128, 64), 0); /* reserved */
    assert_int_equal(riscv_vtype_vlmax(VT(4, 0), 128, 64), 0); /* e128 */
    assert_int_equal(riscv_vtype_vlmax(VT(3, 0), 128, 32), 0); /* > ELEN */
    assert_int_equal(riscv_vtype_vlmax(VT(1, 0) | 0xc0, 256, 64), 16);
    assert_int_equal(riscv_vtype_vlmax(VT(1, 0) | 0x100, 256, 64), 0);
    assert_int_equal(riscv_vtype_vlmax(VT(1, 0) | 1ull << 63, 256, 64), 0);
}

static uint32_t elem32(const CPURISCVState *env, int reg, int i)
{
    uint32_t x;

    memcpy(&x, env->vreg + reg * 16 + i * 4, 4);
    return x;
}

static void test_vector_fast_vadd_tail_and_mask(void **state)
{
    CPURISCVState *env = new_env(VT(2, 0), 3), *old;
    uint64_t r;

    (void)state;
    old = malloc(sizeof(*env));
    memcpy(old, env, sizeof(*env));
    /* vadd.vv v8, v16, v24: elements 0-2 sums, element 3 (tail) kept */
    assert_true(vec_fast_op(env, opv(0, 1, 16, 24, 0, 8), 0, &r));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(elem32(env, 8, i),
                         elem32(old, 16, i) + elem32(old, 24, i));
    }
    assert_int_equal(elem32(env, 8, 3), elem32(old, 8, 3));
    /* masked vadd.vx v4, v16, x: v0 = 0b0101 */
    env->vreg[0] = 5;
    memcpy(old, env, sizeof(*env));
    assert_true(vec_fast_op(env, opv(0, 0, 16, 1, 4, 4), 100, &r));
    assert_int_equal(elem32(env, 4, 0), elem32(old, 16, 0) + 100);
    assert_int_equal(elem32(env, 4, 1), elem32(old, 4, 1));
    assert_int_equal(elem32(env, 4, 2), elem32(old, 16, 2) + 100);
    /* vstart != 0, vill, masked with vd = v0: not here, nothing changed */
    memcpy(old, env, sizeof(*env));
    env->vstart = 1;
    assert_false(vec_fast_op(env, opv(0, 1, 16, 24, 0, 8), 0, &r));
    env->vstart = 0;
    env->vill = 1;
    assert_false(vec_fast_op(env, opv(0, 1, 16, 24, 0, 8), 0, &r));
    env->vill = 0;
    assert_false(vec_fast_op(env, opv(0, 0, 16, 24, 0, 0), 0, &r));
    assert_memory_equal(env->vreg, old->vreg, sizeof(env->vreg));
    free(old);
    free(env);
}

static void test_vector_fast_compare_and_reduce(void **state)
{
    CPURISCVState *env = new_env(VT(0, 0), 10);
    uint64_t r;

    (void)state;
    memset(env->vreg + 16 * 16, 9, 16);
    env->vreg[16 * 16 + 4] = 3;
    env->vreg[8 * 16 + 1] = 0xff;
    /* vmseq.vi v8, v16, 3: bit 4 only, bits 10-15 of v8 kept */
    assert_true(vec_fast_op(env, opv(0x18, 1, 16, 3, 3, 8), 0, &r));
    assert_int_equal(env->vreg[8 * 16], 0x10);
    assert_int_equal(env->vreg[8 * 16 + 1], 0xfc);
    /* vfirst.m, vcpop.m on v8 */
    assert_true(vec_fast_op(env, opv(0x10, 1, 8, 0x11, 2, 1), 0, &r));
    assert_int_equal(r, 4);
    assert_true(vec_fast_op(env, opv(0x10, 1, 8, 0x10, 2, 1), 0, &r));
    assert_int_equal(r, 1);
    /* vredsum.vs v2, v16, v16: 9 * 9 + 3 + 9 (vs1[0]) = 93 */
    assert_true(vec_fast_op(env, opv(0, 1, 16, 16, 2, 2), 0, &r));
    assert_int_equal(env->vreg[2 * 16], 93);
    free(env);
}

static void test_vector_fast_fp_flags(void **state)
{
    CPURISCVState *env = new_env(VT(2, 0), 4);
    float one = 1.0f, third = 1.0f / 3, nan = __builtin_nanf("");
    uint64_t r;

    (void)state;
    for (int i = 0; i < 4; i++) {
        memcpy(env->vreg + 16 * 16 + i * 4, &one, 4);
        memcpy(env->vreg + 24 * 16 + i * 4, &one, 4);
    }
    /* vfadd.vv v8, v16, v24 = 2.0: exact, no flag */
    assert_true(vec_fast_op(env, opv(0, 1, 16, 24, 1, 8), 0, &r));
    assert_int_equal(elem32(env, 8, 3), 0x40000000);
    assert_int_equal(env->fflags, 0);
    /* 1 + 1/3: inexact */
    memcpy(env->vreg + 24 * 16 + 8, &third, 4);
    assert_true(vec_fast_op(env, opv(0, 1, 16, 24, 1, 8), 0, &r));
    assert_int_equal(env->fflags, FPU_FLAG_NX);
    /* a NaN lane, frm not RNE, an unboxed scalar: the exact path */
    memcpy(env->vreg + 24 * 16 + 4, &nan, 4);
    assert_false(vec_fast_op(env, opv(0, 1, 16, 24, 1, 8), 0, &r));
    env->frm = RISCV_FRM_RTZ;
    assert_false(vec_fast_op(env, opv(0x24, 1, 16, 0, 5, 8), ~0ull, &r));
    env->frm = RISCV_FRM_RNE;
    assert_false(vec_fast_op(env, opv(0x24, 1, 16, 0, 5, 8), 0x3f800000, &r));
    assert_true(vec_fast_op(env, opv(0x24, 1, 16, 0, 5, 8),
                            0xffffffff3f800000ull, &r)); /* * 1.0f */
    assert_int_equal(elem32(env, 8, 0), 0x3f800000);
    free(env);
}

static void test_vector_fast_ldst(void **state)
{
    CPURISCVState *env = new_env(VT(2, 0), 4);
    uint8_t *page = aligned_alloc(4096, 8192);
    uint64_t base = (uint64_t)(uintptr_t)page;

    (void)state;
    for (int i = 0; i < 8192; i++) {
        page[i] = (uint8_t)(i ^ 0x5a);
    }
    /* vle32.v v8, (base + 16): 16 bytes; the tail of v8 is not touched */
    env->vl = 3;
    assert_true(
        vec_fast_ldst(env, 1 << 25 | 6 << 12 | 8 << 7 | 0x07, base + 16));
    assert_memory_equal(env->vreg + 8 * 16, page + 16, 12);
    assert_int_equal(env->vreg[8 * 16 + 12], (uint8_t)((8 * 16 + 12) * 7 + 3));
    /* vs2r.v v16, (base + 100) */
    assert_true(vec_fast_ldst(
        env, 1u << 29 | 1 << 25 | 8 << 20 | 16 << 7 | 0x27, base + 100));
    assert_memory_equal(page + 100, env->vreg + 16 * 16, 32);
    /* across the page boundary: whole elements in each page */
    memset(env->vreg + 8 * 16, 0xee, 16);
    assert_true(
        vec_fast_ldst(env, 1 << 25 | 6 << 12 | 8 << 7 | 0x07, base + 4088));
    assert_memory_equal(env->vreg + 8 * 16, page + 4088, 12);
    assert_int_equal(env->vreg[8 * 16 + 12], 0xee);
    assert_int_equal(env->vstart, 0);
    assert_true(vec_fast_ldst(
        env, 1u << 29 | 1 << 25 | 8 << 20 | 16 << 7 | 0x27, base + 4090));
    assert_memory_equal(page + 4090, env->vreg + 16 * 16, 32);
    /* fault-only-first (a later fault trims vl), an element across the
     * boundary, masked, vstart != 0: not here */
    assert_false(vec_fast_ldst(
        env, 1 << 25 | 0x10 << 20 | 6 << 12 | 8 << 7 | 0x07, base + 4088));
    assert_false(
        vec_fast_ldst(env, 1 << 25 | 6 << 12 | 8 << 7 | 0x07, base + 4090));
    assert_false(vec_fast_ldst(env, 6 << 12 | 8 << 7 | 0x07, base));
    env->vstart = 1;
    assert_false(vec_fast_ldst(env, 1 << 25 | 6 << 12 | 8 << 7 | 0x07, base));
    free(page);
    free(env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vector_vtype_vlmax),
        cmocka_unit_test(test_vector_fast_vadd_tail_and_mask),
        cmocka_unit_test(test_vector_fast_compare_and_reduce),
        cmocka_unit_test(test_vector_fast_fp_flags),
        cmocka_unit_test(test_vector_fast_ldst),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
