/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * File system syscalls: paths and directories, descriptors, stat, fcntl,
 * extended attributes.
 *
 * Design: host passthrough; buffers go through HOST_PTR (a bad one faults
 * in the host kernel, after the checks Linux makes first), paths are
 * checked up to their NUL.  Conversions:
 *  - struct stat (fstat, newfstatat): the host's x86-64 layout is copied
 *    field by field into the asm-generic layout (struct target_stat).
 *  - absolute paths that are looked up (openat, stat, access, readlink,
 *    statfs) are redirected into the -L prefix when they exist there.
 *  - openat of /proc files that must show the guest's view (maps, auxv,
 *    exe, cmdline, cpuinfo) is answered by syscall-procfs.c; readlinkat of
 *    /proc/self/exe gives the guest program's path.
 * statx, statfs, struct flock (fcntl locks) and linux_dirent64 have the
 * same layout on both and pass through.  The terminal ioctls live in
 * syscall-ioctl.c.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1u << 2)
#endif

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static int64_t host_to_target_stat(uint64_t addr, const struct stat *st)
{
    struct target_stat t;

    memset(&t, 0, sizeof(t));
    t.st_dev = st->st_dev;
    t.st_ino = st->st_ino;
    t.st_mode = st->st_mode;
    t.st_nlink = st->st_nlink;
    t.st_uid = st->st_uid;
    t.st_gid = st->st_gid;
    t.st_rdev = st->st_rdev;
    t.st_size = st->st_size;
    t.st_blksize = st->st_blksize;
    t.st_blocks = st->st_blocks;
    t.st_atime_sec = st->st_atim.tv_sec;
    t.st_atime_nsec = st->st_atim.tv_nsec;
    t.st_mtime_sec = st->st_mtim.tv_sec;
    t.st_mtime_nsec = st->st_mtim.tv_nsec;
    t.st_ctime_sec = st->st_ctim.tv_sec;
    t.st_ctime_nsec = st->st_ctim.tv_nsec;
    return copy_to_guest(addr, &t, sizeof(t));
}

static int64_t do_newfstatat(uint64_t dirfd, uint64_t path_addr, uint64_t buf,
                             uint64_t flags)
{
    struct stat st;
    const char *path;
    char pbuf[PATH_BUF_SIZE];
    int64_t ret;

    GUEST_STR(path, path_addr);
    /* the buffer is checked when written: ENOENT, EBADF... come first */
    path = path_prefixed(path, pbuf, sizeof(pbuf));
    ret = HOST_SYSCALL(SYS_newfstatat, (long)(int)dirfd, path, &st,
                       (long)(int)flags);
    if (ret < 0) {
        return ret;
    }
    return host_to_target_stat(buf, &st);
}

static int64_t do_fstat(uint64_t fd, uint64_t buf)
{
    struct stat st;
    int64_t ret;

    ret = HOST_SYSCALL(SYS_fstat, (long)(int)fd, &st);
    if (ret < 0) {
        return ret;
    }
    return host_to_target_stat(buf, &st);
}

static int64_t do_openat(CPURISCVState *env, uint64_t dirfd, uint64_t path_addr,
                         uint64_t flags, uint64_t mode)
{
    const char *path;
    char pbuf[PATH_BUF_SIZE];
    int64_t ret;

    GUEST_STR(path, path_addr);
    ret = procfs_open(env, path, (int)flags, (int)mode);
    if (ret != SC_UNHANDLED) {
        return ret;
    }
    path = path_prefixed(path, pbuf, sizeof(pbuf));
    /* /proc/self/mem, by any path: remembered (syscall-procmem.c) */
    return procmem_opened(SAFE_SYSCALL(SYS_openat, (long)(int)dirfd, path,
                                       (long)(int)flags, (long)(int)mode));
}

static int64_t do_readlinkat(uint64_t dirfd, uint64_t path_addr,
                             uint64_t buf_addr, uint64_t bufsiz)
{
    const char *path;
    char pbuf[PATH_BUF_SIZE];
    void *buf;
    int64_t ret;

    GUEST_STR(path, path_addr);
    if ((int)bufsiz <= 0) {
        return -EINVAL;
    }
    HOST_PTR(buf, buf_addr, bufsiz);
    ret = procfs_readlink(path, pbuf,
                          bufsiz < sizeof(pbuf) ? bufsiz : sizeof(pbuf));
    if (ret != SC_UNHANDLED) {
        return ret < 0 || copy_to_guest(buf_addr, pbuf, ret) ? -EFAULT : ret;
    }
    path = path_prefixed(path, pbuf, sizeof(pbuf));
    return HOST_SYSCALL(SYS_readlinkat, (long)(int)dirfd, path, buf,
                        (long)bufsiz);
}

