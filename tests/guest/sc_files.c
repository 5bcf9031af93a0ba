/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Files and directories: openat, read/write/pread/pwrite, lseek, fstat,
 * newfstatat, statx, faccessat, truncate, mkdirat, getdents64, renameat2,
 * linkat, symlinkat, readlinkat, fchmod(at), fchown(at), utimensat,
 * getcwd, chdir, fchdir, unlinkat, statfs, umask.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>

#include "guest.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List the directory with raw getdents64, sorted, as one string. */
static void list_dir(const char *path, char *outbuf, size_t outlen)
{
    char buf[4096], *names[32];
    int fd = open(path, O_RDONLY | O_DIRECTORY), n = 0;
    long nread;

    CHECK(fd >= 0);
    while ((nread = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        for (long pos = 0; pos < nread;) {
            struct {
                uint64_t ino;
                int64_t off;
                unsigned short reclen;
                unsigned char type;
                char name[];
            } *d = (void *)(buf + pos);
            if (strcmp(d->name, ".") && strcmp(d->name, "..") && n < 32) {
                names[n++] = strdup(d->name);
            }
            pos += d->reclen;
        }
    }
    CHECK(nread == 0);
    close(fd);
    qsort(names, n, sizeof(names[0]), cmp_str);
    outbuf[0] = 0;
    for (int i = 0; i < n; i++) {
        strncat(outbuf, names[i], outlen - strlen(outbuf) - 2);
        strcat(outbuf, " ");
        free(names[i]);
    }
}

static void test_rw(void)
{
    char buf[64];
    struct stat st, st2;
    int fd = openat(AT_FDCWD, "a.txt", O_RDWR | O_CREAT | O_EXCL, 0644);

    CHECK(fd >= 0);
    CHECK(write(fd, "hello world\n", 12) == 12);
    CHECK(pwrite(fd, "HELLO", 5, 0) == 5);
    CHECK(lseek(fd, 0, SEEK_CUR) == 12);
    CHECK(pread(fd, buf, 5, 6) == 5 && memcmp(buf, "world", 5) == 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    CHECK(read(fd, buf, sizeof(buf)) == 12 && memcmp(buf, "HELLO", 5) == 0);
    CHECK(lseek(fd, 0, SEEK_END) == 12);
    CHECK(fstat(fd, &st) == 0);
    CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0777) == 0644);
    CHECK(st.st_size == 12 && st.st_nlink == 1 && st.st_blksize > 0);
    CHECK(st.st_uid == getuid());
    CHECK(stat("a.txt", &st2) == 0 && st2.st_ino == st.st_ino);
    CHECK(st2.st_dev == st.st_dev && st2.st_mtim.tv_sec == st.st_mtim.tv_sec);
    CHECK(fstatat(AT_FDCWD, "a.txt", &st2, AT_SYMLINK_NOFOLLOW) == 0);
    CHECK(fstatat(fd, "", &st2, AT_EMPTY_PATH) == 0 && st2.st_size == 12);
    CHECK(ftruncate(fd, 5) == 0 && fstat(fd, &st) == 0 && st.st_size == 5);
    CHECK(truncate("a.txt", 100) == 0 && stat("a.txt", &st) == 0);
    CHECK(st.st_size == 100);
    CHECK(fsync(fd) == 0 && fdatasync(fd) == 0);
    CHECK(close(fd) == 0);
    CHECK_ERR(close(fd), EBADF);
    CHECK_ERR(open("nonexistent", O_RDONLY), ENOENT);
    CHECK_ERR(open("a.txt", O_RDWR | O_CREAT | O_EXCL, 0644), EEXIST);
    CHECK_ERR(syscall(SYS_newfstatat, AT_FDCWD, "a.txt", (void *)8, 0),
              EFAULT);
    printf("rw, stat: done\n");
}

static void test_statx(void)
{
    struct statx stx;
    struct stat st;

    CHECK(statx(AT_FDCWD, "a.txt", 0, STATX_BASIC_STATS, &stx) == 0);
    CHECK(stat("a.txt", &st) == 0);
    CHECK(stx.stx_size == 100 && stx.stx_ino == st.st_ino);
    CHECK((stx.stx_mode & 0777) == 0644 && S_ISREG(stx.stx_mode));
    printf("statx: done\n");
}

