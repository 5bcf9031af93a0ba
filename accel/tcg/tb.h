/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TranslationBlock: one translated run of guest code.
 *
 * A TB lives in the code buffer (tcg/region.c): the struct first, then its
 * host code, then its search data (guest PC per instruction, used to restore
 * the exact guest PC when generated code faults or calls a helper that needs
 * it) and the pin sites of a loop TB (tcg_restore_pins).  A TB is created
 * by one thread and never moves; it is published to other threads by the
 * TB hash (accel/tcg/tb-hash.c), whose insert is the release point for
 * every field below that is not marked otherwise.
 *
 * Fields marked [jmp_lock] are only written with tb->jmp_lock held; see
 * accel/tcg/tb-maint.c for the chaining protocol.
 */
#ifndef ACCEL_TCG_TB_H
#define ACCEL_TCG_TB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <urcu/rculfhash.h>

#define TB_JMP_RESET_OFFSET_INVALID 0xffff

/* goto_tb slots per TB; a slot index tags TB pointers in jump lists, so
 * TBs are aligned to more than TB_MAX_JMPS (64 bytes, tcg_tb_alloc). */
#define TB_MAX_JMPS 4

/* tb->cflags */
#define CF_COUNT_MASK 0x000001ff /* max guest insns (0 = default) */
#define CF_NOCHAIN 0x00000200    /* never link this TB to others */
#define CF_DEBUG 0x00000400      /* gdbstub: breakpoints end TBs, no tiers */
#define CF_STEP 0x00000800  /* gdbstub: leave with RISCV_EXCP_DEBUG after */
#define CF_WATCH 0x00001000 /* gdbstub: accesses call helper_watch_check */
/* accesses compute rs1 + imm before the range check (no MO_OFS) */
#define CF_NODISP 0x00002000
#define CF_INVALID 0x00010000 /* TB is invalid: do not run, do not link */

/*
 * Entries of a cold TB before it is translated again, hot (see cold);
 * the default of cpu_exec_hot_threshold (-tb-hot).  4096 rather than 64
 * (session 11, docs/performance.md): start-up loops that run a few
 * hundred or thousand times (glibc's __tunables_init) stay cold, which
 * saves a static hello 28% of its host instructions.
 */
#define TB_HOT_THRESHOLD 4096

/*
 * Inline-cached indirect jumps per TB (see ic).  3: sort's cmp_rec has
 * two returns and a call in one hot TB (session 12); ic and ic_pc still
 * end at byte 64, on the TB's first cache line.
 */
#define TB_IC_SLOTS 3

typedef struct TranslationBlock TranslationBlock;

struct TranslationBlock {
    uint64_t pc;     /* guest PC of the first instruction */
    uint32_t flags;  /* target-specific state the code depends on */
    uint32_t cflags; /* CF_*; CF_INVALID set atomically under jmp_lock */
    uint32_t size;   /* guest bytes covered */
    uint16_t icount; /* guest instructions */
    /*
     * The code loops back to its own start without leaving the TB
     * (tcg_gen_loop_back): invalidating it kicks every vCPU, so none keeps
     * running the stale loop (tb-inval.c).
     */
    uint8_t loops;
    /*
     * Tiers: a TB is first translated cheaply (cold: it ends at every
     * conditional branch but a loop's back edge) and counts its entries
     * down from TB_HOT_THRESHOLD in hot_count (count_check, plain
     * non-atomic decrements from generated code: a lost update only
     * delays the switch).  At zero it leaves with TB_EXIT_HOT and the
     * exec loop replaces it with a hot translation (superblocks).  Code
     * run a few times, as start-up and generated code is, is translated
     * once and cheaply.  hot_count stays on the TB's first cache line,
     * away from any code.
     */
    uint8_t cold;
    int32_t hot_count;
    /*
     * Inline caches of the TB's indirect jumps (goto_lookup sites, one
     * slot each while they last): the TB the site jumped to last, or
     * tb_ic_none.  The site jumps to it directly if its ic_pc (below) is
     * the target: it is the TB's pc only while the TB is valid and of the
     * default kind (an invalidated TB never matches, and its memory stays
     * until a flush, which discards this TB too); otherwise the lookup
     * stub probes the jump cache and, on a hit, stores the TB found here.
     * Any thread may store (plain aligned pointer stores; readers check
     * ic_pc as the jump-cache stub does).
     * On the TB's first cache line, away from its code.
     */
    struct TranslationBlock *ic[TB_IC_SLOTS];
    /*
     * What indirect jumps compare with their target (inline-cache sites
     * and the lookup stub): pc while the TB is valid and of default
     * cflags (set once, before the TB is published), 1 otherwise (no
     * guest pc is odd): one compare instead of pc and cflags.  Written 1
     * by tb_phys_invalidate with CF_INVALID (relaxed atomic store; pairs
     * with the plain loads in generated code, as CF_INVALID does).
     */
    uint64_t ic_pc;

    /*
     * Fingerprint of the guest bytes [code_lo, code_lo + code_len) the TB
     * was translated from (tb-code.c): fence.i drops the TB only when they
     * hash differently, or always when code_untracked.
     */
    uint8_t code_untracked;
    uint32_t code_len;
    uint64_t code_lo;
    uint64_t code_hash;

    /*
     * Pinned globals not stored before some guest accesses: pin i lives
     * in host register pin_reg[i] and belongs at env + pin_off[i]; sites
     * (host offset << 8 | mask of pins held only in registers there) are
     * after the search data.  See tcg_restore_pins().
     */
    uint8_t nb_pins;
    uint8_t pin_reg[8];
    uint16_t pin_off[8];
    uint16_t nb_pin_sites;
    const uint32_t *pin_sites;

    struct {
        void *ptr;     /* host code start */
        uint32_t size; /* host code bytes (search data excluded) */
    } tc;

    /* Search data: icount entries of {guest pc, host end offset},
     * compressed (tcg.c, tcg_encode_search). */
    const uint8_t *search;

    /*
     * Direct jumps (goto_tb slot n): offset of the rel32 field of the
     * jmp in tc.ptr, and offset to reset the jump to (the code that
     * follows it and leaves the TB).  INVALID when the slot is unused.
     */
    uint16_t jmp_insn_offset[TB_MAX_JMPS];
    uint16_t jmp_reset_offset[TB_MAX_JMPS];

    /* Chaining state, see accel/tcg/tb-maint.c. */
    pthread_mutex_t jmp_lock;
    /* Slot n's destination TB: claimed by CAS from 0, reset under the
     * destination's jmp_lock; 1 once this TB is invalid (never again). */
    uintptr_t jmp_dest[TB_MAX_JMPS];
    uintptr_t
        jmp_list_next[TB_MAX_JMPS]; /* [jmp_lock of dest] incoming list link */
    uintptr_t jmp_list_head;        /* [jmp_lock] incoming jumps: tb | n */

    struct cds_lfht_node hnode; /* in the TB hash (tb-hash.c) */
};

/* TB_IC_SLOTS' promise: ic and ic_pc on the TB's first cache line. */
_Static_assert(offsetof(TranslationBlock, ic_pc) + sizeof(uint64_t) <= 64,
               "inline caches must stay on the TB's first cache line");

#endif
