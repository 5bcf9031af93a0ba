/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest signals: numbering, dispositions, per-thread masks and pending
 * sets, delivery (Linux's riscv64 rt_sigframe) and rt_sigreturn.
 * docs/signals.md describes the design; QEMU's linux-user/signal.c is
 * the model (written afresh here).
 *
 * Numbering.  Guest signals 1-31 are the host's.  The host glibc keeps
 * host 32 and 33 for itself (SIGCANCEL, SIGSETXID), so guest real-time
 * signals are shifted: guest 32+i is host 34+i (SIGRTMIN+i), for guest
 * 32..62, and guest 63 and 64 are host 32 and 33.  ctcg never cancels a
 * thread and makes set*id calls with raw syscalls (glibc broadcasts
 * SIGSETXID only from its own wrappers), so glibc never uses those two;
 * but its sigaction(), sigprocmask() and sigset functions refuse or drop
 * them, so every host handler and mask here is set with raw syscalls on
 * the kernel's 64-bit set (host_sigmask, host_set_action).  The host
 * kernel delivers the lowest-numbered pending signal first, which puts
 * guest 63 and 64 before guest 32..62: process_pending_signals and
 * rt_sigtimedwait look for a lower real-time signal before handing one of
 * them out (lower_first), so the guest sees Linux's order.
 *
 * Host dispositions.  Every host signal that carries a guest signal has
 * host_signal_handler installed while the guest handles it (with the
 * guest's SA_RESTART, so that the host kernel restarts an interrupted
 * host syscall exactly when Linux would restart the guest's), SIG_IGN
 * while the guest ignores it, and SIG_DFL while the guest has SIG_DFL and
 * the default is not to dump core (terminate, ignore, stop, continue: the
 * host kernel then does the right thing itself, the exit status included).
 * Core-dumping defaults go through the handler so that no core file of
 * the emulator is written (signal_terminate).  SIGSEGV, SIGBUS, SIGILL
 * and SIGFPE belong to accel/tcg/cpu-exec.c's fault handler, which passes
 * those sent by kill/tgkill/sigqueue here (cpu_exec_signal_hook).
 *
 * Retargeting.  A process-directed signal that a thread took (its slot)
 * but blocks before delivering it, or still holds when it exits, is sent
 * again to the process with its siginfo (signal_resend_to_process), so that
 * another thread that does not block it takes it, as Linux's
 * retarget_shared_pending does.  A non-guest thread (liburcu's) that takes
 * one does the same and blocks the signal for good.
 *
 * Per-thread state (SignalThread, thread-local): the guest mask, the
 * alternate stack, one pending slot per guest signal filled by the host
 * handler, one slot for a synchronous fault, and ctcg_signal_pending.
 * The host mask of a thread mirrors its guest mask (set_host_mask), so
 * the host kernel routes process-directed signals to a thread that does
 * not block them, keeps signals the guest blocks pending (rt_sigpending,
 * rt_sigtimedwait and sigsuspend then work on the host's queue) and
 * keeps real-time signals queued with their values.
 *
 * Delivery (QEMU's scheme).  host_signal_handler runs in the thread the
 * host kernel chose, fills that thread's slot, sets ctcg_signal_pending,
 * rewinds a safe_syscall that has not entered the kernel yet, calls
 * cpu_exit() so that generated code returns at the next TB entry, and
 * leaves the handler with every host signal blocked (except the fault
 * signals) so that no second signal overwrites the slot.  The CPU loop
 * calls process_pending_signals() after every cpu_exec(): it builds the
 * frame or takes the default action, then restores the host mask from the
 * guest mask, which lets the next host signal in.  Syscalls that change
 * the guest mask first block every host signal and, if a signal was
 * already pending, return -CTCG_ERESTARTSYS so that it is delivered under
 * the old mask and the syscall re-executed (block_signals).
 *
 * Locking: the dispositions (sigacts(): process-wide, or a vfork child's
 * copy) are under sigact_lock, taken only with host signals blocked in the
 * calling thread.  SignalThread belongs to its thread (and that thread's
 * host signal handler, serialised by the host mask as above).
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/gdbstub.h"
#include "linux-user/signal-info.h"
#include "linux-user/signal-vector.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
#include "linux-user/thread.h"
#include "tcg/log.h"

#define TARGET_SIG_DFL 0
#define TARGET_SIG_IGN 1
#define TARGET_SIGRTMIN 32

#define TARGET_SA_NOCLDSTOP 0x00000001u
#define TARGET_SA_NOCLDWAIT 0x00000002u
#define TARGET_SA_SIGINFO 0x00000004u
#define TARGET_SA_RESTORER 0x04000000u
#define TARGET_SA_ONSTACK 0x08000000u
#define TARGET_SA_RESTART 0x10000000u
#define TARGET_SA_NODEFER 0x40000000u
#define TARGET_SA_RESETHAND 0x80000000u

#define TARGET_SS_ONSTACK 1
#define TARGET_SS_DISABLE 2
#define TARGET_SS_AUTODISARM (1u << 31)
#define TARGET_MINSIGSTKSZ 2048

/* Linux riscv64's signal frame (arch/riscv/include/uapi/asm). */
struct target_sigcontext {
    uint64_t gregs[32]; /* pc, x1 (ra) ... x31 */
    union {             /* union __riscv_fp_state */
        struct {
            uint64_t f[32];
            uint32_t fcsr;
        } d;
        struct {
            uint64_t f[64];
            uint32_t fcsr;
            uint32_t reserved;  /* sc_extdesc.reserved: 0 */
            uint32_t ext_magic; /* sc_extdesc.hdr: the first extension */
            uint32_t ext_size;
        } q;
    } fp __attribute__((aligned(16)));
};

struct target_ucontext {
    uint64_t uc_flags;
    uint64_t uc_link;
    target_stack_t uc_stack;
    uint64_t uc_sigmask;
    uint8_t unused[1024 / 8 - 8];
    struct target_sigcontext uc_mcontext __attribute__((aligned(16)));
};

struct target_rt_sigframe {
    target_siginfo_t info;
    struct target_ucontext uc;
};

_Static_assert(sizeof(target_siginfo_t) == 128, "siginfo");
_Static_assert(offsetof(struct target_ucontext, uc_mcontext) == 176, "uc");
_Static_assert(sizeof(struct target_sigcontext) == 256 + 528, "sigcontext");
_Static_assert(sizeof(struct target_rt_sigframe) == 1088, "rt_sigframe");

_Static_assert(offsetof(struct target_rt_sigframe,
                        uc.uc_mcontext.fp.q.ext_magic) == SIGNAL_EXT_HDR_OFF,
               "sc_extdesc.hdr");
_Static_assert(sizeof(struct target_rt_sigframe) == SIGNAL_RT_FRAME_SIZE,
               "frame");

/*
 * A pending slot.  The siginfo itself is in the thread's array
 * (SignalThread.infos: below the guard page of its host stack, from
 * thread.c's pool, or malloc'd), written only when a signal arrives: the
 * 65 slots' 8 KiB of siginfo used to be static TLS, which glibc clears for
 * every new thread (13 KiB of TLS in all), and malloc'd they grew a malloc
 * arena by one mprotect per live thread.  Slot sig's is infos[sig], the
 * sync slot's infos[0] (entry_info): a pointer per slot was 0.8 KiB of
 * static TLS, enough to push a new thread's frames onto a third page of
 * its host stack (performance.md, session 9).
 */
typedef struct SigEntry {
    int pending;
} SigEntry;

typedef struct SignalThread {
    CPURISCVState *env; /* NULL until signal_thread_init, after exit */
    uint64_t blocked;   /* the guest mask */
    uint64_t sigsuspend_mask;
    bool in_sigsuspend; /* deliver under sigsuspend_mask */
    uint64_t ss_sp, ss_size;
    uint32_t ss_flags;
    SigEntry sync; /* a synchronous fault: forced */
    SigEntry sigtab[TARGET_NSIG + 1];
    target_siginfo_t *infos; /* TARGET_NSIG + 1, not cleared */
    bool infos_malloced;     /* else the thread's area (on its stack map) */
} SignalThread;
_Static_assert(SIGNAL_THREAD_AREA_SIZE ==
                   (TARGET_NSIG + 1) * sizeof(target_siginfo_t),
               "area");

__thread int ctcg_signal_pending;
static __thread SignalThread sigthread;

/* The siginfo of @ts's slot @e (its sync slot or sigtab[sig]). */
static target_siginfo_t *entry_info(SignalThread *ts, const SigEntry *e)
{
    return &ts->infos[e == &ts->sync ? 0 : e - ts->sigtab];
}

static struct target_sigaction
    sigact_shared[TARGET_NSIG + 1]; /* [sigact_lock] */
/*
 * A vfork child's own dispositions (signal_vfork_child), else NULL: the
 * child shares the parent's memory but not its handlers.  Thread-local:
 * the child runs on the TLS of its parent's calling thread, which waits.
 */
static __thread struct target_sigaction *sigact_own;
static pthread_mutex_t sigact_lock = PTHREAD_MUTEX_INITIALIZER;

/* The dispositions of this process: sigacts()[sig], [sigact_lock]. */
static inline struct target_sigaction *sigacts(void)
{
    return sigact_own ? sigact_own : sigact_shared;
}
static int t2h[TARGET_NSIG + 1];
static int h2t[_NSIG + 1];
static uint64_t sigreturn_tramp; /* guest address of li a7,139; ecall */

extern char safe_syscall_start[], safe_syscall_end[];
/* safe-syscall.S: rt_sigreturn, the restorer of our host handlers. */
extern void ctcg_host_sigreturn(void);

static inline uint64_t sigbit(int sig)
{
    return 1ull << (sig - 1);
}

#define UNBLOCKABLE (sigbit(SIGKILL) | sigbit(SIGSTOP))
/* Guest real-time signals, 32..64. */
#define TARGET_RT_SIGS (~0ull << (TARGET_SIGRTMIN - 1))

/*
 * Host signal sets are the kernel's 64-bit word here: glibc's sigset
 * functions, sigaction() and pthread_sigmask() refuse or drop host 32 and
 * 33, which carry guest 63 and 64.
 */
static inline uint64_t hbit(int hs)
{
    return 1ull << (hs - 1);
}

/* Host signals the fault handler of cpu-exec.c owns: never blocked. */
#define HOST_FAULT_SIGS \
    (hbit(SIGSEGV) | hbit(SIGBUS) | hbit(SIGILL) | hbit(SIGFPE))

/*
 * The thread's host mask, where known (host_mask_known): a call that would
 * not change it is skipped.  A guest rt_sigprocmask used to cost three host
 * ones (block_signals, then process_pending_signals blocking all again, then
 * the mirror of the new guest mask); it is two, and one where the mirror
 * blocks everything too (glibc's pthread_create and thread exit block all).
 * KILL and STOP are left out of it.  Updated after every host_sigmask call
 * and by host_signal_handler, which returns with everything but the fault
 * signals blocked and counts its returns (host_handler_runs): a host_sigmask
 * call during which a handler returned cannot tell whether the handler's
 * mask or its own came last, and forgets the mask (which only costs a
 * syscall later).  Host code that changes the mask without host_sigmask only
 * unblocks: glibc's pthread_sigmask (liburcu, tb-hash.c) restores a mask
 * without host 32 and 33, the fault handler unblocks its signal.  So the
 * real mask blocks at most what host_mask says, and less only in those: a
 * skipped call leaves at worst 32 and 33 (guest 63, 64) unblocked, which the
 * retargeting tolerates (see the top).  Written and read by the thread and
 * its own signal handler only: relaxed atomics, ordered against the handler
 * by atomic_signal_fence.
 */
static __thread uint64_t host_mask;   /* atomic (signal); if host_mask_known */
static __thread bool host_mask_known; /* atomic (signal) */
static __thread unsigned host_handler_runs; /* atomic (signal) */

/* Everything but the fault signals (and KILL, STOP) blocked in @m. */
static bool mask_blocks_all(uint64_t m)
{
    return (~m & ~(HOST_FAULT_SIGS | UNBLOCKABLE)) == 0;
}

/*
 * The sets of host_sigmask's call, in static TLS: on the page below the
 * host stack's top, which the kernel has touched already (glibc's
 * descriptor: the tid clone stored, rseq).  Set on the caller's stack, they
 * made the kernel touch a second page of every new thread's stack, which
 * costs tens of microseconds on a paravirtualised host (performance.md,
 * session 9).  One pair per nesting level: a host signal handler that
 * interrupts host_sigmask may call it itself.
 */
#define HOST_SIGMASK_SLOTS 4
static __thread uint64_t host_sigmask_slots[HOST_SIGMASK_SLOTS][2];
static __thread unsigned host_sigmask_depth; /* atomic (signal) */

static int host_sigmask(int how, const uint64_t *set, uint64_t *old)
{
    /* Pairs with the increment in host_handler_returns (same thread). */
    unsigned runs = __atomic_load_n(&host_handler_runs, __ATOMIC_RELAXED);
    /* A handler that interrupts us takes the next slot (same thread). */
    uint64_t *slot =
        host_sigmask_slots[__atomic_fetch_add(&host_sigmask_depth, 1,
                                              __ATOMIC_RELAXED) %
                           HOST_SIGMASK_SLOTS];
    uint64_t want = set ? *set : 0;
    int r;

    slot[0] = want;
    /* The slot is written before the call (same thread: a compiler fence). */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    r = (int)syscall(SYS_rt_sigprocmask, (long)how, set ? &slot[0] : NULL,
                     old ? &slot[1] : NULL, 8L);
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    if (r == 0 && old) {
        *old = slot[1];
    }
    /* Pairs with the increment above; a siglongjmp out of a handler that
     * interrupted us leaves the count higher, which only shifts slots. */
    __atomic_fetch_sub(&host_sigmask_depth, 1, __ATOMIC_RELAXED);
    if (r == 0 && set) {
        bool known = how == SIG_SETMASK ||
                     __atomic_load_n(&host_mask_known, __ATOMIC_RELAXED);
        uint64_t cur = __atomic_load_n(&host_mask, __ATOMIC_RELAXED);
        uint64_t m = how == SIG_SETMASK ? want
                     : how == SIG_BLOCK ? cur | want
                                        : cur & ~want;

        __atomic_store_n(&host_mask, m & ~UNBLOCKABLE, __ATOMIC_RELAXED);
        __atomic_store_n(&host_mask_known, known, __ATOMIC_RELAXED);
        /* Pairs with the handler's increment (same thread). */
        __atomic_signal_fence(__ATOMIC_SEQ_CST);
        if (__atomic_load_n(&host_handler_runs, __ATOMIC_RELAXED) != runs) {
            __atomic_store_n(&host_mask_known, false, __ATOMIC_RELAXED);
        }
    }
    return r;
}

/* The kernel's struct sigaction on x86-64. */
struct host_kernel_sigaction {
    void *handler;
    unsigned long flags;
    void (*restorer)(void);
    uint64_t mask;
};

#define HOST_SA_RESTORER 0x04000000ul

/* Install @handler for host signal @hs with every signal blocked inside. */
static void host_set_action(int hs, void *handler, unsigned long flags)
{
    struct host_kernel_sigaction ka;

    ka.handler = handler;
    ka.flags = flags | HOST_SA_RESTORER;
    ka.restorer = ctcg_host_sigreturn;
    ka.mask = ~0ull;
    syscall(SYS_rt_sigaction, (long)hs, &ka, NULL, 8L);
}

int target_to_host_signal(int sig)
{
    return sig >= 1 && sig <= TARGET_NSIG ? t2h[sig] : 0;
}

int host_to_target_signal(int sig)
{
    return sig >= 1 && sig <= _NSIG ? h2t[sig] : 0;
}

/* Host signals the fault handler of cpu-exec.c owns. */
static bool host_fault_signal(int hs)
{
    return hs >= 1 && (hbit(hs) & HOST_FAULT_SIGS);
}

static uint64_t target_to_host_mask(uint64_t guest)
{
    uint64_t host = 0;

    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        if ((guest & sigbit(sig)) && t2h[sig]) {
            host |= hbit(t2h[sig]);
        }
    }
    return host;
}

static uint64_t host_to_target_mask(uint64_t host)
{
    uint64_t guest = 0;

    for (int hs = 1; hs <= 64; hs++) {
        if ((host & hbit(hs)) && h2t[hs]) {
            guest |= sigbit(h2t[hs]);
        }
    }
    return guest;
}

void target_to_host_sigset(sigset_t *host, uint64_t guest)
{
    uint64_t word = target_to_host_mask(guest);

    memset(host, 0, sizeof(*host));
    memcpy(host, &word, sizeof(word));
}

uint64_t host_to_target_sigset(const sigset_t *host)
{
    uint64_t word;

    memcpy(&word, host, sizeof(word));
    return host_to_target_mask(word);
}

/* The host mask that mirrors the guest mask @blocked. */
static uint64_t mirror_mask(uint64_t blocked)
{
    return target_to_host_mask(blocked) & ~(HOST_FAULT_SIGS | UNBLOCKABLE);
}

/* Set the host mask to @set, unless it is known to be that already. */
static void host_setmask_changed(uint64_t set)
{
    uint64_t cur;

    if (!signal_host_mask_known(&cur) || cur != (set & ~UNBLOCKABLE)) {
        host_sigmask(SIG_SETMASK, &set, NULL);
    }
}

static void set_host_mask(uint64_t blocked)
{
    host_setmask_changed(mirror_mask(blocked));
}

static void block_all_host_signals(void)
{
    if (!signal_host_blocks_all()) {
        uint64_t set = ~HOST_FAULT_SIGS;

        host_sigmask(SIG_SETMASK, &set, NULL);
    }
}

void signal_host_block_all(sigset_t *old)
{
    uint64_t set = ~0ull, prev = 0;

    host_sigmask(SIG_SETMASK, &set, &prev);
    if (old) {
        memset(old, 0, sizeof(*old));
        memcpy(old, &prev, sizeof(prev));
    }
}

bool signal_host_blocks_all(void)
{
    uint64_t m;

    return signal_host_mask_known(&m) && mask_blocks_all(m);
}

bool signal_host_mask_known(uint64_t *mask)
{
    *mask = __atomic_load_n(&host_mask, __ATOMIC_RELAXED);
    return __atomic_load_n(&host_mask_known, __ATOMIC_RELAXED);
}

void signal_host_set_mask(const sigset_t *set)
{
    uint64_t word;

    memcpy(&word, set, sizeof(word));
    host_sigmask(SIG_SETMASK, &word, NULL);
}

/*
 * Block host signals before changing the guest's signal state.  Returns
 * nonzero when a signal was already pending: the caller then returns
 * -CTCG_ERESTARTSYS so that it is delivered first.  Either way
 * process_pending_signals() runs before guest code and restores the host
 * mask from the (possibly new) guest mask.
 */
static int block_signals(void)
{
    block_all_host_signals();
    /* Pairs with the store in host_signal_handler (same thread). */
    return __atomic_exchange_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
}

/* The handler returns with every host signal but the faults blocked. */
static void host_handler_returns(void)
{
    __atomic_store_n(&host_mask, ~(HOST_FAULT_SIGS | UNBLOCKABLE),
                     __ATOMIC_RELAXED);
    __atomic_store_n(&host_mask_known, true, __ATOMIC_RELAXED);
    /* Pairs with the fences in host_sigmask (same thread). */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    __atomic_fetch_add(&host_handler_runs, 1, __ATOMIC_RELAXED);
}

static void rewind_if_in_safe_syscall(ucontext_t *uc)
{
    greg_t *pc = &uc->uc_mcontext.gregs[REG_RIP];

    if (*pc > (greg_t)safe_syscall_start && *pc < (greg_t)safe_syscall_end) {
        *pc = (greg_t)safe_syscall_start;
    }
}

/* A host signal for the guest: queue it in this thread (see the top). */
static void host_signal_handler(int host_sig, siginfo_t *info, void *puc)
{
    SignalThread *ts = &sigthread;
    ucontext_t *uc = puc;
    int sig = host_to_target_signal(host_sig);
    int saved_errno = errno;
    uint64_t mask;

    if (sig == 0) {
        return;
    }
    /* Pairs with the release stores in signal_thread_init/_exit. */
    if (__atomic_load_n(&ts->env, __ATOMIC_ACQUIRE) == NULL) {
        /*
         * Not a guest thread (a library's helper, or a guest thread on its
         * way out): pass a process-directed signal on, and never take a
         * signal here again (quiet_helper_threads).
         */
        if (!signal_sent_to_thread(host_sig, info)) {
            signal_resend_to_process(info);
        }
        mask = ~HOST_FAULT_SIGS;
        memcpy(&uc->uc_sigmask, &mask, 8);
        host_handler_returns();
        errno = saved_errno;
        return;
    }
    if (ts->sigtab[sig].pending) {
        /*
         * Never expected (the slot's signal is blocked until delivered),
         * but an instance must not overwrite another: queue it to this
         * thread again, behind the others.
         */
        syscall(SYS_rt_tgsigqueueinfo, (long)getpid(), (long)gettid(),
                (long)host_sig, info);
    } else {
        host_to_target_siginfo(&ts->infos[sig], info, sig);
        ts->sigtab[sig].pending = 1;
    }
    rewind_if_in_safe_syscall(uc);
    /*
     * Return with host signals blocked until process_pending_signals()
     * has taken this one.  uc_sigmask is the kernel's 8-byte set: only
     * its first word is written.
     */
    mask = ~HOST_FAULT_SIGS;
    memcpy(&uc->uc_sigmask, &mask, 8);
    host_handler_returns();
    /* Pairs with the loads in process_pending_signals and safe_syscall. */
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
    if (current_cpu) {
        cpu_exit(current_cpu);
    }
    errno = saved_errno;
}

static bool default_is_core(int sig)
{
    switch (sig) {
    case SIGQUIT:
    case SIGILL:
    case SIGTRAP:
    case SIGABRT:
    case SIGBUS:
    case SIGFPE:
    case SIGSEGV:
    case SIGXCPU:
    case SIGXFSZ:
    case SIGSYS:
        return true;
    default:
        return false;
    }
}

/* Make the host disposition of guest @sig follow sigacts()[sig]. */
/*
 * The host action for guest signal @sig; @old, when not NULL, is the host
 * action now (signal_init): a SIG_DFL or SIG_IGN action that is already
 * there is not set again (after exec, most of the 64 are SIG_DFL with no
 * flags: 55 rt_sigaction calls fewer at every start-up).
 */
static void update_host_action_from(int sig,
                                    const struct host_kernel_sigaction *old)
{
    const struct target_sigaction *k = &sigacts()[sig];
    int hs = t2h[sig];
    void *handler;
    unsigned long flags = 0;

    if (hs == 0 || hs == SIGKILL || hs == SIGSTOP) {
        return;
    }
    if (host_fault_signal(hs)) {
        /*
         * The fault handler stays; only kill & co. interrupt syscalls with
         * these, so its SA_RESTART follows the guest's (an ignored signal
         * restarts too: Linux would not interrupt anything).
         */
        cpu_exec_set_fault_restart(hs, (k->sa_flags & TARGET_SA_RESTART) ||
                                           k->sa_handler_ == TARGET_SIG_IGN);
        return;
    }
    if (k->sa_handler_ == TARGET_SIG_IGN) {
        handler = (void *)SIG_IGN;
    } else if (k->sa_handler_ == TARGET_SIG_DFL && !default_is_core(sig) &&
               !__atomic_load_n(&gdbstub_active, __ATOMIC_RELAXED)) {
        /* (Under gdb every signal comes here, so that gdb sees it.) */
        handler = (void *)SIG_DFL;
    } else {
        handler = (void *)host_signal_handler;
        flags = SA_SIGINFO;
        if (k->sa_flags & TARGET_SA_RESTART) {
            flags |= SA_RESTART;
        }
    }
    if (sig == SIGCHLD) {
        flags |= k->sa_flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
    }
    if (old && old->handler == handler &&
        (handler == (void *)SIG_DFL || handler == (void *)SIG_IGN) &&
        (old->flags & ~HOST_SA_RESTORER) == flags) {
        return;
    }
    host_set_action(hs, handler, flags);
}

static void update_host_action(int sig)
{
    update_host_action_from(sig, NULL);
}

/*
 * A guest killed by a core-dumping signal dies of it on the host, so
 * that the host kernel sets the core bit of the wait status (and
 * CLD_DUMPED) exactly when it writes a dump, as Linux does for the guest:
 * never when the guest's RLIMIT_CORE (the process's, which ctcg passes
 * through) is below the ELF loader's one-page minimum and core_pattern is
 * a file, per core_pattern otherwise.  The dump is the emulator's; the
 * limit is raised to the hard one so that the emulator's larger image is
 * not truncated where the guest's would have fitted (Linux sets the bit
 * only for a complete dump).  docs/signals.md has the details.
 */
static void core_dump_prepare(void)
{
    struct rlimit lim;

    if (getrlimit(RLIMIT_CORE, &lim) == 0 && lim.rlim_cur >= 4096 &&
        lim.rlim_cur != lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        setrlimit(RLIMIT_CORE, &lim);
    }
}

void signal_terminate(CPURISCVState *env, int sig)
{
    uint64_t set;
    int hs = t2h[sig] ? t2h[sig] : SIGKILL;
    bool parent_io = !vfork_in_child(); /* else the parent's (vfork.c) */

    /* Pairs with the release stores of gdbstub.c (detach). */
    if (parent_io && __atomic_load_n(&gdbstub_active, __ATOMIC_ACQUIRE)) {
        gdbstub_exit(0, sig); /* X: killed by @sig */
    }
    if (default_is_core(sig) &&
        (sig != SIGTRAP || tcg_log_enabled(CPU_LOG_GUEST_ERROR))) {
        fprintf(stderr,
                "ctcg: uncaught target signal %d (%s) - core dumped "
                "(pc 0x%llx, address 0x%llx)\n",
                sig, strsignal(sig), (unsigned long long)env->pc,
                (unsigned long long)env->badaddr);
    }
    if (parent_io && user_opts.tcg_stats) {
        cpu_exec_dump_stats(stderr);
        smc_dump_stats(stderr);
    }
    if (parent_io && tcg_logfile) {
        fflush(tcg_logfile);
    }
    if (parent_io) {
        fflush(stdout);
    }
    if (default_is_core(sig)) {
        core_dump_prepare();
    } else {
        setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
    }
    host_set_action(hs, (void *)SIG_DFL, 0);
    set = ~hbit(hs);
    host_sigmask(SIG_SETMASK, &set, NULL);
    syscall(SYS_tgkill, (long)getpid(), (long)gettid(), (long)hs);
    /* Not reached unless the host ignores @hs: end anyway. */
    syscall(SYS_kill, (long)getpid(), (long)SIGKILL);
    _exit(128 + sig);
}

/* Default action of a stop signal: stop the process with that signal. */
static void stop_self(int sig)
{
    uint64_t set, oldset;
    int hs = t2h[sig];

    if (hs != SIGSTOP) {
        host_set_action(hs, (void *)SIG_DFL, 0);
    }
    set = hbit(hs);
    host_sigmask(SIG_UNBLOCK, &set, &oldset);
    syscall(SYS_tgkill, (long)getpid(), (long)gettid(), (long)hs);
    /* Runs on when the process is continued. */
    host_sigmask(SIG_SETMASK, &oldset, NULL);
    if (hs != SIGSTOP) {
        pthread_mutex_lock(&sigact_lock);
        update_host_action(sig);
        pthread_mutex_unlock(&sigact_lock);
    }
}

static bool on_sig_stack(const SignalThread *ts, uint64_t sp)
{
    if (ts->ss_flags & TARGET_SS_AUTODISARM) {
        return false;
    }
    return sp > ts->ss_sp && sp - ts->ss_sp <= ts->ss_size;
}

static uint32_t sas_ss_flags(const SignalThread *ts, uint64_t sp)
{
    if (ts->ss_size == 0) {
        return TARGET_SS_DISABLE;
    }
    return on_sig_stack(ts, sp) ? TARGET_SS_ONSTACK : 0;
}

/* Build the frame of Linux's setup_rt_frame.  Returns 0 or -EFAULT. */
static int setup_rt_frame(CPURISCVState *env, SignalThread *ts, int sig,
                          const struct target_sigaction *ka,
                          const target_siginfo_t *info, uint64_t oldmask)
{
    struct target_rt_sigframe frame;
    struct target_sigcontext *sc = &frame.uc.uc_mcontext;
    uint64_t sp = env->gpr[2], frame_addr, size = signal_frame_size(env, false);

    if (on_sig_stack(ts, sp) && !on_sig_stack(ts, sp - size)) {
        return -EFAULT; /* would overflow the alternate stack */
    }
    if ((ka->sa_flags & TARGET_SA_ONSTACK) && sas_ss_flags(ts, sp) == 0) {
        sp = ts->ss_sp + ts->ss_size;
    }
    frame_addr = (sp - size) & ~(uint64_t)15;

    memset(&frame, 0, sizeof(frame));
    frame.info = *info;
    frame.uc.uc_stack.ss_sp = ts->ss_sp;
    frame.uc.uc_stack.ss_flags = sas_ss_flags(ts, env->gpr[2]);
    frame.uc.uc_stack.ss_size = ts->ss_size;
    frame.uc.uc_sigmask = oldmask;
    sc->gregs[0] = env->pc;
    for (int i = 1; i < 32; i++) {
        sc->gregs[i] = env->gpr[i];
    }
    for (int i = 0; i < 32; i++) {
        sc->fp.d.f[i] = env->fpr[i];
    }
    sc->fp.d.fcsr = (env->fflags & 0x1f) | ((env->frm & 7) << 5);
    if (signal_v_save(env, frame_addr, &sc->fp.q.ext_magic,
                      &sc->fp.q.ext_size)) {
        return -EFAULT;
    }
    if (copy_to_guest(frame_addr, &frame, sizeof(frame))) {
        return -EFAULT;
    }
    if (ts->ss_flags & TARGET_SS_AUTODISARM) {
        ts->ss_sp = 0;
        ts->ss_size = 0;
        ts->ss_flags = TARGET_SS_DISABLE;
    }
    env->gpr[1] = sigreturn_tramp;
    env->gpr[2] = frame_addr;
    env->gpr[10] = sig;
    env->gpr[11] = frame_addr + offsetof(struct target_rt_sigframe, info);
    env->gpr[12] = frame_addr + offsetof(struct target_rt_sigframe, uc);
    env->pc = ka->sa_handler_;
    env->load_res = -1;
    return 0;
}

static void handle_signal(CPURISCVState *env, SignalThread *ts, int sig,
                          SigEntry *e)
{
    target_siginfo_t info = *entry_info(ts, e);
    struct target_sigaction ka;
    uint64_t base, newmask;

    e->pending = 0;
    pthread_mutex_lock(&sigact_lock);
    ka = sigacts()[sig];
    if (ka.sa_handler_ != TARGET_SIG_DFL && ka.sa_handler_ != TARGET_SIG_IGN &&
        (ka.sa_flags & TARGET_SA_RESETHAND)) {
        sigacts()[sig].sa_handler_ = TARGET_SIG_DFL;
        update_host_action(sig);
    }
    pthread_mutex_unlock(&sigact_lock);

    if (ka.sa_handler_ == TARGET_SIG_IGN) {
        return;
    }
    if (ka.sa_handler_ == TARGET_SIG_DFL) {
        switch (sig) {
        case SIGCHLD:
        case SIGURG:
        case SIGWINCH:
        case SIGCONT:
            return;
        case SIGSTOP:
        case SIGTSTP:
        case SIGTTIN:
        case SIGTTOU:
            stop_self(sig);
            return;
        default:
            signal_terminate(env, sig);
        }
    }
    if (tcg_log_enabled(CPU_LOG_GUEST_ERROR)) {
        tcg_log("ctcg: delivering signal %d (code %d) at pc 0x%llx\n", sig,
                info.si_code, (unsigned long long)env->pc);
    }
    base = ts->in_sigsuspend ? ts->sigsuspend_mask : ts->blocked;
    newmask = ka.sa_mask;
    if (!(ka.sa_flags & TARGET_SA_NODEFER)) {
        newmask |= sigbit(sig);
    }
    if (setup_rt_frame(env, ts, sig, &ka, &info, ts->blocked) < 0) {
        /* Linux's force_sigsegv: a bad stack ends the process. */
        signal_terminate(env, SIGSEGV);
    }
    ts->blocked = (base | newmask) & ~UNBLOCKABLE;
    ts->in_sigsuspend = false;
}

void queue_sync_signal(CPURISCVState *env, int sig, int code, uint64_t addr)
{
    SignalThread *ts = &sigthread;
    target_siginfo_t *si = entry_info(ts, &ts->sync);

    (void)env;
    memset(si, 0, sizeof(*si));
    si->si_signo = sig;
    si->si_code = code;
    si->u.addr = addr;
    ts->sync.pending = 1;
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
}

/* Take a pending signal of host set @hset without waiting: 0 if none. */
static int host_take_signal(uint64_t hset, siginfo_t *info)
{
    static const struct timespec zero = {0, 0};
    long r;

    if (hset == 0) {
        return 0;
    }
    r = syscall(SYS_rt_sigtimedwait, &hset, info, &zero, 8L);
    return r > 0 ? (int)r : 0;
}

/*
 * The host kernel handed out guest @sig (with @info) and it is one that
 * sorts below SIGRTMIN on the host (63, 64): if a lower guest real-time
 * signal of @set is pending too, take that one instead (Linux's order),
 * and keep @sig in its slot, which must be free.  Returns the guest signal
 * now in @info.  Context: this thread; it may leave host signals blocked,
 * with ctcg_signal_pending set so that process_pending_signals() delivers
 * @sig if it is not blocked and restores the host mask.
 */
static int lower_first(uint64_t set, int sig, siginfo_t *info)
{
    SignalThread *ts = &sigthread;
    uint64_t lower = set & TARGET_RT_SIGS & (sigbit(sig) - 1);
    siginfo_t low;
    int hs;

    if (t2h[sig] >= SIGRTMIN || lower == 0) {
        return sig;
    }
    hs = host_take_signal(target_to_host_mask(lower), &low);
    if (hs == 0) {
        return sig;
    }
    block_all_host_signals(); /* no handler writes the slot meanwhile */
    host_to_target_siginfo(&ts->infos[sig], info, sig);
    ts->sigtab[sig].pending = 1;
    /* Pairs with the loads in process_pending_signals (same thread). */
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
    *info = low;
    return h2t[hs];
}

/*
 * Before delivering guest @sig from its slot, when the host sorted it
 * first although it is above lower pending real-time signals: move the
 * lowest of those the mask @blocked allows into its slot.  Returns true if
 * it did (the caller then picks again).
 */
static bool pull_lower(SignalThread *ts, int sig, uint64_t blocked)
{
    uint64_t lower = TARGET_RT_SIGS & (sigbit(sig) - 1) & ~blocked;
    siginfo_t info;
    int hs;

    if (t2h[sig] >= SIGRTMIN) {
        return false;
    }
    for (int s = TARGET_SIGRTMIN; s < sig; s++) {
        if (ts->sigtab[s].pending) {
            lower &= ~sigbit(s);
        }
    }
    hs = host_take_signal(target_to_host_mask(lower), &info);
    if (hs == 0) {
        return false;
    }
    host_to_target_siginfo(&ts->infos[h2t[hs]], &info, h2t[hs]);
    ts->sigtab[h2t[hs]].pending = 1;
    return true;
}

/*
 * Signals left in this thread's slots that its guest mask blocks: those
 * sent to the process go back to it for another thread (see the top).
 */
static void retarget_blocked(SignalThread *ts, uint64_t blocked)
{
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        SigEntry *e = &ts->sigtab[sig];
        siginfo_t info;

        if (!e->pending || !(blocked & sigbit(sig))) {
            continue;
        }
        signal_target_to_host_siginfo(&info, entry_info(ts, e), sig);
        if (signal_sent_to_thread(t2h[sig], &info)) {
            continue;
        }
        if (signal_resend_to_process(&info) == 0) {
            e->pending = 0;
        }
    }
}

/*
 * Under gdb, a signal stops the program before it is delivered; gdb
 * says whether to deliver it (continue) or to discard it (signal 0).
 */
static bool gdb_passes(CPURISCVState *env, int sig)
{
    /* Pairs with the release stores of gdbstub.c (detach). */
    if (!__atomic_load_n(&gdbstub_active, __ATOMIC_ACQUIRE)) {
        return true;
    }
    return gdbstub_signal(env, sig) != 0;
}

void process_pending_signals(CPURISCVState *env)
{
    SignalThread *ts = &sigthread;

    /* Pairs with the store in host_signal_handler (same thread). */
    while (__atomic_load_n(&ctcg_signal_pending, __ATOMIC_ACQUIRE)) {
        block_all_host_signals();
restart:
        if (ts->sync.pending) {
            int sig = entry_info(ts, &ts->sync)->si_signo;

            /* Forced, as Linux's force_sig_fault: unblock, undo SIG_IGN. */
            pthread_mutex_lock(&sigact_lock);
            if ((ts->blocked & sigbit(sig)) ||
                sigacts()[sig].sa_handler_ == TARGET_SIG_IGN) {
                ts->blocked &= ~sigbit(sig);
                sigacts()[sig].sa_handler_ = TARGET_SIG_DFL;
                update_host_action(sig);
            }
            pthread_mutex_unlock(&sigact_lock);
            if (gdb_passes(env, sig)) {
                handle_signal(env, ts, sig, &ts->sync);
            } else {
                ts->sync.pending = 0; /* gdb's `signal 0` */
            }
        }
        for (int sig = 1; sig <= TARGET_NSIG; sig++) {
            uint64_t blocked =
                ts->in_sigsuspend ? ts->sigsuspend_mask : ts->blocked;

            if (ts->sigtab[sig].pending && !(blocked & sigbit(sig))) {
                if (pull_lower(ts, sig, blocked)) {
                    goto restart;
                }
                if (gdb_passes(env, sig)) {
                    handle_signal(env, ts, sig, &ts->sigtab[sig]);
                } else {
                    ts->sigtab[sig].pending = 0; /* gdb's `signal 0` */
                }
                /* The frame may have faulted into a new sync signal. */
                goto restart;
            }
        }
        ts->in_sigsuspend = false;
        retarget_blocked(ts, ts->blocked);
        /*
         * Unblocking may take the next host signal, which sets it again.
         * Pairs with the store in host_signal_handler (same thread).
         */
        __atomic_store_n(&ctcg_signal_pending, 0, __ATOMIC_SEQ_CST);
        set_host_mask(ts->blocked);
    }
    ts->in_sigsuspend = false;
}

int signal_suspend_begin(uint64_t addr, uint64_t size, sigset_t *host)
{
    SignalThread *ts = &sigthread;
    uint64_t mask;

    if (size != 8) {
        return -EINVAL;
    }
    if (copy_from_guest(&mask, addr, 8)) {
        return -EFAULT;
    }
    ts->sigsuspend_mask = mask & ~UNBLOCKABLE;
    target_to_host_sigset(host, ts->sigsuspend_mask);
    sigdelset(host, SIGSEGV);
    sigdelset(host, SIGBUS);
    sigdelset(host, SIGILL);
    sigdelset(host, SIGFPE);
    return 0;
}

void signal_suspend_end(int64_t ret)
{
    /* Interrupted in the kernel: deliver under the temporary mask. */
    if (ret != -CTCG_ERESTARTSYS) {
        sigthread.in_sigsuspend = true;
    }
}

/* ---- the syscalls ---------------------------------------------------- */

int64_t signal_do_sigaction(int sig, const struct target_sigaction *act,
                            struct target_sigaction *oact)
{
    if (sig < 1 || sig > TARGET_NSIG) {
        return -EINVAL;
    }
    if (act && (sig == SIGKILL || sig == SIGSTOP)) {
        return -EINVAL;
    }
    if (block_signals()) {
        return -CTCG_ERESTARTSYS;
    }
    pthread_mutex_lock(&sigact_lock);
    if (oact) {
        *oact = sigacts()[sig];
    }
    if (act) {
        sigacts()[sig] = *act;
        sigacts()[sig].sa_mask &= ~UNBLOCKABLE;
        update_host_action(sig);
        /* Ignoring a signal discards what is pending of it (here). */
        if (act->sa_handler_ == TARGET_SIG_IGN ||
            (act->sa_handler_ == TARGET_SIG_DFL &&
             (sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH))) {
            sigthread.sigtab[sig].pending = 0;
        }
    }
    pthread_mutex_unlock(&sigact_lock);
    return 0;
}

int64_t signal_do_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
    SignalThread *ts = &sigthread;

    if (old) {
        *old = ts->blocked;
    }
    if (set) {
        if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK) {
            return -EINVAL;
        }
        if (block_signals()) {
            return -CTCG_ERESTARTSYS;
        }
        switch (how) {
        case SIG_BLOCK:
            ts->blocked |= *set;
            break;
        case SIG_UNBLOCK:
            ts->blocked &= ~*set;
            break;
        default:
            ts->blocked = *set;
            break;
        }
        ts->blocked &= ~UNBLOCKABLE;
    }
    return 0;
}

uint64_t signal_get_blocked(void)
{
    return sigthread.blocked;
}

int64_t signal_do_sigaltstack(const target_stack_t *ss, target_stack_t *oss,
                              uint64_t sp)
{
    SignalThread *ts = &sigthread;

    if (oss) {
        memset(oss, 0, sizeof(*oss));
        oss->ss_sp = ts->ss_sp;
        oss->ss_size = ts->ss_size;
        oss->ss_flags =
            sas_ss_flags(ts, sp) | (ts->ss_flags & TARGET_SS_AUTODISARM);
    }
    if (ss) {
        uint32_t flags = ss->ss_flags;
        uint32_t mode = flags & ~TARGET_SS_AUTODISARM;
        uint64_t ss_sp = ss->ss_sp, ss_size = ss->ss_size;

        if (on_sig_stack(ts, sp)) {
            return -EPERM;
        }
        if (mode != TARGET_SS_DISABLE && mode != TARGET_SS_ONSTACK &&
            mode != 0) {
            return -EINVAL;
        }
        if (mode == TARGET_SS_DISABLE) {
            ss_sp = 0;
            ss_size = 0;
        } else if (ss_size < TARGET_MINSIGSTKSZ ||
                   (ts->env && ss_size <= signal_frame_size(ts->env, false))) {
            /* Linux: MINSIGSTKSZ, then sigaltstack_size_valid */
            return -ENOMEM;
        }
        ts->ss_sp = ss_sp;
        ts->ss_size = ss_size;
        ts->ss_flags = flags;
    }
    return 0;
}

int64_t signal_do_rt_sigreturn(CPURISCVState *env)
{
    SignalThread *ts = &sigthread;
    struct target_rt_sigframe frame;
    const struct target_sigcontext *sc = &frame.uc.uc_mcontext;
    uint64_t frame_addr = env->gpr[2];

    if (block_signals()) {
        return -CTCG_ERESTARTSYS;
    }
    if ((frame_addr & 15) ||
        copy_from_guest(&frame, frame_addr, sizeof(frame))) {
        queue_sync_signal(env, SIGSEGV, SI_KERNEL, 0);
        return -CTCG_ESIGRETURN;
    }
    ts->blocked = frame.uc.uc_sigmask & ~UNBLOCKABLE;
    env->pc = sc->gregs[0];
    for (int i = 1; i < 32; i++) {
        env->gpr[i] = sc->gregs[i];
    }
    for (int i = 0; i < 32; i++) {
        env->fpr[i] = sc->fp.d.f[i];
    }
    env->fflags = sc->fp.d.fcsr & 0x1f;
    env->frm = (sc->fp.d.fcsr >> 5) & 7;
    env->load_res = -1;
    if (signal_ext_restore(env, frame_addr, sc->fp.q.reserved,
                           sc->fp.q.ext_magic, sc->fp.q.ext_size)) {
        queue_sync_signal(env, SIGSEGV, SI_KERNEL, 0);
        return -CTCG_ESIGRETURN;
    }
    /* Linux's restore_altstack: errors other than EFAULT are ignored. */
    signal_do_sigaltstack(&frame.uc.uc_stack, NULL, env->gpr[2]);
    return -CTCG_ESIGRETURN;
}

uint64_t signal_pending_set(void)
{
    SignalThread *ts = &sigthread;
    uint64_t set, host = 0;

    syscall(SYS_rt_sigpending, &host, 8L);
    set = host_to_target_mask(host);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        if (ts->sigtab[sig].pending) {
            set |= sigbit(sig);
        }
    }
    return set & ts->blocked;
}

