/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux-user: the interfaces shared by the command line (main.c), the ELF
 * loader (elfload.c), the guest memory map (mmap.c), the syscall layer
 * (syscall.c, strace.c) and the CPU loop (cpu_loop.c).
 *
 * Guest memory
 * ------------
 * The guest address space [0, guest_space_size) is reserved in one host
 * mapping at tcg_guest_base (PROT_NONE until the guest maps pages), so a
 * guest address a is the host address tcg_guest_base + a (g2h).  Generated
 * code rejects addresses >= guest_space_size before touching memory; the
 * syscall layer must check ranges with guest_range_valid() before passing
 * g2h() pointers to the host kernel, which then reports EFAULT for
 * unmapped pages inside the reservation by itself.  Nothing the guest
 * does can reach host memory outside the reservation.
 *
 * Locking: the guest memory map (page flags, brk, mmap placement) is
 * protected by mmap_lock(), a recursive per-thread lock over one mutex.
 */
#ifndef LINUX_USER_USER_H
#define LINUX_USER_USER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "target-riscv/cpu.h"

#define TARGET_PAGE_BITS 12
#define TARGET_PAGE_SIZE (1ull << TARGET_PAGE_BITS)
#define TARGET_PAGE_MASK (~(TARGET_PAGE_SIZE - 1))
#define TARGET_PAGE_ALIGN(a) (((a) + TARGET_PAGE_SIZE - 1) & TARGET_PAGE_MASK)

extern uint64_t guest_space_size;

static inline void *g2h(uint64_t addr)
{
    return (void *)(uintptr_t)(tcg_guest_base + addr);
}

static inline uint64_t h2g(const void *p)
{
    return (uint64_t)((uintptr_t)p - tcg_guest_base);
}

/* Is [addr, addr + len) inside the guest address space? */
static inline bool guest_range_valid(uint64_t addr, uint64_t len)
{
    return addr <= guest_space_size && len <= guest_space_size - addr;
}

/* Options from the command line and CTCG_* environment variables. */
typedef struct UserOptions {
    const char *interp_prefix; /* -L, CTCG_LD_PREFIX */
    const char *argv0;         /* -0, CTCG_ARGV0 */
    const char *cpu_model;     /* -cpu, CTCG_CPU */
    const char *log_file;      /* -D, CTCG_LOG_FILENAME */
    uint64_t stack_size;       /* -s, CTCG_STACK_SIZE */
    uint64_t guest_base;       /* -B, CTCG_GUEST_BASE (0: chosen) */
    uint64_t reserved_va;      /* -R, CTCG_RESERVED_VA (0: default) */
    bool strace;               /* -strace, CTCG_STRACE */
    bool one_insn_per_tb;      /* -one-insn-per-tb / -singlestep */
    int tb_hot;                /* -tb-hot, CTCG_TB_HOT; -1: the default */
    bool tcg_stats;            /* TCG_STATS=1 */
    const char *exec_path;     /* the guest program, for /proc/self/exe */
    bool perfmap;              /* -perfmap: write /tmp/perf-PID.map */
    uint32_t vctrl;            /* -vctrl: prctl's V control before execve */
    int64_t personality;       /* -personality: the persona from the execve
                                * before us; -1: the host's */
    int exec_fd;               /* -execfd: close after loading (fexecve) */
    const char *gdb;           /* -g, CTCG_GDB: port or socket path */
    RISCVCPUConfig cpu_cfg;    /* -cpu, parsed (AT_HWCAP, riscv_cpu_init) */
} UserOptions;

extern UserOptions user_opts;

/* ELF loading (elfload.c) */
struct image_info {
    uint64_t load_bias; /* ET_DYN: where the program was placed */
    uint64_t load_addr; /* lowest mapped address of the program */
    uint64_t start_code, end_code, start_data, end_data;
    uint64_t start_brk;      /* initial program break */
    uint64_t entry;          /* program entry (after bias) */
    uint64_t interp_base;    /* AT_BASE: interpreter load address, or 0 */
    uint64_t pc;             /* where execution starts (interp or program) */
    uint64_t phdr, phnum;    /* AT_PHDR, AT_PHNUM */
    uint64_t start_stack;    /* initial sp (argc) */
    uint64_t stack_limit;    /* lowest address of the stack mapping */
    uint64_t auxv, auxv_len; /* the auxiliary vector on the guest stack */
    uint64_t random;         /* AT_RANDOM bytes */
    bool exec_stack;         /* PT_GNU_STACK asked for an executable stack */
};

