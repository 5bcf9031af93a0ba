/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCG optimizer: one forward pass over s->ops[0, nb_ops), run before
 * liveness.  It rewrites ops in place and never inserts any.
 *
 * What it does, per op:
 *   1. Copy propagation.  Every input is replaced by the best temp known
 *      to hold the same value: a constant, else a global/fixed temp, else
 *      a TB temp, else the EBB temp that has held the value longest.
 *   2. Constant folding.  An ALU op whose inputs are all constants becomes
 *      "mov out, const".  Division and remainder by zero and INT_MIN / -1
 *      are left to run time (the backend decides what they do).
 *   3. Algebraic identities (x + 0, x & x, x ^ x, shifts by 0 ...) turn the
 *      op into a mov, a mov of a constant, or a "not".
 *   4. Branches and conditions with a known result: brcond becomes br or
 *      is removed, setcond becomes a mov of 0/1, movcond a mov.
 *   5. Unreachable code: after br, exit_tb and goto_ptr, every op up to the
 *      next set_label is removed, except insn_start.  "br L; set_label L"
 *      loses the br, and "brcond c, L1; br L2; set_label L1" becomes
 *      "brcond !c, L2; set_label L1" (a side exit's code then follows its
 *      branch instead of being jumped over).
 *   6. Barriers: an mb that follows another mb with no memory access or
 *      block end in between is merged into the first (kinds ORed).
 *   7. Known extensions (sign/zero from bit 31) of values: an extension of
 *      an extended value becomes a mov, also at a loop head inside the TB
 *      for the globals every back edge leaves extended (loopx_head).
 *   "mov x, y" where x already equals y (x == y included) is removed.
 *
 * Constants.  A constant is a TEMP_CONST temp (tcg_constant_internal);
 * the value of an I32 constant is kept sign-extended from bit 31, i.e. the
 * optimizer always creates them as tcg_constant_internal(TCG_TYPE_I32,
 * (int32_t)x), and it reads only the low 32 bits of an I32 constant.  I32
 * ops are computed on 32 bits; I64 ops on 64.  Shift and rotate counts are
 * taken modulo the width.  The type of a folded result is op->type (the
 * type of the output, also for the i32 <-> i64 conversions).
 *
 * Copy tracking.  Temps that hold the same value form a class, kept as a
 * circular doubly linked list of temp indices in OptContext.info; a temp
 * alone in its list equals nothing else.  Invariants:
 *   - the members of a class have the same TCGType;
 *   - a class holds at most one TEMP_CONST temp, and a class with one is
 *     constant: after copy propagation a constant input is the TEMP_CONST
 *     temp itself, so "is constant" is "kind == TEMP_CONST";
 *   - writing a temp (any output, discard) first unlinks it from its class,
 *     so the other members keep their (still valid) equality;
 *   - tracking holds within an extended basic block: every class is split
 *     at set_label and after any block end that is not a conditional
 *     branch; a call that may write globals unlinks every global.
 * Ops are removed by turning them into nop; label refs are decremented for
 * removed branches (never below 0).  A fold that may need a new constant
 * temp is skipped when the temp table is full.  s must be tcg_ctx.
 */
#include "tcg/tcg.h"

#include <string.h>

typedef struct TempInfo {
    uint16_t prev, next; /* circular list of copies, temp indices */
    uint16_t konst;      /* the class's TEMP_CONST member, or NO_KONST */
    uint32_t seq;        /* when the temp joined its class: older wins */
    uint32_t xgen;       /* ext is valid while this equals OptContext's */
    uint32_t wgen;       /* bumped at every write of the temp */
    uint32_t sh_xgen;    /* sh_src is valid while this equals xgen */
    uint32_t sh_wgen;    /* ... and while sh_src's wgen equals this */
    uint16_t sh_src;     /* the value is sh_src << 32, sh_src < 2^32 */
    uint8_t ext;         /* known extensions of the value (KX_*) */
} TempInfo;

/*
 * konst is a shortcut for best_copy: a class holds at most one constant,
 * which is its best member, and a constant never leaves its class (it is
 * never written), so a temp's konst stays right until the temp itself
 * leaves (reset_temp) or every class is split (reset_all_temps).
 */
#define NO_KONST 0xffff

typedef struct OptContext {
    TCGContext *s;
    int nb_info;      /* info[] is set up for temps [0, nb_info) */
    uint32_t seq;     /* copy-join counter */
    uint32_t xgen;    /* known extensions' generation, see known_ext() */
    bool unreachable; /* after br/exit_tb/goto_ptr, until set_label */
    TCGOp *last_br;   /* the br that made the code unreachable */
    TCGOp *br_prev;   /* the op before last_br (nops, insn_start skipped) */
    TCGOp *prev_mb;   /* the mb that a following mb may merge into */
    /* and/or/xor ops whose inputs were both sign-extended (wlogic.c) */
    int nb_wl;
    int wl[TCG_WLOGIC_MAX];
    /* Labels (bit per id) set so far, and reached by a forward branch. */
    uint64_t lab_set[TCG_MAX_LABELS / 64];
    uint64_t lab_fwd[TCG_MAX_LABELS / 64];
    /* Temps that joined a class since the last reset_all_temps (may list
     * a temp twice): block ends reset just these. */
    int nb_linked;
    uint16_t linked[2 * TCG_MAX_TEMPS];
    TempInfo info[TCG_MAX_TEMPS]; /* [0, nb_info) set up */
} OptContext;

/* Copy tracking */

static int temp_idx(OptContext *ctx, TCGTemp *ts)
{
    int i = ts - ctx->s->temps;

    assert(i >= 0 && i < TCG_MAX_TEMPS);
    /* Temps created during the pass (new constants) start alone. */
    while (ctx->nb_info <= i) {
        int n = ctx->nb_info++;
        ctx->info[n].prev = ctx->info[n].next = n;
        ctx->info[n].konst = NO_KONST;
        ctx->info[n].seq = 0;
        ctx->info[n].xgen = 0;
        ctx->info[n].wgen = 0;
        ctx->info[n].sh_xgen = 0;
        ctx->info[n].ext = 0;
    }
    return i;
}

static void reset_temp(OptContext *ctx, TCGTemp *ts)
{
    int i = temp_idx(ctx, ts);
    TempInfo *ti = &ctx->info[i];

    ctx->info[ti->prev].next = ti->next;
    ctx->info[ti->next].prev = ti->prev;
    ti->prev = ti->next = i;
    ti->konst = NO_KONST;
    ti->ext = 0;
    ti->wgen++;
    ti->sh_xgen = 0;
}

static void reset_all_temps(OptContext *ctx)
{
    for (int k = 0; k < ctx->nb_linked; k++) {
        int i = ctx->linked[k];

        ctx->info[i].prev = ctx->info[i].next = i;
        ctx->info[i].konst = NO_KONST;
    }
    ctx->nb_linked = 0;
    ctx->xgen++; /* forget every known extension too */
}

static void reset_globals(OptContext *ctx)
{
    for (int i = 0; i < ctx->s->nb_globals; i++) {
        reset_temp(ctx, &ctx->s->temps[i]);
    }
}

static bool temps_are_copies(OptContext *ctx, TCGTemp *a, TCGTemp *b)
{
    int ia = temp_idx(ctx, a), ib = temp_idx(ctx, b);

    for (int i = ctx->info[ia].next; i != ia; i = ctx->info[i].next) {
        if (i == ib) {
            return true;
        }
    }
    return ia == ib;
}

