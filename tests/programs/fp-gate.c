/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The FP gate (target-riscv/trans_rvf.c.inc, gen_fp_gate): a TB checks
 * "NX accrued" and "frm is RNE" once, at its first fast-path operation,
 * speculating on the state it was translated in.  Each case makes hot
 * code (run with CTCG_TB_HOT=64) whose state changes after translation,
 * or changes it inside the TB:
 *   - fflags cleared between calls of a hot kernel (the gate must fail and
 *     the helper accrue NX again);
 *   - frm set to RTZ between calls (the kernel must round towards zero);
 *   - frm set to an invalid mode between calls (SIGILL at the operation);
 *   - fsflags / fsrm inside the TB after a gated operation;
 *   - a join of a path that cleared fflags with one that passed a gate;
 *   - a product that rounds up to the smallest normal, tiny and inexact
 *     (UF), with NX accrued: outside the fast path's range;
 *   - the inline fcvt.d.w / fcvt.d.wu (cvtsi2sd): only the low 32 bits of
 *     the register, signed or not, no flag.
 * Values and flags are printed for comparison with qemu-riscv64, and
 * checked against what the spec gives.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

#include "check.h"

#define NX 1u
#define UF 2u

static unsigned get_flags(void)
{
    unsigned f;

    __asm__ volatile("frflags %0" : "=r"(f));
    return f;
}

static void set_flags(unsigned f)
{
    __asm__ volatile("fsflags %0" : : "r"(f));
}

static void set_frm(unsigned rm)
{
    __asm__ volatile("fsrm %0" : : "r"(rm));
}

static uint64_t bits(double d)
{
    uint64_t u;

    memcpy(&u, &d, sizeof(u));
    return u;
}

/*
 * A hot FP loop: s = sum of x[i] * y[i] / 3 (dynamic rounding mode).  At
 * the end of iteration k (none if k < 0), frm := rm (or fflags := 0 if rm
 * is negative): the next iteration's gate finds the state changed.
 */
static __attribute__((noinline)) double kernel(const double *x, const double *y,
                                               int n, int k, int rm)
{
    double s = 0, three = 3.0;

    for (int i = 0; i < n; i++) {
        double p, q;

        __asm__ volatile("fmul.d %0, %1, %2" : "=f"(p) : "f"(x[i]), "f"(y[i]));
        __asm__ volatile("fdiv.d %0, %1, %2" : "=f"(q) : "f"(p), "f"(three));
        __asm__ volatile("fadd.d %0, %0, %1" : "+f"(s) : "f"(q));
        if (i == k && rm < 0) {
            __asm__ volatile("fsflags zero");
        } else if (i == k) {
            __asm__ volatile("fsrm %0" : : "r"(rm));
        }
    }
    return s;
}

static double xs[64], ys[64], ints[64];

/* kernel() 300 times in the state it is translated in, then with k, rm. */
static double run_kernel(const double *x, int k, int rm)
{
    double s = 0;

    set_frm(0);
    set_flags(NX);
    for (int r = 0; r <= 300; r++) {
        s = kernel(x, x == ints ? ints : ys, 64, r == 300 ? k : -1,
                   r == 300 ? rm : 0);
    }
    return s;
}

/* NX cleared in a hot TB: exact operations keep it clear, others set it. */
static void case_nx_cleared(void)
{
    double s;

    s = run_kernel(ints, 0, -1); /* i * i / 3 for i = 0, 3, 6...: exact */
    printf("exact: %016" PRIx64 " flags %u\n", bits(s), get_flags());
    CHECK("exact flags", get_flags(), 0);
    s = run_kernel(xs, 40, -1);
    printf("inexact: %016" PRIx64 " flags %u\n", bits(s), get_flags());
    CHECK("inexact flags", get_flags(), NX);
}

/* frm set to RTZ in a hot TB: the sum must differ from RNE's. */
static void case_frm_rtz(void)
{
    double rne, rtz;

    rne = run_kernel(xs, 64, 1);
    rtz = run_kernel(xs, 0, 1);
    set_frm(0);
    printf("rne %016" PRIx64 " rtz %016" PRIx64 "\n", bits(rne), bits(rtz));
    CHECK("rtz differs", bits(rne) != bits(rtz), 1);
    CHECK("rtz below", rtz < rne, 1);
}

static sigjmp_buf ill_env;
static volatile int ill_count;
static volatile uint32_t ill_insn;

/* SIGILL: note the instruction at the pc (uc_mcontext's first register). */
static void on_sigill(int sig, siginfo_t *si, void *uc)
{
    uint32_t insn;

    (void)sig;
    (void)si;
    memcpy(&insn, (void *)((ucontext_t *)uc)->uc_mcontext.__gregs[0], 4);
    ill_insn = insn;
    ill_count++;
    siglongjmp(ill_env, 1);
}

/* An invalid frm (5) set in a hot TB: the next operation is illegal. */
static void case_frm_invalid(void)
{
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_sigill;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGILL, &sa, NULL);
    if (!sigsetjmp(ill_env, 1)) {
        run_kernel(xs, 10, 5);
    }
    set_frm(0);
    printf("invalid frm: %d SIGILL\n", ill_count);
    CHECK("invalid frm SIGILL", ill_count, 1);
    /* at the first operation after the change: fmul.d, not fdiv.d */
    CHECK("invalid frm at fmul.d", ill_insn & 0xfe00007f, 0x12000053);
}

static void warm_up(void)
{
    run_kernel(xs, -1, 0);
}

