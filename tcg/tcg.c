/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCG core: contexts, temps, ops, liveness, register allocation and the
 * code generation driver.
 *
 * Pipeline for one TB (tcg_gen_code):
 *   ops built by tcg_gen_* -> tcg_optimize -> loop TBs: range checks
 *   moved to the loops' entries (tcg_gen_loop_checks, loopcheck.c) ->
 *   tcg_liveness_analysis -> peepholes that need liveness
 *   (tcg_fold_output_moves, tcg_fold_shift_ext and its 32-bit logic ops)
 *   -> register allocation + host code emission (one forward pass) ->
 *   slow paths, label relocations, search data.
 *
 * Liveness (backward) records for every op which arguments die there
 * (dead_args) and which outputs must be stored to their memory slot
 * (sync_args).  Its rules:
 *   - at the end of the TB and at unconditional block ends (br, set_label,
 *     exits) globals and TB temps must be in memory, EBB temps are dead;
 *   - before a conditional branch globals and TB temps must be in memory
 *     but may stay in registers for the fall-through path;
 *   - before an op with side effects (guest memory access, env store,
 *     barrier) globals must be in memory, so a fault can restore the
 *     guest state from env; not before stores to env outside the
 *     globals' slots and vecops on env alone (op_syncs_globals): neither
 *     faults nor reads a global's slot;
 *   - a helper call kills globals (they must be in memory and are
 *     reloaded afterwards) unless its flags say it neither reads nor
 *     writes them;
 *   - pinned globals (tcg_pin_global) are also live in their registers at
 *     every block end: the allocator puts each in its own register and
 *     syncs it before every branch to a label and at every label, so a
 *     loop inside the TB carries them in registers.
 * The allocator then keeps, for each temp, where its value is (register,
 * memory slot, constant, nowhere) and follows each op's register
 * constraints from the backend.
 *
 * Threading: everything here works on the calling thread's context and on
 * tables that are read-only after tcg_init() (see tcg.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cpuid.h>

#include "config-host.h"
#include "tcg/tcg.h"
#include "tcg/tcg-direct.h"
#include "tcg/tcg-op.h"
#include "tcg/log.h"
#include "tcg/sanitizer.h"
#include "accel/tcg/tb.h"

const TCGOpDef tcg_op_defs[NB_OPS] = {
#define DEF(s, oargs, iargs, cargs, flags) \
    [INDEX_op_##s] = {#s, oargs, iargs, cargs, flags},
#include "tcg/tcg-opc.h"
};

__thread TCGContext *tcg_ctx;
TCGContext tcg_init_ctx;
uintptr_t tcg_guest_base;
const void *tcg_code_gen_epilogue;
TCGPrologueFn tcg_qemu_tb_exec;
FILE *tcg_logfile;
bool tcg_have_lzcnt, tcg_have_bmi1, tcg_have_popcnt, tcg_have_bmi2;
bool tcg_have_fma;
bool tcg_have_sse41;

static void tcg_default_guest_fault(void *env, uint64_t addr, uint32_t info,
                                    uintptr_t retaddr)
{
    (void)env;
    fprintf(stderr,
            "ctcg: guest access fault at 0x%" PRIx64 " (memop 0x%x), "
            "host pc %p, and no fault handler installed\n",
            addr, info, (void *)retaddr);
    abort();
}

TCGGuestFaultFn tcg_guest_fault_fn = tcg_default_guest_fault;

/* Constraints, parsed once from the backend's strings. */
static TCGArgConstraint tcg_op_ct[NB_OPS][TCG_TYPE_COUNT][TCG_MAX_OP_ARGS];
static TCGRegSet tcg_target_call_clobber_regs;
static TCGRegSet tcg_target_available_regs;

#define TCG_HIGHWATER 1024
#define TCG_ALL_REGS ((TCGRegSet)((1u << TCG_TARGET_NB_REGS) - 1))

static void tcg_out_reloc(TCGContext *s, uint8_t *ptr, TCGLabel *l);
static int64_t tcg_out_ldst_label(TCGContext *s, TCGLdstLabel **plbl);

#include "tcg/x86_64/tcg-target.c.inc"

/* Relocations: label references patched once all code is emitted. */
static void tcg_out_reloc(TCGContext *s, uint8_t *ptr, TCGLabel *l)
{
    if (s->nb_relocs >= TCG_MAX_RELOCS) {
        s->overflow = true;
        return;
    }
    s->relocs[s->nb_relocs].ptr = ptr;
    s->relocs[s->nb_relocs].label = l;
    s->nb_relocs++;
}

static void tcg_resolve_relocs(TCGContext *s)
{
    for (int i = 0; i < s->nb_relocs; i++) {
        TCGRelocation *r = &s->relocs[i];
        intptr_t disp = r->label->value - (uintptr_t)(r->ptr + 4);

        assert(r->label->has_value && "branch to a label never set");
        assert(disp == (int32_t)disp);
        memcpy(r->ptr, &(int32_t){(int32_t)disp}, 4);
    }
    s->nb_relocs = 0;
}

static int64_t tcg_out_ldst_label(TCGContext *s, TCGLdstLabel **plbl)
{
    if (s->nb_ldst >= TCG_MAX_LDST) {
        s->overflow = true;
        *plbl = &s->ldst[0]; /* scratch; the TB is retried */
        return -1;
    }
    *plbl = &s->ldst[s->nb_ldst];
    return s->nb_ldst++;
}

/*
 * Constraint parsing.  Letters: r any register; a c d S D one register;
 * x any but rax/rdx; 0-9 alias of that output; & new register; i any
 * constant; e sign-extended 32-bit; Z zero; W zero-extended 32-bit.
 */
static void tcg_parse_constraint(TCGArgConstraint *ct, const char *str,
                                 int nb_oargs, TCGArgConstraint *all)
{
    for (const char *p = str; *p; p++) {
        switch (*p) {
        case '0' ... '9': {
            int o = *p - '0';
            assert(o < nb_oargs && "alias of a missing output");
            *ct = all[o];
            ct->ialias = true;
            ct->oalias = false;
            ct->alias_index = o;
            all[o].oalias = true;
            all[o].alias_index = (uint8_t)(ct - all);
            break;
        }
        case '&':
            ct->newreg = true;
            break;
        case 'i':
            ct->ct |= TCG_CT_CONST;
            break;
        case 'e':
            ct->ct |= TCG_CT_CONST_S32;
            break;
        case 'W':
            ct->ct |= TCG_CT_CONST_U32;
            break;
        case 'Z':
            ct->ct |= TCG_CT_CONST_ZERO;
            break;
        default:
            ct->regs |= tcg_target_parse_reg_letter(*p);
            break;
        }
    }
}

static void tcg_constraints_init(void)
{
    for (int op = 0; op < NB_OPS; op++) {
        const TCGOpDef *def = &tcg_op_defs[op];
        int n = def->nb_oargs + def->nb_iargs;

        if (def->flags & TCG_OPF_NOT_PRESENT) {
            continue;
        }
        for (int t = 0; t < TCG_TYPE_COUNT; t++) {
            const char *const *strs = tcg_target_op_def(op, t);
            TCGArgConstraint *ct = tcg_op_ct[op][t];

            if ((def->flags & TCG_OPF_64) && t == TCG_TYPE_I32) {
                continue;
            }
            assert(strs != NULL && "backend lacks constraints for an op");
            for (int i = 0; i < n; i++) {
                assert(strs[i] && "too few constraint strings");
                tcg_parse_constraint(&ct[i], strs[i], def->nb_oargs, ct);
            }
        }
    }
}

static void tcg_host_features_init(void)
{
    unsigned a, b, c, d;

    if (__get_cpuid(1, &a, &b, &c, &d)) {
        tcg_have_popcnt = (c & bit_POPCNT) != 0;
        tcg_have_sse41 = (c & bit_SSE4_1) != 0;
        /*
         * VEX-encoded FMA3 also needs the OS to save the SSE and AVX
         * state: OSXSAVE, and XCR0 bits 1 and 2.
         */
        if ((c & bit_FMA) && (c & bit_OSXSAVE) && (c & bit_AVX)) {
            uint32_t lo, hi;

            asm("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
            tcg_have_fma = (lo & 6) == 6;
        }
    }
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d)) {
        tcg_have_bmi1 = (b & bit_BMI) != 0;
        tcg_have_bmi2 = (b & bit_BMI2) != 0;
    }
    if (__get_cpuid(0x80000001, &a, &b, &c, &d)) {
        tcg_have_lzcnt = (c & bit_LZCNT) != 0;
    }
}

static TCGTemp *tcg_temp_alloc(TCGContext *s)
{
    int n = s->nb_temps++;

    assert(n < TCG_MAX_TEMPS && "out of TCG temps");
    memset(&s->temps[n], 0, sizeof(TCGTemp));
    return &s->temps[n];
}

static TCGTemp *tcg_global_reg_new(TCGContext *s, TCGType type, TCGReg reg,
                                   const char *name)
{
    TCGTemp *ts = tcg_temp_alloc(s);

    ts->type = type;
    ts->kind = TEMP_FIXED;
    ts->reg = reg;
    ts->name = name;
    s->nb_globals++;
    return ts;
}

/*
 * The prologue lives in the spare page after the code buffer, outside
 * every region (a flush never touches it) and within rel32 reach of every
 * TB.
 */
static int tcg_prologue_init(void)
{
    uint8_t *buf = tcg_region_spare_page();
    TCGContext *s = &tcg_init_ctx;

    if (buf == NULL) {
        return -ENOMEM;
    }
    s->code_buf = s->code_ptr = buf;
    s->code_highwater = buf + 4096 - 64;
    tcg_target_qemu_prologue(s);
    tcg_qemu_tb_exec = (TCGPrologueFn)(void *)buf;
    return 0;
}

void tcg_set_lookup_stub(const TCGLookupStubParams *p)
{
    /* After the prologue, in its page (tcg_prologue_init). */
    TCGContext *s = &tcg_init_ctx;

    tcg_out_lookup_stub(s, p);
    assert(s->code_ptr <= s->code_highwater && "prologue page full");
}

int tcg_init(size_t buffer_size, size_t region_size, uintptr_t guest_base)
{
    TCGContext *s = &tcg_init_ctx;
    int ret;

    if (buffer_size == 0) {
        buffer_size = 256u << 20;
    }
    if (region_size == 0) {
        /*
         * 256 KiB: ~1000 regions in the default buffer.  Threads that
         * translate a lot each hold one (see tb-maint.c, "Translation
         * contexts"), so small regions keep their unused tails small.
         */
        region_size = 256u << 10;
    }
    /*
     * No memset of *s: tcg_init_ctx has static storage, so it is zero
     * already (tcg_init runs once), and clearing its 100 KB would fault in
     * all 25 pages of it at every start-up (only the few the template
     * uses are ever touched otherwise).
     */
    tcg_guest_base = guest_base;
    tcg_host_features_init();
    tcg_target_init(s);
    tcg_constraints_init();
    ret = tcg_region_init(buffer_size, region_size);
    if (ret < 0) {
        return ret;
    }
    ret = tcg_prologue_init();
    if (ret < 0) {
        return ret;
    }
    tcg_env = temp_tcgv_ptr_of(
        s, tcg_global_reg_new(s, TCG_TYPE_PTR, TCG_AREG0, "env"));
    s->frame_temp =
        tcg_global_reg_new(s, TCG_TYPE_PTR, TCG_REG_CALL_STACK, "_frame");
    s->frame_start = 0;
    s->frame_end = TCG_STATIC_FRAME_SIZE;
    s->optimize = true;
    tcg_ctx = s;
    return 0;
}

/*
 * The env bytes that globals' slots cover (tcg_global_mem_new_internal).
 * Written while the template context is built at start-up, before any
 * vCPU thread exists; read-only afterwards (the thread start publishes it).
 */
static intptr_t tcg_globals_lo = INTPTR_MAX, tcg_globals_hi = INTPTR_MIN;

TCGTemp *tcg_global_mem_new_internal(TCGType type, intptr_t offset,
                                     const char *name)
{
    TCGContext *s = &tcg_init_ctx;
    TCGTemp *ts;

    assert(s->nb_temps == s->nb_globals &&
           "globals must be registered before any thread context");
    assert(s->nb_globals < TCG_MAX_GLOBALS && "too many globals");
    ts = tcg_temp_alloc(s);
    ts->type = type;
    ts->kind = TEMP_GLOBAL;
    ts->mem_allocated = 1;
    ts->mem_base = &s->temps[0]; /* env */
    ts->mem_offset = offset;
    if (offset < tcg_globals_lo) {
        tcg_globals_lo = offset;
    }
    if (offset + 8 > tcg_globals_hi) {
        tcg_globals_hi = offset + 8;
    }
    ts->name = name;
    s->nb_globals++;
    return ts;
}

/*
 * A context is 100 KB, mostly the temps array, of which a translation
 * uses the front: fresh zero pages from mmap fault in only what is used
 * (calloc cleared all 25 pages whenever the heap had to be reused, 25
 * page faults of a start-up of ~300).
 */
TCGContext *tcg_context_new(void)
{
    TCGContext *s = mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    TCGContext *t = &tcg_init_ctx;

    if (s == MAP_FAILED) {
        tcg_out_of_memory("translation context");
    }
    ctcg_lsan_root(s, sizeof(*s)); /* it holds ops, code_shadow */
    s->nb_globals = t->nb_globals;
    s->nb_temps = t->nb_globals;
    memcpy(s->temps, t->temps, t->nb_globals * sizeof(TCGTemp));
    /* Globals point at the template's env temp: rebase them on ours. */
    for (int i = 0; i < s->nb_globals; i++) {
        if (s->temps[i].mem_base) {
            s->temps[i].mem_base = &s->temps[t->temps[i].mem_base - t->temps];
        }
    }
    s->reserved_regs = t->reserved_regs;
    s->frame_temp = &s->temps[t->frame_temp - t->temps];
    s->frame_start = t->frame_start;
    s->frame_end = t->frame_end;
    s->max_ops = 1024;
    s->ops = malloc(s->max_ops * sizeof(TCGOp));
    if (s->ops == NULL) {
        tcg_out_of_memory("translation ops");
    }
    s->region = TCG_REGION_CURSOR_INIT;
    s->optimize = true;
    s->log_mask = tcg_log_mask;
    tcg_ctx = s;
    return s;
}

void tcg_context_free(TCGContext *s)
{
    if (tcg_ctx == s) {
        tcg_ctx = NULL;
    }
    free(s->code_shadow);
    free(s->ops);
    ctcg_lsan_unroot(s, sizeof(*s));
    munmap(s, sizeof(*s));
}

void tcg_func_start(TCGContext *s)
{
    for (int i = 0; i < s->nb_pins; i++) {
        s->pins[i]->pinned = 0;
    }
    s->nb_pins = 0;
    s->pin_regs = 0;
    s->loop_end_op = 0;
    s->nb_depth_marks = 0;
    s->kick_label = NULL;
    s->nb_temps = s->nb_globals;
    s->nb_ops = 0;
    s->nb_labels = 0;
    s->nb_tb_temps = 0;
    s->exitreq_label = NULL;
    memset(s->free_temps, 0, sizeof(s->free_temps));
    /* the slots used (a few dozen) rather than 2 KB at every TB */
    for (int i = 0; i < s->nb_const_slots; i++) {
        s->const_hash[s->const_slots[i]] = 0;
    }
    s->nb_const_slots = 0;
}

bool tcg_pin_global(TCGTemp *ts)
{
    TCGContext *s = tcg_ctx;

    assert(ts->kind == TEMP_GLOBAL && "only globals are pinned");
    if (ts->pinned) {
        return true;
    }
    for (size_t i = 0; s->nb_pins < TCG_MAX_PINS &&
                       i < sizeof(tcg_target_pin_order) / sizeof(TCGReg);
         i++) {
        TCGReg r = tcg_target_pin_order[i];

        if (!tcg_regset_test_reg(s->pin_regs, r)) {
            tcg_regset_set_reg(s->pin_regs, r);
            ts->pinned = 1;
            ts->pin_reg = r;
            s->pins[s->nb_pins++] = ts;
            return true;
        }
    }
    return false;
}

/*
 * Loop depth changes before @end, from the back edges (a br or brcond to
 * a label placed before it: the ops between are its loop, as emitted):
 * the depth of op i is the sum of delta[0..i].  Returns false when there
 * is no room to say.
 */
static bool loop_depths(TCGContext *s, int end, int16_t *delta)
{
    int16_t label_op[TCG_MAX_LABELS];

    if (end > TCG_MAX_OPS_PINNED) {
        return false;
    }
    memset(delta, 0, (end + 1) * sizeof(*delta));
    memset(label_op, 0xff, sizeof(label_op));
    for (int oi = 0; oi < end; oi++) {
        const TCGOp *op = &s->ops[oi];
        TCGLabel *l = NULL;

        if (op->opc == INDEX_op_set_label) {
            label_op[arg_label(op->args[0])->id] = oi;
        } else if (op->opc == INDEX_op_br) {
            l = arg_label(op->args[0]);
        } else if (op->opc == INDEX_op_brcond) {
            l = arg_label(op->args[3]);
        }
        if (l && label_op[l->id] >= 0) {
            delta[label_op[l->id]]++;
            delta[oi + 1]--;
        }
    }
    return true;
}

void tcg_set_loop_depth(TCGContext *s, unsigned depth)
{
    int n = s->nb_depth_marks;

    if (n > 0 && s->depth_mark[n - 1].op == s->nb_ops) {
        n--; /* no op in between: the new depth replaces the old */
    } else if (n > 0 && s->depth_mark[n - 1].depth == depth) {
        return;
    }
    assert(n < TCG_MAX_DEPTH_MARKS && "tcg_set_loop_depth: too many marks");
    if (n < TCG_MAX_DEPTH_MARKS) {
        s->depth_mark[n].op = s->nb_ops;
        s->depth_mark[n].depth = depth > 255 ? 255 : depth;
        s->nb_depth_marks = n + 1;
    }
}

/*
 * The weight of a use @depth loops deep: 1, 2, 4, 8, 16.  (4 a level pinned
 * the inner loops of intmix's CRC over its list search, which runs more
 * often: intmix 0.42 -> 0.43 s; 2 and 1 a level: 0.42 and 0.45.)
 */
static int loop_weight(int depth)
{
    return 1 << (depth < 0 ? 0 : depth > 4 ? 4 : depth);
}

/*
 * Does the op after @oi leave the TB?  What @oi writes is then stored
 * right away whether pinned or not, and what the exit reads needs no
 * register either (env->pc before an exit, at side exits inside a loop:
 * it took a pin from a guest register in compress's hash-chain walk).
 */
static bool leaves_next(const TCGContext *s, int oi)
{
    TCGOpcode o =
        oi + 1 < s->nb_ops && oi + 1 >= 0 ? s->ops[oi + 1].opc : INDEX_op_nop;

    return o == INDEX_op_exit_tb || o == INDEX_op_goto_tb ||
           o == INDEX_op_goto_ptr || o == INDEX_op_goto_lookup;
}

int tcg_pin_hot_globals(TCGContext *s)
{
    int uses[TCG_MAX_TEMPS] = {0};
    int16_t delta[TCG_MAX_OPS_PINNED + 1];
    int n = 0, depth = 0, w = 1, mark = 0;
    bool known = s->nb_depth_marks > 0;

    /*
     * Without depths from the frontend, the loop's ops only (code after
     * the last back edge runs once), nested as their op ranges say: the
     * outermost range is depth 0, as code in no loop.
     */
    int end = known || !s->loop_end_op ? s->nb_ops : s->loop_end_op;
    bool nested = !known && loop_depths(s, end, delta);

    for (int oi = 0; oi < end; oi++) {
        const TCGOp *op = &s->ops[oi];
        int nargs;

        if (nested) {
            depth += delta[oi];
            w = loop_weight(depth - 1);
        }
        for (; mark < s->nb_depth_marks && s->depth_mark[mark].op <= oi;
             mark++) {
            /* code in no loop runs once: what it uses gains nothing */
            int d = s->depth_mark[mark].depth;

            w = d ? loop_weight(d) : 0;
        }
        if (op->opc == INDEX_op_insn_start || op->opc == INDEX_op_nop ||
            leaves_next(s, oi - 1)) {
            continue; /* an exit's operand (pc) needs no register */
        }
        nargs = tcg_op_nb_oargs(op) + tcg_op_nb_iargs(op);
        for (int i = leaves_next(s, oi) ? tcg_op_nb_oargs(op) : 0; i < nargs;
             i++) {
            const TCGTemp *ts = arg_temp(op->args[i]);

            if (ts->kind == TEMP_GLOBAL) {
                /* reads count double: a global only written (env->pc
                 * before an exit) gains little from a register */
                uses[ts - s->temps] += (i < tcg_op_nb_oargs(op) ? 1 : 2) * w;
            }
        }
    }
    for (int i = 0; i < s->nb_globals; i++) {
        uses[i] = uses[i] > 1 ? uses[i] : 0;
    }
    /* Most used first; a few globals, so selection is cheap enough. */
    while (s->nb_pins < TCG_MAX_PINS) {
        int best = -1;

        for (int i = 0; i < s->nb_globals; i++) {
            if (uses[i] > 0 && (best < 0 || uses[i] > uses[best])) {
                best = i;
            }
        }
        if (best < 0 || !tcg_pin_global(&s->temps[best])) {
            break;
        }
        uses[best] = 0;
        n++;
    }
    return n;
}

TCGTemp *tcg_temp_new_internal(TCGType type, TCGTempKind kind)
{
    TCGContext *s = tcg_ctx;
    int k = kind == TEMP_TB;
    uint64_t *map = s->free_temps[k][type];
    TCGTemp *ts;

    assert(kind == TEMP_EBB || kind == TEMP_TB);
    for (int w = 0; w < TCG_MAX_TEMPS / 64; w++) {
        if (map[w]) {
            int n = w * 64 + __builtin_ctzll(map[w]);

            map[w] &= map[w] - 1;
            ts = &s->temps[n];
            ts->temp_allocated = 1;
            return ts;
        }
    }
    ts = tcg_temp_alloc(s);
    ts->type = type;
    ts->kind = kind;
    ts->temp_allocated = 1;
    if (kind == TEMP_TB) {
        s->tb_temps[s->nb_tb_temps++] = ts - s->temps;
    }
    return ts;
}

void tcg_temp_free_internal(TCGTemp *ts)
{
    TCGContext *s = tcg_ctx;
    int n = ts - s->temps;

    if (ts->kind == TEMP_CONST || ts->kind == TEMP_GLOBAL ||
        ts->kind == TEMP_FIXED) {
        return;
    }
    assert(ts->temp_allocated && "temp freed twice");
    ts->temp_allocated = 0;
    s->free_temps[ts->kind == TEMP_TB][ts->type][n / 64] |= 1ull << (n % 64);
}

TCGTemp *tcg_constant_internal(TCGType type, int64_t val)
{
    TCGContext *s = tcg_ctx;
    uint64_t h = (uint64_t)val * 0x9e3779b97f4a7c15ull + type;
    unsigned i = h >> (64 - TCG_CONST_HASH_BITS);
    TCGTemp *ts;

    if (type == TCG_TYPE_I32) {
        val = (int32_t)val;
    }
    for (;; i = (i + 1) & (TCG_CONST_HASH_SIZE - 1)) {
        uint16_t n = s->const_hash[i];

        if (n == 0) {
            break;
        }
        ts = &s->temps[n];
        if (ts->type == type && ts->val == val) {
            return ts;
        }
    }
    ts = tcg_temp_alloc(s);
    ts->type = type;
    ts->kind = TEMP_CONST;
    ts->val_type = TEMP_VAL_CONST;
    ts->val = val;
    s->const_hash[i] = ts - s->temps;
    s->const_slots[s->nb_const_slots++] = i;
    return ts;
}

TCGOp *tcg_emit_op(TCGOpcode opc, TCGType type, int nargs)
{
    TCGContext *s = tcg_ctx;
    TCGOp *op;

    tcg_debug_assert(opc == INDEX_op_call ||
                     nargs == tcg_op_defs[opc].nb_oargs +
                                  tcg_op_defs[opc].nb_iargs +
                                  tcg_op_defs[opc].nb_cargs);
    if (s->nb_ops == s->max_ops) {
        s->max_ops *= 2;
        s->ops = realloc(s->ops, s->max_ops * sizeof(TCGOp));
        if (s->ops == NULL) {
            tcg_out_of_memory("translation ops");
        }
    }
    op = &s->ops[s->nb_ops++];
    /*
     * The header only, in one store: a memset of the whole op (rep stos)
     * was 10% of translation time, and the callers (tcg_gen_op1..6,
     * tcg_gen_callN) set all @nargs arguments.
     */
    op->header = (uint64_t)opc | (uint64_t)type << 8;
    tcg_debug_assert(op->opc == opc && op->type == type);
    return op;
}

TCGLabel *gen_new_label(void)
{
    TCGContext *s = tcg_ctx;
    TCGLabel *l;

    assert(s->nb_labels < TCG_MAX_LABELS && "out of labels");
    l = &s->labels[s->nb_labels];
    memset(l, 0, sizeof(*l));
    l->id = s->nb_labels++;
    return l;
}

int tcg_op_count(const TCGContext *s, TCGOpcode opc)
{
    int n = 0;

    for (int i = 0; i < s->nb_ops; i++) {
        n += s->ops[i].opc == opc;
    }
    return n;
}

/*
 * Must globals be in memory before side-effect op @op?  Not before a
 * store to env outside every global's slot (what it writes is no
 * global's, and it reads nothing), nor before a vecop on env's vector
 * registers (its scalar comes in a register; only the guest-memory forms
 * can fault): the V code's guards, vl/vtype stores and vecops synced
 * every pinned global again after each label (v-hist: 17 stores a trip).
 */
/* Is @op a vecop on guest memory (TCG_VEC_LDG/STG: it can fault)? */
static bool op_vecop_guest(const TCGOp *op)
{
    int v = (int)(op->args[2] & 0x7f);

    return op->opc == INDEX_op_vecop && (v == TCG_VEC_LDG || v == TCG_VEC_STG);
}

static bool op_syncs_globals(const TCGContext *s, const TCGOp *op)
{
    switch (op->opc) {
    case INDEX_op_vecop:
        return op_vecop_guest(op);
    case INDEX_op_st8:
    case INDEX_op_st16:
    case INDEX_op_st32:
    case INDEX_op_st: {
        intptr_t off = (intptr_t)op->args[2];

        return arg_temp(op->args[1]) != &s->temps[0] ||
               (off < tcg_globals_hi && off + 8 > tcg_globals_lo);
    }
    default:
        return true;
    }
}

#include "tcg/tcg-liveness.c.inc"
#include "tcg/tcg-regalloc.c.inc"
#include "tcg/tcg-dump.c.inc"

/* The guest pc's global (named "pc" by the target), or NULL. */
static TCGTemp *tcg_pc_global(TCGContext *s)
{
    for (int i = 0; i < s->nb_globals; i++) {
        if (s->temps[i].name && !strcmp(s->temps[i].name, "pc")) {
            return &s->temps[i];
        }
    }
    return NULL;
}

/* The guest pc of the instruction after op @oi (a label), or -1. */
static int64_t tcg_pc_after(const TCGContext *s, int oi)
{
    for (int j = oi + 1; j < s->nb_ops; j++) {
        if (s->ops[j].opc == INDEX_op_insn_start) {
            return (int64_t)s->ops[j].args[0];
        }
    }
    return -1;
}

/*
 * tcg_loop_checks (loopcheck.c) on a loop TB, and the exits of its
 * failed checks after everything else: the entry's (nothing loaded, pc
 * set by the exec loop) and each head's (pins stored at the exit; pc
 * stored for heads inside the TB).
 */
static void tcg_gen_loop_checks(TCGContext *s, TranslationBlock *tb)
{
    TCGTemp *pc = tcg_pc_global(s);

    s->lc_nb_temps = s->lc_nb_heads = s->lc_nb_edges = 0;
    s->lc_head = s->lc_entry_label = NULL;
    if (!s->nb_pins || (tb->cflags & (CF_WATCH | CF_NODISP)) ||
        s->nb_labels + TCG_LC_HEADS + 1 > TCG_MAX_LABELS ||
        !tcg_loop_checks(s, pc != NULL)) {
        return;
    }
    for (int h = 0; h < s->lc_nb_heads; h++) {
        int64_t hpc = -1;

        for (int oi = 0; oi < s->nb_ops && hpc < 0; oi++) {
            if (s->ops[oi].opc == INDEX_op_set_label &&
                arg_label(s->ops[oi].args[0]) == s->lc_heads[h]) {
                hpc = tcg_pc_after(s, oi);
            }
        }
        s->lc_fail[h] = gen_new_label();
        s->lc_fail[h]->refs = 1;
        gen_set_label(s->lc_fail[h]);
        if (s->lc_heads[h] == s->lc_head) {
            tcg_gen_exit_tb(tb, TB_EXIT_PRECHECK);
        } else {
            assert(pc && hpc >= 0 && "a loop head without its pc");
            tcg_gen_movi_i64(temp_tcgv_i64(pc), hpc);
            tcg_gen_exit_tb(tb, TB_EXIT_PRECHECK_PC);
        }
    }
    s->lc_entry_label = gen_new_label();
    s->lc_entry_label->refs = 1;
    gen_set_label(s->lc_entry_label);
    tcg_gen_exit_tb(tb, TB_EXIT_PRECHECK);
}

/*
 * After liveness: "op t, ...; mov g, t", where the EBB temp t dies at the
 * mov, becomes "op g, ...", with the mov's liveness for g.  The value
 * then goes straight to the global's register (its pinned one, if any).
 * Liveness has already made g's old value coherent in memory wherever a
 * fault needs it, so writing g one op earlier changes nothing a fault
 * can see: op runs before the mov would have.
 */
static void tcg_fold_output_moves(TCGContext *s)
{
    for (int i = 0; i + 1 < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i], *mv = &s->ops[i + 1];
        TCGTemp *t, *g;

        if (mv->opc != INDEX_op_mov || op->opc == INDEX_op_call ||
            op->opc == INDEX_op_nop || tcg_op_nb_oargs(op) != 1 ||
            op->type != mv->type) {
            continue;
        }
        t = arg_temp(op->args[0]);
        g = arg_temp(mv->args[0]);
        if (t->kind != TEMP_EBB || arg_temp(mv->args[1]) != t ||
            !IS_DEAD_ARG(mv, 1) || g->kind != TEMP_GLOBAL) {
            continue;
        }
        op->args[0] = temp_arg(g);
        op->dead_args = (op->dead_args & ~1u) | (mv->dead_args & 1u);
        op->sync_args = (op->sync_args & ~1u) | (mv->sync_args & 1u);
        mv->opc = INDEX_op_nop;
    }
}

