// SPDX-License-Identifier: MIT
// 2-D Jacobi iteration, the 5-point stencil on f64: a 256x256 interior
// with a hot top edge and a warm left edge, swept back and forth between
// two grids.
#include "kernel.h"

#define N 256
#define W (N + 2)
static double u[W][W], v[W][W];

static void jacobi_sweep(double (*dst)[W], double (*src)[W])
{
	for (int i = 1; i <= N; i++)
		for (int j = 1; j <= N; j++)
			dst[i][j] = 0.25 * (src[i - 1][j] + src[i + 1][j] +
					    src[i][j - 1] + src[i][j + 1]);
}

uint64_t run(void)
{
	for (int i = 0; i < W; i++)
		for (int j = 0; j < W; j++) {
			double edge = i == 0 ? 1.0 : j == 0 ? 0.5 : 0.0;
			u[i][j] = edge;
			v[i][j] = edge;
		}
	for (int it = 0; it < 1000; it++) {
		jacobi_sweep(v, u);
		jacobi_sweep(u, v);
	}
	double sum = 0;
	for (int i = 1; i <= N; i++)
		for (int j = 1; j <= N; j++)
			sum += u[i][j] * (double)(i + j);
	return (uint64_t)(int64_t)(sum * 1e6);
}
