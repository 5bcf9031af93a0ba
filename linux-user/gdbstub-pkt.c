/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The gdbstub's packet layer, without I/O (tests/unit/test_gdbstub.c
 * links this file alone): framing a reply ($data#checksum with escapes
 * and run-length encoding), the receive state machine (acks, 0x03, bad
 * checksums, truncated and over-long packets), unescaping binary (X)
 * data and hex decoding.  gdbstub-io.c does the socket side, gdbstub.c
 * the commands.
 *
 * Run-length encoding (replies only; gdb never sends it): a run of
 * identical plain characters is sent as the character, '*' and a count
 * character n + 29 standing for n more copies (3 <= n <= 97); counts
 * that would give '#' or '$' are lowered, as gdbserver does.  Characters
 * that need escaping ('$', '#', '}', '*') are sent escaped and never
 * run-length encoded.
 */
#include <string.h>

#include "linux-user/gdbstub-pkt.h"

int gdb_hexval(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    c |= 0x20;
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool gdb_parse_hex(const char **p, uint64_t *v)
{
    const char *s = *p;
    uint64_t r = 0;
    int d, n = 0;

    while ((d = gdb_hexval((unsigned char)*s)) >= 0 && n < 16) {
        r = r << 4 | d;
        s++, n++;
    }
    if (n == 0 || gdb_hexval((unsigned char)*s) >= 0) {
        return false;
    }
    *p = s;
    *v = r;
    return true;
}

bool gdb_hex_decode(uint8_t *out, const char *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = gdb_hexval((unsigned char)in[2 * i]);
        int lo = hi < 0 ? -1 : gdb_hexval((unsigned char)in[2 * i + 1]);

        if (lo < 0) {
            return false;
        }
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

size_t gdb_unescape(uint8_t *out, size_t max, const char *in, size_t len)
{
    size_t n = 0, i = 0;

    while (n < max && i < len) {
        char c = in[i++];

        if (c == '}') {
            if (i == len) {
                break; /* a lone escape at the end: incomplete */
            }
            c = in[i++] ^ 0x20;
        }
        out[n++] = (uint8_t)c;
    }
    return n;
}

static bool needs_escape(char c)
{
    return c == '$' || c == '#' || c == '}' || c == '*';
}

/* How many more copies of @data[0] follow it (at most 97), 0 if < 3. */
static size_t rle_count(const char *data, size_t len)
{
    size_t n = 1;

    while (n < len && n <= 97 && data[n] == data[0]) {
        n++;
    }
    n--; /* copies after the first */
    while (n + 29 == '#' || n + 29 == '$') {
        n--;
    }
    return n >= 3 ? n : 0;
}

size_t gdb_pkt_encode(char *out, size_t size, const char *data, size_t len)
{
    static const char hexd[] = "0123456789abcdef";
    unsigned char sum = 0;
    size_t n = 0;

    if (size < 5) {
        return 0;
    }
    out[n++] = '$';
    /* Each step writes at most 3 characters; 3 stay for "#xx". */
    for (size_t i = 0; i < len && n + 3 <= size - 3;) {
        char c = data[i];
        size_t run;

        if (needs_escape(c)) {
            out[n++] = '}';
            out[n++] = c ^ 0x20;
            sum += '}' + (unsigned char)(c ^ 0x20);
            i++;
            continue;
        }
        out[n++] = c;
        sum += (unsigned char)c;
        run = rle_count(data + i, len - i);
        if (run) {
            out[n++] = '*';
            out[n++] = (char)(run + 29);
            sum += '*' + (unsigned char)(run + 29);
        }
        i += 1 + run;
    }
    out[n++] = '#';
    out[n++] = hexd[sum >> 4];
    out[n++] = hexd[sum & 15];
    return n;
}

void gdb_rx_init(GdbRx *r)
{
    memset(r, 0, sizeof(*r));
}

static void rx_start(GdbRx *r)
{
    r->state = GDB_RXS_DATA;
    r->len = 0;
    r->sum = 0;
    r->overflow = false;
}

int gdb_rx_byte(GdbRx *r, uint8_t c)
{
    switch (r->state) {
    case GDB_RXS_IDLE:
        if (c == '$') {
            rx_start(r);
        } else if (c == 0x03) {
            return GDB_RX_INTR;
        } else if (c == '-') {
            return GDB_RX_NAK;
        }
        return GDB_RX_MORE; /* '+' and noise */
    case GDB_RXS_DATA:
        if (c == '#') {
            r->state = GDB_RXS_SUM1;
        } else if (c == '$') {
            rx_start(r); /* a truncated packet, then a new one */
        } else {
            r->sum += c;
            if (r->len < GDB_PKT_MAX) {
                r->buf[r->len++] = (char)c;
            } else {
                r->overflow = true;
            }
        }
        return GDB_RX_MORE;
    case GDB_RXS_SUM1:
        r->sum1 = gdb_hexval(c);
        r->state = GDB_RXS_SUM2;
        return GDB_RX_MORE;
    default:
        r->state = GDB_RXS_IDLE;
        if (r->sum1 < 0 || gdb_hexval(c) < 0 ||
            (r->sum1 << 4 | gdb_hexval(c)) != r->sum || r->overflow) {
            return GDB_RX_BAD;
        }
        r->buf[r->len] = 0;
        return GDB_RX_PACKET;
    }
}
