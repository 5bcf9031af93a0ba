/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * V extension helpers: vset{i}vl{i}, the vector CSR state, loads and
 * stores, and the dispatch of OP-V instructions (vector_internal.h).
 *
 * Every helper gets the raw instruction word and decodes it under the
 * current vtype.  The helpers that can fault or raise SIGILL are
 * TCG_CALL_NO_WG: the guest registers are in env when they leave by
 * cpu_loop_exit_restore() or a host fault.  Loads and stores access guest
 * memory directly (tcg_guest_base + address) with CPUState.helper_ra set,
 * so that the fault handler (accel/tcg/cpu-exec.c) turns a host SIGSEGV
 * or SIGBUS into the guest's at this instruction; env->vstart holds the
 * element being accessed, so a fault leaves it there, as in QEMU.  vstart
 * goes back to 0 when an instruction completes.  With vstart >= vl
 * nothing is done and vstart is left as it is (QEMU 7.2 branches over
 * the helper then).  While gdb has watchpoints, each element access is
 * checked first (vec_watch).
 */
#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/translator.h"
#include "target-riscv/helper.h"
#include "target-riscv/vector_fast.h"
#include "target-riscv/vector_internal.h"

bool (*vec_guest_readable)(uint64_t addr, uint64_t len);

void vec_illegal(const VecInsn *v)
{
    cpu_loop_exit_restore(v->env, RISCV_EXCP_ILLEGAL, v->ra);
}

void vec_decode(VecInsn *v, CPURISCVState *env, uint32_t insn, uintptr_t ra)
{
    v->env = env;
    v->ra = ra;
    v->insn = insn;
    v->f3 = (insn >> 12) & 7;
    v->f6 = insn >> 26;
    v->vm = (insn >> 25) & 1;
    v->vd = (insn >> 7) & 31;
    v->vs1 = (insn >> 15) & 31;
    v->vs2 = (insn >> 20) & 31;
    v->sew = (env->vtype >> 3) & 7;
    v->lmul = (int)((env->vtype & 7) ^ 4) - 4; /* 3-bit signed */
    v->vl = env->vl;
    v->vstart = env->vstart;
    v->vlenb = env->cfg.vlen / 8;
    v->vlmax = (v->vlenb << 3) >> (v->sew + 3 - v->lmul);
    v->scalar = 0;
}

void vec_check_group(const VecInsn *v, int reg, int emul)
{
    int n = emul > 0 ? 1 << emul : 1;

    if (emul < -3 || emul > 3 || (reg & (n - 1)) || reg + n > 32) {
        vec_illegal(v);
    }
}

void vec_check_disjoint(const VecInsn *v, int dst, int dl, int src, int sl)
{
    int ds = dl > 0 ? 1 << dl : 1, ss = sl > 0 ? 1 << sl : 1;

    if (dst < src + ss && src < dst + ds) {
        vec_illegal(v);
    }
}

void vec_check_noover(const VecInsn *v, int dst, int dl, int src, int sl)
{
    int ds = dl > 0 ? 1 << dl : 1, ss = sl > 0 ? 1 << sl : 1;

    if (dst >= src + ss || src >= dst + ds) {
        return; /* no overlap */
    }
    if (ds > ss && sl >= 0 && src == dst + ds - ss) {
        return; /* wider destination: the source in its top part */
    }
    if (ds < ss && dst == src) {
        return; /* narrower destination: at the bottom of the source */
    }
    if (ds == ss && dl == sl) {
        return; /* the same EEW */
    }
    vec_illegal(v);
}

uint32_t riscv_vtype_vlmax(uint64_t vtype, uint32_t vlen, uint32_t elen)
{
    int lmul = vtype & 7, vsew = (vtype >> 3) & 7;
    uint32_t sew = 8u << vsew;

    if ((vtype >> 63) ||
        ((lmul & 4) && (lmul == 4 || (elen >> (8 - lmul)) < sew))) {
        return 0; /* vill, reserved LMUL, or SEW > ELEN * LMUL */
    }
    if (sew > elen || ((vtype >> 8) & ((1ull << 55) - 1))) {
        return 0;
    }
    return vlen >> (vsew + 3 - ((lmul ^ 4) - 4));
}

