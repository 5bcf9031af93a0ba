/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code invalidation with threads.
 * 1. One thread rewrites a function while four others call it; after the
 *    writer publishes version v (store-release after its icache flush),
 *    a caller that has seen v and executed fence.i must get a value >= v.
 *    10,000 rounds.
 * 2. A thread spins in a self-chained loop (`j .`); another thread
 *    overwrites the jump with `ret` and flushes the icache: the spinner
 *    must leave the loop (QEMU's tb-link scenario).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

typedef long (*fn_t)(void);

#define ROUNDS 10000
#define MAX_CALLERS 16

static uint32_t *code;
static atomic_long version;
static atomic_int done;
static atomic_int failures;

static void emit_li_ret(uint32_t *p, int imm)
{
    p[0] = 0x00000513u | ((uint32_t)(imm & 0x7ff) << 20);
    p[1] = 0x00008067u;
}

static void *writer(void *arg)
{
    (void)arg;
    for (int v = 1; v <= ROUNDS; v++) {
        emit_li_ret(code, v & 0x7ff);
        __builtin___clear_cache((char *)code, (char *)(code + 2));
        atomic_store_explicit(&version, v, memory_order_release);
    }
    atomic_store(&done, 1);
    return NULL;
}

static void *caller(void *arg)
{
    long calls = 0;

    (void)arg;
    while (!atomic_load(&done)) {
        long v = atomic_load_explicit(&version, memory_order_acquire);
        long got;

        __asm__ volatile("fence.i" ::: "memory");
        got = ((fn_t)code)();
        /* The code now in memory is version v or later (mod 2048). */
        if (v > 0 && ((got - (v & 0x7ff)) & 0x7ff) > ROUNDS) {
            atomic_fetch_add(&failures, 1);
        }
        calls++;
    }
    return (void *)calls;
}

static void *spinner(void *arg)
{
    ((fn_t)arg)(); /* returns once `j .` became `ret` */
    return NULL;
}

int main(int argc, char **argv)
{
    int callers = argc > 1 ? atoi(argv[1]) : 4;
    pthread_t w, c[MAX_CALLERS], s;
    uint32_t *loop;

    code = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        return 1;
    }
    emit_li_ret(code, 0);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    if (callers < 1 || callers > MAX_CALLERS) {
        return 2;
    }
    for (int i = 0; i < callers; i++) {
        pthread_create(&c[i], NULL, caller, NULL);
    }
    pthread_create(&w, NULL, writer, NULL);
    pthread_join(w, NULL);
    for (int i = 0; i < callers; i++) {
        pthread_join(c[i], NULL);
    }
    printf("rewrite while calling: %s\n",
           atomic_load(&failures) ? "FAILED" : "ok");

    loop = code + 1024;
    loop[0] = 0x0000006fu; /* jal zero, 0: j . */
    __builtin___clear_cache((char *)loop, (char *)(loop + 1));
    pthread_create(&s, NULL, spinner, loop);
    for (volatile int i = 0; i < 2000000; i++) {
    }
    loop[0] = 0x00008067u; /* ret */
    __builtin___clear_cache((char *)loop, (char *)(loop + 1));
    pthread_join(s, NULL);
    printf("self-chained loop released: ok\n");
    return atomic_load(&failures) != 0;
}
