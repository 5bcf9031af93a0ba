/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of exclusive sections and the vCPU list
 * (accel/tcg/cpu-common.c): start_exclusive/end_exclusive against worker
 * threads that loop { cpu_exec_start; run; cpu_exec_end } as the CPU loop
 * does.  While a section is exclusive no worker may be between
 * cpu_exec_start and cpu_exec_end; workers that only stop when kicked
 * (exit_request) must be kicked by start_exclusive; sections nest; two
 * threads competing for sections take turns; cpu_foreach_* visit every
 * vCPU.  A watchdog (alarm) turns a deadlock into a failure.
 */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "accel/tcg/cpu-exec.h"

#define NWORKERS 6
#define WATCHDOG_S 20

enum RunMode {
    RUN_BOUNDED,   /* a bounded amount of work, or until kicked */
    RUN_UNTIL_KICK /* spin until exit_request: only a kick stops it */
};

typedef struct Worker {
    pthread_t th;
    CPUState *cpu;
    int idx;
    enum RunMode mode;
    int excl_every;  /* >0: enter an exclusive section every n runs */
    uint64_t count;  /* atomic: work done ("instructions") */
    uint64_t runs;   /* atomic: exec_start/end pairs */
    uint64_t kicked; /* runs ended by exit_request */
} Worker;

static Worker workers[NWORKERS];
static int nworkers;
static int inside;          /* atomic: workers between exec_start and end */
static int in_exclusive;    /* atomic: threads inside an exclusive section */
static bool stop;           /* atomic */
static int started;         /* atomic: workers registered */
static unsigned violations; /* atomic */
static char violation_msg[160];
static const char *current_test = "?";

static void violation(const char *fmt, ...)
{
    va_list ap;

    if (__atomic_fetch_add(&violations, 1, __ATOMIC_RELAXED) == 0) {
        va_start(ap, fmt);
        vsnprintf(violation_msg, sizeof(violation_msg), fmt, ap);
        va_end(ap);
    }
    if (getenv("EXCL_DEBUG")) {
        va_start(ap, fmt);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
}

static void watchdog(int sig)
{
    static const char msg[] = "# watchdog: deadlock in exclusive test ";

    (void)sig;
    if (write(2, msg, sizeof(msg) - 1) < 0 ||
        write(2, current_test, strlen(current_test)) < 0 ||
        write(2, "\n", 1) < 0) {
        /* nothing more to do */
    }
    _exit(1);
}

static CPUState *cpu_new(void)
{
    CPUState *cpu = calloc(1, sizeof(*cpu));

    assert_non_null(cpu);
    cpu->env = calloc(1, sizeof(*cpu->env));
    assert_non_null(cpu->env);
    return cpu;
}

static void cpu_free(CPUState *cpu)
{
    free(cpu->env);
    free(cpu);
}

static bool exit_requested(CPUState *cpu)
{
    return __atomic_load_n(&cpu->env->hdr.exit_request, __ATOMIC_ACQUIRE);
}

/* An exclusive section: nobody runs, no worker's count moves. */
static void check_exclusive_body(int spins)
{
    uint64_t before[NWORKERS];

    if (__atomic_fetch_add(&in_exclusive, 1, __ATOMIC_RELAXED) != 0) {
        violation("two exclusive sections at once");
    }
    for (int i = 0; i < nworkers; i++) {
        before[i] = __atomic_load_n(&workers[i].count, __ATOMIC_RELAXED);
    }
    for (int s = 0; s < spins; s++) {
        int n = __atomic_load_n(&inside, __ATOMIC_RELAXED);

        if (n != 0) {
            violation("%d worker(s) running during an exclusive section", n);
        }
        if ((s & 15) == 0) {
            sched_yield();
        }
    }
    for (int i = 0; i < nworkers; i++) {
        if (__atomic_load_n(&workers[i].count, __ATOMIC_RELAXED) != before[i]) {
            violation("worker %d ran during an exclusive section", i);
        }
    }
    __atomic_fetch_sub(&in_exclusive, 1, __ATOMIC_RELAXED);
}

static void do_exclusive(int spins)
{
    start_exclusive();
    check_exclusive_body(spins);
    end_exclusive();
}

static void *worker_thread(void *opaque)
{
    Worker *w = opaque;
    CPUState *cpu = w->cpu;

    current_cpu = cpu;
    cpu_list_add(cpu);
    __atomic_fetch_add(&started, 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        uint64_t n = 0;

        cpu_exec_start(cpu);
        __atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED);
        if (__atomic_load_n(&in_exclusive, __ATOMIC_RELAXED)) {
            violation("worker %d started during an exclusive section", w->idx);
        }
        /* "Run generated code" until kicked (or for a while). */
        while (!exit_requested(cpu)) {
            __atomic_store_n(&w->count, w->count + 1, __ATOMIC_RELAXED);
            if (++n == 200 && w->mode == RUN_BOUNDED) {
                break;
            }
            if ((n & 63) == 63) {
                sched_yield(); /* few cores: let the others go */
            }
        }
        if (exit_requested(cpu)) {
            /* As cpu_exec_loop: leave and clear the request. */
            __atomic_store_n(&cpu->env->hdr.exit_request, 0, __ATOMIC_RELAXED);
            w->kicked++;
        }
        __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
        cpu_exec_end(cpu);
        __atomic_store_n(&w->runs, w->runs + 1, __ATOMIC_RELAXED);
        /* Between runs, as the CPU loop's queued work: exclusive. */
        if (w->excl_every && w->runs % (uint64_t)w->excl_every == 0) {
            do_exclusive(8);
        }
    }
    cpu_list_remove(cpu);
    current_cpu = NULL;
    return NULL;
}

