/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Readiness: ppoll/poll, pselect6/select, epoll (create1, ctl, pwait with
 * 64-bit user data: riscv64's epoll_event is not packed like x86-64's),
 * timerfd and eventfd through epoll.
 */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/timerfd.h>

#include "guest.h"

static void test_poll(void)
{
    int p[2];
    struct pollfd fds[2];
    struct timespec ts = { 0, 1000000 };
    sigset_t mask;

    CHECK(pipe(p) == 0);
    fds[0] = (struct pollfd){ .fd = p[0], .events = POLLIN };
    fds[1] = (struct pollfd){ .fd = p[1], .events = POLLOUT };
    CHECK(poll(fds, 2, 0) == 1);
    CHECK(fds[0].revents == 0 && fds[1].revents == POLLOUT);
    CHECK(write(p[1], "x", 1) == 1);
    sigemptyset(&mask);
    CHECK(ppoll(fds, 2, &ts, &mask) == 2 && fds[0].revents == POLLIN);
    CHECK(ppoll(fds, 1, NULL, NULL) == 1);
    close(p[1]);
    CHECK(poll(fds, 1, 10) == 1 && (fds[0].revents & POLLIN));
    {
        char c;
        CHECK(read(p[0], &c, 1) == 1 && read(p[0], &c, 1) == 0);
    }
    CHECK(poll(fds, 1, 0) == 1 && (fds[0].revents & POLLHUP));
    fds[0].fd = 999;
    CHECK(poll(fds, 1, 0) == 1 && fds[0].revents == POLLNVAL);
    CHECK(poll(NULL, 0, 1) == 0);
    close(p[0]);
    printf("poll: done\n");
}

static void test_select(void)
{
    int p[2];
    fd_set r, w;
    struct timeval tv = { 0, 1000 };
    struct timespec ts = { 0, 1000 };
    sigset_t mask;

    CHECK(pipe(p) == 0);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    CHECK(select(p[1] + 1, &r, &w, NULL, &tv) == 1);
    CHECK(!FD_ISSET(p[0], &r) && FD_ISSET(p[1], &w));
    CHECK(write(p[1], "x", 1) == 1);
    FD_SET(p[0], &r);
    sigemptyset(&mask);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, &ts, &mask) == 1);
    CHECK(FD_ISSET(p[0], &r));
    FD_SET(p[0], &r);
    CHECK(pselect(p[0] + 1, &r, NULL, NULL, NULL, NULL) == 1);
    close(p[0]);
    close(p[1]);
    printf("select: done\n");
}

static void test_epoll(void)
{
    int ep = epoll_create1(EPOLL_CLOEXEC), p[2], efd;
    struct epoll_event ev, out[4];
    uint64_t v = 1;

    CHECK(ep >= 0 && fcntl(ep, F_GETFD) == FD_CLOEXEC);
    CHECK(pipe(p) == 0);
    efd = eventfd(0, EFD_NONBLOCK);
    ev.events = EPOLLIN;
    ev.data.u64 = 0x1122334455667788ull;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 0xdeadbeefcafef00dull;
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev) == 0);
    CHECK_ERR(epoll_ctl(ep, EPOLL_CTL_ADD, efd, &ev), EEXIST);
    CHECK(epoll_wait(ep, out, 4, 0) == 0);
    CHECK(write(p[1], "ab", 2) == 2 && write(efd, &v, 8) == 8);
    memset(out, 0, sizeof(out));
    CHECK(epoll_wait(ep, out, 4, 100) == 2);
    CHECK((out[0].data.u64 == 0x1122334455667788ull &&
           out[1].data.u64 == 0xdeadbeefcafef00dull) ||
          (out[1].data.u64 == 0x1122334455667788ull &&
           out[0].data.u64 == 0xdeadbeefcafef00dull));
    CHECK(out[0].events == EPOLLIN && out[1].events == EPOLLIN);
    /* edge-triggered eventfd: reported once */
    CHECK(epoll_pwait(ep, out, 1, 0, NULL) == 1);
    CHECK(out[0].data.u64 == 0x1122334455667788ull);
    CHECK(epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0);
    CHECK(epoll_wait(ep, out, 4, 0) == 0);
    ev.events = EPOLLOUT;
    ev.data.fd = p[1];
    CHECK(epoll_ctl(ep, EPOLL_CTL_ADD, p[1], &ev) == 0);
    CHECK(epoll_wait(ep, out, 4, 0) == 1 && out[0].data.fd == p[1]);
    CHECK_ERR(epoll_wait(ep, out, 0, 0), EINVAL);
    close(p[0]);
    close(p[1]);
    close(efd);
    close(ep);
    printf("epoll: done\n");
}

static void test_timerfd(void)
{
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
    struct itimerspec its = { { 0, 0 }, { 0, 2000000 } }, cur;
    uint64_t n = 0;
    struct pollfd pfd = { .fd = fd, .events = POLLIN };

    CHECK(fd >= 0);
    CHECK_ERR(read(fd, &n, 8), EAGAIN);
    CHECK(timerfd_settime(fd, 0, &its, NULL) == 0);
    CHECK(timerfd_gettime(fd, &cur) == 0 && cur.it_value.tv_sec == 0);
    CHECK(cur.it_value.tv_nsec <= 2000000);
    CHECK(poll(&pfd, 1, 1000) == 1);
    CHECK(read(fd, &n, 8) == 8 && n == 1);
    its.it_value.tv_sec = 100;
    CHECK(timerfd_settime(fd, 0, &its, &cur) == 0);
    CHECK(timerfd_gettime(fd, &cur) == 0 && cur.it_value.tv_sec >= 99);
    close(fd);
    printf("timerfd: done\n");
}

int main(void)
{
    test_poll();
    test_select();
    test_epoll();
    test_timerfd();
    return guest_done("poll");
}
