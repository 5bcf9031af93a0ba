/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Indirect jumps through inline caches (accel/tcg/tb.h, "ic"): every jalr
 * site of a TB remembers the TB it jumped to last and jumps there
 * directly when the target pc matches and that TB is still valid.  Each
 * case runs often enough for its TBs to become hot and checks its results:
 *   - deep recursion (returns to many sites, Ackermann and a 20000-deep
 *     chain) and calls through a table of function pointers;
 *   - setjmp/longjmp out of nested calls;
 *   - a return address changed by the program (ret to another place);
 *   - self-modifying code: a called function and the code at a return
 *     target rewritten (with fence.i) after their sites cached them;
 *   - a SIGALRM handler that makes calls of its own, in the middle;
 *   - four threads calling the same functions through the same sites,
 *     each with its own targets.
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>

#include "check.h"

static __attribute__((noinline)) long ack(long m, long n)
{
    if (m == 0) {
        return n + 1;
    }
    if (n == 0) {
        return ack(m - 1, 1);
    }
    return ack(m - 1, ack(m, n - 1));
}

static __attribute__((noinline)) long chain(long n)
{
    if (n == 0) {
        return 0;
    }
    return chain(n - 1) + (n & 7);
}

static long f_add(long x)
{
    return x + 3;
}
static long f_mul(long x)
{
    return x * 5;
}
static long f_xor(long x)
{
    return x ^ 0x55;
}
static long f_neg(long x)
{
    return -x;
}
static long (*const table[4])(long) = {f_add, f_mul, f_xor, f_neg};

static __attribute__((noinline)) long call_table(int i, long x)
{
    return table[i & 3](x);
}

static void test_calls(void)
{
    long sum = 0, want = 0;

    CHECK("ack(2,300)", ack(2, 300), 603);
    CHECK("ack(3,5)", ack(3, 5), 253);
    for (int r = 0; r < 20; r++) {
        long n = 20000 + r, w = 0;

        for (long k = 1; k <= n; k++) {
            w += k & 7;
        }
        CHECK("chain", chain(n), w);
    }
    for (int i = 0; i < 100000; i++) {
        long x = i;
        int k = (i * 7) >> 3; /* runs of one target, then others */

        sum += call_table(k, x);
        switch (k & 3) {
        case 0:
            want += x + 3;
            break;
        case 1:
            want += x * 5;
            break;
        case 2:
            want += x ^ 0x55;
            break;
        default:
            want += -x;
            break;
        }
    }
    CHECK("table", sum, want);
    printf("calls: ok\n");
}

static jmp_buf jb;

static __attribute__((noinline)) void deep_throw(int n)
{
    if (n > 1000) {
        return; /* never: keeps gcc from calling this endless */
    }
    if (n <= 0) {
        longjmp(jb, 7);
    }
    deep_throw(n - 1);
    __asm__ volatile("" ::: "memory"); /* not a tail call */
}

static void test_longjmp(void)
{
    int got = 0;

    for (int i = 0; i < 300; i++) {
        int v = setjmp(jb);

        if (v == 0) {
            deep_throw(i % 50);
        } else {
            got += v;
        }
    }
    CHECK("longjmp", got, 7 * 300);
    printf("longjmp: ok\n");
}

/*
 * redirect(): returns 1 normally; with skip set, it moves its return
 * address past the "li a0, 1" at the return site, so the caller sees 2.
 */
static long ret_changed(long skip)
{
    long r;

    __asm__ volatile(".option push\n\t"
                     ".option norvc\n\t" /* 4-byte li below */
                     "li a0, 2\n\t"
                     "mv a1, %[skip]\n\t"
                     "jal ra, 1f\n\t"
                     "li a0, 1\n\t" /* skipped when ra is moved */
                     "j 2f\n\t"
                     "1: beqz a1, 3f\n\t"
                     "addi ra, ra, 4\n\t" /* past the (4-byte) li a0, 1 */
                     "3: ret\n\t"
                     "2: mv %[r], a0\n\t"
                     ".option pop\n\t"
                     : [r] "=r"(r)
                     : [skip] "r"(skip)
                     : "a0", "a1", "ra", "memory");
    return r;
}

static void test_ret_changed(void)
{
    long ones = 0, twos = 0;

    for (int i = 0; i < 3000; i++) {
        long skip = (i / 100) & 1;
        long v = ret_changed(skip);

        ones += v == 1;
        twos += v == 2;
        CHECK("ret changed", v, skip ? 2 : 1);
    }
    CHECK("ret changed ones", ones, 1500);
    CHECK("ret changed twos", twos, 1500);
    printf("ret changed: ok\n");
}

