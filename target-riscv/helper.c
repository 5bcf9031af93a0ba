/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Integer helpers called from generated code: counters, Zbb orc.b,
 * Zbc carry-less multiplication.  All are pure functions of their
 * arguments (TCG_CALL_NO_RWG_SE) except the counter, which reads the
 * clock.
 */
#include <x86intrin.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/translator.h"
#include "target-riscv/cpu.h"
#include "target-riscv/helper.h"

/* cycle, time and instret read the host's time-stamp counter, as QEMU's
 * linux-user does (cpu_get_host_ticks). */
static uint64_t helper_read_counter(void)
{
    return __rdtsc();
}

static uint64_t helper_orc_b(uint64_t x)
{
    uint64_t r = 0;

    for (int i = 0; i < 64; i += 8) {
        if ((x >> i) & 0xff) {
            r |= 0xffull << i;
        }
    }
    return r;
}

/* Carry-less product of a and b: low and high 64 bits. */
static void clmul128(uint64_t a, uint64_t b, uint64_t *lo, uint64_t *hi)
{
    uint64_t l = 0, h = 0;

    for (int i = 0; i < 64; i++) {
        if ((b >> i) & 1) {
            l ^= a << i;
            h ^= i ? a >> (64 - i) : 0;
        }
    }
    *lo = l;
    *hi = h;
}

static uint64_t helper_clmul(uint64_t a, uint64_t b)
{
    uint64_t lo, hi;

    clmul128(a, b, &lo, &hi);
    return lo;
}

static uint64_t helper_clmulh(uint64_t a, uint64_t b)
{
    uint64_t lo, hi;

    clmul128(a, b, &lo, &hi);
    return hi;
}

/* clmulr: bits 2*XLEN-2 .. XLEN-1 of the product */
static uint64_t helper_clmulr(uint64_t a, uint64_t b)
{
    uint64_t lo, hi;

    clmul128(a, b, &lo, &hi);
    return (hi << 1) | (lo >> 63);
}

/*
 * gdb watchpoints (CF_WATCH TBs): before a guest access of (info & 0xff)
 * bytes at @addr, of type info >> 8 (1 read, 2 write, 3 both).  A hit
 * leaves with RISCV_EXCP_WATCH, pc at the access (gdb's RISC-V
 * watchpoints are "non-steppable": it steps over the access itself).
 */
static void helper_watch_check(CPURISCVState *env, uint64_t addr, uint64_t info)
{
    if (cpu_watch_hook && cpu_watch_hook(addr, info & 0xff, (int)(info >> 8))) {
        env->badaddr = addr;
        cpu_loop_exit_restore(env, RISCV_EXCP_WATCH, GETPC());
    }
}

DEF_HELPER_INFO(watch_check, TCG_CALL_NO_WG);
DEF_HELPER_INFO(read_counter, TCG_CALL_NO_RWG);
DEF_HELPER_INFO(orc_b, TCG_CALL_NO_RWG_SE);
DEF_HELPER_INFO(clmul, TCG_CALL_NO_RWG_SE);
DEF_HELPER_INFO(clmulh, TCG_CALL_NO_RWG_SE);
DEF_HELPER_INFO(clmulr, TCG_CALL_NO_RWG_SE);
