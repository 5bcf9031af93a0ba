/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small harness for unit tests that build TBs by hand, compile them with
 * the real code generator and backend, and run them.
 *
 * Guest base is 0, so guest addresses are host addresses.  Each test
 * program reads and writes a TestEnv: i64 globals hg[i] live in env->g[i],
 * i32 globals hw[i] in env->w[i].
 *
 *   harness_init();                       once per process (or per test)
 *   tb = harness_begin();                 start a TB (tb_start emitted)
 *   ... tcg_gen_*() ...
 *   harness_end(tb);                      exit_tb(NULL, 0), compile, commit
 *   ret = harness_run(&env, tb);
 *
 * harness_finish() compiles without adding the final exit_tb, for programs
 * that leave the TB themselves.
 */
#ifndef TESTS_UNIT_TCG_HARNESS_H
#define TESTS_UNIT_TCG_HARNESS_H

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tcg/region.h"
#include "tcg/tcg-op.h"
#include "tcg/tcg.h"

#define HARNESS_NG 16
#define HARNESS_NW 8

typedef struct TestEnv {
    TCGEnvHeader hdr;
    uint64_t g[HARNESS_NG]; /* i64 globals hg[] */
    uint32_t w[HARNESS_NW]; /* i32 globals hw[] */
    uint64_t scratch[8];    /* free for ld/st tests */
    _Alignas(16) uint8_t bytes[64];
    uint64_t ptr; /* a host pointer, for loads with a non-env base */
} TestEnv;

static TCGv_i64 hg[HARNESS_NG];
static TCGv_i32 hw[HARNESS_NW];

static inline void harness_init(void)
{
    static bool done;
    static char names[HARNESS_NG + HARNESS_NW][8];
    int i, r;

    if (done) {
        return;
    }
    r = tcg_init(0, 0, 0);
    if (r != 0) {
        fprintf(stderr, "tcg_init: %d\n", r);
        abort();
    }
    for (i = 0; i < HARNESS_NG; i++) {
        snprintf(names[i], sizeof(names[i]), "g%d", i);
        hg[i] = tcg_global_mem_new_i64(offsetof(TestEnv, g[i]), names[i]);
    }
    for (i = 0; i < HARNESS_NW; i++) {
        snprintf(names[HARNESS_NG + i], sizeof(names[0]), "w%d", i);
        hw[i] = tcg_global_mem_new_i32(offsetof(TestEnv, w[i]),
                                       names[HARNESS_NG + i]);
    }
    tcg_context_new();
    done = true;
}

/* Start a TB.  When the code buffer is full it is flushed, which makes
 * every TB compiled before unusable. */
static inline TranslationBlock *harness_begin(void)
{
    TranslationBlock *tb;

    tcg_func_start(tcg_ctx);
    tb = tcg_tb_alloc(tcg_ctx);
    if (tb == NULL) {
        tcg_region_reset_all();
        tb = tcg_tb_alloc(tcg_ctx);
    }
    assert_non_null(tb);
    tcg_gen_tb_start(tb);
    return tb;
}

/* Compile the ops built since harness_begin() and make the code runnable. */
static inline void harness_finish(TranslationBlock *tb)
{
    int n;

    tcg_gen_tb_end(tb);
    n = tcg_gen_code(tcg_ctx, tb);
    if (n <= 0) {
        fail_msg("tcg_gen_code returned %d", n);
    }
    assert_non_null(tb->tc.ptr);
    assert_int_equal(tb->tc.size, (uint32_t)n);
    tcg_tb_commit(tcg_ctx, tb);
}

static inline void harness_end(TranslationBlock *tb)
{
    tcg_gen_exit_tb(NULL, 0);
    harness_finish(tb);
}

static inline uintptr_t harness_run(TestEnv *env, TranslationBlock *tb)
{
    return tcg_qemu_tb_exec(env, tb->tc.ptr);
}

/* Fixed-seed PRNG (splitmix64). */
static inline uint64_t harness_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/*
 * A helper for TBs to call that trashes every caller-saved register (rax,
 * rcx, rdx, rsi, rdi, r8-r11: a C helper might happen to leave them
 * intact), for tests of what generated code keeps across calls.
 */
uint64_t tcg_test_clobber_helper(void);
__asm__(".text\n"
        ".globl tcg_test_clobber_helper\n"
        ".type tcg_test_clobber_helper, @function\n"
        "tcg_test_clobber_helper:\n"
        "    movabs $0xbad0bad0bad0bad0, %rax\n"
        "    mov %rax, %rcx\n"
        "    mov %rax, %rdx\n"
        "    mov %rax, %rsi\n"
        "    mov %rax, %rdi\n"
        "    mov %rax, %r8\n"
        "    mov %rax, %r9\n"
        "    mov %rax, %r10\n"
        "    mov %rax, %r11\n"
        "    ret\n"
        ".size tcg_test_clobber_helper, .-tcg_test_clobber_helper\n");

#endif
