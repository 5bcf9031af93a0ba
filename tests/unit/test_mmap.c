/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of linux-user/mmap.c: the page-flags table, placement,
 * mmap/munmap/mprotect/mremap/brk semantics, System V shm attachments
 * (shmat/shmdt and the pieces munmap leaves) and /proc/self/maps output.
 *
 * mmap.c, mmap-maps.c and mmap-shm.c are included so the tests can see
 * their static state.  One guest space of 1 GiB is reserved for the
 * whole program; each test starts from an empty map (setup unmaps
 * everything).
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <unistd.h>

#include <cmocka.h>

#include "linux-user/mmap.c"
#include "linux-user/mmap-maps.c"
#include "linux-user/mmap-shm.c"

UserOptions user_opts;

#define SPACE (1ull << 30)
#define PG TARGET_PAGE_SIZE
#define ANON (TARGET_MAP_PRIVATE | TARGET_MAP_ANONYMOUS)
#define RW (TARGET_PROT_READ | TARGET_PROT_WRITE)

static int setup(void **state)
{
    (void)state;
    assert_int_equal(target_munmap(0, guest_space_size), 0);
    brk_start = brk_cur = 0;
    stack_lo = stack_hi = 0;
    return 0;
}

/* Is the host reservation still in place over [a, a + len)? */
static bool host_mapped(uint64_t a, uint64_t len)
{
    return msync(g2h(a), len, MS_ASYNC) == 0;
}

static void test_mmap_space_init(void **state)
{
    (void)state;
    assert_int_equal(guest_space_size, SPACE);
    assert_true(tcg_guest_base != 0);
    assert_int_equal(tcg_guest_base & (PG - 1), 0);
    /* stack gap 8 MiB + 1 MiB is below the 128 MiB minimum */
    assert_int_equal(mmap_base, SPACE - MMAP_MIN_GAP);
    assert_true(host_mapped(0, SPACE));
}

static void test_mmap_page_flags_set_get(void **state)
{
    int f = PAGE_VALID | PAGE_READ | PAGE_WRITE;

    (void)state;
    mmap_lock();
    /* across a leaf boundary (4096 pages = 16 MiB) */
    page_set_flags(0x1000000 - 2 * PG, 0x1000000 + 2 * PG, f);
    assert_int_equal(page_get_flags(0x1000000 - 2 * PG), f);
    assert_int_equal(page_get_flags(0x1000000 + PG + 123), f);
    assert_int_equal(page_get_flags(0x1000000 + 2 * PG), 0);
    assert_int_equal(page_get_flags(0x1000000 - 3 * PG), 0);
    assert_int_equal(leaf_get(0x1000000 / PG - 1)->nvalid, 2);
    assert_int_equal(leaf_get(0x1000000 / PG)->nvalid, 2);
    /* without PAGE_VALID the pages become unmapped */
    page_set_flags(0x1000000 - PG, 0x1000000 + PG, PAGE_READ);
    assert_int_equal(page_get_flags(0x1000000 - PG), 0);
    assert_int_equal(leaf_get(0x1000000 / PG)->nvalid, 1);
    page_set_flags(0, SPACE, 0);
    assert_int_equal(leaf_get(0x1000000 / PG)->nvalid, 0);
    mmap_unlock();
    /* outside the space */
    assert_int_equal(page_get_flags(SPACE), 0);
    assert_int_equal(page_get_flags(~0ull), 0);
}

static void test_mmap_page_check_range(void **state)
{
    (void)state;
    mmap_lock();
    page_set_flags(0x100000, 0x100000 + 2 * PG,
                   PAGE_VALID | PAGE_READ | PAGE_WRITE);
    page_set_flags(0x100000 + 2 * PG, 0x100000 + 3 * PG,
                   PAGE_VALID | PAGE_READ | PAGE_WRITE_ORG);
    mmap_unlock();
    assert_true(page_check_range(0x100000, 3 * PG, PAGE_READ | PAGE_WRITE));
    assert_true(page_check_range(0x100000 + 5, 1, PAGE_READ));
    assert_false(page_check_range(0x100000, 3 * PG, PAGE_EXEC));
    assert_false(page_check_range(0x100000, 3 * PG + 1, PAGE_READ));
    assert_false(page_check_range(0x100000 - 1, 2, 0));
    assert_true(page_check_range(0x100000, 0, PAGE_READ));
    assert_false(page_check_range(SPACE - 1, 2, 0));
}

