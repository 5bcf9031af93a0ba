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

#endif
