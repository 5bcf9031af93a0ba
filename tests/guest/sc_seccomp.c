/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * seccomp, PR_SET_SECCOMP and personality, which would bind or change the
 * emulator itself if ctcg passed them to the host (issue 15;
 * linux-user/syscall-seccomp.c):
 *  - strict mode is emulated per thread: read, write, exit and
 *    rt_sigreturn work, any other call ends the thread as Linux's
 *    do_exit(SIGKILL) (the process, killed by SIGKILL, when it is the
 *    only thread; in a process of two threads only that one, and
 *    pthread_join sees it end);
 *  - Linux's argument checks (EINVAL for flags or a filter with strict
 *    mode, an unknown operation); filter mode is EINVAL (a kernel without
 *    CONFIG_SECCOMP_FILTER); SECCOMP_GET_ACTION_AVAIL and
 *    SECCOMP_GET_NOTIF_SIZES answer;
 *  - personality: the value is kept and read back (the argument is an
 *    unsigned int: 0x1ffffffff only reads); READ_IMPLIES_EXEC makes
 *    PROT_READ mmap and mprotect executable (code runs from a
 *    PROT_READ|PROT_WRITE page, which faults again once it is cleared);
 *    flags that would change the host's layout (ADDR_LIMIT_32BIT,
 *    ADDR_COMPAT_LAYOUT, MMAP_PAGE_ZERO) leave ctcg working;
 *    /proc/self/personality shows the value; UNAME26 makes uname's
 *    release 2.6.(minor + 60) with the rest of the string kept;
 *  - personality across execve, as Linux's load_elf_binary for riscv64
 *    (syscall-seccomp.c): the PER_MASK byte goes back to PER_LINUX unless
 *    it is PER_LINUX32, the other bits (READ_IMPLIES_EXEC too) stay; a
 *    set-user-ID program of another owner (a copy of this one, as root)
 *    starts without PER_CLEAR_ON_SETID.  The program execs itself with
 *    "persona FD" and writes what personality(0xffffffff) reads to FD.
 * Run under ctcg only: qemu-riscv64 7.2 passes these to the host.
 */
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <ctype.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#include "guest.h"

/* linux/personality.h's; glibc's sys/personality.h lacks it */
#ifndef PER_CLEAR_ON_SETID
#define PER_CLEAR_ON_SETID                                        \
    (READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT | \
     MMAP_PAGE_ZERO)
#endif

static sigjmp_buf env;

static void on_segv(int sig)
{
    siglongjmp(env, 1);
}

/* Run `li a0, 42; ret` from a fresh mapping with @prot; -1 on SIGSEGV. */
static int run_code(int prot, int prot2)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int r = -1;

    if (code == MAP_FAILED) {
        return -2;
    }
    code[0] = 0x02a00513;
    code[1] = 0x00008067;
    CHECK(mprotect(code, 4096, prot) == 0);
    if (prot2 >= 0) {
        CHECK(mprotect(code, 4096, prot2) == 0);
    }
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    signal(SIGSEGV, on_segv);
    if (sigsetjmp(env, 1) == 0) {
        r = ((int (*)(void))code)();
    }
    signal(SIGSEGV, SIG_DFL);
    munmap(code, 4096);
    return r;
}

/* /proc/self/personality: "%08x\n", the value in hex. */
static long proc_personality(void)
{
    FILE *f = fopen("/proc/self/personality", "r");
    unsigned v = 0;
    int n = f ? fscanf(f, "%x", &v) : 0;

    if (f) {
        fclose(f);
    }
    return n == 1 ? (long)v : -1;
}

/* UNAME26: release "6.18.44-x" reads "2.6.78-x" (Linux's override_release) */
static void test_uname26(void)
{
    struct utsname u0, u1;
    char want[80];
    const char *rest;
    int ndots = 0;

    CHECK(uname(&u0) == 0);
    for (rest = u0.release; *rest; rest++) {
        if ((*rest == '.' && ++ndots >= 3) ||
            (!isdigit((unsigned char)*rest) && *rest != '.')) {
            break;
        }
    }
    snprintf(want, sizeof(want), "2.6.%lu%s",
             strtoul(strchr(u0.release, '.') + 1, NULL, 10) + 60, rest);
    personality(UNAME26);
    CHECK(uname(&u1) == 0);
    CHECK(strcmp(u1.release, want) == 0);
    CHECK(strcmp(u1.machine, u0.machine) == 0);
    personality(ADDR_NO_RANDOMIZE);
    CHECK(uname(&u1) == 0 && strcmp(u1.release, u0.release) == 0);
}

