/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux-user: the ELF loader (execve as Linux's binfmt_elf does it).
 *
 * Design
 * ------
 * loader_exec() validates the program (ELF64, little-endian, EM_RISCV,
 * ET_EXEC or ET_DYN) and its PT_INTERP interpreter completely before
 * mapping anything, then lays the guest space out as a riscv64 kernel
 * without address randomization does (S = guest_space_size, 2^38):
 *
 *   [S - stack size, S)   the stack, MAP_GROWSDOWN, mapped first
 *   below S - stack gap   mmap_base: the interpreter and later mmaps,
 *                         top-down (mmap.c)
 *   ELF_ET_DYN_BASE       ET_DYN programs (2/3 of S, rounded down to the
 *                         largest p_align), static-pie included
 *   p_vaddr               ET_EXEC programs
 *
 * Each image's span is first reserved with one PROT_NONE mapping (fixed
 * for the program, placed for the interpreter), so segments never land
 * on something else; the PT_LOAD segments are then mapped over it with
 * MAP_FIXED -- file-backed private mappings where p_offset and p_vaddr
 * agree modulo the page size, read into anonymous memory otherwise --
 * the bss is zeroed (the partial page in place, whole pages anonymous),
 * and the holes between segments are unmapped again.  The initial brk is
 * the page after the program's highest segment.
 *
 * The initial stack is Linux's: from the top, a NULL word, the execfn
 * string, the environment strings, the argument strings, 16 random
 * bytes (AT_RANDOM) below a 16-byte boundary, then, at the 16-byte
 * aligned sp: argc, argv[], NULL, envp[], NULL, the auxiliary vector.
 *
 * Errors print one line "ctcg-riscv64: <file>: <problem>" and return
 * -errno; anything read from the file is checked before it is used.
 * Runs once, single-threaded, before the guest starts; the mmap.c
 * functions it calls take mmap_lock themselves.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "linux-user/user.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef AT_MINSIGSTKSZ
#define AT_MINSIGSTKSZ 51
#endif

#define DEFAULT_STACK_SIZE (8ull << 20)
#define MAX_PHDR_BYTES 4096 /* Linux: one page of phdrs */
#define MAX_P_ALIGN (1ull << 30)
/* riscv64 rt_sigframe without V state: siginfo + ucontext, 16-aligned */
#define TARGET_MINSIGSTKSZ 1088
#define MISA_BIT(c) (1ull << ((c) - 'A'))
#define TARGET_PROT_NONE 0

/* An ELF file being loaded. */
typedef struct ElfImage {
    const char *name; /* for messages */
    int fd;
    uint64_t file_size;
    bool regular; /* a regular file */
    Elf64_Ehdr ehdr;
    Elf64_Phdr *phdr;
    uint64_t lo, hi; /* page span of the PT_LOADs, before bias */
    uint64_t align;  /* largest p_align, at least a page */
} ElfImage;

/* Where an image ended up. */
typedef struct ElfLoaded {
    uint64_t bias, load_addr, entry, phdr_addr, brk;
    uint64_t start_code, end_code, start_data, end_data;
} ElfLoaded;

static int elf_error(const char *name, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int elf_error(const char *name, int err, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "ctcg-riscv64: %s: ", name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -err;
}

/* pread until @len bytes or EOF; returns the bytes read or -errno. */
static int64_t read_at(int fd, void *buf, uint64_t len, uint64_t off)
{
    uint64_t done = 0;

    while (done < len) {
        ssize_t n = pread(fd, (char *)buf + done, len - done, off + done);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            break;
        }
        done += n;
    }
    return done;
}

static void image_close(ElfImage *im)
{
    if (im->fd >= 0) {
        close(im->fd);
    }
    free(im->phdr);
    im->fd = -1;
    im->phdr = NULL;
}

/*
 * Open @path: a regular file, executable if @need_exec.  Quiet.
 * Returns: 0, -ENOENT etc. from open(), or -EACCES (with im->fd open).
 */