/* vsetvl: QEMU 7.2's rules (an illegal vtype sets vill, vl = 0). */
static uint64_t vec_vsetvl(CPURISCVState *env, uint64_t avl, uint64_t vtype)
{
    uint32_t vlmax = riscv_vtype_vlmax(vtype, env->cfg.vlen, env->cfg.elen);

    if (vlmax == 0) {
        env->vill = 1;
        env->vtype = 0;
        env->vl = 0;
        env->vstart = 0;
        return 0;
    }
    env->vl = avl < vlmax ? avl : vlmax;
    env->vtype = vtype;
    env->vstart = 0;
    env->vill = 0;
    return env->vl;
}

/* vsetvl{i}: SIGILL while prctl has turned V off for the thread. */
static uint64_t helper_vsetvl(CPURISCVState *env, uint64_t avl, uint64_t vtype)
{
    if ((env->vctrl & RISCV_V_CTRL_CUR_MASK) == RISCV_V_CTRL_OFF) {
        cpu_loop_exit_restore(env, RISCV_EXCP_ILLEGAL, GETPC());
    }
    env->vused = 1;
    return vec_vsetvl(env, avl, vtype);
}

/* Before a TB's first inline vector CSR access: SIGILL with V off. */
static void helper_vcheck(CPURISCVState *env)
{
    if ((env->vctrl & RISCV_V_CTRL_CUR_MASK) == RISCV_V_CTRL_OFF) {
        cpu_loop_exit_restore(env, RISCV_EXCP_ILLEGAL, GETPC());
    }
}

void riscv_vector_restore(CPURISCVState *env, uint64_t avl, uint64_t vtype,
                          uint64_t vstart, uint64_t vcsr)
{
    vec_vsetvl(env, avl, vtype);
    env->vstart = vstart & (env->cfg.vlen - 1);
    env->vxsat = vcsr & 1;
    env->vxrm = (vcsr >> 1) & 3;
    env->vused = 1;
}

/* Host address of guest @addr..+@size; SIGSEGV if outside the space. */
static void *vec_host(const VecInsn *v, uint64_t addr, uint32_t size)
{
    uint64_t mask = v->env->hdr.guest_addr_mask;

    if (mask && (((addr | (addr + size - 1)) & mask) || addr + size < addr)) {
        v->env->badaddr = addr;
        cpu_loop_exit_restore(v->env, RISCV_EXCP_SEGV_MAPERR, v->ra);
    }
    return (void *)(tcg_guest_base + addr);
}

/*
 * Under gdb watchpoints (CF_WATCH in force): an element access that hits
 * one leaves before it with RISCV_EXCP_WATCH, pc at the instruction and
 * vstart at the element (the elements before it are done, as after a
 * fault), as helper_watch_check does for scalar accesses.
 */
static void vec_watch(const VecInsn *v, bool store, uint64_t addr, int sew)
{
    if (cpu_watch_hook && cpu_watch_hook(addr, 1u << sew, store ? 2 : 1)) {
        v->env->badaddr = addr;
        cpu_loop_exit_restore(v->env, RISCV_EXCP_WATCH, v->ra);
    }
}

/* One element between guest memory at @addr and register group @reg. */
static void vec_mem_elem(const VecInsn *v, bool store, uint64_t addr, int reg,
                         uint32_t i, int sew)
{
    void *h = vec_host(v, addr, 1u << sew);

    /* Written by the gdbstub with every vCPU stopped (exclusive section). */
    if (__builtin_expect(cpu_exec_debug_cflags & CF_WATCH, 0)) {
        vec_watch(v, store, addr, sew);
    }
    if (store) {
        memcpy(h, vec_elem_ptr(v, reg, i, sew), 1u << sew);
    } else {
        memcpy(vec_elem_ptr(v, reg, i, sew), h, 1u << sew);
    }
}