static void test_personality(void)
{
    unsigned p0 = personality(0xffffffff);

    CHECK(!(p0 & READ_IMPLIES_EXEC));
    CHECK(run_code(PROT_READ | PROT_WRITE, -1) == -1);
    CHECK(personality(p0 | READ_IMPLIES_EXEC) == (int)p0);
    CHECK(personality(0xffffffff) == (int)(p0 | READ_IMPLIES_EXEC));
    CHECK(syscall(SYS_personality, 0x1fffffffful) == (p0 | READ_IMPLIES_EXEC));
    CHECK(run_code(PROT_READ | PROT_WRITE, -1) == 42);
    CHECK(run_code(PROT_NONE, PROT_READ) == 42);
    CHECK(run_code(PROT_WRITE, -1) == -1); /* no PROT_READ: nothing added */
    CHECK(personality(p0) == (int)(p0 | READ_IMPLIES_EXEC));
    CHECK(run_code(PROT_READ | PROT_WRITE, -1) == -1);
    /* the upper half of the argument is dropped */
    CHECK(syscall(SYS_personality, 0x100000000ul | ADDR_NO_RANDOMIZE) == p0);
    CHECK(personality(0xffffffff) == ADDR_NO_RANDOMIZE);
    CHECK(proc_personality() == ADDR_NO_RANDOMIZE);
    test_uname26();
    /* would change ctcg's own layout if passed to the host */
    CHECK(personality(ADDR_LIMIT_32BIT | ADDR_COMPAT_LAYOUT | MMAP_PAGE_ZERO) ==
          ADDR_NO_RANDOMIZE);
    CHECK(run_code(PROT_READ | PROT_EXEC, -1) == 42);
    personality(p0);
    printf("personality ok\n");
}

/* Execs @path with persona @p set; returns what the new program reads. */
static long exec_persona(const char *path, unsigned p)
{
    char fdarg[16], *argv[] = {"sc_seccomp", "persona", fdarg, NULL};
    extern char **environ;
    unsigned v = 0;
    int fds[2], st = -1, n;
    pid_t pid;
    FILE *f;

    CHECK(pipe(fds) == 0);
    snprintf(fdarg, sizeof(fdarg), "%d", fds[1]);
    pid = fork();
    if (pid == 0) {
        close(fds[0]);
        personality(p);
        execve(path, argv, environ);
        _exit(100);
    }
    close(fds[1]);
    f = fdopen(fds[0], "r");
    n = f ? fscanf(f, "%x", &v) : 0;
    if (f) {
        fclose(f);
    }
    waitpid(pid, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    return n == 1 ? (long)v : -1;
}

/* A set-user-ID copy of this program owned by uid 1 (root only). */
static void test_persona_setid(const char *self)
{
    char copy[] = "/tmp/sc_seccomp_XXXXXX", buf[65536];
    unsigned keep = UNAME26 | SHORT_INODE, clear = PER_CLEAR_ON_SETID;
    struct statvfs vfs;
    int in, out;
    ssize_t n;

    if (geteuid() != 0) {
        printf("persona set-id: skipped (not root)\n");
        return;
    }
    in = open(self, O_RDONLY);
    out = mkstemp(copy);
    CHECK(in >= 0 && out >= 0);
    while ((n = read(in, buf, sizeof(buf))) > 0) {
        CHECK(write(out, buf, n) == n);
    }
    close(in);
    CHECK(fchown(out, 1, 1) == 0 && fchmod(out, 04755) == 0);
    close(out);
    /* Linux ignores the bit on a nosuid mount: nothing is cleared. */
    if (statvfs(copy, &vfs) == 0 && (vfs.f_flag & ST_NOSUID)) {
        clear = 0;
    }
    CHECK(exec_persona(copy, keep | READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE |
                                 ADDR_COMPAT_LAYOUT) ==
          (long)((keep | READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE |
                  ADDR_COMPAT_LAYOUT) &
                 ~clear));
    unlink(copy);
}

static void test_persona_exec(void)
{
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

    CHECK(n > 0);
    self[n > 0 ? n : 0] = 0;
    CHECK(exec_persona(self, 0) == 0);
    /* the PER_MASK byte is reset, the flags stay */
    CHECK(exec_persona(self, PER_BSD | UNAME26 | READ_IMPLIES_EXEC |
                                 ADDR_NO_RANDOMIZE) ==
          (UNAME26 | READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE));
    CHECK(exec_persona(self, PER_SVR4) == (PER_SVR4 & ~PER_MASK));
    /* PER_LINUX32 is kept whole */
    CHECK(exec_persona(self, PER_LINUX32 | SHORT_INODE) ==
          (PER_LINUX32 | SHORT_INODE));
    test_persona_setid(self);
    printf("personality across execve ok\n");
}

static void test_seccomp_args(void)
{
    struct sock_filter insn = BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog prog = {1, &insn};
    uint32_t action = SECCOMP_RET_ALLOW;
    uint16_t sizes[3] = {0};

    CHECK(prctl(PR_GET_SECCOMP, 0, 0, 0, 0) == 0);
    CHECK_ERR(syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 1, NULL), EINVAL);
    CHECK_ERR(syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, &prog), EINVAL);
    CHECK_ERR(prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, &prog, 0, 0), EINVAL);
    CHECK_ERR(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog), EINVAL);
    CHECK_ERR(prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0), EINVAL);
    CHECK_ERR(prctl(PR_SET_SECCOMP, 7, 0, 0, 0), EINVAL);
    CHECK_ERR(syscall(SYS_seccomp, 99, 0, NULL), EINVAL);
    CHECK(syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0);
    action = 0x12345678;
    CHECK_ERR(syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action),
              EOPNOTSUPP);
    CHECK_ERR(syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, NULL), EFAULT);
    CHECK(syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, sizes) == 0);
    CHECK(sizes[0] > 0 && sizes[1] > 0 && sizes[2] > 0);
    printf("seccomp arguments ok\n");
}

