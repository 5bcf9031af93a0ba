/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of the gdbstub's packet layer (linux-user/gdbstub-pkt.c):
 * framing and checksums, escapes, run-length encoding (checked by
 * decoding as gdb's remote.c does), the receive state machine and hex
 * decoding.  The socket side and the commands are tested end to end by
 * the gdb suite (tests/gdb).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "linux-user/gdbstub-pkt.h"

static char pkt[2 * GDB_PKT_MAX + 8];

/* Encode @s; NUL-terminate the packet for string checks. */
static size_t encode(const char *data, size_t len)
{
    size_t n = gdb_pkt_encode(pkt, sizeof(pkt) - 1, data, len);

    pkt[n] = 0;
    return n;
}

/*
 * Decode a packet as gdb does: check the frame and checksum, expand
 * run-lengths ("c*N": N - 29 more c) and escapes.  Returns the data
 * length, or -1 if the packet is malformed.
 */
static long decode(const char *p, size_t n, char *out, size_t max)
{
    unsigned sum = 0, want;
    size_t o = 0;

    if (n < 4 || p[0] != '$' || p[n - 3] != '#') {
        return -1;
    }
    for (size_t i = 1; i < n - 3; i++) {
        sum += (unsigned char)p[i];
    }
    if (sscanf(p + n - 2, "%2x", &want) != 1 || want != (sum & 0xff)) {
        return -1;
    }
    for (size_t i = 1; i < n - 3; i++) {
        char c = p[i];

        if (c == '$' || c == '#') {
            return -1;
        }
        if (c == '*') {
            int rep = (unsigned char)p[++i] - 29;

            if (o == 0 || rep < 3 || rep > 97 || o + rep > max) {
                return -1;
            }
            memset(out + o, out[o - 1], rep);
            o += rep;
            continue;
        }
        if (c == '}') {
            c = p[++i] ^ 0x20;
        }
        if (o == max) {
            return -1;
        }
        out[o++] = c;
    }
    return (long)o;
}

static void test_gdbstub_encode_plain(void **state)
{
    (void)state;
    assert_int_equal(encode("OK", 2), 6);
    assert_string_equal(pkt, "$OK#9a");
    assert_int_equal(encode("", 0), 4);
    assert_string_equal(pkt, "$#00");
}

static void test_gdbstub_encode_escapes(void **state)
{
    static const char data[] = "a$b#c}d*e";
    char out[32];
    size_t n;

    (void)state;
    n = encode(data, 9);
    assert_string_equal(pkt, "$a}\x04"
                             "b}\x03"
                             "c}]d}\x0a"
                             "e#51");
    assert_int_equal(decode(pkt, n, out, sizeof(out)), 9);
    assert_memory_equal(out, data, 9);
}

static void test_gdbstub_encode_run_length(void **state)
{
    char data[300], out[300];
    size_t n;

    (void)state;
    /* 10 zeros: '0' and 9 more ('*', 9 + 29 = '&'). */
    memset(data, '0', 10);
    n = encode(data, 10);
    assert_string_equal(pkt, "$0*&#80");
    assert_int_equal(decode(pkt, n, out, sizeof(out)), 10);
    /* Runs of 3 or fewer stay as they are; 4 are 'a', '*', ' ' (3). */
    n = encode("aaab", 4);
    assert_string_equal(pkt, "$aaab#85");
    n = encode("aaaab", 5);
    assert_string_equal(pkt, "$a* b#0d");
    /* 7 and 8 copies would give '#' and '$' as counts: lowered. */
    for (size_t len = 5; len <= 300; len++) {
        memset(data, 'x', len);
        n = encode(data, len);
        assert_null(memchr(pkt + 1, '$', n - 4));
        assert_null(memchr(pkt + 1, '#', n - 4));
        assert_int_equal(decode(pkt, n, out, sizeof(out)), (long)len);
        assert_memory_equal(out, data, len);
    }
    /* Characters that are escaped are never run-length encoded. */
    memset(data, '*', 8);
    n = encode(data, 8);
    assert_int_equal(n, 4 + 16);
}

static void test_gdbstub_encode_round_trip(void **state)
{
    static char data[4096], out[4096];

    (void)state;
    srand(16);
    for (int round = 0; round < 200; round++) {
        size_t len = (size_t)rand() % sizeof(data);
        size_t n;

        for (size_t i = 0; i < len; i++) {
            /* Runs, specials and plain text. */
            data[i] = i && rand() % 3 == 0 ? data[i - 1]
                      : rand() % 8 == 0    ? "$#}*"[rand() % 4]
                                           : (char)(' ' + rand() % 95);
        }
        n = encode(data, len);
        assert_int_equal(decode(pkt, n, out, sizeof(out)), (long)len);
        assert_memory_equal(out, data, len);
    }
}

static void test_gdbstub_encode_cut_off(void **state)
{
    char small[16];
    size_t n;

    (void)state;
    n = gdb_pkt_encode(small, sizeof(small), "0123456789abcdefghij", 20);
    assert_true(n <= sizeof(small));
    assert_int_equal(small[0], '$');
    assert_int_equal(small[n - 3], '#');
    assert_true(decode(small, n, pkt, sizeof(pkt)) > 0);
    assert_int_equal(gdb_pkt_encode(small, 4, "x", 1), 0);
}

/* Feed @s to @r; the last result. */
static int feed(GdbRx *r, const char *s, size_t len)
{
    int res = GDB_RX_MORE;

    for (size_t i = 0; i < len; i++) {
        res = gdb_rx_byte(r, (uint8_t)s[i]);
        if (res != GDB_RX_MORE && i + 1 < len) {
            fail_msg("result %d before the end, at %zu", res, i);
        }
    }
    return res;
}

static void test_gdbstub_rx(void **state)
{
    static GdbRx r;
    static char big[GDB_PKT_MAX + 64];

    (void)state;
    gdb_rx_init(&r);
    assert_int_equal(feed(&r, "$OK#9a", 6), GDB_RX_PACKET);
    assert_string_equal(r.buf, "OK");
    assert_int_equal(r.len, 2);
    /* Checksum digits in upper case. */
    assert_int_equal(feed(&r, "$m0,4#FD", 8), GDB_RX_PACKET);
    assert_string_equal(r.buf, "m0,4");
    /* A bad checksum, a bad digit. */
    assert_int_equal(feed(&r, "$OK#9b", 6), GDB_RX_BAD);
    assert_int_equal(feed(&r, "$OK#9z", 6), GDB_RX_BAD);
    /* Acks, noise, Ctrl-C and NAK outside packets. */
    assert_int_equal(feed(&r, "+", 1), GDB_RX_MORE);
    assert_int_equal(feed(&r, "xyz", 3), GDB_RX_MORE);
    assert_int_equal(feed(&r, "\x03", 1), GDB_RX_INTR);
    assert_int_equal(feed(&r, "-", 1), GDB_RX_NAK);
    /* 0x03 inside a packet is data. */
    assert_int_equal(feed(&r, "$\x03#03", 5), GDB_RX_PACKET);
    assert_int_equal(r.buf[0], 3);
    /* A truncated packet, then a whole one. */
    assert_int_equal(feed(&r, "$abc$OK#9a", 10), GDB_RX_PACKET);
    assert_string_equal(r.buf, "OK");
    /* An over-long packet is dropped whole, then all is well again. */
    big[0] = '$';
    memset(big + 1, 'a', GDB_PKT_MAX + 10);
    memcpy(big + GDB_PKT_MAX + 11, "#00", 3);
    assert_int_equal(feed(&r, big, GDB_PKT_MAX + 14), GDB_RX_BAD);
    assert_int_equal(feed(&r, "$OK#9a", 6), GDB_RX_PACKET);
    /* What gdb_pkt_encode makes, gdb_rx_byte takes (escapes stay). */
    assert_int_equal(feed(&r, pkt, encode("qSupported", 10)), GDB_RX_PACKET);
    assert_string_equal(r.buf, "qSupported");
}

static void test_gdbstub_unescape(void **state)
{
    uint8_t out[8];

    (void)state;
    assert_int_equal(gdb_unescape(out, 8,
                                  "a}\x03"
                                  "b}]",
                                  6),
                     4);
    assert_memory_equal(out, "a#b}", 4);
    /* A lone escape at the end is incomplete. */
    assert_int_equal(gdb_unescape(out, 8, "ab}", 3), 2);
    /* At most @max bytes. */
    assert_int_equal(gdb_unescape(out, 2, "abcd", 4), 2);
    /* Binary zeros and high bytes pass. */
    assert_int_equal(gdb_unescape(out, 8, "\0\xff", 2), 2);
    assert_int_equal(out[0], 0);
    assert_int_equal(out[1], 0xff);
}

static void test_gdbstub_hex(void **state)
{
    const char *p;
    uint64_t v = 7;
    uint8_t b[4];

    (void)state;
    assert_int_equal(gdb_hexval('0'), 0);
    assert_int_equal(gdb_hexval('a'), 10);
    assert_int_equal(gdb_hexval('F'), 15);
    assert_int_equal(gdb_hexval('g'), -1);
    assert_int_equal(gdb_hexval(0), -1);
    p = "1f,8";
    assert_true(gdb_parse_hex(&p, &v));
    assert_int_equal(v, 0x1f);
    assert_string_equal(p, ",8");
    p = "ffffffffffffffff";
    assert_true(gdb_parse_hex(&p, &v));
    assert_true(v == UINT64_MAX);
    p = "10000000000000000"; /* 17 digits */
    assert_false(gdb_parse_hex(&p, &v));
    assert_string_equal(p, "10000000000000000");
    p = ",1";
    assert_false(gdb_parse_hex(&p, &v));
    assert_true(gdb_hex_decode(b, "0aFF7e00", 4));
    assert_memory_equal(b, "\x0a\xff\x7e\x00", 4);
    assert_false(gdb_hex_decode(b, "0g", 1));
    assert_false(gdb_hex_decode(b, "0a1", 2)); /* short */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gdbstub_encode_plain),
        cmocka_unit_test(test_gdbstub_encode_escapes),
        cmocka_unit_test(test_gdbstub_encode_run_length),
        cmocka_unit_test(test_gdbstub_encode_round_trip),
        cmocka_unit_test(test_gdbstub_encode_cut_off),
        cmocka_unit_test(test_gdbstub_rx),
        cmocka_unit_test(test_gdbstub_unescape),
        cmocka_unit_test(test_gdbstub_hex),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