/* Encodings for the generated code. */
#define LI_A0(v) (0x00000513u | ((uint32_t)(v)&0xfff) << 20) /* addi a0 */
#define RET 0x00008067u                                      /* jalr x0, ra */
#define JALR_RA_T0 0x000280e7u /* jalr ra, 0(t0) */

static uint32_t *code;

/*
 * code[0..]: caller: addi sp,-16; sd ra,8(sp); jalr ra,0(t0); li a0,K;
 *            ld ra,8(sp); addi sp,16; ret     (t0 = callee, a0 from it)
 * code[16..]: callee: li a0, V; ret
 * The caller returns K (the return target's li overrides the callee's).
 */
static void gen_code(int k, int v)
{
    static const uint32_t caller[] = {
        0xff010113u,    /* addi sp, sp, -16 */
        0x00113423u,    /* sd ra, 8(sp) */
        JALR_RA_T0,  0, /* li a0, K */
        0x00813083u,    /* ld ra, 8(sp) */
        0x01010113u,    /* addi sp, sp, 16 */
        RET,
    };

    memcpy(code, caller, sizeof(caller));
    code[3] = LI_A0(k);
    code[16] = LI_A0(v);
    code[17] = RET;
    __asm__ volatile("fence.i" ::: "memory");
}

static long run_code(void)
{
    long r;

    __asm__ volatile("mv t0, %[callee]\n\t"
                     "jalr ra, 0(%[caller])\n\t"
                     "mv %[r], a0\n\t"
                     : [r] "=r"(r)
                     : [caller] "r"(code), [callee] "r"(code + 16)
                     : "t0", "a0", "ra", "memory");
    return r;
}

/* The callee's result without the caller's li: calls code+16 directly. */
static long run_callee(void)
{
    long r;

    __asm__ volatile("jalr ra, 0(%[callee])\n\t"
                     "mv %[r], a0\n\t"
                     : [r] "=r"(r)
                     : [callee] "r"(code + 16)
                     : "a0", "ra", "memory");
    return r;
}

static void test_smc(void)
{
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        printf("FAIL mmap\n");
        fails++;
        return;
    }
    for (int round = 0; round < 6; round++) {
        gen_code(10 + round, 100 + round);
        for (int i = 0; i < 500; i++) {
            CHECK("smc return target", run_code(), 10 + round);
            CHECK("smc callee", run_callee(), 100 + round);
        }
    }
    munmap(code, 4096);
    printf("smc: ok\n");
}

static volatile long in_handler;

static void on_alarm(int sig)
{
    (void)sig;
    in_handler += call_table(in_handler & 3, 1) + chain(50) - chain(50);
}

static void test_signal(void)
{
    struct itimerval it = {{0, 300}, {0, 300}};
    long sum = 0, want = 0;

    signal(SIGALRM, on_alarm);
    setitimer(ITIMER_REAL, &it, NULL);
    for (int r = 0; r < 30; r++) {
        for (int i = 0; i < 20000; i++) {
            sum += call_table(i >> 4, i) + chain(i & 15);
        }
    }
    it = (struct itimerval){{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
    for (int r = 0; r < 30; r++) {
        for (int i = 0; i < 20000; i++) {
            long x = i, c = 0;

            switch ((i >> 4) & 3) {
            case 0:
                want += x + 3;
                break;
            case 1:
                want += x * 5;
                break;
            case 2:
                want += x ^ 0x55;
                break;
            default:
                want += -x;
                break;
            }
            for (long k = 1; k <= (i & 15); k++) {
                c += k & 7;
            }
            want += c;
        }
    }
    CHECK("signal", sum, want);
    printf("signal: ok\n");
}

static void *thread_fn(void *arg)
{
    long id = (long)arg, sum = 0, want = 0;

    for (int i = 0; i < 200000; i++) {
        int k = (int)id + (i >> 10);

        sum += call_table(k, i);
        switch (k & 3) {
        case 0:
            want += i + 3;
            break;
        case 1:
            want += (long)i * 5;
            break;
        case 2:
            want += i ^ 0x55;
            break;
        default:
            want += -(long)i;
            break;
        }
        sum += chain(i & 31);
        for (long j = 1; j <= (i & 31); j++) {
            want += j & 7;
        }
    }
    return (void *)(sum - want);
}

static void test_threads(void)
{
    pthread_t t[4];

    for (long i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, thread_fn, (void *)i);
    }
    for (int i = 0; i < 4; i++) {
        void *d;

        pthread_join(t[i], &d);
        CHECK("threads", (long)d, 0);
    }
    printf("threads: ok\n");
}

int main(void)
{
    test_calls();
    test_longjmp();
    test_ret_changed();
    test_smc();
    test_signal();
    test_threads();
    return check_done("ind-jump");
}
