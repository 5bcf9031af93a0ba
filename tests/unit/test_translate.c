/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the RISC-V frontend through the whole pipeline: guest code
 * is written to memory, decoded, translated to IR, optimized, compiled to
 * x86-64 and run by cpu_exec(); the guest registers and memory are then
 * compared with a C reference.
 *
 * Integer operations run on edge values and on random values from a
 * fixed-seed PRNG in two ways: from registers loaded from memory in a
 * guest loop (the generated code computes), and from constants built with
 * lui/addi sequences (the optimizer folds).  Every sequence lives at a
 * fresh guest address, since translated code is never invalidated.
 */
#include "tests/unit/riscv-harness.h"

#include <math.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static char ctx_msg[256];

#define CTX(...) snprintf(ctx_msg, sizeof(ctx_msg), __VA_ARGS__)

#define CHECK(got, want)                                                       \
    do {                                                                       \
        uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want);             \
        if (got_ != want_) {                                                   \
            fail_msg("%s:%d: %s: %s = %#" PRIx64 ", want %#" PRIx64,           \
                     __FILE__, __LINE__, ctx_msg, #got, got_, want_);          \
        }                                                                      \
    } while (0)

/* Expected results, checked against what the guest stored. */
typedef struct Want {
    const char *op;
    const char *how;
    uint64_t a, b, want;
} Want;

#define MAX_WANT 32768

static Want wants[MAX_WANT];
static uint64_t results[MAX_WANT];
static int n_want;

static void want_reset(void)
{
    n_want = 0;
    memset(results, 0xa5, sizeof(results));
}

static void want_add(const char *op, const char *how, uint64_t a, uint64_t b,
                   uint64_t want)
{
    assert_true(n_want < MAX_WANT);
    wants[n_want++] = (Want){op, how, a, b, want};
}

/* Compare @got[i] with wants[i]; print up to 20 mismatches. */
static int want_check(const uint64_t *got, size_t stride)
{
    int bad = 0;

    for (int i = 0; i < n_want; i++) {
        const Want *e = &wants[i];
        uint64_t g = got[i * stride];

        if (g != e->want) {
            if (bad < 20) {
                print_message("MISMATCH %s (%s): a=%#" PRIx64 " b=%#" PRIx64
                              ": got %#" PRIx64 ", want %#" PRIx64 "\n",
                              e->op, e->how, e->a, e->b, g, e->want);
            }
            bad++;
        }
    }
    return bad;
}

/*
 * Edge values: zero, ones, sign boundaries of 64 and 32 bits, values whose
 * low 32 bits are INT32_MIN or -1 without being sign-extended, shift
 * counts around 31/32/63/64, alternating patterns.
 */
static const uint64_t edges[] = {
    0,
    1,
    0xffffffffffffffffull,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    0x80000000ull,
    0xffffffff80000000ull,
    0x7fffffffull,
    0xffffffffull,
    0x100000000ull,
    2,
    0xfffffffffffffffeull,
    0x8000000000000001ull,
    0x0000000180000000ull,
    0x00000001ffffffffull,
    0xffffffff7fffffffull,
    31,
    32,
    63,
    64,
    0x5555555555555555ull,
    0xaaaaaaaaaaaaaaaaull,
    0x0123456789abcdefull,
    0xfedcba9876543210ull,
    0x00000000deadbeefull,
    0x8000,
    0xff,
    0xffffffffffff8000ull,
};

#define N_EDGES ARRAY_SIZE(edges)
/* The first N_CEDGES edges are also used as constants. */
#define N_CEDGES 10
#define N_RANDOM 200

/* A random value with a bias towards interesting shapes. */
static uint64_t rand_value(uint64_t *st)
{
    uint64_t r = rv_rand(st);

    switch (rv_rand(st) % 8) {
    case 0:
        return (uint64_t)(int64_t)(int32_t)r;
    case 1:
        return r & 0xffffffffu;
    case 2:
        return (uint64_t)((int64_t)(r % 257) - 128);
    case 3:
        return (1ull << (r % 64)) + (uint64_t)((int64_t)(r >> 8) % 3 - 1);
    case 4:
        return r | 0x80000000u;
    default:
        return r;
    }
}

/* Reference semantics */

static uint64_t sx32(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
}

static uint64_t rotl64(uint64_t v, unsigned n)
{
    n &= 63;
    return n ? (v << n) | (v >> (64 - n)) : v;
}

static uint64_t rotr64(uint64_t v, unsigned n)
{
    n &= 63;
    return n ? (v >> n) | (v << (64 - n)) : v;
}

static uint32_t rotl32(uint32_t v, unsigned n)
{
    n &= 31;
    return n ? (v << n) | (v >> (32 - n)) : v;
}

static uint32_t rotr32(uint32_t v, unsigned n)
{
    n &= 31;
    return n ? (v >> n) | (v << (32 - n)) : v;
}

/* Carry-less product, iterating over the bits of a (the helper uses b). */
static unsigned __int128 clmul_ref(uint64_t a, uint64_t b)
{
    unsigned __int128 p = 0;

    for (int i = 0; i < 64; i++) {
        if ((a >> i) & 1) {
            p ^= (unsigned __int128)b << i;
        }
    }
    return p;
}

typedef uint64_t (*Ref2)(uint64_t a, uint64_t b);

#define REF2(name, expr)                                                       \
    static uint64_t ref_##name(uint64_t a, uint64_t b)                         \
    {                                                                          \
        (void)a, (void)b;                                                      \
        return (expr);                                                         \
    }

REF2(add, a + b)
REF2(sub, a - b)
REF2(sll, a << (b & 63))
REF2(slt, (int64_t)a < (int64_t)b)
REF2(sltu, a < b)
REF2(xor, a ^ b)
REF2(srl, a >> (b & 63))
REF2(sra, (uint64_t)((int64_t)a >> (b & 63)))
REF2(or, a | b)
REF2(and, a & b)
REF2(addw, sx32(a + b))
REF2(subw, sx32(a - b))
REF2(sllw, sx32((uint32_t)a << (b & 31)))
REF2(srlw, sx32((uint32_t)a >> (b & 31)))
REF2(sraw, sx32((uint32_t)((int32_t)(uint32_t)a >> (b & 31))))
REF2(mul, a * b)
REF2(mulh, (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64))
REF2(mulhsu, (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64))
REF2(mulhu, (uint64_t)(((unsigned __int128)a * b) >> 64))
REF2(mulw, sx32((uint32_t)a * (uint32_t)b))
REF2(div, b == 0 ? ~0ull
          : (a == 1ull << 63 && b == ~0ull) ? a
          : (uint64_t)((int64_t)a / (int64_t)b))
REF2(divu, b == 0 ? ~0ull : a / b)
REF2(rem, b == 0 ? a
          : (a == 1ull << 63 && b == ~0ull) ? 0
          : (uint64_t)((int64_t)a % (int64_t)b))
REF2(remu, b == 0 ? a : a % b)
REF2(divw, (uint32_t)b == 0 ? ~0ull
           : ((uint32_t)a == 0x80000000u && (uint32_t)b == ~0u) ? sx32(a)
           : sx32((uint32_t)((int32_t)a / (int32_t)b)))
REF2(divuw, (uint32_t)b == 0 ? ~0ull : sx32((uint32_t)a / (uint32_t)b))
REF2(remw, (uint32_t)b == 0 ? sx32(a)
           : ((uint32_t)a == 0x80000000u && (uint32_t)b == ~0u) ? 0
           : sx32((uint32_t)((int32_t)a % (int32_t)b)))
