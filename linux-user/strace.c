/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * -strace: one line per guest syscall in QEMU's format,
 *   PID name(arg,arg,...) = ret
 *   PID name(arg,...) = -1 errno=N (message)
 * written to the log (stderr, or the -D file), never to the guest's stdout.
 *
 * Design: strace.list gives, per syscall number, the name, a string of
 * one letter per argument saying how to print it, and flags (the result is
 * an address; the call does not return).  Calls without a format print
 * their six raw arguments in decimal, as QEMU does.  print_syscall() emits
 * the call without a newline, print_syscall_ret() the rest, so output the
 * call itself produces (write to stderr) lands in between, as with QEMU.
 * Each half is formatted into a local buffer and written with one
 * tcg_log() call.  Guest strings are read only after their pages have been
 * checked (guest_strlen).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "linux-user/syscall-priv.h"
#include "tcg/log.h"

enum {
    STRACE_RET_ADDR = 1, /* print a successful result as an address */
    STRACE_NORETURN = 2, /* exit, exit_group: end the line at once */
};

typedef struct StraceEntry {
    const char *name;
    const char *fmt;
    int flags;
} StraceEntry;

#define STRACE(n, f, fl) [TARGET_NR_##n] = {#n, f, fl},
static const StraceEntry strace_table[TARGET_NR_MAX] = {
#include "linux-user/strace.list"
};
#undef STRACE

typedef struct FlagName {
    uint64_t value;
    const char *name;
} FlagName;

#define FN(v, n) \
    {            \
        v, n     \
    }
#define FN_END  \
    {           \
        0, NULL \
    }

static const FlagName open_flags[] = {
    FN(0100, "O_CREAT"),        FN(0200, "O_EXCL"),
    FN(0400, "O_NOCTTY"),       FN(01000, "O_TRUNC"),
    FN(02000, "O_APPEND"),      FN(04000, "O_NONBLOCK"),
    FN(04010000, "O_SYNC"),     FN(010000, "O_DSYNC"),
    FN(020000, "O_ASYNC"),      FN(040000, "O_DIRECT"),
    FN(0100000, "O_LARGEFILE"), FN(0200000, "O_DIRECTORY"),
    FN(0400000, "O_NOFOLLOW"),  FN(01000000, "O_NOATIME"),
    FN(02000000, "O_CLOEXEC"),  FN(010000000, "O_PATH"),
    FN(020000000, "O_TMPFILE"), FN_END};

static const FlagName prot_flags[] = {FN(4, "PROT_EXEC"),
                                      FN(1, "PROT_READ"),
                                      FN(2, "PROT_WRITE"),
                                      FN(0x01000000, "PROT_GROWSDOWN"),
                                      FN(0x02000000, "PROT_GROWSUP"),
                                      FN_END};

static const FlagName map_flags[] = {
    FN(0x20, "MAP_ANONYMOUS"),    FN(0x800, "MAP_DENYWRITE"),
    FN(0x1000, "MAP_EXECUTABLE"), FN(0x100000, "MAP_FIXED_NOREPLACE"),
    FN(0x10, "MAP_FIXED"),        FN(0x100, "MAP_GROWSDOWN"),
    FN(0x2000, "MAP_LOCKED"),     FN(0x10000, "MAP_NONBLOCK"),
    FN(0x4000, "MAP_NORESERVE"),  FN(0x8000, "MAP_POPULATE"),
    FN(0x20000, "MAP_STACK"),     FN(0x40000, "MAP_HUGETLB"),
    FN(0x80000, "MAP_SYNC"),      FN_END};

static const FlagName at_flags[] = {
    FN(0x100, "AT_SYMLINK_NOFOLLOW"), FN(0x200, "AT_REMOVEDIR"),
    FN(0x400, "AT_SYMLINK_FOLLOW"),   FN(0x800, "AT_NO_AUTOMOUNT"),
    FN(0x1000, "AT_EMPTY_PATH"),      FN_END};

static const FlagName access_flags[] = {FN(4, "R_OK"), FN(2, "W_OK"),
                                        FN(1, "X_OK"), FN_END};

