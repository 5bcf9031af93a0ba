/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The calls that would bind or change the emulator itself if passed to
 * the host: seccomp(2) and prctl(PR_SET_SECCOMP), personality(2).
 *
 * Design: none of them reaches the host.
 *  - Strict mode (SECCOMP_SET_MODE_STRICT, PR_SET_SECCOMP 1) is emulated
 *    per guest thread: once set, any guest syscall other than read,
 *    write, exit and rt_sigreturn ends the thread as Linux's do_exit(
 *    SIGKILL) (the last thread takes the process, killed by SIGKILL).
 *    ctcg's own host calls (translation, signals) are not filtered.
 *  - Filter mode answers EINVAL, as a kernel built without
 *    CONFIG_SECCOMP_FILTER: a BPF program over the guest's calls is not
 *    interpreted, and the host's filter would bind ctcg.
 *    SECCOMP_GET_ACTION_AVAIL and SECCOMP_GET_NOTIF_SIZES are queries,
 *    answered by the host.
 *  - personality: the guest's value is kept here (process-wide, where
 *    Linux keeps one per thread), starting from the host's (which the
 *    parent's personality gave ctcg, as Linux gives it to a child);
 *    READ_IMPLIES_EXEC makes guest mmap/mprotect with PROT_READ add
 *    PROT_EXEC; ADDR_NO_RANDOMIZE holds already (ctcg does not randomize
 *    the guest's layout); the rest is only reported back.  The host's
 *    personality is never changed (ADDR_LIMIT_32BIT, ADDR_COMPAT_LAYOUT
 *    or MMAP_PAGE_ZERO there would change ctcg's own layout at an exec);
 *    /proc/self/personality shows the guest's (syscall-procfs.c), and
 *    UNAME26 makes uname's release 2.6.x (syscall_uname26).
 *  - personality across execve: the new ctcg gets the guest's persona
 *    as "-personality" (execve.c), as Linux's load_elf_binary would
 *    leave it for a riscv64 ELF (syscall_personality_exec): riscv's
 *    SET_PERSONALITY (CONFIG_COMPAT, as the distributions build it)
 *    resets the PER_MASK byte to PER_LINUX unless it is PER_LINUX32, and
 *    the other bits stay; riscv has no elf_read_implies_exec, so
 *    READ_IMPLIES_EXEC is neither set nor cleared by the new program's
 *    PT_GNU_STACK; a set-id exec (bprm_fill_uid: a set-user-ID file not
 *    owned by the euid, a set-group-ID and group-executable one not of
 *    the egid, not on a nosuid mount, without no_new_privs) clears
 *    PER_CLEAR_ON_SETID.  (ctcg does not change the ids at such an exec:
 *    docs/syscalls.md.)
 */
#include <ctype.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/syscall-priv.h"
#include "linux-user/thread.h"

/* linux/personality.h's; glibc's sys/personality.h lacks it */
#ifndef PER_CLEAR_ON_SETID
#define PER_CLEAR_ON_SETID                                        \
    (READ_IMPLIES_EXEC | ADDR_NO_RANDOMIZE | ADDR_COMPAT_LAYOUT | \
     MMAP_PAGE_ZERO)
#endif

/* This guest thread is in strict mode. */
static __thread bool seccomp_strict;

/* The guest's personality; bit 32 set: not read from the host yet. */
static uint64_t guest_personality = 1ull << 32;

/**
 * syscall_seccomp_check() - before guest syscall @num: in strict mode,
 * anything but read, write, exit and rt_sigreturn ends the thread as
 * Linux's do_exit(SIGKILL); otherwise this returns.
 */
void syscall_seccomp_check(CPURISCVState *env, int num)
{
    if (!seccomp_strict || num == TARGET_NR_read || num == TARGET_NR_write ||
        num == TARGET_NR_exit || num == TARGET_NR_rt_sigreturn) {
        return;
    }
    do_exit_thread_killed(env);
}

/* seccomp(2): op, flags, uargs. */
int64_t do_seccomp(const uint64_t *a)
{
    uint32_t action;
    uint16_t sizes[3];

    switch (a[0]) {
    case SECCOMP_SET_MODE_STRICT:
        if (a[1] != 0 || a[2] != 0) {
            return -EINVAL;
        }
        seccomp_strict = true;
        return 0;
    case SECCOMP_GET_ACTION_AVAIL:
        if (a[1] != 0) {
            return -EINVAL;
        }
        if (copy_from_guest(&action, a[2], sizeof(action))) {
            return -EFAULT;
        }
        return HOST_SYSCALL(SYS_seccomp, (long)SECCOMP_GET_ACTION_AVAIL, 0L,
                            &action);
    case SECCOMP_GET_NOTIF_SIZES:
        if (a[1] != 0) {
            return -EINVAL;
        }
        if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, sizes) != 0) {
            return -errno;
        }
        return copy_to_guest(a[2], sizes, sizeof(sizes)) ? -EFAULT : 0;
    default: /* SECCOMP_SET_MODE_FILTER: see the design note */
        return -EINVAL;
    }
}

