/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * More V extension fast paths (issue 17), after vector_fast.c's: the
 * loads and stores and the OP-V forms that vector_fast.c leaves to the
 * exact per-element helpers (vector_helper*.c).  The same contract: a
 * fast path either does the whole instruction, or changes nothing and
 * returns false, and the exact helper runs (and raises every SIGILL: a
 * fast path only takes the forms whose legality checks it can see pass,
 * the same checks as the exact code's, made first).  Common conditions:
 * full V (ELEN 64, not a Zve* subset), vill clear, vstart == 0, vl > 0.
 * Tail and masked-off elements are never written (undisturbed, as QEMU
 * 7.2 with rvv_ta_all_1s off).
 *
 * - Loads and stores (vec_fast_mem): strided, indexed (ordered and
 *   unordered: both are done in element order), segment (nf 2..8) of
 *   those and of unit-stride, masked unit-stride, and unit-stride that
 *   crosses a page.  Not fault-only-first (its vl trimming stays exact
 *   only in the helper), whole-register or mask accesses (vector_fast.c
 *   and the helper).  Every active element's address range is checked
 *   against the guest address space first (any outside: decline, the
 *   helper raises the fault at the right element).  Then the elements go
 *   in order, fields in order, as the helper's loop: env->vstart is set
 *   to each element before its first access, so a host fault (SIGSEGV or
 *   SIGBUS, turned into the guest's at this instruction through
 *   CPUState.helper_ra, set by helper_vldst) leaves vstart at the faulting
 *   element, the earlier elements done, exactly as the helper would.  An
 *   indexed load whose destination overlaps the index group other than
 *   as vd == vs2 with data no wider than the indices is declined (the
 *   helper reads each index after writing the elements before it).
 *   Under gdb watchpoints (CF_WATCH) every access must be checked: none.
 * - OP-V (vec_fast2_opi/opm/opf, tried by vec_fast_op after its own
 *   forms): the integer reductions (all eight, masked too), vid.v, the
 *   mask-register logical ops, the fixed-point vsadd(u),
 *   vssub(u) (vxsat), vaadd(u), vasub(u), vssrl, vssra (vxrm), vslideup/
 *   down, vslide1up/down and vrgather (.vv/.vx/.vi), vsmul, the narrowing
 *   shifts and clips vnsrl/vnsra/vnclipu/vnclip (vxrm, vxsat),
 *   vrgatherei16.vv, vcompress.vm, viota.m; the FP reductions (vfwred*
 *   too), vfcvt/vfwcvt/vfncvt and the widening FP ops (the exact path's
 *   fpu calls in its order, without its per-element decode); FP compares and
 *   vfmin/vfmax at SEW 32/64 when no active lane is a NaN (then no flag
 *   can be raised and the result is the host's, -0 < +0 as the spec's).
 *   Element loops per SEW in plain C that GCC vectorizes where it can.
 */
#include <string.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tb.h"
#include "target-riscv/fpu/fpu.h"
#include "target-riscv/vector_fast.h"
#include "target-riscv/vector_internal.h"

/* Elements of the largest group: VLEN bits at SEW 8 and LMUL 8. */
#define VF2_MAXE RISCV_VLEN_MAX
/* Bytes of the largest group (LMUL 8). */
#define VF2_MAXB (8 * RISCV_VLEN_MAX / 8)

static bool vf2_bit(const uint8_t *m, uint32_t i)
{
    return m[i / 8] >> (i % 8) & 1;
}

/* Is the group of 2^@emul registers (1 if fractional) at @reg legal? */
static bool vf2_group_ok(int reg, int emul)
{
    int n = emul > 0 ? 1 << emul : 1;

    return emul >= -3 && emul <= 3 && !(reg & (n - 1)) && reg + n <= 32;
}

/* Do groups of @an registers at @a and @bn at @b overlap? */
static bool vf2_overlap(int a, int an, int b, int bn)
{
    return a < b + bn && b < a + an;
}

/*
 * vec_check_noover's rule: may the group at @dst (EMUL 2^@dl) overlap the
 * one at @src (2^@sl)?  Yes if they do not, or for a wider destination
 * whose top part is the source (source EMUL >= 1), a narrower one at the
 * bottom of the source, or the same EEW.
 */
static bool vf2_noover_ok(int dst, int dl, int src, int sl)
{
    int ds = dl > 0 ? 1 << dl : 1, ss = sl > 0 ? 1 << sl : 1;

    return !vf2_overlap(dst, ds, src, ss) ||
           (ds > ss && sl >= 0 && src == dst + ds - ss) ||
           (ds < ss && dst == src) || (ds == ss && dl == sl);
}

/* A load or store, decoded (vec_fast_mem). */
typedef struct VF2Mem {
    CPURISCVState *env;
    bool store, vm;
    int nf, dsew, regs, vd;
    uint32_t vl, vlenb;
    const uint64_t *addr; /* of each element (indexed), else NULL */
    uint64_t base, step;  /* else element i is at base + i * step */
} VF2Mem;

/*
 * The accesses, one function per data size: element i's fields k between
 * guest memory at addr[i] (or base + i * step) + k * size and register
 * vd + k * regs.
 */
#define DEF_VF2_ACCESS(S, T)                                                   \
    static void vf2_access_##S(const VF2Mem *m)                                \
    {                                                                          \
        CPURISCVState *env = m->env;                                           \
        const uint8_t *v0 = env->vreg;                                         \
        uint8_t *reg = env->vreg + m->vd * m->vlenb;                           \
        const uint64_t *addr = m->addr;                                        \
        uint64_t base = m->base, step = m->step;                               \
        uint32_t rstep = (uint32_t)m->regs * m->vlenb, vl = m->vl;             \
        int nf = m->nf;                                                        \
        bool store = m->store, vm = m->vm;                                     \
                                                                               \
        for (uint32_t i = 0; i < vl; i++) {                                    \
            uint8_t *r = reg + i * sizeof(T);                                  \
            uint64_t a = addr ? addr[i] : base + i * step;                     \
            uint8_t *h = (uint8_t *)(tcg_guest_base + a);                      \
                                                                               \
            if (!vm && !vf2_bit(v0, i)) {                                      \
                continue;                                                      \
            }                                                                  \
            env->vstart = i;                                                   \
            /*                                                               \
             * Partner: the host fault handler (accel/tcg/cpu-exec.c),       \
             * which may interrupt the next access: vstart and the earlier   \
             * elements' writes must be in memory before it.                 \
             */ \
            __atomic_signal_fence(__ATOMIC_SEQ_CST);                           \
            for (int k = 0; k < nf; k++, h += sizeof(T), r += rstep) {         \
                if (store) {                                                   \
                    __builtin_memcpy(h, r, sizeof(T));                         \
                } else {                                                       \
                    __builtin_memcpy(r, h, sizeof(T));                         \
                }                                                              \
            }                                                                  \
        }                                                                      \
    }

DEF_VF2_ACCESS(8, uint8_t)
DEF_VF2_ACCESS(16, uint16_t)
DEF_VF2_ACCESS(32, uint32_t)
DEF_VF2_ACCESS(64, uint64_t)

/*
 * vf2_offs_8 .. vf2_offs_64: the offsets of elements [0, vl) in @o: the
 * index elements of group @reg (EEW 1 << @eew bytes, zero-extended).
 */
#define DEF_VF2_OFFS(S, T)                                          \
    static void vf2_offs_##S(const VF2Mem *m, int reg, uint64_t *o) \
    {                                                               \
        const T *x = (const T *)(m->env->vreg + reg * m->vlenb);    \
                                                                    \
        for (uint32_t i = 0; i < m->vl; i++) {                      \
            o[i] = x[i];                                            \
        }                                                           \
    }

DEF_VF2_OFFS(8, uint8_t)
DEF_VF2_OFFS(16, uint16_t)
DEF_VF2_OFFS(32, uint32_t)
DEF_VF2_OFFS(64, uint64_t)

/*
 * Indexed: fill @a with the addresses of elements [0, vl), base + index.
 * Returns: false if an active one (all its fields) is not inside the
 * guest address space.
 */
static bool vf2_addrs(const VF2Mem *m, uint64_t *a, int eew, int vs2,
                      uint64_t base)
{
    static void (*const offs[4])(const VF2Mem *, int, uint64_t *) = {
        vf2_offs_8, vf2_offs_16, vf2_offs_32, vf2_offs_64};
    uint64_t gmask = m->env->hdr.guest_addr_mask;
    uint64_t span = (uint64_t)m->nf << m->dsew;
    uint32_t i;

    offs[eew](m, vs2, a);
    for (i = 0; i < m->vl; i++) {
        a[i] += base;
    }
    for (i = 0; gmask && i < m->vl; i++) {
        uint64_t x = a[i], e = x + span - 1;

        if ((((x | e) & gmask) || e < x) &&
            (m->vm || vf2_bit(m->env->vreg, i))) {
            return false;
        }
    }
    return true;
}

/*
 * Unit-stride and strided: are all elements (active or not) inside the
 * guest address space?  Their addresses are monotonic in i, so the
 * first and the last element's, computed without wrapping, tell.
 */
static bool vf2_span_ok(const VF2Mem *m)
{
    uint64_t gmask = m->env->hdr.guest_addr_mask;
    __int128 first = m->base, last, lo, hi;

    if (!gmask) {
        return true;
    }
    last = first + (__int128)(int64_t)m->step * (m->vl - 1);
    lo = first < last ? first : last;
    hi = (first < last ? last : first) + ((int64_t)m->nf << m->dsew) - 1;
    return lo >= 0 && hi < ((__int128)1 << 64) &&
           !((((uint64_t)lo) | (uint64_t)hi) & gmask);
}

/*
 * May the addresses of an indexed load be computed before its first
 * write?  The exact helper reads index i after writing elements < i; so
 * yes if the destination is disjoint from the index group, or (nf 1) it
 * starts there with elements no wider than the indices: element j < i
 * then lies below index i.
 */
static bool vf2_idx_overlap_ok(const VF2Mem *m, int vs2, int iemul, int eew)
{
    if (!vf2_overlap(m->vd, m->nf * m->regs, vs2, iemul > 0 ? 1 << iemul : 1)) {
        return true;
    }
    return m->nf == 1 && m->vd == vs2 && m->dsew <= eew;
}

bool vec_fast_mem(CPURISCVState *env, uint32_t insn, uint64_t base,
                  uint64_t stride)
{
    static const int8_t eew_of_width[8] = {0, -1, -1, -1, -1, 1, 2, 3};
    int mop = (insn >> 26) & 3, lumop = (insn >> 20) & 31;
    int eew = eew_of_width[(insn >> 12) & 7], vs2 = (insn >> 20) & 31;
    int sew = (env->vtype >> 3) & 7, lmul = (int)((env->vtype & 7) ^ 4) - 4;
    int emul;
    uint64_t addr[VF2_MAXE];
    VF2Mem m = {.env = env,
                .store = (insn & 0x7f) == 0x27,
                .vm = (insn >> 25) & 1,
                .nf = (insn >> 29) + 1,
                .vd = (insn >> 7) & 31,
                .vl = (uint32_t)env->vl,
                .vlenb = env->cfg.vlen / 8};

    if (env->vill || env->vstart != 0 || env->vl == 0 ||
        !vec_fast_full_v(env) || ((insn >> 28) & 1) || eew < 0 ||
        (mop == 0 && lumop != 0) || (cpu_exec_debug_cflags & CF_WATCH)) {
        return false;
    }
    /* vec_mem's checks */
    m.dsew = mop & 1 ? sew : eew;
    emul = mop & 1 ? lmul : eew - sew + lmul;
    m.regs = emul > 0 ? 1 << emul : 1;
    if (!vf2_group_ok(m.vd, emul) || m.nf * m.regs > 8 ||
        m.vd + m.nf * m.regs > 32 || (!m.store && !m.vm && m.vd == 0)) {
        return false;
    }
    if (mop & 1) {
        int iemul = eew - sew + lmul;

        if (!vf2_group_ok(vs2, iemul) ||
            (!m.store && !vf2_idx_overlap_ok(&m, vs2, iemul, eew))) {
            return false;
        }
    }
    m.base = base;
    m.step = mop == 2 ? stride : (uint64_t)m.nf << m.dsew;
    if (mop & 1 ? !vf2_addrs(&m, addr, eew, vs2, base) : !vf2_span_ok(&m)) {
        return false;
    }
    m.addr = mop & 1 ? addr : NULL;
    switch (m.dsew) {
    case 0:
        vf2_access_8(&m);
        break;
    case 1:
        vf2_access_16(&m);
        break;
    case 2:
        vf2_access_32(&m);
        break;
    default:
        vf2_access_64(&m);
        break;
    }
    env->vstart = 0;
    return true;
}

/* Operands and results of a group, aligned for every element type. */
typedef union VF2Buf {
    uint8_t b[VF2_MAXB];
    uint16_t h[VF2_MAXB / 2];
    uint32_t w[VF2_MAXB / 4];
    uint64_t d[VF2_MAXB / 8];
    float fs[VF2_MAXB / 4];
    double fd[VF2_MAXB / 8];
} VF2Buf;

static uint8_t *vf2_reg(const VFast *f, int reg)
{
    return f->env->vreg + (uint32_t)reg * f->vlenb;
}

static bool vf2_active(const VFast *f, uint32_t i)
{
    return f->vm || vf2_bit(f->env->vreg, i);
}

/*
 * Integer reductions vredsum .. vredmax (funct6 0..7): vd[0] = op over
 * vs1[0] and the active vs2[i].  Inactive lanes take the op's identity,
 * so the loop over all lanes vectorizes.
 */
#define DEF_VF2_RED(S, T, ST, SMAX)                                           \
    static void vf2_red_##S(const VFast *f)                                   \
    {                                                                         \
        const T *a = (const T *)vf2_reg(f, f->vs2);                           \
        static const T ident[8] = {0, (T)-1, 0, 0, (T)-1, SMAX, 0, (T)~SMAX}; \
        T acc, id = ident[f->f6], x[VF2_MAXB / sizeof(T)];                    \
        uint32_t n = f->vl, i;                                                \
                                                                              \
        memcpy(&acc, vf2_reg(f, f->vs1), sizeof(T));                          \
        for (i = 0; i < n; i++) {                                             \
            x[i] = vf2_active(f, i) ? a[i] : id;                              \
        }                                                                     \
        switch (f->f6) {                                                      \
        case 0:                                                               \
            for (i = 0; i < n; i++) {                                         \
                acc += x[i];                                                  \
            }                                                                 \
            break;                                                            \
        case 1:                                                               \
            for (i = 0; i < n; i++) {                                         \
                acc &= x[i];                                                  \
            }                                                                 \
            break;                                                            \
        case 2:                                                               \
            for (i = 0; i < n; i++) {                                         \
                acc |= x[i];                                                  \
            }                                                                 \
            break;                                                            \
        case 3:                                                               \
            for (i = 0; i < n; i++) {                                         \
                acc ^= x[i];                                                  \
            }                                                                 \
            break;                                                            \
        case 4:                                                               \
            for (i = 0; i < n; i++) {                                         \
                acc = x[i] < acc ? x[i] : acc;                                \
            }                                                                 \
            break;                                                            \
        case 5:                                                               \
            for (i = 0; i < n; i++) {                                         \
                acc = (ST)x[i] < (ST)acc ? x[i] : acc;                        \
            }                                                                 \
            break;                                                            \
        case 6:                                                               \
            for (i = 0; i < n; i++) {                                         \
                acc = x[i] > acc ? x[i] : acc;                                \
            }                                                                 \
            break;                                                            \
        default:                                                              \
            for (i = 0; i < n; i++) {                                         \
                acc = (ST)x[i] > (ST)acc ? x[i] : acc;                        \
            }                                                                 \
            break;                                                            \
        }                                                                     \
        memcpy(vf2_reg(f, f->vd), &acc, sizeof(T));                           \
    }

DEF_VF2_RED(8, uint8_t, int8_t, 0x7f)
DEF_VF2_RED(16, uint16_t, int16_t, 0x7fff)
DEF_VF2_RED(32, uint32_t, int32_t, 0x7fffffffu)
DEF_VF2_RED(64, uint64_t, int64_t, 0x7fffffffffffffffull)

static void (*const vf2_red_sew[4])(const VFast *) = {vf2_red_8, vf2_red_16,
                                                      vf2_red_32, vf2_red_64};

/* vec_reduce's check: vs2 a legal group (vd and vs1 are one register). */
static bool vf2_red(const VFast *f)
{
    if (!vf2_group_ok(f->vs2, f->lmul)) {
        return false;
    }
    vf2_red_sew[f->sew & 3](f); /* vill clear: SEW <= 64 */
    return true;
}

/* Write @r[i] to vd's element i of 1 << @sew bytes for the active i < vl. */
static void vf2_write_sew(const VFast *f, const void *r, int sew)
{
    uint32_t esz = 1u << sew;
    uint8_t *d = vf2_reg(f, f->vd);

    if (f->vm) {
        memcpy(d, r, (size_t)f->vl * esz);
        return;
    }
    for (uint32_t i = 0; i < f->vl; i++) {
        if (vf2_bit(f->env->vreg, i)) {
            memcpy(d + i * esz, (const uint8_t *)r + i * esz, esz);
        }
    }
}

/* vf2_write_sew at SEW. */
static void vf2_write(const VFast *f, const void *r)
{
    vf2_write_sew(f, r, f->sew);
}

/* Write mask bits @c[i] into vd for the active i < vl. */
static void vf2_write_mask(const VFast *f, const uint8_t *c)
{
    uint8_t *d = vf2_reg(f, f->vd);

    for (uint32_t i = 0; i < f->vl; i++) {
        if (vf2_active(f, i)) {
            d[i / 8] = (uint8_t)((d[i / 8] & ~(1u << (i % 8))) |
                                 (unsigned)c[i] << (i % 8));
        }
    }
}

/* vid.v: vd[i] = i (vec_munary's checks). */
static bool vf2_vid(const VFast *f)
{
    uint8_t r[VF2_MAXB];

    if (f->vs2 != 0 || (!f->vm && f->vd == 0) ||
        !vf2_group_ok(f->vd, f->lmul)) {
        return false;
    }
    for (uint32_t i = 0; i < f->vl; i++) {
        uint64_t x = i;

        memcpy(r + (i << f->sew), &x, 1u << f->sew); /* little-endian */
    }
    vf2_write(f, r);
    return true;
}

/* vmandn.mm .. vmxnor.mm (0x18..0x1f, unmasked only): bits [0, vl). */
static bool vf2_mlogic(const VFast *f)
{
    const uint8_t *a = vf2_reg(f, f->vs2), *b = vf2_reg(f, f->vs1);
    uint8_t *d = vf2_reg(f, f->vd);
    uint32_t nb = (f->vl + 7) / 8;

    if (!f->vm) {
        return false;
    }
    for (uint32_t j = 0; j < nb; j++) {
        uint8_t x = a[j], y = b[j], r, keep;

        switch (f->f6 & 7) {
        case 0:
            r = x & ~y;
            break;
        case 1:
            r = x & y;
            break;
        case 2:
            r = x | y;
            break;
        case 3:
            r = x ^ y;
            break;
        case 4:
            r = x | ~y;
            break;
        case 5:
            r = ~(x & y);
            break;
        case 6:
            r = ~(x | y);
            break;
        default:
            r = ~(x ^ y);
            break;
        }
        keep = j == nb - 1 && (f->vl & 7) ? (uint8_t)(0xff << (f->vl & 7)) : 0;
        d[j] = (uint8_t)((d[j] & keep) | (r & ~keep));
    }
    return true;
}

/* The rounding increment of @x >> @sh (@sh 0..64) under vxrm @rm. */
static inline uint64_t vf2_rinc(uint64_t x, unsigned sh, unsigned rm)
{
    if (sh == 0) {
        return 0;
    }
    return vec_round_inc(rm, sh < 64 ? (x >> sh) & 1 : 0, (x >> (sh - 1)) & 1,
                         sh > 1 && (x & ((1ull << (sh - 1)) - 1)) != 0);
}

enum {
    VF2_SADDU,
    VF2_SADD,
    VF2_SSUBU,
    VF2_SSUB,
    VF2_AADDU,
    VF2_AADD,
    VF2_ASUBU,
    VF2_ASUB,
    VF2_SSRL,
    VF2_SSRA,
    VF2_SMUL
};

/*
 * Fixed point, one function per SEW (T unsigned, ST signed): the results
 * of all lanes; *@sat: an active lane saturated.  vaadd*: the sum or
 * difference in 65 bits, as (a >> 1) + (b >> 1) + carry terms, then the
 * rounding of its bit 0 (vec_helper_int.c's roundoff with a shift of 1).
 * vsmul: the 128-bit product >> (SEW - 1), rounded (the bits that decide
 * are in its low 64), clipped above (only MIN * MIN goes past MAX).
 */
#define DEF_VF2_FIX(S, T, ST, SMIN, SMAX)                                    \
    static void vf2_fix_##S(const VFast *f, int op, const T *a, const T *b,  \
                            T *r, bool *sat)                                 \
    {                                                                        \
        unsigned rm = f->env->vxrm & 3, bits = sizeof(T) * 8;                \
        bool s = false;                                                      \
                                                                             \
        for (uint32_t i = 0; i < f->vl; i++) {                               \
            T x = a[i], y = b[i], t;                                         \
            ST st;                                                           \
            bool o = false;                                                  \
            uint64_t lo, hi;                                                 \
                                                                             \
            switch (op) {                                                    \
            case VF2_SADDU:                                                  \
                o = __builtin_add_overflow(x, y, &t);                        \
                t = o ? (T)-1 : t;                                           \
                break;                                                       \
            case VF2_SADD:                                                   \
                o = __builtin_add_overflow((ST)x, (ST)y, &st);               \
                t = o ? ((ST)x < 0 ? (T)SMIN : (T)SMAX) : (T)st;             \
                break;                                                       \
            case VF2_SSUBU:                                                  \
                o = x < y;                                                   \
                t = o ? 0 : (T)(x - y);                                      \
                break;                                                       \
            case VF2_SSUB:                                                   \
                o = __builtin_sub_overflow((ST)x, (ST)y, &st);               \
                t = o ? ((ST)x < 0 ? (T)SMIN : (T)SMAX) : (T)st;             \
                break;                                                       \
            case VF2_SSRL:                                                   \
                t = (T)((x >> (y & (bits - 1))) +                            \
                        vf2_rinc(x, y & (bits - 1), rm));                    \
                break;                                                       \
            case VF2_SSRA:                                                   \
                t = (T)(((ST)x >> (y & (bits - 1))) +                        \
                        vf2_rinc((uint64_t)(int64_t)(ST)x, y & (bits - 1),   \
                                 rm));                                       \
                break;                                                       \
            case VF2_SMUL: {                                                 \
                __int128 p = (__int128)(ST)x * (ST)y;                        \
                __int128 q =                                                 \
                    (p >> (bits - 1)) + vf2_rinc((uint64_t)p, bits - 1, rm); \
                                                                             \
                o = q > (__int128)(ST)SMAX;                                  \
                t = o ? (T)SMAX : (T)q;                                      \
                break;                                                       \
            }                                                                \
            default: {                                                       \
                /* 65-bit sum/difference: hi = bits 1.., lo = bit 0 */       \
                bool sgn = op == VF2_AADD || op == VF2_ASUB;                 \
                bool sub = op == VF2_ASUBU || op == VF2_ASUB;                \
                __int128 wa = sgn ? (__int128)(ST)x : (__int128)x;           \
                __int128 wb = sgn ? (__int128)(ST)y : (__int128)y;           \
                __int128 w = sub ? wa - wb : wa + wb;                        \
                                                                             \
                lo = (uint64_t)w & 1;                                        \
                hi = (uint64_t)(w >> 1);                                     \
                t = (T)(hi + vf2_rinc((hi << 1) | lo, 1, rm));               \
                break;                                                       \
            }                                                                \
            }                                                                \
            r[i] = t;                                                        \
            s |= o && vf2_active(f, i);                                      \
        }                                                                    \
        *sat = s;                                                            \
    }

