/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdbstub's connection: listening (TCP port or Unix socket path),
 * sending and receiving packets of gdb's remote protocol ($data#checksum,
 * acks, 0x03) with the framing of gdbstub-pkt.c.  Only the stub thread calls these once the connection
 * is up (gdbstub.c); nothing here touches vCPUs.
 *
 * Robustness: a bad checksum gets '-' (dropped in no-ack mode), a '-'
 * from gdb resends the last packet, a truncated packet followed by a new
 * '$' is dropped, an over-long one is dropped whole, bytes outside
 * packets are ignored.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "linux-user/gdbstub.h"
#include "linux-user/user.h"

#define PKT_MAX GDB_PKT_MAX

/* An emulator descriptor: read with conn() (a guest dup3 may move it). */
static int sock_fd = -1;
static bool no_ack;
static uint8_t inbuf[4096];
static size_t in_pos, in_len;
static char last_pkt[PKT_MAX * 2 + 8];
static size_t last_len;
static GdbRx rx;


/* The connection's current number (syscall_emulator_fd_add). */
static int conn(void)
{
    /* Pairs with the release store of the guest dup3's move. */
    return __atomic_load_n(&sock_fd, __ATOMIC_ACQUIRE);
}

static bool write_all(const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = send(conn(), p, len, MSG_NOSIGNAL);

        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        p += n;
        len -= n;
    }
    return true;
}

/* Send @data as one packet (gdb_pkt_encode: escapes, run-lengths). */
void gdb_put_packet_len(const char *data, size_t len)
{
    last_len = gdb_pkt_encode(last_pkt, sizeof(last_pkt), data, len);
    write_all(last_pkt, last_len);
}

void gdb_put_packet(const char *s)
{
    gdb_put_packet_len(s, strlen(s));
}

/* Feed @c to the receiver and answer it: GDB_RX_*. */
static int rx_byte(uint8_t c)
{
    int r = gdb_rx_byte(&rx, c);

    if (r == GDB_RX_NAK && !no_ack && last_len) {
        write_all(last_pkt, last_len); /* send it again */
    } else if (r == GDB_RX_BAD && !no_ack) {
        write_all("-", 1);
    } else if (r == GDB_RX_PACKET && !no_ack) {
        write_all("+", 1);
    }
    return r;
}

/* Read what the socket has; false on EOF or error (connection lost). */
static bool fill_input(void)
{
    ssize_t n;

    do {
        n = read(conn(), inbuf, sizeof(inbuf));
    } while (n < 0 && errno == EINTR);
    if (n <= 0) {
        return false;
    }
    in_pos = 0;
    in_len = n;
    return true;
}

bool gdb_get_packet(const char **pkt, size_t *len)
{
    for (;;) {
        while (in_pos < in_len) {
            if (rx_byte(inbuf[in_pos++]) == GDB_RX_PACKET) {
                *pkt = rx.buf;
                *len = rx.len;
                return true;
            }
            /* 0x03 while stopped: nothing to interrupt */
        }
        if (!fill_input()) {
            return false;
        }
    }
}

int gdb_io_poll_input(void)
{
    int intr = 0;

    if (!fill_input()) {
        return -1;
    }
    while (in_pos < in_len) {
        /* Packets while running are dropped (all-stop). */
        intr |= rx_byte(inbuf[in_pos++]) == GDB_RX_INTR;
    }
    return intr;
}

int gdb_io_fd(void)
{
    return conn();
}

void gdb_io_close(void)
{
    /* Pairs with the acquire loads of conn() and the syscall layer. */
    int fd = __atomic_exchange_n(&sock_fd, -1, __ATOMIC_ACQ_REL);

    if (fd >= 0) {
        close(fd);
    }
}

void gdb_io_no_ack(void)
{
    no_ack = true;
}

static int listen_on(const char *where)
{
    int fd;

    if (strchr(where, '/')) {
        struct sockaddr_un sa = {.sun_family = AF_UNIX};

        if (strlen(where) >= sizeof(sa.sun_path)) {
            fprintf(stderr, "ctcg-riscv64: -g: socket path too long: %s\n",
                    where);
            return -1;
        }
        strcpy(sa.sun_path, where);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        unlink(where);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(fd, 1) < 0) {
            fprintf(stderr, "ctcg-riscv64: -g: cannot listen on %s: %s\n",
                    where, strerror(errno));
            return -1;
        }
    } else {
        struct sockaddr_in sa = {.sin_family = AF_INET};
        const char *p = where;
        uint64_t port;
        int one = 1;

        if (sscanf(p, "%" SCNu64, &port) != 1 || port == 0 || port > 65535 ||
            strspn(p, "0123456789") != strlen(p)) {
            fprintf(stderr, "ctcg-riscv64: -g: invalid port '%s'\n", where);
            return -1;
        }
        sa.sin_port = htons((uint16_t)port);
        sa.sin_addr.s_addr = htonl(INADDR_ANY);
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd >= 0) {
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        }
        if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
            listen(fd, 1) < 0) {
            fprintf(stderr, "ctcg-riscv64: -g: cannot listen on port %s: %s\n",
                    where, strerror(errno));
            return -1;
        }
    }
    return fd;
}

int gdb_io_connect(const char *where)
{
    int lfd = listen_on(where), one = 1;

    if (lfd < 0) {
        return -1;
    }
    do {
        sock_fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    } while (sock_fd < 0 && errno == EINTR);
    close(lfd);
    if (strchr(where, '/')) {
        unlink(where);
    }
    if (sock_fd < 0) {
        fprintf(stderr, "ctcg-riscv64: -g: %s\n", strerror(errno));
        return -1;
    }
    setsockopt(sock_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    syscall_emulator_fd_add(&sock_fd); /* the guest cannot close it */
    return 0;
}
