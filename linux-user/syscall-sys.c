/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System syscalls: namespaces (unshare, setns), mounts (the old and the
 * new mount API), pidfds, kcmp, I/O priorities, syslog, vhangup, file
 * handles, sched_attr, acct, swap, modules, reboot, fanotify, quotas, keys,
 * landlock, NUMA policies, cross-process memory (process_vm_*,
 * process_madvise), openat2, cachestat, futex_waitv, memory protection
 * keys, perf_event_open and restart_syscall.
 *
 * Design: these are host passthroughs; every structure involved has the
 * same layout on riscv64 and x86-64 (LP64, fixed-width fields), so the
 * work is in the pointers.  Buffers and strings only the host kernel
 * touches go through HOST_PTR()/HOST_STR(): a bad guest pointer becomes a
 * host pointer that faults, so the host kernel reports EFAULT after its own
 * argument checks, in Linux's order.  Structures that hold guest addresses
 * (iovecs, futex_waitv, move_pages' page list, keyctl's KDF parameters) are
 * copied through the checked accessors and rebuilt with host addresses.
 * Remote addresses (process_vm_*, process_madvise, move_pages of another
 * pid) are translated with this process's guest base, which a forked child
 * shares; a ctcg process started separately may use another base
 * (docs/syscalls.md).
 *
 * Namespaces: unshare and setns pass through.  The host applies them to
 * the calling host thread, which is the guest thread, and refuses what
 * Linux refuses in a multithreaded process (CLONE_NEWUSER, CLONE_VM ...)
 * when the guest has several threads; ctcg starts no host threads of its
 * own, so a single-threaded guest can unshare everything Linux allows.
 * Memory protection keys do not exist on riscv64: pkey_alloc answers
 * ENOSPC and pkey_free EINVAL as Linux does there, pkey_mprotect accepts
 * only the keys -1 and 0.
 */
#include <linux/futex.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"

#define PAGE 4096

#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif

/* The data argument of mount(2): up to a page, the rest may be unmapped. */
static void *mount_data(uint64_t addr, char *buf)
{
    uint64_t first = PAGE - (addr & (PAGE - 1));

    if (addr == 0) {
        return NULL;
    }
    memset(buf, 0, PAGE);
    if (copy_from_guest(buf, addr, first)) {
        return HOST_BAD_PTR;
    }
    if (first < PAGE) {
        /* Linux keeps what it could copy of the next page */
        (void)copy_from_guest(buf + first, addr + first, PAGE - first);
    }
    return buf;
}

/* fsconfig(fd, cmd, key, value, aux): value's kind follows cmd. */
static int64_t do_fsconfig(const uint64_t *a)
{
    void *key, *val = NULL;

    HOST_STR(key, a[2]);
    switch (a[1]) {
    case 1: /* FSCONFIG_SET_STRING */
    case 3: /* FSCONFIG_SET_PATH */
    case 4: /* FSCONFIG_SET_PATH_EMPTY */
        HOST_STR(val, a[3]);
        break;
    case 2: /* FSCONFIG_SET_BINARY: aux is the length */
        HOST_PTR(val, a[3], (uint32_t)a[4]);
        break;
    default:
        val = a[3] ? HOST_BAD_PTR : NULL; /* Linux wants NULL here */
        break;
    }
    return HOST_SYSCALL(SYS_fsconfig, (long)(int)a[0], (long)(unsigned)a[1],
                        key, val, (long)(int)a[4]);
}

