/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux-user: the guest memory map.
 *
 * Design
 * ------
 * The whole guest address space [0, guest_space_size) is one host mapping
 * made by guest_space_init(): PROT_NONE, MAP_NORESERVE, so it costs no
 * memory.  guest_space_size is a power of two (the generated code checks
 * addresses with one mask test); the default is 2^38 = 256 GiB, the user
 * address space of a riscv64 Linux kernel with Sv39 (TASK_SIZE), so the
 * stack top, the mmap base and ELF_ET_DYN_BASE fall where a real kernel
 * puts them.  Guest mappings are host mmap(MAP_FIXED) calls *inside* the
 * reservation; unmapping puts the PROT_NONE reservation back.  The host
 * reservation is never unmapped, so no host allocation can ever land inside
 * the guest space and nothing the guest does reaches host memory.  It has
 * TCG_GUEST_GUARD bytes more on each side (PROT_NONE, outside the guest
 * space, so never mapped): generated code checks only the base register
 * of an access and adds the displacement (|imm| <= 2048) in the host
 * address, and an access that leaves the space that way faults in a guard
 * (a guest SIGSEGV at the wrapped 64-bit address, cpu-exec.c).
 *
 * Page flags
 * ----------
 * Each guest page has one byte of PAGE_* flags in a two-level table:
 * page_l1[] has one pointer per 4096 pages (16 MiB of guest space) to a
 * PageLeaf allocated on first use, holding the flag bytes and the count of
 * PAGE_VALID pages in it.  A page is mapped iff PAGE_VALID is set.  The
 * table is what placement searches (empty and full leaves are skipped
 * whole).  PAGE_ALIAS marks memory that another mapping or the file can
 * change (fence.i drops its TBs too), PAGE_GROWSDOWN the pages of a
 * MAP_GROWSDOWN mapping (it grows on a fault below it, mmap_grow_stack).
 * Every byte value is now in use.
 * PAGE_READ/WRITE/EXEC are the guest's protection; the host protection is
 * read (for read or exec) and write, never exec: guest code is only read
 * by the translator.
 *
 * System V shared memory attachments are in mmap-shm.c, the guest's
 * /proc/self/maps in mmap-maps.c; mmap-priv.h is what they share with
 * this file (functions named __locked need mmap_lock held).
 *
 * Placement
 * ---------
 * As Linux's top-down allocator: a free hint is honoured, otherwise the
 * highest free range below mmap_base (guest_space_size minus the stack
 * gap, clamped to [128 MiB, 5/6 of the space]), otherwise the highest free
 * range anywhere.  Nothing below MMAP_MIN_ADDR is handed out.  The initial
 * stack (a MAP_GROWSDOWN mapping at the top) and the brk heap are
 * remembered only to label them in dump_guest_maps().  A MAP_GROWSDOWN
 * mapping grows down when a guest access faults below it
 * (mmap_grow_stack, called from cpu_loop).
 *
 * Locking
 * -------
 * Every change to the map (host mappings in the reservation, page flags,
 * brk, stack range) is made under mmap_lock(), a recursive per-thread
 * count over one mutex; the public functions here take it themselves.
 * page_get_flags() and page_check_range() may also be called without it
 * and then see each page's flags as of some moment: leaves are published
 * with a release store and never freed, flag bytes are accessed
 * atomically.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/mmap-priv.h"
#include "linux-user/user.h"
#include "tcg/sanitizer.h"
#include "tcg/log.h"

#define MMAP_MIN_ADDR 0x10000ull    /* Linux's vm.mmap_min_addr */
#define MMAP_MIN_GAP (128ull << 20) /* stack gap bounds, as Linux */
#define STACK_GUARD_GAP (256ull << TARGET_PAGE_BITS)
#define DEFAULT_STACK_SIZE (8ull << 20)

#define L2_BITS 12
#define L2_SIZE (1u << L2_BITS)

typedef struct PageLeaf {
    uint32_t nvalid; /* pages with PAGE_VALID (under mmap_lock) */
    uint8_t flags[L2_SIZE];
} PageLeaf;

uint64_t guest_space_size;

static PageLeaf **page_l1;
static size_t page_l1_size;
static uint64_t mmap_base;
static uint64_t brk_start, brk_cur;
/* Linux's end_data - start_data, for brk's check_data_rlimit */
static uint64_t brk_data_size;
static uint64_t stack_lo, stack_hi; /* the initial stack, for [stack] */

static pthread_mutex_t mmap_mutex = PTHREAD_MUTEX_INITIALIZER;
static __thread unsigned mmap_lock_count;

/* Kernel-write pins: see mmap_pin_kernel_write. */
#define KW_PINS_MAX 64

typedef struct KernelWritePin {
    uint64_t start, end;
    const void *owner; /* the pinning thread's &kw_held */
    bool skipped;      /* a protection was skipped: drop TBs at unpin */
} KernelWritePin;

static KernelWritePin kw_pins[KW_PINS_MAX]; /* [mmap_lock] */
static unsigned kw_npins;                   /* [mmap_lock] */
__thread unsigned kw_held;                  /* pins this thread holds */


/* ------------------------------------------------------------------ */
/* Locking */

void mmap_lock(void)
{
    if (mmap_lock_count++ == 0) {
        pthread_mutex_lock(&mmap_mutex);
    }
}

void mmap_unlock(void)
{
    if (mmap_lock_count == 0) {
        abort();
    }
    if (--mmap_lock_count == 0) {
        pthread_mutex_unlock(&mmap_mutex);
    }
}

/**
 * mmap_fork_start() - take the map lock around fork(), so the child does
 * not inherit it held by a thread that does not exist there.
 * Context: not holding mmap_lock.
 */
void mmap_fork_start(void)
{
    if (mmap_lock_count) {
        abort();
    }
    pthread_mutex_lock(&mmap_mutex);
}

/** mmap_fork_end() - after fork(): @child is true in the child. */
void mmap_fork_end(bool child)
{
    if (child) {
        /* The other threads' pins: their syscalls are not in the child. */
        for (unsigned i = 0; i < kw_npins;) {
            if (kw_pins[i].owner != &kw_held) {
                kw_pins[i] = kw_pins[--kw_npins];
            } else {
                i++;
            }
        }
    }
    /* Taken by the forking thread, which the child's only thread is (a
     * normal mutex has no owner check): unlocked in both. */
    pthread_mutex_unlock(&mmap_mutex);
}

/* ------------------------------------------------------------------ */
/* Page flags */

static PageLeaf *leaf_get(uint64_t page)
{
    return __atomic_load_n(&page_l1[page >> L2_BITS], __ATOMIC_ACQUIRE);
}

static PageLeaf *leaf_alloc(uint64_t page)
{
    PageLeaf *l = leaf_get(page);

    if (l == NULL) {
        l = calloc(1, sizeof(*l));
        if (l == NULL) {
            tcg_out_of_memory("page flags");
        }
        __atomic_store_n(&page_l1[page >> L2_BITS], l, __ATOMIC_RELEASE);
    }
    return l;
}

/**
 * page_get_flags() - the PAGE_* flags of the guest page holding @addr.
 * Returns: the flags, 0 for an unmapped page or one outside the space.
 */
uint64_t smc_pages_protected, smc_faults; /* atomic, TCG_STATS */
/* Thread stacks' top pages populated (stack_top_populate), atomic. */
static uint64_t stack_tops_populated;

/*
 * Self-modifying code without fence.i (as QEMU linux-user): a guest page
 * that is writable and from which code is translated is write-protected
 * on the host before the translator reads it (PAGE_WRITE becomes
 * PAGE_WRITE_ORG).  A guest store to it faults; page_unprotect() then
 * restores write access and invalidates the page's TBs, and the store is
 * retried.  Protection happens in the fetch check, before any code byte
 * of the page is read, so a write after it always faults.
 */
