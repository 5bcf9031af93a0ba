/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TB maintenance: translation (tb_gen_code), direct chaining
 * (tb_add_jump) and flushing the code buffer (tb_flush).
 *
 * Chaining protocol (as QEMU's): the jump from slot n of src to dst is
 * recorded in src->jmp_dest[n] and in dst's list of incoming jumps
 * (jmp_list_head, linked through the sources' jmp_list_next[n]), both
 * under dst->jmp_lock, after checking under that lock that dst is still
 * valid (CF_INVALID).  jmp_dest[n] is claimed with a compare-and-swap from
 * 0, so two threads racing to chain the same slot patch it once.  The
 * patch itself is one atomic 32-bit store (tcg_target_set_jmp_target).
 * Lock order: only one jmp_lock is ever held at a time.
 *
 * Translation: a thread that translates a lot emits into code regions of
 * its own, with no lock; others share one context and region under a lock
 * (see "Translation contexts" below).  Either publishes the TB with
 * tb_hash_insert; a thread that loses the race to publish the same block
 * gives its code back (tcg_tb_remove_last and tcg_region_rewind) and uses
 * the winner's.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/cpu-exec.h"
#include "target-riscv/translate.h"
#include "tcg/tcg.h"

void tb_add_jump(TranslationBlock *tb, int n, TranslationBlock *tb_next)
{
    uintptr_t expected = 0;

    if (tb->jmp_insn_offset[n] == TB_JMP_RESET_OFFSET_INVALID ||
        (__atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) &
         (CF_NOCHAIN | CF_INVALID))) {
        return;
    }
    pthread_mutex_lock(&tb_next->jmp_lock);
    if (__atomic_load_n(&tb_next->cflags, __ATOMIC_RELAXED) & CF_INVALID) {
        goto out;
    }
    /* Claim the slot; pairs with the reset of jmp_dest on unlink. */
    if (!__atomic_compare_exchange_n(&tb->jmp_dest[n], &expected,
                                     (uintptr_t)tb_next, false,
                                     __ATOMIC_ACQ_REL, __ATOMIC_RELAXED)) {
        goto out;
    }
    tcg_target_set_jmp_target(tb, n, (uintptr_t)tb_next->tc.ptr);
    tb->jmp_list_next[n] = tb_next->jmp_list_head;
    tb_next->jmp_list_head = (uintptr_t)tb | n;
    if (current_cpu) {
        current_cpu->stats.chains++;
    }
out:
    pthread_mutex_unlock(&tb_next->jmp_lock);
}

/*
 * Flushing the code buffer.  The thread that runs out of space asks for
 * a flush and leaves generated code; its CPU loop then runs do_tb_flush
 * inside an exclusive section (every other vCPU stopped at a TB boundary
 * or outside guest code).  tb_flush_count tells a thread whose request was
 * overtaken by another thread's flush not to flush again.
 */
static unsigned tb_flush_count; /* atomic; incremented while exclusive */

unsigned tb_flush_generation(void)
{
    /* Acquire: pairs with the release increment in do_tb_flush. */
    return __atomic_load_n(&tb_flush_count, __ATOMIC_ACQUIRE);
}

/*
 * The jump caches are not walked: each vCPU empties its own when it
 * next enters cpu_exec() and sees a new tb_flush_generation() (no vCPU
 * runs generated code before that, since every one of them left it for
 * this exclusive section or was outside cpu_exec).  O(1) in the number
 * of threads.
 */
static void do_tb_flush(void)
{
    tb_page_reset();
    tb_hash_reset();
    tcg_region_reset_all();
    /* Release: pairs with the acquire in tb_flush_generation(). */
    __atomic_fetch_add(&tb_flush_count, 1, __ATOMIC_RELEASE);
}

/* Safe work: flush unless another thread's flush overtook ours. */
static void tb_flush_work(CPUState *cpu, void *opaque)
{
    unsigned seen = (unsigned)(uintptr_t)opaque;

    (void)cpu;
    if (__atomic_load_n(&tb_flush_count, __ATOMIC_ACQUIRE) == seen) {
        do_tb_flush();
    }
}

static void tb_flush_request(CPUState *cpu)
{
    unsigned seen = __atomic_load_n(&tb_flush_count, __ATOMIC_ACQUIRE);

    cpu->stats.flushes++;
    run_on_cpu_safe(cpu, tb_flush_work, (void *)(uintptr_t)seen);
}

void tb_flush(CPUState *cpu)
{
    tb_flush_request(cpu);
    cpu->env->exception = RISCV_EXCP_INTERRUPT;
    siglongjmp(cpu->jmp_env, 1);
}

/*
 * fence.i: code this hart wrote before it must be what it runs after.
 * Without write tracking, every TB of a page the guest could have written
 * is suspect: drop those whose guest bytes changed since they were
 * translated (tb-code.c; program text, mapped read-only, is not even
 * looked at).  Without a page-flags hook, flush.
 */
void tb_fence_i(CPUState *cpu)
{
    if (tb_page_writable) {
        tb_invalidate_changed(tb_page_writable, TB_INVAL_FENCE_I);
        return;
    }
    tb_flush_request(cpu);
    process_queued_cpu_work(cpu);
}

void process_queued_cpu_work(CPUState *cpu)
{
    cpu_run_safe_work(cpu);
}

static void tb_init_fields(TranslationBlock *tb, uint64_t pc, uint32_t flags,
                           uint32_t cflags)
{
    tb->pc = pc;
    tb->flags = flags;
    tb->cflags = cflags;
    tb->ic_pc = cflags ? 1 : pc; /* published by tb_hash_insert */
    pthread_mutex_init(&tb->jmp_lock, NULL);
}

/*
 * Translation contexts.  A thread translates with a TCGContext, whose
 * region cursor says where in the code buffer its code goes.  Most threads
 * of a program with thousands of them translate little or nothing (they
 * run code the first thread to get there translated), so a thread starts
 * without a context of its own and translates with the shared one, under
 * tb_shared.lock, bump-allocating from the shared cursor's region.  After
 * TB_PRIVATE_AFTER translations it gets a context of its own, and with it
 * its own regions, and translates lock-free from then on (the shared
 * context itself, if it is there: the next thread to translate shared
 * creates a new one; an exiting thread gives its whole context back when
 * there is none, tb_exit_thread): the threads that
 * translate a lot still translate in parallel, and the live thread count
 * never decides how many regions are held.
 *
 * Invariants:
 * - At most tb_private_max() threads hold a private context (counted by
 *   tb_private_threads), so private regions -- each with an unused tail
 *   -- never hold more than a quarter of the buffer.  Past that, threads
 *   stay shared.  A flush therefore happens only when the buffer is at
 *   least about three quarters full of code.
 * - When a private thread cannot claim a region, it translates that TB
 *   with the shared context before anyone flushes; only the shared
 *   context running out of regions flushes the buffer.
 * - An exiting private thread hands its region to the shared cursor if
 *   it has more room left (tcg_region_handover), under tb_shared.lock,
 *   which orders its last index writes before the new owner's.
 *
 * Lock order: tb_shared.lock is taken first, then whatever translation
 * takes (mmap_lock and the page flags, tb_page_lock, the hash).  It is
 * never held across tb_flush (whose exclusive section waits for every
 * running vCPU, some of which may be waiting for this lock): the flush is
 * requested after the lock is dropped.
 */
#define TB_PRIVATE_AFTER 32

static struct {
    pthread_mutex_t lock;
    TCGContext *ctx; /* [lock] created on first use */
} tb_shared = {.lock = PTHREAD_MUTEX_INITIALIZER};
static unsigned tb_private_threads; /* atomic: private contexts held */

static unsigned tb_private_max(void)
{
    unsigned n = tcg_region_count() / 4;

    return n ? n : 1;
}

/* Lock and return the shared context, the calling thread's tcg_ctx. */
static TCGContext *tb_shared_acquire(void)
{
    pthread_mutex_lock(&tb_shared.lock);
    if (tb_shared.ctx == NULL) {
        tb_shared.ctx = tcg_context_new();
    }
    tcg_ctx = tb_shared.ctx;
    return tb_shared.ctx;
}

static void tb_shared_release(CPUState *cpu)
{
    tcg_ctx = cpu->tcg;
    pthread_mutex_unlock(&tb_shared.lock);
}

bool tb_thread_own_context(CPUState *cpu)
{
    if (cpu->tcg) {
        return true;
    }
    /* Relaxed: a counter of slots; no data is published through it. */
    if (__atomic_fetch_add(&tb_private_threads, 1, __ATOMIC_RELAXED) <
        tb_private_max()) {
        cpu->tcg = tcg_context_new();
        tcg_ctx = cpu->tcg;
        return true;
    }
    __atomic_fetch_sub(&tb_private_threads, 1, __ATOMIC_RELAXED);
    return false;
}

/*
 * After a shared translation, with tb_shared.lock held: give a busy
 * translator its own context.  The first one takes the shared context
 * itself, region and all (the next shared translation creates a new one):
 * a single-threaded program then has one context and one region, not two
 * of each (a second 100 KB context, a second region's first code pages
 * and guard: about 20 page faults of a start-up).
 */
static void tb_maybe_go_private(CPUState *cpu)
{
    if (++cpu->shared_translations < TB_PRIVATE_AFTER || cpu->tcg) {
        return;
    }
    /* Relaxed: a counter of slots, as in tb_thread_own_context. */
    if (__atomic_fetch_add(&tb_private_threads, 1, __ATOMIC_RELAXED) <
        tb_private_max()) {
        cpu->tcg = tb_shared.ctx; /* we just used it: not NULL */
        tb_shared.ctx = NULL;     /* tb_shared_release makes it tcg_ctx */
        return;
    }
    __atomic_fetch_sub(&tb_private_threads, 1, __ATOMIC_RELAXED);
}

/*
 * A private context goes back to the shared one: its region if that has
 * more room, or, where no shared context exists (its thread took it, see
 * tb_maybe_go_private), the whole context becomes the shared one.
 */
void tb_exit_thread(CPUState *cpu)
{
    TCGContext *mine = cpu->tcg;

    if (mine == NULL) {
        return;
    }
    pthread_mutex_lock(&tb_shared.lock);
    if (tb_shared.ctx == NULL) {
        tb_shared.ctx = mine;
        mine = NULL;
    } else {
        /* Our last index writes happen before the shared owner's next. */
        tcg_region_handover(&tb_shared.ctx->region, &mine->region);
    }
    pthread_mutex_unlock(&tb_shared.lock);
    if (mine) {
        tcg_context_free(mine);
    }
    cpu->tcg = NULL;
    tcg_ctx = NULL;
    __atomic_fetch_sub(&tb_private_threads, 1, __ATOMIC_RELAXED);
}

void tb_fork_start(void)
{
    /* A thread exiting outside cpu_exec may hold it (tb_exit_thread). */
    pthread_mutex_lock(&tb_shared.lock);
}

void tb_fork_end(bool child)
{
    if (child) {
        CPUState *self = current_cpu;

        /* The other threads and their private contexts are gone. */
        __atomic_store_n(&tb_private_threads, self && self->tcg ? 1 : 0,
                         __ATOMIC_RELAXED);
    }
    /*
     * The forking thread took the lock, and in the child it is that thread
     * (a normal mutex has no owner check): unlocked as in the parent,
     * never initialised again while held.
     */
    pthread_mutex_unlock(&tb_shared.lock);
}

/*
 * TCG_STATS=1: the phases of one translation are timed with the monotonic
 * clock (tcg_gen_code's into its TCGContext.stats, taken from there as a
 * difference: @s is this thread's context or the shared one, held under
 * tb_shared.lock) and added to the thread's statistics when the TB is
 * published.  A translation that took more than TB_TIME_PREEMPTED_NS is
 * left out of the phase times (counted in untimed): on a loaded machine
 * it was preempted, and one time slice would outweigh thousands of TBs.
 */
#define TB_TIME_PREEMPTED_NS 1000000

typedef struct TBPhaseTimes {
    uint64_t decode, opt, live, emit, publish, direct;
} TBPhaseTimes;

static void tb_time_start(TCGContext *s, TCGStats *before, uint64_t *t0)
{
    s->time_phases = cpu_exec_stats_enabled;
    if (s->time_phases) {
        *before = s->stats;
        *t0 = tcg_clock_ns();
    }
}

static void tb_time_gen(TCGContext *s, TBPhaseTimes *pt, const TCGStats *before,
                        uint64_t t0, uint64_t t_gen)
{
    if (!s->time_phases) {
        return;
    }
    pt->decode += t_gen - t0;
    pt->opt += s->stats.opt_ns - before->opt_ns;
    pt->live += s->stats.live_ns - before->live_ns;
    pt->emit += s->stats.emit_ns - before->emit_ns;
}

static void tb_time_account(CPUState *cpu, const TBPhaseTimes *pt,
                            const TranslationBlock *tb, bool hot)
{
    CPUExecStats *st = &cpu->stats;

    st->insns += tb->icount;
    st->insns_hot += hot ? tb->icount : 0;
    st->insns_direct += pt->direct ? tb->icount : 0;
    if (pt->decode + pt->opt + pt->live + pt->emit + pt->publish + pt->direct >
        TB_TIME_PREEMPTED_NS) {
        st->untimed++;
        return;
    }
    st->insns_timed += tb->icount;
    st->decode_ns += pt->decode;
    st->opt_ns += pt->opt;
    st->live_ns += pt->live;
    st->emit_ns += pt->emit;
    st->publish_ns += pt->publish;
    st->direct_ns += pt->direct;
}

/*
 * Translate into @s's region until the code fits.  Returns NULL when @s
 * can get no region (*@full set: the caller tries the shared context or
 * flushes) or when the first instruction cannot be fetched.
 */
static TranslationBlock *tb_translate(CPUState *cpu, TCGContext *s, uint64_t pc,
                                      uint32_t flags, uint32_t cflags, bool hot,
                                      bool *full, TBPhaseTimes *pt)
{
    int max_insns = cflags & CF_COUNT_MASK ? (int)(cflags & CF_COUNT_MASK)
                                           : cpu_exec_max_insns;
    bool fresh = false; /* the last attempt had a region of its own */
    TranslationBlock *tb;
    TCGStats before = {0};
    uint64_t t0 = 0, t_gen;
    int ret;

    *full = false;
    for (;;) {
        tb_time_start(s, &before, &t0);
        tcg_func_start(s);
        tb = tcg_tb_alloc(s);
        if (tb == NULL) {
            *full = true;
            return NULL;
        }
        tb_init_fields(tb, pc, flags, cflags);
        /* Special cflags (one instruction, no chaining) need no tiers. */
        tb->cold = !hot && cflags == 0 && cpu_exec_hot_threshold > 0;
        tb->hot_count = cpu_exec_hot_threshold;
        tb_code_start(pc);
        ret = riscv_tr_translate_direct(cpu->env, tb, max_insns);
        if (ret != 0) {
            /* The direct cold tier emitted it (or ran out of room). */
            tb_code_finish(tb);
            if (s->time_phases) {
                pt->direct += tcg_clock_ns() - t0;
            }
        } else if (riscv_tr_translate(cpu->env, tb, max_insns) == 0) {
            /* Not executable: no TB, which would outlive an mprotect. */
            tb_code_finish(tb);
            tcg_region_rewind(&s->region, tb);
            return NULL;
        } else {
            tb_code_finish(tb);
            t_gen = s->time_phases ? tcg_clock_ns() : 0;
            s->guest_addr_mask = cpu->env->hdr.guest_addr_mask;
            ret = tcg_gen_code(s, tb);
            tb_time_gen(s, pt, &before, t0, t_gen);
        }
        if (ret >= 0) {
            return tb;
        }
        tcg_region_rewind(&s->region, tb);
        if (ret == -2 || (fresh && max_insns > 1)) {
            /*
             * Too many ops, or more code than a whole region holds (a hot
             * region of 128 instructions in CTCG_REGION_SIZE=8K): fewer
             * instructions.  Claiming region after region would never end.
             */
            max_insns = max_insns > 1 ? max_insns / 2 : 1;
        } else if (fresh) {
            fprintf(stderr, "ctcg: code region too small for one "
                            "instruction's code (CTCG_REGION_SIZE)\n");
            abort();
        } else {
            if (!tcg_region_claim(&s->region)) {
                *full = true;
                return NULL;
            }
            fresh = true;
        }
    }
}

/*
 * Translate with @s and publish.  Returns the TB (or the one another
 * thread published first), or NULL when @s has no room left (*@full) or
 * @pc cannot be fetched.
 */
static TranslationBlock *do_tb_gen_code(CPUState *cpu, TCGContext *s,
                                        uint64_t pc, uint32_t flags,
                                        uint32_t cflags, bool hot, bool *full)
{
    TranslationBlock *tb, *existing;
    TBPhaseTimes pt = {0};
    uint64_t t0 = 0;
    unsigned gen;

    do {
        gen = tb_page_gen();
        tb = tb_translate(cpu, s, pc, flags, cflags, hot, full, &pt);
        if (tb == NULL) {
            return NULL;
        }
        if (s->time_phases) {
            t0 = tcg_clock_ns();
        }
        tcg_tb_commit(s, tb);
        if (tb_page_add_publish(tb, gen, &existing)) {
            break;
        }
        /* An invalidation ran meanwhile: the code we read may be stale. */
        tcg_tb_remove_last(tb);
        tcg_region_rewind(&s->region, tb);
    } while (true);

    if (s->time_phases) {
        pt.publish = tcg_clock_ns() - t0;
        tb_time_account(cpu, &pt, tb, hot);
    }
    cpu->stats.translations++;
    cpu->stats.hot += hot;
    if (existing == tb && cpu_exec_perfmap) {
        fprintf(cpu_exec_perfmap, "%lx %x guest_0x%llx\n",
                (unsigned long)tb->tc.ptr, tb->tc.size,
                (unsigned long long)tb->pc);
    }
    if (existing != tb) {
        /* Another thread published the same block first: use its TB. */
        cpu->stats.races_lost++;
        tcg_tb_remove_last(tb);
        tcg_region_rewind(&s->region, tb);
    }
    return existing;
}

TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc, uint32_t flags,
                              uint32_t cflags, bool hot)
{
    TranslationBlock *tb = NULL;
    TCGContext *s;
    bool full;

    if (cpu->tcg) {
        tcg_ctx = cpu->tcg;
        tb = do_tb_gen_code(cpu, cpu->tcg, pc, flags, cflags, hot, &full);
        if (tb || !full) {
            tb_hash_maybe_resize();
            return tb;
        }
        /* No region left for us: the shared region may still have room. */
    }
    s = tb_shared_acquire();
    /*
     * Threads that start together all miss on the same blocks: the one
     * that held the lock before us may have published ours already.
     */
    tb = tb_hash_lookup(pc, flags, cflags);
    if (tb) {
        tb_shared_release(cpu);
        return tb;
    }
    tb = do_tb_gen_code(cpu, s, pc, flags, cflags, hot, &full);
    if (tb) {
        cpu->stats.shared++;
        tb_maybe_go_private(cpu);
    }
    tb_shared_release(cpu);
    if (tb == NULL && full) {
        tb_flush(cpu); /* the buffer is full: does not return */
    }
    tb_hash_maybe_resize();
    return tb;
}