static void test_mmap_anon_topdown(void **state)
{
    int64_t a, b, c;

    (void)state;
    a = target_mmap(0, 3 * PG, RW, ANON, -1, 0);
    b = target_mmap(0, PG, TARGET_PROT_READ, ANON, -1, 0);
    assert_int_equal(a, mmap_base - 3 * PG);
    assert_int_equal(b, a - PG);
    assert_int_equal(page_get_flags(a),
                     PAGE_VALID | PAGE_ANON | PAGE_READ | PAGE_WRITE);
    assert_int_equal(page_get_flags(b), PAGE_VALID | PAGE_ANON | PAGE_READ);
    memset(g2h(a), 0x5a, 3 * PG); /* writable on the host */
    /* a hole is reused when it fits */
    assert_int_equal(target_munmap(a, PG), 0);
    c = target_mmap(0, PG, RW, ANON, -1, 0);
    assert_int_equal(c, a);
    assert_int_equal(*(uint8_t *)g2h(c), 0); /* fresh memory */
    c = target_mmap(0, 2 * PG, RW, ANON, -1, 0);
    assert_int_equal(c, b - 2 * PG);
}

static void test_mmap_hint(void **state)
{
    int64_t a;

    (void)state;
    a = target_mmap(0x200000, PG, RW, ANON, -1, 0);
    assert_int_equal(a, 0x200000);
    /* occupied hint: placed elsewhere */
    a = target_mmap(0x200000, PG, RW, ANON, -1, 0);
    assert_int_equal(a, mmap_base - PG);
    /* unaligned hint is rounded up */
    a = target_mmap(0x300001, PG, RW, ANON, -1, 0);
    assert_int_equal(a, 0x301000);
    /* below mmap_min_addr: ignored */
    a = target_mmap(0x1000, PG, RW, ANON, -1, 0);
    assert_int_equal(a, mmap_base - 2 * PG);
}

static void test_mmap_fixed(void **state)
{
    int64_t a;

    (void)state;
    a = target_mmap(0x400000, 4 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);
    assert_int_equal(a, 0x400000);
    memset(g2h(a), 1, 4 * PG);
    /* MAP_FIXED replaces */
    a = target_mmap(0x401000, PG, TARGET_PROT_READ, ANON | TARGET_MAP_FIXED, -1,
                    0);
    assert_int_equal(a, 0x401000);
    assert_int_equal(*(uint8_t *)g2h(0x401000), 0);
    assert_int_equal(*(uint8_t *)g2h(0x402000), 1);
    assert_int_equal(page_get_flags(0x401000) & (PAGE_READ | PAGE_WRITE),
                     PAGE_READ);
    /* MAP_FIXED_NOREPLACE */
    assert_int_equal(target_mmap(0x403000, 2 * PG, RW,
                                 ANON | TARGET_MAP_FIXED_NOREPLACE, -1, 0),
                     -EEXIST);
    assert_int_equal(
        target_mmap(0x404000, PG, RW, ANON | TARGET_MAP_FIXED_NOREPLACE, -1, 0),
        0x404000);
    /* the top page of the space is fine, one more is not */
    assert_int_equal(
        target_mmap(SPACE - PG, PG, RW, ANON | TARGET_MAP_FIXED, -1, 0),
        SPACE - PG);
    assert_int_equal(
        target_mmap(SPACE - PG, 2 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0),
        -ENOMEM);
}

static void test_mmap_errors(void **state)
{
    (void)state;
    assert_int_equal(target_mmap(0, 0, RW, ANON, -1, 0), -EINVAL);
    assert_int_equal(target_mmap(0, PG, RW, ANON, -1, 1), -EINVAL);
    assert_int_equal(
        target_mmap(0x400001, PG, RW, ANON | TARGET_MAP_FIXED, -1, 0), -EINVAL);
    assert_int_equal(target_mmap(0, PG, RW, TARGET_MAP_ANONYMOUS, -1, 0),
                     -EINVAL); /* no type */
    assert_int_equal(target_mmap(0, SPACE + PG, RW, ANON, -1, 0), -ENOMEM);
    assert_int_equal(target_mmap(0, ~0ull, RW, ANON, -1, 0), -ENOMEM);
    assert_int_equal(
        target_mmap(0x1000, PG, RW, ANON | TARGET_MAP_FIXED, -1, 0), -EPERM);
    assert_int_equal(target_mmap(0, PG, RW, TARGET_MAP_PRIVATE, 12345, 0),
                     -EBADF);
    assert_int_equal(page_get_flags(0x400000), 0);
}

