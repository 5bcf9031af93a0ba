/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the optimizer (tcg/optimize.c).
 *
 * Most tests build a few ops with the tcg_gen_* API, run tcg_optimize()
 * alone and look at the ops it leaves.  Expected values are written out by
 * hand.  The differential test compiles random expressions with and
 * without the optimizer through the real backend, runs both and compares.
 */
#include "tests/unit/tcg-harness.h"

static TCGContext *s;

static TCGTemp *G(int i)
{
    return tcgv_i64_temp(hg[i]);
}

static TCGTemp *W(int i)
{
    return tcgv_i32_temp(hw[i]);
}

static TCGTemp *CI64(int64_t v)
{
    return tcg_constant_internal(TCG_TYPE_I64, v);
}

static TCGTemp *CI32(int32_t v)
{
    return tcg_constant_internal(TCG_TYPE_I32, v);
}

static int setup_group(void **state)
{
    (void)state;
    harness_init();
    s = tcg_ctx;
    return 0;
}

static int setup_test(void **state)
{
    (void)state;
    tcg_func_start(s);
    s->optimize = true;
    return 0;
}

static void gen3(TCGOpcode opc, TCGType type, TCGTemp *d, TCGTemp *a,
                 TCGTemp *b)
{
    tcg_gen_op3(opc, type, temp_arg(d), temp_arg(a), temp_arg(b));
}

static void gen2(TCGOpcode opc, TCGType type, TCGTemp *d, TCGTemp *a)
{
    tcg_gen_op2(opc, type, temp_arg(d), temp_arg(a));
}

/* The last live op that writes ts, or NULL. */
static TCGOp *writer_of(TCGTemp *ts)
{
    for (int i = s->nb_ops - 1; i >= 0; i--) {
        TCGOp *op = &s->ops[i];

        if (op->opc != INDEX_op_nop && tcg_op_nb_oargs(op) > 0 &&
            arg_temp(op->args[0]) == ts) {
            return op;
        }
    }
    return NULL;
}

/* The n-th live op with opcode opc. */
static TCGOp *nth_op(TCGOpcode opc, int n)
{
    for (int i = 0; i < s->nb_ops; i++) {
        if (s->ops[i].opc == opc && n-- == 0) {
            return &s->ops[i];
        }
    }
    return NULL;
}

static int live_ops(void)
{
    return s->nb_ops - tcg_op_count(s, INDEX_op_nop);
}

/* dst's last writer must be "mov dst, $val" with a constant of dst's type. */
static void check_const(TCGTemp *dst, int64_t val)
{
    TCGOp *op = writer_of(dst);
    TCGTemp *src;

    assert_non_null(op);
    assert_int_equal(op->opc, INDEX_op_mov);
    src = arg_temp(op->args[1]);
    assert_int_equal(src->kind, TEMP_CONST);
    assert_int_equal(src->type, dst->type);
    if (src->val != val) {
        fail_msg("%s: folded to 0x%" PRIx64 ", expected 0x%" PRIx64,
                 tcg_op_defs[op->opc].name, (uint64_t)src->val, (uint64_t)val);
    }
}

/* dst's last writer must be "mov dst, src". */
static void check_mov(TCGTemp *dst, TCGTemp *src)
{
    TCGOp *op = writer_of(dst);

    assert_non_null(op);
    assert_int_equal(op->opc, INDEX_op_mov);
    assert_ptr_equal(arg_temp(op->args[1]), src);
}

typedef struct FoldCase {
    TCGOpcode opc;
    TCGType type;  /* op type (the output's) */
    TCGType itype; /* input type */
    int nb_in;
    int64_t x, y;
    int64_t expect; /* constant value: I32 results sign-extended */
} FoldCase;

#define I64 TCG_TYPE_I64
#define I32 TCG_TYPE_I32
#define B64(op, x, y, r)                    \
    {                                       \
        INDEX_op_##op, I64, I64, 2, x, y, r \
    }
#define U64(op, x, r)                       \
    {                                       \
        INDEX_op_##op, I64, I64, 1, x, 0, r \
    }
#define B32(op, x, y, r)                    \
    {                                       \
        INDEX_op_##op, I32, I32, 2, x, y, r \
    }
#define U32(op, x, r)                       \
    {                                       \
        INDEX_op_##op, I32, I32, 1, x, 0, r \
    }

static const FoldCase fold_cases[] = {
    B64(add, INT64_MAX, 1, INT64_MIN),
    B64(sub, 5, 7, -2),
    B64(mul, 0x100000000ll, 0x100000000ll, 0),
    B64(mul, -3, 7, -21),
    B64(muluh, -1, 2, 1),
    B64(mulsh, -1, 2, -1),
    B64(mulsh, INT64_MIN, INT64_MIN, 0x4000000000000000ll),
    B64(div, -7, 2, -3),
    B64(rem, -7, 2, -1),
    B64(divu, -1, 2, INT64_MAX),
    B64(remu, 7, 3, 1),
    B64(and, 0xff00, 0x0ff0, 0x0f00),
    B64(or, 0xff00, 0x0ff0, 0xfff0),
    B64(xor, 0xff00, 0x0ff0, 0xf0f0),
    B64(andc, 0xff00, 0x0ff0, 0xf000),
    B64(orc, 0, 0x0ff0, (int64_t)0xfffffffffffff00full),
    B64(eqv, 0xff00, 0x0ff0, (int64_t)0xffffffffffff0f0full),
    B64(nand, 0xff00, 0x0ff0, (int64_t)0xfffffffffffff0ffull),
    B64(nor, 0xff00, 0x0ff0, (int64_t)0xffffffffffff000full),
    B64(shl, 1, 65, 2),
    B64(shr, INT64_MIN, 63, 1),
    B64(sar, INT64_MIN, 63, -1),
    B64(sar, INT64_MIN, 127, -1),
    B64(rotl, (int64_t)0x8000000000000001ull, 1, 3),
    B64(rotr, 1, 1, INT64_MIN),
    B64(rotl, 0x1234, 64, 0x1234),
    B64(rotr, 0x1234, 68, 0x4000000000000123ll),
    B64(clz, 1, 99, 63),
    B64(clz, 0, 99, 99),
    B64(ctz, 0x100, 99, 8),
    B64(ctz, 0, 77, 77),
    U64(ctpop, 0xff00ff, 16),
    U64(bswap16, 0x123456789abcdef0ll, 0xf0de),
    U64(bswap32, 0x1234567887654321ll, 0x21436587),
    U64(bswap32, 0xff, 0xff000000ll),
    U64(bswap64, 0x0102030405060708ll, 0x0807060504030201ll),
    U64(ext8s, 0x180, -128),
    U64(ext8u, -1, 0xff),
    U64(ext16s, 0x18000, -32768),
    U64(ext16u, -1, 0xffff),
    U64(ext32s, 0x180000000ll, -2147483648ll),
    U64(ext32u, -1, 0xffffffffll),
    U64(neg, 5, -5),
    U64(not, 0, -1),
    {INDEX_op_ext_i32_i64, I64, I32, 1, -1, 0, -1},
    {INDEX_op_extu_i32_i64, I64, I32, 1, -1, 0, 0xffffffffll},
    {INDEX_op_extu_i32_i64, I64, I32, 1, INT32_MIN, 0, 0x80000000ll},
    {INDEX_op_extrl_i64_i32, I32, I64, 1, 0x1234567880000000ll, 0, INT32_MIN},
    {INDEX_op_extrl_i64_i32, I32, I64, 1, 0xffffffff00000005ll, 0, 5},

    B32(add, INT32_MAX, 1, INT32_MIN),
    B32(sub, 0, 1, -1),
    B32(mul, 0x10000, 0x10000, 0),
    B32(mul, 0x10001, 0x10001, 0x20001),
    B32(muluh, -1, 2, 1),
    B32(muluh, -1, -1, -2),
    B32(mulsh, -1, 2, -1),
    B32(mulsh, INT32_MIN, INT32_MIN, 0x40000000),
    B32(div, -7, 2, -3),
    B32(rem, -7, 2, -1),
    B32(divu, -1, 2, INT32_MAX),
    B32(remu, -1, 10, 5),
    B32(shl, 1, 33, 2),
    B32(shl, 1, 31, INT32_MIN),
    B32(shr, INT32_MIN, 31, 1),
    B32(shr, -1, 4, 0x0fffffff),
    B32(sar, INT32_MIN, 31, -1),
    B32(sar, INT32_MIN, 63, -1),
    B32(rotl, (int32_t)0x80000001u, 1, 3),
    B32(rotr, 1, 1, INT32_MIN),
    B32(rotl, 0x1234, 32, 0x1234),
    B32(rotr, 0x1234, 36, 0x40000123),
    B32(clz, 1, 99, 31),
    B32(clz, 0, 32, 32),
    B32(ctz, INT32_MIN, 99, 31),
    B32(ctz, 0, 7, 7),
    B32(orc, 0, 0x0ff0, (int32_t)0xfffff00fu),
    B32(nor, 0, 0, -1),
    U32(ctpop, -1, 32),
    U32(bswap16, 0x12345678, 0x7856),
    U32(bswap16, 0xff80, 0x80ff),
    U32(bswap32, 0x12345678, 0x78563412),
    U32(bswap32, 0xff, (int32_t)0xff000000u),
    U32(ext8s, 0xff, -1),
    U32(ext8u, -1, 0xff),
    U32(ext16s, 0x8000, -32768),
    U32(ext16u, -1, 0xffff),
    U32(not, 0, -1),
    U32(neg, INT32_MIN, INT32_MIN),
};

