/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The vCPU list and exclusive sections (after QEMU's cpu-common.c).
 *
 * An exclusive section runs while no other vCPU executes guest code: it
 * is how tb_flush (and later code invalidation and fork) change what all
 * threads share.  A vCPU is "running" between cpu_exec_start() and
 * cpu_exec_end(), around each cpu_exec(); syscalls and the CPU loop's own
 * work happen outside, so a thread blocked in a syscall never delays an
 * exclusive section.
 *
 * Protocol.  start_exclusive() takes cpu_list_lock, waits for any other
 * exclusive section to end, sets pending_cpus = 1, and then (after a full
 * barrier) counts the vCPUs that are running, marks each has_waiter and
 * asks it to leave generated code (cpu_exit: exit_request, checked at
 * every TB entry).  It waits until pending_cpus drops back to 1.
 * cpu_exec_end() of a counted vCPU decrements pending_cpus.
 * cpu_exec_start() sets running and (full barrier) checks pending_cpus: if
 * an exclusive section is starting and did not count us, we wait for it to
 * end before running.  The fast paths take no lock.
 *
 * Ordering: start_exclusive's seq_cst store of pending_cpus followed by
 * seq_cst loads of running pairs with cpu_exec_start/end's seq_cst store of
 * running followed by a seq_cst load of pending_cpus (Dekker): at least one
 * side sees the other's store.  seq_cst accesses rather than fences, so
 * that ThreadSanitizer checks the handshake too.
 *
 * Lock order: cpu_list_lock is a leaf (nothing else is taken inside it
 * except by exclusive work, which runs after it is released).
 * Nesting: a thread already exclusive may start_exclusive again.
 */
#include <pthread.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <urcu.h>

#include "accel/tcg/cpu-exec.h"
#include "tcg/log.h"

static pthread_mutex_t cpu_list_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t exclusive_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t exclusive_resume = PTHREAD_COND_INITIALIZER;
static CPUState *cpu_list_head; /* [cpu_list_lock] */
static int cpu_list_len;        /* [cpu_list_lock] */
static int pending_cpus;        /* atomic; written under the lock */


/* The list is doubly linked (pprev), so that an exit is O(1). */
void cpu_list_add(CPUState *cpu)
{
    pthread_mutex_lock(&cpu_list_lock);
    cpu->next = cpu_list_head;
    if (cpu_list_head) {
        cpu_list_head->pprev = &cpu->next;
    }
    cpu->pprev = &cpu_list_head;
    cpu_list_head = cpu;
    cpu_list_len++;
    pthread_mutex_unlock(&cpu_list_lock);
}

void cpu_list_remove(CPUState *cpu)
{
    pthread_mutex_lock(&cpu_list_lock);
    if (cpu->pprev) {
        *cpu->pprev = cpu->next;
        if (cpu->next) {
            cpu->next->pprev = cpu->pprev;
        }
        cpu->pprev = NULL;
        cpu->next = NULL;
        cpu_list_len--;
    }
    pthread_mutex_unlock(&cpu_list_lock);
}

int cpu_list_count(void)
{
    int n;

    pthread_mutex_lock(&cpu_list_lock);
    n = cpu_list_len;
    pthread_mutex_unlock(&cpu_list_lock);
    return n;
}

void cpu_exit(CPUState *cpu)
{
    /* Pairs with the load at every TB entry and in cpu_exec_loop. */
    __atomic_store_n(&cpu->env->hdr.exit_request, 1, __ATOMIC_RELEASE);
}

/* Wait for the exclusive section in progress to end. */
static void exclusive_idle__locked(void)
{
    while (__atomic_load_n(&pending_cpus, __ATOMIC_RELAXED)) {
        pthread_cond_wait(&exclusive_resume, &cpu_list_lock);
    }
}

uint64_t cpu_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

void start_exclusive(void)
{
    CPUState *self = current_cpu, *other;
    int running = 0;
    uint64_t t0;

    if (self && self->exclusive_context_count) {
        self->exclusive_context_count++;
        return;
    }
    t0 = cpu_clock_ns();
    pthread_mutex_lock(&cpu_list_lock);
    exclusive_idle__locked();
    /* seq_cst store then loads: pairs with cpu_exec_start/end */
    __atomic_store_n(&pending_cpus, 1, __ATOMIC_SEQ_CST);
    for (other = cpu_list_head; other; other = other->next) {
        if (other != self &&
            __atomic_load_n(&other->running, __ATOMIC_SEQ_CST)) {
            other->has_waiter = true;
            running++;
            cpu_exit(other);
        }
    }
    __atomic_store_n(&pending_cpus, running + 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&pending_cpus, __ATOMIC_RELAXED) > 1) {
        pthread_cond_wait(&exclusive_cond, &cpu_list_lock);
    }
    pthread_mutex_unlock(&cpu_list_lock);
    if (self) {
        self->exclusive_context_count = 1;
        self->stats.exclusive++;
        self->stats.exclusive_wait_ns += cpu_clock_ns() - t0;
    }
}

