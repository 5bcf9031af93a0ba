/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Half-precision oracle, guest side: a riscv64 program (built with
 * -march=rv64gc_zfh) that runs every Zfh/Zfhmin instruction of
 * half-ops.h on operands it draws itself, and prints one line a case:
 *
 *   OP RM FRM PRE A B C RESULT FLAGS        (RM 0-4 static, 7 dynamic)
 *
 * (decimal OP, RM, FRM; hex PRE = fflags before, operands, result, fflags
 * after).  Operands: special values, random bit patterns, numbers near
 * the subnormal and overflow boundaries and with few significant bits;
 * an f operand is NaN-boxed except in one case in eight.  Run under
 * qemu-riscv64 -cpu rv64,Zfh=true and ctcg-riscv64 with the same -cpu,
 * the checker (half-oracle.c) recomputes every line with fpu_*_h.
 * Usage: half-guest SEED COUNT
 *        half-guest ext: runs Zfhmin's instructions, prints "zfhmin",
 *        then fadd.h and prints "zfh" (SIGILL where an extension is off).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "half-ops.h"

static uint64_t rng;

static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static const uint16_t specials[] = {
    0x0000, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7c01, 0x7dff, 0xfe00,
    0x0001, 0x03ff, 0x0400, 0x0401, 0x7bff, 0xfbff, 0x3c00, 0xbc00,
    0x3bff, 0x3c01, 0x8001, 0x0200, 0x4000, 0x3800, 0x7800, 0x0002,
};

static uint16_t gen_h(void)
{
    uint16_t sign = (rnd() & 1) << 15, m = rnd() & 0x3ff;

    if (rnd() & 1) {
        m &= 0x3ff << (rnd() % 11); /* few significant bits: ties */
    }
    switch (rnd() % 8) {
    case 0:
        return specials[rnd() % (sizeof(specials) / sizeof(specials[0]))] ^
               (rnd() % 4 == 0 ? sign : 0);
    case 1:
    case 2:
        return (uint16_t)rnd();
    case 3:
        return sign | (uint16_t)(rnd() % 4) << 10 | m; /* tiny */
    case 4:
        return sign | (uint16_t)(27 + rnd() % 4) << 10 | m; /* huge */
    default:
        return sign | (uint16_t)(10 + rnd() % 11) << 10 | m;
    }
}

/* a raw f register: a boxed half, sometimes improperly boxed */
static uint64_t gen_f(void)
{
    uint64_t h = gen_h();

    if (rnd() % 8 == 0) {
        return rnd() % 2 ? h : (rnd() & ~0xffffull) | h;
    }
    return 0xffffffffffff0000ull | h;
}

static uint64_t gen_int(void)
{
    switch (rnd() % 5) {
    case 0:
        return (uint64_t)((int64_t)(rnd() % 200001) - 100000);
    case 1:
        return rnd() >> (rnd() % 64);
    case 2:
        return (1ull << (rnd() % 64)) + rnd() % 7 - 3;
    case 3: /* 11..14 significant bits: ties and near-ties */
        return ((rnd() & 0x3fff) | 0x400) << (rnd() % 50);
    default:
        return rnd();
    }
}

/* a single or double near the half range, or anything; boxed singles */
static uint64_t gen_wide(int dbl)
{
    int fb = dbl ? 52 : 23, bias = dbl ? 1023 : 127;
    uint64_t sign = (rnd() & 1) << (dbl ? 63 : 31), e, m = rnd();

    if (rnd() % 5 == 0) {
        m = dbl ? rnd() : (uint32_t)rnd();
        return dbl ? m : 0xffffffff00000000ull | m;
    }
    e = bias - 28 + rnd() % 46;
    if (rnd() & 1) {
        m &= ~0ull << (fb - 10 - rnd() % 4); /* ties of the half rounding */
    }
    m = sign | e << fb | (m & ((1ull << fb) - 1));
    return dbl ? m : 0xffffffff00000000ull | m;
}

