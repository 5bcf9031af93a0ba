/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V F/D arithmetic: the public entry points of fpu.h.
 *
 * Everything has a portable software implementation (softfloat.c, sf_*).
 * On x86-64 hosts, add, sub, mul, div, sqrt and the fused multiply-adds
 * first try a host fast path that never touches MXCSR, in the spirit of
 * QEMU's "hardfloat":
 *
 *   - the host operation is done in the host's default rounding mode
 *     (round to nearest even, checked once at startup, see fpu_init());
 *   - if the result r is a normal number strictly between the smallest
 *     normal and the largest finite magnitude, nothing can have
 *     overflowed, underflowed or been invalid, and rounding in any other
 *     mode differs from r by at most one ulp;
 *   - the exact error of r is found with an error-free transformation
 *     (TwoSum for add/sub; an FMA residual for mul, div and sqrt); its
 *     sign says whether the result is inexact and which neighbour of r
 *     RTZ/RDN/RUP pick;
 *   - the fused multiply-adds have no cheap error-free transformation,
 *     so they use the host only for RNE when NX is already accrued in
 *     *flags (then only OF/UF/NV could still be raised, and the range
 *     check excludes those), which is the common state of a running
 *     program;
 *   - anything else (RMM, NaN/inf/zero/tiny/huge results, operands so
 *     small that a residual could underflow or so large that TwoSum
 *     could overflow, hosts without FMA3) falls back to the software
 *     path, which also computes the flags.
 *
 * Measured with tests/fpu-oracle/fpu-bench.c (AMD EPYC host, ns/call):
 * add.d 4.5 fast vs 12.5 software, mul.d 3.7 vs 10.0, div.d 4.1 vs 12.7,
 * sqrt.d 5.2 vs 32.5, madd.d (NX set) 2.8 vs 21.6; the directed modes
 * cost the same as RNE.  Setting MXCSR per operation instead (stmxcsr/
 * ldmxcsr around addsd) was measured at 10-14 ns, no better than
 * software, and rejected.  README.md has the full table;
 * tests/unit/test_fpu.c checks that this file and softfloat.c agree bit
 * for bit, flags included.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "target-riscv/fpu/fpu.h"
#include "target-riscv/fpu/softfloat.h"

#if defined(__x86_64__) && !defined(FPU_NO_HOST_FAST_PATH)
#define FPU_HOST 1
#else
#define FPU_HOST 0
#endif

#if FPU_HOST

static bool host_ok;  /* MXCSR: round to nearest, no FTZ/DAZ */
static bool host_fma; /* FMA3 instructions */

static void __attribute__((constructor)) fpu_init(void)
{
    uint32_t csr;

    asm volatile("stmxcsr %0" : "=m"(csr));
    /* RC (bits 13-14), FTZ (15) and DAZ (6) must be clear */
    host_ok = (csr & 0xe040) == 0;
    __builtin_cpu_init();
    host_fma = host_ok && __builtin_cpu_supports("fma");
}

bool fpu_host_fast_path(void)
{
    return host_ok;
}

static inline float u2f(uint32_t x)
{
    float f;
    memcpy(&f, &x, 4);
    return f;
}

static inline uint32_t f2u(float f)
{
    uint32_t x;
    memcpy(&x, &f, 4);
    return x;
}

static inline double u2d(uint64_t x)
{
    double d;
    memcpy(&d, &x, 8);
    return d;
}

static inline uint64_t d2u(double d)
{
    uint64_t x;
    memcpy(&x, &d, 8);
    return x;
}

/* acc = insn(x, y, acc) for a VEX FMA3 instruction "insn y, x, acc" */
#define FMA3(insn, acc_, x_, y_)   \
    asm(insn " %[y], %[x], %[acc]" \
        : [acc] "+x"(acc_)         \
        : [x] "x"(x_), [y] "x"(y_))

#define SIGN_s 0x80000000u
#define MINNORM_s 0x00800000u
#define MAXFIN_s 0x7f7fffffu
#define LOWLIM_s 0x0d800000u /* 2^-100 */
#define HUGE_s 0x7e800000u   /* 2^126 */
#define SIGN_d 0x8000000000000000ull
#define MINNORM_d 0x0010000000000000ull
#define MAXFIN_d 0x7fefffffffffffffull
#define LOWLIM_d 0x0370000000000000ull /* 2^-968 */
#define HUGE_d 0x7fd0000000000000ull   /* 2^1022 */

