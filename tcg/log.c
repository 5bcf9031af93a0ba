/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug logging by category; see log.h for the threading rules.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "tcg/log.h"
#include "tcg/tcg.h"

unsigned tcg_log_mask;

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} log_items[] = {
    {"out_asm", CPU_LOG_TB_OUT_ASM, "show generated host assembly code"},
    {"in_asm", CPU_LOG_TB_IN_ASM, "show guest code of each translated TB"},
    {"op", CPU_LOG_TB_OP, "show TCG IR ops of each TB"},
    {"op_opt", CPU_LOG_TB_OP_OPT, "show TCG IR ops after optimization"},
    {"exec", CPU_LOG_EXEC, "show each TB as it runs"},
    {"unimp", CPU_LOG_UNIMP, "log unimplemented syscalls and features"},
    {"guest_errors", CPU_LOG_GUEST_ERROR, "log guest faults and bad syscalls"},
    {"page", CPU_LOG_PAGE, "log guest memory map changes"},
    {"strace", CPU_LOG_STRACE, "log every syscall (as -strace)"},
    {"nochain", CPU_LOG_TB_NOCHAIN, "do not chain TBs (debugging)"},
};

#define N_ITEMS (sizeof(log_items) / sizeof(log_items[0]))

int tcg_log_parse(const char *str, unsigned *mask)
{
    unsigned m = 0;
    const char *p = str;

    while (*p) {
        size_t len = strcspn(p, ",");
        size_t i;

        for (i = 0; i < N_ITEMS; i++) {
            if (strlen(log_items[i].name) == len &&
                strncmp(p, log_items[i].name, len) == 0) {
                m |= log_items[i].mask;
                break;
            }
        }
        if (i == N_ITEMS && !(len == 3 && strncmp(p, "all", 3) == 0)) {
            fprintf(stderr,
                    "ctcg: unknown -d item '%.*s' (-d help lists them)\n",
                    (int)len, p);
            return -1;
        }
        if (i == N_ITEMS) {
            for (i = 0; i < N_ITEMS; i++) {
                m |= log_items[i].mask;
            }
        }
        p += len;
        p += *p == ',';
    }
    *mask = m;
    return 0;
}

void tcg_log_help(FILE *f)
{
    fprintf(f, "Log items (comma separated):\n");
    for (size_t i = 0; i < N_ITEMS; i++) {
        fprintf(f, "%-12s %s\n", log_items[i].name, log_items[i].help);
    }
    fprintf(f, "%-12s %s\n", "all", "everything above");
}

int tcg_log_set_file(const char *path)
{
    FILE *f;

    if (path == NULL || strcmp(path, "-") == 0) {
        tcg_logfile = NULL;
        return 0;
    }
    f = fopen(path, "we"); /* O_CLOEXEC: not for the guest's children */
    if (f == NULL) {
        return -errno;
    }
    setvbuf(f, NULL, _IOLBF, 0);
    tcg_logfile = f;
    return 0;
}

void tcg_out_of_memory(const char *what)
{
    char buf[160];
    int n = snprintf(buf, sizeof(buf),
                     "ctcg: out of host memory (%s): exiting\n", what);

    /* write(2): stdio may be what could not allocate */
    if (write(2, buf, n > 0 && n < (int)sizeof(buf) ? (size_t)n : 0) < 0) {
        /* nothing more to do */
    }
    if (tcg_logfile) {
        fflush(tcg_logfile);
    }
    fflush(stdout);
    _exit(1);
}

void tcg_log(const char *fmt, ...)
{
    FILE *f = tcg_logfile ? tcg_logfile : stderr;
    va_list ap;

    va_start(ap, fmt);
    flockfile(f);
    vfprintf(f, fmt, ap);
    funlockfile(f);
    va_end(ap);
}