DEF_VF2_FIX(8, uint8_t, int8_t, 0x80, 0x7f)
DEF_VF2_FIX(16, uint16_t, int16_t, 0x8000, 0x7fff)
DEF_VF2_FIX(32, uint32_t, int32_t, 0x80000000u, 0x7fffffffu)
DEF_VF2_FIX(64, uint64_t, int64_t, 0x8000000000000000ull, 0x7fffffffffffffffull)

/*
 * Operand b of every lane as SEW-sized elements in @bb: vs1's group
 * (@vv), or the scalar truncated to SEW.
 */
static void vf2_opnd_b(const VFast *f, bool vv, uint8_t *bb)
{
    uint32_t esz = 1u << f->sew;

    if (vv) {
        memcpy(bb, vf2_reg(f, f->vs1), (size_t)f->vl * esz);
        return;
    }
    for (uint32_t i = 0; i < f->vl; i++) {
        memcpy(bb + i * esz, &f->x, esz); /* little-endian: truncates */
    }
}

/* vec_sss's checks, then a fixed-point op; vxsat set if one saturated. */
static bool vf2_fix(const VFast *f, int op, bool vv)
{
    VF2Buf a, b, r;
    bool sat = false;

    if ((!f->vm && f->vd == 0) || !vf2_group_ok(f->vd, f->lmul) ||
        !vf2_group_ok(f->vs2, f->lmul) ||
        (vv && !vf2_group_ok(f->vs1, f->lmul))) {
        return false;
    }
    memcpy(a.b, vf2_reg(f, f->vs2), (size_t)f->vl << f->sew);
    vf2_opnd_b(f, vv, b.b);
    switch (f->sew) {
    case 0:
        vf2_fix_8(f, op, a.b, b.b, r.b, &sat);
        break;
    case 1:
        vf2_fix_16(f, op, a.h, b.h, r.h, &sat);
        break;
    case 2:
        vf2_fix_32(f, op, a.w, b.w, r.w, &sat);
        break;
    default:
        vf2_fix_64(f, op, a.d, b.d, r.d, &sat);
        break;
    }
    vf2_write(f, r.b);
    if (sat) {
        f->env->vxsat = 1;
    }
    return true;
}