/* Magnitude strictly between the smallest normal and the largest finite */
static inline bool in_range_s(uint32_t r)
{
    return (r & ~SIGN_s) - (MINNORM_s + 1) < MAXFIN_s - MINNORM_s - 1;
}

static inline bool in_range_d(uint64_t r)
{
    return (r & ~SIGN_d) - (MINNORM_d + 1) < MAXFIN_d - MINNORM_d - 1;
}

/*
 * Final result from @r, the in-range round-to-nearest-even result, whose
 * exact value is r + e with sign(e) = @dir.  The other modes pick r or
 * its neighbour toward e; in range, a neighbour is a normal number and
 * stepping the bit pattern by one moves one ulp.
 */
#define DEF_DIRECTED(S, B, SIGN)                                        \
    static inline B directed_##S(B r, int dir, int rm, uint32_t *flags) \
    {                                                                   \
        bool neg = (r & SIGN) != 0;                                     \
                                                                        \
        if (dir == 0) {                                                 \
            return r;                                                   \
        }                                                               \
        *flags |= FPU_FLAG_NX;                                          \
        switch (rm) {                                                   \
        case FPU_RM_RTZ:                                                \
            return (dir < 0) != neg ? r - 1 : r;                        \
        case FPU_RM_RDN:                                                \
            return dir < 0 ? (neg ? r + 1 : r - 1) : r;                 \
        case FPU_RM_RUP:                                                \
            return dir > 0 ? (neg ? r - 1 : r + 1) : r;                 \
        default:                                                        \
            return r;                                                   \
        }                                                               \
    }

DEF_DIRECTED(s, uint32_t, SIGN_s)
DEF_DIRECTED(d, uint64_t, SIGN_d)

#define SIGNUM(x) (((x) > 0) - ((x) < 0))

/*
 * The fast paths, for one format.  Each returns true with *res set, or
 * false to ask for the software path (having touched nothing).
 *   S: s/d, T: float/double, B: bit type, SFX: instruction suffix.
 */
