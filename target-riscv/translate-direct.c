/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The direct cold tier: RISC-V to x86-64 without IR (issue 18).
 *
 * riscv_tr_translate_direct() translates a cold TB (accel/tcg/tb.h: the
 * first tier, default cflags) by decoding each guest instruction and
 * emitting its host code at once through tcg/tcg-direct.h: no ops, no
 * liveness, no register allocation.  It covers the common integer subset:
 * lui, auipc, the ALU instructions with an immediate or a register and
 * their 32-bit W forms, mul and mulw, loads and stores, conditional
 * branches, jal, jalr, ecall, ebreak and fence (a barrier only where
 * x86-TSO needs one, as trans_fence).
 *
 * Decisions are the IR path's (translate.c), so both tiers' TBs have the
 * same shape: a conditional branch ends the TB (both ways by goto_tb) but
 * for a loop's back edge, jal is followed within the TB's page (at most
 * DIRECT_MAX_RUNS runs), a TB stops at its page's end and at max_insns, a
 * target outside pc_first's page is reached through goto_lookup, jalr
 * through an inline-cache slot while one is free.  Unlike the IR path, a
 * branch back to pc_first does not loop inside the TB: it chains to the TB
 * itself, so the loop counts its runs and soon becomes hot.
 *
 * Decoding is riscv_direct_decode()'s, which knows the subset's encodings
 * only (test_direct checks it against riscv_decode on random words and
 * every compressed instruction): the full table search cost more than
 * the emission.
 *
 * What it does not cover goes to the IR path: a TB whose first
 * instruction is outside the subset (or cannot be fetched) is not started
 * here (returns 0, nothing emitted); a later one ends the TB before it,
 * and its own TB takes the IR path.  Nor is it used with special cflags
 * (gdb, one instruction per TB, CF_NOCHAIN), with -d logging, without the
 * C extension (IALIGN 32 would need misaligned-target checks), or when
 * -cold-tier ir asks for the IR path (cpu_exec_cold_direct).
 */
#include <stddef.h>
#include <string.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/translator.h"
#include "tcg/log.h"
#include "tcg/tcg-direct.h"
#include "target-riscv/decode.h"
#include "target-riscv/translate.h"

#define DIRECT_MAX_RUNS 4 /* as translate.c's RISCV_TR_SB_RUNS */
#define DIRECT_PAGE_MASK (~(uint64_t)4095)

typedef struct DirectCtx {
    TCGContext *s;
    TranslationBlock *tb;
    const RISCVCPUConfig *cfg;
    uint64_t pc_first, pc_cur, pc_next;
    int num_insns, max_insns;
    int next_slot; /* next free goto_tb slot */
    int nb_ics;    /* inline-cache slots used */
    int nb_runs;
    uint64_t blk_lo, blk_end; /* block holds guest [blk_lo, blk_end) */
    uint8_t block[64];
    struct {
        uint64_t start, end;
    } run[DIRECT_MAX_RUNS];
} DirectCtx;

#define GPR(r) ((int)(offsetof(CPURISCVState, gpr) + 8 * (r)))
#define PC_OFS ((int)offsetof(CPURISCVState, pc))
#define EXCP_OFS ((int)offsetof(CPURISCVState, exception))

/* The destination x<r>: writes to x0 are dropped. */
static int dst(int r)
{
    return r ? GPR(r) : TCG_DIRECT_DISCARD;
}

static const RiscvOpc direct_branch_op[8] = {
    RISCV_OP_beq, RISCV_OP_bne, RISCV_OP_COUNT, RISCV_OP_COUNT,
    RISCV_OP_blt, RISCV_OP_bge, RISCV_OP_bltu,  RISCV_OP_bgeu,
};
static const RiscvOpc direct_load_op[8] = {
    RISCV_OP_lb,  RISCV_OP_lh,  RISCV_OP_lw,  RISCV_OP_ld,
    RISCV_OP_lbu, RISCV_OP_lhu, RISCV_OP_lwu, RISCV_OP_COUNT,
};
static const RiscvOpc direct_store_op[8] = {
    RISCV_OP_sb,    RISCV_OP_sh,    RISCV_OP_sw,    RISCV_OP_sd,
    RISCV_OP_COUNT, RISCV_OP_COUNT, RISCV_OP_COUNT, RISCV_OP_COUNT,
};
/* OP-IMM by funct3; slli/srli/srai by the top six bits, below */
static const RiscvOpc direct_opimm_op[8] = {
    RISCV_OP_addi, RISCV_OP_COUNT, RISCV_OP_slti, RISCV_OP_sltiu,
    RISCV_OP_xori, RISCV_OP_COUNT, RISCV_OP_ori,  RISCV_OP_andi,
};
/* OP (funct7 0) by funct3 */
static const RiscvOpc direct_op_op[8] = {
    RISCV_OP_add, RISCV_OP_sll, RISCV_OP_slt, RISCV_OP_sltu,
    RISCV_OP_xor, RISCV_OP_srl, RISCV_OP_or,  RISCV_OP_and,
};

