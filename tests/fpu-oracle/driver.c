/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * FPU oracle, host side: compares target-riscv/fpu against QEMU.
 *
 *   fpu-oracle --guest GUEST [--qemu QEMU] [--count N] [--seed S]
 *              [--keep-going]
 *
 * Generates N records (ops.h: every F/D operation, all five rounding
 * modes, fflags preset to 0 or NX) from the seed: special values, random
 * bit patterns, numbers near the subnormal, overflow and integer
 * conversion boundaries, numbers with few significant bits (exact results
 * and rounding ties), and correlated operands (cancellation in add/sub,
 * products cancelled by the addend in fused multiply-adds).  The records
 * go through GUEST (guest.c) under qemu-riscv64 in chunks; every result
 * and fflags value is compared with both the public functions (fpu_*,
 * with the host fast path) and the software path (sf_*).
 *
 * Exit status 0 if all agree; 1 after printing the first difference (all
 * of them, up to 50, with --keep-going); 2 on usage or system errors.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "target-riscv/fpu/fpu.h"
#include "target-riscv/fpu/softfloat.h"
#include "ops.h"

typedef struct {
    unsigned op, rm, pre;
    uint64_t a, b, c;
} Case;

static const char *const op_names[] = {
#define X(id, kind, insn) #id,
    FPU_ORACLE_OPS(X)
#undef X
};

static const char *const op_kinds[] = {
#define X(id, kind, insn) #kind,
    FPU_ORACLE_OPS(X)
#undef X
};

/* ---------------------------------------------------------------------- */
/* input generation                                                        */

static uint64_t rng;

