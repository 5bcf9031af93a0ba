/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct emission: the cheap cold tier (issue 18).
 *
 * A cold TB runs fewer than TB_HOT_THRESHOLD times, so building IR,
 * running liveness and a register allocator for it costs more than its
 * code could ever save.  A guest front end may instead emit a cold TB's
 * host code straight from its decoder, one template per guest
 * instruction, through these calls: guest registers stay in env memory
 * (every operand below is an env offset), scratch registers are fixed, and
 * everything else is what tcg_gen_code would produce for a cold TB:
 *   - the hot stub before tc.ptr and, at the entry, the exit_request check
 *     and the count check (TB_EXIT_HOT);
 *   - guest accesses with the same range check and slow paths, so faults
 *     go through tcg_guest_fault_fn with a host return address in the
 *     access's instruction;
 *   - goto_tb exits with the same patch points (jmp_insn_offset and
 *     jmp_reset_offset), exit_tb values and goto_lookup sites;
 *   - search data (one entry per tcg_direct_insn_start), from which a
 *     fault's guest PC is found.  Guest state is in env at every host
 *     instruction that can fault, so the PC is all there is to restore.
 * Every call appends to the code of the TB that tcg_direct_begin started;
 * none of them touches the IR state of the context.
 */
#ifndef TCG_TCG_DIRECT_H
#define TCG_TCG_DIRECT_H

#include <stdbool.h>
#include <stdint.h>

#include "tcg/tcg.h"

/* Operations of tcg_direct_alu/alui. */
typedef enum TCGDirectOp {
    TCG_DOP_ADD,
    TCG_DOP_SUB,
    TCG_DOP_AND,
    TCG_DOP_OR,
    TCG_DOP_XOR,
    TCG_DOP_SHL, /* by the low 6 (32-bit: 5) bits of the count */
    TCG_DOP_SHR,
    TCG_DOP_SAR,
    TCG_DOP_SLT, /* 1 if a < b (signed), else 0 */
    TCG_DOP_SLTU,
    TCG_DOP_MUL, /* the low 64 (32) bits of the product */
} TCGDirectOp;

/* An env offset for a result that is discarded (a write to x0). */
#define TCG_DIRECT_DISCARD (-1)

/**
 * tcg_direct_begin() - start emitting @tb's code in @s, as tcg_gen_code
 * would for a cold TB: hot stub, entry checks.
 */
void tcg_direct_begin(TCGContext *s, TranslationBlock *tb);

/**
 * tcg_direct_insn_start() - the code from here on is guest instruction
 * @pc's (search data).  Returns false when the TB has as many as it can.
 * Inline: it runs once a guest instruction.
 */
static inline bool tcg_direct_insn_start(TCGContext *s, uint64_t pc)
{
    int n = s->gen_insn_count;

    if (n >= TCG_MAX_INSNS) {
        return false;
    }
    if (n > 0) {
        s->gen_insn_end_off[n - 1] = (uint32_t)(s->code_ptr - s->code_buf);
    }
    s->gen_insn_pc[n] = pc;
    s->gen_insn_count = n + 1;
    return true;
}

/** tcg_direct_movi() - env[@d] = @val. */
void tcg_direct_movi(TCGContext *s, int d, uint64_t val);

/**
 * tcg_direct_alu() - env[@d] = env[@a] @op env[@b]; with @w, the 32-bit
 * operation, sign-extended to 64 bits.
 */
void tcg_direct_alu(TCGContext *s, TCGDirectOp op, bool w, int d, int a, int b);

/** tcg_direct_alui() - env[@d] = env[@a] @op @imm (@imm: simm32). */
void tcg_direct_alui(TCGContext *s, TCGDirectOp op, bool w, int d, int a,
                     int64_t imm);

/** tcg_direct_ld() - env[@d] = guest memory at env[@a] + @imm (@mop). */
void tcg_direct_ld(TCGContext *s, MemOp mop, int d, int a, int64_t imm);

/** tcg_direct_st() - guest memory at env[@a] + @imm = env[@v] (@mop). */
void tcg_direct_st(TCGContext *s, MemOp mop, int v, int a, int64_t imm);

/** tcg_direct_mb() - a memory barrier of @kind (as tcg_gen_mb). */
void tcg_direct_mb(TCGContext *s, TCGBar kind);

/**
 * tcg_direct_brcond() - compare env[@a] with env[@b] and jump if @cond
 * holds, to where tcg_direct_target() is later called with the result.
 */
uint8_t *tcg_direct_brcond(TCGContext *s, TCGCond cond, int a, int b);

/** tcg_direct_target() - the jump of tcg_direct_brcond lands here. */
void tcg_direct_target(TCGContext *s, uint8_t *site);

/**
 * tcg_direct_goto_tb() - leave for guest @dest through goto_tb slot @n:
 * a patchable jump, then env[@pc_ofs] = @dest and exit_tb(tb | @n).
 */
void tcg_direct_goto_tb(TCGContext *s, int n, int pc_ofs, uint64_t dest);

/**
 * tcg_direct_goto_lookup() - an indirect jump to (env[@a] + @imm) & ~1,
 * with env[@link] = @link_val stored after the target is computed, through
 * inline-cache slot @slot (-1: none) and the goto_lookup stub.  @a
 * TCG_DIRECT_DISCARD: to @imm itself.
 */
void tcg_direct_goto_lookup(TCGContext *s, int slot, int a, int64_t imm,
                            int link, uint64_t link_val);

/**
 * tcg_direct_exit() - env[@pc_ofs] = @pc, env[@excp_ofs] (32 bits) =
 * @excp, and leave to the exec loop (exit_tb 0).
 */
void tcg_direct_exit(TCGContext *s, int pc_ofs, uint64_t pc, int excp_ofs,
                     int32_t excp);

/** tcg_direct_full() - is the code past the region's high-water mark? */
static inline bool tcg_direct_full(const TCGContext *s)
{
    return s->code_ptr > s->code_highwater;
}

/**
 * tcg_direct_end() - finish @tb: exit_request exit, slow paths, search
 * data, statistics.  Returns its code size, or as tcg_gen_code -1 (the
 * region is full) or -2 (too many instructions or accesses).
 */
int tcg_direct_end(TCGContext *s, TranslationBlock *tb);

#endif
