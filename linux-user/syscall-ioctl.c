/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ioctl: the requests a riscv64 program commonly sends, passed through
 * with the argument checked: terminals, pipes and FIO*, sockets and
 * network devices (SIOC*), tun, block devices (BLK*), loop devices and
 * /dev/loop-control, file systems (FS_IOC_*, FI*), perf events, RTC,
 * /dev/random.
 *
 * Design: riscv64 and x86-64 both use the asm-generic request numbers and,
 * for nearly everything listed here, the same argument layouts (the
 * kernel's struct termios with NCCS 19, termios2, winsize, ifreq (40
 * bytes), arpreq, loop_info64, loop_config, rtc_time, fsxattr, ints and
 * longs), so each entry only says how the argument is used: none, a plain
 * value, or a buffer of a given size the kernel reads and/or writes, given
 * to the host with HOST_PTR (a bad pointer faults in the host kernel,
 * after its EBADF/ENOTTY checks, as in Linux).  The exceptions have a
 * handler: struct loop_info (x86-64's __kernel_old_dev_t is a long,
 * riscv64's an int: converted), struct ifconf (holds a pointer), and
 * arguments whose size is in the argument (FS_IOC_FIEMAP, FIDEDUPERANGE,
 * RNDADDENTROPY) or that are strings (SIOCBRADDBR).  Requests that hold
 * pointers ioctl does not translate (SIOCETHTOOL and the other ifr_data
 * ones, SIOCADDRT, BLKPG, TUNATTACHFILTER) are left out.  Requests not in
 * the table answer -ENOTTY (what the kernel says for an unknown request
 * on most files; EBADF first for a bad descriptor), logged under -d unimp.
 */
#include <fcntl.h>
#include <linux/loop.h>
#include <string.h>

#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

enum {
    IOC_NONE,
    IOC_VAL,
    IOC_PTR,
    IOC_SPECIAL /* ioctl_special() */
};

typedef struct IoctlEntry {
    uint32_t req;
    uint8_t kind;
    uint16_t size; /* IOC_PTR: bytes the kernel reads or writes */
    const char *name;
} IoctlEntry;

#define E(r, k, s, n) \
    {                 \
        r, k, s, n    \
    }

static const IoctlEntry ioctl_table[] = {
    E(0x5401, IOC_PTR, 36, "TCGETS"),
    E(0x5402, IOC_PTR, 36, "TCSETS"),
    E(0x5403, IOC_PTR, 36, "TCSETSW"),
    E(0x5404, IOC_PTR, 36, "TCSETSF"),
    E(0x5405, IOC_PTR, 18, "TCGETA"),
    E(0x5406, IOC_PTR, 18, "TCSETA"),
    E(0x5407, IOC_PTR, 18, "TCSETAW"),
    E(0x5408, IOC_PTR, 18, "TCSETAF"),
    E(0x5409, IOC_VAL, 0, "TCSBRK"),
    E(0x540A, IOC_VAL, 0, "TCXONC"),
    E(0x540B, IOC_VAL, 0, "TCFLSH"),
    E(0x540C, IOC_NONE, 0, "TIOCEXCL"),
    E(0x540D, IOC_NONE, 0, "TIOCNXCL"),
    E(0x540E, IOC_VAL, 0, "TIOCSCTTY"),
    E(0x540F, IOC_PTR, 4, "TIOCGPGRP"),
    E(0x5410, IOC_PTR, 4, "TIOCSPGRP"),
    E(0x5411, IOC_PTR, 4, "TIOCOUTQ"),
    E(0x5412, IOC_PTR, 1, "TIOCSTI"),
    E(0x5413, IOC_PTR, 8, "TIOCGWINSZ"),
    E(0x5414, IOC_PTR, 8, "TIOCSWINSZ"),
    E(0x5415, IOC_PTR, 4, "TIOCMGET"),
    E(0x5416, IOC_PTR, 4, "TIOCMBIS"),
    E(0x5417, IOC_PTR, 4, "TIOCMBIC"),
    E(0x5418, IOC_PTR, 4, "TIOCMSET"),
    E(0x5419, IOC_PTR, 4, "TIOCGSOFTCAR"),
    E(0x541A, IOC_PTR, 4, "TIOCSSOFTCAR"),
    E(0x541B, IOC_PTR, 4, "FIONREAD"),
    E(0x5420, IOC_PTR, 4, "TIOCPKT"),
    E(0x5421, IOC_PTR, 4, "FIONBIO"),
    E(0x5422, IOC_NONE, 0, "TIOCNOTTY"),
    E(0x5423, IOC_PTR, 4, "TIOCSETD"),
    E(0x5424, IOC_PTR, 4, "TIOCGETD"),
    E(0x5425, IOC_VAL, 0, "TCSBRKP"),
    E(0x5427, IOC_NONE, 0, "TIOCSBRK"),
    E(0x5428, IOC_NONE, 0, "TIOCCBRK"),
    E(0x5429, IOC_PTR, 4, "TIOCGSID"),
    E(0x802c542a, IOC_PTR, 44, "TCGETS2"),
    E(0x402c542b, IOC_PTR, 44, "TCSETS2"),
    E(0x402c542c, IOC_PTR, 44, "TCSETSW2"),
    E(0x402c542d, IOC_PTR, 44, "TCSETSF2"),
    E(0x80045430, IOC_PTR, 4, "TIOCGPTN"),
    E(0x40045431, IOC_PTR, 4, "TIOCSPTLCK"),
    E(0x80045432, IOC_PTR, 4, "TIOCGDEV"),
    E(0x80045438, IOC_PTR, 4, "TIOCGPKT"),
    E(0x80045439, IOC_PTR, 4, "TIOCGPTLCK"),
    E(0x80045440, IOC_PTR, 4, "TIOCGEXCL"),
    E(0x5441, IOC_VAL, 0, "TIOCGPTPEER"),
    E(0x5450, IOC_NONE, 0, "FIONCLEX"),
    E(0x5451, IOC_NONE, 0, "FIOCLEX"),
    E(0x5452, IOC_PTR, 4, "FIOASYNC"),
    E(0x5459, IOC_PTR, 4, "TIOCSERGETLSR"),
    E(0x5460, IOC_PTR, 8, "FIOQSIZE"),
    E(0x8901, IOC_PTR, 4, "FIOSETOWN"),
    E(0x8902, IOC_PTR, 4, "SIOCSPGRP"),
    E(0x8903, IOC_PTR, 4, "FIOGETOWN"),
    E(0x8904, IOC_PTR, 4, "SIOCGPGRP"),
    E(0x8905, IOC_PTR, 4, "SIOCATMARK"),
    E(0x80086601, IOC_PTR, 4, "FS_IOC_GETFLAGS"),
    E(0x40086602, IOC_PTR, 4, "FS_IOC_SETFLAGS"),
    E(0x80087601, IOC_PTR, 4, "FS_IOC_GETVERSION"),
    E(0x40049409, IOC_VAL, 0, "FICLONE"),
    E(0x80081272, IOC_PTR, 8, "BLKGETSIZE64"),
    E(0x00001260, IOC_PTR, 8, "BLKGETSIZE"),
    E(0x80045200, IOC_PTR, 4, "RNDGETENTCNT"),
    E(0x40045201, IOC_PTR, 4, "RNDADDTOENTCNT"),
    E(0x40085203, IOC_SPECIAL, 8, "RNDADDENTROPY"),
    E(0x00005204, IOC_NONE, 0, "RNDZAPENTCNT"),
    E(0x00005206, IOC_NONE, 0, "RNDCLEARPOOL"),
    E(0x00005207, IOC_NONE, 0, "RNDRESEEDCRNG"),
    /* terminals, more */
    E(0x541D, IOC_NONE, 0, "TIOCCONS"),
    E(0x541E, IOC_PTR, 72, "TIOCGSERIAL"),
    E(0x541F, IOC_PTR, 72, "TIOCSSERIAL"),
    E(0x542E, IOC_PTR, 32, "TIOCGRS485"),
    E(0x542F, IOC_PTR, 32, "TIOCSRS485"),
    E(0x40045436, IOC_VAL, 0, "TIOCSIG"),
    E(0x5437, IOC_NONE, 0, "TIOCVHANGUP"),
    E(0x5456, IOC_PTR, 36, "TIOCGLCKTRMIOS"),
    E(0x5457, IOC_PTR, 36, "TIOCSLCKTRMIOS"),
    E(0x545C, IOC_VAL, 0, "TIOCMIWAIT"),
    E(0x545D, IOC_PTR, 80, "TIOCGICOUNT"),
    /* sockets and network devices: struct ifreq is 40 bytes on both */
    E(0x8906, IOC_PTR, 16, "SIOCGSTAMP"),
    E(0x8907, IOC_PTR, 16, "SIOCGSTAMPNS"),
    E(0x8910, IOC_PTR, 40, "SIOCGIFNAME"),
    E(0x8911, IOC_PTR, 40, "SIOCSIFLINK"),
    E(0x8912, IOC_SPECIAL, 16, "SIOCGIFCONF"),
    E(0x8913, IOC_PTR, 40, "SIOCGIFFLAGS"),
    E(0x8914, IOC_PTR, 40, "SIOCSIFFLAGS"),
    E(0x8915, IOC_PTR, 40, "SIOCGIFADDR"),
    E(0x8916, IOC_PTR, 40, "SIOCSIFADDR"),
    E(0x8917, IOC_PTR, 40, "SIOCGIFDSTADDR"),
    E(0x8918, IOC_PTR, 40, "SIOCSIFDSTADDR"),
    E(0x8919, IOC_PTR, 40, "SIOCGIFBRDADDR"),
    E(0x891a, IOC_PTR, 40, "SIOCSIFBRDADDR"),
    E(0x891b, IOC_PTR, 40, "SIOCGIFNETMASK"),
    E(0x891c, IOC_PTR, 40, "SIOCSIFNETMASK"),
    E(0x891d, IOC_PTR, 40, "SIOCGIFMETRIC"),
    E(0x891e, IOC_PTR, 40, "SIOCSIFMETRIC"),
    E(0x8921, IOC_PTR, 40, "SIOCGIFMTU"),
    E(0x8922, IOC_PTR, 40, "SIOCSIFMTU"),
    E(0x8923, IOC_PTR, 40, "SIOCSIFNAME"),
    E(0x8924, IOC_PTR, 40, "SIOCSIFHWADDR"),
    E(0x8925, IOC_PTR, 40, "SIOCGIFENCAP"),
    E(0x8926, IOC_PTR, 40, "SIOCSIFENCAP"),
    E(0x8927, IOC_PTR, 40, "SIOCGIFHWADDR"),
    E(0x8929, IOC_PTR, 40, "SIOCGIFSLAVE"),
    E(0x8930, IOC_PTR, 40, "SIOCSIFSLAVE"),
    E(0x8931, IOC_PTR, 40, "SIOCADDMULTI"),
    E(0x8932, IOC_PTR, 40, "SIOCDELMULTI"),
    E(0x8933, IOC_PTR, 40, "SIOCGIFINDEX"),
    E(0x8934, IOC_PTR, 40, "SIOCSIFPFLAGS"),
    E(0x8935, IOC_PTR, 40, "SIOCGIFPFLAGS"),
    E(0x8936, IOC_PTR, 40, "SIOCDIFADDR"),
    E(0x8937, IOC_PTR, 40, "SIOCSIFHWBROADCAST"),
    E(0x8938, IOC_PTR, 40, "SIOCGIFCOUNT"),
    E(0x8942, IOC_PTR, 40, "SIOCGIFTXQLEN"),
    E(0x8943, IOC_PTR, 40, "SIOCSIFTXQLEN"),
    E(0x894B, IOC_PTR, 4, "SIOCOUTQNSD"),
    E(0x894C, IOC_NONE, 0, "SIOCGSKNS"),
    E(0x8953, IOC_PTR, 68, "SIOCDARP"),
    E(0x8954, IOC_PTR, 68, "SIOCGARP"),
    E(0x8955, IOC_PTR, 68, "SIOCSARP"),
    E(0x8970, IOC_PTR, 40, "SIOCGIFMAP"),
    E(0x8971, IOC_PTR, 40, "SIOCSIFMAP"),
    E(0x89a0, IOC_SPECIAL, 0, "SIOCBRADDBR"),
    E(0x89a1, IOC_SPECIAL, 0, "SIOCBRDELBR"),
    E(0x89a2, IOC_PTR, 40, "SIOCBRADDIF"),
    E(0x89a3, IOC_PTR, 40, "SIOCBRDELIF"),
    /* tun */
    E(0x400454c8, IOC_VAL, 0, "TUNSETNOCSUM"),
    E(0x400454c9, IOC_VAL, 0, "TUNSETDEBUG"),
    E(0x400454ca, IOC_PTR, 40, "TUNSETIFF"),
    E(0x400454cb, IOC_VAL, 0, "TUNSETPERSIST"),
    E(0x400454cc, IOC_VAL, 0, "TUNSETOWNER"),
    E(0x400454cd, IOC_VAL, 0, "TUNSETLINK"),
    E(0x400454ce, IOC_VAL, 0, "TUNSETGROUP"),
    E(0x800454cf, IOC_PTR, 4, "TUNGETFEATURES"),
    E(0x400454d0, IOC_VAL, 0, "TUNSETOFFLOAD"),
    E(0x800454d2, IOC_PTR, 40, "TUNGETIFF"),
    E(0x800454d3, IOC_PTR, 4, "TUNGETSNDBUF"),
    E(0x400454d4, IOC_PTR, 4, "TUNSETSNDBUF"),
    E(0x800454d7, IOC_PTR, 4, "TUNGETVNETHDRSZ"),
    E(0x400454d8, IOC_PTR, 4, "TUNSETVNETHDRSZ"),
    E(0x400454d9, IOC_PTR, 40, "TUNSETQUEUE"),
    E(0x400454da, IOC_PTR, 4, "TUNSETIFINDEX"),
    E(0x400454dc, IOC_PTR, 4, "TUNSETVNETLE"),
    E(0x800454dd, IOC_PTR, 4, "TUNGETVNETLE"),
    E(0x400454de, IOC_PTR, 4, "TUNSETVNETBE"),
    E(0x800454df, IOC_PTR, 4, "TUNGETVNETBE"),
    E(0x800454e0, IOC_PTR, 4, "TUNSETSTEERINGEBPF"),
    E(0x800454e1, IOC_PTR, 4, "TUNSETFILTEREBPF"),
    E(0x400454e2, IOC_PTR, 4, "TUNSETCARRIER"),
    E(0x000054e3, IOC_NONE, 0, "TUNGETDEVNETNS"),
    /* block devices */
    E(0x0000125D, IOC_PTR, 4, "BLKROSET"),
    E(0x0000125E, IOC_PTR, 4, "BLKROGET"),
    E(0x0000125F, IOC_NONE, 0, "BLKRRPART"),
    E(0x00001261, IOC_NONE, 0, "BLKFLSBUF"),
    E(0x00001262, IOC_VAL, 0, "BLKRASET"),
    E(0x00001263, IOC_PTR, 8, "BLKRAGET"),
    E(0x00001264, IOC_VAL, 0, "BLKFRASET"),
    E(0x00001265, IOC_PTR, 8, "BLKFRAGET"),
    E(0x00001267, IOC_PTR, 2, "BLKSECTGET"),
    E(0x00001268, IOC_PTR, 4, "BLKSSZGET"),
    E(0x80081270, IOC_PTR, 8, "BLKBSZGET"),
    E(0x40081271, IOC_PTR, 8, "BLKBSZSET"),
    E(0x00001277, IOC_PTR, 16, "BLKDISCARD"),
    E(0x00001278, IOC_PTR, 4, "BLKIOMIN"),
    E(0x00001279, IOC_PTR, 4, "BLKIOOPT"),
    E(0x0000127A, IOC_PTR, 4, "BLKALIGNOFF"),
    E(0x0000127B, IOC_PTR, 4, "BLKPBSZGET"),
    E(0x0000127C, IOC_PTR, 4, "BLKDISCARDZEROES"),
    E(0x0000127D, IOC_PTR, 16, "BLKSECDISCARD"),
    E(0x0000127E, IOC_PTR, 2, "BLKROTATIONAL"),
    E(0x0000127F, IOC_PTR, 16, "BLKZEROOUT"),
    E(0x80081280, IOC_PTR, 8, "BLKGETDISKSEQ"),
    E(0x80041284, IOC_PTR, 4, "BLKGETZONESZ"),
    E(0x80041285, IOC_PTR, 4, "BLKGETNRZONES"),
    /* loop devices and /dev/loop-control */
    E(0x4C00, IOC_VAL, 0, "LOOP_SET_FD"),
    E(0x4C01, IOC_NONE, 0, "LOOP_CLR_FD"),
    E(0x4C02, IOC_SPECIAL, 0, "LOOP_SET_STATUS"),
    E(0x4C03, IOC_SPECIAL, 0, "LOOP_GET_STATUS"),
    E(0x4C04, IOC_PTR, 232, "LOOP_SET_STATUS64"),
    E(0x4C05, IOC_PTR, 232, "LOOP_GET_STATUS64"),
    E(0x4C06, IOC_VAL, 0, "LOOP_CHANGE_FD"),
    E(0x4C07, IOC_NONE, 0, "LOOP_SET_CAPACITY"),
    E(0x4C08, IOC_VAL, 0, "LOOP_SET_DIRECT_IO"),
    E(0x4C09, IOC_VAL, 0, "LOOP_SET_BLOCK_SIZE"),
    E(0x4C0A, IOC_PTR, 304, "LOOP_CONFIGURE"),
    E(0x4C80, IOC_VAL, 0, "LOOP_CTL_ADD"),
    E(0x4C81, IOC_VAL, 0, "LOOP_CTL_REMOVE"),
    E(0x4C82, IOC_NONE, 0, "LOOP_CTL_GET_FREE"),
    /* file systems */
    E(0x00000001, IOC_PTR, 4, "FIBMAP"),
    E(0x00000002, IOC_PTR, 4, "FIGETBSZ"),
    E(0x40087602, IOC_PTR, 4, "FS_IOC_SETVERSION"),
    E(0xc020660b, IOC_SPECIAL, 32, "FS_IOC_FIEMAP"),
    E(0x801c581f, IOC_PTR, 28, "FS_IOC_FSGETXATTR"),
    E(0x401c5820, IOC_PTR, 28, "FS_IOC_FSSETXATTR"),
    E(0xc0045877, IOC_PTR, 4, "FIFREEZE"),
    E(0xc0045878, IOC_PTR, 4, "FITHAW"),
    E(0xc0185879, IOC_PTR, 24, "FITRIM"),
    E(0x4020940d, IOC_PTR, 32, "FICLONERANGE"),
    E(0xc0189436, IOC_SPECIAL, 24, "FIDEDUPERANGE"),
    E(0x81009431, IOC_PTR, 256, "FS_IOC_GETFSLABEL"),
    E(0x41009432, IOC_PTR, 256, "FS_IOC_SETFSLABEL"),
    E(0x80111500, IOC_PTR, 17, "FS_IOC_GETFSUUID"),
    E(0x80811501, IOC_PTR, 129, "FS_IOC_GETFSSYSFSPATH"),
    /* perf events ('$'); SET_FILTER (a string) and QUERY_BPF are left out */
    E(0x00002400, IOC_VAL, 0, "PERF_EVENT_IOC_ENABLE"),
    E(0x00002401, IOC_VAL, 0, "PERF_EVENT_IOC_DISABLE"),
    E(0x00002402, IOC_VAL, 0, "PERF_EVENT_IOC_REFRESH"),
    E(0x00002403, IOC_VAL, 0, "PERF_EVENT_IOC_RESET"),
    E(0x40082404, IOC_PTR, 8, "PERF_EVENT_IOC_PERIOD"),
    E(0x00002405, IOC_VAL, 0, "PERF_EVENT_IOC_SET_OUTPUT"),
    E(0x80082407, IOC_PTR, 8, "PERF_EVENT_IOC_ID"),
    E(0x40042408, IOC_VAL, 0, "PERF_EVENT_IOC_SET_BPF"),
    E(0x40042409, IOC_VAL, 0, "PERF_EVENT_IOC_PAUSE_OUTPUT"),
    /* RTC: struct rtc_time (9 ints), rtc_wkalrm (40 bytes) */
    E(0x00007001, IOC_NONE, 0, "RTC_AIE_ON"),
    E(0x00007002, IOC_NONE, 0, "RTC_AIE_OFF"),
    E(0x00007003, IOC_NONE, 0, "RTC_UIE_ON"),
    E(0x00007004, IOC_NONE, 0, "RTC_UIE_OFF"),
    E(0x00007005, IOC_NONE, 0, "RTC_PIE_ON"),
    E(0x00007006, IOC_NONE, 0, "RTC_PIE_OFF"),
    E(0x40247007, IOC_PTR, 36, "RTC_ALM_SET"),
    E(0x80247008, IOC_PTR, 36, "RTC_ALM_READ"),
    E(0x80247009, IOC_PTR, 36, "RTC_RD_TIME"),
    E(0x4024700a, IOC_PTR, 36, "RTC_SET_TIME"),
    E(0x8008700b, IOC_PTR, 8, "RTC_IRQP_READ"),
    E(0x4008700c, IOC_VAL, 0, "RTC_IRQP_SET"),
    E(0x8008700d, IOC_PTR, 8, "RTC_EPOCH_READ"),
    E(0x4008700e, IOC_VAL, 0, "RTC_EPOCH_SET"),
    E(0x4028700f, IOC_PTR, 40, "RTC_WKALM_SET"),
    E(0x80287010, IOC_PTR, 40, "RTC_WKALM_RD"),
    E(0x80047013, IOC_PTR, 4, "RTC_VL_READ"),
    E(0x00007014, IOC_NONE, 0, "RTC_VL_CLR"),
};

#undef E

static const IoctlEntry *ioctl_lookup(uint64_t req)
{
    size_t i;

    for (i = 0; i < sizeof(ioctl_table) / sizeof(ioctl_table[0]); i++) {
        if (ioctl_table[i].req == (uint32_t)req) {
            return &ioctl_table[i];
        }
    }
    return NULL;
}

const char *ioctl_name(uint64_t req)
{
    const IoctlEntry *e = ioctl_lookup(req);

    return e ? e->name : NULL;
}

/* riscv64 struct loop_info: __kernel_old_dev_t is an unsigned int. */
struct target_loop_info {
    int32_t lo_number;
    uint32_t lo_device;
    uint64_t lo_inode;
    uint32_t lo_rdevice;
    int32_t lo_offset;
    int32_t lo_encrypt_type;
    int32_t lo_encrypt_key_size;
    int32_t lo_flags;
    char lo_name[64];
    uint8_t lo_encrypt_key[32];
    uint64_t lo_init[2];
    char reserved[4];
};
_Static_assert(sizeof(struct target_loop_info) == 160, "riscv64 loop_info");

/* The fields of struct loop_info that differ only in width. */
#define LOOP_INFO_COPY(d, s)                               \
    do {                                                   \
        (d).lo_number = (s).lo_number;                     \
        (d).lo_device = (s).lo_device;                     \
        (d).lo_inode = (s).lo_inode;                       \
        (d).lo_rdevice = (s).lo_rdevice;                   \
        (d).lo_offset = (s).lo_offset;                     \
        (d).lo_encrypt_type = (s).lo_encrypt_type;         \
        (d).lo_encrypt_key_size = (s).lo_encrypt_key_size; \
        (d).lo_flags = (s).lo_flags;                       \
        (d).lo_init[0] = (s).lo_init[0];                   \
        (d).lo_init[1] = (s).lo_init[1];                   \
    } while (0)

static int64_t ioctl_loop_info(int fd, uint32_t req, uint64_t arg)
{
    struct target_loop_info t;
    struct loop_info h;
    int64_t ret;

    memset(&h, 0, sizeof(h));
    if (req == LOOP_SET_STATUS) {
        if (copy_from_guest(&t, arg, sizeof(t))) {
            return arg ? -EFAULT
                       : HOST_SYSCALL(SYS_ioctl, (long)fd, (long)req, NULL);
        }
        LOOP_INFO_COPY(h, t);
        memcpy(h.lo_name, t.lo_name, sizeof(h.lo_name));
        memcpy(h.lo_encrypt_key, t.lo_encrypt_key, sizeof(h.lo_encrypt_key));
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)req, &h);
    }
    ret = HOST_SYSCALL(SYS_ioctl, (long)fd, (long)req, arg ? &h : NULL);
    if (ret < 0) {
        return ret;
    }
    memset(&t, 0, sizeof(t));
    LOOP_INFO_COPY(t, h);
    memcpy(t.lo_name, h.lo_name, sizeof(t.lo_name));
    memcpy(t.lo_encrypt_key, h.lo_encrypt_key, sizeof(t.lo_encrypt_key));
    return copy_to_guest(arg, &t, sizeof(t)) ? -EFAULT : ret;
}