/**
 * loader_exec() - load @path (and its interpreter under interp_prefix),
 * build the initial stack with @argv, @envp and the auxiliary vector.
 * Returns: 0, or -errno with a one-line message already printed to stderr
 * naming the problem (not an ELF, wrong machine, truncated, ...).
 */
int loader_exec(const char *path, char *const *argv, char *const *envp,
                struct image_info *info);

/*
 * The running program's image (for /proc/self/auxv and cmdline), defined
 * in syscall-proc.c; main.c sets it after loader_exec() succeeds.
 */
extern struct image_info *exec_info;

/* Guest memory map (mmap.c) */
#define PAGE_READ 0x01
#define PAGE_WRITE 0x02
#define PAGE_EXEC 0x04
#define PAGE_VALID 0x08     /* mapped by the guest */
#define PAGE_WRITE_ORG 0x10 /* writable, but write-protected for SMC */
#define PAGE_ANON 0x20
/*
 * The page's memory may also be written through another mapping or a
 * file descriptor: MAP_SHARED, or a file opened for writing (a memfd
 * mapped twice, RW and RX).  fence.i drops the TBs of such pages too.
 */
#define PAGE_ALIAS 0x40
#define PAGE_GROWSDOWN 0x80 /* part of a MAP_GROWSDOWN mapping */

/*
 * The guest's mmap ABI (asm-generic: the same numbers as x86-64 for these,
 * spelled out so that nothing depends on the host's <sys/mman.h>).
 */
#define TARGET_PROT_READ 0x1
#define TARGET_PROT_WRITE 0x2
#define TARGET_PROT_EXEC 0x4
#define TARGET_PROT_SEM 0x8
#define TARGET_PROT_GROWSDOWN 0x01000000
#define TARGET_PROT_GROWSUP 0x02000000
#define TARGET_MAP_SHARED 0x01
#define TARGET_MAP_PRIVATE 0x02
#define TARGET_MAP_SHARED_VALIDATE 0x03
#define TARGET_MAP_TYPE 0x0f
#define TARGET_MAP_FIXED 0x10
#define TARGET_MAP_ANONYMOUS 0x20
#define TARGET_MAP_GROWSDOWN 0x0100
#define TARGET_MAP_DENYWRITE 0x0800
#define TARGET_MAP_EXECUTABLE 0x1000
#define TARGET_MAP_LOCKED 0x2000
#define TARGET_MAP_NORESERVE 0x4000
#define TARGET_MAP_POPULATE 0x8000
#define TARGET_MAP_NONBLOCK 0x10000
#define TARGET_MAP_STACK 0x20000
#define TARGET_MAP_HUGETLB 0x40000
#define TARGET_MAP_SYNC 0x80000
#define TARGET_MAP_FIXED_NOREPLACE 0x100000
#define TARGET_MAP_UNINITIALIZED 0x4000000
#define TARGET_MREMAP_MAYMOVE 1
#define TARGET_MREMAP_FIXED 2
#define TARGET_MREMAP_DONTUNMAP 4
/* shmat flags (include/uapi/linux/shm.h: the same on every architecture) */
#define TARGET_SHM_RDONLY 010000
#define TARGET_SHM_RND 020000
#define TARGET_SHM_REMAP 040000
#define TARGET_SHM_EXEC 0100000
/* SHMLBA: the page size on riscv64 (asm-generic/shmparam.h) */
#define TARGET_SHMLBA TARGET_PAGE_SIZE

/**
 * guest_space_init() - reserve the guest address space.
 * Returns: 0 or -errno (message printed).
 */
int guest_space_init(uint64_t size, uint64_t base_hint);

/*
 * syscall-proc.c: the guest's RLIMIT_AS/RLIMIT_DATA are the host's at
 * startup (guest_rlimit_init, before guest_space_init, lifts the host's
 * soft limits for the emulator).
 */
void guest_rlimit_init(void);