REF2(remuw, (uint32_t)b == 0 ? sx32(a) : sx32((uint32_t)a % (uint32_t)b))
REF2(add_uw, (a & 0xffffffffu) + b)
REF2(sh1add, (a << 1) + b)
REF2(sh2add, (a << 2) + b)
REF2(sh3add, (a << 3) + b)
REF2(sh1add_uw, ((a & 0xffffffffu) << 1) + b)
REF2(sh2add_uw, ((a & 0xffffffffu) << 2) + b)
REF2(sh3add_uw, ((a & 0xffffffffu) << 3) + b)
REF2(andn, a & ~b)
REF2(orn, a | ~b)
REF2(xnor, ~(a ^ b))
REF2(max, (int64_t)a > (int64_t)b ? a : b)
REF2(maxu, a > b ? a : b)
REF2(min, (int64_t)a < (int64_t)b ? a : b)
REF2(minu, a < b ? a : b)
REF2(rol, rotl64(a, b))
REF2(ror, rotr64(a, b))
REF2(rolw, sx32(rotl32((uint32_t)a, b)))
REF2(rorw, sx32(rotr32((uint32_t)a, b)))
REF2(clmul, (uint64_t)clmul_ref(a, b))
REF2(clmulh, (uint64_t)(clmul_ref(a, b) >> 64))
REF2(clmulr, (uint64_t)(clmul_ref(a, b) >> 63))
REF2(bclr, a & ~(1ull << (b & 63)))
REF2(bext, (a >> (b & 63)) & 1)
REF2(binv, a ^ (1ull << (b & 63)))
REF2(bset, a | (1ull << (b & 63)))
REF2(czero_eqz, b == 0 ? 0 : a)
REF2(czero_nez, b != 0 ? 0 : a)

/* R-type operations: rd = op(rs1, rs2) */
typedef struct BinOp {
    const char *name;
    uint8_t opc, f3, f7;
    Ref2 ref;
} BinOp;

#define BIN(name, opc, f3, f7) {#name, opc, f3, f7, ref_##name}

static const BinOp binops_i[] = {
    BIN(add, RV_OPC_OP, 0, 0x00),   BIN(sub, RV_OPC_OP, 0, 0x20),
    BIN(sll, RV_OPC_OP, 1, 0x00),   BIN(slt, RV_OPC_OP, 2, 0x00),
    BIN(sltu, RV_OPC_OP, 3, 0x00),  BIN(xor, RV_OPC_OP, 4, 0x00),
    BIN(srl, RV_OPC_OP, 5, 0x00),   BIN(sra, RV_OPC_OP, 5, 0x20),
    BIN(or, RV_OPC_OP, 6, 0x00),    BIN(and, RV_OPC_OP, 7, 0x00),
    BIN(addw, RV_OPC_OP_32, 0, 0x00), BIN(subw, RV_OPC_OP_32, 0, 0x20),
    BIN(sllw, RV_OPC_OP_32, 1, 0x00), BIN(srlw, RV_OPC_OP_32, 5, 0x00),
    BIN(sraw, RV_OPC_OP_32, 5, 0x20),
};

static const BinOp binops_m[] = {
    BIN(mul, RV_OPC_OP, 0, 0x01),     BIN(mulh, RV_OPC_OP, 1, 0x01),
    BIN(mulhsu, RV_OPC_OP, 2, 0x01),  BIN(mulhu, RV_OPC_OP, 3, 0x01),
    BIN(div, RV_OPC_OP, 4, 0x01),     BIN(divu, RV_OPC_OP, 5, 0x01),
    BIN(rem, RV_OPC_OP, 6, 0x01),     BIN(remu, RV_OPC_OP, 7, 0x01),
    BIN(mulw, RV_OPC_OP_32, 0, 0x01), BIN(divw, RV_OPC_OP_32, 4, 0x01),
    BIN(divuw, RV_OPC_OP_32, 5, 0x01), BIN(remw, RV_OPC_OP_32, 6, 0x01),
    BIN(remuw, RV_OPC_OP_32, 7, 0x01),
};

static const BinOp binops_b[] = {
    BIN(add_uw, RV_OPC_OP_32, 0, 0x04),
    BIN(sh1add, RV_OPC_OP, 2, 0x10),
    BIN(sh2add, RV_OPC_OP, 4, 0x10),
    BIN(sh3add, RV_OPC_OP, 6, 0x10),
    BIN(sh1add_uw, RV_OPC_OP_32, 2, 0x10),
    BIN(sh2add_uw, RV_OPC_OP_32, 4, 0x10),
    BIN(sh3add_uw, RV_OPC_OP_32, 6, 0x10),
    BIN(andn, RV_OPC_OP, 7, 0x20),
    BIN(orn, RV_OPC_OP, 6, 0x20),
    BIN(xnor, RV_OPC_OP, 4, 0x20),
    BIN(max, RV_OPC_OP, 6, 0x05),
    BIN(maxu, RV_OPC_OP, 7, 0x05),
    BIN(min, RV_OPC_OP, 4, 0x05),
    BIN(minu, RV_OPC_OP, 5, 0x05),
    BIN(rol, RV_OPC_OP, 1, 0x30),
    BIN(ror, RV_OPC_OP, 5, 0x30),
    BIN(rolw, RV_OPC_OP_32, 1, 0x30),
    BIN(rorw, RV_OPC_OP_32, 5, 0x30),
    BIN(clmul, RV_OPC_OP, 1, 0x05),
    BIN(clmulr, RV_OPC_OP, 2, 0x05),
    BIN(clmulh, RV_OPC_OP, 3, 0x05),
    BIN(bclr, RV_OPC_OP, 1, 0x24),
    BIN(bext, RV_OPC_OP, 5, 0x24),
    BIN(binv, RV_OPC_OP, 1, 0x34),
    BIN(bset, RV_OPC_OP, 1, 0x14),
};

static const BinOp binops_zicond[] = {
    BIN(czero_eqz, RV_OPC_OP, 5, 0x07),
    BIN(czero_nez, RV_OPC_OP, 7, 0x07),
};

static uint32_t enc_bin(const BinOp *op, int rd, int rs1, int rs2)
{
    return rv_r(op->opc, op->f3, op->f7, rd, rs1, rs2);
}

/*
 * Register path: a guest loop over records {a, b, 6 results}, computing
 * op(a,b) into a fresh rd, with rd = rs1, with rd = rs2, op(a,a),
 * op(0,b) and op(a,0) with x0 as a source; plus a write to x0 first.
 */
static int binop_regs(const BinOp *op, const uint64_t *va, const uint64_t *vb,
                      int n)
{
    enum { W = 8 };
    uint64_t *rec = calloc((size_t)n * W, 8);
    static const char *const how[6] = {"rd fresh", "rd=rs1", "rd=rs2",
                                       "rs1=rs2", "rs1=x0", "rs2=x0"};
    Asm *a = rv_begin();
    uint64_t loop = rv_pc(a);
    int bad = 0;

    assert_non_null(rec);
    rv_emit(a, rv_ld(RV_A0, RV_S0, 0));
    rv_emit(a, rv_ld(RV_A1, RV_S0, 8));
    rv_emit(a, enc_bin(op, RV_ZERO, RV_A0, RV_A1));
    rv_emit(a, enc_bin(op, RV_A2, RV_A0, RV_A1));
    rv_emit(a, rv_sd(RV_A2, RV_S0, 16));
    rv_emit(a, rv_addi(RV_A3, RV_A0, 0));
    rv_emit(a, enc_bin(op, RV_A3, RV_A3, RV_A1));
    rv_emit(a, rv_sd(RV_A3, RV_S0, 24));
    rv_emit(a, rv_addi(RV_A4, RV_A1, 0));
    rv_emit(a, enc_bin(op, RV_A4, RV_A0, RV_A4));
    rv_emit(a, rv_sd(RV_A4, RV_S0, 32));
    rv_emit(a, enc_bin(op, RV_A5, RV_A0, RV_A0));
    rv_emit(a, rv_sd(RV_A5, RV_S0, 40));
    rv_emit(a, enc_bin(op, RV_A6, RV_ZERO, RV_A1));
    rv_emit(a, rv_sd(RV_A6, RV_S0, 48));
    rv_emit(a, enc_bin(op, RV_A7, RV_A0, RV_ZERO));
    rv_emit(a, rv_sd(RV_A7, RV_S0, 56));
    rv_emit(a, rv_addi(RV_S0, RV_S0, W * 8));
    rv_emit(a, rv_addi(RV_S1, RV_S1, -1));
    rv_emit(a, rv_b(1, RV_S1, RV_ZERO, (int32_t)(loop - rv_pc(a))));
    rv_end(a);

    for (int i = 0; i < n; i++) {
        rec[i * W] = va[i];
        rec[i * W + 1] = vb[i];
    }
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)rec;
    env->gpr[RV_S1] = (uint64_t)n;
    rv_run_ok(a);
    assert_int_equal(env->gpr[RV_ZERO], 0);
    for (int i = 0; i < n; i++) {
        uint64_t x = va[i], y = vb[i];
        uint64_t want[6] = {op->ref(x, y), op->ref(x, y), op->ref(x, y),
                            op->ref(x, x), op->ref(0, y), op->ref(x, 0)};

        for (int k = 0; k < 6; k++) {
            uint64_t got = rec[i * W + 2 + k];

            if (got != want[k]) {
                if (bad < 20) {
                    print_message("MISMATCH %s (%s): a=%#" PRIx64
                                  " b=%#" PRIx64 ": got %#" PRIx64
                                  ", want %#" PRIx64 "\n",
                                  op->name, how[k], x, y, got, want[k]);
                }
                bad++;
            }
        }
    }
    free(rec);
    return bad;
}

