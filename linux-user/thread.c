/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest threads: clone(CLONE_VM | CLONE_THREAD | ...) and thread exit.
 *
 * Every guest thread runs on a host thread of its own, with its own
 * CPURISCVState, CPUState (jump cache, TCG context) and CPU loop.  The
 * new thread is created with every host signal blocked, initialises
 * itself, reports its tid to the parent (clone_info.cond) where the parent
 * waits for it (the first clone only, see THREAD_TID_OFFSET), and then
 * sets its host mask from its guest mask (signal_thread_start) and enters
 * the CPU loop: on a pooled host stack without waiting for the parent to
 * finish the clone (it waits at its exit if need be, clone_wait_go).
 *
 * Thread exit does what the kernel does for CLONE_CHILD_CLEARTID: store 0
 * at the child tid address and futex-wake it (that is how pthread_join
 * learns the thread is gone), then the host thread exits.  The last guest
 * thread to exit ends the process.  exit_group ends all host threads at
 * once (the host exit_group syscall).  A vfork child (vfork.c) runs on
 * its parent thread's state: its exit, whichever call, ends its process
 * alone, and it cannot create threads.
 *
 * Host stacks come from a pool of exited threads' stacks, or fresh ones
 * that new threads map ahead for their creator's next clone (below).
 *
 * Locking: live_threads is atomic.  A CloneInfo belongs to the parent
 * until it sets its go, then to the child, which frees it; with a pooled
 * stack it is the child's from pthread_create on, and the parent's go is
 * the stack's (HostStack.go).
 * clone_init_lock (rwlock) orders child initialisations against fork.
 */
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/gdbstub.h"
#include "linux-user/signal.h"
#include "linux-user/thread.h"
#include "linux-user/user.h"
#include "tcg/log.h"
#include "tcg/sanitizer.h"

/* The flags a thread clone must have, and those it may have. */
#define CLONE_THREAD_NEEDED \
    (CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD)
#define CLONE_THREAD_OPTIONAL                             \
    (CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | \
     CLONE_CHILD_CLEARTID | CLONE_CHILD_SETTID | CLONE_DETACHED)

static int live_threads = 1; /* atomic: guest threads alive */

typedef struct HostStack HostStack; /* below */

typedef struct CloneInfo {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    CPURISCVState *env;
    uint64_t flags;
    uint64_t parent_tidptr, child_tidptr;
    uint64_t guest_blocked; /* the parent's guest signal mask */
    HostStack *stack;       /* the child's host stack, or NULL (glibc's) */
    pid_t tid;              /* [mutex] set by the child */
    bool detached; /* the parent does not wait for the child's report */
    bool refill;   /* make a fresh stack for the next clone */
    int go;        /* atomic: the parent is done with it; the child frees it */
} CloneInfo;

typedef struct ThreadState {
    uint64_t clear_child_tid; /* guest address, 0 if none */
} ThreadState;

static __thread ThreadState thread_state;
/*
 * Where a cloned thread's exit returns to: clone_thread_main, which
 * returns from the host thread.  pthread_exit() would unwind the stack
 * (libgcc's forced unwind, a search of every frame's unwind data) for
 * cleanup handlers that ctcg does not have.  NULL in the main thread.
 */
static __thread sigjmp_buf *thread_exit_env;

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

uint64_t thread_vfork_begin(uint64_t child)
{
    uint64_t saved = thread_state.clear_child_tid;

    thread_state.clear_child_tid = child;
    return saved;
}