int signal_dequeue(uint64_t set, void *info)
{
    SignalThread *ts = &sigthread;
    uint64_t below = set;
    siginfo_t hinfo;
    int slot = 0, hs, sig;

    for (int s = 1; s <= TARGET_NSIG; s++) {
        if ((set & sigbit(s)) && ts->sigtab[s].pending) {
            slot = s;
            below = set & (sigbit(s) - 1);
            break;
        }
    }
    /* A lower one may still be in the host kernel. */
    hs = host_take_signal(target_to_host_mask(below), &hinfo);
    if (hs) {
        sig = lower_first(below, h2t[hs], &hinfo);
        host_to_target_siginfo(info, &hinfo, sig);
        return sig;
    }
    if (slot) {
        memcpy(info, &ts->infos[slot], sizeof(target_siginfo_t));
        ts->sigtab[slot].pending = 0;
    }
    return slot;
}

int signal_waited(uint64_t set, int host_sig, const siginfo_t *hinfo,
                  void *info)
{
    siginfo_t h = *hinfo;
    int sig = lower_first(set, h2t[host_sig], &h);

    host_to_target_siginfo(info, &h, sig);
    return sig;
}

/* ---- threads and start-up -------------------------------------------- */

void signal_thread_init(CPURISCVState *env, uint64_t blocked, void *area)
{
    SignalThread *ts = &sigthread;
    target_siginfo_t *infos =
        area ? area : malloc((TARGET_NSIG + 1) * sizeof(*infos));

    if (infos == NULL) {
        fprintf(stderr, "ctcg: out of memory\n");
        exit(1);
    }
    memset(ts, 0, sizeof(*ts));
    ts->infos = infos;
    ts->infos_malloced = area == NULL;
    ts->blocked = blocked & ~UNBLOCKABLE;
    ts->ss_flags = TARGET_SS_DISABLE; /* a new thread has no altstack */
    __atomic_store_n(&ts->env, env, __ATOMIC_RELEASE);
}

