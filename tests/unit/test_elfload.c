/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of linux-user/elfload.c: ELF files are generated here
 * (no cross compiler needed), loaded into a 1 GiB guest space and the
 * mappings, the initial stack and the auxiliary vector checked; corrupt
 * files must fail with the right errno and never crash.
 *
 * elfload.c and mmap.c are included so the tests can see static state.
 */
#include <elf.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "linux-user/mmap.c"
#include "linux-user/mmap-shm.c"
#include "linux-user/elfload.c"

UserOptions user_opts;

#define SPACE (1ull << 30)
#define PG TARGET_PAGE_SIZE
#define FILE_SIZE 0x3000
#define MAX_SEGS 6

typedef struct TestElf {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[MAX_SEGS];
    int nph;
    size_t size; /* bytes written */
    mode_t mode;
    const char *interp; /* PT_INTERP string at offset 0x2f00 */
} TestElf;

static char dir[] = "/tmp/ctcg-test-elf-XXXXXX";
static char prog_path[256], interp_path[256];

static uint8_t file_byte(size_t i)
{
    return (uint8_t)(i * 7 + 3) | 1; /* never 0 */
}

static void add_ph(TestElf *e, uint32_t type, uint32_t flags, uint64_t off,
                   uint64_t vaddr, uint64_t filesz, uint64_t memsz)
{
    e->ph[e->nph++] = (Elf64_Phdr){
        .p_type = type,
        .p_flags = flags,
        .p_offset = off,
        .p_vaddr = vaddr,
        .p_paddr = vaddr,
        .p_filesz = filesz,
        .p_memsz = memsz,
        .p_align = type == PT_LOAD ? PG : 8,
    };
}

/*
 * A valid static program: text R-X at 0x10000 (file 0..0x1800), data RW
 * at 0x12800 (file 0x1800..0x1900) with bss up to 0x15800.
 */
static void elf_init(TestElf *e, uint16_t type, uint64_t base)
{
    memset(e, 0, sizeof(*e));
    memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
    e->eh.e_ident[EI_CLASS] = ELFCLASS64;
    e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    e->eh.e_ident[EI_VERSION] = EV_CURRENT;
    e->eh.e_type = type;
    e->eh.e_machine = EM_RISCV;
    e->eh.e_version = EV_CURRENT;
    e->eh.e_entry = base + 0x78;
    e->eh.e_phoff = sizeof(Elf64_Ehdr);
    e->eh.e_ehsize = sizeof(Elf64_Ehdr);
    e->eh.e_phentsize = sizeof(Elf64_Phdr);
    add_ph(e, PT_LOAD, PF_R | PF_X, 0, base, 0x1800, 0x1800);
    add_ph(e, PT_LOAD, PF_R | PF_W, 0x1800, base + 0x2800, 0x100, 0x3000);
    add_ph(e, PT_GNU_STACK, PF_R | PF_W, 0, 0, 0, 0);
    e->size = FILE_SIZE;
    e->mode = 0755;
}

static void elf_write(TestElf *e, const char *path)
{
    uint8_t buf[FILE_SIZE];
    FILE *f;

    for (size_t i = 0; i < sizeof(buf); i++) {
        buf[i] = file_byte(i);
    }
    e->eh.e_phnum = e->nph;
    memcpy(buf, &e->eh, sizeof(e->eh));
    memcpy(buf + sizeof(e->eh), e->ph, e->nph * sizeof(Elf64_Phdr));
    if (e->interp) {
        strcpy((char *)buf + 0x2f00, e->interp);
    }
    unlink(path);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, e->size, f), e->size);
    fclose(f);
    chmod(path, e->mode);
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(target_munmap(0, guest_space_size), 0);
    brk_start = brk_cur = 0;
    stack_lo = stack_hi = 0;
    user_opts.interp_prefix = NULL;
    return 0;
}

static char *test_argv[] = {"prog", "arg1", NULL};
static char *test_envp[] = {"A=1", "BB=22", NULL};

static int load(TestElf *e, struct image_info *info)
{
    elf_write(e, prog_path);
    return loader_exec(prog_path, test_argv, test_envp, info);
}

static uint64_t rd64(uint64_t a)
{
    uint64_t v;

    memcpy(&v, g2h(a), 8);
    return v;
}

