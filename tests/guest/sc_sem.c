/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System V semaphores: SETALL/GETALL, SETVAL/GETVAL, GETPID, GETNCNT and
 * GETZCNT, IPC_STAT (sem_nsems: the structure is converted, riscv64's
 * semid64_ds is not x86-64's), IPC_SET, IPC_INFO/SEM_INFO/SEM_STAT,
 * semop blocking until a forked child posts, SEM_UNDO undone when a child
 * exits, semtimedop's timeout (EAGAIN), IPC_NOWAIT, and the errors
 * (EINVAL, E2BIG, ERANGE, EFAULT, ENOENT, EIDRM/EINVAL after IPC_RMID).
 * Sets are IPC_PRIVATE or keyed by pid, and removed at exit.
 */
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/wait.h>
#include <time.h>

#include "guest.h"

#define BAD_PTR ((void *)1)

static int sids[4];
static int nsids;

static void cleanup(void)
{
    for (int i = 0; i < nsids; i++) {
        semctl(sids[i], 0, IPC_RMID);
    }
}

static int new_set(key_t key, int n, int flags)
{
    int id = semget(key, n, flags);

    if (id >= 0 && nsids < 4) {
        sids[nsids++] = id;
    }
    return id;
}

static int op(int id, int num, int delta, int flags)
{
    struct sembuf sb = {.sem_num = num, .sem_op = delta, .sem_flg = flags};

    return semop(id, &sb, 1);
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void test_values(int id)
{
    unsigned short set[3] = {1, 2, 3}, get[3] = {0};

    CHECK(semctl(id, 0, SETALL, set) == 0);
    CHECK(semctl(id, 0, GETALL, get) == 0);
    CHECK(get[0] == 1 && get[1] == 2 && get[2] == 3);
    CHECK(semctl(id, 1, GETVAL) == 2);
    CHECK(semctl(id, 2, SETVAL, 7) == 0);
    CHECK(semctl(id, 2, GETVAL) == 7);
    CHECK(op(id, 0, -1, 0) == 0);
    CHECK(semctl(id, 0, GETVAL) == 0);
    CHECK(semctl(id, 0, GETPID) == getpid());
    CHECK(semctl(id, 0, GETNCNT) == 0 && semctl(id, 0, GETZCNT) == 0);
    CHECK(op(id, 0, 0, 0) == 0); /* wait for zero: already zero */
    CHECK_ERR(op(id, 0, -1, IPC_NOWAIT), EAGAIN);
    struct sembuf two[2] = {{0, 1, 0}, {1, -2, 0}};
    CHECK(semop(id, two, 2) == 0);
    CHECK(semctl(id, 0, GETVAL) == 1 && semctl(id, 1, GETVAL) == 0);
    printf("values: ok\n");
}

static void test_stat(int id)
{
    struct semid_ds ds;
    struct seminfo info;
    int maxidx, found = 0;

    memset(&ds, 0xff, sizeof(ds));
    CHECK(semctl(id, 0, IPC_STAT, &ds) == 0);
    CHECK(ds.sem_nsems == 3);
    CHECK((ds.sem_perm.mode & 0777) == 0600);
    CHECK(ds.sem_perm.uid == geteuid());
    CHECK(ds.sem_otime != 0 && ds.sem_ctime != 0);
    CHECK(ds.sem_ctime <= time(NULL) && ds.sem_otime <= time(NULL));
    ds.sem_perm.mode = 0640;
    CHECK(semctl(id, 0, IPC_SET, &ds) == 0);
    memset(&ds, 0, sizeof(ds));
    CHECK(semctl(id, 0, IPC_STAT, &ds) == 0);
    CHECK((ds.sem_perm.mode & 0777) == 0640 && ds.sem_nsems == 3);
    memset(&info, 0, sizeof(info));
    maxidx = semctl(0, 0, IPC_INFO, &info);
    CHECK(maxidx >= 0 && info.semmsl > 0 && info.semopm > 0);
    CHECK(semctl(0, 0, SEM_INFO, &info) >= 0);
    for (int i = 0; i <= maxidx && !found; i++) {
        memset(&ds, 0, sizeof(ds));
        found = semctl(i, 0, SEM_STAT, &ds) == id && ds.sem_nsems == 3;
    }
    CHECK(found);
    printf("stat: ok\n");
}

/* The parent blocks in semop until the child posts; SEM_UNDO on exit. */
static void test_fork(int id)
{
    int st = -1;
    double t0;
    pid_t pid;

    CHECK(semctl(id, 0, SETVAL, 0) == 0);
    pid = fork();
    if (pid == 0) {
        int ok;

        usleep(100000);
        ok = semctl(id, 0, GETNCNT) == 1;
        ok = ok && op(id, 0, 1, 0) == 0;
        _exit(ok ? 0 : 1);
    }
    CHECK(op(id, 0, -1, 0) == 0);
    CHECK(waitpid(pid, &st, 0) == pid && st == 0);

    CHECK(semctl(id, 1, SETVAL, 3) == 0);
    pid = fork();
    if (pid == 0) {
        _exit(op(id, 1, 5, SEM_UNDO) == 0 && semctl(id, 1, GETVAL) == 8 ? 0
                                                                         : 1);
    }
    CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    CHECK(semctl(id, 1, GETVAL) == 3);

    /* A waiter for zero, released by the child. */
    CHECK(semctl(id, 2, SETVAL, 1) == 0);
    pid = fork();
    if (pid == 0) {
        usleep(100000);
        _exit(semctl(id, 2, GETZCNT) == 1 && op(id, 2, -1, 0) == 0 ? 0 : 1);
    }
    t0 = now();
    CHECK(op(id, 2, 0, 0) == 0);
    CHECK(now() - t0 > 0.05);
    CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    printf("fork: ok\n");
}

static void test_timed(int id)
{
    struct sembuf sb = {.sem_num = 0, .sem_op = -1};
    struct timespec ts = {0, 50 * 1000 * 1000};
    double t0;

    CHECK(semctl(id, 0, SETVAL, 0) == 0);
    t0 = now();
    CHECK_ERR(semtimedop(id, &sb, 1, &ts), EAGAIN);
    CHECK(now() - t0 >= 0.045);
    CHECK(semctl(id, 0, SETVAL, 1) == 0);
    CHECK(semtimedop(id, &sb, 1, &ts) == 0);
    ts.tv_nsec = 2000000000;
    CHECK_ERR(semtimedop(id, &sb, 1, &ts), EINVAL);
    CHECK_ERR(semtimedop(id, &sb, 1, BAD_PTR), EFAULT);
    printf("timed: ok\n");
}

static void test_errors(int id)
{
    struct sembuf sb = {.sem_num = 0, .sem_op = 1};
    struct sembuf many[600];
    struct semid_ds ds;
    key_t key = 0x5b000000 | (getpid() & 0xffffff);

    memset(many, 0, sizeof(many));
    CHECK_ERR(semop(id, &sb, 0), EINVAL);
    CHECK_ERR(semop(id, many, 600), E2BIG);
    CHECK_ERR(semop(id, BAD_PTR, 1), EFAULT);
    sb.sem_num = 3;
    CHECK_ERR(semop(id, &sb, 1), EFBIG);
    CHECK_ERR(semctl(id, 3, GETVAL), EINVAL);
    CHECK_ERR(semctl(id, 0, SETVAL, 40000), ERANGE);
    CHECK_ERR(semctl(id, 0, 99), EINVAL);
    CHECK_ERR(semctl(id, 0, IPC_STAT, BAD_PTR), EFAULT);
    CHECK_ERR(semctl(id, 0, IPC_SET, BAD_PTR), EFAULT);
    CHECK_ERR(semctl(id, 0, GETALL, BAD_PTR), EFAULT);
    CHECK_ERR(semctl(id, 0, SETALL, BAD_PTR), EFAULT);
    CHECK_ERR(semctl(-1, 0, GETALL, BAD_PTR), EINVAL);
    CHECK_ERR(semget(key, 1, 0600), ENOENT);
    int k = new_set(key, 2, IPC_CREAT | 0600);
    CHECK(k >= 0);
    CHECK(semget(key, 2, 0) == k);
    CHECK_ERR(semget(key, 5, 0), EINVAL); /* more than it has */
    CHECK_ERR(semget(key, 1, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    if (geteuid() == 0) {
        pid_t pid = fork();

        if (pid == 0) {
            int ok = setuid(65534) == 0;
            errno = 0;
            ok = ok && semget(key, 2, 0600) == -1 && errno == EACCES;
            ok = ok && semctl(k, 0, GETVAL) == -1 && errno == EACCES;
            _exit(ok ? 0 : 1);
        }
        int st = -1;
        CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    }
    CHECK(semctl(k, 0, IPC_RMID) == 0);
    CHECK_ERR(semctl(k, 0, IPC_STAT, &ds), EINVAL);
    printf("errors: ok\n");
}

int main(void)
{
    atexit(cleanup);
    int id = new_set(IPC_PRIVATE, 3, IPC_CREAT | 0600);

    CHECK(id >= 0);
    if (id < 0) {
        return guest_done("sc_sem");
    }
    test_values(id);
    test_stat(id);
    test_fork(id);
    test_timed(id);
    test_errors(id);
    return guest_done("sc_sem");
}
