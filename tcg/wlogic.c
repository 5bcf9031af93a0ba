/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * W-op logic chains: one sign extension fewer on chains such as threads'
 * xorshift step "slliw a4, a5, 13; xor a5, a5, a4; srliw a4, a5, 17; xor
 * a5, a5, a4; slliw a4, a5, 5; xor a4, a4, a5" (session 12).  Run by
 * tcg_optimize at its end, on the candidates its forward pass found: the
 * and/or/xor ops both of whose inputs were known to be sign-extended from
 * bit 31 (KX_S32) where they ran.
 *
 * 1. Swap.  "ext32s B, T; ...; xor C, B, X" with X sign-extended becomes
 *    "xor T, T, X; ...; ext32s C, T": ext32s(t) ^ ext32s(x) equals
 *    ext32s(t ^ x), and likewise for and, or.  The op that wrote B now
 *    computes T ^ X (X is not written in between, so it reads the same
 *    X), the logic op extends it.  B is no longer written: nothing may read
 *    or see it (no block end, call, guest access or other op with side
 *    effects) from the old ext32s up to B's next write, and T (an EBB
 *    temp) has no reader but that ext32s.  The chain is as long as before;
 *    step 2 is what shortens it.
 * 2. Drop.  The ext32s that a swap made is removed (turned into a mov)
 *    when only the low 32 bits of its result are used: every reader up to
 *    the value's next write is an ext32s, an extract within bits 0..31, or
 *    an add, sub, mul, and, or, xor, shl (not as the count) or mov whose
 *    own result is used so, recursively; and while the value is in a
 *    global or TB temp, no op between its write and its next write can see
 *    it (as above: block ends, calls, guest accesses), so that what a
 *    fault handler, an exit or a helper sees is always the canonical
 *    register.  An EBB temp stops being followed after its last read in
 *    the TB (last_read, one pass) or at the end of its EBB.  The walk is
 *    bounded (WLOGIC_BUDGET op visits per ext32s); running out keeps it.
 *
 * In threads' chain the swap turns "slliw a4, a5, 13; xor a5, a5, a4" into
 * "t = a5 << 13 ^ a5; a5 = ext32s(t)", and a5's readers up to "add a5,
 * a3, 1024" (srliw's extract, the xor, slliw's shl and the swapped xor of
 * the last pair) use only its low half: the chain loses one movsxd (shl,
 * xor, shr, xor, shl, xor, movsxd).  Session 9's demanded-bits pass
 * (tag tried/narrow-s9) did this over whole loops at 900 lines; this one
 * looks only forward from the ext32s it made, on hot TBs' candidates.
 */
#include "tcg/tcg.h"

#include <string.h>

#define WLOGIC_BUDGET 96

/* An op after which a global's or TB temp's value may be seen. */
static bool wl_sees(const TCGOp *op)
{
    return op->opc == INDEX_op_call ||
           (tcg_op_defs[op->opc].flags &
            (TCG_OPF_BB_END | TCG_OPF_SIDE_EFFECTS | TCG_OPF_CALL_CLOBBER));
}

static bool wl_is_logic(const TCGOp *op)
{
    return (op->opc == INDEX_op_xor || op->opc == INDEX_op_and ||
            op->opc == INDEX_op_or) &&
           op->type == TCG_TYPE_I64;
}

/*
 * Step 1 at ops[j] (a logic op), with B its input @bk (1 or 2): whether
 * the swap was made (ops[j] is then the ext32s).
 */
static bool wl_swap(TCGContext *s, int j, int bk)
{
    TCGOp *opj = &s->ops[j], *opi = NULL;
    TCGTemp *b = arg_temp(opj->args[bk]), *x = arg_temp(opj->args[3 - bk]);
    TCGTemp *t;
    int i;

    if (b == x) {
        return false;
    }
    for (i = j - 1; i >= 0 && j - i < WLOGIC_BUDGET; i--) {
        TCGOp *op = &s->ops[i];

        if (op->opc == INDEX_op_nop || op->opc == INDEX_op_insn_start) {
            continue;
        }
        if (tcg_op_writes_temp(op, b)) {
            opi = op;
            break;
        }
        if (wl_sees(op) || op->opc == INDEX_op_set_label ||
            tcg_op_reads_temp(op, b) || tcg_op_writes_temp(op, x)) {
            return false;
        }
    }
    if (!opi || opi->opc != INDEX_op_ext32s || opi->type != TCG_TYPE_I64) {
        return false;
    }
    t = arg_temp(opi->args[1]);
    if (t->kind != TEMP_EBB || t == x || t == b) {
        return false;
    }
    /* ops (i, j): T neither written nor read */
    for (int k = i + 1; k < j; k++) {
        if (tcg_op_writes_temp(&s->ops[k], t) ||
            tcg_op_reads_temp(&s->ops[k], t)) {
            return false;
        }
    }
    /* B: from ops[j] on, no reader or observer up to its next write */
    for (int k = j + 1; b != arg_temp(opj->args[0]); k++) {
        const TCGOp *op = k < s->nb_ops ? &s->ops[k] : NULL;

        if (!op) {
            return false; /* B's old value would be live-out */
        }
        if (op->opc == INDEX_op_nop || op->opc == INDEX_op_insn_start) {
            continue;
        }
        if (tcg_op_reads_temp(op, b) || op->opc == INDEX_op_set_label ||
            wl_sees(op) || k - j > WLOGIC_BUDGET) {
            return false;
        }
        if (tcg_op_writes_temp(op, b)) {
            break;
        }
    }
    if (tcg_temp_read_later(s, j, t)) {
        return false; /* T has a reader after the ext32s */
    }
    /* ops[i]: xor T, T, X; ops[j]: ext32s C, T */
    opi->opc = opj->opc;
    opi->args[0] = temp_arg(t);
    opi->args[1] = temp_arg(t);
    opi->args[2] = temp_arg(x);
    opj->opc = INDEX_op_ext32s;
    opj->args[1] = temp_arg(t);
    return true;
}