static uint64_t auxv_get(const struct image_info *info, uint64_t type)
{
    for (uint64_t a = info->auxv; a < info->auxv + info->auxv_len; a += 16) {
        if (rd64(a) == type) {
            return rd64(a + 8);
        }
    }
    return -1ull;
}

static void test_elfload_static_segments(void **state)
{
    struct image_info info;
    TestElf e;
    uint8_t want[0x1800];

    (void)state;
    elf_init(&e, ET_EXEC, 0x10000);
    assert_int_equal(load(&e, &info), 0);
    assert_int_equal(info.entry, 0x10078);
    assert_int_equal(info.pc, 0x10078);
    assert_int_equal(info.load_bias, 0);
    assert_int_equal(info.interp_base, 0);
    assert_int_equal(info.phdr, 0x10000 + sizeof(Elf64_Ehdr));
    assert_int_equal(info.start_brk, 0x16000);
    assert_int_equal(brk_cur, 0x16000);
    for (size_t i = sizeof(want) - 0x100; i < sizeof(want); i++) {
        want[i] = file_byte(i);
    }
    assert_memory_equal(g2h(0x10000 + 0x1700), want + 0x1700, 0x100);
    assert_int_equal(page_get_flags(0x10000),
                     PAGE_VALID | PAGE_READ | PAGE_EXEC);
    /* data: file bytes, then zeros (also the rest of the file's page) */
    assert_int_equal(*(uint8_t *)g2h(0x12800), file_byte(0x1800));
    assert_int_equal(*(uint8_t *)g2h(0x128ff), file_byte(0x18ff));
    for (uint64_t a = 0x12900; a < 0x16000; a += 0x80) {
        assert_int_equal(*(uint8_t *)g2h(a), 0);
    }
    assert_true(page_check_range(0x12000, 0x4000, PAGE_READ | PAGE_WRITE));
    assert_int_equal(page_get_flags(0x16000), 0);
    assert_false(info.exec_stack);
}

static void test_elfload_stack_layout(void **state)
{
    struct image_info info;
    uint64_t sp, p;
    TestElf e;

    (void)state;
    elf_init(&e, ET_EXEC, 0x10000);
    assert_int_equal(load(&e, &info), 0);
    sp = info.start_stack;
    assert_int_equal(sp & 15, 0);
    assert_int_equal(info.stack_limit, SPACE - (8 << 20));
    assert_int_equal(rd64(sp), 2); /* argc */
    assert_string_equal(g2h(rd64(sp + 8)), "prog");
    assert_string_equal(g2h(rd64(sp + 16)), "arg1");
    assert_int_equal(rd64(sp + 24), 0);
    assert_string_equal(g2h(rd64(sp + 32)), "A=1");
    assert_string_equal(g2h(rd64(sp + 40)), "BB=22");
    assert_int_equal(rd64(sp + 48), 0);
    assert_int_equal(info.auxv, sp + 56);
    /* strings in order at the top: argv, envp, execfn, a NULL word */
    p = rd64(sp + 8);
    assert_int_equal(rd64(sp + 16), p + 5);
    assert_int_equal(rd64(sp + 32), p + 10);
    assert_int_equal(auxv_get(&info, AT_EXECFN), p + 20);
    assert_int_equal(p + 20 + strlen(prog_path) + 1, SPACE - 8);
    assert_int_equal(rd64(SPACE - 8), 0);
    /* AT_RANDOM: 16 bytes below the strings, above the auxv */
    assert_int_equal(auxv_get(&info, AT_RANDOM), info.random);
    assert_true(info.random >= info.auxv + info.auxv_len);
    assert_true(info.random + 16 <= p);
    assert_int_equal(info.random & 15, 0);
    /* the auxv ends with AT_NULL */
    assert_int_equal(rd64(info.auxv + info.auxv_len - 16), AT_NULL);
}

