/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The pseudo-random numbers of the unit tests that want a fixed,
 * repeatable sequence (test_divconst, test_vector_fast2): Marsaglia's
 * xorshift64 (13, 7, 17) on a state of the test's own.
 */
#ifndef TESTS_UNIT_XORSHIFT_H
#define TESTS_UNIT_XORSHIFT_H

#include <stdint.h>

/* xorshift64() - the next number of the sequence in *@s (never 0). */
static inline uint64_t xorshift64(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

#endif