static int flags_host_prot(int f)
{
    return (f & (PAGE_READ | PAGE_EXEC) ? PROT_READ : 0) |
           (f & PAGE_WRITE ? PROT_WRITE : 0);
}

/*
 * Guest pages mapped, and of those the data pages (Linux's data_vm:
 * private, writable, not the stack; PAGE_ALIAS stands for shared), kept
 * by mmap_set_flags__locked for RLIMIT_AS and RLIMIT_DATA
 * (mmap_may_expand__locked).  mmap_lock.
 */
static uint64_t vm_pages, vm_data_pages;
/* The guest's soft RLIMIT_AS and RLIMIT_DATA and hard RLIMIT_DATA
 * (mmap_set_rlimits). */
static uint64_t rlim_as = RLIM64_INFINITY, rlim_data = RLIM64_INFINITY;
static uint64_t rlim_data_max = RLIM64_INFINITY;

void mmap_set_rlimits(uint64_t as, uint64_t data, uint64_t data_max)
{
    mmap_lock();
    rlim_as = as;
    rlim_data = data;
    rlim_data_max = data_max;
    mmap_unlock();
}

static bool page_is_data(uint8_t f)
{
    return (f & PAGE_VALID) && (f & (PAGE_WRITE | PAGE_WRITE_ORG)) &&
           !(f & (PAGE_ALIAS | PAGE_GROWSDOWN));
}

/* Count page flags @f coming (@sign 1) or going (-1). */
static void vm_account(uint8_t f, int sign)
{
    if (f & PAGE_VALID) {
        vm_pages += (uint64_t)(int64_t)sign;
    }
    if (page_is_data(f)) {
        vm_data_pages += (uint64_t)(int64_t)sign;
    }
}

static void page_set_one__locked(uint64_t page_addr, int f)
{
    PageLeaf *l = leaf_get(page_addr >> TARGET_PAGE_BITS);

    if (l) {
        __atomic_store_n(
            &l->flags[(page_addr >> TARGET_PAGE_BITS) & (L2_SIZE - 1)],
            (uint8_t)f, __ATOMIC_RELEASE);
    }
}

/*
 * Kernel-write pins.  A syscall hands the host kernel a guest buffer it
 * may write (read(2), clock_gettime...).  If that buffer is on a code
 * page, the check before the syscall unprotects it -- but another thread
 * translating from the page could protect it again before the kernel
 * writes, which then fails with EFAULT where Linux succeeds.  So the
 * syscall layer pins such a range (mmap_pin_kernel_write) for the rest of
 * the syscall: page_protect_for_code leaves pinned pages writable and
 * notes it, and when the syscall ends (mmap_unpin_kernel_writes) the TBs
 * of a pin that skipped a protection are dropped: the kernel may have
 * written there after they were translated.  While a pin lasts, stores
 * of other threads to the page go unseen (as on a hart without fence.i);
 * fence.i still drops its TBs.  Only writable code pages are pinned, so
 * other syscalls never take mmap_lock for it.
 */
/* Is @page_addr pinned?  Notes the skipped protection.  mmap_lock held. */
static bool kw_pinned__locked(uint64_t page_addr)
{
    bool pinned = false;

    for (unsigned i = 0; i < kw_npins; i++) {
        if (page_addr >= kw_pins[i].start && page_addr < kw_pins[i].end) {
            kw_pins[i].skipped = true;
            pinned = true;
        }
    }
    return pinned;
}

void mmap_pin_kernel_write(uint64_t start, uint64_t len)
{
    uint64_t end = TARGET_PAGE_ALIGN(start + len);

    start &= TARGET_PAGE_MASK;
    mmap_lock();
    if (kw_npins < KW_PINS_MAX) {
        kw_pins[kw_npins++] = (KernelWritePin){start, end, &kw_held, false};
        kw_held++;
    }
    /* Pinned first: nothing can protect these pages again after this. */
    for (uint64_t a = start; a < end; a += TARGET_PAGE_SIZE) {
        int f = page_get_flags(a);

        if ((f & PAGE_WRITE_ORG) && !(f & PAGE_WRITE)) {
            page_unprotect(a);
        }
    }
    mmap_unlock();
}

void mmap_unpin_kernel_writes(void)
{
    mmap_lock();
    for (unsigned i = 0; i < kw_npins;) {
        KernelWritePin pin = kw_pins[i];

        if (pin.owner != &kw_held) {
            i++;
            continue;
        }
        kw_pins[i] = kw_pins[--kw_npins];
        if (pin.skipped) {
            tb_invalidate_range(pin.start, pin.end, TB_INVAL_SMC);
        }
    }
    kw_held = 0;
    mmap_unlock();
}

static void page_protect_for_code(uint64_t page_addr)
{
    int f;

    mmap_lock();
    f = page_get_flags(page_addr);
    if ((f & PAGE_VALID) && (f & PAGE_WRITE) && !kw_pinned__locked(page_addr) &&
        mprotect(g2h(page_addr), TARGET_PAGE_SIZE,
                 flags_host_prot(f & ~PAGE_WRITE)) == 0) {
        page_set_one__locked(page_addr, (f & ~PAGE_WRITE) | PAGE_WRITE_ORG);
        __atomic_fetch_add(&smc_pages_protected, 1, __ATOMIC_RELAXED);
    }
    mmap_unlock();
}

void smc_dump_stats(FILE *f)
{
    fprintf(f,
            "TCG_STATS code pages write-protected %llu, stores that hit "
            "them %llu\n",
            (unsigned long long)smc_pages_protected,
            (unsigned long long)smc_faults);
    fprintf(f, "TCG_STATS thread stack tops populated %llu\n",
            (unsigned long long)__atomic_load_n(&stack_tops_populated,
                                                __ATOMIC_RELAXED));
}

int page_unprotect(uint64_t addr)
{
    uint64_t page_addr = addr & TARGET_PAGE_MASK;
    int f, ret = 0;

    if (addr >= guest_space_size) {
        return 0;
    }
    mmap_lock();
    f = page_get_flags(page_addr);
    if ((f & PAGE_VALID) && (f & PAGE_WRITE)) {
        ret = 1; /* another thread got there first: just retry */
    } else if ((f & PAGE_VALID) && (f & PAGE_WRITE_ORG) &&
               mprotect(g2h(page_addr), TARGET_PAGE_SIZE,
                        flags_host_prot(f | PAGE_WRITE)) == 0) {
        page_set_one__locked(page_addr, (f | PAGE_WRITE) & ~PAGE_WRITE_ORG);
        tb_invalidate_range(page_addr, page_addr + TARGET_PAGE_SIZE,
                            TB_INVAL_SMC);
        __atomic_fetch_add(&smc_faults, 1, __ATOMIC_RELAXED);
        ret = 2;
    }
    mmap_unlock();
    return ret;
}

/* translator_fetch_check hook: may the guest execute [addr, addr+len)? */
bool guest_code_fetch_ok(uint64_t addr, size_t len)
{
    uint64_t end = addr + len;

    if (end < addr || end > guest_space_size) {
        return false;
    }
    for (uint64_t a = addr & TARGET_PAGE_MASK; a < end; a += TARGET_PAGE_SIZE) {
        int f = page_get_flags(a);

        if (!(f & PAGE_VALID) || !(f & PAGE_EXEC)) {
            return false;
        }
        if (f & PAGE_WRITE) {
            page_protect_for_code(a);
        }
    }
    return true;
}

/*
 * tb_page_writable hook (fence.i, riscv_flush_icache): may the code on
 * this page have been changed by a store -- through this mapping (it is
 * writable) or through another one (PAGE_ALIAS)?  Lock-free.
 */
