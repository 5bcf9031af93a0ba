/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Portable software binary32/binary64 arithmetic with RISC-V semantics.
 *
 * Design.  Both formats share one implementation, parameterized by a small
 * format descriptor (FFmt) that the compiler constant-folds into each
 * wrapper.  An operand is unpacked into FParts: class, sign, an unbiased
 * exponent and, for finite nonzero values, a 64-bit significand normalized
 * so that bit 63 is the leading one (value = frac / 2^63 * 2^exp).
 * Subnormal inputs are normalized on unpacking, so the operations only see
 * normal numbers.
 *
 * Each operation produces an exact or "sticky" result: a significand with
 * bit 63 set whose bit 0 is ORed with every bit shifted out below it, with
 * at least 10 bits below the rounding position.  round_pack() then rounds
 * once, in any of the five modes, detecting tininess after rounding as
 * RISC-V requires, and raises NX/UF/OF.  Products and the fused
 * multiply-add use 128-bit intermediates (unsigned __int128), division a
 * 128/64-bit integer division, square root an integer Newton iteration.
 *
 * NaNs follow RISC-V (QEMU's default-NaN mode): any NaN result is the
 * canonical NaN, sNaN operands raise NV, as do the invalid operations
 * (inf - inf, 0 * inf, 0/0, inf/inf, sqrt(-x), and inf * 0 + c even when
 * c is a quiet NaN).
 */
#include <stdbool.h>
#include <stdint.h>

#include "target-riscv/fpu/fpu.h"
#include "target-riscv/fpu/softfloat.h"

typedef unsigned __int128 u128;

typedef enum {
    FC_ZERO,
    FC_NORMAL,
    FC_INF,
    FC_QNAN,
    FC_SNAN,
} FClass;

typedef struct {
    uint64_t frac; /* FC_NORMAL: bit 63 set; otherwise 0 */
    int exp;       /* unbiased: value = frac / 2^63 * 2^exp */
    bool sign;
    FClass cls;
} FParts;

typedef struct {
    int frac_bits; /* stored fraction bits: 23, 52 */
    int exp_bits;  /* 8, 11 */
    int bias;      /* 127, 1023 */
    uint64_t default_nan;
} FFmt;

static const FFmt fmt_s = {23, 8, 127, FPU_DEFAULT_NAN_S};
static const FFmt fmt_d = {52, 11, 1023, FPU_DEFAULT_NAN_D};

#define EXP_MAX(f) ((1 << (f)->exp_bits) - 1)
#define FRAC_MASK(f) ((1ull << (f)->frac_bits) - 1)
#define SIGN_BIT(f) (1ull << ((f)->frac_bits + (f)->exp_bits))

static inline bool is_nan(FClass c)
{
    return c >= FC_QNAN;
}

static inline int clz64(uint64_t x)
{
    return __builtin_clzll(x);
}

static inline int clz128(u128 x)
{
    uint64_t hi = x >> 64;
    return hi ? clz64(hi) : 64 + clz64((uint64_t)x);
}

/* Shift right by @n, ORing everything shifted out into bit 0. */
static inline uint64_t shr_jam64(uint64_t x, int n)
{
    if (n == 0) {
        return x;
    }
    if (n >= 64) {
        return x != 0;
    }
    return (x >> n) | ((x << (64 - n)) != 0);
}

static inline u128 shr_jam128(u128 x, int n)
{
    if (n == 0) {
        return x;
    }
    if (n >= 128) {
        return x != 0;
    }
    return (x >> n) | ((x << (128 - n)) != 0);
}

/* Fold a 128-bit significand (bit 127 set) into 64 bits with sticky. */
static inline uint64_t narrow_jam(u128 x)
{
    return (uint64_t)(x >> 64) | ((uint64_t)x != 0);
}

static inline FParts unpack(const FFmt *f, uint64_t bits)
{
    FParts p;
    uint64_t mant = bits & FRAC_MASK(f);
    int e = (bits >> f->frac_bits) & EXP_MAX(f);

    p.sign = (bits & SIGN_BIT(f)) != 0;
    p.frac = 0;
    p.exp = 0;
    if (e == EXP_MAX(f)) {
        if (mant == 0) {
            p.cls = FC_INF;
        } else {
            p.cls = (mant >> (f->frac_bits - 1)) ? FC_QNAN : FC_SNAN;
        }
    } else if (e == 0) {
        if (mant == 0) {
            p.cls = FC_ZERO;
        } else {
            int s = clz64(mant);
            p.cls = FC_NORMAL;
            p.frac = mant << s;
            p.exp = 64 - f->bias - f->frac_bits - s;
        }
    } else {
        p.cls = FC_NORMAL;
        p.frac = (mant | (1ull << f->frac_bits)) << (63 - f->frac_bits);
        p.exp = e - f->bias;
    }
    return p;
}

static inline uint64_t pack_inf(const FFmt *f, bool sign)
{
    return (sign ? SIGN_BIT(f) : 0) | ((uint64_t)EXP_MAX(f) << f->frac_bits);
}

static inline uint64_t pack_zero(const FFmt *f, bool sign)
{
    return sign ? SIGN_BIT(f) : 0;
}

/* Replace the sign of a (non-NaN) bit pattern. */
static inline uint64_t with_sign(const FFmt *f, uint64_t bits, bool sign)
{
    return (bits & ~SIGN_BIT(f)) | (sign ? SIGN_BIT(f) : 0);
}

/* The canonical NaN, raising NV if @invalid. */
static inline uint64_t nan_result(const FFmt *f, bool invalid, uint32_t *flags)
{
    if (invalid) {
        *flags |= FPU_FLAG_NV;
    }
    return f->default_nan;
}

/* The increment that rounds at a position with round-bit mask @rmask. */
static inline uint64_t round_inc(int rm, bool sign, uint64_t rmask)
{
    switch (rm) {
    case FPU_RM_RNE:
    case FPU_RM_RMM:
        return (rmask >> 1) + 1;
    case FPU_RM_RDN:
        return sign ? rmask : 0;
    case FPU_RM_RUP:
        return sign ? 0 : rmask;
    default:
        return 0;
    }
}

static uint64_t overflow_result(const FFmt *f, bool sign, int rm,
                                uint32_t *flags)
{
    *flags |= FPU_FLAG_OF | FPU_FLAG_NX;
    if (rm == FPU_RM_RTZ || (rm == FPU_RM_RDN && !sign) ||
        (rm == FPU_RM_RUP && sign)) {
        /* largest finite: exponent field EXP_MAX - 1, fraction all ones */
        return pack_inf(f, sign) - 1;
    }
    return pack_inf(f, sign);
}

/*
 * Round sign * frac / 2^63 * 2^exp (frac bit 63 set, sticky in bit 0) to
 * the format and pack it.  Tininess is detected after rounding: a result
 * is tiny if rounding it with an unbounded exponent range would give a
 * magnitude below the smallest normal.  UF is raised only when tiny and
 * inexact.
 */
static uint64_t round_pack(const FFmt *f, bool sign, int exp, uint64_t frac,
                           int rm, uint32_t *flags)
{
    const int shift = 63 - f->frac_bits;
    const uint64_t rmask = (1ull << shift) - 1;
    const uint64_t half = 1ull << (shift - 1);
    const int emin = 1 - f->bias;
    const uint64_t sbit = sign ? SIGN_BIT(f) : 0;
    uint64_t inc = round_inc(rm, sign, rmask);
    uint64_t rbits;

    if (exp >= emin) {
        rbits = frac & rmask;
        if (frac + inc < frac) {
            /* carries out: rounds up to the next power of two */
            frac = 1ull << 63;
            exp++;
        } else {
            frac += inc;
            if (rm == FPU_RM_RNE && rbits == half) {
                frac &= ~(1ull << shift);
            }
        }
        if (exp > f->bias) {
            return overflow_result(f, sign, rm, flags);
        }
        if (rbits) {
            *flags |= FPU_FLAG_NX;
        }
        /* the leading one adds 1 to the exponent field */
        return sbit | (((uint64_t)(exp + f->bias - 1) << f->frac_bits) +
                       (frac >> shift));
    }

    /* Below the normal range: denormalize, then round at the same bit. */
    bool tiny = !(exp == emin - 1 && frac + inc < frac);
    frac = shr_jam64(frac, emin - exp);
    rbits = frac & rmask;
    frac += inc;
    if (rm == FPU_RM_RNE && rbits == half) {
        frac &= ~(1ull << shift);
    }
    if (rbits) {
        *flags |= FPU_FLAG_NX;
        if (tiny) {
            *flags |= FPU_FLAG_UF;
        }
    }
    /* a carry into bit frac_bits makes it the smallest normal */
    return sbit | (frac >> shift);
}

/* ---------------------------------------------------------------------- */
/* add, sub, mul, div, sqrt                                                */

static uint64_t add_normal(const FFmt *f, FParts a, FParts b, int rm,
                           uint32_t *flags)
{
    if (a.exp < b.exp || (a.exp == b.exp && a.frac < b.frac)) {
        FParts t = a;
        a = b;
        b = t;
    }
    uint64_t bf = shr_jam64(b.frac, a.exp - b.exp);
    uint64_t frac;
    int exp = a.exp;

    if (a.sign == b.sign) {
        frac = a.frac + bf;
        if (frac < a.frac) {
            frac = (frac >> 1) | (frac & 1) | (1ull << 63);
            exp++;
        }
    } else {
        frac = a.frac - bf;
        if (frac == 0) {
            return pack_zero(f, rm == FPU_RM_RDN);
        }
        int s = clz64(frac);
        frac <<= s;
        exp -= s;
    }
    return round_pack(f, a.sign, exp, frac, rm, flags);
}

static inline uint64_t addsub(const FFmt *f, uint64_t ab, uint64_t bb,
                              bool negate_b, int rm, uint32_t *flags)
{
    FParts a = unpack(f, ab);
    FParts b = unpack(f, bb);

    b.sign ^= negate_b;
    if (a.cls == FC_NORMAL && b.cls == FC_NORMAL) {
        return add_normal(f, a, b, rm, flags);
    }
    if (is_nan(a.cls) || is_nan(b.cls)) {
        return nan_result(f, a.cls == FC_SNAN || b.cls == FC_SNAN, flags);
    }
    if (a.cls == FC_INF) {
        if (b.cls == FC_INF && a.sign != b.sign) {
            return nan_result(f, true, flags);
        }
        return pack_inf(f, a.sign);
    }
    if (b.cls == FC_INF) {
        return pack_inf(f, b.sign);
    }
    if (a.cls == FC_ZERO && b.cls == FC_ZERO) {
        return pack_zero(f, a.sign == b.sign ? a.sign : rm == FPU_RM_RDN);
    }
    if (b.cls == FC_ZERO) {
        return ab;
    }
    return with_sign(f, bb, b.sign);
}

static inline uint64_t mul(const FFmt *f, uint64_t ab, uint64_t bb, int rm,
                           uint32_t *flags)
{
    FParts a = unpack(f, ab);
    FParts b = unpack(f, bb);
    bool sign = a.sign ^ b.sign;

    if (a.cls == FC_NORMAL && b.cls == FC_NORMAL) {
        u128 p = (u128)a.frac * b.frac;
        int exp = a.exp + b.exp + 1;

        if (!(p >> 127)) {
            p <<= 1;
            exp--;
        }
        return round_pack(f, sign, exp, narrow_jam(p), rm, flags);
    }
    if (is_nan(a.cls) || is_nan(b.cls)) {
        return nan_result(f, a.cls == FC_SNAN || b.cls == FC_SNAN, flags);
    }
    if (a.cls == FC_INF || b.cls == FC_INF) {
        if (a.cls == FC_ZERO || b.cls == FC_ZERO) {
            return nan_result(f, true, flags);
        }
        return pack_inf(f, sign);
    }
    return pack_zero(f, sign);
}

static inline uint64_t divide(const FFmt *f, uint64_t ab, uint64_t bb, int rm,
                              uint32_t *flags)
{
    FParts a = unpack(f, ab);
    FParts b = unpack(f, bb);
    bool sign = a.sign ^ b.sign;

    if (a.cls == FC_NORMAL && b.cls == FC_NORMAL) {
        int exp = a.exp - b.exp;
        u128 n = (u128)a.frac << 63;

        if (a.frac < b.frac) {
            n <<= 1;
            exp--;
        }
        /* quotient in [2^63, 2^64) */
        uint64_t q = (uint64_t)(n / b.frac);
        uint64_t r = (uint64_t)(n % b.frac);
        return round_pack(f, sign, exp, q | (r != 0), rm, flags);
    }
    if (is_nan(a.cls) || is_nan(b.cls)) {
        return nan_result(f, a.cls == FC_SNAN || b.cls == FC_SNAN, flags);
    }
    if (a.cls == FC_INF) {
        if (b.cls == FC_INF) {
            return nan_result(f, true, flags);
        }
        return pack_inf(f, sign);
    }
    if (b.cls == FC_ZERO) {
        if (a.cls == FC_ZERO) {
            return nan_result(f, true, flags);
        }
        *flags |= FPU_FLAG_DZ;
        return pack_inf(f, sign);
    }
    /* 0 / x, x / inf */
    return pack_zero(f, sign);
}

/*
 * floor(sqrt(n)) for n in [2^126, 2^128); *inexact if it was not exact.
 * Newton's iteration on the high half from a chord (an underestimate by
 * at most 6.1%) gives ~32 good bits, one 128-bit step ~62, and a final
 * correction by comparing squares makes it exact.
 */
static uint64_t isqrt128(u128 n, bool *inexact)
{
    uint64_t hi = n >> 64;
    uint64_t x = (1ull << 31) + (hi - (1ull << 62)) / (3ull << 31);
    u128 r;
    uint64_t s;

    for (int i = 0; i < 4; i++) {
        x = (x + hi / x) >> 1;
    }
    r = (u128)x << 32;
    r = (r + n / r) >> 1;
    s = (r >> 64) ? UINT64_MAX : (uint64_t)r;
    while ((u128)s * s > n) {
        s--;
    }
    while (s != UINT64_MAX && (u128)(s + 1) * (s + 1) <= n) {
        s++;
    }
    *inexact = (u128)s * s != n;
    return s;
}

static inline uint64_t sqrt_(const FFmt *f, uint64_t ab, int rm,
                             uint32_t *flags)
{
    FParts a = unpack(f, ab);

    if (is_nan(a.cls)) {
        return nan_result(f, a.cls == FC_SNAN, flags);
    }
    if (a.cls == FC_ZERO) {
        return ab;
    }
    if (a.sign) {
        return nan_result(f, true, flags);
    }
    if (a.cls == FC_INF) {
        return ab;
    }
    /*
     * sqrt(frac / 2^63 * 2^exp): with an even exponent the root of
     * frac * 2^63 is the new significand, with an odd one the root of
     * frac * 2^64 (and exp - 1); either way it is in [2^63, 2^64).
     */
    bool inexact;
    u128 n = (u128)a.frac << ((a.exp & 1) ? 64 : 63);
    uint64_t r = isqrt128(n, &inexact);
    return round_pack(f, false, a.exp >> 1, r | inexact, rm, flags);
}

/* ---------------------------------------------------------------------- */
/* fused multiply-add                                                      */

/* Exact product (bit 127 set) + c, rounded once. */
static uint64_t muladd_normal(const FFmt *f, FParts a, FParts b, FParts c,
                              bool psign, int rm, uint32_t *flags)
{
    u128 x = (u128)a.frac * b.frac;
    int ex = a.exp + b.exp + 1;
    bool sx = psign;

    if (!(x >> 127)) {
        x <<= 1;
        ex--;
    }
    if (c.cls == FC_ZERO) {
        return round_pack(f, sx, ex, narrow_jam(x), rm, flags);
    }

    u128 y = (u128)c.frac << 64;
    int ey = c.exp;
    bool sy = c.sign;

    if (ey > ex || (ey == ex && y > x)) {
        u128 t = x;
        x = y;
        y = t;
        int te = ex;
        ex = ey;
        ey = te;
        bool ts = sx;
        sx = sy;
        sy = ts;
    }
    y = shr_jam128(y, ex - ey);
    if (sx == sy) {
        u128 s = x + y;
        if (s < x) {
            s = (s >> 1) | (s & 1) | ((u128)1 << 127);
            ex++;
        }
        x = s;
    } else {
        x -= y;
        if (x == 0) {
            return pack_zero(f, rm == FPU_RM_RDN);
        }
        int s = clz128(x);
        x <<= s;
        ex -= s;
    }
    return round_pack(f, sx, ex, narrow_jam(x), rm, flags);
}

static inline uint64_t muladd(const FFmt *f, uint64_t ab, uint64_t bb,
                              uint64_t cb, bool neg_prod, bool neg_c, int rm,
                              uint32_t *flags)
{
    FParts a = unpack(f, ab);
    FParts b = unpack(f, bb);
    FParts c = unpack(f, cb);
    bool infzero = (a.cls == FC_INF && b.cls == FC_ZERO) ||
                   (a.cls == FC_ZERO && b.cls == FC_INF);
    bool psign = a.sign ^ b.sign ^ neg_prod;

    c.sign ^= neg_c;
    if (a.cls == FC_NORMAL && b.cls == FC_NORMAL &&
        (c.cls == FC_NORMAL || c.cls == FC_ZERO)) {
        return muladd_normal(f, a, b, c, psign, rm, flags);
    }
    if (is_nan(a.cls) || is_nan(b.cls) || is_nan(c.cls)) {
        /* RISC-V: inf * 0 + qNaN is invalid too */
        bool snan = a.cls == FC_SNAN || b.cls == FC_SNAN || c.cls == FC_SNAN;
        return nan_result(f, snan || infzero, flags);
    }
    if (infzero) {
        return nan_result(f, true, flags);
    }
    if (a.cls == FC_INF || b.cls == FC_INF) {
        if (c.cls == FC_INF && c.sign != psign) {
            return nan_result(f, true, flags);
        }
        return pack_inf(f, psign);
    }
    if (c.cls == FC_INF) {
        return pack_inf(f, c.sign);
    }
    /* the product is zero */
    if (c.cls == FC_ZERO) {
        return pack_zero(f, psign == c.sign ? psign : rm == FPU_RM_RDN);
    }
    return with_sign(f, cb, c.sign);
}

/* ---------------------------------------------------------------------- */
/* comparisons, min/max, classify                                          */

static inline bool bits_is_nan(const FFmt *f, uint64_t x)
{
    return (x & ~SIGN_BIT(f)) > pack_inf(f, false);
}

static inline bool bits_is_snan(const FFmt *f, uint64_t x)
{
    return bits_is_nan(f, x) && !((x >> (f->frac_bits - 1)) & 1);
}

/* a < b for non-NaN a, b, with -0 < +0 */
static inline bool lt_total(const FFmt *f, uint64_t a, uint64_t b)
{
    bool sa = (a & SIGN_BIT(f)) != 0;
    bool sb = (b & SIGN_BIT(f)) != 0;

    if (sa != sb) {
        return sa;
    }
    return sa ? a > b : a < b;
}

static inline int feq(const FFmt *f, uint64_t a, uint64_t b, uint32_t *flags)
{
    if (bits_is_nan(f, a) || bits_is_nan(f, b)) {
        if (bits_is_snan(f, a) || bits_is_snan(f, b)) {
            *flags |= FPU_FLAG_NV;
        }
        return 0;
    }
    return a == b || ((a | b) & ~SIGN_BIT(f)) == 0;
}

static inline int flt(const FFmt *f, uint64_t a, uint64_t b, uint32_t *flags)
{
    if (bits_is_nan(f, a) || bits_is_nan(f, b)) {
        *flags |= FPU_FLAG_NV;
        return 0;
    }
    if (((a | b) & ~SIGN_BIT(f)) == 0) {
        return 0;
    }
    return lt_total(f, a, b);
}

static inline int fle(const FFmt *f, uint64_t a, uint64_t b, uint32_t *flags)
{
    if (bits_is_nan(f, a) || bits_is_nan(f, b)) {
        *flags |= FPU_FLAG_NV;
        return 0;
    }
    if (((a | b) & ~SIGN_BIT(f)) == 0) {
        return 1;
    }
    return !lt_total(f, b, a);
}

/* IEEE 754-2019 minimumNumber / maximumNumber, as in QEMU 7.2 */
static inline uint64_t minmax(const FFmt *f, uint64_t a, uint64_t b,
                              bool is_max, uint32_t *flags)
{
    bool an = bits_is_nan(f, a);
    bool bn = bits_is_nan(f, b);

    if (an || bn) {
        if (bits_is_snan(f, a) || bits_is_snan(f, b)) {
            *flags |= FPU_FLAG_NV;
        }
        if (an && bn) {
            return f->default_nan;
        }
        return an ? b : a;
    }
    return lt_total(f, a, b) != is_max ? a : b;
}

static inline uint32_t fclass(const FFmt *f, uint64_t x)
{
    bool sign = (x & SIGN_BIT(f)) != 0;
    uint64_t mant = x & FRAC_MASK(f);
    int e = (x >> f->frac_bits) & EXP_MAX(f);

    if (e == EXP_MAX(f)) {
        if (mant == 0) {
            return sign ? FPU_CLASS_NEG_INF : FPU_CLASS_POS_INF;
        }
        return (mant >> (f->frac_bits - 1)) ? FPU_CLASS_QNAN : FPU_CLASS_SNAN;
    }
    if (e == 0) {
        if (mant == 0) {
            return sign ? FPU_CLASS_NEG_ZERO : FPU_CLASS_POS_ZERO;
        }
        return sign ? FPU_CLASS_NEG_SUBNORMAL : FPU_CLASS_POS_SUBNORMAL;
    }
    return sign ? FPU_CLASS_NEG_NORMAL : FPU_CLASS_POS_NORMAL;
}

/* ---------------------------------------------------------------------- */
/* conversions                                                             */

static inline uint64_t from_int(const FFmt *f, bool sign, uint64_t mag, int rm,
                                uint32_t *flags)
{
    if (mag == 0) {
        return 0;
    }
    int s = clz64(mag);
    return round_pack(f, sign, 63 - s, mag << s, rm, flags);
}

/*
 * Round a finite nonzero @p to an integer magnitude.  Returns false if
 * that is 2^64 or more; otherwise *mag and *inexact.
 */
static bool round_to_int(const FParts *p, int rm, uint64_t *mag, bool *inexact)
{
    uint64_t ip, rem, half;
    int shift = 63 - p->exp;
    bool up;

    if (p->exp >= 64) {
        return false;
    }
    if (shift <= 0) {
        *mag = p->frac;
        *inexact = false;
        return true;
    }
    if (shift > 64) {
        ip = 0; /* below one half, but not zero */
        rem = 1;
        half = 2;
    } else if (shift == 64) {
        ip = 0;
        rem = p->frac;
        half = 1ull << 63;
    } else {
        ip = p->frac >> shift;
        rem = p->frac & ((1ull << shift) - 1);
        half = 1ull << (shift - 1);
    }
    switch (rm) {
    case FPU_RM_RNE:
        up = rem > half || (rem == half && (ip & 1));
        break;
    case FPU_RM_RDN:
        up = rem && p->sign;
        break;
    case FPU_RM_RUP:
        up = rem && !p->sign;
        break;
    case FPU_RM_RMM:
        up = rem >= half;
        break;
    default:
        up = false;
        break;
    }
    *mag = ip + up;
    *inexact = rem != 0;
    return true;
}

static inline int64_t to_sint(const FFmt *f, uint64_t bits, int rm, int64_t min,
                              int64_t max, uint32_t *flags)
{
    FParts p = unpack(f, bits);
    uint64_t mag;
    bool inexact;

    switch (p.cls) {
    case FC_ZERO:
        return 0;
    case FC_INF:
        *flags |= FPU_FLAG_NV;
        return p.sign ? min : max;
    case FC_NORMAL:
        break;
    default:
        *flags |= FPU_FLAG_NV;
        return max;
    }
    if (!round_to_int(&p, rm, &mag, &inexact)) {
        *flags |= FPU_FLAG_NV;
        return p.sign ? min : max;
    }
    if (p.sign ? mag > (uint64_t)0 - (uint64_t)min : mag > (uint64_t)max) {
        *flags |= FPU_FLAG_NV;
        return p.sign ? min : max;
    }
    if (inexact) {
        *flags |= FPU_FLAG_NX;
    }
    return p.sign ? (int64_t)(0 - mag) : (int64_t)mag;
}

static inline uint64_t to_uint(const FFmt *f, uint64_t bits, int rm,
                               uint64_t max, uint32_t *flags)
{
    FParts p = unpack(f, bits);
    uint64_t mag;
    bool inexact;

    switch (p.cls) {
    case FC_ZERO:
        return 0;
    case FC_INF:
        *flags |= FPU_FLAG_NV;
        return p.sign ? 0 : max;
    case FC_NORMAL:
        break;
    default:
        *flags |= FPU_FLAG_NV;
        return max;
    }
    bool ok = round_to_int(&p, rm, &mag, &inexact);
    if (ok && mag == 0) {
        /* e.g. -0.5 rounding to -0: fine, just inexact */
        *flags |= FPU_FLAG_NX;
        return 0;
    }
    if (p.sign) {
        *flags |= FPU_FLAG_NV;
        return 0;
    }
    if (!ok || mag > max) {
        *flags |= FPU_FLAG_NV;
        return max;
    }
    if (inexact) {
        *flags |= FPU_FLAG_NX;
    }
    return mag;
}

/* Convert between the formats: NaN handling, then an exact or rounded
 * repack of the same value. */
static inline uint64_t convert(const FFmt *to, const FFmt *from, uint64_t bits,
                               int rm, uint32_t *flags)
{
    FParts p = unpack(from, bits);

    switch (p.cls) {
    case FC_ZERO:
        return pack_zero(to, p.sign);
    case FC_INF:
        return pack_inf(to, p.sign);
    case FC_NORMAL:
        return round_pack(to, p.sign, p.exp, p.frac, rm, flags);
    default:
        return nan_result(to, p.cls == FC_SNAN, flags);
    }
}

/* ---------------------------------------------------------------------- */
/* exported wrappers                                                       */

#define DEF_BINARY(name, expr)                                              \
    uint32_t sf_##name##_s(uint32_t a, uint32_t b, int rm, uint32_t *flags) \
    {                                                                       \
        const FFmt *f = &fmt_s;                                             \
        return expr;                                                        \
    }                                                                       \
    uint64_t sf_##name##_d(uint64_t a, uint64_t b, int rm, uint32_t *flags) \
    {                                                                       \
        const FFmt *f = &fmt_d;                                             \
        return expr;                                                        \
    }

DEF_BINARY(add, addsub(f, a, b, false, rm, flags))
DEF_BINARY(sub, addsub(f, a, b, true, rm, flags))
DEF_BINARY(mul, mul(f, a, b, rm, flags))
DEF_BINARY(div, divide(f, a, b, rm, flags))

uint32_t sf_sqrt_s(uint32_t a, int rm, uint32_t *flags)
{
    return sqrt_(&fmt_s, a, rm, flags);
}

uint64_t sf_sqrt_d(uint64_t a, int rm, uint32_t *flags)
{
    return sqrt_(&fmt_d, a, rm, flags);
}

#define DEF_FMA(name, np, nc)                                          \
    uint32_t sf_##name##_s(uint32_t a, uint32_t b, uint32_t c, int rm, \
                           uint32_t *flags)                            \
    {                                                                  \
        return muladd(&fmt_s, a, b, c, np, nc, rm, flags);             \
    }                                                                  \
    uint64_t sf_##name##_d(uint64_t a, uint64_t b, uint64_t c, int rm, \
                           uint32_t *flags)                            \
    {                                                                  \
        return muladd(&fmt_d, a, b, c, np, nc, rm, flags);             \
    }

