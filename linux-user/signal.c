/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest signals: numbering, dispositions, per-thread masks and pending
 * sets, delivery (Linux's riscv64 rt_sigframe) and rt_sigreturn.
 * docs/signals.md describes the design; QEMU's linux-user/signal.c is
 * the model (written afresh here).
 *
 * Numbering.  Guest signals 1-31 are the host's.  The host glibc keeps
 * host 32 and 33 for itself, so guest real-time signals are shifted:
 * guest 32+i is host 34+i (SIGRTMIN+i), for guest 32..62.  The order is
 * kept (the host kernel delivers the lowest-numbered real-time signal
 * first and keeps the queue for us).  Guest 63 and 64 have no host
 * signal: rt_sigaction accepts them, sending them answers -EINVAL
 * (QEMU behaves the same).
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
 * Locking: sigact[] (process-wide) is under sigact_lock, taken only with
 * host signals blocked in the calling thread.  SignalThread belongs to its
 * thread (and that thread's host signal handler, serialised by the host
 * mask as above).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
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
            uint32_t reserved[3]; /* 0: no extension context follows */
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

typedef struct SigEntry {
    int pending;
    target_siginfo_t info;
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
} SignalThread;

__thread int ctcg_signal_pending;
static __thread SignalThread sigthread;

static struct target_sigaction sigact[TARGET_NSIG + 1]; /* [sigact_lock] */
static pthread_mutex_t sigact_lock = PTHREAD_MUTEX_INITIALIZER;
static int t2h[TARGET_NSIG + 1];
static int h2t[_NSIG + 1];
static uint64_t sigreturn_tramp; /* guest address of li a7,139; ecall */

extern char safe_syscall_start[], safe_syscall_end[];

static inline uint64_t sigbit(int sig)
{
    return 1ull << (sig - 1);
}

#define UNBLOCKABLE (sigbit(SIGKILL) | sigbit(SIGSTOP))

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
    return hs == SIGSEGV || hs == SIGBUS || hs == SIGILL || hs == SIGFPE;
}

void target_to_host_sigset(sigset_t *host, uint64_t guest)
{
    sigemptyset(host);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        if ((guest & sigbit(sig)) && t2h[sig]) {
            sigaddset(host, t2h[sig]);
        }
    }
}

uint64_t host_to_target_sigset(const sigset_t *host)
{
    uint64_t guest = 0;

    for (int hs = 1; hs <= _NSIG - 1; hs++) {
        if (h2t[hs] && sigismember(host, hs) == 1) {
            guest |= sigbit(h2t[hs]);
        }
    }
    return guest;
}

int host_to_target_waitstatus(int status)
{
    if (WIFSIGNALED(status) && h2t[WTERMSIG(status)]) {
        return (status & ~0x7f) | h2t[WTERMSIG(status)];
    }
    if (WIFSTOPPED(status) && h2t[WSTOPSIG(status)]) {
        return (status & 0xff) | (h2t[WSTOPSIG(status)] << 8);
    }
    return status;
}

void host_to_target_siginfo(void *guest, const siginfo_t *host, int sig)
{
    target_siginfo_t *t = guest;

    /* Both are the 128-byte 64-bit generic layout. */
    memcpy(t, host, sizeof(*t));
    t->si_signo = sig;
    if (sig == SIGCHLD && host->si_code >= CLD_KILLED &&
        host->si_code <= CLD_CONTINUED && h2t[t->u.chld.status & 0x7f]) {
        t->u.chld.status = h2t[t->u.chld.status & 0x7f];
    }
}

/* The host mask that mirrors the guest mask @blocked. */
static void set_host_mask(uint64_t blocked)
{
    sigset_t set;

    target_to_host_sigset(&set, blocked);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGILL);
    sigdelset(&set, SIGFPE);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
}

