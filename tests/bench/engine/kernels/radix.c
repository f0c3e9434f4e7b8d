// SPDX-License-Identifier: MIT
// LSD radix sort of 2^20 pseudo-random 32-bit keys: four counting passes
// of 8 bits each between two arrays; repeated with new keys, the result
// checked for order.
#include "kernel.h"

#define N (1u << 20)
static uint32_t keys[N], tmp[N];
static uint32_t count[256];

static void radix_pass(uint32_t *dst, const uint32_t *src, int shift)
{
	for (int d = 0; d < 256; d++)
		count[d] = 0;
	for (uint32_t i = 0; i < N; i++)
		count[(src[i] >> shift) & 0xff]++;
	uint32_t pos = 0;
	for (int d = 0; d < 256; d++) {
		uint32_t c = count[d];
		count[d] = pos;
		pos += c;
	}
	for (uint32_t i = 0; i < N; i++)
		dst[count[(src[i] >> shift) & 0xff]++] = src[i];
}

uint64_t run(void)
{
	uint32_t x = 2024;
	uint64_t sum = 0;
	for (int rep = 0; rep < 8; rep++) {
		for (uint32_t i = 0; i < N; i++) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			keys[i] = x;
		}
		radix_pass(tmp, keys, 0);
		radix_pass(keys, tmp, 8);
		radix_pass(tmp, keys, 16);
		radix_pass(keys, tmp, 24);
		uint32_t unsorted = 0;
		for (uint32_t i = 1; i < N; i++)
			unsorted += keys[i - 1] > keys[i];
		for (uint32_t i = 0; i < N; i += 4099)
			sum = sum * 31 + keys[i];
		sum += (uint64_t)unsorted << 40;
	}
	return sum;
}