static void test_elfload_auxv(void **state)
{
    struct image_info info;
    TestElf e;

    (void)state;
    elf_init(&e, ET_EXEC, 0x10000);
    assert_int_equal(load(&e, &info), 0);
    assert_int_equal(auxv_get(&info, AT_PAGESZ), 4096);
    assert_int_equal(auxv_get(&info, AT_PHDR), info.phdr);
    assert_int_equal(auxv_get(&info, AT_PHENT), 56);
    assert_int_equal(auxv_get(&info, AT_PHNUM), 3);
    assert_int_equal(auxv_get(&info, AT_ENTRY), 0x10078);
    assert_int_equal(auxv_get(&info, AT_BASE), 0);
    assert_int_equal(auxv_get(&info, AT_FLAGS), 0);
    assert_int_equal(auxv_get(&info, AT_UID), getuid());
    assert_int_equal(auxv_get(&info, AT_EGID), getegid());
    assert_int_equal(auxv_get(&info, AT_SECURE), 0);
    assert_int_equal(auxv_get(&info, AT_CLKTCK), sysconf(_SC_CLK_TCK));
    assert_int_equal(auxv_get(&info, AT_MINSIGSTKSZ), TARGET_MINSIGSTKSZ);
    /* IMAFDC, as QEMU's riscv64 */
    assert_int_equal(auxv_get(&info, AT_HWCAP), 0x112d);
    user_opts.cpu_cfg.ext_c = false;
    setup(NULL);
    assert_int_equal(load(&e, &info), 0);
    assert_int_equal(auxv_get(&info, AT_HWCAP), 0x112d & ~(1 << 2));
    user_opts.cpu_cfg.ext_c = true;
    /* With V: the frame plus the V context and END (get_rt_frame_size) */
    user_opts.cpu_cfg.ext_v = true;
    user_opts.cpu_cfg.vlen = 128;
    setup(NULL);
    assert_int_equal(load(&e, &info), 0);
    assert_int_equal(auxv_get(&info, AT_MINSIGSTKSZ), 1088 + 64 + 512);
    user_opts.cpu_cfg.vlen = 1024;
    setup(NULL);
    assert_int_equal(load(&e, &info), 0);
    assert_int_equal(auxv_get(&info, AT_MINSIGSTKSZ), 1088 + 64 + 4096);
    user_opts.cpu_cfg.ext_v = false;
}

static void test_elfload_exec_stack_and_misaligned(void **state)
{
    struct image_info info;
    TestElf e;

    (void)state;
    elf_init(&e, ET_EXEC, 0x10000);
    e.ph[2].p_flags |= PF_X;
    e.ph[1].p_offset = 0x1900; /* not congruent: copied */
    assert_int_equal(load(&e, &info), 0);
    assert_true(info.exec_stack);
    assert_int_equal(page_get_flags(info.stack_limit) & PAGE_EXEC, PAGE_EXEC);
    assert_int_equal(*(uint8_t *)g2h(0x12800), file_byte(0x1900));
    assert_int_equal(*(uint8_t *)g2h(0x128ff), file_byte(0x19ff));
    assert_int_equal(*(uint8_t *)g2h(0x12900), 0);
    assert_int_equal(page_get_flags(0x12000),
                     PAGE_VALID | PAGE_ANON | PAGE_READ | PAGE_WRITE);
}

static void test_elfload_dyn_with_interp(void **state)
{
    struct image_info info;
    uint64_t et_dyn_base = (SPACE / 3 * 2) & TARGET_PAGE_MASK;
    TestElf e, in;

    (void)state;
    elf_init(&in, ET_DYN, 0);
    in.nph = 1;
    in.eh.e_entry = 0x40;
    elf_write(&in, interp_path);
    elf_init(&e, ET_DYN, 0);
    add_ph(&e, PT_INTERP, PF_R, 0x2f00, 0x2f00, strlen(interp_path) + 1,
           strlen(interp_path) + 1);
    e.interp = interp_path;
    assert_int_equal(load(&e, &info), 0);
    assert_int_equal(info.load_bias, et_dyn_base);
    assert_int_equal(info.entry, et_dyn_base + 0x78);
    assert_int_equal(auxv_get(&info, AT_ENTRY), et_dyn_base + 0x78);
    assert_int_equal(info.start_brk, et_dyn_base + 0x6000);
    /* the interpreter: top-down below mmap_base */
    assert_int_equal(info.interp_base, mmap_base - 0x2000);
    assert_int_equal(info.pc, info.interp_base + 0x40);
    assert_int_equal(auxv_get(&info, AT_BASE), info.interp_base);
    assert_int_equal(*(uint8_t *)g2h(info.interp_base + 0x100),
                     file_byte(0x100));
}