DEF_FMA(madd, false, false)
DEF_FMA(msub, false, true)
DEF_FMA(nmsub, true, false)
DEF_FMA(nmadd, true, true)

#define DEF_CMP(name, T, rt, expr)          \
    rt sf_##name(T a, T b, uint32_t *flags) \
    {                                       \
        return expr;                        \
    }

DEF_CMP(min_s, uint32_t, uint32_t, minmax(&fmt_s, a, b, false, flags))
DEF_CMP(max_s, uint32_t, uint32_t, minmax(&fmt_s, a, b, true, flags))
DEF_CMP(min_d, uint64_t, uint64_t, minmax(&fmt_d, a, b, false, flags))
DEF_CMP(max_d, uint64_t, uint64_t, minmax(&fmt_d, a, b, true, flags))
DEF_CMP(eq_s, uint32_t, int, feq(&fmt_s, a, b, flags))
DEF_CMP(lt_s, uint32_t, int, flt(&fmt_s, a, b, flags))
DEF_CMP(le_s, uint32_t, int, fle(&fmt_s, a, b, flags))
DEF_CMP(eq_d, uint64_t, int, feq(&fmt_d, a, b, flags))
DEF_CMP(lt_d, uint64_t, int, flt(&fmt_d, a, b, flags))
DEF_CMP(le_d, uint64_t, int, fle(&fmt_d, a, b, flags))

