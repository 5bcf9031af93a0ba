/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code buffer region allocator and host-PC -> TB index.
 *
 * What it does
 * ------------
 * tcg_region_init() maps one RWX buffer and splits it into N regions of
 * region_size bytes, each followed by a guard page (PROT_NONE from the
 * region's first claim on):
 *
 *   buf: [ region 0 | guard ][ region 1 | guard ] ... [ region N-1 | guard ]
 *
 * buf is aligned to 2 MiB and its first 2 MiB are one transparent huge
 * page where the host allows it (MADV_HUGEPAGE): the regions inside it
 * have no guard page (an mprotect there would split the huge page), only
 * the highwater checks, as every region has when a guard's mprotect fails.
 * See "Start-up pages" below for why.
 *
 * A translating thread owns at most one region at a time through its
 * TCGRegionCursor and bump-allocates from it (TB struct, then host code
 * written directly at cursor->ptr, then search data).  A region is claimed
 * with one compare-and-swap on a global claim index; there is no allocator
 * lock.  When the index reaches N the buffer is full and the caller flushes
 * (tb_flush -> tcg_region_reset_all()).
 *
 * Every region also has a host-PC index: an array of the TBs allocated in
 * it, in increasing tc.ptr order (bump allocation gives the order for
 * free), which tcg_tb_lookup() binary-searches.  The arrays of all regions
 * live in one MAP_NORESERVE mapping sized region_size / TCG_TB_MIN_SIZE
 * entries per region; pages never touched cost nothing.
 *
 * Invariants
 * ----------
 * - A region is owned by at most one cursor per generation; claims never
 *   hand out the same region twice between two resets.  Ownership moves
 *   only by tcg_region_handover(), from a cursor that is dropped.
 * - Only the owner of a region allocates from it, writes its code, and
 *   appends to (or removes the last entry of) its TB index.
 * - In a region's index, entry i+1 starts at or after the end of the code
 *   of entry i; the code of every indexed TB lies inside its region.
 *   tc.ptr and tc.size of a TB never change once it is indexed.
 * - cursor->generation == region.generation iff the cursor's region is
 *   still its own; otherwise the cursor holds nothing and must claim.
 *
 * Locking and ordering rules
 * --------------------------
 * - init/teardown: single-threaded (nothing else touches the buffer).
 * - tcg_region_reset_all(): inside the exclusive section of tb_flush; no
 *   other thread allocates, inserts, looks up or runs generated code.  The
 *   exclusive section's own locking orders the reset against everything
 *   before and after it, so the stores of the reset can be relaxed.
 * - Claim: lock-free CAS on region.next.  It only arbitrates ownership; the
 *   region's state was last written by the reset (or init), which the
 *   exclusive section already ordered before any later claim.
 * - TB index: single writer (the owner), any number of concurrent readers,
 *   including signal handlers in other threads.  The owner fills the slot
 *   then publishes the count with store-release; readers load the count
 *   with load-acquire, so every slot below it and the tc fields of every
 *   TB it points to are visible.  Insert a TB before publishing it to the
 *   TB hash, so that a fault in its code can always be resolved.
 * - Statistics (used bytes, counts) are read relaxed and are approximate
 *   while other threads work.
 */
#include "tcg/region.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * Every TB takes at least this many bytes of its region (the struct alone
 * does), so region_size / TCG_TB_MIN_SIZE index entries always suffice.
 */
#define TCG_TB_MIN_SIZE 64
_Static_assert(sizeof(TranslationBlock) >= TCG_TB_MIN_SIZE,
               "TB index capacity assumes a TB takes >= TCG_TB_MIN_SIZE bytes");

/* Per-region bookkeeping, one cache line each to avoid false sharing. */
typedef struct TCGRegionInfo {
    alignas(64) _Atomic size_t count; /* published index entries */
    _Atomic size_t used;              /* bytes handed out, for statistics */
    bool guarded;     /* [owner] its guard page is PROT_NONE already */
    size_t populated; /* [owner] bytes from its start known to be mapped */
} TCGRegionInfo;

/*
 * Code is written into fresh pages of the buffer: each one's first store
 * is a page fault (about 15 us on a VM; a static hello's start-up writes
 * 80 pages of code).  MADV_POPULATE_WRITE maps them 32 KiB at a time, a
 * little ahead of the cursor, for about 9 us a page; the pages stay
 * mapped across flushes, so a region is populated once.  A kernel without
 * it (before 5.14) answers EINVAL, and the stores fault as before.
 */
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#define REGION_POPULATE_CHUNK (32u << 10)
#define REGION_POPULATE_AHEAD (8u << 10)

