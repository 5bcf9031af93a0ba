#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-stress.sh EMULATOR PROGRAM [EXPECTED_STATUS] [args...]
#
# Run a riscv64 stress program under EMULATOR (ctcg-riscv64) and check
# that it exits with EXPECTED_STATUS (default 0) within STRESS_TIMEOUT
# seconds (default 50; a hang is reported as such, with the stderr so far).
#
# Environment:
#   STRESS_QEMU       a qemu-riscv64 to run the program under as well; its
#                     exit status must be EXPECTED_STATUS too
#   STRESS_COMPARE=1  with STRESS_QEMU: stdout must match qemu's exactly
#   STRESS_LD_PREFIX  for dynamic programs: passed as -L to both emulators
#   STRESS_LD_LIBRARY_PATH  also passed to the guest as LD_LIBRARY_PATH
#                     (-E), for emulators that only apply -L to the ELF
#                     interpreter and not to the libraries it opens
#   STRESS_TIMEOUT    seconds per run
#   STRESS_TIMEOUT_MUL  an integer factor for it (sanitizer builds: .ci/run's
#                     ThreadSanitizer pass uses 3)
#
# Exit: 0 on success, 1 on a wrong status/output or a hang, 77 (skip) if
# the program is missing.
emu=$1
prog=$2
expected=${3:-0}
[ $# -ge 2 ] && shift 2
[ $# -ge 1 ] && shift 1
limit=$((${STRESS_TIMEOUT:-50} * ${STRESS_TIMEOUT_MUL:-1}))

if [ ! -x "$prog" ]; then
    echo "run-stress: $prog not found, skipping"
    exit 77
fi

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

set -- "$prog" "$@"
if [ -n "$STRESS_LD_LIBRARY_PATH" ]; then
    set -- -E "LD_LIBRARY_PATH=$STRESS_LD_LIBRARY_PATH" "$@"
fi
if [ -n "$STRESS_LD_PREFIX" ]; then
    set -- -L "$STRESS_LD_PREFIX" "$@"
fi

if command -v timeout >/dev/null 2>&1; then
    tmo="timeout -k 5 $limit"
else
    tmo=
fi

now() { date +%s.%N 2>/dev/null || date +%s; }

# run NAME EXE: run "$@" under EXE, set rc; output in $tmp/NAME.{out,err}
run() {
    name=$1 exe=$2
    shift 2
    t0=$(now)
    $tmo "$exe" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" </dev/null
    rc=$?
    t1=$(now)
    secs=$(awk "BEGIN { printf \"%.2f\", $t1 - $t0 }" 2>/dev/null)
}

fail=0

run ctcg "$emu" "$@"
crc=$rc
echo "== $(basename "$emu") $*: status $crc (want $expected), ${secs}s"
cat "$tmp/ctcg.out"
if [ -s "$tmp/ctcg.err" ]; then
    echo "-- stderr:"
    cat "$tmp/ctcg.err"
fi
if [ -n "$tmo" ] && { [ $crc -eq 124 ] || [ $crc -eq 137 ]; }; then
    echo "FAIL: HANG: no exit within ${limit}s under $(basename "$emu")"
    fail=1
elif [ $crc -ne "$expected" ]; then
    if [ $crc -gt 128 ]; then
        echo "FAIL: killed by signal $((crc - 128)) under $(basename "$emu")"
    else
        echo "FAIL: exit status $crc under $(basename "$emu"), want $expected"
    fi
    fail=1
fi

if [ -n "$STRESS_QEMU" ] && [ -x "$STRESS_QEMU" ]; then
    run qemu "$STRESS_QEMU" "$@"
    echo "== $(basename "$STRESS_QEMU"): status $rc, ${secs}s"
    if [ $rc -ne "$expected" ]; then
        echo "qemu-riscv64 exit status $rc, want $expected (test or host" \
             "problem, not ctcg's):"
        cat "$tmp/qemu.out" "$tmp/qemu.err"
        fail=1
    elif [ "$STRESS_COMPARE" = 1 ] && [ $fail -eq 0 ] &&
         ! diff -u "$tmp/qemu.out" "$tmp/ctcg.out" >"$tmp/diff"; then
        echo "FAIL: stdout differs from qemu-riscv64's (- qemu, + ctcg):"
        cat "$tmp/diff"
        fail=1
    fi
fi
exit $fail
