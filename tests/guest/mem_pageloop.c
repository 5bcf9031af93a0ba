/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hot loop across a page boundary (glibc's strcmp in bench's sort is
 * one): since session 11 its region takes in the next page too (a TB over
 * two pages, target-riscv/translate.c in_tb_page), so that TB must be
 * dropped when either page changes, and it must never reach a third page.
 *
 *   f(a0 = n, a1 = 0, a2 = flag), at S = page 0's end - 8:
 *     S:      li   a1, 0
 *     L:      addi a1, a1, 3          (page 0)
 *     S + 8:  addi a1, a1, K          (page 1: patched below)
 *             beq  a2, zero, T
 *             addi a0, a0, -1
 *             bnez a0, L
 *             mv   a0, a1
 *             ret
 *     T = page 1's end - 2: addi a0, zero, 77 (its upper half in page 2); ret
 *   returns n * (3 + K) when flag != 0.
 * Checked, each after the loop got hot: a patch of K in page 1 with
 * fence.i; page 1 made non-executable (SIGSEGV at S + 8); page 1 unmapped
 * and mapped again with other code; page 2 unmapped, then the branch to
 * T (an instruction in the two pages' last two bytes) faults at T.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "guest.h"

static sigjmp_buf jb;
static volatile uintptr_t fault_pc;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    (void)sig, (void)si;
    fault_pc = uc->uc_mcontext.__gregs[0]; /* REG_PC */
    siglongjmp(jb, 1);
}

static uint32_t enc_i(uint32_t op, int rd, int f3, int rs1, int32_t imm)
{
    return (uint32_t)(imm & 0xfff) << 20 | rs1 << 15 | f3 << 12 | rd << 7 | op;
}

static uint32_t enc_b(int f3, int rs1, int rs2, int32_t off)
{
    uint32_t u = (uint32_t)off;

    return ((u >> 12) & 1) << 31 | ((u >> 5) & 0x3f) << 25 | rs2 << 20 |
           rs1 << 15 | f3 << 12 | ((u >> 1) & 0xf) << 8 | ((u >> 11) & 1) << 7 |
           0x63;
}

static void put32(uint8_t *p, uint32_t w)
{
    p[0] = w, p[1] = w >> 8, p[2] = w >> 16, p[3] = w >> 24;
}

/* The part of f in page 1, with K, and T's first half. */
static void write_page1(uint8_t *s, uint8_t *t, int k)
{
    put32(s + 8, enc_i(0x13, 11, 0, 11, k));                 /* addi a1 */
    put32(s + 12, enc_b(0, 12, 0, (int32_t)(t - (s + 12)))); /* beq a2 */
    put32(s + 16, enc_i(0x13, 10, 0, 10, -1));               /* addi a0 */
    put32(s + 20, enc_b(1, 10, 0, -16));                     /* bnez a0, L */
    put32(s + 24, enc_i(0x13, 10, 0, 11, 0));                /* mv a0, a1 */
    put32(s + 28, enc_i(0x67, 0, 0, 1, 0));                  /* ret */
    t[0] = 0x13, t[1] = 0x05; /* addi a0, zero, 77: low half */
}

/* Run f hot; every result must be n * (3 + k). */
static void run_hot(long (*f)(long, long, long), int k, int line)
{
    int bad = 0;

    for (int i = 0; i < 400; i++) {
        long n = 5 + i % 7;

        bad += f(n, 0, 1) != n * (3 + k);
    }
    if (bad) {
        fprintf(stderr, "line %d: %d wrong results with K = %d\n", line, bad,
                k);
        guest_failures++;
    }
}

/* f(3, 0, flag) must fault at @pc. */
static void expect_fault(long (*f)(long, long, long), long flag, uintptr_t pc)
{
    fault_pc = 0;
    if (sigsetjmp(jb, 1) == 0) {
        f(3, 0, flag);
        CHECK(!"no fault");
    }
    CHECK(fault_pc == pc);
}

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    struct sigaction sa = {0};
    int rwx = PROT_READ | PROT_WRITE | PROT_EXEC;
    uint8_t *a = mmap(NULL, 3 * pg, rwx, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *s = a + pg - 8, *t = a + 2 * pg - 2;
    long (*f)(long, long, long) = (long (*)(long, long, long))(uintptr_t)s;

    CHECK(a != MAP_FAILED);
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    put32(s, enc_i(0x13, 11, 0, 0, 0));      /* li a1, 0 */
    put32(s + 4, enc_i(0x13, 11, 0, 11, 3)); /* L: addi a1, a1, 3 */
    write_page1(s, t, 1);
    t[2] = 0xd0, t[3] = 0x04;              /* ... its high half, imm 77 */
    put32(t + 4, enc_i(0x67, 0, 0, 1, 0)); /* ret */
    __builtin___clear_cache((char *)a, (char *)a + 3 * pg);
    run_hot(f, 1, __LINE__);
    CHECK(f(3, 0, 0) == 77);

    /* K in page 1 patched, announced by fence.i */
    put32(s + 8, enc_i(0x13, 11, 0, 11, 5));
    __builtin___clear_cache((char *)s, (char *)s + 32);
    run_hot(f, 5, __LINE__);

    /* page 1 not executable: the loop faults where it enters it */
    CHECK(mprotect(a + pg, pg, PROT_READ | PROT_WRITE) == 0);
    expect_fault(f, 1, (uintptr_t)(a + pg));
    CHECK(mprotect(a + pg, pg, rwx) == 0);
    run_hot(f, 5, __LINE__);

    /* page 1 replaced by another mapping with other code */
    CHECK(munmap(a + pg, pg) == 0);
    CHECK(mmap(a + pg, pg, rwx, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
               0) == a + pg);
    write_page1(s, t, 7);
    __builtin___clear_cache((char *)a, (char *)a + 2 * pg);
    run_hot(f, 7, __LINE__);

    /* page 2 gone: T's upper half cannot be fetched */
    CHECK(munmap(a + 2 * pg, pg) == 0);
    run_hot(f, 7, __LINE__);
    expect_fault(f, 0, (uintptr_t)t);
    return guest_done("mem_pageloop");
}
