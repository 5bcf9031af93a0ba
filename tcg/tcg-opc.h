/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The TCG IR opcode table.
 *
 * DEF(name, nb_oargs, nb_iargs, nb_cargs, flags)
 *
 * Arguments of an op are laid out as outputs, then inputs, then constant
 * arguments.  Ops are type-generic: TCGOp.type says whether they work on
 * 32-bit or 64-bit values (flag TCG_OPF_64 marks ops valid for I64 only).
 * `call` is variadic: TCGOp.callo/calli give its output/input counts and
 * two constant arguments follow the inputs (helper info, flags).
 */

/* Special ops */
DEF(nop, 0, 0, 0, TCG_OPF_NOT_PRESENT)
DEF(discard, 1, 0, 0, TCG_OPF_NOT_PRESENT)
DEF(set_label, 0, 0, 1, TCG_OPF_BB_END | TCG_OPF_NOT_PRESENT)
DEF(call, 0, 0, 2, TCG_OPF_CALL_CLOBBER | TCG_OPF_NOT_PRESENT)
DEF(br, 0, 0, 1, TCG_OPF_BB_END)
DEF(mb, 0, 0, 1, TCG_OPF_SIDE_EFFECTS)
DEF(insn_start, 0, 0, 1, TCG_OPF_NOT_PRESENT)

/* Moves and conditions */
DEF(mov, 1, 1, 0, TCG_OPF_NOT_PRESENT)
DEF(setcond, 1, 2, 1, 0)
DEF(movcond, 1, 4, 1, 0)
DEF(brcond, 0, 2, 2, TCG_OPF_BB_END | TCG_OPF_COND_BRANCH)
/* Branch to the label if env's exit_request is set (TB entry). */
DEF(exit_check, 0, 0, 1, TCG_OPF_BB_END | TCG_OPF_COND_BRANCH)
/* first-tier TB entry: count down tb->hot_count, leave with TB_EXIT_HOT at 0 */
DEF(count_check, 0, 0, 0, TCG_OPF_SIDE_EFFECTS)

