/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fence.i / riscv_flush_icache drop only code that changed (tb-code.c):
 *  - code rewritten in place with the SAME length (an immediate changes)
 *    on a writable page, hot (run many times) and spanning two pages, is
 *    seen after a flush that names a WRONG range (another buffer, an
 *    empty one): Linux ignores the range;
 *  - the same through a second, writable mapping of a shared memfd (the
 *    stores do not touch the executed mapping, so only the bytes can
 *    tell the code changed);
 *  - unchanged code on the same writable pages keeps working across many
 *    fence.i/flush_icache calls.  Run with TCG_STATS=1 by
 *    check-fencei-keep.sh, which checks that it also keeps its
 *    translations (few TBs invalidated by fence.i).
 */
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NR_riscv_flush_icache 259
#define KEEP_BLOCKS 64
#define KEEP_ROUNDS 500

typedef long (*fn_t)(void);

static uint32_t addi_a0(int rs_a0, int imm)
{
    /* addi a0, (a0 or zero), imm */
    return 0x00000513u | (rs_a0 ? 10u << 15 : 0) |
           ((uint32_t)(imm & 0xfff) << 20);
}

#define RET 0x00008067u
#define BNE_A0_ZERO_8 0x00051463u /* bne a0, zero, +8 */

static void flush(int how, void *other)
{
    if (how == 0) {
        __asm__ volatile("fence.i" ::: "memory");
    } else if (how == 1) {
        syscall(NR_riscv_flush_icache, other, (char *)other + 8, 0);
    } else {
        syscall(NR_riscv_flush_icache, 0, 0, 0);
    }
}

/* 64 blocks, each `addi a0,a0,1; bne a0,zero,+8; addi a0,a0,100`. */
static void emit_keep(uint32_t *p)
{
    p[0] = addi_a0(0, 0);
    for (int i = 0; i < KEEP_BLOCKS; i++) {
        p[1 + 3 * i] = addi_a0(1, 1);
        p[2 + 3 * i] = BNE_A0_ZERO_8;
        p[3 + 3 * i] = addi_a0(1, 100);
    }
    p[1 + 3 * KEEP_BLOCKS] = RET;
}

/* Code run through an RX mapping, written through an RW alias. */
static int alias_test(void *other)
{
    int fd = (int)syscall(SYS_memfd_create, "code", 0);
    uint32_t *rw, *rx;

    if (fd < 0 || ftruncate(fd, 4096) != 0) {
        perror("memfd");
        return 1;
    }
    rw = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    rx = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    if (rw == MAP_FAILED || rx == MAP_FAILED) {
        perror("mmap alias");
        return 1;
    }
    for (int round = 0; round < 30; round++) {
        rw[0] = addi_a0(0, round * 3);
        rw[1] = RET;
        flush(round % 3, other);
        for (int i = 0; i < 200; i++) {
            long got = ((fn_t)rx)();

            if (got != round * 3) {
                printf("FAIL alias round %d: got %ld want %d\n", round, got,
                       round * 3);
                return 1;
            }
        }
    }
    return 0;
}

int main(void)
{
    char *code = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    static char other[64];
    uint32_t *span, *keep;
    int fails = 0;

    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    /* li a0, N at the end of page 0; addi a0, a0, M; ret on page 1. */
    span = (uint32_t *)(code + 4096 - 4);
    keep = (uint32_t *)(code + 4096 + 64);
    emit_keep(keep);
    for (int round = 0; round < 40 && !fails; round++) {
        long want = round * 7 + (round % 5) * 100;

        span[0] = addi_a0(0, round * 7);
        span[1] = addi_a0(1, (round % 5) * 100);
        span[2] = RET;
        flush(round % 3, other);
        for (int i = 0; i < 3000; i++) { /* hot */
            long got = ((fn_t)span)();

            if (got != want) {
                printf("FAIL round %d (flush %d): got %ld want %ld\n", round,
                       round % 3, got, want);
                fails++;
                break;
            }
        }
    }
    fails += !fails && alias_test(other);
    for (int r = 0; r < KEEP_ROUNDS && !fails; r++) {
        long got = ((fn_t)keep)();

        if (got != KEEP_BLOCKS) {
            printf("FAIL keep round %d: got %ld\n", r, got);
            fails++;
        }
        flush(r % 3, other);
    }
    printf("%s\n", fails ? "FAIL" : "ok");
    return fails != 0;
}
