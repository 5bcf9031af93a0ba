/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Socket syscalls.
 *
 * Design: riscv64 has one syscall per socket operation (no socketcall);
 * sockaddr, option values (ints, struct timeval, struct linger, ...), the
 * SOL_/SO_ numbers and cmsghdr have the same layout on riscv64 and x86-64,
 * so buffers pass through in place (HOST_PTR: a bad one faults in the host
 * kernel, which makes its checks in Linux's order).  Length arguments
 * passed by pointer are read first to bound the buffer they describe.
 * struct msghdr (56 bytes, LP64) has the same layout but holds guest
 * addresses (name, iovec array, control): sendmsg/recvmsg build a host
 * msghdr and write the lengths and flags back.  SCM_RIGHTS descriptors and
 * SCM_CREDENTIALS pass through unchanged.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"

/* riscv64 struct msghdr */
struct target_msghdr {
    uint64_t msg_name;
    uint32_t msg_namelen;
    uint32_t pad;
    uint64_t msg_iov;
    uint64_t msg_iovlen;
    uint64_t msg_control;
    uint64_t msg_controllen;
    int32_t msg_flags;
    uint32_t pad2;
};

#define TARGET_MMSGHDR_SIZE 64 /* msghdr + unsigned msg_len + pad */

/*
 * The host buffer and length pointer for a (buffer, socklen_t *) pair the
 * kernel fills: the length read here only bounds the buffer's range
 * check; the host kernel reads it again and makes Linux's checks (EFAULT,
 * EINVAL for a negative one) in Linux's order.
 */
static void lock_sockaddr_out(uint64_t addr, uint64_t len_addr, void **hp,
                              void **hlen)
{
    uint32_t len = 0;

    HOST_PTR(*hlen, len_addr, 4);
    if (len_addr == 0 || copy_from_guest(&len, len_addr, 4) ||
        (int32_t)len < 0) {
        len = 0;
    }
    HOST_PTR(*hp, addr, len);
}

static int64_t do_sockaddr_out(int num, const uint64_t *a)
{
    void *addr, *len;

    lock_sockaddr_out(a[1], a[2], &addr, &len);
    switch (num) {
    case TARGET_NR_accept:
        return SAFE_SYSCALL(SYS_accept4, (long)(int)a[0], addr, len, 0L);
    case TARGET_NR_accept4:
        return SAFE_SYSCALL(SYS_accept4, (long)(int)a[0], addr, len,
                            (long)(int)a[3]);
    case TARGET_NR_getsockname:
        return HOST_SYSCALL(SYS_getsockname, (long)(int)a[0], addr, len);
    default:
        return HOST_SYSCALL(SYS_getpeername, (long)(int)a[0], addr, len);
    }
}

static int64_t do_recvfrom(const uint64_t *a)
{
    void *buf, *addr, *len;

    HOST_PTR(buf, a[1], a[2]);
    lock_sockaddr_out(a[4], a[5], &addr, &len);
    return SAFE_SYSCALL(SYS_recvfrom, (long)(int)a[0], buf, (long)a[2],
                        (long)(int)a[3], addr, len);
}

static int64_t do_getsockopt(const uint64_t *a)
{
    void *val, *len;

    lock_sockaddr_out(a[3], a[4], &val, &len);
    return HOST_SYSCALL(SYS_getsockopt, (long)(int)a[0], (long)(int)a[1],
                        (long)(int)a[2], val, len);
}

/* One msghdr: guest @addr -> host @msg (iovec malloc'ed in *vec). */
static int64_t lock_msghdr(uint64_t addr, struct target_msghdr *tm,
                           struct msghdr *msg, struct iovec **vec)
{
    int64_t err;

    if (copy_from_guest(tm, addr, sizeof(*tm))) {
        return -EFAULT;
    }
    if (tm->msg_iovlen > 1024) { /* UIO_MAXIOV */
        return -EMSGSIZE;
    }
    memset(msg, 0, sizeof(*msg));
    /* name and control are the host kernel's to check (HOST_PTR) */
    HOST_PTR(msg->msg_name, tm->msg_name,
             (int32_t)tm->msg_namelen < 0 ? 0 : tm->msg_namelen);
    msg->msg_namelen = tm->msg_namelen;
    if (tm->msg_controllen) {
        HOST_PTR(msg->msg_control, tm->msg_control, tm->msg_controllen);
        msg->msg_controllen = tm->msg_controllen;
    }
    *vec = lock_iovec(tm->msg_iov, tm->msg_iovlen, &err);
    if (!*vec) {
        return err;
    }
    msg->msg_iov = *vec;
    msg->msg_iovlen = tm->msg_iovlen;
    msg->msg_flags = tm->msg_flags;
    return 0;
}

/*
 * Descriptors received with SCM_RIGHTS may be /proc/<pid>/mem files
 * (syscall-procmem.c).  The kernel just wrote the control buffer, so it is
 * mapped and readable.
 */
static void recvmsg_note_fds(struct msghdr *msg)
{
    struct cmsghdr *c;

    if (!msg->msg_control || msg->msg_control == HOST_BAD_PTR) {
        return;
    }
    for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
            c->cmsg_len >= CMSG_LEN(0)) {
            size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

            for (size_t i = 0; i < n; i++) {
                int fd;

                memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                procmem_opened(fd);
            }
        }
    }
}

