/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Process syscalls: exit, fork (clone without CLONE_VM), wait, identity,
 * resource limits, uname, sysinfo, scheduling, prctl and friends.
 *
 * Design: everything here is a host passthrough through raw syscall(2) so
 * that per-thread semantics stay the kernel's (glibc's setuid() & co would
 * broadcast to all host threads, including the emulator's own helpers; the
 * guest's libc does its own broadcasting).  Structures (rlimit, rusage,
 * sysinfo, utsname, siginfo) have the same layout on riscv64 and x86-64.
 * Threads: clone with CLONE_VM (and without CLONE_VFORK), exit and
 * set_tid_address go to thread.c (thread.h); fork flavours of clone are
 * handled here with a host fork().  riscv64 uses the CLONE_BACKWARDS
 * argument order: clone(flags, newsp, ptid, tls, ctid).
 */
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/gdbstub.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
#include "linux-user/thread.h"
#include "tcg/log.h"

/* The running program, for /proc/self/auxv and cmdline (set by main.c). */
struct image_info *exec_info;

/* Guest robust futex list head (per thread): recorded, never walked. */
static __thread uint64_t robust_list_head;

#define CLONE_FORK_OK                                      \
    (CSIGNAL | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
     CLONE_PARENT_SETTID | CLONE_SETTLS | CLONE_VFORK | CLONE_VM)

/* clone(flags, newsp, ptid, tls, ctid): threads go to thread.c. */
static int64_t do_clone(CPURISCVState *env, const uint64_t *a)
{
    uint64_t flags = a[0], newsp = a[1], ptid = a[2], tls = a[3];
    uint64_t ctid = a[4];
    int sig = flags & CSIGNAL;
    sigset_t oldmask;
    int64_t pid;

    if (clone_flags_are_thread(flags)) {
        return do_clone_thread(env, flags, newsp, ptid, tls, ctid);
    }
    if (flags & ~(uint64_t)CLONE_FORK_OK) {
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("clone: unsupported flags 0x%" PRIx64 "\n", flags);
        }
        return -EINVAL;
    }
    if ((flags & CLONE_CHILD_SETTID) && !guest_access_ok(ctid, 4, true)) {
        return -EFAULT;
    }
    if ((flags & CLONE_PARENT_SETTID) && !guest_access_ok(ptid, 4, true)) {
        return -EFAULT;
    }
    /*
     * vfork: the child shares memory (vfork.c); where it cannot, and for
     * CLONE_VFORK without CLONE_VM, a fork (the parent does not wait).
     */
    if ((flags & CLONE_VM) && (flags & CLONE_VFORK) && vfork_shares_memory()) {
        uint64_t robust = robust_list_head;

        pid = do_clone_vfork(env, flags, newsp, ptid, tls, ctid);
        robust_list_head = robust; /* the child's set_robust_list */
        return pid;
    }
    if (tcg_logfile) {
        fflush(tcg_logfile);
    }
    thread_fork_start();
    cpu_fork_start();
    mmap_fork_start();
    /*
     * No host signal may reach a handler between fork and
     * signal_fork_child(): the child would put a signal sent to it in a
     * slot that signal_fork_child() then clears (the signal lost, and a
     * child killed right after fork would run on).  Blocked, such a
     * signal stays pending in the host kernel until the child's first
     * process_pending_signals() restores its mask.
     */
    signal_host_block_all(&oldmask);
    if (sig == SIGCHLD) {
        pid = get_errno(fork());
    } else {
        pid = HOST_SYSCALL(SYS_clone, (long)sig, 0L, 0L, 0L, 0L);
    }
    if (pid != 0) {
        signal_host_set_mask(&oldmask);
    }
    mmap_fork_end(pid == 0);
    cpu_fork_end(pid == 0);
    thread_fork_end(pid == 0);
    if (pid == 0) {
        thread_fork_child();
        gdbstub_fork_child(); /* the child runs undebugged, as qemu's */
    }
    if (pid < 0) {
        return pid;
    }
    if (pid == 0) {
        uint32_t tid = (uint32_t)syscall(SYS_gettid);

        signal_fork_child();
        riscv_vector_fork_child(env); /* Linux: a zeroed V state */
        if (newsp) {
            env->gpr[2] = newsp;
        }
        if (flags & CLONE_SETTLS) {
            env->gpr[4] = tls;
        }
        if (flags & CLONE_CHILD_SETTID) {
            copy_to_guest(ctid, &tid, 4);
        }
        if (flags & CLONE_PARENT_SETTID) {
            copy_to_guest(ptid, &tid, 4);
        }
        if (flags & CLONE_CHILD_CLEARTID) {
            thread_set_clear_child_tid(ctid);
        }
        return 0;
    }
    if (flags & CLONE_PARENT_SETTID) {
        uint32_t tid = pid;
        copy_to_guest(ptid, &tid, 4);
    }
    return pid;
}

