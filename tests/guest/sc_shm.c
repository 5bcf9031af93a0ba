/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System V shared memory: shmat without an address and at a fixed one
 * (SHM_RND, EINVAL over a mapping, SHM_REMAP), two attachments of one
 * segment, data shared with a forked child and with a thread, SHM_RDONLY
 * (a store is SIGSEGV), shmdt (then an access is SIGSEGV; a bad address is
 * EINVAL; munmap of the first page does not stop it), IPC_STAT's
 * shm_nattch and shm_segsz, IPC_RMID while attached, /proc/self/maps,
 * code in a SHM_EXEC segment, and replaced by another segment at the same
 * address (the old translation must go), and the errors.  Segments are
 * marked for removal (IPC_RMID) once attached, or removed at exit.
 *
 * Not compared with qemu-riscv64: QEMU 7.2 accepts shmat(NULL) with
 * SHM_REMAP and an address that SHM_RND rounds down to 0 with SHM_REMAP
 * (Linux: EINVAL, the CVE-2017-5669 check), loses track of a segment
 * whose first page was unmapped, and then fails the shmdt and fixed
 * shmat calls of the SHM_EXEC part (EINVAL, then SIGILL).
 */
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>

#include "guest.h"

#define BAD_PTR ((void *)1)
#define PAGE 4096

static int shmids[8];
static int nshm;

static void cleanup(void)
{
    for (int i = 0; i < nshm; i++) {
        shmctl(shmids[i], IPC_RMID, NULL);
    }
}

static int new_seg(key_t key, size_t size, int flags)
{
    int id = shmget(key, size, flags);

    if (id >= 0 && nshm < 8) {
        shmids[nshm++] = id;
    }
    return id;
}

static sigjmp_buf jb;
static volatile int fault_code, fault_expected;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
    (void)sig;
    (void)uc;
    if (!fault_expected) {
        static const char msg[] = "sc_shm: unexpected SIGSEGV\n";

        write(2, msg, sizeof(msg) - 1);
        _exit(3);
    }
    fault_code = si->si_code;
    siglongjmp(jb, 1);
}

/* 0 if the access did not fault, else the SIGSEGV's si_code. */
static int store_faults(volatile char *p)
{
    fault_code = 0;
    fault_expected = 1;
    if (sigsetjmp(jb, 1) == 0) {
        *p = 1;
    }
    fault_expected = 0;
    return fault_code;
}

static int load_faults(volatile char *p)
{
    fault_code = 0;
    fault_expected = 1;
    if (sigsetjmp(jb, 1) == 0) {
        (void)*p;
    }
    fault_expected = 0;
    return fault_code;
}

static long nattch(int id)
{
    struct shmid_ds ds;

    return shmctl(id, IPC_STAT, &ds) == 0 ? (long)ds.shm_nattch : -1;
}

