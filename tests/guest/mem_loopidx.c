/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Faults in loops whose range checks ctcg left out in session 11
 * (tcg/loopcheck.c):
 *   - a base plus a masked index (threads' `andi; slli; addi; add` before
 *     `lw -1024(a3)` / `sw -1024(a3)`): the base register is checked where
 *     the loop is entered, the accesses rely on the index's range and the
 *     guards.  Bad bases: 2^40 and -1024 (out of the space: the entry
 *     check fails, the first access faults with its PC), TOP - 512 (in
 *     the space, some index reaches past the top: the guard), and a base
 *     whose last 512 bytes are a PROT_NONE page;
 *   - a list walk entered in its middle (`j 2f; 1: ld a0, 0(a0); beqz;
 *     2: lw t0, 8(a0); bne t0, a1, 1b`, intmix's list_find): the `ld`
 *     after the `lw` off the same pointer needs no check of its own (a
 *     forward join); a node whose next field is in an unmapped page, and
 *     a next pointer out of the space.
 * Each case runs the loop often with good data (a hot loop TB), then with
 * bad data, and checks the signal, si_addr, the PC and the loop's
 * registers in the handler.  Compared with qemu-riscv64 (addresses
 * printed as booleans).
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "guest.h"

#define TOP (1ull << 38) /* Sv39's TASK_SIZE, ctcg's default space */
#define HOT 300

static sigjmp_buf back;
extern const char idx_lw[];
static volatile uintptr_t got_addr, got_pc;
static volatile uint64_t got_a0, got_a1, got_a2, got_a3;
static volatile int got_sig;
static char *area; /* 2 pages read-write, then a PROT_NONE page */

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    got_sig = sig;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    got_a0 = uc->uc_mcontext.__gregs[REG_A0];
    got_a1 = uc->uc_mcontext.__gregs[REG_A0 + 1];
    got_a2 = uc->uc_mcontext.__gregs[REG_A0 + 2];
    got_a3 = uc->uc_mcontext.__gregs[REG_A0 + 3];
    siglongjmp(back, 1);
}

/*
 * idx(base, x, n, 0): n rounds of x ^= x << 13; x ^= x >> 17; x ^= x << 5
 * (32-bit), each adding x to the word base[x & 255] and summing the new
 * words.  The head is the function's entry (a loop TB of its own).
 *
 * find(l, key): the first node from l whose key (at 8) is key, or 0.
 */
asm(".text\n"
    ".p2align 2\n"
    "lc_idx:\n"
    "slliw t0, a1, 13\n"
    "xor a1, a1, t0\n"
    "srliw t0, a1, 17\n"
    "xor a1, a1, t0\n"
    "slliw t0, a1, 5\n"
    "xor a1, a1, t0\n"
    "andi t1, a1, 255\n"
    "slli t1, t1, 2\n"
    "addi t1, t1, 1024\n"
    "add t1, t1, a0\n"
    ".globl idx_lw\n"
    "idx_lw: lw t2, -1024(t1)\n"
    "addw t2, t2, a1\n"
    ".globl idx_sw\n"
    "idx_sw: sw t2, -1024(t1)\n"
    "add a3, a3, t2\n"
    "addi a2, a2, -1\n"
    "bnez a2, lc_idx\n"
    "mv a0, a3\n"
    "ret\n"
    "lc_find:\n"
    "j 2f\n"
    ".globl find_ld\n"
    "1: find_ld: ld a0, 0(a0)\n"
    "beqz a0, 3f\n"
    ".globl find_lw\n"
    "2: find_lw: lw t0, 8(a0)\n"
    "bne t0, a1, 1b\n"
    "3: ret\n"
    "lc_five:\n"
    "li t0, 2\n"
    "1: addi t0, t0, -1\n"
    "bnez t0, 1b\n"
    "li t0, 2\n"
    "1: addi t0, t0, -1\n"
    "bnez t0, 1b\n"
    "li t0, 2\n"
    "1: addi t0, t0, -1\n"
    "bnez t0, 1b\n"
    "li t0, 2\n"
    "1: addi t0, t0, -1\n"
    "bnez t0, 1b\n"
    "ld t1, 0(a0)\n"
    "li a2, 0\n"
    ".globl five_lw\n"
    "1: five_lw: lw t3, 8(a0)\n"
    "add a2, a2, t3\n"
    "ld a0, 0(a0)\n"
    "addi a1, a1, -1\n"
    "bnez a1, 1b\n"
    "mv a0, a2\n"
    "ret\n");

