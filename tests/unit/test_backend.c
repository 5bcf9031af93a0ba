/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the x86-64 backend: direct-jump patching (goto_tb) while
 * another thread runs the code, guest address checks and their slow
 * paths, exit requests, goto_ptr, atomicity of guest atomics, and the
 * calling convention seen by helpers.
 */
#include "tests/unit/tcg-harness.h"
#include "tcg/tcg-direct.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <time.h>

static char ctx_msg[256];

#define CTX(...) snprintf(ctx_msg, sizeof(ctx_msg), __VA_ARGS__)

#define CHECK(got, want)                                                       \
    do {                                                                       \
        uint64_t got_ = (uint64_t)(got), want_ = (uint64_t)(want);             \
        if (got_ != want_) {                                                   \
            fail_msg("%s:%d: %s: %s = %#" PRIx64 ", want %#" PRIx64, __FILE__, \
                     __LINE__, ctx_msg, #got, got_, want_);                    \
        }                                                                      \
    } while (0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static int setup(void **state)
{
    (void)state;
    harness_init();
    return 0;
}

/* Each test starts with an empty code buffer. */
static int flush_setup(void **state)
{
    (void)state;
    tcg_region_reset_all();
    return 0;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* TB: g[idx] += 1, then leave with exit_tb(NULL, 0). */
static TranslationBlock *build_counter_tb(int idx)
{
    TranslationBlock *tb = harness_begin();

    tcg_gen_addi_i64(hg[idx], hg[idx], 1);
    harness_end(tb);
    return tb;
}

/* TB: g0 += 1; goto_tb(0); exit_tb(tb, 0). */
static TranslationBlock *build_jumper_tb(void)
{
    TranslationBlock *tb = harness_begin();

    tcg_gen_addi_i64(hg[0], hg[0], 1);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(tb, 0);
    harness_finish(tb);
    return tb;
}

static uintptr_t jmp_reset_addr(const TranslationBlock *tb, int n)
{
    return (uintptr_t)tb->tc.ptr + tb->jmp_reset_offset[n];
}

/* ------------------------------------------------------------------ */
/* goto_tb */

static void test_backend_goto_tb_offsets(void **state)
{
    TranslationBlock *a, *d;
    TCGLabel *l;

    (void)state;
    CTX("goto_tb offsets");
    a = build_jumper_tb();
    CHECK(a->jmp_insn_offset[0] != TB_JMP_RESET_OFFSET_INVALID, 1);
    CHECK(a->jmp_reset_offset[0] != TB_JMP_RESET_OFFSET_INVALID, 1);
    CHECK(a->jmp_insn_offset[1], TB_JMP_RESET_OFFSET_INVALID);
    CHECK(a->jmp_reset_offset[1], TB_JMP_RESET_OFFSET_INVALID);
    /* The rel32 field is patched with one aligned 4-byte store. */
    CHECK(((uintptr_t)a->tc.ptr + a->jmp_insn_offset[0]) % 4, 0);
    CHECK(a->jmp_insn_offset[0] + 4u <= a->tc.size, 1);
    CHECK(a->jmp_reset_offset[0] < a->tc.size, 1);

    /* Two slots. */
    d = harness_begin();
    l = gen_new_label();
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[0], 0, l);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(d, 0);
    gen_set_label(l);
    tcg_gen_goto_tb(1);
    tcg_gen_exit_tb(d, 1);
    harness_finish(d);
    CHECK(((uintptr_t)d->tc.ptr + d->jmp_insn_offset[0]) % 4, 0);
    CHECK(((uintptr_t)d->tc.ptr + d->jmp_insn_offset[1]) % 4, 0);
    CHECK(d->jmp_insn_offset[0] != d->jmp_insn_offset[1], 1);
    CHECK(d->jmp_reset_offset[0] != d->jmp_reset_offset[1], 1);
}

static void test_backend_goto_tb_two_slots(void **state)
{
    TestEnv env;
    TranslationBlock *b, *c, *d;
    TCGLabel *l;
    int i;

    (void)state;
    b = build_counter_tb(1);
    c = build_counter_tb(2);
    d = harness_begin();
    l = gen_new_label();
    tcg_gen_addi_i64(hg[3], hg[3], 1);
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[0], 0, l);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(d, 0);
    gen_set_label(l);
    tcg_gen_goto_tb(1);
    tcg_gen_exit_tb(d, 1);
    harness_finish(d);

    memset(&env, 0, sizeof(env));
    for (i = 0; i < 4; i++) {
        uint64_t sel = i & 1;

        CTX("two slots, round %d", i);
        env.g[0] = !sel;
        /* Unlinked: each slot leaves with its own index. */
        CHECK(harness_run(&env, d), (uintptr_t)d | sel);
        tcg_target_set_jmp_target(d, (int)sel,
                                  (uintptr_t)(sel ? c->tc.ptr : b->tc.ptr));
        CHECK(harness_run(&env, d), 0);
        tcg_target_set_jmp_target(d, (int)sel, jmp_reset_addr(d, (int)sel));
        CHECK(harness_run(&env, d), (uintptr_t)d | sel);
    }
    CHECK(env.g[1], 2); /* slot 0 linked to b twice */
    CHECK(env.g[2], 2); /* slot 1 linked to c twice */
    CHECK(env.g[3], 12);
}

enum {
    K_NONE,
    K_RESET,
    K_B,
    K_C,
    K_BAD
};

static struct {
    TranslationBlock *a, *b, *c;
    _Atomic int stop;
    _Atomic uint64_t iters;
    _Atomic int last_kind;
    _Atomic uint64_t seen[5];
    TestEnv env;
} jt;

static void *jump_executor(void *arg)
{
    TestEnv *e = &jt.env;
    uint64_t lastb = 0, lastc = 0, nreset = 0;

    (void)arg;
    while (!atomic_load_explicit(&jt.stop, memory_order_acquire)) {
        uintptr_t r = harness_run(e, jt.a);
        int kind;

        if (r == (uintptr_t)jt.a) {
            kind = K_RESET;
            nreset++;
        } else if (r == 0 && e->g[1] == lastb + 1 && e->g[2] == lastc) {
            kind = K_B;
        } else if (r == 0 && e->g[2] == lastc + 1 && e->g[1] == lastb) {
            kind = K_C;
        } else {
            kind = K_BAD;
        }
        lastb = e->g[1];
        lastc = e->g[2];
        if (e->g[0] != lastb + lastc + nreset) {
            kind = K_BAD;
        }
        atomic_fetch_add_explicit(&jt.seen[kind], 1, memory_order_relaxed);
        atomic_store_explicit(&jt.last_kind, kind, memory_order_relaxed);
        atomic_fetch_add_explicit(&jt.iters, 1, memory_order_release);
    }
    return NULL;
}

/* Wait until the executor has finished two more runs; return the kind of
 * the last one, which started after the caller's patch. */
static int wait_runs(void)
{
    uint64_t start = atomic_load_explicit(&jt.iters, memory_order_acquire);
    double t0 = now_s();

    while (atomic_load_explicit(&jt.iters, memory_order_acquire) < start + 2) {
        if (now_s() - t0 > 10) {
            return K_NONE;
        }
    }
    return atomic_load_explicit(&jt.last_kind, memory_order_relaxed);
}

static void test_backend_goto_tb_retarget_concurrent(void **state)
{
    TestEnv env2;
    pthread_t th;
    uintptr_t targets[3];
    int i, k;

    (void)state;
    jt.b = build_counter_tb(1);
    jt.c = build_counter_tb(2);
    jt.a = build_jumper_tb();
    targets[0] = (uintptr_t)jt.b->tc.ptr;
    targets[1] = (uintptr_t)jt.c->tc.ptr;
    targets[2] = jmp_reset_addr(jt.a, 0);

    /* Single-threaded first. */
    memset(&env2, 0, sizeof(env2));
    CTX("retarget, one thread");
    CHECK(harness_run(&env2, jt.a), (uintptr_t)jt.a);
    tcg_target_set_jmp_target(jt.a, 0, targets[0]);
    CHECK(harness_run(&env2, jt.a), 0);
    CHECK(env2.g[1], 1);
    tcg_target_set_jmp_target(jt.a, 0, targets[1]);
    CHECK(harness_run(&env2, jt.a), 0);
    CHECK(env2.g[2], 1);
    tcg_target_set_jmp_target(jt.a, 0, targets[2]);
    CHECK(harness_run(&env2, jt.a), (uintptr_t)jt.a);
    CHECK(env2.g[0], 4);
    CHECK(env2.g[1], 1);
    CHECK(env2.g[2], 1);

    memset(&jt.env, 0, sizeof(jt.env));
    atomic_store(&jt.stop, 0);
    atomic_store(&jt.iters, 0);
    for (k = 0; k < 5; k++) {
        atomic_store(&jt.seen[k], 0);
    }
    assert_int_equal(pthread_create(&th, NULL, jump_executor, NULL), 0);

    /* In lock step: every target is seen by the other thread. */
    for (i = 0; i < 300; i++) {
        k = i % 3;
        tcg_target_set_jmp_target(jt.a, 0, targets[k]);
        CTX("lock-step retarget %d", i);
        k = wait_runs() - K_RESET; /* K_RESET, K_B, K_C: not in order */
        if (k < 0 || k > 2) {
            atomic_store(&jt.stop, 1);
            pthread_join(th, NULL);
            fail_msg("lock-step retarget %d: executor saw kind %d", i,
                     k + K_RESET);
        }
        /* targets[] is B, C, reset; kinds are reset, B, C. */
        if (k != (i % 3 + 1) % 3) {
            atomic_store(&jt.stop, 1);
            pthread_join(th, NULL);
            fail_msg("lock-step retarget %d: executor saw kind %d, want %d", i,
                     k + K_RESET, (i % 3 + 1) % 3 + K_RESET);
        }
    }

    /* Free running: many patches while the other thread executes. */
    for (i = 0; i < 200000; i++) {
        tcg_target_set_jmp_target(jt.a, 0, targets[i % 3]);
        /* Main thread runs it too, with its own env. */
        if (i % 64 == 0) {
            harness_run(&env2, jt.a);
        }
    }
    /* The last target is seen. */
    tcg_target_set_jmp_target(jt.a, 0, targets[1]);
    k = wait_runs();

    atomic_store(&jt.stop, 1);
    pthread_join(th, NULL);

    CTX("concurrent retarget: reset %" PRIu64 " b %" PRIu64 " c %" PRIu64
        " bad %" PRIu64,
        (uint64_t)jt.seen[K_RESET], (uint64_t)jt.seen[K_B],
        (uint64_t)jt.seen[K_C], (uint64_t)jt.seen[K_BAD]);
    CHECK(k, K_C);
    CHECK(atomic_load(&jt.seen[K_BAD]), 0);
    CHECK(atomic_load(&jt.seen[K_RESET]) >= 100, 1);
    CHECK(atomic_load(&jt.seen[K_B]) >= 100, 1);
    CHECK(atomic_load(&jt.seen[K_C]) >= 100, 1);
    /* The main thread's runs were consistent too. */
    CHECK(env2.g[0] >= env2.g[1] + env2.g[2], 1);
}

/* ------------------------------------------------------------------ */
/* exit_request */

static uint64_t h_request_exit(uint64_t envp)
{
    TestEnv *e = (TestEnv *)(uintptr_t)envp;

    atomic_store((_Atomic int32_t *)&e->hdr.exit_request, 1);
    return 0;
}

static const TCGHelperInfo request_exit_info = {
    (void *)h_request_exit, "request_exit", TCG_CALL_NO_RWG};

static void test_backend_exit_request(void **state)
{
    TestEnv env;
    TranslationBlock *tb, *a, *b;
    TCGv_i64 envarg = tcgv_ptr_as_i64(tcg_env);
    TCGTemp *arg;

    (void)state;
    tb = harness_begin();
    tcg_gen_addi_i64(hg[0], hg[0], 1);
    harness_end(tb);

    memset(&env, 0, sizeof(env));
    CTX("exit_request");
    env.hdr.exit_request = 1;
    CHECK(harness_run(&env, tb), (uintptr_t)tb | TB_EXIT_REQUESTED);
    CHECK(env.g[0], 0);
    CHECK(harness_run(&env, tb), (uintptr_t)tb | TB_EXIT_REQUESTED);
    CHECK(env.g[0], 0);
    env.hdr.exit_request = 0;
    CHECK(harness_run(&env, tb), 0);
    CHECK(env.g[0], 1);

    /* Requested while A runs: the chained B does not run its body. */
    b = build_counter_tb(2);
    a = harness_begin();
    arg = tcgv_i64_temp(envarg);
    tcg_gen_addi_i64(hg[1], hg[1], 1);
    tcg_gen_callN(&request_exit_info, NULL, 1, &arg);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(a, 0);
    harness_finish(a);
    tcg_target_set_jmp_target(a, 0, (uintptr_t)b->tc.ptr);

    CTX("exit_request from a chained TB");
    memset(&env, 0, sizeof(env));
    CHECK(harness_run(&env, a), (uintptr_t)b | TB_EXIT_REQUESTED);
    CHECK(env.g[1], 1);
    CHECK(env.g[2], 0);
    CHECK(env.hdr.exit_request, 1);
}

/*
 * A loop's back edge (tcg_gen_loop_back after a conditional exit): the
 * exit_request check and the jump back are `cmp [rbp + exit_request], 0;
 * je head; jmp kick` (one instruction an iteration less than `jne kick;
 * jmp head`).  The loop runs to its end with no request, and leaves after
 * one iteration with the pins stored when its body requests an exit.
 */
static TranslationBlock *build_back_edge_tb(bool request)
{
    TCGv_i64 envarg = tcgv_ptr_as_i64(tcg_env);
    TCGTemp *arg = tcgv_i64_temp(envarg);
    TranslationBlock *tb = harness_begin();
    TCGLabel *head = gen_new_label(), *done = gen_new_label();

    gen_set_label(head);
    tcg_gen_insn_start(0x4000);
    tcg_gen_addi_i64(hg[0], hg[0], 1);
    if (request) {
        tcg_gen_callN(&request_exit_info, NULL, 1, &arg);
    }
    tcg_gen_insn_start(0x4004);
    tcg_gen_subi_i64(hg[1], hg[1], 1);
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[1], 0, done);
    tcg_gen_loop_back(head);
    gen_set_label(done);
    assert_true(tcg_pin_hot_globals(tcg_ctx) > 0);
    harness_end(tb);
    return tb;
}

