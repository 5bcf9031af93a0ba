/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The execution loop: per-thread vCPU state, TB lookup and the ways out
 * of generated code.
 *
 * A CPUState belongs to one host thread (current_cpu), which alone runs
 * its env and uses its TCG context and jump cache.  Other threads only
 * set env->hdr.exit_request (cpu_exit) to make it leave generated code.
 */
#ifndef ACCEL_TCG_CPU_EXEC_H
#define ACCEL_TCG_CPU_EXEC_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel/tcg/tb.h"
#include "target-riscv/cpu.h"

#define GETPC() ((uintptr_t)__builtin_return_address(0))

/*
 * The jump cache of a vCPU starts with 2^TB_JMP_CACHE_MIN_BITS entries
 * (256 bytes) and grows by 4x, up to 2^TB_JMP_CACHE_BITS (64 KiB), when its
 * misses exceed twice its size: a thread that runs little code costs
 * little memory, which matters with thousands of threads (a thread that
 * starts, meets others at a barrier and ends looks up about 30 blocks, and
 * hit none of them in the 64 entries it started with before session 9).
 */
#define TB_JMP_CACHE_BITS 12
#define TB_JMP_CACHE_MIN_BITS 4
#define TB_JMP_CACHE_SIZE (1 << TB_JMP_CACHE_BITS)

typedef struct TBJumpCacheEntry {
    uint64_t pc;
    TranslationBlock *tb;
} TBJumpCacheEntry;

/*
 * The jump-cache hash of @pc, before the vCPU's mask (env->hdr.jc_mask)
 * picks the slot; the goto_lookup stub hashes the same way.  A TB is only
 * ever in the slot of its own pc.
 */
static inline unsigned tb_jmp_cache_hash(uint64_t pc)
{
    return (unsigned)(pc >> 1 ^ pc >> (TB_JMP_CACHE_BITS + 1));
}

/* Per-thread execution counters (TCG_STATS=1). */
typedef struct CPUExecStats {
    uint64_t loops;         /* exec loop iterations (TB entries from C) */
    uint64_t jc_hits;       /* jump-cache hits */
    uint64_t hash_hits;     /* found in the global hash */
    uint64_t translations;  /* TBs translated */
    uint64_t hot;           /* of which hot retranslations (TB_EXIT_HOT) */
    uint64_t prechecks;     /* loop entry checks failed (TB_EXIT_PRECHECK) */
    uint64_t races_lost;    /* translations discarded: another thread won */
    uint64_t chains;        /* direct jumps patched */
    uint64_t lookup_ptr;    /* indirect-jump lookups from generated code */
    uint64_t exits_excp;    /* exits for syscalls and exceptions */
    uint64_t exits_request; /* exits for exit_request */
    uint64_t shared;        /* of which with the shared context */
    uint64_t flushes;       /* code buffer flushes started here */
    uint64_t exclusive;     /* exclusive sections this thread ran */
    uint64_t exclusive_wait_ns; /* time spent waiting to become exclusive */
    uint64_t cpu_ns;            /* thread CPU time, filled at exit */
    /*
     * Translation cost (TCG_STATS=1 only; tb-maint.c): guest instructions
     * translated (of which by hot retranslations) and wall nanoseconds in
     * each phase, restarted translations included, preempted ones
     * (untimed) left out.
     */
    uint64_t insns;        /* guest instructions in translated TBs */
    uint64_t insns_hot;    /* of which in hot retranslations */
    uint64_t insns_timed;  /* of which in the timed translations */
    uint64_t untimed;      /* translations left out of the times */
    uint64_t decode_ns;    /* riscv_tr_translate: decode and IR generation */
    uint64_t opt_ns;       /* tcg_optimize */
    uint64_t live_ns;      /* liveness analysis */
    uint64_t emit_ns;      /* register allocation and code emission */
    uint64_t publish_ns;   /* TB index, page lists and hash insert */
    uint64_t direct_ns;    /* riscv_tr_translate_direct: decode and emit */
    uint64_t insns_direct; /* of insns: translated by the direct tier */
} CPUExecStats;

