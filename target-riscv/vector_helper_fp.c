/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * V extension: floating-point instructions (OPFVV, OPFVF) through the
 * scalar FP library (fpu/fpu.h), one element at a time.
 *
 * SEW 16, 32 and 64 (half, F and D); SEW 8 is illegal except as the
 * integer side of a conversion.  QEMU 7.2 predates Zvfh and allows FP at
 * SEW 16 whenever vector FP is on (V, Zve32f or Zve64f); so does ctcg.
 * Without V (Zve*), FP wider than the subset's (vec_fp_width_ok) is
 * illegal.  The rounding mode is frm; an invalid frm raises SIGILL, as
 * QEMU's set_rounding_mode does.  Exception flags accrue in fflags.  A
 * scalar f operand of SEW 16 or 32 must be NaN-boxed (else it reads as
 * the canonical NaN); vfmv.f.s boxes.  The unordered sum reductions are
 * computed in order, as QEMU does.
 */
#include "target-riscv/fpu/fpu.h"
#include "target-riscv/vector_internal.h"

/*
 * May FP of SEW 1 << @fsew bytes run?  With V, up to 64 bits; with only a
 * Zve* subset, up to its vfp_max: 32 bits for Zve32f and Zve64f (as QEMU
 * 7.2's require_zve32f/require_zve64f), 64 for Zve64d, none for Zve32x and
 * Zve64x.
 */
static bool vec_fp_width_ok(const VecInsn *v, int fsew)
{
    return !v->env->cfg.v_sub || fsew <= v->env->cfg.vfp_max;
}

/* Per-SEW wrappers: sew 1 (half), 2 (single) or 3 (double), raw bits. */
#define FBIN(name)                                                         \
    static uint64_t f_##name(const VecInsn *v, uint64_t a, uint64_t b)     \
    {                                                                      \
        CPURISCVState *env = v->env;                                       \
        if (v->sew == 1) {                                                 \
            return fpu_##name##_h((uint16_t)a, (uint16_t)b, env->frm,      \
                                  &env->fflags);                           \
        }                                                                  \
        return v->sew == 2 ? fpu_##name##_s(a, b, env->frm, &env->fflags)  \
                           : fpu_##name##_d(a, b, env->frm, &env->fflags); \
    }

FBIN(add)
FBIN(sub)
FBIN(mul)
FBIN(div)

static uint64_t f_min(const VecInsn *v, uint64_t a, uint64_t b, bool max)
{
    uint32_t *fl = &v->env->fflags;

    if (v->sew == 1) {
        return max ? fpu_max_h(a, b, fl) : fpu_min_h(a, b, fl);
    }
    if (v->sew == 2) {
        return max ? fpu_max_s(a, b, fl) : fpu_min_s(a, b, fl);
    }
    return max ? fpu_max_d(a, b, fl) : fpu_min_d(a, b, fl);
}

/* a * b + c with the fused negations of the scalar fmadd family. */
static uint64_t f_fma(const VecInsn *v, int kind, uint64_t a, uint64_t b,
                      uint64_t c)
{
    CPURISCVState *env = v->env;
    int rm = env->frm;

    if (v->sew == 1) {
        switch (kind) {
        case 0:
            return fpu_madd_h(a, b, c, rm, &env->fflags);
        case 1:
            return fpu_nmadd_h(a, b, c, rm, &env->fflags);
        case 2:
            return fpu_msub_h(a, b, c, rm, &env->fflags);
        default:
            return fpu_nmsub_h(a, b, c, rm, &env->fflags);
        }
    }
    if (v->sew == 2) {
        switch (kind) {
        case 0:
            return fpu_madd_s(a, b, c, rm, &env->fflags);
        case 1:
            return fpu_nmadd_s(a, b, c, rm, &env->fflags);
        case 2:
            return fpu_msub_s(a, b, c, rm, &env->fflags);
        default:
            return fpu_nmsub_s(a, b, c, rm, &env->fflags);
        }
    }
    switch (kind) {
    case 0:
        return fpu_madd_d(a, b, c, rm, &env->fflags);
    case 1:
        return fpu_nmadd_d(a, b, c, rm, &env->fflags);
    case 2:
        return fpu_msub_d(a, b, c, rm, &env->fflags);
    default:
        return fpu_nmsub_d(a, b, c, rm, &env->fflags);
    }
}

