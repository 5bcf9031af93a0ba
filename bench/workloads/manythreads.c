/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thousands of threads (issue 14), built for riscv64 and for x86-64:
 *
 *   manythreads live N          N threads (64 KiB stacks) meet at a barrier,
 *                               then main joins them
 *   manythreads churn TOTAL B   TOTAL short threads, created and joined in
 *                               batches of B
 *   manythreads translate N     N threads each write a function of their own
 *                               (distinct code: riscv64 or x86-64 machine
 *                               code, whichever this was built for), make it
 *                               executable and call it 100 times
 *
 * The output is the same on every architecture.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define STACK_SIZE (64 * 1024)
#define FN_OPS 96
#define FN_RUNS 100

static pthread_barrier_t barrier;
static pthread_attr_t attr;
static uint8_t *code;
static long page_size;

static void die(const char *what, int err)
{
    fprintf(stderr, "manythreads: %s: %s\n", what, strerror(err));
    exit(1);
}

static void *meet(void *arg)
{
    pthread_barrier_wait(&barrier);
    return arg;
}

static void *nothing(void *arg)
{
    return arg;
}

static int fn_imm(long t, int j)
{
    return (int)((t * 131 + j * 17) % 2000) - 1000;
}

/* Thread @t's function: its argument plus the sum of its immediates. */
static uint64_t (*fn_build(long t))(uint64_t)
{
    uint8_t *p = code + (size_t)t * page_size, *q = p;

#if defined(__riscv)
    memcpy(q, &(uint32_t){0x00050793}, 4); /* mv a5, a0 */
    q += 4;
    for (int j = 0; j < FN_OPS; j++) {
        /* addi a5, a5, imm */
        uint32_t insn = ((uint32_t)(fn_imm(t, j) & 0xfff) << 20) | (15u << 15) |
                        (15u << 7) | 0x13;

        memcpy(q, &insn, 4);
        q += 4;
    }
    memcpy(q, &(uint32_t){0x00078513}, 4);     /* mv a0, a5 */
    memcpy(q + 4, &(uint32_t){0x00008067}, 4); /* ret */
    q += 8;
#elif defined(__x86_64__)
    *q++ = 0x48; /* mov rax, rdi */
    *q++ = 0x89;
    *q++ = 0xf8;
    for (int j = 0; j < FN_OPS; j++) {
        int32_t imm = fn_imm(t, j);

        *q++ = 0x48; /* add rax, imm32 */
        *q++ = 0x05;
        memcpy(q, &imm, 4);
        q += 4;
    }
    *q++ = 0xc3; /* ret */
#else
#error "manythreads: riscv64 or x86-64"
#endif
    __builtin___clear_cache((char *)p, (char *)q);
    return (uint64_t(*)(uint64_t))(void *)p;
}

static void *run_own_code(void *arg)
{
    long t = (long)arg;
    uint64_t (*fn)(uint64_t) = fn_build(t);
    int64_t want = 0;

    for (int j = 0; j < FN_OPS; j++) {
        want += fn_imm(t, j);
    }
    for (int r = 0; r < FN_RUNS; r++) {
        if ((int64_t)(fn((uint64_t)r) - (uint64_t)r) != want) {
            fprintf(stderr, "manythreads: thread %ld: wrong sum\n", t);
            exit(1);
        }
    }
    return NULL;
}

static void spawn(pthread_t *t, void *(*fn)(void *), long i)
{
    int err = pthread_create(t, &attr, fn, (void *)i);

    if (err) {
        die("pthread_create", err);
    }
}

static void join_all(pthread_t *th, long n)
{
    for (long i = 0; i < n; i++) {
        pthread_join(th[i], NULL);
    }
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "live";
    long n = argc > 2 ? atol(argv[2]) : 1000;
    long batch = argc > 3 ? atol(argv[3]) : 8;
    pthread_t *th;

    if (n <= 0 || batch <= 0) {
        return 2;
    }
    page_size = sysconf(_SC_PAGESIZE);
    th = calloc((size_t)(n > batch ? n : batch), sizeof(*th));
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, STACK_SIZE);
    if (strcmp(mode, "live") == 0) {
        pthread_barrier_init(&barrier, NULL, (unsigned)n + 1);
        for (long i = 0; i < n; i++) {
            spawn(&th[i], meet, i);
        }
        pthread_barrier_wait(&barrier);
        join_all(th, n);
    } else if (strcmp(mode, "churn") == 0) {
        for (long done = 0; done < n; done += batch) {
            long k = n - done < batch ? n - done : batch;

            for (long i = 0; i < k; i++) {
                spawn(&th[i], nothing, i);
            }
            join_all(th, k);
        }
    } else if (strcmp(mode, "translate") == 0) {
        code = mmap(NULL, (size_t)n * page_size,
                    PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (code == MAP_FAILED) {
            die("mmap", 12);
        }
        for (long i = 0; i < n; i++) {
            spawn(&th[i], run_own_code, i);
        }
        join_all(th, n);
    } else {
        return 2;
    }
    printf("%s %ld: done\n", mode, n);
    return 0;
}
