/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdbstub: gdb's remote serial protocol (-g port or -g /unix/socket).
 *
 * Threads.  One host thread, the stub thread, owns the socket for the
 * whole session; vCPU threads never touch it.  While the program runs,
 * the stub polls the socket (for Ctrl-C, 0x03) and an eventfd that vCPUs
 * write when they post an event.  vCPUs post events from the CPU loop,
 * outside cpu_exec (so never "running" in the exclusive-section sense):
 * a breakpoint or a finished step (gdbstub_after_exec), a signal about to
 * be delivered (gdbstub_signal), the process's end (gdbstub_exit).  The
 * poster queues a GdbEvent on its own stack and sleeps on gdb_cond until
 * the stub marks it done.
 *
 * All-stop.  To stop, the stub thread calls start_exclusive(): every vCPU
 * leaves generated code at its next TB boundary (exit_request) and waits
 * in cpu_exec_start(); threads in syscalls wait there when the syscall
 * returns; posters already wait for their event.  The stub then sends the
 * stop reply and serves gdb's packets: registers and memory of any vCPU
 * can be read and written, since none runs.  A resume packet (c, s, C,
 * S, vCont) sets the stepping vCPU's gdb_step, marks the reported event
 * done with the signal gdb gave, and calls end_exclusive(): every vCPU
 * runs again.  Other events queued meanwhile are reported one by one, each
 * in a new stop.  Ctrl-C stops the same way with no event (SIGINT).
 * Threads no vCont action names stay stopped: their gdb_step is 3, so
 * cpu_exec() returns at once and they wait on gdb_cond in
 * gdbstub_after_exec() (their queued events wait too) until a resume
 * names them.
 *
 * Lock order: gdb_lock is a leaf; it is never held across
 * start_exclusive()/end_exclusive() or socket I/O.  The exclusive section
 * is taken only by the stub thread (current_cpu NULL), after any event's
 * poster left cpu_exec, so a poster never blocks it.
 *
 * Single step: gdb_step = 1 makes cpu_exec() translate a one-instruction
 * TB with CF_STEP, which leaves with RISCV_EXCP_DEBUG after it (a syscall
 * or fence.i leaves with its own exit, then reported too).  Breakpoints:
 * TBs translated with CF_DEBUG (every TB while gdb has a breakpoint,
 * see gdbstub-target.c) end before a breakpoint and raise RISCV_EXCP_DEBUG at it (translate.c).
 *
 * Watchpoints: a hit leaves generated code before the access
 * (RISCV_EXCP_WATCH) and is posted like a breakpoint, with the
 * watchpoint's address for the stop reply.  A queued breakpoint or
 * watchpoint event whose breakpoint gdb removed meanwhile is dropped.
 * So is the SIGTRAP of an ebreak that gdb wrote into memory itself (its
 * breakpoints without Z packets) when the ebreak is gone by the time the
 * event would be reported: its thread runs the restored instruction, as
 * gdbserver cancels such breakpoint hits on Linux.
 *
 * Signals gdb resumes a non-signal stop with are sent to the thread
 * (tgkill) and pass gdbstub_signal() without a second stop.
 *
 * The connection and packet framing are in gdbstub-io.c; unknown packets
 * get the empty reply, malformed ones an error; a lost connection
 * detaches (breakpoints removed, the program runs on).
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tb.h"
#include "linux-user/gdbstub.h"
#include "linux-user/signal.h"
#include "linux-user/user.h"

#define PKT_MAX GDB_PKT_MAX
#define MAX_THREADS 4096

bool gdbstub_active;

enum {
    EV_FIRST,
    EV_STOP,
    EV_EXIT
};

typedef struct GdbEvent {
    struct GdbEvent *next;
    int kind, tid, sig, status; /* EV_EXIT: status, or sig for X */
    uint64_t bp_pc;             /* a breakpoint's pc (else -1) */
    uint64_t ebreak_pc;         /* SIGTRAP of an ebreak there (else -1) */
    uint64_t watch_addr;        /* watch_type: GDB_WATCH_*, or 0 */
    int watch_type;
    bool done;      /* [gdb_lock] */
    bool held;      /* [gdb_lock] its thread is kept stopped */
    int resume_sig; /* [gdb_lock] what gdb resumed with */
} GdbEvent;

static pthread_mutex_t gdb_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gdb_cond = PTHREAD_COND_INITIALIZER;
static GdbEvent *ev_head;  /* [gdb_lock] posted, not done yet */
static bool world_stopped; /* [gdb_lock] the stub holds every vCPU */

