/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Random code pages (issue 15, the difftest mode of the decoder/translator
 * fuzzer): random instruction words, compressed and not, translated and
 * executed in a sandbox.  The emulator must only run them or give the
 * guest SIGILL/SIGSEGV/SIGBUS/SIGTRAP, and agree with qemu-riscv64 (and
 * Linux) on which, where, and with what state.
 *
 * Design
 * ------
 * From a seed, page after page:
 *  - the code page (fixed address CODE_ADDR, a PROT_NONE guard page below
 *    and above) is made writable, filled with 8 to 160 random instruction
 *    words and then c.ebreak (0x9002) to its end, so that code that runs
 *    off the random part, or jumps into the rest of the page at any 2-byte
 *    offset, stops with SIGTRAP; then it is made PROT_READ|PROT_EXEC (a
 *    store to it is SIGSEGV SEGV_ACCERR, not self-modifying code, whose
 *    fetch without fence.i the spec leaves undefined) and fence.i'd;
 *  - the words are biased to valid encodings: most are an instruction of
 *    ctcg's own table (target-riscv/insn-table.h, which follows the spec)
 *    with random operand fields, the rest random 16-bit (compressed) or
 *    32-bit words.  Branch and jump offsets are often made small so that
 *    control stays on the page; CSR numbers are mostly fflags/frm/fcsr.
 *  - the sandbox: ecall (0x00000073) becomes 0 (an illegal word), the
 *    counters (cycle, time, instret, hpmcounterN: nondeterministic) become
 *    fcsr; wfi and fence.i are left in; ctzw becomes clzw (qemu-riscv64
 *    7.2 computes ctzw wrongly when bits 31..0 are zero: docs/riscv.md);
 *  - every integer register (sp, gp, tp included), FP register and fcsr is
 *    set from the seed (about half the integer ones point into a 64 KiB
 *    scratch area, one at a read-only page, one at a PROT_NONE page, the
 *    rest hold random or small values), the scratch area is refilled, and
 *    the code is entered with fz_enter;
 *  - every outcome arrives as a signal on the alternate stack: SIGTRAP at
 *    the c.ebreak tail (or an ebreak of the random code), a fault, or
 *    SIGVTALRM after TIMEOUT_MS of CPU time for code that loops.  The
 *    handler (fz_handler_entry restores gp and tp first) prints one line:
 *    signal, si_code, si_addr, the PC (relative to the page when on it)
 *    and hashes of the integer registers, of the FP registers with fcsr,
 *    and of the scratch area at that point (a loop prints only
 *    "timeout": where it stops depends on time), then siglongjmps to the
 *    next page.
 *
 * run-codepage.sh runs this under ctcg-riscv64 and qemu-riscv64 and diffs
 * the lines.  Environment: FZ_SEED (default 1), FZ_PAGES (default 200),
 * FZ_FIRST (first page number; a page depends only on the seed and its
 * number), FZ_DUMP=1 (write each page's random words to stderr as
 * ".word"/".half" lines, for riscv64-linux-gnu-as/objdump).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/ucontext.h>
#include <unistd.h>

#define PAGE 4096UL
#define CODE_ADDR 0x40000000UL /* guard page below and above */
#define SCRATCH_ADDR 0x50000000UL
#define SCRATCH_SIZE (64 * 1024UL)
#define RO_ADDR (SCRATCH_ADDR + SCRATCH_SIZE + PAGE) /* after a guard */
#define NONE_ADDR (RO_ADDR + PAGE)
#define TIMEOUT_MS 100
#define MAX_WORDS 160

/* The instruction table: mask and match of every 32-bit instruction. */
struct fz_insn {
    uint32_t mask, match;
};
static const struct fz_insn fz_table[] = {
#define INSN(name, mask, match, fmt, ext) {mask, match},
#include "target-riscv/insn-table.h"
#undef INSN
};
#define FZ_NINSN (sizeof(fz_table) / sizeof(fz_table[0]))

