/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Integer edge cases of RV64IM, printed for comparison with qemu-riscv64
 * and checked against the spec's values: division by zero, INT_MIN / -1,
 * mulh/mulhsu/mulhu, sign extension of the *w instructions, shift amounts
 * (register shifts use the low 6 or 5 bits).
 */
#include <inttypes.h>
#include <stdio.h>

#define OP(name, insn)                                                         \
    static int64_t name(int64_t a, int64_t b)                                  \
    {                                                                          \
        int64_t r;                                                             \
        __asm__ volatile(insn " %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));       \
        return r;                                                              \
    }

OP(op_div, "div")
OP(op_divu, "divu")
OP(op_rem, "rem")
OP(op_remu, "remu")
OP(op_divw, "divw")
OP(op_divuw, "divuw")
OP(op_remw, "remw")
OP(op_remuw, "remuw")
OP(op_mulh, "mulh")
OP(op_mulhsu, "mulhsu")
OP(op_mulhu, "mulhu")
OP(op_mulw, "mulw")
OP(op_addw, "addw")
OP(op_subw, "subw")
OP(op_sllw, "sllw")
OP(op_srlw, "srlw")
OP(op_sraw, "sraw")
OP(op_sll, "sll")
OP(op_srl, "srl")
OP(op_sra, "sra")

static int fails;

static void expect(const char *what, int64_t a, int64_t b, int64_t got,
                   int64_t want)
{
    printf("%-7s %016" PRIx64 " %016" PRIx64 " = %016" PRIx64 "\n", what,
           (uint64_t)a, (uint64_t)b, (uint64_t)got);
    if (got != want) {
        printf("  FAIL: want %016" PRIx64 "\n", (uint64_t)want);
        fails++;
    }
}

int main(void)
{
    const int64_t min = INT64_MIN, m32 = INT32_MIN;

    /* Division by zero: quotient all ones, remainder the dividend. */
    expect("div", 7, 0, op_div(7, 0), -1);
    expect("divu", 7, 0, op_divu(7, 0), -1);
    expect("rem", 7, 0, op_rem(7, 0), 7);
    expect("remu", 7, 0, op_remu(7, 0), 7);
    expect("divw", 7, 0, op_divw(7, 0), -1);
    expect("divuw", 7, 0, op_divuw(7, 0), -1);
    expect("remw", -7, 0, op_remw(-7, 0), -7);
    expect("remuw", 0x80000007, 0, op_remuw(0x80000007, 0),
           (int32_t)0x80000007);
    /* Overflow: INT_MIN / -1 = INT_MIN, remainder 0. */
    expect("div", min, -1, op_div(min, -1), min);
    expect("rem", min, -1, op_rem(min, -1), 0);
    expect("divw", m32, -1, op_divw(m32, -1), m32);
    expect("remw", m32, -1, op_remw(m32, -1), 0);
    /* Rounding toward zero, remainder with the dividend's sign. */
    expect("div", -7, 2, op_div(-7, 2), -3);
    expect("rem", -7, 2, op_rem(-7, 2), -1);
    expect("divu", -7, 2, op_divu(-7, 2), (int64_t)((UINT64_MAX - 6) / 2));
    /* High halves of products. */
    expect("mulh", min, min, op_mulh(min, min), (int64_t)1 << 62);
    expect("mulh", -1, -1, op_mulh(-1, -1), 0);
    expect("mulhu", -1, -1, op_mulhu(-1, -1), -2);
    expect("mulhsu", -1, -1, op_mulhsu(-1, -1), -1);
    expect("mulhsu", min, 2, op_mulhsu(min, 2), -1);
    expect("mulhsu", 3, -1, op_mulhsu(3, -1), 2);
    /* *w results are sign-extended from bit 31. */
    expect("addw", 0x7fffffff, 1, op_addw(0x7fffffff, 1), m32);
    expect("subw", m32, 1, op_subw(m32, 1), 0x7fffffff);
    expect("mulw", 0x10000, 0x10000, op_mulw(0x10000, 0x10000), 0);
    expect("mulw", 0xffff, 0x10001, op_mulw(0xffff, 0x10001), -1);
    expect("addw", 0x123456789, 0, op_addw(0x123456789, 0), 0x23456789);
    /* Shift amounts: low 6 bits (5 for *w) of rs2. */
    expect("sll", 1, 64, op_sll(1, 64), 1);
    expect("sll", 1, 65, op_sll(1, 65), 2);
    expect("srl", min, 63, op_srl(min, 63), 1);
    expect("sra", min, 127, op_sra(min, 127), -1);
    expect("sllw", 1, 31, op_sllw(1, 31), m32);
    expect("sllw", 1, 32, op_sllw(1, 32), 1);
    expect("srlw", -1, 0, op_srlw(-1, 0), -1);
    expect("srlw", 0x80000000, 31, op_srlw(0x80000000, 31), 1);
    expect("sraw", 0x80000000, 31, op_sraw(0x80000000, 31), -1);
    expect("sraw", 0x80000000, 63, op_sraw(0x80000000, 63), -1);
    printf("arith-edge: %s\n", fails ? "FAILED" : "ok");
    return fails != 0;
}
