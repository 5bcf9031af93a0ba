#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-vector.sh intrin|diff|simd|vsig|zve|diffzve|fault CTCG PROGRAM [QEMU]
# V extension tests (tests/vector/meson.build).
#   intrin: PROGRAM (rvv-intrin) must pass under ctcg-riscv64 with
#           -cpu rv64,v=true,vlen=N,elen=64 for N = 128, 256 and 512, and
#           print what qemu-riscv64 prints with the same -cpu (when QEMU is
#           given); with "-cpu max" AT_HWCAP must have V; without V the
#           first vector instruction must kill it with SIGILL; a bad vlen
#           must be refused, vext_spec=v1.0 accepted.
#   diff:   PROGRAM (rvv-diff, seed 1, 6 trials per instruction) must
#           print the same under ctcg-riscv64 and qemu-riscv64 at VLEN 128,
#           256 and 512.  Without QEMU there is no oracle: SKIP (77).
#   simd:   PROGRAM (rvv-simd) must print the same under ctcg-riscv64 and
#           qemu-riscv64 at VLEN 128, 256, 512 and 1024, also with
#           CTCG_TB_HOT=0 (256) and CTCG_SINGLESTEP=1 (512); "PROGRAM
#           fftrim" must pass under ctcg (QEMU 7.2 is wrong there).
#           Without QEMU: SKIP.
#   vsig:   PROGRAM (rvv-vsig: the V context in the signal frame, prctl
#           PR_RISCV_V_*, AT_MINSIGSTKSZ) must pass under ctcg-riscv64 at
#           VLEN 128, 256, 512 and 1024, and with V off ("nov").  Not
#           compared with qemu-riscv64: 7.2 has none of these (docs/riscv.md).
#   zve:    PROGRAM (rvv-zve) must pass under ctcg-riscv64 with each of
#           -cpu rv64,Zve32x=true .. Zve64d=true and with V (ctcg only:
#           qemu-riscv64 7.2 differs from the spec there, docs/riscv.md).
#   diffzve: PROGRAM (rvv-diff, seed 3, 4 trials) must print the same under
#           ctcg-riscv64 and qemu-riscv64 with -cpu rv64,Zve64f=true, but
#           for vfwred* (QEMU 7.2 runs them at SEW 32 without FP64), and with
#           -cpu rv64,v=true,elen=32, but for the EEW 64 loads and stores
#           (QEMU 7.2 runs them; the spec makes EEW > ELEN illegal).
#   fault:  PROGRAM (rvv-vfault: faults in the middle of indexed, strided
#           and segment accesses) must pass under ctcg-riscv64 at VLEN 128,
#           256 and 512 and print what qemu-riscv64 prints (when given).
mode=$1
ctcg=$2
prog=$3
qemu=$4

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
rc=0

compare() { # VLEN ARGS...
    vlen=$1
    shift
    cpu="rv64,v=true,vlen=$vlen,elen=64"
    timeout 100 "$ctcg" -cpu "$cpu" "$prog" "$@" >"$tmp/ctcg.out" 2>"$tmp/ctcg.err"
    crc=$?
    if [ "$mode" = intrin ]; then
        cat "$tmp/ctcg.out"
    fi
    if [ $crc -ne 0 ]; then
        echo "vlen $vlen: ctcg-riscv64 exit status $crc"
        cat "$tmp/ctcg.err"
        rc=1
    fi
    if [ -n "$qemu" ] && [ -x "$qemu" ]; then
        # qemu's exit status is not compared (rvv-diff's output says it
        # all); a qemu that hangs is cut off.
        timeout 100 "$qemu" -cpu "$cpu" "$prog" "$@" >"$tmp/qemu.out" 2>/dev/null
        if ! diff -u "$tmp/qemu.out" "$tmp/ctcg.out" >"$tmp/diff"; then
            echo "vlen $vlen: stdout differs from qemu-riscv64 (- qemu, + ctcg):"
            head -40 "$tmp/diff"
            rc=1
        else
            echo "vlen $vlen: same as qemu-riscv64 ($(wc -l <"$tmp/ctcg.out") lines)"
        fi
    fi
}