static void test_backend_back_edge(void **state)
{
    static const uint8_t cmp_je[] = {0x83, 0x7d, TCG_ENV_EXIT_REQUEST_OFS,
                                     0,    0x0f, 0x84};
    TranslationBlock *tb;
    const uint8_t *code;
    TestEnv env;
    int found = -1;

    (void)state;
    tb = build_back_edge_tb(false);
    code = tb->tc.ptr;
    for (uint32_t i = 0; i + sizeof(cmp_je) + 5 <= tb->tc.size; i++) {
        if (!memcmp(code + i, cmp_je, sizeof(cmp_je)) &&
            code[i + sizeof(cmp_je) + 4] == 0xe9) {
            found = (int)i;
        }
    }
    CTX("back edge: cmp; je head; jmp kick");
    assert_true(found >= 0);
    {
        int32_t rel;

        memcpy(&rel, code + found + sizeof(cmp_je), 4);
        CHECK(rel < 0, 1); /* back to the head */
    }
    memset(&env, 0, sizeof(env));
    env.g[1] = 10;
    CHECK(harness_run(&env, tb), 0);
    CHECK(env.g[0], 10);
    CHECK(env.g[1], 0);

    tb = build_back_edge_tb(true);
    CTX("back edge: exit requested in the body");
    memset(&env, 0, sizeof(env));
    env.g[1] = 10;
    CHECK(harness_run(&env, tb), (uintptr_t)tb | TB_EXIT_REQUESTED);
    CHECK(env.g[0], 1);
    CHECK(env.g[1], 9);
}

/*
 * A cold TB's entry (count_check): it counts hot_count down on each entry
 * and, on the entry that reaches zero, leaves with TB_EXIT_HOT before
 * its body; exit_request is checked first.
 */
static void test_backend_count_check(void **state)
{
    TestEnv env;
    TranslationBlock *tb;

    (void)state;
    tb = harness_begin();
    tb->cold = 1;
    tcg_emit_op(INDEX_op_count_check, TCG_TYPE_I32, 0);
    tcg_gen_addi_i64(hg[0], hg[0], 1);
    harness_end(tb);
    tb->hot_count = 3;

    memset(&env, 0, sizeof(env));
    CTX("count_check");
    env.hdr.exit_request = 1;
    CHECK(harness_run(&env, tb), (uintptr_t)tb | TB_EXIT_REQUESTED);
    CHECK(tb->hot_count, 3);
    env.hdr.exit_request = 0;
    for (int i = 1; i <= 2; i++) {
        CHECK(harness_run(&env, tb), 0);
        CHECK(env.g[0], (uint64_t)i);
        CHECK(tb->hot_count, 3 - i);
    }
    CHECK(harness_run(&env, tb), (uintptr_t)tb | TB_EXIT_HOT);
    CHECK(env.g[0], 2);
    CHECK(tb->hot_count, 0);
    /* Past zero it runs on (the exec loop replaces it at zero). */
    CHECK(harness_run(&env, tb), 0);
    CHECK(env.g[0], 3);
}

/* ------------------------------------------------------------------ */
/* goto_ptr */

static void test_backend_goto_ptr(void **state)
{
    TestEnv env;
    TranslationBlock *b, *p;

    (void)state;
    b = build_counter_tb(1);
    p = harness_begin();
    tcg_gen_addi_i64(hg[2], hg[2], 1);
    tcg_gen_goto_ptr(tcgv_i64_as_ptr(hg[0]));
    harness_finish(p);

    memset(&env, 0, sizeof(env));
    CTX("goto_ptr to a TB");
    env.g[0] = (uint64_t)(uintptr_t)b->tc.ptr;
    CHECK(harness_run(&env, p), 0);
    CHECK(env.g[1], 1);
    CHECK(env.g[2], 1);

    CTX("goto_ptr to the epilogue");
    env.g[0] = (uint64_t)(uintptr_t)tcg_code_gen_epilogue;
    CHECK(harness_run(&env, p), 0);
    CHECK(env.g[1], 1);
    CHECK(env.g[2], 2);
}

/* ------------------------------------------------------------------ */
/* Guest address checks */

static sigjmp_buf fault_jb;
static struct {
    int n;
    void *env;
    uint64_t addr;
    uint32_t info;
    uintptr_t ra;
} fault;

static void record_fault(void *env, uint64_t addr, uint32_t info,
                         uintptr_t retaddr)
{
    fault.n++;
    fault.env = env;
    fault.addr = addr;
    fault.info = info;
    fault.ra = retaddr;
    siglongjmp(fault_jb, 1);
}

/* Run; returns true if the fault function was called. */
static bool run_catch(TestEnv *env, TranslationBlock *tb, uintptr_t *ret)
{
    memset(&fault, 0, sizeof(fault));
    if (sigsetjmp(fault_jb, 0) == 0) {
        *ret = harness_run(env, tb);
        return false;
    }
    return true;
}

static _Alignas(64) uint8_t gmem[64];

#define MASK40 (~((1ull << 40) - 1))
#define MASK47 (~((1ull << 47) - 1))

/*
 * insn 0x2000: g1 = g0 + 8
 * insn 0x2004: g2 = qemu_ld(g1, mop)
 * insn 0x2008: g3 = g2 + 1
 */
static TranslationBlock *build_ld_tb(MemOp mop)
{
    TranslationBlock *tb = harness_begin();

    tcg_gen_insn_start(0x2000);
    tcg_gen_addi_i64(hg[1], hg[0], 8);
    tcg_gen_insn_start(0x2004);
    tcg_gen_qemu_ld_i64(hg[2], hg[1], mop);
    tcg_gen_insn_start(0x2008);
    tcg_gen_addi_i64(hg[3], hg[2], 1);
    harness_end(tb);
    return tb;
}

/*
 * Displacements (MO_OFS) and a shared check:
 * insn 0x4000: g2 = qemu_ld(g0 - 8, MO_UQ)
 * insn 0x4004: qemu_st(g1, g0 + 16, MO_UQ)     (g0 checked: no check)
 * insn 0x4008: g3 = qemu_ld(g0 + 23, MO_UB)
 */
static void test_backend_guest_disp(void **state)
{
    TCGGuestFaultFn old = tcg_guest_fault_fn;
    TranslationBlock *tb = harness_begin();
    TestEnv env;
    uintptr_t ret = 0;

    (void)state;
    tcg_gen_insn_start(0x4000);
    tcg_gen_qemu_ld_i64(hg[2], hg[0], (MemOp)(MO_UQ | MO_OFS(-8)));
    tcg_gen_insn_start(0x4004);
    tcg_gen_qemu_st_i64(hg[1], hg[0], (MemOp)(MO_UQ | MO_OFS(16)));
    tcg_gen_insn_start(0x4008);
    tcg_gen_qemu_ld_i64(hg[3], hg[0], (MemOp)(MO_UB | MO_OFS(23)));
    harness_end(tb);
    tcg_guest_fault_fn = record_fault;

    /* In range: the displacements reach the right bytes. */
    CTX("displacements");
    for (int i = 0; i < 64; i++) {
        gmem[i] = (uint8_t)i;
    }
    memset(&env, 0, sizeof(env));
    env.hdr.guest_addr_mask = MASK47;
    env.g[0] = (uint64_t)(uintptr_t)gmem + 8;
    env.g[1] = 0x1122334455667788ull;
    if (run_catch(&env, tb, &ret)) {
        fail_msg("unexpected fault at %#" PRIx64, fault.addr);
    }
    CHECK(env.g[2], 0x0706050403020100ull);
    CHECK(gmem[24], 0x88);
    CHECK(gmem[31], 0x11);
    CHECK(env.g[3], 0x11); /* after the store */

    /* A base out of range: the first access faults at base - 8. */
    memset(&env, 0, sizeof(env));
    env.hdr.guest_addr_mask = MASK40;
    env.g[0] = (1ull << 40) + 8;
    fault.n = 0;
    if (!run_catch(&env, tb, &ret)) {
        fail_msg("no fault (ret %#lx)", (unsigned long)ret);
    }
    CHECK(fault.n, 1);
    CHECK(fault.addr, 1ull << 40);
    CHECK(fault.info, MO_UQ | TCG_LDST_DISP);
    CHECK(tcg_restore_search(tb, fault.ra), 0x4000);
    tcg_guest_fault_fn = old;
}