#define CLOB "ft0", "ft1", "ft2", "ft3"
#define RR_RM(I, R)                                         \
    asm volatile("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" I \
                 " ft2, ft0, ft1, " R "\n\tfmv.x.d %0, ft2" \
                 : "=r"(r)                                  \
                 : "r"(a), "r"(b)                           \
                 : CLOB)
#define R_RM(I, R)                                                             \
    asm volatile("fmv.d.x ft0, %1\n\t" I " ft2, ft0, " R "\n\tfmv.x.d %0, ft2" \
                 : "=r"(r)                                                     \
                 : "r"(a)                                                      \
                 : CLOB)
#define RRR_RM(I, R)                                               \
    asm volatile("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t"          \
                 "fmv.d.x ft2, %3\n\t" I " ft3, ft0, ft1, ft2, " R \
                 "\n\tfmv.x.d %0, ft3"                             \
                 : "=r"(r)                                         \
                 : "r"(a), "r"(b), "r"(c)                          \
                 : CLOB)
#define RR(I)                                               \
    asm volatile("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" I \
                 " ft2, ft0, ft1\n\tfmv.x.d %0, ft2"        \
                 : "=r"(r)                                  \
                 : "r"(a), "r"(b)                           \
                 : CLOB)
#define CMP(I)                                                              \
    asm volatile("fmv.d.x ft0, %1\n\tfmv.d.x ft1, %2\n\t" I " %0, ft0, ft1" \
                 : "=r"(r)                                                  \
                 : "r"(a), "r"(b)                                           \
                 : CLOB)
#define CLASS(I) \
    asm volatile("fmv.d.x ft0, %1\n\t" I " %0, ft0" : "=r"(r) : "r"(a) : CLOB)
#define TOINT_RM(I, R)                                  \
    asm volatile("fmv.d.x ft0, %1\n\t" I " %0, ft0, " R \
                 : "=r"(r)                              \
                 : "r"(a)                               \
                 : CLOB)
#define FROMINT_RM(I, R)                                \
    asm volatile(I " ft0, %1, " R "\n\tfmv.x.d %0, ft0" \
                 : "=r"(r)                              \
                 : "r"(a)                               \
                 : CLOB)

#define WITH_RM(M, I) \
    switch (rm) {     \
    case 0:           \
        M(I, "rne");  \
        break;        \
    case 1:           \
        M(I, "rtz");  \
        break;        \
    case 2:           \
        M(I, "rdn");  \
        break;        \
    case 3:           \
        M(I, "rup");  \
        break;        \
    case 4:           \
        M(I, "rmm");  \
        break;        \
    default:          \
        M(I, "dyn");  \
        break;        \
    }

#define RUN_RR_RM(I) WITH_RM(RR_RM, I)
#define RUN_R_RM(I) WITH_RM(R_RM, I)
#define RUN_RRR_RM(I) WITH_RM(RRR_RM, I)
#define RUN_TOINT_RM(I) WITH_RM(TOINT_RM, I)
#define RUN_FROMINT_RM(I) WITH_RM(FROMINT_RM, I)
#define RUN_FROMS_RM(I) WITH_RM(R_RM, I)
#define RUN_FROMD_RM(I) WITH_RM(R_RM, I)
#define RUN_CONV(I)                                                     \
    asm volatile("fmv.d.x ft0, %1\n\t" I " ft2, ft0\n\tfmv.x.d %0, ft2" \
                 : "=r"(r)                                              \
                 : "r"(a)                                               \
                 : CLOB)
#define RUN_RR(I) RR(I)
#define RUN_CMP(I) CMP(I)
#define RUN_CLASS(I) CLASS(I)
#define RUN_MVX(I) CLASS(I)
#define RUN_MVF(I) \
    asm volatile(I " ft0, %1\n\tfmv.x.d %0, ft0" : "=r"(r) : "r"(a) : CLOB)
#define RUN_LOAD(I)                                 \
    asm volatile(I " ft0, 0(%1)\n\tfmv.x.d %0, ft0" \
                 : "=r"(r)                          \
                 : "r"(&m16)                        \
                 : CLOB, "memory")