/* prctl(PR_SET_SECCOMP, mode, filter): Linux's prctl_set_seccomp. */
int64_t do_prctl_set_seccomp(const uint64_t *a)
{
    if (a[1] == SECCOMP_MODE_STRICT) {
        const uint64_t args[3] = {SECCOMP_SET_MODE_STRICT, 0, a[2]};

        return do_seccomp(args);
    }
    return -EINVAL; /* SECCOMP_MODE_FILTER too: see the design note */
}

/**
 * syscall_personality_get() - the guest's personality (for
 * /proc/self/personality too).
 */
uint32_t syscall_personality_get(void)
{
    uint64_t p = __atomic_load_n(&guest_personality, __ATOMIC_RELAXED);

    if (p >> 32) {
        uint64_t unset = p;

        /* The host's value, once; a racing do_personality store wins
         * (relaxed: a plain value, no other data hangs on it). */
        p = (uint32_t)personality(0xffffffff);
        if (!__atomic_compare_exchange_n(&guest_personality, &unset, p, false,
                                         __ATOMIC_RELAXED, __ATOMIC_RELAXED)) {
            p = unset;
        }
    }
    return (uint32_t)p;
}

/* personality(2): the argument is an unsigned int; 0xffffffff reads. */
int64_t do_personality(uint64_t arg)
{
    uint32_t old = syscall_personality_get();

    if ((uint32_t)arg != 0xffffffff) {
        /* Relaxed: a plain value, read by mmap calls (no ordering). */
        __atomic_store_n(&guest_personality, (uint32_t)arg, __ATOMIC_RELAXED);
    }
    return old;
}

/**
 * syscall_personality_set() - the guest's persona at start-up, from the
 * execve before us (-personality), instead of the host's.
 */
void syscall_personality_set(uint32_t persona)
{
    /* Relaxed: before the guest runs (no other thread yet). */
    __atomic_store_n(&guest_personality, persona, __ATOMIC_RELAXED);
}

/* Would Linux's bprm_fill_uid make the exec of @path set-id? */
static bool exec_is_setid(const char *path)
{
    struct statvfs vfs;
    struct stat st;

    if (stat(path, &st) != 0 || !(st.st_mode & (S_ISUID | S_ISGID)) ||
        prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1 ||
        (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_NOSUID))) {
        return false;
    }
    return ((st.st_mode & S_ISUID) && st.st_uid != geteuid()) ||
           ((st.st_mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP) &&
            st.st_gid != getegid());
}

/**
 * syscall_personality_exec() - the persona a riscv64 ELF @path (a host
 * path) starts with when the guest execs it now (see the design note).
 */
uint32_t syscall_personality_exec(const char *path)
{
    uint32_t p = syscall_personality_get();

    if ((p & PER_MASK) != PER_LINUX32) {
        p &= ~(uint32_t)PER_MASK; /* PER_LINUX */
    }
    if (exec_is_setid(path)) {
        p &= ~(uint32_t)PER_CLEAR_ON_SETID;
    }
    return p;
}

/**
 * syscall_uname26() - Linux's override_release for UNAME26: @release
 * ("6.18.44-rest") becomes "2.6.<minor + 60>" and what follows the
 * numeric x.y.z prefix ("2.6.78-rest").
 */
void syscall_uname26(char *release, size_t size)
{
    const char *rest = release, *dot = strchr(release, '.');
    unsigned minor = dot ? (unsigned)strtoul(dot + 1, NULL, 10) : 0;
    char buf[65];
    int ndots = 0;

    while (*rest) {
        if (*rest == '.' && ++ndots >= 3) {
            break;
        }
        if (!isdigit((unsigned char)*rest) && *rest != '.') {
            break;
        }
        rest++;
    }
    snprintf(buf, sizeof(buf), "2.6.%u%s", minor + 60, rest);
    snprintf(release, size, "%s", buf);
}

/**
 * syscall_personality_prot() - @prot of a guest mmap or mprotect, with
 * PROT_EXEC added where READ_IMPLIES_EXEC asks for it.
 */
int syscall_personality_prot(int prot)
{
    if ((prot & TARGET_PROT_READ) &&
        (syscall_personality_get() & READ_IMPLIES_EXEC)) {
        prot |= TARGET_PROT_EXEC;
    }
    return prot;
}
