/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Threads created and joined in waves: 10 waves of 24 threads, some with
 * their own stack size, some detached, some creating a child of their
 * own; 64 threads alive at once in the last wave.  Every thread does a
 * little work whose result is checked.
 */
#include <sys/syscall.h>
#include <unistd.h>
#include "stress.h"

#define WAVES 10
#define PER_WAVE 24
#define BIG_WAVE 64

typedef struct {
    int wave, idx;
    uint64_t result;
    long tid;
    int nested;
} Work;

static uint64_t work_fn(int wave, int idx)
{
    uint64_t s = (uint64_t)wave * 1000003 + idx + 1, acc = 0;

    for (int i = 0; i < 2000; i++) {
        acc += rng_next(&s) >> 7;
    }
    return acc;
}

static void *child_main(void *arg)
{
    Work *w = arg;
    return (void *)(uintptr_t)(work_fn(w->wave + 100, w->idx) & 0xffffff);
}

static void *thread_main(void *arg)
{
    Work *w = arg;

    w->tid = syscall(SYS_gettid);
    w->result = work_fn(w->wave, w->idx);
    if (w->nested) {
        pthread_t c;
        xcreate(&c, child_main, w);
        uintptr_t r = (uintptr_t)xjoin(c);
        CHECK(r == (work_fn(w->wave + 100, w->idx) & 0xffffff),
              "nested child result");
        w->result ^= r;
    }
    return (void *)(uintptr_t)(w->idx + 1);
}

static int detached_done;
static pthread_mutex_t det_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t det_cond = PTHREAD_COND_INITIALIZER;

static void *detached_main(void *arg)
{
    Work *w = arg;

    w->result = work_fn(w->wave, w->idx);
    pthread_mutex_lock(&det_lock);
    detached_done++;
    pthread_cond_signal(&det_cond);
    pthread_mutex_unlock(&det_lock);
    return NULL;
}

static void run_wave(int wave, int n, int *total)
{
    pthread_t t[BIG_WAVE];
    Work w[BIG_WAVE];
    pthread_attr_t attr;
    int ndet = 0;

    memset(w, 0, sizeof(w));
    pthread_attr_init(&attr);
    /* Odd waves: small explicit stacks. */
    if (wave & 1) {
        CHECK_ERR(pthread_attr_setstacksize(&attr, 64 * 1024), "stacksize");
    }
    for (int i = 0; i < n; i++) {
        w[i].wave = wave;
        w[i].idx = i;
        w[i].nested = (wave % 3 == 2) && (i % 4 == 0);
        if (wave % 4 == 3 && i % 6 == 5) {
            pthread_attr_t d;
            pthread_attr_init(&d);
            pthread_attr_setdetachstate(&d, PTHREAD_CREATE_DETACHED);
            CHECK_ERR(pthread_create(&t[i], &d, detached_main, &w[i]),
                      "pthread_create detached");
            pthread_attr_destroy(&d);
            ndet++;
        } else {
            CHECK_ERR(pthread_create(&t[i], &attr, thread_main, &w[i]),
                      "pthread_create");
        }
        (*total)++;
    }
    for (int i = 0; i < n; i++) {
        if (wave % 4 == 3 && i % 6 == 5) {
            continue;
        }
        uintptr_t r = (uintptr_t)xjoin(t[i]);
        CHECK(r == (uintptr_t)i + 1, "wave %d thread %d returned %lu",
              wave, i, (unsigned long)r);
        if (w[i].nested) {
            (*total)++;
        }
    }
    pthread_mutex_lock(&det_lock);
    while (detached_done < ndet) {
        pthread_cond_wait(&det_cond, &det_lock);
    }
    detached_done = 0;
    pthread_mutex_unlock(&det_lock);
    pthread_attr_destroy(&attr);

    long self = syscall(SYS_gettid);
    for (int i = 0; i < n; i++) {
        uint64_t want = work_fn(wave, i);
        if (w[i].nested) {
            want ^= work_fn(wave + 100, i) & 0xffffff;
        }
        CHECK(w[i].result == want, "wave %d thread %d: result %llx want %llx",
              wave, i, (unsigned long long)w[i].result,
              (unsigned long long)want);
        if (!(wave % 4 == 3 && i % 6 == 5)) {
            CHECK(w[i].tid > 0 && w[i].tid != self, "tid %ld", w[i].tid);
            for (int j = 0; j < i; j++) {
                if (!(wave % 4 == 3 && j % 6 == 5)) {
                    CHECK(w[i].tid != w[j].tid, "duplicate tid %ld",
                          w[i].tid);
                }
            }
        }
    }
}

int main(void)
{
    int total = 0;

    for (int wave = 0; wave < WAVES; wave++) {
        run_wave(wave, PER_WAVE, &total);
    }
    run_wave(WAVES, BIG_WAVE, &total);
    printf("threads-waves: %d waves, %d threads: OK\n", WAVES + 1, total);
    return 0;
}
