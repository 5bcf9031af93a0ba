/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Zve* subsets of V (RVV 1.0 section 18): which instructions are
 * legal under "-cpu rv64,MODE=true" for MODE Zve32x, Zve32f, Zve64x,
 * Zve64f, Zve64d, and under V ("v").  Each probe runs one instruction
 * and notes "ok" or "ILL" (SIGILL; for vsetvli, vill in vtype), then
 * compares with the spec:
 *   - ELEN 32 for Zve32*: SEW 64 sets vill, EEW 64 loads are reserved,
 *     widening and narrowing at SEW 32 (2 * SEW > ELEN) are illegal;
 *   - vector FP: none in Zve32x/Zve64x, up to 32 bits in Zve32f/Zve64f
 *     (widening to 64 bits and vfwred* included), 64 in Zve64d and V; SEW
 *     16 FP wherever there is FP (QEMU 7.2 runs it without Zvfh);
 *   - Zve64*: no vmulh, vmulhu, vmulhsu, vsmul at SEW 64;
 *   - AT_HWCAP has V only with V.
 * ctcg only: qemu-riscv64 7.2 keeps ELEN 64 under Zve32f and runs
 * vfwred* at SEW 32 under Zve32f/Zve64f (docs/riscv.md).
 * Usage: rvv-zve MODE (zve32x, zve32f, zve64x, zve64f, zve64d or v)
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>

static sigjmp_buf jb;
static unsigned long buf[64];

static void on_ill(int sig)
{
    siglongjmp(jb, sig);
}

#define SET(e) "vsetivli zero, 4, " e ", m1, ta, ma\n\t"
#define PROBE(name, text)                               \
    static void p_##name(void)                          \
    {                                                   \
        asm volatile(text ::"r"(buf) : "memory", "t0"); \
    }
PROBE(add32, SET("e32") "vadd.vv v1, v2, v3")
PROBE(add64, SET("e64") "vadd.vv v1, v2, v3")
PROBE(mul64, SET("e64") "vmul.vv v1, v2, v3")
PROBE(mulh64, SET("e64") "vmulh.vv v1, v2, v3")
PROBE(mulhu64, SET("e64") "vmulhu.vx v1, v2, zero")
PROBE(mulhsu64, SET("e64") "vmulhsu.vv v1, v2, v3")
PROBE(smul64, SET("e64") "vsmul.vv v1, v2, v3")
PROBE(mulh32, SET("e32") "vmulh.vv v1, v2, v3")
PROBE(le64, SET("e32") "vle64.v v2, (%0)")
PROBE(le32, SET("e32") "vle32.v v1, (%0)")
PROBE(fadd16, SET("e16") "vfadd.vv v1, v2, v3")
PROBE(fadd32, SET("e32") "vfadd.vv v1, v2, v3")
PROBE(fadd64, SET("e64") "vfadd.vv v1, v2, v3")
PROBE(fwadd32, SET("e32") "vfwadd.vv v2, v4, v5")
PROBE(fwadd16, SET("e16") "vfwadd.vv v2, v4, v5")
PROBE(fwred32, SET("e32") "vfwredusum.vs v1, v2, v3")
PROBE(fwcvt16, SET("e16") "vfwcvt.f.f.v v2, v4")
PROBE(fncvt16, SET("e16") "vfncvt.f.f.w v2, v4")
PROBE(fmvfs32, SET("e32") "vfmv.f.s ft0, v2")
PROBE(fcvtx32, SET("e32") "vfcvt.x.f.v v2, v4")
PROBE(wcvt8, SET("e8") "vfwcvt.f.x.v v2, v4")
PROBE(vwadd32, SET("e32") "vwadd.vv v2, v4, v5")
PROBE(vnsrl32, SET("e32") "vnsrl.wv v2, v4, v5")
PROBE(vwredsum32, SET("e32") "vwredsum.vs v2, v4, v5")
PROBE(vwadd16, SET("e16") "vwadd.vv v2, v4, v5")
PROBE(fwcvtx32, SET("e32") "vfwcvt.x.f.v v2, v4")
PROBE(fncvtfx32, SET("e32") "vfncvt.f.x.w v2, v4")