/* OP-IMM, OP-IMM-32, OP and OP-32 (RISCV_OP_COUNT: not in the subset) */
static RiscvOpc direct_decode_alu(uint32_t w, DisasArgs *a)
{
    uint32_t f3 = (w >> 12) & 7, f7 = w >> 25, top6 = w >> 26;

    switch (w & 0x7f) {
    case 0x13: /* OP-IMM */
        if (f3 == 1) {
            a->imm = (w >> 20) & 63;
            return top6 == 0 ? RISCV_OP_slli : RISCV_OP_COUNT;
        }
        if (f3 == 5) {
            a->imm = (w >> 20) & 63;
            return top6 == 0      ? RISCV_OP_srli
                   : top6 == 0x10 ? RISCV_OP_srai
                                  : RISCV_OP_COUNT;
        }
        return direct_opimm_op[f3];
    case 0x1b: /* OP-IMM-32 */
        a->imm = f3 == 0 ? a->imm : a->rs2;
        return f3 == 0               ? RISCV_OP_addiw
               : f3 == 1 && f7 == 0  ? RISCV_OP_slliw
               : f3 == 5 && f7 == 0  ? RISCV_OP_srliw
               : f3 == 5 && f7 == 32 ? RISCV_OP_sraiw
                                     : RISCV_OP_COUNT;
    case 0x33: /* OP */
        return f7 == 0               ? direct_op_op[f3]
               : f7 == 32 && f3 == 0 ? RISCV_OP_sub
               : f7 == 32 && f3 == 5 ? RISCV_OP_sra
               : f7 == 1 && f3 == 0  ? RISCV_OP_mul
                                     : RISCV_OP_COUNT;
    case 0x3b: /* OP-32 */
        return f7 == 0 && f3 == 0    ? RISCV_OP_addw
               : f7 == 0 && f3 == 1  ? RISCV_OP_sllw
               : f7 == 0 && f3 == 5  ? RISCV_OP_srlw
               : f7 == 32 && f3 == 0 ? RISCV_OP_subw
               : f7 == 32 && f3 == 5 ? RISCV_OP_sraw
               : f7 == 1 && f3 == 0  ? RISCV_OP_mulw
                                     : RISCV_OP_COUNT;
    default:
        return RISCV_OP_COUNT;
    }
}

/* @v's low @bits bits, sign-extended (no shift of a negative value) */
static int64_t direct_sext(uint64_t v, int bits)
{
    uint64_t sign = 1ull << (bits - 1);

    return (int64_t)((v ^ sign) - sign);
}