void signal_thread_start(void)
{
    /*
     * The host mask the thread started with is glibc's (everything but
     * SIGCANCEL blocked): from now on it mirrors the guest mask.  One
     * syscall; a signal a handler took meanwhile is in its slot with
     * ctcg_signal_pending set.  (Keeping glibc's mask where the guest
     * blocks everything saves nothing: the guest's first mask change,
     * glibc's start_thread's, would have to block all first.)
     */
    set_host_mask(sigthread.blocked);
}

void signal_thread_exit(void)
{
    SignalThread *ts = &sigthread;

    /*
     * No host call: once env is NULL the handler of this thread sends a
     * process-directed signal on to the process and leaves the slots
     * alone (a thread-directed one is lost, as Linux drops those of an
     * exiting thread); the slots it filled before are passed on here, as
     * Linux hands the process-directed signals the thread held to the
     * others.  Pairs with the acquire load in host_signal_handler.
     */
    __atomic_store_n(&ts->env, NULL, __ATOMIC_RELEASE);
    /* Orders the store before the slots' reads against our handler. */
    __atomic_signal_fence(__ATOMIC_SEQ_CST);
    retarget_blocked(ts, ~0ull);
    if (ts->infos_malloced) {
        free(ts->infos);
    }
    ts->infos = NULL;
}

