/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest siginfos: conversion between the host's and riscv64's (the same
 * 128-byte generic layout; the signal numbers differ, see signal.c), wait
 * statuses, signalfd records, and the resending of a process-directed
 * signal that a thread took but will not deliver (retargeting,
 * docs/signals.md).  Split off signal.c; stateless.
 */
#include <errno.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "linux-user/signal-info.h"
#include "linux-user/signal.h"

int host_to_target_waitstatus(int status)
{
    if (WIFSIGNALED(status) && host_to_target_signal(WTERMSIG(status))) {
        return (status & ~0x7f) | host_to_target_signal(WTERMSIG(status));
    }
    if (WIFSTOPPED(status) && host_to_target_signal(WSTOPSIG(status))) {
        return (status & 0xff) | (host_to_target_signal(WSTOPSIG(status)) << 8);
    }
    return status;
}

/* A SIGCHLD whose si_status is a signal number (not an exit status). */
static bool chld_status_is_signal(int sig, int code)
{
    return sig == SIGCHLD && code >= CLD_KILLED && code <= CLD_CONTINUED;
}

void host_to_target_siginfo(void *guest, const siginfo_t *host, int sig)
{
    target_siginfo_t *t = guest;
    int st;

    /* Both are the 128-byte 64-bit generic layout. */
    memcpy(t, host, sizeof(*t));
    t->si_signo = sig;
    if (t->si_code == CTCG_SI_RESENT) {
        t->si_code = t->si_errno;
        t->si_errno = 0;
    }
    st = t->u.chld.status;
    if (chld_status_is_signal(sig, t->si_code) && st > 0 && st <= _NSIG &&
        host_to_target_signal(st)) {
        t->u.chld.status = host_to_target_signal(st);
    }
}

void host_to_target_signalfd_siginfo(void *buf, size_t len)
{
    /* struct signalfd_siginfo is the same on riscv64 and x86-64. */
    for (size_t off = 0; off + sizeof(struct signalfd_siginfo) <= len;
         off += sizeof(struct signalfd_siginfo)) {
        struct signalfd_siginfo r;
        int st;

        memcpy(&r, (char *)buf + off, sizeof(r));
        if (r.ssi_code == CTCG_SI_RESENT) {
            r.ssi_code = r.ssi_errno;
            r.ssi_errno = 0;
        }
        st = r.ssi_status;
        if (chld_status_is_signal((int)r.ssi_signo, r.ssi_code) && st > 0 &&
            st <= _NSIG && host_to_target_signal(st)) {
            r.ssi_status = host_to_target_signal(st);
        }
        if (r.ssi_signo > 0 && r.ssi_signo <= _NSIG &&
            host_to_target_signal((int)r.ssi_signo)) {
            r.ssi_signo = host_to_target_signal((int)r.ssi_signo);
        }
        memcpy((char *)buf + off, &r, sizeof(r));
    }
}

void signal_target_to_host_siginfo(siginfo_t *host, const target_siginfo_t *t,
                                   int sig)
{
    target_siginfo_t h = *t;

    h.si_signo = target_to_host_signal(sig);
    /* target_to_host_signal is 0 out of 1..TARGET_NSIG */
    if (chld_status_is_signal(sig, h.si_code) &&
        target_to_host_signal(h.u.chld.status)) {
        h.u.chld.status = target_to_host_signal(h.u.chld.status);
    }
    memcpy(host, &h, sizeof(h));
}

bool signal_sent_to_thread(int hs, const siginfo_t *info)
{
    if (info->si_code == SI_TKILL) {
        return true;
    }
    return (hs == SIGPIPE || hs == SIGXFSZ) && info->si_code == SI_USER &&
           info->si_pid == getpid();
}

int signal_resend_to_process(siginfo_t *info)
{
    int hs = info->si_signo;

    if (info->si_code >= 0) {
        info->si_errno = info->si_code;
        info->si_code = CTCG_SI_RESENT;
    }
    /* Past the kernel's siginfo: must be zero for an unknown si_code. */
    memset((char *)info + 48, 0, sizeof(*info) - 48);
    if (syscall(SYS_rt_sigqueueinfo, (long)getpid(), (long)hs, info) < 0) {
        return -errno;
    }
    return 0;
}