static const FlagName clone_flags[] = {FN(0x100, "CLONE_VM"),
                                       FN(0x200, "CLONE_FS"),
                                       FN(0x400, "CLONE_FILES"),
                                       FN(0x800, "CLONE_SIGHAND"),
                                       FN(0x1000, "CLONE_PIDFD"),
                                       FN(0x2000, "CLONE_PTRACE"),
                                       FN(0x4000, "CLONE_VFORK"),
                                       FN(0x8000, "CLONE_PARENT"),
                                       FN(0x10000, "CLONE_THREAD"),
                                       FN(0x20000, "CLONE_NEWNS"),
                                       FN(0x40000, "CLONE_SYSVSEM"),
                                       FN(0x80000, "CLONE_SETTLS"),
                                       FN(0x100000, "CLONE_PARENT_SETTID"),
                                       FN(0x200000, "CLONE_CHILD_CLEARTID"),
                                       FN(0x400000, "CLONE_DETACHED"),
                                       FN(0x800000, "CLONE_UNTRACED"),
                                       FN(0x1000000, "CLONE_CHILD_SETTID"),
                                       FN(0x2000000, "CLONE_NEWCGROUP"),
                                       FN(0x4000000, "CLONE_NEWUTS"),
                                       FN(0x8000000, "CLONE_NEWIPC"),
                                       FN(0x10000000, "CLONE_NEWUSER"),
                                       FN(0x20000000, "CLONE_NEWPID"),
                                       FN(0x40000000, "CLONE_NEWNET"),
                                       FN(0x80000000, "CLONE_IO"),
                                       FN_END};

static const FlagName sock_type_flags[] = {
    FN(04000, "SOCK_NONBLOCK"), FN(02000000, "SOCK_CLOEXEC"), FN_END};

static const FlagName fcntl_cmds[] = {FN(0, "F_DUPFD"),
                                      FN(1, "F_GETFD"),
                                      FN(2, "F_SETFD"),
                                      FN(3, "F_GETFL"),
                                      FN(4, "F_SETFL"),
                                      FN(5, "F_GETLK"),
                                      FN(6, "F_SETLK"),
                                      FN(7, "F_SETLKW"),
                                      FN(8, "F_SETOWN"),
                                      FN(9, "F_GETOWN"),
                                      FN(10, "F_SETSIG"),
                                      FN(11, "F_GETSIG"),
                                      FN(15, "F_SETOWN_EX"),
                                      FN(16, "F_GETOWN_EX"),
                                      FN(36, "F_OFD_GETLK"),
                                      FN(37, "F_OFD_SETLK"),
                                      FN(38, "F_OFD_SETLKW"),
                                      FN(1024, "F_SETLEASE"),
                                      FN(1025, "F_GETLEASE"),
                                      FN(1026, "F_NOTIFY"),
                                      FN(1030, "F_DUPFD_CLOEXEC"),
                                      FN(1031, "F_SETPIPE_SZ"),
                                      FN(1032, "F_GETPIPE_SZ"),
                                      FN(1033, "F_ADD_SEALS"),
                                      FN(1034, "F_GET_SEALS"),
                                      FN_END};

static const FlagName clock_ids[] = {FN(0, "CLOCK_REALTIME"),
                                     FN(1, "CLOCK_MONOTONIC"),
                                     FN(2, "CLOCK_PROCESS_CPUTIME_ID"),
                                     FN(3, "CLOCK_THREAD_CPUTIME_ID"),
                                     FN(4, "CLOCK_MONOTONIC_RAW"),
                                     FN(5, "CLOCK_REALTIME_COARSE"),
                                     FN(6, "CLOCK_MONOTONIC_COARSE"),
                                     FN(7, "CLOCK_BOOTTIME"),
                                     FN(8, "CLOCK_REALTIME_ALARM"),
                                     FN(9, "CLOCK_BOOTTIME_ALARM"),
                                     FN(11, "CLOCK_TAI"),
                                     FN_END};

static const FlagName families[] = {FN(0, "AF_UNSPEC"),
                                    FN(1, "AF_UNIX"),
                                    FN(2, "AF_INET"),
                                    FN(10, "AF_INET6"),
                                    FN(16, "AF_NETLINK"),
                                    FN(17, "AF_PACKET"),
                                    FN_END};

