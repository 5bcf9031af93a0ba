/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V CPU state of one guest thread (hart).
 *
 * Each guest thread has its own CPURISCVState, touched only by its own
 * host thread, except hdr.exit_request, which any thread may set
 * (atomically) to make it leave generated code at the next TB boundary.
 * The generated code keeps gpr/fpr/pc in env at every point where a fault
 * or helper can observe them (see tcg.c's liveness rules).
 */
#ifndef TARGET_RISCV_CPU_H
#define TARGET_RISCV_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tcg/tcg.h"

/* fflags bits */
#define RISCV_FFLAG_NX 0x01 /* inexact */
#define RISCV_FFLAG_UF 0x02 /* underflow */
#define RISCV_FFLAG_OF 0x04 /* overflow */
#define RISCV_FFLAG_DZ 0x08 /* divide by zero */
#define RISCV_FFLAG_NV 0x10 /* invalid */

/* Rounding modes (frm and the rm field; 7 = dynamic in an instruction) */
enum {
    RISCV_FRM_RNE = 0,
    RISCV_FRM_RTZ = 1,
    RISCV_FRM_RDN = 2,
    RISCV_FRM_RUP = 3,
    RISCV_FRM_RMM = 4,
    RISCV_FRM_DYN = 7,
};

/* Extensions beyond RV64G, selectable with -cpu rv64,zba=true,... */
typedef struct RISCVCPUConfig {
    bool ext_c;
    bool ext_zba, ext_zbb, ext_zbc, ext_zbs;
    bool ext_zicond;
    bool ext_v;    /* the V extension (RVV 1.0) */
    uint16_t vlen; /* VLEN in bits: 128..RISCV_VLEN_MAX, a power of 2 */
    uint16_t elen; /* ELEN in bits: 64, or 32 (elen=32, Zve32*) */
    bool ext_zfh, ext_zfhmin; /* half precision (Zfh includes Zfhmin) */
    /* Zve32x .. Zve64d: a subset of V without V (QEMU 7.2 has 32f, 64f) */
    bool ext_zve32x, ext_zve32f, ext_zve64x, ext_zve64f, ext_zve64d;
    /*
     * Derived by riscv_cpu_parse_model(): v_sub is set when the vector
     * unit is only a Zve* subset (ext_v is then set too, elen 32 or 64);
     * vfp_max is then the widest vector FP SEW (log2 bytes: 2 = 32 bits,
     * 3 = 64, 0 = no vector FP).  Both 0 for V itself.
     */
    bool v_sub;
    uint8_t vfp_max;
} RISCVCPUConfig;

/* The largest VLEN -cpu accepts: v0-v31 take 32 * RISCV_VLEN_MAX / 8 bytes */
#define RISCV_VLEN_MAX 1024

typedef struct CPURISCVState {
    TCGEnvHeader hdr;  /* must be first: exit_request, address mask */
    uint64_t gpr[32];  /* x0 is kept 0 */
    uint64_t fpr[32];  /* f registers; singles are NaN-boxed */
    uint64_t pc;       /* valid at TB boundaries and in helpers */
    uint64_t load_res; /* LR reservation address, -1 when none */
    uint64_t load_val; /* value LR loaded */
    uint32_t fflags;   /* accrued FP exceptions */
    uint32_t frm;      /* dynamic rounding mode */
    uint64_t badaddr;  /* fault address of the last exception */
    int32_t exception; /* RISCV_EXCP_* of the last exit */
    uint32_t pad;
    uint64_t instret_base; /* host counter value at start, for rdinstret */
    RISCVCPUConfig cfg;
    void *opaque; /* linux-user's per-thread state */
    /*
     * V state (vector_helper*.c), read and written only by helpers: vtype
     * without its vill bit (vill separately, as in QEMU; the CSR reads
     * vill << 63 | vtype), vxrm/vxsat as the CSRs (vcsr is made of them).
     * Register r's bytes are vreg[r * vlenb ..], elements little-endian.
     */
    uint64_t vl, vtype, vstart;
    uint32_t vill, vxrm, vxsat;
    /*
     * Linux's per-thread V control (linux-user): vctrl is prctl's
     * PR_RISCV_V_VSTATE_CTRL_* word (cur in bits 0-1, next in 2-3, inherit
     * bit 4); vused is set by the vector helpers, Linux's "vstate not
     * off" (the thread has used V: the signal frame carries it).
     */
    uint32_t vctrl, vused;
    /*
     * Last, and allocated only as far as the CPU has it (riscv_cpu_init):
     * 32 * vlen / 8 bytes with V, none without.  Every thread's state is
     * then 0.7 KiB instead of 4.7 KiB without V (the memory, and the page
     * faults, of thousands of guest threads: issue 14).
     */
    uint8_t vreg[32 * RISCV_VLEN_MAX / 8] __attribute__((aligned(16)));
} CPURISCVState;

/* The bytes of vreg that exist for @cfg: 32 * VLEN / 8, or 0 without V. */
static inline size_t riscv_cpu_vreg_size(const RISCVCPUConfig *cfg)
{
    return cfg->ext_v ? 32u * (cfg->vlen / 8u) : 0;
}

/* Why generated code returned to the loop (env->exception). */
enum {
    RISCV_EXCP_NONE = 0,
    RISCV_EXCP_ECALL,       /* syscall: a7 = number, a0-a5 arguments */
    RISCV_EXCP_ILLEGAL,     /* SIGILL, ILL_ILLOPC at pc */
    RISCV_EXCP_BREAKPOINT,  /* ebreak: SIGTRAP */
    RISCV_EXCP_SEGV_MAPERR, /* SIGSEGV at badaddr, pc = faulting insn */
    RISCV_EXCP_SEGV_ACCERR,
    RISCV_EXCP_BUS_ADRALN,      /* misaligned atomic: SIGBUS */
    RISCV_EXCP_FENCE_I,         /* fence.i: flush this thread's code view */
    RISCV_EXCP_FETCH_FAULT,     /* instruction fetch from a bad page: SIGSEGV */
    RISCV_EXCP_INSN_MISALIGNED, /* jump to a misaligned target: SIGBUS */
    RISCV_EXCP_INTERRUPT,       /* exit_request: check for pending work */
    RISCV_EXCP_BUS_ADRERR,      /* access to a page past EOF: SIGBUS */
    RISCV_EXCP_DEBUG, /* gdbstub: breakpoint at pc, or a step (CF_STEP) done */
    RISCV_EXCP_WATCH, /* gdbstub: the access at pc hits a watchpoint */
};

/* PR_RISCV_V_VSTATE_CTRL_* (Linux uapi prctl.h) */
#define RISCV_V_CTRL_DEFAULT 0
#define RISCV_V_CTRL_OFF 1
#define RISCV_V_CTRL_ON 2
#define RISCV_V_CTRL_CUR_MASK 3
#define RISCV_V_CTRL_NEXT_MASK 0xc
#define RISCV_V_CTRL_INHERIT 0x10
#define RISCV_V_CTRL_MASK 0x1f

/**
 * riscv_vtype_vlmax() - VLMAX of @vtype (a vtype CSR value, vill in bit
 * 63) at VLEN @vlen and ELEN @elen (bits), by QEMU 7.2's rules.
 * Returns: VLMAX (at least 1), or 0 when @vtype is illegal (sets vill).
 */
uint32_t riscv_vtype_vlmax(uint64_t vtype, uint32_t vlen, uint32_t elen);

/**
 * riscv_vector_restore() - set vl and vtype as "vsetvl x0, @avl, @vtype"
 * does (an illegal @vtype sets vill), then vstart and vcsr, for
 * rt_sigreturn.  Keeps the bits of vstart and vcsr the CSRs keep.
 */
void riscv_vector_restore(CPURISCVState *env, uint64_t avl, uint64_t vtype,
                          uint64_t vstart, uint64_t vcsr);

/**
 * riscv_vector_fork_child() - the V state of a new thread or process made
 * by clone or fork, as Linux's arch_dup_task_struct (vstate zeroed) and
 * copy_thread (VS off: the first vector instruction allocates a zeroed
 * context): v0-v31, vl, vtype, vstart, vxrm, vxsat all 0 (vtype 0 is
 * legal: e8, m1), vill clear, not used yet (no V context in a signal
 * frame until it is).  The prctl control word is kept.
 */
void riscv_vector_fork_child(CPURISCVState *env);

/**
 * riscv_cpu_parse_model() - parse a -cpu argument ("rv64", "max",
 * "rv64,zba=true,zbb=false,c=true", or "help") into @cfg.
 * Returns: 0, or -1 with a message printed.
 */
int riscv_cpu_parse_model(const char *model, RISCVCPUConfig *cfg);

/**
 * riscv_cpu_init() - a zeroed CPU state with @cfg; load_res = -1.
 * Allocated up to the end of its vreg (riscv_cpu_vreg_size()), not
 * sizeof(CPURISCVState): never copy one as a whole.  Free with free().
 */
CPURISCVState *riscv_cpu_init(const RISCVCPUConfig *cfg);

/**
 * riscv_translate_init() - register the TCG globals of the CPU state.
 * Context: after tcg_init(), before any tcg_context_new().
 */
void riscv_translate_init(void);

/**
 * cpu_exec() - run guest code of @env from env->pc until something needs
 * the CPU loop: a syscall, a guest fault, ebreak, an exit request.
 * Context: the thread owning @env (with its own TCG context).
 * Returns: RISCV_EXCP_* (env->pc points at the instruction concerned).
 */
int cpu_exec(CPURISCVState *env);

#endif
