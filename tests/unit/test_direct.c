/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the direct cold tier's decoder (target-riscv/
 * translate-direct.c): riscv_direct_decode() must agree with the full
 * decoder, riscv_decode(), on every word it accepts (the operation and
 * the fields the direct tier uses), and accept every word the full
 * decoder maps to an operation of the subset.  Words: random ones under
 * each major opcode of the subset (fixed-seed PRNG), every expansion of a
 * compressed instruction, with the extensions all off and all on; and
 * riscv_direct_decode16() against the expansion of every 16-bit word.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "target-riscv/decode.h"
#include "target-riscv/translate.h"

static RiscvOpc subset[] = {
    RISCV_OP_lui,    RISCV_OP_auipc, RISCV_OP_jal,   RISCV_OP_jalr,
    RISCV_OP_beq,    RISCV_OP_bne,   RISCV_OP_blt,   RISCV_OP_bge,
    RISCV_OP_bltu,   RISCV_OP_bgeu,  RISCV_OP_lb,    RISCV_OP_lh,
    RISCV_OP_lw,     RISCV_OP_ld,    RISCV_OP_lbu,   RISCV_OP_lhu,
    RISCV_OP_lwu,    RISCV_OP_sb,    RISCV_OP_sh,    RISCV_OP_sw,
    RISCV_OP_sd,     RISCV_OP_addi,  RISCV_OP_slti,  RISCV_OP_sltiu,
    RISCV_OP_xori,   RISCV_OP_ori,   RISCV_OP_andi,  RISCV_OP_slli,
    RISCV_OP_srli,   RISCV_OP_srai,  RISCV_OP_addiw, RISCV_OP_slliw,
    RISCV_OP_srliw,  RISCV_OP_sraiw, RISCV_OP_add,   RISCV_OP_sub,
    RISCV_OP_sll,    RISCV_OP_slt,   RISCV_OP_sltu,  RISCV_OP_xor,
    RISCV_OP_srl,    RISCV_OP_sra,   RISCV_OP_or,    RISCV_OP_and,
    RISCV_OP_addw,   RISCV_OP_subw,  RISCV_OP_sllw,  RISCV_OP_srlw,
    RISCV_OP_sraw,   RISCV_OP_mul,   RISCV_OP_mulw,  RISCV_OP_ecall,
    RISCV_OP_ebreak, RISCV_OP_fence,
};

static bool in_subset(RiscvOpc op)
{
    for (size_t i = 0; i < sizeof(subset) / sizeof(subset[0]); i++) {
        if (subset[i] == op) {
            return true;
        }
    }
    return false;
}

static uint64_t seed = 0x5eed;

