/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * RISC-V to TCG IR translation.
 *
 * riscv_tr_translate() fills one TB: it fetches guest instructions from
 * the TB's start, expands compressed ones, decodes them with the table of
 * insn-table.h and calls trans_<insn> for each, until an instruction ends
 * the block (branch, jump, ecall, ebreak, fence.i), the next instruction
 * would start on another page, or the instruction limit is reached.
 *
 * What a TB takes in depends on its tier (accel/tcg/tb.h): a cold TB
 * stops at every conditional branch but a loop's back edge; a hot TB is a
 * superblock, and with default cflags a region: branches to its page stay
 * inside it (see "Regions" below).  A branch back to code translated in
 * the TB checks exit_request, so every cycle inside a TB does.
 *
 * Conventions in the trans_* functions (trans_*.c.inc):
 *   - x0 reads as the constant 0 and writes to it are discarded;
 *   - results are computed in temps and written to the destination last,
 *     so rd may equal rs1 or rs2;
 *   - env->pc is only written when leaving the TB; faults and helpers find
 *     the guest PC from the search data (insn_start).
 * A DisasContext lives on the translating thread's stack; the globals
 * registered by riscv_translate_init() are shared read-only handles.
 */
#include <stdio.h>
#include <string.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/translator.h"
#include "tcg/log.h"
#include "tcg/tcg-op.h"
#include "target-riscv/decode.h"
#include "target-riscv/divconst.h"
#include "target-riscv/fpu/fpu.h"
#include "target-riscv/helper.h"
#include "target-riscv/translate.h"

static TCGv_i64 cpu_gpr[32], cpu_fpr[32], cpu_pc, load_res, load_val;

