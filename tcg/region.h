/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code buffer regions: where translated code lives, and how to find the
 * TranslationBlock that owns a host PC.
 *
 * The code buffer is split into equal regions.  A translating thread owns
 * at most one region at a time through its TCGRegionCursor and bump-allocates
 * from it without any locking; claiming a fresh region is one lock-free CAS.
 * When no region is left the caller must flush (tb_flush), which runs
 * tcg_region_reset_all() in an exclusive section.  See tcg/region.c for the
 * invariants and the memory-ordering rules.
 */
#ifndef TCG_REGION_H
#define TCG_REGION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel/tcg/tb.h"

/**
 * struct TCGRegionCursor - one thread's allocation point in the code buffer
 * @ptr: next free byte in the current region
 * @end: end of the usable part of the current region (guard page follows)
 * @region: index of the current region, -1 when the cursor holds none
 * @generation: value of the region generation when @region was claimed;
 *              a cursor from an older generation holds nothing (see
 *              tcg_region_reset_all())
 *
 * Embedded in each thread's TCGContext.  Only its thread touches it.
 * Initialise it with TCG_REGION_CURSOR_INIT; an all-zero cursor works too,
 * since generation 0 is never current.
 */
typedef struct TCGRegionCursor {
    uint8_t *ptr;
    uint8_t *end;
    int region;
    unsigned generation;
} TCGRegionCursor;

#define TCG_REGION_CURSOR_INIT \
    ((TCGRegionCursor){.ptr = NULL, .end = NULL, .region = -1, .generation = 0})

/**
 * tcg_region_init() - map the code buffer and split it into regions
 * @buffer_size: total size wanted, guard pages included
 * @region_size: usable bytes per region; rounded up to the host page size
 *
 * Maps one RWX buffer of N * (region_size + page) bytes, N = buffer_size /
 * (region_size + page) but at least 1, with a PROT_NONE guard page after
 * each region, plus the host-PC index of every region.  A previous buffer
 * is torn down first, and every existing cursor becomes stale.
 *
 * Context: process start-up (or tests); no other thread may use the
 * region allocator, the TB index or generated code concurrently.
 * Returns: 0 on success, -errno on failure (-EINVAL for sizes that
 * overflow, or the mmap/mprotect error); on failure no buffer is mapped.
 */
int tcg_region_init(size_t buffer_size, size_t region_size);

/**
 * tcg_region_teardown() - unmap the code buffer and the TB index
 *
 * Safe to call when nothing is mapped.  All cursors become stale.
 *
 * Context: as tcg_region_init().
 */
void tcg_region_teardown(void);

/**
 * tcg_region_claim() - give the cursor a fresh, empty region
 * @c: the calling thread's cursor
 *
 * Whatever room was left in the cursor's previous region is abandoned.
 * Lock-free: one compare-and-swap on the global claim index.
 *
 * Context: any thread, on its own cursor, outside tcg_region_reset_all().
 * Returns: true on success; false when every region is taken, in which case
 * @c holds no region and the caller must flush the code buffer.
 */
bool tcg_region_claim(TCGRegionCursor *c);

/**
 * tcg_region_alloc() - bump-allocate from the cursor's region
 * @c: the calling thread's cursor
 * @size: bytes wanted
 * @align: alignment, a power of two no larger than the page size (0 or 1
 *         for none)
 *
 * Claims a region first if @c holds none or is stale, and claims the next
 * one if the request does not fit in what is left of the current one.
 *
 * Context: any thread, on its own cursor, outside tcg_region_reset_all().
 * Returns: the allocated memory, or NULL if @size can never fit in a region
 * or no region is left (the caller must flush).
 */
void *tcg_region_alloc(TCGRegionCursor *c, size_t size, size_t align);

/**
 * tcg_region_room() - bytes left in the cursor's current region
 * @c: the calling thread's cursor
 *
 * The translator emits code directly at @c->ptr and must stop before this
 * many bytes; if a translation does not fit it rewinds, claims a fresh
 * region and retries.
 *
 * Context: any thread, on its own cursor.
 * Returns: bytes from @c->ptr to the region end; 0 if @c holds no region or
 * is stale.
 */
size_t tcg_region_room(const TCGRegionCursor *c);

/**
 * tcg_region_commit() - account for bytes written directly at @c->ptr
 * @c: the calling thread's cursor, holding a current region
 * @end: one past the last byte used; @c->ptr <= @end <= @c->end
 *
 * Context: any thread, on its own cursor.
 */
void tcg_region_commit(TCGRegionCursor *c, void *end);

/**
 * tcg_region_rewind() - give back the tail of the current region
 * @c: the calling thread's cursor, holding a current region
 * @to: new allocation point, within the current region and <= @c->ptr
 *
 * Used when a translation is discarded (lost race or overflow).  Everything
 * from @to on must not be referenced any more; in particular a TB at or
 * after @to must not be in the TB index (see tcg_tb_remove_last()).
 *
 * Context: any thread, on its own cursor.
 */
