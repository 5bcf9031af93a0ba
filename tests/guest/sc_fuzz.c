/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Syscall-layer fuzzer (issue 15): random system calls with random
 * arguments must never crash or hang ctcg, and must never reach the
 * emulator's own descriptors or threads.
 *
 * Two phases:
 *  1. EFAULT table (deterministic): calls whose one pointer argument
 *     points outside guest memory (the top of the 2^38 guest space,
 *     across it, the emulator's own host addresses, kernel addresses) or
 *     at an unmapped guest page must fail with EFAULT.
 *  2. Random batches: each batch runs in a forked child (its own session,
 *     stdout on /dev/null, stderr in a file, in a scratch directory, as
 *     uid/gid 65534 when run as root so that no call can damage the host)
 *     that makes SCFUZZ_CALLS calls drawn from the seed SCFUZZ_SEED:
 *     numbers 0-463 and beyond, arguments small, random, pointers into a
 *     scratch arena, across its edge into a PROT_NONE page, beyond the
 *     guest space and at host addresses, file descriptors (valid, bad,
 *     the emulator's), paths (relative names, /proc/self/..., unterminated
 *     strings), flags, huge sizes.  Calls that would end the batch or
 *     reach outside it are left out or tamed (exit*, execve*, clone*,
 *     rt_sigreturn, reboot, ptrace, sync, clock setting; kill-family
 *     calls only signal the child itself with harmless signals;
 *     rt_sigaction only reads; RLIMIT_FSIZE is not set (the host's limit
 *     binds ctcg's log file too: docs/syscalls.md); fallocate gets at
 *     most 16 MiB (FALLOC_FL_KEEP_SIZE is not bound by RLIMIT_FSIZE);
 *     descriptors 0-2 are not closed or replaced; address-changing calls
 *     (munmap, mremap, mmap MAP_FIXED, mprotect, madvise, shmat/shmdt,
 *     ...) only get the scratch area or addresses outside the guest).
 *     After the batch the child checks that the emulator still works: a
 *     marker faccessat() must reach ctcg's -strace log (meson runs this
 *     test with CTCG_STRACE=1 and CTCG_LOG_FILENAME: a guest that took
 *     over the log's descriptor number would get it instead), a thread
 *     starts and joins, and rewritten code runs its new version.
 *     The parent fails the run when a child died with ctcg's internal
 *     error message, a host fault signal without the "uncaught target
 *     signal" line (an emulator crash, not a guest one), an assertion,
 *     a failed check, or hung after its calls; a child that blocks in a
 *     call (read, futex, ...) is killed after 3 s and counted.
 *
 * Environment: SCFUZZ_SEED (default 1), SCFUZZ_BATCHES (default 12),
 * SCFUZZ_CALLS (default 150 per batch), SCFUZZ_FIRST (the first batch's
 * number: a batch's calls depend only on the seed and it),
 * SCFUZZ_VERBOSE=1 prints each call to the batch's stderr file,
 * SCFUZZ_KEEP=1 keeps the scratch directory (and those files).
 * Long run: see docs/testing.md, "syscall fuzzing".
 * Run under ctcg only: the random calls differ between emulators.
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

#define TOP (1ull << 38)
#define PG 4096ul
#define ARENA_PAGES 16
#define NR_MAX 464

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    rng_state = x;
    return x * 0x2545f4914f6cdd1dull;
}

static uint64_t rnd_below(uint64_t n)
{
    return n ? rnd() % n : 0;
}

static unsigned long env_num(const char *name, unsigned long def)
{
    const char *v = getenv(name);

    return v && *v ? strtoul(v, NULL, 0) : def;
}

/* Addresses no guest access may reach. */
static const uint64_t bad_ptrs[] = {
    TOP,     /* the first address above the guest space */
    TOP - 8, /* across its top */
    TOP + PG,
    1ull << 46,
    0x555555554000ull,     /* where a PIE emulator's image would be */
    0x7ffff7dd0000ull,     /* host libraries */
    0x7ffffffde000ull,     /* the host stack */
    0xffff800000000000ull, /* kernel addresses */
    0xfffffffffffff000ull,
    ~0ull - 7,
};

/* ------------------------------------------------------------------ */
/* Phase 1: EFAULT table                                              */
/* ------------------------------------------------------------------ */

struct efault_case {
    const char *name;
    long nr;
    long a[6];
    int ptr_arg; /* which argument gets the bad pointer */
};

static int zero_fd, pipe_wr, dir_fd;

static void efault_table(void)
{
    static const char exe[] = "/proc/self/exe", root[] = "/";
    static uint64_t u64[64];
    static struct timespec ts;
    struct efault_case cases[] = {
        {"read", SYS_read, {zero_fd, 0, 16}, 1},
        {"write", SYS_write, {pipe_wr, 0, 16}, 1},
        {"pread64", SYS_pread64, {zero_fd, 0, 16, 0}, 1},
        {"readv", SYS_readv, {zero_fd, 0, 1}, 1},
        {"getcwd", SYS_getcwd, {0, 256}, 0},
        {"fstat", SYS_fstat, {zero_fd, 0}, 1},
        {"newfstatat path", SYS_newfstatat, {AT_FDCWD, 0, (long)u64, 0}, 1},
        {"newfstatat buf", SYS_newfstatat, {AT_FDCWD, (long)root, 0, 0}, 2},
        {"openat", SYS_openat, {AT_FDCWD, 0, O_RDONLY}, 1},
        {"readlinkat", SYS_readlinkat, {AT_FDCWD, (long)exe, 0, 64}, 2},
        {"statfs", SYS_statfs, {(long)root, 0}, 1},
        {"getdents64", SYS_getdents64, {dir_fd, 0, 4096}, 1},
        {"uname", SYS_uname, {0}, 0},
        {"clock_gettime", SYS_clock_gettime, {CLOCK_MONOTONIC, 0}, 1},
        {"clock_getres", SYS_clock_getres, {CLOCK_MONOTONIC, 0}, 1},
        {"gettimeofday", SYS_gettimeofday, {0, 0}, 0},
        {"nanosleep", SYS_nanosleep, {0, 0}, 0},
        {"getitimer", SYS_getitimer, {ITIMER_REAL, 0}, 1},
        {"prlimit64", SYS_prlimit64, {0, RLIMIT_NOFILE, 0, 0}, 3},
        {"getrlimit", SYS_getrlimit, {RLIMIT_NOFILE, 0}, 1},
        {"sysinfo", SYS_sysinfo, {0}, 0},
        {"times", SYS_times, {0}, 0},
        {"getrusage", SYS_getrusage, {RUSAGE_SELF, 0}, 1},
        {"pipe2", SYS_pipe2, {0, 0}, 0},
        {"socketpair", SYS_socketpair, {AF_UNIX, SOCK_STREAM, 0, 0}, 3},
        {"getrandom", SYS_getrandom, {0, 16, 0}, 0},
        {"rt_sigprocmask set", SYS_rt_sigprocmask, {SIG_BLOCK, 0, 0, 8}, 1},
        {"rt_sigprocmask old", SYS_rt_sigprocmask, {SIG_BLOCK, 0, 0, 8}, 2},
        {"rt_sigaction", SYS_rt_sigaction, {SIGUSR1, 0, 0, 8}, 1},
        {"rt_sigaction old", SYS_rt_sigaction, {SIGUSR1, 0, 0, 8}, 2},
        {"rt_sigpending", SYS_rt_sigpending, {0, 8}, 0},
        {"sigaltstack", SYS_sigaltstack, {0, 0}, 0},
        {"sched_getaffinity", SYS_sched_getaffinity, {0, 128, 0}, 2},
        {"sched_getparam", SYS_sched_getparam, {0, 0}, 1},
        {"getcpu", SYS_getcpu, {0, 0, 0}, 0},
        {"getresuid", SYS_getresuid, {0, (long)u64, (long)(u64 + 1)}, 0},
        {"ppoll", SYS_ppoll, {0, 1, (long)&ts, 0, 8}, 0},
        {"futex", SYS_futex, {0, 1 /* FUTEX_WAKE */, 1}, 0},
        {"mincore", SYS_mincore, {(long)u64 & ~(PG - 1), PG, 0}, 2},
        {"capget", SYS_capget, {0, 0}, 0},
    };
    unsigned nbad = sizeof(bad_ptrs) / sizeof(bad_ptrs[0]), n = 0;

    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (unsigned b = 0; b < nbad; b++) {
            long a[6];

            if (bad_ptrs[b] == TOP - 8) {
                continue; /* only bad for accesses over 8 bytes */
            }
            long r;
            memcpy(a, cases[i].a, sizeof(a));
            a[cases[i].ptr_arg] = (long)bad_ptrs[b];
            errno = 0;
            r = syscall(cases[i].nr, a[0], a[1], a[2], a[3], a[4], a[5]);
            if (r != -1 || errno != EFAULT) {
                fprintf(stderr, "%s with %#lx: %ld errno %d, want EFAULT\n",
                        cases[i].name, (unsigned long)bad_ptrs[b], r, errno);
                guest_failures++;
            }
            n++;
        }
    }
    printf("efault table: %s\n", guest_failures ? "FAIL" : "ok");
}

/* ------------------------------------------------------------------ */
/* Phase 2: random batches                                            */
/* ------------------------------------------------------------------ */

/* Shared with the parent: where the child is. */
struct shared {
    volatile int phase; /* 0 calls, 1 checks, 2 done */
    volatile long nr;   /* the call in progress */
    volatile long calls;
};

struct fuzz {
    char *arena;   /* ARENA_PAGES writable pages, then a PROT_NONE one */
    char *marena;  /* pages that address-changing calls may get */
    char *strings; /* a page of NUL-terminated paths */
    char *paths[16];
    int npaths;
    int fds[12];
    int nfds;
};

static struct shared *shm;
static bool verbose_reap;
static struct fuzz fz;

/* Calls never made: they end the batch, or reach outside it. */
static bool nr_skipped(long nr)
{
    switch (nr) {
    case SYS_exit:
    case SYS_exit_group:
    case SYS_execve:
    case SYS_execveat:
    case SYS_clone:
    case SYS_clone3:
    case SYS_rt_sigreturn:
    case SYS_reboot:
    case SYS_ptrace:
    case SYS_sync:
    case SYS_vhangup:
    case SYS_settimeofday: /* EPERM unprivileged; never move the clock */
    case SYS_clock_settime:
    case SYS_adjtimex:
    case SYS_clock_adjtime:
        return true;
    default:
        return false;
    }
}

/* Does @nr change the address space at its first argument? */
static bool nr_maps(long nr)
{
    switch (nr) {
    case SYS_munmap:
    case SYS_mremap:
    case SYS_mprotect:
    case SYS_madvise:
    case SYS_mlock:
    case SYS_munlock:
    case SYS_mlock2:
    case SYS_msync:
    case SYS_remap_file_pages:
    case SYS_pkey_mprotect:
    case SYS_mbind:
    case SYS_shmdt:
    case SYS_brk:
    case 462: /* mseal */
        return true;
    default:
        return false;
    }
}

static uint64_t arena_ptr(void)
{
    return (uint64_t)(uintptr_t)fz.arena + rnd_below(ARENA_PAGES * PG);
}

static uint64_t map_addr(void)
{
    /* Not the top pages of the guest space: ctcg's stack is there. */
    switch (rnd_below(3)) {
    case 0:
        return bad_ptrs[rnd_below(sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))];
    default:
        return (uint64_t)(uintptr_t)fz.marena + PG * rnd_below(8) +
               (rnd_below(8) == 0 ? rnd_below(PG) : 0);
    }
}