static int image_open(ElfImage *im, const char *path, bool need_exec)
{
    struct stat st;

    im->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (im->fd < 0) {
        return -errno;
    }
    if (fstat(im->fd, &st) != 0) {
        return -errno;
    }
    im->regular = S_ISREG(st.st_mode);
    im->file_size = st.st_size;
    if (!im->regular || (need_exec && !(st.st_mode & 0111))) {
        return -EACCES;
    }
    return 0;
}

/* Print why image_open() failed. */
static int image_open_error(ElfImage *im, int ret)
{
    if (ret == -EACCES && im->fd >= 0) {
        return elf_error(im->name, EACCES, "Permission denied (%s)",
                         im->regular ? "not executable" : "not a regular file");
    }
    return elf_error(im->name, -ret, "%s", strerror(-ret));
}

/* Check the ELF header: ELF64, little-endian, RISC-V, EXEC or DYN. */
static int image_check_ehdr(ElfImage *im)
{
    const Elf64_Ehdr *e = &im->ehdr;
    const char *bad = "Invalid ELF image for this architecture";
    int64_t n = read_at(im->fd, &im->ehdr, sizeof(im->ehdr), 0);

    if (n < 0) {
        return elf_error(im->name, (int)-n, "%s", strerror((int)-n));
    }
    if (n < SELFMAG || memcmp(e->e_ident, ELFMAG, SELFMAG) != 0) {
        return elf_error(im->name, ENOEXEC,
                         "Exec format error (not an ELF file)");
    }
    if (n < (int64_t)sizeof(*e)) {
        return elf_error(im->name, ENOEXEC,
                         "Invalid ELF image: truncated ELF header");
    }
    if (e->e_ident[EI_CLASS] != ELFCLASS64) {
        return elf_error(im->name, ENOEXEC, "%s (not ELF64)", bad);
    }
    if (e->e_ident[EI_DATA] != ELFDATA2LSB) {
        return elf_error(im->name, ENOEXEC, "%s (not little-endian)", bad);
    }
    if (e->e_ident[EI_VERSION] != EV_CURRENT || e->e_version != EV_CURRENT) {
        return elf_error(im->name, ENOEXEC, "%s (bad ELF version)", bad);
    }
    if (e->e_machine != EM_RISCV) {
        return elf_error(im->name, ENOEXEC, "%s (e_machine %u, not RISC-V)",
                         bad, e->e_machine);
    }
    if (e->e_type != ET_EXEC && e->e_type != ET_DYN) {
        return elf_error(im->name, ENOEXEC,
                         "%s (e_type %u is not ET_EXEC or ET_DYN)", bad,
                         e->e_type);
    }
    if (e->e_phentsize != sizeof(Elf64_Phdr)) {
        return elf_error(im->name, ENOEXEC, "%s (e_phentsize %u)", bad,
                         e->e_phentsize);
    }
    return 0;
}

static int image_read_phdrs(ElfImage *im)
{
    uint64_t size = (uint64_t)im->ehdr.e_phnum * sizeof(Elf64_Phdr);
    int64_t n;

    if (size == 0 || size > MAX_PHDR_BYTES) {
        return elf_error(im->name, ENOEXEC,
                         "Invalid ELF image: %u program headers",
                         im->ehdr.e_phnum);
    }
    if (im->ehdr.e_phoff > im->file_size ||
        size > im->file_size - im->ehdr.e_phoff) {
        return elf_error(im->name, ENOEXEC,
                         "Invalid ELF image: "
                         "program headers past end of file (truncated?)");
    }
    im->phdr = malloc(size);
    if (im->phdr == NULL) {
        return elf_error(im->name, ENOMEM, "out of memory");
    }
    n = read_at(im->fd, im->phdr, size, im->ehdr.e_phoff);
    if (n != (int64_t)size) {
        return elf_error(im->name, n < 0 ? (int)-n : EIO,
                         "cannot read the program headers");
    }
    return 0;
}

