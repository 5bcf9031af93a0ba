// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nbody: an O(N^2) gravitational n-body simulation of 128 bodies in a
 * structure-of-arrays layout (leapfrog steps, softened distances): long
 * chains of double multiplies and adds, one sqrt and one divide per pair.
 * Unlike fp's 5 planets, the pair loop is the whole time and its trip
 * count is large.  Only + - * / and sqrt (correctly rounded everywhere),
 * built with -ffp-contract=off: the printed values match bit for bit.
 * argv[1]: steps.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 128

static double px[N], py[N], pz[N], vx[N], vy[N], vz[N], m[N];
static double ax[N], ay[N], az[N];

static void init(void)
{
    uint32_t s = 42;
    for (int i = 0; i < N; i++) {
        double c[7];
        for (int k = 0; k < 7; k++) {
            s = s * 1664525u + 1013904223u;
            c[k] = (double)(s >> 8) / 16777216.0 - 0.5; /* exact */
        }
        px[i] = c[0] * 100;
        py[i] = c[1] * 100;
        pz[i] = c[2] * 10;
        vx[i] = c[3];
        vy[i] = c[4];
        vz[i] = c[5] * 0.1;
        m[i] = 1.0 + c[6];
    }
}

static void accel(void)
{
    memset(ax, 0, sizeof(ax));
    memset(ay, 0, sizeof(ay));
    memset(az, 0, sizeof(az));
    for (int i = 0; i < N; i++) {
        double xi = px[i], yi = py[i], zi = pz[i];
        double sx = 0, sy = 0, sz = 0;
        for (int j = 0; j < N; j++) {
            double dx = px[j] - xi, dy = py[j] - yi, dz = pz[j] - zi;
            double d2 = dx * dx + dy * dy + dz * dz + 0.01;
            double inv = m[j] / (d2 * sqrt(d2));
            sx += dx * inv;
            sy += dy * inv;
            sz += dz * inv;
        }
        ax[i] = sx;
        ay[i] = sy;
        az[i] = sz;
    }
}

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < N; i++) {
        e += 0.5 * m[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < N; j++) {
            double dx = px[j] - px[i], dy = py[j] - py[i], dz = pz[j] - pz[i];
            e -= m[i] * m[j] / sqrt(dx * dx + dy * dy + dz * dz + 0.01);
        }
    }
    return e;
}

int main(int argc, char **argv)
{
    int steps = argc > 1 ? atoi(argv[1]) : 100;
    const double dt = 0.001;

    init();
    double e0 = energy();
    accel();
    for (int s = 0; s < steps; s++) {
        for (int i = 0; i < N; i++) { /* kick, drift */
            vx[i] += 0.5 * dt * ax[i];
            vy[i] += 0.5 * dt * ay[i];
            vz[i] += 0.5 * dt * az[i];
            px[i] += dt * vx[i];
            py[i] += dt * vy[i];
            pz[i] += dt * vz[i];
        }
        accel();
        for (int i = 0; i < N; i++) { /* kick */
            vx[i] += 0.5 * dt * ax[i];
            vy[i] += 0.5 * dt * ay[i];
            vz[i] += 0.5 * dt * az[i];
        }
    }
    double e1 = energy(), cx = 0;
    for (int i = 0; i < N; i++) {
        cx += m[i] * px[i];
    }
    printf("nbody: %d bodies, %d steps, energy %.15e -> %.15e, x %.15e\n", N,
           steps, e0, e1, cx);
    return 0;
}