/*
 * From /proc/self/task/@tid/status: the SigBlk word (all ones if the
 * thread is gone), and in @sleeping whether it is asleep (State S).
 */
static uint64_t thread_blocked(int tid, bool *sleeping)
{
    char path[64], line[128], state = 0;
    uint64_t blk = ~0ull;
    FILE *f;

    snprintf(path, sizeof(path), "/proc/self/task/%d/status", tid);
    f = fopen(path, "r");
    if (f == NULL) {
        *sleeping = true;
        return ~0ull; /* gone */
    }
    while (fgets(line, sizeof(line), f)) {
        if (sscanf(line, "State: %c", &state) == 1) {
            continue;
        }
        if (sscanf(line, "SigBlk: %" SCNx64, &blk) == 1) {
            break;
        }
    }
    fclose(f);
    *sleeping = state == 'S';
    return blk;
}

/*
 * Threads a library starts (liburcu's hash-table worker) run no guest code
 * but can take host signals meant for the guest, and die of one under
 * SIG_DFL: glibc starts every thread with host 32 (SIGCANCEL) unblocked
 * whatever its creator blocks, and liburcu's worker unblocks SIGUSR1 for
 * itself.  Make each thread but the caller block every host signal but the
 * fault ones: once asleep (its own set-up done), or after about 10 ms, it is
 * sent one it does not block, and host_signal_handler, finding no guest
 * thread there, blocks them all for good.  Context: start-up and a fork
 * child (the caller is the only guest thread), with sigact_lock held.
 */
