/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A guest with one thread is a process with one thread: the emulator
 * starts no helper thread of its own (liburcu's hash-table resize worker
 * was one), because Linux treats a multithreaded process differently:
 *  - /proc/self/status says Threads: 1, also after enough code to grow the
 *    TB hash (16384 blocks, past twice its first size), and again after a second guest thread
 *    has come and gone;
 *  - a child's keyctl(KEYCTL_SESSION_TO_PARENT) succeeds and the parent
 *    then has the child's session keyring (Linux answers EPERM when the
 *    parent has several threads; LTP's landlock07).  Skipped when the host
 *    refuses keyctl (a container's seccomp filter).
 * Run under ctcg only: qemu-riscv64 7.2 has an RCU thread of its own
 * (Threads: 2) and no keyctl.
 */
#include <pthread.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "guest.h"

#define KEYCTL_GET_KEYRING_ID 0
#define KEYCTL_JOIN_SESSION_KEYRING 1
#define KEYCTL_SESSION_TO_PARENT 18
#define KEY_SPEC_SESSION_KEYRING -3

static int threads(void)
{
    char line[256];
    int n = -1;
    FILE *f = fopen("/proc/self/status", "r");

    while (f && fgets(line, sizeof(line), f)) {
        sscanf(line, "Threads: %d", &n);
    }
    if (f) {
        fclose(f);
    }
    return n;
}

/* 16384 distinct blocks of 8 bytes (addi a0, a0, 1; ret): one TB each. */
#define NBLOCKS 16384
extern char blocks[];
__asm__(".text\n.balign 8\n.globl blocks\nblocks:\n.option push\n"
        ".option norvc\n.rept 16384\naddi a0, a0, 1\nret\n.endr\n"
        ".option pop\n");

static void *nothing(void *arg)
{
    return arg;
}

static void test_threads(void)
{
    volatile int sum = 0;
    pthread_t t;

    CHECK(threads() == 1);
    for (int i = 0; i < NBLOCKS; i++) {
        sum += ((int (*)(int))(void *)(blocks + 8 * i))(i);
    }
    CHECK(sum == NBLOCKS * (NBLOCKS + 1) / 2);
    CHECK(threads() == 1);
    CHECK(pthread_create(&t, NULL, nothing, NULL) == 0);
    CHECK(threads() == 2);
    CHECK(pthread_join(t, NULL) == 0);
    /* the thread's exit is reported after join returns: wait for it */
    for (int i = 0; i < 1000 && threads() != 1; i++) {
        usleep(1000);
    }
    CHECK(threads() == 1);
    printf("threads ok (%d blocks)\n", NBLOCKS);
}

static void test_session_to_parent(void)
{
    long mine = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
                        (long)KEY_SPEC_SESSION_KEYRING, 1L);
    long theirs = 0, now;
    int p[2], st = 0;
    pid_t c;

    if (mine < 0) {
        printf("keyctl: refused by the host (errno %d), skipped\n", errno);
        return;
    }
    CHECK(pipe(p) == 0);
    c = fork();
    if (c == 0) {
        long r[2];

        r[0] = syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0L);
        r[1] = syscall(SYS_keyctl, KEYCTL_SESSION_TO_PARENT);
        if (r[1] < 0) {
            r[1] = -errno;
        }
        _exit(write(p[1], r, sizeof(r)) == sizeof(r) ? 0 : 1);
    }
    CHECK(c > 0);
    CHECK(waitpid(c, &st, 0) == c && st == 0);
    {
        long r[2] = {0, 0};

        CHECK(read(p[0], r, sizeof(r)) == sizeof(r));
        CHECK(r[0] > 0);
        CHECK(r[1] == 0); /* EPERM (-1) when this process had 2 threads */
        theirs = r[0];
    }
    now = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID,
                  (long)KEY_SPEC_SESSION_KEYRING, 0L);
    CHECK(now == theirs && now != mine);
    close(p[0]);
    close(p[1]);
    printf("session to parent ok\n");
}

int main(void)
{
    test_threads();
    test_session_to_parent();
    return guest_done("sc_onethread");
}
