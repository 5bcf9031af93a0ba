/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The inline FP fast path (target-riscv/trans_rvf.c.inc, gen_fp_arith):
 * add, sub, mul, div, sqrt and the fused multiply-adds, single and
 * double, in every rounding mode, on operands around the edges of the
 * path's conditions (tiny, subnormal, huge, infinite, NaN, zero, results
 * next to the smallest normal and the largest finite number, singles that
 * are not NaN-boxed).
 *
 * Self-check: each operation runs twice, once with fflags = NX (where
 * ctcg may take the fast path) and once with fflags = 0 (where it cannot);
 * the results must be equal and the flags must differ by NX only.  The
 * program also prints every result and flag set, for comparison with
 * qemu-riscv64.
 */
#include <inttypes.h>
#include <stdio.h>

static const uint64_t dvals[] = {
    0x3ff0000000000000ull, 0xbff8000000000000ull, 0x400921fb54442d18ull,
    0x3fb999999999999aull, 0x0000000000000001ull, 0x000fffffffffffffull,
    0x0010000000000000ull, 0x0010000000000001ull, 0x3ca0000000000000ull,
    0x7fefffffffffffffull, 0x7fe0000000000000ull, 0x2000000000000000ull,
    0x0000000000000000ull, 0x8000000000000000ull, 0x7ff0000000000000ull,
    0xfff0000000000000ull, 0x7ff8000000000000ull, 0x7ff0000000000001ull,
    0x5fe0000000000001ull, 0x2010000000000001ull, 0xc000000000000000ull,
};

/* singles, NaN-boxed except the last two */
static const uint64_t svals[] = {
    0xffffffff3f800000ull, 0xffffffffbfc00000ull, 0xffffffff40490fdbull,
    0xffffffff3dcccccdull, 0xffffffff00000001ull, 0xffffffff007fffffull,
    0xffffffff00800000ull, 0xffffffff00800001ull, 0xffffffff33800000ull,
    0xffffffff7f7fffffull, 0xffffffff7f000000ull, 0xffffffff20000000ull,
    0xffffffff00000000ull, 0xffffffff80000000ull, 0xffffffff7f800000ull,
    0xffffffffff800000ull, 0xffffffff7fc00000ull, 0xffffffff7f800001ull,
    0xffffffff5f000001ull, 0xffffffff20800001ull, 0xffffffffc0000000ull,
    0x000000003f800000ull, 0x7fffffff40000000ull,
};

#define NV(a) (sizeof(a) / sizeof(a[0]))

static int fails, checks;

/* One instruction in rounding mode RM on a, b, c; returns fd and fflags. */
#define OP3(name, insn, rm)                                                    \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c, unsigned fl,      \
                         unsigned *out)                                        \
    {                                                                          \
        uint64_t r;                                                            \
        __asm__ volatile("fmv.d.x ft0, %2\n\t"                                 \
                         "fmv.d.x ft1, %3\n\t"                                 \
                         "fmv.d.x ft2, %4\n\t"                                 \
                         "fsflags %5\n\t" insn " ft3, ft0, ft1, ft2" rm "\n\t" \
                         "fmv.x.d %0, ft3\n\t"                                 \
                         "frflags %1"                                          \
                         : "=&r"(r), "=&r"(*out)                               \
                         : "r"(a), "r"(b), "r"(c), "r"(fl)                     \
                         : "ft0", "ft1", "ft2", "ft3");                        \
        return r;                                                              \
    }
#define OP2(name, insn, rm)                                               \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c, unsigned fl, \
                         unsigned *out)                                   \
    {                                                                     \
        uint64_t r;                                                       \
        (void)c;                                                          \
        __asm__ volatile("fmv.d.x ft0, %2\n\t"                            \
                         "fmv.d.x ft1, %3\n\t"                            \
                         "fsflags %4\n\t" insn " ft3, ft0, ft1" rm "\n\t" \
                         "fmv.x.d %0, ft3\n\t"                            \
                         "frflags %1"                                     \
                         : "=&r"(r), "=&r"(*out)                          \
                         : "r"(a), "r"(b), "r"(fl)                        \
                         : "ft0", "ft1", "ft3");                          \
        return r;                                                         \
    }
#define OP1(name, insn, rm)                                               \
    static uint64_t name(uint64_t a, uint64_t b, uint64_t c, unsigned fl, \
                         unsigned *out)                                   \
    {                                                                     \
        uint64_t r;                                                       \
        (void)b, (void)c;                                                 \
        __asm__ volatile("fmv.d.x ft0, %2\n\t"                            \
                         "fsflags %3\n\t" insn " ft3, ft0" rm "\n\t"      \
                         "fmv.x.d %0, ft3\n\t"                            \
                         "frflags %1"                                     \
                         : "=&r"(r), "=&r"(*out)                          \
                         : "r"(a), "r"(fl)                                \
                         : "ft0", "ft3");                                 \
        return r;                                                         \
    }

