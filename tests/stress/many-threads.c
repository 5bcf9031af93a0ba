/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Thousands of guest threads (issue 14): the code buffer, signals,
 * exit_group and fork must not break or collapse with the thread count.
 *
 *   many-threads live N        N threads (64 KiB stacks) meet at a barrier,
 *                              then main joins them
 *   many-threads translate N   N threads each write a function of their own
 *                              (distinct code), flush the icache and run it
 *                              until it is hot; half of them exit while the
 *                              others still translate (run with a tiny code
 *                              buffer: flushes while many threads live)
 *   many-threads kill N        N threads wait at a barrier; every thread has
 *                              the handlers; main sends N queued signals
 *                              and one SIGUSR1 to the process: all are
 *                              delivered, exactly once each
 *   many-threads exitgroup N   N threads sleep (one in 256 spins in chained
 *                              TBs); one writes a line, calls exit_group(3)
 *   many-threads fork N        N threads wait at a barrier; main forks, the
 *                              child translates new code and starts threads
 *   many-threads creators N    4 threads create N/4 threads each at once
 *                              (all alive, each takes a signal of its own)
 *                              while main forks 8 children that start
 *                              threads: the host stacks a new thread maps
 *                              for its creator's next clone (thread.c)
 *   many-threads limit N       in a pids cgroup: threads until the host
 *                              refuses one (EAGAIN), then all joined
 *
 * A thread the host refuses (pthread_create EAGAIN) is a skip (exit 77)
 * in live mode, so the slow suite's 16,000 threads skip on small hosts.
 * Output is deterministic (compared with qemu-riscv64).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stress.h"

#define STACK_SIZE (64 * 1024)
#define FN_INSNS 96  /* addi instructions per generated function */
#define FN_RUNS 100  /* calls of it: past the hot threshold (64) */

static int nthreads;
static pthread_barrier_t barrier;
static pthread_attr_t attr;
static uint32_t *code; /* one page of generated code per thread */
static long page_size;

static int spawn(pthread_t *t, void *(*fn)(void *), long i)
{
    return pthread_create(t, &attr, fn, (void *)i);
}

/* ---- translate: distinct code per thread ---------------------------- */

/* addi a0, a0, imm */
static uint32_t insn_addi_a0(int imm)
{
    return ((uint32_t)(imm & 0xfff) << 20) | (10u << 15) | (10u << 7) | 0x13;
}

static int fn_imm(long t, int j)
{
    return (int)((t * 131 + j * 17) % 2000) - 1000;
}

/* Thread @t's function: a0 + the sum of its immediates. */
static uint64_t (*fn_build(long t))(uint64_t)
{
    uint32_t *p = code + (size_t)t * (page_size / 4);

    for (int j = 0; j < FN_INSNS; j++) {
        p[j] = insn_addi_a0(fn_imm(t, j));
    }
    p[FN_INSNS] = 0x00008067; /* ret */
    __builtin___clear_cache((char *)p, (char *)(p + FN_INSNS + 1));
    return (uint64_t(*)(uint64_t))(void *)p;
}

static void *translate_worker(void *arg)
{
    long t = (long)arg;
    uint64_t (*fn)(uint64_t) = fn_build(t);
    int64_t want = 0, got = 0;

    for (int j = 0; j < FN_INSNS; j++) {
        want += fn_imm(t, j);
    }
    if (t % 2 == 0) {
        pthread_barrier_wait(&barrier); /* odd ones exit meanwhile */
    }
    for (int r = 0; r < FN_RUNS; r++) {
        got = (int64_t)fn((uint64_t)r) - r;
        CHECK(got == want, "thread %ld run %d: %lld, want %lld", t, r,
              (long long)got, (long long)want);
    }
    return NULL;
}

static void run_translate(pthread_t *th)
{
    code = mmap(NULL, (size_t)nthreads * page_size,
                PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(code != MAP_FAILED, "mmap: %s", strerror(errno));
    pthread_barrier_init(&barrier, NULL, (nthreads + 1) / 2 + 1);
    for (long i = 0; i < nthreads; i++) {
        CHECK_ERR(spawn(&th[i], translate_worker, i), "pthread_create");
    }
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < nthreads; i++) {
        xjoin(th[i]);
    }
    printf("translate %d: every thread ran its own code\n", nthreads);
}

/* ---- live: a barrier, then join ------------------------------------- */

static void *barrier_worker(void *arg)
{
    pthread_barrier_wait(&barrier);
    return arg;
}

static int run_live(pthread_t *th)
{
    pthread_barrier_init(&barrier, NULL, nthreads + 1);
    for (long i = 0; i < nthreads; i++) {
        int err = spawn(&th[i], barrier_worker, i);

        if (err == EAGAIN) {
            /* The host's limit, not ours: report it, as Linux would. */
            fprintf(stderr, "SKIP: thread %ld refused (EAGAIN)\n", i);
            fflush(stdout);
            _exit(77);
        }
        CHECK_ERR(err, "pthread_create");
    }
    pthread_barrier_wait(&barrier);
    for (long i = 0; i < nthreads; i++) {
        CHECK(xjoin(th[i]) == (void *)i, "thread %ld's result", i);
    }
    printf("live %d: all met and joined\n", nthreads);
    return 0;
}

