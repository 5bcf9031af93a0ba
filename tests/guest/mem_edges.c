/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest accesses at the edges of the address space: the signal, si_code,
 * si_addr and PC of each fault, as from Linux (compared with
 * qemu-riscv64).  ctcg checks only the base register of an access and
 * adds the displacement in the host address (see docs/design.md,
 * "Guest memory accesses"), so a base that passes the check plus a
 * displacement can leave the guest space: below 0 (the address wraps to
 * 2^64 - n) or above its top (2^38 by default); a guard on each side of
 * the reservation must turn those into the guest's SIGSEGV at the exact
 * 64-bit address.  Accesses off one unchanged base share one check: the
 * second access must still fault precisely.  Each case runs in cold
 * code, then in a loop that makes it hot (a region with pinned
 * registers) and faults at its last iteration.  Also: bases with high
 * bits set, page crossing (misaligned), FP loads/stores, LR and AMOs.
 *
 * qemu-riscv64 7.2 reports si_addr 0 when the host address of the
 * access is not a user address (non-canonical or in the kernel half: the
 * host fault has no address); Linux reports the address.  So the output
 * compared with qemu leaves out si_addr of faults at or above 2^47, and
 * MEM_EDGES_STRICT=1 (the mem_edges_strict test, ctcg only) checks them.
 * qemu also gives SEGV_ACCERR for addresses from 2^38 (its own PROT_NONE
 * reservation), Linux SEGV_MAPERR (no VMA; the address is at or above
 * TASK_SIZE): the si_code of those is left out too, and checked when
 * strict.
 *
 * Found with it: an access whose first byte is below the top of the
 * guest space and whose last byte is above (lw at 2^38 - 2) passed the
 * range check and touched the host page after the reservation (a host
 * SIGSEGV, "internal error", or host memory if something was mapped
 * there); the guard above the space turns it into the guest's SIGSEGV.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "guest.h"

#define TOP (1ull << 38) /* Sv39's TASK_SIZE, ctcg's default space */

static sigjmp_buf back;
static int strict;    /* MEM_EDGES_STRICT: check si_addr of high addresses */
static uint64_t good; /* a base every access works with */
static volatile uintptr_t got_addr, got_pc;
static volatile int got_sig, got_code;

static void on_fault(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.__gregs[REG_PC];
    siglongjmp(back, 1);
}

/*
 * One access as a function of its base: NAME(base) runs INSN with %1 =
 * base and returns %0; NAME_at is the access's address.
 */
#define ACCESS(name, insn)                                        \
    extern const char name##_at[];                                \
    static uint64_t __attribute__((noinline)) name(uint64_t base) \
    {                                                             \
        uint64_t r = 0;                                           \
        asm volatile(".globl " #name "_at\n" #name "_at: " insn   \
                     : "+r"(r)                                    \
                     : "r"(base)                                  \
                     : "memory", "ft0");                          \
        return r;                                                 \
    }

ACCESS(ld_0, "ld %0, 0(%1)")
ACCESS(ld_8, "ld %0, 8(%1)")
ACCESS(ld_m8, "ld %0, -8(%1)")
ACCESS(ld_2040, "ld %0, 2040(%1)")
ACCESS(ld_m2048, "ld %0, -2048(%1)")
ACCESS(lw_2047, "lw %0, 2047(%1)")
ACCESS(lw_6, "lw %0, 6(%1)")
ACCESS(lbu_m1, "lbu %0, -1(%1)")
ACCESS(lh_2046, "lh %0, 2046(%1)")
ACCESS(sd_8, "sd %0, 8(%1)")
ACCESS(sw_m4, "sw %0, -4(%1)")
ACCESS(sb_2047, "sb %0, 2047(%1)")
ACCESS(fld_8, "fld ft0, 8(%1)")
ACCESS(flw_m4, "flw ft0, -4(%1)")
ACCESS(fsd_2040, "fsd ft0, 2040(%1)")
ACCESS(lr_d, "lr.d %0, (%1)")
ACCESS(amoadd_d, "amoadd.d %0, %0, (%1)")
ACCESS(amoswap_w, "amoswap.w %0, %0, (%1)")
/* Two accesses off one base: the second's range check is shared. */
#define NORVC(insns) ".option push\n.option norvc\n" insns "\n.option pop"
ACCESS(pair_0_8, NORVC("ld %0, 0(%1)\n ld %0, 8(%1)"))
ACCESS(pair_m8_2040, NORVC("sd %0, -8(%1)\n ld %0, 2040(%1)"))

