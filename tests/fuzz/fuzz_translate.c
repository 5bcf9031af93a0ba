/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the RISC-V decoder and translator, the optimizer, the
 * x86-64 backend (target-riscv/translate.c, tcg/), and the execution of
 * what they made (accel/tcg/cpu-exec.c, the helpers, the fault paths).
 *
 * Design
 * ------
 * The input's first byte picks what to do, the rest are instruction bytes
 * (any mix of 16- and 32-bit encodings, valid or not):
 *
 *   bit 0     the hot tier (superblocks that follow branches) or cold TBs
 *   bit 1     one instruction per TB (CF_COUNT_MASK = 1)
 *   bits 2-3  both set: translate only, at every 2-byte offset of the
 *             first 64 bytes, so a TB can start in the middle of a 32-bit
 *             instruction; nothing is executed
 *
 * Otherwise (three inputs in four) the code is executed, as
 * the issue asks ("translated and executed in a sandboxed guest"): in a
 * 16 MiB guest space of its own (linux-user's guest_space_init and
 * target_mmap, included here as fuzz_elfload does), the bytes at CODE_ADDR
 * (CODE_SIZE, read+exec, zero-filled behind them), a 64 KiB read-write
 * scratch area at DATA_ADDR that is zeroed before each input and a
 * read-only page behind it; everything else is unmapped.  Registers start
 * from a fixed state (half of them pointing into the scratch area).  The
 * run goes through cpu_exec() until it stops with anything but a fence.i
 * or a budget exit: an ecall (no syscall is made), ebreak, illegal
 * instruction, fault (SIGSEGV/SIGBUS for the guest: the host fault handler
 * of cpu-exec.c) or a misaligned jump.  Code that loops is stopped by a
 * timer: BUDGET_NS on CLOCK_MONOTONIC (its SIGVTALRM sets exit_request;
 * a CPU-time timer fires only at the next scheduler tick, 4-8 ms late,
 * which made the few looping inputs a third of the time; libFuzzer's
 * -timeout has SIGALRM and ITIMER_REAL).  A host fault that is not a guest access (an emulator
 * bug) calls cpu_exec_fatal_hook, abort() here, so that libFuzzer keeps
 * the input.
 *
 * The property: any bytes, translated and run, never crash, assert,
 * overrun the code buffer or hang the emulator.  After each input its TBs
 * are invalidated, so the next input translates afresh, and every
 * FLUSH_EVERY inputs the code buffer is flushed.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <time.h>

#include "linux-user/mmap.c"
#include "linux-user/mmap-shm.c"

#include "accel/tcg/translator.h"
#include "target-riscv/helper.h"

UserOptions user_opts;

#define GUEST_SPACE (1ull << 24)
#define CODE_ADDR 0x10000ull
#define CODE_SIZE (16 * 1024)
#define DATA_ADDR 0x100000ull
#define DATA_SIZE (64 * 1024)
#define FLUSH_EVERY 256
#define BUDGET_NS 1000000
#define MAX_FENCES 64

static CPUState *cpu;
static timer_t budget_timer;
static CPURISCVState *env0; /* the state every run starts from */
static unsigned inputs;
static size_t code_used; /* bytes of the last input at CODE_ADDR */
static unsigned long outcomes[RISCV_EXCP_WATCH + 1]; /* FUZZ_STATS=1 */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* vec_guest_readable (vle*ff.v): every page readable. */
static bool fuzz_readable(uint64_t addr, uint64_t len)
{
    uint64_t end = addr + len;

    if (end < addr || end > guest_space_size) {
        return false;
    }
    for (uint64_t a = addr & TARGET_PAGE_MASK; a < end; a += TARGET_PAGE_SIZE) {
        if (!(page_get_flags(a) & PAGE_READ)) {
            return false;
        }
    }
    return true;
}

/* The budget is spent: leave generated code at the next TB boundary. */
static void fuzz_budget_expired(int sig)
{
    (void)sig;
    if (cpu) {
        cpu_exit(cpu);
    }
}

/* An emulator fault (not a guest access): abort so the input is kept. */
static void fuzz_fatal(void)
{
    abort();
}