/* The stub thread's own state. */
static int wake_fd = -1; /* an emulator descriptor: read with wake() */
static int g_tid, c_tid; /* Hg, Hc: 0 or -1 for any */
static int stop_tid;     /* the thread of the last stop */
static char stop_reply[80];
static char tx[PKT_MAX + 1];
static const char *pkt_end; /* of the packet being handled */

typedef enum {
    CMD_NONE,
    CMD_RESUME,
    CMD_DETACH,
    CMD_KILL
} CmdResult;

/* The eventfd's current number (a guest dup3 onto it moves it). */
static int wake(void)
{
    /* Pairs with the release store of syscall-file.c's move. */
    return __atomic_load_n(&wake_fd, __ATOMIC_ACQUIRE);
}

/* ------------------------------------------------------------------ */
/* Small parsers */

/* A thread id: hex, 0 (any) or -1 (all). */
static bool parse_tid(const char *s, int *tid)
{
    uint64_t v;

    if (strcmp(s, "-1") == 0) {
        *tid = -1;
        return true;
    }
    if (!gdb_parse_hex(&s, &v) || *s || v > INT32_MAX) {
        return false;
    }
    *tid = (int)v;
    return true;
}

/* "addr,len" then @end: false if malformed. */
static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len,
                           char end)
{
    const char *s = *p;

    if (!gdb_parse_hex(&s, addr) || *s++ != ',' || !gdb_parse_hex(&s, len) ||
        *s != end) {
        return false;
    }
    *p = s + (end != 0);
    return true;
}

/* The thread a g/p/m packet means: Hg's, else the stopped one. */
static int cur_tid(int h)
{
    return h > 0 && gdb_thread_alive(h) ? h : stop_tid;
}

/* ------------------------------------------------------------------ */
/* Packet handlers (every vCPU stopped) */

static void reply_hex(const uint8_t *buf, size_t len)
{
    static const char hexd[] = "0123456789abcdef";

    for (size_t i = 0; i < len; i++) {
        tx[2 * i] = hexd[buf[i] >> 4];
        tx[2 * i + 1] = hexd[buf[i] & 15];
    }
    tx[2 * len] = 0;
    gdb_put_packet(tx);
}

static void handle_mem(const char *p, char cmd)
{
    static uint8_t buf[PKT_MAX / 2];
    uint64_t addr, len;

    if (!parse_addr_len(&p, &addr, &len, cmd == 'm' ? 0 : ':') ||
        len > sizeof(buf) - 16) {
        gdb_put_packet("E22");
        return;
    }
    if (cmd == 'm') {
        if (!gdb_read_mem(addr, buf, len)) {
            gdb_put_packet("E14");
        } else {
            reply_hex(buf, len);
        }
        return;
    }
    if (cmd == 'M') {
        if (!gdb_hex_decode(buf, p, len)) {
            gdb_put_packet("E22");
            return;
        }
    } else if (gdb_unescape(buf, len, p, pkt_end - p) < len) {
        gdb_put_packet("E22"); /* X: binary, '}' escapes */
        return;
    }
    gdb_put_packet(gdb_write_mem(addr, buf, len) ? "OK" : "E14");
}

static void handle_breakpoint(const char *p, bool insert)
{
    uint64_t addr, kind;
    char type = p[0];

    p += 1;
    if (type < '0' || type > '4' || *p++ != ',' ||
        !parse_addr_len(&p, &addr, &kind, 0)) {
        gdb_put_packet("E22");
        return;
    }
    if (type >= '2') {
        bool ok = insert ? gdb_wp_insert(addr, kind, type - '0')
                         : gdb_wp_remove(addr, kind, type - '0');

        gdb_put_packet(ok ? "OK" : insert ? "E28" : "E22");
        return;
    }
    if (insert) {
        gdb_put_packet(gdb_bp_insert(addr) ? "OK" : "E28");
    } else {
        gdb_put_packet(gdb_bp_remove(addr) ? "OK" : "E22");
    }
}

/* qXfer reply: @len bytes of @data from @off ('l': the last part). */
static void xfer_reply(const char *data, size_t size, uint64_t off,
                       uint64_t len)
{
    if (len > PKT_MAX / 2) {
        len = PKT_MAX / 2;
    }
    if (off >= size) {
        gdb_put_packet("l");
        return;
    }
    if (len > size - off) {
        len = size - off;
    }
    tx[0] = off + len < size ? 'm' : 'l';
    memcpy(tx + 1, data + off, len);
    gdb_put_packet_len(tx, len + 1);
}

