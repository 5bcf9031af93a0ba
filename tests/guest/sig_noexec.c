/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Instruction fetch from a page that is no longer executable: SIGSEGV
 * (SEGV_ACCERR) with si_addr the first non-executable byte and the pc of
 * the instruction that could not be fetched; the handler makes the page
 * executable again (mprotect) and returns, and the code runs on from that
 * instruction.  The code was run (translated) before the page lost
 * PROT_EXEC.  Cases: falling through into the page, jumping to it, and an
 * instruction that starts on the executable page and straddles into the
 * other (si_addr is then the page start, the pc the instruction's start).
 */
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "guest.h"

#define PG 4096

/* li a0, v / addi a0, a0, v / jal x0, off / ret */
#define LI_A0(v) (((uint32_t)(v) << 20) | (10u << 7) | 0x13)
#define ADDI_A0(v) (((uint32_t)(v) << 20) | (10u << 15) | (10u << 7) | 0x13)
#define J_4 0x0040006fu
#define RET 0x00008067u

typedef struct NoexecCase {
    const char *name;
    int code_ofs;  /* where the code goes, from the page start */
    int entry_ofs; /* where it is entered */
    int si_ofs;    /* expected si_addr */
    int pc_ofs;    /* expected pc */
    long arg;      /* expected a0 at the fault */
    long result;   /* expected return value */
    uint16_t code[8];
} NoexecCase;

#define W(x) (uint16_t)((x)&0xffff), (uint16_t)((x) >> 16)

static const NoexecCase cases[] = {
    {"fallthrough", -4, -4, 0, 0, 1, 2, {W(LI_A0(1)), W(LI_A0(2)), W(RET)}},
    {"jump", -8, -8, 0, 0, 1, 2, {W(LI_A0(1)), W(J_4), W(LI_A0(2)), W(RET)}},
    {"straddle", -6, -6, 0, -2, 1, 3, {W(LI_A0(1)), W(ADDI_A0(2)), W(RET)}},
    {"straddle-jump",
     -10,
     -10,
     0,
     -2,
     5,
     12,
     {W(LI_A0(5)), W(J_4), W(ADDI_A0(7)), W(RET)}},
};

static char *page;
static const NoexecCase *current;
static int handled;

static void on_segv(int sig, siginfo_t *si, void *puc)
{
    ucontext_t *uc = puc;
    const NoexecCase *c = current;

    (void)sig;
    if (c == NULL) {
        fprintf(stderr, "unexpected SIGSEGV at %p\n", si->si_addr);
        _exit(2);
    }
    current = NULL;
    handled++;
    CHECK(si->si_code == SEGV_ACCERR);
    CHECK(si->si_addr == page + c->si_ofs);
    CHECK(uc->uc_mcontext.__gregs[REG_PC] == (unsigned long)(page + c->pc_ofs));
    CHECK((long)uc->uc_mcontext.__gregs[10] == c->arg);
    if (si->si_addr != page + c->si_ofs) {
        fprintf(stderr, "%s: si_addr page%+ld\n", c->name,
                (long)((char *)si->si_addr - page));
    }
    CHECK(mprotect(page, PG, PROT_READ | PROT_WRITE | PROT_EXEC) == 0);
}

static void run_case(const NoexecCase *c)
{
    long (*fn)(void) = (long (*)(void))(page + c->entry_ofs);

    memcpy(page + c->code_ofs, c->code, sizeof(c->code));
    __builtin___clear_cache(page - PG, page + PG);
    for (int i = 0; i < 3; i++) {
        CHECK(fn() == c->result); /* translated while executable */
    }
    CHECK(mprotect(page, PG, PROT_NONE) == 0);
    current = c;
    handled = 0;
    CHECK(fn() == c->result);
    CHECK(handled == 1);
    current = NULL;
    printf("%s: done\n", c->name);
}

int main(void)
{
    struct sigaction sa;
    char *map;

    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = on_segv;
    sa.sa_flags = SA_SIGINFO;
    CHECK(sigaction(SIGSEGV, &sa, NULL) == 0);
    map = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE | PROT_EXEC,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(map != MAP_FAILED);
    page = map + PG;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        run_case(&cases[i]);
    }
    return guest_done("sig_noexec");
}