#define RUN_STORE(I)                                   \
    asm volatile("fmv.d.x ft0, %1\n\t" I " ft0, 0(%2)" \
                 : "=r"(r)                             \
                 : "r"(a), "r"(&m16)                   \
                 : CLOB, "memory");                    \
    r = m16

static uint64_t run(unsigned op, unsigned rm, uint64_t a, uint64_t b,
                    uint64_t c)
{
    uint64_t r = 0;
    volatile uint16_t m16 = (uint16_t)a;

    (void)c;
    switch (op) {
#define X(id, kind, insn) \
    case HOP_##id: {      \
        RUN_##kind(insn); \
    } break;
        HALF_OPS(X)
#undef X
    default:
        exit(2);
    }
    return r;
}

/* the operands of @op */
static void gen_case(unsigned op, uint64_t *a, uint64_t *b, uint64_t *c)
{
    *a = gen_f();
    *b = rnd() % 4 == 0 ? *a ^ (rnd() % 4) ^ ((rnd() & 1) << 15) : gen_f();
    *c = gen_f();
    switch (op) {
    case HOP_FCVT_H_W:
    case HOP_FCVT_H_WU:
    case HOP_FCVT_H_L:
    case HOP_FCVT_H_LU:
    case HOP_FMV_H_X:
        *a = gen_int();
        break;
    case HOP_FCVT_H_S:
        *a = gen_wide(0);
        break;
    case HOP_FCVT_H_D:
        *a = gen_wide(1);
        break;
    case HOP_FLH:
        *a = (uint16_t)rnd();
        break;
    default:
        break;
    }
}

/* Which of Zfhmin and Zfh are on: SIGILL at the first one that is off. */
static int probe_ext(void)
{
    volatile uint16_t m = 0x3c00;
    uint64_t r;

    asm volatile("flh ft0, 0(%1)\n\tfcvt.s.h ft1, ft0\n\tfcvt.h.s ft0, ft1\n\t"
                 "fcvt.d.h ft1, ft0\n\tfcvt.h.d ft0, ft1\n\tfsh ft0, 0(%1)\n\t"
                 "fmv.h.x ft0, %2\n\tfmv.x.h %0, ft0"
                 : "=r"(r)
                 : "r"(&m), "r"(0xbc01ul)
                 : CLOB, "memory");
    printf("zfhmin %llx %x\n", (unsigned long long)r, m);
    fflush(stdout);
    asm volatile("fmv.h.x ft0, %1\n\tfadd.h ft0, ft0, ft0\n\tfmv.x.h %0, ft0"
                 : "=r"(r)
                 : "r"((uint64_t)m)
                 : CLOB);
    printf("zfh %llx\n", (unsigned long long)r);
    return 0;
}

int main(int argc, char **argv)
{
    static char obuf[1 << 16];
    unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 0) : 10000;

    if (argc > 1 && !strcmp(argv[1], "ext")) {
        return probe_ext();
    }
    rng = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    setvbuf(stdout, obuf, _IOFBF, sizeof(obuf));
    for (unsigned long i = 0; i < n; i++) {
        unsigned op = rnd() % HOP_COUNT, rm = rnd() % 6;
        unsigned long frm = rnd() % 5, pre, fl;
        uint64_t a, b, c, r;

        rm = rm == 5 ? 7 : rm;
        pre = rnd() % 3 == 0 ? rnd() % 32 : (rnd() & 1);
        gen_case(op, &a, &b, &c);
        asm volatile("fsrm %0" : : "r"(frm));
        asm volatile("fsflags %0" : : "r"(pre));
        r = run(op, rm, a, b, c);
        asm volatile("frflags %0" : "=r"(fl));
        printf("%u %u %lu %lx %llx %llx %llx %llx %lx\n", op, rm, frm, pre,
               (unsigned long long)a, (unsigned long long)b,
               (unsigned long long)c, (unsigned long long)r, fl);
    }
    return 0;
}
