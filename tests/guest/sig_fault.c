/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Synchronous guest signals: SIGSEGV (SEGV_MAPERR, SEGV_ACCERR), SIGBUS
 * (misaligned atomic), SIGILL (ILL_ILLOPC) and SIGTRAP (ebreak) with
 * SA_SIGINFO handlers that check si_code and si_addr, skip the faulting
 * instruction by editing the ucontext PC, or leave with siglongjmp; the
 * integer and FP registers (and fcsr) survive a handler; sigaltstack.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "guest.h"

static volatile int got_sig, got_code;
static volatile uintptr_t got_addr, got_pc;
static volatile int skip_by; /* bytes to add to the PC, or 0: longjmp */
static sigjmp_buf jb;

static void handler(int sig, siginfo_t *si, void *puc)
{
    ucontext_t *uc = puc;

    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    if (skip_by) {
        uc->uc_mcontext.__gregs[REG_PC] += skip_by;
    } else {
        siglongjmp(jb, 1);
    }
}

static void install(int sig, int flags)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(sig, &sa, NULL) == 0);
}

static void reset(void)
{
    got_sig = got_code = 0;
    got_addr = got_pc = 0;
}

/* A 4-byte load from @p, its address in *insn. */
static long load_at(uintptr_t p, uintptr_t *insn)
{
    long v = 42;
    uintptr_t pc;

    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %1, 1f\n"
                     "1: ld %0, 0(%2)\n"
                     ".option pop\n"
                     : "+r"(v), "=&r"(pc)
                     : "r"(p)
                     : "memory");
    *insn = pc;
    return v;
}

static void store_at(uintptr_t p, uintptr_t *insn)
{
    uintptr_t pc;

    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %0, 1f\n"
                     "1: sw zero, 0(%1)\n"
                     ".option pop\n"
                     : "=&r"(pc)
                     : "r"(p)
                     : "memory");
    *insn = pc;
}