/*
 * vslideup/down (.vx/.vi), vslide1up/down (OPM .vx, @opm), vrgather
 * (.vv/.vx/.vi): vec_permute's checks and element rules; the source
 * group is copied first (vslidedown may have vd == vs2).
 */
static bool vf2_permute(const VFast *f, bool opm)
{
    uint8_t src[VF2_MAXB], r[VF2_MAXB];
    uint32_t esz = 1u << f->sew, vl = f->vl;
    bool gather = !opm && f->f6 == 0x0c, up = f->f6 == 0x0e;
    uint64_t off = opm ? 1 : f->x;

    if ((!f->vm && f->vd == 0) || ((up || gather) && f->vd == f->vs2) ||
        !vf2_group_ok(f->vd, f->lmul) || !vf2_group_ok(f->vs2, f->lmul)) {
        return false;
    }
    if (gather && f->f3 == 0 &&
        (!vf2_group_ok(f->vs1, f->lmul) || f->vd == f->vs1)) {
        return false;
    }
    memcpy(src, vf2_reg(f, f->vs2), (size_t)f->regs * f->vlenb);
    memcpy(r, vf2_reg(f, f->vd), (size_t)vl * esz); /* kept below offset */
    for (uint32_t i = 0; i < vl; i++) {
        uint64_t idx, x = 0;
        bool have;

        if (gather) {
            idx = f->f3 == 0 ? 0 : f->x;
            if (f->f3 == 0) {
                memcpy(&idx, vf2_reg(f, f->vs1) + i * esz, esz);
            }
            have = idx < f->vlmax;
        } else if (up) {
            if (i < off) {
                if (opm && i == 0) {
                    memcpy(r, &f->x, esz);
                }
                continue;
            }
            idx = i - off;
            have = true;
        } else {
            idx = i + off;
            have = idx < f->vlmax && idx >= i;
            if (opm && i == vl - 1) {
                memcpy(r + i * esz, &f->x, esz);
                continue;
            }
        }
        if (have) {
            memcpy(&x, src + idx * esz, esz);
        }
        memcpy(r + i * esz, &x, esz);
    }
    vf2_write(f, r);
    return true;
}

