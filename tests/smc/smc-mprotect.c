/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mprotect races: four threads keep calling a function on page A while
 * a fifth flips page B, right next to it, between RX and RW, rewriting
 * the function there each time and calling it.  A's callers must never
 * see a wrong value or a fault; B's code must always be the new one.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>

typedef long (*fn_t)(void);

#define ROUNDS 3000

static uint32_t *pages;
static atomic_int done, bad;

static void emit_li_ret(uint32_t *p, int imm)
{
    p[0] = 0x00000513u | ((uint32_t)(imm & 0x7ff) << 20);
    p[1] = 0x00008067u;
}

static void *call_a(void *arg)
{
    long n = 0;

    (void)arg;
    while (!atomic_load(&done)) {
        if (((fn_t)pages)() != 42) {
            atomic_fetch_add(&bad, 1);
        }
        n++;
    }
    return (void *)n;
}

int main(void)
{
    pthread_t t[4];
    uint32_t *b;

    pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pages == MAP_FAILED) {
        return 1;
    }
    b = pages + 1024;
    emit_li_ret(pages, 42);
    mprotect(pages, 4096, PROT_READ | PROT_EXEC);
    __builtin___clear_cache((char *)pages, (char *)(pages + 2));
    for (int i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, call_a, NULL);
    }
    for (int r = 0; r < ROUNDS; r++) {
        mprotect(b, 4096, PROT_READ | PROT_WRITE);
        emit_li_ret(b, r & 0x7ff);
        mprotect(b, 4096, PROT_READ | PROT_EXEC);
        __builtin___clear_cache((char *)b, (char *)(b + 2));
        if (((fn_t)b)() != (r & 0x7ff)) {
            atomic_fetch_add(&bad, 1);
        }
    }
    atomic_store(&done, 1);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    printf("smc-mprotect: %d rounds, %s\n", ROUNDS,
           atomic_load(&bad) ? "FAILED" : "ok");
    return atomic_load(&bad) != 0;
}
