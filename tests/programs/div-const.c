/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Division by constants (target-riscv/divconst.c, trans_rvm.c.inc): ctcg
 * turns div/divu/rem/remu and their "w" forms into multiply-high
 * sequences when the divisor register holds a constant known at
 * translation time (set by li/lui/addi(w) in the TB, before a region's
 * loops), and guesses the divisor of a region's loop that does not write
 * it (a compare with the value it had when translated, the host division
 * when it differs).  Each case runs a loop of hand-written assembly often
 * enough for its TB to become hot (a region), and checks every result
 * against a long division written in C without division instructions,
 * with the spec's rules (x / 0 = -1, x % 0 = x, INT_MIN / -1 = INT_MIN,
 * INT_MIN % -1 = 0).
 *   - known: "li t0, C" then a loop dividing by t0, for 24 constants x 8
 *     operations (0, +-1, powers of two, INT_MIN, INT32_MIN, odd ones);
 *   - written: t0 is set before the loop and changed inside it, so it is
 *     no constant at the loop head;
 *   - guessed: the divisor comes in a register; after the TB is hot with
 *     one value, calls with others (0, -1, 1, other odd values) must take
 *     the host division;
 *   - signal: a SIGALRM handler changes the divisor register in the
 *     interrupted context while a loop that set it with li runs; every
 *     iteration stores the divisor it used with its quotient.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <ucontext.h>

#include "check.h"

/* Reference: shift-and-subtract, no division instruction. */
static uint64_t udiv_ref(uint64_t a, uint64_t b, uint64_t *r)
{
    uint64_t q = 0, rem = 0;

    for (int i = 63; i >= 0; i--) {
        rem = rem << 1 | (a >> i & 1);
        if (rem >= b) {
            rem -= b;
            q |= 1ull << i;
        }
    }
    *r = rem;
    return q;
}

/* op: bit 0 signed, bit 1 w, bit 2 remainder (as the instructions) */
static uint64_t ref(int op, uint64_t a, uint64_t b)
{
    int sign = op & 1, w = op & 2, rem = op & 4;
    uint64_t q, r, res;

    if (w) {
        a = sign ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
        b = sign ? (uint64_t)(int64_t)(int32_t)b : (uint32_t)b;
    }
    if (b == 0) {
        res = rem ? a : UINT64_MAX;
    } else if (!sign) {
        q = udiv_ref(a, b, &r);
        res = rem ? r : q;
    } else {
        int na = (int64_t)a < 0, nb = (int64_t)b < 0;
        uint64_t ua = na ? -a : a, ub = nb ? -b : b;

        q = udiv_ref(ua, ub, &r);
        q = na != nb ? -q : q;
        r = na ? -r : r;
        res = rem ? r : q;
    }
    return w ? (uint64_t)(int64_t)(int32_t)res : res;
}

static const char *const op_names[8] = {"divu", "div", "divuw", "divw",
                                        "remu", "rem", "remuw", "remw"};

#define N 64
static uint64_t in[N], out[N];

/* A loop over in[] with the divisor in t0, set by "li t0, C" before it. */
#define KNOWN_LOOP(name, insn, c)                                     \
    static void name(void)                                            \
    {                                                                 \
        __asm__ volatile("li t0, " #c "\n\t"                          \
                         "mv t1, %[i]\n\t"                            \
                         "mv t2, %[o]\n\t"                            \
                         "addi t3, %[i], 8 * 64\n\t"                  \
                         "1: ld t4, 0(t1)\n\t" insn " t4, t4, t0\n\t" \
                         "sd t4, 0(t2)\n\t"                           \
                         "addi t1, t1, 8\n\t"                         \
                         "addi t2, t2, 8\n\t"                         \
                         "bltu t1, t3, 1b\n\t"                        \
                         :                                            \
                         : [i] "r"(in), [o] "r"(out)                  \
                         : "t0", "t1", "t2", "t3", "t4", "memory");   \
    }