static void fuzz_map(uint64_t addr, uint64_t len, int prot)
{
    if (target_mmap(addr, len, prot,
                    TARGET_MAP_PRIVATE | TARGET_MAP_ANONYMOUS |
                        TARGET_MAP_FIXED,
                    -1, 0) != (int64_t)addr) {
        abort();
    }
}

/* FUZZ_STATS=1: how the runs ended, by RISCV_EXCP_* number, at exit. */
static void fuzz_print_outcomes(void)
{
    fprintf(stderr, "fuzz_translate: runs ended by RISCV_EXCP_*:");
    for (int i = 0; i <= RISCV_EXCP_WATCH; i++) {
        fprintf(stderr, " %d:%lu", i, outcomes[i]);
    }
    fprintf(stderr, "; flushes %llu\n", (unsigned long long)cpu->stats.flushes);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    RISCVCPUConfig cfg;
    struct sigaction sa;
    CPURISCVState *env;

    (void)argc, (void)argv;
    /* FUZZ_CODE_BUFFER_SIZE (bytes): a small buffer flushes often */
    if (guest_space_init(GUEST_SPACE, 0) != 0 ||
        tcg_init(getenv("FUZZ_CODE_BUFFER_SIZE")
                     ? strtoull(getenv("FUZZ_CODE_BUFFER_SIZE"), NULL, 0)
                     : 0,
                 0, tcg_guest_base) != 0 ||
        riscv_cpu_parse_model("max", &cfg) != 0) {
        abort();
    }
    riscv_translate_init();
    env = riscv_cpu_init(&cfg);
    if (env == NULL) {
        abort();
    }
    env->hdr.guest_addr_mask = ~(guest_space_size - 1);
    cpu_exec_init();
    translator_fetch_check = guest_code_fetch_ok;
    vec_guest_readable = fuzz_readable;
    cpu_exec_unprotect_hook = page_unprotect;
    tb_page_writable = riscv_page_writable;
    cpu_exec_fatal_hook = fuzz_fatal;
    cpu = cpu_exec_init_thread(env);
    fuzz_map(CODE_ADDR, CODE_SIZE, TARGET_PROT_READ | TARGET_PROT_EXEC);
    fuzz_map(DATA_ADDR, DATA_SIZE, TARGET_PROT_READ | TARGET_PROT_WRITE);
    fuzz_map(DATA_ADDR + DATA_SIZE, TARGET_PAGE_SIZE, TARGET_PROT_READ);
    /* riscv_cpu_init allocates vreg only as far as the CPU has it */
    env0 = calloc(1, sizeof(*env0));
    if (env0 == NULL) {
        abort();
    }
    memcpy(env0, env, offsetof(CPURISCVState, vreg));
    for (int i = 1; i < 32; i++) {
        env0->gpr[i] =
            i & 1 ? DATA_ADDR + 512 * i : 0x0123456789abcdefull * (uint64_t)i;
        env0->fpr[i] = i & 1 ? 0xffffffff3f800000ull * (uint64_t)i
                             : 0x3ff0000000000000ull + (uint64_t)i;
    }
    env0->gpr[2] = DATA_ADDR + DATA_SIZE / 2; /* sp */
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = fuzz_budget_expired;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGVTALRM, &sa, NULL);
    if (timer_create(CLOCK_MONOTONIC,
                     &(struct sigevent){.sigev_notify = SIGEV_SIGNAL,
                                        .sigev_signo = SIGVTALRM},
                     &budget_timer) != 0) {
        abort();
    }
    if (getenv("FUZZ_STATS")) {
        atexit(fuzz_print_outcomes);
    }
    return 0;
}

/* Back to env0's state: registers, FP, LR reservation, V. */
static void fuzz_reset_env(CPURISCVState *env)
{
    memcpy(env->gpr, env0->gpr,
           offsetof(CPURISCVState, cfg) - offsetof(CPURISCVState, gpr));
    memcpy(&env->vl, &env0->vl,
           offsetof(CPURISCVState, vreg) - offsetof(CPURISCVState, vl));
    memset(env->vreg, 0, riscv_cpu_vreg_size(&env->cfg));
    env->pc = CODE_ADDR;
}

