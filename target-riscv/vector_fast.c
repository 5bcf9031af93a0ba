/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * V extension fast paths: the common vector instructions done a whole
 * register group at a time on host SIMD, instead of one element at a
 * time through vec_get/vec_set (vector_helper_int.c, vector_helper_fp.c).
 *
 * helper_vop and helper_vldst try vec_fast_op / vec_fast_ldst first (the
 * OP-V forms of vector_fast2.c are tried from vec_fast_op too); a
 * fast path either does the whole instruction and returns true, or
 * touches nothing (no register, no memory, no CSR) and returns false, and
 * the exact per-element code runs (it also raises every SIGILL: a fast
 * path only takes forms whose checks it can see pass).  Common conditions:
 * vill clear, vstart == 0, vl > 0, register groups aligned to LMUL.
 *
 * - Elementwise integer ops (add, sub, rsub, min/max, logic, shifts, mul,
 *   macc/madd, merge/move), compares into a mask, the widening add/mul/
 *   macc of dot products, vredsum, vmv.x.s, vmv.s.x, vcpop.m, vfirst.m.
 *   Operands are copied into local arrays of the element type (the groups
 *   may overlap in any way), the loop over them is plain C that GCC
 *   vectorizes (SSE2; an AVX2 clone chosen at start-up by target_clones
 *   where the host has it), and the result is copied back.  Masked forms
 *   (v0.t) keep the inactive elements (mask undisturbed, as QEMU 7.2).
 *   Tail elements are never written (tail undisturbed, as QEMU 7.2).
 * - FP add, sub, mul and fused macc at SEW 32/64: the host computes every
 *   lane in round-to-nearest-even; the result is kept only if frm is RNE,
 *   NX is already accrued in fflags and every result lane is a normal
 *   number strictly inside the finite range (then no flag other than NX
 *   can have been raised and the host result is the IEEE one: the rule of
 *   fpu.c's fused fast path).  Otherwise the soft-fpu path redoes it all.
 * - Unit-stride (and fault-only-first) loads and stores and whole-register
 *   loads and stores, unmasked, whose bytes lie in one 4 KiB page: element
 *   0 is copied first, then the rest.  A fault can only happen on the
 *   first access (the page is the same), so it is taken at element 0 with
 *   vstart 0 and the element's address, exactly as the per-element path
 *   would take it; a fault-only-first load cannot trim vl in one page.
 *   Across two pages (not fault-only-first): the first page's elements,
 *   then vstart set to the second page's first element and the rest
 *   (vf_ldst_2pages), so a fault there leaves the helper's state.
 */
#include <string.h>

#include "accel/tcg/cpu-exec.h"
#include "target-riscv/fpu/fpu.h"
#include "target-riscv/vector_fast.h"
#include "target-riscv/vector_internal.h"
#include "tcg/sanitizer.h"

/*
 * x86-64: an AVX2 clone of the integer kernels (the dynamic loader's
 * resolver picks it from the host CPU) and FMA3 code for the FP ones
 * (used only where vf_host_fma() finds FMA3).  Elsewhere plain C.  No
 * clones in sanitizer builds: the loader runs the ifunc resolvers before
 * the sanitizer runtime is set up, and ThreadSanitizer's instrumentation
 * of a resolver then crashes at start-up.
 */
#if defined(__x86_64__) && !defined(CTCG_SANITIZED)
#define VF_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VF_CLONES
#endif
#if defined(__x86_64__)
#define VF_FMA_TARGET __attribute__((target("fma")))
#else
#define VF_FMA_TARGET
#endif

/* Bytes of the largest register group (LMUL 8). */
#define VF_MAXB (8 * RISCV_VLEN_MAX / 8)
#define VF_PAGE 4096u

/*
 * memcpy for the short copies here (16 to 1024 bytes, a multiple of the
 * element size): inline 16-byte moves instead of a call into the C
 * library (the empty asm keeps GCC from turning the loop into that call).
 */
static inline void vf_copy(void *dst, const void *src, size_t len)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    for (; len >= 16; len -= 16, d += 16, s += 16) {
        __builtin_memcpy(d, s, 16);
        __asm__("" : "+r"(d), "+r"(s));
    }
    if (len & 8) {
        __builtin_memcpy(d, s, 8);
        d += 8;
        s += 8;
    }
    if (len & 4) {
        __builtin_memcpy(d, s, 4);
        d += 4;
        s += 4;
    }
    if (len & 2) {
        __builtin_memcpy(d, s, 2);
        d += 2;
        s += 2;
    }
    if (len & 1) {
        *d = *s;
    }
}

static uint8_t *vf_reg(const VFast *f, int reg)
{
    return f->env->vreg + (uint32_t)reg * f->vlenb;
}

static bool vf_aligned(int reg, int regs)
{
    return (reg & (regs - 1)) == 0;
}

