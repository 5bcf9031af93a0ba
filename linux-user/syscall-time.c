/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Time syscalls: clocks, sleeps, interval and POSIX timers, timerfd.
 *
 * Design: struct timespec, timeval, itimerspec, itimerval, timezone, tms
 * and sigevent have the same layout on riscv64 and x86-64 (LP64), so every
 * call passes through with its pointers range-checked; optional pointers
 * keep NULL.  Timers that signal (setitimer, timer_create with
 * SIGEV_SIGNAL) raise host signals, which signal.c delivers to the guest;
 * timer_create's sigev_signo is converted to the host number.
 * Sleeps go through SAFE_SYSCALL so that a guest signal interrupts them.
 */
#include <string.h>
#include <time.h>

#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"

#define TS 16 /* sizeof(struct timespec), struct timeval */

int64_t syscall_time(CPURISCVState *env, int num, const uint64_t *a)
{
    void *p0, *p1;

    (void)env;
    switch (num) {
    case TARGET_NR_clock_gettime:
        GUEST_PTR(p0, a[1], TS);
        return HOST_SYSCALL(SYS_clock_gettime, (long)(int)a[0], p0);
    case TARGET_NR_clock_getres:
        GUEST_PTR_OPT(p0, a[1], TS);
        return HOST_SYSCALL(SYS_clock_getres, (long)(int)a[0], p0);
    case TARGET_NR_clock_settime:
        GUEST_PTR(p0, a[1], TS);
        return HOST_SYSCALL(SYS_clock_settime, (long)(int)a[0], p0);
    case TARGET_NR_clock_nanosleep:
        GUEST_PTR(p0, a[2], TS);
        GUEST_PTR_OPT(p1, a[3], TS);
        return SAFE_SYSCALL(SYS_clock_nanosleep, (long)(int)a[0],
                            (long)(int)a[1], p0, p1);
    case TARGET_NR_nanosleep:
        GUEST_PTR(p0, a[0], TS);
        GUEST_PTR_OPT(p1, a[1], TS);
        return SAFE_SYSCALL(SYS_nanosleep, p0, p1);
    case TARGET_NR_gettimeofday:
        GUEST_PTR_OPT(p0, a[0], TS);
        GUEST_PTR_OPT(p1, a[1], 8);
        return HOST_SYSCALL(SYS_gettimeofday, p0, p1);
    case TARGET_NR_settimeofday:
        GUEST_PTR_OPT(p0, a[0], TS);
        GUEST_PTR_OPT(p1, a[1], 8);
        return HOST_SYSCALL(SYS_settimeofday, p0, p1);
    case TARGET_NR_times:
        GUEST_PTR_OPT(p0, a[0], 32);
        return HOST_SYSCALL(SYS_times, p0);
    case TARGET_NR_getitimer:
        GUEST_PTR(p0, a[1], 2 * TS);
        return HOST_SYSCALL(SYS_getitimer, (long)(int)a[0], p0);
    case TARGET_NR_setitimer:
        GUEST_PTR_OPT(p0, a[1], 2 * TS);
        GUEST_PTR_OPT(p1, a[2], 2 * TS);
        return HOST_SYSCALL(SYS_setitimer, (long)(int)a[0], p0, p1);
    case TARGET_NR_timerfd_create:
        return HOST_SYSCALL(SYS_timerfd_create, (long)(int)a[0],
                            (long)(int)a[1]);
    case TARGET_NR_timerfd_settime:
        GUEST_PTR(p0, a[2], 2 * TS);
        GUEST_PTR_OPT(p1, a[3], 2 * TS);
        return HOST_SYSCALL(SYS_timerfd_settime, (long)(int)a[0],
                            (long)(int)a[1], p0, p1);
    case TARGET_NR_timerfd_gettime:
        GUEST_PTR(p0, a[1], 2 * TS);
        return HOST_SYSCALL(SYS_timerfd_gettime, (long)(int)a[0], p0);
    case TARGET_NR_timer_create: {
        /* struct sigevent: sigev_value, then int sigev_signo, sigev_notify */
        uint8_t ev[64];
        int32_t signo, notify;

        GUEST_PTR_OPT(p0, a[1], 64);
        GUEST_PTR(p1, a[2], 4);
        if (p0 != NULL) {
            memcpy(ev, p0, sizeof(ev));
            memcpy(&signo, ev + 8, 4);
            memcpy(&notify, ev + 12, 4);
            if (notify != SIGEV_NONE && notify != SIGEV_THREAD) {
                signo = target_to_host_signal(signo);
                if (signo == 0) {
                    return -EINVAL;
                }
                memcpy(ev + 8, &signo, 4);
            }
            p0 = ev;
        }
        return HOST_SYSCALL(SYS_timer_create, (long)(int)a[0], p0, p1);
    }
    case TARGET_NR_timer_settime:
        GUEST_PTR(p0, a[2], 2 * TS);
        GUEST_PTR_OPT(p1, a[3], 2 * TS);
        return HOST_SYSCALL(SYS_timer_settime, (long)(int)a[0], (long)(int)a[1],
                            p0, p1);
    case TARGET_NR_timer_gettime:
        GUEST_PTR(p0, a[1], 2 * TS);
        return HOST_SYSCALL(SYS_timer_gettime, (long)(int)a[0], p0);
    case TARGET_NR_timer_getoverrun:
        return HOST_SYSCALL(SYS_timer_getoverrun, (long)(int)a[0]);
    case TARGET_NR_timer_delete:
        return HOST_SYSCALL(SYS_timer_delete, (long)(int)a[0]);
    default:
        return SC_UNHANDLED;
    }
}
