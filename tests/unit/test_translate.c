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
#include "target-riscv/translate.h"

#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

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

#define REF2(name, expr)                               \
    static uint64_t ref_##name(uint64_t a, uint64_t b) \
    {                                                  \
        (void)a, (void)b;                              \
        return (expr);                                 \
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
REF2(and, a &b)
REF2(addw, sx32(a + b))
REF2(subw, sx32(a - b))
REF2(sllw, sx32((uint32_t)a << (b & 31)))
REF2(srlw, sx32((uint32_t)a >> (b & 31)))
REF2(sraw, sx32((uint32_t)((int32_t)(uint32_t)a >> (b & 31))))
REF2(mul, a *b)
REF2(mulh, (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64))
REF2(mulhsu, (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64))
REF2(mulhu, (uint64_t)(((unsigned __int128)a * b) >> 64))
REF2(mulw, sx32((uint32_t)a *(uint32_t)b))
REF2(div, b == 0 ? ~0ull
          : (a == 1ull << 63 && b == ~0ull)
              ? a
              : (uint64_t)((int64_t)a / (int64_t)b))
REF2(divu, b == 0 ? ~0ull : a / b)
REF2(rem, b == 0 ? a
          : (a == 1ull << 63 && b == ~0ull)
              ? 0
              : (uint64_t)((int64_t)a % (int64_t)b))
REF2(remu, b == 0 ? a : a % b)
REF2(divw, (uint32_t)b == 0 ? ~0ull
           : ((uint32_t)a == 0x80000000u && (uint32_t)b == ~0u)
               ? sx32(a)
               : sx32((uint32_t)((int32_t)a / (int32_t)b)))
REF2(divuw, (uint32_t)b == 0 ? ~0ull : sx32((uint32_t)a / (uint32_t)b))
REF2(remw, (uint32_t)b == 0 ? sx32(a)
           : ((uint32_t)a == 0x80000000u && (uint32_t)b == ~0u)
               ? 0
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

#define BIN(name, opc, f3, f7)         \
    {                                  \
#name, opc, f3, f7, ref_##name \
    }

static const BinOp binops_i[] = {
    BIN(add, RV_OPC_OP, 0, 0x00),     BIN(sub, RV_OPC_OP, 0, 0x20),
    BIN(sll, RV_OPC_OP, 1, 0x00),     BIN(slt, RV_OPC_OP, 2, 0x00),
    BIN(sltu, RV_OPC_OP, 3, 0x00),    BIN(xor, RV_OPC_OP, 4, 0x00),
    BIN(srl, RV_OPC_OP, 5, 0x00),     BIN(sra, RV_OPC_OP, 5, 0x20),
    BIN(or, RV_OPC_OP, 6, 0x00),      BIN(and, RV_OPC_OP, 7, 0x00),
    BIN(addw, RV_OPC_OP_32, 0, 0x00), BIN(subw, RV_OPC_OP_32, 0, 0x20),
    BIN(sllw, RV_OPC_OP_32, 1, 0x00), BIN(srlw, RV_OPC_OP_32, 5, 0x00),
    BIN(sraw, RV_OPC_OP_32, 5, 0x20),
};

static const BinOp binops_m[] = {
    BIN(mul, RV_OPC_OP, 0, 0x01),      BIN(mulh, RV_OPC_OP, 1, 0x01),
    BIN(mulhsu, RV_OPC_OP, 2, 0x01),   BIN(mulhu, RV_OPC_OP, 3, 0x01),
    BIN(div, RV_OPC_OP, 4, 0x01),      BIN(divu, RV_OPC_OP, 5, 0x01),
    BIN(rem, RV_OPC_OP, 6, 0x01),      BIN(remu, RV_OPC_OP, 7, 0x01),
    BIN(mulw, RV_OPC_OP_32, 0, 0x01),  BIN(divw, RV_OPC_OP_32, 4, 0x01),
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
    enum {
        W = 8
    };
    uint64_t *rec = calloc((size_t)n * W, 8);
    static const char *const how[6] = {"rd fresh", "rd=rs1", "rd=rs2",
                                       "rs1=rs2",  "rs1=x0", "rs2=x0"};
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
                    print_message("MISMATCH %s (%s): a=%#" PRIx64 " b=%#" PRIx64
                                  ": got %#" PRIx64 ", want %#" PRIx64 "\n",
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
    assert_int_equal(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
    assert_int_equal(env->pc, (uint64_t)(uintptr_t)a->start);
}

/* Immediate operations: rd = op(rs1, imm) */
typedef uint64_t (*RefImm)(uint64_t a, int64_t imm);

#define REFI(name, expr)                               \
    static uint64_t refi_##name(uint64_t a, int64_t i) \
    {                                                  \
        (void)i;                                       \
        return (expr);                                 \
    }

REFI(addi, a + (uint64_t)i)
REFI(slti, (int64_t)a < i)
REFI(sltiu, a < (uint64_t)i)
REFI(xori, a ^ (uint64_t)i)
REFI(ori, a | (uint64_t)i)
REFI(andi, a &(uint64_t)i)
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

#define IMM(name, opc, f3, hi, kind)          \
    {                                         \
#name, opc, f3, hi, kind, refi_##name \
    }

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

#define REF1(name, expr)                    \
    static uint64_t ref1_##name(uint64_t a) \
    {                                       \
        return (expr);                      \
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

#define UN(name, opc, f3, imm)           \
    {                                    \
#name, opc, f3, imm, ref1_##name \
    }

static const UnOp unops[] = {
    UN(clz, RV_OPC_OP_IMM, 1, 0x600),      UN(ctz, RV_OPC_OP_IMM, 1, 0x601),
    UN(cpop, RV_OPC_OP_IMM, 1, 0x602),     UN(sext_b, RV_OPC_OP_IMM, 1, 0x604),
    UN(sext_h, RV_OPC_OP_IMM, 1, 0x605),   UN(zext_h, RV_OPC_OP_32, 4, 0x080),
    UN(clzw, RV_OPC_OP_IMM_32, 1, 0x600),  UN(ctzw, RV_OPC_OP_IMM_32, 1, 0x601),
    UN(cpopw, RV_OPC_OP_IMM_32, 1, 0x602), UN(orc_b, RV_OPC_OP_IMM, 5, 0x287),
    UN(rev8, RV_OPC_OP_IMM, 5, 0x6b8),
};

static void test_translate_zbb_unary(void **state)
{
    enum {
        W = 4
    };
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
        {"lb", 0, 1, true},   {"lh", 1, 2, true},   {"lw", 2, 4, true},
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

                rv_emit(a, rv_i(RV_OPC_LOAD, lds[l].f3, RV_A0, RV_S1, offs[o]));
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
                    rv_emit(a, rv_s(RV_OPC_STORE, f3, RV_S1, RV_A0, soffs[o]));
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
    static const char *const names[8] = {"beq", "bne", "",     "",
                                         "blt", "bge", "bltu", "bgeu"};

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
                CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ECALL);
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
    uint64_t p0, p_after_jal, target, p_jalr, p_jalr2, p_j3, t3, t4;
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
    rv_emit(a, rv_auipc(RV_T2, 0));              /* t2 = p0 + 28 */
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
    rv_emit(a, rv_auipc(RV_T4, 0));          /* t4 = p_j3 + 8 */
    rv_emit(a, rv_jalr(RV_ZERO, RV_T4, 12)); /* -> p_j3 + 20 */
    rv_emit(a, RV_EBREAK);
    t4 = rv_pc(a);
    assert_int_equal(t4, p_j3 + 20);
    /* backward jal: jump over a block, come back to it, and on */
    rv_emit(a, rv_j(RV_ZERO, 12));           /* -> t4 + 12 */
    rv_emit(a, rv_addi(RV_A5, RV_ZERO, 55)); /* t4 + 4 */
    rv_emit(a, rv_j(RV_ZERO, 12));           /* -> t4 + 20 */
    rv_emit(a, rv_j(RV_A6, -8));             /* t4 + 12 -> t4 + 4 */
    rv_emit(a, RV_EBREAK);                   /* t4 + 16 */
    rv_end(a);                               /* t4 + 20 */

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
    rv_emit(a, rv_amo(0x02, 2, true, false, RV_A0, RV_S0, 0));     /* lr.w */
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
    enum {
        W = 4
    }; /* record: mem, src, rd, unused */
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
                            want_mem =
                                (m & ~0xffffffffull) | (nw & 0xffffffffull);
                        } else {
                            want_rd = m;
                            want_mem = op->ref(m, s, false);
                        }
                        if (rec[r * W] != want_mem ||
                            rec[r * W + 2] != want_rd || rec[r * W + 1] != s) {
                            if (bad < 20) {
                                print_message(
                                    "MISMATCH %s.%c mem=%#" PRIx64
                                    " src=%#" PRIx64 ": mem %#" PRIx64
                                    " (want %#" PRIx64 "), rd %#" PRIx64
                                    " (want %#" PRIx64 ")\n",
                                    op->name, w ? 'w' : 'd', m, s, rec[r * W],
                                    want_mem, rec[r * W + 2], want_rd);
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
        {0x00, 2, 2}, {0x00, 3, 4}, {0x01, 2, 1},
        {0x1c, 3, 7}, {0x02, 2, 2}, {0x02, 3, 4}, /* lr */
    };
    uint64_t *mem = calloc(4, 8);

    (void)state;
    assert_non_null(mem);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        uint64_t at;
        Asm *a = rv_begin();

        rv_emit(a, rv_addi(RV_A3, RV_ZERO, 33)); /* must be in env */
        at = rv_pc(a);
        rv_emit(a, rv_amo(cases[i].f5, cases[i].f3, false, false, RV_A0, RV_S0,
                          cases[i].f5 == 0x02 ? 0 : RV_A1));
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


/*
 * Run @fn in a child process: a failure that aborts (an assertion in the
 * core) then fails this test only.  Returns the child's wait status.
 */
static int run_in_child(void (*fn)(void))
{
    pid_t pid;
    int st = 0;

    fflush(stdout);
    fflush(stderr);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        fn();
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return st;
}

/*
 * A hot TB's region gives each instruction's loop depth to TCG
 * (tcg_set_loop_depth, for tcg_pin_hot_globals).  The TB starts
 * inside the inner loop of a nest, and the outer loop's head is laid out
 * after the branch back to it; the depths must still be the nest's:
 *   pc+0:  addi a0, a0, 1       outer head      1
 *   pc+4:  addi a1, zero, 0                     1
 *   pc+8:  addi a1, a1, 1       inner head, TB  2
 *   pc+12: blt  a1, a2, pc+8                    2
 *   pc+16: blt  a0, a3, pc+0                    1
 *   pc+20: ecall                                0
 */
static void test_translate_region_loop_depth(void **state)
{
    static const int want[6] = {1, 1, 2, 2, 1, 0};
    TranslationBlock tb = {0};
    Asm *a = rv_begin();
    uint64_t pc;
    int seen = 0, mark = 0, depth = -1;

    (void)state;
    rv_emit(a, rv_addi(RV_A0, RV_A0, 1));
    rv_emit(a, rv_addi(RV_A1, RV_ZERO, 0));
    rv_emit(a, rv_addi(RV_A1, RV_A1, 1));
    rv_emit(a, rv_b(4, RV_A1, RV_A2, -4));
    rv_emit(a, rv_b(4, RV_A0, RV_A3, -16));
    pc = rv_end(a);
    tb.pc = pc + 8;
    tcg_func_start(tcg_ctx);
    assert_int_equal(riscv_tr_translate(env, &tb, 512), 6);
    for (int oi = 0; oi < tcg_ctx->nb_ops; oi++) {
        const TCGOp *op = &tcg_ctx->ops[oi];
        uint64_t k = (op->args[0] - pc) / 4;

        for (; mark < tcg_ctx->nb_depth_marks &&
               tcg_ctx->depth_mark[mark].op <= oi;
             mark++) {
            depth = tcg_ctx->depth_mark[mark].depth;
        }
        if (op->opc != INDEX_op_insn_start) {
            continue;
        }
        assert_true(op->args[0] >= pc && k < 6);
        CTX("insn at pc+%d", (int)k * 4);
        CHECK(depth, want[k]);
        seen |= 1 << k;
    }
    CHECK(seen, 0x3f);
    tcg_func_start(tcg_ctx);
}

/*
 * A comparison function with three returns, as sort's cmp_rec (session
 * 12): a hot TB takes all three, and each gets an inline-cache slot
 * (TB_IC_SLOTS), none the plain lookup stub.
 *   pc+0:  beq  a0, a1, pc+12
 *   pc+4:  bgeu a0, a1, pc+16
 *   pc+8:  jalr zero, ra, 0
 *   pc+12: jalr zero, t0, 0
 *   pc+16: jalr zero, t1, 0
 */
static void test_translate_three_returns_cached(void **state)
{
    TranslationBlock tb = {0};
    Asm *a = rv_begin();
    int sites = 0, cached = 0;

    (void)state;
    CTX("three returns");
    rv_emit(a, rv_b(0, RV_A0, RV_A1, 12));
    rv_emit(a, rv_b(7, RV_A0, RV_A1, 12));
    rv_emit(a, rv_jalr(RV_ZERO, RV_RA, 0));
    rv_emit(a, rv_jalr(RV_ZERO, RV_T0, 0));
    rv_emit(a, rv_jalr(RV_ZERO, RV_T1, 0));
    tb.pc = rv_end(a);
    tcg_func_start(tcg_ctx);
    assert_int_equal(riscv_tr_translate(env, &tb, 512), 5);
    for (int oi = 0; oi < tcg_ctx->nb_ops; oi++) {
        const TCGOp *op = &tcg_ctx->ops[oi];

        if (op->opc == INDEX_op_goto_lookup) {
            sites++;
            cached += (int)op->args[1] >= 0;
        }
    }
    CHECK(sites, 3);
    CHECK(cached, 3);
    tcg_func_start(tcg_ctx);
}

/*
 * Two loops one after the other, each run many times before the next: a
 * region keeps only the first when their registers do not fit in the pins
 * together (each loop then gets a TB with the pins to itself), and both
 * when they do.  @regs_b: the registers of the second loop's adds.
 *   A: add x, x, y (3 times, 6 registers); addi t0, t0, -1; bnez t0, A
 *   B: add u, u, v (2 times, 4 registers); addi t1, t1, -1; bnez t1, B
 *      ecall
 */
static int translate_two_loops(const int *regs_b)
{
    TranslationBlock tb = {0};
    Asm *a = rv_begin();
    int n;

    rv_emit(a, rv_add(RV_A0, RV_A0, RV_A1));
    rv_emit(a, rv_add(RV_A2, RV_A2, RV_A3));
    rv_emit(a, rv_add(RV_A4, RV_A4, RV_A5));
    rv_emit(a, rv_addi(RV_T0, RV_T0, -1));
    rv_emit(a, rv_b(1, RV_T0, RV_ZERO, -16)); /* bne t0, zero, A */
    rv_emit(a, rv_add(regs_b[0], regs_b[0], regs_b[1]));
    rv_emit(a, rv_add(regs_b[2], regs_b[2], regs_b[3]));
    rv_emit(a, rv_addi(RV_T1, RV_T1, -1));
    rv_emit(a, rv_b(1, RV_T1, RV_ZERO, -12)); /* bne t1, zero, B */
    tb.pc = rv_end(a);
    tcg_func_start(tcg_ctx);
    n = riscv_tr_translate(env, &tb, 512);
    tcg_func_start(tcg_ctx);
    return n;
}

static void test_translate_region_split_nests(void **state)
{
    static const int many[4] = {RV_S2, RV_S3, RV_S4, RV_S5};
    static const int same[4] = {RV_A0, RV_A1, RV_A2, RV_A3};

    (void)state;
    /* 7 + 5 registers in loops: A's 5 instructions only. */
    CTX("12 registers");
    CHECK(translate_two_loops(many), 5);
    /* 8 in all: A, B and the ecall. */
    CTX("8 registers");
    CHECK(translate_two_loops(same), 10);
}

/* A straight-line TB of many instructions (up to the 512-insn limit). */
static void long_block_body(void)
{
    static const int lens[] = {300, 445, 511};

    for (size_t k = 0; k < ARRAY_SIZE(lens); k++) {
        Asm *a;

        /* same immediate: one temp per instruction */
        rv_code_used = (rv_code_used + 4095) & ~(size_t)4095;
        a = rv_begin();
        for (int i = 0; i < lens[k]; i++) {
            rv_emit(a, rv_add(RV_A0, RV_A0, RV_A1));
        }
        rv_end(a);
        env->gpr[RV_A0] = 0;
        env->gpr[RV_A1] = 3;
        if (rv_run((uint64_t)(uintptr_t)a->start) != RISCV_EXCP_ECALL ||
            env->gpr[RV_A0] != 3 * (uint64_t)lens[k]) {
            _exit(2);
        }
        /* distinct immediates: a constant temp each too */
        rv_code_used = (rv_code_used + 4095) & ~(size_t)4095;
        a = rv_begin();
        for (int i = 0; i < lens[k]; i++) {
            rv_emit(a, rv_addi(RV_A0, RV_A0, i - 1000));
        }
        rv_end(a);
        env->gpr[RV_A0] = 0;
        if (rv_run((uint64_t)(uintptr_t)a->start) != RISCV_EXCP_ECALL ||
            env->gpr[RV_A0] != (uint64_t)((int64_t)lens[k] * (lens[k] - 1) / 2 -
                                          1000 * (int64_t)lens[k])) {
            _exit(3);
        }
    }
}

static void test_translate_long_block(void **state)
{
    int st;

    (void)state;
    st = run_in_child(long_block_body);
    if (WIFSIGNALED(st)) {
        fail_msg("a straight-line block of <= 511 instructions killed the "
                 "process with signal %d (TCG temps exhausted?)",
                 WTERMSIG(st));
    }
    assert_true(WIFEXITED(st));
    assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * Random straight-line programs over all 32 registers (register pressure,
 * every register as source and destination, x0 included), checked against
 * a C interpreter of the same instructions.
 */
#ifndef N_PROGRAMS
#define N_PROGRAMS 40
#endif

static void test_translate_random_programs(void **state)
{
    static const struct {
        const BinOp *ops;
        size_t n;
    } bins[] = {
        {binops_i, ARRAY_SIZE(binops_i)},
        {binops_m, ARRAY_SIZE(binops_m)},
        {binops_b, ARRAY_SIZE(binops_b)},
    };
    uint64_t st = 2024;
    int bad = 0;

    (void)state;
    for (int prog = 0; prog < N_PROGRAMS && !bad; prog++) {
        uint64_t ref[32], init[32];
        Asm *a = rv_begin();
        int len = 60 + (int)(rv_rand(&st) % 120);

        for (int r = 0; r < 32; r++) {
            init[r] = r ? rand_value(&st) : 0;
        }
        memcpy(ref, init, sizeof(ref));
        if (prog & 1) {
            /* odd programs start from constants: the optimizer folds */
            for (int r = 1; r < 32; r++) {
                rv_li(a, r, init[r]);
            }
            rv_emit(a, rv_j(RV_ZERO, 4));
            a->since_break = 0;
        }
        for (int i = 0; i < len; i++) {
            int rd = (int)(rv_rand(&st) % 32), rs1 = (int)(rv_rand(&st) % 32);
            int rs2 = (int)(rv_rand(&st) % 32);
            uint64_t v;

            if (rv_rand(&st) % 3) {
                size_t g = rv_rand(&st) % ARRAY_SIZE(bins);
                const BinOp *op = &bins[g].ops[rv_rand(&st) % bins[g].n];

                rv_emit(a, enc_bin(op, rd, rs1, rs2));
                v = op->ref(ref[rs1], ref[rs2]);
            } else {
                const ImmOp *op = &immops[rv_rand(&st) % ARRAY_SIZE(immops)];
                int32_t imm = op->kind
                                  ? (int32_t)(rv_rand(&st) % (1u << op->kind))
                                  : (int32_t)(rv_rand(&st) % 4096) - 2048;

                rv_emit(a, enc_imm(op, rd, rs1, imm));
                v = op->ref(ref[rs1], imm);
            }
            if (rd) {
                ref[rd] = v;
            }
            if (i % 50 == 49) {
                rv_emit(a, rv_j(RV_ZERO, 4)); /* see _long_block */
            }
        }
        rv_end(a);
        memcpy(env->gpr, init, sizeof(init));
        if (prog & 1) {
            for (int r = 1; r < 32; r++) {
                env->gpr[r] = ~init[r];
            }
        }
        rv_run_ok(a);
        for (int r = 0; r < 32; r++) {
            if (env->gpr[r] != ref[r]) {
                print_message("MISMATCH random program %d: x%d = %#" PRIx64
                              ", want %#" PRIx64 "\n",
                              prog, r, env->gpr[r], ref[r]);
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
}

/* Compressed instructions */

typedef struct RvcCase {
    const char *name;
    uint16_t c;
    uint32_t w; /* the 32-bit instruction it stands for */
} RvcCase;

/* Each case with the spec's expansion, built by the 32-bit encoders. */
static int rvc_cases(RvcCase *out, uint64_t *st)
{
    int n = 0;

#define RVC(nm, cc, ww)  \
    out[n++] = (RvcCase) \
    {                    \
        nm, cc, ww       \
    }
    for (int r = 0; r < 8; r++) {
        int rd = 1 + (int)(rv_rand(st) % 31);
        int rdp = 8 + (int)(rv_rand(st) % 8), rs2p = 8 + (int)(rv_rand(st) % 8);
        int rs2 = 1 + (int)(rv_rand(st) % 31);
        int32_t imm6 = (int32_t)(rv_rand(st) % 64) - 32;
        int32_t nz6 = imm6 ? imm6 : 5;
        int sh = 1 + (int)(rv_rand(st) % 63);
        uint32_t u4spn = 4 * (1 + (uint32_t)(rv_rand(st) % 255));
        int32_t i16sp = 16 * ((int32_t)(rv_rand(st) % 63) - 32);
        uint32_t uw = 4 * (uint32_t)(rv_rand(st) % 32);
        uint32_t ud = 8 * (uint32_t)(rv_rand(st) % 32);
        uint32_t uwsp = 4 * (uint32_t)(rv_rand(st) % 64);
        uint32_t udsp = 8 * (uint32_t)(rv_rand(st) % 64);

        if (i16sp == 0) {
            i16sp = -496;
        }
        if (rd == RV_SP) {
            rd = RV_A0; /* c.lui with rd = sp is c.addi16sp */
        }
        RVC("c.addi", rvc_addi(rd, nz6), rv_addi(rd, rd, nz6));
        RVC("c.addiw", rvc_addiw(rd, imm6), rv_addiw(rd, rd, imm6));
        RVC("c.li", rvc_li(rd, imm6), rv_addi(rd, RV_ZERO, imm6));
        RVC("c.lui", rvc_lui(rd, nz6), rv_lui(rd, (uint32_t)nz6 & 0xfffff));
        RVC("c.addi16sp", rvc_addi16sp(i16sp), rv_addi(RV_SP, RV_SP, i16sp));
        RVC("c.addi4spn", rvc_addi4spn(rdp, u4spn),
            rv_addi(rdp, RV_SP, (int32_t)u4spn));
        RVC("c.slli", rvc_slli(rd, sh), rv_slli(rd, rd, sh));
        RVC("c.srli", rvc_cb_alu(0, rdp, sh),
            rv_i(RV_OPC_OP_IMM, 5, rdp, rdp, sh));
        RVC("c.srai", rvc_cb_alu(1, rdp, sh),
            rv_i(RV_OPC_OP_IMM, 5, rdp, rdp, 0x400 | sh));
        RVC("c.andi", rvc_cb_alu(2, rdp, imm6),
            rv_i(RV_OPC_OP_IMM, 7, rdp, rdp, imm6));
        RVC("c.sub", rvc_ca(0, 0, rdp, rs2p),
            rv_r(RV_OPC_OP, 0, 0x20, rdp, rdp, rs2p));
        RVC("c.xor", rvc_ca(0, 1, rdp, rs2p),
            rv_r(RV_OPC_OP, 4, 0, rdp, rdp, rs2p));
        RVC("c.or", rvc_ca(0, 2, rdp, rs2p),
            rv_r(RV_OPC_OP, 6, 0, rdp, rdp, rs2p));
        RVC("c.and", rvc_ca(0, 3, rdp, rs2p),
            rv_r(RV_OPC_OP, 7, 0, rdp, rdp, rs2p));
        RVC("c.subw", rvc_ca(1, 0, rdp, rs2p),
            rv_r(RV_OPC_OP_32, 0, 0x20, rdp, rdp, rs2p));
        RVC("c.addw", rvc_ca(1, 1, rdp, rs2p),
            rv_r(RV_OPC_OP_32, 0, 0, rdp, rdp, rs2p));
        RVC("c.mv", rvc_cr(0, rd, rs2), rv_add(rd, RV_ZERO, rs2));
        RVC("c.add", rvc_cr(1, rd, rs2), rv_add(rd, rd, rs2));
        /* memory: base registers are set to a buffer by the caller */
        RVC("c.lw", rvc_lsw(2, rdp, RV_S0, uw),
            rv_i(RV_OPC_LOAD, 2, rdp, RV_S0, (int32_t)uw));
        RVC("c.ld", rvc_lsd(3, rdp, RV_S1, ud), rv_ld(rdp, RV_S1, (int32_t)ud));
        RVC("c.sw", rvc_lsw(6, rs2p, RV_S0, uw),
            rv_s(RV_OPC_STORE, 2, RV_S0, rs2p, (int32_t)uw));
        RVC("c.sd", rvc_lsd(7, rs2p, RV_S1, ud),
            rv_sd(rs2p, RV_S1, (int32_t)ud));
        RVC("c.fld", rvc_lsd(1, rdp, RV_S0, ud),
            rv_i(RV_OPC_LOAD_FP, 3, rdp, RV_S0, (int32_t)ud));
        RVC("c.fsd", rvc_lsd(5, rs2p, RV_S1, ud),
            rv_s(RV_OPC_STORE_FP, 3, RV_S1, rs2p, (int32_t)ud));
        RVC("c.lwsp", rvc_lwsp(rd, uwsp),
            rv_i(RV_OPC_LOAD, 2, rd, RV_SP, (int32_t)uwsp));
        RVC("c.ldsp", rvc_ldsp_f3(3, rd, udsp),
            rv_ld(rd, RV_SP, (int32_t)udsp));
        RVC("c.fldsp", rvc_ldsp_f3(1, rd, udsp),
            rv_i(RV_OPC_LOAD_FP, 3, rd, RV_SP, (int32_t)udsp));
        RVC("c.swsp", rvc_swsp(rs2, uwsp),
            rv_s(RV_OPC_STORE, 2, RV_SP, rs2, (int32_t)uwsp));
        RVC("c.sdsp", rvc_sdsp_f3(7, rs2, udsp),
            rv_sd(rs2, RV_SP, (int32_t)udsp));
        RVC("c.fsdsp", rvc_sdsp_f3(5, rs2, udsp),
            rv_s(RV_OPC_STORE_FP, 3, RV_SP, rs2, (int32_t)udsp));
    }
    RVC("c.nop", rvc_addi(0, 0), rv_addi(0, 0, 0));
    RVC("c.ebreak", 0x9002, RV_EBREAK);
    RVC("c.j", rvc_j(-2048), rv_j(RV_ZERO, -2048));
    RVC("c.j", rvc_j(2046), rv_j(RV_ZERO, 2046));
    RVC("c.j", rvc_j(0x2aa), rv_j(RV_ZERO, 0x2aa));
    RVC("c.beqz", rvc_bz(6, RV_A5, -256), rv_b(0, RV_A5, RV_ZERO, -256));
    RVC("c.bnez", rvc_bz(7, RV_S0, 254), rv_b(1, RV_S0, RV_ZERO, 254));
    RVC("c.bnez", rvc_bz(7, RV_A2, 0xaa), rv_b(1, RV_A2, RV_ZERO, 0xaa));
    RVC("c.jr", rvc_cr(0, RV_T0, 0), rv_jalr(RV_ZERO, RV_T0, 0));
    RVC("c.jalr", rvc_cr(1, RV_A5, 0), rv_jalr(RV_RA, RV_A5, 0));
    RVC("c.lui", rvc_lui(RV_A0, -32), rv_lui(RV_A0, 0xfffe0));
    RVC("c.lui", rvc_lui(RV_A0, 31), rv_lui(RV_A0, 0x1f));
    RVC("c.addi4spn", rvc_addi4spn(RV_A5, 1020), rv_addi(RV_A5, RV_SP, 1020));
    RVC("c.addi16sp", rvc_addi16sp(-512), rv_addi(RV_SP, RV_SP, -512));
    RVC("c.addi16sp", rvc_addi16sp(496), rv_addi(RV_SP, RV_SP, 496));
    RVC("c.srli", rvc_cb_alu(0, RV_A0, 32),
        rv_i(RV_OPC_OP_IMM, 5, RV_A0, RV_A0, 32));
    RVC("c.slli", rvc_slli(RV_T6, 63), rv_slli(RV_T6, RV_T6, 63));
#undef RVC
    return n;
}

static void test_translate_rvc_expand(void **state)
{
    RvcCase cases[400];
    uint64_t st = 7;
    int n = rvc_cases(cases, &st), bad = 0;

    (void)state;
    for (int i = 0; i < n; i++) {
        uint32_t got = riscv_expand_rvc(cases[i].c);

        if (got != cases[i].w) {
            print_message("MISMATCH %s %#06x: expands to %#010x, want "
                          "%#010x\n",
                          cases[i].name, cases[i].c, got, cases[i].w);
            bad++;
        }
    }
    /* Reserved encodings expand to 0 */
    {
        static const struct {
            const char *name;
            uint16_t c;
        } rsv[] = {
            {"c.addi4spn imm 0", 0x0000},
            {"c.addi4spn imm 0, rd a0", 0x0008},
            {"c.lui nzimm 0", 0x6501}, /* c.lui a0, 0 */
            {"c.addi16sp imm 0", 0x6101},
            {"c.addiw rd 0", 0x2005},
            {"c.lwsp rd 0", 0x4002},
            {"c.ldsp rd 0", 0x6002},
            {"c.jr x0", 0x8002},
            {"c.subw reserved op 2", 0x9c41},
            {"c.subw reserved op 3", 0x9c61},
            {"Q0 funct3 4", 0x8000},
        };

        for (size_t i = 0; i < ARRAY_SIZE(rsv); i++) {
            uint32_t got = riscv_expand_rvc(rsv[i].c);

            if (got != 0) {
                print_message("MISMATCH reserved %s %#06x expands to %#010x"
                              "\n",
                              rsv[i].name, rsv[i].c, got);
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
}

/*
 * Every non-control-flow compressed instruction, run on random register
 * state and memory, must do exactly what its 32-bit form does.
 */
static void test_translate_rvc_exec(void **state)
{
    RvcCase cases[400];
    uint64_t st = 11;
    int n = rvc_cases(cases, &st), bad = 0;
    uint8_t *mem = malloc(4096), *mem_c = malloc(4096), *mem_w = malloc(4096);

    (void)state;
    assert_non_null(mem);
    assert_non_null(mem_c);
    assert_non_null(mem_w);
    for (int i = 0; i < n; i++) {
        uint64_t gpr0[32], fpr0[32], gc[32], fc[32];
        Asm *a;
        int ec, ew;

        if (!strcmp(cases[i].name, "c.j") || !strcmp(cases[i].name, "c.jr") ||
            !strcmp(cases[i].name, "c.jalr") ||
            !strcmp(cases[i].name, "c.beqz") ||
            !strcmp(cases[i].name, "c.bnez") ||
            !strcmp(cases[i].name, "c.ebreak")) {
            continue;
        }
        for (int r = 0; r < 32; r++) {
            gpr0[r] = rand_value(&st);
            fpr0[r] = rv_rand(&st);
        }
        gpr0[0] = 0;
        /* bases: sp, s0, s1 point into the buffer */
        gpr0[RV_SP] = (uint64_t)(uintptr_t)mem + 1024;
        gpr0[RV_S0] = (uint64_t)(uintptr_t)mem + 8;
        gpr0[RV_S1] = (uint64_t)(uintptr_t)mem + 2048;
        for (int b = 0; b < 4096; b++) {
            mem[b] = (uint8_t)rv_rand(&st);
        }
        memcpy(mem_c, mem, 4096);

        /* compressed form, at a 2-byte aligned (not 4) address */
        a = rv_begin_at(true);
        rv_emit16(a, cases[i].c);
        rv_end(a);
        memcpy(env->gpr, gpr0, sizeof(gpr0));
        memcpy(env->fpr, fpr0, sizeof(fpr0));
        ec = rv_run((uint64_t)(uintptr_t)a->start);
        memcpy(gc, env->gpr, sizeof(gc));
        memcpy(fc, env->fpr, sizeof(fc));
        memcpy(mem_w, mem, 4096);
        memcpy(mem, mem_c, 4096);

        /* 32-bit form */
        a = rv_begin();
        rv_emit(a, cases[i].w);
        rv_end(a);
        memcpy(env->gpr, gpr0, sizeof(gpr0));
        memcpy(env->fpr, fpr0, sizeof(fpr0));
        ew = rv_run((uint64_t)(uintptr_t)a->start);

        if (ec != RISCV_EXCP_ECALL || ew != RISCV_EXCP_ECALL ||
            memcmp(gc, env->gpr, sizeof(gc)) ||
            memcmp(fc, env->fpr, sizeof(fc)) || memcmp(mem_w, mem, 4096)) {
            print_message("MISMATCH %s %#06x vs %#010x: exits %d/%d\n",
                          cases[i].name, cases[i].c, cases[i].w, ec, ew);
            for (int r = 0; r < 32; r++) {
                if (gc[r] != env->gpr[r]) {
                    print_message("  x%d: %#" PRIx64 " vs %#" PRIx64 "\n", r,
                                  gc[r], env->gpr[r]);
                }
            }
            bad++;
        }
    }
    free(mem);
    free(mem_c);
    free(mem_w);
    assert_int_equal(bad, 0);
}

/* Control flow in compressed code, with link values of pc + 2. */
static void test_translate_rvc_control(void **state)
{
    uint64_t p0, p_jalr, t_jalr, t_jr, back, p_back_br;
    Asm *a;

    (void)state;
    a = rv_begin_at(true);
    back = rv_pc(a);
    rv_emit16(a, rvc_li(RV_A7, 3)); /* back: a7 = 3 */
    rv_emit16(a, rvc_j(0));         /* patched: -> end */
    p0 = rv_pc(a);
    rv_emit16(a, rvc_j(6)); /* P0 -> P6 */
    rv_emit16(a, 0x9002);   /* c.ebreak */
    rv_emit16(a, 0x9002);
    rv_emit16(a, rvc_bz(6, RV_S0, 6)); /* P6: s0 == 0 -> P12 */
    rv_emit16(a, rvc_li(RV_A2, 1));
    rv_emit16(a, 0x9002);
    rv_emit16(a, rvc_bz(7, RV_S0, 4)); /* P12: not taken */
    rv_emit16(a, rvc_li(RV_A3, 7));    /* P14 */
    rv_emit16(a, rvc_bz(7, RV_S1, 6)); /* P16: s1 != 0 -> P22 */
    rv_emit16(a, rvc_li(RV_A4, 1));
    rv_emit16(a, 0x9002);
    p_jalr = rv_pc(a);
    rv_emit16(a, rvc_cr(1, RV_A5, 0)); /* P22: c.jalr a5 */
    rv_emit16(a, 0x9002);
    rv_emit16(a, 0x9002);
    t_jalr = rv_pc(a);                 /* P28 */
    rv_emit16(a, rvc_cr(0, RV_T0, 0)); /* c.jr t0 (odd) */
    rv_emit16(a, 0x9002);
    rv_emit16(a, 0x9002);
    t_jr = rv_pc(a); /* P34 */
    rv_emit16(a, rvc_li(RV_A6, 9));
    p_back_br = rv_pc(a);
    rv_emit16(a, rvc_bz(6, RV_S0, (int32_t)(back - p_back_br)));
    rv_emit16(a, 0x9002);
    /* end: */
    {
        uint64_t end = rv_pc(a);

        memcpy((void *)(uintptr_t)(back + 2),
               &(uint16_t){rvc_j((int32_t)(end - (back + 2)))}, 2);
    }
    rv_end(a);
    assert_int_equal(t_jalr - p0, 28);
    env->gpr[RV_S0] = 0;
    env->gpr[RV_S1] = 5;
    env->gpr[RV_A2] = env->gpr[RV_A3] = env->gpr[RV_A4] = 0;
    env->gpr[RV_A6] = env->gpr[RV_A7] = 0;
    env->gpr[RV_A5] = t_jalr;
    env->gpr[RV_T0] = t_jr | 1;
    env->pc = p0;
    assert_int_equal(cpu_exec(env), RISCV_EXCP_ECALL);
    CTX("rvc control");
    CHECK(env->pc, a->ecall_pc);
    CHECK(env->gpr[RV_A2], 0);
    CHECK(env->gpr[RV_A3], 7);
    CHECK(env->gpr[RV_A4], 0);
    CHECK(env->gpr[RV_RA], p_jalr + 2);
    CHECK(env->gpr[RV_A6], 9);
    CHECK(env->gpr[RV_A7], 3);
}

/* A 32-bit instruction at a 2-byte offset that straddles a page. */
static void test_translate_rvc_page_cross(void **state)
{
    Asm *a;
    uint64_t page, want = 4;

    (void)state;
    rv_code_used = (rv_code_used + 4095) & ~(size_t)4095;
    a = rv_begin();
    page = rv_pc(a);
    while (rv_pc(a) < page + 4096 - 8) {
        if (a->since_break >= RV_TB_BREAK_INSNS) {
            rv_emit(a, rv_j(RV_ZERO, 4)); /* see test_translate_long_block */
            a->since_break = 0;
        } else {
            rv_emit(a, rv_addi(RV_A0, RV_A0, 1));
            want++;
        }
    }
    rv_emit16(a, rvc_addi(RV_A0, 1));
    rv_emit16(a, rvc_addi(RV_A0, 1));
    rv_emit16(a, rvc_addi(RV_A0, 1));          /* at page + 4090 */
    rv_emit(a, rv_addi(RV_A1, RV_ZERO, 1234)); /* page + 4094..4097 */
    rv_emit16(a, rvc_addi(RV_A0, 1));
    rv_end(a);
    env->gpr[RV_A0] = 0;
    env->gpr[RV_A1] = 0;
    rv_run_ok(a);
    CTX("page cross");
    CHECK(env->gpr[RV_A0], want);
    CHECK(env->gpr[RV_A1], 1234);
}

static void test_translate_rvc_illegal(void **state)
{
    static const uint16_t bad[] = {0x0000, 0x6501, 0x2005, 0x8002, 0x9c41};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        uint64_t at;
        Asm *a = rv_begin();

        rv_emit16(a, rvc_li(RV_A0, 5));
        at = rv_pc(a);
        rv_emit16(a, bad[i]);
        rv_emit16(a, rvc_li(RV_A1, 6));
        rv_end(a);
        env->gpr[RV_A0] = env->gpr[RV_A1] = 0;
        CTX("illegal rvc %#06x", bad[i]);
        CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
        CHECK(env->pc, at);
        CHECK(env->gpr[RV_A0], 5);
        CHECK(env->gpr[RV_A1], 0);
    }
}

/* With C off: 16-bit encodings are illegal and jumps must be 4-aligned. */
static void test_translate_no_c(void **state)
{
    uint64_t at;
    Asm *a;

    (void)state;
    env->cfg.ext_c = false;

    a = rv_begin();
    rv_emit(a, rv_addi(RV_A0, RV_ZERO, 1));
    at = rv_pc(a);
    rv_emit16(a, rvc_li(RV_A1, 2));
    rv_emit16(a, rvc_li(RV_A1, 2));
    rv_end(a);
    CTX("16-bit insn without C");
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
    CHECK(env->pc, at);

    /* jal to pc + 6 */
    a = rv_begin();
    rv_emit(a, rv_j(RV_RA, 6));
    rv_emit(a, RV_NOP);
    rv_end(a);
    env->gpr[RV_RA] = 0;
    CTX("jal misaligned without C");
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_INSN_MISALIGNED);
    CHECK(env->pc, (uint64_t)(uintptr_t)a->start);
    CHECK(env->gpr[RV_RA], 0);

    /* taken branch to pc + 6 faults; not taken falls through */
    for (int taken = 0; taken < 2; taken++) {
        a = rv_begin();
        rv_emit(a, rv_b(0, RV_A0, RV_ZERO, 6));
        rv_end(a);
        env->gpr[RV_A0] = taken ? 0 : 1;
        CTX("branch misaligned without C, taken %d", taken);
        CHECK(rv_run((uint64_t)(uintptr_t)a->start),
              taken ? RISCV_EXCP_INSN_MISALIGNED : RISCV_EXCP_ECALL);
        CHECK(env->pc, (uint64_t)(uintptr_t)a->start + (taken ? 0 : 4));
    }

    /* jalr: bit 1 of the target set faults (bit 0 is just cleared) */
    for (int k = 0; k < 3; k++) {
        uint64_t tgt;

        a = rv_begin();
        rv_emit(a, rv_addi(RV_A2, RV_ZERO, 1));
        at = rv_pc(a);
        rv_emit(a, rv_jalr(RV_RA, RV_A0, k == 2 ? 3 : k));
        rv_emit(a, RV_EBREAK);
        tgt = rv_pc(a);
        rv_end(a);
        env->gpr[RV_A0] = tgt - (k == 2 ? 2 : 0);
        env->gpr[RV_RA] = 0;
        env->gpr[RV_A2] = 0;
        CTX("jalr without C, case %d", k);
        /* k = 0: tgt; k = 1: tgt + 1 -> tgt; k = 2: tgt + 1 -> tgt */
        {
            uint64_t dest = (env->gpr[RV_A0] + (k == 2 ? 3 : k)) & ~1ull;
            bool mis = dest & 2;

            CHECK(rv_run((uint64_t)(uintptr_t)a->start),
                  mis ? RISCV_EXCP_INSN_MISALIGNED : RISCV_EXCP_ECALL);
            CHECK(env->pc, mis ? at : tgt);
            CHECK(env->gpr[RV_RA], mis ? 0 : at + 4);
            CHECK(env->gpr[RV_A2], 1);
        }
    }
    env->cfg.ext_c = true;
}

/* Zicsr */

enum {
    CSR_FFLAGS = 1,
    CSR_FRM = 2,
    CSR_FCSR = 3,
    CSR_CYCLE = 0xc00,
    CSR_TIME = 0xc01,
    CSR_INSTRET = 0xc02
};

static void test_translate_csr_fp(void **state)
{
    Asm *a = rv_begin();

    (void)state;
    a->res_reg = RV_GP;
    /* csrrw a0, fflags, a1 (a1 = 0xff: only 5 bits kept) */
    rv_emit(a, rv_csr(1, RV_A0, RV_A1, CSR_FFLAGS));
    rv_store_result(a, RV_A0);                         /* 0 old fflags = 3 */
    rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, CSR_FFLAGS)); /* csrr */
    rv_store_result(a, RV_A0);                         /* 1: 0x1f */
    rv_emit(a, rv_csr(3, RV_A0, RV_A2, CSR_FFLAGS));   /* csrrc a2 = 0x11 */
    rv_store_result(a, RV_A0);                         /* 2: 0x1f */
    rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, CSR_FFLAGS));
    rv_store_result(a, RV_A0);                      /* 3: 0x0e */
    rv_emit(a, rv_csr(6, RV_A0, 0x10, CSR_FFLAGS)); /* csrrsi 0x10 */
    rv_store_result(a, RV_A0);                      /* 4: 0x0e */
    rv_emit(a, rv_csr(7, RV_A0, 0x06, CSR_FFLAGS)); /* csrrci 6 */
    rv_store_result(a, RV_A0);                      /* 5: 0x1e */
    rv_emit(a, rv_csr(5, RV_A0, 0x1f, CSR_FRM));    /* csrrwi frm, 31 */
    rv_store_result(a, RV_A0);                      /* 6: old frm 1 */
    rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, CSR_FCSR));
    rv_store_result(a, RV_A0);                     /* 7: 7<<5 | 0x18 */
    rv_emit(a, rv_csr(1, RV_A0, RV_A3, CSR_FCSR)); /* a3 = 0x1234 */
    rv_store_result(a, RV_A0);                     /* 8: 0xf8 */
    rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, CSR_FRM));
    rv_store_result(a, RV_A0); /* 9: (0x1234>>5)&7=1 */
    rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, CSR_FFLAGS));
    rv_store_result(a, RV_A0);                       /* 10: 0x14 */
    rv_emit(a, rv_csr(1, RV_A0, RV_A4, CSR_FRM));    /* a4 = 0x1234: 4 */
    rv_store_result(a, RV_A0);                       /* 11: old frm 1 */
    rv_emit(a, rv_csr(3, RV_ZERO, RV_A5, CSR_FCSR)); /* clear a5 = 0x04 */
    rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, CSR_FCSR));
    rv_store_result(a, RV_A0); /* 12: 4 << 5 | 0x10 */
    /* csrrs/csrrc with x0 and csrrsi/ci with 0 do not write */
    rv_emit(a, rv_csr(3, RV_A0, RV_ZERO, CSR_FCSR));
    rv_emit(a, rv_csr(7, RV_A0, 0, CSR_FCSR));
    rv_emit(a, rv_csr(6, RV_A0, 0, CSR_FCSR));
    rv_store_result(a, RV_A0);                       /* 13: 0x90 */
    rv_emit(a, rv_csr(1, RV_A0, RV_A0, CSR_FFLAGS)); /* rd = rs1 */
    rv_store_result(a, RV_A0);                       /* 14: 0x10 */
    rv_end(a);
    env->fflags = 3;
    env->frm = 1;
    env->gpr[RV_A1] = 0xff;
    env->gpr[RV_A2] = 0x11;
    env->gpr[RV_A3] = 0x1234;
    env->gpr[RV_A4] = 0x1234;
    env->gpr[RV_A5] = 0x04;
    env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
    rv_run_ok(a);
    {
        static const uint64_t want[] = {3,    0x1f, 0x1f, 0x0e, 0x0e,
                                        0x1e, 1,    0xf8, 0xf8, 1,
                                        0x14, 1,    0x90, 0x90, 0x10};

        for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
            CTX("csr result %zu", i);
            CHECK(results[i], want[i]);
        }
    }
    CTX("csr final");
    CHECK(env->fflags, 0x10 & 0x1f);
    CHECK(env->frm, 4);
    env->fflags = 0;
    env->frm = 0;
}

