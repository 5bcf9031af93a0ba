/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Internal interface of the syscall layer (syscall*.c, strace.c).
 *
 * do_syscall() (syscall.c) hands the call to each group in turn
 * (syscall_io, syscall_file, syscall_mem, syscall_time, syscall_proc,
 * syscall_signal, syscall_net, syscall_ipc); a group returns SC_UNHANDLED for numbers it does not own.
 * Arguments arrive as a[0..5] (the guest's a0-a5).  Results are the
 * kernel's: a value >= 0 or -errno.
 *
 * Guest pointers: guest memory is host memory at g2h(addr).  When only the
 * host kernel touches a buffer, checking the range with guest_range_valid()
 * is enough (the kernel reports EFAULT for unmapped pages inside the
 * reservation): use GUEST_PTR()/GUEST_PTR_OPT().  When this layer reads or
 * writes guest memory itself (structure conversion, strings), it checks the
 * guest page flags first (copy_from_guest, copy_to_guest, guest_strlen) so
 * that a bad guest pointer gives -EFAULT, not a host SIGSEGV.  A guest NULL
 * (0) stays NULL for optional arguments.
 */
#ifndef LINUX_USER_SYSCALL_PRIV_H
#define LINUX_USER_SYSCALL_PRIV_H

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/user.h"
#include "linux-user/syscall-defs.h"

#define SC_UNHANDLED INT64_MIN

/* Convert a libc-style result (-1 + errno) into the kernel's -errno. */
static inline int64_t get_errno(int64_t ret)
{
    return ret == -1 ? -(int64_t)errno : ret;
}

/* Raw host syscall, kernel-style result. */
#define HOST_SYSCALL(...) get_errno(syscall(__VA_ARGS__))

/*
 * Pages of [addr, addr + len) that we write-protected because they hold
 * translated code are made writable again, so that the host kernel can
 * store into a buffer there (mmap.c, page_unprotect).
 */
void guest_unprotect_range(uint64_t addr, uint64_t len);

/* Set @hp to the host address of a guest buffer, or return -EFAULT. */
#define GUEST_PTR(hp, addr, len)                 \
    do {                                         \
        if (!guest_range_valid((addr), (len))) { \
            return -EFAULT;                      \
        }                                        \
        guest_unprotect_range((addr), (len));    \
        (hp) = g2h(addr);                        \
    } while (0)

/* Same, but a guest NULL gives a host NULL. */
#define GUEST_PTR_OPT(hp, addr, len)  \
    do {                              \
        if ((addr) == 0) {            \
            (hp) = NULL;              \
        } else {                      \
            GUEST_PTR(hp, addr, len); \
        }                             \
    } while (0)

/*
 * A host address that the host kernel always rejects with EFAULT (above
 * the x86-64 user address space): what a bad guest pointer becomes when it
 * is handed to the host kernel, so that the host checks the call's other
 * arguments first and reports EFAULT at the point Linux does.
 */
#define HOST_BAD_PTR ((void *)(uintptr_t)0xffff800000000000ull)

/*
 * Set @hp to the host address of a guest buffer that only the host kernel
 * touches: NULL for a guest NULL (the host kernel then makes the NULL
 * checks Linux makes), HOST_BAD_PTR for a range outside the guest space,
 * g2h() otherwise (unmapped pages inside fault in the host kernel).  Never
 * returns: the errno order is the host kernel's, which is Linux's.  The
 * emulator must not dereference @hp itself.
 */
#define HOST_PTR(hp, addr, len)                         \
    do {                                                \
        if ((addr) == 0) {                              \
            (hp) = NULL;                                \
        } else if (!guest_range_valid((addr), (len))) { \
            (hp) = HOST_BAD_PTR;                        \
        } else {                                        \
            guest_unprotect_range((addr), (len));       \
            (hp) = g2h(addr);                           \
        }                                               \
    } while (0)

/*
 * The same for a NUL-terminated guest string only the host kernel reads:
 * NULL, HOST_BAD_PTR when it is not readable up to its NUL, else g2h().
 */
#define HOST_STR(hp, addr)                                                   \
    do {                                                                     \
        if ((addr) == 0) {                                                   \
            (hp) = NULL;                                                     \
        } else {                                                             \
            (hp) = guest_strlen(addr) == -EFAULT ? HOST_BAD_PTR : g2h(addr); \
        }                                                                    \
    } while (0)

/* Validate a guest string (path) and set @hp to it, or return -errno. */
#define GUEST_STR(hp, addr)                \
    do {                                   \
        int64_t len_ = guest_strlen(addr); \
        if (len_ < 0) {                    \
            return len_;                   \
        }                                  \
        (hp) = g2h(addr);                  \
    } while (0)

#define GUEST_STR_OPT(hp, addr)  \
    do {                         \
        if ((addr) == 0) {       \
            (hp) = NULL;         \
        } else {                 \
            GUEST_STR(hp, addr); \
        }                        \
    } while (0)

/* syscall.c: guest memory access for this layer's own reads/writes */
bool guest_access_ok(uint64_t addr, uint64_t len, bool write);
int copy_from_guest(void *dst, uint64_t src, size_t len);
int copy_to_guest(uint64_t dst, const void *src, size_t len);
/* Length of the NUL-terminated guest string at @addr, or -EFAULT. */
int64_t guest_strlen(uint64_t addr);
/*
 * Is every page of [addr, addr + len) mapped in the guest?  (The host
 * reservation is mapped everywhere, so calls that answer ENOMEM for
 * unmapped ranges must ask the guest page flags.)
 */
bool guest_range_mapped(uint64_t addr, uint64_t len);

/* Redirect an absolute @path into the -L prefix when it exists there. */
const char *path_prefixed(const char *path, char *buf, size_t size);
#define PATH_BUF_SIZE 4096

/* syscall-file.c: move the log and perf-map descriptors up, at startup */
void syscall_emulator_fds_init(void);
/* syscall-seccomp.c: seccomp, PR_SET_SECCOMP, personality (design note) */
void syscall_seccomp_check(CPURISCVState *env, int num);
int64_t do_seccomp(const uint64_t *a);
int64_t do_prctl_set_seccomp(const uint64_t *a);
int64_t do_personality(uint64_t arg);
uint32_t syscall_personality_get(void);
void syscall_personality_set(uint32_t persona);
uint32_t syscall_personality_exec(const char *path);
void syscall_uname26(char *release, size_t size);
int syscall_personality_prot(int prot);
/* ... and EBADF for calls that name one of them (before dispatch) */
bool syscall_emulator_fd_arg(int num, const uint64_t *a);
/* ... is @fd one of them (syscall-procfs.c hides /proc/self/fd/N)? */
bool syscall_emulator_fd_is(int fd);

/* syscall-io.c: guest iovec array -> host iovec array (malloc'ed) */
struct iovec;
struct iovec *lock_iovec(uint64_t addr, uint64_t count, int64_t *err);

/* syscall-ioctl.c */
int64_t do_ioctl(int fd, uint64_t req, uint64_t arg);
const char *ioctl_name(uint64_t req);

/* The groups */
int64_t syscall_file(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_io(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_net(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_time(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_mem(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_proc(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_signal(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_ipc(CPURISCVState *env, int num, const uint64_t *a);
int64_t syscall_sys(CPURISCVState *env, int num, const uint64_t *a);

/* syscall-procfs.c: /proc files that must show the guest's view */
/* Returns a host fd, -errno, or SC_UNHANDLED if @path is not emulated. */
int64_t procfs_open(CPURISCVState *env, const char *path, int flags, int mode);
/* readlink of /proc/self/exe: returns length, -errno or SC_UNHANDLED. */
int64_t procfs_readlink(const char *path, char *buf, size_t bufsiz);
/* Is @path one of /proc/self/X, /proc/<our pid>/X, /proc/thread-self/X? */
bool procfs_is_self(const char *path, const char *entry);

/*
 * syscall-procmem.c: descriptors of /proc/<pid>/mem and of the own
 * /proc/<pid>/pagemap, which take guest addresses (pagemap: guest page
 * numbers times 8) as offsets.  procmem_opened() classifies a descriptor a
 * call just made (returns @fd, or -errno), procmem_dup() records a dup,
 * procmem_note(fd, false) a close, procmem_is() asks before a transfer.
 * procmem_xfer() moves the data of @vec at guest address @off (the file
 * position if @use_pos); procmem_lseek() is lseek in guest addresses.
 */
int64_t procmem_opened(int64_t fd);
void procmem_note(int fd, bool on);
void procmem_dup(int newfd, int oldfd);
void procmem_close_range(unsigned lo, unsigned hi);
bool procmem_is(int fd);
int64_t procmem_xfer(int fd, struct iovec *vec, int cnt, bool use_pos,
                     uint64_t off, bool write, int rwf);
int64_t procmem_lseek(int fd, int64_t off, int whence);

/*
 * syscall-proc.c: the guest's RLIMIT_AS, RLIMIT_DATA or RLIMIT_STACK
 * (@res), if it set one or ctcg started with one (for execve).
 */
struct rlimit64;
bool guest_rlimit(int res, struct rlimit64 *lim);

/* syscall-signal.c: signal bookkeeping shared with clone/ppoll */
void signal_fork_child(void);

/* execve.c */
void execve_init(char **opts, int nopts);
int64_t do_execveat(CPURISCVState *env, int dirfd, uint64_t path_addr,
                    uint64_t argv_addr, uint64_t envp_addr, int flags);


#endif