/* The scalar f operand at SEW (unboxed for halves and singles). */
static uint64_t f_scalar(const VecInsn *v, int sew)
{
    if (sew == 1) {
        return fpu_unbox_h(v->scalar);
    }
    return sew == 2 ? fpu_unbox_s(v->scalar) : v->scalar;
}

/* a == b (kind 0), a <= b (1), a < b (2) at SEW @sew */
static bool f_cmp(int sew, int kind, uint64_t a, uint64_t b, uint32_t *fl)
{
    static int (*const h[3])(uint16_t, uint16_t,
                             uint32_t *) = {fpu_eq_h, fpu_le_h, fpu_lt_h};
    static int (*const s[3])(uint32_t, uint32_t,
                             uint32_t *) = {fpu_eq_s, fpu_le_s, fpu_lt_s};
    static int (*const d[3])(uint64_t, uint64_t,
                             uint32_t *) = {fpu_eq_d, fpu_le_d, fpu_lt_d};

    if (sew == 1) {
        return h[kind](a, b, fl);
    }
    return sew == 2 ? s[kind](a, b, fl) : d[kind](a, b, fl);
}

static uint64_t f_opnd_b(const VecInsn *v, uint32_t i, int sew)
{
    return v->f3 == 1 ? vec_get(v, v->vs1, i, sew) : f_scalar(v, sew);
}

/* OPF element operations on SEW elements a (vs2), b (vs1/f), d (vd). */
static uint64_t opf_elem(const VecInsn *v, uint64_t a, uint64_t b, uint64_t d)
{
    uint64_t sign = 1ull << ((8 << v->sew) - 1);
    int f6 = v->f6;

    switch (f6) {
    case 0x00:
        return f_add(v, a, b);
    case 0x02:
        return f_sub(v, a, b);
    case 0x04:
        return f_min(v, a, b, false);
    case 0x06:
        return f_min(v, a, b, true);
    case 0x08:
        return (a & ~sign) | (b & sign);
    case 0x09:
        return (a & ~sign) | (~b & sign);
    case 0x0a:
        return a ^ (b & sign);
    case 0x20:
        return f_div(v, a, b);
    case 0x21: /* vfrdiv */
        return f_div(v, b, a);
    case 0x24:
        return f_mul(v, a, b);
    case 0x27: /* vfrsub */
        return f_sub(v, b, a);
    default:
        break;
    }
    /* 0x28..0x2b: vd = +-(vs1 * vd) +- vs2; 0x2c..0x2f: +-(vs1 * vs2) +- vd */
    return f6 < 0x2c ? f_fma(v, f6 & 3, b, d, a) : f_fma(v, f6 & 3, b, a, d);
}

static bool opf_elem_op(int f6, bool vf)
{
    return f6 == 0x00 || f6 == 0x02 || f6 == 0x04 || f6 == 0x06 ||
           (f6 >= 0x08 && f6 <= 0x0a) || f6 == 0x20 || f6 == 0x24 ||
           (f6 >= 0x28 && f6 <= 0x2f) || (vf && (f6 == 0x21 || f6 == 0x27));
}

static void fp_sss(VecInsn *v)
{
    if (!v->vm && v->vd == 0) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul);
    vec_check_group(v, v->vs2, v->lmul);
    if (v->f3 == 1) {
        vec_check_group(v, v->vs1, v->lmul);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        if (vec_active(v, i)) {
            vec_set(v, v->vd, i, v->sew,
                    opf_elem(v, vec_get(v, v->vs2, i, v->sew),
                             f_opnd_b(v, i, v->sew),
                             vec_get(v, v->vd, i, v->sew)));
        }
    }
}

