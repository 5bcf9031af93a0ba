/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * linux-user: the command line of ctcg-riscv64, and start-up.
 *
 *   ctcg-riscv64 [options] program [arguments...]
 *
 * Options are qemu-riscv64's (7.2) where they make sense here; each can
 * also come from a CTCG_* environment variable (QEMU_* renamed), which the
 * command line overrides.  Options end at the first argument that does
 * not start with '-', or after "--"; "--opt" is the same as "-opt".
 * A bad option or value prints one line "ctcg-riscv64: ..." and exits 1;
 * -h, -version, -cpu help and -d help print and exit 0.
 *
 * Start-up order (single-threaded; nothing here runs again later):
 *   options -> guest_space_init() (sets tcg_guest_base) -> tcg_init()
 *   (the prologue bakes in tcg_guest_base, so it must come after the
 *   reservation) -> riscv_translate_init() -> riscv_cpu_init() ->
 *   cpu_exec_init() (fault handlers, TB hash) and cpu_exec_init_thread()
 *   (this thread's vCPU) -> guest environment (host envp with -E/-U applied in order) ->
 *   loader_exec() -> pc, sp -> cpu_loop().
 *
 * user_opts and the loaded image (exec_info) are written here before the
 * guest runs and are read-only afterwards.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "accel/tcg/translator.h"
#include "accel/tcg/cpu-exec.h"
#include "linux-user/gdbstub.h"
#include "config-host.h"
#include "linux-user/signal.h"
#include "linux-user/syscall-priv.h"
#include "linux-user/user.h"
#include "target-riscv/helper.h"
#include "tcg/log.h"

#define PROG "ctcg-riscv64"
#define DEFAULT_STACK_SIZE (8ull << 20)
#define DEFAULT_CPU "rv64"

UserOptions user_opts;
static struct image_info guest_image_info;

/* -E/-U edits of the guest environment, applied in order. */
typedef struct EnvEdit {
    char *var; /* "name=value" to set, or "name" to unset */
    bool unset;
} EnvEdit;

static EnvEdit *env_edits;
static size_t n_env_edits;

typedef struct Option {
    const char *name; /* without the leading '-' */
    const char *env;  /* CTCG_* variable, or NULL */
    bool has_arg;
    int (*handle)(const char *arg, const char *what);
    const char *example;
    const char *help;
} Option;

static void usage(FILE *f);

/* ------------------------------------------------------------------ */
/* Value parsers */

/* A size: a number (0x.. hex, 0.. octal) with an optional k/M/G suffix. */
static int parse_size(const char *s, uint64_t *out)
{
    char *end;
    unsigned long long v;
    unsigned shift = 0;

    if (*s == 0 || *s == '-') {
        return -1;
    }
    errno = 0;
    v = strtoull(s, &end, 0);
    if (errno || end == s) {
        return -1;
    }
    switch (*end) {
    case 'k':
    case 'K':
        shift = 10;
        break;
    case 'm':
    case 'M':
        shift = 20;
        break;
    case 'g':
    case 'G':
        shift = 30;
        break;
    }
    end += shift != 0;
    if (*end || (shift && v > (UINT64_MAX >> shift))) {
        return -1;
    }
    *out = (uint64_t)v << shift;
    return 0;
}

static int bad_value(const char *what, const char *kind, const char *arg)
{
    fprintf(stderr, PROG ": %s: invalid %s '%s'\n", what, kind, arg);
    return -1;
}

/* ------------------------------------------------------------------ */
/* Option handlers: 0, or -1 with one line printed */

static int opt_help(const char *arg, const char *what)
{
    (void)arg, (void)what;
    usage(stdout);
    exit(0);
}

static int opt_version(const char *arg, const char *what)
{
    (void)arg, (void)what;
    printf(PROG " version " CTCG_VERSION
                ", compatible with qemu-riscv64 7.2 options\n");
    exit(0);
}

static int opt_ld_prefix(const char *arg, const char *what)
{
    (void)what;
    user_opts.interp_prefix = arg;
    return 0;
}

static int opt_stack_size(const char *arg, const char *what)
{
    uint64_t v;

    if (parse_size(arg, &v) < 0 || v == 0) {
        return bad_value(what, "stack size", arg);
    }
    user_opts.stack_size = v;
    return 0;
}

static int opt_cpu(const char *arg, const char *what)
{
    (void)what;
    if (strcmp(arg, "help") == 0) {
        RISCVCPUConfig cfg;

        exit(riscv_cpu_parse_model(arg, &cfg) < 0 ? 1 : 0);
    }
    user_opts.cpu_model = arg;
    return 0;
}

/* Queue comma-separated -E/-U edits. */
static int add_env_edits(const char *arg, const char *what, bool unset)
{
    const char *p = arg;

    do {
        size_t len = strcspn(p, ",");
        char *var = strndup(p, len);
        bool has_eq = var && strchr(var, '=') != NULL;
        EnvEdit *ne;

        if (var == NULL || len == 0 || has_eq == unset || var[0] == '=') {
            fprintf(stderr, PROG ": %s: invalid %s '%.*s'\n", what,
                    unset ? "variable name" : "var=value", (int)len, p);
            free(var);
            return -1;
        }
        ne = realloc(env_edits, (n_env_edits + 1) * sizeof(*ne));
        if (ne == NULL) {
            free(var);
            return -1;
        }
        env_edits = ne;
        env_edits[n_env_edits++] = (EnvEdit){var, unset};
        p += len;
    } while (*p++ == ',');
    return 0;
}

static int opt_set_env(const char *arg, const char *what)
{
    return add_env_edits(arg, what, false);
}

static int opt_unset_env(const char *arg, const char *what)
{
    return add_env_edits(arg, what, true);
}

static int opt_argv0(const char *arg, const char *what)
{
    (void)what;
    user_opts.argv0 = arg;
    return 0;
}

static int opt_guest_base(const char *arg, const char *what)
{
    char *end;
    unsigned long long v;

    errno = 0;
    v = strtoull(arg, &end, 0);
    if (errno || end == arg || *end || *arg == '-') {
        return bad_value(what, "address", arg);
    }
    user_opts.guest_base = v;
    return 0;
}

static int opt_reserved_va(const char *arg, const char *what)
{
    uint64_t v;

    if (parse_size(arg, &v) < 0) {
        return bad_value(what, "size", arg);
    }
    user_opts.reserved_va = v;
    return 0;
}

static int opt_log(const char *arg, const char *what)
{
    unsigned mask;

    (void)what;
    if (strcmp(arg, "help") == 0) {
        tcg_log_help(stdout);
        exit(0);
    }
    if (tcg_log_parse(arg, &mask) < 0) {
        return -1;
    }
    tcg_log_mask = mask;
    return 0;
}

static int opt_log_file(const char *arg, const char *what)
{
    (void)what;
    user_opts.log_file = arg;
    return 0;
}

static int opt_gdb(const char *arg, const char *what)
{
    if (*arg == 0) {
        return bad_value(what, "port", arg);
    }
    user_opts.gdb = arg;
    return 0;
}

static int opt_strace(const char *arg, const char *what)
{
    (void)arg, (void)what;
    user_opts.strace = true;
    return 0;
}

static int opt_singlestep(const char *arg, const char *what)
{
    (void)arg, (void)what;
    user_opts.one_insn_per_tb = true;
    return 0;
}

static int opt_tb_hot(const char *arg, const char *what)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 0 || v > 1000000000) {
        return bad_value(what, "count", arg);
    }
    user_opts.tb_hot = (int)v;
    return 0;
}

