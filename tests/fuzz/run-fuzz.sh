#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-fuzz.sh FUZZER TARGET GEN SECONDS [LIBFUZZER-OPTION...]: the meson
# test of one libFuzzer target (suite 'fuzz').
#
#  1. replay every input in tests/fuzz/regress/TARGET/ (crashes found
#     before: each must now pass);
#  2. write the seed corpus with GEN into seeds-TARGET/ next to FUZZER
#     (translate: run the seeds with a 1 MiB code buffer, which flushes);
#  3. fuzz for SECONDS, keeping what it finds in corpus-TARGET/ (so runs
#     build on each other) and any crash as crash-* in that directory.
#     The random seed is FUZZ_SEED (default 1), so that a CI run explores
#     the same inputs as the run before it (a slower machine only fewer of
#     them); long runs pick other seeds.
#
# Exit status: libFuzzer's (0, or non-zero on a crash, leak or timeout).
# For the long run see docs/testing.md, "fuzz".
set -eu

fuzzer=$1 target=$2 gen=$3 seconds=$4
shift 4
here=$(cd "$(dirname "$0")" && pwd)
work=$(cd "$(dirname "$fuzzer")" && pwd)
regress=$here/regress/$target

# Symbolized reports: clang-19 alone has no llvm-symbolizer (llvm-19 has).
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
    for s in llvm-symbolizer-19 llvm-symbolizer; do
        if command -v "$s" >/dev/null; then
            ASAN_SYMBOLIZER_PATH=$(command -v "$s")
            export ASAN_SYMBOLIZER_PATH
            break
        fi
    done
fi

if [ -d "$regress" ] && [ -n "$(ls -A "$regress")" ]; then
    echo "== replaying $regress"
    "$fuzzer" -close_fd_mask=3 "$regress"/*
fi
rm -rf "$work/seeds-$target"
"$gen" "$target" "$work/seeds-$target"
if [ "$target" = translate ]; then
    # A 1 MiB code buffer: the seeds, 60 times each, fill it twice, and
    # the flushes inside and outside cpu_exec() (the long run's crashes:
    # docs/testing.md, "fuzz") must pass.
    echo "== the seeds with a 1 MiB code buffer"
    FUZZ_CODE_BUFFER_SIZE=0x100000 "$fuzzer" -close_fd_mask=1 -runs=60 \
        "$work/seeds-$target"/*
fi
mkdir -p "$work/corpus-$target" "$work/artifacts-$target"
echo "== fuzzing $target for ${seconds}s"
exec "$fuzzer" -max_total_time="$seconds" -seed="${FUZZ_SEED:-1}" \
    -close_fd_mask=3 -timeout=10 \
    -rss_limit_mb=4096 -print_final_stats=1 \
    -artifact_prefix="$work/artifacts-$target/" "$@" \
    "$work/corpus-$target" "$work/seeds-$target"
