#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Differential tester for the RISC-V frontend: random programs from
# difftest-gen, run under ctcg-riscv64 and qemu-riscv64 (the oracle),
# stdout (a binary dump of x0-x31, f0-f31, fcsr and a scratch buffer) and
# exit status compared byte for byte.
#
#   difftest.sh [options]
#     --category C    int mul zb fp rvc mem branch mix, a comma list, or all
#     --seed S        first program seed (programs use S, S+1, ... S+N-1)
#     --count N       programs per category            (default 10)
#     --insns K       random instructions per program  (default 200)
#     --jobs J        programs run in parallel         (default 2)
#     --ctcg PATH     emulator under test   (default build/ctcg-riscv64)
#     --gen PATH      difftest-gen binary   (default build/tests/difftest/
#                     difftest-gen, else compiled on the fly with cc)
#     --qemu PATH     oracle                (default qemu-riscv64)
#     --keep-dir DIR  where failing programs are kept (default
#                     ./difftest-failures)
#     --split N       end the translation block every N instructions
#                     (work around TB-size bugs to look for others)
#     --timeout T     seconds per emulator run (default 20)
#     --no-minimize   do not bisect failing programs
#     --max-reports M print at most M detailed reports per category
#                     (default 5; every failure is still kept on disk)
#
# One failing program is reproduced with
#     difftest.sh --category C --seed S --count 1 --insns K
# For every difference the report gives the seed, the category, the first
# differing register/field with both values, a minimal reproducer found by
# bisecting the program by truncation and replaying the guilty instructions
# from the register state QEMU had just before them, and its disassembly.
#
# Only things that are the same on both emulators are compared: programs
# set sp and gp themselves, the static (non-PIE) binary makes auipc/jal
# results identical, and nothing reads cycle/time/instret CSRs.

set -u

ME=$(readlink -f "$0")
ROOT=$(cd "$(dirname "$ME")/../.." && pwd)

# ---------------------------------------------------------------------------
# worker: one program (called through xargs with the environment below)

# shellcheck disable=SC2054 # (the commas are part of -Wl,--no-relax)
CFLAGS_RV=(-static -nostdlib -march=rv64gc_zba_zbb_zbc_zbs -Wl,--no-relax)

build() {       # build PREFIX GEN-ARGS...
    local p=$1
    shift
    "$DT_GEN" gen "$@" > "$p.S" 2> "$p.generr" || return 2
    "$DT_CC" "${CFLAGS_RV[@]}" "$p.S" -o "$p.elf" 2> "$p.asmerr" || return 2
}

run_both() {    # run_both PREFIX: 0 same, 1 different
    local p=$1
    # (the braces keep bash's "Aborted"/"Segmentation fault" notes quiet)
    { timeout "$DT_TIMEOUT" "$DT_QEMU" "$p.elf" > "$p.qemu" 2> "$p.qemu.err"; } 2>/dev/null
    RC_Q=$?
    # Both translation tiers: cold (code run once), then hot from the
    # start (CTCG_TB_HOT=0: superblocks and the optimizer).
    for hot in 64 0; do
        { timeout "$DT_TIMEOUT" env CTCG_TB_HOT=$hot "$DT_CTCG" "$p.elf" \
            > "$p.ctcg" 2> "$p.ctcg.err"; } 2>/dev/null
        RC_C=$?
        [ "$RC_C" = "$RC_Q" ] && cmp -s "$p.ctcg" "$p.qemu" || return 1
    done
}

test_prog() {   # test_prog PREFIX GEN-ARGS...: 0 same, 1 different, 2 error
    build "$@" || return 2
    run_both "$1" && return 0
    # 126/127: the emulator could not be started at all
    case "$RC_C $RC_Q" in
    126*|127*|*" 126"|*" 127") return 2 ;;
    esac
    return 1
}

items_of() {    # the random items of a .S file
    sed -n '/^difftest_items:/,/^difftest_dump:/p' "$1" |
        grep -v '^difftest_' | sed 's/^/    /'
}

disasm_of() {   # the random items of an ELF, disassembled
    "$DT_OBJDUMP" -d "$1" |
        awk '/<difftest_items>:/ { p = 1 } /<difftest_dump>:/ { p = 0 } p' |
        sed 's/^/    /'
}

regs_of() {     # registers an item list mentions
    grep -v '^ */\*' "$1" | sed 's/#.*//; s/\.L[A-Za-z0-9_+-]*//g' |
        grep -oE '\b[xf][0-9]+\b' | sort -u -V | tr '\n' ' '
}