void tcg_region_rewind(TCGRegionCursor *c, void *to);

/**
 * tcg_region_handover() - give @from's region to @to if it has more room
 * @to: the cursor that may take the region over
 * @from: a cursor whose owner will never allocate from it again (an
 *        exiting thread's)
 *
 * If @from holds a current region with more room left than @to's, @to
 * drops its region (abandoning its tail, as a claim would) and takes
 * @from's over, TB index included; @from holds nothing afterwards either
 * way.  This keeps the tail of an exiting translator's region in use.
 *
 * Context: the owners of @to and @from are ordered by a lock both take
 * (the caller holds it): @from's last index writes happen before @to's
 * next ones.
 * Returns: true if the region moved.
 */
bool tcg_region_handover(TCGRegionCursor *to, TCGRegionCursor *from);

/**
 * tcg_region_reset_all() - make every region free again (tb_flush)
 *
 * Empties every region's TB index, resets the claim index and bumps the
 * region generation, which makes every existing cursor stale: the next
 * tcg_region_alloc() or tcg_region_claim() on it claims afresh, and
 * tcg_region_room() on it returns 0.  The code bytes themselves are left
 * in place.
 *
 * Context: exclusive section: no other thread runs generated code,
 * allocates, inserts or looks up TBs; the exclusive section's own
 * synchronisation orders this call against everything before and after.
 */
void tcg_region_reset_all(void);

/**
 * tcg_region_contains() - is @host_pc inside a region of the code buffer
 * @host_pc: any host address
 *
 * Context: any thread, including signal handlers.
 * Returns: true if @host_pc lies in the usable part of some region (guard
 * pages excluded), whether or not anything was allocated there.
 */
bool tcg_region_contains(uintptr_t host_pc);

/**
 * tcg_region_base() - start of the code buffer mapping (NULL if none)
 *
 * Context: any thread, after tcg_region_init().
 */
void *tcg_region_base(void);

/**
 * tcg_region_spare_page() - one RWX page mapped right after the code
 * buffer, part of no region (never reset): the prologue's home, close
 * enough for rel32 jumps from every TB.  NULL before tcg_region_init().
 */
void *tcg_region_spare_page(void);

/**
 * tcg_region_huge_size() - bytes at the start of the buffer in a huge page
 *
 * The first 2 MiB of the code buffer (2 MiB aligned) are advised as one
 * transparent huge page when the buffer is that large and the host takes
 * MADV_HUGEPAGE; the regions inside have no guard page.
 *
 * Context: any thread, after tcg_region_init().
 * Returns: 2 MiB, or 0 (no buffer, a smaller one, or THP refused).
 */
size_t tcg_region_huge_size(void);

/**
 * tcg_tb_insert() - add a TB to the host-PC index of its region
 * @tb: a TB whose tc.ptr and tc.size are final
 *
 * The TB must start above the end of the code of every TB already in the
 * index of its region, which bump allocation gives for free.  Insert a TB
 * before publishing it to other threads, so that a fault inside its code
 * can always be resolved.
 *
 * Context: only the thread whose cursor owns the region of @tb->tc.ptr.
 */
void tcg_tb_insert(TranslationBlock *tb);

/**
 * tcg_tb_remove_last() - undo the last tcg_tb_insert() in a region
 * @tb: the TB most recently inserted in its region
 *
 * For a TB that lost a translation race after being inserted: remove it,
 * then rewind the cursor to it.
 *
 * Context: as tcg_tb_insert().
 */
void tcg_tb_remove_last(TranslationBlock *tb);

/**
 * tcg_tb_lookup() - find the TB whose code contains a host PC
 * @host_pc: any host address
 *
 * Context: any thread, including signal handlers; lock-free and
 * async-signal-safe.
 * Returns: the TB with tc.ptr <= @host_pc < tc.ptr + tc.size, or NULL.
 */
TranslationBlock *tcg_tb_lookup(uintptr_t host_pc);

/**
 * tcg_code_size() - bytes handed out in all regions
 *
 * Context: any thread; approximate while other threads allocate.
 * Returns: the sum over claimed regions of the bytes allocated or committed.
 */
size_t tcg_code_size(void);

/**
 * tcg_code_capacity() - usable bytes of the code buffer
 *
 * Context: any thread.
 * Returns: region count times region size (guard pages excluded).
 */
size_t tcg_code_capacity(void);

/**
 * tcg_region_count() - number of regions
 *
 * Context: any thread.
 * Returns: the number of regions, 0 when no buffer is mapped.
 */
unsigned tcg_region_count(void);

/**
 * tcg_tb_count() - TBs in the host-PC index
 *
 * Context: any thread; approximate while other threads insert.
 * Returns: the number of TBs inserted since the last reset.
 */
size_t tcg_tb_count(void);

#endif
