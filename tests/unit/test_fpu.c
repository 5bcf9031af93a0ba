/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for target-riscv/fpu: the RISC-V F/D arithmetic library.
 *
 * Hand-checked cases cover special values, rounding ties in every mode
 * (RMM ties away from zero), overflow and underflow (tininess after
 * rounding), the RISC-V NaN rules, min/max, comparisons, fclass, NaN
 * boxing and the conversion edge cases.  The expected values were worked
 * out by hand from IEEE 754 and the RISC-V spec, and agree with QEMU 7.2
 * (tests/fpu-oracle compares against it on millions of cases).
 *
 * test_fpu_fast_path_matches_soft then checks that the public functions
 * (which take the host fast path where they can, see fpu.c) and the
 * software path (softfloat.c) agree bit for bit, flags included, on
 * random and special operands from a fixed seed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "target-riscv/fpu/fpu.h"
#include "target-riscv/fpu/softfloat.h"

#define NX FPU_FLAG_NX
#define UF FPU_FLAG_UF
#define OF FPU_FLAG_OF
#define DZ FPU_FLAG_DZ
#define NV FPU_FLAG_NV

enum {
    RNE,
    RTZ,
    RDN,
    RUP,
    RMM
};

/* binary32 */
#define S_ONE 0x3f800000u
#define S_TWO 0x40000000u
#define S_HALF 0x3f000000u
#define S_INF 0x7f800000u
#define S_NINF 0xff800000u
#define S_QNAN 0x7fc00000u
#define S_QNANP 0x7fc12345u /* quiet, with payload */
#define S_SNAN 0x7f800001u
#define S_NSNAN 0xffa00000u
#define S_MINSUB 0x00000001u
#define S_MAXSUB 0x007fffffu
#define S_MINNORM 0x00800000u
#define S_MAXNORM 0x7f7fffffu
#define S_NZERO 0x80000000u
/* binary64 */
#define D_ONE 0x3ff0000000000000ull
#define D_TWO 0x4000000000000000ull
#define D_INF 0x7ff0000000000000ull
#define D_NINF 0xfff0000000000000ull
#define D_QNAN 0x7ff8000000000000ull
#define D_QNANP 0xfff8000000abcdefull
#define D_SNAN 0x7ff0000000000001ull
#define D_MINSUB 0x0000000000000001ull
#define D_MAXSUB 0x000fffffffffffffull
#define D_MINNORM 0x0010000000000000ull
#define D_MAXNORM 0x7fefffffffffffffull
#define D_NZERO 0x8000000000000000ull

static int failures;

static void check(uint64_t got, uint32_t gotfl, uint64_t exp, uint32_t expfl,
                  const char *what, int rm, int line)
{
    if (got != exp || gotfl != expfl) {
        print_error("line %d rm %d: %s\n  got %#llx flags %#x, "
                    "expected %#llx flags %#x\n",
                    line, rm, what, (unsigned long long)got, gotfl,
                    (unsigned long long)exp, expfl);
        failures++;
    }
}