static void block_all_host_signals(void)
{
    sigset_t set;

    sigfillset(&set);
    sigdelset(&set, SIGSEGV);
    sigdelset(&set, SIGBUS);
    sigdelset(&set, SIGILL);
    sigdelset(&set, SIGFPE);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
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
    return __atomic_exchange_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
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

    if (sig == 0 || ts->env == NULL) {
        return; /* not a guest thread (any more) */
    }
    host_to_target_siginfo(&ts->sigtab[sig].info, info, sig);
    ts->sigtab[sig].pending = 1;
    rewind_if_in_safe_syscall(uc);
    /*
     * Return with host signals blocked until process_pending_signals()
     * has taken this one.  uc_sigmask is the kernel's 8-byte set: only
     * its first word is written.
     */
    memset(&uc->uc_sigmask, 0xff, 8);
    sigdelset(&uc->uc_sigmask, SIGSEGV);
    sigdelset(&uc->uc_sigmask, SIGBUS);
    sigdelset(&uc->uc_sigmask, SIGILL);
    sigdelset(&uc->uc_sigmask, SIGFPE);
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

/* Make the host disposition of guest @sig follow sigact[sig]. */
static void update_host_action(int sig)
{
    const struct target_sigaction *k = &sigact[sig];
    struct sigaction act;
    int hs = t2h[sig];

    if (hs == 0 || hs == SIGKILL || hs == SIGSTOP || host_fault_signal(hs)) {
        return;
    }
    memset(&act, 0, sizeof(act));
    sigfillset(&act.sa_mask);
    if (k->sa_handler_ == TARGET_SIG_IGN) {
        act.sa_handler = SIG_IGN;
    } else if (k->sa_handler_ == TARGET_SIG_DFL && !default_is_core(sig)) {
        act.sa_handler = SIG_DFL;
    } else {
        act.sa_sigaction = host_signal_handler;
        act.sa_flags = SA_SIGINFO;
        if (k->sa_flags & TARGET_SA_RESTART) {
            act.sa_flags |= SA_RESTART;
        }
    }
    if (sig == SIGCHLD) {
        act.sa_flags |= k->sa_flags & (SA_NOCLDSTOP | SA_NOCLDWAIT);
    }
    sigaction(hs, &act, NULL);
}

void signal_terminate(CPURISCVState *env, int sig)
{
    struct sigaction sa;
    sigset_t set;
    int hs = t2h[sig] ? t2h[sig] : SIGKILL;

    if (default_is_core(sig) &&
        (sig != SIGTRAP || tcg_log_enabled(CPU_LOG_GUEST_ERROR))) {
        fprintf(stderr,
                "ctcg: uncaught target signal %d (%s) - core dumped "
                "(pc 0x%llx, address 0x%llx)\n",
                sig, strsignal(sig), (unsigned long long)env->pc,
                (unsigned long long)env->badaddr);
    }
    if (user_opts.tcg_stats) {
        cpu_exec_dump_stats(stderr);
        smc_dump_stats(stderr);
    }
    if (tcg_logfile) {
        fflush(tcg_logfile);
    }
    fflush(stdout);
    /* A core file would be the emulator's, not the guest's. */
    setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigaction(hs, &sa, NULL);
    sigfillset(&set);
    sigdelset(&set, hs);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
    syscall(SYS_tgkill, (long)getpid(), (long)gettid(), (long)hs);
    /* Not reached unless the host ignores @hs: end anyway. */
    syscall(SYS_kill, (long)getpid(), (long)SIGKILL);
    _exit(128 + sig);
}

/* Default action of a stop signal: stop the process with that signal. */
static void stop_self(int sig)
{
    struct sigaction sa, old;
    sigset_t set, oldset;
    int hs = t2h[sig];

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    if (hs != SIGSTOP) {
        sigaction(hs, &sa, &old);
    }
    sigemptyset(&set);
    sigaddset(&set, hs);
    pthread_sigmask(SIG_UNBLOCK, &set, &oldset);
    syscall(SYS_tgkill, (long)getpid(), (long)gettid(), (long)hs);
    /* Runs on when the process is continued. */
    pthread_sigmask(SIG_SETMASK, &oldset, NULL);
    if (hs != SIGSTOP) {
        sigaction(hs, &old, NULL);
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
    uint64_t sp = env->gpr[2], frame_addr;

    if (on_sig_stack(ts, sp) && !on_sig_stack(ts, sp - sizeof(frame))) {
        return -EFAULT; /* would overflow the alternate stack */
    }
    if ((ka->sa_flags & TARGET_SA_ONSTACK) && sas_ss_flags(ts, sp) == 0) {
        sp = ts->ss_sp + ts->ss_size;
    }
    frame_addr = (sp - sizeof(frame)) & ~(uint64_t)15;

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
    target_siginfo_t info = e->info;
    struct target_sigaction ka;
    uint64_t base, newmask;

    e->pending = 0;
    pthread_mutex_lock(&sigact_lock);
    ka = sigact[sig];
    if (ka.sa_handler_ != TARGET_SIG_DFL && ka.sa_handler_ != TARGET_SIG_IGN &&
        (ka.sa_flags & TARGET_SA_RESETHAND)) {
        sigact[sig].sa_handler_ = TARGET_SIG_DFL;
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

    (void)env;
    memset(&ts->sync.info, 0, sizeof(ts->sync.info));
    ts->sync.info.si_signo = sig;
    ts->sync.info.si_code = code;
    ts->sync.info.u.addr = addr;
    ts->sync.pending = 1;
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
}

void process_pending_signals(CPURISCVState *env)
{
    SignalThread *ts = &sigthread;

    while (__atomic_load_n(&ctcg_signal_pending, __ATOMIC_ACQUIRE)) {
        block_all_host_signals();
restart:
        if (ts->sync.pending) {
            int sig = ts->sync.info.si_signo;

            /* Forced, as Linux's force_sig_fault: unblock, undo SIG_IGN. */
            pthread_mutex_lock(&sigact_lock);
            if ((ts->blocked & sigbit(sig)) ||
                sigact[sig].sa_handler_ == TARGET_SIG_IGN) {
                ts->blocked &= ~sigbit(sig);
                sigact[sig].sa_handler_ = TARGET_SIG_DFL;
                update_host_action(sig);
            }
            pthread_mutex_unlock(&sigact_lock);
            handle_signal(env, ts, sig, &ts->sync);
        }
        for (int sig = 1; sig <= TARGET_NSIG; sig++) {
            uint64_t blocked =
                ts->in_sigsuspend ? ts->sigsuspend_mask : ts->blocked;

            if (ts->sigtab[sig].pending && !(blocked & sigbit(sig))) {
                handle_signal(env, ts, sig, &ts->sigtab[sig]);
                /* The frame may have faulted into a new sync signal. */
                goto restart;
            }
        }
        /* Unblocking may take the next host signal, which sets it again. */
        __atomic_store_n(&ctcg_signal_pending, 0, __ATOMIC_SEQ_CST);
        ts->in_sigsuspend = false;
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
        *oact = sigact[sig];
    }
    if (act) {
        sigact[sig] = *act;
        sigact[sig].sa_mask &= ~UNBLOCKABLE;
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
        } else if (ss_size < TARGET_MINSIGSTKSZ) {
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
    /* Linux's restore_altstack: errors other than EFAULT are ignored. */
    signal_do_sigaltstack(&frame.uc.uc_stack, NULL, env->gpr[2]);
    return -CTCG_ESIGRETURN;
}

uint64_t signal_pending_set(void)
{
    SignalThread *ts = &sigthread;
    uint64_t set;
    sigset_t host;

    sigpending(&host);
    set = host_to_target_sigset(&host);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        if (ts->sigtab[sig].pending) {
            set |= sigbit(sig);
        }
    }
    return set & ts->blocked;
}

int signal_take_queued(uint64_t set, void *info)
{
    SignalThread *ts = &sigthread;

    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        if ((set & sigbit(sig)) && ts->sigtab[sig].pending) {
            if (info) {
                memcpy(info, &ts->sigtab[sig].info, sizeof(target_siginfo_t));
            }
            ts->sigtab[sig].pending = 0;
            return sig;
        }
    }
    return 0;
}

/* ---- threads and start-up -------------------------------------------- */

void signal_thread_init(CPURISCVState *env, uint64_t blocked)
{
    SignalThread *ts = &sigthread;

    memset(ts, 0, sizeof(*ts));
    ts->blocked = blocked & ~UNBLOCKABLE;
    ts->ss_flags = TARGET_SS_DISABLE; /* a new thread has no altstack */
    __atomic_store_n(&ts->env, env, __ATOMIC_RELEASE);
    /*
     * The host mask the thread starts with is its creator's at clone time,
     * which may be the all-blocked one of a handler that just ran: the
     * first process_pending_signals() makes it mirror the guest mask.
     */
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
}

void signal_thread_exit(void)
{
    sigset_t set;

    sigfillset(&set);
    pthread_sigmask(SIG_SETMASK, &set, NULL);
    __atomic_store_n(&sigthread.env, NULL, __ATOMIC_RELEASE);
}

void signal_fork_child(void)
{
    SignalThread *ts = &sigthread;

    /* Linux: a child starts with no pending signals. */
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        ts->sigtab[sig].pending = 0;
    }
    ts->sync.pending = 0;
    __atomic_store_n(&ctcg_signal_pending, 1, __ATOMIC_SEQ_CST);
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

void signal_init(CPURISCVState *env)
{
    int hsig;

    for (int sig = 1; sig < TARGET_SIGRTMIN; sig++) {
        t2h[sig] = sig;
        h2t[sig] = sig;
    }
    /* Guest 32+i is host SIGRTMIN+i (SIGRTMIN is 34 with glibc). */
    hsig = SIGRTMIN;
    for (int sig = TARGET_SIGRTMIN; sig <= TARGET_NSIG && hsig <= SIGRTMAX;
         sig++, hsig++) {
        t2h[sig] = hsig;
        h2t[hsig] = sig;
    }
    setup_sigtramp();
    signal_thread_init(env, 0);
    /* The guest starts with the host's mask and ignored signals (exec). */
    {
        sigset_t cur;

        pthread_sigmask(SIG_SETMASK, NULL, &cur);
        sigthread.blocked = host_to_target_sigset(&cur) & ~UNBLOCKABLE;
    }
    cpu_exec_signal_hook = host_signal_handler;
    pthread_mutex_lock(&sigact_lock);
    for (int sig = 1; sig <= TARGET_NSIG; sig++) {
        struct sigaction old;

        if (t2h[sig] == 0 || host_fault_signal(t2h[sig])) {
            continue;
        }
        if (sigaction(t2h[sig], NULL, &old) == 0 && old.sa_handler == SIG_IGN) {
            sigact[sig].sa_handler_ = TARGET_SIG_IGN;
        }
        update_host_action(sig);
    }
    pthread_mutex_unlock(&sigact_lock);
    set_host_mask(sigthread.blocked);
}
