/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * POSIX message queues: mq_open with O_CREAT and an mq_attr, mq_getattr
 * and mq_setattr (O_NONBLOCK), send and receive by priority, a receive
 * that blocks until a forked child sends, mq_timedreceive's timeout
 * (ETIMEDOUT), EMSGSIZE, mq_notify with SIGEV_SIGNAL (a real-time signal,
 * whose number ctcg converts; si_code SI_MESGQ and the value) and
 * SIGEV_THREAD (glibc's netlink helper), EBUSY for a second registration,
 * mq_unlink, and EFAULT/EINVAL/ENOENT/EEXIST.  The queue's name has the
 * pid in it and is unlinked at exit.
 *
 * Not compared with qemu-riscv64: QEMU 7.2 has no mq_notify (ENOSYS), and
 * its mq_getsetattr does not report EFAULT for a bad old-attribute
 * pointer.
 */
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

#define BAD_PTR ((void *)1)

static char name[64];

static void cleanup(void)
{
    mq_unlink(name);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_basic(mqd_t q)
{
    struct mq_attr at;
    char buf[64];
    unsigned prio = 0;

    CHECK(mq_getattr(q, &at) == 0);
    CHECK(at.mq_maxmsg == 4 && at.mq_msgsize == 64 && at.mq_curmsgs == 0);
    CHECK(mq_send(q, "low", 4, 1) == 0);
    CHECK(mq_send(q, "high", 5, 9) == 0);
    CHECK(mq_send(q, "mid", 4, 5) == 0);
    CHECK(mq_send(q, "mid2", 5, 5) == 0);
    CHECK(mq_getattr(q, &at) == 0 && at.mq_curmsgs == 4);
    CHECK(mq_receive(q, buf, 64, &prio) == 5 && !strcmp(buf, "high") &&
          prio == 9);
    CHECK(mq_receive(q, buf, 64, &prio) == 4 && !strcmp(buf, "mid") &&
          prio == 5);
    CHECK(mq_receive(q, buf, 64, NULL) == 5 && !strcmp(buf, "mid2"));
    CHECK(mq_receive(q, buf, 64, &prio) == 4 && !strcmp(buf, "low") &&
          prio == 1);
    printf("basic: ok\n");
}

static void test_timeouts(mqd_t q)
{
    struct mq_attr at = {.mq_flags = O_NONBLOCK}, old;
    struct timespec ts;
    char buf[64];
    double t0;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += 50 * 1000 * 1000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    t0 = now();
    CHECK_ERR(mq_timedreceive(q, buf, 64, NULL, &ts), ETIMEDOUT);
    CHECK(now() - t0 >= 0.04);
    CHECK(mq_setattr(q, &at, &old) == 0 && old.mq_flags == 0);
    CHECK_ERR(mq_receive(q, buf, 64, NULL), EAGAIN);
    for (int i = 0; i < 4; i++) {
        CHECK(mq_send(q, "x", 1, 0) == 0);
    }
    CHECK_ERR(mq_send(q, "x", 1, 0), EAGAIN);
    at.mq_flags = 0;
    CHECK(mq_setattr(q, &at, NULL) == 0);
    CHECK_ERR(mq_timedsend(q, "x", 1, 0, &ts), ETIMEDOUT);
    for (int i = 0; i < 4; i++) {
        CHECK(mq_receive(q, buf, 64, NULL) == 1);
    }
    CHECK_ERR(mq_send(q, buf, 65, 0), EMSGSIZE);
    CHECK(mq_send(q, "y", 1, 0) == 0);
    CHECK_ERR(mq_receive(q, buf, 63, NULL), EMSGSIZE);
    CHECK(mq_receive(q, buf, 64, NULL) == 1);
    printf("timeouts: ok\n");
}

static void test_block(mqd_t q)
{
    char buf[64];
    unsigned prio;
    int st = -1;
    pid_t pid = fork();

    if (pid == 0) {
        usleep(100000);
        _exit(mq_send(q, "late", 5, 3) == 0 ? 0 : 1);
    }
    CHECK(mq_receive(q, buf, 64, &prio) == 5 && !strcmp(buf, "late") &&
          prio == 3);
    CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    printf("block: ok\n");
}

static volatile int got_sig, got_code, got_val;

static void on_sig(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_val = si->si_value.sival_int;
}

static pthread_mutex_t thr_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t thr_cond = PTHREAD_COND_INITIALIZER;
static int thr_val;

static void on_thread(union sigval v)
{
    pthread_mutex_lock(&thr_lock);
    thr_val = v.sival_int;
    pthread_cond_signal(&thr_cond);
    pthread_mutex_unlock(&thr_lock);
}

static void test_notify(mqd_t q)
{
    int sig = SIGRTMIN + 4;
    struct sigaction sa = {.sa_sigaction = on_sig, .sa_flags = SA_SIGINFO};
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = sig};
    struct timespec ts;
    char buf[64];

    sigaction(sig, &sa, NULL);
    ev.sigev_value.sival_int = 1234;
    CHECK(mq_notify(q, &ev) == 0);
    CHECK_ERR(mq_notify(q, &ev), EBUSY);
    CHECK(mq_send(q, "n", 1, 0) == 0);
    for (int i = 0; i < 100 && !got_sig; i++) {
        usleep(1000);
    }
    CHECK(got_sig == sig && got_code == SI_MESGQ && got_val == 1234);
    CHECK(mq_receive(q, buf, 64, NULL) == 1);
    /* The registration is gone after a notification. */
    CHECK(mq_notify(q, &ev) == 0);
    CHECK(mq_notify(q, NULL) == 0);
    ev.sigev_signo = 65;
    CHECK_ERR(mq_notify(q, &ev), EINVAL);
    ev.sigev_notify = 77;
    CHECK_ERR(mq_notify(q, &ev), EINVAL);

    ev.sigev_notify = SIGEV_THREAD;
    ev.sigev_notify_function = on_thread;
    ev.sigev_notify_attributes = NULL;
    ev.sigev_value.sival_int = 5678;
    CHECK(mq_notify(q, &ev) == 0);
    CHECK(mq_send(q, "t", 1, 0) == 0);
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 5;
    pthread_mutex_lock(&thr_lock);
    while (thr_val == 0 &&
           pthread_cond_timedwait(&thr_cond, &thr_lock, &ts) == 0) {
    }
    pthread_mutex_unlock(&thr_lock);
    CHECK(thr_val == 5678);
    CHECK(mq_receive(q, buf, 64, NULL) == 1);
    printf("notify: ok\n");
}

static void test_errors(mqd_t q)
{
    struct mq_attr at = {.mq_maxmsg = 4, .mq_msgsize = 64};
    char buf[64];

    CHECK_ERR(mq_send(q, BAD_PTR, 4, 0), EFAULT);
    CHECK(mq_send(q, "z", 1, 0) == 0);
    CHECK_ERR(mq_receive(q, BAD_PTR, 64, NULL), EFAULT);
    CHECK_ERR(mq_timedreceive(q, buf, 64, NULL, BAD_PTR), EFAULT);
    CHECK_ERR(syscall(SYS_mq_getsetattr, q, NULL, BAD_PTR), EFAULT);
    CHECK_ERR(syscall(SYS_mq_open, BAD_PTR, O_RDWR, 0, NULL), EFAULT);
    CHECK_ERR(mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &at), EEXIST);
    at.mq_maxmsg = 0;
    CHECK_ERR(mq_open("/ctcg-mq-never", O_RDWR | O_CREAT, 0600, &at), EINVAL);
    CHECK_ERR(mq_open("/ctcg-mq-never", O_RDWR | O_CREAT, 0600, BAD_PTR),
              EFAULT);
    CHECK_ERR(mq_send(-1, "x", 1, 0), EBADF);
    CHECK(mq_close(q) == 0);
    CHECK(mq_unlink(name) == 0);
    CHECK_ERR(mq_unlink(name), ENOENT);
    CHECK_ERR(mq_open(name, O_RDWR), ENOENT);
    printf("errors: ok\n");
}

int main(void)
{
    struct mq_attr at = {.mq_maxmsg = 4, .mq_msgsize = 64};
    mqd_t q;

    snprintf(name, sizeof(name), "/ctcg-mq-%d", (int)getpid());
    mq_unlink(name);
    atexit(cleanup);
    q = mq_open(name, O_RDWR | O_CREAT | O_EXCL, 0600, &at);
    CHECK(q != (mqd_t)-1);
    if (q == (mqd_t)-1) {
        return guest_done("sc_mq");
    }
    test_basic(q);
    test_timeouts(q);
    test_block(q);
    test_notify(q);
    test_errors(q);
    return guest_done("sc_mq");
}