/* The state fz_enter loads: x0..x31 (x0 ignored), f0..f31, fcsr. */
struct fz_state {
    uint64_t x[32];
    uint64_t f[32];
    uint64_t fcsr;
};

static struct fz_state fz_init;
static sigjmp_buf fz_env;
static unsigned fz_page_no;
static int fz_dump;
uint64_t fz_saved_tp; /* read by fz_handler_entry */

void fz_enter(const struct fz_state *s) __attribute__((noreturn));
void fz_handler_entry(int sig, siginfo_t *si, void *uc);

/*
 * fz_enter(a0 = state): load every register from the state and jump to
 * x5 (t0 holds the page address in every state).  a0 is loaded last.
 */
__asm__(".text\n"
        ".globl fz_enter\n"
        "fz_enter:\n"
        ".irp n,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,"
        "23,24,25,26,27,28,29,30,31\n"
        "  fld f\\n, (256 + 8 * \\n)(a0)\n"
        ".endr\n"
        "  ld t1, 512(a0)\n"
        "  fscsr t1\n"
        ".irp n,1,2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,"
        "24,25,26,27,28,29,30,31\n"
        "  ld x\\n, (8 * \\n)(a0)\n"
        ".endr\n"
        "  ld a0, 80(a0)\n"
        "  jr t0\n");

/*
 * fz_handler_entry: the random code left gp and tp at random values; put
 * back the program's before any C code runs (sp is on the altstack).
 */
__asm__(".text\n"
        ".globl fz_handler_entry\n"
        "fz_handler_entry:\n"
        ".option push\n"
        ".option norelax\n"
        "  lla gp, __global_pointer$\n"
        ".option pop\n"
        "  lla t0, fz_saved_tp\n"
        "  ld tp, 0(t0)\n"
        "  j fz_handler\n");

static uint64_t fz_rng;

