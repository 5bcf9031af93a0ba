/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the global TB hash (accel/tcg/tb-hash.c) under concurrency:
 * racing inserts of one key have exactly one winner, lookups only return
 * TBs of the key asked for, removal is seen, a lookup racing with the insert
 * of its key sees a fully built TB or nothing, and tb_hash_reset empties the
 * table, tb_hash_maybe_resize grows it with no thread left behind.  TBs
 * are plain calloc'd structs (no code): the hash only reads
 * pc, flags and cflags.  Every thread that touches the table is registered
 * with liburcu, as the vCPU threads are.
 */
#include <dirent.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <malloc.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <urcu.h>

#include <cmocka.h>

#include "accel/tcg/cpu-exec.h"

#define NTHREADS 8

/* The "translation" payload a reader checks: set before the insert. */
#define TB_MAGIC 0x7b5a
#define TB_CODE_OF(tb) ((void *)((uintptr_t)(tb) ^ 0x5a5a5a50u))

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);

    assert_non_null(p);
    return p;
}

/* Key k of owner t: pc, flags and cflags all vary, so all three count. */
static uint64_t key_pc(int t, uint32_t k)
{
    return 0x10000ull + ((uint64_t)t << 32) + (uint64_t)k * 4;
}

static uint32_t key_flags(uint32_t k)
{
    return k % 3;
}

static uint32_t key_cflags(uint32_t k)
{
    return (k % 5) & CF_COUNT_MASK;
}

/* A fully initialised TB for key (t, k), payload included. */
static void tb_fill(TranslationBlock *tb, int t, uint32_t k, uint32_t gen)
{
    memset(tb, 0, sizeof(*tb));
    tb->pc = key_pc(t, k);
    tb->flags = key_flags(k);
    tb->cflags = key_cflags(k);
    tb->size = gen; /* generation: see the mixed test */
    tb->icount = TB_MAGIC;
    tb->tc.ptr = TB_CODE_OF(tb);
    tb->tc.size = k;
    tb->jmp_insn_offset[0] = tb->jmp_insn_offset[1] =
        TB_JMP_RESET_OFFSET_INVALID;
}

/* cflags may be getting CF_INVALID from its owner: load it atomically. */
static uint32_t tb_cflags(const TranslationBlock *tb)
{
    return __atomic_load_n(&tb->cflags, __ATOMIC_ACQUIRE);
}

static bool tb_has_key(const TranslationBlock *tb, int t, uint32_t k)
{
    return tb->pc == key_pc(t, k) && tb->flags == key_flags(k) &&
           (tb_cflags(tb) & ~CF_INVALID) == key_cflags(k);
}

static bool tb_complete(const TranslationBlock *tb, uint32_t k)
{
    return tb->icount == TB_MAGIC && tb->tc.ptr == TB_CODE_OF(tb) &&
           tb->tc.size == k;
}

static TranslationBlock *lookup_key(int t, uint32_t k)
{
    return tb_hash_lookup(key_pc(t, k), key_flags(k), key_cflags(k));
}

static int group_setup(void **state)
{
    (void)state;
    rcu_register_thread();
    tb_hash_init();
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tb_hash_reset();
    rcu_unregister_thread();
    return 0;
}

