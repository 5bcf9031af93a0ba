/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfork: the guest's clone(CLONE_VM | CLONE_VFORK), as Linux runs it.
 *
 * The child shares the parent's memory until it execs or exits, and the
 * calling guest thread waits until then (glibc's posix_spawn reports an
 * exec failure by writing errno into the parent's memory; shells and make
 * start programs with vfork + exec).  ctcg does what Linux does: a host
 * clone(CLONE_VM | CLONE_VFORK | exit signal) of the emulator.  The child
 * is a process of its own (pid, descriptor table, signal handlers, host
 * signal mask, rlimits, cwd) sharing every byte of memory with the parent:
 * guest memory, code buffer, TB hash, page flags, locks.  It runs, on a
 * fresh host stack, the guest child on the calling thread's vCPU
 * (CPUState, env, TCG context, jump cache) and thread-local storage: that
 * thread is suspended in the host clone until the child execs or exits,
 * so nothing else uses them meanwhile (glibc's vfork child uses its
 * parent's TLS the same way).  Because the vCPU is the same, the parent's
 * other threads count the child as that vCPU in exclusive sections
 * (flushes, invalidation): it is stopped at a TB boundary like any vCPU
 * (cpu_exit sets env->hdr.exit_request in the shared memory).  Locks are
 * pthread mutexes on private futexes, keyed by the address space, which
 * the child shares: they work between the two processes; liburcu (the
 * membarrier flavour) covers every task of the address space too.
 *
 * What is per-process in Linux but kept in ctcg's memory is made the
 * child's own or put back when it is gone:
 *  - the guest registers: saved here, restored in the parent afterwards
 *    (not env->hdr: exit_request and the jump cache, which the child may
 *    have grown, belong to the vCPU);
 *  - signal state (signal_vfork_*): the thread's mask, pending slots and
 *    alternate stack are saved and restored; the child gets a copy of the
 *    dispositions (posix_spawn's child resets handlers to SIG_DFL);
 *  - set_tid_address / CLONE_CHILD_CLEARTID: the parent does for the
 *    child what Linux's mm_release does at its exec or exit (the memory is
 *    shared: store 0 and wake), then restores its own;
 *  - exits: a vfork child's exit, exit_group and fatal signal end only its
 *    process (raw exit_group / the signal), with no gdb report, statistics
 *    or log and stdout flushing, which are the parent's.
 * The parent repairs the vCPU state a child killed at a random point may
 * leave (running, an exclusive section, an RCU read-side section).
 * Differences from Linux (docs/syscalls.md): state kept in shared memory
 * that is not listed above is shared with the parent while the child runs
 * (the emulated rlimits, seccomp filters, the signalfd / proc-mem fd
 * bits); a child killed while it holds another lock (the map lock, a
 * malloc arena) leaves it held.  Under gdb (-g) and in ThreadSanitizer
 * builds, vfork stays a fork (vfork_shares_memory).
 */
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <urcu.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/gdbstub.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
#include "linux-user/thread.h"

#define VFORK_STACK_SIZE (1u << 20)
#define VFORK_STACK_GUARD 4096u

/* This task is a vfork child running on the TLS of its parent's thread. */
static __thread bool vfork_child;

typedef struct VforkArgs {
    CPURISCVState *env;
    SignalVforkSave *sig;
    uint64_t flags, newsp, ptid, tls, ctid;
} VforkArgs;

bool vfork_in_child(void)
{
    return vfork_child;
}

bool vfork_shares_memory(void)
{
#ifdef __SANITIZE_THREAD__
    return false;
#else
    /* Pairs with the release stores of gdbstub.c (detach). */
    return !__atomic_load_n(&gdbstub_active, __ATOMIC_ACQUIRE);
#endif
}

/* The child, on its own host stack: clone returns 0, then the CPU loop. */
static int vfork_child_main(void *opaque)
{
    const VforkArgs *va = opaque; /* in the waiting parent's frame */
    CPURISCVState *env = va->env;
    uint32_t tid = (uint32_t)syscall(SYS_gettid);

    vfork_child = true;
    current_cpu->tid = (int)tid;
    signal_vfork_child(va->sig);
    riscv_vector_fork_child(env); /* Linux: a zeroed V state */
    env->gpr[10] = 0;
    if (va->newsp) {
        env->gpr[2] = va->newsp;
    }
    if (va->flags & CLONE_SETTLS) {
        env->gpr[4] = va->tls;
    }
    if (va->flags & CLONE_CHILD_SETTID) {
        copy_to_guest(va->ctid, &tid, 4);
    }
    if (va->flags & CLONE_PARENT_SETTID) {
        copy_to_guest(va->ptid, &tid, 4); /* before the child's code runs */
    }
    if (user_opts.strace) {
        print_syscall_ret(TARGET_NR_clone, 0);
    }
    process_pending_signals(env); /* sets the child's host mask */
    cpu_loop(env);
}

/*
 * The child is gone.  One killed by a signal at any point may have left
 * the vCPU counted as running or inside an exclusive section, or this
 * thread's RCU reader in a read-side section: other threads would wait
 * for it for ever.
 */
static void vfork_repair(CPUState *cpu)
{
    cpu->helper_ra = 0;
    /* seq_cst: pairs with start_exclusive, as cpu_exec_end's store */
    if (__atomic_load_n(&cpu->running, __ATOMIC_SEQ_CST)) {
        cpu_exec_end(cpu);
    }
    while (cpu->exclusive_context_count) {
        end_exclusive();
    }
    while (rcu_read_ongoing()) {
        rcu_read_unlock();
    }
}

int64_t do_clone_vfork(CPURISCVState *env, uint64_t flags, uint64_t newsp,
                       uint64_t ptid, uint64_t tls, uint64_t ctid)
{
    CPUState *cpu = current_cpu;
    size_t size =
        offsetof(CPURISCVState, vreg) + riscv_cpu_vreg_size(&env->cfg);
    size_t arch = offsetof(CPURISCVState, gpr);
    VforkArgs va = {env, NULL, flags, newsp, ptid, tls, ctid};
    int sig = (int)(flags & CSIGNAL), hsig = target_to_host_signal(sig);
    bool was_child = vfork_child;
    int cpu_tid = cpu->tid;
    uint64_t clear_tid;
    CPURISCVState *saved;
    char *stack;
    int64_t ret;

    if (sig && hsig == 0) {
        return -EINVAL;
    }
    ret = signal_vfork_begin(&va.sig);
    if (ret < 0) {
        return ret;
    }
    saved = malloc(size);
    stack =
        mmap(NULL, VFORK_STACK_GUARD + VFORK_STACK_SIZE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    if (saved == NULL || stack == MAP_FAILED ||
        mprotect(stack, VFORK_STACK_GUARD, PROT_NONE) != 0) {
        ret = -ENOMEM;
    } else {
        memcpy(saved, env, size);
        /* The child's, set here: it may be killed before it runs at all. */
        clear_tid = thread_vfork_begin(flags & CLONE_CHILD_CLEARTID ? ctid : 0);
        ret = clone(vfork_child_main,
                    stack + VFORK_STACK_GUARD + VFORK_STACK_SIZE,
                    CLONE_VM | CLONE_VFORK | hsig, &va);
        if (ret < 0) {
            ret = -errno;
        }
        /* The child has exec'd or exited (or never ran). */
        vfork_child = was_child;
        cpu->tid = cpu_tid;
        vfork_repair(cpu);
        memcpy((char *)env + arch, (char *)saved + arch, size - arch);
        thread_vfork_end(clear_tid, ret > 0);
    }
    signal_vfork_end(va.sig);
    if (stack != MAP_FAILED) {
        munmap(stack, VFORK_STACK_GUARD + VFORK_STACK_SIZE);
    }
    free(saved);
    if (ret > 0 && (flags & CLONE_PARENT_SETTID)) {
        uint32_t tid = (uint32_t)ret;

        copy_to_guest(ptid, &tid, 4);
    }
    return ret;
}
