/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The execution loop of one vCPU thread.
 *
 * cpu_exec() looks up the TB for env->pc (the thread's jump cache, then
 * the global RCU hash), translates it on a miss, chains the previous TB
 * to it and runs it, until generated code leaves with something for the
 * CPU loop to handle (env->exception).  Helpers and the fault handler
 * leave generated code by siglongjmp to the thread's jmp_env after
 * restoring env->pc from the host PC (cpu_loop_exit_restore).
 *
 * The jump cache is private to its thread (see CPUState.jc).  Generated code can be left at
 * any TB boundary by setting env->hdr.exit_request (any thread, atomic
 * store; pairs with the load at every TB entry and in the loop below).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>
#include <urcu.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/translator.h"
#include "target-riscv/helper.h"
#include "tcg/log.h"
#include "tcg/tcg.h"

__thread CPUState *current_cpu;
int cpu_exec_max_insns = TCG_MAX_INSNS;
int cpu_exec_hot_threshold = TB_HOT_THRESHOLD;
bool cpu_exec_cold_direct = true;
bool (*translator_fetch_check)(uint64_t addr, size_t len);
bool (*translator_breakpoint_check)(uint64_t pc);
bool (*cpu_watch_hook)(uint64_t addr, unsigned size, int type);
uint32_t cpu_exec_debug_cflags;

/* Statistics of threads that have exited, folded in under stats_lock. */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;
static void stats_add(CPUExecStats *t, const CPUExecStats *s);
static CPUExecStats stats_total;
static int cpu_count;
bool cpu_exec_stats_enabled;
FILE *cpu_exec_perfmap;
static void stats_print(FILE *f, const char *who, const CPUExecStats *s);

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

bool cpu_restore_state(CPURISCVState *env, uintptr_t host_pc)
{
    TranslationBlock *tb = tcg_tb_lookup(host_pc);
    int64_t pc;

    if (tb == NULL) {
        return false;
    }
    pc = tcg_restore_search(tb, host_pc);
    if (pc == -1) {
        return false;
    }
    env->pc = pc;
    return true;
}

void cpu_loop_exit_restore(CPURISCVState *env, int excp, uintptr_t ra)
{
    current_cpu->helper_ra = 0;
    if (ra) {
        cpu_restore_state(env, ra - 1);
    }
    env->exception = excp;
    siglongjmp(current_cpu->jmp_env, 1);
}

/*
 * Generated code found a guest address out of range or misaligned.  An
 * access with a displacement (TCG_LDST_DISP) checked only its base: when
 * base + displacement is in range after all (a base just past the top
 * with a negative offset), the instruction runs again alone in a TB that
 * checks the whole address (CF_NODISP).
 */
static void riscv_guest_fault(void *opaque, uint64_t addr, uint32_t info,
                              uintptr_t raddr)
{
    CPURISCVState *env = opaque;
    unsigned size = 1u << (info & MO_SIZE);

    cpu_restore_state(env, raddr);
    if ((info & TCG_LDST_DISP) && !(addr & env->hdr.guest_addr_mask)) {
        current_cpu->cflags_next_tb = 1 | CF_NODISP;
        env->exception = RISCV_EXCP_INTERRUPT;
        siglongjmp(current_cpu->jmp_env, 1);
    }
    env->badaddr = addr;
    if ((info & MO_ALIGN) && (addr & (size - 1))) {
        env->exception = RISCV_EXCP_BUS_ADRALN;
    } else {
        env->exception = RISCV_EXCP_SEGV_MAPERR;
    }
    siglongjmp(current_cpu->jmp_env, 1);
}

void (*cpu_exec_signal_hook)(int sig, siginfo_t *si, void *uc);
void (*cpu_exec_fatal_hook)(void);