static void test_backend_guest_addr_bounds(void **state)
{
    static const MemOp mops[] = {MO_UB, MO_SW, MO_UL, MO_UQ};
    TCGGuestFaultFn old = tcg_guest_fault_fn;
    TestEnv env;
    uintptr_t ret = 0;
    size_t k;

    (void)state;
    tcg_guest_fault_fn = record_fault;
    for (k = 0; k < ARRAY_SIZE(mops); k++) {
        TranslationBlock *tb = build_ld_tb(mops[k]), *st;
        uint64_t bad[] = {1ull << 40, (1ull << 41) + 8, 1ull << 63, -8ull,
                          0x0000ffffffffff00ull};
        size_t j;

        for (j = 0; j < ARRAY_SIZE(bad); j++) {
            uint64_t addr = bad[j];

            CTX("ld mop=%d addr=%#" PRIx64, mops[k], addr);
            memset(&env, 0, sizeof(env));
            env.hdr.guest_addr_mask = MASK40;
            env.g[0] = addr - 8;
            env.g[2] = 0x2222;
            env.g[3] = 0x3333;
            if (!run_catch(&env, tb, &ret)) {
                fail_msg("%s: no fault (ret %#lx)", ctx_msg,
                         (unsigned long)ret);
            }
            CHECK(fault.n, 1);
            CHECK((uintptr_t)fault.env, (uintptr_t)&env);
            CHECK(fault.addr, addr);
            CHECK(fault.info, mops[k]);
            CHECK(tcg_restore_search(tb, fault.ra), 0x2004);
            CHECK((uintptr_t)tcg_tb_lookup(fault.ra), (uintptr_t)tb);
            /* Globals were synced before the access, nothing after. */
            CHECK(env.g[1], addr);
            CHECK(env.g[2], 0x2222);
            CHECK(env.g[3], 0x3333);
        }

        /* In range: no fault, with either mask. */
        CTX("ld mop=%d in range", mops[k]);
        memset(gmem, 0x41, sizeof(gmem));
        memset(&env, 0, sizeof(env));
        env.hdr.guest_addr_mask = MASK47;
        env.g[0] = (uint64_t)(uintptr_t)gmem;
        if (run_catch(&env, tb, &ret)) {
            fail_msg("%s: unexpected fault at %#" PRIx64, ctx_msg, fault.addr);
        }
        CHECK(ret, 0);
        CHECK(env.g[2] & 0xff, 0x41);

        /* A store to an out-of-range address faults with STORE set. */
        st = harness_begin();
        tcg_gen_insn_start(0x3000);
        tcg_gen_movi_i64(hg[3], 1);
        tcg_gen_insn_start(0x3004);
        tcg_gen_qemu_st_i64(hg[1], hg[0], mops[k] & ~MO_SIGN);
        tcg_gen_insn_start(0x3008);
        tcg_gen_movi_i64(hg[3], 2);
        harness_end(st);
        CTX("st mop=%d", mops[k]);
        memset(&env, 0, sizeof(env));
        env.hdr.guest_addr_mask = MASK40;
        env.g[0] = (1ull << 45) | 0x10;
        if (!run_catch(&env, st, &ret)) {
            fail_msg("%s: no fault", ctx_msg);
        }
        CHECK(fault.addr, (1ull << 45) | 0x10);
        CHECK(fault.info, (mops[k] & ~MO_SIGN) | TCG_LDST_STORE);
        CHECK(tcg_restore_search(st, fault.ra), 0x3004);
        CHECK(env.g[3], 1);
    }
    tcg_guest_fault_fn = old;
}

/* tcg_test_clobber_helper trashes r10 (the mask register) too */
static const TCGHelperInfo bclobber_info = {(void *)tcg_test_clobber_helper,
                                            "clobber", TCG_CALL_NO_RWG};

/*
 * A loop TB keeps guest_addr_mask in a register (TCGContext.mask_in_reg):
 * a helper call in the loop trashes that register, and the access after
 * it must still be checked against the real mask.  The second iteration
 * reads 2^47, in range for the junk left in the register (bit 47 clear)
 * but not for the mask.
 */
static void test_backend_guest_addr_mask_reg(void **state)
{
    TCGGuestFaultFn old = tcg_guest_fault_fn;
    TranslationBlock *tb;
    TCGLabel *head, *done;
    TestEnv env;
    uintptr_t ret = 0;

    (void)state;
    tcg_guest_fault_fn = record_fault;
    tb = harness_begin();
    head = gen_new_label();
    done = gen_new_label();
    gen_set_label(head);
    tcg_gen_insn_start(0x4000);
    tcg_gen_callN(&bclobber_info, NULL, 0, NULL);
    tcg_gen_insn_start(0x4004);
    tcg_gen_qemu_ld_i64(hg[2], hg[0], MO_UQ);
    tcg_gen_insn_start(0x4008);
    tcg_gen_add_i64(hg[0], hg[0], hg[3]);
    tcg_gen_subi_i64(hg[1], hg[1], 1);
    tcg_gen_brcondi_i64(TCG_COND_EQ, hg[1], 0, done);
    tcg_gen_loop_back(head);
    gen_set_label(done);
    assert_true(tcg_pin_hot_globals(tcg_ctx) > 0);
    harness_end(tb);
    assert_true(tcg_ctx->mask_in_reg);

    CTX("mask register after a call");
    memset(gmem, 0x41, sizeof(gmem));
    memset(&env, 0, sizeof(env));
    env.hdr.guest_addr_mask = MASK47;
    env.g[0] = (uint64_t)(uintptr_t)gmem;
    env.g[1] = 3;
    env.g[3] = (1ull << 47) - (uint64_t)(uintptr_t)gmem;
    if (!run_catch(&env, tb, &ret)) {
        /*
         * The load's check moved to the back edge (tcg_loop_checks), after
         * the call too: it leaves before the head with 2^47 in g[0].
         */
        CHECK(ret, (uintptr_t)tb | TB_EXIT_PRECHECK);
        CHECK(env.g[0], 1ull << 47);
        CHECK(env.g[1], 2);
    } else {
        CHECK(fault.addr, 1ull << 47);
        CHECK(tcg_restore_search(tb, fault.ra), 0x4004);
    }
    CHECK(env.g[2], 0x4141414141414141ull);
    tcg_guest_fault_fn = old;
}

/*
 * vecop's guest accesses (LDG/STG) check the range themselves (session
 * 11, h-vec2): in a loop TB against the mask register, which a helper call
 * in the loop trashes.  The first trip accesses gmem, the second 2^47: a
 * guest fault at 2^47 from the access's instruction (a store after the
 * load, so that nothing is written at 2^47 either way).
 */
static void test_backend_vecop_guest_range(void **state)
{
    TCGGuestFaultFn old = tcg_guest_fault_fn;

    (void)state;
    tcg_guest_fault_fn = record_fault;
    for (int st = 0; st < 2; st++) {
        TranslationBlock *tb = harness_begin();
        TCGLabel *head = gen_new_label(), *done = gen_new_label();
        TestEnv env;
        uintptr_t ret = 0;

        gen_set_label(head);
        tcg_gen_insn_start(0x4000);
        tcg_gen_callN(&bclobber_info, NULL, 0, NULL);
        tcg_gen_insn_start(0x4004);
        tcg_gen_vecop(hg[2], hg[0], st ? TCG_VEC_STG : TCG_VEC_LDG, 0, 2,
                      offsetof(TestEnv, bytes[0]), 0, 0, -1);
        tcg_gen_insn_start(0x4008);
        tcg_gen_add_i64(hg[0], hg[0], hg[3]);
        tcg_gen_subi_i64(hg[1], hg[1], 1);
        tcg_gen_brcondi_i64(TCG_COND_EQ, hg[1], 0, done);
        tcg_gen_loop_back(head);
        gen_set_label(done);
        assert_true(tcg_pin_hot_globals(tcg_ctx) > 0);
        harness_end(tb);
        assert_true(tcg_ctx->mask_in_reg);

        CTX(st ? "vecop STG out of range" : "vecop LDG out of range");
        memset(gmem, 0x41, sizeof(gmem));
        memset(&env, 0, sizeof(env));
        memset(env.bytes, 0x5a, sizeof(env.bytes));
        env.hdr.guest_addr_mask = MASK47;
        env.g[0] = (uint64_t)(uintptr_t)gmem;
        env.g[1] = 3;
        env.g[3] = (1ull << 47) - (uint64_t)(uintptr_t)gmem;
        fault.n = 0;
        assert_true(run_catch(&env, tb, &ret));
        CHECK(fault.n, 1);
        CHECK(fault.addr, 1ull << 47);
        CHECK(!!(fault.info & TCG_LDST_STORE), st);
        CHECK(tcg_restore_search(tb, fault.ra), 0x4004);
        CHECK(env.g[1], 2);
        CHECK(st ? gmem[31] : env.bytes[31], st ? 0x5a : 0x41);
    }
    tcg_guest_fault_fn = old;
}

/*
 * A page just below 2^b (the first b of a few that can be mapped here;
 * ASan's shadow takes some): the last bytes in range load, 2^b faults.
 */
