// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * hello: start-up cost.  The harness runs it many times in a row (static
 * and dynamically linked guests), so what is measured is process start,
 * ELF loading, libc initialisation, the first translations and exit.
 */
#include <stdio.h>

int main(void)
{
    puts("hello, world");
    return 0;
}