static int opt_cold_tier(const char *arg, const char *what)
{
    if (strcmp(arg, "direct") == 0 || strcmp(arg, "ir") == 0) {
        cpu_exec_cold_direct = arg[0] == 'd';
        return 0;
    }
    return bad_value(what, "direct|ir", arg);
}

static int opt_perfmap(const char *arg, const char *what)
{
    (void)arg, (void)what;
    user_opts.perfmap = true;
    return 0;
}

/* -vctrl: the V control word (prctl) of the thread that called execve. */
static int opt_vctrl(const char *arg, const char *what)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(arg, &end, 0);
    if (errno || end == arg || *end || v > RISCV_V_CTRL_MASK) {
        return bad_value(what, "word", arg);
    }
    user_opts.vctrl = (uint32_t)v;
    return 0;
}

/* -personality: the guest's persona from the execve before us. */
static int opt_personality(const char *arg, const char *what)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(arg, &end, 0);
    if (errno || end == arg || *end || v > 0xffffffffu) {
        return bad_value(what, "persona", arg);
    }
    user_opts.personality = (int64_t)v;
    return 0;
}

/*
 * -execfd N: the program is /proc/self/fd/N, a close-on-exec descriptor
 * that the execveat before us (fexecve) kept open for us; closed once the
 * program is loaded, as Linux closes it at the exec.
 */