bool riscv_page_writable(uint64_t addr)
{
    return (page_get_flags(addr) &
            (PAGE_WRITE | PAGE_WRITE_ORG | PAGE_ALIAS)) != 0;
}

/*
 * Does [@addr, @addr + @len) hold a page the guest may write and from which
 * code is or may be translated (PAGE_WRITE_ORG, or PAGE_WRITE with
 * PAGE_EXEC)?  Lock-free, as page_get_flags().  Leaves never allocated
 * are skipped whole, so a huge range (a guest read() of 2^37 bytes) costs
 * the leaves that exist, not one step per page.
 */
bool page_range_writable_code(uint64_t addr, uint64_t len)
{
    uint64_t end = addr + len < addr ? guest_space_size : addr + len;

    if (page_l1 == NULL || len == 0) {
        return false;
    }
    end = end < guest_space_size ? end : guest_space_size;
    for (uint64_t page = addr >> TARGET_PAGE_BITS;
         page < TARGET_PAGE_ALIGN(end) >> TARGET_PAGE_BITS; page++) {
        PageLeaf *l = leaf_get(page);
        int f;

        if (l == NULL) {
            page |= L2_SIZE - 1; /* no page here was ever mapped */
            continue;
        }
        f = __atomic_load_n(&l->flags[page & (L2_SIZE - 1)], __ATOMIC_RELAXED);
        if ((f & PAGE_WRITE_ORG) || ((f & PAGE_WRITE) && (f & PAGE_EXEC))) {
            return true;
        }
    }
    return false;
}

int page_get_flags(uint64_t addr)
{
    uint64_t page = addr >> TARGET_PAGE_BITS;
    PageLeaf *l;

    if (page_l1 == NULL || addr >= guest_space_size) {
        return 0;
    }
    l = leaf_get(page);
    if (l == NULL) {
        return 0;
    }
    return __atomic_load_n(&l->flags[page & (L2_SIZE - 1)], __ATOMIC_RELAXED);
}

/*
 * Set the flags of [@start, @end) to @flags (0 without PAGE_VALID).  The
 * TBs of pages that held code are dropped when the flags change -- or
 * always, with @replaced: the memory behind the pages is new (mmap over
 * a live mapping, the destination of mremap, madvise).
 */
void mmap_set_flags__locked(uint64_t start, uint64_t end, int flags,
                            bool replaced)
{
    uint64_t page = start >> TARGET_PAGE_BITS;
    uint64_t last = TARGET_PAGE_ALIGN(end) >> TARGET_PAGE_BITS;
    uint8_t f = (flags & PAGE_VALID) ? (uint8_t)flags : 0;
    bool code_changed = false;

    if (end > guest_space_size || start >= end) {
        return;
    }
    for (; page < last; page++) {
        PageLeaf *l = f ? leaf_alloc(page) : leaf_get(page);
        uint8_t *p;

        if (l == NULL) {
            /* Nothing mapped in this leaf: skip to the next one. */
            page |= L2_SIZE - 1;
            continue;
        }
        p = &l->flags[page & (L2_SIZE - 1)];
        /* Translated code can only come from executable pages. */
        code_changed |= (*p & PAGE_EXEC) && (replaced || *p != f);
        if (!(*p & PAGE_VALID) && f) {
            l->nvalid++;
        } else if ((*p & PAGE_VALID) && !f) {
            l->nvalid--;
        }
        vm_account(*p, -1);
        vm_account(f, 1);
        __atomic_store_n(p, f, __ATOMIC_RELAXED);
    }
    if (code_changed) {
        /*
         * The pages held code and now hold something else, or may be
         * written: drop their translations (mmap, munmap, mremap,
         * mprotect and madvise all come through here with mmap_lock held).
         */
        tb_invalidate_range(
            start, end, f && !replaced ? TB_INVAL_MPROTECT : TB_INVAL_MUNMAP);
    }
}

/* Mapped pages in [@start, @end) (page aligned, inside the space). */
static uint64_t valid_pages__locked(uint64_t start, uint64_t end)
{
    uint64_t n = 0;

    for (uint64_t page = start >> TARGET_PAGE_BITS;
         page < end >> TARGET_PAGE_BITS; page++) {
        PageLeaf *l = leaf_get(page);

        if (l == NULL || l->nvalid == 0) {
            page |= L2_SIZE - 1; /* nothing mapped in this leaf */
            continue;
        }
        n += (l->flags[page & (L2_SIZE - 1)] & PAGE_VALID) != 0;
    }
    return n;
}

/*
 * Linux's may_expand_vm(): may the guest map [@start, @start + @len) (page
 * aligned; the pages already mapped there are replaced, not added; @start
 * -1 for none) as data pages (@data) or not, within its RLIMIT_AS and
 * RLIMIT_DATA?  syscall-proc.c keeps them and tells mmap_set_rlimits():
 * the host's limits are ctcg's, not the guest's.  mmap_lock held.
 */
bool mmap_may_expand__locked(uint64_t start, uint64_t len, bool data)
{
    uint64_t as = rlim_as, dl = data ? rlim_data : RLIM64_INFINITY;
    uint64_t add = len >> TARGET_PAGE_BITS;

    if (dl == 0) {
        dl = rlim_data_max; /* Linux's exception for Valgrind: soft 0 */
    }

    if (as == RLIM64_INFINITY && dl == RLIM64_INFINITY) {
        return true;
    }
    if (start != -1ull) {
        add -= valid_pages__locked(start, start + len);
    }
    if (as != RLIM64_INFINITY && vm_pages + add > as >> TARGET_PAGE_BITS) {
        return false;
    }
    return dl == RLIM64_INFINITY ||
           vm_data_pages + add <= dl >> TARGET_PAGE_BITS;
}

/**
 * page_set_flags() - set the flags of the pages of [@start, @end) to
 * @flags; without PAGE_VALID they become unmapped (0).
 * Context: mmap_lock held; the range inside the guest space.
 */
void page_set_flags(uint64_t start, uint64_t end, int flags)
{
    mmap_set_flags__locked(start, end, flags, false);
}

void mmap_contents_changed(uint64_t start, uint64_t len)
{
    bool code = false;

    if (!guest_range_valid(start, len)) {
        return;
    }
    mmap_lock();
    for (uint64_t a = start & TARGET_PAGE_MASK; a < start + len && !code;
         a += TARGET_PAGE_SIZE) {
        code = page_get_flags(a) & PAGE_EXEC;
    }
    if (code) {
        tb_invalidate_range(start, start + len, TB_INVAL_MUNMAP);
    }
    mmap_unlock();
}

/* Replace the protection bits, keeping what the mapping is. */
static void page_set_prot(uint64_t start, uint64_t end, int pflags)
{
    const int keep = PAGE_VALID | PAGE_ANON | PAGE_ALIAS | PAGE_GROWSDOWN;

    for (uint64_t a = start; a < end; a += TARGET_PAGE_SIZE) {
        int old = page_get_flags(a);

        page_set_flags(a, a + TARGET_PAGE_SIZE, (old & keep) | pflags);
    }
}

/**
 * page_check_range() - are all pages of [@start, @start + @len) mapped
 * with all of @flags?  PAGE_WRITE_ORG counts as PAGE_WRITE.
 * Returns: true if so (also for @len 0 inside the space).
 */
bool page_check_range(uint64_t start, uint64_t len, int flags)
{
    uint64_t a, end;

    if (!guest_range_valid(start, len)) {
        return false;
    }
    end = start + len;
    for (a = start & TARGET_PAGE_MASK; a < end; a += TARGET_PAGE_SIZE) {
        int f = page_get_flags(a);

        if (f & PAGE_WRITE_ORG) {
            f |= PAGE_WRITE;
        }
        if (!(f & PAGE_VALID) || (f & flags) != flags) {
            return false;
        }
    }
    return true;
}