static void test_mmap_no_space(void **state)
{
    int64_t a;

    (void)state;
    /* Fill all but one page below the top: a 2-page request fails. */
    a = target_mmap(MMAP_MIN_ADDR, SPACE - MMAP_MIN_ADDR - PG, 0,
                    ANON | TARGET_MAP_FIXED | TARGET_MAP_NORESERVE, -1, 0);
    assert_int_equal(a, MMAP_MIN_ADDR);
    assert_int_equal(target_mmap(0, 2 * PG, RW, ANON, -1, 0), -ENOMEM);
    /* The last page, above mmap_base, is found by the fallback. */
    assert_int_equal(target_mmap(0, PG, RW, ANON, -1, 0), SPACE - PG);
}

static int make_file(size_t size)
{
    char path[] = "/tmp/ctcg-test-mmap-XXXXXX";
    int fd = mkstemp(path);
    uint8_t *buf = malloc(size);

    assert_true(fd >= 0 && buf);
    unlink(path);
    for (size_t i = 0; i < size; i++) {
        buf[i] = (uint8_t)(i / PG + 1);
    }
    assert_int_equal(write(fd, buf, size), (ssize_t)size);
    free(buf);
    return fd;
}

static void test_mmap_file(void **state)
{
    int fd = make_file(4 * PG);
    int64_t a, b;
    uint8_t byte;

    (void)state;
    a = target_mmap(0, 2 * PG, TARGET_PROT_READ, TARGET_MAP_PRIVATE, fd,
                    2 * PG);
    assert_true(a > 0);
    assert_int_equal(*(uint8_t *)g2h(a), 3);
    assert_int_equal(*(uint8_t *)g2h(a + PG), 4);
    /* a file open for writing: its pages can change under the mapping */
    assert_int_equal(page_get_flags(a), PAGE_VALID | PAGE_READ | PAGE_ALIAS);
    /* shared: writes reach the file */
    b = target_mmap(0, PG, RW, TARGET_MAP_SHARED, fd, 0);
    assert_true(b > 0);
    assert_true(page_get_flags(b) & PAGE_ALIAS);
    *(uint8_t *)g2h(b) = 0x77;
    assert_int_equal(pread(fd, &byte, 1, 0), 1);
    assert_int_equal(byte, 0x77);
    /* misaligned offset */
    assert_int_equal(target_mmap(0, PG, RW, TARGET_MAP_PRIVATE, fd, 100),
                     -EINVAL);
    close(fd);
}

static void test_mmap_munmap(void **state)
{
    int64_t a =
        target_mmap(0x500000, 4 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);

    (void)state;
    memset(g2h(a), 9, 4 * PG);
    assert_int_equal(target_munmap(a + PG, 2 * PG), 0);
    assert_int_equal(page_get_flags(a + PG), 0);
    assert_int_equal(page_get_flags(a + 2 * PG), 0);
    assert_int_equal(page_get_flags(a + 3 * PG) & PAGE_VALID, PAGE_VALID);
    assert_true(host_mapped(a, 4 * PG)); /* reservation back */
    /* unmapping unmapped memory is fine; a partial page length rounds */
    assert_int_equal(target_munmap(a + PG, 1), 0);
    assert_int_equal(target_munmap(a + 1, PG), -EINVAL);
    assert_int_equal(target_munmap(a, 0), -EINVAL);
    assert_int_equal(target_munmap(SPACE - PG, 2 * PG), -EINVAL);
    /* remapped memory is zero */
    a = target_mmap(a + PG, PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);
    assert_int_equal(*(uint8_t *)g2h(a), 0);
}