/* Does this thread have capability @cap in its effective set? */
static bool has_cap(int cap)
{
    struct {
        uint32_t version;
        int pid;
    } h = {0x20080522, 0};
    uint32_t d[6];

    if (syscall(SYS_capget, &h, d) != 0) {
        return false;
    }
    return d[(cap / 32) * 3] & (1u << (cap % 32));
}

/*
 * The guest's RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK.  The emulator
 * shares the host process: limits on its address space, data and stack
 * would constrain ctcg itself, so they are not applied (as QEMU does) but
 * kept here, with Linux's checks (EINVAL, EPERM for raising the hard limit
 * without CAP_SYS_RESOURCE), and read back; execve hands the stack limit
 * to the host for the new program (execve.c).
 */
static struct rlimit64 guest_rlim[3];
static bool guest_rlim_set[3];

/* mmap.c checks the guest's RLIMIT_AS and RLIMIT_DATA (may_expand_vm). */
static void guest_rlimit_tell_mmap(void)
{
    mmap_set_rlimits(
        guest_rlim_set[0] ? guest_rlim[0].rlim_cur : RLIM64_INFINITY,
        guest_rlim_set[1] ? guest_rlim[1].rlim_cur : RLIM64_INFINITY,
        guest_rlim_set[1] ? guest_rlim[1].rlim_max : RLIM64_INFINITY);
}

/**
 * guest_rlimit_init() - at startup, before the guest space is reserved:
 * the host's RLIMIT_AS and RLIMIT_DATA become the guest's, and the host's
 * soft limits are raised to the hard ones, so that the emulator (its
 * 256 GiB reservation, its code buffer, its heap) is bound only by those.
 * execve hands the guest's values back to the host for the new program.
 */
void guest_rlimit_init(void)
{
    for (int slot = 0; slot < 2; slot++) {
        int res = slot == 0 ? RLIMIT_AS : RLIMIT_DATA;
        struct rlimit64 lim;

        if (prlimit64(0, res, NULL, &lim) != 0) {
            continue;
        }
        guest_rlim[slot] = lim;
        guest_rlim_set[slot] = true;
        if (lim.rlim_cur != lim.rlim_max) {
            lim.rlim_cur = lim.rlim_max;
            prlimit64(0, res, &lim, NULL);
        }
    }
    guest_rlimit_tell_mmap();
}

bool guest_rlimit(int res, struct rlimit64 *lim)
{
    int slot = res == RLIMIT_AS ? 0 : res == RLIMIT_DATA ? 1 : 2;

    *lim = guest_rlim[slot];
    return guest_rlim_set[slot];
}

static int rlim_slot(uint64_t res)
{
    return res == RLIMIT_AS      ? 0
           : res == RLIMIT_DATA  ? 1
           : res == RLIMIT_STACK ? 2
                                 : -1;
}

static int64_t do_prlimit_emul(int slot, uint64_t res,
                               const struct rlimit64 *newl, uint64_t old_addr)
{
    struct rlimit64 cur;
    int64_t ret;

    ret = HOST_SYSCALL(SYS_prlimit64, 0L, (long)res, NULL, &cur);
    if (ret < 0) {
        return ret;
    }
    if (guest_rlim_set[slot]) {
        cur = guest_rlim[slot];
    }
    if (newl) {
        if (newl->rlim_max > cur.rlim_max && !has_cap(CAP_SYS_RESOURCE)) {
            return -EPERM;
        }
        guest_rlim[slot] = *newl;
        guest_rlim_set[slot] = true;
        if (slot < 2) {
            guest_rlimit_tell_mmap();
        }
    }
    if (old_addr && copy_to_guest(old_addr, &cur, sizeof(cur))) {
        return -EFAULT;
    }
    return 0;
}

