/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * signalfd reports guest signal numbers: ssi_signo of real-time signals
 * (SIGRTMIN + 2 and SIGRTMAX - 2) and standard ones, with their values,
 * through read and through readv with a record split across two iovecs,
 * on the signalfd and on a dup of it; and ssi_status of a SIGCHLD for a
 * child killed by a real-time signal.
 *
 * Not compared with qemu-riscv64 (tests/guest/meson.build): QEMU 7.2
 * converts read but not readv, and not ssi_status.
 */
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "guest.h"

static void test_read(void)
{
    int rt1 = SIGRTMIN + 2, rt2 = SIGRTMAX - 2;
    struct signalfd_siginfo ssi[3];
    struct iovec iov[2];
    union sigval v;
    sigset_t set;
    int fd, fd2;

    sigemptyset(&set);
    sigaddset(&set, rt1);
    sigaddset(&set, rt2);
    sigaddset(&set, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    fd = signalfd(-1, &set, SFD_CLOEXEC);
    CHECK(fd >= 0);

    v.sival_int = 11;
    CHECK(sigqueue(getpid(), rt2, v) == 0);
    v.sival_int = 22;
    CHECK(sigqueue(getpid(), rt1, v) == 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    memset(ssi, 0, sizeof(ssi));
    CHECK(read(fd, ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi));
    /* Standard signals first, then real-time ones lowest first. */
    CHECK(ssi[0].ssi_signo == SIGUSR1 && ssi[0].ssi_code == SI_USER);
    CHECK(ssi[1].ssi_signo == (unsigned)rt1 && ssi[1].ssi_int == 22 &&
          ssi[1].ssi_code == SI_QUEUE && ssi[1].ssi_pid == (unsigned)getpid());
    CHECK(ssi[2].ssi_signo == (unsigned)rt2 && ssi[2].ssi_int == 11);

    /* readv, the second record split across the two buffers; a dup. */
    fd2 = dup(fd);
    CHECK(fd2 >= 0);
    v.sival_int = 33;
    CHECK(sigqueue(getpid(), rt1, v) == 0);
    v.sival_int = 44;
    CHECK(sigqueue(getpid(), rt2, v) == 0);
    memset(ssi, 0, sizeof(ssi));
    iov[0].iov_base = ssi;
    iov[0].iov_len = sizeof(ssi[0]) + 20;
    iov[1].iov_base = (char *)ssi + iov[0].iov_len;
    iov[1].iov_len = 2 * sizeof(ssi[0]) - iov[0].iov_len;
    CHECK(readv(fd2, iov, 2) == 2 * (ssize_t)sizeof(ssi[0]));
    CHECK(ssi[0].ssi_signo == (unsigned)rt1 && ssi[0].ssi_int == 33);
    CHECK(ssi[1].ssi_signo == (unsigned)rt2 && ssi[1].ssi_int == 44);
    close(fd2);
    close(fd);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    printf("signalfd: guest numbers through read and readv\n");
}

static void test_sigchld(void)
{
    struct signalfd_siginfo ssi;
    sigset_t set;
    pid_t pid;
    int fd, status;

    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    CHECK(sigprocmask(SIG_BLOCK, &set, NULL) == 0);
    fd = signalfd(-1, &set, 0);
    CHECK(fd >= 0);
    pid = fork();
    if (pid == 0) {
        signal(SIGRTMIN + 4, SIG_DFL);
        raise(SIGRTMIN + 4);
        _exit(0);
    }
    memset(&ssi, 0, sizeof(ssi));
    CHECK(read(fd, &ssi, sizeof(ssi)) == (ssize_t)sizeof(ssi));
    CHECK(ssi.ssi_signo == SIGCHLD && ssi.ssi_code == CLD_KILLED &&
          ssi.ssi_pid == (unsigned)pid);
    CHECK(ssi.ssi_status == SIGRTMIN + 4);
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGRTMIN + 4);
    close(fd);
    CHECK(sigprocmask(SIG_UNBLOCK, &set, NULL) == 0);
    printf("signalfd: SIGCHLD status of a child killed by SIGRTMIN+4\n");
}

int main(void)
{
    test_read();
    test_sigchld();
    return guest_done("sig_signalfd");
}