bool riscv_direct_decode(uint32_t w, DisasArgs *a)
{
    uint32_t f3 = (w >> 12) & 7;

    a->rd = (w >> 7) & 31;
    a->rs1 = (w >> 15) & 31;
    a->rs2 = (w >> 20) & 31;
    a->imm = direct_sext(w >> 20, 12); /* I-type */
    switch (w & 0x7f) {
    case 0x37: /* LUI */
    case 0x17: /* AUIPC */
        a->imm = direct_sext(w & 0xfffff000u, 32);
        a->op = (w & 0x7f) == 0x37 ? RISCV_OP_lui : RISCV_OP_auipc;
        return true;
    case 0x6f: /* JAL */
        a->imm = direct_sext((w >> 31) << 20 | (w & 0xff000) |
                                 ((w >> 9) & 0x800) | ((w >> 20) & 0x7fe),
                             21);
        a->op = RISCV_OP_jal;
        return true;
    case 0x67: /* JALR */
        a->op = f3 == 0 ? RISCV_OP_jalr : RISCV_OP_COUNT;
        break;
    case 0x63: /* BRANCH */
        a->imm = direct_sext((w >> 31) << 12 | ((w << 4) & 0x800) |
                                 ((w >> 20) & 0x7e0) | ((w >> 7) & 0x1e),
                             13);
        a->op = direct_branch_op[f3];
        break;
    case 0x03: /* LOAD */
        a->op = direct_load_op[f3];
        break;
    case 0x23: /* STORE */
        a->imm = direct_sext((w >> 25) << 5 | ((w >> 7) & 31), 12);
        a->op = direct_store_op[f3];
        break;
    case 0x0f: /* MISC-MEM: fence (fence.i depends on Zifencei) */
        a->succ = (w >> 20) & 15;
        a->pred = (w >> 24) & 15;
        a->fm = w >> 28;
        a->op = f3 == 0 ? RISCV_OP_fence : RISCV_OP_COUNT;
        break;
    case 0x73: /* SYSTEM */
        a->op = w == 0x73       ? RISCV_OP_ecall
                : w == 0x100073 ? RISCV_OP_ebreak
                                : RISCV_OP_COUNT;
        break;
    default:
        a->op = direct_decode_alu(w, a);
        break;
    }
    return a->op != RISCV_OP_COUNT;
}

#define CBIT(w, n) (((w) >> (n)) & 1u)
#define CBITS(w, hi, lo) (((w) >> (lo)) & ((1u << ((hi) - (lo) + 1)) - 1))

/* Set @a to @op rd, rs1, rs2, imm; true unless @op is RISCV_OP_COUNT. */
static bool direct_c(DisasArgs *a, RiscvOpc op, int rd, int rs1, int rs2,
                     int64_t imm)
{
    a->op = op;
    a->rd = rd;
    a->rs1 = rs1;
    a->rs2 = rs2;
    a->imm = imm;
    return op != RISCV_OP_COUNT;
}

/* Quadrant 0: c.addi4spn, c.lw, c.ld, c.sw, c.sd (not the FP forms). */
static bool direct_decode_q0(uint16_t w, DisasArgs *a)
{
    int rdp = CBITS(w, 4, 2) + 8, rs1p = CBITS(w, 9, 7) + 8;
    uint32_t ld8 = (CBITS(w, 12, 10) << 3) | (CBITS(w, 6, 5) << 6);
    uint32_t ld4 =
        (CBITS(w, 12, 10) << 3) | (CBIT(w, 6) << 2) | (CBIT(w, 5) << 6);
    uint32_t spn;

    switch (w >> 13) {
    case 0: /* c.addi4spn (0: reserved) */
        spn = (CBITS(w, 12, 11) << 4) | (CBITS(w, 10, 7) << 6) |
              (CBIT(w, 6) << 2) | (CBIT(w, 5) << 3);
        return spn && direct_c(a, RISCV_OP_addi, rdp, 2, 0, spn);
    case 2:
        return direct_c(a, RISCV_OP_lw, rdp, rs1p, 0, ld4);
    case 3:
        return direct_c(a, RISCV_OP_ld, rdp, rs1p, 0, ld8);
    case 6:
        return direct_c(a, RISCV_OP_sw, 0, rs1p, rdp, ld4);
    case 7:
        return direct_c(a, RISCV_OP_sd, 0, rs1p, rdp, ld8);
    default:
        return false;
    }
}

/* Quadrant 1, funct3 4: c.srli, c.srai, c.andi, c.sub ... c.addw. */
static bool direct_decode_q1_alu(uint16_t w, DisasArgs *a)
{
    static const RiscvOpc rr[8] = {
        RISCV_OP_sub,  RISCV_OP_xor,  RISCV_OP_or,    RISCV_OP_and,
        RISCV_OP_subw, RISCV_OP_addw, RISCV_OP_COUNT, RISCV_OP_COUNT,
    };
    int rdp = CBITS(w, 9, 7) + 8;
    uint32_t shamt = (CBIT(w, 12) << 5) | CBITS(w, 6, 2);

    switch (CBITS(w, 11, 10)) {
    case 0:
        return direct_c(a, RISCV_OP_srli, rdp, rdp, 0, shamt);
    case 1:
        return direct_c(a, RISCV_OP_srai, rdp, rdp, 0, shamt);
    case 2:
        return direct_c(a, RISCV_OP_andi, rdp, rdp, 0, direct_sext(shamt, 6));
    default:
        return direct_c(a, rr[CBIT(w, 12) << 2 | CBITS(w, 6, 5)], rdp, rdp,
                        CBITS(w, 4, 2) + 8, 0);
    }
}

