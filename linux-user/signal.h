/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest signals (signal.c): the interface the CPU loop, the syscall layer
 * and thread.c use.  See signal.c and docs/signals.md for the design.
 */
#ifndef LINUX_USER_SIGNAL_H
#define LINUX_USER_SIGNAL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target-riscv/cpu.h"

/*
 * Set by the host signal handler when a guest signal was queued for the
 * calling thread; cleared by process_pending_signals().  Read by
 * safe_syscall_base right before its syscall instruction.
 */
extern __thread int ctcg_signal_pending;

/*
 * safe_syscall_base() (safe-syscall.S): a host syscall that a guest
 * signal interrupts without a window: returns the kernel's result
 * (>= 0 or -errno), or -CTCG_ERESTARTSYS when a signal came first.
 * Use SAFE_SYSCALL(SYS_x, args...) like HOST_SYSCALL, for every syscall
 * that can block.  Context: a guest thread (signal_thread_init done).
 */
long safe_syscall_base(int *pending, long number, ...);
#define SAFE_SYSCALL(...) \
    ((int64_t)safe_syscall_base(&ctcg_signal_pending, __VA_ARGS__))

/*
 * First thing at start-up, before any thread exists: block every host
 * signal (but the fault signals) so that threads libraries create inherit
 * that, and remember the mask we were started with for signal_init().
 */
void signal_early_init(void);

/**
 * signal_init() - process start-up: signal number tables, host handlers,
 * the sigreturn trampoline page, the main thread's signal state.
 * Context: main.c, after loader_exec(), before cpu_loop().
 */
void signal_init(CPURISCVState *env);

/**
 * signal_frame_size() - Linux's get_rt_frame_size: the rt_sigframe and,
 * with V, the V context and END header, 16-byte aligned.  @all: count V
 * whenever the CPU has it (AT_MINSIGSTKSZ), else only when the thread has
 * V state to save.
 */
uint64_t signal_frame_size(const CPURISCVState *env, bool all);

/*
 * A new guest thread (clone): @blocked is its guest signal mask (the
 * creating thread's, from signal_get_blocked()); @area, if not NULL, is
 * SIGNAL_THREAD_AREA_SIZE bytes for its signal state.  Context: the new thread,
 * before it runs guest code.
 */
void signal_thread_init(CPURISCVState *env, uint64_t blocked, void *area);
/*
 * The bytes of @area for signal_thread_init: the slots' siginfos, written
 * only when a signal comes.  NULL @area: they are malloc'd.  @area must
 * outlive the thread's signal_thread_exit.
 */
#define SIGNAL_THREAD_AREA_SIZE ((64 + 1) * 128) /* TARGET_NSIG + 1 */
/*
 * The new guest thread's host mask from now on mirrors its guest mask
 * (one syscall).  Context: the new thread, after signal_thread_init,
 * right before its CPU loop.
 */
void signal_thread_start(void);
uint64_t signal_get_blocked(void);
/*
 * The calling guest thread is about to end: it takes no guest signal
 * from now on, and passes the process-directed signals it holds on to the
 * process.
 */
void signal_thread_exit(void);
/*
 * Block every host signal in the calling thread (32 and 33 included,
 * which pthread_sigmask() would leave alone), the old mask to @old if not
 * NULL; and set the host mask to @set.
 */
void signal_host_block_all(sigset_t *old);
void signal_host_set_mask(const sigset_t *set);
/*
 * Whether the calling thread's host mask is known to block every signal
 * but the synchronous fault ones (and KILL, STOP): as in a guest thread
 * whose guest blocks all, or after signal_host_block_all.
 */
bool signal_host_blocks_all(void);
/* The calling thread's host mask to @mask (KILL and STOP left out), if
 * known exactly.  Returns: whether it is. */
bool signal_host_mask_known(uint64_t *mask);
/* A forked child: drop the pending signals (Linux semantics). */
void signal_fork_child(void);

