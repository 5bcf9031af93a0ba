/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * V extension, self-checking: <riscv_vector.h> intrinsics and loops that
 * clang-19 -O3 -march=rv64gcv auto-vectorises, each checked against the
 * same computation in scalar code; a fault-only-first load trimmed at an
 * unreadable page; a unit-stride load faulting on its first element
 * (SIGSEGV with si_addr and the PC of the load); a store faulting on its
 * third element (SEGV_ACCERR, vstart in the handler); vlenb; four threads
 * running vector code with different vtypes at once.  With the
 * argument "hwcap", only checks that AT_HWCAP has the V bit.
 * Prints one line per check; run-vector.sh compares the output with
 * qemu-riscv64's under the same -cpu.
 */
#include <riscv_vector.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#define N 257

static int failures;

static void check(const char *what, int ok)
{
    printf("%s: %s\n", what, ok ? "ok" : "FAIL");
    failures += !ok;
}

static int32_t a32[N], b32[N], c32[N];
static int64_t d64[N];
static int16_t s16[N];
static uint8_t u8[3 * N];

static void fill(void)
{
    uint32_t x = 12345;

    for (int i = 0; i < N; i++) {
        x = x * 1103515245 + 12345;
        a32[i] = (int32_t)x;
        x = x * 1103515245 + 12345;
        b32[i] = (int32_t)(x >> 3) | 1;
    }
    for (int i = 0; i < 3 * N; i++) {
        u8[i] = (uint8_t)(i * 7 + 3);
    }
}

/* Intrinsics: stripmined arithmetic with masks and a reduction. */
static void test_intrinsics(void)
{
    int64_t sum = 0, vsum = 0;
    int ok = 1;
    size_t vl;

    for (size_t i = 0, n = N; n > 0; i += vl, n -= vl) {
        vl = __riscv_vsetvl_e32m2(n);
        vint32m2_t a = __riscv_vle32_v_i32m2(a32 + i, vl);
        vint32m2_t b = __riscv_vle32_v_i32m2(b32 + i, vl);
        vbool16_t lt = __riscv_vmslt_vv_i32m2_b16(a, b, vl);
        vint32m2_t m = __riscv_vmerge_vvm_i32m2(a, b, lt, vl); /* max */
        vint32m2_t q = __riscv_vdiv_vv_i32m2(a, b, vl);
        vint32m2_t r =
            __riscv_vadd_vv_i32m2(__riscv_vmul_vv_i32m2(q, b, vl),
                                  __riscv_vrem_vv_i32m2(a, b, vl), vl);
        vint64m4_t w = __riscv_vwadd_vv_i64m4(a, b, vl);
        vint64m1_t s =
            __riscv_vwredsum_vs_i32m2_i64m1(m, __riscv_vmv_s_x_i64m1(0, 1), vl);

        __riscv_vse32_v_i32m2(c32 + i, m, vl);
        __riscv_vse64_v_i64m4(d64 + i, w, vl);
        vsum += __riscv_vmv_x_s_i64m1_i64(s);
        ok &=
            __riscv_vcpop_m_b16(__riscv_vmsne_vv_i32m2_b16(r, a, vl), vl) == 0;
    }
    for (int i = 0; i < N; i++) {
        int32_t mx = a32[i] < b32[i] ? b32[i] : a32[i];

        ok &= c32[i] == mx && d64[i] == (int64_t)a32[i] + b32[i];
        sum += mx;
    }
    check("intrinsics arith/merge/div/widen", ok);
    check("intrinsics vwredsum", sum == vsum);
}