/* vmfeq, vmfle, vmflt, vmfne, vmfgt, vmfge into a mask. */
static void fp_compare(VecInsn *v)
{
    uint32_t *fl = &v->env->fflags;
    int sew = v->sew;

    vec_check_group(v, v->vs2, v->lmul);
    vec_check_mask_dest(v, v->vs2);
    if (v->f3 == 1) {
        vec_check_group(v, v->vs1, v->lmul);
        vec_check_mask_dest(v, v->vs1);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a, b;
        bool r;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, v->sew);
        b = f_opnd_b(v, i, v->sew);
        switch (v->f6) {
        case 0x18:
        case 0x1c:
            r = f_cmp(sew, 0, a, b, fl);
            r ^= v->f6 == 0x1c;
            break;
        case 0x19:
            r = f_cmp(sew, 1, a, b, fl);
            break;
        case 0x1b:
            r = f_cmp(sew, 2, a, b, fl);
            break;
        case 0x1d:
            r = f_cmp(sew, 2, b, a, fl);
            break;
        default:
            r = f_cmp(sew, 1, b, a, fl);
            break;
        }
        vec_set_mask_bit(v, v->vd, i, r);
    }
}

/* Float (SEW 1 << @fs bytes) to integer (1 << @is bytes), saturating. */
static uint64_t f_to_int(CPURISCVState *env, uint64_t a, int fs, int is,
                         bool sgn, int rm)
{
    uint32_t fl = 0;
    uint64_t r;
    int bits = 8 << is;

    if (fs == 1) {
        r = sgn ? (uint64_t)fpu_cvt_l_h(a, rm, &fl) : fpu_cvt_lu_h(a, rm, &fl);
    } else if (fs == 2) {
        r = sgn ? (uint64_t)fpu_cvt_l_s(a, rm, &fl) : fpu_cvt_lu_s(a, rm, &fl);
    } else {
        r = sgn ? (uint64_t)fpu_cvt_l_d(a, rm, &fl) : fpu_cvt_lu_d(a, rm, &fl);
    }
    if (bits < 64) {
        int64_t hi =
            sgn ? (1ll << (bits - 1)) - 1 : (int64_t)((1ull << bits) - 1);
        int64_t lo = sgn ? -(1ll << (bits - 1)) : 0;
        bool over =
            sgn ? ((int64_t)r > hi || (int64_t)r < lo) : r > (uint64_t)hi;

        if (over) {
            fl = RISCV_FFLAG_NV;
            r = sgn && (int64_t)r < 0 ? (uint64_t)lo : (uint64_t)hi;
        }
    }
    env->fflags |= fl;
    return vec_trunc(r, is);
}

/* Integer (1 << @is bytes) to float (1 << @fs bytes). */
static uint64_t int_to_f(CPURISCVState *env, uint64_t a, int is, int fs,
                         bool sgn, int rm)
{
    int64_t s = vec_sext(a, is);

    if (fs == 1) {
        return sgn ? fpu_cvt_h_l(s, rm, &env->fflags)
                   : fpu_cvt_h_lu(a, rm, &env->fflags);
    }
    if (fs == 2) {
        return sgn ? fpu_cvt_s_l(s, rm, &env->fflags)
                   : fpu_cvt_s_lu(a, rm, &env->fflags);
    }
    return sgn ? fpu_cvt_d_l(s, rm, &env->fflags)
               : fpu_cvt_d_lu(a, rm, &env->fflags);
}

/* vfncvt.f.f.w to SEW @dst (1 or 2) from 2 * SEW, rounding with @rm */
static uint64_t f_narrow(CPURISCVState *env, uint64_t a, int dst, int rm)
{
    return dst == 1 ? fpu_cvt_h_s(a, rm, &env->fflags)
                    : fpu_cvt_s_d(a, rm, &env->fflags);
}

/* vfncvt.rod.f.f.w: to SEW @dst from 2 * SEW, rounding to odd. */
static uint64_t f_narrow_rod(CPURISCVState *env, uint64_t a, int dst)
{
    uint32_t fl = 0;
    uint64_t inf = dst == 1 ? 0x7c00 : 0x7f800000;
    uint64_t r = dst == 1 ? fpu_cvt_h_s(a, RISCV_FRM_RTZ, &fl)
                          : fpu_cvt_s_d(a, RISCV_FRM_RTZ, &fl);

    if ((fl & RISCV_FFLAG_NX) && (r & inf) != inf) {
        r |= 1;
    }
    env->fflags |= fl;
    return r;
}

