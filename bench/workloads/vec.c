// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vec: loops that clang-19 -O3 -march=rv64gcv turns into RVV code (the
 * vector rows of bench/run.py, issue 17).  argv[1]: mode, argv[2]: rounds.
 *
 *   saxpy   y = a * x + y on floats (vfmul + vfadd: -ffp-contract=off on
 *           both hosts, so the results match to the last bit)
 *   dot     int16 x int16 dot product summed in int32 (widening multiply
 *           and add, vredsum)
 *   memcpy  a copy loop: RVV intrinsics (vle8/vse8 at LMUL 8) in the guest
 *   strlen  a strlen loop: vle8ff.v + vmseq + vfirst in the guest
 *   hist    a byte histogram as 256 counting passes (vmseq + vcpop-like
 *           compare-and-sum loops), which compilers vectorize
 *   matmul  a 48x48 float matrix multiply (the inner loop along j)
 *
 * The host build is plain C (gcc -O3); the guest uses intrinsics only for
 * memcpy and strlen, which clang cannot vectorize from C (a call to the
 * C library's scalar memcpy, an early exit).  Each mode prints a checksum
 * of all of its results.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __riscv_vector
#include <riscv_vector.h>
#endif

#define N 4096

static float xf[N], yf[N];
static int16_t xs[N], ys[N];
static uint8_t src[N + 64], dst[N + 64];
static float ma[48][48], mb[48][48], mc[48][48];

static uint32_t mix(uint32_t h, uint32_t v)
{
    return (h ^ v) * 0x01000193u;
}

static uint32_t fbits(float f)
{
    uint32_t u;

    memcpy(&u, &f, 4);
    return u;
}

static void __attribute__((noinline))
saxpy(float a, const float *restrict x, float *restrict y, int n)
{
    for (int i = 0; i < n; i++) {
        y[i] = a * x[i] + y[i];
    }
}

static int32_t __attribute__((noinline))
dot(const int16_t *restrict a, const int16_t *restrict b, int n)
{
    int32_t s = 0;

    for (int i = 0; i < n; i++) {
        s += (int32_t)a[i] * b[i];
    }
    return s;
}

static void __attribute__((noinline))
copy(uint8_t *restrict d, const uint8_t *restrict s, size_t n)
{
#ifdef __riscv_vector
    while (n > 0) {
        size_t vl = __riscv_vsetvl_e8m8(n);

        __riscv_vse8_v_u8m8(d, __riscv_vle8_v_u8m8(s, vl), vl);
        d += vl;
        s += vl;
        n -= vl;
    }
#else
    for (size_t i = 0; i < n; i++) {
        d[i] = s[i];
    }
#endif
}

static size_t __attribute__((noinline)) slen(const char *s)
{
#ifdef __riscv_vector
    size_t len = 0;

    for (;;) {
        size_t vl = __riscv_vsetvlmax_e8m2();
        vuint8m2_t v = __riscv_vle8ff_v_u8m2((const uint8_t *)s + len, &vl, vl);
        long z = __riscv_vfirst_m_b4(__riscv_vmseq_vx_u8m2_b4(v, 0, vl), vl);

        if (z >= 0) {
            return len + (size_t)z;
        }
        len += vl;
    }
#else
    size_t len = 0;

    while (s[len]) {
        len++;
    }
    return len;
#endif
}

static uint32_t __attribute__((noinline))
count(const uint8_t *restrict s, int n, uint8_t v)
{
    uint32_t c = 0;

    for (int i = 0; i < n; i++) {
        c += s[i] == v;
    }
    return c;
}

static void __attribute__((noinline)) matmul(void)
{
    for (int i = 0; i < 48; i++) {
        for (int j = 0; j < 48; j++) {
            mc[i][j] = 0;
        }
        for (int k = 0; k < 48; k++) {
            float a = ma[i][k];

            for (int j = 0; j < 48; j++) {
                mc[i][j] = mc[i][j] + a * mb[k][j];
            }
        }
    }
}

static void init(void)
{
    uint32_t seed = 1;

    for (int i = 0; i < N; i++) {
        seed = seed * 1103515245u + 12345u;
        xf[i] = (float)(seed >> 16) / 65536.0f;
        yf[i] = (float)(seed & 0xffff) / 65536.0f - 0.5f;
        xs[i] = (int16_t)(seed >> 12);
        ys[i] = (int16_t)(seed >> 3);
    }
    for (int i = 0; i < N + 64; i++) {
        seed = seed * 1103515245u + 12345u;
        src[i] = (uint8_t)(1 + (seed >> 16) % 255); /* no NUL */
    }
    src[N + 63] = 0;
    for (int i = 0; i < 48 * 48; i++) {
        seed = seed * 1103515245u + 12345u;
        ma[i / 48][i % 48] = (float)(seed >> 20) / 4096.0f - 0.5f;
        mb[i / 48][i % 48] = (float)((seed >> 8) & 0xfff) / 4096.0f - 0.5f;
    }
}

static uint32_t run(const char *mode, long rounds)
{
    uint32_t h = 0x811c9dc5u;

    for (long r = 0; r < rounds; r++) {
        if (!strcmp(mode, "saxpy")) {
            saxpy(r & 1 ? -0.5f : 0.25f, xf, yf, N - (int)(r & 7));
            h = mix(h, fbits(yf[r & (N - 1)]));
        } else if (!strcmp(mode, "dot")) {
            xs[r & (N - 1)] ^= (int16_t)r;
            h = mix(h, (uint32_t)dot(xs, ys, N - (int)(r & 15)));
        } else if (!strcmp(mode, "memcpy")) {
            size_t n = N - (size_t)(r & 63);

            copy(dst + (r & 7), src + (r & 31), n);
            h = mix(h, dst[r & (N - 1)] | (uint32_t)dst[n / 2] << 8);
        } else if (!strcmp(mode, "strlen")) {
            int len = (int)(8 + r * 37 % (N - 64));

            src[len] = 0; /* after the start, src[N + 63] is NUL too */
            h = mix(h, (uint32_t)slen((const char *)src + (r & 7)));
            src[len] = (uint8_t)(len | 1);
        } else if (!strcmp(mode, "hist")) {
            for (int v = 0; v < 256; v += 3) {
                h = mix(h, count(src + (r & 15), N / 4, (uint8_t)(v + r)));
            }
        } else if (!strcmp(mode, "matmul")) {
            ma[r % 48][(r * 7) % 48] += 0.125f;
            matmul();
            for (int i = 0; i < 48; i += 5) {
                h = mix(h, fbits(mc[i][(i * 3 + r) % 48]));
            }
        } else {
            fprintf(stderr, "vec: unknown mode %s\n", mode);
            exit(2);
        }
    }
    return h;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "saxpy";
    long rounds = argc > 2 ? atol(argv[2]) : 100;

    init();
    printf("vec %s %ld: %08x\n", mode, rounds, run(mode, rounds));
    return 0;
}
