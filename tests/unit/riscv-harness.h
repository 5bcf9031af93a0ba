/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small harness for tests that run RISC-V code through the whole
 * pipeline: the decoder and translator, the optimizer, the x86-64 backend
 * and the execution loop.
 *
 * Guest base is 0, so guest addresses are host addresses.  Code is written
 * into a large read-write mapping (the translator reads it from memory)
 * with the instruction encoders below, which follow the unprivileged
 * specification and are independent of the decoder's table.  Translated
 * code is cached by guest PC and never invalidated, so every instruction
 * sequence gets a fresh address: rv_begin() hands out the next unused one.
 *
 *   rv_harness_init(NULL);                once per process
 *   Asm *a = rv_begin();                  start a sequence
 *   rv_emit(a, rv_addi(RV_A0, RV_A0, 1)); ...
 *   uint64_t pc = rv_end(a);              appends ecall, returns the start
 *   assert_int_equal(rv_run(pc), RISCV_EXCP_ECALL);
 *
 * rv_run() returns cpu_exec()'s RISCV_EXCP_*; env->pc then points at the
 * instruction concerned (the final ecall for a normal end: rv_ecall_pc()).
 */
#ifndef TESTS_UNIT_RISCV_HARNESS_H
#define TESTS_UNIT_RISCV_HARNESS_H

#include <inttypes.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "accel/tcg/cpu-exec.h"
#include "target-riscv/cpu.h"
#include "target-riscv/decode.h"
#include "tcg/tcg.h"

/* Integer register numbers (ABI names). */
enum {
    RV_ZERO,
    RV_RA,
    RV_SP,
    RV_GP,
    RV_TP,
    RV_T0,
    RV_T1,
    RV_T2,
    RV_S0,
    RV_S1,
    RV_A0,
    RV_A1,
    RV_A2,
    RV_A3,
    RV_A4,
    RV_A5,
    RV_A6,
    RV_A7,
    RV_S2,
    RV_S3,
    RV_S4,
    RV_S5,
    RV_S6,
    RV_S7,
    RV_S8,
    RV_S9,
    RV_S10,
    RV_S11,
    RV_T3,
    RV_T4,
    RV_T5,
    RV_T6,
};

/* Major opcodes */
enum {
    RV_OPC_LOAD = 0x03,
    RV_OPC_LOAD_FP = 0x07,
    RV_OPC_MISC_MEM = 0x0f,
    RV_OPC_OP_IMM = 0x13,
    RV_OPC_AUIPC = 0x17,
    RV_OPC_OP_IMM_32 = 0x1b,
    RV_OPC_STORE = 0x23,
    RV_OPC_STORE_FP = 0x27,
    RV_OPC_AMO = 0x2f,
    RV_OPC_OP = 0x33,
    RV_OPC_LUI = 0x37,
    RV_OPC_OP_32 = 0x3b,
    RV_OPC_MADD = 0x43,
    RV_OPC_MSUB = 0x47,
    RV_OPC_NMSUB = 0x4b,
    RV_OPC_NMADD = 0x4f,
    RV_OPC_OP_FP = 0x53,
    RV_OPC_BRANCH = 0x63,
    RV_OPC_JALR = 0x67,
    RV_OPC_JAL = 0x6f,
    RV_OPC_SYSTEM = 0x73,
};

/* 32-bit formats */

static inline uint32_t rv_r(uint32_t opc, int f3, int f7, int rd, int rs1,
                            int rs2)
{
    return opc | (uint32_t)rd << 7 | (uint32_t)f3 << 12 | (uint32_t)rs1 << 15 |
           (uint32_t)rs2 << 20 | (uint32_t)f7 << 25;
}

/* imm: the 12-bit immediate (bits 31:20), only its low 12 bits used */
static inline uint32_t rv_i(uint32_t opc, int f3, int rd, int rs1, int32_t imm)
{
    return opc | (uint32_t)rd << 7 | (uint32_t)f3 << 12 | (uint32_t)rs1 << 15 |
           ((uint32_t)imm & 0xfff) << 20;
}

static inline uint32_t rv_s(uint32_t opc, int f3, int rs1, int rs2, int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return opc | (u & 31) << 7 | (uint32_t)f3 << 12 | (uint32_t)rs1 << 15 |
           (uint32_t)rs2 << 20 | ((u >> 5) & 0x7f) << 25;
}