static void test_mmap_mprotect(void **state)
{
    int64_t a =
        target_mmap(0x600000, 3 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);

    (void)state;
    assert_int_equal(
        target_mprotect(a + PG, PG, TARGET_PROT_READ | TARGET_PROT_EXEC), 0);
    assert_int_equal(page_get_flags(a + PG),
                     PAGE_VALID | PAGE_ANON | PAGE_READ | PAGE_EXEC);
    assert_int_equal(page_get_flags(a) & PAGE_WRITE, PAGE_WRITE);
    assert_int_equal(target_mprotect(a + 1, PG, RW), -EINVAL);
    assert_int_equal(target_mprotect(a, PG, 0x40), -EINVAL);
    assert_int_equal(target_mprotect(a, 4 * PG, RW), -ENOMEM);
    assert_int_equal(target_mprotect(a, 0, RW), 0);
    assert_int_equal(target_mprotect(a, 2 * PG, 0), 0);
    assert_int_equal(page_get_flags(a), PAGE_VALID | PAGE_ANON);
    /* PROT_GROWSDOWN only on the stack */
    assert_int_equal(target_mprotect(a, PG, RW | TARGET_PROT_GROWSDOWN),
                     -EINVAL);
}

static void test_mmap_mremap_shrink_grow(void **state)
{
    int64_t a =
        target_mmap(0x700000, 4 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);
    int64_t r;

    (void)state;
    memset(g2h(a), 0x11, 4 * PG);
    r = target_mremap(a, 4 * PG, 2 * PG, 0, 0);
    assert_int_equal(r, a);
    assert_int_equal(page_get_flags(a + 2 * PG), 0);
    /* grow in place into the free pages */
    r = target_mremap(a, 2 * PG, 6 * PG, 0, 0);
    assert_int_equal(r, a);
    assert_int_equal(*(uint8_t *)g2h(a + PG), 0x11);
    assert_int_equal(*(uint8_t *)g2h(a + 5 * PG), 0);
    assert_true(page_check_range(a, 6 * PG, PAGE_READ | PAGE_WRITE));
    /* blocked: ENOMEM without MAYMOVE, moved with it */
    target_mmap(a + 6 * PG, PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);
    assert_int_equal(target_mremap(a, 6 * PG, 8 * PG, 0, 0), -ENOMEM);
    r = target_mremap(a, 6 * PG, 8 * PG, TARGET_MREMAP_MAYMOVE, 0);
    assert_int_equal(r, mmap_base - 8 * PG);
    assert_int_equal(*(uint8_t *)g2h(r + PG), 0x11);
    assert_int_equal(page_get_flags(a), 0);
    assert_true(host_mapped(a, 6 * PG));
    assert_true(page_check_range(r, 8 * PG, PAGE_READ | PAGE_WRITE));
}

static void test_mmap_mremap_fixed_errors(void **state)
{
    int64_t a =
        target_mmap(0x800000, 2 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);
    int64_t r;

    (void)state;
    *(uint8_t *)g2h(a) = 0x42;
    r = target_mremap(a, 2 * PG, 2 * PG,
                      TARGET_MREMAP_MAYMOVE | TARGET_MREMAP_FIXED, 0x900000);
    assert_int_equal(r, 0x900000);
    assert_int_equal(*(uint8_t *)g2h(r), 0x42);
    assert_int_equal(page_get_flags(a), 0);
    assert_int_equal(target_mremap(r, PG, PG, TARGET_MREMAP_FIXED, 0xa00000),
                     -EINVAL);
    assert_int_equal(target_mremap(r, 2 * PG, PG,
                                   TARGET_MREMAP_MAYMOVE | TARGET_MREMAP_FIXED,
                                   r + PG),
                     -EINVAL);
    assert_int_equal(target_mremap(a, PG, 2 * PG, TARGET_MREMAP_MAYMOVE, 0),
                     -EFAULT);
    assert_int_equal(target_mremap(r + 1, PG, 2 * PG, 0, 0), -EINVAL);
    assert_int_equal(target_mremap(r, PG, 0, 0, 0), -EINVAL);
    assert_int_equal(target_mremap(r, PG, PG, 8, 0), -EINVAL);
}