typedef uint64_t (*AccessFn)(uint64_t);

static const struct {
    const char *name;
    AccessFn fn;
    const char *at;
    int ofs;  /* displacement of the (last) access */
    int ofs1; /* pairs: displacement of the first access, 4 bytes before */
    int pair;
} accesses[] = {
#define A(n, o)                \
    {                          \
#n, n, n##_at, o, 0, 0 \
    }
#define P(n, o1, o)             \
    {                           \
#n, n, n##_at, o, o1, 1 \
    }
    A(ld_0, 0),         A(ld_8, 8),
    A(ld_m8, -8),       A(ld_2040, 2040),
    A(ld_m2048, -2048), A(lw_2047, 2047),
    A(lw_6, 6),         A(lbu_m1, -1),
    A(lh_2046, 2046),   A(sd_8, 8),
    A(sw_m4, -4),       A(sb_2047, 2047),
    A(fld_8, 8),        A(flw_m4, -4),
    A(fsd_2040, 2040),  A(lr_d, 0),
    A(amoadd_d, 0),     A(amoswap_w, 0),
    P(pair_0_8, 0, 8),  P(pair_m8_2040, -8, 2040),
#undef A
#undef P
};

/* Bases that fault for some displacement (the map is set up by main). */
static const uint64_t bases[] = {
    0,
    8,
    2048,
    4096,
    TOP - 8,
    TOP - 2048,
    TOP,
    TOP + 8,
    1ull << 40,
    1ull << 46,
    1ull << 47,
    0x8000000000000000ull,
    0xfffffffffffff800ull,
    0xfffffffffffffff8ull,
};

/* Does the access at b fault?  Runs it once (the first call: cold). */
static int try_access(int i, uint64_t b)
{
    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        accesses[i].fn(b);
    }
    return got_sig;
}

static void report(int i, uint64_t base, const char *how)
{
    uintptr_t at = (uintptr_t)accesses[i].at;
    /* pairs: the first access faults, or the second, 4 bytes on */
    int second = accesses[i].pair && got_pc == at + 4;
    uint64_t addr =
        base + (int64_t)(second || !accesses[i].pair ? accesses[i].ofs
                                                     : accesses[i].ofs1);

    int high = addr >= (1ull << 47);

    if (!got_sig) {
        printf("%s %s base %#llx: no fault\n", accesses[i].name, how,
               (unsigned long long)base);
        return;
    }
    printf("%s %s base %#llx: sig %d code %d addr %#llx pc +%d\n",
           accesses[i].name, how, (unsigned long long)base, got_sig,
           addr + 8 <= TOP ? got_code : 0,
           high ? 0ull : (unsigned long long)got_addr, (int)(got_pc - at));
    CHECK(got_pc == at || (accesses[i].pair && got_pc == at + 4));
    if (strict) {
        CHECK(got_sig == SIGSEGV);
        CHECK(got_addr < TOP || got_code == SEGV_MAPERR);
    }
    /* An aligned access faults at its first byte. */
    if ((addr & 7) == 0 && (!high || strict)) {
        CHECK(got_addr == addr);
    }
}

/*
 * The same access in a hot loop: a base that works (good) for 300
 * iterations, then the faulting one.
 */
static void hot(int i, uint64_t good, uint64_t bad)
{
    volatile uint64_t b;

    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        for (int n = 0; n < 301; n++) {
            b = n < 300 ? good : bad;
            accesses[i].fn(b);
        }
    }
    report(i, bad, "hot");
}

