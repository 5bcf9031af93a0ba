/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Half-precision oracle, host side: checks target-riscv/fpu's binary16
 * (fpu/half.c.inc) and the Zfh/Zfhmin translation.
 *
 *   half-oracle SEED COUNT GUEST EMULATOR [EMULATOR ARGS...]
 *
 * runs "EMULATOR ARGS... GUEST SEED COUNT" (half-guest.c: each line one
 * instruction, its operands, result and fflags) and recomputes every
 * line with fpu_*_h.  With qemu-riscv64 -cpu rv64,Zfh=true as EMULATOR
 * this compares the library with QEMU 7.2; with ctcg-riscv64, the
 * emulator's translation (boxing, moves, loads, rm/frm, flags).
 * Exit status 0 if all agree; 1 after printing up to 20 differences;
 * 2 on usage or system errors.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "target-riscv/fpu/fpu.h"
#include "half-ops.h"

static const char *const op_names[] = {
#define X(id, kind, insn) insn,
    HALF_OPS(X)
#undef X
};

#define H(x) fpu_unbox_h(x)
#define SEXT32(x) ((uint64_t)(int64_t)(int32_t)(x))

/* The expected result of @op; *fl gets the flags raised. */
static uint64_t expect(unsigned op, int rm, uint64_t a, uint64_t b, uint64_t c,
                       uint32_t *fl)
{
    switch (op) {
    case HOP_FADD:
        return fpu_box_h(fpu_add_h(H(a), H(b), rm, fl));
    case HOP_FSUB:
        return fpu_box_h(fpu_sub_h(H(a), H(b), rm, fl));
    case HOP_FMUL:
        return fpu_box_h(fpu_mul_h(H(a), H(b), rm, fl));
    case HOP_FDIV:
        return fpu_box_h(fpu_div_h(H(a), H(b), rm, fl));
    case HOP_FSQRT:
        return fpu_box_h(fpu_sqrt_h(H(a), rm, fl));
    case HOP_FMADD:
        return fpu_box_h(fpu_madd_h(H(a), H(b), H(c), rm, fl));
    case HOP_FMSUB:
        return fpu_box_h(fpu_msub_h(H(a), H(b), H(c), rm, fl));
    case HOP_FNMSUB:
        return fpu_box_h(fpu_nmsub_h(H(a), H(b), H(c), rm, fl));
    case HOP_FNMADD:
        return fpu_box_h(fpu_nmadd_h(H(a), H(b), H(c), rm, fl));
    case HOP_FMIN:
        return fpu_box_h(fpu_min_h(H(a), H(b), fl));
    case HOP_FMAX:
        return fpu_box_h(fpu_max_h(H(a), H(b), fl));
    case HOP_FSGNJ:
        return fpu_box_h((H(a) & 0x7fff) | (H(b) & 0x8000));
    case HOP_FSGNJN:
        return fpu_box_h((H(a) & 0x7fff) | (~H(b) & 0x8000));
    case HOP_FSGNJX:
        return fpu_box_h(H(a) ^ (H(b) & 0x8000));
    case HOP_FEQ:
        return fpu_eq_h(H(a), H(b), fl);
    case HOP_FLT:
        return fpu_lt_h(H(a), H(b), fl);
    case HOP_FLE:
        return fpu_le_h(H(a), H(b), fl);
    case HOP_FCLASS:
        return fpu_class_h(H(a));
    case HOP_FCVT_W_H:
        return SEXT32(fpu_cvt_w_h(H(a), rm, fl));
    case HOP_FCVT_WU_H:
        return SEXT32(fpu_cvt_wu_h(H(a), rm, fl));
    case HOP_FCVT_L_H:
        return (uint64_t)fpu_cvt_l_h(H(a), rm, fl);
    case HOP_FCVT_LU_H:
        return fpu_cvt_lu_h(H(a), rm, fl);
    case HOP_FCVT_H_W:
        return fpu_box_h(fpu_cvt_h_w((int32_t)a, rm, fl));
    case HOP_FCVT_H_WU:
        return fpu_box_h(fpu_cvt_h_wu((uint32_t)a, rm, fl));
    case HOP_FCVT_H_L:
        return fpu_box_h(fpu_cvt_h_l((int64_t)a, rm, fl));
    case HOP_FCVT_H_LU:
        return fpu_box_h(fpu_cvt_h_lu(a, rm, fl));
    case HOP_FCVT_H_S:
        return fpu_box_h(fpu_cvt_h_s(fpu_unbox_s(a), rm, fl));
    case HOP_FCVT_H_D:
        return fpu_box_h(fpu_cvt_h_d(a, rm, fl));
    case HOP_FCVT_S_H:
        return fpu_box_s(fpu_cvt_s_h(H(a), rm, fl));
    case HOP_FCVT_D_H:
        return fpu_cvt_d_h(H(a), rm, fl);
    case HOP_FMV_X_H:
        return (uint64_t)(int64_t)(int16_t)a;
    case HOP_FMV_H_X:
    case HOP_FLH:
        return a | 0xffffffffffff0000ull;
    default: /* HOP_FSH: the low 16 bits of the register */
        return (uint16_t)a;
    }
}

