/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A dynamic glibc program: stdio, malloc, qsort, getenv, strtod. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp(const void *a, const void *b)
{
    return *(const int *)a - *(const int *)b;
}

int main(int argc, char **argv)
{
    int v[] = {5, 3, 9, 1, 7};
    char *s = malloc(64);

    qsort(v, 5, sizeof(int), cmp);
    snprintf(s, 64, "%d %d %d %d %d", v[0], v[1], v[2], v[3], v[4]);
    printf("argc=%d sorted: %s sqrt-ish: %.3f\n", argc, s,
           strtod("2.25", NULL) * 2);
    free(s);
    return strcmp(argv[0], "") == 0;
}
