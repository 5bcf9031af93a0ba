/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR builder: tcg_gen_* functions that append ops to the calling
 * thread's context (tcg_ctx).  See docs/tcg-ir.md.
 *
 * Handles (TCGv_i32, TCGv_i64, TCGv_ptr) are offsets of a TCGTemp from the
 * start of the context, disguised as pointers for type checking, so that a
 * global's handle is valid in every thread's context.
 */
#ifndef TCG_TCG_OP_H
#define TCG_TCG_OP_H

#include "tcg/tcg.h"

typedef struct TCGv_i32_d *TCGv_i32;
typedef struct TCGv_i64_d *TCGv_i64;
typedef struct TCGv_ptr_d *TCGv_ptr;

static inline TCGTemp *tcgv_i32_temp(TCGv_i32 v)
{
    return (TCGTemp *)((char *)tcg_ctx + (uintptr_t)v);
}

static inline TCGTemp *tcgv_i64_temp(TCGv_i64 v)
{
    return (TCGTemp *)((char *)tcg_ctx + (uintptr_t)v);
}

static inline TCGTemp *tcgv_ptr_temp(TCGv_ptr v)
{
    return (TCGTemp *)((char *)tcg_ctx + (uintptr_t)v);
}

static inline TCGv_i32 temp_tcgv_i32(TCGTemp *t)
{
    return (TCGv_i32)(uintptr_t)((char *)t - (char *)tcg_ctx);
}

static inline TCGv_i64 temp_tcgv_i64(TCGTemp *t)
{
    return (TCGv_i64)(uintptr_t)((char *)t - (char *)tcg_ctx);
}

static inline TCGv_ptr temp_tcgv_ptr(TCGTemp *t)
{
    return (TCGv_ptr)(uintptr_t)((char *)t - (char *)tcg_ctx);
}

static inline TCGv_ptr temp_tcgv_ptr_of(TCGContext *s, TCGTemp *t)
{
    return (TCGv_ptr)(uintptr_t)((char *)t - (char *)s);
}

/* env: a fixed register; valid in every context. */
extern TCGv_ptr tcg_env;

/* Temps */
static inline TCGv_i32 tcg_temp_new_i32(void)
{
    return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_EBB));
}

static inline TCGv_i64 tcg_temp_new_i64(void)
{
    return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_EBB));
}

/* A temp that survives labels (kept in memory across basic blocks). */
static inline TCGv_i64 tcg_temp_new_tb_i64(void)
{
    return temp_tcgv_i64(tcg_temp_new_internal(TCG_TYPE_I64, TEMP_TB));
}

static inline TCGv_i32 tcg_temp_new_tb_i32(void)
{
    return temp_tcgv_i32(tcg_temp_new_internal(TCG_TYPE_I32, TEMP_TB));
}

static inline void tcg_temp_free_i32(TCGv_i32 v)
{
    tcg_temp_free_internal(tcgv_i32_temp(v));
}

static inline void tcg_temp_free_i64(TCGv_i64 v)
{
    tcg_temp_free_internal(tcgv_i64_temp(v));
}

static inline TCGv_i32 tcg_constant_i32(int32_t v)
{
    return temp_tcgv_i32(tcg_constant_internal(TCG_TYPE_I32, v));
}

static inline TCGv_i64 tcg_constant_i64(int64_t v)
{
    return temp_tcgv_i64(tcg_constant_internal(TCG_TYPE_I64, v));
}

static inline TCGv_i32 tcg_global_mem_new_i32(intptr_t off, const char *name)
{
    return temp_tcgv_i32(tcg_global_mem_new_internal(TCG_TYPE_I32, off, name));
}

static inline TCGv_i64 tcg_global_mem_new_i64(intptr_t off, const char *name)
{
    return temp_tcgv_i64(tcg_global_mem_new_internal(TCG_TYPE_I64, off, name));
}