/* Quadrant 1: c.addi, c.addiw, c.li, c.addi16sp, c.lui, c.j, c.beqz/bnez. */
static bool direct_decode_q1(uint16_t w, DisasArgs *a)
{
    int rd = CBITS(w, 11, 7), rs1p = CBITS(w, 9, 7) + 8;
    int64_t imm6 = direct_sext((CBIT(w, 12) << 5) | CBITS(w, 6, 2), 6);
    int64_t imm;

    switch (w >> 13) {
    case 0: /* c.addi, c.nop */
        return direct_c(a, RISCV_OP_addi, rd, rd, 0, imm6);
    case 1: /* c.addiw (rd 0: reserved) */
        return rd && direct_c(a, RISCV_OP_addiw, rd, rd, 0, imm6);
    case 2: /* c.li */
        return direct_c(a, RISCV_OP_addi, rd, 0, 0, imm6);
    case 3:
        if (rd == 2) { /* c.addi16sp (0: reserved) */
            imm = direct_sext((CBIT(w, 12) << 9) | (CBIT(w, 6) << 4) |
                                  (CBIT(w, 5) << 6) | (CBITS(w, 4, 3) << 7) |
                                  (CBIT(w, 2) << 5),
                              10);
            return imm && direct_c(a, RISCV_OP_addi, 2, 2, 0, imm);
        }
        /* c.lui (0: reserved) */
        return imm6 && direct_c(a, RISCV_OP_lui, rd, 0, 0, imm6 * 4096);
    case 4:
        return direct_decode_q1_alu(w, a);
    case 5: /* c.j */
        imm = direct_sext((CBIT(w, 12) << 11) | (CBIT(w, 11) << 4) |
                              (CBITS(w, 10, 9) << 8) | (CBIT(w, 8) << 10) |
                              (CBIT(w, 7) << 6) | (CBIT(w, 6) << 7) |
                              (CBITS(w, 5, 3) << 1) | (CBIT(w, 2) << 5),
                          12);
        return direct_c(a, RISCV_OP_jal, 0, 0, 0, imm);
    default: /* c.beqz, c.bnez */
        imm = direct_sext((CBIT(w, 12) << 8) | (CBITS(w, 11, 10) << 3) |
                              (CBITS(w, 6, 5) << 6) | (CBITS(w, 4, 3) << 1) |
                              (CBIT(w, 2) << 5),
                          9);
        return direct_c(a, (w >> 13) == 6 ? RISCV_OP_beq : RISCV_OP_bne, 0,
                        rs1p, 0, imm);
    }
}

/* Quadrant 2, funct3 4: c.jr, c.mv, c.ebreak, c.jalr, c.add. */
static bool direct_decode_q2_misc(uint16_t w, DisasArgs *a)
{
    int rd = CBITS(w, 11, 7), rs2 = CBITS(w, 6, 2);

    if (!CBIT(w, 12)) {
        if (rs2 == 0) { /* c.jr (rs1 0: reserved) */
            return rd && direct_c(a, RISCV_OP_jalr, 0, rd, 0, 0);
        }
        return direct_c(a, RISCV_OP_add, rd, 0, rs2, 0); /* c.mv */
    }
    if (rd == 0 && rs2 == 0) {
        return direct_c(a, RISCV_OP_ebreak, 0, 0, 0, 0);
    }
    if (rs2 == 0) {
        return direct_c(a, RISCV_OP_jalr, 1, rd, 0, 0); /* c.jalr */
    }
    return direct_c(a, RISCV_OP_add, rd, rd, rs2, 0); /* c.add */
}

