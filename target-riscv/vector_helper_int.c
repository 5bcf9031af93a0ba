/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * V extension: integer, fixed-point, mask and permutation instructions
 * (OPIVV, OPIVX, OPIVI, OPMVV, OPMVX), one element at a time.
 *
 * Operands are read zero-extended to 64 bits (vec_get) and results
 * truncated to their SEW by vec_set; a signed operation sign-extends
 * first.  Fixed-point arithmetic is done in __int128, so no
 * intermediate (a sum, a product) can overflow; the rounding increment
 * follows vxrm (roundoff) and saturation sets vxsat.  The register
 * group checks are those of QEMU 7.2: alignment, v0 as a masked
 * destination, the overlap rules (vec_check_noover, vec_check_disjoint).
 */
#include "target-riscv/vector_internal.h"

/* Operand kinds (funct3): which instructions allow which, per funct6. */
enum {
    K_VV = 1,
    K_VX = 2,
    K_VI = 4
};

/* The second operand of element @i: vs1's, the scalar or the immediate. */
static uint64_t opnd_b(const VecInsn *v, uint32_t i, int sew)
{
    return v->f3 == 0 || v->f3 == 2 ? vec_get(v, v->vs1, i, sew)
                                    : vec_trunc(v->scalar, sew);
}

/* Rounding increment for shifting @x right by @sh bits (vxrm). */
static int roundinc(const CPURISCVState *env, unsigned __int128 x, int sh)
{
    if (sh == 0) {
        return 0;
    }
    return (int)vec_round_inc(
        env->vxrm, (unsigned)(x >> sh) & 1, (unsigned)(x >> (sh - 1)) & 1,
        (x & (((unsigned __int128)1 << (sh - 1)) - 1)) != 0);
}

/* @x >> @sh rounded per vxrm (arithmetic shift: @x is signed). */
static __int128 roundoff(const CPURISCVState *env, __int128 x, int sh)
{
    return (x >> sh) + roundinc(env, (unsigned __int128)x, sh);
}

/* @x clamped to the signed (or unsigned) range of 8 << @sew bits. */
static uint64_t saturate(CPURISCVState *env, __int128 x, int sew, bool sgn)
{
    int bits = 8 << sew;
    __int128 hi =
        sgn ? ((__int128)1 << (bits - 1)) - 1 : ((__int128)1 << bits) - 1;
    __int128 lo = sgn ? -((__int128)1 << (bits - 1)) : 0;

    if (x > hi || x < lo) {
        env->vxsat = 1;
        return (uint64_t)(x > hi ? hi : lo);
    }
    return (uint64_t)x;
}

/* High 64 bits of signed/unsigned products. */
static uint64_t mulh_ss(int64_t a, int64_t b)
{
    return (uint64_t)(((__int128)a * b) >> 64);
}