/* Strided, segment, indexed loads; narrowing; saturating add. */
static void test_memory_forms(void)
{
    uint8_t seg0[N], seg1[N], seg2[N], gat[N], out[N];
    uint8_t idx[N];
    int ok = 1;
    size_t vl;

    for (int i = 0; i < N; i++) {
        idx[i] = (uint8_t)(i * 13 % N % 200);
    }
    for (size_t i = 0, n = N; n > 0; i += vl, n -= vl) {
        vl = __riscv_vsetvl_e8m1(n);
        vuint8m1x3_t t = __riscv_vlseg3e8_v_u8m1x3(u8 + 3 * i, vl);
        vuint8m1_t st = __riscv_vlse8_v_u8m1(u8 + 3 * i + 1, 3, vl);
        vuint8m1_t ix = __riscv_vle8_v_u8m1(idx + i, vl);
        vuint8m1_t g = __riscv_vluxei8_v_u8m1(u8, ix, vl);
        vuint8m1_t sat =
            __riscv_vsaddu_vv_u8m1(__riscv_vget_v_u8m1x3_u8m1(t, 0), g, vl);

        __riscv_vse8_v_u8m1(seg0 + i, __riscv_vget_v_u8m1x3_u8m1(t, 0), vl);
        __riscv_vse8_v_u8m1(seg1 + i, st, vl);
        __riscv_vse8_v_u8m1(seg2 + i, __riscv_vget_v_u8m1x3_u8m1(t, 2), vl);
        __riscv_vse8_v_u8m1(gat + i, g, vl);
        __riscv_vse8_v_u8m1(out + i, sat, vl);
    }
    for (int i = 0; i < N; i++) {
        unsigned s = seg0[i] + u8[idx[i]];

        ok &= seg0[i] == u8[3 * i] && seg1[i] == u8[3 * i + 1] &&
              seg2[i] == u8[3 * i + 2] && gat[i] == u8[idx[i]] &&
              out[i] == (s > 255 ? 255 : s);
    }
    check("segment/strided/indexed loads, vsaddu", ok);
    for (size_t i = 0, n = N; n > 0; i += vl, n -= vl) {
        vl = __riscv_vsetvl_e32m4(n);
        vint32m4_t a = __riscv_vle32_v_i32m4(a32 + i, vl);
        __riscv_vse16_v_i16m2(s16 + i, __riscv_vnsra_wx_i16m2(a, 7, vl), vl);
    }
    ok = 1;
    for (int i = 0; i < N; i++) {
        ok &= s16[i] == (int16_t)(a32[i] >> 7);
    }
    check("vnsra", ok);
}

/* Auto-vectorised loops (clang -O3 -march=rv64gcv). */
__attribute__((noinline)) static void saxpy(int n, int32_t k, const int32_t *x,
                                            int32_t *y)
{
    for (int i = 0; i < n; i++) {
        y[i] = k * x[i] + y[i];
    }
}

__attribute__((noinline)) static int64_t dot(int n, const int32_t *x,
                                             const int32_t *y)
{
    int64_t s = 0;

    for (int i = 0; i < n; i++) {
        s += (int64_t)x[i] * y[i];
    }
    return s;
}

__attribute__((noinline)) static int count_if(int n, const uint8_t *p)
{
    int c = 0;

    for (int i = 0; i < n; i++) {
        c += p[i] > 100 && (p[i] & 3) != 0;
    }
    return c;
}

__attribute__((noinline)) static void fsaxpy(int n, double k, const float *x,
                                             double *y)
{
    for (int i = 0; i < n; i++) {
        y[i] = k * x[i] + y[i];
    }
}

__attribute__((noinline)) static float fsum(int n, const float *x)
{
    float s = 0;

    for (int i = 0; i < n; i++) {
        s += x[i]; /* in order: vfredosum */
    }
    return s;
}

static void test_autovec_fp(void)
{
    static float x[N];
    static double y[N], y0[N];
    float s = 0;
    size_t vl;
    int ok = 1;

    for (int i = 0; i < N; i++) {
        x[i] = (float)a32[i] / (float)(b32[i] | 1);
        y[i] = y0[i] = (double)b32[i] / 3.0;
    }
    fsaxpy(N, 1.25, x, y);
    for (int i = 0; i < N; i++) {
        y0[i] = 1.25 * x[i] + y0[i];
        s += x[i];
    }
    check("fp loop: widening fma", memcmp(y, y0, sizeof(y)) == 0);
    check("fp loop: ordered sum", fsum(N, x) == s);
    for (size_t i = 0, n = N; n > 0; i += vl, n -= vl) {
        vl = __riscv_vsetvl_e32m1(n);
        vfloat32m1_t v = __riscv_vle32_v_f32m1(x + i, vl);
        vint32m1_t c = __riscv_vfcvt_x_f_v_i32m1(v, vl);
        vbool32_t neg = __riscv_vmflt_vf_f32m1_b32(v, 0.0f, vl);

        v = __riscv_vfsqrt_v_f32m1(__riscv_vfabs_v_f32m1(v, vl), vl);
        for (size_t j = 0; j < vl; j++) {
            float e = __builtin_sqrtf(__builtin_fabsf(x[i + j]));
            int32_t ci = __riscv_vmv_x_s_i32m1_i32(
                __riscv_vslidedown_vx_i32m1(c, j, vl));
            float vj = __riscv_vfmv_f_s_f32m1_f32(
                __riscv_vslidedown_vx_f32m1(v, j, vl));

            ok &= vj == e && ci == (int32_t)__builtin_rintf(x[i + j]);
        }
        ok &= __riscv_vcpop_m_b32(neg, vl) ==
              (unsigned)__riscv_vcpop_m_b32(
                  __riscv_vmflt_vf_f32m1_b32(__riscv_vle32_v_f32m1(x + i, vl),
                                             0.0f, vl),
                  vl);
    }
    check("fp intrinsics sqrt/cvt/compare", ok);
}