uint32_t sf_class_s(uint32_t a)
{
    return fclass(&fmt_s, a);
}

uint32_t sf_class_d(uint64_t a)
{
    return fclass(&fmt_d, a);
}

#define DEF_TO_INT(name, T, fmt, call)                   \
    T sf_##name(fmt##_bits_t a, int rm, uint32_t *flags) \
    {                                                    \
        return call;                                     \
    }

typedef uint32_t s_bits_t;
typedef uint64_t d_bits_t;

DEF_TO_INT(cvt_w_s, int32_t, s,
           to_sint(&fmt_s, a, rm, INT32_MIN, INT32_MAX, flags))
DEF_TO_INT(cvt_l_s, int64_t, s,
           to_sint(&fmt_s, a, rm, INT64_MIN, INT64_MAX, flags))
DEF_TO_INT(cvt_wu_s, uint32_t, s, to_uint(&fmt_s, a, rm, UINT32_MAX, flags))
DEF_TO_INT(cvt_lu_s, uint64_t, s, to_uint(&fmt_s, a, rm, UINT64_MAX, flags))
DEF_TO_INT(cvt_w_d, int32_t, d,
           to_sint(&fmt_d, a, rm, INT32_MIN, INT32_MAX, flags))
DEF_TO_INT(cvt_l_d, int64_t, d,
           to_sint(&fmt_d, a, rm, INT64_MIN, INT64_MAX, flags))
