/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Memory: mmap (anonymous, file shared/private, fixed), munmap, mprotect,
 * mremap, msync, mincore, madvise(DONTNEED), mlock, brk via sbrk, and the
 * riscv-specific riscv_hwprobe / riscv_flush_icache (which QEMU 7.2 does
 * not know: ENOSYS is accepted).  PROT_NONE anonymous mappings made
 * readable later (a thread stack's pattern, which ctcg maps without a
 * host call on free pages) read as zero, also where memory was before.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/syscall.h>

#include "guest.h"

#define PG 4096

static void test_anon(void)
{
    unsigned char vec[4];
    char *p = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
         *q;

    CHECK(p != MAP_FAILED && ((uintptr_t)p & (PG - 1)) == 0);
    CHECK(p[0] == 0 && p[4 * PG - 1] == 0);
    memset(p, 0x5a, 4 * PG);
    CHECK(mincore(p, 4 * PG, vec) == 0 && (vec[0] & 1) && (vec[3] & 1));
    CHECK(madvise(p, PG, MADV_DONTNEED) == 0 && p[0] == 0 && p[PG] == 0x5a);
    CHECK(mprotect(p + PG, PG, PROT_READ) == 0 && p[PG] == 0x5a);
    CHECK(mprotect(p + PG, PG, PROT_READ | PROT_WRITE) == 0);
    p[PG] = 1;
    q = mremap(p, 4 * PG, 64 * PG, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED && q[PG] == 1 && q[3 * PG] == 0x5a);
    CHECK(q[63 * PG] == 0);
    q = mremap(q, 64 * PG, 2 * PG, 0);
    CHECK(q != MAP_FAILED && q[PG] == 1);
    CHECK(munmap(q, 2 * PG) == 0);
    CHECK_ERR(munmap((char *)q + 1, PG), EINVAL);
    CHECK(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
              MAP_FAILED &&
          errno == EINVAL);
    CHECK(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, 999, 0) == MAP_FAILED &&
          errno == EBADF);
    printf("anonymous: done\n");
}

static void test_fixed(void)
{
    char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
         *q;

    memset(p, 1, 3 * PG);
    q = mmap(p + PG, PG, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(q == p + PG && q[0] == 0 && p[0] == 1 && p[2 * PG] == 1);
    /* (MAP_FIXED_NOREPLACE is not checked: qemu-riscv64 7.2 ignores it) */
    CHECK(munmap(p, 3 * PG) == 0);
    CHECK(mlock(&p, sizeof(p)) == 0 || errno == EPERM || errno == ENOMEM);
    munlock(&p, sizeof(p));
    printf("fixed: done\n");
}

static int all_zero(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            return 0;
        }
    }
    return 1;
}