/*
 * Constant path: operands built with li in the same TB, so the optimizer
 * sees constants: const op const, const op reg, reg op const.  s2..s11
 * hold the first N_CEDGES edges as register operands.
 */
static int binop_consts(const BinOp *op)
{
    Asm *a = rv_begin();

    want_reset();
    a->res_reg = RV_GP;
    for (int i = 0; i < N_CEDGES; i++) {
        rv_li(a, RV_T0, edges[i]);
        for (int j = 0; j < N_CEDGES; j++) {
            rv_emit(a, enc_bin(op, RV_A2, RV_T0, RV_S2 + j));
            rv_store_result(a, RV_A2);
            want_add(op->name, "const,reg", edges[i], edges[j],
                   op->ref(edges[i], edges[j]));
            rv_emit(a, enc_bin(op, RV_A2, RV_S2 + j, RV_T0));
            rv_store_result(a, RV_A2);
            want_add(op->name, "reg,const", edges[j], edges[i],
                   op->ref(edges[j], edges[i]));
            rv_li(a, RV_T1, edges[j]);
            rv_emit(a, enc_bin(op, RV_A2, RV_T0, RV_T1));
            rv_store_result(a, RV_A2);
            want_add(op->name, "const,const", edges[i], edges[j],
                   op->ref(edges[i], edges[j]));
        }
    }
    rv_end(a);
    for (int j = 0; j < N_CEDGES; j++) {
        env->gpr[RV_S2 + j] = edges[j];
    }
    env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
    rv_run_ok(a);
    return want_check(results, 1);
}

static void run_binops(const BinOp *ops, size_t n_ops)
{
    uint64_t va[N_EDGES * N_EDGES + N_RANDOM], vb[N_EDGES * N_EDGES + N_RANDOM];
    int bad = 0;

    for (size_t k = 0; k < n_ops; k++) {
        uint64_t st = 0x1234 + k;
        int n = 0;

        for (size_t i = 0; i < N_EDGES; i++) {
            for (size_t j = 0; j < N_EDGES; j++) {
                va[n] = edges[i];
                vb[n++] = edges[j];
            }
        }
        for (int i = 0; i < N_RANDOM; i++) {
            va[n] = rand_value(&st);
            vb[n++] = rand_value(&st);
        }
        bad += binop_regs(&ops[k], va, vb, n);
        bad += binop_consts(&ops[k]);
    }
    assert_int_equal(bad, 0);
}

static void test_translate_rv64i_alu(void **state)
{
    (void)state;
    run_binops(binops_i, ARRAY_SIZE(binops_i));
}

static void test_translate_m(void **state)
{
    (void)state;
    run_binops(binops_m, ARRAY_SIZE(binops_m));
}

static void test_translate_zba_zbb_zbc_zbs(void **state)
{
    (void)state;
    run_binops(binops_b, ARRAY_SIZE(binops_b));
}

static void test_translate_zicond(void **state)
{
    Asm *a;

    (void)state;
    env->cfg.ext_zicond = true;
    run_binops(binops_zicond, ARRAY_SIZE(binops_zicond));
    env->cfg.ext_zicond = false;
    /* Off by default: illegal. */
    a = rv_begin();
    rv_emit(a, enc_bin(&binops_zicond[0], RV_A0, RV_A1, RV_A2));
    rv_end(a);
    assert_int_equal(rv_run((uint64_t)(uintptr_t)a->start),
                     RISCV_EXCP_ILLEGAL);
    assert_int_equal(env->pc, (uint64_t)(uintptr_t)a->start);
}

/* Immediate operations: rd = op(rs1, imm) */
typedef uint64_t (*RefImm)(uint64_t a, int64_t imm);

#define REFI(name, expr)                                                       \
    static uint64_t refi_##name(uint64_t a, int64_t i)                         \
    {                                                                          \
        (void)i;                                                               \
        return (expr);                                                         \
    }

REFI(addi, a + (uint64_t)i)
REFI(slti, (int64_t)a < i)
REFI(sltiu, a < (uint64_t)i)
REFI(xori, a ^ (uint64_t)i)
REFI(ori, a | (uint64_t)i)
REFI(andi, a & (uint64_t)i)
REFI(addiw, sx32(a + (uint64_t)i))
REFI(slli, a << i)
REFI(srli, a >> i)
REFI(srai, (uint64_t)((int64_t)a >> i))
REFI(slliw, sx32((uint32_t)a << i))
REFI(srliw, sx32((uint32_t)a >> i))
REFI(sraiw, sx32((uint32_t)((int32_t)(uint32_t)a >> i)))
REFI(slli_uw, (a & 0xffffffffu) << i)
REFI(rori, rotr64(a, (unsigned)i))
REFI(roriw, sx32(rotr32((uint32_t)a, (unsigned)i)))
REFI(bclri, a & ~(1ull << i))
REFI(bexti, (a >> i) & 1)
REFI(binvi, a ^ (1ull << i))
REFI(bseti, a | (1ull << i))

typedef struct ImmOp {
    const char *name;
    uint8_t opc, f3;
    uint16_t hi;  /* bits 31:20 besides the immediate (shift forms) */
    uint8_t kind; /* 0: 12-bit signed imm, 5/6: shamt bits */
    RefImm ref;
} ImmOp;

#define IMM(name, opc, f3, hi, kind) {#name, opc, f3, hi, kind, refi_##name}

static const ImmOp immops[] = {
    IMM(addi, RV_OPC_OP_IMM, 0, 0, 0),
    IMM(slti, RV_OPC_OP_IMM, 2, 0, 0),
    IMM(sltiu, RV_OPC_OP_IMM, 3, 0, 0),
    IMM(xori, RV_OPC_OP_IMM, 4, 0, 0),
    IMM(ori, RV_OPC_OP_IMM, 6, 0, 0),
    IMM(andi, RV_OPC_OP_IMM, 7, 0, 0),
    IMM(addiw, RV_OPC_OP_IMM_32, 0, 0, 0),
    IMM(slli, RV_OPC_OP_IMM, 1, 0x000, 6),
    IMM(srli, RV_OPC_OP_IMM, 5, 0x000, 6),
    IMM(srai, RV_OPC_OP_IMM, 5, 0x400, 6),
    IMM(slliw, RV_OPC_OP_IMM_32, 1, 0x000, 5),
    IMM(srliw, RV_OPC_OP_IMM_32, 5, 0x000, 5),
    IMM(sraiw, RV_OPC_OP_IMM_32, 5, 0x400, 5),
    IMM(slli_uw, RV_OPC_OP_IMM_32, 1, 0x080, 6),
    IMM(rori, RV_OPC_OP_IMM, 5, 0x600, 6),
    IMM(roriw, RV_OPC_OP_IMM_32, 5, 0x600, 5),
    IMM(bclri, RV_OPC_OP_IMM, 1, 0x480, 6),
    IMM(bexti, RV_OPC_OP_IMM, 5, 0x480, 6),
    IMM(binvi, RV_OPC_OP_IMM, 1, 0x680, 6),
    IMM(bseti, RV_OPC_OP_IMM, 1, 0x280, 6),
};