worker() {
    local cat=$1 seed=$2
    local w=$DT_WORK/$cat.$seed
    local common=(--category "$cat" --seed "$seed" --insns "$DT_INSNS")
    local res=$DT_WORK/res/$cat.$seed
    mkdir -p "$w"
    [ "$DT_SPLIT" -gt 0 ] && common+=(--split "$DT_SPLIT")

    test_prog "$w/prog" "${common[@]}"
    case $? in
    0)
        echo ok > "$res"
        rm -rf "$w"
        return 0 ;;
    2)
        echo error > "$res"
        {
            echo "=== ERROR: category $cat seed $seed ==="
            cat "$w/prog.generr" "$w/prog.asmerr" "$w/prog.ctcg.err" \
                "$w/prog.qemu.err" 2>/dev/null | head -20
        } > "$res.report"
        return 0 ;;
    esac
    echo diff > "$res"

    local keep=$DT_KEEP/$cat-$seed
    cp "$w/prog.S" "$keep.S"
    cp "$w/prog.ctcg" "$keep.ctcg.out"
    cp "$w/prog.qemu" "$keep.qemu.out"
    "$DT_OBJDUMP" -d "$w/prog.elf" > "$keep.dis"
    local rc_c=$RC_C rc_q=$RC_Q

    {
        echo "=== DIFFERENCE: category $cat seed $seed ($DT_INSNS instructions) ==="
        echo "exit status: ctcg=$rc_c qemu=$rc_q"
        if [ -s "$w/prog.ctcg.err" ]; then
            echo "ctcg stderr:"
            head -5 "$w/prog.ctcg.err" | sed 's/^/    /'
        fi
        echo "first differing fields (ctcg vs qemu):"
        "$DT_GEN" compare "$w/prog.ctcg" "$w/prog.qemu"

        if [ "$DT_MINIMIZE" = 0 ]; then
            echo "disassembly:"
            disasm_of "$w/prog.elf"
        else
            # 1. shortest failing prefix (bisect by truncation)
            local lo=0 hi=$DT_INSNS mid r
            if test_prog "$w/bis" "${common[@]}" --last -1; then
                :
            elif [ $? = 1 ]; then
                echo "NOTE: the program differs even with no random instructions" \
                    "(set-up or dump code, exit status ctcg=$RC_C qemu=$RC_Q)"
                hi=0
            fi
            while [ $((hi - lo)) -gt 1 ]; do
                mid=$(((lo + hi) / 2))
                test_prog "$w/bis" "${common[@]}" --last $((mid - 1))
                r=$?
                if [ $r = 1 ]; then
                    hi=$mid
                elif [ $r = 0 ]; then
                    lo=$mid
                else
                    break
                fi
            done
            [ "$hi" = 0 ] && hi=1
            local culprit=$((hi - 1))
            # 2. replay the last items from QEMU's state just before them
            local width=1 first repro_ok=0
            while :; do
                first=$((hi - width))
                [ $first -lt 0 ] && first=0
                build "$w/pre" "${common[@]}" --last $((first - 1)) &&
                    timeout "$DT_TIMEOUT" "$DT_QEMU" "$w/pre.elf" > "$w/state" 2>/dev/null
                if test_prog "$w/min" "${common[@]}" --init "$w/state" \
                        --first $first --last $culprit; then
                    :
                elif [ $? = 1 ]; then
                    repro_ok=1
                    break
                fi
                [ $first = 0 ] && break
                width=$((width * 2))
            done
            echo "first failing prefix: $hi instructions (instruction #$culprit is the first to show it)"
            if [ $repro_ok = 1 ]; then
                cp "$w/min.S" "$keep-min.S"
                items_of "$w/min.S" > "$w/min.items"
                echo "minimal reproducer: instructions $first..$culprit, replayed from qemu's state before #$first (kept in $keep-min.S):"
                cat "$w/min.items"
                echo "inputs (state before #$first):"
                # shellcheck disable=SC2046
                "$DT_GEN" show "$w/state" $(regs_of "$w/min.items") fcsr
                echo "reproducer result: exit status ctcg=$RC_C qemu=$RC_Q"
                if [ -s "$w/min.ctcg.err" ]; then
                    head -3 "$w/min.ctcg.err" | sed 's/^/    ctcg: /'
                fi
                "$DT_GEN" compare "$w/min.ctcg" "$w/min.qemu"
                echo "disassembly of the reproducer:"
                disasm_of "$w/min.elf"
            else
                echo "(no standalone reproducer found; the difference needs the whole prefix)"
                echo "instruction list (prefix of $hi):"
                build "$w/pfx" "${common[@]}" --last $culprit &&
                    items_of "$w/pfx.S" | tail -40
            fi
        fi
        echo "files: $keep.S (program) $keep.dis (disassembly)"
        echo "reproduce: $ME --category $cat --seed $seed --count 1 --insns $DT_INSNS$([ "$DT_SPLIT" -gt 0 ] && echo " --split $DT_SPLIT")"
        echo
    } > "$res.report" 2>&1
    rm -rf "$w"
}

if [ "${1:-}" = "--worker" ]; then
    worker "$2" "$3"
    exit 0
fi

# ---------------------------------------------------------------------------
# main

CATEGORIES=""
SEED=1
COUNT=10
INSNS=200
JOBS=2
CTCG=$ROOT/build/ctcg-riscv64
GEN=""
QEMU=qemu-riscv64
KEEP=$PWD/difftest-failures
SPLIT=0
TMO=20
MINIMIZE=1
MAXREP=5

