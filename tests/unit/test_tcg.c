/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the TCG core: every IR op is built, optimized, register
 * allocated and emitted through the real x86-64 backend, run, and compared
 * with a C reference, on edge values and on values from a fixed-seed PRNG.
 *
 * Division: divisor 0 and INT_MIN / -1 are never generated (the host
 * traps; the frontend is responsible for those cases).
 */
#include "tests/unit/tcg-harness.h"

#include <limits.h>
#include <math.h>

static TestEnv env;
static char ctx_msg[256];

#define CTX(...) snprintf(ctx_msg, sizeof(ctx_msg), __VA_ARGS__)

#define CHECK(got, want)                                                       \
    do {                                                                       \
        uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want);             \
        if (got_ != want_) {                                                   \
            fail_msg("%s:%d: %s: %s = %#" PRIx64 ", want %#" PRIx64, __FILE__, \
                     __LINE__, ctx_msg, #got, got_, want_);                    \
        }                                                                      \
    } while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t gsent(int i)
{
    return 0xa5a5000000000000ull ^ ((uint64_t)(i + 1) * 0x1111111111ull);
}

static uint32_t wsent(int i)
{
    return 0xc0de0000u | (uint32_t)i;
}

static void env_reset(void)
{
    int i;

    memset(&env, 0, sizeof(env));
    for (i = 0; i < HARNESS_NG; i++) {
        env.g[i] = gsent(i);
    }
    for (i = 0; i < HARNESS_NW; i++) {
        env.w[i] = wsent(i);
    }
}

/* Globals not in the masks must still hold their sentinels. */
static void check_untouched(uint32_t gmask, uint32_t wmask)
{
    int i;

    for (i = 0; i < HARNESS_NG; i++) {
        if (!(gmask & (1u << i))) {
            CHECK(env.g[i], gsent(i));
        }
    }
    for (i = 0; i < HARNESS_NW; i++) {
        if (!(wmask & (1u << i))) {
            CHECK(env.w[i], wsent(i));
        }
    }
}

/* For programs that set g5/w5 to 0 as an input. */
static void check_untouched5(uint32_t gmask, uint32_t wmask)
{
    check_untouched(gmask | 0x20, wmask | 0x20);
}

static void run0(TranslationBlock *tb)
{
    CHECK(harness_run(&env, tb), 0);
}

