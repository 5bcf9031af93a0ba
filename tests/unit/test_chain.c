/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of direct chaining (tb_add_jump, accel/tcg/tb-maint.c) and
 * unlinking (tb_phys_invalidate, accel/tcg/tb-inval.c) while other threads
 * run through the chain.  TBs are real generated code built with the TCG
 * harness:
 *   A: g0 += 1; goto_tb 0; exit_tb(A, 0)   (a self-loop when linked to A)
 *   B: g1 += 1; g2 = MAGIC; exit_tb(B, 0)
 * Every thread is a vCPU (cpu_exec_init_thread: RCU, jump cache,
 * current_cpu; tb_thread_own_context: a TCG context).  TBs are published
 * in the TB hash, as tb_gen_code does, since tb_phys_invalidate removes
 * them from it.
 */
#include "tests/unit/tcg-harness.h"

#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <urcu.h>

#include "accel/tcg/cpu-exec.h"

#define MAGIC 0x5eed
#define NRUNNERS 4

static uint64_t next_pc = 0x100000; /* [main or mutator] TB keys */

static CPUState *thread_init(void)
{
    CPURISCVState *e = calloc(1, sizeof(*e));

    CPUState *cpu;

    assert_non_null(e);
    cpu = cpu_exec_init_thread(e);
    /* The harness builds TBs with tcg_ctx: a context of its own. */
    assert_true(tb_thread_own_context(cpu));
    return cpu;
}

static void thread_fini(CPUState *cpu)
{
    CPURISCVState *e = cpu->env;

    cpu_exec_exit_thread(cpu);
    free(e);
}

/* harness_init() without its context: cpu_exec_init_thread makes one. */
static int group_setup(void **state)
{
    static char names[HARNESS_NG + HARNESS_NW][8];

    (void)state;
    if (tcg_init(0, 0, 0) != 0) {
        return -1;
    }
    for (int i = 0; i < HARNESS_NG; i++) {
        snprintf(names[i], sizeof(names[i]), "g%d", i);
        hg[i] = tcg_global_mem_new_i64(offsetof(TestEnv, g[i]), names[i]);
    }
    for (int i = 0; i < HARNESS_NW; i++) {
        snprintf(names[HARNESS_NG + i], sizeof(names[0]), "w%d", i);
        hw[i] = tcg_global_mem_new_i32(offsetof(TestEnv, w[i]),
                                       names[HARNESS_NG + i]);
    }
    tb_hash_init();
    thread_init();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tb_hash_reset();
    thread_fini(current_cpu);
    return 0;
}

/* A flush, as do_tb_flush: only the main thread is alive here. */
static int flush_setup(void **state)
{
    (void)state;
    tb_hash_reset();
    tcg_region_reset_all();
    return 0;
}

/* Publish a freshly compiled TB as tb_gen_code does. */
static void tb_publish(TranslationBlock *tb, uint32_t cflags)
{
    tb->pc = __atomic_fetch_add(&next_pc, 4, __ATOMIC_RELAXED);
    tb->flags = 0;
    tb->cflags = cflags;
    pthread_mutex_init(&tb->jmp_lock, NULL);
    if (tb_hash_insert(tb) != tb) {
        fail_msg("TB key %#lx published twice", (unsigned long)tb->pc);
    }
}

static TranslationBlock *build_a(uint32_t cflags)
{
    TranslationBlock *tb = harness_begin();

    tcg_gen_addi_i64(hg[0], hg[0], 1);
    tcg_gen_goto_tb(0);
    tcg_gen_exit_tb(tb, 0);
    harness_finish(tb);
    tb_publish(tb, cflags);
    return tb;
}

static TranslationBlock *build_b(void)
{
    TranslationBlock *tb = harness_begin();

    tcg_gen_addi_i64(hg[1], hg[1], 1);
    tcg_gen_movi_i64(hg[2], MAGIC);
    tcg_gen_exit_tb(tb, 0);
    harness_finish(tb);
    tb_publish(tb, 0);
    return tb;
}

static bool is_invalid(const TranslationBlock *tb)
{
    return __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE) & CF_INVALID;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------ */
/* One thread: the bookkeeping of a link and an unlink */