/* Widen a float of SEW @sew (1 or 2) exactly (sNaN: NV, canonical NaN) */
static uint64_t f_widen(uint64_t a, int sew, uint32_t *fl)
{
    return sew == 1 ? fpu_cvt_s_h(a, RISCV_FRM_RNE, fl)
                    : fpu_cvt_d_s(a, RISCV_FRM_RNE, fl);
}

uint64_t vec_fcvt_elem(CPURISCVState *env, uint64_t a, int op, int grp, int src,
                       int dst, int rm)
{
    if (op == 4 || op == 5) {
        return grp == 1  ? f_widen(a, src, &env->fflags)
               : op == 5 ? f_narrow_rod(env, a, dst)
                         : f_narrow(env, a, dst, rm);
    }
    if (op < 2 || op >= 6) {
        return f_to_int(env, a, src, dst, op & 1, rm);
    }
    return int_to_f(env, a, src, dst, op & 1, rm);
}

/* VFUNARY0: vfcvt (vs1 0..7), vfwcvt (8..15), vfncvt (16..23). */
static void fp_convert(VecInsn *v)
{
    int op = v->vs1 & 7, grp = v->vs1 >> 3, sew = v->sew;
    int src = grp == 2 ? sew + 1 : sew, dst = grp == 1 ? sew + 1 : sew;
    int rm = (op & 6) == 6 ? RISCV_FRM_RTZ : (int)v->env->frm;
    bool to_int = op < 2 || op >= 6, ff = op == 4 || op == 5;
    /* which of src and dst is floating point must be SEW 16, 32 or 64 */
    int fsz = to_int ? src : dst;

    if (v->vs1 > 23 || (op == 5 && grp != 2) || (op == 4 && grp == 0) ||
        (!v->vm && v->vd == 0) ||
        (grp && (sew >= vec_max_sew(v) || v->lmul == 3))) {
        vec_illegal(v);
    }
    if ((ff && (src < 1 || dst < 1)) || (!ff && (fsz < 1 || fsz > 3)) ||
        !vec_fp_width_ok(v, ff ? (src > dst ? src : dst) : fsz)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, grp == 1 ? v->lmul + 1 : v->lmul);
    vec_check_group(v, v->vs2, grp == 2 ? v->lmul + 1 : v->lmul);
    if (grp == 1 || (grp == 2 && v->vd != v->vs2)) {
        vec_check_noover(v, v->vd, grp == 1 ? v->lmul + 1 : v->lmul, v->vs2,
                         grp == 2 ? v->lmul + 1 : v->lmul);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a, r;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, src);
        r = vec_fcvt_elem(v->env, a, op, grp, src, dst, rm);
        vec_set(v, v->vd, i, dst, r);
    }
}

/*
 * vfrec7/vfrsqrt7: the spec's 7-bit estimate tables (RVV 1.0, 13.9 and
 * 13.10), indexed by the 7 leading mantissa bits (vfrec7) or by the
 * exponent's low bit and 6 leading mantissa bits (vfrsqrt7).  Read off
 * qemu-riscv64 7.2, which follows the spec.
 */
static const uint8_t rec7_table[128] = {
    127, 125, 123, 121, 119, 117, 116, 114, 112, 110, 109, 107, 105, 104, 102,
    100, 99,  97,  96,  94,  93,  91,  90,  88,  87,  85,  84,  83,  81,  80,
    79,  77,  76,  75,  74,  72,  71,  70,  69,  68,  66,  65,  64,  63,  62,
    61,  60,  59,  58,  57,  56,  55,  54,  53,  52,  51,  50,  49,  48,  47,
    46,  45,  44,  43,  42,  41,  40,  40,  39,  38,  37,  36,  35,  35,  34,
    33,  32,  31,  31,  30,  29,  28,  28,  27,  26,  25,  25,  24,  23,  23,
    22,  21,  21,  20,  19,  19,  18,  17,  17,  16,  15,  15,  14,  14,  13,
    12,  12,  11,  11,  10,  9,   9,   8,   8,   7,   7,   6,   5,   5,   4,
    4,   3,   3,   2,   2,   1,   1,   0,
};