static int kind_rank(TCGTempKind k)
{
    switch (k) {
    case TEMP_CONST:
        return 3;
    case TEMP_GLOBAL:
    case TEMP_FIXED:
        return 2;
    case TEMP_TB:
        return 1;
    default:
        return 0;
    }
}

/* The member of ts's class that inputs should use. */
static TCGTemp *best_copy(OptContext *ctx, TCGTemp *ts)
{
    int first = temp_idx(ctx, ts), best = first;
    TCGTemp *temps = ctx->s->temps;

    if (ts->kind == TEMP_CONST) {
        return ts; /* the best of any class it is in */
    }
    if (ctx->info[first].konst != NO_KONST) {
        return &temps[ctx->info[first].konst];
    }
    for (int i = ctx->info[first].next; i != first; i = ctx->info[i].next) {
        int rb = kind_rank(temps[best].kind), ri = kind_rank(temps[i].kind);

        if (ri > rb || (ri == rb && ctx->info[i].seq < ctx->info[best].seq)) {
            best = i;
        }
    }
    return &temps[best];
}

/* Record "dst = src" after a mov; dst was already unlinked. */
static void add_copy(OptContext *ctx, TCGTemp *dst, TCGTemp *src)
{
    int d = temp_idx(ctx, dst), sidx = temp_idx(ctx, src);
    TempInfo *di = &ctx->info[d], *si = &ctx->info[sidx];

    if (si->next == sidx) {
        si->seq = ++ctx->seq; /* src starts a class: it is the oldest */
    }
    di->seq = ++ctx->seq;
    di->konst = src->kind == TEMP_CONST ? sidx : si->konst;
    if (ctx->nb_linked + 2 > (int)(sizeof(ctx->linked) / sizeof(uint16_t))) {
        /* Compact: keep only the temps that are in a class still. */
        int n = 0;

        for (int k = 0; k < ctx->nb_linked; k++) {
            int i = ctx->linked[k];

            if (ctx->info[i].next != i && !(ctx->info[i].next & 0x8000)) {
                ctx->info[i].next |= 0x8000; /* seen: list it once */
                ctx->linked[n++] = i;
            }
        }
        for (int k = 0; k < n; k++) {
            ctx->info[ctx->linked[k]].next &= 0x7fff;
        }
        ctx->nb_linked = n;
    }
    ctx->linked[ctx->nb_linked++] = d;
    ctx->linked[ctx->nb_linked++] = sidx;
    di->prev = si->prev;
    di->next = sidx;
    ctx->info[si->prev].next = d;
    si->prev = d;
}

static void reset_outputs(OptContext *ctx, TCGOp *op)
{
    for (int i = 0; i < tcg_op_nb_oargs(op); i++) {
        reset_temp(ctx, arg_temp(op->args[i]));
    }
}

static void propagate_inputs(OptContext *ctx, TCGOp *op)
{
    int nb_o = tcg_op_nb_oargs(op), nb_i = tcg_op_nb_iargs(op);

    for (int i = nb_o; i < nb_o + nb_i; i++) {
        if (op->args[i]) {
            op->args[i] = temp_arg(best_copy(ctx, arg_temp(op->args[i])));
        }
    }
}

/* Op rewriting */

static void label_unref(TCGArg a)
{
    TCGLabel *l = arg_label(a);

    if (l && l->refs > 0) {
        l->refs--;
    }
}

static void remove_op(TCGOp *op)
{
    if (op->opc == INDEX_op_br) {
        label_unref(op->args[0]);
    } else if (op->opc == INDEX_op_brcond) {
        label_unref(op->args[3]);
    } else if (op->opc == INDEX_op_exit_check) {
        label_unref(op->args[0]);
    }
    op->opc = INDEX_op_nop;
}

static void rewrite_op(TCGOp *op, TCGOpcode opc, TCGArg a0, TCGArg a1)
{
    op->opc = opc;
    memset(op->args, 0, sizeof(op->args));
    op->args[0] = a0;
    op->args[1] = a1;
}

/* "mov dst, src": drop it if dst already equals src, else track it. */
static void fold_mov(OptContext *ctx, TCGOp *op)
{
    TCGTemp *dst = arg_temp(op->args[0]);
    TCGTemp *src = best_copy(ctx, arg_temp(op->args[1]));

    if (temps_are_copies(ctx, dst, src)) {
        remove_op(op);
        return;
    }
    op->args[1] = temp_arg(src);
    reset_temp(ctx, dst);
    if (dst->type == src->type) {
        add_copy(ctx, dst, src);
    }
}

static void make_mov(OptContext *ctx, TCGOp *op, TCGTemp *src)
{
    rewrite_op(op, INDEX_op_mov, op->args[0], temp_arg(src));
    fold_mov(ctx, op);
}

static int64_t canon_val(TCGType type, uint64_t v)
{
    return type == TCG_TYPE_I32 ? (int64_t)(int32_t)v : (int64_t)v;
}

/*
 * Rewrite op into "mov out, $v".  False (op unchanged) when the constant
 * might need a new temp and none is left: the pass must not abort a TB.
 */
static bool make_movi(OptContext *ctx, TCGOp *op, uint64_t v)
{
    if (ctx->s->nb_temps >= TCG_MAX_TEMPS) {
        return false;
    }
    make_mov(ctx, op, tcg_constant_internal(op->type, canon_val(op->type, v)));
    return true;
}

static bool is_const(TCGTemp *ts)
{
    return ts->kind == TEMP_CONST;
}

/* Constant evaluation */

static unsigned type_bits(TCGType type)
{
    return type == TCG_TYPE_I32 ? 32 : 64;
}

static uint64_t field_mask(unsigned len)
{
    return len >= 64 ? UINT64_MAX : ((uint64_t)1 << len) - 1;
}

/* The len-bit field of x at pos, sign-extended; 0 < len, pos + len <= 64. */
static uint64_t sextract64(uint64_t x, unsigned pos, unsigned len)
{
    return (uint64_t)((int64_t)(x << (64 - pos - len)) >> (64 - len));
}

static uint64_t rol(uint64_t x, unsigned n, unsigned w)
{
    uint64_t m = field_mask(w);

    x &= m;
    return n ? ((x << n) | (x >> (w - n))) & m : x;
}

/*
 * 1: cond(x, y) holds, 0: it does not; compared in the width of type.
 * Uses the TCGCond encoding: bit 0 inverts, bits 1/2 select a signed or
 * unsigned "less than", bit 3 adds equality.
 */
static int eval_cond(TCGType type, uint64_t x, uint64_t y, TCGCond c)
{
    int64_t sx = canon_val(type, x), sy = canon_val(type, y);
    uint64_t ux = sx, uy = sy; /* sign extension keeps unsigned order */
    bool eq = ux == uy, r = false;

    if (c & 6) {
        r = is_unsigned_cond(c) ? ux < uy : sx < sy;
    }
    if (c & 8) {
        r = r || eq;
    }
    return (c & 1) ? !r : r;
}

/*
 * The result of cond(a, b) if it is known without running: 1 or 0; -1
 * when unknown.  a and b are already replaced by their best copies, so
 * equal temps are copies.
 */
