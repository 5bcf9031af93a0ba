/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux-user: what mmap.c shares with mmap-shm.c (System V attachments)
 * and mmap-maps.c (/proc/self/maps).  Not for other modules: they use
 * the target_* and mmap_* API in user.h.
 *
 * Locking: functions named __locked need mmap_lock() held (mmap.c's
 * design note); mmap_log_page() and mmap_next_valid_page() need nothing
 * more than their callers hold.
 */
#ifndef LINUX_USER_MMAP_PRIV_H
#define LINUX_USER_MMAP_PRIV_H

#include <stdbool.h>
#include <stdint.h>

/**
 * mmap_set_flags__locked() - set the PAGE_* flags of [start, end).
 * @replaced: the memory behind the pages is new (drops their TBs).
 * Context: mmap_lock held.
 */
void mmap_set_flags__locked(uint64_t start, uint64_t end, int flags,
                            bool replaced);

/**
 * mmap_may_expand__locked() - Linux's may_expand_vm: may the guest map
 * [start, start + len) (start -1: none replaced) within its RLIMIT_AS
 * and, for @data pages, RLIMIT_DATA?
 * Context: mmap_lock held.
 */
bool mmap_may_expand__locked(uint64_t start, uint64_t len, bool data);

/**
 * mmap_range_free__locked() - is no page of [start, start + len) mapped?
 * Context: mmap_lock held.
 */
bool mmap_range_free__locked(uint64_t start, uint64_t len);

/**
 * mmap_place__locked() - where a non-fixed mapping of @len bytes with
 * @hint goes (Linux's top-down placement).
 * Context: mmap_lock held.
 * Returns: the guest address, or -1 when nothing fits.
 */
uint64_t mmap_place__locked(uint64_t hint, uint64_t len);

/**
 * mmap_choose__locked() - the guest address for a mapping: @start when
 * @flags has MAP_FIXED (checked against the space), else placed.
 * Context: mmap_lock held.
 * Returns: the address, or -errno.
 */
int64_t mmap_choose__locked(uint64_t start, uint64_t len, int flags);

/**
 * mmap_reserve__locked() - put the PROT_NONE reservation back over
 * [start, start + len) on the host.
 * Context: mmap_lock held.
 * Returns: 0, or -errno.
 */
int mmap_reserve__locked(uint64_t start, uint64_t len);

/**
 * mmap_repair_holes__locked() - after a failed host mapping over
 * [start, start + len), put the reservation back over the pages the guest
 * had not mapped.
 * Context: mmap_lock held.
 */
void mmap_repair_holes__locked(uint64_t start, uint64_t len);

/**
 * mmap_unmap_range__locked() - unmap [start, start + len) (page aligned,
 * inside the space): flags, TBs, System V pieces and the host mapping.
 * Context: mmap_lock held.
 * Returns: 0, or -errno.
 */
int mmap_unmap_range__locked(uint64_t start, uint64_t len);

/**
 * mmap_shm_cut__locked() - [start, end) no longer maps any System V
 * attachment: cut it out of every piece (mmap-shm.c).
 * Context: mmap_lock held.
 */
void mmap_shm_cut__locked(uint64_t start, uint64_t end);

/** mmap_next_valid_page() - the first mapped page in [start, end), or end. */
uint64_t mmap_next_valid_page(uint64_t start, uint64_t end);

/** mmap_log_page() - log a map change under -d page (free when off). */
void mmap_log_page(const char *what, uint64_t start, uint64_t len, int64_t ret);

/**
 * mmap_in_stack() - is @addr in the initial stack (labelled [stack])?
 * Context: mmap_lock held.
 */
bool mmap_in_stack(uint64_t addr);

/**
 * mmap_is_heap() - does the anonymous area [start, end) touch the brk
 * heap (labelled [heap], Linux's test on the whole area)?
 * Context: mmap_lock held.
 */
bool mmap_is_heap(uint64_t start, uint64_t end);

#endif