typedef struct CPUState {
    CPURISCVState *env;
    /* Own translation context, NULL while translating with the shared
     * one (tb-maint.c, "Translation contexts"). */
    struct TCGContext *tcg;
    unsigned shared_translations; /* done with the shared context */
    sigjmp_buf jmp_env;
    CPUExecStats stats;
    int cpu_index;
    int tid; /* host thread id */
    /*
     * Non-zero while a helper accesses guest memory itself (the vector
     * loads and stores): its GETPC().  A host fault outside generated
     * code is then the guest's, at the instruction of that call (the
     * helper is TCG_CALL_NO_WG, so the guest registers are in env).  Set
     * and cleared by the helper; cleared too when a fault leaves it.
     */
    uintptr_t helper_ra;

    /* Exclusive sections (cpu-common.c). */
    struct CPUState *next;       /* [cpu_list_lock] list of vCPUs */
    struct CPUState **pprev;     /* [cpu_list_lock] &previous->next */
    bool running;                /* atomic: inside cpu_exec_start/end */
    bool has_waiter;             /* [cpu_list_lock] counted by an exclusive */
    int exclusive_context_count; /* this thread's exclusive nesting */
    struct SafeWork *work;       /* [own thread] run_on_cpu_safe queue */
    uint32_t cflags_next_tb;     /* [own thread] cflags for the next TB */
    /*
     * gdbstub: 1 while a single step of this vCPU is asked for, 2 once a
     * signal frame was set up during it, 3 while gdb keeps it stopped
     * (it resumed other threads only).  Atomic (relaxed): written by the
     * gdbstub thread while every vCPU is stopped (inside its exclusive
     * section, which orders it before the owner's next cpu_exec), and by
     * the owner.
     */
    int gdb_step;

    /*
     * Per-thread jump cache, jc_mask + 1 entries: only the owner reads or
     * writes it (invalidated TBs are caught by their cflags).  A flush
     * bumps tb_flush_generation(); the owner empties its cache when it
     * next enters cpu_exec() (jc_gen), so a flush costs O(1) per thread
     * and never touches the caches of threads that do not run again.
     */
    TBJumpCacheEntry *jc;
    unsigned jc_mask;
    unsigned jc_gen;    /* tb_flush_generation() when last emptied */
    uint64_t jc_misses; /* since the cache last grew */
} CPUState;

extern __thread CPUState *current_cpu;

/* Maximum guest instructions per TB (1 with -one-insn-per-tb). */
extern int cpu_exec_max_insns;
/* Entries of a cold TB before its hot retranslation; 0: no cold tier. */
extern int cpu_exec_hot_threshold;
/* Cold TBs emitted without IR where they can be (-cold-tier direct). */
extern bool cpu_exec_cold_direct;
/*
 * CF_DEBUG while gdb has breakpoints, CF_WATCH while it has watchpoints,
 * else 0 (changed in exclusive sections, see gdbstub-target.c).
 */
extern uint32_t cpu_exec_debug_cflags;

/**
 * cpu_exec_init_thread() - make @env the calling thread's vCPU: a TCG
 * context, a jump cache, RCU registration.
 * Returns: the new CPUState (also current_cpu).
 */
CPUState *cpu_exec_init_thread(CPURISCVState *env);
/* The same, with the calling thread's @tid known (no gettid call). */
CPUState *cpu_exec_init_thread_tid(CPURISCVState *env, pid_t tid);

/** cpu_exec_exit_thread() - the calling vCPU thread is ending. */
void cpu_exec_exit_thread(CPUState *cpu);

/** cpu_exec_init() - process-wide set-up: fault handlers, hash. Once. */
void cpu_exec_init(void);

/*
 * The fault handler owns host SIGSEGV, SIGBUS, SIGILL and SIGFPE.  Those
 * sent by another thread or process (kill, tgkill, sigqueue: si_code <= 0)
 * are not faults: it passes them to this hook (linux-user's guest signal
 * queue), if set; a host fault outside guest accesses is an internal error.
 */
extern void (*cpu_exec_signal_hook)(int sig, siginfo_t *si, void *uc);