static int known_cond(TCGType type, TCGTemp *a, TCGTemp *b, TCGCond c)
{
    if (c == TCG_COND_ALWAYS || c == TCG_COND_NEVER) {
        return c == TCG_COND_ALWAYS;
    }
    if (is_const(a) && is_const(b)) {
        return eval_cond(type, a->val, b->val, c);
    }
    if (a == b) {
        return eval_cond(type, 0, 0, c);
    }
    if (is_const(b) && (b->val & field_mask(type_bits(type))) == 0 &&
        (c == TCG_COND_LTU || c == TCG_COND_GEU)) {
        return c == TCG_COND_GEU; /* x <u 0 never holds */
    }
    return -1;
}

/* mul high, div and rem; false when the op must be left to run time. */
static bool eval_muldiv(TCGOpcode opc, bool is64, uint64_t x, uint64_t y,
                        uint64_t *r)
{
    int64_t sx = is64 ? (int64_t)x : (int32_t)x;
    int64_t sy = is64 ? (int64_t)y : (int32_t)y;
    uint64_t ux = is64 ? x : (uint32_t)x, uy = is64 ? y : (uint32_t)y;
    int64_t smin = is64 ? INT64_MIN : INT32_MIN;

    switch (opc) {
    case INDEX_op_muluh:
        *r = is64 ? (uint64_t)(((unsigned __int128)x * y) >> 64)
                  : (ux * uy) >> 32;
        return true;
    case INDEX_op_mulsh:
        *r = is64 ? (uint64_t)(((__int128)sx * sy) >> 64)
                  : (uint64_t)((sx * sy) >> 32);
        return true;
    case INDEX_op_div:
    case INDEX_op_rem:
        if (sy == 0 || (sx == smin && sy == -1)) {
            return false;
        }
        *r = opc == INDEX_op_div ? sx / sy : sx % sy;
        return true;
    case INDEX_op_divu:
    case INDEX_op_remu:
        if (uy == 0) {
            return false;
        }
        *r = opc == INDEX_op_divu ? ux / uy : ux % uy;
        return true;
    default:
        return false;
    }
}

/* Shifts, rotates, bit counts and byte swaps. */
static bool eval_bits(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y,
                      uint64_t *r)
{
    unsigned w = type_bits(type), n = y & (w - 1);
    uint64_t ux = w == 64 ? x : (uint32_t)x;

    switch (opc) {
    case INDEX_op_shl:
        *r = ux << n;
        return true;
    case INDEX_op_shr:
        *r = ux >> n;
        return true;
    case INDEX_op_sar:
        *r = (uint64_t)(canon_val(type, x) >> n);
        return true;
    case INDEX_op_rotl:
        *r = rol(ux, n, w);
        return true;
    case INDEX_op_rotr:
        *r = rol(ux, (w - n) & (w - 1), w);
        return true;
    case INDEX_op_clz:
        *r = !ux       ? y
             : w == 64 ? __builtin_clzll(ux)
                       : __builtin_clz((uint32_t)ux);
        return true;
    case INDEX_op_ctz:
        *r = !ux ? y : (uint64_t)__builtin_ctzll(ux);
        return true;
    case INDEX_op_ctpop:
        *r = __builtin_popcountll(ux);
        return true;
    case INDEX_op_bswap16:
        *r = ((x & 0xff) << 8) | ((x >> 8) & 0xff);
        return true;
    case INDEX_op_bswap32:
        *r = __builtin_bswap32((uint32_t)x);
        return true;
    case INDEX_op_bswap64:
        *r = __builtin_bswap64(x);
        return true;
    default:
        return eval_muldiv(opc, w == 64, x, y, r);
    }
}

/* Extensions: the bits kept, negative for a sign extension. */
static const int8_t ext_bits[NB_OPS] = {
    [INDEX_op_ext8s] = -8,         [INDEX_op_ext8u] = 8,
    [INDEX_op_ext16s] = -16,       [INDEX_op_ext16u] = 16,
    [INDEX_op_ext32s] = -32,       [INDEX_op_ext32u] = 32,
    [INDEX_op_ext_i32_i64] = -32,  [INDEX_op_extu_i32_i64] = 32,
    [INDEX_op_extrl_i64_i32] = 32,
};

/*
 * Evaluate a one-output ALU op on constant inputs x (and y).  The result
 * is exact in the low bits of the op's width; false: not foldable.
 */
static bool eval_op(TCGOpcode opc, TCGType type, uint64_t x, uint64_t y,
                    uint64_t *r)
{
    switch (opc) {
    case INDEX_op_neg:
        y = x;
        x = 0;
        /* fall through */
    case INDEX_op_sub:
        *r = x - y;
        return true;
    case INDEX_op_add:
        *r = x + y;
        return true;
    case INDEX_op_mul:
        *r = x * y;
        return true;
    case INDEX_op_andc:
        y = ~y;
        /* fall through */
    case INDEX_op_and:
        *r = x & y;
        return true;
    case INDEX_op_orc:
        y = ~y;
        /* fall through */
    case INDEX_op_or:
        *r = x | y;
        return true;
    case INDEX_op_not:
        y = 0;
        /* fall through */
    case INDEX_op_eqv:
        y = ~y;
        /* fall through */
    case INDEX_op_xor:
        *r = x ^ y;
        return true;
    case INDEX_op_nand:
        *r = ~(x & y);
        return true;
    case INDEX_op_nor:
        *r = ~(x | y);
        return true;
    default:
        break;
    }
    if (ext_bits[opc]) {
        int bits = ext_bits[opc];

        *r = bits < 0 ? sextract64(x, 0, -bits) : x & field_mask(bits);
        return true;
    }
    return eval_bits(opc, type, x, y, r);
}

/* Folding */

static bool is_commutative(TCGOpcode opc)
{
    switch (opc) {
    case INDEX_op_add:
    case INDEX_op_mul:
    case INDEX_op_muluh:
    case INDEX_op_mulsh:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_eqv:
    case INDEX_op_nand:
    case INDEX_op_nor:
        return true;
    default:
        return false;
    }
}

/* The result of an identity (see identities[]). */
enum {
    R_NONE,  /* no identity applies */
    R_A,     /* the first input */
    R_ZERO,  /* 0 */
    R_ONES,  /* -1 */
    R_NOT_A, /* ~first input */
    R_NEG_B, /* -second input */
};

/*
 * Identities of op(a, b): with a and b the same temp (same), with b the
 * constant 0, -1 or 1 (b0, bm1, b1; shift counts taken modulo the width),
 * with a the constant 0 or -1 (a0, am1).
 */