/*
 * vfork (vfork.c).  The child runs on the TLS of the calling thread,
 * which waits in the host clone until the child execs or exits.
 * signal_vfork_begin() - block host signals and save this thread's signal
 * state in *@save.  Returns 0, -CTCG_ERESTARTSYS (a signal came first) or
 * -ENOMEM.
 * signal_vfork_child() - in the child: dispositions of its own (a copy),
 * no pending signals; its first process_pending_signals sets its mask.
 * signal_vfork_end() - in the parent, once the child is gone: the saved
 * state back (the next process_pending_signals restores the host mask);
 * frees @save.
 */
typedef struct SignalVforkSave SignalVforkSave;
int signal_vfork_begin(SignalVforkSave **save);
void signal_vfork_child(SignalVforkSave *save);
void signal_vfork_end(SignalVforkSave *save);

/*
 * A synchronous guest fault (cpu_loop): @sig with @code and si_addr
 * @addr, delivered before anything else by process_pending_signals().
 */
void queue_sync_signal(CPURISCVState *env, int sig, int code, uint64_t addr);

/*
 * Deliver what is pending for the calling thread: build the guest's
 * signal frame or take the default action.  Cheap when nothing is
 * pending.  Context: the CPU loop, outside cpu_exec.
 */
void process_pending_signals(CPURISCVState *env);

/* End the process the way the default action of guest @sig does. */
void signal_terminate(CPURISCVState *env, int sig) __attribute__((noreturn));

/* Guest <-> host signal numbers (0: no counterpart) and masks. */
int target_to_host_signal(int sig);
int host_to_target_signal(int sig);
void target_to_host_sigset(sigset_t *host, uint64_t guest);
uint64_t host_to_target_sigset(const sigset_t *host);
/* A host wait status with its signal numbers made the guest's. */
int host_to_target_waitstatus(int status);

/*
 * Syscalls that install a guest mask for their duration (ppoll, pselect6,
 * epoll_pwait, rt_sigsuspend): signal_suspend_begin() reads the guest mask
 * at @addr (@size must be 8) into @host (for the host call);
 * signal_suspend_end() with the call's result makes a signal that
 * interrupted it be delivered with that mask in force, as Linux does.
 * Returns 0 or -errno.
 */
int signal_suspend_begin(uint64_t addr, uint64_t size, sigset_t *host);
void signal_suspend_end(int64_t ret);

/*
 * The signal syscalls (called by syscall-signal.c with guest values
 * already copied in; results as the kernel's).
 */
struct target_sigaction;
typedef struct target_stack {
    uint64_t ss_sp;
    int32_t ss_flags;
    int32_t pad;
    uint64_t ss_size;
} target_stack_t;

int64_t signal_do_sigaction(int sig, const struct target_sigaction *act,
                            struct target_sigaction *oact);
int64_t signal_do_sigprocmask(int how, const uint64_t *set, uint64_t *old);
int64_t signal_do_sigaltstack(const target_stack_t *ss, target_stack_t *oss,
                              uint64_t sp);
int64_t signal_do_rt_sigreturn(CPURISCVState *env);
/* Guest signals pending and blocked for the calling thread. */
uint64_t signal_pending_set(void);
/*
 * rt_sigtimedwait: take the lowest-numbered signal of @set pending for
 * the calling thread, inside ctcg or in the host kernel, without waiting,
 * with its siginfo (128 bytes, guest layout) in @info.  Returns: the
 * signal number, or 0.
 */
int signal_dequeue(uint64_t set, void *info);
/*
 * rt_sigtimedwait: the host kernel returned @host_sig with @hinfo for the
 * guest set @set; @info gets the guest siginfo of the signal to return,
 * which is a lower one when the host sorted 63 or 64 first.  Returns: that
 * guest signal.
 */
int signal_waited(uint64_t set, int host_sig, const siginfo_t *hinfo,
                  void *info);
/* siginfo (128 bytes) between the host's and the guest's numbering. */
void host_to_target_siginfo(void *guest, const siginfo_t *host, int sig);
/* Records read from a signalfd (@len bytes) made the guest's, in place. */
void host_to_target_signalfd_siginfo(void *buf, size_t len);

/*
 * Guest fds that are signalfds, so that reads from them are converted:
 * signalfd_note() after signalfd4 or a dup of one (@on false: @fd is
 * something else now), signalfd_is() before a read.
 */
void signalfd_note(int fd, bool on);
bool signalfd_is(int fd);

#endif
