/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc files that must show the guest's view rather than the emulator's:
 * /proc/self/{maps,auxv,exe,cmdline} (also as /proc/<pid>/ and
 * /proc/thread-self/) and /proc/cpuinfo.
 *
 * Design: openat() of one of these paths returns a memfd filled with the
 * generated text, rewound, so read/lseek/fstat/mmap work as on a file;
 * exe opens the guest program itself.  readlink of exe answers the
 * absolute path of the guest program (user_opts.exec_path), as QEMU does.
 * The auxv and argv come from the guest's initial stack (exec_info, set by
 * main.c from loader_exec()).
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
        P_AUXV,
        P_CMDLINE,
        P_CPUINFO
    } which;
    int fd;

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
    } else if (procfs_is_self(path, "auxv")) {
        which = P_AUXV;
    } else if (procfs_is_self(path, "cmdline")) {
        which = P_CMDLINE;
    } else if (strcmp(path, "/proc/cpuinfo") == 0) {
        which = P_CPUINFO;
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
    case P_AUXV:
        fill_auxv(fd);
        break;
    case P_CMDLINE:
        fill_cmdline(fd);
        break;
    case P_CPUINFO:
        fill_cpuinfo(env, fd);
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
    static char exe[PATH_MAX];
    size_t len;

    if (!procfs_is_self(path, "exe") || !user_opts.exec_path) {
        return SC_UNHANDLED;
    }
    if (!exe[0] && !realpath(user_opts.exec_path, exe)) {
        snprintf(exe, sizeof(exe), "%s", user_opts.exec_path);
    }
    len = strlen(exe);
    if (len > bufsiz) {
        len = bufsiz;
    }
    memcpy(buf, exe, len);
    return len;
}
