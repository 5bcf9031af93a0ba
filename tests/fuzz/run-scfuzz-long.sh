#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-scfuzz-long.sh CTCG SC_FUZZ CALLS [STATE-DIR]
# run-scfuzz-long.sh -s [STATE-DIR]                 (summary only)
#
# The long run of the syscall-layer fuzzer (tests/guest/sc_fuzz.c; issue
# 15: 10 million executions per target, here one execution is one random
# system call), resumable across sessions.  CTCG is ctcg-riscv64, SC_FUZZ
# the riscv64 sc_fuzz program: copy both out of the build directory first
# (a rebuild must not change them under a run).  State, outside the
# repository, in STATE-DIR (default /var/tmp/ctcg-fuzz/scfuzz):
#
#   log        one line per seed:  date seed batches calls-made status
#              status: ok, fail (sc_fuzz found an emulator error, a host
#              signal, a hang in the checks or a lost log marker)
#   fail-SEED/ sc_fuzz's output and ctcg's -strace log of a failed seed
#
# Each seed is BATCHES (default 40) forked batches of CALLS_PER (500)
# calls under -strace, as in docs/testing.md; seeds go on from the last
# one logged (SEED0, default 1000, the first time) until the calls made
# sum to CALLS.  Up to MAX_FAILS (5) failed seeds, then it stops: fix them
# first.  Run it under `nice -n 19`; SIGINT or SIGTERM stops it between
# seeds' output lines (the seed in progress is not logged).
set -eu

summary() {
    if [ ! -f "$1/log" ]; then
        echo "$1: no runs"
        return
    fi
    awk -v d="$1" '{ n++; calls += $4; if ($5 != "ok") f++ }
        END { printf "%s: %d calls in %d seeds, failed seeds: %d\n",
              d, calls, n, f }' "$1/log"
}

if [ "${1:-}" = "-s" ]; then
    summary "${2:-/var/tmp/ctcg-fuzz/scfuzz}"
    exit 0
fi
if [ $# -lt 3 ]; then
    echo "usage: $0 CTCG SC_FUZZ CALLS [STATE-DIR] | $0 -s [STATE-DIR]" >&2
    exit 2
fi
ctcg=$1 prog=$2 want=$3
state=${4:-/var/tmp/ctcg-fuzz/scfuzz}
batches=${BATCHES:-40} per=${CALLS_PER:-500} max_fails=${MAX_FAILS:-5}
mkdir -p "$state"
touch "$state/log"
# Stopped: leave the seed in progress out of the log (the trap runs once
# the foreground ctcg has ended).
trap 'rm -f "$state/out"; exit 130' INT TERM

while :; do
    done_calls=$(awk '{ s += $4 } END { print s + 0 }' "$state/log")
    fails=$(awk '$5 != "ok" { f++ } END { print f + 0 }' "$state/log")
    [ "$done_calls" -ge "$want" ] && break
    if [ "$fails" -ge "$max_fails" ]; then
        echo "$0: $fails failed seeds: stopping" >&2
        exit 1
    fi
    seed=$(awk 'END { print (NR ? $2 + 1 : 0) }' "$state/log")
    [ "$seed" -eq 0 ] && seed=${SEED0:-1000}
    rm -f "$state/strace.log" "$state/out"
    status=ok
    SCFUZZ_SEED=$seed SCFUZZ_BATCHES=$batches SCFUZZ_CALLS=$per \
        CTCG_STRACE=1 CTCG_LOG_FILENAME="$state/strace.log" \
        "$ctcg" "$prog" > "$state/out" 2>&1 || status=fail
    calls=$(sed -n 's/.*calls made: \([0-9]*\).*/\1/p' "$state/out" | tail -1)
    if [ -z "$calls" ]; then
        status=fail calls=0
    fi
    if [ "$status" != ok ]; then
        mkdir -p "$state/fail-$seed"
        mv "$state/out" "$state/strace.log" "$state/fail-$seed/" 2>/dev/null ||
            true
    fi
    echo "$(date -u +%FT%TZ) $seed $batches $calls $status" >> "$state/log"
done
rm -f "$state/strace.log" "$state/out"
summary "$state"