/* Is input @i of @op the constant @val? */
static bool op_arg_is_const(const TCGOp *op, int i, int64_t val)
{
    const TCGTemp *t = arg_temp(op->args[i]);

    return t->kind == TEMP_CONST && t->val == val;
}

/*
 * "xor t, a, b; ext32u d, t" (and, or too), with only insn_start ops
 * between, t being d or dying at the ext32u: one 32-bit op "xor d, a, b",
 * whose result x86 zero-extends (`mov r32, r32` less; threads' `xor a1,
 * a2, a4; zext.w a1, a1`).  The low 32 bits of the result depend on the
 * inputs' low 32 bits only; the 64-bit value in between is never stored
 * (no sync bit) and nothing can fault between the two.
 */
static void tcg_fold_zext32_logic(TCGContext *s, int i)
{
    TCGOp *ext = &s->ops[i], *x = NULL;
    TCGTemp *t = arg_temp(ext->args[1]);

    for (int j = i - 1; j >= 0; j--) {
        TCGOpcode o = s->ops[j].opc;

        if (o != INDEX_op_nop && o != INDEX_op_insn_start) {
            x = &s->ops[j];
            break;
        }
    }
    if (!x || x->type != TCG_TYPE_I64 ||
        (x->opc != INDEX_op_xor && x->opc != INDEX_op_and &&
         x->opc != INDEX_op_or) ||
        arg_temp(x->args[0]) != t || (x->sync_args & 1) ||
        (ext->args[0] != ext->args[1] &&
         (t->kind != TEMP_EBB || !IS_DEAD_ARG(ext, 1)))) {
        return;
    }
    x->type = TCG_TYPE_I32;
    x->args[0] = ext->args[0];
    x->dead_args = (x->dead_args & ~1u) | (ext->dead_args & 1u);
    x->sync_args = (x->sync_args & ~1u) | (ext->sync_args & 1u);
    ext->opc = INDEX_op_nop;
}

