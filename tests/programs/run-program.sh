#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-program.sh CTCG PROGRAM [QEMU [SYSROOT]]
# Run a riscv64 test program under ctcg-riscv64 (with -L SYSROOT when
# given); when QEMU is given and exists, also under qemu-riscv64, and
# compare stdout and exit status.  Exit 0 only when ctcg's run exits 0
# and agrees with QEMU's.
ctcg=$1
prog=$2
qemu=$3
sysroot=$4
set --
[ -n "$sysroot" ] && set -- -L "$sysroot"

tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

"$ctcg" "$@" "$prog" >"$tmp/ctcg.out" 2>"$tmp/ctcg.err"
rc=$?
cat "$tmp/ctcg.out"
if [ $rc -ne 0 ]; then
    echo "ctcg-riscv64: exit status $rc; stderr:"
    cat "$tmp/ctcg.err"
fi
if [ -n "$qemu" ] && [ -x "$qemu" ]; then
    "$qemu" "$@" "$prog" >"$tmp/qemu.out" 2>"$tmp/qemu.err"
    qrc=$?
    if [ $qrc -ne $rc ]; then
        echo "exit status differs: ctcg $rc, qemu $qrc"
        rc=1
    fi
    if ! cmp -s "$tmp/ctcg.out" "$tmp/qemu.out"; then
        echo "stdout differs from qemu-riscv64:"
        diff "$tmp/qemu.out" "$tmp/ctcg.out" | head -20
        rc=1
    fi
fi
exit $rc
