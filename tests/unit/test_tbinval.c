/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the guest-page -> TB map (accel/tcg/tb-inval.c): which
 * TBs an invalidation drops, and the generation rule that keeps a
 * translation racing with an invalidation from being published.  The TBs
 * here carry no code: tb_phys_invalidate only needs their key, size,
 * cflags and jmp_lock (no jumps are linked).  Unlinking while threads run
 * is tested in test_chain.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "accel/tcg/cpu-exec.h"
#include "tcg/tcg.h"

#define PAGE 0x1000ull
#define BASE 0x40000000ull

static CPURISCVState env;         /* the main thread's vCPU */
static TranslationBlock *tbs[16]; /* made by the running test */
static int ntbs;

static int group_setup(void **state)
{
    (void)state;
    if (tcg_init(0, 0, 0) != 0) {
        return -1;
    }
    tb_hash_init();
    return cpu_exec_init_thread(&env) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    tb_hash_reset();
    tb_page_reset();
    cpu_exec_exit_thread(current_cpu);
    return 0;
}

/* Each test ends with an empty TB hash and page map, as after a flush. */
static int test_teardown(void **state)
{
    (void)state;
    tb_hash_reset();
    tb_page_reset();
    while (ntbs > 0) {
        free(tbs[--ntbs]);
    }
    return 0;
}

static TranslationBlock *tb_new(uint64_t pc, uint32_t size)
{
    TranslationBlock *tb = calloc(1, sizeof(*tb));

    assert_non_null(tb);
    assert_true(ntbs < (int)(sizeof(tbs) / sizeof(tbs[0])));
    tbs[ntbs++] = tb;
    tb->pc = pc;
    tb->size = size;
    pthread_mutex_init(&tb->jmp_lock, NULL);
    return tb;
}

/* Translate-and-publish as tb_gen_code does, the generation read first. */
static TranslationBlock *tb_add(uint64_t pc, uint32_t size)
{
    TranslationBlock *tb = tb_new(pc, size), *published = NULL;

    assert_true(tb_page_add_publish(tb, tb_page_gen(), &published));
    assert_ptr_equal(published, tb);
    return tb;
}

static bool tb_alive(const TranslationBlock *tb)
{
    return !(tb->cflags & CF_INVALID) &&
           tb_hash_lookup(tb->pc, tb->flags, tb->cflags) == tb;
}

/* Only TBs with code in [start, end) go; one straddling two pages counts. */
static void test_tbinval_range_drops_only_its_pages(void **state)
{
    TranslationBlock *p0 = tb_add(BASE + 0x10, 16);
    TranslationBlock *p1 = tb_add(BASE + PAGE + 0x20, 16);
    TranslationBlock *straddle = tb_add(BASE + 3 * PAGE - 8, 16);
    TranslationBlock *p3 = tb_add(BASE + 3 * PAGE + 0x40, 16);
    uint64_t before = tb_invalidate_count(TB_INVAL_MUNMAP);

    (void)state;
    /* Page 3 only: the straddler's second page. */
    tb_invalidate_range(BASE + 3 * PAGE, BASE + 3 * PAGE + 1, TB_INVAL_MUNMAP);
    assert_true(tb_alive(p0));
    assert_true(tb_alive(p1));
    assert_false(tb_alive(straddle));
    assert_false(tb_alive(p3));
    /* The straddler is counted once per page record dropped. */
    assert_int_equal(tb_invalidate_count(TB_INVAL_MUNMAP) - before, 2);

    /* [start, end) is half-open: page 1 stays. */
    tb_invalidate_range(BASE, BASE + PAGE, TB_INVAL_MUNMAP);
    assert_false(tb_alive(p0));
    assert_true(tb_alive(p1));

    /* An empty range drops nothing. */
    tb_invalidate_range(BASE + PAGE, BASE + PAGE, TB_INVAL_MUNMAP);
    assert_true(tb_alive(p1));
}

/*
 * A translation that read the generation before an invalidation must not
 * be published, wherever the invalidation was: tb_gen_code retranslates.
 */
static void test_tbinval_publish_refused_after_invalidation(void **state)
{
    TranslationBlock *tb = tb_new(BASE + 0x100, 4), *published = NULL;
    unsigned gen;

    (void)state;
    tb_add(BASE + 9 * PAGE, 4);
    gen = tb_page_gen();
    tb_invalidate_range(BASE + 9 * PAGE, BASE + 10 * PAGE, TB_INVAL_MPROTECT);
    assert_false(tb_page_add_publish(tb, gen, &published));
    assert_null(published);
    assert_null(tb_hash_lookup(tb->pc, tb->flags, tb->cflags));
    /* Retranslated with the new generation, it goes in. */
    assert_true(tb_page_add_publish(tb, tb_page_gen(), &published));
    assert_ptr_equal(published, tb);
}

/*
 * The same with nothing translated yet (right after start-up or a flush):
 * an invalidation of an empty map must still bump the generation, or the
 * first TB of a page munmapped during its translation would be published.
 */
static void test_tbinval_publish_refused_when_map_empty(void **state)
{
    TranslationBlock *tb = tb_new(BASE + 0x200, 4), *published = NULL;
    unsigned gen = tb_page_gen();

    (void)state;
    tb_invalidate_range(BASE, BASE + PAGE, TB_INVAL_MUNMAP);
    assert_false(tb_page_add_publish(tb, gen, &published));
    assert_null(tb_hash_lookup(tb->pc, tb->flags, tb->cflags));
}

/* Publishing a key already in the hash returns the TB that is there. */
static void test_tbinval_publish_existing_key(void **state)
{
    TranslationBlock *first = tb_add(BASE + 0x300, 4);
    TranslationBlock *dup = tb_new(BASE + 0x300, 4), *published = NULL;
    uint64_t before = tb_invalidate_count(TB_INVAL_FENCE_I);

    (void)state;
    assert_true(tb_page_add_publish(dup, tb_page_gen(), &published));
    assert_ptr_equal(published, first);
    /* Only @first was recorded under the page. */
    tb_invalidate_range(BASE, BASE + PAGE, TB_INVAL_FENCE_I);
    assert_int_equal(tb_invalidate_count(TB_INVAL_FENCE_I) - before, 1);
    assert_false(tb_alive(first));
}

static uint64_t odd_pages_from = BASE + 20 * PAGE;

static bool odd_page(uint64_t addr)
{
    return addr >= odd_pages_from && (addr / PAGE) % 2 == 1;
}

/* tb_invalidate_pages asks the predicate with page addresses. */
static void test_tbinval_pages_by_predicate(void **state)
{
    TranslationBlock *even = tb_add(BASE + 20 * PAGE + 8, 4);
    TranslationBlock *odd = tb_add(BASE + 21 * PAGE + 8, 4);
    TranslationBlock *low = tb_add(BASE + 1 * PAGE + 8, 4);

    (void)state;
    tb_invalidate_pages(odd_page, TB_INVAL_FENCE_I);
    assert_true(tb_alive(even));
    assert_false(tb_alive(odd));
    assert_true(tb_alive(low));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_tbinval_range_drops_only_its_pages,
                                  test_teardown),
        cmocka_unit_test_teardown(
            test_tbinval_publish_refused_after_invalidation, test_teardown),
        cmocka_unit_test_teardown(test_tbinval_publish_refused_when_map_empty,
                                  test_teardown),
        cmocka_unit_test_teardown(test_tbinval_publish_existing_key,
                                  test_teardown),
        cmocka_unit_test_teardown(test_tbinval_pages_by_predicate,
                                  test_teardown),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