static TCGTemp *const_of(TCGType type, int64_t v)
{
    return type == I64 ? CI64(v) : CI32(v);
}

static void test_optimize_folds_every_alu_op(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(fold_cases) / sizeof(fold_cases[0]); i++) {
        const FoldCase *c = &fold_cases[i];
        TCGTemp *d = c->type == I64 ? G(0) : W(0);
        TCGTemp *x;

        tcg_func_start(s);
        x = const_of(c->itype, c->x);
        if (c->nb_in == 2) {
            gen3(c->opc, c->type, d, x, const_of(c->itype, c->y));
        } else {
            gen2(c->opc, c->type, d, x);
        }
        tcg_optimize(s);
        if (tcg_op_count(s, c->opc) != 0) {
            fail_msg("case %zu: %s not folded", i, tcg_op_defs[c->opc].name);
        }
        if (writer_of(d)->opc != INDEX_op_mov ||
            arg_temp(writer_of(d)->args[1])->val != c->expect) {
            fail_msg("case %zu: %s folded wrongly", i,
                     tcg_op_defs[c->opc].name);
        }
        check_const(d, c->expect);
    }
}

static void test_optimize_leaves_bad_division_to_runtime(void **state)
{
    static const TCGOpcode ops[] = {INDEX_op_div, INDEX_op_divu, INDEX_op_rem,
                                    INDEX_op_remu};

    (void)state;
    for (int i = 0; i < 4; i++) {
        gen3(ops[i], I64, G(0), CI64(5), CI64(0));
        gen3(ops[i], I32, W(0), CI32(5), CI32(0));
    }
    gen3(INDEX_op_div, I64, G(1), CI64(INT64_MIN), CI64(-1));
    gen3(INDEX_op_rem, I64, G(1), CI64(INT64_MIN), CI64(-1));
    gen3(INDEX_op_div, I32, W(1), CI32(INT32_MIN), CI32(-1));
    gen3(INDEX_op_rem, I32, W(1), CI32(INT32_MIN), CI32(-1));
    tcg_optimize(s);
    assert_int_equal(tcg_op_count(s, INDEX_op_div), 4);
    assert_int_equal(tcg_op_count(s, INDEX_op_rem), 4);
    assert_int_equal(tcg_op_count(s, INDEX_op_divu), 2);
    assert_int_equal(tcg_op_count(s, INDEX_op_remu), 2);
    assert_int_equal(tcg_op_count(s, INDEX_op_mov), 0);
}

static void test_optimize_folds_bitfields(void **state)
{
    (void)state;
    tcg_gen_extract_i64(hg[0], tcg_constant_i64(0x123456789abcdef0ll), 8, 16);
    tcg_gen_sextract_i64(hg[1], tcg_constant_i64(0x8000), 12, 4);
    tcg_gen_deposit_i64(hg[2], tcg_constant_i64(-1), tcg_constant_i64(0x12), 8,
                        8);
    tcg_gen_extract_i32(hw[0], tcg_constant_i32(INT32_MIN), 28, 4);
    tcg_gen_sextract_i32(hw[1], tcg_constant_i32(INT32_MIN), 28, 4);
    tcg_gen_deposit_i32(hw[2], tcg_constant_i32(0), tcg_constant_i32(0x1ff), 24,
                        8);
    tcg_optimize(s);
    assert_int_equal(live_ops(), 6);
    check_const(G(0), 0xbcde);
    check_const(G(1), -8);
    check_const(G(2), (int64_t)0xffffffffffff12ffull);
    check_const(W(0), 8);
    check_const(W(1), -8);
    check_const(W(2), (int32_t)0xff000000u);
}

static void test_optimize_keeps_ops_with_unknown_inputs(void **state)
{
    (void)state;
    gen3(INDEX_op_add, I64, G(0), G(1), CI64(5));
    gen3(INDEX_op_shl, I64, G(2), CI64(1), G(1));
    tcg_gen_extract_i64(hg[3], hg[1], 8, 8);
    tcg_optimize(s);
    assert_int_equal(tcg_op_count(s, INDEX_op_add), 1);
    assert_int_equal(tcg_op_count(s, INDEX_op_shl), 1);
    assert_int_equal(tcg_op_count(s, INDEX_op_extract), 1);
    assert_int_equal(tcg_op_count(s, INDEX_op_mov), 0);
}

static void test_optimize_puts_constant_second(void **state)
{
    TCGOp *op;

    (void)state;
    gen3(INDEX_op_add, I64, G(0), CI64(5), G(1));
    tcg_gen_setcond_i64(TCG_COND_LT, hg[2], tcg_constant_i64(3), hg[1]);
    tcg_optimize(s);
    op = nth_op(INDEX_op_add, 0);
    assert_non_null(op);
    assert_ptr_equal(arg_temp(op->args[1]), G(1));
    assert_ptr_equal(arg_temp(op->args[2]), CI64(5));
    op = nth_op(INDEX_op_setcond, 0);
    assert_non_null(op);
    assert_ptr_equal(arg_temp(op->args[1]), G(1));
    assert_int_equal(op->args[3], TCG_COND_GT); /* 3 < x  <=>  x > 3 */
}

typedef struct IdentCase {
    TCGOpcode opc;
    int b;         /* second input: 0, -1, 1 constants, or 9: same as a */
    int result;    /* 'a': mov a, 'c': constant, '~': not a */
    int64_t value; /* for 'c' */
} IdentCase;

