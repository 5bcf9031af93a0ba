/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Guest memory stays guest memory, and the emulator's own state is out of
 * the guest's reach (issue 15):
 *  - /proc/self/mem takes guest addresses: tested in sc_procmem.c;
 *  - /proc/self/maps lists only guest mappings, all below 2^38, none of
 *    them the emulator's binary, the host's libraries or the code buffer;
 *  - mmap MAP_FIXED, mprotect, madvise, munmap and mremap above or across
 *    the top of the guest space fail as Linux does above TASK_SIZE
 *    (ENOMEM, ENOMEM, ENOMEM, EINVAL; mremap EFAULT for the old range,
 *    EINVAL for a new address); shmat there is ENOMEM (do_mmap's answer
 *    above TASK_SIZE) and brk there leaves the break unchanged;
 *  - process_vm_readv/writev on itself: guest addresses work, others
 *    are EFAULT;
 *  - close_range(3, ~0U, 0) and close() leave the emulator's log file
 *    open: meson runs this test with CTCG_STRACE=1 and a CTCG_LOG_FILENAME,
 *    and a file the guest then opens must hold only what the guest wrote
 *    (strace lines would land in it if the log descriptor's number had
 *    been given to the guest);
 *  - after that no descriptor from 3 to RLIMIT_NOFILE answers fcntl,
 *    fstat, write or lseek (EBADF), the log's own number included, nor
 *    the *at() calls with it as dirfd and a relative (or, with
 *    AT_EMPTY_PATH, empty) path: openat, openat2, fstatat, statx, mkdirat,
 *    mknodat, unlinkat, symlinkat, linkat, renameat, readlinkat,
 *    faccessat(2), fchmodat, fchownat, utimensat (NULL path too),
 *    execveat, and inotify_add_watch; absolute paths work;
 *  - dup3() onto each descriptor number 3-15 succeeds as in a native run
 *    (where they are all free), even on the log file's: ctcg moves its
 *    log to another descriptor first, so that the guest's file holds only
 *    what the guest wrote and the log goes on (a marker call made after
 *    the dup3s must still be in CTCG_LOG_FILENAME); dup3 and dup from the
 *    log's descriptor (that a native run has not open) are EBADF;
 *  - prctl(PR_SET_MM) outside the guest space is EINVAL (EPERM first
 *    without CAP_SYS_RESOURCE, as Linux checks), seccomp filter mode
 *    and PR_SET_SECCOMP with it are refused (EINVAL: the host's filter
 *    would bind the emulator's own system calls; strict mode is emulated,
 *    sc_seccomp), personality(0xffffffff) reads.
 * Run under ctcg only (qemu-riscv64 7.2 shows its own mappings and lets
 * the guest close its log file).
 */
#include <fcntl.h>
#include <sys/inotify.h>
#include <linux/seccomp.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "guest.h"

#define TOP (1ull << 38)
#define PG 4096

static volatile uint64_t cell = 0x1122334455667788ull;

static void test_proc_maps(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    char line[512];
    int n = 0;

    CHECK(f != NULL);
    while (f && fgets(line, sizeof(line), f)) {
        unsigned long long lo, hi;

        CHECK(sscanf(line, "%llx-%llx", &lo, &hi) == 2);
        CHECK(lo < hi && hi <= TOP);
        /* The emulator's binary, not "ctcg" anywhere: the guest's own
         * path may hold that (a checkout in /tmp/ctcg-fresh.../ctcg). */
        CHECK(strstr(line, "/ctcg-riscv64") == NULL);
        CHECK(strstr(line, "x86_64") == NULL);
        CHECK(strstr(line, "ld-linux-x86-64") == NULL);
        n++;
    }
    CHECK(n > 2);
    if (f) {
        fclose(f);
    }
    printf("proc/self/maps ok\n");
}

