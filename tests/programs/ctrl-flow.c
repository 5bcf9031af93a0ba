/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Control flow inside one TB: ctcg translates on past conditional
 * branches (side exits), follows direct jumps and calls within a page,
 * and turns branches back to a TB's first instruction into loops with
 * pinned registers.  Each function below is hand-written assembly shaped
 * for one of these cases; results are checked against C and printed for
 * comparison with qemu-riscv64.
 */
#include <stdint.h>
#include <stdio.h>

static int fails;

#define CHECK_EQ(name, got, want)                                              \
    do {                                                                       \
        uint64_t g_ = (got), w_ = (want);                                      \
        printf("%-16s %016llx\n", name, (unsigned long long)g_);               \
        if (g_ != w_) {                                                        \
            printf("FAIL %s: got %llx want %llx\n", name,                      \
                   (unsigned long long)g_, (unsigned long long)w_);            \
            fails++;                                                           \
        }                                                                      \
    } while (0)

/*
 * A loop whose body has three early exits and a mid-body branch back to
 * the head:
 *   for i in 0..n: if i == x: return 1000+i; if i == y: return 2000+i;
 *                  if i == z: return 3000+i; acc += i (odd i skip to head)
 */
static uint64_t side_exits(uint64_t n, uint64_t x, uint64_t y, uint64_t z)
{
    uint64_t r;

    __asm__ volatile("li t0, 0\n\t"
                     "li t1, 0\n\t"
                     "1:\n\t"
                     "bgeu t0, %[n], 5f\n\t"
                     "beq t0, %[x], 2f\n\t"
                     "beq t0, %[y], 3f\n\t"
                     "beq t0, %[z], 4f\n\t"
                     "addi t0, t0, 1\n\t"
                     "andi t2, t0, 1\n\t"
                     "bnez t2, 1b\n\t"
                     "add t1, t1, t0\n\t"
                     "j 1b\n\t"
                     "2: addi %[r], t0, 1000\n\t"
                     "j 6f\n\t"
                     "3: addi %[r], t0, 2000\n\t"
                     "j 6f\n\t"
                     "4: addi %[r], t0, 2000\n\t"
                     "addi %[r], %[r], 1000\n\t"
                     "j 6f\n\t"
                     "5: mv %[r], t1\n\t"
                     "6:\n\t"
                     : [r] "=&r"(r)
                     : [n] "r"(n), [x] "r"(x), [y] "r"(y), [z] "r"(z)
                     : "t0", "t1", "t2");
    return r;
}

static uint64_t side_exits_ref(uint64_t n, uint64_t x, uint64_t y, uint64_t z)
{
    uint64_t i = 0, acc = 0;

    while (i < n) {
        if (i == x) {
            return 1000 + i;
        }
        if (i == y) {
            return 2000 + i;
        }
        if (i == z) {
            return 3000 + i;
        }
        i++;
        if (!(i & 1)) {
            acc += i;
        }
    }
    return acc;
}

/*
 * Direct jumps forward and backward within the page, a call followed
 * into a leaf function and its return, and a jump into code the TB has
 * already translated (not followed again).
 */
static uint64_t jumps(uint64_t a)
{
    uint64_t r;

    __asm__ volatile("mv t0, %[a]\n\t"
                     "j 2f\n\t"
                     "1: addi t0, t0, 7\n\t" /* reached by the backward j */
                     "j 3f\n\t"
                     "2: slli t0, t0, 1\n\t"
                     "j 1b\n\t"
                     "3: mv t3, ra\n\t"
                     "jal ra, 4f\n\t"
                     "jal ra, 4f\n\t" /* the leaf again: already translated */
                     "mv ra, t3\n\t"
                     "mv %[r], t0\n\t"
                     "j 5f\n\t"
                     "4: xori t0, t0, 0x55\n\t"
                     "addi t0, t0, 3\n\t"
                     "ret\n\t"
                     "5:\n\t"
                     : [r] "=&r"(r)
                     : [a] "r"(a)
                     : "t0", "t3", "ra");
    return r;
}

static uint64_t jumps_ref(uint64_t a)
{
    uint64_t t = a * 2 + 7;

    t = (t ^ 0x55) + 3;
    t = (t ^ 0x55) + 3;
    return t;
}

/* A self-loop with loads and stores: reverse-accumulate an array. */
static uint64_t loop_mem(uint64_t *v, int n)
{
    uint64_t r;

    __asm__ volatile("li %[r], 0\n\t"
                     "1: ld t0, 0(%[v])\n\t"
                     "add %[r], %[r], t0\n\t"
                     "sd %[r], 0(%[v])\n\t"
                     "addi %[v], %[v], 8\n\t"
                     "addi %[n], %[n], -1\n\t"
                     "bnez %[n], 1b\n\t"
                     : [r] "=&r"(r), [v] "+r"(v), [n] "+r"(n)
                     :
                     : "t0", "memory");
    return r;
}

/*
 * A register the loop keeps pinned, last read by a mov after the loop and
 * needed again only after the TB ends (at an ecall): it must have been
 * stored to the CPU state before the exit.
 */
static uint64_t loop_then_ecall(void)
{
    uint64_t r, copy;

    __asm__ volatile("li t0, 0\n\t"
                     "li t1, 1000\n\t"
                     "1: addi t0, t0, 1\n\t"
                     "bne t0, t1, 1b\n\t"
                     "mv %[c], t0\n\t"
                     "li a7, 172\n\t" /* getpid */
                     "ecall\n\t"
                     "mv %[r], t0\n\t"
                     : [r] "=&r"(r), [c] "=&r"(copy)
                     :
                     : "t0", "t1", "a0", "a7", "memory");
    return r + copy;
}

int main(void)
{
    static uint64_t v[100];
    uint64_t sum = 0, want = 0;

    for (uint64_t n = 0; n < 40; n += 3) {
        for (uint64_t x = 0; x < 45; x += 11) {
            char name[32];

            snprintf(name, sizeof(name), "side %llu %llu",
                     (unsigned long long)n, (unsigned long long)x);
            CHECK_EQ(name, side_exits(n, x, x + 5, x + 9),
                     side_exits_ref(n, x, x + 5, x + 9));
        }
    }
    for (uint64_t a = 0; a < 1000000; a = a * 3 + 1) {
        CHECK_EQ("jumps", jumps(a), jumps_ref(a));
    }
    for (int i = 0; i < 100; i++) {
        v[i] = (uint64_t)i * i;
    }
    for (int k = 0; k < 3; k++) {
        sum = loop_mem(v, 100);
    }
    for (int i = 0; i < 100; i++) {
        want += (uint64_t)i * i;
    }
    CHECK_EQ("loop_then_ecall", loop_then_ecall(), 2000);
    /* three passes of prefix sums: the last element after each */
    CHECK_EQ("loop_mem", sum == v[99] && sum > want, 1);
    printf("ctrl-flow: %s\n", fails ? "FAIL" : "ok");
    return fails != 0;
}
