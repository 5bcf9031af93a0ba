/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * System V message queues: send and receive by type (0, > 0, < 0,
 * MSG_EXCEPT), IPC_NOWAIT/ENOMSG, MSG_NOERROR/E2BIG, a receive that
 * blocks until a forked child sends, IPC_STAT fields, IPC_SET, IPC_INFO,
 * IPC_RMID, and the errors: EFAULT for bad pointers, EINVAL for a bad
 * command or type or a size past msgmax (before EFAULT for the text,
 * as Linux), ENOENT/EEXIST for keys, EACCES for another user.
 * Queues are IPC_PRIVATE or keyed by pid, and removed at exit.
 */
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "guest.h"

#define BAD_PTR ((void *)1)

static int qids[4];
static int nqids;

static void cleanup(void)
{
    for (int i = 0; i < nqids; i++) {
        msgctl(qids[i], IPC_RMID, NULL);
    }
}

static int new_queue(key_t key, int flags)
{
    int id = msgget(key, flags);

    if (id >= 0 && nqids < 4) {
        qids[nqids++] = id;
    }
    return id;
}

struct msg {
    long mtype;
    char text[32];
};

static int snd(int id, long type, const char *text)
{
    struct msg m = {.mtype = type};

    strcpy(m.text, text);
    return msgsnd(id, &m, strlen(text) + 1, 0);
}

/* Receive at most @size bytes: the length, the text in @out (32 bytes). */
static long rcv(int id, long type, int flags, char *out, size_t size)
{
    struct msg m;
    long n = msgrcv(id, &m, size, type, flags);

    memset(out, 0, 32);
    if (n >= 0) {
        memcpy(out, m.text, n < 31 ? n : 31);
        if (m.mtype <= 0) {
            return -2;
        }
    }
    return n;
}

static void test_types(int id)
{
    char buf[32];

    CHECK(snd(id, 1, "one") == 0);
    CHECK(snd(id, 2, "two") == 0);
    CHECK(snd(id, 3, "three") == 0);
    CHECK(snd(id, 1, "four") == 0);
    CHECK(rcv(id, 2, 0, buf, 32) == 4 && strcmp(buf, "two") == 0);
    CHECK(rcv(id, 1, MSG_EXCEPT, buf, 32) == 6 && strcmp(buf, "three") == 0);
    CHECK(rcv(id, 0, 0, buf, 32) == 4 && strcmp(buf, "one") == 0);
    CHECK(snd(id, 5, "five") == 0);
    CHECK(rcv(id, -4, 0, buf, 32) == 5 && strcmp(buf, "four") == 0);
    CHECK_ERR(rcv(id, 4, IPC_NOWAIT, buf, 32), ENOMSG);
    CHECK(rcv(id, -5, 0, buf, 32) == 5 && strcmp(buf, "five") == 0);
    CHECK_ERR(rcv(id, 0, IPC_NOWAIT, buf, 32), ENOMSG);
    printf("types: ok\n");
}

static void test_noerror(int id)
{
    char buf[32];

    CHECK(snd(id, 7, "abcdefghij") == 0);
    CHECK_ERR(rcv(id, 0, IPC_NOWAIT, buf, 4), E2BIG);
    CHECK(rcv(id, 0, MSG_NOERROR, buf, 4) == 4 && memcmp(buf, "abcd", 4) == 0);
    CHECK_ERR(rcv(id, 0, IPC_NOWAIT, buf, 32), ENOMSG);
    printf("noerror: ok\n");
}