static void fatal_host_fault(int sig, siginfo_t *si, uintptr_t host_pc)
{
    CPUState *cpu = current_cpu;
    char buf[320];
    int n;

    n = snprintf(buf, sizeof(buf),
                 "ctcg: internal error: host signal %d (code %d) at host pc "
                 "%#lx, address %p (not a guest access); guest pc %#llx\n",
                 sig, si->si_code, (unsigned long)host_pc, si->si_addr,
                 cpu ? (unsigned long long)cpu->env->pc : 0ull);
    if (write(2, buf, n) < 0) {
        /* nothing more to do */
    }
    if (cpu_exec_fatal_hook) {
        cpu_exec_fatal_hook();
    }
    signal(sig, SIG_DFL);
    setrlimit(RLIMIT_CORE, &(struct rlimit){0, 0});
    raise(sig);
    _exit(128 + sig);
}

/*
 * SIGSEGV/SIGBUS: a guest access in generated code hit an unmapped or
 * protected page of the guest space.  The same signals, SIGILL and SIGFPE
 * sent by kill/tgkill/sigqueue (si_code <= 0) are guest signals for
 * linux-user (cpu_exec_signal_hook).  Anything else is our own bug.
 */
int (*cpu_exec_unprotect_hook)(uint64_t addr);

/*
 * cpu_restore_state() for a fault inside a guest access of generated
 * code: also the pinned guest registers the code held only in host
 * registers there (tcg_restore_pins), from the signal's context.
 */
static bool cpu_restore_state_uc(CPURISCVState *env, uintptr_t host_pc,
                                 const ucontext_t *uc)
{
    static const int greg[TCG_TARGET_NB_REGS] = {
        [TCG_REG_RAX] = REG_RAX, [TCG_REG_RCX] = REG_RCX,
        [TCG_REG_RDX] = REG_RDX, [TCG_REG_RBX] = REG_RBX,
        [TCG_REG_RSP] = REG_RSP, [TCG_REG_RBP] = REG_RBP,
        [TCG_REG_RSI] = REG_RSI, [TCG_REG_RDI] = REG_RDI,
        [TCG_REG_R8] = REG_R8,   [TCG_REG_R9] = REG_R9,
        [TCG_REG_R10] = REG_R10, [TCG_REG_R11] = REG_R11,
        [TCG_REG_R12] = REG_R12, [TCG_REG_R13] = REG_R13,
        [TCG_REG_R14] = REG_R14, [TCG_REG_R15] = REG_R15,
    };
    TranslationBlock *tb = tcg_tb_lookup(host_pc);
    uint64_t regs[TCG_TARGET_NB_REGS];
    int64_t pc = tb ? tcg_restore_search(tb, host_pc) : -1;

    if (pc == -1) {
        return false;
    }
    if (tb->nb_pin_sites) {
        for (int r = 0; r < TCG_TARGET_NB_REGS; r++) {
            regs[r] = (uint64_t)uc->uc_mcontext.gregs[greg[r]];
        }
        tcg_restore_pins(tb, host_pc, env, regs);
    }
    /* After the pins: pc may be one, holding a value of an earlier insn. */
    env->pc = pc;
    return true;
}

/*
 * A guest store hit a code page we write-protected: unprotect it (which
 * invalidates its TBs) and let the store run again.  If the TB running
 * the store was among them and has more instructions after it, leave it
 * at the store so that they are translated afresh: the store then runs
 * alone in a one-instruction TB (QEMU's precise SMC).
 * Returns: true if handled.
 */
static bool host_fault_unprotect(int sig, siginfo_t *si, uintptr_t host_pc,
                                 uint64_t mask, const ucontext_t *uc)
{
    uintptr_t addr = (uintptr_t)si->si_addr;
    CPUState *cpu = current_cpu;
    TranslationBlock *tb;
    sigset_t set;
    int r;

    if (sig != SIGSEGV || si->si_code != SEGV_ACCERR ||
        cpu_exec_unprotect_hook == NULL || addr < tcg_guest_base ||
        (mask && addr - tcg_guest_base >= ~mask + 1)) {
        return false;
    }
    r = cpu_exec_unprotect_hook(addr - tcg_guest_base);
    if (r != 2 || cpu == NULL || !tcg_region_contains(host_pc)) {
        return r != 0;
    }
    tb = tcg_tb_lookup(host_pc);
    if (tb == NULL || tb->icount <= 1 ||
        !(__atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) & CF_INVALID) ||
        !cpu_restore_state_uc(cpu->env, host_pc, uc)) {
        return true;
    }
    cpu->cflags_next_tb = 1; /* one instruction: the store */
    cpu->env->exception = RISCV_EXCP_INTERRUPT;
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    siglongjmp(cpu->jmp_env, 1);
}

