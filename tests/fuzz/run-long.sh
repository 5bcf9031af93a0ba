#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-long.sh FUZZER TARGET EXECUTIONS [STATE-DIR] [-- LIBFUZZER-OPTION...]
# run-long.sh -s [STATE-DIR...]                  (summary only)
#
# The long run of one libFuzzer target (issue 15: 10 million executions
# per target), resumable across sessions.  Its state lives outside the
# repository, in STATE-DIR (default /var/tmp/ctcg-fuzz/TARGET):
#
#   corpus/     the corpus, kept from run to run (seeded from the seed
#               corpus, gen-seeds.py, on the first run)
#   artifacts/  crash-*, timeout-* (hangs), oom-*, leak-* inputs
#   log         one line per finished chunk:
#                 date seed executions cov ft status
#               status: ok, interrupted, crash, timeout, oom, leak
#   out/        libFuzzer's output of the last chunks
#
# The run goes in chunks of at most CHUNK executions (default 1,000,000)
# with seed SEED0 + chunk number (the log's line count), each chunk
# -runs=N on the kept corpus, until the executions in the log sum to
# EXECUTIONS.  Stopping it (SIGINT or SIGTERM to this script) stops the
# fuzzer, whose final statistics still count; so does a chunk that ends
# on a crash or a hang: the input is kept in artifacts/, counted in the
# log, and the next chunk goes on with another seed (up to MAX_FAILS
# failed chunks, default 5: fix them first).  Run it under `nice -n 19`.
#
# Environment: CHUNK, SEED0 (default 1000), MAX_FAILS, GEN (gen-seeds.py
# for the first run's seeds; default next to this script).
set -eu

here=$(cd "$(dirname "$0")" && pwd)

# summary STATE-DIR: executions, chunks, last cov/ft, failures.
summary() {
    if [ ! -f "$1/log" ]; then
        echo "$1: no runs"
        return
    fi
    awk -v d="$1" '
        { ex += $3; n++; cov = $4; ft = $5; if ($6 != "ok" && $6 != "interrupted") f[$6]++ }
        END {
            s = "";
            for (k in f) s = s " " k "=" f[k];
            printf "%s: %d executions in %d chunks, cov %s, ft %s, failures:%s\n",
                d, ex, n, cov, ft, (s == "" ? " none" : s)
        }' "$1/log"
}

if [ "${1:-}" = "-s" ]; then
    shift
    if [ $# -eq 0 ]; then
        for d in /var/tmp/ctcg-fuzz/*/log; do
            [ -f "$d" ] && summary "$(dirname "$d")"
        done
        exit 0
    fi
    for d in "$@"; do
        summary "$d"
    done
    exit 0
fi

if [ $# -lt 3 ]; then
    sed -n '4,5p' "$0" >&2
    exit 2
fi
fuzzer=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
target=$2 want=$3
shift 3
state=/var/tmp/ctcg-fuzz/$target
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
    state=$1
    shift
fi
if [ "${1:-}" = "--" ]; then
    shift
fi
chunk=${CHUNK:-1000000}
seed0=${SEED0:-1000}
max_fails=${MAX_FAILS:-5}
gen=${GEN:-$here/gen-seeds.py}

mkdir -p "$state/corpus" "$state/artifacts" "$state/out"
touch "$state/log"
exec 9>"$state/lock"
if ! flock -n 9; then
    echo "run-long.sh: $state is in use by another run" >&2
    exit 1
fi
if [ -z "$(ls -A "$state/corpus")" ]; then
    rm -rf "$state/seeds"
    "$gen" "$target" "$state/seeds"
    cp "$state/seeds"/* "$state/corpus/"
    rm -rf "$state/seeds"
fi
for s in llvm-symbolizer-19 llvm-symbolizer; do
    if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v "$s" >/dev/null; then
        ASAN_SYMBOLIZER_PATH=$(command -v "$s")
        export ASAN_SYMBOLIZER_PATH
    fi
done

pid=
stop=0
trap 'stop=1; [ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null || :' INT TERM

done_execs() { awk '{ s += $3 } END { print s + 0 }' "$state/log"; }

while [ "$stop" = 0 ]; do
    have=$(done_execs)
    left=$((want - have))
    if [ "$left" -le 0 ]; then
        break
    fi
    fails=$(awk '$6 != "ok" && $6 != "interrupted" { n++ } END { print n + 0 }' "$state/log")
    if [ "$fails" -ge "$max_fails" ]; then
        echo "run-long.sh: $fails failed chunks, see $state/artifacts" >&2
        exit 1
    fi
    n=$chunk
    if [ "$left" -lt "$n" ]; then
        n=$left
    fi
    seed=$((seed0 + $(wc -l <"$state/log")))
    out=$state/out/chunk-$seed.txt
    echo "== $target: $have of $want executions; chunk of $n, seed $seed"
    "$fuzzer" -runs="$n" -seed="$seed" -close_fd_mask=3 -timeout=10 \
        -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$state/artifacts/" "$@" "$state/corpus" \
        >"$out" 2>&1 &
    pid=$!
    rc=0
    wait "$pid" || rc=$?
    # wait returns early on a trapped signal: wait for the fuzzer itself
    while kill -0 "$pid" 2>/dev/null; do
        wait "$pid" || rc=$?
    done
    pid=
    # executions: the final stats, else the last "#N" status line
    ex=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -n 1)
    if [ -z "$ex" ]; then
        ex=$(sed -n 's/^#\([0-9][0-9]*\).*/\1/p' "$out" | tail -n 1)
    fi
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' "$out" | tail -n 1)
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' "$out" | tail -n 1)
    if grep -q 'ERROR: libFuzzer: timeout' "$out"; then
        status=timeout
    elif grep -q 'ERROR: libFuzzer: out-of-memory' "$out"; then
        status=oom
    elif grep -q 'ERROR: LeakSanitizer' "$out"; then
        status=leak
    elif grep -q 'run interrupted' "$out" || [ "$stop" = 1 ]; then
        status=interrupted
    elif [ "$rc" != 0 ]; then
        status=crash
    else
        status=ok
    fi
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) $seed ${ex:-0} ${cov:-0} ${ft:-0} $status" \
        >>"$state/log"
    if [ "$status" != ok ] && [ "$status" != interrupted ]; then
        echo "run-long.sh: chunk seed $seed: $status (output: $out)" >&2
        grep -m 3 -E 'ERROR|SUMMARY|Test unit written' "$out" >&2 || :
    fi
    # keep the output of the last 20 chunks
    ls -t "$state/out" | tail -n +21 | sed "s|^|$state/out/|" | xargs -r rm -f
done
summary "$state"
