/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Faults in the middle of indexed, strided and segment loads and stores
 * (issue 17; vector_fast2.c does them element by element): a mapped page
 * followed by an unmapped one, and an access whose element F is the first
 * to reach the unmapped page.  The SIGSEGV must come with si_addr the
 * first unmapped byte touched (SEGV_MAPERR), vstart F after it, the
 * elements (and, for segments, the fields of element F) before it done and
 * nothing after it.  A masked access whose only faulting elements are
 * inactive completes.  Self-checking (WRONG lines, exit 1), and the
 * output is compared with qemu-riscv64 (run-vector.sh fault).
 * Built with clang-19 -march=rv64gcv.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf jb;
static volatile uintptr_t fault_addr;
static volatile int fault_code;
static uint8_t *page; /* mapped; page + 4096 is not */
static uint8_t regs[8 * 128];
static uint16_t idx16[64];
static uint32_t idx32[64];
static int failed;

static volatile uint64_t fault_a[4]; /* a0..a3 at the fault */

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    const ucontext_t *u = uc;

    (void)sig;
    fault_addr = (uintptr_t)si->si_addr;
    fault_code = si->si_code;
    for (int i = 0; i < 4; i++) {
        fault_a[i] = u->uc_mcontext.__gregs[10 + i];
    }
    siglongjmp(jb, 1);
}

/*
 * A hot loop of whole-register loads walking into the hole (session 11:
 * in a loop TB the generated load does not store the guest registers the
 * loop keeps in host registers first; a fault takes them from the host
 * registers): the handler must see a0 (trips done), a1 (the address) and
 * a3 (trips left) as they were at the faulting load (si_addr: the hole's
 * first byte; above VLEN 128 the load crossing into it is the helper's).
 */
static void hot_loop_fault(void)
{
    unsigned long vlenb;
    int ok;

    asm volatile("csrr %0, vlenb" : "=r"(vlenb));
    if (!sigsetjmp(jb, 1)) {
        asm volatile("mv a0, zero\n\tmv a1, %0\n\tli a2, 16\n\t"
                     "li a3, 1000\n"
                     "1:\tvl1re8.v v8, (a1)\n\t"
                     "addi a0, a0, 1\n\t"
                     "add a1, a1, a2\n\t"
                     "addi a3, a3, -1\n\t"
                     "bnez a3, 1b" ::"r"(page)
                     : "a0", "a1", "a2", "a3", "memory");
    }
    ok = fault_a[1] == (uintptr_t)page + 16 * fault_a[0] &&
         fault_a[3] == 1000 - fault_a[0] && fault_a[2] == 16 &&
         fault_a[1] + vlenb > (uintptr_t)page + 4096 &&
         fault_addr == (uintptr_t)page + 4096;
    printf("%s hot_loop a0=%llu a1=page+%lld a3=%llu\n", ok ? "ok" : "WRONG",
           (unsigned long long)fault_a[0],
           (long long)(fault_a[1] - (uintptr_t)page),
           (unsigned long long)fault_a[3]);
    failed |= !ok;
}

/*
 * Vector accesses at an address beyond the guest space (session 11: the
 * SSE forms' range check is part of the generated access, in a loop TB
 * against the mask the TB keeps in a register): SIGSEGV with si_addr that
 * address (SEGV_MAPERR) and a0 (trips done) as at the access, at the
 * first trip (plain TBs) and after 300 trips of a hot loop (a loop TB).
 * Each trip accesses page, the faulting one FAR_ADDR; vstart is cleared
 * first (hot_loop_fault's last fault may leave it nonzero above VLEN 128).
 */
#define FAR_ADDR (1ull << 46)
#define FAR_LOOP(setup, insn)                                         \
    asm volatile("csrw vstart, zero\n\t" setup                        \
                 "\n\tmv a0, zero\n\tmv a1, %0\n\tmv a2, %1\n\t"      \
                 "mv a3, %2\n\taddi t1, a3, 10\n"                     \
                 "1:\tsltu t0, a0, a3\n\taddi t0, t0, -1\n\t"         \
                 "and t0, t0, a2\n\tadd t0, t0, a1\n\t" insn          \
                 "\n\taddi a0, a0, 1\n\tbltu a0, t1, 1b" ::"r"(page), \
                 "r"(FAR_ADDR - (uintptr_t)page), "r"(trips)          \
                 : "a0", "a1", "a2", "a3", "t0", "t1", "memory")