/* A thread that enters strict mode, writes, and calls getpid. */
static void *strict_thread(void *arg)
{
    int *fds = arg;

    if (syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL) != 0) {
        return NULL;
    }
    syscall(SYS_write, fds[1], "t", 1);
    syscall(SYS_getpid); /* ends this thread */
    syscall(SYS_write, fds[1], "X", 1);
    return NULL;
}

/* In a child: strict mode, then @how: 0 getpid, 1 exit(7), 2 a thread. */
static void strict_child(int how, int *fds)
{
    pthread_t t;

    if (how == 2) {
        pthread_create(&t, NULL, strict_thread, fds);
        pthread_join(t, NULL);
        write(fds[1], "m", 1);
        _exit(0);
    }
    if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT, 0, 0, 0) != 0) {
        _exit(2);
    }
    syscall(SYS_write, fds[1], "s", 1);
    if (how == 1) {
        syscall(SYS_exit, 7);
    }
    syscall(SYS_getpid); /* killed here */
    syscall(SYS_write, fds[1], "X", 1);
    syscall(SYS_exit, 3);
}

static void test_strict(void)
{
    const char *want[] = {"s", "s", "tm"};

    for (int how = 0; how < 3; how++) {
        int fds[2], st = 0;
        char buf[8] = {0};
        pid_t pid;

        CHECK(pipe(fds) == 0);
        pid = fork();
        if (pid == 0) {
            close(fds[0]);
            strict_child(how, fds);
        }
        close(fds[1]);
        CHECK(read(fds[0], buf, sizeof(buf) - 1) >= 1);
        if (how == 2 && strlen(buf) < 2) {
            read(fds[0], buf + strlen(buf), sizeof(buf) - 1 - strlen(buf));
        }
        close(fds[0]);
        CHECK(waitpid(pid, &st, 0) == pid);
        CHECK(strcmp(buf, want[how]) == 0);
        if (how == 0) {
            CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
        } else {
            CHECK(WIFEXITED(st) && WEXITSTATUS(st) == (how == 1 ? 7 : 0));
        }
    }
    printf("seccomp strict ok\n");
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "persona") == 0) {
        return dprintf(atoi(argv[2]), "%x\n", personality(0xffffffff)) > 0 ? 0
                                                                           : 1;
    }
    test_personality();
    test_persona_exec();
    test_seccomp_args();
    test_strict();
    return guest_done("sc_seccomp");
}