/*
 * Start-up pages.  On the VMs ctcg is measured on, a fresh 4 KiB page
 * costs 5-7 us at its first touch even after MADV_POPULATE_WRITE mapped
 * it (11-15 us without), while a 2 MiB transparent huge page costs
 * 130-190 us once for all of its 512 pages (session 11, docs/performance.md).
 * A static hello writes ~95 pages of code and TBs, hello-dyn ~270, so the
 * first 2 MiB of the buffer, where the first thread's first regions lie,
 * is one huge page (MADV_HUGEPAGE: THP "madvise" or "always"; with THP
 * off the madvise fails and nothing changes).  It costs 2 MiB of RSS from
 * the first translation on (qemu-riscv64 starts at ~15 MB).  Populating
 * goes on as before: inside a huge page it finds the pages mapped.
 */
#define REGION_HUGE_SIZE ((size_t)2 << 20)

static struct {
    uint8_t *buf;       /* first region (2 MiB aligned), NULL if none */
    size_t map_size;    /* n * stride */
    void *map_base;     /* the mapping itself: buf less the alignment */
    size_t map_len;     /* its length */
    size_t huge_len;    /* bytes from buf in a huge page (0 or 2 MiB) */
    size_t region_size; /* usable bytes per region, page multiple */
    size_t stride;      /* region_size + guard page */
    size_t page_size;
    unsigned n; /* number of regions */

    _Atomic(TranslationBlock *) *index; /* n * index_cap slots */
    size_t index_cap;                   /* slots per region */
    size_t index_map_size;
    TCGRegionInfo *info; /* n entries, mapped zero (region_map_index) */
    size_t info_map_size;

    _Atomic unsigned next;       /* first unclaimed region */
    _Atomic unsigned generation; /* bumped by init, teardown and reset */
} region;

static uint8_t *region_start(unsigned r)
{
    return region.buf + (size_t)r * region.stride;
}

static _Atomic(TranslationBlock *) *region_index(unsigned r)
{
    return region.index + (size_t)r * region.index_cap;
}

/* The region holding @pc, or -1 for guard pages and foreign addresses. */
static int region_of(uintptr_t pc)
{
    uintptr_t base = (uintptr_t)region.buf;
    size_t off, r;

    if (region.buf == NULL || pc < base) {
        return -1;
    }
    off = pc - base;
    r = off / region.stride;
    if (r >= region.n || off % region.stride >= region.region_size) {
        return -1;
    }
    return (int)r;
}

static unsigned current_generation(void)
{
    /*
     * Relaxed: the generation only changes in init/teardown/reset, which
     * are ordered against every caller by the exclusive section (see
     * bump_generation(), the only writer).
     */
    return atomic_load_explicit(&region.generation, memory_order_relaxed);
}

static void bump_generation(void)
{
    unsigned g = current_generation() + 1;

    if (g == 0) {
        g = 1; /* 0 is reserved for never-used cursors */
    }
    /* Relaxed: partner of current_generation(); see the comment there. */
    atomic_store_explicit(&region.generation, g, memory_order_relaxed);
}

static bool cursor_is_current(const TCGRegionCursor *c)
{
    return c->region >= 0 && c->generation == current_generation();
}

static void cursor_drop(TCGRegionCursor *c)
{
    c->ptr = NULL;
    c->end = NULL;
    c->region = -1;
}

/* Record how much of the cursor's region is in use, for tcg_code_size(). */
static void cursor_note_used(const TCGRegionCursor *c)
{
    size_t used = (size_t)(c->ptr - region_start((unsigned)c->region));

    /* Relaxed: statistics only; partner is the load in tcg_code_size(). */
    atomic_store_explicit(&region.info[c->region].used, used,
                          memory_order_relaxed);
}

static void region_unmap(void)
{
    if (region.map_base != NULL) {
        munmap(region.map_base, region.map_len);
    }
    if (region.index != NULL) {
        munmap((void *)region.index, region.index_map_size);
    }
    if (region.info != NULL) {
        munmap(region.info, region.info_map_size);
    }
    region.buf = NULL;
    region.map_base = NULL;
    region.map_len = 0;
    region.huge_len = 0;
    region.index = NULL;
    region.info = NULL;
    region.n = 0;
    region.map_size = 0;
    region.region_size = 0;
    region.stride = 0;
    region.index_cap = 0;
    region.index_map_size = 0;
    region.info_map_size = 0;
}