/* A vector load or store, decoded (see helper_vldst). */
typedef struct VecMem {
    bool store, indexed, strided;
    int nf;       /* fields (segments): 1..8 */
    int eew;      /* log2 bytes of the width field's EEW */
    int dsew;     /* log2 bytes of a data element */
    int emul;     /* log2 of the data EMUL */
    uint32_t evl; /* elements */
    uint64_t base, stride;
} VecMem;

/* Whole-register and mask loads/stores: unmasked bytes or elements. */
static void vec_mem_whole(VecInsn *v, VecMem *m)
{
    for (uint32_t i = v->vstart; i < m->evl; i++) {
        v->env->vstart = i;
        vec_mem_elem(v, m->store, m->base + ((uint64_t)i << m->eew), v->vd, i,
                     m->eew);
    }
    v->env->vstart = 0;
}

/* Index element @i (zero-extended, EEW of the width field) of vs2. */
static uint64_t vec_index(const VecInsn *v, const VecMem *m, uint32_t i)
{
    return vec_get(v, v->vs2, i, m->eew);
}

/*
 * Unit-stride, strided and indexed, with segments: field k of element i
 * is register group vd + k * EMUL's element i.
 */
static void vec_mem_elems(VecInsn *v, VecMem *m, bool ff)
{
    int regs = m->emul > 0 ? 1 << m->emul : 1;
    uint32_t esz = 1u << m->dsew;

    for (uint32_t i = v->vstart; i < m->evl; i++) {
        uint64_t addr;

        if (!vec_active(v, i)) {
            continue;
        }
        if (m->indexed) {
            addr = m->base + vec_index(v, m, i);
        } else if (m->strided) {
            addr = m->base + i * m->stride;
        } else {
            addr = m->base + (uint64_t)i * m->nf * esz;
        }
        if (ff && i > 0 && vec_guest_readable &&
            !vec_guest_readable(addr, (uint64_t)m->nf * esz)) {
            v->env->vl = i; /* fault-only-first: trim vl, no trap */
            break;
        }
        v->env->vstart = i;
        for (int k = 0; k < m->nf; k++) {
            vec_mem_elem(v, m->store, addr + k * esz, v->vd + k * regs, i,
                         m->dsew);
        }
    }
    v->env->vstart = 0;
}

/* Checks of QEMU's vext_check_load/store, then the access. */
static void vec_mem(VecInsn *v, VecMem *m, int mop, int lumop)
{
    bool ff = mop == 0 && lumop == 0x10;
    int regs;

    if (mop == 0 && lumop != 0 && lumop != 0x10) {
        vec_illegal(v);
    }
    m->indexed = mop & 1;
    m->strided = mop == 2;
    m->dsew = m->indexed ? v->sew : m->eew;
    m->emul = m->indexed ? v->lmul : m->eew - v->sew + v->lmul;
    regs = m->emul > 0 ? 1 << m->emul : 1;
    if (m->emul < -3 || m->emul > 3 || m->nf * regs > 8 ||
        (m->indexed &&
         (m->eew - v->sew + v->lmul < -3 || m->eew - v->sew + v->lmul > 3))) {
        vec_illegal(v);
    }
    vec_check_group(v, v->vd, m->emul);
    if (v->vd + m->nf * regs > 32 || (!m->store && !v->vm && v->vd == 0)) {
        vec_illegal(v);
    }
    if (m->indexed) {
        vec_check_group(v, v->vs2, m->eew - v->sew + v->lmul);
    }
    if (v->vstart >= v->vl) {
        return; /* QEMU 7.2 branches over it, vstart stays */
    }
    m->evl = v->vl;
    vec_mem_elems(v, m, ff);
}

