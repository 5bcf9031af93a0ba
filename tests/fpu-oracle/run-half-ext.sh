#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-half-ext.sh CTCG HALF-GUEST QEMU
# Zfh/Zfhmin acceptance: "half-guest ext" runs Zfhmin's instructions, then
# fadd.h (Zfh).  Under each -cpu below, ctcg-riscv64 must print what
# qemu-riscv64 7.2 prints and end with the same status (132: SIGILL where
# the extension is off; both are off in the default rv64).
ctcg=$1
prog=$2
qemu=$3
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT
rc=0
for cpu in rv64 rv64,Zfhmin=true rv64,Zfh=true rv64,Zfh=true,Zfhmin=false \
    rv64,zfhmin=true; do
    "$ctcg" -cpu "$cpu" "$prog" ext >"$tmp/c.out" 2>/dev/null
    c=$?
    qcpu=$(echo "$cpu" | sed 's/zfhmin/Zfhmin/')
    "$qemu" -cpu "$qcpu" "$prog" ext >"$tmp/q.out" 2>/dev/null
    q=$?
    if [ $c -ne $q ] || ! cmp -s "$tmp/c.out" "$tmp/q.out"; then
        echo "-cpu $cpu: ctcg status $c, qemu $q; outputs:"
        cat "$tmp/c.out" "$tmp/q.out"
        rc=1
    else
        echo "-cpu $cpu: status $c, $(tr '\n' ' ' <"$tmp/c.out")"
    fi
done
"$ctcg" -cpu max "$prog" ext >/dev/null || { echo "-cpu max: no Zfh"; rc=1; }
exit $rc
