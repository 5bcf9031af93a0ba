/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Differential test of the V extension: each instruction of the list
 * below runs TRIALS times with random vtype (SEW 8..64, LMUL 1/8..8), vl,
 * vxrm, frm, vstart 0, register contents, scalar operand and memory; after
 * each run the program prints a hash of v0-v31, vl, vstart, vcsr, fcsr, the
 * scalar result and the memory buffer, or "ILL" when the instruction
 * raised SIGILL (an illegal vtype, a misaligned group, a reserved form),
 * or "SEGV" with vstart.  Stores stay inside mem[] (strides of -8..7
 * bytes from its middle, up to VLEN 1024), loads may fault anywhere.  Run under ctcg-riscv64 and qemu-riscv64 with the
 * same -cpu; their outputs must be equal (tests/vector/rvv-diff.sh).
 * Built with clang-19 -march=rv64gcv.
 * Usage: rvv-diff [SEED [TRIALS [NAME]]] (NAME: print its full state)
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng;
static uint8_t vregs[32 * 128] __attribute__((aligned(64)));
static uint8_t mem[16384] __attribute__((aligned(64)));
static sigjmp_buf jb;
static unsigned long vlenb_;
static const char *dump_name; /* argv[3]: dump this insn's state in full */

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void on_sig(int sig)
{
    siglongjmp(jb, sig);
}

/* One instruction's test body: x = scalar, p = memory; returns x[rd]. */
typedef uint64_t (*Body)(uint64_t x, uint8_t *p);

#define T(name, text)                                                   \
    static uint64_t t_##name(uint64_t x, uint8_t *p)                    \
    {                                                                   \
        uint64_t r = 0;                                                 \
        asm volatile(text : "+r"(r) : "r"(x), "r"(p) : "memory", "t0"); \
        return r;                                                       \
    }
#include "rvv-diff-insns.h"
#undef T

static const struct {
    const char *name;
    Body fn;
} insns[] = {
#define T(name, text) {#name, t_##name},
#include "rvv-diff-insns.h"
#undef T
};

static void load_all(void)
{
    asm volatile("vl8re8.v v0, (%0)\n\t"
                 "vl8re8.v v8, (%1)\n\t"
                 "vl8re8.v v16, (%2)\n\t"
                 "vl8re8.v v24, (%3)" ::"r"(vregs),
                 "r"(vregs + 8 * vlenb_), "r"(vregs + 16 * vlenb_),
                 "r"(vregs + 24 * vlenb_)
                 : "memory");
}

static void store_all(void)
{
    asm volatile("vs8r.v v0, (%0)\n\t"
                 "vs8r.v v8, (%1)\n\t"
                 "vs8r.v v16, (%2)\n\t"
                 "vs8r.v v24, (%3)" ::"r"(vregs),
                 "r"(vregs + 8 * vlenb_), "r"(vregs + 16 * vlenb_),
                 "r"(vregs + 24 * vlenb_)
                 : "memory");
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * 0x100000001b3ull;
    }
    return h;
}

/*
 * Random vtype and vl; some trials use an illegal vtype (vill).  @min_sew:
 * FP instructions run with SEW >= 16 (qemu-riscv64 7.2 aborts on some
 * conversions at SEW 8).
 */
static void set_vtype(unsigned min_sew)
{
    uint64_t sew = min_sew + rnd() % (4 - min_sew), lmul = rnd() % 8, vt, avl,
             vl;

    if (lmul == 4 && rnd() % 4) {
        lmul = 0;
    }
    vt = lmul | sew << 3 | (rnd() % 4) << 6;
    avl = rnd() % 4 ? rnd() % (vlenb_ * 8 + 3) : ~0ull;
    asm volatile("vsetvl %0, %1, %2" : "=r"(vl) : "r"(avl), "r"(vt));
    vl = rnd() % 4;
    asm volatile("csrw vxrm, %0" ::"r"(vl));
    asm volatile("csrw vxsat, zero");
    vl = rnd() % 5;
    asm volatile("csrw fcsr, %0" ::"r"(vl << 5));
}

/*
 * ix_* (indexed with EEW 16..64): the index group v16..v23 holds offsets
 * below 4096, so that stores stay inside mem[] and loads mostly succeed.
 */