static void test_stat(int id)
{
    struct msqid_ds ds;
    struct msginfo info;

    CHECK(snd(id, 1, "xyz") == 0);
    CHECK(snd(id, 1, "0123456") == 0);
    memset(&ds, 0xff, sizeof(ds));
    CHECK(msgctl(id, IPC_STAT, &ds) == 0);
    CHECK(ds.msg_qnum == 2);
    CHECK(ds.__msg_cbytes == 12);
    CHECK((ds.msg_perm.mode & 0777) == 0600);
    CHECK(ds.msg_perm.uid == geteuid() && ds.msg_perm.cuid == geteuid());
    CHECK(ds.msg_lspid == getpid());
    CHECK(ds.msg_qbytes > 0);
    CHECK(ds.msg_stime != 0 && ds.msg_ctime != 0);
    ds.msg_qbytes = 1000;
    ds.msg_perm.mode = 0640;
    CHECK(msgctl(id, IPC_SET, &ds) == 0);
    memset(&ds, 0, sizeof(ds));
    CHECK(msgctl(id, IPC_STAT, &ds) == 0);
    CHECK(ds.msg_qbytes == 1000 && (ds.msg_perm.mode & 0777) == 0640);
    memset(&info, 0, sizeof(info));
    CHECK(msgctl(0, IPC_INFO, (struct msqid_ds *)&info) >= 0);
    CHECK(info.msgmax > 0 && info.msgmnb > 0 && info.msgmni > 0);
    CHECK(msgctl(0, MSG_INFO, (struct msqid_ds *)&info) >= 0);
    printf("stat: ok\n");
}

/* The parent blocks in msgrcv until the child sends. */
static void test_block(int id)
{
    char buf[32];
    pid_t pid = fork();

    if (pid == 0) {
        usleep(100000);
        _exit(snd(id, 9, "late") == 0 ? 0 : 1);
    }
    CHECK(rcv(id, 9, 0, buf, 32) == 5 && strcmp(buf, "late") == 0);
    int st = -1;
    CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    printf("block: ok\n");
}

static void test_errors(int id)
{
    struct msg m = {.mtype = 0};
    struct msqid_ds ds;
    key_t key = 0x5a000000 | (getpid() & 0xffffff);

    CHECK_ERR(msgsnd(id, &m, 4, 0), EINVAL);
    CHECK_ERR(msgsnd(id, BAD_PTR, 4, 0), EFAULT);
    CHECK_ERR(msgsnd(-1, &m, 4, 0), EINVAL);
    /*
     * Linux reads mtype, then checks the size (EINVAL) before the text
     * (EFAULT): a size past the end of memory is EINVAL (LTP msgsnd02;
     * more in sc_ipc_linux, where qemu-riscv64 differs).
     */
    m.mtype = 1;
    CHECK_ERR(msgsnd(id, &m, (size_t)-1, 0), EINVAL);
    CHECK(snd(id, 1, "x") == 0);
    CHECK_ERR(msgrcv(id, BAD_PTR, 32, 0, 0), EFAULT);
    CHECK_ERR(msgrcv(id, (void *)-1L, 32, 0, 0), EFAULT);
    CHECK_ERR(msgctl(id, IPC_STAT, BAD_PTR), EFAULT);
    CHECK_ERR(msgctl(id, IPC_SET, BAD_PTR), EFAULT);
    CHECK_ERR(msgctl(id, 99, &ds), EINVAL);
    CHECK_ERR(msgctl(-1, IPC_STAT, &ds), EINVAL);
    CHECK_ERR(msgget(key, 0600), ENOENT);
    int k = new_queue(key, IPC_CREAT | 0600);
    CHECK(k >= 0);
    CHECK(msgget(key, 0) == k);
    CHECK_ERR(msgget(key, IPC_CREAT | IPC_EXCL | 0600), EEXIST);
    if (geteuid() == 0) {
        pid_t pid = fork();

        if (pid == 0) {
            int ok = setuid(65534) == 0;
            errno = 0;
            ok = ok && msgget(key, 0600) == -1 && errno == EACCES;
            ok = ok && msgctl(k, IPC_STAT, &ds) == -1 && errno == EACCES;
            _exit(ok ? 0 : 1);
        }
        int st = -1;
        CHECK(waitpid(pid, &st, 0) == pid && st == 0);
    }
    CHECK(msgctl(k, IPC_RMID, NULL) == 0);
    CHECK_ERR(msgctl(k, IPC_STAT, &ds), EINVAL);
    CHECK_ERR(snd(k, 1, "gone"), EINVAL);
    printf("errors: ok\n");
}

int main(void)
{
    atexit(cleanup);
    int id = new_queue(IPC_PRIVATE, IPC_CREAT | 0600);

    CHECK(id >= 0);
    if (id < 0) {
        return guest_done("sc_msg");
    }
    test_types(id);
    test_noerror(id);
    test_stat(id);
    test_block(id);
    test_errors(id);
    return guest_done("sc_msg");
}
