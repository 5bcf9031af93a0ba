/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * An access to a page of a file mapping that lies wholly beyond the end
 * of the file is SIGBUS with si_code BUS_ADRERR and si_addr the address
 * accessed (loads and stores, several sizes); the partial last page reads
 * zeros past the end.  A handler that maps memory there and returns makes
 * the access run again.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

#include "guest.h"

#define PG 4096

static sigjmp_buf env;
static volatile int got_sig, got_code;
static void *volatile got_addr;
static volatile int remap;
static char *base;

static void on_bus(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = si->si_addr;
    if (remap) {
        /* Anonymous memory over the page: the access runs again. */
        CHECK(mmap((void *)((uintptr_t)si->si_addr & ~(uintptr_t)(PG - 1)), PG,
                   PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
                   0) != MAP_FAILED);
        return;
    }
    siglongjmp(env, 1);
}

static void expect_bus(volatile char *addr, int kind)
{
    got_sig = got_code = 0;
    got_addr = NULL;
    if (sigsetjmp(env, 1) == 0) {
        switch (kind) {
        case 0:
            (void)*(volatile uint8_t *)addr;
            break;
        case 1:
            (void)*(volatile uint64_t *)addr;
            break;
        case 2:
            *(volatile uint32_t *)addr = 1;
            break;
        default:
            *(volatile uint16_t *)addr = 1;
            break;
        }
    }
    CHECK(got_sig == SIGBUS);
    CHECK(got_code == BUS_ADRERR);
    CHECK(got_addr == (void *)addr);
}

int main(void)
{
    struct sigaction sa;
    char *dir = guest_tmpdir(), path[128];
    int fd;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGBUS, &sa, NULL) == 0);

    snprintf(path, sizeof(path), "%s/f", dir);
    fd = open(path, O_RDWR | O_CREAT, 0600);
    CHECK(fd >= 0);
    CHECK(write(fd, "0123456789", 10) == 10);
    base = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    CHECK(base != MAP_FAILED);

    /* Inside the last page: zeros past the end. */
    CHECK(base[9] == '9' && base[10] == 0 && base[PG - 1] == 0);
    expect_bus(base + PG, 0);
    expect_bus(base + PG + 8, 1);
    expect_bus(base + 2 * PG + 100, 2);
    expect_bus(base + 2 * PG + 6, 3);

    /* A private mapping too. */
    char *priv = mmap(NULL, 2 * PG, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECK(priv != MAP_FAILED);
    expect_bus(priv + PG + 24, 1);

    /* The handler maps memory there and returns: the load runs again. */
    remap = 1;
    got_sig = 0;
    CHECK(*(volatile char *)(base + PG + 5) == 0);
    CHECK(got_sig == SIGBUS && got_code == BUS_ADRERR &&
          got_addr == base + PG + 5);
    remap = 0;

    munmap(base, 3 * PG);
    munmap(priv, 2 * PG);
    close(fd);
    unlink(path);
    rmdir(dir);
    return guest_done("sig_buseof");
}