void end_exclusive(void)
{
    CPUState *self = current_cpu;

    if (self && --self->exclusive_context_count) {
        return;
    }
    pthread_mutex_lock(&cpu_list_lock);
    /*
     * Release: pairs with the seq_cst load in cpu_exec_start() of a vCPU
     * that then takes the lock-free path: it must see what the section
     * did (tb_flush_generation() in cpu_exec(), for one).
     */
    __atomic_store_n(&pending_cpus, 0, __ATOMIC_RELEASE);
    pthread_cond_broadcast(&exclusive_resume);
    pthread_mutex_unlock(&cpu_list_lock);
}

void cpu_exec_start(CPUState *cpu)
{
    /* seq_cst store, then load: pairs with start_exclusive */
    __atomic_store_n(&cpu->running, true, __ATOMIC_SEQ_CST);
    if (__builtin_expect(__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST), 0)) {
        pthread_mutex_lock(&cpu_list_lock);
        if (!cpu->has_waiter) {
            /* Not counted: let the exclusive section run first. */
            __atomic_store_n(&cpu->running, false, __ATOMIC_RELAXED);
            exclusive_idle__locked();
            __atomic_store_n(&cpu->running, true, __ATOMIC_RELAXED);
        }
        /* Counted: cpu_exec_end will release the waiter. */
        pthread_mutex_unlock(&cpu_list_lock);
    }
}

void cpu_exec_end(CPUState *cpu)
{
    /* seq_cst store, then load: pairs with start_exclusive */
    __atomic_store_n(&cpu->running, false, __ATOMIC_SEQ_CST);
    if (__builtin_expect(__atomic_load_n(&pending_cpus, __ATOMIC_SEQ_CST), 0)) {
        pthread_mutex_lock(&cpu_list_lock);
        if (cpu->has_waiter) {
            cpu->has_waiter = false;
            __atomic_store_n(&pending_cpus, pending_cpus - 1, __ATOMIC_RELAXED);
            if (pending_cpus == 1) {
                pthread_cond_signal(&exclusive_cond);
            }
        }
        pthread_mutex_unlock(&cpu_list_lock);
    }
}

/*
 * fork() of a process with several vCPU threads: the forking thread stops
 * every other vCPU first, so none is inside the translator or holding a
 * TB's jmp_lock when the address space is copied; liburcu's call_rcu
 * worker is quiesced as its documentation requires.  In the child only the
 * forking thread exists: the vCPU list is reset to it.
 */
void cpu_fork_start(void)
{
    start_exclusive();
    tb_fork_start();
    call_rcu_before_fork();
}

void cpu_fork_end(bool child)
{
    CPUState *self = current_cpu;

    if (!child) {
        call_rcu_after_fork_parent();
        tb_fork_end(false);
        end_exclusive();
        return;
    }
    call_rcu_after_fork_child();
    tb_fork_end(true);
    pthread_mutex_init(&cpu_list_lock, NULL);
    pthread_cond_init(&exclusive_cond, NULL);
    pthread_cond_init(&exclusive_resume, NULL);
    cpu_list_head = self;
    cpu_list_len = self ? 1 : 0;
    if (self) {
        self->next = NULL;
        self->pprev = &cpu_list_head;
        self->has_waiter = false;
        self->exclusive_context_count = 0;
        self->tid = gettid();
    }
    __atomic_store_n(&pending_cpus, 0, __ATOMIC_RELAXED);
}

/* The safe-work queue: private to its vCPU's thread, so no lock. */
typedef struct SafeWork {
    void (*fn)(CPUState *, void *);
    void *data;
    struct SafeWork *next;
} SafeWork;

void run_on_cpu_safe(CPUState *cpu, void (*fn)(CPUState *, void *), void *data)
{
    SafeWork *w = malloc(sizeof(*w)), **p = &cpu->work;

    if (w == NULL) {
        tcg_out_of_memory("safe work");
    }
    w->fn = fn;
    w->data = data;
    w->next = NULL;
    while (*p) {
        p = &(*p)->next;
    }
    *p = w;
}

/* Run this vCPU's queued work in one exclusive section. */
void cpu_run_safe_work(CPUState *cpu)
{
    SafeWork *w = cpu->work;

    if (w == NULL) {
        return;
    }
    cpu->work = NULL;
    start_exclusive();
    while (w) {
        SafeWork *next = w->next;

        w->fn(cpu, w->data);
        free(w);
        w = next;
    }
    end_exclusive();
}

void cpu_foreach_locked(void (*fn)(CPUState *, void *), void *opaque)
{
    pthread_mutex_lock(&cpu_list_lock);
    for (CPUState *cpu = cpu_list_head; cpu; cpu = cpu->next) {
        fn(cpu, opaque);
    }
    pthread_mutex_unlock(&cpu_list_lock);
}

void cpu_foreach_exclusive(void (*fn)(CPUState *, void *), void *opaque)
{
    /* Every other vCPU is stopped; the list can still shrink (a thread
     * exiting in a syscall), so walk it under the lock. */
    cpu_foreach_locked(fn, opaque);
}