/* ---- kill: process-directed signals with 2000 handlers -------------- */

static int rt_count, usr1_count;

static void on_rt(int sig)
{
    (void)sig;
    __atomic_fetch_add(&rt_count, 1, __ATOMIC_RELAXED);
}

static void on_usr1(int sig)
{
    (void)sig;
    __atomic_fetch_add(&usr1_count, 1, __ATOMIC_RELAXED);
}

static void wait_count(int *count, int want, const char *what)
{
    int64_t t0 = now_ns(CLOCK_MONOTONIC);

    while (__atomic_load_n(count, __ATOMIC_RELAXED) < want) {
        CHECK(now_ns(CLOCK_MONOTONIC) - t0 < 30000000000ll,
              "%s: %d of %d delivered", what, *count, want);
        usleep(1000);
    }
}

static void run_kill(pthread_t *th)
{
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_rt;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGRTMIN, &sa, NULL);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    pthread_barrier_init(&barrier, NULL, nthreads + 1);
    for (long i = 0; i < nthreads; i++) {
        CHECK_ERR(spawn(&th[i], barrier_worker, i), "pthread_create");
    }
    /* Main takes none: the signals must find the waiting threads. */
    sigemptyset(&block);
    sigaddset(&block, SIGRTMIN);
    sigaddset(&block, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &block, NULL);
    for (int i = 0; i < nthreads; i++) {
        CHECK(kill(getpid(), SIGRTMIN) == 0, "kill: %s", strerror(errno));
    }
    wait_count(&rt_count, nthreads, "SIGRTMIN");
    CHECK(kill(getpid(), SIGUSR1) == 0, "kill: %s", strerror(errno));
    wait_count(&usr1_count, 1, "SIGUSR1");
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < nthreads; i++) {
        xjoin(th[i]);
    }
    CHECK(rt_count == nthreads && usr1_count == 1, "%d SIGRTMIN, %d SIGUSR1",
          rt_count, usr1_count);
    printf("kill %d: %d queued signals and one SIGUSR1 delivered once\n",
           nthreads, rt_count);
}

/* ---- exitgroup: one thread ends everything -------------------------- */

static int started;

static void *exit_worker(void *arg)
{
    long t = (long)arg;
    static const char line[] = "exit_group from one thread\n";
    volatile uint64_t x = (uint64_t)t;

    __atomic_fetch_add(&started, 1, __ATOMIC_RELEASE);
    if (t == nthreads / 2) {
        while (__atomic_load_n(&started, __ATOMIC_ACQUIRE) < nthreads) {
            usleep(1000);
        }
        CHECK(write(1, line, sizeof(line) - 1) == sizeof(line) - 1, "write");
        syscall(SYS_exit_group, 3);
    }
    for (;;) { /* spin (a few) or sleep until the process ends */
        if (t % 256 == 1) {
            x = x * 6364136223846793005ull + 1;
        } else {
            pause(); /* blocked in a syscall when exit_group comes */
        }
    }
    return NULL;
}

static void run_exitgroup(pthread_t *th)
{
    for (long i = 0; i < nthreads; i++) {
        CHECK_ERR(spawn(&th[i], exit_worker, i), "pthread_create");
    }
    for (;;) {
        pause();
    }
}

/* ---- limit: the host refuses a thread -------------------------------- */

static int release;

static void *wait_release(void *arg)
{
    while (!__atomic_load_n(&release, __ATOMIC_ACQUIRE)) {
        usleep(1000);
    }
    return arg;
}

/*
 * Run in a pids cgroup with a small pids.max (run-pids-limit.sh): threads
 * are created until pthread_create fails, which must be EAGAIN (the host's
 * clone error, passed on); then every thread created is joined, and the
 * process can still start one more.
 */
static void run_limit(pthread_t *th)
{
    int n = 0, err = 0;
    pthread_t extra;

    while (n < nthreads && (err = spawn(&th[n], wait_release, n)) == 0) {
        n++;
    }
    CHECK(n < nthreads, "%d threads and no refusal: is pids.max set?", n);
    CHECK(err == EAGAIN, "pthread_create: %s, want EAGAIN", strerror(err));
    __atomic_store_n(&release, 1, __ATOMIC_RELEASE);
    for (long i = 0; i < n; i++) {
        CHECK(xjoin(th[i]) == (void *)i, "thread %ld's result", i);
    }
    /*
     * A joined thread's task may linger a moment after it cleared its tid
     * (on Linux too: the charge goes at release_task, after the clear),
     * so the count can still be at the limit right after the joins.
     */
    for (int tries = 0; (err = spawn(&extra, wait_release, 7)) == EAGAIN &&
                        tries < 2000;
         tries++) {
        usleep(1000);
    }
    CHECK_ERR(err, "pthread_create after joins");
    CHECK(xjoin(extra) == (void *)7, "the extra thread's result");
    printf("limit: pthread_create failed with EAGAIN, every thread joined, "
           "one more ran\n");
}

