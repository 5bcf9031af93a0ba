// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dhry: a Dhrystone-like synthetic (our own code, same flavour): small
 * procedures with records passed by pointer, enumerations, string copy
 * and compare of 30-char strings, global and local arrays, and
 * short-circuit conditions.  Prints one checksum line.
 * argv[1]: number of loops.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum {
    Ident1,
    Ident2,
    Ident3,
    Ident4,
    Ident5
} Enum;
typedef char Str30[31];

typedef struct Rec {
    struct Rec *ptr;
    Enum discr;
    Enum e;
    int i;
    Str30 s;
} Rec;

static Rec *glob_ptr, *glob_next;
static int glob_int;
static int glob_bool;
static char glob_ch1, glob_ch2;
static int arr1[50];
static int arr2[50][50];

__attribute__((noinline)) static int func3(Enum e)
{
    return e == Ident3;
}

__attribute__((noinline)) static Enum func1(char c1, char c2)
{
    char l1 = c1, l2 = l1;
    if (l2 != c2) {
        return Ident1;
    }
    glob_ch1 = l1;
    return Ident2;
}

__attribute__((noinline)) static int func2(const char *s1, const char *s2)
{
    int i = 2;
    char c = 'A';
    while (i <= 2) {
        if (func1(s1[i], s2[i + 1]) == Ident1) {
            c = 'A';
            i++;
        }
    }
    if (c >= 'W' && c < 'Z') {
        i = 7;
    }
    if (c == 'R') {
        return 1;
    }
    if (strcmp(s1, s2) > 0) {
        glob_int = i + 7;
        return 1;
    }
    return 0;
}

__attribute__((noinline)) static void proc7(int a, int b, int *out)
{
    *out = b + a + 2;
}

__attribute__((noinline)) static void proc6(Enum in, Enum *out)
{
    *out = in;
    if (!func3(in)) {
        *out = Ident4;
    }
    switch (in) {
    case Ident1:
        *out = Ident1;
        break;
    case Ident2:
        *out = glob_int > 100 ? Ident1 : Ident4;
        break;
    case Ident3:
        *out = Ident2;
        break;
    case Ident4:
        break;
    case Ident5:
        *out = Ident3;
        break;
    }
}

__attribute__((noinline)) static void proc3(Rec **pp)
{
    if (glob_ptr != NULL) {
        *pp = glob_ptr->ptr;
    }
    proc7(10, glob_int, &glob_ptr->i);
}

__attribute__((noinline)) static void proc1(Rec *p)
{
    Rec *next = p->ptr;
    *next = *glob_ptr;
    p->i = 5;
    next->i = p->i;
    next->ptr = p->ptr;
    proc3(&next->ptr);
    if (next->discr == Ident1) {
        next->i = 6;
        proc6(p->e, &next->e);
        next->ptr = glob_ptr->ptr;
        proc7(next->i, 10, &next->i);
    } else {
        *p = *p->ptr;
    }
}

__attribute__((noinline)) static void proc2(int *io)
{
    int loc = *io + 10;
    Enum e = Ident2;
    for (;;) {
        if (glob_ch1 == 'A') {
            loc -= 1;
            *io = loc - glob_int;
            e = Ident1;
        }
        if (e == Ident1) {
            break;
        }
    }
}

__attribute__((noinline)) static void proc4(void)
{
    int b = glob_ch1 == 'A';
    glob_bool = b | glob_bool;
    glob_ch2 = 'B';
}

__attribute__((noinline)) static void proc5(void)
{
    glob_ch1 = 'A';
    glob_bool = 0;
}

__attribute__((noinline)) static void proc8(int *a1, int (*a2)[50], int i1,
                                            int i2)
{
    int loc = i1 + 5;
    a1[loc] = i2;
    a1[loc + 1] = a1[loc];
    a1[loc + 30] = loc;
    for (int i = loc; i <= loc + 1; i++) {
        a2[loc][i] = loc;
    }
    a2[loc][loc - 1] += 1;
    a2[loc + 20][loc] = a1[loc];
    glob_int = 5;
}

int main(int argc, char **argv)
{
    long loops = argc > 1 ? atol(argv[1]) : 100000;
    static Rec r1, r2;
    Str30 s1, s2;
    int i1 = 0, i2 = 0, i3 = 0;
    Enum e = Ident1;
    uint64_t check = 0;

    glob_next = &r1;
    glob_ptr = &r2;
    glob_ptr->ptr = glob_next;
    glob_ptr->discr = Ident1;
    glob_ptr->e = Ident3;
    glob_ptr->i = 40;
    strcpy(glob_ptr->s, "DHRYSTONE-ISH PRG, SOME STRING");
    strcpy(s1, "DHRYSTONE-ISH PRG, 1'ST STRING");
    arr2[8][7] = 10;

    for (long run = 1; run <= loops; run++) {
        proc5();
        proc4();
        i1 = 2;
        i2 = 3;
        strcpy(s2, "DHRYSTONE-ISH PRG, 2'ND STRING");
        e = Ident2;
        glob_bool = !func2(s1, s2);
        while (i1 < i2) {
            i3 = 5 * i1 - i2;
            proc7(i1, i2, &i3);
            i1 += 1;
        }
        proc8(arr1, arr2, i1, i3);
        proc1(glob_ptr);
        for (char c = 'A'; c <= glob_ch2; c++) {
            if (e == func1(c, 'C')) {
                proc6(Ident1, &e);
                strcpy(s2, "DHRYSTONE-ISH PRG, 3'RD STRING");
                i2 = (int)run;
                glob_int = (int)run;
            }
        }
        i2 = i2 * i1;
        i1 = i2 / i3;
        i2 = 7 * (i2 - i3) - i1;
        proc2(&i1);
        check = check * 31 + (uint64_t)(i1 + i2 + i3 + glob_int + e);
    }
    printf("dhry loops=%ld check=%016llx i=%d/%d/%d glob=%d arr=%d/%d "
           "s=%s\n",
           loops, (unsigned long long)check, i1, i2, i3, glob_int, arr1[8],
           arr2[8][7], s2);
    return 0;
}
