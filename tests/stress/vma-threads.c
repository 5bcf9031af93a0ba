/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Protections changing under threads that use the memory (after QEMU's
 * vma-pthread test, written afresh).  A 512-page RWX block is cut in
 * eight 64-page zones by three index bits: a page in a zone with bit R,
 * W or X keeps that permission whatever the two changer threads do with
 * mprotect on random page ranges.  Meanwhile:
 *  - a reader compares R pages with the function they hold, directly and
 *    through write(2) to /dev/null (the kernel reads the guest page);
 *  - a writer stores into W pages and has the kernel store into them
 *    (clock_gettime, read(2) from /dev/zero);
 *  - an executor calls the function in X pages, so pages that are both W
 *    and X hold translated code and get write-protected for SMC while the
 *    kernel is asked to write them.
 * Every access is to a page that has the permission at every moment, so
 * none may fail: no EFAULT, no signal.
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stress.h"

#define PAGES 512
#define ZONE_R 0x40
#define ZONE_W 0x80
#define ZONE_X 0x100
#define ZONE_BITS (ZONE_R | ZONE_W | ZONE_X)
#define CHANGES 4000

static char *block;
static long pg;
static int null_fd, zero_fd;
static int changers_left = 2;

static const uint32_t func[2] = {0x00100513 /* li a0, 1 */,
                                 0x00008067 /* ret */};

static char *page_at(unsigned i)
{
    return block + (size_t)(i % PAGES) * pg;
}

static int running(void)
{
    /* Pairs with the decrement of the last changer thread. */
    return __atomic_load_n(&changers_left, __ATOMIC_ACQUIRE) > 0;
}

static void *reader(void *arg)
{
    (void)arg;
    for (unsigned i = 0; running(); i++) {
        char *p = page_at(i | ZONE_R);
        ssize_t n;

        CHECK(memcmp(p, func, sizeof(func)) == 0, "direct read %p", p);
        n = write(null_fd, p, 64);
        CHECK(n == 64, "indirect read %p: %zd (%s)", p, n, strerror(errno));
    }
    return NULL;
}

static void *writer(void *arg)
{
    (void)arg;
    for (unsigned i = 0; running(); i++) {
        char *p = page_at(i | ZONE_W);
        struct timespec *ts = (struct timespec *)(p + pg - sizeof(*ts));
        ssize_t n;

        memcpy(p, func, sizeof(func));
        CHECK(clock_gettime(CLOCK_MONOTONIC, ts) == 0, "indirect write %p (%s)",
              (void *)ts, strerror(errno));
        n = read(zero_fd, p + 64, 32);
        CHECK(n == 32, "indirect write %p: %zd (%s)", p + 64, n,
              strerror(errno));
    }
    return NULL;
}

static void *executor(void *arg)
{
    (void)arg;
    for (unsigned i = 0; running(); i++) {
        long (*f)(void) = (long (*)(void))page_at(i | ZONE_X);

        CHECK(f() == 1, "call %p", (void *)f);
    }
    return NULL;
}

static void *changer(void *arg)
{
    unsigned seed = (unsigned)(uintptr_t)arg;

    for (int n = 0; n < CHANGES; n++) {
        unsigned a = rand_r(&seed) % PAGES, b = rand_r(&seed) % PAGES, t;
        int prot = rand_r(&seed) & (PROT_READ | PROT_WRITE | PROT_EXEC);

        if (a > b) {
            t = a, a = b, b = t;
        }
        /* What every zone in [a, b] must keep. */
        for (unsigned z = a & ZONE_BITS; z <= b; z += 0x40) {
            prot |= z & ZONE_R ? PROT_READ : 0;
            prot |= z & ZONE_W ? PROT_READ | PROT_WRITE : 0;
            prot |= z & ZONE_X ? PROT_EXEC : 0;
        }
        CHECK(mprotect(page_at(a), (size_t)(b - a + 1) * pg, prot) == 0,
              "mprotect: %s", strerror(errno));
    }
    __atomic_fetch_sub(&changers_left, 1, __ATOMIC_RELEASE);
    return NULL;
}

int main(void)
{
    pthread_t t[5];

    pg = sysconf(_SC_PAGESIZE);
    block = mmap(NULL, PAGES * pg, PROT_READ | PROT_WRITE | PROT_EXEC,
                 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(block != MAP_FAILED, "mmap: %s", strerror(errno));
    for (unsigned i = 0; i < PAGES; i++) {
        memcpy(page_at(i), func, sizeof(func));
    }
    __builtin___clear_cache(block, block + PAGES * pg);
    null_fd = open("/dev/null", O_WRONLY);
    zero_fd = open("/dev/zero", O_RDONLY);
    CHECK(null_fd >= 0 && zero_fd >= 0, "open: %s", strerror(errno));

    xcreate(&t[0], reader, NULL);
    xcreate(&t[1], writer, NULL);
    xcreate(&t[2], executor, NULL);
    xcreate(&t[3], changer, (void *)(uintptr_t)1);
    xcreate(&t[4], changer, (void *)(uintptr_t)2);
    for (int i = 0; i < 5; i++) {
        xjoin(t[i]);
    }
    CHECK(munmap(block, PAGES * pg) == 0, "munmap: %s", strerror(errno));
    printf("vma-threads: ok\n");
    return 0;
}