/* Do groups of @an registers at @a and @bn at @b overlap? */
static bool vf_overlap(int a, int an, int b, int bn)
{
    return a < b + bn && b < a + an;
}

static bool vf_mask(const CPURISCVState *env, uint32_t i)
{
    return env->vreg[i / 8] >> (i % 8) & 1;
}

/*
 * Elementwise integer operations.  VF_* codes: one per funct6 handled.
 */
enum {
    VF_ADD,
    VF_SUB,
    VF_RSUB,
    VF_MINU,
    VF_MIN,
    VF_MAXU,
    VF_MAX,
    VF_AND,
    VF_OR,
    VF_XOR,
    VF_SLL,
    VF_SRL,
    VF_SRA,
    VF_MUL,
    VF_MACC,
    VF_NMSAC,
    VF_MADD,
    VF_NMSUB,
    VF_MERGE,
    VF_EQ,
    VF_NE,
    VF_LTU,
    VF_LT,
    VF_LEU,
    VF_LE,
    VF_GTU,
    VF_GT,
    VF_NONE
};

/* Write the results @r (type size 1 << sew) of elements [0, vl) to vd. */
static void vf_write(const VFast *f, const void *r, bool all)
{
    uint32_t esz = 1u << f->sew;
    uint8_t *d = vf_reg(f, f->vd);

    if (f->vm || all) {
        vf_copy(d, r, (size_t)f->vl * esz);
        return;
    }
    for (uint32_t i = 0; i < f->vl; i++) {
        if (!vf_mask(f->env, i)) {
            continue;
        }
        if (esz == 4) { /* the FP sizes, as constants: no memcpy call */
            __builtin_memcpy(d + i * 4, (const uint8_t *)r + i * 4, 4);
        } else if (esz == 8) {
            __builtin_memcpy(d + i * 8, (const uint8_t *)r + i * 8, 8);
        } else {
            memcpy(d + i * esz, (const uint8_t *)r + i * esz, esz);
        }
    }
}

/*
 * vf_write_8 .. vf_write_64: the results @r of
 * elements [0, vl) to vd, only the active ones when masked.
 */
#define DEF_VF_WRITE(S, T)                                      \
    static inline void vf_write_##S(const VFast *f, const T *r) \
    {                                                           \
        T *d = (T *)vf_reg(f, f->vd);                           \
                                                                \
        if (f->vm) {                                            \
            vf_copy(d, r, (size_t)f->vl * sizeof(T));           \
            return;                                             \
        }                                                       \
        for (uint32_t i = 0; i < f->vl; i++) {                  \
            if (vf_mask(f->env, i)) {                           \
                d[i] = r[i];                                    \
            }                                                   \
        }                                                       \
    }

DEF_VF_WRITE(8, uint8_t)
DEF_VF_WRITE(16, uint16_t)
DEF_VF_WRITE(32, uint32_t)
DEF_VF_WRITE(64, uint64_t)

/* Write mask bits @c[0, vl) into vd (masked: only the active ones). */
static void vf_write_mask(const VFast *f, const uint8_t *c)
{
    uint8_t *d = vf_reg(f, f->vd);
    uint32_t i = 0;

    if (f->vm) {
        for (; i + 8 <= f->vl; i += 8) {
            uint8_t b = 0;

            for (int k = 0; k < 8; k++) {
                b |= (uint8_t)(c[i + k] << k);
            }
            d[i / 8] = b;
        }
    }
    for (; i < f->vl; i++) {
        if (f->vm || vf_mask(f->env, i)) {
            d[i / 8] = (uint8_t)((d[i / 8] & ~(1u << (i % 8))) |
                                 (unsigned)c[i] << (i % 8));
        }
    }
}

#define VF_CMP(cond)            \
    for (i = 0; i < n; i++) {   \
        c[i] = (uint8_t)(cond); \
    }                           \
    vf_write_mask(f, c);        \
    return

#define VF_LOOP(expr)                    \
    for (i = 0; i < n; i++) {            \
        r[i] = (__typeof__(r[0]))(expr); \
    }                                    \
    break

/*
 * One function per SEW: T unsigned, ST signed.  @vv: b from vs1, else
 * the scalar.  The element loops vectorize; target_clones adds an AVX2
 * variant picked by the dynamic loader's resolver from the host CPU.
 */
