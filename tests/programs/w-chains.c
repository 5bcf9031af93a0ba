/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Chains of RISC-V W instructions in hot loops (issue 18): every value
 * that can be seen must be the canonical, sign-extended 64-bit one.  The
 * cases are those a pass that drops W results' sign extensions must get
 * right (tcg/narrow.c, tried in session 9 and not landed: tag
 * tried/narrow-s9, docs/performance.md); they also cover the optimizer's
 * "and with 0xff/0xffff/0xffffffff is a zero extension".
 *   - chain: xorshift steps whose intermediate registers are stored as 64
 *     bits, xored, anded and ored with full 64-bit values, added, compared
 *     (sltu, blt), shifted right by 32 and more (reading the extension),
 *     used to form an address, passed to a call, written to x0; inputs at
 *     the 2^31 and 2^32 boundaries;
 *   - fault: a load from a PROT_NONE page in the middle of a chain; the
 *     SIGSEGV handler checks the intermediate registers (a4 written by
 *     slliw, a5 by xor of a dropped-extension value) are sign-extended;
 *   - zext: and with 0xff (andi), 0xffff and 0xffffffff (registers known to
 *     hold them), which ctcg turns into movzx / mov r32, r32, with the
 *     input living on and with x0 as destination; and "sext.w a4, t0;
 *     sext.w a5, a4" with a4 overwritten before a5 is stored (once taken
 *     for a move: a stale count of dropped extensions);
 *   - guard: a loop whose x register is sign-extended at every back edge
 *     (ctcg takes it as sign-extended at the loop's head, behind a guard
 *     at the TB's entry), run hot with sign-extended entry values, then
 *     entered with values that are not: the first iteration must see all
 *     64 bits (the guard fails, the TB is translated again without the
 *     assumption), then sign-extended ones again;
 *   - head: a loop inside the function's region whose a5 is sign-extended
 *     on the way in and on one back edge but not on the other: the
 *     "sext.w" at its head must stay (and goes where every edge extends).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "edges.h"

static const uint64_t edges[16] = {
    EDGES_32_64,
    0x40000000ull,
    0x7ffff000ull,
    0xffffffff80001234ull,
};

#define NPAIR 256
#define NOUT 12

static uint64_t sx(uint64_t x)
{
    return (uint64_t)(int64_t)(int32_t)x;
}

static uint64_t slliw(uint64_t x, unsigned s)
{
    return sx((uint32_t)x << s);
}

static uint64_t srliw(uint64_t x, unsigned s)
{
    return sx((uint32_t)x >> s);
}

/* A table for the address case: 256 doublewords, indexed -128..127. */
static uint64_t table[256];

/* Called from the chain loop: stores its a0 (64 bits) at a1. */
__asm__(".text\n"
        ".globl w_store\n"
        "w_store:\n\t"
        "sd a0, 0(a1)\n\t"
        "ret\n");

/*
 * For each pair (x, y) = in[2i], in[2i+1]: NOUT results at out[NOUT*i].
 * t0 x, t1 y, t5 in, t6 out, a7 the end of in, s1 &table[128].
 */
static void chain_loop(const uint64_t *in, uint64_t *out, uint64_t n)
{
    __asm__ volatile(
        "mv t5, %0\n\t"
        "mv t6, %1\n\t"
        "slli a7, %2, 4\n\t"
        "add a7, a7, %0\n\t"
        "mv s1, %3\n"
        "1:\n\t"
        "ld t0, 0(t5)\n\t"
        "ld t1, 8(t5)\n\t"
        /* xorshift on sext(x); a4 stored as 64 bits */
        "sext.w a5, t0\n\t"
        "slliw a4, a5, 13\n\t"
        "xor a5, a5, a4\n\t"
        "srliw a4, a5, 17\n\t"
        "xor a5, a5, a4\n\t"
        "slliw a4, a5, 5\n\t"
        "xor a4, a4, a5\n\t"
        "sd a4, 0(t6)\n\t"
        /* with a full 64-bit y: xor, and, or */
        "slliw a3, t0, 3\n\t"
        "xor a2, a3, t1\n\t"
        "sd a2, 8(t6)\n\t"
        "slliw a3, t0, 1\n\t"
        "and a2, a3, t1\n\t"
        "slliw a3, t0, 31\n\t"
        "or a3, a3, t1\n\t"
        "add a2, a2, a3\n\t"
        "sd a2, 16(t6)\n\t"
        /* W arithmetic, the result compared in 64 bits */
        "addw a6, t0, t1\n\t"
        "mulw a6, a6, a5\n\t"
        "subw a6, a6, t0\n\t"
        "sltu a2, a6, t1\n\t"
        "slli a2, a2, 1\n\t"
        "slliw a3, t0, 7\n\t"
        "blt a3, t1, 2f\n\t"
        "ori a2, a2, 1\n"
        "2:\n\t"
        "sd a2, 24(t6)\n\t"
        "sd a6, 32(t6)\n\t"
        /* the extension read by shifts right */
        "slliw a3, t0, 31\n\t"
        "srli a2, a3, 32\n\t"
        "sd a2, 40(t6)\n\t"
        "addiw a3, t0, -1\n\t"
        "srai a2, a3, 40\n\t"
        "sd a2, 48(t6)\n\t"
        /* an address: a sign-extended byte times 8 around table[128] */
        "andi a3, t0, 255\n\t"
        "slliw a3, a3, 24\n\t"
        "srai a3, a3, 21\n\t"
        "add a3, a3, s1\n\t"
        "ld a2, 0(a3)\n\t"
        "sd a2, 56(t6)\n\t"
        /* x0 written by W ops; then read */
        "slliw zero, t0, 3\n\t"
        "addw zero, t0, t1\n\t"
        "xor a2, zero, a5\n\t"
        "sd a2, 64(t6)\n\t"
        /* not and andi of W results, stored */
        "slliw a3, t0, 4\n\t"
        "not a2, a3\n\t"
        "andi a3, a3, 0x7f0\n\t"
        "xor a2, a2, a3\n\t"
        "sd a2, 72(t6)\n\t"
        /* passed to a call */
        "slliw a0, t0, 2\n\t"
        "xor a0, a0, a5\n\t"
        "addi a1, t6, 80\n\t"
        "jal ra, w_store\n\t"
        /* a W chain ending in an xor with a full value, stored */
        "srliw a3, t1, 1\n\t"
        "slliw a2, t0, 9\n\t"
        "xor a2, a2, a3\n\t"
        "xor a2, a2, t0\n\t"
        "sd a2, 88(t6)\n\t"
        "addi t5, t5, 16\n\t"
        "addi t6, t6, 96\n\t"
        "bne t5, a7, 1b\n\t"
        :
        : "r"(in), "r"(out), "r"(n), "r"(&table[128])
        : "t0", "t1", "t5", "t6", "a0", "a1", "a2", "a3", "a4", "a5", "a6",
          "a7", "s1", "ra", "memory");
}

static void chain_ref(uint64_t x, uint64_t y, uint64_t *o)
{
    uint64_t a5 = sx(x), a4, a3, a2, a6;

    a4 = slliw(a5, 13);
    a5 ^= a4;
    a4 = srliw(a5, 17);
    a5 ^= a4;
    a4 = slliw(a5, 5) ^ a5;
    o[0] = a4;
    o[1] = slliw(x, 3) ^ y;
    o[2] = (slliw(x, 1) & y) + (slliw(x, 31) | y);
    a6 = sx((uint32_t)x + (uint32_t)y);
    a6 = sx((uint32_t)a6 * (uint32_t)a5);
    a6 = sx((uint32_t)a6 - (uint32_t)x);
    a2 = (a6 < y) << 1;
    if (!((int64_t)slliw(x, 7) < (int64_t)y)) {
        a2 |= 1;
    }
    o[3] = a2;
    o[4] = a6;
    o[5] = slliw(x, 31) >> 32;
    o[6] = (uint64_t)((int64_t)sx((uint32_t)x - 1) >> 40);
    a3 = (uint64_t)((int64_t)slliw(x & 255, 24) >> 21);
    o[7] = table[128 + (int64_t)a3 / 8];
    o[8] = a5;
    a3 = slliw(x, 4);
    o[9] = ~a3 ^ (a3 & 0x7f0);
    o[10] = slliw(x, 2) ^ a5;
    o[11] = slliw(x, 9) ^ srliw(y, 1) ^ x;
}

static void test_chain(void)
{
    static uint64_t in[2 * NPAIR], out[NOUT * NPAIR];

    for (int i = 0; i < 256; i++) {
        table[i] = 0x1000 + (uint64_t)i * 0x10001;
    }
    for (int i = 0; i < NPAIR; i++) {
        in[2 * i] = edges[i % 16];
        in[2 * i + 1] = edges[i / 16];
    }
    for (int rep = 0; rep < 20; rep++) {
        memset(out, 0x5a, sizeof(out));
        chain_loop(in, out, NPAIR);
        for (int i = 0; i < NPAIR; i++) {
            uint64_t want[NOUT];

            chain_ref(in[2 * i], in[2 * i + 1], want);
            for (int k = 0; k < NOUT; k++) {
                CHECK(out[NOUT * i + k] == want[k]);
            }
        }
    }
    printf("chain: %s\n", fails ? "FAIL" : "ok");
}

/*
 * The fault case: xorshift with a load between the steps, from p (a4
 * words on).  Registers: a5 x, a2 k, a7 the count, t4 the load pointer,
 * a0 the sum of the loaded words.
 */
extern char wf_load[];

static sigjmp_buf wf_jb;
static uint64_t wf_want_a4, wf_want_a5, wf_addr;
static volatile int wf_faults;

static uint64_t fault_loop(uint64_t x, const uint32_t *p, uint64_t n)
{
    register uint64_t a0 __asm__("a0") = 0;
    register uint64_t a5 __asm__("a5") = x;
    register uint64_t t4 __asm__("t4") = (uint64_t)(uintptr_t)p;

    __asm__ volatile("li a2, 0\n"
                     "1:\n\t"
                     "slliw a4, a5, 13\n\t"
                     "xor a5, a5, a4\n\t"
                     "srliw a4, a5, 17\n\t"
                     "xor a5, a5, a4\n\t"
                     "slliw a4, a5, 5\n\t"
                     ".globl wf_load\n"
                     "wf_load:\n\t"
                     "lw a1, 0(t4)\n\t"
                     "xor a4, a4, a5\n\t"
                     "sext.w a5, a4\n\t"
                     "add a0, a0, a1\n\t"
                     "addi t4, t4, 4\n\t"
                     "addiw a2, a2, 1\n\t"
                     "bne a2, %3, 1b\n\t"
                     : "+r"(a0), "+r"(a5), "+r"(t4)
                     : "r"(n)
                     : "a1", "a2", "a4", "memory");
    return a0 ^ a5;
}

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    unsigned long *r = uc->uc_mcontext.__gregs;

    (void)sig;
    wf_faults++;
    CHECK(r[REG_PC] == (unsigned long)(uintptr_t)wf_load);
    CHECK((uint64_t)(uintptr_t)si->si_addr == wf_addr);
    CHECK(r[14] == wf_want_a4); /* a4 */
    CHECK(r[15] == wf_want_a5); /* a5 */
    siglongjmp(wf_jb, 1);
}

