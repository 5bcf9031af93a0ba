/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Self-modifying code without fence.i (as x86 programs expect): ctcg
 * write-protects code pages and invalidates on the first store.  Covers a
 * function rewritten between calls, a TB that rewrites an instruction
 * after the store in its own block (which must run the new instruction),
 * a store into a genuinely read-only page (still SIGSEGV), and read()
 * into a code page (the kernel must be able to write it).
 * RISC-V does not promise this without fence.i.  Not compared with
 * qemu-riscv64: 7.2 has no precise SMC for RISC-V, so its block keeps
 * running the old `li a0, 1` after the store (it prints 1).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

typedef long (*fn_t)(void);

static void emit_li_ret(uint32_t *p, int imm)
{
    p[0] = 0x00000513u | ((uint32_t)(imm & 0x7ff) << 20);
    p[1] = 0x00008067u;
}

static sigjmp_buf jb;

static void on_segv(int sig)
{
    (void)sig;
    siglongjmp(jb, 1);
}

int main(void)
{
    uint32_t *code = mmap(NULL, 8192, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    const char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
                          -1, 0);
    int fails = 0, fd[2];
    long r;

    for (int i = 0; i < 300; i++) {
        emit_li_ret(code, i);
        r = ((fn_t)code)();
        if (r != i) {
            printf("FAIL: call %d returned %ld\n", i, r);
            fails++;
            break;
        }
    }
    printf("rewrite without fence.i: %s\n", fails ? "FAILED" : "ok");

    /*
     * One block: sw a1, 8(a0) overwrites the instruction 8 bytes on (the
     * `li a0, 1` below it) with `li a0, 2`; the new one must run.
     *   sw a1, 8(a0); nop; li a0, 1; ret
     */
    {
        uint32_t *f = code + 512;
        uint32_t li2 = 0x00200513u;
        long (*g)(uint32_t *, long) = (long (*)(uint32_t *, long))f;

        f[0] = 0x00b52423u; /* sw a1, 8(a0) */
        f[1] = 0x00000013u; /* nop */
        f[2] = 0x00100513u; /* li a0, 1 */
        f[3] = 0x00008067u; /* ret */
        r = g(f, li2);
        printf("store into the running block: %ld (want 2)\n", r);
        fails += r != 2;
    }

    signal(SIGSEGV, on_segv);
    if (sigsetjmp(jb, 1) == 0) {
        *(volatile char *)ro = 1;
        printf("FAIL: store to a read-only page did not fault\n");
        fails++;
    } else {
        printf("store to a read-only page: SIGSEGV\n");
    }

    /* read() into a code page that was just executed. */
    emit_li_ret(code + 1024, 5);
    ((fn_t)(code + 1024))();
    if (pipe(fd) == 0) {
        uint32_t li_ret[2];

        emit_li_ret(li_ret, 9);
        if (write(fd[1], li_ret, 8) != 8 || read(fd[0], code + 1024, 8) != 8) {
            printf("FAIL: read into a code page\n");
            fails++;
        }
        r = ((fn_t)(code + 1024))();
        printf("code read() from a pipe: %ld (want 9)\n", r);
        fails += r != 9;
    }
    printf("smc-nofence: %s\n", fails ? "FAILED" : "ok");
    return fails != 0;
}