#define DEF_VF_INT(S, T, ST)                                          \
    VF_CLONES static void vf_int_##S(const VFast *f, int op, bool vv) \
    {                                                                 \
        T bb[VF_MAXB / sizeof(T)], r[VF_MAXB / sizeof(T)];            \
        const T *a = (const T *)vf_reg(f, f->vs2);                    \
        const T *b = vv ? (const T *)vf_reg(f, f->vs1) : bb;          \
        const T *d = (const T *)vf_reg(f, f->vd);                     \
        uint8_t c[VF_MAXB / sizeof(T)];                               \
        uint32_t n = f->vl, i;                                        \
        const T sm = (T)(sizeof(T) * 8 - 1);                          \
                                                                      \
        if (!vv) {                                                    \
            for (i = 0; i < n; i++) {                                 \
                bb[i] = (T)f->x;                                      \
            }                                                         \
        }                                                             \
        switch (op) {                                                 \
        case VF_ADD:                                                  \
            VF_LOOP(a[i] + b[i]);                                     \
        case VF_SUB:                                                  \
            VF_LOOP(a[i] - b[i]);                                     \
        case VF_RSUB:                                                 \
            VF_LOOP(b[i] - a[i]);                                     \
        case VF_MINU:                                                 \
            VF_LOOP(a[i] < b[i] ? a[i] : b[i]);                       \
        case VF_MIN:                                                  \
            VF_LOOP((ST)a[i] < (ST)b[i] ? a[i] : b[i]);               \
        case VF_MAXU:                                                 \
            VF_LOOP(a[i] > b[i] ? a[i] : b[i]);                       \
        case VF_MAX:                                                  \
            VF_LOOP((ST)a[i] > (ST)b[i] ? a[i] : b[i]);               \
        case VF_AND:                                                  \
            VF_LOOP(a[i] & b[i]);                                     \
        case VF_OR:                                                   \
            VF_LOOP(a[i] | b[i]);                                     \
        case VF_XOR:                                                  \
            VF_LOOP(a[i] ^ b[i]);                                     \
        case VF_SLL:                                                  \
            VF_LOOP(a[i] << (b[i] & sm));                             \
        case VF_SRL:                                                  \
            VF_LOOP(a[i] >> (b[i] & sm));                             \
        case VF_SRA:                                                  \
            VF_LOOP((ST)a[i] >> (b[i] & sm));                         \
        case VF_MUL:                                                  \
            VF_LOOP((uint64_t)a[i] * b[i]);                           \
        case VF_MACC: /* vd = vs1 * vs2 + vd */                       \
            VF_LOOP((uint64_t)a[i] * b[i] + d[i]);                    \
        case VF_NMSAC:                                                \
            VF_LOOP(d[i] - (uint64_t)a[i] * b[i]);                    \
        case VF_MADD: /* vd = vs1 * vd + vs2 */                       \
            VF_LOOP((uint64_t)b[i] * d[i] + a[i]);                    \
        case VF_NMSUB:                                                \
            VF_LOOP(a[i] - (uint64_t)b[i] * d[i]);                    \
        case VF_MERGE: /* vmv.v (vm=1) or vmerge: v0 picks b or a */  \
            if (f->vm) {                                              \
                vf_copy(r, b, n * sizeof(T));                         \
            } else {                                                  \
                for (i = 0; i < n; i++) {                             \
                    r[i] = vf_mask(f->env, i) ? b[i] : a[i];          \
                }                                                     \
            }                                                         \
            vf_write(f, r, true);                                     \
            return;                                                   \
        case VF_EQ:                                                   \
            VF_CMP(a[i] == b[i]);                                     \
        case VF_NE:                                                   \
            VF_CMP(a[i] != b[i]);                                     \
        case VF_LTU:                                                  \
            VF_CMP(a[i] < b[i]);                                      \
        case VF_LT:                                                   \
            VF_CMP((ST)a[i] < (ST)b[i]);                              \
        case VF_LEU:                                                  \
            VF_CMP(a[i] <= b[i]);                                     \
        case VF_LE:                                                   \
            VF_CMP((ST)a[i] <= (ST)b[i]);                             \
        case VF_GTU:                                                  \
            VF_CMP(a[i] > b[i]);                                      \
        default: /* VF_GT */                                          \
            VF_CMP((ST)a[i] > (ST)b[i]);                              \
        }                                                             \
        vf_write_##S(f, r);                                           \
    }

DEF_VF_INT(8, uint8_t, int8_t)
DEF_VF_INT(16, uint16_t, int16_t)
DEF_VF_INT(32, uint32_t, int32_t)
DEF_VF_INT(64, uint64_t, int64_t)

static void vf_int(const VFast *f, int op, bool vv)
{
    switch (f->sew) {
    case 0:
        vf_int_8(f, op, vv);
        break;
    case 1:
        vf_int_16(f, op, vv);
        break;
    case 2:
        vf_int_32(f, op, vv);
        break;
    default:
        vf_int_64(f, op, vv);
        break;
    }
}