static const int32_t imm12s[] = {
    0, 1, -1, 2, -2, 2047, -2048, 0x555, -0x556, 31, 32, 63, 64, 0x7f0, 0xff,
};

static uint32_t enc_imm(const ImmOp *op, int rd, int rs1, int32_t imm)
{
    return rv_i(op->opc, op->f3, rd, rs1, op->kind ? op->hi | imm : imm);
}

static int immop_values(const ImmOp *op, int32_t *imms)
{
    int n = 0;

    if (op->kind == 0) {
        memcpy(imms, imm12s, sizeof(imm12s));
        return ARRAY_SIZE(imm12s);
    }
    for (int i = 0; i < (1 << op->kind); i++) {
        imms[n++] = i;
    }
    return n;
}

static void test_translate_imm_ops(void **state)
{
    int32_t imms[64];
    uint64_t *rec;
    int bad = 0;

    (void)state;
    rec = calloc((N_EDGES + N_RANDOM) * 80, 8);
    assert_non_null(rec);
    for (size_t k = 0; k < ARRAY_SIZE(immops); k++) {
        const ImmOp *op = &immops[k];
        int ni = immop_values(op, imms), n = 0, w = ni + 3;
        uint64_t st = 0x777 + k, loop;
        Asm *a;

        /* Register path: record {a, op(a, imm[0..ni-1]), rd=rs1, x0} */
        for (size_t i = 0; i < N_EDGES; i++) {
            rec[n++ * w] = edges[i];
        }
        for (int i = 0; i < N_RANDOM; i++) {
            rec[n++ * w] = rand_value(&st);
        }
        a = rv_begin();
        loop = rv_pc(a);
        rv_emit(a, rv_ld(RV_A0, RV_S0, 0));
        rv_emit(a, enc_imm(op, RV_ZERO, RV_A0, imms[ni - 1]));
        for (int j = 0; j < ni; j++) {
            rv_emit(a, enc_imm(op, RV_A2, RV_A0, imms[j]));
            rv_emit(a, rv_sd(RV_A2, RV_S0, 8 + 8 * j));
        }
        rv_emit(a, rv_addi(RV_A3, RV_A0, 0));
        rv_emit(a, enc_imm(op, RV_A3, RV_A3, imms[ni - 1]));
        rv_emit(a, rv_sd(RV_A3, RV_S0, 8 + 8 * ni));
        rv_emit(a, enc_imm(op, RV_A4, RV_ZERO, imms[ni - 1]));
        rv_emit(a, rv_sd(RV_A4, RV_S0, 16 + 8 * ni));
        rv_emit(a, rv_addi(RV_S0, RV_S0, w * 8));
        rv_emit(a, rv_addi(RV_S1, RV_S1, -1));
        rv_emit(a, rv_b(1, RV_S1, RV_ZERO, (int32_t)(loop - rv_pc(a))));
        rv_end(a);
        env->gpr[RV_S0] = (uint64_t)(uintptr_t)rec;
        env->gpr[RV_S1] = (uint64_t)n;
        rv_run_ok(a);
        want_reset();
        for (int i = 0; i < n; i++) {
            uint64_t x = rec[i * w];

            for (int j = 0; j < ni; j++) {
                want_add(op->name, "reg", x, (uint64_t)imms[j],
                       op->ref(x, imms[j]));
            }
            want_add(op->name, "rd=rs1", x, (uint64_t)imms[ni - 1],
                   op->ref(x, imms[ni - 1]));
            want_add(op->name, "rs1=x0", 0, (uint64_t)imms[ni - 1],
                   op->ref(0, imms[ni - 1]));
        }
        /* expects are in record order, minus the input column */
        for (int i = 0, e = 0; i < n; i++) {
            for (int j = 1; j < w; j++) {
                results[e++] = rec[i * w + j];
            }
        }
        bad += want_check(results, 1);

        /* Constant path */
        a = rv_begin();
        a->res_reg = RV_GP;
        want_reset();
        for (size_t i = 0; i < N_EDGES; i++) {
            rv_li(a, RV_T0, edges[i]);
            for (int j = 0; j < ni; j++) {
                rv_emit(a, enc_imm(op, RV_A2, RV_T0, imms[j]));
                rv_store_result(a, RV_A2);
                want_add(op->name, "const", edges[i], (uint64_t)imms[j],
                       op->ref(edges[i], imms[j]));
            }
        }
        rv_end(a);
        env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
        rv_run_ok(a);
        bad += want_check(results, 1);
    }
    free(rec);
    assert_int_equal(bad, 0);
}

/* Unary operations (Zbb): rd = op(rs1) */
typedef uint64_t (*Ref1)(uint64_t a);

#define REF1(name, expr)                                                       \
    static uint64_t ref1_##name(uint64_t a)                                    \
    {                                                                          \
        return (expr);                                                         \
    }

static uint64_t orc_b_ref(uint64_t a)
{
    uint64_t r = 0;

    for (int i = 0; i < 8; i++) {
        uint8_t byte = (uint8_t)(a >> (8 * i));

        r |= (uint64_t)(byte ? 0xff : 0) << (8 * i);
    }
    return r;
}

static uint64_t rev8_ref(uint64_t a)
{
    uint64_t r = 0;

    for (int i = 0; i < 8; i++) {
        r = r << 8 | ((a >> (8 * i)) & 0xff);
    }
    return r;
}

static uint64_t count_bits(uint64_t a)
{
    uint64_t n = 0;

    for (; a; a &= a - 1) {
        n++;
    }
    return n;
}

static uint64_t lead_zeros(uint64_t a, int bits)
{
    uint64_t n = 0;

    for (int i = bits - 1; i >= 0 && !((a >> i) & 1); i--) {
        n++;
    }
    return n;
}

static uint64_t trail_zeros(uint64_t a, int bits)
{
    uint64_t n = 0;

    for (int i = 0; i < bits && !((a >> i) & 1); i++) {
        n++;
    }
    return n;
}

REF1(clz, lead_zeros(a, 64))
REF1(ctz, trail_zeros(a, 64))
REF1(cpop, count_bits(a))
REF1(sext_b, (uint64_t)(int64_t)(int8_t)(uint8_t)a)
REF1(sext_h, (uint64_t)(int64_t)(int16_t)(uint16_t)a)
REF1(zext_h, a & 0xffff)
REF1(clzw, lead_zeros(a & 0xffffffffu, 32))
REF1(ctzw, trail_zeros(a & 0xffffffffu, 32))
REF1(cpopw, count_bits(a & 0xffffffffu))
REF1(orc_b, orc_b_ref(a))
REF1(rev8, rev8_ref(a))

typedef struct UnOp {
    const char *name;
    uint8_t opc, f3;
    uint16_t imm; /* bits 31:20 */
    Ref1 ref;
} UnOp;

#define UN(name, opc, f3, imm) {#name, opc, f3, imm, ref1_##name}

static const UnOp unops[] = {
    UN(clz, RV_OPC_OP_IMM, 1, 0x600),
    UN(ctz, RV_OPC_OP_IMM, 1, 0x601),
    UN(cpop, RV_OPC_OP_IMM, 1, 0x602),
    UN(sext_b, RV_OPC_OP_IMM, 1, 0x604),
    UN(sext_h, RV_OPC_OP_IMM, 1, 0x605),
    UN(zext_h, RV_OPC_OP_32, 4, 0x080),
    UN(clzw, RV_OPC_OP_IMM_32, 1, 0x600),
    UN(ctzw, RV_OPC_OP_IMM_32, 1, 0x601),
    UN(cpopw, RV_OPC_OP_IMM_32, 1, 0x602),
    UN(orc_b, RV_OPC_OP_IMM, 5, 0x287),
    UN(rev8, RV_OPC_OP_IMM, 5, 0x6b8),
};