static const IdentCase ident_cases[] = {
    {INDEX_op_add, 0, 'a', 0},  {INDEX_op_sub, 0, 'a', 0},
    {INDEX_op_sub, 9, 'c', 0},  {INDEX_op_mul, 1, 'a', 0},
    {INDEX_op_mul, 0, 'c', 0},  {INDEX_op_muluh, 0, 'c', 0},
    {INDEX_op_div, 1, 'a', 0},  {INDEX_op_remu, 1, 'c', 0},
    {INDEX_op_and, 0, 'c', 0},  {INDEX_op_and, -1, 'a', 0},
    {INDEX_op_and, 9, 'a', 0},  {INDEX_op_or, 0, 'a', 0},
    {INDEX_op_or, -1, 'c', -1}, {INDEX_op_or, 9, 'a', 0},
    {INDEX_op_xor, 0, 'a', 0},  {INDEX_op_xor, 9, 'c', 0},
    {INDEX_op_xor, -1, '~', 0}, {INDEX_op_andc, 9, 'c', 0},
    {INDEX_op_andc, 0, 'a', 0}, {INDEX_op_andc, -1, 'c', 0},
    {INDEX_op_orc, 9, 'c', -1}, {INDEX_op_orc, -1, 'a', 0},
    {INDEX_op_eqv, 9, 'c', -1}, {INDEX_op_eqv, -1, 'a', 0},
    {INDEX_op_nand, 9, '~', 0}, {INDEX_op_nor, 0, '~', 0},
    {INDEX_op_shl, 0, 'a', 0},  {INDEX_op_shr, 0, 'a', 0},
    {INDEX_op_sar, 0, 'a', 0},  {INDEX_op_rotl, 0, 'a', 0},
    {INDEX_op_rotr, 0, 'a', 0},
};

static void check_identity(TCGType type, const IdentCase *c, size_t i)
{
    TCGTemp *a = type == I64 ? G(1) : W(1), *d = type == I64 ? G(0) : W(0);
    TCGTemp *b = c->b == 9 ? a : const_of(type, c->b);
    TCGOp *op;

    tcg_func_start(s);
    gen3(c->opc, type, d, a, b);
    tcg_optimize(s);
    op = writer_of(d);
    assert_non_null(op);
    if (c->result == 'c') {
        check_const(d, c->value);
    } else if (c->result == 'a') {
        check_mov(d, a);
    } else if (op->opc != INDEX_op_not || arg_temp(op->args[1]) != a) {
        fail_msg("case %zu: %s is not 'not a'", i, tcg_op_defs[c->opc].name);
    }
}

static void test_optimize_applies_identities(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(ident_cases) / sizeof(ident_cases[0]); i++) {
        check_identity(I64, &ident_cases[i], i);
        check_identity(I32, &ident_cases[i], i);
    }
}

static void test_optimize_shift_by_width_is_identity(void **state)
{
    (void)state;
    gen3(INDEX_op_shl, I32, W(0), W(1), CI32(32));
    gen3(INDEX_op_rotr, I64, G(0), G(1), CI64(128));
    gen3(INDEX_op_shl, I64, G(2), G(1), CI64(32)); /* not an identity */
    tcg_optimize(s);
    check_mov(W(0), W(1));
    check_mov(G(0), G(1));
    assert_int_equal(tcg_op_count(s, INDEX_op_shl), 1);
}

static void test_optimize_removes_redundant_mov(void **state)
{
    (void)state;
    gen2(INDEX_op_mov, I64, G(0), G(0));
    gen2(INDEX_op_mov, I64, G(1), G(2));
    gen2(INDEX_op_mov, I64, G(1), G(2)); /* already equal */
    gen2(INDEX_op_mov, I64, G(2), G(1)); /* already equal */
    tcg_optimize(s);
    assert_int_equal(tcg_op_count(s, INDEX_op_mov), 1);
    assert_int_equal(live_ops(), 1);
}

static void test_optimize_propagates_copies(void **state)
{
    TCGv_i64 t = tcg_temp_new_i64();
    TCGOp *op;

    (void)state;
    tcg_gen_mov_i64(t, hg[0]);
    tcg_gen_add_i64(hg[1], t, hg[2]);
    tcg_optimize(s);
    op = nth_op(INDEX_op_add, 0);
    assert_non_null(op);
    assert_ptr_equal(arg_temp(op->args[1]), G(0));
}

static void test_optimize_write_breaks_copy(void **state)
{
    TCGv_i64 t = tcg_temp_new_i64();
    TCGOp *op;

    (void)state;
    tcg_gen_mov_i64(t, hg[0]);
    tcg_gen_mov_i64(hg[0], hg[2]); /* t keeps the old g0 */
    tcg_gen_add_i64(hg[1], t, t);
    tcg_gen_sub_i64(hg[3], hg[0], hg[2]); /* g0 == g2 now: 0 */
    tcg_optimize(s);
    op = nth_op(INDEX_op_add, 0);
    assert_non_null(op);
    assert_ptr_equal(arg_temp(op->args[1]), tcgv_i64_temp(t));
    assert_ptr_equal(arg_temp(op->args[2]), tcgv_i64_temp(t));
    check_const(G(3), 0);
}

static void test_optimize_prefers_oldest_temp(void **state)
{
    TCGv_i64 t1 = tcg_temp_new_i64(), t2 = tcg_temp_new_i64();
    TCGv_i64 t3 = tcg_temp_new_i64();
    TCGOp *op;

    (void)state;
    tcg_gen_ld_i64(t1, tcg_env, offsetof(TestEnv, scratch));
    tcg_gen_mov_i64(t2, t1);
    tcg_gen_mov_i64(t3, t2);
    tcg_gen_add_i64(hg[0], t3, t3);
    tcg_gen_ld_i64(t1, tcg_env, offsetof(TestEnv, scratch[1]));
    tcg_gen_add_i64(hg[1], t3, t1);
    tcg_optimize(s);
    op = nth_op(INDEX_op_add, 0);
    assert_ptr_equal(arg_temp(op->args[1]), tcgv_i64_temp(t1));
    op = nth_op(INDEX_op_add, 1);
    assert_ptr_equal(arg_temp(op->args[1]), tcgv_i64_temp(t2));
    assert_ptr_equal(arg_temp(op->args[2]), tcgv_i64_temp(t1));
}

static void test_optimize_propagates_constants(void **state)
{
    TCGv_i64 t = tcg_temp_new_i64();
    TCGv_i32 u = tcg_temp_new_i32();

    (void)state;
    tcg_gen_movi_i64(t, 3);
    tcg_gen_addi_i64(hg[0], t, 4);
    tcg_gen_mul_i64(hg[1], hg[0], t);
    tcg_gen_movi_i32(u, -1);
    tcg_gen_shri_i32(hw[0], u, 28);
    tcg_gen_extu_i32_i64(hg[2], u);
    tcg_optimize(s);
    check_const(G(0), 7);
    check_const(G(1), 21);
    check_const(W(0), 15);
    check_const(G(2), 0xffffffffll);
    assert_int_equal(tcg_op_count(s, INDEX_op_add), 0);
    assert_int_equal(tcg_op_count(s, INDEX_op_mul), 0);
}

