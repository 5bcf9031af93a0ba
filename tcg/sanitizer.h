/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sanitizer builds (ASan, TSan, LSan with ASan): one place that says
 * whether this build has one, and LeakSanitizer root regions.
 *
 * CTCG_SANITIZED is 1 in a build with AddressSanitizer or
 * ThreadSanitizer (gcc's __SANITIZE_* macros, clang's __has_feature).
 *
 * Memory ctcg maps itself (mmap, not malloc: fresh zero pages, no heap
 * to clear) is not scanned by LeakSanitizer, so heap blocks that only
 * such memory points to (the leaves of mmap.c's page table, what a
 * TCGContext holds) were reported as leaks at exit.  ctcg_lsan_root()
 * makes a mapping a root region, ctcg_lsan_unroot() undoes it before the
 * munmap; both are nothing outside ASan builds.
 */
#ifndef TCG_SANITIZER_H
#define TCG_SANITIZER_H

#include <stddef.h>

#if defined(__SANITIZE_THREAD__) || defined(__SANITIZE_ADDRESS__)
#define CTCG_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(address_sanitizer)
#define CTCG_SANITIZED 1
#endif
#endif

#if defined(__SANITIZE_ADDRESS__)
#define CTCG_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CTCG_LSAN 1
#endif
#endif

#ifdef CTCG_LSAN
#include <sanitizer/lsan_interface.h>
#endif

/* ctcg_lsan_root() - LeakSanitizer scans [@p, @p + @n) for pointers. */
static inline void ctcg_lsan_root(const void *p, size_t n)
{
#ifdef CTCG_LSAN
    __lsan_register_root_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}

/* ctcg_lsan_unroot() - undo ctcg_lsan_root(@p, @n) (before munmap). */
static inline void ctcg_lsan_unroot(const void *p, size_t n)
{
#ifdef CTCG_LSAN
    __lsan_unregister_root_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}

#endif
