/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rvv-simd: the forms ctcg translates to host SIMD (trans_rvv_simd.c.inc)
 * against qemu-riscv64 (run-vector.sh simd, VLEN 128 to 1024).
 *
 * Each case is one function: a constant vsetvli (so the translator
 * speculates on that vtype), whole-register loads of vd, vs2, vs1 and the
 * mask, optionally a write of vstart or fflags, the instruction, and a
 * whole-register store of vd: one line with a hash of vd's group (tail
 * included), vl and fflags.  Every case runs with AVL = VLMAX (the
 * generated path) and AVL = 3 (the helper), unmasked and masked
 * (v0.t: the helper), with vstart = 1 (the helper), and the FP ones with
 * fflags clear and NX set, over data classes: random, exact (small
 * integers), special (NaN, inf, zero, subnormal, huge).  A last case
 * switches vtype inside a loop: the code after the join was translated
 * for one vtype and must run under the other too.  The last ones check
 * what the translator takes as known across a region's labels and
 * entry (vset_known, vk_loop, vk_home_loop: loops whose back edges break
 * it, which must be translated again without it; vk_keep_head: a loop
 * head's vsetvli that keeps vl only when the entry's flag holds).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAXB (8 * 1024 / 8) /* an LMUL 8 group at VLEN 1024 */

static uint8_t va[MAXB], vb[MAXB], vd[MAXB], vm[MAXB], out[2 * MAXB];
static uint64_t seed = 1;

static uint64_t rnd(void)
{
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 17;
}

static uint64_t hash(const uint8_t *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;

    for (size_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 1099511628211ull;
    }
    return h;
}

/* 2 to the power -@e (0 <= @e < 1000), exactly. */
static double pow2m(int e)
{
    uint64_t u = (uint64_t)(1023 - e) << 52;
    double d;

    memcpy(&d, &u, 8);
    return d;
}

/* Fill @p (@n bytes, elements of @esz bytes) with data of @cls. */
static void fill(uint8_t *p, size_t n, int esz, int fp, int cls)
{
    static const uint32_t sp_s[] = {
        0x7fc00000, 0x7f800001, 0x7f800000, 0xff800000, 0,          0x80000000,
        0x00000001, 0x00700000, 0x7f7fffff, 0x7e900000, 0x3f800000, 0x00800000};
    static const uint64_t sp_d[] = {0x7ff8000000000000ull,
                                    0x7ff0000000000001ull,
                                    0x7ff0000000000000ull,
                                    0xfff0000000000000ull,
                                    0,
                                    0x8000000000000000ull,
                                    1,
                                    0x000f000000000000ull,
                                    0x7fefffffffffffffull,
                                    0x7fd8000000000000ull,
                                    0x3ff0000000000000ull,
                                    0x0010000000000000ull};

    for (size_t i = 0; i < n; i += esz) {
        uint64_t r = rnd();

        if (fp && esz == 4) {
            float f = cls == 1   ? (float)(int)(r % 64) - 32
                      : cls == 3 ? ((float)(int)(r % 4096) - 2048) *
                                       (float)pow2m((int)((r >> 20) % 24))
                                 : (float)(r % 100000) / 977.0f - 50.0f;
            uint32_t u;

            memcpy(&u, &f, 4);
            if (cls == 2 && r % 5 == 0) {
                u = sp_s[(r >> 8) % 12];
            }
            memcpy(p + i, &u, 4);
        } else if (fp) {
            double f = cls == 1 ? (double)(int)(r % 64) - 32
                       : cls == 3
                           ? ((double)(int64_t)(r % (1u << 26)) - (1 << 25)) *
                                 pow2m((int)((r >> 30) % 52))
                           : (double)(r % 100000) / 977.0 - 50.0;
            uint64_t u;

            memcpy(&u, &f, 8);
            if (cls == 2 && r % 5 == 0) {
                u = sp_d[(r >> 8) % 12];
            }
            memcpy(p + i, &u, 8);
        } else {
            uint64_t v = r ^ rnd() << 32;

            memcpy(p + i, &v, esz);
        }
    }
}

/* The state a case starts from and what it reports. */
struct run {
    long avl;
    uint64_t x;
    long vstart, fflags_in, frm;
    long vl, fflags_out;
};

#define S(x) #x
#define CASE(NAME, SEW, LMUL, LM, INSN)                                        \
    static void NAME(struct run *r)                                            \
    {                                                                          \
        long vl, fl;                                                           \
        __asm__ volatile(                                                      \
            "vsetvli %[vl], %[avl], e" S(SEW) ", m" S(                         \
                LMUL) ", ta, ma\n"                                             \
                      "vl" S(LM) "re" S(                                       \
                          SEW) ".v v8, (%[d])\n"                               \
                               "vl" S(LM) "re" S(                              \
                                   SEW) ".v v16, (%[a])\n"                     \
                                        "vl" S(LM) "re" S(                     \
                                            SEW) ".v v24, (%[b])\n"            \
                                                 "vl1re8.v v0, (%[m])\n"       \
                                                 "fsflags %[fi]\n"             \
                                                 "fsrm %[rm]\n"                \
                                                 "csrw vstart, %[vs]\n"        \
                                                 "fmv.d.x ft0, %[x]\n" INSN    \
                                                 "\n"                          \
                                                 "frflags %[fl]\n"             \
                                                 "fsrm zero\n"                 \
                                                 "vs" S(LM) "r.v v8, (%[o])\n" \
            : [vl] "=&r"(vl), [fl] "=&r"(fl)                                   \
            : [avl] "r"(r->avl), [d] "r"(vd), [a] "r"(va), [b] "r"(vb),        \
              [m] "r"(vm), [o] "r"(out), [x] "r"(r->x), [vs] "r"(r->vstart),   \
              [fi] "r"(r->fflags_in), [rm] "r"(r->frm)                         \
            : "memory", "ft0", "ft1", "t0", "t1", "v0", "v8", "v9", "v10",     \
              "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19",   \
              "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28",   \
              "v29", "v30", "v31");                                            \
        r->vl = vl;                                                            \
        r->fflags_out = fl;                                                    \
    }

