/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Faults in loops whose range checks ctcg left out (tcg/loopcheck.c): a
 * loop TB checks an induction base (`lh t0, 0(p); addi p, p, 2; bne`)
 * once at the loop's entries, not at each access; the accesses rely on
 * the guards around the guest space.  Each case runs its loop often with
 * good data (so that it is hot: a region with pinned registers), then
 * with bad data, and checks the signal, si_addr, the PC and the loop's
 * registers in the handler:
 *   - strided loads running into a PROT_NONE page at the last iteration
 *     (the second of two induction bases, as intmix's matrix loop);
 *   - a store stepping down into an unmapped page at the first iteration;
 *   - a base out of the guest space when the loop is entered (2^40, and
 *     -8): the entry check fails, the first access faults with its PC;
 *   - a base past the top of the space whose accesses are in it
 *     (TOP + 2040 with -2048): no fault, the loop's sum is right;
 *   - an outer loop that enters the inner one with a new base loaded
 *     from memory (a row pointer), the bad one out of the space or in an
 *     unmapped page;
 *   - a base changed by a load in the loop (a list walk) to a bad one;
 *   - loops entered before their head (inside a region TB): a bad base
 *     where the region falls into the head, and at the outer loop's jump.
 * Compared with qemu-riscv64 (addresses printed relative to fixed ones).
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
extern const char mac_p[], mac_q[], rows_lh[];
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
 * The loops, each with its head at the function's entry, called through
 * volatile pointers (jalr): each loop is a TB of its own whose first
 * instruction is the head, the shape tcg_loop_checks works on.
 *
 * mac(p, q, end, 0): sum of p[i] * q[i], p step 2, q step 48 (as intmix's
 * multiply-accumulate loop).
 * fill(p, n): stores n, n - 1, ..., 1 at p, p - 8, ...
 * sum(p, n, 0): sum of n doublewords from p - 2048 up.
 * rows(rows[0], rows, n, 0, 8): sum of 8 halfwords of each of n rows, the
 * outer loop loading the next row's pointer and jumping to the head.
 * list(l, n, 0): sum of the values of n nodes along the next pointers.
 */
asm(".text\n"
    ".p2align 2\n"
    "lc_mac_pre:\n"
    "li a3, 0\n"
    "lc_mac:\n"
    ".globl mac_p\n"
    "mac_p: lh t0, 0(a0)\n"
    ".globl mac_q\n"
    "mac_q: lh t1, 0(a1)\n"
    "addi a1, a1, 48\n"
    "addi a0, a0, 2\n"
    "mulw t0, t0, t1\n"
    "addw a3, a3, t0\n"
    "bne a1, a2, lc_mac\n"
    "mv a0, a3\n"
    "ret\n"
    "lc_fill:\n"
    ".globl fill_st\n"
    "fill_st: sd a1, 0(a0)\n"
    "addi a0, a0, -8\n"
    "addi a1, a1, -1\n"
    "bnez a1, lc_fill\n"
    "ret\n"
    "lc_sum:\n"
    ".globl sum_ld\n"
    "sum_ld: ld t0, -2048(a0)\n"
    "add a2, a2, t0\n"
    "addi a0, a0, 8\n"
    "addi a1, a1, -1\n"
    "bnez a1, lc_sum\n"
    "mv a0, a2\n"
    "ret\n"
    "lc_rows_pre:\n"
    "li a3, 0\n"
    "li a4, 8\n"
    "lc_rows:\n"
    ".globl rows_lh\n"
    "rows_lh: lh t0, 0(a0)\n"
    "add a3, a3, t0\n"
    "addi a0, a0, 2\n"
    "addi a4, a4, -1\n"
    "bnez a4, lc_rows\n"
    "addi a2, a2, -1\n"
    "beqz a2, 1f\n"
    "addi a1, a1, 8\n"
    "ld a0, 0(a1)\n"
    "li a4, 8\n"
    "j lc_rows\n"
    "1: mv a0, a3\n"
    "ret\n"
    "lc_list:\n"
    ".globl list_val\n"
    "list_val: ld t0, 8(a0)\n"
    "add a2, a2, t0\n"
    "ld a0, 0(a0)\n"
    "addi a1, a1, -1\n"
    "bnez a1, lc_list\n"
    "mv a0, a2\n"
    "ret\n");

long lc_mac(uint64_t p, uint64_t q, uint64_t end, long acc);
long lc_mac_pre(uint64_t p, uint64_t q, uint64_t end);
long lc_rows_pre(uint64_t row0, const uint64_t *rows, long n);
void lc_fill(uint64_t p, long n);
uint64_t lc_sum(uint64_t p, long n, uint64_t acc);
long lc_rows(uint64_t row0, const uint64_t *rows, long n, long acc, long k);
long lc_list(const void *l, long n, long acc);

static long (*volatile mac_fn)(uint64_t, uint64_t, uint64_t, long) = lc_mac;
static void (*volatile fill_fn)(uint64_t, long) = lc_fill;
static uint64_t (*volatile sum_fn)(uint64_t, long, uint64_t) = lc_sum;
static long (*volatile rows_fn)(uint64_t, const uint64_t *, long, long,
                                long) = lc_rows;
static long (*volatile list_fn)(const void *, long, long) = lc_list;

static long (*volatile mac_pre_fn)(uint64_t, uint64_t, uint64_t) = lc_mac_pre;
static long (*volatile rows_pre_fn)(uint64_t, const uint64_t *,
                                    long) = lc_rows_pre;

static long mac(uint64_t p, uint64_t q, uint64_t end)
{
    return mac_fn(p, q, end, 0);
}

static void fill_down(uint64_t p, long n)
{
    fill_fn(p, n);
}

static uint64_t sum_up(uint64_t p, long n)
{
    return sum_fn(p, n, 0);
}

static long rows_sum(const uint64_t *rows, long n)
{
    return rows_fn(rows[0], rows, n, 0, 8);
}

struct node {
    struct node *next;
    long val;
};

static long list_sum(struct node *l, long n)
{
    return list_fn(l, n, 0);
}

#define EXPECT(what, pc_sym, addr)                                          \
    do {                                                                    \
        extern const char pc_sym[];                                         \
        printf("%s: sig %d pc ok %d addr ok %d\n", what, got_sig,           \
               got_pc == (uintptr_t)pc_sym, got_addr == (uintptr_t)(addr)); \
        CHECK(got_sig == SIGSEGV);                                          \
        CHECK(got_pc == (uintptr_t)pc_sym);                                 \
        CHECK(got_addr == (uintptr_t)(addr));                               \
    } while (0)

static void case_mac(void)
{
    int16_t *p = (int16_t *)area;
    uint64_t q = (uintptr_t)area + 4096 + 48 * 40; /* 85 steps to the end */
    uint64_t qend = q + 48 * 24;
    long want = 0, got = 0;

    for (int i = 0; i < 24; i++) {
        want += (long)p[i] * *(int16_t *)(uintptr_t)(q + 48 * i);
    }
    for (int k = 0; k < HOT; k++) {
        got = mac((uintptr_t)p, q, qend);
    }
    printf("mac: sum ok %d\n", got == want);
    CHECK(got == want);
    /* Last iteration (the 24th) in the PROT_NONE page. */
    q = (uintptr_t)area + 8192 + 8 - 48 * 23;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        mac((uintptr_t)p, q, q + 48 * 24);
    }
    EXPECT("mac last", mac_q, q + 48 * 23);
    printf("mac last: a0 ok %d a1 ok %d\n", got_a0 == (uintptr_t)p + 2 * 23,
           got_a1 == q + 48 * 23);
    CHECK(got_a0 == (uintptr_t)p + 2 * 23 && got_a1 == q + 48 * 23);
    /* First iteration: p out of the space (the entry check), then -8. */
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        mac(1ull << 40, (uintptr_t)area, (uintptr_t)area + 48 * 24);
    }
    printf("mac 2^40: sig %d pc ok %d a0 ok %d\n", got_sig,
           got_pc == (uintptr_t)mac_p, got_a0 == 1ull << 40);
    CHECK(got_sig == SIGSEGV && got_pc == (uintptr_t)mac_p);
    CHECK(got_a0 == 1ull << 40);
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        mac((uintptr_t)p, (uint64_t)-8, (uint64_t)-8 + 48 * 24);
    }
    /* (si_addr: qemu 7.2 gives 0 at or above 2^47, see mem_edges) */
    printf("mac -8: sig %d pc ok %d\n", got_sig, got_pc == (uintptr_t)mac_q);
    CHECK(got_sig == SIGSEGV && got_pc == (uintptr_t)mac_q);
}

