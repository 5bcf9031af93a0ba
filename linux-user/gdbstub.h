/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdbstub (-g port, CTCG_GDB): gdb's remote serial protocol over TCP
 * or a Unix-domain socket.  gdbstub.c has the socket, the packets and the
 * stop/resume machinery; gdbstub-target.c the RISC-V registers, memory,
 * breakpoints and the thread list.  See the design note in gdbstub.c and
 * docs/gdb.md.
 */
#ifndef LINUX_USER_GDBSTUB_H
#define LINUX_USER_GDBSTUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accel/tcg/cpu-exec.h"
#include "linux-user/gdbstub-pkt.h"

/*
 * True while a gdb is attached: the hooks below are only called then.
 * Written by the gdbstub thread (atomic store), read by any thread.
 */
extern bool gdbstub_active;

/**
 * gdbstub_init() - listen on @where (a TCP port, or a Unix socket path
 * when it holds a '/'), wait for gdb to connect and start the stub thread.
 * Context: main(), before any guest code runs or other thread exists.
 * Returns: 0, or -1 with a message printed.
 */
int gdbstub_init(const char *where);

/**
 * gdbstub_first_stop() - the initial stop of @env (the main thread, at
 * the program's first instruction): returns once gdb resumes it.
 */
void gdbstub_first_stop(CPURISCVState *env);

/**
 * gdbstub_after_exec() - cpu_loop, after handling cpu_exec()'s @excp: a
 * breakpoint or a finished single step stops the program (SIGTRAP).
 */
void gdbstub_after_exec(CPURISCVState *env, int excp);

/**
 * gdbstub_after_signals() - cpu_loop, after process_pending_signals(): a
 * single step that set up a signal frame stops at the handler's first
 * instruction.
 */
void gdbstub_after_signals(CPURISCVState *env);

/**
 * gdbstub_signal() - @sig is about to be delivered to the calling thread:
 * stop the program and report it to gdb.
 * Returns: the signal to deliver (@sig), or 0 to discard it (gdb's
 * `signal 0`, or a continue without the signal).
 */
int gdbstub_signal(CPURISCVState *env, int sig);

/**
 * gdbstub_exit() - the process ends with exit status @status (W packet)
 * or, with @sig non-zero, by signal @sig (X packet).  Returns once gdb
 * was told (or at once if it is gone).
 */
void gdbstub_exit(int status, int sig);

/**
 * gdbstub_syscall_enter() - the calling vCPU is about to run a syscall
 * (registers final: gdb may read them while the syscall blocks);
 * gdbstub_syscall_exit() - it returned: wait while gdb has the program
 * stopped, before the result is written to the registers.
 */
void gdbstub_syscall_enter(void);
void gdbstub_syscall_exit(void);

/**
 * gdbstub_fork_child() - in a fork child: the child runs undebugged (as
 * under qemu-riscv64): no stub, no breakpoints.
 */
void gdbstub_fork_child(void);

/* gdbstub-io.c: the connection, used by the stub thread only. */

/* Listen on @where, accept gdb's connection: 0, or -1 with a message. */
int gdb_io_connect(const char *where);
int gdb_io_fd(void); /* the connection's fd, -1 when closed */
void gdb_io_close(void);
void gdb_io_no_ack(void); /* QStartNoAckMode */
/* Send one packet (gdb_pkt_encode: escapes, run-length encoding). */
void gdb_put_packet_len(const char *data, size_t len);
void gdb_put_packet(const char *s);
/* The next packet while stopped (until the next call); false: lost. */
bool gdb_get_packet(const char **pkt, size_t *len);
/* Running: take what came; -1 lost, 1 a Ctrl-C among it, 0 else. */
int gdb_io_poll_input(void);

/* gdbstub-target.c: used by gdbstub.c, with every vCPU stopped. */

/* Open /proc/self/mem (an emulator descriptor): 0, or -1 with errno. */
int gdb_target_init(void);
/* The target description's XML (annex "target.xml"), or NULL. */
const char *gdb_target_xml(const char *annex);
/* Append the hex of registers (g packet) of the vCPU with @tid. */
bool gdb_read_gregs(int tid, char *out, size_t size);
/* Write registers from the hex @in (G packet). */
bool gdb_write_gregs(int tid, const char *in);
/* One register @n as hex into @out; false: no such register/thread. */
bool gdb_read_reg(int tid, int n, char *out, size_t size);
bool gdb_write_reg(int tid, int n, const char *hex);
/* Guest memory: false if any byte is not mapped. */
bool gdb_read_mem(uint64_t addr, void *buf, size_t len);
bool gdb_write_mem(uint64_t addr, const void *buf, size_t len);
/*
 * Software breakpoints (Z0/Z1) and watchpoints edit the set gdb asks for;
 * gdb_debug_apply() puts it in force (invalidating the TBs of the
 * addresses that changed) when the stub resumes, inside the exclusive
 * section.  Returns how many addresses changed (1 for a change of
 * cflags, which invalidates every TB).
 */
uint64_t gdb_debug_apply(void);
/* Software breakpoints (Z0/Z1): false when the table is full. */
bool gdb_bp_insert(uint64_t addr);
bool gdb_bp_remove(uint64_t addr);
bool gdb_bp_present(uint64_t pc);
void gdb_bp_remove_all(void);
/* Watchpoints (Z2 write, Z3 read, Z4 access): false when full. */
enum {
    GDB_WATCH_WRITE = 2,
    GDB_WATCH_READ = 3,
    GDB_WATCH_ACCESS = 4
};
bool gdb_wp_insert(uint64_t addr, uint64_t len, int type);
bool gdb_wp_remove(uint64_t addr, uint64_t len, int type);
void gdb_wp_remove_all(void);
bool gdb_wp_present(uint64_t addr, int type);
/* The watchpoint the calling thread's last hit matched. */
void gdb_wp_last_hit(uint64_t *addr, int *type);
/*
 * The shared libraries from the dynamic linker's link map (r_debug via
 * the program's DT_DEBUG), as qXfer:libraries-svr4 XML (malloc'ed, its
 * length in *@size); an empty list before ld.so has set it up.
 */
char *gdb_svr4_xml(size_t *size);
/* Thread list: fills @tids (at most @max), returns how many. */
int gdb_thread_list(int *tids, int max);
bool gdb_thread_alive(int tid);
/* The thread's name (its comm) into @buf. */
void gdb_thread_name(int tid, char *buf, size_t size);

#endif