static void test_fault(void)
{
    size_t pg = 4096;
    uint8_t *map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;

    CHECK(map != MAP_FAILED);
    CHECK(mprotect(map + pg, pg, PROT_NONE) == 0);
    memset(map, 0, pg);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    for (volatile int run = 0; run < 40; run++) {
        int at = 50 + run; /* the faulting iteration */
        const uint32_t *p = (const uint32_t *)(map + pg) - at;
        uint64_t a5 = sx(0x89abcdefu * (uint32_t)(run + 1)), a4 = 0;

        for (int i = 0; i <= at; i++) {
            a4 = slliw(a5, 13);
            a5 ^= a4;
            a4 = srliw(a5, 17);
            a5 ^= a4;
            a4 = slliw(a5, 5);
            if (i < at) {
                a4 ^= a5;
                a5 = sx(a4);
            }
        }
        wf_want_a4 = a4;
        wf_want_a5 = a5;
        wf_addr = (uint64_t)(uintptr_t)(map + pg);
        if (sigsetjmp(wf_jb, 1) == 0) {
            fault_loop(sx(0x89abcdefu * (uint32_t)(run + 1)), p, 1000);
            CHECK(0); /* no fault */
        }
    }
    CHECK(wf_faults == 40);
    munmap(map, 2 * pg);
    printf("fault: %s\n", fails ? "FAIL" : "ok");
}