static void test_translate_csr_counters(void **state)
{
    static const int ctrs[] = {CSR_CYCLE, CSR_TIME, CSR_INSTRET};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(ctrs); i++) {
        Asm *a = rv_begin();
        uint64_t loop;

        rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, ctrs[i])); /* csrr */
        rv_emit(a, rv_addi(RV_A2, RV_ZERO, 1000));
        loop = rv_pc(a);
        rv_emit(a, rv_addi(RV_A2, RV_A2, -1));
        rv_emit(a, rv_b(1, RV_A2, RV_ZERO, (int32_t)(loop - rv_pc(a))));
        rv_emit(a, rv_csr(6, RV_A1, 0, ctrs[i])); /* csrrsi 0 */
        rv_end(a);
        rv_run_ok(a);
        CTX("counter %#x", ctrs[i]);
        assert_true(env->gpr[RV_A1] > env->gpr[RV_A0]);
        assert_true(env->gpr[RV_A0] != 0);
    }
    /* Writes to read-only counters, and unknown CSRs, are illegal. */
    {
        uint32_t insns[] = {
            rv_csr(1, RV_ZERO, RV_A0, CSR_CYCLE), /* csrw cycle */
            rv_csr(1, RV_A1, RV_A0, CSR_TIME),
            rv_csr(2, RV_A1, RV_A0, CSR_INSTRET),  /* csrrs, rs1 != x0 */
            rv_csr(5, RV_A1, 0, CSR_CYCLE),        /* csrrwi, even 0 */
            rv_csr(7, RV_A1, 1, CSR_CYCLE),        /* csrrci 1 */
            rv_csr(2, RV_A1, RV_ZERO, 0x300),      /* mstatus */
            rv_csr(2, RV_A1, RV_ZERO, 0x004),      /* unknown */
            rv_csr(4, RV_A1, RV_ZERO, CSR_FFLAGS), /* funct3 4 */
        };

        for (size_t i = 0; i < ARRAY_SIZE(insns); i++) {
            uint64_t at;
            Asm *a = rv_begin();

            rv_emit(a, rv_addi(RV_A2, RV_ZERO, 17));
            at = rv_pc(a);
            rv_emit(a, insns[i]);
            rv_end(a);
            env->gpr[RV_A0] = 1;
            env->gpr[RV_A1] = 0x55;
            env->gpr[RV_A2] = 0;
            CTX("illegal csr insn %#010x", insns[i]);
            CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
            CHECK(env->pc, at);
            CHECK(env->gpr[RV_A1], 0x55);
            CHECK(env->gpr[RV_A2], 17);
        }
    }
}