case $mode in
intrin)
    for v in 128 256 512; do
        compare $v
    done
    "$ctcg" -cpu max "$prog" hwcap || rc=1
    "$ctcg" "$prog" >/dev/null 2>&1
    s=$?
    if [ $s -ne 132 ]; then
        echo "without V: exit status $s, not 132 (SIGILL)"
        rc=1
    fi
    "$ctcg" -cpu rv64,v=true,vlen=256,elen=64,vext_spec=v1.0 "$prog" hwcap ||
        rc=1
    if "$ctcg" -cpu rv64,v=true,vlen=96 "$prog" >/dev/null 2>&1; then
        echo "-cpu rv64,v=true,vlen=96 accepted"
        rc=1
    fi
    ;;
fault)
    for v in 128 256 512; do
        compare $v
    done
    ;;
diff)
    if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
        echo "SKIP: qemu-riscv64 (the oracle) not installed"
        exit 77
    fi
    for v in 128 256 512; do
        compare $v 1 6
    done
    ;;
simd)
    if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
        echo "SKIP: qemu-riscv64 (the oracle) not installed"
        exit 77
    fi
    for v in 128 256 512 1024; do
        compare $v
    done
    # the first TBs hot at once, and one instruction a TB (the guards
    # computed each time): other translations of the same code
    export CTCG_TB_HOT=0
    compare 256
    unset CTCG_TB_HOT
    export CTCG_SINGLESTEP=1
    compare 512
    unset CTCG_SINGLESTEP
    # ctcg only: QEMU 7.2 runs an op after a trimming vleff at VLMAX
    for v in 128 1024; do
        timeout 100 "$ctcg" -cpu "rv64,v=true,vlen=$v,elen=64" "$prog" \
            fftrim || rc=1
    done
    ;;
vsig)
    for v in 128 256 512 1024; do
        echo "vlen $v:"
        timeout 100 "$ctcg" -cpu "rv64,v=true,vlen=$v,elen=64" "$prog" ||
            rc=1
    done
    timeout 100 "$ctcg" "$prog" nov || rc=1
    ;;
zve)
    for m in Zve32x Zve32f Zve64x Zve64f Zve64d v; do
        # the program's status, not tail's: a WRONG line fails the test
        out=$(timeout 100 "$ctcg" -cpu "rv64,$m=true" "$prog" \
            "$(echo "$m" | tr 'Z' 'z')") || rc=1
        printf '%s\n' "$out" | grep -e 'WRONG' || true
        printf '%s\n' "$out" | tail -1
        case "$out" in *WRONG* | *FAIL*) rc=1 ;; esac
    done
    ;;
diffzve)
    if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
        echo "SKIP: qemu-riscv64 (the oracle) not installed"
        exit 77
    fi
    for cpu in rv64,Zve64f=true rv64,v=true,elen=32; do
        # left out: vfwred* under Zve64f, EEW 64 loads/stores under ELEN 32
        skip='^(vfwred|vf2_fwred)'
        [ "$cpu" = rv64,Zve64f=true ] || skip='^(fast_|ix_|pg_)?v[ls][a-z0-9]*64'
        timeout 100 "$ctcg" -cpu "$cpu" "$prog" 3 4 | grep -Ev "$skip" \
            >"$tmp/ctcg.out" || rc=1
        timeout 100 "$qemu" -cpu "$cpu" "$prog" 3 4 2>/dev/null |
            grep -Ev "$skip" >"$tmp/qemu.out"
        if ! diff -u "$tmp/qemu.out" "$tmp/ctcg.out" >"$tmp/diff"; then
            echo "$cpu: stdout differs from qemu-riscv64 (- qemu, + ctcg):"
            head -40 "$tmp/diff"
            rc=1
        else
            echo "$cpu: same as qemu-riscv64 ($(wc -l <"$tmp/ctcg.out") lines)"
        fi
    done
    ;;
*)
    echo "usage: run-vector.sh intrin|diff|simd|vsig|zve|diffzve|fault CTCG PROGRAM [QEMU]"
    exit 99
    ;;
esac
exit $rc