static uint32_t rand32(void)
{
    uint64_t z = (seed += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return (uint32_t)(z ^ (z >> 31));
}

/* The fields the direct tier reads for @op must be riscv_decode's. */
static void check_fields(uint32_t w, const DisasArgs *d, const DisasArgs *f)
{
    const RiscvInsnInfo *e = &riscv_insn_info[f->op];
    bool rd = true, rs1 = true, rs2 = false, imm = true;

    switch (e->fmt) {
    case FMT_R:
        rs2 = true;
        imm = false;
        break;
    case FMT_U:
    case FMT_J:
        rs1 = false;
        break;
    case FMT_B:
    case FMT_ST:
        rd = false;
        rs2 = true;
        break;
    case FMT_NONE:
        rd = rs1 = imm = false;
        break;
    case FMT_FENCE:
        rd = rs1 = imm = false;
        if (d->pred != f->pred || d->succ != f->succ || d->fm != f->fm) {
            fail_msg("%#010x (fence): direct pred %d succ %d fm %d, full "
                     "pred %d succ %d fm %d",
                     w, d->pred, d->succ, d->fm, f->pred, f->succ, f->fm);
        }
        break;
    default:
        break;
    }
    if ((rd && d->rd != f->rd) || (rs1 && d->rs1 != f->rs1) ||
        (rs2 && d->rs2 != f->rs2) || (imm && d->imm != f->imm)) {
        fail_msg("%#010x (%s): direct rd %d rs1 %d rs2 %d imm %" PRId64
                 ", full rd %d rs1 %d rs2 %d imm %" PRId64,
                 w, e->name, d->rd, d->rs1, d->rs2, d->imm, f->rd, f->rs1,
                 f->rs2, f->imm);
    }
}

static void check_word(const RISCVCPUConfig *cfg, uint32_t w)
{
    DisasArgs d, f;
    bool dok, fok;

    memset(&d, 0, sizeof(d));
    dok = riscv_direct_decode(w, &d);
    fok = riscv_decode(cfg, w, &f);
    if (dok) {
        if (!fok || f.op != d.op) {
            fail_msg("%#010x: direct %s, full %s", w,
                     riscv_insn_info[d.op].name,
                     fok ? riscv_insn_info[f.op].name : "(illegal)");
        }
        check_fields(w, &d, &f);
    } else if (fok && in_subset(f.op)) {
        fail_msg("%#010x (%s): not taken by the direct decoder", w,
                 riscv_insn_info[f.op].name);
    }
}

static void check_all(const RISCVCPUConfig *cfg)
{
    static const uint8_t majors[] = {0x37, 0x17, 0x6f, 0x67, 0x63, 0x03, 0x23,
                                     0x13, 0x1b, 0x33, 0x3b, 0x73, 0x0f};

    for (size_t m = 0; m < sizeof(majors); m++) {
        for (int i = 0; i < 200000; i++) {
            uint32_t r = rand32();

            /* Half with few funct7 bits set: shifts, sub, sra, mul. */
            if (i & 1) {
                r &= 0x43ffffff;
            }
            check_word(cfg, (r & ~0x7fu) | majors[m]);
        }
    }
    check_word(cfg, 0x00000073);
    check_word(cfg, 0x00100073);
    for (uint32_t lo = 0; lo < 0x10000; lo++) {
        if ((lo & 3) != 3 && riscv_expand_rvc((uint16_t)lo) != 0) {
            check_word(cfg, riscv_expand_rvc((uint16_t)lo));
        }
    }
}

/*
 * riscv_direct_decode16 against the expansion: the same answer for every
 * 16-bit word, the same operation and fields where both take it.
 */
static void test_direct_decode16(void **state)
{
    RISCVCPUConfig cfg;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.ext_c = true;
    for (uint32_t lo = 0; lo < 0x10000; lo++) {
        uint32_t w = riscv_expand_rvc((uint16_t)lo);
        DisasArgs d16, d, f;
        bool ok16, ok;

        if ((lo & 3) == 3) {
            continue;
        }
        memset(&d16, 0, sizeof(d16));
        memset(&d, 0, sizeof(d));
        ok16 = riscv_direct_decode16((uint16_t)lo, &d16);
        ok = w != 0 && riscv_direct_decode(w, &d);
        if (ok16 != ok) {
            fail_msg("%#06x (%#010x): decode16 %d, expanded %d", lo, w, ok16,
                     ok);
        }
        if (!ok) {
            continue;
        }
        if (d16.op != d.op || !riscv_decode(&cfg, w, &f) || f.op != d.op) {
            fail_msg("%#06x: decode16 %s, expanded %s", lo,
                     riscv_insn_info[d16.op].name, riscv_insn_info[d.op].name);
        }
        check_fields(w, &d16, &f);
    }
}

static void test_direct_decode_base(void **state)
{
    RISCVCPUConfig cfg;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.ext_c = true;
    check_all(&cfg);
}

static void test_direct_decode_all_ext(void **state)
{
    RISCVCPUConfig cfg;

    (void)state;
    memset(&cfg, 0, sizeof(cfg));
    cfg.ext_c = cfg.ext_zba = cfg.ext_zbb = cfg.ext_zbc = cfg.ext_zbs = true;
    cfg.ext_zicond = cfg.ext_zfh = cfg.ext_zfhmin = true;
    check_all(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_direct_decode_base),
        cmocka_unit_test(test_direct_decode_all_ext),
        cmocka_unit_test(test_direct_decode16),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
