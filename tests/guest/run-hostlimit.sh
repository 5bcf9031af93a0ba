#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-hostlimit.sh CTCG PROGRAM: ctcg under a tight host RLIMIT_AS (soft
# and hard, so ctcg cannot lift it) ends cleanly when its own memory runs
# out (issue 15).  PROGRAM is lim_hostmem (threads that translate code).
#
# First the smallest limit (16 MiB steps, guest space 64 MiB) under which
# PROGRAM runs with no threads; then PROGRAM with up to 400 threads under
# that limit plus 0-400 MiB.  Each run must exit 0 (the guest saw EAGAIN
# for a thread it could not start), or 1 with ctcg's "out of host memory"
# or start-up message; never a signal, an abort, a glibc message or a
# hang (30 s).
ctcg=$1
prog=$2
MB=1048576

if ! command -v prlimit >/dev/null; then
    echo "SKIP: prlimit (util-linux) is not installed"
    exit 77
fi
export CTCG_RESERVED_VA=64M
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

base=
for mb in $(seq 256 16 2048); do
    if prlimit --as=$((mb * MB)):$((mb * MB)) "$ctcg" "$prog" 0 \
            >/dev/null 2>&1; then
        base=$mb
        break
    fi
done
if [ -z "$base" ]; then
    echo "FAIL: no RLIMIT_AS up to 2 GiB lets ctcg run $prog"
    exit 1
fi
echo "smallest RLIMIT_AS for a run: $base MiB"

rc=0
for extra in 0 16 32 64 100 200 400; do
    mb=$((base + extra))
    timeout 30 prlimit --as=$((mb * MB)):$((mb * MB)) "$ctcg" "$prog" \
        >"$tmp/out" 2>"$tmp/err"
    st=$?
    if [ $st -eq 0 ] && grep -q "lim_hostmem: ok" "$tmp/out"; then
        what="ran ($(grep -o '[0-9]* threads' "$tmp/err"))"
    elif [ $st -eq 1 ] && grep -q "^ctcg: out of host memory" "$tmp/err" &&
            ! grep -v "^ctcg: out of host memory\|^lim_hostmem:" "$tmp/err" \
              | grep -q .; then
        what="clean exit: $(grep '^ctcg' "$tmp/err")"
    else
        what="FAIL: exit status $st"
        rc=1
    fi
    echo "RLIMIT_AS $mb MiB: $what"
    [ $rc -eq 0 ] || cat "$tmp/err"
done
exit $rc