static uint64_t mulh_uu(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

static uint64_t mulh_su(int64_t a, uint64_t b)
{
    return (uint64_t)(((__int128)a * (__int128)b) >> 64);
}

/* High half of a SEW x SEW product, SEW < 64, from the 64-bit product. */
static uint64_t mulh_sew(const VecInsn *v, int f6, uint64_t a, uint64_t b)
{
    int sew = v->sew, bits = 8 << sew;
    int64_t sa = vec_sext(a, sew), sb = vec_sext(b, sew);

    if (sew == 3) {
        return f6 == 0x27   ? mulh_ss(sa, sb)
               : f6 == 0x24 ? mulh_uu(a, b)
                            : mulh_su(sa, b);
    }
    if (f6 == 0x27) {
        return (uint64_t)((sa * sb) >> bits);
    }
    if (f6 == 0x24) {
        return (a * b) >> bits;
    }
    return (uint64_t)((sa * (int64_t)b) >> bits); /* vmulhsu */
}

/* Division as RISC-V defines it (no traps). */
static uint64_t divrem(int f6, uint64_t a, uint64_t b, int sew)
{
    int64_t sa = vec_sext(a, sew), sb = vec_sext(b, sew);
    int64_t smin = sew == 3 ? INT64_MIN : -(1ll << ((8 << sew) - 1));

    switch (f6) {
    case 0x20: /* vdivu */
        return b ? a / b : ~0ull;
    case 0x21: /* vdiv */
        return sb == 0                    ? ~0ull
               : (sa == smin && sb == -1) ? (uint64_t)sa
                                          : (uint64_t)(sa / sb);
    case 0x22: /* vremu */
        return b ? a % b : a;
    default: /* vrem */
        return sb == 0                    ? (uint64_t)sa
               : (sa == smin && sb == -1) ? 0
                                          : (uint64_t)(sa % sb);
    }
}

/*
 * OPI element operations on SEW elements @a (vs2) and @b; @ok false for
 * a funct6 that is not one.
 */
static uint64_t opi_elem(VecInsn *v, uint64_t a, uint64_t b, bool *ok)
{
    int sew = v->sew, sh = (int)(b & ((8u << sew) - 1));
    int64_t sa = vec_sext(a, sew), sb = vec_sext(b, sew);
    CPURISCVState *env = v->env;

    switch (v->f6) {
    case 0x00:
        return a + b;
    case 0x02:
        return a - b;
    case 0x03:
        return b - a;
    case 0x04:
        return a < b ? a : b;
    case 0x05:
        return sa < sb ? a : b;
    case 0x06:
        return a > b ? a : b;
    case 0x07:
        return sa > sb ? a : b;
    case 0x09:
        return a & b;
    case 0x0a:
        return a | b;
    case 0x0b:
        return a ^ b;
    case 0x20: /* vsaddu */
        return saturate(env, (__int128)a + b, sew, false);
    case 0x21: /* vsadd */
        return saturate(env, (__int128)sa + sb, sew, true);
    case 0x22: /* vssubu */
        return saturate(env, (__int128)a - b, sew, false);
    case 0x23: /* vssub */
        return saturate(env, (__int128)sa - sb, sew, true);
    case 0x25:
        return a << sh;
    case 0x27: /* vsmul */
        return saturate(env, roundoff(env, (__int128)sa * sb, (8 << sew) - 1),
                        sew, true);
    case 0x28:
        return a >> sh;
    case 0x29:
        return (uint64_t)(sa >> sh);
    case 0x2a: /* vssrl */
        return (uint64_t)roundoff(env, a, sh);
    case 0x2b: /* vssra */
        return (uint64_t)roundoff(env, sa, sh);
    default:
        *ok = false;
        return 0;
    }
}

/* OPM element operations: @d is vd's old element (multiply-adds). */
static uint64_t opm_elem(VecInsn *v, uint64_t a, uint64_t b, uint64_t d,
                         bool *ok)
{
    int sew = v->sew;
    int64_t sa = vec_sext(a, sew), sb = vec_sext(b, sew);
    CPURISCVState *env = v->env;

    switch (v->f6) {
    case 0x08: /* vaaddu */
        return (uint64_t)roundoff(env, (__int128)a + b, 1);
    case 0x09: /* vaadd */
        return (uint64_t)roundoff(env, (__int128)sa + sb, 1);
    case 0x0a: /* vasubu */
        return (uint64_t)roundoff(env, (__int128)a - b, 1);
    case 0x0b: /* vasub */
        return (uint64_t)roundoff(env, (__int128)sa - sb, 1);
    case 0x20:
    case 0x21:
    case 0x22:
    case 0x23:
        return divrem(v->f6, a, b, sew);
    case 0x24:
    case 0x26:
    case 0x27:
        return mulh_sew(v, v->f6, a, b);
    case 0x25:
        return a * b;
    case 0x29: /* vmadd: vd = vs1 * vd + vs2 */
        return b * d + a;
    case 0x2b: /* vnmsub: vd = -(vs1 * vd) + vs2 */
        return a - b * d;
    case 0x2d: /* vmacc: vd = vs1 * vs2 + vd */
        return b * a + d;
    case 0x2f: /* vnmsac */
        return d - b * a;
    default:
        *ok = false;
        return 0;
    }
}

/* Is OPM funct6 @f6 one of opm_elem's? */
static bool opm_elem_op(int f6)
{
    return (f6 >= 0x08 && f6 <= 0x0b) || (f6 >= 0x20 && f6 <= 0x27) ||
           f6 == 0x29 || f6 == 0x2b || f6 == 0x2d || f6 == 0x2f;
}

/* SEW-wide vd = op(vs2, vs1/x/imm) over the body. */
static void vec_sss(VecInsn *v, bool opm)
{
    bool ok = true;

    if (!v->vm && v->vd == 0) {
        vec_illegal(v);
    }
    /* Zve64*: no vmulh, vmulhu, vmulhsu (OPM) or vsmul (OPI) at SEW 64 */
    if (v->sew == 3 && v->env->cfg.v_sub && v->f6 >= 0x24 && v->f6 <= 0x27 &&
        (opm ? v->f6 != 0x25 : v->f6 == 0x27)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul);
    vec_check_group(v, v->vs2, v->lmul);
    if (v->f3 == 0 || v->f3 == 2) {
        vec_check_group(v, v->vs1, v->lmul);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a, b, r;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, v->sew);
        b = opnd_b(v, i, v->sew);
        r = opm ? opm_elem(v, a, b, vec_get(v, v->vd, i, v->sew), &ok)
                : opi_elem(v, a, b, &ok);
        vec_set(v, v->vd, i, v->sew, r);
    }
}