/* The VF_* op of an OPI funct6 (@vv, @vi: the form), or VF_NONE. */
static int vf_opi_code(int f6, bool vv, bool vi)
{
    static const int8_t codes[64] = {
        [0x00] = VF_ADD + 1,  [0x02] = VF_SUB + 1,   [0x03] = VF_RSUB + 1,
        [0x04] = VF_MINU + 1, [0x05] = VF_MIN + 1,   [0x06] = VF_MAXU + 1,
        [0x07] = VF_MAX + 1,  [0x09] = VF_AND + 1,   [0x0a] = VF_OR + 1,
        [0x0b] = VF_XOR + 1,  [0x17] = VF_MERGE + 1, [0x18] = VF_EQ + 1,
        [0x19] = VF_NE + 1,   [0x1a] = VF_LTU + 1,   [0x1b] = VF_LT + 1,
        [0x1c] = VF_LEU + 1,  [0x1d] = VF_LE + 1,    [0x1e] = VF_GTU + 1,
        [0x1f] = VF_GT + 1,   [0x25] = VF_SLL + 1,   [0x28] = VF_SRL + 1,
        [0x29] = VF_SRA + 1,
    };
    int op = codes[f6] - 1;

    if (op < 0 || (vv && (op == VF_RSUB || op == VF_GTU || op == VF_GT))) {
        return VF_NONE; /* no such .vv form: SIGILL in the exact path */
    }
    if (vi && (op == VF_SUB || (op >= VF_MINU && op <= VF_MAX) ||
               op == VF_LTU || op == VF_LT)) {
        return VF_NONE; /* no such .vi form */
    }
    return op;
}

/* Legal register use of an elementwise op or a compare (see vf_opi). */
static bool vf_regs_ok(const VFast *f, int op, bool vv)
{
    bool cmp = op >= VF_EQ && op <= VF_GT;

    if (!vf_aligned(f->vs2, f->regs) || (vv && !vf_aligned(f->vs1, f->regs))) {
        return false;
    }
    if (cmp) { /* a mask vd: take only the forms with no overlap at all */
        return !vf_overlap(f->vd, 1, f->vs2, f->regs) &&
               !(vv && vf_overlap(f->vd, 1, f->vs1, f->regs)) &&
               (f->vm || f->vd != 0);
    }
    if (!vf_aligned(f->vd, f->regs) || (!f->vm && f->vd == 0)) {
        return false;
    }
    return op != VF_MERGE || !f->vm || f->vs2 == 0;
}

/* OPIVV, OPIVX, OPIVI. */
static bool vf_opi(VFast *f)
{
    bool vv = f->f3 == 0;
    int op = vf_opi_code(f->f6, vv, f->f3 == 3);

    if (op == VF_NONE || !vf_regs_ok(f, op, vv)) {
        return false;
    }
    if (f->f3 == 3) { /* simm5; the shifts take uimm5 */
        uint64_t imm = f->x;

        f->x = op == VF_SLL || op == VF_SRL || op == VF_SRA
                   ? imm
                   : (uint64_t)((int64_t)(imm << 59) >> 59);
    }
    vf_int(f, op, vv);
    return true;
}

/*
 * Widening (dest 2 * SEW, EMUL 2 * LMUL): vwaddu, vwadd, vwmulu, vwmul,
 * vwmaccu, vwmacc.  Only with vd disjoint from the sources.
 */
#define DEF_VF_WIDE(S, T, ST, W, SW)                                \
    static void vf_wide_##S(const VFast *f, bool vv)                \
    {                                                               \
        T bb[VF_MAXB / sizeof(W)];                                  \
        W r[VF_MAXB / sizeof(W)];                                   \
        const T *a = (const T *)vf_reg(f, f->vs2);                  \
        const T *b = vv ? (const T *)vf_reg(f, f->vs1) : bb;        \
        const W *d = (const W *)vf_reg(f, f->vd);                   \
        uint32_t n = f->vl, i;                                      \
        int f6 = f->f6;                                             \
                                                                    \
        if (!vv) {                                                  \
            for (i = 0; i < n; i++) {                               \
                bb[i] = (T)f->x;                                    \
            }                                                       \
        }                                                           \
        for (i = 0; i < n; i++) {                                   \
            W ua = a[i], ub = b[i], sa = (W)(SW)(ST)a[i],           \
              sb = (W)(SW)(ST)b[i];                                 \
                                                                    \
            r[i] = f6 == 0x30   ? ua + ub                           \
                   : f6 == 0x31 ? sa + sb                           \
                   : f6 == 0x38 ? ua * ub                           \
                   : f6 == 0x3b ? (W)((uint64_t)sa * sb)            \
                   : f6 == 0x3c ? (W)(ua * ub + d[i])               \
                                : (W)((uint64_t)sa * sb + d[i]);    \
        }                                                           \
        if (f->vm) {                                                \
            vf_copy(vf_reg(f, f->vd), r, n * sizeof(W));            \
        } else {                                                    \
            for (i = 0; i < n; i++) {                               \
                if (vf_mask(f->env, i)) {                           \
                    memcpy(vf_reg(f, f->vd) + i * sizeof(W), &r[i], \
                           sizeof(W));                              \
                }                                                   \
            }                                                       \
        }                                                           \
    }