/* F and D */

static uint32_t f2u(float f)
{
    uint32_t u;

    memcpy(&u, &f, 4);
    return u;
}

static uint64_t d2u(double d)
{
    uint64_t u;

    memcpy(&u, &d, 8);
    return u;
}

static uint64_t boxs(float f)
{
    return 0xffffffff00000000ull | f2u(f);
}

#define CNAN_S 0xffffffff7fc00000ull
#define CNAN_D 0x7ff8000000000000ull
#define SNAN_S 0xffffffff7f800001ull
#define SNAN_D 0x7ff0000000000001ull
#define QNAN_D 0x7ff8000000000123ull
#define QNAN_S 0xffffffff7fc00123ull

static uint32_t rv_fop(int f7, int rm, int rd, int rs1, int rs2)
{
    return rv_r(RV_OPC_OP_FP, rm, f7, rd, rs1, rs2);
}

/* Run one FP instruction on f1, f2, f3 (and x10 = a0 as integer input),
 * from fresh fflags; the result is in f4 or a1. */
static int fp_run1(uint32_t insn, uint64_t f1, uint64_t f2, uint64_t f3,
                   uint64_t x)
{
    Asm *a = rv_begin();

    rv_emit(a, insn);
    rv_end(a);
    env->fpr[1] = f1;
    env->fpr[2] = f2;
    env->fpr[3] = f3;
    env->fpr[4] = 0x5a5a5a5a5a5a5a5aull;
    env->gpr[RV_A0] = x;
    env->gpr[RV_A1] = 0x5a5a;
    env->fflags = 0;
    return rv_run((uint64_t)(uintptr_t)a->start);
}