/*
 * vnsrl, vnsra, vnclipu, vnclip (funct6 0x2c..0x2f), one function per
 * SEW (T and ST the narrow types, W and SW the double width): vd = vs2
 * (2 * SEW) >> (b & (2 * SEW - 1)), rounded per vxrm and clipped to SEW
 * for vnclip(u) (vec_narrow's roundoff and saturate; the shift is at most
 * 63, so 64 bits hold every bit that decides); *@sat: an active lane
 * clipped.
 */
#define DEF_VF2_NARROW(S, T, ST, W, SW)                                      \
    static void vf2_narrow_##S(const VFast *f, const W *a, const T *b, T *r, \
                               bool *sat)                                    \
    {                                                                        \
        unsigned rm = f->env->vxrm & 3, wbits = sizeof(W) * 8;               \
        int64_t smax = (ST)((T)-1 >> 1), smin = -smax - 1;                   \
        bool s = false;                                                      \
        int f6 = f->f6;                                                      \
                                                                             \
        for (uint32_t i = 0; i < f->vl; i++) {                               \
            W x = a[i];                                                      \
            unsigned sh = b[i] & (wbits - 1);                                \
            bool o = false;                                                  \
            uint64_t q;                                                      \
            int64_t sq;                                                      \
                                                                             \
            switch (f6) {                                                    \
            case 0x2c:                                                       \
                r[i] = (T)(x >> sh);                                         \
                continue;                                                    \
            case 0x2d:                                                       \
                r[i] = (T)((SW)x >> sh);                                     \
                continue;                                                    \
            case 0x2e:                                                       \
                q = (uint64_t)(x >> sh) + vf2_rinc(x, sh, rm);               \
                o = q > (T)-1;                                               \
                r[i] = o ? (T)-1 : (T)q;                                     \
                break;                                                       \
            default:                                                         \
                sq = (int64_t)((SW)x >> sh) +                                \
                     (int64_t)vf2_rinc((uint64_t)(int64_t)(SW)x, sh, rm);    \
                o = sq > smax || sq < smin;                                  \
                r[i] = (T)(sq > smax ? smax : sq < smin ? smin : sq);        \
                break;                                                       \
            }                                                                \
            s |= o && vf2_active(f, i);                                      \
        }                                                                    \
        *sat = s;                                                            \
    }