static const struct {
    uint8_t same, b0, bm1, b1, a0, am1;
} identities[NB_OPS] = {
    [INDEX_op_add] = {.b0 = R_A},
    [INDEX_op_sub] = {.same = R_ZERO, .b0 = R_A, .a0 = R_NEG_B},
    [INDEX_op_mul] = {.b0 = R_ZERO, .b1 = R_A},
    [INDEX_op_muluh] = {.b0 = R_ZERO},
    [INDEX_op_mulsh] = {.b0 = R_ZERO},
    [INDEX_op_div] = {.b1 = R_A},
    [INDEX_op_divu] = {.b1 = R_A},
    [INDEX_op_rem] = {.b1 = R_ZERO},
    [INDEX_op_remu] = {.b1 = R_ZERO},
    [INDEX_op_and] = {.same = R_A, .b0 = R_ZERO, .bm1 = R_A},
    [INDEX_op_or] = {.same = R_A, .b0 = R_A, .bm1 = R_ONES},
    [INDEX_op_xor] = {.same = R_ZERO, .b0 = R_A, .bm1 = R_NOT_A},
    [INDEX_op_andc] = {.same = R_ZERO, .b0 = R_A, .bm1 = R_ZERO, .a0 = R_ZERO},
    [INDEX_op_orc] = {.same = R_ONES, .b0 = R_ONES, .bm1 = R_A},
    [INDEX_op_eqv] = {.same = R_ONES, .b0 = R_NOT_A, .bm1 = R_A},
    [INDEX_op_nand] = {.same = R_NOT_A, .b0 = R_ONES, .bm1 = R_NOT_A},
    [INDEX_op_nor] = {.same = R_NOT_A, .b0 = R_NOT_A, .bm1 = R_ZERO},
    [INDEX_op_shl] = {.b0 = R_A, .a0 = R_ZERO},
    [INDEX_op_shr] = {.b0 = R_A, .a0 = R_ZERO},
    [INDEX_op_sar] = {.b0 = R_A, .a0 = R_ZERO, .am1 = R_ONES},
    [INDEX_op_rotl] = {.b0 = R_A, .a0 = R_ZERO, .am1 = R_ONES},
    [INDEX_op_rotr] = {.b0 = R_A, .a0 = R_ZERO, .am1 = R_ONES},
};

static int identity_of(TCGOp *op, TCGTemp *a, TCGTemp *b)
{
    TCGOpcode opc = op->opc;
    unsigned w = type_bits(op->type);
    uint64_t m = field_mask(w), y = b->val & m;

    if (a == b) {
        return identities[opc].same;
    }
    if (is_const(b)) {
        if (opc >= INDEX_op_shl && opc <= INDEX_op_rotr) {
            y &= w - 1;
        }
        return y == 0   ? identities[opc].b0
               : y == m ? identities[opc].bm1
               : y == 1 ? identities[opc].b1
                        : R_NONE;
    }
    if (is_const(a)) {
        return (a->val & m) == 0   ? identities[opc].a0
               : (a->val & m) == m ? identities[opc].am1
                                   : R_NONE;
    }
    return R_NONE;
}

/* Apply an algebraic identity to a two-input ALU op; true if applied. */
static bool fold_identity(OptContext *ctx, TCGOp *op)
{
    TCGTemp *a = arg_temp(op->args[1]), *b = arg_temp(op->args[2]);

    switch (identity_of(op, a, b)) {
    case R_ZERO:
        return make_movi(ctx, op, 0);
    case R_ONES:
        return make_movi(ctx, op, -1);
    case R_A:
        make_mov(ctx, op, a);
        return true;
    case R_NOT_A:
        rewrite_op(op, INDEX_op_not, op->args[0], temp_arg(a));
        reset_outputs(ctx, op);
        return true;
    case R_NEG_B:
        rewrite_op(op, INDEX_op_neg, op->args[0], temp_arg(b));
        reset_outputs(ctx, op);
        return true;
    default:
        return false;
    }
}

/*
 * "and d, a, 0xff" (0xffff, and 0xffffffff on i64) is a zero extension:
 * movzx (mov r32, r32) writes d directly, where x86's two-operand and
 * first copies a to d when a lives on (zext.b, zext.h, zext.w).
 */
static void fold_and_zext(TCGOp *op, TCGTemp *b)
{
    uint64_t y = b->val & field_mask(type_bits(op->type));

    if (y == 0xff || y == 0xffff ||
        (y == 0xffffffff && op->type == TCG_TYPE_I64)) {
        rewrite_op(op,
                   y == 0xff     ? INDEX_op_ext8u
                   : y == 0xffff ? INDEX_op_ext16u
                                 : INDEX_op_ext32u,
                   op->args[0], op->args[1]);
    }
}

/* Fold a one-output ALU op (1 or 2 inputs, no constant args). */
static void fold_alu(OptContext *ctx, TCGOp *op)
{
    int nb_i = tcg_op_nb_iargs(op);
    TCGTemp *a = nb_i > 0 ? arg_temp(op->args[1]) : NULL;
    TCGTemp *b = nb_i > 1 ? arg_temp(op->args[2]) : NULL;
    uint64_t r;

    if (!a) {
        reset_outputs(ctx, op);
        return;
    }
    if (b && is_commutative(op->opc) && is_const(a) && !is_const(b)) {
        op->args[1] = temp_arg(b);
        op->args[2] = temp_arg(a);
        a = arg_temp(op->args[1]);
        b = arg_temp(op->args[2]);
    }
    if (is_const(a) && (!b || is_const(b)) &&
        eval_op(op->opc, op->type, a->val, b ? b->val : 0, &r) &&
        make_movi(ctx, op, r)) {
        return;
    }
    if (b && fold_identity(ctx, op)) {
        return;
    }
    if (op->opc == INDEX_op_and && is_const(b)) {
        fold_and_zext(op, b);
    }
    reset_outputs(ctx, op);
}

/* extract/sextract (out, in, pos, len), deposit (out, base, val, pos, len) */
static void fold_bitfield(OptContext *ctx, TCGOp *op)
{
    bool dep = op->opc == INDEX_op_deposit;
    TCGTemp *a = arg_temp(op->args[1]);
    TCGTemp *b = dep ? arg_temp(op->args[2]) : NULL;
    unsigned pos = op->args[dep ? 3 : 2], len = op->args[dep ? 4 : 3];
    unsigned w = type_bits(op->type);
    uint64_t x = a->val & field_mask(w), fm = field_mask(len), r;

    if (len == 0 || pos + len > w) {
        reset_outputs(ctx, op); /* malformed: leave it alone */
        return;
    }
    if (len == w) {
        make_mov(ctx, op, dep ? b : a);
        return;
    }
    if (dep && is_const(a) && is_const(b)) {
        r = (x & ~(fm << pos)) | ((b->val & fm) << pos);
    } else if (op->opc == INDEX_op_extract && is_const(a)) {
        r = (x >> pos) & fm;
    } else if (op->opc == INDEX_op_sextract && is_const(a)) {
        r = sextract64(x, pos, len);
    } else {
        reset_outputs(ctx, op);
        return;
    }
    if (!make_movi(ctx, op, r)) {
        reset_outputs(ctx, op);
    }
}

/*
 * Put a constant compared operand second: args[i] and args[i + 1] are
 * compared with the condition in args[ci].  Returns the condition.
 */
static TCGCond swap_const_first(TCGOp *op, int i, int ci, TCGTemp **a,
                                TCGTemp **b)
{
    TCGTemp *t = *a;

    if (is_const(*a) && !is_const(*b)) {
        *a = *b;
        *b = t;
        op->args[i] = temp_arg(*a);
        op->args[i + 1] = temp_arg(*b);
        op->args[ci] = tcg_swap_cond(op->args[ci]);
    }
    return op->args[ci];
}

/* setcond (out, a, b, cond) */
static void fold_setcond(OptContext *ctx, TCGOp *op)
{
    TCGTemp *a = arg_temp(op->args[1]), *b = arg_temp(op->args[2]);
    TCGCond c = swap_const_first(op, 1, 3, &a, &b);
    int k;

    k = known_cond(op->type, a, b, c);
    if (k < 0 || !make_movi(ctx, op, k)) {
        reset_outputs(ctx, op);
    }
}