/* One PT_LOAD: file range, sizes, address range, alignment, order. */
static int check_load(ElfImage *im, const Elf64_Phdr *ph, int i,
                      uint64_t prev_vaddr)
{
    const char *name = im->name;

    if (ph->p_filesz > ph->p_memsz) {
        return elf_error(name, ENOEXEC,
                         "Invalid ELF image: PT_LOAD %d has "
                         "p_filesz > p_memsz",
                         i);
    }
    if (ph->p_offset > im->file_size ||
        ph->p_filesz > im->file_size - ph->p_offset) {
        return elf_error(name, ENOEXEC,
                         "Invalid ELF image: PT_LOAD %d "
                         "data past end of file (truncated?)",
                         i);
    }
    if (ph->p_vaddr + ph->p_memsz < ph->p_vaddr ||
        ph->p_vaddr + ph->p_memsz > guest_space_size) {
        return elf_error(name, ENOEXEC,
                         "Invalid ELF image: PT_LOAD %d "
                         "outside the address space",
                         i);
    }
    if (ph->p_align & (ph->p_align - 1) || ph->p_align > MAX_P_ALIGN) {
        return elf_error(name, ENOEXEC,
                         "Invalid ELF image: PT_LOAD %d "
                         "p_align 0x%" PRIx64 " is not a power of two up "
                         "to 1 GiB",
                         i, (uint64_t)ph->p_align);
    }
    if (ph->p_vaddr < prev_vaddr) {
        return elf_error(name, ENOEXEC,
                         "Invalid ELF image: PT_LOAD "
                         "segments not sorted by address");
    }
    return 0;
}

/* Check every program header; compute the span and alignment. */
static int image_check_phdrs(ElfImage *im)
{
    uint64_t prev = 0;
    int nload = 0;

    im->lo = UINT64_MAX;
    im->hi = 0;
    im->align = TARGET_PAGE_SIZE;
    for (int i = 0; i < im->ehdr.e_phnum; i++) {
        const Elf64_Phdr *ph = &im->phdr[i];
        int ret;

        if (ph->p_type != PT_LOAD) {
            continue;
        }
        ret = check_load(im, ph, i, prev);
        if (ret) {
            return ret;
        }
        prev = ph->p_vaddr;
        if (ph->p_memsz == 0) {
            continue;
        }
        nload++;
        if ((ph->p_vaddr & TARGET_PAGE_MASK) < im->lo) {
            im->lo = ph->p_vaddr & TARGET_PAGE_MASK;
        }
        if (TARGET_PAGE_ALIGN(ph->p_vaddr + ph->p_memsz) > im->hi) {
            im->hi = TARGET_PAGE_ALIGN(ph->p_vaddr + ph->p_memsz);
        }
        if (ph->p_align > im->align) {
            im->align = ph->p_align;
        }
    }
    if (nload == 0) {
        return elf_error(im->name, ENOEXEC,
                         "Invalid ELF image: no PT_LOAD segment");
    }
    if (im->ehdr.e_entry >= guest_space_size) {
        return elf_error(im->name, ENOEXEC,
                         "Invalid ELF image: entry point outside the "
                         "address space");
    }
    return 0;
}

/* Validate an opened image's headers.  Prints the problem. */
static int image_check(ElfImage *im)
{
    int ret = image_check_ehdr(im);

    if (ret == 0) {
        ret = image_read_phdrs(im);
    }
    if (ret == 0) {
        ret = image_check_phdrs(im);
    }
    return ret;
}

/*
 * PT_INTERP of the program (NULL if none; malloc'ed) and PT_GNU_STACK.
 * Linux takes the first PT_INTERP; it must be NUL-terminated.
 */
static int image_find_interp(ElfImage *im, char **interp, bool *exec_stack)
{
    *interp = NULL;
    *exec_stack = false;
    for (int i = 0; i < im->ehdr.e_phnum; i++) {
        const Elf64_Phdr *ph = &im->phdr[i];

        if (ph->p_type == PT_GNU_STACK) {
            *exec_stack = ph->p_flags & PF_X;
        }
        if (ph->p_type != PT_INTERP || *interp) {
            continue;
        }
        if (ph->p_filesz < 2 || ph->p_filesz > PATH_MAX ||
            ph->p_offset > im->file_size ||
            ph->p_filesz > im->file_size - ph->p_offset) {
            return elf_error(im->name, ENOEXEC,
                             "Invalid ELF image: bad PT_INTERP");
        }
        *interp = malloc(ph->p_filesz);
        if (*interp == NULL ||
            read_at(im->fd, *interp, ph->p_filesz, ph->p_offset) !=
                (int64_t)ph->p_filesz ||
            (*interp)[ph->p_filesz - 1] != 0 ||
            strlen(*interp) != ph->p_filesz - 1) {
            return elf_error(im->name, ENOEXEC,
                             "Invalid ELF image: bad PT_INTERP");
        }
    }
    return 0;
}

