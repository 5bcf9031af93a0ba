/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCG: the tiny code generator.  IR definitions shared by the builder
 * (tcg-op.c), the optimizer (optimize.c), liveness and register allocation
 * (tcg.c) and the host backend (x86_64/).
 *
 * Threading model
 * ---------------
 * Every thread that translates owns one TCGContext (tcg_ctx, thread-local):
 * its op list, temps, labels, register-allocator state and code-region
 * cursor.  Nothing in a TCGContext is shared, so translation needs no lock.
 * Globals (temps backed by fields of the CPU state) are registered once, in
 * the template context, before any thread context exists; a thread context
 * starts as a copy of the template, so a global's handle (an offset from the
 * context start) names the same global in every context.
 *
 * Shared, read-only after tcg_init(): the opcode table, the constraint table,
 * the prologue/epilogue code and tcg_guest_base.
 */
#ifndef TCG_TCG_H
#define TCG_TCG_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "tcg/region.h"
#include "tcg/x86_64/tcg-target.h"

typedef struct TranslationBlock TranslationBlock;

/* Debug-only assertion for hot paths. */
#ifdef CTCG_DEBUG
#define tcg_debug_assert(x) assert(x)
#else
#define tcg_debug_assert(x)          \
    do {                             \
        if (!(x)) {                  \
            __builtin_unreachable(); \
        }                            \
    } while (0)
#endif

typedef uint64_t TCGArg;

typedef enum TCGType {
    TCG_TYPE_I32,
    TCG_TYPE_I64,
    TCG_TYPE_COUNT,
} TCGType;
#define TCG_TYPE_PTR TCG_TYPE_I64

/*
 * Conditions.  Bit 0 inverts; bit 1 marks signed orderings, bit 2
 * unsigned ones, bit 3 includes equality.
 */
typedef enum TCGCond {
    TCG_COND_NEVER = 0,
    TCG_COND_ALWAYS = 1,
    TCG_COND_EQ = 8,
    TCG_COND_NE = 9,
    TCG_COND_LT = 2,
    TCG_COND_GE = 3,
    TCG_COND_LE = 10,
    TCG_COND_GT = 11,
    TCG_COND_LTU = 4,
    TCG_COND_GEU = 5,
    TCG_COND_LEU = 12,
    TCG_COND_GTU = 13,
} TCGCond;

static inline TCGCond tcg_invert_cond(TCGCond c)
{
    return (TCGCond)(c ^ 1);
}

/* The condition that holds for (b, a) when c holds for (a, b). */
static inline TCGCond tcg_swap_cond(TCGCond c)
{
    return c & 6 ? (TCGCond)(c ^ 9) : c;
}

static inline bool is_unsigned_cond(TCGCond c)
{
    return (c & 4) != 0;
}

/*
 * Host floating-point operations of fpop2/fpop3 (the constant argument).
 * TCG_FP_SINGLE selects binary32 (inputs and result in the low 32 bits,
 * the result zero-extended); otherwise binary64.  Fused forms compute
 * +-(a * b) +- c with one rounding; the names are RISC-V's.
 */
typedef enum TCGFPOp {
    TCG_FP_ADD,     /* a + b */
    TCG_FP_SUB,     /* a - b */
    TCG_FP_MUL,     /* a * b */
    TCG_FP_DIV,     /* a / b */
    TCG_FP_SQRT,    /* sqrt(a); b ignored */
    TCG_FP_MADD,    /* a * b + c   (fpop3) */
    TCG_FP_MSUB,    /* a * b - c */
    TCG_FP_NMSUB,   /* -(a * b) + c */
    TCG_FP_NMADD,   /* -(a * b) - c */
    TCG_FP_CVT_D_L, /* (double)(int64_t)a (fpop2, b ignored; no SINGLE) */
    TCG_FP_SINGLE = 0x10,
} TCGFPOp;

/*
 * vecop (tcg_gen_vecop): d = a op b on 16-byte chunks of env memory, the
 * elements 8 << sew bits wide; b is a chunk of env memory, or with
 * TCG_VEC_SCALAR the op's scalar input broadcast to every element (the
 * shift count, not broadcast, for the shifts).  The integer ops write each
 * chunk as it is computed (so d may be a or b, not a partial overlap);
 * the FP ops (IEEE, RNE, the host's environment) compute every chunk,
 * then store them only if every result's magnitude lies strictly between
 * the smallest normal (for FMUL a larger bound) and the largest finite
 * number, and an add's inputs are not huge; ok = the movmsk of that test
 * (all ones: stored), with bit 4 up when some lane is inexact (FADD and
 * FSUB; FMUL only with FMA3, else never).  At most 4 chunks for the FP
 * ops.
 */