/*
 * The instructions (MS: "" or ", v0.t"), each at every SEW and LMUL it
 * is generated for.
 */
#define INT_INSNS(X, SEW, LMUL, LM, MS)                             \
    X(vadd_vv, SEW, LMUL, LM, "vadd.vv v8, v16, v24" MS)            \
    X(vadd_vx, SEW, LMUL, LM, "vadd.vx v8, v16, %[x]" MS)           \
    X(vadd_vi, SEW, LMUL, LM, "vadd.vi v8, v16, -7" MS)             \
    X(vsub_vv, SEW, LMUL, LM, "vsub.vv v8, v16, v24" MS)            \
    X(vsub_vx, SEW, LMUL, LM, "vsub.vx v8, v16, %[x]" MS)           \
    X(vrsub_vx, SEW, LMUL, LM, "vrsub.vx v8, v16, %[x]" MS)         \
    X(vrsub_vi, SEW, LMUL, LM, "vrsub.vi v8, v16, 5" MS)            \
    X(vand_vv, SEW, LMUL, LM, "vand.vv v8, v16, v24" MS)            \
    X(vor_vx, SEW, LMUL, LM, "vor.vx v8, v16, %[x]" MS)             \
    X(vxor_vi, SEW, LMUL, LM, "vxor.vi v8, v16, -1" MS)             \
    X(vminu_vv, SEW, LMUL, LM, "vminu.vv v8, v16, v24" MS)          \
    X(vmin_vx, SEW, LMUL, LM, "vmin.vx v8, v16, %[x]" MS)           \
    X(vmaxu_vx, SEW, LMUL, LM, "vmaxu.vx v8, v16, %[x]" MS)         \
    X(vmax_vv, SEW, LMUL, LM, "vmax.vv v8, v16, v24" MS)            \
    X(vmul_vv, SEW, LMUL, LM, "vmul.vv v8, v16, v24" MS)            \
    X(vmul_vx, SEW, LMUL, LM, "vmul.vx v8, v16, %[x]" MS)           \
    X(vsll_vx, SEW, LMUL, LM, "vsll.vx v8, v16, %[x]" MS)           \
    X(vsrl_vi, SEW, LMUL, LM, "vsrl.vi v8, v16, 3" MS)              \
    X(vsra_vx, SEW, LMUL, LM, "vsra.vx v8, v16, %[x]" MS)           \
    X(vsra_vi, SEW, LMUL, LM, "vsra.vi v8, v16, 31" MS)             \
    X(vadd_same, SEW, LMUL, LM,                                     \
      "vadd.vv v16, v16, v16" MS "\nvmv.v.v v8, v16")               \
    X(vmv_vv, SEW, LMUL, LM, "vmv.v.v v8, v24")                     \
    X(vmv_vx, SEW, LMUL, LM, "vmv.v.x v8, %[x]")                    \
    X(vmv_vi, SEW, LMUL, LM, "vmv.v.i v8, -3")                      \
    X(vmseq_vx, SEW, LMUL, LM, "vmseq.vx v8, v16, %[x]" MS)         \
    X(vmseq_vv, SEW, LMUL, LM, "vmseq.vv v8, v16, v16" MS)          \
    X(vmsne_vv, SEW, LMUL, LM, "vmsne.vv v8, v16, v24" MS)          \
    X(vmsltu_vx, SEW, LMUL, LM, "vmsltu.vx v8, v16, %[x]" MS)       \
    X(vmslt_vv, SEW, LMUL, LM, "vmslt.vv v8, v16, v24" MS)          \
    X(vmsleu_vi, SEW, LMUL, LM, "vmsleu.vi v8, v16, -3" MS)         \
    X(vmsle_vx, SEW, LMUL, LM, "vmsle.vx v8, v16, %[x]" MS)         \
    X(vmsgtu_vi, SEW, LMUL, LM, "vmsgtu.vi v8, v16, 7" MS)          \
    X(vmsgt_vx, SEW, LMUL, LM, "vmsgt.vx v8, v16, %[x]" MS)         \
    X(vle_vse, SEW, LMUL, LM,                                       \
      "vse" S(SEW) ".v v16, (%[o])\nvle" S(SEW) ".v v8, (%[o])" MS) \
    X(vmv_xs, SEW, LMUL, LM, "vmv.x.s t0, v16\nvmv.v.x v8, t0")     \
    X(vadd_vi_dd, SEW, LMUL, LM, "vadd.vi v8, v8, 1" MS)            \
    X(vsub_vv_dd, SEW, LMUL, LM, "vsub.vv v8, v8, v24" MS)          \
    X(vxor_vx_dd, SEW, LMUL, LM, "vxor.vx v8, v8, %[x]" MS)         \
    X(vor_vv_ddd, SEW, LMUL, LM, "vor.vv v8, v8, v8" MS)            \
    X(vcount, SEW, LMUL, LM,                                        \
      "vmsltu.vx v0, v16, %[x]\nvadd.vi v8, v8, 1, v0.t\n"          \
      "vmsltu.vv v0, v24, v16\nvsub.vx v8, v8, %[x], v0.t")         \
    X(vmandn_mm, SEW, LMUL, LM, "vmandn.mm v8, v16, v24")           \
    X(vmand_mm, SEW, LMUL, LM, "vmand.mm v8, v16, v24")             \
    X(vmor_mm, SEW, LMUL, LM, "vmor.mm v8, v24, v16")               \
    X(vmxor_mm, SEW, LMUL, LM, "vmxor.mm v8, v16, v24")             \
    X(vmorn_mm, SEW, LMUL, LM, "vmorn.mm v8, v16, v24")             \
    X(vmnand_mm, SEW, LMUL, LM, "vmnand.mm v8, v16, v16")           \
    X(vmnor_mm, SEW, LMUL, LM, "vmnor.mm v8, v8, v24")              \
    X(vmxnor_mm, SEW, LMUL, LM, "vmxnor.mm v8, v8, v8")             \
    X(vmcmp_logic, SEW, LMUL, LM,                                   \
      "vmsltu.vx v0, v16, %[x]\nvmseq.vv v8, v16, v24\n"            \
      "vmor.mm v0, v0, v8\nvadd.vi v8, v16, 3, v0.t")