static void kick_one(CPUState *cpu, void *opaque)
{
    (void)opaque;
    cpu_exit(cpu);
}

/* Start @n workers in @mode and wait until each has run at least once. */
static void workers_start(int n, enum RunMode mode, int excl_every)
{
    int before = cpu_list_count();

    __atomic_store_n(&stop, false, __ATOMIC_RELAXED);
    __atomic_store_n(&started, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&inside, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&in_exclusive, 0, __ATOMIC_RELAXED);
    __atomic_store_n(&violations, 0, __ATOMIC_RELAXED);
    nworkers = n;
    /* All set up before any runs: workers look at each other's counts. */
    for (int i = 0; i < n; i++) {
        Worker *w = &workers[i];

        memset(w, 0, sizeof(*w));
        w->idx = i;
        w->mode = mode;
        w->excl_every = excl_every;
        w->cpu = cpu_new();
        w->cpu->cpu_index = 100 + i;
    }
    for (int i = 0; i < n; i++) {
        assert_int_equal(
            pthread_create(&workers[i].th, NULL, worker_thread, &workers[i]),
            0);
    }
    while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) < n) {
        sched_yield();
    }
    assert_int_equal(cpu_list_count(), before + n);
    for (int i = 0; i < n; i++) {
        while (__atomic_load_n(&workers[i].count, __ATOMIC_RELAXED) == 0) {
            sched_yield();
        }
    }
}

static void workers_stop(void)
{
    __atomic_store_n(&stop, true, __ATOMIC_RELEASE);
    /* Spinners only leave when kicked. */
    cpu_foreach_locked(kick_one, NULL);
    for (int i = 0; i < nworkers; i++) {
        pthread_join(workers[i].th, NULL);
    }
    for (int i = 0; i < nworkers; i++) {
        cpu_free(workers[i].cpu);
    }
    nworkers = 0;
    if (violations) {
        fail_msg("%u violation(s), first: %s", violations, violation_msg);
    }
}

/* Every worker runs again (after an exclusive section ended). */
static void wait_all_progress(void)
{
    uint64_t base[NWORKERS];

    for (int i = 0; i < nworkers; i++) {
        base[i] = __atomic_load_n(&workers[i].count, __ATOMIC_RELAXED);
    }
    for (int i = 0; i < nworkers; i++) {
        while (__atomic_load_n(&workers[i].count, __ATOMIC_RELAXED) ==
               base[i]) {
            sched_yield();
        }
    }
}

static int test_setup(void **state)
{
    (void)state;
    alarm(WATCHDOG_S);
    return 0;
}

static int test_teardown(void **state)
{
    (void)state;
    alarm(0);
    current_cpu = NULL;
    return 0;
}

/* ------------------------------------------------------------------ */