/* Evaluate CALL (which uses rm and &fl) and compare result and flags. */
#define T(call, er, ef)                                 \
    do {                                                \
        uint32_t fl = 0;                                \
        uint64_t r_ = (call);                           \
        check(r_, fl, (er), (ef), #call, rm, __LINE__); \
    } while (0)

/* The same call in all five modes, with per-mode results and flags. */
#define T5(call, r0, r1, r2, r3, r4, ef)               \
    do {                                               \
        const uint64_t exp_[5] = {r0, r1, r2, r3, r4}; \
        for (int rm = 0; rm < 5; rm++) {               \
            T(call, exp_[rm], ef);                     \
        }                                              \
    } while (0)

/* The same call in all five modes, one result. */
#define TALL(call, er, ef) T5(call, er, er, er, er, er, ef)

#define DONE()                   \
    do {                         \
        int f_ = failures;       \
        failures = 0;            \
        assert_int_equal(f_, 0); \
    } while (0)

static void test_fpu_nan_boxing(void **state)
{
    (void)state;
    assert_true(fpu_box_s(S_ONE) == 0xffffffff3f800000ull);
    assert_int_equal(fpu_unbox_s(0xffffffff3f800000ull), S_ONE);
    assert_int_equal(fpu_unbox_s(0xffffffff7f800001ull), S_SNAN);
    assert_int_equal(fpu_unbox_s(0x000000003f800000ull), S_QNAN);
    assert_int_equal(fpu_unbox_s(0xfffffffe3f800000ull), S_QNAN);
    assert_int_equal(fpu_unbox_s(0x7fffffff3f800000ull), S_QNAN);
    assert_int_equal(fpu_unbox_s(D_ONE), S_QNAN);
}

static void test_fpu_add_sub_specials(void **state)
{
    (void)state;
    /* signed zeros: x - x is +0, except -0 in RDN */
    T5(fpu_sub_s(S_ONE, S_ONE, rm, &fl), 0, 0, S_NZERO, 0, 0, 0);
    T5(fpu_add_d(D_ONE, D_ONE | D_NZERO, rm, &fl), 0, 0, D_NZERO, 0, 0, 0);
    TALL(fpu_add_s(S_NZERO, S_NZERO, rm, &fl), S_NZERO, 0);
    T5(fpu_add_s(S_NZERO, 0, rm, &fl), 0, 0, S_NZERO, 0, 0, 0);
    TALL(fpu_sub_d(D_NZERO, 0, rm, &fl), D_NZERO, 0);
    TALL(fpu_add_s(0, S_MINSUB, rm, &fl), S_MINSUB, 0);
    TALL(fpu_add_d(D_NZERO, D_MAXSUB, rm, &fl), D_MAXSUB, 0);
    /* subnormal sums are exact, even into the normal range */
    TALL(fpu_add_s(S_MAXSUB, S_MINSUB, rm, &fl), S_MINNORM, 0);
    TALL(fpu_sub_d(D_MINNORM, D_MINSUB, rm, &fl), D_MAXSUB, 0);
    /* infinities */
    TALL(fpu_add_s(S_INF, S_MAXNORM, rm, &fl), S_INF, 0);
    TALL(fpu_sub_d(D_MAXNORM, D_INF, rm, &fl), D_NINF, 0);
    TALL(fpu_add_s(S_INF, S_NINF, rm, &fl), S_QNAN, NV);
    TALL(fpu_sub_d(D_INF, D_INF, rm, &fl), D_QNAN, NV);
    TALL(fpu_add_d(D_INF, D_INF, rm, &fl), D_INF, 0);
    /* NaNs: canonical result, NV only for signaling */
    TALL(fpu_add_s(S_QNANP, S_ONE, rm, &fl), S_QNAN, 0);
    TALL(fpu_add_s(S_ONE, S_SNAN, rm, &fl), S_QNAN, NV);
    TALL(fpu_sub_s(S_NSNAN, S_QNANP, rm, &fl), S_QNAN, NV);
    TALL(fpu_add_d(D_QNANP, D_INF, rm, &fl), D_QNAN, 0);
    TALL(fpu_sub_d(D_SNAN, D_ONE, rm, &fl), D_QNAN, NV);
    DONE();
}

static void test_fpu_add_rounding_ties(void **state)
{
    (void)state;
    /* 1 + 2^-24: a tie between 1 and 1 + ulp (even) */
    T5(fpu_add_s(S_ONE, 0x33800000, rm, &fl), S_ONE, S_ONE, S_ONE, 0x3f800001,
       0x3f800001, NX);
    /* (1 + ulp) + 2^-24: a tie between odd and even */
    T5(fpu_add_s(0x3f800001, 0x33800000, rm, &fl), 0x3f800002, 0x3f800001,
       0x3f800001, 0x3f800002, 0x3f800002, NX);
    /* negative: RDN/RUP swap, RMM still away from zero */
    T5(fpu_add_s(0xbf800000, 0xb3800000, rm, &fl), 0xbf800000, 0xbf800000,
       0xbf800001, 0xbf800000, 0xbf800001, NX);
    /* just above and below a tie */
    T5(fpu_add_s(S_ONE, 0x33800001, rm, &fl), 0x3f800001, S_ONE, S_ONE,
       0x3f800001, 0x3f800001, NX);
    T5(fpu_sub_s(0x3f800001, 0x337fffff, rm, &fl), 0x3f800001, S_ONE, S_ONE,
       0x3f800001, 0x3f800001, NX);
    /* binary64: 1 + 2^-53 and (1 + ulp) + 2^-53 */
    T5(fpu_add_d(D_ONE, 0x3ca0000000000000ull, rm, &fl), D_ONE, D_ONE, D_ONE,
       D_ONE + 1, D_ONE + 1, NX);
    T5(fpu_add_d(D_ONE + 1, 0x3ca0000000000000ull, rm, &fl), D_ONE + 2,
       D_ONE + 1, D_ONE + 1, D_ONE + 2, D_ONE + 2, NX);
    T5(fpu_sub_d(D_NZERO | D_ONE, 0x3ca0000000000000ull, rm, &fl),
       D_NZERO | D_ONE, D_NZERO | D_ONE, D_NZERO | (D_ONE + 1), D_NZERO | D_ONE,
       D_NZERO | (D_ONE + 1), NX);
    /* exact */
    TALL(fpu_add_s(S_ONE, S_ONE, rm, &fl), S_TWO, 0);
    TALL(fpu_add_d(D_ONE, D_ONE, rm, &fl), D_TWO, 0);
    DONE();
}

static void test_fpu_mul_div_sqrt(void **state)
{
    (void)state;
    /* 1.5 * (1 + 2^-23) = 1.5 + 2^-23 + 2^-24: a tie, odd below */
    T5(fpu_mul_s(0x3fc00000, 0x3f800001, rm, &fl), 0x3fc00002, 0x3fc00001,
       0x3fc00001, 0x3fc00002, 0x3fc00002, NX);
    T5(fpu_mul_d(0xbff8000000000000ull, D_ONE + 1, rm, &fl),
       0xbff8000000000002ull, 0xbff8000000000001ull, 0xbff8000000000002ull,
       0xbff8000000000001ull, 0xbff8000000000002ull, NX);
    TALL(fpu_mul_s(S_INF, 0, rm, &fl), S_QNAN, NV);
    TALL(fpu_mul_d(D_NZERO, D_NINF, rm, &fl), D_QNAN, NV);
    TALL(fpu_mul_s(S_NZERO, S_ONE, rm, &fl), S_NZERO, 0);
    TALL(fpu_mul_d(D_NINF, D_MINSUB, rm, &fl), D_NINF, 0);
    /* 1/3 */
    T5(fpu_div_s(S_ONE, 0x40400000, rm, &fl), 0x3eaaaaab, 0x3eaaaaaa,
       0x3eaaaaaa, 0x3eaaaaab, 0x3eaaaaab, NX);
    T5(fpu_div_d(D_NZERO | D_ONE, 0x4008000000000000ull, rm, &fl),
       0xbfd5555555555555ull, 0xbfd5555555555555ull, 0xbfd5555555555556ull,
       0xbfd5555555555555ull, 0xbfd5555555555555ull, NX);
    TALL(fpu_div_s(S_ONE, 0, rm, &fl), S_INF, DZ);
    TALL(fpu_div_d(D_NZERO | D_ONE, 0, rm, &fl), D_NINF, DZ);
    TALL(fpu_div_s(S_INF, 0, rm, &fl), S_INF, 0);
    TALL(fpu_div_s(0, 0, rm, &fl), S_QNAN, NV);
    TALL(fpu_div_d(D_INF, D_NINF, rm, &fl), D_QNAN, NV);
    TALL(fpu_div_d(D_ONE, D_INF, rm, &fl), 0, 0);
    TALL(fpu_div_s(S_QNANP, 0, rm, &fl), S_QNAN, 0);
    TALL(fpu_div_d(D_ONE, D_SNAN, rm, &fl), D_QNAN, NV);
    /* sqrt(2) = 1.41421356..., 0x3fb504f3 is below it */
    T5(fpu_sqrt_s(S_TWO, rm, &fl), 0x3fb504f3, 0x3fb504f3, 0x3fb504f3,
       0x3fb504f4, 0x3fb504f3, NX);
    T5(fpu_sqrt_d(D_TWO, rm, &fl), 0x3ff6a09e667f3bcdull, 0x3ff6a09e667f3bccull,
       0x3ff6a09e667f3bccull, 0x3ff6a09e667f3bcdull, 0x3ff6a09e667f3bcdull, NX);
    TALL(fpu_sqrt_s(0x40800000, rm, &fl), S_TWO, 0);
    TALL(fpu_sqrt_d(0x3fd0000000000000ull, rm, &fl), 0x3fe0000000000000ull, 0);
    TALL(fpu_sqrt_s(S_NZERO, rm, &fl), S_NZERO, 0);
    TALL(fpu_sqrt_d(D_INF, rm, &fl), D_INF, 0);
    TALL(fpu_sqrt_s(0xbf800000, rm, &fl), S_QNAN, NV);
    TALL(fpu_sqrt_d(D_NINF, rm, &fl), D_QNAN, NV);
    TALL(fpu_sqrt_d(D_MINSUB | D_NZERO, rm, &fl), D_QNAN, NV);
    TALL(fpu_sqrt_s(S_SNAN, rm, &fl), S_QNAN, NV);
    /* sqrt(2^-1074) = 2^-537 */
    TALL(fpu_sqrt_d(D_MINSUB, rm, &fl), 0x1e60000000000000ull, 0);
    DONE();
}

static void test_fpu_overflow(void **state)
{
    (void)state;
    /* max * 2: inf or max finite depending on mode and sign */
    T5(fpu_mul_s(S_MAXNORM, S_TWO, rm, &fl), S_INF, S_MAXNORM, S_MAXNORM, S_INF,
       S_INF, OF | NX);
    T5(fpu_mul_s(S_MAXNORM | S_NZERO, S_TWO, rm, &fl), S_NINF,
       S_MAXNORM | S_NZERO, S_NINF, S_MAXNORM | S_NZERO, S_NINF, OF | NX);
    T5(fpu_add_d(D_MAXNORM, D_MAXNORM, rm, &fl), D_INF, D_MAXNORM, D_MAXNORM,
       D_INF, D_INF, OF | NX);
    /*
     * max + half an ulp: a tie, RNE goes to inf (max is odd).  Rounded
     * toward zero it does not overflow at all.
     */
    for (int rm = 0; rm < 5; rm++) {
        if (rm == RTZ || rm == RDN) {
            T(fpu_add_d(D_MAXNORM, 0x7c90000000000000ull, rm, &fl), D_MAXNORM,
              NX);
        } else {
            T(fpu_add_d(D_MAXNORM, 0x7c90000000000000ull, rm, &fl), D_INF,
              OF | NX);
        }
    }
    /* max + a quarter ulp: overflow only in RUP */
    for (int rm = 0; rm < 5; rm++) {
        if (rm == RUP) {
            T(fpu_add_s(S_MAXNORM, 0x72800000, rm, &fl), S_INF, OF | NX);
        } else {
            T(fpu_add_s(S_MAXNORM, 0x72800000, rm, &fl), S_MAXNORM, NX);
        }
    }
    T5(fpu_div_d(D_MAXNORM, 0x3fe0000000000000ull, rm, &fl), D_INF, D_MAXNORM,
       D_MAXNORM, D_INF, D_INF, OF | NX);
    DONE();
}

static void test_fpu_underflow_after_rounding(void **state)
{
    (void)state;
    /*
     * (1 - 2^-24) * 2^-126 is exact with an unbounded exponent, so tiny;
     * as a subnormal it is a tie, rounding up (to even) to the smallest
     * normal: UF is raised although the result is normal.
     */
    T5(fpu_mul_s(0x3f7fffff, S_MINNORM, rm, &fl), S_MINNORM, S_MAXSUB, S_MAXSUB,
       S_MINNORM, S_MINNORM, UF | NX);
    T5(fpu_mul_d(0x3fefffffffffffffull, D_MINNORM, rm, &fl), D_MINNORM,
       D_MAXSUB, D_MAXSUB, D_MINNORM, D_MINNORM, UF | NX);
    /* the same value (1 - 2^-24) * 2^-126, from binary64 */
    T5(fpu_cvt_s_d(0x380fffffe0000000ull, rm, &fl), S_MINNORM, S_MAXSUB,
       S_MAXSUB, S_MINNORM, S_MINNORM, UF | NX);
    /*
     * (1 - 2^-25) * 2^-126 rounds to 2^-126 with an unbounded exponent
     * in RNE/RUP/RMM: not tiny, NX only.  Rounded down it is tiny.
     */
    for (int rm = 0; rm < 5; rm++) {
        if (rm == RTZ || rm == RDN) {
            T(fpu_cvt_s_d(0x380ffffff0000000ull, rm, &fl), S_MAXSUB, UF | NX);
        } else {
            T(fpu_cvt_s_d(0x380ffffff0000000ull, rm, &fl), S_MINNORM, NX);
        }
    }
    /* half the smallest subnormal: a tie with zero */
    T5(fpu_mul_s(S_MINSUB, S_HALF, rm, &fl), 0, 0, 0, S_MINSUB, S_MINSUB,
       UF | NX);
    T5(fpu_mul_d(D_MINSUB | D_NZERO, 0x3fe0000000000000ull, rm, &fl), D_NZERO,
       D_NZERO, D_NZERO | D_MINSUB, D_NZERO, D_NZERO | D_MINSUB, UF | NX);
    /* exact subnormal results raise nothing */
    TALL(fpu_mul_s(S_MINNORM, S_HALF, rm, &fl), 0x00400000, 0);
    TALL(fpu_div_d(D_MINNORM, D_TWO, rm, &fl), 0x0008000000000000ull, 0);
    /* min subnormal / 3 */
    T5(fpu_div_s(S_MINSUB, 0x40400000, rm, &fl), 0, 0, 0, S_MINSUB, 0, UF | NX);
    DONE();
}

static void test_fpu_fused_multiply_add(void **state)
{
    (void)state;
    /*
     * single rounding: (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24 exactly (a
     * separately rounded product would lose the 2^-24)
     */
    TALL(fpu_madd_s(0x3f800800, 0x3f800800, 0xbf800000, rm, &fl), 0x3a000400,
         0);
    TALL(fpu_msub_s(0x3f800800, 0x3f800800, S_ONE, rm, &fl), 0x3a000400, 0);
    TALL(fpu_nmsub_s(0x3f800800, 0x3f800800, S_ONE, rm, &fl), 0xba000400, 0);
    TALL(fpu_nmadd_s(0x3f800800, 0x3f800800, 0xbf800000, rm, &fl), 0xba000400,
         0);
    /* (1 + 2^-23)^2 - 1 = 2^-22 + 2^-46: a tie */
    T5(fpu_madd_s(0x3f800001, 0x3f800001, 0xbf800000, rm, &fl), 0x34800000,
       0x34800000, 0x34800000, 0x34800001, 0x34800001, NX);
    /* 1.5 * (1 + 2^-23) + 0: the product tie of test_fpu_mul_div_sqrt */
    T5(fpu_madd_s(0x3fc00000, 0x3f800001, S_NZERO, rm, &fl), 0x3fc00002,
       0x3fc00001, 0x3fc00001, 0x3fc00002, 0x3fc00002, NX);
    /* exact cancellation: +0, or -0 in RDN; nmadd is -(a*b) - c */
    T5(fpu_madd_d(0x3ff8000000000000ull, D_TWO, 0xc008000000000000ull, rm, &fl),
       0, 0, D_NZERO, 0, 0, 0);
    TALL(fpu_nmadd_d(0x3ff8000000000000ull, D_TWO, 0x4008000000000000ull, rm,
                     &fl),
         0xc018000000000000ull, 0);
    T5(fpu_nmadd_d(0x3ff8000000000000ull, D_TWO, 0xc008000000000000ull, rm,
                   &fl),
       0, 0, D_NZERO, 0, 0, 0);
    /* zero product plus zero */
    T5(fpu_madd_s(0, S_ONE, S_NZERO, rm, &fl), 0, 0, S_NZERO, 0, 0, 0);
    TALL(fpu_madd_s(S_NZERO, S_ONE, S_NZERO, rm, &fl), S_NZERO, 0);
    TALL(fpu_nmsub_s(0, S_ONE, S_NZERO, rm, &fl), S_NZERO, 0);
    /* zero product plus a number gives the number exactly */
    TALL(fpu_madd_d(0, D_ONE, D_MINSUB, rm, &fl), D_MINSUB, 0);
    /* invalid: inf * 0, also with a quiet NaN addend (RISC-V) */
    TALL(fpu_madd_s(S_INF, 0, S_ONE, rm, &fl), S_QNAN, NV);
    TALL(fpu_madd_s(0, S_NINF, S_QNANP, rm, &fl), S_QNAN, NV);
    TALL(fpu_nmadd_d(D_INF, D_NZERO, D_QNAN, rm, &fl), D_QNAN, NV);
    TALL(fpu_madd_d(D_INF, D_ONE, D_NINF, rm, &fl), D_QNAN, NV);
    TALL(fpu_msub_d(D_INF, D_ONE, D_INF, rm, &fl), D_QNAN, NV);
    TALL(fpu_madd_d(D_INF, D_ONE, D_INF, rm, &fl), D_INF, 0);
    TALL(fpu_madd_s(S_ONE, S_ONE, S_NINF, rm, &fl), S_NINF, 0);
    TALL(fpu_madd_s(S_QNANP, S_ONE, S_ONE, rm, &fl), S_QNAN, 0);
    TALL(fpu_madd_s(S_ONE, S_ONE, S_SNAN, rm, &fl), S_QNAN, NV);
    /* overflow and underflow with one rounding */
    TALL(fpu_madd_s(S_MAXNORM, S_TWO, 0xff7fffff, rm, &fl), S_MAXNORM, 0);
    T5(fpu_madd_d(0x3fefffffffffffffull, D_MINNORM, D_NZERO, rm, &fl),
       D_MINNORM, D_MAXSUB, D_MAXSUB, D_MINNORM, D_MINNORM, UF | NX);
    DONE();
}

static void test_fpu_min_max(void **state)
{
    uint32_t fl;

    (void)state;
#define MM(call, er, ef) \
    do {                 \
        int rm = 0;      \
        T(call, er, ef); \
    } while (0)
    MM(fpu_min_s(S_ONE, S_TWO, &fl), S_ONE, 0);
    MM(fpu_max_s(S_ONE, S_TWO, &fl), S_TWO, 0);
    MM(fpu_min_s(0, S_NZERO, &fl), S_NZERO, 0);
    MM(fpu_max_s(S_NZERO, 0, &fl), 0, 0);
    MM(fpu_min_d(D_NZERO, 0, &fl), D_NZERO, 0);
    MM(fpu_max_d(0, D_NZERO, &fl), 0, 0);
    MM(fpu_min_s(S_QNANP, S_NINF, &fl), S_NINF, 0);
    MM(fpu_max_s(S_ONE, S_QNAN, &fl), S_ONE, 0);
    MM(fpu_min_s(S_SNAN, S_ONE, &fl), S_ONE, NV);
    MM(fpu_max_d(D_ONE, D_SNAN, &fl), D_ONE, NV);
    MM(fpu_min_d(D_QNANP, D_QNANP, &fl), D_QNAN, 0);
    MM(fpu_max_s(S_SNAN, S_QNANP, &fl), S_QNAN, NV);
    MM(fpu_min_d(D_NINF, D_INF, &fl), D_NINF, 0);
    MM(fpu_max_d(0xbff0000000000000ull, 0xc000000000000000ull, &fl),
       0xbff0000000000000ull, 0);
    MM(fpu_min_s(S_MINSUB, S_MINSUB | S_NZERO, &fl), S_MINSUB | S_NZERO, 0);
    (void)fl;
    DONE();
}

static void test_fpu_compare(void **state)
{
    uint32_t fl;

    (void)state;
    MM(fpu_eq_s(S_ONE, S_ONE, &fl), 1, 0);
    MM(fpu_eq_s(0, S_NZERO, &fl), 1, 0);
    MM(fpu_eq_d(D_ONE, D_TWO, &fl), 0, 0);
    MM(fpu_eq_s(S_QNAN, S_QNAN, &fl), 0, 0);
    MM(fpu_eq_d(D_SNAN, D_ONE, &fl), 0, NV);
    MM(fpu_lt_s(S_ONE, S_TWO, &fl), 1, 0);
    MM(fpu_lt_s(S_NZERO, 0, &fl), 0, 0);
    MM(fpu_le_s(S_NZERO, 0, &fl), 1, 0);
    MM(fpu_le_d(0, D_NZERO, &fl), 1, 0);
    MM(fpu_lt_d(D_NINF, D_MINSUB | D_NZERO, &fl), 1, 0);
    MM(fpu_lt_d(0xc000000000000000ull, 0xbff0000000000000ull, &fl), 1, 0);
    MM(fpu_le_d(0xbff0000000000000ull, 0xc000000000000000ull, &fl), 0, 0);
    MM(fpu_lt_s(S_QNAN, S_ONE, &fl), 0, NV);
    MM(fpu_le_d(D_ONE, D_QNANP, &fl), 0, NV);
    MM(fpu_le_s(S_SNAN, S_SNAN, &fl), 0, NV);
    MM(fpu_le_s(S_INF, S_INF, &fl), 1, 0);
    MM(fpu_lt_s(S_INF, S_INF, &fl), 0, 0);
    (void)fl;
    DONE();
}

static void test_fpu_classify(void **state)
{
    (void)state;
    assert_int_equal(fpu_class_s(S_NINF), FPU_CLASS_NEG_INF);
    assert_int_equal(fpu_class_s(0xbf800000), FPU_CLASS_NEG_NORMAL);
    assert_int_equal(fpu_class_s(S_MAXSUB | S_NZERO), FPU_CLASS_NEG_SUBNORMAL);
    assert_int_equal(fpu_class_s(S_NZERO), FPU_CLASS_NEG_ZERO);
    assert_int_equal(fpu_class_s(0), FPU_CLASS_POS_ZERO);
    assert_int_equal(fpu_class_s(S_MINSUB), FPU_CLASS_POS_SUBNORMAL);
    assert_int_equal(fpu_class_s(S_MINNORM), FPU_CLASS_POS_NORMAL);
    assert_int_equal(fpu_class_s(S_INF), FPU_CLASS_POS_INF);
    assert_int_equal(fpu_class_s(S_NSNAN), FPU_CLASS_SNAN);
    assert_int_equal(fpu_class_s(S_QNANP), FPU_CLASS_QNAN);
    assert_int_equal(fpu_class_d(D_NINF), FPU_CLASS_NEG_INF);
    assert_int_equal(fpu_class_d(D_NZERO | D_MAXNORM), FPU_CLASS_NEG_NORMAL);
    assert_int_equal(fpu_class_d(D_NZERO | 1), FPU_CLASS_NEG_SUBNORMAL);
    assert_int_equal(fpu_class_d(D_NZERO), FPU_CLASS_NEG_ZERO);
    assert_int_equal(fpu_class_d(0), FPU_CLASS_POS_ZERO);
    assert_int_equal(fpu_class_d(D_MAXSUB), FPU_CLASS_POS_SUBNORMAL);
    assert_int_equal(fpu_class_d(D_ONE), FPU_CLASS_POS_NORMAL);
    assert_int_equal(fpu_class_d(D_INF), FPU_CLASS_POS_INF);
    assert_int_equal(fpu_class_d(D_SNAN), FPU_CLASS_SNAN);
    assert_int_equal(fpu_class_d(D_QNANP), FPU_CLASS_QNAN);
    /* an improperly boxed single is the canonical NaN */
    assert_int_equal(fpu_class_s(fpu_unbox_s(S_ONE)), FPU_CLASS_QNAN);
}

#define D_2P31 0x41e0000000000000ull /* 2^31 */
#define D_2P63 0x43e0000000000000ull
#define D_2P64 0x43f0000000000000ull
#define D_M0_5 0xbfe0000000000000ull /* -0.5 */
#define D_2_5 0x4004000000000000ull  /* 2.5 */

static void test_fpu_cvt_float_to_int(void **state)
{
    (void)state;
    /* 2^31 - 1 and -2^31 are exact, one more saturates with NV only */
    TALL(fpu_cvt_w_d(0x41dfffffffc00000ull, rm, &fl), 0x7fffffff, 0);
    TALL(fpu_cvt_w_d(0xc1e0000000000000ull, rm, &fl), (uint64_t)INT32_MIN, 0);
    TALL(fpu_cvt_w_d(D_2P31, rm, &fl), 0x7fffffff, NV);
    TALL(fpu_cvt_w_d(0xc1e0000000200000ull, rm, &fl), (uint64_t)INT32_MIN, NV);
    /* 2^31 - 0.5: a tie between 2^31 - 1 and 2^31 */
    for (int rm = 0; rm < 5; rm++) {
        uint32_t ef = (rm == RNE || rm == RUP || rm == RMM) ? NV : NX;
        T(fpu_cvt_w_d(0x41dfffffffe00000ull, rm, &fl), 0x7fffffff, ef);
    }
    /* 2.5 and -2.5 in every mode */
    T5(fpu_cvt_w_d(D_2_5, rm, &fl), 2, 2, 2, 3, 3, NX);
    T5(fpu_cvt_l_d(D_2_5 | D_NZERO, rm, &fl), (uint64_t)-2, (uint64_t)-2,
       (uint64_t)-3, (uint64_t)-2, (uint64_t)-3, NX);
    T5(fpu_cvt_w_s(0x40600000, rm, &fl), 4, 3, 3, 4, 4, NX); /* 3.5 */
    /* 64-bit limits */
    TALL(fpu_cvt_l_d(D_2P63, rm, &fl), (uint64_t)INT64_MAX, NV);
    TALL(fpu_cvt_l_d(D_2P63 | D_NZERO, rm, &fl), (uint64_t)INT64_MIN, 0);
    TALL(fpu_cvt_lu_d(D_2P63, rm, &fl), 0x8000000000000000ull, 0);
    TALL(fpu_cvt_lu_d(D_2P64, rm, &fl), UINT64_MAX, NV);
    TALL(fpu_cvt_lu_d(0x43efffffffffffffull, rm, &fl), 0xfffffffffffff800ull,
         0);
    TALL(fpu_cvt_l_s(0x5f000000, rm, &fl), (uint64_t)INT64_MAX, NV);
    TALL(fpu_cvt_wu_s(0x4f7fffff, rm, &fl), 0xffffff00, 0);
    TALL(fpu_cvt_wu_s(0x4f800000, rm, &fl), 0xffffffff, NV);
    /* negative to unsigned: 0 with NX if it rounds to zero, else NV */
    for (int rm = 0; rm < 5; rm++) {
        uint32_t ef = (rm == RDN || rm == RMM) ? NV : NX;
        T(fpu_cvt_wu_d(D_M0_5, rm, &fl), 0, ef);
        T(fpu_cvt_lu_d(D_M0_5, rm, &fl), 0, ef);
    }
    TALL(fpu_cvt_lu_s(0xbf800000, rm, &fl), 0, NV);
    TALL(fpu_cvt_wu_d(D_NZERO, rm, &fl), 0, 0);
    /* NaN: largest positive; infinities saturate */
    TALL(fpu_cvt_w_s(S_QNAN, rm, &fl), 0x7fffffff, NV);
    TALL(fpu_cvt_w_s(0xffc00000, rm, &fl), 0x7fffffff, NV);
    TALL(fpu_cvt_wu_d(D_SNAN, rm, &fl), 0xffffffff, NV);
    TALL(fpu_cvt_l_d(D_QNANP, rm, &fl), (uint64_t)INT64_MAX, NV);
    TALL(fpu_cvt_lu_s(S_QNAN, rm, &fl), UINT64_MAX, NV);
    TALL(fpu_cvt_w_d(D_NINF, rm, &fl), (uint64_t)INT32_MIN, NV);
    TALL(fpu_cvt_wu_s(S_NINF, rm, &fl), 0, NV);
    TALL(fpu_cvt_lu_d(D_INF, rm, &fl), UINT64_MAX, NV);
    /* tiny values */
    T5(fpu_cvt_l_d(D_MINSUB, rm, &fl), 0, 0, 0, 1, 0, NX);
    T5(fpu_cvt_w_s(S_MINSUB | S_NZERO, rm, &fl), 0, 0, (uint64_t)-1, 0, 0, NX);
    DONE();
}

static void test_fpu_cvt_int_to_float(void **state)
{
    (void)state;
    TALL(fpu_cvt_s_w(0, rm, &fl), 0, 0);
    TALL(fpu_cvt_d_w(INT32_MIN, rm, &fl), 0xc1e0000000000000ull, 0);
    TALL(fpu_cvt_d_wu(UINT32_MAX, rm, &fl), 0x41efffffffe00000ull, 0);
    TALL(fpu_cvt_s_w(-1, rm, &fl), 0xbf800000, 0);
    /* 2^24 + 1: a tie */
    T5(fpu_cvt_s_w(0x1000001, rm, &fl), 0x4b800000, 0x4b800000, 0x4b800000,
       0x4b800001, 0x4b800001, NX);
    T5(fpu_cvt_s_l(-0x1000003, rm, &fl), 0xcb800002, 0xcb800001, 0xcb800002,
       0xcb800001, 0xcb800002, NX);
    T5(fpu_cvt_s_l(INT64_MAX, rm, &fl), 0x5f000000, 0x5effffff, 0x5effffff,
       0x5f000000, 0x5f000000, NX);
    TALL(fpu_cvt_s_l(INT64_MIN, rm, &fl), 0xdf000000, 0);
    T5(fpu_cvt_d_lu(UINT64_MAX, rm, &fl), D_2P64, 0x43efffffffffffffull,
       0x43efffffffffffffull, D_2P64, D_2P64, NX);
    T5(fpu_cvt_s_lu(UINT64_MAX, rm, &fl), 0x5f800000, 0x5f7fffff, 0x5f7fffff,
       0x5f800000, 0x5f800000, NX);
    /* 2^53 + 1 */
    T5(fpu_cvt_d_l(0x20000000000001ll, rm, &fl), 0x4340000000000000ull,
       0x4340000000000000ull, 0x4340000000000000ull, 0x4340000000000001ull,
       0x4340000000000001ull, NX);
    TALL(fpu_cvt_s_wu(0x80000000u, rm, &fl), 0x4f000000, 0);
    DONE();
}

static void test_fpu_cvt_between_formats(void **state)
{
    (void)state;
    TALL(fpu_cvt_d_s(S_ONE, rm, &fl), D_ONE, 0);
    TALL(fpu_cvt_d_s(S_MINSUB, rm, &fl), 0x36a0000000000000ull, 0);
    TALL(fpu_cvt_d_s(S_NINF, rm, &fl), D_NINF, 0);
    TALL(fpu_cvt_d_s(S_NZERO, rm, &fl), D_NZERO, 0);
    TALL(fpu_cvt_d_s(S_QNANP, rm, &fl), D_QNAN, 0);
    TALL(fpu_cvt_d_s(S_NSNAN, rm, &fl), D_QNAN, NV);
    TALL(fpu_cvt_s_d(D_SNAN, rm, &fl), S_QNAN, NV);
    TALL(fpu_cvt_s_d(D_QNANP, rm, &fl), S_QNAN, 0);
    TALL(fpu_cvt_s_d(D_NZERO, rm, &fl), S_NZERO, 0);
    TALL(fpu_cvt_s_d(0x36a0000000000000ull, rm, &fl), S_MINSUB, 0);
    /* 1 + 2^-24 is a tie in binary32 */
    T5(fpu_cvt_s_d(0x3ff0000010000000ull, rm, &fl), S_ONE, S_ONE, S_ONE,
       0x3f800001, 0x3f800001, NX);
    /* overflow and total underflow */
    T5(fpu_cvt_s_d(0xc7f0000000000000ull, rm, &fl), S_NINF, 0xff7fffff, S_NINF,
       0xff7fffff, S_NINF, OF | NX);
    T5(fpu_cvt_s_d(D_MINNORM, rm, &fl), 0, 0, 0, S_MINSUB, 0, UF | NX);
    DONE();
}

/* ---------------------------------------------------------------------- */
/* host fast path versus software path                                     */

static uint64_t rng = 0x1234567887654321ull;

static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* random operand: frac_bits 23 or 52, exp_bits 8 or 11 */
static uint64_t gen(int fb, int eb, uint64_t near)
{
    int bias = (1 << (eb - 1)) - 1, emax = (1 << eb) - 1;
    uint64_t mant = rnd() & ((1ull << fb) - 1), sign = rnd() & 1, e;

    if (rnd() & 1) {
        mant &= ~0ull << (rnd() % (fb + 1));
    }
    switch (rnd() % 10) {
    case 0:
        return rnd() & ((2ull << (fb + eb)) - 1);
    case 1: {
        static const uint64_t specials_s[] = {
            0,     S_MINSUB, S_MAXSUB, S_MINNORM, S_MAXNORM,
            S_INF, S_QNAN,   S_SNAN,   S_ONE,     S_TWO,
        };
        static const uint64_t specials_d[] = {
            0,     D_MINSUB, D_MAXSUB, D_MINNORM, D_MAXNORM,
            D_INF, D_QNAN,   D_SNAN,   D_ONE,     D_TWO,
        };
        uint64_t s = (fb == 23 ? specials_s : specials_d)[rnd() % 10];
        return s | sign << (fb + eb);
    }
    case 2:
        e = rnd() % 4; /* subnormal, tiny */
        break;
    case 3:
        e = emax - 1 - rnd() % 4; /* huge */
        break;
    case 4:
        e = bias + (rnd() & 1 ? 1 : -1) * (bias / 2) + rnd() % 8 - 4;
        break;
    case 5:
    case 6:
        if (near != ~0ull) { /* close to the other */
            return (near + rnd() % 5 - 2) ^ ((rnd() & 1) << (fb + eb));
        }
        /* fall through */
    default:
        e = bias + rnd() % 60 - 30;
        break;
    }
    return sign << (fb + eb) | e << fb | mant;
}

static void agree(uint64_t fast, uint32_t ffl, uint64_t soft, uint32_t sfl,
                  const char *op, int rm, uint64_t a, uint64_t b, uint64_t c)
{
    if (fast != soft || ffl != sfl) {
        if (failures++ < 10) {
            print_error("%s rm %d (%#llx, %#llx, %#llx): fast %#llx/%#x, "
                        "soft %#llx/%#x\n",
                        op, rm, (unsigned long long)a, (unsigned long long)b,
                        (unsigned long long)c, (unsigned long long)fast, ffl,
                        (unsigned long long)soft, sfl);
        }
    }
}

/*
 * 500000 rounds of 20 operations (10M comparisons); FPU_TEST_ITER and
 * FPU_TEST_SEED in the environment override the count and the seed.
 */
static void test_fpu_fast_path_matches_soft(void **state)
{
    const char *it = getenv("FPU_TEST_ITER"), *seed = getenv("FPU_TEST_SEED");
    long iter = it ? atol(it) : 500000;

    (void)state;
    if (seed) {
        rng = strtoull(seed, NULL, 0);
    }
    print_message("# host fast path: %s\n",
                  fpu_host_fast_path() ? "enabled" : "not available");
    for (long i = 0; i < iter; i++) {
        int rm = i % 5;
        uint32_t pre = (i / 5) & 1 ? NX : 0;
        uint32_t as = gen(23, 8, ~0ull), bs = gen(23, 8, as);
        uint32_t cs = gen(23, 8, ~0ull);
        uint64_t ad = gen(52, 11, ~0ull), bd = gen(52, 11, ad);
        uint64_t cd = gen(52, 11, ~0ull);

#define CMP2(name, x, y)                           \
    do {                                           \
        uint32_t f1 = pre, f2 = pre;               \
        uint64_t r1 = fpu_##name(x, y, rm, &f1);   \
        uint64_t r2 = sf_##name(x, y, rm, &f2);    \
        agree(r1, f1, r2, f2, #name, rm, x, y, 0); \
    } while (0)
#define CMP3(name, x, y, z)                         \
    do {                                            \
        uint32_t f1 = pre, f2 = pre;                \
        uint64_t r1 = fpu_##name(x, y, z, rm, &f1); \
        uint64_t r2 = sf_##name(x, y, z, rm, &f2);  \
        agree(r1, f1, r2, f2, #name, rm, x, y, z);  \
    } while (0)
#define CMP1(name, x)                              \
    do {                                           \
        uint32_t f1 = pre, f2 = pre;               \
        uint64_t r1 = fpu_##name(x, rm, &f1);      \
        uint64_t r2 = sf_##name(x, rm, &f2);       \
        agree(r1, f1, r2, f2, #name, rm, x, 0, 0); \
    } while (0)
        CMP2(add_s, as, bs);
        CMP2(sub_s, as, bs);
        CMP2(mul_s, as, bs);
        CMP2(div_s, as, bs);
        CMP1(sqrt_s, as);
        CMP1(sqrt_s, as & 0x7fffffff);
        CMP3(madd_s, as, bs, cs);
        CMP3(msub_s, as, cs, bs);
        CMP3(nmsub_s, cs, as, bs);
        CMP3(nmadd_s, bs, cs, as);
        CMP2(add_d, ad, bd);
        CMP2(sub_d, ad, bd);
        CMP2(mul_d, ad, bd);
        CMP2(div_d, ad, bd);
        CMP1(sqrt_d, ad);
        CMP1(sqrt_d, ad & ~D_NZERO);
        CMP3(madd_d, ad, bd, cd);
        CMP3(msub_d, ad, cd, bd);
        CMP3(nmsub_d, cd, ad, bd);
        CMP3(nmadd_d, bd, cd, ad);
    }
    DONE();
}

/* binary16 (fpu/half.c.inc): hand-worked values, all modes where they differ */
#define H_ONE 0x3c00u
#define H_MAX 0x7bffu
#define H_INF 0x7c00u
#define H_QNAN 0x7e00u
#define H_SNAN 0x7c01u

static void test_fpu_half(void **state)
{
    (void)state;
    assert_true(fpu_box_h(H_ONE) == 0xffffffffffff3c00ull);
    assert_int_equal(fpu_unbox_h(0xffffffffffff3c00ull), H_ONE);
    assert_int_equal(fpu_unbox_h(0xffffffff00003c00ull), H_QNAN);
    assert_int_equal(fpu_unbox_h(fpu_box_s(H_ONE)), H_QNAN);
    TALL(fpu_add_h(H_ONE, H_ONE, rm, &fl), 0x4000, 0);
    /* 65504 + 16 is half-way to 65536: overflow after rounding */
    T5(fpu_add_h(H_MAX, 0x4c00, rm, &fl), H_INF, H_MAX, H_MAX, H_INF, H_INF,
       rm == 1 || rm == 2 ? NX : OF | NX);
    /* 2^-25: half the smallest subnormal */
    T5(fpu_mul_h(0x0001, 0x3800, rm, &fl), 0, 0, 0, 1, 1, UF | NX);
    /* (1 - 2^-11) * 2^-14 is tiny after rounding: UF even when it rounds
     * to the smallest normal; (1 - 2^-12) * 2^-14 is not (RNE) */
    T5(fpu_mul_h(0x3bff, 0x0400, rm, &fl), 0x0400, 0x03ff, 0x03ff, 0x0400,
       0x0400, UF | NX);
    T5(fpu_cvt_h_s(0x387ff000u, rm, &fl), 0x0400, 0x03ff, 0x03ff, 0x0400,
       0x0400, rm == 0 || rm >= 3 ? NX : UF | NX);
    TALL(fpu_div_h(H_ONE, 0, rm, &fl), H_INF, DZ);
    TALL(fpu_div_h(0, 0, rm, &fl), H_QNAN, NV);
    TALL(fpu_sqrt_h(0x4400, rm, &fl), 0x4000, 0);
    TALL(fpu_sqrt_h(0xbc00, rm, &fl), H_QNAN, NV);
    T5(fpu_madd_h(H_ONE, H_ONE, 0xbc00, rm, &fl), 0, 0, 0x8000, 0, 0, 0);
    TALL(fpu_min_h(H_SNAN, H_ONE, &fl), H_ONE, NV);
    TALL(fpu_max_h(H_QNAN, H_QNAN, &fl), H_QNAN, 0);
    TALL(fpu_min_h(0x8000, 0, &fl), 0x8000, 0);
    TALL(fpu_eq_h(H_QNAN, H_ONE, &fl), 0, 0);
    TALL(fpu_lt_h(H_QNAN, H_ONE, &fl), 0, NV);
    TALL(fpu_le_h(0x8000, 0, &fl), 1, 0);
    assert_int_equal(fpu_class_h(H_SNAN), FPU_CLASS_SNAN);
    assert_int_equal(fpu_class_h(H_QNAN), FPU_CLASS_QNAN);
    assert_int_equal(fpu_class_h(0x0001), FPU_CLASS_POS_SUBNORMAL);
    assert_int_equal(fpu_class_h(0xfc00), FPU_CLASS_NEG_INF);
    TALL((uint32_t)fpu_cvt_w_h(0xfc00, rm, &fl), 0x80000000u, NV);
    T5(fpu_cvt_wu_h(0xb800, rm, &fl), 0, 0, 0, 0, 0,
       rm == 2 || rm == 4 ? NV : NX);
    TALL((uint64_t)fpu_cvt_l_h(H_QNAN, rm, &fl), 0x7fffffffffffffffull, NV);
    TALL(fpu_cvt_lu_h(H_MAX, rm, &fl), 65504, 0);
    T5(fpu_cvt_h_w(65520, rm, &fl), H_INF, H_MAX, H_MAX, H_INF, H_INF,
       rm == 1 || rm == 2 ? NX : OF | NX);
    /* far beyond: OF in every mode, even where the result is finite */
    T5(fpu_cvt_h_lu(UINT64_MAX, rm, &fl), H_INF, H_MAX, H_MAX, H_INF, H_INF,
       OF | NX);
    TALL(fpu_cvt_h_w(-3, rm, &fl), 0xc200, 0);
    T5(fpu_cvt_h_l(2049, rm, &fl), 0x6800, 0x6800, 0x6800, 0x6801, 0x6801, NX);
    TALL(fpu_cvt_h_s(S_SNAN, rm, &fl), H_QNAN, NV);
    TALL(fpu_cvt_s_h(H_SNAN, rm, &fl), S_QNAN, NV);
    TALL(fpu_cvt_d_h(0x0001, rm, &fl), 0x3e70000000000000ull, 0);
    TALL(fpu_cvt_h_d(D_ONE, rm, &fl), H_ONE, 0);
    DONE();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fpu_nan_boxing),
        cmocka_unit_test(test_fpu_add_sub_specials),
        cmocka_unit_test(test_fpu_add_rounding_ties),
        cmocka_unit_test(test_fpu_mul_div_sqrt),
        cmocka_unit_test(test_fpu_overflow),
        cmocka_unit_test(test_fpu_underflow_after_rounding),
        cmocka_unit_test(test_fpu_fused_multiply_add),
        cmocka_unit_test(test_fpu_min_max),
        cmocka_unit_test(test_fpu_compare),
        cmocka_unit_test(test_fpu_classify),
        cmocka_unit_test(test_fpu_cvt_float_to_int),
        cmocka_unit_test(test_fpu_cvt_int_to_float),
        cmocka_unit_test(test_fpu_cvt_between_formats),
        cmocka_unit_test(test_fpu_fast_path_matches_soft),
        cmocka_unit_test(test_fpu_half),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