/*
 * A length for an address-changing call at map_addr(): within the scratch
 * area, unless so large that start + length wraps (the EINVAL path).
 */
static void map_len(uint64_t *len)
{
    if (*len < (1ull << 63)) {
        *len %= 9 * PG;
    }
}

static uint64_t rnd_fd(void)
{
    static const long odd[] = {-1,   -100 /* AT_FDCWD */, 0, 1, 2,
                               1000, 0x7fffffff,          -2};

    switch (rnd_below(3)) {
    case 0:
        return (uint64_t)odd[rnd_below(sizeof(odd) / sizeof(odd[0]))];
    case 1:
        return 3 + rnd_below(20);
    default:
        return (uint64_t)fz.fds[rnd_below(fz.nfds)];
    }
}

static uint64_t rnd_arg(void)
{
    static const uint64_t huge[] = {1ull << 63, ~0ull,      0x7fffffff,
                                    0xffffffff, 1ull << 40, 4096 * 1024,
                                    1ull << 32};

    switch (rnd_below(10)) {
    case 0:
        return rnd_below(17);
    case 1:
        return rnd();
    case 2:
        return arena_ptr();
    case 3: /* across the arena's end into its PROT_NONE page */
        return (uint64_t)(uintptr_t)fz.arena + ARENA_PAGES * PG - rnd_below(64);
    case 4:
        return bad_ptrs[rnd_below(sizeof(bad_ptrs) / sizeof(bad_ptrs[0]))];
    case 5:
        return rnd_fd();
    case 6:
        return (uint64_t)(uintptr_t)fz.paths[rnd_below(fz.npaths)];
    case 7:
        return (1ull << rnd_below(32)) | (rnd_below(2) ? rnd_below(8) : 0);
    case 8:
        return huge[rnd_below(sizeof(huge) / sizeof(huge[0]))];
    default:
        return (uint64_t) - (int64_t)(1 + rnd_below(10));
    }
}

