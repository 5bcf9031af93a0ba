/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System calls ctcg used to answer ENOSYS (syscall-sys.c, adjtimex in
 * syscall-time.c): namespaces, mounts, pidfds (with a converted signal
 * number), kcmp, I/O priorities, syslog, file handles, sched_attr,
 * adjtimex, process_vm_readv, futex_waitv, keys, protection keys,
 * openat2 of an emulated /proc file, restart_syscall.  Where the host may
 * refuse (no privilege, a kernel built without the feature) the test
 * accepts EPERM/ENOSYS/EOPNOTSUPP from that call, never a crash.
 *
 * Not compared with qemu-riscv64 7.2, which answers ENOSYS for several.
 */
#include <fcntl.h>
#include <linux/kcmp.h>
#include <linux/keyctl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

#define REFUSED(r)                                                           \
    ((r) < 0 && (errno == EPERM || errno == ENOSYS || errno == EOPNOTSUPP || \
                 errno == EACCES))

static volatile int got;

static void on_usr1(int sig)
{
    got = sig;
}

static void test_pidfd(void)
{
    int fd = syscall(SYS_pidfd_open, getpid(), 0);

    if (REFUSED(fd)) {
        return;
    }
    CHECK(fd >= 0);
    signal(SIGUSR1, on_usr1);
    CHECK(syscall(SYS_pidfd_send_signal, fd, 0, NULL, 0) == 0);
    CHECK(syscall(SYS_pidfd_send_signal, fd, SIGUSR1, NULL, 0) == 0);
    CHECK(got == SIGUSR1);
    CHECK_ERR(syscall(SYS_pidfd_send_signal, fd, 65, NULL, 0), EINVAL);
    CHECK_ERR(syscall(SYS_pidfd_send_signal, -1, SIGUSR1, NULL, 0), EBADF);
    int dup = syscall(SYS_pidfd_getfd, fd, 1, 0);
    CHECK(dup >= 0 || REFUSED(dup));
    close(dup);
    close(fd);
}

static void test_ns_mount(void)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        /* a child: the namespaces stay its own */
        char *dir = guest_tmpdir();
        int r = unshare(CLONE_NEWNS);

        if (REFUSED(r)) {
            _exit(0);
        }
        if (r != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
            mount("ctcg", dir, "tmpfs", 0, "size=64k") != 0) {
            _exit(1);
        }
        if (umount2(dir, 0x80000000) != -1 || errno != EINVAL ||
            umount2(dir, 0) != 0) {
            _exit(2);
        }
        rmdir(dir);
        _exit(0);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(unshare(0) == 0);
    CHECK_ERR(unshare(0x1), EINVAL); /* not an unshare flag */
    CHECK_ERR(
        syscall(SYS_mount, "x", "/nonexistent-ctcg", "tmpfs", 0, (void *)8),
        EFAULT);
}

static void test_misc(void)
{
    struct timex tx = {.modes = 0};
    struct {
        uint32_t size, policy;
        uint64_t flags;
        int32_t nice;
        uint32_t prio;
        uint64_t rt, dl, per;
        uint32_t umin, umax;
    } attr;
    char src[16] = "ctcg-vm", dst[16] = "";
    struct iovec l = {dst, 8}, r = {src, 8};
    long ret;

    ret = syscall(SYS_kcmp, getpid(), getpid(), KCMP_FILE, 1, 1);
    CHECK(ret == 0 || REFUSED(ret));
    ret = syscall(SYS_ioprio_get, 1, 0);
    CHECK(ret >= 0);
    CHECK(syscall(SYS_ioprio_set, 1, 0, ret) == 0);
    ret = syscall(SYS_syslog, 10, NULL, 0);
    CHECK(ret > 0 || REFUSED(ret));
    CHECK_ERR(syscall(SYS_syslog, 9999, NULL, 0), EINVAL);
    CHECK(syscall(SYS_adjtimex, &tx) >= 0);
    CHECK(syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx) >= 0);
    CHECK_ERR(syscall(SYS_adjtimex, (void *)8), EFAULT);
    memset(&attr, 0, sizeof(attr));
    CHECK(syscall(SYS_sched_getattr, 0, &attr, sizeof(attr), 0) == 0);
    CHECK(attr.size == sizeof(attr) && attr.policy == SCHED_OTHER);
    CHECK(syscall(SYS_sched_setattr, 0, &attr, 0) == 0);
    CHECK_ERR(syscall(SYS_sched_getattr, 0, NULL, sizeof(attr), 0), EINVAL);
    CHECK(syscall(SYS_process_vm_readv, getpid(), &l, 1, &r, 1, 0) == 8);
    CHECK(strcmp(dst, "ctcg-vm") == 0);
    CHECK_ERR(syscall(SYS_pkey_alloc, 0, 0), ENOSPC);
    CHECK_ERR(syscall(SYS_pkey_free, 1), EINVAL);
    CHECK_ERR(syscall(SYS_restart_syscall), EINTR);
    CHECK_ERR(syscall(SYS_acct, (void *)8), EFAULT);
}