static void bound_indices(const char *name)
{
    size_t eew = strstr(name, "ei16") ? 2 : strstr(name, "ei32") ? 4 : 8;

    for (size_t i = 16 * vlenb_; i < 24 * vlenb_; i++) {
        if (i % eew == 1) {
            vregs[i] &= 0x0f;
        } else if (i % eew > 1) {
            vregs[i] = 0;
        }
    }
}

/* g16_* (vrgatherei16): 16-bit indices in v24..v31 below 48, many in range. */
static void small_indices16(void)
{
    for (size_t i = 24 * vlenb_; i < 32 * vlenb_; i++) {
        vregs[i] = i % 2 ? 0 : vregs[i] % 48;
    }
}

static void run(int k, int trial)
{
    uint64_t x = rnd(), r = 0, h = 0xcbf29ce484222325ull, st[5];
    volatile int sig;

    for (size_t i = 0; i < sizeof(vregs); i++) {
        vregs[i] = (uint8_t)rnd();
    }
    for (size_t i = 0; i < sizeof(mem); i++) {
        mem[i] = (uint8_t)rnd();
    }
    if (rnd() % 3 == 0) {
        x %= 40; /* small scalars: shift amounts, offsets, strides */
    }
    if (!strncmp(insns[k].name, "ix_", 3)) {
        bound_indices(insns[k].name);
    } else if (!strncmp(insns[k].name, "g16_", 4)) {
        small_indices16();
    }
    load_all();
    set_vtype(strncmp(insns[k].name, "vf", 2) &&
                      strncmp(insns[k].name, "vmf", 3)
                  ? 0
                  : 1);
    sig = sigsetjmp(jb, 1);
    if (sig == 0) {
        r = insns[k].fn(x, mem + 8192);
    }
    asm volatile("csrr %0, vl\n\tcsrr %1, vtype\n\tcsrr %2, vstart\n\t"
                 "csrr %3, vcsr\n\tcsrr %4, fcsr"
                 : "=r"(st[0]), "=r"(st[1]), "=r"(st[2]), "=r"(st[3]),
                   "=r"(st[4]));
    store_all();
    h = fnv(h, vregs, 32 * vlenb_);
    h = fnv(h, mem, sizeof(mem));
    h = fnv(h, st, sizeof(st));
    h = fnv(h, &r, sizeof(r));
    if (dump_name && !strcmp(dump_name, insns[k].name)) {
        printf("x=%llx\n", (unsigned long long)x);
        for (size_t i = 0; i < 32 * vlenb_; i++) {
            printf("%02x%s", vregs[i], (i + 1) % vlenb_ ? "" : "\n");
        }
        for (size_t i = 0; i < sizeof(mem); i += 64) {
            printf("mem %zu %016llx\n", i,
                   (unsigned long long)fnv(0, mem + i, 64));
        }
    }
    printf("%s %d %s vl=%llu vt=%llx vs=%llu vcsr=%llu fcsr=%llx r=%llx "
           "%016llx\n",
           insns[k].name, trial,
           sig == SIGILL    ? "ILL"
           : sig == SIGSEGV ? "SEGV"
                            : "ok",
           (unsigned long long)st[0], (unsigned long long)st[1],
           (unsigned long long)st[2], (unsigned long long)st[3],
           (unsigned long long)st[4], (unsigned long long)r,
           (unsigned long long)h);
}

int main(int argc, char **argv)
{
    int trials = argc > 2 ? atoi(argv[2]) : 20;
    struct sigaction sa;

    setvbuf(stdout, NULL, _IOLBF, 0);
    dump_name = argc > 3 ? argv[3] : NULL;
    rng = argc > 1 ? strtoull(argv[1], NULL, 0) : 1;
    rng = rng * 0x9e3779b97f4a7c15ull + 1;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sig;
    sigaction(SIGILL, &sa, NULL);
    sigaction(SIGSEGV, &sa, NULL);
    asm volatile("csrr %0, vlenb" : "=r"(vlenb_));
    for (size_t k = 0; k < sizeof(insns) / sizeof(insns[0]); k++) {
        for (int t = 0; t < trials; t++) {
            run((int)k, t);
        }
    }
    return 0;
}