static int64_t do_prlimit(uint64_t pid, uint64_t res, uint64_t new_addr,
                          uint64_t old_addr)
{
    struct rlimit64 newl, oldl;
    int slot = rlim_slot(res);
    int64_t ret;

    if (new_addr) {
        if (copy_from_guest(&newl, new_addr, sizeof(newl))) {
            return -EFAULT;
        }
        if (newl.rlim_cur > newl.rlim_max) {
            return -EINVAL;
        }
    }
    if (slot >= 0 && ((int)pid == 0 || (int)pid == getpid())) {
        return do_prlimit_emul(slot, res, new_addr ? &newl : NULL, old_addr);
    }
    if (slot >= 0) {
        new_addr = 0; /* another process: not applied either */
    }
    ret = HOST_SYSCALL(SYS_prlimit64, (long)(int)pid, (long)res,
                       new_addr ? &newl : NULL, old_addr ? &oldl : NULL);
    if (ret == 0 && old_addr && copy_to_guest(old_addr, &oldl, sizeof(oldl))) {
        return -EFAULT;
    }
    return ret;
}

static int64_t do_uname(uint64_t addr)
{
    struct utsname u;

    if (uname(&u) < 0) {
        return -errno;
    }
    snprintf(u.machine, sizeof(u.machine), "riscv64");
    if (syscall_personality_get() & UNAME26) {
        syscall_uname26(u.release, sizeof(u.release));
    }
    return copy_to_guest(addr, &u, sizeof(u));
}

/*
 * PR_SET_MM: Linux's argument checks, then CAP_SYS_RESOURCE (EPERM, asked
 * of the host with an option it rejects after that check), then the
 * address must be a guest one.  The values are not kept: only /proc/pid/
 * stat and /proc/pid/environ would show them, and those are the host's.
 */
static int64_t do_prctl_set_mm(const uint64_t *a)
{
    uint32_t size = 104; /* sizeof(struct prctl_mm_map) */

    if (a[4] || (a[3] && a[1] != PR_SET_MM_AUXV && a[1] != PR_SET_MM_MAP &&
                 a[1] != PR_SET_MM_MAP_SIZE)) {
        return -EINVAL;
    }
    if (a[1] == PR_SET_MM_MAP_SIZE) {
        return copy_to_guest(a[2], &size, 4) ? -EFAULT : 0;
    }
    if (a[1] == PR_SET_MM_MAP) {
        return -EINVAL; /* checkpoint/restore of the guest: not offered */
    }
    if (!has_cap(CAP_SYS_RESOURCE)) {
        return -EPERM;
    }
    if (a[1] < PR_SET_MM_START_CODE || a[1] > PR_SET_MM_EXE_FILE ||
        a[1] == PR_SET_MM_EXE_FILE || a[1] == PR_SET_MM_AUXV) {
        return -EINVAL;
    }
    if (a[2] >= guest_space_size || a[2] < 65536) {
        return -EINVAL;
    }
    return 0;
}

/* PR_GET_AUXV(buf, size): the guest's auxiliary vector. */
static int64_t do_prctl_get_auxv(const uint64_t *a)
{
    uint64_t len = exec_info ? exec_info->auxv_len : 0, n;
    uint8_t buf[512];

    if (a[3] || a[4]) {
        return -EINVAL;
    }
    n = len < a[2] ? len : a[2];
    if (n > sizeof(buf) || (n && copy_from_guest(buf, exec_info->auxv, n))) {
        return -EFAULT;
    }
    return n && copy_to_guest(a[1], buf, n) ? -EFAULT : (int64_t)len;
}

/*
 * PR_RISCV_V_SET_CONTROL (69): Linux's riscv_v_vstate_ctrl_set_current.
 * cur OFF only while the thread has no V state (EPERM), DEFAULT keeps
 * cur; next and the inherit bit are stored for execve.
 */