static char *threads_xml(size_t *size)
{
    static int tids[MAX_THREADS];
    int n = gdb_thread_list(tids, MAX_THREADS);
    size_t cap = 64 + (size_t)n * 80, len = 0;
    char *x = malloc(cap), name[32];

    if (x == NULL) {
        return NULL;
    }
    len += snprintf(x, cap, "<?xml version=\"1.0\"?>\n<threads>\n");
    for (int i = 0; i < n; i++) {
        gdb_thread_name(tids[i], name, sizeof(name));
        len += snprintf(x + len, cap - len,
                        "<thread id=\"%x\" core=\"0\" name=\"%s\"/>\n", tids[i],
                        name);
    }
    len += snprintf(x + len, cap - len, "</threads>\n");
    *size = len;
    return x;
}

static void handle_xfer(const char *p)
{
    char object[32], annex[64];
    uint64_t off, len;
    const char *q = strchr(p, ':'), *a;
    size_t n = q ? (size_t)(q - p) : 0;

    /* object:read:annex:off,len */
    if (q == NULL || n >= sizeof(object) || strncmp(q, ":read:", 6) != 0) {
        gdb_put_packet("");
        return;
    }
    memcpy(object, p, n);
    object[n] = 0;
    a = q + 6;
    q = strchr(a, ':');
    if (q == NULL || (size_t)(q - a) >= sizeof(annex)) {
        gdb_put_packet("E22");
        return;
    }
    memcpy(annex, a, q - a);
    annex[q - a] = 0;
    q++;
    if (!parse_addr_len(&q, &off, &len, 0)) {
        gdb_put_packet("E22");
        return;
    }
    if (strcmp(object, "features") == 0) {
        const char *xml = gdb_target_xml(annex);

        if (xml == NULL) {
            gdb_put_packet("E00");
        } else {
            xfer_reply(xml, strlen(xml), off, len);
        }
    } else if (strcmp(object, "threads") == 0 ||
               strcmp(object, "libraries-svr4") == 0) {
        size_t size;
        char *xml = object[0] == 't' ? threads_xml(&size) : gdb_svr4_xml(&size);

        if (xml == NULL) {
            gdb_put_packet("E12");
            return;
        }
        xfer_reply(xml, size, off, len);
        free(xml);
    } else if (strcmp(object, "exec-file") == 0) {
        const char *path = user_opts.exec_path;

        xfer_reply(path, strlen(path), off, len);
    } else if (strcmp(object, "auxv") == 0 && exec_info) {
        static uint8_t auxv[1024];
        size_t size = exec_info->auxv_len;

        if (size > sizeof(auxv) || !gdb_read_mem(exec_info->auxv, auxv, size)) {
            gdb_put_packet("E14");
            return;
        }
        xfer_reply((const char *)auxv, size, off, len);
    } else {
        gdb_put_packet("");
    }
}

static void handle_query(const char *p)
{
    if (strncmp(p, "qSupported", 10) == 0) {
        snprintf(tx, sizeof(tx),
                 "PacketSize=%x;qXfer:features:read+;qXfer:threads:read+;"
                 "qXfer:auxv:read+;qXfer:exec-file:read+;"
                 "qXfer:libraries-svr4:read+;QStartNoAckMode+;"
                 "vContSupported+",
                 PKT_MAX);
        gdb_put_packet(tx);
    } else if (strncmp(p, "qXfer:", 6) == 0) {
        handle_xfer(p + 6);
    } else if (strcmp(p, "qAttached") == 0 ||
               strncmp(p, "qAttached:", 10) == 0) {
        gdb_put_packet("1");
    } else if (strcmp(p, "qOffsets") == 0) {
        gdb_put_packet("Text=0;Data=0;Bss=0");
    } else if (strcmp(p, "qC") == 0) {
        snprintf(tx, sizeof(tx), "QC%x", stop_tid);
        gdb_put_packet(tx);
    } else if (strcmp(p, "qfThreadInfo") == 0) {
        static int tids[MAX_THREADS];
        int n = gdb_thread_list(tids, MAX_THREADS);
        size_t len = 1;

        tx[0] = 'm';
        for (int i = 0; i < n && len < sizeof(tx) - 16; i++) {
            len += snprintf(tx + len, sizeof(tx) - len, "%s%x", i ? "," : "",
                            tids[i]);
        }
        gdb_put_packet(n ? tx : "l");
    } else if (strcmp(p, "qsThreadInfo") == 0) {
        gdb_put_packet("l");
    } else if (strncmp(p, "qSymbol", 7) == 0) {
        gdb_put_packet("OK");
    } else if (strcmp(p, "QStartNoAckMode") == 0) {
        gdb_put_packet("OK");
        gdb_io_no_ack();
    } else {
        gdb_put_packet("");
    }
}

