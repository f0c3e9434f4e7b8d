// SPDX-License-Identifier: MIT
// 0/1 knapsack by dynamic programming over capacities (one row, walked
// downwards): 2000 pseudo-random items, capacity 50000.
#include "kernel.h"

#define ITEMS 2000
#define CAP 50000
static uint32_t weight[ITEMS], value[ITEMS];
static uint32_t best[CAP + 1];

uint64_t run(void)
{
	uint32_t x = 31337;
	for (int i = 0; i < ITEMS; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		weight[i] = 1 + (x & 127);
		value[i] = 1 + ((x >> 8) & 1023);
	}
	for (uint32_t c = 0; c <= CAP; c++)
		best[c] = 0;
	for (int i = 0; i < ITEMS; i++) {
		uint32_t w = weight[i], v = value[i];
		for (uint32_t c = CAP; c >= w; c--) {
			uint32_t with = best[c - w] + v;
			if (with > best[c])
				best[c] = with;
		}
	}
	uint64_t sum = 0;
	for (uint32_t c = 0; c <= CAP; c += 97)
		sum = sum * 31 + best[c];
	return sum ^ ((uint64_t)best[CAP] << 32);
}