static void quiet_helper_threads(void)
{
    int64_t deadline;

#ifdef __SANITIZE_THREAD__
    /*
     * ThreadSanitizer runs a background thread of its own, which crashes
     * if it takes a signal: leave the other threads alone in TSan builds
     * (the TSan pass does not run the tests that need this).
     */
    return;
#endif

    uint64_t want = target_to_host_mask(~UNBLOCKABLE) & ~HOST_FAULT_SIGS;
    int self = gettid();
    struct dirent *de;
    DIR *d = opendir("/proc/self/task");

    while (d && (de = readdir(d)) != NULL) {
        int tid = atoi(de->d_name), hs;
        bool sleeping = false;
        uint64_t missing;

        if (tid <= 0 || tid == self) {
            continue;
        }
        /*
         * Give its own set-up a moment (it may be busy for good): up to
         * 10 ms.  sched_yield, not usleep: a sleep costs its timer slack
         * each time, and this is on every start-up's path.
         */
        deadline = (int64_t)cpu_clock_ns() + 10000000;
        while (thread_blocked(tid, &sleeping),
               !sleeping && (int64_t)cpu_clock_ns() < deadline) {
            sched_yield();
        }
        missing = want & ~thread_blocked(tid, &sleeping);
        if (missing == 0) {
            continue;
        }
        hs = __builtin_ctzll(missing) + 1;
        host_set_action(hs, (void *)host_signal_handler, SA_SIGINFO);
        syscall(SYS_tgkill, (long)getpid(), (long)tid, (long)hs);
        deadline = (int64_t)cpu_clock_ns() + 1000000000;
        while ((want & ~thread_blocked(tid, &sleeping)) &&
               (int64_t)cpu_clock_ns() < deadline) {
            sched_yield();
        }
        update_host_action(h2t[hs]);
    }
    if (d) {
        closedir(d);
    }
}

