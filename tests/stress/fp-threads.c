/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Floating point in 8 concurrent threads: each sets its own rounding mode
 * (frm, via fesetround) and raises its own exception flags, and checks
 * over and over, with yields in between, that the results follow its
 * rounding mode and that fetestexcept sees exactly its own flags.
 */
#include <fenv.h>
#include <float.h>
#include <math.h>
#include "stress.h"

#define NTHREADS 8
#define ITERS 100000

static const int modes[4] = { FE_TONEAREST, FE_UPWARD, FE_DOWNWARD,
                              FE_TOWARDZERO };
static const char *const mode_names[4] = { "RNE", "RUP", "RDN", "RTZ" };
/* 1/10 and -1/10 in each mode (bit patterns). */
static const uint64_t tenth[4][2] = {
    { 0x3FB999999999999AULL, 0xBFB999999999999AULL },  /* RNE */
    { 0x3FB999999999999AULL, 0xBFB9999999999999ULL },  /* RUP */
    { 0x3FB9999999999999ULL, 0xBFB999999999999AULL },  /* RDN */
    { 0x3FB9999999999999ULL, 0xBFB9999999999999ULL },  /* RTZ */
};
/* 1/3 in single precision. */
static const uint32_t third_f[4] = { 0x3EAAAAAB, 0x3EAAAAAB, 0x3EAAAAAA,
                                     0x3EAAAAAA };
/* lrint(2.5), lrint(-2.5) */
static const long rint25[4][2] = { { 2, -2 }, { 3, -2 }, { 2, -3 },
                                   { 2, -2 } };

static volatile double one = 1.0, ten = 10.0, zero = 0.0, big = DBL_MAX,
                       tiny = DBL_MIN, two_five = 2.5, three = 3.0,
                       minus_one = -1.0;
static volatile float onef = 1.0f, threef = 3.0f;

typedef struct {
    int id;
    int flag_kind;
} Arg;

static uint64_t bits(double d)
{
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}

static uint32_t bitsf(float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static unsigned read_fcsr(void)
{
    unsigned v;
    __asm__ volatile("frcsr %0" : "=r"(v));
    return v;
}

/* Raise this thread's kind of exception; return the flags expected. */
static int raise_kind(int kind, volatile double *sink)
{
    switch (kind) {
    case 0:
        *sink = one / zero;
        return FE_DIVBYZERO;
    case 1:
        *sink = sqrt(minus_one);
        return FE_INVALID;
    case 2:
        *sink = big * ten;
        return FE_OVERFLOW | FE_INEXACT;
    case 3:
        *sink = tiny * tiny;
        return FE_UNDERFLOW | FE_INEXACT;
    case 4:
        *sink = one / three;
        return FE_INEXACT;
    default:
        *sink = one + ten;
        return 0;
    }
}

static void *worker(void *p)
{
    Arg *a = p;
    int m = a->id % 4;
    volatile double sink;
    static const char *const kind_names[6] = { "DZ", "NV", "OF", "UF",
                                               "NX", "none" };

    CHECK(fesetround(modes[m]) == 0, "fesetround");
    for (int i = 0; i < ITERS; i++) {
        CHECK(fegetround() == modes[m], "thread %d: rounding mode changed "
              "to %#x (want %s)", a->id, fegetround(), mode_names[m]);
        /* glibc's FE_* rounding values are the frm encodings. */
        CHECK(((read_fcsr() >> 5) & 7) == (unsigned)modes[m],
              "thread %d: frm %u", a->id, (read_fcsr() >> 5) & 7);
        feclearexcept(FE_ALL_EXCEPT);
        double p10 = one / ten, n10 = minus_one / ten;
        float t3 = onef / threef;
        long ri = lrint(two_five), rn = lrint(-two_five);
        CHECK(bits(p10) == tenth[m][0] && bits(n10) == tenth[m][1],
              "thread %d (%s): 1/10 = %016llx, -1/10 = %016llx", a->id,
              mode_names[m], (unsigned long long)bits(p10),
              (unsigned long long)bits(n10));
        CHECK(bitsf(t3) == third_f[m], "thread %d (%s): 1/3f = %08x", a->id,
              mode_names[m], bitsf(t3));
        CHECK(ri == rint25[m][0] && rn == rint25[m][1],
              "thread %d (%s): lrint(+-2.5) = %ld %ld", a->id,
              mode_names[m], ri, rn);
        CHECK(fetestexcept(FE_ALL_EXCEPT) == FE_INEXACT,
              "thread %d: flags %#x after inexact divisions", a->id,
              fetestexcept(FE_ALL_EXCEPT));

        feclearexcept(FE_ALL_EXCEPT);
        if (i % 16 == 0) {
            sched_yield();
        }
        CHECK(fetestexcept(FE_ALL_EXCEPT) == 0,
              "thread %d: flags %#x appeared while cleared", a->id,
              fetestexcept(FE_ALL_EXCEPT));
        int want = raise_kind(a->flag_kind, &sink);
        if (i % 16 == 8) {
            sched_yield();
        }
        int got = fetestexcept(FE_ALL_EXCEPT);
        CHECK(got == want, "thread %d (%s): flags %#x, want %#x", a->id,
              kind_names[a->flag_kind], got, want);
        CHECK((read_fcsr() & 0x1f) == (unsigned)want,
              "thread %d: fflags %#x, want %#x", a->id, read_fcsr() & 0x1f,
              want);
    }
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    Arg args[NTHREADS];

    for (int i = 0; i < NTHREADS; i++) {
        args[i].id = i;
        args[i].flag_kind = (i * 5 + 1) % 6;
        xcreate(&t[i], worker, &args[i]);
    }
    for (int i = 0; i < NTHREADS; i++) {
        xjoin(t[i]);
    }
    CHECK(fegetround() == FE_TONEAREST, "main's rounding mode changed");
    CHECK(fetestexcept(FE_ALL_EXCEPT) == 0, "main's flags %#x",
          fetestexcept(FE_ALL_EXCEPT));
    printf("fp-threads: %d threads x %d iterations, per-thread frm and "
           "fflags: OK\n", NTHREADS, ITERS);
    return 0;
}