static const char *const gpr_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "s0", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const fpr_names[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
    "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
    "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

void riscv_translate_init(void)
{
    for (int i = 1; i < 32; i++) {
        cpu_gpr[i] = tcg_global_mem_new_i64(offsetof(CPURISCVState, gpr[i]),
                                            gpr_names[i]);
    }
    for (int i = 0; i < 32; i++) {
        cpu_fpr[i] = tcg_global_mem_new_i64(offsetof(CPURISCVState, fpr[i]),
                                            fpr_names[i]);
    }
    cpu_pc = tcg_global_mem_new_i64(offsetof(CPURISCVState, pc), "pc");
    load_res =
        tcg_global_mem_new_i64(offsetof(CPURISCVState, load_res), "load_res");
    load_val =
        tcg_global_mem_new_i64(offsetof(CPURISCVState, load_val), "load_val");
}

/* Limits on how far one TB follows the guest's control flow. */
#define RISCV_TR_MAX_SIDE_EXITS 1 /* conditional branches passed */
#define RISCV_TR_MAX_RUNS 16      /* direct jumps followed, plus one */
#define RISCV_TR_SB_RUNS 4        /* the same, outside regions */
#define RISCV_TR_REGION_INSNS 128 /* instructions of a region */
#define RISCV_TR_MAX_JOINS 32     /* branch targets inside a region */
#define RISCV_TR_MAX_EDGES 64     /* branches inside a region */
#define RISCV_TR_SHORT_LOOP 16    /* instructions: see region_branch */
#define RISCV_TR_MAX_FRM_CHECKS 8 /* inline ones: see gen_check_rm */
#define RISCV_TR_MAX_FP_GATES 8   /* see trans_rvf.c.inc's gen_fp_gate */
#define RISCV_TR_MAX_SPEC_DIVS 4  /* see trans_rvm.c.inc's TRANS_DIV */

/*
 * What the V code knows at a point of the TB (trans_rvv_simd.c.inc, "one
 * guard"; the DisasContext fields of the same names), carried across a
 * region's labels by vk_join: the meet of every path into the label.
 */
typedef struct VKnown {
    bool v_checked, vused_set, vs0, vg_valid;
    int16_t vg_k;                  /* a legal vtype (8 bits), -1: none */
    uint16_t vg_vlmax, vset_vlmax; /* at most 1024 */
} VKnown;

/*
 * A guest PC that a region branches to from inside (see riscv_tr_translate):
 * its label is set before the instruction there; kick leaves for it when
 * a back edge finds exit_request set.
 */
typedef struct RegionJoin {
    uint64_t pc;
    TCGLabel *label, *kick;
    bool emitted; /* the instruction at pc is translated */
    /*
     * Second pass (sext_join): the branches to the label emitted before
     * it, the registers sign-extended on all of them (~0 while none),
     * and what the code after the label takes as sign-extended.
     */
    int sext_nb_in;
    uint32_t sext_in, sext_assumed;
    /*
     * The V state (vk_branch, vk_join): the meet of the branches emitted
     * before the label (vk_nb_in of them), and what the code after it
     * takes as known, which every later branch to it must have.
     */
    int vk_nb_in;
    VKnown vk_in, vk_assumed;
    /* a later branch lacked vk_assumed: the next translation meets vk_cap */
    bool vk_capped;
    VKnown vk_cap;
} RegionJoin;

/* How the current instruction ends the TB. */
enum {
    DISAS_NEXT,     /* go on translating */
    DISAS_NORETURN, /* code to leave the TB has been emitted */
    DISAS_TOO_MANY, /* stop here; chain to pc_next */
};

typedef struct DisasContext {
    CPURISCVState *env;
    const RISCVCPUConfig *cfg;
    TranslationBlock *tb;
    uint64_t pc_first, pc_cur, pc_next;
    int num_insns, max_insns;
    int is_jmp;
    bool frm_checked; /* the dynamic rounding mode was validated */
    /* fflags.NX is set, frm is RNE: a gate found it so on every path to
     * here since the last CSR write of them (trans_rvf.c.inc) */
    bool fp_nx, fp_rne;
    bool fp_no_gate; /* fflags, frm or fcsr written here: no more gates */
    bool v_checked;  /* prctl has not turned V off (helper_vcheck) */
    /* vtype the inline vector code speculates on, -1: none (see
     * trans_rvv_simd.c.inc); env's, then the last constant vsetvli's. */
    int64_t vtype_k;
    /*
     * Known vector state (trans_rvv_simd.c.inc, "one guard"): vs0, vstart
     * is 0 here; vg_valid, the TEMP_TB flags vg_full (vtype == vg_k,
     * vl == vg_vlmax, vstart == 0) and vg_tail (the same with 1 <= vl <=
     * vg_vlmax) still say what they said when they were set; vset_vlmax
     * (0: nothing known), since a constant vset{i}vli on this path with
     * that VLMAX: vill is 0 and vl <= vset_vlmax.
     */
    bool vs0, vg_valid, vtail_guess, vused_set;
    int64_t vg_k;
    uint32_t vg_vlmax, vset_vlmax;
    TCGv_i64 vg_full, vg_tail;
    TCGLabel *loop_head; /* at the first instruction: target of loop backs */
    bool looped;         /* a jump back to pc_first stayed inside the TB */
    int next_slot;       /* next free goto_tb slot (< TB_MAX_JMPS) */
    /* Superblock: conditional branches translated with their fall-through
     * path, the taken path leaving by a side exit emitted after it all. */
    int nb_side_exits;
    struct {
        TCGLabel *label;
        uint64_t dest;
    } side_exit[RISCV_TR_MAX_SIDE_EXITS];
    /* Guest code the TB covers: runs [start, end), more than one when
     * direct jumps were followed; all in the page of pc_first (a
     * region's: in that page or the next, in_tb_page). */
    int nb_runs;
    struct {
        uint64_t start, end;
    } run[RISCV_TR_MAX_RUNS];
    /* Regions (hot TBs): see riscv_tr_translate. */
    bool region;    /* branches inside the TB */
    bool discover;  /* first pass: finds the joins; its ops are thrown away */
    bool in_insn;   /* translating the instruction at pc_cur */
    bool unplanned; /* region_dfs ran out of room */
    bool two_pages; /* the region may use the next page too (in_tb_page) */
    bool next_page_seen;     /* ... and would have (first pass) */
    bool branch_run;         /* the current run is a branch target's */
    bool fetch_failed;       /* the current run ended at an unreadable insn */
    bool first_unfetchable;  /* the TB's first insn cannot be fetched */
    uint64_t fetch_fault;    /* the address whose fetch failed */
    TCGLabel *discard_label; /* first pass: the target of every branch */
    int nb_joins, nb_pending;
    RegionJoin join[RISCV_TR_MAX_JOINS];
    /* Inline checks of frm that found it invalid: SIGILL at pc. */
    int nb_frm_faults;
    struct {
        TCGLabel *label;
        uint64_t pc;
    } frm_fault[RISCV_TR_MAX_FRM_CHECKS];
    /* FP gates that failed: the helper, then leave for pc_next. */
    int nb_fp_gates;
    struct {
        TCGLabel *label;
        uint64_t pc, pc_next;
        const TCGHelperInfo *info;
        DisasArgs args; /* the operation's operands */
        uint8_t n;
        bool check_frm; /* frm's validity was not checked before */
    } fp_gate[RISCV_TR_MAX_FP_GATES];
    /* Short loops' back edges: kicked, they leave for their branch. */
    int nb_bkicks;
    struct {
        TCGLabel *label;
        uint64_t pc;
    } bkick[RISCV_TR_MAX_EDGES];
    int nb_stops; /* stop_pc[]: see below */
    int nb_edges; /* edge[]: see below */
    /*
     * Known constants (see "Known registers"): bit r of known says that
     * x<r> holds kval[r] here; kstable the ones that hold after every
     * label; kwr_after the registers written after the prefix, the first
     * kprefix instructions.
     */
    uint32_t known, kstable, kwr_after;
    /*
     * Bit r: x<r> holds a value sign-extended from bit 31 here (written by
     * a W op, lw or lui since the last label; see sext_update).
     */
    uint32_t sext;
    bool sext_violated; /* a branch after a label broke its sext_assumed */
    /* a branch after a label lacked its vk_assumed; vk_off: assume nothing */
    bool vk_violated, vk_off;
    /*
     * vk_entry: the guard flags are computed at the TB's entry, before
     * loop_head, and every back edge to it must keep them (vk_head);
     * vk_head_violated: one did not.  v_seen: a V instruction checked V;
     * v_first: the TB's first instruction did (first pass).  vk_entry_v:
     * prctl's check and vused made at the entry too (see vk_tb_start).
     */
    bool vk_entry, vk_head_violated, v_seen, v_first, vk_entry_v;
    bool vff_kept; /* a vleff's slow path set the guard flag again */
    VKnown vk_head;
    int region_insns; /* instructions the first pass translated */
    int kprefix;
    int nb_ics; /* inline-cache slots used (gen_lookup_and_goto_ptr) */
    /* Region: the x registers any instruction writes (first pass) */
    uint32_t kwr_all;
    /* Divisions by a guessed constant: their generic path, after the body */
    int nb_spec_divs;
    struct {
        TCGLabel *slow, *back;
        uint8_t op, rd, rs1, rs2; /* op: trans_rvm.c.inc's DIV_* bits */
    } spec_div[RISCV_TR_MAX_SPEC_DIVS];
    /*
     * disas_init zeroes the fields above, not the arrays below: each entry
     * is written before it is read (up to a count above, or num_insns).
     */
    uint64_t pending[RISCV_TR_MAX_JOINS]; /* forward targets to translate */
    uint64_t insn_pc[RISCV_TR_REGION_INSNS];
    /* Instruction i follows i - 1 (falls through, or a followed jump). */
    bool insn_seq[RISCV_TR_REGION_INSNS];
    /* How many of the region's loops instruction i is in (region_plan). */
    uint8_t insn_depth[RISCV_TR_REGION_INSNS];
    /* Registers instruction i names (bit r: x<r>, 32 + r: f<r>; roughly) */
    uint64_t insn_regs[RISCV_TR_REGION_INSNS];
    /* The x registers instruction i may write (first pass) */
    uint32_t insn_wr[RISCV_TR_REGION_INSNS];
    bool insn_cbr[RISCV_TR_REGION_INSNS]; /* a conditional branch */
    uint64_t kval[32];                    /* valid where known has the bit */
    /* Instructions of other loop nests: the region leaves for them. */
    uint64_t stop_pc[RISCV_TR_REGION_INSNS];
    /* Branches inside the region (first pass), back: closes a cycle. */
    struct {
        uint64_t from, to;
        bool back;
    } edge[RISCV_TR_MAX_EDGES];
} DisasContext;

/* Registers */

static bool known_gpr(const DisasContext *ctx, int r, uint64_t *v);

/*
 * x<r> as an operand: a constant where the register's value is known at
 * translation time (see "Known registers"), so that a loop whose region
 * set a register before it (a multiplier, a table's address) uses an
 * immediate instead of an unpinned global.
 */
static TCGv_i64 get_gpr(DisasContext *ctx, int r)
{
    uint64_t v;

    if (known_gpr(ctx, r, &v)) {
        return tcg_constant_i64(v);
    }
    return cpu_gpr[r];
}

static void set_gpr(DisasContext *ctx, int r, TCGv_i64 v)
{
    (void)ctx;
    if (r) {
        tcg_gen_mov_i64(cpu_gpr[r], v);
    }
}

/* Sign-extend the low 32 bits of v into rd. */
static void set_gpr_w(DisasContext *ctx, int r, TCGv_i64 v)
{
    if (r) {
        tcg_gen_ext32s_i64(cpu_gpr[r], v);
    }
    (void)ctx;
}

/*
 * Known registers.  The translator follows which x registers hold a
 * constant (li, lui, auipc, addi and addiw of known ones): reads of one
 * give the constant (get_gpr), and a division by one becomes a
 * multiply-high sequence (trans_rvm.c.inc).  The values are
 * exact along straight-line code from the TB's entry or from a label
 * with known cleared.  Across labels (the joins of a region, the loop
 * head) only kstable survives: the registers known at the end of the
 * region's prefix (its first instructions up to the first join or just
 * after the first conditional branch, which every path through the TB
 * runs once, first) that no instruction after the prefix writes; the
 * first pass finds those writes (insn_wr).  A TB
 * is only ever entered at its start, also after signals, faults and
 * exit requests, so nothing else can change them.
 */
static bool known_gpr(const DisasContext *ctx, int r, uint64_t *v)
{
    if (r == 0) {
        *v = 0;
        return true;
    }
    if (ctx->known >> r & 1) {
        *v = ctx->kval[r];
        return true;
    }
    return false;
}

/* The x registers that the (expanded) instruction @w may write. */
static uint32_t insn_writes(uint32_t w)
{
    uint32_t rd = 1u << ((w >> 7) & 31);

    switch (w & 0x7f) {
    case 0x07: /* LOAD-FP */
    case 0x0f: /* MISC-MEM */
    case 0x23: /* STORE */
    case 0x27: /* STORE-FP */
    case 0x43: /* the fused multiply-adds */
    case 0x47:
    case 0x4b:
    case 0x4f:
    case 0x63: /* BRANCH */
        return 0;
    case 0x73: /* SYSTEM: ecall and the like may change any register */
        return (w >> 12 & 7) == 0 ? ~1u : rd & ~1u;
    default:
        return rd & ~1u;
    }
}

/* After translating @w: what it makes known or unknown. */
static void known_update(DisasContext *ctx, uint32_t w)
{
    int rd = (w >> 7) & 31, rs1 = (w >> 15) & 31, f3 = (w >> 12) & 7;
    int64_t imm = (int32_t)w >> 20;
    uint64_t v;
    bool k = false;

    if (((w & 0x7f) == 0x13 || (w & 0x7f) == 0x1b) && f3 == 0 &&
        known_gpr(ctx, rs1, &v)) {
        v += imm;
        v = (w & 0x7f) == 0x1b ? (uint64_t)(int64_t)(int32_t)v : v;
        k = true;
    } else if ((w & 0x7f) == 0x37) {
        v = (uint64_t)(int64_t)(int32_t)(w & 0xfffff000);
        k = true;
    } else if ((w & 0x7f) == 0x17) {
        v = ctx->pc_cur + (uint64_t)(int64_t)(int32_t)(w & 0xfffff000);
        k = true;
    }
    ctx->known &= ~insn_writes(w);
    if (k && rd != 0) {
        ctx->known |= 1u << rd;
        ctx->kval[rd] = v;
    }
}

/*
 * Does @w write a value sign-extended from bit 31 to its rd?  addiw,
 * slliw, srliw, sraiw, the OP-32 ops of RV64IM (addw ... remuw), lw, lui;
 * not the Zba/Zbb forms there (add.uw, slli.uw, zext.h, sh*add.uw).
 */
static bool insn_writes_sext(uint32_t w)
{
    int f3 = (w >> 12) & 7, f7 = w >> 25;

    switch (w & 0x7f) {
    case 0x1b: /* OP-IMM-32 */
        return f3 == 0 || (f3 == 1 && f7 == 0) ||
               (f3 == 5 && (f7 == 0 || f7 == 0x20));
    case 0x3b: /* OP-32 */
        return f7 == 0 || f7 == 0x20 || f7 == 1;
    case 0x03: /* LOAD */
        return f3 == 2;
    case 0x37: /* LUI */
        return true;
    default:
        return false;
    }
}

/* After translating @w: which registers are sign-extended (ctx->sext). */
static void sext_update(DisasContext *ctx, uint32_t w)
{
    int rd = (w >> 7) & 31;

    ctx->sext &= ~insn_writes(w);
    if (rd != 0 && insn_writes_sext(w)) {
        ctx->sext |= 1u << rd;
    }
}

/* At a label: only what holds on every path into it. */
static void known_join(DisasContext *ctx)
{
    if (ctx->num_insns == ctx->kprefix) {
        ctx->kstable = ctx->known & ~ctx->kwr_after; /* the prefix ends */
    }
    ctx->known = ctx->num_insns >= ctx->kprefix ? ctx->kstable : 0;
    ctx->sext = 0;
}

/* Regions' V state at labels: trans_rvv.c.inc */
static void vk_branch(DisasContext *ctx, RegionJoin *j);
static void vk_head_branch(DisasContext *ctx);
static void vk_join(DisasContext *ctx, RegionJoin *j, bool seq);

/* Leaving the TB */

static bool use_goto_tb(const DisasContext *ctx, uint64_t dest)
{
    if ((ctx->tb->cflags & CF_NOCHAIN) || tcg_log_enabled(CPU_LOG_TB_NOCHAIN)) {
        return false;
    }
    return ((ctx->pc_first ^ dest) & ~(uint64_t)4095) == 0;
}

/*
 * Indirect jump to @dest without leaving generated code: the shared
 * goto_lookup stub probes this vCPU's jump cache (accel/tcg/cpu-exec.c)
 * and calls lookup_tb_ptr only on a miss.  A hit needs the entry's TB to
 * have the pc as its ic_pc (tb.h: only a valid TB with default cflags
 * does; an invalidated one has 1).  The first TB_IC_SLOTS sites
 * of a TB go through an inline cache first (tb.h: the TB they jumped to
 * last, compared and jumped to at the site).  env->pc is stored only
 * when the stub misses (as a chained goto_tb, a TB entered directly
 * leaves env->pc behind: the loop takes the pc of the TB it left).
 */
static void gen_lookup_and_goto_ptr(DisasContext *ctx, TCGv_i64 dest)
{
    if (ctx->tb->cflags & CF_STEP) {
        tcg_gen_mov_i64(cpu_pc, dest);
        /* A gdb single step: back to the loop after this instruction. */
        tcg_gen_st_i32(tcg_constant_i32(RISCV_EXCP_DEBUG), tcg_env,
                       offsetof(CPURISCVState, exception));
        tcg_gen_exit_tb(NULL, 0);
        return;
    }
    if (ctx->nb_ics < TB_IC_SLOTS) {
        tcg_gen_goto_lookup_ic_i64(dest, ctx->nb_ics++);
    } else {
        tcg_gen_goto_lookup_i64(dest);
    }
}

/*
 * Leave the TB for @dest: a jump back to the TB's own first instruction
 * loops inside the TB (the guest registers the loop uses stay pinned in
 * host registers across the back edge, see riscv_tr_translate, and
 * exit_request is checked there as at a TB entry); otherwise a goto_tb
 * while a slot is free, else an inline jump-cache lookup.
 */
static bool region_branch(DisasContext *ctx, TCGCond cond, TCGv_i64 a,
                          TCGv_i64 b, uint64_t dest);
static bool target_misaligned(DisasContext *ctx, uint64_t dest);

static void gen_leave_tb(DisasContext *ctx, uint64_t dest);

static void gen_goto_tb(DisasContext *ctx, uint64_t dest)
{
    if (!region_branch(ctx, TCG_COND_ALWAYS, NULL, NULL, dest)) {
        gen_leave_tb(ctx, dest);
    }
}

/* gen_goto_tb outside regions */
static void gen_leave_tb(DisasContext *ctx, uint64_t dest)
{
    if (dest == ctx->pc_first && use_goto_tb(ctx, dest)) {
        vk_head_branch(ctx);
        tcg_gen_loop_back(ctx->loop_head);
        ctx->looped = true;
    } else if (use_goto_tb(ctx, dest) && ctx->next_slot < TB_MAX_JMPS) {
        int n = ctx->next_slot++;

        tcg_gen_goto_tb(n);
        tcg_gen_movi_i64(cpu_pc, dest);
        tcg_gen_exit_tb(ctx->tb, n);
    } else {
        /* CF_STEP: leaves the TB */
        gen_lookup_and_goto_ptr(ctx, tcg_constant_i64(dest));
    }
}

/*
 * Sign-extended registers across a region's labels.  At a label, ctx->sext
 * is what holds on every path into it: the AND of the states at the
 * branches to it and at the fall-through, when all of its branches come
 * before it in the code (the first pass's edges into its pc are all
 * recorded: a forward join, such as the taken side of a branch laid out
 * after the fall-through); else nothing (a loop head: its back edges come
 * later).  A branch emitted after the label (one the first pass did not
 * record, or a back edge) must keep what the label took
 * (sext_assumed), else the TB is translated without regions
 * (riscv_tr_translate, ctx->sext_violated).
 */
static void sext_branch(DisasContext *ctx, RegionJoin *j, bool forward)
{
    if (ctx->discover) {
        return;
    }
    if (j->pc ==
        ctx->pc_first) { /* the TB's start: nothing taken as extended */
        vk_head_branch(ctx);
        return;
    }
    vk_branch(ctx, j);
    if (j->emitted) {
        if ((ctx->sext & j->sext_assumed) != j->sext_assumed) {
            ctx->sext_violated = true;
        }
    } else if (forward) {
        j->sext_in &= ctx->sext;
        j->sext_nb_in++;
    } else {
        j->sext_in = 0; /* a back edge to a label not placed yet */
    }
}

/* ctx->sext after @j's label; @fall: the fall-through's (~0: none). */
static uint32_t sext_join(DisasContext *ctx, RegionJoin *j, uint32_t fall)
{
    int n = 0;

    for (int i = 0; i < ctx->nb_edges; i++) {
        n += ctx->edge[i].to == j->pc;
    }
    j->sext_assumed = n == j->sext_nb_in ? j->sext_in & fall : 0;
    return j->sext_assumed;
}

/* Is the instruction being translated in a loop of the region? */
static bool in_region_loop(const DisasContext *ctx)
{
    return ctx->region && !ctx->discover &&
           ctx->num_insns < RISCV_TR_REGION_INSNS &&
           ctx->insn_depth[ctx->num_insns] > 0;
}

/* Is @pc in the page of pc_first? */
static bool in_first_page(const DisasContext *ctx, uint64_t pc)
{
    return ((ctx->pc_first ^ pc) & ~(uint64_t)4095) == 0;
}

/*
 * May the TB translate the instruction at @pc?  A superblock stays in the
 * page of pc_first.  So does a region's first pass, but it notes a target
 * or fall-through in the next page (next_page_seen): the pass is then
 * redone with that page in the window too (two_pages, region_discover),
 * so that a loop across a page boundary is one TB with its registers
 * pinned throughout, rather than TBs that store and reload every pin at
 * each crossing.  No instruction may start in the window's last two
 * bytes: a 4-byte one there would end in a third page, and
 * tb_page_add_publish registers a TB on its first and last page only
 * (tb->size from tb_extent; tb-code.c's shadow holds two pages too).
 */
static bool in_tb_page(DisasContext *ctx, uint64_t pc)
{
    uint64_t base = ctx->pc_first & ~(uint64_t)4095;

    if (ctx->region && ctx->two_pages) {
        return pc >= base && pc - base < 2 * 4096 - 2;
    }
    if (ctx->region && pc - base - 4096 < 4096 - 2) {
        ctx->next_page_seen = true;
    }
    return in_first_page(ctx, pc);
}

/* Room for at least one more instruction after the current one? */
static bool tb_has_room(const DisasContext *ctx)
{
    return ctx->num_insns + 2 < ctx->max_insns &&
           use_goto_tb(ctx, ctx->pc_first);
}

/* Regions */

/* Index of the translated instruction at @pc, or -1. */
static int region_insn(const DisasContext *ctx, uint64_t pc)
{
    for (int i = 0; i < ctx->num_insns && i < RISCV_TR_REGION_INSNS; i++) {
        if (ctx->insn_pc[i] == pc) {
            return i;
        }
    }
    return -1;
}

/* Is the instruction at @pc translated in this TB (the current one too)? */
static bool insn_emitted(const DisasContext *ctx, uint64_t pc)
{
    return (ctx->in_insn && pc == ctx->pc_cur) || region_insn(ctx, pc) >= 0;
}

/*
 * The join of @pc: the first pass adds it, the second finds what the
 * first added (NULL otherwise: that branch leaves the TB).
 */
static RegionJoin *region_join(DisasContext *ctx, uint64_t pc)
{
    for (int i = 0; i < ctx->nb_joins; i++) {
        if (ctx->join[i].pc == pc) {
            return &ctx->join[i];
        }
    }
    if (!ctx->discover || ctx->nb_joins == RISCV_TR_MAX_JOINS) {
        return NULL;
    }
    ctx->join[ctx->nb_joins].pc = pc;
    return &ctx->join[ctx->nb_joins++];
}

static TCGLabel *join_label(DisasContext *ctx, RegionJoin *j)
{
    if (ctx->discover) {
        return ctx->discard_label;
    }
    return j->pc == ctx->pc_first ? ctx->loop_head : j->label;
}

static bool region_pending(const DisasContext *ctx, uint64_t pc)
{
    for (int i = 0; i < ctx->nb_pending; i++) {
        if (ctx->pending[i] == pc) {
            return true;
        }
    }
    return false;
}

/*
 * The registers the (expanded) instruction @w names, by its major opcode;
 * for region_split's estimate of how many globals its loops use.
 */
static uint64_t insn_regs(uint32_t w)
{
    uint64_t rd = 1ull << ((w >> 7) & 31), rs1 = 1ull << ((w >> 15) & 31);
    uint64_t rs2 = 1ull << ((w >> 20) & 31), r;

    switch (w & 0x7f) {
    case 0x03: /* LOAD */
    case 0x13: /* OP-IMM */
    case 0x1b: /* OP-IMM-32 */
    case 0x67: /* JALR */
        r = rd | rs1;
        break;
    case 0x23: /* STORE */
    case 0x63: /* BRANCH */
        r = rs1 | rs2;
        break;
    case 0x2f: /* AMO */
    case 0x33: /* OP */
    case 0x3b: /* OP-32 */
        r = rd | rs1 | rs2;
        break;
    case 0x37: /* LUI */
    case 0x17: /* AUIPC */
    case 0x6f: /* JAL */
        r = rd;
        break;
    case 0x07: /* LOAD-FP */
        return rd << 32 | rs1;
    case 0x27: /* STORE-FP */
        return rs2 << 32 | rs1;
    case 0x53: /* OP-FP: some move to or from x registers; counted as f */
        return (rd | rs1 | rs2) << 32;
    case 0x43: /* the fused multiply-adds */
    case 0x47:
    case 0x4b:
    case 0x4f:
        return (rd | rs1 | rs2 | 1ull << (w >> 27)) << 32;
    default:
        return 0;
    }
    return r & ~1ull; /* x0 is no global */
}

/* Is @pc in another loop nest than the region's (region_split)? */
static bool region_stopped(const DisasContext *ctx, uint64_t pc)
{
    for (int i = 0; i < ctx->nb_stops; i++) {
        if (ctx->stop_pc[i] == pc) {
            return true;
        }
    }
    return false;
}

/* Room to translate one more target later? */
static bool region_has_room(const DisasContext *ctx)
{
    return ctx->num_insns + 2 < ctx->max_insns &&
           ctx->nb_runs + ctx->nb_pending < RISCV_TR_MAX_RUNS &&
           ctx->nb_pending < RISCV_TR_MAX_JOINS;
}

/*
 * A back edge to the translated instruction of @j: exit_request is checked
 * on it, as on every TB entry, so that every cycle of the region has a
 * check (a branch to a label not yet placed cannot close one).
 */
static void gen_region_loop_back(DisasContext *ctx, RegionJoin *j)
{
    sext_branch(ctx, j, false);
    if (j->pc == ctx->pc_first) {
        tcg_gen_loop_back(ctx->loop_head);
    } else if (ctx->discover) {
        tcg_gen_br(ctx->discard_label);
    } else {
        if (j->kick == NULL) {
            j->kick = gen_new_label();
        }
        tcg_gen_loop_back_kick(j->label, j->kick);
    }
    ctx->looped = true;
}

/* The recorded edge from the current instruction to @dest, or -1. */
static int region_edge(const DisasContext *ctx, uint64_t dest)
{
    for (int i = 0; i < ctx->nb_edges; i++) {
        if (ctx->edge[i].from == ctx->pc_cur && ctx->edge[i].to == dest) {
            return i;
        }
    }
    return -1;
}

/*
 * Does the branch from the current instruction to @dest close a cycle of
 * the region?  The first pass records the branch and says no; the second
 * says what the first one's depth-first search found (yes for a branch
 * the first pass did not see).
 */
static bool region_back_edge(DisasContext *ctx, uint64_t dest)
{
    int e = region_edge(ctx, dest);

    if (e >= 0) {
        return ctx->edge[e].back;
    }
    if (ctx->discover && ctx->nb_edges < RISCV_TR_MAX_EDGES) {
        ctx->edge[ctx->nb_edges].from = ctx->pc_cur;
        ctx->edge[ctx->nb_edges].to = dest;
        ctx->edge[ctx->nb_edges++].back = false;
        return false;
    }
    return true;
}

/* Does the current instruction fall through into a cycle at @dest? */
static bool region_falls_back(const DisasContext *ctx, uint64_t dest)
{
    int e = region_edge(ctx, dest);

    return e >= 0 && ctx->edge[e].back;
}

/*
 * A short loop's back edge: exit_request first, then one conditional jump
 * back, rather than the inverted branch out, the check and a jmp back.  A
 * kick leaves for the branch itself, which runs again.  (intmix 0.445 ->
 * 0.43 s; for the 20-instruction loop of threads this form was 25%
 * slower, not understood: see performance.md.)
 */
static void gen_short_loop_back(DisasContext *ctx, TCGCond cond, TCGv_i64 a,
                                TCGv_i64 b, RegionJoin *j)
{
    TCGLabel *kick = gen_new_label();

    sext_branch(ctx, j, false);
    ctx->bkick[ctx->nb_bkicks].label = kick;
    ctx->bkick[ctx->nb_bkicks++].pc = ctx->pc_cur;
    tcg_gen_loop_back_cond_kick(cond, a, b, join_label(ctx, j), kick);
    ctx->looped = true;
}

/*
 * In a region, branch to @dest inside the TB when @cond holds for @a and
 * @b (TCG_COND_ALWAYS: a jump): to its translated instruction, or to one
 * that will be translated after the current run.  Returns false (nothing
 * emitted) when @dest is to be left for.
 */
static bool region_branch(DisasContext *ctx, TCGCond cond, TCGv_i64 a,
                          TCGv_i64 b, uint64_t dest)
{
    RegionJoin *j;
    TCGLabel *skip;
    bool emitted;
    int head;

    if (!ctx->region || !in_tb_page(ctx, dest) ||
        target_misaligned(ctx, dest) || region_stopped(ctx, dest)) {
        return false;
    }
    emitted = insn_emitted(ctx, dest);
    if (!emitted && !region_has_room(ctx)) {
        return false;
    }
    j = region_join(ctx, dest);
    if (j == NULL) {
        return false;
    }
    if (!emitted && !region_pending(ctx, dest)) {
        ctx->pending[ctx->nb_pending++] = dest;
    }
    if (!region_back_edge(ctx, dest)) {
        sext_branch(ctx, j, true);
        if (cond == TCG_COND_ALWAYS) {
            tcg_gen_br(join_label(ctx, j));
        } else {
            tcg_gen_brcond_i64(cond, a, b, join_label(ctx, j));
        }
        return true;
    }
    head = region_insn(ctx, dest);
    if (cond != TCG_COND_ALWAYS && !ctx->discover && head >= 0 &&
        ctx->num_insns - head < RISCV_TR_SHORT_LOOP &&
        ctx->nb_bkicks < RISCV_TR_MAX_EDGES) {
        gen_short_loop_back(ctx, cond, a, b, j);
        return true;
    }
    skip = cond == TCG_COND_ALWAYS ? NULL : gen_new_label();
    if (skip) {
        tcg_gen_brcond_i64(tcg_invert_cond(cond), a, b, skip);
    }
    gen_region_loop_back(ctx, j);
    if (skip) {
        gen_set_label(skip);
    }
    return true;
}

/* Depth-first search from instruction @i: marks the back edges. */
static void region_dfs(DisasContext *ctx, int i, uint8_t *color)
{
    int n = ctx->num_insns < RISCV_TR_REGION_INSNS ? ctx->num_insns
                                                   : RISCV_TR_REGION_INSNS;

    color[i] = 1; /* on the stack */
    if (i + 1 < n && ctx->insn_seq[i + 1]) {
        if (color[i + 1] == 0) {
            region_dfs(ctx, i + 1, color); /* falls through */
        } else if (color[i + 1] == 1 && ctx->nb_edges < RISCV_TR_MAX_EDGES) {
            /* translate_run checks exit_request before that label */
            ctx->edge[ctx->nb_edges].from = ctx->insn_pc[i];
            ctx->edge[ctx->nb_edges].to = ctx->insn_pc[i + 1];
            ctx->edge[ctx->nb_edges++].back = true;
        } else if (color[i + 1] == 1) {
            ctx->unplanned = true; /* no room to say so: no region */
        }
    }
    for (int e = 0; e < ctx->nb_edges; e++) {
        int k;

        if (ctx->edge[e].from != ctx->insn_pc[i] ||
            (k = region_insn(ctx, ctx->edge[e].to)) < 0) {
            continue;
        }
        if (color[k] == 1) {
            ctx->edge[e].back = true;
        } else if (color[k] == 0) {
            region_dfs(ctx, k, color);
        }
    }
    color[i] = 2;
}

/*
 * Translate on past a conditional branch (taken: @dest, by a side exit)?
 * Only while the fall-through path stays in the TB's page.
 */
static bool superblock_continue(DisasContext *ctx, uint64_t dest,
                                TCGLabel **exit)
{
    if (ctx->tb->cold || ctx->nb_side_exits >= RISCV_TR_MAX_SIDE_EXITS ||
        !tb_has_room(ctx) || !in_tb_page(ctx, ctx->pc_next) ||
        dest == ctx->pc_next) {
        return false;
    }
    *exit = gen_new_label();
    ctx->side_exit[ctx->nb_side_exits].label = *exit;
    ctx->side_exit[ctx->nb_side_exits].dest = dest;
    ctx->nb_side_exits++;
    return true;
}

/*
 * Follow a direct jump to @dest inside the TB?  @dest must be in the TB's
 * page and not yet translated here (a loop back to pc_first is handled by
 * gen_goto_tb instead).  On true, translation goes on at @dest.
 */
static bool follow_jump(DisasContext *ctx, uint64_t dest)
{
    int max_runs =
        ctx->region ? RISCV_TR_MAX_RUNS - ctx->nb_pending : RISCV_TR_SB_RUNS;

    if (ctx->nb_runs >= max_runs || !tb_has_room(ctx) ||
        !in_tb_page(ctx, dest) || dest == ctx->pc_first) {
        return false;
    }
    ctx->run[ctx->nb_runs - 1].end = ctx->pc_next;
    for (int i = 0; i < ctx->nb_runs; i++) {
        if (dest >= ctx->run[i].start && dest < ctx->run[i].end) {
            return false;
        }
    }
    ctx->run[ctx->nb_runs].start = dest;
    ctx->nb_runs++;
    ctx->pc_next = dest;
    return true;
}

/* Leave with env->exception = excp and env->pc = the current insn. */
static void gen_exception(DisasContext *ctx, int excp)
{
    tcg_gen_movi_i64(cpu_pc, ctx->pc_cur);
    tcg_gen_st_i32(tcg_constant_i32(excp), tcg_env,
                   offsetof(CPURISCVState, exception));
    tcg_gen_exit_tb(NULL, 0);
    ctx->is_jmp = DISAS_NORETURN;
}

static bool gen_illegal(DisasContext *ctx)
{
    gen_exception(ctx, RISCV_EXCP_ILLEGAL);
    return true;
}

/* The exits of gen_check_rm's inline checks, after the TB's body. */
static void gen_frm_faults(DisasContext *ctx)
{
    uint64_t pc_cur = ctx->pc_cur;
    int is_jmp = ctx->is_jmp;

    for (int i = 0; i < ctx->nb_frm_faults; i++) {
        gen_set_label(ctx->frm_fault[i].label);
        ctx->pc_cur = ctx->frm_fault[i].pc;
        gen_exception(ctx, RISCV_EXCP_ILLEGAL);
    }
    ctx->pc_cur = pc_cur;
    ctx->is_jmp = is_jmp;
}

/* Jumps to a misaligned target fault when C is off (IALIGN = 32). */
static bool target_misaligned(DisasContext *ctx, uint64_t dest)
{
    return !ctx->cfg->ext_c && (dest & 3);
}

/* rs1 + imm */
static TCGv_i64 get_address(DisasContext *ctx, int rs1, int64_t imm)
{
    TCGv_i64 addr = tcg_temp_new_i64();

    tcg_gen_addi_i64(addr, get_gpr(ctx, rs1), imm);
    return addr;
}

/*
 * Under gdb watchpoints (CF_WATCH): check an access of @mop's size at
 * @addr (@type 1 read, 2 write, 3 both) before it (helper_watch_check).
 */
static void gen_watch(DisasContext *ctx, TCGv_i64 addr, MemOp mop, int type)
{
    TCGTemp *args[3];

    if (!(ctx->tb->cflags & CF_WATCH)) {
        return;
    }
    args[0] = tcgv_ptr_temp(tcg_env);
    args[1] = tcgv_i64_temp(addr);
    args[2] = tcgv_i64_temp(
        tcg_constant_i64((1 << (mop & MO_SIZE)) | (uint64_t)type << 8));
    tcg_gen_callN(&helper_info_watch_check, NULL, 3, args);
}

/*
 * The address operand of an access at rs1 + imm, checked by gen_watch().
 * Without watchpoints it is rs1 itself, imm going into *@mop as the
 * access's displacement (MO_OFS): the backend adds it in the host
 * addressing mode, and accesses off an unchanged rs1 share one range
 * check.  A base the translator knows (lui, auipc) gives a constant
 * address and, when it is in the guest space, MO_NOCHECK (the space's
 * mask is fixed before the first translation).
 */
static TCGv_i64 get_watched_address(DisasContext *ctx, int rs1, int64_t imm,
                                    MemOp *mop, int type)
{
    TCGv_i64 addr;
    uint64_t v;

    if (!(ctx->tb->cflags & (CF_WATCH | CF_NODISP)) &&
        known_gpr(ctx, rs1, &v) &&
        !((v + imm) & ctx->env->hdr.guest_addr_mask)) {
        /* lui/auipc + access: the address is known to be in range */
        *mop = (MemOp)(*mop | MO_NOCHECK);
        return tcg_constant_i64(v + imm);
    }
    if (!(ctx->tb->cflags & (CF_WATCH | CF_NODISP)) &&
        imm >= -TCG_GUEST_DISP_MAX && imm < TCG_GUEST_DISP_MAX) {
        *mop = (MemOp)(*mop | MO_OFS(imm));
        return get_gpr(ctx, rs1);
    }
    addr = get_address(ctx, rs1, imm);
    gen_watch(ctx, addr, *mop, type);
    return addr;
}

/* t = the @mop access at rs1 + imm */
static void gen_guest_load(DisasContext *ctx, TCGv_i64 t, int rs1, int64_t imm,
                           MemOp mop)
{
    TCGv_i64 addr = get_watched_address(ctx, rs1, imm, &mop, 1);

    tcg_gen_qemu_ld_i64(t, addr, mop);
}

/* The @mop access at rs1 + imm = v */
static void gen_guest_store(DisasContext *ctx, TCGv_i64 v, int rs1, int64_t imm,
                            MemOp mop)
{
    TCGv_i64 addr = get_watched_address(ctx, rs1, imm, &mop, 2);

    tcg_gen_qemu_st_i64(v, addr, mop);
}

static bool is_vcsr(int csr);
static bool gen_vcsr(DisasContext *ctx, DisasArgs *a, int op, TCGv_i64 src,
                     bool writes);

#include "target-riscv/trans_rvi.c.inc"
#include "target-riscv/trans_rvm.c.inc"
#include "target-riscv/trans_rva.c.inc"
#include "target-riscv/trans_rvb.c.inc"
#include "target-riscv/trans_rvf.c.inc"
#include "target-riscv/trans_rvzfh.c.inc"
#include "target-riscv/trans_rvv.c.inc"

typedef bool (*TransFn)(DisasContext *ctx, DisasArgs *a);

static const TransFn trans_table[RISCV_OP_COUNT] = {
#define INSN(name, mask, match, fmt, ext) [RISCV_OP_##name] = trans_##name,
#include "target-riscv/insn-table.h"
#undef INSN
};

static void log_insn(DisasContext *ctx, uint32_t insn, int len)
{
    char buf[96];

    riscv_disas(ctx->cfg, ctx->pc_cur, insn, len, buf, sizeof(buf));
    tcg_log("0x%016llx:  %0*x  %s\n", (unsigned long long)ctx->pc_cur, len * 2,
            insn, buf);
}

/*
 * Fetch, decode and translate the instruction at pc_next.  Returns false
 * when it cannot be fetched; the TB then ends before it (or, for the
 * first instruction, raises the fault).
 */
static bool translate_one(DisasContext *ctx, bool seq)
{
    uint16_t lo, hi;
    uint32_t insn, w;
    DisasArgs a;
    int len;

    ctx->pc_cur = ctx->pc_next;
    if (!translator_fetch(ctx->pc_cur, &lo, 2)) {
        ctx->fetch_fault = ctx->pc_cur;
        return false;
    }
    len = (lo & 3) == 3 ? 4 : 2;
    if (len == 4 && !translator_fetch(ctx->pc_cur + 2, &hi, 2)) {
        /* It straddles into a page we may not execute: its start. */
        ctx->fetch_fault = ctx->pc_cur + 2;
        return false;
    }
    insn = len == 4 ? lo | ((uint32_t)hi << 16) : lo;
    ctx->pc_next = ctx->pc_cur + len;
    if (ctx->region && !ctx->discover &&
        ctx->num_insns < RISCV_TR_REGION_INSNS) {
        tcg_set_loop_depth(tcg_ctx, ctx->insn_depth[ctx->num_insns]);
    }
    tcg_gen_insn_start(ctx->pc_cur);
    if (tcg_log_enabled(CPU_LOG_TB_IN_ASM) && !ctx->discover) {
        log_insn(ctx, insn, len);
    }
    if (ctx->num_insns < RISCV_TR_REGION_INSNS) {
        ctx->insn_pc[ctx->num_insns] = ctx->pc_cur;
        ctx->insn_seq[ctx->num_insns] = seq;
    }
    ctx->in_insn = true;
    w = len == 2 ? (ctx->cfg->ext_c ? riscv_expand_rvc(lo) : 0) : insn;
    if (ctx->discover && ctx->num_insns < RISCV_TR_REGION_INSNS) {
        ctx->insn_regs[ctx->num_insns] = insn_regs(w);
        ctx->insn_wr[ctx->num_insns] = w ? insn_writes(w) : 0;
        ctx->insn_cbr[ctx->num_insns] = (w & 0x7f) == 0x63;
    }
    if (ctx->num_insns == ctx->kprefix) {
        ctx->kstable = ctx->known & ~ctx->kwr_after; /* the prefix ends */
    }
    if (w == 0 || !riscv_decode(ctx->cfg, w, &a) ||
        !trans_table[a.op](ctx, &a)) {
        gen_illegal(ctx);
    }
    known_update(ctx, w);
    sext_update(ctx, w);
    ctx->in_insn = false;
    return true;
}

/*
 * Bytes from pc_first to the end of the last guest instruction, over all
 * runs: with pc_first they give the pages the TB must be registered on
 * (every run is in pc_first's page, except that the last instruction of
 * a run may end in the next one; a region's runs may be in the next page
 * too, but never reach a third: in_tb_page).
 */
static uint32_t tb_extent(DisasContext *ctx)
{
    uint64_t end = ctx->pc_first + 1;

    ctx->run[ctx->nb_runs - 1].end = ctx->pc_next;
    for (int i = 0; i < ctx->nb_runs; i++) {
        end = ctx->run[i].end > end ? ctx->run[i].end : end;
    }
    return end - ctx->pc_first;
}

/*
 * A gdb breakpoint at pc_next: a TB's first instruction leaves with
 * RISCV_EXCP_DEBUG there; any other ends the TB before it, so that the
 * breakpoint's own TB reports it.
 */
static void gen_debug_stop(DisasContext *ctx)
{
    if (ctx->num_insns > 0) {
        ctx->is_jmp = DISAS_TOO_MANY;
        return;
    }
    ctx->pc_cur = ctx->pc_next;
    ctx->pc_next = ctx->pc_cur + 2; /* the TB's extent: a page of its own */
    tcg_gen_insn_start(ctx->pc_cur);
    gen_exception(ctx, RISCV_EXCP_DEBUG);
    ctx->num_insns++;
}

/*
 * Does the current run end before pc_next because of pages?  A superblock's
 * run stays in the page it started in (its last instruction may straddle
 * into the next); a region's runs stay in its two-page window (in_tb_page).
 */
static bool run_leaves_page(DisasContext *ctx)
{
    if (ctx->region) {
        return !in_tb_page(ctx, ctx->pc_next);
    }
    return ((ctx->pc_next ^ ctx->run[ctx->nb_runs - 1].start) &
            ~(uint64_t)4095) != 0;
}

/*
 * Translate one run of instructions from pc_next, until one ends it
 * (is_jmp) or a limit is reached.  In a region's second pass, the label
 * of a join is placed before its instruction; an instruction translated
 * already is branched to instead.
 */
static void translate_run(DisasContext *ctx)
{
    for (bool seq = false;; seq = true) {
        if ((ctx->tb->cflags & CF_DEBUG) && translator_breakpoint_check &&
            translator_breakpoint_check(ctx->pc_next)) {
            gen_debug_stop(ctx);
            return;
        }
        if (ctx->region && ctx->num_insns > 0 &&
            insn_emitted(ctx, ctx->pc_next)) {
            gen_goto_tb(ctx, ctx->pc_next); /* falls into translated code */
            ctx->is_jmp = DISAS_NORETURN;
            return;
        }
        if (ctx->region && ctx->num_insns > 0 &&
            region_stopped(ctx, ctx->pc_next)) {
            ctx->is_jmp = DISAS_TOO_MANY; /* another loop nest's TB */
            return;
        }
        if (ctx->region && !ctx->discover) {
            RegionJoin *j = region_join(ctx, ctx->pc_next);

            if (j && j->pc != ctx->pc_first && !j->emitted) {
                uint32_t fall = seq ? ctx->sext : ~0u;
                bool vfall = seq;

                if (seq && region_falls_back(ctx, j->pc)) {
                    gen_region_loop_back(ctx, j); /* falls into a cycle */
                    fall = ~0u;
                    vfall = false; /* met by its vk_branch */
                }
                gen_set_label(j->label);
                known_join(ctx);
                ctx->sext = sext_join(ctx, j, fall);
                ctx->frm_checked = false; /* other paths join here */
                ctx->fp_nx = ctx->fp_rne = false;
                vk_join(ctx, j, vfall);
            }
            if (j) {
                j->emitted = true;
            }
        }
        if (!translate_one(ctx, seq)) {
            if (ctx->num_insns == 0) {
                /*
                 * The TB's first instruction cannot be fetched: no TB
                 * (riscv_tr_translate returns 0).  One that faulted would
                 * stay valid when the page became executable again.
                 */
                tcg_gen_insn_start(ctx->pc_cur);
                gen_exception(ctx, RISCV_EXCP_FETCH_FAULT);
                ctx->num_insns++;
                ctx->first_unfetchable = true;
            } else {
                ctx->is_jmp = DISAS_TOO_MANY;
                ctx->pc_next = ctx->pc_cur;
                ctx->fetch_failed = true;
            }
            return;
        }
        ctx->num_insns++;
        if (ctx->is_jmp != DISAS_NEXT) {
            return;
        }
        if (ctx->num_insns >= ctx->max_insns || run_leaves_page(ctx) ||
            tcg_ctx->nb_ops > 4000 || tcg_ctx->nb_temps > TCG_MAX_TEMPS - 64) {
            ctx->is_jmp = DISAS_TOO_MANY;
            return;
        }
    }
}

/* A region's next run: its first pending target not translated yet. */
static bool region_next_run(DisasContext *ctx)
{
    while (ctx->nb_pending > 0) {
        uint64_t pc = ctx->pending[0];

        ctx->nb_pending--;
        memmove(&ctx->pending[0], &ctx->pending[1],
                ctx->nb_pending * sizeof(ctx->pending[0]));
        /*
         * The ops and temps limits too: translate_run checks them only
         * after an instruction that does not end its run, so a region of
         * many short runs could run out of TCG temps (tcg_temp_alloc).
         */
        if (insn_emitted(ctx, pc) || ctx->nb_runs == RISCV_TR_MAX_RUNS ||
            ctx->num_insns + 2 >= ctx->max_insns || tcg_ctx->nb_ops > 4000 ||
            tcg_ctx->nb_temps > TCG_MAX_TEMPS - 64) {
            continue; /* its label leaves the TB (translate_body) */
        }
        ctx->run[ctx->nb_runs - 1].end = ctx->pc_next;
        ctx->run[ctx->nb_runs].start = pc;
        ctx->nb_runs++;
        ctx->pc_next = pc;
        ctx->is_jmp = DISAS_NEXT;
        ctx->branch_run = true;
        known_join(ctx);
        ctx->fp_nx = ctx->fp_rne = false;
        return true;
    }
    return false;
}

/* The whole TB: runs, then the exits placed after them. */
static void translate_body(DisasContext *ctx)
{
    tcg_gen_tb_start(ctx->tb);
    ctx->vtype_k = !ctx->cfg->ext_v || ctx->env->vill
                       ? -1
                       : (int64_t)(ctx->env->vtype & 0xff);
    vk_tb_start(ctx);
    ctx->loop_head = gen_new_label();
    gen_set_label(ctx->loop_head);
    if (ctx->discover) {
        ctx->discard_label = gen_new_label();
    }
    do {
        translate_run(ctx);
        if (ctx->is_jmp == DISAS_TOO_MANY && ctx->fetch_failed) {
            /* Not to be tried again in this TB: its own TB faults there. */
            gen_leave_tb(ctx, ctx->pc_next);
        } else if (ctx->is_jmp == DISAS_TOO_MANY) {
            gen_goto_tb(ctx, ctx->pc_next);
        }
        ctx->fetch_failed = false;
    } while (ctx->region && region_next_run(ctx));
    if (ctx->region && !ctx->discover) {
        tcg_set_loop_depth(tcg_ctx, 0); /* the exits below run once */
    }
    ctx->region = false; /* the exits below leave the TB */
    for (int i = 0; i < ctx->nb_side_exits; i++) {
        gen_set_label(ctx->side_exit[i].label);
        gen_goto_tb(ctx, ctx->side_exit[i].dest);
    }
    for (int i = 0; i < ctx->nb_bkicks; i++) {
        gen_set_label(ctx->bkick[i].label);
        tcg_gen_movi_i64(cpu_pc, ctx->bkick[i].pc);
        tcg_gen_exit_tb(NULL, 0);
    }
    gen_frm_faults(ctx);
    gen_fp_gate_exits(ctx);
    gen_spec_div_slow(ctx);
    for (int i = 0; i < ctx->nb_joins && !ctx->discover; i++) {
        RegionJoin *j = &ctx->join[i];

        if (j->pc != ctx->pc_first && j->label->refs && !j->emitted) {
            gen_set_label(j->label); /* a target left untranslated */
            gen_goto_tb(ctx, j->pc);
        }
        if (j->kick) {
            /* A back edge found exit_request set: leave for j->pc. */
            gen_set_label(j->kick);
            tcg_gen_movi_i64(cpu_pc, j->pc);
            tcg_gen_exit_tb(NULL, 0);
        }
    }
    tcg_gen_tb_end(ctx->tb);
}

#include "target-riscv/region-loops.c.inc"

/*
 * The prefix of the region (see "Known registers"): its instructions up
 * to the first join or branch target run, and what the rest writes.  It
 * also ends after its first conditional branch: the branch's target is a
 * join, and the instructions between the two do not run on the taken
 * path (they once ended up in the prefix: a divisor set by "li t0, 7" on
 * the fall-through path only was taken for 7 at the join).
 */
static void known_plan(DisasContext *ctx, const DisasContext *first)
{
    int n = first->num_insns, i = 0;

    while (i < n &&
           (i == 0 || (first->insn_seq[i] && !first->insn_cbr[i - 1])) &&
           region_join(ctx, first->insn_pc[i]) == NULL) {
        i++;
    }
    ctx->kprefix = i;
    ctx->kwr_after = 0;
    ctx->kwr_all = 0;
    for (int k = 0; k < n; k++) {
        ctx->kwr_after |= k >= i ? first->insn_wr[k] : 0;
        ctx->kwr_all |= first->insn_wr[k];
    }
}

/*
 * After the first pass: find the branches that close cycles and set up
 * @ctx for the second.  Returns false if the region cannot be planned.
 */
static bool region_plan(DisasContext *ctx, DisasContext *first)
{
    uint8_t color[RISCV_TR_REGION_INSNS] = {0};

    if (first->num_insns > RISCV_TR_REGION_INSNS) {
        return false;
    }
    region_dfs(first, 0, color);
    if (first->unplanned) {
        return false;
    }
    ctx->region = true;
    ctx->nb_joins = first->nb_joins;
    for (int i = 0; i < ctx->nb_joins; i++) {
        ctx->join[i].pc = first->join[i].pc;
        ctx->join[i].label = gen_new_label();
        ctx->join[i].sext_in = ~0u;
    }
    ctx->nb_edges = first->nb_edges;
    memcpy(ctx->edge, first->edge, sizeof(ctx->edge));
    ctx->region_insns = first->num_insns;
    known_plan(ctx, first);
    return true;
}

/*
 * How many registers do the loops of @first's region name?  (The region
 * splits, or keeps to one page, when they do not fit in the pins.)
 */
static int region_loop_regs(const DisasContext *first, uint8_t *depth, int *top)
{
    uint64_t regs = 0;

    region_loop_depths(first, depth, top);
    for (int i = 0; i < first->num_insns; i++) {
        regs |= top[i] >= 0 ? first->insn_regs[i] : 0;
    }
    return __builtin_popcountll(regs);
}

/*
 * A region that took in loop nests one after another (the loops of a
 * function's body, each run many times before the next begins), whose
 * loops name more registers than there are pins, keeps the first nest,
 * the one at its first instruction or else the first it reaches, and
 * leaves for the others: each gets a TB of its own, with the 8 pins to
 * itself.  Puts the instructions of the others in @ctx's stops, and
 * @first's loop depths in @ctx's insn_depth.
 * Returns: whether there are stops (the first pass must then be redone).
 */
static bool region_split(const DisasContext *first, DisasContext *ctx)
{
    int top[RISCV_TR_REGION_INSNS], home = -1;
    int n = first->num_insns;

    ctx->nb_stops = 0;
    memset(ctx->insn_depth, 0, sizeof(ctx->insn_depth));
    if (n > RISCV_TR_REGION_INSNS) {
        return false;
    }
    /* Room in the pins for all loops' registers: no TB changes needed. */
    if (region_loop_regs(first, ctx->insn_depth, top) <= TCG_MAX_PINS) {
        return false;
    }
    for (int i = 0; i < n && home < 0; i++) {
        home = top[i];
    }
    for (int i = 0; i < n; i++) {
        if (top[i] >= 0 && top[i] != home) {
            ctx->stop_pc[ctx->nb_stops++] = first->insn_pc[i];
        }
    }
    return ctx->nb_stops > 0;
}

/* The first pass again, from @ctx. */
static void region_first_pass(DisasContext *ctx, DisasContext *first)
{
    *first = *ctx;
    first->region = first->discover = true;
    translate_body(first);
}

/*
 * Take the next page into the region (in_tb_page)?  Only where the first
 * pass would have gone there and its loops' registers fit in the pins,
 * and then only if they still fit with the code of the next page: where
 * they do not, the pins no longer hold the hot loop's registers.
 * compress's hash-chain walk (0x10fca .. 0x11046) with its match loop
 * names 17 registers: as one two-page region it kept `t0`, `t1`, `t6`
 * and `t2`'s range check in memory, 217.2 -> 223.9 M host instructions,
 * worse than as two TBs.  Each redone pass costs a hot translation's
 * first pass, so only regions that reach into the next page pay it.
 */
static void region_try_two_pages(DisasContext *ctx, DisasContext *first)
{
    uint8_t depth[RISCV_TR_REGION_INSNS];
    int top[RISCV_TR_REGION_INSNS];

    if (!first->next_page_seen || first->num_insns > RISCV_TR_REGION_INSNS ||
        region_loop_regs(first, depth, top) > TCG_MAX_PINS) {
        return;
    }
    tcg_func_start(tcg_ctx);
    ctx->two_pages = true;
    region_first_pass(ctx, first);
    if (first->num_insns <= RISCV_TR_REGION_INSNS &&
        region_loop_regs(first, depth, top) <= TCG_MAX_PINS) {
        return;
    }
    tcg_func_start(tcg_ctx);
    ctx->two_pages = false;
    region_first_pass(ctx, first);
}

/*
 * The first pass into @first, and the loop depths of what it translated
 * into @ctx; redone without the other loop nests if region_split finds any.
 */
static void region_discover(DisasContext *ctx, DisasContext *first)
{
    int top[RISCV_TR_REGION_INSNS];

    region_first_pass(ctx, first);
    region_try_two_pages(ctx, first);
    if (region_split(first, ctx)) {
        tcg_func_start(tcg_ctx);
        *first = *ctx;
        first->region = first->discover = true;
        translate_body(first);
        if (first->num_insns <= RISCV_TR_REGION_INSNS) {
            region_loop_depths(first, ctx->insn_depth, top);
        }
    }
}

/* Did the second pass translate what the first one did? */
static bool region_same(const DisasContext *ctx, const DisasContext *first)
{
    return ctx->num_insns == first->num_insns &&
           memcmp(ctx->insn_pc, first->insn_pc,
                  ctx->num_insns * sizeof(ctx->insn_pc[0])) == 0 &&
           memcmp(ctx->insn_seq, first->insn_seq,
                  ctx->num_insns * sizeof(ctx->insn_seq[0])) == 0;
}

/*
 * Regions.  A hot TB (the second tier, see accel/tcg/tb.h) is a region:
 * a conditional branch or jump to a target in the TB's page goes to that
 * target inside the TB, translated already (a back edge, which checks
 * exit_request and keeps pinned globals in registers) or later, as a
 * further run.  A branch needs a label before its target's instruction,
 * so a first pass translates the same way to find these joins (its ops
 * are thrown away) and the second places their labels.  The second pass
 * makes the same choices; were it ever to differ, a branch to a join that
 * is not translated leaves the TB there, and one to a PC that is not a
 * join leaves the TB: the joins only decide where labels are.  From the
 * first pass come the loop depths given to tcg_pin_hot_globals
 * (region_loop_depths) and, when the region's loops need more registers
 * than there are pins, the other loop nests it leaves for (region_split;
 * the first pass is then redone without them).
 */

/* A fresh context for translating @tb from its first instruction. */
static void disas_init(DisasContext *ctx, CPURISCVState *env,
                       TranslationBlock *tb, int max_insns)
{
    /* Only the part before the arrays: 5 KB less to clear for each TB
     * (transl: 66835 TBs, 0.485 -> 0.476 s). */
    memset(ctx, 0, offsetof(DisasContext, pending));
    ctx->env = env;
    ctx->cfg = &env->cfg;
    ctx->tb = tb;
    ctx->pc_first = tb->pc;
    ctx->pc_next = tb->pc;
    ctx->max_insns = max_insns;
    ctx->is_jmp = DISAS_NEXT;
    ctx->nb_runs = 1;
    ctx->run[0].start = tb->pc;
}

/* Does a branch of the region go back to its first instruction? */
static bool region_loops_home(const DisasContext *ctx)
{
    for (int i = 0; i < ctx->nb_edges; i++) {
        if (ctx->edge[i].to == ctx->pc_first) {
            return true;
        }
    }
    return false;
}

/*
 * A region's translation again, after a branch to a label lacked the V
 * state the label took as known (vk_branch): each label now also meets
 * what such branches had (vk_cap), and from the fourth try on nothing is
 * assumed at labels (vk_off).  Rare: both passes are redone from
 * disas_init rather than a copy of the context kept for it (a 6 KB copy
 * for every region cost start-up more than the retries).
 * Returns: region_plan's answer.
 */
static bool region_retry(DisasContext *ctx, DisasContext *first, int tries)
{
    bool capped[RISCV_TR_MAX_JOINS];
    VKnown cap[RISCV_TR_MAX_JOINS];
    int n = ctx->nb_joins;
    CPURISCVState *env = ctx->env;
    TranslationBlock *tb = ctx->tb;

    bool entry = ctx->vk_entry && !ctx->vk_head_violated;

    for (int i = 0; i < n; i++) {
        capped[i] = ctx->join[i].vk_capped;
        cap[i] = ctx->join[i].vk_cap;
    }
    tcg_func_start(tcg_ctx);
    disas_init(ctx, env, tb, ctx->max_insns);
    region_discover(ctx, first);
    tcg_func_start(tcg_ctx);
    if (!region_plan(ctx, first) || ctx->nb_joins != n) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        ctx->join[i].vk_capped = capped[i];
        ctx->join[i].vk_cap = cap[i];
    }
    ctx->vk_off = tries >= 4;
    ctx->vk_entry = entry && !ctx->vk_off;
    ctx->vk_entry_v = ctx->vk_entry && first->v_first;
    translate_body(ctx);
    return true;
}