void thread_vfork_end(uint64_t saved, bool child_ran)
{
    uint64_t addr = thread_state.clear_child_tid; /* the child's */

    if (addr && child_ran) {
        put_guest_u32(addr, 0);
        syscall(SYS_futex, g2h(addr), FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
    }
    thread_state.clear_child_tid = saved;
}

/*
 * Creating a thread without waiting for it.  clone must return the new
 * thread's tid in the parent.  glibc's pthread_create has the kernel store
 * it (CLONE_PARENT_SETTID) in the new thread's descriptor before it
 * returns, but glibc 2.36 has no call to read it (pthread_gettid_np came
 * in 2.42).  THREAD_TID_OFFSET is where glibc 2.3x keeps it on x86-64; it
 * is used only once checked twice: in the main thread's descriptor, and by
 * the first clone, which waits for the child's own report as every clone
 * used to and compares.  Where a check fails, every clone waits (a context
 * switch to the child and back per thread, which dominated creating
 * thousands of threads).
 *
 * A child that the parent did not wait for initialises itself (vCPU, RCU
 * registration, signal state) while the parent may already fork: its
 * initialisation holds clone_init_lock for reading, and fork takes it for
 * writing (thread_fork_start), so the address space is never copied with
 * a half-registered thread's locks held.  Writer-preferring, so that
 * creating threads without end cannot starve a fork.
 */
#define THREAD_TID_OFFSET 0x2d0

static int tid_offset_state; /* [clone_mutex] 0 unknown, 1 usable, -1 not */
static pthread_mutex_t clone_mutex = PTHREAD_MUTEX_INITIALIZER;
/*
 * The fork child cannot unlock the write lock the parent's forking thread
 * took (glibc checks the writer's tid, which fork changed), and
 * initialising a held rwlock again is undefined: the child starts on a
 * fresh lock object and leaves the inherited one locked (one small
 * allocation per fork generation; ThreadSanitizer, which tracks a
 * single-threaded parent's locks into the child, sees a new lock too).
 */
static pthread_rwlock_t clone_init_lock_storage;
static pthread_rwlock_t *clone_init_lock = &clone_init_lock_storage;
static pthread_once_t clone_init_once = PTHREAD_ONCE_INIT;

static void clone_init_lock_init(void)
{
    pthread_rwlockattr_t a;

    pthread_rwlockattr_init(&a);
    pthread_rwlockattr_setkind_np(&a,
                                  PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
    pthread_rwlock_init(clone_init_lock, &a);
    pthread_rwlockattr_destroy(&a);
}

static pid_t tid_of(pthread_t t)
{
    return *(volatile pid_t *)((char *)t + THREAD_TID_OFFSET);
}

/*
 * Host stacks of guest threads, kept for the next thread.  glibc maps a
 * new stack (mmap, then mprotect for its guard) per thread and, at its
 * exit, madvise(MADV_DONTNEED)s what it used, caches it or unmaps it:
 * each changes the address space of a process whose threads run on every
 * core, and the madvise and munmap cost a TLB shootdown each.  Where the
 * tid offset is checked, the stack is ours (pthread_attr_setstack): glibc
 * puts its descriptor and static TLS at its top and neither advises nor
 * caches it.  An exiting thread appends its stack to stack_pool; a clone
 * takes the oldest one whose thread is gone (the kernel cleared the tid in
 * its descriptor, CLONE_CHILD_CLEARTID, after the thread's last use of the
 * stack), and unmaps the ones past STACK_POOL_MAX that are done.
 */
/*
 * 256 KiB, as QEMU's linux-user (NEW_STACK_SIZE): the deepest host frames
 * (translation: riscv_tr_translate and tcg_pin_hot_globals take about
 * 19 KiB each, a host signal's frame a few more) stay far below it.  Each
 * 2 MiB of address space a stack spans costs a page-table page: 1 MiB
 * stacks took half a page-table page per thread, these about one eighth.
 * A sanitizer's runtime needs more: glibc puts the static TLS on the
 * stack, and ThreadSanitizer's is 0.9 MiB (pthread_create refuses a
 * smaller stack with EINVAL); AddressSanitizer's frames are larger.
 */
#ifdef CTCG_SANITIZED
#define HOST_STACK_SIZE (2u << 20)
#else
#define HOST_STACK_SIZE (256u << 10)
#endif
#define HOST_STACK_GUARD 4096u
/* Below the guard: the thread's signal state, untouched until a signal. */
#define HOST_STACK_AREA ((SIGNAL_THREAD_AREA_SIZE + 4095u) & ~4095u)
#define HOST_STACK_MAP (HOST_STACK_AREA + HOST_STACK_GUARD + HOST_STACK_SIZE)
#define STACK_POOL_MAX 64

struct HostStack {
    HostStack *next;  /* [clone_mutex] in stack_pool */
    char *base;       /* the signal area, the guard page, the stack */
    pthread_t thread; /* its last thread (set by it before its guest code) */
    int go; /* atomic: its thread's parent is done with the clone (below) */
};

static HostStack *stack_pool, **stack_pool_tail = &stack_pool; /* FIFO */
static unsigned stack_pool_len; /* [clone_mutex] */
/*
 * Fresh stacks: mapped by a new thread for the clone after its own, when
 * its own found no pooled stack (host_stack_refill).  A thread that
 * creates threads one after another (all of them alive) then finds its
 * next stack ready: the mmap, mprotect and populate of each happen on the
 * new thread, in parallel with its creator's next clone, not in it.
 * New threads run late on a busy machine (or at the first clones, before
 * any made one): up to FRESH_STACKS_MAX wait, and a new thread that
 * finds fewer than half of them makes two, so that the list fills again
 * after such a burst (at most FRESH_STACKS_MAX stacks of two made pages
 * each are left unused).
 */
#define FRESH_STACKS_MAX 8
static HostStack *fresh_stacks; /* [clone_mutex] LIFO */
static unsigned fresh_len;      /* [clone_mutex] */
/* Where clones' host stacks came from (TCG_STATS), [clone_mutex]. */
static unsigned long stacks_pooled, stacks_fresh, stacks_made, stacks_ahead;
static __thread HostStack *thread_host_stack; /* the one this runs on */

static void host_stack_free(HostStack *hs)
{
    munmap(hs->base, HOST_STACK_MAP);
    free(hs);
}

/* The oldest pooled stack whose thread is gone, or NULL. [clone_mutex] */
static HostStack *stack_pool_take__locked(void)
{
    HostStack *hs = stack_pool;

    /* The kernel's clear of the tid is the thread's last act. */
    if (hs == NULL || tid_of(hs->thread) != 0) {
        return NULL;
    }
    stack_pool = hs->next;
    if (stack_pool == NULL) {
        stack_pool_tail = &stack_pool;
    }
    stack_pool_len--;
    return hs;
}

/* Store a zero to each of @pages pages from @p (fresh, zeroed pages). */
static void host_stack_touch(char *p, unsigned pages)
{
    for (unsigned i = 0; i < pages; i++) {
        /* A volatile store: the compiler must not drop it. */
        *(volatile char *)(p + i * 4096u) = 0;
    }
}

/* A new host stack, or NULL: mapped, guarded, its top pages made. */
static HostStack *host_stack_map(void)
{
    HostStack *hs = calloc(1, sizeof(*hs));

    if (hs == NULL) {
        return NULL;
    }
    hs->base =
        mmap(NULL, HOST_STACK_MAP, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    if (hs->base == MAP_FAILED || mprotect(hs->base + HOST_STACK_AREA,
                                           HOST_STACK_GUARD, PROT_NONE) != 0) {
        if (hs->base != MAP_FAILED) {
            munmap(hs->base, HOST_STACK_MAP);
        }
        free(hs);
        return NULL;
    }
    /*
     * glibc writes the new thread's descriptor and static TLS into the top
     * two pages (pthread_create, then the CPU loop's frames): one host
     * call makes both instead of two page faults.  Best effort (the
     * host may have no MADV_POPULATE_WRITE: then they fault as before).
     * Then a store to each: where page tables are shadowed (a PVM host),
     * a page's first store from user mode costs 5 us more even once
     * made, and it is paid here, by the thread that maps the stack
     * ahead, not by the creator's pthread_create (docs/performance.md,
     * session 12).  The pages hold zeros: so do the stores.
     */
    madvise(hs->base + HOST_STACK_MAP - 2 * 4096, 2 * 4096,
            MADV_POPULATE_WRITE);
    host_stack_touch(hs->base + HOST_STACK_MAP - 2 * 4096, 2);
    return hs;
}

/*
 * A stack for a new thread: a pooled one, a fresh one, or a new mapping.
 * Or NULL.  Sets *@refill where the pool had none (the new thread then
 * makes a fresh one for the next clone, host_stack_refill).
 */
static HostStack *host_stack_get(bool *refill)
{
    HostStack *hs, *extra = NULL;

    pthread_mutex_lock(&clone_mutex);
    hs = stack_pool_take__locked();
    if (hs && stack_pool_len >= STACK_POOL_MAX) {
        extra = stack_pool_take__locked();
    }
    *refill = hs == NULL;
    if (hs) {
        stacks_pooled++;
    } else if (fresh_stacks != NULL) {
        hs = fresh_stacks;
        fresh_stacks = hs->next;
        fresh_len--;
        stacks_fresh++;
    } else {
        stacks_made++; /* below, unless the host refuses */
    }
    pthread_mutex_unlock(&clone_mutex);
    if (extra) {
        host_stack_free(extra);
    }
    if (hs) {
        hs->go = 0; /* no thread runs on it: plain */
        return hs;
    }
    return host_stack_map();
}

/*
 * Make a fresh stack for the next clone, unless FRESH_STACKS_MAX wait
 * already; two where fewer than half of them wait.  Context: a new
 * thread before its guest code, on the core that its parent is not busy
 * on, holding clone_init_lock for reading (a fork never copies a stack
 * that is mapped but not listed).
 */
static void host_stack_refill(void)
{
    HostStack *hs;
    unsigned len;

    pthread_mutex_lock(&clone_mutex);
    len = fresh_len;
    pthread_mutex_unlock(&clone_mutex);
    for (unsigned made = 0; made < (len < FRESH_STACKS_MAX / 2 ? 2u : 1u);
         made++) {
        bool full;

        if (len >= FRESH_STACKS_MAX || (hs = host_stack_map()) == NULL) {
            return;
        }
        pthread_mutex_lock(&clone_mutex);
        full = fresh_len >= FRESH_STACKS_MAX;
        if (!full) {
            hs->next = fresh_stacks;
            fresh_stacks = hs;
            fresh_len++;
            stacks_ahead++;
        }
        len = fresh_len;
        pthread_mutex_unlock(&clone_mutex);
        if (full) {
            host_stack_free(hs);
            return;
        }
    }
}

/* Put a stack back: its (new) thread never ran, or is exiting on it. */
static void host_stack_put(HostStack *hs)
{
    hs->next = NULL;
    pthread_mutex_lock(&clone_mutex);
    *stack_pool_tail = hs;
    stack_pool_tail = &hs->next;
    stack_pool_len++;
    pthread_mutex_unlock(&clone_mutex);
}

void thread_fork_start(void)
{
    pthread_once(&clone_init_once, clone_init_lock_init);
    pthread_rwlock_wrlock(clone_init_lock);
}

void thread_fork_end(bool child)
{
    if (child) {
        HostStack *hs = stack_pool, *next;

        pthread_rwlock_t *fresh = malloc(sizeof(*fresh));

        if (fresh != NULL) { /* else re-initialise the old one */
            clone_init_lock = fresh;
        }
        clone_init_lock_init(); /* no other thread exists there */
        pthread_mutex_init(&clone_mutex, NULL);
        if (thread_host_stack) {
            /* Our parent, which may not have set our go, is gone. */
            __atomic_store_n(&thread_host_stack->go, 1, __ATOMIC_RELAXED);
        }
        /* A thread that was exiting is gone without a cleared tid. */
        for (; hs; hs = next) {
            next = hs->next;
            if (tid_of(hs->thread) == 0) {
                host_stack_free(hs);
            }
        }
        stack_pool = NULL;
        stack_pool_tail = &stack_pool;
        stack_pool_len = 0;
        return;
    }
    pthread_rwlock_unlock(clone_init_lock);
}

/*
 * Wait until the parent is done with a clone: it reads the child's tid from
 * the child's descriptor, which the child's exit clears, and writes
 * CLONE_PARENT_SETTID, which must not be written once the child's exit
 * could have let its guest memory be freed (pthread_join).  A child on a
 * pooled stack (a checked descriptor) waits at its exit, on its stack's go
 * (do_exit_thread): it runs its guest code at once, and by the time it
 * exits its parent is long done, so nobody waits.  Any other child waits
 * here, before its first guest instruction, on info->go (its parent still
 * uses info until then).  The wait is short: the parent sets go right
 * after pthread_create returns (or after the child's report).
 */
static void clone_wait_go(const int *go)
{
    /* Acquire: pairs with the store-release of go in do_clone_thread. */
    while (!__atomic_load_n(go, __ATOMIC_ACQUIRE)) {
        sched_yield();
    }
}

static void *clone_thread_main(void *opaque)
{
    CloneInfo *info = opaque;
    CPURISCVState *env = info->env;
    sigjmp_buf exit_env;
    uint64_t flags = info->flags;
    pid_t tid;

    pthread_rwlock_rdlock(clone_init_lock);
    thread_host_stack = info->stack;
    if (info->stack) {
        info->stack->thread = pthread_self(); /* before we can exit */
    }
    /* A checked descriptor (detached) already holds our tid: no gettid. */
    tid = info->detached ? tid_of(pthread_self()) : gettid();
    cpu_exec_init_thread_tid(env, tid);
    signal_thread_init(env, info->guest_blocked,
                       info->stack ? info->stack->base : NULL);
    if (flags & CLONE_CHILD_CLEARTID) {
        thread_state.clear_child_tid = info->child_tidptr;
    }
    if (flags & CLONE_CHILD_SETTID) {
        put_guest_u32(info->child_tidptr, tid);
    }
    if (flags & CLONE_PARENT_SETTID) {
        /* Before any guest code of ours reads it, as the kernel does. */
        put_guest_u32(info->parent_tidptr, tid);
    }
    if (info->refill) {
        host_stack_refill();
    }
    pthread_rwlock_unlock(clone_init_lock);
    if (!info->detached) {
        pthread_mutex_lock(&info->mutex);
        info->tid = tid;
        pthread_cond_signal(&info->cond);
        pthread_mutex_unlock(&info->mutex);
    }
    if (info->stack == NULL) {
        clone_wait_go(&info->go); /* info is ours afterwards */
    }                             /* else the parent no longer touches info */
    pthread_cond_destroy(&info->cond);
    pthread_mutex_destroy(&info->mutex);
    free(info);
    signal_thread_start();
    if (sigsetjmp(exit_env, 0) == 0) {
        thread_exit_env = &exit_env;
        cpu_loop(env);
    }
    return NULL; /* do_exit_thread */
}

/* The child's env: the parent's registers, a0 = 0, the new sp and tp. */
static CPURISCVState *clone_child_env(CPURISCVState *env, uint64_t flags,
                                      uint64_t newsp, uint64_t tls)
{
    CPURISCVState *child = riscv_cpu_init(&env->cfg);

    memcpy(child->gpr, env->gpr, sizeof(env->gpr));
    memcpy(child->fpr, env->fpr, sizeof(env->fpr));
    child->hdr.guest_addr_mask = env->hdr.guest_addr_mask;
    child->fflags = env->fflags;
    child->frm = env->frm;
    riscv_vector_fork_child(child); /* Linux: a zeroed V state */
    child->vctrl = env->vctrl;      /* Linux copies thread.vstate_ctrl */
    child->pc = env->pc;            /* already past the ecall */
    child->gpr[10] = 0;             /* clone returns 0 in the child */
    if (newsp) {
        child->gpr[2] = newsp;
    }
    if (flags & CLONE_SETTLS) {
        child->gpr[4] = tls;
    }
    return child;
}

/*
 * CLONE_PARENT_SETTID from the parent of a child that may already run guest
 * code: the child stored @tid itself before its first instruction.  Store
 * it unless the word changed since @seen (read before the clone), so that
 * nothing the child's guest code wrote there since is overwritten.
 */
static void put_parent_tid(uint64_t addr, uint32_t seen, uint32_t tid)
{
    if (addr && guest_range_valid(addr, 4)) {
        /* Pairs with the child's seq_cst store (put_guest_u32). */
        __atomic_compare_exchange_n((uint32_t *)g2h(addr), &seen, tid, false,
                                    __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    }
}

static uint32_t get_guest_u32(uint64_t addr)
{
    if (addr && guest_range_valid(addr, 4)) {
        return __atomic_load_n((uint32_t *)g2h(addr), __ATOMIC_SEQ_CST);
    }
    return 0;
}

/* A clone's info whose thread never started. */
static void clone_info_free(CloneInfo *info)
{
    if (info->stack) {
        host_stack_free(info->stack);
    }
    free(info->env);
    pthread_cond_destroy(&info->cond);
    pthread_mutex_destroy(&info->mutex);
    free(info);
}

/*
 * Wait for @info's child to report its tid.  With @check, the first clone
 * compares it with the tid in the child's descriptor (@desc_tid, read
 * while the child could not have exited): the fast path is used from then
 * on if they agree.
 */
static pid_t clone_wait_child(CloneInfo *info, pid_t desc_tid, bool check)
{
    pid_t tid;

    pthread_mutex_lock(&info->mutex);
    while (info->tid == 0) {
        pthread_cond_wait(&info->cond, &info->mutex);
    }
    tid = info->tid;
    pthread_mutex_unlock(&info->mutex);
    if (check) {
        pthread_mutex_lock(&clone_mutex);
        tid_offset_state = desc_tid == tid ? 1 : -1;
        pthread_mutex_unlock(&clone_mutex);
    }
    return tid;
}

int64_t do_clone_thread(CPURISCVState *env, uint64_t flags, uint64_t newsp,
                        uint64_t parent_tidptr, uint64_t tls,
                        uint64_t child_tidptr)
{
    CloneInfo *info;
    HostStack *hs;
    pthread_attr_t attr;
    pthread_t t;
    sigset_t oldmask;
    bool check = false, restore;
    uint32_t seen = 0;
    pid_t tid = 0;
    int err;

    if (vfork_in_child()) {
        return -EAGAIN; /* its vCPU is borrowed: docs/syscalls.md */
    }
    if ((flags & CLONE_THREAD_NEEDED) != CLONE_THREAD_NEEDED ||
        (flags &
         ~(uint64_t)(CLONE_THREAD_NEEDED | CLONE_THREAD_OPTIONAL | CSIGNAL))) {
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("clone: unsupported thread flags 0x%llx\n",
                    (unsigned long long)flags);
        }
        return -EINVAL;
    }
    info = calloc(1, sizeof(*info));
    if (info == NULL) {
        return -ENOMEM;
    }
    pthread_once(&clone_init_once, clone_init_lock_init);
    pthread_mutex_init(&info->mutex, NULL);
    pthread_cond_init(&info->cond, NULL);
    info->env = clone_child_env(env, flags, newsp, tls);
    info->flags = flags;
    info->parent_tidptr = parent_tidptr;
    info->child_tidptr = child_tidptr;
    info->guest_blocked = signal_get_blocked();
    pthread_mutex_lock(&clone_mutex);
    if (tid_offset_state == 0 && tid_of(pthread_self()) == gettid()) {
        check = true; /* this clone waits, and checks the offset */
    }
    info->detached = tid_offset_state > 0;
    pthread_mutex_unlock(&clone_mutex);

    /*
     * The child starts with every signal blocked until it is ready: they
     * are where the guest blocked them all (glibc's pthread_create does).
     */
    restore = !signal_host_blocks_all();
    if (restore) {
        signal_host_block_all(&oldmask);
    }
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    hs = info->stack = info->detached ? host_stack_get(&info->refill) : NULL;
    if (hs) {
        pthread_attr_setstack(&attr,
                              hs->base + HOST_STACK_AREA + HOST_STACK_GUARD,
                              HOST_STACK_SIZE);
        if (flags & CLONE_PARENT_SETTID) {
            seen = get_guest_u32(parent_tidptr);
        }
    } else {
        pthread_attr_setstacksize(&attr, HOST_STACK_SIZE);
    }
    __atomic_fetch_add(&live_threads, 1, __ATOMIC_RELAXED);
    err = pthread_create(&t, &attr, clone_thread_main, info);
    if (err != 0) {
        __atomic_fetch_sub(&live_threads, 1, __ATOMIC_RELAXED);
        clone_info_free(info);
    } else if (hs) {
        /* Stored by the kernel before pthread_create returned; the child
         * cannot have exited (it waits for go at its exit).  info is the
         * child's already. */
        tid = tid_of(t);
        if (flags & CLONE_PARENT_SETTID) {
            put_parent_tid(parent_tidptr, seen, tid);
        }
        /* Release: pairs with the acquire of the child's exit. */
        __atomic_store_n(&hs->go, 1, __ATOMIC_RELEASE);
    } else {
        tid = tid_of(t); /* the child waits for go before its guest code */
        if (!info->detached) {
            tid = clone_wait_child(info, tid, check);
        }
        if (flags & CLONE_PARENT_SETTID) {
            put_guest_u32(parent_tidptr, tid); /* set when clone returns */
        }
        /* Release: pairs with the child's acquire; info is its now. */
        __atomic_store_n(&info->go, 1, __ATOMIC_RELEASE);
    }
    pthread_attr_destroy(&attr);
    if (restore) {
        signal_host_set_mask(&oldmask);
    }
    return err ? -err : tid;
}

void do_exit_thread(CPURISCVState *env, int status)
{
    CPUState *cpu = current_cpu;

    if (vfork_in_child()) {
        do_exit_group(status); /* its only thread; the rest is the parent's */
    }
    if (thread_host_stack) {
        clone_wait_go(&thread_host_stack->go); /* normally set long ago */
    }
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
    if (thread_host_stack) {
        /* Taken again once the kernel clears our tid. */
        host_stack_put(thread_host_stack);
    }
    /* Not SYS_exit: glibc then frees the host stack or its descriptor
     * on ours. */
    if (thread_exit_env) {
        siglongjmp(*thread_exit_env, 1);
    }
    pthread_exit(NULL);
}

/**
 * do_exit_thread_killed() - Linux's do_exit(SIGKILL) for this thread
 * (seccomp strict mode): the last thread takes the process, killed by
 * SIGKILL; another one just ends.
 */
void do_exit_thread_killed(CPURISCVState *env)
{
    /* Acquire: pairs with the acq_rel decrement of do_exit_thread. */
    if (vfork_in_child() ||
        __atomic_load_n(&live_threads, __ATOMIC_ACQUIRE) == 1) {
        signal_terminate(env, SIGKILL);
    }
    do_exit_thread(env, SIGKILL);
}

void thread_dump_stats(FILE *f)
{
    pthread_mutex_lock(&clone_mutex);
    fprintf(f,
            "TCG_STATS host stacks: %lu pooled, %lu fresh (%lu made ahead), "
            "%lu made by the clone\n",
            stacks_pooled, stacks_fresh, stacks_ahead, stacks_made);
    pthread_mutex_unlock(&clone_mutex);
}

void do_exit_group(int status)
{
    if (vfork_in_child()) {
        /* gdb, the statistics and the log are the parent's (vfork.c) */
        syscall(SYS_exit_group, status);
    }
    /* Pairs with the release stores of gdbstub.c (detach). */
    if (__atomic_load_n(&gdbstub_active, __ATOMIC_ACQUIRE)) {
        gdbstub_exit(status, 0); /* W: the exit status */
    }
    if (user_opts.tcg_stats) {
        cpu_exec_dump_stats(stderr);
        smc_dump_stats(stderr);
        thread_dump_stats(stderr);
    }
    if (tcg_logfile) {
        fflush(tcg_logfile);
    }
    syscall(SYS_exit_group, status);
    _exit(status);
}
