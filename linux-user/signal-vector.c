/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The V extension's context in the riscv64 signal frame, as Linux lays it
 * out (arch/riscv/kernel/signal.c, uapi asm/sigcontext.h): the last 8
 * bytes of the sigcontext's FP union are sc_extdesc.hdr, the first
 * __riscv_ctx_hdr {magic, size} of a chain; each context follows its
 * header and the next header follows the context (header + size); an END
 * header (0, 0) ends it.  With V state (the thread has used V: Linux's
 * riscv_v_vstate_query) the chain is RISCV_V_MAGIC with riscv_v_sc_size =
 * 8 + sizeof(struct __riscv_v_ext_state) + 32 * vlenb, the state
 * {vstart, vl, vtype, vcsr, vlenb, datap} right after the rt_sigframe,
 * v0-v31 at datap (just after the state, 16-byte aligned), then END.
 * rt_sigreturn restores from datap, wherever the handler points it, vl and
 * vtype as vsetvl does.  docs/signals.md, "The frame".
 */
#include <errno.h>
#include <string.h>

#include "linux-user/signal-vector.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"

#define TARGET_V_MAGIC 0x53465457u

/* struct __riscv_v_ext_state (uapi asm/ptrace.h) */
struct target_v_state {
    uint64_t vstart, vl, vtype, vcsr, vlenb, datap;
};

/* Linux's riscv_v_vstate_query: the thread has V state to save. */
static bool v_in_frame(const CPURISCVState *env)
{
    return env->cfg.ext_v && env->vused;
}

/* Linux's riscv_v_sc_size: header, __riscv_v_ext_state, v0-v31. */
static uint64_t v_ctx_size(const CPURISCVState *env)
{
    return 8 + sizeof(struct target_v_state) + 32 * (env->cfg.vlen / 8);
}

uint64_t signal_frame_size(const CPURISCVState *env, bool all)
{
    uint64_t size = SIGNAL_RT_FRAME_SIZE;

    if (env->cfg.ext_v && (all || v_in_frame(env))) {
        size += v_ctx_size(env) + 8; /* and the END header */
    }
    return (size + 15) & ~(uint64_t)15;
}

/* Linux's save_v_state: the V context after the frame at @frame_addr. */
static int save_v_state(const CPURISCVState *env, uint64_t frame_addr)
{
    uint64_t state_addr = frame_addr + SIGNAL_RT_FRAME_SIZE;
    uint64_t datap = state_addr + sizeof(struct target_v_state);
    uint64_t end_hdr = 0, vsize = 32 * (env->cfg.vlen / 8);
    struct target_v_state st = {
        .vstart = env->vstart,
        .vl = env->vl,
        .vtype = env->vtype | ((uint64_t)env->vill << 63),
        .vcsr = (env->vxrm << 1) | env->vxsat,
        .vlenb = env->cfg.vlen / 8,
        .datap = datap,
    };

    if (copy_to_guest(state_addr, &st, sizeof(st)) ||
        copy_to_guest(datap, env->vreg, vsize) ||
        copy_to_guest(datap + vsize, &end_hdr, 8)) {
        return -EFAULT;
    }
    return 0;
}

/* Linux's __restore_v_state from the context at @addr (after its header). */
static int restore_v_state(CPURISCVState *env, uint64_t addr)
{
    /*
     * On the host stack, not in static TLS: glibc clears a thread's static
     * TLS when it creates the thread, and 4 KiB more there cost every new
     * guest thread a page fault (issue 14).
     */
    uint8_t regs[sizeof(env->vreg)] __attribute__((aligned(16)));
    uint64_t vsize = 32 * (env->cfg.vlen / 8);
    struct target_v_state st;

    if (copy_from_guest(&st, addr, sizeof(st)) ||
        copy_from_guest(regs, st.datap, vsize)) {
        return -EFAULT;
    }
    riscv_vector_restore(env, st.vl, st.vtype, st.vstart, st.vcsr);
    memcpy(env->vreg, regs, vsize);
    return 0;
}

int signal_v_save(const CPURISCVState *env, uint64_t frame_addr,
                  uint32_t *magic, uint32_t *size)
{
    if (!v_in_frame(env)) {
        return 0;
    }
    *magic = TARGET_V_MAGIC;
    *size = v_ctx_size(env);
    return save_v_state(env, frame_addr);
}

/* END (size 0) ends the chain; V's needs V state and riscv_v_sc_size. */
int signal_ext_restore(CPURISCVState *env, uint64_t frame_addr,
                       uint32_t reserved, uint32_t magic, uint32_t size)
{
    uint64_t hdr = frame_addr + SIGNAL_EXT_HDR_OFF;
    uint32_t h[2] = {magic, size};

    if (reserved) {
        return -EINVAL;
    }
    for (;;) {
        if (h[0] == 0) {
            return h[1] ? -EINVAL : 0;
        }
        if (h[0] != TARGET_V_MAGIC || !v_in_frame(env) ||
            h[1] != v_ctx_size(env)) {
            return -EINVAL;
        }
        if (restore_v_state(env, hdr + 8)) {
            return -EFAULT;
        }
        hdr += h[1];
        if (copy_from_guest(h, hdr, sizeof(h))) {
            return -EFAULT;
        }
    }
}