static void test_optimize_forgets_at_label(void **state)
{
    TCGv_i64 t = tcg_temp_new_tb_i64();
    TCGLabel *l = gen_new_label();

    (void)state;
    tcg_gen_movi_i64(t, 3);
    tcg_gen_movi_i64(hg[0], 3);
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[1], 0, l);
    tcg_gen_addi_i64(hg[2], t, 1); /* still known after brcond */
    gen_set_label(l);
    tcg_gen_addi_i64(hg[3], t, 1);
    tcg_gen_addi_i64(hg[4], hg[0], 1);
    tcg_optimize(s);
    check_const(G(2), 4);
    assert_int_equal(tcg_op_count(s, INDEX_op_add), 2);
    assert_int_equal(writer_of(G(3))->opc, INDEX_op_add);
    assert_ptr_equal(arg_temp(writer_of(G(3))->args[1]), tcgv_i64_temp(t));
}

static void dummy_helper(void)
{
}

static void gen_call(unsigned flags)
{
    static TCGHelperInfo infos[16];

    infos[flags] = (TCGHelperInfo){(void *)dummy_helper, "dummy", flags};
    tcg_gen_callN(&infos[flags], NULL, 0, NULL);
}

static void test_optimize_call_forgets_globals(void **state)
{
    TCGv_i64 t = tcg_temp_new_i64();

    (void)state;
    tcg_gen_movi_i64(hg[0], 5);
    tcg_gen_movi_i64(t, 6);
    gen_call(0);
    tcg_gen_addi_i64(hg[1], hg[0], 1); /* g0 may have changed */
    tcg_gen_addi_i64(hg[2], t, 1);     /* a temp cannot */
    tcg_gen_movi_i64(hg[0], 5);
    gen_call(TCG_CALL_NO_WG);
    tcg_gen_addi_i64(hg[3], hg[0], 1);
    tcg_optimize(s);
    assert_int_equal(writer_of(G(1))->opc, INDEX_op_add);
    check_const(G(2), 7);
    check_const(G(3), 6);
}

/* An extension of a value known to be extended already becomes a mov. */
static void test_optimize_drops_known_extensions(void **state)
{
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();

    (void)state;
    tcg_gen_mul_i64(t, hg[0], hg[1]);
    tcg_gen_ext32s_i64(hg[2], t);     /* mulw */
    tcg_gen_ext32s_i64(hg[3], hg[2]); /* sext.w: mov */
    tcg_gen_ext32u_i64(hg[4], hg[2]); /* not zero-extended: stays */
    tcg_gen_extract_i64(u, hg[0], 16, 16);
    tcg_gen_ext32u_i64(hg[5], u); /* mov */
    tcg_gen_ext32s_i64(hg[6], u); /* below 2^31: mov */
    tcg_gen_qemu_ld_i64(hg[7], hg[0], MO_UL);
    tcg_gen_andi_i64(hg[8], hg[7], 0xffffffff); /* mov */
    tcg_gen_ext32s_i64(hg[9], hg[7]);           /* lwu then sext.w: stays */
    tcg_gen_shri_i64(hg[10], hg[1], 32);
    tcg_gen_xor_i64(hg[11], hg[10], hg[7]);
    tcg_gen_ext32u_i64(hg[12], hg[11]); /* mov */
    tcg_optimize(s);
    check_mov(G(3), G(2));
    assert_int_equal(writer_of(G(4))->opc, INDEX_op_ext32u);
    check_mov(G(5), tcgv_i64_temp(u));
    check_mov(G(6), G(5)); /* u's best copy */
    check_mov(G(8), G(7));
    assert_int_equal(writer_of(G(9))->opc, INDEX_op_ext32s);
    check_mov(G(12), G(11));
}

/*
 * muluh by a constant c is below c: remuw by 37 (Lemire's form) needs no
 * sign extension; up to 2^32 it is zero-extended; above, nothing known.
 */
static void test_optimize_bounds_muluh_by_constant(void **state)
{
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();
    TCGv_i64 v = tcg_temp_new_i64(), w = tcg_temp_new_i64();

    (void)state;
    tcg_gen_muluh_i64(t, tcg_constant_i64(37), hg[0]);
    tcg_gen_ext32s_i64(hg[1], t); /* mov */
    tcg_gen_ext32u_i64(hg[2], t); /* mov */
    tcg_gen_muluh_i64(u, hg[0], tcg_constant_i64(1ll << 32));
    tcg_gen_ext32u_i64(hg[3], u); /* mov */
    tcg_gen_ext32s_i64(hg[4], u); /* may be 2^32 - 1: stays */
    tcg_gen_muluh_i64(v, hg[0], tcg_constant_i64((1ll << 32) + 1));
    tcg_gen_ext32u_i64(hg[5], v); /* may be 2^32: stays */
    tcg_gen_muluh_i64(w, hg[0], hg[6]);
    tcg_gen_ext32s_i64(hg[7], w); /* not a constant: stays */
    tcg_optimize(s);
    check_mov(G(1), tcgv_i64_temp(t));
    check_mov(G(2), G(1));
    check_mov(G(3), tcgv_i64_temp(u));
    assert_int_equal(writer_of(G(4))->opc, INDEX_op_ext32s);
    assert_int_equal(writer_of(G(5))->opc, INDEX_op_ext32u);
    assert_int_equal(writer_of(G(7))->opc, INDEX_op_ext32s);
}

/*
 * "slli g1, g1, 32; srli g1, g1, 32" of a zero-extended value (a lwu kept
 * in an EBB temp too) gives the value back; not for a value that may have
 * high bits, nor once the saved temp is written or after a label.
 */
static void test_optimize_folds_zext_shift_pair(void **state)
{
    TCGv_i64 a = tcg_temp_new_i64(), b = tcg_temp_new_i64();
    TCGv_i64 c = tcg_temp_new_i64();
    TCGv_i64 t[4], u[4];
    TCGLabel *l = gen_new_label();

    (void)state;
    for (int i = 0; i < 4; i++) {
        t[i] = tcg_temp_new_i64();
        u[i] = tcg_temp_new_i64();
    }
    tcg_gen_qemu_ld_i64(a, hg[0], MO_UL);
    tcg_gen_mov_i64(hg[1], a);
    tcg_gen_shli_i64(t[0], hg[1], 32);
    tcg_gen_mov_i64(hg[1], t[0]);
    tcg_gen_shri_i64(u[0], hg[1], 32); /* mov u0, a */
    tcg_gen_mov_i64(hg[1], u[0]);
    tcg_gen_mul_i64(b, hg[2], hg[3]);
    tcg_gen_mov_i64(hg[4], b);
    tcg_gen_shli_i64(t[1], hg[4], 32);
    tcg_gen_shri_i64(u[1], t[1], 32); /* not zero-extended: stays */
    tcg_gen_qemu_ld_i64(c, hg[0], MO_UL);
    tcg_gen_shli_i64(t[2], c, 32);
    tcg_gen_movi_i64(c, 5);
    tcg_gen_shri_i64(u[2], t[2], 32); /* c written: stays */
    tcg_gen_qemu_ld_i64(hg[5], hg[0], MO_UL);
    tcg_gen_shli_i64(t[3], hg[5], 32);
    gen_set_label(l);
    tcg_gen_shri_i64(u[3], t[3], 32); /* after a label: stays */
    tcg_optimize(s);
    check_mov(tcgv_i64_temp(u[0]), tcgv_i64_temp(a));
    for (int i = 1; i < 4; i++) {
        assert_int_equal(writer_of(tcgv_i64_temp(u[i]))->opc, INDEX_op_shr);
    }
}

