/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for target-riscv/divconst.c: division by a constant as a
 * multiply-high sequence.  divconst_eval() runs the same steps as the IR
 * that gen_div_const emits; every one of the eight M-extension division
 * instructions is checked against a reference written from the spec's
 * table (plain C division with the divide-by-zero and overflow rules),
 * for edge divisors (0, +-1, powers of two and their neighbours, the
 * extremes, the divisors compilers emit) and edge dividends (0, +-1, the
 * extremes, multiples of the divisor and their neighbours), then for
 * pseudo-random pairs from a fixed seed, then for every dividend below 4096
 * of every divisor up to 300.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "target-riscv/divconst.h"
#include "tests/unit/xorshift.h"

/* The eight instructions, by (sign, w, rem). */
static uint64_t ref_div(uint64_t a, uint64_t b, bool sign, bool w, bool rem)
{
    uint64_t r;

    if (w) {
        a = sign ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
        b = sign ? (uint64_t)(int64_t)(int32_t)b : (uint32_t)b;
    }
    if (b == 0) {
        r = rem ? a : UINT64_MAX;
    } else if (!sign) {
        r = rem ? a % b : a / b;
    } else if ((int64_t)a == INT64_MIN && (int64_t)b == -1) {
        r = rem ? 0 : a;
    } else {
        r = rem ? (uint64_t)((int64_t)a % (int64_t)b)
                : (uint64_t)((int64_t)a / (int64_t)b);
    }
    return w ? (uint64_t)(int64_t)(int32_t)r : r;
}

static uint64_t const_div(uint64_t a, uint64_t b, bool sign, bool w, bool rem)
{
    DivConstPlan p;
    uint64_t r;

    divconst_plan(&p, b, sign, w);
    if (w) {
        a = sign ? (uint64_t)(int64_t)(int32_t)a : (uint32_t)a;
    }
    r = divconst_eval(&p, a, rem);
    return w ? (uint64_t)(int64_t)(int32_t)r : r;
}

static int failures;

static void check_pair(uint64_t a, uint64_t b)
{
    for (int k = 0; k < 8; k++) {
        bool sign = k & 1, w = k & 2, rem = k & 4;
        uint64_t want = ref_div(a, b, sign, w, rem);
        uint64_t got = const_div(a, b, sign, w, rem);

        if (want != got && failures++ < 20) {
            print_error("%s%s%s %#llx / %#llx: %#llx, want %#llx\n",
                        rem ? "rem" : "div", sign ? "" : "u", w ? "w" : "",
                        (unsigned long long)a, (unsigned long long)b,
                        (unsigned long long)got, (unsigned long long)want);
        }
    }
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    return xorshift64(&rng);
}

static int edge_divisors(uint64_t *out)
{
    static const uint64_t fixed[] = {
        0,
        1,
        2,
        3,
        5,
        6,
        7,
        9,
        10,
        11,
        12,
        13,
        25,
        37,
        100,
        641,
        1000,
        1000000007,
        0x7fffffff,
        0x80000000,
        0x80000001,
        0xffffffff,
        0x100000000,
        0x100000001,
        INT64_MAX,
        1ull << 63,
        UINT64_MAX,
        0xfffffffffffffffe,
        0x5555555555555555ull,
        0xaaaaaaaaaaaaaaabull,
    };
    int n = 0;

    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        out[n++] = fixed[i];
        out[n++] = -fixed[i];
    }
    for (int s = 1; s < 64; s++) {
        out[n++] = (1ull << s) - 1;
        out[n++] = (1ull << s) + 1;
        out[n++] = -(1ull << s);
        out[n++] = -((1ull << s) + 1);
        out[n++] = 1ull << s;
    }
    return n;
}

static void test_divconst_edges(void **state)
{
    uint64_t d[512];
    int nd = edge_divisors(d);

    (void)state;
    failures = 0;
    for (int i = 0; i < nd; i++) {
        uint64_t b = d[i];
        uint64_t bw = (uint64_t)(int64_t)(int32_t)b;
        uint64_t base[] = {0,
                           1,
                           2,
                           UINT64_MAX,
                           INT64_MAX,
                           1ull << 63,
                           0x7fffffff,
                           0x80000000,
                           0xffffffff,
                           0x100000000,
                           b,
                           b * 2,
                           b * 3,
                           bw,
                           bw * 5,
                           b * 0x7fffffff,
                           (uint32_t)b * 0xffffull,
                           INT64_MAX / (b | 1) * b};

        for (size_t j = 0; j < sizeof(base) / sizeof(base[0]); j++) {
            for (int delta = -2; delta <= 2; delta++) {
                check_pair(base[j] + delta, b);
                check_pair(-(base[j] + delta), b);
            }
        }
    }
    assert_int_equal(failures, 0);
}

static void test_divconst_random(void **state)
{
    (void)state;
    failures = 0;
    for (int i = 0; i < 200000; i++) {
        uint64_t a = next(), b = next();
        int bits = next() % 64;

        b >>= bits; /* divisors of every size */
        if (next() & 1) {
            b = -b;
        }
        check_pair(a, b);
        check_pair(a >> (next() % 64), b);
        check_pair(a, b & 0xffff);
    }
    assert_int_equal(failures, 0);
}

static void test_divconst_small_exhaustive(void **state)
{
    (void)state;
    failures = 0;
    for (uint64_t b = 1; b <= 300; b++) {
        for (uint64_t a = 0; a < 4096; a++) {
            check_pair(a, b);
            check_pair(-a, b);
            check_pair(a, -b);
        }
    }
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_divconst_edges),
        cmocka_unit_test(test_divconst_random),
        cmocka_unit_test(test_divconst_small_exhaustive),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