/*
 * SA_RESTART of the fault handler for host @sig (one of the four).  Only
 * the signals passed to cpu_exec_signal_hook interrupt syscalls, so
 * linux-user makes it follow the guest's SA_RESTART for @sig: the host
 * kernel then restarts an interrupted syscall exactly when Linux would.
 */
void cpu_exec_set_fault_restart(int sig, bool restart);

/** cpu_clock_ns() - CLOCK_MONOTONIC in nanoseconds.  Context: any. */
uint64_t cpu_clock_ns(void);

/*
 * Set by linux-user: a write to guest address @addr faulted on a page
 * write-protected because it holds translated code.  Returns 0 (a real
 * fault), 1 (retry the store) or 2 (unprotected, TBs invalidated).
 */
extern int (*cpu_exec_unprotect_hook)(uint64_t addr);
/*
 * Called, if set, when a host fault is not a guest access (an emulator
 * bug), after the message and before the process dies of the signal: the
 * fuzz targets abort() there, so that libFuzzer keeps the input.
 */
extern void (*cpu_exec_fatal_hook)(void);

/**
 * cpu_loop_exit_restore() - leave generated code from a helper: restore
 * env->pc from the helper's return address @ra (GETPC()), record @excp
 * and unwind to cpu_exec(), which returns @excp.
 */
void cpu_loop_exit_restore(CPURISCVState *env, int excp, uintptr_t ra)
    __attribute__((noreturn));

/* Restore env->pc for host code at @host_pc (exact); false if unknown. */
bool cpu_restore_state(CPURISCVState *env, uintptr_t host_pc);

/*
 * -perfmap: when set, every new TB is written to /tmp/perf-PID.map as
 * "host-address size guest-pc" so that perf can name generated code.
 * Written once at start-up; fprintf's stream lock keeps lines whole.
 */
extern FILE *cpu_exec_perfmap;

/* TCG_STATS=1: print each thread's counters when it exits. */
extern bool cpu_exec_stats_enabled;

/* Print TCG_STATS=1 counters of this thread and the totals. */
void cpu_exec_dump_stats(FILE *f);

/* Exclusive sections and the vCPU list (cpu-common.c) */
void cpu_list_add(CPUState *cpu);
void cpu_list_remove(CPUState *cpu);
int cpu_list_count(void);
void start_exclusive(void);
void end_exclusive(void);
void cpu_exec_start(CPUState *cpu);
void cpu_exec_end(CPUState *cpu);
void cpu_exit(CPUState *cpu);
/* Around fork(): quiesce the other vCPUs; in the child, forget them. */
void cpu_fork_start(void);
void cpu_fork_end(bool child);
/* Call @fn(cpu, opaque) for every vCPU; only inside an exclusive section. */
void cpu_foreach_exclusive(void (*fn)(CPUState *, void *), void *opaque);
/*
 * Queue @fn(cpu, data) to run on the calling vCPU's thread while every
 * other vCPU is stopped (inside an exclusive section), at the next
 * process_queued_cpu_work().  Context: the vCPU's own thread.
 */
void run_on_cpu_safe(CPUState *cpu, void (*fn)(CPUState *, void *), void *data);
void cpu_run_safe_work(CPUState *cpu);
/* Run queued work that needs every vCPU stopped (a requested tb_flush). */
void process_queued_cpu_work(CPUState *cpu);

/* TB hash (tb-hash.c) */
void tb_hash_init(void);
TranslationBlock *tb_hash_lookup(uint64_t pc, uint32_t flags, uint32_t cflags);
TranslationBlock *tb_hash_insert(TranslationBlock *tb);
void tb_hash_remove(TranslationBlock *tb);
void tb_hash_reset(void);
/**
 * tb_hash_maybe_resize() - grow the TB hash when it holds more than twice
 * as many TBs as buckets (tb-hash.c's design note).
 * Context: a vCPU thread inside its exec region, holding no lock and not
 * in an RCU read-side section (it may wait for a grace period).
 */
void tb_hash_maybe_resize(void);
/* The TB hash's size in buckets, as last resized (for tests). */
unsigned long tb_hash_buckets(void);

