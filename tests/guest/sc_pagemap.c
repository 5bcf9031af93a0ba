/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/self/pagemap is indexed by guest page (entry i at offset 8 * i
 * describes the page at i * 4096), as LTP's msync04 reads it:
 *  - a touched page is present (bit 63), an untouched one of the same
 *    mapping is not, an unmapped page's entry is 0; through pread,
 *    lseek + read, readv with two iovecs, a dup, /proc/<pid>/pagemap and
 *    /proc/thread-self/pagemap;
 *  - soft-dirty (bit 55): clear_refs "4" clears it, a write sets it again
 *    (skipped when the host kernel has no soft-dirty tracking);
 *  - an offset or length that is not a multiple of 8 is EINVAL, a read
 *    into a read-only buffer EFAULT, a read of 0 bytes 0;
 *  - the file ends at the end of the Sv39 user space (2^38): a read there
 *    answers 0, one that runs into it is short.
 * Run under ctcg only: qemu-riscv64 7.2 passes the file through (its
 * guest_base is 0 here, so entries happen to match, but the entries past
 * the guest's space, the emulator's own memory, are readable).
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/uio.h>

#include "guest.h"

#define PG 4096
#define PRESENT (1ull << 63)
#define SOFT_DIRTY (1ull << 55)
#define SPACE_END (1ull << 38)

static uint64_t entry(int fd, const void *addr)
{
    uint64_t e = 0xdeadbeef;

    CHECK(pread(fd, &e, 8, (off_t)((uintptr_t)addr / PG * 8)) == 8);
    return e;
}

static void test_present(int fd, const char *what)
{
    char *m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char *u = mmap(NULL, PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    CHECK(m != MAP_FAILED && u != MAP_FAILED);
    m[0] = 1;
    m[2 * PG] = 1;
    u[0] = 1;
    CHECK(munmap(u, PG) == 0);
    CHECK(entry(fd, m) & PRESENT);
    CHECK(!(entry(fd, m + PG) & PRESENT));
    CHECK(entry(fd, m + 2 * PG) & PRESENT);
    CHECK(entry(fd, u) == 0);
    munmap(m, 3 * PG);
    printf("%s present ok\n", what);
}

static void test_paths(void)
{
    char path[64];
    int fd;

    snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)getpid());
    fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    test_present(fd, "pid");
    close(fd);
    fd = open("/proc/thread-self/pagemap", O_RDONLY);
    CHECK(fd >= 0);
    test_present(fd, "thread-self");
    close(fd);
}

static void test_seek_readv(int fd)
{
    char *m = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t e[3] = {0, 0, 0};
    struct iovec v[2] = {{&e[0], 8}, {&e[1], 16}};
    off_t at = (off_t)((uintptr_t)m / PG * 8);

    CHECK(m != MAP_FAILED);
    m[PG] = 1;
    CHECK(lseek(fd, at, SEEK_SET) == at);
    CHECK(read(fd, e, 8) == 8);
    CHECK(!(e[0] & PRESENT));
    CHECK(lseek(fd, 0, SEEK_CUR) == at + 8);
    CHECK(read(fd, e, 8) == 8);
    CHECK(e[0] & PRESENT);
    memset(e, 0, sizeof(e));
    CHECK(lseek(fd, at, SEEK_SET) == at);
    CHECK(readv(fd, v, 2) == 24);
    CHECK(!(e[0] & PRESENT) && (e[1] & PRESENT) && !(e[2] & PRESENT));
    CHECK(lseek(fd, 0, SEEK_CUR) == at + 24);
    memset(e, 0, sizeof(e));
    CHECK(preadv(fd, v, 2, at) == 24);
    CHECK(!(e[0] & PRESENT) && (e[1] & PRESENT) && !(e[2] & PRESENT));
    munmap(m, 3 * PG);
    printf("lseek read readv ok\n");
}

static void test_soft_dirty(int fd)
{
    char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int cr = open("/proc/self/clear_refs", O_WRONLY);

    CHECK(m != MAP_FAILED);
    m[0] = 1;
    if (cr < 0 || !(entry(fd, m) & SOFT_DIRTY)) {
        printf("soft-dirty: not tracked by the host, skipped\n");
    } else {
        CHECK(write(cr, "4", 1) == 1);
        CHECK(!(entry(fd, m) & SOFT_DIRTY));
        m[1] = 2;
        CHECK(entry(fd, m) & SOFT_DIRTY);
        printf("soft-dirty ok\n");
    }
    if (cr >= 0) {
        close(cr);
    }
    munmap(m, PG);
}

static void test_errors(int fd)
{
    uint64_t e[4];
    char *ro = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    off_t here = (off_t)((uintptr_t)e / PG * 8);

    CHECK_ERR(pread(fd, e, 8, here + 4), EINVAL);
    CHECK_ERR(pread(fd, e, 12, here), EINVAL);
    CHECK(pread(fd, e, 0, here) == 0);
    CHECK_ERR(pread(fd, ro, 8, here), EFAULT);
    CHECK(pread(fd, e, 8, (off_t)(SPACE_END / PG * 8)) == 0);
    CHECK(pread(fd, e, 32, (off_t)(SPACE_END / PG * 8 - 16)) == 16);
    munmap(ro, PG);
    printf("errors ok\n");
}

int main(void)
{
    int fd = open("/proc/self/pagemap", O_RDONLY), fd2;

    CHECK(fd >= 0);
    test_present(fd, "self");
    fd2 = dup(fd);
    test_present(fd2, "dup");
    close(fd2);
    test_paths();
    test_seek_readv(fd);
    test_soft_dirty(fd);
    test_errors(fd);
    close(fd);
    return guest_done("sc_pagemap");
}
