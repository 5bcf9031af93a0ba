/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Faults inside a loop that ctcg runs within one TB with the guest
 * registers pinned in host registers (tcg_gen_loop_back): the ucontext of
 * the SIGSEGV handler must hold the exact registers of the faulting
 * iteration, and registers the handler changes must be the ones the loop
 * resumes with.
 *
 * The loop sums an array of 512 words and runs into a PROT_NONE page:
 *   loop_ld: ld t0, 0(a0); add a1, a1, t0; addi a0, a0, 8; addi a2, a2, 1;
 *            bne a0, a3, loop_ld
 * The handler checks pc, a0..a3 and si_addr, then points a0 back at the
 * array and a3 at its end, so the loop sums it once more and stops.
 * A second run leaves the handler with siglongjmp instead.  A third one
 * walks by the words it loads (8, 8, then 2^38) past the end of the
 * 39-bit user address space: that fault comes from ctcg's range check
 * (its slow path) instead of the host MMU.  A fourth one runs the first
 * loop with a call through a pointer on a path never taken, which leaves
 * the loop (and ctcg's TB) writing the PC; the fault must still report
 * the load's PC and the registers of its iteration.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "guest.h"

#define N 512

extern char loop_ld[], stride_ld[], callp_ld[];
static uint64_t *array;
static int faults;
static int resume; /* 1: fix the registers and resume; 0: siglongjmp */
static int stride; /* the third run: checks for the big stride */
static int callp;  /* the fourth run: the loop with a call in it */
static sigjmp_buf jb;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    unsigned long *r = uc->uc_mcontext.__gregs;
    uint64_t end = (uint64_t)(uintptr_t)(array + N);

    (void)sig;
    faults++;
    if (stride) {
        uint64_t bad = (uint64_t)(uintptr_t)array + 16 + (1ull << 38);

        CHECK(r[REG_PC] == (unsigned long)(uintptr_t)stride_ld);
        CHECK((uint64_t)(uintptr_t)si->si_addr == bad);
        CHECK(r[10] == bad);                /* a0 */
        CHECK(r[11] == 16 + (1ull << 38)); /* a1: three words summed */
        CHECK(r[12] == 3);                  /* a2 */
        siglongjmp(jb, 1);
    }
    if (callp) {
        CHECK(r[REG_PC] == (unsigned long)(uintptr_t)callp_ld);
        CHECK((uint64_t)(uintptr_t)si->si_addr == end);
        CHECK(r[10] == end);                       /* a0 */
        CHECK(r[11] == (uint64_t)N * (N + 1) / 2); /* a1 */
        CHECK(r[12] == N);                         /* a2 */
        siglongjmp(jb, 1);
    }
    CHECK(r[REG_PC] == (unsigned long)(uintptr_t)loop_ld);
    CHECK((uint64_t)(uintptr_t)si->si_addr == end);
    CHECK(si->si_code == SEGV_ACCERR);
    CHECK(r[10] == end);               /* a0: the pointer */
    CHECK(r[11] == (uint64_t)N * (N + 1) / 2); /* a1: the sum so far */
    CHECK(r[12] == N);                 /* a2: iterations */
    CHECK(r[13] == end + 4096);        /* a3: the original end */
    if (!resume) {
        siglongjmp(jb, 1);
    }
    r[10] = (unsigned long)(uintptr_t)array;
    r[13] = end;
}

static void run_loop(uint64_t *a1_out, uint64_t *a2_out)
{
    register uint64_t a0 __asm__("a0") = (uint64_t)(uintptr_t)array;
    register uint64_t a1 __asm__("a1") = 0;
    register uint64_t a2 __asm__("a2") = 0;
    register uint64_t a3 __asm__("a3") =
        (uint64_t)(uintptr_t)(array + N) + 4096;

    __asm__ volatile(".globl loop_ld\n"
                     "loop_ld:\n\t"
                     "ld t0, 0(a0)\n\t"
                     "add a1, a1, t0\n\t"
                     "addi a0, a0, 8\n\t"
                     "addi a2, a2, 1\n\t"
                     "bne a0, a3, loop_ld\n\t"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
                     :
                     : "t0", "memory");
    *a1_out = a1;
    *a2_out = a2;
}