/* Raw op emitters (tcg-op.c) */
void tcg_gen_op1(TCGOpcode, TCGType, TCGArg);
void tcg_gen_op2(TCGOpcode, TCGType, TCGArg, TCGArg);
void tcg_gen_op3(TCGOpcode, TCGType, TCGArg, TCGArg, TCGArg);
void tcg_gen_op4(TCGOpcode, TCGType, TCGArg, TCGArg, TCGArg, TCGArg);
void tcg_gen_op5(TCGOpcode, TCGType, TCGArg, TCGArg, TCGArg, TCGArg, TCGArg);
void tcg_gen_op6(TCGOpcode, TCGType, TCGArg, TCGArg, TCGArg, TCGArg, TCGArg,
                 TCGArg);

/* Control flow */
void tcg_gen_br(TCGLabel *l);
void gen_set_label(TCGLabel *l);
void tcg_gen_mb(TCGBar kind);
void tcg_gen_insn_start(uint64_t pc);
void tcg_gen_goto_tb(unsigned idx);
void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned idx);
void tcg_gen_goto_ptr(TCGv_ptr ptr);

/**
 * tcg_gen_goto_lookup_i64() - leave the TB for the TB of guest pc @pc
 * (stored in env's pc only on the slow path, by the stub): a jump to one shared stub that probes the vCPU's jump cache and calls
 * tcg_lookup_miss_fn on a miss (tcg_set_lookup_stub).  Globals are saved
 * first, as at every exit.
 */
void tcg_gen_goto_lookup_i64(TCGv_i64 pc);

/**
 * tcg_gen_goto_lookup_ic_i64() - tcg_gen_goto_lookup_i64() through the
 * TB's inline-cache slot @slot (< TB_IC_SLOTS; -1: none), see tcg.h.
 */
void tcg_gen_goto_lookup_ic_i64(TCGv_i64 pc, int slot);
void tcg_gen_discard_i64(TCGv_i64 v);
void tcg_gen_discard_i32(TCGv_i32 v);

/**
 * tcg_gen_tb_start() - check env's exit_request on entry to a TB; if set,
 * leave with TB_EXIT_REQUESTED.  Pair with tcg_gen_tb_end().
 */
void tcg_gen_tb_start(const TranslationBlock *tb);
void tcg_gen_tb_end(const TranslationBlock *tb);

/**
 * tcg_gen_loop_back() - branch back to @head, a label of this TB, after
 * checking exit_request as a TB entry does: if set, leave with
 * TB_EXIT_REQUESTED, so the guest resumes at the TB's start.  @head must
 * therefore be at the TB's first guest instruction.  Pin the globals the
 * loop uses (tcg_pin_hot_globals) so that they stay in registers.
 */
void tcg_gen_loop_back(TCGLabel *head);

/**
 * tcg_gen_loop_back_kick() - the same for a @head inside the TB: when
 * exit_request is set, branch to @kick instead, where the caller stores
 * the guest PC of @head and leaves (the pinned globals are stored there).
 */
void tcg_gen_loop_back_kick(TCGLabel *head, TCGLabel *kick);

/**
 * tcg_gen_loop_back_cond_kick() - a conditional back edge: exit_request is
 * checked first (set: branch to @kick, where the caller leaves for the
 * branch instruction itself), then one brcond to @head.
 */
void tcg_gen_loop_back_cond_kick(TCGCond cond, TCGv_i64 a, TCGv_i64 b,
                                 TCGLabel *head, TCGLabel *kick);

/* Calls: up to TCG_MAX_CALL_IARGS arguments; ret may be NULL. */
void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, int nargs,
                   TCGTemp **args);

/*
 * Typed operations, one set per type.  "i" forms take an immediate.
 * Declared for both _i32 (int32_t immediates) and _i64 (int64_t).
 */