static void test_chain_link_unlink(void **state)
{
    TranslationBlock *a = build_a(0), *b = build_b(), *c = build_b(), *b2;
    TestEnv env;

    (void)state;
    memset(&env, 0, sizeof(env));
    assert_int_equal(a->jmp_dest[0], 0);
    assert_int_equal(harness_run(&env, a), (uintptr_t)a);
    assert_int_equal(env.g[0], 1);
    assert_int_equal(env.g[1], 0);

    tb_add_jump(a, 0, b);
    assert_int_equal(a->jmp_dest[0], (uintptr_t)b);
    assert_int_equal(b->jmp_list_head, (uintptr_t)a | 0);
    assert_int_equal(a->jmp_list_next[0], 0);
    assert_int_equal(harness_run(&env, a), (uintptr_t)b);
    assert_int_equal(env.g[0], 2);
    assert_int_equal(env.g[1], 1);
    assert_int_equal(env.g[2], MAGIC);

    /* The slot is taken: a second link does nothing. */
    tb_add_jump(a, 0, c);
    assert_int_equal(a->jmp_dest[0], (uintptr_t)b);
    assert_int_equal(c->jmp_list_head, 0);
    assert_int_equal(harness_run(&env, a), (uintptr_t)b);

    /* Invalidating B resets A's jump: runs leave through A's exit. */
    tb_phys_invalidate(b);
    assert_true(is_invalid(b));
    assert_int_equal(a->jmp_dest[0], 0);
    assert_int_equal(b->jmp_list_head, 0);
    assert_null(tb_hash_lookup(b->pc, b->flags, b->cflags & ~CF_INVALID));
    assert_int_equal(harness_run(&env, a), (uintptr_t)a);
    assert_int_equal(env.g[0], 4);
    assert_int_equal(env.g[1], 2);
    /* A second invalidation is harmless. */
    tb_phys_invalidate(b);
    assert_int_equal(b->jmp_list_head, 0);

    /* Re-link to a fresh B. */
    b2 = build_b();
    tb_add_jump(a, 0, b2);
    assert_int_equal(a->jmp_dest[0], (uintptr_t)b2);
    assert_int_equal(b2->jmp_list_head, (uintptr_t)a);
    assert_int_equal(harness_run(&env, a), (uintptr_t)b2);
    assert_int_equal(env.g[1], 3);
    /* Slot 1 was never emitted: nothing to link. */
    tb_add_jump(a, 1, c);
    assert_int_equal(a->jmp_dest[1], 0);
    assert_int_equal(c->jmp_list_head, 0);
}

/* tb_add_jump to a CF_INVALID TB (or from a CF_NOCHAIN one) must not link. */
static void test_chain_no_link_to_invalid(void **state)
{
    TranslationBlock *a = build_a(0), *b = build_b();
    TranslationBlock *nochain = build_a(CF_NOCHAIN), *b2 = build_b();
    TestEnv env;

    (void)state;
    memset(&env, 0, sizeof(env));
    tb_phys_invalidate(b);
    tb_add_jump(a, 0, b);
    assert_int_equal(a->jmp_dest[0], 0);
    assert_int_equal(b->jmp_list_head, 0);
    assert_int_equal(harness_run(&env, a), (uintptr_t)a);
    assert_int_equal(env.g[1], 0);

    tb_add_jump(nochain, 0, b2);
    assert_int_equal(nochain->jmp_dest[0], 0);
    assert_int_equal(b2->jmp_list_head, 0);
    assert_int_equal(harness_run(&env, nochain), (uintptr_t)nochain);
    assert_int_equal(env.g[1], 0);
}

/* Several jumps into one TB: all of them are reset. */
static void test_chain_many_sources_unlinked(void **state)
{
    TranslationBlock *src[5], *b = build_b();
    uintptr_t e;
    int n = 0;
    TestEnv env;

    (void)state;
    memset(&env, 0, sizeof(env));
    for (int i = 0; i < 5; i++) {
        src[i] = build_a(0);
        tb_add_jump(src[i], 0, b);
        assert_int_equal(src[i]->jmp_dest[0], (uintptr_t)b);
        assert_int_equal(harness_run(&env, src[i]), (uintptr_t)b);
    }
    for (e = b->jmp_list_head; e;
         e = ((TranslationBlock *)(e & ~1ul))->jmp_list_next[e & 1]) {
        assert_true(++n <= 5);
    }
    assert_int_equal(n, 5);
    tb_phys_invalidate(b);
    assert_int_equal(b->jmp_list_head, 0);
    for (int i = 0; i < 5; i++) {
        assert_int_equal(src[i]->jmp_dest[0], 0);
        assert_int_equal(harness_run(&env, src[i]), (uintptr_t)src[i]);
    }
    assert_int_equal(env.g[1], 5);
}

