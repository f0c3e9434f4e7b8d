// SPDX-License-Identifier: MIT
// Mandelbrot set in f64: escape-time iteration (at most 200 steps, escape
// at |z|^2 > 4) over a 600x600 grid of [-2, 0.5] x [-1.25, 1.25]; the
// checksum sums the steps and the final |z|^2 of escaped points.
#include "kernel.h"

#define SIZE 600
#define ITER 200

uint64_t run(void)
{
	uint64_t steps = 0;
	double escaped = 0;
	for (int py = 0; py < SIZE; py++) {
		double ci = -1.25 + 2.5 * (double)py / SIZE;
		for (int px = 0; px < SIZE; px++) {
			double cr = -2.0 + 2.5 * (double)px / SIZE;
			double zr = 0, zi = 0, r2 = 0, i2 = 0;
			int n = 0;
			while (n < ITER && r2 + i2 <= 4.0) {
				zi = 2.0 * zr * zi + ci;
				zr = r2 - i2 + cr;
				r2 = zr * zr;
				i2 = zi * zi;
				n++;
			}
			steps += (uint64_t)n;
			if (n < ITER)
				escaped += r2 + i2;
		}
	}
	return (steps << 24) ^ (uint64_t)(int64_t)(escaped * 1000.0);
}