/* Run from CODE_ADDR until the guest stops, within the time budget. */
static void fuzz_run(bool hot, bool one_insn)
{
    struct itimerspec it = {.it_value = {.tv_nsec = BUDGET_NS}};
    struct itimerspec off = {{0, 0}, {0, 0}};
    CPURISCVState *env = cpu->env;
    int fences = 0, excp;

    memset(g2h(DATA_ADDR), 0, DATA_SIZE);
    fuzz_reset_env(env);
    /* as -one-insn-per-tb, and as CTCG_TB_HOT=0 (no cold tier) */
    cpu_exec_max_insns = one_insn ? 1 : TCG_MAX_INSNS;
    cpu_exec_hot_threshold = hot || one_insn ? 0 : TB_HOT_THRESHOLD;
    __atomic_store_n(&env->hdr.exit_request, 0, __ATOMIC_RELAXED);
    timer_settime(budget_timer, 0, &it, NULL);
    do {
        excp = cpu_exec(env);
        if (excp == RISCV_EXCP_FENCE_I) {
            mmap_lock(); /* as cpu_loop: fence.i re-hashes guest code */
            tb_fence_i(cpu);
            mmap_unlock();
        }
    } while (excp == RISCV_EXCP_FENCE_I && ++fences < MAX_FENCES);
    if (excp >= 0 && excp <= RISCV_EXCP_WATCH) {
        outcomes[excp]++;
    }
    timer_settime(budget_timer, 0, &off, NULL);
    /* Pairs with cpu_exit()'s store: a late expiry leaves nothing behind. */
    __atomic_store_n(&env->hdr.exit_request, 0, __ATOMIC_RELAXED);
}

/* Copy the input to CODE_ADDR (read-only for the guest, and the host). */
static void fuzz_load_code(const uint8_t *data, size_t size)
{
    uint8_t *code = g2h(CODE_ADDR);

    if (mprotect(code, CODE_SIZE, PROT_READ | PROT_WRITE) != 0) {
        abort();
    }
    memcpy(code, data, size);
    /* zero only what the last input left behind (the rest is zero) */
    if (code_used > size) {
        memset(code + size, 0, code_used - size);
    }
    code_used = size;
    if (mprotect(code, CODE_SIZE, PROT_READ) != 0) {
        abort();
    }
}

/*
 * A full flush of the code buffer, outside cpu_exec().  tb_fence_i() does
 * one only without the tb_page_writable hook (with it, it drops the TBs of
 * changed pages and reclaims nothing): the first version of this harness
 * set the hook and flushed nothing, so the buffer filled after ~20,000
 * inputs, and a translate-only input's tb_gen_code() then flushed with a
 * longjmp to the cpu_exec() of an earlier input (an "internal error" of
 * the long run; the other one it found: docs/testing.md, "fuzz").
 */
static void fuzz_flush(void)
{
    bool (*hook)(uint64_t addr) = tb_page_writable;

    tb_page_writable = NULL;
    tb_fence_i(cpu);
    tb_page_writable = hook;
}

/* Translate at 32 offsets; a tb_flush() (buffer full) lands here. */
static void fuzz_translate_offsets(uint32_t cflags, bool hot)
{
    static volatile int i;

    i = 0;
    if (sigsetjmp(cpu->jmp_env, 0) != 0) {
        process_queued_cpu_work(cpu); /* the flush tb_flush() queued */
        i++;
    }
    for (; i < 32; i++) {
        (void)tb_gen_code(cpu, CODE_ADDR + 2 * i, 0, cflags, hot);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint32_t cflags;
    bool hot, translate_only;

    if (size < 1) {
        return 0;
    }
    hot = data[0] & 1;
    cflags = data[0] & 2 ? 1 : 0;
    translate_only = (data[0] & 12) == 12;
    data++, size--;
    fuzz_load_code(data, size > CODE_SIZE ? CODE_SIZE : size);
    if (translate_only) {
        fuzz_translate_offsets(cflags, hot);
    } else {
        fuzz_run(hot, cflags);
    }
    /*
     * Drop this input's TBs; flush the code buffer (256 MiB) now and then,
     * long before it could fill (a smaller FUZZ_CODE_BUFFER_SIZE fills,
     * and tb_gen_code() flushes with a longjmp: see fuzz_flush).
     */
    tb_invalidate_range(CODE_ADDR, CODE_ADDR + CODE_SIZE, TB_INVAL_MUNMAP);
    if (++inputs % FLUSH_EVERY == 0) {
        fuzz_flush();
    }
    return 0;
}