/*
 * An interpreter that fails only when it is mapped (an ET_EXEC at the
 * program's own addresses): the error names it after its PT_INTERP
 * string was used (a use-after-free found by tests/fuzz/fuzz_elfload).
 */
static void test_elfload_interp_map_error(void **state)
{
    struct image_info info;
    TestElf e, in;

    (void)state;
    elf_init(&in, ET_EXEC, 0x10000);
    elf_write(&in, interp_path);
    elf_init(&e, ET_EXEC, 0x10000);
    add_ph(&e, PT_INTERP, PF_R, 0x2f00, 0x2f00, strlen(interp_path) + 1,
           strlen(interp_path) + 1);
    e.interp = interp_path;
    assert_true(load(&e, &info) < 0);
}

static void test_elfload_interp_prefix(void **state)
{
    struct image_info info;
    char prefixed[300];
    TestElf e, in;

    (void)state;
    /* PT_INTERP names "/interp"; it exists only under the prefix. */
    snprintf(prefixed, sizeof(prefixed), "%s/interp", dir);
    elf_init(&in, ET_DYN, 0);
    in.nph = 1;
    elf_write(&in, prefixed);
    elf_init(&e, ET_DYN, 0);
    add_ph(&e, PT_INTERP, PF_R, 0x2f00, 0, 8, 8);
    e.interp = "/interp";
    assert_int_equal(load(&e, &info), -ENOENT);
    setup(NULL);
    user_opts.interp_prefix = dir;
    assert_int_equal(load(&e, &info), 0);
    assert_true(info.interp_base != 0);
    unlink(prefixed);
}

/* A corruption of the valid program, and the errno it must give. */
typedef struct BadCase {
    const char *what;
    void (*corrupt)(TestElf *e);
    int err;
} BadCase;

static void bad_empty(TestElf *e)
{
    e->size = 0;
}
static void bad_magic(TestElf *e)
{
    e->eh.e_ident[1] = 'X';
}
static void bad_class(TestElf *e)
{
    e->eh.e_ident[EI_CLASS] = ELFCLASS32;
}
static void bad_endian(TestElf *e)
{
    e->eh.e_ident[EI_DATA] = ELFDATA2MSB;
}
static void bad_machine(TestElf *e)
{
    e->eh.e_machine = EM_X86_64;
}
static void bad_type(TestElf *e)
{
    e->eh.e_type = ET_REL;
}
static void bad_short_ehdr(TestElf *e)
{
    e->size = 40;
}
static void bad_phentsize(TestElf *e)
{
    e->eh.e_phentsize = 32;
}
static void bad_phoff(TestElf *e)
{
    e->eh.e_phoff = FILE_SIZE - 8;
}
static void bad_phoff_huge(TestElf *e)
{
    e->eh.e_phoff = ~0ull - 8;
}
static void bad_phnum(TestElf *e)
{
    e->nph = 0;
}
static void bad_filesz(TestElf *e)
{
    e->ph[1].p_filesz = 0x4000;
}
static void bad_offset(TestElf *e)
{
    e->ph[1].p_offset = ~0ull - 0x10;
}
static void bad_truncated(TestElf *e)
{
    e->size = 0x1000;
}
static void bad_vaddr(TestElf *e)
{
    e->ph[1].p_vaddr = ~0ull - 0x100;
}
static void bad_beyond(TestElf *e)
{
    e->ph[1].p_vaddr = SPACE - 0x100;
}
static void bad_align(TestElf *e)
{
    e->ph[0].p_align = 0x3000;
}
static void bad_unsorted(TestElf *e)
{
    e->ph[1].p_vaddr = 0x8000;
}
static void bad_no_load(TestElf *e)
{
    e->ph[0].p_type = PT_NOTE;
    e->ph[1].p_type = PT_NOTE;
}
static void bad_interp(TestElf *e)
{
    add_ph(e, PT_INTERP, PF_R, 0x2f00, 0, 4, 4);
    e->interp = "/nonexistent-interp"; /* not NUL-terminated at 4 */
}
static void bad_interp_missing(TestElf *e)
{
    add_ph(e, PT_INTERP, PF_R, 0x2f00, 0, 20, 20);
    e->interp = "/nonexistent-interp";
}
static void bad_noexec(TestElf *e)
{
    e->mode = 0644;
}
static void bad_entry(TestElf *e)
{
    e->eh.e_entry = SPACE;
}
static void bad_low(TestElf *e)
{
    e->ph[0].p_vaddr = 0x1000;
    e->ph[1].p_vaddr = 0x3800;
}

