/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internals shared by the V helpers (vector_helper.c: state, vsetvl,
 * loads and stores, dispatch; vector_helper_int.c: integer, mask and
 * permutation instructions) and, at the end, by the fast paths
 * (vector_fast.c, vector_fast2.c): their OP-V decode (VFast) and the
 * vxrm rounding rule both sides apply (vec_round_inc).
 *
 * A helper gets the whole instruction word and decodes it into a VecInsn
 * with the current vtype: vtype and vl are not in the TB flags yet, so
 * every check that depends on them (vill, register group alignment, EMUL)
 * is made here, at run time, and raises SIGILL through
 * cpu_loop_exit_restore().  Elements not written (tail, masked off) stay
 * undisturbed, as in QEMU 7.2 (its rvv_ta_all_1s is off by default).
 */
#ifndef TARGET_RISCV_VECTOR_INTERNAL_H
#define TARGET_RISCV_VECTOR_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "target-riscv/cpu.h"

/* One decoded vector instruction and the vector state it runs under. */
typedef struct VecInsn {
    CPURISCVState *env;
    uintptr_t ra; /* the helper's GETPC() */
    uint32_t insn;
    int f3, f6, vd, vs1, vs2;
    bool vm;  /* 1: unmasked */
    int sew;  /* log2 of SEW in bytes (0..3) */
    int lmul; /* log2 of LMUL (-3..3) */
    uint32_t vl, vstart, vlmax, vlenb;
    uint64_t scalar; /* x[rs1], f[rs1] or the immediate */
} VecInsn;

/** vec_illegal() - raise SIGILL at the instruction of @v. */
void vec_illegal(const VecInsn *v) __attribute__((noreturn));

/** vec_decode() - fill @v for @insn under env's vtype; SIGILL if vill. */
void vec_decode(VecInsn *v, CPURISCVState *env, uint32_t insn, uintptr_t ra);

/*
 * log2 of ELEN in bytes: 3 (64 bits), or 2 for ELEN 32 (Zve32*, elen=32);
 * a widening or narrowing at SEW >= this is illegal (2 * SEW > ELEN).
 */
static inline int vec_max_sew(const VecInsn *v)
{
    return v->env->cfg.elen == 32 ? 2 : 3;
}

/* Bytes of element @i of size 1 << @sew in the group at register @reg. */
static inline uint8_t *vec_elem_ptr(const VecInsn *v, int reg, uint32_t i,
                                    int sew)
{
    uint32_t off = reg * v->vlenb + (i << sew);

    /*
     * The checks keep groups inside v0-v31; never leave them anyway: env
     * has 32 * vlenb bytes of vreg (riscv_cpu_init), vlenb a power of 2.
     */
    return v->env->vreg + (off & (32 * v->vlenb - 1));
}

/* Element @i (zero-extended) of the group at @reg, SEW = 8 << @sew. */
static inline uint64_t vec_get(const VecInsn *v, int reg, uint32_t i, int sew)
{
    const uint8_t *p = vec_elem_ptr(v, reg, i, sew);

    switch (sew) {
    case 0:
        return *p;
    case 1: {
        uint16_t x;
        memcpy(&x, p, 2);
        return x;
    }
    case 2: {
        uint32_t x;
        memcpy(&x, p, 4);
        return x;
    }
    default: {
        uint64_t x;
        memcpy(&x, p, 8);
        return x;
    }
    }
}

static inline void vec_set(const VecInsn *v, int reg, uint32_t i, int sew,
                           uint64_t x)
{
    memcpy(vec_elem_ptr(v, reg, i, sew), &x, 1u << sew); /* little-endian */
}

/* Bit @i of mask register @reg. */
static inline bool vec_mask_bit(const VecInsn *v, int reg, uint32_t i)
{
    return *vec_elem_ptr(v, reg, i / 8, 0) >> (i % 8) & 1;
}

static inline void vec_set_mask_bit(const VecInsn *v, int reg, uint32_t i,
                                    bool b)
{
    uint8_t *p = vec_elem_ptr(v, reg, i / 8, 0);

    *p = (*p & ~(1u << (i % 8))) | (uint8_t)b << (i % 8);
}

/* Is element @i active (unmasked, or its v0 bit set)? */
static inline bool vec_active(const VecInsn *v, uint32_t i)
{
    return v->vm || vec_mask_bit(v, 0, i);
}

/* @x (SEW = 8 << @sew bits) sign-extended. */
static inline int64_t vec_sext(uint64_t x, int sew)
{
    int sh = 64 - (8 << sew);

    return (int64_t)(x << sh) >> sh;
}

static inline uint64_t vec_trunc(uint64_t x, int sew)
{
    return sew == 3 ? x : x & ((1ull << (8 << sew)) - 1);
}

/*
 * vec_check_group() - SIGILL unless the group of 2^@emul registers (one
 * for a fractional @emul) at @reg is aligned and inside v0-v31.
 */
void vec_check_group(const VecInsn *v, int reg, int emul);

/*
 * vec_check_noover() - SIGILL if the destination group (register @dst,
 * EMUL 2^@dl) overlaps the source group (@src, 2^@sl) in a way the spec
 * (5.2) reserves: allowed are the same EEW (@dl == @sl), a narrower
 * destination at the bottom of the source, a wider one whose top part is
 * the source (source EMUL >= 1).  A mask register is EMUL 1 (@dl 0) and
 * narrower than any source.
 */
void vec_check_noover(const VecInsn *v, int dst, int dl, int src, int sl);

