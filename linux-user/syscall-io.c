/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Data transfer and readiness syscalls: read/write and their vectored and
 * positioned variants, pipes, poll/select, epoll, eventfd,
 * sendfile/splice/tee/copy_file_range.
 *
 * Design: buffers are passed to the host kernel in place (HOST_PTR: a bad
 * one faults in the host kernel, after its other checks, as in Linux).
 * Conversions:
 *  - iovec arrays hold guest addresses: lock_iovec() builds a host array
 *    (the layout itself is the same).
 *  - struct epoll_event is 16 bytes on riscv64 and packed into 12 on
 *    x86-64: epoll_ctl and epoll_pwait convert through a host copy.
 *  - pselect6's sixth argument points to { sigset pointer, size }, a guest
 *    pointer that is translated.
 * Signal masks given to ppoll/pselect6/epoll_pwait are converted to the
 * host's numbering (signal.c) and make a signal that interrupts the call
 * be delivered under them.  Calls that can block go through SAFE_SYSCALL
 * (signal.h) so that a guest signal interrupts them without a window.
 */
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/uio.h>

#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"

#define TARGET_IOV_MAX 1024
#define EPOLL_HOST_MAX 1024

struct iovec *lock_iovec(uint64_t addr, uint64_t count, int64_t *err)
{
    struct iovec *vec;
    uint64_t i, guest[2];

    if (count > TARGET_IOV_MAX) {
        *err = -EINVAL;
        return NULL;
    }
    vec = calloc(count ? count : 1, sizeof(*vec));
    if (!vec) {
        *err = -ENOMEM;
        return NULL;
    }
    /*
     * Linux copies the array checking each length as it goes (EFAULT,
     * EINVAL for a negative one); the buffers are only checked by the
     * transfer itself, so a bad base becomes a host pointer that faults.
     */
    for (i = 0; i < count; i++) {
        if (copy_from_guest(guest, addr + i * 16, 16)) {
            free(vec);
            *err = -EFAULT;
            return NULL;
        }
        if ((int64_t)guest[1] < 0) {
            free(vec);
            *err = -EINVAL;
            return NULL;
        }
        HOST_PTR(vec[i].iov_base, guest[0], guest[1]);
        vec[i].iov_len = guest[1];
    }
    *err = 0;
    return vec;
}

/*
 * Copy @len bytes at offset @off of the data an iovec array holds to
 * (@out true) or from @buf.
 */
static void iov_copy(const struct iovec *vec, int cnt, size_t off, void *buf,
                     size_t len, bool out)
{
    char *b = buf;

    for (int i = 0; i < cnt && len; i++) {
        size_t n;

        if (off >= vec[i].iov_len) {
            off -= vec[i].iov_len;
            continue;
        }
        n = vec[i].iov_len - off < len ? vec[i].iov_len - off : len;
        if (out) {
            memcpy(b, (char *)vec[i].iov_base + off, n);
        } else {
            memcpy((char *)vec[i].iov_base + off, b, n);
        }
        b += n;
        len -= n;
        off = 0;
    }
}

/*
 * The records readv returned from a signalfd made the guest's, in place
 * (the kernel wrote them, so they are writable); one may straddle two
 * iovecs.
 */
static void readv_signalfd_fixup(const struct iovec *vec, int cnt, size_t len)
{
    uint8_t rec[128];

    for (size_t off = 0; off + sizeof(rec) <= len; off += sizeof(rec)) {
        iov_copy(vec, cnt, off, rec, sizeof(rec), true);
        host_to_target_signalfd_siginfo(rec, sizeof(rec));
        iov_copy(vec, cnt, off, rec, sizeof(rec), false);
    }
}

static int64_t do_vectored_call(int num, const uint64_t *a, struct iovec *vec,
                                uint64_t cnt);

