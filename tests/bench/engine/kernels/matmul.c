// SPDX-License-Identifier: MIT
// Matrix multiply: C = A * B for 96x96 doubles, repeated.
#include "kernel.h"

#define N 96
static double a[N][N], b[N][N], c[N][N];

uint64_t run(void)
{
	for (int i = 0; i < N; i++)
		for (int j = 0; j < N; j++) {
			a[i][j] = (double)(i * N + j) / 1000.0;
			b[i][j] = (double)(j - i) / 500.0;
		}
	double sum = 0;
	for (int rep = 0; rep < 32; rep++) {
		for (int i = 0; i < N; i++)
			for (int j = 0; j < N; j++) {
				double s = 0;
				for (int k = 0; k < N; k++)
					s += a[i][k] * b[k][j];
				c[i][j] = s;
			}
		a[rep][rep] += c[N - 1 - rep][rep];
		sum += c[rep][N - 1];
	}
	return (uint64_t)(int64_t)(sum * 1000.0);
}
