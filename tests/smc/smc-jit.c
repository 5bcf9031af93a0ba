/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code invalidation, single thread: a tiny JIT writes `li a0, N; ret` into
 * an RWX mapping, runs it, rewrites the immediate, flushes the icache
 * (__builtin___clear_cache: the riscv_flush_icache syscall) or executes
 * fence.i, and runs it again -- 1000 times, every result exact.  Then code
 * sharing a page with data that is written constantly, and a mapping of
 * different code at the same address after munmap.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

typedef long (*fn_t)(void);

/* addi a0, zero, imm12 ; jalr zero, 0(ra) */
static void emit_li_ret(uint32_t *p, int imm)
{
    p[0] = 0x00000513u | ((uint32_t)(imm & 0xfff) << 20);
    p[1] = 0x00008067u;
}

static void fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}

static int check(const char *what, long got, long want)
{
    if (got != want) {
        printf("FAIL %s: got %ld want %ld\n", what, got, want);
        return 1;
    }
    return 0;
}

int main(void)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    volatile long *data = (volatile long *)(code + 512);
    int fails = 0;

    if (code == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    for (int i = 0; i < 1000; i++) {
        emit_li_ret(code, i);
        if (i & 1) {
            __builtin___clear_cache((char *)code, (char *)(code + 2));
        } else {
            fence_i();
        }
        fails += check("rewrite", ((fn_t)code)(), i);
        if (fails) {
            return 1;
        }
    }
    /* Data on the code page, written between calls. */
    emit_li_ret(code, 7);
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    for (int i = 0; i < 1000; i++) {
        data[i & 7] = i;
        fails += check("data on code page", ((fn_t)code)(), 7);
    }
    /* munmap, then different code mapped at the same address. */
    for (int i = 0; i < 50 && !fails; i++) {
        void *want = code;

        munmap(code, 4096);
        code = mmap(want, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
        emit_li_ret(code, 100 + i);
        mprotect(code, 4096, PROT_READ | PROT_EXEC);
        fails += check("remap", ((fn_t)code)(), 100 + i);
        mprotect(code, 4096, PROT_READ | PROT_WRITE | PROT_EXEC);
    }
    printf("smc-jit: %s\n", fails ? "FAILED" : "ok");
    return fails != 0;
}
