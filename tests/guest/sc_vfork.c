/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfork and posix_spawn (clone(CLONE_VM | CLONE_VFORK)) with Linux's
 * semantics: the child shares the parent's memory until it execs or exits
 * and the parent waits until then; the child's descriptors, signal
 * dispositions and pid are its own.
 *  - posix_spawn of a missing program fails with ENOENT (glibc's child
 *    writes the exec error into the parent's memory): ctcg used to fork, so
 *    posix_spawn "succeeded" and the child exited 127;
 *  - posix_spawn's file actions (dup2, close, open) and its reset of the
 *    signal handlers act in the child only;
 *  - a vfork child's writes are the parent's; its _exit status, execve of
 *    a host program, of this riscv64 program, of a missing one (errno in
 *    shared memory), a nested vfork; glibc's clone(CLONE_VM | CLONE_VFORK)
 *    on a stack of its own: the tid words, cleared at the child's exit;
 *  - a signal for the parent (sent by the child) waits until the child is
 *    gone; a signal sent to the child runs the child's handler; a child's
 *    sigaction does not change the parent's; a child killed by SIGSEGV,
 *    one killed by SIGKILL while it runs guest code, one that calls exit;
 *  - 1000 vforks while other threads run and translate new code.
 * Run under ctcg only: qemu-riscv64 7.2 turns vfork into fork (the child's
 * writes are lost, posix_spawn of a missing program succeeds).  The
 * expectations were checked against a native x86-64 build of this file.
 */
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

extern char **environ;
static char self[PATH_MAX];

static volatile int shared_var;
static volatile int child_errno;
static volatile sig_atomic_t got_alarm, usr1_count;
static volatile int usr2_count, child_pid_seen, child_seen;

static void on_alarm(int sig)
{
    got_alarm = 1;
}

static void on_usr1(int sig)
{
    usr1_count++;
}

static void on_usr2(int sig)
{
    usr2_count++;
}

static int wait_status(pid_t pid)
{
    int st = -1;

    if (waitpid(pid, &st, 0) != pid) {
        return -1;
    }
    return st;
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

static void test_spawn(void)
{
    char *argv[] = {"x", NULL};
    char *echo[] = {"echo", "hi", NULL};
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    struct sigaction sa;
    char buf[16] = {0};
    int p[2], fdx, st;
    pid_t pid;

    CHECK(posix_spawn(&pid, "/nonexistent/prog", NULL, NULL, argv, environ) ==
          ENOENT);
    CHECK(posix_spawnp(&pid, "no-such-program-sc-vfork", NULL, NULL, argv,
                       environ) == ENOENT);

    /* File actions and the handler reset act in the child only. */
    signal(SIGUSR1, on_usr1);
    CHECK(pipe(p) == 0);
    fdx = fcntl(open("/dev/null", O_RDONLY), F_DUPFD, 20);
    CHECK(fdx >= 20);
    close(7);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    posix_spawn_file_actions_addclose(&fa, fdx);
    posix_spawn_file_actions_addopen(&fa, 7, "/dev/null", O_RDONLY, 0);
    posix_spawnattr_init(&at);
    {
        sigset_t def;

        sigemptyset(&def);
        sigaddset(&def, SIGUSR1);
        posix_spawnattr_setsigdefault(&at, &def);
        posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGDEF);
    }
    CHECK(posix_spawn(&pid, "/bin/echo", &fa, &at, echo, environ) == 0);
    close(p[1]);
    CHECK(read(p[0], buf, sizeof(buf) - 1) == 3 && strcmp(buf, "hi\n") == 0);
    close(p[0]);
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(fcntl(fdx, F_GETFD) >= 0);
    CHECK(fcntl(7, F_GETFD) == -1 && errno == EBADF);
    CHECK(sigaction(SIGUSR1, NULL, &sa) == 0 && sa.sa_handler == on_usr1);
    close(fdx);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    printf("posix_spawn: done\n");
}

static char clone_stack[65536] __attribute__((aligned(16)));

static int clone_child(void *arg)
{
    shared_var = *(int *)arg;
    return 11; /* glibc's clone: the exit syscall */
}

/*
 * glibc's clone with CLONE_VM | CLONE_VFORK on a stack of its own, and the
 * tid words: the child's exec or exit clears its CLONE_CHILD_CLEARTID word
 * (Linux's mm_release: the memory is still the parent's) before the
 * parent goes on.
 */
static void test_clone_vfork(void)
{
    int arg = 31, st;
    pid_t ptid = 0, ctid = 12345, pid;

    shared_var = 0;
    pid = clone(clone_child, clone_stack + sizeof(clone_stack),
                CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID |
                    CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD,
                &arg, &ptid, NULL, &ctid);
    CHECK(pid > 0);
    CHECK(shared_var == 31);
    CHECK(ptid == pid);
    CHECK(ctid == 0);
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 11);
}

