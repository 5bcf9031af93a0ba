#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-stacktop.sh CTCG MEM_STACKTOP
# mem_stacktop under ctcg with TCG_STATS=1: the number of thread stack
# tops that ctcg populated (linux-user/mmap.c) must be the number of
# mappings the program says qualify, no more and no fewer.  The last
# such TCG_STATS line is the parent's (its forked children exit first).
ctcg=$1
prog=$2

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
want=$(sed -n 's/^stack tops to populate: \([0-9]*\)$/\1/p' "$tmp/out")
got=$(sed -n 's/^TCG_STATS thread stack tops populated \([0-9]*\)$/\1/p' \
    "$tmp/err" | tail -n 1)
echo "populated: ${got:-none}, want ${want:-?}"
if [ -z "$want" ] || [ "$got" != "$want" ]; then
    echo "FAIL"
    exit 1
fi