/* The interpreter: prefix + path first (absolute paths), then path. */
static int open_interp(ElfImage *im, const char *interp, const char *prog)
{
    const char *prefix = user_opts.interp_prefix;
    static char buf[PATH_MAX];
    int ret;

    if (prefix && *prefix && interp[0] == '/' &&
        snprintf(buf, sizeof(buf), "%s%s", prefix, interp) < PATH_MAX &&
        access(buf, F_OK) == 0) {
        im->name = buf;
        ret = image_open(im, buf, false);
        return ret ? image_open_error(im, ret) : image_check(im);
    }
    im->name = interp;
    ret = image_open(im, interp, false);
    if (ret == -ENOENT) {
        return elf_error(prog, ENOENT, "cannot open ELF interpreter %s: %s%s",
                         interp, strerror(ENOENT),
                         prefix && *prefix ? "" : " (see -L)");
    }
    return ret ? image_open_error(im, ret) : image_check(im);
}

static int elf_prot(uint32_t p_flags)
{
    return (p_flags & PF_R ? TARGET_PROT_READ : 0) |
           (p_flags & PF_W ? TARGET_PROT_WRITE : 0) |
           (p_flags & PF_X ? TARGET_PROT_EXEC : 0);
}

/* Zero [start, end of its page) of a segment with protection @prot. */
static int zero_partial_page(uint64_t start, int prot)
{
    uint64_t page = start & TARGET_PAGE_MASK;
    int ret = 0;

    if (!(start & ~TARGET_PAGE_MASK)) {
        return 0;
    }
    if (!(prot & TARGET_PROT_WRITE)) {
        ret = target_mprotect(page, TARGET_PAGE_SIZE, prot | TARGET_PROT_WRITE);
    }
    if (ret == 0) {
        memset(g2h(start), 0, page + TARGET_PAGE_SIZE - start);
    }
    if (ret == 0 && !(prot & TARGET_PROT_WRITE)) {
        ret = target_mprotect(page, TARGET_PAGE_SIZE, prot);
    }
    return ret;
}

/* Map the file part of a segment; copy it where it is not page-aligned. */
static int map_file_part(ElfImage *im, const Elf64_Phdr *ph, uint64_t vaddr,
                         int prot)
{
    const int fixed = TARGET_MAP_PRIVATE | TARGET_MAP_FIXED;
    uint64_t start = vaddr & TARGET_PAGE_MASK;
    uint64_t len = vaddr + ph->p_filesz - start;
    int64_t ret;

    if (((vaddr ^ ph->p_offset) & ~TARGET_PAGE_MASK) == 0) {
        ret = target_mmap(start, len, prot, fixed, im->fd,
                          ph->p_offset - (vaddr - start));
        return ret < 0 ? (int)ret : 0;
    }
    ret = target_mmap(start, len, TARGET_PROT_READ | TARGET_PROT_WRITE,
                      fixed | TARGET_MAP_ANONYMOUS, -1, 0);
    if (ret < 0) {
        return (int)ret;
    }
    ret = read_at(im->fd, g2h(vaddr), ph->p_filesz, ph->p_offset);
    if (ret != (int64_t)ph->p_filesz) {
        return ret < 0 ? (int)ret : -EIO;
    }
    return target_mprotect(start, TARGET_PAGE_ALIGN(len), prot);
}

