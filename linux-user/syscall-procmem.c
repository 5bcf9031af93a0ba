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
 *
 * /proc/<own pid>/pagemap (also self, thread-self, task/<tid>, and
 * /proc/<tid>/pagemap of any of our threads) is indexed
 * by virtual page: entry i (8 bytes at offset 8 * i) describes the page
 * at i * 4096, so it is translated the same way with its own bitmap.  Its
 * file position is the guest's (Linux's mem_lseek accepts any position, so
 * the host file keeps it unchanged).  A read (pagemap_read(), per iovec as
 * Linux's loop over a file without read_iter) needs an offset and a
 * length that are multiples of 8 (else EINVAL); the entries of guest
 * pages the guest has mapped are the host's entries of g2h(page) (present,
 * swapped, soft-dirty, exclusive, PFN when the host shows it), the entries
 * of the other pages of the guest space are 0 (the emulator's reservation
 * and own memory are not shown), and the file ends at the end of the guest
 * space (a read there answers 0).  Writes go to the host file unchanged
 * (it has no write: EINVAL or EBADF).  Another process's pagemap is
 * passed through (its page flags are not known here).  The PAGEMAP_SCAN
 * ioctl (Linux 6.7) is not emulated: ioctl's table lacks it, so it is
 * ENOTTY on every pagemap descriptor, as on a kernel before 6.7 (passed
 * through it would scan host addresses).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/uio.h>

#include "linux-user/fdset.h"
#include "linux-user/syscall-priv.h"

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

static FdSet procmem_fds, pagemap_fds;

void procmem_note(int fd, bool on)
{
    fdset_note(&procmem_fds, fd, on);
    if (!on) {
        fdset_note(&pagemap_fds, fd, false);
    }
}

void procmem_dup(int newfd, int oldfd)
{
    fdset_note(&procmem_fds, newfd, fdset_has(&procmem_fds, oldfd));
    fdset_note(&pagemap_fds, newfd, fdset_has(&pagemap_fds, oldfd));
}

bool procmem_is(int fd)
{
    return fdset_has(&procmem_fds, fd) || fdset_has(&pagemap_fds, fd);
}

