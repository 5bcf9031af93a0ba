/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for target-riscv/vector_fast2.c on an env of our own (VLEN
 * 128, guest base 0, so a guest address is a host pointer): the fixed
 * point rounding and saturation (vxrm, vxsat), masked reductions, slides,
 * FP min/max of signed zeros, and the loads/stores (segment, strided,
 * indexed with vd == vs2); each form done as the exact helpers would
 * (tail and masked-off elements kept), or declined with nothing changed.
 * tests/vector/rvv-diff and rvv-vfault compare them with qemu-riscv64
 * from guest code.
 */
#include "tests/unit/vector-harness.h"

#include "target-riscv/fpu/fpu.h"
#include "target-riscv/vector_fast.h"
#include "target-riscv/vector_internal.h"
#include "tests/unit/xorshift.h"

static void set8(CPURISCVState *env, int reg, int i, uint8_t x)
{
    env->vreg[reg * 16 + i] = x;
}

static uint8_t get8(const CPURISCVState *env, int reg, int i)
{
    return env->vreg[reg * 16 + i];
}

static void test_fast2_fixed_point(void **state)
{
    CPURISCVState *env = new_env(VT(0, 0), 4);
    uint64_t r;

    (void)state;
    /* vsaddu.vv v8, v16, v24: 200 + 100 saturates, vxsat set */
    set8(env, 16, 0, 200);
    set8(env, 24, 0, 100);
    set8(env, 16, 1, 1);
    set8(env, 24, 1, 2);
    assert_true(vec_fast_op(env, opv(0x20, 1, 16, 24, 0, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 255);
    assert_int_equal(get8(env, 8, 1), 3);
    assert_int_equal(get8(env, 8, 4), (uint8_t)((8 * 16 + 4) * 7 + 3));
    assert_int_equal(env->vxsat, 1);
    /* vsadd.vi: 0x7f + 7 -> 0x7f; masked off lane 0: no vxsat from it */
    env->vxsat = 0;
    env->vreg[0] = 0x2; /* only element 1 active */
    set8(env, 16, 0, 0x7f);
    set8(env, 16, 1, 0x10);
    assert_true(vec_fast_op(env, opv(0x21, 0, 16, 7, 3, 8), 0, &r));
    assert_int_equal(get8(env, 8, 1), 0x17);
    assert_int_equal(env->vxsat, 0);
    /* vssrl.vi v8, v16, 2 of 6 (1.5): rnu 2, rne 2, rdn 1, rod 1 */
    set8(env, 16, 0, 6);
    set8(env, 16, 1, 10); /* 2.5: rnu 3, rne 2, rdn 2, rod 3 */
    static const uint8_t want[4][2] = {{2, 3}, {2, 2}, {1, 2}, {1, 3}};
    for (int rm = 0; rm < 4; rm++) {
        env->vxrm = rm;
        assert_true(vec_fast_op(env, opv(0x2a, 1, 16, 2, 3, 8), 0, &r));
        assert_int_equal(get8(env, 8, 0), want[rm][0]);
        assert_int_equal(get8(env, 8, 1), want[rm][1]);
    }
    /* vaadd.vv (signed): (-3 + 0) / 2 = -1.5: rnu -1, rdn -2 */
    set8(env, 16, 0, (uint8_t)-3);
    set8(env, 24, 0, 0);
    env->vxrm = 0;
    assert_true(vec_fast_op(env, opv(0x09, 1, 16, 24, 2, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 0xff);
    env->vxrm = 2;
    assert_true(vec_fast_op(env, opv(0x09, 1, 16, 24, 2, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 0xfe);
    /* vssub.vi does not exist: declined */
    assert_false(vec_fast_op(env, opv(0x23, 1, 16, 1, 3, 8), 0, &r));
    free(env);
}

static void test_fast2_reduce_and_slide(void **state)
{
    CPURISCVState *env = new_env(VT(0, 0), 8);
    CPURISCVState *old = malloc(sizeof(*env));
    uint64_t r;

    (void)state;
    for (int i = 0; i < 16; i++) {
        set8(env, 16, i, (uint8_t)(i * 10));
    }
    set8(env, 24, 0, 0x50);
    env->vreg[0] = 0x0f; /* elements 0-3 active */
    /* vredmaxu.vs v8, v16, v24, v0.t: max(0x50, 0, 10, 20, 30) */
    assert_true(vec_fast_op(env, opv(0x06, 0, 16, 24, 2, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 0x50);
    set8(env, 24, 0, 1);
    assert_true(vec_fast_op(env, opv(0x06, 0, 16, 24, 2, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 30);
    /* vredmin.vs (signed), unmasked: min(1, 0, .., 70 (vl 8), 0x80+) */
    set8(env, 16, 5, 0x90);
    assert_true(vec_fast_op(env, opv(0x05, 1, 16, 24, 2, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 0x90);
    /* vslideup.vi v8, v16, 3: v8[0..2] kept, v8[i] = v16[i - 3] */
    memcpy(old, env, sizeof(*env));
    assert_true(vec_fast_op(env, opv(0x0e, 1, 16, 3, 3, 8), 0, &r));
    assert_memory_equal(env->vreg + 8 * 16, old->vreg + 8 * 16, 3);
    assert_memory_equal(env->vreg + 8 * 16 + 3, old->vreg + 16 * 16, 5);
    assert_memory_equal(env->vreg + 8 * 16 + 8, old->vreg + 8 * 16 + 8, 8);
    /* vslidedown.vx v8, v16, 12: v16[12..15], then zeros (past VLMAX) */
    assert_true(vec_fast_op(env, opv(0x0f, 1, 16, 1, 4, 8), 12, &r));
    assert_memory_equal(env->vreg + 8 * 16, old->vreg + 16 * 16 + 12, 4);
    assert_int_equal(get8(env, 8, 4), 0);
    assert_int_equal(get8(env, 8, 7), 0);
    /* vslideup with vd == vs2 is reserved: declined, nothing changed */
    memcpy(old, env, sizeof(*env));
    assert_false(vec_fast_op(env, opv(0x0e, 1, 16, 3, 3, 16), 0, &r));
    assert_memory_equal(env->vreg, old->vreg, sizeof(env->vreg));
    free(old);
    free(env);
}

static void test_fast2_fp_minmax(void **state)
{
    CPURISCVState *env = new_env(VT(2, 0), 2);
    float pz = 0.0f, nz = -0.0f, nan = __builtin_nanf("");
    uint32_t x;
    uint64_t r;

    (void)state;
    if (!fpu_host_fast_path()) {
        skip();
    }
    memcpy(env->vreg + 16 * 16, &pz, 4);
    memcpy(env->vreg + 24 * 16, &nz, 4);
    memcpy(env->vreg + 16 * 16 + 4, &nz, 4);
    memcpy(env->vreg + 24 * 16 + 4, &pz, 4);
    /* vfmin.vv: -0 both times; vfmax.vv: +0 both times; no flag */
    assert_true(vec_fast_op(env, opv(0x04, 1, 16, 24, 1, 8), 0, &r));
    memcpy(&x, env->vreg + 8 * 16, 4);
    assert_int_equal(x, 0x80000000u);
    memcpy(&x, env->vreg + 8 * 16 + 4, 4);
    assert_int_equal(x, 0x80000000u);
    assert_true(vec_fast_op(env, opv(0x06, 1, 16, 24, 1, 8), 0, &r));
    memcpy(&x, env->vreg + 8 * 16 + 4, 4);
    assert_int_equal(x, 0);
    assert_int_equal(env->fflags, 0);
    /* vmflt.vv v2, v16, v24: -0 < +0 is false */
    assert_true(vec_fast_op(env, opv(0x1b, 1, 16, 24, 1, 2), 0, &r));
    assert_int_equal(env->vreg[2 * 16] & 3, 0);
    /* a NaN lane: the exact path (flags) */
    memcpy(env->vreg + 24 * 16 + 4, &nan, 4);
    assert_false(vec_fast_op(env, opv(0x1b, 1, 16, 24, 1, 2), 0, &r));
    free(env);
}

/* LOAD-FP/STORE-FP word: nf - 1, mop, vm, rs2/vs2/lumop, width, vd. */
static uint32_t vmem(bool store, int nf1, int mop, int vm, int vs2, int w,
                     int vd)
{
    return (uint32_t)nf1 << 29 | (uint32_t)mop << 26 | (uint32_t)vm << 25 |
           (uint32_t)vs2 << 20 | (uint32_t)w << 12 | (uint32_t)vd << 7 |
           (store ? 0x27 : 0x07);
}

static void test_fast2_mem(void **state)
{
    CPURISCVState *env = new_env(VT(1, 0), 4);
    uint8_t *buf = aligned_alloc(4096, 8192);
    uint64_t base = (uint64_t)(uintptr_t)buf;
    uint16_t x;

    (void)state;
    for (int i = 0; i < 8192; i++) {
        buf[i] = (uint8_t)(i ^ 0x5a);
    }
    /* vlseg2e16.v v8, (base): v8[i] = field 0 of i, v9[i] = field 1 */
    assert_true(vec_fast_mem(env, vmem(false, 1, 0, 1, 0, 5, 8), base, 0));
    assert_memory_equal(env->vreg + 8 * 16 + 6, buf + 12, 2);
    assert_memory_equal(env->vreg + 9 * 16 + 6, buf + 14, 2);
    assert_int_equal(env->vstart, 0);
    /* vsse16.v v8, (base + 1000), stride -6 */
    assert_true(vec_fast_mem(env, vmem(true, 0, 2, 1, 5, 5, 8), base + 1000,
                             (uint64_t)-6));
    assert_memory_equal(buf + 1000 - 18, env->vreg + 8 * 16 + 6, 2);
    /* vluxei16.v v16, (base), v16: each index read before its element */
    for (int i = 0; i < 4; i++) {
        x = (uint16_t)(100 * i + 4);
        memcpy(env->vreg + 16 * 16 + 2 * i, &x, 2);
    }
    assert_true(vec_fast_mem(env, vmem(false, 0, 1, 1, 16, 5, 16), base, 0));
    assert_memory_equal(env->vreg + 16 * 16 + 6, buf + 304, 2);
    /* vluxei8 at SEW 16 into vd == vs2: data wider than the indices */
    assert_false(vec_fast_mem(env, vmem(false, 0, 1, 1, 16, 0, 16), base, 0));
    /* masked into v0, vstart != 0, fault-only-first: declined */
    assert_false(vec_fast_mem(env, vmem(false, 0, 2, 0, 5, 5, 0), base, 2));
    assert_false(vec_fast_mem(env, vmem(false, 0, 0, 1, 0x10, 5, 8), base, 0));
    env->vstart = 1;
    assert_false(vec_fast_mem(env, vmem(false, 0, 2, 1, 5, 5, 8), base, 2));
    free(buf);
    free(env);
}

/*
 * The fast path against the exact helper (vec_int_op) on a copy of the
 * env: random vtype, vl, vxrm, registers and scalar for each form; when
 * the fast path takes the instruction, both envs must be equal byte for
 * byte (registers, tail and masked-off elements, vxsat, vstart).  Each
 * form must be taken at least once.
 */
static uint64_t rng = 88172645463325252ull;

static uint64_t rnd(void)
{
    return xorshift64(&rng);
}

static void fill_regs(CPURISCVState *env)
{
    int kind = (int)(rnd() % 5);

    for (size_t i = 0; i < sizeof(env->vreg); i++) {
        uint8_t b = (uint8_t)rnd();

        if (kind == 1) { /* small 16-bit indices, small shifts */
            b = i & 1 ? 0 : b % 40;
        } else if (kind == 2) { /* near the saturation limits */
            static const uint8_t edge[] = {0, 0x80, 0x7f, 0xff, 1};

            b = edge[rnd() % 5];
        }
        env->vreg[i] = b;
    }
    if (kind == 3 || kind == 4) { /* FP values: small, exact, huge, tiny */
        for (size_t i = 0; i + 8 <= sizeof(env->vreg); i += 8) {
            double d = (double)((int64_t)(rnd() % 2001) - 1000) / 8;
            float x = (float)d * (kind == 4 && rnd() % 3 == 0 ? 1e30f : 1.0f);
            uint16_t h = (uint16_t)(0x3c00 + rnd() % 0x800);

            if (rnd() % 2) {
                memcpy(env->vreg + i, &d, 8);
            } else {
                memcpy(env->vreg + i, &x, 4);
                memcpy(env->vreg + i + 4, &h, 2);
                memcpy(env->vreg + i + 6, &h, 2);
            }
        }
    }
}

static void check_against_exact(uint32_t insn, const char *name)
{
    int taken = 0;

    for (int t = 0; t < 400; t++) {
        int sew = (int)(rnd() % 4), lmul = (int)(rnd() % 7) - 3;
        uint64_t vtype = VT(sew, lmul & 7), scalar = rnd(), r1 = 0;
        uint32_t vlmax = riscv_vtype_vlmax(vtype, 128, 64);
        CPURISCVState *a, *b;
        VecInsn v;

        if (vlmax == 0) {
            continue;
        }
        a = new_env(vtype, 1 + rnd() % vlmax);
        fill_regs(a);
        a->vxrm = (uint32_t)(rnd() & 3);
        a->vxsat = (uint32_t)(rnd() & 1);
        a->frm = (uint32_t)(rnd() % 6); /* 5: reserved, both decline */
        a->fflags = (uint32_t)(rnd() % 2 ? 0 : rnd() & 31);
        if (rnd() % 2) { /* a NaN-boxed single or half, or a double */
            scalar = rnd() % 2 ? 0xffffffff00000000ull | (uint32_t)scalar
                               : 0xffffffffffff0000ull | (uint16_t)scalar;
        }
        b = malloc(sizeof(*b));
        assert_non_null(b);
        memcpy(b, a, sizeof(*a));
        if (vec_fast_op(a, insn, scalar, &r1)) {
            taken++;
            vec_decode(&v, b, insn, 0);
            v.scalar = scalar;
            assert_int_equal(vec_int_op(&v), r1);
            if (memcmp(a, b, sizeof(*a)) != 0) {
                fail_msg("%s: sew %d lmul %d vl %u vxrm %u differs", name, sew,
                         lmul, (unsigned)a->vl, (unsigned)a->vxrm);
            }
        }
        free(a);
        free(b);
    }
    if (taken == 0) {
        fail_msg("%s: never taken", name);
    }
}

static void test_fast2_against_exact(void **state)
{
    static const struct {
        const char *name;
        int f6, vm, vs2, vs1, f3, vd;
    } forms[] = {
        {"vnsrl.wv", 0x2c, 1, 16, 24, 0, 8},
        {"vnsra.wx", 0x2d, 0, 16, 0, 4, 8},
        {"vnclipu.wv", 0x2e, 1, 16, 24, 0, 8},
        {"vnclipu.wv v0.t", 0x2e, 0, 16, 24, 0, 8},
        {"vnclipu.wi vd=vs2", 0x2e, 1, 16, 3, 3, 16},
        {"vnclipu.wx", 0x2e, 1, 16, 0, 4, 8},
        {"vnclip.wv", 0x2f, 1, 16, 24, 0, 8},
        {"vnclip.wx v0.t", 0x2f, 0, 16, 0, 4, 8},
        {"vnclip.wi", 0x2f, 1, 16, 1, 3, 8},
        {"vsmul.vv", 0x27, 1, 16, 24, 0, 8},
        {"vsmul.vv v0.t", 0x27, 0, 16, 24, 0, 8},
        {"vsmul.vx vd=vs2", 0x27, 1, 16, 0, 4, 16},
        {"vrgatherei16.vv", 0x0e, 1, 16, 24, 0, 8},
        {"vrgatherei16.vv v0.t", 0x0e, 0, 16, 24, 0, 8},
        {"vcompress.vm", 0x17, 1, 16, 4, 2, 8},
        {"viota.m", 0x14, 1, 16, 0x10, 2, 8},
        {"viota.m v0.t", 0x14, 0, 16, 0x10, 2, 8},
        {"vaadd.vv", 0x09, 1, 16, 24, 2, 8},
        {"vssra.vx v0.t", 0x2b, 0, 16, 0, 4, 8},
        {"vfredusum.vs", 0x01, 1, 16, 24, 1, 8},
        {"vfredosum.vs v0.t", 0x03, 0, 16, 24, 1, 8},
        {"vfredmin.vs", 0x05, 1, 16, 24, 1, 8},
        {"vfredmax.vs v0.t vd=vs2", 0x07, 0, 16, 24, 1, 16},
        {"vfwadd.vv", 0x30, 1, 16, 24, 1, 8},
        {"vfwadd.vf v0.t", 0x30, 0, 16, 0, 5, 8},
        {"vfwsub.wv vd=vs2", 0x36, 1, 8, 24, 1, 8},
        {"vfwmul.vv top", 0x38, 1, 9, 24, 1, 8},
        {"vfwmacc.vv v0.t", 0x3c, 0, 16, 24, 1, 8},
        {"vfwnmsac.vf", 0x3f, 1, 16, 0, 5, 8},
        {"vfcvt.xu.f.v", 0x12, 1, 16, 0, 1, 8},
        {"vfcvt.x.f.v v0.t", 0x12, 0, 16, 1, 1, 8},
        {"vfcvt.f.xu.v vd=vs2", 0x12, 1, 16, 2, 1, 16},
        {"vfcvt.f.x.v", 0x12, 1, 16, 3, 1, 8},
        {"vfcvt.rtz.x.f.v v0.t", 0x12, 0, 16, 7, 1, 8},
        {"vfwredusum.vs", 0x31, 1, 16, 24, 1, 8},
        {"vfwredosum.vs v0.t", 0x33, 0, 16, 24, 1, 8},
        {"vfwcvt.f.f.v", 0x12, 1, 16, 12, 1, 8},
        {"vfwcvt.xu.f.v v0.t", 0x12, 0, 16, 8, 1, 8},
        {"vfwcvt.f.x.v top", 0x12, 1, 9, 11, 1, 8},
        {"vfwcvt.rtz.x.f.v", 0x12, 1, 16, 15, 1, 8},
        {"vfncvt.f.f.w", 0x12, 1, 16, 20, 1, 8},
        {"vfncvt.rod.f.f.w v0.t", 0x12, 0, 16, 21, 1, 8},
        {"vfncvt.x.f.w vd=vs2", 0x12, 1, 16, 17, 1, 16},
        {"vfncvt.f.xu.w", 0x12, 1, 16, 18, 1, 8},
        {"vfncvt.rtz.xu.f.w", 0x12, 1, 16, 22, 1, 8},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        check_against_exact(opv(forms[i].f6, forms[i].vm, forms[i].vs2,
                                forms[i].vs1, forms[i].f3, forms[i].vd),
                            forms[i].name);
    }
}

/* Hand-checked cases of the forms above. */
static void test_fast2_clip_and_permute(void **state)
{
    CPURISCVState *env = new_env(VT(0, 0), 4);
    uint64_t r;
    uint16_t w;

    (void)state;
    /* vsmul.vv at SEW 8: -128 * -128 saturates to 127, vxsat */
    set8(env, 16, 0, 0x80);
    set8(env, 24, 0, 0x80);
    set8(env, 16, 1, 0x40); /* 64 * 64 >> 7 = 32 */
    set8(env, 24, 1, 0x40);
    env->vxsat = 0;
    assert_true(vec_fast_op(env, opv(0x27, 1, 16, 24, 0, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 0x7f);
    assert_int_equal(get8(env, 8, 1), 32);
    assert_int_equal(env->vxsat, 1);
    /* vnclipu.wi v8, v16, 4 (rnu): 0x0118 >> 4 = 0x11 + 1; 0x1000 clips */
    env->vxsat = 0;
    env->vxrm = 0;
    w = 0x0118;
    memcpy(env->vreg + 16 * 16, &w, 2);
    w = 0x1000;
    memcpy(env->vreg + 16 * 16 + 2, &w, 2);
    env->vreg[0] = 0x1; /* element 1 (clipping) masked off: no vxsat */
    assert_true(vec_fast_op(env, opv(0x2e, 0, 16, 4, 3, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 0x12);
    assert_int_equal(env->vxsat, 0);
    assert_true(vec_fast_op(env, opv(0x2e, 1, 16, 4, 3, 8), 0, &r));
    assert_int_equal(get8(env, 8, 1), 0xff);
    assert_int_equal(env->vxsat, 1);
    /* vcompress.vm v8, v16, v4: elements 1 and 3, then v8[2..] kept */
    env->vreg[4 * 16] = 0xa;
    set8(env, 8, 2, 0x55);
    assert_true(vec_fast_op(env, opv(0x17, 1, 16, 4, 2, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), get8(env, 16, 1));
    assert_int_equal(get8(env, 8, 1), get8(env, 16, 3));
    assert_int_equal(get8(env, 8, 2), 0x55);
    /* vcompress masked or into its mask register: declined */
    assert_false(vec_fast_op(env, opv(0x17, 0, 16, 4, 2, 8), 0, &r));
    assert_false(vec_fast_op(env, opv(0x17, 1, 16, 8, 2, 8), 0, &r));
    /* viota.m v8, v4 (0b1010): 0, 0, 1, 1 */
    assert_true(vec_fast_op(env, opv(0x14, 1, 4, 0x10, 2, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), 0);
    assert_int_equal(get8(env, 8, 2), 1);
    assert_int_equal(get8(env, 8, 3), 1);
    /* vrgatherei16.vv v8, v16, v24: index 3, then 16 (>= VLMAX: 0) */
    w = 3;
    memcpy(env->vreg + 24 * 16, &w, 2);
    w = 16;
    memcpy(env->vreg + 24 * 16 + 2, &w, 2);
    assert_true(vec_fast_op(env, opv(0x0e, 1, 16, 24, 0, 8), 0, &r));
    assert_int_equal(get8(env, 8, 0), get8(env, 16, 3));
    assert_int_equal(get8(env, 8, 1), 0);
    /* vrgatherei16 into its index group: declined */
    assert_false(vec_fast_op(env, opv(0x0e, 1, 16, 8, 0, 8), 0, &r));
    free(env);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fast2_fixed_point),
        cmocka_unit_test(test_fast2_reduce_and_slide),
        cmocka_unit_test(test_fast2_fp_minmax),
        cmocka_unit_test(test_fast2_mem),
        cmocka_unit_test(test_fast2_against_exact),
        cmocka_unit_test(test_fast2_clip_and_permute),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