/* Calls that convert structures or take descriptors: drawn more often. */
static const long hot_nrs[] = {
    SYS_dup3,
    SYS_close,
    SYS_close_range,
    SYS_fcntl,
    SYS_ioctl,
    SYS_read,
    SYS_write,
    SYS_readv,
    SYS_writev,
    SYS_pread64,
    SYS_preadv2,
    SYS_openat,
    SYS_mmap,
    SYS_munmap,
    SYS_mremap,
    SYS_madvise,
    SYS_brk,
    SYS_prctl,
    SYS_process_vm_readv,
    SYS_process_vm_writev,
    SYS_set_tid_address,
    SYS_set_robust_list,
    SYS_sigaltstack,
    SYS_rt_sigprocmask,
    SYS_futex,
    SYS_ppoll,
    SYS_pselect6,
    SYS_epoll_pwait,
    SYS_recvmsg,
    SYS_sendmsg,
    SYS_getdents64,
    SYS_newfstatat,
    SYS_statx,
    SYS_readlinkat,
    SYS_prlimit64,
    SYS_personality,
    SYS_seccomp,
    SYS_shmat,
    SYS_msgrcv,
    SYS_semop,
    SYS_timer_create,
    SYS_signalfd4,
    SYS_rt_sigtimedwait,
    SYS_wait4,
    SYS_waitid,
    SYS_getsockopt,
    SYS_setsockopt,
    SYS_sendmmsg,
    SYS_recvmmsg,
};

