/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Contended counters with exact totals, 8 threads: LR/SC loops (.w and
 * .d), every AMO (.w and .d), an amoswap spinlock, C11 atomics (including
 * 8- and 16-bit ones, which GCC builds from masked LR/SC loops) and a
 * pthread mutex.  Bit-pattern AMOs check the old values they return too.
 */
#include <stdatomic.h>
#include "stress.h"

#define NTHREADS 8
#define ITERS 150000

static SpinBarrier start;

/* LR/SC */
static int32_t lrsc_w;
static int64_t lrsc_d;
/* amoadd */
static int32_t add_w;
static int64_t add_d;
/* amoswap spinlocks protecting plain counters */
static int32_t lock_w;
static int64_t lock_d;
static volatile int64_t plain_w, plain_d;
/* bit patterns */
static uint32_t bits_w;
static uint64_t bits_d;
static uint32_t xor_w;
static uint64_t xor_d;
/* min/max */
static int32_t min_w = INT32_MAX, max_w = INT32_MIN;
static uint32_t minu_w = UINT32_MAX, maxu_w;
static int64_t min_d = INT64_MAX, max_d = INT64_MIN;
static uint64_t minu_d = UINT64_MAX, maxu_d;
/* C11 */
static _Atomic long c11_add;
static _Atomic int c11_cas;
static _Atomic uint8_t c11_u8;
static _Atomic uint16_t c11_u16;
static _Atomic long c11_sub = (long)NTHREADS * ITERS * 3;
static _Atomic uint64_t c11_or;
/* mutex */
static pthread_mutex_t mtx = PTHREAD_MUTEX_INITIALIZER;
static long mutex_count;

typedef struct {
    int id;
    int32_t lmin_w, lmax_w;
    uint32_t lminu_w, lmaxu_w;
    int64_t lmin_d, lmax_d;
    uint64_t lminu_d, lmaxu_d;
    int xor_count;
} Arg;

static inline void lrsc_add_w(int32_t *p, int32_t v)
{
    int32_t tmp, fail;
    __asm__ volatile("1: lr.w %0, (%2)\n"
                     "   addw %0, %0, %3\n"
                     "   sc.w %1, %0, (%2)\n"
                     "   bnez %1, 1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p), "r"(v)
                     : "memory");
}

static inline void lrsc_add_d(int64_t *p, int64_t v)
{
    int64_t tmp, fail;
    __asm__ volatile("1: lr.d.aq %0, (%2)\n"
                     "   add %0, %0, %3\n"
                     "   sc.d.rl %1, %0, (%2)\n"
                     "   bnez %1, 1b\n"
                     : "=&r"(tmp), "=&r"(fail)
                     : "r"(p), "r"(v)
                     : "memory");
}

#define AMO(insn, type, p, v)                                              \
    ({                                                                     \
        type old_;                                                         \
        __asm__ volatile(insn " %0, %2, (%1)"                              \
                         : "=r"(old_) : "r"(p), "r"(v) : "memory");        \
        old_;                                                              \
    })

static inline void spin_lock_w(int32_t *l)
{
    while (AMO("amoswap.w.aq", int32_t, l, 1) != 0) {
        while (__atomic_load_n(l, __ATOMIC_RELAXED)) {
            cpu_relax();
        }
    }
}

static inline void spin_unlock_w(int32_t *l)
{
    (void)AMO("amoswap.w.rl", int32_t, l, 0);
}

static inline void spin_lock_d(int64_t *l)
{
    unsigned spins = 0;
    while (AMO("amoswap.d.aqrl", int64_t, l, 1) != 0) {
        if (++spins % 64 == 0) {
            sched_yield();
        }
    }
}

static inline void spin_unlock_d(int64_t *l)
{
    __asm__ volatile("fence rw, w\n sd zero, (%0)" :: "r"(l) : "memory");
}