static bool fd_is_emulator(int fd);

static int64_t do_fcntl(uint64_t fd, uint64_t cmd, uint64_t arg)
{
    void *p;

    switch (cmd) {
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
        /* struct flock is 32 bytes with the same layout on both */
        HOST_PTR(p, arg, sizeof(struct flock));
        return SAFE_SYSCALL(SYS_fcntl, (long)(int)fd, (long)cmd, p);
    case F_GETOWN_EX:
    case F_SETOWN_EX:
        HOST_PTR(p, arg, sizeof(struct f_owner_ex));
        return HOST_SYSCALL(SYS_fcntl, (long)(int)fd, (long)cmd, p);
    case F_DUPFD:
    case F_DUPFD_CLOEXEC: {
        int64_t ret =
            fd_is_emulator((int)fd)
                ? -EBADF
                : HOST_SYSCALL(SYS_fcntl, (long)(int)fd, (long)cmd, (long)arg);

        if (ret >= 0 && signalfd_is((int)fd)) {
            signalfd_note((int)ret, true);
        }
        if (ret >= 0) {
            procmem_dup((int)ret, (int)fd);
        }
        return ret;
    }
    case F_SETSIG: /* a guest signal number, 0 for SIGIO */
        if (arg != 0 && target_to_host_signal((int)arg) == 0) {
            return -EINVAL;
        }
        return HOST_SYSCALL(SYS_fcntl, (long)(int)fd, (long)cmd,
                            arg ? (long)target_to_host_signal((int)arg) : 0L);
    case F_GETSIG: {
        int64_t ret = HOST_SYSCALL(SYS_fcntl, (long)(int)fd, (long)cmd, 0L);

        return ret > 0 ? host_to_target_signal((int)ret) : ret;
    }
    case F_GETFD:
    case F_SETFD:
    case F_GETFL:
    case F_SETFL:
    case F_SETOWN:
    case F_GETOWN:
    case F_SETLEASE:
    case F_GETLEASE:
    case F_NOTIFY:
    case F_SETPIPE_SZ:
    case F_GETPIPE_SZ:
    case F_ADD_SEALS:
    case F_GET_SEALS:
        return HOST_SYSCALL(SYS_fcntl, (long)(int)fd, (long)cmd, (long)arg);
    default:
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("Unsupported fcntl: %" PRIu64 "\n", cmd);
        }
        return -EINVAL;
    }
}

