/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code that ctcg generates for hot loops (docs/performance.md, session 8):
 * each case runs a loop of hand-written assembly often enough for its TB
 * to become hot (a region with pinned registers) and checks every result
 * against C.
 *   - shifts: srliw, sraiw and slliw by every amount 0..31 (srliw by 1..31
 *     and sraiw write their field without an ext32s: their results are
 *     sign-extended from bit 31 already; by 0 srliw must still extend),
 *     srlw/sraw/sllw by register, and the same ops writing x0;
 *   - xorshift: the loop of bench/workloads/threads.c (slliw, srliw, xor,
 *     a load and a store into a buffer, the zext.w idiom, a pinned
 *     register written by an op whose input is copied: the result goes
 *     to the pinned host register), with a store into a PROT_NONE page
 *     at a chosen iteration: the SIGSEGV handler checks the PC and the
 *     registers of that iteration;
 *   - side exit: a countdown that leaves the loop by a branch inside it
 *     ("brcond; br; label" turned into one inverted brcond), at every
 *     iteration from the first to past the loop's end;
 *   - zext.w: "slli rd, rs, 32; srli rd, rd, 32" (one ext32u in ctcg),
 *     and the near misses that must stay two shifts: another destination
 *     (the shifted value lives on), other amounts, x0;
 *   - zext.h, sext.h, zext.b, sext.b as "slli; srli/srai" by 48 and 56
 *     (one extension in ctcg) and their near misses;
 *   - zext.w of xor/and/or (one 32-bit op in ctcg) and of an or whose
 *     64-bit value lives on (two ops);
 *   - known registers: a divisor set by li, and by another li on the
 *     fall-through path of a branch before the region's first join: at
 *     the join the divisor is not a constant (the translator took the
 *     fall-through path's value for every path into the join).
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
    0x5555555555555555ull,
    0xaaaaaaaaaaaaaaaaull,
    0x0000000040000000ull,
};

#define NIN 16
#define REPS 40