/* ------------------------------------------------------------------ */
/* Racing tb_add_jump calls (and an invalidation) on one slot */

#define RACE_ROUNDS 300

typedef struct RaceShared {
    pthread_barrier_t bar;
    TranslationBlock *a;
    TranslationBlock *b; /* this round's destination (set by main) */
    int round;
} RaceShared;

static RaceShared race;

static void *race_linker(void *opaque)
{
    CPUState *cpu = thread_init();
    long id = (long)opaque;

    for (int r = 0; r < RACE_ROUNDS; r++) {
        pthread_barrier_wait(&race.bar); /* main set race.b */
        if (id == 0 && (r & 1)) {
            tb_phys_invalidate(race.b); /* odd rounds: one invalidates */
        } else {
            tb_add_jump(race.a, 0, race.b);
        }
        pthread_barrier_wait(&race.bar); /* main checks */
    }
    thread_fini(cpu);
    return NULL;
}

static void test_chain_add_jump_race(void **state)
{
    pthread_t th[NRUNNERS];
    TestEnv env;

    (void)state;
    memset(&env, 0, sizeof(env));
    race.a = build_a(0);
    pthread_barrier_init(&race.bar, NULL, NRUNNERS + 1);
    for (long i = 0; i < NRUNNERS; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, race_linker, (void *)i),
                         0);
    }
    for (int r = 0; r < RACE_ROUNDS; r++) {
        TranslationBlock *b = build_b(), *a = race.a;

        race.b = b;
        pthread_barrier_wait(&race.bar);
        pthread_barrier_wait(&race.bar);
        if (r & 1) {
            /* Linked then unlinked, or refused: never left linked. */
            assert_true(is_invalid(b));
            assert_int_equal(a->jmp_dest[0], 0);
            assert_int_equal(b->jmp_list_head, 0);
            assert_int_equal(harness_run(&env, a), (uintptr_t)a);
        } else {
            /* Exactly one link, listed once. */
            assert_int_equal(a->jmp_dest[0], (uintptr_t)b);
            assert_int_equal(b->jmp_list_head, (uintptr_t)a);
            assert_int_equal(a->jmp_list_next[0], 0);
            assert_int_equal(harness_run(&env, a), (uintptr_t)b);
            tb_phys_invalidate(b);
            assert_int_equal(a->jmp_dest[0], 0);
        }
    }
    for (int i = 0; i < NRUNNERS; i++) {
        pthread_join(th[i], NULL);
    }
    pthread_barrier_destroy(&race.bar);
}

/* ------------------------------------------------------------------ */
/* Runners go through A -> B while B is invalidated and re-created */

#define MUTATIONS 400

typedef struct Runner {
    pthread_t th;
    TestEnv env;
    uint64_t runs, via_b, via_exit, bad; /* atomic where read by main */
    uintptr_t last_b;
} Runner;

static Runner runners[NRUNNERS];
static TranslationBlock *chain_a;
static TranslationBlock *chain_b; /* atomic: the current B */
static bool chain_stop;           /* atomic */

static void *chain_runner(void *opaque)
{
    Runner *r = opaque;
    CPUState *cpu = thread_init();

    while (!__atomic_load_n(&chain_stop, __ATOMIC_ACQUIRE)) {
        uint64_t g0 = r->env.g[0], g1 = r->env.g[1];
        uintptr_t ret;

        r->env.g[2] = 0;
        ret = harness_run(&r->env, chain_a);
        if (ret == (uintptr_t)chain_a) {
            /* A's own exit: B did not run. */
            r->bad += r->env.g[1] != g1 || r->env.g[2] != 0;
            __atomic_fetch_add(&r->via_exit, 1, __ATOMIC_RELAXED);
            /* As the exec loop would: chain A to the current B. */
            tb_add_jump(chain_a, 0,
                        __atomic_load_n(&chain_b, __ATOMIC_ACQUIRE));
        } else {
            /* Through a B (possibly one invalidated meanwhile). */
            r->bad += ret == 0 || (ret & TB_EXIT_MASK) != 0 ||
                      r->env.g[1] != g1 + 1 || r->env.g[2] != MAGIC;
            r->last_b = ret;
            __atomic_fetch_add(&r->via_b, 1, __ATOMIC_RELAXED);
        }
        r->bad += r->env.g[0] != g0 + 1;
        __atomic_store_n(&r->runs, r->runs + 1, __ATOMIC_RELAXED);
    }
    thread_fini(cpu);
    return NULL;
}