static void test_vfork_basic(void)
{
    char *tru[] = {"true", NULL}, *me[] = {self, "exec-child", NULL};
    pid_t pid, parent = getpid();
    int st, cst = -1;

    shared_var = 0;
    pid = vfork();
    if (pid == 0) {
        shared_var = getpid() != parent && getppid() == parent ? 123 : 99;
        _exit(5);
    }
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 5);
    CHECK(shared_var == 123);

    pid = vfork();
    if (pid == 0) {
        execve("/bin/true", tru, environ);
        _exit(126);
    }
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    pid = vfork();
    if (pid == 0) {
        execve(self, me, environ);
        _exit(126);
    }
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 42);

    child_errno = 0;
    pid = vfork();
    if (pid == 0) {
        execve("/nonexistent/prog", tru, environ);
        child_errno = errno;
        _exit(127);
    }
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 127);
    CHECK(child_errno == ENOENT);

    /* A vfork child's own vfork child. */
    shared_var = 0;
    pid = vfork();
    if (pid == 0) {
        pid_t gc = vfork();

        if (gc == 0) {
            shared_var = 7;
            _exit(3);
        }
        waitpid(gc, &cst, 0);
        shared_var = shared_var * 10 + (WIFEXITED(cst) ? WEXITSTATUS(cst) : 9);
        _exit(4);
    }
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 4);
    CHECK(shared_var == 73);
    test_clone_vfork();
    printf("vfork: done\n");
}

/* A helper thread that signals the vfork child once it reports its pid. */
static void *signal_child(void *arg)
{
    for (int i = 0; i < 5000; i++) {
        int pid = __atomic_load_n(&child_pid_seen, __ATOMIC_ACQUIRE);

        if (pid > 0) {
            kill(pid, SIGUSR2);
            return NULL;
        }
        sleep_ms(1);
    }
    return NULL;
}

static volatile unsigned long spin_sink;

/* Another helper: kills the (spinning) vfork child once it runs. */
static void *kill_child(void *arg)
{
    for (int i = 0; i < 5000; i++) {
        int pid = __atomic_load_n(&child_pid_seen, __ATOMIC_ACQUIRE);

        if (pid > 0) {
            sleep_ms(20);
            kill(pid, SIGKILL);
            return NULL;
        }
        sleep_ms(1);
    }
    return NULL;
}

static void test_signals(void)
{
    struct sigaction sa;
    pthread_t t;
    int st;
    pid_t pid;

    /*
     * SIGALRM for the parent, sent by the child while the parent waits in
     * vfork: its handler runs once the vfork returns, not before.
     */
    got_alarm = 0;
    child_seen = -1;
    signal(SIGALRM, on_alarm);
    pid = vfork();
    if (pid == 0) {
        kill(getppid(), SIGALRM);
        sleep_ms(50);
        child_seen = got_alarm; /* the parent's handler has not run */
        _exit(0);
    }
    CHECK(got_alarm == 1);
    CHECK(child_seen == 0);
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* A signal sent to the child runs the (inherited) handler there. */
    usr2_count = 0;
    child_pid_seen = 0;
    signal(SIGUSR2, on_usr2);
    CHECK(pthread_create(&t, NULL, signal_child, NULL) == 0);
    pid = vfork();
    if (pid == 0) {
        __atomic_store_n(&child_pid_seen, getpid(), __ATOMIC_RELEASE);
        for (int i = 0; i < 5000 && usr2_count == 0; i++) {
            sleep_ms(1);
        }
        _exit(usr2_count == 1 ? 7 : 8);
    }
    st = wait_status(pid);
    pthread_join(t, NULL);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
    CHECK(usr2_count == 1);

    /* The child's dispositions and mask are its own. */
    pid = vfork();
    if (pid == 0) {
        sigset_t all;

        signal(SIGUSR2, SIG_IGN);
        signal(SIGALRM, SIG_DFL);
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, NULL);
        _exit(0);
    }
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CHECK(sigaction(SIGUSR2, NULL, &sa) == 0 && sa.sa_handler == on_usr2);
    CHECK(sigaction(SIGALRM, NULL, &sa) == 0 && sa.sa_handler == on_alarm);
    raise(SIGUSR2); /* not blocked in the parent */
    CHECK(usr2_count == 2);

    /* A child killed by another thread of the parent while it runs. */
    child_pid_seen = 0;
    CHECK(pthread_create(&t, NULL, kill_child, NULL) == 0);
    pid = vfork();
    if (pid == 0) {
        __atomic_store_n(&child_pid_seen, getpid(), __ATOMIC_RELEASE);
        for (unsigned long i = 0; i < 4000000000ul; i++) {
            spin_sink = spin_sink * 3 + i;
        }
        _exit(9);
    }
    st = wait_status(pid);
    pthread_join(t, NULL);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);

    /* The exit syscall (not exit_group) ends the child alone. */
    pid = vfork();
    if (pid == 0) {
        syscall(SYS_exit, 6);
        _exit(1);
    }
    st = wait_status(pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 6);

    /* A child killed by SIGSEGV; the parent runs on. */
    pid = vfork();
    if (pid == 0) {
        struct rlimit no_core = {0, 0};
        volatile int *volatile bad = (volatile int *)8;

        setrlimit(RLIMIT_CORE, &no_core);
        *bad = 1;
        _exit(1);
    }
    st = wait_status(pid);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    printf("signals: done\n");
}