/* off: byte offset from the branch, even, -4096..4094 */
static inline uint32_t rv_b(int f3, int rs1, int rs2, int32_t off)
{
    uint32_t u = (uint32_t)off;

    return RV_OPC_BRANCH | ((u >> 11) & 1) << 7 | ((u >> 1) & 15) << 8 |
           (uint32_t)f3 << 12 | (uint32_t)rs1 << 15 | (uint32_t)rs2 << 20 |
           ((u >> 5) & 0x3f) << 25 | ((u >> 12) & 1) << 31;
}

/* imm20: the value of bits 31:12 */
static inline uint32_t rv_u(uint32_t opc, int rd, uint32_t imm20)
{
    return opc | (uint32_t)rd << 7 | (imm20 & 0xfffff) << 12;
}

static inline uint32_t rv_j(int rd, int32_t off)
{
    uint32_t u = (uint32_t)off;

    return RV_OPC_JAL | (uint32_t)rd << 7 | ((u >> 12) & 0xff) << 12 |
           ((u >> 11) & 1) << 20 | ((u >> 1) & 0x3ff) << 21 |
           ((u >> 20) & 1) << 31;
}

/* fmt: 0 single, 1 double */
static inline uint32_t rv_r4(uint32_t opc, int fmt, int rm, int rd, int rs1,
                             int rs2, int rs3)
{
    return opc | (uint32_t)rd << 7 | (uint32_t)rm << 12 | (uint32_t)rs1 << 15 |
           (uint32_t)rs2 << 20 | (uint32_t)fmt << 25 | (uint32_t)rs3 << 27;
}

/* A few named instructions used everywhere */
static inline uint32_t rv_addi(int rd, int rs1, int32_t imm)
{
    return rv_i(RV_OPC_OP_IMM, 0, rd, rs1, imm);
}

static inline uint32_t rv_addiw(int rd, int rs1, int32_t imm)
{
    return rv_i(RV_OPC_OP_IMM_32, 0, rd, rs1, imm);
}

static inline uint32_t rv_slli(int rd, int rs1, int sh)
{
    return rv_i(RV_OPC_OP_IMM, 1, rd, rs1, sh);
}

static inline uint32_t rv_add(int rd, int rs1, int rs2)
{
    return rv_r(RV_OPC_OP, 0, 0, rd, rs1, rs2);
}

static inline uint32_t rv_lui(int rd, uint32_t imm20)
{
    return rv_u(RV_OPC_LUI, rd, imm20);
}

static inline uint32_t rv_auipc(int rd, uint32_t imm20)
{
    return rv_u(RV_OPC_AUIPC, rd, imm20);
}

static inline uint32_t rv_ld(int rd, int rs1, int32_t imm)
{
    return rv_i(RV_OPC_LOAD, 3, rd, rs1, imm);
}

static inline uint32_t rv_sd(int rs2, int rs1, int32_t imm)
{
    return rv_s(RV_OPC_STORE, 3, rs1, rs2, imm);
}

static inline uint32_t rv_jalr(int rd, int rs1, int32_t imm)
{
    return rv_i(RV_OPC_JALR, 0, rd, rs1, imm);
}

static inline uint32_t rv_csr(int f3, int rd, int rs1_or_zimm, int csr)
{
    return rv_i(RV_OPC_SYSTEM, f3, rd, rs1_or_zimm, csr);
}

#define RV_ECALL 0x00000073u
#define RV_EBREAK 0x00100073u
#define RV_NOP 0x00000013u

/* 16-bit (RVC) formats.  rdp/rs1p/rs2p are full register numbers 8..15. */

static inline uint16_t rvc_bits(uint32_t v, int hi, int lo, int to)
{
    return (uint16_t)(((v >> lo) & ((1u << (hi - lo + 1)) - 1)) << to);
}

/* CI: funct3, imm[5] at 12, rd at 11:7, imm[4:0] at 6:2 */
static inline uint16_t rvc_ci(int f3, int op, int rd, int32_t imm6)
{
    uint32_t u = (uint32_t)imm6;

    return (uint16_t)(f3 << 13 | rvc_bits(u, 5, 5, 12) | rd << 7 |
                      rvc_bits(u, 4, 0, 2) | op);
}

