/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The IR builder.
 *
 * Each tcg_gen_* appends ops to the calling thread's context.  Every op
 * in tcg-opc.h is supported natively by the backend, so most builders are
 * one op; immediate forms pass a constant temp and leave simplification to
 * the optimizer, except for a few identities that are free to catch here
 * (they keep the unoptimized IR small too).
 *
 * The builders for i32 and i64 are generated from one template (the T,
 * TV, TYPE and TEMP macros below), so they cannot drift apart.
 */
#include "tcg/tcg-op.h"
#include "accel/tcg/tb.h"

TCGv_ptr tcg_env;

void tcg_gen_op1(TCGOpcode opc, TCGType type, TCGArg a1)
{
    TCGOp *op = tcg_emit_op(opc, type, 1);
    op->args[0] = a1;
}

void tcg_gen_op2(TCGOpcode opc, TCGType type, TCGArg a1, TCGArg a2)
{
    TCGOp *op = tcg_emit_op(opc, type, 2);
    op->args[0] = a1;
    op->args[1] = a2;
}

void tcg_gen_op3(TCGOpcode opc, TCGType type, TCGArg a1, TCGArg a2, TCGArg a3)
{
    TCGOp *op = tcg_emit_op(opc, type, 3);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
}

void tcg_gen_op4(TCGOpcode opc, TCGType type, TCGArg a1, TCGArg a2, TCGArg a3,
                 TCGArg a4)
{
    TCGOp *op = tcg_emit_op(opc, type, 4);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
    op->args[3] = a4;
}

void tcg_gen_op5(TCGOpcode opc, TCGType type, TCGArg a1, TCGArg a2, TCGArg a3,
                 TCGArg a4, TCGArg a5)
{
    TCGOp *op = tcg_emit_op(opc, type, 5);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
    op->args[3] = a4;
    op->args[4] = a5;
}

void tcg_gen_op6(TCGOpcode opc, TCGType type, TCGArg a1, TCGArg a2, TCGArg a3,
                 TCGArg a4, TCGArg a5, TCGArg a6)
{
    TCGOp *op = tcg_emit_op(opc, type, 6);
    op->args[0] = a1;
    op->args[1] = a2;
    op->args[2] = a3;
    op->args[3] = a4;
    op->args[4] = a5;
    op->args[5] = a6;
}

/* Control flow */

void tcg_gen_br(TCGLabel *l)
{
    l->refs++;
    tcg_gen_op1(INDEX_op_br, TCG_TYPE_I64, label_arg(l));
}

void gen_set_label(TCGLabel *l)
{
    tcg_gen_op1(INDEX_op_set_label, TCG_TYPE_I64, label_arg(l));
}

void tcg_gen_mb(TCGBar kind)
{
    tcg_gen_op1(INDEX_op_mb, TCG_TYPE_I64, kind);
}

void tcg_gen_insn_start(uint64_t pc)
{
    tcg_gen_op1(INDEX_op_insn_start, TCG_TYPE_I64, pc);
}

void tcg_gen_goto_tb(unsigned idx)
{
    assert(idx < TB_MAX_JMPS && "goto_tb slot out of range");
    tcg_gen_op1(INDEX_op_goto_tb, TCG_TYPE_I64, idx);
}

void tcg_gen_exit_tb(const TranslationBlock *tb, unsigned idx)
{
    uintptr_t val = (uintptr_t)tb + idx;

    assert(tb != NULL || idx == 0);
    assert(idx <= TB_EXIT_MASK);
    tcg_gen_op1(INDEX_op_exit_tb, TCG_TYPE_I64, val);
}

void tcg_gen_goto_ptr(TCGv_ptr ptr)
{
    tcg_gen_op1(INDEX_op_goto_ptr, TCG_TYPE_I64, temp_arg(tcgv_ptr_temp(ptr)));
}

void tcg_gen_goto_lookup_i64(TCGv_i64 pc)
{
    tcg_gen_goto_lookup_ic_i64(pc, -1);
}

void tcg_gen_goto_lookup_ic_i64(TCGv_i64 pc, int slot)
{
    tcg_gen_op2(INDEX_op_goto_lookup, TCG_TYPE_I64, temp_arg(tcgv_i64_temp(pc)),
                (TCGArg)slot);
}

void tcg_gen_discard_i64(TCGv_i64 v)
{
    tcg_gen_op1(INDEX_op_discard, TCG_TYPE_I64, temp_arg(tcgv_i64_temp(v)));
}

void tcg_gen_discard_i32(TCGv_i32 v)
{
    tcg_gen_op1(INDEX_op_discard, TCG_TYPE_I32, temp_arg(tcgv_i32_temp(v)));
}

/*
 * The exit-request check: the label is kept in the context so that
 * tcg_gen_tb_end() can place the exit path after the body.
 */

