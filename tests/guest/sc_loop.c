/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loop and block device ioctls: /dev/loop-control hands out a free loop
 * device, a file is attached (LOOP_SET_FD, then LOOP_CONFIGURE on a second
 * one), its status read back in both layouts (struct loop_info differs
 * between riscv64 and x86-64: converted), the block ioctls mkfs and mount
 * use answer the file's size, and the device is detached.  Also the
 * socket ioctls SIOCGIFCONF (a pointer inside: converted) and
 * SIOCGIFFLAGS/SIOCGIFINDEX on "lo", and a bad descriptor before an
 * unknown request (EBADF, not ENOTTY).
 *
 * Exits 77 (skipped) when /dev/loop-control is missing or refuses us (no
 * loop driver, not root, a container without loop devices).  Not compared
 * with qemu-riscv64 7.2, which lacks LOOP_CONFIGURE and BLKIOMIN.
 */
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/loop.h>
#include <net/if.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "guest.h"

#define SIZE (1024 * 1024)

static void test_net(void)
{
    struct ifreq req[32];
    struct ifconf ifc = {.ifc_len = sizeof(req), .ifc_req = req};
    struct ifreq lo;
    int s = socket(AF_INET, SOCK_DGRAM, 0), found = 0;

    CHECK(s >= 0);
    CHECK(ioctl(s, SIOCGIFCONF, &ifc) == 0);
    CHECK(ifc.ifc_len > 0 && ifc.ifc_len % sizeof(struct ifreq) == 0);
    for (int i = 0; i < ifc.ifc_len / (int)sizeof(struct ifreq); i++) {
        found |= strcmp(req[i].ifr_name, "lo") == 0;
    }
    CHECK(found);
    memset(&lo, 0, sizeof(lo));
    strcpy(lo.ifr_name, "lo");
    CHECK(ioctl(s, SIOCGIFFLAGS, &lo) == 0 && (lo.ifr_flags & IFF_LOOPBACK));
    CHECK(ioctl(s, SIOCGIFINDEX, &lo) == 0 && lo.ifr_ifindex > 0);
    CHECK_ERR(ioctl(s, SIOCGIFFLAGS, (void *)8), EFAULT);
    close(s);
    CHECK_ERR(ioctl(-1, 0x12345678, 0), EBADF);
    CHECK_ERR(ioctl(0, 0x12345678, 0), ENOTTY);
}

static int attach(int ctl, const char *file, char *dev, int configure)
{
    int n = ioctl(ctl, LOOP_CTL_GET_FREE);
    int fd, lfd;

    if (n < 0) {
        return -1;
    }
    snprintf(dev, 32, "/dev/loop%d", n);
    lfd = open(dev, O_RDWR);
    fd = open(file, O_RDWR);
    CHECK(lfd >= 0 && fd >= 0);
    if (configure) {
        struct loop_config c;

        memset(&c, 0, sizeof(c));
        c.fd = fd;
        c.block_size = 4096;
        snprintf((char *)c.info.lo_file_name, LO_NAME_SIZE, "ctcg-cfg");
        if (ioctl(lfd, LOOP_CONFIGURE, &c) != 0) {
            CHECK(0);
        }
    } else {
        CHECK(ioctl(lfd, LOOP_SET_FD, fd) == 0);
    }
    close(fd);
    return lfd;
}

static void test_loop(int ctl, const char *file)
{
    char dev[32];
    struct loop_info info;
    struct loop_info64 info64;
    uint64_t size64 = 0;
    unsigned long sectors = 0;
    int lfd = attach(ctl, file, dev, 0), ssz = 0, ro = -1;
    unsigned int iomin = 0;

    if (lfd < 0) {
        return;
    }
    CHECK(ioctl(lfd, BLKGETSIZE64, &size64) == 0 && size64 == SIZE);
    CHECK(ioctl(lfd, BLKGETSIZE, &sectors) == 0 && sectors == SIZE / 512);
    CHECK(ioctl(lfd, BLKSSZGET, &ssz) == 0 && ssz == 512);
    CHECK(ioctl(lfd, BLKROGET, &ro) == 0 && ro == 0);
    CHECK(ioctl(lfd, BLKIOMIN, &iomin) == 0 && iomin >= 512);
    CHECK(ioctl(lfd, BLKFLSBUF, 0) == 0);
    CHECK(ioctl(lfd, LOOP_SET_BLOCK_SIZE, 4096) == 0);
    CHECK(ioctl(lfd, BLKSSZGET, &ssz) == 0 && ssz == 4096);
    memset(&info, 0, sizeof(info));
    snprintf(info.lo_name, LO_NAME_SIZE, "ctcg-old");
    info.lo_offset = 4096;
    CHECK(ioctl(lfd, LOOP_SET_STATUS, &info) == 0);
    memset(&info, 0, sizeof(info));
    CHECK(ioctl(lfd, LOOP_GET_STATUS, &info) == 0);
    CHECK(strcmp(info.lo_name, "ctcg-old") == 0 && info.lo_offset == 4096);
    CHECK(info.lo_inode != 0 && info.lo_number == atoi(dev + 9));
    CHECK(ioctl(lfd, LOOP_GET_STATUS64, &info64) == 0);
    CHECK(info64.lo_offset == 4096 && info64.lo_inode == info.lo_inode);
    CHECK(ioctl(lfd, BLKGETSIZE64, &size64) == 0 && size64 == SIZE - 4096);
    CHECK_ERR(ioctl(lfd, LOOP_GET_STATUS, NULL), EINVAL);
    CHECK_ERR(ioctl(lfd, LOOP_GET_STATUS64, (void *)8), EFAULT);
    CHECK(ioctl(lfd, LOOP_CLR_FD, 0) == 0);
    close(lfd);

    lfd = attach(ctl, file, dev, 1);
    if (lfd < 0) {
        return;
    }
    CHECK(ioctl(lfd, BLKSSZGET, &ssz) == 0 && ssz == 4096);
    CHECK(ioctl(lfd, LOOP_GET_STATUS64, &info64) == 0);
    CHECK(strcmp((char *)info64.lo_file_name, "ctcg-cfg") == 0);
    CHECK(ioctl(lfd, LOOP_CLR_FD, 0) == 0);
    close(lfd);
}

int main(void)
{
    char path[128];
    int ctl, fd;

    test_net();
    ctl = open("/dev/loop-control", O_RDWR);
    if (ctl < 0 || ioctl(ctl, LOOP_CTL_GET_FREE) < 0) {
        fprintf(stderr, "/dev/loop-control not usable (errno %d): skipped\n",
                errno);
        return guest_failures ? 1 : 77;
    }
    snprintf(path, sizeof(path), "%s/img", guest_tmpdir());
    fd = open(path, O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0 && ftruncate(fd, SIZE) == 0);
    close(fd);
    test_loop(ctl, path);
    unlink(path);
    close(ctl);
    return guest_done("sc_loop");
}
