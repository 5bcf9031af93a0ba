/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ctcg-demo: the translation core at work, before the RISC-V frontend
 * exists.  Several host threads each own a TCGContext, build IR for small
 * programs (a Collatz step counter, a sum of squares, an xorshift PRNG),
 * translate them in parallel into their own code regions, run the host
 * code and check every result against the same computation in C.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/tb.h"
#include "tcg/tcg-op.h"

typedef struct DemoEnv {
    TCGEnvHeader hdr;
    uint64_t x, y, z;
} DemoEnv;

static TCGv_i64 g_x, g_y, g_z;

/* y = steps for x to reach 1 under the Collatz map. */
static void gen_collatz(void)
{
    TCGLabel *loop = gen_new_label(), *done = gen_new_label();
    TCGLabel *odd = gen_new_label(), *next = gen_new_label();
    TCGv_i64 t = tcg_temp_new_i64();

    tcg_gen_movi_i64(g_y, 0);
    gen_set_label(loop);
    tcg_gen_brcondi_i64(TCG_COND_LEU, g_x, 1, done);
    tcg_gen_andi_i64(t, g_x, 1);
    tcg_gen_brcondi_i64(TCG_COND_NE, t, 0, odd);
    tcg_gen_shri_i64(g_x, g_x, 1);
    tcg_gen_br(next);
    gen_set_label(odd);
    tcg_gen_muli_i64(g_x, g_x, 3);
    tcg_gen_addi_i64(g_x, g_x, 1);
    gen_set_label(next);
    tcg_gen_addi_i64(g_y, g_y, 1);
    tcg_gen_br(loop);
    gen_set_label(done);
}

static uint64_t ref_collatz(uint64_t x)
{
    uint64_t n = 0;

    for (; x > 1; n++) {
        x = x & 1 ? x * 3 + 1 : x >> 1;
    }
    return n;
}

/* z = xorshift64 applied y times to x. */
static void gen_xorshift(void)
{
    TCGLabel *loop = gen_new_label(), *done = gen_new_label();
    TCGv_i64 t = tcg_temp_new_i64();

    gen_set_label(loop);
    tcg_gen_brcondi_i64(TCG_COND_EQ, g_y, 0, done);
    tcg_gen_shli_i64(t, g_x, 13);
    tcg_gen_xor_i64(g_x, g_x, t);
    tcg_gen_shri_i64(t, g_x, 7);
    tcg_gen_xor_i64(g_x, g_x, t);
    tcg_gen_shli_i64(t, g_x, 17);
    tcg_gen_xor_i64(g_x, g_x, t);
    tcg_gen_subi_i64(g_y, g_y, 1);
    tcg_gen_br(loop);
    gen_set_label(done);
    tcg_gen_mov_i64(g_z, g_x);
}

static uint64_t ref_xorshift(uint64_t x, uint64_t n)
{
    while (n--) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    return x;
}

static TranslationBlock *translate(void (*gen)(void))
{
    TCGContext *s = tcg_ctx;
    TranslationBlock *tb;

    tcg_func_start(s);
    tb = tcg_tb_alloc(s);
    if (tb == NULL) {
        fprintf(stderr, "ctcg-demo: code buffer full\n");
        exit(1);
    }
    tcg_gen_tb_start(tb);
    tcg_gen_insn_start(0);
    gen();
    tcg_gen_exit_tb(NULL, 0);
    tcg_gen_tb_end(tb);
    if (tcg_gen_code(s, tb) < 0) {
        fprintf(stderr, "ctcg-demo: translation failed\n");
        exit(1);
    }
    tcg_tb_commit(s, tb);
    return tb;
}

typedef struct Worker {
    pthread_t thread;
    int id;
    uint64_t checks, failures;
    TCGStats stats;
    int region;
} Worker;

static void *worker_main(void *opaque)
{
    Worker *w = opaque;
    TCGContext *s = tcg_context_new();
    DemoEnv env = {0};

    for (int round = 0; round < 200; round++) {
        TranslationBlock *c = translate(gen_collatz);
        TranslationBlock *x = translate(gen_xorshift);
        uint64_t seed = (uint64_t)w->id * 1000003 + round + 2;

        env.x = seed;
        tcg_qemu_tb_exec(&env, c->tc.ptr);
        w->failures += env.y != ref_collatz(seed);
        env.x = seed;
        env.y = 1000 + round;
        tcg_qemu_tb_exec(&env, x->tc.ptr);
        w->failures += env.z != ref_xorshift(seed, 1000 + round);
        w->checks += 2;
    }
    w->stats = s->stats;
    w->region = s->region.region;
    tcg_context_free(s);
    return NULL;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 4;
    Worker *w;
    uint64_t fails = 0;

    if (n < 1 || n > 64) {
        fprintf(stderr, "usage: ctcg-demo [threads 1-64]\n");
        return 2;
    }
    if (tcg_init(16 << 20, 256 << 10, 0) < 0) {
        fprintf(stderr, "ctcg-demo: tcg_init failed\n");
        return 1;
    }
    g_x = tcg_global_mem_new_i64(offsetof(DemoEnv, x), "x");
    g_y = tcg_global_mem_new_i64(offsetof(DemoEnv, y), "y");
    g_z = tcg_global_mem_new_i64(offsetof(DemoEnv, z), "z");
    w = calloc(n, sizeof(*w));
    for (int i = 0; i < n; i++) {
        w[i].id = i;
        pthread_create(&w[i].thread, NULL, worker_main, &w[i]);
    }
    printf("ctcg-demo: %d threads translating and running in parallel\n", n);
    for (int i = 0; i < n; i++) {
        pthread_join(w[i].thread, NULL);
        printf("  thread %d: %" PRIu64 " TBs, %" PRIu64 " bytes of host code, "
               "last region %d, %" PRIu64 "/%" PRIu64 " results correct\n",
               i, w[i].stats.tb_gen, w[i].stats.code_bytes, w[i].region,
               w[i].checks - w[i].failures, w[i].checks);
        fails += w[i].failures;
    }
    printf("ctcg-demo: %zu TBs, %zu bytes of code in a buffer of %u regions: "
           "%s\n",
           tcg_tb_count(), tcg_code_size(), tcg_region_count(),
           fails ? "FAILED" : "all results match C");
    free(w);
    return fails != 0;
}
