/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code invalidation: the guest-page -> TB map and tb_phys_invalidate.
 *
 * Every TB published by tb_gen_code is recorded under the one or two
 * guest pages its code came from (tb_page_add).  When the guest changes
 * what those pages hold -- munmap, mmap over them, mremap, mprotect, or
 * code written and announced with fence.i / riscv_flush_icache -- the TBs
 * of the affected pages are invalidated:
 *   1. CF_INVALID is set under the TB's jmp_lock, so tb_add_jump can no
 *      longer chain to it (it checks under the same lock);
 *   2. it leaves the TB hash, so no lookup finds it any more (a lookup
 *      racing with the removal may still return it: the exec loop and the
 *      jump caches compare cflags, which now include CF_INVALID);
 *   3. jump cache entries pointing to it now fail their cflags check
 *      (ic_pc in generated code, set to 1 with CF_INVALID)
 *      (they are not walked: that would cost O(threads) per TB); a loop
 *      TB also kicks every running vCPU out of its back edges;
 *   4. every direct jump into it is reset to its exit path, so a thread
 *      spinning in a chained loop through it leaves at the next jump.
 * A thread already inside the TB finishes running the old code up to its
 * next TB boundary, as a hart that has not executed fence.i may.  The
 * TB's memory is reused only by the next flush (in an exclusive section),
 * so no thread can be running it then.  This is the lock-based protocol
 * of QEMU's tb-maint.c, of equal strength to an exclusive section for
 * these four steps.
 *
 * Locking: tb_page_lock protects the page map and tb_inval_gen; it is
 * taken inside mmap_lock (munmap & co call in with it held) and never the
 * other way round; jmp_locks are taken inside tb_page_lock only one at a
 * time.  tb_inval_gen lets tb_gen_code detect an invalidation that ran
 * while it was translating (it then retranslates).
 */
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/cpu-exec.h"
#include "tcg/log.h"
#include "tcg/tcg.h"

#define TB_PAGE_BITS 12
#define TB_PAGE_BUCKETS 16384

typedef struct TBPageNode {
    uint64_t page; /* guest page number */
    TranslationBlock *tb;
    struct TBPageNode *next;
} TBPageNode;

static pthread_mutex_t tb_page_lock = PTHREAD_MUTEX_INITIALIZER;
static TBPageNode *tb_page_hash[TB_PAGE_BUCKETS]; /* [tb_page_lock] */
static size_t tb_page_nodes;                      /* [tb_page_lock] */

/*
 * Page nodes come from chunks of TB_PAGE_CHUNK, through a free list: a
 * malloc a node was 175 instructions, 2% of a static hello's start-up.
 * Chunks are never given back (the lists only shrink at invalidations,
 * whose nodes the next translations take again).
 */
#define TB_PAGE_CHUNK 128
static TBPageNode *tb_page_free;              /* [tb_page_lock] */
static unsigned tb_inval_gen;                 /* [tb_page_lock] */
static uint64_t inval_count[TB_INVAL_CAUSES]; /* atomic */
bool (*tb_page_writable)(uint64_t page);

/*
 * Neighbouring guest pages go to neighbouring buckets (the higher bits are
 * folded onto the low 14 with xor, which keeps every aligned block of 512
 * pages in one 4 KiB page of tb_page_hash): a program's code sits in a few
 * runs of pages, so a start-up touches a few pages of the 128 KiB table,
 * where a multiplicative hash touched one per guest page (19 page faults
 * in a static hello, about 15 us each on a VM).
 */
static unsigned page_bucket(uint64_t page)
{
    _Static_assert(TB_PAGE_BUCKETS == 1u << 14, "page_bucket folds 14 bits");
    return (page ^ (page >> 14) ^ (page >> 28) ^ (page >> 42)) &
           (TB_PAGE_BUCKETS - 1);
}

unsigned tb_page_gen(void)
{
    unsigned g;

    pthread_mutex_lock(&tb_page_lock);
    g = tb_inval_gen;
    pthread_mutex_unlock(&tb_page_lock);
    return g;
}

static TBPageNode *tb_page_node_alloc__locked(void)
{
    TBPageNode *n = tb_page_free;

    if (n == NULL) {
        n = malloc(TB_PAGE_CHUNK * sizeof(*n));
        if (n == NULL) {
            tcg_out_of_memory("TB page list");
        }
        for (int i = 1; i < TB_PAGE_CHUNK - 1; i++) {
            n[i].next = &n[i + 1];
        }
        n[TB_PAGE_CHUNK - 1].next = NULL;
        tb_page_free = &n[1];
        return n;
    }
    tb_page_free = n->next;
    return n;
}

static void tb_page_node_free__locked(TBPageNode *n)
{
    n->next = tb_page_free;
    tb_page_free = n;
}