typedef enum TCGVecOp {
    TCG_VEC_ADD,
    TCG_VEC_SUB,  /* a - b */
    TCG_VEC_RSUB, /* b - a */
    TCG_VEC_AND,
    TCG_VEC_OR,
    TCG_VEC_XOR,
    TCG_VEC_MINU, /* SEW 8; 16, 32 with SSE4.1 */
    TCG_VEC_MIN,  /* SEW 16; 8, 32 with SSE4.1 */
    TCG_VEC_MAXU,
    TCG_VEC_MAX,
    TCG_VEC_MUL, /* SEW 16; 32 with SSE4.1 */
    TCG_VEC_SLL, /* SEW 16, 32, 64 */
    TCG_VEC_SRL,
    TCG_VEC_SRA,  /* SEW 16, 32 */
    TCG_VEC_MOV,  /* d = b */
    TCG_VEC_FADD, /* SEW 32, 64 */
    TCG_VEC_FSUB,
    TCG_VEC_FMUL,
    /*
     * Widening multiply-add, SEW 16 only: the 32-bit d (2 chunks a chunk
     * of a and b; d apart from a and b) += a * b, signed or unsigned.
     */
    TCG_VEC_WMACC,
    TCG_VEC_WMACCU,
    /*
     * Fused multiply-add, SEW 32/64 with FMA3, at most 2 chunks: d =
     * (-1)^NEGP * (A * B) + (-1)^NEGC * C, rounded once, where A = a, C = d
     * (RVV's vfmacc forms) or with TCG_VEC_FMA_MADD A = d, C = a (vfmadd
     * forms); B = b or the scalar.  Stored only when every result lies
     * strictly inside the normal range (which implies finite inputs).
     * Without TCG_VEC_FMA_EXACT no inexact test (for code that runs only
     * when NX is accrued already: ok bit 4 clear); with it a lane also
     * fails unless its product A * B is exact (FMA residual 0, |A * B|
     * above LOWLIM) and the addends below HUGE, and ok bit 4 = some
     * lane's sum inexact (TwoSum).
     */
    TCG_VEC_FMA = 0x20,
    TCG_VEC_FMA_NEGP = 0x01,
    TCG_VEC_FMA_NEGC = 0x02,
    TCG_VEC_FMA_MADD = 0x04,
    TCG_VEC_FMA_EXACT = 0x08,
    /*
     * Guest memory (chunks of 16 bytes at guest_base + x) to d in env, or
     * env at d to guest memory: movdqu after a range check of x (the
     * guest-fault path at x when out of the guest space; the caller
     * checks that the bytes lie in one page); a fault is taken at the
     * instruction, globals synced.
     */
    TCG_VEC_LDG = 0x30,
    TCG_VEC_STG = 0x31,
    /*
     * Compares into a bit mask (SEW 8-32, at most 64 elements): ok bit i
     * = a[i] cond b[i]; d is not written.  The TCGCond is added.
     */
    TCG_VEC_CMP = 0x40,
    TCG_VEC_SCALAR = 0x80,
    /*
     * FADD, FSUB, FMUL for code that runs only when NX is accrued
     * already: no inexact test, no bound on the inputs, the results'
     * lower bound the smallest normal (FMUL too): ok bit 4 clear.
     */
    TCG_VEC_FP_NX_ACCRUED = 0x1000,
    /*
     * CMP on one chunk of which only the low 8 bytes matter (a fractional
     * LMUL: the caller ignores the other bits): 8-byte loads, which the
     * host forwards from the 8-byte stores of a load before them.
     */
    TCG_VEC_LO64 = 0x2000,
} TCGVecOp;

/* Memory operations on guest memory. */
typedef enum MemOp {
    MO_8 = 0,
    MO_16 = 1,
    MO_32 = 2,
    MO_64 = 3,
    MO_SIZE = 3,
    MO_SIGN = 4,
    MO_ALIGN = 8, /* misaligned access faults (atomics) */
    /*
     * qemu_ld/qemu_st: the translator knows the address is in the guest
     * space (a constant base): no range check.
     */
    MO_NOCHECK = 16,

    MO_UB = MO_8,
    MO_UW = MO_16,
    MO_UL = MO_32,
    MO_UQ = MO_64,
    MO_SB = MO_8 | MO_SIGN,
    MO_SW = MO_16 | MO_SIGN,
    MO_SL = MO_32 | MO_SIGN,
    MO_SQ = MO_64 | MO_SIGN,
} MemOp;

/*
 * qemu_ld/qemu_st may carry a displacement: the access is at addr + ofs,
 * ofs a signed 16-bit field above the MemOp bits (MO_OFS(ofs)), at most
 * TCG_GUEST_DISP_MAX in magnitude.  The range check tests addr alone: the
 * guest space has TCG_GUEST_GUARD bytes of never-mapped guard on each
 * side (guest_space_init), which catch addr + ofs + size - 1 outside it.
 */
#define MO_OFS_SHIFT 16
#define MO_OFS(ofs) ((uint32_t)((uint32_t)(ofs)&0xffff) << MO_OFS_SHIFT)
#define TCG_GUEST_DISP_MAX 2048
#define TCG_GUEST_GUARD 4096

/* The displacement of a qemu_ld/qemu_st MemOp argument (MO_OFS). */
static inline int32_t memop_ofs(uint32_t mop)
{
    return (int16_t)(mop >> MO_OFS_SHIFT);
}