#define TCG_OP_DECLS(T, TV, IMM)                                               \
    void tcg_gen_mov_##T(TV d, TV s);                                          \
    void tcg_gen_movi_##T(TV d, IMM v);                                        \
    void tcg_gen_add_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_addi_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_sub_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_subi_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_subfi_##T(TV d, IMM a, TV b);                                 \
    void tcg_gen_neg_##T(TV d, TV a);                                          \
    void tcg_gen_mul_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_muli_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_muluh_##T(TV d, TV a, TV b);                                  \
    void tcg_gen_mulsh_##T(TV d, TV a, TV b);                                  \
    void tcg_gen_div_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_divu_##T(TV d, TV a, TV b);                                   \
    void tcg_gen_rem_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_remu_##T(TV d, TV a, TV b);                                   \
    void tcg_gen_and_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_andi_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_or_##T(TV d, TV a, TV b);                                     \
    void tcg_gen_ori_##T(TV d, TV a, IMM b);                                   \
    void tcg_gen_xor_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_xori_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_not_##T(TV d, TV a);                                          \
    void tcg_gen_andc_##T(TV d, TV a, TV b);                                   \
    void tcg_gen_orc_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_eqv_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_nand_##T(TV d, TV a, TV b);                                   \
    void tcg_gen_nor_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_shl_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_shli_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_shr_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_shri_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_sar_##T(TV d, TV a, TV b);                                    \
    void tcg_gen_sari_##T(TV d, TV a, IMM b);                                  \
    void tcg_gen_rotl_##T(TV d, TV a, TV b);                                   \
    void tcg_gen_rotli_##T(TV d, TV a, IMM b);                                 \
    void tcg_gen_rotr_##T(TV d, TV a, TV b);                                   \
    void tcg_gen_rotri_##T(TV d, TV a, IMM b);                                 \
    void tcg_gen_clz_##T(TV d, TV a, TV zero_val);                             \
    void tcg_gen_clzi_##T(TV d, TV a, IMM zero_val);                           \
    void tcg_gen_ctz_##T(TV d, TV a, TV zero_val);                             \
    void tcg_gen_ctzi_##T(TV d, TV a, IMM zero_val);                           \
    void tcg_gen_ctpop_##T(TV d, TV a);                                        \
    void tcg_gen_bswap16_##T(TV d, TV a);                                      \
    void tcg_gen_bswap32_##T(TV d, TV a);                                      \
    void tcg_gen_ext8s_##T(TV d, TV a);                                        \
    void tcg_gen_ext8u_##T(TV d, TV a);                                        \
    void tcg_gen_ext16s_##T(TV d, TV a);                                       \
    void tcg_gen_ext16u_##T(TV d, TV a);                                       \
    void tcg_gen_extract_##T(TV d, TV a, unsigned pos, unsigned len);          \
    void tcg_gen_sextract_##T(TV d, TV a, unsigned pos, unsigned len);         \
    void tcg_gen_deposit_##T(TV d, TV a, TV b, unsigned pos, unsigned len);    \
    void tcg_gen_setcond_##T(TCGCond c, TV d, TV a, TV b);                     \
    void tcg_gen_setcondi_##T(TCGCond c, TV d, TV a, IMM b);                   \
    void tcg_gen_movcond_##T(TCGCond c, TV d, TV c1, TV c2, TV v1, TV v2);     \
    void tcg_gen_brcond_##T(TCGCond c, TV a, TV b, TCGLabel *l);               \
    void tcg_gen_brcondi_##T(TCGCond c, TV a, IMM b, TCGLabel *l);             \
    void tcg_gen_ld8u_##T(TV d, TCGv_ptr base, intptr_t off);                  \
    void tcg_gen_ld8s_##T(TV d, TCGv_ptr base, intptr_t off);                  \
    void tcg_gen_ld16u_##T(TV d, TCGv_ptr base, intptr_t off);                 \
    void tcg_gen_ld16s_##T(TV d, TCGv_ptr base, intptr_t off);                 \
    void tcg_gen_ld_##T(TV d, TCGv_ptr base, intptr_t off);                    \
    void tcg_gen_st8_##T(TV v, TCGv_ptr base, intptr_t off);                   \
    void tcg_gen_st16_##T(TV v, TCGv_ptr base, intptr_t off);                  \
    void tcg_gen_st_##T(TV v, TCGv_ptr base, intptr_t off);                    \
    void tcg_gen_qemu_ld_##T(TV d, TCGv_i64 addr, MemOp mop);                  \
    void tcg_gen_qemu_st_##T(TV v, TCGv_i64 addr, MemOp mop);                  \
    void tcg_gen_atomic_cmpxchg_##T(TV old, TCGv_i64 addr, TV cmp, TV nv,      \
                                    MemOp mop);                                \
    void tcg_gen_atomic_xchg_##T(TV old, TCGv_i64 addr, TV v, MemOp mop);      \
    void tcg_gen_atomic_fetch_add_##T(TV old, TCGv_i64 addr, TV v, MemOp mop); \
    void tcg_gen_atomic_fetch_and_##T(TV old, TCGv_i64 addr, TV v, MemOp mop); \
    void tcg_gen_atomic_fetch_or_##T(TV old, TCGv_i64 addr, TV v, MemOp mop);  \
    void tcg_gen_atomic_fetch_xor_##T(TV old, TCGv_i64 addr, TV v, MemOp mop); \
    void tcg_gen_atomic_fetch_smin_##T(TV old, TCGv_i64 addr, TV v,            \
                                       MemOp mop);                             \
    void tcg_gen_atomic_fetch_smax_##T(TV old, TCGv_i64 addr, TV v,            \
                                       MemOp mop);                             \
    void tcg_gen_atomic_fetch_umin_##T(TV old, TCGv_i64 addr, TV v,            \
                                       MemOp mop);                             \
    void tcg_gen_atomic_fetch_umax_##T(TV old, TCGv_i64 addr, TV v, MemOp mop);