static void test_translate_zbb_unary(void **state)
{
    enum { W = 4 };
    uint64_t rec[(N_EDGES + N_RANDOM) * W];
    int bad = 0;

    (void)state;
    for (size_t k = 0; k < ARRAY_SIZE(unops); k++) {
        const UnOp *op = &unops[k];
        uint32_t insn_a2 = rv_i(op->opc, op->f3, RV_A2, RV_A0, op->imm);
        uint64_t st = 0x999 + k, loop;
        int n = 0;
        Asm *a;

        memset(rec, 0, sizeof(rec));
        for (size_t i = 0; i < N_EDGES; i++) {
            rec[n++ * W] = edges[i];
        }
        for (int i = 0; i < N_RANDOM; i++) {
            rec[n++ * W] = rand_value(&st);
        }
        a = rv_begin();
        loop = rv_pc(a);
        rv_emit(a, rv_ld(RV_A0, RV_S0, 0));
        rv_emit(a, insn_a2);
        rv_emit(a, rv_sd(RV_A2, RV_S0, 8));
        rv_emit(a, rv_addi(RV_A3, RV_A0, 0));
        rv_emit(a, rv_i(op->opc, op->f3, RV_A3, RV_A3, op->imm));
        rv_emit(a, rv_sd(RV_A3, RV_S0, 16));
        rv_emit(a, rv_i(op->opc, op->f3, RV_A4, RV_ZERO, op->imm));
        rv_emit(a, rv_sd(RV_A4, RV_S0, 24));
        rv_emit(a, rv_addi(RV_S0, RV_S0, W * 8));
        rv_emit(a, rv_addi(RV_S1, RV_S1, -1));
        rv_emit(a, rv_b(1, RV_S1, RV_ZERO, (int32_t)(loop - rv_pc(a))));
        rv_end(a);
        env->gpr[RV_S0] = (uint64_t)(uintptr_t)rec;
        env->gpr[RV_S1] = (uint64_t)n;
        rv_run_ok(a);
        want_reset();
        for (int i = 0; i < n; i++) {
            uint64_t x = rec[i * W];

            want_add(op->name, "reg", x, 0, op->ref(x));
            want_add(op->name, "rd=rs1", x, 0, op->ref(x));
            want_add(op->name, "rs1=x0", 0, 0, op->ref(0));
        }
        for (int i = 0, e = 0; i < n; i++) {
            for (int j = 1; j < W; j++) {
                results[e++] = rec[i * W + j];
            }
        }
        bad += want_check(results, 1);

        /* Constant path */
        a = rv_begin();
        a->res_reg = RV_GP;
        want_reset();
        for (size_t i = 0; i < N_EDGES; i++) {
            rv_li(a, RV_T0, edges[i]);
            rv_emit(a, rv_i(op->opc, op->f3, RV_A2, RV_T0, op->imm));
            rv_store_result(a, RV_A2);
            want_add(op->name, "const", edges[i], 0, op->ref(edges[i]));
        }
        rv_end(a);
        env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
        rv_run_ok(a);
        bad += want_check(results, 1);
    }
    assert_int_equal(bad, 0);
    /* The spec's examples */
    CHECK(ref1_clz(0), 64);
    CHECK(ref1_ctz(~0ull), 0);
    CHECK(ref1_clzw(0xffffffff00000000ull), 32);
}

/* The li sequences themselves (lui, addiw, slli, addi, folded). */
static void test_translate_li_constants(void **state)
{
    uint64_t st = 42;
    Asm *a = rv_begin();

    (void)state;
    a->res_reg = RV_GP;
    want_reset();
    for (size_t i = 0; i < N_EDGES; i++) {
        rv_li(a, RV_A0, edges[i]);
        rv_store_result(a, RV_A0);
        want_add("li", "const", edges[i], 0, edges[i]);
    }
    for (int i = 0; i < 300; i++) {
        uint64_t v = rand_value(&st);

        rv_li(a, RV_A0, v);
        rv_store_result(a, RV_A0);
        want_add("li", "const", v, 0, v);
    }
    rv_end(a);
    env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
    rv_run_ok(a);
    assert_int_equal(want_check(results, 1), 0);
}

static void test_translate_lui_auipc(void **state)
{
    static const uint32_t imms[] = {0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345};
    Asm *a = rv_begin();
    uint64_t pcs[ARRAY_SIZE(imms)];

    (void)state;
    a->res_reg = RV_GP;
    for (size_t i = 0; i < ARRAY_SIZE(imms); i++) {
        rv_emit(a, rv_lui(RV_A0, imms[i]));
        rv_store_result(a, RV_A0);
        pcs[i] = rv_pc(a);
        rv_emit(a, rv_auipc(RV_A1, imms[i]));
        rv_store_result(a, RV_A1);
    }
    rv_emit(a, rv_lui(RV_ZERO, 0x12345));
    rv_emit(a, rv_auipc(RV_ZERO, 0x12345));
    rv_end(a);
    env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
    rv_run_ok(a);
    for (size_t i = 0; i < ARRAY_SIZE(imms); i++) {
        uint64_t off = (uint64_t)(int64_t)(int32_t)(imms[i] << 12);

        CTX("lui/auipc 0x%x", imms[i]);
        CHECK(results[2 * i], off);
        CHECK(results[2 * i + 1], pcs[i] + off);
    }
    CHECK(env->gpr[RV_ZERO], 0);
}

/* Loads and stores of every size at every alignment, imm offsets too. */
static void test_translate_loads_stores(void **state)
{
    static const struct {
        const char *name;
        int f3, size;
        bool sign;
    } lds[] = {
        {"lb", 0, 1, true},   {"lh", 1, 2, true},  {"lw", 2, 4, true},
        {"ld", 3, 8, false},  {"lbu", 4, 1, false}, {"lhu", 5, 2, false},
        {"lwu", 6, 4, false},
    };
    static const int32_t offs[] = {0, 1, 2, 3, 5, 7, -1, -7, 2047, -2048};
    uint8_t *buf = malloc(8192), *base = buf + 4096;
    uint8_t ref[8192];
    uint64_t st = 5;
    Asm *a;

    (void)state;
    assert_non_null(buf);
    for (int i = 0; i < 8192; i++) {
        buf[i] = (uint8_t)rv_rand(&st);
        buf[i] |= (i & 1) ? 0x80 : 0; /* plenty of sign bits */
    }

    /* Loads: base register s0 = base + k (k = 0..7), each offset. */
    a = rv_begin();
    a->res_reg = RV_GP;
    want_reset();
    for (int k = 0; k < 8; k++) {
        rv_emit(a, rv_addi(RV_S1, RV_S0, k));
        for (size_t l = 0; l < ARRAY_SIZE(lds); l++) {
            for (size_t o = 0; o < ARRAY_SIZE(offs); o++) {
                uint8_t *p = base + k + offs[o];
                uint64_t v = 0;

                rv_emit(a, rv_i(RV_OPC_LOAD, lds[l].f3, RV_A0, RV_S1,
                                offs[o]));
                rv_store_result(a, RV_A0);
                memcpy(&v, p, lds[l].size);
                if (lds[l].sign && lds[l].size < 8) {
                    v = (uint64_t)rv_sext(v, lds[l].size * 8);
                }
                want_add(lds[l].name, "load", (uint64_t)(uintptr_t)p, 0, v);
            }
        }
        /* rd = base register */
        rv_emit(a, rv_addi(RV_A1, RV_S1, 0));
        rv_emit(a, rv_ld(RV_A1, RV_A1, 3));
        rv_store_result(a, RV_A1);
        {
            uint64_t v;

            memcpy(&v, base + k + 3, 8);
            want_add("ld", "rd=rs1", (uint64_t)(uintptr_t)(base + k + 3), 0, v);
        }
        /* to x0: no effect, no crash */
        rv_emit(a, rv_ld(RV_ZERO, RV_S1, 0));
    }
    rv_end(a);
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)base;
    env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
    rv_run_ok(a);
    assert_int_equal(want_check(results, 1), 0);
    CHECK(env->gpr[RV_ZERO], 0);

    /* Stores: every size at every alignment, imm offsets +-, then compare
     * the whole buffer with the same stores done in C. */
    memcpy(ref, buf, sizeof(ref));
    a = rv_begin();
    {
        static const int32_t soffs[] = {0, 3, -5, 2047, -2048, 1001};
        uint64_t val = 0x8899aabbccddeeffull;
        int pos = 0;

        for (int k = 0; k < 8; k++) {
            for (int f3 = 0; f3 < 4; f3++) {
                for (size_t o = 0; o < ARRAY_SIZE(soffs); o++) {
                    /* spread the stores out so that they do not overlap */
                    int disp = (pos++ % 16) * 16 - 128 + k;
                    uint8_t *p = base + disp + soffs[o];

                    rv_emit(a, rv_addi(RV_S1, RV_S0, disp));
                    rv_emit(a, rv_s(RV_OPC_STORE, f3, RV_S1, RV_A0,
                                    soffs[o]));
                    memcpy(p - buf + ref, &val, 1u << f3);
                    val = val * 0x9e3779b97f4a7c15ull + 1;
                    rv_li(a, RV_A0, val);
                }
            }
        }
    }
    rv_end(a);
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)base;
    env->gpr[RV_A0] = 0x8899aabbccddeeffull;
    rv_run_ok(a);
    for (int i = 0; i < 8192; i++) {
        CTX("store byte %d", i - 4096);
        CHECK(buf[i], ref[i]);
    }
    free(buf);
}