static int64_t do_prctl_v_set(CPURISCVState *env, uint64_t arg)
{
    uint32_t cur = arg & RISCV_V_CTRL_CUR_MASK;
    uint32_t next = (arg & RISCV_V_CTRL_NEXT_MASK) >> 2;

    if (!env->cfg.ext_v || (arg & ~(uint64_t)RISCV_V_CTRL_MASK)) {
        return -EINVAL;
    }
    if (cur == RISCV_V_CTRL_OFF && env->vused) {
        return -EPERM;
    }
    if (cur == RISCV_V_CTRL_DEFAULT) {
        cur = env->vctrl & RISCV_V_CTRL_CUR_MASK;
    } else if (cur != RISCV_V_CTRL_OFF && cur != RISCV_V_CTRL_ON) {
        return -EINVAL;
    }
    if (next > RISCV_V_CTRL_ON) {
        return -EINVAL;
    }
    env->vctrl = cur | (next << 2) | (arg & RISCV_V_CTRL_INHERIT);
    return 0;
}

static int64_t do_prctl(CPURISCVState *env, const uint64_t *a)
{
    char name[16];

    switch (a[0]) {
    case 69: /* PR_RISCV_V_SET_CONTROL */
        return do_prctl_v_set(env, a[1]);
    case 70: /* PR_RISCV_V_GET_CONTROL */
        return env->cfg.ext_v ? (int64_t)(env->vctrl & RISCV_V_CTRL_MASK)
                              : -EINVAL;
    case PR_GET_NAME:
        if (prctl(PR_GET_NAME, name, 0, 0, 0) < 0) {
            return -errno;
        }
        return copy_to_guest(a[1], name, sizeof(name));
    case PR_SET_NAME:
        if (copy_from_guest(name, a[1], sizeof(name)) < 0) {
            /* the string may end before a page boundary */
            int64_t len = guest_strlen(a[1]);
            if (len < 0) {
                return len;
            }
            memset(name, 0, sizeof(name));
            memcpy(name, g2h(a[1]), len < 15 ? len : 15);
        }
        name[15] = 0;
        return get_errno(prctl(PR_SET_NAME, name, 0, 0, 0));
    case PR_GET_PDEATHSIG: {
        int32_t hs = 0, gs;
        int64_t ret;

        ret = HOST_SYSCALL(SYS_prctl, (long)a[0], &hs, 0L, 0L, 0L);
        if (ret < 0) {
            return ret;
        }
        gs = host_to_target_signal(hs);
        return copy_to_guest(a[1], &gs, 4) ? -EFAULT : ret;
    }
    case PR_SET_PDEATHSIG: /* a guest signal number, 0 for none */
        if (a[1] != 0 && target_to_host_signal((int)a[1]) == 0) {
            return -EINVAL;
        }
        return HOST_SYSCALL(SYS_prctl, (long)a[0],
                            (long)target_to_host_signal((int)a[1]), 0L, 0L, 0L);
    case PR_GET_CHILD_SUBREAPER:
    case PR_GET_TID_ADDRESS: {
        void *p;
        if (a[0] == PR_GET_TID_ADDRESS) {
            return -EINVAL; /* would expose a host address */
        }
        GUEST_PTR(p, a[1], 4);
        return HOST_SYSCALL(SYS_prctl, (long)a[0], p, 0L, 0L, 0L);
    }
    case PR_GET_DUMPABLE:
    case PR_SET_DUMPABLE:
    case PR_GET_KEEPCAPS:
    case PR_SET_KEEPCAPS:
    case PR_GET_TIMERSLACK:
    case PR_SET_TIMERSLACK:
    case PR_SET_CHILD_SUBREAPER:
    case PR_SET_NO_NEW_PRIVS:
    case PR_GET_NO_NEW_PRIVS:
    case PR_CAPBSET_READ:
    case PR_GET_SECUREBITS:
    case PR_GET_THP_DISABLE:
    case PR_SET_THP_DISABLE:
    case PR_GET_SECCOMP:
    case PR_CAPBSET_DROP:
    case PR_SET_SECUREBITS:
    case PR_CAP_AMBIENT:
    case PR_MCE_KILL:
    case PR_MCE_KILL_GET:
    case PR_SET_PTRACER:
    case PR_TASK_PERF_EVENTS_DISABLE:
    case PR_TASK_PERF_EVENTS_ENABLE:
    case 57: /* PR_SET_IO_FLUSHER */
    case 58: /* PR_GET_IO_FLUSHER */
        return HOST_SYSCALL(SYS_prctl, (long)a[0], (long)a[1], (long)a[2],
                            (long)a[3], (long)a[4]);
    case PR_SET_MM:
        return do_prctl_set_mm(a);
    case PR_SET_SECCOMP:
        return do_prctl_set_seccomp(a);
    case 0x41555856: /* PR_GET_AUXV(buf, size) */
        return do_prctl_get_auxv(a);
    default:
        /* PR_SET_VMA, PR_SET_SYSCALL_USER_DISPATCH, PR_SET_MDWE... would
         * act on the emulator. */
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("Unsupported prctl: %" PRIu64 "\n", a[0]);
        }
        return -EINVAL;
    }
}