#define FP_INSNS(X, SEW, LMUL, LM, MS)                          \
    X(vfadd_vv, SEW, LMUL, LM, "vfadd.vv v8, v16, v24" MS)      \
    X(vfadd_vf, SEW, LMUL, LM, "vfadd.vf v8, v16, ft0" MS)      \
    X(vfsub_vv, SEW, LMUL, LM, "vfsub.vv v8, v16, v24" MS)      \
    X(vfsub_vf, SEW, LMUL, LM, "vfsub.vf v8, v16, ft0" MS)      \
    X(vfmul_vv, SEW, LMUL, LM, "vfmul.vv v8, v16, v24" MS)      \
    X(vfmul_vf, SEW, LMUL, LM, "vfmul.vf v8, v16, ft0" MS)      \
    X(vfmacc_vv, SEW, LMUL, LM, "vfmacc.vv v8, v16, v24" MS)    \
    X(vfmacc_vf, SEW, LMUL, LM, "vfmacc.vf v8, ft0, v16" MS)    \
    X(vfnmacc_vv, SEW, LMUL, LM, "vfnmacc.vv v8, v16, v24" MS)  \
    X(vfmsac_vf, SEW, LMUL, LM, "vfmsac.vf v8, ft0, v24" MS)    \
    X(vfnmsac_vv, SEW, LMUL, LM, "vfnmsac.vv v8, v24, v16" MS)  \
    X(vfmadd_vv, SEW, LMUL, LM, "vfmadd.vv v8, v16, v24" MS)    \
    X(vfnmadd_vf, SEW, LMUL, LM, "vfnmadd.vf v8, ft0, v16" MS)  \
    X(vfmsub_vv, SEW, LMUL, LM, "vfmsub.vv v8, v24, v16" MS)    \
    X(vfnmsub_vf, SEW, LMUL, LM, "vfnmsub.vf v8, ft0, v24" MS)  \
    X(vfmacc_same, SEW, LMUL, LM, "vfmacc.vv v8, v8, v8" MS)    \
    X(vfredusum, SEW, LMUL, LM, "vfredusum.vs v8, v16, v24" MS) \
    X(vfredosum, SEW, LMUL, LM, "vfredosum.vs v8, v24, v16" MS) \
    X(vfmv_vf, SEW, LMUL, LM, "vfmv.v.f v8, ft0")               \
    X(vfmv_fs, SEW, LMUL, LM,                                   \
      "vfmv.f.s ft1, v16\nfmv.x.d t0, ft1\nsrli t1, t0, 31\n"   \
      "vmv.v.x v8, t0\nvadd.vx v8, v8, t1")                     \
    X(vmv_xs_f, SEW, LMUL, LM, "vmv.x.s t0, v16\nvmv.v.x v8, t0")

/* Widening, at SEW 16 (the whole-register accesses cover vd's 2 LMUL). */
#define WIDE_INSNS(X, SEW, LMUL, LM, MS)                       \
    X(vwmacc_vv, SEW, LMUL, LM, "vwmacc.vv v8, v16, v24" MS)   \
    X(vwmacc_vx, SEW, LMUL, LM, "vwmacc.vx v8, %[x], v16" MS)  \
    X(vwmaccu_vv, SEW, LMUL, LM, "vwmaccu.vv v8, v16, v24" MS) \
    X(vwmaccu_vx, SEW, LMUL, LM, "vwmaccu.vx v8, %[x], v16" MS)

/* Defining the functions: unmasked (_u) and masked (_m) ones. */
#define DEF_U(N, SEW, LMUL, LM, I) CASE(N##_u_##SEW##_##LMUL, SEW, LMUL, LM, I)
#define DEF_M(N, SEW, LMUL, LM, I) CASE(N##_m_##SEW##_##LMUL, SEW, LMUL, LM, I)
#define DEF_VT(L, SEW, LMUL, LM) \
    L(DEF_U, SEW, LMUL, LM, "")  \
    L(DEF_M, SEW, LMUL, LM, ", v0.t")
#define ALL_VT(L, F) \
    F(L, 8, f4, 1)   \
    F(L, 8, f2, 1)   \
    F(L, 16, f2, 1)  \
    F(L, 32, f2, 1)  \
    F(L, 8, 1, 1)    \
    F(L, 8, 2, 2)    \
    F(L, 8, 8, 8)    \
    F(L, 16, 1, 1)   \
    F(L, 16, 4, 4)   \
    F(L, 32, 1, 1)   \
    F(L, 32, 2, 2)   \
    F(L, 32, 4, 4)   \
    F(L, 32, 8, 8)   \
    F(L, 64, 1, 1)   \
    F(L, 64, 2, 2)   \
    F(L, 64, 8, 8)