/*
 * The extension that "shl d, s, n; shr/sar d, d, n" on i64 computes: ext32u
 * or ext32s for n = 32, ext16u/ext16s for 48, ext8u/ext8s for 56, else
 * nop (no single op).
 */
static TCGOpcode shift_pair_ext(int64_t n, bool sign)
{
    switch (n) {
    case 32:
        return sign ? INDEX_op_ext32s : INDEX_op_ext32u;
    case 48:
        return sign ? INDEX_op_ext16s : INDEX_op_ext16u;
    case 56:
        return sign ? INDEX_op_ext8s : INDEX_op_ext8u;
    default:
        return INDEX_op_nop;
    }
}

/*
 * After tcg_fold_output_moves: "shl d, s, n; shr d, d, n" on i64 with n =
 * 32, 48 or 56 (the zext.w and zext.h idioms "slli rd, rs, 32; srli rd,
 * rd, 32" and "slli rd, rs, 48; srli rd, rd, 48" without Zba/Zbb), and
 * "shl; sar" (sext.h, sext.b), with only insn_start ops between them,
 * become one extension "ext32u d, s" (`mov r32, r32`), "ext16u d, s"
 * (`movzx r32, r16`), "ext16s d, s" (`movsx r64, r16`) ... instead of a
 * copy and two shifts.  The shifted value in between is never stored (no
 * sync bit on it) and nothing can fault between the two guest
 * instructions, so no one sees it.
 */