/**
 * mmap_set_rlimits() - the guest's soft RLIMIT_AS and RLIMIT_DATA and its
 * hard RLIMIT_DATA in bytes (RLIM64_INFINITY for none): guest mmap,
 * mremap, shmat and brk fail with ENOMEM (brk keeps the old break) beyond
 * them, as Linux's may_expand_vm (a soft RLIMIT_DATA of 0 means the hard
 * one) and brk's check_data_rlimit.
 */
void mmap_set_rlimits(uint64_t as, uint64_t data, uint64_t data_max);

void mmap_lock(void);
void mmap_unlock(void);
/* Around a guest fork(): start in the parent before, end in both after. */
void mmap_fork_start(void);
void mmap_fork_end(bool child);
int page_get_flags(uint64_t addr);
bool riscv_page_writable(uint64_t addr);
bool page_range_writable_code(uint64_t addr, uint64_t len);
/*
 * The contents behind [@start, @start + @len) were replaced without a
 * guest store (madvise MADV_DONTNEED on a private file mapping): drop the
 * TBs translated from it.  Context: takes mmap_lock.
 */
void mmap_contents_changed(uint64_t start, uint64_t len);
bool mmap_grow_stack(uint64_t addr);
int64_t target_remap_file_pages(uint64_t start, uint64_t size, int prot,
                                uint64_t pgoff, int flags);
bool guest_code_fetch_ok(uint64_t addr, size_t len);
/*
 * A write to @addr faulted: if its page is write-protected because it
 * holds translated code (PAGE_WRITE_ORG), make it writable again and
 * invalidate its TBs.  Returns: 0 a real fault, 1 retry (already
 * writable), 2 unprotected now.  Context: any thread, signal handlers too
 * (takes mmap_lock, which is recursive).
 */
int page_unprotect(uint64_t addr);
/*
 * A syscall is about to let the host kernel access [@start, @start +
 * @len), which holds a writable code page: unprotect it and keep it
 * unprotected until the syscall ends (mmap_unpin_kernel_writes, called
 * by do_syscall when kw_held is set).  Context: takes mmap_lock.
 */
void mmap_pin_kernel_write(uint64_t start, uint64_t len);
void mmap_unpin_kernel_writes(void);
extern __thread unsigned kw_held;
extern uint64_t smc_pages_protected, smc_faults;
void smc_dump_stats(FILE *f);
/*
 * syscall-file.c: the descriptor in *slot becomes one of the emulator's
 * own (moved high, hidden from the guest); see syscall_emulator_fd_add.
 */
int syscall_emulator_fd_add(int *slot);
void page_set_flags(uint64_t start, uint64_t end, int flags);
bool page_check_range(uint64_t start, uint64_t len, int flags);

/*
 * These take guest (TARGET_*) prot/flags values and return what the
 * syscall returns: the guest address or 0, or -errno (Linux's errnos).
 * page_set_flags(): @end is exclusive.
 */
int64_t target_mmap(uint64_t start, uint64_t len, int prot, int flags, int fd,
                    int64_t offset);
int target_munmap(uint64_t start, uint64_t len);
int target_mprotect(uint64_t start, uint64_t len, int prot);
int64_t target_mremap(uint64_t old_addr, uint64_t old_size, uint64_t new_size,
                      int flags, uint64_t new_addr);
/* System V shm: attach at a guest address (see mmap.c), detach. */
int64_t target_shmat(int shmid, uint64_t addr, uint64_t segsz, int shmflg);
int target_shmdt(uint64_t addr);
void target_set_brk(uint64_t brk);
void target_set_data_size(uint64_t size);
int64_t do_brk(uint64_t brk);
/* /proc/self/maps as the guest sees it, written to @fd. */
void dump_guest_maps(int fd);

/* Syscalls (syscall.c) */
/* Returned by do_syscall when the CPU state was rewritten (rt_sigreturn). */
#define CTCG_ESIGRETURN 513
/* Returned to restart the syscall instruction. */
#define CTCG_ERESTARTSYS 512

int64_t do_syscall(CPURISCVState *env, int num, uint64_t a1, uint64_t a2,
                   uint64_t a3, uint64_t a4, uint64_t a5, uint64_t a6);
void print_syscall(int num, const uint64_t *args);
void print_syscall_ret(int num, int64_t ret);

/* The CPU loop (cpu_loop.c): never returns. */
void cpu_loop(CPURISCVState *env) __attribute__((noreturn));

#endif