/* A free, page-aligned range of @len bytes (mapped, then unmapped). */
static char *free_range(size_t len)
{
    char *p = mmap(NULL, len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

    CHECK(p != MAP_FAILED);
    munmap(p, len);
    return p;
}

static void *thread_writer(void *arg)
{
    int id = *(int *)arg;
    char *p = shmat(id, NULL, 0);

    if (p == (void *)-1) {
        return NULL;
    }
    strcpy(p + 100, "from thread");
    return p;
}

static void test_basic(void)
{
    int id = new_seg(IPC_PRIVATE, 2 * PAGE + 100, IPC_CREAT | 0600);
    struct shmid_ds ds;
    char *p, *q;
    int st = -1;

    CHECK(id >= 0);
    p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1 && ((uintptr_t)p & (PAGE - 1)) == 0);
    CHECK(shmctl(id, IPC_STAT, &ds) == 0);
    CHECK(ds.shm_segsz == 2 * PAGE + 100 && ds.shm_nattch == 1);
    CHECK(ds.shm_cpid == getpid() && ds.shm_lpid == getpid());
    CHECK((ds.shm_perm.mode & 0777) == 0600);
    CHECK(p[0] == 0 && p[2 * PAGE + 99] == 0);
    strcpy(p, "hello");
    p[2 * PAGE + 200] = 5; /* the rest of the last page */
    q = shmat(id, NULL, SHM_RDONLY);
    CHECK(q != (void *)-1 && q != p && strcmp(q, "hello") == 0);
    CHECK(nattch(id) == 2);
    CHECK(store_faults(q) == SEGV_ACCERR);
    CHECK(q[0] == 'h');
    pid_t pid = fork();
    if (pid == 0) {
        int ok = nattch(id) == 4 && strcmp(p, "hello") == 0;
        strcpy(p + 10, "child");
        _exit(ok ? 0 : 1);
    }
    CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    CHECK(strcmp(q + 10, "child") == 0);
    CHECK(nattch(id) == 2);

    pthread_t t;
    void *tp = NULL;
    CHECK(pthread_create(&t, NULL, thread_writer, &id) == 0);
    CHECK(pthread_join(t, &tp) == 0);
    CHECK(tp != NULL && strcmp(p + 100, "from thread") == 0);
    CHECK(nattch(id) == 3 && shmdt(tp) == 0);

    CHECK(shmdt(q) == 0);
    CHECK(load_faults(q) == SEGV_MAPERR);
    CHECK(nattch(id) == 1);
    CHECK_ERR(shmdt(q), EINVAL);
    CHECK_ERR(shmdt(p + 1), EINVAL);
    CHECK_ERR(shmdt(p + PAGE), EINVAL);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_DEST));
    CHECK(strcmp(p, "hello") == 0);
    CHECK(shmdt(p) == 0);
    CHECK(load_faults(p) == SEGV_MAPERR);
    CHECK_ERR(shmctl(id, IPC_STAT, &ds), EINVAL);
    printf("basic: ok\n");
}

static void test_fixed(void)
{
    int id = new_seg(IPC_PRIVATE, PAGE * 2, IPC_CREAT | 0600);
    char *a = free_range(PAGE * 8), *p, *m;
    char line[256];
    int in_maps = 0;
    FILE *f;

    CHECK(id >= 0);
    CHECK_ERR(shmat(id, a + 100, 0), EINVAL);
    p = shmat(id, a + 100, SHM_RND);
    CHECK(p == a);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0); /* gone with its last detach */
    CHECK_ERR(shmat(id, NULL, SHM_REMAP), EINVAL);
    CHECK_ERR(shmat(id, (void *)1, SHM_RND | SHM_REMAP), EINVAL);
    CHECK_ERR(shmat(id, a + PAGE, 0), EINVAL); /* over the first one */
    m = mmap(a + 4 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS |
             MAP_FIXED, -1, 0);
    CHECK(m == a + 4 * PAGE);
    CHECK_ERR(shmat(id, a + 3 * PAGE, 0), EINVAL);
    CHECK(shmat(id, a + 3 * PAGE, SHM_REMAP) == a + 3 * PAGE);
    CHECK(nattch(id) == 2);
    a[5] = 42;
    CHECK(a[3 * PAGE + 5] == 42);
    f = fopen("/proc/self/maps", "r");
    CHECK(f != NULL);
    while (f && fgets(line, sizeof(line), f)) {
        unsigned long lo, hi;
        char perms[8];

        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) == 3 &&
            lo == (uintptr_t)a && hi == (uintptr_t)a + 2 * PAGE) {
            in_maps = strcmp(perms, "rw-s") == 0 && strstr(line, "SYSV");
        }
    }
    if (f) {
        fclose(f);
    }
    CHECK(in_maps);
    /* munmap of the first page: shmdt still finds the rest. */
    CHECK(munmap(a, PAGE) == 0);
    CHECK(nattch(id) == 2);
    CHECK(shmdt(a) == 0);
    CHECK(nattch(id) == 1);
    CHECK(load_faults(a + PAGE) == SEGV_MAPERR);
    CHECK(shmdt(a + 3 * PAGE) == 0);
    CHECK_ERR(shmat(id, NULL, 0), EINVAL); /* destroyed */
    printf("fixed: ok\n");
}

typedef int (*fn_t)(void);

