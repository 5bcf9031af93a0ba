/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The guest's RLIMIT_AS and RLIMIT_DATA bind its own mappings (issue 15),
 * as Linux's may_expand_vm does, while ctcg itself is not bound by them:
 *  - RLIMIT_AS a little above what the guest has mapped (the sizes in
 *    /proc/self/maps, the guest's view): a larger mmap, mremap growth and
 *    brk growth fail (ENOMEM; brk keeps the old break), smaller ones and
 *    MAP_FIXED over the guest's own pages (replaced, not added) work,
 *    and new code still translates (the emulator is not starved);
 *  - RLIMIT_DATA counts only private writable mappings and the heap: a
 *    large PROT_READ or MAP_SHARED mapping still works, a private
 *    writable one fails, and so does brk;
 *  - raising the soft limits again makes the same calls work;
 *  - brk's check_data_rlimit: heap plus data segment within the soft
 *    RLIMIT_DATA, checked first, so even a shrink above it is refused,
 *    and a soft limit of 0 refuses every brk change;
 *  - a soft RLIMIT_DATA of 0 lets mmap use the hard limit (Linux's
 *    exception for Valgrind);
 *  - shmat counts in RLIMIT_AS (ENOMEM), not in RLIMIT_DATA.
 * These three were checked against Linux 6.18 x86-64 with a native build
 * of this file less its riscv64 code (run_new_code).
 * Run under ctcg only: qemu-riscv64 7.2 accepts these limits and ignores
 * them.
 */
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "guest.h"

#define MB (1ul << 20)

/* Bytes the guest has mapped, from /proc/self/maps. */
static unsigned long mapped(void)
{
    FILE *f = fopen("/proc/self/maps", "r");
    unsigned long lo, hi, sum = 0;
    char line[512];

    while (f && fgets(line, sizeof(line), f)) {
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2) {
            sum += hi - lo;
        }
    }
    if (f) {
        fclose(f);
    }
    return sum;
}

/* Fresh code runs: li a0, @n; ret in a new page. */
static int run_new_code(int n)
{
    uint32_t *code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
                          MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int r;

    if (code == MAP_FAILED) {
        return -1;
    }
    code[0] = 0x00000513 | ((uint32_t)n << 20);
    code[1] = 0x00008067;
    __builtin___clear_cache((char *)code, (char *)(code + 2));
    r = ((int (*)(void))code)();
    munmap(code, 4096);
    return r;
}

static void set_soft(int res, rlim_t cur)
{
    struct rlimit lim;

    CHECK(getrlimit(res, &lim) == 0);
    lim.rlim_cur = cur;
    CHECK(setrlimit(res, &lim) == 0);
}