/* Every test starts (and ends, see the frees) with an empty table. */
static int reset_setup(void **state)
{
    (void)state;
    tb_hash_reset();
    return 0;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ------------------------------------------------------------------ */
/* Single thread: the basic contract */

static void test_tbhash_basic(void **state)
{
    TranslationBlock *a = xcalloc(1, sizeof(*a)), *a2 = xcalloc(1, sizeof(*a));
    TranslationBlock *b = xcalloc(1, sizeof(*b)), *c = xcalloc(1, sizeof(*c));

    (void)state;
    tb_fill(a, 0, 1, 0);
    tb_fill(a2, 0, 1, 0);
    tb_fill(b, 0, 1, 0);
    b->flags ^= 8; /* same pc, other flags */
    tb_fill(c, 0, 1, 0);
    c->cflags ^= 1; /* same pc and flags, other cflags */

    assert_null(lookup_key(0, 1));
    assert_ptr_equal(tb_hash_insert(a), a);
    assert_ptr_equal(lookup_key(0, 1), a);
    /* A duplicate key returns the TB already there. */
    assert_ptr_equal(tb_hash_insert(a2), a);
    assert_ptr_equal(lookup_key(0, 1), a);
    /* flags and cflags are part of the key. */
    assert_ptr_equal(tb_hash_insert(b), b);
    assert_ptr_equal(tb_hash_insert(c), c);
    assert_ptr_equal(tb_hash_lookup(a->pc, a->flags ^ 8, a->cflags), b);
    assert_ptr_equal(tb_hash_lookup(a->pc, a->flags, a->cflags ^ 1), c);
    assert_ptr_equal(lookup_key(0, 1), a);
    assert_null(tb_hash_lookup(a->pc + 4, a->flags, a->cflags));

    /* An invalidated TB no longer matches, even before it is removed. */
    __atomic_fetch_or(&a->cflags, CF_INVALID, __ATOMIC_RELEASE);
    assert_null(lookup_key(0, 1));
    tb_hash_remove(a);
    assert_null(lookup_key(0, 1));
    /* The key is free again: a fresh TB wins it. */
    assert_ptr_equal(tb_hash_insert(a2), a2);
    assert_ptr_equal(lookup_key(0, 1), a2);
    tb_hash_remove(a2);
    assert_null(lookup_key(0, 1));
    /* Other keys of the same pc were not touched. */
    assert_ptr_equal(tb_hash_lookup(b->pc, b->flags, b->cflags), b);
    assert_ptr_equal(tb_hash_lookup(c->pc, c->flags, c->cflags), c);

    tb_hash_reset();
    assert_null(tb_hash_lookup(b->pc, b->flags, b->cflags));
    assert_null(tb_hash_lookup(c->pc, c->flags, c->cflags));
    free(a);
    free(a2);
    free(b);
    free(c);
}

/* ------------------------------------------------------------------ */
/* Racing inserts of the same keys: exactly one winner per key */

#define RACE_KEYS 2048
#define RACE_ROUNDS 4

typedef struct RaceArg {
    int t;
    pthread_barrier_t *bar;
    TranslationBlock *mine; /* [RACE_KEYS] this thread's candidates */
    TranslationBlock **got; /* [RACE_KEYS] what insert returned */
    unsigned bad_lookup;    /* lookup after insert != returned */
} RaceArg;

static void *race_insert_thread(void *opaque)
{
    RaceArg *a = opaque;

    rcu_register_thread();
    pthread_barrier_wait(a->bar);
    for (uint32_t i = 0; i < RACE_KEYS; i++) {
        /* Half the threads walk the keys backwards: races in the middle. */
        uint32_t k = a->t & 1 ? RACE_KEYS - 1 - i : i;

        a->got[k] = tb_hash_insert(&a->mine[k]);
        if (lookup_key(0, k) != a->got[k]) {
            a->bad_lookup++;
        }
    }
    rcu_unregister_thread();
    return NULL;
}

static void test_tbhash_insert_race_one_winner(void **state)
{
    pthread_barrier_t bar;
    pthread_t th[NTHREADS];
    RaceArg arg[NTHREADS];

    (void)state;
    for (int t = 0; t < NTHREADS; t++) {
        arg[t].mine = xcalloc(RACE_KEYS, sizeof(TranslationBlock));
        arg[t].got = xcalloc(RACE_KEYS, sizeof(TranslationBlock *));
    }
    for (int round = 0; round < RACE_ROUNDS; round++) {
        pthread_barrier_init(&bar, NULL, NTHREADS);
        for (int t = 0; t < NTHREADS; t++) {
            arg[t].t = t;
            arg[t].bar = &bar;
            arg[t].bad_lookup = 0;
            for (uint32_t k = 0; k < RACE_KEYS; k++) {
                tb_fill(&arg[t].mine[k], 0, k, (uint32_t)t);
            }
            assert_int_equal(
                pthread_create(&th[t], NULL, race_insert_thread, &arg[t]), 0);
        }
        for (int t = 0; t < NTHREADS; t++) {
            pthread_join(th[t], NULL);
            assert_int_equal(arg[t].bad_lookup, 0);
        }
        pthread_barrier_destroy(&bar);

        for (uint32_t k = 0; k < RACE_KEYS; k++) {
            TranslationBlock *w = arg[0].got[k];
            int winners = 0;

            assert_non_null(w);
            for (int t = 0; t < NTHREADS; t++) {
                if (arg[t].got[k] != w) {
                    fail_msg("round %d key %u: thread %d got %p, thread 0 %p",
                             round, k, t, (void *)arg[t].got[k], (void *)w);
                }
                winners += arg[t].got[k] == &arg[t].mine[k];
            }
            assert_int_equal(winners, 1);
            assert_true(tb_has_key(w, 0, k));
            assert_ptr_equal(lookup_key(0, k), w);
        }
        /* The losers' TBs are not in the table: no TB is reachable twice. */
        tb_hash_reset();
        for (uint32_t k = 0; k < RACE_KEYS; k += 97) {
            assert_null(lookup_key(0, k));
        }
    }
    for (int t = 0; t < NTHREADS; t++) {
        free(arg[t].mine);
        free(arg[t].got);
    }
}

/* ------------------------------------------------------------------ */
/* Inserts, lookups and removals at once */

#define MIX_KEYS 256  /* keys per owner */
#define MIX_OPS 40000 /* operations per thread */

typedef struct MixArg {
    int t;
    pthread_barrier_t *bar;
    TranslationBlock *pool; /* fresh TBs: a removed node is never reused */
    uint32_t npool;
    unsigned errors;
    char err[160];
    uint64_t found_foreign;
} MixArg;

/* removed_gen[t][k]: generation of the owner's last TB removed for k. */
static uint32_t removed_gen[NTHREADS][MIX_KEYS];

static void mix_error(MixArg *a, const char *fmt, ...)
{
    va_list ap;

    if (a->errors++ == 0) {
        va_start(ap, fmt);
        vsnprintf(a->err, sizeof(a->err), fmt, ap);
        va_end(ap);
    }
}

static void *mix_thread(void *opaque)
{
    MixArg *a = opaque;
    TranslationBlock *live[MIX_KEYS] = {0};
    uint32_t gen[MIX_KEYS] = {0}, used = 0;
    uint64_t rng = 0x1234567ull * (uint64_t)(a->t + 1);

    rcu_register_thread();
    pthread_barrier_wait(a->bar);
    for (int op = 0; op < MIX_OPS; op++) {
        uint64_t r = rng =
            rng * 6364136223846793005ull + 1442695040888963407ull;
        uint32_t k = (uint32_t)(r >> 33) % MIX_KEYS;
        TranslationBlock *tb;

        switch ((r >> 20) % 4) {
        case 0: /* insert into one of our own keys */
            if (live[k] || used == a->npool) {
                break;
            }
            tb = &a->pool[used++];
            tb_fill(tb, a->t, k, ++gen[k]);
            if (tb_hash_insert(tb) != tb) {
                mix_error(a, "insert of free key %u lost", k);
            }
            live[k] = tb;
            break;
        case 1: /* remove */
            if (!live[k]) {
                break;
            }
            tb = live[k];
            if (r & (1u << 12)) {
                /* As tb_phys_invalidate: CF_INVALID first. */
                __atomic_fetch_or(&tb->cflags, CF_INVALID, __ATOMIC_RELEASE);
            }
            tb_hash_remove(tb);
            __atomic_store_n(&removed_gen[a->t][k], tb->size, __ATOMIC_RELEASE);
            live[k] = NULL;
            break;
        case 2: /* our own key: the exact state we left it in */
            tb = lookup_key(a->t, k);
            if (tb != live[k]) {
                mix_error(a, "own key %u: lookup %p, want %p", k, (void *)tb,
                          (void *)live[k]);
            }
            break;
        default: { /* another thread's key */
            int o = (int)((r >> 8) % NTHREADS);
            uint32_t gone =
                __atomic_load_n(&removed_gen[o][k], __ATOMIC_ACQUIRE);

            tb = lookup_key(o, k);
            if (tb == NULL) {
                break;
            }
            a->found_foreign++;
            if (!tb_has_key(tb, o, k) || !tb_complete(tb, k)) {
                mix_error(a, "key (%d,%u) returned a TB of (%#lx,%u,%#x)", o, k,
                          (unsigned long)tb->pc, tb->flags, tb_cflags(tb));
            } else if (tb->size <= gone) {
                /* Its removal completed before this lookup started. */
                mix_error(a, "key (%d,%u): removed TB gen %u found (gone %u)",
                          o, k, tb->size, gone);
            }
            break;
        }
        }
    }
    /* After removal a key is not found. */
    for (uint32_t k = 0; k < MIX_KEYS; k++) {
        if (live[k]) {
            __atomic_fetch_or(&live[k]->cflags, CF_INVALID, __ATOMIC_RELEASE);
            tb_hash_remove(live[k]);
        }
        if (lookup_key(a->t, k) != NULL) {
            mix_error(a, "own key %u found after its removal", k);
        }
    }
    rcu_unregister_thread();
    return NULL;
}

static void test_tbhash_concurrent_mixed(void **state)
{
    pthread_barrier_t bar;
    pthread_t th[NTHREADS];
    MixArg arg[NTHREADS];
    uint64_t foreign = 0;

    (void)state;
    memset(removed_gen, 0, sizeof(removed_gen));
    pthread_barrier_init(&bar, NULL, NTHREADS);
    for (int t = 0; t < NTHREADS; t++) {
        memset(&arg[t], 0, sizeof(arg[t]));
        arg[t].t = t;
        arg[t].bar = &bar;
        arg[t].npool = MIX_OPS / 2;
        arg[t].pool = xcalloc(arg[t].npool, sizeof(TranslationBlock));
        assert_int_equal(pthread_create(&th[t], NULL, mix_thread, &arg[t]), 0);
    }
    for (int t = 0; t < NTHREADS; t++) {
        pthread_join(th[t], NULL);
    }
    pthread_barrier_destroy(&bar);
    for (int t = 0; t < NTHREADS; t++) {
        if (arg[t].errors) {
            fail_msg("thread %d: %u errors, first: %s", t, arg[t].errors,
                     arg[t].err);
        }
        foreign += arg[t].found_foreign;
    }
    /* The cross-thread checks did run. */
    assert_true(foreign > 100);
    for (int t = 0; t < NTHREADS; t++) {
        for (uint32_t k = 0; k < MIX_KEYS; k++) {
            assert_null(lookup_key(t, k));
        }
    }
    /* No reader can hold a pool TB any more: free them after a reset. */
    tb_hash_reset();
    for (int t = 0; t < NTHREADS; t++) {
        free(arg[t].pool);
    }
}

/* ------------------------------------------------------------------ */
/* A lookup racing with the insert of its key: a miss or a complete TB */

#define PUB_KEYS 20000
#define PUB_READERS (NTHREADS - 1)

typedef struct PubArg {
    TranslationBlock *tbs; /* [PUB_KEYS], filled by the writer */
    pthread_barrier_t *bar;
    uint32_t published; /* writer's progress (atomic) */
    unsigned errors;    /* readers: incomplete or wrong TBs */
    uint64_t misses;    /* readers: lookups that raced and missed */
} PubArg;

static void *pub_writer(void *opaque)
{
    PubArg *a = opaque;

    rcu_register_thread();
    pthread_barrier_wait(a->bar);
    for (uint32_t k = 0; k < PUB_KEYS; k++) {
        TranslationBlock *tb = &a->tbs[k];

        /* Built here, in this thread, right before it is published. */
        tb_fill(tb, 1, k, 1);
        if (tb_hash_insert(tb) != tb) {
            __atomic_fetch_add(&a->errors, 1, __ATOMIC_RELAXED);
        }
        __atomic_store_n(&a->published, k + 1, __ATOMIC_RELEASE);
        if ((k & 63) == 0) {
            sched_yield();
        }
    }
    rcu_unregister_thread();
    return NULL;
}

static void *pub_reader(void *opaque)
{
    PubArg *a = opaque;
    uint64_t misses = 0;

    rcu_register_thread();
    pthread_barrier_wait(a->bar);
    /* Ask for the key the writer is about to insert, until it is there. */
    for (uint32_t k = 0; k < PUB_KEYS; k++) {
        for (;;) {
            uint32_t done = __atomic_load_n(&a->published, __ATOMIC_ACQUIRE);
            TranslationBlock *tb = lookup_key(1, k);

            if (tb != NULL) {
                if (tb != &a->tbs[k] || !tb_has_key(tb, 1, k) ||
                    !tb_complete(tb, k) || (tb_cflags(tb) & CF_INVALID)) {
                    __atomic_fetch_add(&a->errors, 1, __ATOMIC_RELAXED);
                }
                break;
            }
            if (done > k) {
                /* Published before the lookup started, yet missed. */
                __atomic_fetch_add(&a->errors, 1, __ATOMIC_RELAXED);
                break;
            }
            if ((++misses & 255) == 0) {
                sched_yield();
            }
        }
    }
    __atomic_fetch_add(&a->misses, misses, __ATOMIC_RELAXED);
    rcu_unregister_thread();
    return NULL;
}

static void test_tbhash_lookup_racing_insert(void **state)
{
    pthread_barrier_t bar;
    pthread_t th[PUB_READERS + 1];
    PubArg a;

    (void)state;
    memset(&a, 0, sizeof(a));
    a.tbs = xcalloc(PUB_KEYS, sizeof(TranslationBlock));
    a.bar = &bar;
    pthread_barrier_init(&bar, NULL, PUB_READERS + 1);
    assert_int_equal(pthread_create(&th[0], NULL, pub_writer, &a), 0);
    for (int i = 1; i <= PUB_READERS; i++) {
        assert_int_equal(pthread_create(&th[i], NULL, pub_reader, &a), 0);
    }
    for (int i = 0; i <= PUB_READERS; i++) {
        pthread_join(th[i], NULL);
    }
    pthread_barrier_destroy(&bar);
    assert_int_equal(a.errors, 0);
    print_message("# tbhash: racing lookups missed %" PRIu64 " times\n",
                  a.misses);
    tb_hash_reset();
    free(a.tbs);
}

/* ------------------------------------------------------------------ */
/* tb_hash_reset between phases, with the threads parked */

#define RST_KEYS 4096

typedef struct RstArg {
    int t;
    pthread_barrier_t *bar;
    TranslationBlock *tbs; /* [2][RST_KEYS] */
    unsigned errors;
} RstArg;

static void *rst_thread(void *opaque)
{
    RstArg *a = opaque;

    rcu_register_thread();
    for (int phase = 0; phase < 2; phase++) {
        TranslationBlock *tbs = &a->tbs[phase * RST_KEYS];

        for (uint32_t k = 0; k < RST_KEYS; k++) {
            tb_fill(&tbs[k], a->t, k, (uint32_t)phase + 1);
            a->errors += tb_hash_insert(&tbs[k]) != &tbs[k];
        }
        for (uint32_t k = 0; k < RST_KEYS; k++) {
            a->errors += lookup_key(a->t, k) != &tbs[k];
        }
        pthread_barrier_wait(a->bar); /* main resets the table */
        pthread_barrier_wait(a->bar);
        for (uint32_t k = 0; k < RST_KEYS; k++) {
            a->errors += lookup_key(a->t, k) != NULL;
        }
    }
    rcu_unregister_thread();
    return NULL;
}

static void test_tbhash_reset_quiescent(void **state)
{
    pthread_barrier_t bar;
    pthread_t th[NTHREADS];
    RstArg arg[NTHREADS];

    (void)state;
    pthread_barrier_init(&bar, NULL, NTHREADS + 1);
    for (int t = 0; t < NTHREADS; t++) {
        memset(&arg[t], 0, sizeof(arg[t]));
        arg[t].t = t;
        arg[t].bar = &bar;
        arg[t].tbs = xcalloc(2 * RST_KEYS, sizeof(TranslationBlock));
        assert_int_equal(pthread_create(&th[t], NULL, rst_thread, &arg[t]), 0);
    }
    for (int phase = 0; phase < 2; phase++) {
        pthread_barrier_wait(&bar);
        /* 32k entries (the table grows only by tb_hash_maybe_resize). */
        assert_non_null(lookup_key(NTHREADS - 1, RST_KEYS - 1));
        tb_hash_reset();
        assert_null(lookup_key(0, 0));
        assert_null(lookup_key(NTHREADS - 1, RST_KEYS - 1));
        pthread_barrier_wait(&bar);
    }
    for (int t = 0; t < NTHREADS; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(arg[t].errors, 0);
    }
    pthread_barrier_destroy(&bar);
    /* The TBs of a reset table may be inserted again: none is in a table. */
    for (uint32_t k = 0; k < RST_KEYS; k++) {
        assert_ptr_equal(tb_hash_insert(&arg[0].tbs[k]), &arg[0].tbs[k]);
    }
    assert_ptr_equal(lookup_key(0, 7), &arg[0].tbs[7]);
    tb_hash_reset();
    for (int t = 0; t < NTHREADS; t++) {
        free(arg[t].tbs);
    }
}

/* ------------------------------------------------------------------ */
/* Growth by hand: no helper thread stays, nothing is lost on the way */

#define GROW_KEYS 4096 /* per thread: 32k in all, 8 times the first size */

typedef struct GrowArg {
    int t;
    TranslationBlock *tbs;
    unsigned errors;
} GrowArg;

static void *grow_thread(void *opaque)
{
    GrowArg *a = opaque;

    rcu_register_thread();
    for (uint32_t k = 0; k < GROW_KEYS; k++) {
        tb_fill(&a->tbs[k], a->t, k, 1);
        a->errors += tb_hash_insert(&a->tbs[k]) != &a->tbs[k];
        if (k % 64 == 63) {
            tb_hash_maybe_resize();
            /* every key so far is still found, during others' resizes */
            for (uint32_t j = 0; j <= k; j += 7) {
                a->errors += lookup_key(a->t, j) != &a->tbs[j];
            }
        }
    }
    rcu_unregister_thread();
    return NULL;
}

/* Threads of a process that has started none of its own: ThreadSanitizer
 * runs a background thread of its own. */
#ifdef __SANITIZE_THREAD__
#define BASE_TASKS 2
#else
#define BASE_TASKS 1
#endif

static int task_count(void)
{
    int n = 0;
    DIR *d = opendir("/proc/self/task");
    struct dirent *de;

    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        n += de->d_name[0] != '.';
    }
    closedir(d);
    return n;
}

