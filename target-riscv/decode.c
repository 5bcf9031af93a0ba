/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V decoding, RVC expansion and disassembly (see decode.h).
 *
 * Decoding is a table walk: entries are grouped by major opcode (bits
 * 6:2) once, at first use, into read-only per-opcode lists, and each list
 * is tried in table order.  The grouping is built under pthread_once, so
 * any thread may decode at any time.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "target-riscv/decode.h"

const RiscvInsnInfo riscv_insn_info[RISCV_OP_COUNT] = {
#define INSN(n, mask, match, fmt, ext) {#n, mask, match, FMT_##fmt, EXT_##ext},
#include "target-riscv/insn-table.h"
#undef INSN
};

#define MAX_PER_GROUP 96
static uint16_t group[32][MAX_PER_GROUP];
static uint8_t group_len[32];
static pthread_once_t group_once = PTHREAD_ONCE_INIT;

static void build_groups(void)
{
    for (int i = 0; i < RISCV_OP_COUNT; i++) {
        int g = (riscv_insn_info[i].match >> 2) & 31;

        if (group_len[g] < MAX_PER_GROUP) {
            group[g][group_len[g]++] = i;
        }
    }
}

static bool ext_enabled(const RISCVCPUConfig *cfg, int ext)
{
    switch (ext) {
    case EXT_ZBA:
        return cfg->ext_zba;
    case EXT_ZBB:
        return cfg->ext_zbb;
    case EXT_ZBC:
        return cfg->ext_zbc;
    case EXT_ZBS:
        return cfg->ext_zbs;
    case EXT_ZICOND:
        return cfg->ext_zicond;
    case EXT_V:
        return cfg->ext_v;
    case EXT_ZFH:
        return cfg->ext_zfh;
    case EXT_ZFHMIN:
        return cfg->ext_zfh || cfg->ext_zfhmin;
    default:
        return true;
    }
}

static int64_t sext(uint64_t v, int bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

static int64_t imm_i(uint32_t w)
{
    return (int32_t)w >> 20;
}

static int64_t imm_s(uint32_t w)
{
    return sext(((w >> 25) << 5) | ((w >> 7) & 31), 12);
}

static int64_t imm_b(uint32_t w)
{
    uint32_t v = ((w >> 31) << 12) | (((w >> 7) & 1) << 11) |
                 (((w >> 25) & 0x3f) << 5) | (((w >> 8) & 0xf) << 1);
    return sext(v, 13);
}

static int64_t imm_j(uint32_t w)
{
    uint32_t v = ((w >> 31) << 20) | (((w >> 12) & 0xff) << 12) |
                 (((w >> 20) & 1) << 11) | (((w >> 21) & 0x3ff) << 1);
    return sext(v, 21);
}

static void extract_fields(uint32_t w, int fmt, DisasArgs *a)
{
    a->rd = (w >> 7) & 31;
    a->rs1 = (w >> 15) & 31;
    a->rs2 = (w >> 20) & 31;
    a->rs3 = w >> 27;
    a->rm = (w >> 12) & 7;
    a->aq = (w >> 26) & 1;
    a->rl = (w >> 25) & 1;
    switch (fmt) {
    case FMT_I:
    case FMT_LD:
    case FMT_FLD:
        a->imm = imm_i(w);
        break;
    case FMT_ST:
    case FMT_FST:
        a->imm = imm_s(w);
        break;
    case FMT_B:
        a->imm = imm_b(w);
        break;
    case FMT_U:
        a->imm = (int32_t)(w & 0xfffff000);
        break;
    case FMT_J:
        a->imm = imm_j(w);
        break;
    case FMT_SH:
        a->imm = (w >> 20) & 63;
        break;
    case FMT_CSR:
    case FMT_CSRI:
        a->csr = w >> 20;
        a->imm = a->rs1; /* zimm for the immediate forms */
        break;
    case FMT_V:
        a->imm = w;
        break;
    case FMT_FENCE:
        a->succ = (w >> 20) & 15;
        a->pred = (w >> 24) & 15;
        a->fm = w >> 28;
        break;
    default:
        break;
    }
}

bool riscv_decode(const RISCVCPUConfig *cfg, uint32_t w, DisasArgs *a)
{
    int g = (w >> 2) & 31;

    if ((w & 3) != 3) {
        return false;
    }
    pthread_once(&group_once, build_groups);
    for (int i = 0; i < group_len[g]; i++) {
        const RiscvInsnInfo *e = &riscv_insn_info[group[g][i]];

        if ((w & e->mask) == e->match && ext_enabled(cfg, e->ext)) {
            memset(a, 0, sizeof(*a));
            a->op = group[g][i];
            extract_fields(w, e->fmt, a);
            return true;
        }
    }
    return false;
}

#include "target-riscv/decode-rvc.c.inc"
#include "target-riscv/disas.c.inc"
