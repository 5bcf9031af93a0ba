#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# tls-size.sh CTCG [MAX]: the emulator's static TLS (PT_TLS memsz) is at
# most MAX bytes (default 1024).  glibc clears a thread's static TLS when
# it creates the thread, so every byte of it is paid by every guest thread
# (a host thread each): 9 KiB of it (a translation-time buffer) cost three
# page faults a thread, a quarter of ctcg's CPU time in `manythreads live`
# (issue 14, docs/performance.md).  It also lies between glibc's
# descriptor and the CPU loop's frames on the host stack's top pages: at
# 1.3 KiB, 68 more bytes put a sleeping thread's frames on a third page
# (session 9, which made it 0.5 KiB).  Per-translation or per-signal
# buffers belong in the TCGContext, the heap or the host stack's signal
# area.
exe=$1
max=${2:-1024}
command -v readelf >/dev/null 2>&1 || { echo "SKIP: no readelf"; exit 77; }
size=$(readelf -lW "$exe" | awk '$1 == "TLS" { print $6 }')
[ -n "$size" ] || { echo "no PT_TLS in $exe: nothing to check"; exit 0; }
bytes=$(printf '%d' "$size")
# A static emulator (no PT_INTERP; meson option static_emulator) carries
# libc's own TLS in its PT_TLS too (errno, malloc's tcache, the locale:
# 0x90 bytes in libc.so.6, 208 with the alignment in libc.a), which a
# dynamic one has in libc.so.6's block: every thread pays it either way.
if ! readelf -lW "$exe" | grep -q 'INTERP'; then
    max=$((max + 256))
    echo "statically linked: libc's TLS allowed on top"
fi
echo "static TLS of $exe: $bytes bytes (at most $max)"
[ "$bytes" -le "$max" ]