void tcg_region_teardown(void)
{
    region_unmap();
    /* Relaxed: single-threaded context, see tcg_region_init(). */
    atomic_store_explicit(&region.next, 0, memory_order_relaxed);
    bump_generation();
}

/*
 * Map the code buffer, 2 MiB aligned, its first 2 MiB a huge page if the
 * host allows (see "Start-up pages"); 0 or -errno.  The alignment slack
 * stays mapped (MAP_NORESERVE, never touched) and goes with the buffer.
 */
static int region_map_buffer(void)
{
    /* One spare page after the last guard: the prologue's (see tcg.c). */
    size_t len = region.map_size + region.page_size;
    void *p;

    if (len > SIZE_MAX - REGION_HUGE_SIZE) {
        return -ENOMEM;
    }
    p = mmap(NULL, len + REGION_HUGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) {
        return -errno;
    }
    region.map_base = p;
    region.map_len = len + REGION_HUGE_SIZE;
    region.buf = (uint8_t *)(((uintptr_t)p + REGION_HUGE_SIZE - 1) &
                             ~(uintptr_t)(REGION_HUGE_SIZE - 1));
    region.huge_len = 0;
    if (region.map_size >= REGION_HUGE_SIZE &&
        madvise(region.buf, REGION_HUGE_SIZE, MADV_HUGEPAGE) == 0) {
        region.huge_len = REGION_HUGE_SIZE;
    }
    return 0;
}

/*
 * Protect region @r's guard page on its first claim: 127 mprotect calls
 * up front (each splitting the mapping) cost every start-up ~0.5 ms, and
 * most programs use one or two regions.  Only the owner touches
 * info[r].guarded; a later owner is ordered after this one by the
 * exclusive section of the reset.
 */
static void region_guard(unsigned r)
{
    uint8_t *guard = region_start(r) + region.region_size;

    /* None inside the huge page: the mprotect would split it. */
    if (!region.info[r].guarded && guard >= region.buf + region.huge_len) {
        /* A failure only loses the guard: the highwater checks still hold. */
        (void)mprotect(guard, region.page_size, PROT_NONE);
    }
    region.info[r].guarded = true;
}