static void test_autovec(void)
{
    int32_t y[N], y0[N];
    int64_t s = 0;
    int c = 0;

    memcpy(y, b32, sizeof(y));
    memcpy(y0, b32, sizeof(y));
    saxpy(N, 7, a32, y);
    for (int i = 0; i < N; i++) {
        y0[i] = (int32_t)((uint32_t)7 * (uint32_t)a32[i] + (uint32_t)y0[i]);
        s += (int64_t)a32[i] * b32[i];
        c += u8[i] > 100 && (u8[i] & 3) != 0;
    }
    check("autovec saxpy", memcmp(y, y0, sizeof(y)) == 0);
    check("autovec dot", dot(N, a32, b32) == s);
    check("autovec count_if", count_if(N, u8) == c);
}

/*
 * Threads: each runs a vector loop with its own SEW/LMUL and vl many
 * times while the others do; the vector state is per thread.
 */
static void *vthread(void *arg)
{
    long id = (long)arg, bad = 0;

    for (int rep = 0; rep < 300; rep++) {
        uint64_t sum = 0, want = 0;
        size_t vl;

        for (size_t i = 0, n = N; n > 0; i += vl, n -= vl) {
            if (id & 1) {
                vl = __riscv_vsetvl_e8m1(n);
                vuint16m2_t w = __riscv_vwaddu_vx_u16m2(
                    __riscv_vle8_v_u8m1(u8 + i, vl), (uint8_t)id, vl);
                sum +=
                    __riscv_vmv_x_s_u32m1_u32(__riscv_vwredsumu_vs_u16m2_u32m1(
                        w, __riscv_vmv_s_x_u32m1(0, 1), vl));
            } else {
                vl = __riscv_vsetvl_e32m4(n);
                vint32m4_t a = __riscv_vle32_v_i32m4(a32 + i, vl);
                vint32m4_t b = __riscv_vadd_vx_i32m4(a, (int32_t)id, vl);
                sum += (uint32_t)__riscv_vmv_x_s_i32m1_i32(
                    __riscv_vredxor_vs_i32m4_i32m1(
                        b, __riscv_vmv_s_x_i32m1(0, 1), vl));
            }
        }
        for (size_t i = 0, n = N; n > 0; i += vl, n -= vl) {
            uint32_t x = 0;

            vl = id & 1 ? __riscv_vsetvlmax_e8m1() : __riscv_vsetvlmax_e32m4();
            vl = vl < n ? vl : n;
            for (size_t j = i; j < i + vl; j++) {
                want += id & 1 ? u8[j] + (uint64_t)id : 0;
                x ^= (uint32_t)(a32[j] + (int32_t)id);
            }
            want += id & 1 ? 0 : x;
        }
        bad += sum != want;
    }
    return (void *)bad;
}

static void test_threads(void)
{
    pthread_t t[4];
    long bad = 0;

    for (long i = 0; i < 4; i++) {
        pthread_create(&t[i], NULL, vthread, (void *)(i + 1));
    }
    for (int i = 0; i < 4; i++) {
        void *r;

        pthread_join(t[i], &r);
        bad += (long)r;
    }
    check("4 threads with their own vtype and registers", bad == 0);
}

static sigjmp_buf jb;
static volatile uintptr_t fault_addr, fault_pc, load_pc, fault_vstart;
static volatile int fault_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    asm volatile("csrr %0, vstart" : "=r"(fault_vstart));
    fault_pc = ((ucontext_t *)uc)->uc_mcontext.__gregs[0];
    siglongjmp(jb, 1);
}

