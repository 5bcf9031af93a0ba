/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for tcg/region.c: code buffer regions, cursors, the host-PC
 * TB index, flush/reset and concurrent use.
 *
 * Fake TBs are built the way the translator builds real ones: the struct is
 * allocated from the cursor, "code" is written directly at cursor->ptr and
 * committed, and the TB is inserted into the index.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <errno.h>
#include <cmocka.h>

#include "tcg/region.h"

#define TB_MAGIC 0x5eed5eed5eed5eedull

static size_t page;

static uint64_t tb_magic(const TranslationBlock *tb)
{
    return (uint64_t)(uintptr_t)tb ^ TB_MAGIC;
}

/*
 * Build a fake TB with @code_size bytes of code, following the translator's
 * protocol: allocate the struct, emit at c->ptr within tcg_region_room(),
 * and if the code does not fit, rewind and retry in a fresh region.
 * Returns NULL when the buffer is full.
 */
static TranslationBlock *make_tb_noinsert(TCGRegionCursor *c, size_t code_size)
{
    for (;;) {
        TranslationBlock *tb =
            tcg_region_alloc(c, sizeof(*tb), alignof(TranslationBlock));
        if (tb == NULL) {
            return NULL;
        }
        if (tcg_region_room(c) < code_size) {
            tcg_region_rewind(c, tb);
            if (!tcg_region_claim(c)) {
                return NULL;
            }
            continue;
        }
        memset(tb, 0, sizeof(*tb));
        tb->tc.ptr = c->ptr;
        tb->tc.size = (uint32_t)code_size;
        tb->pc = tb_magic(tb);
        memset(c->ptr, 0xcc, code_size);
        tcg_region_commit(c, c->ptr + code_size);
        return tb;
    }
}

static TranslationBlock *make_tb(TCGRegionCursor *c, size_t code_size)
{
    TranslationBlock *tb = make_tb_noinsert(c, code_size);

    if (tb != NULL) {
        tcg_tb_insert(tb);
    }
    return tb;
}

static uintptr_t tb_code(const TranslationBlock *tb)
{
    return (uintptr_t)tb->tc.ptr;
}

/* Permissions ("rwxp", "---p", ...) of the mapping holding @addr. */
static int maps_perms(uintptr_t addr, char perms[5])
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int found = -1;

    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char p[5];

        if (sscanf(line, "%lx-%lx %4s", &lo, &hi, p) == 3 && addr >= lo &&
            addr < hi) {
            memcpy(perms, p, 5);
            found = 0;
            break;
        }
    }
    fclose(f);
    return found;
}