static void tcg_fold_shift_ext(TCGContext *s)
{
    for (int i = 0; i < s->nb_ops; i++) {
        TCGOp *op = &s->ops[i], *nx = NULL;
        TCGOpcode ext;

        if (op->opc != INDEX_op_shl || op->type != TCG_TYPE_I64 ||
            arg_temp(op->args[2])->kind != TEMP_CONST || (op->sync_args & 1)) {
            continue;
        }
        for (int j = i + 1; j < s->nb_ops; j++) {
            TCGOpcode o = s->ops[j].opc;

            if (o != INDEX_op_nop && o != INDEX_op_insn_start) {
                nx = &s->ops[j];
                break;
            }
        }
        if (!nx || (nx->opc != INDEX_op_shr && nx->opc != INDEX_op_sar) ||
            nx->type != TCG_TYPE_I64 ||
            !op_arg_is_const(nx, 2, arg_temp(op->args[2])->val) ||
            nx->args[0] != op->args[0] || nx->args[1] != op->args[0] ||
            (nx->sync_args >> 1 & 1)) {
            continue;
        }
        ext =
            shift_pair_ext(arg_temp(op->args[2])->val, nx->opc == INDEX_op_sar);
        if (ext == INDEX_op_nop) {
            continue;
        }
        op->opc = ext;
        op->args[2] = 0;
        op->dead_args = (op->dead_args & 2u) | (nx->dead_args & 1u);
        op->sync_args = (op->sync_args & 2u) | (nx->sync_args & 1u);
        nx->opc = INDEX_op_nop;
        if (ext == INDEX_op_ext32u) {
            tcg_fold_zext32_logic(s, i);
        }
    }
}

