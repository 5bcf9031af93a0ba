/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The same code in both translation tiers: mix() and its callees run on
 * eight inputs, 40 rounds.  The first calls run their TBs cold (emitted
 * directly, without IR, by translate-direct.c, or through IR for what the
 * direct tier does not cover); after 64 entries each TB is retranslated
 * hot (optimized regions: meson.build runs this test with CTCG_TB_HOT=64,
 * the default threshold is higher).  Every round must give the
 * first round's results, and stdout (the first round's checksum and a
 * fault's PC) is compared with qemu-riscv64.  A guest fault in cold code
 * must report the PC of the faulting load (precise PCs from the direct
 * tier's search data) with the registers written before it.
 *
 * mix() is written to need the direct tier's whole subset: lui, auipc,
 * the ALU and W forms with immediates and registers, mul/mulw, loads and
 * stores of each size and sign, the six branches, jal, jalr (a call
 * through a pointer, returns), fence and ecall (write).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <ucontext.h>

#include "guest.h"

#define ROUNDS 40
#define NIN 8

typedef uint64_t (*Fn)(uint64_t, uint64_t);

static __attribute__((noinline)) uint64_t f_add(uint64_t a, uint64_t b)
{
    return a + b * 3;
}

static __attribute__((noinline)) uint64_t f_xor(uint64_t a, uint64_t b)
{
    return (a ^ (b >> 7)) | 0x40;
}

static Fn volatile fns[2] = {f_add, f_xor};
static volatile uint8_t buf[64];

static __attribute__((noinline)) uint64_t mix(uint64_t a, uint64_t b)
{
    volatile uint8_t *p = buf;
    uint64_t r = 0x9e3779b97f4a7c15ull;
    int32_t w = (int32_t)a;

    r ^= a + b;
    r += (a - b) << 3;
    r ^= (a & 0xff0) | (b | 0x7);
    r += a >> (b & 63);
    r ^= (uint64_t)((int64_t)a >> (a & 63));
    r += (uint64_t)((int64_t)a < (int64_t)b) + (a < b) * 2;
    r ^= (uint64_t)(int64_t)(w + (int32_t)b);
    r += (uint64_t)(int64_t)(w - (int32_t)b);
    r ^= (uint64_t)(int64_t)(w << (b & 31));
    r += (uint64_t)(int64_t)(int32_t)((uint32_t)w >> (b & 31));
    r ^= (uint64_t)(int64_t)(w >> (a & 31));
    r += (uint64_t)(int64_t)(w << 5) + (uint64_t)(int64_t)(w >> 3) +
         (uint32_t)w / 16;
    r ^= a * b;
    r += (uint64_t)(int64_t)(w * (int32_t)b);
    r ^= (int64_t)a < -5 ? 1 : 2;
    r += a < 1000 ? 4 : 8;
    p[a & 31] = (uint8_t)r;
    p[(b & 15) + 32] = (uint8_t)(r >> 8);
    *(volatile uint16_t *)(p + 2 * (a & 7)) = (uint16_t)(r >> 16);
    *(volatile uint32_t *)(p + 4 * (b & 7)) = (uint32_t)(r >> 24);
    *(volatile uint64_t *)(p + 8 * (a & 3) + 24) = r * 5;
    /* fence rw,rw (a barrier on x86), fence r,r and fence.tso (none) */
    __asm__ volatile("fence rw, rw\n\tfence r, r\n\t.word 0x8330000f" ::
                         : "memory");
    r += *(volatile int8_t *)(p + (b & 63));
    r ^= p[(a + 1) & 63];
    r += *(volatile int16_t *)(p + 2 * (b & 31));
    r ^= *(volatile uint16_t *)(p + 2 * (a & 31));
    r += (uint64_t)(int64_t) * (volatile int32_t *)(p + 4 * (a & 15));
    r ^= *(volatile uint32_t *)(p + 4 * (b & 15));
    r += *(volatile uint64_t *)(p + 8 * (b & 7));
    r ^= fns[(a ^ b) & 1](a, r);
    if (a == b) {
        r += 11;
    }
    if (a != b + 1) {
        r ^= 13;
    }
    if ((int64_t)a >= (int64_t)b) {
        r += 17;
    }
    if (a >= b) {
        r ^= 19;
    }
    return r ^ 0x123456789abcdef0ull;
}

static const uint64_t in[NIN][2] = {
    {0, 0},
    {1, 0},
    {0x7fffffff, 0x80000000},
    {(uint64_t)-1, 1},
    {0x8000000000000000ull, 0x7fffffffffffffffull},
    {123456789, 987654321},
    {(uint64_t)-6, (uint64_t)-7},
    {0xdeadbeefcafef00dull, 0x0123456789abcdefull},
};

static uint64_t out[ROUNDS][NIN];

/* A load from @p after writing a register: the fault's PC is the load's. */
static __attribute__((noinline)) uint64_t faulting(volatile uint64_t *p,
                                                   volatile uint64_t *q)
{
    *q = 5;
    return *p + 1;
}

static sigjmp_buf back;
static volatile uintptr_t got_pc, got_addr;

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    (void)sig;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    siglongjmp(back, 1);
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};
    volatile uint64_t q = 0;
    uint64_t sum = 0;
    uintptr_t fpc;

    for (int r = 0; r < ROUNDS; r++) {
        for (int k = 0; k < NIN; k++) {
            memset((void *)buf, k, sizeof(buf));
            out[r][k] = mix(in[k][0], in[k][1]);
        }
    }
    for (int r = 1; r < ROUNDS; r++) {
        for (int k = 0; k < NIN; k++) {
            if (out[r][k] != out[0][k]) {
                fprintf(stderr, "round %d input %d: %#llx, first %#llx\n", r, k,
                        (unsigned long long)out[r][k],
                        (unsigned long long)out[0][k]);
                guest_failures++;
            }
        }
    }
    for (int k = 0; k < NIN; k++) {
        sum = sum * 31 + out[0][k];
        printf("in %d: %#llx\n", k, (unsigned long long)out[0][k]);
    }
    printf("sum %#llx\n", (unsigned long long)sum);

    /* A fault in cold code: the PC of the load, the store before it done. */
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    fpc = 0;
    if (sigsetjmp(back, 1) == 0) {
        faulting((volatile uint64_t *)16, &q);
        CHECK(0 && "no fault");
    }
    fpc = got_pc;
    CHECK(got_addr == 16);
    CHECK(q == 5);
    CHECK(fpc >= (uintptr_t)faulting && fpc < (uintptr_t)faulting + 64);
    printf("fault at faulting+%ld\n", (long)(fpc - (uintptr_t)faulting));
    return guest_done("tcg_tiers");
}
