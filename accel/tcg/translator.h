/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Services the accel layer gives the translator.
 */
#ifndef ACCEL_TCG_TRANSLATOR_H
#define ACCEL_TCG_TRANSLATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Set by linux-user: may the guest execute [addr, addr + len)?  (mapped
 * and PROT_EXEC).  NULL accepts every address inside the guest space.
 * Written once at start-up.
 */
extern bool (*translator_fetch_check)(uint64_t addr, size_t len);

/*
 * translator_breakpoint_check - set by the gdbstub: is there a breakpoint
 * at @pc?  Asked only while translating a TB with CF_DEBUG, which then
 * ends before that instruction, or raises RISCV_EXCP_DEBUG when it is
 * the TB's first one.
 */
extern bool (*translator_breakpoint_check)(uint64_t pc);

/*
 * cpu_watch_hook - set by the gdbstub: does a guest access of @size
 * bytes at @addr (@type 1 read, 2 write, 3 both) hit a watchpoint?  Called
 * before the access by the code of TBs translated with CF_WATCH, which
 * then leaves with RISCV_EXCP_WATCH at the accessing instruction.
 */
extern bool (*cpu_watch_hook)(uint64_t addr, unsigned size, int type);

/**
 * translator_fetch() - copy @len bytes of guest code at @addr into @buf.
 * Returns: false if the guest may not execute them (the TB ends, or the
 * fetch faults if it is the TB's first instruction).
 */
bool translator_fetch(uint64_t addr, void *buf, size_t len);

/**
 * translator_fetch_block() - translator_fetch of the bytes from @addr to
 * the end of its 64-byte-aligned block, into @block at (@addr & 63); the
 * block's bytes before @addr may be copied too (they are not noted).
 * Cheaper than a fetch an instruction: the direct cold tier decodes from
 * the copy.  Returns: as translator_fetch.
 */
bool translator_fetch_block(uint64_t addr, uint8_t block[64]);

#endif