/* vec_check_disjoint() - SIGILL if the two groups overlap at all. */
void vec_check_disjoint(const VecInsn *v, int dst, int dl, int src, int sl);

/* vec_check_mask_dest() - the overlap check of a mask vd and group @src. */
void vec_check_mask_dest(const VecInsn *v, int src);

/**
 * vec_skip() - with vstart >= vl, QEMU 7.2 branches over an instruction
 * (its checks are made when it is translated): make @v run with no
 * elements.  Returns: true then (vstart is to be left as it is).
 */
bool vec_skip(VecInsn *v);

/**
 * vec_permute() - vslideup/down (OPI), vslide1up/down (OPM, and the FP
 * vfslide1up/down with the scalar in v->scalar), vrgather(ei16),
 * vcompress.
 */
void vec_permute(VecInsn *v, bool opm);

/**
 * vec_fp_op() - execute an OPFVV/OPFVF instruction.
 * Returns: the value for f[rd] (vfmv.f.s), else 0.
 */
uint64_t vec_fp_op(VecInsn *v);

/**
 * vec_int_op() - execute an OPIVV/OPIVX/OPIVI/OPMVV/OPMVX instruction.
 * and, passed on to vec_fp_op, OPFVV/OPFVF.
 * Returns: the value for x[rd] (vmv.x.s, vcpop.m, vfirst.m) or f[rd]
 * (vfmv.f.s), else 0.
 */
uint64_t vec_int_op(VecInsn *v);

/**
 * vec_fcvt_elem() - the VFUNARY0 conversion @op (vs1 & 7) of group @grp
 * (vs1 >> 3: 0 vfcvt, 1 vfwcvt, 2 vfncvt) of element @a, of 1 << @src
 * bytes, to 1 << @dst bytes, rounding with @rm (RTZ for the .rtz forms);
 * flags accrue in env->fflags.  fp_convert's element step, shared with
 * its fast path (vector_fast2.c).
 * Returns: the converted element.
 */
uint64_t vec_fcvt_elem(CPURISCVState *env, uint64_t a, int op, int grp, int src,
                       int dst, int rm);

/**
 * vec_round_inc() - the rounding increment (0 or 1) under vxrm @rm of a
 * right shift by at least one bit: @d is bit 0 of the shifted value,
 * @d1 the last bit shifted out, @low whether any bit below @d1 was set.
 * The exact helpers (vector_helper_int.c, 128-bit) and the fast paths
 * (vector_fast2.c, 64-bit) find the three bits at their width.
 */
static inline unsigned vec_round_inc(unsigned rm, unsigned d, unsigned d1,
                                     bool low)
{
    switch (rm & 3) {
    case 0: /* rnu */
        return d1;
    case 1: /* rne */
        return d1 & (low || d);
    case 2: /* rdn */
        return 0;
    default: /* rod */
        return !d & (d1 || low);
    }
}

/* An OP-V instruction as the fast paths see it (vec_fast_decode). */
typedef struct VFast {
    CPURISCVState *env;
    int f3, f6, vd, vs1, vs2;
    bool vm;
    int sew, lmul, regs; /* log2 SEW bytes, log2 LMUL, registers a group */
    uint32_t vl, vlenb, vlmax;
    uint64_t x; /* x[rs1], f[rs1] or the immediate (uimm5) */
} VFast;

/*
 * vec_fast_full_v() - the fast paths assume V with ELEN 64 (every SEW,
 * FP at 32 and 64 bits): under a Zve* subset or elen=32 the exact path
 * decides what is illegal.
 */
static inline bool vec_fast_full_v(const CPURISCVState *env)
{
    return !env->cfg.v_sub && env->cfg.elen == 64;
}

/**
 * vec_fast_decode() - fill @f for OP-V @insn with @scalar (x[rs1] or
 * f[rs1]) under env's vtype and vl, when the conditions common to every
 * fast path hold: vill clear, vstart 0, vl > 0, full V.
 * Returns: false (then @f is not filled) when they do not.
 */
static inline bool vec_fast_decode(VFast *f, CPURISCVState *env, uint32_t insn,
                                   uint64_t scalar)
{
    if (env->vill || env->vstart != 0 || env->vl == 0 ||
        !vec_fast_full_v(env)) {
        return false;
    }
    f->env = env;
    f->f3 = (insn >> 12) & 7;
    f->f6 = insn >> 26;
    f->vm = (insn >> 25) & 1;
    f->vd = (insn >> 7) & 31;
    f->vs1 = (insn >> 15) & 31;
    f->vs2 = (insn >> 20) & 31;
    f->sew = (env->vtype >> 3) & 7;
    f->lmul = (int)((env->vtype & 7) ^ 4) - 4;
    f->regs = f->lmul > 0 ? 1 << f->lmul : 1;
    f->vl = (uint32_t)env->vl;
    f->vlenb = env->cfg.vlen / 8;
    f->vlmax = (f->vlenb << 3) >> (f->sew + 3 - f->lmul);
    f->x = f->f3 == 3 ? (uint64_t)f->vs1 : scalar;
    return true;
}

/*
 * vec_fast2_opi(), vec_fast2_opm(), vec_fast2_opf() - vector_fast2.c's
 * forms of OPIV*, OPMV* and OPFV* @f (funct3 0/3/4, 2/6, 1/5), which
 * vec_fast_op tries after its own.  vec_fast2_opi may sign-extend f->x.
 * Returns: true when done; false, having changed nothing, otherwise.
 */
bool vec_fast2_opi(VFast *f);
bool vec_fast2_opm(const VFast *f);
bool vec_fast2_opf(const VFast *f);

#endif
