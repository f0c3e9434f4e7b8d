// SPDX-License-Identifier: MIT
// Spectral norm of the infinite matrix A(i, j) = 1 / ((i + j)(i + j + 1) / 2
// + i + 1), cut to 1000x1000: ten rounds of v = At A u by the power method,
// in f64 (divisions in the inner loops, one square root at the end).
#include "kernel.h"

#define N 1000
static double u[N], v[N], w[N];

static double entry(int i, int j)
{
	return 1.0 / (double)((i + j) * (i + j + 1) / 2 + i + 1);
}

static void mul_a(double *out, const double *in)
{
	for (int i = 0; i < N; i++) {
		double s = 0;
		for (int j = 0; j < N; j++)
			s += entry(i, j) * in[j];
		out[i] = s;
	}
}

static void mul_at(double *out, const double *in)
{
	for (int i = 0; i < N; i++) {
		double s = 0;
		for (int j = 0; j < N; j++)
			s += entry(j, i) * in[j];
		out[i] = s;
	}
}

uint64_t run(void)
{
	for (int i = 0; i < N; i++)
		u[i] = 1.0;
	for (int it = 0; it < 10; it++) {
		mul_a(w, u);
		mul_at(v, w);
		mul_a(w, v);
		mul_at(u, w);
	}
	double vbv = 0, vv = 0;
	for (int i = 0; i < N; i++) {
		vbv += u[i] * v[i];
		vv += v[i] * v[i];
	}
	return (uint64_t)(int64_t)(__builtin_sqrt(vbv / vv) * 1e12);
}