/* Memory barrier kinds (TCG_MO_x_y: order x before y). */
typedef enum TCGBar {
    TCG_MO_LD_LD = 1,
    TCG_MO_ST_LD = 2,
    TCG_MO_LD_ST = 4,
    TCG_MO_ST_ST = 8,
    TCG_MO_ALL = 0xf,
    TCG_BAR_SC = 0x10, /* sequentially consistent fence */
} TCGBar;

/* Opcodes */
typedef enum TCGOpcode {
#define DEF(name, oargs, iargs, cargs, flags) INDEX_op_##name,
#include "tcg/tcg-opc.h"
    NB_OPS,
} TCGOpcode;

enum {
    TCG_OPF_BB_EXIT = 0x01,      /* leaves the TB */
    TCG_OPF_BB_END = 0x02,       /* ends a basic block */
    TCG_OPF_CALL_CLOBBER = 0x04, /* clobbers call-clobbered registers */
    TCG_OPF_SIDE_EFFECTS = 0x08, /* never removed; globals synced before */
    TCG_OPF_NOT_PRESENT = 0x10,  /* handled by the allocator itself */
    TCG_OPF_COND_BRANCH = 0x20,  /* conditional branch */
    TCG_OPF_64 = 0x40,           /* I64 only */
};

typedef struct TCGOpDef {
    const char *name;
    uint8_t nb_oargs, nb_iargs, nb_cargs;
    uint8_t flags;
} TCGOpDef;

extern const TCGOpDef tcg_op_defs[NB_OPS];

/* Helper calls */
enum {
    TCG_CALL_NO_READ_GLOBALS = 0x1,  /* helper reads no globals */
    TCG_CALL_NO_WRITE_GLOBALS = 0x2, /* helper writes no globals */
    TCG_CALL_NO_SIDE_EFFECTS = 0x4,  /* removable if result unused */
    TCG_CALL_NO_RETURN = 0x8,        /* never returns (longjmps) */
    TCG_CALL_NO_RWG = TCG_CALL_NO_READ_GLOBALS | TCG_CALL_NO_WRITE_GLOBALS,
    TCG_CALL_NO_WG = TCG_CALL_NO_WRITE_GLOBALS,
    TCG_CALL_NO_RWG_SE = TCG_CALL_NO_RWG | TCG_CALL_NO_SIDE_EFFECTS,
    TCG_CALL_NO_WG_SE = TCG_CALL_NO_WG | TCG_CALL_NO_SIDE_EFFECTS,
};

#define TCG_MAX_CALL_IARGS 6

typedef struct TCGHelperInfo {
    void *func;
    const char *name;
    unsigned flags;
} TCGHelperInfo;

/* Temps */
typedef enum TCGTempVal {
    TEMP_VAL_DEAD,
    TEMP_VAL_REG,
    TEMP_VAL_MEM,
    TEMP_VAL_CONST,
} TCGTempVal;

typedef enum TCGTempKind {
    TEMP_EBB,    /* dead at the end of its extended basic block (a label) */
    TEMP_TB,     /* lives across labels within the TB */
    TEMP_GLOBAL, /* backed by a field of env */
    TEMP_FIXED,  /* lives in a fixed host register (env) */
    TEMP_CONST,  /* a constant, shared within the TB */
} TCGTempKind;

typedef struct TCGTemp {
    TCGReg reg : 8;
    TCGTempVal val_type : 8;
    TCGType type : 8;
    TCGTempKind kind : 8;
    unsigned mem_coherent : 1; /* memory copy equals the live value */
    unsigned mem_allocated : 1;
    unsigned temp_allocated : 1; /* in use (EBB/TB temps only) */
    unsigned pinned : 1;         /* a global kept in pin_reg (tcg_pin_global) */
    TCGReg pin_reg : 8;
    int64_t val;              /* value of a constant */
    struct TCGTemp *mem_base; /* base of the memory slot (env or frame) */
    intptr_t mem_offset;
    const char *name;
    /* Scratch space for passes (optimizer, liveness). */
    uintptr_t state;
    void *state_ptr;
} TCGTemp;

/* Labels */
typedef struct TCGLabel {
    unsigned id : 16;
    unsigned has_value : 1;
    unsigned refs : 15;
    /*
     * Register allocation (pinned globals): the branches to the label
     * seen so far and the pins (bit i: pins[i]) whose memory was stale
     * on one of them.  When every branch was seen before the label (all
     * refs forward), a pin is coherent at the label if it was on every
     * way in.
     */
    uint16_t pin_seen;
    uint8_t pin_stale;
    uintptr_t value; /* host address once emitted */
} TCGLabel;

/* Ops */
#define TCG_MAX_OP_ARGS 10

typedef struct TCGOp {
    union {
        struct {
            uint8_t opc;        /* TCGOpcode */
            uint8_t type;       /* TCGType */
            uint8_t callo;      /* call: number of outputs */
            uint8_t calli;      /* call: number of inputs */
            uint16_t dead_args; /* liveness: bit n, arg n dies here */
            uint16_t sync_args; /* liveness: bit n, output n must be
                                 * stored, or input n (a pinned global)
                                 * before it dies */
        };
        /*
         * All of the above (little-endian: opc in the low byte), so that
         * tcg_emit_op writes the header with one store: bit fields made
         * it byte stores and a read-modify-write, which waited for store
         * forwarding on every op (10% of translation time).
         */
        uint64_t header;
    };
    TCGArg args[TCG_MAX_OP_ARGS];
} TCGOp;