/* The main thread, not a vCPU (current_cpu NULL), against bounded runs. */
static void test_exclusive_excludes_running(void **state)
{
    (void)state;
    current_test = "excludes_running";
    workers_start(NWORKERS, RUN_BOUNDED, 0);
    for (int i = 0; i < 2000; i++) {
        do_exclusive(32);
        if (i % 100 == 0) {
            wait_all_progress(); /* workers do resume */
        }
    }
    workers_stop();
}

/* Spinning workers only stop when kicked: start_exclusive must kick. */
static void test_exclusive_kicks_spinners(void **state)
{
    uint64_t kicked = 0;

    (void)state;
    current_test = "kicks_spinners";
    workers_start(NWORKERS, RUN_UNTIL_KICK, 0);
    for (int i = 0; i < 400; i++) {
        do_exclusive(8);
        wait_all_progress();
    }
    workers_stop();
    for (int i = 0; i < NWORKERS; i++) {
        kicked += workers[i].kicked;
    }
    /* Every run ended by a kick (start_exclusive's or workers_stop's). */
    for (int i = 0; i < NWORKERS; i++) {
        assert_int_equal(workers[i].kicked, workers[i].runs);
    }
    assert_true(kicked >= 400);
}

/* Nesting: the inner end_exclusive does not let anyone run. */
static void test_exclusive_nesting(void **state)
{
    CPUState *self = cpu_new();

    (void)state;
    current_test = "nesting";
    current_cpu = self;
    cpu_list_add(self);
    workers_start(NWORKERS, RUN_UNTIL_KICK, 0);
    for (int i = 0; i < 200; i++) {
        start_exclusive();
        assert_int_equal(self->exclusive_context_count, 1);
        check_exclusive_body(8);
        start_exclusive();
        assert_int_equal(self->exclusive_context_count, 2);
        check_exclusive_body(8);
        end_exclusive();
        assert_int_equal(self->exclusive_context_count, 1);
        /* Still exclusive: give the workers every chance to run. */
        check_exclusive_body(64);
        end_exclusive();
        assert_int_equal(self->exclusive_context_count, 0);
        wait_all_progress();
    }
    /* The exclusive vCPU itself was never asked to leave. */
    assert_false(exit_requested(self));
    workers_stop();
    cpu_list_remove(self);
    cpu_free(self);
}

/* Two (non-vCPU) threads competing for exclusive sections. */
#define COMPETE_SECTIONS 1000

static void *competitor_thread(void *opaque)
{
    CPUState *self = opaque;

    current_cpu = self; /* a vCPU outside cpu_exec, as in the CPU loop */
    for (int i = 0; i < COMPETE_SECTIONS; i++) {
        start_exclusive();
        if (self->exclusive_context_count != 1) {
            violation("exclusive_context_count %d",
                      self->exclusive_context_count);
        }
        check_exclusive_body(16);
        end_exclusive();
    }
    current_cpu = NULL;
    return NULL;
}

static void test_exclusive_two_competitors(void **state)
{
    pthread_t th[2];
    CPUState *c[2] = {cpu_new(), cpu_new()};

    (void)state;
    current_test = "two_competitors";
    workers_start(NWORKERS - 2, RUN_BOUNDED, 0);
    for (int i = 0; i < 2; i++) {
        cpu_list_add(c[i]);
        assert_int_equal(pthread_create(&th[i], NULL, competitor_thread, c[i]),
                         0);
    }
    for (int i = 0; i < 2; i++) {
        pthread_join(th[i], NULL);
    }
    for (int i = 0; i < 2; i++) {
        cpu_list_remove(c[i]);
        cpu_free(c[i]);
    }
    wait_all_progress();
    workers_stop();
}

/* Every worker is also an exclusive thread between its runs (tb_flush). */
static void test_exclusive_workers_compete(void **state)
{
    uint64_t runs = 0;

    (void)state;
    current_test = "workers_compete";
    workers_start(NWORKERS, RUN_BOUNDED, 7);
    for (int i = 0; i < 1000; i++) {
        wait_all_progress();
    }
    /* The main thread joins in, with spinners being kicked meanwhile. */
    for (int i = 0; i < 500; i++) {
        do_exclusive(4);
    }
    wait_all_progress();
    workers_stop();
    for (int i = 0; i < NWORKERS; i++) {
        runs += workers[i].runs;
    }
    assert_true(runs >= 1000);
}