/* ---- stress: vfork while other threads run and translate new code ---- */

static volatile int stop_threads;

static void *jit_thread(void *arg)
{
    uint32_t *code = mmap(NULL, 1 << 16, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    unsigned n = 0;
    long bad = 0;

    if (code == MAP_FAILED) {
        return (void *)1L;
    }
#ifndef __riscv
    /* a native run of this file: no riscv64 code to make */
    munmap(code, 1 << 16);
    return NULL;
#endif
    while (!__atomic_load_n(&stop_threads, __ATOMIC_ACQUIRE)) {
        unsigned slot = (n * 2) % (1 << 14), val = n % 2000;
        int (*fn)(void) = (int (*)(void))(code + slot);

        code[slot] = val << 20 | 10 << 7 | 0x13; /* addi a0, zero, val */
        code[slot + 1] = 0x00008067;             /* ret */
        __builtin___clear_cache((char *)(code + slot),
                                (char *)(code + slot + 2));
        bad += fn() != (int)val;
        n++;
    }
    munmap(code, 1 << 16);
    return (void *)bad;
}

static void *spin_thread(void *arg)
{
    unsigned long x = 1;

    while (!__atomic_load_n(&stop_threads, __ATOMIC_ACQUIRE)) {
        for (int i = 0; i < 1000; i++) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
        }
    }
    return (void *)(uintptr_t)(x == 0);
}

static void test_stress(void)
{
    char *tru[] = {"true", NULL};
    pthread_t t[2];
    int bad = 0;
    void *r;

    CHECK(pthread_create(&t[0], NULL, jit_thread, NULL) == 0);
    CHECK(pthread_create(&t[1], NULL, spin_thread, NULL) == 0);
    for (int i = 0; i < 1000; i++) {
        int st;
        pid_t pid;

        shared_var = 0;
        pid = vfork();
        if (pid == 0) {
            if (i % 50 == 0) {
                execve("/bin/true", tru, environ);
                _exit(126);
            }
            shared_var = i + 1;
            _exit(i & 0x7f);
        }
        st = wait_status(pid);
        if (i % 50 == 0) {
            bad += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        } else {
            bad += !(WIFEXITED(st) && WEXITSTATUS(st) == (i & 0x7f) &&
                     shared_var == i + 1);
        }
    }
    __atomic_store_n(&stop_threads, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 2; i++) {
        pthread_join(t[i], &r);
        bad += r != NULL;
    }
    CHECK(bad == 0);
    printf("stress: done\n");
}

int main(int argc, char **argv)
{
    ssize_t n;

    if (argc > 1 && strcmp(argv[1], "exec-child") == 0) {
        return 42;
    }
    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    CHECK(n > 0);
    self[n > 0 ? n : 0] = 0;
    test_spawn();
    test_vfork_basic();
    test_signals();
    test_stress();
    return guest_done("sc_vfork");
}