/* vle8ff at the end of a readable page; a plain vle faulting. */
static void test_faults(void)
{
    long pg = sysconf(_SC_PAGESIZE);
    uint8_t *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    struct sigaction sa;
    size_t vl, got;

    if (p == MAP_FAILED) {
        check("mmap", 0);
        return;
    }
    memset(p, 5, pg);
    mprotect(p + pg, pg, PROT_NONE);
    vl = __riscv_vsetvl_e8m8(1000); /* VLMAX */
    vuint8m8_t v = __riscv_vle8ff_v_u8m8(p + pg - 5, &got, vl);
    check("vle8ff trims vl at the unreadable page",
          got == (vl < 5 ? vl : 5) && __riscv_vmv_x_s_u8m8_u8(v) == 5);

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(jb, 1) == 0) {
        asm volatile("lla t0, 1f\n\t"
                     "sd t0, 0(%1)\n\t"
                     "vsetivli zero, 4, e32, m1, ta, ma\n\t"
                     "1: vle32.v v8, (%0)"
                     :
                     : "r"(p + pg - 8), "r"(&load_pc)
                     : "memory", "t0");
        check("vle32 across into an unreadable page faults", 0);
    } else {
        check("vle32 fault: si_addr", fault_addr == (uintptr_t)(p + pg));
        check("vle32 fault: pc", fault_pc == load_pc);
    }
    /* A store whose third element is on a read-only page. */
    mprotect(p + pg, pg, PROT_READ);
    if (sigsetjmp(jb, 1) == 0) {
        uint32_t src[4] = {1, 2, 3, 4};

        asm volatile("vsetivli zero, 4, e32, m1, ta, ma\n\t"
                     "vle32.v v8, (%1)\n\t"
                     "vse32.v v8, (%0)"
                     :
                     : "r"(p + pg - 8), "r"(src)
                     : "memory");
        check("vse32 into a read-only page faults", 0);
    } else {
        asm volatile("csrw vstart, zero");
        check("vse32 fault: SEGV_ACCERR at the page",
              fault_code == SEGV_ACCERR && fault_addr == (uintptr_t)(p + pg));
        printf("vse32 fault: vstart %lu, stored %u %u\n",
               (unsigned long)fault_vstart, ((uint32_t *)(p + pg))[-2],
               ((uint32_t *)(p + pg))[-1]);
    }
    /*
     * Whole groups in one page at VLMAX (ctcg: SSE moves straight from and
     * to guest memory): a load from an unreadable page and a store into a
     * read-only one fault at the page's first byte, nothing stored.
     */
    mprotect(p + pg, pg, PROT_NONE);
    if (sigsetjmp(jb, 1) == 0) {
        asm volatile("lla t0, 1f\n\t"
                     "sd t0, 0(%1)\n\t"
                     "vsetvli t1, zero, e32, m2, ta, ma\n\t"
                     "1: vle32.v v8, (%0)"
                     :
                     : "r"(p + pg), "r"(&load_pc)
                     : "memory", "t0", "t1");
        check("vle32 m2 from an unreadable page faults", 0);
    } else {
        check("vle32 m2 fault: si_addr and pc",
              fault_addr == (uintptr_t)(p + pg) && fault_pc == load_pc);
    }
    mprotect(p + pg, pg, PROT_READ);
    if (sigsetjmp(jb, 1) == 0) {
        asm volatile("vsetvli t1, zero, e8, m1, ta, ma\n\t"
                     "vle8.v v8, (%1)\n\t"
                     "vse8.v v8, (%0)"
                     :
                     : "r"(p + pg + 64), "r"(p)
                     : "memory", "t1");
        check("vse8 m1 into a read-only page faults", 0);
    } else {
        asm volatile("csrw vstart, zero");
        check("vse8 m1 fault: SEGV_ACCERR at its first byte, vstart 0, "
              "nothing stored",
              fault_code == SEGV_ACCERR &&
                  fault_addr == (uintptr_t)(p + pg + 64) && fault_vstart == 0 &&
                  p[pg + 64] == 0);
    }
    munmap(p, 2 * pg);
}

int main(int argc, char **argv)
{
    unsigned long vlenb;

    if (argc > 1 && !strcmp(argv[1], "hwcap")) {
        /* Linux sets it; qemu-riscv64 7.2 does not: not compared. */
        check("AT_HWCAP has V", (getauxval(AT_HWCAP) >> ('V' - 'A')) & 1);
        return failures != 0;
    }
    asm volatile("csrr %0, vtype" : "=r"(vlenb));
    printf("initial vtype %#lx\n", vlenb); /* vill, as QEMU's reset */
    fill();
    asm volatile("csrr %0, vlenb" : "=r"(vlenb));
    printf("vlenb %lu\n", vlenb);
    test_intrinsics();
    test_memory_forms();
    test_autovec();
    test_autovec_fp();
    test_faults();
    test_threads();
    printf("%s\n", failures ? "FAILED" : "PASSED");
    return failures != 0;
}
