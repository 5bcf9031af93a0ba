/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The V extension's context in the riscv64 signal frame (signal-vector.c),
 * for signal.c's setup_rt_frame and rt_sigreturn.
 */
#ifndef LINUX_USER_SIGNAL_VECTOR_H
#define LINUX_USER_SIGNAL_VECTOR_H

#include <stdint.h>

#include "target-riscv/cpu.h"

/* sizeof(struct rt_sigframe) and the offset of sc_extdesc.hdr in it */
#define SIGNAL_RT_FRAME_SIZE 1088
#define SIGNAL_EXT_HDR_OFF 1080

/**
 * signal_v_save() - with V state to save (Linux's riscv_v_vstate_query),
 * write the V context after the frame at @frame_addr and set *@magic and
 * *@size, the frame's sc_extdesc.hdr; else leave them (END).
 * Returns 0 or -EFAULT.
 */
int signal_v_save(const CPURISCVState *env, uint64_t frame_addr,
                  uint32_t *magic, uint32_t *size);

/**
 * signal_ext_restore() - Linux's restore_sigcontext after the FP state:
 * @reserved (sc_extdesc.reserved) must be 0, then the header chain from
 * sc_extdesc.hdr (@magic, @size) of the frame at @frame_addr up to END.
 * Returns 0, -EINVAL (a bad chain) or -EFAULT.
 */
int signal_ext_restore(CPURISCVState *env, uint64_t frame_addr,
                       uint32_t reserved, uint32_t magic, uint32_t size);

#endif
