/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What loop-codegen and w-chains share: a boolean CHECK() that counts
 * failures in fails (the first 20 printed to stderr, with the line) and
 * the 64-bit values at the edges of 32-bit sign extension that both feed
 * their W-op code (EDGES_32_64: 13 values; each test adds its own).
 */
#ifndef TESTS_PROGRAMS_EDGES_H
#define TESTS_PROGRAMS_EDGES_H

#include <stdio.h>

static int fails;

#define CHECK(c)                                                       \
    do {                                                               \
        if (!(c)) {                                                    \
            if (fails++ < 20) {                                        \
                fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, \
                        __LINE__, #c);                                 \
            }                                                          \
        }                                                              \
    } while (0)

#define EDGES_32_64                                                          \
    0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull,                \
        0xffffffff80000000ull, 0xffffffff7fffffffull, 0x8000000000000000ull, \
        0xffffffffffffffffull, 0x123456789abcdef0ull, 0xfedcba9876543210ull, \
        0x00000000c0000001ull

#endif