static const uint8_t rsqrt7_table[128] = {
    52,  51,  50,  48,  47,  46,  44,  43,  42,  41,  40,  39,  38,  36,  35,
    34,  33,  32,  31,  30,  30,  29,  28,  27,  26,  25,  24,  23,  23,  22,
    21,  20,  19,  19,  18,  17,  16,  16,  15,  14,  14,  13,  12,  12,  11,
    10,  10,  9,   9,   8,   7,   7,   6,   6,   5,   4,   4,   3,   3,   2,
    2,   1,   1,   0,   127, 125, 123, 121, 119, 118, 116, 114, 113, 111, 109,
    108, 106, 105, 103, 102, 100, 99,  97,  96,  95,  93,  92,  91,  90,  88,
    87,  86,  85,  84,  83,  82,  80,  79,  78,  77,  76,  75,  74,  73,  72,
    71,  70,  70,  69,  68,  67,  66,  65,  64,  63,  63,  62,  61,  60,  59,
    59,  58,  57,  56,  56,  55,  54,  53,
};

/* A format: single (8, 23) or double (11, 52) exponent/mantissa bits. */
typedef struct FFmt {
    int e, m;
} FFmt;

static uint64_t f_canon_nan(FFmt f)
{
    return ((1ull << (f.e + 1)) - 1) << (f.m - 1);
}

/*
 * Split @x; for a subnormal, normalise: *exp goes to 0 or below and the
 * mantissa loses its leading one.  Returns the mantissa.
 */
static uint64_t f_norm(FFmt f, uint64_t x, int64_t *exp)
{
    uint64_t mask = (1ull << f.m) - 1, frac = x & mask;

    *exp = (int64_t)((x >> f.m) & ((1ull << f.e) - 1));
    if (*exp == 0) {
        while (!(frac & (1ull << (f.m - 1)))) {
            (*exp)--;
            frac <<= 1;
        }
        frac = (frac << 1) & mask;
    }
    return frac;
}

/* NaN, infinity, zero: the result, or false for a finite non-zero @x. */
static bool f_special(FFmt f, uint64_t x, bool rsqrt, uint32_t *fl, uint64_t *r)
{
    uint64_t sign = x >> (f.e + f.m) << (f.e + f.m), mag = x ^ sign;
    uint64_t inf = ((1ull << f.e) - 1) << f.m;

    if (mag > inf) { /* NaN: a signalling one raises NV */
        *fl |= (x >> (f.m - 1) & 1) ? 0 : RISCV_FFLAG_NV;
        *r = f_canon_nan(f);
    } else if (rsqrt && sign && mag) {
        *fl |= RISCV_FFLAG_NV;
        *r = f_canon_nan(f);
    } else if (mag == inf) {
        *r = sign;
    } else if (mag == 0) {
        *fl |= RISCV_FFLAG_DZ;
        *r = sign | inf;
    } else {
        return false;
    }
    return true;
}

static uint64_t f_rsqrt7(FFmt f, uint64_t x, uint32_t *fl)
{
    int64_t bias = (1 << (f.e - 1)) - 1, exp;
    uint64_t r, frac;

    if (f_special(f, x, true, fl, &r)) {
        return r;
    }
    frac = f_norm(f, x, &exp);
    r = rsqrt7_table[(exp & 1) << 6 | frac >> (f.m - 6)];
    return (uint64_t)((3 * bias - 1 - exp) / 2) << f.m | r << (f.m - 7);
}

