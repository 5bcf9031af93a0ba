/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Code fingerprints: which TBs does a fence.i really have to drop?
 *
 * fence.i and riscv_flush_icache promise that code stored before them is
 * what runs after them, whatever range the program names (Linux ignores
 * it).  Without store tracking every TB of a writable page is suspect, and
 * a JIT (HotSpot flushes after each code-cache change) would see its whole
 * code cache translated again at each call.  Instead each TB records a
 * 64-bit hash of the guest bytes it was translated from; fence.i re-hashes
 * the TBs of writable pages and drops only those whose bytes differ
 * (tb_invalidate_changed in tb-inval.c).
 *
 * What is hashed must be what the translator read, even when another
 * thread stores to the code meanwhile.  translator_fetch notes every byte
 * it hands the translator in a shadow of the two pages a TB may span
 * (tb_code_note), kept in the translating TCGContext (tcg_ctx: one thread
 * translates in a context at a time) and allocated at its first
 * translation: as static TLS it was 9 KiB that glibc clears, two or three
 * page faults, for every new host thread, translating or not; at the end (tb_code_finish) the range [lo, hi) of
 * those bytes is copied once from guest memory, the hash is taken over
 * that copy, and every fetched byte must equal the copy: then an equal
 * hash later means the fetched bytes are unchanged.  Otherwise (the code
 * changed under the translator, or a fetch outside the window) the TB is
 * marked untracked and every fence.i drops it, as before.  A fence.i that
 * runs during the translation is caught by the page generation
 * (tb_page_add_publish refuses the TB).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/translator.h"
#include "tcg/log.h"
#include "tcg/tcg.h"

#define CODE_PAGE 4096u
#define CODE_WINDOW (2 * CODE_PAGE) /* a TB spans at most two pages */

struct CodeShadow {
    bool active;
    bool overflow;    /* a fetch fell outside the window */
    uint64_t base;    /* window start: the first fetch's page */
    uint64_t lo, hi;  /* fetched bytes, absolute guest addresses */
    uint64_t ok_page; /* a page translator_fetch checked in this TB, or 1 */
    uint64_t seen[CODE_WINDOW / 64];
    uint8_t bytes[CODE_WINDOW];
};
typedef struct CodeShadow CodeShadow;

/* 8 bytes at a time, multiply-rotate mixing; not cryptographic. */
static uint64_t code_hash(const uint8_t *p, size_t len)
{
    uint64_t h = 0x9e3779b97f4a7c15ull ^ len;
    uint64_t w;

    for (; len >= 8; p += 8, len -= 8) {
        memcpy(&w, p, 8);
        h = (h ^ (w * 0xff51afd7ed558ccdull)) * 0xc4ceb9fe1a85ec53ull;
        h ^= h >> 31;
    }
    if (len) {
        w = 0;
        memcpy(&w, p, len);
        h = (h ^ (w * 0xff51afd7ed558ccdull)) * 0xc4ceb9fe1a85ec53ull;
    }
    return h ^ (h >> 29);
}

/**
 * tb_code_start() - start recording the bytes of a new translation.
 * @pc: the TB's first guest address.
 */
void tb_code_start(uint64_t pc)
{
    CodeShadow *c = tcg_ctx->code_shadow;

    if (c == NULL) {
        c = calloc(1, sizeof(*c)); /* seen[] starts clear */
        if (c == NULL) {
            tcg_out_of_memory("code shadow");
        }
        tcg_ctx->code_shadow = c;
    }

    c->active = true;
    c->overflow = false;
    c->base = pc & ~(uint64_t)(CODE_PAGE - 1);
    c->lo = UINT64_MAX;
    c->hi = 0;
    /*
     * No page: 1 is no page start.  (The XOR test this replaces took 1 as
     * page 0 and ~0 as the top page: fetches there went unchecked.)
     */
    c->ok_page = 1;
    /*
     * seen[] is clear: tb_code_finish clears the words it used (a TB
     * touches a few of its 128; clearing all 1 KiB cost 180 instructions
     * a translation).
     */
}