static void test_mm_beyond(void)
{
    void *hi = (void *)(uintptr_t)TOP, *cross = (void *)(uintptr_t)(TOP - PG);
    void *p = mmap(NULL, PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    CHECK(p != MAP_FAILED);
    errno = 0;
    CHECK(mmap(hi, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
               0) == MAP_FAILED &&
          errno == ENOMEM);
    errno = 0;
    CHECK(mmap(cross, 2 * PG, PROT_READ,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED &&
          errno == ENOMEM);
    CHECK_ERR(mprotect(hi, PG, PROT_READ), ENOMEM);
    CHECK_ERR(madvise(hi, PG, MADV_DONTNEED), ENOMEM);
    CHECK_ERR(munmap(hi, PG), EINVAL);
    errno = 0;
    CHECK(mremap(hi, PG, 2 * PG, 0) == MAP_FAILED && errno == EFAULT);
    errno = 0;
    CHECK(mremap(p, PG, PG, MREMAP_MAYMOVE | MREMAP_FIXED, hi) == MAP_FAILED &&
          errno == EINVAL);
    /* brk beyond the space leaves the break where it is */
    {
        long cur = syscall(SYS_brk, 0);

        CHECK(syscall(SYS_brk, TOP + PG) == cur);
        CHECK(syscall(SYS_brk, TOP - PG) == cur);
    }
    /* shmat at or across the top: ENOMEM, as do_mmap above TASK_SIZE */
    {
        int id = shmget(IPC_PRIVATE, 2 * PG, IPC_CREAT | 0600);

        CHECK(id >= 0);
        errno = 0;
        CHECK(shmat(id, hi, 0) == (void *)-1 && errno == ENOMEM);
        errno = 0;
        CHECK(shmat(id, cross, SHM_REMAP) == (void *)-1 && errno == ENOMEM);
        shmctl(id, IPC_RMID, NULL);
    }
    munmap(p, PG);
    printf("mm beyond the guest space ok\n");
}

static void test_process_vm(void)
{
    uint64_t v = 0, w = 42;
    struct iovec l = {&v, 8}, r = {(void *)&cell, 8};
    struct iovec lw = {&w, 8}, bad = {(void *)(uintptr_t)(TOP + PG), 8};
    pid_t me = getpid();

    cell = 7;
    CHECK(syscall(SYS_process_vm_readv, me, &l, 1, &r, 1, 0) == 8);
    CHECK(v == 7);
    CHECK(syscall(SYS_process_vm_writev, me, &lw, 1, &r, 1, 0) == 8);
    CHECK(cell == 42);
    CHECK_ERR(syscall(SYS_process_vm_readv, me, &l, 1, &bad, 1, 0), EFAULT);
    CHECK_ERR(syscall(SYS_process_vm_writev, me, &lw, 1, &bad, 1, 0), EFAULT);
    printf("process_vm ok\n");
}

static void test_close_emulator_fds(void)
{
    char path[] = "/tmp/ctcg-isolation-XXXXXX", buf[256];
    const char msg[] = "guest data only\n";
    int fd, n;

    for (int i = 3; i < 16; i++) {
        close(i); /* the log file's is EBADF */
    }
    CHECK(syscall(SYS_close_range, 3, ~0U, 0) == 0);
    for (int i = 3; i < 16; i++) { /* none open, as in a native run */
        CHECK_ERR(dup(i), EBADF);
        CHECK_ERR(fcntl(i, F_DUPFD, 20), EBADF);
    }
    fd = mkstemp(path);
    CHECK(fd >= 0);
    unlink(path);
    CHECK(write(fd, msg, sizeof(msg) - 1) == sizeof(msg) - 1);
    getpid(); /* logged by strace */
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    n = read(fd, buf, sizeof(buf) - 1);
    CHECK(n == sizeof(msg) - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK(strcmp(buf, msg) == 0);
    close(fd);
    printf("emulator fds ok\n");
}

/* Is @needle in the file at @path (up to its present size)? */
static int file_has(const char *path, const char *needle)
{
    static char buf[1 << 20];
    int fd = open(path, O_RDONLY), found = 0;
    off_t size = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
    ssize_t n;

    if (size > (off_t)sizeof(buf) - 1) {
        lseek(fd, size - (off_t)sizeof(buf) + 1, SEEK_SET);
        size = sizeof(buf) - 1;
    } else if (size > 0) {
        lseek(fd, 0, SEEK_SET);
    }
    n = size > 0 ? read(fd, buf, (size_t)size) : -1;
    if (n > 0) {
        buf[n] = 0;
        found = memmem(buf, (size_t)n, needle, strlen(needle)) != NULL;
    }
    if (fd >= 0) {
        close(fd);
    }
    return found;
}

/*
 * After close_range(3, ~0U) no descriptor from 3 up is open for the guest,
 * as in a native run: fcntl, fstat, write and lseek on every number up to
 * RLIMIT_NOFILE are EBADF, also on the ones ctcg's log sits at (near the
 * top of the limit).
 */
/* "ab" at the end of a page followed by an unmapped one: no NUL. */
static const char *unterminated(void)
{
    static char *p;

    if (p == NULL) {
        p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        CHECK(p != MAP_FAILED && munmap(p + PG, PG) == 0);
        p += PG - 2;
        p[0] = 'a';
        p[1] = 'b';
    }
    return p;
}

/*
 * The *at() calls with descriptor @fd (not open for the guest) as dirfd:
 * a relative path is EBADF (was: the host's answer, ENOTDIR, on the log's
 * descriptor), an empty one with AT_EMPTY_PATH too, NULL for utimensat
 * too; an absolute path ignores the dirfd.  Returns how many differ.
 */
static int at_calls_ebadf(int fd)
{
    struct stat st;
    struct statx stx;
    char buf[64];
    int bad = 0, ok;

#define AT_EBADF(call)                                                       \
    do {                                                                     \
        errno = 0;                                                           \
        if ((call) != -1 || errno != EBADF) {                                \
            if (bad++ < 3) {                                                 \
                fprintf(stderr, "%d: %s: errno %d, want EBADF\n", fd, #call, \
                        errno);                                              \
            }                                                                \
        }                                                                    \
    } while (0)
    AT_EBADF(openat(fd, "sc-iso-none", O_RDONLY));
    AT_EBADF(syscall(SYS_openat2, fd, "sc-iso-none", &(uint64_t[3]){0}, 24));
    AT_EBADF(fstatat(fd, "sc-iso-none", &st, 0));
    AT_EBADF(fstatat(fd, "", &st, AT_EMPTY_PATH));
    AT_EBADF(statx(fd, "sc-iso-none", 0, STATX_BASIC_STATS, &stx));
    AT_EBADF(mkdirat(fd, "sc-iso-none", 0700));
    AT_EBADF(mknodat(fd, "sc-iso-none", S_IFIFO | 0600, 0));
    AT_EBADF(unlinkat(fd, "sc-iso-none", 0));
    AT_EBADF(symlinkat("/x", fd, "sc-iso-none"));
    AT_EBADF(linkat(fd, "sc-iso-none", AT_FDCWD, "sc-iso-none2", 0));
    AT_EBADF(linkat(AT_FDCWD, "/dev/null", fd, "sc-iso-none", 0));
    AT_EBADF(renameat(fd, "sc-iso-none", AT_FDCWD, "sc-iso-none2"));
    AT_EBADF(readlinkat(fd, "", buf, sizeof(buf)));
    AT_EBADF(readlinkat(fd, "sc-iso-none", buf, sizeof(buf)));
    AT_EBADF(faccessat(fd, "sc-iso-none", F_OK, 0));
    AT_EBADF(syscall(SYS_faccessat2, fd, "", F_OK, AT_EMPTY_PATH));
    AT_EBADF(fchmodat(fd, "sc-iso-none", 0600, 0));
    AT_EBADF(fchownat(fd, "sc-iso-none", 0, 0, 0));
    AT_EBADF(syscall(SYS_utimensat, fd, NULL, NULL, 0));
    AT_EBADF(utimensat(fd, "sc-iso-none", NULL, 0));
    AT_EBADF(syscall(SYS_execveat, fd, "sc-iso-none", NULL, NULL, 0));
    AT_EBADF(inotify_add_watch(fd, "/", IN_ALL_EVENTS));
#undef AT_EBADF
    /* absolute paths ignore the dirfd; empty without AT_EMPTY_PATH and
     * bad pointers come first */
    ok = openat(fd, "/dev/null", O_RDONLY);
    if (ok < 0 || close(ok) != 0 || fstatat(fd, "/", &st, 0) != 0 ||
        faccessat(fd, "/dev/null", F_OK, 0) != 0) {
        bad++;
        fprintf(stderr, "%d: an absolute path failed\n", fd);
    }
    errno = 0;
    if (fstatat(fd, "", &st, 0) != -1 || errno != ENOENT) {
        bad++;
        fprintf(stderr, "%d: empty path: errno %d\n", fd, errno);
    }
    errno = 0;
    if (openat(fd, (const char *)8, O_RDONLY) != -1 || errno != EFAULT) {
        bad++;
        fprintf(stderr, "%d: bad path: errno %d\n", fd, errno);
    }
    errno = 0;
    if (openat(fd, unterminated(), O_RDONLY) != -1 || errno != EFAULT) {
        bad++;
        fprintf(stderr, "%d: unterminated path: errno %d\n", fd, errno);
    }
    return bad;
}

static void test_no_emulator_fds_visible(void)
{
    struct rlimit lim;
    struct stat st;
    int bad = 0;

    CHECK(getrlimit(RLIMIT_NOFILE, &lim) == 0);
    if (lim.rlim_cur > 65536) {
        lim.rlim_cur = 65536;
    }
    getpid(); /* logged by strace: the log is open and in use */
    for (int i = 3; i < (int)lim.rlim_cur; i++) {
        errno = 0;
        /* the *at() calls near both ends and at 4000-4199, where ctcg's
         * descriptors were and are (moved to 4064 or near the top of a
         * lower limit) */
        if (i < 40 || (i >= 4000 && i < 4200) || i >= (int)lim.rlim_cur - 300) {
            bad += at_calls_ebadf(i);
        }
        if (fcntl(i, F_GETFD) != -1 || errno != EBADF || fstat(i, &st) != -1 ||
            errno != EBADF || write(i, "", 0) != -1 || errno != EBADF ||
            lseek(i, 0, SEEK_CUR) != -1 || errno != EBADF) {
            if (bad++ < 3) {
                fprintf(stderr, "descriptor %d is visible to the guest\n", i);
            }
        }
    }
    CHECK(bad == 0);
    printf("no emulator fd visible\n");
}

/*
 * The magic links /proc/self/fd/N (and /dev/fd/N, /proc/<pid>/fd/N,
 * /proc/thread-self/fd/N) of the emulator's descriptors must not open
 * them: was, the guest could open ctcg's log and read or truncate it.
 * Where ctcg's descriptors are (see above); the listing of /proc/self/fd
 * still shows them (docs/syscalls.md).
 */
static void test_no_emulator_fds_by_proc(void)
{
    static const char *const fmt[] = {"/proc/self/fd/%d", "/dev/fd/%d",
                                      "/proc/thread-self/fd/%d",
                                      "/proc/%2$d/fd/%1$d"};
    struct rlimit lim;
    char path[64], link[64];
    int bad = 0;

    CHECK(getrlimit(RLIMIT_NOFILE, &lim) == 0);
    if (lim.rlim_cur > 65536) {
        lim.rlim_cur = 65536;
    }
    for (int i = 3; i < (int)lim.rlim_cur; i++) {
        if (!(i < 40 || (i >= 4000 && i < 4200) ||
              i >= (int)lim.rlim_cur - 300)) {
            continue;
        }
        for (unsigned f = 0; f < sizeof(fmt) / sizeof(fmt[0]); f++) {
            int fd;

            snprintf(path, sizeof(path), fmt[f], i, (int)getpid());
            fd = open(path, O_RDONLY);
            if (fd >= 0 || readlink(path, link, sizeof(link)) >= 0) {
                if (bad++ < 3) {
                    fprintf(stderr, "%s opens\n", path);
                }
                if (fd >= 0) {
                    close(fd);
                }
            }
        }
    }
    CHECK(bad == 0);
    printf("no emulator fd through /proc/self/fd\n");
}

static void test_dup_onto_emulator_fds(void)
{
    char path[] = "/tmp/ctcg-isolation-XXXXXX", buf[256];
    const char msg[] = "guest data again\n", *log = getenv("CTCG_LOG_FILENAME");
    int fd = mkstemp(path), n, bad = 0;

    CHECK(fd >= 0);
    unlink(path);
    /* All free in a native run (test_close_emulator_fds closed them). */
    for (int i = 3; i < 16; i++) {
        if (i != fd) {
            if (dup3(fd, i, 0) != i) {
                bad++;
            }
        }
    }
    CHECK(bad == 0);
    CHECK(write(fd, msg, sizeof(msg) - 1) == sizeof(msg) - 1);
    syscall(SYS_faccessat, AT_FDCWD, "/isolation-dup3-marker", F_OK, 0);
    CHECK(lseek(fd, 0, SEEK_SET) == 0);
    n = read(fd, buf, sizeof(buf) - 1);
    CHECK(n == sizeof(msg) - 1);
    buf[n > 0 ? n : 0] = 0;
    CHECK(strcmp(buf, msg) == 0);
    if (log) {
        CHECK(file_has(log, "/isolation-dup3-marker"));
    }
    for (int i = 3; i < 16; i++) {
        if (i != fd) {
            close(i);
        }
    }
    /* The numbers the log had are free again: dup/dup3 from them fail. */
    for (int i = 3; i < 16; i++) {
        if (i != fd) {
            CHECK_ERR(dup(i), EBADF);
            CHECK_ERR(dup3(i, 20, 0), EBADF);
        }
    }
    close(fd);
    printf("dup3 onto emulator fds ok\n");
}

static void test_prctl_seccomp(void)
{
    errno = 0;
    CHECK(prctl(PR_SET_MM, PR_SET_MM_START_BRK, TOP + PG, 0, 0) == -1 &&
          (errno == EINVAL || errno == EPERM));
    /* strict mode is emulated (sc_seccomp), filter mode refused */
    CHECK_ERR(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, NULL), EINVAL);
    CHECK_ERR(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, 0, 0, 0), EINVAL);
    CHECK(personality(0xffffffff) == PER_LINUX);
    printf("prctl/seccomp ok\n");
}

int main(void)
{
    int fd = open("/dev/null", O_RDONLY);

    /* the guest's first descriptor, as in a native run (the log's is
     * elsewhere) */
    CHECK(fd == 3);
    close(fd);
    test_proc_maps();
    test_mm_beyond();
    test_process_vm();
    test_close_emulator_fds();
    test_no_emulator_fds_visible();
    test_no_emulator_fds_by_proc();
    test_dup_onto_emulator_fds();
    test_prctl_seccomp();
    printf("%s\n", guest_failures ? "FAIL" : "PASS");
    return guest_failures != 0;
}