/*
 * Is host address @addr guest memory (or, for generated code, @guards,
 * one of the guards around it: an access whose base passed the range
 * check and whose displacement took it out of the guest space)?
 */
static bool host_fault_in_guest(uintptr_t addr, uint64_t mask, bool guards)
{
    uint64_t g = guards ? TCG_GUEST_GUARD : 0;

    return addr - tcg_guest_base + g < ~mask + 1 + 2 * g;
}

static void host_fault_handler(int sig, siginfo_t *si, void *puc)
{
    ucontext_t *uc = puc;
    uintptr_t host_pc = uc->uc_mcontext.gregs[REG_RIP];
    uintptr_t addr = (uintptr_t)si->si_addr;
    CPUState *cpu = current_cpu;
    sigset_t set;
    uint64_t mask = cpu ? cpu->env->hdr.guest_addr_mask : 0;
    bool in_helper;

    if (si->si_code <= 0 && cpu_exec_signal_hook) {
        cpu_exec_signal_hook(sig, si, puc);
        return;
    }
    if (host_fault_unprotect(sig, si, host_pc, mask, uc)) {
        return;
    }
    in_helper = cpu && cpu->helper_ra && !tcg_region_contains(host_pc);
    if (cpu == NULL || (sig != SIGSEGV && sig != SIGBUS) ||
        (!in_helper && !tcg_region_contains(host_pc)) ||
        (mask && !host_fault_in_guest(addr, mask, !in_helper)) ||
        (in_helper ? !cpu_restore_state(cpu->env, cpu->helper_ra - 1)
                   : !cpu_restore_state_uc(cpu->env, host_pc, uc))) {
        fatal_host_fault(sig, si, host_pc);
        return;
    }
    cpu->helper_ra = 0;
    cpu->env->badaddr = addr - tcg_guest_base;
    if (sig == SIGBUS) {
        /* A page of a file mapping past the end of the file: BUS_ADRERR. */
        cpu->env->exception = si->si_code == BUS_ADRERR ? RISCV_EXCP_BUS_ADRERR
                                                        : RISCV_EXCP_BUS_ADRALN;
    } else {
        cpu->env->exception = si->si_code == SEGV_ACCERR
                                  ? RISCV_EXCP_SEGV_ACCERR
                                  : RISCV_EXCP_SEGV_MAPERR;
    }
    /* jmp_env was saved without the signal mask: unblock by hand. */
    sigemptyset(&set);
    sigaddset(&set, sig);
    pthread_sigmask(SIG_UNBLOCK, &set, NULL);
    siglongjmp(cpu->jmp_env, 1);
}

void cpu_exec_set_fault_restart(int sig, bool restart)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = host_fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | (restart ? SA_RESTART : 0);
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static const void *helper_lookup_tb_ptr(CPURISCVState *env);

/* What empty inline-cache slots hold (tb.h): no guest pc is odd. */
static TranslationBlock tb_ic_none = {
    .pc = 1, .cflags = CF_INVALID, .ic_pc = 1};

/* The goto_lookup stub's slow path (its hash is tb_jmp_cache_hash's). */
static const void *lookup_miss(void *env)
{
    return helper_lookup_tb_ptr(env);
}

void cpu_exec_init(void)
{
    cpu_exec_set_fault_restart(SIGSEGV, false);
    cpu_exec_set_fault_restart(SIGBUS, false);
    cpu_exec_set_fault_restart(SIGILL, false);
    cpu_exec_set_fault_restart(SIGFPE, false);
    tcg_guest_fault_fn = riscv_guest_fault;
    tcg_set_lookup_stub(&(TCGLookupStubParams){
        .cache_bits = TB_JMP_CACHE_BITS,
        .tb_code_ofs = offsetof(TranslationBlock, tc.ptr),
        .env_pc_ofs = offsetof(CPURISCVState, pc),
        .tb_ic_pc_ofs = offsetof(TranslationBlock, ic_pc),
        .tb_ic_ofs = offsetof(TranslationBlock, ic),
        .ic_slots = TB_IC_SLOTS,
        .ic_none = &tb_ic_none,
        .miss = lookup_miss,
    });
    tb_hash_init();
}