/* Write one byte at @addr in a forked child; returns its wait status. */
static int write_in_child(uintptr_t addr)
{
    int status = 0;
    pid_t pid = fork();

    if (pid == 0) {
        struct sigaction sa = {.sa_handler = SIG_DFL};
        int devnull = open("/dev/null", O_WRONLY);

        /* No cmocka or sanitizer recovery: just die on the fault. */
        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        if (devnull >= 0) {
            dup2(devnull, 2);
        }
        *(volatile uint8_t *)addr = 0x42;
        _exit(0);
    }
    assert_true(pid > 0);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

static void test_region_init_rounds_and_counts(void **state)
{
    (void)state;

    /* region_size 1 rounds up to one page; stride is two pages. */
    assert_int_equal(tcg_region_init(10 * 2 * page, 1), 0);
    assert_int_equal(tcg_region_count(), 10);
    assert_int_equal(tcg_code_capacity(), 10 * page);
    assert_int_equal(tcg_code_size(), 0);
    assert_int_equal(tcg_tb_count(), 0);

    /* A buffer smaller than one region still yields one region. */
    assert_int_equal(tcg_region_init(0, 3 * page + 1), 0);
    assert_int_equal(tcg_region_count(), 1);
    assert_int_equal(tcg_code_capacity(), 4 * page);

    /* Leftover smaller than a stride is dropped. */
    assert_int_equal(tcg_region_init(5 * 3 * page + 2 * page, 2 * page), 0);
    assert_int_equal(tcg_region_count(), 5);
    assert_int_equal(tcg_code_capacity(), 10 * page);

    /* Absurd sizes fail cleanly and leave nothing mapped. */
    assert_int_equal(tcg_region_init(SIZE_MAX, SIZE_MAX), -EINVAL);
    assert_int_equal(tcg_region_count(), 0);
    assert_int_equal(tcg_code_capacity(), 0);
}

static void test_region_guard_pages_fault(void **state)
{
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    const unsigned n = 4;
    uint8_t *base;
    char perms[5];
    int st;

    (void)state;
    assert_int_equal(tcg_region_init(n * 2 * page, page), 0);
    base = tcg_region_alloc(&c, 1, 1);
    assert_non_null(base);
    assert_int_equal(c.region, 0);
    assert_int_equal((uintptr_t)base % page, 0);
    /* A region's guard page is protected when the region is first claimed. */
    for (unsigned r = 1; r < n; r++) {
        TCGRegionCursor cr = TCG_REGION_CURSOR_INIT;

        assert_true(tcg_region_claim(&cr));
        assert_int_equal(cr.region, (int)r);
    }

    for (unsigned r = 0; r < n; r++) {
        uint8_t *start = base + r * 2 * page;
        uint8_t *guard = start + page;

        assert_true(tcg_region_contains((uintptr_t)start));
        assert_true(tcg_region_contains((uintptr_t)guard - 1));
        assert_false(tcg_region_contains((uintptr_t)guard));
        assert_false(tcg_region_contains((uintptr_t)guard + page - 1));

        assert_int_equal(maps_perms((uintptr_t)start, perms), 0);
        assert_string_equal(perms, "rwxp");
        assert_int_equal(maps_perms((uintptr_t)guard, perms), 0);
        assert_string_equal(perms, "---p");
    }
    assert_false(tcg_region_contains((uintptr_t)base - 1));
    assert_false(tcg_region_contains((uintptr_t)base + n * 2 * page));

    /* Control: the last byte of a region is writable... */
    st = write_in_child((uintptr_t)base + page - 1);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    /* ...the first byte of its guard page is not. */
    st = write_in_child((uintptr_t)base + page);
    assert_false(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (WIFSIGNALED(st)) {
        assert_true(WTERMSIG(st) == SIGSEGV || WTERMSIG(st) == SIGBUS);
    }
    st = write_in_child((uintptr_t)base + (n - 1) * 2 * page + page);
    assert_false(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* And the regions are executable: plant a "ret" and call it. */
    base[0] = 0xc3;
    ((void (*)(void))(uintptr_t)base)();
}

static void test_region_alloc_within_region(void **state)
{
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    uint8_t *p1, *p2, *p3, *q;

    (void)state;
    assert_int_equal(tcg_region_init(4 * 2 * page, page), 0);
    assert_int_equal(tcg_region_room(&c), 0);

    p1 = tcg_region_alloc(&c, 100, 1);
    assert_non_null(p1);
    assert_int_equal(c.region, 0);
    assert_int_equal(tcg_region_room(&c), page - 100);
    assert_int_equal(tcg_code_size(), 100);

    p2 = tcg_region_alloc(&c, 8, 64);
    assert_ptr_equal(p2, p1 + 128);
    assert_int_equal((uintptr_t)p2 % 64, 0);
    assert_int_equal(tcg_code_size(), 136);
    memset(p1, 0xaa, 136);

    /* Code written directly at c->ptr, then committed. */
    q = c.ptr;
    memset(q, 0x90, 50);
    tcg_region_commit(&c, q + 50);
    assert_ptr_equal(c.ptr, q + 50);
    assert_int_equal(tcg_region_room(&c), page - 186);
    assert_int_equal(tcg_code_size(), 186);

    /* Exactly the remaining room fits in the same region. */
    p3 = tcg_region_alloc(&c, page - 186, 1);
    assert_ptr_equal(p3, q + 50);
    assert_int_equal(c.region, 0);
    assert_int_equal(tcg_region_room(&c), 0);
    assert_int_equal(tcg_code_size(), page);
    memset(p3, 0x55, page - 186);
}

static void test_region_alloc_across_regions(void **state)
{
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    uint8_t *p1, *p2, *p3;

    (void)state;
    assert_int_equal(tcg_region_init(3 * 2 * page, page), 0);

    p1 = tcg_region_alloc(&c, page - 10, 1);
    assert_non_null(p1);
    assert_int_equal(c.region, 0);

    /* Does not fit in the 10 bytes left: moves to region 1. */
    p2 = tcg_region_alloc(&c, 20, 1);
    assert_ptr_equal(p2, p1 + 2 * page);
    assert_int_equal(c.region, 1);
    assert_int_equal(tcg_code_size(), page - 10 + 20);

    /* Larger than a region: fails without consuming a region. */
    assert_null(tcg_region_alloc(&c, page + 1, 1));
    assert_int_equal(c.region, 1);

    /* Alignment pushes past the end: moves to region 2, page aligned. */
    assert_non_null(tcg_region_alloc(&c, page - 20 - 40, 1));
    p3 = tcg_region_alloc(&c, 16, 64);
    assert_ptr_equal(p3, p1 + 4 * page);
    assert_int_equal(c.region, 2);

    /* Buffer full. */
    assert_non_null(tcg_region_alloc(&c, page - 16, 1));
    assert_null(tcg_region_alloc(&c, 1, 1));
    assert_int_equal(c.region, -1);
    assert_int_equal(tcg_region_room(&c), 0);
    assert_false(tcg_region_claim(&c));
    assert_int_equal(tcg_code_size(), 3 * page - 10 - 40);
}

static void test_region_exhaustion(void **state)
{
    enum {
        N = 5
    };
    TCGRegionCursor c[N + 1];
    bool seen[N] = {false};

    (void)state;
    assert_int_equal(tcg_region_init(N * 2 * page, page), 0);
    for (int i = 0; i <= N; i++) {
        c[i] = TCG_REGION_CURSOR_INIT;
    }
    for (int i = 0; i < N; i++) {
        assert_true(tcg_region_claim(&c[i]));
        assert_in_range(c[i].region, 0, N - 1);
        assert_false(seen[c[i].region]);
        seen[c[i].region] = true;
        assert_int_equal(tcg_region_room(&c[i]), page);
    }
    /* Probing a full buffer many times must keep failing (no wrap). */
    for (int i = 0; i < 10000; i++) {
        assert_false(tcg_region_claim(&c[N]));
    }
    assert_null(tcg_region_alloc(&c[N], 1, 1));
    assert_int_equal(c[N].region, -1);

    /* Owners keep allocating in their regions. */
    for (int i = 0; i < N; i++) {
        uint8_t *p = tcg_region_alloc(&c[i], 32, 8);

        assert_non_null(p);
        assert_true(tcg_region_contains((uintptr_t)p));
    }
    /* A failed claim drops the cursor's region. */
    assert_false(tcg_region_claim(&c[0]));
    assert_int_equal(c[0].region, -1);
    assert_int_equal(tcg_region_room(&c[0]), 0);
}

static void test_region_rewind(void **state)
{
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    TranslationBlock *tb, *tb2;
    uint8_t *p1, *p2;

    (void)state;
    assert_int_equal(tcg_region_init(2 * 2 * page, page), 0);

    p1 = tcg_region_alloc(&c, 64, 1);
    p2 = tcg_region_alloc(&c, 100, 1);
    assert_ptr_equal(p2, p1 + 64);
    assert_int_equal(tcg_code_size(), 164);

    tcg_region_rewind(&c, p2);
    assert_int_equal(tcg_code_size(), 64);
    assert_int_equal(tcg_region_room(&c), page - 64);
    assert_ptr_equal(tcg_region_alloc(&c, 100, 1), p2);

    tcg_region_rewind(&c, p1);
    assert_int_equal(tcg_code_size(), 0);
    assert_ptr_equal(tcg_region_alloc(&c, 8, 1), p1);
    tcg_region_rewind(&c, p1);

    /* Lost race after insert: remove from the index, then rewind. */
    tb = make_tb(&c, 100);
    assert_ptr_equal(tb, p1);
    assert_ptr_equal(tcg_tb_lookup(tb_code(tb)), tb);
    assert_int_equal(tcg_tb_count(), 1);
    tcg_tb_remove_last(tb);
    tcg_region_rewind(&c, tb);
    assert_null(tcg_tb_lookup(tb_code(tb)));
    assert_int_equal(tcg_tb_count(), 0);
    assert_int_equal(tcg_code_size(), 0);

    /* The space is reused by the next TB, which is found. */
    tb2 = make_tb(&c, 50);
    assert_ptr_equal(tb2, tb);
    assert_ptr_equal(tcg_tb_lookup(tb_code(tb2) + 49), tb2);
    assert_null(tcg_tb_lookup(tb_code(tb2) + 50));
    assert_int_equal(tcg_tb_count(), 1);
}

/*
 * tcg_region_handover: an exiting thread's region goes to the shared
 * cursor when it has more room, TB index and all; the old cursor holds
 * nothing either way.
 */
static void test_region_handover(void **state)
{
    TCGRegionCursor shared = TCG_REGION_CURSOR_INIT;
    TCGRegionCursor exiting = TCG_REGION_CURSOR_INIT;
    TranslationBlock *tb, *tb2;
    int exiting_region;

    (void)state;
    assert_int_equal(tcg_region_init(4 * 2 * page, page), 0);
    /* shared: almost full; exiting: one small TB. */
    assert_non_null(tcg_region_alloc(&shared, page - 256, 1));
    tb = make_tb(&exiting, 100);
    assert_non_null(tb);
    exiting_region = exiting.region;

    assert_true(tcg_region_handover(&shared, &exiting));
    assert_int_equal(shared.region, exiting_region);
    assert_int_equal(exiting.region, -1);
    assert_int_equal(tcg_region_room(&exiting), 0);
    /* The new owner appends to the same index; old TBs are still found. */
    tb2 = make_tb(&shared, 50);
    assert_non_null(tb2);
    assert_true(tb_code(tb2) > tb_code(tb));
    assert_ptr_equal(tcg_tb_lookup(tb_code(tb)), tb);
    assert_ptr_equal(tcg_tb_lookup(tb_code(tb2) + 49), tb2);

    /* Less room than the shared cursor's: the shared one keeps its own. */
    assert_non_null(tcg_region_alloc(&exiting, page - 64, 1));
    assert_false(tcg_region_handover(&shared, &exiting));
    assert_int_equal(shared.region, exiting_region);
    assert_int_equal(exiting.region, -1);

    /* A cursor that holds nothing hands nothing over. */
    assert_false(tcg_region_handover(&shared, &exiting));
    assert_int_equal(shared.region, exiting_region);
}

static void test_region_lookup_boundaries(void **state)
{
    enum {
        MAX = 64
    };
    static const size_t sizes[] = {1, 37, 200, 1000, 3, 512, 64};
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    TranslationBlock *tbs[MAX], *last;
    uint8_t *base;
    size_t n = 0;

    (void)state;
    assert_int_equal(tcg_region_init(3 * 2 * page, page), 0);

    /* Fill regions 0 and part of 1. */
    while (c.region <= 0 || n < 12) {
        assert_true(n < MAX);
        tbs[n] = make_tb(&c, sizes[n % 7]);
        assert_non_null(tbs[n]);
        n++;
    }
    assert_int_equal(c.region, 1);
    assert_int_equal(tcg_tb_count(), n);
    base = (uint8_t *)tbs[0];

    for (size_t i = 0; i < n; i++) {
        TranslationBlock *tb = tbs[i];
        uintptr_t s = tb_code(tb), e = s + tb->tc.size;

        assert_ptr_equal(tcg_tb_lookup(s), tb);
        assert_ptr_equal(tcg_tb_lookup(e - 1), tb);
        assert_ptr_equal(tcg_tb_lookup(s + tb->tc.size / 2), tb);
        /* The TB struct precedes its code and is not code. */
        assert_null(tcg_tb_lookup(s - 1));
        assert_null(tcg_tb_lookup((uintptr_t)tb));
        /* Right after the code comes the next struct or free space. */
        assert_null(tcg_tb_lookup(e));
    }

    /* A TB whose code ends exactly at the region end. */
    last =
        make_tb(&c, tcg_region_room(&c) - sizeof(TranslationBlock) -
                        ((uintptr_t)c.ptr % alignof(TranslationBlock)
                             ? alignof(TranslationBlock) -
                                   (uintptr_t)c.ptr % alignof(TranslationBlock)
                             : 0));
    assert_non_null(last);
    assert_int_equal(tcg_region_room(&c), 0);
    assert_ptr_equal(tcg_tb_lookup(tb_code(last) + last->tc.size - 1), last);
    assert_false(tcg_region_contains(tb_code(last) + last->tc.size));
    assert_null(tcg_tb_lookup(tb_code(last) + last->tc.size));

    /* Outside any TB. */
    assert_null(tcg_tb_lookup(0));
    assert_null(tcg_tb_lookup(UINTPTR_MAX));
    assert_null(tcg_tb_lookup((uintptr_t)base - 1));
    assert_null(tcg_tb_lookup((uintptr_t)base + page));     /* guard */
    assert_null(tcg_tb_lookup((uintptr_t)base + 4 * page)); /* unclaimed */
    assert_null(tcg_tb_lookup((uintptr_t)base + 6 * page)); /* past end */
    assert_null(tcg_tb_lookup((uintptr_t)&c));
}

/* ---- concurrency ---- */

enum {
    CC_THREADS = 8,
    CC_REGIONS = 256,
    CC_REGION_PAGES = 2,
    CC_MAX_TBS = 1 << 16,
    CC_MIN_LOOKUPS = 200000,
};

static struct {
    pthread_barrier_t start;
    _Atomic int claims[CC_REGIONS];
    _Atomic(TranslationBlock *) pub[CC_MAX_TBS];
    _Atomic size_t npub;
    _Atomic bool done;
    _Atomic unsigned long lookups;
    _Atomic unsigned long hits;
    _Atomic unsigned long errors;
} cc;

typedef struct Worker {
    pthread_t thread;
    unsigned seed;
    size_t ntbs;
    size_t bytes;
    TranslationBlock *tbs[CC_MAX_TBS];
} Worker;

static unsigned xorshift(unsigned *s)
{
    unsigned x = *s;

    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static void *cc_writer(void *opaque)
{
    Worker *w = opaque;
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    int last_region = -1;

    pthread_barrier_wait(&cc.start);
    for (unsigned i = 0;; i++) {
        TranslationBlock *tb =
            make_tb_noinsert(&c, 1 + xorshift(&w->seed) % 400);

        if (tb == NULL) {
            break;
        }
        if (c.region != last_region) {
            atomic_fetch_add(&cc.claims[c.region], 1);
            last_region = c.region;
        }
        if (i % 7 == 3) {
            /* Lost a race before insert: the space is reused at once. */
            tcg_region_rewind(&c, tb);
            continue;
        }
        if (w->ntbs == CC_MAX_TBS) {
            break; /* cannot happen with the sizes used */
        }
        tcg_tb_insert(tb);
        w->tbs[w->ntbs++] = tb;
        w->bytes += sizeof(*tb) + tb->tc.size;
        /* Publish, as the TB hash would: after tcg_tb_insert(). */
        atomic_store_explicit(&cc.pub[atomic_fetch_add(&cc.npub, 1)], tb,
                              memory_order_release);
    }
    return NULL;
}

/* Check one lookup result against what is known about @pc. */
static void cc_check(uintptr_t pc, const TranslationBlock *expect)
{
    TranslationBlock *tb = tcg_tb_lookup(pc);

    atomic_fetch_add_explicit(&cc.lookups, 1, memory_order_relaxed);
    if (tb == NULL) {
        if (expect != NULL) {
            atomic_fetch_add(&cc.errors, 1);
        }
        return;
    }
    atomic_fetch_add_explicit(&cc.hits, 1, memory_order_relaxed);
    if (tb->pc != tb_magic(tb) || pc < tb_code(tb) ||
        pc - tb_code(tb) >= tb->tc.size || (expect != NULL && tb != expect)) {
        atomic_fetch_add(&cc.errors, 1);
    }
}

static void *cc_reader(void *opaque)
{
    unsigned seed = 12345;
    size_t stride = (CC_REGION_PAGES + 1) * page;

    (void)opaque;
    pthread_barrier_wait(&cc.start);
    while (!atomic_load(&cc.done) ||
           atomic_load(&cc.lookups) < CC_MIN_LOOKUPS) {
        size_t n = atomic_load_explicit(&cc.npub, memory_order_acquire);
        TranslationBlock *tb;
        uintptr_t s, pc;
        long off;

        if (n == 0) {
            continue;
        }
        tb = atomic_load_explicit(&cc.pub[xorshift(&seed) % n],
                                  memory_order_acquire);
        if (tb == NULL) {
            continue; /* slot reserved, not yet stored */
        }
        s = tb_code(tb);
        /* Inside the published TB: must find exactly it. */
        cc_check(s + xorshift(&seed) % tb->tc.size, tb);
        /* Near it: any answer must contain the PC. */
        off = (long)(xorshift(&seed) % (tb->tc.size + 1024)) - 512;
        cc_check(s + off, NULL);
        /* Anywhere within a few regions: same. */
        pc = s + (xorshift(&seed) % (8 * stride)) - 4 * stride;
        cc_check(pc, NULL);
    }
    return NULL;
}

static void test_region_concurrent_claim_insert_lookup(void **state)
{
    static Worker w[CC_THREADS];
    pthread_t reader;
    size_t total = 0, bytes = 0;

    (void)state;
    memset(&cc, 0, sizeof(cc));
    assert_int_equal(tcg_region_init(CC_REGIONS * (CC_REGION_PAGES + 1) * page,
                                     CC_REGION_PAGES * page),
                     0);
    assert_int_equal(tcg_region_count(), CC_REGIONS);
    assert_int_equal(pthread_barrier_init(&cc.start, NULL, CC_THREADS + 1), 0);

    assert_int_equal(pthread_create(&reader, NULL, cc_reader, NULL), 0);
    for (int i = 0; i < CC_THREADS; i++) {
        w[i].seed = 0x9e3779b9u * (i + 1);
        w[i].ntbs = 0;
        w[i].bytes = 0;
        assert_int_equal(pthread_create(&w[i].thread, NULL, cc_writer, &w[i]),
                         0);
    }
    for (int i = 0; i < CC_THREADS; i++) {
        assert_int_equal(pthread_join(w[i].thread, NULL), 0);
    }
    atomic_store(&cc.done, true);
    assert_int_equal(pthread_join(reader, NULL), 0);
    pthread_barrier_destroy(&cc.start);

    assert_int_equal(atomic_load(&cc.errors), 0);
    assert_true(atomic_load(&cc.hits) > 0);

    /* Every region was claimed, exactly once. */
    for (int r = 0; r < CC_REGIONS; r++) {
        assert_int_equal(atomic_load(&cc.claims[r]), 1);
    }

    /* Every kept TB is found, by its first and last code byte. */
    for (int i = 0; i < CC_THREADS; i++) {
        for (size_t j = 0; j < w[i].ntbs; j++) {
            TranslationBlock *tb = w[i].tbs[j];

            assert_ptr_equal(tcg_tb_lookup(tb_code(tb)), tb);
            assert_ptr_equal(tcg_tb_lookup(tb_code(tb) + tb->tc.size - 1), tb);
        }
        total += w[i].ntbs;
        bytes += w[i].bytes;
    }
    assert_int_equal(tcg_tb_count(), total);
    assert_true(tcg_code_size() >= bytes);
    assert_true(tcg_code_size() <= tcg_code_capacity());
}

static void test_region_reset_reuse(void **state)
{
    TCGRegionCursor c1 = TCG_REGION_CURSOR_INIT;
    TCGRegionCursor c2 = TCG_REGION_CURSOR_INIT;
    TCGRegionCursor c3 = TCG_REGION_CURSOR_INIT;
    TranslationBlock *tb1, *tb2, *tb;
    uint8_t *r0, *r1;
    unsigned claims;

    (void)state;
    assert_int_equal(tcg_region_init(4 * 2 * page, page), 0);
    tb1 = make_tb(&c1, 100);
    tb2 = make_tb(&c2, 100);
    assert_int_equal(c1.region, 0);
    assert_int_equal(c2.region, 1);
    r0 = (uint8_t *)tb1;
    r1 = (uint8_t *)tb2;
    while (tcg_region_claim(&c3)) {
        /* take the rest */
    }
    assert_null(tcg_region_alloc(&c1, page, 1)); /* full, c1 dropped */
    assert_int_equal(tcg_tb_count(), 2);

    tcg_region_reset_all();
    assert_int_equal(tcg_tb_count(), 0);
    assert_int_equal(tcg_code_size(), 0);
    assert_null(tcg_tb_lookup(tb_code(tb1)));
    assert_null(tcg_tb_lookup(tb_code(tb2)));

    /* c2 still names region 1 but is of the old generation: stale. */
    assert_int_equal(c2.region, 1);
    assert_int_equal(tcg_region_room(&c2), 0);

    /* Stale c2 claims afresh: region 0 now belongs to it, from the start. */
    assert_ptr_equal(tcg_region_alloc(&c2, 16, 1), r0);
    assert_int_equal(c2.region, 0);
    assert_ptr_equal(tcg_region_alloc(&c1, 16, 1), r1);
    assert_int_equal(c1.region, 1);

    tb = make_tb(&c2, 40);
    assert_non_null(tb);
    assert_ptr_equal(tcg_tb_lookup(tb_code(tb) + 39), tb);
    assert_int_equal(tcg_tb_count(), 1);
    assert_int_equal(tcg_code_size(),
                     16 + 16 + sizeof(*tb) + 40 +
                         ((uintptr_t)tb - (uintptr_t)(r0 + 16)));

    /* Exactly the two remaining regions can be claimed again. */
    for (claims = 0; tcg_region_claim(&c3); claims++) {
        assert_true(claims < 2);
    }
    assert_int_equal(claims, 2);
}

static void test_region_reinit_and_teardown(void **state)
{
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    uint8_t *p;

    (void)state;
    assert_int_equal(tcg_region_init(2 * 2 * page, page), 0);
    p = tcg_region_alloc(&c, 64, 1);
    assert_non_null(p);

    /* Re-init: every cursor is stale, allocation starts over. */
    assert_int_equal(tcg_region_init(3 * 3 * page, 2 * page), 0);
    assert_int_equal(tcg_region_count(), 3);
    assert_int_equal(tcg_region_room(&c), 0);
    p = tcg_region_alloc(&c, 64, 1);
    assert_non_null(p);
    assert_int_equal(c.region, 0);
    assert_int_equal(tcg_region_room(&c), 2 * page - 64);

    tcg_region_teardown();
    assert_int_equal(tcg_region_count(), 0);
    assert_int_equal(tcg_code_capacity(), 0);
    assert_int_equal(tcg_code_size(), 0);
    assert_false(tcg_region_contains((uintptr_t)p));
    assert_null(tcg_tb_lookup((uintptr_t)p));
    assert_int_equal(tcg_region_room(&c), 0);
    assert_null(tcg_region_alloc(&c, 1, 1));
    assert_false(tcg_region_claim(&c));
    tcg_region_teardown(); /* idempotent */
}

/* Is the page at @p mapped in (mincore)? */
static bool page_resident(const void *p)
{
    unsigned char v = 0;
    uintptr_t a = (uintptr_t)p & ~(uintptr_t)(page - 1);

    assert_int_equal(mincore((void *)a, page, &v), 0);
    return v & 1;
}

/* Does the kernel know MADV_POPULATE_WRITE (Linux 5.14)? */
static bool kernel_populates(void)
{
    void *m = mmap(NULL, page, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    bool ok;

    assert_true(m != MAP_FAILED);
    ok = madvise(m, page, 23 /* MADV_POPULATE_WRITE */) == 0;
    munmap(m, page);
    return ok;
}

/*
 * Session 9 (start-up): the code pages are mapped 32 KiB at a time ahead
 * of the cursor (MADV_POPULATE_WRITE), not one page fault per page, and
 * never past the region's end (its guard page stays unmapped).
 */
static void test_region_populates_ahead(void **state)
{
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    size_t rsize = (64u << 10) > 16 * page ? (64u << 10) : 16 * page;
    uint8_t *p, *start;

    (void)state;
    assert_int_equal(tcg_region_init(2 * (rsize + page), rsize), 0);
    start = p = tcg_region_alloc(&c, 64, 64);
    assert_non_null(p);
    if (!kernel_populates()) {
        skip(); /* a kernel before 5.14: no MADV_POPULATE_WRITE */
    }
    assert_true(page_resident(start + (32u << 10) - 1));
    assert_false(page_resident(start + (32u << 10)));
    /* 8 KiB ahead of the cursor: the next chunk comes in whole. */
    p = tcg_region_alloc(&c, (26u << 10), 64);
    assert_non_null(p);
    assert_true(page_resident(start + (64u << 10) - 1));
    /* To the end of the region: its guard page stays out. */
    p = tcg_region_alloc(&c, rsize - (27u << 10), 1);
    assert_ptr_equal(p, start + (26u << 10) + 64);
    assert_true(page_resident(start + rsize - 1));
    assert_false(page_resident(start + rsize));
    tcg_region_teardown();
}

/* The value of smaps field @key ("THPeligible:") of @addr's mapping, or -1. */
static long smaps_field(uintptr_t addr, const char *key)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[256];
    bool in = false;
    long v = -1;

    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        unsigned long lo, hi;

        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) { /* a mapping's line */
            in = addr >= lo && addr < hi;
        } else if (in && strncmp(line, key, strlen(key)) == 0) {
            v = strtol(line + strlen(key), NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

/* The host hands out transparent huge pages to madvised mappings. */
static bool thp_madvise_on(void)
{
    FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
    char line[128] = "";

    if (f == NULL) {
        return false;
    }
    if (fgets(line, sizeof(line), f) == NULL) {
        line[0] = 0;
    }
    fclose(f);
    return strstr(line, "[always]") != NULL ||
           strstr(line, "[madvise]") != NULL;
}

/*
 * Session 11 (start-up): the buffer starts 2 MiB aligned and its first
 * 2 MiB are one huge page (a fresh small page costs 5-15 us at its first
 * touch on a VM): the regions whose guard page would fall inside get none,
 * so that no mprotect splits the mapping, and it stays THP-eligible.
 * Regions past it are guarded as before.
 */
static void test_region_huge_start(void **state)
{
    const size_t huge = 2u << 20, rsize = 256u << 10;
    TCGRegionCursor c = TCG_REGION_CURSOR_INIT;
    uint8_t *base;
    unsigned r;
    char perms[5];
    int st;

    (void)state;
    assert_int_equal(tcg_region_init(16u << 20, rsize), 0);
    base = tcg_region_alloc(&c, 64, 64);
    assert_non_null(base);
    assert_ptr_equal(base, tcg_region_base());
    assert_int_equal((uintptr_t)base % huge, 0);
    if (tcg_region_huge_size() == 0) {
        tcg_region_teardown();
        skip(); /* no THP in this kernel: MADV_HUGEPAGE failed */
    }
    assert_int_equal(tcg_region_huge_size(), huge);
    for (r = 1; r < 10; r++) {
        TCGRegionCursor cr = TCG_REGION_CURSOR_INIT;

        assert_true(tcg_region_claim(&cr));
        assert_int_equal(cr.region, (int)r);
    }
    for (r = 0; r < 10; r++) {
        uint8_t *guard = base + r * (rsize + page) + rsize;

        assert_false(tcg_region_contains((uintptr_t)guard));
        assert_int_equal(maps_perms((uintptr_t)guard, perms), 0);
        assert_string_equal(perms, guard < base + huge ? "rwxp" : "---p");
    }
    /* Region 0's guard is plain buffer; the first guard past 2 MiB faults. */
    st = write_in_child((uintptr_t)base + rsize);
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    r = (unsigned)(huge / (rsize + page));
    st = write_in_child((uintptr_t)base + r * (rsize + page) + rsize);
    assert_false(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    if (thp_madvise_on()) {
        assert_int_equal(smaps_field((uintptr_t)base, "THPeligible:"), 1);
    }
    tcg_region_teardown();
}

static int group_setup(void **state)
{
    (void)state;
    page = (size_t)sysconf(_SC_PAGESIZE);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tcg_region_teardown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_region_init_rounds_and_counts),
        cmocka_unit_test(test_region_guard_pages_fault),
        cmocka_unit_test(test_region_alloc_within_region),
        cmocka_unit_test(test_region_alloc_across_regions),
        cmocka_unit_test(test_region_exhaustion),
        cmocka_unit_test(test_region_rewind),
        cmocka_unit_test(test_region_handover),
        cmocka_unit_test(test_region_lookup_boundaries),
        cmocka_unit_test(test_region_concurrent_claim_insert_lookup),
        cmocka_unit_test(test_region_reset_reuse),
        cmocka_unit_test(test_region_reinit_and_teardown),
        cmocka_unit_test(test_region_populates_ahead),
        cmocka_unit_test(test_region_huge_start),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
