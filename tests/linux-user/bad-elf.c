/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bad-elf: run ctcg-riscv64 on corrupt programs and bad options.
 *
 *   bad-elf /path/to/ctcg-riscv64
 *
 * Each case must fail cleanly: exit (not a signal) with a non-zero
 * status, exactly one line on stderr, and no crash report (no
 * "Segmentation fault", no sanitizer report).  -h and -version must
 * exit 0.  Output is TAP.  The files are generated in a temporary
 * directory, removed at the end.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef EM_RISCV
#define EM_RISCV 243
#endif

#define FILE_SIZE 0x3000

static const char *ctcg;
static char dir[] = "/tmp/ctcg-bad-elf-XXXXXX";
static int test_no, failures;

/* A plausible static riscv64 program: the base of every corruption. */
typedef struct Elf {
    Elf64_Ehdr eh;
    Elf64_Phdr ph[3];
    size_t size;
    mode_t mode;
} Elf;

static void elf_init(Elf *e)
{
    memset(e, 0, sizeof(*e));
    memcpy(e->eh.e_ident, ELFMAG, SELFMAG);
    e->eh.e_ident[EI_CLASS] = ELFCLASS64;
    e->eh.e_ident[EI_DATA] = ELFDATA2LSB;
    e->eh.e_ident[EI_VERSION] = EV_CURRENT;
    e->eh.e_type = ET_EXEC;
    e->eh.e_machine = EM_RISCV;
    e->eh.e_version = EV_CURRENT;
    e->eh.e_entry = 0x10078;
    e->eh.e_phoff = sizeof(Elf64_Ehdr);
    e->eh.e_ehsize = sizeof(Elf64_Ehdr);
    e->eh.e_phentsize = sizeof(Elf64_Phdr);
    e->eh.e_phnum = 2;
    e->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
                             .p_offset = 0, .p_vaddr = 0x10000,
                             .p_filesz = 0x1800, .p_memsz = 0x1800,
                             .p_align = 0x1000 };
    e->ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
                             .p_offset = 0x1800, .p_vaddr = 0x12800,
                             .p_filesz = 0x100, .p_memsz = 0x3000,
                             .p_align = 0x1000 };
    e->size = FILE_SIZE;
    e->mode = 0755;
}

static void elf_write(const Elf *e, const char *path)
{
    static unsigned char buf[FILE_SIZE];
    int fd;

    memset(buf, 0, sizeof(buf));
    memcpy(buf, &e->eh, sizeof(e->eh));
    memcpy(buf + sizeof(e->eh), e->ph, sizeof(e->ph));
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || write(fd, buf, e->size) != (ssize_t)e->size) {
        perror(path);
        exit(1);
    }
    close(fd);
    chmod(path, e->mode);
}

/* Corruptions of the base program. */
static void c_empty(Elf *e) { e->size = 0; }
static void c_elf32(Elf *e) { e->eh.e_ident[EI_CLASS] = ELFCLASS32; }
static void c_big_endian(Elf *e) { e->eh.e_ident[EI_DATA] = ELFDATA2MSB; }
static void c_x86_64(Elf *e) { e->eh.e_machine = EM_X86_64; }
static void c_short_header(Elf *e) { e->size = 40; }
static void c_phdr_eof(Elf *e) { e->eh.e_phoff = FILE_SIZE - 16; }
static void c_phoff_huge(Elf *e) { e->eh.e_phoff = ~0ull - 100; }
static void c_phnum_huge(Elf *e) { e->eh.e_phnum = 0xffff; }
static void c_filesz(Elf *e) { e->ph[1].p_filesz = 0x4000; }
static void c_offset_huge(Elf *e) { e->ph[1].p_offset = ~0ull - 0xfff; }
static void c_truncated(Elf *e) { e->size = 0x1000; }
static void c_no_load(Elf *e) { e->ph[0].p_type = e->ph[1].p_type = PT_NOTE; }
static void c_vaddr_huge(Elf *e) { e->ph[1].p_vaddr = ~0ull - 0x1000; }
static void c_memsz_huge(Elf *e) { e->ph[1].p_memsz = 1ull << 62; }
static void c_align(Elf *e) { e->ph[0].p_align = 12345; }
static void c_unsorted(Elf *e) { e->ph[1].p_vaddr = 0x1000; }
static void c_no_perm(Elf *e) { e->mode = 0; }
static void c_no_exec(Elf *e) { e->mode = 0644; }
static void c_entry(Elf *e) { e->eh.e_entry = ~0ull; }
static void c_interp(Elf *e)
{
    e->ph[2] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_offset = 0x1000,
                             .p_filesz = 1 << 20 };
    e->eh.e_phnum = 3;
}