static int opt_execfd(const char *arg, const char *what)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(arg, &end, 10);
    if (errno || end == arg || *end || v < 0 || v > INT_MAX) {
        return bad_value(what, "fd", arg);
    }
    user_opts.exec_fd = (int)v;
    return 0;
}

/*
 * Linux's riscv_v_vstate_ctrl_init at execve: cur = next, or ON (the
 * default) when next is DEFAULT; next is cleared unless the inherit bit
 * is set.
 */
static void vctrl_exec_init(CPURISCVState *env, uint32_t w)
{
    uint32_t next = (w & RISCV_V_CTRL_NEXT_MASK) >> 2;
    uint32_t cur = next ? next : RISCV_V_CTRL_ON;

    if (!env->cfg.ext_v) {
        return;
    }
    if (!(w & RISCV_V_CTRL_INHERIT)) {
        next = RISCV_V_CTRL_DEFAULT;
    }
    env->vctrl = cur | (next << 2) | (w & RISCV_V_CTRL_INHERIT);
}

static const Option options[] = {
    {"h", NULL, false, opt_help, "", "print this help"},
    {"help", NULL, false, opt_help, "", ""},
    {"L", "CTCG_LD_PREFIX", true, opt_ld_prefix, "path",
     "set the elf interpreter prefix to 'path'"},
    {"s", "CTCG_STACK_SIZE", true, opt_stack_size, "size",
     "set the stack size to 'size' bytes (k/M/G suffixes)"},
    {"cpu", "CTCG_CPU", true, opt_cpu, "model",
     "select CPU (-cpu help for list)"},
    {"E", "CTCG_SET_ENV", true, opt_set_env, "var=value",
     "sets targets environment variable (see below)"},
    {"U", "CTCG_UNSET_ENV", true, opt_unset_env, "var",
     "unsets targets environment variable (see below)"},
    {"0", "CTCG_ARGV0", true, opt_argv0, "argv0",
     "forces target process argv[0] to be 'argv0'"},
    {"B", "CTCG_GUEST_BASE", true, opt_guest_base, "address",
     "set guest_base address to 'address'"},
    {"R", "CTCG_RESERVED_VA", true, opt_reserved_va, "size",
     "reserve 'size' bytes for guest virtual address space"},
    {"d", "CTCG_LOG", true, opt_log, "item[,...]",
     "enable logging of specified items (use '-d help' for a list)"},
    {"D", "CTCG_LOG_FILENAME", true, opt_log_file, "logfile",
     "write logs to 'logfile' (default stderr)"},
    {"one-insn-per-tb", "CTCG_SINGLESTEP", false, opt_singlestep, "",
     "run with one guest instruction per translation block"},
    {"singlestep", NULL, false, opt_singlestep, "",
     "deprecated synonym for -one-insn-per-tb"},
    {"g", "CTCG_GDB", true, opt_gdb, "port",
     "wait gdb connection to 'port' (or a Unix socket path with a '/')"},
    {"strace", "CTCG_STRACE", false, opt_strace, "", "log system calls"},
    {"tb-hot", "CTCG_TB_HOT", true, opt_tb_hot, "count",
     "retranslate a TB as a superblock after 'count' runs (default 4096, "
     "0: at once)"},
    {"cold-tier", "CTCG_COLD_TIER", true, opt_cold_tier, "direct|ir",
     "emit cold TBs without IR where possible (default), or through IR"},
    {"perfmap", NULL, false, opt_perfmap, "",
     "write /tmp/perf-PID.map so perf can name generated code"},
    {"vctrl", NULL, true, opt_vctrl, "word",
     "V control (prctl PR_RISCV_V_*) before the execve that started us"},
    {"personality", NULL, true, opt_personality, "persona",
     "the guest's personality(2) (from the execve that started us)"},
    {"execfd", NULL, true, opt_execfd, "fd",
     "close 'fd' (the program's close-on-exec descriptor) once loaded"},
    {"version", NULL, false, opt_version, "",
     "display version information and exit"},
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " PROG " [options] program [arguments...]\n"
            "Linux riscv64 user-mode emulator (dynamic binary translation)"
            "\n\nOptions and associated environment variables:\n\n"
            "%-20s %-18s %s\n",
            "Argument", "Env-variable", "Description");
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const Option *o = &options[i];
        char arg[64];

        snprintf(arg, sizeof(arg), "-%s %s", o->name, o->example);
        fprintf(f, "%-20s %-18s %s\n", arg, o->env ? o->env : "", o->help);
    }
    fprintf(f,
            "\nDefaults:\n"
            "CTCG_LD_PREFIX     = (none)\n"
            "CTCG_STACK_SIZE    = %" PRIu64 " bytes\n"
            "CTCG_RESERVED_VA   = 256 GiB (rounded up to a power of two)\n"
            "\nSeveral variables may be given to -E and -U (and "
            "CTCG_SET_ENV, CTCG_UNSET_ENV)\nseparated by commas; the "
            "options may be repeated.  The last change to a variable\n"
            "stays in effect.  TCG_STATS=1 prints translation statistics."
            "\n",
            user_opts.stack_size);
}