#define DEF_FAST(S, T, B, SFX)                                              \
    static inline bool fast_add_##S(B ab, B bb, int rm, uint32_t *flags,    \
                                    B *res)                                 \
    {                                                                       \
        T a = u2##S##_(ab), b = u2##S##_(bb);                               \
        T s = a + b;                                                        \
        B r = S##_2u(s);                                                    \
                                                                            \
        if (!host_ok || rm == FPU_RM_RMM || !in_range_##S(r) ||             \
            (ab & ~SIGN_##S) >= HUGE_##S || (bb & ~SIGN_##S) >= HUGE_##S) { \
            return false;                                                   \
        }                                                                   \
        /* TwoSum: s + e == a + b exactly (no overflow below 2^(emax-1)) */ \
        T bv = s - a;                                                       \
        T e = (a - (s - bv)) + (b - bv);                                    \
        *res = directed_##S(r, SIGNUM(e), rm, flags);                       \
        return true;                                                        \
    }                                                                       \
                                                                            \
    static inline bool fast_mul_##S(B ab, B bb, int rm, uint32_t *flags,    \
                                    B *res)                                 \
    {                                                                       \
        T a = u2##S##_(ab), b = u2##S##_(bb);                               \
        T p = a * b;                                                        \
        B r = S##_2u(p);                                                    \
                                                                            \
        if (!host_fma || rm == FPU_RM_RMM || !in_range_##S(r) ||            \
            (r & ~SIGN_##S) < LOWLIM_##S) {                                 \
            return false;                                                   \
        }                                                                   \
        T e = p;                                                            \
        FMA3("vfmsub231" SFX, e, a, b); /* a * b - p */                     \
        *res = directed_##S(r, SIGNUM(e), rm, flags);                       \
        return true;                                                        \
    }                                                                       \
                                                                            \
    static inline bool fast_div_##S(B ab, B bb, int rm, uint32_t *flags,    \
                                    B *res)                                 \
    {                                                                       \
        T a = u2##S##_(ab), b = u2##S##_(bb);                               \
        T q = a / b;                                                        \
        B r = S##_2u(q);                                                    \
                                                                            \
        if (!host_fma || rm == FPU_RM_RMM || !in_range_##S(r) ||            \
            (ab & ~SIGN_##S) < LOWLIM_##S) {                                \
            return false;                                                   \
        }                                                                   \
        T e = a;                                                            \
        FMA3("vfnmadd231" SFX, e, q, b); /* a - q * b */                    \
        *res = directed_##S(r, SIGNUM(e) * (b < 0 ? -1 : 1), rm, flags);    \
        return true;                                                        \
    }                                                                       \
                                                                            \
    static inline bool fast_sqrt_##S(B ab, int rm, uint32_t *flags, B *res) \
    {                                                                       \
        if (!host_fma || rm == FPU_RM_RMM || ab < LOWLIM_##S ||             \
            ab > MAXFIN_##S) {                                              \
            return false;                                                   \
        }                                                                   \
        T a = u2##S##_(ab);                                                 \
        T s;                                                                \
        asm("sqrt" SFX " %[a], %[s]" : [s] "=x"(s) : [a] "x"(a));           \
        T e = a;                                                            \
        FMA3("vfnmadd231" SFX, e, s, s); /* a - s * s */                    \
        *res = directed_##S(S##_2u(s), SIGNUM(e), rm, flags);               \
        return true;                                                        \
    }

#define u2s_ u2f
#define u2d_ u2d
#define s_2u f2u
#define d_2u d2u

DEF_FAST(s, float, uint32_t, "ss")
DEF_FAST(d, double, uint64_t, "sd")

/*
 * Fused multiply-add: RNE only, with NX already accrued.
 * insn computes acc = +-(a * b) +- acc with acc = c.
 */
#define DEF_FAST_FMA(S, T, B, SFX, NAME, INSN)                                \
    static inline bool fast_##NAME##_##S(B ab, B bb, B cb, int rm,            \
                                         uint32_t *flags, B *res)             \
    {                                                                         \
        if (!host_fma || rm != FPU_RM_RNE || !(*flags & FPU_FLAG_NX)) {       \
            return false;                                                     \
        }                                                                     \
        T a = u2##S##_(ab), b = u2##S##_(bb), acc = u2##S##_(cb);             \
        FMA3(INSN SFX, acc, a, b);                                            \
        B r = S##_2u(acc);                                                    \
        if ((r & ~SIGN_##S) <= MINNORM_##S || (r & ~SIGN_##S) > MAXFIN_##S) { \
            return false;                                                     \
        }                                                                     \
        *res = r;                                                             \
        return true;                                                          \
    }

#define DEF_FAST_FMAS(NAME, INSN)                      \
    DEF_FAST_FMA(s, float, uint32_t, "ss", NAME, INSN) \
    DEF_FAST_FMA(d, double, uint64_t, "sd", NAME, INSN)

DEF_FAST_FMAS(madd, "vfmadd231")
DEF_FAST_FMAS(msub, "vfmsub231")
DEF_FAST_FMAS(nmsub, "vfnmadd231")
DEF_FAST_FMAS(nmadd, "vfnmsub231")

#else /* !FPU_HOST */

bool fpu_host_fast_path(void)
{
    return false;
}

#define NO_FAST2(name, S, B)                                                \
    static inline bool fast_##name##_##S(B a, B b, int rm, uint32_t *flags, \
                                         B *res)                            \
    {                                                                       \
        (void)a, (void)b, (void)rm, (void)flags, (void)res;                 \
        return false;                                                       \
    }
#define NO_FAST3(name, S, B)                                         \
    static inline bool fast_##name##_##S(B a, B b, B c, int rm,      \
                                         uint32_t *flags, B *res)    \
    {                                                                \
        (void)a, (void)b, (void)c, (void)rm, (void)flags, (void)res; \
        return false;                                                \
    }
/* clang-format off */
#define NO_FAST(S, B)                                                       \
    NO_FAST2(add, S, B)                                                     \
    NO_FAST2(mul, S, B)                                                     \
    NO_FAST2(div, S, B)                                                     \
    NO_FAST3(madd, S, B)                                                    \
    NO_FAST3(msub, S, B)                                                    \
    NO_FAST3(nmsub, S, B)                                                   \
    NO_FAST3(nmadd, S, B)                                                   \
    static inline bool fast_sqrt_##S(B a, int rm, uint32_t *flags, B *res)  \
    {                                                                       \
        (void)a, (void)rm, (void)flags, (void)res;                          \
        return false;                                                       \
    }
/* clang-format on */

NO_FAST(s, uint32_t)
NO_FAST(d, uint64_t)

#endif /* FPU_HOST */

/* ---------------------------------------------------------------------- */
/* entry points                                                            */

#define DEF_BIN(name, S, B, fast_expr)                    \
    B fpu_##name##_##S(B a, B b, int rm, uint32_t *flags) \
    {                                                     \
        B r;                                              \
        if (fast_expr) {                                  \
            return r;                                     \
        }                                                 \
        return sf_##name##_##S(a, b, rm, flags);          \
    }

