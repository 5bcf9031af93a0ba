// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * recursion: deep and frequent calls and returns: naive Fibonacci,
 * Ackermann(2, n) and Ackermann(3, n) (deep stacks), and a mutually
 * recursive pair.  Nearly every guest block ends in a call or a return
 * (jal/jalr ra, ret): the case for return-address prediction.
 * argv[1]: n for fib (the others scale with it).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static uint64_t fib(int n)
{
    return n < 2 ? (uint64_t)n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static uint64_t ack(uint64_t m, uint64_t n)
{
    if (m == 0) {
        return n + 1;
    }
    if (n == 0) {
        return ack(m - 1, 1);
    }
    return ack(m - 1, ack(m, n - 1));
}

static int is_odd(unsigned n);

__attribute__((noinline)) static int is_even(unsigned n)
{
    return n == 0 ? 1 : is_odd(n - 1);
}

__attribute__((noinline)) static int is_odd(unsigned n)
{
    return n == 0 ? 0 : is_even(n - 1);
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 27;
    uint64_t f = fib(n);
    uint64_t a2 = ack(2, (uint64_t)n * 40);
    uint64_t a3 = ack(3, (uint64_t)(n / 4));
    unsigned eo = 0;

    for (unsigned i = 0; i < (unsigned)n * 200; i++) {
        eo += (unsigned)is_even(i * 7 + 1000);
    }
    printf("recursion n=%d fib=%llu ack2=%llu ack3=%llu even=%u\n", n,
           (unsigned long long)f, (unsigned long long)a2,
           (unsigned long long)a3, eo);
    return 0;
}
