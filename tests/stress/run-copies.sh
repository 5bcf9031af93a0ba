#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# run-copies.sh N COMMAND [args...]
# Run N copies of COMMAND at once (a busy machine: races between a
# guest's threads show up when they are descheduled at bad moments).
# Exit: 0 when every copy exits 0, 77 when all skip, else 1; the output
# of a failing copy is shown.
n=$1
shift
tmp=$(mktemp -d) || exit 99
trap 'rm -rf "$tmp"' EXIT

i=0
while [ "$i" -lt "$n" ]; do
    ("$@" >"$tmp/out.$i" 2>&1; echo $? >"$tmp/rc.$i") &
    i=$((i + 1))
done
wait

rc=0
skipped=0
i=0
while [ "$i" -lt "$n" ]; do
    r=$(cat "$tmp/rc.$i")
    if [ "$r" = 77 ]; then
        skipped=$((skipped + 1))
    elif [ "$r" != 0 ]; then
        echo "copy $i: exit status $r"
        cat "$tmp/out.$i"
        rc=1
    fi
    i=$((i + 1))
done
[ "$rc" = 0 ] && [ "$skipped" = "$n" ] && exit 77
[ "$rc" = 0 ] && cat "$tmp/out.0"
exit $rc
