/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * /proc/<pid>/mem (also /proc/self/mem, /proc/thread-self/mem and
 * /proc/<pid>/task/<tid>/mem) seen with guest addresses.
 *
 * The host file takes host addresses as offsets: passed through, the guest
 * would read its own memory at the wrong place and could read and write
 * the emulator's (binary, heap, code buffer).  So the descriptors that
 * refer to such a file are remembered in a per-process bitmap indexed by
 * fd, and every call that transfers data through one with an offset is
 * translated: a guest offset g is the host offset g2h(g), only inside
 * [0, guest_space_size) and only over pages the guest has mapped (Linux
 * answers EIO when nothing could be transferred, a short count
 * otherwise).  The file position is kept as a host position: lseek
 * SEEK_SET adds the guest base, SEEK_CUR moves the host position, and the
 * answer is the host position less the base.  sendfile, splice and
 * copy_file_range are refused (EINVAL); mmap is the host's ENODEV as on
 * Linux.  A write drops the translated code of the pages it changed
 * (the host kernel writes with FOLL_FORCE, past the SMC write
 * protection and into read-only text).
 *
 * Which descriptors: the result of every openat/openat2/pidfd_getfd (and
 * descriptors received with SCM_RIGHTS) on procfs whose path is
 * .../<digits>/mem (any process: a forked relative shares the base; see
 * docs/syscalls.md), and their dups (dup, dup3, F_DUPFD).  close clears
 * the bit before closing, close_range after success.  fork copies the
 * bitmap with the memory; threads share both; an exec starts a fresh
 * emulator, and an inherited mem descriptor then refers to a dead mm.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/uio.h>

#include "linux-user/fdset.h"
#include "linux-user/syscall-priv.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static FdSet procmem_fds;

void procmem_note(int fd, bool on)
{
    fdset_note(&procmem_fds, fd, on);
}

bool procmem_is(int fd)
{
    return fdset_has(&procmem_fds, fd);
}

void procmem_close_range(unsigned lo, unsigned hi)
{
    fdset_clear_range(&procmem_fds, lo, hi);
}

/* Does the procfs path @link name a mem file: .../<digits>/mem? */
static bool procmem_path(const char *link)
{
    size_t n = strlen(link);
    const char *p;

    if (n < 6 || strcmp(link + n - 4, "/mem") != 0) {
        return false;
    }
    p = link + n - 4;
    if (p == link || p[-1] < '0' || p[-1] > '9') {
        return false;
    }
    while (p > link && p[-1] >= '0' && p[-1] <= '9') {
        p--;
    }
    return p > link && p[-1] == '/';
}

int64_t procmem_opened(int64_t fd)
{
    struct statfs sfs;
    char path[40], link[256];
    ssize_t n;

    if (fd < 0) {
        return fd;
    }
    if (fstatfs((int)fd, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
        procmem_note((int)fd, false);
        return fd;
    }
    snprintf(path, sizeof(path), "/proc/self/fd/%d", (int)fd);
    n = readlink(path, link, sizeof(link) - 1);
    link[n > 0 ? n : 0] = 0;
    if (!procmem_path(link)) {
        procmem_note((int)fd, false);
        return fd;
    }
    if (fd >= FDSET_MAX) {
        /* cannot be remembered: refuse rather than pass it through */
        close((int)fd);
        return -EMFILE;
    }
    procmem_note((int)fd, true);
    return fd;
}

/* Bytes from guest address @g, up to @len, on pages the guest mapped. */
static uint64_t procmem_mapped(uint64_t g, uint64_t len)
{
    uint64_t done = 0;

    if (g >= guest_space_size) {
        return 0;
    }
    if (len > guest_space_size - g) {
        len = guest_space_size - g;
    }
    while (done < len) {
        uint64_t page = (g + done) & TARGET_PAGE_MASK;
        uint64_t n = page + TARGET_PAGE_SIZE - (g + done);

        if (!(page_get_flags(page) & PAGE_VALID)) {
            break;
        }
        done += n < len - done ? n : len - done;
    }
    return done;
}

int64_t procmem_xfer(int fd, struct iovec *vec, int cnt, bool use_pos,
                     uint64_t off, bool write, int rwf)
{
    uint64_t total = 0, avail, hpos = 0;
    int64_t ret;

    if (use_pos) {
        ret = HOST_SYSCALL(SYS_lseek, (long)fd, 0L, (long)SEEK_CUR);
        if (ret < 0) {
            return ret;
        }
        hpos = (uint64_t)ret;
        off = hpos - tcg_guest_base;
    }
    for (int i = 0; i < cnt; i++) {
        total += vec[i].iov_len;
    }
    if (total == 0) {
        return HOST_SYSCALL(write ? SYS_pwritev2 : SYS_preadv2, (long)fd, vec,
                            (long)cnt, 0L, 0L, (long)rwf);
    }
    avail = procmem_mapped(off, total);
    if (avail == 0) {
        return -EIO; /* Linux: nothing could be transferred */
    }
    /* Trim the iovecs to what lies inside the guest's mapped pages. */
    for (int i = 0, left = 1; i < cnt; i++) {
        if (!left || vec[i].iov_len > avail) {
            vec[i].iov_len = left ? avail : 0;
            left = 0;
        }
        avail -= vec[i].iov_len;
    }
    ret = HOST_SYSCALL(write ? SYS_pwritev2 : SYS_preadv2, (long)fd, vec,
                       (long)cnt, (long)(uintptr_t)g2h(off), 0L, (long)rwf);
    if (ret > 0 && write) {
        /* The host kernel wrote past the SMC protection: drop the TBs. */
        mmap_contents_changed(off, (uint64_t)ret);
    }
    if (ret > 0 && use_pos) {
        HOST_SYSCALL(SYS_lseek, (long)fd, (long)(hpos + ret), (long)SEEK_SET);
    }
    return ret;
}

int64_t procmem_lseek(int fd, int64_t off, int whence)
{
    int64_t ret;

    if (whence == SEEK_SET) {
        off = (int64_t)((uint64_t)off + tcg_guest_base);
    }
    ret = HOST_SYSCALL(SYS_lseek, (long)fd, (long)off, (long)whence);
    return ret < 0 ? ret : (int64_t)((uint64_t)ret - tcg_guest_base);
}