/* Host memory (env) loads and stores: (val, base, offset) */
DEF(ld8u, 1, 1, 1, 0)
DEF(ld8s, 1, 1, 1, 0)
DEF(ld16u, 1, 1, 1, 0)
DEF(ld16s, 1, 1, 1, 0)
DEF(ld32u, 1, 1, 1, TCG_OPF_64)
DEF(ld32s, 1, 1, 1, TCG_OPF_64)
DEF(ld, 1, 1, 1, 0)
DEF(st8, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(st16, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(st32, 0, 2, 1, TCG_OPF_SIDE_EFFECTS | TCG_OPF_64)
DEF(st, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)

/* Arithmetic */
DEF(add, 1, 2, 0, 0)
DEF(sub, 1, 2, 0, 0)
DEF(neg, 1, 1, 0, 0)
DEF(mul, 1, 2, 0, 0)
DEF(muluh, 1, 2, 0, 0)
DEF(mulsh, 1, 2, 0, 0)
DEF(div, 1, 2, 0, 0)
DEF(divu, 1, 2, 0, 0)
DEF(rem, 1, 2, 0, 0)
DEF(remu, 1, 2, 0, 0)

/* Logic */
DEF(and, 1, 2, 0, 0)
DEF(or, 1, 2, 0, 0)
DEF(xor, 1, 2, 0, 0)
DEF(not, 1, 1, 0, 0)
DEF(andc, 1, 2, 0, 0)
DEF(orc, 1, 2, 0, 0)
DEF(eqv, 1, 2, 0, 0)
DEF(nand, 1, 2, 0, 0)
DEF(nor, 1, 2, 0, 0)

/* Shifts and rotates (shift count taken modulo the type width) */
DEF(shl, 1, 2, 0, 0)
DEF(shr, 1, 2, 0, 0)
DEF(sar, 1, 2, 0, 0)
DEF(rotl, 1, 2, 0, 0)
DEF(rotr, 1, 2, 0, 0)

/* Bit counts: clz/ctz take the result for a zero input as 2nd input */
DEF(clz, 1, 2, 0, 0)
DEF(ctz, 1, 2, 0, 0)
DEF(ctpop, 1, 1, 0, 0)

/* Byte swaps: results zero-extended to the type width */
DEF(bswap16, 1, 1, 0, 0)
DEF(bswap32, 1, 1, 0, 0)
DEF(bswap64, 1, 1, 0, TCG_OPF_64)

/* Extensions within one type */
DEF(ext8s, 1, 1, 0, 0)
DEF(ext8u, 1, 1, 0, 0)
DEF(ext16s, 1, 1, 0, 0)
DEF(ext16u, 1, 1, 0, 0)
DEF(ext32s, 1, 1, 0, TCG_OPF_64)
DEF(ext32u, 1, 1, 0, TCG_OPF_64)

/* Conversions between i32 and i64 (op type is that of the output) */
DEF(ext_i32_i64, 1, 1, 0, TCG_OPF_64)
DEF(extu_i32_i64, 1, 1, 0, TCG_OPF_64)
DEF(extrl_i64_i32, 1, 1, 0, 0)

/* Bit fields: (out, in, pos, len) and deposit (out, base, val, pos, len) */
DEF(extract, 1, 1, 2, 0)
DEF(sextract, 1, 1, 2, 0)
DEF(deposit, 1, 2, 2, 0)

/*
 * ext32s_chk d, a, hint: ext32s, for a value that usually is sign-extended
 * already (see tcg_gen_ext32s_chk_i64); d and a share a register.
 */
DEF(ext32s_chk, 1, 1, 1, TCG_OPF_64)

/*
 * IEEE binary64/binary32 arithmetic on bit patterns held in integer
 * temps, in the host's default environment (round to nearest even, no
 * flags kept): (d, a, b[, c], TCGFPOp).  The frontend checks the result
 * and falls back to a helper where the host's answer could differ from
 * the guest's (tcg-op.h, tcg_gen_fpop2_i64).
 */
DEF(fpop2, 1, 2, 1, TCG_OPF_64)
DEF(fpop3, 1, 3, 1, TCG_OPF_64)

/*
 * fpcmp d, a, b, cond[|TCG_FP_SINGLE]: the IEEE compare a cond b (EQ, LT
 * or LE) of the binary64 (binary32: low 32 bits) values: d = 1 or 0 when
 * the operands are ordered, d = 2 when one is a NaN.  No flags are kept
 * (tcg_gen_fpcmp_i64).
 */
DEF(fpcmp, 1, 2, 1, TCG_OPF_64)

/*
 * Host SIMD on guest vector registers kept in env memory (the V
 * extension): (ok, scalar, desc, offsets); see TCGVecOp in tcg.h.
 */
DEF(vecop, 1, 1, 2, TCG_OPF_64 | TCG_OPF_SIDE_EFFECTS)

/* Guest memory: (val, addr, memop) */
DEF(qemu_ld, 1, 1, 1, TCG_OPF_SIDE_EFFECTS)
DEF(qemu_st, 0, 2, 1, TCG_OPF_SIDE_EFFECTS)

/* Guest memory atomics: (old, addr, [cmp,] new, memop) */
DEF(atomic_cmpxchg, 1, 3, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_xchg, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_add, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_and, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_or, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_xor, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_smin, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_smax, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_umin, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)
DEF(atomic_fetch_umax, 1, 2, 1, TCG_OPF_SIDE_EFFECTS)

/* Leaving the TB */
DEF(goto_tb, 0, 0, 1, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)
DEF(exit_tb, 0, 0, 1, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)
DEF(goto_ptr, 0, 1, 0, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)
/* Jump to the TB of guest pc (input); carg: inline-cache slot or -1. */
DEF(goto_lookup, 0, 1, 1, TCG_OPF_BB_EXIT | TCG_OPF_BB_END)

#undef DEF