static long rnd_nr(void)
{
    for (;;) {
        long nr;

        switch (rnd_below(16)) {
        case 2:
        case 3:
        case 4:
            nr = hot_nrs[rnd_below(sizeof(hot_nrs) / sizeof(hot_nrs[0]))];
            break;
        case 0:
            nr = (long)(NR_MAX + rnd_below(600));
            break;
        case 1:
            nr = (long)(rnd() >> 1);
            break;
        default:
            nr = (long)rnd_below(NR_MAX);
            break;
        }
        if (!nr_skipped(nr)) {
            return nr;
        }
    }
}

/* Make the call's arguments safe for the test's own process. */
static void tame(long nr, uint64_t *a)
{
    static const int harmless[] = {0, SIGURG, SIGWINCH, SIGCHLD};
    int sig = harmless[rnd_below(4)];

    if (nr_maps(nr)) {
        a[0] = map_addr();
        map_len(&a[1]);
    }
    switch (nr) {
    case SYS_mmap:
        if (a[3] & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
            a[0] = map_addr();
            map_len(&a[1]);
        }
        break;
    case SYS_mremap:
        if (a[3] & MREMAP_FIXED) {
            a[4] = map_addr();
        }
        break;
    case SYS_shmat:
        a[1] = rnd_below(2) ? 0 : map_addr();
        break;
    case SYS_kill:
        a[0] = rnd_below(2) ? 0 : (uint64_t)getpid();
        a[1] = (uint64_t)sig;
        break;
    case SYS_tkill:
        a[0] = (uint64_t)gettid();
        a[1] = (uint64_t)sig;
        break;
    case SYS_tgkill:
        a[0] = (uint64_t)getpid();
        a[1] = (uint64_t)gettid();
        a[2] = (uint64_t)sig;
        break;
    case SYS_rt_sigqueueinfo:
        a[0] = (uint64_t)getpid();
        a[1] = (uint64_t)sig;
        break;
    case SYS_rt_tgsigqueueinfo:
        a[0] = (uint64_t)getpid();
        a[1] = (uint64_t)gettid();
        a[2] = (uint64_t)sig;
        break;
    case SYS_pidfd_send_signal:
        a[1] = (uint64_t)sig;
        break;
    case SYS_rt_sigaction:
        a[1] = 0; /* read only: a random handler would run random code */
        break;
    case SYS_close:
    case SYS_dup3:
        if ((int)a[nr == SYS_close ? 0 : 1] < 3) {
            a[nr == SYS_close ? 0 : 1] = 3 + rnd_below(20);
        }
        break;
    case SYS_close_range:
        if ((unsigned)a[0] < 3) {
            a[0] = 3;
        }
        break;
    case SYS_fcntl: /* F_DUPFD is fine; no O_ASYNC owner games on 0-2 */
        if ((int)a[0] < 3) {
            a[0] = 3;
        }
        break;
    case SYS_fallocate:         /* FALLOC_FL_KEEP_SIZE escapes RLIMIT_FSIZE: */
        a[3] &= (1u << 24) - 1; /* one call filled the disk (72 GB) */
        break;
    case SYS_setrlimit:
    case SYS_prlimit64: /* RLIMIT_FSIZE binds ctcg's log too: not that */
        if (a[nr == SYS_setrlimit ? 0 : 1] == RLIMIT_FSIZE) {
            a[nr == SYS_setrlimit ? 0 : 1] = RLIMIT_CORE;
        }
        break;
    case SYS_prctl:
        if (a[0] == 1 /* PR_SET_PDEATHSIG */ || a[0] == 36 /* SUBREAPER */) {
            a[0] = 0;
        }
        break;
    default:
        break;
    }
}