static inline int tcg_op_nb_oargs(const TCGOp *op)
{
    return op->opc == INDEX_op_call ? op->callo : tcg_op_defs[op->opc].nb_oargs;
}

static inline int tcg_op_nb_iargs(const TCGOp *op)
{
    return op->opc == INDEX_op_call ? op->calli : tcg_op_defs[op->opc].nb_iargs;
}

static inline int tcg_op_nb_cargs(const TCGOp *op)
{
    return tcg_op_defs[op->opc].nb_cargs;
}

static inline TCGTemp *arg_temp(TCGArg a)
{
    return (TCGTemp *)(uintptr_t)a;
}

static inline TCGArg temp_arg(TCGTemp *ts)
{
    return (TCGArg)(uintptr_t)ts;
}

/* Whether @op reads @t as one of its inputs. */
static inline bool tcg_op_reads_temp(const TCGOp *op, const TCGTemp *t)
{
    int no = tcg_op_nb_oargs(op), ni = tcg_op_nb_iargs(op);

    for (int k = no; k < no + ni; k++) {
        if (arg_temp(op->args[k]) == t) {
            return true;
        }
    }
    return false;
}

/* Whether @op writes @t as one of its outputs. */
static inline bool tcg_op_writes_temp(const TCGOp *op, const TCGTemp *t)
{
    for (int k = 0; k < tcg_op_nb_oargs(op); k++) {
        if (arg_temp(op->args[k]) == t) {
            return true;
        }
    }
    return false;
}

static inline TCGLabel *arg_label(TCGArg a)
{
    return (TCGLabel *)(uintptr_t)a;
}

static inline TCGArg label_arg(TCGLabel *l)
{
    return (TCGArg)(uintptr_t)l;
}

/* Register sets */
typedef uint32_t TCGRegSet;

static inline bool tcg_regset_test_reg(TCGRegSet s, TCGReg r)
{
    return (s >> r) & 1;
}

#define tcg_regset_set_reg(s, r) ((s) |= (TCGRegSet)1 << (r))
#define tcg_regset_reset_reg(s, r) ((s) &= ~((TCGRegSet)1 << (r)))

/* Argument constraints, parsed from the backend's strings. */
enum {
    TCG_CT_CONST = 0x01,      /* any constant */
    TCG_CT_CONST_S32 = 0x02,  /* sign-extended 32-bit constant */
    TCG_CT_CONST_U32 = 0x04,  /* zero-extended 32-bit constant */
    TCG_CT_CONST_ZERO = 0x08, /* the constant 0 */
};

typedef struct TCGArgConstraint {
    TCGRegSet regs;
    uint8_t ct;  /* TCG_CT_CONST_* accepted */
    bool ialias; /* input aliased to output alias_index */
    bool oalias; /* output aliased by an input */
    bool newreg; /* output must not overlap any input */
    uint8_t alias_index;
} TCGArgConstraint;

/* Slow paths of guest memory accesses, emitted after the TB's code. */
typedef struct TCGLdstLabel {
    uint8_t *jump_site; /* rel32 of the jnz to the slow path */
    uint8_t *raddr;     /* host return address, for unwinding */
    TCGReg addr_reg;
    uint32_t info;    /* MemOp (with MO_OFS) | TCG_LDST_STORE */
    uint8_t pin_mask; /* pins only in their registers here (pin_sites) */
} TCGLdstLabel;

#define TCG_LDST_STORE 0x100
#define TCG_LDST_DISP 0x200 /* to tcg_guest_fault_fn: the access had MO_OFS */
/* Not an access: ext32s_chk's fix-up (movsxd addr_reg; jmp raddr) */
#define TCG_LDST_SEXT32 0x400

typedef struct TCGRelocation {
    uint8_t *ptr; /* rel32 field */
    TCGLabel *label;
} TCGRelocation;

#define TCG_MAX_TEMPS 512
#define TCG_LC_MAX 8   /* tcg_loop_checks: globals and edges checked */
#define TCG_LC_HEADS 4 /* tcg_loop_checks: loop heads */
#define TCG_MAX_LABELS 512
#define TCG_MAX_OPS_PINNED 8192 /* ops weighed by loop depth for pinning */
#define TCG_MAX_INSNS 512
#define TCG_MAX_LDST 1024
#define TCG_MAX_RELOCS 1024
#define TCG_CONST_HASH_BITS 10
#define TCG_CONST_HASH_SIZE (1 << TCG_CONST_HASH_BITS)

/* Log mask bits for -d */
enum {
    CPU_LOG_TB_OUT_ASM = 1 << 0,
    CPU_LOG_TB_IN_ASM = 1 << 1,
    CPU_LOG_TB_OP = 1 << 2,
    CPU_LOG_TB_OP_OPT = 1 << 3,
    CPU_LOG_EXEC = 1 << 4,
    CPU_LOG_UNIMP = 1 << 5,
    CPU_LOG_GUEST_ERROR = 1 << 6,
    CPU_LOG_PAGE = 1 << 7,
    CPU_LOG_STRACE = 1 << 8,
    CPU_LOG_TB_NOCHAIN = 1 << 9,
};