/* cpu_foreach_exclusive / cpu_foreach_locked visit every vCPU once. */
typedef struct Visit {
    int n;
    int seen[NWORKERS];
    CPUState *self;
    bool exclusive;
    int self_seen;
    int others;
} Visit;

static void visit(CPUState *cpu, void *opaque)
{
    Visit *v = opaque;

    v->n++;
    if (cpu == v->self) {
        v->self_seen++;
    } else if (cpu->cpu_index >= 100 && cpu->cpu_index < 100 + NWORKERS) {
        v->seen[cpu->cpu_index - 100]++;
        /*
         * Inside an exclusive section none of them runs (cpu->running may
         * still be set for a moment by a cpu_exec_start that backs off).
         */
        if (v->exclusive && __atomic_load_n(&inside, __ATOMIC_RELAXED)) {
            violation("cpu %d running during cpu_foreach_exclusive",
                      cpu->cpu_index);
        }
    } else {
        v->others++;
    }
}

static void check_visit(const Visit *v)
{
    for (int i = 0; i < NWORKERS; i++) {
        if (v->seen[i] != 1) {
            fail_msg("worker cpu %d visited %d times", i, v->seen[i]);
        }
    }
    assert_int_equal(v->self_seen, 1);
    assert_int_equal(v->others, 0);
    assert_int_equal(v->n, NWORKERS + 1);
}

static void test_exclusive_foreach_visits_all(void **state)
{
    CPUState *self = cpu_new();

    (void)state;
    current_test = "foreach_visits_all";
    current_cpu = self;
    cpu_list_add(self);
    workers_start(NWORKERS, RUN_BOUNDED, 0);
    assert_int_equal(cpu_list_count(), NWORKERS + 1);
    for (int i = 0; i < 20; i++) {
        Visit v;

        memset(&v, 0, sizeof(v));
        v.self = self;
        v.exclusive = true;
        start_exclusive();
        cpu_foreach_exclusive(visit, &v);
        end_exclusive();
        check_visit(&v);

        /* Locked: any context, with the workers running. */
        memset(&v, 0, sizeof(v));
        v.self = self;
        cpu_foreach_locked(visit, &v);
        check_visit(&v);
    }
    workers_stop();
    assert_int_equal(cpu_list_count(), 1);
    cpu_list_remove(self);
    assert_int_equal(cpu_list_count(), 0);
    cpu_free(self);
}

/* cpu_exec_start by a vCPU while another thread holds a section waits. */
static void *late_starter(void *opaque)
{
    CPUState *cpu = opaque;

    current_cpu = cpu;
    cpu_exec_start(cpu); /* must wait for end_exclusive */
    __atomic_fetch_add(&inside, 1, __ATOMIC_RELAXED);
    __atomic_fetch_sub(&inside, 1, __ATOMIC_RELAXED);
    cpu_exec_end(cpu);
    current_cpu = NULL;
    return NULL;
}

static void test_exclusive_blocks_exec_start(void **state)
{
    CPUState *cpu = cpu_new();
    pthread_t th;
    struct timespec ts = {0, 2000000};

    (void)state;
    current_test = "blocks_exec_start";
    __atomic_store_n(&inside, 0, __ATOMIC_RELAXED);
    nworkers = 0;
    cpu_list_add(cpu);
    start_exclusive();
    assert_int_equal(pthread_create(&th, NULL, late_starter, cpu), 0);
    for (int i = 0; i < 20; i++) {
        nanosleep(&ts, NULL);
        assert_int_equal(__atomic_load_n(&inside, __ATOMIC_RELAXED), 0);
    }
    /* It tried to start: at most it set running and backed off. */
    end_exclusive();
    pthread_join(th, NULL);
    assert_false(cpu->running);
    assert_false(cpu->has_waiter);
    cpu_list_remove(cpu);
    cpu_free(cpu);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_exclusive_excludes_running,
                                        test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_exclusive_kicks_spinners,
                                        test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_exclusive_nesting, test_setup,
                                        test_teardown),
        cmocka_unit_test_setup_teardown(test_exclusive_two_competitors,
                                        test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_exclusive_workers_compete,
                                        test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_exclusive_foreach_visits_all,
                                        test_setup, test_teardown),
        cmocka_unit_test_setup_teardown(test_exclusive_blocks_exec_start,
                                        test_setup, test_teardown),
    };

    signal(SIGALRM, watchdog);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
