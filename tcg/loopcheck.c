/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Range checks of guest accesses left out in loops (tcg_loop_checks).
 *
 * A guest access off a base register needs the base checked against the
 * guest space (design.md, "Guest memory accesses") unless its address is
 * known to stay inside the space and its guards.  The guards are
 * TCG_GUEST_GUARD bytes each side, so an access is safe when its base is
 * within D bytes of the space and D + |displacement| + 16 <= the guard:
 * it lands in the space (and succeeds or faults there as a guest fault)
 * or in a guard (a host fault, reported as the guest's SIGSEGV with the
 * exact PC and si_addr).
 *
 * Within a TB, each temp gets a bound D (none: unknown):
 *   - an access off t at displacement d that did not fault leaves t + d
 *     in the space: D(t) = |d| (0 after a check of t itself);
 *   - t = u + c (c a constant), t = u: D(t) = D(u) + |c|, D(u);
 *   - t = u + v or u - v where v is known to be in [0, r] (a masked index:
 *     `andi`, `zext.b`, shifts and adds of constants give r, see
 *     lc_range): D(t) = D(u) + r (threads' `sp + 4 * (x & 255)`);
 *   - a label no later branch goes back to (a forward join), when every
 *     branch to it came before it: the largest of the bounds on the ways
 *     in (intmix's list walk: `lw a3, 8(a5); bne ..., 1f` then `1: ld a5,
 *     0(a5)` needs no check of its own);
 *   - any other write, a call that may write globals, a side effect,
 *     another label: unknown.
 * An induction variable (`lh a5, 0(t1); addi t1, t1, 2; bne ... head`)
 * comes back to the loop head within 2 of the space.  Loop heads are the
 * labels some later branch goes back to (the TB's first label, at its
 * first instruction, and a region's inner loops).  For each, the pass
 * finds bounds H that every conditional branch to it keeps, by a fixed
 * point starting from 0: a temp whose bound still grows after the first
 * round (no access resets it) is dropped.  The candidates are the globals
 * used as bases, then those added to a variable (the `sp` of `add a3, a5,
 * sp`).  Accesses whose base is within
 * bound get MO_NOCHECK.  A head's bounds must hold however it is reached:
 *   - at the TB's entry (the first head), each temp whose head bound some
 *     access relied on is checked (`test [rbp + ofs], r10`) before it;
 *   - where code falls into a head, each such temp whose bound there is
 *     unknown, or larger and above LC_FALL_GROW (rather than grow the
 *     head's bound: entering with `sp - 1024` would leave too little
 *     guard for the index);
 *   - at an unconditional branch to it (a region's outer loop coming back
 *     in with a new row pointer), each such temp whose bound there is
 *     unknown: these are checked (`test reg, r10`, after the pins are
 *     placed for the label).
 * A failed check leaves the TB before the head's first instruction runs
 * (TB_EXIT_PRECHECK at the entry, where the exec loop sets pc to the
 * TB's; TB_EXIT_PRECHECK_PC elsewhere, pins and pc stored); the exec loop
 * runs that one instruction alone with every access checked (CF_NODISP),
 * then goes on: a bad base faults at its own access, with its PC.
 * A check that fails for a base the loop would not use costs one such
 * exit per entry, nothing else.
 */
#include <string.h>

#include "tcg/tcg.h"

#define LC_UNKNOWN 0xffffu
#define LC_LIMIT (TCG_GUEST_GUARD - 16) /* largest bound or range kept */
#define LC_ROUNDS 8
#define LC_LABELS 64     /* forward joins tracked: labels with a smaller id */
#define LC_FALL_GROW 512 /* falling into a head: grow its bound up to this */

_Static_assert(LC_LIMIT < LC_UNKNOWN, "bounds fit uint16_t");
_Static_assert((TCG_LC_HEADS * TCG_LC_MAX) <= 32, "sources fit LCSrc");

/* Bit h * TCG_LC_MAX + k: the bound rests on head h's bound of cand k. */
typedef uint32_t LCSrc;

typedef struct LoopCheckState {
    uint16_t d[TCG_MAX_TEMPS]; /* bound, LC_UNKNOWN if none */
    uint16_t r[TCG_MAX_TEMPS]; /* value in [0, r], LC_UNKNOWN if not known */
    LCSrc src[TCG_MAX_TEMPS];  /* the head bounds d rests on */
    TCGTemp *cand[TCG_LC_MAX]; /* globals used as bases */
    int nb_cand;
    TCGLabel *head[TCG_LC_HEADS];
    int nb_heads;
    uint16_t head_d[TCG_LC_HEADS][TCG_LC_MAX]; /* LC_UNKNOWN: none assumed */
    uint8_t used[TCG_LC_HEADS];    /* the bound let an access skip a check */
    uint8_t grew[TCG_LC_HEADS];    /* a conditional branch needs more */
    uint8_t dropped[TCG_LC_HEADS]; /* one has none */
    uint16_t edge_d[TCG_LC_HEADS][TCG_LC_MAX];
    /* Forward joins: the candidates' bounds met over the branches seen. */
    uint16_t lab_d[LC_LABELS][TCG_LC_MAX];
    LCSrc lab_src[LC_LABELS][TCG_LC_MAX];
    uint16_t lab_seen[LC_LABELS]; /* branches to the label seen so far */
    bool lab_set[LC_LABELS];      /* the label itself was passed */
    bool final;                   /* last pass: mark accesses and edges */
    bool fail;                    /* too many edges, a branch not understood */
    bool free_skip; /* a check left out that rests on no head's bound */
    int nb_edges;
} LoopCheckState;

static int lc_idx(const TCGContext *s, const TCGTemp *ts)
{
    return (int)(ts - s->temps);
}

static int lc_head_of(const LoopCheckState *st, const TCGLabel *l)
{
    for (int h = 0; h < st->nb_heads; h++) {
        if (st->head[h] == l) {
            return h;
        }
    }
    return -1;
}

static void lc_forget_all(TCGContext *s, LoopCheckState *st)
{
    memset(st->d, 0xff, sizeof(st->d[0]) * s->nb_temps);
    memset(st->r, 0xff, sizeof(st->r[0]) * s->nb_temps);
}

static void lc_set(LoopCheckState *st, int i, unsigned d, LCSrc src)
{
    st->d[i] = d > LC_LIMIT ? LC_UNKNOWN : (uint16_t)d;
    st->src[i] = st->d[i] == LC_UNKNOWN ? 0 : src;
}

/* A write of temp @i with nothing known of the value. */
static void lc_kill(LoopCheckState *st, int i)
{
    lc_set(st, i, LC_UNKNOWN, 0);
    st->r[i] = LC_UNKNOWN;
}

static void lc_use(LoopCheckState *st, LCSrc src)
{
    for (; src; src &= src - 1) {
        int b = __builtin_ctz(src);

        st->used[b / TCG_LC_MAX] |= 1u << b % TCG_LC_MAX;
    }
}

/* State at head @h: each candidate at its bound. */
static void lc_enter_head(TCGContext *s, LoopCheckState *st, int h)
{
    lc_forget_all(s, st);
    for (int k = 0; k < st->nb_cand; k++) {
        if (st->head_d[h][k] != LC_UNKNOWN) {
            lc_set(st, lc_idx(s, st->cand[k]), st->head_d[h][k],
                   1u << (h * TCG_LC_MAX + k));
        }
    }
}

/* The ways into a loop head. */
typedef enum LCWay {
    LC_COND, /* a conditional branch: must keep the head's bounds */
    LC_BR,   /* a br: checks the temps that have none there */
    LC_FALL, /* falling in (entering the loop): checks those that have none
                or a larger one above LC_FALL_GROW, rather than grow the
                head's (a small bound costs nothing, a check at each entry
                does) */
} LCWay;

/* A way into head @h at op @oi (see LCWay). */
static void lc_edge(TCGContext *s, LoopCheckState *st, int oi, int h, LCWay way)
{
    bool checkable = way != LC_COND;

    uint8_t mask = 0;

    for (int k = 0; k < st->nb_cand; k++) {
        uint16_t d = st->d[lc_idx(s, st->cand[k])];

        if (st->head_d[h][k] == LC_UNKNOWN) {
            continue;
        }
        if ((d == LC_UNKNOWN && checkable) ||
            (d > st->head_d[h][k] && d > LC_FALL_GROW && way == LC_FALL)) {
            mask |= 1u << k;
        } else if (d == LC_UNKNOWN) {
            st->dropped[h] |= 1u << k;
        } else if (d > st->head_d[h][k]) {
            st->grew[h] |= 1u << k;
            if (d > st->edge_d[h][k]) {
                st->edge_d[h][k] = d;
            }
        }
    }
    if (mask) {
        if (st->nb_edges == TCG_LC_MAX) {
            st->fail = true;
            return;
        }
        if (st->final) {
            s->lc_edge_op[st->nb_edges] = oi;
            s->lc_edge_head[st->nb_edges] = (uint8_t)h;
            s->lc_edge_mask[st->nb_edges] = mask;
        }
        st->nb_edges++;
    }
}

static void lc_access(TCGContext *s, LoopCheckState *st, TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int a = lc_idx(s, arg_temp(op->args[1])); /* qemu_st: value, address */
    uint32_t mop = op->args[2];
    int32_t ofs = memop_ofs(mop);
    unsigned aofs = (unsigned)(ofs < 0 ? -ofs : ofs);
    bool skip = mop & MO_NOCHECK;

    if (!skip && st->d[a] != LC_UNKNOWN &&
        st->d[a] + aofs + 16 <= TCG_GUEST_GUARD) {
        skip = true;
        lc_use(st, st->src[a]);
        st->free_skip |= !st->src[a];
        if (st->final) {
            op->args[2] = mop | MO_NOCHECK;
        }
    }
    if (!skip) {
        lc_set(st, a, 0, 0); /* checked here */
    } else if (st->d[a] == LC_UNKNOWN || aofs <= st->d[a]) {
        lc_set(st, a, aofs, 0); /* the access did not fault */
    }
    for (int i = 0; i < def->nb_oargs; i++) {
        lc_kill(st, lc_idx(s, arg_temp(op->args[i])));
    }
}

/* Small constant of @ts, or -1. */
static long lc_const(const TCGTemp *ts)
{
    if (ts->kind != TEMP_CONST || ts->val < -LC_LIMIT || ts->val > LC_LIMIT) {
        return -1;
    }
    return ts->val < 0 ? -ts->val : ts->val;
}

/* r such that @ts is in [0, r], or LC_UNKNOWN. */
static unsigned lc_range_of(TCGContext *s, const LoopCheckState *st,
                            const TCGTemp *ts)
{
    if (ts->kind == TEMP_CONST) {
        return ts->val >= 0 && ts->val <= LC_LIMIT ? (unsigned)ts->val
                                                   : LC_UNKNOWN;
    }
    return st->r[lc_idx(s, ts)];
}

/*
 * The range [0, r] of @op's output (a masked index: `andi a3, a4, 255;
 * slli a3, a3, 2; addi a3, a3, 1024`), or LC_UNKNOWN.
 */
static unsigned lc_range(TCGContext *s, const LoopCheckState *st,
                         const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    unsigned rx, ry = LC_UNKNOWN;

    if (op->type != TCG_TYPE_I64 || def->nb_oargs != 1 || def->nb_iargs < 1) {
        return LC_UNKNOWN;
    }
    rx = lc_range_of(s, st, arg_temp(op->args[1]));
    if (def->nb_iargs > 1) {
        ry = lc_range_of(s, st, arg_temp(op->args[2]));
    }
    switch (op->opc) {
    case INDEX_op_mov:
    case INDEX_op_ext32u:
    case INDEX_op_ext32s: /* r <= LC_LIMIT: bit 31 clear */
        return rx;
    case INDEX_op_ext8u:
        return rx < 255 ? rx : 255;
    case INDEX_op_and: /* LC_UNKNOWN is the largest: the other bounds it */
        return rx < ry ? rx : ry;
    case INDEX_op_shl:
        if (rx != LC_UNKNOWN && ry < 16 && (rx << ry) <= LC_LIMIT &&
            arg_temp(op->args[2])->kind == TEMP_CONST) {
            return rx << ry;
        }
        return LC_UNKNOWN;
    case INDEX_op_shr:
        if (rx != LC_UNKNOWN && arg_temp(op->args[2])->kind == TEMP_CONST &&
            ry < 32) {
            return rx >> ry;
        }
        return LC_UNKNOWN;
    case INDEX_op_add:
        if (rx != LC_UNKNOWN && ry != LC_UNKNOWN && rx + ry <= LC_LIMIT) {
            return rx + ry;
        }
        return LC_UNKNOWN;
    case INDEX_op_muluh: /* x * c / 2^64 < c: a remainder by c */
        if (arg_temp(op->args[1])->kind == TEMP_CONST && rx != 0 &&
            rx != LC_UNKNOWN) {
            return rx - 1;
        }
        if (arg_temp(op->args[2])->kind == TEMP_CONST && ry != 0 &&
            ry != LC_UNKNOWN) {
            return ry - 1;
        }
        return LC_UNKNOWN;
    default:
        return LC_UNKNOWN;
    }
}

/*
 * The bound D of @ts as a base: 0 for a constant inside the guest space
 * (a table's address from lui/auipc), once the space's mask is known.
 */
static unsigned lc_base_d(TCGContext *s, const LoopCheckState *st,
                          const TCGTemp *ts)
{
    if (ts->kind == TEMP_CONST) {
        return s->guest_addr_mask && !((uint64_t)ts->val & s->guest_addr_mask)
                   ? 0
                   : LC_UNKNOWN;
    }
    return st->d[lc_idx(s, ts)];
}

/*
 * The bound of x + y or x - y: D(x) + |c| for a small constant c, D(x) +
 * r for a y in [0, r] (a base plus a masked index), either way round for
 * an add.
 */
static void lc_addsub(TCGContext *s, const LoopCheckState *st, const TCGOp *op,
                      unsigned *d, LCSrc *src)
{
    for (int swap = 0; swap < 1 + (op->opc == INDEX_op_add); swap++) {
        TCGTemp *x = arg_temp(op->args[1 + swap]);
        TCGTemp *y = arg_temp(op->args[2 - swap]);
        long c = lc_const(y);
        unsigned ry = c >= 0 ? (unsigned)c : lc_range_of(s, st, y);
        unsigned dx = lc_base_d(s, st, x);

        if (ry != LC_UNKNOWN && dx != LC_UNKNOWN && dx + ry < *d) {
            *d = dx + ry;
            *src = x->kind == TEMP_CONST ? 0 : st->src[lc_idx(s, x)];
        }
    }
}

static void lc_arith(TCGContext *s, LoopCheckState *st, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int o = def->nb_oargs ? lc_idx(s, arg_temp(op->args[0])) : -1;
    unsigned d = LC_UNKNOWN, r = lc_range(s, st, op);
    LCSrc src = 0;

    if (op->type == TCG_TYPE_I64 && op->opc == INDEX_op_mov) {
        int a = lc_idx(s, arg_temp(op->args[1]));

        d = st->d[a], src = st->src[a];
    } else if (op->type == TCG_TYPE_I64 &&
               (op->opc == INDEX_op_add || op->opc == INDEX_op_sub)) {
        lc_addsub(s, st, op, &d, &src);
    }
    for (int i = 0; i < def->nb_oargs; i++) {
        lc_kill(st, lc_idx(s, arg_temp(op->args[i])));
    }
    if (o >= 0) {
        lc_set(st, o, d, src);
        st->r[o] = (uint16_t)r;
    }
}

/*
 * A way into the forward label @l (a branch to it, or the fall-through):
 * meet the candidates' bounds there with the current ones (the larger;
 * LC_UNKNOWN is the largest), and the head bounds they rest on.
 */
static void lc_join_note(TCGContext *s, LoopCheckState *st, const TCGLabel *l,
                         bool first)
{
    unsigned id = l->id;

    if (id >= LC_LABELS || st->lab_set[id]) {
        return; /* not tracked, or a back edge: nothing assumed there */
    }
    for (int k = 0; k < st->nb_cand; k++) {
        int i = lc_idx(s, st->cand[k]);

        if (first || st->d[i] > st->lab_d[id][k]) {
            st->lab_d[id][k] = st->d[i];
        }
        st->lab_src[id][k] = (first ? 0 : st->lab_src[id][k]) | st->src[i];
    }
}

/* A branch to the label @l that is not a loop head. */
static void lc_branch(TCGContext *s, LoopCheckState *st, const TCGLabel *l)
{
    if (l->id < LC_LABELS && !st->lab_set[l->id]) {
        lc_join_note(s, st, l, st->lab_seen[l->id] == 0);
        st->lab_seen[l->id]++;
    }
}

/*
 * A label that is not a head: when every branch to it came before it
 * (the fall-through too, when reachable), the candidates' bounds met
 * over them; otherwise nothing known.
 */
static void lc_join(TCGContext *s, LoopCheckState *st, const TCGLabel *l,
                    bool reachable)
{
    unsigned id = l->id;
    bool known =
        id < LC_LABELS && st->lab_seen[id] == l->refs && (l->refs || reachable);

    if (known && reachable) {
        lc_join_note(s, st, l, l->refs == 0);
    }
    lc_forget_all(s, st);
    if (id >= LC_LABELS) {
        return;
    }
    st->lab_set[id] = true;
    for (int k = 0; known && k < st->nb_cand; k++) {
        lc_set(st, lc_idx(s, st->cand[k]), st->lab_d[id][k],
               st->lab_src[id][k]);
    }
}

/* A label: a head's bounds, a forward join's, or nothing known. */
static void lc_label(TCGContext *s, LoopCheckState *st, int oi, int first_op,
                     bool reachable)
{
    const TCGLabel *l = arg_label(s->ops[oi].args[0]);
    int h = lc_head_of(st, l);

    if (h >= 0 && reachable && oi != first_op) {
        lc_edge(s, st, oi, h, LC_FALL); /* falls into the head */
    }
    if (h >= 0) {
        lc_enter_head(s, st, h);
    } else {
        lc_join(s, st, l, reachable);
    }
}

/* One pass from the first head to the end of the TB. */
static void lc_pass(TCGContext *s, LoopCheckState *st, int first_op)
{
    bool reachable = true;

    memset(st->used, 0, sizeof(st->used));
    st->free_skip = false;
    memset(st->grew, 0, sizeof(st->grew));
    memset(st->dropped, 0, sizeof(st->dropped));
    memset(st->edge_d, 0, sizeof(st->edge_d));
    memset(st->lab_seen, 0, sizeof(st->lab_seen));
    memset(st->lab_set, 0, sizeof(st->lab_set));
    st->nb_edges = 0;
    for (int oi = first_op; oi < s->nb_ops && !st->fail; oi++) {
        TCGOp *op = &s->ops[oi];
        const TCGOpDef *def = &tcg_op_defs[op->opc];
        int h;

        switch (op->opc) {
        case INDEX_op_nop:
        case INDEX_op_insn_start:
        case INDEX_op_exit_check: /* to the kick path; falls through */
        case INDEX_op_st8:
        case INDEX_op_st16:
        case INDEX_op_st32:
        case INDEX_op_st:
        case INDEX_op_mb:
            break;
        case INDEX_op_set_label:
            lc_label(s, st, oi, first_op, reachable);
            reachable = true;
            break;
        case INDEX_op_discard:
            lc_kill(st, lc_idx(s, arg_temp(op->args[0])));
            break;
        case INDEX_op_qemu_ld:
        case INDEX_op_qemu_st:
            lc_access(s, st, op);
            break;
        case INDEX_op_brcond:
            h = lc_head_of(st, arg_label(op->args[3]));
            if (h >= 0) {
                lc_edge(s, st, oi, h, LC_COND);
            } else {
                lc_branch(s, st, arg_label(op->args[3]));
            }
            break;
        case INDEX_op_br:
            h = lc_head_of(st, arg_label(op->args[0]));
            if (h >= 0) {
                lc_edge(s, st, oi, h, LC_BR);
            } else {
                lc_branch(s, st, arg_label(op->args[0]));
            }
            lc_forget_all(s, st);
            reachable = false;
            break;
        case INDEX_op_call: {
            int nb_o = op->callo, nb_i = op->calli;

            if (!(op->args[nb_o + nb_i + 1] & TCG_CALL_NO_WRITE_GLOBALS)) {
                lc_forget_all(s, st);
            }
            for (int i = 0; i < nb_o; i++) {
                lc_kill(st, lc_idx(s, arg_temp(op->args[i])));
            }
            break;
        }
        default:
            if (def->flags & TCG_OPF_COND_BRANCH) {
                st->fail = true; /* might go to a head */
            } else if (op->opc == INDEX_op_exit_tb ||
                       op->opc == INDEX_op_goto_ptr ||
                       op->opc == INDEX_op_goto_lookup) {
                reachable = false; /* as tcg_reg_alloc_code's unreachable */
            }
            if (def->flags & (TCG_OPF_BB_END | TCG_OPF_SIDE_EFFECTS)) {
                lc_forget_all(s, st);
            } else {
                lc_arith(s, st, op);
            }
            break;
        }
    }
}

static void lc_add_cand(LoopCheckState *st, TCGTemp *a)
{
    int k = 0;

    while (k < st->nb_cand && st->cand[k] != a) {
        k++;
    }
    if (a->kind == TEMP_GLOBAL && k == st->nb_cand &&
        st->nb_cand < TCG_LC_MAX) {
        st->cand[st->nb_cand++] = a;
    }
}

/* Whether the label set by op @oi starts a guest instruction. */
static bool lc_starts_insn(const TCGContext *s, int oi)
{
    int j = oi + 1;

    while (j < s->nb_ops && s->ops[j].opc == INDEX_op_nop) {
        j++;
    }
    return j < s->nb_ops && s->ops[j].opc == INDEX_op_insn_start;
}

/*
 * The first label (only entry checks before it: the TB's first
 * instruction), the heads (labels a later branch goes to) and the
 * candidates (globals used as bases).  Returns the first label's op, or
 * -1.
 */
static int lc_scan(TCGContext *s, LoopCheckState *st, bool inner)
{
    int first = -1;

    st->nb_heads = st->nb_cand = 0;
    for (int oi = 0; oi < s->nb_ops && first < 0; oi++) {
        TCGOpcode o = s->ops[oi].opc;

        if (o == INDEX_op_set_label) {
            first = oi;
        } else if (o != INDEX_op_nop && o != INDEX_op_exit_check &&
                   o != INDEX_op_count_check) {
            return -1;
        }
    }
    for (int oi = first; oi >= 0 && oi < s->nb_ops; oi++) {
        const TCGOp *op = &s->ops[oi];
        TCGLabel *l = NULL;

        if (op->opc == INDEX_op_br) {
            l = arg_label(op->args[0]);
        } else if (op->opc == INDEX_op_brcond) {
            l = arg_label(op->args[3]);
        } else if (op->opc == INDEX_op_qemu_ld || op->opc == INDEX_op_qemu_st) {
            TCGTemp *a = arg_temp(op->args[1]);
            lc_add_cand(st, a);
        }
        /*
         * Backward (the label is set already): a loop head, if it starts
         * a guest instruction.  A label inside one (the join after an
         * out-of-line path, as div's) has no pc for its precheck exit to
         * resume at: it stays a join, which lc_join forgets everything
         * at, since not all of its branches come before it.
         */
        if (l && lc_head_of(st, l) < 0 && st->nb_heads < TCG_LC_HEADS &&
            (inner || l == arg_label(s->ops[first].args[0]))) {
            for (int j = first; j < oi; j++) {
                if (s->ops[j].opc == INDEX_op_set_label &&
                    arg_label(s->ops[j].args[0]) == l) {
                    if (lc_starts_insn(s, j)) {
                        st->head[st->nb_heads++] = l;
                    }
                    break;
                }
            }
        }
    }
    /* Then globals added to a variable (`add a3, a5, sp`): part of a base. */
    for (int oi = first; oi >= 0 && oi < s->nb_ops; oi++) {
        const TCGOp *op = &s->ops[oi];

        if (op->opc == INDEX_op_add && op->type == TCG_TYPE_I64 &&
            arg_temp(op->args[1])->kind != TEMP_CONST &&
            arg_temp(op->args[2])->kind != TEMP_CONST) {
            lc_add_cand(st, arg_temp(op->args[1]));
            lc_add_cand(st, arg_temp(op->args[2]));
        }
    }
    return first;
}

/*
 * Settle the heads' bounds: grow them to what conditional branches give
 * in the first round, then drop a bound that still grows, one that some
 * branch does not have, and (once stable) one no access relies on.
 */
static bool lc_settle(TCGContext *s, LoopCheckState *st, int first)
{
    for (int round = 0; round < LC_ROUNDS; round++) {
        bool changed = false;

        lc_pass(s, st, first);
        if (st->fail) {
            return false;
        }
        for (int h = 0; h < st->nb_heads; h++) {
            for (int k = 0; k < st->nb_cand; k++) {
                uint8_t bit = 1u << k;

                if (st->head_d[h][k] == LC_UNKNOWN) {
                    continue;
                }
                if ((st->dropped[h] & bit) || (round && (st->grew[h] & bit))) {
                    st->head_d[h][k] = LC_UNKNOWN, changed = true;
                } else if (st->grew[h] & bit) {
                    st->head_d[h][k] = st->edge_d[h][k], changed = true;
                }
            }
        }
        if (changed || !round) {
            continue;
        }
        for (int h = 0; h < st->nb_heads; h++) {
            for (int k = 0; k < st->nb_cand; k++) {
                if (st->head_d[h][k] != LC_UNKNOWN &&
                    !(st->used[h] & (1u << k))) {
                    st->head_d[h][k] = LC_UNKNOWN, changed = true;
                }
            }
        }
        if (!changed) {
            return true;
        }
    }
    return false;
}

/*
 * tcg_loop_checks() - leave out range checks of guest accesses off bases
 * that stay near the guest space in a loop TB (see the notes above); sets
 * MO_NOCHECK on those accesses and fills the lc_* fields of @s for the
 * register allocator's entry and edge checks.  @inner: heads other than
 * the TB's first instruction too (their exits store the pc).  Returns
 * true when some check was left out (the TB then needs its
 * TB_EXIT_PRECHECK paths).
 */
bool tcg_loop_checks(TCGContext *s, bool inner)
{
    LoopCheckState st_buf; /* 7.6 KB: not static TLS (tls-size) */
    LoopCheckState *st = &st_buf;
    int first;
    bool any = false;

    s->lc_head = NULL;
    s->lc_nb_temps = s->lc_nb_edges = s->lc_nb_heads = 0;
    st->final = st->fail = false;
    first = lc_scan(s, st, inner);
    if (first < 0 || !st->nb_heads || !st->nb_cand) {
        return false;
    }
    memset(st->head_d, 0, sizeof(st->head_d));
    if (!lc_settle(s, st, first)) {
        return false;
    }
    any = st->free_skip; /* a constant table's base plus a remainder */
    for (int h = 0; h < st->nb_heads; h++) {
        any |= st->used[h] != 0;
    }
    if (!any) {
        return false;
    }
    /* The same pass as the last, stable round: marks, edges. */
    st->final = true;
    lc_pass(s, st, first);
    assert(!st->fail && "loop checks unstable");
    s->lc_nb_edges = st->nb_edges;
    s->lc_head = arg_label(s->ops[first].args[0]);
    for (int k = 0; k < st->nb_cand; k++) {
        s->lc_temps[k] = st->cand[k];
    }
    s->lc_nb_temps = st->nb_cand;
    s->lc_entry_mask = 0;
    for (int h = 0; h < st->nb_heads; h++) {
        s->lc_heads[h] = st->head[h];
        if (st->head[h] == s->lc_head) {
            s->lc_entry_mask = st->used[h];
        }
    }
    s->lc_nb_heads = st->nb_heads;
    return true;
}
