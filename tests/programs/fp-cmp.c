/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FP compares (target-riscv/trans_rvf.c.inc, gen_fp_cmp): feq, flt and fle,
 * single and double, on every pair of edge operands (zeros of both signs,
 * subnormals, normals of both signs next to each other, the largest finite
 * numbers, infinities, quiet and signalling NaNs of both signs, singles
 * that are not NaN-boxed), with fflags cleared before each.  ctcg does them
 * inline (the host's ucomisd/ucomiss, the fpcmp op; integer IR on hosts
 * without the FP fast path) unless an operand is a NaN.
 *
 * Self-check: each result and the flags are checked against a reference
 * written from the spec (sign and magnitude compared case by case, NV for
 * any NaN in flt/fle and for a signalling NaN in feq, an improperly boxed
 * single read as the canonical NaN).  Every pair runs several times, so
 * that the code is also translated hot.  The program prints a hash of the
 * results per instruction, for comparison with qemu-riscv64.
 */
#include <inttypes.h>
#include <stdio.h>

static const uint64_t dvals[] = {
    0x0000000000000000ull, 0x8000000000000000ull, 0x0000000000000001ull,
    0x8000000000000001ull, 0x000fffffffffffffull, 0x800fffffffffffffull,
    0x0010000000000000ull, 0x3ff0000000000000ull, 0x3ff0000000000001ull,
    0xbff0000000000000ull, 0xbff0000000000001ull, 0x4000000000000000ull,
    0xc000000000000000ull, 0x7fefffffffffffffull, 0xffefffffffffffffull,
    0x7ff0000000000000ull, 0xfff0000000000000ull, 0x7ff8000000000000ull,
    0xfff8000000000000ull, 0x7ff0000000000001ull, 0xfff4000000000000ull,
    0x7ff8000000000001ull,
};

/* singles: NaN-boxed except the last three */
static const uint64_t svals[] = {
    0xffffffff00000000ull, 0xffffffff80000000ull, 0xffffffff00000001ull,
    0xffffffff80000001ull, 0xffffffff007fffffull, 0xffffffff807fffffull,
    0xffffffff00800000ull, 0xffffffff3f800000ull, 0xffffffff3f800001ull,
    0xffffffffbf800000ull, 0xffffffffbf800001ull, 0xffffffff40000000ull,
    0xffffffffc0000000ull, 0xffffffff7f7fffffull, 0xffffffffff7fffffull,
    0xffffffff7f800000ull, 0xffffffffff800000ull, 0xffffffff7fc00000ull,
    0xffffffffffc00000ull, 0xffffffff7f800001ull, 0xffffffffffa00000ull,
    0x000000003f800000ull, 0x7fffffff3f800000ull, 0xfffffffe00000000ull,
};

#define NV(a) (sizeof(a) / sizeof(a[0]))
#define FLAG_NV 0x10u

static int fails, checks;

#define CMP(name, insn)                                              \
    static uint64_t name(uint64_t a, uint64_t b, unsigned *fl)       \
    {                                                                \
        uint64_t r;                                                  \
        __asm__ volatile("fmv.d.x ft0, %2\n\t"                       \
                         "fmv.d.x ft1, %3\n\t"                       \
                         "fsflags zero\n\t" insn " %0, ft0, ft1\n\t" \
                         "frflags %1"                                \
                         : "=&r"(r), "=&r"(*fl)                      \
                         : "r"(a), "r"(b)                            \
                         : "ft0", "ft1");                            \
        return r;                                                    \
    }

CMP(feq_d, "feq.d")
CMP(flt_d, "flt.d")
CMP(fle_d, "fle.d")
CMP(feq_s, "feq.s")
CMP(flt_s, "flt.s")
CMP(fle_s, "fle.s")

typedef uint64_t (*CmpFn)(uint64_t, uint64_t, unsigned *);

/* The operand as the instruction reads it: singles unboxed. */
typedef struct {
    uint64_t mag;
    int neg, nan, snan;
} Val;

static Val decode(uint64_t x, int single)
{
    Val v;

    if (single) {
        if (x >> 32 != 0xffffffffu) {
            x = 0x7fc00000u; /* improperly boxed: the canonical NaN */
        }
        x &= 0xffffffffu;
        v.neg = (int)(x >> 31);
        v.mag = x & 0x7fffffffu;
        v.nan = v.mag > 0x7f800000u;
        v.snan = v.nan && !(x & 0x00400000u);
    } else {
        v.neg = (int)(x >> 63);
        v.mag = x & 0x7fffffffffffffffull;
        v.nan = v.mag > 0x7ff0000000000000ull;
        v.snan = v.nan && !(x & 0x0008000000000000ull);
    }
    return v;
}

/* -1, 0, 1: the order of two non-NaN values. */
static int order(Val a, Val b)
{
    if (a.mag == 0 && b.mag == 0) {
        return 0;
    }
    if (a.neg != b.neg) {
        return a.neg ? -1 : 1;
    }
    if (a.mag == b.mag) {
        return 0;
    }
    return (a.mag < b.mag) != a.neg ? -1 : 1;
}

/* kind 0: feq, 1: flt, 2: fle; the expected result and flags. */
static uint64_t reference(int kind, uint64_t x, uint64_t y, int single,
                          unsigned *fl)
{
    Val a = decode(x, single), b = decode(y, single);
    int o;

    if (a.nan || b.nan) {
        *fl = kind == 0 ? ((a.snan || b.snan) ? FLAG_NV : 0) : FLAG_NV;
        return 0;
    }
    *fl = 0;
    o = order(a, b);
    return kind == 0 ? o == 0 : kind == 1 ? o < 0 : o <= 0;
}

static const struct {
    const char *name;
    CmpFn fn;
    int kind, single;
} ops[] = {
    {"feq.d", feq_d, 0, 0}, {"flt.d", flt_d, 1, 0}, {"fle.d", fle_d, 2, 0},
    {"feq.s", feq_s, 0, 1}, {"flt.s", flt_s, 1, 1}, {"fle.s", fle_s, 2, 1},
};

int main(void)
{
    for (unsigned k = 0; k < NV(ops); k++) {
        const uint64_t *v = ops[k].single ? svals : dvals;
        unsigned n = ops[k].single ? NV(svals) : NV(dvals);
        unsigned long hash = 5381;

        for (int rep = 0; rep < 4; rep++) {
            for (unsigned i = 0; i < n; i++) {
                for (unsigned j = 0; j < n; j++) {
                    unsigned fl, efl;
                    uint64_t r = ops[k].fn(v[i], v[j], &fl);
                    uint64_t e =
                        reference(ops[k].kind, v[i], v[j], ops[k].single, &efl);

                    checks++;
                    if ((r != e || fl != efl) && fails++ < 20) {
                        printf("FAIL %s %016" PRIx64 " %016" PRIx64 ": %" PRIu64
                               "/%x, expected %" PRIu64 "/%x\n",
                               ops[k].name, v[i], v[j], r, fl, e, efl);
                    }
                    hash = (hash * 33) ^ r ^ ((unsigned long)fl << 8);
                }
            }
        }
        printf("%s %016lx\n", ops[k].name, hash);
    }
    printf("%d checks, %d failures\n", checks, fails);
    return fails != 0;
}