long lc_idx(uint64_t base, uint64_t x, long n, long acc);
uint64_t lc_find(uint64_t l, long key);
long lc_five(uint64_t l, long n);

static long (*volatile idx_fn)(uint64_t, uint64_t, long, long) = lc_idx;
static uint64_t (*volatile find_fn)(uint64_t, long) = lc_find;
static long (*volatile five_fn)(uint64_t, long) = lc_five;

#define EXPECT(what, pc_sym, addr)                                          \
    do {                                                                    \
        extern const char pc_sym[];                                         \
        printf("%s: sig %d pc ok %d addr ok %d\n", what, got_sig,           \
               got_pc == (uintptr_t)pc_sym, got_addr == (uintptr_t)(addr)); \
        CHECK(got_sig == SIGSEGV);                                          \
        CHECK(got_pc == (uintptr_t)pc_sym);                                 \
        CHECK(got_addr == (uintptr_t)(addr));                               \
    } while (0)

static uint32_t xorshift(uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

/* The sign-extended x after round @k (from 1) starting at @x0. */
static uint64_t idx_x(uint32_t x0, int k)
{
    while (k-- > 0) {
        x0 = xorshift(x0);
    }
    return (uint64_t)(int64_t)(int32_t)x0;
}

/* The first round from 1 whose word offset is at least @lim bytes. */
static int idx_first_at(uint32_t x0, unsigned lim, uint64_t *ofs)
{
    for (int k = 1; k < 1000; k++) {
        x0 = xorshift(x0);
        if ((x0 & 255) * 4 >= lim) {
            *ofs = (x0 & 255) * 4;
            return k;
        }
    }
    return -1;
}

static void case_idx(void)
{
    uint32_t buf[256], x0 = 2463534242u, xt = 1;
    long want = 0, got = 0;
    uint64_t ofs;
    int k;

    memcpy(buf, area, sizeof(buf));
    for (uint32_t x = x0, i = 0; i < 700; i++) {
        x = xorshift(x);
        buf[x & 255] += x;
        want += (int32_t)buf[x & 255];
    }
    for (int r = 0; r < HOT; r++) {
        memcpy(area + 4096, area, 1024);
        got = idx_fn((uintptr_t)area + 4096, idx_x(x0, 0), 700, 0);
    }
    printf("idx: sum ok %d\n", got == want);
    CHECK(got == want);
    /* Out of the space: the entry check fails, the lw faults. */
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        idx_fn(1ull << 40, idx_x(x0, 0), 700, 0);
    }
    EXPECT("idx 2^40", idx_lw, (1ull << 40) + (idx_x(x0, 1) & 255) * 4);
    CHECK(got_a1 == idx_x(x0, 1) && got_a2 == 700);
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        idx_fn((uint64_t)-1024, idx_x(x0, 0), 700, 0);
    }
    /* (si_addr: qemu 7.2 gives 0 at or above 2^47, see mem_edges) */
    printf("idx -1024: sig %d pc ok %d\n", got_sig,
           got_pc == (uintptr_t)idx_lw);
    CHECK(got_sig == SIGSEGV && got_pc == (uintptr_t)idx_lw);
    /*
     * In the space, an index past the top: the guard.  The first round's
     * index is past it (nothing stored below the top: the stack may be
     * there).
     */
    while (idx_first_at(xt, 512, &ofs) != 1) {
        xt++;
    }
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        idx_fn(TOP - 512, idx_x(xt, 0), 700, 0);
    }
    EXPECT("idx top", idx_lw, TOP - 512 + ofs);
    CHECK(got_a2 == 700 && got_a1 == idx_x(xt, 1));
    /* The last 512 bytes in the PROT_NONE page, some rounds before. */
    k = idx_first_at(x0, 512, &ofs);
    CHECK(k > 1);
    printf("idx unmapped: round %d\n", k);
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        idx_fn((uintptr_t)area + 8192 - 512, idx_x(x0, 0), 700, 0);
    }
    EXPECT("idx unmapped", idx_lw, (uintptr_t)area + 8192 - 512 + ofs);
    CHECK(got_a2 == (uint64_t)(700 - k + 1) && got_a1 == idx_x(x0, k));
}