static FILE *start(char **argv, const char *seed, const char *count)
{
    int fd[2], n = 0;
    char *args[64];
    pid_t pid;

    for (char **p = argv + 4; *p && n < 60; p++) {
        args[n++] = *p;
    }
    args[n++] = argv[3];
    args[n++] = (char *)seed;
    args[n++] = (char *)count;
    args[n] = NULL;
    if (pipe(fd) < 0 || (pid = fork()) < 0) {
        perror("half-oracle");
        exit(2);
    }
    if (pid == 0) {
        dup2(fd[1], 1);
        close(fd[0]);
        close(fd[1]);
        execvp(args[0], args);
        perror(args[0]);
        _exit(127);
    }
    close(fd[1]);
    return fdopen(fd[0], "r");
}

int main(int argc, char **argv)
{
    unsigned long count, lines = 0, bad = 0;
    char line[512];
    FILE *in;
    int status;

    if (argc < 5) {
        fprintf(stderr, "usage: half-oracle SEED COUNT GUEST EMULATOR "
                        "[ARGS...]\n");
        return 2;
    }
    count = strtoul(argv[2], NULL, 0);
    in = start(argv, argv[1], argv[2]);
    while (fgets(line, sizeof(line), in)) {
        unsigned op, rm, frm, pre, fl;
        uint64_t a, b, c, r, want;
        uint32_t wfl;

        if (sscanf(line,
                   "%u %u %u %x %" SCNx64 " %" SCNx64 " %" SCNx64 " %" SCNx64
                   " %x",
                   &op, &rm, &frm, &pre, &a, &b, &c, &r, &fl) != 9 ||
            op >= HOP_COUNT) {
            fprintf(stderr, "half-oracle: bad line: %s", line);
            return 2;
        }
        lines++;
        wfl = pre;
        want = expect(op, rm == 7 ? (int)frm : (int)rm, a, b, c, &wfl);
        if (want != r || wfl != fl) {
            if (bad++ < 20) {
                printf("%s rm %u frm %u pre %02x a %016" PRIx64 " b %016" PRIx64
                       " c %016" PRIx64 ": emulator %016" PRIx64
                       " fl %02x, fpu %016" PRIx64 " fl %02x\n",
                       op_names[op], rm, frm, pre, a, b, c, r, fl, want, wfl);
            }
        }
    }
    wait(&status);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || lines != count) {
        fprintf(stderr,
                "half-oracle: guest ended with status %#x after %lu "
                "of %lu lines\n",
                status, lines, count);
        return 2;
    }
    printf("%lu cases, %lu differences\n", lines, bad);
    return bad ? 1 : 0;
}
