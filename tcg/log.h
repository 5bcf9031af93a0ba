/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Debug logging by category (-d items, -D file), as QEMU's qemu_log.
 *
 * tcg_log_mask is written once at start-up (option parsing) and read by
 * every thread afterwards; checking it costs one load when logging is off.
 * Log output goes to tcg_logfile (stderr unless -D), never to the guest's
 * stdout.  Each tcg_log() call writes its text with one stdio call under
 * the FILE lock, so lines of different threads do not interleave.
 */
#ifndef TCG_LOG_H
#define TCG_LOG_H

#include <stdbool.h>
#include <stdio.h>

extern unsigned tcg_log_mask;
extern FILE *tcg_logfile;

static inline bool tcg_log_enabled(unsigned mask)
{
    return __builtin_expect((tcg_log_mask & mask) != 0, 0);
}

/**
 * tcg_log_parse() - parse a -d argument ("op,out_asm,...", or "help")
 * @str: comma-separated category names
 * @mask: where to store the mask
 *
 * Returns: 0, or -1 with the bad name reported on stderr.
 */
int tcg_log_parse(const char *str, unsigned *mask);

/** tcg_log_help() - list the categories on @f. */
void tcg_log_help(FILE *f);

/**
 * tcg_log_set_file() - send the log to @path ("-" or NULL: stderr).
 * Returns: 0 or -errno.
 */
int tcg_log_set_file(const char *path);

/**
 * tcg_out_of_memory() - the emulator could not allocate host memory for
 * @what (translation, page tables, threads: not a guest request, which
 * gets ENOMEM instead): print a message naming it on stderr, flush the
 * log and exit with status 1 -- a clean end instead of an abort, a
 * host signal or a corrupt run.  Never returns.
 */
void tcg_out_of_memory(const char *what) __attribute__((noreturn));

/** tcg_log() - printf to the log file, one line at a time. */
void tcg_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
