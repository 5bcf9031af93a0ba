#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-guest.sh CTCG PROGRAM [QEMU]
# Run a riscv64 guest test program under ctcg-riscv64; when a qemu-riscv64
# is given (and exists), also under it, and compare stdout and exit status.
# Exit 0 only when ctcg's run exits 0 and agrees with QEMU's.
ctcg=$1
prog=$2
qemu=$3

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

"$ctcg" "$prog" >"$tmp/ctcg.out" 2>"$tmp/ctcg.err"
rc=$?
cat "$tmp/ctcg.out"
if [ $rc -ne 0 ]; then
    echo "ctcg-riscv64: exit status $rc; stderr:"
    cat "$tmp/ctcg.err"
fi

if [ -n "$qemu" ] && [ -x "$qemu" ]; then
    "$qemu" "$prog" >"$tmp/qemu.out" 2>"$tmp/qemu.err"
    qrc=$?
    if [ $qrc -ne $rc ]; then
        echo "exit status differs: ctcg $rc, qemu $qrc"
        cat "$tmp/qemu.err"
        rc=1
    fi
    if ! diff -u "$tmp/qemu.out" "$tmp/ctcg.out"; then
        echo "stdout differs from qemu-riscv64 (- qemu, + ctcg)"
        rc=1
    fi
fi
exit $rc