/* Quadrant 2: c.slli, c.lwsp, c.ldsp, c.swsp, c.sdsp and the misc. */
static bool direct_decode_q2(uint16_t w, DisasArgs *a)
{
    int rd = CBITS(w, 11, 7), rs2 = CBITS(w, 6, 2);

    switch (w >> 13) {
    case 0: /* c.slli */
        return direct_c(a, RISCV_OP_slli, rd, rd, 0, (CBIT(w, 12) << 5) | rs2);
    case 2: /* c.lwsp (rd 0: reserved) */
        return rd && direct_c(a, RISCV_OP_lw, rd, 2, 0,
                              (CBIT(w, 12) << 5) | (CBITS(w, 6, 4) << 2) |
                                  (CBITS(w, 3, 2) << 6));
    case 3: /* c.ldsp (rd 0: reserved) */
        return rd && direct_c(a, RISCV_OP_ld, rd, 2, 0,
                              (CBIT(w, 12) << 5) | (CBITS(w, 6, 5) << 3) |
                                  (CBITS(w, 4, 2) << 6));
    case 4:
        return direct_decode_q2_misc(w, a);
    case 6: /* c.swsp */
        return direct_c(a, RISCV_OP_sw, 0, 2, rs2,
                        (CBITS(w, 12, 9) << 2) | (CBITS(w, 8, 7) << 6));
    case 7: /* c.sdsp */
        return direct_c(a, RISCV_OP_sd, 0, 2, rs2,
                        (CBITS(w, 12, 10) << 3) | (CBITS(w, 9, 7) << 6));
    default: /* c.fldsp, c.fsdsp */
        return false;
    }
}

/*
 * The compressed instructions of the subset, decoded at once: expanding
 * to 32 bits (riscv_expand_rvc) and decoding that cost twice as much.
 * test_direct checks it against the expansion for every 16-bit word.
 */
bool riscv_direct_decode16(uint16_t w, DisasArgs *a)
{
    switch (w & 3) {
    case 0:
        return direct_decode_q0(w, a);
    case 1:
        return direct_decode_q1(w, a);
    case 2:
        return direct_decode_q2(w, a);
    default:
        return false;
    }
}

/* Fetch the rest of @addr's 64-byte block into c->block. */
static bool direct_refill(DirectCtx *c, uint64_t addr)
{
    if (!translator_fetch_block(addr, c->block)) {
        return false;
    }
    c->blk_lo = addr;
    c->blk_end = (addr | 63) + 1;
    return true;
}

/*
 * The instruction at @pc (32 bits, or a compressed one in the low 16)
 * when it is not all in c->block: a new block, a 32-bit instruction
 * across the block's end, the page's last parcel (a 32-bit instruction
 * there takes its upper half from the next page, as translate.c).
 */
static bool direct_fetch_slow(DirectCtx *c, uint64_t pc, uint32_t *w)
{
    uint16_t lo, hi;

    if (pc >= c->blk_lo && pc < c->blk_end) {
        memcpy(&lo, c->block + 62, 2); /* pc & 63 is 62 */
    } else if ((pc & 4095) == 4094) {
        if (!translator_fetch(pc, &lo, 2)) {
            return false;
        }
    } else {
        if (!direct_refill(c, pc)) {
            return false;
        }
        if ((pc & 63) <= 60) {
            memcpy(w, c->block + (pc & 63), 4);
            return true;
        }
        memcpy(&lo, c->block + 62, 2);
    }
    *w = lo;
    if ((lo & 3) != 3) {
        return true;
    }
    if (((pc + 2) & 4095) == 0) {
        if (!translator_fetch(pc + 2, &hi, 2)) {
            return false;
        }
    } else {
        if (!direct_refill(c, pc + 2)) {
            return false;
        }
        memcpy(&hi, c->block, 2);
    }
    *w |= (uint32_t)hi << 16;
    return true;
}

/*
 * Fetch and decode the instruction at pc_next into @a; false when it
 * cannot be fetched or is outside the subset (pc_next is then unchanged).
 * Decoding reads c->block, the copy of a 64-byte block of guest code
 * (translator_fetch_block): one fetch for about 20 instructions.
 */