/*
 * Give @cpu an empty jump cache of 2^@bits entries (the old one is
 * freed: the goto_lookup stub never touches it after calling the miss
 * hook, and no other thread reads it).
 */
static void tb_jc_resize(CPUState *cpu, unsigned bits)
{
    TBJumpCacheEntry *jc = calloc((size_t)1 << bits, sizeof(*jc));

    if (jc == NULL) {
        if (cpu->jc) {
            return; /* keep the smaller one */
        }
        tcg_out_of_memory("jump cache");
    }
    free(cpu->jc);
    cpu->jc = jc;
    cpu->jc_mask = (1u << bits) - 1;
    cpu->jc_misses = 0;
    cpu->env->hdr.jc_base = (uintptr_t)jc;
    cpu->env->hdr.jc_mask = cpu->jc_mask;
}

static TBJumpCacheEntry *tb_jc_entry(CPUState *cpu, uint64_t pc)
{
    return &cpu->jc[tb_jmp_cache_hash(pc) & cpu->jc_mask];
}

/* A jump-cache miss: grow the cache once misses exceed twice its size. */
static void tb_jc_miss(CPUState *cpu)
{
    if (++cpu->jc_misses > 2 * ((uint64_t)cpu->jc_mask + 1) &&
        cpu->jc_mask < TB_JMP_CACHE_SIZE - 1) {
        unsigned bits = __builtin_ctz(cpu->jc_mask + 1) + 2;

        tb_jc_resize(cpu, bits < TB_JMP_CACHE_BITS ? bits : TB_JMP_CACHE_BITS);
    }
}

CPUState *cpu_exec_init_thread(CPURISCVState *env)
{
    return cpu_exec_init_thread_tid(env, gettid());
}

CPUState *cpu_exec_init_thread_tid(CPURISCVState *env, pid_t tid)
{
    CPUState *cpu = calloc(1, sizeof(*cpu));

    if (cpu == NULL) {
        tcg_out_of_memory("CPU state");
    }
    rcu_register_thread();
    cpu->env = env;
    /* No translation context until it translates a lot (tb_gen_code). */
    cpu->tcg = NULL;
    cpu->cpu_index = __atomic_fetch_add(&cpu_count, 1, __ATOMIC_RELAXED);
    cpu->tid = tid;
    tb_jc_resize(cpu, TB_JMP_CACHE_MIN_BITS);
    cpu->jc_gen = tb_flush_generation();
    current_cpu = cpu;
    cpu_list_add(cpu);
    return cpu;
}

void cpu_exec_exit_thread(CPUState *cpu)
{
    /* The statistics are printed only with TCG_STATS: no clock read nor
     * global lock per thread exit otherwise. */
    if (cpu_exec_stats_enabled) {
        char who[40];

        cpu->stats.cpu_ns = thread_cpu_ns();
        snprintf(who, sizeof(who), "TCG_STATS thread %d (tid %d)",
                 cpu->cpu_index, cpu->tid);
        stats_print(stderr, who, &cpu->stats);
        pthread_mutex_lock(&stats_lock);
        stats_add(&stats_total, &cpu->stats);
        pthread_mutex_unlock(&stats_lock);
    }
    cpu_list_remove(cpu);
    tb_exit_thread(cpu);
    rcu_unregister_thread();
    current_cpu = NULL;
    free(cpu->jc);
    free(cpu);
}

static void tb_jc_set(TBJumpCacheEntry *e, uint64_t pc, TranslationBlock *tb)
{
    e->pc = pc;
    e->tb = tb;
}

