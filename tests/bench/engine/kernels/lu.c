// SPDX-License-Identifier: MIT
// LU decomposition with partial pivoting (Doolittle, in place) of a
// pseudo-random 256x256 f64 matrix, then forward and back substitution
// for the right-hand side A * (1, ..., 1); repeated with new matrices.
// The checksum takes U's diagonal and the solution (close to all ones).
#include "kernel.h"

#define N 256
#define REPS 40
static double a[N][N], rhs[N];
static int piv[N];

static void lu_fill(uint32_t seed)
{
	uint32_t s = seed;
	for (int i = 0; i < N; i++) {
		double row = 0;
		for (int j = 0; j < N; j++) {
			s ^= s << 13;
			s ^= s >> 17;
			s ^= s << 5;
			a[i][j] = (double)(s >> 8) / 16777216.0 - 0.5;
			row += a[i][j];
		}
		rhs[i] = row;
	}
}

static void lu_swap_rows(int r, int q)
{
	for (int j = 0; j < N; j++) {
		double t = a[r][j];
		a[r][j] = a[q][j];
		a[q][j] = t;
	}
}

static void lu_decompose(void)
{
	for (int k = 0; k < N; k++) {
		int p = k;
		for (int i = k + 1; i < N; i++)
			if (__builtin_fabs(a[i][k]) > __builtin_fabs(a[p][k]))
				p = i;
		piv[k] = p;
		if (p != k)
			lu_swap_rows(k, p);
		for (int i = k + 1; i < N; i++) {
			double l = a[i][k] / a[k][k];
			a[i][k] = l;
			for (int j = k + 1; j < N; j++)
				a[i][j] -= l * a[k][j];
		}
	}
}

// Solves L U x = P b in place in rhs.
static void lu_solve(void)
{
	for (int k = 0; k < N; k++) {
		double t = rhs[k];
		rhs[k] = rhs[piv[k]];
		rhs[piv[k]] = t;
	}
	for (int i = 1; i < N; i++)
		for (int j = 0; j < i; j++)
			rhs[i] -= a[i][j] * rhs[j];
	for (int i = N - 1; i >= 0; i--) {
		for (int j = i + 1; j < N; j++)
			rhs[i] -= a[i][j] * rhs[j];
		rhs[i] /= a[i][i];
	}
}

uint64_t run(void)
{
	double xs = 0;
	uint64_t h = 0;
	for (uint32_t rep = 0; rep < REPS; rep++) {
		lu_fill(2463534242u + rep);
		lu_decompose();
		lu_solve();
		double diag = 0;
		for (int i = 0; i < N; i++) {
			xs += rhs[i];
			diag += a[i][i];
		}
		h = h * 1000003 + (uint64_t)(int64_t)(diag * 1e6);
	}
	return h + (uint64_t)(int64_t)(xs * 1e9);
}