/*
 * out[4i..4i+3] for in[i]: x & 0xff, x & 0xffff, x & 0xffffffff, and
 * sext.w of sext.w of x whose first result is overwritten before the
 * store (dropped) while the second is stored: it must stay an extension.
 */
static void zext_loop(const uint64_t *in, uint64_t *out, uint64_t n)
{
    __asm__ volatile("mv t5, %0\n\t"
                     "mv t6, %1\n\t"
                     "slli a7, %2, 3\n\t"
                     "add a7, a7, %0\n\t"
                     "li t2, 0xffff\n\t"
                     "li t3, -1\n\t"
                     "srli t3, t3, 32\n"
                     "1:\n\t"
                     "ld t0, 0(t5)\n\t"
                     "andi t1, t0, 255\n\t"
                     "and a2, t0, t2\n\t"
                     "and a3, t0, t3\n\t"
                     "andi zero, t0, 255\n\t"
                     "and zero, t0, t3\n\t"
                     "sd t1, 0(t6)\n\t"
                     "sd a2, 8(t6)\n\t"
                     "sd a3, 16(t6)\n\t"
                     /* sext.w twice, the first result overwritten */
                     "sext.w a4, t0\n\t"
                     "sext.w a5, a4\n\t"
                     "li a4, 0\n\t"
                     "sd a5, 24(t6)\n\t"
                     "addi t5, t5, 8\n\t"
                     "addi t6, t6, 32\n\t"
                     "bne t5, a7, 1b\n\t"
                     :
                     : "r"(in), "r"(out), "r"(n)
                     : "t0", "t1", "t2", "t3", "t5", "t6", "a2", "a3", "a4",
                       "a5", "a7", "memory");
}