TCG_OP_DECLS(i32, TCGv_i32, int32_t)
TCG_OP_DECLS(i64, TCGv_i64, int64_t)
#undef TCG_OP_DECLS

/* i64 only */
void tcg_gen_bswap64_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ext32s_i64(TCGv_i64 d, TCGv_i64 a);

/* Hints of tcg_gen_ext32s_chk_i64: what a may be besides sign-extended. */
enum {
    TCG_SEXT_ANY = 0,   /* anything */
    TCG_SEXT_BELOW = 1, /* only below INT32_MIN (a - INT32_MIN in int32) */
    TCG_SEXT_ABOVE = 2, /* only above INT32_MAX (a - INT32_MAX in int32) */
};

/**
 * tcg_gen_ext32s_chk_i64() - d = ext32s(a), for an @a that is usually
 * sign-extended from bit 31 already (addiw's 64-bit sum of a sign-extended
 * register and a small immediate).
 * @d: output
 * @a: input
 * @hint: TCG_SEXT_ANY, or TCG_SEXT_BELOW / TCG_SEXT_ABOVE when @a can only
 *        leave the int32 range on that side, by less than 2^31
 *
 * The host code checks @a (off the dependency chain through it) and
 * extends it only out of line, so a chain of W ops costs one cycle each:
 * movsxd r11, a; cmp r11, a; jne fix (ANY), or cmp a, INT32_MIN; jl fix
 * (BELOW), cmp a, INT32_MAX; jg fix (ABOVE); fix: movsxd a, a; jmp back.
 */
void tcg_gen_ext32s_chk_i64(TCGv_i64 d, TCGv_i64 a, int hint);
void tcg_gen_ext32u_i64(TCGv_i64 d, TCGv_i64 a);
void tcg_gen_ld32u_i64(TCGv_i64 d, TCGv_ptr base, intptr_t off);
void tcg_gen_ld32s_i64(TCGv_i64 d, TCGv_ptr base, intptr_t off);
void tcg_gen_st32_i64(TCGv_i64 v, TCGv_ptr base, intptr_t off);