void procmem_close_range(unsigned lo, unsigned hi)
{
    fdset_clear_range(&procmem_fds, lo, hi);
    fdset_clear_range(&pagemap_fds, lo, hi);
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

/* Skip "<digits>/" at @p; NULL when @p does not start so. */
static const char *skip_number(const char *p, long *val)
{
    char *end;

    if (*p < '0' || *p > '9') {
        return NULL;
    }
    *val = strtol(p, &end, 10);
    return *end == '/' ? end + 1 : NULL;
}

/*
 * Is @id our process or one of its threads?  /proc/<tid> of any thread
 * of the group is the whole process's view (Linux: same mm).  The file
 * is open already, so the thread existed; a tid reused since by another
 * process cannot be in our task directory.
 */
static bool own_thread(long id)
{
    char path[48];

    if (id == (long)getpid()) {
        return true;
    }
    snprintf(path, sizeof(path), "/proc/self/task/%ld", id);
    return access(path, F_OK) == 0;
}

/*
 * Is @link /proc/<id>/pagemap or /proc/<id>/task/<tid>/pagemap, where
 * <id> is our pid or the tid of one of our threads?
 */
static bool pagemap_path(const char *link)
{
    const char *p;
    long pid, tid;

    if (strncmp(link, "/proc/", 6) != 0 || !(p = skip_number(link + 6, &pid)) ||
        !own_thread(pid)) {
        return false;
    }
    if (strncmp(p, "task/", 5) == 0 && !(p = skip_number(p + 5, &tid))) {
        return false;
    }
    return strcmp(p, "pagemap") == 0;
}

int64_t procmem_opened(int64_t fd)
{
    struct statfs sfs;
    char path[40], link[256];
    bool pagemap;
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
    pagemap = pagemap_path(link);
    if (!pagemap && !procmem_path(link)) {
        procmem_note((int)fd, false);
        return fd;
    }
    if (fd >= FDSET_MAX) {
        /* cannot be remembered: refuse rather than pass it through */
        close((int)fd);
        return -EMFILE;
    }
    fdset_note(&procmem_fds, (int)fd, !pagemap);
    fdset_note(&pagemap_fds, (int)fd, pagemap);
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

#define PAGEMAP_CHUNK 512 /* entries per bounce buffer */

/* Fill @out with the @n entries from guest page @page on (all in space). */
static int64_t pagemap_fill(int fd, uint64_t *out, uint64_t page, uint64_t n)
{
    uint64_t i = 0;

    while (i < n) {
        uint64_t g = (page + i) << TARGET_PAGE_BITS, run = 1;
        bool valid = page_get_flags(g) & PAGE_VALID;
        int64_t ret;

        /* a run of pages that are all mapped or all unmapped */
        while (i + run < n && !!(page_get_flags(g + (run << TARGET_PAGE_BITS)) &
                                 PAGE_VALID) == valid) {
            run++;
        }
        if (!valid) {
            memset(out + i, 0, run * 8);
        } else {
            uint64_t hidx = (uintptr_t)g2h(g) >> TARGET_PAGE_BITS;

            ret = HOST_SYSCALL(SYS_pread64, (long)fd, out + i, (long)(run * 8),
                               (long)(hidx * 8));
            if (ret < 0) {
                return ret;
            }
            if ((uint64_t)ret < run * 8) { /* not expected: the host's end */
                memset((char *)(out + i) + ret, 0, run * 8 - (uint64_t)ret);
            }
        }
        i += run;
    }
    return 0;
}

/*
 * pagemap_read() - @len bytes of the guest's pagemap from offset @pos
 * to the guest buffer at host address @buf (checked here, as Linux's
 * copy_to_user: -EFAULT even after a part was copied).
 * Returns: the bytes read (0 past the guest space), or -errno.
 */
static int64_t pagemap_read(int fd, void *buf, uint64_t len, uint64_t pos)
{
    uint64_t page = pos / 8, end = guest_space_size >> TARGET_PAGE_BITS;
    uint64_t done = 0, bounce[PAGEMAP_CHUNK];

    if (pos % 8 || len % 8 || (int64_t)pos < 0) {
        return -EINVAL;
    }
    if (page >= end) {
        return 0;
    }
    if (len / 8 > end - page) {
        len = (end - page) * 8;
    }
    while (done < len) {
        uint64_t n = (len - done) / 8;
        int64_t ret;

        n = n < PAGEMAP_CHUNK ? n : PAGEMAP_CHUNK;
        ret = pagemap_fill(fd, bounce, page, n);
        if (ret < 0) {
            return done ? (int64_t)done : ret;
        }
        if (copy_to_guest(h2g((char *)buf + done), bounce, n * 8)) {
            return -EFAULT;
        }
        done += n * 8;
        page += n;
    }
    return (int64_t)done;
}

/* Reads of a pagemap descriptor; writes go to the host file as they are. */
static int64_t pagemap_xfer(int fd, struct iovec *vec, int cnt, bool use_pos,
                            uint64_t off, bool write, int rwf)
{
    int64_t total = 0, ret = 0;

    if (write || rwf) {
        /* the host answers (no write; flags: EOPNOTSUPP without read_iter) */
        return HOST_SYSCALL(write ? SYS_pwritev2 : SYS_preadv2, (long)fd, vec,
                            (long)cnt, use_pos ? -1L : (long)off, 0L,
                            (long)rwf);
    }
    if (use_pos) {
        ret = HOST_SYSCALL(SYS_lseek, (long)fd, 0L, (long)SEEK_CUR);
        if (ret < 0) {
            return ret;
        }
        off = (uint64_t)ret;
    }
    /* one read per iovec, as Linux's do_loop_readv_writev() */
    for (int i = 0; i < cnt; i++) {
        ret = pagemap_read(fd, vec[i].iov_base, vec[i].iov_len, off + total);
        if (ret < 0) {
            break;
        }
        total += ret;
        if ((uint64_t)ret < vec[i].iov_len) {
            break;
        }
    }
    if (total > 0 && use_pos) {
        HOST_SYSCALL(SYS_lseek, (long)fd, (long)(off + total), (long)SEEK_SET);
    }
    return total > 0 ? total : ret;
}

int64_t procmem_xfer(int fd, struct iovec *vec, int cnt, bool use_pos,
                     uint64_t off, bool write, int rwf)
{
    uint64_t total = 0, avail, hpos = 0;
    int64_t ret;

    if (fdset_has(&pagemap_fds, fd)) {
        return pagemap_xfer(fd, vec, cnt, use_pos, off, write, rwf);
    }

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

    if (fdset_has(&pagemap_fds, fd)) {
        /* positions are guest positions already */
        return HOST_SYSCALL(SYS_lseek, (long)fd, (long)off, (long)whence);
    }
    if (whence == SEEK_SET) {
        off = (int64_t)((uint64_t)off + tcg_guest_base);
    }
    ret = HOST_SYSCALL(SYS_lseek, (long)fd, (long)off, (long)whence);
    return ret < 0 ? ret : (int64_t)((uint64_t)ret - tcg_guest_base);
}
