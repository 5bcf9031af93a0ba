#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# bench/run.sh: the benchmark harness.  Installs what it needs if missing
# (Debian: cross compiler, qemu-user, host gcc; linux-perf and valgrind
# for --profile), then runs bench/run.py, which builds the workloads into
# build/bench/, runs them natively, under qemu-riscv64 and under ctcg, and
# writes build/bench/results.{txt,csv,svg}.
#
#   bench/run.sh            full run (3 repetitions each, minimum reported)
#   bench/run.sh --quick    1 repetition, smaller sizes (a few minutes)
#   bench/run.sh --only intmix,threads
#   bench/run.sh --profile  also perf-profile ctcg on intmix and interp
#   bench/run.sh --help     all options
#
# Environment: CTCG (emulator, default build/ctcg-riscv64), QEMU.

set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

pkg_installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# need CMD PACKAGE: PACKAGE is missing if CMD is not found.
missing=()
need() {
    if ! command -v "$1" >/dev/null 2>&1 && ! pkg_installed "$2"; then
        missing+=("$2")
    fi
}

need python3 python3-minimal
need gcc gcc
need riscv64-linux-gnu-gcc gcc-riscv64-linux-gnu
need qemu-riscv64 qemu-user
[ -e /usr/riscv64-linux-gnu/include/stdio.h ] ||
    pkg_installed libc6-dev-riscv64-cross || missing+=(libc6-dev-riscv64-cross)
for a in "$@"; do
    if [ "$a" = --profile ]; then
        need perf linux-perf
        need valgrind valgrind
    fi
done

if [ ${#missing[@]} -gt 0 ]; then
    echo "bench: installing ${missing[*]}"
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    if command -v apt-get >/dev/null 2>&1; then
        "${sudo[@]}" apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y \
                -qq --no-install-recommends "${missing[@]}" ||
            echo "bench: could not install ${missing[*]}; continuing" >&2
    else
        echo "bench: no apt-get; install ${missing[*]} by hand" >&2
    fi
fi

exec python3 "$HERE/run.py" "$@"