/*
 * The pinned globals and the sites where some were held only in their
 * registers (see tcg_restore_pins), after the search data.
 */
static bool tcg_encode_pins(TCGContext *s, TranslationBlock *tb)
{
    uint32_t *sites = (uint32_t *)s->code_ptr;

    tb->nb_pins = s->nb_pins;
    for (int i = 0; i < s->nb_pins; i++) {
        tb->pin_reg[i] = s->pins[i]->pin_reg;
        tb->pin_off[i] = (uint16_t)s->pins[i]->mem_offset;
        assert(s->pins[i]->mem_offset == tb->pin_off[i] && "env offset");
    }
    tb->nb_pin_sites = s->nb_pin_sites;
    tb->pin_sites = sites;
    if ((uint8_t *)(sites + s->nb_pin_sites) >
        s->code_highwater + TCG_HIGHWATER) {
        return false;
    }
    memcpy(sites, s->pin_sites, s->nb_pin_sites * sizeof(uint32_t));
    s->code_ptr = (uint8_t *)(sites + s->nb_pin_sites);
    return true;
}

/* LEB128: 7 bits a byte, low first, high bit set on all but the last. */
static uint8_t *put_uleb(uint8_t *p, uint64_t v)
{
    do {
        *p++ = (uint8_t)(v & 0x7f) | (v > 0x7f ? 0x80 : 0);
        v >>= 7;
    } while (v);
    return p;
}