#define FP_VT(L, F) \
    F(L, 32, 1, 1)  \
    F(L, 32, 2, 2)  \
    F(L, 32, 4, 4)  \
    F(L, 32, 8, 8)  \
    F(L, 64, 1, 1)  \
    F(L, 64, 4, 4)

#define WIDE_VT(L, F) \
    F(L, 16, 1, 2)    \
    F(L, 16, 2, 4)    \
    F(L, 16, 4, 8)

ALL_VT(INT_INSNS, DEF_VT)
FP_VT(FP_INSNS, DEF_VT)
WIDE_VT(WIDE_INSNS, DEF_VT)

/* The table of cases. */
struct tcase {
    const char *name;
    void (*fn)(struct run *);
    int sew, fp;
};

#define ENT_U(N, SEW, LMUL, LM, I) \
    {#N "_u_" #SEW "_" #LMUL, N##_u_##SEW##_##LMUL, SEW, FPK},
#define ENT_M(N, SEW, LMUL, LM, I) \
    {#N "_m_" #SEW "_" #LMUL, N##_m_##SEW##_##LMUL, SEW, FPK},
#define ENT_VT(L, SEW, LMUL, LM) \
    L(ENT_U, SEW, LMUL, LM, "")  \
    L(ENT_M, SEW, LMUL, LM, "")

static const struct tcase cases[] = {
#define FPK 0
    ALL_VT(INT_INSNS, ENT_VT) WIDE_VT(WIDE_INSNS, ENT_VT)
#undef FPK
#define FPK 1
        FP_VT(FP_INSNS, ENT_VT)
#undef FPK
};

/* One case under one set of conditions: prints its line. */
static void run_case(const struct tcase *c, long avl, long vstart, long fl,
                     int cls, int boxed, int rm)
{
    struct run r = {.avl = avl, .vstart = vstart, .fflags_in = fl, .frm = rm};
    int esz = c->sew / 8;

    fill(va, MAXB, esz, c->fp, cls);
    fill(vb, MAXB, esz, c->fp, cls);
    fill(vd, MAXB, esz, c->fp, cls);
    fill(vm, MAXB, 1, 0, 0);
    fill((uint8_t *)&r.x, 8, 8, 0, 0);
    if (c->fp) {
        fill((uint8_t *)&r.x, esz, esz, 1, cls);
        if (esz == 4 && boxed) {
            r.x |= 0xffffffff00000000ull;
        }
    }
    memset(out, 0, sizeof(out));
    c->fn(&r);
    printf("%s avl %ld vstart %ld fl %ld cls %d box %d rm %d: vl %ld fflags "
           "%ld %016llx\n",
           c->name, avl, vstart, fl, cls, boxed, rm, r.vl, r.fflags_out,
           (unsigned long long)hash(out, MAXB));
}

/*
 * Strip-mined loops (the vl < VLMAX tail, issue 17): each trip sets vl =
 * min(n, VLMAX), loads vs2, vs1 and vd's old value with vle (which keeps
 * vd's tail), runs the instruction and stores vd with vse; vfirst.m and
 * vcpop.m results are mixed into acc.  After the loop the whole vd group
 * is stored too (the last trip's tail: undisturbed, as QEMU 7.2).  A
 * vsetivli with vl = 1 before the call makes the translator choose the
 * tail forms for the TBs it translates then.
 */
struct tail_run {
    long n, x, acc;
};

#define TCASE(NAME, SEW, LMUL, LM, INSN)                                                      \
    static void NAME(struct tail_run *r)                                                      \
    {                                                                                         \
        const uint8_t *a = va, *b = vb, *d = vd;                                              \
        uint8_t *o = out;                                                                     \
        long n = r->n, acc = 0;                                                               \
        __asm__ volatile(                                                                     \
            "vsetivli x0, 1, e8, m1, ta, ma\n"                                                \
            "vl1re8.v v0, (%[m])\n"                                                           \
            "1: vsetvli t0, %[n], e" S(SEW) ", m" S(                                          \
                LMUL) ", ta, ma\n"                                                            \
                      "vle" S(                                                                \
                          SEW) ".v v16, (%[a])\n"                                             \
                               "vle" S(                                                       \
                                   SEW) ".v v24, (%[b])\n"                                    \
                                        "vle" S(                                              \
                                            SEW) ".v v8, (%[d])\n" INSN "\n"                  \
                                                 "vse" S(                                     \
                                                     SEW) ".v v8, (%[o])\n"                   \
                                                          "li t1, " S(                        \
                                                              SEW) " / 8\n"                   \
                                                                   "mul t1, t1, t0\n"         \
                                                                   "add %[a], %[a], t1\n"     \
                                                                   "add %[b], %[b], t1\n"     \
                                                                   "add %[d], %[d], t1\n"     \
                                                                   "add %[o], %[o], t1\n"     \
                                                                   "sub %[n], %[n], t0\n"     \
                                                                   "bnez %[n], 1b\n"          \
                                                                   "vs" S(                    \
                                                                       LM) "r.v v8, (%[g])\n" \
            : [n] "+r"(n), [a] "+r"(a), [b] "+r"(b), [d] "+r"(d), [o] "+r"(o),                \
              [acc] "+r"(acc)                                                                 \
            : [m] "r"(vm), [x] "r"(r->x), [g] "r"(out + MAXB)                                 \
            : "memory", "t0", "t1", "t2", "v0", "v8", "v9", "v10", "v11",                     \
              "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20",                  \
              "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29",                  \
              "v30", "v31");                                                                  \
        r->acc = acc;                                                                         \
    }

/* acc = acc * 33 ^ t2 */
#define MIX \
    "\nslli t1, %[acc], 5\nadd %[acc], %[acc], t1\nxor %[acc], %[acc], t2"

#define TAIL_INSNS(X, SEW, LMUL, LM)                                 \
    X(tvadd_vv, SEW, LMUL, LM, "vadd.vv v8, v16, v24")               \
    X(tvadd_vvm, SEW, LMUL, LM, "vadd.vv v8, v16, v24, v0.t")        \
    X(tvsub_vx, SEW, LMUL, LM, "vsub.vx v8, v16, %[x]")              \
    X(tvrsub_vi, SEW, LMUL, LM, "vrsub.vi v8, v16, 9")               \
    X(tvxor_vxm, SEW, LMUL, LM, "vxor.vx v8, v16, %[x], v0.t")       \
    X(tvmaxu_vv, SEW, LMUL, LM, "vmaxu.vv v8, v16, v24")             \
    X(tvmul_vv, SEW, LMUL, LM, "vmul.vv v8, v16, v24")               \
    X(tvsll_vx, SEW, LMUL, LM, "vsll.vx v8, v16, %[x]")              \
    X(tvsra_vi, SEW, LMUL, LM, "vsra.vi v8, v16, 3")                 \
    X(tvmv_vx, SEW, LMUL, LM, "vmv.v.x v8, %[x]")                    \
    X(tvmv_vi, SEW, LMUL, LM, "vmv.v.i v8, 11")                      \
    X(tvmv_vv, SEW, LMUL, LM, "vmv.v.v v8, v24")                     \
    X(tvmseq_vx, SEW, LMUL, LM, "vmseq.vx v8, v16, %[x]")            \
    X(tvmsltu_vv, SEW, LMUL, LM, "vmsltu.vv v8, v16, v24")           \
    X(tvmsne_vim, SEW, LMUL, LM, "vmsne.vi v8, v16, 0, v0.t")        \
    X(tvfirst, SEW, LMUL, LM, "vfirst.m t2, v16" MIX)                \
    X(tvfirst_m, SEW, LMUL, LM, "vfirst.m t2, v16, v0.t" MIX)        \
    X(tvcpop, SEW, LMUL, LM, "vcpop.m t2, v24" MIX)                  \
    X(tvcpop_m, SEW, LMUL, LM, "vcpop.m t2, v24, v0.t" MIX)          \
    X(tvmseq_first, SEW, LMUL, LM,                                   \
      "vmseq.vx v8, v16, %[x]\nvfirst.m t2, v8\nvcpop.m t2, v8" MIX) \
    X(tvadd_vim_dd, SEW, LMUL, LM, "vadd.vi v8, v8, 1, v0.t")        \
    X(tvsub_vx_dd, SEW, LMUL, LM, "vsub.vx v8, v8, %[x]")            \
    X(tvcount, SEW, LMUL, LM,                                        \
      "vmsltu.vv v0, v16, v24\nvadd.vv v8, v8, v24, v0.t")           \
    X(tvmand_mm, SEW, LMUL, LM, "vmand.mm v8, v16, v24")             \
    X(tvmxnor_mm, SEW, LMUL, LM, "vmxnor.mm v8, v8, v24")            \
    X(tvmorn_cmp, SEW, LMUL, LM,                                     \
      "vmseq.vx v8, v16, %[x]\nvmorn.mm v8, v8, v24\nvcpop.m t2, v8" MIX)

#define DEF_T(N, SEW, LMUL, LM, I) TCASE(N##_##SEW##_##LMUL, SEW, LMUL, LM, I)
#define TAIL_VT(F)   \
    F(DEF, 8, f2, 1) \
    F(DEF, 8, 1, 1)  \
    F(DEF, 8, 8, 8)  \
    F(DEF, 16, 2, 2) \
    F(DEF, 16, 4, 4) \
    F(DEF, 32, 1, 1) \
    F(DEF, 32, 4, 4) \
    F(DEF, 64, 2, 2)
#define TAIL_DEF(D, SEW, LMUL, LM) TAIL_INSNS(DEF_T, SEW, LMUL, LM)
TAIL_VT(TAIL_DEF)

struct tail_case {
    const char *name;
    void (*fn)(struct tail_run *);
    int sew;
};

#define ENT_T(N, SEW, LMUL, LM, I) \
    {#N "_" #SEW "_" #LMUL, N##_##SEW##_##LMUL, SEW},
#define TAIL_ENT(D, SEW, LMUL, LM) TAIL_INSNS(ENT_T, SEW, LMUL, LM)
static const struct tail_case tail_cases[] = {TAIL_VT(TAIL_ENT)};

/* Each tail case at n = 1, 2, 3 and around multiples of 16 elements. */
static void tail_cases_run(void)
{
    static const long ns[] = {1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 100, 127};

    for (size_t i = 0; i < sizeof(tail_cases) / sizeof(tail_cases[0]); i++) {
        const struct tail_case *c = &tail_cases[i];

        for (size_t k = 0; k < sizeof(ns) / sizeof(ns[0]); k++) {
            struct tail_run r = {.n = ns[k]};

            if (ns[k] * (c->sew / 8) > MAXB / 2) {
                continue;
            }
            fill(va, MAXB, c->sew / 8, 0, 0);
            fill(vb, MAXB, c->sew / 8, 0, 0);
            fill(vd, MAXB, 1, 0, 0);
            fill(vm, MAXB, 1, 0, 0);
            fill((uint8_t *)&r.x, 8, 8, 0, 0);
            if (k % 3 == 0) { /* some elements equal to x, some zero */
                memcpy(va + 5 * (c->sew / 8), &r.x, c->sew / 8);
                memset(va + 9 * (c->sew / 8), 0, c->sew / 8);
            }
            memset(out, 0, sizeof(out));
            c->fn(&r);
            printf("%s n %ld: acc %ld %016llx\n", c->name, r.n, r.acc,
                   (unsigned long long)hash(out, sizeof(out)));
        }
    }
}

/*
 * vtype switched inside a loop: odd trips run the vadd at e32, even ones
 * at e16 (a carry crosses 16-bit lanes), the vadd after the join.
 */
static void vtype_loop(void)
{
    long n = 9;

    memset(va, 0xff, 64);
    memset(vb, 0x01, 64);
    __asm__ volatile("vl1re8.v v8, (%[a])\n"
                     "vl1re8.v v16, (%[b])\n"
                     "1: andi t1, %[n], 1\n"
                     "beqz t1, 2f\n"
                     "vsetvli t0, x0, e32, m1, ta, ma\n"
                     "j 3f\n"
                     "2: vsetvli t0, x0, e16, m1, ta, ma\n"
                     "3: vadd.vv v8, v8, v16\n"
                     "vadd.vv v8, v8, v8\n"
                     "addi %[n], %[n], -1\n"
                     "bnez %[n], 1b\n"
                     "vs1r.v v8, (%[o])\n"
                     : [n] "+r"(n)
                     : [a] "r"(va), [b] "r"(vb), [o] "r"(out)
                     : "memory", "t0", "t1", "v8", "v16");
    printf("vtype loop: %016llx\n", (unsigned long long)hash(out, 16));
}

/*
 * count() of bench/workloads/vec.c as clang-19 -O3 emits it (v-hist): a
 * vle8.v at mf2, vmseq.vx into v0, a masked vadd.vi at e32/m2 with mu
 * (the counts of the lanes whose byte differs stay), over @n bytes
 * (a multiple of 8) of va for each byte value in @vals; then the counts'
 * group.  Bit for bit with QEMU at every VLEN (the trip is VLEN / 16
 * bytes).
 */
static void hist_loop(int n)
{
    static const uint8_t vals[] = {0, 1, 7, 0x80, 0xff};
    uint64_t h = 0;

    for (int i = 0; i < n; i++) {
        va[i] = (uint8_t)(rnd() % 5 == 0 ? vals[rnd() % 5] : rnd());
    }
    for (size_t k = 0; k < sizeof(vals); k++) {
        const uint8_t *p = va, *end = va + n;
        long vl;

        memset(out, 0, 512);
        __asm__ volatile(
            "vsetvli %[vl], zero, e32, m2, ta, ma\n"
            "vmv.v.i v8, 0\n"
            "1: vsetvli zero, zero, e8, mf2, ta, ma\n"
            "vle8.v v10, (%[p])\n"
            "vmseq.vx v0, v10, %[v]\n"
            "add %[p], %[p], %[vl]\n"
            "vsetvli zero, zero, e32, m2, ta, mu\n"
            "vadd.vi v8, v8, 1, v0.t\n"
            "bltu %[p], %[e], 1b\n"
            "vs2r.v v8, (%[o])\n"
            "vs1r.v v0, (%[m])\n"
            : [vl] "=&r"(vl), [p] "+r"(p)
            : [e] "r"(end), [v] "r"(vals[k]), [o] "r"(out), [m] "r"(out + 256)
            : "memory", "v0", "v8", "v9", "v10");
        h = h * 31 + hash(out, 512);
    }
    printf("hist loop %d: %016llx\n", n, (unsigned long long)h);
}

/*
 * What a TB knows of vl, vill and vstart (session 11): `vsetvli x0, x0`
 * after a constant vsetvli of the same VLMAX keeps vl without reading it
 * (e8/mf2 -> e32/m2, vl below VLMAX too), one of another VLMAX takes
 * min(vl, VLMAX) (e8/m1 -> e32/m1), and a whole-register load leaves
 * vstart 0 whatever it was (the vadd after it runs in full).  Each with
 * AVL @n; prints vl after each step and the registers' hash.
 */
static void vset_known(long n)
{
    long vl1, vl2, vl3;

    fill(va, 256, 1, 0, 0);
    fill(vb, 256, 1, 0, 0);
    memset(out, 0, 768);
    __asm__ volatile("vl1re8.v v0, (%[b])\n"
                     "vl2re8.v v8, (%[a])\n"
                     "vl1re8.v v10, (%[b])\n"
                     "vl1re8.v v12, (%[a])\n"
                     "vsetvli t0, %[n], e8, mf2, ta, ma\n"
                     "vle8.v v10, (%[b])\n"
                     "vmsltu.vx v0, v10, %[n]\n"
                     "vsetvli zero, zero, e32, m2, ta, mu\n"
                     "vadd.vi v8, v8, 3, v0.t\n"
                     "csrr %[vl1], vl\n"
                     "vs2r.v v8, (%[o])\n"
                     "vsetvli t0, %[n], e8, m1, ta, ma\n"
                     "vadd.vv v12, v10, v10\n"
                     "vsetvli zero, zero, e32, m1, ta, ma\n"
                     "vadd.vi v12, v12, 1\n"
                     "csrr %[vl2], vl\n"
                     "vs1r.v v12, (%[o2])\n"
                     "vsetvli t0, x0, e32, m1, ta, ma\n"
                     "li t1, 2\n"
                     "csrw vstart, t1\n"
                     "vl1re32.v v14, (%[a])\n"
                     "vadd.vv v14, v14, v14\n"
                     "csrr %[vl3], vstart\n"
                     "vs1r.v v14, (%[o3])\n"
                     : [vl1] "=&r"(vl1), [vl2] "=&r"(vl2), [vl3] "=&r"(vl3)
                     : [n] "r"(n), [a] "r"(va), [b] "r"(vb), [o] "r"(out),
                       [o2] "r"(out + 256), [o3] "r"(out + 512)
                     : "memory", "t0", "t1", "v0", "v8", "v9", "v10", "v11",
                       "v12", "v14");
    printf("vset known %ld: vl %ld %ld vstart %ld %016llx\n", n, vl1, vl2, vl3,
           (unsigned long long)hash(out, 768));
}

/*
 * A loop whose head is reached with vl <= VLMAX, vill 0 and the guard
 * known from the constant vsetvli before it, but whose back edge on odd
 * trips comes from a vsetvl of vtype @vt (e8/m1: vl = 16 at VLEN 128,
 * more than the head's e32/m1 VLMAX; or an illegal one: vill set): the
 * head's `vsetvli zero, zero` must then take min(vl, VLMAX) and clear
 * vill (the translator retranslates the loop without what it took as
 * known there).  Prints the vl of every trip and v8.
 */
static void vk_loop(long vt)
{
    long n = 7, acc = 0;

    fill(va, 64, 4, 0, 0);
    fill(vb, 64, 4, 0, 0);
    memset(out, 0, 64);
    __asm__ volatile(
        "vl1re32.v v8, (%[a])\n"
        "vl1re32.v v9, (%[b])\n"
        "vsetvli t0, x0, e32, m1, ta, ma\n"
        "1: vsetvli zero, zero, e32, m1, ta, ma\n"
        "vadd.vv v8, v8, v9\n"
        "csrr t1, vl\n"
        "slli t2, %[acc], 5\n"
        "add %[acc], %[acc], t2\n"
        "add %[acc], %[acc], t1\n"
        "andi t1, %[n], 1\n"
        "beqz t1, 2f\n"
        "vsetvl t1, %[big], %[vt]\n"
        "2: addi %[n], %[n], -1\n"
        "bnez %[n], 1b\n"
        "vsetvli t0, x0, e32, m1, ta, ma\n"
        "vs1r.v v8, (%[o])\n"
        : [n] "+r"(n), [acc] "+r"(acc)
        : [a] "r"(va), [b] "r"(vb), [o] "r"(out), [big] "r"(1000L), [vt] "r"(vt)
        : "memory", "t0", "t1", "t2", "v8", "v9");
    printf("vk loop %#lx: acc %ld %016llx\n", vt, acc,
           (unsigned long long)hash(out, 64));
}

/*
 * A hot loop whose TB starts at its head (the region's entry computes
 * the guard flag once, session 11): every 4th trip a vsetvl switches to
 * e16/m1 for one trip, so that back edge breaks what the entry computed
 * (the translator must then translate the loop again without it); the
 * vadd at e32 or e16 tells which vtype it ran under.
 */
static void vk_home_loop(void)
{
    long n = 300;

    memset(va, 0xff, 64);
    memset(vb, 0x7f, 64); /* a carry out of 16 bits every other trip */
    __asm__ volatile("vl1re8.v v8, (%[a])\n"
                     "vl1re8.v v16, (%[b])\n"
                     "vsetvli t0, x0, e32, m1, ta, ma\n"
                     "j 1f\n"
                     ".balign 64\n"
                     "1: vadd.vv v8, v8, v16\n"
                     "vsetvli t0, x0, e32, m1, ta, ma\n"
                     "andi t1, %[n], 3\n"
                     "bnez t1, 2f\n"
                     "vsetvl t0, x0, %[e16]\n"
                     "2: addi %[n], %[n], -1\n"
                     "bnez %[n], 1b\n"
                     "vsetvli t0, x0, e32, m1, ta, ma\n"
                     "vs1r.v v8, (%[o])\n"
                     : [n] "+r"(n)
                     : [a] "r"(va), [b] "r"(vb), [o] "r"(out), [e16] "r"(0x8L)
                     : "memory", "t0", "t1", "v8", "v16");
    printf("vk home loop: %016llx\n", (unsigned long long)hash(out, 16));
}

/*
 * A loop at its TB's head whose first instruction is `vsetvli zero, zero,
 * e8, mf2` (the VLMAX of e32/m2, the vtype it loops under, as v-hist's
 * count loop): the head keeps vl when the entry's guard flag holds
 * (gen_vsetvl_keep_flag) and must set vl, vstart and vill when it does
 * not, which @mode makes before the loop: 0 nothing (vl = VLMAX under
 * e32/m2), 1 vl = 3, 2 vstart = 1 (v10's element 0 then tells), 3 vill
 * (vsetvl with a reserved bit; vtype's bit 63 tells).  An indirect jump
 * enters the loop, so that its TB starts at the head.
 */
static void vk_keep_head(long mode)
{
    long n = 20, acc = 0;

    for (int i = 0; i < 64; i++) {
        va[i] = (uint8_t)(i * 7 % 5);
    }
    memset(out, 0, 64);
    __asm__ volatile("vsetvli t0, x0, e32, m2, ta, mu\n"
                     "vl2re32.v v8, (%[o])\n"
                     "li t1, 1\n"
                     "bne %[mode], t1, 3f\n"
                     "vsetvli t0, %[three], e32, m2, ta, mu\n"
                     "3: li t1, 2\n"
                     "bne %[mode], t1, 4f\n"
                     "vsetvli t0, x0, e8, mf2, ta, ma\n"
                     "vmv.v.i v10, 1\n" /* element 0 kept if vstart stays */
                     "vsetvli t0, x0, e32, m2, ta, mu\n"
                     "csrwi vstart, 1\n"
                     "4: li t1, 3\n"
                     "bne %[mode], t1, 5f\n"
                     "vsetvl t0, x0, %[bad]\n"
                     "5: lla t1, 1f\n"
                     "jr t1\n" /* ends the TB: the loop's starts at 1 */
                     ".balign 64\n"
                     "1: vsetvli zero, zero, e8, mf2, ta, ma\n"
                     "vle8.v v10, (%[a])\n"
                     "vmseq.vx v0, v10, zero\n"
                     "vsetvli zero, zero, e32, m2, ta, mu\n"
                     "vadd.vi v8, v8, 1, v0.t\n"
                     "csrr t1, vl\n"
                     "slli t2, %[acc], 5\n"
                     "add %[acc], %[acc], t2\n"
                     "add %[acc], %[acc], t1\n"
                     "csrr t1, vtype\n" /* vill: bit 63 */
                     "add %[acc], %[acc], t1\n"
                     "addi %[n], %[n], -1\n"
                     "bnez %[n], 1b\n"
                     "vs2r.v v8, (%[o])\n"
                     : [n] "+r"(n), [acc] "+r"(acc)
                     : [a] "r"(va), [o] "r"(out), [mode] "r"(mode),
                       [three] "r"(3L), [bad] "r"(0x100L)
                     : "memory", "t0", "t1", "t2", "v0", "v8", "v9", "v10");
    printf("vk keep head %ld: acc %ld %016llx\n", mode, acc,
           (unsigned long long)hash(out, 64));
}

/*
 * "rvv-simd fftrim" (ctcg only): a fault-only-first load that trims vl
 * (the page after the data is not mapped), then a vadd in the same TB:
 * its guard must see the new vl, so only the first vl elements double and
 * the rest of the group keeps its value.  QEMU 7.2 runs the vadd at
 * VLMAX (its TB flags still say vl == VLMAX), which the spec does not
 * allow (docs/riscv.md).  Returns: the number of wrong results.
 */
static int ff_trim(void)
{
    long pg = sysconf(_SC_PAGESIZE), vl, vl2;
    uint8_t *p = mmap(NULL, 2 * pg, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int bad = 0;

    if (p == MAP_FAILED || munmap(p + pg, pg)) {
        printf("ff_trim: mmap failed\n");
        return 1;
    }
    for (int k = 1; k <= 5; k++) {
        memset(p, k, pg);
        memset(out, 0xaa, 512);
        __asm__ volatile("vsetvli %[vl], x0, e8, m4, ta, ma\n"
                         "vl4re8.v v8, (%[o])\n"
                         "vle8ff.v v8, (%[p])\n"
                         "vadd.vv v8, v8, v8\n"
                         "csrr %[vl2], vl\n"
                         "vs4r.v v8, (%[o])\n"
                         : [vl] "=&r"(vl), [vl2] "=&r"(vl2)
                         : [p] "r"(p + pg - 3 * k), [o] "r"(out)
                         : "memory", "v8", "v9", "v10", "v11");
        for (long i = 0; i < vl; i++) {
            if (out[i] != (i < 3 * k ? 2 * k : 0xaa)) {
                printf("ff_trim %d: WRONG byte %ld: %#x\n", k, i, out[i]);
                bad++;
                break;
            }
        }
        if (vl2 != 3 * k) {
            printf("ff_trim %d: WRONG vl %ld, not %d\n", k, vl2, 3 * k);
            bad++;
        }
    }
    munmap(p, pg);
    printf("ff_trim: %s\n", bad ? "FAIL" : "ok");
    return bad;
}

int main(int argc, char **argv)
{
    if (argc > 1 && !strcmp(argv[1], "fftrim")) {
        return ff_trim() != 0;
    }
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct tcase *c = &cases[i];
        int masked = strstr(c->name, "_m_") != NULL;

        for (int cls = 0; cls < (c->fp ? 4 : 1); cls++) {
            run_case(c, 1 << 20, 0, 0, cls, 1, 0);
            if (!masked) {
                run_case(c, 3, 0, 0, cls, 1, 0);
            }
            if (!masked && strncmp(c->name, "vfred", 5) != 0) {
                /* qemu-riscv64 7.2 takes a reduction with vstart != 0
                 * as illegal or not by what its TB was translated under */
                run_case(c, 1 << 20, 1, 0, cls, 1, 0);
            }
            if (c->fp) {
                run_case(c, 1 << 20, 0, 1, cls, 1, 0);
                run_case(c, 1 << 20, 0, 0, cls, 0, 0);
                for (int rm = 1; rm <= 4; rm++) {
                    run_case(c, 1 << 20, 0, rm & 1, cls, 1, rm);
                }
            }
        }
    }
    for (int i = 0; i < 3; i++) {
        vtype_loop();
    }
    tail_cases_run();
    for (int n = 64; n <= 1024; n *= 4) {
        hist_loop(n);
    }
    for (int n = 1; n <= 300; n += n / 2 + 1) {
        for (int k = 0; k < 3; k++) { /* the TB again, translated */
            vset_known(n);
        }
    }
    for (int k = 0; k < 3; k++) {
        vk_home_loop();
    }
    for (int k = 0; k < 100; k++) { /* the first call translates it */
        vk_keep_head(k % 4);
    }
    for (int k = 0; k < 3; k++) {
        vk_loop(0x0);   /* e8, m1 */
        vk_loop(0x100); /* a reserved bit: vill */
        vk_loop(0x10);  /* e32, m1 as the head's */
    }
    return 0;
}
