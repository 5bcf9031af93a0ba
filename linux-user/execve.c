/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * execve and execveat of the guest.
 *
 * A riscv64 ELF program is run under ctcg again: the host execs this
 * emulator (/proc/self/exe as read at start-up) with the options it was
 * started with (-L, -cpu, -s, -d, -strace, ...), "-0 argv[0]", the program
 * and the rest of argv (not -g: the new program runs undebugged, as a
 * fork child does), so child processes stay emulated without
 * binfmt_misc.  A script whose interpreter is a riscv64 ELF is run the
 * way the kernel would: the interpreter under ctcg with the script as its
 * argument.  Anything else -- a host program, a host script -- is handed
 * to the host execve and runs natively.
 *
 * execveat(fd, "", AT_EMPTY_PATH) -- glibc's fexecve -- runs the file
 * the descriptor names as /proc/self/fd/N.  When N is close-on-exec (as
 * most are: Python's, Go's), Linux still runs the file and the new program
 * finds N closed; here the host exec would close N before the new ctcg
 * could open the path, so the flag is cleared and "-execfd N" tells the
 * new ctcg to close N once the program is loaded.  A script through such a
 * descriptor is ENOENT, as on Linux (its interpreter could not open it).
 *
 * The guest's personality goes to the new ctcg as "-personality", as
 * Linux's exec leaves it (syscall-seccomp.c).
 *
 * The guest's environment is passed as it is (CTCG_* variables in it
 * apply to the new emulator too).  The host signal mask mirrors the
 * guest's, so the new program inherits the guest mask as on Linux.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

#define EXEC_MAX_ARGS (1 << 20)

static char emu_path[PATH_MAX];
/* prctl's V control of the calling thread: "-vctrl" when next/inherit set */
static __thread uint32_t exec_vctrl;
static char **emu_opts;
static int emu_nopts;

void execve_init(char **opts, int nopts)
{
    ssize_t n = readlink("/proc/self/exe", emu_path, sizeof(emu_path) - 1);

    emu_path[n > 0 ? n : 0] = 0;
    emu_opts = opts;
    emu_nopts = nopts;
}

/* A copy of the guest string at @addr, or NULL (EFAULT). */
static char *guest_string_dup(uint64_t addr)
{
    int64_t len = guest_strlen(addr);
    char *s;

    if (len < 0) {
        return NULL;
    }
    s = malloc(len + 1);
    if (s && copy_from_guest(s, addr, len + 1) < 0) {
        free(s);
        return NULL;
    }
    return s;
}

/* The NULL-terminated guest array of strings at @addr; *n entries. */
static char **guest_strv_dup(uint64_t addr, int *n, int64_t *err)
{
    char **v = NULL;
    int count = 0, cap = 0;

    *err = 0;
    for (;; count++) {
        uint64_t p;

        if (addr == 0) {
            break; /* Linux accepts a NULL argv/envp as empty */
        }
        if (count >= EXEC_MAX_ARGS) {
            *err = -E2BIG;
            break;
        }
        if (copy_from_guest(&p, addr + 8 * (uint64_t)count, 8) < 0) {
            *err = -EFAULT;
            break;
        }
        if (count + 1 >= cap) {
            char **nv;

            cap = cap ? cap * 2 : 16;
            nv = realloc(v, cap * sizeof(char *));
            if (nv == NULL) {
                *err = -ENOMEM;
                break;
            }
            v = nv;
        }
        if (p == 0) {
            break;
        }
        v[count] = guest_string_dup(p);
        if (v[count] == NULL) {
            *err = -EFAULT;
            break;
        }
    }
    if (v == NULL) {
        v = malloc(sizeof(char *));
        if (v == NULL) {
            abort();
        }
        count = 0;
    }
    v[count] = NULL;
    *n = count;
    return v;
}

static void strv_free(char **v, int n)
{
    for (int i = 0; i < n; i++) {
        free(v[i]);
    }
    free(v);
}

