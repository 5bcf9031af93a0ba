#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bad-port.sh EMULATOR PROGRAM: -g with a bad port, a port in use, or a
# socket path that cannot be bound is an error: a message, exit status 1,
# and the program does not run.
emu=$1
prog=$2
fail=0
expect_error() { # what args...
    what=$1
    shift
    out=$(timeout 10 "$emu" "$@" "$prog" 2>&1)
    rc=$?
    if [ $rc -ne 1 ] || ! echo "$out" | grep -q -- '-g'; then
        echo "FAIL: $what: exit status $rc, output: $out"
        fail=1
    else
        echo "ok: $what: $out"
    fi
}
expect_error "not a number" -g abc
expect_error "port 0" -g 0
expect_error "port 70000" -g 70000
expect_error "empty" -g ""
expect_error "no such directory" -g /nonexistent/dir/sock
# A port in use: hold one with a listening socket.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("0.0.0.0", 0)); print(s.getsockname()[1])')
python3 -c "
import socket, sys, time
s = socket.socket()
s.bind(('0.0.0.0', $port))
s.listen(1)
print('ready', flush=True)
time.sleep(3)
" | { read -r _; expect_error "port in use" -g "$port"; exit $fail; }
fail=$?
exit $fail