/* out[i] = srliw, sraiw, slliw of in[i] by S, and their xor + sum. */
#define SHIFT_FN(S)                                                        \
    static void shifts_##S(const uint64_t *in, uint64_t *out)              \
    {                                                                      \
        __asm__ volatile("mv t5, %0\n\t"                                   \
                         "mv t6, %1\n\t"                                   \
                         "addi a7, %0, 128\n"                              \
                         "1:\n\t"                                          \
                         "ld t0, 0(t5)\n\t"                                \
                         "srliw t1, t0, " #S "\n\t"                        \
                         "sraiw t2, t0, " #S "\n\t"                        \
                         "slliw t3, t0, " #S "\n\t"                        \
                         "srliw zero, t0, " #S "\n\t"                      \
                         "sraiw zero, t0, " #S "\n\t"                      \
                         "xor t4, t1, t2\n\t"                              \
                         "add t4, t4, t3\n\t"                              \
                         "sd t1, 0(t6)\n\t"                                \
                         "sd t2, 8(t6)\n\t"                                \
                         "sd t3, 16(t6)\n\t"                               \
                         "sd t4, 24(t6)\n\t"                               \
                         "addi t5, t5, 8\n\t"                              \
                         "addi t6, t6, 32\n\t"                             \
                         "bne t5, a7, 1b\n\t"                              \
                         :                                                 \
                         : "r"(in), "r"(out)                               \
                         : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a7", \
                           "memory");                                      \
    }

#define SHIFT_FNS8(a, b, c, d, e, f, g, h) \
    SHIFT_FN(a)                            \
    SHIFT_FN(b)                            \
    SHIFT_FN(c) SHIFT_FN(d) SHIFT_FN(e) SHIFT_FN(f) SHIFT_FN(g) SHIFT_FN(h)

SHIFT_FNS8(0, 1, 2, 3, 4, 5, 6, 7)
SHIFT_FNS8(8, 9, 10, 11, 12, 13, 14, 15)
SHIFT_FNS8(16, 17, 18, 19, 20, 21, 22, 23)
SHIFT_FNS8(24, 25, 26, 27, 28, 29, 30, 31)

typedef void ShiftFn(const uint64_t *, uint64_t *);

static ShiftFn *const shift_fns[32] = {
    shifts_0,  shifts_1,  shifts_2,  shifts_3,  shifts_4,  shifts_5,  shifts_6,
    shifts_7,  shifts_8,  shifts_9,  shifts_10, shifts_11, shifts_12, shifts_13,
    shifts_14, shifts_15, shifts_16, shifts_17, shifts_18, shifts_19, shifts_20,
    shifts_21, shifts_22, shifts_23, shifts_24, shifts_25, shifts_26, shifts_27,
    shifts_28, shifts_29, shifts_30, shifts_31,
};

static uint64_t ref_srliw(uint64_t x, unsigned s)
{
    return (uint64_t)(int64_t)(int32_t)((uint32_t)x >> s);
}

static uint64_t ref_sraiw(uint64_t x, unsigned s)
{
    return (uint64_t)(int64_t)((int32_t)(uint32_t)x >> s);
}

static uint64_t ref_slliw(uint64_t x, unsigned s)
{
    return (uint64_t)(int64_t)(int32_t)((uint32_t)x << s);
}

/* The same three ops by a register count (its low 5 bits). */
static void shifts_reg(const uint64_t *in, uint64_t *out, uint64_t cnt)
{
    __asm__ volatile("mv t5, %0\n\t"
                     "mv t6, %1\n\t"
                     "addi a7, %0, 128\n"
                     "1:\n\t"
                     "ld t0, 0(t5)\n\t"
                     "srlw t1, t0, %2\n\t"
                     "sraw t2, t0, %2\n\t"
                     "sllw t3, t0, %2\n\t"
                     "srlw zero, t0, %2\n\t"
                     "xor t4, t1, t2\n\t"
                     "add t4, t4, t3\n\t"
                     "sd t1, 0(t6)\n\t"
                     "sd t2, 8(t6)\n\t"
                     "sd t3, 16(t6)\n\t"
                     "sd t4, 24(t6)\n\t"
                     "addi t5, t5, 8\n\t"
                     "addi t6, t6, 32\n\t"
                     "bne t5, a7, 1b\n\t"
                     :
                     : "r"(in), "r"(out), "r"(cnt)
                     : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a7",
                       "memory");
}

static void check_shift_out(const uint64_t *out, unsigned s)
{
    for (int i = 0; i < NIN; i++) {
        uint64_t x = edges[i];
        uint64_t l = ref_srliw(x, s), a = ref_sraiw(x, s), r = ref_slliw(x, s);

        CHECK(out[4 * i] == l);
        CHECK(out[4 * i + 1] == a);
        CHECK(out[4 * i + 2] == r);
        CHECK(out[4 * i + 3] == (l ^ a) + r);
    }
}

static void test_shifts(void)
{
    uint64_t out[4 * NIN];

    for (int rep = 0; rep < REPS; rep++) {
        for (unsigned s = 0; s < 32; s++) {
            memset(out, 0x5a, sizeof(out));
            shift_fns[s](edges, out);
            check_shift_out(out, s);
            memset(out, 0xa5, sizeof(out));
            /* Bits above the low 5 of the count are ignored. */
            shifts_reg(edges, out, s | (uint64_t)rep << 5);
            check_shift_out(out, s);
        }
    }
    printf("shifts: %s\n", fails ? "FAIL" : "ok");
}

/*
 * The xorshift loop.  Registers: a5 x, a6 buf, a2 k, a7 count, a0 acc,
 * t3 the trace pointer (one doubleword a iteration), a1 the value stored
 * there (zext.w of k ^ *w).
 */
extern char xs_store[];

struct xs_state {
    uint64_t x, acc, k, a1, a4, t3;
};

static void xorshift_loop(struct xs_state *st, uint32_t *buf, uint64_t *trace,
                          uint64_t n)
{
    register uint64_t a0 __asm__("a0") = st->acc;
    register uint64_t a1 __asm__("a1") = 0;
    register uint64_t a2 __asm__("a2") = st->k;
    register uint64_t a4 __asm__("a4") = 0;
    register uint64_t a5 __asm__("a5") = st->x;
    register uint64_t a6 __asm__("a6") = (uint64_t)(uintptr_t)buf;
    register uint64_t a7 __asm__("a7") = n;
    register uint64_t t3 __asm__("t3") = (uint64_t)(uintptr_t)trace;

    __asm__ volatile("1:\n\t"
                     "slliw a4, a5, 13\n\t"
                     "xor a5, a5, a4\n\t"
                     "srliw a4, a5, 17\n\t"
                     "xor a5, a5, a4\n\t"
                     "slliw a4, a5, 5\n\t"
                     "xor a4, a4, a5\n\t"
                     "andi a3, a4, 255\n\t"
                     "slli a3, a3, 2\n\t"
                     "add a3, a3, a6\n\t"
                     "lw a1, 0(a3)\n\t"
                     "sext.w a5, a4\n\t"
                     "addw a4, a4, a1\n\t"
                     "xor a1, a2, a4\n\t"
                     "slli a1, a1, 32\n\t"
                     "srli a1, a1, 32\n\t"
                     "sw a4, 0(a3)\n\t"
                     ".globl xs_store\n"
                     "xs_store:\n\t"
                     "sd a1, 0(t3)\n\t"
                     "addi t3, t3, 8\n\t"
                     "addiw a2, a2, 1\n\t"
                     "add a0, a0, a1\n\t"
                     "bne a2, a7, 1b\n\t"
                     : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a4), "+r"(a5),
                       "+r"(t3)
                     : "r"(a6), "r"(a7)
                     : "a3", "memory");
    st->x = a5;
    st->acc = a0;
    st->k = a2;
    st->a1 = a1;
    st->a4 = a4;
    st->t3 = t3;
}

/* The same in C, one iteration. */
static void xorshift_ref(struct xs_state *st, uint32_t *buf)
{
    uint64_t x = st->x, a4, a3, a1;

    a4 = ref_slliw(x, 13);
    x ^= a4;
    a4 = ref_srliw(x, 17);
    x ^= a4;
    a4 = ref_slliw(x, 5) ^ x;
    a3 = (a4 & 255) * 4;
    a1 = (uint64_t)(int64_t)(int32_t)buf[a3 / 4];
    x = (uint64_t)(int64_t)(int32_t)a4;
    a4 = (uint64_t)(int64_t)(int32_t)(uint32_t)(a4 + a1);
    a1 = (uint32_t)(st->k ^ a4);
    buf[a3 / 4] = (uint32_t)a4;
    st->x = x;
    st->a4 = a4;
    st->a1 = a1;
    st->acc += a1;
    st->k = (uint64_t)(int64_t)(int32_t)(uint32_t)(st->k + 1);
}

static sigjmp_buf xs_jb;
static struct xs_state xs_want;
static uint64_t xs_fault_addr;
static int xs_faults;

static void on_segv(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    unsigned long *r = uc->uc_mcontext.__gregs;

    (void)sig;
    xs_faults++;
    CHECK(r[REG_PC] == (unsigned long)(uintptr_t)xs_store);
    CHECK((uint64_t)(uintptr_t)si->si_addr == xs_fault_addr);
    CHECK(r[28] == xs_fault_addr); /* t3 */
    CHECK(r[15] == xs_want.x);     /* a5 */
    CHECK(r[14] == xs_want.a4);    /* a4 */
    CHECK(r[11] == xs_want.a1);    /* a1 */
    CHECK(r[10] == xs_want.acc);   /* a0: not yet added */
    CHECK(r[12] == xs_want.k);     /* a2: not yet incremented */
    siglongjmp(xs_jb, 1);
}

static void test_xorshift(void)
{
    static uint32_t buf[256], ref_buf[256];
    size_t pg = 4096;
    uint8_t *map = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t *trace = (uint64_t *)(map + pg) - 64; /* 64 words, then none */
    struct sigaction sa;

    CHECK(map != MAP_FAILED);
    CHECK(mprotect(map + pg, pg, PROT_NONE) == 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    for (int k = 0; k < 256; k++) {
        buf[k] = ref_buf[k] = (uint32_t)k * 0x9e3779b9u ^ 0x1234u;
    }
    /* Many items of 48 iterations, the trace rewound each time. */
    for (uint64_t item = 0; item < 400; item++) {
        struct xs_state st = {
            .x = (uint64_t)(int64_t)(int32_t)((uint32_t)item * 2654435761u + 1),
            .acc = item,
            .k = 0};
        struct xs_state want = st;

        xorshift_loop(&st, buf, trace, 48);
        for (int i = 0; i < 48; i++) {
            xorshift_ref(&want, ref_buf);
            CHECK(trace[i] == want.a1);
        }
        CHECK(st.x == want.x);
        CHECK(st.acc == want.acc);
        CHECK(st.k == 48);
        CHECK(st.a1 == want.a1);
        CHECK(st.a4 == want.a4);
        CHECK(memcmp(buf, ref_buf, sizeof(buf)) == 0);
    }
    /* A run of 200 faults at the 65th trace store (iteration 64). */
    for (int run = 0; run < 20; run++) {
        struct xs_state st = {.x = 0x1234567u + (uint64_t)run,
                              .acc = 7,
                              .k = (uint64_t) - (int64_t)run};

        xs_want = st;
        for (int i = 0; i < 64; i++) {
            xorshift_ref(&xs_want, ref_buf);
        }
        /* The faulting iteration: everything but the store and after. */
        {
            struct xs_state tmp = xs_want;

            xorshift_ref(&tmp, ref_buf);
            xs_want.x = tmp.x;
            xs_want.a4 = tmp.a4;
            xs_want.a1 = tmp.a1;
        }
        xs_fault_addr = (uint64_t)(uintptr_t)(map + pg);
        if (sigsetjmp(xs_jb, 1) == 0) {
            xorshift_loop(&st, buf, trace, 200 - (uint64_t)run);
            CHECK(0); /* no fault */
        }
        CHECK(memcmp(buf, ref_buf, sizeof(buf)) == 0);
    }
    CHECK(xs_faults == 20);
    munmap(map, 2 * pg);
    printf("xorshift: %s\n", fails ? "FAIL" : "ok");
}

/*
 * Counts a0 up to a1 while a7 counts down; leaves early when a7 reaches
 * zero.  Returns a0 | which exit << 32.
 */
static uint64_t countdown(uint64_t a7_in, uint64_t end)
{
    register uint64_t a0 __asm__("a0") = 0;
    register uint64_t a1 __asm__("a1") = end;
    register uint64_t a7 __asm__("a7") = a7_in;
    register uint64_t t0 __asm__("t0") = 0;

    __asm__ volatile("1:\n\t"
                     "addi a0, a0, 1\n\t"
                     "addiw a7, a7, -1\n\t"
                     "beqz a7, 2f\n\t"
                     "add t0, t0, a0\n\t"
                     "bne a0, a1, 1b\n\t"
                     "j 3f\n"
                     "2:\n\t"
                     "li t0, -1\n"
                     "3:\n\t"
                     : "+r"(a0), "+r"(a7), "+r"(t0)
                     : "r"(a1)
                     : "memory");
    return a0 | (t0 == (uint64_t)-1 ? 1ull << 32 : 0) |
           ((uint64_t)(a7 == 0) << 33);
}

static void test_side_exit(void)
{
    for (int rep = 0; rep < 30; rep++) {
        for (uint64_t c = 0; c < 70; c++) {
            uint64_t r = countdown(c, 64);
            /* a7 hits zero at iteration c (1-based) when 1 <= c <= 64. */
            uint64_t want = (c >= 1 && c <= 64) ? c | 3ull << 32 : 64;

            CHECK(r == want);
        }
        /* Counts that wrap in 32 bits: 0x100000001 is 1 after addiw. */
        CHECK(countdown(0x100000001ull, 64) == (1 | 3ull << 32));
        CHECK(countdown(0xffffffff00000000ull, 64) == 64);
    }
    printf("side exit: %s\n", fails ? "FAIL" : "ok");
}

/*
 * known_div(odd, n): n / (odd ? 5 : 7) and the remainder, from a TB that
 * starts at the function's entry: "li t0, 5; bnez a0, 1f; li t0, 7;
 * 1: divu ..., t0".  The instructions before the first join are the
 * region's prefix, but the branch in it skips "li t0, 7" on one path, so
 * t0 is no constant at the join (the translator once took it for 7 on
 * every path).
 */
__attribute__((noinline)) static uint64_t known_div(uint64_t odd, uint64_t n)
{
    uint64_t r;

    __asm__ volatile("li t0, 5\n\t"
                     "bnez %1, 1f\n\t"
                     "li t0, 7\n"
                     "1:\n\t"
                     "divu t4, %2, t0\n\t"
                     "remu t5, %2, t0\n\t"
                     "slli t5, t5, 32\n\t"
                     "or %0, t4, t5\n\t"
                     : "=r"(r)
                     : "r"(odd), "r"(n)
                     : "t0", "t4", "t5");
    return r;
}

/* out[4i..4i+3] for edges[i]: the zext.w idiom and its near misses. */
static void zext_loop(const uint64_t *in, uint64_t *out)
{
    __asm__ volatile("mv t5, %0\n\t"
                     "mv t6, %1\n\t"
                     "addi a7, %0, 128\n"
                     "1:\n\t"
                     "ld t0, 0(t5)\n\t"
                     "slli t1, t0, 32\n\t"
                     "srli t1, t1, 32\n\t"
                     "slli t2, t0, 32\n\t"
                     "srli t3, t2, 32\n\t"
                     "add t3, t3, t2\n\t"
                     "slli t4, t0, 31\n\t"
                     "srli t4, t4, 32\n\t"
                     "slli a6, t0, 32\n\t"
                     "srli zero, a6, 32\n\t"
                     "srai a6, a6, 32\n\t"
                     "sd t1, 0(t6)\n\t"
                     "sd t3, 8(t6)\n\t"
                     "sd t4, 16(t6)\n\t"
                     "sd a6, 24(t6)\n\t"
                     "addi t5, t5, 8\n\t"
                     "addi t6, t6, 32\n\t"
                     "bne t5, a7, 1b\n\t"
                     :
                     : "r"(in), "r"(out)
                     : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a6", "a7",
                       "memory");
}

static void test_zext(void)
{
    uint64_t out[4 * NIN];

    for (int rep = 0; rep < 200; rep++) {
        memset(out, 0x5a, sizeof(out));
        zext_loop(edges, out);
        for (int i = 0; i < NIN; i++) {
            uint64_t x = edges[i];

            CHECK(out[4 * i] == (uint32_t)x);
            CHECK(out[4 * i + 1] == (uint32_t)x + (x << 32));
            CHECK(out[4 * i + 2] == (uint32_t)(x << 31 >> 32));
            CHECK(out[4 * i + 3] == (uint64_t)(int64_t)(int32_t)x);
        }
    }
    printf("zext: %s\n", fails ? "FAIL" : "ok");
}

/*
 * out[8i..8i+7] for in[i]: "slli; srli/srai" by 48 and 56 (zext.h, sext.h,
 * zext.b, sext.b: one extension each in ctcg), and the near misses that
 * stay two shifts: 48 then 47, 40 and 40 (no extension of that width),
 * srai 56 into another register (the shifted value lives on), and srli
 * 48 of a register that a different slli wrote.
 */
static void shift_ext_loop(const uint64_t *in, uint64_t *out)
{
    __asm__ volatile("mv t5, %0\n\t"
                     "mv t6, %1\n\t"
                     "addi a7, %0, 128\n"
                     "1:\n\t"
                     "ld t0, 0(t5)\n\t"
                     "slli t1, t0, 48\n\t"
                     "srli t1, t1, 48\n\t"
                     "slli t2, t0, 48\n\t"
                     "srai t2, t2, 48\n\t"
                     "slli t3, t0, 56\n\t"
                     "srli t3, t3, 56\n\t"
                     "slli t4, t0, 56\n\t"
                     "srai t4, t4, 56\n\t"
                     "sd t1, 0(t6)\n\t"
                     "sd t2, 8(t6)\n\t"
                     "sd t3, 16(t6)\n\t"
                     "sd t4, 24(t6)\n\t"
                     "slli t1, t0, 48\n\t"
                     "srli t1, t1, 47\n\t"
                     "slli t2, t0, 40\n\t"
                     "srai t2, t2, 40\n\t"
                     "slli t3, t0, 56\n\t"
                     "srai t4, t3, 56\n\t"
                     "add t4, t4, t3\n\t"
                     "slli a6, t0, 48\n\t"
                     "srli a6, t3, 48\n\t"
                     "sd t1, 32(t6)\n\t"
                     "sd t2, 40(t6)\n\t"
                     "sd t4, 48(t6)\n\t"
                     "sd a6, 56(t6)\n\t"
                     "addi t5, t5, 8\n\t"
                     "addi t6, t6, 64\n\t"
                     "bne t5, a7, 1b\n\t"
                     :
                     : "r"(in), "r"(out)
                     : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a6", "a7",
                       "memory");
}

/*
 * Sign extension from bit @b - 1 of x & @m (m = 2^b - 1), with and, xor
 * and sub only: the compiler would write (int16_t)x etc. as the very
 * shift pairs under test, which ctcg would fold the same way.
 */
static uint64_t sext_masked(uint64_t x, uint64_t m)
{
    uint64_t top = (m >> 1) + 1;

    return ((x & m) ^ top) - top;
}

static void test_shift_ext(void)
{
    /* volatile: kept out of the compiler's shift idioms (see above) */
    static volatile uint64_t m8 = 0xff, m16 = 0xffff, m24 = 0xffffff;
    uint64_t out[8 * NIN], sum = 0;

    for (int rep = 0; rep < 200; rep++) {
        memset(out, 0x5a, sizeof(out));
        shift_ext_loop(edges, out);
        for (int i = 0; i < NIN; i++) {
            uint64_t x = edges[i];

            CHECK(out[8 * i] == (x & m16));
            CHECK(out[8 * i + 1] == sext_masked(x, m16));
            CHECK(out[8 * i + 2] == (x & m8));
            CHECK(out[8 * i + 3] == sext_masked(x, m8));
            CHECK(out[8 * i + 4] == (x & m16) * 2);
            CHECK(out[8 * i + 5] == sext_masked(x, m24));
            CHECK(out[8 * i + 6] ==
                  sext_masked(x, m8) + (x & m8) * 0x100000000000000ull);
            CHECK(out[8 * i + 7] == (x & m8) * 256);
        }
    }
    /* Also compared with qemu-riscv64's output. */
    for (int i = 0; i < 8 * NIN; i++) {
        sum = (sum ^ out[i]) * 0x100000001b3ull;
    }
    printf("shift ext: %s %016llx\n", fails ? "FAIL" : "ok",
           (unsigned long long)sum);
}

/*
 * out[5i..5i+4] for x = in[i], y = in[i + 1]: zext.w of x ^ y, x & y,
 * x | y (one 32-bit op each in ctcg), of x | y into another register (the
 * 64-bit or lives on: stays two ops) and of x ^ -1.
 */
static void zext_logic_loop(const uint64_t *in, uint64_t *out, long n)
{
    __asm__ volatile("mv t5, %0\n\t"
                     "mv t6, %1\n\t"
                     "slli a7, %2, 3\n\t"
                     "add a7, a7, %0\n"
                     "1:\n\t"
                     "ld t0, 0(t5)\n\t"
                     "ld t1, 8(t5)\n\t"
                     "xor t2, t0, t1\n\t"
                     "slli t2, t2, 32\n\t"
                     "srli t2, t2, 32\n\t"
                     "and t3, t0, t1\n\t"
                     "slli t3, t3, 32\n\t"
                     "srli t3, t3, 32\n\t"
                     "or t4, t0, t1\n\t"
                     "slli a6, t4, 32\n\t"
                     "srli a6, a6, 32\n\t"
                     "sd t2, 0(t6)\n\t"
                     "sd t3, 8(t6)\n\t"
                     "sd a6, 16(t6)\n\t"
                     "sd t4, 24(t6)\n\t"
                     "xori t2, t0, -1\n\t"
                     "slli t2, t2, 32\n\t"
                     "srli t2, t2, 32\n\t"
                     "sd t2, 32(t6)\n\t"
                     "addi t5, t5, 8\n\t"
                     "addi t6, t6, 40\n\t"
                     "bne t5, a7, 1b\n\t"
                     :
                     : "r"(in), "r"(out), "r"(n)
                     : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a6", "a7",
                       "memory");
}

static void test_zext_logic(void)
{
    uint64_t out[5 * NIN];

    for (int rep = 0; rep < 200; rep++) {
        memset(out, 0x5a, sizeof(out));
        zext_logic_loop(edges, out, NIN - 1);
        for (int i = 0; i < NIN - 1; i++) {
            uint64_t x = edges[i], y = edges[i + 1];

            CHECK(out[5 * i] == (uint32_t)(x ^ y));
            CHECK(out[5 * i + 1] == (uint32_t)(x & y));
            CHECK(out[5 * i + 2] == (uint32_t)(x | y));
            CHECK(out[5 * i + 3] == (x | y));
            CHECK(out[5 * i + 4] == (uint32_t)~x);
        }
    }
    printf("zext logic: %s\n", fails ? "FAIL" : "ok");
}

static void test_known(void)
{
    for (uint64_t i = 0; i < 2000; i++) {
        uint64_t n = 1000003 + i, d = i & 1 ? 5 : 7;

        CHECK(known_div(i & 1, n) == (n / d | (n % d) << 32));
    }
    printf("known: %s\n", fails ? "FAIL" : "ok");
}

int main(void)
{
    test_shifts();
    test_xorshift();
    test_side_exit();
    test_zext();
    test_zext_logic();
    test_shift_ext();
    test_known();
    printf("loop-codegen: %s\n", fails ? "FAIL" : "ok");
    return fails != 0;
}
