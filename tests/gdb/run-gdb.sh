#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-gdb.sh EMULATOR PROGRAM SCRIPT
# Start PROGRAM under EMULATOR (ctcg-riscv64, or qemu-riscv64) with -g,
# drive it with gdb-multiarch -batch running SCRIPT, and check the
# results against directives in SCRIPT's comment lines:
#   #args A B...   arguments for PROGRAM
#   #tcp           a TCP port (picked free) instead of a Unix socket
#   #client CMD    run CMD ENDPOINT instead of gdb (robustness tests)
#   #expect ERE    gdb's output must have a line matching ERE
#   #reject ERE    ... and none matching ERE
#   #prog ERE      PROGRAM's output must have a line matching ERE
#   #rc N          EMULATOR's exit status must be N
#   #env V=X...    environment variables for EMULATOR
#   #max-translations N  with TCG_STATS=1: at most N translations in all
# Exit 0 on success, 1 on a failed check, 77 when gdb-multiarch is missing.
emu=$(realpath "$1")
prog=$(realpath "$2")
script=$3
dir=$(cd "$(dirname "$0")" && pwd)

if ! command -v gdb-multiarch >/dev/null 2>&1 &&
   ! grep -q '^#client' "$script"; then
    exec "$dir/../skip.sh" "gdb-multiarch not installed"
fi
tmp=$(mktemp -d) || exit 99
emu_pid=
cleanup() {
    [ -n "$emu_pid" ] && kill -9 "$emu_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

directive() { sed -n "s/^#$1 \{0,1\}//p" "$script"; }

read -r -a args <<<"$(directive args)"
read -r -a envs <<<"$(directive env)"
client=$(directive client)
if grep -q '^#tcp' "$script"; then
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    listen=$port
    endpoint=localhost:$port
else
    listen=$tmp/gdb.sock
    endpoint=$tmp/gdb.sock
fi

env "${envs[@]}" timeout 60 "$emu" -g "$listen" "$prog" "${args[@]}" >"$tmp/prog.out" 2>&1 &
emu_pid=$!
# Wait until it listens (a TCP port: in /proc/net/tcp, state 0A).
hexport=$(printf ':%04X ' "${port:-0}")
for _ in $(seq 200); do
    if [ -S "$tmp/gdb.sock" ] ||
       { [ -n "$port" ] && grep -q "$hexport[0-9A-F:]* 0A" /proc/net/tcp; }; then
        break
    fi
    sleep 0.05
done

if [ -n "$client" ]; then
    (cd "$(dirname "$script")" &&
        GDB_TEST_PROG=$prog timeout 60 $client "$endpoint") \
        >"$tmp/gdb.out" 2>&1
else
    timeout 60 gdb-multiarch -batch -nx -ex "file $prog" \
        -ex "target remote $endpoint" -x "$script" >"$tmp/gdb.out" 2>&1
fi
wait $emu_pid
rc=$?
emu_pid=

fail=0
check() { # what file ere negate
    if grep -Eq -- "$3" "$2"; then
        [ "$4" = no ] && { echo "FAIL: $1 has: $3"; fail=1; }
    else
        [ "$4" = no ] || { echo "FAIL: $1 lacks: $3"; fail=1; }
    fi
}
while IFS= read -r e; do check "gdb output" "$tmp/gdb.out" "$e"; done \
    < <(directive expect)
while IFS= read -r e; do check "gdb output" "$tmp/gdb.out" "$e" no; done \
    < <(directive reject)
while IFS= read -r e; do check "program output" "$tmp/prog.out" "$e"; done \
    < <(directive prog)
want_rc=$(directive rc)
if [ -n "$want_rc" ] && [ "$rc" != "$want_rc" ]; then
    echo "FAIL: exit status $rc, expected $want_rc"
    fail=1
fi
max_tr=$(directive max-translations)
if [ -n "$max_tr" ]; then
    tr=$(sed -n 's/^TCG_STATS total:.* translations \([0-9]*\).*/\1/p' "$tmp/prog.out")
    if [ -z "$tr" ] || [ "$tr" -gt "$max_tr" ]; then
        echo "FAIL: ${tr:-no} translations, at most $max_tr expected"
        fail=1
    fi
fi
if [ $fail -ne 0 ] || [ -n "$VERBOSE" ]; then
    echo "--- gdb output"; cat "$tmp/gdb.out"
    echo "--- program output (exit status $rc)"; cat "$tmp/prog.out"
fi
exit $fail