/* Known extensions are forgotten at labels, calls and writes. */
static void test_optimize_forgets_known_extensions(void **state)
{
    TCGLabel *l = gen_new_label();

    (void)state;
    tcg_gen_ext32s_i64(hg[0], hg[1]);
    tcg_gen_ext32s_i64(hg[2], hg[3]);
    tcg_gen_ext32s_i64(hg[4], hg[5]);
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[6], 0, l);
    tcg_gen_ext32s_i64(hg[7], hg[0]);  /* after a brcond: mov */
    tcg_gen_addi_i64(hg[2], hg[2], 1); /* written: no longer known */
    tcg_gen_ext32s_i64(hg[8], hg[2]);
    gen_call(0);
    tcg_gen_ext32s_i64(hg[9], hg[4]); /* the call may write g4 */
    tcg_gen_ext32s_i64(hg[4], hg[5]);
    gen_set_label(l);
    tcg_gen_ext32s_i64(hg[10], hg[4]); /* other paths join here */
    tcg_optimize(s);
    check_mov(G(7), G(0));
    assert_int_equal(writer_of(G(8))->opc, INDEX_op_ext32s);
    assert_int_equal(writer_of(G(9))->opc, INDEX_op_ext32s);
    assert_int_equal(writer_of(G(10))->opc, INDEX_op_ext32s);
}

/*
 * A loop head inside the TB keeps the fall-through's known extensions of
 * the globals every back edge keeps: "sext.w a5" in threads' xorshift loop
 * (g0 here).  Each case but the first breaks that in one way.
 */
enum {
    LOOPX_KEPT,        /* the xorshift chain: g0 stays sign-extended */
    LOOPX_WRITTEN,     /* the back edge leaves g0 unextended */
    LOOPX_SECOND_EDGE, /* a second back edge, after g0 is written */
    LOOPX_FORWARD,     /* a branch before the head goes to it */
    LOOPX_CALL,        /* a helper in the body may write g0 */
    LOOPX_ROUND2,      /* g0 = g1 at the edge, g1 unextended: 2nd walk */
};

static void gen_loopx_case(int kind)
{
    TCGLabel *head = gen_new_label(), *out = gen_new_label();
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_ext32s_i64(hg[0], hg[1]);
    tcg_gen_ext32s_i64(hg[1], hg[2]);
    if (kind == LOOPX_FORWARD) {
        tcg_gen_brcondi_i64(TCG_COND_EQ, hg[6], 0, head);
    }
    gen_set_label(head);
    tcg_gen_ext32s_i64(hg[3], hg[0]); /* sext.w: mov when g0 is known */
    tcg_gen_shli_i64(t, hg[0], 13);
    tcg_gen_ext32s_i64(hg[4], t);
    tcg_gen_xor_i64(hg[0], hg[0], hg[4]); /* both sign-extended */
    if (kind == LOOPX_SECOND_EDGE) {
        tcg_gen_brcondi_i64(TCG_COND_EQ, hg[6], 1, head);
    }
    if (kind == LOOPX_CALL) {
        gen_call(0);
    }
    if (kind == LOOPX_WRITTEN || kind == LOOPX_SECOND_EDGE) {
        tcg_gen_addi_i64(hg[0], hg[0], 1);
    }
    if (kind == LOOPX_ROUND2) {
        tcg_gen_mov_i64(hg[0], hg[1]);
        tcg_gen_addi_i64(hg[1], hg[1], 1);
    }
    tcg_gen_brcondi_i64(TCG_COND_NE, hg[5], 0, head);
    if (kind == LOOPX_SECOND_EDGE) {
        tcg_gen_br(out); /* the first edge is not the last one */
    }
    gen_set_label(out);
    tcg_optimize(s);
}

static void test_optimize_keeps_extensions_at_loop_head(void **state)
{
    (void)state;
    gen_loopx_case(LOOPX_KEPT);
    check_mov(G(3), G(0));
}

static void test_optimize_forgets_extensions_at_loop_head(void **state)
{
    static const int kinds[] = {LOOPX_WRITTEN, LOOPX_SECOND_EDGE, LOOPX_FORWARD,
                                LOOPX_CALL, LOOPX_ROUND2};

    (void)state;
    for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
        tcg_func_start(s);
        s->optimize = true;
        gen_loopx_case(kinds[k]);
        assert_int_equal(writer_of(G(3))->opc, INDEX_op_ext32s);
    }
}

/*
 * threads' xorshift step on g0 (sign-extended on the way in), g2 as a4,
 * then g0 written: tcg_wlogic_fold swaps both "ext32s; xor" pairs and
 * drops the first pair's extension.  Each case but the first breaks one
 * condition and keeps all three extensions.
 */
enum {
    WL_CHAIN,     /* the chain: 2 ext32s left (the entry's, the last xor's) */
    WL_GUEST_LD,  /* a guest access sees g0 mid-chain: no drop */
    WL_HIGH_READ, /* g0's upper half is read (shr 32): no drop */
    WL_NOT_SEXT,  /* g0 not known sign-extended: no swap */
    WL_B_READ,    /* g2 (B) read after the xor: no swap of the first pair */
};

static void gen_wlogic_case(int kind)
{
    TCGv_i64 t1 = tcg_temp_new_i64(), t2 = tcg_temp_new_i64();
    TCGv_i64 t3 = tcg_temp_new_i64(), t4 = tcg_temp_new_i64();
    TCGv_i64 t5 = tcg_temp_new_i64();

    if (kind == WL_NOT_SEXT) {
        tcg_gen_mov_i64(hg[0], hg[1]);
    } else {
        tcg_gen_ext32s_i64(hg[0], hg[1]);
    }
    tcg_gen_shli_i64(t1, hg[0], 13); /* slliw a4, a5, 13 */
    tcg_gen_ext32s_i64(hg[2], t1);
    tcg_gen_xor_i64(t3, hg[0], hg[2]); /* xor a5, a5, a4 (as translated) */
    tcg_gen_mov_i64(hg[0], t3);
    if (kind == WL_B_READ) {
        tcg_gen_mov_i64(hg[4], hg[2]);
    }
    tcg_gen_extract_i64(hg[2], hg[0], 17, 15); /* srliw a4, a5, 17 */
    if (kind == WL_GUEST_LD) {
        tcg_gen_qemu_ld_i64(hg[5], hg[6], MO_UL);
    }
    if (kind == WL_HIGH_READ) {
        tcg_gen_shri_i64(hg[5], hg[0], 32);
    }
    tcg_gen_xor_i64(t4, hg[0], hg[2]);
    tcg_gen_mov_i64(hg[0], t4);
    tcg_gen_shli_i64(t2, hg[0], 5); /* slliw a4, a5, 5 */
    tcg_gen_ext32s_i64(hg[2], t2);
    tcg_gen_xor_i64(t5, hg[2], hg[0]); /* xor a4, a4, a5 */
    tcg_gen_mov_i64(hg[2], t5);
    tcg_gen_addi_i64(hg[0], hg[3], 1); /* a5 written */
    tcg_optimize(s);
}

static void test_optimize_folds_wlogic_chains(void **state)
{
    (void)state;
    gen_wlogic_case(WL_CHAIN);
    assert_int_equal(tcg_op_count(s, INDEX_op_ext32s), 2);
    assert_int_equal(tcg_op_count(s, INDEX_op_xor), 3);
    /* the first pair: "xor t1, t1, g0; mov t3, t1" (no ext32s) */
    assert_int_equal(nth_op(INDEX_op_xor, 0)->args[0],
                     nth_op(INDEX_op_xor, 0)->args[1]);
}