/* TB maintenance (tb-maint.c) */
/*
 * tb_gen_code() - translate and publish the TB at @pc.  @hot: the second
 * tier (superblocks); otherwise a cold TB where cflags allow one.
 * Returns: the TB, or the one another thread published first; NULL when
 * the instruction at @pc cannot be fetched (env->badaddr says where).
 */
TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc, uint32_t flags,
                              uint32_t cflags, bool hot);
void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *tb_next);
void tb_flush(CPUState *cpu);
/*
 * tb_flush_generation() - how many flushes ran.  Read by a vCPU entering
 * cpu_exec(): a change since it last looked empties its jump cache.
 * Context: any; acquire (pairs with the release increment in the flush).
 */
unsigned tb_flush_generation(void);
/*
 * tb_exit_thread() - the calling vCPU thread is ending: give up its own
 * translation context and hand its code region to the shared context.
 * Context: the vCPU's own thread, outside cpu_exec.
 */
void tb_exit_thread(CPUState *cpu);
/*
 * tb_thread_own_context() - give @cpu a translation context of its own
 * now, as tb_gen_code does after TB_PRIVATE_AFTER shared translations
 * (unit tests that build TBs by hand call it first).  Also sets tcg_ctx.
 * Context: the vCPU's own thread.
 * Returns: true if @cpu has one; false when the private contexts are all
 * taken (the thread keeps translating with the shared one).
 */
bool tb_thread_own_context(CPUState *cpu);
/*
 * Around fork() (cpu_fork_start/end, inside the exclusive section): hold
 * the shared translation lock across it, so the child gets it free.
 */
void tb_fork_start(void);
void tb_fork_end(bool child);
/*
 * fence.i on @cpu: code written before it must be what @cpu runs next.
 * Context: the CPU loop, outside cpu_exec; linux-user holds mmap_lock
 * (the guest code of writable pages is re-hashed, tb-code.c).
 */
void tb_fence_i(CPUState *cpu);

/* Code fingerprints (tb-code.c): see the design note there. */
void tb_code_start(uint64_t pc);
void tb_code_finish(TranslationBlock *tb);
bool tb_code_changed(const TranslationBlock *tb);

/*
 * Code invalidation (tb-maint.c).  Every TB is recorded under the guest
 * pages it was translated from; these drop the TBs of some pages so that
 * the next execution there translates the code now in memory.
 */
typedef enum TBInvalCause {
    TB_INVAL_MUNMAP,   /* munmap, mmap over, mremap */
    TB_INVAL_MPROTECT, /* mprotect */
    TB_INVAL_FENCE_I,  /* fence.i, riscv_flush_icache */
    TB_INVAL_SMC,      /* a store to a write-protected code page */
    TB_INVAL_CAUSES,
} TBInvalCause;

/* Drop the TBs of guest pages in [start, end). */
void tb_invalidate_range(uint64_t start, uint64_t end, TBInvalCause cause);
/*
 * Drop the TBs of every page for which @pred says true (fence.i: the
 * pages the guest can write).  @pred must not take mmap_lock.
 */
void tb_invalidate_pages(bool (*pred)(uint64_t page), TBInvalCause cause);
/*
 * fence.i: drop the TBs of pages for which @pred says true whose guest
 * bytes changed since translation (tb_code_changed), and those that span
 * a page @pred refuses.  @pred must not take mmap_lock.
 */
void tb_invalidate_changed(bool (*pred)(uint64_t page), TBInvalCause cause);
/* Counts of TBs invalidated by cause, for TCG_STATS. */
uint64_t tb_invalidate_count(TBInvalCause cause);
/* Set by linux-user: may the guest write this page?  (fence.i) */
extern bool (*tb_page_writable)(uint64_t page);

/* Internal to accel/tcg (tb-inval.c) */
unsigned tb_page_gen(void);
bool tb_page_add_publish(TranslationBlock *tb, unsigned gen,
                         TranslationBlock **published);
void tb_phys_invalidate(TranslationBlock *tb);
void tb_page_reset(void);
/* Call @fn for every vCPU under the vCPU list lock (any context). */
void cpu_foreach_locked(void (*fn)(CPUState *, void *), void *opaque);

#endif
