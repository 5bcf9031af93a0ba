/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * difftest-gen: random RISC-V64 program generator for differential testing
 * of ctcg-riscv64 against qemu-riscv64 (see difftest.sh).
 *
 *   difftest-gen gen --category C --seed S --insns K
 *                    [--first A] [--last B] [--init DUMPFILE] [--split N] > prog.S
 *   difftest-gen compare CTCG.out QEMU.out
 *   difftest-gen show DUMPFILE x5 f3 fcsr buffer ...
 *
 * A program is a list of K "items" (one random instruction, sometimes with
 * a few set-up instructions such as "li" of an edge value, or a branch and
 * its label).  Items are generated from a PRNG seeded by (category, seed)
 * only, so item i is the same whatever K, --first and --last are: that is
 * what the driver's minimiser relies on.  --first/--last emit only a range
 * of the items; --init takes the initial register file, fcsr and scratch
 * buffer from a dump written by an earlier run (so a single item can be
 * replayed with the exact inputs it saw in the full program).  --split N
 * inserts "j 1f; 1:" every N items, ending the translation block without
 * changing what the program computes.
 *
 * Register conventions of the generated code:
 *   gp (x3)  base of the dump area (never written by random instructions)
 *   sp (x2)  = start of the scratch buffer (written only by balanced
 *            c.addi16sp pairs inside one item), deterministic in both
 *            emulators because the program sets it itself
 *   s0 (x8)  = start of the scratch buffer in the rvc category (base for
 *            c.lw/c.ld/c.sw/c.sd/c.fld/c.fsd)
 * Everything else is initialised from a seeded table of interesting values.
 *
 * Dump layout (DUMP_SIZE bytes, written to stdout with write(2)):
 *   0    x0..x31       (8 bytes each, little endian)
 *   256  f0..f31       (raw 64-bit register contents)
 *   512  fcsr          (frm << 5 | fflags)
 *   520  padding (0)
 *   576  scratch buffer (BUF_SIZE bytes)
 *
 * Nothing in the programs reads cycle/time/instret or other state that can
 * legitimately differ between two emulators, so the whole dump is compared.
 */
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFF_X      0
#define OFF_F      256
#define OFF_FCSR   512
#define OFF_BUF    576
#define BUF_SIZE   256
#define DUMP_SIZE  (OFF_BUF + BUF_SIZE)

/* ------------------------------------------------------------------ */
/* PRNG: splitmix64, fully specified so programs are identical anywhere */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static unsigned rnd(unsigned n)          /* 0 .. n-1 */
{
    return (unsigned)(rnd64() % n);
}

static int rnd_range(int lo, int hi)      /* lo .. hi inclusive */
{
    return lo + (int)rnd((unsigned)(hi - lo + 1));
}

static bool chance(unsigned percent)
{
    return rnd(100) < percent;
}

#define PICK(arr) (arr[rnd(sizeof(arr) / sizeof(arr[0]))])

/* ------------------------------------------------------------------ */
/* Interesting values */

static const uint64_t int_edges[] = {
    0, 1, 2, 3, 0xffffffffffffffffull, 0xfffffffffffffffeull,
    0x8000000000000000ull, 0x7fffffffffffffffull, 0x8000000000000001ull,
    0xffffffff80000000ull, 0x000000007fffffffull, 0x0000000080000000ull,
    0x00000000ffffffffull, 0xffffffff7fffffffull, 0x0000000100000000ull,
    0x00000000fffffffeull, 0xffffffff00000000ull, 31, 32, 33, 63, 64, 65,
    0x8000, 0xffff, 0x7fff, 0x80, 0xff, 0x7f, 0xfffffffffffff800ull, 0x7ff,
    0x800, 0x5555555555555555ull, 0xaaaaaaaaaaaaaaaaull,
    0x0123456789abcdefull, 0xfedcba9876543210ull, 0x00000000deadbeefull,
    0xffffffffdeadbeefull,
};

static uint64_t rand_int_value(void)
{
    switch (rnd(10)) {
    case 0: case 1: case 2: case 3:
        return PICK(int_edges);
    case 4:
        return (uint64_t)(int64_t)rnd_range(-64, 64);
    case 5: /* sign-extended 32-bit */
        return (uint64_t)(int64_t)(int32_t)rnd64();
    case 6: /* zero-extended 32-bit */
        return rnd64() & 0xffffffffull;
    case 7: /* edge +- small */
        return PICK(int_edges) + (uint64_t)(int64_t)rnd_range(-3, 3);
    default:
        return rnd64();
    }
}

/* single precision (as 32-bit patterns) */
static const uint32_t f32_edges[] = {
    0x00000000, 0x80000000,             /* +-0 */
    0x7f800000, 0xff800000,             /* +-inf */
    0x7fc00000, 0xffc00000, 0x7fc00001, /* qNaN */
    0x7f800001, 0xff800001, 0x7fbfffff, /* sNaN */
    0x00000001, 0x80000001, 0x007fffff, 0x807fffff, 0x00400000, /* subnormal */
    0x00800000, 0x80800000,             /* min normal */
    0x7f7fffff, 0xff7fffff,             /* max normal */
    0x3f800000, 0xbf800000, 0x3f000000, 0xbf000000, /* +-1, +-0.5 */
    0x3fc00000, 0x40200000, 0xbfc00000, 0xc0200000, /* 1.5 2.5 -1.5 -2.5 */
    0x40000000, 0x40400000, 0x3eaaaaab, 0x3fb504f3, /* 2 3 1/3 sqrt2 */
    0x4effffff, 0x4f000000, 0xcf000000, 0xcf000001, /* ~2^31 */
    0x4f7fffff, 0x4f800000, 0xbf7fffff,             /* ~2^32, -0.99 */
    0x5effffff, 0x5f000000, 0xdf000000, 0xdf000001, /* ~2^63 */
    0x5f7fffff, 0x5f800000,                         /* ~2^64 */
    0x34000000, 0x33800000, 0x4b000000, 0x4b7fffff, /* eps, 2^23 */
};