static int64_t do_vectored(int num, const uint64_t *a)
{
    struct iovec *vec;
    int64_t ret;

    vec = lock_iovec(a[1], a[2], &ret);
    if (!vec) {
        /*
         * Linux checks the descriptor (and a negative offset) before the
         * iovec array: the same call with no iovecs answers those errors
         * and does nothing otherwise.
         */
        static struct iovec none;
        int64_t probe = do_vectored_call(num, a, &none, 0);

        return probe < 0 ? probe : ret;
    }
    ret = do_vectored_call(num, a, vec, a[2]);
    free(vec);
    return ret;
}

static int64_t do_vectored_call(int num, const uint64_t *a, struct iovec *vec,
                                uint64_t cnt)
{
    int64_t ret;
    long sysno;

    if (num != TARGET_NR_vmsplice && procmem_is((int)a[0])) {
        bool pos = num == TARGET_NR_readv || num == TARGET_NR_writev ||
                   ((num == TARGET_NR_preadv2 || num == TARGET_NR_pwritev2) &&
                    (int64_t)a[3] == -1);
        bool wr = num == TARGET_NR_writev || num == TARGET_NR_pwritev ||
                  num == TARGET_NR_pwritev2;
        int rwf = num == TARGET_NR_preadv2 || num == TARGET_NR_pwritev2
                      ? (int)a[5]
                      : 0;

        return procmem_xfer((int)a[0], vec, (int)cnt, pos, a[3], wr, rwf);
    }
    switch (num) {
    case TARGET_NR_readv:
        ret = SAFE_SYSCALL(SYS_readv, (long)(int)a[0], vec, (long)cnt);
        if (ret > 0 && signalfd_is((int)a[0])) {
            readv_signalfd_fixup(vec, (int)cnt, (size_t)ret);
        }
        break;
    case TARGET_NR_writev:
        ret = SAFE_SYSCALL(SYS_writev, (long)(int)a[0], vec, (long)cnt);
        break;
    case TARGET_NR_vmsplice:
        ret = HOST_SYSCALL(SYS_vmsplice, (long)(int)a[0], vec, (long)cnt,
                           (long)(unsigned)a[3]);
        break;
    default:
        sysno = num == TARGET_NR_preadv    ? SYS_preadv
                : num == TARGET_NR_pwritev ? SYS_pwritev
                : num == TARGET_NR_preadv2 ? SYS_preadv2
                                           : SYS_pwritev2;
        ret = SAFE_SYSCALL(sysno, (long)(int)a[0], vec, (long)cnt, (long)a[3],
                           (long)a[4], (long)(int)a[5]);
        break;
    }
    return ret;
}

static int64_t do_epoll_ctl(const uint64_t *a)
{
    struct target_epoll_event tev;
    struct epoll_event ev, *evp = NULL;

    if (a[3]) {
        if (copy_from_guest(&tev, a[3], sizeof(tev))) {
            return -EFAULT;
        }
        ev.events = tev.events;
        ev.data.u64 = tev.data;
        evp = &ev;
    }
    return HOST_SYSCALL(SYS_epoll_ctl, (long)(int)a[0], (long)(int)a[1],
                        (long)(int)a[2], evp);
}

/* epoll_pwait(epfd, events, maxevents, timeout, sigmask, sigsetsize) and
 * epoll_pwait2 (timeout is a struct timespec pointer). */
