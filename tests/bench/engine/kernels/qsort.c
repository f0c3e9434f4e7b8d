// SPDX-License-Identifier: MIT
// Quicksort (Hoare partition, recursive) of 100000 pseudo-random ints,
// repeated with new data.
#include "kernel.h"

#define N 100000
static int32_t v[N];

static void sort(int32_t *a, int lo, int hi)
{
	while (lo < hi) {
		int32_t p = a[lo + (hi - lo) / 2];
		int i = lo - 1, j = hi + 1;
		for (;;) {
			do
				i++;
			while (a[i] < p);
			do
				j--;
			while (a[j] > p);
			if (i >= j)
				break;
			int32_t t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
		if (j - lo < hi - j) {
			sort(a, lo, j);
			lo = j + 1;
		} else {
			sort(a, j + 1, hi);
			hi = j;
		}
	}
}

uint64_t run(void)
{
	uint32_t x = 7;
	uint64_t sum = 0;
	for (int rep = 0; rep < 4; rep++) {
		for (int i = 0; i < N; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			v[i] = (int32_t)x;
		}
		sort(v, 0, N - 1);
		for (int i = 0; i < N; i += 997)
			sum = sum * 31 + (uint32_t)v[i];
	}
	return sum;
}