DEF_VF2_NARROW(8, uint8_t, int8_t, uint16_t, int16_t)
DEF_VF2_NARROW(16, uint16_t, int16_t, uint32_t, int32_t)
DEF_VF2_NARROW(32, uint32_t, int32_t, uint64_t, int64_t)

/*
 * vec_narrow's checks (SEW < 64, LMUL < 8, vs2 a group of 2 * LMUL that
 * vd overlaps only as vd == vs2), then the narrowing shift.
 */
static bool vf2_narrow(const VFast *f, bool vv)
{
    int wl = f->lmul + 1, wregs = wl > 0 ? 1 << wl : 1;
    VF2Buf a, b, r;
    bool sat = false;

    if (f->sew >= 3 || f->lmul == 3 || (!f->vm && f->vd == 0) ||
        !vf2_group_ok(f->vd, f->lmul) || !vf2_group_ok(f->vs2, wl) ||
        (f->vd != f->vs2 && vf2_overlap(f->vd, f->regs, f->vs2, wregs)) ||
        (vv && !vf2_group_ok(f->vs1, f->lmul))) {
        return false;
    }
    memcpy(a.b, vf2_reg(f, f->vs2), (size_t)f->vl << (f->sew + 1));
    vf2_opnd_b(f, vv, b.b);
    switch (f->sew) {
    case 0:
        vf2_narrow_8(f, a.h, b.b, r.b, &sat);
        break;
    case 1:
        vf2_narrow_16(f, a.w, b.h, r.h, &sat);
        break;
    default:
        vf2_narrow_32(f, a.d, b.w, r.w, &sat);
        break;
    }
    vf2_write(f, r.b);
    if (sat) {
        f->env->vxsat = 1;
    }
    return true;
}

/*
 * vrgatherei16.vv (S, T: SEW): vd[i] = vs2[vs1[i]] with 16-bit indices
 * (EMUL 16 / SEW * LMUL), 0 for an index >= VLMAX.  vd overlaps neither
 * source (checked), so the sources are read in place.
 */
#define DEF_VF2_GATHER16(S, T)                         \
    static void vf2_gather16_##S(const VFast *f, T *r) \
    {                                                  \
        const T *src = (const T *)vf2_reg(f, f->vs2);  \
        const uint8_t *ix = vf2_reg(f, f->vs1);        \
                                                       \
        for (uint32_t i = 0; i < f->vl; i++) {         \
            uint16_t k;                                \
                                                       \
            memcpy(&k, ix + 2 * i, 2);                 \
            r[i] = k < f->vlmax ? src[k] : 0;          \
        }                                              \
    }

DEF_VF2_GATHER16(8, uint8_t)
DEF_VF2_GATHER16(16, uint16_t)
DEF_VF2_GATHER16(32, uint32_t)
DEF_VF2_GATHER16(64, uint64_t)

/* vec_permute's checks for vrgatherei16.vv, then the gather. */
static bool vf2_gather16(const VFast *f)
{
    int el = 1 - f->sew + f->lmul, iregs = el > 0 ? 1 << el : 1;
    VF2Buf r;

    if ((!f->vm && f->vd == 0) || f->vd == f->vs2 ||
        !vf2_group_ok(f->vd, f->lmul) || !vf2_group_ok(f->vs2, f->lmul) ||
        !vf2_group_ok(f->vs1, el) ||
        vf2_overlap(f->vd, f->regs, f->vs1, iregs)) {
        return false;
    }
    switch (f->sew) {
    case 0:
        vf2_gather16_8(f, r.b);
        break;
    case 1:
        vf2_gather16_16(f, r.h);
        break;
    case 2:
        vf2_gather16_32(f, r.w);
        break;
    default:
        vf2_gather16_64(f, r.d);
        break;
    }
    vf2_write(f, r.b);
    return true;
}