static int64_t do_epoll_pwait(int num, const uint64_t *a)
{
    struct epoll_event *ev;
    struct target_epoll_event tev;
    int maxevents = (int)a[2];
    void *ts = NULL;
    sigset_t set, *mask = NULL;
    int64_t ret, i;

    if (maxevents <= 0 || maxevents > INT32_MAX / 16) {
        return -EINVAL;
    }
    if (!guest_range_valid(a[1], (uint64_t)maxevents * 16)) {
        return -EFAULT;
    }
    if (num == TARGET_NR_epoll_pwait2) {
        HOST_PTR(ts, a[3], 16);
    }
    if (a[4]) {
        ret = signal_suspend_begin(a[4], a[5], &set);
        if (ret < 0) {
            return ret;
        }
        mask = &set;
    }
    if (maxevents > EPOLL_HOST_MAX) {
        maxevents = EPOLL_HOST_MAX; /* fewer events per call is allowed */
    }
    ev = malloc(maxevents * sizeof(*ev));
    if (!ev) {
        return -ENOMEM;
    }
    if (num == TARGET_NR_epoll_pwait2) {
        ret = SAFE_SYSCALL(SYS_epoll_pwait2, (long)(int)a[0], ev,
                           (long)maxevents, ts, mask, 8L);
    } else {
        ret = SAFE_SYSCALL(SYS_epoll_pwait, (long)(int)a[0], ev,
                           (long)maxevents, (long)(int)a[3], mask, 8L);
    }
    if (mask) {
        signal_suspend_end(ret);
    }
    for (i = 0; i < ret; i++) {
        memset(&tev, 0, sizeof(tev));
        tev.events = ev[i].events;
        tev.data = ev[i].data.u64;
        if (copy_to_guest(a[1] + i * sizeof(tev), &tev, sizeof(tev))) {
            ret = -EFAULT;
            break;
        }
    }
    free(ev);
    return ret;
}

static int64_t do_pselect6(const uint64_t *a)
{
    uint64_t nbytes, sig[2];
    void *r, *w, *e, *ts;
    sigset_t set;
    struct {
        void *ss;
        size_t len;
    } hsig, *hsigp = NULL;
    int64_t ret;

    /* a negative count is the host's EINVAL, after the timeout's EFAULT */
    nbytes = (int)a[0] < 0 ? 0 : ((uint64_t)(int)a[0] + 63) / 64 * 8;
    HOST_PTR(r, a[1], nbytes);
    HOST_PTR(w, a[2], nbytes);
    HOST_PTR(e, a[3], nbytes);
    HOST_PTR(ts, a[4], 16);
    if (a[5]) {
        if (copy_from_guest(sig, a[5], sizeof(sig))) {
            return -EFAULT;
        }
        if (sig[0]) {
            ret = signal_suspend_begin(sig[0], sig[1], &set);
            if (ret < 0) {
                return ret;
            }
            hsig.ss = &set;
            hsig.len = 8;
            hsigp = &hsig;
        }
    }
    ret = SAFE_SYSCALL(SYS_pselect6, (long)(int)a[0], r, w, e, ts, hsigp);
    if (hsigp) {
        signal_suspend_end(ret);
    }
    return ret;
}

static int64_t do_ppoll(const uint64_t *a)
{
    void *fds, *ts;
    sigset_t set, *mask = NULL;
    int64_t ret;

    HOST_PTR(fds, a[0], a[1] * sizeof(struct pollfd));
    if (a[1] > (1u << 20)) {
        return -EINVAL;
    }
    HOST_PTR(ts, a[2], 16);
    if (a[3]) {
        ret = signal_suspend_begin(a[3], a[4], &set);
        if (ret < 0) {
            return ret;
        }
        mask = &set;
    }
    ret = SAFE_SYSCALL(SYS_ppoll, fds, (long)a[1], ts, mask, 8L);
    if (mask) {
        signal_suspend_end(ret);
    }
    return ret;
}

/*
 * sendfile, splice, tee, copy_file_range: optional offset pointers.  A
 * /proc/<pid>/mem descriptor, whose offsets are guest addresses, is refused.
 */