static int64_t do_msg(bool send, int fd, uint64_t addr, int flags)
{
    struct target_msghdr tm;
    struct msghdr msg;
    struct iovec *vec;
    int64_t ret = lock_msghdr(addr, &tm, &msg, &vec);

    if (ret < 0) {
        /*
         * Linux looks the socket up first: the same call with a msghdr
         * that faults answers EBADF/ENOTSOCK, or EFAULT (then ours).
         */
        int64_t probe = HOST_SYSCALL(send ? SYS_sendmsg : SYS_recvmsg, (long)fd,
                                     HOST_BAD_PTR, (long)flags);

        return probe != -EFAULT ? probe : ret;
    }
    if (send) {
        ret = SAFE_SYSCALL(SYS_sendmsg, (long)fd, &msg, (long)flags);
    } else {
        ret = SAFE_SYSCALL(SYS_recvmsg, (long)fd, &msg, (long)flags);
        if (ret >= 0) {
            recvmsg_note_fds(&msg);
            tm.msg_namelen = msg.msg_namelen;
            tm.msg_controllen = msg.msg_controllen;
            tm.msg_flags = msg.msg_flags;
            if (copy_to_guest(addr, &tm, sizeof(tm))) {
                ret = -EFAULT;
            }
        }
    }
    free(vec);
    return ret;
}

/* sendmmsg/recvmmsg as a loop of single calls (timeout: recvmmsg only
 * checks it between messages in the kernel too; it is ignored here). */
static int64_t do_mmsg(bool send, const uint64_t *a)
{
    unsigned vlen = (unsigned)a[2], i;
    int flags = (int)a[3];
    int64_t ret = 0;

    if (vlen > 1024) {
        vlen = 1024;
    }
    for (i = 0; i < vlen; i++) {
        uint64_t m = a[1] + (uint64_t)i * TARGET_MMSGHDR_SIZE;
        uint32_t len;

        ret = do_msg(send, (int)a[0], m, flags);
        if (ret < 0) {
            break;
        }
        len = ret;
        if (copy_to_guest(m + 56, &len, 4)) {
            ret = -EFAULT;
            break;
        }
        if (!send && (flags & MSG_WAITFORONE)) {
            flags |= MSG_DONTWAIT;
        }
    }
    return i ? (int64_t)i : ret;
}

int64_t syscall_net(CPURISCVState *env, int num, const uint64_t *a)
{
    void *p0, *p1;

    (void)env;
    switch (num) {
    case TARGET_NR_socket:
        return HOST_SYSCALL(SYS_socket, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_socketpair:
        HOST_PTR(p0, a[3], 8);
        return HOST_SYSCALL(SYS_socketpair, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2], p0);
    case TARGET_NR_bind:
    case TARGET_NR_connect:
        HOST_PTR(p0, a[1], (uint32_t)a[2]);
        return SAFE_SYSCALL(num == TARGET_NR_bind ? SYS_bind : SYS_connect,
                            (long)(int)a[0], p0, (long)(uint32_t)a[2]);
    case TARGET_NR_listen:
        return HOST_SYSCALL(SYS_listen, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_accept:
    case TARGET_NR_accept4:
    case TARGET_NR_getsockname:
    case TARGET_NR_getpeername:
        return do_sockaddr_out(num, a);
    case TARGET_NR_sendto:
        HOST_PTR(p0, a[1], a[2]);
        HOST_PTR(p1, a[4], (uint32_t)a[5]);
        return SAFE_SYSCALL(SYS_sendto, (long)(int)a[0], p0, (long)a[2],
                            (long)(int)a[3], p1, (long)(uint32_t)a[5]);
    case TARGET_NR_recvfrom:
        return do_recvfrom(a);
    case TARGET_NR_sendmsg:
    case TARGET_NR_recvmsg:
        return do_msg(num == TARGET_NR_sendmsg, (int)a[0], a[1], (int)a[2]);
    case TARGET_NR_sendmmsg:
    case TARGET_NR_recvmmsg:
        return do_mmsg(num == TARGET_NR_sendmmsg, a);
    case TARGET_NR_setsockopt:
        HOST_PTR(p0, a[3], (uint32_t)a[4]);
        return HOST_SYSCALL(SYS_setsockopt, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2], p0, (long)(uint32_t)a[4]);
    case TARGET_NR_getsockopt:
        return do_getsockopt(a);
    case TARGET_NR_shutdown:
        return HOST_SYSCALL(SYS_shutdown, (long)(int)a[0], (long)(int)a[1]);
    default:
        return SC_UNHANDLED;
    }
}