static const struct {
    const char *name;
    void (*fn)(void);
    const char *legal; /* the modes where it is legal */
} probes[] = {
#define ALL "zve32x zve32f zve64x zve64f zve64d v"
#define E64 "zve64x zve64f zve64d v"
#define FP "zve32f zve64f zve64d v"
#define FP64 "zve64d v"
    {"vadd.vv e32", p_add32, ALL},
    {"vadd.vv e64", p_add64, E64},
    {"vmul.vv e64", p_mul64, E64},
    {"vmulh.vv e64", p_mulh64, "v"},
    {"vmulhu.vx e64", p_mulhu64, "v"},
    {"vmulhsu.vv e64", p_mulhsu64, "v"},
    {"vsmul.vv e64", p_smul64, "v"},
    {"vmulh.vv e32", p_mulh32, ALL},
    {"vle64.v", p_le64, E64},
    {"vle32.v", p_le32, ALL},
    {"vfadd.vv e16", p_fadd16, FP},
    {"vfadd.vv e32", p_fadd32, FP},
    {"vfadd.vv e64", p_fadd64, FP64},
    {"vfwadd.vv e32", p_fwadd32, FP64},
    {"vfwadd.vv e16", p_fwadd16, FP},
    {"vfwredusum.vs e32", p_fwred32, FP64},
    {"vfwcvt.f.f.v e16", p_fwcvt16, FP},
    {"vfncvt.f.f.w e16", p_fncvt16, FP},
    {"vfmv.f.s e32", p_fmvfs32, FP},
    {"vfcvt.x.f.v e32", p_fcvtx32, FP},
    {"vfwcvt.f.x.v e8", p_wcvt8, FP},
    {"vwadd.vv e32", p_vwadd32, E64},
    {"vnsrl.wv e32", p_vnsrl32, E64},
    {"vwredsum.vs e32", p_vwredsum32, E64},
    {"vwadd.vv e16", p_vwadd16, ALL},
    {"vfwcvt.x.f.v e32", p_fwcvtx32, "zve64f zve64d v"},
    {"vfncvt.f.x.w e32", p_fncvtfx32, "zve64f zve64d v"},
};

static int legal_in(const char *list, const char *mode)
{
    size_t n = strlen(mode);

    for (const char *p = list; (p = strstr(p, mode)) != NULL; p += n) {
        if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0)) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "v";
    struct sigaction sa;
    unsigned long vt, vlenb;
    int bad = 0, e64 = legal_in(E64, mode), v = !strcmp(mode, "v");

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_ill;
    sigaction(SIGILL, &sa, NULL);
    asm volatile("vsetvli zero, zero, e64, m1, ta, ma\n\tcsrr %0, vtype\n\t"
                 "csrr %1, vlenb"
                 : "=r"(vt)
                 : "r"(0), "r"(0)
                 : "memory");
    asm volatile("csrr %0, vlenb" : "=r"(vlenb));
    if ((vt >> 63) == (unsigned long)e64) {
        printf("vsetvli e64: vill %lu, want %d\n", vt >> 63, !e64);
        bad++;
    }
    if (vlenb != 16) {
        printf("vlenb %lu, want 16\n", vlenb);
        bad++;
    }
    if (((getauxval(AT_HWCAP) >> ('V' - 'A')) & 1) != (unsigned long)v) {
        printf("AT_HWCAP V bit: want %d\n", v);
        bad++;
    }
    for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
        volatile int ill = 0;
        int want = legal_in(probes[i].legal, mode);

        if (sigsetjmp(jb, 1) == 0) {
            probes[i].fn();
        } else {
            ill = 1;
        }
        printf("%-20s %s%s\n", probes[i].name, ill ? "ILL" : "ok",
               ill == want ? "  <- WRONG" : "");
        bad += ill == want;
    }
    printf("%s: %s\n", mode, bad ? "FAIL" : "pass");
    return bad != 0;
}