/*
 * tb_code_note() - record @len bytes at @addr handed to the translator.
 * @addr: guest address fetched.
 * @buf: the bytes as fetched.
 * @len: their number.
 */
static inline void tb_code_note(uint64_t addr, const void *buf, size_t len)
{
    CodeShadow *c = tcg_ctx ? tcg_ctx->code_shadow : NULL;
    uint64_t off;

    if (c == NULL || !c->active) {
        return;
    }
    off = addr - c->base;
    if (addr < c->base || off + len > CODE_WINDOW) {
        c->overflow = true;
        return;
    }
    if (len == 2 && !(off & 1)) {
        /* An instruction parcel: 2 bytes, 2 bits of one word. */
        memcpy(c->bytes + off, buf, 2);
        c->seen[off / 64] |= 3ull << (off % 64);
    } else if (len == 4 && off % 64 <= 60) {
        /* the direct tier's fetches (translate-direct.c): one word too */
        memcpy(c->bytes + off, buf, 4);
        c->seen[off / 64] |= 15ull << (off % 64);
    } else {
        memcpy(c->bytes + off, buf, len);
        for (size_t i = 0; i < len; i++) {
            c->seen[(off + i) / 64] |= 1ull << ((off + i) % 64);
        }
    }
    c->lo = addr < c->lo ? addr : c->lo;
    c->hi = addr + len > c->hi ? addr + len : c->hi;
}

/*
 * translator_fetch() checks the page once a translation: the flags lookup
 * (and the write protection of a writable code page) twice an instruction
 * was 6% of translation time.  A page whose flags change during the
 * translation is caught as before, by the page generation at publish.
 */
bool translator_fetch(uint64_t addr, void *buf, size_t len)
{
    CodeShadow *c = tcg_ctx ? tcg_ctx->code_shadow : NULL;

    if (addr + len < addr) {
        return false;
    }
    if (c != NULL && c->active &&
        (addr & ~(uint64_t)(CODE_PAGE - 1)) == c->ok_page &&
        ((addr + len - 1) & ~(uint64_t)(CODE_PAGE - 1)) == c->ok_page) {
        /* this translation has checked the page already */
    } else if (translator_fetch_check) {
        if (!translator_fetch_check(addr, len)) {
            return false;
        }
        if (c != NULL) {
            c->ok_page = addr & ~(uint64_t)(CODE_PAGE - 1);
        }
    } else if (current_cpu &&
               ((addr + len - 1) & current_cpu->env->hdr.guest_addr_mask)) {
        return false;
    }
    if (len == 2) { /* the translator's fetches: no memcpy call */
        memcpy(buf, (void *)(tcg_guest_base + addr), 2);
    } else if (len == 4) {
        memcpy(buf, (void *)(tcg_guest_base + addr), 4);
    } else {
        memcpy(buf, (void *)(tcg_guest_base + addr), len);
    }
    tb_code_note(addr, buf, len);
    return true;
}

/*
 * Do the fetched bytes of [off, off+len) of the window equal @copy?  Eight
 * bytes a step: a byte-wise loop was half of tb_code_finish.
 */
static bool code_same(const CodeShadow *c, const uint8_t *copy, uint64_t off,
                      uint64_t len)
{
    uint64_t i = 0;

    for (; i < len && (off + i) % 8; i++) {
        if ((c->seen[(off + i) / 64] >> ((off + i) % 64) & 1) &&
            copy[i] != c->bytes[off + i]) {
            return false;
        }
    }
    for (; i + 8 <= len; i += 8) {
        uint64_t seen = c->seen[(off + i) / 64] >> ((off + i) % 64) & 0xff;
        uint64_t mask = 0, a, b;

        if (seen == 0) {
            continue;
        }
        if (seen == 0xff) {
            mask = ~0ull;
        } else {
            for (int k = 0; k < 8; k++) {
                mask |= (seen >> k & 1) * (0xffull << (8 * k));
            }
        }
        memcpy(&a, copy + i, 8);
        memcpy(&b, c->bytes + off + i, 8);
        if ((a ^ b) & mask) {
            return false;
        }
    }
    for (; i < len; i++) {
        if ((c->seen[(off + i) / 64] >> ((off + i) % 64) & 1) &&
            copy[i] != c->bytes[off + i]) {
            return false;
        }
    }
    return true;
}