static inline uint16_t rvc_addi(int rd, int32_t imm)
{
    return rvc_ci(0, 1, rd, imm);
}

static inline uint16_t rvc_addiw(int rd, int32_t imm)
{
    return rvc_ci(1, 1, rd, imm);
}

static inline uint16_t rvc_li(int rd, int32_t imm)
{
    return rvc_ci(2, 1, rd, imm);
}

/* nzimm17_12: the 6-bit value of imm[17:12] (sign-extended by hardware) */
static inline uint16_t rvc_lui(int rd, int32_t nzimm17_12)
{
    return rvc_ci(3, 1, rd, nzimm17_12);
}

static inline uint16_t rvc_slli(int rd, int sh)
{
    return rvc_ci(0, 2, rd, sh);
}

static inline uint16_t rvc_addi16sp(int32_t imm)
{
    uint32_t u = (uint32_t)imm;

    return (uint16_t)(3 << 13 | rvc_bits(u, 9, 9, 12) | 2 << 7 |
                      rvc_bits(u, 4, 4, 6) | rvc_bits(u, 6, 6, 5) |
                      rvc_bits(u, 8, 7, 3) | rvc_bits(u, 5, 5, 2) | 1);
}

static inline uint16_t rvc_addi4spn(int rdp, uint32_t imm)
{
    return (uint16_t)(rvc_bits(imm, 5, 4, 11) | rvc_bits(imm, 9, 6, 7) |
                      rvc_bits(imm, 2, 2, 6) | rvc_bits(imm, 3, 3, 5) |
                      (rdp - 8) << 2 | 0);
}

/* c.lw/c.sw (f3 2/6), offset uimm[6:2] */
static inline uint16_t rvc_lsw(int f3, int rdp, int rs1p, uint32_t imm)
{
    return (uint16_t)(f3 << 13 | rvc_bits(imm, 5, 3, 10) | (rs1p - 8) << 7 |
                      rvc_bits(imm, 2, 2, 6) | rvc_bits(imm, 6, 6, 5) |
                      (rdp - 8) << 2 | 0);
}

/* c.ld/c.sd/c.fld/c.fsd (f3 3/7/1/5), offset uimm[7:3] */
static inline uint16_t rvc_lsd(int f3, int rdp, int rs1p, uint32_t imm)
{
    return (uint16_t)(f3 << 13 | rvc_bits(imm, 5, 3, 10) | (rs1p - 8) << 7 |
                      rvc_bits(imm, 7, 6, 5) | (rdp - 8) << 2 | 0);
}

static inline uint16_t rvc_lwsp(int rd, uint32_t imm)
{
    return (uint16_t)(2 << 13 | rvc_bits(imm, 5, 5, 12) | rd << 7 |
                      rvc_bits(imm, 4, 2, 4) | rvc_bits(imm, 7, 6, 2) | 2);
}

/* c.ldsp (f3 3) and c.fldsp (f3 1) */
static inline uint16_t rvc_ldsp_f3(int f3, int rd, uint32_t imm)
{
    return (uint16_t)(f3 << 13 | rvc_bits(imm, 5, 5, 12) | rd << 7 |
                      rvc_bits(imm, 4, 3, 5) | rvc_bits(imm, 8, 6, 2) | 2);
}

static inline uint16_t rvc_swsp(int rs2, uint32_t imm)
{
    return (uint16_t)(6 << 13 | rvc_bits(imm, 5, 2, 9) |
                      rvc_bits(imm, 7, 6, 7) | rs2 << 2 | 2);
}

/* c.sdsp (f3 7) and c.fsdsp (f3 5) */
static inline uint16_t rvc_sdsp_f3(int f3, int rs2, uint32_t imm)
{
    return (uint16_t)(f3 << 13 | rvc_bits(imm, 5, 3, 10) |
                      rvc_bits(imm, 8, 6, 7) | rs2 << 2 | 2);
}

static inline uint16_t rvc_j(int32_t off)
{
    uint32_t u = (uint32_t)off;

    return (uint16_t)(5 << 13 | rvc_bits(u, 11, 11, 12) |
                      rvc_bits(u, 4, 4, 11) | rvc_bits(u, 9, 8, 9) |
                      rvc_bits(u, 10, 10, 8) | rvc_bits(u, 6, 6, 7) |
                      rvc_bits(u, 7, 7, 6) | rvc_bits(u, 3, 1, 3) |
                      rvc_bits(u, 5, 5, 2) | 1);
}