static void far_fault(const char *name, int kind, unsigned long trips)
{
    int ok;

    fault_addr = 0;
    fault_code = 0;
    fault_a[0] = ~0ull;
    if (!sigsetjmp(jb, 1)) {
        switch (kind) {
        case 0:
            FAR_LOOP("", "vl1re8.v v8, (t0)");
            break;
        case 1:
            FAR_LOOP("", "vs1r.v v8, (t0)");
            break;
        case 2:
            FAR_LOOP("vsetvli t0, zero, e32, m1, ta, ma", "vle32.v v8, (t0)");
            break;
        default:
            FAR_LOOP("vsetvli t0, zero, e32, m2, ta, ma", "vse32.v v8, (t0)");
            break;
        }
    }
    ok = fault_addr == FAR_ADDR && fault_code == SEGV_MAPERR &&
         fault_a[0] == trips;
    printf("%s far %s trips=%lu a0=%lld code=%d\n", ok ? "ok" : "WRONG", name,
           trips, (long long)fault_a[0], fault_code);
    failed |= !ok;
}

static uint64_t fnv(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint64_t h = 0xcbf29ce484222325ull;

    for (size_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * 0x100000001b3ull;
    }
    return h;
}

/* The destination v8..v15, filled with a pattern before each case. */
static void fill_dest(void)
{
    static const uint8_t pat[8 * 128] = {[0 ... 8 * 128 - 1] = 0xa5};

    asm volatile("vsetvli t0, zero, e8, m8, ta, ma\n\t"
                 "vle8.v v8, (%0)" ::"r"(pat)
                 : "t0", "memory");
}

static void save_dest(void)
{
    asm volatile("vs8r.v v8, (%0)" ::"r"(regs) : "memory");
}

static unsigned long vstart(void)
{
    unsigned long v;

    asm volatile("csrr %0, vstart" : "=r"(v));
    return v;
}

/*
 * Report a case: @want_f the faulting element (-1: none), @want_off the
 * expected si_addr - page.
 */
static void check(const char *name, int faulted, long want_f, long want_off)
{
    unsigned long vs = vstart();
    long off = faulted ? (long)(fault_addr - (uintptr_t)page) : -1;
    int ok;

    asm volatile("csrw vstart, zero");
    save_dest();
    ok = want_f < 0 ? !faulted && vs == 0
                    : faulted && vs == (unsigned long)want_f &&
                          off == want_off && fault_code == SEGV_MAPERR;
    printf("%s %s vstart=%lu off=%ld code=%d regs=%016llx page=%016llx\n",
           ok ? "ok" : "WRONG", name, vs, off, faulted ? fault_code : 0,
           (unsigned long long)fnv(regs, sizeof(regs)),
           (unsigned long long)fnv(page, 4096));
    failed |= !ok;
}

#define RUN(name, want_f, want_off, setvl, text, ...)          \
    do {                                                       \
        int faulted_;                                          \
                                                               \
        fill_dest();                                           \
        asm volatile(setvl ::: "t0");                          \
        faulted_ = sigsetjmp(jb, 1);                           \
        if (!faulted_) {                                       \
            asm volatile(text ::__VA_ARGS__ : "t0", "memory"); \
        }                                                      \
        check(name, faulted_, want_f, want_off);               \
    } while (0)