static void test_optimize_keeps_wlogic_chains(void **state)
{
    static const struct {
        int kind, ext32s;
    } cases[] = {
        {WL_GUEST_LD, 3},
        {WL_HIGH_READ, 3},
        {WL_NOT_SEXT, 2}, /* the entry has no ext32s */
        {WL_B_READ, 3},
    };

    (void)state;
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        tcg_func_start(s);
        s->optimize = true;
        gen_wlogic_case(cases[k].kind);
        assert_int_equal(tcg_op_count(s, INDEX_op_ext32s), cases[k].ext32s);
    }
}

/* "mulw g2, g0, g1; ...; addiw g2, g2, 5": the first ext32s goes. */
static void test_optimize_folds_wchains(void **state)
{
    TCGv_i64 t1 = tcg_temp_new_i64(), t2 = tcg_temp_new_i64();
    TCGOp *op;

    (void)state;
    tcg_gen_mul_i64(t1, hg[0], hg[1]);
    tcg_gen_ext32s_i64(hg[2], t1);
    tcg_gen_addi_i64(hg[3], hg[4], 1); /* not reading g2: no matter */
    tcg_gen_addi_i64(t2, hg[2], 5);
    tcg_gen_ext32s_i64(hg[2], t2);
    tcg_optimize(s);
    assert_int_equal(tcg_op_count(s, INDEX_op_ext32s), 1);
    op = nth_op(INDEX_op_add, 1);
    assert_non_null(op);
    assert_ptr_equal(arg_temp(op->args[1]), tcgv_i64_temp(t1));
    assert_ptr_equal(arg_temp(op->args[0]), tcgv_i64_temp(t2));
}

/* What keeps the first ext32s: a reader, a guest access, a later use. */
static void test_optimize_keeps_wchains(void **state)
{
    (void)state;
    for (int k = 0; k < 4; k++) {
        TCGv_i64 t1, t2;

        tcg_func_start(s);
        s->optimize = true;
        t1 = tcg_temp_new_i64(), t2 = tcg_temp_new_i64();
        tcg_gen_mul_i64(t1, hg[0], hg[1]);
        tcg_gen_ext32s_i64(hg[2], t1);
        if (k == 0) {
            tcg_gen_mov_i64(hg[5], hg[2]); /* g2 read in between */
        } else if (k == 1) {
            tcg_gen_qemu_ld_i64(hg[5], hg[6], MO_UQ); /* may fault */
        } else if (k == 2) {
            tcg_gen_shri_i64(hg[5], hg[2], 3); /* high bits matter */
        }
        tcg_gen_addi_i64(t2, hg[2], 5);
        tcg_gen_ext32s_i64(hg[2], t2);
        if (k == 3) {
            tcg_gen_mov_i64(hg[7], t2); /* the 64-bit sum is used */
        }
        tcg_optimize(s);
        if (tcg_op_count(s, INDEX_op_ext32s) != 2) {
            fail_msg("case %d: %d ext32s left", k,
                     tcg_op_count(s, INDEX_op_ext32s));
        }
    }
}

/* muluh/mulsh by a constant: the constant goes first (into rax). */
static void test_optimize_puts_mulh_constant_first(void **state)
{
    TCGOp *op;

    (void)state;
    gen3(INDEX_op_muluh, I64, G(0), G(1), CI64(37));
    gen3(INDEX_op_mulsh, I64, G(2), G(1), CI64(-7));
    gen3(INDEX_op_muluh, I64, G(3), G(1), G(4));
    tcg_optimize(s);
    op = nth_op(INDEX_op_muluh, 0);
    assert_ptr_equal(arg_temp(op->args[1]), CI64(37));
    assert_ptr_equal(arg_temp(op->args[2]), G(1));
    op = nth_op(INDEX_op_mulsh, 0);
    assert_ptr_equal(arg_temp(op->args[1]), CI64(-7));
    op = nth_op(INDEX_op_muluh, 1);
    assert_ptr_equal(arg_temp(op->args[1]), G(1));
    assert_ptr_equal(arg_temp(op->args[2]), G(4));
}

static void test_optimize_folds_brcond(void **state)
{
    TCGLabel *l1 = gen_new_label(), *l2 = gen_new_label();
    TCGLabel *l3 = gen_new_label();

    (void)state;
    tcg_gen_brcond_i64(TCG_COND_LT, tcg_constant_i64(2), tcg_constant_i64(1),
                       l1); /* never taken: removed */
    tcg_gen_brcond_i64(TCG_COND_LT, hg[0], hg[0], l1); /* never */
    tcg_gen_brcond_i32(TCG_COND_GTU, tcg_constant_i32(-1), tcg_constant_i32(1),
                       l2);            /* taken: br */
    tcg_gen_addi_i64(hg[1], hg[2], 1); /* unreachable */
    tcg_gen_insn_start(0x1000);        /* kept */
    gen_set_label(l1);
    tcg_gen_brcond_i64(TCG_COND_GEU, hg[0], hg[0], l3); /* always */
    gen_set_label(l3);
    tcg_gen_brcondi_i64(TCG_COND_LTU, hg[0], 0, l3); /* never */
    gen_set_label(l2);
    tcg_optimize(s);
    assert_int_equal(tcg_op_count(s, INDEX_op_brcond), 0);
    assert_int_equal(tcg_op_count(s, INDEX_op_br), 1);
    assert_int_equal(arg_label(nth_op(INDEX_op_br, 0)->args[0]), l2);
    assert_int_equal(tcg_op_count(s, INDEX_op_add), 0);
    assert_int_equal(tcg_op_count(s, INDEX_op_insn_start), 1);
    assert_int_equal(tcg_op_count(s, INDEX_op_set_label), 3);
    assert_int_equal(l1->refs, 0);
    assert_int_equal(l2->refs, 1);
    assert_int_equal(l3->refs, 0); /* "br l3; set_label l3" loses the br */
    assert_int_equal(live_ops(), 5);
}

static void test_optimize_removes_code_after_exit(void **state)
{
    TCGLabel *l = gen_new_label();

    (void)state;
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[0], 0, l);
    tcg_gen_exit_tb(NULL, 0);
    tcg_gen_movi_i64(hg[1], 1);
    tcg_gen_mb(TCG_MO_ALL);
    gen_set_label(l);
    tcg_gen_movi_i64(hg[2], 2);
    tcg_optimize(s);
    assert_int_equal(tcg_op_count(s, INDEX_op_brcond), 1);
    assert_null(writer_of(G(1)));
    assert_int_equal(tcg_op_count(s, INDEX_op_mb), 0);
    check_const(G(2), 2);
    assert_int_equal(live_ops(), 4);
}

