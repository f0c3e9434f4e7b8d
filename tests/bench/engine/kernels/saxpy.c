// SPDX-License-Identifier: MIT
// Single precision vectors: y = a * x + y (SAXPY) and the dot product x . y
// (four partial sums in a fixed order) over 4096 floats, repeated. The
// factor alternates in sign so y stays bounded.
#include "kernel.h"

#define N 4096
static float x[N], y[N];

static void saxpy(float f)
{
	for (int i = 0; i < N; i++)
		y[i] = f * x[i] + y[i];
}

static float dot(void)
{
	float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
	for (int i = 0; i < N; i += 4) {
		s0 += x[i] * y[i];
		s1 += x[i + 1] * y[i + 1];
		s2 += x[i + 2] * y[i + 2];
		s3 += x[i + 3] * y[i + 3];
	}
	return (s0 + s1) + (s2 + s3);
}

uint64_t run(void)
{
	for (int i = 0; i < N; i++) {
		x[i] = (float)(i % 17) * 0.25f - 2.0f;
		y[i] = (float)(i % 13) * 0.125f;
	}
	double sum = 0;
	for (int rep = 0; rep < 60000; rep++) {
		saxpy((rep & 1) ? -0.375f : 0.5f);
		sum += dot();
	}
	return (uint64_t)(int64_t)(sum * 1000.0);
}
