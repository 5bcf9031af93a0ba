/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Time: clock_gettime/getres on the common clocks, nanosleep,
 * clock_nanosleep (relative and absolute), gettimeofday, times,
 * getitimer/setitimer, POSIX timers without signals.
 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/times.h>
#include <time.h>

#include "guest.h"

static int64_t ns(const struct timespec *t)
{
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

int main(void)
{
    static const clockid_t clocks[] = {
        CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
        CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_REALTIME_COARSE,
        CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME,
    };
    struct timespec a, b, res, req = { 0, 2000000 };
    struct timeval tv;
    struct tms tms;
    struct itimerval it = { { 0, 0 }, { 100, 0 } }, old;
    timer_t timer;
    struct sigevent sev = { .sigev_notify = SIGEV_NONE };
    struct itimerspec its = { { 0, 0 }, { 50, 0 } }, cur;

    for (unsigned i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
        CHECK(clock_gettime(clocks[i], &a) == 0 && a.tv_nsec < 1000000000);
        CHECK(clock_getres(clocks[i], &res) == 0 && ns(&res) > 0);
    }
    CHECK(syscall(SYS_clock_getres, CLOCK_MONOTONIC, NULL) == 0);
    CHECK_ERR(clock_gettime(12345, &a), EINVAL);
    CHECK_ERR(syscall(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)8), EFAULT);
    printf("clocks: done\n");

    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    CHECK(nanosleep(&req, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &b) == 0);
    CHECK(ns(&b) - ns(&a) >= 2000000);
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL) == 0);
    b.tv_nsec += 3000000;
    if (b.tv_nsec >= 1000000000) {
        b.tv_sec++;
        b.tv_nsec -= 1000000000;
    }
    CHECK(clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &b, NULL) == 0);
    CHECK(clock_gettime(CLOCK_MONOTONIC, &a) == 0 && ns(&a) >= ns(&b));
    req.tv_nsec = 1000000000;
    CHECK_ERR(nanosleep(&req, NULL), EINVAL);
    printf("sleeps: done\n");

    CHECK(gettimeofday(&tv, NULL) == 0 && clock_gettime(CLOCK_REALTIME, &a) == 0);
    CHECK(a.tv_sec - tv.tv_sec <= 1 && tv.tv_usec < 1000000);
    CHECK(tv.tv_sec > 1600000000);
    CHECK(times(&tms) != (clock_t)-1 && tms.tms_utime >= 0);
    printf("gettimeofday, times: done\n");

    CHECK(setitimer(ITIMER_REAL, &it, NULL) == 0);
    CHECK(getitimer(ITIMER_REAL, &old) == 0 && old.it_value.tv_sec >= 99);
    memset(&it, 0, sizeof(it));
    CHECK(setitimer(ITIMER_REAL, &it, &old) == 0 && old.it_value.tv_sec >= 99);
    CHECK(timer_create(CLOCK_MONOTONIC, &sev, &timer) == 0);
    CHECK(timer_settime(timer, 0, &its, NULL) == 0);
    CHECK(timer_gettime(timer, &cur) == 0 && cur.it_value.tv_sec >= 49);
    CHECK(timer_getoverrun(timer) == 0);
    CHECK(timer_delete(timer) == 0);
    printf("timers: done\n");
    return guest_done("time");
}