/* Per-thread translation statistics. */
typedef struct TCGStats {
    uint64_t tb_gen;     /* TBs generated */
    uint64_t ops_in;     /* IR ops before optimization */
    uint64_t ops_out;    /* IR ops after optimization */
    uint64_t code_bytes; /* host code bytes emitted */
    uint64_t restarts;   /* translations restarted (buffer or size) */
    uint64_t direct_tbs; /* TBs emitted directly (tcg/tcg-direct.h) */
    /* With TCGContext.time_phases: nanoseconds in tcg_gen_code's phases. */
    uint64_t opt_ns;  /* tcg_optimize */
    uint64_t live_ns; /* liveness analysis and output-move folding */
    uint64_t emit_ns; /* register allocation, emission, relocs, search data */
} TCGStats;

/* Globals (env included) a context can have. */
#define TCG_MAX_GLOBALS 128

/* At most this many globals pinned in one TB (tcg_pin_global). */
#define TCG_MAX_PINS 8
#define TCG_MAX_DEPTH_MARKS 256 /* tcg_set_loop_depth calls in a TB */

typedef struct TCGContext {
    /* Temps: [0, nb_globals) are globals, copied from the template. */
    int nb_globals;
    int nb_temps;
    TCGTemp temps[TCG_MAX_TEMPS];

    /* Ops of the TB being built. */
    TCGOp *ops;
    int nb_ops;
    int max_ops;

    TCGLabel labels[TCG_MAX_LABELS];
    int nb_labels;

    /* Free EBB/TB temps, per kind and type: bitmaps over temps[]. */
    uint64_t free_temps[2][TCG_TYPE_COUNT][TCG_MAX_TEMPS / 64];
    /* TB temps of this TB (indexes into temps[]): block ends visit only
     * globals and these. */
    uint16_t tb_temps[TCG_MAX_TEMPS];
    int nb_tb_temps;
    /* Constant temps of this TB, open addressing on (type, value). */
    uint16_t const_hash[TCG_CONST_HASH_SIZE];
    /* The slots of const_hash in use, so that a TB clears only those. */
    uint16_t const_slots[TCG_MAX_TEMPS];
    int nb_const_slots;

    /* Register allocator */
    /* Globals whose value is not (only) in memory: val_type REG or
     * CONST; bit i is temps[i].  Block ends visit just these. */
    uint64_t globals_live[TCG_MAX_GLOBALS / 64];
    bool ra_globals_ok; /* every global outside globals_live is in memory */
    /* Liveness: globals whose state is not TS_DEAD | TS_MEM (touched),
     * and those without TS_MEM (nomem); block ends visit just these. */
    uint64_t la_touched[TCG_MAX_GLOBALS / 64];
    uint64_t la_nomem[TCG_MAX_GLOBALS / 64];
    TCGRegSet reserved_regs;
    TCGTemp *reg_to_temp[TCG_TARGET_NB_REGS];
    TCGTemp *reg_to_fixed[TCG_TARGET_NB_REGS]; /* once ra_globals_ok */
    intptr_t frame_start;
    intptr_t frame_end;
    intptr_t current_frame_offset;
    TCGTemp *frame_temp;

    /* Code emission */
    uint8_t *code_buf;
    uint8_t *code_ptr;
    uint8_t *code_highwater; /* emission past this restarts the TB */
    TranslationBlock *gen_tb;
    int gen_insn_count;
    uint64_t gen_insn_pc[TCG_MAX_INSNS];
    uint32_t gen_insn_end_off[TCG_MAX_INSNS];
    TCGLdstLabel ldst[TCG_MAX_LDST];
    int nb_ldst;
    TCGRelocation relocs[TCG_MAX_RELOCS];
    int nb_relocs;
    bool overflow;           /* a fixed-size table or the frame filled up */
    TCGLabel *exitreq_label; /* tcg_gen_tb_start's exit path */
    /* count_check's exit (TB_EXIT_HOT), before tc.ptr */
    const uint8_t *hot_stub;
    uint8_t *direct_exitreq; /* tcg_direct_begin's jne to the exit path */
    int direct_rax;          /* the env qword rax holds (direct), or -1 */
    bool direct_rbx;         /* rbx = env + 128 (tcg-target-direct.c.inc) */
    /*
     * Loop TBs: guest_addr_mask stays in a reserved register (the
     * backend's TCG_TARGET_MASK_REG), loaded at the TB's start and after
     * each call, for the range checks of guest accesses.
     */
    bool mask_in_reg;
    /*
     * Temps whose value passed a range check since the last label, call
     * or side effect (tcg_reg_alloc_code): accesses off them skip it.
     */
    TCGTemp *checked[4];
    int nb_checked;
    bool addr_checked; /* the access emitted now is off a checked temp */
    /*
     * The end of the last exit_check's `jne` and its label, while nothing
     * was emitted and no label or instruction boundary was placed after
     * it: a `br` there becomes `je target; jmp label` (the backend).
     */
    uint8_t *exit_check_end;
    TCGLabel *exit_check_label;
    /*
     * tcg_loop_checks (tcg/loopcheck.c): the TB's first label, the loop
     * heads, the globals whose range is checked (lc_temps): at the entry
     * (bits of lc_entry_mask) and at the ops lc_edge_op[] (a br into head
     * lc_edge_head[], or the set_label it falls into; bits of
     * lc_edge_mask[]).  A failed check goes to lc_entry_label (entry:
     * nothing loaded) or the head's lc_fail[] (pins in their registers).
     */
    TCGLabel *lc_head, *lc_entry_label;
    /* The guest space's guest_addr_mask (0: not known): constant bases */
    uint64_t guest_addr_mask;
    TCGLabel *lc_heads[TCG_LC_HEADS], *lc_fail[TCG_LC_HEADS];
    TCGTemp *lc_temps[TCG_LC_MAX];
    int lc_nb_temps, lc_nb_edges, lc_nb_heads;
    uint8_t lc_entry_mask;
    int lc_edge_op[TCG_LC_MAX];
    uint8_t lc_edge_head[TCG_LC_MAX];
    uint8_t lc_edge_mask[TCG_LC_MAX];

    /*
     * Pinned globals (tcg_pin_global): at every label of the TB and at
     * every branch to one, each is in its register and in memory.
     */
    int nb_pins;
    int loop_end_op; /* ops before this one loop (tcg_gen_loop_back) */
    /* tcg_set_loop_depth: ops from depth_mark[i].op on are .depth loops
     * deep (none: tcg_pin_hot_globals finds loops by itself) */
    int nb_depth_marks;
    struct {
        int op;
        uint8_t depth;
    } depth_mark[TCG_MAX_DEPTH_MARKS];
    TCGTemp *pins[TCG_MAX_PINS];
    TCGRegSet pin_regs;
    TCGLabel *kick_label; /* loop backs leave through it: pins saved */
    /*
     * Guest accesses where some pins were not stored to env (their bit
     * in the mask; register of pin i: pins[i]->pin_reg): host offset of
     * the access << 8 | mask.  A fault there takes them from the host
     * registers (tcg_restore_pins).  cur_pin_mask: the access being
     * emitted.
     */
    uint8_t cur_pin_mask;
    int nb_pin_sites;
    uint32_t pin_sites[TCG_MAX_LDST];

    /* This thread's place in the code buffer. */
    TCGRegionCursor region;

    unsigned log_mask; /* CPU_LOG_* */
    bool optimize;     /* run the optimizer (default true) */
    bool time_phases;  /* time tcg_gen_code's phases into stats (TCG_STATS) */
    TCGStats stats;
    /*
     * accel/tcg/tb-code.c's record of the guest bytes being translated
     * (9 KiB, allocated at the context's first translation, freed with
     * it): per context, not per thread, so that a thread that never
     * translates (most, with thousands) pays nothing for it.
     */
    struct CodeShadow *code_shadow;
} TCGContext;