/* movcond (out, c1, c2, v1, v2, cond): out = cond(c1, c2) ? v1 : v2 */
static void fold_movcond(OptContext *ctx, TCGOp *op)
{
    TCGTemp *a = arg_temp(op->args[1]), *b = arg_temp(op->args[2]);
    TCGTemp *v1 = arg_temp(op->args[3]), *v2 = arg_temp(op->args[4]);
    TCGCond c = swap_const_first(op, 1, 5, &a, &b);
    int k;

    k = v1 == v2 ? 1 : known_cond(op->type, a, b, c);
    if (k >= 0) {
        make_mov(ctx, op, k ? v1 : v2);
    } else {
        reset_outputs(ctx, op);
    }
}

/* brcond (a, b, cond, label) */
static void fold_brcond(TCGOp *op)
{
    TCGTemp *a = arg_temp(op->args[0]), *b = arg_temp(op->args[1]);
    TCGCond c = swap_const_first(op, 0, 2, &a, &b);
    TCGArg label = op->args[3];
    int k;

    k = known_cond(op->type, a, b, c);
    if (k == 0) {
        remove_op(op);
    } else if (k == 1) {
        rewrite_op(op, INDEX_op_br, label, 0);
    }
}

/* Block ends, unreachable code and barriers */

static bool touches_memory(TCGOpcode opc)
{
    const TCGOpDef *def = &tcg_op_defs[opc];

    if (def->flags &
        (TCG_OPF_SIDE_EFFECTS | TCG_OPF_BB_END | TCG_OPF_CALL_CLOBBER)) {
        return true;
    }
    return opc == INDEX_op_set_label ||
           (opc >= INDEX_op_ld8u && opc <= INDEX_op_ld);
}

static void fold_mb(OptContext *ctx, TCGOp *op)
{
    if (ctx->prev_mb) {
        ctx->prev_mb->args[0] |= op->args[0];
        remove_op(op);
    } else {
        ctx->prev_mb = op;
    }
}

/* In unreachable code: true if op must still be processed. */
static bool reachable_again(OptContext *ctx, TCGOp *op)
{
    if (op->opc == INDEX_op_insn_start) {
        return false;
    }
    if (op->opc != INDEX_op_set_label) {
        remove_op(op);
        return false;
    }
    if (ctx->last_br && ctx->last_br->args[0] == op->args[0]) {
        remove_op(ctx->last_br); /* br to the very next label */
    } else if (ctx->last_br && ctx->br_prev &&
               ctx->br_prev->opc == INDEX_op_brcond &&
               ctx->br_prev->args[3] == op->args[0]) {
        /* brcond over a br to the very next label: branch to the br's. */
        TCGOp *bc = ctx->br_prev;

        label_unref(bc->args[3]);
        bc->args[2] = tcg_invert_cond((TCGCond)bc->args[2]);
        bc->args[3] = ctx->last_br->args[0]; /* the br's reference moves */
        ctx->last_br->opc = INDEX_op_nop;
    }
    ctx->unreachable = false;
    ctx->last_br = NULL;
    return true;
}

static void fold_call(OptContext *ctx, TCGOp *op)
{
    unsigned flags = op->args[op->callo + op->calli + 1];

    propagate_inputs(ctx, op);
    if (!(flags & TCG_CALL_NO_WRITE_GLOBALS)) {
        reset_globals(ctx);
    }
    reset_outputs(ctx, op);
}

/*
 * Known extensions.  A temp's ext (valid while its xgen is the context's,
 * which reset_all_temps bumps at every block end) says what is known of
 * its I64 value since it was last written in this extended basic block
(or, for a global, known at the loop head the block starts: loopx_head):
 * KX_S32, it equals the sign extension of its low 32 bits; KX_U32, the
 * zero extension.  Set from the op that wrote it (set_known_ext), cleared
 * by reset_temp.  fold_ext_known turns an extension of a value that is
 * extended already into a mov: "addiw s1, a2, 0" (sext.w) after a "mulw"
 * or an "lw", zext.w after an "lwu" or a "srliw".
 */
enum {
    KX_S32 = 1,
    KX_U32 = 2,
    KX_BOTH = KX_S32 | KX_U32 /* the value is below 2^31 */
};

static unsigned ext_of_value(uint64_t v)
{
    return (v == (uint64_t)(int64_t)(int32_t)v ? KX_S32 : 0) |
           (v == (uint32_t)v ? KX_U32 : 0);
}

static unsigned known_ext(OptContext *ctx, TCGTemp *ts)
{
    int i;

    if (ts->type != TCG_TYPE_I64) {
        return 0;
    }
    if (ts->kind == TEMP_CONST) {
        return ext_of_value(ts->val);
    }
    i = temp_idx(ctx, ts);
    return ctx->info[i].xgen == ctx->xgen ? ctx->info[i].ext : 0;
}

/* What is known of the extension of a logical op's result. */
static unsigned ext_of_logic(const TCGOp *op, unsigned ka, unsigned kb)
{
    if (op->opc != INDEX_op_and) {
        return ka & kb; /* or, xor */
    }
    if (ka == KX_BOTH || kb == KX_BOTH) {
        return KX_BOTH;
    }
    return (ka & kb & KX_S32) | ((ka | kb) & KX_U32);
}

/*
 * muluh x, c (either way round) is x * c / 2^64 < c for a constant c: the
 * remainder of a division by a constant (gen_div_const's Lemire form,
 * `remuw a5, a5, t3` with t3 = 37) needs no sign extension.
 */
static unsigned ext_of_muluh(const TCGOp *op)
{
    TCGTemp *a = arg_temp(op->args[1]), *b = arg_temp(op->args[2]);
    uint64_t c;

    if (!is_const(a) && !is_const(b)) {
        return 0;
    }
    c = is_const(a) ? (uint64_t)a->val : (uint64_t)b->val;
    return c <= 1ull << 31 ? KX_BOTH : c <= 1ull << 32 ? KX_U32 : 0;
}

/*
 * The known extension of the value op writes to its first output, given
 * those of its first two inputs (k1, k2: read for mov, and, or, xor only).
 */
static unsigned ext_of_op_in(const TCGOp *op, unsigned k1, unsigned k2)
{
    unsigned len;

    switch (op->opc) {
    case INDEX_op_mov:
        return k1;
    case INDEX_op_ext32s:
    case INDEX_op_ext_i32_i64:
    case INDEX_op_ext8s:
    case INDEX_op_ext16s:
        return KX_S32;
    case INDEX_op_ext32u:
    case INDEX_op_extu_i32_i64:
        return KX_U32;
    case INDEX_op_ext8u:
    case INDEX_op_ext16u:
    case INDEX_op_setcond:
        return KX_BOTH;
    case INDEX_op_qemu_ld:
        switch (op->args[2] & (MO_SIZE | MO_SIGN)) {
        case MO_UB:
        case MO_UW:
            return KX_BOTH;
        case MO_UL:
            return KX_U32;
        case MO_SB:
        case MO_SW:
        case MO_SL:
            return KX_S32;
        default:
            return 0;
        }
    case INDEX_op_extract:
        len = op->args[3];
        return len < 32 ? KX_BOTH : len == 32 ? KX_U32 : 0;
    case INDEX_op_sextract:
        return op->args[3] <= 32 ? KX_S32 : 0;
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
        return ext_of_logic(op, k1, k2);
    case INDEX_op_muluh:
        return ext_of_muluh(op);
    case INDEX_op_shr:
    case INDEX_op_sar:
        if (!is_const(arg_temp(op->args[2]))) {
            return 0;
        }
        len = arg_temp(op->args[2])->val & 63; /* the count */
        if (op->opc == INDEX_op_sar) {
            return len >= 32 ? KX_S32 : 0;
        }
        return len > 32 ? KX_BOTH : len == 32 ? KX_U32 : 0;
    default:
        return 0;
    }
}