/* An anonymous mapping of @bytes rounded up to pages; NULL on failure. */
static void *region_map_zero(size_t bytes, size_t *map_size)
{
    void *p;

    *map_size = (bytes + region.page_size - 1) & ~(region.page_size - 1);
    p = mmap(NULL, *map_size, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

/*
 * Map the TB index and the per-region info; 0 or -errno.  Both are fresh
 * anonymous memory, all zero (a count and a size of 0, not guarded) with
 * no initialising loop: 1000 regions of info are 64 KB, whose 16 pages a
 * loop faulted in at every start-up, while a run touches the info of the
 * few regions it claims.  (A zero-filled atomic size_t is a valid 0: it
 * is lock-free, a plain machine word.)
 */
static int region_map_index(void)
{
    _Static_assert(ATOMIC_LONG_LOCK_FREE == 2 && sizeof(size_t) == sizeof(long),
                   "zero pages are valid atomic counts");
    region.index = region_map_zero((size_t)region.n * region.index_cap *
                                       sizeof(*region.index),
                                   &region.index_map_size);
    if (region.index == NULL) {
        return -errno;
    }
    region.info = region_map_zero((size_t)region.n * sizeof(TCGRegionInfo),
                                  &region.info_map_size);
    if (region.info == NULL) {
        return -errno;
    }
    return 0;
}

int tcg_region_init(size_t buffer_size, size_t region_size)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t n;
    int ret;

    tcg_region_teardown();

    region.page_size = page > 0 ? (size_t)page : 4096;
    if (region_size == 0) {
        region_size = 1;
    }
    if (region_size > SIZE_MAX / 2 - 2 * region.page_size) {
        return -EINVAL;
    }
    region.region_size =
        (region_size + region.page_size - 1) & ~(region.page_size - 1);
    region.stride = region.region_size + region.page_size;

    n = buffer_size / region.stride;
    n = n < 1 ? 1 : n;
    n = n > INT_MAX ? INT_MAX : n; /* cursor->region is an int */
    region.n = (unsigned)n;
    region.map_size = n * region.stride;
    region.index_cap = region.region_size / TCG_TB_MIN_SIZE;

    ret = region_map_buffer();
    if (ret == 0) {
        ret = region_map_index();
    }
    if (ret != 0) {
        region_unmap();
    }
    return ret;
}

bool tcg_region_claim(TCGRegionCursor *c)
{
    unsigned gen = current_generation();
    /* Relaxed: partner is the CAS below; see the file comment on claims. */
    unsigned r = atomic_load_explicit(&region.next, memory_order_relaxed);

    do {
        if (r >= region.n) {
            cursor_drop(c);
            return false;
        }
        /*
         * Relaxed: the CAS only decides who owns region r.  Its partner is
         * the CAS of any concurrent claimer (and the reset's store, which
         * the exclusive section orders).  Never increments past n, so the
         * index cannot wrap however often a full buffer is probed.
         */
    } while (!atomic_compare_exchange_weak_explicit(
        &region.next, &r, r + 1, memory_order_relaxed, memory_order_relaxed));

    region_guard(r);
    c->ptr = region_start(r);
    c->end = c->ptr + region.region_size;
    c->region = (int)r;
    c->generation = gen;
    return true;
}

/* Map region @r's pages up to @upto (and a chunk beyond) in one call. */
static void region_populate(unsigned r, uintptr_t upto)
{
    TCGRegionInfo *in = &region.info[r];
    size_t want = upto - (uintptr_t)region_start(r), to;

    to = (want + REGION_POPULATE_CHUNK - 1) &
         ~(size_t)(REGION_POPULATE_CHUNK - 1);
    if (to > region.region_size) {
        to = region.region_size;
    }
    if (want <= in->populated || to <= in->populated) {
        return;
    }
    /* A failure (an old kernel, no memory now) leaves it to page faults. */
    (void)madvise(region_start(r) + in->populated, to - in->populated,
                  MADV_POPULATE_WRITE);
    in->populated = to;
}

void *tcg_region_alloc(TCGRegionCursor *c, size_t size, size_t align)
{
    uintptr_t p;

    if (align == 0) {
        align = 1;
    }
    assert((align & (align - 1)) == 0 && align <= region.page_size);
    if (region.n == 0 || size > region.region_size) {
        return NULL; /* could never fit, do not waste regions */
    }
    if (!cursor_is_current(c) && !tcg_region_claim(c)) {
        return NULL;
    }

    p = ((uintptr_t)c->ptr + align - 1) & ~(uintptr_t)(align - 1);
    if (p > (uintptr_t)c->end || size > (uintptr_t)c->end - p) {
        if (!tcg_region_claim(c)) {
            return NULL;
        }
        p = (uintptr_t)c->ptr; /* page aligned, hence aligned */
    }
    c->ptr = (uint8_t *)p + size;
    cursor_note_used(c);
    region_populate((unsigned)c->region,
                    (uintptr_t)c->ptr + REGION_POPULATE_AHEAD);
    return (void *)p;
}

size_t tcg_region_room(const TCGRegionCursor *c)
{
    return cursor_is_current(c) ? (size_t)(c->end - c->ptr) : 0;
}

void tcg_region_commit(TCGRegionCursor *c, void *end)
{
    uint8_t *e = end;

    assert(cursor_is_current(c));
    assert(e >= c->ptr && e <= c->end);
    c->ptr = e;
    cursor_note_used(c);
}

void tcg_region_rewind(TCGRegionCursor *c, void *to)
{
    uint8_t *t = to;
    unsigned r = (unsigned)c->region;
    size_t count;

    assert(cursor_is_current(c));
    assert(t >= region_start(r) && t <= c->ptr);

    /* Relaxed: we are the only writer of this count (owner). */
    count = atomic_load_explicit(&region.info[r].count, memory_order_relaxed);
    if (count > 0) {
        TranslationBlock *last = atomic_load_explicit(
            &region_index(r)[count - 1], memory_order_relaxed);
        /* Indexed code must stay: use tcg_tb_remove_last() first. */
        assert((uintptr_t)t >= (uintptr_t)last->tc.ptr + last->tc.size);
        (void)last;
    }
    c->ptr = t;
    cursor_note_used(c);
}

bool tcg_region_handover(TCGRegionCursor *to, TCGRegionCursor *from)
{
    bool move = tcg_region_room(from) > tcg_region_room(to);

    if (move) {
        *to = *from;
    }
    cursor_drop(from);
    return move;
}

void tcg_region_reset_all(void)
{
    /*
     * Relaxed stores throughout: we run in the exclusive section, whose
     * own synchronisation orders them before any later claim, insert or
     * lookup (the partners: the loads in tcg_region_claim() and
     * tcg_tb_lookup()).
     */
    for (unsigned r = 0; r < region.n; r++) {
        atomic_store_explicit(&region.info[r].count, 0, memory_order_relaxed);
        atomic_store_explicit(&region.info[r].used, 0, memory_order_relaxed);
    }
    atomic_store_explicit(&region.next, 0, memory_order_relaxed);
    bump_generation();
}

bool tcg_region_contains(uintptr_t host_pc)
{
    return region_of(host_pc) >= 0;
}

void *tcg_region_base(void)
{
    return region.buf;
}

void *tcg_region_spare_page(void)
{
    return region.buf ? region.buf + region.map_size : NULL;
}

size_t tcg_region_huge_size(void)
{
    return region.huge_len;
}

void tcg_tb_insert(TranslationBlock *tb)
{
    uintptr_t start = (uintptr_t)tb->tc.ptr;
    int r = region_of(start);
    _Atomic(TranslationBlock *) *slots;
    size_t count;

    assert(r >= 0);
    assert(tb->tc.size <=
           (uintptr_t)region_start(r) + region.region_size - start);
    slots = region_index(r);

    /* Relaxed: the owner is the only writer of this count. */
    count = atomic_load_explicit(&region.info[r].count, memory_order_relaxed);
    assert(count < region.index_cap);
    if (count > 0) {
        TranslationBlock *prev =
            atomic_load_explicit(&slots[count - 1], memory_order_relaxed);
        assert((uintptr_t)prev->tc.ptr + prev->tc.size <= start);
        (void)prev;
    }

    /*
     * Release: partner is the acquire load of the slot in tcg_tb_lookup().
     * The count's release below already covers readers that see the new
     * count; this one covers a reader still holding the old count when a
     * slot is reused after tcg_tb_remove_last().
     */
    atomic_store_explicit(&slots[count], tb, memory_order_release);
    /* Release: partner is the acquire load of the count in tcg_tb_lookup(). */
    atomic_store_explicit(&region.info[r].count, count + 1,
                          memory_order_release);
}

void tcg_tb_remove_last(TranslationBlock *tb)
{
    int r = region_of((uintptr_t)tb->tc.ptr);
    size_t count;

    assert(r >= 0);
    /* Relaxed: the owner is the only writer of this count. */
    count = atomic_load_explicit(&region.info[r].count, memory_order_relaxed);
    assert(count > 0);
    assert(atomic_load_explicit(&region_index(r)[count - 1],
                                memory_order_relaxed) == tb);
    /*
     * Release: partner is the acquire load of the count in tcg_tb_lookup().
     * A reader that still sees the old count may return @tb; that is only
     * possible for host PCs of code that was never published, which nobody
     * executes and so nobody looks up.
     */
    atomic_store_explicit(&region.info[r].count, count - 1,
                          memory_order_release);
}

TranslationBlock *tcg_tb_lookup(uintptr_t host_pc)
{
    int r = region_of(host_pc);
    _Atomic(TranslationBlock *) *slots;
    TranslationBlock *tb;
    size_t lo = 0, hi;

    if (r < 0) {
        return NULL;
    }
    slots = region_index(r);
    /* Acquire: partner is the store-release of the count in tcg_tb_insert(). */
    hi = atomic_load_explicit(&region.info[r].count, memory_order_acquire);

    /* Find the last TB with tc.ptr <= host_pc. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        /* Acquire: partner is the slot's store-release in tcg_tb_insert(). */
        tb = atomic_load_explicit(&slots[mid], memory_order_acquire);
        if ((uintptr_t)tb->tc.ptr <= host_pc) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    if (lo == 0) {
        return NULL;
    }
    /* Acquire: as above. */
    tb = atomic_load_explicit(&slots[lo - 1], memory_order_acquire);
    return host_pc - (uintptr_t)tb->tc.ptr < tb->tc.size ? tb : NULL;
}

size_t tcg_code_size(void)
{
    size_t total = 0;

    for (unsigned r = 0; r < region.n; r++) {
        /* Relaxed: partner is the store in cursor_note_used(); stats only. */
        total +=
            atomic_load_explicit(&region.info[r].used, memory_order_relaxed);
    }
    return total;
}

size_t tcg_code_capacity(void)
{
    return (size_t)region.n * region.region_size;
}

unsigned tcg_region_count(void)
{
    return region.n;
}

size_t tcg_tb_count(void)
{
    size_t total = 0;

    for (unsigned r = 0; r < region.n; r++) {
        /* Relaxed: stats only; partner is the count store in tcg_tb_insert(). */
        total +=
            atomic_load_explicit(&region.info[r].count, memory_order_relaxed);
    }
    return total;
}