/* Is only the low half of the value that ops[w] writes to @t used? */
static bool wl_low_only(TCGContext *s, int w, TCGTemp *t, int *budget,
                        const int16_t *last_read)
{
    bool ebb = t->kind == TEMP_EBB;

    for (int j = w + 1; j < s->nb_ops; j++) {
        const TCGOp *op = &s->ops[j];
        int ti = t - s->temps;

        if (op->opc == INDEX_op_nop || op->opc == INDEX_op_insn_start) {
            continue;
        }
        if (ebb && j > last_read[ti]) {
            return true; /* no reader left */
        }
        if (--*budget < 0) {
            return false;
        }
        if (op->opc == INDEX_op_set_label) {
            return ebb; /* the EBB ends: only an EBB temp dies */
        }
        if (tcg_op_reads_temp(op, t)) {
            switch (op->opc) {
            case INDEX_op_ext32s:
                break;
            case INDEX_op_extract:
                if (op->args[2] + op->args[3] > 32) {
                    return false;
                }
                break;
            case INDEX_op_shl:
                if (arg_temp(op->args[2]) == t) {
                    return false; /* the count */
                }
                /* fall through */
            case INDEX_op_add:
            case INDEX_op_sub:
            case INDEX_op_mul:
            case INDEX_op_and:
            case INDEX_op_or:
            case INDEX_op_xor:
            case INDEX_op_mov:
                if (op->type != TCG_TYPE_I64 ||
                    !wl_low_only(s, j, arg_temp(op->args[0]), budget,
                                 last_read)) {
                    return false;
                }
                break;
            default:
                return false;
            }
        }
        if (!ebb && wl_sees(op)) {
            return false; /* a fault, exit or helper would see it */
        }
        if (tcg_op_writes_temp(op, t)) {
            return true;
        }
    }
    return ebb;
}

/**
 * tcg_wlogic_fold() - swap and drop sign extensions on W-op logic chains
 * (see the note above).
 * @s: the context, at the end of tcg_optimize.
 * @cand: op indices of and/or/xor ops whose inputs were both sign-extended.
 * @n: how many.
 */
void tcg_wlogic_fold(TCGContext *s, const int *cand, int n)
{
    int16_t last_read[TCG_MAX_TEMPS];
    int made[64], nm = 0;

    for (int k = 0; k < n && nm < 64; k++) {
        TCGOp *op = &s->ops[cand[k]];

        if (wl_is_logic(op) &&
            (wl_swap(s, cand[k], 1) || wl_swap(s, cand[k], 2))) {
            made[nm++] = cand[k];
        }
    }
    if (!nm) {
        return;
    }
    memset(last_read, 0xff, sizeof(int16_t) * s->nb_temps);
    for (int i = 0; i < s->nb_ops; i++) {
        const TCGOp *op = &s->ops[i];
        int no = tcg_op_nb_oargs(op), ni = tcg_op_nb_iargs(op);

        for (int k = no; k < no + ni; k++) {
            if (op->args[k]) {
                last_read[arg_temp(op->args[k]) - s->temps] = (int16_t)i;
            }
        }
    }
    for (int k = 0; k < nm; k++) {
        TCGOp *op = &s->ops[made[k]];
        int budget = WLOGIC_BUDGET;

        if (op->opc == INDEX_op_ext32s && /* not swapped again */
            wl_low_only(s, made[k], arg_temp(op->args[0]), &budget,
                        last_read)) {
            op->opc = INDEX_op_mov;
        }
    }
}
