/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Asynchronous signals interrupting a loop that ctcg runs inside one TB
 * with the guest registers pinned in host registers: the interrupted
 * context must hold the registers of the moment, not older ones.
 *
 * The loop stores its counter before incrementing it:
 *   1: sd a0, 0(a3); addi a0, a0, 1; bne a0, a1, 1b
 * so whenever it is interrupted, a0 is the stored value or one more.
 * SIGALRM arrives every millisecond; the handler checks a0 against memory
 * in the ucontext.
 */
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <ucontext.h>

#include "guest.h"

static volatile uint64_t counter;
static volatile int ticks, checked, bad;
extern const char looptick_lo[], looptick_hi[];

static void on_alarm(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;

    (void)sig, (void)si;
    ticks++;
    checked += guest_check_tick("a0", uc->uc_mcontext.__gregs[0], looptick_lo,
                     looptick_hi, uc->uc_mcontext.__gregs[10], counter, &bad);
}

int main(void)
{
    struct sigaction sa = {0};
    struct itimerval it = {{0, 1000}, {0, 1000}};
    uint64_t end = 400000000, result;

    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    __asm__ volatile("mv a3, %[p]\n\t"
                     "mv a1, %[end]\n\t"
                     "li a0, 0\n\t"
                     ".globl looptick_lo\n"
                     "looptick_lo:\n"
                     "1: sd a0, 0(a3)\n\t"
                     "addi a0, a0, 1\n\t"
                     "bne a0, a1, 1b\n\t"
                     ".globl looptick_hi\n"
                     "looptick_hi:\n"
                     "mv %[r], a0\n\t"
                     : [r] "=r"(result)
                     : [p] "r"(&counter), [end] "r"(end)
                     : "a0", "a1", "a3", "memory");
    it.it_value.tv_usec = it.it_interval.tv_usec = 0;
    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    CHECK(result == end);
    CHECK(counter == 400000000 - 1);
    CHECK(checked > 0);
    CHECK(bad == 0);
    if (bad) {
        fprintf(stderr, "%d of %d ticks saw stale registers\n", bad, ticks);
    }
    return guest_done("sig_looptick");
}