static uint64_t fz_rand(void) /* splitmix64 */
{
    uint64_t z = (fz_rng += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t fz_hash(const void *p, size_t len, uint64_t h)
{
    const uint64_t *w = p;
    for (size_t i = 0; i < len / 8; i++) {
        h ^= w[i];
        h *= 0x100000001b3ULL;
        h ^= h >> 29;
    }
    return h;
}

/* A B-type immediate (offset, even, +-4 KiB) into word @w. */
static uint32_t fz_set_bimm(uint32_t w, int32_t off)
{
    uint32_t o = (uint32_t)off;
    w &= 0x01fff07f;
    w |= ((o >> 12) & 1) << 31 | ((o >> 5) & 0x3f) << 25 |
         ((o >> 1) & 0xf) << 8 | ((o >> 11) & 1) << 7;
    return w;
}

/* A J-type immediate (offset, even, +-1 MiB) into word @w. */
static uint32_t fz_set_jimm(uint32_t w, int32_t off)
{
    uint32_t o = (uint32_t)off;
    w &= 0xfff;
    w |= ((o >> 20) & 1) << 31 | ((o >> 1) & 0x3ff) << 21 |
         ((o >> 11) & 1) << 20 | ((o >> 12) & 0xff) << 12;
    return w;
}

/* Make @w safe to run in the sandbox (see the header). */
static uint32_t fz_sandbox(uint32_t w)
{
    if (w == 0x00000073) { /* ecall */
        return 0;
    }
    if ((w & 0xfff0707f) == 0x6010101b) {
        /* ctzw: qemu-riscv64 7.2 counts all 64 bits when bits 31..0
         * are zero (docs/riscv.md); clzw instead */
        return w & ~(1u << 20);
    }
    if ((w & 0x7f) == 0x73 && (w & 0x3000) != 0) { /* Zicsr */
        uint32_t csr = w >> 20;
        if ((csr >= 0xc00 && csr <= 0xc1f) || (csr >= 0xc80 && csr <= 0xc9f)) {
            w = (w & 0x000fffff) | 0x003u << 20;
        }
    }
    return w;
}

/* The V extension's major opcodes (OP-V, and vector loads and stores). */
static int fz_is_vector(uint32_t match)
{
    uint32_t op = match & 0x7f, width = (match >> 12) & 7;
    return op == 0x57 || ((op == 0x07 || op == 0x27) && width != 2 &&
                          width != 3 && width != 1);
}

/* OP-FP (but not its rm-less forms) and the fused multiply-adds. */
static int fz_has_rm(uint32_t w)
{
    uint32_t op = w & 0x7f, f5 = w >> 27;
    if (op >= 0x43 && op <= 0x4f && (op & 3) == 3) {
        return 1;
    }
    return op == 0x53 && f5 != 0x04 && f5 != 0x05 && f5 != 0x14 && f5 != 0x1c &&
           f5 != 0x1e;
}

/* One 32-bit instruction word, biased to valid encodings. */
static uint32_t fz_word32(void)
{
    uint32_t r = (uint32_t)fz_rand();
    unsigned pick = fz_rand() % 100;
    uint32_t w;

    if (pick < 2) {
        w = r | 3; /* any 32-bit word */
    } else {
        const struct fz_insn *in;
        do { /* V is off: its instructions are seldom drawn */
            in = &fz_table[fz_rand() % FZ_NINSN];
        } while (fz_is_vector(in->match) && fz_rand() % 10);
        w = (r & ~in->mask) | in->match;
        if (fz_has_rm(w) && ((w >> 12) & 7) >= 5 && fz_rand() % 8) {
            w |= 7 << 12; /* mostly a valid rounding mode */
        }
    }
    unsigned bias = fz_rand() % 4;
    int32_t small = ((int32_t)(fz_rand() % 96) - 32) * 2; /* -64..+126 */
    if ((w & 0x7f) == 0x63 && bias) {                     /* branch */
        w = fz_set_bimm(w, small);
    } else if ((w & 0x7f) == 0x6f && bias) { /* jal */
        w = fz_set_jimm(w, small);
    } else if ((w & 0x7f) == 0x73 && (w & 0x3000) && bias) {
        static const uint16_t csrs[] = {0x001, 0x002, 0x003};
        w = (w & 0x000fffff) | (uint32_t)csrs[fz_rand() % 3] << 20;
    }
    return fz_sandbox(w);
}

/* Fill the code page: random words, then c.ebreak to the end. */
static size_t fz_fill(uint16_t *code, int dump)
{
    size_t n = 8 + fz_rand() % (MAX_WORDS - 7), h = 0;

    for (size_t i = 0; i < n; i++) {
        if (fz_rand() % 6 == 0) {
            uint16_t c = (uint16_t)fz_rand();
            if ((c & 3) == 3) {
                c &= ~(fz_rand() % 3 + 1);
            }
            code[h++] = c;
            if (dump) {
                fprintf(stderr, ".insn 2, 0x%04x\n", c);
            }
        } else {
            uint32_t w = fz_word32();
            code[h++] = (uint16_t)w;
            code[h++] = (uint16_t)(w >> 16);
            if (dump) {
                fprintf(stderr, ".insn 4, 0x%08x\n", w);
            }
        }
    }
    for (size_t i = h; i < PAGE / 2; i++) {
        code[i] = 0x9002; /* c.ebreak */
    }
    return h * 2;
}

/* A random register value: a scratch pointer, a small or a random value. */
static uint64_t fz_value(void)
{
    switch (fz_rand() % 8) {
    case 0:
    case 1:
    case 2:
    case 3: {
        uint64_t off = SCRATCH_SIZE / 2 + (fz_rand() % 4096) - 2048;
        if (fz_rand() % 8) {
            off &= ~7ULL; /* mostly aligned, for the AMOs */
        }
        return SCRATCH_ADDR + off;
    }
    case 4:
        return (uint64_t)(int64_t)(int8_t)fz_rand();
    case 5:
        return CODE_ADDR + (fz_rand() % PAGE & ~1ULL);
    default:
        return fz_rand();
    }
}

static uint64_t fz_fvalue(void)
{
    static const uint64_t special[] = {
        0x3ff0000000000000ULL, 0x7ff8000000000000ULL, 0x7ff0000000000000ULL,
        0x8000000000000000ULL, 0x0000000000000001ULL, 0xffffffff3f800000ULL,
        0xffffffff7fc00000ULL, 0xffffffff00000001ULL, 0xffffffffff800000ULL,
        0x7ff4000000000000ULL, 0xffffffff7fa00000ULL};
    switch (fz_rand() % 4) {
    case 0:
        return special[fz_rand() % (sizeof(special) / sizeof(special[0]))];
    case 1:
        return 0xffffffff00000000ULL | (uint32_t)fz_rand(); /* a single */
    default:
        return fz_rand();
    }
}

/* Set up the registers, scratch area and code of page @no. */
static void fz_setup(unsigned no, uint64_t seed, int dump)
{
    fz_rng = seed * 0x100000001ULL + no * 0x9e3779b97f4a7c15ULL;
    fz_rand();
    if (mprotect((void *)CODE_ADDR, PAGE, PROT_READ | PROT_WRITE)) {
        perror("mprotect");
        exit(2);
    }
    size_t len = fz_fill((uint16_t *)CODE_ADDR, dump);
    if (mprotect((void *)CODE_ADDR, PAGE, PROT_READ | PROT_EXEC)) {
        perror("mprotect");
        exit(2);
    }
    __builtin___clear_cache((char *)CODE_ADDR, (char *)CODE_ADDR + len);

    uint64_t *s = (uint64_t *)SCRATCH_ADDR;
    for (size_t i = 0; i < SCRATCH_SIZE / 8; i++) {
        s[i] = (i & 7) ? (i * 0x0101010101010101ULL) ^ seed : fz_rand();
    }
    fz_init.x[0] = 0;
    for (int i = 1; i < 32; i++) {
        fz_init.x[i] = fz_value();
    }
    fz_init.x[5] = CODE_ADDR;
    fz_init.x[2] = SCRATCH_ADDR + SCRATCH_SIZE / 2; /* sp */
    fz_init.x[1 + fz_rand() % 31] = RO_ADDR + (fz_rand() % 64) * 8;
    fz_init.x[1 + fz_rand() % 31] = NONE_ADDR + (fz_rand() % 64) * 8;
    fz_init.x[5] = CODE_ADDR; /* fz_enter jumps through t0 */
    for (int i = 0; i < 32; i++) {
        fz_init.f[i] = fz_fvalue();
    }
    /* frm 0-4 mostly, sometimes a reserved one (5-7: SIGILL for dyn rm) */
    fz_init.fcsr = (fz_rand() % 16 ? fz_rand() % 5 : 5 + fz_rand() % 3) << 5 |
                   (fz_rand() % 4 ? 0 : fz_rand() % 32);
}

static const char *fz_signame(int sig)
{
    switch (sig) {
    case SIGILL:
        return "SIGILL";
    case SIGSEGV:
        return "SIGSEGV";
    case SIGBUS:
        return "SIGBUS";
    case SIGTRAP:
        return "SIGTRAP";
    case SIGFPE:
        return "SIGFPE";
    default:
        return "SIG?";
    }
}

void fz_handler(int sig, siginfo_t *si, void *ucv);
void fz_handler(int sig, siginfo_t *si, void *ucv)
{
    static const struct itimerval off;
    ucontext_t *uc = ucv;

    setitimer(ITIMER_VIRTUAL, &off, NULL);
    if (sig == SIGVTALRM) {
        printf("%u timeout\n", fz_page_no);
        siglongjmp(fz_env, 1);
    }
    uint64_t pc = uc->uc_mcontext.__gregs[REG_PC];
    uint64_t addr = (uint64_t)si->si_addr;
    uint64_t xh = fz_hash(&uc->uc_mcontext.__gregs[1], 31 * 8, 1);
    uint64_t fh = fz_hash(&uc->uc_mcontext.__fpregs.__d, 32 * 8, 2);
    fh = fz_hash(&(uint64_t){uc->uc_mcontext.__fpregs.__d.__fcsr}, 8, fh);
    uint64_t mh = fz_hash((void *)SCRATCH_ADDR, SCRATCH_SIZE, 3);
    char where[40];

    if (pc - CODE_ADDR < PAGE) {
        snprintf(where, sizeof(where), "+%#lx",
                 (unsigned long)(pc - CODE_ADDR));
    } else {
        snprintf(where, sizeof(where), "%#lx", (unsigned long)pc);
    }
    if (fz_dump) {
        for (int i = 1; i < 32; i++) {
            fprintf(stderr, "# x%d=%#lx f%d=%#lx\n", i,
                    (unsigned long)uc->uc_mcontext.__gregs[i], i,
                    (unsigned long)uc->uc_mcontext.__fpregs.__d.__f[i]);
        }
    }
    printf("%u %s code=%d addr=%#lx pc=%s x=%016lx f=%016lx m=%016lx\n",
           fz_page_no, fz_signame(sig), si->si_code, (unsigned long)addr, where,
           (unsigned long)xh, (unsigned long)fh, (unsigned long)mh);
    siglongjmp(fz_env, 1);
}

static void fz_map(unsigned long addr, size_t len, int prot)
{
    void *p = mmap((void *)addr, len, prot,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)addr) {
        perror("mmap");
        exit(2);
    }
}

static unsigned long fz_env_num(const char *name, unsigned long dflt)
{
    const char *s = getenv(name);
    return s && *s ? strtoul(s, NULL, 0) : dflt;
}

int main(void)
{
    static char altstack[128 * 1024];
    uint64_t seed = fz_env_num("FZ_SEED", 1);
    unsigned first = fz_env_num("FZ_FIRST", 0);
    unsigned pages = fz_env_num("FZ_PAGES", 200);
    int dump = fz_env_num("FZ_DUMP", 0) != 0;

    fz_dump = dump;

    setvbuf(stdout, NULL, _IOLBF, 0);
    fz_map(CODE_ADDR - PAGE, 3 * PAGE, PROT_NONE);
    fz_map(SCRATCH_ADDR, SCRATCH_SIZE, PROT_READ | PROT_WRITE);
    fz_map(RO_ADDR, PAGE, PROT_READ);
    fz_map(NONE_ADDR, PAGE, PROT_NONE);

    stack_t ss = {.ss_sp = altstack, .ss_size = sizeof(altstack)};
    struct sigaction sa = {.sa_flags = SA_SIGINFO | SA_ONSTACK};
    sa.sa_sigaction = fz_handler_entry;
    sigfillset(&sa.sa_mask);
    if (sigaltstack(&ss, NULL)) {
        perror("sigaltstack");
        return 2;
    }
    const int sigs[] = {SIGILL, SIGSEGV, SIGBUS, SIGTRAP, SIGFPE, SIGVTALRM};
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        sigaction(sigs[i], &sa, NULL);
    }
    __asm__ volatile("mv %0, tp" : "=r"(fz_saved_tp));

    printf("fz_codepage seed %lu pages %u-%u\n", (unsigned long)seed, first,
           first + pages - 1);
    for (fz_page_no = first; fz_page_no < first + pages; fz_page_no++) {
        if (dump) {
            fprintf(stderr, "# page %u\n", fz_page_no);
        }
        fz_setup(fz_page_no, seed, dump);
        if (sigsetjmp(fz_env, 1) == 0) {
            struct itimerval t = {.it_value = {0, TIMEOUT_MS * 1000}};
            setitimer(ITIMER_VIRTUAL, &t, NULL);
            fz_enter(&fz_init);
        }
        __asm__ volatile("fscsr zero");
    }
    printf("fz_codepage: done\n");
    return 0;
}
