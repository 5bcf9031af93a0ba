/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the ELF loader (linux-user/elfload.c).
 *
 * Design
 * ------
 * Each input is a whole file, written to a memfd that stays open as
 * descriptor FUZZ_FD and loaded with loader_exec("/proc/self/fd/FUZZ_FD")
 * into a 64 MiB guest space (-R 64M), as main() would
 * before running the guest: header and program-header checks, PT_INTERP,
 * PT_GNU_STACK, segment mapping, bss, brk, the initial stack and auxv.
 * A program whose PT_INTERP names "/proc/self/fd/FUZZ_FD" gets the same
 * bytes as its interpreter, so the seeds (gen-seeds.py) reach the
 * interpreter path too.  After each input the whole guest space is
 * unmapped again and the loader's state (brk, stack) reset, as the unit
 * test (tests/unit/test_elfload.c) does between cases.  Not the default
 * 2^38 bytes: mapping and unmapping sets one flag byte per page (a 64 GiB
 * bss took seconds per input with the fuzzer's instrumentation), and
 * unmapping the whole space after each input costs time in the kernel
 * in proportion to its size (1 GiB: ~50 inputs a second).  For the same
 * reason the stack is 256 KiB, not 8 MiB: its flag bytes, its mapping and
 * unmapping were more than half of the CPU time of an input (2.4x the
 * inputs per CPU second without them; the stack's contents, argv, envp
 * and auxv at its top, are the same).
 *
 * The loader may reject the input (one line on stderr, run the fuzzer
 * with -close_fd_mask=2) but must never crash, leak or hang.  elfload.c
 * and mmap.c are included so the reset can reach their static state.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "linux-user/mmap.c"
#include "linux-user/mmap-shm.c"
#include "linux-user/elfload.c"

UserOptions user_opts;

#define FUZZ_FD 200
#define GUEST_SPACE (1ull << 26)

static char fuzz_path[32];
static char *fuzz_argv[] = {"prog", "arg1", NULL};
static char *fuzz_envp[] = {"A=1", "PATH=/bin", NULL};

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    int fd = memfd_create("ctcg-fuzz-elf", MFD_CLOEXEC);

    (void)argc, (void)argv;
    if (fd < 0 || dup2(fd, FUZZ_FD) != FUZZ_FD) {
        perror("fuzz_elfload: memfd");
        abort();
    }
    close(fd);
    fchmod(FUZZ_FD, 0755);
    snprintf(fuzz_path, sizeof(fuzz_path), "/proc/self/fd/%d", FUZZ_FD);
    user_opts.stack_size = 256 << 10;
    user_opts.cpu_cfg.ext_c = true;
    if (guest_space_init(GUEST_SPACE, 0) != 0) {
        abort();
    }
    return 0;
}

/*
 * Unmap what the input mapped, run by run: unmapping the whole space
 * walked and re-reserved all its pages (and made ASan repoison 64 MiB of
 * shadow) every time, a third of the time of an input.
 */
static void fuzz_unmap_mapped(void)
{
    uint64_t a = 0;

    while ((a = mmap_next_valid_page(a, guest_space_size)) < guest_space_size) {
        uint64_t e = a + TARGET_PAGE_SIZE;

        while (e < guest_space_size && (page_get_flags(e) & PAGE_VALID)) {
            e += TARGET_PAGE_SIZE;
        }
        if (target_munmap(a, e - a) != 0) {
            abort();
        }
        a = e;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct image_info info;

    if (ftruncate(FUZZ_FD, 0) != 0 ||
        pwrite(FUZZ_FD, data, size, 0) != (ssize_t)size) {
        abort();
    }
    (void)loader_exec(fuzz_path, fuzz_argv, fuzz_envp, &info);
    fuzz_unmap_mapped();
    brk_start = brk_cur = 0;
    stack_lo = stack_hi = 0;
    return 0;
}