static void test_tbhash_grows_by_hand(void **state)
{
    pthread_t th[NTHREADS];
    GrowArg arg[NTHREADS];

    (void)state;
    /* liburcu's auto-resize worker would be a second thread here */
    assert_int_equal(task_count(), BASE_TASKS);
    assert_int_equal(tb_hash_buckets(), 512);
    for (int t = 0; t < NTHREADS; t++) {
        arg[t].t = t;
        arg[t].errors = 0;
        arg[t].tbs = xcalloc(GROW_KEYS, sizeof(TranslationBlock));
        assert_int_equal(pthread_create(&th[t], NULL, grow_thread, &arg[t]), 0);
    }
    for (int t = 0; t < NTHREADS; t++) {
        pthread_join(th[t], NULL);
        assert_int_equal(arg[t].errors, 0);
    }
    tb_hash_maybe_resize();
    /* 32768 TBs: grown past 8192 (to 16384), at most to the count */
    assert_true(tb_hash_buckets() >= 16384);
    assert_true(tb_hash_buckets() <= NTHREADS * GROW_KEYS);
    for (int t = 0; t < NTHREADS; t++) {
        for (uint32_t k = 0; k < GROW_KEYS; k++) {
            assert_ptr_equal(lookup_key(t, k), &arg[t].tbs[k]);
        }
    }
    assert_int_equal(task_count(), BASE_TASKS); /* no resize helper stays */
    tb_hash_reset();
    assert_int_equal(tb_hash_buckets(), 512);
    for (int t = 0; t < NTHREADS; t++) {
        free(arg[t].tbs);
    }
}