static const uint8_t *get_uleb(const uint8_t *p, uint64_t *v)
{
    uint64_t r = 0;
    int shift = 0;

    do {
        r |= (uint64_t)(*p & 0x7f) << shift;
        shift += 7;
    } while (*p++ & 0x80);
    *v = r;
    return p;
}

/*
 * Search data, after the code: per guest instruction, the difference of
 * its pc from the previous one's (the first's from tb->pc), zigzag
 * encoded (followed jumps go backwards), and the growth of the host end
 * offset, both as LEB128.  Usually two bytes an instruction, against 12
 * for a plain table: search data was a third of the code buffer.
 */
static bool tcg_encode_search(TCGContext *s, TranslationBlock *tb)
{
    int n = s->gen_insn_count;
    uint8_t *start = s->code_ptr, *p = start;
    uint64_t pc = tb->pc;
    uint32_t end = 0;

    /* At most 10 + 5 bytes an instruction. */
    if (start + n * 15 > s->code_highwater + TCG_HIGHWATER) {
        return false;
    }
    for (int i = 0; i < n; i++) {
        uint64_t d = s->gen_insn_pc[i] - pc; /* zigzag: sign to bit 0 */

        uint64_t zd = (d << 1) ^ (0 - (d >> 63));
        uint32_t de = s->gen_insn_end_off[i] - end;

        if ((zd | de) < 0x80) {
            /* the common case: a byte each */
            p[0] = (uint8_t)zd;
            p[1] = (uint8_t)de;
            p += 2;
        } else {
            p = put_uleb(p, zd);
            p = put_uleb(p, de);
        }
        pc = s->gen_insn_pc[i];
        end = s->gen_insn_end_off[i];
    }
    tb->search = start;
    tb->icount = n;
    /* The pin sites after it are 32-bit words. */
    s->code_ptr = (uint8_t *)(((uintptr_t)p + 3) & ~(uintptr_t)3);
    return tcg_encode_pins(s, tb);
}