static void test_backend_guest_addr_bounds_edge(void **state)
{
    static const int bits[] = {40, 30, 36, 44, 33, 46};
    TCGGuestFaultFn old = tcg_guest_fault_fn;
    TranslationBlock *tb;
    TestEnv env;
    uintptr_t ret = 0;
    uint64_t top = 0;
    void *p = MAP_FAILED;
    size_t k;

    (void)state;
    for (k = 0; k < ARRAY_SIZE(bits); k++) {
        top = 1ull << bits[k];
        p = mmap((void *)(uintptr_t)(top - 4096), 4096, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
        if (p == (void *)(uintptr_t)(top - 4096)) {
            break;
        }
        if (p != MAP_FAILED) {
            munmap(p, 4096);
            p = MAP_FAILED;
        }
    }
    if (p == MAP_FAILED) {
        fail_msg("could not map a page below any of the candidate bounds");
    }
    memset(p, 0x5a, 4096);
    tcg_guest_fault_fn = record_fault;
    tb = build_ld_tb(MO_UQ);

    CTX("last 8 bytes below %#" PRIx64, top);
    memset(&env, 0, sizeof(env));
    env.hdr.guest_addr_mask = ~(top - 1);
    env.g[0] = top - 16;
    if (run_catch(&env, tb, &ret)) {
        munmap(p, 4096);
        fail_msg("%s: unexpected fault at %#" PRIx64, ctx_msg, fault.addr);
    }
    CHECK(ret, 0);
    CHECK(env.g[2], 0x5a5a5a5a5a5a5a5aull);
    CHECK(env.g[3], 0x5a5a5a5a5a5a5a5bull);

    CTX("at %#" PRIx64, top);
    env.g[0] = top - 8;
    if (!run_catch(&env, tb, &ret)) {
        munmap(p, 4096);
        fail_msg("%s: no fault", ctx_msg);
    }
    CHECK(fault.addr, top);
    CHECK(fault.info, MO_UQ);
    munmap(p, 4096);
    tcg_guest_fault_fn = old;
}

static void test_backend_misaligned_atomic_faults(void **state)
{
    TCGGuestFaultFn old = tcg_guest_fault_fn;
    static const MemOp mops[] = {MO_32 | MO_ALIGN, MO_64 | MO_ALIGN,
                                 MO_SL | MO_ALIGN};
    size_t k;
    unsigned off;

    (void)state;
    tcg_guest_fault_fn = record_fault;
    for (k = 0; k < ARRAY_SIZE(mops); k++) {
        MemOp mop = mops[k];
        unsigned size = 1u << (mop & MO_SIZE);
        TranslationBlock *tb[2];
        int which;

        tb[0] = harness_begin();
        tcg_gen_insn_start(0x4000);
        tcg_gen_movi_i64(hg[3], 1);
        tcg_gen_insn_start(0x4004);
        tcg_gen_atomic_fetch_add_i64(hg[2], hg[0], hg[1], mop);
        tcg_gen_insn_start(0x4008);
        tcg_gen_movi_i64(hg[3], 2);
        harness_end(tb[0]);

        tb[1] = harness_begin();
        tcg_gen_insn_start(0x5000);
        tcg_gen_movi_i64(hg[3], 1);
        tcg_gen_insn_start(0x5004);
        tcg_gen_atomic_cmpxchg_i64(hg[2], hg[0], hg[1], hg[4], mop);
        tcg_gen_insn_start(0x5008);
        tcg_gen_movi_i64(hg[3], 2);
        harness_end(tb[1]);

        for (which = 0; which < 2; which++) {
            for (off = 0; off < 16; off++) {
                TestEnv env;
                uintptr_t ret = 0;
                bool faulted;
                uint8_t before[sizeof(gmem)];

                CTX("%s mop=%#x off=%u", which ? "cmpxchg" : "fetch_add", mop,
                    off);
                memset(gmem, 0, sizeof(gmem));
                memcpy(before, gmem, sizeof(gmem));
                memset(&env, 0, sizeof(env));
                env.hdr.guest_addr_mask = MASK47;
                env.g[0] = (uint64_t)(uintptr_t)(gmem + 16 + off);
                env.g[1] = 0; /* cmpxchg: compare equal to memory */
                env.g[2] = 0x2222;
                env.g[4] = 0x7f;
                if (which == 0) {
                    env.g[1] = 0x7f;
                }
                faulted = run_catch(&env, tb[which], &ret);
                if (off % size == 0) {
                    if (faulted) {
                        fail_msg("%s: unexpected fault", ctx_msg);
                    }
                    CHECK(env.g[2], 0);
                    CHECK(gmem[16 + off], 0x7f);
                    CHECK(env.g[3], 2);
                    continue;
                }
                if (!faulted) {
                    fail_msg("%s: no fault", ctx_msg);
                }
                CHECK(fault.addr, (uintptr_t)(gmem + 16 + off));
                CHECK(fault.info & ~(uint32_t)TCG_LDST_STORE, mop);
                CHECK(tcg_restore_search(tb[which], fault.ra),
                      which ? 0x5004 : 0x4004);
                CHECK(env.g[3], 1);
                CHECK(env.g[2], 0x2222);
                if (memcmp(gmem, before, sizeof(gmem)) != 0) {
                    fail_msg("%s: memory written before the fault", ctx_msg);
                }
            }
        }
    }
    tcg_guest_fault_fn = old;
}

/* ------------------------------------------------------------------ */
/* Atomics from several threads */

#define NTHREADS 4
#define NLOOP 100000

static _Alignas(64) uint64_t shared_ctr[2];

typedef struct AtomicWorker {
    TranslationBlock *tb;
    TestEnv env;
    uintptr_t ret;
} AtomicWorker;

static void *atomic_worker(void *arg)
{
    AtomicWorker *w = arg;

    w->ret = harness_run(&w->env, w->tb);
    return NULL;
}

/* A TB looping g0 times: fetch_add 1 at [g1] (MO_64), fetch_add 3 at
 * [g1 + 8] (MO_32), and a cmpxchg increment loop at [g1 + 12]. */
static TranslationBlock *build_atomic_loop(void)
{
    TranslationBlock *tb = harness_begin();
    TCGLabel *top = gen_new_label(), *done = gen_new_label();
    TCGLabel *retry = gen_new_label();
    TCGv_i64 i = tcg_temp_new_tb_i64(), a = tcg_temp_new_tb_i64();
    TCGv_i64 old, nv, got, b;

    tcg_gen_movi_i64(i, 0);
    gen_set_label(top);
    tcg_gen_brcond_i64(TCG_COND_GEU, i, hg[0], done);
    old = tcg_temp_new_i64();
    tcg_gen_atomic_fetch_add_i64(old, hg[1], tcg_constant_i64(1),
                                 MO_64 | MO_ALIGN);
    b = tcg_temp_new_i64();
    tcg_gen_addi_i64(b, hg[1], 8);
    tcg_gen_atomic_fetch_add_i64(old, b, tcg_constant_i64(3), MO_32);
    tcg_gen_addi_i64(a, hg[1], 12);
    gen_set_label(retry);
    old = tcg_temp_new_i64();
    nv = tcg_temp_new_i64();
    got = tcg_temp_new_i64();
    tcg_gen_qemu_ld_i64(old, a, MO_UL);
    tcg_gen_addi_i64(nv, old, 1);
    tcg_gen_atomic_cmpxchg_i64(got, a, old, nv, MO_UL | MO_ALIGN);
    tcg_gen_brcond_i64(TCG_COND_NE, got, old, retry);
    tcg_gen_addi_i64(i, i, 1);
    tcg_gen_br(top);
    gen_set_label(done);
    harness_end(tb);
    return tb;
}

static void test_backend_atomics_are_atomic(void **state)
{
    static AtomicWorker w[NTHREADS];
    pthread_t th[NTHREADS];
    TranslationBlock *tb;
    uint32_t lo, hi;
    int i;

    (void)state;
    tb = build_atomic_loop();
    shared_ctr[0] = 0;
    shared_ctr[1] = 0;
    for (i = 0; i < NTHREADS; i++) {
        memset(&w[i].env, 0, sizeof(w[i].env));
        w[i].tb = tb;
        w[i].env.g[0] = NLOOP;
        w[i].env.g[1] = (uint64_t)(uintptr_t)shared_ctr;
        assert_int_equal(pthread_create(&th[i], NULL, atomic_worker, &w[i]), 0);
    }
    for (i = 0; i < NTHREADS; i++) {
        pthread_join(th[i], NULL);
    }
    CTX("atomics from %d threads", NTHREADS);
    for (i = 0; i < NTHREADS; i++) {
        CHECK(w[i].ret, 0);
    }
    memcpy(&lo, (uint8_t *)shared_ctr + 8, 4);
    memcpy(&hi, (uint8_t *)shared_ctr + 12, 4);
    CHECK(shared_ctr[0], (uint64_t)NTHREADS * NLOOP);
    CHECK(lo, (uint32_t)(3ull * NTHREADS * NLOOP));
    CHECK(hi, (uint32_t)NTHREADS * NLOOP);
}

/* ------------------------------------------------------------------ */
/* Calling convention */

/* Returns (rsp + 8) & 15 at entry: 0 when the caller aligned the stack. */
uint64_t tcg_test_stack_misalign(void);
__asm__(".text\n"
        ".globl tcg_test_stack_misalign\n"
        ".type tcg_test_stack_misalign, @function\n"
        "tcg_test_stack_misalign:\n"
        "    lea 8(%rsp), %rax\n"
        "    and $15, %rax\n"
        "    ret\n"
        ".size tcg_test_stack_misalign, .-tcg_test_stack_misalign\n");

static const TCGHelperInfo misalign_info = {(void *)tcg_test_stack_misalign,
                                            "misalign", TCG_CALL_NO_RWG};

/* Helpers see a 16-byte aligned stack, with and without spills. */
static void test_backend_call_stack_aligned(void **state)
{
    int spill;

    (void)state;
    for (spill = 0; spill < 2; spill++) {
        TranslationBlock *tb = harness_begin();
        TCGv_i64 r = tcg_temp_new_i64(), t[24];
        TestEnv env;
        int i;
        uint64_t want = 0;

        if (spill) {
            for (i = 0; i < 24; i++) {
                t[i] = tcg_temp_new_i64();
                tcg_gen_addi_i64(t[i], hg[0], i);
            }
        }
        tcg_gen_callN(&misalign_info, tcgv_i64_temp(r), 0, NULL);
        tcg_gen_mov_i64(hg[1], r);
        if (spill) {
            tcg_gen_movi_i64(hg[2], 0);
            for (i = 0; i < 24; i++) {
                tcg_gen_add_i64(hg[2], hg[2], t[i]);
            }
        }
        harness_end(tb);

        CTX("stack alignment spill=%d", spill);
        memset(&env, 0, sizeof(env));
        env.g[0] = 1000;
        env.g[1] = 0xffff;
        CHECK(harness_run(&env, tb), 0);
        CHECK(env.g[1], 0);
        for (i = 0; spill && i < 24; i++) {
            want += 1000 + (uint64_t)i;
        }
        CHECK(env.g[2], want);
    }
}

/* ------------------------------------------------------------------ */
/* vecop: SSE on 16-byte chunks of env (bytes[]: a, b, d, v0) */

static uint64_t vec_elem(const uint8_t *p, int i, int sew)
{
    uint64_t x = 0;

    memcpy(&x, p + (i << sew), 1u << sew);
    return x;
}

static int64_t vec_sx(uint64_t x, int sew)
{
    int sh = 64 - (8 << sew);

    return (int64_t)(x << sh) >> sh;
}

/* The reference of integer op @op on elements @a, @b (SEW 8 << @sew). */
static uint64_t vec_ref(int op, uint64_t a, uint64_t b, int sew)
{
    int bits = 8 << sew;
    uint64_t m = bits == 64 ? ~0ull : (1ull << bits) - 1;
    int64_t sa = vec_sx(a, sew), sb = vec_sx(b, sew);

    switch (op) {
    case TCG_VEC_ADD:
        return (a + b) & m;
    case TCG_VEC_SUB:
        return (a - b) & m;
    case TCG_VEC_RSUB:
        return (b - a) & m;
    case TCG_VEC_AND:
        return a & b;
    case TCG_VEC_OR:
        return a | b;
    case TCG_VEC_XOR:
        return a ^ b;
    case TCG_VEC_MINU:
        return a < b ? a : b;
    case TCG_VEC_MIN:
        return sa < sb ? a : b;
    case TCG_VEC_MAXU:
        return a > b ? a : b;
    case TCG_VEC_MAX:
        return sa > sb ? a : b;
    case TCG_VEC_MUL:
        return (a * b) & m;
    default: /* MOV */
        return b;
    }
}

/*
 * Every integer op vecop has on this host, at each SEW, .vv and .vx,
 * masked and not, against vec_ref; then the compares into bits.
 */
static void test_backend_vecop_int(void **state)
{
    uint64_t seed = 7;

    (void)state;
    for (int op = TCG_VEC_ADD; op <= TCG_VEC_MOV; op++) {
        for (int sew = 0; sew < 4; sew++) {
            if (op == TCG_VEC_SLL || op == TCG_VEC_SRL || op == TCG_VEC_SRA ||
                !tcg_vec_supported(op, sew)) {
                continue;
            }
            for (int form = 0; form < 4; form++) {
                bool sc = form & 1, masked = (form & 2) && op != TCG_VEC_MOV;
                TranslationBlock *tb = harness_begin();
                TestEnv env;
                uint8_t want[16];

                tcg_gen_vecop(hg[1], hg[0], op | (sc ? TCG_VEC_SCALAR : 0), sew,
                              1, offsetof(TestEnv, bytes[32]),
                              offsetof(TestEnv, bytes[0]),
                              offsetof(TestEnv, bytes[16]),
                              masked ? (int)offsetof(TestEnv, bytes[48]) : -1);
                harness_end(tb);
                memset(&env, 0, sizeof(env));
                for (int i = 0; i < 64; i++) {
                    seed = seed * 6364136223846793005ull + 1;
                    env.bytes[i] = seed >> 56;
                }
                env.g[0] = seed ^ (seed << 13);
                if (sc) { /* what the op sees: g[0] in every element */
                    for (int i = 0; i < 16 >> sew; i++) {
                        memcpy(env.bytes + 16 + (i << sew), &env.g[0],
                               1u << sew);
                    }
                }
                for (int i = 0; i < 16 >> sew; i++) {
                    uint64_t r = vec_ref(op, vec_elem(env.bytes, i, sew),
                                         vec_elem(env.bytes + 16, i, sew), sew);

                    if (masked && !(env.bytes[48 + i / 8] >> (i % 8) & 1)) {
                        r = vec_elem(env.bytes + 32, i, sew);
                    }
                    memcpy(want + (i << sew), &r, 1u << sew);
                }
                CTX("vecop %d sew %d form %d", op, sew, form);
                harness_run(&env, tb);
                assert_memory_equal(env.bytes + 32, want, 16);
            }
        }
    }
}

/*
 * vecop_vl: only the elements below vl (scratch[0], 1 .. all) change,
 * the tail keeps d's value; ADD .vv masked and not, XOR and MOV .vx.
 */
static void test_backend_vecop_tail(void **state)
{
    static const int ops[4] = {TCG_VEC_ADD, TCG_VEC_ADD, TCG_VEC_XOR,
                               TCG_VEC_MOV};
    uint64_t seed = 11;

    (void)state;
    for (int k = 0; k < 4; k++) {
        for (int sew = 0; sew < 4; sew++) {
            for (int vl = 1; vl <= 16 >> sew; vl++) {
                bool sc = k >= 2, masked = k == 1;
                TranslationBlock *tb = harness_begin();
                TestEnv env;
                uint8_t want[16];

                tcg_gen_vecop_vl(
                    hg[1], hg[0], ops[k] | (sc ? TCG_VEC_SCALAR : 0), sew, 1,
                    offsetof(TestEnv, bytes[32]), offsetof(TestEnv, bytes[0]),
                    offsetof(TestEnv, bytes[16]),
                    masked ? (int)offsetof(TestEnv, bytes[48]) : -1,
                    offsetof(TestEnv, scratch[0]));
                harness_end(tb);
                memset(&env, 0, sizeof(env));
                for (int i = 0; i < 64; i++) {
                    seed = seed * 6364136223846793005ull + 1;
                    env.bytes[i] = seed >> 56;
                }
                env.g[0] = seed ^ (seed << 13);
                env.scratch[0] = vl;
                if (sc) {
                    for (int i = 0; i < 16 >> sew; i++) {
                        memcpy(env.bytes + 16 + (i << sew), &env.g[0],
                               1u << sew);
                    }
                }
                memcpy(want, env.bytes + 32, 16);
                for (int i = 0; i < vl; i++) {
                    uint64_t r = vec_ref(ops[k], vec_elem(env.bytes, i, sew),
                                         vec_elem(env.bytes + 16, i, sew), sew);

                    if (!masked || (env.bytes[48 + i / 8] >> (i % 8) & 1)) {
                        memcpy(want + (i << sew), &r, 1u << sew);
                    }
                }
                CTX("vecop_vl %d sew %d vl %d", k, sew, vl);
                harness_run(&env, tb);
                assert_memory_equal(env.bytes + 32, want, 16);
            }
        }
    }
}

/* vecop's compares: bit i of ok = a[i] cond b[i]. */
static void test_backend_vecop_cmp(void **state)
{
    static const TCGCond conds[] = {TCG_COND_EQ,  TCG_COND_NE, TCG_COND_LT,
                                    TCG_COND_LE,  TCG_COND_GT, TCG_COND_LTU,
                                    TCG_COND_LEU, TCG_COND_GTU};
    uint64_t seed = 3;

    (void)state;
    for (size_t c = 0; c < sizeof(conds) / sizeof(conds[0]); c++) {
        for (int sew = 0; sew < 3; sew++) {
            TranslationBlock *tb = harness_begin();
            TestEnv env;
            uint64_t want = 0;

            tcg_gen_vecop(hg[1], hg[0], TCG_VEC_CMP | conds[c], sew, 2,
                          offsetof(TestEnv, bytes[0]),
                          offsetof(TestEnv, bytes[0]),
                          offsetof(TestEnv, bytes[32]), -1);
            harness_end(tb);
            memset(&env, 0, sizeof(env));
            for (int i = 0; i < 64; i++) {
                seed = seed * 6364136223846793005ull + 1;
                env.bytes[i] = seed >> 56;
            }
            memcpy(env.bytes + 40, env.bytes + 8, 4); /* some equal ones */
            for (int i = 0; i < 32 >> sew; i++) {
                uint64_t a = vec_elem(env.bytes, i, sew);
                uint64_t b = vec_elem(env.bytes + 32, i, sew);
                int64_t sa = vec_sx(a, sew), sb = vec_sx(b, sew);
                bool r;

                switch (conds[c]) {
                case TCG_COND_EQ:
                    r = a == b;
                    break;
                case TCG_COND_NE:
                    r = a != b;
                    break;
                case TCG_COND_LT:
                    r = sa < sb;
                    break;
                case TCG_COND_LE:
                    r = sa <= sb;
                    break;
                case TCG_COND_GT:
                    r = sa > sb;
                    break;
                case TCG_COND_LTU:
                    r = a < b;
                    break;
                case TCG_COND_LEU:
                    r = a <= b;
                    break;
                default:
                    r = a > b;
                    break;
                }
                want |= (uint64_t)r << i;
            }
            CTX("vecop cmp %d sew %d", conds[c], sew);
            harness_run(&env, tb);
            CHECK(env.g[1], want);
        }
    }
}

/* Lane @i of the FP vector at env.bytes[@off], as a double. */
static double fp_lane(const TestEnv *env, int off, int i, bool single)
{
    double d;
    float f;

    if (single) {
        memcpy(&f, env->bytes + off + 4 * i, 4);
        return f;
    }
    memcpy(&d, env->bytes + off + 8 * i, 8);
    return d;
}

/* One lane of vecop's FMA in double (@single: rounded to float). */
static double vec_fma_ref(int op, double a, double b, double c, bool single)
{
    double pa = op & TCG_VEC_FMA_NEGP ? -a : a;
    double pc = op & TCG_VEC_FMA_NEGC ? -c : c;

    return single ? (double)fmaf((float)pa, (float)b, (float)pc)
                  : fma(pa, b, pc);
}

/*
 * vecop's fused multiply-add: every sign and operand form, SEW 32/64,
 * .vv/.vf, against fma(); with TCG_VEC_FMA_EXACT: an exact lane set
 * keeps ok bit 4 clear, an inexact sum sets it, an inexact product
 * fails; a lane with an infinity fails both forms and leaves d alone.
 */
static void test_backend_vecop_fma(void **state)
{
    (void)state;
    if (!tcg_vec_supported(TCG_VEC_FMA, 2)) {
        skip(); /* no FMA3 on this host */
    }
    for (int v = 0; v < 16; v++) {
        for (int sew = 2; sew < 4; sew++) {
            for (int form = 0; form < 8; form++) {
                bool sc = form & 1, exact = v & TCG_VEC_FMA_EXACT;
                int data = form >> 1, n = 16 >> sew;
                bool single = sew == 2;
                int op = TCG_VEC_FMA | v;
                TranslationBlock *tb = harness_begin();
                TestEnv env;
                double in[3][4], want[4];
                uint8_t before[16];
                bool ok = true, inexact = false;

                tcg_gen_vecop(hg[1], hg[0], op | (sc ? TCG_VEC_SCALAR : 0), sew,
                              1, offsetof(TestEnv, bytes[32]),
                              offsetof(TestEnv, bytes[0]),
                              offsetof(TestEnv, bytes[16]), -1);
                harness_end(tb);
                memset(&env, 0, sizeof(env));
                /* data 0: small integers (exact), 1: an inexact sum, 2: an
                 * inexact product, 3: an infinity in lane 1 */
                for (int i = 0; i < n; i++) {
                    in[0][i] = (double)(3 * i + 2 + form);
                    in[1][i] = sc ? 7.0 : (double)(5 - 2 * i);
                    in[2][i] = (double)(11 * i - 9);
                    if (data == 1) {
                        in[2][i] =
                            single ? 0x1p-30 * (i + 1) : 0x1p-60 * (i + 1);
                    } else if (data == 2) {
                        in[0][i] = 1.0 / 3.0 + i;
                    } else if (data == 3 && i == 1) {
                        in[2][i] = INFINITY;
                    }
                }
                for (int k = 0; k < 3; k++) {
                    for (int i = 0; i < n; i++) {
                        uint8_t *p = env.bytes + 16 * (k == 2 ? 2 : k);
                        float f = (float)in[k][i];

                        if (single) {
                            memcpy(p + 4 * i, &f, 4);
                            in[k][i] = f;
                        } else {
                            memcpy(p + 8 * i, &in[k][i], 8);
                        }
                    }
                }
                if (sc) {
                    float f = (float)in[1][0];

                    env.g[0] = 0;
                    memcpy(&env.g[0], single ? (void *)&f : (void *)&in[1][0],
                           single ? 4 : 8);
                }
                for (int i = 0; i < n; i++) {
                    /* bytes: a = 0, b = 16, d = 32 */
                    bool madd = v & TCG_VEC_FMA_MADD;
                    double A = madd ? in[2][i] : in[0][i];
                    double C = madd ? in[0][i] : in[2][i];

                    want[i] = vec_fma_ref(op, A, in[1][i], C, single);
                    ok &= isfinite(want[i]) && want[i] != 0;
                    if (exact) {
                        double p = A * in[1][i];

                        ok &= !single || (double)(float)p == p;
                        ok &= single || data != 2 || madd;
                        if (single) {
                            inexact |= vec_fma_ref(op, A, in[1][i], C, false) !=
                                       want[i];
                        } else { /* TwoSum of the exact p and C */
                            double y = op & TCG_VEC_FMA_NEGC ? -C : C;
                            double x = op & TCG_VEC_FMA_NEGP ? -p : p;
                            double t = x + y, bv = t - x;

                            inexact |= (x - (t - bv)) + (y - bv) != 0;
                        }
                    }
                }
                memcpy(before, env.bytes + 32, 16);
                CTX("vecop fma %#x sew %d form %d", v, sew, form);
                harness_run(&env, tb);
                if (!ok) {
                    CHECK((env.g[1] & 0xf) != (single ? 0xfu : 0x3u), 1);
                    assert_memory_equal(env.bytes + 32, before, 16);
                    continue;
                }
                CHECK(env.g[1] & 0xf, single ? 0xfu : 0x3u);
                CHECK(!!(env.g[1] & 0x10), exact && inexact);
                for (int i = 0; i < n; i++) {
                    CHECK(fp_lane(&env, 32, i, single) == want[i], 1);
                }
            }
        }
    }
}

/*
 * FADD (single) with an NX byte (vecop's v0 argument, as the frontend
 * passes fflags): with bit 0 clear the full form runs and, when it
 * stored and a lane was inexact, sets bit 0 itself (other bits kept);
 * ok is the range test alone (0xf: stored).  With bit 0 set: the
 * NX_ACCRUED form, the byte unchanged.  Cases: 0 inexact, 1 exact, 2 an
 * overflow (nothing stored, byte unchanged), 3 inexact with NX accrued.
 */
static void test_backend_vecop_fp_nxbyte(void **state)
{
    (void)state;
    for (int c = 0; c < 4; c++) {
        TranslationBlock *tb = harness_begin();
        TestEnv env;
        uint8_t before[16];
        float want[4];

        tcg_gen_vecop(hg[1], hg[0], TCG_VEC_FADD, 2, 1,
                      offsetof(TestEnv, bytes[32]), offsetof(TestEnv, bytes[0]),
                      offsetof(TestEnv, bytes[16]),
                      offsetof(TestEnv, scratch[0]));
        harness_end(tb);
        memset(&env, 0, sizeof(env));
        env.scratch[0] = c == 3 ? 0x41 : 0x40;
        for (int i = 0; i < 4; i++) {
            float a = c == 1 ? 1.0f + i : 1.0f / 3.0f + i;
            float b = c == 1 ? 2.0f : 0.1f * (i + 2);

            if (c == 2 && i == 3) {
                a = b = 3e38f;
            }
            memcpy(env.bytes + 4 * i, &a, 4);
            memcpy(env.bytes + 16 + 4 * i, &b, 4);
            want[i] = a + b;
        }
        memcpy(before, env.bytes + 32, 16);
        CTX("vecop fp nx byte case %d", c);
        harness_run(&env, tb);
        if (c == 2) {
            CHECK((env.g[1] & 0xf) != 0xf, 1);
            CHECK(env.scratch[0], 0x40);
            assert_memory_equal(env.bytes + 32, before, 16);
            continue;
        }
        CHECK(env.g[1], 0xf);
        CHECK(env.scratch[0], c == 1 ? 0x40 : 0x41);
        for (int i = 0; i < 4; i++) {
            CHECK(fp_lane(&env, 32, i, true) == want[i], 1);
        }
    }
}

/*
 * FADD/FSUB/FMUL with TCG_VEC_FP_NX_ACCRUED: the IEEE results, ok bit 4
 * clear even for inexact ones; a result outside the normal range (here
 * an overflow, a subnormal product) fails and leaves d alone.
 */
static void test_backend_vecop_fp_nx(void **state)
{
    static const int ops[3] = {TCG_VEC_FADD, TCG_VEC_FSUB, TCG_VEC_FMUL};

    (void)state;
    for (int k = 0; k < 3; k++) {
        for (int sew = 2; sew < 4; sew++) {
            for (int bad = 0; bad < 2; bad++) {
                int op = ops[k], n = 16 >> sew;
                bool single = sew == 2;
                TranslationBlock *tb = harness_begin();
                TestEnv env;
                uint8_t before[16];
                double want[4];

                tcg_gen_vecop(hg[1], hg[0], op | TCG_VEC_FP_NX_ACCRUED, sew, 1,
                              offsetof(TestEnv, bytes[32]),
                              offsetof(TestEnv, bytes[0]),
                              offsetof(TestEnv, bytes[16]), -1);
                harness_end(tb);
                memset(&env, 0, sizeof(env));
                for (int i = 0; i < n; i++) {
                    double a = 1.0 / 3.0 + i, b = 0.1 * (i + 2);

                    if (bad && i == n - 1) { /* overflow, or underflow */
                        a = op == TCG_VEC_FMUL ? (single ? 1e-30 : 1e-200)
                                               : (single ? 3e38 : 1.7e308);
                        b = op == TCG_VEC_FMUL   ? a
                            : op == TCG_VEC_FSUB ? -a
                                                 : a;
                    }
                    if (single) {
                        float fa = (float)a, fb = (float)b;
                        float r = op == TCG_VEC_FADD   ? fa + fb
                                  : op == TCG_VEC_FSUB ? fa - fb
                                                       : fa * fb;

                        memcpy(env.bytes + 4 * i, &fa, 4);
                        memcpy(env.bytes + 16 + 4 * i, &fb, 4);
                        want[i] = r;
                    } else {
                        memcpy(env.bytes + 8 * i, &a, 8);
                        memcpy(env.bytes + 16 + 8 * i, &b, 8);
                        want[i] = op == TCG_VEC_FADD   ? a + b
                                  : op == TCG_VEC_FSUB ? a - b
                                                       : a * b;
                    }
                }
                memcpy(before, env.bytes + 32, 16);
                CTX("vecop fp nx %d sew %d bad %d", op, sew, bad);
                harness_run(&env, tb);
                if (bad) {
                    CHECK((env.g[1] & 0xf) != (single ? 0xfu : 0x3u), 1);
                    assert_memory_equal(env.bytes + 32, before, 16);
                    continue;
                }
                CHECK(env.g[1], single ? 0xfu : 0x3u);
                for (int i = 0; i < n; i++) {
                    CHECK(fp_lane(&env, 32, i, single) == want[i], 1);
                }
            }
        }
    }
}

/* One FP vecop (full form) of @op at @sew on @env, built with @avx. */
static void vecop_fp_run(TestEnv *env, int op, int sew, bool sc, bool avx)
{
    bool have = tcg_have_fma;
    TranslationBlock *tb;

    tcg_have_fma = avx; /* the emitter's choice of encodings */
    tb = harness_begin();
    tcg_gen_vecop(hg[1], hg[0], op | (sc ? TCG_VEC_SCALAR : 0), sew, 1,
                  offsetof(TestEnv, bytes[32]), offsetof(TestEnv, bytes[0]),
                  offsetof(TestEnv, bytes[16]), -1);
    harness_end(tb);
    tcg_have_fma = have;
    harness_run(env, tb);
}

/*
 * FADD/FSUB/FMUL's full form (range tests, TwoSum, the FMA residual) in
 * AVX's three-operand encodings (tcg_have_fma): ok and d as the SSE
 * forms give them (FADD, FSUB), and for every form the IEEE results with
 * ok's NX bits set exactly for the inexact lanes.  Data: 0 small
 * integers (exact), 1 thirds (inexact), 2 one lane out of range (d
 * kept), 3 exact and inexact lanes mixed.
 */
static void test_backend_vecop_fp_avx(void **state)
{
    static const int ops[3] = {TCG_VEC_FADD, TCG_VEC_FSUB, TCG_VEC_FMUL};

    (void)state;
    if (!tcg_have_fma) {
        skip(); /* no AVX and FMA3 on this host */
    }
    for (int k = 0; k < 3; k++) {
        for (int sew = 2; sew < 4; sew++) {
            for (int form = 0; form < 8; form++) {
                int op = ops[k], n = 16 >> sew, data = form >> 1;
                bool single = sew == 2, sc = form & 1;
                TestEnv env, sse;
                double a[4], b[4];
                unsigned nx = 0;

                memset(&env, 0, sizeof(env));
                for (int i = 0; i < n; i++) {
                    a[i] = data == 1 || (data == 3 && (i & 1)) ? 1.0 / 3.0 + i
                                                               : 3.0 * i + 2;
                    b[i] = sc ? 0.75 : 5.0 - 2 * i;
                    if (data == 1) { /* below a's ulp: inexact */
                        b[i] = 1e-9 * (sc ? 1 : i + 1);
                    }
                    if (data == 2 && i == 1) { /* overflow; .vf: inf */
                        a[i] = sc ? INFINITY : single ? 3e38 : 1.7e308;
                        b[i] = op == TCG_VEC_FSUB ? -a[i] : a[i];
                    }
                    if (single) {
                        float fa = (float)a[i], fb = (float)b[i];

                        memcpy(env.bytes + 4 * i, &fa, 4);
                        memcpy(env.bytes + 16 + 4 * i, &fb, 4);
                        a[i] = fa;
                        b[i] = fb;
                    } else {
                        memcpy(env.bytes + 8 * i, &a[i], 8);
                        memcpy(env.bytes + 16 + 8 * i, &b[i], 8);
                    }
                }
                if (sc) {
                    float f = (float)b[0];

                    memcpy(&env.g[0], single ? (void *)&f : (void *)&b[0],
                           single ? 4 : 8);
                }
                memset(env.bytes + 32, 0x5a, 16);
                sse = env;
                CTX("vecop fp avx %d sew %d form %d", op, sew, form);
                vecop_fp_run(&env, op, sew, sc, true);
                if (op != TCG_VEC_FMUL) { /* FMUL's SSE form has no residual */
                    vecop_fp_run(&sse, op, sew, sc, false);
                    CHECK(env.g[1], sse.g[1]);
                    assert_memory_equal(env.bytes + 32, sse.bytes + 32, 16);
                }
                if (data == 2) {
                    CHECK((env.g[1] & 0xf) != (single ? 0xfu : 0x3u), 1);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    /* w: exact (floats in double, doubles' sums in long
                     * double, with these magnitudes); r: the lane's */
                    long double w =
                        op == TCG_VEC_FADD   ? (long double)a[i] + b[i]
                        : op == TCG_VEC_FSUB ? (long double)a[i] - b[i]
                                             : (long double)a[i] * b[i];
                    double r = op == TCG_VEC_FADD   ? a[i] + b[i]
                               : op == TCG_VEC_FSUB ? a[i] - b[i]
                                                    : a[i] * b[i];
                    bool inexact;

                    if (single) {
                        float fa = (float)a[i], fb = (float)b[i];

                        r = op == TCG_VEC_FADD   ? fa + fb
                            : op == TCG_VEC_FSUB ? fa - fb
                                                 : fa * fb;
                        inexact = (long double)r != w;
                    } else if (op == TCG_VEC_FMUL) {
                        inexact = fma(a[i], b[i], -r) != 0;
                    } else {
                        inexact = (long double)r != w;
                    }
                    nx |= inexact ? 1u << i : 0;
                    CHECK(fp_lane(&env, 32, i, single) == r, 1);
                }
                if (data == 1) {
                    CHECK(nx != 0, 1); /* the data tests NX at all */
                }
                CHECK(env.g[1], (single ? 0xfu : 0x3u) | nx << 4);
            }
        }
    }
}

/* ------------------------------------------------------------------ */
/* Direct emission (tcg/tcg-direct.h): the cold tier without IR */

#define DG(i) ((int)offsetof(TestEnv, g[i]))
#define D_PC ((int)offsetof(TestEnv, scratch[0]))
#define D_EXCP ((int)offsetof(TestEnv, scratch[1]))

/* Start a directly emitted TB (a cold one: hot stub, entry checks). */
static TranslationBlock *direct_begin(void)
{
    TranslationBlock *tb;

    tcg_func_start(tcg_ctx);
    tb = tcg_tb_alloc(tcg_ctx);
    if (tb == NULL) {
        tcg_region_reset_all();
        tb = tcg_tb_alloc(tcg_ctx);
    }
    assert_non_null(tb);
    tb->cold = 1;
    tb->hot_count = 1000000;
    tcg_direct_begin(tcg_ctx, tb);
    return tb;
}

/* End it with tcg_direct_exit(pc 0x99, excp 7) and commit. */
static void direct_end(TranslationBlock *tb)
{
    int n;

    tcg_direct_exit(tcg_ctx, D_PC, 0x99, D_EXCP, 7);
    n = tcg_direct_end(tcg_ctx, tb);
    if (n <= 0) {
        fail_msg("tcg_direct_end returned %d", n);
    }
    assert_int_equal(tb->tc.size, (uint32_t)n);
    tcg_tb_commit(tcg_ctx, tb);
}

/* The guest semantics each TCGDirectOp must have. */
static uint64_t direct_ref(TCGDirectOp op, bool w, uint64_t a, uint64_t b)
{
    uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b, r32 = 0;

    if (!w) {
        switch (op) {
        case TCG_DOP_ADD:
            return a + b;
        case TCG_DOP_SUB:
            return a - b;
        case TCG_DOP_AND:
            return a & b;
        case TCG_DOP_OR:
            return a | b;
        case TCG_DOP_XOR:
            return a ^ b;
        case TCG_DOP_SHL:
            return a << (b & 63);
        case TCG_DOP_SHR:
            return a >> (b & 63);
        case TCG_DOP_SAR:
            return (uint64_t)((int64_t)a >> (b & 63));
        case TCG_DOP_SLT:
            return (int64_t)a < (int64_t)b;
        case TCG_DOP_SLTU:
            return a < b;
        case TCG_DOP_MUL:
            return a * b;
        }
    }
    switch (op) {
    case TCG_DOP_ADD:
        r32 = a32 + b32;
        break;
    case TCG_DOP_SUB:
        r32 = a32 - b32;
        break;
    case TCG_DOP_SHL:
        r32 = a32 << (b32 & 31);
        break;
    case TCG_DOP_SHR:
        r32 = a32 >> (b32 & 31);
        break;
    case TCG_DOP_SAR:
        r32 = (uint32_t)((int32_t)a32 >> (b32 & 31));
        break;
    case TCG_DOP_MUL:
        r32 = a32 * b32;
        break;
    default:
        fail_msg("no 32-bit form of op %d", op);
    }
    return (uint64_t)(int64_t)(int32_t)r32;
}

static const uint64_t direct_vals[] = {
    0,
    1,
    2,
    31,
    32,
    63,
    64,
    0x7fffffff,
    0x80000000,
    0xffffffff,
    0x100000000ull,
    0x123456789abcdef0ull,
    0x8000000000000000ull,
    0x7fffffffffffffffull,
    -1ull,
    -2ull,
    -0x800ull,
};

/*
 * mov rax, [rbp + a]; op rax, [rbp + b]; mov [rbp + d], rax
 * lea rbx, [rbp + 128]; mov rax, [rbx + a - 128]; ... (a >= 128)
 * mov [rbp + d2], rax   (a read of the value just stored: no load)
 * mov eax, [rbp + a]; op eax, [rbp + b]; movsxd rax, eax; mov [rbp + d], rax
 * mov rax, [rbp + a]; mov ecx, [rbp + b]; shl/shr/sar rax/eax, cl; ...
 * mov rax, [rbp + a]; cmp rax, [rbp + b]; setl/setb al; movzx eax, al; ...
 * mov rax, [rbp + a]; imul rax/eax, [rbp + b]; ...
 * and with d == a (rd = rs1) in a second instruction of the TB.
 */
static void test_backend_direct_alu(void **state)
{
    (void)state;
    for (int op = TCG_DOP_ADD; op <= TCG_DOP_MUL; op++) {
        for (int w = 0; w < 2; w++) {
            TranslationBlock *tb;
            TestEnv env;

            if (w &&
                (op == TCG_DOP_AND || op == TCG_DOP_OR || op == TCG_DOP_XOR ||
                 op == TCG_DOP_SLT || op == TCG_DOP_SLTU)) {
                continue;
            }
            tb = direct_begin();
            tcg_direct_insn_start(tcg_ctx, 0x1000);
            tcg_direct_alu(tcg_ctx, op, w, DG(2), DG(0), DG(1));
            tcg_direct_insn_start(tcg_ctx, 0x1004);
            tcg_direct_alu(tcg_ctx, op, w, DG(3), DG(3), DG(1));
            /* operands past env + 127: [rbx + ofs - 128] */
            tcg_direct_insn_start(tcg_ctx, 0x1008);
            tcg_direct_alu(tcg_ctx, op, w, DG(15), DG(14), DG(13));
            /* g4 = g15 + 0: rax holds g15 already, no load */
            tcg_direct_insn_start(tcg_ctx, 0x100c);
            tcg_direct_alui(tcg_ctx, TCG_DOP_ADD, false, DG(4), DG(15), 0);
            direct_end(tb);
            for (size_t i = 0; i < ARRAY_SIZE(direct_vals); i++) {
                for (size_t j = 0; j < ARRAY_SIZE(direct_vals); j++) {
                    uint64_t a = direct_vals[i], b = direct_vals[j];

                    CTX("alu op %d w %d a %#" PRIx64 " b %#" PRIx64, op, w, a,
                        b);
                    memset(&env, 0, sizeof(env));
                    env.g[0] = env.g[3] = env.g[14] = a;
                    env.g[1] = env.g[13] = b;
                    CHECK(harness_run(&env, tb), 0);
                    CHECK(env.g[2], direct_ref(op, w, a, b));
                    CHECK(env.g[3], direct_ref(op, w, a, b));
                    CHECK(env.g[15], direct_ref(op, w, a, b));
                    CHECK(env.g[4], direct_ref(op, w, a, b));
                    CHECK(env.g[0], a);
                    CHECK(env.g[1], b);
                    CHECK(env.scratch[0], 0x99);
                    CHECK(env.scratch[1], 7);
                }
            }
        }
    }
}

/*
 * mov rax, [rbp + a]; op rax, simm8/simm32; mov [rbp + d], rax
 * mov eax, [rbp + a]; add eax, simm; movsxd rax, eax; mov [rbp + d], rax
 * mov rax, [rbp + a]; shl/shr/sar rax/eax, imm8; ...  (nothing for 0)
 * mov rax, [rbp + a]; cmp rax, simm | test rax, rax; setl/setb al; ...
 * mov rax, [rbp + a]; imul rax, rax, simm32; ...
 */
static void test_backend_direct_alui(void **state)
{
    static const int64_t imms[] = {
        0,     1,    -1,     5,   31,   32,         63,
        -2048, 2047, -0x800, 127, -128, 0x7fffffff, -0x80000000ll};

    (void)state;
    for (int op = TCG_DOP_ADD; op <= TCG_DOP_MUL; op++) {
        for (int w = 0; w < 2; w++) {
            bool shift =
                op == TCG_DOP_SHL || op == TCG_DOP_SHR || op == TCG_DOP_SAR;

            if (w && op != TCG_DOP_ADD && !shift) {
                continue;
            }
            for (size_t k = 0; k < ARRAY_SIZE(imms); k++) {
                int64_t imm = imms[k];
                TranslationBlock *tb;
                TestEnv env;

                if (shift && (imm < 0 || imm > (w ? 31 : 63))) {
                    continue;
                }
                tb = direct_begin();
                tcg_direct_insn_start(tcg_ctx, 0x1000);
                tcg_direct_alui(tcg_ctx, op, w, DG(2), DG(0), imm);
                direct_end(tb);
                for (size_t i = 0; i < ARRAY_SIZE(direct_vals); i++) {
                    uint64_t a = direct_vals[i];

                    CTX("alui op %d w %d imm %" PRId64 " a %#" PRIx64, op, w,
                        imm, a);
                    memset(&env, 0, sizeof(env));
                    env.g[0] = a;
                    CHECK(harness_run(&env, tb), 0);
                    CHECK(env.g[2], direct_ref(op, w, a, (uint64_t)imm));
                }
            }
        }
    }
}

/*
 * mov qword [rbp + d], simm32 | movabs r11, imm64; mov [rbp + d], r11,
 * and nothing for TCG_DIRECT_DISCARD.
 */
static void test_backend_direct_movi(void **state)
{
    TranslationBlock *tb;
    TestEnv env;

    (void)state;
    tb = direct_begin();
    tcg_direct_insn_start(tcg_ctx, 0x1000);
    for (size_t i = 0; i < 8; i++) {
        tcg_direct_movi(tcg_ctx, DG(i), direct_vals[i + 8]);
    }
    tcg_direct_movi(tcg_ctx, TCG_DIRECT_DISCARD, 5);
    tcg_direct_movi(tcg_ctx, DG(13), 0x1234567890ull); /* [rbx + ...] */
    tcg_direct_movi(tcg_ctx, DG(14), -5ull);
    direct_end(tb);
    memset(&env, 0, sizeof(env));
    env.g[8] = 0x5555;
    CTX("movi");
    CHECK(harness_run(&env, tb), 0);
    for (size_t i = 0; i < 8; i++) {
        CHECK(env.g[i], direct_vals[i + 8]);
    }
    CHECK(env.g[8], 0x5555);
    CHECK(env.g[13], 0x1234567890ull);
    CHECK(env.g[14], -5ull);
}

/*
 * mb: `lock or dword [rsp], 0` for a store->load barrier only (x86-TSO),
 * and rax, which holds the last result, survives it.
 */
static void test_backend_direct_mb(void **state)
{
    static const uint8_t lock_or[] = {0xf0, 0x83, 0x0c, 0x24, 0x00};
    TranslationBlock *tb;
    TestEnv env;
    int found = 0;

    (void)state;
    tb = direct_begin();
    tcg_direct_insn_start(tcg_ctx, 0x1000);
    tcg_direct_alu(tcg_ctx, TCG_DOP_ADD, false, DG(2), DG(0), DG(1));
    tcg_direct_insn_start(tcg_ctx, 0x1004);
    tcg_direct_mb(tcg_ctx, TCG_MO_ALL | TCG_BAR_SC);
    tcg_direct_insn_start(tcg_ctx, 0x1008);
    tcg_direct_mb(tcg_ctx, TCG_MO_LD_LD | TCG_BAR_SC); /* nothing on x86 */
    tcg_direct_insn_start(tcg_ctx, 0x100c);
    tcg_direct_alui(tcg_ctx, TCG_DOP_ADD, false, DG(3), DG(2), 1);
    direct_end(tb);
    for (uint32_t i = 0; i + sizeof(lock_or) <= tb->tc.size; i++) {
        found +=
            !memcmp((const uint8_t *)tb->tc.ptr + i, lock_or, sizeof(lock_or));
    }
    CTX("mb");
    CHECK(found, 1);
    memset(&env, 0, sizeof(env));
    env.g[0] = 40;
    env.g[1] = 2;
    CHECK(harness_run(&env, tb), 0);
    CHECK(env.g[2], 42);
    CHECK(env.g[3], 43);
}

/*
 * mov rax, [rbp + a]; add rax, imm; test rax, [rbp + mask]; jnz slow;
 * movzx/movsx/mov rax, [r14 + rax]; mov [rbp + d], rax
 * mov rax, [rbp + a]; add rax, imm; mov rcx, [rbp + v];
 * test rax, [rbp + mask]; jnz slow; mov [r14 + rax], cl/cx/ecx/rcx
 * A fault's return address is in the access's instruction.
 */
static void test_backend_direct_ldst(void **state)
{
    static const MemOp mops[] = {MO_UB, MO_SB, MO_UW, MO_SW,
                                 MO_UL, MO_SL, MO_UQ};
    TCGGuestFaultFn old = tcg_guest_fault_fn;
    TestEnv env;
    uintptr_t ret = 0;

    (void)state;
    tcg_guest_fault_fn = record_fault;
    for (size_t k = 0; k < ARRAY_SIZE(mops); k++) {
        MemOp mop = mops[k];
        unsigned bytes = 1u << (mop & MO_SIZE);
        TranslationBlock *tb = direct_begin();
        uint64_t want;

        tcg_direct_insn_start(tcg_ctx, 0x2000);
        tcg_direct_ld(tcg_ctx, mop, DG(2), DG(0), 8);
        tcg_direct_insn_start(tcg_ctx, 0x2004);
        tcg_direct_st(tcg_ctx, mop & ~MO_SIGN, DG(1), DG(0), -8);
        tcg_direct_insn_start(tcg_ctx, 0x2008);
        tcg_direct_movi(tcg_ctx, DG(3), 1);
        direct_end(tb);

        CTX("ldst mop %d in range", mop);
        memset(gmem, 0x80, sizeof(gmem));
        memset(&env, 0, sizeof(env));
        env.hdr.guest_addr_mask = MASK47;
        env.g[0] = (uint64_t)(uintptr_t)gmem + 16;
        env.g[1] = 0x0123456789abcdefull;
        if (run_catch(&env, tb, &ret)) {
            fail_msg("%s: unexpected fault at %#" PRIx64, ctx_msg, fault.addr);
        }
        want = bytes == 8 ? 0x8080808080808080ull
                          : 0x8080808080808080ull & ((1ull << 8 * bytes) - 1);
        if ((mop & MO_SIGN) && bytes < 8) {
            want |= ~((1ull << 8 * bytes) - 1);
        }
        CHECK(env.g[2], want);
        CHECK(memcmp(gmem + 8, &env.g[1], bytes), 0);
        CHECK(gmem[8 + bytes], 0x80);
        CHECK(env.g[3], 1);

        CTX("ld mop %d out of range", mop);
        memset(&env, 0, sizeof(env));
        env.hdr.guest_addr_mask = MASK40;
        env.g[0] = (1ull << 41) - 8;
        env.g[2] = 0x2222;
        if (!run_catch(&env, tb, &ret)) {
            fail_msg("%s: no fault", ctx_msg);
        }
        CHECK(fault.addr, 1ull << 41);
        CHECK(fault.info, mop);
        CHECK(tcg_restore_search(tb, fault.ra), 0x2000);
        CHECK(env.g[2], 0x2222);

        tb = direct_begin();
        tcg_direct_insn_start(tcg_ctx, 0x3000);
        tcg_direct_movi(tcg_ctx, DG(3), 1);
        tcg_direct_alui(tcg_ctx, TCG_DOP_ADD, false, DG(5), DG(1), 0);
        /* the value from rax: mov rcx, [rbp + a]; add rcx, 16;
         * test rcx, [rbp + mask]; jnz slow; mov [r14 + rcx], al/../rax */
        tcg_direct_insn_start(tcg_ctx, 0x3002);
        tcg_direct_st(tcg_ctx, mop & ~MO_SIGN, DG(5), DG(0), 16);
        tcg_direct_insn_start(tcg_ctx, 0x3006);
        tcg_direct_movi(tcg_ctx, DG(3), 2);
        direct_end(tb);
        CTX("st mop %d out of range", mop);
        memset(&env, 0, sizeof(env));
        env.hdr.guest_addr_mask = MASK40;
        env.g[0] = (1ull << 45) - 16;
        if (!run_catch(&env, tb, &ret)) {
            fail_msg("%s: no fault", ctx_msg);
        }
        CHECK(fault.addr, 1ull << 45);
        CHECK(fault.info, (mop & ~MO_SIGN) | TCG_LDST_STORE);
        CHECK(tcg_restore_search(tb, fault.ra), 0x3002);
        CHECK(env.g[3], 1);
        CTX("st mop %d from rax in range", mop);
        memset(gmem, 0x80, sizeof(gmem));
        env.hdr.guest_addr_mask = MASK47;
        env.g[0] = (uint64_t)(uintptr_t)gmem;
        env.g[1] = 0x0123456789abcdefull;
        if (run_catch(&env, tb, &ret)) {
            fail_msg("%s: unexpected fault at %#" PRIx64, ctx_msg, fault.addr);
        }
        CHECK(memcmp(gmem + 16, &env.g[1], bytes), 0);
        CHECK(gmem[16 + bytes], 0x80);
        CHECK(env.g[3], 2);
    }
    tcg_guest_fault_fn = old;
}

/*
 * mov rax, [rbp + a]; cmp rax, [rbp + b]; jcc taken;
 * goto_tb 0; mov qword [rbp + pc], simm32; mov rax, tb | 0; jmp tb_ret
 * taken: goto_tb 1; mov qword [rbp + pc], ...; mov rax, tb | 1; jmp tb_ret
 */
static void test_backend_direct_branch(void **state)
{
    static const TCGCond conds[] = {TCG_COND_EQ, TCG_COND_NE,  TCG_COND_LT,
                                    TCG_COND_GE, TCG_COND_LTU, TCG_COND_GEU};
    static const uint64_t v[] = {
        0, 1, -1ull, 0x80000000, 0x100000000ull, 0x8000000000000000ull};

    (void)state;
    for (size_t k = 0; k < ARRAY_SIZE(conds); k++) {
        TranslationBlock *tb = direct_begin();
        uint8_t *taken;
        int n;

        tcg_direct_insn_start(tcg_ctx, 0x4000);
        taken = tcg_direct_brcond(tcg_ctx, conds[k], DG(0), DG(1));
        tcg_direct_goto_tb(tcg_ctx, 0, D_PC, 0x4004);
        tcg_direct_target(tcg_ctx, taken);
        tcg_direct_goto_tb(tcg_ctx, 1, D_PC, 0x123456789ull);
        n = tcg_direct_end(tcg_ctx, tb);
        assert_true(n > 0);
        tcg_tb_commit(tcg_ctx, tb);
        CTX("branch cond %d slots", conds[k]);
        for (int s = 0; s < 2; s++) {
            CHECK(((uintptr_t)tb->tc.ptr + tb->jmp_insn_offset[s]) % 4, 0);
            CHECK(tb->jmp_reset_offset[s] < tb->tc.size, 1);
        }
        for (size_t i = 0; i < ARRAY_SIZE(v); i++) {
            for (size_t j = 0; j < ARRAY_SIZE(v); j++) {
                TestEnv env;
                bool t;

                switch (conds[k]) {
                case TCG_COND_EQ:
                    t = v[i] == v[j];
                    break;
                case TCG_COND_NE:
                    t = v[i] != v[j];
                    break;
                case TCG_COND_LT:
                    t = (int64_t)v[i] < (int64_t)v[j];
                    break;
                case TCG_COND_GE:
                    t = (int64_t)v[i] >= (int64_t)v[j];
                    break;
                case TCG_COND_LTU:
                    t = v[i] < v[j];
                    break;
                default:
                    t = v[i] >= v[j];
                    break;
                }
                CTX("branch cond %d a %#" PRIx64 " b %#" PRIx64, conds[k], v[i],
                    v[j]);
                memset(&env, 0, sizeof(env));
                env.g[0] = v[i];
                env.g[1] = v[j];
                CHECK(harness_run(&env, tb), (uintptr_t)tb | t);
                CHECK(env.scratch[0], t ? 0x123456789ull : 0x4004);
            }
        }
    }
}

/*
 * Entry: cmp dword [rbp + exit_request], 0; jne exitreq;
 * sub dword [rip + hot_count], 1; je hot_stub (before tc.ptr)
 */
static void test_backend_direct_entry(void **state)
{
    TranslationBlock *tb = direct_begin();
    TestEnv env;

    (void)state;
    tcg_direct_insn_start(tcg_ctx, 0x5000);
    tcg_direct_alui(tcg_ctx, TCG_DOP_ADD, false, DG(0), DG(0), 1);
    direct_end(tb);
    tb->hot_count = 2;
    memset(&env, 0, sizeof(env));
    CTX("direct entry checks");
    env.hdr.exit_request = 1;
    CHECK(harness_run(&env, tb), (uintptr_t)tb | TB_EXIT_REQUESTED);
    CHECK(env.g[0], 0);
    env.hdr.exit_request = 0;
    CHECK(harness_run(&env, tb), 0);
    CHECK(env.g[0], 1);
    CHECK(harness_run(&env, tb), (uintptr_t)tb | TB_EXIT_HOT);
    CHECK(env.g[0], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_backend_goto_tb_offsets, flush_setup),
        cmocka_unit_test_setup(test_backend_goto_tb_two_slots, flush_setup),
        cmocka_unit_test_setup(test_backend_goto_tb_retarget_concurrent,
                               flush_setup),
        cmocka_unit_test_setup(test_backend_exit_request, flush_setup),
        cmocka_unit_test_setup(test_backend_back_edge, flush_setup),
        cmocka_unit_test_setup(test_backend_count_check, flush_setup),
        cmocka_unit_test_setup(test_backend_goto_ptr, flush_setup),
        cmocka_unit_test_setup(test_backend_guest_addr_bounds, flush_setup),
        cmocka_unit_test_setup(test_backend_guest_disp, flush_setup),
        cmocka_unit_test_setup(test_backend_guest_addr_mask_reg, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_guest_range, flush_setup),
        cmocka_unit_test_setup(test_backend_guest_addr_bounds_edge,
                               flush_setup),
        cmocka_unit_test_setup(test_backend_misaligned_atomic_faults,
                               flush_setup),
        cmocka_unit_test_setup(test_backend_atomics_are_atomic, flush_setup),
        cmocka_unit_test_setup(test_backend_call_stack_aligned, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_int, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_cmp, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_fma, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_fp_nx, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_fp_avx, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_fp_nxbyte, flush_setup),
        cmocka_unit_test_setup(test_backend_vecop_tail, flush_setup),
        cmocka_unit_test_setup(test_backend_direct_alu, flush_setup),
        cmocka_unit_test_setup(test_backend_direct_alui, flush_setup),
        cmocka_unit_test_setup(test_backend_direct_movi, flush_setup),
        cmocka_unit_test_setup(test_backend_direct_mb, flush_setup),
        cmocka_unit_test_setup(test_backend_direct_ldst, flush_setup),
        cmocka_unit_test_setup(test_backend_direct_branch, flush_setup),
        cmocka_unit_test_setup(test_backend_direct_entry, flush_setup),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