static const BadCase bad_cases[] = {
    {"empty file", bad_empty, ENOEXEC},
    {"not ELF", bad_magic, ENOEXEC},
    {"ELF32", bad_class, ENOEXEC},
    {"big-endian", bad_endian, ENOEXEC},
    {"x86-64", bad_machine, ENOEXEC},
    {"ET_REL", bad_type, ENOEXEC},
    {"truncated header", bad_short_ehdr, ENOEXEC},
    {"bad e_phentsize", bad_phentsize, ENOEXEC},
    {"phdrs past EOF", bad_phoff, ENOEXEC},
    {"phoff overflow", bad_phoff_huge, ENOEXEC},
    {"no phdrs", bad_phnum, ENOEXEC},
    {"filesz > memsz", bad_filesz, ENOEXEC},
    {"huge p_offset", bad_offset, ENOEXEC},
    {"segment past EOF", bad_truncated, ENOEXEC},
    {"vaddr overflow", bad_vaddr, ENOEXEC},
    {"beyond the space", bad_beyond, ENOEXEC},
    {"p_align not a power of 2", bad_align, ENOEXEC},
    {"unsorted PT_LOAD", bad_unsorted, ENOEXEC},
    {"no PT_LOAD", bad_no_load, ENOEXEC},
    {"bad PT_INTERP", bad_interp, ENOEXEC},
    {"missing interpreter", bad_interp_missing, ENOENT},
    {"not executable", bad_noexec, EACCES},
    {"entry outside", bad_entry, ENOEXEC},
    {"below mmap_min_addr", bad_low, EPERM},
};

static void test_elfload_bad_files(void **state)
{
    struct image_info info;

    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        TestElf e;
        int ret;

        setup(NULL);
        elf_init(&e, ET_EXEC, 0x10000);
        bad_cases[i].corrupt(&e);
        ret = load(&e, &info);
        if (ret != -bad_cases[i].err) {
            fail_msg("%s: got %d, want %d", bad_cases[i].what, ret,
                     -bad_cases[i].err);
        }
    }
}

static void test_elfload_missing_and_dir(void **state)
{
    struct image_info info;

    (void)state;
    assert_int_equal(
        loader_exec("/nonexistent/prog", test_argv, test_envp, &info), -ENOENT);
    assert_int_equal(loader_exec(dir, test_argv, test_envp, &info), -EACCES);
}

static void test_elfload_e2big(void **state)
{
    struct image_info info;
    static char big[1 << 20];
    char *argv[] = {"prog", big, big, big, NULL};
    TestElf e;

    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    elf_init(&e, ET_EXEC, 0x10000);
    elf_write(&e, prog_path);
    assert_int_equal(loader_exec(prog_path, argv, test_envp, &info), -E2BIG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_elfload_static_segments, setup),
        cmocka_unit_test_setup(test_elfload_stack_layout, setup),
        cmocka_unit_test_setup(test_elfload_auxv, setup),
        cmocka_unit_test_setup(test_elfload_exec_stack_and_misaligned, setup),
        cmocka_unit_test_setup(test_elfload_dyn_with_interp, setup),
        cmocka_unit_test_setup(test_elfload_interp_prefix, setup),
        cmocka_unit_test_setup(test_elfload_interp_map_error, setup),
        cmocka_unit_test_setup(test_elfload_bad_files, setup),
        cmocka_unit_test_setup(test_elfload_missing_and_dir, setup),
        cmocka_unit_test_setup(test_elfload_e2big, setup),
    };
    int ret;

    if (mkdtemp(dir) == NULL) {
        return 1;
    }
    snprintf(prog_path, sizeof(prog_path), "%s/prog", dir);
    snprintf(interp_path, sizeof(interp_path), "%s/ld.so", dir);
    user_opts.stack_size = 8 << 20;
    user_opts.cpu_cfg.ext_c = true;
    if (guest_space_init(SPACE, 0) != 0) {
        return 1;
    }
    ret = cmocka_run_group_tests(tests, NULL, NULL);
    unlink(prog_path);
    unlink(interp_path);
    rmdir(dir);
    return ret;
}