/* *at() calls on paths, one or two of them. */
static int64_t syscall_paths(int num, const uint64_t *a)
{
    const char *p0, *p1;
    char pbuf[PATH_BUF_SIZE];
    void *b;

    switch (num) {
    case TARGET_NR_faccessat:
        GUEST_STR(p0, a[1]);
        p0 = path_prefixed(p0, pbuf, sizeof(pbuf));
        return HOST_SYSCALL(SYS_faccessat, (long)(int)a[0], p0,
                            (long)(int)a[2]);
    case TARGET_NR_faccessat2:
        GUEST_STR(p0, a[1]);
        p0 = path_prefixed(p0, pbuf, sizeof(pbuf));
        return HOST_SYSCALL(SYS_faccessat2, (long)(int)a[0], p0,
                            (long)(int)a[2], (long)(int)a[3]);
    case TARGET_NR_mkdirat:
        GUEST_STR(p0, a[1]);
        return HOST_SYSCALL(SYS_mkdirat, (long)(int)a[0], p0, (long)(int)a[2]);
    case TARGET_NR_mknodat:
        GUEST_STR(p0, a[1]);
        return HOST_SYSCALL(SYS_mknodat, (long)(int)a[0], p0, (long)(int)a[2],
                            (long)(unsigned)a[3]);
    case TARGET_NR_unlinkat:
        GUEST_STR(p0, a[1]);
        return HOST_SYSCALL(SYS_unlinkat, (long)(int)a[0], p0, (long)(int)a[2]);
    case TARGET_NR_renameat:
    case TARGET_NR_renameat2:
        GUEST_STR(p0, a[1]);
        GUEST_STR(p1, a[3]);
        return HOST_SYSCALL(SYS_renameat2, (long)(int)a[0], p0, (long)(int)a[2],
                            p1, num == TARGET_NR_renameat ? 0L : (long)a[4]);
    case TARGET_NR_linkat:
        GUEST_STR(p0, a[1]);
        GUEST_STR(p1, a[3]);
        return HOST_SYSCALL(SYS_linkat, (long)(int)a[0], p0, (long)(int)a[2],
                            p1, (long)(int)a[4]);
    case TARGET_NR_symlinkat:
        GUEST_STR(p0, a[0]);
        GUEST_STR(p1, a[2]);
        return HOST_SYSCALL(SYS_symlinkat, p0, (long)(int)a[1], p1);
    case TARGET_NR_fchmodat:
        GUEST_STR(p0, a[1]);
        return HOST_SYSCALL(SYS_fchmodat, (long)(int)a[0], p0,
                            (long)(unsigned)a[2]);
    case TARGET_NR_fchmodat2:
        GUEST_STR(p0, a[1]);
        return HOST_SYSCALL(SYS_fchmodat2, (long)(int)a[0], p0,
                            (long)(unsigned)a[2], (long)(int)a[3]);
    case TARGET_NR_fchownat:
        GUEST_STR(p0, a[1]);
        return HOST_SYSCALL(SYS_fchownat, (long)(int)a[0], p0, (long)(int)a[2],
                            (long)(int)a[3], (long)(int)a[4]);
    case TARGET_NR_utimensat:
        /* a NULL path means the descriptor itself (futimens) */
        GUEST_STR_OPT(p0, a[1]);
        HOST_PTR(b, a[2], 32);
        return HOST_SYSCALL(SYS_utimensat, (long)(int)a[0], p0, b,
                            (long)(int)a[3]);
    case TARGET_NR_truncate:
        GUEST_STR(p0, a[0]);
        return HOST_SYSCALL(SYS_truncate, p0, (long)a[1]);
    case TARGET_NR_chdir:
        GUEST_STR(p0, a[0]);
        return HOST_SYSCALL(SYS_chdir, p0);
    case TARGET_NR_chroot:
        GUEST_STR(p0, a[0]);
        return HOST_SYSCALL(SYS_chroot, p0);
    case TARGET_NR_statfs:
        GUEST_STR(p0, a[0]);
        p0 = path_prefixed(p0, pbuf, sizeof(pbuf));
        HOST_PTR(b, a[1], sizeof(struct statfs));
        return HOST_SYSCALL(SYS_statfs, p0, b);
    case TARGET_NR_statx:
        GUEST_STR(p0, a[1]);
        p0 = path_prefixed(p0, pbuf, sizeof(pbuf));
        HOST_PTR(b, a[4], 256);
        return HOST_SYSCALL(SYS_statx, (long)(int)a[0], p0, (long)(int)a[2],
                            (long)(unsigned)a[3], b);
    default:
        return SC_UNHANDLED;
    }
}

/* Extended attributes: *xattr(path|fd, name, value, size[, flags]). */
static int64_t syscall_xattr(int num, const uint64_t *a)
{
    const char *path = NULL, *name = NULL;
    void *buf;

    switch (num) {
    case TARGET_NR_setxattr:
    case TARGET_NR_lsetxattr:
    case TARGET_NR_getxattr:
    case TARGET_NR_lgetxattr:
    case TARGET_NR_listxattr:
    case TARGET_NR_llistxattr:
    case TARGET_NR_removexattr:
    case TARGET_NR_lremovexattr:
        GUEST_STR(path, a[0]);
        break;
    case TARGET_NR_fsetxattr:
    case TARGET_NR_fgetxattr:
    case TARGET_NR_flistxattr:
    case TARGET_NR_fremovexattr:
        break;
    default:
        return SC_UNHANDLED;
    }
    switch (num) {
    case TARGET_NR_listxattr:
    case TARGET_NR_llistxattr:
    case TARGET_NR_flistxattr:
        HOST_PTR(buf, a[1], a[2]);
        return HOST_SYSCALL(num == TARGET_NR_flistxattr  ? SYS_flistxattr
                            : num == TARGET_NR_listxattr ? SYS_listxattr
                                                         : SYS_llistxattr,
                            path ? (long)path : (long)(int)a[0], buf,
                            (long)a[2]);
    case TARGET_NR_removexattr:
    case TARGET_NR_lremovexattr:
    case TARGET_NR_fremovexattr:
        GUEST_STR(name, a[1]);
        return HOST_SYSCALL(num == TARGET_NR_fremovexattr  ? SYS_fremovexattr
                            : num == TARGET_NR_removexattr ? SYS_removexattr
                                                           : SYS_lremovexattr,
                            path ? (long)path : (long)(int)a[0], name);
    default:
        GUEST_STR(name, a[1]);
        HOST_PTR(buf, a[2], a[3]);
        if (num == TARGET_NR_getxattr || num == TARGET_NR_lgetxattr ||
            num == TARGET_NR_fgetxattr) {
            return HOST_SYSCALL(num == TARGET_NR_fgetxattr  ? SYS_fgetxattr
                                : num == TARGET_NR_getxattr ? SYS_getxattr
                                                            : SYS_lgetxattr,
                                path ? (long)path : (long)(int)a[0], name, buf,
                                (long)a[3]);
        }
        return HOST_SYSCALL(num == TARGET_NR_fsetxattr  ? SYS_fsetxattr
                            : num == TARGET_NR_setxattr ? SYS_setxattr
                                                        : SYS_lsetxattr,
                            path ? (long)path : (long)(int)a[0], name, buf,
                            (long)a[3], (long)(int)a[4]);
    }
}

