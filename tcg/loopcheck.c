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
 *   - any other write, a call that may write globals, a side effect, a
 *     label: unknown.
 * An induction variable (`lh a5, 0(t1); addi t1, t1, 2; bne ... head`)
 * comes back to the loop head within 2 of the space.  For the head (the
 * TB's first label, at its first instruction) the pass finds bounds H
 * that every back edge (a brcond to the head) keeps, by a fixed point
 * starting from 0: a temp whose bound still grows after the first round
 * (no access resets it) is dropped.  Accesses whose base is within bound
 * get MO_NOCHECK.  The head's bounds must hold when the loop is entered:
 *   - at the TB's entry, each temp whose head bound some access relied on
 *     is checked (`test [rbp + ofs], r10`) before the head;
 *   - at an unconditional branch to the head from elsewhere in the TB (a
 *     region's outer loop coming back in), each such temp whose bound
 *     there is unknown or larger is checked (`test reg, r10`).
 * A failed check leaves the TB (TB_EXIT_PRECHECK, pins stored where they
 * are loaded) before the head's first instruction runs; the exec loop
 * runs that one instruction alone with every access checked (CF_NODISP),
 * then goes on: a bad base faults at its own access, with its PC.
 * A check that fails for a base the loop would not use costs one such
 * exit per entry, nothing else.
 */
#include <string.h>

#include "accel/tcg/tb.h"
#include "tcg/tcg.h"

#define LC_UNKNOWN 0xffffu
#define LC_LIMIT 1024 /* largest bound kept; + 2048 + 16 <= the guard */
#define LC_ROUNDS 8

_Static_assert(LC_LIMIT + 2048 + 16 <= TCG_GUEST_GUARD, "bounds fit guards");

typedef struct LoopCheckState {
    uint16_t d[TCG_MAX_TEMPS];   /* bound, LC_UNKNOWN if none */
    int8_t src[TCG_MAX_TEMPS];   /* index into head[] the bound came from */
    uint16_t head_d[TCG_LC_MAX]; /* the head's bounds */
    TCGTemp *head[TCG_LC_MAX];   /* the globals with a head bound */
    int nb_head;
    uint32_t used;    /* head[i]'s bound let an access skip its check */
    uint32_t grew;    /* a back edge needs a larger bound */
    uint32_t dropped; /* a back edge has none */
    uint16_t edge_d[TCG_LC_MAX]; /* the largest bound at back edges */
    bool final;                  /* last pass: mark accesses and edges */
    bool fail;                   /* too many edges, a branch not understood */
    int nb_edges;                /* br ops to the head that check */
} LoopCheckState;

static int lc_idx(const TCGContext *s, const TCGTemp *ts)
{
    return (int)(ts - s->temps);
}

static void lc_forget_all(TCGContext *s, LoopCheckState *st)
{
    memset(st->d, 0xff, sizeof(st->d[0]) * s->nb_temps);
}

static void lc_set(LoopCheckState *st, int i, unsigned d, int src)
{
    st->d[i] = d > LC_LIMIT ? LC_UNKNOWN : (uint16_t)d;
    st->src[i] = st->d[i] == LC_UNKNOWN ? -1 : (int8_t)src;
}

/* State at the head: each head temp at its bound. */
static void lc_enter_head(TCGContext *s, LoopCheckState *st)
{
    lc_forget_all(s, st);
    for (int k = 0; k < st->nb_head; k++) {
        lc_set(st, lc_idx(s, st->head[k]), st->head_d[k], k);
    }
}

/* A branch to the head: record what its bounds need. */
static void lc_edge(TCGContext *s, LoopCheckState *st, const TCGOp *op,
                    bool checkable)
{
    uint8_t mask = 0;

    for (int k = 0; k < st->nb_head; k++) {
        uint16_t d = st->d[lc_idx(s, st->head[k])];

        if (d == LC_UNKNOWN && checkable) {
            mask |= 1u << k; /* checked there, if its bound is used */
        } else if (d == LC_UNKNOWN) {
            st->dropped |= 1u << k;
        } else if (d > st->head_d[k]) {
            st->grew |= 1u << k;
            if (d > st->edge_d[k]) {
                st->edge_d[k] = d;
            }
        }
    }
    if (mask) {
        if (st->nb_edges == TCG_LC_MAX) {
            st->fail = true;
            return;
        }
        if (st->final) {
            s->lc_edge_op[st->nb_edges] = (int)(op - s->ops);
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
        if (st->src[a] >= 0) {
            st->used |= 1u << st->src[a];
        }
        if (st->final) {
            op->args[2] = mop | MO_NOCHECK;
        }
    }
    if (!skip) {
        lc_set(st, a, 0, -1); /* checked here */
    } else if (st->d[a] == LC_UNKNOWN || aofs <= st->d[a]) {
        lc_set(st, a, aofs, -1); /* the access did not fault */
    }
    for (int i = 0; i < def->nb_oargs; i++) {
        lc_set(st, lc_idx(s, arg_temp(op->args[i])), LC_UNKNOWN, -1);
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

static void lc_arith(TCGContext *s, LoopCheckState *st, const TCGOp *op)
{
    const TCGOpDef *def = &tcg_op_defs[op->opc];
    int o = def->nb_oargs ? lc_idx(s, arg_temp(op->args[0])) : -1;
    unsigned d = LC_UNKNOWN;
    int src = -1;

    if (op->type == TCG_TYPE_I64 && op->opc == INDEX_op_mov) {
        int a = lc_idx(s, arg_temp(op->args[1]));

        d = st->d[a], src = st->src[a];
    } else if (op->type == TCG_TYPE_I64 &&
               (op->opc == INDEX_op_add || op->opc == INDEX_op_sub)) {
        TCGTemp *x = arg_temp(op->args[1]), *y = arg_temp(op->args[2]);
        long c = lc_const(y);

        if (c < 0 && op->opc == INDEX_op_add) {
            c = lc_const(x), x = y;
        }
        if (c >= 0 && st->d[lc_idx(s, x)] != LC_UNKNOWN) {
            d = st->d[lc_idx(s, x)] + (unsigned)c;
            src = st->src[lc_idx(s, x)];
        }
    }
    for (int i = 0; i < def->nb_oargs; i++) {
        lc_set(st, lc_idx(s, arg_temp(op->args[i])), LC_UNKNOWN, -1);
    }
    if (o >= 0) {
        lc_set(st, o, d, src);
    }
}

/* One pass from the head to the end of the TB. */
static void lc_pass(TCGContext *s, LoopCheckState *st, int head_op)
{
    TCGLabel *head = s->lc_head;

    st->used = st->grew = st->dropped = 0;
    st->nb_edges = 0;
    memset(st->edge_d, 0, sizeof(st->edge_d));
    for (int oi = head_op; oi < s->nb_ops && !st->fail; oi++) {
        TCGOp *op = &s->ops[oi];
        const TCGOpDef *def = &tcg_op_defs[op->opc];

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
            if (arg_label(op->args[0]) == head) {
                lc_enter_head(s, st);
            } else {
                lc_forget_all(s, st);
            }
            break;
        case INDEX_op_discard:
            lc_set(st, lc_idx(s, arg_temp(op->args[0])), LC_UNKNOWN, -1);
            break;
        case INDEX_op_qemu_ld:
        case INDEX_op_qemu_st:
            lc_access(s, st, op);
            break;
        case INDEX_op_brcond:
            if (arg_label(op->args[3]) == head) {
                lc_edge(s, st, op, false);
            }
            break;
        case INDEX_op_br:
            if (arg_label(op->args[0]) == head) {
                lc_edge(s, st, op, true);
            }
            lc_forget_all(s, st);
            break;
        case INDEX_op_call: {
            int nb_o = op->callo, nb_i = op->calli;

            if (!(op->args[nb_o + nb_i + 1] & TCG_CALL_NO_WRITE_GLOBALS)) {
                lc_forget_all(s, st);
            }
            for (int i = 0; i < nb_o; i++) {
                lc_set(st, lc_idx(s, arg_temp(op->args[i])), LC_UNKNOWN, -1);
            }
            break;
        }
        default:
            if (def->flags & (TCG_OPF_BB_END | TCG_OPF_SIDE_EFFECTS)) {
                /* Other branches (to labels of the TB) could go to the head. */
                if (def->flags & TCG_OPF_COND_BRANCH) {
                    st->fail = true;
                }
                lc_forget_all(s, st);
            } else {
                lc_arith(s, st, op);
            }
            break;
        }
    }
}

/* The head: the TB's first label, with only entry checks before it. */
static int lc_find_head(TCGContext *s)
{
    for (int oi = 0; oi < s->nb_ops; oi++) {
        const TCGOp *op = &s->ops[oi];

        switch (op->opc) {
        case INDEX_op_nop:
        case INDEX_op_exit_check:
        case INDEX_op_count_check:
            continue;
        case INDEX_op_set_label:
            s->lc_head = arg_label(op->args[0]);
            return oi;
        default:
            return -1;
        }
    }
    return -1;
}

/*
 * tcg_loop_checks() - leave out range checks of guest accesses off bases
 * that stay near the guest space in a loop TB (see the notes above); sets
 * MO_NOCHECK on those accesses and fills the lc_* fields of @s for the
 * register allocator's entry and edge checks.  Returns true when some
 * check was left out (the TB then needs its TB_EXIT_PRECHECK paths).
 */
bool tcg_loop_checks(TCGContext *s)
{
    static __thread LoopCheckState st_tls;
    LoopCheckState *st = &st_tls;
    int head_op;

    s->lc_head = NULL;
    s->lc_nb_temps = 0;
    s->lc_nb_edges = 0;
    head_op = lc_find_head(s);
    if (head_op < 0) {
        return false;
    }
    st->final = st->fail = false;
    st->nb_head = 0;
    /* Candidates: the globals used as a base after the head. */
    for (int oi = head_op; oi < s->nb_ops && st->nb_head < TCG_LC_MAX; oi++) {
        const TCGOp *op = &s->ops[oi];
        TCGTemp *a;
        int k = 0;

        if (op->opc != INDEX_op_qemu_ld && op->opc != INDEX_op_qemu_st) {
            continue;
        }
        a = arg_temp(op->args[1]);
        while (k < st->nb_head && st->head[k] != a) {
            k++;
        }
        if (a->kind == TEMP_GLOBAL && k == st->nb_head) {
            st->head_d[st->nb_head] = 0;
            st->head[st->nb_head++] = a;
        }
    }
    for (int round = 0; st->nb_head && round < LC_ROUNDS; round++) {
        uint32_t drop;
        int n = 0;

        lc_pass(s, st, head_op);
        if (st->fail) {
            return false;
        }
        drop = st->dropped | (round ? st->grew : 0);
        if (round == 0) {
            for (int k = 0; k < st->nb_head; k++) {
                if (st->grew & (1u << k)) {
                    st->head_d[k] = st->edge_d[k];
                }
            }
        }
        if (round && !drop) {
            drop = ~st->used & ((1u << st->nb_head) - 1);
            if (!drop) {
                break; /* stable, every bound used */
            }
        }
        for (int k = 0; k < st->nb_head; k++) {
            if (!(drop & (1u << k))) {
                st->head_d[n] = st->head_d[k];
                st->head[n++] = st->head[k];
            }
        }
        st->nb_head = n;
        if (round == LC_ROUNDS - 1) {
            st->nb_head = 0; /* not settled */
        }
    }
    if (!st->nb_head) {
        return false;
    }
    /* The same pass as the last, stable round: marks, edges. */
    st->final = true;
    lc_pass(s, st, head_op);
    assert(!st->fail && !st->grew && !st->dropped && "loop checks unstable");
    s->lc_nb_edges = st->nb_edges;
    for (int k = 0; k < st->nb_head; k++) {
        s->lc_temps[k] = st->head[k];
    }
    s->lc_nb_temps = st->nb_head;
    return true;
}