struct node {
    uint64_t next;
    int32_t key, val;
};

static void case_find(void)
{
    static struct node nodes[64];
    struct node *odd = (struct node *)(uintptr_t)(area - 8);
    uint64_t got = 0;

    for (int i = 0; i < 64; i++) {
        nodes[i].next = i < 63 ? (uintptr_t)&nodes[i + 1] : 0;
        nodes[i].key = i * 3;
    }
    for (int r = 0; r < HOT; r++) {
        got = find_fn((uintptr_t)nodes, 50 * 3);
    }
    printf("find: ok %d\n", got == (uintptr_t)&nodes[50]);
    CHECK(got == (uintptr_t)&nodes[50]);
    CHECK(find_fn((uintptr_t)nodes, 1) == 0);
    /*
     * A node 8 bytes below the area: its key is the area's first word
     * (not the key), its next field in the hole before the area.  The ld
     * off the pointer the lw just used faults.
     */
    nodes[20].next = (uintptr_t)odd;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        find_fn((uintptr_t)nodes, 50 * 3);
    }
    EXPECT("find hole", find_ld, (uintptr_t)area - 8);
    CHECK(got_a0 == (uintptr_t)odd);
    /* A next pointer out of the space: the lw faults. */
    nodes[20].next = 1ull << 40;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        find_fn((uintptr_t)nodes, 50 * 3);
    }
    EXPECT("find 2^40", find_lw, (1ull << 40) + 8);
    CHECK(got_a0 == 1ull << 40);
    /* A next field in the PROT_NONE page. */
    nodes[20].next = (uintptr_t)area + 8192 - 8 - 4096;
    ((int32_t *)(area + 4096))[0] = -1; /* its key: not found */
    *(uint64_t *)(uintptr_t)(area + 4096 - 8) = (uintptr_t)area + 8192 - 8;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        find_fn((uintptr_t)nodes, 50 * 3);
    }
    EXPECT("find unmapped", find_lw, (uintptr_t)area + 8192);
    CHECK(got_a0 == (uintptr_t)area + 8192 - 8);
    nodes[20].next = (uintptr_t)&nodes[21];
}

/*
 * A list walk after four small loops: its head is the fifth back-edge
 * target of the region, past the heads tcg_loop_checks tracks, so the
 * pointer loaded in the walk is checked there (the state at a label a
 * later branch goes back to is not the fall-through's).
 */
static void case_five(void)
{
    static struct node nodes[64];
    long got = 0;

    for (int i = 0; i < 64; i++) {
        nodes[i].next = (uintptr_t)&nodes[(i + 1) % 64];
        nodes[i].key = i;
    }
    for (int r = 0; r < HOT; r++) {
        got = five_fn((uintptr_t)nodes, 40);
    }
    printf("five: ok %d\n", got == 39 * 40 / 2);
    CHECK(got == 39 * 40 / 2);
    nodes[30].next = 1ull << 40;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        five_fn((uintptr_t)nodes, 40);
    }
    EXPECT("five 2^40", five_lw, (1ull << 40) + 8);
    CHECK(got_a0 == 1ull << 40 && got_a1 == 40 - 31);
}

int main(void)
{
    struct sigaction sa = {0};
    void *top;

    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    /* The last page below TOP (ctcg's stack may be there already). */
    top = mmap((void *)(uintptr_t)(TOP - 4096), 4096, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (top == MAP_FAILED) {
        CHECK(errno == EEXIST);
    }
    /* A hole, 2 pages, a PROT_NONE page. */
    area = mmap(NULL, 4 * 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(area != MAP_FAILED);
    area += 4096;
    CHECK(mprotect(area, 8192, PROT_READ | PROT_WRITE) == 0);
    for (int i = 0; i < 2048; i++) {
        ((int32_t *)area)[i] = i * 7919 + 5;
    }
    case_idx();
    case_find();
    case_five();
    return guest_done("mem_loopidx");
}