static const uint64_t f64_edges[] = {
    0x0000000000000000ull, 0x8000000000000000ull,
    0x7ff0000000000000ull, 0xfff0000000000000ull,
    0x7ff8000000000000ull, 0xfff8000000000000ull, 0x7ff8000000000001ull,
    0x7ff0000000000001ull, 0xfff0000000000001ull, 0x7ff7ffffffffffffull,
    0x0000000000000001ull, 0x8000000000000001ull, 0x000fffffffffffffull,
    0x800fffffffffffffull, 0x0008000000000000ull,
    0x0010000000000000ull, 0x8010000000000000ull,
    0x7fefffffffffffffull, 0xffefffffffffffffull,
    0x3ff0000000000000ull, 0xbff0000000000000ull,
    0x3fe0000000000000ull, 0xbfe0000000000000ull,
    0x3ff8000000000000ull, 0x4004000000000000ull, /* 1.5 2.5 */
    0xbff8000000000000ull, 0xc004000000000000ull,
    0x3fd5555555555555ull, 0x3ff6a09e667f3bcdull, /* 1/3 sqrt2 */
    0x41dfffffffc00000ull, /* 2147483647.0 */
    0x41dfffffffe00000ull, /* 2147483647.5 */
    0x41e0000000000000ull, /* 2^31 */
    0xc1e0000000000000ull, /* -2^31 */
    0xc1e0000000100000ull, /* -2147483648.5 */
    0xc1e0000000200000ull, /* -2147483649 */
    0x41efffffffe00000ull, /* 4294967295 */
    0x41effffffff00000ull, /* 4294967295.5 */
    0x41f0000000000000ull, /* 2^32 */
    0x43dfffffffffffffull, /* largest < 2^63 */
    0x43e0000000000000ull, /* 2^63 */
    0xc3e0000000000000ull, /* -2^63 */
    0xc3e0000000000001ull,
    0x43efffffffffffffull, 0x43f0000000000000ull, /* ~2^64 */
    0x3cb0000000000000ull, 0x4330000000000000ull, /* eps, 2^52 */
    0x36a0000000000000ull, /* ~ float subnormal range */
    0x3810000000000000ull, /* FLT_MIN as double */
    0x47efffffe0000000ull, /* FLT_MAX as double */
    0x47efffffefffffffull, 0x47effffff0000000ull, /* just above FLT_MAX */
    0x3ff0000010000000ull, 0x3ff0000008000000ull, /* rounding ties to float */
    0x3ff0000018000000ull, 0xbff0000008000001ull,
};

static uint32_t rand_f32(void)
{
    switch (rnd(8)) {
    case 0: case 1: case 2: case 3:
        return PICK(f32_edges);
    case 4:
        return PICK(f32_edges) ^ (uint32_t)rnd_range(0, 3);
    case 5: { /* moderate random value */
        uint32_t e = (uint32_t)rnd_range(100, 160);
        return (uint32_t)(rnd(2) << 31) | (e << 23) | (uint32_t)(rnd64() & 0x7fffff);
    }
    default:
        return (uint32_t)rnd64();
    }
}

static uint64_t rand_f64(void)
{
    switch (rnd(8)) {
    case 0: case 1: case 2: case 3:
        return PICK(f64_edges);
    case 4:
        return PICK(f64_edges) ^ (uint64_t)rnd_range(0, 3);
    case 5: {
        uint64_t e = (uint64_t)rnd_range(960, 1090);
        return ((uint64_t)rnd(2) << 63) | (e << 52) | (rnd64() & 0xfffffffffffffull);
    }
    default:
        return rnd64();
    }
}

static uint64_t rand_fp_reg_value(void)
{
    switch (rnd(10)) {
    case 0: case 1: case 2: case 3: /* NaN-boxed single */
        return 0xffffffff00000000ull | rand_f32();
    case 4: /* improperly boxed single: reads as canonical NaN for .s ops */
        return ((rnd64() & 0xffffffffull) << 32) | rand_f32();
    default:
        return rand_f64();
    }
}

/* ------------------------------------------------------------------ */
/* Items */

#define MAX_ITEM_TEXT 1024

typedef struct Item {
    char text[MAX_ITEM_TEXT];
    int len;
} Item;

static Item *items;
static int nitems;
static int cur;               /* item being generated */

/* labels: label k is placed before item label_pos[k] */
static int *label_pos;
static int nlabels, cap_labels;

static void emit(const char *fmt, ...)
{
    Item *it = &items[cur];
    va_list ap;
    va_start(ap, fmt);
    it->len += vsnprintf(it->text + it->len, MAX_ITEM_TEXT - it->len, fmt, ap);
    va_end(ap);
    if (it->len >= MAX_ITEM_TEXT - 2) {
        fprintf(stderr, "difftest-gen: item text overflow\n");
        exit(2);
    }
    it->text[it->len++] = '\n';
    it->text[it->len] = 0;
}

/* new forward label placed 'dist' items after the current one (clamped) */
static int new_label(int dist)
{
    int pos = cur + 1 + dist;
    if (pos > nitems) {
        pos = nitems;
    }
    if (nlabels == cap_labels) {
        cap_labels = cap_labels ? cap_labels * 2 : 64;
        label_pos = realloc(label_pos, sizeof(*label_pos) * cap_labels);
    }
    label_pos[nlabels] = pos;
    return nlabels++;
}

/* ------------------------------------------------------------------ */
/* Registers */

static bool rvc_cat;
static int split;             /* --split N: end the TB every N items */