static int64_t do_robust_list(int num, const uint64_t *a)
{
    if (num == TARGET_NR_set_robust_list) {
        /*
         * Recorded for get_robust_list but not given to the host kernel:
         * it would walk the list with host pointers when the thread dies.
         * Robust mutexes still work while their owner lives.
         */
        if (a[1] != 24) {
            return -EINVAL;
        }
        robust_list_head = a[0];
        return 0;
    }
    if ((int)a[0] != 0 && (int)a[0] != (int)syscall(SYS_gettid)) {
        /*
         * Another thread or process: the host says ESRCH or EPERM (no
         * ptrace access) as Linux does; its head is not known here (the
         * host's would be the emulator's own): NULL.
         */
        uint64_t head = 0, hlen;
        int64_t ret =
            HOST_SYSCALL(SYS_get_robust_list, (long)(int)a[0], &head, &hlen);

        if (ret < 0) {
            return ret;
        }
        head = 0;
        return copy_to_guest(a[2], &hlen, 8) || copy_to_guest(a[1], &head, 8)
                   ? -EFAULT
                   : 0;
    }
    /* the length reported is always sizeof(struct robust_list_head) */
    if (copy_to_guest(a[2], &(uint64_t){24}, 8) ||
        copy_to_guest(a[1], &robust_list_head, 8)) {
        return -EFAULT;
    }
    return 0;
}

/* Identity: uid/gid getters and setters, groups, capabilities. */
static int64_t syscall_ids(int num, const uint64_t *a)
{
    void *p0, *p1, *p2;

    switch (num) {
    case TARGET_NR_getuid:
        return HOST_SYSCALL(SYS_getuid);
    case TARGET_NR_geteuid:
        return HOST_SYSCALL(SYS_geteuid);
    case TARGET_NR_getgid:
        return HOST_SYSCALL(SYS_getgid);
    case TARGET_NR_getegid:
        return HOST_SYSCALL(SYS_getegid);
    case TARGET_NR_setuid:
        return HOST_SYSCALL(SYS_setuid, (long)a[0]);
    case TARGET_NR_setgid:
        return HOST_SYSCALL(SYS_setgid, (long)a[0]);
    case TARGET_NR_setreuid:
        return HOST_SYSCALL(SYS_setreuid, (long)a[0], (long)a[1]);
    case TARGET_NR_setregid:
        return HOST_SYSCALL(SYS_setregid, (long)a[0], (long)a[1]);
    case TARGET_NR_setresuid:
        return HOST_SYSCALL(SYS_setresuid, (long)a[0], (long)a[1], (long)a[2]);
    case TARGET_NR_setresgid:
        return HOST_SYSCALL(SYS_setresgid, (long)a[0], (long)a[1], (long)a[2]);
    case TARGET_NR_setfsuid:
        return HOST_SYSCALL(SYS_setfsuid, (long)a[0]);
    case TARGET_NR_setfsgid:
        return HOST_SYSCALL(SYS_setfsgid, (long)a[0]);
    case TARGET_NR_getresuid:
    case TARGET_NR_getresgid:
        GUEST_PTR(p0, a[0], 4);
        GUEST_PTR(p1, a[1], 4);
        GUEST_PTR(p2, a[2], 4);
        return HOST_SYSCALL(num == TARGET_NR_getresuid ? SYS_getresuid
                                                       : SYS_getresgid,
                            p0, p1, p2);
    case TARGET_NR_getgroups:
        if ((int)a[0] < 0) {
            return -EINVAL;
        }
        GUEST_PTR_OPT(p0, a[1], a[0] * 4);
        return HOST_SYSCALL(SYS_getgroups, (long)(int)a[0], p0);
    case TARGET_NR_setgroups:
        if ((int)a[0] < 0) {
            return -EINVAL;
        }
        GUEST_PTR_OPT(p0, a[1], a[0] * 4);
        return HOST_SYSCALL(SYS_setgroups, (long)(int)a[0], p0);
    case TARGET_NR_capget:
    case TARGET_NR_capset:
        /* header {u32 version; int pid}, data 2 x {u32 eff, perm, inh} */
        HOST_PTR(p0, a[0], 8);
        HOST_PTR(p1, a[1], 24);
        return HOST_SYSCALL(num == TARGET_NR_capget ? SYS_capget : SYS_capset,
                            p0, p1);
    default:
        return SC_UNHANDLED;
    }
}