/*
 * The same loops entered one or two instructions before their heads: the
 * loop is inside a region TB (its head is not the TB's first
 * instruction); the checks are where the region falls into the head and
 * at the outer loop's jump back, and a failed one stores the head's pc.
 */
static void case_inner(void)
{
    static uint64_t rows[6];
    int16_t *h = (int16_t *)area;
    uint64_t q = (uintptr_t)area + 4096;
    long want = 0, got = 0;

    for (int i = 0; i < 24; i++) {
        want += (long)h[i] * *(int16_t *)(uintptr_t)(q + 48 * i);
    }
    for (int k = 0; k < HOT; k++) {
        got = mac_pre_fn((uintptr_t)h, q, q + 48 * 24);
    }
    printf("inner mac: ok %d\n", got == want);
    CHECK(got == want);
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        mac_pre_fn(1ull << 40, q, q + 48 * 24);
    }
    EXPECT("inner mac 2^40", mac_p, 1ull << 40);
    q = (uintptr_t)area + 8192 + 8 - 48 * 23;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        mac_pre_fn((uintptr_t)h, q, q + 48 * 24);
    }
    EXPECT("inner mac last", mac_q, q + 48 * 23);
    CHECK(got_a0 == (uintptr_t)h + 2 * 23 && got_a1 == q + 48 * 23);

    want = 0;
    for (int r = 0; r < 6; r++) {
        rows[r] = (uintptr_t)(h + 16 * r);
        for (int i = 0; i < 8; i++) {
            want += h[16 * r + i];
        }
    }
    for (int k = 0; k < HOT; k++) {
        got = rows_pre_fn(rows[0], rows, 6);
    }
    printf("inner rows: ok %d\n", got == want);
    CHECK(got == want);
    rows[4] = 1ull << 40;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        rows_pre_fn(rows[0], rows, 6);
    }
    EXPECT("inner rows 2^40", rows_lh, 1ull << 40);
    /* The exit ran the head again, not the region's first instructions. */
    want = 0;
    for (int i = 0; i < 4 * 16; i++) {
        want += (i & 15) < 8 ? h[i] : 0;
    }
    printf("inner rows 2^40: a2 ok %d a3 ok %d\n", got_a2 == 2,
           got_a3 == (uint64_t)want);
    CHECK(got_a2 == 2 && got_a3 == (uint64_t)want);
    rows[0] = (uint64_t)-8;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        rows_pre_fn(rows[0], rows, 6);
    }
    printf("inner rows -8: sig %d pc ok %d\n", got_sig,
           got_pc == (uintptr_t)rows_lh);
    CHECK(got_sig == SIGSEGV && got_pc == (uintptr_t)rows_lh);
}

