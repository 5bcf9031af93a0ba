/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory syscalls: the mmap family and brk (delegated to mmap.c, which
 * owns the guest memory map), madvise/msync/mincore/mlock on guest ranges,
 * futex, and the riscv-specific riscv_hwprobe and riscv_flush_icache.
 *
 * Design: calls that change the guest map go through target_mmap & co so
 * that the page flags stay right; calls that only read or advise on a
 * range go to the host on g2h() of the range.  riscv_hwprobe answers from
 * env->cfg like the kernel does for a hart with those extensions.
 */
#include <linux/futex.h>
#include <linux/membarrier.h>

#ifndef MEMBARRIER_CMD_GET_REGISTRATIONS
#define MEMBARRIER_CMD_GET_REGISTRATIONS (1 << 9) /* Linux 6.3 */
#endif
#include <string.h>
#include <sys/mman.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

static bool madvise_valid(int advice)
{
    return (advice >= MADV_NORMAL && advice <= MADV_DONTNEED) ||
           (advice >= 8 && advice <= 25) || (advice >= 100 && advice <= 103);
}

/*
 * Linux checks the advice and the range (EINVAL), then walks the range:
 * holes give ENOMEM (after the mapped parts got the advice).  The host
 * reservation has no holes, so they are found in the guest page flags.
 */
static int64_t do_madvise(uint64_t start, uint64_t len, int advice)
{
    uint64_t alen = TARGET_PAGE_ALIGN(len);
    int64_t ret = 0;

    if (!madvise_valid(advice) || (start & ~TARGET_PAGE_MASK) ||
        (len && !alen) || start + alen < start) {
        return -EINVAL;
    }
    if (alen == 0) {
        return 0;
    }
    if (!guest_range_valid(start, alen)) {
        return -ENOMEM;
    }
    switch (advice) {
    case MADV_DONTNEED:
    case MADV_DONTNEED_LOCKED:
    case MADV_FREE:
    case MADV_REMOVE:
        /*
         * The pages may read differently now (zero, or the file's contents
         * again for a private file mapping) without a guest store: drop
         * the code translated from them.
         */
        ret = HOST_SYSCALL(SYS_madvise, g2h(start), (long)alen, (long)advice);
        if (ret == 0) {
            mmap_contents_changed(start, alen);
        }
        break;
    case MADV_WILLNEED:
    case MADV_NORMAL:
    case MADV_RANDOM:
    case MADV_SEQUENTIAL:
    case MADV_HUGEPAGE:
    case MADV_NOHUGEPAGE:
    case MADV_COLD:
    case MADV_PAGEOUT:
        ret = HOST_SYSCALL(SYS_madvise, g2h(start), (long)alen, (long)advice);
        break;
    default:
        /* e.g. MADV_DONTFORK/DOFORK, MERGEABLE: advice only, ignored */
        break;
    }
    return ret == 0 && !guest_range_mapped(start, alen) ? -ENOMEM : ret;
}

/* msync(start, len, flags): flags and alignment (EINVAL), then holes. */
static int64_t do_msync(uint64_t start, uint64_t len, int flags)
{
    uint64_t alen = TARGET_PAGE_ALIGN(len);

    if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) ||
        (start & ~TARGET_PAGE_MASK) ||
        ((flags & MS_ASYNC) && (flags & MS_SYNC))) {
        return -EINVAL;
    }
    if (start + alen < start || (len && !alen)) {
        return -ENOMEM;
    }
    if (alen == 0) {
        return 0;
    }
    if (!guest_range_mapped(start, alen)) {
        return -ENOMEM;
    }
    return HOST_SYSCALL(SYS_msync, g2h(start), (long)alen, (long)flags);
}

/* mincore: alignment (EINVAL), range (ENOMEM), then vec (EFAULT). */
static int64_t do_mincore(uint64_t start, uint64_t len, uint64_t vec_addr)
{
    uint64_t pages = TARGET_PAGE_ALIGN(len) >> TARGET_PAGE_BITS;
    void *vec;

    if (start & ~TARGET_PAGE_MASK) {
        return -EINVAL;
    }
    if (!guest_range_valid(start, len) || !guest_range_mapped(start, len)) {
        return -ENOMEM;
    }
    HOST_PTR(vec, vec_addr, pages);
    return HOST_SYSCALL(SYS_mincore, g2h(start), (long)len, vec);
}

/*
 * mlock, mlock2, munlock: the range is widened to pages (no EINVAL for an
 * unaligned start); mlock's EPERM (no RLIMIT_MEMLOCK, no CAP_IPC_LOCK)
 * comes before ENOMEM for holes: a zero-length host call asks for it.
 */