/*
 * The emulator's own descriptors (the -D log file, the -perfmap file, the
 * gdbstub's connection, eventfd and /proc/self/mem) are not the guest's:
 * for the guest their numbers are free, as in a native run.  close() of
 * one is EBADF, as for a descriptor that is not open, and close_range()
 * closes the rest of its range; dup, dup3 and fcntl(F_DUPFD) from one are
 * EBADF; dup3 onto one succeeds, after ctcg has moved its stream or raw
 * descriptor to another number (emulator_fd_move, emulator_raw_move).
 * All are opened O_CLOEXEC, so the guest's execve'd children do not get
 * them.  The calls that take a descriptor (read, write, fstat, fcntl,
 * ioctl, mmap, ...) give EBADF on such a number before they are
 * dispatched (syscall_emulator_fd_arg), and so do the *at() calls with
 * such a dirfd and a relative path.
 *
 * Raw descriptors are registered by the address of the int that holds
 * them (syscall_emulator_fd_add, before the guest runs); their owners
 * read that int with an acquire load each time they use it, paired with
 * the release store of emulator_raw_move.  A call the owner started on
 * the old number just before a guest dup3 replaced it may reach the
 * guest's file (as with any descriptor a thread uses while another
 * replaces it); the owner's next call uses the new number.
 */
#define EMU_RAW_MAX 4

static int *emu_raw[EMU_RAW_MAX]; /* written before the guest runs */
static int nb_emu_raw;

static int emu_raw_fd(int i)
{
    /* Pairs with the release store of emulator_raw_move. */
    return __atomic_load_n(emu_raw[i], __ATOMIC_ACQUIRE);
}

static bool fd_is_emulator(int fd)
{
    if (fd < 0) {
        return false;
    }
    for (int i = 0; i < nb_emu_raw; i++) {
        if (emu_raw_fd(i) == fd) {
            return true;
        }
    }
    return (tcg_logfile && fileno(tcg_logfile) == fd) ||
           (cpu_exec_perfmap && fileno(cpu_exec_perfmap) == fd);
}

/* For syscall-procfs.c: /proc/self/fd/@fd of an emulator's descriptor. */
bool syscall_emulator_fd_is(int fd)
{
    return fd_is_emulator(fd);
}

/* The first number tried for an emulator descriptor: near the top. */
static long emulator_fd_base(void)
{
    struct rlimit lim;

    if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur > 96) {
        return lim.rlim_cur == RLIM_INFINITY || lim.rlim_cur > 4096
                   ? 4064
                   : (long)lim.rlim_cur - 32;
    }
    return 64;
}

/* A close-on-exec copy of @fd near the top, or -errno. */
static int emulator_fd_dup_high(int fd)
{
    int nfd = fcntl(fd, F_DUPFD_CLOEXEC, emulator_fd_base());

    if (nfd < 0) {
        nfd = fcntl(fd, F_DUPFD_CLOEXEC, fd + 1); /* the top is full */
    }
    return nfd < 0 ? -errno : nfd;
}

/* Move the raw descriptor in @slot off @fd (a guest dup3 replaces it). */
static int emulator_raw_move(int *slot, int fd)
{
    int nfd;

    if (__atomic_load_n(slot, __ATOMIC_ACQUIRE) != fd) {
        return 0;
    }
    nfd = emulator_fd_dup_high(fd);
    if (nfd < 0) {
        return nfd;
    }
    /* Pairs with the acquire loads of the slot's owner (emu_raw_fd). */
    __atomic_store_n(slot, nfd, __ATOMIC_RELEASE);
    return 0;
}