int64_t tcg_restore_pins(const TranslationBlock *tb, uintptr_t host_pc,
                         void *env, const uint64_t *host_regs)
{
    uintptr_t off = host_pc - (uintptr_t)tb->tc.ptr;
    int n = 0;

    for (int i = 0; i < tb->nb_pin_sites; i++) {
        if (tb->pin_sites[i] >> 8 != off) {
            continue;
        }
        for (int k = 0; k < tb->nb_pins; k++) {
            if (tb->pin_sites[i] & (1u << k)) {
                memcpy((uint8_t *)env + tb->pin_off[k],
                       &host_regs[tb->pin_reg[k]], 8);
                n++;
            }
        }
        break;
    }
    return n;
}

int64_t tcg_restore_search(const TranslationBlock *tb, uintptr_t host_pc)
{
    uintptr_t start = (uintptr_t)tb->tc.ptr;
    const uint8_t *p = tb->search;
    uint64_t pc = tb->pc, end = 0;

    if (host_pc < start || host_pc >= start + tb->tc.size) {
        return -1;
    }
    for (int i = 0; i < tb->icount; i++) {
        uint64_t zd, de;

        p = get_uleb(p, &zd);
        p = get_uleb(p, &de);
        pc += (zd >> 1) ^ -(zd & 1);
        end += de;
        if (host_pc - start < end) {
            return (int64_t)pc;
        }
    }
    return -1;
}

static void tcg_log_tb(TCGContext *s, TranslationBlock *tb, unsigned mask,
                       const char *title)
{
    FILE *f = tcg_logfile ? tcg_logfile : stderr;

    if (!(s->log_mask & mask)) {
        return;
    }
    fprintf(f, "%s TB pc=0x%" PRIx64 ":\n", title, tb->pc);
    tcg_dump_ops(s, f, false);
    fputc('\n', f);
}

/* The end of a timed phase that began at @t0: adds to @acc, returns now. */
static uint64_t tcg_phase_end(TCGContext *s, uint64_t *acc, uint64_t t0)
{
    uint64_t t;

    if (!s->time_phases) {
        return 0;
    }
    t = tcg_clock_ns();
    *acc += t - t0;
    return t;
}