/* Map one PT_LOAD at @bias (Linux's elf_load). */
static int map_segment(ElfImage *im, const Elf64_Phdr *ph, uint64_t bias)
{
    uint64_t vaddr = ph->p_vaddr + bias;
    uint64_t file_end = vaddr + ph->p_filesz;
    uint64_t mem_end = TARGET_PAGE_ALIGN(vaddr + ph->p_memsz);
    uint64_t zero_start = vaddr & TARGET_PAGE_MASK;
    int prot = elf_prot(ph->p_flags);
    int ret;

    if (ph->p_filesz) {
        ret = map_file_part(im, ph, vaddr, prot);
        if (ret == 0 && ph->p_memsz > ph->p_filesz) {
            ret = zero_partial_page(file_end, prot);
        }
        if (ret) {
            return ret;
        }
        zero_start = TARGET_PAGE_ALIGN(file_end);
    }
    if (mem_end > zero_start) {
        int64_t r = target_mmap(zero_start, mem_end - zero_start, prot,
                                TARGET_MAP_PRIVATE | TARGET_MAP_FIXED |
                                    TARGET_MAP_ANONYMOUS,
                                -1, 0);

        if (r < 0) {
            return (int)r;
        }
    }
    return 0;
}

/*
 * Reserve the image's span: at its address (fixed: programs) or placed
 * top-down below the mmap base, aligned to im->align (interpreters).
 * Returns: the bias, or -errno.
 */
static int64_t reserve_span(ElfImage *im, bool is_interp)
{
    const int flags = TARGET_MAP_PRIVATE | TARGET_MAP_ANONYMOUS;
    uint64_t alo = im->lo & ~(im->align - 1);
    uint64_t bias = 0, len, base;
    int64_t r;

    if (im->ehdr.e_type == ET_DYN && !is_interp) {
        bias = ((guest_space_size / 3 * 2) & ~(im->align - 1)) - alo;
    }
    if (im->ehdr.e_type == ET_EXEC || !is_interp) {
        r = target_mmap(im->lo + bias, im->hi - im->lo, TARGET_PROT_NONE,
                        flags | TARGET_MAP_FIXED_NOREPLACE, -1, 0);
        return r < 0 ? r : (int64_t)bias;
    }
    len = im->hi - alo + im->align - TARGET_PAGE_SIZE;
    r = target_mmap(0, len, TARGET_PROT_NONE, flags, -1, 0);
    if (r < 0) {
        return r;
    }
    base = (r + im->align - 1) & ~(im->align - 1);
    bias = base - alo;
    /* Give back what lies outside [lo + bias, hi + bias). */
    if (im->lo + bias > (uint64_t)r) {
        target_munmap(r, im->lo + bias - r);
    }
    if ((uint64_t)r + len > im->hi + bias) {
        target_munmap(im->hi + bias, r + len - (im->hi + bias));
    }
    return bias;
}

/* Record the code/data extents of one mapped segment. */
static void note_segment(ElfLoaded *ld, const Elf64_Phdr *ph, uint64_t bias)
{
    uint64_t start = ph->p_vaddr + bias;
    uint64_t fend = start + ph->p_filesz;

    if (ph->p_flags & PF_X) {
        ld->start_code = start < ld->start_code ? start : ld->start_code;
        ld->end_code = fend > ld->end_code ? fend : ld->end_code;
    }
    if (ph->p_flags & PF_W) {
        ld->start_data = start < ld->start_data ? start : ld->start_data;
        ld->end_data = fend > ld->end_data ? fend : ld->end_data;
    }
    if (start + ph->p_memsz > ld->brk) {
        ld->brk = start + ph->p_memsz;
    }
}

/* AT_PHDR: the loaded copy of the program headers (Linux's rule). */
static uint64_t find_phdr_addr(const ElfImage *im, uint64_t bias)
{
    const Elf64_Phdr *first = NULL;
    uint64_t phoff = im->ehdr.e_phoff;

    for (int i = 0; i < im->ehdr.e_phnum; i++) {
        const Elf64_Phdr *ph = &im->phdr[i];

        if (ph->p_type != PT_LOAD) {
            continue;
        }
        if (first == NULL) {
            first = ph;
        }
        if (ph->p_offset <= phoff && phoff < ph->p_offset + ph->p_filesz) {
            return phoff - ph->p_offset + ph->p_vaddr + bias;
        }
    }
    if (first == NULL) {
        return 0; /* no PT_LOAD: rejected before we get here */
    }
    return first->p_vaddr - first->p_offset + phoff + bias;
}