static int64_t do_mlock(int num, uint64_t start, uint64_t len, int flags)
{
    uint64_t s = start & TARGET_PAGE_MASK;
    uint64_t alen = TARGET_PAGE_ALIGN(len + (start - s));
    int64_t ret;

    if (num == TARGET_NR_mlock2 && (flags & ~MLOCK_ONFAULT)) {
        return -EINVAL;
    }
    if (alen == 0) {
        return num == TARGET_NR_munlock ? 0
                                        : HOST_SYSCALL(SYS_mlock, g2h(s), 0L);
    }
    if (s + alen < s) {
        return -EINVAL;
    }
    if (!guest_range_valid(s, alen) || !guest_range_mapped(s, alen)) {
        if (num != TARGET_NR_munlock) {
            ret = HOST_SYSCALL(SYS_mlock, g2h(0), 0L);
            if (ret < 0) {
                return ret;
            }
        }
        return -ENOMEM;
    }
    switch (num) {
    case TARGET_NR_mlock:
        return HOST_SYSCALL(SYS_mlock, g2h(s), (long)alen);
    case TARGET_NR_munlock:
        return HOST_SYSCALL(SYS_munlock, g2h(s), (long)alen);
    default:
        return HOST_SYSCALL(SYS_mlock2, g2h(s), (long)alen, (long)flags);
    }
}

static uint64_t hwprobe_value(CPURISCVState *env, int64_t *key)
{
    const RISCVCPUConfig *cfg = &env->cfg;
    uint64_t v = 0;

    switch (*key) {
    case TARGET_RISCV_HWPROBE_KEY_MVENDORID:
    case TARGET_RISCV_HWPROBE_KEY_MARCHID:
    case TARGET_RISCV_HWPROBE_KEY_MIMPID:
    case TARGET_RISCV_HWPROBE_KEY_ZICBOZ_BLOCK_SIZE:
        return 0;
    case TARGET_RISCV_HWPROBE_KEY_BASE_BEHAVIOR:
        return TARGET_RISCV_HWPROBE_BASE_BEHAVIOR_IMA;
    case TARGET_RISCV_HWPROBE_KEY_IMA_EXT_0:
        v = TARGET_RISCV_HWPROBE_IMA_FD;
        v |= cfg->ext_c ? TARGET_RISCV_HWPROBE_IMA_C : 0;
        v |= cfg->ext_zba ? TARGET_RISCV_HWPROBE_EXT_ZBA : 0;
        v |= cfg->ext_zbb ? TARGET_RISCV_HWPROBE_EXT_ZBB : 0;
        v |= cfg->ext_zbs ? TARGET_RISCV_HWPROBE_EXT_ZBS : 0;
        v |= cfg->ext_zbc ? TARGET_RISCV_HWPROBE_EXT_ZBC : 0;
        v |= cfg->ext_zicond ? TARGET_RISCV_HWPROBE_EXT_ZICOND : 0;
        return v;
    case TARGET_RISCV_HWPROBE_KEY_CPUPERF_0:
        return TARGET_RISCV_HWPROBE_MISALIGNED_UNKNOWN;
    case TARGET_RISCV_HWPROBE_KEY_HIGHEST_VIRT_ADDRESS:
        return guest_space_size - 1;
    default:
        *key = -1;
        return 0;
    }
}

/* riscv_hwprobe(pairs, pair_count, cpusetsize, cpus, flags) */
static int64_t do_riscv_hwprobe(CPURISCVState *env, const uint64_t *a)
{
    struct target_riscv_hwprobe pair;
    uint64_t i;

    if (a[4] != 0) {
        return -EINVAL; /* RISCV_HWPROBE_WHICH_CPUS: not offered */
    }
    if (a[2] && !guest_range_valid(a[3], a[2])) {
        return -EFAULT;
    }
    for (i = 0; i < a[1]; i++) {
        uint64_t addr = a[0] + i * sizeof(pair);

        if (copy_from_guest(&pair, addr, sizeof(pair))) {
            return -EFAULT;
        }
        pair.value = hwprobe_value(env, &pair.key);
        if (copy_to_guest(addr, &pair, sizeof(pair))) {
            return -EFAULT;
        }
    }
    return 0;
}

static int64_t do_futex(const uint64_t *a)
{
    int op = (int)a[1] & FUTEX_CMD_MASK;
    void *uaddr, *uaddr2 = NULL, *timeout = NULL;
    long val2 = (long)a[3];

    GUEST_PTR(uaddr, a[0], 4);
    switch (op) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
    case FUTEX_LOCK_PI:
    case FUTEX_LOCK_PI2:
    case FUTEX_WAIT_REQUEUE_PI:
        GUEST_PTR_OPT(timeout, a[3], 16);
        break;
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
    case FUTEX_UNLOCK_PI:
    case FUTEX_TRYLOCK_PI:
        break;
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE:
    case FUTEX_WAKE_OP:
    case FUTEX_CMP_REQUEUE_PI:
        break;
    default:
        return -ENOSYS;
    }
    if (op == FUTEX_WAIT_REQUEUE_PI || op == FUTEX_REQUEUE ||
        op == FUTEX_CMP_REQUEUE || op == FUTEX_WAKE_OP ||
        op == FUTEX_CMP_REQUEUE_PI) {
        GUEST_PTR(uaddr2, a[4], 4);
    }
    return SAFE_SYSCALL(SYS_futex, uaddr, (long)(int)a[1], (long)(int)a[2],
                        timeout ? timeout : (void *)val2, uaddr2,
                        (long)(int)a[5]);
}

