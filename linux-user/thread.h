/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest threads (thread.c): the hooks the syscall layer calls.
 */
#ifndef LINUX_USER_THREAD_H
#define LINUX_USER_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "target-riscv/cpu.h"

/* Does clone with @flags create a thread (shared memory) rather than a
 * process? */
bool clone_flags_are_thread(uint64_t flags);

/**
 * do_clone_thread() - clone(flags, newsp, ptid, tls, ctid) for threads.
 * Context: the calling guest thread, outside cpu_exec (in a syscall).
 * Returns: the new thread's tid, or -errno (-EINVAL for flag combinations
 * other than the thread ones).
 */
int64_t do_clone_thread(CPURISCVState *env, uint64_t flags, uint64_t newsp,
                        uint64_t parent_tidptr, uint64_t tls,
                        uint64_t child_tidptr);

/**
 * do_clone_vfork() - clone(CLONE_VM | CLONE_VFORK) (vfork.c): the child
 * shares memory, the caller waits until it execs or exits.
 * Context: the calling guest thread, in a syscall.
 * Returns: the child's pid, or -errno (-CTCG_ERESTARTSYS).
 */
int64_t do_clone_vfork(CPURISCVState *env, uint64_t flags, uint64_t newsp,
                       uint64_t ptid, uint64_t tls, uint64_t ctid);

/*
 * Can a vfork share memory now?  Not under gdb (the child would run
 * undebugged on a vCPU gdb knows) nor in ThreadSanitizer builds (a second
 * process on a thread's TSan state): vfork is then a fork.
 */
bool vfork_shares_memory(void);

/* Is the calling task a vfork child (on its parent's thread's TLS)? */
bool vfork_in_child(void);

/*
 * Around a vfork (vfork.c): thread_vfork_begin() sets the child's
 * clear-child-tid address (@child, or 0) and returns this thread's;
 * thread_vfork_end() does for a child that ran (@child_ran) what Linux's
 * mm_release does at its exec or exit (store 0 at its address, as it was
 * last set, and wake), then puts @saved back.
 */
uint64_t thread_vfork_begin(uint64_t child);
void thread_vfork_end(uint64_t saved, bool child_ran);

/* In a forked child: the calling thread is the only guest thread. */
void thread_fork_child(void);

/*
 * Around fork(), before cpu_fork_start and after cpu_fork_end: no new
 * thread is half initialised while the address space is copied.
 */
void thread_fork_start(void);
void thread_fork_end(bool child);

/* set_tid_address: where this thread's exit stores 0 and wakes. */
void thread_set_clear_child_tid(uint64_t addr);

/* exit: end the calling guest thread (the process if it is the last). */
void do_exit_thread(CPURISCVState *env, int status) __attribute__((noreturn));

/* exit_group: end every thread of the process now. */
void do_exit_group(int status) __attribute__((noreturn));

/**
 * thread_dump_stats() - where clones' host stacks came from (TCG_STATS):
 * the pool of exited threads', fresh ones made ahead by new threads, or
 * mapped by the clone itself.
 */
void thread_dump_stats(FILE *f);
void do_exit_thread_killed(CPURISCVState *env) __attribute__((noreturn));

#endif