/* A strided loop in assembly whose last iteration leaves the space. */
static void loop_top(void)
{
    extern const char loop_top_at[];
    uint64_t p = TOP - 8 * 200, n = 1000;

    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        asm volatile("1: ld t0, 0(%0)\n"
                     ".globl loop_top_at\n"
                     "loop_top_at: ld t1, 8(%0)\n"
                     "addi %0, %0, 8\n"
                     "addi %1, %1, -1\n"
                     "bnez %1, 1b\n"
                     : "+r"(p), "+r"(n)
                     :
                     : "t0", "t1", "memory");
    }
    printf("loop_top: sig %d addr %#llx pc ok %d\n", got_sig,
           (unsigned long long)got_addr, got_pc == (uintptr_t)loop_top_at);
    CHECK(got_sig == SIGSEGV && got_addr == TOP);
    CHECK(got_pc == (uintptr_t)loop_top_at);
}

/*
 * Bases the translator knows (li, lui, x0): the address is a constant,
 * and one in the guest space is not range checked at all (MO_NOCHECK).
 */
#define CONST_ACCESS(name, insns)                          \
    extern const char name##_at[];                         \
    static void __attribute__((noinline)) name(void)       \
    {                                                      \
        asm volatile(insns "\n.globl " #name "_at\n" #name \
                           "_at: ld t1, 0(t0)\n" ::        \
                               : "t0", "t1", "memory");    \
    }
/* t0 = the address, then "ld t1, 0(t0)" at NAME_at */
CONST_ACCESS(c_top_m8, "li t0, 0x3ffffffff8")
CONST_ACCESS(c_top, "li t0, 0x4000000000")
CONST_ACCESS(c_fff8, "lui t0, 0x10\n addi t0, t0, -8")
CONST_ACCESS(c_8, "li t0, 8")
CONST_ACCESS(c_m8, "li t0, -8")
CONST_ACCESS(c_high, "li t0, 0x10000000000")

/* The same with the displacement on the access itself. */
#define CONST_DISP(name, base, insn)                                \
    extern const char name##_at[];                                  \
    static void __attribute__((noinline)) name(void)                \
    {                                                               \
        asm volatile("li t0, " base "\n.globl " #name "_at\n" #name \
                     "_at: " insn "\n" ::                           \
                         : "t0", "t1", "memory");                   \
    }
CONST_DISP(d_top_m8, "0x4000000000", "ld t1, -8(t0)")
CONST_DISP(d_top_p8, "0x3ffffffff8", "ld t1, 8(t0)")
CONST_DISP(d_zero_8, "0", "ld t1, 8(zero)")
CONST_DISP(d_zero_m8, "0", "sd t1, -8(zero)")
CONST_DISP(d_lui_m8, "0x10000", "sd t1, -8(t0)")

static void const_cases(void)
{
    static const struct {
        const char *name;
        void (*fn)(void);
        const char *at;
        uint64_t addr; /* where it faults; 1: it does not */
    } cases[] = {
        {"c_top_m8", c_top_m8, c_top_m8_at, 1},
        {"c_top", c_top, c_top_at, TOP},
        {"c_fff8", c_fff8, c_fff8_at, 0xfff8},
        {"c_8", c_8, c_8_at, 8},
        {"c_m8", c_m8, c_m8_at, -8ull},
        {"c_high", c_high, c_high_at, 1ull << 40},
        {"d_top_m8", d_top_m8, d_top_m8_at, 1},
        {"d_top_p8", d_top_p8, d_top_p8_at, TOP},
        {"d_zero_8", d_zero_8, d_zero_8_at, 8},
        {"d_zero_m8", d_zero_m8, d_zero_m8_at, -8ull},
        {"d_lui_m8", d_lui_m8, d_lui_m8_at, 0xfff8},
    };

    for (int i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
        for (int k = 0; k < 300; k++) { /* cold, then hot */
            got_sig = 0;
            if (sigsetjmp(back, 1) == 0) {
                cases[i].fn();
            }
            if (k == 0 || k == 299) {
                printf("%s %d: sig %d pc ok %d\n", cases[i].name, k, got_sig,
                       got_pc == (uintptr_t)cases[i].at);
            }
            if (cases[i].addr == 1) {
                CHECK(got_sig == 0);
                continue;
            }
            CHECK(got_sig == SIGSEGV && got_pc == (uintptr_t)cases[i].at);
            if (cases[i].addr < (1ull << 47) || strict) {
                CHECK(got_addr == cases[i].addr);
            }
        }
    }
}