/* Namespaces and mounts. */
static int64_t syscall_mount(int num, const uint64_t *a)
{
    char data[PAGE]; /* on the stack: not 4 KiB of TLS in every thread */
    void *s0, *s1, *s2, *p;

    switch (num) {
    case TARGET_NR_unshare:
        return HOST_SYSCALL(SYS_unshare, (long)a[0]);
    case TARGET_NR_setns:
        return HOST_SYSCALL(SYS_setns, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_mount:
        /* Linux copies type, source and data, then looks the target up */
        HOST_STR(s2, a[2]);
        HOST_STR(s0, a[0]);
        p = mount_data(a[4], data);
        HOST_STR(s1, a[1]);
        return HOST_SYSCALL(SYS_mount, s0, s1, s2, (long)a[3], p);
    case TARGET_NR_umount2:
        HOST_STR(s0, a[0]);
        return HOST_SYSCALL(SYS_umount2, s0, (long)(int)a[1]);
    case TARGET_NR_pivot_root:
        HOST_STR(s0, a[0]);
        HOST_STR(s1, a[1]);
        return HOST_SYSCALL(SYS_pivot_root, s0, s1);
    case TARGET_NR_mount_setattr:
        HOST_STR(s0, a[1]);
        HOST_PTR(p, a[3], a[4] > PAGE ? PAGE : a[4]);
        return HOST_SYSCALL(SYS_mount_setattr, (long)(int)a[0], s0,
                            (long)(unsigned)a[2], p, (long)a[4]);
    case TARGET_NR_fsopen:
        HOST_STR(s0, a[0]);
        return HOST_SYSCALL(SYS_fsopen, s0, (long)(unsigned)a[1]);
    case TARGET_NR_fsconfig:
        return do_fsconfig(a);
    case TARGET_NR_fsmount:
        return HOST_SYSCALL(SYS_fsmount, (long)(int)a[0], (long)(unsigned)a[1],
                            (long)(unsigned)a[2]);
    case TARGET_NR_fspick:
    case TARGET_NR_open_tree:
        HOST_STR(s0, a[1]);
        return HOST_SYSCALL(num == TARGET_NR_fspick ? SYS_fspick
                                                    : SYS_open_tree,
                            (long)(int)a[0], s0, (long)(unsigned)a[2]);
    case TARGET_NR_move_mount:
        HOST_STR(s0, a[1]);
        HOST_STR(s1, a[3]);
        return HOST_SYSCALL(SYS_move_mount, (long)(int)a[0], s0,
                            (long)(int)a[2], s1, (long)(unsigned)a[4]);
    case TARGET_NR_swapon:
        HOST_STR(s0, a[0]);
        return HOST_SYSCALL(SYS_swapon, s0, (long)(int)a[1]);
    case TARGET_NR_swapoff:
        HOST_STR(s0, a[0]);
        return HOST_SYSCALL(SYS_swapoff, s0);
    case TARGET_NR_acct:
        HOST_STR(s0, a[0]);
        return HOST_SYSCALL(SYS_acct, s0);
    case TARGET_NR_vhangup:
        return HOST_SYSCALL(SYS_vhangup);
    default:
        return SC_UNHANDLED;
    }
}

/* A guest signal number for the host: 0 stays 0, a bad one stays bad. */
static int host_sig_arg(uint64_t sig)
{
    int hs;

    if (sig == 0) {
        return 0;
    }
    hs = sig <= TARGET_NSIG ? target_to_host_signal((int)sig) : 0;
    return hs ? hs : 1000; /* not a signal: the host says EINVAL */
}

/* pidfd_send_signal(pidfd, sig, info, flags) */
static int64_t do_pidfd_send_signal(const uint64_t *a)
{
    int hs = host_sig_arg(a[1]);
    siginfo_t info, *ip = NULL;

    if (a[2]) {
        if (copy_from_guest(&info, a[2], sizeof(info))) {
            ip = HOST_BAD_PTR; /* EFAULT after the descriptor checks */
        } else {
            /* si_signo must name the same signal (EINVAL otherwise) */
            info.si_signo = (uint64_t)info.si_signo == a[1] ? hs : -1;
            ip = &info;
        }
    }
    return HOST_SYSCALL(SYS_pidfd_send_signal, (long)(int)a[0], (long)hs, ip,
                        (long)(unsigned)a[3]);
}

/* Size of a struct file_handle as its handle_bytes says (max 128). */
static uint64_t file_handle_size(uint64_t addr)
{
    uint32_t bytes;

    if (copy_from_guest(&bytes, addr, 4)) {
        return 8;
    }
    return 8 + (bytes > 128 ? 128 : bytes);
}

/* Size of a versioned structure with a u32 size at offset @off. */
static uint64_t sized_struct(uint64_t addr, uint64_t off, uint64_t dflt,
                             uint64_t min)
{
    uint32_t size;

    if (addr == 0 || copy_from_guest(&size, addr + off, 4)) {
        return min;
    }
    if (size == 0) {
        size = dflt;
    }
    return size < min ? min : size > PAGE ? PAGE : size;
}

/* Processes: pidfds, kcmp, priorities, sched_attr, handles, syslog. */
static int64_t syscall_procs(int num, const uint64_t *a)
{
    void *p0, *p1;

    switch (num) {
    case TARGET_NR_pidfd_open:
        return HOST_SYSCALL(SYS_pidfd_open, (long)(int)a[0],
                            (long)(unsigned)a[1]);
    case TARGET_NR_pidfd_getfd:
        return procmem_opened(HOST_SYSCALL(SYS_pidfd_getfd, (long)(int)a[0],
                                           (long)(int)a[1],
                                           (long)(unsigned)a[2]));
    case TARGET_NR_pidfd_send_signal:
        return do_pidfd_send_signal(a);
    case TARGET_NR_process_mrelease:
        return HOST_SYSCALL(SYS_process_mrelease, (long)(int)a[0],
                            (long)(unsigned)a[1]);
    case TARGET_NR_kcmp:
        if (a[2] == 7) { /* KCMP_EPOLL_TFD: idx2 points to 3 u32 */
            HOST_PTR(p0, a[4], 12);
            return HOST_SYSCALL(SYS_kcmp, (long)(int)a[0], (long)(int)a[1],
                                (long)(int)a[2], (long)a[3], p0);
        }
        return HOST_SYSCALL(SYS_kcmp, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2], (long)a[3], (long)a[4]);
    case TARGET_NR_ioprio_get:
        return HOST_SYSCALL(SYS_ioprio_get, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_ioprio_set:
        return HOST_SYSCALL(SYS_ioprio_set, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_sched_setattr:
        HOST_PTR(p0, a[1], sized_struct(a[1], 0, 48, 48));
        return HOST_SYSCALL(SYS_sched_setattr, (long)(int)a[0], p0,
                            (long)(unsigned)a[2]);
    case TARGET_NR_sched_getattr:
        HOST_PTR(p0, a[1], (uint32_t)a[2] > PAGE ? PAGE : (uint32_t)a[2]);
        return HOST_SYSCALL(SYS_sched_getattr, (long)(int)a[0], p0,
                            (long)(unsigned)a[2], (long)(unsigned)a[3]);
    case TARGET_NR_syslog:
        HOST_PTR(p0, a[1], (int)a[2] > 0 ? (uint64_t)(int)a[2] : 0);
        return HOST_SYSCALL(SYS_syslog, (long)(int)a[0], p0, (long)(int)a[2]);
    case TARGET_NR_name_to_handle_at:
        HOST_STR(p0, a[1]);
        HOST_PTR(p1, a[2], file_handle_size(a[2]));
        {
            void *mnt;

            HOST_PTR(mnt, a[3], (a[4] & 1) ? 8 : 4);
            return HOST_SYSCALL(SYS_name_to_handle_at, (long)(int)a[0], p0, p1,
                                mnt, (long)(int)a[4]);
        }
    case TARGET_NR_open_by_handle_at:
        HOST_PTR(p0, a[1], file_handle_size(a[1]));
        return HOST_SYSCALL(SYS_open_by_handle_at, (long)(int)a[0], p0,
                            (long)(int)a[2]);
    case TARGET_NR_perf_event_open:
        HOST_PTR(p0, a[0], sized_struct(a[0], 4, 64, 64));
        return HOST_SYSCALL(SYS_perf_event_open, p0, (long)(int)a[1],
                            (long)(int)a[2], (long)(int)a[3], (long)a[4]);
    case TARGET_NR_restart_syscall:
        return -EINTR; /* nothing to restart: Linux's answer */
    default:
        return SC_UNHANDLED;
    }
}

/* Remote iovecs: guest addresses of the other process, same base. */
static int64_t do_process_vm(int num, const uint64_t *a)
{
    struct iovec *lv, *rv;
    int64_t ret;

    if (a[5] != 0) {
        return -EINVAL;
    }
    lv = lock_iovec(a[1], a[2], &ret);
    if (!lv) {
        return ret;
    }
    rv = lock_iovec(a[3], a[4], &ret);
    if (!rv) {
        free(lv);
        return ret;
    }
    ret =
        HOST_SYSCALL(num == TARGET_NR_process_vm_readv ? SYS_process_vm_readv
                                                       : SYS_process_vm_writev,
                     (long)(int)a[0], lv, (long)a[2], rv, (long)a[4], 0L);
    free(lv);
    free(rv);
    return ret;
}

static int64_t do_process_madvise(const uint64_t *a)
{
    struct iovec *v;
    int64_t ret;

    if (a[4] != 0) {
        return -EINVAL;
    }
    v = lock_iovec(a[1], a[2], &ret);
    if (!v) {
        return ret;
    }
    ret = HOST_SYSCALL(SYS_process_madvise, (long)(int)a[0], v, (long)a[2],
                       (long)(int)a[3], 0L);
    free(v);
    return ret;
}

/* move_pages(pid, count, pages, nodes, status, flags) */
static int64_t do_move_pages(const uint64_t *a)
{
    uint64_t n = a[1], i, g;
    void **pages = NULL, *nodes, *status;
    int64_t ret;

    if (n > (1u << 20)) {
        return -E2BIG;
    }
    if (n) {
        pages = malloc(n * sizeof(*pages));
        if (!pages) {
            return -ENOMEM;
        }
    }
    for (i = 0; i < n; i++) {
        if (copy_from_guest(&g, a[2] + i * 8, 8)) {
            free(pages);
            return -EFAULT;
        }
        /* an address outside the guest faults: status -EFAULT */
        HOST_PTR(pages[i], g, 1);
        if (pages[i] == NULL) {
            pages[i] = HOST_BAD_PTR;
        }
    }
    HOST_PTR(nodes, a[3], n * 4);
    HOST_PTR(status, a[4], n * 4);
    ret = HOST_SYSCALL(SYS_move_pages, (long)(int)a[0], (long)n, pages, nodes,
                       status, (long)(int)a[5]);
    free(pages);
    return ret;
}

/* Bytes of a node mask of @maxnode bits, as the kernel reads it. */
static uint64_t nodemask_bytes(uint64_t maxnode)
{
    return maxnode > 32768 ? 0 : (maxnode + 63) / 64 * 8;
}

/* NUMA policies and cross-process memory. */
static int64_t syscall_numa(int num, const uint64_t *a)
{
    void *p0, *p1;
    int64_t ret;

    switch (num) {
    case TARGET_NR_mbind:
        HOST_PTR(p0, a[3], nodemask_bytes(a[4]));
        /* a zero-length call makes the argument checks; holes: EFAULT */
        ret = HOST_SYSCALL(SYS_mbind, g2h(a[0]), 0L, (long)a[2], p0, (long)a[4],
                           (long)a[5]);
        if (ret < 0 || a[1] == 0) {
            return ret;
        }
        if (!guest_range_mapped(a[0], a[1])) {
            return -EFAULT;
        }
        return HOST_SYSCALL(SYS_mbind, g2h(a[0]), (long)a[1], (long)a[2], p0,
                            (long)a[4], (long)a[5]);
    case TARGET_NR_get_mempolicy: {
        void *addr = (void *)(uintptr_t)a[3];

        HOST_PTR(p0, a[0], 4);
        HOST_PTR(p1, a[1], nodemask_bytes(a[2]));
        if (a[3] && (a[4] & 2)) { /* MPOL_F_ADDR: a guest address */
            addr = guest_range_mapped(a[3], 1) ? g2h(a[3]) : HOST_BAD_PTR;
        }
        return HOST_SYSCALL(SYS_get_mempolicy, p0, p1, (long)a[2], addr,
                            (long)a[4]);
    }
    case TARGET_NR_set_mempolicy:
        HOST_PTR(p0, a[1], nodemask_bytes(a[2]));
        return HOST_SYSCALL(SYS_set_mempolicy, (long)(int)a[0], p0, (long)a[2]);
    case TARGET_NR_migrate_pages:
        HOST_PTR(p0, a[2], nodemask_bytes(a[1]));
        HOST_PTR(p1, a[3], nodemask_bytes(a[1]));
        return HOST_SYSCALL(SYS_migrate_pages, (long)(int)a[0], (long)a[1], p0,
                            p1);
    case TARGET_NR_set_mempolicy_home_node:
        if (!guest_range_valid(a[0], a[1])) {
            return -EINVAL;
        }
        return HOST_SYSCALL(SYS_set_mempolicy_home_node, g2h(a[0]), (long)a[1],
                            (long)a[2], (long)a[3]);
    case TARGET_NR_move_pages:
        return do_move_pages(a);
    case TARGET_NR_process_vm_readv:
    case TARGET_NR_process_vm_writev:
        return do_process_vm(num, a);
    case TARGET_NR_process_madvise:
        return do_process_madvise(a);
    default:
        return SC_UNHANDLED;
    }
}

/* keyctl(KEYCTL_DH_COMPUTE, params, buf, buflen, kdf): kdf holds pointers */
static int64_t do_keyctl_dh(const uint64_t *a)
{
    struct {
        uint64_t hashname, otherinfo;
        uint32_t otherinfolen, spare[8];
    } g;
    struct {
        void *hashname, *otherinfo;
        uint32_t otherinfolen, spare[8];
    } h, *hp = NULL;
    void *params, *buf;

    HOST_PTR(params, a[1], 12);
    HOST_PTR(buf, a[2], a[3]);
    if (a[4]) {
        if (copy_from_guest(&g, a[4], sizeof(g))) {
            hp = HOST_BAD_PTR;
        } else {
            HOST_STR(h.hashname, g.hashname);
            HOST_PTR(h.otherinfo, g.otherinfo, g.otherinfolen);
            h.otherinfolen = g.otherinfolen;
            memcpy(h.spare, g.spare, sizeof(h.spare));
            hp = &h;
        }
    }
    return HOST_SYSCALL(SYS_keyctl, 23L, params, buf, (long)a[3], hp);
}

/* keyctl(KEYCTL_PKEY_*, params, info, in, out): sizes are in params. */
static int64_t do_keyctl_pkey(const uint64_t *a)
{
    uint32_t p[3] = {0, 0, 0}; /* key_id, in_len, out_len/in2_len */
    void *params, *info, *in, *out;

    HOST_PTR(params, a[1], 40);
    HOST_STR(info, a[2]);
    (void)copy_from_guest(p, a[1], sizeof(p));
    HOST_PTR(in, a[3], p[1]);
    HOST_PTR(out, a[4], p[2]);
    return HOST_SYSCALL(SYS_keyctl, (long)a[0], params, info, in, out);
}

static int64_t do_keyctl(const uint64_t *a)
{
    void *p1, *p2, *p3;
    struct iovec *v;
    int64_t ret;

    switch (a[0]) {
    case 1:  /* JOIN_SESSION_KEYRING(name) */
    case 31: /* CAPABILITIES(buf, len) */
        if (a[0] == 1) {
            HOST_STR(p1, a[1]);
        } else {
            HOST_PTR(p1, a[1], a[2]);
        }
        return HOST_SYSCALL(SYS_keyctl, (long)a[0], p1, (long)a[2]);
    case 2:  /* UPDATE(id, payload, plen) */
    case 6:  /* DESCRIBE(id, buf, len) */
    case 11: /* READ(id, buf, len) */
    case 12: /* INSTANTIATE(id, payload, plen, ring) */
    case 17: /* GET_SECURITY(id, buf, len) */
        HOST_PTR(p2, a[2], a[3]);
        return HOST_SYSCALL(SYS_keyctl, (long)a[0], (long)a[1], p2, (long)a[3],
                            (long)a[4]);
    case 10: /* SEARCH(ring, type, desc, dest) */
    case 29: /* RESTRICT_KEYRING(ring, type, restriction) */
        HOST_STR(p2, a[2]);
        HOST_STR(p3, a[3]);
        return HOST_SYSCALL(SYS_keyctl, (long)a[0], (long)a[1], p2, p3,
                            (long)a[4]);
    case 20: /* INSTANTIATE_IOV(id, iov, ioc, ring) */
        v = lock_iovec(a[2], a[3], &ret);
        if (!v) {
            return ret;
        }
        ret = HOST_SYSCALL(SYS_keyctl, (long)a[0], (long)a[1], a[2] ? v : NULL,
                           (long)a[3], (long)a[4]);
        free(v);
        return ret;
    case 23:
        return do_keyctl_dh(a);
    case 24: /* PKEY_QUERY(id, reserved, info, query) */
        HOST_STR(p2, a[3]);
        HOST_PTR(p3, a[4], 48);
        return HOST_SYSCALL(SYS_keyctl, (long)a[0], (long)a[1], (long)a[2], p2,
                            p3);
    case 25: /* PKEY_ENCRYPT, DECRYPT, SIGN, VERIFY */
    case 26:
    case 27:
    case 28:
        return do_keyctl_pkey(a);
    default: /* plain integers (or an unknown command: EOPNOTSUPP) */
        return HOST_SYSCALL(SYS_keyctl, (long)a[0], (long)a[1], (long)a[2],
                            (long)a[3], (long)a[4]);
    }
}

/* quotactl's addr: its size follows the sub-command (cmd >> 8). */
static uint64_t quota_addr_size(uint64_t cmd)
{
    switch ((cmd >> 8) & 0xffffff) {
    case 0x800004: /* Q_GETFMT */
    case 0x5801:   /* Q_XQUOTAON, OFF, RM: u32 flags */
    case 0x5802:
    case 0x5806:
        return 4;
    case 0x800005: /* Q_GETINFO, SETINFO: struct if_dqinfo */
    case 0x800006:
        return 24;
    case 0x800007: /* Q_GETQUOTA, SETQUOTA, GETNEXTQUOTA: if_dqblk */
    case 0x800008:
    case 0x800009:
        return 72;
    case 0x5803: /* Q_XGETQUOTA, SETQLIM, GETNEXTQUOTA: fs_disk_quota */
    case 0x5804:
    case 0x5809:
        return 112;
    case 0x5805: /* Q_XGETQSTAT: fs_quota_stat */
        return 80;
    case 0x5808: /* Q_XGETQSTATV: fs_quota_statv */
        return 160;
    default:
        return 0;
    }
}

static void *quota_addr(uint64_t cmd, uint64_t addr)
{
    void *p;

    if (((cmd >> 8) & 0xffffff) == 0x800002) { /* Q_QUOTAON: a path */
        HOST_STR(p, addr);
    } else {
        HOST_PTR(p, addr, quota_addr_size(cmd));
    }
    return p;
}

/* Keys, quotas, modules, reboot, fanotify, landlock. */
static int64_t syscall_admin(int num, const uint64_t *a)
{
    void *p0, *p1, *p2;

    switch (num) {
    case TARGET_NR_add_key:
        HOST_STR(p0, a[0]);
        HOST_STR(p1, a[1]);
        HOST_PTR(p2, a[2], a[3]);
        return HOST_SYSCALL(SYS_add_key, p0, p1, p2, (long)a[3],
                            (long)(int)a[4]);
    case TARGET_NR_request_key:
        HOST_STR(p0, a[0]);
        HOST_STR(p1, a[1]);
        HOST_STR(p2, a[2]);
        return HOST_SYSCALL(SYS_request_key, p0, p1, p2, (long)(int)a[3]);
    case TARGET_NR_keyctl:
        return do_keyctl(a);
    case TARGET_NR_quotactl:
        HOST_STR(p0, a[1]);
        return HOST_SYSCALL(SYS_quotactl, (long)(int)a[0], p0, (long)(int)a[2],
                            quota_addr(a[0], a[3]));
    case TARGET_NR_quotactl_fd:
        return HOST_SYSCALL(SYS_quotactl_fd, (long)(int)a[0],
                            (long)(unsigned)a[1], (long)(int)a[2],
                            quota_addr(a[1], a[3]));
    case TARGET_NR_init_module:
        HOST_PTR(p0, a[0], a[1]);
        HOST_STR(p1, a[2]);
        return HOST_SYSCALL(SYS_init_module, p0, (long)a[1], p1);
    case TARGET_NR_finit_module:
        HOST_STR(p1, a[1]);
        return HOST_SYSCALL(SYS_finit_module, (long)(int)a[0], p1,
                            (long)(int)a[2]);
    case TARGET_NR_delete_module:
        HOST_STR(p0, a[0]);
        return HOST_SYSCALL(SYS_delete_module, p0, (long)(unsigned)a[1]);
    case TARGET_NR_reboot:
        HOST_STR(p0, a[3]); /* LINUX_REBOOT_CMD_RESTART2's command */
        return HOST_SYSCALL(SYS_reboot, (long)(int)a[0], (long)(int)a[1],
                            (long)(unsigned)a[2], p0);
    case TARGET_NR_fanotify_init:
        return HOST_SYSCALL(SYS_fanotify_init, (long)(unsigned)a[0],
                            (long)(unsigned)a[1]);
    case TARGET_NR_fanotify_mark:
        HOST_STR(p0, a[4]);
        return HOST_SYSCALL(SYS_fanotify_mark, (long)(int)a[0],
                            (long)(unsigned)a[1], (long)a[2], (long)(int)a[3],
                            p0);
    case TARGET_NR_landlock_create_ruleset:
        HOST_PTR(p0, a[0], a[1] > PAGE ? PAGE : a[1]);
        return HOST_SYSCALL(SYS_landlock_create_ruleset, p0, (long)a[1],
                            (long)(unsigned)a[2]);
    case TARGET_NR_landlock_add_rule:
        HOST_PTR(p0, a[2], a[1] == 1 ? 12 : 16);
        return HOST_SYSCALL(SYS_landlock_add_rule, (long)(int)a[0],
                            (long)(int)a[1], p0, (long)(unsigned)a[3]);
    case TARGET_NR_landlock_restrict_self:
        return HOST_SYSCALL(SYS_landlock_restrict_self, (long)(int)a[0],
                            (long)(unsigned)a[1]);
    default:
        return SC_UNHANDLED;
    }
}

/* futex_waitv(waiters, nr, flags, timeout, clockid): uaddr is a guest one */
static int64_t do_futex_waitv(const uint64_t *a)
{
    struct {
        uint64_t val, uaddr;
        uint32_t flags, reserved;
    } w[128];
    void *waiters = w, *ts;
    uint64_t i;

    if (a[2] != 0 || a[1] == 0 || a[1] > 128 || a[0] == 0) {
        return -EINVAL;
    }
    HOST_PTR(ts, a[3], 16);
    if (copy_from_guest(w, a[0], a[1] * sizeof(w[0]))) {
        waiters = HOST_BAD_PTR; /* EFAULT after the timeout's checks */
    } else {
        for (i = 0; i < a[1]; i++) {
            void *h;

            HOST_PTR(h, w[i].uaddr, 4);
            w[i].uaddr = (uintptr_t)h;
        }
    }
    return SAFE_SYSCALL(SYS_futex_waitv, waiters, (long)a[1], 0L, ts,
                        (long)(int)a[4]);
}

/* openat2(dirfd, path, how, size): procfs and -L like openat. */
static int64_t do_openat2(CPURISCVState *env, const uint64_t *a)
{
    struct {
        uint64_t flags, mode, resolve;
    } how;
    char pbuf[PATH_BUF_SIZE];
    const char *path;
    void *hp;

    HOST_PTR(hp, a[2], a[3] > PAGE ? PAGE : a[3]);
    HOST_STR(path, a[1]);
    if (path && path != HOST_BAD_PTR) {
        if (a[3] >= sizeof(how) && a[3] <= PAGE &&
            copy_from_guest(&how, a[2], sizeof(how)) == 0 && how.resolve == 0 &&
            how.flags <= UINT32_MAX && how.mode <= 07777) {
            int64_t ret = procfs_open(env, path, (int)how.flags, (int)how.mode);

            if (ret != SC_UNHANDLED) {
                return ret;
            }
        }
        path = path_prefixed(path, pbuf, sizeof(pbuf));
    }
    return procmem_opened(
        SAFE_SYSCALL(SYS_openat2, (long)(int)a[0], path, hp, (long)a[3]));
}

/* riscv64 has no protection keys (Linux's answers for such an arch). */
static int64_t do_pkey(int num, const uint64_t *a)
{
    switch (num) {
    case TARGET_NR_pkey_alloc:
        return a[0] != 0 || (a[1] & ~3ull) ? -EINVAL : -ENOSPC;
    case TARGET_NR_pkey_free:
        return -EINVAL;
    default: /* pkey_mprotect(start, len, prot, pkey) */
        if (a[0] & (PAGE - 1)) {
            return -EINVAL;
        }
        if (a[1] == 0) {
            return 0;
        }
        if ((int)a[3] != -1 && (int)a[3] != 0) {
            return -EINVAL;
        }
        return target_mprotect(a[0], a[1], (int)a[2]);
    }
}

int64_t syscall_sys(CPURISCVState *env, int num, const uint64_t *a)
{
    int64_t ret;
    void *p0, *p1;

    switch (num) {
    case TARGET_NR_openat2:
        return do_openat2(env, a);
    case TARGET_NR_futex_waitv:
        return do_futex_waitv(a);
    case TARGET_NR_cachestat:
        HOST_PTR(p0, a[1], 16);
        HOST_PTR(p1, a[2], 40);
        return HOST_SYSCALL(SYS_cachestat, (long)(int)a[0], p0, p1,
                            (long)(unsigned)a[3]);
    case TARGET_NR_memfd_secret:
        return HOST_SYSCALL(SYS_memfd_secret, (long)(unsigned)a[0]);
    case TARGET_NR_pkey_alloc:
    case TARGET_NR_pkey_free:
    case TARGET_NR_pkey_mprotect:
        return do_pkey(num, a);
    default:
        break;
    }
    ret = syscall_mount(num, a);
    if (ret == SC_UNHANDLED) {
        ret = syscall_procs(num, a);
    }
    if (ret == SC_UNHANDLED) {
        ret = syscall_numa(num, a);
    }
    if (ret == SC_UNHANDLED) {
        ret = syscall_admin(num, a);
    }
    return ret;
}