static void case_fill(void)
{
    uint64_t top = (uintptr_t)area + 8192 - 8;

    for (int k = 0; k < HOT; k++) {
        fill_down(top, 1000);
    }
    CHECK(*(uint64_t *)(uintptr_t)top == 1000);
    CHECK(*(uint64_t *)(uintptr_t)(top - 8 * 999) == 1);
    /* First iteration in the PROT_NONE page. */
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        fill_down(top + 4096, 5);
    }
    EXPECT("fill first", fill_st, top + 4096);
    /* Last iteration below the area (unmapped: the page before it). */
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        fill_down((uintptr_t)area + 16, 4);
    }
    EXPECT("fill last", fill_st, (uintptr_t)area - 8);
    CHECK(got_a1 == 1);
}

/* The doubleword at @a (read in C: the page may hold ctcg's stack). */
static uint64_t peek(uint64_t a)
{
    return *(volatile uint64_t *)(uintptr_t)a;
}

static void case_sum_top(void)
{
    uint64_t want = 0, got = 0;

    /* Bases from TOP - 8 up past TOP, addresses 2048 below them. */
    for (int i = 0; i < 8; i++) {
        want += peek(TOP - 8 - 2048 + 8 * i);
    }
    for (int k = 0; k < HOT; k++) {
        got = sum_up(TOP - 8, 8);
    }
    printf("sum across the top: ok %d\n", got == want);
    CHECK(got == want);
    /* Every base out of the space, the addresses in it. */
    want = 0;
    for (int i = 0; i < 4; i++) {
        want += peek(TOP - 32 + 8 * i);
    }
    for (int k = 0; k < HOT; k++) {
        got = sum_up(TOP + 2048 - 32, 4);
    }
    printf("sum past the top: ok %d\n", got == want);
    CHECK(got == want);
    /* The last iteration at TOP: the guard. */
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        sum_up(TOP + 2048 - 16, 3);
    }
    EXPECT("sum top", sum_ld, TOP);
    /* Entered below the top, the 4th iteration at TOP. */
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        sum_up(TOP + 2048 - 24, 5);
    }
    EXPECT("sum top hot", sum_ld, TOP);
    CHECK(got_a1 == 2);
}