/* fd = f4 from f1, f2 (f3); check value and fflags */
#define FP_CASE(insn, x1, x2, x3, want, flags)                 \
    do {                                                       \
        CTX("%s:%d", #insn, __LINE__);                         \
        CHECK(fp_run1(insn, x1, x2, x3, 0), RISCV_EXCP_ECALL); \
        CHECK(env->fpr[4], want);                              \
        CHECK(env->fflags, flags);                             \
    } while (0)

/* xd = a1 */
#define FPX_CASE(insn, x1, x2, want, flags)                   \
    do {                                                      \
        CTX("%s:%d", #insn, __LINE__);                        \
        CHECK(fp_run1(insn, x1, x2, 0, 0), RISCV_EXCP_ECALL); \
        CHECK(env->gpr[RV_A1], want);                         \
        CHECK(env->fflags, flags);                            \
    } while (0)

/* fd = f4 from a0 */
#define XFP_CASE(insn, x, want, flags)                      \
    do {                                                    \
        CTX("%s:%d", #insn, __LINE__);                      \
        CHECK(fp_run1(insn, 0, 0, 0, x), RISCV_EXCP_ECALL); \
        CHECK(env->fpr[4], want);                           \
        CHECK(env->fflags, flags);                          \
    } while (0)

enum {
    NX = RISCV_FFLAG_NX,
    UF = RISCV_FFLAG_UF,
    OF = RISCV_FFLAG_OF,
    DZ = RISCV_FFLAG_DZ,
    NV = RISCV_FFLAG_NV
};

static void test_translate_fp_arith(void **state)
{
    volatile double d01 = 0.1, d02 = 0.2, two = 2.0;
    volatile float f1 = 1.0f, tiny = 0x1p-30f;

    (void)state;
    /* fadd.s / fadd.d, exact and inexact */
    FP_CASE(rv_fop(0x00, 0, 4, 1, 2), boxs(1.5f), boxs(2.25f), 0, boxs(3.75f),
            0);
    FP_CASE(rv_fop(0x00, 0, 4, 1, 2), boxs(f1), boxs(tiny), 0, boxs(f1 + tiny),
            NX);
    FP_CASE(rv_fop(0x01, 0, 4, 1, 2), d2u(d01), d2u(d02), 0, d2u(d01 + d02),
            NX);
    FP_CASE(rv_fop(0x01, 0, 4, 1, 2), d2u(INFINITY), d2u(-INFINITY), 0, CNAN_D,
            NV);
    /* fsub, fmul, fdiv, fsqrt */
    FP_CASE(rv_fop(0x05, 0, 4, 1, 2), d2u(1.0), d2u(3.0), 0, d2u(-2.0), 0);
    FP_CASE(rv_fop(0x08, 0, 4, 1, 2), boxs(3.0f), boxs(-0.5f), 0, boxs(-1.5f),
            0);
    FP_CASE(rv_fop(0x0d, 0, 4, 1, 2), d2u(1.0), d2u(0.0), 0, d2u(INFINITY), DZ);
    FP_CASE(rv_fop(0x0c, 0, 4, 1, 2), boxs(0.0f), boxs(0.0f), 0, CNAN_S, NV);
    FP_CASE(rv_fop(0x2d, 0, 4, 1, 0), d2u(two), 0, 0, d2u(sqrt(two)), NX);
    FP_CASE(rv_fop(0x2d, 0, 4, 1, 0), d2u(-1.0), 0, 0, CNAN_D, NV);
    FP_CASE(rv_fop(0x2c, 0, 4, 1, 0), boxs(2.25f), 0, 0, boxs(1.5f), 0);
    /* overflow and underflow */
    FP_CASE(rv_fop(0x09, 0, 4, 1, 2), d2u(0x1p1000), d2u(0x1p1000), 0,
            d2u(INFINITY), OF | NX);
    FP_CASE(rv_fop(0x09, 0, 4, 1, 2), d2u(0x1p-1000), d2u(0x1p-1000), 0, 0,
            UF | NX);
    /* NaN inputs give the canonical NaN; sNaN raises NV */
    FP_CASE(rv_fop(0x01, 0, 4, 1, 2), QNAN_D, d2u(1.0), 0, CNAN_D, 0);
    FP_CASE(rv_fop(0x01, 0, 4, 1, 2), SNAN_D, d2u(1.0), 0, CNAN_D, NV);
    FP_CASE(rv_fop(0x00, 0, 4, 1, 2), QNAN_S, boxs(1.0f), 0, CNAN_S, 0);
    /* conversions between formats */
    FP_CASE(rv_fop(0x20, 0, 4, 1, 1), d2u(0.1), 0, 0, boxs((float)0.1), NX);
    FP_CASE(rv_fop(0x21, 0, 4, 1, 0), boxs(0.1f), 0, 0, d2u((double)0.1f), 0);
}

static void test_translate_fp_fma(void **state)
{
    volatile double a = 1.0 + 0x1p-30, b = 1.0 - 0x1p-30, c = -1.0;
    volatile float fa = 1.0f + 0x1p-13f, fb = 1.0f - 0x1p-13f, fc = -1.0f;

    (void)state;
    /* fused: a*b+c = -2^-60, not 0 */
    assert_true(fma(a, b, c) != 0.0);
    FP_CASE(rv_r4(RV_OPC_MADD, 1, 0, 4, 1, 2, 3), d2u(a), d2u(b), d2u(c),
            d2u(fma(a, b, c)), 0);
    FP_CASE(rv_r4(RV_OPC_MSUB, 1, 0, 4, 1, 2, 3), d2u(a), d2u(b), d2u(c),
            d2u(fma(a, b, -c)), NX);
    FP_CASE(rv_r4(RV_OPC_NMSUB, 1, 0, 4, 1, 2, 3), d2u(a), d2u(b), d2u(c),
            d2u(fma(-a, b, c)), NX);
    FP_CASE(rv_r4(RV_OPC_NMADD, 1, 0, 4, 1, 2, 3), d2u(a), d2u(b), d2u(c),
            d2u(fma(-a, b, -c)), 0);
    FP_CASE(rv_r4(RV_OPC_MADD, 0, 0, 4, 1, 2, 3), boxs(fa), boxs(fb), boxs(fc),
            boxs(fmaf(fa, fb, fc)), 0);
    FP_CASE(rv_r4(RV_OPC_NMADD, 0, 0, 4, 1, 2, 3), boxs(fa), boxs(fb), boxs(fc),
            boxs(fmaf(-fa, fb, -fc)), 0);
    FP_CASE(rv_r4(RV_OPC_MSUB, 0, 0, 4, 1, 2, 3), boxs(fa), boxs(fb), boxs(fc),
            boxs(fmaf(fa, fb, -fc)), NX);
    /* inf * 0 + qNaN: invalid (RISC-V raises NV for it) */
    FP_CASE(rv_r4(RV_OPC_MADD, 1, 0, 4, 1, 2, 3), d2u(INFINITY), d2u(0.0),
            QNAN_D, CNAN_D, NV);
}

static void test_translate_fp_convert(void **state)
{
    (void)state;
    /* fcvt.w.s: NaN -> INT32_MAX, NV; -inf -> INT32_MIN */
    FPX_CASE(rv_fop(0x60, 1, RV_A1, 1, 0), CNAN_S, 0, 0x7fffffff, NV);
    FPX_CASE(rv_fop(0x60, 1, RV_A1, 1, 0), boxs(-INFINITY), 0,
             0xffffffff80000000ull, NV);
    FPX_CASE(rv_fop(0x60, 1, RV_A1, 1, 0), boxs(-7.9f), 0, (uint64_t)-7, NX);
    /* fcvt.wu.s: -1 -> 0 NV; 3e9 fits, the 32-bit result is sign-extended */
    FPX_CASE(rv_fop(0x60, 1, RV_A1, 1, 1), boxs(-1.0f), 0, 0, NV);
    FPX_CASE(rv_fop(0x60, 1, RV_A1, 1, 1), boxs(3e9f), 0, 0xffffffffb2d05e00ull,
             0);
    /* fcvt.l.d, fcvt.lu.d */
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 2), d2u(1e19), 0, INT64_MAX, NV);
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 2), d2u(-0x1p63), 0, INT64_MIN, 0);
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 3), d2u(1e19), 0,
             10000000000000000000ull, 0);
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 3), d2u(-0.5), 0, 0, NX);
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 3), d2u(-1.0), 0, 0, NV);
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 3), CNAN_D, 0, UINT64_MAX, NV);
    FPX_CASE(rv_fop(0x60, 1, RV_A1, 1, 2), boxs(-0x1p40f), 0,
             (uint64_t) - (1ll << 40), 0);
    /* fcvt.w.d of a value that only fits after rounding */
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 0), d2u(2147483647.4), 0, 0x7fffffff,
             NX);
    FPX_CASE(rv_fop(0x61, 1, RV_A1, 1, 0), d2u(2147483648.0), 0, 0x7fffffff,
             NV);
    /* integer to FP: only the low 32 bits of w/wu sources count */
    XFP_CASE(rv_fop(0x68, 0, 4, RV_A0, 0), 0x0000000080000000ull,
             boxs(-2147483648.0f), 0);
    XFP_CASE(rv_fop(0x69, 0, 4, RV_A0, 1), 0x12345678ffffffffull,
             d2u(4294967295.0), 0);
    XFP_CASE(rv_fop(0x69, 0, 4, RV_A0, 0), 0x12345678fffffffeull, d2u(-2.0), 0);
    XFP_CASE(rv_fop(0x68, 0, 4, RV_A0, 2), INT64_MAX, boxs(0x1p63f), NX);
    XFP_CASE(rv_fop(0x69, 0, 4, RV_A0, 3), UINT64_MAX, d2u(0x1p64), NX);
    XFP_CASE(rv_fop(0x68, 0, 4, RV_A0, 1), 16777217, boxs(16777216.0f), NX);
}