/**
 * syscall_emulator_fd_add() - make the descriptor held in *@slot one of
 * the emulator's own: moved near the top of RLIMIT_NOFILE (close-on-exec)
 * and hidden from the guest from now on.  The owner may set *@slot to -1
 * when it closes it (with an atomic store), and must read *@slot with an
 * acquire load at each use (a guest dup3 onto it moves it).
 * Context: before guest code runs (single-threaded).
 * Returns: 0, or -1 when the table is full (the descriptor stays visible).
 */
int syscall_emulator_fd_add(int *slot)
{
    int fd = *slot, nfd;

    if (nb_emu_raw == EMU_RAW_MAX) {
        return -1;
    }
    nfd = fd >= 0 ? emulator_fd_dup_high(fd) : -1;
    if (nfd >= 0) {
        close(fd);
        *slot = nfd;
    }
    emu_raw[nb_emu_raw++] = slot;
    return 0;
}

/*
 * Would Linux resolve path @path against @dirfd, and is @dirfd one of the
 * emulator's descriptors?  Linux reads the path first (a bad pointer is
 * EFAULT, an empty path ENOENT unless @empty_ok), and looks at the dirfd
 * only for a relative path (EBADF for a number the guest never opened);
 * an absolute path ignores it.  @null_ok: a NULL path names the dirfd
 * itself (utimensat, fanotify_mark).
 */
static bool at_dirfd(uint64_t dirfd, uint64_t path, bool empty_ok, bool null_ok)
{
    char c;

    if (!fd_is_emulator((int)dirfd)) {
        return false;
    }
    if (path == 0) {
        return null_ok;
    }
    /* the whole name is read first: EFAULT, from the host call */
    if (guest_strlen(path) < 0 || copy_from_guest(&c, path, 1) != 0) {
        return false;
    }
    return c == '\0' ? empty_ok : c != '/';
}

/* The *at() calls (and those like them): EBADF for an emulator dirfd. */
static bool at_emulator_dirfd_arg(int num, const uint64_t *a)
{
    switch (num) {
    case TARGET_NR_openat:
    case TARGET_NR_openat2:
    case TARGET_NR_mknodat:
    case TARGET_NR_mkdirat:
    case TARGET_NR_unlinkat:
    case TARGET_NR_faccessat:
    case TARGET_NR_fchmodat:
        return at_dirfd(a[0], a[1], false, false);
    case TARGET_NR_symlinkat:
        return at_dirfd(a[1], a[2], false, false);
    case TARGET_NR_readlinkat: /* an empty path: the dirfd's link */
        return at_dirfd(a[0], a[1], true, false);
    case TARGET_NR_linkat:
        return at_dirfd(a[0], a[1], a[4] & AT_EMPTY_PATH, false) ||
               at_dirfd(a[2], a[3], false, false);
    case TARGET_NR_renameat2:
        return at_dirfd(a[0], a[1], false, false) ||
               at_dirfd(a[2], a[3], false, false);
    case TARGET_NR_faccessat2:
    case TARGET_NR_fchmodat2:
    case TARGET_NR_newfstatat: /* glibc's fstat: (fd, "", AT_EMPTY_PATH) */
        return at_dirfd(a[0], a[1], a[3] & AT_EMPTY_PATH, false);
    case TARGET_NR_utimensat:
        return at_dirfd(a[0], a[1], a[3] & AT_EMPTY_PATH, true);
    case TARGET_NR_fchownat:
    case TARGET_NR_name_to_handle_at:
    case TARGET_NR_execveat:
        return at_dirfd(a[0], a[1], a[4] & AT_EMPTY_PATH, false);
    case TARGET_NR_statx:
    case TARGET_NR_open_tree:
    case TARGET_NR_mount_setattr:
        return at_dirfd(a[0], a[1], a[2] & AT_EMPTY_PATH, false);
    case TARGET_NR_fspick:
        return at_dirfd(a[0], a[1], a[2] & 0x8 /* FSPICK_EMPTY_PATH */, false);
    case TARGET_NR_move_mount: /* MOVE_MOUNT_F/T_EMPTY_PATH */
        return at_dirfd(a[0], a[1], a[4] & 0x4, false) ||
               at_dirfd(a[2], a[3], a[4] & 0x40, false);
    case TARGET_NR_fanotify_mark:
        return fd_is_emulator((int)a[0]) || at_dirfd(a[3], a[4], false, true);
    default:
        return false;
    }
}