static const struct {
    const char *name;
    void (*corrupt)(Elf *e);
} elf_cases[] = {
    { "empty file", c_empty },
    { "ELF32", c_elf32 },
    { "big-endian", c_big_endian },
    { "x86-64 machine", c_x86_64 },
    { "truncated ELF header", c_short_header },
    { "phdrs beyond EOF", c_phdr_eof },
    { "e_phoff overflowing", c_phoff_huge },
    { "e_phnum 0xffff", c_phnum_huge },
    { "p_filesz > p_memsz", c_filesz },
    { "huge p_offset", c_offset_huge },
    { "segment beyond EOF", c_truncated },
    { "zero PT_LOAD", c_no_load },
    { "p_vaddr overflowing", c_vaddr_huge },
    { "huge p_memsz", c_memsz_huge },
    { "p_align not a power of two", c_align },
    { "unsorted PT_LOAD", c_unsorted },
    { "no permission (mode 000)", c_no_perm },
    { "not executable (mode 644)", c_no_exec },
    { "entry point outside", c_entry },
    { "huge PT_INTERP", c_interp },
};

/*
 * Run ctcg with @args (NULL-terminated, ctcg itself not included);
 * return the wait status, stderr in @err, stdout in @out.
 */
static int run(char *const *args, char *err, size_t errlen, char *out,
               size_t outlen)
{
    char *argv[16] = { (char *)ctcg };
    int epipe[2], opipe[2], status;
    size_t elen = 0, olen = 0;
    pid_t pid;
    ssize_t n;

    for (int i = 0; args[i] && i < 14; i++) {
        argv[i + 1] = args[i];
    }
    if (pipe(epipe) || pipe(opipe)) {
        perror("pipe");
        exit(1);
    }
    pid = fork();
    if (pid == 0) {
        dup2(epipe[1], 2);
        dup2(opipe[1], 1);
        close(epipe[0]);
        close(opipe[0]);
        execv(ctcg, argv);
        _exit(126);
    }
    close(epipe[1]);
    close(opipe[1]);
    while ((n = read(epipe[0], err + elen, errlen - 1 - elen)) > 0) {
        elen += n;
    }
    while ((n = read(opipe[0], out + olen, outlen - 1 - olen)) > 0) {
        olen += n;
    }
    err[elen] = 0;
    out[olen] = 0;
    close(epipe[0]);
    close(opipe[0]);
    waitpid(pid, &status, 0);
    return status;
}

static void report(bool ok, const char *name, const char *why,
                   const char *err)
{
    test_no++;
    if (ok) {
        printf("ok %d - %s\n", test_no, name);
        return;
    }
    failures++;
    printf("not ok %d - %s: %s\n", test_no, name, why);
    printf("# stderr: %s\n", err);
}