/* Map all of an image; fill @ld.  Prints the problem. */
static int image_map(ElfImage *im, bool is_interp, ElfLoaded *ld)
{
    int64_t bias = reserve_span(im, is_interp);
    uint64_t covered = 0;
    int ret;

    if (bias < 0) {
        return elf_error(im->name, (int)-bias,
                         "cannot map the image at "
                         "0x%" PRIx64 ": %s",
                         im->lo, strerror((int)-bias));
    }
    memset(ld, 0, sizeof(*ld));
    ld->start_code = ld->start_data = UINT64_MAX;
    ld->bias = bias;
    covered = im->lo + bias;
    for (int i = 0; i < im->ehdr.e_phnum; i++) {
        const Elf64_Phdr *ph = &im->phdr[i];
        uint64_t start = (ph->p_vaddr + bias) & TARGET_PAGE_MASK;

        if (ph->p_type != PT_LOAD || ph->p_memsz == 0) {
            continue;
        }
        if (start > covered) {
            target_munmap(covered, start - covered); /* a hole */
        }
        ret = map_segment(im, ph, bias);
        if (ret) {
            return elf_error(im->name, -ret, "cannot map segment %d: %s", i,
                             strerror(-ret));
        }
        note_segment(ld, ph, bias);
        if (TARGET_PAGE_ALIGN(ph->p_vaddr + bias + ph->p_memsz) > covered) {
            covered = TARGET_PAGE_ALIGN(ph->p_vaddr + bias + ph->p_memsz);
        }
    }
    ld->load_addr = im->lo + bias;
    ld->entry = im->ehdr.e_entry + bias;
    ld->phdr_addr = find_phdr_addr(im, bias);
    if (ld->start_code == UINT64_MAX) {
        ld->start_code = ld->end_code = 0;
    }
    if (ld->start_data == UINT64_MAX) {
        ld->start_data = ld->end_data = 0;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The initial stack */

/* Map the stack at the top of the guest space. */
static int setup_stack(struct image_info *info, const char *name)
{
    uint64_t size = TARGET_PAGE_ALIGN(
        user_opts.stack_size ? user_opts.stack_size : DEFAULT_STACK_SIZE);
    int prot = TARGET_PROT_READ | TARGET_PROT_WRITE |
               (info->exec_stack ? TARGET_PROT_EXEC : 0);
    int64_t r;

    if (size == 0 || size > guest_space_size / 2) {
        return elf_error(name, ENOMEM,
                         "stack size 0x%" PRIx64 " does not "
                         "fit the guest address space",
                         size);
    }
    r = target_mmap(guest_space_size - size, size, prot,
                    TARGET_MAP_PRIVATE | TARGET_MAP_ANONYMOUS |
                        TARGET_MAP_FIXED_NOREPLACE | TARGET_MAP_GROWSDOWN,
                    -1, 0);
    if (r < 0) {
        return elf_error(name, (int)-r, "cannot map the stack: %s",
                         strerror((int)-r));
    }
    info->stack_limit = r;
    return 0;
}

static void fill_random(uint8_t *buf, size_t len)
{
    size_t done = 0;

    while (done < len) {
        ssize_t n = getrandom(buf + done, len - done, 0);

        if (n <= 0) {
            break;
        }
        done += n;
    }
    if (done < len) {
        srand(time(NULL) ^ getpid());
        for (; done < len; done++) {
            buf[done] = rand();
        }
    }
}

/* Push a string below *p; returns its guest address. */
static uint64_t push_string(uint64_t *p, const char *s)
{
    size_t len = strlen(s) + 1;

    *p -= len;
    memcpy(g2h(*p), s, len);
    return *p;
}

static size_t count_strings(char *const *v, uint64_t *bytes)
{
    size_t n = 0;

    for (; v && v[n]; n++) {
        *bytes += strlen(v[n]) + 1;
    }
    return n;
}

/* Push @n strings of @v, last first, recording their addresses. */
static void push_strings(uint64_t *p, char *const *v, size_t n, uint64_t *addr)
{
    while (n-- > 0) {
        addr[n] = push_string(p, v[n]);
    }
}

static uint64_t elf_hwcap(void)
{
    uint64_t hwcap = MISA_BIT('I') | MISA_BIT('M') | MISA_BIT('A') |
                     MISA_BIT('F') | MISA_BIT('D');

    /* as Linux: V only for the whole extension, not a Zve* subset */
    hwcap |=
        user_opts.cpu_cfg.ext_v && !user_opts.cpu_cfg.v_sub ? MISA_BIT('V') : 0;
    return hwcap | (user_opts.cpu_cfg.ext_c ? MISA_BIT('C') : 0);
}

/*
 * AT_MINSIGSTKSZ: Linux's get_rt_frame_size(true), the rt_sigframe plus,
 * with V, the V context (header, __riscv_v_ext_state, v0-v31) and the END
 * header (signal.c's signal_frame_size).
 */
static uint64_t elf_minsigstksz(void)
{
    const RISCVCPUConfig *cfg = &user_opts.cpu_cfg;

    if (!cfg->ext_v) {
        return TARGET_MINSIGSTKSZ;
    }
    return (TARGET_MINSIGSTKSZ + 8 + 48 + 32 * (cfg->vlen / 8) + 8 + 15) &
           ~15ull;
}

/* The auxiliary vector, in Linux's order; returns the number of words. */
static size_t build_auxv(uint64_t *a, const struct image_info *info,
                         uint64_t execfn)
{
    size_t n = 0;

#define AUX(t, v)     \
    do {              \
        a[n++] = (t); \
        a[n++] = (v); \
    } while (0)
    AUX(AT_MINSIGSTKSZ, elf_minsigstksz());
    AUX(AT_HWCAP, elf_hwcap());
    AUX(AT_PAGESZ, TARGET_PAGE_SIZE);
    AUX(AT_CLKTCK, sysconf(_SC_CLK_TCK));
    AUX(AT_PHDR, info->phdr);
    AUX(AT_PHENT, sizeof(Elf64_Phdr));
    AUX(AT_PHNUM, info->phnum);
    AUX(AT_BASE, info->interp_base);
    AUX(AT_FLAGS, 0);
    AUX(AT_ENTRY, info->entry);
    AUX(AT_UID, getuid());
    AUX(AT_EUID, geteuid());
    AUX(AT_GID, getgid());
    AUX(AT_EGID, getegid());
    AUX(AT_SECURE, 0);
    AUX(AT_RANDOM, info->random);
    AUX(AT_EXECFN, execfn);
    AUX(AT_NULL, 0);
#undef AUX
    return n;
}

#define MAX_AUXV_WORDS 64

/*
 * Build the initial stack below the top of the stack mapping:
 * strings, AT_RANDOM bytes, then argc/argv/envp/auxv at a 16-byte
 * aligned sp.  Sets info->start_stack, random, auxv, auxv_len.
 */
static int build_stack(struct image_info *info, const char *execfn,
                       char *const *argv, char *const *envp)
{
    uint64_t bytes = strlen(execfn) + 1, p = guest_space_size, sp;
    size_t argc = count_strings(argv, &bytes);
    size_t envc = count_strings(envp, &bytes);
    size_t items = argc + 1 + envc + 1 + 1, nwords;
    uint64_t stack_size = guest_space_size - info->stack_limit;
    uint64_t auxv[MAX_AUXV_WORDS], execfn_addr, *ptrs, *w;
    uint8_t rnd[16];

    if (bytes + (items + MAX_AUXV_WORDS) * 8 + 64 > stack_size / 4) {
        return elf_error(execfn, E2BIG, "Argument list too long");
    }
    ptrs = calloc(argc + envc + 1, sizeof(*ptrs));
    if (ptrs == NULL) {
        return elf_error(execfn, ENOMEM, "out of memory");
    }
    p -= 8;
    memset(g2h(p), 0, 8);
    execfn_addr = push_string(&p, execfn);
    push_strings(&p, envp, envc, ptrs + argc);
    push_strings(&p, argv, argc, ptrs);
    p &= ~15ull;
    p -= sizeof(rnd);
    fill_random(rnd, sizeof(rnd));
    memcpy(g2h(p), rnd, sizeof(rnd));
    info->random = p;

    nwords = build_auxv(auxv, info, execfn_addr);
    sp = (p - nwords * 8 - items * 8) & ~15ull;
    w = g2h(sp);
    *w++ = argc;
    for (size_t i = 0; i < argc; i++) {
        *w++ = ptrs[i];
    }
    *w++ = 0;
    for (size_t i = 0; i < envc; i++) {
        *w++ = ptrs[argc + i];
    }
    *w++ = 0;
    memcpy(w, auxv, nwords * 8);
    info->start_stack = sp;
    info->auxv = sp + items * 8;
    info->auxv_len = nwords * 8;
    free(ptrs);
    return 0;
}

/* ------------------------------------------------------------------ */

/* Fill @info from the loaded program and interpreter. */
static void fill_info(struct image_info *info, const ElfImage *exe,
                      const ElfLoaded *prog, const ElfLoaded *interp)
{
    info->load_bias = prog->bias;
    info->load_addr = prog->load_addr;
    info->start_code = prog->start_code;
    info->end_code = prog->end_code;
    info->start_data = prog->start_data;
    info->end_data = prog->end_data;
    info->start_brk = TARGET_PAGE_ALIGN(prog->brk);
    info->entry = prog->entry;
    info->phdr = prog->phdr_addr;
    info->phnum = exe->ehdr.e_phnum;
    info->interp_base = interp ? interp->bias : 0;
    info->pc = interp ? interp->entry : prog->entry;
}

/*
 * Validate the program and its interpreter; nothing is mapped yet.
 * *@interp_path (the PT_INTERP string, which interp->name may point to:
 * it names the interpreter in later errors) is the caller's to free.
 */
static int load_headers(const char *path, ElfImage *exe, ElfImage *interp,
                        char **interp_path, struct image_info *info)
{
    int ret;

    exe->name = path;
    ret = image_open(exe, path, true);
    ret = ret ? image_open_error(exe, ret) : image_check(exe);
    if (ret == 0) {
        ret = image_find_interp(exe, interp_path, &info->exec_stack);
    }
    if (ret == 0 && *interp_path) {
        ret = open_interp(interp, *interp_path, path);
    }
    return ret;
}

/**
 * loader_exec() - load the riscv64 ELF program @path (and its PT_INTERP
 * interpreter, looked up under user_opts.interp_prefix first), map the
 * stack and build it with @argv, @envp and the auxiliary vector, and set
 * the initial brk.
 * @path: the program, as given (also AT_EXECFN)
 * @argv, @envp: NULL-terminated guest argument and environment vectors
 * @info: filled with where everything is
 *
 * Context: once, after guest_space_init(), before the guest runs.
 * Returns: 0, or -errno (ENOENT, EACCES, ENOEXEC, ENOMEM, E2BIG, ...)
 * with a one-line message already printed to stderr.
 */
int loader_exec(const char *path, char *const *argv, char *const *envp,
                struct image_info *info)
{
    ElfImage exe = {.fd = -1}, interp = {.fd = -1};
    ElfLoaded prog, ild;
    char *interp_path = NULL;
    int ret;

    memset(info, 0, sizeof(*info));
    ret = load_headers(path, &exe, &interp, &interp_path, info);
    if (ret == 0) {
        ret = setup_stack(info, path);
    }
    if (ret == 0) {
        ret = image_map(&exe, false, &prog);
    }
    if (ret == 0 && interp.fd >= 0) {
        ret = image_map(&interp, true, &ild);
    }
    if (ret == 0) {
        fill_info(info, &exe, &prog, interp.fd >= 0 ? &ild : NULL);
        target_set_brk(info->start_brk);
        target_set_data_size(info->end_data - info->start_data);
        ret = build_stack(info, path, argv, envp);
    }
    image_close(&exe);
    image_close(&interp);
    free(interp_path);
    return ret;
}