static void test_translate_fp_nan_boxing(void **state)
{
    uint64_t mem[2] = {0x123456783f800000ull, 0};
    Asm *a;

    (void)state;
    /* flw boxes; fsw stores the low half whatever the upper */
    a = rv_begin();
    rv_emit(a, rv_i(RV_OPC_LOAD_FP, 2, 5, RV_S0, 0));
    rv_emit(a, rv_s(RV_OPC_STORE_FP, 3, RV_S0, 7, 4)); /* fsd unaligned */
    rv_emit(a, rv_s(RV_OPC_STORE_FP, 2, RV_S0, 6, 12));
    rv_emit(a, rv_i(RV_OPC_LOAD_FP, 3, 8, RV_S0, 4)); /* fld unaligned */
    rv_end(a);
    env->gpr[RV_S0] = (uint64_t)(uintptr_t)mem;
    env->fpr[6] = 0x00000000deadbeefull;
    env->fpr[7] = 0x0102030405060708ull;
    rv_run_ok(a);
    CTX("flw/fsw/fsd/fld");
    CHECK(env->fpr[5], 0xffffffff3f800000ull);
    CHECK(mem[0], 0x050607083f800000ull);
    CHECK(mem[1], 0xdeadbeef01020304ull);
    CHECK(env->fpr[8], 0x0102030405060708ull);

    /* An improperly boxed single reads as the canonical NaN (no NV) */
    FP_CASE(rv_fop(0x00, 0, 4, 1, 2), 0x000000003f800000ull, boxs(1.0f), 0,
            CNAN_S, 0);
    FP_CASE(rv_fop(0x00, 0, 4, 1, 2), 0xfffffffe3f800000ull, boxs(1.0f), 0,
            CNAN_S, 0);
    FPX_CASE(rv_fop(0x70, 1, RV_A1, 1, 0), 0x7fffffff3f800000ull, 0, 0x200, 0);
    FPX_CASE(rv_fop(0x60, 1, RV_A1, 1, 0), 0x3f800000ull, 0, 0x7fffffff, NV);
    FP_CASE(rv_fop(0x21, 0, 4, 1, 0), 0x3f800000ull, 0, 0, CNAN_D, 0);
    /* fsgnj.s on an unboxed input: the canonical NaN's bits */
    FP_CASE(rv_fop(0x10, 0, 4, 1, 2), 0x3f800000ull, boxs(-1.0f), 0,
            0xffffffffffc00000ull, 0);
    /* fmv.x.w sign-extends the low 32 bits, no unboxing */
    FPX_CASE(rv_fop(0x70, 0, RV_A1, 1, 0), 0xffffffff80000000ull, 0,
             0xffffffff80000000ull, 0);
    FPX_CASE(rv_fop(0x70, 0, RV_A1, 1, 0), 0x123456787f800000ull, 0,
             0x7f800000ull, 0);
    FPX_CASE(rv_fop(0x70, 0, RV_A1, 1, 0), 0x00000000fedcba98ull, 0,
             0xfffffffffedcba98ull, 0);
    /* fmv.w.x boxes the low 32 bits; fmv.x.d / fmv.d.x copy */
    XFP_CASE(rv_fop(0x78, 0, 4, RV_A0, 0), 0x1234567880000000ull,
             0xffffffff80000000ull, 0);
    XFP_CASE(rv_fop(0x79, 0, 4, RV_A0, 0), 0x1234567880000000ull,
             0x1234567880000000ull, 0);
    FPX_CASE(rv_fop(0x71, 0, RV_A1, 1, 0), SNAN_D, 0, SNAN_D, 0);
}