static void test_dirs(void)
{
    char list[512], buf[256];
    struct stat st;

    CHECK(mkdirat(AT_FDCWD, "d", 0755) == 0);
    CHECK_ERR(mkdir("d", 0755), EEXIST);
    CHECK(faccessat(AT_FDCWD, "d", R_OK | X_OK, 0) == 0);
    CHECK_ERR(faccessat(AT_FDCWD, "nope", F_OK, 0), ENOENT);
    CHECK(link("a.txt", "d/hard") == 0);
    CHECK(stat("a.txt", &st) == 0 && st.st_nlink == 2);
    CHECK(symlinkat("../a.txt", AT_FDCWD, "d/sym") == 0);
    memset(buf, 0, sizeof(buf));
    CHECK(readlinkat(AT_FDCWD, "d/sym", buf, sizeof(buf)) == 8);
    CHECK(strcmp(buf, "../a.txt") == 0);
    CHECK(lstat("d/sym", &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(stat("d/sym", &st) == 0 && S_ISREG(st.st_mode));
    CHECK(renameat(AT_FDCWD, "d/hard", AT_FDCWD, "d/moved") == 0);
    CHECK(open("b.txt", O_CREAT | O_WRONLY, 0600) >= 0);
    CHECK_ERR(renameat2(AT_FDCWD, "b.txt", AT_FDCWD, "a.txt",
                        RENAME_NOREPLACE), EEXIST);
    CHECK(renameat2(AT_FDCWD, "b.txt", AT_FDCWD, "a.txt",
                    RENAME_EXCHANGE) == 0);
    CHECK(stat("b.txt", &st) == 0 && st.st_size == 100);
    list_dir(".", list, sizeof(list));
    printf("dir: %s\n", list);
    list_dir("d", list, sizeof(list));
    printf("d: %s\n", list);
    CHECK_ERR(unlinkat(AT_FDCWD, "d", 0), EISDIR);
    CHECK_ERR(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR), ENOTEMPTY);
    CHECK(unlinkat(AT_FDCWD, "d/sym", 0) == 0);
    CHECK(unlinkat(AT_FDCWD, "d/moved", 0) == 0);
    CHECK(unlinkat(AT_FDCWD, "d", AT_REMOVEDIR) == 0);
    printf("dirs: done\n");
}

static void test_attrs(void)
{
    struct stat st;
    struct timespec ts[2] = { { 1000000, 5 }, { 2000000, 7 } };
    int fd = open("a.txt", O_RDWR);
    mode_t old;

    CHECK(fd >= 0);
    CHECK(fchmod(fd, 0600) == 0 && fstat(fd, &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    CHECK(fchmodat(AT_FDCWD, "a.txt", 0640, 0) == 0 && stat("a.txt", &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);
    CHECK(fchown(fd, getuid(), getgid()) == 0);
    CHECK(fchownat(AT_FDCWD, "a.txt", -1, -1, 0) == 0);
    CHECK(utimensat(AT_FDCWD, "a.txt", ts, 0) == 0 && stat("a.txt", &st) == 0);
    CHECK(st.st_atim.tv_sec == 1000000 && st.st_mtim.tv_sec == 2000000);
    CHECK(st.st_mtim.tv_nsec == 7);
    CHECK(futimens(fd, NULL) == 0 && fstat(fd, &st) == 0);
    CHECK(st.st_mtim.tv_sec > 2000000);
    old = umask(027);
    CHECK(umask(old) == 027);
    close(fd);
    printf("attrs: done\n");
}

static void test_cwd(const char *dir)
{
    char buf[512];
    struct statfs sfs;
    int dfd = open(".", O_RDONLY | O_DIRECTORY);

    CHECK(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, dir) == 0);
    CHECK_ERR(syscall(SYS_getcwd, buf, 2), ERANGE);
    CHECK(chdir("/") == 0 && getcwd(buf, sizeof(buf)) && !strcmp(buf, "/"));
    CHECK(fchdir(dfd) == 0 && getcwd(buf, sizeof(buf)));
    CHECK(strcmp(buf, dir) == 0);
    CHECK(statfs(".", &sfs) == 0 && sfs.f_bsize > 0);
    CHECK(fstatfs(dfd, &sfs) == 0 && sfs.f_bsize > 0);
    close(dfd);
    printf("cwd: done\n");
}

int main(void)
{
    char *dir = guest_tmpdir();

    CHECK(chdir(dir) == 0);
    test_rw();
    test_statx();
    test_dirs();
    test_attrs();
    test_cwd(dir);
    CHECK(unlink("a.txt") == 0 && unlink("b.txt") == 0);
    CHECK(chdir("/") == 0 && rmdir(dir) == 0);
    return guest_done("files");
}