/* A mask destination vd and a source group at @src (EMUL = LMUL). */
void vec_check_mask_dest(const VecInsn *v, int src)
{
    if (v->vd != src) {
        vec_check_noover(v, v->vd, 0, src, v->lmul);
    }
}

/* Integer compares into a mask (funct6 0x18..0x1f) and vmadc/vmsbc. */
static void vec_compare(VecInsn *v)
{
    int sew = v->sew;

    vec_check_group(v, v->vs2, v->lmul);
    vec_check_mask_dest(v, v->vs2);
    if (v->f3 == 0) {
        vec_check_group(v, v->vs1, v->lmul);
        vec_check_mask_dest(v, v->vs1);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a = vec_get(v, v->vs2, i, sew), b = opnd_b(v, i, sew);
        int64_t sa = vec_sext(a, sew), sb = vec_sext(b, sew);
        bool r, c = !v->vm && vec_mask_bit(v, 0, i);

        if (v->f6 >= 0x18 && !vec_active(v, i)) {
            continue;
        }
        switch (v->f6) {
        case 0x11: /* vmadc: carry out of a + b + c */
            r = (unsigned __int128)a + b + c > vec_trunc(~0ull, sew);
            break;
        case 0x13: /* vmsbc: borrow of a - b - c */
            r = (unsigned __int128)a < (unsigned __int128)b + c;
            break;
        case 0x18:
            r = a == b;
            break;
        case 0x19:
            r = a != b;
            break;
        case 0x1a:
            r = a < b;
            break;
        case 0x1b:
            r = sa < sb;
            break;
        case 0x1c:
            r = a <= b;
            break;
        case 0x1d:
            r = sa <= sb;
            break;
        case 0x1e:
            r = a > b;
            break;
        default:
            r = sa > sb;
            break;
        }
        vec_set_mask_bit(v, v->vd, i, r);
    }
}

/* vadc/vsbc (vm = 0: v0 is the carry), vmerge/vmv.v.* (funct6 0x17). */
static void vec_carry_merge(VecInsn *v)
{
    if ((v->f6 != 0x17 && v->vm) || (!v->vm && v->vd == 0) ||
        (v->f6 == 0x17 && v->vm && v->vs2 != 0)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul);
    vec_check_group(v, v->vs2, v->lmul);
    if (v->f3 == 0) {
        vec_check_group(v, v->vs1, v->lmul);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a = vec_get(v, v->vs2, i, v->sew), b = opnd_b(v, i, v->sew);
        bool m = !v->vm && vec_mask_bit(v, 0, i);
        uint64_t r;

        if (v->f6 == 0x10) {
            r = a + b + m;
        } else if (v->f6 == 0x12) {
            r = a - b - m;
        } else {
            r = v->vm || m ? b : a;
        }
        vec_set(v, v->vd, i, v->sew, r);
    }
}

