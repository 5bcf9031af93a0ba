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

# start KIB: one run with no threads under KIB KiB; 0 ran, 1 refused
# cleanly (exit 1 and ctcg's one-line message), 2 anything else.
start() {
    timeout 30 prlimit --as=$(($1 * 1024)):$(($1 * 1024)) "$ctcg" "$prog" 0 \
        >"$tmp/out" 2>"$tmp/err"
    case $? in
    0) return 0 ;;
    1) [ "$(wc -l < "$tmp/err")" -eq 1 ] &&
           grep -q "^ctcg.*: \(out of host memory\|cannot\|Unable\)" \
               "$tmp/err" && return 1 ;;
    esac
    return 2
}

base=
for mb in $(seq 256 16 2048); do
    start $((mb * 1024))
    st=$?
    if [ $st -eq 2 ]; then
        echo "FAIL: RLIMIT_AS $mb MiB: start-up did not end cleanly"
        cat "$tmp/err"
        exit 1
    elif [ $st -eq 0 ]; then
        base=$mb
        break
    fi
done
if [ -z "$base" ]; then
    echo "FAIL: no RLIMIT_AS up to 2 GiB lets ctcg run $prog"
    exit 1
fi
echo "smallest RLIMIT_AS for a run: $base MiB"
# Just below it, every 128 KiB: the start-up's last allocations (the code
# buffer, the TB hash and liburcu's worker thread, the first translation)
# each fail in turn there, and each must end cleanly.
for kib in $(seq $(((base - 16) * 1024)) 128 $((base * 1024))); do
    start "$kib"
    if [ $? -eq 2 ]; then
        echo "FAIL: RLIMIT_AS $kib KiB: start-up did not end cleanly"
        cat "$tmp/err"
        exit 1
    fi
done
echo "every limit from $((base - 16)) to $base MiB in 128 KiB steps: clean"

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