/*
 * vcompress.vm (unmasked only; vd overlaps neither vs2 nor the mask vs1):
 * the vs2 elements whose vs1 bit is set, packed at the bottom of vd; the
 * elements of vd above them are kept.
 */
#define DEF_VF2_COMPRESS(S, T)                        \
    static void vf2_compress_##S(const VFast *f)      \
    {                                                 \
        const T *src = (const T *)vf2_reg(f, f->vs2); \
        const uint8_t *m = vf2_reg(f, f->vs1);        \
        T *d = (T *)vf2_reg(f, f->vd);                \
        uint32_t k = 0;                               \
                                                      \
        for (uint32_t i = 0; i < f->vl; i++) {        \
            if (vf2_bit(m, i)) {                      \
                d[k++] = src[i];                      \
            }                                         \
        }                                             \
    }

DEF_VF2_COMPRESS(8, uint8_t)
DEF_VF2_COMPRESS(16, uint16_t)
DEF_VF2_COMPRESS(32, uint32_t)
DEF_VF2_COMPRESS(64, uint64_t)

static void (*const vf2_compress_sew[4])(const VFast *) = {
    vf2_compress_8, vf2_compress_16, vf2_compress_32, vf2_compress_64};

static bool vf2_compress(const VFast *f)
{
    if (!f->vm || f->vd == f->vs2 || !vf2_group_ok(f->vd, f->lmul) ||
        !vf2_group_ok(f->vs2, f->lmul) ||
        vf2_overlap(f->vd, f->regs, f->vs1, 1) ||
        vf2_overlap(f->vd, f->regs, f->vs2, f->regs)) {
        return false;
    }
    vf2_compress_sew[f->sew & 3](f);
    return true;
}

/*
 * viota.m (vec_munary's checks: vd not vs2, disjoint from it, not v0 when
 * masked): vd[i] = the number of set vs2 bits at the active j < i.
 */
static bool vf2_viota(const VFast *f)
{
    uint8_t r[VF2_MAXB];
    const uint8_t *m = vf2_reg(f, f->vs2);
    uint64_t count = 0;

    if (f->vd == f->vs2 || (!f->vm && f->vd == 0) ||
        !vf2_group_ok(f->vd, f->lmul) ||
        vf2_overlap(f->vd, f->regs, f->vs2, 1)) {
        return false;
    }
    for (uint32_t i = 0; i < f->vl; i++) {
        if (vf2_active(f, i)) {
            memcpy(r + (i << f->sew), &count, 1u << f->sew); /* LE */
            count += vf2_bit(m, i);
        }
    }
    vf2_write(f, r);
    return true;
}

/*
 * vfredusum, vfredosum, vfredmin, vfredmax (funct6 1, 3, 5, 7) at SEW 16
 * (S = h), 32 (s), 64 (d): fp_reduce's loop, the same fpu calls in the
 * same element order (the unordered sum too, as QEMU), so the result and
 * fflags are the exact path's.  vd[0] is written last (it may be in vs2).
 */
#define DEF_VF2_FRED(S, T)                                      \
    static void vf2_fred_##S(const VFast *f)                    \
    {                                                           \
        CPURISCVState *env = f->env;                            \
        const T *a = (const T *)vf2_reg(f, f->vs2);             \
        int rm = (int)env->frm, f6 = f->f6;                     \
        T acc;                                                  \
                                                                \
        memcpy(&acc, vf2_reg(f, f->vs1), sizeof(T));            \
        for (uint32_t i = 0; i < f->vl; i++) {                  \
            if (!vf2_active(f, i)) {                            \
                continue;                                       \
            }                                                   \
            if (f6 == 0x05) {                                   \
                acc = fpu_min_##S(acc, a[i], &env->fflags);     \
            } else if (f6 == 0x07) {                            \
                acc = fpu_max_##S(acc, a[i], &env->fflags);     \
            } else {                                            \
                acc = fpu_add_##S(acc, a[i], rm, &env->fflags); \
            }                                                   \
        }                                                       \
        memcpy(vf2_reg(f, f->vd), &acc, sizeof(T));             \
    }

DEF_VF2_FRED(h, uint16_t)
DEF_VF2_FRED(s, uint32_t)
DEF_VF2_FRED(d, uint64_t)

/*
 * vfwredusum, vfwredosum (funct6 0x31, 0x33): the sum at 2 * SEW (W, WT)
 * of vs1[0] and the active vs2[i] (S, T) widened exactly, in element
 * order, as fp_reduce with wide set.
 */
#define DEF_VF2_FWRED(S, T, W, WT)                                           \
    static void vf2_fwred_##S(const VFast *f)                                \
    {                                                                        \
        CPURISCVState *env = f->env;                                         \
        const T *a = (const T *)vf2_reg(f, f->vs2);                          \
        int rm = (int)env->frm;                                              \
        WT acc;                                                              \
                                                                             \
        memcpy(&acc, vf2_reg(f, f->vs1), sizeof(WT));                        \
        for (uint32_t i = 0; i < f->vl; i++) {                               \
            if (vf2_active(f, i)) {                                          \
                WT x = fpu_cvt_##W##_##S(a[i], RISCV_FRM_RNE, &env->fflags); \
                                                                             \
                acc = fpu_add_##W(acc, x, rm, &env->fflags);                 \
            }                                                                \
        }                                                                    \
        memcpy(vf2_reg(f, f->vd), &acc, sizeof(WT));                         \
    }

DEF_VF2_FWRED(h, uint16_t, s, uint32_t)
DEF_VF2_FWRED(s, uint32_t, d, uint64_t)

/* fp_reduce's checks with wide set (SEW 16 or 32), the wide sum. */
static bool vf2_fwred(const VFast *f)
{
    if (f->sew < 1 || f->sew > 2 || f->env->frm > RISCV_FRM_RMM ||
        !vf2_group_ok(f->vs2, f->lmul)) {
        return false;
    }
    if (f->sew == 1) {
        vf2_fwred_h(f);
    } else {
        vf2_fwred_s(f);
    }
    return true;
}

/* vec_fp_op's and fp_reduce's checks (vs2 a legal group), the reduction. */
static bool vf2_fred(const VFast *f)
{
    if (f->sew < 1 || f->env->frm > RISCV_FRM_RMM ||
        !vf2_group_ok(f->vs2, f->lmul)) {
        return false;
    }
    if (f->sew == 1) {
        vf2_fred_h(f);
    } else if (f->sew == 2) {
        vf2_fred_s(f);
    } else {
        vf2_fred_d(f);
    }
    return true;
}

/*
 * Widening FP (fp_widen): vfwadd, vfwsub (.vv/.vf and the .w forms with
 * a wide vs2), vfwmul, vfwmacc, vfwnmacc, vfwmsac, vfwnmsac from SEW 16
 * (S = h, T its bits) to 32 (W = s, WT) or from 32 (s) to 64 (d).  Each
 * active lane makes fp_widen's fpu calls (the narrow operands widened
 * exactly, NV for a signaling NaN, then the op at 2 * SEW with frm), so
 * results and fflags are the exact path's.  The sources are read before
 * anything is written; the overlaps the checks let through (vd == a wide
 * vs2, a narrow source in vd's top half) make that the same as the exact
 * path's element by element order.
 */
