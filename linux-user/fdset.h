/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FdSet: one bit per guest file descriptor below FDSET_MAX, for the fds
 * that the syscall layer treats specially (signalfds, whose records it
 * converts; /proc/self/mem files, whose offsets it translates).
 *
 * Written by the syscalls that make, dup or close such fds; read by any
 * thread.  Relaxed atomics throughout: the guest itself orders the call
 * that made an fd before any use of it in another thread, so the bit only
 * has to be atomic, not to publish anything.  fork copies the set with the
 * address space, as the fds are copied.
 */
#ifndef LINUX_USER_FDSET_H
#define LINUX_USER_FDSET_H

#include <stdbool.h>
#include <stdint.h>

#define FDSET_MAX (1 << 20)

typedef struct FdSet {
    uint64_t bits[FDSET_MAX / 64];
} FdSet;

/* Set (@on) or clear the bit of @fd; fds past FDSET_MAX are ignored. */
static inline void fdset_note(FdSet *s, int fd, bool on)
{
    uint64_t bit;

    if (fd < 0 || fd >= FDSET_MAX) {
        return;
    }
    bit = 1ull << (fd % 64);
    /* Relaxed: pairs with the load in fdset_has(); see the file comment. */
    if (on) {
        __atomic_fetch_or(&s->bits[fd / 64], bit, __ATOMIC_RELAXED);
    } else if (__atomic_load_n(&s->bits[fd / 64], __ATOMIC_RELAXED) & bit) {
        __atomic_fetch_and(&s->bits[fd / 64], ~bit, __ATOMIC_RELAXED);
    }
}

/* Is @fd's bit set? */
static inline bool fdset_has(const FdSet *s, int fd)
{
    /* Relaxed: pairs with the updates in fdset_note(). */
    return fd >= 0 && fd < FDSET_MAX &&
           (__atomic_load_n(&s->bits[fd / 64], __ATOMIC_RELAXED) &
            (1ull << (fd % 64)));
}

/* Clear the bits of [@lo, @hi] (close_range). */
static inline void fdset_clear_range(FdSet *s, unsigned lo, unsigned hi)
{
    for (uint64_t fd = lo; fd <= hi && fd < FDSET_MAX;) {
        if (fd % 64 == 0 && hi - fd >= 63) {
            /* Relaxed: as in fdset_note(). */
            if (__atomic_load_n(&s->bits[fd / 64], __ATOMIC_RELAXED)) {
                __atomic_store_n(&s->bits[fd / 64], 0, __ATOMIC_RELAXED);
            }
            fd += 64;
        } else {
            fdset_note(s, (int)fd, false);
            fd++;
        }
    }
}

#endif
