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
 *    answers 0, one that runs into it is short;
 *  - another thread's tid names the same guest view: /proc/<tid>/pagemap,
 *    /proc/<pid>/task/<tid>/pagemap, /proc/self/task/<tid>/pagemap;
 *  - another process's pagemap (a forked child's) is the host's file as it
 *    is: readable, EINVAL for a length that is not a multiple of 8;
 *  - the PAGEMAP_SCAN ioctl (Linux 6.7) is ENOTTY on the guest's own
 *    pagemap and on another process's, as on a kernel before 6.7 (ctcg
 *    does not emulate it, see docs/syscalls.md).
 * Run under ctcg only: qemu-riscv64 7.2 passes the file through (its
 * guest_base is 0 here, so entries happen to match, but the entries past
 * the guest's space, the emulator's own memory, are readable).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "guest.h"

#define PG 4096
#define PRESENT (1ull << 63)
#define SOFT_DIRTY (1ull << 55)
#define SPACE_END (1ull << 38)
/* _IOWR('f', 16, struct pm_scan_arg), 96 bytes (linux/fs.h, 6.7) */
#define PAGEMAP_SCAN_REQ 0xc0606610u

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

static pthread_barrier_t tid_bar;
static volatile pid_t other_tid;

static void *tid_thread(void *arg)
{
    (void)arg;
    other_tid = (pid_t)syscall(SYS_gettid);
    pthread_barrier_wait(&tid_bar); /* tid published */
    pthread_barrier_wait(&tid_bar); /* main is done with it */
    return NULL;
}

/* Another thread's tid names the process's pagemap: the guest view too. */
static void test_other_tid(void)
{
    const char *fmt[] = {"/proc/%2$d/pagemap", "/proc/%1$d/task/%2$d/pagemap",
                         "/proc/self/task/%2$d/pagemap"};
    const char *what[] = {"tid", "pid/task/tid", "self/task/tid"};
    pthread_t th;
    char path[80];

    CHECK(pthread_barrier_init(&tid_bar, NULL, 2) == 0);
    CHECK(pthread_create(&th, NULL, tid_thread, NULL) == 0);
    pthread_barrier_wait(&tid_bar);
    for (int i = 0; i < 3; i++) {
        int fd;

        snprintf(path, sizeof(path), fmt[i], (int)getpid(), (int)other_tid);
        fd = open(path, O_RDONLY);
        CHECK(fd >= 0);
        test_present(fd, what[i]);
        close(fd);
    }
    pthread_barrier_wait(&tid_bar);
    pthread_join(th, NULL);
    pthread_barrier_destroy(&tid_bar);
}

/* A forked child's pagemap: the host's file, read as it is. */
static void test_other_process(void)
{
    uint64_t e[2] = {1, 1}, arg[12];
    int pfd[2], st, fd;
    char path[64], c;
    pid_t pid;

    CHECK(pipe(pfd) == 0);
    pid = fork();
    if (pid == 0) {
        close(pfd[1]);
        (void)!read(pfd[0], &c, 1); /* wait for the parent */
        _exit(0);
    }
    CHECK(pid > 0);
    snprintf(path, sizeof(path), "/proc/%d/pagemap", (int)pid);
    fd = open(path, O_RDONLY);
    CHECK(fd >= 0);
    CHECK(pread(fd, e, 16, 0) == 16);
    CHECK(e[0] == 0 && e[1] == 0); /* page 0 is mapped nowhere */
    CHECK_ERR(pread(fd, e, 12, 0), EINVAL);
    memset(arg, 0, sizeof(arg));
    arg[0] = sizeof(arg);
    CHECK_ERR(ioctl(fd, PAGEMAP_SCAN_REQ, arg), ENOTTY);
    close(fd);
    close(pfd[1]);
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st));
    close(pfd[0]);
    printf("other process ok\n");
}

/* PAGEMAP_SCAN: ENOTTY, as a kernel before 6.7 answers. */
static void test_scan(int fd)
{
    char *m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint64_t arg[12], vec[6];

    CHECK(m != MAP_FAILED);
    m[0] = 1;
    memset(arg, 0, sizeof(arg));
    arg[0] = sizeof(arg);           /* size */
    arg[2] = (uintptr_t)m;          /* start */
    arg[3] = (uintptr_t)m + 2 * PG; /* end */
    arg[5] = (uintptr_t)vec;        /* vec */
    arg[6] = 2;                     /* vec_len */
    arg[11] = 1ull << 3;            /* return_mask: PAGE_IS_PRESENT */
    CHECK_ERR(ioctl(fd, PAGEMAP_SCAN_REQ, arg), ENOTTY);
    munmap(m, 2 * PG);
    printf("PAGEMAP_SCAN ok\n");
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
    test_other_tid();
    test_other_process();
    test_scan(fd);
    test_seek_readv(fd);
    test_soft_dirty(fd);
    test_errors(fd);
    close(fd);
    return guest_done("sc_pagemap");
}