void signal_fork_child(void)
{
    SignalThread *ts = &sigthread;

    /* liburcu has started its helper threads again in the child. */
    pthread_mutex_lock(&sigact_lock);
    quiet_helper_threads();
    pthread_mutex_unlock(&sigact_lock);

    /* Linux: a child starts with no pending signals. */
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        ts->sigtab[sig].pending = 0;
    }
    ts->sync.pending = 0;
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
}

/* What the vforking thread's signal state was, and the child's table. */
struct SignalVforkSave {
    SignalThread ts;
    struct target_sigaction *own; /* the thread's sigact_own */
    struct target_sigaction child[TARGET_NSIG + 1];
};

int signal_vfork_begin(SignalVforkSave **save)
{
    SignalVforkSave *s;

    /* With ctcg_signal_pending set: process_pending_signals restores the
     * host mask after the call, whatever it returns. */
    if (block_signals()) {
        return -CTCG_ERESTARTSYS; /* Linux's fork: -ERESTARTNOINTR */
    }
    s = malloc(sizeof(*s));
    if (s == NULL) {
        return -ENOMEM;
    }
    s->ts = sigthread;
    s->own = sigact_own;
    *save = s;
    return 0;
}

void signal_vfork_child(SignalVforkSave *save)
{
    SignalThread *ts = &sigthread;

    /* Host signals are blocked (signal_vfork_begin), the faults aside. */
    pthread_mutex_lock(&sigact_lock);
    memcpy(save->child, sigacts(), sizeof(save->child));
    sigact_own = save->child;
    pthread_mutex_unlock(&sigact_lock);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        ts->sigtab[sig].pending = 0;
    }
    ts->sync.pending = 0;
    /* Pairs with the loads in process_pending_signals (same thread). */
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
}