DEF_TO_INT(cvt_wu_d, uint32_t, d, to_uint(&fmt_d, a, rm, UINT32_MAX, flags))
DEF_TO_INT(cvt_lu_d, uint64_t, d, to_uint(&fmt_d, a, rm, UINT64_MAX, flags))

#define DEF_FROM_INT(name, T, fmt, neg)                                       \
    fmt##_bits_t sf_##name(T a, int rm, uint32_t *flags)                      \
    {                                                                         \
        return from_int(&fmt_##fmt, neg, neg ? 0 - (uint64_t)a : (uint64_t)a, \
                        rm, flags);                                           \
    }

DEF_FROM_INT(cvt_s_w, int32_t, s, a < 0)
DEF_FROM_INT(cvt_s_wu, uint32_t, s, false)
DEF_FROM_INT(cvt_s_l, int64_t, s, a < 0)
DEF_FROM_INT(cvt_s_lu, uint64_t, s, false)
DEF_FROM_INT(cvt_d_w, int32_t, d, a < 0)
DEF_FROM_INT(cvt_d_wu, uint32_t, d, false)
DEF_FROM_INT(cvt_d_l, int64_t, d, a < 0)
DEF_FROM_INT(cvt_d_lu, uint64_t, d, false)

uint32_t sf_cvt_s_d(uint64_t a, int rm, uint32_t *flags)
{
    return convert(&fmt_s, &fmt_d, a, rm, flags);
}

uint64_t sf_cvt_d_s(uint32_t a, int rm, uint32_t *flags)
{
    return convert(&fmt_d, &fmt_s, a, rm, flags);
}

/* binary16: the same generic code with a third descriptor */
#include "target-riscv/fpu/half.c.inc"
