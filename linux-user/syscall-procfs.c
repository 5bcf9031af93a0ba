/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc files that must show the guest's view rather than the emulator's:
 * /proc/self/{maps,smaps,auxv,exe,cmdline} (also as /proc/<pid>/ and
 * /proc/thread-self/) and /proc/cpuinfo.
 *
 * Design: openat() of one of these paths returns a memfd filled with the
 * generated text, rewound, so read/lseek/fstat/mmap work as on a file;
 * exe opens the guest program itself.  readlink of exe answers the
 * absolute path of the guest program (user_opts.exec_path), as QEMU does.
 * The auxv and argv come from the guest's initial stack (exec_info, set by
 * main.c from loader_exec()).  smaps is maps (mmap.c) with, under each
 * guest mapping, the counters of the host's /proc/self/smaps entries that
 * back it (guest memory is host memory at g2h), summed over the overlap
 * (scaled by its share where a host entry is larger): Rss, Locked, ...
 * come from the host kernel; Size is the guest mapping's.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "linux-user/syscall-priv.h"

bool procfs_is_self(const char *path, const char *entry)
{
    char buf[64];
    const char *rest;

    if (strncmp(path, "/proc/", 6) != 0) {
        return false;
    }
    rest = path + 6;
    if (strncmp(rest, "self/", 5) == 0) {
        rest += 5;
    } else if (strncmp(rest, "thread-self/", 12) == 0) {
        rest += 12;
    } else {
        int n = snprintf(buf, sizeof(buf), "%d/", (int)getpid());
        if (strncmp(rest, buf, n) != 0) {
            return false;
        }
        rest += n;
    }
    return strcmp(rest, entry) == 0;
}

/* Skip the digits at *@p; Returns: their value, or -1 if none or too many. */
static long parse_num(const char **p)
{
    long v = 0;
    int n = 0;

    while (**p >= '0' && **p <= '9' && n < 10) {
        v = v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n == 0 || (**p >= '0' && **p <= '9') ? -1 : v;
}

/*
 * The descriptor a magic link names: /dev/fd/N, /proc/{self,thread-self,
 * <our pid>,<our pid>/task/<tid>}/{fd,fdinfo}/N.  Returns: N, or -1.
 * (A path relative to a directory descriptor of /proc/self/fd is not
 * recognised: docs/syscalls.md.)
 */
static long procfs_fd_number(const char *path)
{
    const char *p = path;
    char pid[16];
    int n;

    if (strncmp(p, "/dev/fd/", 8) == 0) {
        p += 8;
    } else if (strncmp(p, "/proc/", 6) == 0) {
        p += 6;
        n = snprintf(pid, sizeof(pid), "%d/", (int)getpid());
        if (strncmp(p, "self/", 5) == 0) {
            p += 5;
        } else if (strncmp(p, "thread-self/", 12) == 0) {
            p += 12;
        } else if (strncmp(p, pid, n) == 0) {
            p += n;
            if (strncmp(p, "task/", 5) == 0) {
                p += 5;
                if (parse_num(&p) < 0 || *p++ != '/') {
                    return -1;
                }
            }
        } else {
            return -1;
        }
        if (strncmp(p, "fd/", 3) == 0) {
            p += 3;
        } else if (strncmp(p, "fdinfo/", 7) == 0) {
            p += 7;
        } else {
            return -1;
        }
    } else {
        return -1;
    }
    {
        long fd = parse_num(&p);

        return *p == '\0' ? fd : -1;
    }
}

/* Does @path name one of the emulator's own descriptors (open, readlink)? */
static bool procfs_names_emulator_fd(const char *path)
{
    long n = procfs_fd_number(path);

    return n >= 0 && n <= INT_MAX && syscall_emulator_fd_is((int)n);
}

static int write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -errno;
        }
        p += n;
        len -= n;
    }
    return 0;
}

static void fill_auxv(int fd)
{
    if (exec_info && exec_info->auxv_len &&
        guest_access_ok(exec_info->auxv, exec_info->auxv_len, false)) {
        write_all(fd, g2h(exec_info->auxv), exec_info->auxv_len);
    }
}