static uint64_t total_via(bool b)
{
    uint64_t n = 0;

    for (int i = 0; i < NRUNNERS; i++) {
        n += __atomic_load_n(b ? &runners[i].via_b : &runners[i].via_exit,
                             __ATOMIC_RELAXED);
    }
    return n;
}

/* Wait (at most 20 ms) until the runners have gone one way once more. */
static void wait_via(bool b)
{
    uint64_t base = total_via(b);
    double t0 = now_s();

    while (total_via(b) == base && now_s() - t0 < 0.02) {
        sched_yield();
    }
}

static void test_chain_invalidate_while_running(void **state)
{
    TranslationBlock **all_b = calloc(MUTATIONS + 1, sizeof(*all_b));
    uint64_t via_b = 0, via_exit = 0;

    (void)state;
    assert_non_null(all_b);
    memset(runners, 0, sizeof(runners));
    chain_a = build_a(0);
    all_b[0] = build_b();
    __atomic_store_n(&chain_b, all_b[0], __ATOMIC_RELEASE);
    tb_add_jump(chain_a, 0, all_b[0]);
    __atomic_store_n(&chain_stop, false, __ATOMIC_RELAXED);
    for (int i = 0; i < NRUNNERS; i++) {
        assert_int_equal(
            pthread_create(&runners[i].th, NULL, chain_runner, &runners[i]), 0);
    }
    for (int m = 1; m <= MUTATIONS; m++) {
        TranslationBlock *old = all_b[m - 1], *nb;

        wait_via(true);
        tb_phys_invalidate(old);
        /* Runners may try to link to old: refused under its jmp_lock. */
        assert_int_equal(
            __atomic_load_n(&chain_a->jmp_dest[0], __ATOMIC_ACQUIRE), 0);
        assert_int_equal(old->jmp_list_head, 0);
        wait_via(false);
        assert_int_equal(
            __atomic_load_n(&chain_a->jmp_dest[0], __ATOMIC_ACQUIRE), 0);
        assert_int_equal(old->jmp_list_head, 0);
        nb = all_b[m] = build_b();
        __atomic_store_n(&chain_b, nb, __ATOMIC_RELEASE);
        if (m & 1) {
            tb_add_jump(chain_a, 0, nb); /* else a runner links it */
        }
    }
    wait_via(true);
    __atomic_store_n(&chain_stop, true, __ATOMIC_RELEASE);
    for (int i = 0; i < NRUNNERS; i++) {
        pthread_join(runners[i].th, NULL);
    }
    for (int i = 0; i < NRUNNERS; i++) {
        Runner *r = &runners[i];
        bool known = r->last_b == 0;

        assert_int_equal(r->bad, 0);
        assert_int_equal(r->env.g[0], r->runs);
        assert_int_equal(r->env.g[1], r->via_b);
        for (int m = 0; m <= MUTATIONS && !known; m++) {
            known = r->last_b == (uintptr_t)all_b[m];
        }
        assert_true(known);
        via_b += r->via_b;
        via_exit += r->via_exit;
    }
    /* Both paths were taken, many times. */
    assert_true(via_b >= MUTATIONS);
    assert_true(via_exit >= MUTATIONS / 2);
    print_message("# chain: %" PRIu64 " runs through B, %" PRIu64
                  " through A's exit, %d re-links\n",
                  via_b, via_exit, MUTATIONS);
    free(all_b);
}

/* ------------------------------------------------------------------ */
/* A self-loop stops when another thread invalidates it (QEMU's tb-link) */

typedef struct Looper {
    pthread_t th;
    TestEnv env;
    TranslationBlock *tb;
    uintptr_t ret;
    bool done; /* atomic */
} Looper;

static void *looper(void *opaque)
{
    Looper *l = opaque;
    CPUState *cpu = thread_init();

    l->ret = harness_run(&l->env, l->tb);
    __atomic_store_n(&l->done, true, __ATOMIC_RELEASE);
    thread_fini(cpu);
    return NULL;
}

