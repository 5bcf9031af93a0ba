/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The global TB hash: (guest pc, flags, cflags) -> TranslationBlock.
 *
 * A liburcu lock-free RCU hash table (cds_lfht).  Lookups take no lock:
 * they run inside an RCU read-side section (liburcu's memb flavour: a
 * per-thread counter and a compiler barrier), which every exec-loop thread
 * has registered for.  Inserts use cds_lfht_add_unique, the single point
 * where two threads that translated the same block at once are told apart:
 * the first TB in wins, the other is discarded by its translator.
 *
 * A TB reached from the table is fully built: the insert is the release
 * point for all its fields (cds_lfht_add_unique has release semantics and
 * lookups acquire).
 *
 * tb_hash_reset() empties the table for tb_flush: it swaps in a fresh
 * table and destroys the old one after a grace period, when no lookup can
 * still be walking it.  It runs inside an exclusive section.
 *
 * Growth is by hand, not CDS_LFHT_AUTO_RESIZE: the automatic mode starts
 * liburcu's resize worker thread with the first table, so every ctcg
 * process had a second thread even with one guest thread, and Linux
 * refuses some calls to a multithreaded process (KEYCTL_SESSION_TO_PARENT
 * is EPERM when the parent has several threads; /proc/self/status showed
 * Threads: 2).  tb_hash_insert() counts the TBs; tb_hash_maybe_resize(),
 * called by the translator after it released its locks, grows the table
 * to the power of two at or above the count once the count passes twice
 * the size (the load stays between 1/2 and 2 per bucket; the automatic
 * mode kept about the same).  cds_lfht_resize() runs in the calling vCPU
 * thread, outside any read-side section, with every host signal blocked:
 * for a large table liburcu splits the work over short-lived helper
 * threads, which inherit that mask and so never take a guest's signal.
 * The table never shrinks (invalidations are few; tb_flush starts over).
 *
 * Out of host memory: liburcu (0.13, its default "order" allocator)
 * asserts when the calloc of a new bucket level fails, as it can under a
 * tight RLIMIT_AS (the lim_hostmem test).  A resize is therefore tried
 * only after one malloc of all the levels it will allocate succeeded and
 * was freed (tb_hash_resize_fits); otherwise the table keeps its size, with
 * longer chains, and the next try waits until the count has doubled.  The
 * probe can still race with another thread's allocation in between: it
 * makes the failure rare, not impossible.
 */
#include <pthread.h>
#include <signal.h>
#include <urcu.h>
#include <urcu/rculfhash.h>

#include "accel/tcg/cpu-exec.h"
#include "tcg/log.h"

/*
 * 512 buckets (8 KiB of bucket nodes) to start: 4096 cost every start-up
 * 440,000 instructions and 16 page faults clearing 64 KiB, for a static
 * hello's 600 TBs; 256 (session 9) took a resize to 1024 at the 513th TB,
 * 194,000 instructions, where 512 has room for 1024 TBs (a static glibc
 * start-up translates about 650).
 */
#define TB_HASH_INIT_SIZE (1ul << 9)

static struct cds_lfht *tb_ht;    /* RCU-protected pointer */
static unsigned long tb_ht_count; /* TBs in the table: atomic, relaxed */
static unsigned long tb_ht_size = TB_HASH_INIT_SIZE; /* see maybe_resize */
static unsigned long tb_ht_retry_at; /* count of the next try after a
                                        failed probe: atomic, relaxed */
static pthread_mutex_t tb_ht_resize_lock = PTHREAD_MUTEX_INITIALIZER;

typedef struct TBKey {
    uint64_t pc;
    uint32_t flags, cflags;
} TBKey;

/* splitmix64's finalizer: cheap, and every input bit reaches the output */
static unsigned long tb_hash_func(uint64_t pc, uint32_t flags, uint32_t cflags)
{
    uint64_t h = pc ^ ((uint64_t)flags << 32) ^ cflags;

    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ull;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebull;
    h ^= h >> 31;
    return (unsigned long)h;
}

static int tb_hash_match(struct cds_lfht_node *node, const void *key)
{
    const TranslationBlock *tb =
        caa_container_of(node, TranslationBlock, hnode);
    const TBKey *k = key;

    /*
     * cflags is loaded first, with acquire: it pairs with the
     * store-release in tb_hash_insert (so the TB's other fields are seen
     * initialised, also by ThreadSanitizer, which cannot see liburcu's
     * own ordering) and with the one in tb_phys_invalidate (an
     * invalidated TB never matches).
     */
    uint32_t cflags = __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE);

    return cflags == k->cflags && tb->pc == k->pc && tb->flags == k->flags;
}

static struct cds_lfht *tb_hash_new(void)
{
    struct cds_lfht *ht =
        cds_lfht_new(TB_HASH_INIT_SIZE, TB_HASH_INIT_SIZE, 0, 0, NULL);
    if (ht == NULL) {
        tcg_out_of_memory("TB hash table");
    }
    return ht;
}

void tb_hash_init(void)
{
    rcu_assign_pointer(tb_ht, tb_hash_new());
}