static void tb_page_add_one__locked(uint64_t page, TranslationBlock *tb)
{
    TBPageNode *n = tb_page_node_alloc__locked();

    n->page = page;
    n->tb = tb;
    n->next = tb_page_hash[page_bucket(page)];
    tb_page_hash[page_bucket(page)] = n;
    tb_page_nodes++;
}

bool tb_page_add_publish(TranslationBlock *tb, unsigned gen,
                         TranslationBlock **published)
{
    uint64_t first = tb->pc >> TB_PAGE_BITS;
    uint64_t last = (tb->pc + (tb->size ? tb->size : 1) - 1) >> TB_PAGE_BITS;
    TranslationBlock *existing;

    pthread_mutex_lock(&tb_page_lock);
    if (gen != tb_inval_gen) {
        /* Code may have changed while we translated: retranslate. */
        pthread_mutex_unlock(&tb_page_lock);
        return false;
    }
    existing = tb_hash_insert(tb);
    if (existing == tb) {
        tb_page_add_one__locked(first, tb);
        if (last != first) {
            tb_page_add_one__locked(last, tb);
        }
    }
    pthread_mutex_unlock(&tb_page_lock);
    *published = existing;
    return true;
}

/*
 * A loop TB branches to itself without a goto_tb to unlink: make every
 * vCPU that may be running it leave at its next back edge (it checks
 * exit_request there, as at every TB entry); CF_INVALID, set before,
 * keeps it from coming back.
 */
static void tb_kick(CPUState *cpu, void *opaque)
{
    (void)opaque;
    /*
     * Every vCPU, running or not: one that is not leaves its next TB
     * early for nothing, while testing cpu->running here would need a
     * Dekker handshake with cpu_exec_start's lookup of the TB.  O(threads),
     * but only for loop TBs, which are rarely invalidated.
     */
    cpu_exit(cpu);
}