/* Branches: all six conditions, taken and not taken, edge values. */
static bool branch_ref(int f3, uint64_t x, uint64_t y)
{
    switch (f3) {
    case 0:
        return x == y;
    case 1:
        return x != y;
    case 4:
        return (int64_t)x < (int64_t)y;
    case 5:
        return (int64_t)x >= (int64_t)y;
    case 6:
        return x < y;
    default:
        return x >= y;
    }
}

static void test_translate_branches(void **state)
{
    static const int conds[] = {0, 1, 4, 5, 6, 7};
    static const char *const names[8] = {"beq", "bne", "", "", "blt", "bge",
                                         "bltu", "bgeu"};

    (void)state;
    for (size_t c = 0; c < ARRAY_SIZE(conds); c++) {
        int f3 = conds[c];
        uint64_t taken_pc, fall_pc;
        Asm *a;

        /* Register operands: one code sequence, run for every pair. */
        a = rv_begin();
        rv_emit(a, rv_b(f3, RV_A0, RV_A1, 12));
        rv_emit(a, rv_addi(RV_A2, RV_ZERO, 1));
        fall_pc = rv_pc(a);
        rv_emit(a, RV_ECALL);
        rv_emit(a, rv_addi(RV_A2, RV_ZERO, 2));
        taken_pc = rv_pc(a);
        rv_emit(a, RV_ECALL);
        for (size_t i = 0; i < N_EDGES; i++) {
            for (size_t j = 0; j < N_EDGES; j++) {
                bool t = branch_ref(f3, edges[i], edges[j]);

                CTX("%s %#" PRIx64 ", %#" PRIx64, names[f3], edges[i],
                    edges[j]);
                env->gpr[RV_A0] = edges[i];
                env->gpr[RV_A1] = edges[j];
                env->gpr[RV_A2] = 0;
                CHECK(rv_run((uint64_t)(uintptr_t)a->start),
                      RISCV_EXCP_ECALL);
                CHECK(env->gpr[RV_A2], t ? 2 : 1);
                CHECK(env->pc, t ? taken_pc : fall_pc);
            }
        }
        /* x0 operands: x0 vs x0, and a register vs x0 */
        for (size_t i = 0; i < N_EDGES; i++) {
            bool t = branch_ref(f3, edges[i], 0);

            a = rv_begin();
            rv_emit(a, rv_b(f3, RV_A0, RV_ZERO, 8));
            rv_emit(a, rv_addi(RV_A2, RV_ZERO, 1));
            rv_end(a);
            env->gpr[RV_A0] = edges[i];
            env->gpr[RV_A2] = 0;
            CTX("%s %#" PRIx64 ", x0", names[f3], edges[i]);
            CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ECALL);
            CHECK(env->gpr[RV_A2], t ? 0 : 1);
        }
        /* Constant operands (folded by the optimizer), backward branch to
         * a block before the start. */
        for (size_t i = 0; i < N_CEDGES; i++) {
            for (size_t j = 0; j < N_CEDGES; j++) {
                bool t = branch_ref(f3, edges[i], edges[j]);
                uint64_t back, start, br;

                a = rv_begin();
                back = rv_pc(a);
                rv_emit(a, rv_addi(RV_A2, RV_ZERO, 2));
                rv_emit(a, RV_ECALL);
                start = rv_pc(a);
                rv_li(a, RV_A0, edges[i]);
                rv_li(a, RV_A1, edges[j]);
                br = rv_pc(a);
                rv_emit(a, rv_b(f3, RV_A0, RV_A1, (int32_t)(back - br)));
                rv_emit(a, rv_addi(RV_A2, RV_ZERO, 1));
                rv_end(a);
                env->gpr[RV_A2] = 0;
                CTX("%s const %#" PRIx64 ", %#" PRIx64, names[f3], edges[i],
                    edges[j]);
                CHECK(rv_run(start), RISCV_EXCP_ECALL);
                CHECK(env->gpr[RV_A2], t ? 2 : 1);
                CHECK(env->pc, t ? back + 4 : a->ecall_pc);
            }
        }
    }
}

static void test_translate_jal_jalr(void **state)
{
    uint64_t p0, p_jal, p_after_jal, target, p_jalr, p_jalr2, p_j3, t3, t4;
    Asm *a = rv_begin();

    (void)state;
    /*
     * p0:      jal ra, +8            ra = p0 + 4
     *          ebreak                (skipped)
     *          auipc t0, 0           t0 = p0 + 8
     *          addi t0, t0, 25       t0 = target + 1 (odd: bit 0 cleared)
     *          jalr a0, 0(t0)        a0 = link
     *          ebreak
     * target:  addi t1, zero, 7      (target = p0 + 24)
     *          auipc/addi t2         t2 = t3 + 101
     *          jalr t2, -100(t2)     rd = rs1, negative imm, odd target
     * t3:      ...
     */
    p0 = rv_pc(a);
    p_jal = p0;
    rv_emit(a, rv_j(RV_RA, 8));
    p_after_jal = rv_pc(a);
    rv_emit(a, RV_EBREAK);
    rv_emit(a, rv_auipc(RV_T0, 0));
    rv_emit(a, rv_addi(RV_T0, RV_T0, 17));
    p_jalr = rv_pc(a);
    rv_emit(a, rv_jalr(RV_A0, RV_T0, 0));
    rv_emit(a, RV_EBREAK);
    target = rv_pc(a);
    assert_int_equal(target, p0 + 24);
    rv_emit(a, rv_addi(RV_T1, RV_ZERO, 7));
    /* t2 = address of t3 + 101, jalr t2, -100(t2): target t3 + 1 -> t3 */
    rv_emit(a, rv_auipc(RV_T2, 0));          /* t2 = p0 + 28 */
    rv_emit(a, rv_addi(RV_T2, RV_T2, 16 + 101)); /* t3 = p0 + 44 */
    p_jalr2 = rv_pc(a);
    rv_emit(a, rv_jalr(RV_T2, RV_T2, -100));
    rv_emit(a, RV_EBREAK);
    t3 = rv_pc(a);
    assert_int_equal(t3, p0 + 44);
    /* jal x0 (plain jump) forward over an ebreak, then jalr x0 */
    p_j3 = rv_pc(a);
    rv_emit(a, rv_j(RV_ZERO, 8));
    rv_emit(a, RV_EBREAK);
    rv_emit(a, rv_auipc(RV_T4, 0));           /* t4 = p_j3 + 8 */
    rv_emit(a, rv_jalr(RV_ZERO, RV_T4, 12));  /* -> p_j3 + 20 */
    rv_emit(a, RV_EBREAK);
    t4 = rv_pc(a);
    assert_int_equal(t4, p_j3 + 20);
    /* backward jal: jump over a block, come back to it, and on */
    rv_emit(a, rv_j(RV_ZERO, 12));              /* -> t4 + 12 */
    rv_emit(a, rv_addi(RV_A5, RV_ZERO, 55));    /* t4 + 4 */
    rv_emit(a, rv_j(RV_ZERO, 12));              /* -> t4 + 20 */
    rv_emit(a, rv_j(RV_A6, -8));                /* t4 + 12 -> t4 + 4 */
    rv_emit(a, RV_EBREAK);                      /* t4 + 16 */
    rv_end(a);                                  /* t4 + 20 */
    (void)p_jal;

    env->gpr[RV_RA] = env->gpr[RV_A0] = env->gpr[RV_A5] = 0;
    env->gpr[RV_A6] = 0;
    rv_run_ok(a);
    CTX("jal/jalr");
    CHECK(env->gpr[RV_RA], p_after_jal);
    CHECK(env->gpr[RV_A0], p_jalr + 4);
    CHECK(env->gpr[RV_T1], 7);
    CHECK(env->gpr[RV_T2], p_jalr2 + 4);
    CHECK(env->gpr[RV_A5], 55);
    CHECK(env->gpr[RV_A6], t4 + 16);
    CHECK(env->gpr[RV_ZERO], 0);
    (void)t3;
}