static bool direct_fetch(DirectCtx *c, DisasArgs *a)
{
    uint64_t pc = c->pc_next;
    uint32_t w;

    if (pc >= c->blk_lo && pc + 4 <= c->blk_end) {
        memcpy(&w, c->block + (pc & 63), 4);
    } else if (!direct_fetch_slow(c, pc, &w)) {
        return false;
    }
    if ((w & 3) != 3) {
        if (!riscv_direct_decode16((uint16_t)w, a)) {
            return false;
        }
        c->pc_cur = pc;
        c->pc_next = pc + 2;
        return true;
    }
    if (!riscv_direct_decode(w, a)) {
        return false;
    }
    c->pc_cur = pc;
    c->pc_next = pc + 4;
    return true;
}

/* Leave for @dest: goto_tb while a slot is free and @dest is in the page. */
static void direct_leave(DirectCtx *c, uint64_t dest)
{
    if (((c->pc_first ^ dest) & DIRECT_PAGE_MASK) == 0 &&
        c->next_slot < TB_MAX_JMPS) {
        tcg_direct_goto_tb(c->s, c->next_slot++, PC_OFS, dest);
    } else {
        tcg_direct_goto_lookup(c->s, c->nb_ics < TB_IC_SLOTS ? c->nb_ics++ : -1,
                               TCG_DIRECT_DISCARD, (int64_t)dest,
                               TCG_DIRECT_DISCARD, 0);
    }
}

/* Follow jal to @dest inside the TB?  As translate.c's follow_jump. */
static bool direct_follow(DirectCtx *c, uint64_t dest)
{
    if (c->nb_runs >= DIRECT_MAX_RUNS || c->num_insns + 2 >= c->max_insns ||
        ((c->pc_first ^ dest) & DIRECT_PAGE_MASK) || dest == c->pc_first) {
        return false;
    }
    c->run[c->nb_runs - 1].end = c->pc_next;
    for (int i = 0; i < c->nb_runs; i++) {
        if (dest >= c->run[i].start && dest < c->run[i].end) {
            return false;
        }
    }
    c->run[c->nb_runs].start = dest;
    c->nb_runs++;
    c->pc_next = dest;
    return true;
}

static const TCGCond direct_cond[] = {
    [RISCV_OP_beq] = TCG_COND_EQ,   [RISCV_OP_bne] = TCG_COND_NE,
    [RISCV_OP_blt] = TCG_COND_LT,   [RISCV_OP_bge] = TCG_COND_GE,
    [RISCV_OP_bltu] = TCG_COND_LTU, [RISCV_OP_bgeu] = TCG_COND_GEU,
};

static const MemOp direct_mop[] = {
    [RISCV_OP_lb] = MO_SB,  [RISCV_OP_lh] = MO_SW,  [RISCV_OP_lw] = MO_SL,
    [RISCV_OP_ld] = MO_UQ,  [RISCV_OP_lbu] = MO_UB, [RISCV_OP_lhu] = MO_UW,
    [RISCV_OP_lwu] = MO_UL, [RISCV_OP_sb] = MO_UB,  [RISCV_OP_sh] = MO_UW,
    [RISCV_OP_sw] = MO_UL,  [RISCV_OP_sd] = MO_UQ,
};