#define DEF_VF2_FWIDE(S, T, W, WT)                                         \
    static void vf2_fwide_##S(const VFast *f, bool vv, bool wide_a, WT *r) \
    {                                                                      \
        CPURISCVState *env = f->env;                                       \
        uint32_t *fl = &env->fflags;                                       \
        const uint8_t *sa = vf2_reg(f, f->vs2), *sb = vf2_reg(f, f->vs1);  \
        const WT *sd = (const WT *)vf2_reg(f, f->vd);                      \
        int rm = (int)env->frm, f6 = f->f6;                                \
        T xs = fpu_unbox_##S(f->x), t;                                     \
                                                                           \
        for (uint32_t i = 0; i < f->vl; i++) {                             \
            WT a, b, d = sd[i];                                            \
                                                                           \
            if (!vf2_active(f, i)) {                                       \
                continue;                                                  \
            }                                                              \
            if (wide_a) {                                                  \
                memcpy(&a, sa + i * sizeof(WT), sizeof(WT));               \
            } else {                                                       \
                memcpy(&t, sa + i * sizeof(T), sizeof(T));                 \
                a = fpu_cvt_##W##_##S(t, RISCV_FRM_RNE, fl);               \
            }                                                              \
            if (vv) {                                                      \
                memcpy(&t, sb + i * sizeof(T), sizeof(T));                 \
            } else {                                                       \
                t = xs;                                                    \
            }                                                              \
            b = fpu_cvt_##W##_##S(t, RISCV_FRM_RNE, fl);                   \
            switch (f6) {                                                  \
            case 0x30:                                                     \
            case 0x34:                                                     \
                r[i] = fpu_add_##W(a, b, rm, fl);                          \
                break;                                                     \
            case 0x32:                                                     \
            case 0x36:                                                     \
                r[i] = fpu_sub_##W(a, b, rm, fl);                          \
                break;                                                     \
            case 0x38:                                                     \
                r[i] = fpu_mul_##W(a, b, rm, fl);                          \
                break;                                                     \
            case 0x3c:                                                     \
                r[i] = fpu_madd_##W(b, a, d, rm, fl);                      \
                break;                                                     \
            case 0x3d:                                                     \
                r[i] = fpu_nmadd_##W(b, a, d, rm, fl);                     \
                break;                                                     \
            case 0x3e:                                                     \
                r[i] = fpu_msub_##W(b, a, d, rm, fl);                      \
                break;                                                     \
            default:                                                       \
                r[i] = fpu_nmsub_##W(b, a, d, rm, fl);                     \
                break;                                                     \
            }                                                              \
        }                                                                  \
    }

DEF_VF2_FWIDE(h, uint16_t, s, uint32_t)
DEF_VF2_FWIDE(s, uint32_t, d, uint64_t)

/* fp_widen's checks, then the widening op. */
static bool vf2_fwide(const VFast *f)
{
    int f6 = f->f6, wl = f->lmul + 1;
    bool vv = f->f3 == 1, wide_a = f6 == 0x34 || f6 == 0x36;
    VF2Buf r;

    if (f->sew < 1 || f->sew > 2 || f->env->frm > RISCV_FRM_RMM ||
        f->lmul == 3 || (!f->vm && f->vd == 0) ||
        !(f6 == 0x30 || f6 == 0x32 || wide_a || f6 == 0x38 || f6 >= 0x3c) ||
        !vf2_group_ok(f->vd, wl) ||
        !vf2_group_ok(f->vs2, wide_a ? wl : f->lmul) ||
        (!wide_a && !vf2_noover_ok(f->vd, wl, f->vs2, f->lmul)) ||
        (vv && (!vf2_group_ok(f->vs1, f->lmul) ||
                !vf2_noover_ok(f->vd, wl, f->vs1, f->lmul)))) {
        return false;
    }
    if (f->sew == 1) {
        vf2_fwide_h(f, vv, wide_a, r.w);
    } else {
        vf2_fwide_s(f, vv, wide_a, r.d);
    }
    vf2_write_sew(f, r.b, f->sew + 1);
    return true;
}

/*
 * VFUNARY0 conversions: vfcvt.* (vs1 0..7, SEW to SEW), vfwcvt.* (8..15,
 * to 2 * SEW), vfncvt.* (16..23, from 2 * SEW): fp_convert's checks, then
 * its element step (vec_fcvt_elem: the same calls, so the same results
 * and fflags) on each active element.  The sources are read before vd is
 * written: the overlaps let through (a narrow source in a wide vd's top
 * half, vd == vs2 for vfncvt) give the same as element order.
 */
static bool vf2_fcvt(const VFast *f)
{
    int op = f->vs1 & 7, grp = f->vs1 >> 3, sew = f->sew;
    int src = grp == 2 ? sew + 1 : sew, dst = grp == 1 ? sew + 1 : sew;
    int sl = grp == 2 ? f->lmul + 1 : f->lmul;
    int dl = grp == 1 ? f->lmul + 1 : f->lmul;
    int rm = (op & 6) == 6 ? RISCV_FRM_RTZ : (int)f->env->frm;
    bool ff = op == 4 || op == 5;
    int fsz = op < 2 || op >= 6 ? src : dst; /* the FP side */
    const uint8_t *a = vf2_reg(f, f->vs2);
    VF2Buf r;

    if (f->vs1 > 23 || (op == 5 && grp != 2) || (op == 4 && grp == 0) ||
        (!f->vm && f->vd == 0) || (grp && (sew >= 3 || f->lmul == 3)) ||
        (ff && (src < 1 || dst < 1)) || (!ff && (fsz < 1 || fsz > 3)) ||
        f->env->frm > RISCV_FRM_RMM || !vf2_group_ok(f->vd, dl) ||
        !vf2_group_ok(f->vs2, sl) ||
        ((grp == 1 || (grp == 2 && f->vd != f->vs2)) &&
         !vf2_noover_ok(f->vd, dl, f->vs2, sl))) {
        return false;
    }
    for (uint32_t i = 0; i < f->vl; i++) {
        uint64_t x = 0;

        if (!vf2_active(f, i)) {
            continue;
        }
        memcpy(&x, a + ((size_t)i << src), 1u << src); /* zero-extended */
        x = vec_fcvt_elem(f->env, x, op, grp, src, dst, rm);
        memcpy(r.b + ((size_t)i << dst), &x, 1u << dst);
    }
    vf2_write_sew(f, r.b, dst);
    return true;
}

/*
 * FP compares (vmfeq/vmfle/vmflt/vmfne/vmfgt/vmfge) and vfmin/vfmax at
 * SEW 32 (S = s) and 64 (S = d), T the float type, U its bits: only when
 * no active lane has a NaN operand, then no flag is raised (NV needs a
 * NaN) and the host's compare is IEEE's; vfmin/vfmax of equal operands
 * (+0 and -0) take the OR (min: -0) or the AND (max: +0) of their bits.
 * Returns: false (nothing written) if a lane has a NaN.
 */