static uint64_t rnd(void)
{
    uint64_t z = (rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
    return rnd() % n;
}

typedef struct {
    int fb, eb, bias;
} Fmt;

static const Fmt fmt_s = { 23, 8, 127 };
static const Fmt fmt_d = { 52, 11, 1023 };

static uint64_t make(const Fmt *f, bool sign, int64_t e, uint64_t mant)
{
    int64_t emax = (1 << f->eb) - 1;

    e = e < 0 ? 0 : e > emax ? emax : e;
    return ((uint64_t)sign << (f->fb + f->eb)) | ((uint64_t)e << f->fb) |
           (mant & ((1ull << f->fb) - 1));
}

/* a mantissa, often with its low bits cleared (exact results, ties) */
static uint64_t gen_mant(const Fmt *f)
{
    uint64_t m = rnd();

    switch (below(4)) {
    case 0:
        m &= ~0ull << below(f->fb + 1);
        break;
    case 1:
        m &= ~0ull << (f->fb - below(6));
        break;
    default:
        break;
    }
    return m & ((1ull << f->fb) - 1);
}

static uint64_t gen_special(const Fmt *f)
{
    static const int exps[] = { 0, 1, 2, -1, 0, 1, 23, 24, 25, 31, 32,
                                52, 53, 54, 63, 64, 65, -2, -126, -1022 };
    uint64_t half = 1ull << (f->fb - 1), mask = (1ull << f->fb) - 1;
    uint64_t mants[] = { 0, 1, 2, mask, mask - 1, half, half + 1, half - 1,
                         half >> 1 };
    int emax = (1 << f->eb) - 1;
    bool sign = below(2);
    int64_t e;

    switch (below(4)) {
    case 0:  /* zero, subnormal, min normal, inf, NaNs */
        e = below(3) ? 0 : 1;
        if (below(3) == 0) {
            e = below(2) ? emax : emax - 1;
        }
        break;
    default:
        e = f->bias + exps[below(sizeof(exps) / sizeof(exps[0]))];
        break;
    }
    return make(f, sign, e, mants[below(sizeof(mants) / sizeof(mants[0]))]);
}

static uint64_t gen_fp(const Fmt *f, bool int_range)
{
    int emax = (1 << f->eb) - 1;
    bool sign = below(2);
    unsigned k = below(100);

    if (int_range && below(2)) {
        return make(f, sign, f->bias + (int64_t)below(70) - 3, gen_mant(f));
    }
    if (k < 14) {
        return gen_special(f);
    }
    if (k < 28) {
        return rnd() & ((2ull << (f->fb + f->eb)) - 1);
    }
    if (k < 58) {
        return make(f, sign, f->bias + (int64_t)below(80) - 40, gen_mant(f));
    }
    if (k < 66) {
        return make(f, sign, f->bias + (int64_t)below(70) - 3, gen_mant(f));
    }
    if (k < 78) {
        return make(f, sign, below(f->fb + 4), gen_mant(f));
    }
    if (k < 88) {
        return make(f, sign, emax - 1 - (int64_t)below(60), gen_mant(f));
    }
    /* half-way exponents: products/quotients near the range limits */
    return make(f, sign,
                f->bias + (below(2) ? 1 : -1) * (f->bias / 2) +
                (int64_t)below(20) - 10, gen_mant(f));
}

/* an operand close to @a: cancellation, quotients near 1 */
static uint64_t gen_near(const Fmt *f, uint64_t a)
{
    uint64_t sbit = 1ull << (f->fb + f->eb);
    uint64_t b;

    switch (below(3)) {
    case 0:
        b = a + below(7) - 3;
        break;
    case 1:
        b = a ^ (rnd() & ((1ull << below(f->fb)) - 1));
        break;
    default:
        b = a + ((below(9) - 4) << f->fb) + (rnd() & 0xff);
        break;
    }
    if (below(2)) {
        b ^= sbit;
    }
    return b & ((sbit << 1) - 1);
}

/* an addend that (nearly) cancels a * b */
static uint64_t gen_cancel(const Fmt *f, uint64_t a, uint64_t b)
{
    uint64_t c;

    if (f == &fmt_s) {
        float x, y, z;
        uint32_t u = a, v = b, w;
        memcpy(&x, &u, 4);
        memcpy(&y, &v, 4);
        z = (float)-((double)x * y);
        memcpy(&w, &z, 4);
        c = w;
    } else {
        double x, y, z;
        memcpy(&x, &a, 8);
        memcpy(&y, &b, 8);
        z = -(x * y);
        memcpy(&c, &z, 8);
    }
    if (below(2)) {
        c += below(9) - 4;
    }
    return c & ((2ull << (f->fb + f->eb)) - 1);
}

static double to_host(const Fmt *f, uint64_t x)
{
    if (f == &fmt_s) {
        float v;
        uint32_t u = x;
        memcpy(&v, &u, 4);
        return v;
    }
    double d;
    memcpy(&d, &x, 8);
    return d;
}

static uint64_t from_host(const Fmt *f, double d)
{
    if (f == &fmt_s) {
        float v = d;
        uint32_t u;
        memcpy(&u, &v, 4);
        return u;
    }
    uint64_t x;
    memcpy(&x, &d, 8);
    return x;
}

/*
 * Operands b (and c) for which a OP b lands near the smallest normal
 * (tininess before/after rounding) or the largest finite number.
 */
static void gen_boundary(const Fmt *f, unsigned op, Case *t)
{
    int emax = (1 << f->eb) - 1;
    uint64_t mask = (1ull << f->fb) - 1;
    uint64_t mant = below(2) ? mask - below(4) : below(4);
    bool huge = below(4) == 0;
    int e = huge ? emax - 1 - (int)below(2) : (int)below(2);
    uint64_t r = make(f, below(2), e, mant);
    double rv = to_host(f, r), av;

    t->a = make(f, below(2), f->bias + (huge ? 1 : -1) * (f->bias / 2) +
                (int64_t)below(10) - 5, rnd());
    av = to_host(f, t->a);
    switch (op) {
    case OP_DIV_S:
    case OP_DIV_D:
        t->b = from_host(f, av / rv);
        break;
    case OP_ADD_S:
    case OP_ADD_D:
    case OP_SUB_S:
    case OP_SUB_D:
        t->a = make(f, below(2), huge ? emax - 1 : (int)below(2), rnd());
        t->b = from_host(f, rv - to_host(f, t->a));
        break;
    default:
        t->b = from_host(f, rv / av);
        t->c = from_host(f, rv - av * to_host(f, t->b) * (1 + below(2)));
        break;
    }
    if (below(2)) {
        t->b += below(5) - 2;
    }
}

static uint64_t gen_int(void)
{
    uint64_t v;

    switch (below(6)) {
    case 0:
        v = below(2001) - 1000;
        break;
    case 1:
        v = rnd() >> below(64);
        break;
    case 2:
        v = (1ull << below(64)) + below(7) - 3;
        break;
    case 3: {
        /* p+1..p+3 significant bits: ties and near-ties */
        int w = below(2) ? 24 + below(4) : 53 + below(4);
        v = (rnd() & ((1ull << w) - 1)) | (1ull << (w - 1));
        v <<= below(65 - w);
        break;
    }
    default:
        v = rnd();
        break;
    }
    return below(2) ? v : 0 - v;
}

static uint64_t gen_boxed(void)
{
    uint64_t s = gen_fp(&fmt_s, false);

    switch (below(6)) {
    case 0:
        return s;                               /* upper half zero */
    case 1:
        return s | (rnd() << 32);
    case 2:
        return s | 0xfffffffe00000000ull;
    default:
        return fpu_box_s(s);
    }
}

static void gen_case(Case *t)
{
    const char *kind;

    t->op = below(OP_COUNT);
    t->rm = below(5);
    t->pre = below(4) ? 0 : FPU_FLAG_NX;
    kind = op_kinds[t->op];
    if (kind[0] == 'B') {
        t->a = gen_boxed();
        t->b = below(3) ? gen_boxed() : t->a ^ below(2);
        t->c = 0;
        return;
    }
    if (strstr(kind, "FROMINT")) {
        t->a = gen_int();
        t->b = t->c = 0;
        return;
    }
    const Fmt *f = kind[0] == 'S' ? &fmt_s : &fmt_d;
    if (strstr(kind, "FROMD")) {
        f = &fmt_d;
    } else if (strstr(kind, "FROMS")) {
        f = &fmt_s;
    }
    t->a = gen_fp(f, strstr(kind, "TOINT") != NULL);
    t->b = below(10) < 4 ? gen_near(f, t->a) : gen_fp(f, false);
    t->c = below(10) < 3 ? gen_cancel(f, t->a, t->b) : gen_fp(f, false);
    if (strstr(kind, "FROMD") && below(2)) {
        /* near the binary32 subnormal, normal and overflow limits */
        int e = below(2) ? 1023 - 152 + below(30) : 1023 + 125 + below(5);
        t->a = make(f, below(2), e, below(2) ? rnd() : gen_mant(f));
    } else if (strstr(kind, "RR_RM") && kind[0] != 'B' && below(10) == 0) {
        gen_boundary(f, t->op, t);
    } else if (strstr(kind, "RRR") && below(30) == 0) {
        /* inf * 0 + c, c often a NaN */
        int emax = (1 << f->eb) - 1;
        t->a = make(f, below(2), emax, 0);
        t->b = make(f, below(2), 0, 0);
        if (below(2)) {
            uint64_t x = t->a;
            t->a = t->b;
            t->b = x;
        }
        t->c = make(f, below(2), emax, below(3) ? rnd() : 0);
    }
}

/* ---------------------------------------------------------------------- */
/* reference results                                                       */

#define SEXT32(x) ((uint64_t)(int64_t)(int32_t)(x))

#define FMT_CASES(S, s, T)                                                  \
    case OP_ADD_##S: return CALL(add_##s, (T)a, (T)b, rm, fl);             \
    case OP_SUB_##S: return CALL(sub_##s, (T)a, (T)b, rm, fl);             \
    case OP_MUL_##S: return CALL(mul_##s, (T)a, (T)b, rm, fl);             \
    case OP_DIV_##S: return CALL(div_##s, (T)a, (T)b, rm, fl);             \
    case OP_SQRT_##S: return CALL(sqrt_##s, (T)a, rm, fl);                 \
    case OP_MADD_##S: return CALL(madd_##s, (T)a, (T)b, (T)c, rm, fl);     \
    case OP_MSUB_##S: return CALL(msub_##s, (T)a, (T)b, (T)c, rm, fl);     \
    case OP_NMSUB_##S: return CALL(nmsub_##s, (T)a, (T)b, (T)c, rm, fl);   \
    case OP_NMADD_##S: return CALL(nmadd_##s, (T)a, (T)b, (T)c, rm, fl);   \
    case OP_MIN_##S: return CALL(min_##s, (T)a, (T)b, fl);                 \
    case OP_MAX_##S: return CALL(max_##s, (T)a, (T)b, fl);                 \
    case OP_EQ_##S: return CALL(eq_##s, (T)a, (T)b, fl);                   \
    case OP_LT_##S: return CALL(lt_##s, (T)a, (T)b, fl);                   \
    case OP_LE_##S: return CALL(le_##s, (T)a, (T)b, fl);                   \
    case OP_CLASS_##S: return CALL(class_##s, (T)a);                       \
    case OP_CVT_W_##S: return SEXT32(CALL(cvt_w_##s, (T)a, rm, fl));       \
    case OP_CVT_WU_##S: return SEXT32(CALL(cvt_wu_##s, (T)a, rm, fl));     \
    case OP_CVT_L_##S: return CALL(cvt_l_##s, (T)a, rm, fl);               \
    case OP_CVT_LU_##S: return CALL(cvt_lu_##s, (T)a, rm, fl);             \
    case OP_CVT_##S##_L: return CALL(cvt_##s##_l, (int64_t)a, rm, fl);     \
    case OP_CVT_##S##_LU: return CALL(cvt_##s##_lu, a, rm, fl);

static uint64_t compute(const Case *t, bool soft, uint32_t *fl)
{
    uint64_t a = t->a, b = t->b, c = t->c;
    int rm = t->rm;

#define CALL(name, ...) \
    (soft ? sf_##name(__VA_ARGS__) : fpu_##name(__VA_ARGS__))
    switch (t->op) {
    FMT_CASES(S, s, uint32_t)
    FMT_CASES(D, d, uint64_t)
    case OP_CVT_S_W: return CALL(cvt_s_w, (int32_t)a, rm, fl);
    case OP_CVT_S_WU: return CALL(cvt_s_wu, (uint32_t)a, rm, fl);
    case OP_CVT_D_W: return CALL(cvt_d_w, (int32_t)a, rm, fl);
    case OP_CVT_D_WU: return CALL(cvt_d_wu, (uint32_t)a, rm, fl);
    case OP_CVT_S_D: return CALL(cvt_s_d, a, rm, fl);
    case OP_CVT_D_S: return CALL(cvt_d_s, (uint32_t)a, rm, fl);
    case OP_ADD_S_BOXED:
        return fpu_box_s(CALL(add_s, fpu_unbox_s(a), fpu_unbox_s(b), rm, fl));
    case OP_MIN_S_BOXED:
        return fpu_box_s(CALL(min_s, fpu_unbox_s(a), fpu_unbox_s(b), fl));
    case OP_CLASS_S_BOXED:
        return CALL(class_s, fpu_unbox_s(a));
    }
#undef CALL
    abort();
}

/* ---------------------------------------------------------------------- */
/* running the guest                                                       */

static const char *qemu = "qemu-riscv64";
static const char *guest;

static FILE *tmpfile_or_die(void)
{
    FILE *f = tmpfile();
    if (!f) {
        perror("fpu-oracle: tmpfile");
        exit(2);
    }
    return f;
}

/* Run @n cases through the guest; results into @r / @fl. */
static void run_guest(const Case *cs, size_t n, uint64_t *r, unsigned *fl)
{
    FILE *in = tmpfile_or_die(), *out = tmpfile_or_die();
    int status;
    pid_t pid;

    for (size_t i = 0; i < n; i++) {
        fprintf(in, "%u %x %x %" PRIx64 " %" PRIx64 " %" PRIx64 "\n",
                cs[i].op, cs[i].rm, cs[i].pre, cs[i].a, cs[i].b, cs[i].c);
    }
    fflush(in);
    rewind(in);
    pid = fork();
    if (pid < 0) {
        perror("fpu-oracle: fork");
        exit(2);
    }
    if (pid == 0) {
        dup2(fileno(in), 0);
        dup2(fileno(out), 1);
        execlp(qemu, qemu, guest, (char *)NULL);
        fprintf(stderr, "fpu-oracle: exec %s: %s\n", qemu, strerror(errno));
        _exit(127);
    }
    if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
        WEXITSTATUS(status) != 0) {
        fprintf(stderr, "fpu-oracle: %s %s failed (status %#x)\n",
                qemu, guest, status);
        exit(2);
    }
    rewind(out);
    for (size_t i = 0; i < n; i++) {
        if (fscanf(out, "%" SCNx64 " %x", &r[i], &fl[i]) != 2) {
            fprintf(stderr, "fpu-oracle: short guest output (%zu of %zu)\n",
                    i, n);
            exit(2);
        }
    }
    fclose(in);
    fclose(out);
}

static void print_case(size_t idx, const Case *t, uint64_t qr, unsigned qf,
                       uint64_t hr, unsigned hf, uint64_t sr, unsigned sf)
{
    static const char *const rms[] = { "rne", "rtz", "rdn", "rup", "rmm" };

    printf("MISMATCH case %zu: %s rm=%s pre=%02x a=%016" PRIx64
           " b=%016" PRIx64 " c=%016" PRIx64 "\n"
           "  qemu: %016" PRIx64 " flags %02x\n"
           "  fpu:  %016" PRIx64 " flags %02x%s\n"
           "  soft: %016" PRIx64 " flags %02x%s\n",
           idx, op_names[t->op], rms[t->rm], t->pre, t->a, t->b, t->c,
           qr, qf, hr, hf, (hr != qr || hf != qf) ? "  <--" : "",
           sr, sf, (sr != qr || sf != qf) ? "  <--" : "");
}

int main(int argc, char **argv)
{
    uint64_t count = 20000, seed = 1;
    bool keep_going = false;
    size_t chunk = 100000, bad = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--keep-going")) {
            keep_going = true;
        } else if (i + 1 < argc && !strcmp(argv[i], "--qemu")) {
            qemu = argv[++i];
        } else if (i + 1 < argc && !strcmp(argv[i], "--guest")) {
            guest = argv[++i];
        } else if (i + 1 < argc && !strcmp(argv[i], "--count")) {
            count = strtoull(argv[++i], NULL, 0);
        } else if (i + 1 < argc && !strcmp(argv[i], "--seed")) {
            seed = strtoull(argv[++i], NULL, 0);
        } else {
            fprintf(stderr, "usage: %s --guest GUEST [--qemu QEMU] "
                    "[--count N] [--seed S] [--keep-going]\n", argv[0]);
            return 2;
        }
    }
    if (!guest) {
        fprintf(stderr, "fpu-oracle: --guest is required\n");
        return 2;
    }
    rng = seed;

    Case *cs = malloc(chunk * sizeof(*cs));
    uint64_t *qr = malloc(chunk * sizeof(*qr));
    unsigned *qf = malloc(chunk * sizeof(*qf));
    if (!cs || !qr || !qf) {
        return 2;
    }
    for (uint64_t done = 0; done < count; done += chunk) {
        size_t n = count - done < chunk ? count - done : chunk;

        for (size_t i = 0; i < n; i++) {
            gen_case(&cs[i]);
        }
        run_guest(cs, n, qr, qf);
        for (size_t i = 0; i < n; i++) {
            uint32_t hf = cs[i].pre, sf = cs[i].pre;
            uint64_t hr = compute(&cs[i], false, &hf);
            uint64_t sr = compute(&cs[i], true, &sf);

            if (hr == qr[i] && hf == qf[i] && sr == qr[i] && sf == qf[i]) {
                continue;
            }
            print_case(done + i, &cs[i], qr[i], qf[i], hr, hf, sr, sf);
            if (!keep_going || ++bad >= 50) {
                return 1;
            }
        }
    }
    if (bad) {
        printf("fpu-oracle: %zu mismatches\n", bad);
        return 1;
    }
    printf("fpu-oracle: %" PRIu64 " cases (seed %" PRIu64 ") agree with %s\n",
           count, seed, qemu);
    free(cs);
    free(qr);
    free(qf);
    return 0;
}