/* The ALU instructions: operation, W form, immediate form. */
static const struct {
    uint8_t op, w, imm;
} direct_alu[RISCV_OP_COUNT] = {
    [RISCV_OP_addi] = {TCG_DOP_ADD, 0, 1},
    [RISCV_OP_slti] = {TCG_DOP_SLT, 0, 1},
    [RISCV_OP_sltiu] = {TCG_DOP_SLTU, 0, 1},
    [RISCV_OP_xori] = {TCG_DOP_XOR, 0, 1},
    [RISCV_OP_ori] = {TCG_DOP_OR, 0, 1},
    [RISCV_OP_andi] = {TCG_DOP_AND, 0, 1},
    [RISCV_OP_slli] = {TCG_DOP_SHL, 0, 1},
    [RISCV_OP_srli] = {TCG_DOP_SHR, 0, 1},
    [RISCV_OP_srai] = {TCG_DOP_SAR, 0, 1},
    [RISCV_OP_addiw] = {TCG_DOP_ADD, 1, 1},
    [RISCV_OP_slliw] = {TCG_DOP_SHL, 1, 1},
    [RISCV_OP_srliw] = {TCG_DOP_SHR, 1, 1},
    [RISCV_OP_sraiw] = {TCG_DOP_SAR, 1, 1},
    [RISCV_OP_add] = {TCG_DOP_ADD, 0, 0},
    [RISCV_OP_sub] = {TCG_DOP_SUB, 0, 0},
    [RISCV_OP_sll] = {TCG_DOP_SHL, 0, 0},
    [RISCV_OP_slt] = {TCG_DOP_SLT, 0, 0},
    [RISCV_OP_sltu] = {TCG_DOP_SLTU, 0, 0},
    [RISCV_OP_xor] = {TCG_DOP_XOR, 0, 0},
    [RISCV_OP_srl] = {TCG_DOP_SHR, 0, 0},
    [RISCV_OP_sra] = {TCG_DOP_SAR, 0, 0},
    [RISCV_OP_or] = {TCG_DOP_OR, 0, 0},
    [RISCV_OP_and] = {TCG_DOP_AND, 0, 0},
    [RISCV_OP_addw] = {TCG_DOP_ADD, 1, 0},
    [RISCV_OP_subw] = {TCG_DOP_SUB, 1, 0},
    [RISCV_OP_sllw] = {TCG_DOP_SHL, 1, 0},
    [RISCV_OP_srlw] = {TCG_DOP_SHR, 1, 0},
    [RISCV_OP_sraw] = {TCG_DOP_SAR, 1, 0},
    [RISCV_OP_mul] = {TCG_DOP_MUL, 0, 0},
    [RISCV_OP_mulw] = {TCG_DOP_MUL, 1, 0},
};

/*
 * A conditional branch; true when it ended the TB.  Both ways leave the
 * TB, except that a loop's back edge (to pc_first) chains to the TB itself
 * and translation goes on with the fall-through: translate.c's gen_branch
 * also goes on there (and loops inside the TB).
 */
static bool direct_branch(DirectCtx *c, const DisasArgs *a)
{
    uint64_t dest = c->pc_cur + a->imm;
    TCGCond cond = direct_cond[a->op];
    uint8_t *site;

    if (dest == c->pc_first && c->next_slot < TB_MAX_JMPS &&
        c->num_insns + 2 < c->max_insns) {
        site = tcg_direct_brcond(c->s, tcg_invert_cond(cond), GPR(a->rs1),
                                 GPR(a->rs2));
        tcg_direct_goto_tb(c->s, c->next_slot++, PC_OFS, dest);
        tcg_direct_target(c->s, site);
        return false;
    }
    site = tcg_direct_brcond(c->s, cond, GPR(a->rs1), GPR(a->rs2));
    direct_leave(c, c->pc_next);
    tcg_direct_target(c->s, site);
    direct_leave(c, dest);
    return true;
}

/* An ALU instruction (rd != 0). */
static void direct_alu_insn(DirectCtx *c, const DisasArgs *a)
{
    TCGDirectOp op = direct_alu[a->op].op;
    bool w = direct_alu[a->op].w;

    if (!direct_alu[a->op].imm) {
        tcg_direct_alu(c->s, op, w, GPR(a->rd), GPR(a->rs1), GPR(a->rs2));
    } else if (op == TCG_DOP_ADD && !w && a->rs1 == 0) {
        tcg_direct_movi(c->s, GPR(a->rd), (uint64_t)a->imm); /* li */
    } else {
        tcg_direct_alui(c->s, op, w, GPR(a->rd), GPR(a->rs1), a->imm);
    }
}