static void test_zext(void)
{
    uint64_t out[4 * 16];

    for (int rep = 0; rep < 100; rep++) {
        memset(out, 0x5a, sizeof(out));
        zext_loop(edges, out, 16);
        for (int i = 0; i < 16; i++) {
            CHECK(out[4 * i] == (edges[i] & 0xff));
            CHECK(out[4 * i + 1] == (edges[i] & 0xffff));
            CHECK(out[4 * i + 2] == (edges[i] & 0xffffffff));
            CHECK(out[4 * i + 3] == sx(edges[i]));
        }
    }
    printf("zext: %s\n", fails ? "FAIL" : "ok");
}

/* out[i] = a4 of iteration i; a5 enters as x (any 64-bit value). */
static void spec_loop(uint64_t x, uint64_t *out, uint64_t n)
{
    __asm__ volatile("mv a5, %0\n\t"
                     "mv t4, %1\n\t"
                     "slli a7, %2, 3\n\t"
                     "add a7, a7, %1\n"
                     "1:\n\t"
                     "slliw a4, a5, 13\n\t"
                     "xor a5, a5, a4\n\t"
                     "srliw a4, a5, 17\n\t"
                     "xor a5, a5, a4\n\t"
                     "slliw a4, a5, 5\n\t"
                     "xor a4, a4, a5\n\t"
                     "sd a4, 0(t4)\n\t"
                     "sext.w a5, a4\n\t"
                     "addi t4, t4, 8\n\t"
                     "bne t4, a7, 1b\n\t"
                     :
                     : "r"(x), "r"(out), "r"(n)
                     : "a4", "a5", "a7", "t4", "memory");
}

static void spec_ref(uint64_t x, uint64_t *out, uint64_t n)
{
    for (uint64_t i = 0; i < n; i++) {
        uint64_t a4 = slliw(x, 13);

        x ^= a4;
        a4 = srliw(x, 17);
        x ^= a4;
        a4 = slliw(x, 5) ^ x;
        out[i] = a4;
        x = sx(a4);
    }
}

