/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Descriptors: dup, dup3, fcntl (flags, F_DUPFD_CLOEXEC, locks), pipe2,
 * readv/writev, preadv/pwritev, flock, ioctl (FIONREAD, FIOCLEX, TCGETS
 * on a non-tty, unknown requests), eventfd2, sendfile, splice, tee,
 * copy_file_range, memfd_create, lseek.
 */
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <termios.h>

#include "guest.h"

static void test_dup_fcntl(void)
{
    int p[2], fd, fl;

    CHECK(pipe2(p, O_CLOEXEC) == 0);
    CHECK(fcntl(p[0], F_GETFD) == FD_CLOEXEC);
    fd = dup(p[0]);
    CHECK(fd > p[1] && fcntl(fd, F_GETFD) == 0);
    CHECK(dup3(p[0], fd, O_CLOEXEC) == fd && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    CHECK_ERR(dup3(fd, fd, 0), EINVAL);
    CHECK(dup2(fd, fd) == fd);
    CHECK(close(fd) == 0);
    fd = fcntl(p[1], F_DUPFD_CLOEXEC, 100);
    CHECK(fd == 100 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    CHECK(close(fd) == 0);
    fl = fcntl(p[0], F_GETFL);
    CHECK((fl & O_ACCMODE) == O_RDONLY && !(fl & O_NONBLOCK));
    CHECK(fcntl(p[0], F_SETFL, fl | O_NONBLOCK) == 0);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    {
        char c;
        CHECK_ERR(read(p[0], &c, 1), EAGAIN);
    }
    CHECK(fcntl(p[1], F_SETPIPE_SZ, 65536) >= 65536);
    CHECK(fcntl(p[1], F_GETPIPE_SZ) >= 65536);
    CHECK_ERR(fcntl(12345, F_GETFD), EBADF);
    close(p[0]);
    close(p[1]);
    printf("dup, fcntl: done\n");
}

static void test_vectors(int fd)
{
    char a[4], b[8], c[16];
    struct iovec w[2] = { { "abcd", 4 }, { "efghijkl", 8 } };
    struct iovec r[2] = { { a, 4 }, { b, 8 } };
    struct iovec r2[1] = { { c, 16 } };

    CHECK(writev(fd, w, 2) == 12);
    CHECK(pwritev(fd, w, 1, 20) == 4);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(readv(fd, r, 2) == 12);
    CHECK(!memcmp(a, "abcd", 4) && !memcmp(b, "efghijkl", 8));
    CHECK(preadv(fd, r2, 1, 8) == 16);
    CHECK(!memcmp(c, "ijkl", 4) && c[4] == 0 && !memcmp(c + 12, "abcd", 4));
    CHECK(lseek(fd, 0, SEEK_END) == 24);
    CHECK(lseek(fd, -4, SEEK_CUR) == 20);
    CHECK_ERR(lseek(fd, -100, SEEK_SET), EINVAL);
    printf("vectors: done\n");
}

static void test_locks(int fd)
{
    struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET,
                        .l_start = 2, .l_len = 5 };

    CHECK(fcntl(fd, F_SETLK, &fl) == 0);
    fl.l_type = F_RDLCK;
    fl.l_start = 0;
    fl.l_len = 0;
    /* our own lock never conflicts with us */
    CHECK(fcntl(fd, F_GETLK, &fl) == 0 && fl.l_type == F_UNLCK);
    fl.l_type = F_WRLCK;
    fl.l_start = 0;
    fl.l_len = 10;
    CHECK(fcntl(fd, F_OFD_GETLK, &fl) == 0);
    CHECK(fl.l_type == F_WRLCK && fl.l_start == 2 && fl.l_len == 5);
    CHECK(fl.l_pid == -1 || fl.l_pid == getpid());
    fl.l_type = F_UNLCK;
    CHECK(fcntl(fd, F_SETLK, &fl) == 0);
    CHECK(flock(fd, LOCK_EX | LOCK_NB) == 0 && flock(fd, LOCK_UN) == 0);
    CHECK_ERR(fcntl(fd, F_SETLK, (struct flock *)8), EFAULT);
    printf("locks: done\n");
}

static void test_ioctl(void)
{
    int p[2], n = -1;
    struct termios t;
    struct winsize ws;

    CHECK(pipe(p) == 0);
    CHECK(write(p[1], "12345", 5) == 5);
    CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 5);
    CHECK(ioctl(p[0], FIOCLEX) == 0 && fcntl(p[0], F_GETFD) == FD_CLOEXEC);
    CHECK(ioctl(p[0], FIONCLEX) == 0 && fcntl(p[0], F_GETFD) == 0);
    n = 1;
    CHECK(ioctl(p[0], FIONBIO, &n) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK));
    CHECK_ERR(ioctl(p[0], TCGETS, &t), ENOTTY);
    CHECK_ERR(tcgetattr(p[0], &t), ENOTTY);
    CHECK_ERR(ioctl(p[0], TIOCGWINSZ, &ws), ENOTTY);
    /* the kernel says ENOTTY; qemu-riscv64 answers ENOSYS */
    errno = 0;
    CHECK(ioctl(p[0], 0x7f7f) == -1 && (errno == ENOTTY || errno == ENOSYS));
    CHECK(isatty(p[0]) == 0);
    close(p[0]);
    close(p[1]);
    printf("ioctl: done\n");
}

