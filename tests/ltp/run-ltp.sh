#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-ltp.sh [-j N] [-t SECONDS] [-T SECONDS] [-c CTCG] [-q QEMU] [-k] TEST...
#
# Runs LTP test binaries (static riscv64 builds, see docs/testing.md,
# "LTP") under ctcg-riscv64 and under qemu-riscv64 and prints one line per
# test: name, qemu result, ctcg result, and "WORSE"/"better" where they
# differ.  Last line: "N worse under ctcg, M better (of T)".
#
# This is an outside check, not part of CI or meson: LTP is not in the
# repository.  Each TEST is a path to an LTP binary (e.g.
# /tmp/ltp-src/testcases/kernel/syscalls/pipe/pipe13); a directory stands
# for every executable in it that has a matching .c file.
#
# Every run: as the calling user (run as root, as LTP expects), from a
# fresh scratch directory that is also TMPDIR, with the test's own
# directory first in PATH (LTP finds helper binaries such as execve_child
# there), LTPROOT set to the LTP tree, and an outer time limit (default
# 30 s; the process group is killed at the limit).  LTP_RUNTIME_MUL is
# 0.1 unless set, so that tests that run for a fixed time (fuzzy-sync
# races, 150 s and more) fit in the limit; LTP_TIMEOUT_MUL is left alone
# (1): some tests scale their sleeps by it (futex_cmp_requeue01).  A test
# with a minimum runtime (.min_runtime, not scaled: shmctl05 40 s,
# preadv203 60 s per file system) that times out while its log gives a
# limit per run above ours is run again under the long limit (-T,
# default 600 s).
#
# Results come from the exit status.  LTP's test library ORs TFAIL (1),
# TBROK (2), TWARN (4) and TCONF (32) into its exit status; 124 is our
# timeout; 128+N (or a status the library never makes) is a crash.
# The ranking used for "worse" is
#   PASS < TCONF < TWARN < TFAIL < TBROK < TIMEOUT < crash.
#
# With -j N > 1, tests that came out worse are run again alone at the end
# (tests run side by side race for loop devices) and that result counts.
#
# Tests that set the host's clock (clock_settime*, settimeofday*, stime*,
# adjtimex*, clock_adjtime*, leapsec*) are left out unless -C is given:
# one killed at the limit skips its cleanup and leaves the machine's clock
# wrong (clock_settime03 sets it to 2038; that happened once and broke
# every build and timing on the machine).
#
# Options: -j N run N tests at once (default 1), -t limit in seconds, -T
# the long limit, -c / -q the emulators (default: build/ctcg-riscv64 next
# to this script's repository and qemu-riscv64 from PATH), -k keep the
# scratch directories and logs (printed on stderr), -v print the ctcg log
# of tests that are worse, -C also run the tests that set the clock.
set -u

here=$(cd "$(dirname "$0")" && pwd)
ctcg=$here/../../build/ctcg-riscv64
qemu=$(command -v qemu-riscv64 || echo /usr/bin/qemu-riscv64)
jobs=1
limit=30
long=600
keep=0
verbose=0
clock=0
while getopts "j:t:T:c:q:kvC" o; do
    case $o in
    j) jobs=$OPTARG ;;
    t) limit=$OPTARG ;;
    T) long=$OPTARG ;;
    c) ctcg=$OPTARG ;;
    q) qemu=$OPTARG ;;
    k) keep=1 ;;
    v) verbose=1 ;;
    C) clock=1 ;;
    *) sed -n '4,42p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || { sed -n '4,42p' "$0"; exit 2; }
ctcg=$(cd "$(dirname "$ctcg")" && pwd)/$(basename "$ctcg")

# result STATUS -> PASS/TCONF/TWARN/TFAIL/TBROK/TIMEOUT/SIGn/EXITn
result() {
    local rc=$1
    if [ "$rc" -eq 0 ]; then echo PASS
    elif [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then echo TIMEOUT
    elif [ "$rc" -gt 128 ]; then echo "SIG$((rc - 128))"
    elif [ $((rc & ~(1 | 2 | 4 | 16 | 32))) -ne 0 ]; then echo "EXIT$rc"
    elif [ $((rc & 2)) -ne 0 ]; then echo TBROK
    elif [ $((rc & 1)) -ne 0 ]; then echo TFAIL
    elif [ $((rc & 4)) -ne 0 ]; then echo TWARN
    elif [ $((rc & 32)) -ne 0 ]; then echo TCONF
    else echo PASS
    fi
}

rank() {
    case $1 in
    PASS) echo 0 ;; TCONF) echo 1 ;; TWARN) echo 2 ;; TFAIL) echo 3 ;;
    TBROK) echo 4 ;; TIMEOUT) echo 5 ;; *) echo 6 ;;
    esac
}