static void start_loopers(Looper *l, int n, TranslationBlock *tb)
{
    for (int i = 0; i < n; i++) {
        memset(&l[i], 0, sizeof(l[i]));
        l[i].tb = tb;
        assert_int_equal(pthread_create(&l[i].th, NULL, looper, &l[i]), 0);
    }
    /* Each is looping (g0 keeps growing) and none has left. */
    for (int i = 0; i < n; i++) {
        double t0 = now_s();

        while (__atomic_load_n(&l[i].env.g[0], __ATOMIC_RELAXED) < 1000) {
            if (now_s() - t0 > 5) {
                fail_msg("looper %d does not loop", i);
            }
            sched_yield();
        }
        assert_false(__atomic_load_n(&l[i].done, __ATOMIC_ACQUIRE));
    }
}

/* Join within 5 s; a looper still spinning is stopped by exit_request. */
static bool join_loopers(Looper *l, int n)
{
    double t0 = now_s();
    bool ok = true;

    for (int i = 0; i < n; i++) {
        while (!__atomic_load_n(&l[i].done, __ATOMIC_ACQUIRE)) {
            if (now_s() - t0 > 5) {
                ok = false;
                __atomic_store_n(&l[i].env.hdr.exit_request, 1,
                                 __ATOMIC_RELEASE);
            }
            sched_yield();
        }
        pthread_join(l[i].th, NULL);
    }
    return ok;
}

static void test_chain_self_loop_invalidated(void **state)
{
    Looper l[NRUNNERS];
    TranslationBlock *loop = build_a(0);

    (void)state;
    tb_add_jump(loop, 0, loop);
    assert_int_equal(loop->jmp_dest[0], (uintptr_t)loop);
    assert_int_equal(loop->jmp_list_head, (uintptr_t)loop);
    start_loopers(l, NRUNNERS, loop);

    tb_phys_invalidate(loop);
    if (!join_loopers(l, NRUNNERS)) {
        fail_msg("an invalidated self-loop kept running");
    }
    for (int i = 0; i < NRUNNERS; i++) {
        /* Left through the reset jump: exit_tb(loop, 0). */
        assert_int_equal(l[i].ret, (uintptr_t)loop);
    }
    /* A dying TB's slots are marked 1, so nothing links them again. */
    assert_int_equal(loop->jmp_dest[0], 1);
    assert_int_equal(loop->jmp_list_head, 0);
    /* It cannot be linked again. */
    tb_add_jump(loop, 0, loop);
    assert_int_equal(loop->jmp_dest[0], 1);
}

/* The same loop stops on exit_request (cpu_exit) and stays linked. */
static void test_chain_self_loop_exit_request(void **state)
{
    Looper l[2];
    TranslationBlock *loop = build_a(0);

    (void)state;
    tb_add_jump(loop, 0, loop);
    start_loopers(l, 2, loop);
    __atomic_store_n(&l[0].env.hdr.exit_request, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&l[0].done, __ATOMIC_ACQUIRE)) {
        sched_yield();
    }
    pthread_join(l[0].th, NULL);
    assert_int_equal(l[0].ret, (uintptr_t)loop | TB_EXIT_REQUESTED);
    /* The other one is still looping. */
    assert_false(__atomic_load_n(&l[1].done, __ATOMIC_ACQUIRE));
    assert_int_equal(loop->jmp_dest[0], (uintptr_t)loop);
    tb_phys_invalidate(loop);
    if (!join_loopers(&l[1], 1)) {
        fail_msg("an invalidated self-loop kept running");
    }
    assert_int_equal(l[1].ret, (uintptr_t)loop);
}

#if defined(__SANITIZE_THREAD__)
/*
 * liburcu-cds is not built with ThreadSanitizer: its workqueue (used by
 * cds_lfht_destroy in tb_hash_reset) hands memory between threads with
 * futexes and atomics TSan cannot see.  Added to tests/tsan.supp.
 */
const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
    return "race:liburcu-cds.so\n";
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_chain_link_unlink, flush_setup),
        cmocka_unit_test_setup(test_chain_no_link_to_invalid, flush_setup),
        cmocka_unit_test_setup(test_chain_many_sources_unlinked, flush_setup),
        cmocka_unit_test_setup(test_chain_add_jump_race, flush_setup),
        cmocka_unit_test_setup(test_chain_invalidate_while_running,
                               flush_setup),
        cmocka_unit_test_setup(test_chain_self_loop_invalidated, flush_setup),
        cmocka_unit_test_setup(test_chain_self_loop_exit_request, flush_setup),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