static void test_handles_open(void)
{
    struct {
        unsigned int bytes;
        int type;
        unsigned char h[128];
    } fh = {.bytes = 128};
    struct open_how how = {.flags = O_RDONLY};
    int mnt, fd;
    long ret;
    char buf[64];

    ret = syscall(SYS_name_to_handle_at, AT_FDCWD, "/", &fh, &mnt, 0);
    CHECK(ret == 0 || REFUSED(ret));
    fd =
        syscall(SYS_openat2, AT_FDCWD, "/proc/self/cmdline", &how, sizeof(how));
    CHECK(fd >= 0);
    CHECK(read(fd, buf, sizeof(buf)) > 0 && strstr(buf, "sc_sys") != NULL);
    close(fd);
    CHECK_ERR(syscall(SYS_openat2, AT_FDCWD, "/", &how, 8), EINVAL);
}

static void test_futex_keys(void)
{
    uint32_t word = 1;
    struct {
        uint64_t val, uaddr;
        uint32_t flags, reserved;
    } w = {0, (uintptr_t)&word, 2 /* FUTEX2_SIZE_U32 */, 0};
    char data[8];
    long id;

    CHECK_ERR(syscall(SYS_futex_waitv, &w, 1, 0, NULL, 0), EAGAIN);
    CHECK_ERR(syscall(SYS_futex_waitv, &w, 0, 0, NULL, 0), EINVAL);
    id = syscall(SYS_add_key, "user", "ctcg-test", "data", 4,
                 KEY_SPEC_PROCESS_KEYRING);
    if (REFUSED(id)) {
        return;
    }
    CHECK(id > 0);
    CHECK(syscall(SYS_keyctl, KEYCTL_READ, id, data, sizeof(data)) == 4);
    CHECK(memcmp(data, "data", 4) == 0);
    CHECK(syscall(SYS_keyctl, KEYCTL_REVOKE, id) == 0);
}

/* execve of a file open for writing: ETXTBSY (ctcg checks for Linux) */
static void test_txtbsy(void)
{
    char path[128], buf[65536];
    int in = open("/proc/self/exe", O_RDONLY), out, st;
    ssize_t n;
    pid_t pid;

    snprintf(path, sizeof(path), "%s/copy", guest_tmpdir());
    out = open(path, O_WRONLY | O_CREAT, 0700);
    CHECK(in >= 0 && out >= 0);
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        CHECK(write(out, buf, n) == n);
    }
    close(in);
    pid = fork();
    if (pid == 0) {
        char *argv[] = {path, "exit42", NULL};

        execv(path, argv);
        _exit(errno == ETXTBSY ? 0 : 1);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
    close(out);
    pid = fork();
    if (pid == 0) {
        char *argv[] = {path, "exit42", NULL};

        execv(path, argv);
        _exit(1);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
          WEXITSTATUS(st) == 42);
    unlink(path);
}

/* /proc/self/smaps shows the guest mappings with the host's counters */
static void test_smaps(void)
{
    char *p = mmap(NULL, 4 * 4096, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char head[64], line[256];
    unsigned long size = 0, rss = 0, locked = 0;
    int in = 0;
    FILE *f;

    CHECK(p != MAP_FAILED);
    memset(p, 1, 2 * 4096);
    if (mlock(p, 4096) != 0) {
        CHECK(errno == EPERM || errno == ENOMEM);
        munmap(p, 4 * 4096);
        return;
    }
    snprintf(head, sizeof(head), "%lx-", (unsigned long)p);
    f = fopen("/proc/self/smaps", "r");
    CHECK(f != NULL);
    while (f && fgets(line, sizeof(line), f)) {
        if (strchr("0123456789abcdef", line[0])) {
            in = strncmp(line, head, strlen(head)) == 0;
        } else if (in) {
            sscanf(line, "Size: %lu", &size);
            sscanf(line, "Rss: %lu", &rss);
            sscanf(line, "Locked: %lu", &locked);
        }
    }
    if (f) {
        fclose(f);
    }
    /* the locked page is a mapping of its own (the VMA was split) */
    CHECK(size == 4 && rss == 4 && locked == 4);
    munlock(p, 4096);
    munmap(p, 4 * 4096);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit42") == 0) {
        return 42;
    }
    test_txtbsy();
    test_smaps();
    test_pidfd();
    test_ns_mount();
    test_misc();
    test_handles_open();
    test_futex_keys();
    return guest_done("sc_sys");
}