/* c.beqz (f3 6) / c.bnez (f3 7) */
static inline uint16_t rvc_bz(int f3, int rs1p, int32_t off)
{
    uint32_t u = (uint32_t)off;

    return (uint16_t)(f3 << 13 | rvc_bits(u, 8, 8, 12) | rvc_bits(u, 4, 3, 10) |
                      (rs1p - 8) << 7 | rvc_bits(u, 7, 6, 5) |
                      rvc_bits(u, 2, 1, 3) | rvc_bits(u, 5, 5, 2) | 1);
}

/* CR: c.jr (b12 0, rs2 0), c.mv (0), c.jalr (1, rs2 0), c.add (1) */
static inline uint16_t rvc_cr(int b12, int rd, int rs2)
{
    return (uint16_t)(4 << 13 | b12 << 12 | rd << 7 | rs2 << 2 | 2);
}

/* c.srli (0), c.srai (1), c.andi (2) */
static inline uint16_t rvc_cb_alu(int f2, int rdp, int32_t imm6)
{
    uint32_t u = (uint32_t)imm6;

    return (uint16_t)(4 << 13 | rvc_bits(u, 5, 5, 12) | f2 << 10 |
                      (rdp - 8) << 7 | rvc_bits(u, 4, 0, 2) | 1);
}

/* c.sub/xor/or/and (w 0, f 0..3), c.subw/addw (w 1, f 0..1) */
static inline uint16_t rvc_ca(int w, int f, int rdp, int rs2p)
{
    return (uint16_t)(4 << 13 | w << 12 | 3 << 10 | (rdp - 8) << 7 | f << 5 |
                      (rs2p - 8) << 2 | 1);
}

/* Code buffer */

typedef struct Asm {
    uint8_t *start, *p;
    uint64_t ecall_pc;
    /* rv_store_result(): results go to res_off(res_reg), bumped as needed */
    int res_reg, res_off;
    int since_break; /* instructions since the last rv_tb_break() */
} Asm;

#define RV_CODE_SIZE (64u << 20)

static uint8_t *rv_code_area;
static size_t rv_code_used;
static Asm rv_asm;
static CPURISCVState *env;
static struct sigaction rv_fault_sa[2]; /* the core's SIGSEGV/SIGBUS */

/* Start a sequence at a fresh address, 4-byte aligned (+2 if @odd2). */
static inline Asm *rv_begin_at(bool odd2)
{
    Asm *a = &rv_asm;

    rv_code_used = (rv_code_used + 63) & ~(size_t)63;
    if (rv_code_used + (1u << 20) > RV_CODE_SIZE) {
        fail_msg("riscv-harness: code area exhausted");
    }
    memset(a, 0, sizeof(*a));
    a->start = rv_code_area + rv_code_used + (odd2 ? 2 : 0);
    a->p = a->start;
    return a;
}

static inline Asm *rv_begin(void)
{
    return rv_begin_at(false);
}

static inline uint64_t rv_pc(const Asm *a)
{
    return (uint64_t)(uintptr_t)a->p;
}

static inline void rv_emit(Asm *a, uint32_t w)
{
    memcpy(a->p, &w, 4);
    a->p += 4;
    a->since_break++;
    rv_code_used = (size_t)(a->p - rv_code_area);
}

static inline void rv_emit16(Asm *a, uint16_t h)
{
    memcpy(a->p, &h, 2);
    a->p += 2;
    a->since_break++;
    rv_code_used = (size_t)(a->p - rv_code_area);
}

/*
 * Long generated sequences end their TB now and then with `jal x0, +4`
 * (called at points where that is harmless: before an li, before a result
 * store), to keep TBs well below the translator's limits.
 */
#define RV_TB_BREAK_INSNS 100

static inline void rv_tb_break(Asm *a)
{
    if (a->since_break >= RV_TB_BREAK_INSNS) {
        rv_emit(a, rv_j(RV_ZERO, 4));
        a->since_break = 0;
    }
}

/* Patch the 32-bit instruction at @at (an address returned by rv_pc). */
static inline void rv_patch(uint64_t at, uint32_t w)
{
    memcpy((void *)(uintptr_t)at, &w, 4);
}

