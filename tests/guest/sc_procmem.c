/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/self/mem takes guest addresses as offsets (and never reaches the
 * emulator's memory):
 *  - pread of a global's address reads it, pwrite changes it, through
 *    /proc/self/mem, /proc/<pid>/mem, /proc/thread-self/mem and
 *    openat(open("/proc/self"), "mem");
 *  - lseek SEEK_SET/SEEK_CUR answer guest addresses, read/write use them;
 *  - preadv/pwritev with two iovecs;
 *  - addresses above the Sv39 user space (1 << 40, 0x7fff00000000, a
 *    global's address + 2^46 -- where a host address would be) and an
 *    unmapped page give EIO and read nothing; a read running into an
 *    unmapped page is short;
 *  - instructions written into the (read-only) text through the file run
 *    at the next call, without fence.i, as Linux flushes the icache;
 *  - a dup and an F_DUPFD_CLOEXEC copy translate too; a forked child's
 *    inherited descriptor reads the parent's memory;
 *  - sendfile from the file is EINVAL (it has no splice_read).
 * Run under ctcg only: qemu-riscv64 7.2 passes the file through (right
 * only because its guest_base is 0 here, and its own memory is reachable)
 * and does not drop the translation of code written through it, so
 * patchme() still answers 7 there.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "guest.h"

#define PG 4096

static volatile uint64_t cell = 0x1122334455667788ull;
static volatile uint64_t cell2 = 0x99aabbccddeeff00ull;

/* li a0, 7; ret -- in 4-byte encodings, with room for the new code */
int patchme(void);
__asm__(".text\n.balign 16\n.globl patchme\n.type patchme,@function\n"
        "patchme:\n.option push\n.option norvc\n"
        "addi a0, zero, 7\njalr zero, 0(ra)\nnop\nnop\n.option pop\n");

static void check_rw(int fd, const char *what)
{
    uint64_t v = 0, nv = 0x0102030405060708ull;

    cell = 0x1122334455667788ull;
    CHECK(pread(fd, &v, 8, (off_t)(uintptr_t)&cell) == 8);
    CHECK(v == 0x1122334455667788ull);
    CHECK(pwrite(fd, &nv, 8, (off_t)(uintptr_t)&cell) == 8);
    CHECK(cell == nv);
    printf("%s ok\n", what);
}

static void test_paths(void)
{
    char path[64];
    int fd, dfd;

    fd = open("/proc/self/mem", O_RDWR);
    CHECK(fd >= 0);
    check_rw(fd, "self");
    close(fd);
    snprintf(path, sizeof(path), "/proc/%d/mem", (int)getpid());
    fd = open(path, O_RDWR);
    CHECK(fd >= 0);
    check_rw(fd, "pid");
    close(fd);
    fd = open("/proc/thread-self/mem", O_RDWR);
    CHECK(fd >= 0);
    check_rw(fd, "thread-self");
    close(fd);
    dfd = open("/proc/self", O_RDONLY | O_DIRECTORY);
    CHECK(dfd >= 0);
    fd = openat(dfd, "mem", O_RDWR);
    CHECK(fd >= 0);
    check_rw(fd, "openat dirfd");
    close(fd);
    close(dfd);
}

static void test_seek(int fd)
{
    off_t a = (off_t)(uintptr_t)&cell;
    uint64_t v = 0, nv = 0xdeadbeefcafef00dull;
    uint64_t vv[2] = {0, 0}, w[2] = {5, 6};
    struct iovec iov[2] = {{&vv[0], 8}, {&vv[1], 8}};

    cell = 0x1122334455667788ull;
    CHECK(lseek(fd, a, SEEK_SET) == a);
    CHECK(read(fd, &v, 8) == 8 && v == 0x1122334455667788ull);
    CHECK(lseek(fd, 0, SEEK_CUR) == a + 8);
    CHECK(lseek(fd, -8, SEEK_CUR) == a);
    CHECK(write(fd, &nv, 8) == 8 && cell == nv);
    CHECK(lseek(fd, 0, SEEK_CUR) == a + 8);
    cell = 1;
    cell2 = 2;
    CHECK(preadv(fd, iov, 2, a) == 16);
    /* the two globals need not be adjacent: compare with memory */
    CHECK(vv[0] == 1 && memcmp(&vv[1], (const char *)&cell + 8, 8) == 0);
    iov[0].iov_base = &w[0];
    iov[1].iov_base = &w[1];
    iov[0].iov_len = 8;
    iov[1].iov_len = 0;
    CHECK(pwritev(fd, iov, 2, a) == 8 && cell == 5);
    printf("seek/vectored ok\n");
}

static void test_outside(int fd)
{
    uint64_t offs[3] = {1ull << 40, 0x7fff00000000ull,
                        (uint64_t)(uintptr_t)&cell + (1ull << 46)};
    char buf[16], *m;

    for (int i = 0; i < 3; i++) {
        memset(buf, 0x5a, sizeof(buf));
        CHECK_ERR(pread(fd, buf, 8, (off_t)offs[i]), EIO);
        CHECK(buf[0] == 0x5a && buf[7] == 0x5a);
        CHECK_ERR(pwrite(fd, buf, 8, (off_t)offs[i]), EIO);
        CHECK(lseek(fd, (off_t)offs[i], SEEK_SET) == (off_t)offs[i]);
        CHECK_ERR(read(fd, buf, 8), EIO);
    }
    m = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    CHECK(m != MAP_FAILED);
    memset(m, 0x33, PG);
    CHECK(munmap(m + PG, PG) == 0);
    CHECK_ERR(pread(fd, buf, 8, (off_t)(uintptr_t)(m + PG)), EIO);
    CHECK(pread(fd, buf, 8, (off_t)(uintptr_t)(m + PG - 4)) == 4);
    CHECK(buf[0] == 0x33 && buf[3] == 0x33);
    munmap(m, PG);
    printf("outside ok\n");
}

static void test_code(int fd)
{
    uint32_t code[2] = {0x02a00513u, 0x00008067u}; /* li a0, 42; ret */

    CHECK(patchme() == 7);
    CHECK(patchme() == 7);
    CHECK(pwrite(fd, code, 8, (off_t)(uintptr_t)&patchme) == 8);
    CHECK(patchme() == 42);
    printf("code ok\n");
}

static void test_dup_fork(int fd)
{
    int d1 = dup(fd), d2 = fcntl(fd, F_DUPFD_CLOEXEC, 100), st;
    uint64_t v = 0;
    pid_t pid;

    CHECK(d1 >= 0 && d2 >= 100);
    check_rw(d1, "dup");
    check_rw(d2, "F_DUPFD_CLOEXEC");
    close(d1);
    close(d2);
    cell = 0xaaaa;
    pid = fork();
    if (pid == 0) {
        cell = 0xbbbb;
        /* the descriptor is the parent's memory */
        _exit(pread(fd, &v, 8, (off_t)(uintptr_t)&cell) == 8 && v == 0xaaaa
                  ? 0
                  : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    printf("dup/fork ok\n");
}

static void test_copy(int fd)
{
    int p[2];
    off_t off = (off_t)(uintptr_t)&cell;

    CHECK(pipe(p) == 0);
    CHECK_ERR(sendfile(p[1], fd, &off, 8), EINVAL);
    close(p[0]);
    close(p[1]);
    printf("sendfile ok\n");
}

int main(void)
{
    int fd;

    test_paths();
    fd = open("/proc/self/mem", O_RDWR);
    CHECK(fd >= 0);
    test_seek(fd);
    test_outside(fd);
    test_code(fd);
    test_dup_fork(fd);
    test_copy(fd);
    close(fd);
    printf("%s\n", guest_failures ? "FAIL" : "PASS");
    return guest_failures != 0;
}
