/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Micro-benchmark of target-riscv/fpu: the public functions (host fast
 * path where it applies) against the software path, per operation and
 * rounding mode, on random normal operands in [2^-20, 2^20).  Also times
 * the rejected design, an SSE add bracketed by stmxcsr/ldmxcsr, so the
 * choice in fpu.c can be re-checked on another host.
 *
 *   fpu-bench [iterations]      (default 4000000 per line)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "target-riscv/fpu/fpu.h"
#include "target-riscv/fpu/softfloat.h"

#define NV 1024

static uint32_t vs[3][NV];
static uint64_t vd[3][NV];
static volatile uint64_t sink;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

#if defined(__x86_64__)
/* The alternative that was measured and rejected: MXCSR per operation. */
static uint64_t mxcsr_add_d(uint64_t a, uint64_t b, int rm, uint32_t *fl)
{
    static const uint32_t cw[4] = { 0x1f80, 0x7f80, 0x3f80, 0x5f80 };
    uint32_t saved = 0, st = 0;
    double x, y;
    uint64_t r;

    memcpy(&x, &a, 8);
    memcpy(&y, &b, 8);
    asm volatile("stmxcsr %[sv]\n\tldmxcsr %[cw]\n\taddsd %[y], %[x]\n\t"
                 "stmxcsr %[st]\n\tldmxcsr %[sv]"
                 : [x] "+x"(x), [sv] "+m"(saved), [st] "=m"(st)
                 : [y] "x"(y), [cw] "m"(cw[rm & 3]));
    memcpy(&r, &x, 8);
    *fl |= ((st & 1) << 4) | ((st & 4) << 1) | ((st & 8) >> 1) |
           ((st & 16) >> 3) | ((st & 32) >> 5);
    return r;
}
#endif

#define BENCH(label, expr)                                              \
    do {                                                                \
        uint64_t acc = 0;                                               \
        double t0 = now();                                              \
        for (long i = 0; i < iters; i++) {                              \
            unsigned j = i & (NV - 1), k = (i * 7 + 3) & (NV - 1);      \
            uint32_t fl = pre;                                          \
            acc += (expr);                                              \
            (void)j, (void)k;                                           \
        }                                                               \
        sink = acc;                                                     \
        printf("  %-22s %6.2f ns\n", label, (now() - t0) / iters * 1e9); \
    } while (0)

#define OPS2(S, s, V)                                                       \
    BENCH("fpu_add_" #s, fpu_add_##s(V[0][j], V[1][k], rm, &fl));          \
    BENCH("sf_add_" #s, sf_add_##s(V[0][j], V[1][k], rm, &fl));            \
    BENCH("fpu_mul_" #s, fpu_mul_##s(V[0][j], V[1][k], rm, &fl));          \
    BENCH("sf_mul_" #s, sf_mul_##s(V[0][j], V[1][k], rm, &fl));            \
    BENCH("fpu_div_" #s, fpu_div_##s(V[0][j], V[1][k], rm, &fl));          \
    BENCH("sf_div_" #s, sf_div_##s(V[0][j], V[1][k], rm, &fl));            \
    BENCH("fpu_sqrt_" #s, fpu_sqrt_##s(V[0][j], rm, &fl));                 \
    BENCH("sf_sqrt_" #s, sf_sqrt_##s(V[0][j], rm, &fl));                   \
    BENCH("fpu_madd_" #s, fpu_madd_##s(V[0][j], V[1][k], V[2][j], rm, &fl)); \
    BENCH("sf_madd_" #s, sf_madd_##s(V[0][j], V[1][k], V[2][j], rm, &fl))

int main(int argc, char **argv)
{
    long iters = argc > 1 ? atol(argv[1]) : 4000000;
    uint64_t x = 88172645463325252ull;

    for (int a = 0; a < 3; a++) {
        for (int i = 0; i < NV; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            /* positive normals in [2^-20, 2^20) */
            vs[a][i] = ((uint32_t)(127 - 20 + x % 40) << 23) |
                       (uint32_t)(x >> 41);
            vd[a][i] = ((1023 - 20 + x % 40) << 52) | (x >> 12);
        }
    }
    printf("host fast path: %s\n", fpu_host_fast_path() ? "yes" : "no");
    for (int rm = 0; rm <= 4; rm += 4) {
        for (uint32_t pre = 0; pre <= FPU_FLAG_NX; pre += FPU_FLAG_NX) {
            printf("rm=%d, fflags before = %#x:\n", rm, pre);
            OPS2(S, s, vs);
            OPS2(D, d, vd);
        }
    }
    for (int rm = 1; rm <= 3; rm++) {
        uint32_t pre = 0;
        printf("rm=%d:\n", rm);
        BENCH("fpu_add_d", fpu_add_d(vd[0][j], vd[1][k], rm, &fl));
        BENCH("fpu_mul_d", fpu_mul_d(vd[0][j], vd[1][k], rm, &fl));
        BENCH("fpu_div_d", fpu_div_d(vd[0][j], vd[1][k], rm, &fl));
    }
    {
        int rm = 0;
        uint32_t pre = 0;
        printf("other (software only):\n");
        BENCH("fpu_cvt_w_d", (uint32_t)fpu_cvt_w_d(vd[0][j], rm, &fl));
        BENCH("fpu_cvt_d_l", fpu_cvt_d_l(vd[0][j], rm, &fl));
        BENCH("fpu_cvt_s_d", fpu_cvt_s_d(vd[0][j], rm, &fl));
        BENCH("fpu_cvt_d_s", fpu_cvt_d_s(vs[0][j], rm, &fl));
        BENCH("fpu_lt_d", fpu_lt_d(vd[0][j], vd[1][k], &fl));
        BENCH("fpu_min_d", fpu_min_d(vd[0][j], vd[1][k], &fl));
        BENCH("fpu_class_d", fpu_class_d(vd[0][j]) + fl);
#if defined(__x86_64__)
        BENCH("mxcsr_add_d (rejected)", mxcsr_add_d(vd[0][j], vd[1][k], rm,
                                                    &fl));
#endif
    }
    return 0;
}
