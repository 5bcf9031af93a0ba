/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * addiw counters in hot loops (issue 18, session 10): ctcg computes an
 * addiw in a region's loop as a 64-bit sum and sign-extends it only out of
 * line when it is not sign-extended already (ext32s_chk), with one compare
 * when rs1 is known to be sign-extended; a back edge right after its
 * exit-request check is "cmp; je head; jmp kick".  Every value a guest
 * can see must still be the canonical one:
 *   - pair: the is_even/is_odd shape (two addiw a0, a0, -1 and exits
 *     between them, an unconditional back edge), also with +1, entered
 *     with values that are not sign-extended (the first addiw's generic
 *     check fails once) and crossing INT32_MIN / INT32_MAX (the second
 *     addiw's one-sided compare fails); addiw to another register off the
 *     known-extended a0 with +-2047/-2048 crossing the other side, and
 *     sext.w of it (a move); the same with the loop's path as branch
 *     targets (pair_bnez: a0 known extended across the label);
 *   - short: a one-instruction-body countdown by -3 (a conditional back
 *     edge) through INT32_MIN, entered with 64-bit values;
 *   - signal: a loop that only a SIGALRM handler ends (it sets a flag the
 *     loop reads), so the back edge's exit check must still leave; the
 *     handler checks that a0 in the interrupted context is sign-extended.
 * Each loop runs 300 times from varied entries, so it is translated hot
 * (a region), and is checked against a C model.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "check.h"

static uint64_t sx(uint64_t v)
{
    return (uint64_t)(int64_t)(int32_t)v;
}

/* The pair loop, step -1 (down) or +1 (up); n iterations, s a sum. */
static uint64_t pair_down(uint64_t x, uint64_t stop, uint64_t *n, uint64_t *s)
{
    register uint64_t a0 __asm__("a0") = x;
    register uint64_t a1 __asm__("a1") = stop;
    uint64_t rn, rs;

    __asm__ volatile("li t1, 0\n\t"
                     "li t2, 0\n"
                     "1:\n\t"
                     "beq a0, a1, 2f\n\t"
                     "addiw a0, a0, -1\n\t"
                     "addi t1, t1, 1\n\t"
                     "beq a0, a1, 2f\n\t"
                     "addiw a0, a0, -1\n\t"
                     "addiw a2, a0, 2047\n\t"
                     "sext.w a3, a0\n\t"
                     "add t2, t2, a2\n\t"
                     "add t2, t2, a3\n\t"
                     "addi t1, t1, 1\n\t"
                     "j 1b\n"
                     "2:\n\t"
                     "mv %[n], t1\n\t"
                     "mv %[s], t2\n"
                     : "+r"(a0), [n] "=&r"(rn), [s] "=&r"(rs)
                     : "r"(a1)
                     : "t1", "t2", "a2", "a3", "memory");
    *n = rn;
    *s = rs;
    return a0;
}

static uint64_t pair_up(uint64_t x, uint64_t stop, uint64_t *n, uint64_t *s)
{
    register uint64_t a0 __asm__("a0") = x;
    register uint64_t a1 __asm__("a1") = stop;
    uint64_t rn, rs;

    __asm__ volatile("li t1, 0\n\t"
                     "li t2, 0\n"
                     "1:\n\t"
                     "beq a0, a1, 2f\n\t"
                     "addiw a0, a0, 1\n\t"
                     "addi t1, t1, 1\n\t"
                     "beq a0, a1, 2f\n\t"
                     "addiw a0, a0, 1\n\t"
                     "addiw a2, a0, -2048\n\t"
                     "sext.w a3, a0\n\t"
                     "add t2, t2, a2\n\t"
                     "add t2, t2, a3\n\t"
                     "addi t1, t1, 1\n\t"
                     "j 1b\n"
                     "2:\n\t"
                     "mv %[n], t1\n\t"
                     "mv %[s], t2\n"
                     : "+r"(a0), [n] "=&r"(rn), [s] "=&r"(rs)
                     : "r"(a1)
                     : "t1", "t2", "a2", "a3", "memory");
    *n = rn;
    *s = rs;
    return a0;
}

/*
 * pair_down with the continuing paths as branch targets (is_even's shape,
 * bnez to the rest, the fall-through leaving): the second addiw starts a
 * run of its own whose only way in is the branch, so a0 is known to be
 * sign-extended there (ctcg carries that across the label).
 */
static uint64_t pair_bnez(uint64_t x, uint64_t stop, uint64_t *n, uint64_t *s)
{
    register uint64_t a0 __asm__("a0") = x;
    register uint64_t a1 __asm__("a1") = stop;
    uint64_t rn, rs;

    __asm__ volatile("li t1, 0\n\t"
                     "li t2, 0\n"
                     "1:\n\t"
                     "bne a0, a1, 3f\n\t"
                     "j 2f\n"
                     "3:\n\t"
                     "addiw a0, a0, -1\n\t"
                     "addi t1, t1, 1\n\t"
                     "bne a0, a1, 4f\n\t"
                     "j 2f\n"
                     "4:\n\t"
                     "addiw a0, a0, -1\n\t"
                     "addiw a2, a0, 2047\n\t"
                     "sext.w a3, a0\n\t"
                     "add t2, t2, a2\n\t"
                     "add t2, t2, a3\n\t"
                     "addi t1, t1, 1\n\t"
                     "j 1b\n"
                     "2:\n\t"
                     "mv %[n], t1\n\t"
                     "mv %[s], t2\n"
                     : "+r"(a0), [n] "=&r"(rn), [s] "=&r"(rs)
                     : "r"(a1)
                     : "t1", "t2", "a2", "a3", "memory");
    *n = rn;
    *s = rs;
    return a0;
}

static uint64_t pair_model(uint64_t x, uint64_t stop, int step, uint64_t *n,
                           uint64_t *s)
{
    *n = 0;
    *s = 0;
    for (;;) {
        if (x == stop) {
            break;
        }
        x = sx(x + step);
        ++*n;
        if (x == stop) {
            break;
        }
        x = sx(x + step);
        *s += sx(x + (step < 0 ? 2047 : -2048)) + x;
        ++*n;
    }
    return x;
}

/* x counts down by 3 until it equals stop (a sign-extended value). */
static uint64_t short_down(uint64_t x, uint64_t stop, uint64_t *n)
{
    register uint64_t a0 __asm__("a0") = x;
    register uint64_t a1 __asm__("a1") = stop;
    uint64_t rn;

    __asm__ volatile("li t1, 0\n"
                     "1:\n\t"
                     "addiw a0, a0, -3\n\t"
                     "addi t1, t1, 1\n\t"
                     "bne a0, a1, 1b\n\t"
                     "mv %[n], t1\n"
                     : "+r"(a0), [n] "=&r"(rn)
                     : "r"(a1)
                     : "t1", "memory");
    *n = rn;
    return a0;
}

#define NPAIRS 8

/* Entries: (x, stop) for the down loop; the up loop uses them mirrored. */
static const uint64_t pairs[NPAIRS][2] = {
    {10, 0},
    {11, 0},
    {0xffffffff80000005ull, 0x7ffffff0},           /* through INT32_MIN */
    {0x80000005ull, 0x7ffffff0},                   /* entry not extended */
    {0x100000003ull, 0},                           /* entry not extended */
    {5, 0xfffffffffffffff0ull},                    /* through 0 */
    {0x7ffffff8ull + 0x1000000000ull, 0x7ffff7f0}, /* a2 crosses INT32_MAX */
    {0xffffffff80000800ull, 0xffffffff800007c0ull},
};

static void test_pairs(void)
{
    uint64_t total = 0;

    for (int r = 0; r < 300; r++) {
        const uint64_t *p = pairs[r % NPAIRS];
        uint64_t n, s, wn, ws, got, want;

        got = pair_down(p[0], p[1], &n, &s);
        want = pair_model(p[0], p[1], -1, &wn, &ws);
        CHECK("pair_down a0", got, want);
        CHECK("pair_down n", n, wn);
        CHECK("pair_down s", s, ws);
        total += n + s;
        got = pair_bnez(p[0], p[1], &n, &s);
        CHECK("pair_bnez a0", got, want);
        CHECK("pair_bnez n", n, wn);
        CHECK("pair_bnez s", s, ws);
        total += n + s;
        /* up: from -x to -stop, mirrored (sign-extended stop) */
        got = pair_up(-p[0], sx(-p[1]), &n, &s);
        want = pair_model(-p[0], sx(-p[1]), 1, &wn, &ws);
        CHECK("pair_up a0", got, want);
        CHECK("pair_up n", n, wn);
        CHECK("pair_up s", s, ws);
        total += n + s;
    }
    printf("pairs: %016llx\n", (unsigned long long)total);
}

static void test_short(void)
{
    static const uint64_t e[][2] = {
        {30, 0},
        {0x100000021ull, 0},
        {0xffffffff80000009ull, 0x7ffffff4},
        {0x80000009ull, 0x7ffffff4},
        {0x7ffffffeull + 0x300000000ull, 0x7ffffffe - 30},
    };
    uint64_t total = 0;

    for (int r = 0; r < 300; r++) {
        const uint64_t *p = e[r % 5];
        uint64_t n, wn = 0, x = p[0], got;

        got = short_down(p[0], p[1], &n);
        do {
            x = sx(x - 3);
            wn++;
        } while (x != p[1]);
        CHECK("short a0", got, x);
        CHECK("short n", n, wn);
        total += n * 31 + got;
    }
    printf("short: %016llx\n", (unsigned long long)total);
}

static volatile int32_t stop_flag;
static volatile int nsig, bad_a0;

static void on_alarm(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    uint64_t a0 = uc->uc_mcontext.__gregs[10];

    (void)sig;
    (void)si;
    if (a0 != sx(a0)) {
        bad_a0++;
    }
    if (++nsig == 3) {
        stop_flag = 1;
    }
}

/*
 * Runs until stop_flag is set: a0 += 1 an iteration as +1, -2, +2, the
 * exit branch before them, an unconditional back edge.
 */
static uint64_t flag_loop(uint64_t x)
{
    register uint64_t a0 __asm__("a0") = x;
    register volatile int32_t *a2 __asm__("a2") = &stop_flag;

    __asm__ volatile("1:\n\t"
                     "lw t0, 0(a2)\n\t"
                     "bnez t0, 2f\n\t"
                     "addiw a0, a0, 1\n\t"
                     "addiw a0, a0, -2\n\t"
                     "addiw a0, a0, 2\n\t"
                     "j 1b\n"
                     "2:\n"
                     : "+r"(a0)
                     : "r"(a2)
                     : "t0", "memory");
    return a0;
}

static void test_signal(void)
{
    struct sigaction sa;
    struct itimerval it = {{0, 2000}, {0, 2000}};
    uint64_t x;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    x = flag_loop(0x7ffffff0);
    memset(&it, 0, sizeof(it));
    setitimer(ITIMER_REAL, &it, NULL);
    CHECK("signal a0 extended", x == sx(x), 1);
    CHECK("signal handler saw a0 extended", bad_a0, 0);
    CHECK("signals", nsig >= 3, 1);
    printf("signal: done\n");
}

int main(void)
{
    test_pairs();
    test_short();
    test_signal();
    return check_done("addiw-loop");
}
