/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest siginfos (signal-info.c): the riscv64 layout, its conversion
 * to and from the host's, and the resending of a process-directed signal
 * (retargeting, docs/signals.md), for signal.c.
 */
#ifndef LINUX_USER_SIGNAL_INFO_H
#define LINUX_USER_SIGNAL_INFO_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

/* Linux riscv64's signal frame (arch/riscv/include/uapi/asm). */
typedef struct target_siginfo {
    int32_t si_signo;
    int32_t si_errno;
    int32_t si_code;
    int32_t pad;
    union {
        uint8_t raw[112];
        uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE */
        struct {
            int32_t pid;
            uint32_t uid;
            int32_t status; /* SIGCHLD */
        } chld;
    } u;
} target_siginfo_t;

/*
 * A marker si_code for a signal this process sends to itself again
 * (signal_resend_to_process); si_errno then holds the original si_code.
 * Unknown to the kernel, so the bytes past its 48-byte siginfo must be
 * zero.
 */
#define CTCG_SI_RESENT (-64)

/**
 * signal_target_to_host_siginfo() - the reverse of host_to_target_siginfo
 * (for sending again): @t of guest signal @sig to @host.
 */
void signal_target_to_host_siginfo(siginfo_t *host, const target_siginfo_t *t,
                                   int sig);

/**
 * signal_sent_to_thread() - was host signal @hs sent to the thread (tgkill,
 * the kernel's own SIGPIPE or SIGXFSZ for a write) rather than to the
 * process?  A guest's rt_tgsigqueueinfo cannot be told from sigqueue: it
 * counts as sent to the process.
 */
bool signal_sent_to_thread(int hs, const siginfo_t *info);

/**
 * signal_resend_to_process() - send a process-directed signal this thread
 * took but will not deliver to the process again, with its siginfo, so
 * that a thread that does not block it takes it (Linux's
 * retarget_shared_pending).  The kernel lets
 * a thread other than the main one queue only negative si_codes: others
 * travel as CTCG_SI_RESENT (host_to_target_siginfo undoes it).
 * Context: host signals blocked in this thread, its host handler, or a
 * thread that takes no guest signal any more (signal_thread_exit).
 * Returns: 0 or -errno.
 */
int signal_resend_to_process(siginfo_t *info);

#endif
