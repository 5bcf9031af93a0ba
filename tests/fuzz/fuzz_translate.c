/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target: the RISC-V decoder and translator, the optimizer and
 * the x86-64 backend (target-riscv/translate.c, tcg/).
 *
 * Design
 * ------
 * The input's first byte picks how to translate, the rest are
 * instruction bytes (any mix of 16- and 32-bit encodings, valid or not):
 *
 *   bit 0   the hot tier (superblocks that follow branches) or cold TBs
 *   bit 1   one instruction per TB (CF_COUNT_MASK = 1)
 *   bit 2   translate again at every 2-byte offset of the first 64 bytes,
 *           so a TB can start in the middle of a 32-bit instruction
 *
 * The bytes are copied to the start of a CODE_SIZE area of guest memory
 * (guest base 0, as tests/unit/riscv-harness.h), zero-filled behind; the
 * fetch hook allows only that area, so a TB that runs off its end or a
 * superblock that follows a branch out of it stops there as it would at an
 * unmapped page.  Nothing is executed: the property is that translating
 * any bytes never crashes, asserts, or overruns the code buffer.  After
 * each input its TBs are invalidated, so the next input translates
 * afresh, and every FLUSH_EVERY inputs the code buffer is flushed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "accel/tcg/cpu-exec.h"
#include "accel/tcg/tb.h"
#include "accel/tcg/translator.h"
#include "target-riscv/cpu.h"
#include "tcg/tcg.h"

#define CODE_SIZE (16 * 1024)
#define FLUSH_EVERY 256

static uint8_t *code;
static CPUState *cpu;
static unsigned inputs;
static size_t code_used; /* bytes of the last input in code[] */

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* translator_fetch_check: only the code area is mapped. */
static bool fuzz_fetch_ok(uint64_t addr, size_t len)
{
    uint64_t lo = (uint64_t)(uintptr_t)code;

    return addr >= lo && len <= CODE_SIZE && addr - lo <= CODE_SIZE - len;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    RISCVCPUConfig cfg;
    CPURISCVState *env;

    (void)argc, (void)argv;
    if (tcg_init(0, 0, 0) != 0 || riscv_cpu_parse_model("max", &cfg) != 0) {
        abort();
    }
    riscv_translate_init();
    cpu_exec_init();
    env = riscv_cpu_init(&cfg);
    if (env == NULL) {
        abort();
    }
    cpu = cpu_exec_init_thread(env);
    translator_fetch_check = fuzz_fetch_ok;
    code = mmap(NULL, CODE_SIZE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) {
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t pc = (uint64_t)(uintptr_t)code;
    uint32_t cflags;
    bool hot;
    int offsets;

    if (size < 1) {
        return 0;
    }
    hot = data[0] & 1;
    cflags = data[0] & 2 ? 1 : 0;
    offsets = data[0] & 4 ? 32 : 1;
    data++, size--;
    if (size > CODE_SIZE) {
        size = CODE_SIZE;
    }
    memcpy(code, data, size);
    /* zero only what the last input left behind (the rest is zero) */
    if (code_used > size) {
        memset(code + size, 0, code_used - size);
    }
    code_used = size;
    for (int i = 0; i < offsets; i++) {
        (void)tb_gen_code(cpu, pc + 2 * i, 0, cflags, hot);
    }
    /*
     * Drop this input's TBs; flush the code buffer (256 MiB) now and then,
     * long before it could fill (tb_flush() would longjmp to a cpu_exec()
     * that is not running).
     */
    tb_invalidate_range(pc, pc + CODE_SIZE, TB_INVAL_MUNMAP);
    if (++inputs % FLUSH_EVERY == 0) {
        tb_fence_i(cpu); /* no tb_page_writable hook: a full flush */
    }
    return 0;
}