static const FlagName sock_types[] = {FN(1, "SOCK_STREAM"),
                                      FN(2, "SOCK_DGRAM"),
                                      FN(3, "SOCK_RAW"),
                                      FN(4, "SOCK_RDM"),
                                      FN(5, "SOCK_SEQPACKET"),
                                      FN(10, "SOCK_PACKET"),
                                      FN_END};

static const FlagName whences[] = {FN(0, "SEEK_SET"),  FN(1, "SEEK_CUR"),
                                   FN(2, "SEEK_END"),  FN(3, "SEEK_DATA"),
                                   FN(4, "SEEK_HOLE"), FN_END};

static const FlagName sig_hows[] = {FN(0, "SIG_BLOCK"), FN(1, "SIG_UNBLOCK"),
                                    FN(2, "SIG_SETMASK"), FN_END};

static const char *const signal_names[32] = {
    NULL,      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP",
    "SIGABRT", "SIGBUS",  "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV",
    "SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
    "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
    "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
    "SIGPWR",  "SIGSYS",
};

typedef struct OutBuf {
    char buf[1024];
    size_t len;
} OutBuf;

static void __attribute__((format(printf, 2, 3)))
out(OutBuf *o, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (o->len >= sizeof(o->buf) - 1) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(o->buf + o->len, sizeof(o->buf) - o->len, fmt, ap);
    va_end(ap);
    if (n > 0) {
        o->len += n;
        if (o->len >= sizeof(o->buf)) {
            o->len = sizeof(o->buf) - 1;
        }
    }
}

/* FLAG|FLAG|0xrest, or "0" */
static void out_flags(OutBuf *o, const FlagName *names, uint64_t v)
{
    bool first = true;

    for (; names->name; names++) {
        if (names->value && (v & names->value) == names->value) {
            out(o, "%s%s", first ? "" : "|", names->name);
            v &= ~names->value;
            first = false;
        }
    }
    if (v || first) {
        out(o, first ? "%#" PRIx64 : "|%#" PRIx64, v);
    }
}

/* the value's name, or the number in @fallback's format */
static void out_enum(OutBuf *o, const FlagName *names, uint64_t v)
{
    for (; names->name; names++) {
        if (names->value == v) {
            out(o, "%s", names->name);
            return;
        }
    }
    out(o, "%" PRId64, (int64_t)v);
}

static void out_signal(OutBuf *o, uint64_t sig)
{
    if (sig > 0 && sig < 32) {
        out(o, "%s", signal_names[sig]);
    } else {
        out(o, "%d", (int)sig);
    }
}

static void out_pointer(OutBuf *o, uint64_t v)
{
    if (v == 0) {
        out(o, "NULL");
    } else {
        out(o, "0x%016" PRIx64, v);
    }
}

static void out_string(OutBuf *o, uint64_t addr)
{
    int64_t len = addr ? guest_strlen(addr) : -1;
    const unsigned char *s;
    int64_t i;

    if (len < 0) {
        out_pointer(o, addr);
        return;
    }
    s = g2h(addr);
    out(o, "\"");
    for (i = 0; i < len && i < 256; i++) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            out(o, "\\%c", c);
        } else if (c == '\n') {
            out(o, "\\n");
        } else if (c < 32 || c >= 127) {
            out(o, "\\%03o", c);
        } else {
            out(o, "%c", c);
        }
    }
    out(o, len > 256 ? "\"..." : "\"");
}

static void out_open_flags(OutBuf *o, uint64_t v, bool accmode)
{
    static const char *const modes[] = {"O_RDONLY", "O_WRONLY", "O_RDWR",
                                        "O_ACCMODE"};
    if (accmode) {
        out(o, "%s", modes[v & 3]);
        v &= ~3ull;
        if (v) {
            out(o, "|");
            out_flags(o, open_flags, v);
        }
    } else {
        out_flags(o, open_flags, v);
    }
}