/* vnsrl, vnsra, vnclipu, vnclip: vd (SEW) = vs2 (2 * SEW) >> b. */
static void vec_narrow(VecInsn *v)
{
    int w = v->sew + 1;

    if (v->sew >= vec_max_sew(v) || v->lmul == 3 || (!v->vm && v->vd == 0)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul);
    vec_check_group(v, v->vs2, v->lmul + 1);
    if (v->vd != v->vs2) {
        vec_check_noover(v, v->vd, v->lmul, v->vs2, v->lmul + 1);
    }
    if (v->f3 == 0) {
        vec_check_group(v, v->vs1, v->lmul);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a, r;
        int sh;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, w);
        sh = (int)(opnd_b(v, i, v->sew) & ((8u << w) - 1));
        if (v->f6 == 0x2c) {
            r = a >> sh;
        } else if (v->f6 == 0x2d) {
            r = (uint64_t)(vec_sext(a, w) >> sh);
        } else if (v->f6 == 0x2e) {
            r = saturate(v->env, roundoff(v->env, a, sh), v->sew, false);
        } else {
            r = saturate(v->env, roundoff(v->env, vec_sext(a, w), sh), v->sew,
                         true);
        }
        vec_set(v, v->vd, i, v->sew, r);
    }
}

/* Widening OPM (funct6 0x30..0x3f): vd (2 * SEW) = op(vs2, vs1/x). */
static void vec_widen(VecInsn *v)
{
    int sew = v->sew, w = sew + 1, f6 = v->f6;
    bool wide_a = f6 >= 0x34 && f6 <= 0x37; /* the .w forms */

    if (sew >= vec_max_sew(v) || v->lmul == 3 || (!v->vm && v->vd == 0) ||
        f6 == 0x39 || (f6 == 0x3e && v->f3 != 6)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul + 1);
    vec_check_group(v, v->vs2, wide_a ? v->lmul + 1 : v->lmul);
    if (!wide_a) {
        vec_check_noover(v, v->vd, v->lmul + 1, v->vs2, v->lmul);
    }
    if (v->f3 == 2) {
        vec_check_group(v, v->vs1, v->lmul);
        vec_check_noover(v, v->vd, v->lmul + 1, v->vs1, v->lmul);
    }
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a, b, ua, ub, d;
        int64_t sa, sb;
        uint64_t r;

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, wide_a ? w : sew);
        b = opnd_b(v, i, sew);
        d = vec_get(v, v->vd, i, w);
        ua = a;
        sa = wide_a ? vec_sext(a, w) : vec_sext(a, sew);
        ub = b;
        sb = vec_sext(b, sew);
        switch (f6 & 0xf) {
        case 0x0: /* vwaddu */
        case 0x4:
            r = ua + ub;
            break;
        case 0x1: /* vwadd */
        case 0x5:
            r = (uint64_t)(sa + sb);
            break;
        case 0x2: /* vwsubu */
        case 0x6:
            r = ua - ub;
            break;
        case 0x3: /* vwsub */
        case 0x7:
            r = (uint64_t)(sa - sb);
            break;
        case 0x8: /* vwmulu */
            r = ua * ub;
            break;
        case 0xa: /* vwmulsu: vs2 signed, vs1 unsigned */
            r = (uint64_t)sa * ub;
            break;
        case 0xb: /* vwmul */
            r = (uint64_t)(sa * sb);
            break;
        case 0xc: /* vwmaccu */
            r = ua * ub + d;
            break;
        case 0xd: /* vwmacc */
            r = (uint64_t)(sa * sb) + d;
            break;
        case 0xe: /* vwmaccus: x unsigned, vs2 signed */
            r = ub * (uint64_t)sa + d;
            break;
        default: /* vwmaccsu: vs1 signed, vs2 unsigned */
            r = (uint64_t)sb * ua + d;
            break;
        }
        vec_set(v, v->vd, i, w, r);
    }
}