/**
 * tcg_clock_ns() - monotonic clock in nanoseconds, for the translation
 * phase timers (TCG_STATS=1 only: a vDSO call of about 20 ns).
 *
 * Return: CLOCK_MONOTONIC in nanoseconds.
 */
static inline uint64_t tcg_clock_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

extern __thread TCGContext *tcg_ctx;
extern TCGContext tcg_init_ctx; /* the template */
extern uintptr_t tcg_guest_base;
extern const void *tcg_code_gen_epilogue; /* exit_tb(0) path */

/*
 * Every env the generated code runs with starts with this header.
 * exit_request is checked on entry to every TB (tcg_gen_tb_start).
 */
typedef struct TCGEnvHeader {
    int32_t exit_request;     /* written by any thread: atomic */
    uint32_t jc_mask;         /* jump cache entries - 1 (a power of 2 - 1) */
    uint64_t guest_addr_mask; /* address bits that must be 0, else fault */
    uintptr_t jc_base;        /* the vCPU's jump cache, probed inline */
} TCGEnvHeader;

#define TCG_ENV_EXIT_REQUEST_OFS offsetof(TCGEnvHeader, exit_request)
#define TCG_ENV_ADDR_MASK_OFS offsetof(TCGEnvHeader, guest_addr_mask)
#define TCG_ENV_JC_BASE_OFS offsetof(TCGEnvHeader, jc_base)
#define TCG_ENV_JC_MASK_OFS offsetof(TCGEnvHeader, jc_mask)

/*
 * Called by generated code when a guest access is out of range or
 * misaligned (MO_ALIGN): env, guest address (displacement included),
 * MemOp | TCG_LDST_STORE (no MO_OFS; TCG_LDST_DISP when there was one),
 * host return address.  Must not return.  With TCG_LDST_DISP the address
 * may be in range (only the base was out of it): the access must then
 * be done another way (riscv_guest_fault: again, without MO_OFS).
 */
typedef void (*TCGGuestFaultFn)(void *env, uint64_t addr, uint32_t info,
                                uintptr_t retaddr);
extern TCGGuestFaultFn tcg_guest_fault_fn;

