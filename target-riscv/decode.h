/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V instruction decoding and disassembly, driven by insn-table.h.
 *
 * riscv_decode() maps a 32-bit instruction word (compressed ones are first
 * expanded by riscv_expand_rvc()) to its table entry and extracts the
 * operand fields its format names.  The disassembler prints from the same
 * entry, so decoder and disassembler cannot disagree.  All tables are
 * read-only; the functions are reentrant.
 */
#ifndef TARGET_RISCV_DECODE_H
#define TARGET_RISCV_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "target-riscv/cpu.h"

/* Operand formats (how fields are extracted and printed). */
typedef enum RiscvFmt {
    FMT_NONE,
    FMT_R,
    FMT_R1,
    FMT_I,
    FMT_SH,
    FMT_LD,
    FMT_ST,
    FMT_B,
    FMT_U,
    FMT_J,
    FMT_FENCE,
    FMT_CSR,
    FMT_CSRI,
    FMT_LR,
    FMT_AMO,
    FMT_FLD,
    FMT_FST,
    FMT_R4,
    FMT_RF,
    FMT_R2F,
    FMT_FR,
    FMT_XF,
    FMT_XF1,
    FMT_XFF,
    FMT_FX,
    FMT_FX1,
    FMT_V, /* vector: imm = the whole instruction word */
} RiscvFmt;

/* Extensions an entry belongs to. */
typedef enum RiscvExt {
    EXT_I,
    EXT_M,
    EXT_A,
    EXT_F,
    EXT_D,
    EXT_ZIFENCEI,
    EXT_ZBA,
    EXT_ZBB,
    EXT_ZBC,
    EXT_ZBS,
    EXT_ZICOND,
    EXT_V,
    EXT_ZFH,    /* Zfh */
    EXT_ZFHMIN, /* Zfhmin, or Zfh (which includes it) */
} RiscvExt;

typedef enum RiscvOpc {
#define INSN(name, mask, match, fmt, ext) RISCV_OP_##name,
#include "target-riscv/insn-table.h"
#undef INSN
    RISCV_OP_COUNT,
} RiscvOpc;

/* Decoded operands; fields a format does not use are 0. */
typedef struct DisasArgs {
    RiscvOpc op;
    uint8_t rd, rs1, rs2, rs3;
    uint8_t rm;             /* rounding mode field */
    bool aq, rl;            /* atomics ordering bits */
    uint8_t pred, succ, fm; /* fence */
    uint16_t csr;
    int64_t imm; /* sign-extended immediate, or shamt, or zimm */
} DisasArgs;

typedef struct RiscvInsnInfo {
    const char *name;
    uint32_t mask, match;
    uint8_t fmt;
    uint8_t ext;
} RiscvInsnInfo;

extern const RiscvInsnInfo riscv_insn_info[RISCV_OP_COUNT];

/**
 * riscv_decode() - decode one (expanded) 32-bit instruction word.
 * @cfg: enabled extensions
 * Returns: true with @a filled, false for an illegal or disabled encoding.
 */
bool riscv_decode(const RISCVCPUConfig *cfg, uint32_t insn, DisasArgs *a);

/**
 * riscv_expand_rvc() - the 32-bit instruction a compressed one stands for.
 * Returns: the expansion, or 0 for reserved/illegal encodings.
 */
uint32_t riscv_expand_rvc(uint16_t insn);

/**
 * riscv_disas() - print one instruction ("addi a0,a1,-4").
 * @insn: the raw bits; @len: 2 or 4
 * Returns: the number of characters written (snprintf-like).
 */
int riscv_disas(const RISCVCPUConfig *cfg, uint64_t pc, uint32_t insn, int len,
                char *buf, size_t size);

#endif