/* Code in SHM_EXEC segments, one replacing the other at the same place. */
static void test_exec(void)
{
    static const uint32_t ret42[] = {0x02a00513, 0x00008067}; /* li a0,42 */
    static const uint32_t ret7[] = {0x00700513, 0x00008067};  /* li a0,7 */
    int id1 = new_seg(IPC_PRIVATE, PAGE, IPC_CREAT | 0700);
    int id2 = new_seg(IPC_PRIVATE, PAGE, IPC_CREAT | 0700);
    char *a, *w;
    int sum = 0;
    fn_t fn;

    CHECK(id1 >= 0 && id2 >= 0);
    /* Fill both segments through other attachments, kept until exit. */
    w = shmat(id1, NULL, 0);
    CHECK(w != (void *)-1 && (memcpy(w, ret42, 8), 1));
    w = shmat(id2, NULL, 0);
    CHECK(w != (void *)-1 && (memcpy(w, ret7, 8), 1));
    CHECK(shmctl(id1, IPC_RMID, NULL) == 0 && shmctl(id2, IPC_RMID, NULL) == 0);
    a = free_range(PAGE);
    fn = (fn_t)(uintptr_t)a;
    CHECK(shmat(id1, a, SHM_EXEC | SHM_RDONLY) == a);
    for (int i = 0; i < 200; i++) {
        sum += fn();
    }
    CHECK(sum == 200 * 42);
    CHECK(shmdt(a) == 0);
    CHECK(shmat(id2, a, SHM_EXEC | SHM_RDONLY) == a);
    CHECK(fn() == 7);
    CHECK(shmdt(a) == 0);
    printf("exec: ok\n");
}

static void test_errors(void)
{
    key_t key = 0x5c000000 | (getpid() & 0xffffff);
    struct shmid_ds ds;
    struct shminfo info;
    struct shm_info sinfo;
    int id;

    CHECK_ERR(shmat(-1, NULL, 0), EINVAL);
    CHECK_ERR(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600), EINVAL);
    CHECK_ERR(shmget(key, PAGE, 0600), ENOENT);
    id = new_seg(key, PAGE, IPC_CREAT | 0600);
    CHECK(id >= 0);
    CHECK(shmget(key, PAGE, 0) == id);
    CHECK_ERR(shmget(key, 2 * PAGE, 0), EINVAL);
    CHECK_ERR(shmget(key, PAGE, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    CHECK_ERR(shmctl(id, 99, &ds), EINVAL);
    CHECK_ERR(shmctl(id, IPC_STAT, BAD_PTR), EFAULT);
    CHECK_ERR(shmctl(id, IPC_SET, BAD_PTR), EFAULT);
    CHECK_ERR(shmdt(BAD_PTR), EINVAL);
    CHECK_ERR(shmdt(NULL), EINVAL);
    CHECK(shmctl(id, IPC_STAT, &ds) == 0);
    ds.shm_perm.mode = 0644;
    CHECK(shmctl(id, IPC_SET, &ds) == 0);
    CHECK(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & 0777) == 0644);
    CHECK(shmctl(0, IPC_INFO, (struct shmid_ds *)&info) >= 0);
    CHECK(info.shmmax > 0 && info.shmmni > 0);
    CHECK(shmctl(0, SHM_INFO, (struct shmid_ds *)&sinfo) >= 0);
    CHECK(sinfo.used_ids >= 1);
    if (geteuid() == 0) {
        CHECK(shmctl(id, SHM_LOCK, NULL) == 0);
        CHECK(shmctl(id, IPC_STAT, &ds) == 0 && (ds.shm_perm.mode & SHM_LOCKED));
        CHECK(shmctl(id, SHM_UNLOCK, NULL) == 0);
        CHECK(shmctl(id, IPC_SET, &ds) == 0);
        ds.shm_perm.mode = 0600;
        CHECK(shmctl(id, IPC_SET, &ds) == 0);
        pid_t pid = fork();

        if (pid == 0) {
            int ok = setuid(65534) == 0;
            errno = 0;
            ok = ok && shmat(id, NULL, 0) == (void *)-1 && errno == EACCES;
            ok = ok && shmget(key, PAGE, 0600) == -1 && errno == EACCES;
            _exit(ok ? 0 : 1);
        }
        int st = -1;
        CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    }
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    CHECK_ERR(shmat(id, NULL, 0), EINVAL);
    printf("errors: ok\n");
}

int main(void)
{
    struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO};

    atexit(cleanup);
    sigaction(SIGSEGV, &sa, NULL);
    test_basic();
    test_fixed();
    test_exec();
    test_errors();
    return guest_done("sc_shm");
}
