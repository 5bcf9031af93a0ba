/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdbstub's packet layer without I/O (gdbstub-pkt.c): framing,
 * checksums, escapes, run-length encoding, the receive state machine and
 * hex decoding.  Pure functions, unit-tested in tests/unit/test_gdbstub.c.
 */
#ifndef LINUX_USER_GDBSTUB_PKT_H
#define LINUX_USER_GDBSTUB_PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GDB_PKT_MAX 16384 /* PacketSize=4000 (hex) */

/**
 * gdb_hexval() - the value of hex digit @c (either case), or -1.
 */
int gdb_hexval(int c);

/**
 * gdb_parse_hex() - parse 1 to 16 hex digits at *@p into *@v and move *@p
 * past them.  Returns: false (nothing changed) when there is no digit or
 * more than 16.
 */
bool gdb_parse_hex(const char **p, uint64_t *v);

/**
 * gdb_hex_decode() - @n bytes from the 2 * @n hex digits at @in.
 * Returns: false on a bad digit (or the end of the string) among them.
 */
bool gdb_hex_decode(uint8_t *out, const char *in, size_t n);

/**
 * gdb_unescape() - the binary data of an X packet: @len characters at
 * @in, where '}' escapes the next one (xor 0x20), into at most @max bytes.
 * Returns: the bytes decoded (a '}' at the very end is left out).
 */
size_t gdb_unescape(uint8_t *out, size_t max, const char *in, size_t len);

/**
 * gdb_pkt_encode() - frame @len bytes of @data as "$data#xx" into @out
 * (@size bytes, at least 5): '$', '#', '}' and '*' escaped, runs of 4 or
 * more identical characters run-length encoded, the checksum of what is
 * between '$' and '#'.  Data that does not fit is cut off.
 * Returns: the length of the packet (no NUL is added), 0 if @size < 5.
 */
size_t gdb_pkt_encode(char *out, size_t size, const char *data, size_t len);

/* The receive state machine: gdb_rx_byte() for each byte that arrives. */
enum {
    GDB_RXS_IDLE,
    GDB_RXS_DATA,
    GDB_RXS_SUM1,
    GDB_RXS_SUM2
};

typedef struct GdbRx {
    int state; /* GDB_RXS_* */
    size_t len;
    uint8_t sum;
    int sum1;
    bool overflow;
    char buf[GDB_PKT_MAX + 1]; /* the packet, NUL-terminated */
} GdbRx;

enum {
    GDB_RX_MORE,   /* nothing yet */
    GDB_RX_PACKET, /* buf/len hold a packet: ack it ('+') */
    GDB_RX_BAD,    /* a bad checksum or an over-long packet: '-' */
    GDB_RX_INTR,   /* 0x03 outside a packet: Ctrl-C */
    GDB_RX_NAK     /* '-' from gdb: send the last packet again */
};

/**
 * gdb_rx_init() - an idle receiver.
 */
void gdb_rx_init(GdbRx *r);

/**
 * gdb_rx_byte() - feed byte @c.  A '$' inside a packet starts a new one
 * (the first was truncated); '+' and other bytes outside packets are
 * ignored.  Returns: GDB_RX_*.
 */
int gdb_rx_byte(GdbRx *r, uint8_t c);

#endif