static void *worker(void *p)
{
    Arg *a = p;
    int id = a->id;
    int sense = 0;
    uint64_t rng = 0x9e3779b97f4a7c15ULL * (id + 1);
    uint32_t bw = 1u << (id * 3 + 1);           /* bits 1..22 */
    uint64_t bd = 1ull << (id * 7 + 5);         /* bits 5..54 */
    int xw = 0;

    a->lmin_w = INT32_MAX; a->lmax_w = INT32_MIN;
    a->lminu_w = UINT32_MAX; a->lmaxu_w = 0;
    a->lmin_d = INT64_MAX; a->lmax_d = INT64_MIN;
    a->lminu_d = UINT64_MAX; a->lmaxu_d = 0;

    spin_barrier_wait(&start, &sense);
    for (int i = 0; i < ITERS; i++) {
        lrsc_add_w(&lrsc_w, 3);
        lrsc_add_d(&lrsc_d, 0x100000001LL);
        (void)AMO("amoadd.w", int32_t, &add_w, 1);
        (void)AMO("amoadd.d.aqrl", int64_t, &add_d, 0x10000000000LL + 7);

        if (i % 4 == 0) {
            spin_lock_w(&lock_w);
            plain_w = plain_w + 1;
            spin_unlock_w(&lock_w);
            spin_lock_d(&lock_d);
            plain_d = plain_d + 2;
            spin_unlock_d(&lock_d);
        }

        /* Only this thread touches its bit: the old value tells whether
         * another thread's RMW lost our update. */
        uint32_t ow = AMO("amoor.w", uint32_t, &bits_w, bw);
        CHECK(!(ow & bw), "amoor.w: own bit already set (old %x)", ow);
        ow = AMO("amoand.w.aq", uint32_t, &bits_w, ~bw);
        CHECK(ow & bw, "amoand.w: own bit lost (old %x)", ow);
        uint64_t od = AMO("amoor.d.rl", uint64_t, &bits_d, bd);
        CHECK(!(od & bd), "amoor.d: own bit already set (old %llx)",
              (unsigned long long)od);
        od = AMO("amoand.d", uint64_t, &bits_d, ~bd);
        CHECK(od & bd, "amoand.d: own bit lost (old %llx)",
              (unsigned long long)od);
        ow = AMO("amoxor.w", uint32_t, &xor_w, bw);
        CHECK(!!(ow & bw) == xw, "amoxor.w: own bit %d, want %d",
              !!(ow & bw), xw);
        od = AMO("amoxor.d", uint64_t, &xor_d, bd);
        CHECK(!!(od & bd) == xw, "amoxor.d: own bit %d, want %d",
              !!(od & bd), xw);
        xw ^= 1;

        uint64_t r = rng_next(&rng);
        int32_t sw = (int32_t)r;
        uint32_t uw = (uint32_t)(r >> 32);
        int64_t sd = (int64_t)(r * 0x9E3779B97F4A7C15ULL);
        uint64_t ud = r ^ (r << 17);
        AMO("amomin.w", int32_t, &min_w, sw);
        AMO("amomax.w", int32_t, &max_w, sw);
        AMO("amominu.w", uint32_t, &minu_w, uw);
        AMO("amomaxu.w", uint32_t, &maxu_w, uw);
        AMO("amomin.d", int64_t, &min_d, sd);
        AMO("amomax.d", int64_t, &max_d, sd);
        AMO("amominu.d", uint64_t, &minu_d, ud);
        AMO("amomaxu.d", uint64_t, &maxu_d, ud);
        if (sw < a->lmin_w) a->lmin_w = sw;
        if (sw > a->lmax_w) a->lmax_w = sw;
        if (uw < a->lminu_w) a->lminu_w = uw;
        if (uw > a->lmaxu_w) a->lmaxu_w = uw;
        if (sd < a->lmin_d) a->lmin_d = sd;
        if (sd > a->lmax_d) a->lmax_d = sd;
        if (ud < a->lminu_d) a->lminu_d = ud;
        if (ud > a->lmaxu_d) a->lmaxu_d = ud;

        atomic_fetch_add_explicit(&c11_add, 5, memory_order_relaxed);
        int e = atomic_load_explicit(&c11_cas, memory_order_relaxed);
        while (!atomic_compare_exchange_weak(&c11_cas, &e, e + 1)) {
        }
        atomic_fetch_add(&c11_u8, 1);
        atomic_fetch_add_explicit(&c11_u16, 3, memory_order_acq_rel);
        atomic_fetch_sub(&c11_sub, 3);
        atomic_fetch_or(&c11_or, 1ull << ((id * 8 + i) % 64));

        if (i % 8 == 0) {
            pthread_mutex_lock(&mtx);
            mutex_count++;
            pthread_mutex_unlock(&mtx);
        }
    }
    a->xor_count = ITERS;
    return NULL;
}