/* One failure case: non-zero exit, one line on stderr, no crash. */
static void expect_error(const char *name, char *const *args)
{
    static char err[65536], out[65536];
    int status = run(args, err, sizeof(err), out, sizeof(out));
    char *nl = strchr(err, '\n');

    if (WIFSIGNALED(status)) {
        report(false, name, strsignal(WTERMSIG(status)), err);
    } else if (WEXITSTATUS(status) == 0) {
        report(false, name, "exit status 0", err);
    } else if (WEXITSTATUS(status) == 126) {
        report(false, name, "cannot execute the emulator", err);
    } else if (strstr(err, "Segmentation fault") ||
               strstr(err, "Sanitizer") || strstr(err, "runtime error")) {
        report(false, name, "crash report on stderr", err);
    } else if (nl == NULL || nl == err || nl[1] != 0) {
        report(false, name, "not exactly one line on stderr", err);
    } else if (strncmp(err, "ctcg", 4) != 0) {
        report(false, name, "message does not start with the program name",
               err);
    } else {
        report(true, name, NULL, err);
    }
}

/* -h and -version: exit 0, with their text on stdout. */
static void expect_success(const char *name, char *const *args,
                           const char *want)
{
    static char err[65536], out[65536];
    int status = run(args, err, sizeof(err), out, sizeof(out));

    report(WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
           strstr(out, want) != NULL, name, "not exit 0 with the text", err);
}

static void elf_tests(const char *path)
{
    for (size_t i = 0; i < sizeof(elf_cases) / sizeof(elf_cases[0]); i++) {
        char *args[] = { (char *)path, NULL };
        Elf e;

        elf_init(&e);
        elf_cases[i].corrupt(&e);
        unlink(path);
        elf_write(&e, path);
        expect_error(elf_cases[i].name, args);
    }
}

static void file_tests(const char *notelf, const char *missing)
{
    char *a_notelf[] = { (char *)notelf, NULL };
    char *a_dir[] = { dir, NULL };
    char *a_missing[] = { (char *)missing, NULL };
    int fd = open(notelf, O_WRONLY | O_CREAT | O_TRUNC, 0755);

    if (fd < 0 || write(fd, "#!/bin/sh\necho hi\n", 18) != 18) {
        perror(notelf);
        exit(1);
    }
    close(fd);
    expect_error("not an ELF file", a_notelf);
    expect_error("a directory", a_dir);
    expect_error("a missing file", a_missing);
}

static void option_tests(const char *prog)
{
    char *p = (char *)prog;
    char *cases[][5] = {
        { "-cpu", "nosuch", p, NULL },
        { "-d", "nosuch", p, NULL },
        { "-s", "abc", p, NULL },
        { "-s", "0", p, NULL },
        { "-R", "12Q", p, NULL },
        { "-B", "xyz", p, NULL },
        { "-E", "novalue", p, NULL },
        { "-U", "a=b", p, NULL },
        { "-D", "/nonexistent-dir/log", p, NULL },
        { "-L", NULL },
        { "-nosuch", p, NULL },
        { NULL },
    };
    static const char *names[] = {
        "-cpu nosuch", "-d nosuch", "-s abc", "-s 0", "-R 12Q", "-B xyz",
        "-E novalue", "-U a=b", "-D unwritable", "-L missing argument",
        "unknown option", "no program",
    };

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        expect_error(names[i], cases[i]);
    }
}

int main(int argc, char **argv)
{
    char prog[300], notelf[300], missing[300];
    char *a_help[] = { "-h", NULL }, *a_version[] = { "-version", NULL };

    if (argc != 2) {
        fprintf(stderr, "usage: %s /path/to/ctcg-riscv64\n", argv[0]);
        return 2;
    }
    ctcg = argv[1];
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(prog, sizeof(prog), "%s/prog", dir);
    snprintf(notelf, sizeof(notelf), "%s/notelf", dir);
    snprintf(missing, sizeof(missing), "%s/missing", dir);
    printf("1..%zu\n", sizeof(elf_cases) / sizeof(elf_cases[0]) + 3 + 12 + 2);
    elf_tests(prog);
    file_tests(notelf, missing);
    option_tests(notelf);
    expect_success("-h", a_help, "usage:");
    expect_success("-version", a_version, "ctcg-riscv64 version");
    unlink(prog);
    unlink(notelf);
    rmdir(dir);
    return failures != 0;
}