static TranslationBlock *tb_lookup(CPUState *cpu, uint64_t pc, uint32_t flags,
                                   uint32_t cflags)
{
    TBJumpCacheEntry *e = tb_jc_entry(cpu, pc);
    /* Only the owner touches its cache; an entry of an invalidated TB is
     * caught by the cflags check (CF_INVALID). */
    TranslationBlock *tb = e->tb;

    if (tb && e->pc == pc && tb->flags == flags &&
        __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) == cflags) {
        cpu->stats.jc_hits++;
        return tb;
    }
    tb_jc_miss(cpu);
    e = tb_jc_entry(cpu, pc); /* the cache may have grown */
    tb = tb_hash_lookup(pc, flags, cflags);
    if (tb) {
        cpu->stats.hash_hits++;
        tb_jc_set(e, pc, tb);
    }
    return tb;
}

static uint32_t cpu_tb_cflags(void)
{
    return (tcg_log_enabled(CPU_LOG_TB_NOCHAIN) ? CF_NOCHAIN : 0) |
           cpu_exec_debug_cflags;
}

/* goto_ptr target for jalr: the code of the TB at env->pc, if known. */
static const void *helper_lookup_tb_ptr(CPURISCVState *env)
{
    CPUState *cpu = current_cpu;
    TranslationBlock *tb;

    cpu->stats.lookup_ptr++;
    tb = tb_lookup(cpu, env->pc, 0, cpu_tb_cflags());
    return tb ? tb->tc.ptr : tcg_code_gen_epilogue;
}

DEF_HELPER_INFO(lookup_tb_ptr, TCG_CALL_NO_WG);

/*
 * Cold @tb ran TB_HOT_THRESHOLD times: invalidate it (so that nothing
 * finds it or jumps to it any more) and translate its hot replacement.
 * Of threads that both see the count reach zero, the second finds @tb
 * invalid already and looks up the first one's TB as usual.
 */
static void tb_replace_hot(CPUState *cpu, TranslationBlock *tb)
{
    /* Pairs with the store-release in tb_phys_invalidate. */
    uint32_t cflags = __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE);
    uint64_t pc = tb->pc;
    uint32_t flags = tb->flags;

    if (cflags & CF_INVALID) {
        return;
    }
    tb_phys_invalidate(tb);
    /* tb_gen_code may flush: @tb is not to be touched after it. */
    tb = tb_gen_code(cpu, pc, flags, cflags, true);
    if (tb) { /* NULL: not executable now; the next lookup faults */
        tb_jc_set(tb_jc_entry(cpu, pc), pc, tb);
    }
}

/*
 * Enter generated code.  Not with clang's -fsanitize=function (part of
 * -fsanitize=undefined, the fuzz build's): its check reads a type
 * signature in the 8 bytes before the callee, and the prologue starts the
 * spare page after the code buffer, whose last region, once claimed, has
 * a guard page there: the check faulted once the buffer had filled (the
 * fuzz_translate long run; docs/testing.md, "fuzz").
 */
#if defined(__clang__)
__attribute__((no_sanitize("function")))
#endif
static inline uintptr_t
cpu_tb_exec(CPURISCVState *env, const void *code)
{
    return tcg_qemu_tb_exec(env, code);
}