static void setup_arena(void)
{
    static const char *const names[] = {
        "f0",
        "f1",
        "d0",
        "d0/f2",
        "l0",
        ".",
        "",
        "/proc/self/mem",
        "/proc/self/maps",
        "/proc/self/fd/3",
        "/proc/self/exe",
        "/dev/null",
        "/proc/self/task",
        "/proc/self/stat",
    };
    char *p;
    int i;

    fz.arena = mmap(NULL, (ARENA_PAGES + 1) * PG, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fz.marena = mmap(NULL, 8 * PG, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fz.strings = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (fz.arena == MAP_FAILED || fz.marena == MAP_FAILED ||
        fz.strings == MAP_FAILED) {
        perror("mmap");
        exit(2);
    }
    mprotect(fz.arena + ARENA_PAGES * PG, PG, PROT_NONE);
    mprotect(fz.strings + PG, PG, PROT_NONE);
    for (i = 0; i < ARENA_PAGES * (int)(PG / 8); i++) {
        ((uint64_t *)fz.arena)[i] = rnd() & 0xff00ff7f7f00ff7full;
    }
    p = fz.strings;
    for (i = 0; i < (int)(sizeof(names) / sizeof(names[0])); i++) {
        fz.paths[fz.npaths++] = p;
        strcpy(p, names[i]);
        p += strlen(names[i]) + 1;
    }
    fz.paths[fz.npaths++] = p; /* a long relative name */
    memset(p, 'n', 300);
    p[300] = 0;
    /* unterminated: runs into the PROT_NONE page */
    p = fz.strings + PG - 5;
    memcpy(p, "abcde", 5);
    fz.paths[fz.npaths++] = p;
}

static void setup_fds(void)
{
    int pfd[2], sv[2];

    fz.nfds = 0;
    fz.fds[fz.nfds++] = open("f0", O_RDWR | O_CREAT, 0666);
    fz.fds[fz.nfds++] = open(".", O_RDONLY | O_DIRECTORY);
    if (pipe(pfd) == 0) {
        fz.fds[fz.nfds++] = pfd[0];
        fz.fds[fz.nfds++] = pfd[1];
    }
    if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0, sv) == 0) {
        fz.fds[fz.nfds++] = sv[0];
        fz.fds[fz.nfds++] = sv[1];
    }
    fz.fds[fz.nfds++] = open("/proc/self/mem", O_RDWR);
    fz.fds[fz.nfds++] = open("/dev/zero", O_RDONLY);
}

static void *thread_fn(void *arg)
{
    return (char *)arg + 1;
}