static void test_as(void)
{
    unsigned long base = mapped();
    void *p, *q;
    long brk0;

    set_soft(RLIMIT_AS, base + 64 * MB);
    errno = 0;
    p = mmap(NULL, 128 * MB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p == MAP_FAILED && errno == ENOMEM);
    p = mmap(NULL, 16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    CHECK(p != MAP_FAILED);
    /* replacing its own pages adds nothing */
    q = mmap(p, 16 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
             0);
    CHECK(q == p);
    errno = 0;
    q = mremap(p, 16 * MB, 128 * MB, MREMAP_MAYMOVE);
    CHECK(q == MAP_FAILED && errno == ENOMEM);
    CHECK(run_new_code(5) == 5);
    brk0 = syscall(SYS_brk, 0);
    CHECK(syscall(SYS_brk, brk0 + 128 * MB) == brk0);
    set_soft(RLIMIT_AS, RLIM_INFINITY);
    q = mremap(p, 16 * MB, 128 * MB, MREMAP_MAYMOVE);
    CHECK(q != MAP_FAILED);
    CHECK(munmap(q != MAP_FAILED ? q : p,
                 q != MAP_FAILED ? 128 * MB : 16 * MB) == 0);
    CHECK(syscall(SYS_brk, brk0 + 128 * MB) == brk0 + (long)(128 * MB));
    CHECK(syscall(SYS_brk, brk0) == brk0);
    printf("RLIMIT_AS ok\n");
}

static void test_data(void)
{
    void *p;
    long brk0 = syscall(SYS_brk, 0);

    set_soft(RLIMIT_DATA, 4 * MB + mapped() / 2);
    p = mmap(NULL, 64 * MB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(p != MAP_FAILED);
    if (p != MAP_FAILED) {
        munmap(p, 64 * MB);
    }
    p = mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
             -1, 0);
    CHECK(p != MAP_FAILED);
    if (p != MAP_FAILED) {
        munmap(p, 64 * MB);
    }
    errno = 0;
    p = mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    CHECK(p == MAP_FAILED && errno == ENOMEM);
    CHECK(syscall(SYS_brk, brk0 + 64 * MB) == brk0);
    CHECK(run_new_code(7) == 7);
    set_soft(RLIMIT_DATA, RLIM_INFINITY);
    p = mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    CHECK(p != MAP_FAILED);
    if (p != MAP_FAILED) {
        munmap(p, 64 * MB);
    }
    printf("RLIMIT_DATA ok\n");
}

/*
 * brk's own check (Linux's check_data_rlimit, before anything else):
 * the heap (brk - start_brk) plus the data segment must fit in the soft
 * RLIMIT_DATA, even to shrink the heap; and a soft limit of 0 fails every
 * brk change (the data segment is not empty), though mmap may still map
 * data (below).
 */
static void test_data_brk(void)
{
    long brk0 = syscall(SYS_brk, 0), top;

    CHECK(syscall(SYS_brk, brk0 + 4 * MB) == brk0 + (long)(4 * MB));
    top = syscall(SYS_brk, 0);
    set_soft(RLIMIT_DATA, 64 * 1024);
    /* shrinking to 2 MiB of heap is still above 64 KiB: refused */
    CHECK(syscall(SYS_brk, brk0 + 2 * MB) == top);
    set_soft(RLIMIT_DATA, 0);
    CHECK(syscall(SYS_brk, brk0 + 2 * MB) == top);
    CHECK(syscall(SYS_brk, top + 4096) == top);
    set_soft(RLIMIT_DATA, RLIM_INFINITY);
    CHECK(syscall(SYS_brk, brk0) == brk0);
    printf("brk check_data_rlimit ok\n");
}

/*
 * A soft RLIMIT_DATA of 0 means the hard limit for mmap (Linux's
 * may_expand_vm, an exception kept for Valgrind): a private writable
 * mapping works with an unlimited hard limit, and fails beyond a low one
 * (lowered in a child: a hard limit cannot be raised again unprivileged).
 */
static void test_data_zero(void)
{
    void *p;
    pid_t pid;
    int st;

    set_soft(RLIMIT_DATA, 0);
    p = mmap(NULL, 16 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
             -1, 0);
    CHECK(p != MAP_FAILED);
    if (p != MAP_FAILED) {
        munmap(p, 16 * MB);
    }
    pid = fork();
    if (pid == 0) {
        struct rlimit lim = {0, 4 * MB + mapped()};

        if (setrlimit(RLIMIT_DATA, &lim) != 0) {
            _exit(2);
        }
        p = mmap(NULL, 64 * MB, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        _exit(p == MAP_FAILED && errno == ENOMEM ? 0 : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
          WEXITSTATUS(st) == 0);
    set_soft(RLIMIT_DATA, RLIM_INFINITY);
    printf("RLIMIT_DATA 0 ok\n");
}

/* shmat maps: it counts in RLIMIT_AS (not in RLIMIT_DATA: shared). */
static void test_as_shmat(void)
{
    int id = shmget(IPC_PRIVATE, 64 * MB, IPC_CREAT | 0600);
    void *p;

    CHECK(id >= 0);
    if (id < 0) {
        return;
    }
    set_soft(RLIMIT_AS, mapped() + 16 * MB);
    errno = 0;
    p = shmat(id, NULL, 0);
    CHECK(p == (void *)-1 && errno == ENOMEM);
    if (p != (void *)-1) {
        shmdt(p);
    }
    set_soft(RLIMIT_AS, RLIM_INFINITY);
    set_soft(RLIMIT_DATA, 4 * MB);
    p = shmat(id, NULL, 0);
    CHECK(p != (void *)-1);
    if (p != (void *)-1) {
        CHECK(shmdt(p) == 0);
    }
    set_soft(RLIMIT_DATA, RLIM_INFINITY);
    CHECK(shmctl(id, IPC_RMID, NULL) == 0);
    printf("RLIMIT_AS shmat ok\n");
}

int main(void)
{
    test_as();
    test_data();
    test_data_brk();
    test_data_zero();
    test_as_shmat();
    return guest_done("sc_rlimit");
}
