/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The signal syscalls: argument copying and number conversion around
 * signal.c, which keeps the state (dispositions, per-thread masks,
 * altstacks, pending signals) and delivers signals.
 *
 * Guest signal numbers and masks are converted to the host's at every
 * crossing (signal.c's table: real-time signals are shifted, see
 * docs/signals.md; guest 63 and 64 are host 32 and 33).  Syscalls that
 * block go through SAFE_SYSCALL so that a signal interrupts them without
 * a window.
 *
 * signalfd: the records a signalfd returns carry host signal numbers, so
 * ctcg remembers which guest fds are signalfds (a bitmap set by signalfd4
 * and dup, cleared by close) and converts what read and readv return from
 * them.  A set bit is checked against /proc/self/fd before converting, so
 * a stale one (close_range, an fd replaced by dup2) costs a readlink and
 * converts nothing.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "linux-user/fdset.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

static FdSet signalfd_fds;

void signalfd_note(int fd, bool on)
{
    fdset_note(&signalfd_fds, fd, on);
}

bool signalfd_is(int fd)
{
    char path[32], link[32];
    ssize_t n;

    if (!fdset_has(&signalfd_fds, fd)) {
        return false;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
    n = readlink(path, link, sizeof(link) - 1);
    if (n < 0) {
        return errno != ENOENT; /* no /proc: trust the bitmap */
    }
    link[n] = 0;
    return strcmp(link, "anon_inode:[signalfd]") == 0;
}

/* Signal @sig (0 allowed for the existence check) as the host's, or -1. */
static int host_sig_or_zero(uint64_t sig)
{
    int hs;

    if (sig == 0) {
        return 0;
    }
    if (sig > TARGET_NSIG) {
        return -1;
    }
    hs = target_to_host_signal((int)sig);
    return hs ? hs : -1;
}

static int64_t do_rt_sigaction(const uint64_t *a)
{
    struct target_sigaction act, oact;
    int64_t ret;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (a[1] && copy_from_guest(&act, a[1], sizeof(act))) {
        return -EFAULT;
    }
    if (a[2] && !guest_access_ok(a[2], sizeof(oact), true)) {
        return -EFAULT;
    }
    ret =
        signal_do_sigaction((int)a[0], a[1] ? &act : NULL, a[2] ? &oact : NULL);
    if (ret == 0 && a[2]) {
        copy_to_guest(a[2], &oact, sizeof(oact));
    }
    return ret;
}

static int64_t do_rt_sigprocmask(const uint64_t *a)
{
    uint64_t set, old;
    int64_t ret;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (a[1] && copy_from_guest(&set, a[1], 8)) {
        return -EFAULT;
    }
    if (a[2] && !guest_access_ok(a[2], 8, true)) {
        return -EFAULT;
    }
    ret = signal_do_sigprocmask((int)a[0], a[1] ? &set : NULL, &old);
    if (ret == 0 && a[2]) {
        copy_to_guest(a[2], &old, 8);
    }
    return ret;
}

static int64_t do_sigaltstack(CPURISCVState *env, const uint64_t *a)
{
    target_stack_t ss, oss;
    int64_t ret;

    if (a[0] && copy_from_guest(&ss, a[0], sizeof(ss))) {
        return -EFAULT;
    }
    if (a[1] && !guest_access_ok(a[1], sizeof(oss), true)) {
        return -EFAULT;
    }
    ret = signal_do_sigaltstack(a[0] ? &ss : NULL, a[1] ? &oss : NULL,
                                env->gpr[2]);
    if (a[1]) {
        /* Linux writes the old stack even when the new one is refused. */
        copy_to_guest(a[1], &oss, sizeof(oss));
    }
    return ret;
}

static int64_t do_rt_sigsuspend(const uint64_t *a)
{
    sigset_t set;
    int64_t ret = signal_suspend_begin(a[0], a[1], &set);

    if (ret < 0) {
        return ret;
    }
    ret = SAFE_SYSCALL(SYS_rt_sigsuspend, &set, 8L);
    signal_suspend_end(ret);
    return ret;
}

static int64_t do_rt_sigtimedwait(const uint64_t *a)
{
    uint64_t mask;
    sigset_t set;
    siginfo_t hinfo;
    uint8_t tinfo[128];
    void *ts;
    int64_t ret;
    int sig;

    if (a[3] != 8) {
        return -EINVAL;
    }
    if (copy_from_guest(&mask, a[0], 8)) {
        return -EFAULT;
    }
    if (a[1] && !guest_access_ok(a[1], 128, true)) {
        return -EFAULT;
    }
    GUEST_PTR_OPT(ts, a[2], 16);
    /* Pending already (inside ctcg or in the host kernel)? */
    sig = signal_dequeue(mask, tinfo);
    if (sig) {
        if (a[1]) {
            copy_to_guest(a[1], tinfo, 128);
        }
        return sig;
    }
    target_to_host_sigset(&set, mask);
    ret = SAFE_SYSCALL(SYS_rt_sigtimedwait, &set, &hinfo, ts, 8L);
    if (ret > 0) {
        ret = signal_waited(mask, (int)ret, &hinfo, tinfo);
        if (a[1]) {
            copy_to_guest(a[1], tinfo, 128);
        }
    }
    return ret;
}

/* rt_sigqueueinfo and rt_tgsigqueueinfo: the guest's siginfo, converted. */
static int64_t do_sigqueueinfo(int num, const uint64_t *a)
{
    uint64_t sig = num == TARGET_NR_rt_sigqueueinfo ? a[1] : a[2];
    uint64_t uinfo = num == TARGET_NR_rt_sigqueueinfo ? a[2] : a[3];
    siginfo_t info;
    int hs = host_sig_or_zero(sig);

    if (hs < 0) {
        return -EINVAL;
    }
    if (copy_from_guest(&info, uinfo, 128)) {
        return -EFAULT;
    }
    info.si_signo = hs;
    if (num == TARGET_NR_rt_sigqueueinfo) {
        return HOST_SYSCALL(SYS_rt_sigqueueinfo, (long)(int)a[0], (long)hs,
                            &info);
    }
    return HOST_SYSCALL(SYS_rt_tgsigqueueinfo, (long)(int)a[0], (long)(int)a[1],
                        (long)hs, &info);
}

/* signalfd4(fd, mask, sizemask, flags): the mask converted. */
static int64_t do_signalfd4(const uint64_t *a)
{
    uint64_t mask;
    sigset_t set;
    int64_t ret;

    if (a[2] != 8) {
        return -EINVAL;
    }
    if (copy_from_guest(&mask, a[1], 8)) {
        return -EFAULT;
    }
    target_to_host_sigset(&set, mask);
    ret =
        HOST_SYSCALL(SYS_signalfd4, (long)(int)a[0], &set, 8L, (long)(int)a[3]);
    if (ret >= 0) {
        signalfd_note((int)ret, true);
    }
    return ret;
}

int64_t syscall_signal(CPURISCVState *env, int num, const uint64_t *a)
{
    uint64_t set;
    int hs;

    switch (num) {
    case TARGET_NR_rt_sigaction:
        return do_rt_sigaction(a);
    case TARGET_NR_rt_sigprocmask:
        return do_rt_sigprocmask(a);
    case TARGET_NR_sigaltstack:
        return do_sigaltstack(env, a);
    case TARGET_NR_rt_sigpending:
        if (a[1] != 8) {
            return -EINVAL;
        }
        set = signal_pending_set();
        return copy_to_guest(a[0], &set, 8);
    case TARGET_NR_rt_sigsuspend:
        return do_rt_sigsuspend(a);
    case TARGET_NR_rt_sigtimedwait:
        return do_rt_sigtimedwait(a);
    case TARGET_NR_rt_sigreturn:
        return signal_do_rt_sigreturn(env);
    case TARGET_NR_kill:
        hs = host_sig_or_zero(a[1]);
        if (hs < 0) {
            return -EINVAL;
        }
        return HOST_SYSCALL(SYS_kill, (long)(int)a[0], (long)hs);
    case TARGET_NR_tkill:
        hs = host_sig_or_zero(a[1]);
        if (hs < 0) {
            return -EINVAL;
        }
        return HOST_SYSCALL(SYS_tkill, (long)(int)a[0], (long)hs);
    case TARGET_NR_tgkill:
        hs = host_sig_or_zero(a[2]);
        if (hs < 0) {
            return -EINVAL;
        }
        return HOST_SYSCALL(SYS_tgkill, (long)(int)a[0], (long)(int)a[1],
                            (long)hs);
    case TARGET_NR_rt_sigqueueinfo:
    case TARGET_NR_rt_tgsigqueueinfo:
        return do_sigqueueinfo(num, a);
    case TARGET_NR_signalfd4:
        return do_signalfd4(a);
    default:
        return SC_UNHANDLED;
    }
}