static int __attribute__((noinline)) cpu_exec_loop(CPUState *cpu)
{
    CPURISCVState *env = cpu->env;
    TranslationBlock *last_tb = NULL, *tb;
    uint32_t cflags = cpu_tb_cflags(), cf;
    uintptr_t ret;
    int tb_exit = 0;

    for (;;) {
        /* Pairs with the atomic store of whoever asked us to stop. */
        if (__atomic_load_n(&env->hdr.exit_request, __ATOMIC_ACQUIRE)) {
            __atomic_store_n(&env->hdr.exit_request, 0, __ATOMIC_RELAXED);
            cpu->stats.exits_request++;
            return RISCV_EXCP_INTERRUPT;
        }
        cpu->stats.loops++;
        if (__builtin_expect(cpu->cflags_next_tb != 0, 0)) {
            cf = cpu->cflags_next_tb;
            cpu->cflags_next_tb = 0;
            last_tb = NULL;
        } else {
            cf = cflags;
        }
        tb = tb_lookup(cpu, env->pc, 0, cf);
        if (tb == NULL) {
            uint64_t flushes = cpu->stats.flushes;

            tb = tb_gen_code(cpu, env->pc, 0, cf, false);
            if (cpu->stats.flushes != flushes) {
                last_tb = NULL; /* its code is gone */
            }
            if (tb == NULL) {
                /* env->pc cannot be fetched (env->badaddr says where). */
                cpu->stats.exits_excp++;
                return RISCV_EXCP_FETCH_FAULT;
            }
            tb_jc_set(tb_jc_entry(cpu, env->pc), env->pc, tb);
        }
        if (last_tb) {
            tb_add_jump(last_tb, tb_exit, tb);
        }
        if (tcg_log_enabled(CPU_LOG_EXEC)) {
            tcg_log("Trace %d: %p [%016llx]\n", cpu->cpu_index, tb->tc.ptr,
                    (unsigned long long)tb->pc);
        }
        ret = cpu_tb_exec(env, tb->tc.ptr);
        last_tb = (TranslationBlock *)(ret & ~(uintptr_t)TB_EXIT_MASK);
        tb_exit = ret & TB_EXIT_MASK;
        if (tb_exit >= TB_EXIT_PRECHECK_PC) {
            /* last_tb was entered but not run: resume at its start. */
            if (tb_exit != TB_EXIT_PRECHECK_PC) {
                env->pc = last_tb->pc;
            }
            if (tb_exit == TB_EXIT_HOT) {
                tb_replace_hot(cpu, last_tb);
            } else if (tb_exit <= TB_EXIT_PRECHECK) {
                /*
                 * A base a loop relies on is out of range (loopcheck.c):
                 * the loop head's instruction (env->pc: the TB's start, or
                 * stored by the exit) alone, every access checked.
                 */
                cpu->cflags_next_tb = 1 | CF_NODISP;
                cpu->stats.prechecks++;
            }
            last_tb = NULL;
            continue;
        }
        if (env->exception != RISCV_EXCP_NONE) {
            cpu->stats.exits_excp++;
            return env->exception;
        }
    }
}

int cpu_exec(CPURISCVState *env)
{
    CPUState *cpu = current_cpu;

    env->exception = RISCV_EXCP_NONE;
    if (__builtin_expect(cpu->jc_gen != tb_flush_generation(), 0)) {
        /*
         * The code buffer was flushed since we last ran: every entry is
         * stale.  Seen here for sure: the flush ran in an exclusive
         * section, which ended (release store of pending_cpus, or its
         * lock) before our cpu_exec_start() let us in.
         */
        memset(cpu->jc, 0, ((size_t)cpu->jc_mask + 1) * sizeof(*cpu->jc));
        cpu->jc_gen = tb_flush_generation();
    }
    if (__builtin_expect(__atomic_load_n(&cpu->gdb_step, __ATOMIC_RELAXED),
                         0)) {
        int step = __atomic_load_n(&cpu->gdb_step, __ATOMIC_RELAXED);

        if (step == 3) {
            return RISCV_EXCP_INTERRUPT; /* held by gdb: see cpu_loop */
        }
        if (step == 1) {
            /* One instruction, then RISCV_EXCP_DEBUG (see CF_STEP). */
            cpu->cflags_next_tb =
                1 | CF_NOCHAIN | CF_STEP | CF_DEBUG | cpu_exec_debug_cflags;
        }
    }
    /* No locals live across the longjmp: the loop is another frame. */
    if (sigsetjmp(cpu->jmp_env, 0) != 0) {
        cpu->stats.exits_excp++;
        return env->exception;
    }
    return cpu_exec_loop(cpu);
}

static void stats_add(CPUExecStats *t, const CPUExecStats *s)
{
    const uint64_t *a = (const uint64_t *)s;
    uint64_t *b = (uint64_t *)t;

    for (size_t i = 0; i < sizeof(*s) / sizeof(uint64_t); i++) {
        b[i] += a[i];
    }
}