/* Reductions: vd[0] = op(vs1[0], active vs2[*]); @wide: vwredsum(u). */
static void vec_reduce(VecInsn *v, bool wide)
{
    int sew = v->sew, rs = wide ? sew + 1 : sew, op = v->f6;
    uint64_t acc;

    if (wide && sew >= vec_max_sew(v)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vs2, v->lmul);
    if (v->vl == 0) {
        return;
    }
    acc = vec_get(v, v->vs1, 0, rs);
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        uint64_t a;
        int64_t sa, sacc = vec_sext(acc, rs);

        if (!vec_active(v, i)) {
            continue;
        }
        a = vec_get(v, v->vs2, i, sew);
        sa = vec_sext(a, sew);
        if (wide) {
            acc += op == 0x30 ? a : (uint64_t)sa;
            continue;
        }
        switch (op) {
        case 0:
            acc += a;
            break;
        case 1:
            acc &= a;
            break;
        case 2:
            acc |= a;
            break;
        case 3:
            acc ^= a;
            break;
        case 4:
            acc = a < acc ? a : acc;
            break;
        case 5:
            acc = sa < sacc ? a : acc;
            break;
        case 6:
            acc = a > acc ? a : acc;
            break;
        default:
            acc = sa > sacc ? a : acc;
            break;
        }
        acc = vec_trunc(acc, rs);
    }
    vec_set(v, v->vd, 0, rs, acc);
}

/* vzext/vsext.vf2/4/8 (VXUNARY0, vs1 = 2..7). */
static void vec_extend(VecInsn *v)
{
    int f = 4 - (v->vs1 >> 1), src = v->sew - f; /* log2 of the factor */
    bool sgn = v->vs1 & 1;

    if (v->vs1 < 2 || src < 0 || v->lmul - f < -3 || (!v->vm && v->vd == 0)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul);
    vec_check_group(v, v->vs2, v->lmul - f);
    vec_check_noover(v, v->vd, v->lmul, v->vs2, v->lmul - f);
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        if (vec_active(v, i)) {
            uint64_t a = vec_get(v, v->vs2, i, src);

            vec_set(v, v->vd, i, v->sew, sgn ? (uint64_t)vec_sext(a, src) : a);
        }
    }
}

/* vmand.mm .. vmxnor.mm (funct6 0x18..0x1f). */
static void vec_mask_logical(VecInsn *v)
{
    for (uint32_t i = v->vstart; i < v->vl; i++) {
        bool a = vec_mask_bit(v, v->vs2, i), b = vec_mask_bit(v, v->vs1, i);
        bool r;

        switch (v->f6 & 7) {
        case 0:
            r = a && !b;
            break;
        case 1:
            r = a && b;
            break;
        case 2:
            r = a || b;
            break;
        case 3:
            r = a != b;
            break;
        case 4:
            r = a || !b;
            break;
        case 5:
            r = !(a && b);
            break;
        case 6:
            r = !(a || b);
            break;
        default:
            r = a == b;
            break;
        }
        vec_set_mask_bit(v, v->vd, i, r);
    }
}

/* vmv.x.s, vcpop.m, vfirst.m (VWXUNARY0); vmv.s.x (VRXUNARY0). */
static uint64_t vec_xunary(VecInsn *v)
{
    uint64_t n = 0;

    if (v->f3 == 6) { /* vmv.s.x */
        if (v->vs2 != 0 || !v->vm) {
            vec_illegal(v);
        }
        if (v->vstart < v->vl) {
            vec_set(v, v->vd, 0, v->sew, v->scalar);
            v->env->vstart = 0;
        }
        return 0;
    }
    if (v->vs1 == 0 && v->vm) {
        return (uint64_t)vec_sext(vec_get(v, v->vs2, 0, v->sew), v->sew);
    }
    if (v->vs1 != 0x10 && v->vs1 != 0x11) {
        vec_illegal(v);
    }
    if (v->vstart != 0) {
        vec_illegal(v);
    }
    for (uint32_t i = 0; i < v->vl; i++) {
        if (vec_active(v, i) && vec_mask_bit(v, v->vs2, i)) {
            if (v->vs1 == 0x11) {
                return i;
            }
            n++;
        }
    }
    return v->vs1 == 0x11 ? ~0ull : n;
}

