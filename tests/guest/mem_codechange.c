/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code that changes without a store the emulator sees: Linux runs the new
 * instructions in each case.
 *  - mmap(MAP_FIXED) of another page of a file directly over a live,
 *    already-run executable mapping of the same file (no munmap between);
 *  - mremap(MREMAP_FIXED) of another code mapping over a live one;
 *  - madvise(MADV_DONTNEED) of a private file mapping whose page was
 *    rewritten: the page reverts to the file's contents;
 *  - remap_file_pages() of a shared file mapping: another file page;
 *  - a memfd mapped twice, RW and RX (a W^X JIT, libffi's closures):
 *    code written through the RW view, then fence.i or the
 *    riscv_flush_icache syscall, then run through the RX view (also with
 *    a private RX view of the memfd, which sees the file until copied).
 * Not compared with qemu-riscv64: 7.2 runs the stale code of the second
 * mapping (398 of 400 tries).
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "guest.h"

#define PG 4096
#define TRIES 64

typedef long (*fn_t)(void);

/* li a0, v; ret */
static void put_code(uint32_t *p, long v)
{
    p[0] = ((uint32_t)(v & 0x7ff) << 20) | (10u << 7) | 0x13;
    p[1] = 0x00008067;
}

/* Run it often enough to be translated (and hot); -1 if runs differ. */
static long call(void *p)
{
    long r = ((fn_t)p)();

    for (int i = 0; i < 50; i++) {
        if (((fn_t)p)() != r) {
            return -1;
        }
    }
    return r;
}

static void fence_i(void)
{
    __asm__ volatile("fence.i" ::: "memory");
}

/* A file of @n pages, page i holding "li a0, base + i; ret". */
static int code_file(int n, int base)
{
    int fd = memfd_create("ctcg-code", 0);
    uint32_t page[PG / 4];

    CHECK(fd >= 0);
    for (int i = 0; i < n; i++) {
        memset(page, 0, sizeof(page));
        put_code(page, base + i);
        CHECK(write(fd, page, PG) == PG);
    }
    return fd;
}

static void test_map_fixed_over(void)
{
    int fd = code_file(2, 100), bad = 0;
    char *a = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);

    CHECK(a != MAP_FAILED);
    for (int i = 0; i < TRIES; i++) {
        int page = i & 1;

        bad += call(a) != 100 + page;
        CHECK(mmap(a, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd,
                   (off_t)(1 - page) * PG) == a);
    }
    CHECK(bad == 0);
    munmap(a, PG);
    close(fd);
}

static void test_mremap_over(void)
{
    int fd = code_file(2, 200), bad = 0;

    for (int i = 0; i < TRIES; i++) {
        char *a = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
        char *b = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, PG);

        CHECK(a != MAP_FAILED && b != MAP_FAILED);
        bad += call(a) != 200;
        bad += call(b) != 201;
        CHECK(mremap(b, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, a) == a);
        bad += call(a) != 201;
        /* The old range: new code there. */
        CHECK(mmap(b, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd,
                   0) == b);
        bad += call(b) != 200;
        munmap(a, PG);
        munmap(b, PG);
    }
    CHECK(bad == 0);
    close(fd);
}

static void test_madvise_revert(void)
{
    int fd = code_file(1, 300), bad = 0;
    char *a =
        mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE, fd, 0);

    CHECK(a != MAP_FAILED);
    for (int i = 0; i < TRIES; i++) {
        bad += call(a) != 300;
        put_code((uint32_t *)a, 301);
        fence_i();
        bad += call(a) != 301;
        CHECK(madvise(a, PG, MADV_DONTNEED) == 0);
        bad += call(a) != 300;
    }
    CHECK(bad == 0);
    munmap(a, PG);
    close(fd);
}

static void test_remap_file_pages(void)
{
    int fd = code_file(2, 500), bad = 0;
    char *a = mmap(NULL, 2 * PG, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);

    CHECK(a != MAP_FAILED);
    for (int i = 0; i < TRIES; i++) {
        int page = i & 1;

        bad += call(a) != 500 + page;
        /* The first page of the mapping shows the other file page. */
        CHECK(remap_file_pages(a, PG, 0, 1 - page, 0) == 0);
    }
    CHECK(bad == 0);
    munmap(a, 2 * PG);
    close(fd);
}

static void test_dual_mapping(int rx_type, int use_syscall)
{
    int fd = memfd_create("ctcg-jit", 0), bad = 0;
    char *rw, *rx;

    CHECK(fd >= 0 && ftruncate(fd, PG) == 0);
    rw = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    rx = mmap(NULL, PG, PROT_READ | PROT_EXEC, rx_type, fd, 0);
    CHECK(rw != MAP_FAILED && rx != MAP_FAILED);
    for (int i = 0; i < TRIES * 4; i++) {
        put_code((uint32_t *)rw, 400 + i);
        if (use_syscall) {
            CHECK(syscall(SYS_riscv_flush_icache, rx, rx + 8, 0) == 0);
        } else {
            fence_i();
        }
        bad += call(rx) != 400 + i;
    }
    if (bad) {
        fprintf(stderr, "dual mapping %d/%d: %d stale of %d\n", rx_type,
                use_syscall, bad, TRIES * 4);
    }
    CHECK(bad == 0);
    munmap(rw, PG);
    munmap(rx, PG);
    close(fd);
}

int main(void)
{
    test_map_fixed_over();
    test_mremap_over();
    test_madvise_revert();
    test_remap_file_pages();
    test_dual_mapping(MAP_SHARED, 0);
    test_dual_mapping(MAP_SHARED, 1);
    test_dual_mapping(MAP_PRIVATE, 0);
    return guest_done("mem_codechange");
}