static void test_guard(void)
{
    uint64_t out[16], want[16];

    for (int rep = 0; rep < 300; rep++) {
        /* Sign-extended entries mostly; from rep 100 on, now and then not. */
        uint64_t x = edges[rep % 16];

        if (rep < 100 || rep % 3) {
            x = sx(x);
        }
        memset(out, 0x5a, sizeof(out));
        spec_loop(x, out, 16);
        spec_ref(x, want, 16);
        for (int i = 0; i < 16; i++) {
            CHECK(out[i] == want[i]);
        }
    }
    printf("guard: %s\n", fails ? "FAIL" : "ok");
}

/*
 * A loop head inside the TB (the function's region, entered by falling
 * through from "sext.w a5"): out[i] = "sext.w a6, a5" at the head.  With
 * mixed, every other iteration goes back by a second edge after a 64-bit
 * xor, so a5 is not sign-extended there and the head's sext.w must stay
 * (session 12: loop heads keep the extensions every back edge keeps).
 */
__attribute__((noinline)) static void
head_loop(uint64_t x, uint64_t y, uint64_t *out, uint64_t n, int mixed)
{
    if (!mixed) {
        __asm__ volatile("sext.w a5, %0\n\t"
                         "mv t4, %2\n\t"
                         "slli a7, %3, 3\n\t"
                         "add a7, a7, %2\n"
                         "1:\n\t"
                         "sext.w a6, a5\n\t"
                         "sd a6, 0(t4)\n\t"
                         "slliw a4, a5, 13\n\t"
                         "xor a5, a5, a4\n\t"
                         "srliw a4, a5, 17\n\t"
                         "xor a5, a5, a4\n\t"
                         "addi t4, t4, 8\n\t"
                         "bne t4, a7, 1b\n\t"
                         :
                         : "r"(x), "r"(y), "r"(out), "r"(n)
                         : "a4", "a5", "a6", "a7", "t4", "memory");
        return;
    }
    __asm__ volatile("sext.w a5, %0\n\t"
                     "mv t4, %2\n\t"
                     "li t5, 0\n\t"
                     "slli a7, %3, 3\n\t"
                     "add a7, a7, %2\n"
                     "1:\n\t"
                     "sext.w a6, a5\n\t"
                     "sd a6, 0(t4)\n\t"
                     "slliw a4, a5, 13\n\t"
                     "xor a5, a5, a4\n\t"
                     "addi t4, t4, 8\n\t"
                     "addi t5, t5, 1\n\t"
                     "andi t6, t5, 1\n\t"
                     "beqz t6, 2f\n\t"
                     "xor a5, a5, %1\n\t"
                     "bne t4, a7, 1b\n\t"
                     "j 3f\n"
                     "2:\n\t"
                     "bne t4, a7, 1b\n"
                     "3:\n\t"
                     :
                     : "r"(x), "r"(y), "r"(out), "r"(n)
                     : "a4", "a5", "a6", "a7", "t4", "t5", "t6", "memory");
}

static void head_ref(uint64_t x, uint64_t y, uint64_t *out, uint64_t n,
                     int mixed)
{
    x = sx(x);
    for (uint64_t i = 0; i < n; i++) {
        out[i] = sx(x);
        x ^= slliw(x, 13);
        if (mixed && ((i + 1) & 1)) {
            x ^= y;
        } else if (!mixed) {
            x ^= srliw(x, 17);
        }
    }
}

static void test_head(void)
{
    uint64_t out[16], want[16], sum = 0;

    /* The reference runs under the same emulator: the sum, compared with
     * qemu's output, catches a mistake both make. */
    for (int rep = 0; rep < 400; rep++) {
        uint64_t x = edges[rep % 16], y = edges[(rep / 16) % 16] << 1;

        memset(out, 0x5a, sizeof(out));
        head_loop(x, y, out, 16, rep & 1);
        head_ref(x, y, want, 16, rep & 1);
        for (int i = 0; i < 16; i++) {
            CHECK(out[i] == want[i]);
            sum = sum * 31 + out[i];
        }
    }
    printf("head: %s, sum %016llx\n", fails ? "FAIL" : "ok",
           (unsigned long long)sum);
}

int main(void)
{
    test_chain();
    test_fault();
    test_zext();
    test_guard();
    test_head();
    printf("w-chains: %s\n", fails ? "FAIL" : "ok");
    return fails != 0;
}