# ltp_timeout LOG -> LTP's own limit per run in seconds (0 if not printed)
ltp_timeout() {
    sed -n 's/.*Overall timeout per run is \([0-9]*\)h \([0-9]*\)m \([0-9]*\)s.*/\1 \2 \3/p' "$1" |
        head -1 | { read -r h m s && echo $((10#$h * 3600 + 10#$m * 60 + 10#$s)) || echo 0; }
}

# run_one EMULATOR TEST LOG -> prints the result; a TIMEOUT of a test
# whose own limit per run is above ours (a fixed .min_runtime, which
# LTP_RUNTIME_MUL does not shorten) is run again with the long limit.
run_one() {
    local r
    r=$(run_once "$limit" "$@")
    if [ "$r" = TIMEOUT ] && [ "$(ltp_timeout "$3")" -gt "$limit" ]; then
        r=$(run_once "$long" "$@")
    fi
    echo "$r"
}

# run_once LIMIT EMULATOR TEST LOG -> prints the result
run_once() {
    local limit=$1 emu=$2 test=$3 log=$4 scratch rc
    scratch=$(mktemp -d /tmp/ltp-run.XXXXXX) || exit 99
    (
        cd "$scratch" || exit 99
        export TMPDIR=$scratch LTPROOT=${LTPROOT:-$(dirname "$test")/../../../..}
        export LTP_RUNTIME_MUL=${LTP_RUNTIME_MUL:-0.1}
        export PATH=$(dirname "$test"):$PATH
        exec timeout -k 5 "$limit" "$emu" "$test" </dev/null >"$log" 2>&1
    )
    rc=$?
    if [ $keep -eq 1 ]; then
        echo "$test: scratch $scratch, log $log" >&2
    else
        rm -rf "$scratch"
    fi
    result $rc
}

# one_test TEST -> prints the table line
one_test() {
    local test=$1 name logdir q c mark=""
    name=$(basename "$test")
    logdir=$(mktemp -d /tmp/ltp-log.XXXXXX)
    q=$(run_one "$qemu" "$test" "$logdir/qemu.log")
    c=$(run_one "$ctcg" "$test" "$logdir/ctcg.log")
    if [ "$(rank "$c")" -gt "$(rank "$q")" ]; then
        mark=WORSE
        if [ $verbose -eq 1 ]; then
            sed 's/^/    | /' "$logdir/ctcg.log" | tail -20 >&2
        fi
    elif [ "$(rank "$c")" -lt "$(rank "$q")" ]; then
        mark=better
    fi
    printf '%-28s %-8s %-8s %s\n' "$name" "$q" "$c" "$mark"
    [ $keep -eq 1 ] || rm -rf "$logdir"
}
export -f one_test run_one run_once ltp_timeout result rank
export ctcg qemu limit long keep verbose

# add_test PATH: queue it, unless it sets the host clock (see -C).
add_test() {
    case $(basename "$1") in
    clock_settime* | settimeofday* | stime* | adjtimex* | clock_adjtime* | leapsec*)
        if [ $clock -eq 0 ]; then
            echo "run-ltp.sh: $(basename "$1") left out: it sets the host clock (-C runs it)" >&2
            return
        fi
        ;;
    esac
    tests+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")")
}

tests=()
for t in "$@"; do
    if [ -d "$t" ]; then
        for f in "$t"/*; do
            [ -f "$f" ] && [ -x "$f" ] && [ -f "$f.c" ] && add_test "$f"
        done
    else
        add_test "$t"
    fi
done
[ ${#tests[@]} -gt 0 ] || { echo "run-ltp.sh: no tests to run" >&2; exit 2; }

printf '%-28s %-8s %-8s\n' test qemu ctcg
out=$(mktemp)
printf '%s\n' "${tests[@]}" | xargs -P "$jobs" -I{} bash -c 'one_test "$1"' _ {} | tee "$out"
# Tests run side by side can race for a loop device or a port: run the
# worse ones again, alone, and keep that result.
if [ "$jobs" -gt 1 ] && grep -q ' WORSE$' "$out"; then
    echo "# rerun alone:"
    for t in "${tests[@]}"; do
        n=$(basename "$t")
        grep -q "^$n  *[^ ]*  *[^ ]*  *WORSE\$" "$out" || continue
        line=$(one_test "$t")
        echo "$line"
        grep -v "^$n " "$out" >"$out.new"
        echo "$line" >>"$out.new"
        mv "$out.new" "$out"
    done
fi
worse=$(grep -c ' WORSE$' "$out")
better=$(grep -c ' better$' "$out")
total=$(wc -l <"$out")
rm -f "$out"
echo "$worse worse under ctcg, $better better (of $total)"