static void test_translate_fp_sign_inject(void **state)
{
    static const uint64_t vals[] = {0x3ff0000000000000ull,
                                    0xbff0000000000000ull, SNAN_D,
                                    0xfff0000000000001ull};

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(vals); i++) {
        for (size_t j = 0; j < ARRAY_SIZE(vals); j++) {
            uint64_t x = vals[i], y = vals[j], mag = x & ~(1ull << 63);
            uint64_t sy = y & (1ull << 63);

            FP_CASE(rv_fop(0x11, 0, 4, 1, 2), x, y, 0, mag | sy, 0);
            FP_CASE(rv_fop(0x11, 1, 4, 1, 2), x, y, 0,
                    mag | (sy ^ (1ull << 63)), 0);
            FP_CASE(rv_fop(0x11, 2, 4, 1, 2), x, y, 0, x ^ sy, 0);
            FP_CASE(rv_fop(0x10, 0, 4, 1, 2), 0xffffffff00000000ull | x >> 32,
                    0xffffffff00000000ull | y >> 32, 0,
                    0xffffffff00000000ull | (mag | sy) >> 32, 0);
            FP_CASE(rv_fop(0x10, 1, 4, 1, 2), 0xffffffff00000000ull | x >> 32,
                    0xffffffff00000000ull | y >> 32, 0,
                    0xffffffff00000000ull | (mag | (sy ^ (1ull << 63))) >> 32,
                    0);
            FP_CASE(rv_fop(0x10, 2, 4, 1, 2), 0xffffffff00000000ull | x >> 32,
                    0xffffffff00000000ull | y >> 32, 0,
                    0xffffffff00000000ull | (x ^ sy) >> 32, 0);
        }
    }
    /* rd = rs1 = rs2: fneg.d, fabs.d, fmv.d */
    {
        Asm *a = rv_begin();

        rv_emit(a, rv_fop(0x11, 1, 1, 1, 1)); /* fneg.d f1 */
        rv_emit(a, rv_fop(0x11, 2, 2, 2, 2)); /* fabs.d f2 */
        rv_emit(a, rv_fop(0x11, 0, 3, 3, 3)); /* fmv.d f3 */
        rv_end(a);
        env->fpr[1] = d2u(2.0);
        env->fpr[2] = d2u(-3.0);
        env->fpr[3] = d2u(-4.0);
        rv_run_ok(a);
        CTX("fneg/fabs/fmv.d");
        CHECK(env->fpr[1], d2u(-2.0));
        CHECK(env->fpr[2], d2u(3.0));
        CHECK(env->fpr[3], d2u(-4.0));
    }
}

static void test_translate_fp_classify_compare(void **state)
{
    static const struct {
        uint64_t d;
        uint32_t s;
        unsigned bit;
    } cls[] = {
        {0xfff0000000000000ull, 0xff800000u, 0},
        {0xbff0000000000000ull, 0xbf800000u, 1},
        {0x800fffffffffffffull, 0x807fffffu, 2},
        {0x8000000000000000ull, 0x80000000u, 3},
        {0x0000000000000000ull, 0x00000000u, 4},
        {0x0000000000000001ull, 0x00000001u, 5},
        {0x3ff0000000000000ull, 0x3f800000u, 6},
        {0x7ff0000000000000ull, 0x7f800000u, 7},
        {0x7ff4000000000000ull, 0x7fa00000u, 8},
        {0xfff8000000000000ull, 0xffc00000u, 9},
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(cls); i++) {
        FPX_CASE(rv_fop(0x71, 1, RV_A1, 1, 0), cls[i].d, 0, 1u << cls[i].bit,
                 0);
        FPX_CASE(rv_fop(0x70, 1, RV_A1, 1, 0), 0xffffffff00000000ull | cls[i].s,
                 0, 1u << cls[i].bit, 0);
    }
    /* feq quiet, flt/fle signaling */
    FPX_CASE(rv_fop(0x51, 2, RV_A1, 1, 2), QNAN_D, d2u(1.0), 0, 0);
    FPX_CASE(rv_fop(0x51, 2, RV_A1, 1, 2), SNAN_D, d2u(1.0), 0, NV);
    FPX_CASE(rv_fop(0x51, 1, RV_A1, 1, 2), QNAN_D, d2u(1.0), 0, NV);
    FPX_CASE(rv_fop(0x51, 0, RV_A1, 1, 2), d2u(1.0), QNAN_D, 0, NV);
    FPX_CASE(rv_fop(0x51, 1, RV_A1, 1, 2), d2u(1.0), d2u(2.0), 1, 0);
    FPX_CASE(rv_fop(0x51, 1, RV_A1, 1, 2), d2u(2.0), d2u(1.0), 0, 0);
    FPX_CASE(rv_fop(0x51, 0, RV_A1, 1, 2), d2u(-0.0), d2u(0.0), 1, 0);
    FPX_CASE(rv_fop(0x51, 2, RV_A1, 1, 2), d2u(-0.0), d2u(0.0), 1, 0);
    FPX_CASE(rv_fop(0x51, 1, RV_A1, 1, 2), d2u(-0.0), d2u(0.0), 0, 0);
    FPX_CASE(rv_fop(0x50, 2, RV_A1, 1, 2), QNAN_S, boxs(1.0f), 0, 0);
    FPX_CASE(rv_fop(0x50, 2, RV_A1, 1, 2), SNAN_S, boxs(1.0f), 0, NV);
    FPX_CASE(rv_fop(0x50, 1, RV_A1, 1, 2), boxs(-1.0f), boxs(1.0f), 1, 0);
    FPX_CASE(rv_fop(0x50, 0, RV_A1, 1, 2), boxs(1.0f), QNAN_S, 0, NV);
    /* fmin/fmax: -0 < +0, one NaN gives the other operand */
    FP_CASE(rv_fop(0x15, 0, 4, 1, 2), d2u(0.0), d2u(-0.0), 0, d2u(-0.0), 0);
    FP_CASE(rv_fop(0x15, 1, 4, 1, 2), d2u(-0.0), d2u(0.0), 0, d2u(0.0), 0);
    FP_CASE(rv_fop(0x15, 0, 4, 1, 2), QNAN_D, d2u(1.0), 0, d2u(1.0), 0);
    FP_CASE(rv_fop(0x15, 1, 4, 1, 2), SNAN_D, d2u(1.0), 0, d2u(1.0), NV);
    FP_CASE(rv_fop(0x15, 0, 4, 1, 2), QNAN_D, SNAN_D, 0, CNAN_D, NV);
    FP_CASE(rv_fop(0x14, 1, 4, 1, 2), boxs(-2.0f), boxs(1.0f), 0, boxs(1.0f),
            0);
    FP_CASE(rv_fop(0x14, 0, 4, 1, 2), QNAN_S, boxs(3.0f), 0, boxs(3.0f), 0);
}

/* Rounding: static rm, dynamic rm from frm, frm changed in the TB. */
static void test_translate_fp_rounding(void **state)
{
    static const double ins[] = {2.5, -2.5, 1.5, -1.5, 0.7, -0.7};
    static const int64_t want[5][6] = {
        {2, -2, 2, -2, 1, -1}, /* rne */
        {2, -2, 1, -1, 0, 0},  /* rtz */
        {2, -3, 1, -2, 0, -1}, /* rdn */
        {3, -2, 2, -1, 1, 0},  /* rup */
        {3, -3, 2, -2, 1, -1}, /* rmm */
    };
    Asm *a;

    (void)state;
    for (int rm = 0; rm < 5; rm++) {
        for (size_t i = 0; i < ARRAY_SIZE(ins); i++) {
            /* static */
            FPX_CASE(rv_fop(0x61, rm, RV_A1, 1, 2), d2u(ins[i]), 0,
                     (uint64_t)want[rm][i], NX);
        }
    }
    /* dynamic: one TB setting frm to each mode in turn */
    a = rv_begin();
    a->res_reg = RV_GP;
    for (int rm = 0; rm < 5; rm++) {
        rv_emit(a, rv_csr(5, RV_ZERO, rm, CSR_FRM)); /* fsrmi */
        for (size_t i = 0; i < ARRAY_SIZE(ins); i++) {
            rv_emit(a, rv_fop(0x61, 7, RV_A1, 8 + (int)i, 2));
            rv_store_result(a, RV_A1);
            /* and a dynamic single-precision add: 1 + 2^-24 * 1.5 */
        }
        rv_emit(a, rv_fop(0x00, 7, 20, 21, 22));
        rv_emit(a, rv_fop(0x70, 0, RV_A1, 20, 0));
        rv_store_result(a, RV_A1);
    }
    rv_end(a);
    for (size_t i = 0; i < ARRAY_SIZE(ins); i++) {
        env->fpr[8 + i] = d2u(ins[i]);
    }
    env->fpr[21] = boxs(1.0f);
    env->fpr[22] = boxs(0x1.8p-24f);
    env->gpr[RV_GP] = (uint64_t)(uintptr_t)results;
    env->frm = 7; /* invalid until the first fsrmi */
    rv_run_ok(a);
    for (int rm = 0; rm < 5; rm++) {
        static const uint32_t add_want[5] = {
            0x3f800001, 0x3f800000, 0x3f800000, 0x3f800001, 0x3f800001,
        };

        for (size_t i = 0; i < ARRAY_SIZE(ins); i++) {
            CTX("dyn rm %d input %g", rm, ins[i]);
            CHECK(results[rm * 7 + i], (uint64_t)want[rm][i]);
        }
        CTX("dyn rm %d fadd.s", rm);
        CHECK(results[rm * 7 + 6], add_want[rm]);
    }
    env->frm = 0;
}

