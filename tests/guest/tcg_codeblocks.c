/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The direct cold tier decodes from copies of the guest code taken 64
 * bytes at a time (translator_fetch_block in accel/tcg/tb-code.c,
 * translate-direct.c): generated functions put instructions where that
 * copy has edges, and each adds known amounts to a0:
 *   - a 32-bit instruction across a block's end (offsets 62 and 126);
 *   - a 32-bit instruction in a page's last parcel, its upper half in the
 *     next page, and a compressed one there;
 *   - a jal back to before the TB's start, in a block already copied
 *     from the TB's first instruction on (copied again, and compared);
 *   - code in a copied block rewritten, then fence.i: the new code runs
 *     (the TB's fingerprint covers what the translator read).
 * Each function runs 3 times after each change, so that its TBs are the
 * direct tier's (cold), and at the end 100 times more (hot ones).
 * The code is written through a shared RW mapping of a memfd and run
 * through a second, RX one (a W^X JIT): no store hits the RX view, so
 * only fence.i's fingerprints (tb-code.c) find what changed.  Not
 * compared with qemu-riscv64: 7.2 runs the stale code of the second
 * mapping (as in mem_codechange).
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "guest.h"

#define PG 4096

typedef long (*fn_t)(void);

static uint8_t *code, *exec_view; /* RW and RX views of the same pages */

static void put32(unsigned off, uint32_t insn)
{
    memcpy(code + off, &insn, 4);
}

static void put16(unsigned off, uint16_t insn)
{
    memcpy(code + off, &insn, 2);
}

/* addi a0, rs1, imm */
static uint32_t addi_a0(int rs1, int imm)
{
    return ((uint32_t)imm << 20) | ((uint32_t)rs1 << 15) | (10u << 7) | 0x13;
}

/* jal x0, off */
static uint32_t jal0(int32_t off)
{
    uint32_t u = (uint32_t)off;

    return 0x6f | (((u >> 12) & 0xff) << 12) | (((u >> 11) & 1) << 20) |
           (((u >> 1) & 0x3ff) << 21) | (((u >> 20) & 1) << 31);
}

#define RET 0x00008067u /* jalr x0, 0(ra) */
#define C_ADDI1 0x0505  /* c.addi a0, 1 */
#define C_NOP 0x0001

/* li a0, 0; c.addi a0, 1 up to @at; 32-bit addi a0, @imm there. */
static unsigned fill(unsigned start, unsigned at, int imm)
{
    for (unsigned o = start; o < at; o += 2) {
        put16(o, C_ADDI1);
    }
    put32(at, addi_a0(10, imm));
    return at + 4;
}

static void fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}

/* Run @off's function @n times: each must give @want. */
static void run_n(const char *name, unsigned off, long want, int n)
{
    fn_t f = (fn_t)(void *)(exec_view + off);
    long got = 0;
    int bad = 0;

    for (int i = 0; i < n; i++) {
        got = f();
        bad += got != want;
    }
    printf("%s: %ld (want %ld)\n", name, got, want);
    CHECK(bad == 0);
}

/* Three calls: below TB_HOT_THRESHOLD, the TBs stay cold. */
static void run(const char *name, unsigned off, long want)
{
    run_n(name, off, want, 3);
}

int main(void)
{
    int fd = (int)syscall(SYS_memfd_create, "tcg_codeblocks", 0);
    unsigned o;

    CHECK(fd >= 0 && ftruncate(fd, 3 * PG) == 0);
    code = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    exec_view = mmap(NULL, 3 * PG, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    CHECK(code != MAP_FAILED && exec_view != MAP_FAILED);
    if (code == MAP_FAILED || exec_view == MAP_FAILED) {
        return guest_done("tcg_codeblocks");
    }

    /* Across the ends of the first two blocks: 29 + 100 + 30 + 1000. */
    put32(0, addi_a0(0, 0));
    o = fill(4, 62, 100);
    o = fill(o, 126, 1000);
    put32(o, RET);
    fence_i();
    run("block ends", 0, 1159);

    /* Across the page's end: 45 + 7; and a compressed last parcel. */
    put32(4000, addi_a0(0, 0));
    o = fill(4004, PG - 2, 7);
    put32(o, RET);
    put32(2 * PG - 100, addi_a0(0, 0));
    for (o = 2 * PG - 96; o < 2 * PG + 10; o += 2) {
        put16(o, C_ADDI1);
    }
    put32(o, RET);
    fence_i();
    run("page end, 32-bit", 4000, 52);
    run("page end, compressed", 2 * PG - 100, 53);

    /*
     * A jal back before the TB's start (200), into its block (192..255):
     * at 192: addi a0, a0, 5; ret.  At 200: li a0, 0; addi a0, a0, 3;
     * c.nop; jal 192.
     */
    put32(192, addi_a0(10, 5));
    put32(196, RET);
    put32(200, addi_a0(0, 0));
    put32(204, addi_a0(10, 3));
    put16(208, C_NOP);
    put32(210, jal0(192 - 210));
    fence_i();
    run("jal back in the block", 200, 8);

    /* Rewritten in a copied block, then fence.i: the new code runs. */
    put32(192, addi_a0(10, 9));
    fence_i();
    run("rewritten before the start", 200, 12);
    put32(126, addi_a0(10, 2000));
    fence_i();
    run("rewritten across a block end", 0, 2159);
    /* the TB's last instruction (ret at 130) becomes addi; ret after it */
    put32(134, RET);
    put32(130, addi_a0(10, 1));
    fence_i();
    run("rewritten at the TB's end", 0, 2160);
    put16(4050, C_NOP);
    fence_i();
    run("rewritten in the page's last block", 4000, 51);
    run_n("hot", 0, 2160, 100);
    run_n("hot", 4000, 51, 100);
    run_n("hot", 2 * PG - 100, 53, 100);
    run_n("hot", 200, 12, 100);
    return guest_done("tcg_codeblocks");
}
