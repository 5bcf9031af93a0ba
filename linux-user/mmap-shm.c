/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux-user: System V shared memory attachments (shmat, shmdt).
 *
 * shmat() attaches the host segment over the reservation (SHM_REMAP) at
 * the guest address and sets the pages' flags as for a shared mapping
 * (with PAGE_ALIAS: another attachment can change the code there); a
 * table of attached pieces (guest range, segment start, attachment)
 * lets shmdt() find what to unmap, as Linux finds it in its VMAs.
 * munmap, mmap over a piece and mremap cut pieces through
 * mmap_shm_cut__locked().
 *
 * Locking: everything here is under mmap_lock (mmap.c's design note).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/mmap-priv.h"
#include "linux-user/user.h"

/*
 * What shmdt() needs to know, as Linux finds it in its VMAs: each piece is
 * a run of guest pages [start, end) still mapping one shmat() attachment
 * (@serial), attached at @attach (the address of the segment's first
 * byte: start - attach is the piece's offset in the segment), of a
 * segment of @segsz bytes.  shmat() adds one piece; munmap, mmap over it
 * and mremap cut pieces (splitting one in two when a hole is punched in
 * it).  Under mmap_lock; a forked child inherits the table with the
 * address space (and the host inherits the attachments).
 */
typedef struct ShmPiece {
    uint64_t start, end, attach, segsz, serial;
} ShmPiece;

static ShmPiece *shm_pieces;
static size_t shm_npieces, shm_cap;
static uint64_t shm_serial;

static bool shm_add(ShmPiece p)
{
    if (shm_npieces == shm_cap) {
        size_t cap = shm_cap ? shm_cap * 2 : 16;
        ShmPiece *n = realloc(shm_pieces, cap * sizeof(*n));

        if (n == NULL) {
            return false;
        }
        shm_pieces = n;
        shm_cap = cap;
    }
    shm_pieces[shm_npieces++] = p;
    return true;
}

/**
 * mmap_shm_cut__locked() - [start, end) no longer maps any attachment:
 * cut it out of every piece.
 * Context: mmap_lock held.
 */
void mmap_shm_cut__locked(uint64_t start, uint64_t end)
{
    size_t i = 0;

    while (i < shm_npieces) {
        ShmPiece *p = &shm_pieces[i];

        if (p->end <= start || p->start >= end) {
            i++;
            continue;
        }
        if (p->start < start && p->end > end) {
            /* A hole in the middle: the tail becomes a piece of its own. */
            ShmPiece tail = *p;

            tail.start = end;
            p->end = start;
            if (!shm_add(tail)) {
                fprintf(stderr, "ctcg-riscv64: out of memory for shm\n");
                abort();
            }
            i++;
        } else if (p->start < start) {
            p->end = start;
            i++;
        } else if (p->end > end) {
            p->start = end;
            i++;
        } else {
            *p = shm_pieces[--shm_npieces];
        }
    }
}

/* ------------------------------------------------------------------ */
/* shmat, shmdt */

/* The guest address for a shmat() of @len bytes at @addr (0: placed). */
static int64_t shmat_choose(uint64_t addr, uint64_t len, int shmflg)
{
    uint64_t a;

    if (addr == 0) {
        a = mmap_place__locked(0, len);
        return a == -1ull ? -ENOMEM : (int64_t)a;
    }
    /* Linux: an overflow or an overlap (without SHM_REMAP) is EINVAL. */
    if (addr + len < addr) {
        return -EINVAL;
    }
    if (!(shmflg & TARGET_SHM_REMAP) && addr < guest_space_size &&
        !mmap_range_free__locked(addr, len < guest_space_size - addr
                                           ? len
                                           : guest_space_size - addr)) {
        return -EINVAL;
    }
    return mmap_choose__locked(addr, len, TARGET_MAP_FIXED);
}

/**
 * target_shmat() - map System V segment @shmid into the guest at @addr.
 * @addr: page-aligned guest address (SHM_RND already applied), or 0 to
 *        place it as mmap does
 * @segsz: the segment's size (from IPC_STAT)
 * @shmflg: TARGET_SHM_RDONLY, TARGET_SHM_EXEC, TARGET_SHM_REMAP
 *
 * The host attaches the segment over the reservation (SHM_REMAP) at
 * g2h(addr), readable, and writable unless SHM_RDONLY; the guest pages get
 * PAGE_EXEC with SHM_EXEC (the host mapping never executes).
 * Returns: the guest address, or -errno: EINVAL (overlap without
 * SHM_REMAP), ENOMEM (no room, outside the space), EPERM (below
 * mmap_min_addr), or the host's EACCES, EIDRM, EINVAL.
 */
int64_t target_shmat(int shmid, uint64_t addr, uint64_t segsz, int shmflg)
{
    uint64_t len = TARGET_PAGE_ALIGN(segsz);
    int hflags = shmflg & (TARGET_SHM_RDONLY | TARGET_SHM_EXEC);
    int hprot = shmflg & TARGET_SHM_RDONLY ? PROT_READ : PROT_READ | PROT_WRITE;
    int64_t ret;
    void *p;

    if (segsz == 0 || segsz > guest_space_size) {
        return addr ? -EINVAL : -ENOMEM;
    }
    mmap_lock();
    ret = shmat_choose(addr, len, shmflg);
    if (ret < 0) {
        goto out;
    }
    /* Linux's do_mmap: RLIMIT_AS (shared: not data) */
    if (!mmap_may_expand__locked(ret, len, false)) {
        ret = -ENOMEM;
        goto out;
    }
    /* SHM_EXEC goes to the host for its permission check only. */
    p = (void *)syscall(SYS_shmat, shmid, g2h(ret), hflags | SHM_REMAP);
    if (p == (void *)-1) {
        int err = errno;

        mmap_repair_holes__locked(ret, len);
        ret = -err;
        goto out;
    }
    if ((shmflg & TARGET_SHM_EXEC) && mprotect(p, len, hprot) != 0) {
        int err = errno;

        mmap_reserve__locked(ret, len);
        ret = -err;
        goto out;
    }
    /* Shared memory: other attaches can write it (PAGE_ALIAS, fence.i);
     * over a live mapping (SHM_REMAP) the code there is gone. */
    mmap_set_flags__locked(ret, ret + len,
                           PAGE_VALID | PAGE_READ | PAGE_ALIAS |
                               (shmflg & TARGET_SHM_RDONLY ? 0 : PAGE_WRITE) |
                               (shmflg & TARGET_SHM_EXEC ? PAGE_EXEC : 0),
                           true);
    mmap_shm_cut__locked(ret, ret + len);
    if (!shm_add((ShmPiece){ret, ret + len, ret, segsz, ++shm_serial})) {
        mmap_unmap_range__locked(ret, len);
        ret = -ENOMEM;
    }
out:
    mmap_unlock();
    mmap_log_page("shmat", addr, len, ret);
    return ret;
}

/* The piece shmdt(@addr) starts from (Linux: the lowest VMA whose offset
 * in its segment puts the segment's start at @addr), or NULL. */
static ShmPiece *shmdt_first(uint64_t addr)
{
    ShmPiece *best = NULL;

    for (size_t i = 0; i < shm_npieces; i++) {
        if (shm_pieces[i].attach == addr &&
            (best == NULL || shm_pieces[i].start < best->start)) {
            best = &shm_pieces[i];
        }
    }
    return best;
}

/**
 * target_shmdt() - the guest's shmdt(2), as Linux: unmap the pieces of
 * the attachment whose segment starts at @addr that still lie within the
 * segment's size from it (pieces cut by munmap or mmap included).
 * Returns: 0, or -EINVAL when nothing is attached at @addr.
 */
int target_shmdt(uint64_t addr)
{
    ShmPiece *first;
    uint64_t serial, limit;
    bool more = true;
    int ret = 0;

    if (addr & ~TARGET_PAGE_MASK) {
        return -EINVAL;
    }
    mmap_lock();
    first = shmdt_first(addr);
    if (first == NULL) {
        ret = -EINVAL;
        goto out;
    }
    serial = first->serial;
    limit = addr + TARGET_PAGE_ALIGN(first->segsz);
    mmap_unmap_range__locked(first->start, first->end - first->start);
    while (more) {
        more = false;
        for (size_t i = 0; i < shm_npieces; i++) {
            ShmPiece *p = &shm_pieces[i];

            if (p->serial == serial && p->attach == addr && p->end <= limit) {
                mmap_unmap_range__locked(p->start,
                                         p->end - p->start); /* drops p */
                more = true;
                break;
            }
        }
    }
out:
    mmap_unlock();
    mmap_log_page("shmdt", addr, 0, ret);
    return ret;
}