/* SIOCGIFCONF: struct ifconf { int len; char *buf; } holds a pointer. */
static int64_t ioctl_ifconf(int fd, uint64_t arg)
{
    struct {
        int32_t len;
        uint32_t pad;
        uint64_t buf;
    } t;
    struct {
        int len;
        void *buf;
    } h;
    int64_t ret;

    if (copy_from_guest(&t, arg, sizeof(t))) {
        return HOST_SYSCALL(SYS_ioctl, (long)fd, 0x8912L, HOST_BAD_PTR);
    }
    h.len = t.len;
    HOST_PTR(h.buf, t.buf, t.len > 0 ? (uint64_t)t.len : 0);
    ret = HOST_SYSCALL(SYS_ioctl, (long)fd, 0x8912L, &h);
    if (ret >= 0) {
        t.len = h.len;
        if (copy_to_guest(arg, &t, 4)) {
            return -EFAULT;
        }
    }
    return ret;
}

/* The size of an argument that says its own size, from the guest. */
static uint64_t ioctl_var_size(uint32_t req, uint64_t arg)
{
    uint32_t n = 0;
    uint16_t n16 = 0;

    switch (req) {
    case 0xc020660b: /* FIEMAP: fm_extent_count at 24, 56-byte extents */
        (void)copy_from_guest(&n, arg + 24, 4);
        return 32 + (uint64_t)n * 56;
    case 0xc0189436: /* FIDEDUPERANGE: dest_count at 16, 32-byte infos */
        (void)copy_from_guest(&n16, arg + 16, 2);
        return 24 + (uint64_t)n16 * 32;
    default: /* RNDADDENTROPY: buf_size at 4 */
        (void)copy_from_guest(&n, arg + 4, 4);
        return 8 + (uint64_t)n;
    }
}

