/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdbstub's RISC-V side: the target description, registers, guest
 * memory, software breakpoints and the thread list.
 *
 * Everything here runs on the gdbstub thread while every vCPU is stopped
 * (the stub holds an exclusive section, see gdbstub.c), except
 * gdb_bp_check(), which translating vCPUs call.  A thread may still leave
 * a blocking syscall and exit meanwhile, so a vCPU is only touched inside
 * cpu_foreach_locked() (the vCPU list lock: an exiting thread removes its
 * CPUState from the list before freeing it and its CPURISCVState).
 *
 * Register numbers (the "regnum"s of the XML): x0-x31 0-31, pc 32,
 * f0-f31 33-64, fflags 65, frm 66, fcsr 67; with V (-cpu v=true) the
 * vector CSRs vstart, vxsat, vxrm, vcsr, vl, vtype, vlenb 68-74 (feature
 * org.gnu.gdb.riscv.csr, 64 bits each as QEMU gives them) and v0-v31
 * 75-106 (org.gnu.gdb.riscv.vector, vlenb bytes each, typed as QEMU's
 * union of byte/short/word/long/quad vectors).  A g packet carries 0-32
 * (as QEMU's); gdb reads and writes the others with p/P.  vl, vtype and
 * vlenb are read-only (a P of one is refused, as by QEMU).
 *
 * Breakpoints and watchpoints: Z/z packets only edit the sets gdb asks
 * for (bp_addr, wps); gdb_debug_apply() puts them in force when the stub
 * resumes the program, still inside the exclusive section (which orders
 * the writes before any later translation and watch check).  gdb removes
 * every breakpoint at each stop and inserts them again before resuming,
 * so a stop/resume cycle with the same set changes nothing in force and
 * invalidates no TB.  While the set in force is not empty,
 * cpu_exec_debug_cflags has CF_DEBUG: TBs translated then end before a
 * breakpoint (and are never cold, hot or regions, which need cflags 0;
 * TB lookups and the jump caches compare cflags, so no TB of other cflags
 * runs or is chained to).  Every TB is invalidated when the set in force
 * becomes non-empty or empty; else only the TBs covering an address that
 * entered or left the set are (each TB is recorded under every page it
 * covers).  Without breakpoints and watchpoints, code runs as without -g
 * (tiers, regions, jump caches).
 *
 * Watchpoints: while the set in force is not empty,
 * cpu_exec_debug_cflags has CF_WATCH: TBs translated then call
 * cpu_watch_hook (gdb_wp_hit, which reads the set in force) before each
 * guest access, and every TB is invalidated when that set becomes
 * non-empty or empty, so only code translated with watchpoints pays for
 * them.
 *
 * Descriptors (/proc/self/mem here, the eventfd and the connection):
 * opened before the guest runs and registered as the emulator's own
 * (syscall_emulator_fd_add), so the guest can neither see nor close them.
 *
 * Memory writes go through /proc/self/mem, which writes read-only pages
 * too (gdb writes ebreak into code with M when it does not use Z0), and
 * invalidate the TBs of the pages written.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/translator.h"
#include "linux-user/gdbstub.h"
#include "linux-user/user.h"

#define GDB_NB_REGS_FP 68 /* without V */
#define GDB_REG_VSTART 68 /* vstart vxsat vxrm vcsr vl vtype vlenb */
#define GDB_REG_VLENB 74
#define GDB_REG_V0 75
#define GDB_NB_REGS_V 107
#define GDB_REG_PC 32
#define GDB_REG_F0 33
#define GDB_REG_FFLAGS 65
#define GDB_REG_FRM 66
#define GDB_REG_FCSR 67
#define GDB_MAX_BPS 256
#define GDB_MAX_WPS 64

/* What gdb asked for (stub thread only), and what TBs were made with. */
static uint64_t bp_addr[GDB_MAX_BPS], bp_force[GDB_MAX_BPS];
static int nb_bps, nb_force;

typedef struct Watchpoint {
    uint64_t addr, len;
    int type; /* GDB_WATCH_* */
} Watchpoint;

static Watchpoint wps[GDB_MAX_WPS], wps_force[GDB_MAX_WPS];
static int nb_wps, nb_wps_force;
/* The watchpoint the last hit of this thread's access matched. */
static __thread Watchpoint last_hit;

static const char *const xreg_names[32] = {
    "zero", "ra", "sp", "gp", "tp",  "t0",  "t1", "t2", "fp", "s1", "a0",
    "a1",   "a2", "a3", "a4", "a5",  "a6",  "a7", "s2", "s3", "s4", "s5",
    "s6",   "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static const char *const freg_names[32] = {
    "ft0", "ft1", "ft2",  "ft3",  "ft4", "ft5", "ft6",  "ft7",
    "fs0", "fs1", "fa0",  "fa1",  "fa2", "fa3", "fa4",  "fa5",
    "fa6", "fa7", "fs2",  "fs3",  "fs4", "fs5", "fs6",  "fs7",
    "fs8", "fs9", "fs10", "fs11", "ft8", "ft9", "ft10", "ft11",
};

static char target_xml[16384];

static const char *const vcsr_names[7] = {"vstart", "vxsat", "vxrm", "vcsr",
                                          "vl",     "vtype", "vlenb"};

/* The vector CSRs and registers of a V CPU with @vlenb-byte registers. */
static size_t build_vector_xml(char *x, size_t size, unsigned vlenb)
{
    static const struct {
        const char *id, *type;
        unsigned bytes;
    } lanes[5] = {{"bytes", "uint8", 1},
                  {"shorts", "uint16", 2},
                  {"words", "uint32", 4},
                  {"longs", "uint64", 8},
                  {"quads", "uint128", 16}};
    size_t n = 0;

    n +=
        snprintf(x + n, size - n, "<feature name=\"org.gnu.gdb.riscv.csr\">\n");
    for (int i = 0; i < 7; i++) {
        n += snprintf(x + n, size - n,
                      "<reg name=\"%s\" bitsize=\"64\" type=\"int\" "
                      "regnum=\"%d\" group=\"vector\"/>\n",
                      vcsr_names[i], GDB_REG_VSTART + i);
    }
    n += snprintf(x + n, size - n,
                  "</feature>\n<feature name=\"org.gnu.gdb.riscv.vector\">\n");
    for (int i = 0; i < 5; i++) {
        n += snprintf(x + n, size - n,
                      "<vector id=\"%s\" type=\"%s\" count=\"%u\"/>\n",
                      lanes[i].id, lanes[i].type, vlenb / lanes[i].bytes);
    }
    n += snprintf(x + n, size - n, "<union id=\"riscv_vector\">");
    for (int i = 0; i < 5; i++) {
        n += snprintf(x + n, size - n, "<field name=\"%c\" type=\"%s\"/>",
                      lanes[i].id[0], lanes[i].id);
    }
    n += snprintf(x + n, size - n, "</union>\n");
    for (int i = 0; i < 32; i++) {
        n += snprintf(x + n, size - n,
                      "<reg name=\"v%d\" bitsize=\"%u\" type=\"riscv_vector\" "
                      "regnum=\"%d\" group=\"vector\"/>\n",
                      i, vlenb * 8, GDB_REG_V0 + i);
    }
    n += snprintf(x + n, size - n, "</feature>\n");
    return n;
}

static void build_xml(void)
{
    size_t n = 0, size = sizeof(target_xml);
    char *x = target_xml;

    n += snprintf(x + n, size - n,
                  "<?xml version=\"1.0\"?>\n"
                  "<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                  "<target version=\"1.0\">\n"
                  "<architecture>riscv:rv64</architecture>\n"
                  "<osabi>GNU/Linux</osabi>\n"
                  "<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
    for (int i = 0; i < 32; i++) {
        n += snprintf(x + n, size - n,
                      "<reg name=\"%s\" bitsize=\"64\" type=\"%s\" "
                      "regnum=\"%d\"/>\n",
                      xreg_names[i],
                      i == 1   ? "code_ptr"
                      : i == 2 ? "data_ptr"
                               : "int",
                      i);
    }
    n += snprintf(x + n, size - n,
                  "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\" "
                  "regnum=\"32\"/>\n</feature>\n"
                  "<feature name=\"org.gnu.gdb.riscv.fpu\">\n"
                  "<union id=\"riscv_double\">"
                  "<field name=\"float\" type=\"ieee_single\"/>"
                  "<field name=\"double\" type=\"ieee_double\"/></union>\n");
    for (int i = 0; i < 32; i++) {
        n += snprintf(x + n, size - n,
                      "<reg name=\"%s\" bitsize=\"64\" type=\"riscv_double\" "
                      "regnum=\"%d\"/>\n",
                      freg_names[i], GDB_REG_F0 + i);
    }
    n += snprintf(x + n, size - n,
                  "<reg name=\"fflags\" bitsize=\"32\" type=\"int\" "
                  "regnum=\"65\"/>\n"
                  "<reg name=\"frm\" bitsize=\"32\" type=\"int\" "
                  "regnum=\"66\"/>\n"
                  "<reg name=\"fcsr\" bitsize=\"32\" type=\"int\" "
                  "regnum=\"67\"/>\n"
                  "</feature>\n");
    if (user_opts.cpu_cfg.ext_v) {
        n += build_vector_xml(x + n, size - n, user_opts.cpu_cfg.vlen / 8);
    }
    snprintf(x + n, size - n, "</target>\n");
}

const char *gdb_target_xml(const char *annex)
{
    if (strcmp(annex, "target.xml") != 0) {
        return NULL;
    }
    if (target_xml[0] == 0) {
        build_xml();
    }
    return target_xml;
}

/* ------------------------------------------------------------------ */
/* vCPUs by thread id */

typedef struct CpuCall {
    int tid;
    bool found;
    void (*fn)(CPURISCVState *env, void *arg);
    void *arg;
} CpuCall;

static void cpu_call_one(CPUState *cpu, void *opaque)
{
    CpuCall *c = opaque;

    if (!c->found && cpu->tid == c->tid) {
        c->found = true;
        c->fn(cpu->env, c->arg);
    }
}

/* Run @fn on the vCPU of @tid under the vCPU list lock. */
static bool with_cpu(int tid, void (*fn)(CPURISCVState *, void *), void *arg)
{
    CpuCall c = {tid, false, fn, arg};

    cpu_foreach_locked(cpu_call_one, &c);
    return c.found;
}

/* ------------------------------------------------------------------ */
/* Registers */

static const char hexd[] = "0123456789abcdef";

static void put_hex_le(char *out, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++, v >>= 8) {
        out[2 * i] = hexd[(v >> 4) & 15];
        out[2 * i + 1] = hexd[v & 15];
    }
    out[2 * bytes] = 0;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* @bytes little-endian bytes of hex at @in; false on a bad digit. */
static bool get_hex_le(const char *in, int bytes, uint64_t *v)
{
    uint64_t r = 0;

    for (int i = 0; i < bytes; i++) {
        int hi = hexval(in[2 * i]), lo = hi < 0 ? -1 : hexval(in[2 * i + 1]);

        if (lo < 0) {
            return false;
        }
        r |= (uint64_t)(hi << 4 | lo) << (8 * i);
    }
    *v = r;
    return true;
}

/* How many registers gdb has: with the vector ones when V is on. */
static int nb_regs(void)
{
    return user_opts.cpu_cfg.ext_v ? GDB_NB_REGS_V : GDB_NB_REGS_FP;
}

static int reg_bytes(int n)
{
    if (n >= GDB_REG_V0) {
        return user_opts.cpu_cfg.vlen / 8;
    }
    return n >= GDB_REG_VSTART ? 8 : n >= GDB_REG_FFLAGS ? 4 : 8;
}

/* A vector CSR (regnum 68-74). */
static uint64_t vcsr_get(const CPURISCVState *env, int n)
{
    switch (n - GDB_REG_VSTART) {
    case 0:
        return env->vstart;
    case 1:
        return env->vxsat;
    case 2:
        return env->vxrm;
    case 3:
        return env->vxrm << 1 | env->vxsat;
    case 4:
        return env->vl;
    case 5:
        return (uint64_t)env->vill << 63 | env->vtype;
    default:
        return env->cfg.vlen / 8;
    }
}

/* Write a vector CSR: false for the read-only vl, vtype and vlenb. */
static bool vcsr_set(CPURISCVState *env, int n, uint64_t v)
{
    switch (n - GDB_REG_VSTART) {
    case 0:
        env->vstart = v & (env->cfg.vlen - 1); /* the bits vstart keeps */
        return true;
    case 1:
        env->vxsat = v & 1;
        return true;
    case 2:
        env->vxrm = v & 3;
        return true;
    case 3:
        env->vxsat = v & 1;
        env->vxrm = (v >> 1) & 3;
        return true;
    default:
        return false;
    }
}

static uint64_t reg_get(const CPURISCVState *env, int n)
{
    if (n < 32) {
        return n ? env->gpr[n] : 0;
    } else if (n == GDB_REG_PC) {
        return env->pc;
    } else if (n < GDB_REG_FFLAGS) {
        return env->fpr[n - GDB_REG_F0];
    } else if (n == GDB_REG_FFLAGS) {
        return env->fflags;
    } else if (n == GDB_REG_FRM) {
        return env->frm;
    } else if (n >= GDB_REG_VSTART) {
        return vcsr_get(env, n);
    }
    return env->frm << 5 | env->fflags;
}

static void reg_set(CPURISCVState *env, int n, uint64_t v)
{
    if (n > 0 && n < 32) {
        env->gpr[n] = v;
    } else if (n == GDB_REG_PC) {
        env->pc = v;
    } else if (n >= GDB_REG_F0 && n < GDB_REG_FFLAGS) {
        env->fpr[n - GDB_REG_F0] = v;
    } else if (n == GDB_REG_FFLAGS) {
        env->fflags = v & 0x1f;
    } else if (n == GDB_REG_FRM) {
        env->frm = v & 7;
    } else if (n == GDB_REG_FCSR) {
        env->fflags = v & 0x1f;
        env->frm = (v >> 5) & 7;
    }
}

typedef struct RegArgs {
    int n;
    char *out;
    size_t size;
    const char *in;
    bool ok;
} RegArgs;

static void read_gregs_fn(CPURISCVState *env, void *arg)
{
    RegArgs *r = arg;

    if (r->size < 33 * 16 + 1) {
        return;
    }
    for (int i = 0; i <= GDB_REG_PC; i++) {
        put_hex_le(r->out + 16 * i, reg_get(env, i), 8);
    }
    r->ok = true;
}

bool gdb_read_gregs(int tid, char *out, size_t size)
{
    RegArgs r = {.out = out, .size = size};

    return with_cpu(tid, read_gregs_fn, &r) && r.ok;
}

static void write_gregs_fn(CPURISCVState *env, void *arg)
{
    RegArgs *r = arg;
    uint64_t v[33];
    size_t len = strlen(r->in);

    /* gdb may send fewer registers than it knows; take whole ones. */
    for (int i = 0; i <= GDB_REG_PC && len >= 16 * (size_t)(i + 1); i++) {
        if (!get_hex_le(r->in + 16 * i, 8, &v[i])) {
            return;
        }
    }
    for (int i = 0; i <= GDB_REG_PC && len >= 16 * (size_t)(i + 1); i++) {
        reg_set(env, i, v[i]);
    }
    r->ok = true;
}

bool gdb_write_gregs(int tid, const char *in)
{
    RegArgs r = {.in = in};

    return with_cpu(tid, write_gregs_fn, &r) && r.ok;
}

static void read_reg_fn(CPURISCVState *env, void *arg)
{
    RegArgs *r = arg;
    int bytes = reg_bytes(r->n);

    if (r->size <= (size_t)bytes * 2) {
        return;
    }
    if (r->n >= GDB_REG_V0) {
        const uint8_t *v = env->vreg + (size_t)(r->n - GDB_REG_V0) * bytes;

        for (int i = 0; i < bytes; i++) {
            put_hex_le(r->out + 2 * i, v[i], 1);
        }
    } else {
        put_hex_le(r->out, reg_get(env, r->n), bytes);
    }
    r->ok = true;
}

bool gdb_read_reg(int tid, int n, char *out, size_t size)
{
    RegArgs r = {.n = n, .out = out, .size = size};

    if (n < 0 || n >= nb_regs()) {
        return false;
    }
    return with_cpu(tid, read_reg_fn, &r) && r.ok;
}

/* v@n from the hex at @in, whole or not at all. */
static bool write_vreg(CPURISCVState *env, int n, const char *in, int bytes)
{
    uint8_t buf[RISCV_VLEN_MAX / 8] = {0};
    uint64_t b;

    for (int i = 0; i < bytes; i++) {
        if (!get_hex_le(in + 2 * i, 1, &b)) {
            return false;
        }
        buf[i] = (uint8_t)b;
    }
    memcpy(env->vreg + (size_t)(n - GDB_REG_V0) * bytes, buf, bytes);
    return true;
}

static void write_reg_fn(CPURISCVState *env, void *arg)
{
    RegArgs *r = arg;
    int bytes = reg_bytes(r->n);
    uint64_t v;

    if (strlen(r->in) < (size_t)bytes * 2) {
        return;
    }
    if (r->n >= GDB_REG_V0) {
        r->ok = write_vreg(env, r->n, r->in, bytes);
    } else if (get_hex_le(r->in, bytes, &v)) {
        if (r->n >= GDB_REG_VSTART && r->n < GDB_REG_V0) {
            r->ok = vcsr_set(env, r->n, v);
        } else {
            reg_set(env, r->n, v);
            r->ok = true;
        }
    }
}

bool gdb_write_reg(int tid, int n, const char *hex)
{
    RegArgs r = {.n = n, .in = hex};

    if (n < 0 || n >= nb_regs()) {
        return false;
    }
    return with_cpu(tid, write_reg_fn, &r) && r.ok;
}

/* ------------------------------------------------------------------ */
/* Memory */

/* An emulator descriptor: read with mem_fd() (a dup3 onto it moves it). */
static int proc_mem_fd = -1;

static int mem_fd(void)
{
    /* Pairs with the release store of syscall-file.c's move. */
    return __atomic_load_n(&proc_mem_fd, __ATOMIC_ACQUIRE);
}

int gdb_target_init(void)
{
    proc_mem_fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
    if (proc_mem_fd < 0) {
        return -1;
    }
    return syscall_emulator_fd_add(&proc_mem_fd);
}

static bool mem_range_ok(uint64_t addr, size_t len)
{
    if (len == 0) {
        return true;
    }
    if (addr + len < addr || addr + len > guest_space_size) {
        return false;
    }
    for (uint64_t p = addr & ~4095ull; p < addr + len; p += 4096) {
        if (!(page_get_flags(p) & PAGE_VALID)) {
            return false;
        }
    }
    return mem_fd() >= 0;
}

bool gdb_read_mem(uint64_t addr, void *buf, size_t len)
{
    if (!mem_range_ok(addr, len)) {
        return false;
    }
    return len == 0 || pread(mem_fd(), buf, len, (off_t)(uintptr_t)g2h(addr)) ==
                           (ssize_t)len;
}

bool gdb_write_mem(uint64_t addr, const void *buf, size_t len)
{
    bool ok;

    if (!mem_range_ok(addr, len)) {
        return false;
    }
    if (len == 0) {
        return true;
    }
    ok =
        pwrite(mem_fd(), buf, len, (off_t)(uintptr_t)g2h(addr)) == (ssize_t)len;
    /* Code of these pages may have changed: translate it again. */
    tb_invalidate_range(addr, addr + len, TB_INVAL_SMC);
    return ok;
}

/* ------------------------------------------------------------------ */
/* Breakpoints and watchpoints: the sets gdb asks for, the sets in force */

bool gdb_bp_present(uint64_t pc)
{
    for (int i = 0; i < nb_bps; i++) {
        if (bp_addr[i] == pc) {
            return true;
        }
    }
    return false;
}

static bool gdb_wp_hit(uint64_t addr, unsigned size, int type);

/* The translator's check (any vCPU, while running): the set in force. */
static bool bp_in_force(uint64_t pc)
{
    for (int i = 0; i < nb_force; i++) {
        if (bp_force[i] == pc) {
            return true;
        }
    }
    return false;
}

static bool any_page(uint64_t page)
{
    (void)page;
    return true;
}

static bool addr_in(const uint64_t *set, int n, uint64_t addr)
{
    for (int i = 0; i < n; i++) {
        if (set[i] == addr) {
            return true;
        }
    }
    return false;
}

/* Invalidate the TBs of the breakpoints in @a that @b lacks. */
static uint64_t invalidate_missing(const uint64_t *a, int na, const uint64_t *b,
                                   int nb)
{
    uint64_t n = 0;

    for (int i = 0; i < na; i++) {
        if (!addr_in(b, nb, a[i])) {
            /* Every TB is recorded under each page it covers. */
            tb_invalidate_range(a[i], a[i] + 1, TB_INVAL_SMC);
            n++;
        }
    }
    return n;
}

uint64_t gdb_debug_apply(void)
{
    uint32_t cf = (nb_bps > 0 ? CF_DEBUG : 0) | (nb_wps > 0 ? CF_WATCH : 0);
    uint64_t n = 0;

    translator_breakpoint_check = bp_in_force;
    cpu_watch_hook = gdb_wp_hit;
    if (cf != cpu_exec_debug_cflags) {
        /* Nothing looks up TBs of the old cflags any more: drop them. */
        cpu_exec_debug_cflags = cf;
        tb_invalidate_pages(any_page, TB_INVAL_SMC);
        n = 1;
    } else if (nb_bps > 0 || nb_force > 0) {
        /* TBs end before a new breakpoint, and no longer before an old. */
        n = invalidate_missing(bp_addr, nb_bps, bp_force, nb_force) +
            invalidate_missing(bp_force, nb_force, bp_addr, nb_bps);
    }
    memcpy(bp_force, bp_addr, nb_bps * sizeof(bp_addr[0]));
    nb_force = nb_bps;
    memcpy(wps_force, wps, nb_wps * sizeof(wps[0]));
    nb_wps_force = nb_wps;
    return n;
}

bool gdb_bp_insert(uint64_t addr)
{
    if (gdb_bp_present(addr)) {
        return true;
    }
    if (nb_bps == GDB_MAX_BPS) {
        return false;
    }
    bp_addr[nb_bps++] = addr;
    return true;
}

bool gdb_bp_remove(uint64_t addr)
{
    for (int i = 0; i < nb_bps; i++) {
        if (bp_addr[i] == addr) {
            bp_addr[i] = bp_addr[--nb_bps];
            return true;
        }
    }
    return false;
}

void gdb_bp_remove_all(void)
{
    nb_bps = 0;
}

/* Called by generated code (helper_watch_check) of any vCPU. */
static bool gdb_wp_hit(uint64_t addr, unsigned size, int type)
{
    for (int i = 0; i < nb_wps_force; i++) {
        const Watchpoint *w = &wps_force[i];

        if (addr < w->addr + w->len && w->addr < addr + size &&
            ((w->type == GDB_WATCH_WRITE && (type & 2)) ||
             (w->type == GDB_WATCH_READ && (type & 1)) ||
             w->type == GDB_WATCH_ACCESS)) {
            last_hit = *w;
            return true;
        }
    }
    return false;
}

bool gdb_wp_insert(uint64_t addr, uint64_t len, int type)
{
    if (nb_wps == GDB_MAX_WPS || len == 0 || len > 4096) {
        return false;
    }
    wps[nb_wps++] = (Watchpoint){addr, len, type};
    return true;
}

bool gdb_wp_remove(uint64_t addr, uint64_t len, int type)
{
    for (int i = 0; i < nb_wps; i++) {
        if (wps[i].addr == addr && wps[i].len == len && wps[i].type == type) {
            wps[i] = wps[--nb_wps];
            return true;
        }
    }
    return false;
}

void gdb_wp_remove_all(void)
{
    nb_wps = 0;
}

bool gdb_wp_present(uint64_t addr, int type)
{
    for (int i = 0; i < nb_wps; i++) {
        if (wps[i].addr == addr && wps[i].type == type) {
            return true;
        }
    }
    return false;
}

void gdb_wp_last_hit(uint64_t *addr, int *type)
{
    *addr = last_hit.addr;
    *type = last_hit.type;
}

/* ------------------------------------------------------------------ */
/* Threads */

typedef struct TidList {
    int *tids;
    int n, max;
} TidList;

static void list_one(CPUState *cpu, void *opaque)
{
    TidList *l = opaque;

    if (l->n < l->max) {
        l->tids[l->n++] = cpu->tid;
    }
}

static int cmp_int(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int gdb_thread_list(int *tids, int max)
{
    TidList l = {tids, 0, max};

    cpu_foreach_locked(list_one, &l);
    qsort(tids, l.n, sizeof(int), cmp_int); /* the main thread first */
    return l.n;
}

static void nop_fn(CPURISCVState *env, void *arg)
{
    (void)env, (void)arg;
}

bool gdb_thread_alive(int tid)
{
    return with_cpu(tid, nop_fn, NULL);
}

void gdb_thread_name(int tid, char *buf, size_t size)
{
    char path[64];
    int fd;
    ssize_t n = 0;

    snprintf(path, sizeof(path), "/proc/self/task/%d/comm", tid);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        n = read(fd, buf, size - 1);
        close(fd);
    }
    if (n < 0) {
        n = 0;
    }
    buf[n] = 0;
    /* Without the newline, and nothing XML would have to escape. */
    for (ssize_t i = 0; i < n; i++) {
        if (buf[i] == '\n') {
            buf[i] = 0;
            break;
        }
        if (buf[i] == '<' || buf[i] == '>' || buf[i] == '&' || buf[i] == '"' ||
            (unsigned char)buf[i] < 32) {
            buf[i] = '_';
        }
    }
}

/* ------------------------------------------------------------------ */
/* Shared libraries (qXfer:libraries-svr4:read) */

#define SVR4_MAX_LIBS 1024
#define SVR4_NAME_MAX 512

static bool read_u64(uint64_t addr, uint64_t *v)
{
    return gdb_read_mem(addr, v, 8);
}

/*
 * The dynamic linker's r_debug: DT_DEBUG in the program's PT_DYNAMIC
 * (found from AT_PHDR/AT_PHNUM and the load bias).  0 when there is
 * none yet (a static program, or before ld.so has set it).
 */
static uint64_t svr4_r_debug(void)
{
    uint64_t dyn = 0, d[2];

    if (exec_info == NULL || exec_info->phnum > 256) {
        return 0;
    }
    for (uint64_t i = 0; i < exec_info->phnum; i++) {
        uint32_t type;
        uint64_t vaddr, at = exec_info->phdr + i * 56; /* Elf64_Phdr */

        if (!gdb_read_mem(at, &type, 4) || !read_u64(at + 16, &vaddr)) {
            return 0;
        }
        if (type == 2) { /* PT_DYNAMIC */
            dyn = exec_info->load_bias + vaddr;
        }
    }
    for (int i = 0; dyn && i < 1024; i++) {
        if (!gdb_read_mem(dyn + 16 * i, d, 16) || d[0] == 0) {
            break;
        }
        if (d[0] == 21) { /* DT_DEBUG */
            return d[1];
        }
    }
    return 0;
}

/* The NUL-terminated guest string at @addr (cut at @size - 1), escaped. */
static void svr4_name(uint64_t addr, char *out, size_t size)
{
    size_t n = 0;
    char c;

    while (n + 6 < size && gdb_read_mem(addr++, &c, 1) && c) {
        const char *esc = c == '<'    ? "&lt;"
                          : c == '>'  ? "&gt;"
                          : c == '&'  ? "&amp;"
                          : c == '"'  ? "&quot;"
                          : c == '\'' ? "&apos;"
                                      : NULL;

        if (esc) {
            n += (size_t)snprintf(out + n, size - n, "%s", esc);
        } else {
            out[n++] = c;
        }
    }
    out[n] = 0;
}

char *gdb_svr4_xml(size_t *size)
{
    size_t cap = 4096 + (size_t)SVR4_MAX_LIBS * (SVR4_NAME_MAX + 128), n = 0;
    char *x = malloc(cap), name[SVR4_NAME_MAX];
    uint64_t r_debug = svr4_r_debug(), lm = 0;

    if (x == NULL) {
        return NULL;
    }
    if (r_debug == 0 || !read_u64(r_debug + 8, &lm) || lm == 0) {
        *size =
            (size_t)snprintf(x, cap, "<library-list-svr4 version=\"1.0\"/>");
        return x;
    }
    n += (size_t)snprintf(x, cap,
                          "<library-list-svr4 version=\"1.0\" "
                          "main-lm=\"0x%" PRIx64 "\">",
                          lm);
    /* struct link_map: l_addr, l_name, l_ld, l_next, l_prev */
    for (int i = 0; i < SVR4_MAX_LIBS; i++) {
        uint64_t f[4];

        if (!gdb_read_mem(lm, f, sizeof(f))) {
            break;
        }
        svr4_name(f[1], name, sizeof(name));
        /* The first entry is the program itself (main-lm). */
        if (i > 0 && name[0]) {
            n += (size_t)snprintf(x + n, cap - n,
                                  "<library name=\"%s\" lm=\"0x%" PRIx64
                                  "\" l_addr=\"0x%" PRIx64
                                  "\" l_ld=\"0x%" PRIx64 "\" lmid=\"0x0\"/>",
                                  name, lm, f[0], f[2]);
        }
        if (f[3] == 0 || f[3] == lm) {
            break;
        }
        lm = f[3];
    }
    n += (size_t)snprintf(x + n, cap - n, "</library-list-svr4>");
    *size = n;
    return x;
}
