/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * membarrier (LTP's membarrier01): the expedited commands fail with EPERM
 * until the process registered for them, MEMBARRIER_CMD_GET_REGISTRATIONS
 * reports the process's own registrations, flags are checked, and
 * registrations are inherited by a fork child.  ctcg used to pass every
 * command to the host, where the emulator's own registration (liburcu's)
 * made an unregistered guest's PRIVATE_EXPEDITED succeed.  Commands the
 * host kernel does not support (QUERY) are skipped.
 */
#include <linux/membarrier.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "guest.h"

#define GET_REGISTRATIONS (1 << 9)

static long mb(int cmd, unsigned flags)
{
    return syscall(SYS_membarrier, cmd, flags, 0);
}

int main(void)
{
    long query = mb(MEMBARRIER_CMD_QUERY, 0);
    int status = -1;
    pid_t pid;

    if (query < 0) {
        printf("membarrier: not supported\n");
        return guest_done("sc_membarrier");
    }
    CHECK_ERR(mb(MEMBARRIER_CMD_QUERY, 1), EINVAL);
    CHECK_ERR(mb(1 << 30, 0), EINVAL);
    if (query & MEMBARRIER_CMD_PRIVATE_EXPEDITED) {
        CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0), EPERM);
        CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 1), EINVAL);
    }
    if (query & MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE) {
        CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, 0), EPERM);
    }
    if (query & MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ) {
        CHECK_ERR(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0), EPERM);
    }
    if (query & GET_REGISTRATIONS) {
        CHECK(mb(GET_REGISTRATIONS, 0) == 0);
    }
    if (query & MEMBARRIER_CMD_GLOBAL) {
        CHECK(mb(MEMBARRIER_CMD_GLOBAL, 0) == 0);
    }
    if (query & MEMBARRIER_CMD_PRIVATE_EXPEDITED) {
        CHECK(mb(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0) == 0);
        CHECK(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0) == 0);
        if (query & GET_REGISTRATIONS) {
            CHECK(mb(GET_REGISTRATIONS, 0) ==
                  MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED);
        }
        pid = fork();
        if (pid == 0) {
            _exit(mb(MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0) == 0 ? 0 : 1);
        }
        CHECK(waitpid(pid, &status, 0) == pid && status == 0);
    }
    printf("membarrier: checked\n");
    return guest_done("sc_membarrier");
}