/*
 * A register used as a base, then stored as the value of a store whose
 * own base is out of range: the store's check must not be shared with
 * the load's (the first try took a qemu_st's args[0], its value, for
 * its address).
 */
static void value_then_store(uint64_t bad)
{
    extern const char value_then_store_at[];

    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        asm volatile("ld t0, 0(%0)\n"
                     ".globl value_then_store_at\n"
                     "value_then_store_at: sd %0, 0(%1)\n"
                     :
                     : "r"(good), "r"(bad)
                     : "t0", "memory");
    }
    printf("value_then_store %#llx: sig %d pc ok %d\n", (unsigned long long)bad,
           got_sig, got_pc == (uintptr_t)value_then_store_at);
    CHECK(got_sig == SIGSEGV && got_pc == (uintptr_t)value_then_store_at);
    if (bad < (1ull << 47) || strict) {
        CHECK(got_addr == bad);
    }
}

/*
 * Downwards with -2048 into the unmapped low 64 KiB (a loop cannot
 * reach the guard below 0 without faulting first: nothing is mapped
 * there).
 */
static void loop_bottom(void)
{
    extern const char loop_bottom_at[];
    uint64_t p = 0x10000 + 2048 + 8 * 300, n = 1u << 20;

    got_sig = 0;
    if (sigsetjmp(back, 1) == 0) {
        asm volatile("1: ld t0, 2040(%0)\n"
                     ".globl loop_bottom_at\n"
                     "loop_bottom_at: ld t1, -2048(%0)\n"
                     "addi %0, %0, -8\n"
                     "addi %1, %1, -1\n"
                     "bnez %1, 1b\n"
                     : "+r"(p), "+r"(n)
                     :
                     : "t0", "t1", "memory");
    }
    printf("loop_bottom: sig %d code %d addr %#llx pc ok %d\n", got_sig,
           got_code, (unsigned long long)got_addr,
           got_pc == (uintptr_t)loop_bottom_at);
    CHECK(got_sig == SIGSEGV && got_addr == 0xfff8);
    CHECK(got_pc == (uintptr_t)loop_bottom_at);
}

int main(void)
{
    struct sigaction sa = {0};
    void *top;
    char *buf;

    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    /* The last page below TOP (ctcg's stack may be there already). */
    top = mmap((void *)(uintptr_t)(TOP - 4096 * 4), 4096 * 4,
               PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (top == MAP_FAILED) {
        CHECK(errno == EEXIST);
        CHECK(msync((void *)(uintptr_t)(TOP - 4096), 4096, MS_ASYNC) == 0);
    }
    buf = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
               -1, 0);
    CHECK(buf != MAP_FAILED);
    good = (uintptr_t)buf + 4096;
    strict = getenv("MEM_EDGES_STRICT") != NULL;

    for (int i = 0; i < (int)(sizeof(accesses) / sizeof(accesses[0])); i++) {
        for (int k = 0; k < (int)(sizeof(bases) / sizeof(bases[0])); k++) {
            uint64_t b = bases[k];

            try_access(i, b);
            report(i, b, "cold");
            if (got_sig) {
                hot(i, good, b);
            }
        }
    }
    loop_top();
    loop_bottom();
    const_cases();
    for (int k = 0; k < 400; k++) { /* cold, then hot */
        value_then_store(k & 1 ? 1ull << 40 : 0x8000000000000000ull);
    }
    return guest_done("mem_edges");
}
