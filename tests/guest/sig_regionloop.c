/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A loop inside a region (a hot TB with branches inside it) whose head is
 * not the TB's first instruction: spin() has a test before its loop, and
 * it is called often enough for its entry TB to become hot.  Its back
 * edge checks exit_request and, when set, leaves for the loop head with
 * the pinned registers stored.  SIGALRM arrives every millisecond during
 * a long call; the handler checks the interrupted registers against
 * memory as sig_looptick does, so a kick that left with stale registers
 * or the wrong PC fails the test (or never ends it).
 *
 *   spin(a0 = n, a1 = &counter): a2 = 0; if (n == 0) goto done;
 *   1: sd a2, 0(a1); addi a2, a2, 1; andi t0, a2, 255; bnez t0, 2f;
 *      xori a3, a3, 1; 2: bne a2, a0, 1b; done: return a2
 */
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <ucontext.h>

#include "guest.h"

static volatile uint64_t counter;
static volatile int ticks, checked, bad;
extern const char regionloop_lo[], regionloop_hi[];

__attribute__((noinline)) static uint64_t spin(uint64_t n)
{
    uint64_t r;

    __asm__ volatile("mv a0, %[n]\n\t"
                     "mv a1, %[p]\n\t"
                     "li a2, 0\n\t"
                     "beqz a0, 3f\n\t"
                     ".globl regionloop_lo\n"
                     "regionloop_lo:\n"
                     "1: sd a2, 0(a1)\n\t"
                     "addi a2, a2, 1\n\t"
                     "andi t0, a2, 255\n\t"
                     "bnez t0, 2f\n\t"
                     "xori a3, a3, 1\n\t"
                     "2: bne a2, a0, 1b\n\t"
                     ".globl regionloop_hi\n"
                     "regionloop_hi:\n"
                     "3: mv %[r], a2\n\t"
                     : [r] "=r"(r)
                     : [n] "r"(n), [p] "r"(&counter)
                     : "a0", "a1", "a2", "a3", "t0", "memory");
    return r;
}

static void on_alarm(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    (void)sig, (void)si;
    ticks++;
    checked += guest_check_tick("a2", uc->uc_mcontext.__gregs[0], regionloop_lo,
                     regionloop_hi, uc->uc_mcontext.__gregs[12], counter, &bad);
}

int main(void)
{
    struct sigaction sa = {0};
    struct itimerval it = {{0, 1000}, {0, 1000}};
    uint64_t n = 200000000;

    for (int i = 0; i < 300; i++) {
        CHECK(spin(1000 + i) == (uint64_t)(1000 + i));
    }
    CHECK(spin(0) == 0);
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    counter = 0;
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    CHECK(spin(n) == n);
    it.it_value.tv_usec = it.it_interval.tv_usec = 0;
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    CHECK(checked > 0);
    CHECK(bad == 0);
    return guest_done("sig_regionloop");
}