static uint64_t f_rec7(FFmt f, uint64_t x, int rm, uint32_t *fl)
{
    int64_t bias = (1 << (f.e - 1)) - 1, exp, oexp;
    uint64_t sign = x >> (f.e + f.m) << (f.e + f.m), r, frac;

    if (f_special(f, x, false, fl, &r)) {
        return r;
    }
    if ((x & (((1ull << f.e) - 1) << f.m)) == 0 &&
        !(x >> (f.m - 2) & 3)) { /* so small that 1/x overflows */
        *fl |= RISCV_FFLAG_OF | RISCV_FFLAG_NX;
        if (rm == RISCV_FRM_RTZ || (rm == RISCV_FRM_RDN && !sign) ||
            (rm == RISCV_FRM_RUP && sign)) {
            return sign | ((((1ull << f.e) - 1) << f.m) - 1); /* max finite */
        }
        return sign | ((1ull << f.e) - 1) << f.m;
    }
    frac = f_norm(f, x, &exp);
    r = (uint64_t)rec7_table[frac >> (f.m - 7)] << (f.m - 7);
    oexp = 2 * bias - 1 - exp;
    if (oexp <= 0) { /* a subnormal result */
        r = (r | 1ull << f.m) >> (1 - oexp);
        oexp = 0;
    }
    return sign | (uint64_t)oexp << f.m | r;
}

/* VFUNARY1: vfsqrt.v (vs1 0), vfrsqrt7 (4), vfrec7 (5), vfclass.v (16). */
static void fp_unary1(VecInsn *v)
{
    CPURISCVState *env = v->env;

    FFmt f = v->sew == 1   ? (FFmt){5, 10}
             : v->sew == 2 ? (FFmt){8, 23}
                           : (FFmt){11, 52};

    if ((v->vs1 != 0 && v->vs1 != 4 && v->vs1 != 5 && v->vs1 != 16) ||
        (!v->vm && v->vd == 0)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul);
    vec_check_group(v, v->vs2, v->lmul);
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a, r;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, v->sew);
        if (v->vs1 == 16) {
            r = v->sew == 1   ? fpu_class_h(a)
                : v->sew == 2 ? fpu_class_s(a)
                              : fpu_class_d(a);
        } else if (v->vs1 == 4) {
            r = f_rsqrt7(f, a, &env->fflags);
        } else if (v->vs1 == 5) {
            r = f_rec7(f, a, env->frm, &env->fflags);
        } else if (v->sew == 1) {
            r = fpu_sqrt_h(a, env->frm, &env->fflags);
        } else {
            r = v->sew == 2 ? fpu_sqrt_s(a, env->frm, &env->fflags)
                            : fpu_sqrt_d(a, env->frm, &env->fflags);
        }
        vec_set(v, v->vd, i, v->sew, r);
    }
}

/* Widening: vfwadd/sub(.w), vfwmul, vfwmacc family, at 2 * SEW. */
static void fp_widen(VecInsn *v)
{
    int f6 = v->f6, sew = v->sew;
    bool wide_a = f6 == 0x34 || f6 == 0x36;
    VecInsn w = *v;
    uint32_t *fl = &v->env->fflags;

    if (sew < 1 || sew >= vec_max_sew(v) || !vec_fp_width_ok(v, sew + 1) ||
        v->lmul == 3 || (!v->vm && v->vd == 0) ||
        !(f6 == 0x30 || f6 == 0x32 || wide_a || f6 == 0x38 || f6 >= 0x3c)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul + 1);
    vec_check_group(v, v->vs2, wide_a ? v->lmul + 1 : v->lmul);
    if (!wide_a) {
        vec_check_noover(v, v->vd, v->lmul + 1, v->vs2, v->lmul);
    }
    if (v->f3 == 1) {
        vec_check_group(v, v->vs1, v->lmul);
        vec_check_noover(v, v->vd, v->lmul + 1, v->vs1, v->lmul);
    }
    w.sew = sew + 1;
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a, b, d;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, wide_a ? sew + 1 : sew);
        a = wide_a ? a : f_widen(a, sew, fl);
        b = f_widen(f_opnd_b(v, i, sew), sew, fl);
        d = vec_get(v, v->vd, i, sew + 1);
        if (f6 == 0x30 || f6 == 0x34) {
            d = f_add(&w, a, b);
        } else if (f6 == 0x32 || f6 == 0x36) {
            d = f_sub(&w, a, b);
        } else if (f6 == 0x38) {
            d = f_mul(&w, a, b);
        } else { /* vfwmacc, vfwnmacc, vfwmsac, vfwnmsac */
            d = f_fma(&w, f6 & 3, b, a, d);
        }
        vec_set(v, v->vd, i, sew + 1, d);
    }
}