/* vmsbf, vmsof, vmsif, viota, vid (VMUNARY0). */
static void vec_munary(VecInsn *v)
{
    bool found = false;
    uint64_t count = 0;

    if (v->vs1 == 0x11) { /* vid.v */
        if (v->vs2 != 0 || (!v->vm && v->vd == 0)) {
            vec_illegal(v);
        }
        vec_check_group(v, v->vd, v->lmul);
        for (uint32_t i = v->vstart; i < v->vl; i++) {
            if (vec_active(v, i)) {
                vec_set(v, v->vd, i, v->sew, i);
            }
        }
        return;
    }
    if ((v->vs1 != 0x10 && (v->vs1 < 1 || v->vs1 > 3)) || v->vstart != 0 ||
        v->vd == v->vs2 || (!v->vm && v->vd == 0)) {
        vec_illegal(v);
    }
    if (v->vs1 == 0x10) {
        vec_check_group(v, v->vd, v->lmul);
        vec_check_disjoint(v, v->vd, v->lmul, v->vs2, 0);
    }
    for (uint32_t i = 0; i < v->vl; i++) {
        bool s;

        if (!vec_active(v, i)) {
            continue;
        }
        s = vec_mask_bit(v, v->vs2, i);
        if (v->vs1 == 0x10) { /* viota.m */
            vec_set(v, v->vd, i, v->sew, count);
            count += s;
            continue;
        }
        /* vmsbf 1, vmsof 2, vmsif 3 */
        bool r = v->vs1 == 1   ? !found && !s
                 : v->vs1 == 2 ? !found && s
                               : !found;
        found |= s;
        vec_set_mask_bit(v, v->vd, i, r);
    }
}

void vec_permute(VecInsn *v, bool opm)
{
    uint32_t vl = v->vl, vlmax = v->vlmax;
    uint64_t off = v->f3 == 3 ? (v->insn >> 15) & 31 : v->scalar;
    int f6 = v->f6;
    bool ei16 = !opm && f6 == 0x0e && v->f3 == 0;
    bool up = (f6 == 0x0e && !ei16) || (opm && f6 == 0x0e);
    uint8_t src[8 * RISCV_VLEN_MAX / 8];

    if ((!v->vm && v->vd == 0) ||
        ((up || f6 == 0x0c || ei16 || f6 == 0x17) && v->vd == v->vs2)) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, v->lmul);
    vec_check_group(v, v->vs2, v->lmul);
    /* The source group, copied: vslidedown may have vd == vs2. */
    memcpy(src, vec_elem_ptr(v, v->vs2, 0, 0),
           (v->lmul > 0 ? 1u << v->lmul : 1u) * v->vlenb);
    if (opm && f6 == 0x17) { /* vcompress.vm */
        uint32_t k = 0;

        if (v->vstart != 0 || !v->vm) {
            vec_illegal(v);
        }
        vec_check_disjoint(v, v->vd, v->lmul, v->vs1, 0);
        vec_check_disjoint(v, v->vd, v->lmul, v->vs2, v->lmul);
        for (uint32_t i = 0; i < vl; i++) {
            if (vec_mask_bit(v, v->vs1, i)) {
                uint64_t x;

                memcpy(&x, src + ((size_t)i << v->sew), 1u << v->sew);
                vec_set(v, v->vd, k++, v->sew, x);
            }
        }
        return;
    }
    if (ei16) {
        vec_check_group(v, v->vs1, 1 - v->sew + v->lmul);
        vec_check_disjoint(v, v->vd, v->lmul, v->vs1, 1 - v->sew + v->lmul);
    } else if (v->f3 == 0) {
        vec_check_group(v, v->vs1, v->lmul);
        if (f6 == 0x0c && v->vd == v->vs1) {
            vec_illegal(v); /* vrgather.vv: vd overlaps neither source */
        }
    }
    for (uint32_t i = v->vstart; i < vl; i++) {
        uint64_t x = 0, idx;
        bool have;

        if (!vec_active(v, i)) {
            continue;
        }
        if (f6 == 0x0c || ei16) { /* vrgather */
            idx = v->f3 == 0   ? vec_get(v, v->vs1, i, ei16 ? 1 : v->sew)
                  : v->f3 == 3 ? off
                               : v->scalar;
            have = idx < vlmax;
        } else if (up) {
            uint64_t o = opm ? 1 : off;

            if (i < o) {
                if (opm && i == 0) {
                    vec_set(v, v->vd, 0, v->sew, v->scalar);
                }
                continue; /* vslideup leaves vd[i < offset] */
            }
            idx = i - o;
            have = true;
        } else { /* slide down */
            uint64_t o = opm ? 1 : off;

            idx = i + o;
            have = idx < vlmax && idx >= i;
            if (opm && i == vl - 1) {
                vec_set(v, v->vd, i, v->sew, v->scalar);
                continue;
            }
        }
        if (have) {
            memcpy(&x, src + ((size_t)idx << v->sew), 1u << v->sew);
        }
        vec_set(v, v->vd, i, v->sew, x);
    }
}

