#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-tiers.sh CTCG PROGRAM
# The two translation tiers (accel/tcg/tb.h): PROGRAM's loops must make
# some cold TBs hot (TCG_STATS counts the hot retranslations), and its
# output must be the same as with -one-insn-per-tb, which has no tiers.
ctcg=$1
prog=$2

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

if ! TCG_STATS=1 "$ctcg" "$prog" >"$tmp/tiers.out" 2>"$tmp/tiers.err"; then
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
