#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-pids-limit.sh MAX RUNNER ARGS...: run RUNNER ARGS... in a new pids
# cgroup whose pids.max is MAX, so that the host refuses threads past it
# (clone fails with EAGAIN, as with RLIMIT_NPROC for a user that is not
# root).  The cgroup is removed afterwards.  Skips (exit 77) where no pids
# cgroup can be made here (not root, no pids controller).
max=$1
shift
name=ctcg-pids-$$
dir=
if [ -d /sys/fs/cgroup/pids ] && mkdir "/sys/fs/cgroup/pids/$name" 2>/dev/null; then
    dir=/sys/fs/cgroup/pids/$name
elif [ -f /sys/fs/cgroup/cgroup.controllers ] &&
     grep -qw pids /sys/fs/cgroup/cgroup.controllers &&
     mkdir "/sys/fs/cgroup/$name" 2>/dev/null; then
    dir=/sys/fs/cgroup/$name
fi
if [ -z "$dir" ] || ! echo "$max" 2>/dev/null >"$dir/pids.max"; then
    [ -n "$dir" ] && rmdir "$dir" 2>/dev/null
    echo "SKIP: cannot make a pids cgroup here (not root, or no pids controller)"
    exit 77
fi
# A subshell joins the cgroup and runs the test there; we stay outside.
(echo 0 >"$dir/cgroup.procs" && exec "$@")
rc=$?
rmdir "$dir" 2>/dev/null
exit $rc
