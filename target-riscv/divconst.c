/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Division by a constant: the multiplier and shift of a multiply-high
 * sequence (Granlund and Montgomery, "Division by invariant integers using
 * multiplication", 1994; Warren, "Hacker's Delight", 2nd ed., ch. 10;
 * Lemire, Kaser and Kurz, "Faster remainder by direct computation", 2019).
 *
 * divconst_plan() picks the form by divisor; the translator
 * (trans_rvm.c.inc, gen_div_const) emits the steps of divconst_eval() as
 * IR, one for one, so that the unit test of divconst_eval() against plain
 * division (tests/unit/test_divconst.c) covers the generated code's
 * arithmetic.  The RISC-V special cases are part of the plan: x / 0 is all
 * ones and x % 0 is x; INT_MIN / -1 is INT_MIN and INT_MIN % -1 is 0.  The
 * remainder is always n - q * d.
 *
 * The 32-bit forms take their extended operands: unsigned ones use
 * Lemire's 64-bit reciprocal (exact for every 32-bit dividend and
 * divisor), signed ones the 64-bit signed magic, exact for every 64-bit
 * dividend and so for the sign-extended 32-bit ones (where INT32_MIN / -1
 * is 2^31, whose low 32 bits are INT32_MIN as the spec wants).
 */
#include "target-riscv/divconst.h"

static bool is_pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

/* Hacker's Delight, figure 10-1, for 64 bits; |d| >= 2, not a power of 2. */
static void plan_signed_magic(DivConstPlan *p, int64_t d)
{
    const uint64_t two63 = 1ull << 63;
    uint64_t ad = d < 0 ? -(uint64_t)d : (uint64_t)d;
    uint64_t t = two63 + ((uint64_t)d >> 63);
    /* ad >= 3 (callers plan 0, +-1 and powers of two otherwise) */
    // cppcheck-suppress zerodivcond
    uint64_t anc = t - 1 - t % ad;
    uint64_t q1 = two63 / anc, r1 = two63 - q1 * anc;
    // cppcheck-suppress zerodivcond
    uint64_t q2 = two63 / ad, r2 = two63 - q2 * ad;
    uint64_t delta;
    int s = 63;

    do {
        s++;
        q1 *= 2;
        r1 *= 2;
        if (r1 >= anc) {
            q1++;
            r1 -= anc;
        }
        q2 *= 2;
        r2 *= 2;
        if (r2 >= ad) {
            q2++;
            r2 -= ad;
        }
        delta = ad - r2;
    } while (q1 < delta || (q1 == delta && r1 == 0));
    p->m = q2 + 1;
    if (d < 0) {
        p->m = -p->m;
    }
    p->shift = s - 64;
    p->add = (d > 0 && (int64_t)p->m < 0)   ? 1
             : (d < 0 && (int64_t)p->m > 0) ? -1
                                            : 0;
    p->kind = DIVC_MAGS;
}

static void plan_unsigned(DivConstPlan *p, uint64_t d, bool w)
{
    if (is_pow2(d)) {
        p->kind = DIVC_POW2U;
        p->shift = __builtin_ctzll(d);
    } else if (w) {
        p->kind = DIVC_LEMIRE;
        p->m = UINT64_MAX / d + 1;
    } else {
        int l = 64 - __builtin_clzll(d - 1); /* ceil(log2 d), 2..64 */
        unsigned __int128 num = ((unsigned __int128)1 << l) - d; /* < d */

        p->kind = DIVC_GM;
        p->m = (uint64_t)((num << 64) / d) + 1;
        p->shift = l - 1;
    }
}

void divconst_plan(DivConstPlan *p, uint64_t d, bool sign, bool w)
{
    *p = (DivConstPlan){0};
    if (w) {
        d = sign ? (uint64_t)(int64_t)(int32_t)d : (uint32_t)d;
    }
    p->d = d;
    if (d == 0) {
        p->kind = DIVC_ZERO;
    } else if (!sign) {
        plan_unsigned(p, d, w);
    } else if ((int64_t)d == -1) {
        p->kind = DIVC_NEG;
    } else if (is_pow2(d) || is_pow2(-d)) {
        /* -d of INT64_MIN is 2^63 as unsigned: a power of two as well */
        p->kind = DIVC_POW2S;
        p->neg = (int64_t)d < 0;
        p->shift = __builtin_ctzll(d);
    } else {
        plan_signed_magic(p, (int64_t)d);
    }
}

static uint64_t muluh(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static uint64_t mulsh(uint64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)(int64_t)a * (int64_t)b) >> 64);
}

/* Arithmetic right shift of a 64-bit value (defined for negative ones). */
static uint64_t sar64(uint64_t x, int s)
{
    return (int64_t)x < 0 ? ~(~x >> s) : x >> s;
}

static uint64_t quotient(const DivConstPlan *p, uint64_t n)
{
    uint64_t q, t;

    switch (p->kind) {
    case DIVC_ZERO:
        return UINT64_MAX;
    case DIVC_NEG:
        return -n;
    case DIVC_POW2U:
        return n >> p->shift;
    case DIVC_POW2S:
        /* bias negative dividends by 2^shift - 1 so the shift truncates */
        t = p->shift ? sar64(n, 63) >> (64 - p->shift) : 0;
        q = sar64(n + t, p->shift);
        return p->neg ? -q : q;
    case DIVC_LEMIRE:
        return muluh(n, p->m);
    case DIVC_GM:
        t = muluh(n, p->m);
        return (t + ((n - t) >> 1)) >> p->shift;
    case DIVC_MAGS:
    default:
        q = mulsh(n, p->m);
        q += p->add > 0 ? n : p->add < 0 ? -n : 0;
        q = sar64(q, p->shift);
        return q + (q >> 63);
    }
}

uint64_t divconst_eval(const DivConstPlan *p, uint64_t n, bool rem)
{
    if (!rem) {
        return quotient(p, n);
    }
    switch (p->kind) {
    case DIVC_ZERO:
        return n;
    case DIVC_NEG:
        return 0;
    case DIVC_POW2U:
        return n & (p->d - 1);
    case DIVC_LEMIRE:
        return muluh(n * p->m, p->d);
    default:
        return n - quotient(p, n) * p->d;
    }
}