static void test_eventfd(void)
{
    int fd = eventfd(3, EFD_NONBLOCK | EFD_CLOEXEC);
    uint64_t v = 4;

    CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
    CHECK(write(fd, &v, 8) == 8);
    CHECK(read(fd, &v, 8) == 8 && v == 7);
    CHECK_ERR(read(fd, &v, 8), EAGAIN);
    close(fd);
    fd = eventfd(2, EFD_SEMAPHORE);
    CHECK(read(fd, &v, 8) == 8 && v == 1);
    close(fd);
    printf("eventfd: done\n");
}

static void test_copies(int fd, const char *dir)
{
    int p[2], q[2], mfd, cfd;
    char path[128];
    char buf[32];
    off_t off = 4;
    loff_t in = 0, out = 0;
    struct stat st;

    CHECK(pipe(p) == 0 && pipe(q) == 0);
    CHECK(sendfile(p[1], fd, &off, 8) == 8 && off == 12);
    CHECK(tee(p[0], q[1], 8, 0) == 8);
    CHECK(read(q[0], buf, 8) == 8 && !memcmp(buf, "efghijkl", 8));
    CHECK(splice(p[0], NULL, q[1], NULL, 8, 0) == 8);
    CHECK(read(q[0], buf, 8) == 8 && !memcmp(buf, "efghijkl", 8));
    snprintf(path, sizeof(path), "%s/copy", dir);
    cfd = open(path, O_RDWR | O_CREAT, 0600);
    CHECK(copy_file_range(fd, &in, cfd, &out, 12, 0) == 12);
    CHECK(in == 12 && out == 12);
    CHECK(fstat(cfd, &st) == 0 && st.st_size == 12);
    CHECK(pread(cfd, buf, 4, 8) == 4 && !memcmp(buf, "ijkl", 4));
    close(cfd);
    CHECK(unlink(path) == 0);
    mfd = memfd_create("copy", MFD_CLOEXEC);
    CHECK(mfd >= 0 && fcntl(mfd, F_GETFD) == FD_CLOEXEC);
    CHECK(write(mfd, "abcdefghijkl", 12) == 12);
    CHECK(ftruncate(mfd, 4096) == 0 && fstat(mfd, &st) == 0);
    CHECK(st.st_size == 4096);
    CHECK(pread(mfd, buf, 4, 8) == 4 && !memcmp(buf, "ijkl", 4));
    close(mfd);
    close(p[0]);
    close(p[1]);
    close(q[0]);
    close(q[1]);
    printf("copies: done\n");
}

int main(void)
{
    char *dir = guest_tmpdir(), path[128];
    int fd;

    snprintf(path, sizeof(path), "%s/f", dir);
    fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    CHECK(fd >= 0);
    test_dup_fcntl();
    test_vectors(fd);
    test_locks(fd);
    test_ioctl();
    test_eventfd();
    test_copies(fd, dir);
    close(fd);
    CHECK(unlink(path) == 0 && rmdir(dir) == 0);
    return guest_done("fds");
}