static void fill_cmdline(int fd)
{
    uint64_t argc, argv, i;

    if (!exec_info || copy_from_guest(&argc, exec_info->start_stack, 8)) {
        return;
    }
    for (i = 0; i < argc; i++) {
        int64_t len;

        if (copy_from_guest(&argv, exec_info->start_stack + 8 + i * 8, 8)) {
            return;
        }
        len = guest_strlen(argv);
        if (len < 0) {
            return;
        }
        write_all(fd, g2h(argv), len + 1);
    }
}

/* All of a file (/proc/self/smaps, a memfd), NUL-terminated, malloc'ed. */
static char *read_all(int fd)
{
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    ssize_t n;

    while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
        len += n;
        if (cap - len < 4096) {
            char *nb = realloc(buf, cap *= 2);

            if (!nb) {
                break;
            }
            buf = nb;
        }
    }
    if (buf) {
        buf[len] = 0;
    }
    return buf;
}

static const char *const smaps_fields[] = {
    "Rss",
    "Pss",
    "Pss_Dirty",
    "Shared_Clean",
    "Shared_Dirty",
    "Private_Clean",
    "Private_Dirty",
    "Referenced",
    "Anonymous",
    "KSM",
    "LazyFree",
    "AnonHugePages",
    "ShmemPmdMapped",
    "FilePmdMapped",
    "Shared_Hugetlb",
    "Private_Hugetlb",
    "Swap",
    "SwapPss",
    "Locked",
};
#define N_SMAPS_FIELDS (sizeof(smaps_fields) / sizeof(smaps_fields[0]))

/* Add the host entries overlapping [hs, he) into sum[]; VmFlags too. */
static void smaps_sum(const char *host, uintptr_t hs, uintptr_t he,
                      uint64_t *sum, char *flags, size_t fsize)
{
    const char *p = host;

    while (p && *p) {
        unsigned long s, e;
        const char *next = strchr(p, '\n');

        if (sscanf(p, "%lx-%lx ", &s, &e) == 2 && s < he && e > hs) {
            uint64_t ov = (e < he ? e : he) - (s > hs ? s : hs);

            for (const char *q = next;
                 q && q[1] && !strchr("0123456789abcdef", q[1]);
                 q = strchr(q + 1, '\n')) {
                char name[32];
                unsigned long kb;

                if (sscanf(q + 1, "%31[^:]: %lu kB", name, &kb) == 2) {
                    for (size_t i = 0; i < N_SMAPS_FIELDS; i++) {
                        if (strcmp(name, smaps_fields[i]) == 0) {
                            sum[i] += (uint64_t)kb * ov / (e - s);
                        }
                    }
                } else if (!flags[0] && strncmp(q + 1, "VmFlags:", 8) == 0) {
                    const char *nl = strchr(q + 1, '\n');
                    size_t l = nl ? (size_t)(nl - q - 1) : strlen(q + 1);

                    snprintf(flags, fsize, "%.*s", (int)l, q + 1);
                }
            }
        }
        p = next ? next + 1 : NULL;
    }
}

static void fill_smaps(int fd)
{
    int mfd = memfd_create("ctcg-maps", MFD_CLOEXEC);
    int hfd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
    char *maps = NULL, *host = NULL, *line, *save = NULL;

    if (mfd >= 0 && hfd >= 0) {
        host = read_all(hfd);
        dump_guest_maps(mfd);
        lseek(mfd, 0, SEEK_SET);
        maps = read_all(mfd);
    }
    for (line = maps ? strtok_r(maps, "\n", &save) : NULL; line && host;
         line = strtok_r(NULL, "\n", &save)) {
        uint64_t gs, ge, sum[N_SMAPS_FIELDS] = {0};
        char flags[256] = "", buf[64];

        if (sscanf(line, "%" SCNx64 "-%" SCNx64, &gs, &ge) != 2) {
            continue;
        }
        smaps_sum(host, (uintptr_t)g2h(gs), (uintptr_t)g2h(ge), sum, flags,
                  sizeof(flags));
        dprintf(fd, "%s\n%-16s%8" PRIu64 " kB\n", line,
                "Size:", (ge - gs) / 1024);
        dprintf(fd,
                "KernelPageSize:        4 kB\nMMUPageSize:           4 kB\n");
        for (size_t i = 0; i < N_SMAPS_FIELDS; i++) {
            snprintf(buf, sizeof(buf), "%s:", smaps_fields[i]);
            dprintf(fd, "%-16s%8" PRIu64 " kB\n", buf, sum[i]);
        }
        dprintf(fd, "THPeligible:    0\n%s\n", flags[0] ? flags : "VmFlags:");
    }
    free(maps);
    free(host);
    if (mfd >= 0) {
        close(mfd);
    }
    if (hfd >= 0) {
        close(hfd);
    }
}