/*
 * The highest mapped page in [start, end) (page aligned), skipping empty
 * leaves whole.  Returns: its address, or -1 if the range is free.
 */
static uint64_t last_used_page(uint64_t start, uint64_t end)
{
    uint64_t page = end >> TARGET_PAGE_BITS;
    uint64_t first = start >> TARGET_PAGE_BITS;

    while (page > first) {
        PageLeaf *l = leaf_get(page - 1);

        if (l == NULL || l->nvalid == 0) {
            page = (page - 1) & ~(uint64_t)(L2_SIZE - 1);
            continue;
        }
        page--;
        if (l->flags[page & (L2_SIZE - 1)] & PAGE_VALID) {
            return page << TARGET_PAGE_BITS;
        }
    }
    return -1ull;
}

/*
 * The lowest page of the run of mapped pages that ends with the mapped
 * page at @addr, skipping full leaves whole: a placement that meets a
 * mapped page jumps below the whole run (thousands of thread stacks side
 * by side), instead of one page per step.
 */
static uint64_t used_run_start(uint64_t addr)
{
    uint64_t page = addr >> TARGET_PAGE_BITS;

    while (page > 0) {
        PageLeaf *l = leaf_get(page - 1);

        if (l == NULL || l->nvalid == 0) {
            break;
        }
        if (l->nvalid == L2_SIZE) {
            page = (page - 1) & ~(uint64_t)(L2_SIZE - 1);
            continue;
        }
        if (!(l->flags[(page - 1) & (L2_SIZE - 1)] & PAGE_VALID)) {
            break;
        }
        page--;
    }
    return page << TARGET_PAGE_BITS;
}

bool mmap_range_free__locked(uint64_t start, uint64_t len)
{
    return last_used_page(start, start + len) == -1ull;
}

/*
 * The highest @align-aligned address a with lo <= a, a + len <= hi and
 * [a, a + len) free.  Returns: a, or -1.
 */
static uint64_t find_free_topdown(uint64_t lo, uint64_t hi, uint64_t len,
                                  uint64_t align)
{
    uint64_t end = hi;

    while (end >= len && end - len >= lo) {
        uint64_t a = (end - len) & ~(align - 1);
        uint64_t used;

        if (a < lo) {
            break;
        }
        used = last_used_page(a, a + len);
        if (used == -1ull) {
            return a;
        }
        end = used_run_start(used);
    }
    return -1ull;
}

/* Where a non-fixed mapping of @len bytes with @hint goes, or -1. */
uint64_t mmap_place__locked(uint64_t hint, uint64_t len)
{
    uint64_t a;

    if (hint) {
        hint = TARGET_PAGE_ALIGN(hint);
        if (hint >= MMAP_MIN_ADDR && guest_range_valid(hint, len) &&
            mmap_range_free__locked(hint, len)) {
            return hint;
        }
    }
    a = find_free_topdown(MMAP_MIN_ADDR, mmap_base, len, TARGET_PAGE_SIZE);
    if (a == -1ull) {
        a = find_free_topdown(MMAP_MIN_ADDR, guest_space_size, len,
                              TARGET_PAGE_SIZE);
    }
    return a;
}

/* ------------------------------------------------------------------ */
/* The host side */