/* Append ecall; returns the start address. */
static inline uint64_t rv_end(Asm *a)
{
    a->ecall_pc = rv_pc(a);
    rv_emit(a, RV_ECALL);
    return (uint64_t)(uintptr_t)a->start;
}

static inline int64_t rv_sext(uint64_t v, int bits)
{
    return (int64_t)(v << (64 - bits)) >> (64 - bits);
}

/* rd = v, with the usual lui/addiw/slli/addi sequence. */
static inline void rv_li(Asm *a, int rd, uint64_t v)
{
    int64_t s = (int64_t)v;
    int64_t lo = rv_sext(v & 0xfff, 12);

    rv_tb_break(a);
    if (s >= INT32_MIN && s <= INT32_MAX) {
        int64_t hi = s - lo;

        if (hi == 0) {
            rv_emit(a, rv_addi(rd, RV_ZERO, (int32_t)lo));
            return;
        }
        rv_emit(a, rv_lui(rd, (uint32_t)(hi >> 12) & 0xfffff));
        if (lo) {
            rv_emit(a, rv_addiw(rd, rd, (int32_t)lo));
        }
        return;
    } else {
        int64_t hi = (int64_t)(v - (uint64_t)lo) >> 12;
        int tz = __builtin_ctzll((uint64_t)hi);

        rv_li(a, rd, (uint64_t)(hi >> tz));
        rv_emit(a, rv_slli(rd, rd, 12 + tz));
        if (lo) {
            rv_emit(a, rv_addi(rd, rd, (int32_t)lo));
        }
    }
}

/* Store @reg at the next result slot: sd reg, res_off(res_reg). */
static inline void rv_store_result(Asm *a, int reg)
{
    rv_tb_break(a);
    if (a->res_off >= 2000) {
        rv_emit(a, rv_addi(a->res_reg, a->res_reg, a->res_off));
        a->res_off = 0;
    }
    rv_emit(a, rv_sd(reg, a->res_reg, a->res_off));
    a->res_off += 8;
}

/* Run from @pc; returns cpu_exec()'s RISCV_EXCP_*. */
static inline int rv_run(uint64_t pc)
{
    env->pc = pc;
    return cpu_exec(env);
}

/* Run a sequence ended by rv_end() and check it reached its ecall. */
#define rv_run_ok(a)                                       \
    do {                                                   \
        uint64_t start_ = (uint64_t)(uintptr_t)(a)->start; \
        int e_ = rv_run(start_);                           \
        assert_int_equal(e_, RISCV_EXCP_ECALL);            \
        assert_int_equal(env->pc, (a)->ecall_pc);          \
    } while (0)

/* Once per process: the core, a vCPU for this thread, the code area. */
static inline void rv_harness_init(const char *model)
{
    RISCVCPUConfig cfg;

    if (env) {
        return;
    }
    if (tcg_init(0, 0, 0) != 0) {
        fprintf(stderr, "tcg_init failed\n");
        abort();
    }
    riscv_translate_init();
    cpu_exec_init();
    sigaction(SIGSEGV, NULL, &rv_fault_sa[0]);
    sigaction(SIGBUS, NULL, &rv_fault_sa[1]);
    if (riscv_cpu_parse_model(model, &cfg) != 0) {
        abort();
    }
    env = riscv_cpu_init(&cfg);
    cpu_exec_init_thread(env);
    rv_code_area = mmap(NULL, RV_CODE_SIZE, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (rv_code_area == MAP_FAILED) {
        perror("mmap");
        abort();
    }
}

/*
 * cmocka installs its own SIGSEGV/SIGBUS handlers around each test; tests
 * that need host faults turned into guest faults put the core's back.
 */
static inline void rv_fault_handlers_install(struct sigaction old[2])
{
    sigaction(SIGSEGV, &rv_fault_sa[0], &old[0]);
    sigaction(SIGBUS, &rv_fault_sa[1], &old[1]);
}

static inline void rv_fault_handlers_restore(const struct sigaction old[2])
{
    sigaction(SIGSEGV, &old[0], NULL);
    sigaction(SIGBUS, &old[1], NULL);
}

/* Fixed-seed PRNG (splitmix64). */
static inline uint64_t rv_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

#endif
