/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fexecve and execveat through a descriptor, as Python's os.execve(fd)
 * (test_posix's test_fexecve) and Go's os/exec use them:
 *  - execveat(fd, "", AT_EMPTY_PATH) of a close-on-exec descriptor runs the
 *    program, and the new program finds the descriptor closed (ctcg used to
 *    exec itself on /proc/self/fd/N with N already closed: "No such file");
 *  - a descriptor without close-on-exec stays open in the new program;
 *  - glibc's fexecve, execveat relative to a directory descriptor;
 *  - errors: an empty name without AT_EMPTY_PATH is ENOENT, a bad
 *    descriptor EBADF, a script through a close-on-exec descriptor ENOENT
 *    (its interpreter could not open /dev/fd/N).
 * Run under ctcg only: qemu-riscv64 7.2 hands execveat to the host kernel,
 * which cannot run a riscv64 program without binfmt_misc.
 */
#include <fcntl.h>
#include <libgen.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "guest.h"

/* The child: argv[1] "closed" or "open" for descriptor argv[2]. */
static int child(char **argv)
{
    int fd = atoi(argv[2]);
    int fl = fcntl(fd, F_GETFD);

    if (strcmp(argv[1], "closed") == 0) {
        return fl == -1 && errno == EBADF ? 42 : 1;
    }
    if (strcmp(argv[1], "open") == 0) {
        return fl == 0 ? 43 : 2;
    }
    fprintf(stderr, "an execveat that must fail ran the program\n");
    return 3;
}

/* Forks, runs @how in the child, returns the child's wait status. */
static int run(int how, int fd, int dirfd, const char *name, const char *mode)
{
    char fds[16], *argv[] = {"sc_fexecve", (char *)mode, fds, NULL};
    extern char **environ;
    int st = -1;
    pid_t pid;

    snprintf(fds, sizeof(fds), "%d", fd);
    pid = fork();
    if (pid == 0) {
        if (how == 0) {
            syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
        } else if (how == 1) {
            fexecve(fd, argv, environ);
        } else {
            syscall(SYS_execveat, dirfd, name, argv, environ, 0);
        }
        _exit(100 + errno);
    }
    waitpid(pid, &st, 0);
    return st;
}

int main(int argc, char **argv)
{
    char self[4096], dir[4096], *argv2[] = {"x", "bad", "0", NULL};
    char script[] = "/tmp/sc_fexecve_XXXXXX";
    ssize_t n;
    int fd, dfd, sfd, st;

    if (argc == 3) {
        return child(argv);
    }
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    CHECK(n > 0);
    self[n > 0 ? n : 0] = 0;

    fd = open(self, O_RDONLY | O_CLOEXEC);
    CHECK(fd >= 0);
    st = run(0, fd, -1, NULL, "closed");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
    st = run(1, fd, -1, NULL, "closed");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);
    /* The parent's descriptor keeps its close-on-exec flag. */
    CHECK(fcntl(fd, F_GETFD) == FD_CLOEXEC);

    CHECK(fcntl(fd, F_SETFD, 0) == 0);
    st = run(0, fd, -1, NULL, "open");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 43);

    strcpy(dir, self);
    dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(dfd >= 0);
    strcpy(dir, self);
    st = run(2, fd, dfd, basename(dir), "open");
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 43);

    CHECK_ERR(syscall(SYS_execveat, fd, "", argv2, environ, 0), ENOENT);
    CHECK_ERR(syscall(SYS_execveat, 1000, "", argv2, environ, AT_EMPTY_PATH),
              EBADF);
    CHECK_ERR(syscall(SYS_execveat, 1000, "x", argv2, environ, 0), EBADF);

    sfd = mkstemp(script);
    CHECK(sfd >= 0);
    dprintf(sfd, "#!%s\n", self);
    fchmod(sfd, 0755);
    close(sfd);
    sfd = open(script, O_RDONLY | O_CLOEXEC);
    CHECK(sfd >= 0);
    CHECK_ERR(syscall(SYS_execveat, sfd, "", argv2, environ, AT_EMPTY_PATH),
              ENOENT);
    close(sfd);
    unlink(script);
    return guest_done("sc_fexecve");
}