static void test_translate_fp_illegal_rm(void **state)
{
    Asm *a;
    uint64_t at;

    (void)state;
    /* invalid frm (5, 6, 7) with a dynamic-rm op: illegal at that op, the
     * state before it in env */
    for (int frm = 5; frm < 8; frm++) {
        a = rv_begin();
        rv_emit(a, rv_addi(RV_A3, RV_ZERO, 77));
        rv_emit(a, rv_fop(0x01, 0, 5, 1, 2)); /* static: fine */
        rv_emit(a, rv_fop(0x11, 0, 6, 1, 2)); /* no rm: fine */
        at = rv_pc(a);
        rv_emit(a, rv_fop(0x01, 7, 4, 1, 2)); /* fadd.d dyn */
        rv_emit(a, rv_addi(RV_A4, RV_ZERO, 88));
        rv_end(a);
        env->frm = (uint32_t)frm;
        env->gpr[RV_A3] = env->gpr[RV_A4] = 0;
        env->fpr[1] = d2u(1.0);
        env->fpr[2] = d2u(2.0);
        env->fpr[4] = env->fpr[5] = env->fpr[6] = 0;
        CTX("frm %d", frm);
        CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
        CHECK(env->pc, at);
        CHECK(env->gpr[RV_A3], 77);
        CHECK(env->gpr[RV_A4], 0);
        CHECK(env->fpr[5], d2u(3.0));
        CHECK(env->fpr[6], d2u(1.0));
        CHECK(env->fpr[4], 0);
    }
    /* frm valid at the first dynamic op, made invalid in the same TB */
    a = rv_begin();
    rv_emit(a, rv_fop(0x61, 7, RV_A1, 1, 0));   /* fcvt.w.d dyn */
    rv_emit(a, rv_csr(5, RV_ZERO, 6, CSR_FRM)); /* fsrmi 6 */
    rv_emit(a, rv_addi(RV_A3, RV_ZERO, 5));
    at = rv_pc(a);
    rv_emit(a, rv_fop(0x61, 7, RV_A2, 1, 0));
    rv_end(a);
    env->frm = 3;
    env->gpr[RV_A1] = env->gpr[RV_A2] = 0;
    env->fpr[1] = d2u(1.5);
    CTX("frm made invalid in the TB");
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
    CHECK(env->pc, at);
    CHECK(env->gpr[RV_A1], 2);
    CHECK(env->gpr[RV_A2], 0);
    CHECK(env->gpr[RV_A3], 5);
    CHECK(env->frm, 6);

    /* The same code runs fine once frm is valid (runtime check) */
    env->frm = 0;
    a = rv_begin();
    rv_emit(a, rv_fop(0x61, 7, RV_A1, 1, 0));
    rv_end(a);
    env->frm = 5;
    CTX("frm 5 then 2 on the same TB");
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
    env->frm = 2;
    env->fpr[1] = d2u(-1.5);
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ECALL);
    CHECK(env->gpr[RV_A1], (uint64_t)-2);

    /* Reserved static rm 5 and 6: illegal whatever frm */
    {
        uint32_t insns[] = {
            rv_fop(0x01, 5, 4, 1, 2),              /* fadd.d */
            rv_fop(0x00, 6, 4, 1, 2),              /* fadd.s */
            rv_fop(0x2d, 5, 4, 1, 0),              /* fsqrt.d */
            rv_fop(0x61, 6, RV_A1, 1, 0),          /* fcvt.w.d */
            rv_fop(0x69, 5, 4, RV_A0, 0),          /* fcvt.d.w */
            rv_fop(0x20, 5, 4, 1, 1),              /* fcvt.s.d */
            rv_r4(RV_OPC_MADD, 1, 5, 4, 1, 2, 3),  /* fmadd.d */
            rv_r4(RV_OPC_NMSUB, 0, 6, 4, 1, 2, 3), /* fnmsub.s */
            rv_fop(0x11, 3, 4, 1, 2),              /* fsgnj funct3 3 */
            rv_fop(0x51, 3, RV_A1, 1, 2),          /* feq funct3 3 */
            rv_fop(0x70, 2, RV_A1, 1, 0),          /* fmv/fclass 2 */
        };

        env->frm = 0;
        for (size_t i = 0; i < ARRAY_SIZE(insns); i++) {
            a = rv_begin();
            rv_emit(a, insns[i]);
            rv_end(a);
            CTX("reserved rm insn %#010x", insns[i]);
            CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
            CHECK(env->pc, (uint64_t)(uintptr_t)a->start);
        }
    }
}

/* fflags accrue over several operations, a csrr reads them in the TB */
static void test_translate_fp_flags_accrue(void **state)
{
    Asm *a = rv_begin();

    (void)state;
    rv_emit(a, rv_fop(0x0d, 0, 4, 1, 3)); /* 1/0: DZ */
    rv_emit(a, rv_csr(2, RV_A0, RV_ZERO, CSR_FFLAGS));
    rv_emit(a, rv_fop(0x01, 0, 5, 1, 2)); /* 1 + tiny: NX */
    rv_emit(a, rv_csr(2, RV_A1, RV_ZERO, CSR_FFLAGS));
    rv_emit(a, rv_fop(0x51, 1, RV_A2, 6, 1));          /* flt NaN: NV */
    rv_emit(a, rv_csr(1, RV_A3, RV_ZERO, CSR_FFLAGS)); /* read, clear */
    rv_emit(a, rv_fop(0x01, 0, 5, 1, 1));              /* exact */
    rv_end(a);
    env->fflags = 0;
    env->fpr[1] = d2u(1.0);
    env->fpr[2] = d2u(0x1p-60);
    env->fpr[3] = d2u(0.0);
    env->fpr[6] = QNAN_D;
    rv_run_ok(a);
    CTX("fflags accrue");
    CHECK(env->gpr[RV_A0], DZ);
    CHECK(env->gpr[RV_A1], DZ | NX);
    CHECK(env->gpr[RV_A3], DZ | NX | NV);
    CHECK(env->fflags, 0);
    CHECK(env->fpr[5], d2u(2.0));
}

/* ebreak, illegal encodings, fence, fence.i */

static void test_translate_ebreak(void **state)
{
    uint64_t at;
    Asm *a = rv_begin();

    (void)state;
    rv_emit(a, rv_addi(RV_A0, RV_ZERO, 3));
    at = rv_pc(a);
    rv_emit(a, RV_EBREAK);
    rv_emit(a, rv_addi(RV_A0, RV_ZERO, 4));
    rv_end(a);
    env->gpr[RV_A0] = 0;
    CTX("ebreak");
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_BREAKPOINT);
    CHECK(env->pc, at);
    CHECK(env->gpr[RV_A0], 3);

    a = rv_begin();
    rv_emit16(a, rvc_li(RV_A0, 9));
    at = rv_pc(a);
    rv_emit16(a, 0x9002);
    rv_end(a);
    CTX("c.ebreak");
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_BREAKPOINT);
    CHECK(env->pc, at);
    CHECK(env->gpr[RV_A0], 9);
}

static void test_translate_illegal(void **state)
{
    const uint32_t bad[] = {
        0xffffffffu, /* opcode 0x7f */
        0x0000007fu,
        rv_r(RV_OPC_OP, 0, 0x03, RV_A0, RV_A1, RV_A2),       /* add, funct7 3 */
        rv_r(RV_OPC_OP_32, 1, 0x01, RV_A0, RV_A1, RV_A2),    /* no mulw f3=1 */
        rv_i(RV_OPC_LOAD, 7, RV_A0, RV_A1, 0),               /* load f3 7 */
        rv_s(RV_OPC_STORE, 4, RV_A1, RV_A0, 0),              /* store f3 4 */
        rv_b(2, RV_A0, RV_A1, 8),                            /* branch f3 2 */
        rv_i(RV_OPC_JALR, 1, RV_A0, RV_A1, 0),               /* jalr f3 1 */
        rv_i(RV_OPC_OP_IMM_32, 2, RV_A0, RV_A1, 0),          /* f3 2 */
        rv_i(RV_OPC_OP_IMM_32, 1, RV_A0, RV_A1, 32),         /* slliw sh 32 */
        rv_i(RV_OPC_OP_IMM, 1, RV_A0, RV_A1, 0x601 | 0x40),  /* bad Zbb */
        rv_i(RV_OPC_SYSTEM, 0, RV_ZERO, RV_ZERO, 0x105),     /* wfi */
        rv_i(RV_OPC_SYSTEM, 0, RV_ZERO, RV_ZERO, 0x302),     /* mret */
        rv_r(RV_OPC_AMO, 2, 0x02 << 2, RV_A0, RV_A1, RV_A2), /* lr rs2!=0 */
        rv_r(RV_OPC_AMO, 4, 0x00, RV_A0, RV_A1, RV_A2),      /* amo f3 4 */
        rv_r(RV_OPC_AMO, 2, 0x05 << 2, RV_A0, RV_A1, RV_A2), /* f5 5 */
        rv_i(RV_OPC_LOAD_FP, 4, 1, RV_A1, 0),                /* flq */
        rv_fop(0x03, 0, 1, 2, 3),                            /* fadd.q */
        rv_fop(0x2c, 0, 4, 1, 1),                            /* fsqrt rs2 1 */
        0x0000000bu,                                         /* custom-0 */
    };

    (void)state;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        uint64_t at;
        Asm *a = rv_begin();

        /* in the middle of a TB */
        rv_emit(a, rv_addi(RV_A3, RV_ZERO, 5));
        rv_emit(a, rv_addi(RV_A4, RV_A3, 6));
        at = rv_pc(a);
        rv_emit(a, bad[i]);
        rv_emit(a, rv_addi(RV_A5, RV_ZERO, 7));
        rv_end(a);
        env->gpr[RV_A3] = env->gpr[RV_A4] = env->gpr[RV_A5] = 0;
        env->gpr[RV_A0] = 0x1234;
        CTX("illegal %#010x", bad[i]);
        CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ILLEGAL);
        CHECK(env->pc, at);
        CHECK(env->gpr[RV_A3], 5);
        CHECK(env->gpr[RV_A4], 11);
        CHECK(env->gpr[RV_A5], 0);
        CHECK(env->gpr[RV_A0], 0x1234);
        /* and at the start of a TB */
        CHECK(rv_run(at), RISCV_EXCP_ILLEGAL);
        CHECK(env->pc, at);
    }
}

static void test_translate_fence(void **state)
{
    Asm *a = rv_begin();
    uint64_t after;

    (void)state;
    rv_emit(a, rv_i(RV_OPC_MISC_MEM, 0, 0, 0, 0x033));  /* fence rw,rw */
    rv_emit(a, rv_i(RV_OPC_MISC_MEM, 0, 0, 0, 0x8330)); /* fence.tso */
    rv_emit(a, rv_i(RV_OPC_MISC_MEM, 0, 0, 0, 0x0ff));  /* fence iorw,iorw */
    rv_emit(a, rv_addi(RV_A0, RV_ZERO, 1));
    rv_emit(a, rv_i(RV_OPC_MISC_MEM, 1, 0, 0, 0)); /* fence.i */
    after = rv_pc(a);
    rv_emit(a, rv_addi(RV_A0, RV_A0, 1));
    rv_end(a);
    env->gpr[RV_A0] = 0;
    CTX("fence.i");
    CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_FENCE_I);
    CHECK(env->pc, after);
    CHECK(env->gpr[RV_A0], 1);
    CHECK(cpu_exec(env), RISCV_EXCP_ECALL);
    CHECK(env->gpr[RV_A0], 2);
}

/* Faults */

static void test_translate_segv_above_guest_space(void **state)
{
    static const uint32_t f3s[] = {0, 1, 2, 3, 4, 5, 6};
    /*
     * Guest base 0 here and the code's host addresses in the space, so
     * the space is the whole user half: a base in it with a displacement
     * past 2^47 would be non-canonical on the host (a #GP without the
     * address), which a real reservation's guards rule out.  So the bases
     * are out of the space themselves (mem_edges tests the guards).
     */
    const uint64_t top = 1ull << 47;

    (void)state;
    env->hdr.guest_addr_mask = ~(top - 1);
    for (size_t i = 0; i < ARRAY_SIZE(f3s) + 2; i++) {
        uint64_t at;
        Asm *a = rv_begin();

        rv_emit(a, rv_addi(RV_A3, RV_ZERO, 99));
        at = rv_pc(a);
        if (i < ARRAY_SIZE(f3s)) {
            rv_emit(a, rv_i(RV_OPC_LOAD, f3s[i], RV_A0, RV_A1, 8));
        } else if (i == ARRAY_SIZE(f3s)) {
            rv_emit(a, rv_sd(RV_A3, RV_A1, 8));
        } else {
            rv_emit(a, rv_amo(0x00, 3, false, false, RV_A0, RV_A1, RV_A3));
        }
        rv_emit(a, rv_addi(RV_A4, RV_ZERO, 1));
        rv_end(a);
        env->gpr[RV_A0] = 0x77;
        env->gpr[RV_A1] = top;
        env->gpr[RV_A3] = env->gpr[RV_A4] = 0;
        CTX("access above the guest space %zu", i);
        CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_SEGV_MAPERR);
        CHECK(env->pc, at);
        CHECK(env->badaddr,
              env->gpr[RV_A1] + (i == ARRAY_SIZE(f3s) + 1 ? 0 : 8));
        CHECK(env->gpr[RV_A0], 0x77);
        CHECK(env->gpr[RV_A3], 99);
        CHECK(env->gpr[RV_A4], 0);
    }
    /* A jump there: the fetch faults at the target */
    {
        Asm *a = rv_begin();

        rv_emit(a, rv_jalr(RV_RA, RV_A1, 0));
        rv_end(a);
        env->gpr[RV_A1] = top + 0x1000;
        CTX("jump above the guest space");
        CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_FETCH_FAULT);
        CHECK(env->pc, top + 0x1000);
        CHECK(env->gpr[RV_RA], (uint64_t)(uintptr_t)a->start + 4);
    }
    env->hdr.guest_addr_mask = 0;
}