static int64_t ioctl_special(int fd, const IoctlEntry *e, uint64_t arg)
{
    void *p;

    switch (e->req) {
    case LOOP_SET_STATUS:
    case LOOP_GET_STATUS:
        return ioctl_loop_info(fd, e->req, arg);
    case 0x8912:
        return ioctl_ifconf(fd, arg);
    case 0x89a0: /* SIOCBRADDBR, SIOCBRDELBR: a bridge name */
    case 0x89a1:
        HOST_STR(p, arg);
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, p);
    default:
        HOST_PTR(p, arg, ioctl_var_size(e->req, arg));
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, p);
    }
}

int64_t do_ioctl(int fd, uint64_t req, uint64_t arg)
{
    const IoctlEntry *e = ioctl_lookup(req);
    void *p;

    if (!e) {
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("Unsupported ioctl: cmd=0x%04" PRIx64 "\n", req);
        }
        /* Linux looks the descriptor up first */
        return fcntl(fd, F_GETFD) < 0 ? -EBADF : -ENOTTY;
    }
    switch (e->kind) {
    case IOC_NONE:
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, 0L);
    case IOC_VAL:
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, (long)arg);
    case IOC_SPECIAL:
        return ioctl_special(fd, e, arg);
    default:
        HOST_PTR(p, arg, e->size);
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, p);
    }
}
