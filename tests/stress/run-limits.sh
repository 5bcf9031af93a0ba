#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-limits.sh THREADS RUNNER ARGS...: run RUNNER ARGS... (run-stress.sh)
# with the host limits that THREADS live guest threads need, raised for
# the run where we may (root) and put back afterwards; otherwise a skip
# (exit 77) with the reason.
#
# Each guest thread costs about four host mappings (its guest stack and
# guard, the host thread's stack and guard), so vm.max_map_count (65530
# by default) allows about 16,000; threads-max and RLIMIT_NPROC must allow
# THREADS host threads.
threads=$1
shift
need_maps=$((threads * 5 + 4096))
maps_file=/proc/sys/vm/max_map_count
old_maps=

maps=$(cat "$maps_file" 2>/dev/null || echo 0)
if [ "$maps" -lt "$need_maps" ]; then
    if ! echo "$need_maps" 2>/dev/null >"$maps_file"; then
        echo "SKIP: vm.max_map_count is $maps, $threads threads need" \
             "$need_maps and it cannot be raised here (not root?)"
        exit 77
    fi
    old_maps=$maps
    echo "run-limits: vm.max_map_count raised from $maps to $need_maps"
fi
tmax=$(cat /proc/sys/kernel/threads-max 2>/dev/null || echo 0)
if [ "$tmax" -lt $((threads + 64)) ]; then
    echo "SKIP: kernel.threads-max is $tmax, below $threads threads"
    [ -n "$old_maps" ] && echo "$old_maps" >"$maps_file"
    exit 77
fi
ulimit -u unlimited 2>/dev/null || ulimit -u $((threads + 1024)) 2>/dev/null
"$@"
rc=$?
[ -n "$old_maps" ] && echo "$old_maps" >"$maps_file"
exit $rc