/* Each operation with the dynamic mode and with static rne and rup. */
#define FORMS(OP, name, insn)     \
    OP(name##_dyn, insn, "")      \
    OP(name##_rne, insn, ", rne") \
    OP(name##_rup, insn, ", rup")

FORMS(OP2, fadd_d, "fadd.d")
FORMS(OP2, fsub_d, "fsub.d")
FORMS(OP2, fmul_d, "fmul.d")
FORMS(OP2, fdiv_d, "fdiv.d")
FORMS(OP1, fsqrt_d, "fsqrt.d")
FORMS(OP3, fmadd_d, "fmadd.d")
FORMS(OP3, fmsub_d, "fmsub.d")
FORMS(OP3, fnmsub_d, "fnmsub.d")
FORMS(OP3, fnmadd_d, "fnmadd.d")
FORMS(OP2, fadd_s, "fadd.s")
FORMS(OP2, fsub_s, "fsub.s")
FORMS(OP2, fmul_s, "fmul.s")
FORMS(OP2, fdiv_s, "fdiv.s")
FORMS(OP1, fsqrt_s, "fsqrt.s")
FORMS(OP3, fmadd_s, "fmadd.s")
FORMS(OP3, fmsub_s, "fmsub.s")
FORMS(OP3, fnmsub_s, "fnmsub.s")
FORMS(OP3, fnmadd_s, "fnmadd.s")

typedef uint64_t (*OpFn)(uint64_t, uint64_t, uint64_t, unsigned, unsigned *);

typedef struct Op {
    const char *name;
    OpFn fn[3];
    int single;
} Op;

#define ENTRY(name, s)                                  \
    {                                                   \
#name, {name##_dyn, name##_rne, name##_rup }, s \
    }

static const Op ops[] = {
    ENTRY(fadd_d, 0),  ENTRY(fsub_d, 0),   ENTRY(fmul_d, 0),
    ENTRY(fdiv_d, 0),  ENTRY(fsqrt_d, 0),  ENTRY(fmadd_d, 0),
    ENTRY(fmsub_d, 0), ENTRY(fnmsub_d, 0), ENTRY(fnmadd_d, 0),
    ENTRY(fadd_s, 1),  ENTRY(fsub_s, 1),   ENTRY(fmul_s, 1),
    ENTRY(fdiv_s, 1),  ENTRY(fsqrt_s, 1),  ENTRY(fmadd_s, 1),
    ENTRY(fmsub_s, 1), ENTRY(fnmsub_s, 1), ENTRY(fnmadd_s, 1),
};

static void set_frm(unsigned rm)
{
    __asm__ volatile("fsrm %0" : : "r"(rm));
}

static unsigned long hash = 5381;

static void run_one(const Op *op, int form, uint64_t a, uint64_t b, uint64_t c)
{
    unsigned f_fast, f_slow;
    uint64_t r_fast = op->fn[form](a, b, c, 1, &f_fast);
    uint64_t r_slow = op->fn[form](a, b, c, 0, &f_slow);

    checks++;
    if (r_fast != r_slow || f_fast != (f_slow | 1)) {
        if (fails++ < 20) {
            printf("FAIL %s form %d a=%016" PRIx64 " b=%016" PRIx64
                   " c=%016" PRIx64 ": %016" PRIx64 "/%x vs %016" PRIx64
                   "/%x\n",
                   op->name, form, a, b, c, r_fast, f_fast, r_slow, f_slow);
        }
    }
    hash = (hash * 33) ^ r_fast ^ ((uint64_t)f_fast << 59) ^
           ((uint64_t)f_slow << 54);
}

int main(void)
{
    static const unsigned frms[] = {0, 1, 3};

    for (unsigned m = 0; m < NV(frms); m++) {
        set_frm(frms[m]);
        for (unsigned k = 0; k < NV(ops); k++) {
            const Op *op = &ops[k];
            const uint64_t *v = op->single ? svals : dvals;
            unsigned n = op->single ? NV(svals) : NV(dvals);

            hash = 5381;
            for (int form = 0; form < 3; form++) {
                for (unsigned i = 0; i < n; i++) {
                    for (unsigned j = 0; j < n; j++) {
                        run_one(op, form, v[i], v[j], v[(i * 7 + j) % n]);
                    }
                }
            }
            printf("frm %u %-9s %016lx\n", frms[m], op->name, hash);
        }
    }
    set_frm(0);
    printf("%d checks, %d failures\n", checks, fails);
    return fails != 0;
}
