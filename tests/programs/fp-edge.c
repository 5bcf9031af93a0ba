/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FP special values and out-of-range conversions, printed bit for bit
 * with fflags for comparison with qemu-riscv64, and checked against the
 * RISC-V spec's results for the conversions.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static unsigned get_flags(void)
{
    unsigned f;

    __asm__ volatile("frflags %0" : "=r"(f));
    return f;
}

static void clear_flags(void)
{
    __asm__ volatile("fsflags zero");
}

static uint64_t bits(double d)
{
    uint64_t u;

    memcpy(&u, &d, 8);
    return u;
}

static double from_bits(uint64_t u)
{
    double d;

    memcpy(&d, &u, 8);
    return d;
}

static int fails;

#define CVT(name, type, insn)                                                  \
    static type name(double x)                                                 \
    {                                                                          \
        type r;                                                                \
        __asm__ volatile(insn " %0, %1, rtz" : "=r"(r) : "f"(x));              \
        return r;                                                              \
    }

CVT(cvt_w, int64_t, "fcvt.w.d")
CVT(cvt_wu, int64_t, "fcvt.wu.d")
CVT(cvt_l, int64_t, "fcvt.l.d")
CVT(cvt_lu, uint64_t, "fcvt.lu.d")

static void check_cvt(const char *what, double x, int64_t got, int64_t want,
                      unsigned want_flags)
{
    unsigned f = get_flags();

    printf("%-9s %016" PRIx64 " -> %016" PRIx64 " flags %02x\n", what,
           bits(x), (uint64_t)got, f);
    if (got != want || f != want_flags) {
        printf("  FAIL: want %016" PRIx64 " flags %02x\n", (uint64_t)want,
               want_flags);
        fails++;
    }
    clear_flags();
}

int main(void)
{
    const double nan = from_bits(0x7ff8000000000000ull);
    const double snan = from_bits(0x7ff0000000000001ull);
    const double vals[] = {0.0, -0.0, 1.0, -1.5, INFINITY, -INFINITY, nan,
                           snan, 5e-324, 1.7976931348623157e308};

    clear_flags();
    check_cvt("fcvt.w", nan, cvt_w(nan), INT32_MAX, 0x10);
    check_cvt("fcvt.w", 3e9, cvt_w(3e9), INT32_MAX, 0x10);
    check_cvt("fcvt.w", -3e9, cvt_w(-3e9), INT32_MIN, 0x10);
    check_cvt("fcvt.w", -0.5, cvt_w(-0.5), 0, 0x01);
    check_cvt("fcvt.wu", -1.0, cvt_wu(-1.0), 0, 0x10);
    check_cvt("fcvt.wu", -0.5, cvt_wu(-0.5), 0, 0x01);
    check_cvt("fcvt.wu", 5e9, cvt_wu(5e9), -1, 0x10);
    check_cvt("fcvt.wu", INFINITY, cvt_wu(INFINITY), -1, 0x10);
    check_cvt("fcvt.l", -INFINITY, cvt_l(-INFINITY), INT64_MIN, 0x10);
    check_cvt("fcvt.l", 9.3e18, cvt_l(9.3e18), INT64_MAX, 0x10);
    check_cvt("fcvt.lu", 1.9e19, (int64_t)cvt_lu(1.9e19), -1, 0x10);
    check_cvt("fcvt.lu", nan, (int64_t)cvt_lu(nan), -1, 0x10);
    /* Arithmetic on special values: result bits and flags. */
    for (unsigned i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        for (unsigned j = 0; j < sizeof(vals) / sizeof(vals[0]); j++) {
            volatile double a = vals[i], b = vals[j];
            double s, p, q;
            unsigned fs, fp, fq;

            clear_flags();
            s = a + b;
            fs = get_flags();
            clear_flags();
            p = a * b;
            fp = get_flags();
            clear_flags();
            q = a / b;
            fq = get_flags();
            printf("%016" PRIx64 " %016" PRIx64 ": + %016" PRIx64
                   " %02x  * %016" PRIx64 " %02x  / %016" PRIx64 " %02x\n",
                   bits(a), bits(b), bits(s), fs, bits(p), fp, bits(q), fq);
        }
    }
    printf("fp-edge: %s\n", fails ? "FAILED" : "ok");
    return fails != 0;
}
