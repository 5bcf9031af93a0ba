/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest threads: clone(CLONE_VM | CLONE_THREAD | ...) and thread exit.
 *
 * Every guest thread runs on a host thread of its own, with its own
 * CPURISCVState, CPUState (jump cache, TCG context) and CPU loop.  The
 * new thread is created with every host signal blocked, initialises
 * itself, reports its tid to the parent (clone_info.cond) and only then
 * unblocks signals and enters the CPU loop.
 *
 * Thread exit does what the kernel does for CLONE_CHILD_CLEARTID: store 0
 * at the child tid address and futex-wake it (that is how pthread_join
 * learns the thread is gone), then the host thread exits.  The last guest
 * thread to exit ends the process.  exit_group ends all host threads at
 * once (the host exit_group syscall).
 *
 * Locking: live_threads is atomic.  clone_info is private to one clone.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/signal.h"
#include "linux-user/thread.h"
#include "linux-user/user.h"
#include "tcg/log.h"

/* The flags a thread clone must have, and those it may have. */
#define CLONE_THREAD_NEEDED \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define CLONE_THREAD_OPTIONAL                             \
    (CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
     CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED)

static int live_threads = 1; /* atomic: guest threads alive */

typedef struct CloneInfo {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    CPURISCVState *env;
    uint64_t flags;
    uint64_t parent_tidptr, child_tidptr;
    sigset_t sigmask;       /* the parent's mask, for the child to restore */
    uint64_t guest_blocked; /* the parent's guest signal mask */
    pid_t tid;              /* [mutex] set by the child */
} CloneInfo;

typedef struct ThreadState {
    uint64_t clear_child_tid; /* guest address, 0 if none */
} ThreadState;

static __thread ThreadState thread_state;

bool clone_flags_are_thread(uint64_t flags)
{
    return (flags & CLONE_VM) && !(flags & CLONE_VFORK);
}

void thread_fork_child(void)
{
    __atomic_store_n(&live_threads, 1, __ATOMIC_RELAXED);
}

void thread_set_clear_child_tid(uint64_t addr)
{
    thread_state.clear_child_tid = addr;
}

static void put_guest_u32(uint64_t addr, uint32_t v)
{
    if (addr && guest_range_valid(addr, 4)) {
        __atomic_store_n((uint32_t *)g2h(addr), v, __ATOMIC_SEQ_CST);
    }
}

static void *clone_thread_main(void *opaque)
{
    CloneInfo *info = opaque;
    CPURISCVState *env = info->env;
    uint64_t flags = info->flags;
    sigset_t mask;
    pid_t tid;

    cpu_exec_init_thread(env);
    signal_thread_init(env, info->guest_blocked);
    tid = gettid();
    if (flags & CLONE_CHILD_CLEARTID) {
        thread_state.clear_child_tid = info->child_tidptr;
    }
    if (flags & CLONE_CHILD_SETTID) {
        put_guest_u32(info->child_tidptr, tid);
    }
    if (flags & CLONE_PARENT_SETTID) {
        put_guest_u32(info->parent_tidptr, tid);
    }
    mask = info->sigmask;
    pthread_mutex_lock(&info->mutex);
    info->tid = tid;
    pthread_cond_signal(&info->cond);
    pthread_mutex_unlock(&info->mutex);
    /* info belongs to the parent from here on. */
    signal_host_set_mask(&mask);
    cpu_loop(env);
}

int64_t do_clone_thread(CPURISCVState *env, uint64_t flags, uint64_t newsp,
                        uint64_t parent_tidptr, uint64_t tls,
                        uint64_t child_tidptr)
{
    CloneInfo info;
    CPURISCVState *child;
    pthread_attr_t attr;
    int err;

    if ((flags & CLONE_THREAD_NEEDED) != CLONE_THREAD_NEEDED ||
        (flags &
         ~(uint64_t)(CLONE_THREAD_NEEDED | CLONE_THREAD_OPTIONAL | CSIGNAL))) {
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("clone: unsupported thread flags 0x%llx\n",
                    (unsigned long long)flags);
        }
        return -EINVAL;
    }
    child = riscv_cpu_init(&env->cfg);
    memcpy(child->gpr, env->gpr, sizeof(env->gpr));
    memcpy(child->fpr, env->fpr, sizeof(env->fpr));
    child->hdr.guest_addr_mask = env->hdr.guest_addr_mask;
    child->fflags = env->fflags;
    child->frm = env->frm;
    child->pc = env->pc; /* already past the ecall */
    child->gpr[10] = 0;  /* clone returns 0 in the child */
    if (newsp) {
        child->gpr[2] = newsp;
    }
    if (flags & CLONE_SETTLS) {
        child->gpr[4] = tls;
    }

    memset(&info, 0, sizeof(info));
    pthread_mutex_init(&info.mutex, NULL);
    pthread_cond_init(&info.cond, NULL);
    info.env = child;
    info.flags = flags;
    info.parent_tidptr = parent_tidptr;
    info.child_tidptr = child_tidptr;
    info.guest_blocked = signal_get_blocked();

    /* The child starts with every signal blocked until it is ready. */
    signal_host_block_all(&info.sigmask);
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 1 << 20);
    __atomic_fetch_add(&live_threads, 1, __ATOMIC_RELAXED);
    pthread_mutex_lock(&info.mutex);
    err = pthread_create(&(pthread_t){0}, &attr, clone_thread_main, &info);
    if (err == 0) {
        while (info.tid == 0) {
            pthread_cond_wait(&info.cond, &info.mutex);
        }
    } else {
        __atomic_fetch_sub(&live_threads, 1, __ATOMIC_RELAXED);
        free(child);
    }
    pthread_mutex_unlock(&info.mutex);
    pthread_attr_destroy(&attr);
    signal_host_set_mask(&info.sigmask);
    pthread_cond_destroy(&info.cond);
    pthread_mutex_destroy(&info.mutex);
    return err ? -err : info.tid;
}

void do_exit_thread(CPURISCVState *env, int status)
{
    CPUState *cpu = current_cpu;

    signal_thread_exit(); /* no more guest signals for this thread */
    /* The last thread ends the process, with this status. */
    if (__atomic_sub_fetch(&live_threads, 1, __ATOMIC_ACQ_REL) == 0) {
        do_exit_group(status);
    }
    if (thread_state.clear_child_tid) {
        uint64_t addr = thread_state.clear_child_tid;

        put_guest_u32(addr, 0);
        syscall(SYS_futex, g2h(addr), FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
    }
    if (cpu) {
        cpu_exec_exit_thread(cpu);
    }
    free(env);
    /* pthread_exit, not SYS_exit: glibc then frees the host stack. */
    pthread_exit(NULL);
}

void do_exit_group(int status)
{
    if (user_opts.tcg_stats) {
        cpu_exec_dump_stats(stderr);
        smc_dump_stats(stderr);
    }
    if (tcg_logfile) {
        fflush(tcg_logfile);
    }
    syscall(SYS_exit_group, status);
    _exit(status);
}