static void case_rows(void)
{
    static uint64_t rows[6];
    int16_t *h = (int16_t *)area;
    long want = 0, got = 0;

    for (int r = 0; r < 6; r++) {
        rows[r] = (uintptr_t)(h + 16 * r);
        for (int i = 0; i < 8; i++) {
            want += h[16 * r + i];
        }
    }
    for (int k = 0; k < HOT; k++) {
        got = rows_sum(rows, 6);
    }
    printf("rows: ok %d\n", got == want);
    CHECK(got == want);
    rows[3] = 1ull << 40;
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        rows_sum(rows, 6);
    }
    EXPECT("rows 2^40", rows_lh, 1ull << 40);
    rows[3] = (uintptr_t)area + 8192 - 4; /* the 3rd load in the guard page */
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        rows_sum(rows, 6);
    }
    EXPECT("rows unmapped", rows_lh, (uintptr_t)area + 8192);
    CHECK(got_a0 == (uintptr_t)area + 8192);
}

static void case_list(void)
{
    static struct node nodes[64];
    long got = 0;

    for (int i = 0; i < 64; i++) {
        nodes[i].next = &nodes[(i + 1) % 64];
        nodes[i].val = i;
    }
    for (int k = 0; k < HOT; k++) {
        got = list_sum(nodes, 100);
    }
    CHECK(got == 63 * 64 / 2 + 35 * 36 / 2);
    nodes[40].next = (struct node *)(uintptr_t)(area + 8192);
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        list_sum(nodes, 100);
    }
    EXPECT("list unmapped", list_val, area + 8192 + 8);
    nodes[40].next = (struct node *)(uintptr_t)(1ull << 40);
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        list_sum(nodes, 100);
    }
    EXPECT("list 2^40", list_val, (1ull << 40) + 8);
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
    for (int i = 0; i < 4096; i++) {
        ((int16_t *)area)[i] = (int16_t)(i * 37 - 900);
    }
    case_mac();
    case_fill();
    case_sum_top();
    case_rows();
    case_list();
    case_inner();
    return guest_done("mem_loopcheck");
}
