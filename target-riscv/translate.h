/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef TARGET_RISCV_TRANSLATE_H
#define TARGET_RISCV_TRANSLATE_H

#include "target-riscv/cpu.h"

/**
 * riscv_tr_translate() - generate the IR of @tb, whose pc is set.
 * @max_insns: instruction limit (1 for -one-insn-per-tb)
 * Context: the translating thread's tcg_ctx, after tcg_func_start() and
 * tcg_tb_alloc().  Fills tb->size and tb->icount.
 * Returns: the number of guest instructions translated; 0 when the first
 * one cannot be fetched (env->badaddr: the address that failed, the page
 * start for an instruction straddling into it), and @tb is not to be used.
 */
int riscv_tr_translate(CPURISCVState *env, TranslationBlock *tb, int max_insns);

/**
 * riscv_tr_translate_direct() - emit a cold @tb's host code directly,
 * without IR (translate-direct.c), when it may and its first instruction
 * is in the direct tier's subset.
 * Context: as riscv_tr_translate(), after tcg_tb_alloc() and
 * tb_code_start(); no tcg_gen_code() follows.
 * Returns: the number of guest instructions translated (tb->tc, size,
 * icount and search data filled); 0 when the IR path is to translate @tb
 * (nothing emitted); -1 when the code region is full, -2 when the TB is
 * too big (as tcg_gen_code).
 */
int riscv_tr_translate_direct(CPURISCVState *env, TranslationBlock *tb,
                              int max_insns);

struct DisasArgs;

/**
 * riscv_direct_decode() - decode @w (an expanded 32-bit instruction word)
 * if it is in the direct tier's subset, with the fields riscv_decode()
 * gives that the direct tier uses (rd, rs1, rs2, imm as the format has
 * them).  Anything else, reserved encodings included, is left to the IR
 * path and its full decoder.
 * Returns: false outside the subset.
 */
bool riscv_direct_decode(uint32_t w, struct DisasArgs *a);

/**
 * riscv_direct_decode16() - riscv_direct_decode(riscv_expand_rvc(@w)) for
 * a compressed instruction @w, without building the 32-bit word: the same
 * operation and fields, false where that is false (reserved encodings,
 * instructions outside the subset).
 * Returns: false outside the subset.
 */
bool riscv_direct_decode16(uint16_t w, struct DisasArgs *a);

#endif
