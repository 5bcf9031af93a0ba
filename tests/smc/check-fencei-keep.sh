#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-fencei-keep.sh CTCG PROGRAM
# Run smc-samelen with TCG_STATS=1: besides its own checks, fence.i and
# riscv_flush_icache must drop only the TBs whose code changed, so the
# count of TBs they invalidated stays small (the unchanged 64-block
# function flushed 500 times would cost over 30000 otherwise).
ctcg=$1
prog=$2
limit=${FENCEI_LIMIT:-2000}

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

TCG_STATS=1 "$ctcg" "$prog" >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
if [ $rc -ne 0 ]; then
    echo "exit status $rc"
    cat "$tmp/err"
    exit 1
fi
n=$(sed -n 's/.*fence\.i\/flush_icache \([0-9]*\).*/\1/p' "$tmp/err")
if [ -z "$n" ]; then
    echo "no TCG_STATS invalidation line"
    cat "$tmp/err"
    exit 1
fi
echo "TBs invalidated by fence.i/flush_icache: $n (limit $limit)"
[ "$n" -le "$limit" ]