static bool reserved_dest(int r)
{
    return r == 2 || r == 3 || (rvc_cat && r == 8);
}

static int rd_any(void)            /* destination; x0 now and then */
{
    int r;
    if (chance(4)) {
        return 0;
    }
    do {
        r = rnd_range(1, 31);
    } while (reserved_dest(r));
    return r;
}

static int rd_nz(void)             /* destination, never x0 */
{
    int r;
    do {
        r = rnd_range(1, 31);
    } while (reserved_dest(r));
    return r;
}

static int rs_any(void)
{
    if (chance(5)) {
        return 0;
    }
    return rnd_range(1, 31);
}

static int rc_rd(void)             /* x9..x15 (x8 is the rvc base) */
{
    return rnd_range(9, 15);
}

static int rc_rs(void)             /* x8..x15 */
{
    return rnd_range(8, 15);
}

static int fr(void)
{
    return rnd_range(0, 31);
}

static const char *const rm_names[] = { "rne", "rtz", "rdn", "rup", "rmm", "dyn" };

static const char *rm_str(void)
{
    return rm_names[rnd(6)];
}

static void maybe_li(int r, uint64_t v)
{
    if (r != 0 && !reserved_dest(r)) {
        emit("\tli x%d, 0x%016" PRIx64, r, v);
    }
}

/* ------------------------------------------------------------------ */
/* Category: int */