usage() {
    sed -n '3,/^$/s/^# \{0,1\}//p' "$ME"
    exit "${1:-2}"
}

while [ $# -gt 0 ]; do
    opt=$1
    case $opt in
    --category|--seed|--count|--insns|--jobs|--ctcg|--gen|--qemu|--keep-dir|--split|--timeout|--max-reports)
        [ $# -ge 2 ] || { echo "difftest: $opt needs a value" >&2; exit 2; }
        val=$2
        shift 2 ;;
    --no-minimize) MINIMIZE=0; shift; continue ;;
    -h|--help) usage 0 ;;
    *) echo "difftest: unknown option $opt" >&2; usage ;;
    esac
    case $opt in
    --category) CATEGORIES=$val ;;
    --seed) SEED=$val ;;
    --count) COUNT=$val ;;
    --insns) INSNS=$val ;;
    --jobs) JOBS=$val ;;
    --ctcg) CTCG=$val ;;
    --gen) GEN=$val ;;
    --qemu) QEMU=$val ;;
    --keep-dir) KEEP=$val ;;
    --split) SPLIT=$val ;;
    --timeout) TMO=$val ;;
    --max-reports) MAXREP=$val ;;
    esac
done

ALL_CATS="int mul zb fp rvc mem branch mix"
[ -z "$CATEGORIES" ] && CATEGORIES=all
[ "$CATEGORIES" = all ] && CATEGORIES=$ALL_CATS
CATEGORIES=${CATEGORIES//,/ }
for c in $CATEGORIES; do
    case " $ALL_CATS " in
    *" $c "*) ;;
    *) echo "difftest: unknown category $c (have: $ALL_CATS)" >&2; exit 2 ;;
    esac
done

CC=riscv64-linux-gnu-gcc
OBJDUMP=riscv64-linux-gnu-objdump
for t in "$CC" "$OBJDUMP" "$QEMU"; do
    command -v "$t" > /dev/null || { echo "difftest: $t not found" >&2; exit 77; }
done
[ -x "$CTCG" ] || { echo "difftest: emulator $CTCG not found (build it or pass --ctcg)" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/difftest.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
# Run a private copy: the tree is shared and build/ctcg-riscv64 may be
# relinked while we run.
cp "$CTCG" "$WORK/ctcg-riscv64" ||
    { echo "difftest: cannot copy $CTCG" >&2; exit 2; }
CTCG=$WORK/ctcg-riscv64
if [ -z "$GEN" ]; then
    GEN=$ROOT/build/tests/difftest/difftest-gen
    if [ ! -x "$GEN" ] || [ "$GEN" -ot "$ROOT/tests/difftest/difftest-gen.c" ]; then
        GEN=$WORK/difftest-gen
        ${HOSTCC:-cc} -O2 -std=gnu11 -o "$GEN" "$ROOT/tests/difftest/difftest-gen.c" ||
            { echo "difftest: cannot build difftest-gen" >&2; exit 2; }
    fi
fi
GEN=$(readlink -f "$GEN")
mkdir -p "$KEEP" "$WORK/res"
KEEP=$(readlink -f "$KEEP")

export DT_GEN=$GEN DT_CC=$CC DT_OBJDUMP=$OBJDUMP DT_CTCG=$CTCG DT_QEMU=$QEMU
export DT_WORK=$WORK DT_KEEP=$KEEP DT_INSNS=$INSNS DT_SPLIT=$SPLIT
export DT_TIMEOUT=$TMO DT_MINIMIZE=$MINIMIZE

status=0
for cat in $CATEGORIES; do
    seq "$SEED" $((SEED + COUNT - 1)) | sed "s/^/$cat /" |
        xargs -P "$JOBS" -n 2 "$ME" --worker
    ndiff=0
    nerr=0
    nrep=0
    for ((s = SEED; s < SEED + COUNT; s++)); do
        r=$(cat "$WORK/res/$cat.$s" 2>/dev/null || echo error)
        case $r in
        diff) ndiff=$((ndiff + 1)) ;;
        error) nerr=$((nerr + 1)) ;;
        esac
        if [ -f "$WORK/res/$cat.$s.report" ]; then
            if [ $nrep -lt "$MAXREP" ]; then
                cat "$WORK/res/$cat.$s.report"
            fi
            nrep=$((nrep + 1))
        fi
    done
    if [ $nrep -gt "$MAXREP" ]; then
        echo "($((nrep - MAXREP)) more reports not shown; failing programs are in $KEEP)"
    fi
    line="difftest $cat: $COUNT programs, $((COUNT * INSNS)) instructions, $ndiff differences"
    [ $nerr -gt 0 ] && line="$line, $nerr errors (program not built or not run)"
    echo "$line"
    [ $ndiff -gt 0 ] || [ $nerr -gt 0 ] && status=1
done
exit $status