/*
 * The direct tier fetches the rest of a 64-byte block at once and decodes
 * from its copy: one note (one seen[] word, one 64-byte copy) for about
 * 20 instructions, where a fetch and note an instruction cost about 50
 * host instructions each.  The bytes after the TB's last instruction up
 * to the block's end are noted too: its fingerprint covers them, which
 * only makes fence.i drop it more readily.  The page is checked as in
 * translator_fetch, once a translation.
 */
bool translator_fetch_block(uint64_t addr, uint8_t block[64])
{
    CodeShadow *c = tcg_ctx ? tcg_ctx->code_shadow : NULL;
    uint64_t page = addr & ~(uint64_t)(CODE_PAGE - 1);
    uint64_t base = addr & ~(uint64_t)63, off;

    if (c == NULL || !c->active || base < c->base ||
        base - c->base > CODE_WINDOW - 64) {
        /* no shadow, or outside the window: the generic path */
        return translator_fetch(addr, block + (addr & 63), 64 - (addr & 63));
    }
    if (page != c->ok_page) {
        if (translator_fetch_check) {
            if (!translator_fetch_check(addr, 64 - (addr & 63))) {
                return false;
            }
            c->ok_page = page;
        } else if (current_cpu &&
                   ((base + 63) & current_cpu->env->hdr.guest_addr_mask)) {
            return false;
        }
    }
    /* the whole block: its bytes before @addr are in the same page */
    off = base - c->base;
    memcpy(block, (void *)(tcg_guest_base + base), 64);
    if (c->seen[off / 64] != 0 && !code_same(c, block, off, 64)) {
        /* fetched before, and changed since: what was decoded is lost */
        c->overflow = true;
    }
    memcpy(c->bytes + off, block, 64);
    c->seen[off / 64] |= ~0ull << (addr & 63);
    c->lo = addr < c->lo ? addr : c->lo;
    c->hi = base + 64 > c->hi ? base + 64 : c->hi;
    return true;
}

/**
 * tb_code_finish() - fingerprint the bytes @tb was translated from.
 * @tb: the new TB, not yet published.
 */
void tb_code_finish(TranslationBlock *tb)
{
    CodeShadow *c = tcg_ctx->code_shadow;
    uint8_t copy[CODE_WINDOW];
    uint64_t len = c->hi > c->lo ? c->hi - c->lo : 0;
    uint64_t off = c->lo - c->base;

    bool same;

    c->active = false;
    tb->code_untracked = true;
    if (len == 0) {
        return; /* nothing noted, nothing to clear */
    }
    if (c->overflow) {
        same = false;
    } else {
        memcpy(copy, (const void *)(tcg_guest_base + c->lo), len);
        same = code_same(c, copy, off, len);
    }
    /* the words of seen[] this TB set: all within [lo, hi) */
    memset(&c->seen[off / 64], 0,
           ((off + len - 1) / 64 - off / 64 + 1) * sizeof(c->seen[0]));
    if (!same) {
        return; /* changed under the translator */
    }
    tb->code_lo = c->lo;
    tb->code_len = (uint32_t)len;
    tb->code_hash = code_hash(copy, len);
    tb->code_untracked = false;
}

/**
 * tb_code_changed() - may the guest bytes of @tb differ from its code?
 * @tb: a TB; its pages must still be mapped and readable.
 *
 * Return: true when @tb is untracked or its bytes hash differently now.
 */
bool tb_code_changed(const TranslationBlock *tb)
{
    if (tb->code_untracked) {
        return true;
    }
    return code_hash((const uint8_t *)(tcg_guest_base + tb->code_lo),
                     tb->code_len) != tb->code_hash;
}
