/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * OpenMP with 8 threads: parallel for with + and max reductions
 * (static and dynamic schedules), critical, atomic, single, barrier,
 * ordered, and tasks.
 */
#include <omp.h>
#include "stress.h"

#define N 400000
#define NT 8

static long fib(int n)
{
    if (n < 2) {
        return n;
    }
    if (n < 12) {
        return fib(n - 1) + fib(n - 2);
    }
    long a, b;
#pragma omp task shared(a)
    a = fib(n - 1);
#pragma omp task shared(b)
    b = fib(n - 2);
#pragma omp taskwait
    return a + b;
}

int main(void)
{
    long sum = 0, crit = 0, atom = 0;
    double dsum = 0;
    unsigned maxv = 0;
    int threads_seen = 0, singles = 0;
    int ids[NT] = { 0 };

    omp_set_dynamic(0);
    omp_set_num_threads(NT);

#pragma omp parallel for reduction(+:sum) reduction(max:maxv) schedule(static)
    for (long i = 0; i < N; i++) {
        sum += i * (i % 3);
        unsigned v = (unsigned)(i * 2654435761u) >> 7;
        if (v > maxv) {
            maxv = v;
        }
    }
    long want = 0;
    unsigned wmax = 0;
    for (long i = 0; i < N; i++) {
        want += i * (i % 3);
        unsigned v = (unsigned)(i * 2654435761u) >> 7;
        if (v > wmax) {
            wmax = v;
        }
    }
    CHECK(sum == want, "reduction(+) %ld want %ld", sum, want);
    CHECK(maxv == wmax, "reduction(max) %u want %u", maxv, wmax);
    printf("parallel for reduction(+, max): %ld %u\n", sum, maxv);

#pragma omp parallel for reduction(+:dsum) schedule(dynamic, 1000)
    for (long i = 1; i <= N; i++) {
        dsum += 1.0 / ((double)i * i);
    }
    CHECK(dsum > 1.6449 && dsum < 1.64494, "dsum %.10f", dsum);
    printf("schedule(dynamic) reduction(+) on doubles: %.4f\n", dsum);

#pragma omp parallel shared(crit, atom, threads_seen, singles, ids)
    {
        int id = omp_get_thread_num();
        CHECK(omp_get_num_threads() == NT, "num_threads %d",
              omp_get_num_threads());
#pragma omp atomic
        threads_seen++;
        ids[id]++;
        for (int k = 0; k < 20000; k++) {
#pragma omp critical
            crit += 2;
#pragma omp atomic
            atom += 3;
        }
#pragma omp barrier
#pragma omp single
        {
            singles++;
            CHECK(crit == 2L * 20000 * NT, "critical %ld before barrier end",
                  crit);
        }
    }
    CHECK(threads_seen == NT, "threads %d", threads_seen);
    for (int i = 0; i < NT; i++) {
        CHECK(ids[i] == 1, "thread num %d seen %d times", i, ids[i]);
    }
    CHECK(crit == 2L * 20000 * NT, "critical %ld", crit);
    CHECK(atom == 3L * 20000 * NT, "atomic %ld", atom);
    CHECK(singles == 1, "single ran %d times", singles);
    printf("critical %ld, atomic %ld, single once\n", crit, atom);

    int order[64], pos = 0;
#pragma omp parallel for ordered schedule(dynamic)
    for (int i = 0; i < 64; i++) {
#pragma omp ordered
        order[pos++] = i;
    }
    for (int i = 0; i < 64; i++) {
        CHECK(order[i] == i, "ordered: %d at %d", order[i], i);
    }
    printf("ordered: in order\n");

    long f = 0;
#pragma omp parallel
#pragma omp single
    f = fib(27);
    CHECK(f == 196418, "fib %ld", f);
    printf("tasks: fib(27) = %ld\n", f);
    printf("openmp: %d threads: OK\n", NT);
    return 0;
}
