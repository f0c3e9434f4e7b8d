// SPDX-License-Identifier: MIT
// N-body simulation in double precision (five bodies, symplectic Euler);
// sqrt is the only library function, and both targets have it built in.
#include "kernel.h"

#define NB 5
struct body {
	double x, y, z, vx, vy, vz, m;
};
static struct body bodies[NB];

static double root(double x)
{
	return __builtin_sqrt(x);
}

static void advance(double dt)
{
	for (int i = 0; i < NB; i++)
		for (int j = i + 1; j < NB; j++) {
			double dx = bodies[i].x - bodies[j].x, dy = bodies[i].y - bodies[j].y,
			       dz = bodies[i].z - bodies[j].z;
			double d2 = dx * dx + dy * dy + dz * dz;
			double mag = dt / (d2 * root(d2));
			bodies[i].vx -= dx * bodies[j].m * mag;
			bodies[i].vy -= dy * bodies[j].m * mag;
			bodies[i].vz -= dz * bodies[j].m * mag;
			bodies[j].vx += dx * bodies[i].m * mag;
			bodies[j].vy += dy * bodies[i].m * mag;
			bodies[j].vz += dz * bodies[i].m * mag;
		}
	for (int i = 0; i < NB; i++) {
		bodies[i].x += dt * bodies[i].vx;
		bodies[i].y += dt * bodies[i].vy;
		bodies[i].z += dt * bodies[i].vz;
	}
}

uint64_t run(void)
{
	for (int i = 0; i < NB; i++) {
		bodies[i] = (struct body){i * 1.5, i * -0.7 + 0.3, i * 0.2, 0.01 * i,
					  -0.02 * i, 0.005, 1.0 + i * 0.1};
	}
	bodies[0].m = 39.47;
	for (int s = 0; s < 200000; s++)
		advance(0.001);
	double e = 0;
	for (int i = 0; i < NB; i++)
		e += bodies[i].x + bodies[i].vy;
	return (uint64_t)(int64_t)(e * 1e6);
}