/**
 * tcg_gen_fpop2_i64() - d = a op b in host floating point
 * @op: a TCGFPOp below TCG_FP_MADD, possibly with TCG_FP_SINGLE, or
 *      TCG_FP_CVT_D_L (d = (double)(int64_t)a)
 *
 * The host computes in round-to-nearest-even and keeps no flags; NaN
 * results are the host's.  Callers use it for a fast path that is exact
 * only where the result is a normal finite number and no flag can
 * change (see target-riscv/trans_rvf.c.inc).
 */
void tcg_gen_fpop2_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, TCGFPOp op);

/**
 * tcg_gen_fpcmp_i64() - d = the IEEE compare a @cond b in host floating point
 * @cond: TCG_COND_EQ, TCG_COND_LT or TCG_COND_LE
 * @single: binary32 in the low 32 bits of a and b (else binary64)
 *
 * d is 1 when the operands are ordered and the relation holds, 0 when
 * they are ordered and it does not, 2 when either is a NaN (unordered).
 * -0 equals +0.  No flags are kept: a caller that must raise the invalid
 * flag for NaNs takes another path when d is 2.
 */
void tcg_gen_fpcmp_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, TCGCond cond,
                       bool single);

/**
 * tcg_gen_fpop3_i64() - d = +-(a * b) +- c, rounded once
 * @op: TCG_FP_MADD .. TCG_FP_NMADD, possibly with TCG_FP_SINGLE
 *
 * Only when tcg_have_fma says the host has FMA3.
 */
/**
 * tcg_gen_vecop() - host SIMD over env memory (TCGVecOp in tcg.h):
 * @ok: the FP ops' test result (see TCGVecOp); unspecified otherwise
 * @x: the scalar operand (TCG_VEC_SCALAR), else any temp
 * @op: TCGVecOp, with TCG_VEC_SCALAR
 * @sew: log2 of the element size in bytes (0..3)
 * @chunks: 16-byte chunks (1..64; 1..8 for the FP ops)
 * @d, @a, @b: offsets in env of the destination and the operands
 * @v0: masked (integer ops but MOV, up to 8 chunks): the offset in env of
 *      the mask register, whose bit i selects element i of the result
 *      (else d's element is kept); -1: unmasked.  For the FP ops: the
 *      offset of a byte whose bit 0 says NX is accrued already, to run
 *      the TCG_VEC_FP_NX_ACCRUED form (FMA: the one without
 *      TCG_VEC_FMA_EXACT) when it is set, the full one otherwise, which
 *      sets the bit when it stored and some lane was inexact (ok is then
 *      the range test's movmsk alone, without bit 4); -1: the form @op
 *      names
 */
void tcg_gen_vecop(TCGv_i64 ok, TCGv_i64 x, int op, int sew, int chunks, int d,
                   int a, int b, int v0);

/**
 * tcg_gen_vecop_vl() - tcg_gen_vecop() of an integer op (not WMACC) that
 * writes only the elements below the 64-bit count at env offset @vl
 * (below 4096; the count from 1 to the group's elements): the others
 * (the tail) keep d's value.  Up to 8 chunks, 4 masked.
 */
void tcg_gen_vecop_vl(TCGv_i64 ok, TCGv_i64 x, int op, int sew, int chunks,
                      int d, int a, int b, int v0, int vl);

void tcg_gen_fpop3_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, TCGv_i64 c,
                       TCGFPOp op);

/* Conversions */
void tcg_gen_ext_i32_i64(TCGv_i64 d, TCGv_i32 a);
void tcg_gen_extu_i32_i64(TCGv_i64 d, TCGv_i32 a);
void tcg_gen_extrl_i64_i32(TCGv_i32 d, TCGv_i64 a);

/* Pointers are i64 on this host. */
static inline TCGv_i64 tcgv_ptr_as_i64(TCGv_ptr p)
{
    return (TCGv_i64)p;
}

static inline TCGv_ptr tcgv_i64_as_ptr(TCGv_i64 p)
{
    return (TCGv_ptr)p;
}

#endif
