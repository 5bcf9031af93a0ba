// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fp: double-precision kernels: an n-body simulation (sqrt, divide,
 * multiply-add chains) and a dense matrix multiply.  Built with
 * -ffp-contract=off on both hosts so that no fused multiply-add changes
 * the rounding: the printed results must agree bit for bit.
 * argv[1]: n-body steps (the matrix work scales with it).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define NB 5
#define MN 48

typedef struct {
    double x, y, z, vx, vy, vz, m;
} Body;

static Body bodies[NB] = {
    {0, 0, 0, 0, 0, 0, 39.47841760435743},
    {4.84143144246472090, -1.16032004402742839, -0.103622044471123109,
     0.606326392995832, 2.81198684491626, -0.02521836165988763,
     0.03769367487038949},
    {8.34336671824457987, 4.12479856412430479, -0.403523417114321381,
     -1.0107743461787924, 1.8256623712304119, 0.008415761376584154,
     0.011286326131968767},
    {12.894369562139131, -15.111151401698631, -0.22330757889265573,
     1.0827910064415354, 0.8687130181696082, -0.010832637401363636,
     0.0017237240570597112},
    {15.379697114850917, -25.919314609987964, 0.17925877295037118,
     0.979090732243898, 0.5946989986476762, -0.034755955504078104,
     0.0020336868699246304},
};

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < NB; i++) {
        Body *b = &bodies[i];
        e += 0.5 * b->m * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < NB; j++) {
            double dx = b->x - bodies[j].x, dy = b->y - bodies[j].y,
                   dz = b->z - bodies[j].z;
            e -= b->m * bodies[j].m / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(double dt)
{
    for (int i = 0; i < NB; i++) {
        Body *a = &bodies[i];
        for (int j = i + 1; j < NB; j++) {
            Body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            a->vx -= dx * b->m * mag;
            a->vy -= dy * b->m * mag;
            a->vz -= dz * b->m * mag;
            b->vx += dx * a->m * mag;
            b->vy += dy * a->m * mag;
            b->vz += dz * a->m * mag;
        }
    }
    for (int i = 0; i < NB; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static double A[MN][MN], B[MN][MN], C[MN][MN];

static double matmul(int round)
{
    double tr = 0;
    for (int i = 0; i < MN; i++) {
        for (int j = 0; j < MN; j++) {
            A[i][j] = (double)((i * 3 + j + round) % 11) / 7.0 - 0.5;
            B[i][j] = (double)((i + j * 5 + round) % 13) / 9.0 - 0.25;
        }
    }
    for (int i = 0; i < MN; i++) {
        for (int j = 0; j < MN; j++) {
            double s = 0;
            for (int k = 0; k < MN; k++) {
                s += A[i][k] * B[k][j];
            }
            C[i][j] = s;
        }
    }
    for (int i = 0; i < MN; i++) {
        tr += C[i][i] * (1.0 + i / 64.0);
    }
    return tr;
}

int main(int argc, char **argv)
{
    long steps = argc > 1 ? atol(argv[1]) : 100000;
    double e0, e1, mm = 0;

    /* Offset momentum so the centre of mass stays put. */
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NB; i++) {
        px += bodies[i].vx * bodies[i].m;
        py += bodies[i].vy * bodies[i].m;
        pz += bodies[i].vz * bodies[i].m;
    }
    bodies[0].vx = -px / bodies[0].m;
    bodies[0].vy = -py / bodies[0].m;
    bodies[0].vz = -pz / bodies[0].m;

    e0 = energy();
    for (long s = 0; s < steps; s++) {
        advance(0.01);
    }
    e1 = energy();
    for (long r = 0; r < steps / 500 + 1; r++) {
        mm += matmul((int)r);
    }
    printf("fp steps=%ld e0=%.17g e1=%.17g mm=%.17g x1=%a\n", steps, e0, e1, mm,
           bodies[1].x);
    return 0;
}