static void gen_int(void)
{
    static const char *const rr[] = {
        "add", "sub", "sll", "slt", "sltu", "xor", "srl", "sra", "or", "and",
        "addw", "subw", "sllw", "srlw", "sraw",
    };
    static const char *const ri[] = {
        "addi", "slti", "sltiu", "xori", "ori", "andi", "addiw",
    };
    static const char *const sh[] = { "slli", "srli", "srai" };
    static const char *const shw[] = { "slliw", "srliw", "sraiw" };

    switch (rnd(12)) {
    case 0: case 1: case 2: case 3:
        emit("\t%s x%d, x%d, x%d", PICK(rr), rd_any(), rs_any(), rs_any());
        break;
    case 4: case 5: case 6: {
        int imm = chance(30) ? PICK(((const int[]){ 0, -1, 1, 2047, -2048, 31, 32, 63, -2 }))
                             : rnd_range(-2048, 2047);
        emit("\t%s x%d, x%d, %d", PICK(ri), rd_any(), rs_any(), imm);
        break;
    }
    case 7:
        emit("\t%s x%d, x%d, %d", PICK(sh), rd_any(), rs_any(), rnd_range(0, 63));
        break;
    case 8:
        emit("\t%s x%d, x%d, %d", PICK(shw), rd_any(), rs_any(), rnd_range(0, 31));
        break;
    case 9:
        emit("\tlui x%d, 0x%x", rd_any(), chance(20) ? PICK(((const unsigned[]){ 0, 0x80000, 0x7ffff, 0xfffff, 1 }))
                                                     : rnd(0x100000));
        break;
    case 10:
        emit("\tauipc x%d, 0x%x", rd_any(), rnd(0x100000));
        break;
    default:
        /* refresh a register with an interesting value */
        emit("\tli x%d, 0x%016" PRIx64, rd_nz(), rand_int_value());
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Category: mul */

static const uint64_t mul_edges[] = {
    0, 1, 0xffffffffffffffffull, 0x8000000000000000ull, 0x7fffffffffffffffull,
    0xffffffff80000000ull, 0x0000000080000000ull, 0x000000007fffffffull,
    0x00000000ffffffffull, 0xfffffffffffffffeull, 2, 0x100000000ull,
    0xffffffff00000000ull, 0x8000000000000001ull, 3, 0xfffffffffffffffdull,
};

static void gen_mul(void)
{
    static const char *const ops[] = {
        "mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu",
        "mulw", "divw", "divuw", "remw", "remuw",
    };
    int rs1 = rs_any(), rs2 = rs_any(), rd = rd_any();

    if (chance(40)) {
        maybe_li(rs1, chance(80) ? PICK(mul_edges) : rand_int_value());
    }
    if (chance(40)) {
        maybe_li(rs2, chance(80) ? PICK(mul_edges) : rand_int_value());
    }
    emit("\t%s x%d, x%d, x%d", PICK(ops), rd, rs1, rs2);
}

/* ------------------------------------------------------------------ */
/* Category: zb */

static void gen_zb(void)
{
    static const char *const rr[] = {
        "sh1add", "sh2add", "sh3add", "add.uw", "sh1add.uw", "sh2add.uw",
        "sh3add.uw", "andn", "orn", "xnor", "max", "maxu", "min", "minu",
        "rol", "rolw", "ror", "rorw", "clmul", "clmulh", "clmulr",
        "bclr", "bext", "binv", "bset",
    };
    static const char *const r1[] = {
        "clz", "clzw", "ctz", "cpop", "cpopw", "sext.b", "sext.h",
        "zext.h", "orc.b", "rev8",
    };
    static const char *const ri64[] = { "slli.uw", "rori", "bclri", "bexti", "binvi", "bseti" };

    switch (rnd(11)) {
    case 0: case 1: case 2: case 3: case 4:
        emit("\t%s x%d, x%d, x%d", PICK(rr), rd_any(), rs_any(), rs_any());
        break;
    case 5: case 6: case 7:
        emit("\t%s x%d, x%d", PICK(r1), rd_any(), rs_any());
        break;
    case 10: {
        /*
         * QEMU 7.2 computes ctzw as a 64-bit ctz when bits 31..0 are zero
         * but bits 63..32 are not (ctzw(0x5050000000000000) = 52, the
         * spec says 32), so ctzw never sees that input here: its source
         * is either zero-extended or has a bit set in the low word.
         */
        int t = rd_nz();
        if (chance(50)) {
            emit("\tzext.w x%d, x%d", t, rs_any());
        } else {
            emit("\tori x%d, x%d, %d", t, rs_any(), 1 << rnd_range(0, 10));
        }
        emit("\tctzw x%d, x%d", rd_any(), t);
        break;
    }
    case 8:
        emit("\t%s x%d, x%d, %d", PICK(ri64), rd_any(), rs_any(), rnd_range(0, 63));
        break;
    default:
        if (chance(50)) {
            emit("\troriw x%d, x%d, %d", rd_any(), rs_any(), rnd_range(0, 31));
        } else {
            emit("\tli x%d, 0x%016" PRIx64, rd_nz(), rand_int_value());
        }
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Category: fp */

static void gen_fp(void)
{
    static const char *const ar3[] = { "fadd", "fsub", "fmul", "fdiv" };
    static const char *const ar4[] = { "fmadd", "fmsub", "fnmadd", "fnmsub" };
    static const char *const nr3[] = { "fmin", "fmax", "fsgnj", "fsgnjn", "fsgnjx" };
    static const char *const cmp[] = { "feq", "flt", "fle" };
    static const char *const ints[] = { "w", "wu", "l", "lu" };
    const char *p = chance(50) ? "s" : "d";

    switch (rnd(24)) {
    case 0: case 1: case 2: case 3:
        emit("\t%s.%s f%d, f%d, f%d, %s", PICK(ar3), p, fr(), fr(), fr(), rm_str());
        break;
    case 4: case 5: case 6:
        emit("\t%s.%s f%d, f%d, f%d, f%d, %s", PICK(ar4), p, fr(), fr(), fr(), fr(), rm_str());
        break;
    case 7:
        emit("\tfsqrt.%s f%d, f%d, %s", p, fr(), fr(), rm_str());
        break;
    case 8: case 9:
        emit("\t%s.%s f%d, f%d, f%d", PICK(nr3), p, fr(), fr(), fr());
        break;
    case 10: case 11:
        emit("\t%s.%s x%d, f%d, f%d", PICK(cmp), p, rd_any(), fr(), fr());
        break;
    case 12:
        emit("\tfclass.%s x%d, f%d", p, rd_any(), fr());
        break;
    case 13: case 14: case 15: /* fp -> int */
        emit("\tfcvt.%s.%s x%d, f%d, %s", PICK(ints), p, rd_any(), fr(), rm_str());
        break;
    case 16: case 17: { /* int -> fp */
        const char *t = PICK(ints);
        int rs = rs_any();
        if (chance(30)) {
            maybe_li(rs, rand_int_value());
        }
        /* int32 -> double is exact: gas takes no rounding mode there */
        if (p[0] == 'd' && t[0] == 'w') {
            emit("\tfcvt.d.%s f%d, x%d", t, fr(), rs);
        } else {
            emit("\tfcvt.%s.%s f%d, x%d, %s", p, t, fr(), rs, rm_str());
        }
        break;
    }
    case 18:
        if (chance(50)) {
            emit("\tfcvt.s.d f%d, f%d, %s", fr(), fr(), rm_str());
        } else {
            emit("\tfcvt.d.s f%d, f%d", fr(), fr());
        }
        break;
    case 19:
        switch (rnd(4)) {
        case 0: emit("\tfmv.x.w x%d, f%d", rd_any(), fr()); break;
        case 1: emit("\tfmv.x.d x%d, f%d", rd_any(), fr()); break;
        case 2: emit("\tfmv.w.x f%d, x%d", fr(), rs_any()); break;
        default: emit("\tfmv.d.x f%d, x%d", fr(), rs_any()); break;
        }
        break;
    case 20: /* dynamic rounding mode: set frm to each valid value */
        emit("\tfsrmi %d", rnd_range(0, 4));
        break;
    case 21: /* reload a register with a special value */
        if (chance(50)) {
            int t = rd_nz();
            emit("\tli x%d, 0x%016" PRIx64, t, rand_fp_reg_value());
            emit("\tfmv.d.x f%d, x%d", fr(), t);
        } else {
            emit("\tli x%d, 0x%016" PRIx64, rd_nz(), rand_int_value());
        }
        break;
    case 22: /* fcsr accesses */
        switch (rnd(6)) {
        case 0: emit("\tfrflags x%d", rd_any()); break;
        case 1: emit("\tfrcsr x%d", rd_any()); break;
        case 2: emit("\tfrrm x%d", rd_any()); break;
        case 3: emit("\tfsflagsi x%d, %d", rd_any(), rnd_range(0, 31)); break;
        case 4: emit("\tfsflags x%d, x%d", rd_any(), rs_any()); break;
        default: emit("\tfsrmi x%d, %d", rd_any(), rnd_range(0, 4)); break;
        }
        break;
    default: /* same-register and boxed-single specials */
        if (chance(50)) {
            int f = fr();
            emit("\t%s.%s f%d, f%d, f%d, %s", PICK(ar3), p, fr(), f, f, rm_str());
        } else {
            int f = fr();
            emit("\t%s.%s f%d, f%d, f%d", PICK(nr3), p, fr(), f, f);
        }
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Category: rvc (compressed forms; .option rvc) */

static int rc_nz6(void)              /* nonzero 6-bit signed */
{
    int v;
    do {
        v = rnd_range(-32, 31);
    } while (v == 0);
    return v;
}

static void gen_rvc(void)
{
    static const char *const ca[] = { "c.sub", "c.xor", "c.or", "c.and", "c.subw", "c.addw" };

    switch (rnd(26)) {
    case 0: emit("\tc.addi x%d, %d", rd_nz(), rc_nz6()); break;
    case 1: emit("\tc.addiw x%d, %d", rd_nz(), rnd_range(-32, 31)); break;
    case 2: emit("\tc.li x%d, %d", rd_nz(), rnd_range(-32, 31)); break;
    case 3: {
        int r;
        do {
            r = rd_nz();
        } while (r == 2);
        int v = rc_nz6();
        emit("\tc.lui x%d, 0x%x", r, v > 0 ? v : 0x100000 + v);
        break;
    }
    case 4: emit("\tc.srli x%d, %d", rc_rd(), rnd_range(1, 63)); break;
    case 5: emit("\tc.srai x%d, %d", rc_rd(), rnd_range(1, 63)); break;
    case 6: emit("\tc.andi x%d, %d", rc_rd(), rnd_range(-32, 31)); break;
    case 7: case 8:
        emit("\t%s x%d, x%d", PICK(ca), rc_rd(), rc_rs());
        break;
    case 9: emit("\tc.mv x%d, x%d", rd_nz(), rnd_range(1, 31)); break;
    case 10: emit("\tc.add x%d, x%d", rd_nz(), rnd_range(1, 31)); break;
    case 11: emit("\tc.slli x%d, %d", rd_nz(), rnd_range(1, 63)); break;
    case 12: emit("\tc.addi4spn x%d, sp, %d", rc_rd(), 4 * rnd_range(1, 255)); break;
    case 13: { /* balanced c.addi16sp with an sp-relative access between */
        int k = rnd_range(1, 7);
        emit("\tc.addi16sp sp, %d", 16 * k);
        if (chance(50)) {
            emit("\tc.ldsp x%d, %d(sp)", rd_nz(), 8 * rnd_range(0, (BUF_SIZE - 16 * k) / 8 - 1));
        } else {
            emit("\tc.sdsp x%d, %d(sp)", rnd_range(0, 31), 8 * rnd_range(0, (BUF_SIZE - 16 * k) / 8 - 1));
        }
        emit("\tc.addi16sp sp, %d", -16 * k);
        break;
    }
    case 14: emit("\tc.lw x%d, %d(x8)", rc_rd(), 4 * rnd_range(0, 31)); break;
    case 15: emit("\tc.ld x%d, %d(x8)", rc_rd(), 8 * rnd_range(0, 31)); break;
    case 16: emit("\tc.sw x%d, %d(x8)", rc_rs(), 4 * rnd_range(0, 31)); break;
    case 17: emit("\tc.sd x%d, %d(x8)", rc_rs(), 8 * rnd_range(0, 31)); break;
    case 18:
        if (chance(50)) {
            emit("\tc.fld f%d, %d(x8)", rnd_range(8, 15), 8 * rnd_range(0, 31));
        } else {
            emit("\tc.fsd f%d, %d(x8)", rnd_range(8, 15), 8 * rnd_range(0, 31));
        }
        break;
    case 19:
        switch (rnd(6)) {
        case 0: emit("\tc.lwsp x%d, %d(sp)", rd_nz(), 4 * rnd_range(0, 63)); break;
        case 1: emit("\tc.ldsp x%d, %d(sp)", rd_nz(), 8 * rnd_range(0, 31)); break;
        case 2: emit("\tc.swsp x%d, %d(sp)", rnd_range(0, 31), 4 * rnd_range(0, 63)); break;
        case 3: emit("\tc.sdsp x%d, %d(sp)", rnd_range(0, 31), 8 * rnd_range(0, 31)); break;
        case 4: emit("\tc.fldsp f%d, %d(sp)", fr(), 8 * rnd_range(0, 31)); break;
        default: emit("\tc.fsdsp f%d, %d(sp)", fr(), 8 * rnd_range(0, 31)); break;
        }
        break;
    case 20: emit("\tc.nop"); break;
    case 21: emit("\tc.j .Lf%d", new_label(rnd_range(0, 4))); break;
    case 22:
        emit("\t%s x%d, .Lf%d", chance(50) ? "c.beqz" : "c.bnez", rc_rs(), new_label(rnd_range(0, 4)));
        break;
    case 23: {
        int t = rd_nz();
        emit("\tlla x%d, .Lf%d", t, new_label(rnd_range(0, 4)));
        emit("\t%s x%d", chance(50) ? "c.jr" : "c.jalr", t);
        break;
    }
    case 24: /* refresh a register with a value that c.* ops find interesting */
        emit("\tli x%d, 0x%016" PRIx64, rd_nz(), rand_int_value());
        break;
    default: /* compressible normal instructions: gas picks the C form */
        emit("\taddi x%d, x%d, %d", rc_rd(), 2, 4 * rnd_range(1, 255));
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Category: mem */

static void mem_addr(int size, int *base, int *off, bool allow_tmp)
{
    int lo = OFF_BUF, hi = OFF_BUF + BUF_SIZE - size;
    int a = rnd_range(lo, hi);
    if (allow_tmp && chance(35)) {
        int t = rd_nz();
        int b = rnd_range(-64, 64);
        if (a - b < lo || a - b > hi) {
            b = 0;
        }
        emit("\taddi x%d, x3, %d", t, a - b);
        *base = t;
        *off = b;
    } else {
        *base = 3;
        *off = a;
    }
}

static void gen_mem(void)
{
    static const char *const lds[] = { "lb", "lbu", "lh", "lhu", "lw", "lwu", "ld" };
    static const int ld_sz[] = { 1, 1, 2, 2, 4, 4, 8 };
    static const char *const sts[] = { "sb", "sh", "sw", "sd" };
    static const int st_sz[] = { 1, 2, 4, 8 };
    static const char *const amo[] = {
        "amoswap", "amoadd", "amoxor", "amoand", "amoor", "amomin", "amomax",
        "amominu", "amomaxu",
    };
    static const char *const ord[] = { "", ".aq", ".rl", ".aqrl" };
    int base, off, k;

    switch (rnd(12)) {
    case 0: case 1: case 2: case 3:
        k = rnd(7);
        mem_addr(ld_sz[k], &base, &off, true);
        emit("\t%s x%d, %d(x%d)", lds[k], chance(90) || base == 3 ? rd_any() : base, off, base);
        break;
    case 4: case 5: case 6:
        k = rnd(4);
        mem_addr(st_sz[k], &base, &off, true);
        emit("\t%s x%d, %d(x%d)", sts[k], rs_any(), off, base);
        break;
    case 7:
        k = rnd(4);
        mem_addr(k & 1 ? 8 : 4, &base, &off, true);
        emit("\t%s f%d, %d(x%d)", (const char *[]){ "flw", "fld", "fsw", "fsd" }[k], fr(), off, base);
        break;
    case 8: case 9: { /* aligned AMO */
        int w = chance(50) ? 4 : 8;
        int t = rd_nz();
        int a = OFF_BUF + w * rnd_range(0, BUF_SIZE / w - 1);
        emit("\taddi x%d, x3, %d", t, a);
        emit("\t%s.%c%s x%d, x%d, (x%d)", PICK(amo), w == 4 ? 'w' : 'd', PICK(ord), rd_any(), rs_any(), t);
        break;
    }
    case 10: { /* lr/sc pair: must succeed in both */
        int w = chance(50) ? 4 : 8;
        int t = rd_nz(), rd, rd2;
        int a = OFF_BUF + w * rnd_range(0, BUF_SIZE / w - 1);
        do {
            rd = rd_any();
        } while (rd == t);
        rd2 = rd_any();
        emit("\taddi x%d, x3, %d", t, a);
        emit("\tlr.%c x%d, (x%d)", w == 4 ? 'w' : 'd', rd, t);
        emit("\tsc.%c x%d, x%d, (x%d)", w == 4 ? 'w' : 'd', rd2, rs_any(), t);
        break;
    }
    default:
        emit("\tli x%d, 0x%016" PRIx64, rd_nz(), rand_int_value());
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Category: branch (forward only, so every program terminates) */

static void gen_branch(void)
{
    static const char *const br[] = { "beq", "bne", "blt", "bge", "bltu", "bgeu" };

    switch (rnd(10)) {
    case 0: case 1: case 2: case 3: {
        int a = rs_any(), b = chance(15) ? a : rs_any();
        emit("\t%s x%d, x%d, .Lf%d", PICK(br), a, b, new_label(rnd_range(0, 6)));
        break;
    }
    case 4:
        emit("\tjal x%d, .Lf%d", rd_any(), new_label(rnd_range(0, 6)));
        break;
    case 5: {
        int t = rd_nz();
        int l = new_label(rnd_range(0, 6));
        int rd = chance(20) ? t : rd_any();
        switch (rnd(3)) {
        case 0:
            emit("\tlla x%d, .Lf%d", t, l);
            emit("\tjalr x%d, 0(x%d)", rd, t);
            break;
        case 1: /* jalr clears bit 0 of the target */
            emit("\tlla x%d, .Lf%d+1", t, l);
            emit("\tjalr x%d, 0(x%d)", rd, t);
            break;
        default:
            emit("\tlla x%d, .Lf%d-%d", t, l, 4 * 8);
            emit("\tjalr x%d, %d(x%d)", rd, 4 * 8, t);
            break;
        }
        break;
    }
    default:
        gen_int();
        break;
    }
}

/* ------------------------------------------------------------------ */
/* Category: mix (all but rvc, interleaved: cross-instruction optimisation) */

static void gen_mix(void)
{
    static void (*const gens[])(void) = {
        gen_int, gen_mul, gen_zb, gen_fp, gen_mem, gen_branch,
    };
    PICK(gens)();
}

/* ------------------------------------------------------------------ */

typedef struct Category {
    const char *name;
    void (*gen)(void);
} Category;

static const Category categories[] = {
    { "int", gen_int }, { "mul", gen_mul }, { "zb", gen_zb }, { "fp", gen_fp },
    { "rvc", gen_rvc }, { "mem", gen_mem }, { "branch", gen_branch },
    { "mix", gen_mix },
};

/* initial state */
static uint64_t init_x[32], init_f[32], init_fcsr;
static uint8_t init_buf[BUF_SIZE];

static void random_init_state(void)
{
    for (int i = 0; i < 32; i++) {
        init_x[i] = rand_int_value();
    }
    init_x[0] = 0;
    for (int i = 0; i < 32; i++) {
        init_f[i] = rand_fp_reg_value();
    }
    init_fcsr = (uint64_t)rnd_range(0, 4) << 5;      /* fflags clear */
    for (int i = 0; i < BUF_SIZE; i += 8) {
        uint64_t v = chance(50) ? rand_int_value() : rand_fp_reg_value();
        memcpy(init_buf + i, &v, 8);
    }
}

static int load_dump(const char *path, uint8_t *d)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t n = fread(d, 1, DUMP_SIZE, f);
    fclose(f);
    if (n != DUMP_SIZE) {
        fprintf(stderr, "%s: short dump (%zu bytes)\n", path, n);
        return -1;
    }
    return 0;
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--) {
        v = (v << 8) | p[i];
    }
    return v;
}

static uint64_t hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    while (*s) {
        h = (h ^ (uint8_t)*s++) * 0x100000001b3ull;
    }
    return h;
}

static void print_program(const Category *cat, uint64_t seed, int first, int last)
{
    printf("/* difftest program: category %s seed %" PRIu64 " items %d..%d of %d */\n",
           cat->name, seed, first, last, nitems);
    printf("\t.option norelax\n");
    printf("\t.option %s\n", rvc_cat ? "rvc" : "norvc");
    printf("\t.text\n\t.globl _start\n_start:\n");
    printf("\tlla x3, dump\n");
    printf("\tli x5, 0x%" PRIx64 "\n\tfscsr x5\n", init_fcsr);
    for (int i = 0; i < 32; i++) {
        printf("\tfld f%d, %d(x3)\n", i, OFF_F + 8 * i);
    }
    for (int i = 1; i < 32; i++) {
        if (i != 2 && i != 3) {
            printf("\tld x%d, %d(x3)\n", i, OFF_X + 8 * i);
        }
    }
    printf("\taddi x2, x3, %d\n", OFF_BUF);
    if (rvc_cat) {
        printf("\taddi x8, x3, %d\n", OFF_BUF);
    }
    printf("/* ---- random items ---- */\n");
    printf("difftest_items:\n");
    for (int i = first; i <= last; i++) {
        if (split > 0 && i > first && i % split == 0) {
            printf("\tj .Lsplit%d\n.Lsplit%d:\n", i, i);
        }
        for (int l = 0; l < nlabels; l++) {
            if (label_pos[l] == i) {
                printf(".Lf%d:\n", l);
            }
        }
        printf("/* item %d */\n%s", i, items[i].text);
    }
    for (int l = 0; l < nlabels; l++) {
        if (label_pos[l] > last) {
            printf(".Lf%d:\n", l);
        }
    }
    printf("/* ---- dump ---- */\n");
    printf("difftest_dump:\n");
    printf("\t.option norvc\n");
    for (int i = 1; i < 32; i++) {
        printf("\tsd x%d, %d(x3)\n", i, OFF_X + 8 * i);
    }
    printf("\tfrcsr x5\n\tsd x5, %d(x3)\n", OFF_FCSR);
    for (int i = 0; i < 32; i++) {
        printf("\tfsd f%d, %d(x3)\n", i, OFF_F + 8 * i);
    }
    printf("\tli a0, 1\n\tmv a1, x3\n\tli a2, %d\n\tli a7, 64\n\tecall\n", DUMP_SIZE);
    printf("\tli a0, 0\n\tli a7, 94\n\tecall\n");
    printf("\n\t.data\n\t.balign 64\ndump:\n");
    for (int i = 0; i < 32; i++) {
        printf("\t.dword 0x%016" PRIx64 "\t/* x%d */\n", init_x[i], i);
    }
    for (int i = 0; i < 32; i++) {
        printf("\t.dword 0x%016" PRIx64 "\t/* f%d */\n", init_f[i], i);
    }
    printf("\t.dword 0x%" PRIx64 "\t/* fcsr */\n", init_fcsr);
    printf("\t.fill %d, 1, 0\n", OFF_BUF - OFF_FCSR - 8);
    printf("buffer:\n");
    for (int i = 0; i < BUF_SIZE; i += 8) {
        printf("\t.dword 0x%016" PRIx64 "\n", get64(init_buf + i));
    }
}

static int cmd_gen(int argc, char **argv)
{
    const char *catname = NULL, *init = NULL;
    uint64_t seed = 0;
    int insns = 200, first = 0, last = INT_MAX;

    for (int i = 0; i < argc; i++) {
        if (i + 1 >= argc) {
            fprintf(stderr, "difftest-gen: missing value for %s\n", argv[i]);
            return 2;
        }
        if (!strcmp(argv[i], "--category")) {
            catname = argv[++i];
        } else if (!strcmp(argv[i], "--seed")) {
            seed = strtoull(argv[++i], NULL, 0);
        } else if (!strcmp(argv[i], "--insns")) {
            insns = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--first")) {
            first = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--last")) {
            last = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--split")) {
            split = atoi(argv[++i]);
        } else if (!strcmp(argv[i], "--init")) {
            init = argv[++i];
        } else {
            fprintf(stderr, "difftest-gen: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    const Category *cat = NULL;
    for (size_t i = 0; catname && i < sizeof(categories) / sizeof(categories[0]); i++) {
        if (!strcmp(categories[i].name, catname)) {
            cat = &categories[i];
        }
    }
    if (!cat || insns < 0) {
        fprintf(stderr, "difftest-gen: bad/missing --category or --insns\n");
        return 2;
    }
    rvc_cat = !strcmp(cat->name, "rvc");
    rng_state = seed * 0x2545f4914f6cdd1dull ^ hash_str(cat->name);

    /* The initial state comes first in the random stream; then items. */
    random_init_state();
    if (init) {
        uint8_t d[DUMP_SIZE];
        if (load_dump(init, d) < 0) {
            return 1;
        }
        for (int i = 0; i < 32; i++) {
            init_x[i] = get64(d + OFF_X + 8 * i);
            init_f[i] = get64(d + OFF_F + 8 * i);
        }
        init_fcsr = get64(d + OFF_FCSR);
        memcpy(init_buf, d + OFF_BUF, BUF_SIZE);
    }

    nitems = insns;
    items = calloc(nitems ? nitems : 1, sizeof(*items));
    for (cur = 0; cur < nitems; cur++) {
        cat->gen();
    }
    if (first < 0) {
        first = 0;
    }
    if (last >= nitems) {
        last = nitems - 1;
    }
    print_program(cat, seed, first, last);
    return 0;
}

/* ------------------------------------------------------------------ */
/* compare */

static const char *const xnames[32] = {
    "zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "s0", "s1", "a0", "a1",
    "a2", "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7",
    "s8", "s9", "s10", "s11", "t3", "t4", "t5", "t6",
};

static void describe_fp(uint64_t v, char *buf, size_t n)
{
    double d;
    memcpy(&d, &v, 8);
    if ((v >> 32) == 0xffffffffu) {
        uint32_t w = (uint32_t)v;
        float f;
        memcpy(&f, &w, 4);
        snprintf(buf, n, "boxed single %a (%g)", (double)f, (double)f);
    } else {
        snprintf(buf, n, "double %a (%g)", d, d);
    }
}

static void describe_fcsr(uint64_t v, char *buf, size_t n)
{
    snprintf(buf, n, "frm=%d fflags=%s%s%s%s%s", (int)((v >> 5) & 7),
             v & 16 ? "NV " : "", v & 8 ? "DZ " : "", v & 4 ? "OF " : "",
             v & 2 ? "UF " : "", v & 1 ? "NX " : "");
}

static int cmd_compare(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: difftest-gen compare CTCG.out QEMU.out\n");
        return 2;
    }
    FILE *fa = fopen(argv[0], "rb"), *fb = fopen(argv[1], "rb");
    static uint8_t a[DUMP_SIZE + 1], b[DUMP_SIZE + 1];
    size_t na = fa ? fread(a, 1, sizeof(a), fa) : 0;
    size_t nb = fb ? fread(b, 1, sizeof(b), fb) : 0;
    if (fa) {
        fclose(fa);
    }
    if (fb) {
        fclose(fb);
    }
    if (na != DUMP_SIZE || nb != DUMP_SIZE) {
        printf("  output size: ctcg=%zu bytes qemu=%zu bytes (expected %d)\n", na, nb, DUMP_SIZE);
        if (na < DUMP_SIZE || nb < DUMP_SIZE) {
            return 1;
        }
    }
    int ndiff = 0;
    char da[128], db[128];
    for (int i = 0; i < DUMP_SIZE / 8; i++) {
        int off = i * 8;
        uint64_t va = get64(a + off), vb = get64(b + off);
        if (va == vb) {
            continue;
        }
        if (ndiff++ >= 8) {
            continue;
        }
        if (off < OFF_F) {
            printf("  x%d (%s): ctcg=0x%016" PRIx64 " qemu=0x%016" PRIx64 "\n",
                   i, xnames[i], va, vb);
        } else if (off < OFF_FCSR) {
            describe_fp(va, da, sizeof(da));
            describe_fp(vb, db, sizeof(db));
            printf("  f%d: ctcg=0x%016" PRIx64 " [%s] qemu=0x%016" PRIx64 " [%s]\n",
                   (off - OFF_F) / 8, va, da, vb, db);
        } else if (off == OFF_FCSR) {
            describe_fcsr(va, da, sizeof(da));
            describe_fcsr(vb, db, sizeof(db));
            printf("  fcsr: ctcg=0x%02" PRIx64 " [%s] qemu=0x%02" PRIx64 " [%s]\n", va, da, vb, db);
        } else if (off < OFF_BUF) {
            printf("  padding+%d: ctcg=0x%016" PRIx64 " qemu=0x%016" PRIx64 "\n", off - OFF_FCSR, va, vb);
        } else {
            printf("  buffer[%d..%d]: ctcg=0x%016" PRIx64 " qemu=0x%016" PRIx64 "\n",
                   off - OFF_BUF, off - OFF_BUF + 7, va, vb);
        }
    }
    if (ndiff > 8) {
        printf("  ... and %d more differing 64-bit words\n", ndiff - 8);
    }
    return ndiff ? 1 : 0;
}

/* show DUMP REG...: print registers of a dump (x5, f3, fcsr) */
static int cmd_show(int argc, char **argv)
{
    uint8_t d[DUMP_SIZE];
    char desc[128];
    if (argc < 1 || load_dump(argv[0], d) < 0) {
        return 2;
    }
    for (int i = 1; i < argc; i++) {
        const char *r = argv[i];
        int n = atoi(r + 1);
        if (r[0] == 'x' && n >= 0 && n < 32) {
            uint64_t v = get64(d + OFF_X + 8 * n);
            printf("  x%d (%s) = 0x%016" PRIx64 " (%" PRId64 ")\n", n, xnames[n], v, (int64_t)v);
        } else if (r[0] == 'f' && r[1] != 'c' && n >= 0 && n < 32) {
            uint64_t v = get64(d + OFF_F + 8 * n);
            describe_fp(v, desc, sizeof(desc));
            printf("  f%d = 0x%016" PRIx64 " [%s]\n", n, v, desc);
        } else if (!strcmp(r, "fcsr")) {
            uint64_t v = get64(d + OFF_FCSR);
            describe_fcsr(v, desc, sizeof(desc));
            printf("  fcsr = 0x%02" PRIx64 " [%s]\n", v, desc);
        } else if (!strcmp(r, "buffer")) {
            for (int o = 0; o < BUF_SIZE; o += 32) {
                printf("  buffer[%3d]:", o);
                for (int k = 0; k < 32; k += 8) {
                    printf(" %016" PRIx64, get64(d + OFF_BUF + o + k));
                }
                printf("\n");
            }
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "show")) {
        return cmd_show(argc - 2, argv + 2);
    }
    if (argc >= 2 && !strcmp(argv[1], "gen")) {
        return cmd_gen(argc - 2, argv + 2);
    }
    if (argc >= 2 && !strcmp(argv[1], "compare")) {
        return cmd_compare(argc - 2, argv + 2);
    }
    if (argc >= 2 && !strcmp(argv[1], "categories")) {
        for (size_t i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
            printf("%s\n", categories[i].name);
        }
        return 0;
    }
    fprintf(stderr,
            "usage: difftest-gen gen --category C --seed S --insns K [--first A] [--last B] [--init DUMP]\n"
            "       difftest-gen compare CTCG.out QEMU.out\n"
            "       difftest-gen show DUMP x5 f3 fcsr buffer ...\n"
            "       difftest-gen categories\n");
    return 2;
}