/* Scheduling: affinity, priorities, policies, getcpu. */
static int64_t syscall_sched(int num, const uint64_t *a)
{
    void *p0, *p1;

    switch (num) {
    case TARGET_NR_sched_yield:
        return HOST_SYSCALL(SYS_sched_yield);
    case TARGET_NR_sched_getaffinity:
    case TARGET_NR_sched_setaffinity:
        HOST_PTR(p0, a[2], a[1]);
        return HOST_SYSCALL(num == TARGET_NR_sched_getaffinity
                                ? SYS_sched_getaffinity
                                : SYS_sched_setaffinity,
                            (long)(int)a[0], (long)a[1], p0);
    case TARGET_NR_sched_get_priority_max:
        return HOST_SYSCALL(SYS_sched_get_priority_max, (long)(int)a[0]);
    case TARGET_NR_sched_get_priority_min:
        return HOST_SYSCALL(SYS_sched_get_priority_min, (long)(int)a[0]);
    case TARGET_NR_sched_getscheduler:
        return HOST_SYSCALL(SYS_sched_getscheduler, (long)(int)a[0]);
    case TARGET_NR_sched_setscheduler:
        HOST_PTR(p0, a[2], 4);
        return HOST_SYSCALL(SYS_sched_setscheduler, (long)(int)a[0],
                            (long)(int)a[1], p0);
    case TARGET_NR_sched_getparam:
    case TARGET_NR_sched_setparam:
        /* HOST_PTR: Linux's EINVAL (NULL, pid < 0) comes before EFAULT */
        HOST_PTR(p0, a[1], 4);
        return HOST_SYSCALL(num == TARGET_NR_sched_getparam
                                ? SYS_sched_getparam
                                : SYS_sched_setparam,
                            (long)(int)a[0], p0);
    case TARGET_NR_sched_rr_get_interval:
        HOST_PTR(p0, a[1], 16);
        return HOST_SYSCALL(SYS_sched_rr_get_interval, (long)(int)a[0], p0);
    case TARGET_NR_getpriority:
        return HOST_SYSCALL(SYS_getpriority, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_setpriority:
        return HOST_SYSCALL(SYS_setpriority, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_getcpu:
        HOST_PTR(p0, a[0], 4);
        HOST_PTR(p1, a[1], 4);
        return HOST_SYSCALL(SYS_getcpu, p0, p1, NULL);
    default:
        return SC_UNHANDLED;
    }
}

/* Waiting and process groups. */
static int64_t syscall_wait(int num, const uint64_t *a)
{
    void *p0, *p1;
    int64_t ret;

    switch (num) {
    case TARGET_NR_wait4:
        GUEST_PTR_OPT(p0, a[1], 4);
        GUEST_PTR_OPT(p1, a[3], sizeof(struct rusage));
        ret = SAFE_SYSCALL(SYS_wait4, (long)(int)a[0], p0, (long)(int)a[2], p1);
        if (ret > 0 && p0) {
            /* signal numbers in the status are the guest's (signal.c) */
            *(int *)p0 = host_to_target_waitstatus(*(int *)p0);
        }
        return ret;
    case TARGET_NR_waitid:
        GUEST_PTR_OPT(p0, a[2], 128);
        GUEST_PTR_OPT(p1, a[4], sizeof(struct rusage));
        ret = SAFE_SYSCALL(SYS_waitid, (long)(int)a[0], (long)(int)a[1], p0,
                           (long)(int)a[3], p1);
        if (ret == 0 && p0) {
            siginfo_t si = *(siginfo_t *)p0;

            if (si.si_signo == SIGCHLD) {
                host_to_target_siginfo(p0, &si, SIGCHLD);
            }
        }
        return ret;
    case TARGET_NR_getpid:
        return HOST_SYSCALL(SYS_getpid);
    case TARGET_NR_getppid:
        return HOST_SYSCALL(SYS_getppid);
    case TARGET_NR_gettid:
        return HOST_SYSCALL(SYS_gettid);
    case TARGET_NR_getpgid:
        return HOST_SYSCALL(SYS_getpgid, (long)(int)a[0]);
    case TARGET_NR_setpgid:
        return HOST_SYSCALL(SYS_setpgid, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_getsid:
        return HOST_SYSCALL(SYS_getsid, (long)(int)a[0]);
    case TARGET_NR_setsid:
        return HOST_SYSCALL(SYS_setsid);
    default:
        return SC_UNHANDLED;
    }
}

int64_t syscall_proc(CPURISCVState *env, int num, const uint64_t *a)
{
    void *p0;
    int64_t ret;

    switch (num) {
    case TARGET_NR_exit:
        do_exit_thread(env, (int)a[0]);
    case TARGET_NR_exit_group:
        do_exit_group((int)a[0]);
    case TARGET_NR_clone:
        return do_clone(env, a);
    case TARGET_NR_clone3:
        return -ENOSYS; /* glibc falls back to clone */
    case TARGET_NR_execve:
        return do_execveat(env, AT_FDCWD, a[0], a[1], a[2], 0);
    case TARGET_NR_execveat:
        return do_execveat(env, (int)a[0], a[1], a[2], a[3], (int)a[4]);
    case TARGET_NR_set_tid_address:
        /* thread.c clears and wakes the guest's word at thread exit */
        thread_set_clear_child_tid(a[0]);
        return HOST_SYSCALL(SYS_gettid);
    case TARGET_NR_set_robust_list:
    case TARGET_NR_get_robust_list:
        return do_robust_list(num, a);
    case TARGET_NR_rseq:
        return -ENOSYS;
    case TARGET_NR_uname:
        return do_uname(a[0]);
    case TARGET_NR_sysinfo:
        GUEST_PTR(p0, a[0], sizeof(struct sysinfo));
        return HOST_SYSCALL(SYS_sysinfo, p0);
    case TARGET_NR_getrusage:
        GUEST_PTR(p0, a[1], sizeof(struct rusage));
        return HOST_SYSCALL(SYS_getrusage, (long)(int)a[0], p0);
    case TARGET_NR_prlimit64:
        return do_prlimit(a[0], a[1], a[2], a[3]);
    case TARGET_NR_getrlimit: /* NULL is a bad pointer here, not "none" */
        return a[1] ? do_prlimit(0, a[0], 0, a[1]) : -EFAULT;
    case TARGET_NR_setrlimit:
        return a[1] ? do_prlimit(0, a[0], a[1], 0) : -EFAULT;
    case TARGET_NR_prctl:
        return do_prctl(env, a);
    case TARGET_NR_personality:
        return do_personality(a[0]);
    case TARGET_NR_getrandom:
        GUEST_PTR(p0, a[0], a[1]);
        return HOST_SYSCALL(SYS_getrandom, p0, (long)a[1], (long)(int)a[2]);
    case TARGET_NR_sethostname:
    case TARGET_NR_setdomainname:
        HOST_PTR(p0, a[0], a[1]); /* EPERM, EINVAL (length) first */
        return HOST_SYSCALL(num == TARGET_NR_sethostname ? SYS_sethostname
                                                         : SYS_setdomainname,
                            p0, (long)a[1]);
    case TARGET_NR_seccomp:
        return do_seccomp(a);
    default:
        break;
    }
    ret = syscall_ids(num, a);
    if (ret == SC_UNHANDLED) {
        ret = syscall_sched(num, a);
    }
    if (ret == SC_UNHANDLED) {
        ret = syscall_wait(num, a);
    }
    return ret;
}