static int64_t syscall_copy(int num, const uint64_t *a)
{
    void *p0, *p1;

    if (num == TARGET_NR_sendfile || num == TARGET_NR_splice ||
        num == TARGET_NR_copy_file_range) {
        int in = (int)a[num == TARGET_NR_sendfile ? 1 : 0];
        int out = (int)a[num == TARGET_NR_sendfile ? 0 : 2];

        if (procmem_is(in) || procmem_is(out)) {
            return -EINVAL;
        }
    }

    switch (num) {
    case TARGET_NR_sendfile:
        HOST_PTR(p0, a[2], 8);
        return HOST_SYSCALL(SYS_sendfile, (long)(int)a[0], (long)(int)a[1], p0,
                            (long)a[3]);
    case TARGET_NR_splice:
        HOST_PTR(p0, a[1], 8);
        HOST_PTR(p1, a[3], 8);
        return SAFE_SYSCALL(SYS_splice, (long)(int)a[0], p0, (long)(int)a[2],
                            p1, (long)a[4], (long)(unsigned)a[5]);
    case TARGET_NR_tee:
        return HOST_SYSCALL(SYS_tee, (long)(int)a[0], (long)(int)a[1],
                            (long)a[2], (long)(unsigned)a[3]);
    case TARGET_NR_copy_file_range:
        HOST_PTR(p0, a[1], 8);
        HOST_PTR(p1, a[3], 8);
        return HOST_SYSCALL(SYS_copy_file_range, (long)(int)a[0], p0,
                            (long)(int)a[2], p1, (long)a[4],
                            (long)(unsigned)a[5]);
    default:
        return SC_UNHANDLED;
    }
}

/* read, write, pread64, pwrite64 on a /proc/<pid>/mem descriptor */
static int64_t do_procmem_rw(int num, const uint64_t *a)
{
    struct iovec v;

    HOST_PTR(v.iov_base, a[1], a[2]);
    v.iov_len = a[2];
    return procmem_xfer((int)a[0], &v, 1,
                        num == TARGET_NR_read || num == TARGET_NR_write, a[3],
                        num == TARGET_NR_write || num == TARGET_NR_pwrite64, 0);
}

int64_t syscall_io(CPURISCVState *env, int num, const uint64_t *a)
{
    void *p;

    (void)env;
    switch (num) {
    case TARGET_NR_read:
    case TARGET_NR_write:
    case TARGET_NR_pread64:
    case TARGET_NR_pwrite64:
        if (procmem_is((int)a[0])) {
            return do_procmem_rw(num, a);
        }
        break;
    default:
        break;
    }
    switch (num) {
    case TARGET_NR_read: {
        int64_t ret;

        HOST_PTR(p, a[1], a[2]);
        ret = SAFE_SYSCALL(SYS_read, (long)(int)a[0], p, (long)a[2]);
        if (ret > 0 && signalfd_is((int)a[0])) {
            host_to_target_signalfd_siginfo(p, (size_t)ret);
        }
        return ret;
    }
    case TARGET_NR_write:
        HOST_PTR(p, a[1], a[2]);
        return SAFE_SYSCALL(SYS_write, (long)(int)a[0], p, (long)a[2]);
    case TARGET_NR_pread64:
        HOST_PTR(p, a[1], a[2]);
        return SAFE_SYSCALL(SYS_pread64, (long)(int)a[0], p, (long)a[2],
                            (long)a[3]);
    case TARGET_NR_pwrite64:
        HOST_PTR(p, a[1], a[2]);
        return SAFE_SYSCALL(SYS_pwrite64, (long)(int)a[0], p, (long)a[2],
                            (long)a[3]);
    case TARGET_NR_readv:
    case TARGET_NR_writev:
    case TARGET_NR_preadv:
    case TARGET_NR_pwritev:
    case TARGET_NR_preadv2:
    case TARGET_NR_pwritev2:
    case TARGET_NR_vmsplice:
        return do_vectored(num, a);
    case TARGET_NR_pipe2:
        HOST_PTR(p, a[0], 8);
        return HOST_SYSCALL(SYS_pipe2, p, (long)(int)a[1]);
    case TARGET_NR_ppoll:
        return do_ppoll(a);
    case TARGET_NR_pselect6:
        return do_pselect6(a);
    case TARGET_NR_epoll_create1:
        return HOST_SYSCALL(SYS_epoll_create1, (long)(int)a[0]);
    case TARGET_NR_epoll_ctl:
        return do_epoll_ctl(a);
    case TARGET_NR_epoll_pwait:
    case TARGET_NR_epoll_pwait2:
        return do_epoll_pwait(num, a);
    case TARGET_NR_eventfd2:
        return HOST_SYSCALL(SYS_eventfd2, (long)(unsigned)a[0],
                            (long)(int)a[1]);
    default:
        return syscall_copy(num, a);
    }
}