/* jalr through a register computed at run time (lookup_and_goto_ptr). */
static void test_translate_jalr_indirect(void **state)
{
    uint64_t tgt[4];
    Asm *a;

    (void)state;
    for (int i = 0; i < 4; i++) {
        a = rv_begin();
        tgt[i] = rv_pc(a);
        rv_emit(a, rv_addi(RV_A1, RV_ZERO, 10 + i));
        rv_end(a);
    }
    a = rv_begin();
    rv_emit(a, rv_jalr(RV_RA, RV_A0, 1)); /* odd target: bit 0 cleared */
    rv_end(a);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 4; i++) {
            CTX("jalr indirect %d", i);
            env->gpr[RV_A0] = tgt[i];
            CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ECALL);
            CHECK(env->pc, tgt[i] + 4);
            CHECK(env->gpr[RV_A1], 10 + i);
            CHECK(env->gpr[RV_RA], (uint64_t)(uintptr_t)a->start + 4);
        }
    }
}

/* A: lr/sc and AMOs */

static uint32_t rv_amo(int f5, int f3, bool aq, bool rl, int rd, int rs1,
                       int rs2)
{
    return rv_r(RV_OPC_AMO, f3, f5 << 2 | aq << 1 | rl, rd, rs1, rs2);
}

static void test_translate_lr_sc(void **state)
{
    uint64_t *mem = calloc(4, 8);
    Asm *a;

    (void)state;
    assert_non_null(mem);
    /* lr.w sign-extends; sc.w succeeds and writes 32 bits only */
    mem[0] = 0x1111111180000000ull;
    a = rv_begin();
    rv_emit(a, rv_amo(0x02, 2, true, false, RV_A0, RV_S0, 0));   /* lr.w */
    rv_emit(a, rv_amo(0x03, 2, false, true, RV_A1, RV_S0, RV_A2)); /* sc.w */
    rv_end(a);
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)mem;
    env->gpr[RV_A2] = 0xdeadbeef12345678ull;
    env->gpr[RV_A1] = 77;
    rv_run_ok(a);
    CTX("lr.w/sc.w");
    CHECK(env->gpr[RV_A0], 0xffffffff80000000ull);
    CHECK(env->gpr[RV_A1], 0);
    CHECK(mem[0], 0x1111111112345678ull);

    /* lr.d/sc.d success */
    mem[1] = 0x8000000000000001ull;
    a = rv_begin();
    rv_emit(a, rv_amo(0x02, 3, false, false, RV_A0, RV_S0, 0));
    rv_emit(a, rv_addi(RV_A3, RV_A0, 1));
    rv_emit(a, rv_amo(0x03, 3, false, false, RV_A1, RV_S0, RV_A3));
    rv_end(a);
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)&mem[1];
    env->gpr[RV_A1] = 77;
    rv_run_ok(a);
    CTX("lr.d/sc.d");
    CHECK(env->gpr[RV_A0], 0x8000000000000001ull);
    CHECK(env->gpr[RV_A1], 0);
    CHECK(mem[1], 0x8000000000000002ull);

    /* sc without lr (the previous sc cleared the reservation): fails */
    a = rv_begin();
    rv_emit(a, rv_amo(0x03, 3, false, false, RV_A1, RV_S0, RV_A3));
    rv_emit(a, rv_amo(0x03, 2, false, false, RV_A4, RV_S0, RV_A3));
    rv_end(a);
    env->gpr[RV_A3] = 0x5555;
    rv_run_ok(a);
    CTX("sc without lr");
    assert_int_not_equal(env->gpr[RV_A1], 0);
    assert_int_not_equal(env->gpr[RV_A4], 0);
    CHECK(mem[1], 0x8000000000000002ull);

    /* sc to another address than the lr: fails, and clears the
     * reservation so that a following sc to the right address fails */
    a = rv_begin();
    rv_emit(a, rv_amo(0x02, 3, false, false, RV_A0, RV_S0, 0));
    rv_emit(a, rv_addi(RV_S1, RV_S0, 8));
    rv_emit(a, rv_amo(0x03, 3, false, false, RV_A1, RV_S1, RV_A3));
    rv_emit(a, rv_amo(0x03, 3, false, false, RV_A2, RV_S0, RV_A3));
    rv_end(a);
    mem[2] = 42;
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)&mem[1];
    rv_run_ok(a);
    CTX("sc to another address");
    CHECK(env->gpr[RV_A0], 0x8000000000000002ull);
    assert_int_not_equal(env->gpr[RV_A1], 0);
    assert_int_not_equal(env->gpr[RV_A2], 0);
    CHECK(mem[1], 0x8000000000000002ull);
    CHECK(mem[2], 42);

    /* The reservation survives a TB boundary and a return to the loop:
     * lr in one run, sc in the next */
    a = rv_begin();
    rv_emit(a, rv_amo(0x02, 2, false, false, RV_A0, RV_S0, 0));
    rv_end(a);
    mem[3] = 0x00000000fffffffeull;
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)&mem[3];
    rv_run_ok(a);
    CHECK(env->gpr[RV_A0], 0xfffffffffffffffeull);
    a = rv_begin();
    rv_emit(a, rv_amo(0x03, 2, false, false, RV_A1, RV_S0, RV_A3));
    rv_end(a);
    env->gpr[RV_A3] = 9;
    rv_run_ok(a);
    CTX("sc after lr in another run");
    CHECK(env->gpr[RV_A1], 0);
    CHECK(mem[3], 9);
    free(mem);
}

typedef struct AmoOp {
    const char *name;
    int f5;
    uint64_t (*ref)(uint64_t old, uint64_t src, bool w); /* new value */
} AmoOp;

static uint64_t amo_swap(uint64_t o, uint64_t s, bool w)
{
    (void)o, (void)w;
    return s;
}

static uint64_t amo_add(uint64_t o, uint64_t s, bool w)
{
    (void)w;
    return o + s;
}

static uint64_t amo_xor(uint64_t o, uint64_t s, bool w)
{
    (void)w;
    return o ^ s;
}

static uint64_t amo_and(uint64_t o, uint64_t s, bool w)
{
    (void)w;
    return o & s;
}

static uint64_t amo_or(uint64_t o, uint64_t s, bool w)
{
    (void)w;
    return o | s;
}

static uint64_t amo_min(uint64_t o, uint64_t s, bool w)
{
    if (w) {
        return (int32_t)o < (int32_t)s ? o : s;
    }
    return (int64_t)o < (int64_t)s ? o : s;
}

static uint64_t amo_max(uint64_t o, uint64_t s, bool w)
{
    if (w) {
        return (int32_t)o > (int32_t)s ? o : s;
    }
    return (int64_t)o > (int64_t)s ? o : s;
}

static uint64_t amo_minu(uint64_t o, uint64_t s, bool w)
{
    if (w) {
        return (uint32_t)o < (uint32_t)s ? o : s;
    }
    return o < s ? o : s;
}