static void test_mmap_brk(void **state)
{
    (void)state;
    target_set_brk(0x2000000);
    assert_int_equal(do_brk(0), 0x2000000);
    assert_int_equal(do_brk(0x2000100), 0x2000100);
    assert_int_equal(page_get_flags(0x2000000) & PAGE_WRITE, PAGE_WRITE);
    *(uint8_t *)g2h(0x20000ff) = 1;
    assert_int_equal(do_brk(0x2003000), 0x2003000);
    assert_true(page_check_range(0x2000000, 0x3000, PAGE_WRITE));
    assert_int_equal(page_get_flags(0x2003000), 0);
    /* shrink */
    assert_int_equal(do_brk(0x2001000), 0x2001000);
    assert_int_equal(page_get_flags(0x2001000), 0);
    /* below the start: the current break */
    assert_int_equal(do_brk(0x1000000), 0x2001000);
    /* blocked by a mapping (or the page just below it): unchanged */
    target_mmap(0x2005000, PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);
    assert_int_equal(do_brk(0x2004800), 0x2001000);
    assert_int_equal(do_brk(0x2004000), 0x2004000);
    assert_int_equal(do_brk(SPACE + PG), 0x2004000);
}

/* The page counters and the guest's RLIMIT_AS / RLIMIT_DATA. */
static void test_mmap_rlimits(void **state)
{
    const uint64_t RO = TARGET_PROT_READ;
    int64_t a, b;

    (void)state;
    assert_int_equal(vm_pages, 0);
    assert_int_equal(vm_data_pages, 0);
    a = target_mmap(0, 4 * PG, RW, ANON, -1, 0);
    b = target_mmap(0, 2 * PG, RO, ANON, -1, 0);
    assert_true(a > 0 && b > 0);
    assert_int_equal(vm_pages, 6);
    assert_int_equal(vm_data_pages, 4);
    /* shared and stack pages are not data; mprotect moves pages out */
    assert_true(target_mmap(0, PG, RW, TARGET_MAP_SHARED | TARGET_MAP_ANONYMOUS,
                            -1, 0) > 0);
    assert_int_equal(target_mprotect(a, PG, RO), 0);
    assert_int_equal(vm_pages, 7);
    assert_int_equal(vm_data_pages, 3);

    mmap_set_rlimits(9 * PG, RLIM64_INFINITY, RLIM64_INFINITY);
    assert_int_equal(target_mmap(0, 3 * PG, RO, ANON, -1, 0), -ENOMEM);
    assert_true(target_mmap(0, 2 * PG, RO, ANON, -1, 0) > 0); /* 9 pages */
    /* replacing mapped pages adds none */
    assert_int_equal(target_mmap(b, 2 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0),
                     b);
    assert_int_equal(target_mremap(b, 2 * PG, 3 * PG, TARGET_MREMAP_MAYMOVE, 0),
                     -ENOMEM);
    target_set_brk(0x2000000);
    assert_int_equal(do_brk(0x2000000 + PG), 0x2000000);

    mmap_set_rlimits(RLIM64_INFINITY, 6 * PG,
                     RLIM64_INFINITY); /* 5 data pages now */
    assert_int_equal(target_mmap(0, 2 * PG, RW, ANON, -1, 0), -ENOMEM);
    assert_true(target_mmap(0, 2 * PG, RO, ANON, -1, 0) > 0);
    assert_true(target_mmap(0, PG, RW, ANON, -1, 0) > 0); /* 6 */
    assert_int_equal(do_brk(0x2000000 + PG), 0x2000000);
    mmap_set_rlimits(RLIM64_INFINITY, RLIM64_INFINITY, RLIM64_INFINITY);
    assert_int_equal(do_brk(0x2000000 + PG), 0x2000000 + PG);
    assert_int_equal(target_munmap(0, guest_space_size), 0);
    assert_int_equal(vm_pages, 0);
    assert_int_equal(vm_data_pages, 0);
}

