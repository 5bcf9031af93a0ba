/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The V extension's Linux ABI (issue 17): prctl PR_RISCV_V_GET/SET_CONTROL
 * and the V context in the signal frame (the __riscv_ctx_hdr chain from
 * sc_extdesc.hdr, RISCV_V_MAGIC, __riscv_v_ext_state and datap), read and
 * changed by a handler and restored by rt_sigreturn; AT_MINSIGSTKSZ; the
 * zeroed V state of a fork or thread child; SIGILL at the right PC from a
 * loop's TB entered again and again with V off (test_off_loop).
 * Not compared with qemu-riscv64: 7.2 has none of these.
 * Prints "vsig: ok" and exits 0, or says what failed and exits 1.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/prctl.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#define PR_GET_V 70
#define PR_SET_V 69
#define V_MAGIC 0x53465457u

static int fails;

#define CHECK(c)                                        \
    do {                                                \
        if (!(c)) {                                     \
            printf("FAIL line %d: %s\n", __LINE__, #c); \
            fails++;                                    \
        }                                               \
    } while (0)

struct vstate {
    uint64_t vstart, vl, vtype, vcsr, vlenb, datap;
};

static uint64_t vlenb;
static volatile int handled;

static void sigill(int sig)
{
    (void)sig;
    _exit(42);
}

static char *self;

/* fork, set the V control to @ctrl, execve self with @mode; exit status */
static int exec_child(int ctrl, const char *mode)
{
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        if (prctl(PR_SET_V, ctrl, 0, 0, 0) != 0) {
            _exit(1);
        }
        execl(self, self, mode, (char *)NULL);
        _exit(2);
    }
    if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st)) {
        return -1;
    }
    return WEXITSTATUS(st);
}

/* The program execve'd by exec_child: exit 42 on success. */
static int exec_mode(const char *mode)
{
    int ctrl = prctl(PR_GET_V, 0, 0, 0, 0);

    if (strcmp(mode, "exec-off") == 0) {
        /* next OFF without inherit: cur OFF, next cleared; SIGILL */
        if (ctrl != 1) {
            printf("exec-off: control %#x\n", ctrl);
            return 1;
        }
        signal(SIGILL, sigill);
        __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu" ::: "memory");
        return 3;
    }
    if (strcmp(mode, "exec-inherit") == 0) {
        /* next OFF with inherit: kept for the next execve */
        return ctrl == (1 | (1 << 2) | 0x10) ? 42 : 1;
    }
    if (strcmp(mode, "nov") == 0) {
        /* Without V: EINVAL, and AT_MINSIGSTKSZ is the bare frame. */
        errno = 0;
        ctrl = prctl(PR_GET_V, 0, 0, 0, 0);
        if (ctrl != -1 || errno != EINVAL ||
            prctl(PR_SET_V, 2, 0, 0, 0) != -1 || errno != EINVAL ||
            getauxval(AT_MINSIGSTKSZ) != 1088) {
            printf("nov: control %d errno %d minsigstksz %lu\n", ctrl, errno,
                   getauxval(AT_MINSIGSTKSZ));
            return 1;
        }
        printf("vsig without V: ok\n");
        return 0;
    }
    return ctrl == 2 ? 42 : 1; /* exec-default */
}