/* Steps by the words it loads: the fourth access is out of range. */
static void run_stride(void)
{
    register uint64_t a0 __asm__("a0") = (uint64_t)(uintptr_t)array;
    register uint64_t a1 __asm__("a1") = 0;
    register uint64_t a2 __asm__("a2") = 0;
    register uint64_t a3 __asm__("a3") = 0;

    __asm__ volatile(".globl stride_ld\n"
                     "stride_ld:\n\t"
                     "ld t0, 0(a0)\n\t"
                     "add a1, a1, t0\n\t"
                     "add a0, a0, t0\n\t"
                     "addi a2, a2, 1\n\t"
                     "bne a0, a3, stride_ld\n\t"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3)
                     :
                     : "t0", "memory");
}

static void never_called(void)
{
    CHECK(0);
}

/* run_loop's loop, with a call on a path its nonzero words never take. */
static void run_callp(void)
{
    register uint64_t a0 __asm__("a0") = (uint64_t)(uintptr_t)array;
    register uint64_t a1 __asm__("a1") = 0;
    register uint64_t a2 __asm__("a2") = 0;
    register uint64_t a3 __asm__("a3") =
        (uint64_t)(uintptr_t)(array + N) + 4096;
    register void (*a4)(void) __asm__("a4") = never_called;

    __asm__ volatile(".globl callp_ld\n"
                     "callp_ld:\n\t"
                     "ld t0, 0(a0)\n\t"
                     "add a1, a1, t0\n\t"
                     "addi a0, a0, 8\n\t"
                     "bnez t0, 1f\n\t"
                     "jalr ra, 0(a4)\n"
                     "1:\n\t"
                     "addi a2, a2, 1\n\t"
                     "bne a0, a3, callp_ld\n\t"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4)
                     :
                     : "t0", "ra", "memory");
}

/* Run @run @n times, each leaving by a fault and siglongjmp. */
static void fault_runs(void (*run)(void), int n)
{
    faults = 0;
    for (volatile int k = 0; k < n; k++) {
        if (sigsetjmp(jb, 1) == 0) {
            run();
            CHECK(0); /* not reached */
        }
    }
    CHECK(faults == n);
}

int main(void)
{
    struct sigaction sa = {0};
    uint64_t sum = 0, count = 0;
    char *p = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    CHECK(p != MAP_FAILED);
    CHECK(mprotect(p + 4096, 4096, PROT_NONE) == 0);
    array = (uint64_t *)p;
    for (int i = 0; i < N; i++) {
        array[i] = (uint64_t)i + 1;
    }
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);

    /* Resume with changed registers: the loop sums the array twice. */
    resume = 1;
    run_loop(&sum, &count);
    CHECK(faults == 1);
    CHECK(sum == (uint64_t)N * (N + 1));
    CHECK(count == 2 * N);
    printf("resumed: faults=%d sum=%llu count=%llu\n", faults,
           (unsigned long long)sum, (unsigned long long)count);

    /* Leave the handler with siglongjmp, 100 times. */
    resume = 0;
    faults = 0;
    for (volatile int k = 0; k < 100; k++) {
        if (sigsetjmp(jb, 1) == 0) {
            run_loop(&sum, &count);
            CHECK(0); /* not reached */
        }
    }
    CHECK(faults == 100);
    printf("longjmp: faults=%d\n", faults);

    /* Out of the address space: ctcg's range check raises the fault. */
    array[0] = 8;
    array[1] = 8;
    array[2] = 1ull << 38;
    stride = 1;
    fault_runs(run_stride, 10);
    printf("stride: faults=%d\n", faults);

    /* The loop with a call on a path not taken. */
    for (int i = 0; i < N; i++) {
        array[i] = (uint64_t)i + 1;
    }
    stride = 0;
    callp = 1;
    fault_runs(run_callp, 100);
    printf("callp: faults=%d\n", faults);
    signal(SIGSEGV, SIG_DFL);
    return guest_done("sig_loopfault");
}
