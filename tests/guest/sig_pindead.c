/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A register write before a faulting access, in a TB whose loop pins the
 * register, when a later instruction of the TB overwrites the register:
 * the fault's ucontext must hold the written value.  fz_codepage (seed 23,
 * page 157) found ctcg's liveness dropping the write as dead (the later
 * write makes it dead for the TB's end, but the fault restores pinned
 * registers from their host registers): the handler saw t6's old value.
 */
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "guest.h"

static volatile uint64_t got_t6, got_a2, got_pc;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    got_t6 = uc->uc_mcontext.__gregs[31];
    got_a2 = uc->uc_mcontext.__gregs[12];
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    uc->uc_mcontext.__gregs[REG_PC] += 4; /* past the fsd */
}

/*
 * pindead_body(t6, bad): the TB starts at the loop head (entered through
 * jalr), as on fz_codepage's page; the self-loop runs once (s4 < t6).
 */
void pindead_body(uint64_t t6, uint64_t bad);
__asm__(".text\n"
        ".globl pindead_body\n"
        "pindead_body:\n"
        "  mv t6, a0\n"
        "  li s4, 0\n"
        "  mv a5, a1\n"
        "  li a2, 7\n"
        "  lla t0, 1f\n"
        "  jr t0\n"
        "1: bge s4, t6, 1b\n"
        "  addiw t6, t6, 2\n"
        "  addi a2, a2, 1\n"
        "  fsd ft3, -739(a5)\n"
        "  li t6, 0\n"
        "  li a2, 0\n"
        "  ret\n");

static void run(uint64_t t6, uint64_t bad)
{
    void (*volatile body)(uint64_t, uint64_t) = pindead_body;

    __asm__ volatile("" ::: "s4", "memory");
    body(t6, bad);
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};

    sigaction(SIGSEGV, &sa, NULL);
    /* a non-canonical address (range check) and an unmapped one (MMU) */
    const uint64_t bads[] = {0xa055c30f5948aebfULL, 0x1000};
    for (int i = 0; i < 2; i++) {
        for (int n = 0; n < 3; n++) { /* cold, then again */
            got_t6 = got_a2 = 0;
            run(0x50008008, bads[i]);
            CHECK(got_t6 == 0x5000800a);
            CHECK(got_a2 == 8);
        }
    }
    return guest_done("sig_pindead");
}