static void test_optimize_folds_setcond_and_movcond(void **state)
{
    (void)state;
    tcg_gen_setcond_i64(TCG_COND_LT, hg[0], tcg_constant_i64(-1),
                        tcg_constant_i64(1));
    tcg_gen_setcond_i64(TCG_COND_LTU, hg[1], tcg_constant_i64(-1),
                        tcg_constant_i64(1));
    tcg_gen_setcond_i32(TCG_COND_LTU, hw[0], tcg_constant_i32(INT32_MIN),
                        tcg_constant_i32(1));
    tcg_gen_setcond_i32(TCG_COND_LE, hw[1], tcg_constant_i32(INT32_MIN),
                        tcg_constant_i32(1));
    tcg_gen_setcond_i64(TCG_COND_GT, hg[2], hg[5], hg[5]);
    tcg_gen_setcond_i64(TCG_COND_LEU, hg[3], hg[5], hg[5]);
    tcg_gen_setcondi_i64(TCG_COND_GEU, hg[4], hg[5], 0);
    tcg_gen_movcond_i64(TCG_COND_NE, hg[6], tcg_constant_i64(1),
                        tcg_constant_i64(2), hg[8], hg[9]);
    tcg_gen_movcond_i64(TCG_COND_GE, hg[7], hg[5], hg[5], hg[8], hg[9]);
    tcg_gen_movcond_i64(TCG_COND_EQ, hg[10], hg[5], hg[6], hg[9], hg[9]);
    tcg_gen_setcond_i64(TCG_COND_EQ, hg[11], hg[5], hg[6]); /* unknown */
    tcg_optimize(s);
    check_const(G(0), 1);
    check_const(G(1), 0);
    check_const(W(0), 0);
    check_const(W(1), 1);
    check_const(G(2), 0);
    check_const(G(3), 1);
    check_const(G(4), 1);
    check_mov(G(6), G(8));
    check_mov(G(7), G(8));
    check_mov(G(10), G(9));
    assert_int_equal(tcg_op_count(s, INDEX_op_movcond), 0);
    assert_int_equal(tcg_op_count(s, INDEX_op_setcond), 1);
}

static void test_optimize_merges_barriers(void **state)
{
    (void)state;
    tcg_gen_mb(TCG_MO_LD_LD);
    tcg_gen_addi_i64(hg[0], hg[1], 1);
    tcg_gen_insn_start(0x1000);
    tcg_gen_mb(TCG_MO_ST_ST);
    tcg_gen_mb(TCG_BAR_SC | TCG_MO_LD_ST);
    tcg_gen_qemu_ld_i64(hg[2], hg[3], MO_UQ); /* a memory access: keep */
    tcg_gen_mb(TCG_MO_ST_LD);
    tcg_optimize(s);
    assert_int_equal(tcg_op_count(s, INDEX_op_mb), 2);
    assert_int_equal(nth_op(INDEX_op_mb, 0)->args[0],
                     TCG_MO_LD_LD | TCG_MO_ST_ST | TCG_MO_LD_ST | TCG_BAR_SC);
    assert_int_equal(nth_op(INDEX_op_mb, 1)->args[0], TCG_MO_ST_LD);
}

static void test_optimize_survives_full_temp_table(void **state)
{
    TCGTemp *c1 = CI64(1), *c2 = CI64(2), *c0 = CI64(0);

    (void)state;
    while (s->nb_temps < TCG_MAX_TEMPS) {
        tcg_temp_new_i64();
    }
    gen3(INDEX_op_add, I64, G(0), c1, c2); /* 3 would need a new temp */
    gen3(INDEX_op_add, I64, G(1), G(2), c0);
    tcg_optimize(s);
    assert_int_equal(s->nb_temps, TCG_MAX_TEMPS);
    assert_int_equal(tcg_op_count(s, INDEX_op_add), 1);
    check_mov(G(1), G(2));
}

/* Differential test: random expressions, with and without the optimizer. */

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DIFF_IN 3  /* inputs: g[0..2] */
#define DIFF_OUT 4 /* outputs: g[3..6] */

static const int64_t diff_consts[] = {
    0,         1,         -1,
    2,         3,         7,
    31,        32,        63,
    64,        0xff,      0x8000,
    INT32_MAX, INT32_MIN, 0xffffffffll,
    INT64_MAX, INT64_MIN, 0x123456789abcdef0ll,
};

static const TCGCond diff_conds[] = {
    TCG_COND_NEVER, TCG_COND_ALWAYS, TCG_COND_EQ,  TCG_COND_NE,
    TCG_COND_LT,    TCG_COND_GE,     TCG_COND_LE,  TCG_COND_GT,
    TCG_COND_LTU,   TCG_COND_GEU,    TCG_COND_LEU, TCG_COND_GTU,
};

static TCGCond diff_cond(uint64_t r)
{
    return diff_conds[r % NELEM(diff_conds)];
}

static TCGv_i64 diff_leaf(uint64_t *rng)
{
    uint64_t r = harness_rand(rng);

    if (r % 2) {
        return hg[(r >> 8) % DIFF_IN];
    }
    if (r % 8 == 0) {
        return tcg_constant_i64(harness_rand(rng));
    }
    return tcg_constant_i64(diff_consts[(r >> 8) % NELEM(diff_consts)]);
}

static const TCGOpcode diff_binops[] = {
    INDEX_op_add,  INDEX_op_sub,  INDEX_op_mul,  INDEX_op_muluh, INDEX_op_mulsh,
    INDEX_op_and,  INDEX_op_or,   INDEX_op_xor,  INDEX_op_andc,  INDEX_op_orc,
    INDEX_op_eqv,  INDEX_op_nand, INDEX_op_nor,  INDEX_op_shl,   INDEX_op_shr,
    INDEX_op_sar,  INDEX_op_rotl, INDEX_op_rotr, INDEX_op_clz,   INDEX_op_ctz,
    INDEX_op_divu, INDEX_op_remu, INDEX_op_div,  INDEX_op_rem,
};

static const TCGOpcode diff_unops[] = {
    INDEX_op_neg,     INDEX_op_not,    INDEX_op_ctpop,  INDEX_op_bswap16,
    INDEX_op_bswap32, INDEX_op_ext8s,  INDEX_op_ext8u,  INDEX_op_ext16s,
    INDEX_op_ext16u,  INDEX_op_ext32s, INDEX_op_ext32u, INDEX_op_bswap64,
};

static TCGv_i64 diff_expr(uint64_t *rng, int depth);

/* A divisor that is never 0 (nor -1, for signed division). */
static TCGv_i64 diff_divisor(uint64_t *rng, int depth)
{
    TCGv_i64 b = diff_expr(rng, depth), t = tcg_temp_new_i64();

    tcg_gen_andi_i64(t, b, 0xffff);
    tcg_gen_ori_i64(t, t, 1);
    tcg_temp_free_i64(b);
    return t;
}

/* An i32 detour: truncate, do an i32 op, extend back. */
static void diff_i32(uint64_t *rng, int depth, TCGv_i64 d)
{
    TCGv_i64 a = diff_expr(rng, depth), b = diff_expr(rng, depth);
    TCGv_i32 x = tcg_temp_new_i32(), y = tcg_temp_new_i32();
    TCGOpcode opc = diff_binops[harness_rand(rng) % 20]; /* no division */

    tcg_gen_extrl_i64_i32(x, a);
    tcg_gen_extrl_i64_i32(y, b);
    tcg_gen_op3(opc, I32, temp_arg(tcgv_i32_temp(x)),
                temp_arg(tcgv_i32_temp(x)), temp_arg(tcgv_i32_temp(y)));
    if (harness_rand(rng) % 2) {
        tcg_gen_ext_i32_i64(d, x);
    } else {
        tcg_gen_extu_i32_i64(d, x);
    }
    tcg_temp_free_i64(a);
    tcg_temp_free_i64(b);
    tcg_temp_free_i32(x);
    tcg_temp_free_i32(y);
}