/**
 * syscall_emulator_fd_arg() - does guest syscall @num name one of the
 * emulator's own descriptors in an argument that must be an open
 * descriptor?  Then the guest gets EBADF, as for a number it never opened.
 * (close, close_range, dup* and fcntl(F_DUPFD) are handled by their own
 * code above; the *at() calls by at_emulator_dirfd_arg.)
 * Returns: true when the call must fail with EBADF.
 */
bool syscall_emulator_fd_arg(int num, const uint64_t *a)
{
    if (tcg_logfile == NULL && cpu_exec_perfmap == NULL && nb_emu_raw == 0) {
        return false;
    }
    if (at_emulator_dirfd_arg(num, a)) {
        return true;
    }
    switch (num) {
    case TARGET_NR_read:
    case TARGET_NR_write:
    case TARGET_NR_readv:
    case TARGET_NR_writev:
    case TARGET_NR_pread64:
    case TARGET_NR_pwrite64:
    case TARGET_NR_preadv:
    case TARGET_NR_pwritev:
    case TARGET_NR_preadv2:
    case TARGET_NR_pwritev2:
    case TARGET_NR_lseek:
    case TARGET_NR_fstat:
    case TARGET_NR_fstatfs:
    case TARGET_NR_fsync:
    case TARGET_NR_fdatasync:
    case TARGET_NR_ftruncate:
    case TARGET_NR_fallocate:
    case TARGET_NR_fcntl:
    case TARGET_NR_ioctl:
    case TARGET_NR_flock:
    case TARGET_NR_fchmod:
    case TARGET_NR_fchown:
    case TARGET_NR_getdents64:
    case TARGET_NR_fadvise64:
    case TARGET_NR_readahead:
    case TARGET_NR_sync_file_range:
    case TARGET_NR_syncfs:
    case TARGET_NR_fchdir:
    case TARGET_NR_fgetxattr:
    case TARGET_NR_fsetxattr:
    case TARGET_NR_flistxattr:
    case TARGET_NR_fremovexattr:
    case TARGET_NR_vmsplice:
        return fd_is_emulator((int)a[0]);
    case TARGET_NR_sendfile:
    case TARGET_NR_tee:
        return fd_is_emulator((int)a[0]) || fd_is_emulator((int)a[1]);
    case TARGET_NR_splice:
    case TARGET_NR_copy_file_range:
        return fd_is_emulator((int)a[0]) || fd_is_emulator((int)a[2]);
    case TARGET_NR_epoll_ctl:
        return fd_is_emulator((int)a[2]);
    case TARGET_NR_open_by_handle_at:
    case TARGET_NR_inotify_add_watch:
    case TARGET_NR_quotactl_fd:
        return fd_is_emulator((int)a[0]);
    case TARGET_NR_mmap:
        return !(a[3] & TARGET_MAP_ANONYMOUS) && fd_is_emulator((int)a[4]);
    default:
        return false;
    }
}

/*
 * Move the emulator's stream @f off descriptor @fd, which a guest dup3 is
 * about to replace (Linux would, as the number is free for the guest): the
 * stream gets a copy of its descriptor near the top of RLIMIT_NOFILE,
 * where the guest's lowest-free allocations rarely reach, and the old
 * number stays open until the dup3 replaces it.  The stream's lock keeps
 * every writer (tcg_log, fprintf, which take it too) out while its
 * descriptor changes.  Changing a FILE's descriptor needs glibc's
 * _fileno; elsewhere the dup3 is refused with EBUSY (what Linux answers
 * when it races with open).  Returns 0 or -errno.
 */
static int emulator_fd_move(FILE *f, int fd)
{
    int nfd;

    if (f == NULL || fileno(f) != fd) {
        return 0;
    }
#ifdef __GLIBC__
    flockfile(f);
    fflush_unlocked(f);
    nfd = emulator_fd_dup_high(fd);
    if (nfd >= 0) {
        f->_fileno = nfd;
    }
    funlockfile(f);
    return nfd < 0 ? nfd : 0;
#else
    (void)nfd;
    return -EBUSY;
#endif
}

/**
 * syscall_emulator_fds_init() - at startup, once the log and perf-map
 * files are open: move their descriptors up (emulator_fd_move), so that
 * the guest's first descriptors are 3, 4, ... as in a native run and its
 * guesses rarely meet ours.
 */