/* Values returned by the generated code: the last TB | exit index. */
enum {
    TB_EXIT_IDX0 = 0, /* 0 .. TB_MAX_JMPS - 1: goto_tb slot n */
    TB_EXIT_IDX1 = 1,
    TB_EXIT_PRECHECK_PC = 4, /* a loop's range check failed, pc stored */
    TB_EXIT_PRECHECK = 5, /* a loop's entry range check failed: loopcheck.c */
    TB_EXIT_HOT = 6, /* a first-tier TB ran TB_HOT_THRESHOLD times: see tb.h */
    TB_EXIT_REQUESTED = 7,
    TB_EXIT_MASK = 7,
};

/**
 * tcg_init() - set up the code generator: opcode and constraint tables,
 * the code buffer, and the prologue.
 * @buffer_size: code buffer bytes (0: default)
 * @region_size: bytes per region (0: default)
 * @guest_base: host address of guest address 0
 *
 * Context: once per process (tcg_init_ctx must still be all zero), before
 * any other thread exists.  Globals may be registered
 * afterwards with tcg_global_mem_new_*(), still before tcg_context_new().
 * Returns: 0 or -errno.
 */
int tcg_init(size_t buffer_size, size_t region_size, uintptr_t guest_base);

/**
 * tcg_context_new() - a translation context for the calling thread.
 *
 * Copies the template's globals and installs the new context as tcg_ctx.
 * Context: any thread, after all globals are registered.
 * Returns: the context (also in tcg_ctx).
 */
TCGContext *tcg_context_new(void);

/** tcg_context_free() - free the calling thread's context. */
void tcg_context_free(TCGContext *s);

/** tcg_func_start() - reset the op list, temps and labels for a new TB. */
void tcg_func_start(TCGContext *s);

/**
 * tcg_gen_code() - optimize, allocate and emit the ops of @tb.
 *
 * Code goes at s->code_ptr (which must leave room up to
 * s->code_highwater); search data is stored in @tb.
 * Returns: bytes of code emitted, -1 if the buffer filled up (flush and
 * retry), -2 if the TB is too large for its tables (retry with fewer
 * guest instructions).
 */
int tcg_gen_code(TCGContext *s, TranslationBlock *tb);

/**
 * tcg_tb_commit() - keep the code of @tb, just generated by tcg_gen_code():
 * advance the region cursor past it and enter it in the host-PC index.
 * Context: the thread owning @s.
 */
void tcg_tb_commit(TCGContext *s, TranslationBlock *tb);

/**
 * tcg_qemu_tb_exec() - run generated code: the prologue, entered with env
 * and the host code of a TB.
 * Returns: the exit value: 0, or (last TB | TB_EXIT_*).
 */
typedef uintptr_t (*TCGPrologueFn)(void *env, const void *tb_code);
extern TCGPrologueFn tcg_qemu_tb_exec;

/**
 * tcg_tb_alloc() - allocate a TB struct in the caller's code region and
 * point s->code_ptr just after it, with s->code_highwater set.
 * Context: the thread owning @s.
 * Returns: the zeroed TB, or NULL when every region is taken (flush).
 */
TranslationBlock *tcg_tb_alloc(TCGContext *s);

/* Temp creation */
TCGTemp *tcg_temp_new_internal(TCGType type, TCGTempKind kind);
void tcg_temp_free_internal(TCGTemp *ts);
TCGTemp *tcg_constant_internal(TCGType type, int64_t val);
TCGTemp *tcg_global_mem_new_internal(TCGType type, intptr_t offset,
                                     const char *name);

/**
 * tcg_pin_global() - keep global @ts in a host register at every label of
 * the TB being built, and at every branch to one.
 *
 * For loops inside one TB (a branch back to a label): the pinned globals
 * cross the back edge in registers instead of through env.  They are
 * still stored to env wherever liveness wants globals in memory (block
 * ends, side effects, helper calls), so faults see the guest state as
 * without pinning.  Call after the ops are built, before tcg_gen_code.
 * Context: the thread's own context.
 * Returns: false if no register is left for it (then it is not pinned).
 */
bool tcg_pin_global(TCGTemp *ts);

/**
 * tcg_pin_hot_globals() - pin (tcg_pin_global) the globals the ops of the
 * TB being built use most, as many as there are registers for.
 * Context: the thread's own context, after the ops are built.
 * Returns: the number pinned.
 */
int tcg_pin_hot_globals(TCGContext *s);

/**
 * tcg_loop_checks() - in a loop TB, leave out the range checks of guest
 * accesses off bases that stay within reach of the guest space's guards
 * (tcg/loopcheck.c): those accesses get MO_NOCHECK, the lc_* fields of
 * @s say what to check at the loop's entries.
 * @s: the context, after the optimizer, before liveness.
 * @inner: also loops whose head is not the TB's first instruction.
 *
 * Returns: true when some check was left out.
 */
bool tcg_loop_checks(TCGContext *s, bool inner);