static void fill_cpuinfo(CPURISCVState *env, int fd)
{
    const RISCVCPUConfig *cfg = &env->cfg;
    long n = sysconf(_SC_NPROCESSORS_ONLN), i;
    char isa[128], buf[512];

    snprintf(isa, sizeof(isa), "rv64imafd%s_zicntr_zicsr_zifencei%s%s%s%s%s",
             cfg->ext_c ? "c" : "", cfg->ext_zicond ? "_zicond" : "",
             cfg->ext_zba ? "_zba" : "", cfg->ext_zbb ? "_zbb" : "",
             cfg->ext_zbc ? "_zbc" : "", cfg->ext_zbs ? "_zbs" : "");
    for (i = 0; i < (n > 0 ? n : 1); i++) {
        int len = snprintf(buf, sizeof(buf),
                           "processor\t: %ld\nhart\t\t: %ld\nisa\t\t: %s\n"
                           "mmu\t\t: sv39\nmvendorid\t: 0x0\n"
                           "marchid\t\t: 0x0\nmimpid\t\t: 0x0\n\n",
                           i, i, isa);
        write_all(fd, buf, len);
    }
}

int64_t procfs_open(CPURISCVState *env, const char *path, int flags, int mode)
{
    enum {
        P_MAPS,
        P_SMAPS,
        P_AUXV,
        P_CMDLINE,
        P_CPUINFO,
        P_PERSONALITY
    } which;
    int fd;

    if (procfs_names_emulator_fd(path)) {
        return -ENOENT; /* as for a descriptor the guest never opened */
    }
    if (strncmp(path, "/proc/", 6) != 0) {
        return SC_UNHANDLED;
    }
    if (procfs_is_self(path, "exe")) {
        if (!user_opts.exec_path) {
            return SC_UNHANDLED;
        }
        return HOST_SYSCALL(SYS_openat, (long)AT_FDCWD, user_opts.exec_path,
                            (long)flags, (long)mode);
    } else if (procfs_is_self(path, "maps")) {
        which = P_MAPS;
    } else if (procfs_is_self(path, "smaps")) {
        which = P_SMAPS;
    } else if (procfs_is_self(path, "auxv")) {
        which = P_AUXV;
    } else if (procfs_is_self(path, "cmdline")) {
        which = P_CMDLINE;
    } else if (strcmp(path, "/proc/cpuinfo") == 0) {
        which = P_CPUINFO;
    } else if (procfs_is_self(path, "personality")) {
        which = P_PERSONALITY; /* the guest's (syscall-seccomp.c) */
    } else {
        return SC_UNHANDLED;
    }
    fd = memfd_create("ctcg-proc", (flags & O_CLOEXEC) ? MFD_CLOEXEC : 0);
    if (fd < 0) {
        return -errno;
    }
    switch (which) {
    case P_MAPS:
        dump_guest_maps(fd);
        break;
    case P_SMAPS:
        fill_smaps(fd);
        break;
    case P_AUXV:
        fill_auxv(fd);
        break;
    case P_CMDLINE:
        fill_cmdline(fd);
        break;
    case P_CPUINFO:
        fill_cpuinfo(env, fd);
        break;
    case P_PERSONALITY:
        dprintf(fd, "%08x\n", syscall_personality_get());
        break;
    }
    lseek(fd, 0, SEEK_SET);
    if (flags & O_NONBLOCK) {
        fcntl(fd, F_SETFL, O_NONBLOCK);
    }
    return fd;
}

int64_t procfs_readlink(const char *path, char *buf, size_t bufsiz)
{
    size_t len;

    if (procfs_names_emulator_fd(path)) {
        return -ENOENT;
    }
    if (!procfs_is_self(path, "exe") || !user_opts.exec_path) {
        return SC_UNHANDLED;
    }
    /*
     * main() made exec_path absolute with realpath() already (or kept the
     * name it could not resolve): a second realpath() was 6 failing
     * readlink calls of a start-up (glibc's static start-up reads it).
     */
    len = strlen(user_opts.exec_path);
    if (len > bufsiz) {
        len = bufsiz;
    }
    memcpy(buf, user_opts.exec_path, len);
    return len;
}
