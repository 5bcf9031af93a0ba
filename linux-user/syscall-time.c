/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Time syscalls: clocks, sleeps, interval and POSIX timers, timerfd.
 *
 * Design: struct timespec, timeval, itimerspec, itimerval, timezone, tms
 * and sigevent have the same layout on riscv64 and x86-64 (LP64), so every
 * call passes through, its pointers made host ones with HOST_PTR (a bad
 * one faults in the host kernel, so the errno order is Linux's: EINVAL
 * for a bad clock, timer or flags comes before EFAULT).  struct timex
 * (adjtimex, clock_adjtime) is the same too.  Timers that signal (setitimer, timer_create with
 * SIGEV_SIGNAL) raise host signals, which signal.c delivers to the guest;
 * timer_create's sigev_signo is converted to the host number.
 * Sleeps go through SAFE_SYSCALL so that a guest signal interrupts them.
 */
#include <string.h>
#include <time.h>

#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"

#define TS 16     /* sizeof(struct timespec), struct timeval */
#define TIMEX 208 /* sizeof(struct timex) */

/*
 * timer_create(clock, sigevent, timerid): Linux copies the sigevent first
 * (EFAULT), then checks the clock and the event (EINVAL), and writes the
 * id last (EFAULT, the timer is dropped again).  The guest's sigevent is
 * copied (checked) and its signal made the host's; a signal number that
 * has no host equivalent becomes 0, which the host rejects where Linux
 * would (SIGEV_SIGNAL, SIGEV_THREAD) and ignores where Linux does.
 */
static int64_t do_timer_create(const uint64_t *a)
{
    /* struct sigevent: sigev_value, then int sigev_signo, sigev_notify */
    uint8_t ev[64];
    int32_t signo;
    void *id;

    HOST_PTR(id, a[2], 4);
    if (a[1] == 0) {
        return HOST_SYSCALL(SYS_timer_create, (long)(int)a[0], NULL, id);
    }
    if (copy_from_guest(ev, a[1], sizeof(ev))) {
        return -EFAULT;
    }
    memcpy(&signo, ev + 8, 4);
    signo =
        signo > 0 && signo <= TARGET_NSIG ? target_to_host_signal(signo) : 0;
    memcpy(ev + 8, &signo, 4);
    return HOST_SYSCALL(SYS_timer_create, (long)(int)a[0], ev, id);
}

int64_t syscall_time(CPURISCVState *env, int num, const uint64_t *a)
{
    void *p0, *p1;

    (void)env;
    switch (num) {
    case TARGET_NR_clock_gettime:
        HOST_PTR(p0, a[1], TS);
        return HOST_SYSCALL(SYS_clock_gettime, (long)(int)a[0], p0);
    case TARGET_NR_clock_getres:
        HOST_PTR(p0, a[1], TS);
        return HOST_SYSCALL(SYS_clock_getres, (long)(int)a[0], p0);
    case TARGET_NR_clock_settime:
        HOST_PTR(p0, a[1], TS);
        return HOST_SYSCALL(SYS_clock_settime, (long)(int)a[0], p0);
    case TARGET_NR_clock_nanosleep:
        HOST_PTR(p0, a[2], TS);
        HOST_PTR(p1, a[3], TS);
        return SAFE_SYSCALL(SYS_clock_nanosleep, (long)(int)a[0],
                            (long)(int)a[1], p0, p1);
    case TARGET_NR_nanosleep:
        HOST_PTR(p0, a[0], TS);
        HOST_PTR(p1, a[1], TS);
        return SAFE_SYSCALL(SYS_nanosleep, p0, p1);
    case TARGET_NR_gettimeofday:
        HOST_PTR(p0, a[0], TS);
        HOST_PTR(p1, a[1], 8);
        return HOST_SYSCALL(SYS_gettimeofday, p0, p1);
    case TARGET_NR_settimeofday:
        HOST_PTR(p0, a[0], TS);
        HOST_PTR(p1, a[1], 8);
        return HOST_SYSCALL(SYS_settimeofday, p0, p1);
    case TARGET_NR_times:
        HOST_PTR(p0, a[0], 32);
        return HOST_SYSCALL(SYS_times, p0);
    case TARGET_NR_getitimer:
        HOST_PTR(p0, a[1], 2 * TS);
        return HOST_SYSCALL(SYS_getitimer, (long)(int)a[0], p0);
    case TARGET_NR_setitimer:
        HOST_PTR(p0, a[1], 2 * TS);
        HOST_PTR(p1, a[2], 2 * TS);
        return HOST_SYSCALL(SYS_setitimer, (long)(int)a[0], p0, p1);
    case TARGET_NR_timerfd_create:
        return HOST_SYSCALL(SYS_timerfd_create, (long)(int)a[0],
                            (long)(int)a[1]);
    case TARGET_NR_timerfd_settime:
        HOST_PTR(p0, a[2], 2 * TS);
        HOST_PTR(p1, a[3], 2 * TS);
        return HOST_SYSCALL(SYS_timerfd_settime, (long)(int)a[0],
                            (long)(int)a[1], p0, p1);
    case TARGET_NR_timerfd_gettime:
        HOST_PTR(p0, a[1], 2 * TS);
        return HOST_SYSCALL(SYS_timerfd_gettime, (long)(int)a[0], p0);
    case TARGET_NR_timer_create:
        return do_timer_create(a);
    case TARGET_NR_adjtimex:
        HOST_PTR(p0, a[0], TIMEX);
        return HOST_SYSCALL(SYS_adjtimex, p0);
    case TARGET_NR_clock_adjtime:
        HOST_PTR(p0, a[1], TIMEX);
        return HOST_SYSCALL(SYS_clock_adjtime, (long)(int)a[0], p0);
    case TARGET_NR_timer_settime:
        HOST_PTR(p0, a[2], 2 * TS);
        HOST_PTR(p1, a[3], 2 * TS);
        return HOST_SYSCALL(SYS_timer_settime, (long)(int)a[0], (long)(int)a[1],
                            p0, p1);
    case TARGET_NR_timer_gettime:
        HOST_PTR(p0, a[1], 2 * TS);
        return HOST_SYSCALL(SYS_timer_gettime, (long)(int)a[0], p0);
    case TARGET_NR_timer_getoverrun:
        return HOST_SYSCALL(SYS_timer_getoverrun, (long)(int)a[0]);
    case TARGET_NR_timer_delete:
        return HOST_SYSCALL(SYS_timer_delete, (long)(int)a[0]);
    default:
        return SC_UNHANDLED;
    }
}