/**
 * tcg_set_loop_depth() - the ops that follow sit @depth loops deep in the
 * TB's control flow, 0 for none (code that runs once).  A frontend that
 * knows the loops of what it translates (regions, target-riscv/translate.c)
 * says so before each instruction; tcg_pin_hot_globals then weighs a use
 * by its depth.  Else it takes each back edge's op range for a loop, which
 * is wrong for code laid out after the branch back to it.  tcg_func_start
 * forgets the depths.
 * Context: the thread's own context, while the ops are built.
 */
void tcg_set_loop_depth(TCGContext *s, unsigned depth);

/* Ops */
TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nargs);
TCGLabel *gen_new_label(void);

/* The passes, exposed for tests. */
void tcg_optimize(TCGContext *s);
#define TCG_WLOGIC_MAX 64 /* tcg_wlogic_fold's candidates per TB */
void tcg_wlogic_fold(TCGContext *s, const int *cand, int n);

/**
 * tcg_temp_read_later() - whether @t is read after ops[@from] before it is
 * written or its extended basic block ends (a set_label).
 * @s: the context, its ops final up to the end
 * @from: index of the op to look after
 * @t: the temp
 *
 * A call counts as a read (its arguments are not looked at).
 *
 * Context: the translating thread's own context.
 * Returns: true if a later op may read @t's current value.
 */
bool tcg_temp_read_later(TCGContext *s, int from, const TCGTemp *t);
void tcg_liveness_analysis(TCGContext *s);
void tcg_dump_ops(TCGContext *s, FILE *f, bool have_prefs);
int tcg_op_count(const TCGContext *s, TCGOpcode opc);

/**
 * tcg_restore_search() - the guest PC of the instruction that host code at
 * @host_pc belongs to.
 * @tb: TB containing host_pc
 * @host_pc: an address inside the host code of the instruction: a faulting
 *           PC, or a helper's return address minus one (as QEMU's GETPC
 *           adjustment: a call may be the last host instruction of a guest
 *           instruction, and its return address is then the next one's).
 * Returns: guest pc, or -1 if host_pc is outside tb's code.
 */
int64_t tcg_restore_search(const TranslationBlock *tb, uintptr_t host_pc);

/**
 * tcg_restore_pins() - after a fault at @host_pc, a guest access in @tb's
 * code, store to @env the pinned globals the code held only in host
 * registers there.
 * @host_regs: the host registers at the fault, indexed by TCGReg
 * Returns: how many were restored.
 */
int64_t tcg_restore_pins(const TranslationBlock *tb, uintptr_t host_pc,
                         void *env, const uint64_t *host_regs);

/*
 * The shared stub of goto_lookup (tcg_gen_goto_lookup_i64): probes a
 * direct-mapped cache of {guest pc, TB} entries (16 bytes each) at
 * env->hdr.jc_base, indexed by ((pc >> 1) ^ (pc >> (bits + 1))) &
 * env->hdr.jc_mask (each vCPU sizes its own cache, at most 2^bits
 * entries), and jumps to the entry's TB's code if the TB's ic_pc is the
 * pc (it is only for a valid TB of the default kind, else 1: one compare
 * says pc, validity and cflags); otherwise stores the pc at env_pc_ofs,
 * calls miss(env) and jumps to the code it returns.  A site with an inline cache slot
 * (tcg_gen_goto_lookup_ic_i64) first compares the pc with the slot's
 * TB's ic_pc and jumps to it directly; the stub it falls back to stores
 * the TB of a jump-cache hit in the slot.
 */
typedef struct TCGLookupStubParams {
    int cache_bits;
    int tb_code_ofs;     /* offset of the TB's host code pointer */
    int env_pc_ofs;      /* env offset of the guest pc, stored on a miss */
    int tb_ic_pc_ofs;    /* offset of the TB's 64-bit ic_pc (tb.h) */
    int tb_ic_ofs;       /* offset of the TB's inline-cache slots */
    int ic_slots;        /* how many (0: no inline caches) */
    const void *ic_none; /* a TB whose pc never matches: empty slots */
    const void *(*miss)(void *env);
} TCGLookupStubParams;

/**
 * tcg_set_lookup_stub() - generate the goto_lookup stub.
 * Context: once, after tcg_init() and before any translation.
 */
void tcg_set_lookup_stub(const TCGLookupStubParams *p);

/* Host CPU features found by CPUID at tcg_init. */
extern bool tcg_have_lzcnt, tcg_have_bmi1, tcg_have_popcnt, tcg_have_bmi2;
/* FMA3, needed by the fused forms of fpop3 (tcg_gen_fpop3_i64). */
extern bool tcg_have_fma;
/* SSE4.1: vecop's pmulld, pminsb/d, pminuw/d and their max forms. */
extern bool tcg_have_sse41;

/**
 * tcg_vec_supported() - whether the backend's vecop does @op (TCGVecOp,
 * without TCG_VEC_SCALAR) at element size 1 << @sew bytes on this host.
 */
bool tcg_vec_supported(int op, int sew);

/* Logging */
extern FILE *tcg_logfile;
void tcg_log_disas_host(FILE *f, const void *code, size_t size);

/* Backend hooks (tcg/x86_64/tcg-target.c.inc) */
void tcg_target_set_jmp_target(TranslationBlock *tb, int n, uintptr_t addr);

#endif