/* Is the file at @path a riscv64 ELF?  Fills the first bytes in @head. */
static int read_head(const char *path, char *head, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd < 0) {
        return -errno;
    }
    n = read(fd, head, size - 1);
    close(fd);
    if (n < 0) {
        return -errno;
    }
    head[n] = 0;
    return (int)n;
}

static bool is_riscv_elf(const char *head, int n)
{
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)head;

    return n >= (int)sizeof(*eh) && memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 &&
           eh->e_ident[EI_CLASS] == ELFCLASS64 && eh->e_machine == EM_RISCV;
}

/* exec ctcg [opts] -0 argv0 program args... */
static int64_t exec_emulated(const char *program, char **pre, int npre,
                             char **argv, int argc, char **envp, int execfd)
{
    int n = 0, max = emu_nopts + npre + argc + 11;
    char **v = calloc(max, sizeof(char *)), vctrl[16], fdarg[16], pers[16];

    v[n++] = emu_path;
    for (int i = 0; i < emu_nopts; i++) {
        if ((strcmp(emu_opts[i], "-g") == 0 ||
             strcmp(emu_opts[i], "--g") == 0) &&
            i + 1 < emu_nopts) {
            i++; /* gdb debugs this process only (docs/gdb.md) */
            continue;
        }
        if ((strcmp(emu_opts[i], "-vctrl") == 0 ||
             strcmp(emu_opts[i], "-execfd") == 0 ||
             strcmp(emu_opts[i], "-personality") == 0) &&
            i + 1 < emu_nopts) {
            i++; /* ours, not the execve before us */
            continue;
        }
        v[n++] = emu_opts[i];
    }
    if (exec_vctrl & (RISCV_V_CTRL_NEXT_MASK | RISCV_V_CTRL_INHERIT)) {
        snprintf(vctrl, sizeof(vctrl), "%u", exec_vctrl);
        v[n++] = "-vctrl";
        v[n++] = vctrl;
    }
    /* always: the host's own persona is not the guest's */
    snprintf(pers, sizeof(pers), "%#x", syscall_personality_exec(program));
    v[n++] = "-personality";
    v[n++] = pers;
    if (execfd >= 0) {
        snprintf(fdarg, sizeof(fdarg), "%d", execfd);
        v[n++] = "-execfd";
        v[n++] = fdarg;
    }
    if (argc > 0 && npre == 0) {
        v[n++] = "-0";
        v[n++] = argv[0];
    }
    v[n++] = (char *)program;
    for (int i = 0; i < npre; i++) {
        v[n++] = pre[i];
    }
    for (int i = 1; i < argc; i++) {
        v[n++] = argv[i];
    }
    v[n] = NULL;
    execve(emu_path, v, envp);
    free(v);
    return -errno;
}

/* "#!interp [arg]": the interpreter and its optional argument. */
static bool parse_shebang(char *head, char **interp, char **arg)
{
    char *p = head + 2, *nl = strchr(head, '\n');

    if (strncmp(head, "#!", 2) != 0 || nl == NULL) {
        return false;
    }
    *nl = 0;
    p += strspn(p, " \t");
    *interp = p;
    p += strcspn(p, " \t");
    if (*p) {
        *p++ = 0;
        p += strspn(p, " \t");
    }
    *arg = *p ? p : NULL;
    return **interp != 0;
}

/*
 * Linux refuses to exec a file that is open for writing (ETXTBSY), but the
 * host kernel only sees ctcg being executed.  A read lease is refused
 * (EAGAIN) exactly when the file has writers (the inode's write count,
 * which exec's deny_write_access checks), so ask for one and drop it at
 * once.  Where leases are not offered (a file system without them, a file
 * we neither own nor have CAP_LEASE for) the check is skipped.
 */