#define KNOWN_OPS(c, id)                                                \
    KNOWN_LOOP(k0_##id, "divu", c)                                      \
    KNOWN_LOOP(k1_##id, "div", c)                                       \
    KNOWN_LOOP(k2_##id, "divuw", c)                                     \
    KNOWN_LOOP(k3_##id, "divw", c)                                      \
    KNOWN_LOOP(k4_##id, "remu", c)                                      \
    KNOWN_LOOP(k5_##id, "rem", c)                                       \
    KNOWN_LOOP(k6_##id, "remuw", c)                                     \
    KNOWN_LOOP(k7_##id, "remw", c)                                      \
    static void (*const kf_##id[8])(void) = {k0_##id, k1_##id, k2_##id, \
                                             k3_##id, k4_##id, k5_##id, \
                                             k6_##id, k7_##id};

#define CONSTS(X)                 \
    X(0, c0)                      \
    X(1, c1)                      \
    X(-1, cm1)                    \
    X(2, c2)                      \
    X(-2, cm2)                    \
    X(3, c3)                      \
    X(-3, cm3)                    \
    X(7, c7)                      \
    X(10, c10)                    \
    X(13, c13)                    \
    X(37, c37)                    \
    X(-37, cm37)                  \
    X(641, c641)                  \
    X(4096, c4096)                \
    X(-4096, cm4096)              \
    X(1000000007, cbig)           \
    X(0x7fffffff, cimax)          \
    X(-2147483648, cimin)         \
    X(0x180000000, c2p31)         \
    X(0xffffffff, cumax)          \
    X(0x123456789, cwide)         \
    X(0x7fffffffffffffff, clmax)  \
    X(-0x8000000000000000, clmin) \
    X(0xfffffffffffffff1, cmbig)

CONSTS(KNOWN_OPS)

#define KNOWN_ENTRY(c, id) {(uint64_t)(c), kf_##id},
static const struct {
    uint64_t c;
    void (*const *f)(void);
} known[] = {CONSTS(KNOWN_ENTRY)};

static void fill_inputs(uint64_t seed)
{
    static const uint64_t edge[] = {0,
                                    1,
                                    2,
                                    3,
                                    UINT64_MAX,
                                    0x8000000000000000ull,
                                    0x7fffffffffffffffull,
                                    0x80000000,
                                    0x7fffffff,
                                    0xffffffff,
                                    0xffffffff80000000ull,
                                    36,
                                    37,
                                    38,
                                    -37ull,
                                    1000000007ull * 3};

    for (int i = 0; i < N; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        in[i] = i < 16 ? edge[i] : seed >> (i % 40);
    }
}

static void check_out(const char *what, int op, uint64_t c, int round)
{
    for (int i = 0; i < N; i++) {
        uint64_t want = ref(op, in[i], c);

        if (out[i] != want && fails++ < 20) {
            printf("FAIL %s %s by %#llx round %d: %#llx op: %#llx, want "
                   "%#llx\n",
                   what, op_names[op], (unsigned long long)c, round,
                   (unsigned long long)in[i], (unsigned long long)out[i],
                   (unsigned long long)want);
        }
    }
}

static void test_known(void)
{
    for (size_t k = 0; k < sizeof(known) / sizeof(known[0]); k++) {
        for (int op = 0; op < 8; op++) {
            for (int round = 0; round < 80; round++) {
                fill_inputs(k * 8 + op + round * 1000);
                known[k].f[op]();
                check_out("known", op, known[k].c, round);
            }
        }
    }
    printf("known: %zu constants x 8 operations\n",
           sizeof(known) / sizeof(known[0]));
}

/* t0 = 7 before the loop, t0 += 2 after each division: no constant. */
static void test_written(void)
{
    for (int round = 0; round < 100; round++) {
        fill_inputs(round);
        __asm__ volatile("li t0, 7\n\t"
                         "mv t1, %[i]\n\t"
                         "mv t2, %[o]\n\t"
                         "addi t3, %[i], 8 * 64\n\t"
                         "1: ld t4, 0(t1)\n\t"
                         "remu t4, t4, t0\n\t"
                         "addi t0, t0, 2\n\t"
                         "sd t4, 0(t2)\n\t"
                         "addi t1, t1, 8\n\t"
                         "addi t2, t2, 8\n\t"
                         "bltu t1, t3, 1b\n\t"
                         :
                         : [i] "r"(in), [o] "r"(out)
                         : "t0", "t1", "t2", "t3", "t4", "memory");
        for (int i = 0; i < N; i++) {
            uint64_t want = ref(4, in[i], 7 + 2 * i);

            if (out[i] != want && fails++ < 20) {
                printf("FAIL written %d: %#llx, want %#llx\n", i,
                       (unsigned long long)out[i], (unsigned long long)want);
            }
        }
    }
    printf("written: ok\n");
}

/* The divisor in a register the loop does not write. */
#define GUESS_LOOP(name, insn)                                          \
    static void name(uint64_t d)                                        \
    {                                                                   \
        __asm__ volatile("mv t1, %[i]\n\t"                              \
                         "mv t2, %[o]\n\t"                              \
                         "addi t3, %[i], 8 * 64\n\t"                    \
                         "1: ld t4, 0(t1)\n\t" insn " t4, t4, %[d]\n\t" \
                         "sd t4, 0(t2)\n\t"                             \
                         "addi t1, t1, 8\n\t"                           \
                         "addi t2, t2, 8\n\t"                           \
                         "bltu t1, t3, 1b\n\t"                          \
                         :                                              \
                         : [i] "r"(in), [o] "r"(out), [d] "r"(d)        \
                         : "t1", "t2", "t3", "t4", "memory");           \
    }

GUESS_LOOP(g0, "divu")
GUESS_LOOP(g1, "div")
GUESS_LOOP(g2, "divuw")
GUESS_LOOP(g3, "divw")
GUESS_LOOP(g4, "remu")
GUESS_LOOP(g5, "rem")
GUESS_LOOP(g6, "remuw")
GUESS_LOOP(g7, "remw")
static void (*const guess[8])(uint64_t) = {g0, g1, g2, g3, g4, g5, g6, g7};

static void test_guessed(void)
{
    static const uint64_t later[] = {37,
                                     41,
                                     0,
                                     -1ull,
                                     1,
                                     0x8000000000000000ull,
                                     0xffffffff80000000ull,
                                     3,
                                     37 + (1ull << 32),
                                     37};

    for (int op = 0; op < 8; op++) {
        for (int round = 0; round < 100; round++) {
            fill_inputs(op + round);
            guess[op](37); /* hot with 37 */
            check_out("guess-hot", op, 37, round);
        }
        for (size_t k = 0; k < sizeof(later) / sizeof(later[0]); k++) {
            fill_inputs(op * 100 + k);
            guess[op](later[k]);
            check_out("guessed", op, later[k], (int)k);
        }
    }
    printf("guessed: ok\n");
}

/* A SIGALRM handler changes t0 in the interrupted context. */
#define SIG_ITERS 20000
static volatile sig_atomic_t ticks;
static uint32_t sig_q[SIG_ITERS], sig_d[SIG_ITERS];

static void on_alarm(int sig, siginfo_t *si, void *uc_)
{
    ucontext_t *uc = uc_;

    (void)sig;
    (void)si;
    uc->uc_mcontext.__gregs[5] += 2; /* t0 */
    ticks++;
}

static void test_signal(void)
{
    struct sigaction sa;
    struct itimerval it = {{0, 500}, {0, 500}};
    int bad = 0;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_alarm;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    for (int round = 0; round < 100; round++) {
        /* q[i] = (i * 2654435761) % t0 (remuw), d[i] = t0 */
        __asm__ volatile("li t0, 13\n\t"
                         "li t1, 0\n\t"
                         "li t5, 2654435761\n\t"
                         "mv t2, %[q]\n\t"
                         "mv t3, %[d]\n\t"
                         "1: mulw t4, t1, t5\n\t"
                         "remuw t4, t4, t0\n\t"
                         "sw t4, 0(t2)\n\t"
                         "sw t0, 0(t3)\n\t"
                         "addi t1, t1, 1\n\t"
                         "addi t2, t2, 4\n\t"
                         "addi t3, t3, 4\n\t"
                         "bltu t1, %[n], 1b\n\t"
                         :
                         : [q] "r"(sig_q), [d] "r"(sig_d), [n] "r"(SIG_ITERS)
                         : "t0", "t1", "t2", "t3", "t4", "t5", "memory");
        for (uint32_t i = 0; i < SIG_ITERS; i++) {
            uint32_t x = i * 2654435761u;

            if (sig_d[i] == 0 || sig_q[i] != x % sig_d[i]) {
                bad++;
            }
        }
    }
    it = (struct itimerval){{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
    if (bad) {
        printf("FAIL signal: %d wrong quotients\n", bad);
        fails++;
    }
    printf("signal: ok\n");
}

int main(void)
{
    test_known();
    test_written();
    test_guessed();
    test_signal();
    return check_done("div-const");
}