/*
 * Linux signal numbers to gdb's (the protocol's, include/gdb/signals.def):
 * GDB_SIGNAL_UNKNOWN (143) for SIGSTKFLT, REALTIME_32/33.../64 for the rest.
 */
static const uint8_t linux_to_gdb[32] = {
    0,   1,  2,  3,  4,  5,  6,  10, 8,  9,  30, 11, 31, 13, 14, 15,
    143, 20, 19, 17, 18, 21, 22, 16, 24, 25, 26, 27, 28, 23, 32, 12,
};

static int sig_to_gdb(int sig)
{
    if (sig < 32) {
        return sig < 0 ? 0 : linux_to_gdb[sig];
    }
    if (sig == 32) {
        return 77;
    }
    return sig < 64 ? 45 + sig - 33 : 78;
}

static int sig_from_gdb(int g)
{
    for (int s = 1; s <= 64; s++) {
        if (sig_to_gdb(s) == g) {
            return s;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* Resuming */

#define MAX_NAMED 64

typedef struct ResumePlan {
    int step_tid;  /* 0: none */
    int event_sig; /* the signal for the reported event's thread */
    bool all;      /* threads no action names resume too */
    int nb_named;  /* threads named by a c/C action */
    int named[MAX_NAMED];
} ResumePlan;

/*
 * vCont;action[:tid];...  The leftmost action naming a thread applies to
 * it; an action without a thread applies to all the others.  Threads no
 * action applies to stay stopped (gdb steps one thread over a breakpoint
 * so).  Only the step action's thread steps.
 */
static bool parse_vcont(const char *p, ResumePlan *plan)
{
    bool event_set = false;

    memset(plan, 0, sizeof(*plan));
    while (*p == ';') {
        char act = *++p, tidbuf[24];
        uint64_t sig = 0;
        int tid = -1;

        p++;
        if (act == 'C' || act == 'S') {
            if (!gdb_parse_hex(&p, &sig) || sig > 255) {
                return false;
            }
            sig = sig_from_gdb((int)sig);
        } else if (act != 'c' && act != 's' && act != 't') {
            return false;
        }
        if (*p == ':') {
            size_t n = strcspn(++p, ";");

            if (n >= sizeof(tidbuf)) {
                return false;
            }
            memcpy(tidbuf, p, n);
            tidbuf[n] = 0;
            p += n;
            if (!parse_tid(tidbuf, &tid)) {
                return false;
            }
        }
        if ((act == 's' || act == 'S') && plan->step_tid == 0) {
            plan->step_tid = tid > 0 ? tid : stop_tid;
        } else if (tid <= 0) {
            plan->all = true;
        } else if (plan->nb_named < MAX_NAMED) {
            plan->named[plan->nb_named++] = tid;
        }
        if (!event_set && (tid <= 0 || tid == stop_tid)) {
            plan->event_sig = (act == 'C' || act == 'S') ? (int)sig : 0;
            event_set = true;
        }
    }
    return *p == 0;
}

/* Legacy c, s, C sig, S sig (an address to resume at is ignored). */
static void parse_legacy(const char *p, ResumePlan *plan)
{
    uint64_t sig = 0;
    const char *q = p + 1;

    memset(plan, 0, sizeof(*plan));
    plan->all = true;
    if ((p[0] == 'C' || p[0] == 'S') && gdb_parse_hex(&q, &sig) && sig <= 255) {
        plan->event_sig = sig_from_gdb((int)sig);
    }
    if (p[0] == 's' || p[0] == 'S') {
        plan->step_tid = cur_tid(c_tid);
    }
}

/* ------------------------------------------------------------------ */
/* The command loop of one stop */

static void handle_h(const char *p)
{
    int tid;

    if ((p[1] != 'g' && p[1] != 'c') || !parse_tid(p + 2, &tid) ||
        (tid > 0 && !gdb_thread_alive(tid))) {
        gdb_put_packet("E22");
        return;
    }
    if (p[1] == 'g') {
        g_tid = tid;
    } else {
        c_tid = tid;
    }
    gdb_put_packet("OK");
}

static void handle_regs(const char *p)
{
    const char *q = p + 1;
    uint64_t n;

    if (p[0] == 'g') {
        gdb_put_packet(gdb_read_gregs(cur_tid(g_tid), tx, sizeof(tx)) ? tx
                                                                      : "E14");
    } else if (p[0] == 'G') {
        gdb_put_packet(gdb_write_gregs(cur_tid(g_tid), p + 1) ? "OK" : "E22");
    } else if (p[0] == 'p' && gdb_parse_hex(&q, &n) && *q == 0) {
        gdb_put_packet(
            gdb_read_reg(cur_tid(g_tid), (int)n, tx, sizeof(tx)) ? tx : "E14");
    } else if (p[0] == 'P' && gdb_parse_hex(&q, &n) && *q == '=') {
        gdb_put_packet(gdb_write_reg(cur_tid(g_tid), (int)n, q + 1) ? "OK"
                                                                    : "E22");
    } else {
        gdb_put_packet("E22");
    }
}

/* Serve packets until one resumes, detaches or kills. */
static CmdResult command_loop(ResumePlan *plan)
{
    for (;;) {
        const char *p;
        size_t len;
        int tid;

        if (!gdb_get_packet(&p, &len)) {
            return CMD_DETACH; /* connection lost */
        }
        pkt_end = p + len;
        switch (p[0]) {
        case '?':
            gdb_put_packet(stop_reply);
            break;
        case 'g':
        case 'G':
        case 'p':
        case 'P':
            handle_regs(p);
            break;
        case 'm':
        case 'M':
        case 'X':
            handle_mem(p + 1, p[0]);
            break;
        case 'Z':
        case 'z':
            handle_breakpoint(p + 1, p[0] == 'Z');
            break;
        case 'H':
            handle_h(p);
            break;
        case 'T':
            gdb_put_packet(
                parse_tid(p + 1, &tid) && gdb_thread_alive(tid) ? "OK" : "E01");
            break;
        case 'c':
        case 's':
        case 'C':
        case 'S':
            parse_legacy(p, plan);
            return CMD_RESUME;
        case 'D':
            gdb_put_packet("OK");
            return CMD_DETACH;
        case 'k':
            return CMD_KILL;
        case 'q':
        case 'Q':
            handle_query(p);
            break;
        case 'v':
            if (strcmp(p, "vCont?") == 0) {
                gdb_put_packet("vCont;c;C;s;S;t");
            } else if (strncmp(p, "vCont;", 6) == 0) {
                if (parse_vcont(p + 5, plan)) {
                    return CMD_RESUME;
                }
                gdb_put_packet("E22");
            } else if (strncmp(p, "vKill", 5) == 0) {
                gdb_put_packet("OK");
                return CMD_KILL;
            } else {
                gdb_put_packet("");
            }
            break;
        default:
            gdb_put_packet("");
            break;
        }
    }
}

/* ------------------------------------------------------------------ */
/* Events and stops */

/* What @tid does after @plan's resume: CPUState.gdb_step's values. */
static int plan_state(const ResumePlan *plan, int tid)
{
    if (tid == plan->step_tid) {
        return 1;
    }
    if (plan->all) {
        return 0;
    }
    for (int i = 0; i < plan->nb_named; i++) {
        if (plan->named[i] == tid) {
            return 0;
        }
    }
    return 3;
}

static void apply_one(CPUState *cpu, void *opaque)
{
    __atomic_store_n(&cpu->gdb_step, plan_state(opaque, cpu->tid),
                     __ATOMIC_RELAXED);
}

/*
 * Set every vCPU's gdb_step for @plan, and which queued events wait for
 * a later resume; wake the threads gdb held before.
 */
static void apply_plan(const ResumePlan *plan)
{
    gdb_debug_apply(); /* Z/z of this stop: in force from now on */
    cpu_foreach_locked(apply_one, (void *)plan);
    pthread_mutex_lock(&gdb_lock);
    for (GdbEvent *e = ev_head; e; e = e->next) {
        e->held = plan_state(plan, e->tid) == 3;
    }
    /* Held threads re-check gdb_step under gdb_lock (gdbstub_after_exec) */
    pthread_cond_broadcast(&gdb_cond);
    pthread_mutex_unlock(&gdb_lock);
}

/* Mark every queued event done (detach): signals are delivered. */
static void release_all_events(void)
{
    pthread_mutex_lock(&gdb_lock);
    for (GdbEvent *e = ev_head; e; e = e->next) {
        e->done = true;
        /* SIGTRAP: a breakpoint, step or watchpoint (or ebreak: again) */
        e->resume_sig = e->kind == EV_STOP && e->sig != SIGTRAP ? e->sig : 0;
    }
    ev_head = NULL;
    pthread_cond_broadcast(&gdb_cond);
    pthread_mutex_unlock(&gdb_lock);
}

static void event_done(GdbEvent *ev, int sig)
{
    pthread_mutex_lock(&gdb_lock);
    for (GdbEvent **pp = &ev_head; *pp; pp = &(*pp)->next) {
        if (*pp == ev) {
            *pp = ev->next;
            break;
        }
    }
    ev->resume_sig = sig;
    ev->done = true;
    pthread_cond_broadcast(&gdb_cond);
    pthread_mutex_unlock(&gdb_lock);
}

/*
 * Threads in a syscall are not held by the exclusive section: they wait
 * in gdbstub_syscall_exit() while this is set, before they write the
 * result, so that gdb reads (and writes) their registers undisturbed.
 */
static void set_world_stopped(bool stopped)
{
    pthread_mutex_lock(&gdb_lock);
    world_stopped = stopped;
    pthread_cond_broadcast(&gdb_cond);
    pthread_mutex_unlock(&gdb_lock);
}

void gdbstub_syscall_enter(void)
{
    /* Publishes the registers (pairs with set_world_stopped's lock). */
    pthread_mutex_lock(&gdb_lock);
    pthread_mutex_unlock(&gdb_lock);
}

void gdbstub_syscall_exit(void)
{
    pthread_mutex_lock(&gdb_lock);
    while (world_stopped &&
           __atomic_load_n(&gdbstub_active, __ATOMIC_ACQUIRE)) {
        pthread_cond_wait(&gdb_cond, &gdb_lock);
    }
    pthread_mutex_unlock(&gdb_lock);
}

/* End the session: the program runs on undebugged. */
static void stub_detach(void)
{
    /* Pairs with the relaxed loads of the hooks: they just stop posting. */
    __atomic_store_n(&gdbstub_active, false, __ATOMIC_RELEASE);
    ResumePlan all = {.all = true};

    gdb_bp_remove_all();
    gdb_wp_remove_all();
    apply_plan(&all);
    gdb_io_close();
}

/* Every vCPU stopped for @ev (NULL: Ctrl-C).  Returns false at the end. */
static bool stop_world(GdbEvent *ev)
{
    ResumePlan plan = {.all = true};
    CmdResult r;
    int tids[1];

    start_exclusive();
    set_world_stopped(true);
    if (ev) {
        stop_tid = ev->tid;
    } else if (g_tid > 0 && gdb_thread_alive(g_tid)) {
        stop_tid = g_tid;
    } else if (gdb_thread_list(tids, 1) == 1) {
        stop_tid = tids[0];
    }
    g_tid = c_tid = stop_tid; /* what gdb assumes after a stop reply */
    if (ev && ev->watch_type) {
        static const char *const what[] = {"", "", "watch", "rwatch", "awatch"};

        snprintf(stop_reply, sizeof(stop_reply), "T05%s:%" PRIx64 ";thread:%x;",
                 what[ev->watch_type], ev->watch_addr, stop_tid);
    } else {
        snprintf(stop_reply, sizeof(stop_reply), "T%02xthread:%x;",
                 sig_to_gdb(ev ? ev->sig : SIGINT), stop_tid);
    }
    if (ev == NULL || ev->kind != EV_FIRST) {
        gdb_put_packet(stop_reply);
    }
    r = command_loop(&plan);
    if (r == CMD_KILL) {
        kill(getpid(), SIGKILL);
    }
    if (r == CMD_DETACH) {
        stub_detach();
        if (ev) {
            event_done(ev, ev->sig == SIGTRAP ? 0 : ev->sig);
        }
        release_all_events();
        set_world_stopped(false);
        end_exclusive();
        return false;
    }
    apply_plan(&plan);
    if (ev) {
        event_done(ev, plan.event_sig);
    }
    set_world_stopped(false);
    end_exclusive();
    return true;
}

static void stub_exit_reply(GdbEvent *ev)
{
    char buf[16];

    snprintf(buf, sizeof(buf), ev->sig ? "X%02x" : "W%02x",
             ev->sig ? sig_to_gdb(ev->sig) : ev->status & 0xff);
    gdb_put_packet(buf);
    stub_detach();
    event_done(ev, 0);
    release_all_events();
}

/* Whether the guest instruction at @pc is ebreak or c.ebreak. */
static bool ebreak_at(uint64_t pc)
{
    uint32_t insn = 0;

    if (!gdb_read_mem(pc, &insn, 2)) {
        return false;
    }
    if ((insn & 3) != 3) {
        return insn == 0x9002; /* c.ebreak */
    }
    return gdb_read_mem(pc, &insn, 4) && insn == 0x00100073;
}

/*
 * A breakpoint event queued while gdb removed that breakpoint (another
 * thread stopped first): drop it; its thread runs the instruction.
 */
static bool event_stale(GdbEvent *ev)
{
    if (ev->kind == EV_STOP && ev->ebreak_pc != (uint64_t)-1) {
        if (ebreak_at(ev->ebreak_pc)) {
            return false;
        }
        event_done(ev, 0); /* env->pc is still at the ebreak */
        return true;
    }
    if (ev->kind != EV_STOP ||
        (ev->watch_type
             ? gdb_wp_present(ev->watch_addr, ev->watch_type)
             : ev->bp_pc == (uint64_t)-1 || gdb_bp_present(ev->bp_pc))) {
        return false;
    }
    event_done(ev, 0);
    return true;
}

/* Running: wait for an event or for gdb (Ctrl-C, lost connection). */
static void *stub_thread(void *arg)
{
    bool started = false;

    (void)arg;
    for (;;) {
        /* Until the first stop, gdb's packets wait in the socket. */
        struct pollfd pfd[2] = {{started ? gdb_io_fd() : -1, POLLIN, 0},
                                {wake(), POLLIN, 0}};
        GdbEvent *ev;
        uint64_t v;

        pthread_mutex_lock(&gdb_lock);
        ev = ev_head;
        while (ev && ev->held && ev->kind != EV_EXIT) {
            ev = ev->next;
        }
        pthread_mutex_unlock(&gdb_lock);
        if (ev && ev->kind == EV_EXIT) {
            stub_exit_reply(ev);
            return NULL;
        }
        if (ev && event_stale(ev)) {
            continue;
        }
        if (ev) {
            started = true;
            if (!stop_world(ev)) {
                return NULL;
            }
            continue;
        }
        if (poll(pfd, 2, -1) < 0) {
            continue;
        }
        if (pfd[1].revents & POLLIN) {
            if (read(wake(), &v, sizeof(v)) < 0) {
                /* drained by an earlier read */
            }
        }
        if (pfd[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            int r = gdb_io_poll_input();

            if (r < 0) {
                start_exclusive();
                stub_detach();
                release_all_events();
                end_exclusive();
                return NULL;
            }
            if (r > 0 && !stop_world(NULL)) {
                return NULL;
            }
        }
    }
}

/* Post @ev and wait until gdb resumes its thread. */
static int post_event(GdbEvent *ev)
{
    uint64_t one = 1;

    pthread_mutex_lock(&gdb_lock);
    if (!__atomic_load_n(&gdbstub_active, __ATOMIC_ACQUIRE)) {
        pthread_mutex_unlock(&gdb_lock);
        return ev->kind == EV_STOP && ev->sig != SIGTRAP ? ev->sig : 0;
    }
    ev->next = NULL;
    ev->done = false;
    ev->held = false;
    {
        GdbEvent **pp = &ev_head;

        while (*pp) {
            pp = &(*pp)->next;
        }
        *pp = ev;
    }
    if (write(wake(), &one, sizeof(one)) < 0) {
        /* the counter is saturated: the stub is awake anyway */
    }
    while (!ev->done) {
        pthread_cond_wait(&gdb_cond, &gdb_lock);
    }
    pthread_mutex_unlock(&gdb_lock);
    return ev->resume_sig;
}

static int stop_current(int kind, int sig, uint64_t bp_pc)
{
    GdbEvent ev = {.kind = kind,
                   .tid = current_cpu->tid,
                   .sig = sig,
                   .bp_pc = bp_pc,
                   .ebreak_pc = -1};

    return post_event(&ev);
}

/* ------------------------------------------------------------------ */
/* Hooks */

/* A signal gdb resumed a non-signal stop with, on its way (see inject). */
static __thread int injected_sig;

/*
 * gdb resumed a stop that was not a signal's (breakpoint, step, first
 * stop, watchpoint) with signal @sig (`signal SIGTERM`): send it to this
 * thread; gdbstub_signal() lets it through without stopping again.
 */
static void inject(int sig)
{
    int hs = sig > 0 ? target_to_host_signal(sig) : 0;

    if (hs > 0) {
        injected_sig = sig;
        syscall(SYS_tgkill, (long)getpid(), (long)gettid(), (long)hs);
    }
}

void gdbstub_first_stop(CPURISCVState *env)
{
    (void)env;
    inject(stop_current(EV_FIRST, SIGTRAP, -1));
}

void gdbstub_after_exec(CPURISCVState *env, int excp)
{
    CPUState *cpu = current_cpu;

    int step = __atomic_load_n(&cpu->gdb_step, __ATOMIC_RELAXED);

    (void)env;
    if (excp == RISCV_EXCP_INTERRUPT) {
        if (step == 3) {
            /* gdb resumed other threads only: wait for our turn. */
            pthread_mutex_lock(&gdb_lock);
            while (__atomic_load_n(&cpu->gdb_step, __ATOMIC_RELAXED) == 3) {
                pthread_cond_wait(&gdb_cond, &gdb_lock);
            }
            pthread_mutex_unlock(&gdb_lock);
        }
        return;
    }
    if (!__atomic_load_n(&gdbstub_active, __ATOMIC_ACQUIRE)) {
        return;
    }
    if (excp == RISCV_EXCP_WATCH) {
        GdbEvent ev = {.kind = EV_STOP,
                       .tid = cpu->tid,
                       .sig = SIGTRAP,
                       .bp_pc = -1,
                       .ebreak_pc = -1};

        gdb_wp_last_hit(&ev.watch_addr, &ev.watch_type);
        __atomic_store_n(&cpu->gdb_step, 0, __ATOMIC_RELAXED);
        inject(post_event(&ev));
        return;
    }
    if (excp == RISCV_EXCP_DEBUG ||
        (step == 1 &&
         (excp == RISCV_EXCP_ECALL || excp == RISCV_EXCP_FENCE_I))) {
        /* A breakpoint unless this was a step (CF_STEP). */
        uint64_t bp_pc =
            excp == RISCV_EXCP_DEBUG && step != 1 ? env->pc : (uint64_t)-1;

        __atomic_store_n(&cpu->gdb_step, 0, __ATOMIC_RELAXED);
        inject(stop_current(EV_STOP, SIGTRAP, bp_pc));
    } else if (step == 1) {
        /* a fault: its signal is reported instead */
        __atomic_store_n(&cpu->gdb_step, 0, __ATOMIC_RELAXED);
    }
}

void gdbstub_after_signals(CPURISCVState *env)
{
    CPUState *cpu = current_cpu;

    (void)env;
    if (__atomic_load_n(&cpu->gdb_step, __ATOMIC_RELAXED) == 2) {
        __atomic_store_n(&cpu->gdb_step, 0, __ATOMIC_RELAXED);
        inject(stop_current(EV_STOP, SIGTRAP, -1));
    }
}

int gdbstub_signal(CPURISCVState *env, int sig)
{
    CPUState *cpu = current_cpu;
    GdbEvent ev = {.kind = EV_STOP,
                   .tid = cpu->tid,
                   .sig = sig,
                   .bp_pc = -1,
                   .ebreak_pc = -1};
    int r;

    if (sig == injected_sig) {
        injected_sig = 0; /* gdb sent it: no stop */
        return sig;
    }
    if (sig == SIGTRAP && ebreak_at(env->pc)) {
        ev.ebreak_pc = env->pc; /* see event_stale() */
    }
    r = post_event(&ev);
    if (r && __atomic_load_n(&cpu->gdb_step, __ATOMIC_RELAXED) == 1) {
        /* step into the handler: stop at its start */
        __atomic_store_n(&cpu->gdb_step, 2, __ATOMIC_RELAXED);
    }
    return r ? sig : 0;
}

void gdbstub_exit(int status, int sig)
{
    GdbEvent ev = {.kind = EV_EXIT,
                   .status = status,
                   .sig = sig,
                   .bp_pc = -1,
                   .ebreak_pc = -1};

    ev.tid = current_cpu ? current_cpu->tid : 0;
    post_event(&ev);
}

void gdbstub_fork_child(void)
{
    __atomic_store_n(&gdbstub_active, false, __ATOMIC_RELEASE);
    gdb_io_close();
    gdb_bp_remove_all();
    gdb_wp_remove_all();
    gdb_debug_apply();
    if (current_cpu) {
        __atomic_store_n(&current_cpu->gdb_step, 0, __ATOMIC_RELAXED);
    }
}

/* ------------------------------------------------------------------ */
/* Start-up */

int gdbstub_init(const char *where)
{
    sigset_t all, old;
    pthread_t t;

    if (gdb_io_connect(where) < 0) {
        return -1;
    }
    wake_fd = eventfd(0, EFD_CLOEXEC);
    if (wake_fd < 0 || gdb_target_init() < 0) {
        fprintf(stderr, "ctcg-riscv64: -g: %s\n", strerror(errno));
        return -1;
    }
    syscall_emulator_fd_add(&wake_fd); /* the guest cannot close it */
    gdbstub_active = true;
    /* The stub thread takes no guest (host) signals. */
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    if (pthread_create(&t, NULL, stub_thread, NULL) != 0) {
        fprintf(stderr, "ctcg-riscv64: -g: cannot start the stub thread\n");
        return -1;
    }
    pthread_detach(t);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;
}