/* Emit one instruction; true when it ended the TB. */
static bool direct_insn(DirectCtx *c, const DisasArgs *a)
{
    switch (a->op) {
    case RISCV_OP_lui:
        tcg_direct_movi(c->s, dst(a->rd), (uint64_t)a->imm);
        return false;
    case RISCV_OP_auipc:
        tcg_direct_movi(c->s, dst(a->rd), c->pc_cur + a->imm);
        return false;
    case RISCV_OP_jal:
        tcg_direct_movi(c->s, dst(a->rd), c->pc_next);
        if (direct_follow(c, c->pc_cur + a->imm)) {
            return false;
        }
        direct_leave(c, c->pc_cur + a->imm);
        return true;
    case RISCV_OP_jalr:
        tcg_direct_goto_lookup(c->s, c->nb_ics < TB_IC_SLOTS ? c->nb_ics++ : -1,
                               GPR(a->rs1), a->imm, dst(a->rd), c->pc_next);
        return true;
    case RISCV_OP_beq:
    case RISCV_OP_bne:
    case RISCV_OP_blt:
    case RISCV_OP_bge:
    case RISCV_OP_bltu:
    case RISCV_OP_bgeu:
        return direct_branch(c, a);
    case RISCV_OP_lb:
    case RISCV_OP_lh:
    case RISCV_OP_lw:
    case RISCV_OP_ld:
    case RISCV_OP_lbu:
    case RISCV_OP_lhu:
    case RISCV_OP_lwu:
        /* to x0 too: the access may fault */
        tcg_direct_ld(c->s, direct_mop[a->op], dst(a->rd), GPR(a->rs1), a->imm);
        return false;
    case RISCV_OP_sb:
    case RISCV_OP_sh:
    case RISCV_OP_sw:
    case RISCV_OP_sd:
        tcg_direct_st(c->s, direct_mop[a->op], GPR(a->rs2), GPR(a->rs1),
                      a->imm);
        return false;
    case RISCV_OP_fence:
        /* x86-TSO: only store->load needs a barrier; none for fence.tso */
        if (a->fm != 8 && (a->pred & 1) && (a->succ & 2)) {
            tcg_direct_mb(c->s, TCG_MO_ALL | TCG_BAR_SC);
        }
        return false;
    case RISCV_OP_ecall:
    case RISCV_OP_ebreak:
        tcg_direct_exit(c->s, PC_OFS, c->pc_cur, EXCP_OFS,
                        a->op == RISCV_OP_ecall ? RISCV_EXCP_ECALL
                                                : RISCV_EXCP_BREAKPOINT);
        return true;
    default:
        if (a->rd != 0) {
            direct_alu_insn(c, a); /* rd = x0: a hint, nothing to do */
        }
        return false;
    }
}

/* May @tb take the direct tier at all? */
static bool direct_usable(const CPURISCVState *env, const TranslationBlock *tb)
{
    return cpu_exec_cold_direct && tb->cold && tb->cflags == 0 &&
           env->cfg.ext_c && tcg_log_mask == 0;
}

/* Bytes from pc_first to the end of the last instruction (translate.c). */
static uint32_t direct_extent(DirectCtx *c)
{
    uint64_t end = c->pc_first + 1;

    c->run[c->nb_runs - 1].end = c->pc_next;
    for (int i = 0; i < c->nb_runs; i++) {
        end = c->run[i].end > end ? c->run[i].end : end;
    }
    return end - c->pc_first;
}

/* The instructions after the first: on until one ends the TB. */
static void direct_body(DirectCtx *c, DisasArgs *a)
{
    for (;;) {
        tcg_direct_insn_start(c->s, c->pc_cur);
        c->num_insns++;
        if (direct_insn(c, a)) {
            return;
        }
        if (c->num_insns >= c->max_insns ||
            ((c->pc_next ^ c->run[c->nb_runs - 1].start) & DIRECT_PAGE_MASK) ||
            tcg_direct_full(c->s) || !direct_fetch(c, a)) {
            /* The next instruction is another TB's (its own tier). */
            direct_leave(c, c->pc_next);
            return;
        }
    }
}

int riscv_tr_translate_direct(CPURISCVState *env, TranslationBlock *tb,
                              int max_insns)
{
    DirectCtx c = {
        .s = tcg_ctx,
        .tb = tb,
        .cfg = &env->cfg,
        .pc_first = tb->pc,
        .pc_cur = tb->pc,
        .pc_next = tb->pc,
        .max_insns = max_insns < TCG_MAX_INSNS ? max_insns : TCG_MAX_INSNS,
        .nb_runs = 1,
        .run[0].start = tb->pc,
    };
    DisasArgs a;
    int ret;

    if (!direct_usable(env, tb)) {
        return 0;
    }
    if (!direct_fetch(&c, &a)) {
        return 0; /* the IR path's (and its fault, if any) */
    }
    tcg_direct_begin(c.s, tb);
    direct_body(&c, &a);
    tb->size = direct_extent(&c);
    tb->icount = c.num_insns;
    if (tcg_direct_full(c.s)) {
        return -1;
    }
    ret = tcg_direct_end(c.s, tb);
    return ret < 0 ? ret : c.num_insns;
}