/* prctl: run before any vector instruction of this process. */
static void test_prctl(void)
{
    pid_t pid;
    int st;

    CHECK(prctl(PR_GET_V, 0, 0, 0, 0) == 2); /* ON, no next, no inherit */
    errno = 0;
    CHECK(prctl(PR_SET_V, 0x20, 0, 0, 0) == -1 && errno == EINVAL);
    CHECK(prctl(PR_SET_V, 3, 0, 0, 0) == -1 && errno == EINVAL);
    CHECK(prctl(PR_SET_V, 3 << 2, 0, 0, 0) == -1 && errno == EINVAL);
    /* DEFAULT keeps cur; next ON and inherit are stored. */
    CHECK(prctl(PR_SET_V, 0 | (2 << 2) | 0x10, 0, 0, 0) == 0);
    CHECK(prctl(PR_GET_V, 0, 0, 0, 0) == (2 | (2 << 2) | 0x10));
    CHECK(prctl(PR_SET_V, 2, 0, 0, 0) == 0);
    CHECK(prctl(PR_GET_V, 0, 0, 0, 0) == 2);
    /* Off in a child: its first vector instruction is SIGILL. */
    pid = fork();
    if (pid == 0) {
        signal(SIGILL, sigill);
        if (prctl(PR_SET_V, 1, 0, 0, 0) != 0 ||
            prctl(PR_GET_V, 0, 0, 0, 0) != 1) {
            _exit(1);
        }
        __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu" ::: "memory");
        _exit(2);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
          WEXITSTATUS(st) == 42);
    /* Off: reading a vector CSR is SIGILL too. */
    pid = fork();
    if (pid == 0) {
        uint64_t vl;

        signal(SIGILL, sigill);
        if (prctl(PR_SET_V, 1, 0, 0, 0) != 0) {
            _exit(1);
        }
        __asm__ volatile("csrr %0, vl" : "=r"(vl)::"memory");
        _exit(2);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
          WEXITSTATUS(st) == 42);
    /* execve applies "next" (Linux's riscv_v_vstate_ctrl_init). */
    CHECK(exec_child(2 | (1 << 2), "exec-off") == 42);
    CHECK(exec_child(2 | (1 << 2) | 0x10, "exec-inherit") == 42);
    CHECK(exec_child(2 | (1 << 2), "exec-default") == 1);
    CHECK(exec_child(2 | (2 << 2), "exec-default") == 42);
    CHECK(exec_child(1, "exec-default") == 42);
}

/*
 * Loops that are their function's entry (so their TB starts at the loop's
 * head and its back edge goes there): voff_vhead's head is a V
 * instruction, voff_shead's a store before one.  With V off each call
 * is SIGILL at the V instruction, voff_shead's store done first (a TB
 * that made prctl's check at its entry for the second would raise it at
 * the store, before it).
 */
void voff_vhead(long n, long *mark);
void voff_shead(long n, long *mark);
extern char voff_shead_v[];
__asm__(".text\n"
        ".globl voff_vhead\n"
        "voff_vhead:\n"
        "    vadd.vv v1, v1, v1\n"
        "    addi a0, a0, -1\n"
        "    bnez a0, voff_vhead\n"
        "    ret\n"
        ".globl voff_shead\n"
        "voff_shead:\n"
        "    sd a0, 0(a1)\n"
        ".globl voff_shead_v\n"
        "voff_shead_v:\n"
        "    vadd.vv v1, v1, v1\n"
        "    addi a0, a0, -1\n"
        "    bnez a0, voff_shead\n"
        "    ret\n");

static sigjmp_buf off_jmp;
static volatile uint64_t off_pc;

static void off_sigill(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;

    (void)sig;
    (void)si;
    off_pc = uc->uc_mcontext.__gregs[0];
    siglongjmp(off_jmp, 1);
}

/* With V off, 5000 calls of each (past -tb-hot's 4096: every tier). */
static void test_off_loop(void)
{
    struct sigaction sa;
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        static long mark;
        static volatile int i, bad;

        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = off_sigill;
        sa.sa_flags = SA_SIGINFO | SA_NODEFER;
        if (prctl(PR_SET_V, 1, 0, 0, 0) != 0 ||
            sigaction(SIGILL, &sa, NULL) != 0) {
            _exit(1);
        }
        for (i = 0; i < 10000; i++) {
            mark = 0;
            if (sigsetjmp(off_jmp, 1) == 0) {
                if (i & 1) {
                    voff_shead(5 + i, &mark);
                } else {
                    voff_vhead(5 + i, &mark);
                }
                bad++; /* no SIGILL */
            } else if (i & 1
                           ? off_pc != (uintptr_t)voff_shead_v || mark != 5 + i
                           : off_pc != (uintptr_t)voff_vhead) {
                bad++;
            }
        }
        if (bad) {
            printf("off loop: %d bad, last pc %#llx mark %ld\n", bad,
                   (unsigned long long)off_pc, mark);
        }
        fflush(stdout);
        _exit(bad ? 2 : 42);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
          WEXITSTATUS(st) == 42);
}