DEF_VF_WIDE(8, uint8_t, int8_t, uint16_t, int16_t)
DEF_VF_WIDE(16, uint16_t, int16_t, uint32_t, int32_t)
DEF_VF_WIDE(32, uint32_t, int32_t, uint64_t, int64_t)

static bool vf_wide(const VFast *f, bool vv)
{
    int dregs = f->lmul >= 0 ? 2 << f->lmul : 1;

    if (f->sew == 3 || f->lmul == 3 || !vf_aligned(f->vd, dregs) ||
        !vf_aligned(f->vs2, f->regs) || (vv && !vf_aligned(f->vs1, f->regs)) ||
        vf_overlap(f->vd, dregs, f->vs2, f->regs) ||
        (vv && vf_overlap(f->vd, dregs, f->vs1, f->regs)) ||
        (!f->vm && f->vd == 0)) {
        return false;
    }
    if (f->sew == 0) {
        vf_wide_8(f, vv);
    } else if (f->sew == 1) {
        vf_wide_16(f, vv);
    } else {
        vf_wide_32(f, vv);
    }
    return true;
}

/* Element @i of the group at @reg, zero-extended. */
static uint64_t vf_get(const VFast *f, int reg, uint32_t i)
{
    uint64_t x = 0;

    memcpy(&x, vf_reg(f, reg) + (i << f->sew), 1u << f->sew);
    return x;
}

/* vredsum.vs, unmasked: vd[0] = vs1[0] + sum(vs2[0, vl)). */
static bool vf_redsum(const VFast *f)
{
    uint64_t s;

    if (!f->vm || !vf_aligned(f->vs2, f->regs)) {
        return false;
    }
    s = vf_get(f, f->vs1, 0);
    for (uint32_t i = 0; i < f->vl; i++) {
        s += vf_get(f, f->vs2, i);
    }
    memcpy(vf_reg(f, f->vd), &s, 1u << f->sew);
    return true;
}

/* vmv.x.s, vcpop.m, vfirst.m (OPMVV 0x10), unmasked. */
static bool vf_xunary(const VFast *f, uint64_t *ret)
{
    const uint8_t *m = vf_reg(f, f->vs2);
    uint64_t n = 0;

    if (!f->vm) {
        return false;
    }
    if (f->vs1 == 0) {
        int sh = 64 - (8 << f->sew);

        *ret = (uint64_t)((int64_t)(vf_get(f, f->vs2, 0) << sh) >> sh);
        return true;
    }
    if (f->vs1 != 0x10 && f->vs1 != 0x11) {
        return false;
    }
    for (uint32_t i = 0; i < f->vl; i++) {
        if (m[i / 8] >> (i % 8) & 1) {
            if (f->vs1 == 0x11) {
                *ret = i;
                return true;
            }
            n++;
        }
    }
    *ret = f->vs1 == 0x11 ? (uint64_t)-1 : n;
    return true;
}

/* OPMVV, OPMVX. */
static bool vf_opm(VFast *f, uint64_t *ret)
{
    static const int8_t codes[64] = {
        [0x25] = VF_MUL + 1,  [0x29] = VF_MADD + 1,  [0x2b] = VF_NMSUB + 1,
        [0x2d] = VF_MACC + 1, [0x2f] = VF_NMSAC + 1,
    };
    bool vv = f->f3 == 2;
    int f6 = f->f6, op = codes[f6] - 1;

    if (op >= 0) {
        if (!vf_regs_ok(f, op, vv)) {
            return false;
        }
        vf_int(f, op, vv);
        return true;
    }
    if (f6 == 0x30 || f6 == 0x31 || f6 == 0x38 || f6 == 0x3b || f6 == 0x3c ||
        f6 == 0x3d) {
        return vf_wide(f, vv);
    }
    if (f6 == 0x00 && vv) {
        return vf_redsum(f);
    }
    if (f6 == 0x10 && vv) {
        return vf_xunary(f, ret);
    }
    if (f6 == 0x10 && f->vs2 == 0 && f->vm) { /* vmv.s.x */
        memcpy(vf_reg(f, f->vd), &f->x, 1u << f->sew);
        return true;
    }
    return false;
}

/*
 * FP lanes, T float (S = s) or double (S = d), U its bit type.  in_range:
 * the magnitude strictly between the smallest normal and the largest
 * finite (no OF/UF/NV, not NaN, not zero); small: below HUGE (TwoSum
 * cannot overflow); big: at or above LOWLIM (a product's FMA residual
 * cannot underflow).  Limits as fpu.c's.
 */
