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
 * Translation needs no lock: each thread emits into its own code region
 * and publishes the TB with tb_hash_insert; a thread that loses the race
 * to publish the same block gives its code back (tcg_tb_remove_last and
 * tcg_region_rewind) and uses the winner's.
 */
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

static void tb_flush_jc(CPUState *cpu, void *opaque)
{
    (void)opaque;
    memset(cpu->jc, 0, sizeof(cpu->jc));
}

static void do_tb_flush(void)
{
    cpu_foreach_exclusive(tb_flush_jc, NULL);
    tb_page_reset();
    tb_hash_reset();
    tcg_region_reset_all();
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
 * Without write tracking, every page the guest could have written is
 * suspect: drop the TBs of all writable pages (program text, mapped
 * read-only, keeps its translations).  Without a page-flags hook, flush.
 */
void tb_fence_i(CPUState *cpu)
{
    if (tb_page_writable) {
        tb_invalidate_pages(tb_page_writable, TB_INVAL_FENCE_I);
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
    pthread_mutex_init(&tb->jmp_lock, NULL);
}

TranslationBlock *tb_gen_code(CPUState *cpu, uint64_t pc, uint32_t flags,
                              uint32_t cflags, bool hot)
{
    TCGContext *s = cpu->tcg;
    int max_insns = cflags & CF_COUNT_MASK ? (int)(cflags & CF_COUNT_MASK)
                                           : cpu_exec_max_insns;
    TranslationBlock *tb, *existing;
    bool fresh = false; /* the last attempt had a region of its own */
    unsigned gen;
    int ret;

retry:
    gen = tb_page_gen();
    for (;;) {
        tcg_func_start(s);
        tb = tcg_tb_alloc(s);
        if (tb == NULL) {
            tb_flush(cpu);
            continue;
        }
        tb_init_fields(tb, pc, flags, cflags);
        /* Special cflags (one instruction, no chaining) need no tiers. */
        tb->cold = !hot && cflags == 0 && cpu_exec_hot_threshold > 0;
        tb->hot_count = cpu_exec_hot_threshold;
        if (riscv_tr_translate(cpu->env, tb, max_insns) == 0) {
            /* Not executable: no TB, which would outlive an mprotect. */
            tcg_region_rewind(&s->region, tb);
            return NULL;
        }
        ret = tcg_gen_code(s, tb);
        if (ret >= 0) {
            break;
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
                tb_flush(cpu);
            }
            fresh = true;
        }
    }
    tcg_tb_commit(s, tb);
    if (!tb_page_add_publish(tb, gen, &existing)) {
        /* An invalidation ran meanwhile: the code we read may be stale. */
        tcg_tb_remove_last(tb);
        tcg_region_rewind(&s->region, tb);
        goto retry;
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
        return existing;
    }
    return tb;
}
