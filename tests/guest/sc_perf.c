/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * perf_event_open and the perf event ioctls (RESET, ENABLE, DISABLE, ID,
 * PERIOD) on a software counter, as LTP's perf_event_open01 uses them.
 * Exit 77 (skipped) when the host refuses perf events (perf_event_paranoid,
 * a container).  Not compared with qemu-riscv64 7.2, which lacks
 * perf_event_open (ENOSYS).
 */
#include <linux/perf_event.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "guest.h"

int main(void)
{
    struct perf_event_attr attr;
    uint64_t id = 0, count = 0, period = 100000;

    memset(&attr, 0, sizeof(attr));
    attr.size = sizeof(attr);
    attr.type = PERF_TYPE_SOFTWARE;
    attr.config = PERF_COUNT_SW_TASK_CLOCK;
    attr.disabled = 1;
    attr.exclude_kernel = 1;
    attr.exclude_hv = 1;
    int fd = syscall(SYS_perf_event_open, &attr, 0, -1, -1, 0);
    if (fd < 0) {
        printf("sc_perf: perf_event_open: %s: skipped\n", strerror(errno));
        return 77;
    }
    CHECK(ioctl(fd, PERF_EVENT_IOC_RESET, 0) == 0);
    CHECK(ioctl(fd, PERF_EVENT_IOC_ENABLE, 0) == 0);
    for (volatile int i = 0; i < 1000000; i++) {
    }
    CHECK(ioctl(fd, PERF_EVENT_IOC_DISABLE, 0) == 0);
    CHECK(read(fd, &count, sizeof(count)) == sizeof(count) && count > 0);
    CHECK(ioctl(fd, PERF_EVENT_IOC_ID, &id) == 0 && id != 0);
    CHECK_ERR(ioctl(fd, PERF_EVENT_IOC_ID, (void *)1), EFAULT);
    CHECK(ioctl(fd, PERF_EVENT_IOC_PERIOD, &period) == 0 || errno == EINVAL);
    close(fd);
    return guest_done("sc_perf");
}
