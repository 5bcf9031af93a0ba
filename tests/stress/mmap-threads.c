/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory maps changing under 8 threads: anonymous mmap / write /
 * mprotect / read / munmap cycles and malloc/free churn.
 *
 * With the argument "code", odd threads instead write a tiny function
 * into a fresh page, make it executable, call it, rewrite it in place and
 * unmap it, so that the same addresses come back with other code: the
 * translator must not run stale translations after fence.i or
 * __builtin___clear_cache (the riscv_flush_icache syscall).
 */
#include <sys/mman.h>
#include <unistd.h>
#include "stress.h"

#define NTHREADS 8
#define ITERS 1500

static long page;
static int code_mode;

/* li a0, imm (addi a0, zero, imm); ret */
static void write_func(uint32_t *code, int imm)
{
    code[0] = ((uint32_t)(imm & 0xfff) << 20) | (10 << 7) | 0x13;
    code[1] = 0x00008067;
}

/* Make the code just written visible: fence.i or the Linux syscall. */
static void sync_icache(uint32_t *code, int how)
{
    if (how & 1) {
        __builtin___clear_cache((char *)code, (char *)(code + 2));
    } else {
        __asm__ volatile("fence.i" ::: "memory");
    }
}

static void *worker(void *p)
{
    int id = (int)(intptr_t)p;
    uint64_t rng = id + 1;

    for (int i = 0; i < ITERS; i++) {
        size_t len = page * (1 + rng_next(&rng) % 16);
        if (id % 2 == 0 || !code_mode) {
            unsigned char *m = mmap(NULL, len, PROT_READ | PROT_WRITE,
                                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            CHECK(m != MAP_FAILED, "mmap: %s", strerror(errno));
            for (size_t off = 0; off < len; off += page) {
                CHECK(m[off] == 0, "fresh page not zero");
                m[off] = (unsigned char)(id + off / page);
            }
            CHECK(mprotect(m, len, PROT_READ) == 0, "mprotect");
            for (size_t off = 0; off < len; off += page) {
                CHECK(m[off] == (unsigned char)(id + off / page),
                      "page content changed");
            }
            CHECK(munmap(m, len) == 0, "munmap");
            void *b = malloc(1 + rng_next(&rng) % 100000);
            CHECK(b != NULL, "malloc");
            memset(b, id, 64);
            free(b);
        } else {
            uint32_t *code = mmap(NULL, page, PROT_READ | PROT_WRITE,
                                  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            CHECK(code != MAP_FAILED, "mmap: %s", strerror(errno));
            int want = (id * 100 + i) % 2000;
            write_func(code, want);
            CHECK(mprotect(code, page, PROT_READ | PROT_EXEC) == 0,
                  "mprotect exec");
            sync_icache(code, i);
            int got = ((int (*)(void))code)();
            CHECK(got == want, "thread %d iteration %d: generated code at %p "
                  "returned %d, want %d (stale translation?)", id, i,
                  (void *)code, got, want);
            /* Rewrite in place too: make it writable, change, re-run. */
            CHECK(mprotect(code, page, PROT_READ | PROT_WRITE | PROT_EXEC)
                  == 0, "mprotect rwx");
            write_func(code, want + 1);
            sync_icache(code, i + 1);
            got = ((int (*)(void))code)();
            CHECK(got == want + 1, "thread %d iteration %d: rewritten code "
                  "at %p returned %d, want %d", id, i, (void *)code, got,
                  want + 1);
            CHECK(munmap(code, page) == 0, "munmap");
        }
    }
    return NULL;
}

int main(int argc, char **argv)
{
    pthread_t t[NTHREADS];

    code_mode = argc > 1 && strcmp(argv[1], "code") == 0;
    page = sysconf(_SC_PAGESIZE);
    for (int i = 0; i < NTHREADS; i++) {
        xcreate(&t[i], worker, (void *)(intptr_t)i);
    }
    for (int i = 0; i < NTHREADS; i++) {
        xjoin(t[i]);
    }
    printf("mmap-threads: %d threads x %d map/unmap cycles%s: OK\n",
           NTHREADS, ITERS, code_mode ? ", generated code re-translated" : "");
    return 0;
}