/*
 * A TB that is no region but loops to its first instruction (a cold TB's
 * loop back, gen_leave_tb) with V code in it: translated again with the
 * guard flags (and, when its first instruction is a V one, prctl's check
 * and vused) made at the entry, as a region's (vk_tb_start); once more
 * without them when a back edge lacked what the entry made (vk_head).
 * Only such loops pay the second translation.
 */
static void riscv_tr_translate_vloop(DisasContext *ctx)
{
    CPURISCVState *env = ctx->env;
    TranslationBlock *tb = ctx->tb;
    int max_insns = ctx->max_insns;
    bool v_first = ctx->v_first;

    for (int tries = 0; tries < 2; tries++) {
        tcg_func_start(tcg_ctx);
        disas_init(ctx, env, tb, max_insns);
        ctx->vk_entry = tries == 0;
        ctx->vk_entry_v = tries == 0 && v_first;
        translate_body(ctx);
        if (!ctx->vk_head_violated) {
            return;
        }
    }
}

int riscv_tr_translate(CPURISCVState *env, TranslationBlock *tb, int max_insns)
{
    DisasContext ctx, first;
    bool region;

    disas_init(&ctx, env, tb, max_insns);
    region = !tb->cold && tb->cflags == 0 && max_insns > 1 &&
             use_goto_tb(&ctx, tb->pc);

    if (region) {
        if (ctx.max_insns > RISCV_TR_REGION_INSNS) {
            ctx.max_insns = RISCV_TR_REGION_INSNS;
        }
        region_discover(&ctx, &first);
        tcg_func_start(tcg_ctx); /* before region_plan makes labels */
        region = region_plan(&ctx, &first);
    }
    if (tcg_log_enabled(CPU_LOG_TB_IN_ASM)) {
        tcg_log("IN:\n");
    }
    if (region) {
        /* a loop with V code: its guard flags computed once at the entry */
        ctx.vk_entry = first.v_seen && region_loops_home(&ctx);
        ctx.vk_entry_v = ctx.vk_entry && first.v_first;
        translate_body(&ctx);
        for (int tries = 1; region && ctx.vk_violated; tries++) {
            region = region_retry(&ctx, &first, tries);
        }
        if (!region || !region_same(&ctx, &first) || ctx.sext_violated ||
            ctx.vk_violated) {
            /* Not what the first pass planned for: no region after all. */
            tcg_func_start(tcg_ctx);
            region = false;
        }
    }
    if (!region) {
        disas_init(&ctx, env, tb, max_insns);
        translate_body(&ctx);
        if (ctx.looped && ctx.v_seen && !ctx.first_unfetchable) {
            riscv_tr_translate_vloop(&ctx);
        }
    }
    tb->loops = ctx.looped;
    if (ctx.looped) {
        tcg_pin_hot_globals(tcg_ctx);
    }
    tb->size = tb_extent(&ctx);
    tb->icount = ctx.num_insns;
    if (tcg_log_enabled(CPU_LOG_TB_IN_ASM)) {
        tcg_log("\n");
    }
    if (ctx.first_unfetchable) {
        env->badaddr = ctx.fetch_fault;
        return 0;
    }
    return ctx.num_insns;
}
