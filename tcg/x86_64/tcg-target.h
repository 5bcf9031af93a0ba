/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * x86-64 host: registers and their roles.
 *
 * Fixed for the whole of generated code:
 *   rbp  env (TCG_AREG0), the CPU state of the running thread
 *   r14  guest_base, added to every guest address
 *   r11  backend scratch (never allocated)
 *   rsp  the frame set up by the prologue (spill slots)
 * Everything else is allocatable.  Calls follow the SysV ABI.
 */
#ifndef TCG_TARGET_H
#define TCG_TARGET_H

typedef enum TCGReg {
    TCG_REG_RAX = 0,
    TCG_REG_RCX,
    TCG_REG_RDX,
    TCG_REG_RBX,
    TCG_REG_RSP,
    TCG_REG_RBP,
    TCG_REG_RSI,
    TCG_REG_RDI,
    TCG_REG_R8,
    TCG_REG_R9,
    TCG_REG_R10, /* TCG_TARGET_MASK_REG in loop TBs */
    TCG_REG_R11,
    TCG_REG_R12,
    TCG_REG_R13,
    TCG_REG_R14,
    TCG_REG_R15,
    TCG_TARGET_NB_REGS,
} TCGReg;

#define TCG_AREG0 TCG_REG_RBP
#define TCG_REG_GUEST_BASE TCG_REG_R14
#define TCG_REG_TMP TCG_REG_R11
#define TCG_TARGET_MASK_REG TCG_REG_R10 /* see TCGContext.mask_in_reg */
#define TCG_REG_CALL_STACK TCG_REG_RSP

/* Spill area in the prologue's frame. */
#define TCG_STATIC_FRAME_SIZE (128 * 8)

#endif
