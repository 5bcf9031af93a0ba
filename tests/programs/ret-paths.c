/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Returns and calls entered through inline caches (accel/tcg/tb.h, "ic"
 * and "ic_pc"; env->pc is stored only when the lookup stub misses), in
 * the cases ind-jump does not cover.  Each case runs often enough for its
 * TBs to become hot and checks its results:
 *   - a fault on the first instruction after a return: the handler must
 *     see that instruction's pc (a TB entered directly from a return);
 *   - a system call right after a return (its pc, and the return after);
 *   - fork deep in a call chain: parent and child unwind through the same
 *     cached return sites and each checks its sum;
 *   - siglongjmp out of deep frames from a signal handler, then ordinary
 *     calls and returns through the same sites;
 *   - a return target whose code is replaced by munmap and mmap of new
 *     code at the same address (invalidation without fence.i).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "check.h"

/*
 * ret_to_fault(p): calls leaf_id(p), whose return lands on a load from
 * the address it returns.  ret_to_getpid(): a getpid right after a return.
 */
long ret_to_fault(long p);
long ret_to_getpid(void);
extern char fault_here[];
__asm__(".text\n"
        ".option push\n"
        ".option norvc\n" /* the handler skips a 4-byte load */
        ".globl leaf_id\n"
        "leaf_id:\n"
        "  ret\n"
        ".globl ret_to_fault\n"
        "ret_to_fault:\n"
        "  addi sp, sp, -16\n"
        "  sd ra, 8(sp)\n"
        "  call leaf_id\n"
        ".globl fault_here\n"
        "fault_here:\n"
        "  ld a0, 0(a0)\n"
        "  ld ra, 8(sp)\n"
        "  addi sp, sp, 16\n"
        "  ret\n"
        ".globl ret_to_getpid\n"
        "ret_to_getpid:\n"
        "  addi sp, sp, -16\n"
        "  sd ra, 8(sp)\n"
        "  call leaf_id\n"
        "  li a7, 172\n" /* getpid */
        "  ecall\n"
        "  ld ra, 8(sp)\n"
        "  addi sp, sp, 16\n"
        "  ret\n"
        ".option pop\n");

static volatile long faults;

static void on_segv(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;

    (void)sig;
    (void)si;
    faults++;
    if (uc->uc_mcontext.__gregs[0] != (unsigned long)fault_here) {
        printf("FAIL fault pc: got %#lx want %#lx\n",
               (unsigned long)uc->uc_mcontext.__gregs[0],
               (unsigned long)fault_here);
        _exit(1);
    }
    uc->uc_mcontext.__gregs[0] += 4; /* skip the load */
    uc->uc_mcontext.__gregs[10] = 42;
}

static void test_fault_after_ret(void)
{
    struct sigaction sa;
    long good = 7, sum = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    for (int i = 0; i < 300; i++) {
        sum += ret_to_fault((long)&good); /* no fault: 7 */
        if (i % 3 == 0) {
            sum += ret_to_fault(8); /* faults: 42 */
        }
    }
    CHECK("fault after ret", sum, 300 * 7 + 100 * 42);
    CHECK("faults", faults, 100);
    signal(SIGSEGV, SIG_DFL);
}

static void test_syscall_after_ret(void)
{
    long pid = getpid(), bad = 0;

    for (int i = 0; i < 500; i++) {
        bad += ret_to_getpid() != pid;
    }
    CHECK("getpid after ret", bad, 0);
}

static __attribute__((noinline)) long down(long n, long fork_at, int *child)
{
    long r;

    if (n == 0) {
        return 0;
    }
    if (n == fork_at) {
        pid_t p = fork();

        if (p == 0) {
            *child = 1;
        }
    }
    r = down(n - 1, fork_at, child);
    return r + (n % 13) + (*child ? 1 : 0);
}

static void test_fork_deep(void)
{
    /* Warm the sites first, then fork at depth 3000 of 6000. */
    int child = 0, st;
    long want_parent = 0, want_child, got;

    for (int i = 0; i < 100; i++) {
        down(200, -1, &child);
    }
    for (long n = 1; n <= 6000; n++) {
        want_parent += n % 13;
    }
    want_child = want_parent + 6000; /* every frame returns after the fork */
    got = down(6000, 3000, &child);
    if (child) {
        _exit(got == want_child ? 0 : 1);
    }
    CHECK("fork deep parent", got, want_parent);
    wait(&st);
    CHECK("fork deep child", WIFEXITED(st) && WEXITSTATUS(st) == 0, 1);
}

static sigjmp_buf jb;

static void on_usr1(int sig)
{
    (void)sig;
    siglongjmp(jb, 1);
}

static __attribute__((noinline)) long deep_raise(long n, long at)
{
    if (n == at) {
        raise(SIGUSR1);
    }
    if (n == 0) {
        return 0;
    }
    return deep_raise(n - 1, at) + 1;
}

/* static: kept across siglongjmp */
static long escaped, jsum;
static int ji;

static void test_siglongjmp_deep(void)
{
    signal(SIGUSR1, on_usr1);
    for (ji = 0; ji < 200; ji++) {
        if (sigsetjmp(jb, 1) == 0) {
            jsum += deep_raise(1000 + ji, ji * 3);
        } else {
            escaped++;
        }
        jsum += deep_raise(50, -1); /* plain returns through the same sites */
    }
    CHECK("siglongjmp escapes", escaped, 200);
    CHECK("siglongjmp sum", jsum, 200 * 50);
    signal(SIGUSR1, SIG_DFL);
}

/*
 * A function in an mmap'ed page that calls back into a fixed helper and
 * returns its result plus a constant: li a1, K; ... the return target
 * (the instruction after the jalr) is in the mapped page.
 */
static __attribute__((noinline)) long helper7(void)
{
    return 7;
}

static void gen_code(uint32_t *c, int k)
{
    /*
     * addi sp,sp,-16; sd ra,8(sp); jalr ra,0(a0); addi a0,a0,k;
     * ld ra,8(sp); addi sp,sp,16; ret
     */
    c[0] = 0xff010113;
    c[1] = 0x00113423;
    c[2] = 0x000500e7;
    c[3] = 0x00050513 | ((uint32_t)k << 20);
    c[4] = 0x00813083;
    c[5] = 0x01010113;
    c[6] = 0x00008067;
}

static void test_remap_return_target(void)
{
    void *want = (void *)0x30000000;
    long sum = 0;

    for (int k = 1; k <= 3; k++) {
        uint32_t *c = mmap(want, 4096, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        long (*f)(long (*)(void)) = (long (*)(long (*)(void)))(void *)c;

        if (c == MAP_FAILED) {
            printf("FAIL mmap\n");
            fails++;
            return;
        }
        gen_code(c, k * 100);
        mprotect(c, 4096, PROT_READ | PROT_EXEC);
        __asm__ volatile("fence.i" ::: "memory");
        sum = 0;
        for (int i = 0; i < 300; i++) {
            sum += f(helper7);
        }
        CHECK("remapped return target", sum, 300 * (7 + k * 100));
        munmap(c, 4096);
    }
}

int main(void)
{
    test_fault_after_ret();
    test_syscall_after_ret();
    test_fork_deep();
    test_siglongjmp_deep();
    test_remap_return_target();
    return check_done("ret-paths");
}