/* vfred[uo]sum, vfredmin/max, vfwred[uo]sum: in element order. */
static void fp_reduce(VecInsn *v, bool wide)
{
    VecInsn w = *v;
    uint64_t acc;
    int rs = wide ? v->sew + 1 : v->sew;

    if (wide &&
        (v->sew < 1 || v->sew >= vec_max_sew(v) || !vec_fp_width_ok(v, rs))) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vs2, v->lmul);
    if (v->vl == 0) {
        return;
    }
    w.sew = rs;
    acc = vec_get(v, v->vs1, 0, rs);
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, v->sew);
        if (wide) {
            a = f_widen(a, v->sew, &v->env->fflags);
        }
        if (v->f6 == 0x05 || v->f6 == 0x07) {
            acc = f_min(&w, acc, a, v->f6 == 0x07);
        } else {
            acc = f_add(&w, acc, a);
        }
    }
    vec_set(v, v->vd, 0, rs, acc);
}

/* vfslide1up/down.vf, vfmerge.vfm / vfmv.v.f, vfmv.s.f. */
static void fp_moves(VecInsn *v)
{
    uint64_t x = f_scalar(v, v->sew);

    if (v->f6 == 0x10) { /* vfmv.s.f */
        if (v->vs2 != 0 || !v->vm) {
            vec_illegal(v);
        }
        if (v->vl) {
            vec_set(v, v->vd, 0, v->sew, x);
        }
        return;
    }
    if (v->f6 == 0x17) {
        if ((!v->vm && v->vd == 0) || (v->vm && v->vs2 != 0)) {
            vec_illegal(v);
        }
        vec_check_group(v, v->vd, v->lmul);
        vec_check_group(v, v->vs2, v->lmul);
        for (uint32_t i = v->vstart; i < v->vl; i++) {
            vec_set(v, v->vd, i, v->sew,
                    vec_active(v, i) ? x : vec_get(v, v->vs2, i, v->sew));
        }
        return;
    }
    v->scalar = x;
    vec_permute(v, true); /* as vslide1up/down.vx */
}

uint64_t vec_fp_op(VecInsn *v)
{
    int f6 = v->f6;
    bool vf = v->f3 == 5, skip;

    if (v->env->vill || v->env->frm > RISCV_FRM_RMM ||
        (v->sew < 1 && !(f6 == 0x12 && !vf)) ||
        (!vec_fp_width_ok(v, v->sew) && !(f6 == 0x12 && !vf))) {
        vec_illegal(v); /* only conversions have an integer side of 8 */
    }
    if (f6 == 0x10 && !vf) { /* vfmv.f.s */
        uint64_t x = vec_get(v, v->vs2, 0, v->sew);

        if (v->vs1 != 0 || !v->vm) {
            vec_illegal(v);
        }
        return v->sew == 1 ? fpu_box_h(x) : v->sew == 2 ? fpu_box_s(x) : x;
    }
    skip = vec_skip(v);
    if (opf_elem_op(f6, vf)) {
        fp_sss(v);
    } else if ((f6 >= 0x18 && f6 <= 0x1f && f6 != 0x1a && f6 != 0x1e) &&
               (vf || f6 < 0x1d || f6 == 0x1c)) {
        fp_compare(v);
    } else if (f6 == 0x12 && !vf) {
        fp_convert(v);
    } else if (f6 == 0x13 && !vf) {
        fp_unary1(v);
    } else if ((f6 == 0x01 || f6 == 0x03 || f6 == 0x05 || f6 == 0x07) && !vf) {
        fp_reduce(v, false);
    } else if ((f6 == 0x31 || f6 == 0x33) && !vf) {
        fp_reduce(v, true);
    } else if (f6 >= 0x30) {
        fp_widen(v);
    } else if (vf && (f6 == 0x0e || f6 == 0x0f || f6 == 0x10 || f6 == 0x17)) {
        fp_moves(v);
    } else {
        vec_illegal(v);
    }
    if (!skip) {
        v->env->vstart = 0;
    }
    return 0;
}
