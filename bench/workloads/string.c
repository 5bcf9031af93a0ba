// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * string: the C library's string and memory routines (memcpy, memmove,
 * memset, memcmp, strlen, strcmp, strchr, strcpy) on short and medium
 * buffers at varying alignments.  The guest runs riscv64 glibc's
 * routines, the host x86-64 glibc's: the work is the same, the code is
 * not.  argv[1]: number of rounds.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BUF 4096
#define NSTR 64

static char src[BUF + 64], dst[BUF + 64];
static char strs[NSTR][80];

static uint32_t mix(uint32_t h, uint32_t v)
{
    h ^= v;
    h *= 0x01000193u;
    return h;
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 1000;
    uint32_t h = 0x811c9dc5u;
    uint32_t seed = 1;

    for (int i = 0; i < BUF + 64; i++) {
        seed = seed * 1103515245u + 12345u;
        src[i] = (char)('a' + (seed >> 16) % 26);
    }
    for (int i = 0; i < NSTR; i++) {
        int len = 8 + (i * 7) % 64;
        memcpy(strs[i], src + i * 13, (size_t)len);
        strs[i][len] = 0;
        if (i & 1) {
            strs[i][len / 2] = 'A'; /* differ half way */
        }
    }
    for (long r = 0; r < rounds; r++) {
        int a = (int)(r & 7), b = (int)((r >> 3) & 7);
        size_t n = 256 + (size_t)((r * 389) % (BUF - 256));

        memcpy(dst + a, src + b, n);
        h = mix(h, (uint32_t)(unsigned char)dst[a + n / 2]);
        memmove(dst + a + 3, dst + a, n / 2);
        h = mix(h, (uint32_t)memcmp(dst + a, src + b, n) > 0);
        memset(dst + b, (int)(r & 0x7f), n / 3);
        h = mix(h, (uint32_t)(unsigned char)dst[b + n / 4]);
        for (int i = 0; i < NSTR; i++) {
            const char *s = strs[i], *t = strs[(i + r) % NSTR];
            int c = strcmp(s, t);
            h = mix(h, (uint32_t)strlen(s) + (uint32_t)(c > 0) -
                           (uint32_t)(c < 0));
            const char *p = strchr(s, 'a' + (int)(r % 26));
            h = mix(h, p ? (uint32_t)(p - s) : 0xffu);
        }
        dst[a + 100] = 0;
        strcpy(strs[r % NSTR] + 70, "xyz");
        h = mix(h, (uint32_t)strlen(dst + a));
        h = mix(h, (uint32_t)strncmp(dst, src, 64) != 0);
    }
    printf("string rounds=%ld hash=%08x\n", rounds, h);
    return 0;
}
