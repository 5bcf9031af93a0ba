/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest signal bookkeeping, until real signal delivery lands (a later
 * issue replaces this file's rt_sig* handling).
 *
 * Design: the guest's dispositions (rt_sigaction), its blocked mask
 * (rt_sigprocmask) and its alternate stack (sigaltstack) are kept in a
 * per-process table so that libc's calls succeed and read back what they
 * wrote.  Only SIG_IGN and SIG_DFL reach the host, for the signals the
 * emulator does not use itself: a guest ignoring SIGPIPE must see EPIPE
 * rather than die, and an ignored SIGCHLD changes wait().  A guest handler
 * leaves the host disposition at SIG_DFL: the signal acts as if unhandled.
 * kill/tkill/tgkill go to the host (same signal numbers).
 */
#include <signal.h>
#include <string.h>

#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

#define TARGET_SIG_DFL 0
#define TARGET_SIG_IGN 1
#define TARGET_SS_DISABLE 2
#define TARGET_MINSIGSTKSZ 2048

/* Dispositions are per process; the mask and altstack are per thread (a
 * new thread starts with an empty mask and no altstack for now). */
typedef struct GuestSignalState {
    struct target_sigaction action[TARGET_NSIG + 1];
} GuestSignalState;

typedef struct GuestThreadSignals {
    uint64_t blocked;
    uint64_t altstack_sp, altstack_size;
    int altstack_flags;
} GuestThreadSignals;

static GuestSignalState sigstate;
static __thread GuestThreadSignals tsig = {.altstack_flags = TARGET_SS_DISABLE};

static uint64_t sigbit(int sig)
{
    return 1ull << (sig - 1);
}

/* Signals whose host disposition belongs to the emulator or to libc. */
static bool host_owned_signal(int sig)
{
    switch (sig) {
    case SIGSEGV:
    case SIGBUS:
    case SIGILL:
    case SIGFPE:
    case SIGTRAP:
    case SIGSYS:
    case SIGKILL:
    case SIGSTOP:
        return true;
    default:
        return sig >= 32; /* host glibc's internal real-time signals */
    }
}

static void apply_host_disposition(int sig, uint64_t handler)
{
    struct sigaction sa;

    if (host_owned_signal(sig)) {
        return;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler == TARGET_SIG_IGN ? SIG_IGN : SIG_DFL;
    sigaction(sig, &sa, NULL);
}

static int64_t do_rt_sigaction(const uint64_t *a)
{
    int sig = (int)a[0];
    struct target_sigaction act;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (sig < 1 || sig > TARGET_NSIG) {
        return -EINVAL;
    }
    if (a[1] && (sig == SIGKILL || sig == SIGSTOP)) {
        return -EINVAL;
    }
    if (a[1] && copy_from_guest(&act, a[1], sizeof(act))) {
        return -EFAULT;
    }
    if (a[2] && copy_to_guest(a[2], &sigstate.action[sig], sizeof(act))) {
        return -EFAULT;
    }
    if (a[1]) {
        act.sa_mask &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
        sigstate.action[sig] = act;
        apply_host_disposition(sig, act.sa_handler_);
    }
    return 0;
}

static int64_t do_rt_sigprocmask(const uint64_t *a)
{
    uint64_t set, old = tsig.blocked;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (a[1]) {
        if (copy_from_guest(&set, a[1], 8)) {
            return -EFAULT;
        }
        switch (a[0]) {
        case SIG_BLOCK:
            tsig.blocked |= set;
            break;
        case SIG_UNBLOCK:
            tsig.blocked &= ~set;
            break;
        case SIG_SETMASK:
            tsig.blocked = set;
            break;
        default:
            return -EINVAL;
        }
        tsig.blocked &= ~(sigbit(SIGKILL) | sigbit(SIGSTOP));
    }
    if (a[2] && copy_to_guest(a[2], &old, 8)) {
        tsig.blocked = old;
        return -EFAULT;
    }
    return 0;
}

/* stack_t: { void *ss_sp; int ss_flags; size_t ss_size; } (24 bytes) */
static int64_t do_sigaltstack(const uint64_t *a)
{
    uint8_t buf[24];
    uint64_t sp, size;
    int32_t flags;

    if (a[1]) {
        memset(buf, 0, sizeof(buf));
        memcpy(buf, &tsig.altstack_sp, 8);
        memcpy(buf + 8, &tsig.altstack_flags, 4);
        memcpy(buf + 16, &tsig.altstack_size, 8);
        if (copy_to_guest(a[1], buf, sizeof(buf))) {
            return -EFAULT;
        }
    }
    if (a[0]) {
        if (copy_from_guest(buf, a[0], sizeof(buf))) {
            return -EFAULT;
        }
        memcpy(&sp, buf, 8);
        memcpy(&flags, buf + 8, 4);
        memcpy(&size, buf + 16, 8);
        if (flags & ~TARGET_SS_DISABLE) {
            return -EINVAL;
        }
        if (!(flags & TARGET_SS_DISABLE) && size < TARGET_MINSIGSTKSZ) {
            return -ENOMEM;
        }
        tsig.altstack_sp = sp;
        tsig.altstack_size = size;
        tsig.altstack_flags = flags;
    }
    return 0;
}

/* A forked child keeps the parent's table (fork semantics): nothing yet. */
void signal_fork_child(void)
{
}

int64_t syscall_signal(CPURISCVState *env, int num, const uint64_t *a)
{
    void *p0, *p1, *p2;
    uint64_t zero = 0;

    (void)env;
    switch (num) {
    case TARGET_NR_rt_sigaction:
        return do_rt_sigaction(a);
    case TARGET_NR_rt_sigprocmask:
        return do_rt_sigprocmask(a);
    case TARGET_NR_sigaltstack:
        return do_sigaltstack(a);
    case TARGET_NR_rt_sigpending:
        if (a[1] != 8) {
            return -EINVAL;
        }
        return copy_to_guest(a[0], &zero, 8);
    case TARGET_NR_rt_sigsuspend:
        if (a[1] != 8) {
            return -EINVAL;
        }
        GUEST_PTR(p0, a[0], 8);
        return HOST_SYSCALL(SYS_rt_sigsuspend, p0, 8L);
    case TARGET_NR_rt_sigtimedwait:
        GUEST_PTR(p0, a[0], 8);
        GUEST_PTR_OPT(p1, a[1], 128);
        GUEST_PTR_OPT(p2, a[2], 16);
        return HOST_SYSCALL(SYS_rt_sigtimedwait, p0, p1, p2, (long)a[3]);
    case TARGET_NR_rt_sigreturn:
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("rt_sigreturn: signal delivery not supported yet\n");
        }
        return -ENOSYS;
    case TARGET_NR_kill:
        return HOST_SYSCALL(SYS_kill, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_tkill:
        return HOST_SYSCALL(SYS_tkill, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_tgkill:
        return HOST_SYSCALL(SYS_tgkill, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_rt_sigqueueinfo:
        GUEST_PTR(p0, a[2], 128);
        return HOST_SYSCALL(SYS_rt_sigqueueinfo, (long)(int)a[0],
                            (long)(int)a[1], p0);
    case TARGET_NR_rt_tgsigqueueinfo:
        GUEST_PTR(p0, a[3], 128);
        return HOST_SYSCALL(SYS_rt_tgsigqueueinfo, (long)(int)a[0],
                            (long)(int)a[1], (long)(int)a[2], p0);
    default:
        return SC_UNHANDLED;
    }
}
