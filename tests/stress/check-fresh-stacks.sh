#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-fresh-stacks.sh CTCG MANY_THREADS
# 200 threads created one after another, all alive (many-threads live):
# with TCG_STATS=1, ctcg reports where each clone's host stack came from.
# None can come from the pool (no thread has exited yet), and some must be
# fresh ones that an earlier new thread made ahead for its creator
# (linux-user/thread.c, host_stack_refill): the creator's path has no
# mmap, mprotect nor madvise for them.
ctcg=$1
prog=$2

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

TCG_STATS=1 "$ctcg" "$prog" live 200 >"$tmp/out" 2>"$tmp/err"
rc=$?
cat "$tmp/out"
if [ $rc -ne 0 ]; then
    echo "exit status $rc"
    cat "$tmp/err"
    exit 1
fi
line=$(grep 'TCG_STATS host stacks:' "$tmp/err")
if [ -z "$line" ]; then
    echo "no TCG_STATS host stacks line"
    exit 1
fi
echo "$line"
set -- $(echo "$line" | sed 's/[^0-9 ]//g')
pooled=$1 fresh=$2 ahead=$3 made=$4
if [ "$pooled" -ne 0 ] || [ "$fresh" -lt 1 ] || [ "$ahead" -lt "$fresh" ] ||
    [ $((pooled + fresh + made)) -gt 200 ]; then
    echo "FAIL: pooled $pooled, fresh $fresh, ahead $ahead, made $made"
    exit 1
fi