TranslationBlock *tb_hash_lookup(uint64_t pc, uint32_t flags, uint32_t cflags)
{
    TBKey k = {pc, flags, cflags};
    struct cds_lfht_iter iter;
    struct cds_lfht_node *node;
    struct cds_lfht *ht;

    rcu_read_lock();
    ht = rcu_dereference(tb_ht);
    cds_lfht_lookup(ht, tb_hash_func(pc, flags, cflags), tb_hash_match, &k,
                    &iter);
    node = cds_lfht_iter_get_node(&iter);
    rcu_read_unlock();
    /*
     * TBs are reclaimed only by tb_flush, which no vCPU can overlap, so
     * the TB stays valid after the read-side section ends.
     */
    return node ? caa_container_of(node, TranslationBlock, hnode) : NULL;
}

TranslationBlock *tb_hash_insert(TranslationBlock *tb)
{
    TBKey k = {tb->pc, tb->flags, tb->cflags};
    struct cds_lfht_node *node;

    cds_lfht_node_init(&tb->hnode);
    /* Publish the initialised TB: pairs with the acquire in match. */
    __atomic_store_n(&tb->cflags, tb->cflags, __ATOMIC_RELEASE);
    rcu_read_lock();
    node = cds_lfht_add_unique(rcu_dereference(tb_ht),
                               tb_hash_func(tb->pc, tb->flags, tb->cflags),
                               tb_hash_match, &k, &tb->hnode);
    rcu_read_unlock();
    if (node == &tb->hnode) {
        /* Relaxed: only a resize heuristic reads it (maybe_resize). */
        __atomic_fetch_add(&tb_ht_count, 1, __ATOMIC_RELAXED);
    }
    return caa_container_of(node, TranslationBlock, hnode);
}

unsigned long tb_hash_buckets(void)
{
    /* Relaxed: a statistic (see maybe_resize). */
    return __atomic_load_n(&tb_ht_size, __ATOMIC_RELAXED);
}

/*
 * Whether the bucket levels of a resize from @from to @to buckets can be
 * allocated now: liburcu callocs (to - from) bucket nodes in all, one level
 * at a time.  See "Out of host memory" above.
 */
static bool tb_hash_resize_fits(unsigned long from, unsigned long to)
{
    void *p = malloc((to - from) * sizeof(struct cds_lfht_node));

    free(p);
    return p != NULL;
}

void tb_hash_maybe_resize(void)
{
    /* Relaxed, all: a stale value only delays or repeats the check. */
    unsigned long n = __atomic_load_n(&tb_ht_count, __ATOMIC_RELAXED);
    unsigned long size = __atomic_load_n(&tb_ht_size, __ATOMIC_RELAXED);
    unsigned long target;
    sigset_t all, old;

    if (n <= 2 * size ||
        n < __atomic_load_n(&tb_ht_retry_at, __ATOMIC_RELAXED) ||
        pthread_mutex_trylock(&tb_ht_resize_lock) != 0) {
        return; /* not needed, not yet, or another thread is at it */
    }
    size = __atomic_load_n(&tb_ht_size, __ATOMIC_RELAXED);
    for (target = size; target < n; target <<= 1) {
        continue;
    }
    if (n > 2 * size && !tb_hash_resize_fits(size, target)) {
        /* Relaxed: a heuristic, as tb_ht_count. */
        __atomic_store_n(&tb_ht_retry_at, 2 * n, __ATOMIC_RELAXED);
    } else if (n > 2 * size) {
        size = target;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        /*
         * tb_ht changes only in tb_hash_reset, inside an exclusive
         * section, which cannot overlap a running vCPU's translation.
         */
        cds_lfht_resize(tb_ht, size);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        /* Relaxed: pairs with the relaxed load above (a heuristic). */
        __atomic_store_n(&tb_ht_size, size, __ATOMIC_RELAXED);
    }
    pthread_mutex_unlock(&tb_ht_resize_lock);
}

void tb_hash_remove(TranslationBlock *tb)
{
    rcu_read_lock();
    /*
     * A concurrent lookup may still return tb: callers check CF_INVALID
     * (set before removal).  The TB's memory lives until the next flush,
     * so no RCU-deferred free is needed.
     */
    if (cds_lfht_del(rcu_dereference(tb_ht), &tb->hnode) == 0) {
        /* Relaxed: as in tb_hash_insert. */
        __atomic_fetch_sub(&tb_ht_count, 1, __ATOMIC_RELAXED);
    }
    rcu_read_unlock();
}

void tb_hash_reset(void)
{
    struct cds_lfht *old = tb_ht;

    rcu_assign_pointer(tb_ht, tb_hash_new());
    /* Relaxed: no vCPU runs (exclusive section); see maybe_resize. */
    __atomic_store_n(&tb_ht_count, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&tb_ht_size, TB_HASH_INIT_SIZE, __ATOMIC_RELAXED);
    __atomic_store_n(&tb_ht_retry_at, 0, __ATOMIC_RELAXED);
    /*
     * Pairs with the rcu_read_lock() of lookups: once every reader that
     * could have seen the old table is done, destroy it.  The TBs it
     * pointed to die with the code buffer reset by the caller.
     */
    synchronize_rcu();
    /* cds_lfht_destroy wants an empty table; nobody else sees it now. */
    {
        struct cds_lfht_iter iter;
        struct cds_lfht_node *node;

        rcu_read_lock();
        cds_lfht_for_each (old, &iter, node) {
            cds_lfht_del(old, node);
        }
        rcu_read_unlock();
    }
    if (cds_lfht_destroy(old, NULL) != 0) {
        fprintf(stderr, "ctcg: TB hash table not destroyed\n");
    }
}
