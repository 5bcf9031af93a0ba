#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
#
# skip.sh MESSAGE...: a test whose tool is not installed.  Prints why and
# exits 77, which meson reports as SKIP (so a missing optional compiler
# shows in the test summary instead of silently shrinking the suite).
echo "SKIP: $*"
exit 77
