/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System V IPC where qemu-riscv64 7.2 differs from Linux (so this test is
 * not compared with it): a *ctl command with IPC_64 (0x100) set is EINVAL
 * on riscv64, which has no ipc_parse_version() (QEMU masks the command
 * with 0xff); a negative id is EINVAL before a bad buffer is EFAULT (QEMU
 * locks the buffer first); msg_lrpid is the last receiver's pid (QEMU
 * 7.2 reports something else); msgsnd reads mtype (EFAULT) before it
 * checks the size (EINVAL), and a large size with a readable mtype is
 * EINVAL (QEMU: EINVAL for a bad pointer, ENOMEM for 1 << 40, LTP
 * msgsnd02); SEM_STAT_ANY, MSG_STAT_ANY and
 * SHM_STAT_ANY (QEMU: EINVAL).
 */
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>

#include "guest.h"

#define BAD_PTR ((void *)1)
#define IPC_64 0x100

static int msqid = -1, semid = -1, shmid = -1;

static void cleanup(void)
{
    msgctl(msqid, IPC_RMID, NULL);
    semctl(semid, 0, IPC_RMID);
    shmctl(shmid, IPC_RMID, NULL);
}

/* *_STAT_ANY over every index up to @max: is @id found? */
static int find_any(int (*stat)(int idx, void *buf), int max, int id, void *buf)
{
    for (int i = 0; i <= max; i++) {
        if (stat(i, buf) == id) {
            return 1;
        }
    }
    return 0;
}

static int msg_any(int i, void *b)
{
    return msgctl(i, MSG_STAT_ANY, b);
}

static int sem_any(int i, void *b)
{
    return semctl(i, 0, SEM_STAT_ANY, b);
}

static int shm_any(int i, void *b)
{
    return shmctl(i, SHM_STAT_ANY, b);
}

int main(void)
{
    struct msqid_ds mds;
    struct semid_ds sds;
    struct shmid_ds hds;
    struct {
        long type;
        char text[8];
    } m = {1, "x"};
    struct msginfo mi;
    struct seminfo si;
    struct shminfo hi;

    atexit(cleanup);
    msqid = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    semid = semget(IPC_PRIVATE, 2, IPC_CREAT | 0600);
    shmid = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
    CHECK(msqid >= 0 && semid >= 0 && shmid >= 0);

    CHECK_ERR(syscall(SYS_msgctl, msqid, IPC_STAT | IPC_64, &mds), EINVAL);
    CHECK_ERR(syscall(SYS_semctl, semid, 0, IPC_STAT | IPC_64, &sds), EINVAL);
    CHECK_ERR(syscall(SYS_shmctl, shmid, IPC_STAT | IPC_64, &hds), EINVAL);
    CHECK_ERR(syscall(SYS_msgctl, msqid, IPC_RMID | IPC_64, NULL), EINVAL);

    CHECK_ERR(msgctl(-1, IPC_STAT, BAD_PTR), EINVAL);
    CHECK_ERR(semctl(-1, 0, IPC_STAT, BAD_PTR), EINVAL);
    CHECK_ERR(shmctl(-1, IPC_STAT, BAD_PTR), EINVAL);

    CHECK_ERR(msgsnd(msqid, BAD_PTR, (size_t)-1, 0), EFAULT);
    CHECK_ERR(msgsnd(msqid, &m, 1UL << 40, 0), EINVAL);
    CHECK_ERR(msgsnd(-1, &m, 1UL << 40, 0), EINVAL);
    CHECK(msgsnd(msqid, &m, 2, 0) == 0);
    CHECK(msgrcv(msqid, &m, 8, 0, 0) == 2);
    CHECK(msgctl(msqid, IPC_STAT, &mds) == 0);
    CHECK(mds.msg_lrpid == getpid() && mds.msg_lspid == getpid());

    int mmax = msgctl(0, MSG_INFO, (struct msqid_ds *)&mi);
    int smax = semctl(0, 0, SEM_INFO, &si);
    int hmax = shmctl(0, SHM_INFO, (struct shmid_ds *)&hi);
    CHECK(mmax >= 0 && smax >= 0 && hmax >= 0);
    CHECK(find_any(msg_any, mmax, msqid, &mds));
    CHECK(find_any(sem_any, smax, semid, &sds) && sds.sem_nsems == 2);
    CHECK(find_any(shm_any, hmax, shmid, &hds) && hds.shm_segsz == 4096);
    return guest_done("sc_ipc_linux");
}