/* ------------------------------------------------------------------ */
/* Parsing */

static const Option *find_option(const char *name)
{
    for (size_t i = 0; i < N_OPTIONS; i++) {
        if (strcmp(options[i].name, name) == 0) {
            return &options[i];
        }
    }
    return NULL;
}

/* CTCG_* variables first; the command line overrides them. */
static int parse_env_options(void)
{
    const char *v = getenv("TCG_STATS");

    user_opts.tcg_stats = v && strcmp(v, "1") == 0;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const Option *o = &options[i];

        if (o->env && (v = getenv(o->env)) != NULL &&
            o->handle(v, o->env) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Returns: the index of the program in argv, or -1 (message printed). */
static int parse_args(int argc, char **argv)
{
    int i = 1;

    while (i < argc && argv[i][0] == '-') {
        const char *r = argv[i++] + 1;
        const Option *o;
        char what[80];

        if (strcmp(r, "-") == 0) {
            break;
        }
        r += r[0] == '-';
        o = find_option(r);
        if (o == NULL) {
            fprintf(stderr, PROG ": unknown option '%s' (-h lists them)\n",
                    argv[i - 1]);
            return -1;
        }
        snprintf(what, sizeof(what), "-%s", o->name);
        if (o->has_arg && i >= argc) {
            fprintf(stderr, PROG ": missing argument for option '%s'\n", what);
            return -1;
        }
        if (o->handle(o->has_arg ? argv[i] : NULL, what) < 0) {
            return -1;
        }
        i += o->has_arg;
    }
    if (i >= argc) {
        fprintf(stderr, PROG ": no user program specified (-h for help)\n");
        return -1;
    }
    return i;
}

/* What needs all options: the CPU model, the log file, -d strace. */
static int finish_options(void)
{
    const char *model = user_opts.cpu_model ? user_opts.cpu_model : DEFAULT_CPU;
    int ret;

    if (riscv_cpu_parse_model(model, &user_opts.cpu_cfg) < 0) {
        return -1;
    }
    if (user_opts.log_file) {
        ret = tcg_log_set_file(user_opts.log_file);
        if (ret < 0) {
            fprintf(stderr, PROG ": cannot open log file '%s': %s\n",
                    user_opts.log_file, strerror(-ret));
            return -1;
        }
    }
    if (tcg_log_enabled(CPU_LOG_STRACE)) {
        user_opts.strace = true;
    }
    return 0;
}

static void default_stack_size(void)
{
    struct rlimit lim;

    /* As QEMU: the host's stack limit when it is finite and larger. */
    user_opts.stack_size = DEFAULT_STACK_SIZE;
    if (getrlimit(RLIMIT_STACK, &lim) == 0 && lim.rlim_cur != RLIM_INFINITY &&
        lim.rlim_cur > DEFAULT_STACK_SIZE && lim.rlim_cur < (1ull << 32)) {
        user_opts.stack_size = lim.rlim_cur;
    }
}

/* ------------------------------------------------------------------ */
/* The guest's argv and environment */

static bool env_name_eq(const char *entry, const char *name, size_t len)
{
    return strncmp(entry, name, len) == 0 && entry[len] == '=';
}

/* Apply one edit to the NULL-terminated @env of *n entries (capacity ok). */
static void env_apply(char **env, size_t *n, const EnvEdit *e)
{
    size_t len = strcspn(e->var, "=");
    size_t i, j = 0;

    for (i = 0; i < *n; i++) {
        if (!env_name_eq(env[i], e->var, len)) {
            env[j++] = env[i];
        }
    }
    if (!e->unset) {
        env[j++] = e->var;
    }
    env[j] = NULL;
    *n = j;
}

static char **build_guest_env(char **envp)
{
    size_t n = 0, cap;
    char **env;

    while (envp[n]) {
        n++;
    }
    cap = n + n_env_edits + 1;
    env = calloc(cap, sizeof(*env));
    if (env == NULL) {
        return NULL;
    }
    memcpy(env, envp, n * sizeof(*env));
    for (size_t i = 0; i < n_env_edits; i++) {
        env_apply(env, &n, &env_edits[i]);
    }
    return env;
}

static char **build_guest_argv(int argc, char **argv, int first)
{
    char **v = calloc(argc - first + 1, sizeof(*v));

    if (v == NULL) {
        return NULL;
    }
    for (int i = first; i < argc; i++) {
        v[i - first] = argv[i];
    }
    if (user_opts.argv0) {
        v[0] = (char *)user_opts.argv0;
    }
    return v;
}

/* -d page: where things went, and the map (as QEMU's "page" item). */
static void log_layout(const struct image_info *info)
{
    FILE *f = tcg_logfile ? tcg_logfile : stderr;

    if (!tcg_log_enabled(CPU_LOG_PAGE)) {
        return;
    }
    tcg_log("guest_base  0x%" PRIxPTR "\nguest size  0x%" PRIx64
            "\nstart_brk   0x%" PRIx64 "\nload_bias   0x%" PRIx64
            "\nentry       0x%" PRIx64 "\ninterp base 0x%" PRIx64
            "\nstart_stack 0x%" PRIx64 "\n",
            tcg_guest_base, guest_space_size, info->start_brk, info->load_bias,
            info->entry, info->interp_base, info->start_stack);
    fflush(f);
    dump_guest_maps(fileno(f));
}

/* ------------------------------------------------------------------ */

/*
 * CTCG_CODE_BUFFER_SIZE / CTCG_REGION_SIZE: code buffer and region sizes
 * in bytes (K and M suffixes), 0 or unset for the defaults.  Tiny values
 * force frequent flushes, for stress tests.
 */
static size_t env_size(const char *name)
{
    const char *v = getenv(name);
    char *end;
    unsigned long long n;

    if (v == NULL || *v == 0) {
        return 0;
    }
    n = strtoull(v, &end, 0);
    if (*end == 'K' || *end == 'k') {
        n <<= 10;
        end++;
    } else if (*end == 'M' || *end == 'm') {
        n <<= 20;
        end++;
    }
    if (*end != 0) {
        fprintf(stderr, "ctcg-riscv64: %s: bad size '%s'\n", name, v);
        exit(1);
    }
    return n;
}

/* vle*ff.v's probe of the elements after the first (vec_guest_readable) */
static bool guest_readable(uint64_t addr, uint64_t len)
{
    return guest_access_ok(addr, len, false);
}

int main(int argc, char **argv, char **envp)
{
    struct image_info *info = &guest_image_info;
    char **guest_argv, **guest_env;
    const char *filename;
    CPURISCVState *env;
    int first, ret;

    signal_early_init(); /* before any library starts a thread */
    default_stack_size();
    user_opts.tb_hot = -1;
    user_opts.exec_fd = -1;
    user_opts.personality = -1;
    if (parse_env_options() < 0) {
        return 1;
    }
    first = parse_args(argc, argv);
    if (first < 0 || finish_options() < 0) {
        return 1;
    }
    filename = argv[first];
    /* gdb debugs this process, not the programs it runs (docs/gdb.md). */
    unsetenv("CTCG_GDB");
    execve_init(argv + 1, first - 1);
    user_opts.exec_path = realpath(filename, NULL);
    if (user_opts.exec_path == NULL) {
        user_opts.exec_path = filename;
    }

    if (user_opts.personality >= 0) {
        syscall_personality_set((uint32_t)user_opts.personality);
    }
    guest_rlimit_init();
    if (guest_space_init(user_opts.reserved_va, user_opts.guest_base) < 0) {
        return 1;
    }
    ret = tcg_init(env_size("CTCG_CODE_BUFFER_SIZE"),
                   env_size("CTCG_REGION_SIZE"), tcg_guest_base);
    if (ret < 0) {
        fprintf(stderr, PROG ": cannot initialize the code generator: %s\n",
                strerror(-ret));
        return 1;
    }
    riscv_translate_init();
    env = riscv_cpu_init(&user_opts.cpu_cfg);
    if (env == NULL) {
        fprintf(stderr, PROG ": cannot create the CPU\n");
        return 1;
    }
    env->hdr.guest_addr_mask = ~(guest_space_size - 1);
    vctrl_exec_init(env, user_opts.vctrl);
    cpu_exec_init();
    translator_fetch_check = guest_code_fetch_ok;
    vec_guest_readable = guest_readable;
    cpu_exec_unprotect_hook = page_unprotect;
    cpu_exec_stats_enabled = user_opts.tcg_stats;
    if (user_opts.perfmap) {
        char name[64];

        snprintf(name, sizeof(name), "/tmp/perf-%d.map", (int)getpid());
        cpu_exec_perfmap = fopen(name, "we"); /* O_CLOEXEC */
        if (cpu_exec_perfmap) {
            setvbuf(cpu_exec_perfmap, NULL, _IOLBF, 0);
        }
    }
    syscall_emulator_fds_init();
    tb_page_writable = riscv_page_writable;
    cpu_exec_init_thread(env);
    if (user_opts.one_insn_per_tb) {
        cpu_exec_max_insns = 1;
        cpu_exec_hot_threshold = 0; /* one-instruction TBs have no tiers */
    } else if (user_opts.tb_hot >= 0) {
        cpu_exec_hot_threshold = user_opts.tb_hot;
    }

    guest_argv = build_guest_argv(argc, argv, first);
    guest_env = build_guest_env(envp);
    if (guest_argv == NULL || guest_env == NULL) {
        fprintf(stderr, PROG ": out of memory\n");
        return 1;
    }
    ret = loader_exec(filename, guest_argv, guest_env, info);
    if (user_opts.exec_fd >= 0) {
        close(user_opts.exec_fd); /* fexecve of a close-on-exec fd */
    }
    /* The strings were copied onto the guest stack. */
    free(guest_argv);
    free(guest_env);
    if (ret < 0) {
        return 1;
    }
    exec_info = info;
    log_layout(info);
    env->pc = info->pc;
    env->gpr[2] = info->start_stack;
    if (user_opts.gdb && gdbstub_init(user_opts.gdb) < 0) {
        return 1;
    }
    signal_init(env);
    if (user_opts.gdb) {
        gdbstub_first_stop(env); /* before the first instruction */
    }
    cpu_loop(env);
}