DEF_BIN(add, s, uint32_t, fast_add_s(a, b, rm, flags, &r))
DEF_BIN(add, d, uint64_t, fast_add_d(a, b, rm, flags, &r))
DEF_BIN(sub, s, uint32_t, fast_add_s(a, b ^ 0x80000000u, rm, flags, &r))
DEF_BIN(sub, d, uint64_t,
        fast_add_d(a, b ^ 0x8000000000000000ull, rm, flags, &r))
DEF_BIN(mul, s, uint32_t, fast_mul_s(a, b, rm, flags, &r))
DEF_BIN(mul, d, uint64_t, fast_mul_d(a, b, rm, flags, &r))
DEF_BIN(div, s, uint32_t, fast_div_s(a, b, rm, flags, &r))
DEF_BIN(div, d, uint64_t, fast_div_d(a, b, rm, flags, &r))

uint32_t fpu_sqrt_s(uint32_t a, int rm, uint32_t *flags)
{
    uint32_t r;
    return fast_sqrt_s(a, rm, flags, &r) ? r : sf_sqrt_s(a, rm, flags);
}

uint64_t fpu_sqrt_d(uint64_t a, int rm, uint32_t *flags)
{
    uint64_t r;
    return fast_sqrt_d(a, rm, flags, &r) ? r : sf_sqrt_d(a, rm, flags);
}

#define DEF_FMA(name, S, B)                                    \
    B fpu_##name##_##S(B a, B b, B c, int rm, uint32_t *flags) \
    {                                                          \
        B r;                                                   \
        if (fast_##name##_##S(a, b, c, rm, flags, &r)) {       \
            return r;                                          \
        }                                                      \
        return sf_##name##_##S(a, b, c, rm, flags);            \
    }

DEF_FMA(madd, s, uint32_t)
DEF_FMA(madd, d, uint64_t)
DEF_FMA(msub, s, uint32_t)
DEF_FMA(msub, d, uint64_t)
DEF_FMA(nmsub, s, uint32_t)
DEF_FMA(nmsub, d, uint64_t)
DEF_FMA(nmadd, s, uint32_t)
DEF_FMA(nmadd, d, uint64_t)

/*
 * The rest is integer work on the bit patterns in softfloat.c already;
 * host instructions would not make it faster (see README.md).
 */
#define FWD2(rt, name, T)                    \
    rt fpu_##name(T a, T b, uint32_t *flags) \
    {                                        \
        return sf_##name(a, b, flags);       \
    }

FWD2(uint32_t, min_s, uint32_t)
FWD2(uint32_t, max_s, uint32_t)
FWD2(uint64_t, min_d, uint64_t)
FWD2(uint64_t, max_d, uint64_t)
FWD2(int, eq_s, uint32_t)
FWD2(int, lt_s, uint32_t)
FWD2(int, le_s, uint32_t)
FWD2(int, eq_d, uint64_t)
FWD2(int, lt_d, uint64_t)
FWD2(int, le_d, uint64_t)

uint32_t fpu_class_s(uint32_t a)
{
    return sf_class_s(a);
}

uint32_t fpu_class_d(uint64_t a)
{
    return sf_class_d(a);
}

#define FWDCVT(rt, name, T)                     \
    rt fpu_##name(T a, int rm, uint32_t *flags) \
    {                                           \
        return sf_##name(a, rm, flags);         \
    }

FWDCVT(int32_t, cvt_w_s, uint32_t)
FWDCVT(uint32_t, cvt_wu_s, uint32_t)
FWDCVT(int64_t, cvt_l_s, uint32_t)
FWDCVT(uint64_t, cvt_lu_s, uint32_t)
FWDCVT(int32_t, cvt_w_d, uint64_t)
FWDCVT(uint32_t, cvt_wu_d, uint64_t)
FWDCVT(int64_t, cvt_l_d, uint64_t)
FWDCVT(uint64_t, cvt_lu_d, uint64_t)
FWDCVT(uint32_t, cvt_s_w, int32_t)
FWDCVT(uint32_t, cvt_s_wu, uint32_t)
FWDCVT(uint32_t, cvt_s_l, int64_t)
FWDCVT(uint32_t, cvt_s_lu, uint64_t)
FWDCVT(uint64_t, cvt_d_w, int32_t)
FWDCVT(uint64_t, cvt_d_wu, uint32_t)
FWDCVT(uint64_t, cvt_d_l, int64_t)
FWDCVT(uint64_t, cvt_d_lu, uint64_t)
FWDCVT(uint32_t, cvt_s_d, uint64_t)
FWDCVT(uint64_t, cvt_d_s, uint32_t)