int main(void)
{
    struct sigaction sa;
    uint8_t *map;

    setvbuf(stdout, NULL, _IOLBF, 0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &sa, NULL);
    map = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
               -1, 0);
    if (map == MAP_FAILED || munmap(map + 4096, 4096)) {
        perror("mmap");
        return 1;
    }
    page = map;
    for (int i = 0; i < 4096; i++) {
        page[i] = (uint8_t)(i * 7 + 1);
    }

    /* vluxei32 at e32: elements 0..4 in the page, 5 at page + 4096 + 16 */
    for (int i = 0; i < 64; i++) {
        idx32[i] = i < 5 ? 8u * i : i == 5 ? 4096 + 16 : 0;
    }
    asm volatile(
        "vsetivli t0, 8, e32, m2, ta, mu\n\tvle32.v v16, (%0)" ::"r"(idx32)
        : "t0", "memory");
    RUN("vluxei32", 5, 4096 + 16, "vsetivli t0, 8, e32, m2, ta, mu",
        "vluxei32.v v8, (%0), v16", "r"(page));
    RUN("vloxei32", 5, 4096 + 16, "vsetivli t0, 8, e32, m2, ta, mu",
        "vloxei32.v v8, (%0), v16", "r"(page));
    /* masked: element 5 (the faulting one) inactive, v0 = 0b11011111 */
    asm volatile("vsetivli t0, 8, e8, m1, ta, mu\n\tli t0, 0xdf\n\t"
                 "vmv.s.x v0, t0" ::
                     : "t0");
    RUN("vluxei32_m", -1, 0, "vsetivli t0, 8, e32, m2, ta, mu",
        "vluxei32.v v8, (%0), v16, v0.t", "r"(page));

    /* vsoxei16 at e64: element 3 at page + 4096 */
    for (int i = 0; i < 64; i++) {
        idx16[i] = i < 3 ? 64 * i + 8 : i == 3 ? 4096 : 0;
    }
    asm volatile(
        "vsetivli t0, 8, e16, m1, ta, mu\n\tvle16.v v16, (%0)" ::"r"(idx16)
        : "t0", "memory");
    RUN("vsoxei16", 3, 4096, "vsetivli t0, 6, e64, m4, ta, mu",
        "vid.v v8\n\tvsoxei16.v v8, (%0), v16", "r"(page));
    RUN("vsuxei16", 3, 4096, "vsetivli t0, 6, e64, m4, ta, mu",
        "vid.v v8\n\tvsuxei16.v v8, (%0), v16", "r"(page));

    /*
     * vlseg3e16, 8 elements of 6 bytes from page + 4096 - 28: element 4
     * starts at - 4, its field 0 and 1 are in, field 2 faults.
     */
    RUN("vlseg3e16", 4, 4096, "vsetivli t0, 8, e16, m1, ta, mu",
        "vlseg3e16.v v8, (%0)", "r"(page + 4096 - 28));
    /* vsseg2e32: element 2 (bytes 16..23 from page + 4096 - 16) faults */
    RUN("vsseg2e32", 2, 4096, "vsetivli t0, 8, e32, m1, ta, mu",
        "vsseg2e32.v v8, (%0)", "r"(page + 4096 - 16));
    /* vlsseg2e8, stride 100 from page + 3700: element 4 at 4100 faults */
    RUN("vlsseg2e8", 4, 4100, "vsetivli t0, 8, e8, m1, ta, mu",
        "li t0, 100\n\tvlsseg2e8.v v8, (%0), t0", "r"(page + 3700));
    /* vsse64, stride -600 from page + 4096 + 1200: element 0 faults */
    RUN("vsse64", 0, 4096 + 1200, "vsetivli t0, 4, e64, m1, ta, mu",
        "li t0, -600\n\tvsse64.v v8, (%0), t0", "r"(page + 4096 + 1200));
    /* vlse32, stride -600 from page + 1200: 1200, 600, 0, no fault */
    RUN("vlse32", -1, 0, "vsetivli t0, 3, e32, m1, ta, mu",
        "li t0, -600\n\tvlse32.v v8, (%0), t0", "r"(page + 1200));
    /* masked vle32 from page + 4096 - 12: elements 3.. inactive: no fault */
    asm volatile("vsetivli t0, 8, e8, m1, ta, mu\n\tli t0, 0x07\n\t"
                 "vmv.s.x v0, t0" ::
                     : "t0");
    RUN("vle32_m", -1, 0, "vsetivli t0, 8, e32, m1, ta, mu",
        "vle32.v v8, (%0), v0.t", "r"(page + 4096 - 12));
    /* unmasked vle16 crossing into the hole: element 6 faults */
    RUN("vle16", 6, 4096, "vsetivli t0, 8, e16, m1, ta, mu", "vle16.v v8, (%0)",
        "r"(page + 4096 - 12));
    /*
     * Unit-stride and whole-register accesses across into the hole, as a
     * strip-mined copy meets a page boundary (vector_fast.c's two-page
     * path, or the generated code's helper): the first page's elements
     * done, vstart at the first element of the second page.
     */
    RUN("vse32", 3, 4096, "vsetivli t0, 8, e32, m2, ta, mu",
        "vid.v v8\n\tvse32.v v8, (%0)", "r"(page + 4096 - 12));
    RUN("vle8_m8", 100, 4096, "li t0, 128\n\tvsetvli t0, t0, e8, m8, ta, mu",
        "vle8.v v8, (%0)", "r"(page + 4096 - 100));
    RUN("vse8_m8", 28, 4096, "li t0, 128\n\tvsetvli t0, t0, e8, m8, ta, mu",
        "vse8.v v8, (%0)", "r"(page + 4096 - 28));
    RUN("vs2r", 20, 4096, "vsetivli t0, 1, e8, m1, ta, mu", "vs2r.v v8, (%0)",
        "r"(page + 4096 - 20));
    RUN("vl2re32", 5, 4096, "vsetivli t0, 1, e8, m1, ta, mu",
        "vl2re32.v v8, (%0)", "r"(page + 4096 - 20));
    for (int k = 0; k < 3; k++) {
        hot_loop_fault();
    }
    for (int k = 0; k < 4; k++) {
        static const char *const names[] = {"vl1re8", "vs1r", "vle32", "vse32"};

        far_fault(names[k], k, 0);
        far_fault(names[k], k, 300);
    }
    printf("%s\n", failed ? "FAIL" : "PASS");
    return failed;
}