static uint64_t amo_maxu(uint64_t o, uint64_t s, bool w)
{
    if (w) {
        return (uint32_t)o > (uint32_t)s ? o : s;
    }
    return o > s ? o : s;
}

static const AmoOp amoops[] = {
    {"amoswap", 0x01, amo_swap}, {"amoadd", 0x00, amo_add},
    {"amoxor", 0x04, amo_xor},   {"amoand", 0x0c, amo_and},
    {"amoor", 0x08, amo_or},     {"amomin", 0x10, amo_min},
    {"amomax", 0x14, amo_max},   {"amominu", 0x18, amo_minu},
    {"amomaxu", 0x1c, amo_maxu},
};

static void test_translate_amo(void **state)
{
    enum { W = 4 }; /* record: mem, src, rd, unused */
    int nv = N_EDGES + 60, bad = 0;
    uint64_t *rec = calloc((size_t)nv * nv * W, 8), st = 99;
    uint64_t *vals = calloc(nv, 8);

    (void)state;
    assert_non_null(rec);
    assert_non_null(vals);
    memcpy(vals, edges, sizeof(edges));
    for (int i = N_EDGES; i < nv; i++) {
        vals[i] = rand_value(&st);
    }
    for (size_t k = 0; k < ARRAY_SIZE(amoops); k++) {
        for (int w = 1; w >= 0; w--) {
            const AmoOp *op = &amoops[k];
            int n = 0;
            uint64_t loop;
            Asm *a = rv_begin();

            /* each record's word 0 is the memory operand (for .w: its low
             * half, the high half must stay), word 1 the source, word 2
             * the old value returned in rd */
            loop = rv_pc(a);
            rv_emit(a, rv_ld(RV_A1, RV_S0, 8));
            rv_emit(a, rv_amo(op->f5, w ? 2 : 3, k & 1, k & 2, RV_A2, RV_S0,
                              RV_A1));
            rv_emit(a, rv_sd(RV_A2, RV_S0, 16));
            rv_emit(a, rv_addi(RV_S0, RV_S0, W * 8));
            rv_emit(a, rv_addi(RV_S1, RV_S1, -1));
            rv_emit(a, rv_b(1, RV_S1, RV_ZERO, (int32_t)(loop - rv_pc(a))));
            rv_end(a);
            for (int i = 0; i < nv; i++) {
                for (int j = 0; j < nv; j += (i < (int)N_EDGES ? 1 : 7)) {
                    rec[n * W] = vals[i];
                    rec[n * W + 1] = vals[j];
                    rec[n * W + 2] = 0xbad;
                    n++;
                }
            }
            env->gpr[RV_S0] = (uint64_t)(uintptr_t)rec;
            env->gpr[RV_S1] = (uint64_t)n;
            rv_run_ok(a);
            /* rebuild the inputs in the same order and compare */
            {
                int r = 0;

                for (int i = 0; i < nv; i++) {
                    for (int j = 0; j < nv; j += (i < (int)N_EDGES ? 1 : 7)) {
                        uint64_t m = vals[i], s = vals[j], want_mem, want_rd;

                        if (w) {
                            uint64_t nw = op->ref(m, s, true);

                            want_rd = sx32(m);
                            want_mem = (m & ~0xffffffffull) |
                                       (nw & 0xffffffffull);
                        } else {
                            want_rd = m;
                            want_mem = op->ref(m, s, false);
                        }
                        if (rec[r * W] != want_mem ||
                            rec[r * W + 2] != want_rd ||
                            rec[r * W + 1] != s) {
                            if (bad < 20) {
                                print_message(
                                    "MISMATCH %s.%c mem=%#" PRIx64
                                    " src=%#" PRIx64 ": mem %#" PRIx64
                                    " (want %#" PRIx64 "), rd %#" PRIx64
                                    " (want %#" PRIx64 ")\n",
                                    op->name, w ? 'w' : 'd', m, s,
                                    rec[r * W], want_mem, rec[r * W + 2],
                                    want_rd);
                            }
                            bad++;
                        }
                        r++;
                    }
                }
            }
        }
    }
    free(rec);
    free(vals);
    assert_int_equal(bad, 0);
}

/* rd = x0 (no result), rd = rs2, rd = rs1 forms */
static void test_translate_amo_operands(void **state)
{
    uint64_t *mem = calloc(2, 8);
    Asm *a = rv_begin();

    (void)state;
    assert_non_null(mem);
    mem[0] = 100;
    mem[1] = 0x00000001fffffff0ull;
    rv_emit(a, rv_amo(0x00, 3, false, false, RV_ZERO, RV_S0, RV_A1));
    rv_emit(a, rv_amo(0x00, 3, false, false, RV_A1, RV_S0, RV_A1));
    rv_emit(a, rv_addi(RV_S1, RV_S0, 8));
    rv_emit(a, rv_amo(0x01, 2, true, true, RV_S1, RV_S1, RV_A2));
    rv_end(a);
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)mem;
    env->gpr[RV_A1] = 5;
    env->gpr[RV_A2] = 0x7;
    rv_run_ok(a);
    CTX("amo operands");
    CHECK(env->gpr[RV_ZERO], 0);
    CHECK(env->gpr[RV_A1], 105); /* old value after the first add */
    CHECK(mem[0], 110);
    CHECK(env->gpr[RV_S1], 0xfffffffffffffff0ull);
    CHECK(mem[1], 0x0000000100000007ull);
    free(mem);
}

static void test_translate_amo_misaligned(void **state)
{
    static const struct {
        int f5, f3, off;
    } cases[] = {
        {0x00, 2, 2}, {0x00, 3, 4}, {0x01, 2, 1}, {0x1c, 3, 7},
        {0x02, 2, 2}, {0x02, 3, 4}, /* lr */
    };
    uint64_t *mem = calloc(4, 8);

    (void)state;
    assert_non_null(mem);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t at;
        Asm *a = rv_begin();

        rv_emit(a, rv_addi(RV_A3, RV_ZERO, 33)); /* must be in env */
        at = rv_pc(a);
        rv_emit(a, rv_amo(cases[i].f5, cases[i].f3, false, false, RV_A0,
                          RV_S0, cases[i].f5 == 0x02 ? 0 : RV_A1));
        rv_emit(a, rv_addi(RV_A4, RV_ZERO, 44));
        rv_end(a);
        mem[0] = mem[1] = 0x0123456789abcdefull;
        env->gpr[RV_S0] = (uint64_t)(uintptr_t)mem + cases[i].off;
        env->gpr[RV_A0] = env->gpr[RV_A3] = env->gpr[RV_A4] = 0;
        env->gpr[RV_A1] = 1;
        CTX("misaligned amo %zu", i);
        CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_BUS_ADRALN);
        CHECK(env->pc, at);
        CHECK(env->badaddr, env->gpr[RV_S0]);
        CHECK(env->gpr[RV_A0], 0);
        CHECK(env->gpr[RV_A3], 33);
        CHECK(env->gpr[RV_A4], 0);
        CHECK(mem[0], 0x0123456789abcdefull);
        CHECK(mem[1], 0x0123456789abcdefull);
    }
    free(mem);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_translate_li_constants),
        cmocka_unit_test(test_translate_rv64i_alu),
        cmocka_unit_test(test_translate_imm_ops),
        cmocka_unit_test(test_translate_m),
        cmocka_unit_test(test_translate_zba_zbb_zbc_zbs),
        cmocka_unit_test(test_translate_zbb_unary),
        cmocka_unit_test(test_translate_zicond),
        cmocka_unit_test(test_translate_lui_auipc),
        cmocka_unit_test(test_translate_loads_stores),
        cmocka_unit_test(test_translate_branches),
        cmocka_unit_test(test_translate_jal_jalr),
        cmocka_unit_test(test_translate_jalr_indirect),
        cmocka_unit_test(test_translate_lr_sc),
        cmocka_unit_test(test_translate_amo),
        cmocka_unit_test(test_translate_amo_operands),
        cmocka_unit_test(test_translate_amo_misaligned),
    };

    rv_harness_init(NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
