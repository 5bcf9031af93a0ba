/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ioctl: the requests a riscv64 program commonly sends (terminals, pipes,
 * sockets, a few file ones), passed through with the argument checked.
 *
 * Design: riscv64 and x86-64 both use the asm-generic request numbers and
 * the same argument layouts for everything listed here (the kernel's
 * struct termios with NCCS 19, termios2, termio, winsize, ints), so each
 * entry only says how the argument is used: none, a plain value, or a
 * buffer of a given size the kernel reads and/or writes.  Requests not in
 * the table answer -ENOTTY (what the kernel says for an unknown request on
 * most files), logged under -d unimp.
 */
#include <string.h>

#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

enum {
    IOC_NONE,
    IOC_VAL,
    IOC_PTR
};

typedef struct IoctlEntry {
    uint32_t req;
    uint8_t kind;
    uint8_t size; /* IOC_PTR: bytes the kernel reads or writes */
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

int64_t do_ioctl(int fd, uint64_t req, uint64_t arg)
{
    const IoctlEntry *e = ioctl_lookup(req);
    void *p;

    if (!e) {
        if (tcg_log_enabled(CPU_LOG_UNIMP)) {
            tcg_log("Unsupported ioctl: cmd=0x%04" PRIx64 "\n", req);
        }
        return -ENOTTY;
    }
    switch (e->kind) {
    case IOC_NONE:
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, 0L);
    case IOC_VAL:
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, (long)arg);
    default:
        GUEST_PTR(p, arg, e->size);
        return HOST_SYSCALL(SYS_ioctl, (long)fd, (long)e->req, p);
    }
}