/* One argument by its format letter; returns false to skip the comma. */
static bool out_arg(OutBuf *o, char f, uint64_t v, const uint64_t *args, int i)
{
    switch (f) {
    case 'd':
        out(o, "%d", (int)v);
        break;
    case 'l':
        out(o, "%" PRId64, (int64_t)v);
        break;
    case 'u':
        out(o, "%" PRIu64, v);
        break;
    case 'x':
        out(o, "%#" PRIx64, v);
        break;
    case 'p':
        out_pointer(o, v);
        break;
    case 's':
        out_string(o, v);
        break;
    case 'o':
        out(o, "%#" PRIo64, v);
        break;
    case 'D':
        if ((int)v == -100) {
            out(o, "AT_FDCWD");
        } else {
            out(o, "%d", (int)v);
        }
        break;
    case 'O':
        out_open_flags(o, v, true);
        break;
    case 'L':
        out_open_flags(o, v, false);
        break;
    case 'm':
        /* openat's mode only matters with O_CREAT or O_TMPFILE */
        if (i == 0 || !(args[i - 1] & (0100 | 020000000))) {
            return false;
        }
        out(o, ",%#" PRIo64, v);
        return false;
    case 'P':
        if (v == 0) {
            out(o, "PROT_NONE");
        } else {
            out_flags(o, prot_flags, v);
        }
        break;
    case 'M': {
        static const char *const types[] = {"0", "MAP_SHARED", "MAP_PRIVATE",
                                            "MAP_SHARED_VALIDATE"};
        uint64_t t = v & 0xf;
        out(o, "%s", t < 4 ? types[t] : "MAP_TYPE?");
        if (v & ~0xfull) {
            out(o, "|");
            out_flags(o, map_flags, v & ~0xfull);
        }
        break;
    }
    case 'W':
        out_enum(o, whences, v);
        break;
    case 'A':
        if (v == 0) {
            out(o, "F_OK");
        } else {
            out_flags(o, access_flags, v);
        }
        break;
    case 'a':
        out_flags(o, at_flags, v);
        break;
    case 'S':
        out_signal(o, v);
        break;
    case 'C':
        out_flags(o, clone_flags, v & ~0xffull);
        if (v & 0xff) {
            out(o, "|");
            out_signal(o, v & 0xff);
        }
        break;
    case 'F':
        out_enum(o, fcntl_cmds, v);
        break;
    case 'I': {
        const char *name = ioctl_name(v);
        if (name) {
            out(o, "%s", name);
        } else {
            out(o, "%#" PRIx64, v);
        }
        break;
    }
    case 'H':
        out_enum(o, sig_hows, v);
        break;
    case 'c':
        out_enum(o, clock_ids, v);
        break;
    case 'f':
        out_enum(o, families, v);
        break;
    case 'T':
        out_enum(o, sock_types, v & 0xf);
        if (v & ~0xfull) {
            out(o, "|");
            out_flags(o, sock_type_flags, v & ~0xfull);
        }
        break;
    default:
        out(o, "%" PRId64, (int64_t)v);
        break;
    }
    return true;
}

void print_syscall(int num, const uint64_t *args)
{
    const StraceEntry *e =
        num >= 0 && num < TARGET_NR_MAX ? &strace_table[num] : NULL;
    OutBuf o = {.len = 0};
    int i;

    out(&o, "%d ", (int)getpid());
    if (!e || !e->name) {
        out(&o, "Unknown syscall %d\n", num);
        tcg_log("%s", o.buf);
        return;
    }
    out(&o, "%s(", e->name);
    if (!e->fmt) {
        for (i = 0; i < 6; i++) {
            out(&o, "%s%" PRId64, i ? "," : "", (int64_t)args[i]);
        }
    } else {
        for (i = 0; i < 6 && e->fmt[i]; i++) {
            if (i && e->fmt[i] != 'm') {
                out(&o, ",");
            }
            out_arg(&o, e->fmt[i], args[i], args, i);
        }
    }
    out(&o, ")");
    if (e->flags & STRACE_NORETURN) {
        out(&o, "\n");
    }
    tcg_log("%s", o.buf);
}

void print_syscall_ret(int num, int64_t ret)
{
    const StraceEntry *e =
        num >= 0 && num < TARGET_NR_MAX ? &strace_table[num] : NULL;

    if (!e || !e->name || (e->flags & STRACE_NORETURN)) {
        return;
    }
    if (ret < 0 && ret >= -4095) {
        tcg_log(" = -1 errno=%d (%s)\n", (int)-ret, strerror((int)-ret));
    } else if (e->flags & STRACE_RET_ADDR) {
        tcg_log(" = 0x%016" PRIx64 "\n", (uint64_t)ret);
    } else {
        tcg_log(" = %" PRId64 "\n", ret);
    }
}