int main(void)
{
    pthread_t t[NTHREADS];
    Arg args[NTHREADS];
    const long n = (long)NTHREADS * ITERS;

    spin_barrier_init(&start, NTHREADS);
    for (int i = 0; i < NTHREADS; i++) {
        args[i].id = i;
        xcreate(&t[i], worker, &args[i]);
    }
    for (int i = 0; i < NTHREADS; i++) {
        xjoin(t[i]);
    }

    int32_t emin_w = INT32_MAX, emax_w = INT32_MIN;
    uint32_t eminu_w = UINT32_MAX, emaxu_w = 0;
    int64_t emin_d = INT64_MAX, emax_d = INT64_MIN;
    uint64_t eminu_d = UINT64_MAX, emaxu_d = 0;
    uint32_t exor_w = 0;
    uint64_t exor_d = 0;
    for (int i = 0; i < NTHREADS; i++) {
        Arg *a = &args[i];
        if (a->lmin_w < emin_w) emin_w = a->lmin_w;
        if (a->lmax_w > emax_w) emax_w = a->lmax_w;
        if (a->lminu_w < eminu_w) eminu_w = a->lminu_w;
        if (a->lmaxu_w > emaxu_w) emaxu_w = a->lmaxu_w;
        if (a->lmin_d < emin_d) emin_d = a->lmin_d;
        if (a->lmax_d > emax_d) emax_d = a->lmax_d;
        if (a->lminu_d < eminu_d) eminu_d = a->lminu_d;
        if (a->lmaxu_d > emaxu_d) emaxu_d = a->lmaxu_d;
        if (a->xor_count & 1) {
            exor_w |= 1u << (i * 3 + 1);
            exor_d |= 1ull << (i * 7 + 5);
        }
    }

    int fails = 0;
#define EXPECT(name, got, want)                                            \
    do {                                                                   \
        long long g_ = (long long)(got), w_ = (long long)(want);           \
        if (g_ != w_) {                                                    \
            fprintf(stderr, "FAIL %s: got %lld (%#llx) want %lld (%#llx)\n",\
                    name, g_, g_, w_, w_);                                 \
            fails++;                                                       \
        }                                                                  \
        printf("%-10s %s\n", name, g_ == w_ ? "ok" : "WRONG");             \
    } while (0)

    EXPECT("lr/sc.w", lrsc_w, (int32_t)(n * 3));
    EXPECT("lr/sc.d", lrsc_d, n * 0x100000001LL);
    EXPECT("amoadd.w", add_w, (int32_t)n);
    EXPECT("amoadd.d", add_d, n * (0x10000000000LL + 7));
    EXPECT("lock.w", plain_w, n / 4);
    EXPECT("lock.d", plain_d, n / 4 * 2);
    EXPECT("amoor/and.w", bits_w, 0);
    EXPECT("amoor/and.d", bits_d, 0);
    EXPECT("amoxor.w", xor_w, exor_w);
    EXPECT("amoxor.d", xor_d, exor_d);
    EXPECT("amomin.w", min_w, emin_w);
    EXPECT("amomax.w", max_w, emax_w);
    EXPECT("amominu.w", minu_w, eminu_w);
    EXPECT("amomaxu.w", maxu_w, emaxu_w);
    EXPECT("amomin.d", min_d, emin_d);
    EXPECT("amomax.d", max_d, emax_d);
    EXPECT("amominu.d", minu_d, eminu_d);
    EXPECT("amomaxu.d", maxu_d, emaxu_d);
    EXPECT("c11 add", c11_add, n * 5);
    EXPECT("c11 cas", c11_cas, (int)n);
    EXPECT("c11 u8", c11_u8, (uint8_t)n);
    EXPECT("c11 u16", c11_u16, (uint16_t)(n * 3));
    EXPECT("c11 sub", c11_sub, 0);
    EXPECT("c11 or", c11_or, ~0ull);
    EXPECT("mutex", mutex_count, n / 8);
    printf("atomics: %d threads x %d iterations: %s\n", NTHREADS, ITERS,
           fails ? "FAILED" : "OK");
    return fails ? 1 : 0;
}
