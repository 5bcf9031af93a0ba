#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-tiers.sh CTCG PROGRAM [LONGLOOP]
# The two translation tiers (accel/tcg/tb.h): PROGRAM's loops must make
# some cold TBs hot under -tb-hot 64 (TCG_STATS counts the hot
# retranslations; PROGRAM's loops run fewer times than the default
# TB_HOT_THRESHOLD), and its output must be the same as with
# -one-insn-per-tb, which has no tiers.  The translation cost line of
# TCG_STATS must count guest instructions (hot ones among them) and split
# the timed ones into phases adding up to 100%.  LONGLOOP, a program with
# a loop running well past the default threshold, must reach the hot tier
# with the default threshold (no -tb-hot, no CTCG_TB_HOT).
ctcg=$1
prog=$2
longloop=$3

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

unset CTCG_TB_HOT
if [ -n "$longloop" ]; then
    if ! TCG_STATS=1 "$ctcg" "$longloop" >/dev/null 2>"$tmp/long.err"; then
        echo "ctcg-riscv64 failed on $longloop:"
        cat "$tmp/long.err"
        exit 1
    fi
    hot=$(sed -n 's/^TCG_STATS total:.*(hot \([0-9]*\)[,)].*/\1/p' "$tmp/long.err")
    echo "default threshold, $longloop: hot retranslations: ${hot:-none}"
    if [ -z "$hot" ] || [ "$hot" -eq 0 ]; then
        echo "no TB became hot with the default threshold:"
        cat "$tmp/long.err"
        exit 1
    fi
fi
if ! TCG_STATS=1 "$ctcg" -tb-hot 64 "$prog" >"$tmp/tiers.out" 2>"$tmp/tiers.err"; then
    echo "ctcg-riscv64 failed:"
    cat "$tmp/tiers.err"
    exit 1
fi
hot=$(sed -n 's/^TCG_STATS total:.*(hot \([0-9]*\)[,)].*/\1/p' "$tmp/tiers.err")
echo "hot retranslations: ${hot:-none}"
if [ -z "$hot" ] || [ "$hot" -eq 0 ]; then
    echo "no TB became hot:"
    cat "$tmp/tiers.err"
    exit 1
fi
tl=$(grep '^TCG_STATS translation:' "$tmp/tiers.err")
echo "$tl"
if ! echo "$tl" | awk '{
        gsub(/[(),;%]/, " ");
        insns = $3; hot = $7; timed = $12; sum = 0;
        for (i = 26; i < NF; i += 2) sum += $(i + 1);
        ok = $26 == "decode+IR" && $34 == "publish+hash" && insns > 0 &&
             hot > 0 && hot <= insns && timed > 0 && timed <= insns &&
             sum > 99 && sum < 101;
        exit !ok }'; then
    echo "bad or missing TCG_STATS translation line:"
    cat "$tmp/tiers.err"
    exit 1
fi
if ! "$ctcg" -one-insn-per-tb "$prog" >"$tmp/single.out" 2>&1; then
    echo "ctcg-riscv64 -one-insn-per-tb failed"
    exit 1
fi
if ! cmp -s "$tmp/tiers.out" "$tmp/single.out"; then
    echo "output differs from -one-insn-per-tb:"
    diff "$tmp/single.out" "$tmp/tiers.out" | head -20
    exit 1
fi
echo "ok: same output as -one-insn-per-tb"