static bool exec_file_busy(const char *host)
{
    int fd = open(host, O_RDONLY | O_CLOEXEC);
    bool busy = false;

    if (fd < 0) {
        return false;
    }
    if (fcntl(fd, F_SETLEASE, F_RDLCK) == 0) {
        fcntl(fd, F_SETLEASE, F_UNLCK);
    } else {
        busy = errno == EAGAIN;
    }
    close(fd);
    return busy;
}

/*
 * The guest's RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK (kept by
 * syscall-proc.c, not applied to ctcg) become the host's for the new
 * program: a new ctcg takes them as its guest's again (guest_rlimit_init)
 * and sizes its stack from the last; put back if the exec fails.  For
 * the first two only the soft limit is handed on (so a hard limit the
 * guest lowered is not seen by the new program).
 */
static int64_t exec_with_limits(const char *host, char *const *pre, int npre,
                                char **argv, int argc, char **envp,
                                bool emulated, int execfd)
{
    static const int res[3] = {RLIMIT_AS, RLIMIT_DATA, RLIMIT_STACK};
    struct rlimit64 guest, saved[3];
    bool set[3];
    int64_t ret;

    for (int i = 0; i < 3; i++) {
        set[i] = guest_rlimit(res[i], &guest) &&
                 prlimit64(0, res[i], NULL, &saved[i]) == 0;
        if (set[i] && res[i] != RLIMIT_STACK) {
            /* Not the hard limit: the new ctcg raises its soft one to it. */
            guest.rlim_max = saved[i].rlim_max;
        }
        set[i] = set[i] && prlimit64(0, res[i], &guest, NULL) == 0;
    }

    if (emulated) {
        ret = exec_emulated(host, (char **)pre, npre, argv, argc, envp, execfd);
    } else {
        execve(host, argv, envp);
        ret = -errno;
    }
    for (int i = 0; i < 3; i++) {
        if (set[i]) {
            prlimit64(0, res[i], &saved[i], NULL);
        }
    }
    return ret;
}

/*
 * Runs the riscv64 ELF at @host under a new ctcg.  @fd >= 0: @host is
 * /proc/self/fd/@fd (fexecve); a close-on-exec @fd is kept open for the
 * new ctcg, which closes it (the flag comes back if the exec fails).
 */
static int64_t exec_riscv(const char *host, int fd, char **argv, int argc,
                          char **envp)
{
    int fl = fd >= 0 ? fcntl(fd, F_GETFD) : -1;
    bool keep = fl >= 0 && (fl & FD_CLOEXEC);
    int64_t ret;

    if (exec_file_busy(host)) {
        return -ETXTBSY;
    }
    if (keep && fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) < 0) {
        return -errno;
    }
    ret =
        exec_with_limits(host, NULL, 0, argv, argc, envp, true, keep ? fd : -1);
    if (keep) {
        fcntl(fd, F_SETFD, fl);
    }
    return ret;
}

/* @fd >= 0: @path is /proc/self/fd/@fd, the file execveat's fd names. */
static int64_t do_exec(const char *path, int fd, char **argv, int argc,
                       char **envp)
{
    char buf[PATH_MAX], ibuf[PATH_MAX], head[256];
    const char *host = path_prefixed(path, buf, sizeof(buf));
    char *interp, *iarg;
    int n = read_head(host, head, sizeof(head));

    if (n < 0) {
        return n;
    }
    if (access(host, X_OK) != 0) {
        return -errno;
    }
    if (is_riscv_elf(head, n)) {
        return exec_riscv(host, fd, argv, argc, envp);
    }
    if (fd >= 0 && strncmp(head, "#!", 2) == 0 &&
        (fcntl(fd, F_GETFD) & FD_CLOEXEC)) {
        return -ENOENT; /* binfmt_script: BINPRM_FLAGS_PATH_INACCESSIBLE */
    }
    if (parse_shebang(head, &interp, &iarg)) {
        const char *ihost = path_prefixed(interp, ibuf, sizeof(ibuf));
        char ihead[256];
        int in = read_head(ihost, ihead, sizeof(ihead));

        if (in > 0 && is_riscv_elf(ihead, in)) {
            char *pre[2];
            int npre = 0;

            if (iarg) {
                pre[npre++] = iarg;
            }
            pre[npre++] = (char *)path;
            if (exec_file_busy(ihost)) {
                return -ETXTBSY;
            }
            /* argv[0] of an interpreted script is the interpreter. */
            return exec_with_limits(ihost, pre, npre, argv, argc, envp, true,
                                    -1);
        }
    }
    return exec_with_limits(host, NULL, 0, argv, argc, envp, false, -1);
}