static void test_translate_segv_unmapped(void **state)
{
    struct sigaction old[2];
    uint8_t *pages = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    (void)state;
    assert_true(pages != MAP_FAILED);
    assert_int_equal(mprotect(pages, 4096, PROT_NONE), 0);
    assert_int_equal(mprotect(pages + 4096, 4096, PROT_READ), 0);
    assert_int_equal(munmap(pages + 8192, 4096), 0);
    env->hdr.guest_addr_mask = ~((1ull << 47) - 1);
    rv_fault_handlers_install(old);
    {
        static const struct {
            int page, off;
            bool store;
            int excp;
        } cases[] = {
            {0, 16, false, RISCV_EXCP_SEGV_ACCERR},
            {0, 0, true, RISCV_EXCP_SEGV_ACCERR},
            {1, 8, true, RISCV_EXCP_SEGV_ACCERR},
            {2, 24, false, RISCV_EXCP_SEGV_MAPERR},
            {2, 0, true, RISCV_EXCP_SEGV_MAPERR},
        };

        for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
            uint64_t at, addr = (uint64_t)(uintptr_t)pages +
                                4096 * cases[i].page + cases[i].off;
            Asm *a = rv_begin();
            int e;

            rv_emit(a, rv_addi(RV_A3, RV_ZERO, 42));
            at = rv_pc(a);
            rv_emit(a, cases[i].store ? rv_sd(RV_A3, RV_A1, 0)
                                      : rv_ld(RV_A0, RV_A1, 0));
            rv_emit(a, rv_addi(RV_A4, RV_ZERO, 1));
            rv_end(a);
            env->gpr[RV_A1] = addr;
            env->gpr[RV_A0] = 0x66;
            env->gpr[RV_A3] = env->gpr[RV_A4] = 0;
            e = rv_run((uint64_t)(uintptr_t)a->start);
            CTX("unmapped case %zu", i);
            if (e != cases[i].excp) {
                rv_fault_handlers_restore(old);
                env->hdr.guest_addr_mask = 0;
            }
            CHECK(e, cases[i].excp);
            CHECK(env->pc, at);
            CHECK(env->badaddr, addr);
            CHECK(env->gpr[RV_A0], 0x66);
            CHECK(env->gpr[RV_A3], 42);
            CHECK(env->gpr[RV_A4], 0);
        }
        /* the readable page still reads */
        {
            Asm *a = rv_begin();

            rv_emit(a, rv_ld(RV_A0, RV_A1, 0));
            rv_end(a);
            env->gpr[RV_A1] = (uint64_t)(uintptr_t)pages + 4096;
            CHECK(rv_run((uint64_t)(uintptr_t)a->start), RISCV_EXCP_ECALL);
            CHECK(env->gpr[RV_A0], 0);
        }
    }
    rv_fault_handlers_restore(old);
    env->hdr.guest_addr_mask = 0;
    munmap(pages, 8192);
}

/* Decoder table and disassembler */

static void test_translate_decode_table(void **state)
{
    RISCVCPUConfig all = {.ext_c = true,
                          .ext_zba = true,
                          .ext_zbb = true,
                          .ext_zbc = true,
                          .ext_zbs = true,
                          .ext_zicond = true,
                          .ext_v = true,
                          .vlen = 128,
                          .elen = 64,
                          .ext_zfh = true};
    RISCVCPUConfig none = {.vlen = 128, .elen = 64};
    uint64_t st = 3;
    int bad = 0;

    (void)state;
    for (int i = 0; i < RISCV_OP_COUNT; i++) {
        const RiscvInsnInfo *e = &riscv_insn_info[i];
        DisasArgs d;

        if ((e->match & e->mask) != e->match) {
            print_message("entry %s: match has bits outside its mask\n",
                          e->name);
            bad++;
        }
        for (int k = 0; k < 17; k++) {
            uint32_t w =
                k ? e->match | ((uint32_t)rv_rand(&st) & ~e->mask) : e->match;

            if (!riscv_decode(&all, w, &d) || d.op != (RiscvOpc)i) {
                print_message("entry %s: %#010x decodes to %s\n", e->name, w,
                              riscv_decode(&all, w, &d)
                                  ? riscv_insn_info[d.op].name
                                  : "(illegal)");
                bad++;
                break;
            }
        }
        /* extensions beyond RV64G are off in "none" */
        {
            bool optional = e->ext == EXT_ZBA || e->ext == EXT_ZBB ||
                            e->ext == EXT_ZBC || e->ext == EXT_ZBS ||
                            e->ext == EXT_ZICOND || e->ext == EXT_V ||
                            e->ext == EXT_ZFH || e->ext == EXT_ZFHMIN;

            if (riscv_decode(&none, e->match, &d) == optional) {
                print_message("entry %s: decode with extensions off: %d\n",
                              e->name, !optional);
                bad++;
            }
        }
    }
    assert_int_equal(bad, 0);
}

static void test_translate_decode_fields(void **state)
{
    RISCVCPUConfig all = {.ext_c = true,
                          .ext_zba = true,
                          .ext_zbb = true,
                          .ext_zbc = true,
                          .ext_zbs = true,
                          .ext_zicond = true,
                          .ext_v = true,
                          .vlen = 128,
                          .elen = 64,
                          .ext_zfh = true};
    DisasArgs d;

    (void)state;
    CTX("decode fields");
    assert_true(riscv_decode(&all, rv_addi(RV_A0, RV_A1, -2048), &d));
    CHECK(d.op, RISCV_OP_addi);
    CHECK(d.rd, RV_A0);
    CHECK(d.rs1, RV_A1);
    CHECK(d.imm, -2048);
    assert_true(
        riscv_decode(&all, rv_s(RV_OPC_STORE, 3, RV_SP, RV_RA, -1), &d));
    CHECK(d.op, RISCV_OP_sd);
    CHECK(d.rs1, RV_SP);
    CHECK(d.rs2, RV_RA);
    CHECK(d.imm, -1);
    assert_true(riscv_decode(&all, rv_b(7, RV_A0, RV_A1, -4096), &d));
    CHECK(d.op, RISCV_OP_bgeu);
    CHECK(d.imm, -4096);
    assert_true(riscv_decode(&all, rv_b(0, RV_A0, RV_A1, 4094), &d));
    CHECK(d.imm, 4094);
    assert_true(riscv_decode(&all, rv_j(RV_RA, -(1 << 20)), &d));
    CHECK(d.op, RISCV_OP_jal);
    CHECK(d.imm, -(1 << 20));
    assert_true(riscv_decode(&all, rv_j(RV_RA, (1 << 20) - 2), &d));
    CHECK(d.imm, (1 << 20) - 2);
    assert_true(riscv_decode(&all, rv_lui(RV_T0, 0x80000), &d));
    CHECK(d.imm, (uint64_t)(int64_t)INT32_MIN);
    assert_true(
        riscv_decode(&all, rv_i(RV_OPC_OP_IMM, 5, 1, 2, 0x400 | 63), &d));
    CHECK(d.op, RISCV_OP_srai);
    CHECK(d.imm, 63);
    assert_true(riscv_decode(&all, rv_csr(6, RV_A0, 31, 0xc00), &d));
    CHECK(d.op, RISCV_OP_csrrsi);
    CHECK(d.csr, 0xc00);
    CHECK(d.imm, 31);
    assert_true(riscv_decode(&all, rv_r4(RV_OPC_NMADD, 1, 3, 1, 2, 3, 31), &d));
    CHECK(d.op, RISCV_OP_fnmadd_d);
    CHECK(d.rs3, 31);
    CHECK(d.rm, 3);
    assert_true(riscv_decode(&all, rv_amo(0x1c, 3, true, false, 1, 2, 3), &d));
    CHECK(d.op, RISCV_OP_amomaxu_d);
    CHECK(d.aq, 1);
    CHECK(d.rl, 0);
    assert_true(riscv_decode(&all, 0x8330000f, &d)); /* fence.tso */
    CHECK(d.op, RISCV_OP_fence);
    CHECK(d.fm, 8);
    CHECK(d.pred, 3);
    CHECK(d.succ, 3);
    assert_false(riscv_decode(&all, 0x00000000, &d));
    assert_false(riscv_decode(&all, 0x0001, &d));
}

static void test_translate_disas(void **state)
{
    RISCVCPUConfig cfg;
    char buf[96];
    static const struct {
        uint32_t insn;
        int len;
        uint64_t pc;
        const char *want;
    } cases[] = {
        {0xffc58513, 4, 0, "addi       a0,a1,-4"},
        {0x00b50463, 4, 0x1000, "beq        a0,a1,0x1008"},
        {0x12345537, 4, 0, "lui        a0,0x12345"},
        {0x800002b7, 4, 0, "lui        t0,0x80000"},
        {0xff010113, 4, 0, "addi       sp,sp,-16"},
        {0x00813823, 4, 0, "sd         s0,16(sp)"},
        {0x0005b503, 4, 0, "ld         a0,0(a1)"},
        {0x02b50533, 4, 0, "mul        a0,a0,a1"},
        {0x00c5f553, 4, 0, "fadd.s     fa0,fa1,fa2,dyn"},
        {0x0c05252f, 4, 0, "amoswap.w.aq a0,zero,(a0)"},
        {0x1005a52f, 4, 0, "lr.w       a0,(a1)"},
        {0x0ff0000f, 4, 0, "fence      iorw,iorw"},
        {0x00000073, 4, 0, "ecall      "},
        {0xc0002573, 4, 0, "csrrs      a0,0xc00,zero"},
        {0x6b855513, 4, 0, "rev8       a0,a0"},
        {0x0505, 2, 0, "c:addi       a0,a0,1"},
        {0x852e, 2, 0, "c:add        a0,zero,a1"},
        {0xa001, 2, 0x2000, "c:jal        zero,0x2000"},
        {0x0000, 2, 0, "illegal 0x0000"},
        {0xffffffff, 4, 0, "illegal 0xffffffff"},
        {0x0ec5d533, 4, 0, "illegal 0x0ec5d533"}, /* czero off by default */
    };

    (void)state;
    riscv_cpu_parse_model(NULL, &cfg);
    for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
        int n = riscv_disas(&cfg, cases[i].pc, cases[i].insn, cases[i].len, buf,
                            sizeof(buf));

        if (strcmp(buf, cases[i].want) != 0 || n != (int)strlen(buf)) {
            fail_msg("disas %#x: \"%s\" (%d), want \"%s\"", cases[i].insn, buf,
                     n, cases[i].want);
        }
    }
    /* every table entry prints its own name */
    cfg.ext_zicond = true;
    cfg.ext_v = true;
    cfg.ext_zfh = true;
    for (int i = 0; i < RISCV_OP_COUNT; i++) {
        const RiscvInsnInfo *e = &riscv_insn_info[i];
        char name[32];
        size_t l;

        for (l = 0; e->name[l]; l++) {
            name[l] = e->name[l] == '_' ? '.' : e->name[l];
        }
        name[l] = 0;
        riscv_disas(&cfg, 0, e->match, 4, buf, sizeof(buf));
        if (strncmp(buf, name, l) != 0 || (buf[l] != ' ' && buf[l] != '.')) {
            fail_msg("disas of %s's match: \"%s\"", e->name, buf);
        }
    }
    /* truncation is snprintf-like */
    assert_int_equal(riscv_disas(&cfg, 0, 0xffc58513, 4, buf, 5),
                     (int)strlen("addi       a0,a1,-4"));
    assert_string_equal(buf, "addi");
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
        cmocka_unit_test(test_translate_random_programs),
        cmocka_unit_test(test_translate_rvc_expand),
        cmocka_unit_test(test_translate_rvc_exec),
        cmocka_unit_test(test_translate_rvc_control),
        cmocka_unit_test(test_translate_rvc_page_cross),
        cmocka_unit_test(test_translate_rvc_illegal),
        cmocka_unit_test(test_translate_no_c),
        cmocka_unit_test(test_translate_csr_fp),
        cmocka_unit_test(test_translate_csr_counters),
        cmocka_unit_test(test_translate_fp_arith),
        cmocka_unit_test(test_translate_fp_fma),
        cmocka_unit_test(test_translate_fp_convert),
        cmocka_unit_test(test_translate_fp_nan_boxing),
        cmocka_unit_test(test_translate_fp_sign_inject),
        cmocka_unit_test(test_translate_fp_classify_compare),
        cmocka_unit_test(test_translate_fp_rounding),
        cmocka_unit_test(test_translate_fp_illegal_rm),
        cmocka_unit_test(test_translate_fp_flags_accrue),
        cmocka_unit_test(test_translate_ebreak),
        cmocka_unit_test(test_translate_illegal),
        cmocka_unit_test(test_translate_fence),
        cmocka_unit_test(test_translate_segv_above_guest_space),
        cmocka_unit_test(test_translate_segv_unmapped),
        cmocka_unit_test(test_translate_decode_table),
        cmocka_unit_test(test_translate_decode_fields),
        cmocka_unit_test(test_translate_disas),
        cmocka_unit_test(test_translate_long_block),
        cmocka_unit_test(test_translate_region_loop_depth),
        cmocka_unit_test(test_translate_region_split_nests),
        cmocka_unit_test(test_translate_three_returns_cached),
    };

    rv_harness_init(NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
