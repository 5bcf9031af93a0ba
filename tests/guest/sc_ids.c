/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Identity and limits: uid/gid getters and setters (to the current ids),
 * getresuid/getresgid, getgroups/setgroups, uname (machine riscv64),
 * getrlimit/setrlimit/prlimit64, sysinfo, getrusage, sched affinity,
 * priorities and policies, getrandom, pid/tid/pgid/sid, getcpu.
 */
#include <grp.h>
#include <sched.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>

#include "guest.h"

static void test_ids(void)
{
    uid_t r, e, s;
    gid_t gr, ge, gs, groups[64];
    int n;

    CHECK(getresuid(&r, &e, &s) == 0 && r == getuid() && e == geteuid());
    CHECK(getresgid(&gr, &ge, &gs) == 0 && gr == getgid() && ge == getegid());
    CHECK(setuid(getuid()) == 0 && setgid(getgid()) == 0);
    CHECK(setreuid(-1, -1) == 0 && setregid(-1, -1) == 0);
    CHECK(setresuid(-1, -1, -1) == 0 && setresgid(-1, -1, -1) == 0);
    n = getgroups(0, NULL);
    CHECK(n >= 0 && n <= 64 && getgroups(n, groups) == n);
    if (n > 1) {
        CHECK_ERR(getgroups(1, groups), EINVAL);
    }
    if (getuid() == 0) {
        CHECK(setgroups(n, groups) == 0);
    }
    printf("ids: done\n");
}

static void test_uname(void)
{
    struct utsname u;

    CHECK(uname(&u) == 0);
    CHECK(strcmp(u.sysname, "Linux") == 0 && u.release[0]);
    printf("machine: %s\n", u.machine);
}

static void test_limits(void)
{
    struct rlimit rl, rl2;
    struct rusage ru;
    struct sysinfo si;

    CHECK(getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur > 16);
    rl2 = rl;
    rl2.rlim_cur = 64;
    CHECK(setrlimit(RLIMIT_NOFILE, &rl2) == 0);
    CHECK(getrlimit(RLIMIT_NOFILE, &rl2) == 0 && rl2.rlim_cur == 64);
    CHECK(prlimit(0, RLIMIT_NOFILE, &rl, &rl2) == 0 && rl2.rlim_cur == 64);
    CHECK(getrlimit(RLIMIT_NOFILE, &rl2) == 0 && rl2.rlim_cur == rl.rlim_cur);
    CHECK(getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur > 0);
    CHECK_ERR(getrlimit(1000, &rl), EINVAL);
    CHECK(getrusage(RUSAGE_SELF, &ru) == 0 && ru.ru_maxrss > 0);
    CHECK(getrusage(RUSAGE_CHILDREN, &ru) == 0);
    CHECK(sysinfo(&si) == 0 && si.mem_unit > 0 && si.totalram > 0);
    CHECK(si.procs > 0 && si.uptime > 0);
    printf("limits: done\n");
}

static void test_sched(void)
{
    cpu_set_t set;
    struct sched_param sp;
    unsigned cpu = 1000, node = 1000;

    CHECK(sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_COUNT(&set) > 0);
    CHECK(sched_setaffinity(0, sizeof(set), &set) == 0);
    CHECK(syscall(SYS_sched_getaffinity, 0, sizeof(set), &set) > 0);
    CHECK(sched_yield() == 0);
    CHECK(sched_get_priority_max(SCHED_FIFO) == 99);
    CHECK(sched_get_priority_min(SCHED_FIFO) == 1);
    CHECK(sched_getscheduler(0) == SCHED_OTHER);
    CHECK(sched_getparam(0, &sp) == 0 && sp.sched_priority == 0);
    errno = 0;
    CHECK(getpriority(PRIO_PROCESS, 0) >= -20 && errno == 0);
    CHECK(setpriority(PRIO_PROCESS, 0, getpriority(PRIO_PROCESS, 0)) == 0);
    CHECK(syscall(SYS_getcpu, &cpu, &node, NULL) == 0 && cpu < 1000);
    printf("sched: done\n");
}

static void test_misc(void)
{
    unsigned char buf[32], zero[32] = { 0 };

    CHECK(getrandom(buf, sizeof(buf), 0) == sizeof(buf));
    CHECK(memcmp(buf, zero, sizeof(buf)) != 0);
    CHECK(getrandom(buf, 4, GRND_NONBLOCK) == 4);
    CHECK(getpid() == gettid() && getppid() > 0);
    CHECK(getpgid(0) == getpgrp() && getsid(0) > 0);
    CHECK_ERR(getpgid(-5), ESRCH);
    printf("misc: done\n");
}

int main(void)
{
    test_ids();
    test_uname();
    test_limits();
    test_sched();
    test_misc();
    return guest_done("ids");
}
