/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Calls and jumps into page 0 (a null function pointer and small offsets
 * from it): the guest gets SIGSEGV with si_addr and the PC at the target,
 * as from Linux.  Session 8's "fetch check once a page" used 1 as "no page
 * checked yet", which lies inside page 0, so the translator read guest
 * address 0x0-0xfff without a check and ctcg died of a host SIGSEGV
 * (found by fuzz_translate on the merged tree).  A jump to the top page
 * must also give SIGSEGV.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "guest.h"

static sigjmp_buf back;
static volatile uintptr_t got_addr, got_pc;
static volatile int got_sig;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    got_sig = sig;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    siglongjmp(back, 1);
}

int main(void)
{
    static const uintptr_t targets[] = {0, 2, 8, 0x3d0, 0xffc};
    struct sigaction sa = {0};

    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    for (volatile unsigned i = 0; i < sizeof(targets) / sizeof(targets[0]);
         i++) {
        /* twice: the second time the code around the call is hot */
        for (volatile int k = 0; k < 2; k++) {
            void (*volatile fn)(void) = (void (*)(void))targets[i];

            got_sig = 0;
            if (sigsetjmp(back, 1) == 0) {
                fn();
            }
            CHECK(got_sig == SIGSEGV);
            CHECK(got_addr == targets[i]);
            CHECK(got_pc == targets[i]);
        }
    }
    /* The top page (the fix's first try took ~0 as "no page": SIGILL). */
    for (volatile int k = 0; k < 2; k++) {
        void (*volatile fn)(void) = (void (*)(void))(uintptr_t)-0x5a6;

        got_sig = 0;
        if (sigsetjmp(back, 1) == 0) {
            fn();
        }
        CHECK(got_sig == SIGSEGV); /* si_addr: see docs/riscv.md */
    }
    return guest_done("sig_nullcall");
}