/* Whether ext_of_op_in reads k1 (and k2 unless mov). */
static bool ext_reads_inputs(TCGOpcode opc)
{
    return opc == INDEX_op_mov || opc == INDEX_op_and || opc == INDEX_op_or ||
           opc == INDEX_op_xor;
}

/* The known extension of the value op writes to its first output. */
static unsigned ext_of_op(OptContext *ctx, TCGOp *op)
{
    unsigned k1 = 0, k2 = 0;

    if (ext_reads_inputs(op->opc)) {
        k1 = known_ext(ctx, arg_temp(op->args[1]));
        if (op->opc != INDEX_op_mov) {
            k2 = known_ext(ctx, arg_temp(op->args[2]));
        }
    }
    return ext_of_op_in(op, k1, k2);
}

/* Record the known extension of what op (not a nop) wrote. */
static void set_known_ext(OptContext *ctx, TCGOp *op)
{
    int nb_o = tcg_op_nb_oargs(op);

    for (int i = 0; i < nb_o; i++) {
        TCGTemp *ts = arg_temp(op->args[i]);
        /* from the inputs' ext, before the output's own is replaced */
        unsigned ext =
            i == 0 && op->type == TCG_TYPE_I64 && ts->type == TCG_TYPE_I64
                ? ext_of_op(ctx, op)
                : 0;
        TempInfo *ti = &ctx->info[temp_idx(ctx, ts)];

        ti->xgen = ctx->xgen;
        ti->ext = (uint8_t)ext;
    }
}

/*
 * Known extensions at a loop head.  A label that the code before it falls
 * into and that no branch seen before it goes to (lab_fwd) is a loop head
 * inside the TB (threads' "x ^= x << 13" loop, entered after the loop
 * that fills buf): the extensions its globals have on the fall-through
 * hold at the head too if every back edge keeps them.  loop_head_ext
 * finds the greatest such set: it assumes the fall-through's extensions
 * at the head, walks the body up to its last back edge on a scratch table
 * (ext_of_op_in; an inner label forgets everything, a call every global),
 * ANDs in what each back edge has, and walks again until nothing changes
 * (at most LOOPX_ROUNDS walks, else nothing is kept).  By induction over
 * the iterations the set holds at every arrival at the head.  The body is
 * walked before it is folded: folding keeps every value, so what the walk
 * finds holds for the folded ops too.  The back edges are counted against
 * the label's refs: a branch to it of a kind the walk does not know, or
 * one outside the body, keeps nothing.
 */
#define LOOPX_ROUNDS 4

static TCGLabel *branch_label(const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_br:
    case INDEX_op_exit_check:
        return arg_label(op->args[0]);
    case INDEX_op_brcond:
        return arg_label(op->args[3]);
    default:
        return NULL;
    }
}

static unsigned loopx_known(TCGContext *s, const uint8_t *x, TCGArg a)
{
    TCGTemp *ts = arg_temp(a);

    if (ts->type != TCG_TYPE_I64) {
        return 0;
    }
    if (ts->kind == TEMP_CONST) {
        return ext_of_value(ts->val);
    }
    return x[ts - s->temps];
}

/* One op of the walk: x[] gets what op writes. */
static void loopx_op(TCGContext *s, const TCGOp *op, uint8_t *x)
{
    int nb_o = tcg_op_nb_oargs(op);
    unsigned k1 = 0, k2 = 0, e = 0;

    if (op->opc == INDEX_op_call) {
        memset(x, 0, s->nb_globals); /* it may write any global */
    }
    if (nb_o == 0) {
        return;
    }
    if (ext_reads_inputs(op->opc)) {
        k1 = loopx_known(s, x, op->args[1]);
        k2 = op->opc == INDEX_op_mov ? 0 : loopx_known(s, x, op->args[2]);
    }
    if (op->opc != INDEX_op_call && op->type == TCG_TYPE_I64) {
        e = ext_of_op_in(op, k1, k2); /* from the inputs, before writing */
    }
    for (int i = 0; i < nb_o; i++) {
        TCGTemp *ts = arg_temp(op->args[i]);

        x[ts - s->temps] = i == 0 && ts->type == TCG_TYPE_I64 ? e : 0;
    }
}

/*
 * The known extensions (kx[], one per global) at the loop head that
 * ops[i] sets, entered from ctx's state by falling through; whether any.
 */
static bool loop_head_ext(OptContext *ctx, int i, uint8_t *kx)
{
    TCGContext *s = ctx->s;
    TCGLabel *l = arg_label(s->ops[i].args[0]);
    int ng = s->nb_globals, nt = s->nb_temps, nc = 0;
    uint16_t cand[TCG_MAX_TEMPS]; /* the globals with a kx */
    uint8_t x[TCG_MAX_TEMPS];

    for (int g = 0; g < ng; g++) {
        kx[g] = (uint8_t)known_ext(ctx, &s->temps[g]);
        if (kx[g]) {
            cand[nc++] = (uint16_t)g;
        }
    }
    for (int round = 0; nc && round < LOOPX_ROUNDS; round++) {
        unsigned seen = 0;
        bool changed = false;

        memset(x, 0, nt);
        for (int c = 0; c < nc; c++) {
            x[cand[c]] = kx[cand[c]];
        }
        for (int j = i + 1; j < s->nb_ops && seen < l->refs; j++) {
            const TCGOp *op = &s->ops[j];

            if (op->opc == INDEX_op_set_label) {
                memset(x, 0, nt); /* an inner join: unknown */
                continue;
            }
            if (branch_label(op) == l) {
                int n = 0;

                seen++;
                for (int c = 0; c < nc; c++) {
                    int g = cand[c];
                    uint8_t k = kx[g] & x[g];

                    changed |= k != kx[g];
                    kx[g] = k;
                    if (k) {
                        cand[n++] = (uint16_t)g;
                    }
                }
                nc = n;
                if (!nc) {
                    return false;
                }
            }
            loopx_op(s, op, x);
        }
        if (seen != l->refs) {
            return false; /* a branch the walk did not find */
        }
        if (!changed) {
            return true;
        }
    }
    return false;
}

/* Labels: mark the set ones, and those a branch reached before them. */
static void loopx_note(OptContext *ctx, const TCGOp *op)
{
    TCGLabel *l;

    if (op->opc == INDEX_op_set_label) {
        l = arg_label(op->args[0]);
        ctx->lab_set[l->id / 64] |= 1ull << (l->id % 64);
    } else if ((l = branch_label(op)) != NULL &&
               !(ctx->lab_set[l->id / 64] & (1ull << (l->id % 64)))) {
        ctx->lab_fwd[l->id / 64] |= 1ull << (l->id % 64);
    }
}