#define DEF_VF2_FP(S, T, U)                                            \
    static bool vf2_fp_##S(const VFast *f, const T *a, const T *b)     \
    {                                                                  \
        U r[VF2_MAXB / sizeof(T)], ua, ub;                             \
        uint8_t c[VF2_MAXE];                                           \
        bool nan = false;                                              \
        uint32_t n = f->vl, i;                                         \
        int f6 = f->f6;                                                \
                                                                       \
        for (i = 0; i < n; i++) {                                      \
            nan |= (a[i] != a[i] || b[i] != b[i]) && vf2_active(f, i); \
        }                                                              \
        if (nan) {                                                     \
            return false;                                              \
        }                                                              \
        for (i = 0; i < n; i++) {                                      \
            T x = a[i], y = b[i];                                      \
                                                                       \
            memcpy(&ua, &x, sizeof(U));                                \
            memcpy(&ub, &y, sizeof(U));                                \
            switch (f6) {                                              \
            case 0x04:                                                 \
                r[i] = x < y ? ua : y < x ? ub : ua | ub;              \
                break;                                                 \
            case 0x06:                                                 \
                r[i] = x > y ? ua : y > x ? ub : ua & ub;              \
                break;                                                 \
            case 0x18:                                                 \
                c[i] = x == y;                                         \
                break;                                                 \
            case 0x19:                                                 \
                c[i] = x <= y;                                         \
                break;                                                 \
            case 0x1b:                                                 \
                c[i] = x < y;                                          \
                break;                                                 \
            case 0x1c:                                                 \
                c[i] = x != y;                                         \
                break;                                                 \
            case 0x1d:                                                 \
                c[i] = x > y;                                          \
                break;                                                 \
            default:                                                   \
                c[i] = x >= y;                                         \
                break;                                                 \
            }                                                          \
        }                                                              \
        if (f6 == 0x04 || f6 == 0x06) {                                \
            vf2_write(f, r);                                           \
        } else {                                                       \
            vf2_write_mask(f, c);                                      \
        }                                                              \
        return true;                                                   \
    }

DEF_VF2_FP(s, float, uint32_t)
DEF_VF2_FP(d, double, uint64_t)

/*
 * OPFVV/OPFVF: the FP reductions, vfcvt and widening ops above, else
 * vec_fp_op's, fp_sss's and fp_compare's checks first.
 */
bool vec_fast2_opf(const VFast *f)
{
    VF2Buf a, b;
    bool vv = f->f3 == 1, cmp = f->f6 >= 0x18;
    int f6 = f->f6;

    if (vv && (f6 == 0x01 || f6 == 0x03 || f6 == 0x05 || f6 == 0x07)) {
        return vf2_fred(f);
    }
    if (vv && f6 == 0x12) {
        return vf2_fcvt(f);
    }
    if (vv && (f6 == 0x31 || f6 == 0x33)) {
        return vf2_fwred(f);
    }
    if (f6 >= 0x30) {
        return vf2_fwide(f);
    }
    if (f->sew < 2 || f->env->frm > RISCV_FRM_RMM || !fpu_host_fast_path() ||
        !(f6 == 0x04 || f6 == 0x06 || f6 == 0x18 || f6 == 0x19 || f6 == 0x1b ||
          f6 == 0x1c || (!vv && (f6 == 0x1d || f6 == 0x1f)))) {
        return false;
    }
    if (!vf2_group_ok(f->vs2, f->lmul) ||
        (vv && !vf2_group_ok(f->vs1, f->lmul)) || (!f->vm && f->vd == 0)) {
        return false;
    }
    if (cmp ? vf2_overlap(f->vd, 1, f->vs2, f->regs) ||
                  (vv && vf2_overlap(f->vd, 1, f->vs1, f->regs))
            : !vf2_group_ok(f->vd, f->lmul)) {
        return false;
    }
    if (!vv && f->sew == 2 && (f->x >> 32) != 0xffffffffu) {
        return false; /* not NaN-boxed: the exact path reads a NaN */
    }
    memcpy(a.b, vf2_reg(f, f->vs2), (size_t)f->vl << f->sew);
    vf2_opnd_b(f, vv, b.b);
    return f->sew == 2 ? vf2_fp_s(f, a.fs, b.fs) : vf2_fp_d(f, a.fd, b.fd);
}

/* OPIVV/OPIVX/OPIVI forms (vec_fast_op, after vector_fast.c's). */
bool vec_fast2_opi(VFast *f)
{
    int f6 = f->f6, k = f->f3; /* 0 vv, 4 vx, 3 vi */

    switch (f6) {
    case 0x0c:
        return vf2_permute(f, false);
    case 0x0e:
        return k == 0 ? vf2_gather16(f) : vf2_permute(f, false);
    case 0x0f:
        return k != 0 && vf2_permute(f, false);
    case 0x20:
    case 0x21:
        if (k == 3) { /* simm5 */
            f->x = (uint64_t)((int64_t)(f->x << 59) >> 59);
        }
        return vf2_fix(f, f6 == 0x20 ? VF2_SADDU : VF2_SADD, k == 0);
    case 0x22:
    case 0x23:
        return k != 3 && vf2_fix(f, f6 == 0x22 ? VF2_SSUBU : VF2_SSUB, k == 0);
    case 0x2a:
    case 0x2b:
        return vf2_fix(f, f6 == 0x2a ? VF2_SSRL : VF2_SSRA, k == 0);
    case 0x27:
        return k != 3 && vf2_fix(f, VF2_SMUL, k == 0); /* .vi: vmv<nr>r */
    case 0x2c:
    case 0x2d:
    case 0x2e:
    case 0x2f:
        return vf2_narrow(f, k == 0);
    default:
        return false;
    }
}

/* OPMVV/OPMVX forms (vec_fast_op, after vector_fast.c's). */
bool vec_fast2_opm(const VFast *f)
{
    bool vx = f->f3 == 6;
    int f6 = f->f6;

    if (f6 <= 0x07 && !vx) {
        return vf2_red(f);
    }
    if (f6 >= 0x08 && f6 <= 0x0b) {
        return vf2_fix(f, VF2_AADDU + (f6 - 0x08), !vx);
    }
    if ((f6 == 0x0e || f6 == 0x0f) && vx) {
        return vf2_permute(f, true);
    }
    if (f6 == 0x14 && !vx && f->vs1 == 0x11) {
        return vf2_vid(f);
    }
    if (f6 == 0x14 && !vx && f->vs1 == 0x10) {
        return vf2_viota(f);
    }
    if (f6 == 0x17 && !vx) {
        return vf2_compress(f);
    }
    if (f6 >= 0x18 && f6 <= 0x1f && !vx) {
        return vf2_mlogic(f);
    }
    return false;
}