/* Put the PROT_NONE reservation back over [start, start + len). */
int mmap_reserve__locked(uint64_t start, uint64_t len)
{
    void *p =
        mmap(g2h(start), len, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

    return p == MAP_FAILED ? -errno : 0;
}

/*
 * After a failed host mmap(MAP_FIXED) or mremap() the host may have
 * removed what was there: put the reservation back over every page that
 * is no longer mapped on the host, and forget its guest mapping.  msync()
 * fails with ENOMEM exactly when a range holds unmapped pages, so the
 * holes are found by bisection.
 */
void mmap_repair_holes__locked(uint64_t start, uint64_t len)
{
    uint64_t half;

    if (len == 0 || msync(g2h(start), len, MS_ASYNC) == 0 || errno != ENOMEM) {
        return;
    }
    if (len <= TARGET_PAGE_SIZE) {
        mmap_reserve__locked(start, TARGET_PAGE_SIZE);
        page_set_flags(start, start + TARGET_PAGE_SIZE, 0);
        return;
    }
    half = (len / 2) & TARGET_PAGE_MASK;
    mmap_repair_holes__locked(start, half);
    mmap_repair_holes__locked(start + half, len - half);
}

static int host_prot(int prot)
{
    int p = PROT_NONE;

    if (prot & (TARGET_PROT_READ | TARGET_PROT_EXEC)) {
        p |= PROT_READ;
    }
    if (prot & TARGET_PROT_WRITE) {
        p |= PROT_WRITE;
    }
    return p;
}

static int prot_to_page_flags(int prot)
{
    return (prot & TARGET_PROT_READ ? PAGE_READ : 0) |
           (prot & TARGET_PROT_WRITE ? PAGE_WRITE : 0) |
           (prot & TARGET_PROT_EXEC ? PAGE_EXEC : 0);
}

static const struct {
    int target, host;
} mmap_flag_map[] = {
    {TARGET_MAP_ANONYMOUS, MAP_ANONYMOUS}, {TARGET_MAP_LOCKED, MAP_LOCKED},
    {TARGET_MAP_NORESERVE, MAP_NORESERVE}, {TARGET_MAP_POPULATE, MAP_POPULATE},
    {TARGET_MAP_NONBLOCK, MAP_NONBLOCK},   {TARGET_MAP_STACK, MAP_STACK},
    {TARGET_MAP_HUGETLB, MAP_HUGETLB},     {TARGET_MAP_SYNC, MAP_SYNC},
};

/* Flags Linux knows (for MAP_SHARED_VALIDATE's EOPNOTSUPP). */
#define TARGET_MAP_KNOWN                                                       \
    (TARGET_MAP_TYPE | TARGET_MAP_FIXED | TARGET_MAP_ANONYMOUS |               \
     TARGET_MAP_GROWSDOWN | TARGET_MAP_DENYWRITE | TARGET_MAP_EXECUTABLE |     \
     TARGET_MAP_LOCKED | TARGET_MAP_NORESERVE | TARGET_MAP_POPULATE |          \
     TARGET_MAP_NONBLOCK | TARGET_MAP_STACK | TARGET_MAP_HUGETLB |             \
     TARGET_MAP_SYNC | TARGET_MAP_FIXED_NOREPLACE | TARGET_MAP_UNINITIALIZED | \
     (0x3fu << 26) /* MAP_HUGE_SHIFT sizes */)

static int host_mmap_flags(int flags)
{
    int h = MAP_FIXED;

    switch (flags & TARGET_MAP_TYPE) {
    case TARGET_MAP_SHARED:
        h |= MAP_SHARED;
        break;
    case TARGET_MAP_SHARED_VALIDATE:
        h |= MAP_SHARED_VALIDATE;
        break;
    default:
        h |= MAP_PRIVATE;
        break;
    }
    for (size_t i = 0; i < sizeof(mmap_flag_map) / sizeof(mmap_flag_map[0]);
         i++) {
        if (flags & mmap_flag_map[i].target) {
            h |= mmap_flag_map[i].host;
        }
    }
    if (flags & TARGET_MAP_HUGETLB) {
        h |= flags & (0x3fu << 26); /* MAP_HUGE_SHIFT is 26 on both */
    }
    return h;
}

/* ------------------------------------------------------------------ */
/* Set-up */

static uint64_t round_pow2(uint64_t x)
{
    uint64_t p = 1;

    while (p < x && p < (1ull << 62)) {
        p <<= 1;
    }
    return p;
}

static void compute_mmap_base(void)
{
    uint64_t stack =
        user_opts.stack_size ? user_opts.stack_size : DEFAULT_STACK_SIZE;
    uint64_t gap = TARGET_PAGE_ALIGN(stack) + STACK_GUARD_GAP;
    uint64_t max_gap = guest_space_size / 6 * 5;

    if (gap < MMAP_MIN_GAP) {
        gap = MMAP_MIN_GAP;
    }
    if (gap > max_gap) {
        gap = max_gap;
    }
    mmap_base = (guest_space_size - gap) & TARGET_PAGE_MASK;
}

/**
 * guest_space_init() - reserve the guest address space and set
 * tcg_guest_base, guest_space_size and the page-flags table.
 * @size: bytes of guest space (rounded up to a power of two; 0: 2^38)
 * @base_hint: host address for guest address 0 (-B), or 0 to let the
 *             host choose
 *
 * Context: once, before tcg_init() (which bakes tcg_guest_base into the
 * prologue) and before any other thread exists.
 * Returns: 0 or -errno (message printed).
 */
int guest_space_init(uint64_t size, uint64_t base_hint)
{
    void *p;
    int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;

    if (sysconf(_SC_PAGESIZE) != (long)TARGET_PAGE_SIZE) {
        fprintf(stderr, "ctcg-riscv64: host page size %ld is not supported\n",
                sysconf(_SC_PAGESIZE));
        return -EINVAL;
    }
    size = round_pow2(size ? size : 1ull << 38);
    if (size < (1ull << 24) || size > (1ull << 46)) {
        fprintf(stderr,
                "ctcg-riscv64: guest address space of 0x%" PRIx64
                " bytes not supported (16 MiB to 64 TiB)\n",
                size);
        return -EINVAL;
    }
    if (base_hint & (TARGET_PAGE_SIZE - 1)) {
        fprintf(stderr,
                "ctcg-riscv64: guest base 0x%" PRIx64 " is not page aligned\n",
                base_hint);
        return -EINVAL;
    }
    if (base_hint) {
        flags |= MAP_FIXED_NOREPLACE;
        if (base_hint < TCG_GUEST_GUARD) {
            fprintf(stderr,
                    "ctcg-riscv64: guest base 0x%" PRIx64
                    " leaves no room for the guard below it\n",
                    base_hint);
            return -EINVAL;
        }
    }
    /* The guards are part of the reservation, never handed out. */
    p = mmap(base_hint ? (void *)(uintptr_t)(base_hint - TCG_GUEST_GUARD)
                       : NULL,
             size + 2 * TCG_GUEST_GUARD, PROT_NONE, flags, -1, 0);
    if (p != MAP_FAILED) {
        p = (char *)p + TCG_GUEST_GUARD;
    }
    if (p == MAP_FAILED || (base_hint && p != (void *)(uintptr_t)base_hint)) {
        int err = p == MAP_FAILED ? errno : EEXIST;

        if (p != MAP_FAILED) {
            munmap((char *)p - TCG_GUEST_GUARD, size + 2 * TCG_GUEST_GUARD);
        }
        fprintf(stderr,
                "ctcg-riscv64: Unable to reserve 0x%" PRIx64
                " bytes of virtual address space at 0x%" PRIx64 " (%s)\n",
                size, base_hint, strerror(err));
        return -err;
    }
    page_l1_size = (size >> (TARGET_PAGE_BITS + L2_BITS)) + 1;
    /*
     * Fresh zero pages, not calloc: 128 KiB for the default space, which
     * calloc cleared (32 page faults at every start-up, ~15 us each on a
     * VM) while a program touches a few entries.
     */
    page_l1 =
        mmap(NULL, page_l1_size * sizeof(*page_l1), PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (page_l1 == MAP_FAILED) {
        page_l1 = NULL;
        munmap((char *)p - TCG_GUEST_GUARD, size + 2 * TCG_GUEST_GUARD);
        fprintf(stderr, "ctcg-riscv64: out of memory\n");
        return -ENOMEM;
    }
    /* Its leaves are calloc'd (leaf_alloc). */
    ctcg_lsan_root(page_l1, page_l1_size * sizeof(*page_l1));
    guest_space_size = size;
    tcg_guest_base = (uintptr_t)p;
    compute_mmap_base();
    return 0;
}

/* ------------------------------------------------------------------ */
/* mmap, munmap, mprotect */

void mmap_log_page(const char *what, uint64_t start, uint64_t len, int64_t ret)
{
    if (tcg_log_enabled(CPU_LOG_PAGE)) {
        tcg_log("%s: 0x%" PRIx64 "+0x%" PRIx64 " -> 0x%" PRIx64 "\n", what,
                start, len, (uint64_t)ret);
    }
}

/* Checks of target_mmap's arguments, in Linux's order. */
static int mmap_check_args(uint64_t *len, int flags, int fd, int64_t offset)
{
    if (offset & (TARGET_PAGE_SIZE - 1)) {
        return -EINVAL;
    }
    if (!(flags & TARGET_MAP_ANONYMOUS) && fcntl(fd, F_GETFD) < 0) {
        return -EBADF;
    }
    if (*len == 0) {
        return -EINVAL;
    }
    switch (flags & TARGET_MAP_TYPE) {
    case TARGET_MAP_SHARED:
    case TARGET_MAP_PRIVATE:
        break;
    case TARGET_MAP_SHARED_VALIDATE:
        if (!(flags & TARGET_MAP_ANONYMOUS) && (flags & ~TARGET_MAP_KNOWN)) {
            return -EOPNOTSUPP;
        }
        break;
    default:
        return -EINVAL;
    }
    if (*len > guest_space_size) {
        return -ENOMEM;
    }
    *len = TARGET_PAGE_ALIGN(*len);
    if (!(flags & TARGET_MAP_ANONYMOUS) &&
        (uint64_t)offset + *len < (uint64_t)offset) {
        return -EOVERFLOW;
    }
    return 0;
}

/* The guest address for a mapping: fixed, or placed. */
int64_t mmap_choose__locked(uint64_t start, uint64_t len, int flags)
{
    if (!(flags & (TARGET_MAP_FIXED | TARGET_MAP_FIXED_NOREPLACE))) {
        uint64_t a = mmap_place__locked(start, len);

        return a == -1ull ? -ENOMEM : (int64_t)a;
    }
    if (start & (TARGET_PAGE_SIZE - 1)) {
        return -EINVAL;
    }
    if (!guest_range_valid(start, len)) {
        return -ENOMEM;
    }
    if (start < MMAP_MIN_ADDR) {
        return -EPERM;
    }
    if ((flags & TARGET_MAP_FIXED_NOREPLACE) &&
        !mmap_range_free__locked(start, len)) {
        return -EEXIST;
    }
    return start;
}

/*
 * PAGE_ALIAS for a mapping whose memory can be written through another
 * mapping or the file: MAP_SHARED (also anonymous: a forked child's
 * view), or a private mapping of a file opened for writing (it sees the
 * file's changes until its page is copied).  Program text, mapped from
 * read-only descriptors, is not.
 */
static int mmap_alias_flag(int flags, int fd)
{
    int fl;

    if ((flags & TARGET_MAP_TYPE) != TARGET_MAP_PRIVATE) {
        return PAGE_ALIAS;
    }
    if (flags & TARGET_MAP_ANONYMOUS) {
        return 0;
    }
    fl = fcntl(fd, F_GETFL);
    return fl >= 0 && (fl & O_ACCMODE) != O_RDONLY ? PAGE_ALIAS : 0;
}

/*
 * Thread stacks' top pages.  glibc's pthread_create maps a new thread's
 * stack with MAP_STACK (PROT_NONE, then an mprotect of all but the guard
 * page to read-write, or read-write at once without a guard), writes the
 * thread's descriptor and static TLS at its top, and riscv64's __clone
 * stores the start function and its argument just below them, on the
 * second page from the top.  Each of those first stores is a page fault
 * on the creating thread, and on a host whose page tables are shadowed a
 * fault costs far more than the same page made by MADV_POPULATE_WRITE
 * (docs/performance.md, session 12): so the top two pages of such a
 * mapping are made when it becomes writable.  The guest sees no
 * difference but in residency (mincore, RSS): pages it is about to touch
 * are resident a little earlier.  Best effort: a host without
 * MADV_POPULATE_WRITE, or out of memory, leaves them to fault as before.
 */
#define STACK_TOP_PAGES 2

/* This thread's last MAP_STACK mapping made PROT_NONE, or [0, 0). */
static __thread uint64_t stack_map_start, stack_map_end;

/* Make the top pages of the writable stack [start, end). [mmap_lock] */
static void stack_top_populate__locked(uint64_t start, uint64_t end)
{
    uint64_t n = end - start;

    if (n > STACK_TOP_PAGES * TARGET_PAGE_SIZE) {
        n = STACK_TOP_PAGES * TARGET_PAGE_SIZE;
    }
    if (madvise(g2h(end - n), n, MADV_POPULATE_WRITE) == 0) {
        __atomic_fetch_add(&stack_tops_populated, 1, __ATOMIC_RELAXED);
    }
}

/*
 * After a successful mmap of [start, start + len): a private anonymous
 * MAP_STACK mapping gets its top pages now if writable, else when an
 * mprotect makes its top writable (stack_mprotect_done__locked).
 */
static void stack_mmap_done__locked(uint64_t start, uint64_t len, int prot,
                                    int flags)
{
    const int want =
        TARGET_MAP_STACK | TARGET_MAP_ANONYMOUS | TARGET_MAP_PRIVATE;

    stack_map_start = stack_map_end = 0;
    if ((flags & (want | TARGET_MAP_TYPE | TARGET_MAP_GROWSDOWN)) != want) {
        return;
    }
    if (prot & TARGET_PROT_WRITE) {
        stack_top_populate__locked(start, start + len);
    } else if (prot == 0) { /* PROT_NONE */
        stack_map_start = start;
        stack_map_end = start + len;
    }
}

/* After a successful mprotect of [start, start + len) to @prot. */
static void stack_mprotect_done__locked(uint64_t start, uint64_t len, int prot)
{
    if (stack_map_end != 0 && start + len == stack_map_end &&
        start >= stack_map_start && (prot & TARGET_PROT_WRITE)) {
        stack_top_populate__locked(start, start + len);
    }
    stack_map_start = stack_map_end = 0;
}

/**
 * target_mmap() - the guest's mmap(2).
 * @start: address or hint; @len: bytes; @prot, @flags: TARGET_PROT_*,
 * TARGET_MAP_*; @fd, @offset: the file (ignored for MAP_ANONYMOUS).
 *
 * Non-fixed mappings are placed inside the guest space only.
 * Returns: the guest address, or -errno as Linux: EINVAL (length 0,
 * misaligned offset or fixed address, bad type), ENOMEM (no room),
 * EEXIST (MAP_FIXED_NOREPLACE over a mapping), EPERM (fixed below
 * mmap_min_addr), EBADF/EACCES/ENODEV from the host for the file.
 */
int64_t target_mmap(uint64_t start, uint64_t len, int prot, int flags, int fd,
                    int64_t offset)
{
    bool anon = flags & TARGET_MAP_ANONYMOUS;
    int64_t ret;
    void *p;

    ret = mmap_check_args(&len, flags, fd, offset);
    if (ret) {
        return ret;
    }
    mmap_lock();
    ret = mmap_choose__locked(start, len, flags);
    if (ret < 0) {
        goto out;
    }
    if (!mmap_may_expand__locked(ret, len,
                                 (prot & TARGET_PROT_WRITE) &&
                                     (flags & TARGET_MAP_TYPE) ==
                                         TARGET_MAP_PRIVATE &&
                                     !(flags & TARGET_MAP_GROWSDOWN))) {
        ret = -ENOMEM;
        goto out;
    }
    /*
     * Always a host mapping, PROT_NONE over free pages too (the
     * reservation already is such a mapping, but one made without a host
     * call is no host VMA: the host's vm.max_map_count never counted
     * it, and munmap of it at that limit had to split the reservation:
     * ENOMEM where Linux succeeds; LTP's munmap04).
     */
    p = mmap(g2h(ret), len, host_prot(prot), host_mmap_flags(flags),
             anon ? -1 : fd, anon ? 0 : offset);
    if (p == MAP_FAILED) {
        int err = errno;

        mmap_repair_holes__locked(ret, len);
        ret = -err;
        goto out;
    }
    /* Over a live mapping: whatever code was there is gone. */
    mmap_set_flags__locked(
        ret, ret + len,
        PAGE_VALID | prot_to_page_flags(prot) | (anon ? PAGE_ANON : 0) |
            mmap_alias_flag(flags, fd) |
            (flags & TARGET_MAP_GROWSDOWN ? PAGE_GROWSDOWN : 0),
        true);
    mmap_shm_cut__locked(ret, ret + len);
    stack_mmap_done__locked(ret, len, prot, flags);
    if ((flags & TARGET_MAP_GROWSDOWN) && stack_hi == 0) {
        stack_lo = ret;
        stack_hi = ret + len;
    }
out:
    mmap_unlock();
    mmap_log_page("mmap", start, len, ret);
    return ret;
}

/* The first mapped page in [start, end), or end. */
uint64_t mmap_next_valid_page(uint64_t start, uint64_t end)
{
    uint64_t page = start >> TARGET_PAGE_BITS;
    uint64_t last = end >> TARGET_PAGE_BITS;

    while (page < last) {
        PageLeaf *l = leaf_get(page);

        if (l == NULL || l->nvalid == 0) {
            page = (page | (L2_SIZE - 1)) + 1;
            continue;
        }
        if (l->flags[page & (L2_SIZE - 1)] & PAGE_VALID) {
            return page << TARGET_PAGE_BITS;
        }
        page++;
    }
    return end;
}

/* The end of the MAP_GROWSDOWN mapping whose lowest page is @lo. */
static uint64_t growsdown_end(uint64_t lo)
{
    uint64_t a = lo;

    while (a < guest_space_size && (page_get_flags(a) & PAGE_GROWSDOWN)) {
        a += TARGET_PAGE_SIZE;
    }
    return a;
}

/*
 * May a MAP_GROWSDOWN mapping starting at @lo grow down to @new_lo?
 * Linux's expand_downwards: not below mmap_min_addr, not to within
 * stack_guard_gap of an accessible mapping below (other than another
 * growsdown one), and no larger than RLIMIT_STACK.
 */
static bool growsdown_may_grow(uint64_t lo, uint64_t new_lo)
{
    uint64_t gap_lo = new_lo > STACK_GUARD_GAP ? new_lo - STACK_GUARD_GAP : 0;
    uint64_t prev = last_used_page(gap_lo, new_lo);
    struct rlimit rl;

    if (new_lo < MMAP_MIN_ADDR) {
        return false;
    }
    if (prev != -1ull) {
        int f = page_get_flags(prev);

        if ((f & (PAGE_READ | PAGE_WRITE | PAGE_WRITE_ORG | PAGE_EXEC)) &&
            !(f & PAGE_GROWSDOWN)) {
            return false;
        }
    }
    return getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
           growsdown_end(lo) - new_lo <= rl.rlim_cur;
}

/**
 * mmap_grow_stack() - a guest access to unmapped @addr faulted: if the
 * mapping above it is MAP_GROWSDOWN, grow it down to @addr's page as
 * Linux does (see growsdown_may_grow for when it may not).
 * Returns: true if it grew (the access is to run again).
 */
bool mmap_grow_stack(uint64_t addr)
{
    uint64_t new_lo = addr & TARGET_PAGE_MASK, lo;
    bool grown = false;
    int f;
    void *p;

    if (addr >= guest_space_size) {
        return false;
    }
    mmap_lock();
    lo = mmap_next_valid_page(new_lo, guest_space_size);
    f = lo < guest_space_size ? page_get_flags(lo) : 0;
    if (lo == new_lo || !(f & PAGE_GROWSDOWN) ||
        !growsdown_may_grow(lo, new_lo)) {
        goto out;
    }
    f &= ~PAGE_WRITE_ORG; /* the new pages hold no code yet */
    if (page_get_flags(lo) & PAGE_WRITE_ORG) {
        f |= PAGE_WRITE;
    }
    p = mmap(g2h(new_lo), lo - new_lo, flags_host_prot(f),
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED) {
        mmap_repair_holes__locked(new_lo, lo - new_lo);
        goto out;
    }
    page_set_flags(new_lo, lo, f | PAGE_ANON);
    if (lo == stack_lo) {
        stack_lo = new_lo; /* the initial stack: still [stack] */
    }
    grown = true;
out:
    mmap_unlock();
    mmap_log_page("grow", new_lo, grown ? lo - new_lo : 0, grown);
    return grown;
}

/* Unmap [start, start + len) (page aligned, inside the space). */
int mmap_unmap_range__locked(uint64_t start, uint64_t len)
{
    int ret;

    if (mmap_range_free__locked(start, len)) {
        return 0;
    }
    ret = mmap_reserve__locked(start, len);
    if (ret == 0) {
        page_set_flags(start, start + len, 0);
        mmap_shm_cut__locked(start, start + len);
    }
    return ret;
}

/**
 * target_munmap() - the guest's munmap(2): the range becomes unmapped
 * (reserved PROT_NONE on the host).  Unmapped pages in it are fine.
 * Returns: 0 or -EINVAL (misaligned, length 0, outside the space).
 */
int target_munmap(uint64_t start, uint64_t len)
{
    int ret;

    if ((start & (TARGET_PAGE_SIZE - 1)) || len == 0 ||
        len > guest_space_size) {
        return -EINVAL;
    }
    len = TARGET_PAGE_ALIGN(len);
    if (!guest_range_valid(start, len)) {
        return -EINVAL;
    }
    mmap_lock();
    ret = mmap_unmap_range__locked(start, len);
    mmap_unlock();
    mmap_log_page("munmap", start, len, ret);
    return ret;
}

/**
 * target_mprotect() - the guest's mprotect(2).
 * Returns: 0, -EINVAL (misaligned, bad @prot), -ENOMEM (part of the range
 * unmapped or outside the space), -EACCES from the host (write to a
 * shared mapping of a read-only file).
 */
int target_mprotect(uint64_t start, uint64_t len, int prot)
{
    const int known = TARGET_PROT_READ | TARGET_PROT_WRITE | TARGET_PROT_EXEC |
                      TARGET_PROT_SEM | TARGET_PROT_GROWSDOWN |
                      TARGET_PROT_GROWSUP;
    int ret = 0;

    if ((start & (TARGET_PAGE_SIZE - 1)) || (prot & ~known) ||
        (prot & TARGET_PROT_GROWSUP)) {
        return -EINVAL;
    }
    if (len == 0) {
        return 0;
    }
    if (len > guest_space_size) {
        return -ENOMEM;
    }
    len = TARGET_PAGE_ALIGN(len);
    if (!guest_range_valid(start, len)) {
        return -ENOMEM;
    }
    mmap_lock();
    if (prot & TARGET_PROT_GROWSDOWN) {
        /* Only the stack grows down: extend to its start. */
        if (!(start >= stack_lo && start < stack_hi)) {
            ret = -EINVAL;
            goto out;
        }
        len += start - stack_lo;
        start = stack_lo;
    }
    if (!page_check_range(start, len, 0)) {
        ret = -ENOMEM;
        goto out;
    }
    if (mprotect(g2h(start), len, host_prot(prot)) != 0) {
        ret = -errno;
        goto out;
    }
    page_set_prot(start, start + len, prot_to_page_flags(prot));
    stack_mprotect_done__locked(start, len, prot);
out:
    mmap_unlock();
    mmap_log_page("mprotect", start, len, ret);
    return ret;
}

/* ------------------------------------------------------------------ */
/* mremap */

/*
 * Move [old, old + old_size) to [dest, dest + new_size) (not overlapping)
 * with the host's mremap, then reserve the vacated range again.
 */
static int64_t mremap_move(uint64_t old, uint64_t old_size, uint64_t new_size,
                           uint64_t dest)
{
    int first = page_get_flags(old);
    uint64_t keep = old_size < new_size ? old_size : new_size;
    void *p;

    p = mremap(g2h(old), old_size, new_size, MREMAP_MAYMOVE | MREMAP_FIXED,
               g2h(dest));
    if (p == MAP_FAILED) {
        int err = errno;

        mmap_repair_holes__locked(dest, new_size);
        mmap_repair_holes__locked(old, old_size);
        return -err;
    }
    /* The destination may have held code: it holds other memory now. */
    for (uint64_t i = 0; i < keep; i += TARGET_PAGE_SIZE) {
        mmap_set_flags__locked(dest + i, dest + i + TARGET_PAGE_SIZE,
                               page_get_flags(old + i), true);
    }
    if (new_size > keep) {
        mmap_set_flags__locked(dest + keep, dest + new_size, first, true);
    }
    if (old_size) {
        mmap_reserve__locked(old, old_size);
        page_set_flags(old, old + old_size, 0);
    }
    mmap_shm_cut__locked(old, old + old_size);
    mmap_shm_cut__locked(dest, dest + new_size);
    return dest;
}

/*
 * Grow [old, old + old_size) in place to new_size bytes; the pages after
 * it are free.  The host's mremap cannot grow over our reservation, so
 * the extension is unreserved for the duration of the call (only host
 * threads mapping memory right then could race for it; guest mappings
 * are serialized by mmap_lock).
 */
static int64_t mremap_grow(uint64_t old, uint64_t old_size, uint64_t new_size)
{
    uint64_t ext = old + old_size;
    void *p;

    if (munmap(g2h(ext), new_size - old_size) != 0) {
        return -errno;
    }
    p = mremap(g2h(old), old_size, new_size, 0);
    if (p == MAP_FAILED) {
        int err = errno;

        mmap_reserve__locked(ext, new_size - old_size);
        return -err;
    }
    page_set_flags(ext, old + new_size, page_get_flags(ext - 1));
    return old;
}

/* Validate target_mremap's arguments; page-align the sizes. */
static int mremap_check_args(uint64_t old_addr, uint64_t *old_size,
                             uint64_t *new_size, int flags, uint64_t new_addr)
{
    const int known = TARGET_MREMAP_MAYMOVE | TARGET_MREMAP_FIXED;

    /* MREMAP_DONTUNMAP is not supported (as before Linux 5.7). */
    if ((flags & ~known) || (old_addr & (TARGET_PAGE_SIZE - 1))) {
        return -EINVAL;
    }
    if ((flags & TARGET_MREMAP_FIXED) && !(flags & TARGET_MREMAP_MAYMOVE)) {
        return -EINVAL;
    }
    if (*old_size > guest_space_size || *new_size > guest_space_size ||
        *new_size == 0) {
        return -EINVAL;
    }
    *old_size = TARGET_PAGE_ALIGN(*old_size);
    *new_size = TARGET_PAGE_ALIGN(*new_size);
    if (flags & TARGET_MREMAP_FIXED) {
        if ((new_addr & (TARGET_PAGE_SIZE - 1)) ||
            !guest_range_valid(new_addr, *new_size)) {
            return -EINVAL;
        }
        if (new_addr < old_addr + *old_size &&
            old_addr < new_addr + *new_size) {
            return -EINVAL;
        }
    }
    if (!guest_range_valid(old_addr, *old_size) ||
        !page_check_range(old_addr, *old_size ? *old_size : 1, 0)) {
        return -EFAULT;
    }
    if (*old_size == 0 && !(flags & TARGET_MREMAP_MAYMOVE)) {
        return -EINVAL;
    }
    return 0;
}

/**
 * target_mremap() - the guest's mremap(2): shrink or grow in place,
 * move with MREMAP_MAYMOVE (placed like mmap) or to MREMAP_FIXED
 * @new_addr.  An old size of 0 duplicates a shared mapping.
 * Returns: the new address, or -errno (EINVAL, EFAULT for an unmapped
 * old range, ENOMEM when it cannot grow in place and may not move).
 */
int64_t target_mremap(uint64_t old_addr, uint64_t old_size, uint64_t new_size,
                      int flags, uint64_t new_addr)
{
    int64_t ret;

    mmap_lock();
    ret = mremap_check_args(old_addr, &old_size, &new_size, flags, new_addr);
    if (ret) {
        goto out;
    }
    /* Growing: Linux's vma_to_resize checks the limits first (ENOMEM). */
    if (new_size > old_size &&
        !mmap_may_expand__locked(
            -1ull, new_size - old_size,
            page_is_data((uint8_t)page_get_flags(old_addr)))) {
        ret = -ENOMEM;
        goto out;
    }
    if (flags & TARGET_MREMAP_FIXED) {
        if (new_addr < MMAP_MIN_ADDR) {
            ret = -EPERM;
        } else {
            ret = mremap_move(old_addr, old_size, new_size, new_addr);
        }
        goto out;
    }
    if (old_size && new_size <= old_size) {
        ret =
            mmap_unmap_range__locked(old_addr + new_size, old_size - new_size);
        ret = ret ? ret : (int64_t)old_addr;
        goto out;
    }
    ret = -ENOMEM;
    if (old_size && guest_range_valid(old_addr, new_size) &&
        mmap_range_free__locked(old_addr + old_size, new_size - old_size)) {
        ret = mremap_grow(old_addr, old_size, new_size);
    }
    if (ret < 0 && (flags & TARGET_MREMAP_MAYMOVE)) {
        uint64_t dest = mmap_place__locked(0, new_size);

        ret = dest == -1ull ? -ENOMEM
                            : mremap_move(old_addr, old_size, new_size, dest);
    }
out:
    mmap_unlock();
    mmap_log_page("mremap", old_addr, new_size, ret);
    return ret;
}

/**
 * target_remap_file_pages() - the guest's remap_file_pages(2): the host
 * kernel rearranges the pages of the shared file mapping (it emulates the
 * call with mmap since Linux 4.0, and checks the mapping as for the
 * guest); the translations of the range are dropped.
 * Returns: 0 or -errno (EINVAL for a range outside guest mappings).
 */
int64_t target_remap_file_pages(uint64_t start, uint64_t size, int prot,
                                uint64_t pgoff, int flags)
{
    int64_t ret = -EINVAL;

    mmap_lock();
    if (size &&
        guest_range_valid(start & TARGET_PAGE_MASK, TARGET_PAGE_ALIGN(size)) &&
        page_check_range(start & TARGET_PAGE_MASK, TARGET_PAGE_ALIGN(size),
                         0)) {
        ret = syscall(SYS_remap_file_pages, g2h(start), (size_t)size, prot,
                      (size_t)pgoff, flags);
        ret = ret < 0 ? -errno : ret;
        if (ret == 0) {
            tb_invalidate_range(start & TARGET_PAGE_MASK,
                                TARGET_PAGE_ALIGN(start + size),
                                TB_INVAL_MUNMAP);
        }
    }
    mmap_unlock();
    mmap_log_page("remap_file_pages", start, size, ret);
    return ret;
}

/**
 * mmap_in_stack() - is @addr in the initial stack (labelled [stack])?
 * Context: mmap_lock held.
 */
bool mmap_in_stack(uint64_t addr)
{
    return addr >= stack_lo && addr < stack_hi;
}

/**
 * mmap_is_heap() - does the anonymous area [start, end) touch the brk heap
 * (labelled [heap], Linux's test on the whole area)?
 * Context: mmap_lock held.
 */
bool mmap_is_heap(uint64_t start, uint64_t end)
{
    return brk_start && start <= brk_cur && end >= brk_start;
}

/* ------------------------------------------------------------------ */
/* brk */

/**
 * target_set_brk() - set the initial program break (the loader: just
 * after the highest segment, page aligned).
 */
void target_set_brk(uint64_t brk)
{
    mmap_lock();
    brk_start = brk_cur = brk;
    mmap_unlock();
}

/**
 * target_set_data_size() - the size of the program's data segment
 * (Linux's end_data - start_data), which brk counts in RLIMIT_DATA.
 */
void target_set_data_size(uint64_t size)
{
    mmap_lock();
    brk_data_size = size;
    mmap_unlock();
}

/* Map [old_top, new_top) for the heap, with Linux's one-page gap. */
static bool brk_grow(uint64_t old_top, uint64_t new_top)
{
    uint64_t check = new_top + TARGET_PAGE_SIZE;
    void *p;

    if (new_top > guest_space_size) {
        return false;
    }
    if (check > guest_space_size) {
        check = guest_space_size;
    }
    if (!mmap_range_free__locked(old_top, check - old_top) ||
        !mmap_may_expand__locked(old_top, new_top - old_top, true)) {
        return false;
    }
    p = mmap(g2h(old_top), new_top - old_top, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p == MAP_FAILED) {
        mmap_repair_holes__locked(old_top, new_top - old_top);
        return false;
    }
    page_set_flags(old_top, new_top,
                   PAGE_VALID | PAGE_ANON | PAGE_READ | PAGE_WRITE);
    return true;
}

/**
 * do_brk() - the guest's brk(2), with Linux's semantics.
 * Returns: the new break, or the current one when @brk is below the
 * initial break (brk(0) asks for it) or the heap cannot grow there.
 */
int64_t do_brk(uint64_t brk)
{
    uint64_t old_top, new_top;
    int64_t ret;

    mmap_lock();
    if (brk < brk_start || brk > guest_space_size) {
        ret = brk_cur;
        goto out;
    }
    /* check_data_rlimit(), before anything, shrinking included */
    if (rlim_data != RLIM64_INFINITY &&
        brk - brk_start + brk_data_size > rlim_data) {
        ret = brk_cur;
        goto out;
    }
    old_top = TARGET_PAGE_ALIGN(brk_cur);
    new_top = TARGET_PAGE_ALIGN(brk);
    if (new_top < old_top) {
        if (mmap_unmap_range__locked(new_top, old_top - new_top) != 0) {
            ret = brk_cur;
            goto out;
        }
    } else if (new_top > old_top && !brk_grow(old_top, new_top)) {
        ret = brk_cur;
        goto out;
    }
    brk_cur = brk;
    ret = brk;
out:
    mmap_unlock();
    return ret;
}