/*
 * @name relative to the directory /proc/self/fd/N (@fdpath): by the
 * directory's own path where it has one, since N may be close-on-exec and
 * gone before the new ctcg opens the program.
 */
static char *fd_relative(const char *fdpath, const char *name)
{
    char dir[PATH_MAX], *full;
    ssize_t n = readlink(fdpath, dir, sizeof(dir) - 1);

    if (n <= 0 || dir[0] != '/' || (size_t)n > sizeof(dir) - 12) {
        n = snprintf(dir, sizeof(dir), "%s", fdpath);
    } else {
        dir[n] = 0;
        if (n > 10 && strcmp(dir + n - 10, " (deleted)") == 0) {
            n = snprintf(dir, sizeof(dir), "%s", fdpath);
        }
    }
    full = malloc(n + strlen(name) + 2);
    if (full == NULL) {
        abort();
    }
    sprintf(full, "%s/%s", dir, name);
    return full;
}

int64_t do_execveat(CPURISCVState *env, int dirfd, uint64_t path_addr,
                    uint64_t argv_addr, uint64_t envp_addr, int flags)
{
    char *path = guest_string_dup(path_addr), fdpath[64];
    char **argv, **envp;
    int argc, envc, fd = -1;
    int64_t err, ret;

    exec_vctrl = env->vctrl;
    if (path == NULL) {
        return -EFAULT;
    }
    if (!*path && !(flags & AT_EMPTY_PATH)) {
        free(path);
        return -ENOENT; /* getname: an empty name needs AT_EMPTY_PATH */
    }
    if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW)) {
        free(path);
        return -EINVAL;
    }
    /* As Linux's lookup, before argv is read: an empty path without
     * AT_EMPTY_PATH is ENOENT, a relative one against a descriptor that
     * is not open EBADF (via /proc it would be ENOENT). */
    if (!*path && !(flags & AT_EMPTY_PATH)) {
        free(path);
        return -ENOENT;
    }
    if (dirfd != AT_FDCWD && path[0] != '/' && fcntl(dirfd, F_GETFD) < 0) {
        free(path);
        return -EBADF;
    }
    argv = guest_strv_dup(argv_addr, &argc, &err);
    envp = err ? NULL : guest_strv_dup(envp_addr, &envc, &err);
    if (err == 0 && dirfd != AT_FDCWD && (path[0] != '/' || !*path)) {
        /* Relative to a directory fd (or the fd itself): via /proc. */
        if (fcntl(dirfd, F_GETFD) < 0) {
            err = -EBADF;
            strv_free(argv, argc);
            strv_free(envp, envc);
            free(path);
            return err;
        }
        snprintf(fdpath, sizeof(fdpath), "/proc/self/fd/%d", dirfd);
        if (*path) {
            char *full = fd_relative(fdpath, path);

            free(path);
            path = full;
        } else {
            free(path);
            path = strdup(fdpath);
            fd = dirfd;
        }
    }
    if (tcg_log_enabled(CPU_LOG_STRACE | CPU_LOG_UNIMP) && err == 0) {
        tcg_log("execve: %s\n", path);
    }
    ret = err ? err : do_exec(path, fd, argv, argc, envp);
    strv_free(argv, argc);
    if (envp) {
        strv_free(envp, envc);
    }
    free(path);
    return ret;
}