void signal_vfork_end(SignalVforkSave *save)
{
    /* The child is gone; our host mask is still signal_vfork_begin's (the
     * child's were its own): no handler of ours has run here since. */
    sigthread = save->ts;
    sigact_own = save->own;
    __atomic_store_n(&host_mask_known, false, __ATOMIC_RELAXED);
    /* Pairs with the loads in process_pending_signals (same thread). */
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
    free(save);
}

/* li a7, 139 (rt_sigreturn); ecall: where a handler returns to. */
static void setup_sigtramp(void)
{
    static const uint32_t code[2] = {0x08b00893, 0x00000073};
    int64_t addr =
        target_mmap(0, TARGET_PAGE_SIZE, TARGET_PROT_READ | TARGET_PROT_WRITE,
                    TARGET_MAP_PRIVATE | TARGET_MAP_ANONYMOUS, -1, 0);

    if (addr < 0 && addr > -4096) {
        fprintf(stderr, "ctcg: cannot map the signal trampoline: %s\n",
                strerror((int)-addr));
        exit(1);
    }
    memcpy(g2h(addr), code, sizeof(code));
    target_mprotect(addr, TARGET_PAGE_SIZE,
                    TARGET_PROT_READ | TARGET_PROT_EXEC);
    sigreturn_tramp = addr;
}