#define DEF_VF_LANE(S, T, U, MINN, MAXF, HUGE, LOWLIM)       \
    static inline U vf_abs_##S(T x)                          \
    {                                                        \
        U u;                                                 \
                                                             \
        memcpy(&u, &x, sizeof(u));                           \
        return u & ((U)-1 >> 1);                             \
    }                                                        \
                                                             \
    static inline bool vf_in_range_##S(T x)                  \
    {                                                        \
        return vf_abs_##S(x) - (MINN + 1) < MAXF - MINN - 1; \
    }                                                        \
                                                             \
    static inline bool vf_small_##S(T x)                     \
    {                                                        \
        return vf_abs_##S(x) < HUGE;                         \
    }                                                        \
                                                             \
    static inline bool vf_big_##S(T x)                       \
    {                                                        \
        return vf_abs_##S(x) >= LOWLIM;                      \
    }

DEF_VF_LANE(s, float, uint32_t, 0x00800000u, 0x7f7fffffu, 0x7e800000u,
            0x0d800000u)
DEF_VF_LANE(d, double, uint64_t, 0x0010000000000000ull, 0x7fefffffffffffffull,
            0x7fd0000000000000ull, 0x0370000000000000ull)

/*
 * vfadd/vfsub (@neg: b negated): the host sum, and with TwoSum whether it
 * is exact.  vfmul: the product, exact when its FMA residual is zero
 * (hosts with FMA3: target("fma") code, chosen at run time; without it
 * only when NX is accrued already).  vfmacc (vd = vs1 * vs2 + vd): the
 * host's fused multiply-add; no cheap exactness test, so only when NX is
 * accrued already.  Each returns false unless every lane is in range;
 * *@nx: some lane inexact.
 */
#define DEF_VF_FP(S, T, B)                                                     \
    static bool vf_add_##S(uint32_t n, const T *a, const T *b, T *r, bool neg, \
                           bool *nx)                                           \
    {                                                                          \
        bool ok = true, inexact = false;                                       \
                                                                               \
        for (uint32_t i = 0; i < n; i++) {                                     \
            T x = a[i], y = neg ? -b[i] : b[i], s = x + y, bv = s - x;         \
            T e = (x - (s - bv)) + (y - bv);                                   \
                                                                               \
            r[i] = s;                                                          \
            ok &= vf_in_range_##S(s) & vf_small_##S(x) & vf_small_##S(y);      \
            inexact |= e != 0;                                                 \
        }                                                                      \
        *nx = inexact;                                                         \
        return ok;                                                             \
    }                                                                          \
                                                                               \
    VF_FMA_TARGET static bool vf_mul_##S##_fma(uint32_t n, const T *a,         \
                                               const T *b, T *r, bool *nx)     \
    {                                                                          \
        bool ok = true, inexact = false;                                       \
                                                                               \
        for (uint32_t i = 0; i < n; i++) {                                     \
            T p = a[i] * b[i];                                                 \
                                                                               \
            r[i] = p;                                                          \
            ok &= vf_in_range_##S(p) & vf_big_##S(p);                          \
            inexact |= VF_FMA_##S(a[i], b[i], -p) != 0;                        \
        }                                                                      \
        *nx = inexact;                                                         \
        return ok;                                                             \
    }                                                                          \
                                                                               \
    static bool vf_mul_##S(uint32_t n, const T *a, const T *b, T *r)           \
    {                                                                          \
        bool ok = true;                                                        \
                                                                               \
        for (uint32_t i = 0; i < n; i++) {                                     \
            r[i] = a[i] * b[i];                                                \
            ok &= vf_in_range_##S(r[i]);                                       \
        }                                                                      \
        return ok;                                                             \
    }                                                                          \
                                                                               \
    VF_FMA_TARGET static bool vf_macc_##S##_fma(uint32_t n, const T *a,        \
                                                const T *b, const T *d, T *r)  \
    {                                                                          \
        bool ok = true;                                                        \
                                                                               \
        for (uint32_t i = 0; i < n; i++) {                                     \
            r[i] = VF_FMA_##S(b[i], a[i], d[i]);                               \
            ok &= vf_in_range_##S(r[i]);                                       \
        }                                                                      \
        return ok;                                                             \
    }                                                                          \
                                                                               \
    static bool vf_fp_##S(const VFast *f, bool vv, bool fma, bool nx_set)      \
    {                                                                          \
        T a[VF_MAXB / sizeof(T)], b[VF_MAXB / sizeof(T)];                      \
        T d[VF_MAXB / sizeof(T)], r[VF_MAXB / sizeof(T)];                      \
        uint32_t n = f->vl, i;                                                 \
        bool ok, nx = false;                                                   \
                                                                               \
        vf_copy(a, vf_reg(f, f->vs2), n * sizeof(T));                          \
        if (vv) {                                                              \
            vf_copy(b, vf_reg(f, f->vs1), n * sizeof(T));                      \
        } else {                                                               \
            B x = (B)f->x;                                                     \
            T xf;                                                              \
                                                                               \
            memcpy(&xf, &x, sizeof(T));                                        \
            for (i = 0; i < n; i++) {                                          \
                b[i] = xf;                                                     \
            }                                                                  \
        }                                                                      \
        if (f->f6 == 0x2c) {                                                   \
            vf_copy(d, vf_reg(f, f->vd), n * sizeof(T));                       \
        }                                                                      \
        for (i = 0; !f->vm && i < n; i++) { /* inactive: exact, in range */    \
            if (!vf_mask(f->env, i)) {                                         \
                a[i] = b[i] = d[i] = 1;                                        \
            }                                                                  \
        }                                                                      \
        if (f->f6 == 0x00 || f->f6 == 0x02) {                                  \
            ok = vf_add_##S(n, a, b, r, f->f6 == 0x02, &nx);                   \
        } else if (f->f6 == 0x24) {                                            \
            ok = fma ? vf_mul_##S##_fma(n, a, b, r, &nx)                       \
                     : nx_set && vf_mul_##S(n, a, b, r);                       \
        } else { /* 0x2c vfmacc */                                             \
            ok = fma && nx_set && vf_macc_##S##_fma(n, a, b, d, r);            \
        }                                                                      \
        if (ok) {                                                              \
            vf_write(f, r, false);                                             \
            f->env->fflags |= nx ? FPU_FLAG_NX : 0;                            \
        }                                                                      \
        return ok;                                                             \
    }