/* Rewritten code runs its new version (the translator and its caches). */
static int check_code(void)
{
    /* li a0, N ; ret */
    uint32_t *code = mmap(NULL, PG, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int r1, r2;

    if (code == MAP_FAILED) {
        return -1;
    }
    code[0] = 0x00100513; /* li a0, 1 */
    code[1] = 0x00008067; /* ret */
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    r1 = ((int (*)(void))code)();
    code[0] = 0x00200513; /* li a0, 2 */
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    r2 = ((int (*)(void))code)();
    return r1 == 1 && r2 == 2 ? 0 : 1;
}

/* After the batch: does the emulator still work?  0 ok, 3 bad, 4 unknown */
static int child_checks(unsigned batch)
{
    char marker[64];
    pthread_t t;
    void *ret = NULL;
    int code, status = 0;

    shm->phase = 1;
    /* Logged by -strace: the parent looks for it in ctcg's log. */
    snprintf(marker, sizeof(marker), "/scfuzz-marker-%u", batch);
    syscall(SYS_faccessat, AT_FDCWD, marker, F_OK, 0);
    if (pthread_create(&t, NULL, thread_fn, marker) != 0) {
        status = 4;
    } else if (pthread_join(t, &ret) != 0 || ret != marker + 1) {
        fprintf(stderr, "batch %u: thread join failed\n", batch);
        return 3;
    }
    code = check_code();
    if (code > 0) {
        fprintf(stderr, "batch %u: stale code ran\n", batch);
        return 3;
    }
    return code < 0 ? 4 : status;
}

static void on_alarm(int sig)
{
    (void)sig;
}

static void __attribute__((noreturn))
child_run(unsigned batch, int err_fd, unsigned ncalls, bool verbose)
{
    struct sigaction sa = {.sa_handler = SIG_IGN};
    /* SCFUZZ_TICK_US: the cut-off for one call (default 50 ms) */
    const struct itimerval tick = {{0, 0},
                                   {0, (long)env_num("SCFUZZ_TICK_US", 50000)}};
    sigset_t alrm;
    int null_fd = open("/dev/null", O_RDWR);

    sigemptyset(&alrm);

    setsid();
    dup2(null_fd, 0);
    dup2(null_fd, 1);
    dup2(err_fd, 2);
    close(null_fd);
    close(err_fd);
    sigaction(SIGXFSZ, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    setrlimit(RLIMIT_FSIZE, &(struct rlimit){1 << 24, 1 << 24});
    setrlimit(RLIMIT_NOFILE, &(struct rlimit){256, 256});
    if (getuid() == 0 &&
        (setgroups(0, NULL) != 0 || setresgid(65534, 65534, 65534) != 0 ||
         setresuid(65534, 65534, 65534) != 0)) {
        perror("dropping root");
        _exit(5);
    }
    setup_fds();
    /*
     * A call that blocks (read on an empty pipe, pause, futex...) is cut
     * short by SIGALRM (no SA_RESTART: it returns EINTR) rather than
     * ending the batch; a call that also blocks SIGALRM or sleeps
     * uninterruptibly meets the parent's 3 s watchdog.
     */
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    sigaddset(&alrm, SIGALRM);
    for (unsigned i = 0; i < ncalls; i++) {
        uint64_t a[6];
        long nr = rnd_nr(), r;

        for (int j = 0; j < 6; j++) {
            a[j] = rnd_arg();
        }
        tame(nr, a);
        if (verbose) {
            dprintf(2, "%u.%u: %ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)\n",
                    batch, i, nr, (long)a[0], (long)a[1], (long)a[2],
                    (long)a[3], (long)a[4], (long)a[5]);
        }
        shm->nr = nr;
        shm->calls = i + 1;
        sigprocmask(SIG_UNBLOCK, &alrm, NULL);
        setitimer(ITIMER_REAL, &tick, NULL);
        r = syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
        (void)r;
    }
    setitimer(ITIMER_REAL, &(struct itimerval){{0, 0}, {0, 0}}, NULL);
    _exit(child_checks(batch));
}

/*
 * Where @needle first occurs in the file at @path at or after @start, up
 * to the size the file has now (-strace logs these reads into the log).
 * Returns: its offset, or -1.
 */
static off_t file_find(const char *path, const char *needle, off_t start)
{
    static char buf[1 << 16];
    int fd = open(path, O_RDONLY);
    size_t len = strlen(needle), keep = 0;
    off_t found = -1, base = start; /* file offset of buf[0] */
    struct stat st;
    off_t left;
    ssize_t n;

    if (fd < 0 || fstat(fd, &st) != 0 || lseek(fd, start, SEEK_SET) < 0) {
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    left = st.st_size - start;
    while (left > 0 && (n = read(fd, buf + keep,
                                 (size_t)left < sizeof(buf) - keep
                                     ? (size_t)left
                                     : sizeof(buf) - keep)) > 0) {
        size_t have = keep + (size_t)n;
        char *hit;

        left -= n;
        hit = memmem(buf, have, needle, len);
        if (hit) {
            found = base + (hit - buf);
            break;
        }
        keep = have < len ? have : len - 1; /* a needle across chunks */
        base += (off_t)(have - keep);
        memmove(buf, buf + have - keep, keep);
    }
    close(fd);
    return found;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/*
 * Does the file hold the emulator's message @enc (each byte stored + 1)?
 * A batch may write any of its own memory to its stderr, and sc_fuzz's
 * memory must not hold the messages the parent looks for: seed 1429,
 * batch 2 wrote the text of this program and looked like an emulator
 * error.  So the needle is decoded on the parent's stack only after the
 * child is gone, and wiped before the next fork; an assertion must name
 * its expression (glibc's format "Assertion `%s'" is in every program).
 */
static bool file_has_msg(const char *path, const char *enc)
{
    char needle[64], after[2];
    size_t i, len;
    off_t at = 0;
    bool found = false;
    int fd;

    for (i = 0; enc[i] != '\0' && i < sizeof(needle) - 1; i++) {
        needle[i] = (char)(enc[i] - 1);
    }
    needle[i] = '\0';
    len = i;
    while (!found && (at = file_find(path, needle, at)) >= 0) {
        fd = open(path, O_RDONLY);
        found = needle[len - 1] != '`' ||
                (fd >= 0 && pread(fd, after, 2, at + (off_t)len) == 2 &&
                 memcmp(after, "%s", 2) != 0);
        if (fd >= 0) {
            close(fd);
        }
        at++;
    }
    explicit_bzero(needle, sizeof(needle));
    return found;
}

struct tally {
    unsigned ok, died, blocked, unknown;
    unsigned long calls; /* calls made, as counted by the children */
};

/*
 * Wait for a batch's child; classify how it ended.  A child that makes no
 * progress (no new call, no new phase) for 3 s while calling is blocked in
 * a call; one that spends 10 s in its checks has hung there (a loaded
 * machine makes a batch slow, not stuck: the clock restarts with each call).
 * Returns: true when it ran its checks to the end (exit 0 or 4).
 */
static bool reap(pid_t pid, unsigned batch, const char *errpath,
                 struct tally *t)
{
    long seen_calls = -1, seen_phase = -1;
    double since = now_s();
    int status, polls = 0;
    bool core_sig;

    while (waitpid(pid, &status, WNOHANG) == 0) {
        long nr = shm->nr, phase = shm->phase, calls = shm->calls;

        if (calls != seen_calls || phase != seen_phase) {
            seen_calls = calls;
            seen_phase = phase;
            since = now_s();
        } else if (now_s() - since > (phase != 0 ? 10.0 : 3.0)) {
            kill(-pid, SIGKILL);
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            if (phase != 0) {
                fprintf(stderr, "batch %u: hung in its checks\n", batch);
                guest_failures++;
            } else {
                fprintf(stderr, "batch %u: blocked in call %ld (#%ld)\n", batch,
                        nr, calls);
                t->blocked++;
            }
            return false;
        }
        /* Polls 1 ms apart first: most batches end within a few ms. */
        usleep(++polls < 50 ? 1000 : 10000);
    }
    if (file_has_msg(errpath, "dudh;!joufsobm!fssps") || /* internal error */
        file_has_msg(errpath, "dudh;!gbubm") ||          /* fatal */
        file_has_msg(errpath, "Bttfsujpo!a")) {          /* an assert */
        fprintf(stderr, "batch %u: emulator error (call %ld, see %s)\n", batch,
                (long)shm->nr, errpath);
        guest_failures++;
        return false;
    }
    if (WIFSIGNALED(status)) {
        int s = WTERMSIG(status);

        core_sig = s == SIGSEGV || s == SIGBUS || s == SIGILL || s == SIGFPE ||
                   s == SIGABRT || s == SIGTRAP || s == SIGSYS;
        if (core_sig && !file_has_msg(errpath, "vodbvhiu!ubshfu!tjhobm")) {
            fprintf(stderr, "batch %u: host signal %d (call %ld)\n", batch, s,
                    (long)shm->nr);
            guest_failures++;
            return false;
        }
        if (verbose_reap) {
            fprintf(stderr, "batch %u: guest signal %d after call %ld\n", batch,
                    s, (long)shm->nr);
        }
        t->died++;
        return false;
    }
    switch (WEXITSTATUS(status)) {
    case 0:
        t->ok++;
        return true;
    case 4:
        t->unknown++;
        return true;
    default:
        fprintf(stderr, "batch %u: exit %d (call %ld)\n", batch,
                WEXITSTATUS(status), (long)shm->nr);
        guest_failures++;
        return false;
    }
}

static int rm_entry(const char *path, const struct stat *sb, int type,
                    struct FTW *ftw)
{
    (void)sb;
    (void)type;
    (void)ftw;
    remove(path);
    return 0;
}

static void fuzz_batches(void)
{
    unsigned long seed = env_num("SCFUZZ_SEED", 1);
    unsigned first = (unsigned)env_num("SCFUZZ_FIRST", 0);
    unsigned nb = first + (unsigned)env_num("SCFUZZ_BATCHES", 12);
    unsigned nc = (unsigned)env_num("SCFUZZ_CALLS", 150);
    bool verbose = env_num("SCFUZZ_VERBOSE", 0) != 0;

    verbose_reap = verbose;
    const char *log = getenv("CTCG_LOG_FILENAME");
    char *dir = guest_tmpdir(), errpath[128], marker[64];
    struct tally t = {0, 0, 0, 0};
    unsigned logged = 0;
    off_t log_off = 0, at;

    shm = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
               0);
    CHECK(shm != MAP_FAILED && chdir(dir) == 0 && chmod(dir, 0777) == 0);
    for (unsigned b = first; b < nb && shm != MAP_FAILED; b++) {
        bool checked;
        int err_fd;
        pid_t pid;

        rng_state = (seed + 1) * 0x9e3779b97f4a7c15ull ^ (b + 1);
        setup_arena();
        snprintf(errpath, sizeof(errpath), "%s/err-%u", dir, b);
        err_fd = open(errpath, O_WRONLY | O_CREAT | O_APPEND | O_TRUNC, 0666);
        CHECK(err_fd >= 0);
        shm->phase = 0;
        shm->nr = -1;
        fflush(NULL);
        pid = fork();
        if (pid == 0) {
            child_run(b, err_fd, nc, verbose);
        }
        close(err_fd);
        munmap(fz.arena, (ARENA_PAGES + 1) * PG);
        munmap(fz.marena, 8 * PG);
        munmap(fz.strings, 2 * PG);
        fz.npaths = 0;
        CHECK(pid > 0);
        if (pid <= 0) {
            break;
        }
        checked = reap(pid, b, errpath, &t);
        t.calls += (unsigned long)shm->calls;
        snprintf(marker, sizeof(marker), "\"/scfuzz-marker-%u\"", b);
        /* Markers come in batch order: search on from the last one. */
        if (log && checked && (at = file_find(log, marker, log_off)) >= 0) {
            log_off = at;
            logged++;
        } else if (log && checked) {
            /* the child reached its checks: its marker must be logged */
            fprintf(stderr, "batch %u: marker not in the log %s\n", b, log);
            guest_failures++;
        }
    }
    fprintf(stderr,
            "scfuzz seed %lu: %u batches x %u calls: %u ok, %u died of a "
            "guest signal, %u blocked, %u inconclusive; %u markers logged; "
            "calls made: %lu\n",
            seed, nb - first, nc, t.ok, t.died, t.blocked, t.unknown, logged,
            t.calls);
    if (!getenv("SCFUZZ_KEEP") && !guest_failures) { /* kept to look at */
        nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    }
    printf("random batches: %s\n", guest_failures ? "FAIL" : "ok");
}

int main(void)
{
    int pfd[2];

    zero_fd = open("/dev/zero", O_RDONLY);
    dir_fd = open("/", O_RDONLY | O_DIRECTORY);
    CHECK(pipe(pfd) == 0);
    pipe_wr = pfd[1];
    efault_table();
    fuzz_batches();
    return guest_done("sc_fuzz");
}
