/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A hot region whose branch target cannot be fetched: the 4-byte
 * instruction at the target starts 2 bytes before an unmapped page.  The
 * region translation must leave the TB there (the target's own TB then
 * faults), not retry the target or loop; taking the branch must deliver
 * SIGSEGV with the PC of the target.
 *
 *   f(a0 = n, a1 = flag): 1: addi a0, a0, -1; beq a1, zero, T;
 *                            bnez a0, 1b; ret
 *   T (page end - 2): addi a0, a0, 1 (its upper half unmapped)
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

int main(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    struct sigaction sa = {0};
    uint8_t *a = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint8_t *t;
    long (*f)(long, long);

    CHECK(a != MAP_FAILED);
    CHECK(munmap(a + pg, pg) == 0);
    t = a + pg - 2;
    put32(a + 0, enc_i(0x13, 10, 0, 10, -1));              /* addi a0, a0, -1 */
    put32(a + 4, enc_b(0, 11, 0, (int32_t)(t - (a + 4)))); /* beq a1, zero, T */
    put32(a + 8, enc_b(1, 10, 0, -8));                     /* bnez a0, 1b */
    put32(a + 12, enc_i(0x67, 0, 0, 1, 0));                /* ret */
    t[0] = 0x13, t[1] = 0x05; /* addi a0, a0, 1 (low) */
    __builtin___clear_cache((char *)a, (char *)a + pg);
    f = (long (*)(long, long))(uintptr_t)a;

    for (int i = 0; i < 300; i++) {
        CHECK(f(5 + i % 7, 1) == 0); /* hot: the TB is translated again */
    }
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    if (sigsetjmp(jb, 1) == 0) {
        f(3, 0);
        CHECK(!"the branch to the unreadable instruction did not fault");
    }
    CHECK(fault_pc == (uintptr_t)t);
    return guest_done("sig_regionfetch");
}
