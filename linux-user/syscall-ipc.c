/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPC syscalls: System V message queues, semaphores and shared memory,
 * and POSIX message queues.
 *
 * Design: the objects live in the host kernel; the guest's calls go to the
 * host's with their pointers translated.  riscv64 has no ipc() multiplexer
 * and, like x86-64, no ipc_parse_version(): the *ctl calls always use the
 * 64-bit structures and a command with IPC_64 (0x100) set is EINVAL, so
 * the command is passed on as it is (glibc passes it without IPC_64 on
 * both).  Structure layouts (checked with both compilers):
 *  - ipc64_perm, msqid64_ds, shmid64_ds, msginfo, seminfo, shminfo64,
 *    shm_info, sembuf, the msgbuf (long mtype, then the text), mq_attr,
 *    timespec: identical on riscv64 and x86-64, passed through;
 *  - semid64_ds: asm-generic (88 bytes: otime, ctime, nsems) vs x86-64's
 *    own (104 bytes, a reserved word after each time): converted;
 *  - sigevent (mq_notify): the same layout, sigev_signo converted to the
 *    host number for SIGEV_SIGNAL, the cookie pointer of SIGEV_THREAD
 *    (glibc's netlink notification) translated to a host pointer.
 *
 * Pointers the host kernel reads or writes itself are checked against the
 * guest space only; one outside it becomes a host pointer that faults
 * (ipc_ptr), so the host reports EFAULT at the point Linux would, after
 * the argument and permission checks that come first.  Converted
 * structures go through copy_from_guest/copy_to_guest, in the order Linux
 * copies them.  Calls that block (msgsnd, msgrcv, semop, semtimedop,
 * mq_timedsend, mq_timedreceive) go through SAFE_SYSCALL.
 *
 * shmat and shmdt change the guest memory map: mmap.c's target_shmat and
 * target_shmdt do that under mmap_lock; this file checks the address and
 * flags as Linux does first and asks the host for the segment's size.
 */
#include <string.h>
#include <limits.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"

/* Commands (include/uapi/linux/{ipc,msg,sem,shm}.h, the same on both). */
#define T_IPC_RMID 0
#define T_IPC_SET 1
#define T_IPC_STAT 2
#define T_IPC_INFO 3
#define T_MSG_STAT 11
#define T_MSG_INFO 12
#define T_MSG_STAT_ANY 13
#define T_GETPID 11
#define T_GETVAL 12
#define T_GETALL 13
#define T_GETNCNT 14
#define T_GETZCNT 15
#define T_SETVAL 16
#define T_SETALL 17
#define T_SEM_STAT 18
#define T_SEM_INFO 19
#define T_SEM_STAT_ANY 20
#define T_SHM_LOCK 11
#define T_SHM_UNLOCK 12
#define T_SHM_STAT 13
#define T_SHM_INFO 14
#define T_SHM_STAT_ANY 15

/* Sizes of the structures passed through. */
#define T_MSQID_DS 120
#define T_MSGINFO 32
#define T_SEMINFO 40
#define T_SHMID_DS 112
#define T_SHMINFO 72
#define T_SHM_INFO_SIZE 48
#define T_SEMBUF 6
#define T_MQ_ATTR 64
#define T_TIMESPEC 16
#define T_SIGEVENT 64
#define T_NOTIFY_COOKIE 32

/* struct semid64_ds, riscv64 (asm-generic, 64-bit) */
struct target_semid64_ds {
    uint8_t sem_perm[48];
    int64_t sem_otime;
    int64_t sem_ctime;
    uint64_t sem_nsems;
    uint64_t unused3, unused4;
};

/* struct semid64_ds, x86-64 (arch/x86/include/uapi/asm/sembuf.h) */
struct host_semid64_ds {
    uint8_t sem_perm[48];
    int64_t sem_otime;
    uint64_t unused1;
    int64_t sem_ctime;
    uint64_t unused2;
    uint64_t sem_nsems;
    uint64_t unused3, unused4;
};

_Static_assert(sizeof(struct target_semid64_ds) == 88, "riscv64 semid64_ds");
_Static_assert(sizeof(struct host_semid64_ds) == 104, "x86-64 semid64_ds");

/* A host address the kernel refuses (above the user half): EFAULT. */
#define IPC_BAD_PTR ((void *)(uintptr_t)0xfffffffffffff000ull)

/*
 * The host pointer for a buffer of @len bytes at guest @addr that the host
 * kernel reads or writes: g2h(addr) when the range is inside the guest
 * space (pages the guest has not mapped fault there too), IPC_BAD_PTR
 * otherwise.  Code pages we write-protected are made writable first.
 */
static void *ipc_ptr(uint64_t addr, uint64_t len)
{
    if (!guest_range_valid(addr, len)) {
        return IPC_BAD_PTR;
    }
    guest_unprotect_range(addr, len);
    return g2h(addr);
}

/* Same, but a guest NULL stays NULL (an optional argument). */
static void *ipc_ptr_opt(uint64_t addr, uint64_t len)
{
    return addr ? ipc_ptr(addr, len) : NULL;
}

/* ------------------------------------------------------------------ */
/* Message queues */

static int64_t do_msgctl(int id, int cmd, uint64_t buf)
{
    switch (cmd) {
    case T_IPC_RMID:
        return HOST_SYSCALL(SYS_msgctl, id, cmd, NULL);
    case T_IPC_STAT:
    case T_IPC_SET:
    case T_MSG_STAT:
    case T_MSG_STAT_ANY:
        return HOST_SYSCALL(SYS_msgctl, id, cmd, ipc_ptr(buf, T_MSQID_DS));
    case T_IPC_INFO:
    case T_MSG_INFO:
        return HOST_SYSCALL(SYS_msgctl, id, cmd, ipc_ptr(buf, T_MSGINFO));
    default:
        return -EINVAL; /* IPC_64 included, as Linux on riscv64 */
    }
}

/* The size of a msgbuf: long mtype, then @size bytes of text. */
static uint64_t msgbuf_len(uint64_t size)
{
    return size > guest_space_size ? guest_space_size + 1 : size + 8;
}

/*
 * msgsnd(id, msgp, size, flags): Linux reads mtype, then answers EINVAL
 * for a size past msgmax, a negative id or an mtype below 1, and only
 * then copies the text (EFAULT).  When the whole buffer is not guest
 * memory, that order is kept here (LTP msgsnd02: size -1 is EINVAL); the
 * host's msgmax is the one that counts.
 */
static int64_t do_msgsnd(int id, uint64_t msgp, uint64_t size, int flags)
{
    int64_t mtype;
    struct msginfo info;

    if (!guest_range_valid(msgp, msgbuf_len(size))) {
        if (copy_from_guest(&mtype, msgp, sizeof(mtype))) {
            return -EFAULT;
        }
        if (syscall(SYS_msgctl, 0, IPC_INFO, &info) < 0) {
            info.msgmax = INT_MAX;
        }
        if (size > (uint64_t)info.msgmax || id < 0 || mtype < 1) {
            return -EINVAL;
        }
        return -EFAULT;
    }
    return SAFE_SYSCALL(SYS_msgsnd, (long)id, ipc_ptr(msgp, msgbuf_len(size)),
                        (long)size, (long)flags);
}

/* ------------------------------------------------------------------ */
/* Semaphores */

static void semid_to_host(struct host_semid64_ds *h,
                          const struct target_semid64_ds *t)
{
    memset(h, 0, sizeof(*h));
    memcpy(h->sem_perm, t->sem_perm, sizeof(h->sem_perm));
    h->sem_otime = t->sem_otime;
    h->sem_ctime = t->sem_ctime;
    h->sem_nsems = t->sem_nsems;
}

static void semid_to_target(struct target_semid64_ds *t,
                            const struct host_semid64_ds *h)
{
    memset(t, 0, sizeof(*t));
    memcpy(t->sem_perm, h->sem_perm, sizeof(t->sem_perm));
    t->sem_otime = h->sem_otime;
    t->sem_ctime = h->sem_ctime;
    t->sem_nsems = h->sem_nsems;
}

/* IPC_STAT, SEM_STAT, SEM_STAT_ANY: the host's answer, converted. */
static int64_t semctl_stat(int id, int num, int cmd, uint64_t buf)
{
    struct host_semid64_ds h;
    struct target_semid64_ds t;
    int64_t ret = HOST_SYSCALL(SYS_semctl, id, num, cmd, &h);

    if (ret < 0) {
        return ret;
    }
    semid_to_target(&t, &h);
    if (copy_to_guest(buf, &t, sizeof(t))) {
        return -EFAULT;
    }
    return ret;
}

/*
 * GETALL, SETALL: the array has one unsigned short per semaphore; the
 * host's IPC_STAT (which needs the read permission both need) says how
 * many, for the range check.
 */
static int64_t semctl_all(int id, int cmd, uint64_t arr)
{
    struct host_semid64_ds h;
    int64_t ret = HOST_SYSCALL(SYS_semctl, id, 0, T_IPC_STAT, &h);

    if (ret < 0) {
        return ret;
    }
    return HOST_SYSCALL(SYS_semctl, id, 0, cmd, ipc_ptr(arr, h.sem_nsems * 2));
}

static int64_t do_semctl(int id, int num, int cmd, uint64_t arg)
{
    struct target_semid64_ds t;
    struct host_semid64_ds h;

    switch (cmd) {
    case T_IPC_RMID:
    case T_GETPID:
    case T_GETVAL:
    case T_GETNCNT:
    case T_GETZCNT:
        return HOST_SYSCALL(SYS_semctl, id, num, cmd, 0L);
    case T_SETVAL:
        /* union semun by value: val is the low 32 bits (little-endian) */
        return HOST_SYSCALL(SYS_semctl, id, num, cmd, (long)arg);
    case T_IPC_STAT:
    case T_SEM_STAT:
    case T_SEM_STAT_ANY:
        return semctl_stat(id, num, cmd, arg);
    case T_IPC_SET:
        if (copy_from_guest(&t, arg, sizeof(t))) {
            return -EFAULT; /* Linux copies before looking the set up */
        }
        semid_to_host(&h, &t);
        return HOST_SYSCALL(SYS_semctl, id, num, cmd, &h);
    case T_IPC_INFO:
    case T_SEM_INFO:
        return HOST_SYSCALL(SYS_semctl, id, num, cmd, ipc_ptr(arg, T_SEMINFO));
    case T_GETALL:
    case T_SETALL:
        if (id < 0) {
            return -EINVAL;
        }
        return semctl_all(id, cmd, arg);
    default:
        return -EINVAL;
    }
}

static int64_t do_semtimedop(int id, uint64_t sops, uint64_t nsops,
                             uint64_t timeout)
{
    uint64_t len = nsops > guest_space_size / T_SEMBUF ? guest_space_size + 1
                                                       : nsops * T_SEMBUF;

    return SAFE_SYSCALL(SYS_semtimedop, id, ipc_ptr(sops, len), (long)nsops,
                        ipc_ptr_opt(timeout, T_TIMESPEC));
}

/* ------------------------------------------------------------------ */
/* Shared memory */

static int64_t do_shmctl(int id, int cmd, uint64_t buf)
{
    switch (cmd) {
    case T_IPC_RMID:
    case T_SHM_LOCK:
    case T_SHM_UNLOCK:
        return HOST_SYSCALL(SYS_shmctl, id, cmd, NULL);
    case T_IPC_STAT:
    case T_IPC_SET:
    case T_SHM_STAT:
    case T_SHM_STAT_ANY:
        return HOST_SYSCALL(SYS_shmctl, id, cmd, ipc_ptr(buf, T_SHMID_DS));
    case T_IPC_INFO:
        return HOST_SYSCALL(SYS_shmctl, id, cmd, ipc_ptr(buf, T_SHMINFO));
    case T_SHM_INFO:
        return HOST_SYSCALL(SYS_shmctl, id, cmd, ipc_ptr(buf, T_SHM_INFO_SIZE));
    default:
        return -EINVAL;
    }
}

/*
 * shmat(2) in Linux's order: the address and flags (EINVAL), then the
 * segment (EINVAL, EIDRM, EACCES: the host's IPC_STAT, which also gives
 * the size), then the place in the map (mmap.c).
 */
static int64_t do_shmat(int id, uint64_t addr, int flags)
{
    bool fixed = addr != 0;
    struct shmid_ds ds;
    int64_t ret;

    if (id < 0) {
        return -EINVAL;
    }
    if (addr & (TARGET_SHMLBA - 1)) {
        if (!(flags & TARGET_SHM_RND)) {
            return -EINVAL;
        }
        addr &= ~(TARGET_SHMLBA - 1);
        if (addr == 0 && (flags & TARGET_SHM_REMAP)) {
            return -EINVAL;
        }
    } else if (addr == 0 && (flags & TARGET_SHM_REMAP)) {
        return -EINVAL;
    }
    ret = HOST_SYSCALL(SYS_shmctl, id, T_IPC_STAT, &ds);
    if (ret < 0) {
        return ret;
    }
    if (fixed && addr == 0) {
        /* Rounded down to 0: MAP_FIXED there, which mmap_min_addr refuses */
        return -EPERM;
    }
    return target_shmat(id, addr, ds.shm_segsz, flags);
}

/* ------------------------------------------------------------------ */
/* POSIX message queues */

/*
 * mq_notify's sigevent: { sigev_value (8), int sigev_signo, int
 * sigev_notify, ... } (64 bytes).  SIGEV_SIGNAL's signal becomes the
 * host's; SIGEV_THREAD (glibc: a netlink socket in sigev_signo) has the
 * address of a 32-byte cookie in sigev_value, which the kernel reads.
 */
static int64_t do_mq_notify(int mqd, uint64_t addr)
{
    uint8_t ev[T_SIGEVENT];
    int32_t signo, notify;
    uint64_t cookie;
    void *hp;

    if (addr == 0) {
        return HOST_SYSCALL(SYS_mq_notify, mqd, NULL);
    }
    if (copy_from_guest(ev, addr, sizeof(ev))) {
        return -EFAULT;
    }
    memcpy(&cookie, ev, 8);
    memcpy(&signo, ev + 8, 4);
    memcpy(&notify, ev + 12, 4);
    if (notify == SIGEV_SIGNAL && signo != 0) {
        int host = signo > 0 && signo <= 64 ? target_to_host_signal(signo) : 0;

        if (host == 0) {
            return -EINVAL;
        }
        memcpy(ev + 8, &host, 4);
    } else if (notify == SIGEV_THREAD) {
        hp = ipc_ptr(cookie, T_NOTIFY_COOKIE);
        memcpy(ev, &hp, 8);
    }
    return HOST_SYSCALL(SYS_mq_notify, mqd, ev);
}

static int64_t syscall_mq(int num, const uint64_t *a)
{
    const char *name;

    switch (num) {
    case TARGET_NR_mq_open:
        GUEST_STR(name, a[0]);
        return HOST_SYSCALL(SYS_mq_open, name, (long)(int)a[1],
                            (long)(unsigned)a[2], ipc_ptr_opt(a[3], T_MQ_ATTR));
    case TARGET_NR_mq_unlink:
        GUEST_STR(name, a[0]);
        return HOST_SYSCALL(SYS_mq_unlink, name);
    case TARGET_NR_mq_timedsend:
        return SAFE_SYSCALL(
            SYS_mq_timedsend, (long)(int)a[0], ipc_ptr(a[1], a[2]), (long)a[2],
            (long)(unsigned)a[3], ipc_ptr_opt(a[4], T_TIMESPEC));
    case TARGET_NR_mq_timedreceive:
        return SAFE_SYSCALL(
            SYS_mq_timedreceive, (long)(int)a[0], ipc_ptr(a[1], a[2]),
            (long)a[2], ipc_ptr_opt(a[3], 4), ipc_ptr_opt(a[4], T_TIMESPEC));
    case TARGET_NR_mq_notify:
        return do_mq_notify((int)a[0], a[1]);
    case TARGET_NR_mq_getsetattr:
        return HOST_SYSCALL(SYS_mq_getsetattr, (long)(int)a[0],
                            ipc_ptr_opt(a[1], T_MQ_ATTR),
                            ipc_ptr_opt(a[2], T_MQ_ATTR));
    default:
        return SC_UNHANDLED;
    }
}

/**
 * syscall_ipc() - the IPC group (see the file comment).
 * Returns: the kernel-style result, or SC_UNHANDLED for other numbers.
 */
int64_t syscall_ipc(CPURISCVState *env, int num, const uint64_t *a)
{
    (void)env;
    switch (num) {
    case TARGET_NR_msgget:
        return HOST_SYSCALL(SYS_msgget, (long)(int)a[0], (long)(int)a[1]);
    case TARGET_NR_msgctl:
        return do_msgctl((int)a[0], (int)a[1], a[2]);
    case TARGET_NR_msgsnd:
        return do_msgsnd((int)a[0], a[1], a[2], (int)a[3]);
    case TARGET_NR_msgrcv:
        return SAFE_SYSCALL(SYS_msgrcv, (long)(int)a[0],
                            ipc_ptr(a[1], msgbuf_len(a[2])), (long)a[2],
                            (long)a[3], (long)(int)a[4]);
    case TARGET_NR_semget:
        return HOST_SYSCALL(SYS_semget, (long)(int)a[0], (long)(int)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_semctl:
        return do_semctl((int)a[0], (int)a[1], (int)a[2], a[3]);
    case TARGET_NR_semop:
        return do_semtimedop((int)a[0], a[1], a[2], 0);
    case TARGET_NR_semtimedop:
        return do_semtimedop((int)a[0], a[1], a[2], a[3]);
    case TARGET_NR_shmget:
        return HOST_SYSCALL(SYS_shmget, (long)(int)a[0], (long)a[1],
                            (long)(int)a[2]);
    case TARGET_NR_shmctl:
        return do_shmctl((int)a[0], (int)a[1], a[2]);
    case TARGET_NR_shmat:
        return do_shmat((int)a[0], a[1], (int)a[2]);
    case TARGET_NR_shmdt:
        return target_shmdt(a[0]);
    default:
        return syscall_mq(num, a);
    }
}