static void handler(int sig, siginfo_t *si, void *ucv)
{
    uint8_t *mc = (uint8_t *)ucv + 176; /* uc_mcontext */
    uint32_t *hdr = (uint32_t *)(mc + 256 + 520), *end;
    struct vstate *vs = (struct vstate *)(hdr + 2);
    uint32_t *v8;

    (void)si;
    CHECK(sig == SIGUSR1);
    CHECK(hdr[-1] == 0); /* sc_extdesc.reserved */
    CHECK(hdr[0] == V_MAGIC);
    CHECK(hdr[1] == 8 + sizeof(*vs) + 32 * vlenb);
    if (hdr[0] != V_MAGIC) {
        return;
    }
    end = (uint32_t *)((uint8_t *)hdr + hdr[1]);
    CHECK(end[0] == 0 && end[1] == 0);
    CHECK(vs->vstart == 0);
    CHECK(vs->vl == 4);
    CHECK(vs->vtype == 0x50);          /* e32, m1, ta, mu */
    CHECK(vs->vcsr == ((1 << 1) | 0)); /* vxrm 1 (set below), vxsat 0 */
    CHECK(vs->vlenb == vlenb);
    CHECK(vs->datap == (uint64_t)(vs + 1));
    CHECK(vs->datap % 16 == 0);
    v8 = (uint32_t *)(vs->datap + 8 * vlenb);
    for (int i = 0; i < 4; i++) {
        CHECK(v8[i] == 10u + i);
        v8[i] += 100;
    }
    vs->vl = 2;
    vs->vcsr = (3 << 1) | 1;
    handled = 1;
}

static volatile int alrm_flag;
static volatile uint32_t alrm_seen;

/* SIGALRM in a vector loop: v1's four elements are equal; set them. */
static void alrm_handler(int sig, siginfo_t *si, void *ucv)
{
    uint32_t *hdr = (uint32_t *)((uint8_t *)ucv + 176 + 256 + 520);
    struct vstate *vs = (struct vstate *)(hdr + 2);
    uint32_t *v1;

    (void)sig, (void)si;
    if (hdr[0] != V_MAGIC) {
        alrm_seen = 1;
        alrm_flag = 1;
        return;
    }
    v1 = (uint32_t *)(vs->datap + vlenb);
    alrm_seen = (vs->vl == 4 && vs->vtype == 0x50 && v1[0] == v1[1] &&
                 v1[0] == v1[2] && v1[0] == v1[3])
                    ? 2
                    : 3;
    for (int i = 0; i < 4; i++) {
        v1[i] = 1000000;
    }
    alrm_flag = 1;
}

/* A loop of vadd.vi interrupted by a timer: the frame has its state. */
static void test_alarm(void)
{
    static uint32_t out[4];
    struct itimerval it = {{0, 0}, {0, 20000}};
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = alrm_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu\n\t"
                     "vmv.v.i v1, 0\n"
                     "1:\n\t"
                     "vadd.vi v1, v1, 1\n\t"
                     "lw t0, (%[flag])\n\t"
                     "beqz t0, 1b\n\t"
                     "vse32.v v1, (%[out])\n\t"
                     :
                     : [flag] "r"(&alrm_flag), [out] "r"(out)
                     : "t0", "memory", "v1");
    CHECK(alrm_seen == 2);
    CHECK(out[0] == 1000000 || out[0] == 1000001);
    CHECK(out[1] == out[0] && out[2] == out[0] && out[3] == out[0]);
}

/*
 * SIGALRM in a loop of generated vadds (one guard after the vsetivli):
 * the handler sets vl to 2 in the frame, so after rt_sigreturn the loop
 * adds to elements 0 and 1 only (the guard must be made again).
 */
static void alrm_vl_handler(int sig, siginfo_t *si, void *ucv)
{
    uint32_t *hdr = (uint32_t *)((uint8_t *)ucv + 176 + 256 + 520);
    struct vstate *vs = (struct vstate *)(hdr + 2);
    uint32_t *v1;

    (void)sig, (void)si;
    if (hdr[0] == V_MAGIC) {
        v1 = (uint32_t *)(vs->datap + vlenb);
        for (int i = 0; i < 4; i++) {
            v1[i] = 1000000;
        }
        vs->vl = 2;
        alrm_seen = 2;
    } else {
        alrm_seen = 3;
    }
    alrm_flag = 1;
}