/* ops[i], a set_label reached by falling through: a head with any kx? */
static bool loopx_head(OptContext *ctx, int i, uint8_t *kx)
{
    const TCGLabel *l = arg_label(ctx->s->ops[i].args[0]);

    if (l->id >= TCG_MAX_LABELS || l->refs == 0 ||
        (ctx->lab_fwd[l->id / 64] & (1ull << (l->id % 64)))) {
        return false;
    }
    return loop_head_ext(ctx, i, kx);
}

/* After the head's reset_all_temps: the globals' kx hold again. */
static void loopx_apply(OptContext *ctx, const uint8_t *kx)
{
    for (int g = 0; g < ctx->s->nb_globals; g++) {
        TempInfo *ti = &ctx->info[temp_idx(ctx, &ctx->s->temps[g])];

        ti->xgen = ctx->xgen;
        ti->ext = kx[g];
    }
}

/* An extension (ext32s, ext32u, and 0xffffffff) of an extended value. */
static bool fold_ext_known(OptContext *ctx, TCGOp *op)
{
    unsigned need;
    TCGTemp *a;

    if (op->type != TCG_TYPE_I64) {
        return false;
    }
    switch (op->opc) {
    case INDEX_op_ext32s:
        need = KX_S32;
        break;
    case INDEX_op_ext32u:
        need = KX_U32;
        break;
    case INDEX_op_and:
        if (!is_const(arg_temp(op->args[2])) ||
            arg_temp(op->args[2])->val != 0xffffffff) {
            return false;
        }
        need = KX_U32;
        break;
    default:
        return false;
    }
    a = arg_temp(op->args[1]);
    if (is_const(a) || !(known_ext(ctx, a) & need)) {
        return false; /* constants: fold_alu folds them */
    }
    make_mov(ctx, op, a);
    return true;
}

/*
 * The zext.w idiom "slli a5, a5, 32; srli a5, a5, 32" of a value known to
 * be zero-extended (a remainder by 37, a lwu): the srli gives the value
 * back.  The shl records in its output's info which temp held its input
 * (a member of the input's class that is not a global where there is one:
 * the slli overwrites a5 itself) and that temp's write count; a shr by 32
 * of any copy of that output becomes a mov of the recorded temp while it
 * is unwritten and no block end came between.  The shl is then dead when
 * nothing else reads it.
 */
static void note_shl32(OptContext *ctx, TCGOp *op)
{
    TCGTemp *t = arg_temp(op->args[0]), *x = arg_temp(op->args[1]);
    TCGTemp *temps = ctx->s->temps;
    int ix, src;
    TempInfo *ti;

    if (op->opc != INDEX_op_shl || op->type != TCG_TYPE_I64 ||
        !is_const(arg_temp(op->args[2])) || arg_temp(op->args[2])->val != 32 ||
        t == x || is_const(x) || !(known_ext(ctx, x) & KX_U32)) {
        return;
    }
    ix = src = temp_idx(ctx, x);
    for (int i = ctx->info[ix].next; i != ix; i = ctx->info[i].next) {
        if (kind_rank(temps[i].kind) < kind_rank(temps[src].kind)) {
            src = i;
        }
    }
    ti = &ctx->info[temp_idx(ctx, t)];
    ti->sh_src = (uint16_t)src;
    ti->sh_wgen = ctx->info[src].wgen;
    ti->sh_xgen = ctx->xgen;
}

/* "shr d, y, 32" where y is a copy of note_shl32's output: mov d, src. */
static bool fold_shr32(OptContext *ctx, TCGOp *op)
{
    TCGTemp *y = arg_temp(op->args[1]);
    int iy, i;

    if (op->opc != INDEX_op_shr || op->type != TCG_TYPE_I64 ||
        !is_const(arg_temp(op->args[2])) || arg_temp(op->args[2])->val != 32 ||
        is_const(y)) {
        return false;
    }
    i = iy = temp_idx(ctx, y);
    do {
        TempInfo *ti = &ctx->info[i];

        if (ti->sh_xgen == ctx->xgen &&
            ctx->info[ti->sh_src].wgen == ti->sh_wgen) {
            make_mov(ctx, op, &ctx->s->temps[ti->sh_src]);
            return true;
        }
        i = ti->next;
    } while (i != iy);
    return false;
}

/* A candidate of tcg_wlogic_fold: and/or/xor of sign-extended values. */
static void note_wlogic(OptContext *ctx, TCGOp *op)
{
    if ((op->opc == INDEX_op_xor || op->opc == INDEX_op_and ||
         op->opc == INDEX_op_or) &&
        op->type == TCG_TYPE_I64 && ctx->nb_wl < TCG_WLOGIC_MAX &&
        (known_ext(ctx, arg_temp(op->args[1])) & KX_S32) &&
        (known_ext(ctx, arg_temp(op->args[2])) & KX_S32)) {
        ctx->wl[ctx->nb_wl++] = (int)(op - ctx->s->ops);
    }
}

static void fold_op(OptContext *ctx, TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_set_label:
    case INDEX_op_insn_start:
        return;
    case INDEX_op_mb:
        fold_mb(ctx, op);
        return;
    case INDEX_op_call:
        fold_call(ctx, op);
        return;
    case INDEX_op_discard:
        reset_outputs(ctx, op);
        return;
    default:
        break;
    }
    propagate_inputs(ctx, op);
    if (fold_ext_known(ctx, op) || fold_shr32(ctx, op)) {
        return;
    }
    note_wlogic(ctx, op);
    switch (op->opc) {
    case INDEX_op_mov:
        fold_mov(ctx, op);
        break;
    case INDEX_op_brcond:
        fold_brcond(op);
        break;
    case INDEX_op_setcond:
        fold_setcond(ctx, op);
        break;
    case INDEX_op_movcond:
        fold_movcond(ctx, op);
        break;
    case INDEX_op_extract:
    case INDEX_op_sextract:
    case INDEX_op_deposit:
        fold_bitfield(ctx, op);
        break;
    case INDEX_op_ext32s_chk:
        /* ext32s with a hint (const arg): fold a constant, else opaque */
        if (is_const(arg_temp(op->args[1]))) {
            make_movi(ctx, op,
                      (uint64_t)(int64_t)(int32_t)arg_temp(op->args[1])->val);
        } else {
            reset_outputs(ctx, op);
        }
        break;
    default:
        if (tcg_op_nb_oargs(op) == 1 && tcg_op_nb_cargs(op) == 0 &&
            !(tcg_op_defs[op->opc].flags & TCG_OPF_SIDE_EFFECTS)) {
            fold_alu(ctx, op);
        } else {
            reset_outputs(ctx, op);
        }
        break;
    }
}

/*
 * W-op chains.  "ext32s A, T1; ...; op T2, A, X; ...; ext32s A, T2" (op
 * add, sub, mul, and, or, xor or shl: the low 32 bits of its result depend
 * only on the low 32 bits of its inputs) is RISC-V's "mulw a4, a4, a7; ...;
 * addw a4, a4, a6": the first sign extension changes no bit the second one
 * keeps.  When nothing else reads A in between, and nothing in between can
 * see it (no block end, call, guest access or other op with side effects:
 * no fault, exit or helper observes the intermediate A), and T2 is an EBB
 * temp read only by the second ext32s, op reads T1 and the first ext32s is
 * removed: one movsxd less on the chain (hashtab's make_key LCG, session
 * 11).  The ops in between are looked at up to WCHAIN_WINDOW.
 */