void tcg_gen_tb_start(const TranslationBlock *tb)
{
    TCGLabel *l = gen_new_label();

    tcg_ctx->exitreq_label = l;
    l->refs++;
    tcg_gen_op1(INDEX_op_exit_check, TCG_TYPE_I32, label_arg(l));
    if (tb->cold) {
        /* At the entry, before anything is computed: nothing to store. */
        tcg_emit_op(INDEX_op_count_check, TCG_TYPE_I32, 0);
    }
}

void tcg_gen_tb_end(const TranslationBlock *tb)
{
    TCGLabel *l = tcg_ctx->exitreq_label;

    assert(l != NULL && "tcg_gen_tb_end without tcg_gen_tb_start");
    if (tcg_ctx->kick_label) {
        /* Pinned globals are stored at the br (a block end). */
        gen_set_label(tcg_ctx->kick_label);
        tcg_gen_br(l);
    }
    gen_set_label(l);
    tcg_gen_exit_tb(tb, TB_EXIT_REQUESTED);
    /* exitreq_label stays known to the register allocator until the
     * next tcg_func_start. */
}

/* A back edge's exit_request check, leaving through @kick when set. */
static void gen_back_edge_check(TCGLabel *kick)
{
    kick->refs++;
    tcg_gen_op1(INDEX_op_exit_check, TCG_TYPE_I32, label_arg(kick));
}

void tcg_gen_loop_back(TCGLabel *head)
{
    assert(tcg_ctx->exitreq_label != NULL && "tcg_gen_loop_back outside a TB");
    if (tcg_ctx->kick_label == NULL) {
        /* tcg_gen_tb_end places it: store the pins, then leave. */
        tcg_ctx->kick_label = gen_new_label();
    }
    tcg_gen_loop_back_kick(head, tcg_ctx->kick_label);
}

void tcg_gen_loop_back_kick(TCGLabel *head, TCGLabel *kick)
{
    gen_back_edge_check(kick);
    tcg_gen_br(head);
    tcg_ctx->loop_end_op = tcg_ctx->nb_ops;
}

void tcg_gen_loop_back_cond_kick(TCGCond cond, TCGv_i64 a, TCGv_i64 b,
                                 TCGLabel *head, TCGLabel *kick)
{
    gen_back_edge_check(kick);
    tcg_gen_brcond_i64(cond, a, b, head);
    tcg_ctx->loop_end_op = tcg_ctx->nb_ops;
}

void tcg_gen_callN(const TCGHelperInfo *info, TCGTemp *ret, int nargs,
                   TCGTemp **args)
{
    TCGOp *op;
    int i, o = ret != NULL;

    assert(nargs <= TCG_MAX_CALL_IARGS && "too many helper arguments");
    op = tcg_emit_op(INDEX_op_call, TCG_TYPE_I64, o + nargs + 2);
    op->callo = o;
    op->calli = nargs;
    if (ret) {
        op->args[0] = temp_arg(ret);
    }
    for (i = 0; i < nargs; i++) {
        op->args[o + i] = temp_arg(args[i]);
    }
    op->args[o + nargs] = (TCGArg)(uintptr_t)info;
    op->args[o + nargs + 1] = info->flags;
}

/* Typed builders, generated for i32 and i64. */

#define OP1(opc, d, a) tcg_gen_op2(opc, TYPE, TEMP(d), TEMP(a))
#define OP2(opc, d, a, b) tcg_gen_op3(opc, TYPE, TEMP(d), TEMP(a), TEMP(b))
#define CONST(v) temp_tcgv(tcg_constant_internal(TYPE, v))

#define T i32
#define TV TCGv_i32
#define IMM int32_t
#define TYPE TCG_TYPE_I32
#define TEMP(v) temp_arg(tcgv_i32_temp(v))
#define temp_tcgv temp_tcgv_i32
#define BITS 32
#include "tcg/tcg-op-template.c.inc"
#undef T
#undef TV
#undef IMM
#undef TYPE
#undef TEMP
#undef temp_tcgv
#undef BITS

#define T i64
#define TV TCGv_i64
#define IMM int64_t
#define TYPE TCG_TYPE_I64
#define TEMP(v) temp_arg(tcgv_i64_temp(v))
#define temp_tcgv temp_tcgv_i64
#define BITS 64
#include "tcg/tcg-op-template.c.inc"

/* i64 only */

void tcg_gen_bswap64_i64(TCGv_i64 d, TCGv_i64 a)
{
    OP1(INDEX_op_bswap64, d, a);
}

void tcg_gen_ext32s_i64(TCGv_i64 d, TCGv_i64 a)
{
    OP1(INDEX_op_ext32s, d, a);
}

void tcg_gen_ext32s_chk_i64(TCGv_i64 d, TCGv_i64 a, int hint)
{
    tcg_gen_op3(INDEX_op_ext32s_chk, TCG_TYPE_I64, TEMP(d), TEMP(a), hint);
}

void tcg_gen_ext32u_i64(TCGv_i64 d, TCGv_i64 a)
{
    OP1(INDEX_op_ext32u, d, a);
}

void tcg_gen_ld32u_i64(TCGv_i64 d, TCGv_ptr base, intptr_t off)
{
    tcg_gen_op3(INDEX_op_ld32u, TYPE, TEMP(d), temp_arg(tcgv_ptr_temp(base)),
                (TCGArg)off);
}