/* Run dump_guest_maps() into a string. */
static char *maps_text(void)
{
    static char buf[8192];
    int fds[2];
    ssize_t n;

    assert_int_equal(pipe(fds), 0);
    dump_guest_maps(fds[1]);
    close(fds[1]);
    n = read(fds[0], buf, sizeof(buf) - 1);
    close(fds[0]);
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

static void test_mmap_dump_maps(void **state)
{
    int fd = make_file(2 * PG);
    char *t, line[160];

    (void)state;
    target_mmap(0x400000, 2 * PG, RW, ANON | TARGET_MAP_FIXED, -1, 0);
    target_mprotect(0x401000, PG, TARGET_PROT_READ | TARGET_PROT_EXEC);
    target_mmap(0x500000, PG, TARGET_PROT_READ,
                TARGET_MAP_PRIVATE | TARGET_MAP_FIXED, fd, PG);
    target_mmap(SPACE - 2 * PG, 2 * PG, RW,
                ANON | TARGET_MAP_FIXED | TARGET_MAP_GROWSDOWN, -1, 0);
    target_set_brk(0x600000);
    do_brk(0x601000);
    t = maps_text();
    assert_non_null(strstr(t, "00400000-00401000 rw-p 00000000 00:00 0 \n"));
    assert_non_null(strstr(t, "00401000-00402000 r-xp 00000000 00:00 0 \n"));
    assert_non_null(strstr(t, "00500000-00501000 r--p 00001000 "));
    assert_non_null(strstr(t, "/tmp/ctcg-test-mmap-"));
    snprintf(line, sizeof(line), "%08llx-%08llx rw-p 00000000 00:00 0",
             SPACE - 2 * PG, SPACE);
    assert_non_null(strstr(t, line));
    assert_non_null(strstr(t, "[stack]\n"));
    assert_non_null(strstr(t, "00600000-00601000 rw-p 00000000 00:00 0"));
    assert_non_null(strstr(t, "[heap]\n"));
    /* the name starts in column 74, as Linux pads it */
    assert_int_equal(strstr(t, "[stack]") - strstr(t, line), 73);
    close(fd);
}

static int test_shm_id = -1;

/* A host System V segment of @size bytes, removed by shm_teardown. */
static int shm_segment(size_t size)
{
    test_shm_id = shmget(IPC_PRIVATE, size, IPC_CREAT | 0600);
    assert_true(test_shm_id >= 0);
    return test_shm_id;
}

static int shm_teardown(void **state)
{
    (void)state;
    if (test_shm_id >= 0) {
        shmctl(test_shm_id, IPC_RMID, NULL);
        test_shm_id = -1;
    }
    return 0;
}

static void test_mmap_shmat_shmdt(void **state)
{
    int id = shm_segment(3 * PG - 10);
    int64_t a;

    (void)state;
    a = target_shmat(id, 0, 3 * PG - 10, 0);
    assert_true(a > 0 && (a & (PG - 1)) == 0);
    /* Shared memory can be written through other attaches: PAGE_ALIAS. */
    assert_int_equal(page_get_flags(a),
                     PAGE_VALID | PAGE_READ | PAGE_WRITE | PAGE_ALIAS);
    assert_int_equal(page_get_flags(a + 2 * PG), page_get_flags(a));
    assert_int_equal(shm_npieces, 1);
    assert_int_equal(target_shmdt(a + PG), -EINVAL);
    assert_int_equal(target_shmdt(a + 1), -EINVAL);
    /* A fixed attach over it needs SHM_REMAP. */
    assert_int_equal(target_shmat(id, a + PG, PG, 0), -EINVAL);
    assert_int_equal(target_shmdt(a), 0);
    assert_int_equal(page_get_flags(a), 0);
    assert_int_equal(page_get_flags(a + 2 * PG), 0);
    assert_int_equal(shm_npieces, 0);
    assert_int_equal(target_shmdt(a), -EINVAL);
    /* Read-only and exec; below mmap_min_addr is EPERM. */
    a = target_shmat(id, 0x100000, 3 * PG - 10,
                     TARGET_SHM_RDONLY | TARGET_SHM_EXEC);
    assert_int_equal(a, 0x100000);
    assert_int_equal(page_get_flags(a),
                     PAGE_VALID | PAGE_READ | PAGE_EXEC | PAGE_ALIAS);
    assert_int_equal(target_shmdt(a), 0);
    assert_int_equal(target_shmat(id, 0x1000, PG, 0), -EPERM);
}

/* munmap and mmap over an attachment cut it, as Linux's VMAs. */
static void test_mmap_shm_pieces(void **state)
{
    int id = shm_segment(4 * PG);
    uint64_t a = 0x200000;

    (void)state;
    assert_int_equal(target_shmat(id, a, 4 * PG, 0), (int64_t)a);
    /* A hole in the middle: two pieces, shmdt unmaps both. */
    assert_int_equal(target_munmap(a + PG, PG), 0);
    assert_int_equal(shm_npieces, 2);
    assert_int_equal(target_shmdt(a), 0);
    assert_false(page_check_range(a, PG, 0));
    assert_false(page_check_range(a + 2 * PG, 2 * PG, 0));
    assert_int_equal(shm_npieces, 0);
    /* Without the first page shmdt still finds the rest ... */
    assert_int_equal(target_shmat(id, a, 4 * PG, 0), (int64_t)a);
    assert_int_equal(target_munmap(a, PG), 0);
    assert_int_equal(target_shmdt(a), 0);
    assert_false(page_check_range(a + PG, PG, 0));
    /* ... but leaves a mapping placed over it alone. */
    assert_int_equal(target_shmat(id, a, 4 * PG, 0), (int64_t)a);
    assert_int_equal(
        target_mmap(a + 3 * PG, PG, RW, ANON | TARGET_MAP_FIXED, -1, 0),
        (int64_t)(a + 3 * PG));
    assert_int_equal(target_shmdt(a), 0);
    assert_false(page_check_range(a, PG, 0));
    assert_true(page_check_range(a + 3 * PG, PG, PAGE_READ | PAGE_WRITE));
    /* SHM_REMAP replaces what is there. */
    assert_int_equal(target_shmat(id, a + 2 * PG, 2 * PG, TARGET_SHM_REMAP),
                     (int64_t)(a + 2 * PG));
    assert_int_equal(page_get_flags(a + 3 * PG),
                     PAGE_VALID | PAGE_READ | PAGE_WRITE | PAGE_ALIAS);
    assert_int_equal(target_shmdt(a + 2 * PG), 0);
    assert_int_equal(page_get_flags(a + 3 * PG), 0);
}

static void test_mmap_lock_recursive(void **state)
{
    (void)state;
    mmap_lock();
    mmap_lock();
    assert_int_equal(mmap_lock_count, 2);
    /* public calls nest inside a held lock */
    assert_true(target_mmap(0, PG, RW, ANON, -1, 0) > 0);
    mmap_unlock();
    mmap_unlock();
    assert_int_equal(mmap_lock_count, 0);
    assert_int_equal(pthread_mutex_trylock(&mmap_mutex), 0);
    pthread_mutex_unlock(&mmap_mutex);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_mmap_space_init, setup),
        cmocka_unit_test_setup(test_mmap_page_flags_set_get, setup),
        cmocka_unit_test_setup(test_mmap_page_check_range, setup),
        cmocka_unit_test_setup(test_mmap_anon_topdown, setup),
        cmocka_unit_test_setup(test_mmap_hint, setup),
        cmocka_unit_test_setup(test_mmap_fixed, setup),
        cmocka_unit_test_setup(test_mmap_errors, setup),
        cmocka_unit_test_setup(test_mmap_no_space, setup),
        cmocka_unit_test_setup(test_mmap_file, setup),
        cmocka_unit_test_setup(test_mmap_munmap, setup),
        cmocka_unit_test_setup(test_mmap_mprotect, setup),
        cmocka_unit_test_setup(test_mmap_mremap_shrink_grow, setup),
        cmocka_unit_test_setup(test_mmap_mremap_fixed_errors, setup),
        cmocka_unit_test_setup(test_mmap_brk, setup),
        cmocka_unit_test_setup(test_mmap_rlimits, setup),
        cmocka_unit_test_setup(test_mmap_dump_maps, setup),
        cmocka_unit_test_setup_teardown(test_mmap_shmat_shmdt, setup,
                                        shm_teardown),
        cmocka_unit_test_setup_teardown(test_mmap_shm_pieces, setup,
                                        shm_teardown),
        cmocka_unit_test_setup(test_mmap_lock_recursive, setup),
    };

    user_opts.stack_size = 8 << 20;
    if (guest_space_init(SPACE, 0) != 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