/* ---- fork: a child of a process with many threads ------------------- */

static void *child_worker(void *arg)
{
    return arg;
}

static int fork_child(void)
{
    pthread_t t[2];
    uint64_t (*fn)(uint64_t);
    int64_t want = 0;

    /* New code in the child: translation works without the others. */
    code = mmap(NULL, page_size, PROT_READ | PROT_WRITE | PROT_EXEC,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        return 10;
    }
    fn = fn_build(0);
    for (int j = 0; j < FN_INSNS; j++) {
        want += fn_imm(0, j);
    }
    for (int r = 0; r < FN_RUNS; r++) {
        if ((int64_t)fn(7) - 7 != want) {
            return 11;
        }
    }
    for (long i = 0; i < 2; i++) {
        if (pthread_create(&t[i], NULL, child_worker, (void *)i) != 0) {
            return 12;
        }
    }
    for (int i = 0; i < 2; i++) {
        void *r;

        if (pthread_join(t[i], &r) != 0 || r != (void *)(long)i) {
            return 13;
        }
    }
    return 0;
}

static void run_fork(pthread_t *th)
{
    int status;
    pid_t pid;

    pthread_barrier_init(&barrier, NULL, nthreads + 1);
    for (long i = 0; i < nthreads; i++) {
        CHECK_ERR(spawn(&th[i], barrier_worker, i), "pthread_create");
    }
    fflush(stdout);
    pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        _exit(fork_child());
    }
    CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
          "child status %#x", status);
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < nthreads; i++) {
        xjoin(th[i]);
    }
    printf("fork %d: the child translated, threaded and exited 0\n",
           nthreads);
}

/* ---- creators: threads from several creators at once, forks --------- */

#define CREATORS 4
#define CREATOR_FORKS 8

static pthread_t *creator_th;
static int usr2_count;

static void on_usr2(int sig)
{
    (void)sig;
    __atomic_fetch_add(&usr2_count, 1, __ATOMIC_RELAXED);
}

static void *signalled_worker(void *arg)
{
    /* A handler on this thread's host stack's signal area. */
    CHECK(pthread_kill(pthread_self(), SIGUSR2) == 0, "pthread_kill");
    pthread_barrier_wait(&barrier);
    return arg;
}

static void *creator(void *arg)
{
    for (long i = (long)arg; i < nthreads; i += CREATORS) {
        CHECK_ERR(spawn(&creator_th[i], signalled_worker, i), "pthread_create");
    }
    return NULL;
}

static void run_creators(pthread_t *th)
{
    pthread_t c[CREATORS];
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_usr2;
    CHECK(sigaction(SIGUSR2, &sa, NULL) == 0, "sigaction");
    creator_th = th;
    pthread_barrier_init(&barrier, NULL, nthreads + 1);
    for (long k = 0; k < CREATORS; k++) {
        CHECK_ERR(pthread_create(&c[k], NULL, creator, (void *)k),
                  "pthread_create");
    }
    fflush(stdout);
    for (int f = 0; f < CREATOR_FORKS; f++) {
        int status;
        pid_t pid = fork();

        CHECK(pid >= 0, "fork: %s", strerror(errno));
        if (pid == 0) {
            _exit(fork_child());
        }
        CHECK(waitpid(pid, &status, 0) == pid, "waitpid: %s", strerror(errno));
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
              "child %d status %#x", f, status);
    }
    for (int k = 0; k < CREATORS; k++) {
        xjoin(c[k]);
    }
    pthread_barrier_wait(&barrier);
    for (long i = 0; i < nthreads; i++) {
        CHECK(xjoin(th[i]) == (void *)i, "thread %ld's result", i);
    }
    CHECK(usr2_count == nthreads, "SIGUSR2 delivered %d times, not %d",
          usr2_count, nthreads);
    printf("creators %d: %d forks, every thread signalled once and joined\n",
           nthreads, CREATOR_FORKS);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "live";
    pthread_t *th;

    nthreads = argc > 2 ? atoi(argv[2]) : 1000;
    CHECK(nthreads > 0, "thread count %d", nthreads);
    page_size = sysconf(_SC_PAGESIZE);
    th = calloc((size_t)nthreads, sizeof(*th));
    CHECK(th != NULL, "calloc");
    pthread_attr_init(&attr);
    pthread_attr_setstacksize(&attr, STACK_SIZE);
    if (strcmp(mode, "live") == 0) {
        return run_live(th);
    } else if (strcmp(mode, "translate") == 0) {
        run_translate(th);
    } else if (strcmp(mode, "kill") == 0) {
        run_kill(th);
    } else if (strcmp(mode, "exitgroup") == 0) {
        run_exitgroup(th);
    } else if (strcmp(mode, "limit") == 0) {
        run_limit(th);
    } else if (strcmp(mode, "fork") == 0) {
        run_fork(th);
    } else if (strcmp(mode, "creators") == 0) {
        run_creators(th);
    } else {
        fprintf(stderr, "unknown mode %s\n", mode);
        return 2;
    }
    return 0;
}