void tcg_gen_ld32s_i64(TCGv_i64 d, TCGv_ptr base, intptr_t off)
{
    tcg_gen_op3(INDEX_op_ld32s, TYPE, TEMP(d), temp_arg(tcgv_ptr_temp(base)),
                (TCGArg)off);
}

void tcg_gen_st32_i64(TCGv_i64 v, TCGv_ptr base, intptr_t off)
{
    tcg_gen_op3(INDEX_op_st32, TYPE, TEMP(v), temp_arg(tcgv_ptr_temp(base)),
                (TCGArg)off);
}

void tcg_gen_fpop2_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, TCGFPOp op)
{
    assert(((op & ~TCG_FP_SINGLE) <= TCG_FP_SQRT || op == TCG_FP_CVT_D_L) &&
           "fpop2: not a binary op");
    tcg_gen_op4(INDEX_op_fpop2, TYPE, TEMP(d), TEMP(a), TEMP(b), op);
}

void tcg_gen_fpcmp_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, TCGCond cond,
                       bool single)
{
    assert(
        (cond == TCG_COND_EQ || cond == TCG_COND_LT || cond == TCG_COND_LE) &&
        "fpcmp: EQ, LT or LE");
    tcg_gen_op4(INDEX_op_fpcmp, TYPE, TEMP(d), TEMP(a), TEMP(b),
                (TCGArg)cond | (single ? TCG_FP_SINGLE : 0));
}

void tcg_gen_vecop(TCGv_i64 ok, TCGv_i64 x, int op, int sew, int chunks, int d,
                   int a, int b, int v0)
{
    assert(chunks >= 1 && chunks <= 64 && sew >= 0 && sew <= 3 &&
           "vecop: bad shape");
    assert(d >= 0 && a >= 0 && b >= 0 && d < (1 << 20) && a < (1 << 20) &&
           b < (1 << 20) && v0 < (1 << 20) && "vecop: offset out of range");
    tcg_gen_op4(INDEX_op_vecop, TYPE, TEMP(ok), TEMP(x),
                (TCGArg)op | (TCGArg)sew << 8 | (TCGArg)chunks << 16 |
                    (v0 >= 0 ? (TCGArg)1 << 24 | (TCGArg)v0 << 32 : 0),
                (TCGArg)d | (TCGArg)a << 20 | (TCGArg)b << 40);
}

void tcg_gen_vecop_vl(TCGv_i64 ok, TCGv_i64 x, int op, int sew, int chunks,
                      int d, int a, int b, int v0, int vl)
{
    assert(chunks >= 1 && chunks <= 64 && sew >= 0 && sew <= 3 &&
           "vecop: bad shape");
    assert(d >= 0 && a >= 0 && b >= 0 && d < (1 << 20) && a < (1 << 20) &&
           b < (1 << 20) && "vecop: offset out of range");
    assert(vl >= 0 && vl < (1 << 12) && "vecop: vl offset out of range");
    tcg_gen_op4(INDEX_op_vecop, TYPE, TEMP(ok), TEMP(x),
                (TCGArg)op | (TCGArg)sew << 8 | (TCGArg)chunks << 16 |
                    (TCGArg)1 << 25 | (TCGArg)vl << 52 |
                    (v0 >= 0 ? (TCGArg)1 << 24 | (TCGArg)v0 << 32 : 0),
                (TCGArg)d | (TCGArg)a << 20 | (TCGArg)b << 40);
}

void tcg_gen_fpop3_i64(TCGv_i64 d, TCGv_i64 a, TCGv_i64 b, TCGv_i64 c,
                       TCGFPOp op)
{
    assert((op & ~TCG_FP_SINGLE) >= TCG_FP_MADD &&
           (op & ~TCG_FP_SINGLE) <= TCG_FP_NMADD && "fpop3: not a fused op");
    assert(tcg_have_fma && "fpop3 needs FMA3");
    tcg_gen_op5(INDEX_op_fpop3, TYPE, TEMP(d), TEMP(a), TEMP(b), TEMP(c), op);
}

/* Conversions */

void tcg_gen_ext_i32_i64(TCGv_i64 d, TCGv_i32 a)
{
    tcg_gen_op2(INDEX_op_ext_i32_i64, TCG_TYPE_I64, TEMP(d),
                temp_arg(tcgv_i32_temp(a)));
}

void tcg_gen_extu_i32_i64(TCGv_i64 d, TCGv_i32 a)
{
    tcg_gen_op2(INDEX_op_extu_i32_i64, TCG_TYPE_I64, TEMP(d),
                temp_arg(tcgv_i32_temp(a)));
}

void tcg_gen_extrl_i64_i32(TCGv_i32 d, TCGv_i64 a)
{
    tcg_gen_op2(INDEX_op_extrl_i64_i32, TCG_TYPE_I32,
                temp_arg(tcgv_i32_temp(d)), TEMP(a));
}