#define WCHAIN_WINDOW 48

static bool wchain_low32_op(const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_add:
    case INDEX_op_sub:
    case INDEX_op_mul:
    case INDEX_op_and:
    case INDEX_op_or:
    case INDEX_op_xor:
    case INDEX_op_shl:
        return op->type == TCG_TYPE_I64;
    default:
        return false;
    }
}

static bool wchain_is_ext(const TCGOp *op)
{
    return (op->opc == INDEX_op_ext32s || op->opc == INDEX_op_ext32s_chk) &&
           op->type == TCG_TYPE_I64;
}

bool tcg_temp_read_later(TCGContext *s, int from, const TCGTemp *t)
{
    for (int j = from + 1; j < s->nb_ops; j++) {
        const TCGOp *op = &s->ops[j];

        if (op->opc == INDEX_op_set_label) {
            return false;
        }
        if (op->opc == INDEX_op_call || tcg_op_reads_temp(op, t)) {
            return true; /* a call: its arguments are not looked at */
        }
        if (tcg_op_writes_temp(op, t)) {
            return false;
        }
    }
    return false;
}

/* Fold the chain that ops[i] starts, if any; whether ops[i] was removed. */
static bool fold_wchain_at(TCGContext *s, int i)
{
    TCGOp *op1 = &s->ops[i], *op2 = NULL;
    TCGTemp *a, *t1, *t2 = NULL;
    int end = i + WCHAIN_WINDOW < s->nb_ops ? i + WCHAIN_WINDOW : s->nb_ops;

    if (!wchain_is_ext(op1)) {
        return false;
    }
    a = arg_temp(op1->args[0]);
    t1 = arg_temp(op1->args[1]);
    if (a == t1 || t1->kind != TEMP_EBB) {
        return false;
    }
    for (int j = i + 1; j < end; j++) {
        TCGOp *op = &s->ops[j];
        int flags = tcg_op_defs[op->opc].flags;

        if (op->opc == INDEX_op_nop || op->opc == INDEX_op_insn_start) {
            continue;
        }
        if (op->opc == INDEX_op_call ||
            (flags &
             (TCG_OPF_BB_END | TCG_OPF_SIDE_EFFECTS | TCG_OPF_CALL_CLOBBER))) {
            return false;
        }
        if (op2 && wchain_is_ext(op) && arg_temp(op->args[1]) == t2 &&
            arg_temp(op->args[0]) == a) {
            if (tcg_temp_read_later(s, j, t2)) {
                return false;
            }
            for (int k = 1; k <= 2; k++) {
                if (arg_temp(op2->args[k]) == a) {
                    op2->args[k] = temp_arg(t1);
                }
            }
            op1->opc = INDEX_op_nop;
            return true;
        }
        if (tcg_op_writes_temp(op, a) || (!op2 && tcg_op_writes_temp(op, t1)) ||
            (op2 &&
             (tcg_op_reads_temp(op, t2) || tcg_op_writes_temp(op, t2)))) {
            return false;
        }
        if (tcg_op_reads_temp(op, a)) {
            if (op2 || !wchain_low32_op(op)) {
                return false;
            }
            op2 = op;
            t2 = arg_temp(op->args[0]);
            if (t2->kind != TEMP_EBB || t2 == t1) {
                return false;
            }
        }
    }
    return false;
}

/*
 * muluh/mulsh by a constant: the constant first.  x86's mul takes one
 * factor in rax; the register allocator then loads the constant there
 * ("mov eax, c; mul r") instead of copying r to rax and the constant to a
 * third register ("mov rax, r; mov r9d, c; mul r9"): remuw/divuw by a
 * constant (session 7's reciprocals) each save a mov.  After every other
 * fold, which expects constants second.
 */
static void fold_mulh_const_first(TCGOp *op)
{
    TCGArg t;

    if ((op->opc == INDEX_op_muluh || op->opc == INDEX_op_mulsh) &&
        is_const(arg_temp(op->args[2])) && !is_const(arg_temp(op->args[1]))) {
        t = op->args[1];
        op->args[1] = op->args[2];
        op->args[2] = t;
    }
}

/* The last folds: W-op chains (fold_wchain_at), mulh constants first. */
static void fold_wchains(TCGContext *s)
{
    for (int i = 0; i < s->nb_ops; i++) {
        fold_wchain_at(s, i);
        fold_mulh_const_first(&s->ops[i]);
    }
}

void tcg_optimize(TCGContext *s)
{
    /* Not zero-initialized: info[] is set up lazily by temp_idx. */
    OptContext octx;
    OptContext *ctx = &octx;
    TCGOp *prev = NULL; /* the last op seen, nops and insn_start skipped */
    uint8_t head_kx[TCG_MAX_TEMPS]; /* loopx_head's, per global */

    ctx->s = s;
    ctx->nb_info = 0;
    ctx->seq = 0;
    ctx->xgen = 1;
    ctx->unreachable = false;
    ctx->last_br = NULL;
    ctx->br_prev = NULL;
    ctx->prev_mb = NULL;
    ctx->nb_linked = 0;
    ctx->nb_wl = 0;
    memset(ctx->lab_set, 0, sizeof(ctx->lab_set));
    memset(ctx->lab_fwd, 0, sizeof(ctx->lab_fwd));

    assert(s == tcg_ctx); /* new constants are made in tcg_ctx */
    temp_idx(ctx, &s->temps[s->nb_temps > 0 ? s->nb_temps - 1 : 0]);

    for (int i = 0; i < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i];
        TCGOpcode opc = op->opc;
        bool fall = !ctx->unreachable, head = false;
        int flags;

        if (opc == INDEX_op_nop ||
            (ctx->unreachable && !reachable_again(ctx, op))) {
            continue;
        }
        if (opc != INDEX_op_mb && touches_memory(opc)) {
            ctx->prev_mb = NULL;
        }
        if (opc == INDEX_op_set_label && fall) {
            head = loopx_head(ctx, i, head_kx);
        }
        fold_op(ctx, op);
        if (op->opc != INDEX_op_nop) {
            set_known_ext(ctx, op);
            note_shl32(ctx, op);
        }

        /*
         * Forget everything at a block end that is not a conditional
         * branch, set_label included.  fold_op may have turned a brcond
         * into br, or removed the op.
         */
        opc = op->opc;
        flags = tcg_op_defs[opc].flags;
        if (flags & TCG_OPF_BB_END) {
            loopx_note(ctx, op); /* labels and branches */
        }
        if ((flags & TCG_OPF_BB_END) && !(flags & TCG_OPF_COND_BRANCH)) {
            reset_all_temps(ctx);
            ctx->prev_mb = NULL;
        }
        if (head) {
            loopx_apply(ctx, head_kx);
        }
        if (opc == INDEX_op_br || opc == INDEX_op_exit_tb ||
            opc == INDEX_op_goto_ptr || opc == INDEX_op_goto_lookup) {
            ctx->unreachable = true;
            ctx->last_br = opc == INDEX_op_br ? op : NULL;
            ctx->br_prev = prev;
        }
        if (opc != INDEX_op_nop && opc != INDEX_op_insn_start) {
            prev = op;
        }
    }
    fold_wchains(s);
    tcg_wlogic_fold(s, ctx->wl, ctx->nb_wl);
}