/* fsflags / fsrm inside the TB, after an operation that passed a gate. */
static void case_csr_in_tb(void)
{
    unsigned f = 0, bad = 0;
    uint64_t q = 0;
    double want;

    warm_up();
    for (int r = 0; r < 300; r++) {
        double p, d;

        /* 0.1 * 0.1 and 1 / 10 are inexact; RNE rounds 1 / 10 up */
        __asm__ volatile("fmul.d %1, %3, %4\n\t"
                         "fsflags zero\n\t"
                         "fmul.d %1, %4, %4\n\t"
                         "frflags %0\n\t"
                         "fsrm %5\n\t"
                         "fdiv.d %2, %6, %7\n\t"
                         "fsrm zero"
                         : "=&r"(f), "=&f"(p), "=&f"(d)
                         : "f"(xs[r % 64]), "f"(0.1), "r"(1), "f"(1.0),
                           "f"(10.0));
        bad += f != NX;
        q = bits(d);
        (void)p;
    }
    __asm__ volatile("fdiv.d %0, %1, %2, rtz"
                     : "=f"(want)
                     : "f"(1.0), "f"(10.0));
    printf("csr in tb: flags %u, last rtz quotient %016" PRIx64 "\n", f, q);
    CHECK("fsflags in tb", bad, 0);
    CHECK("fsrm in tb", q, bits(want));
    CHECK("rtz quotient differs", q != bits(0.1), 1);
}

/*
 * A join of a path that passed a gate with one that did not, in a hot
 * loop entered with NX clear: iteration 0 is exact (1 * 1) and runs
 * before the loop's TB, iteration 1 enters it and takes the path without
 * the gate (odd r), and the operation after the join must still check NX.
 * Counts the iterations after the first whose flags are not NX.
 */
static __attribute__((noinline)) unsigned join_loop(const double *v, int n)
{
    unsigned bad = 0;

    for (int r = 0; r < n; r++) {
        unsigned f;
        double p;

        __asm__ volatile("bnez %2, 1f\n\t"
                         "fmul.d %1, %3, %3\n"
                         "1:\n\t"
                         "fmul.d %1, %3, %3\n\t"
                         "frflags %0"
                         : "=&r"(f), "=&f"(p)
                         : "r"(r & 1), "f"(v[r]));
        bad += r > 0 && f != NX;
        (void)p;
    }
    return bad;
}

static void case_join(void)
{
    static const double v[8] = {1.0, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    unsigned bad = 0;

    set_flags(NX);
    for (int r = 0; r < 300; r++) {
        bad += join_loop(v, 8);
    }
    for (int r = 0; r < 20; r++) {
        set_flags(0);
        bad += join_loop(v, 8);
    }
    printf("join: %u bad\n", bad);
    CHECK("join flags", bad, 0);
}

/* (1 - 2^-53) * 2^-1022 rounds up to 2^-1022: tiny after rounding, UF. */
static void case_tiny(void)
{
    uint64_t a = 0x3fefffffffffffffull, b = 0x0010000000000000ull, r = 0;
    unsigned bad = 0, f = 0;

    warm_up();
    for (int i = 0; i < 300; i++) {
        double x, y, p;

        memcpy(&x, &a, 8);
        memcpy(&y, &b, 8);
        set_flags(NX);
        __asm__ volatile("fmul.d %0, %1, %2" : "=f"(p) : "f"(x), "f"(y));
        f = get_flags();
        r = bits(p);
        bad += f != (NX | UF);
    }
    printf("tiny: %016" PRIx64 " flags %u\n", r, f);
    CHECK("tiny flags", bad, 0);
    CHECK("tiny result", r, b);
}

/* fcvt.d.w / fcvt.d.wu of registers with garbage in the high half. */
static void case_cvt(void)
{
    static const uint64_t x[] = {
        0,
        1,
        0xffffffffffffffffull,
        0xdeadbeef00000005ull,
        0x0000000180000000ull,
        0x7fffffff7fffffffull,
        0x00000000ffffffffull,
        0xffffffff12345678ull,
    };
    /* (double)(int32_t)x, (double)(uint32_t)x: constants, not fcvt */
    static const uint64_t want[][2] = {
        {0x0000000000000000ull, 0x0000000000000000ull},
        {0x3ff0000000000000ull, 0x3ff0000000000000ull},
        {0xbff0000000000000ull, 0x41efffffffe00000ull},
        {0x4014000000000000ull, 0x4014000000000000ull},
        {0xc1e0000000000000ull, 0x41e0000000000000ull},
        {0x41dfffffffc00000ull, 0x41dfffffffc00000ull},
        {0xbff0000000000000ull, 0x41efffffffe00000ull},
        {0x41b2345678000000ull, 0x41b2345678000000ull},
    };
    unsigned bad = 0, f = 0;

    for (int r = 0; r < 300; r++) {
        for (unsigned i = 0; i < sizeof(x) / sizeof(x[0]); i++) {
            double w, wu;

            set_flags(0);
            __asm__ volatile("fcvt.d.w %0, %2\n\t"
                             "fcvt.d.wu %1, %2"
                             : "=&f"(w), "=&f"(wu)
                             : "r"(x[i]));
            f |= get_flags();
            bad += bits(w) != want[i][0];
            bad += bits(wu) != want[i][1];
            if (r == 0) {
                printf("cvt %016" PRIx64 ": %016" PRIx64 " %016" PRIx64 "\n",
                       x[i], bits(w), bits(wu));
            }
        }
    }
    CHECK("cvt results", bad, 0);
    CHECK("cvt flags", f, 0);
}

int main(void)
{
    for (int i = 0; i < 64; i++) {
        xs[i] = 1.0 + i / 10.0;
        ys[i] = 0.7 + i / 7.0;
        ints[i] = 3.0 * i;
    }
    case_nx_cleared();
    case_frm_rtz();
    case_frm_invalid();
    case_csr_in_tb();
    case_join();
    case_tiny();
    case_cvt();
    return check_done("fp-gate");
}