/* vmv<nr>r.v: whole registers, no vtype needed. */
static void vec_move_whole(VecInsn *v)
{
    uint32_t nr = ((v->insn >> 15) & 31) + 1, len = nr * v->vlenb;

    if ((nr & (nr - 1)) || nr > 8 || (v->vd & (nr - 1)) ||
        (v->vs2 & (nr - 1)) || !v->vm) {
        vec_illegal(v);
    }
    if (v->vstart < len) {
        memmove(vec_elem_ptr(v, v->vd, v->vstart, 0),
                vec_elem_ptr(v, v->vs2, v->vstart, 0), len - v->vstart);
    }
}

/* Allowed operand kinds of each OPI funct6 (0: reserved). */
static const uint8_t opi_kinds[64] = {
    [0x00] = K_VV | K_VX | K_VI,
    [0x02] = K_VV | K_VX,
    [0x03] = K_VX | K_VI,
    [0x04] = K_VV | K_VX,
    [0x05] = K_VV | K_VX,
    [0x06] = K_VV | K_VX,
    [0x07] = K_VV | K_VX,
    [0x09] = K_VV | K_VX | K_VI,
    [0x0a] = K_VV | K_VX | K_VI,
    [0x0b] = K_VV | K_VX | K_VI,
    [0x0c] = K_VV | K_VX | K_VI,
    [0x0e] = K_VV | K_VX | K_VI,
    [0x0f] = K_VX | K_VI,
    [0x10] = K_VV | K_VX | K_VI,
    [0x11] = K_VV | K_VX | K_VI,
    [0x12] = K_VV | K_VX,
    [0x13] = K_VV | K_VX,
    [0x17] = K_VV | K_VX | K_VI,
    [0x18] = K_VV | K_VX | K_VI,
    [0x19] = K_VV | K_VX | K_VI,
    [0x1a] = K_VV | K_VX,
    [0x1b] = K_VV | K_VX,
    [0x1c] = K_VV | K_VX | K_VI,
    [0x1d] = K_VV | K_VX | K_VI,
    [0x1e] = K_VX | K_VI,
    [0x1f] = K_VX | K_VI,
    [0x20] = K_VV | K_VX | K_VI,
    [0x21] = K_VV | K_VX | K_VI,
    [0x22] = K_VV | K_VX,
    [0x23] = K_VV | K_VX,
    [0x25] = K_VV | K_VX | K_VI,
    [0x27] = K_VV | K_VX | K_VI,
    [0x28] = K_VV | K_VX | K_VI,
    [0x29] = K_VV | K_VX | K_VI,
    [0x2a] = K_VV | K_VX | K_VI,
    [0x2b] = K_VV | K_VX | K_VI,
    [0x2c] = K_VV | K_VX | K_VI,
    [0x2d] = K_VV | K_VX | K_VI,
    [0x2e] = K_VV | K_VX | K_VI,
    [0x2f] = K_VV | K_VX | K_VI,
    [0x30] = K_VV,
    [0x31] = K_VV,
};