int tcg_gen_code(TCGContext *s, TranslationBlock *tb)
{
    uint64_t t0 = s->time_phases ? tcg_clock_ns() : 0;
    int ret;

    s->stats.ops_in += s->nb_ops;
    tcg_log_tb(s, tb, CPU_LOG_TB_OP, "OP");
    /*
     * A cold TB runs fewer than TB_HOT_THRESHOLD times, unless it loops
     * inside itself: the optimizer would cost more than it saves.
     */
    if (s->optimize && (!tb->cold || tb->loops)) {
        tcg_optimize(s);
        tcg_log_tb(s, tb, CPU_LOG_TB_OP_OPT, "OP after optimization");
    }
    tcg_gen_loop_checks(s, tb);
    t0 = tcg_phase_end(s, &s->stats.opt_ns, t0);
    tcg_liveness_analysis(s);
    tcg_fold_output_moves(s);
    tcg_fold_shift_ext(s);
    t0 = tcg_phase_end(s, &s->stats.live_ns, t0);
    s->hot_stub = NULL;
    if (tb->cold) {
        /* count_check's exit, where no search data needs to cover it */
        s->hot_stub = s->code_ptr;
        tcg_out_exit_tb(s, (uintptr_t)tb | TB_EXIT_HOT);
        while ((uintptr_t)s->code_ptr & 15) {
            tcg_out8(s, 0xcc); /* int3 */
        }
    }
    s->code_buf = s->code_ptr;
    tb->tc.ptr = s->code_buf;
    for (int i = 0; i < TB_MAX_JMPS; i++) {
        tb->jmp_insn_offset[i] = TB_JMP_RESET_OFFSET_INVALID;
        tb->jmp_reset_offset[i] = TB_JMP_RESET_OFFSET_INVALID;
    }
    s->gen_tb = tb;
    /* Loops keep guest_addr_mask in a register; others load it. */
    s->mask_in_reg = s->nb_pins > 0;
    if (s->mask_in_reg) {
        tcg_regset_set_reg(s->reserved_regs, TCG_TARGET_MASK_REG);
    }
    ret = tcg_reg_alloc_code(s);
    tcg_regset_reset_reg(s->reserved_regs, TCG_TARGET_MASK_REG);
    if (ret >= 0) {
        tcg_resolve_relocs(s);
        tb->tc.size = s->code_ptr - s->code_buf;
        ret = tcg_encode_search(s, tb) ? 0 : -1;
    }
    tcg_phase_end(s, &s->stats.emit_ns, t0);
    if (ret < 0) {
        s->stats.restarts++;
        return ret;
    }
    s->stats.tb_gen++;
    s->stats.code_bytes += tb->tc.size;
    if (s->log_mask & CPU_LOG_TB_OUT_ASM) {
        FILE *f = tcg_logfile ? tcg_logfile : stderr;

        fprintf(f, "OUT: [size=%u]\n", tb->tc.size);
        tcg_log_disas_host(f, tb->tc.ptr, tb->tc.size);
        fputc('\n', f);
    }
    return tb->tc.size;
}

TranslationBlock *tcg_tb_alloc(TCGContext *s)
{
    TranslationBlock *tb;
    size_t room;

    for (;;) {
        tb = tcg_region_alloc(&s->region, sizeof(*tb), 64);
        if (tb == NULL) {
            return NULL;
        }
        room = tcg_region_room(&s->region);
        if (room > 2 * TCG_HIGHWATER) {
            break;
        }
        /* Too little left for a useful TB: move to a fresh region. */
        if (!tcg_region_claim(&s->region)) {
            return NULL;
        }
    }
    memset(tb, 0, sizeof(*tb));
    s->code_ptr = (uint8_t *)(((uintptr_t)s->region.ptr + 15) & ~15ul);
    s->code_highwater = s->region.end - TCG_HIGHWATER;
    return tb;
}

void tcg_tb_commit(TCGContext *s, TranslationBlock *tb)
{
    tcg_region_commit(&s->region, s->code_ptr);
    tcg_tb_insert(tb);
}

#include "tcg/x86_64/tcg-target-direct.c.inc"

#ifdef CONFIG_CAPSTONE
#include <capstone/capstone.h>
#define CTCG_XSTR(x) #x
#define CTCG_STR(x) CTCG_XSTR(x)
#include <dlfcn.h>
#include <pthread.h>

/* Capstone's entry points, from dlopen on first use (see meson.build). */
static struct {
    cs_err (*open)(cs_arch, cs_mode, csh *);
    size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t,
                     cs_insn **);
    void (*free)(cs_insn *, size_t);
    cs_err (*close)(csh *);
} capstone;
static pthread_once_t capstone_once = PTHREAD_ONCE_INIT;

static void capstone_load(void)
{
    void *h = dlopen("libcapstone.so." CTCG_STR(CS_API_MAJOR), RTLD_NOW);

    if (h == NULL) {
        h = dlopen("libcapstone.so", RTLD_NOW);
    }
    if (h == NULL) {
        return;
    }
    capstone.disasm = (size_t(*)(csh, const uint8_t *, size_t, uint64_t, size_t,
                                 cs_insn **))dlsym(h, "cs_disasm");
    capstone.free = (void (*)(cs_insn *, size_t))dlsym(h, "cs_free");
    capstone.close = (cs_err(*)(csh *))dlsym(h, "cs_close");
    /* Last: a NULL open means "unavailable" to the caller. */
    capstone.open = (cs_err(*)(cs_arch, cs_mode, csh *))dlsym(h, "cs_open");
    if (!capstone.disasm || !capstone.free || !capstone.close) {
        capstone.open = NULL;
    }
}

void tcg_log_disas_host(FILE *f, const void *code, size_t size)
{
    csh h;
    cs_insn *insn;
    size_t n;

    pthread_once(&capstone_once, capstone_load);
    if (capstone.open == NULL ||
        capstone.open(CS_ARCH_X86, CS_MODE_64, &h) != CS_ERR_OK) {
        fprintf(f, "  (capstone unavailable)\n");
        return;
    }
    n = capstone.disasm(h, code, size, (uintptr_t)code, 0, &insn);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "  0x%" PRIx64 ":  %-8s %s\n", insn[i].address,
                insn[i].mnemonic, insn[i].op_str);
    }
    if (n) {
        capstone.free(insn, n);
    }
    capstone.close(&h);
}
#else
void tcg_log_disas_host(FILE *f, const void *code, size_t size)
{
    const uint8_t *p = code;

    for (size_t i = 0; i < size; i++) {
        fprintf(f, "%s%02x", i % 16 ? " " : "\n  ", p[i]);
    }
    fputc('\n', f);
}
#endif