static void test_alarm_vl(void)
{
    static uint32_t out[4];
    struct itimerval it = {{0, 0}, {0, 20000}};
    struct sigaction sa;
    long vl_after, trips = 0;

    alrm_flag = 0;
    alrm_seen = 0;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = alrm_vl_handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGALRM, &sa, NULL);
    setitimer(ITIMER_REAL, &it, NULL);
    __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu\n\t"
                     "vmv.v.i v1, 0\n"
                     "1:\n\t"
                     "vadd.vi v1, v1, 1\n\t"
                     "vadd.vi v1, v1, 1\n\t"
                     "addi %[t], %[t], 1\n\t"
                     "lw t0, (%[flag])\n\t"
                     "beqz t0, 1b\n\t"
                     "vadd.vi v1, v1, 1\n\t"
                     "csrr %[vl], vl\n\t"
                     "vsetivli zero, 4, e32, m1, ta, mu\n\t"
                     "vse32.v v1, (%[out])\n\t"
                     : [vl] "=&r"(vl_after), [t] "+r"(trips)
                     : [flag] "r"(&alrm_flag), [out] "r"(out)
                     : "t0", "memory", "v1");
    CHECK(alrm_seen == 2);
    CHECK(vl_after == 2);
    CHECK(out[0] > 1000000 && out[0] <= 1000003 && out[1] == out[0]);
    CHECK(out[2] == 1000000 && out[3] == 1000000);
}

static int bad_how;

/* Spoils the frame: rt_sigreturn must kill with SIGSEGV. */
static void bad_handler(int sig, siginfo_t *si, void *ucv)
{
    uint32_t *hdr = (uint32_t *)((uint8_t *)ucv + 176 + 256 + 520);
    struct vstate *vs = (struct vstate *)(hdr + 2);

    (void)sig, (void)si;
    if (bad_how == 0) {
        hdr[-1] = 1; /* sc_extdesc.reserved */
    } else if (bad_how == 1) {
        vs->datap = 8; /* unmapped */
    } else if (bad_how == 2) {
        hdr[1] += 16; /* not riscv_v_sc_size */
    } else {
        hdr[1 + hdr[1] / 4] = 1; /* END with a size */
    }
}

/* A child with V state whose handler spoils the frame: SIGSEGV. */
static void test_bad_frame(int how)
{
    struct sigaction sa;
    pid_t pid = fork();
    int st;

    if (pid == 0) {
        memset(&sa, 0, sizeof(sa));
        sa.sa_sigaction = bad_handler;
        sa.sa_flags = SA_SIGINFO;
        sigaction(SIGUSR1, &sa, NULL);
        bad_how = how;
        __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu" ::: "memory");
        raise(SIGUSR1);
        _exit(0);
    }
    CHECK(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
          WTERMSIG(st) == SIGSEGV);
}

/* v8 = in, kill(self, SIGUSR1) with the vector state live, out = v8. */
static void test_frame(void)
{
    static uint32_t in[4] = {10, 11, 12, 13}, out[4];
    uint64_t vl, vcsr, vtype;
    struct sigaction sa;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    __asm__ volatile("csrr %0, vlenb" : "=r"(vlenb));
    CHECK(getauxval(AT_MINSIGSTKSZ) ==
          ((1088 + 8 + 48 + 32 * vlenb + 8 + 15) & ~15ull));
    {
        register long a0 __asm__("a0") = getpid();
        register long a1 __asm__("a1") = SIGUSR1;
        register long a7 __asm__("a7") = 129; /* kill */

        __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu\n\t"
                         "csrwi vxrm, 1\n\t"
                         "vle32.v v8, (%[in])\n\t"
                         "ecall\n\t"
                         "vse32.v v8, (%[out])\n\t"
                         "csrr %[vl], vl\n\t"
                         "csrr %[vt], vtype\n\t"
                         "csrr %[vc], vcsr\n\t"
                         : [vl] "=&r"(vl), [vt] "=&r"(vtype), [vc] "=&r"(vcsr),
                           "+r"(a0)
                         : [in] "r"(in), [out] "r"(out), "r"(a1), "r"(a7)
                         : "memory", "v8");
    }
    CHECK(handled);
    CHECK(vl == 2);
    CHECK(vtype == 0x50);
    CHECK(vcsr == 7);
    CHECK(out[0] == 110 && out[1] == 111 && out[2] == 0 && out[3] == 0);
    /* V has been used: it can no longer be turned off. */
    errno = 0;
    CHECK(prctl(PR_SET_V, 1, 0, 0, 0) == -1 && errno == EPERM);
}