void syscall_emulator_fds_init(void)
{
    FILE *files[2] = {tcg_logfile, cpu_exec_perfmap};

    for (int i = 0; i < 2; i++) {
        int old = files[i] ? fileno(files[i]) : -1;

        if (old >= 0 && emulator_fd_move(files[i], old) == 0 &&
            fileno(files[i]) != old) {
            close(old); /* single-threaded still: nobody writes to it */
        }
    }
}

/*
 * dup3(@oldfd, @newfd, @flags) as Linux runs it for the guest: the
 * emulator's descriptors are not open as @oldfd, and are free as @newfd.
 */
static int64_t do_dup3(int oldfd, int newfd, int flags)
{
    int64_t ret;

    if (fd_is_emulator(oldfd)) {
        return -EBADF;
    }
    if (fd_is_emulator(newfd)) {
        /* Linux's order: flags, then the same number, then @oldfd. */
        if ((flags & ~O_CLOEXEC) != 0 || oldfd == newfd) {
            return -EINVAL;
        }
        if (fcntl(oldfd, F_GETFD) < 0) {
            return -EBADF;
        }
        ret = emulator_fd_move(tcg_logfile, newfd);
        if (ret == 0) {
            ret = emulator_fd_move(cpu_exec_perfmap, newfd);
        }
        for (int i = 0; i < nb_emu_raw && ret == 0; i++) {
            ret = emulator_raw_move(emu_raw[i], newfd);
        }
        if (ret < 0) {
            return ret;
        }
    }
    return HOST_SYSCALL(SYS_dup3, (long)oldfd, (long)newfd, (long)flags);
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

/* close_range(@lo, @hi, @flags) around the emulator's descriptors. */
static int64_t do_close_range(unsigned lo, unsigned hi, unsigned flags)
{
    int emu[2 + EMU_RAW_MAX], n = 0;
    int64_t ret;

    emu[n++] = tcg_logfile ? fileno(tcg_logfile) : -1;
    emu[n++] = cpu_exec_perfmap ? fileno(cpu_exec_perfmap) : -1;
    for (int i = 0; i < nb_emu_raw; i++) {
        emu[n++] = emu_raw_fd(i);
    }
    qsort(emu, n, sizeof(emu[0]), cmp_int);
    for (int i = 0; i < n; i++) {
        unsigned fd = (unsigned)emu[i];

        if (emu[i] < 0 || fd < lo || fd > hi) {
            continue;
        }
        if (fd > lo) {
            ret = HOST_SYSCALL(SYS_close_range, (long)lo, (long)(fd - 1),
                               (long)flags);
            if (ret < 0) {
                return ret;
            }
        }
        if (fd == hi) {
            return 0;
        }
        lo = fd + 1;
    }
    return HOST_SYSCALL(SYS_close_range, (long)lo, (long)hi, (long)flags);
}

/* Calls on descriptors. */
static int64_t syscall_fds(int num, const uint64_t *a)
{
    void *b;
    const char *s;

    switch (num) {
    case TARGET_NR_close:
        if (fd_is_emulator((int)a[0])) {
            return -EBADF;
        }
        signalfd_note((int)a[0], false);
        /* before: once closed, another thread may open a mem file there */
        procmem_note((int)a[0], false);
        return HOST_SYSCALL(SYS_close, (long)(int)a[0]);
    case TARGET_NR_close_range: {
        int64_t ret =
            do_close_range((unsigned)a[0], (unsigned)a[1], (unsigned)a[2]);

        if (ret == 0 && !((unsigned)a[2] & CLOSE_RANGE_CLOEXEC)) {
            procmem_close_range((unsigned)a[0], (unsigned)a[1]);
        }
        return ret;
    }
    case TARGET_NR_dup:
    case TARGET_NR_dup3: {
        /* A dup of a signalfd is one too (syscall-signal.c). */
        int64_t ret = num == TARGET_NR_dup3
                          ? do_dup3((int)a[0], (int)a[1], (int)a[2])
                      : fd_is_emulator((int)a[0])
                          ? -EBADF
                          : HOST_SYSCALL(SYS_dup, (long)(int)a[0]);

        if (ret >= 0) {
            signalfd_note((int)ret, signalfd_is((int)a[0]));
            procmem_dup((int)ret, (int)a[0]);
        }
        return ret;
    }
    case TARGET_NR_fcntl:
        return do_fcntl(a[0], a[1], a[2]);
    case TARGET_NR_flock:
        return SAFE_SYSCALL(SYS_flock, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_ioctl:
        return do_ioctl((int)a[0], a[1], a[2]);
    case TARGET_NR_lseek:
        if (procmem_is((int)a[0])) {
            return procmem_lseek((int)a[0], (int64_t)a[1], (int)a[2]);
        }
        return HOST_SYSCALL(SYS_lseek, (long)(int)a[0], (long)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_fstat:
        return do_fstat(a[0], a[1]);
    case TARGET_NR_fstatfs:
        HOST_PTR(b, a[1], sizeof(struct statfs));
        return HOST_SYSCALL(SYS_fstatfs, (long)(int)a[0], b);
    case TARGET_NR_getdents64:
        HOST_PTR(b, a[1], a[2]);
        return HOST_SYSCALL(SYS_getdents64, (long)(int)a[0], b,
                            (long)(unsigned)a[2]);
    case TARGET_NR_fchmod:
        return HOST_SYSCALL(SYS_fchmod, (long)(int)a[0], (long)(unsigned)a[1]);
    case TARGET_NR_fchown:
        return HOST_SYSCALL(SYS_fchown, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_ftruncate:
        return HOST_SYSCALL(SYS_ftruncate, (long)(int)a[0], (long)a[1]);
    case TARGET_NR_fsync:
        return HOST_SYSCALL(SYS_fsync, (long)(int)a[0]);
    case TARGET_NR_fdatasync:
        return HOST_SYSCALL(SYS_fdatasync, (long)(int)a[0]);
    case TARGET_NR_syncfs:
        return HOST_SYSCALL(SYS_syncfs, (long)(int)a[0]);
    case TARGET_NR_sync:
        sync();
        return 0;
    case TARGET_NR_fchdir:
        return HOST_SYSCALL(SYS_fchdir, (long)(int)a[0]);
    case TARGET_NR_fallocate:
        return HOST_SYSCALL(SYS_fallocate, (long)(int)a[0], (long)(int)a[1],
                            (long)a[2], (long)a[3]);
    case TARGET_NR_fadvise64:
        return HOST_SYSCALL(SYS_fadvise64, (long)(int)a[0], (long)a[1],
                            (long)a[2], (long)(int)a[3]);
    case TARGET_NR_readahead:
        return HOST_SYSCALL(SYS_readahead, (long)(int)a[0], (long)a[1],
                            (long)a[2]);
    case TARGET_NR_sync_file_range:
        return HOST_SYSCALL(SYS_sync_file_range, (long)(int)a[0], (long)a[1],
                            (long)a[2], (long)(unsigned)a[3]);
    case TARGET_NR_inotify_init1:
        return HOST_SYSCALL(SYS_inotify_init1, (long)(int)a[0]);
    case TARGET_NR_inotify_add_watch:
        GUEST_STR(s, a[1]);
        return HOST_SYSCALL(SYS_inotify_add_watch, (long)(int)a[0], s,
                            (long)(unsigned)a[2]);
    case TARGET_NR_inotify_rm_watch:
        return HOST_SYSCALL(SYS_inotify_rm_watch, (long)(int)a[0],
                            (long)(int)a[1]);
    case TARGET_NR_memfd_create:
        GUEST_STR(s, a[0]);
        return HOST_SYSCALL(SYS_memfd_create, s, (long)(unsigned)a[1]);
    default:
        return SC_UNHANDLED;
    }
}

int64_t syscall_file(CPURISCVState *env, int num, const uint64_t *a)
{
    void *b;
    int64_t ret;

    switch (num) {
    case TARGET_NR_openat:
        return do_openat(env, a[0], a[1], a[2], a[3]);
    case TARGET_NR_newfstatat:
        return do_newfstatat(a[0], a[1], a[2], a[3]);
    case TARGET_NR_readlinkat:
        return do_readlinkat(a[0], a[1], a[2], a[3]);
    case TARGET_NR_getcwd:
        HOST_PTR(b, a[0], a[1]);
        return HOST_SYSCALL(SYS_getcwd, b, (long)a[1]);
    case TARGET_NR_umask:
        return HOST_SYSCALL(SYS_umask, (long)(unsigned)a[0]);
    default:
        break;
    }
    ret = syscall_fds(num, a);
    if (ret == SC_UNHANDLED) {
        ret = syscall_paths(num, a);
    }
    if (ret == SC_UNHANDLED) {
        ret = syscall_xattr(num, a);
    }
    return ret;
}