/* ------------------------------------------------------------------ */
/* Lookup throughput, for docs/performance.md */

#define RATE_KEYS 4096
#define RATE_SECONDS 0.25

typedef struct RateArg {
    pthread_barrier_t *bar;
    uint64_t lookups;
    double seconds;
    unsigned misses;
} RateArg;

static void *rate_thread(void *opaque)
{
    RateArg *a = opaque;
    uint64_t n = 0;
    unsigned misses = 0;
    double t0, t;

    rcu_register_thread();
    pthread_barrier_wait(a->bar);
    t0 = now_s();
    do {
        for (uint32_t k = 0; k < 1024; k++) {
            uint32_t key = (uint32_t)((n + k) * 2654435761u) % RATE_KEYS;

            misses += lookup_key(0, key) == NULL;
        }
        n += 1024;
        t = now_s();
    } while (t - t0 < RATE_SECONDS);
    a->lookups = n;
    a->seconds = t - t0;
    a->misses = misses;
    rcu_unregister_thread();
    return NULL;
}

static void test_tbhash_lookup_rate(void **state)
{
    TranslationBlock *tbs = xcalloc(RATE_KEYS, sizeof(TranslationBlock));
    static const int nthreads[] = {1, 2};

    (void)state;
    for (uint32_t k = 0; k < RATE_KEYS; k++) {
        tb_fill(&tbs[k], 0, k, 1);
        assert_ptr_equal(tb_hash_insert(&tbs[k]), &tbs[k]);
    }
    for (size_t i = 0; i < sizeof(nthreads) / sizeof(nthreads[0]); i++) {
        int n = nthreads[i];
        pthread_barrier_t bar;
        pthread_t th[2];
        RateArg arg[2];
        double total = 0;

        memset(arg, 0, sizeof(arg));
        pthread_barrier_init(&bar, NULL, (unsigned)n);
        for (int t = 0; t < n; t++) {
            arg[t].bar = &bar;
            assert_int_equal(pthread_create(&th[t], NULL, rate_thread, &arg[t]),
                             0);
        }
        for (int t = 0; t < n; t++) {
            pthread_join(th[t], NULL);
            assert_int_equal(arg[t].misses, 0);
            assert_true(arg[t].lookups > 0);
            total += (double)arg[t].lookups / arg[t].seconds;
        }
        pthread_barrier_destroy(&bar);
        print_message("# tbhash: %d thread%s, %u keys: %.1f M lookups/s "
                      "(%.1f M per thread)\n",
                      n, n > 1 ? "s" : "", RATE_KEYS, total / 1e6,
                      total / 1e6 / n);
    }
    tb_hash_reset();
    free(tbs);
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

/* ------------------------------------------------------------------ */
/* Out of host memory: a resize that cannot allocate is skipped */

#define OOM_KEYS (1u << 16)

/* The process's address-space size in bytes (/proc/self/statm's first). */
static size_t vm_size(void)
{
    unsigned long pages = 0;
    FILE *f = fopen("/proc/self/statm", "r");

    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lu", &pages), 1);
    fclose(f);
    return pages * (size_t)sysconf(_SC_PAGESIZE);
}

/*
 * The child: TBs allocated first, then RLIMIT_AS just above what the
 * process maps, then inserts with tb_hash_maybe_resize after each, as the
 * translator does.  Growing to 32768 buckets (as without the limit) needs
 * 512 KiB of bucket levels that cannot be had: liburcu would assert
 * (SIGABRT) inside cds_lfht_resize.  malloc_trim first hands back the
 * free top of the heap, which earlier tests left.  Exit status: 0 when
 * every TB is found and the table did not grow, 1 to 3 otherwise.
 */
static int oom_child(void)
{
    TranslationBlock *tbs = calloc(OOM_KEYS, sizeof(*tbs));
    struct rlimit rl;

    if (tbs == NULL) {
        return 1;
    }
    malloc_trim(0);
    rl.rlim_cur = rl.rlim_max = vm_size() + 64 * 1024;
    if (setrlimit(RLIMIT_AS, &rl) != 0) {
        return 1;
    }
    for (uint32_t k = 0; k < OOM_KEYS; k++) {
        tb_fill(&tbs[k], 0, k, 0);
        tb_hash_insert(&tbs[k]);
        tb_hash_maybe_resize();
    }
    for (uint32_t k = 0; k < OOM_KEYS; k++) {
        if (lookup_key(0, k) != &tbs[k]) {
            return 2;
        }
    }
    return tb_hash_buckets() < OOM_KEYS / 2 ? 0 : 3;
}

/* Sanitizers' allocators end the process when out of memory (ASan: exit 1). */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TBHASH_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define TBHASH_SANITIZED 1
#endif
#endif

static void test_tbhash_resize_out_of_memory(void **state)
{
    int status;
    pid_t pid;

    (void)state;
#ifdef TBHASH_SANITIZED
    /* cmocka's skip() is "not ok # SKIP" in TAP, a failure to meson */
    printf("# not run: a sanitizer's allocator does not return NULL\n");
    return;
#endif
    fflush(NULL);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        _exit(oom_child());
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status)) {
        fail_msg("the child died of signal %d", WTERMSIG(status));
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /*
         * First, before any test starts threads: glibc keeps their malloc
         * arenas (address space reserved already, grown by mprotect, so
         * outside RLIMIT_AS's reach) and their cached stacks, and the
         * child's allocations would find room there.
         */
        cmocka_unit_test_setup(test_tbhash_resize_out_of_memory, reset_setup),
        cmocka_unit_test_setup(test_tbhash_basic, reset_setup),
        cmocka_unit_test_setup(test_tbhash_insert_race_one_winner, reset_setup),
        cmocka_unit_test_setup(test_tbhash_concurrent_mixed, reset_setup),
        cmocka_unit_test_setup(test_tbhash_lookup_racing_insert, reset_setup),
        cmocka_unit_test_setup(test_tbhash_reset_quiescent, reset_setup),
        cmocka_unit_test_setup(test_tbhash_grows_by_hand, reset_setup),
        cmocka_unit_test_setup(test_tbhash_lookup_rate, reset_setup),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