static void stats_print(FILE *f, const char *who, const CPUExecStats *s)
{
    fprintf(
        f,
        "%s: loops %llu, jump-cache hits %llu, hash hits %llu, "
        "translations %llu (hot %llu, shared %llu), races lost %llu, "
        "chains %llu, "
        "indirect lookups %llu, exits: exception %llu request %llu "
        "precheck %llu, "
        "flushes %llu, exclusive sections %llu (waited %.3f ms), "
        "cpu time %.3f s\n",
        who, (unsigned long long)s->loops, (unsigned long long)s->jc_hits,
        (unsigned long long)s->hash_hits, (unsigned long long)s->translations,
        (unsigned long long)s->hot, (unsigned long long)s->shared,
        (unsigned long long)s->races_lost, (unsigned long long)s->chains,
        (unsigned long long)s->lookup_ptr, (unsigned long long)s->exits_excp,
        (unsigned long long)s->exits_request, (unsigned long long)s->prechecks,
        (unsigned long long)s->flushes, (unsigned long long)s->exclusive,
        s->exclusive_wait_ns / 1e6, s->cpu_ns / 1e9);
}

/* The translation cost line: guest instructions and the phases' times. */
static void stats_print_translation(FILE *f, const CPUExecStats *s)
{
    uint64_t ns = s->decode_ns + s->opt_ns + s->live_ns + s->emit_ns +
                  s->publish_ns + s->direct_ns;
    double all = ns ? (double)ns : 1.0;

    fprintf(f,
            "TCG_STATS translation: %llu guest insns (hot %llu) in %llu TBs; "
            "timed %llu insns (%llu TBs over 1 ms left out) in %.3f ms, "
            "%.3f us/insn; decode+IR %.1f%%, optimizer %.1f%%, "
            "liveness %.1f%%, regalloc+emit %.1f%%, publish+hash %.1f%%, "
            "direct %.1f%%\n",
            (unsigned long long)s->insns, (unsigned long long)s->insns_hot,
            (unsigned long long)s->translations,
            (unsigned long long)s->insns_timed, (unsigned long long)s->untimed,
            ns / 1e6, s->insns_timed ? ns / 1e3 / (double)s->insns_timed : 0.0,
            100.0 * (double)s->decode_ns / all, 100.0 * (double)s->opt_ns / all,
            100.0 * (double)s->live_ns / all, 100.0 * (double)s->emit_ns / all,
            100.0 * (double)s->publish_ns / all,
            100.0 * (double)s->direct_ns / all);
    fprintf(f, "TCG_STATS direct tier: %llu of the guest insns\n",
            (unsigned long long)s->insns_direct);
}

void cpu_exec_dump_stats(FILE *f)
{
    CPUExecStats total;
    char who[32];

    pthread_mutex_lock(&stats_lock);
    total = stats_total;
    pthread_mutex_unlock(&stats_lock);
    if (current_cpu) {
        current_cpu->stats.cpu_ns = thread_cpu_ns();
        snprintf(who, sizeof(who), "TCG_STATS thread %d",
                 current_cpu->cpu_index);
        stats_print(f, who, &current_cpu->stats);
        stats_add(&total, &current_cpu->stats);
    }
    stats_print(f, "TCG_STATS total", &total);
    stats_print_translation(f, &total);
    fprintf(f,
            "TCG_STATS code: %zu TBs, %zu bytes in %u regions of the "
            "buffer (%zu bytes)\n",
            tcg_tb_count(), tcg_code_size(), tcg_region_count(),
            tcg_code_capacity());
    fprintf(f,
            "TCG_STATS invalidated TBs: munmap/mmap %llu, mprotect %llu, "
            "fence.i/flush_icache %llu, stores to code pages %llu\n",
            (unsigned long long)tb_invalidate_count(TB_INVAL_MUNMAP),
            (unsigned long long)tb_invalidate_count(TB_INVAL_MPROTECT),
            (unsigned long long)tb_invalidate_count(TB_INVAL_FENCE_I),
            (unsigned long long)tb_invalidate_count(TB_INVAL_SMC));
}