/*
 * membarrier: the host kernel does the work, but registrations are per
 * process and the emulator's own (liburcu registers the host process for
 * private expedited barriers) must not count as the guest's: an
 * unregistered guest gets EPERM for the expedited commands, and
 * MEMBARRIER_CMD_GET_REGISTRATIONS reports the guest's registrations.
 * Like Linux's (per mm), they survive fork and not execve (a new ctcg).
 */
static uint32_t membarrier_registered; /* REGISTER_* commands done */

static int64_t do_membarrier(int cmd, unsigned flags, int cpu_id)
{
    uint32_t need = 0;
    int64_t ret;

    if (flags && (cmd != MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ ||
                  (flags & ~MEMBARRIER_CMD_FLAG_CPU))) {
        return -EINVAL;
    }
    switch (cmd) {
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
        need = MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
        break;
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE:
        need = MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;
        break;
    case MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ:
        need = MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ;
        break;
    }
    /* Relaxed: pairs with the fetch_or below; a registration is ordered
     * before use by the guest's own synchronisation. */
    if (need &&
        !(__atomic_load_n(&membarrier_registered, __ATOMIC_RELAXED) & need)) {
        /* Linux: EINVAL where the command is not supported, else EPERM. */
        ret = HOST_SYSCALL(SYS_membarrier, (long)MEMBARRIER_CMD_QUERY, 0L, 0L);
        return ret >= 0 && (ret & cmd) ? -EPERM : -EINVAL;
    }
    ret = HOST_SYSCALL(SYS_membarrier, (long)cmd, (long)flags, (long)cpu_id);
    if (ret < 0) {
        return ret;
    }
    if (cmd == MEMBARRIER_CMD_GET_REGISTRATIONS) {
        return __atomic_load_n(&membarrier_registered, __ATOMIC_RELAXED);
    }
    if (cmd == MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED ||
        cmd == MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED ||
        cmd == MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE ||
        cmd == MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ) {
        /* Pairs with the relaxed loads above. */
        __atomic_fetch_or(&membarrier_registered, (uint32_t)cmd,
                          __ATOMIC_RELAXED);
    }
    return ret;
}

/* Calls that only look at or pin a guest range. */
static int64_t syscall_range(int num, const uint64_t *a)
{
    switch (num) {
    case TARGET_NR_msync:
        return do_msync(a[0], a[1], (int)a[2]);
    case TARGET_NR_mincore:
        return do_mincore(a[0], a[1], a[2]);
    case TARGET_NR_mlock:
    case TARGET_NR_munlock:
    case TARGET_NR_mlock2:
        return do_mlock(num, a[0], a[1], (int)a[2]);
    case TARGET_NR_mlockall:
        return HOST_SYSCALL(SYS_mlockall, (long)(int)a[0]);
    case TARGET_NR_munlockall:
        return HOST_SYSCALL(SYS_munlockall);
    case TARGET_NR_madvise:
        return do_madvise(a[0], a[1], (int)a[2]);
    default:
        return SC_UNHANDLED;
    }
}

int64_t syscall_mem(CPURISCVState *env, int num, const uint64_t *a)
{
    switch (num) {
    case TARGET_NR_brk:
        return do_brk(a[0]);
    case TARGET_NR_mmap:
        return target_mmap(a[0], a[1], syscall_personality_prot((int)a[2]),
                           (int)a[3], (int)a[4], (int64_t)a[5]);
    case TARGET_NR_munmap:
        return target_munmap(a[0], a[1]);
    case TARGET_NR_mprotect:
        return target_mprotect(a[0], a[1], syscall_personality_prot((int)a[2]));
    case TARGET_NR_mremap:
        return target_mremap(a[0], a[1], a[2], (int)a[3], a[4]);
    case TARGET_NR_remap_file_pages:
        return target_remap_file_pages(a[0], a[1], (int)a[2], a[3], (int)a[4]);
    case TARGET_NR_futex:
        return do_futex(a);
    case TARGET_NR_membarrier:
        return do_membarrier((int)a[0], (unsigned)a[1], (int)a[2]);
    case TARGET_NR_riscv_hwprobe:
        return do_riscv_hwprobe(env, a);
    case TARGET_NR_riscv_flush_icache:
        /*
         * riscv_flush_icache(start, end, flags): code written before must
         * be what every thread (or, with SYS_RISCV_FLUSH_ICACHE_LOCAL,
         * this one) runs next.  Like the kernel, the range is a hint: of
         * every writable page, drop the translations whose guest bytes
         * changed (the superset; tb-code.c).
         */
        if (a[2] & ~1ull) {
            return -EINVAL;
        }
        /* mmap_lock: no munmap/mprotect under the re-hash. */
        mmap_lock();
        tb_invalidate_changed(riscv_page_writable, TB_INVAL_FENCE_I);
        mmap_unlock();
        return 0;
    default:
        return syscall_range(num, a);
    }
}
