/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tids of a thread clone (CLONE_PARENT_SETTID, CLONE_CHILD_SETTID,
 * CLONE_CHILD_CLEARTID) when the child runs, and exits, before its parent
 * is back from clone.  Linux writes both tid words before either thread
 * runs on; each child here checks them, then overwrites the parent's word
 * with a value of its own and exits at once (glibc's clone: the exit
 * syscall).  The parent waits for the cleared child word (futex) and
 * checks that clone returned the child's tid and that the child's value
 * is still there: a parent-side write of the tid after the child ran would
 * overwrite it.  ctcg lets such a child run its guest code before the
 * parent is done with the clone and waits at the child's exit instead
 * (linux-user/thread.c, issue 14): this is that path.  Half of the rounds
 * run on one CPU, where the new thread tends to run first.
 */
#include <linux/futex.h>
#include <sched.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "guest.h"

#define ROUNDS 2000
#define STACK (64 * 1024)
#define CHILD_VALUE 0x5a5a5a5a

static char stack[STACK] __attribute__((aligned(16)));
static volatile int32_t ptid, ctid; /* the tid words */
static volatile int32_t child_tid, child_saw_ptid, child_saw_ctid;

static int child(void *arg)
{
    int spin = (int)(intptr_t)arg;

    child_tid = (int32_t)syscall(SYS_gettid);
    child_saw_ptid = ptid;
    child_saw_ctid = ctid;
    ptid = CHILD_VALUE;
    for (volatile int i = 0; i < spin; i++) {
    }
    return 0;
}

static void wait_cleared(void)
{
    int32_t v;

    while ((v = __atomic_load_n(&ctid, __ATOMIC_ACQUIRE)) != 0) {
        syscall(SYS_futex, &ctid, FUTEX_WAIT, v, NULL, NULL, 0);
    }
}

int main(void)
{
    const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
                      CLONE_THREAD | CLONE_SYSVSEM | CLONE_PARENT_SETTID |
                      CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID;
    int bad_ret = 0, bad_ptid = 0, bad_child = 0;
    cpu_set_t all, one;

    CHECK(sched_getaffinity(0, sizeof(all), &all) == 0);
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu() >= 0 ? sched_getcpu() : 0, &one);
    for (int r = 0; r < ROUNDS; r++) {
        int tid;

        if (r == ROUNDS / 2) {
            sched_setaffinity(0, sizeof(one), &one); /* best effort */
        }
        ptid = 0;
        ctid = -1;
        child_tid = child_saw_ptid = child_saw_ctid = 0;
        tid = clone(child, stack + STACK, flags, (void *)(intptr_t)(r % 7),
                    &ptid, NULL, &ctid);
        CHECK(tid > 0);
        if (tid <= 0) {
            break;
        }
        wait_cleared();
        bad_ret += tid != child_tid;
        bad_ptid += ptid != CHILD_VALUE;
        bad_child += child_saw_ptid != tid || child_saw_ctid != tid;
    }
    sched_setaffinity(0, sizeof(all), &all);
    CHECK(bad_ret == 0);
    CHECK(bad_ptid == 0);
    CHECK(bad_child == 0);
    if (bad_ret || bad_ptid || bad_child) {
        fprintf(stderr,
                "rounds %d: wrong return %d, parent word %d, child %d\n",
                ROUNDS, bad_ret, bad_ptid, bad_child);
    }
    return guest_done("sc_clonetid");
}