static void test_none(void)
{
    char *p = mmap(NULL, 17 * PG, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0),
         *q;

    CHECK(p != MAP_FAILED);
    CHECK(mprotect(p + PG, 16 * PG, PROT_READ | PROT_WRITE) == 0);
    CHECK(all_zero(p + PG, 16 * PG));
    memset(p + PG, 0x77, 16 * PG);
    /* Again at the same place: the old contents are gone. */
    CHECK(munmap(p, 17 * PG) == 0);
    q = mmap(p, 17 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
             0);
    CHECK(q == p && mprotect(p, 17 * PG, PROT_READ | PROT_WRITE) == 0);
    CHECK(all_zero(p, 17 * PG));
    /* Over live memory (and over a mix of live and free pages). */
    memset(p, 0x55, 8 * PG);
    CHECK(munmap(p + 8 * PG, 9 * PG) == 0);
    q = mmap(p + 4 * PG, 8 * PG, PROT_NONE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(q == p + 4 * PG && p[0] == 0x55 && p[4 * PG - 1] == 0x55);
    CHECK(mprotect(q, 8 * PG, PROT_READ) == 0 && all_zero(q, 8 * PG));
    CHECK(munmap(p, 12 * PG) == 0);
    printf("prot_none: done\n");
}

/*
 * Separate PROT_NONE mappings (LTP's munmap04) until mmap fails: ENOMEM
 * near vm.max_map_count (65530 by default; each one is a mapping of its
 * own), not a success without end.  ctcg once made them without a host
 * mapping, which no limit counted.
 */
static void test_map_count(void)
{
    char *base = (char *)0x2000000000ul; /* 128 GiB: free under both */
    long max = 0, i, made = 0;
    int st;
    pid_t pid;
    FILE *f = fopen("/proc/sys/vm/max_map_count", "r");

    if (f == NULL || fscanf(f, "%ld", &max) != 1 || max > 1000000) {
        printf("map_count: skipped\n"); /* not what the test can reach */
        if (f) {
            fclose(f);
        }
        return;
    }
    fclose(f);
    pid = fork(); /* the child's exit frees them all */
    if (pid == 0) {
        errno = 0;
        for (i = 0; i < max + 4096; i++) {
            void *p =
                mmap(base + 2 * i * PG, PG, PROT_NONE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

            if (p == MAP_FAILED && errno != EEXIST) {
                break;
            }
            made += p != MAP_FAILED;
        }
        _exit(i < max + 4096 && errno == ENOMEM && made <= max ? 0 : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
          WEXITSTATUS(st) == 0);
    printf("map_count: done\n");
}

static void test_file(void)
{
    char path[] = "/tmp/ctcg-mmap-XXXXXX", buf[8];
    int fd = mkstemp(path);
    char *s, *pr;

    CHECK(fd >= 0 && ftruncate(fd, 2 * PG) == 0);
    CHECK(pwrite(fd, "filedata", 8, PG) == 8);
    s = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    pr = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, PG);
    CHECK(s != MAP_FAILED && pr != MAP_FAILED);
    CHECK(!memcmp(s + PG, "filedata", 8) && !memcmp(pr, "filedata", 8));
    memcpy(s, "shared!!", 8);
    CHECK(msync(s, 2 * PG, MS_SYNC) == 0);
    CHECK(pread(fd, buf, 8, 0) == 8 && !memcmp(buf, "shared!!", 8));
    memcpy(pr, "private!", 8);
    CHECK(pread(fd, buf, 8, PG) == 8 && !memcmp(buf, "filedata", 8));
    CHECK(!memcmp(s + PG, "filedata", 8));
    CHECK(mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 1) == MAP_FAILED &&
          errno == EINVAL);
    munmap(s, 2 * PG);
    munmap(pr, PG);
    close(fd);
    unlink(path);
    printf("file: done\n");
}

static void test_brk(void)
{
    char *a = sbrk(0), *b;

    CHECK(a != (char *)-1 && sbrk(3 * PG) == a);
    b = sbrk(0);
    CHECK(b == a + 3 * PG);
    memset(a, 7, 3 * PG);
    CHECK(sbrk(-3 * PG) == b && sbrk(0) == a);
    printf("brk: done\n");
}

static void test_riscv(void)
{
    struct {
        int64_t key;
        uint64_t value;
    } pairs[3] = {
        {3, 0},
        {4, 0},
        {12345, 0},
    };
    long r = syscall(258, pairs, 3, 0, NULL, 0);

    if (r == 0) {
        CHECK(pairs[0].key == 3 && pairs[0].value == 1);  /* IMA */
        CHECK(pairs[1].key == 4 && (pairs[1].value & 1)); /* FD */
        CHECK(pairs[2].key == -1 && pairs[2].value == 0);
    } else {
        CHECK(errno == ENOSYS);
    }
    r = syscall(259, NULL, NULL, 0);
    CHECK(r == 0 || errno == ENOSYS);
    printf("riscv: done\n");
}

int main(void)
{
    test_anon();
    test_fixed();
    test_none();
    test_map_count();
    test_file();
    test_brk();
    test_riscv();
    return guest_done("mmap");
}
