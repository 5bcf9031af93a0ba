/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Sockets: socketpair (stream and datagram), sendmsg/recvmsg with iovecs
 * and SCM_RIGHTS, sendmmsg/recvmmsg, TCP and UDP over 127.0.0.1 (bind,
 * listen, connect, accept4, getsockname, getpeername, sendto, recvfrom),
 * socket options, shutdown.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "guest.h"

static void test_pair(void)
{
    int sv[2], p[2], got = -1;
    char a[3], b[5], cbuf[CMSG_SPACE(sizeof(int))], buf[8];
    struct iovec iov[2] = { { "abc", 3 }, { "defgh", 5 } };
    struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2,
                          .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);

    CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
    CHECK(fcntl(sv[0], F_GETFD) == FD_CLOEXEC);
    CHECK(pipe(p) == 0);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &p[1], sizeof(int));
    CHECK(sendmsg(sv[0], &msg, 0) == 8);
    memset(&msg, 0, sizeof(msg));
    iov[0] = (struct iovec){ a, 3 };
    iov[1] = (struct iovec){ b, 5 };
    msg.msg_iov = iov;
    msg.msg_iovlen = 2;
    msg.msg_control = cbuf;
    msg.msg_controllen = sizeof(cbuf);
    CHECK(recvmsg(sv[1], &msg, 0) == 8);
    CHECK(!memcmp(a, "abc", 3) && !memcmp(b, "defgh", 5));
    c = CMSG_FIRSTHDR(&msg);
    CHECK(c && c->cmsg_type == SCM_RIGHTS && msg.msg_controllen >= CMSG_LEN(4));
    if (c) {
        memcpy(&got, CMSG_DATA(c), sizeof(int));
    }
    CHECK(got >= 0 && got != p[1] && write(got, "z", 1) == 1);
    CHECK(read(p[0], buf, 1) == 1 && buf[0] == 'z');
    CHECK(shutdown(sv[0], SHUT_WR) == 0 && read(sv[1], buf, 8) == 0);
    CHECK(send(sv[1], "q", 1, 0) == 1 && recv(sv[0], buf, 8, 0) == 1);
    close(got);
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
    printf("socketpair: done\n");
}

static void test_mmsg(void)
{
    int sv[2];
    char r0[8], r1[8];
    struct iovec s[2] = { { "one", 3 }, { "three", 5 } };
    struct iovec r[2] = { { r0, 8 }, { r1, 8 } };
    struct mmsghdr m[2];

    CHECK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) == 0);
    memset(m, 0, sizeof(m));
    m[0].msg_hdr.msg_iov = &s[0];
    m[0].msg_hdr.msg_iovlen = 1;
    m[1].msg_hdr.msg_iov = &s[1];
    m[1].msg_hdr.msg_iovlen = 1;
    CHECK(sendmmsg(sv[0], m, 2, 0) == 2 && m[0].msg_len == 3);
    CHECK(m[1].msg_len == 5);
    memset(m, 0, sizeof(m));
    m[0].msg_hdr.msg_iov = &r[0];
    m[0].msg_hdr.msg_iovlen = 1;
    m[1].msg_hdr.msg_iov = &r[1];
    m[1].msg_hdr.msg_iovlen = 1;
    CHECK(recvmmsg(sv[1], m, 2, MSG_DONTWAIT, NULL) == 2);
    CHECK(m[0].msg_len == 3 && m[1].msg_len == 5);
    CHECK(!memcmp(r0, "one", 3) && !memcmp(r1, "three", 5));
    CHECK_ERR(recv(sv[1], r0, 8, MSG_DONTWAIT), EAGAIN);
    close(sv[0]);
    close(sv[1]);
    printf("mmsg: done\n");
}

static void test_tcp(void)
{
    int l = socket(AF_INET, SOCK_STREAM, 0), c, a, one = 1, v = 0;
    struct sockaddr_in sa = { .sin_family = AF_INET }, peer, name;
    socklen_t len = sizeof(sa);
    struct timeval tv = { 2, 500000 }, tv2;
    char buf[16];

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(l >= 0);
    CHECK(setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
    len = sizeof(v);
    CHECK(getsockopt(l, SOL_SOCKET, SO_REUSEADDR, &v, &len) == 0 && v == 1);
    CHECK(len == sizeof(int));
    len = sizeof(v);
    CHECK(getsockopt(l, SOL_SOCKET, SO_TYPE, &v, &len) == 0);
    CHECK(v == SOCK_STREAM);
    CHECK(bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    len = sizeof(sa);
    CHECK(getsockname(l, (struct sockaddr *)&sa, &len) == 0 && sa.sin_port);
    CHECK(listen(l, 4) == 0);
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    CHECK(connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0 ||
          errno == EINPROGRESS);
    len = sizeof(peer);
    a = accept4(l, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
    CHECK(a >= 0 && len == sizeof(peer) && fcntl(a, F_GETFD) == FD_CLOEXEC);
    CHECK(peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    len = sizeof(name);
    CHECK(getpeername(c, (struct sockaddr *)&name, &len) == 0);
    CHECK(name.sin_port == sa.sin_port);
    CHECK(setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
    len = sizeof(tv2);
    CHECK(getsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len) == 0);
    CHECK(tv2.tv_sec == 2 && len == sizeof(tv2));
    CHECK(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0);
    CHECK(sendto(c, "ping", 4, 0, NULL, 0) == 4);
    CHECK(recvfrom(a, buf, sizeof(buf), 0, NULL, NULL) == 4);
    CHECK(!memcmp(buf, "ping", 4));
    CHECK(shutdown(c, SHUT_RDWR) == 0 && recv(a, buf, 4, 0) == 0);
    CHECK_ERR(accept4(l, NULL, NULL, 0x1), EINVAL);
    close(a);
    close(c);
    close(l);
    printf("tcp: done\n");
}

static void test_udp(void)
{
    int s = socket(AF_INET, SOCK_DGRAM, 0), t = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET }, from;
    socklen_t len = sizeof(sa);
    char buf[16];

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CHECK(getsockname(s, (struct sockaddr *)&sa, &len) == 0);
    CHECK(sendto(t, "datagram", 8, 0, (struct sockaddr *)&sa,
                 sizeof(sa)) == 8);
    len = sizeof(from);
    CHECK(recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from,
                   &len) == 8);
    CHECK(len == sizeof(from) && from.sin_family == AF_INET);
    CHECK(!memcmp(buf, "datagram", 8));
    CHECK_ERR(bind(s, (struct sockaddr *)8, sizeof(sa)), EFAULT);
    CHECK_ERR(socket(12345, SOCK_STREAM, 0), EAFNOSUPPORT);
    close(s);
    close(t);
    printf("udp: done\n");
}

int main(void)
{
    test_pair();
    test_mmsg();
    test_tcp();
    test_udp();
    return guest_done("net");
}