#define VF_FMA_s __builtin_fmaf
#define VF_FMA_d __builtin_fma
DEF_VF_FP(s, float, uint32_t)
DEF_VF_FP(d, double, uint64_t)

/*
 * vfredusum/vfredosum.vs (QEMU 7.2 sums both in element order): vd[0] =
 * vs1[0] + each active vs2[i] in turn, every partial sum inside the
 * normal range with both addends below HUGE (then TwoSum is exact and
 * says whether it was inexact: NX the only flag).  False (nothing
 * written) otherwise: the exact path redoes it.
 */
#define DEF_VF_FRED(S, T)                                                      \
    static bool vf_fred_##S(const VFast *f)                                    \
    {                                                                          \
        const uint8_t *b = vf_reg(f, f->vs2);                                  \
        bool inexact = false;                                                  \
        T acc, x;                                                              \
                                                                               \
        memcpy(&acc, vf_reg(f, f->vs1), sizeof(T));                            \
        for (uint32_t i = 0; i < f->vl; i++) {                                 \
            T s, bv;                                                           \
                                                                               \
            if (!f->vm && !vf_mask(f->env, i)) {                               \
                continue;                                                      \
            }                                                                  \
            memcpy(&x, b + i * sizeof(T), sizeof(T));                          \
            s = acc + x;                                                       \
            bv = s - acc;                                                      \
            if (!(vf_in_range_##S(s) & vf_small_##S(acc) & vf_small_##S(x))) { \
                return false;                                                  \
            }                                                                  \
            inexact |= (acc - (s - bv)) + (x - bv) != 0;                       \
            acc = s;                                                           \
        }                                                                      \
        memcpy(vf_reg(f, f->vd), &acc, sizeof(T));                             \
        f->env->fflags |= inexact ? FPU_FLAG_NX : 0;                           \
        return true;                                                           \
    }

DEF_VF_FRED(s, float)
DEF_VF_FRED(d, double)

static bool vf_host_fma(void)
{
    static int have = -1; /* racy but idempotent: every thread finds the same */

    if (have < 0) {
#if defined(__x86_64__)
        __builtin_cpu_init();
        have = __builtin_cpu_supports("fma");
#else
        have = 0;
#endif
    }
    return have;
}

/* OPFVV, OPFVF. */
static bool vf_opf(const VFast *f)
{
    bool vv = f->f3 == 1, nx_set = f->env->fflags & FPU_FLAG_NX;
    int f6 = f->f6;

    if ((f6 == 0x01 || f6 == 0x03) && vv) { /* vfredusum, vfredosum */
        if (f->sew < 2 || f->env->frm != RISCV_FRM_RNE ||
            !fpu_host_fast_path() || !vf_aligned(f->vs2, f->regs)) {
            return false;
        }
        return f->sew == 2 ? vf_fred_s(f) : vf_fred_d(f);
    }

    if ((f6 != 0x00 && f6 != 0x02 && f6 != 0x24 && f6 != 0x2c) || f->sew < 2 ||
        f->env->frm != RISCV_FRM_RNE || !fpu_host_fast_path() ||
        !vf_regs_ok(f, VF_ADD, vv)) {
        return false;
    }
    if (!vv && f->sew == 2 && (f->x >> 32) != 0xffffffffu) {
        return false; /* not NaN-boxed: the exact path reads a NaN */
    }
    return f->sew == 2 ? vf_fp_s(f, vv, vf_host_fma(), nx_set)
                       : vf_fp_d(f, vv, vf_host_fma(), nx_set);
}

bool vec_fast_op(CPURISCVState *env, uint32_t insn, uint64_t scalar,
                 uint64_t *ret)
{
    VFast f;

    if (!vec_fast_decode(&f, env, insn, scalar)) {
        return false;
    }
    *ret = 0;
    switch (f.f3) { /* this file's forms, then vector_fast2.c's */
    case 0:
    case 3:
    case 4:
        return vf_opi(&f) || vec_fast2_opi(&f);
    case 2:
    case 6:
        return vf_opm(&f, ret) || vec_fast2_opm(&f);
    default:
        return vf_opf(&f) || vec_fast2_opf(&f);
    }
}

/* @len bytes between a register group and guest memory, element 0 first. */
static void vf_move(bool store, uint8_t *reg, uint8_t *host, uint32_t len,
                    uint32_t esz)
{
    if (store) {
        memcpy(host, reg, esz);
        vf_copy(host + esz, reg + esz, len - esz);
    } else {
        memcpy(reg, host, esz);
        vf_copy(reg + esz, host + esz, len - esz);
    }
}

/*
 * A unit-stride or whole-register access across two pages (a strip-mined
 * copy meets one at every page boundary): the elements in the first page
 * (element 0 first, with vstart 0), then env->vstart set to the first
 * element of the second page and the rest, that element first.  A fault
 * in the second page is then taken at its first element with vstart
 * there and the earlier elements done: the per-element helper's state
 * (vector_fast2.c does the same per element).  Not with an element
 * across the boundary, nor fault-only-first (a later fault trims vl).
 * Returns: false (nothing done) when declined.
 */
static bool vf_ldst_2pages(CPURISCVState *env, uint8_t *reg, uint8_t *host,
                           uint64_t base, uint32_t len, uint32_t esz,
                           bool store)
{
    uint32_t first = VF_PAGE - (uint32_t)(base & (VF_PAGE - 1));

    if (first % esz || len > 2 * VF_PAGE) {
        return false;
    }
    vf_move(store, reg, host, first, esz);
    env->vstart = first / esz;
    /*
     * Partner: the host fault handler (accel/tcg/cpu-exec.c), which may
     * interrupt the next access: vstart and the first page's elements
     * must be in memory before it.
     */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    vf_move(store, reg + first, host + first, len - first, esz);
    __atomic_signal_fence(__ATOMIC_SEQ_CST); /* partner: as above */
    env->vstart = 0;
    return true;
}

bool vec_fast_ldst(CPURISCVState *env, uint32_t insn, uint64_t base)
{
    static const int8_t eew_of_width[8] = {0, -1, -1, -1, -1, 1, 2, 3};
    int mop = (insn >> 26) & 3, lumop = (insn >> 20) & 31;
    int nf = (insn >> 29) + 1, eew = eew_of_width[(insn >> 12) & 7];
    int vd = (insn >> 7) & 31;
    bool store = (insn & 0x7f) == 0x27;
    uint32_t vlenb = env->cfg.vlen / 8, len, esz;
    uint64_t mask = env->hdr.guest_addr_mask;
    uint8_t *reg, *host;

    if (mop != 0 || !((insn >> 25) & 1) || ((insn >> 28) & 1) || eew < 0 ||
        env->vstart != 0 || !vec_fast_full_v(env)) {
        return false;
    }
    if (lumop == 8) { /* whole registers */
        if ((nf & (nf - 1)) || (vd & (nf - 1)) || (store && eew != 0)) {
            return false;
        }
        len = (uint32_t)nf * vlenb;
    } else if (lumop == 0 || (lumop == 0x10 && !store)) {
        int sew = (env->vtype >> 3) & 7;
        int emul = eew - sew + ((int)((env->vtype & 7) ^ 4) - 4);

        if (nf != 1 || env->vill || env->vl == 0 || emul < -3 || emul > 3 ||
            !vf_aligned(vd, emul > 0 ? 1 << emul : 1)) {
            return false;
        }
        len = (uint32_t)env->vl << eew;
    } else {
        return false;
    }
    if (base + len < base || (mask && ((base | (base + len - 1)) & mask))) {
        return false; /* outside the guest space */
    }
    esz = 1u << eew;
    reg = env->vreg + vd * vlenb;
    host = (uint8_t *)(tcg_guest_base + base);
    if ((base & (VF_PAGE - 1)) + len > VF_PAGE) {
        return lumop != 0x10 &&
               vf_ldst_2pages(env, reg, host, base, len, esz, store);
    }
    /* Element 0 first: a fault is taken there (see the file comment). */
    vf_move(store, reg, host, len, esz);
    return true;
}
