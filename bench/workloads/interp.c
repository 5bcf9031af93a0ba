// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * interp: a small register bytecode VM, run once dispatching through a
 * switch (one indirect jump through a table) and once through computed
 * goto (one indirect jump per handler).  Either way almost every guest
 * instruction handler ends in an indirect jump whose target changes all
 * the time: the case for jump caches and indirect-branch lookup.
 * The bytecode computes the total Collatz steps of 1..N and a checksum
 * over a small array.  argv[1]: N.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum {
    OP_LI,   /* r[a] = imm */
    OP_MOV,  /* r[a] = r[b] */
    OP_ADD,  /* r[a] = r[b] + r[c] */
    OP_ADDI, /* r[a] = r[b] + imm */
    OP_AND,  /* r[a] = r[b] & imm */
    OP_SHR,  /* r[a] = r[b] >> imm */
    OP_MUL3, /* r[a] = r[b] * 3 + 1 */
    OP_XOR,  /* r[a] = r[b] ^ r[c] */
    OP_LD,   /* r[a] = mem[r[b] & 63] */
    OP_ST,   /* mem[r[b] & 63] = r[a] */
    OP_BEQ,  /* if r[a] == r[b] goto imm */
    OP_BNZ,  /* if r[a] != 0 goto imm */
    OP_BLT,  /* if r[a] < r[b] goto imm */
    OP_JMP,  /* goto imm */
    OP_HALT,
};

typedef struct {
    uint8_t op, a, b, c;
    int32_t imm;
} Insn;

/* r0: i, r1: N, r2: x, r3: steps total, r4: tmp, r5: one, r6: hash */
static const Insn prog[] = {
    /* 0 */ {OP_LI, 0, 0, 0, 1},
    /* 1 */ {OP_LI, 3, 0, 0, 0},
    /* 2 */ {OP_LI, 5, 0, 0, 1},
    /* 3 */ {OP_LI, 6, 0, 0, 0},
    /* 4 loop_i: */ {OP_MOV, 2, 0, 0, 0},
    /* 5 loop_x: */ {OP_BEQ, 2, 5, 0, 13},
    /* 6 */ {OP_AND, 4, 2, 0, 1},
    /* 7 */ {OP_BNZ, 4, 0, 0, 10},
    /* 8 */ {OP_SHR, 2, 2, 0, 1},
    /* 9 */ {OP_JMP, 0, 0, 0, 11},
    /* 10 odd: */ {OP_MUL3, 2, 2, 0, 0},
    /* 11 */ {OP_ADDI, 3, 3, 0, 1},
    /* 12 */ {OP_JMP, 0, 0, 0, 5},
    /* 13 done_x: */ {OP_LD, 4, 0, 0, 0},
    /* 14 */ {OP_XOR, 4, 4, 3, 0},
    /* 15 */ {OP_ST, 4, 0, 0, 0},
    /* 16 */ {OP_ADD, 6, 6, 4, 0},
    /* 17 */ {OP_ADDI, 0, 0, 0, 1},
    /* 18 */ {OP_BLT, 0, 1, 0, 4},
    /* 19 */ {OP_BEQ, 0, 1, 0, 4},
    /* 20 */ {OP_HALT, 0, 0, 0, 0},
};

static int64_t mem[64];

__attribute__((noinline)) static uint64_t run_switch(int64_t *r)
{
    const Insn *pc = prog;
    uint64_t n = 0;
    for (;;) {
        const Insn *i = pc++;
        n++;
        switch (i->op) {
        case OP_LI:
            r[i->a] = i->imm;
            break;
        case OP_MOV:
            r[i->a] = r[i->b];
            break;
        case OP_ADD:
            r[i->a] = r[i->b] + r[i->c];
            break;
        case OP_ADDI:
            r[i->a] = r[i->b] + i->imm;
            break;
        case OP_AND:
            r[i->a] = r[i->b] & i->imm;
            break;
        case OP_SHR:
            r[i->a] = (int64_t)((uint64_t)r[i->b] >> i->imm);
            break;
        case OP_MUL3:
            r[i->a] = r[i->b] * 3 + 1;
            break;
        case OP_XOR:
            r[i->a] = r[i->b] ^ r[i->c];
            break;
        case OP_LD:
            r[i->a] = mem[r[i->b] & 63];
            break;
        case OP_ST:
            mem[r[i->b] & 63] = r[i->a];
            break;
        case OP_BEQ:
            if (r[i->a] == r[i->b])
                pc = prog + i->imm;
            break;
        case OP_BNZ:
            if (r[i->a] != 0)
                pc = prog + i->imm;
            break;
        case OP_BLT:
            if (r[i->a] < r[i->b])
                pc = prog + i->imm;
            break;
        case OP_JMP:
            pc = prog + i->imm;
            break;
        case OP_HALT:
            return n;
        default:
            abort();
        }
    }
}

__attribute__((noinline)) static uint64_t run_goto(int64_t *r)
{
    static void *const labels[] = {
        &&l_li, &&l_mov, &&l_add, &&l_addi, &&l_and, &&l_shr, &&l_mul3, &&l_xor,
        &&l_ld, &&l_st,  &&l_beq, &&l_bnz,  &&l_blt, &&l_jmp, &&l_halt,
    };
    const Insn *pc = prog, *i;
    uint64_t n = 0;
#define NEXT()               \
    do {                     \
        i = pc++;            \
        n++;                 \
        goto *labels[i->op]; \
    } while (0)
    NEXT();
l_li:
    r[i->a] = i->imm;
    NEXT();
l_mov:
    r[i->a] = r[i->b];
    NEXT();
l_add:
    r[i->a] = r[i->b] + r[i->c];
    NEXT();
l_addi:
    r[i->a] = r[i->b] + i->imm;
    NEXT();
l_and:
    r[i->a] = r[i->b] & i->imm;
    NEXT();
l_shr:
    r[i->a] = (int64_t)((uint64_t)r[i->b] >> i->imm);
    NEXT();
l_mul3:
    r[i->a] = r[i->b] * 3 + 1;
    NEXT();
l_xor:
    r[i->a] = r[i->b] ^ r[i->c];
    NEXT();
l_ld:
    r[i->a] = mem[r[i->b] & 63];
    NEXT();
l_st:
    mem[r[i->b] & 63] = r[i->a];
    NEXT();
l_beq:
    if (r[i->a] == r[i->b])
        pc = prog + i->imm;
    NEXT();
l_bnz:
    if (r[i->a] != 0)
        pc = prog + i->imm;
    NEXT();
l_blt:
    if (r[i->a] < r[i->b])
        pc = prog + i->imm;
    NEXT();
l_jmp:
    pc = prog + i->imm;
    NEXT();
l_halt:
    return n;
#undef NEXT
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 10000;
    int64_t r1[8] = {0}, r2[8] = {0};
    uint64_t c1, c2;

    r1[1] = n;
    c1 = run_switch(r1);
    r2[1] = n / 2;
    c2 = run_goto(r2);
    printf("interp n=%ld switch: insns=%llu steps=%lld hash=%lld "
           "goto: insns=%llu steps=%lld hash=%lld\n",
           n, (unsigned long long)c1, (long long)r1[3], (long long)r1[6],
           (unsigned long long)c2, (long long)r2[3], (long long)r2[6]);
    return 0;
}