/* Reset every direct jump into @tb; called with tb->jmp_lock held. */
static void tb_jmp_unlink__locked(TranslationBlock *tb)
{
    uintptr_t e = tb->jmp_list_head;

    while (e) {
        TranslationBlock *src =
            (TranslationBlock *)(e & ~(uintptr_t)(TB_MAX_JMPS - 1));
        int n = e & (TB_MAX_JMPS - 1);

        e = src->jmp_list_next[n];
        tcg_target_set_jmp_target(
            src, n, (uintptr_t)src->tc.ptr + src->jmp_reset_offset[n]);
        /*
         * Pairs with the CAS in tb_add_jump: the slot may be reused --
         * unless src is dying itself (jmp_dest 1), which must stay.
         */
        __atomic_compare_exchange_n(&src->jmp_dest[n],
                                    &(uintptr_t){(uintptr_t)tb}, 0, false,
                                    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
    }
    tb->jmp_list_head = 0;
}

/*
 * Mark slot @n of dying @tb (jmp_dest = 1: tb_add_jump's CAS from 0 can
 * never link it again) and take it off its destination's incoming list,
 * under the destination's jmp_lock.
 */
static void tb_remove_from_jmp_list(TranslationBlock *tb, int n)
{
    uintptr_t dest = __atomic_exchange_n(&tb->jmp_dest[n], 1, __ATOMIC_ACQ_REL);
    TranslationBlock *d = (TranslationBlock *)dest;
    uintptr_t *pp;

    if (dest <= 1) {
        return;
    }
    pthread_mutex_lock(&d->jmp_lock);
    for (pp = &d->jmp_list_head; *pp;) {
        TranslationBlock *src =
            (TranslationBlock *)(*pp & ~(uintptr_t)(TB_MAX_JMPS - 1));
        int k = *pp & (TB_MAX_JMPS - 1);

        if (src == tb && k == n) {
            *pp = src->jmp_list_next[k];
            break;
        }
        pp = &src->jmp_list_next[k];
    }
    pthread_mutex_unlock(&d->jmp_lock);
}

void tb_phys_invalidate(TranslationBlock *tb)
{
    pthread_mutex_lock(&tb->jmp_lock);
    if (tb->cflags & CF_INVALID) {
        pthread_mutex_unlock(&tb->jmp_lock);
        return;
    }
    /*
     * Indirect jumps no longer match it (tb.h, ic_pc): relaxed, pairs with
     * the loads of ic_pc in generated code (inline-cache sites, the lookup
     * stub), which, as for cflags, may see the old value until then.
     */
    __atomic_store_n(&tb->ic_pc, 1, __ATOMIC_RELAXED);
    /* Pairs with the check under jmp_lock in tb_add_jump. */
    __atomic_store_n(&tb->cflags, tb->cflags | CF_INVALID, __ATOMIC_RELEASE);
    tb_jmp_unlink__locked(tb);
    pthread_mutex_unlock(&tb->jmp_lock);
    /* Only one jmp_lock at a time: outgoing edges after ours is dropped. */
    for (int n = 0; n < TB_MAX_JMPS; n++) {
        tb_remove_from_jmp_list(tb, n);
    }
    tb_hash_remove(tb);
    /*
     * Jump caches are not walked (that would be O(threads) per TB): an
     * entry for @tb fails the cflags check of tb_lookup and the ic_pc
     * check of the goto_lookup stub and inline caches from now on, and @tb's memory stays until a flush,
     * after which every vCPU empties its cache before running.
     */
    if (tb->loops) {
        cpu_foreach_locked(tb_kick, NULL);
    }
}

/* Collect and invalidate the TBs of pages accepted by @in_range. */
static void tb_invalidate_where(bool (*in_range)(uint64_t page,
                                                 TranslationBlock *tb, void *),
                                void *opaque, TBInvalCause cause)
{
    uint64_t n = 0;

    pthread_mutex_lock(&tb_page_lock);
    /*
     * Bump the generation even when nothing is recorded: a translation
     * that started before this call must not publish a TB of these pages.
     */
    tb_inval_gen++;
    for (int b = 0; tb_page_nodes && b < TB_PAGE_BUCKETS; b++) {
        TBPageNode **p = &tb_page_hash[b];

        while (*p) {
            TBPageNode *node = *p;

            if (in_range(node->page, node->tb, opaque)) {
                tb_phys_invalidate(node->tb);
                *p = node->next;
                tb_page_node_free__locked(node);
                tb_page_nodes--;
                n++;
            } else {
                p = &node->next;
            }
        }
    }
    pthread_mutex_unlock(&tb_page_lock);
    __atomic_fetch_add(&inval_count[cause], n, __ATOMIC_RELAXED);
}

typedef struct PageRange {
    uint64_t first, last;
} PageRange;

static bool page_in_range(uint64_t page, TranslationBlock *tb, void *opaque)
{
    const PageRange *r = opaque;

    (void)tb;
    return page >= r->first && page <= r->last;
}

void tb_invalidate_range(uint64_t start, uint64_t end, TBInvalCause cause)
{
    PageRange r = {start >> TB_PAGE_BITS, (end - 1) >> TB_PAGE_BITS};

    if (end <= start) {
        return;
    }
    tb_invalidate_where(page_in_range, &r, cause);
}

static bool page_pred(uint64_t page, TranslationBlock *tb, void *opaque)
{
    bool (*pred)(uint64_t) = (bool (*)(uint64_t))opaque;

    (void)tb;
    return pred(page << TB_PAGE_BITS);
}

void tb_invalidate_pages(bool (*pred)(uint64_t page), TBInvalCause cause)
{
    tb_invalidate_where(page_pred, (void *)pred, cause);
}

/*
 * A node of a page @pred accepts: drop the TB if it is already invalid
 * (a stale node of its other page), spans a page @pred refuses (that page
 * may be unreadable: no re-hash), or its bytes changed.
 */
static bool page_pred_changed(uint64_t page, TranslationBlock *tb, void *opaque)
{
    bool (*pred)(uint64_t) = (bool (*)(uint64_t))opaque;
    uint64_t first, last;

    if (!pred(page << TB_PAGE_BITS)) {
        return false;
    }
    /*
     * Relaxed: CF_INVALID is only ever set (tb_phys_invalidate's release
     * store); missing a concurrent one costs a re-hash, no more.
     */
    if (__atomic_load_n(&tb->cflags, __ATOMIC_RELAXED) & CF_INVALID ||
        tb->code_untracked) {
        return true;
    }
    first = tb->code_lo >> TB_PAGE_BITS;
    last = (tb->code_lo + tb->code_len - 1) >> TB_PAGE_BITS;
    for (uint64_t p = first; p <= last; p++) {
        if (p != page && !pred(p << TB_PAGE_BITS)) {
            return true;
        }
    }
    return tb_code_changed(tb);
}

void tb_invalidate_changed(bool (*pred)(uint64_t page), TBInvalCause cause)
{
    tb_invalidate_where(page_pred_changed, (void *)pred, cause);
}

uint64_t tb_invalidate_count(TBInvalCause cause)
{
    return __atomic_load_n(&inval_count[cause], __ATOMIC_RELAXED);
}

/* tb_flush: every TB is gone; called inside the exclusive section. */
void tb_page_reset(void)
{
    pthread_mutex_lock(&tb_page_lock);
    for (int b = 0; b < TB_PAGE_BUCKETS; b++) {
        TBPageNode *node = tb_page_hash[b];

        while (node) {
            TBPageNode *next = node->next;

            tb_page_node_free__locked(node);
            node = next;
        }
        tb_page_hash[b] = NULL;
    }
    tb_page_nodes = 0;
    tb_inval_gen++;
    pthread_mutex_unlock(&tb_page_lock);
}
