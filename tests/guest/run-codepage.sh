#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-codepage.sh CTCG PROGRAM QEMU [FIRST_SEED [SEEDS [PAGES]]]
# The difftest mode of the decoder/translator fuzzer (fz_codepage.c): run
# the random code pages of seeds FIRST_SEED.. (default 1, 3 seeds of 150
# pages) under ctcg-riscv64 and qemu-riscv64 and compare the line printed
# for each page (signal, si_code, si_addr, PC, register and memory hashes).
# Exit 0 when all agree, 1 on a difference (each is printed with the
# page's instructions, disassembled when riscv64-linux-gnu-objdump is
# there), 77 (skip) without qemu-riscv64.
#
# One known difference is accepted, counted, not failed: for a load, store
# or jump to an address that is not a valid Sv39 virtual address (bits
# 63..38 not all equal), qemu-riscv64 7.2 reports si_addr 0 and ctcg the
# address itself.  stval is WARL (the privileged spec lets hardware
# replace an invalid address by another invalid one), so si_addr on Linux
# depends on the hardware; ctcg keeps the address, as Linux passes stval
# on unchanged.  For some of them (2^38 itself) qemu says SEGV_ACCERR:
# Linux finds no VMA there and says SEGV_MAPERR, as ctcg.
#
# Long run: docs/testing.md, "random code pages".
ctcg=$1
prog=$2
qemu=$3
first=${4:-1}
seeds=${5:-3}
pages=${6:-150}

if [ -z "$qemu" ] || [ ! -x "$qemu" ]; then
    echo "qemu-riscv64 is not installed: nothing to compare with"
    exit 77
fi
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

rc=0
total=0
known=0
seed=$first
while [ "$seed" -lt $((first + seeds)) ]; do
    FZ_SEED=$seed FZ_PAGES=$pages "$qemu" "$prog" >"$tmp/q" 2>"$tmp/qerr"
    qrc=$?
    # ctcg twice: translation tiers as they come, then hot from the
    # start (CTCG_TB_HOT=0: superblocks, pinned loop registers)
    for hot in "-u CTCG_TB_HOT" CTCG_TB_HOT=0; do
        tier=$([ "$hot" = CTCG_TB_HOT=0 ] && echo " (CTCG_TB_HOT=0)")
        env $hot FZ_SEED=$seed FZ_PAGES=$pages "$ctcg" "$prog" >"$tmp/c" 2>"$tmp/cerr"
        crc=$?
        if [ $crc -ne 0 ] || [ $qrc -ne 0 ]; then
            echo "seed $seed$tier: exit status ctcg $crc, qemu $qrc"
            cat "$tmp/cerr"
            rc=1
        fi
        # Pair the lines; print the page numbers that differ, after the
        # accepted si_addr difference is taken out.
        paste -d '|' "$tmp/q" "$tmp/c" | awk -F'|' -v known="$tmp/known" '
            function noncanon(h) {
                # not a sign-extended 39-bit address (Sv39, as ctcg): not in
                # [0, 2^38) nor in [-2^38, 0)
                while (length(h) < 16) h = "0" h
                return h >= "0000004000000000" && h < "ffffffc000000000"
            }
            $1 == $2 { next }
            $2 == "" { # ctcg stopped: only its last page
                if (!stopped++) { split($1, f, " "); print f[1] }
                next
            }
            {
                n = split($1, q, " "); split($2, c, " ")
                if (c[4] ~ /^addr=0x/ && noncanon(substr(c[4], 6)) &&
                    (q[4] == "addr=0" || q[4] == c[4])) {
                    q[4] = c[4]
                    if (q[3] == "code=2" && c[3] == "code=1") q[3] = c[3]
                    s1 = q[1]
                    for (i = 2; i <= n; i++) s1 = s1 " " q[i]
                    if (s1 == $2) { print > known; next }
                }
                split($1, f, " "); print f[1]
            }' >"$tmp/diff"
        if [ -s "$tmp/known" ]; then
            known=$((known + $(wc -l <"$tmp/known")))
            rm -f "$tmp/known"
        fi
        for page in $(cat "$tmp/diff"); do
            rc=1
            echo "seed $seed page $page differs$tier:"
            grep "^$page " "$tmp/q" | sed 's/^/  qemu: /'
            grep "^$page " "$tmp/c" | sed 's/^/  ctcg: /'
            env $hot FZ_SEED=$seed FZ_FIRST=$page FZ_PAGES=1 FZ_DUMP=1 \
                "$ctcg" "$prog" \
                2>"$tmp/dump.s" >/dev/null
            if command -v riscv64-linux-gnu-as >/dev/null &&
               riscv64-linux-gnu-as -march=rv64gcv_zba_zbb_zbc_zbs -o "$tmp/dump.o" \
                   "$tmp/dump.s" 2>/dev/null; then
                riscv64-linux-gnu-objdump -d "$tmp/dump.o" | sed -n '/>:$/,$p'
            else
                cat "$tmp/dump.s"
            fi
            echo "  reproduce: env $hot FZ_SEED=$seed FZ_FIRST=$page FZ_PAGES=1 $prog"
        done
    done
    total=$((total + pages))
    seed=$((seed + 1))
done
echo "fz_codepage: $total pages, seeds $first-$((first + seeds - 1)): " \
     "$known accepted si_addr differences (non-canonical address; both" \
     "tiers),"  \
     "$([ $rc -eq 0 ] && echo 'no other difference' || echo 'DIFFERENCES')"
exit $rc