/* The host mask ctcg started with: the guest's initial mask (exec). */
static uint64_t initial_host_mask;

void signal_early_init(void)
{
    uint64_t set = ~HOST_FAULT_SIGS;

    host_sigmask(SIG_SETMASK, &set, &initial_host_mask);
}

void signal_init(CPURISCVState *env)
{
    int hsig, sig;

    for (sig = 1; sig < TARGET_SIGRTMIN; sig++) {
        t2h[sig] = sig;
        h2t[sig] = sig;
    }
    /*
     * Guest 32+i is host SIGRTMIN+i (SIGRTMIN is 34 with glibc), up to
     * host 64; the rest (63, 64) take the host signals glibc keeps for
     * itself, from 32 on (see the top).
     */
    hsig = SIGRTMIN;
    for (sig = TARGET_SIGRTMIN; sig <= TARGET_NSIG && hsig <= SIGRTMAX;
         sig++, hsig++) {
        t2h[sig] = hsig;
        h2t[hsig] = sig;
    }
    for (hsig = 32; sig <= TARGET_NSIG && hsig < SIGRTMIN; sig++, hsig++) {
        t2h[sig] = hsig;
        h2t[hsig] = sig;
    }
    setup_sigtramp();
    signal_thread_init(env, 0, NULL);
    /* The guest starts with the host's mask and ignored signals (exec). */
    sigthread.blocked = host_to_target_mask(initial_host_mask) & ~UNBLOCKABLE;
    /*
     * Every host signal is blocked (signal_early_init): the first
     * process_pending_signals() makes the host mask mirror the guest's.
     * Pairs with the loads in process_pending_signals (same thread).
     */
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
    cpu_exec_signal_hook = host_signal_handler;
    pthread_mutex_lock(&sigact_lock);
    for (sig = 1; sig <= TARGET_NSIG; sig++) {
        struct host_kernel_sigaction old;
        bool known = false;

        if (t2h[sig] == 0) {
            continue;
        }
        if (!host_fault_signal(t2h[sig]) &&
            syscall(SYS_rt_sigaction, (long)t2h[sig], NULL, &old, 8L) == 0) {
            known = true;
            if (old.handler == (void *)SIG_IGN) {
                sigacts()[sig].sa_handler_ = TARGET_SIG_IGN;
            }
        }
        update_host_action_from(sig, known ? &old : NULL);
    }
    quiet_helper_threads();
    pthread_mutex_unlock(&sigact_lock);
    set_host_mask(sigthread.blocked);
}