static void diff_node(uint64_t *rng, int depth, TCGv_i64 d)
{
    uint64_t r = harness_rand(rng);
    TCGv_i64 a = diff_expr(rng, depth), b;
    TCGOpcode opc;

    switch (r % 8) {
    case 0:
        opc = diff_unops[(r >> 8) % NELEM(diff_unops)];
        tcg_gen_op2(opc, I64, temp_arg(tcgv_i64_temp(d)),
                    temp_arg(tcgv_i64_temp(a)));
        break;
    case 1: {
        unsigned pos = (r >> 8) % 64, len = 1 + (r >> 16) % (64 - pos);

        b = diff_expr(rng, depth);
        if (r & (1 << 24)) {
            tcg_gen_deposit_i64(d, a, b, pos, len);
        } else if (r & (1 << 25)) {
            tcg_gen_sextract_i64(d, a, pos, len);
        } else {
            tcg_gen_extract_i64(d, a, pos, len);
        }
        tcg_temp_free_i64(b);
        break;
    }
    case 2:
        b = diff_expr(rng, depth);
        if (r & (1 << 8)) {
            tcg_gen_setcond_i64(diff_cond(r >> 9), d, a, b);
        } else {
            tcg_gen_movcond_i64(diff_cond(r >> 9), d, a, b, b, a);
        }
        tcg_temp_free_i64(b);
        break;
    case 3:
        diff_i32(rng, depth, d);
        break;
    default:
        opc = diff_binops[(r >> 8) % NELEM(diff_binops)];
        b = opc >= INDEX_op_div && opc <= INDEX_op_remu
                ? diff_divisor(rng, depth)
                : diff_expr(rng, depth);
        tcg_gen_op3(opc, I64, temp_arg(tcgv_i64_temp(d)),
                    temp_arg(tcgv_i64_temp(a)), temp_arg(tcgv_i64_temp(b)));
        tcg_temp_free_i64(b);
        break;
    }
    tcg_temp_free_i64(a);
}

static TCGv_i64 diff_expr(uint64_t *rng, int depth)
{
    uint64_t r = harness_rand(rng);
    TCGv_i64 d;

    if (depth == 0 || r % 4 == 0) {
        TCGv_i64 leaf = diff_leaf(rng);

        if (r % 3) {
            return leaf;
        }
        d = tcg_temp_new_i64(); /* a copy, for copy propagation */
        tcg_gen_mov_i64(d, leaf);
        return d;
    }
    d = tcg_temp_new_i64();
    diff_node(rng, depth - 1, d);
    return d;
}

/* The TB for seed: outputs computed into g[3..6], maybe clobbering inputs. */
static void diff_gen(uint64_t seed)
{
    uint64_t rng = seed;
    TCGLabel *l = gen_new_label();

    for (int i = 0; i < DIFF_OUT; i++) {
        TCGv_i64 e = diff_expr(&rng, 4);

        tcg_gen_mov_i64(hg[DIFF_IN + i], e);
        tcg_temp_free_i64(e);
        if (harness_rand(&rng) % 4 == 0) {
            e = diff_expr(&rng, 2); /* overwrite an input */
            tcg_gen_mov_i64(hg[harness_rand(&rng) % DIFF_IN], e);
            tcg_temp_free_i64(e);
        }
    }
    /* A branch that may fold, over an op that changes an output. */
    tcg_gen_brcond_i64(diff_cond(harness_rand(&rng)), hg[DIFF_IN],
                       diff_leaf(&rng), l);
    tcg_gen_xori_i64(hg[DIFF_IN + 1], hg[DIFF_IN + 1], 0x5a5a);
    gen_set_label(l);
}

#define DIFF_TBS 2000
#define DIFF_RUNS 16

/* Compile seed's TB and run it on DIFF_RUNS inputs, recording g[]. */
static void diff_run(uint64_t seed, bool optimize,
                     uint64_t out[DIFF_RUNS][DIFF_IN + DIFF_OUT])
{
    TranslationBlock *tb = harness_begin();
    uint64_t rng = seed ^ 0xabcdef;
    TestEnv env;

    diff_gen(seed);
    tcg_ctx->optimize = optimize;
    harness_end(tb);
    tcg_ctx->optimize = true;
    for (int r = 0; r < DIFF_RUNS; r++) {
        memset(&env, 0, sizeof(env));
        for (int i = 0; i < DIFF_IN; i++) {
            uint64_t v = harness_rand(&rng);

            /* Small values hit more identities and corner cases. */
            env.g[i] = r % 4 == 0 ? v % 4 - 1 : v;
        }
        assert_int_equal(harness_run(&env, tb), 0);
        memcpy(out[r], env.g, sizeof(out[r]));
    }
}

static void test_optimize_differential_random_exprs(void **state)
{
    static uint64_t a[DIFF_RUNS][DIFF_IN + DIFF_OUT];
    static uint64_t b[DIFF_RUNS][DIFF_IN + DIFF_OUT];
    uint64_t ops_in = 0, ops_out = 0;

    (void)state;
    for (uint64_t seed = 1; seed <= DIFF_TBS; seed++) {
        diff_run(seed, false, a);
        ops_in += tcg_ctx->nb_ops;
        diff_run(seed, true, b);
        ops_out += tcg_ctx->nb_ops - tcg_op_count(tcg_ctx, INDEX_op_nop);
        for (int r = 0; r < DIFF_RUNS; r++) {
            for (int i = 0; i < DIFF_IN + DIFF_OUT; i++) {
                if (a[r][i] != b[r][i]) {
                    fail_msg("seed %" PRIu64 " run %d g%d: 0x%" PRIx64
                             " unoptimized, 0x%" PRIx64 " optimized",
                             seed, r, i, a[r][i], b[r][i]);
                }
            }
        }
    }
    /* The optimizer must have done something. */
    assert_true(ops_out < ops_in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_optimize_folds_every_alu_op, setup_test),
        cmocka_unit_test_setup(test_optimize_leaves_bad_division_to_runtime,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_folds_bitfields, setup_test),
        cmocka_unit_test_setup(test_optimize_keeps_ops_with_unknown_inputs,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_puts_constant_second, setup_test),
        cmocka_unit_test_setup(test_optimize_applies_identities, setup_test),
        cmocka_unit_test_setup(test_optimize_shift_by_width_is_identity,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_removes_redundant_mov, setup_test),
        cmocka_unit_test_setup(test_optimize_propagates_copies, setup_test),
        cmocka_unit_test_setup(test_optimize_write_breaks_copy, setup_test),
        cmocka_unit_test_setup(test_optimize_prefers_oldest_temp, setup_test),
        cmocka_unit_test_setup(test_optimize_propagates_constants, setup_test),
        cmocka_unit_test_setup(test_optimize_forgets_at_label, setup_test),
        cmocka_unit_test_setup(test_optimize_call_forgets_globals, setup_test),
        cmocka_unit_test_setup(test_optimize_drops_known_extensions,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_bounds_muluh_by_constant,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_folds_zext_shift_pair, setup_test),
        cmocka_unit_test_setup(test_optimize_forgets_known_extensions,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_keeps_extensions_at_loop_head,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_forgets_extensions_at_loop_head,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_folds_wlogic_chains, setup_test),
        cmocka_unit_test_setup(test_optimize_keeps_wlogic_chains, setup_test),
        cmocka_unit_test_setup(test_optimize_folds_wchains, setup_test),
        cmocka_unit_test_setup(test_optimize_keeps_wchains, setup_test),
        cmocka_unit_test_setup(test_optimize_puts_mulh_constant_first,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_folds_brcond, setup_test),
        cmocka_unit_test_setup(test_optimize_removes_code_after_exit,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_folds_setcond_and_movcond,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_merges_barriers, setup_test),
        cmocka_unit_test_setup(test_optimize_survives_full_temp_table,
                               setup_test),
        cmocka_unit_test_setup(test_optimize_differential_random_exprs,
                               setup_test),
    };

    return cmocka_run_group_tests(tests, setup_group, NULL);
}