static int setup(void **state)
{
    (void)state;
    harness_init();
    tcg_ctx->optimize = true;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Values */

static const uint64_t edges64[] = {
    0,
    1,
    2,
    3,
    -1ull,
    -2ull,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0x8000000000000001ull,
    0x7fffffffull,
    0x80000000ull,
    0xffffffffull,
    0x100000000ull,
    0xffffffff80000000ull,
    0xffffffff7fffffffull,
    0x00000000ffff0000ull,
    0x5555555555555555ull,
    0xaaaaaaaaaaaaaaaaull,
    0x0123456789abcdefull,
    0xfedcba9876543210ull,
    0x80,
    0xff,
    0x8000,
    0xffff,
    31,
    32,
    33,
    63,
    64,
};

static const uint64_t edges32[] = {
    0,          1,          2,          3,          0xffffffff, 0xfffffffe,
    0x80000000, 0x7fffffff, 0x80000001, 0x80,       0xff,       0x7f,
    0x8000,     0xffff,     0x7fff,     0x12345678, 0x87654321, 0x55555555,
    0xaaaaaaaa, 31,         32,         33,
};

#define NRAND 8

/* The value set for one width: edges, then random values. */
static int value_set(int bits, uint64_t *out, uint64_t seed)
{
    uint64_t st = seed;
    int n = 0;
    size_t i;

    if (bits == 64) {
        for (i = 0; i < ARRAY_SIZE(edges64); i++) {
            out[n++] = edges64[i];
        }
    } else {
        for (i = 0; i < ARRAY_SIZE(edges32); i++) {
            out[n++] = edges32[i];
        }
    }
    for (i = 0; i < NRAND; i++) {
        uint64_t r = harness_rand(&st);
        out[n++] = bits == 64 ? r : (uint32_t)r;
    }
    return n;
}

#define MAXVALS 64

static uint64_t mask_of(int bits)
{
    return bits == 64 ? ~0ull : (1ull << bits) - 1;
}

/* Sign-extend the low @bits of @v. */
static int64_t sx(uint64_t v, int bits)
{
    if (bits >= 64) {
        return (int64_t)v;
    }
    v &= mask_of(bits);
    if (v & (1ull << (bits - 1))) {
        v |= ~mask_of(bits);
    }
    return (int64_t)v;
}

/* ------------------------------------------------------------------ */
/* Binary ops */

typedef void (*Gen32)(TCGv_i32, TCGv_i32, TCGv_i32);
typedef void (*Gen64)(TCGv_i64, TCGv_i64, TCGv_i64);
typedef uint64_t (*RefFn)(uint64_t a, uint64_t b, int bits);

enum {
    IN_ANY,
    IN_SHIFT,
    IN_DIV_S,
    IN_DIV_U
};

typedef struct BinOp {
    const char *name;
    Gen32 g32;
    Gen64 g64;
    RefFn ref;
    int in;
} BinOp;

static bool bin_input_ok(const BinOp *op, uint64_t a, uint64_t b, int bits)
{
    switch (op->in) {
    case IN_SHIFT:
        return b < (uint64_t)bits;
    case IN_DIV_U:
        return b != 0;
    case IN_DIV_S:
        return b != 0 && !(sx(a, bits) == sx(1ull << (bits - 1), bits) &&
                           sx(b, bits) == -1);
    default:
        return true;
    }
}

static uint64_t r_add(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a + b;
}

static uint64_t r_sub(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a - b;
}

static uint64_t r_mul(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a * b;
}

static uint64_t r_muluh(uint64_t a, uint64_t b, int bits)
{
    if (bits == 64) {
        return (uint64_t)(((unsigned __int128)a * b) >> 64);
    }
    return (a * b) >> 32;
}

static uint64_t r_mulsh(uint64_t a, uint64_t b, int bits)
{
    if (bits == 64) {
        __int128 p = (__int128)(int64_t)a * (__int128)(int64_t)b;
        return (uint64_t)(p >> 64);
    }
    return (uint64_t)((sx(a, 32) * sx(b, 32)) >> 32);
}

static uint64_t r_div(uint64_t a, uint64_t b, int bits)
{
    return (uint64_t)(sx(a, bits) / sx(b, bits));
}

static uint64_t r_divu(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a / b;
}

static uint64_t r_rem(uint64_t a, uint64_t b, int bits)
{
    return (uint64_t)(sx(a, bits) % sx(b, bits));
}

static uint64_t r_remu(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a % b;
}

static uint64_t r_and(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a & b;
}

static uint64_t r_or(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a | b;
}

static uint64_t r_xor(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a ^ b;
}

static uint64_t r_andc(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a & ~b;
}

static uint64_t r_orc(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return a | ~b;
}

static uint64_t r_eqv(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return ~(a ^ b);
}

static uint64_t r_nand(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return ~(a & b);
}

static uint64_t r_nor(uint64_t a, uint64_t b, int bits)
{
    (void)bits;
    return ~(a | b);
}

static uint64_t r_shl(uint64_t a, uint64_t b, int bits)
{
    return a << (b & (bits - 1));
}

static uint64_t r_shr(uint64_t a, uint64_t b, int bits)
{
    return (a & mask_of(bits)) >> (b & (bits - 1));
}

static uint64_t r_sar(uint64_t a, uint64_t b, int bits)
{
    return (uint64_t)(sx(a, bits) >> (b & (bits - 1)));
}

static uint64_t r_rotl(uint64_t a, uint64_t b, int bits)
{
    unsigned n = b & (bits - 1);

    a &= mask_of(bits);
    return n ? (a << n) | (a >> (bits - n)) : a;
}

static uint64_t r_rotr(uint64_t a, uint64_t b, int bits)
{
    unsigned n = b & (bits - 1);

    a &= mask_of(bits);
    return n ? (a >> n) | (a << (bits - n)) : a;
}

static uint64_t r_clz(uint64_t a, uint64_t b, int bits)
{
    a &= mask_of(bits);
    return a ? (uint64_t)(__builtin_clzll(a) - (64 - bits)) : b;
}

static uint64_t r_ctz(uint64_t a, uint64_t b, int bits)
{
    a &= mask_of(bits);
    return a ? (uint64_t)__builtin_ctzll(a) : b;
}

/* clang-format off */
#define BIN(n, in) { #n, tcg_gen_##n##_i32, tcg_gen_##n##_i64, r_##n, in }
/* clang-format on */

static const BinOp arith_ops[] = {
    BIN(add, IN_ANY),   BIN(sub, IN_ANY),   BIN(mul, IN_ANY),
    BIN(muluh, IN_ANY), BIN(mulsh, IN_ANY),
};

static const BinOp div_ops[] = {
    BIN(div, IN_DIV_S),
    BIN(divu, IN_DIV_U),
    BIN(rem, IN_DIV_S),
    BIN(remu, IN_DIV_U),
};

static const BinOp logic_ops[] = {
    BIN(and, IN_ANY), BIN(or, IN_ANY),  BIN(xor, IN_ANY),  BIN(andc, IN_ANY),
    BIN(orc, IN_ANY), BIN(eqv, IN_ANY), BIN(nand, IN_ANY), BIN(nor, IN_ANY),
};

static const BinOp shift_ops[] = {
    BIN(shl, IN_SHIFT),  BIN(shr, IN_SHIFT),  BIN(sar, IN_SHIFT),
    BIN(rotl, IN_SHIFT), BIN(rotr, IN_SHIFT),
};

static const BinOp count_ops[] = {
    BIN(clz, IN_ANY),
    BIN(ctz, IN_ANY),
};

/*
 * Variants of operand placement.  Register variants are compiled once and
 * run on every input pair; constant variants are compiled per constant.
 */
enum {
    V_GLOBALS, /* d = op(a, b), all distinct globals */
    V_ALIAS_A, /* a = op(a, b) */
    V_ALIAS_B, /* b = op(a, b) */
    V_SAME,    /* d = op(a, a) */
    V_TEMPS,   /* temps, inputs still live after the op */
    V_HIGH,    /* i32 only: inputs truncated from i64 with garbage high bits,
                  result extended back to i64 */
    V_NREG,
    V_CONST_B = V_NREG, /* d = op(a, const) */
    V_CONST_A,          /* d = op(const, b) */
    V_CONST_AB,         /* d = op(const, const): constant folding */
};

static const char *const vname[] = {
    "globals", "alias-a", "alias-b", "same",     "temps",
    "high",    "const-b", "const-a", "const-ab",
};

static TranslationBlock *build_bin(const BinOp *op, int bits, int v,
                                   uint64_t ca, uint64_t cb)
{
    TranslationBlock *tb = harness_begin();

    if (bits == 64) {
        Gen64 g = op->g64;
        TCGv_i64 a, b, d;

        switch (v) {
        case V_GLOBALS:
            g(hg[2], hg[0], hg[1]);
            break;
        case V_ALIAS_A:
            g(hg[0], hg[0], hg[1]);
            break;
        case V_ALIAS_B:
            g(hg[1], hg[0], hg[1]);
            break;
        case V_SAME:
            g(hg[2], hg[0], hg[0]);
            break;
        case V_TEMPS:
            a = tcg_temp_new_i64();
            b = tcg_temp_new_i64();
            d = tcg_temp_new_i64();
            tcg_gen_add_i64(a, hg[0], hg[5]);
            tcg_gen_add_i64(b, hg[1], hg[5]);
            g(d, a, b);
            tcg_gen_mov_i64(hg[2], d);
            tcg_gen_mov_i64(hg[3], a);
            tcg_gen_mov_i64(hg[4], b);
            break;
        case V_CONST_B:
            g(hg[2], hg[0], tcg_constant_i64(cb));
            break;
        case V_CONST_A:
            g(hg[2], tcg_constant_i64(ca), hg[1]);
            break;
        case V_CONST_AB:
            g(hg[2], tcg_constant_i64(ca), tcg_constant_i64(cb));
            break;
        }
    } else {
        Gen32 g = op->g32;
        TCGv_i32 a, b, d;

        switch (v) {
        case V_GLOBALS:
            g(hw[2], hw[0], hw[1]);
            break;
        case V_ALIAS_A:
            g(hw[0], hw[0], hw[1]);
            break;
        case V_ALIAS_B:
            g(hw[1], hw[0], hw[1]);
            break;
        case V_SAME:
            g(hw[2], hw[0], hw[0]);
            break;
        case V_TEMPS:
            a = tcg_temp_new_i32();
            b = tcg_temp_new_i32();
            d = tcg_temp_new_i32();
            tcg_gen_add_i32(a, hw[0], hw[5]);
            tcg_gen_add_i32(b, hw[1], hw[5]);
            g(d, a, b);
            tcg_gen_mov_i32(hw[2], d);
            tcg_gen_mov_i32(hw[3], a);
            tcg_gen_mov_i32(hw[4], b);
            break;
        case V_HIGH:
            a = tcg_temp_new_i32();
            b = tcg_temp_new_i32();
            d = tcg_temp_new_i32();
            tcg_gen_extrl_i64_i32(a, hg[0]);
            tcg_gen_extrl_i64_i32(b, hg[1]);
            g(d, a, b);
            tcg_gen_mov_i32(hw[2], d);
            tcg_gen_extu_i32_i64(hg[2], d);
            tcg_gen_ext_i32_i64(hg[3], d);
            break;
        case V_CONST_B:
            g(hw[2], hw[0], tcg_constant_i32((int32_t)cb));
            break;
        case V_CONST_A:
            g(hw[2], tcg_constant_i32((int32_t)ca), hw[1]);
            break;
        case V_CONST_AB:
            g(hw[2], tcg_constant_i32((int32_t)ca),
              tcg_constant_i32((int32_t)cb));
            break;
        }
    }
    harness_end(tb);
    return tb;
}

static void run_bin(const BinOp *op, int bits, int v, TranslationBlock *tb,
                    uint64_t a, uint64_t b)
{
    uint64_t m = mask_of(bits);
    uint64_t r = op->ref(a, b, bits) & m;
    uint64_t hi = 0x9e3779b900000000ull ^ (a << 32);

    CTX("%s_i%d %s a=%#" PRIx64 " b=%#" PRIx64, op->name, bits, vname[v], a, b);
    env_reset();
    if (bits == 64) {
        env.g[0] = a;
        env.g[1] = b;
        env.g[5] = 0;
        run0(tb);
        switch (v) {
        case V_GLOBALS:
            CHECK(env.g[2], r);
            CHECK(env.g[0], a);
            CHECK(env.g[1], b);
            check_untouched5(0x7, 0);
            break;
        case V_ALIAS_A:
            CHECK(env.g[0], r);
            CHECK(env.g[1], b);
            check_untouched5(0x3, 0);
            break;
        case V_ALIAS_B:
            CHECK(env.g[1], r);
            CHECK(env.g[0], a);
            check_untouched5(0x3, 0);
            break;
        case V_SAME:
            CHECK(env.g[2], r);
            CHECK(env.g[0], a);
            check_untouched5(0x7, 0);
            break;
        case V_TEMPS:
            CHECK(env.g[2], r);
            CHECK(env.g[3], a);
            CHECK(env.g[4], b);
            check_untouched5(0x3f, 0);
            break;
        default:
            CHECK(env.g[2], r);
            check_untouched5(0x7, 0);
            break;
        }
    } else {
        env.w[0] = (uint32_t)a;
        env.w[1] = (uint32_t)b;
        env.w[5] = 0;
        env.g[0] = hi | (uint32_t)a;
        env.g[1] = ~hi ^ (uint32_t)b;
        env.g[1] = (env.g[1] & ~m) | (uint32_t)b;
        run0(tb);
        switch (v) {
        case V_GLOBALS:
            CHECK(env.w[2], r);
            CHECK(env.w[0], a);
            CHECK(env.w[1], b);
            check_untouched5(0x3, 0x7);
            break;
        case V_ALIAS_A:
            CHECK(env.w[0], r);
            CHECK(env.w[1], b);
            check_untouched5(0x3, 0x3);
            break;
        case V_ALIAS_B:
            CHECK(env.w[1], r);
            CHECK(env.w[0], a);
            check_untouched5(0x3, 0x3);
            break;
        case V_SAME:
            CHECK(env.w[2], r);
            CHECK(env.w[0], a);
            check_untouched5(0x3, 0x7);
            break;
        case V_TEMPS:
            CHECK(env.w[2], r);
            CHECK(env.w[3], a);
            CHECK(env.w[4], b);
            check_untouched5(0x3, 0x3f);
            break;
        case V_HIGH:
            CHECK(env.w[2], r);
            CHECK(env.g[2], r);
            CHECK(env.g[3], (uint64_t)sx(r, 32));
            check_untouched5(0xf, 0x7);
            break;
        default:
            CHECK(env.w[2], r);
            check_untouched5(0x3, 0x7);
            break;
        }
    }
}

/* Constants tried as immediate operands. */
static int const_set(const BinOp *op, int bits, uint64_t *out)
{
    static const uint64_t c64[] = {
        0,
        1,
        2,
        7,
        -1ull,
        0x8000000000000000ull,
        0x7fffffffffffffffull,
        0x7fffffffull,
        0x80000000ull,
        0xffffffffull,
        0xffffffff80000000ull,
        0x100000000ull,
        0x0123456789abcdefull,
        0xff,
        0xffff,
    };
    static const uint64_t cshift[] = {0, 1, 2, 7, 8, 15, 16, 31, 32, 33, 63};
    int n = 0;
    size_t i;

    if (op->in == IN_SHIFT) {
        for (i = 0; i < ARRAY_SIZE(cshift); i++) {
            if (cshift[i] < (uint64_t)bits) {
                out[n++] = cshift[i];
            }
        }
        return n;
    }
    for (i = 0; i < ARRAY_SIZE(c64); i++) {
        uint64_t c = c64[i] & mask_of(bits);
        int j;
        bool dup = false;

        for (j = 0; j < n; j++) {
            dup |= out[j] == c;
        }
        if (!dup) {
            out[n++] = c;
        }
    }
    return n;
}

static void check_binops(const BinOp *ops, size_t nops)
{
    uint64_t vals[MAXVALS], consts[32], bvals[MAXVALS];
    size_t k;
    int bits;

    for (k = 0; k < nops; k++) {
        const BinOp *op = &ops[k];

        for (bits = 32; bits <= 64; bits += 32) {
            int nv = value_set(bits, vals, 0x1234 + k * 77 + bits);
            int nb = 0, nc = const_set(op, bits, consts);
            int v, i, j;

            if (op->in == IN_SHIFT) {
                for (i = 0; i < bits; i++) {
                    bvals[nb++] = i;
                }
            } else {
                memcpy(bvals, vals, sizeof(vals));
                nb = nv;
            }
            for (v = 0; v < V_NREG; v++) {
                TranslationBlock *tb;

                if (v == V_HIGH && bits == 64) {
                    continue;
                }
                tb = build_bin(op, bits, v, 0, 0);
                for (i = 0; i < nv; i++) {
                    for (j = 0; j < nb; j++) {
                        uint64_t a = vals[i];
                        uint64_t b = v == V_SAME ? a : bvals[j];

                        if (bin_input_ok(op, a, b, bits)) {
                            run_bin(op, bits, v, tb, a, b);
                        }
                        if (v == V_SAME) {
                            break;
                        }
                    }
                }
            }
            /* Constant second operand, register first. */
            for (j = 0; j < nc; j++) {
                TranslationBlock *tb;

                if (op->in != IN_ANY && !bin_input_ok(op, 1, consts[j], bits)) {
                    continue;
                }
                tb = build_bin(op, bits, V_CONST_B, 0, consts[j]);
                for (i = 0; i < nv; i++) {
                    if (bin_input_ok(op, vals[i], consts[j], bits)) {
                        run_bin(op, bits, V_CONST_B, tb, vals[i], consts[j]);
                    }
                }
            }
            /* Constant first operand, register second. */
            for (j = 0; j < nc; j++) {
                TranslationBlock *tb =
                    build_bin(op, bits, V_CONST_A, consts[j], 0);

                for (i = 0; i < nb; i++) {
                    if (bin_input_ok(op, consts[j], bvals[i], bits)) {
                        run_bin(op, bits, V_CONST_A, tb, consts[j], bvals[i]);
                    }
                }
            }
            /* Both constant: folded by the optimizer. */
            for (i = 0; i < nc; i++) {
                for (j = 0; j < nc; j++) {
                    uint64_t a = op->in == IN_SHIFT ? vals[i] : consts[i];
                    TranslationBlock *tb;

                    if (!bin_input_ok(op, a, consts[j], bits)) {
                        continue;
                    }
                    tb = build_bin(op, bits, V_CONST_AB, a, consts[j]);
                    run_bin(op, bits, V_CONST_AB, tb, a, consts[j]);
                }
            }
        }
    }
}

static void test_tcg_arith(void **state)
{
    (void)state;
    check_binops(arith_ops, ARRAY_SIZE(arith_ops));
}

static void test_tcg_div_rem(void **state)
{
    (void)state;
    check_binops(div_ops, ARRAY_SIZE(div_ops));
}

static void test_tcg_logic(void **state)
{
    (void)state;
    check_binops(logic_ops, ARRAY_SIZE(logic_ops));
}

static void test_tcg_shift_rotate(void **state)
{
    (void)state;
    check_binops(shift_ops, ARRAY_SIZE(shift_ops));
}

static void test_tcg_clz_ctz(void **state)
{
    (void)state;
    check_binops(count_ops, ARRAY_SIZE(count_ops));
}

/* Shift counts in registers are taken modulo the width (tcg-opc.h). */
static void test_tcg_shift_count_modulo_width(void **state)
{
    static const uint64_t counts[] = {32, 33, 63, 64, 65, 100, 127, 128, -1ull};
    uint64_t vals[MAXVALS];
    size_t k, c;
    int bits, i, nv;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(shift_ops); k++) {
        const BinOp *op = &shift_ops[k];

        for (bits = 32; bits <= 64; bits += 32) {
            TranslationBlock *tb = build_bin(op, bits, V_GLOBALS, 0, 0);

            nv = value_set(bits, vals, 99);
            for (i = 0; i < nv; i++) {
                for (c = 0; c < ARRAY_SIZE(counts); c++) {
                    uint64_t b = counts[c] & mask_of(bits);

                    if (b >= (uint64_t)bits) {
                        run_bin(op, bits, V_GLOBALS, tb, vals[i], b);
                    }
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Unary ops */

typedef void (*UGen32)(TCGv_i32, TCGv_i32);
typedef void (*UGen64)(TCGv_i64, TCGv_i64);
typedef uint64_t (*URefFn)(uint64_t a, int bits);

typedef struct UnOp {
    const char *name;
    UGen32 g32; /* NULL: i64 only */
    UGen64 g64;
    URefFn ref;
} UnOp;

static uint64_t u_neg(uint64_t a, int bits)
{
    (void)bits;
    return -a;
}

static uint64_t u_not(uint64_t a, int bits)
{
    (void)bits;
    return ~a;
}

static uint64_t u_ctpop(uint64_t a, int bits)
{
    return (uint64_t)__builtin_popcountll(a & mask_of(bits));
}

static uint64_t u_bswap16(uint64_t a, int bits)
{
    (void)bits;
    return ((a & 0xff) << 8) | ((a >> 8) & 0xff);
}

static uint64_t u_bswap32(uint64_t a, int bits)
{
    (void)bits;
    return __builtin_bswap32((uint32_t)a);
}

static uint64_t u_bswap64(uint64_t a, int bits)
{
    (void)bits;
    return __builtin_bswap64(a);
}

static uint64_t u_ext8s(uint64_t a, int bits)
{
    (void)bits;
    return (uint64_t)sx(a, 8);
}

static uint64_t u_ext8u(uint64_t a, int bits)
{
    (void)bits;
    return a & 0xff;
}

static uint64_t u_ext16s(uint64_t a, int bits)
{
    (void)bits;
    return (uint64_t)sx(a, 16);
}

static uint64_t u_ext16u(uint64_t a, int bits)
{
    (void)bits;
    return a & 0xffff;
}

static uint64_t u_ext32s(uint64_t a, int bits)
{
    (void)bits;
    return (uint64_t)sx(a, 32);
}

static uint64_t u_ext32u(uint64_t a, int bits)
{
    (void)bits;
    return a & 0xffffffff;
}

/* clang-format off */
#define UN(n) { #n, tcg_gen_##n##_i32, tcg_gen_##n##_i64, u_##n }
#define UN64(n) { #n, NULL, tcg_gen_##n##_i64, u_##n }
/* clang-format on */

static const UnOp un_ops[] = {
    UN(neg),   UN(not ),  UN(ctpop),  UN(bswap16), UN(bswap32),  UN64(bswap64),
    UN(ext8s), UN(ext8u), UN(ext16s), UN(ext16u),  UN64(ext32s), UN64(ext32u),
};

enum {
    U_GLOBALS, /* g1 = op(g0) */
    U_ALIAS,   /* g0 = op(g0) */
    U_TEMPS,   /* temp input, still live after */
    U_HIGH,    /* i32: input truncated from an i64 with garbage high bits */
    U_CONST,   /* folded */
};

static const char *const uvname[] = {"globals", "alias", "temps", "high",
                                     "const"};

static TranslationBlock *build_un(const UnOp *op, int bits, int v, uint64_t c)
{
    TranslationBlock *tb = harness_begin();

    if (bits == 64) {
        TCGv_i64 t, d;

        switch (v) {
        case U_GLOBALS:
            op->g64(hg[1], hg[0]);
            break;
        case U_ALIAS:
            op->g64(hg[0], hg[0]);
            break;
        case U_TEMPS:
            t = tcg_temp_new_i64();
            d = tcg_temp_new_i64();
            tcg_gen_add_i64(t, hg[0], hg[5]);
            op->g64(d, t);
            tcg_gen_mov_i64(hg[1], d);
            tcg_gen_mov_i64(hg[2], t);
            break;
        case U_CONST:
            op->g64(hg[1], tcg_constant_i64(c));
            break;
        }
    } else {
        TCGv_i32 t, d;

        switch (v) {
        case U_GLOBALS:
            op->g32(hw[1], hw[0]);
            break;
        case U_ALIAS:
            op->g32(hw[0], hw[0]);
            break;
        case U_TEMPS:
            t = tcg_temp_new_i32();
            d = tcg_temp_new_i32();
            tcg_gen_add_i32(t, hw[0], hw[5]);
            op->g32(d, t);
            tcg_gen_mov_i32(hw[1], d);
            tcg_gen_mov_i32(hw[2], t);
            break;
        case U_HIGH:
            t = tcg_temp_new_i32();
            d = tcg_temp_new_i32();
            tcg_gen_extrl_i64_i32(t, hg[0]);
            op->g32(d, t);
            tcg_gen_mov_i32(hw[1], d);
            tcg_gen_extu_i32_i64(hg[1], d);
            tcg_gen_ext_i32_i64(hg[2], d);
            break;
        case U_CONST:
            op->g32(hw[1], tcg_constant_i32((int32_t)c));
            break;
        }
    }
    harness_end(tb);
    return tb;
}

static void run_un(const UnOp *op, int bits, int v, TranslationBlock *tb,
                   uint64_t a)
{
    uint64_t r = op->ref(a, bits) & mask_of(bits);

    CTX("%s_i%d %s a=%#" PRIx64, op->name, bits, uvname[v], a);
    env_reset();
    if (bits == 64) {
        env.g[0] = a;
        env.g[5] = 0;
        run0(tb);
        switch (v) {
        case U_ALIAS:
            CHECK(env.g[0], r);
            check_untouched5(0x1, 0);
            break;
        case U_TEMPS:
            CHECK(env.g[1], r);
            CHECK(env.g[2], a);
            check_untouched5(0x27, 0);
            break;
        default:
            CHECK(env.g[1], r);
            if (v == U_GLOBALS) {
                CHECK(env.g[0], a);
            }
            check_untouched5(0x3, 0);
            break;
        }
    } else {
        env.w[0] = (uint32_t)a;
        env.w[5] = 0;
        env.g[0] = 0xfedc123400000000ull ^ (a << 32) ^ (uint32_t)a;
        run0(tb);
        switch (v) {
        case U_ALIAS:
            CHECK(env.w[0], r);
            check_untouched5(0x1, 0x1);
            break;
        case U_TEMPS:
            CHECK(env.w[1], r);
            CHECK(env.w[2], a);
            check_untouched5(0x1, 0x27);
            break;
        case U_HIGH:
            CHECK(env.w[1], r);
            CHECK(env.g[1], r);
            CHECK(env.g[2], (uint64_t)sx(r, 32));
            check_untouched5(0x7, 0x3);
            break;
        default:
            CHECK(env.w[1], r);
            check_untouched5(0x1, 0x3);
            break;
        }
    }
}

static void test_tcg_unary_ops(void **state)
{
    uint64_t vals[MAXVALS];
    size_t k;
    int bits, v, i, nv;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(un_ops); k++) {
        const UnOp *op = &un_ops[k];

        for (bits = 32; bits <= 64; bits += 32) {
            if (bits == 32 && op->g32 == NULL) {
                continue;
            }
            nv = value_set(bits, vals, 0x777 + k);
            for (v = U_GLOBALS; v <= U_HIGH; v++) {
                TranslationBlock *tb;

                if (v == U_HIGH && bits == 64) {
                    continue;
                }
                tb = build_un(op, bits, v, 0);
                for (i = 0; i < nv; i++) {
                    run_un(op, bits, v, tb, vals[i]);
                }
            }
            for (i = 0; i < nv; i++) {
                run_un(op, bits, U_CONST, build_un(op, bits, U_CONST, vals[i]),
                       vals[i]);
            }
        }
    }
}

/* ctpop without the host's POPCNT: the builder's SWAR expansion. */
static void test_tcg_ctpop_without_popcnt(void **state)
{
    bool saved = tcg_have_popcnt;

    tcg_have_popcnt = false;
    for (size_t k = 0; k < ARRAY_SIZE(un_ops); k++) {
        if (strcmp(un_ops[k].name, "ctpop") == 0) {
            const UnOp *op = &un_ops[k];
            uint64_t vals[MAXVALS];

            for (int bits = 32; bits <= 64; bits += 32) {
                int nv = value_set(bits, vals, 0x99 + bits);
                TranslationBlock *tb = build_un(op, bits, U_GLOBALS, 0);

                for (int i = 0; i < nv; i++) {
                    run_un(op, bits, U_GLOBALS, tb, vals[i]);
                }
            }
        }
    }
    tcg_have_popcnt = saved;
    (void)state;
}

/* ------------------------------------------------------------------ */
/* fpop2/fpop3: host floating point on bit patterns */

static const uint64_t fp_d_vals[] = {
    0x3ff0000000000000ull,                        /* 1.0 */
    0xbff8000000000000ull,                        /* -1.5 */
    0x400921fb54442d18ull,                        /* pi */
    0x3fb999999999999aull,                        /* 0.1 */
    0x0000000000000001ull,                        /* smallest subnormal */
    0x0010000000000000ull,                        /* smallest normal */
    0x7fefffffffffffffull,                        /* largest finite */
    0x0000000000000000ull, 0x8000000000000000ull, /* +-0 */
    0x7ff0000000000000ull, 0xfff0000000000000ull, /* +-inf */
    0x7ff8000000000000ull, 0x7ff0000000000001ull, /* qNaN, sNaN */
    0xc1e0000000000000ull, 0x4340000000000001ull,
};

static double fp_u2d(uint64_t x)
{
    double d;

    memcpy(&d, &x, 8);
    return d;
}

static uint64_t fp_d2u(double d)
{
    uint64_t x;

    memcpy(&x, &d, 8);
    return x;
}

/* The C reference, compiled to the same SSE2 instructions (RNE). */
static uint64_t fp_ref(int op, uint64_t a, uint64_t b, uint64_t c)
{
    bool single = op & TCG_FP_SINGLE;
    double x = fp_u2d(a), y = fp_u2d(b), z = fp_u2d(c), r = 0;

    if (single) {
        float fx, fy, fz, fr = 0;
        uint32_t ua = (uint32_t)a, ub = (uint32_t)b, uc = (uint32_t)c, ur;

        memcpy(&fx, &ua, 4), memcpy(&fy, &ub, 4), memcpy(&fz, &uc, 4);
        switch (op & ~TCG_FP_SINGLE) {
        case TCG_FP_ADD:
            fr = fx + fy;
            break;
        case TCG_FP_SUB:
            fr = fx - fy;
            break;
        case TCG_FP_MUL:
            fr = fx * fy;
            break;
        case TCG_FP_DIV:
            fr = fx / fy;
            break;
        case TCG_FP_SQRT:
            fr = sqrtf(fx);
            break;
        case TCG_FP_MADD:
            fr = fmaf(fx, fy, fz);
            break;
        case TCG_FP_MSUB:
            fr = fmaf(fx, fy, -fz);
            break;
        case TCG_FP_NMSUB:
            fr = fmaf(-fx, fy, fz);
            break;
        case TCG_FP_NMADD:
            fr = fmaf(-fx, fy, -fz);
            break;
        }
        memcpy(&ur, &fr, 4);
        return ur;
    }
    switch (op) {
    case TCG_FP_ADD:
        r = x + y;
        break;
    case TCG_FP_SUB:
        r = x - y;
        break;
    case TCG_FP_MUL:
        r = x * y;
        break;
    case TCG_FP_DIV:
        r = x / y;
        break;
    case TCG_FP_SQRT:
        r = sqrt(x);
        break;
    case TCG_FP_MADD:
        r = fma(x, y, z);
        break;
    case TCG_FP_MSUB:
        r = fma(x, y, -z);
        break;
    case TCG_FP_NMSUB:
        r = fma(-x, y, z);
        break;
    case TCG_FP_NMADD:
        r = fma(-x, y, -z);
        break;
    }
    return fp_d2u(r);
}

static bool fp_is_nan(uint64_t v, bool single)
{
    return single ? ((uint32_t)v & 0x7fffffffu) > 0x7f800000u
                  : (v & ~(1ull << 63)) > 0x7ff0000000000000ull;
}

/* Every fpop on every pair (and triple) of fp_d_vals, and their singles. */
static void test_tcg_fpop(void **state)
{
    size_t n = ARRAY_SIZE(fp_d_vals);

    (void)state;
    for (int op = TCG_FP_ADD; op <= TCG_FP_NMADD; op++) {
        for (int single = 0; single <= TCG_FP_SINGLE; single += TCG_FP_SINGLE) {
            int fop = op | single;
            TranslationBlock *tb;

            if (op >= TCG_FP_MADD && !tcg_have_fma) {
                continue;
            }
            tb = harness_begin();
            if (op >= TCG_FP_MADD) {
                tcg_gen_fpop3_i64(hg[3], hg[0], hg[1], hg[2], (TCGFPOp)fop);
            } else {
                tcg_gen_fpop2_i64(hg[3], hg[0], hg[1], (TCGFPOp)fop);
            }
            harness_end(tb);
            for (size_t i = 0; i < n * n * 3; i++) {
                uint64_t a = fp_d_vals[i % n], b = fp_d_vals[(i / n) % n];
                uint64_t c = fp_d_vals[(i * 7 + 3) % n], want;

                if (single) {
                    /* singles from the top half of the doubles' bits */
                    a >>= 32, b >>= 32, c >>= 32;
                }
                want = fp_ref(fop, a, b, c);
                CTX("fpop %d a=%#" PRIx64 " b=%#" PRIx64 " c=%#" PRIx64, fop, a,
                    b, c);
                env_reset();
                env.g[0] = a, env.g[1] = b, env.g[2] = c;
                run0(tb);
                if (fp_is_nan(want, single)) {
                    /* libm's fma may pick another NaN payload */
                    assert_true(fp_is_nan(env.g[3], single));
                } else {
                    CHECK(env.g[3], want);
                }
                check_untouched(0x8 | 0x7, 0);
            }
        }
    }
}

/* fpop2 TCG_FP_CVT_D_L: (double)(int64_t)a, rounded as C does (RNE). */
static void test_tcg_fpop_cvt(void **state)
{
    static const uint64_t vals[] = {
        0,
        1,
        -1ull,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0xffffffff80000000ull,
        0x7fffffffffffffffull,
        0x8000000000000000ull,
        0x20000000000001ull, /* 2^53 + 1: a tie, to even */
        0x20000000000003ull, /* 2^53 + 3: a tie, up */
        0x123456789abcdefull,
        0xfedcba9876543210ull,
    };
    TranslationBlock *tb;

    (void)state;
    tb = harness_begin();
    tcg_gen_fpop2_i64(hg[3], hg[0], hg[0], TCG_FP_CVT_D_L);
    harness_end(tb);
    for (size_t i = 0; i < ARRAY_SIZE(vals); i++) {
        CTX("fpop cvt a=%#" PRIx64, vals[i]);
        env_reset();
        env.g[0] = vals[i];
        run0(tb);
        CHECK(env.g[3], fp_d2u((double)(int64_t)vals[i]));
        check_untouched(0x8 | 0x1, 0);
    }
}

/* fpcmp's reference: 2 unordered, else the C compare (-0 == +0) */
static uint64_t fpcmp_ref(TCGCond cond, bool single, uint64_t a, uint64_t b)
{
    double x = fp_u2d(a), y = fp_u2d(b);

    if (single) {
        float fx, fy;
        uint32_t ua = (uint32_t)a, ub = (uint32_t)b;

        memcpy(&fx, &ua, 4), memcpy(&fy, &ub, 4);
        x = fx, y = fy;
    }
    if (x != x || y != y) {
        return 2;
    }
    return cond == TCG_COND_EQ ? x == y : cond == TCG_COND_LT ? x < y : x <= y;
}

/* fpcmp on every pair of fp_d_vals (and singles), into every register. */
static void test_tcg_fpcmp(void **state)
{
    static const TCGCond conds[] = {TCG_COND_EQ, TCG_COND_LT, TCG_COND_LE};
    size_t n = ARRAY_SIZE(fp_d_vals);

    (void)state;
    for (int c = 0; c < 3; c++) {
        for (int single = 0; single <= 1; single++) {
            /* d the same temp as an input, and apart */
            for (int d = 0; d <= 3; d += 3) {
                TranslationBlock *tb = harness_begin();

                tcg_gen_fpcmp_i64(hg[d], hg[0], hg[1], conds[c], single);
                harness_end(tb);
                for (size_t i = 0; i < n * n; i++) {
                    uint64_t a = fp_d_vals[i % n], b = fp_d_vals[i / n];

                    if (single) {
                        a >>= 32, b >>= 32;
                        a |= 0xdead000000000000ull; /* high half ignored */
                    }
                    CTX("fpcmp cond %d single %d a=%#" PRIx64 " b=%#" PRIx64,
                        conds[c], single, a, b);
                    env_reset();
                    env.g[0] = a, env.g[1] = b;
                    run0(tb);
                    CHECK(env.g[d], fpcmp_ref(conds[c], single, a, b));
                    if (d) {
                        CHECK(env.g[0], a);
                        CHECK(env.g[1], b);
                    }
                    check_untouched(0x8 | 0x3, 0);
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* mov, movi and the immediate forms */

static void test_tcg_mov_movi(void **state)
{
    uint64_t vals[MAXVALS];
    int i, nv;

    (void)state;
    nv = value_set(64, vals, 5);
    for (i = 0; i < nv; i++) {
        TranslationBlock *tb = harness_begin();
        TCGv_i64 t = tcg_temp_new_i64();
        TCGv_i32 t32 = tcg_temp_new_i32();

        tcg_gen_movi_i64(hg[1], (int64_t)vals[i]);
        tcg_gen_movi_i64(t, (int64_t)vals[i]);
        tcg_gen_mov_i64(hg[2], t);
        tcg_gen_mov_i64(hg[3], hg[0]);
        tcg_gen_movi_i32(hw[1], (int32_t)vals[i]);
        tcg_gen_movi_i32(t32, (int32_t)(vals[i] >> 32));
        tcg_gen_mov_i32(hw[2], t32);
        tcg_gen_mov_i32(hw[3], hw[0]);
        /* A constant stored to an i64 must not be sign-extended from 32. */
        tcg_gen_mov_i64(hg[4], tcg_constant_i64((int64_t)vals[i]));
        harness_end(tb);

        CTX("movi %#" PRIx64, vals[i]);
        env_reset();
        env.g[0] = ~vals[i];
        env.w[0] = (uint32_t)~vals[i];
        run0(tb);
        CHECK(env.g[1], vals[i]);
        CHECK(env.g[2], vals[i]);
        CHECK(env.g[3], ~vals[i]);
        CHECK(env.g[4], vals[i]);
        CHECK(env.w[1], (uint32_t)vals[i]);
        CHECK(env.w[2], (uint32_t)(vals[i] >> 32));
        CHECK(env.w[3], (uint32_t)~vals[i]);
        check_untouched(0x1f, 0xf);
    }
}

typedef struct ImmOp {
    const char *name;
    void (*g32)(TCGv_i32, TCGv_i32, int32_t);
    void (*g64)(TCGv_i64, TCGv_i64, int64_t);
    RefFn ref;
    bool shift;
    bool rev; /* ref(imm, a) */
} ImmOp;

static void subfi32(TCGv_i32 d, TCGv_i32 a, int32_t i)
{
    tcg_gen_subfi_i32(d, i, a);
}

static void subfi64(TCGv_i64 d, TCGv_i64 a, int64_t i)
{
    tcg_gen_subfi_i64(d, i, a);
}

/* clang-format off */
#define IMM(n, r, s) { #n, tcg_gen_##n##_i32, tcg_gen_##n##_i64, r, s, false }
/* clang-format on */

static const ImmOp imm_ops[] = {
    IMM(addi, r_add, false),
    IMM(subi, r_sub, false),
    {"subfi", subfi32, subfi64, r_sub, false, true},
    IMM(muli, r_mul, false),
    IMM(andi, r_and, false),
    IMM(ori, r_or, false),
    IMM(xori, r_xor, false),
    IMM(shli, r_shl, true),
    IMM(shri, r_shr, true),
    IMM(sari, r_sar, true),
    IMM(rotli, r_rotl, true),
    IMM(rotri, r_rotr, true),
    IMM(clzi, r_clz, false),
    IMM(ctzi, r_ctz, false),
};

static void test_tcg_immediate_forms(void **state)
{
    static const uint64_t imms[] = {
        0,
        1,
        2,
        3,
        8,
        -1ull,
        -2ull,
        0x7f,
        0x80,
        0xff,
        0xffff,
        0x7fffffff,
        0x80000000,
        0xffffffff,
        0x100000000ull,
        0xffffffff80000000ull,
        0x8000000000000000ull,
        0x7fffffffffffffffull,
        0x0123456789abcdefull,
    };
    uint64_t vals[MAXVALS], ilist[64];
    size_t k, j;
    int bits, i, nv, ni;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(imm_ops); k++) {
        const ImmOp *op = &imm_ops[k];

        for (bits = 32; bits <= 64; bits += 32) {
            nv = value_set(bits, vals, 0x4242 + k);
            ni = 0;
            if (op->shift) {
                for (i = 0; i < bits; i++) {
                    ilist[ni++] = i;
                }
            } else {
                for (j = 0; j < ARRAY_SIZE(imms); j++) {
                    ilist[ni++] = imms[j] & mask_of(bits);
                }
            }
            for (j = 0; j < (size_t)ni; j++) {
                uint64_t imm = ilist[j];
                TranslationBlock *tb = harness_begin();

                if (bits == 64) {
                    op->g64(hg[1], hg[0], (int64_t)imm);
                    op->g64(hg[0], hg[0], (int64_t)imm);
                } else {
                    op->g32(hw[1], hw[0], (int32_t)imm);
                    op->g32(hw[0], hw[0], (int32_t)imm);
                }
                harness_end(tb);
                for (i = 0; i < nv; i++) {
                    uint64_t a = vals[i];
                    uint64_t r = (op->rev ? op->ref(imm, a, bits)
                                          : op->ref(a, imm, bits)) &
                                 mask_of(bits);

                    CTX("%s_i%d a=%#" PRIx64 " imm=%#" PRIx64, op->name, bits,
                        a, imm);
                    env_reset();
                    if (bits == 64) {
                        env.g[0] = a;
                        run0(tb);
                        CHECK(env.g[1], r);
                        CHECK(env.g[0], r);
                        check_untouched(0x3, 0);
                    } else {
                        env.w[0] = (uint32_t)a;
                        run0(tb);
                        CHECK(env.w[1], r);
                        CHECK(env.w[0], r);
                        check_untouched(0, 0x3);
                    }
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Conversions and bit fields */

static void test_tcg_ext_i32_i64(void **state)
{
    uint64_t vals[MAXVALS];
    int i, nv;
    TranslationBlock *tb;
    TCGv_i32 t;

    (void)state;
    tb = harness_begin();
    t = tcg_temp_new_i32();
    tcg_gen_ext_i32_i64(hg[1], hw[0]);
    tcg_gen_extu_i32_i64(hg[2], hw[0]);
    tcg_gen_extrl_i64_i32(hw[1], hg[0]);
    /* Through an i32 computed in a register. */
    tcg_gen_add_i32(t, hw[0], hw[2]);
    tcg_gen_ext_i32_i64(hg[3], t);
    tcg_gen_extu_i32_i64(hg[4], t);
    /* extrl then back. */
    tcg_gen_extrl_i64_i32(t, hg[0]);
    tcg_gen_ext_i32_i64(hg[5], t);
    tcg_gen_extu_i32_i64(hg[6], t);
    /* Aliasing in place: i64 global from its own low half. */
    tcg_gen_extrl_i64_i32(t, hg[7]);
    tcg_gen_ext_i32_i64(hg[7], t);
    harness_end(tb);

    nv = value_set(64, vals, 0x31);
    for (i = 0; i < nv; i++) {
        uint64_t a = vals[i];
        uint32_t a32 = (uint32_t)(a >> 16) ^ (uint32_t)a;

        CTX("ext a=%#" PRIx64 " a32=%#x", a, a32);
        env_reset();
        env.g[0] = a;
        env.g[7] = a;
        env.w[0] = a32;
        env.w[2] = 0x10001;
        run0(tb);
        CHECK(env.g[1], (uint64_t)sx(a32, 32));
        CHECK(env.g[2], a32);
        CHECK(env.w[1], (uint32_t)a);
        CHECK(env.g[3], (uint64_t)sx(a32 + 0x10001u, 32));
        CHECK(env.g[4], (uint32_t)(a32 + 0x10001u));
        CHECK(env.g[5], (uint64_t)sx(a, 32));
        CHECK(env.g[6], (uint32_t)a);
        CHECK(env.g[7], (uint64_t)sx(a, 32));
        check_untouched(0xff, 0x7);
    }

    /* Constant inputs (folded). */
    for (i = 0; i < nv; i++) {
        uint64_t a = vals[i];

        tb = harness_begin();
        tcg_gen_ext_i32_i64(hg[1], tcg_constant_i32((int32_t)a));
        tcg_gen_extu_i32_i64(hg[2], tcg_constant_i32((int32_t)a));
        tcg_gen_extrl_i64_i32(hw[1], tcg_constant_i64((int64_t)a));
        harness_end(tb);
        CTX("ext const a=%#" PRIx64, a);
        env_reset();
        run0(tb);
        CHECK(env.g[1], (uint64_t)sx(a, 32));
        CHECK(env.g[2], (uint32_t)a);
        CHECK(env.w[1], (uint32_t)a);
        check_untouched(0x6, 0x2);
    }
}

static uint64_t ref_extract(uint64_t x, unsigned pos, unsigned len)
{
    return (x >> pos) & mask_of((int)len);
}

static uint64_t ref_deposit(uint64_t base, uint64_t val, unsigned pos,
                            unsigned len, int bits)
{
    uint64_t m = mask_of((int)len) << pos;

    return ((base & ~m) | ((val << pos) & m)) & mask_of(bits);
}

static void test_tcg_extract_deposit(void **state)
{
    uint64_t vals[MAXVALS];
    int bits, nv, i;
    unsigned pos, len;

    (void)state;
    for (bits = 32; bits <= 64; bits += 32) {
        nv = value_set(bits, vals, 0xabc);
        nv = nv > 16 ? 16 : nv;
        /* Keep a few of the random ones too. */
        vals[nv++] = bits == 64 ? 0x0f1e2d3c4b5a6978ull : 0x4b5a6978;
        vals[nv++] = bits == 64 ? 0xc3a5f00f5aa5c33cull : 0x5aa5c33c;
        for (pos = 0; pos < (unsigned)bits; pos++) {
            for (len = 1; pos + len <= (unsigned)bits; len++) {
                TranslationBlock *tb = harness_begin();

                if (bits == 64) {
                    tcg_gen_extract_i64(hg[1], hg[0], pos, len);
                    tcg_gen_sextract_i64(hg[2], hg[0], pos, len);
                    tcg_gen_deposit_i64(hg[3], hg[0], hg[4], pos, len);
                    tcg_gen_deposit_i64(hg[6], hg[6], hg[4], pos, len);
                    tcg_gen_deposit_i64(hg[7], hg[0], hg[7], pos, len);
                    tcg_gen_extract_i64(hg[8], hg[8], pos, len);
                    tcg_gen_deposit_i64(hg[9], tcg_constant_i64(0), hg[4], pos,
                                        len);
                } else {
                    tcg_gen_extract_i32(hw[1], hw[0], pos, len);
                    tcg_gen_sextract_i32(hw[2], hw[0], pos, len);
                    tcg_gen_deposit_i32(hw[3], hw[0], hw[4], pos, len);
                    tcg_gen_deposit_i32(hw[6], hw[6], hw[4], pos, len);
                    tcg_gen_deposit_i32(hw[7], hw[0], hw[7], pos, len);
                    tcg_gen_extract_i32(hw[5], hw[5], pos, len);
                }
                harness_end(tb);
                for (i = 0; i < nv; i++) {
                    uint64_t x = vals[i];
                    uint64_t y = vals[(i + 5) % nv];
                    uint64_t e = ref_extract(x, pos, len);
                    uint64_t se = (uint64_t)sx(e, (int)len) & mask_of(bits);
                    uint64_t dep = ref_deposit(x, y, pos, len, bits);

                    CTX("i%d pos=%u len=%u x=%#" PRIx64 " y=%#" PRIx64, bits,
                        pos, len, x, y);
                    env_reset();
                    if (bits == 64) {
                        env.g[0] = x;
                        env.g[4] = y;
                        env.g[6] = x;
                        env.g[7] = y;
                        env.g[8] = x;
                        run0(tb);
                        CHECK(env.g[1], e);
                        CHECK(env.g[2], se);
                        CHECK(env.g[3], dep);
                        CHECK(env.g[6], dep);
                        CHECK(env.g[7], dep);
                        CHECK(env.g[8], e);
                        CHECK(env.g[9], ref_deposit(0, y, pos, len, 64));
                        CHECK(env.g[0], x);
                        CHECK(env.g[4], y);
                        check_untouched(0x3df, 0);
                    } else {
                        env.w[0] = (uint32_t)x;
                        env.w[4] = (uint32_t)y;
                        env.w[6] = (uint32_t)x;
                        env.w[7] = (uint32_t)y;
                        env.w[5] = (uint32_t)x;
                        run0(tb);
                        CHECK(env.w[1], e);
                        CHECK(env.w[2], se);
                        CHECK(env.w[3], dep);
                        CHECK(env.w[6], dep);
                        CHECK(env.w[7], dep);
                        CHECK(env.w[5], e);
                        check_untouched(0, 0xff);
                    }
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Conditions */

static const TCGCond all_conds[] = {
    TCG_COND_NEVER, TCG_COND_ALWAYS, TCG_COND_EQ,  TCG_COND_NE,
    TCG_COND_LT,    TCG_COND_GE,     TCG_COND_LE,  TCG_COND_GT,
    TCG_COND_LTU,   TCG_COND_GEU,    TCG_COND_LEU, TCG_COND_GTU,
};

static const char *cond_name(TCGCond c)
{
    switch (c) {
    case TCG_COND_NEVER:
        return "never";
    case TCG_COND_ALWAYS:
        return "always";
    case TCG_COND_EQ:
        return "eq";
    case TCG_COND_NE:
        return "ne";
    case TCG_COND_LT:
        return "lt";
    case TCG_COND_GE:
        return "ge";
    case TCG_COND_LE:
        return "le";
    case TCG_COND_GT:
        return "gt";
    case TCG_COND_LTU:
        return "ltu";
    case TCG_COND_GEU:
        return "geu";
    case TCG_COND_LEU:
        return "leu";
    case TCG_COND_GTU:
        return "gtu";
    }
    return "?";
}

static bool ref_cond(TCGCond c, uint64_t a, uint64_t b, int bits)
{
    int64_t sa = sx(a, bits), sb = sx(b, bits);

    a &= mask_of(bits);
    b &= mask_of(bits);
    switch (c) {
    case TCG_COND_NEVER:
        return false;
    case TCG_COND_ALWAYS:
        return true;
    case TCG_COND_EQ:
        return a == b;
    case TCG_COND_NE:
        return a != b;
    case TCG_COND_LT:
        return sa < sb;
    case TCG_COND_GE:
        return sa >= sb;
    case TCG_COND_LE:
        return sa <= sb;
    case TCG_COND_GT:
        return sa > sb;
    case TCG_COND_LTU:
        return a < b;
    case TCG_COND_GEU:
        return a >= b;
    case TCG_COND_LEU:
        return a <= b;
    case TCG_COND_GTU:
        return a > b;
    }
    return false;
}

static const uint64_t cond_consts[] = {
    0,
    1,
    -1ull,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0xffffffff80000000ull,
    0x8000,
    33,
};

/* Operand placement of one condition test. */
enum {
    C_REG,
    C_CONST_B,
    C_CONST_A,
    C_CONST_AB,
    C_SAME
};
static const char *const cvname[] = {"reg", "const-b", "const-a", "const-ab",
                                     "same"};

static TCGv_i64 opnd64(int which, int v, uint64_t c)
{
    if ((which == 0 && (v == C_CONST_A || v == C_CONST_AB)) ||
        (which == 1 && (v == C_CONST_B || v == C_CONST_AB))) {
        return tcg_constant_i64((int64_t)c);
    }
    return which == 1 && v != C_SAME ? hg[1] : hg[0];
}

static TCGv_i32 opnd32(int which, int v, uint64_t c)
{
    if ((which == 0 && (v == C_CONST_A || v == C_CONST_AB)) ||
        (which == 1 && (v == C_CONST_B || v == C_CONST_AB))) {
        return tcg_constant_i32((int32_t)c);
    }
    return which == 1 && v != C_SAME ? hw[1] : hw[0];
}

/*
 * One TB testing setcond, movcond and brcond for condition @c:
 *   g2 = setcond(a, b)
 *   g3 = movcond(a, b, g4, g5)        (distinct output)
 *   g4' = movcond(a, b, g4, g5)       (output aliases the true value)
 *   g5' = movcond(a, b, g4, g5)       (output aliases the false value)
 *   g6 = movcond(a, b, 111, -222)     (constant values)
 *   g7 = brcond(a, b) ? 0x11 : 0x22
 * i32: the same in w[] / for movcond in w3.., brcond result in g7.
 */
static TranslationBlock *build_cond(TCGCond c, int bits, int v, uint64_t ca,
                                    uint64_t cb)
{
    TranslationBlock *tb = harness_begin();
    TCGLabel *l = gen_new_label();

    if (bits == 64) {
        TCGv_i64 a = opnd64(0, v, ca), b = opnd64(1, v, cb);
        TCGv_i64 t4 = tcg_temp_new_i64(), t5 = tcg_temp_new_i64();

        tcg_gen_setcond_i64(c, hg[2], a, b);
        tcg_gen_movcond_i64(c, hg[3], a, b, hg[4], hg[5]);
        tcg_gen_mov_i64(t4, hg[4]);
        tcg_gen_mov_i64(t5, hg[5]);
        tcg_gen_movcond_i64(c, hg[4], a, b, hg[4], t5);
        tcg_gen_movcond_i64(c, hg[5], a, b, t4, hg[5]);
        tcg_gen_movcond_i64(c, hg[6], a, b, tcg_constant_i64(111),
                            tcg_constant_i64(-222));
        tcg_gen_movi_i64(hg[7], 0x11);
        tcg_gen_brcond_i64(c, a, b, l);
        tcg_gen_movi_i64(hg[7], 0x22);
    } else {
        TCGv_i32 a = opnd32(0, v, ca), b = opnd32(1, v, cb);
        TCGv_i32 t4 = tcg_temp_new_i32(), t5 = tcg_temp_new_i32();

        tcg_gen_setcond_i32(c, hw[2], a, b);
        tcg_gen_movcond_i32(c, hw[3], a, b, hw[4], hw[5]);
        tcg_gen_mov_i32(t4, hw[4]);
        tcg_gen_mov_i32(t5, hw[5]);
        tcg_gen_movcond_i32(c, hw[4], a, b, hw[4], t5);
        tcg_gen_movcond_i32(c, hw[5], a, b, t4, hw[5]);
        tcg_gen_movcond_i32(c, hw[6], a, b, tcg_constant_i32(111),
                            tcg_constant_i32(-222));
        tcg_gen_movi_i64(hg[7], 0x11);
        tcg_gen_brcond_i32(c, a, b, l);
        tcg_gen_movi_i64(hg[7], 0x22);
    }
    gen_set_label(l);
    harness_end(tb);
    return tb;
}

static void run_cond(TCGCond c, int bits, int v, TranslationBlock *tb,
                     uint64_t a, uint64_t b)
{
    bool t = ref_cond(c, a, b, bits);
    uint64_t m = mask_of(bits);
    uint64_t v4 = 0x4444444444444444ull & m, v5 = 0x5555555555555555ull & m;

    CTX("cond %s i%d %s a=%#" PRIx64 " b=%#" PRIx64, cond_name(c), bits,
        cvname[v], a, b);
    env_reset();
    if (bits == 64) {
        env.g[0] = a;
        env.g[1] = b;
        env.g[4] = v4;
        env.g[5] = v5;
        run0(tb);
        CHECK(env.g[2], t);
        CHECK(env.g[3], t ? v4 : v5);
        CHECK(env.g[4], t ? v4 : v5);
        CHECK(env.g[5], t ? v4 : v5);
        CHECK(env.g[6], t ? 111 : -222ull);
        CHECK(env.g[7], t ? 0x11 : 0x22);
        CHECK(env.g[0], a);
        CHECK(env.g[1], b);
        check_untouched(0xff, 0);
    } else {
        env.w[0] = (uint32_t)a;
        env.w[1] = (uint32_t)b;
        env.w[4] = (uint32_t)v4;
        env.w[5] = (uint32_t)v5;
        run0(tb);
        CHECK(env.w[2], t);
        CHECK(env.w[3], t ? v4 : v5);
        CHECK(env.w[4], t ? v4 : v5);
        CHECK(env.w[5], t ? v4 : v5);
        CHECK(env.w[6], t ? 111u : (uint32_t)-222);
        CHECK(env.g[7], t ? 0x11 : 0x22);
        CHECK(env.w[0], a);
        CHECK(env.w[1], b);
        check_untouched(0x80, 0x7f);
    }
}

static void test_tcg_setcond_movcond_brcond(void **state)
{
    uint64_t vals[MAXVALS];
    size_t k, j;
    int bits, nv, i, i2;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(all_conds); k++) {
        TCGCond c = all_conds[k];

        for (bits = 32; bits <= 64; bits += 32) {
            TranslationBlock *tb = build_cond(c, bits, C_REG, 0, 0);

            nv = value_set(bits, vals, 0x5150 + k);
            for (i = 0; i < nv; i++) {
                for (i2 = 0; i2 < nv; i2++) {
                    run_cond(c, bits, C_REG, tb, vals[i], vals[i2]);
                }
            }
            tb = build_cond(c, bits, C_SAME, 0, 0);
            for (i = 0; i < nv; i++) {
                run_cond(c, bits, C_SAME, tb, vals[i], vals[i]);
            }
            for (j = 0; j < ARRAY_SIZE(cond_consts); j++) {
                uint64_t cc = cond_consts[j] & mask_of(bits);

                tb = build_cond(c, bits, C_CONST_B, 0, cc);
                for (i = 0; i < nv; i++) {
                    run_cond(c, bits, C_CONST_B, tb, vals[i], cc);
                }
                run_cond(c, bits, C_CONST_B, tb, cc, cc);
                tb = build_cond(c, bits, C_CONST_A, cc, 0);
                for (i = 0; i < nv; i++) {
                    run_cond(c, bits, C_CONST_A, tb, cc, vals[i]);
                }
                run_cond(c, bits, C_CONST_A, tb, cc, cc);
                for (i = 0; i < (int)ARRAY_SIZE(cond_consts); i += 3) {
                    uint64_t ca = cond_consts[i] & mask_of(bits);

                    tb = build_cond(c, bits, C_CONST_AB, ca, cc);
                    run_cond(c, bits, C_CONST_AB, tb, ca, cc);
                }
            }
        }
    }
}

static void test_tcg_setcondi_brcondi(void **state)
{
    uint64_t vals[MAXVALS];
    size_t k, j;
    int bits, nv, i;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(all_conds); k++) {
        TCGCond c = all_conds[k];

        for (bits = 32; bits <= 64; bits += 32) {
            nv = value_set(bits, vals, 0x99 + k);
            for (j = 0; j < ARRAY_SIZE(cond_consts); j++) {
                uint64_t cc = cond_consts[j] & mask_of(bits);
                TranslationBlock *tb = harness_begin();
                TCGLabel *l = gen_new_label();

                if (bits == 64) {
                    tcg_gen_setcondi_i64(c, hg[2], hg[0], (int64_t)cc);
                    tcg_gen_movi_i64(hg[3], 1);
                    tcg_gen_brcondi_i64(c, hg[0], (int64_t)cc, l);
                    tcg_gen_movi_i64(hg[3], 2);
                } else {
                    tcg_gen_setcondi_i32(c, hw[2], hw[0], (int32_t)cc);
                    tcg_gen_movi_i64(hg[3], 1);
                    tcg_gen_brcondi_i32(c, hw[0], (int32_t)cc, l);
                    tcg_gen_movi_i64(hg[3], 2);
                }
                gen_set_label(l);
                harness_end(tb);
                for (i = 0; i <= nv; i++) {
                    uint64_t a = i < nv ? vals[i] : cc;
                    bool t = ref_cond(c, a, cc, bits);

                    CTX("condi %s i%d a=%#" PRIx64 " imm=%#" PRIx64,
                        cond_name(c), bits, a, cc);
                    env_reset();
                    env.g[0] = a;
                    env.w[0] = (uint32_t)a;
                    run0(tb);
                    if (bits == 64) {
                        CHECK(env.g[2], t);
                        check_untouched(0xd, 0x1);
                    } else {
                        CHECK(env.w[2], t);
                        check_untouched(0x9, 0x5);
                    }
                    CHECK(env.g[3], t ? 1 : 2);
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Loads and stores of env */

static void fill_bytes(uint8_t *p, size_t n, unsigned seed)
{
    size_t i;

    for (i = 0; i < n; i++) {
        p[i] = (uint8_t)(seed * 0x3b + i * 0x47 + (i & 1 ? 0x80 : 0));
    }
}

static uint64_t le_load(const uint8_t *p, int size)
{
    uint64_t v = 0;
    int i;

    for (i = size - 1; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void test_tcg_env_loads(void **state)
{
    const intptr_t B = offsetof(TestEnv, bytes);
    unsigned off, seed;

    (void)state;
    for (off = 0; off < 16; off++) {
        TranslationBlock *tb = harness_begin();
        TCGv_i64 p = tcg_temp_new_i64();

        tcg_gen_ld8u_i64(hg[1], tcg_env, B + off);
        tcg_gen_ld8s_i64(hg[2], tcg_env, B + off);
        tcg_gen_ld16u_i64(hg[3], tcg_env, B + off);
        tcg_gen_ld16s_i64(hg[4], tcg_env, B + off);
        tcg_gen_ld32u_i64(hg[5], tcg_env, B + off);
        tcg_gen_ld32s_i64(hg[6], tcg_env, B + off);
        tcg_gen_ld_i64(hg[7], tcg_env, B + off);
        tcg_gen_ld8u_i32(hw[1], tcg_env, B + off);
        tcg_gen_ld8s_i32(hw[2], tcg_env, B + off);
        tcg_gen_ld16u_i32(hw[3], tcg_env, B + off);
        tcg_gen_ld16s_i32(hw[4], tcg_env, B + off);
        tcg_gen_ld_i32(hw[5], tcg_env, B + off);
        /* A base other than env: a pointer loaded from env. */
        tcg_gen_ld_i64(p, tcg_env, offsetof(TestEnv, ptr));
        tcg_gen_ld_i64(hg[8], tcgv_i64_as_ptr(p), off);
        tcg_gen_ld8s_i64(hg[9], tcgv_i64_as_ptr(p), off + 1);
        tcg_gen_ld32s_i64(hg[10], tcgv_i64_as_ptr(p), off + 2);
        tcg_gen_ld16s_i32(hw[6], tcgv_i64_as_ptr(p), off + 3);
        /* Load into the register that holds the base. */
        tcg_gen_ld_i64(p, tcgv_i64_as_ptr(p), off + 4);
        tcg_gen_mov_i64(hg[11], p);
        harness_end(tb);

        for (seed = 0; seed < 4; seed++) {
            const uint8_t *q = env.bytes + off;

            env_reset();
            fill_bytes(env.bytes, sizeof(env.bytes), seed);
            env.ptr = (uint64_t)(uintptr_t)env.bytes;
            CTX("env loads off=%u seed=%u", off, seed);
            run0(tb);
            CHECK(env.g[1], le_load(q, 1));
            CHECK(env.g[2], (uint64_t)sx(le_load(q, 1), 8));
            CHECK(env.g[3], le_load(q, 2));
            CHECK(env.g[4], (uint64_t)sx(le_load(q, 2), 16));
            CHECK(env.g[5], le_load(q, 4));
            CHECK(env.g[6], (uint64_t)sx(le_load(q, 4), 32));
            CHECK(env.g[7], le_load(q, 8));
            CHECK(env.w[1], le_load(q, 1));
            CHECK(env.w[2], (uint32_t)sx(le_load(q, 1), 8));
            CHECK(env.w[3], le_load(q, 2));
            CHECK(env.w[4], (uint32_t)sx(le_load(q, 2), 16));
            CHECK(env.w[5], le_load(q, 4));
            CHECK(env.g[8], le_load(q, 8));
            CHECK(env.g[9], (uint64_t)sx(le_load(q + 1, 1), 8));
            CHECK(env.g[10], (uint64_t)sx(le_load(q + 2, 4), 32));
            CHECK(env.w[6], (uint32_t)sx(le_load(q + 3, 2), 16));
            CHECK(env.g[11], le_load(q + 4, 8));
            check_untouched(0xffe, 0x7e);
        }
    }
}

static void test_tcg_env_stores(void **state)
{
    const intptr_t B = offsetof(TestEnv, bytes);
    uint64_t vals[MAXVALS];
    unsigned off;
    int nv, i;

    (void)state;
    nv = value_set(64, vals, 0x57);
    for (off = 0; off < 8; off++) {
        TranslationBlock *tb = harness_begin();

        tcg_gen_st8_i64(hg[0], tcg_env, B + off);
        tcg_gen_st16_i64(hg[0], tcg_env, B + 16 + off);
        tcg_gen_st32_i64(hg[0], tcg_env, B + 32 + off);
        tcg_gen_st_i64(hg[0], tcg_env, B + 48 + off);
        harness_end(tb);
        TranslationBlock *tb32 = harness_begin();
        tcg_gen_st8_i32(hw[0], tcg_env, B + off);
        tcg_gen_st16_i32(hw[0], tcg_env, B + 16 + off);
        tcg_gen_st_i32(hw[0], tcg_env, B + 32 + off);
        harness_end(tb32);

        for (i = 0; i < nv; i++) {
            uint64_t x = vals[i];
            uint8_t want[64];
            TranslationBlock *tbc;

            memset(want, 0xee, sizeof(want));
            memcpy(want + off, &x, 1);
            memcpy(want + 16 + off, &x, 2);
            memcpy(want + 32 + off, &x, 4);
            memcpy(want + 48 + off, &x, 8);

            CTX("env stores i64 off=%u x=%#" PRIx64, off, x);
            env_reset();
            memset(env.bytes, 0xee, sizeof(env.bytes));
            env.g[0] = x;
            run0(tb);
            assert_memory_equal(env.bytes, want, sizeof(want));
            check_untouched(0x1, 0);

            /* The same with constant values (immediate stores). */
            tbc = harness_begin();
            tcg_gen_st8_i64(tcg_constant_i64((int64_t)x), tcg_env, B + off);
            tcg_gen_st16_i64(tcg_constant_i64((int64_t)x), tcg_env,
                             B + 16 + off);
            tcg_gen_st32_i64(tcg_constant_i64((int64_t)x), tcg_env,
                             B + 32 + off);
            tcg_gen_st_i64(tcg_constant_i64((int64_t)x), tcg_env, B + 48 + off);
            harness_end(tbc);
            CTX("env stores const i64 off=%u x=%#" PRIx64, off, x);
            env_reset();
            memset(env.bytes, 0xee, sizeof(env.bytes));
            run0(tbc);
            if (memcmp(env.bytes, want, sizeof(want)) != 0) {
                fail_msg("%s: stored bytes differ", ctx_msg);
            }

            memset(want, 0xee, sizeof(want));
            memcpy(want + off, &x, 1);
            memcpy(want + 16 + off, &x, 2);
            memcpy(want + 32 + off, &x, 4);
            CTX("env stores i32 off=%u x=%#" PRIx64, off, x);
            env_reset();
            memset(env.bytes, 0xee, sizeof(env.bytes));
            env.w[0] = (uint32_t)x;
            run0(tb32);
            if (memcmp(env.bytes, want, sizeof(want)) != 0) {
                fail_msg("%s: stored bytes differ", ctx_msg);
            }
            check_untouched(0, 0x1);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Guest memory (guest_base 0: guest address == host address) */

static _Alignas(64) uint8_t gmem[128];

static uint64_t gaddr(unsigned off)
{
    return (uint64_t)(uintptr_t)(gmem + off);
}

static uint64_t ext_mop(uint64_t v, MemOp mop, int bits)
{
    int sz = 8 << (mop & MO_SIZE);

    v &= mask_of(sz);
    if (mop & MO_SIGN) {
        v = (uint64_t)sx(v, sz);
    }
    return v & mask_of(bits);
}

static void test_tcg_qemu_ld(void **state)
{
    static const MemOp mops[] = {MO_UB, MO_SB, MO_UW, MO_SW,
                                 MO_UL, MO_SL, MO_UQ, MO_SQ};
    size_t k;
    unsigned off, seed;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(mops); k++) {
        MemOp mop = mops[k];
        int size = 1 << (mop & MO_SIZE);
        bool has32 = (mop & MO_SIZE) != MO_64;
        TranslationBlock *tb = harness_begin();
        TCGv_i64 a = tcg_temp_new_i64();

        tcg_gen_qemu_ld_i64(hg[1], hg[0], mop);
        /* Output over the address register. */
        tcg_gen_mov_i64(hg[3], hg[0]);
        tcg_gen_qemu_ld_i64(hg[3], hg[3], mop);
        /* Computed address. */
        tcg_gen_addi_i64(a, hg[0], 3);
        tcg_gen_qemu_ld_i64(hg[4], a, mop);
        if (has32) {
            tcg_gen_qemu_ld_i32(hw[1], hg[0], mop);
        }
        harness_end(tb);

        for (off = 0; off < 16; off++) {
            for (seed = 0; seed < 3; seed++) {
                TranslationBlock *tbc;

                fill_bytes(gmem, sizeof(gmem), seed + off);
                CTX("qemu_ld mop=%d off=%u seed=%u", mop, off, seed);
                env_reset();
                env.g[0] = gaddr(off);
                run0(tb);
                CHECK(env.g[1], ext_mop(le_load(gmem + off, size), mop, 64));
                CHECK(env.g[3], ext_mop(le_load(gmem + off, size), mop, 64));
                CHECK(env.g[4],
                      ext_mop(le_load(gmem + off + 3, size), mop, 64));
                CHECK(env.g[0], gaddr(off));
                if (has32) {
                    CHECK(env.w[1],
                          ext_mop(le_load(gmem + off, size), mop, 32));
                }
                check_untouched(0x1b, has32 ? 0x2 : 0);

                if (seed) {
                    continue;
                }
                /* Constant address. */
                tbc = harness_begin();
                tcg_gen_qemu_ld_i64(hg[1], tcg_constant_i64(gaddr(off)), mop);
                harness_end(tbc);
                env_reset();
                run0(tbc);
                CHECK(env.g[1], ext_mop(le_load(gmem + off, size), mop, 64));
                check_untouched(0x2, 0);
            }
        }
    }
}

static void test_tcg_qemu_st(void **state)
{
    static const MemOp mops[] = {MO_UB, MO_UW, MO_UL, MO_UQ};
    uint64_t vals[MAXVALS];
    size_t k;
    unsigned off;
    int nv, i;

    (void)state;
    nv = value_set(64, vals, 0x5757);
    for (k = 0; k < ARRAY_SIZE(mops); k++) {
        MemOp mop = mops[k];
        int size = 1 << (mop & MO_SIZE);
        bool has32 = size <= 4;
        TranslationBlock *tb = harness_begin(), *tb32 = NULL;

        tcg_gen_qemu_st_i64(hg[1], hg[0], mop);
        harness_end(tb);
        if (has32) {
            tb32 = harness_begin();
            tcg_gen_qemu_st_i32(hw[1], hg[0], mop);
            harness_end(tb32);
        }
        for (off = 0; off < 16; off++) {
            for (i = 0; i < nv; i++) {
                uint64_t x = vals[i];
                uint8_t want[sizeof(gmem)];
                TranslationBlock *tbc;

                memset(want, 0xdd, sizeof(want));
                memcpy(want + off, &x, size);
                CTX("qemu_st mop=%d off=%u x=%#" PRIx64, mop, off, x);

                memset(gmem, 0xdd, sizeof(gmem));
                env_reset();
                env.g[0] = gaddr(off);
                env.g[1] = x;
                run0(tb);
                if (memcmp(gmem, want, sizeof(want)) != 0) {
                    fail_msg("%s: i64 store bytes differ", ctx_msg);
                }
                check_untouched(0x3, 0);

                if (has32) {
                    memset(gmem, 0xdd, sizeof(gmem));
                    env_reset();
                    env.g[0] = gaddr(off);
                    env.w[1] = (uint32_t)x;
                    run0(tb32);
                    if (memcmp(gmem, want, sizeof(want)) != 0) {
                        fail_msg("%s: i32 store bytes differ", ctx_msg);
                    }
                }
                if (off > 3 || i > 12) {
                    continue;
                }
                /* Constant value, constant address. */
                tbc = harness_begin();
                tcg_gen_qemu_st_i64(tcg_constant_i64((int64_t)x),
                                    tcg_constant_i64(gaddr(off)), mop);
                harness_end(tbc);
                memset(gmem, 0xdd, sizeof(gmem));
                env_reset();
                run0(tbc);
                if (memcmp(gmem, want, sizeof(want)) != 0) {
                    fail_msg("%s: const store bytes differ", ctx_msg);
                }
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Atomics */

enum {
    A_XCHG,
    A_ADD,
    A_AND,
    A_OR,
    A_XOR,
    A_SMIN,
    A_SMAX,
    A_UMIN,
    A_UMAX,
    A_N,
};

static const char *const aname[] = {"xchg", "add",  "and",  "or",  "xor",
                                    "smin", "smax", "umin", "umax"};

typedef void (*AGen64)(TCGv_i64, TCGv_i64, TCGv_i64, MemOp);
typedef void (*AGen32)(TCGv_i32, TCGv_i64, TCGv_i32, MemOp);

static const AGen64 agen64[A_N] = {
    tcg_gen_atomic_xchg_i64,       tcg_gen_atomic_fetch_add_i64,
    tcg_gen_atomic_fetch_and_i64,  tcg_gen_atomic_fetch_or_i64,
    tcg_gen_atomic_fetch_xor_i64,  tcg_gen_atomic_fetch_smin_i64,
    tcg_gen_atomic_fetch_smax_i64, tcg_gen_atomic_fetch_umin_i64,
    tcg_gen_atomic_fetch_umax_i64,
};

static const AGen32 agen32[A_N] = {
    tcg_gen_atomic_xchg_i32,       tcg_gen_atomic_fetch_add_i32,
    tcg_gen_atomic_fetch_and_i32,  tcg_gen_atomic_fetch_or_i32,
    tcg_gen_atomic_fetch_xor_i32,  tcg_gen_atomic_fetch_smin_i32,
    tcg_gen_atomic_fetch_smax_i32, tcg_gen_atomic_fetch_umin_i32,
    tcg_gen_atomic_fetch_umax_i32,
};

static uint64_t ref_atomic(int op, uint64_t old, uint64_t v, int sz)
{
    int64_t so = sx(old, sz), sv = sx(v, sz);

    old &= mask_of(sz);
    v &= mask_of(sz);
    switch (op) {
    case A_XCHG:
        return v;
    case A_ADD:
        return old + v;
    case A_AND:
        return old & v;
    case A_OR:
        return old | v;
    case A_XOR:
        return old ^ v;
    case A_SMIN:
        return so < sv ? old : v;
    case A_SMAX:
        return so > sv ? old : v;
    case A_UMIN:
        return old < v ? old : v;
    default:
        return old > v ? old : v;
    }
}

static const uint64_t atomic_vals[] = {
    0,
    1,
    -1ull,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000ull,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0xffffffff80000000ull,
    0x0123456789abcdefull,
    0xfedcba9876543210ull,
};

#define NAV ARRAY_SIZE(atomic_vals)

/*
 * One atomic op at gmem+8 (8-aligned); the 8 bytes around it hold a
 * pattern that must survive.  bits: the TCG type; mop: the access.
 */
static void check_atomic(int op, int bits, MemOp mop)
{
    int sz = 8 << (mop & MO_SIZE);
    TranslationBlock *tb = harness_begin();
    size_t i, j;

    if (bits == 64) {
        agen64[op](hg[2], hg[0], hg[1], mop);
    } else {
        agen32[op](hw[2], hg[0], hw[1], mop);
    }
    harness_end(tb);

    for (i = 0; i < NAV; i++) {
        for (j = 0; j < NAV; j++) {
            uint64_t old = atomic_vals[i], v = atomic_vals[j];
            uint64_t newv = ref_atomic(op, old, v, sz) & mask_of(sz);
            uint8_t want[24];

            memset(gmem, 0x3c, 24);
            memcpy(gmem + 8, &old, 8);
            memcpy(want, gmem, 24);
            memcpy(want + 8, &newv, (size_t)sz / 8);

            CTX("atomic %s i%d mop=%#x old=%#" PRIx64 " v=%#" PRIx64, aname[op],
                bits, mop, old, v);
            env_reset();
            env.g[0] = gaddr(8);
            env.g[1] = v;
            env.w[1] = (uint32_t)v;
            run0(tb);
            if (bits == 64) {
                CHECK(env.g[2], ext_mop(old, mop, 64));
                check_untouched(0x7, 0x2);
            } else {
                CHECK(env.w[2], ext_mop(old, mop, 32));
                check_untouched(0x3, 0x6);
            }
            if (memcmp(gmem, want, sizeof(want)) != 0) {
                fail_msg("%s: memory after: %#" PRIx64 " want %#" PRIx64,
                         ctx_msg, le_load(gmem + 8, 8), le_load(want + 8, 8));
            }
        }
    }
}

static void check_cmpxchg(int bits, MemOp mop)
{
    int sz = 8 << (mop & MO_SIZE);
    TranslationBlock *tb = harness_begin();
    size_t i, j;
    int hit;

    if (bits == 64) {
        tcg_gen_atomic_cmpxchg_i64(hg[3], hg[0], hg[1], hg[2], mop);
    } else {
        tcg_gen_atomic_cmpxchg_i32(hw[3], hg[0], hw[1], hw[2], mop);
    }
    harness_end(tb);

    for (i = 0; i < NAV; i++) {
        for (j = 0; j < NAV; j++) {
            for (hit = 0; hit < 2; hit++) {
                uint64_t old = atomic_vals[i], nv = atomic_vals[j];
                /* The compare value as a frontend passes it: extended
                 * like the loaded value. */
                uint64_t cmp =
                    hit ? ext_mop(old, mop, 64) : ext_mop(old ^ 0x10, mop, 64);
                uint64_t newv = hit ? nv : old;
                uint8_t want[24];

                memset(gmem, 0x3c, 24);
                memcpy(gmem + 8, &old, 8);
                memcpy(want, gmem, 24);
                memcpy(want + 8, &newv, (size_t)sz / 8);

                CTX("cmpxchg i%d mop=%#x old=%#" PRIx64 " new=%#" PRIx64
                    " hit=%d",
                    bits, mop, old, nv, hit);
                env_reset();
                env.g[0] = gaddr(8);
                env.g[1] = cmp;
                env.g[2] = nv;
                env.w[1] = (uint32_t)cmp;
                env.w[2] = (uint32_t)nv;
                run0(tb);
                if (bits == 64) {
                    CHECK(env.g[3], ext_mop(old, mop, 64));
                    check_untouched(0xf, 0x6);
                } else {
                    CHECK(env.w[3], ext_mop(old, mop, 32));
                    check_untouched(0x7, 0xe);
                }
                if (memcmp(gmem, want, sizeof(want)) != 0) {
                    fail_msg("%s: memory after: %#" PRIx64 " want %#" PRIx64,
                             ctx_msg, le_load(gmem + 8, 8),
                             le_load(want + 8, 8));
                }
            }
        }
    }
}

static void test_tcg_atomic_rmw(void **state)
{
    static const MemOp m64[] = {MO_32, MO_SL, MO_64, MO_64 | MO_ALIGN,
                                MO_SL | MO_ALIGN};
    static const MemOp m32[] = {MO_32, MO_SL, MO_32 | MO_ALIGN};
    size_t k;
    int op;

    (void)state;
    for (op = 0; op < A_N; op++) {
        for (k = 0; k < ARRAY_SIZE(m64); k++) {
            check_atomic(op, 64, m64[k]);
        }
        for (k = 0; k < ARRAY_SIZE(m32); k++) {
            check_atomic(op, 32, m32[k]);
        }
    }
}

static void test_tcg_atomic_cmpxchg(void **state)
{
    static const MemOp m64[] = {MO_32, MO_SL, MO_64, MO_64 | MO_ALIGN};
    static const MemOp m32[] = {MO_32, MO_SL | MO_ALIGN};
    size_t k;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(m64); k++) {
        check_cmpxchg(64, m64[k]);
    }
    for (k = 0; k < ARRAY_SIZE(m32); k++) {
        check_cmpxchg(32, m32[k]);
    }
}

/* Values around a barrier survive, and the stores before it land. */
static void test_tcg_mb(void **state)
{
    static const TCGBar bars[] = {TCG_MO_ALL | TCG_BAR_SC,
                                  TCG_MO_LD_LD,
                                  TCG_MO_ST_LD,
                                  TCG_MO_LD_ST,
                                  TCG_MO_ST_ST,
                                  TCG_MO_ALL};
    size_t k;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(bars); k++) {
        TranslationBlock *tb = harness_begin();
        TCGv_i64 t = tcg_temp_new_i64();

        tcg_gen_addi_i64(t, hg[0], 5);
        tcg_gen_qemu_st_i64(t, hg[1], MO_UQ);
        tcg_gen_mb(bars[k]);
        tcg_gen_qemu_ld_i64(hg[2], hg[1], MO_UQ);
        tcg_gen_add_i64(hg[3], t, hg[2]);
        tcg_gen_mov_i64(hg[4], hg[0]);
        harness_end(tb);

        CTX("mb %#x", bars[k]);
        env_reset();
        env.g[0] = 0x1234567800000000ull;
        env.g[1] = gaddr(16);
        run0(tb);
        CHECK(le_load(gmem + 16, 8), 0x1234567800000005ull);
        CHECK(env.g[2], 0x1234567800000005ull);
        CHECK(env.g[3], 0x2468acf00000000aull);
        CHECK(env.g[4], 0x1234567800000000ull);
        check_untouched(0x1f, 0);
    }
}

/* ------------------------------------------------------------------ */
/* Helper calls */

static unsigned helper_calls;

static uint64_t mix(uint64_t h, uint64_t v)
{
    return (h ^ v) * 0x100000001b3ull + 0x1f;
}

static uint64_t h_args0(void)
{
    helper_calls++;
    return 0xabcdef0123456789ull;
}

static uint64_t h_args1(uint64_t a)
{
    helper_calls++;
    return mix(1, a);
}

static uint64_t h_args2(uint64_t a, uint64_t b)
{
    helper_calls++;
    return mix(mix(2, a), b);
}

static uint64_t h_args3(uint64_t a, uint64_t b, uint64_t c)
{
    helper_calls++;
    return mix(mix(mix(3, a), b), c);
}

static uint64_t h_args4(uint64_t a, uint64_t b, uint64_t c, uint64_t d)
{
    helper_calls++;
    return mix(mix(mix(mix(4, a), b), c), d);
}

static uint64_t h_args5(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                        uint64_t e)
{
    helper_calls++;
    return mix(mix(mix(mix(mix(5, a), b), c), d), e);
}

static uint64_t h_args6(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
                        uint64_t e, uint64_t f)
{
    helper_calls++;
    return mix(mix(mix(mix(mix(mix(6, a), b), c), d), e), f);
}

static uint64_t ref_hargs(int n, const uint64_t *a)
{
    uint64_t h = (uint64_t)n;
    int i;

    if (n == 0) {
        return 0xabcdef0123456789ull;
    }
    for (i = 0; i < n; i++) {
        h = mix(h, a[i]);
    }
    return h;
}

static const TCGHelperInfo hinfo[7] = {
    {(void *)h_args0, "args0", 0},
    {(void *)h_args1, "args1", TCG_CALL_NO_RWG},
    {(void *)h_args2, "args2", TCG_CALL_NO_RWG},
    {(void *)h_args3, "args3", 0},
    {(void *)h_args4, "args4", TCG_CALL_NO_WG},
    {(void *)h_args5, "args5", TCG_CALL_NO_RWG},
    {(void *)h_args6, "args6", 0},
};

static const TCGHelperInfo clobber_info = {(void *)tcg_test_clobber_helper,
                                           "clobber", TCG_CALL_NO_RWG};
static const TCGHelperInfo clobber_info_rw = {(void *)tcg_test_clobber_helper,
                                              "clobber_rw", 0};

static void gen_call(const TCGHelperInfo *info, TCGv_i64 ret, int n,
                     TCGv_i64 *args)
{
    TCGTemp *t[TCG_MAX_CALL_IARGS];
    int i;

    for (i = 0; i < n; i++) {
        t[i] = tcgv_i64_temp(args[i]);
    }
    tcg_gen_callN(info, ret ? tcgv_i64_temp(ret) : NULL, n, t);
}

static void test_tcg_call_args(void **state)
{
    uint64_t vals[MAXVALS];
    int n, variant, i, nv;

    (void)state;
    nv = value_set(64, vals, 0xca11);
    for (n = 0; n <= TCG_MAX_CALL_IARGS; n++) {
        for (variant = 0; variant < 3; variant++) {
            TranslationBlock *tb = harness_begin();
            TCGv_i64 args[TCG_MAX_CALL_IARGS], keep[4];

            /* Temps live across the call. */
            for (i = 0; i < 4; i++) {
                keep[i] = tcg_temp_new_i64();
                tcg_gen_addi_i64(keep[i], hg[8 + i], i + 1);
            }
            for (i = 0; i < n; i++) {
                switch (variant) {
                case 0: /* globals */
                    args[i] = hg[i];
                    break;
                case 1: /* fresh temps, in reverse order of the regs */
                    args[i] = tcg_temp_new_i64();
                    tcg_gen_xori_i64(args[i], hg[n - 1 - i], 0x5a);
                    break;
                default: /* constants and a repeated temp */
                    args[i] =
                        i & 1 ? tcg_constant_i64((int64_t)vals[i]) : keep[0];
                    break;
                }
            }
            gen_call(&hinfo[n], hg[6], n, args);
            for (i = 0; i < 4; i++) {
                tcg_gen_mov_i64(hg[8 + i], keep[i]);
            }
            harness_end(tb);

            for (i = 0; i + 6 < nv; i += 3) {
                uint64_t in[TCG_MAX_CALL_IARGS], k0 = vals[i + 6] + 1;
                int j;

                env_reset();
                for (j = 0; j < 6; j++) {
                    env.g[j] = vals[i + j];
                }
                for (j = 0; j < 4; j++) {
                    env.g[8 + j] = vals[(i + j + 7) % nv];
                }
                k0 = env.g[8] + 1;
                for (j = 0; j < n; j++) {
                    in[j] = variant == 0   ? env.g[j]
                            : variant == 1 ? env.g[n - 1 - j] ^ 0x5a
                            : (j & 1)      ? vals[j]
                                           : k0;
                }
                CTX("call args=%d variant=%d i=%d", n, variant, i);
                helper_calls = 0;
                run0(tb);
                CHECK(helper_calls, 1);
                CHECK(env.g[6], ref_hargs(n, in));
                for (j = 0; j < 4; j++) {
                    CHECK(env.g[8 + j], vals[(i + j + 7) % nv] + j + 1);
                }
                for (j = 0; j < 6; j++) {
                    CHECK(env.g[j], vals[i + j]);
                }
                check_untouched(0xf7f, 0);
            }
        }
    }
}

/* A helper that returns and takes 32-bit values. */
static uint32_t h_i32(uint32_t a, uint32_t b)
{
    helper_calls++;
    return a * 3 + b;
}

static const TCGHelperInfo hinfo_i32 = {(void *)h_i32, "i32", TCG_CALL_NO_RWG};

static void test_tcg_call_i32_args_and_ret(void **state)
{
    TranslationBlock *tb = harness_begin();
    TCGv_i32 r = tcg_temp_new_i32();
    TCGTemp *args[2] = {tcgv_i32_temp(hw[0]), tcgv_i32_temp(hw[1])};
    uint64_t vals[MAXVALS];
    int i, nv;

    (void)state;
    tcg_gen_callN(&hinfo_i32, tcgv_i32_temp(r), 2, args);
    tcg_gen_mov_i32(hw[2], r);
    tcg_gen_extu_i32_i64(hg[2], r);
    tcg_gen_ext_i32_i64(hg[3], r);
    harness_end(tb);

    nv = value_set(32, vals, 0x32);
    for (i = 0; i + 1 < nv; i++) {
        uint32_t want = (uint32_t)vals[i] * 3 + (uint32_t)vals[i + 1];

        CTX("call i32 a=%#" PRIx64 " b=%#" PRIx64, vals[i], vals[i + 1]);
        env_reset();
        env.w[0] = (uint32_t)vals[i];
        env.w[1] = (uint32_t)vals[i + 1];
        run0(tb);
        CHECK(env.w[2], want);
        CHECK(env.g[2], want);
        CHECK(env.g[3], (uint64_t)sx(want, 32));
        check_untouched(0xc, 0x7);
    }
}

/* Reads env->g[3] and writes env->g[4]: needs globals synced/reloaded. */
static uint64_t h_rw_globals(uint64_t envp)
{
    TestEnv *e = (TestEnv *)(uintptr_t)envp;

    helper_calls++;
    e->g[4] = e->g[3] * 2 + 1;
    return e->g[3];
}

static uint64_t h_r_globals(uint64_t envp)
{
    TestEnv *e = (TestEnv *)(uintptr_t)envp;

    helper_calls++;
    return e->g[3] ^ e->g[4];
}

static const TCGHelperInfo rw_info = {(void *)h_rw_globals, "rw", 0};
static const TCGHelperInfo r_info = {(void *)h_r_globals, "r", TCG_CALL_NO_WG};

static void test_tcg_call_syncs_globals(void **state)
{
    TCGv_i64 envarg = tcgv_ptr_as_i64(tcg_env);
    TranslationBlock *tb;
    uint64_t x;

    (void)state;
    /* Flags 0: globals written back before, reloaded after. */
    tb = harness_begin();
    tcg_gen_addi_i64(hg[3], hg[0], 5);
    tcg_gen_movi_i64(hg[4], 7);
    gen_call(&rw_info, hg[6], 1, &envarg);
    tcg_gen_addi_i64(hg[7], hg[4], 1);
    tcg_gen_mov_i64(hg[8], hg[3]);
    harness_end(tb);
    for (x = 0; x < 2000; x += 333) {
        CTX("rw globals x=%" PRIu64, x);
        env_reset();
        env.g[0] = x;
        helper_calls = 0;
        run0(tb);
        CHECK(helper_calls, 1);
        CHECK(env.g[6], x + 5);
        CHECK(env.g[4], 2 * (x + 5) + 1);
        CHECK(env.g[7], 2 * (x + 5) + 2);
        CHECK(env.g[8], x + 5);
        CHECK(env.g[3], x + 5);
        check_untouched(0x1d9, 0);
    }

    /* NO_WG: globals written back before the call. */
    tb = harness_begin();
    tcg_gen_addi_i64(hg[3], hg[0], 5);
    tcg_gen_xori_i64(hg[4], hg[0], 0x70);
    gen_call(&r_info, hg[6], 1, &envarg);
    tcg_gen_add_i64(hg[7], hg[3], hg[4]);
    harness_end(tb);
    for (x = 0; x < 2000; x += 333) {
        CTX("r globals x=%" PRIu64, x);
        env_reset();
        env.g[0] = x;
        run0(tb);
        CHECK(env.g[6], (x + 5) ^ (x ^ 0x70));
        CHECK(env.g[7], (x + 5) + (x ^ 0x70));
        CHECK(env.g[3], x + 5);
        CHECK(env.g[4], x ^ 0x70);
        check_untouched(0xd9, 0);
    }

    /* NO_RWG and 0, with a helper that trashes caller-saved registers:
     * globals and temps held in registers must survive. */
    for (int f = 0; f < 2; f++) {
        TCGv_i64 t;

        tb = harness_begin();
        t = tcg_temp_new_i64();
        tcg_gen_addi_i64(hg[3], hg[0], 5);
        tcg_gen_muli_i64(t, hg[0], 3);
        tcg_gen_callN(f ? &clobber_info_rw : &clobber_info, NULL, 0, NULL);
        tcg_gen_addi_i64(hg[8], hg[3], 1);
        tcg_gen_mov_i64(hg[9], t);
        tcg_gen_add_i64(hg[10], hg[0], hg[1]);
        harness_end(tb);
        for (x = 1; x < 2000; x += 333) {
            CTX("clobber flags=%d x=%" PRIu64, f, x);
            env_reset();
            env.g[0] = x;
            env.g[1] = x << 40;
            run0(tb);
            CHECK(env.g[3], x + 5);
            CHECK(env.g[8], x + 6);
            CHECK(env.g[9], x * 3);
            CHECK(env.g[10], x + (x << 40));
            CHECK(env.g[0], x);
            check_untouched(0x70b, 0);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Register pressure */

#define NPRESS 48

static void test_tcg_register_pressure(void **state)
{
    uint64_t vals[MAXVALS];
    int variant, i, r, nv;

    (void)state;
    nv = value_set(64, vals, 0x9e55);
    for (variant = 0; variant < 3; variant++) {
        TranslationBlock *tb = harness_begin();
        TCGv_i64 t[NPRESS], s;
        TCGv_i32 u[16], s32;

        for (i = 0; i < NPRESS; i++) {
            t[i] = tcg_temp_new_i64();
            tcg_gen_muli_i64(t[i], hg[i % 8], i + 1);
            tcg_gen_addi_i64(t[i], t[i], (int64_t)i * 0x123456789ll);
        }
        for (i = 0; i < 16; i++) {
            u[i] = tcg_temp_new_i32();
            tcg_gen_xori_i32(u[i], hw[i % 4], i * 0x01010101);
        }
        if (variant == 1) {
            tcg_gen_callN(&clobber_info, NULL, 0, NULL);
        } else if (variant == 2) {
            TCGv_i64 a[2] = {t[3], t[40]};

            gen_call(&hinfo[2], hg[12], 2, a);
            tcg_gen_callN(&clobber_info_rw, NULL, 0, NULL);
        }
        /* Use them in reverse order so all stay live until the end. */
        s = tcg_temp_new_i64();
        tcg_gen_movi_i64(s, 0);
        for (i = NPRESS - 1; i >= 0; i--) {
            tcg_gen_rotli_i64(s, s, 7);
            tcg_gen_add_i64(s, s, t[i]);
        }
        tcg_gen_mov_i64(hg[10], s);
        s32 = tcg_temp_new_i32();
        tcg_gen_movi_i32(s32, 0);
        for (i = 15; i >= 0; i--) {
            tcg_gen_rotli_i32(s32, s32, 3);
            tcg_gen_xor_i32(s32, s32, u[i]);
        }
        tcg_gen_mov_i32(hw[5], s32);
        harness_end(tb);

        for (r = 0; r + 8 <= nv; r += 4) {
            uint64_t want = 0, tv[2] = {0, 0};
            uint32_t want32 = 0;

            env_reset();
            for (i = 0; i < 8; i++) {
                env.g[i] = vals[r + i];
            }
            for (i = 0; i < 4; i++) {
                env.w[i] = (uint32_t)vals[r + i] ^ 0x9999;
            }
            for (i = NPRESS - 1; i >= 0; i--) {
                uint64_t ti = env.g[i % 8] * (uint64_t)(i + 1) +
                              (uint64_t)i * 0x123456789ull;

                want = ((want << 7) | (want >> 57)) + ti;
                if (i == 3) {
                    tv[0] = ti;
                }
                if (i == 40) {
                    tv[1] = ti;
                }
            }
            for (i = 15; i >= 0; i--) {
                uint32_t ui = env.w[i % 4] ^ (uint32_t)(i * 0x01010101);

                want32 = ((want32 << 3) | (want32 >> 29)) ^ ui;
            }
            CTX("pressure variant=%d r=%d", variant, r);
            run0(tb);
            CHECK(env.g[10], want);
            CHECK(env.w[5], want32);
            if (variant == 2) {
                CHECK(env.g[12], ref_hargs(2, tv));
            }
            for (i = 0; i < 8; i++) {
                CHECK(env.g[i], vals[r + i]);
            }
            check_untouched(variant == 2 ? 0x14ff : 0x4ff, 0x2f);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Search data */

static uintptr_t recorded_ra[4];
static int nrecorded;

static __attribute__((noinline)) void h_record_ra(void)
{
    recorded_ra[nrecorded++ & 3] =
        (uintptr_t)__builtin_extract_return_addr(__builtin_return_address(0));
}

static const TCGHelperInfo ra_info = {(void *)h_record_ra, "ra",
                                      TCG_CALL_NO_RWG};

static void test_tcg_restore_search(void **state)
{
    TranslationBlock *tb = harness_begin();

    (void)state;
    tcg_gen_insn_start(0x10000);
    tcg_gen_addi_i64(hg[0], hg[0], 1);
    tcg_gen_insn_start(0x10004);
    tcg_gen_muli_i64(hg[1], hg[0], 3);
    tcg_gen_insn_start(0x10008);
    tcg_gen_callN(&ra_info, NULL, 0, NULL);
    tcg_gen_addi_i64(hg[2], hg[1], 1);
    tcg_gen_insn_start(0x1000c);
    tcg_gen_xori_i64(hg[3], hg[2], 0xff);
    tcg_gen_insn_start(0x10010);
    tcg_gen_addi_i64(hg[4], hg[3], 2);
    tcg_gen_callN(&ra_info, NULL, 0, NULL);
    tcg_gen_insn_start(0x10014);
    harness_end(tb);

    CTX("restore_search");
    env_reset();
    env.g[0] = 10;
    nrecorded = 0;
    run0(tb);
    CHECK(nrecorded, 2);
    CHECK(env.g[1], 33);
    CHECK(env.g[4], (34 ^ 0xff) + 2);
    /* Return addresses are searched minus one (GETPC adjustment): a call
     * that ends its insn's code returns to the next insn's first byte. */
    CHECK(tcg_restore_search(tb, recorded_ra[0] - 1), 0x10008);
    CHECK(tcg_restore_search(tb, recorded_ra[1] - 1), 0x10010);
    CHECK(tcg_restore_search(tb, recorded_ra[1]), 0x10014);
    /* Outside the TB's code. */
    CHECK(tcg_restore_search(tb, (uintptr_t)tb->tc.ptr - 1), -1);
    CHECK(tcg_restore_search(tb, (uintptr_t)tb->tc.ptr + tb->tc.size), -1);
    /* The TB index finds the TB from the return address. */
    CHECK((uintptr_t)tcg_tb_lookup(recorded_ra[0] - 1), (uintptr_t)tb);
}

/*
 * Search data is delta-encoded: guest pcs that jump backwards and far (as
 * when the frontend follows a jump) must come back exactly.
 */
static void test_tcg_restore_search_jumps(void **state)
{
    static const uint64_t pcs[] = {
        0x10000, 0x0fff0, 0x7ffffffff000ull, 0x10, 0x12, 0xffffffffffffff00ull,
    };
    const size_t n = ARRAY_SIZE(pcs);
    TranslationBlock *tb = harness_begin();
    uint64_t seen[ARRAY_SIZE(pcs)];
    size_t nseen = 0;

    (void)state;
    for (size_t i = 0; i < n; i++) {
        tcg_gen_insn_start(pcs[i]);
        tcg_gen_callN(&ra_info, NULL, 0, NULL); /* some code for each */
    }
    harness_end(tb);
    CTX("restore_search_jumps");
    for (uintptr_t pc = (uintptr_t)tb->tc.ptr;
         pc < (uintptr_t)tb->tc.ptr + tb->tc.size; pc++) {
        int64_t g = tcg_restore_search(tb, pc);

        assert_true(g != -1);
        if (nseen == 0 || seen[nseen - 1] != (uint64_t)g) {
            assert_true(nseen < n);
            seen[nseen++] = (uint64_t)g;
        }
    }
    CHECK(nseen, n);
    for (size_t i = 0; i < n; i++) {
        CHECK(seen[i], pcs[i]);
    }
}

/* ------------------------------------------------------------------ */
/* Control flow */

static void test_tcg_exit_tb_values(void **state)
{
    TranslationBlock *tb = harness_begin();
    TCGLabel *l1 = gen_new_label(), *l2 = gen_new_label();
    uint64_t x;

    (void)state;
    tcg_gen_addi_i64(hg[1], hg[0], 1);
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[0], 1, l1);
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[0], 2, l2);
    tcg_gen_exit_tb(NULL, 0);
    gen_set_label(l1);
    tcg_gen_movi_i64(hg[2], 111);
    tcg_gen_exit_tb(tb, 1);
    gen_set_label(l2);
    tcg_gen_movi_i64(hg[2], 222);
    tcg_gen_exit_tb(tb, 0);
    harness_finish(tb);

    for (x = 0; x < 4; x++) {
        uintptr_t want = x == 1   ? (uintptr_t)tb | 1
                         : x == 2 ? (uintptr_t)tb
                                  : 0;

        CTX("exit_tb x=%" PRIu64, x);
        env_reset();
        env.g[0] = x;
        CHECK(harness_run(&env, tb), want);
        /* Globals are synced on every exit. */
        CHECK(env.g[1], x + 1);
        CHECK(env.g[2], x == 1 ? 111 : x == 2 ? 222 : gsent(2));
        check_untouched(0x7, 0);
    }
}

static void test_tcg_loop_sum(void **state)
{
    TranslationBlock *tb = harness_begin();
    TCGLabel *top = gen_new_label(), *done = gen_new_label();
    TCGv_i64 i = tcg_temp_new_tb_i64(), sq = tcg_temp_new_tb_i64();
    TCGv_i32 cnt = tcg_temp_new_tb_i32();
    TCGv_i64 e;
    uint64_t n;

    (void)state;
    tcg_gen_movi_i64(i, 1);
    tcg_gen_movi_i64(hg[1], 0);
    tcg_gen_movi_i64(sq, 0);
    tcg_gen_movi_i32(cnt, 0);
    gen_set_label(top);
    tcg_gen_brcond_i64(TCG_COND_GTU, i, hg[0], done);
    tcg_gen_add_i64(hg[1], hg[1], i);
    e = tcg_temp_new_i64(); /* EBB temp, used within one block only */
    tcg_gen_mul_i64(e, i, i);
    tcg_gen_add_i64(sq, sq, e);
    tcg_gen_addi_i32(cnt, cnt, 1);
    tcg_gen_addi_i64(i, i, 1);
    tcg_gen_br(top);
    gen_set_label(done);
    tcg_gen_mov_i64(hg[2], sq);
    tcg_gen_mov_i32(hw[0], cnt);
    harness_end(tb);

    for (n = 0; n <= 300; n += (n < 10 ? 1 : 37)) {
        CTX("loop n=%" PRIu64, n);
        env_reset();
        env.g[0] = n;
        run0(tb);
        CHECK(env.g[1], n * (n + 1) / 2);
        CHECK(env.g[2], n * (n + 1) * (2 * n + 1) / 6);
        CHECK(env.w[0], n);
        CHECK(env.g[0], n);
        check_untouched(0x7, 0x1);
    }
}

/*
 * A loop inside one TB (tcg_gen_loop_back) with pinned globals: more
 * globals than pin registers, an if/else and an early exit inside the
 * body, a helper that trashes the caller-saved registers, and an exit
 * request raised in the middle of the loop, after which the TB runs again
 * from its start and must finish with the same result.
 */
static uint64_t loop_kick_at;

static void loop_kick_helper(TestEnv *e, uint64_t i)
{
    if (i == loop_kick_at) {
        e->hdr.exit_request = 1;
    }
}

static const TCGHelperInfo loop_kick_info = {(void *)loop_kick_helper,
                                             "loop_kick", TCG_CALL_NO_RWG};

/*
 * tcg_pin_hot_globals with depths from the frontend (tcg_set_loop_depth):
 * a use in a loop three deep (weight 8) outweighs three one loop deep
 * (2 each), and uses in no loop count for nothing, wherever the ops lie.
 * Without depths every use counts once.
 */
static void build_pin_by_depth(bool depths)
{
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_insn_start(0x10000);
    tcg_gen_movi_i64(t, 0);
    for (int r = 0; r < 5; r++) {
        tcg_gen_add_i64(t, t, hg[13]);
    }
    if (depths) {
        tcg_set_loop_depth(tcg_ctx, 1);
    }
    tcg_gen_insn_start(0x10004);
    for (int k = 0; k < 10; k++) {
        for (int r = 0; r < 3; r++) {
            tcg_gen_add_i64(t, t, hg[k]);
        }
    }
    if (depths) {
        tcg_set_loop_depth(tcg_ctx, 3);
    }
    tcg_gen_insn_start(0x10008);
    tcg_gen_add_i64(t, t, hg[10]);
    tcg_gen_add_i64(t, t, hg[11]);
    tcg_gen_mov_i64(hg[12], t);
    if (depths) {
        tcg_set_loop_depth(tcg_ctx, 0);
    }
    tcg_gen_mov_i64(hg[13], t);
}

static void test_tcg_pin_loop_depth(void **state)
{
    (void)state;
    for (int depths = 0; depths < 2; depths++) {
        TranslationBlock *tb = harness_begin();

        CTX("depths %d", depths);
        build_pin_by_depth(depths);
        CHECK(tcg_pin_hot_globals(tcg_ctx), TCG_MAX_PINS);
        CHECK(tcgv_i64_temp(hg[10])->pinned, depths);
        CHECK(tcgv_i64_temp(hg[11])->pinned, depths);
        CHECK(tcgv_i64_temp(hg[13])->pinned, !depths);
        CHECK(tcgv_i64_temp(hg[0])->pinned, 1);
        harness_end(tb);
        env_reset();
        run0(tb);
    }
}

/* The C model of the loop of test_tcg_loop_pinned. */
static void loop_pinned_model(uint64_t *g)
{
    while (g[2] < g[0]) {
        uint64_t i = g[2]++;

        g[1] += i * i;
        if (i & 1) {
            g[3] += i;
        } else {
            g[3] ^= i;
        }
        for (int k = 4; k < 12; k++) {
            g[k] += g[k - 1] ^ (uint64_t)k;
        }
        if (g[1] > g[12]) {
            break;
        }
    }
}

static TranslationBlock *build_loop_pinned(bool helpers, bool hot)
{
    TranslationBlock *tb = harness_begin();
    TCGLabel *head = gen_new_label(), *done = gen_new_label();
    TCGLabel *odd = gen_new_label(), *join = gen_new_label();
    TCGv_i64 t = tcg_temp_new_i64();

    gen_set_label(head);
    tcg_gen_brcond_i64(TCG_COND_GEU, hg[2], hg[0], done);
    tcg_gen_mul_i64(t, hg[2], hg[2]);
    tcg_gen_add_i64(hg[1], hg[1], t);
    t = tcg_temp_new_i64();
    tcg_gen_andi_i64(t, hg[2], 1);
    tcg_gen_brcondi_i64(TCG_COND_NE, t, 0, odd);
    tcg_gen_xor_i64(hg[3], hg[3], hg[2]);
    tcg_gen_br(join);
    gen_set_label(odd);
    tcg_gen_add_i64(hg[3], hg[3], hg[2]);
    gen_set_label(join);
    if (helpers) {
        TCGTemp *args[2] = {tcgv_ptr_temp(tcg_env), tcgv_i64_temp(hg[2])};

        tcg_gen_callN(&clobber_info, NULL, 0, NULL);
        tcg_gen_callN(&loop_kick_info, NULL, 2, args);
    }
    for (int k = 4; k < 12; k++) {
        t = tcg_temp_new_i64();
        tcg_gen_xori_i64(t, hg[k - 1], k);
        tcg_gen_add_i64(hg[k], hg[k], t);
    }
    tcg_gen_addi_i64(hg[2], hg[2], 1);
    tcg_gen_brcond_i64(TCG_COND_GTU, hg[1], hg[12], done);
    tcg_gen_loop_back(head);
    gen_set_label(done);
    if (hot) {
        assert_int_equal(tcg_pin_hot_globals(tcg_ctx), TCG_MAX_PINS);
    } else {
        /*
         * The loop bounds g0 and g12 are only read; pinned 5th and 6th
         * they get caller-saved registers, which the helper trashes, so
         * the back edge must reload them.
         */
        static const int order[TCG_MAX_PINS] = {2, 1, 3, 4, 0, 12, 5, 6};

        for (int k = 0; k < TCG_MAX_PINS; k++) {
            assert_true(tcg_pin_global(tcgv_i64_temp(hg[order[k]])));
        }
        assert_false(tcg_pin_global(tcgv_i64_temp(hg[7])));
    }
    harness_end(tb);
    return tb;
}

static void test_tcg_loop_pinned(void **state)
{
    (void)state;
    for (int v = 0; v < 4; v++) {
        int helpers = v & 1;
        TranslationBlock *tb = build_loop_pinned(helpers, v < 2);

        for (uint64_t n = 0; n < 400; n += 1 + n / 3) {
            uint64_t want[HARNESS_NG];
            uintptr_t ret;

            CTX("pinned loop variant %d n=%" PRIu64, v, n);
            env_reset();
            env.g[0] = n;
            env.g[2] = 0;
            env.g[12] = n > 200 ? 1000000 : UINT64_MAX;
            for (int k = 3; k < 12; k++) {
                env.g[k] = (uint64_t)k * 0x1234567;
            }
            env.g[1] = 0;
            memcpy(want, env.g, sizeof(want));
            loop_pinned_model(want);
            loop_kick_at = helpers ? n / 2 : UINT64_MAX;
            ret = harness_run(&env, tb);
            if (helpers && want[2] > n / 2) {
                /* stopped at the back edge after iteration n / 2 */
                CHECK(ret & TB_EXIT_MASK, TB_EXIT_REQUESTED);
                CHECK(env.g[2], n / 2 + 1);
                env.hdr.exit_request = 0;
                loop_kick_at = UINT64_MAX;
                ret = harness_run(&env, tb);
            }
            CHECK(ret, 0);
            for (int k = 0; k < 13; k++) {
                CHECK(env.g[k], want[k]);
            }
        }
    }
}

/*
 * A pinned global's memory at a label reached only by forward ways in
 * (a vector guard's join): coherent there when it was on every way in,
 * so nothing stores it again.  The probe: a helper declared to touch no
 * global (TCG_CALL_NO_RWG) writes the pinned global's memory anyway after
 * the label; an exit stores the pin only if the allocator thinks memory
 * stale.  Variant 0: g2 never written: the probe's value survives.
 * Variant 1: written before the branch (stale on both ways in); variant
 * 2: written on the fall-through only: the register value wins.
 */
static void h_secret_write(uint64_t envp)
{
    ((TestEnv *)(uintptr_t)envp)->g[2] = 0xdeadull;
}

static const TCGHelperInfo secret_info = {(void *)h_secret_write, "secret",
                                          TCG_CALL_NO_RWG};

static void test_tcg_pin_coherent_label(void **state)
{
    TCGv_i64 envarg = tcgv_ptr_as_i64(tcg_env);

    (void)state;
    for (int v = 0; v < 3; v++) {
        TranslationBlock *tb = harness_begin();
        TCGLabel *l = gen_new_label();

        CTX("pin coherent variant %d", v);
        if (v == 1) {
            tcg_gen_addi_i64(hg[2], hg[2], 1);
        }
        tcg_gen_brcondi_i64(TCG_COND_EQ, hg[2], 0x5555, l);
        if (v == 2) {
            tcg_gen_addi_i64(hg[2], hg[2], 1);
        }
        gen_set_label(l);
        gen_call(&secret_info, NULL, 1, &envarg);
        tcg_gen_addi_i64(hg[1], hg[0], 3);
        assert_true(tcg_pin_global(tcgv_i64_temp(hg[2])));
        harness_end(tb);
        env_reset();
        env.g[0] = 10;
        env.g[2] = 100;
        CHECK(harness_run(&env, tb), 0);
        CHECK(env.g[1], 13);
        CHECK(env.g[2], v == 0 ? 0xdeadull : 101);
    }
}

/* ------------------------------------------------------------------ */
/* Random straight-line programs: optimized == unoptimized == C model */

enum {
    R_ADD,
    R_SUB,
    R_MUL,
    R_AND,
    R_OR,
    R_XOR,
    R_ANDC,
    R_SHLI,
    R_SHRI,
    R_SARI,
    R_ROTLI,
    R_NEG,
    R_NOT,
    R_ADDI,
    R_ANDI,
    R_MOVI,
    R_MOV,
    R_SETCOND,
    R_MOVCOND,
    R_EXT32S,
    R_EXT8U,
    R_BSWAP32,
    R_DEPOSIT,
    R_EXTRACT,
    R_SEXTRACT,
    R_CLZI,
    R_CTPOP,
    R_MULUH,
    R_I32ADD,
    R_NR,
};

typedef struct RInsn {
    int op, d, a, b;
    uint64_t imm;
    TCGCond cond;
    unsigned pos, len;
} RInsn;

#define RPROG_LEN 48
#define RVARS 16 /* 0..7 globals g0..g7, 8..15 TB temps */

static void rprog_make(RInsn *p, uint64_t *st)
{
    int i;

    for (i = 0; i < RPROG_LEN; i++) {
        RInsn *in = &p[i];
        uint64_t r = harness_rand(st);

        in->op = (int)(r % R_NR);
        in->d = (int)((r >> 8) % RVARS);
        in->a = (int)((r >> 16) % RVARS);
        in->b = (int)((r >> 24) % RVARS);
        in->cond = all_conds[(r >> 32) % ARRAY_SIZE(all_conds)];
        in->pos = (unsigned)((r >> 40) % 64);
        in->len = 1 + (unsigned)((r >> 48) % (64 - in->pos));
        in->imm = harness_rand(st);
        switch ((r >> 56) & 3) {
        case 0:
            in->imm &= 0xff;
            break;
        case 1:
            in->imm = (uint64_t)(int64_t)(int32_t)in->imm;
            break;
        default:
            break;
        }
        if (in->op == R_SHLI || in->op == R_SHRI || in->op == R_SARI ||
            in->op == R_ROTLI) {
            in->imm &= 63;
        }
    }
}

static void rprog_gen(const RInsn *p)
{
    TCGv_i64 v[RVARS];
    TCGv_i32 x = tcg_temp_new_i32(), y = tcg_temp_new_i32();
    int i;

    for (i = 0; i < 8; i++) {
        v[i] = hg[i];
        v[i + 8] = tcg_temp_new_tb_i64();
        /* Temps start as a function of the globals. */
        tcg_gen_xori_i64(v[i + 8], hg[7 - i], (int64_t)i * 0x1111);
    }
    for (i = 0; i < RPROG_LEN; i++) {
        const RInsn *in = &p[i];
        TCGv_i64 d = v[in->d], a = v[in->a], b = v[in->b];
        int64_t imm = (int64_t)in->imm;

        switch (in->op) {
        case R_ADD:
            tcg_gen_add_i64(d, a, b);
            break;
        case R_SUB:
            tcg_gen_sub_i64(d, a, b);
            break;
        case R_MUL:
            tcg_gen_mul_i64(d, a, b);
            break;
        case R_AND:
            tcg_gen_and_i64(d, a, b);
            break;
        case R_OR:
            tcg_gen_or_i64(d, a, b);
            break;
        case R_XOR:
            tcg_gen_xor_i64(d, a, b);
            break;
        case R_ANDC:
            tcg_gen_andc_i64(d, a, b);
            break;
        case R_SHLI:
            tcg_gen_shli_i64(d, a, imm);
            break;
        case R_SHRI:
            tcg_gen_shri_i64(d, a, imm);
            break;
        case R_SARI:
            tcg_gen_sari_i64(d, a, imm);
            break;
        case R_ROTLI:
            tcg_gen_rotli_i64(d, a, imm);
            break;
        case R_NEG:
            tcg_gen_neg_i64(d, a);
            break;
        case R_NOT:
            tcg_gen_not_i64(d, a);
            break;
        case R_ADDI:
            tcg_gen_addi_i64(d, a, imm);
            break;
        case R_ANDI:
            tcg_gen_andi_i64(d, a, imm);
            break;
        case R_MOVI:
            tcg_gen_movi_i64(d, imm);
            break;
        case R_MOV:
            tcg_gen_mov_i64(d, a);
            break;
        case R_SETCOND:
            tcg_gen_setcond_i64(in->cond, d, a, b);
            break;
        case R_MOVCOND:
            tcg_gen_movcond_i64(in->cond, d, a, tcg_constant_i64(imm), b, a);
            break;
        case R_EXT32S:
            tcg_gen_ext32s_i64(d, a);
            break;
        case R_EXT8U:
            tcg_gen_ext8u_i64(d, a);
            break;
        case R_BSWAP32:
            tcg_gen_bswap32_i64(d, a);
            break;
        case R_DEPOSIT:
            tcg_gen_deposit_i64(d, a, b, in->pos, in->len);
            break;
        case R_EXTRACT:
            tcg_gen_extract_i64(d, a, in->pos, in->len);
            break;
        case R_SEXTRACT:
            tcg_gen_sextract_i64(d, a, in->pos, in->len);
            break;
        case R_CLZI:
            tcg_gen_clzi_i64(d, a, 64);
            break;
        case R_CTPOP:
            tcg_gen_ctpop_i64(d, a);
            break;
        case R_MULUH:
            tcg_gen_muluh_i64(d, a, b);
            break;
        case R_I32ADD:
            tcg_gen_extrl_i64_i32(x, a);
            tcg_gen_extrl_i64_i32(y, b);
            tcg_gen_add_i32(x, x, y);
            tcg_gen_ext_i32_i64(d, x);
            break;
        }
    }
    for (i = 0; i < 8; i++) {
        tcg_gen_mov_i64(hg[8 + i], v[8 + i]);
    }
}

static void rprog_ref(const RInsn *p, uint64_t *g)
{
    uint64_t v[RVARS];
    int i;

    for (i = 0; i < 8; i++) {
        v[i] = g[i];
    }
    for (i = 0; i < 8; i++) {
        v[i + 8] = g[7 - i] ^ (uint64_t)i * 0x1111;
    }
    for (i = 0; i < RPROG_LEN; i++) {
        const RInsn *in = &p[i];
        uint64_t a = v[in->a], b = v[in->b], imm = in->imm, r = 0;

        switch (in->op) {
        case R_ADD:
            r = a + b;
            break;
        case R_SUB:
            r = a - b;
            break;
        case R_MUL:
            r = a * b;
            break;
        case R_AND:
            r = a & b;
            break;
        case R_OR:
            r = a | b;
            break;
        case R_XOR:
            r = a ^ b;
            break;
        case R_ANDC:
            r = a & ~b;
            break;
        case R_SHLI:
            r = r_shl(a, imm, 64);
            break;
        case R_SHRI:
            r = r_shr(a, imm, 64);
            break;
        case R_SARI:
            r = r_sar(a, imm, 64);
            break;
        case R_ROTLI:
            r = r_rotl(a, imm, 64);
            break;
        case R_NEG:
            r = -a;
            break;
        case R_NOT:
            r = ~a;
            break;
        case R_ADDI:
            r = a + imm;
            break;
        case R_ANDI:
            r = a & imm;
            break;
        case R_MOVI:
            r = imm;
            break;
        case R_MOV:
            r = a;
            break;
        case R_SETCOND:
            r = ref_cond(in->cond, a, b, 64);
            break;
        case R_MOVCOND:
            r = ref_cond(in->cond, a, imm, 64) ? b : a;
            break;
        case R_EXT32S:
            r = (uint64_t)sx(a, 32);
            break;
        case R_EXT8U:
            r = a & 0xff;
            break;
        case R_BSWAP32:
            r = __builtin_bswap32((uint32_t)a);
            break;
        case R_DEPOSIT:
            r = ref_deposit(a, b, in->pos, in->len, 64);
            break;
        case R_EXTRACT:
            r = ref_extract(a, in->pos, in->len);
            break;
        case R_SEXTRACT:
            r = (uint64_t)sx(ref_extract(a, in->pos, in->len), (int)in->len);
            break;
        case R_CLZI:
            r = r_clz(a, 64, 64);
            break;
        case R_CTPOP:
            r = (uint64_t)__builtin_popcountll(a);
            break;
        case R_MULUH:
            r = r_muluh(a, b, 64);
            break;
        case R_I32ADD:
            r = (uint64_t)sx((uint32_t)a + (uint32_t)b, 32);
            break;
        }
        v[in->d] = r;
    }
    for (i = 0; i < 8; i++) {
        g[i] = v[i];
        g[8 + i] = v[8 + i];
    }
}

/*
 * Loop checks (tcg/loopcheck.c): `lbu a5, 0(a5)` off a constant table
 * inside the guest space plus a remainder by 37 (muluh by a constant)
 * needs no range check, with or without any head's bound; not when the
 * space's mask is not known, the table lies outside the space, or the
 * divisor is too large for the guard.
 */
static bool lc_table_access_checked(uint64_t mask, int64_t table, int64_t d,
                                    bool step)
{
    TCGv_i64 t = tcg_temp_new_i64(), u = tcg_temp_new_i64();
    TCGv_i64 v = tcg_temp_new_i64();
    TCGLabel *head;
    TCGOp *ld = NULL;

    tcg_func_start(tcg_ctx);
    head = gen_new_label();
    gen_set_label(head);
    tcg_gen_insn_start(0x4000);
    tcg_gen_qemu_ld_i64(hg[4], hg[0], MO_UB); /* a base: a candidate */
    tcg_gen_muli_i64(t, hg[1], 0x06eb3e45306eb3e5ll);
    tcg_gen_muluh_i64(u, tcg_constant_i64(d), t);
    tcg_gen_addi_i64(v, u, table);
    tcg_gen_qemu_ld_i64(hg[2], v, MO_UB);
    /* step: hg[0]'s check moves to the entry; else it stays */
    tcg_gen_add_i64(hg[0], hg[0], step ? tcg_constant_i64(1) : hg[5]);
    tcg_gen_brcondi_i64(TCG_COND_NE, hg[3], 0, head);
    tcg_ctx->guest_addr_mask = mask;
    tcg_loop_checks(tcg_ctx, false);
    for (int i = 0; i < tcg_ctx->nb_ops; i++) {
        TCGOp *op = &tcg_ctx->ops[i];

        if (op->opc == INDEX_op_qemu_ld &&
            arg_temp(op->args[0]) == tcgv_i64_temp(hg[2])) {
            ld = op;
        }
    }
    assert_non_null(ld);
    tcg_ctx->guest_addr_mask = 0;
    return !(ld->args[2] & MO_NOCHECK);
}

static void test_tcg_loopcheck_constant_table(void **state)
{
    const uint64_t mask38 = ~((1ull << 38) - 1);

    (void)state;
    for (int step = 0; step < 2; step++) {
        assert_false(lc_table_access_checked(mask38, 0x52220, 37, step));
        assert_true(lc_table_access_checked(0, 0x52220, 37, step));
        assert_true(lc_table_access_checked(mask38, 1ll << 40, 37, step));
        assert_true(lc_table_access_checked(mask38, 0x52220, 1 << 20, step));
    }
}

static void test_tcg_optimize_matches_unoptimized(void **state)
{
    uint64_t st = 0x0b7e11;
    RInsn prog[RPROG_LEN];
    int n, opt, k, i;

    (void)state;
    for (n = 0; n < 60; n++) {
        TranslationBlock *tb[2];

        rprog_make(prog, &st);
        for (opt = 0; opt < 2; opt++) {
            tcg_ctx->optimize = opt;
            tb[opt] = harness_begin();
            rprog_gen(prog);
            harness_end(tb[opt]);
        }
        tcg_ctx->optimize = true;
        for (k = 0; k < 6; k++) {
            uint64_t in[HARNESS_NG] = {0}, want[HARNESS_NG], got[2][HARNESS_NG];

            for (i = 0; i < 8; i++) {
                uint64_t r = harness_rand(&st);

                in[i] = k == 0   ? edges64[(n + i) % ARRAY_SIZE(edges64)]
                        : k == 1 ? r & 0xff
                                 : r;
            }
            memcpy(want, in, sizeof(in));
            rprog_ref(prog, want);
            for (opt = 0; opt < 2; opt++) {
                env_reset();
                memcpy(env.g, in, 8 * sizeof(uint64_t));
                CTX("random program %d input %d optimize=%d", n, k, opt);
                run0(tb[opt]);
                memcpy(got[opt], env.g, sizeof(env.g));
                for (i = 0; i < 16; i++) {
                    CTX("random program %d input %d optimize=%d var %d", n, k,
                        opt, i);
                    CHECK(got[opt][i], want[i]);
                }
                check_untouched(0xffff, 0);
            }
        }
    }
    tcg_ctx->optimize = true;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcg_mov_movi),
        cmocka_unit_test(test_tcg_arith),
        cmocka_unit_test(test_tcg_div_rem),
        cmocka_unit_test(test_tcg_logic),
        cmocka_unit_test(test_tcg_shift_rotate),
        cmocka_unit_test(test_tcg_shift_count_modulo_width),
        cmocka_unit_test(test_tcg_clz_ctz),
        cmocka_unit_test(test_tcg_unary_ops),
        cmocka_unit_test(test_tcg_immediate_forms),
        cmocka_unit_test(test_tcg_ext_i32_i64),
        cmocka_unit_test(test_tcg_extract_deposit),
        cmocka_unit_test(test_tcg_setcond_movcond_brcond),
        cmocka_unit_test(test_tcg_setcondi_brcondi),
        cmocka_unit_test(test_tcg_env_loads),
        cmocka_unit_test(test_tcg_env_stores),
        cmocka_unit_test(test_tcg_qemu_ld),
        cmocka_unit_test(test_tcg_qemu_st),
        cmocka_unit_test(test_tcg_atomic_rmw),
        cmocka_unit_test(test_tcg_atomic_cmpxchg),
        cmocka_unit_test(test_tcg_mb),
        cmocka_unit_test(test_tcg_call_args),
        cmocka_unit_test(test_tcg_call_i32_args_and_ret),
        cmocka_unit_test(test_tcg_call_syncs_globals),
        cmocka_unit_test(test_tcg_register_pressure),
        cmocka_unit_test(test_tcg_restore_search),
        cmocka_unit_test(test_tcg_restore_search_jumps),
        cmocka_unit_test(test_tcg_ctpop_without_popcnt),
        cmocka_unit_test(test_tcg_fpop),
        cmocka_unit_test(test_tcg_fpop_cvt),
        cmocka_unit_test(test_tcg_fpcmp),
        cmocka_unit_test(test_tcg_exit_tb_values),
        cmocka_unit_test(test_tcg_loop_sum),
        cmocka_unit_test(test_tcg_loop_pinned),
        cmocka_unit_test(test_tcg_pin_coherent_label),
        cmocka_unit_test(test_tcg_pin_loop_depth),
        cmocka_unit_test(test_tcg_optimize_matches_unoptimized),
        cmocka_unit_test(test_tcg_loopcheck_constant_table),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