/* Immediate forms that take uimm5 (shifts, slides, gathers): others simm5. */
static bool opi_uimm(int f6)
{
    return f6 == 0x25 || (f6 >= 0x28 && f6 <= 0x2f) || f6 == 0x0c ||
           f6 == 0x0e || f6 == 0x0f;
}

bool vec_skip(VecInsn *v)
{
    if (v->vstart < v->vl) {
        return false;
    }
    v->vl = 0;
    v->vstart = 0;
    return true;
}

static uint64_t vec_opi(VecInsn *v)
{
    bool skip;
    int f6 = v->f6, kind = v->f3 == 0 ? K_VV : v->f3 == 4 ? K_VX : K_VI;

    if (!(opi_kinds[f6] & kind)) {
        vec_illegal(v);
    }
    if (kind == K_VI) {
        uint64_t imm = (v->insn >> 15) & 31;

        v->scalar = opi_uimm(f6) ? imm : (uint64_t)((int64_t)(imm << 59) >> 59);
    }
    if (f6 == 0x27 && kind == K_VI) {
        vec_move_whole(v);
        return 0;
    }
    if (v->env->vill) {
        vec_illegal(v);
    }
    skip = vec_skip(v);
    if (f6 == 0x0c || f6 == 0x0e || f6 == 0x0f) {
        vec_permute(v, false);
    } else if (f6 == 0x11 || f6 == 0x13 || (f6 >= 0x18 && f6 <= 0x1f)) {
        vec_compare(v);
    } else if (f6 == 0x10 || f6 == 0x12 || f6 == 0x17) {
        vec_carry_merge(v);
    } else if (f6 >= 0x2c && f6 <= 0x2f) {
        vec_narrow(v);
    } else if (f6 == 0x30 || f6 == 0x31) {
        vec_reduce(v, true);
    } else {
        vec_sss(v, false);
    }
    if (!skip) {
        v->env->vstart = 0;
    }
    return 0;
}

static uint64_t vec_opm(VecInsn *v)
{
    int f6 = v->f6;
    bool vx = v->f3 == 6, skip;

    if (v->env->vill) {
        vec_illegal(v);
    }
    if (f6 == 0x10) {
        return vec_xunary(v); /* vmv.x.s runs with vl = 0 too */
    }
    skip = vec_skip(v);
    if (f6 <= 0x07 && !vx) {
        vec_reduce(v, false);
    } else if ((f6 == 0x0e || f6 == 0x0f) && vx) {
        vec_permute(v, true);
    } else if (f6 == 0x12 && !vx) {
        vec_extend(v);
    } else if (f6 == 0x14 && !vx) {
        vec_munary(v);
    } else if (f6 == 0x17 && !vx) {
        vec_permute(v, true);
    } else if (f6 >= 0x18 && f6 <= 0x1f && !vx) {
        if (!v->vm) {
            vec_illegal(v);
        }
        vec_mask_logical(v);
    } else if (f6 >= 0x30) {
        vec_widen(v);
    } else if (opm_elem_op(f6)) {
        vec_sss(v, true);
    } else {
        vec_illegal(v);
    }
    if (!skip) {
        v->env->vstart = 0;
    }
    return 0;
}

uint64_t vec_int_op(VecInsn *v)
{
    switch (v->f3) {
    case 0:
    case 3:
    case 4:
        return vec_opi(v);
    case 2:
    case 6:
        return vec_opm(v);
    default:
        return vec_fp_op(v);
    }
}