static void test_segv(void)
{
    long pagesz = sysconf(_SC_PAGESIZE);
    char *ro, *gone;
    uintptr_t insn;
    long v;

    install(SIGSEGV, 0);
    skip_by = 4;

    /* Unmapped page: SEGV_MAPERR at the exact address and PC. */
    gone = mmap(NULL, pagesz, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(gone != MAP_FAILED);
    CHECK(munmap(gone, pagesz) == 0);
    reset();
    v = load_at((uintptr_t)gone + 24, &insn);
    CHECK(got_sig == SIGSEGV);
    CHECK(got_code == SEGV_MAPERR);
    CHECK(got_addr == (uintptr_t)gone + 24);
    CHECK(got_pc == insn);
    CHECK(v == 42); /* the load was skipped */

    /* Read-only page: SEGV_ACCERR on a store. */
    ro = mmap(NULL, pagesz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(ro != MAP_FAILED);
    reset();
    store_at((uintptr_t)ro + 8, &insn);
    CHECK(got_sig == SIGSEGV);
    CHECK(got_code == SEGV_ACCERR);
    CHECK(got_addr == (uintptr_t)ro + 8);
    CHECK(got_pc == insn);
    CHECK(ro[8] == 0);
    munmap(ro, pagesz);
    printf("segv: maperr, accerr, pc skipped\n");

    /* siglongjmp out, many times: the mask is restored each time. */
    skip_by = 0;
    for (int i = 0; i < 100; i++) {
        if (sigsetjmp(jb, 1) == 0) {
            load_at(16, &insn);
            CHECK(0); /* not reached */
        }
    }
    {
        sigset_t cur;

        sigprocmask(SIG_SETMASK, NULL, &cur);
        CHECK(!sigismember(&cur, SIGSEGV));
    }
    printf("segv: siglongjmp x100\n");
}

static void test_ill_trap_bus(void)
{
    uintptr_t pc;
    uint32_t words[4] __attribute__((aligned(16))) = {0};

    install(SIGILL, 0);
    install(SIGTRAP, 0);
    install(SIGBUS, 0);
    skip_by = 4;

    reset();
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %0, 1f\n"
                     "1: .4byte 0x0000000b\n" /* custom-0: illegal */
                     ".option pop\n"
                     : "=&r"(pc)
                     :
                     : "memory");
    CHECK(got_sig == SIGILL);
    CHECK(got_code == ILL_ILLOPC);
    CHECK(got_pc == pc);
    CHECK(got_addr == pc);

    reset();
    __asm__ volatile(".option push\n.option norvc\n"
                     "lla %0, 1f\n"
                     "1: ebreak\n"
                     ".option pop\n"
                     : "=&r"(pc)
                     :
                     : "memory");
    CHECK(got_sig == SIGTRAP);
    CHECK(got_code == TRAP_BRKPT);
    CHECK(got_pc == pc);

    reset();
    {
        uintptr_t p = (uintptr_t)words + 2;
        long one = 1, old = 7;

        __asm__ volatile(".option push\n.option norvc\n"
                         "lla %0, 1f\n"
                         "1: amoadd.w %1, %2, (%3)\n"
                         ".option pop\n"
                         : "=&r"(pc), "+r"(old)
                         : "r"(one), "r"(p)
                         : "memory");
        CHECK(got_sig == SIGBUS);
        CHECK(got_code == BUS_ADRALN);
        CHECK(got_pc == pc);
        CHECK(got_addr == p);
        CHECK(old == 7);
    }
    printf("ill, trap, bus: codes and addresses\n");
}

/* Handler that clobbers registers; the interrupted code must not see it. */
static void clobber(int sig)
{
    volatile double x = 3.0;

    (void)sig;
    __asm__ volatile("fsrm %0" ::"r"(2L)); /* RDN */
    x = x / 7.0; /* raises inexact */
    __asm__ volatile("fmv.d.x ft0, zero\nfmv.d.x fs0, zero\nli s2, 0\n"
                     ::: "ft0", "fs0", "s2", "memory");
    (void)x;
}

static void test_registers(void)
{
    double d;
    long dbits, s2v;
    unsigned long fcsr;

    signal(SIGUSR1, clobber);
    __asm__ volatile("fsflags zero\nfsrm %0" ::"r"(1L)); /* RTZ */
    __asm__ volatile("li t0, 0x4008000000000000\n" /* 3.0 */
                     "fmv.d.x fs0, t0\n"
                     "li s2, 0x1234\n"
                     "li a7, 129\n" /* kill(getpid(), SIGUSR1) */
                     "mv a0, %2\n"
                     "li a1, %3\n"
                     "ecall\n"
                     "fmv.x.d %0, fs0\n"
                     "mv %1, s2\n"
                     : "=r"(dbits), "=r"(s2v)
                     : "r"((long)getpid()), "i"(SIGUSR1)
                     : "t0", "a0", "a1", "a7", "fs0", "s2", "memory");
    __asm__ volatile("frcsr %0" : "=r"(fcsr));
    memcpy(&d, &dbits, sizeof(d));
    CHECK(d == 3.0);
    CHECK(s2v == 0x1234);
    CHECK(fcsr == (1 << 5)); /* RTZ kept, no flags */
    __asm__ volatile("fsrm zero");
    printf("registers and fcsr preserved\n");
}

static char altstack[65536] __attribute__((aligned(16)));
static volatile int on_alt, alt_flags;

static void alt_handler(int sig)
{
    char local;
    stack_t cur;

    (void)sig;
    on_alt = &local >= altstack && &local < altstack + sizeof(altstack);
    sigaltstack(NULL, &cur);
    alt_flags = cur.ss_flags;
}

static void test_altstack(void)
{
    stack_t ss, old;
    struct sigaction sa;

    ss.ss_sp = altstack;
    ss.ss_size = sizeof(altstack);
    ss.ss_flags = 0;
    CHECK(sigaltstack(&ss, &old) == 0);
    CHECK(old.ss_flags == SS_DISABLE);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = alt_handler;
    sa.sa_flags = SA_ONSTACK;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    raise(SIGUSR2);
    CHECK(on_alt == 1);
    CHECK(alt_flags == SS_ONSTACK);
    CHECK(sigaltstack(NULL, &old) == 0);
    CHECK(old.ss_flags == 0 && old.ss_sp == altstack);
    /* Without SA_ONSTACK the handler stays on the normal stack. */
    sa.sa_flags = 0;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0);
    raise(SIGUSR2);
    CHECK(on_alt == 0);
    CHECK(alt_flags == 0);
    ss.ss_flags = SS_DISABLE;
    CHECK(sigaltstack(&ss, NULL) == 0);
    ss.ss_size = 100;
    ss.ss_flags = 0;
    CHECK_ERR(sigaltstack(&ss, NULL), ENOMEM);
    printf("sigaltstack: on the alternate stack with SA_ONSTACK only\n");
}

int main(void)
{
    test_segv();
    test_ill_trap_bus();
    test_registers();
    test_altstack();
    return guest_done("sig_fault");
}