/* Decode and run a vector load or store (LOAD-FP / STORE-FP). */
static void vec_ldst(CPURISCVState *env, uint32_t insn, uint64_t base,
                     uint64_t stride, uintptr_t ra)
{
    static const int8_t eew_of_width[8] = {0, -1, -1, -1, -1, 1, 2, 3};
    int mop = (insn >> 26) & 3, lumop = (insn >> 20) & 31;
    VecInsn v;
    VecMem m = {.store = (insn & 0x7f) == 0x27, .base = base, .stride = stride};

    vec_decode(&v, env, insn, ra);
    if (env->vill && !(mop == 0 && lumop == 8)) {
        vec_illegal(&v); /* only whole-register accesses work with vill */
    }
    m.nf = (insn >> 29) + 1;
    m.eew = eew_of_width[(insn >> 12) & 7];
    if ((insn >> 28) & 1) {
        vec_illegal(&v); /* mew: EEW > 64 */
    }
    if ((8 << m.eew) > env->cfg.elen && !(mop == 0 && lumop == 8)) {
        vec_illegal(&v); /* EEW > ELEN (Zve32*) is reserved */
    }
    if (mop == 0 && lumop == 8) { /* whole registers */
        if (!v.vm || (m.nf & (m.nf - 1)) || (m.store && m.eew != 0) ||
            (v.vd & (m.nf - 1))) {
            vec_illegal(&v);
        }
        m.evl = (m.nf * v.vlenb) >> m.eew;
        vec_mem_whole(&v, &m);
        return;
    }
    if (mop == 0 && lumop == 0xb) { /* vlm.v, vsm.v */
        if (!v.vm || m.eew != 0 || m.nf != 1) {
            vec_illegal(&v);
        }
        m.evl = (v.vl + 7) / 8;
        if (v.vl) {
            vec_mem_whole(&v, &m);
        }
        return;
    }
    vec_mem(&v, &m, mop, lumop);
}

/* A vector load or store: base = x[rs1], stride = x[rs2]. */
static void helper_vldst(CPURISCVState *env, uint64_t insn, uint64_t base,
                         uint64_t stride)
{
    uintptr_t ra = GETPC();

    if ((env->vctrl & RISCV_V_CTRL_CUR_MASK) == RISCV_V_CTRL_OFF) {
        cpu_loop_exit_restore(env, RISCV_EXCP_ILLEGAL, ra);
    }
    env->vused = 1;
    current_cpu->helper_ra = ra;
    /* Under gdb watchpoints every element is checked: no fast path. */
    if ((cpu_exec_debug_cflags & CF_WATCH) ||
        (!vec_fast_ldst(env, (uint32_t)insn, base) &&
         !vec_fast_mem(env, (uint32_t)insn, base, stride))) {
        vec_ldst(env, insn, base, stride, ra);
    }
    current_cpu->helper_ra = 0;
}

/* An OP-V instruction other than vset*; @scalar: x[rs1] or f[rs1]. */
static uint64_t helper_vop(CPURISCVState *env, uint64_t insn, uint64_t scalar)
{
    VecInsn v;
    uint64_t r;

    if ((env->vctrl & RISCV_V_CTRL_CUR_MASK) != RISCV_V_CTRL_OFF &&
        vec_fast_op(env, (uint32_t)insn, scalar, &r)) {
        env->vused = 1;
        return r;
    }
    vec_decode(&v, env, insn, GETPC());
    if ((env->vctrl & RISCV_V_CTRL_CUR_MASK) == RISCV_V_CTRL_OFF) {
        vec_illegal(&v);
    }
    env->vused = 1;
    v.scalar = scalar;
    return vec_int_op(&v);
}

DEF_HELPER_INFO(vsetvl, TCG_CALL_NO_WG); /* may raise SIGILL */
DEF_HELPER_INFO(vcheck, TCG_CALL_NO_WG);
DEF_HELPER_INFO(vldst, TCG_CALL_NO_WG);
DEF_HELPER_INFO(vop, TCG_CALL_NO_WG);