/*
 * The V state the child of fork/clone starts with (Linux: arch_dup_task_struct
 * zeroes vstate, copy_thread turns VS off, the first vector instruction
 * gets a zeroed context): vl 0, vtype 0, vcsr 0, v8 all 0.  @vt, @vl, @vc:
 * what the child read; @v8: its v8 (vlenb bytes).
 */
static void check_child_vstate(uint64_t vt, uint64_t vl, uint64_t vc,
                               const uint8_t *v8, const char *who)
{
    int nz = 0;

    for (uint64_t i = 0; i < vlenb; i++) {
        nz |= v8[i];
    }
    if (vt || vl || vc || nz) {
        printf("%s: vtype %#llx vl %llu vcsr %llu v8 %s, want all 0\n", who,
               (unsigned long long)vt, (unsigned long long)vl,
               (unsigned long long)vc, nz ? "nonzero" : "0");
        fails++;
    }
}

static uint8_t child_v8[128];
static uint64_t child_csr[3];

/* Read the V state (first vector use in this thread) into child_*. */
static void read_vstate(void)
{
    __asm__ volatile("csrr %0, vtype\n\tcsrr %1, vl\n\tcsrr %2, vcsr\n\t"
                     "vs1r.v v8, (%3)"
                     : "=&r"(child_csr[0]), "=&r"(child_csr[1]),
                       "=&r"(child_csr[2])
                     : "r"(child_v8)
                     : "memory");
}

static void *thread_fn(void *arg)
{
    (void)arg;
    read_vstate();
    return NULL;
}

static void test_fork_vstate(void)
{
    static uint32_t in[4] = {1, 2, 3, 4};
    pthread_t th;
    int st;

    {
        register long a0 __asm__("a0") = SIGCHLD;
        register long a1 __asm__("a1") = 0;
        register long a7 __asm__("a7") = 220; /* clone: fork */

        __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu\n\t"
                         "csrwi vxrm, 2\n\t"
                         "vle32.v v8, (%[in])\n\t"
                         "ecall"
                         : "+r"(a0)
                         : [in] "r"(in), "r"(a1), "r"(a7)
                         : "memory", "v8");
        if (a0 == 0) {
            read_vstate();
            check_child_vstate(child_csr[0], child_csr[1], child_csr[2],
                               child_v8, "fork child");
            fflush(stdout);
            _exit(fails ? 1 : 0);
        }
        CHECK(a0 > 0);
        CHECK(waitpid((pid_t)a0, &st, 0) == a0 && st == 0);
    }
    __asm__ volatile("vsetivli zero, 4, e32, m1, ta, mu\n\t"
                     "csrwi vxrm, 2\n\t"
                     "vle32.v v8, (%0)" ::"r"(in)
                     : "memory", "v8");
    CHECK(pthread_create(&th, NULL, thread_fn, NULL) == 0);
    CHECK(pthread_join(th, NULL) == 0);
    check_child_vstate(child_csr[0], child_csr[1], child_csr[2], child_v8,
                       "thread");
}

int main(int argc, char **argv)
{
    self = argv[0];
    if (argc > 1) {
        return exec_mode(argv[1]);
    }
    test_prctl();
    test_off_loop();
    test_frame();
    test_alarm();
    test_alarm_vl();
    for (int how = 0; how < 4; how++) {
        test_bad_frame(how);
    }
    test_fork_vstate();
    if (fails) {
        return 1;
    }
    printf("vsig: ok\n");
    return 0;
}
