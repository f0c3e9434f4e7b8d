// SPDX-License-Identifier: MIT
// Edit distance (Levenshtein, dynamic programming over two rows) between
// pseudo-random strings of 3000 letters from a 4-letter alphabet, four
// pairs.
#include "kernel.h"

#define LEN 3000
static uint8_t s[LEN], t[LEN];
static uint32_t prev[LEN + 1], cur[LEN + 1];

static uint32_t min3(uint32_t a, uint32_t b, uint32_t c)
{
	uint32_t m = a < b ? a : b;
	return m < c ? m : c;
}

static uint32_t edit_distance(void)
{
	for (uint32_t j = 0; j <= LEN; j++)
		prev[j] = j;
	for (uint32_t i = 1; i <= LEN; i++) {
		cur[0] = i;
		for (uint32_t j = 1; j <= LEN; j++) {
			uint32_t sub = prev[j - 1] + (s[i - 1] != t[j - 1]);
			cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, sub);
		}
		for (uint32_t j = 0; j <= LEN; j++)
			prev[j] = cur[j];
	}
	return prev[LEN];
}

uint64_t run(void)
{
	uint32_t x = 99991;
	uint64_t sum = 0;
	for (int pair = 0; pair < 4; pair++) {
		for (int i = 0; i < LEN; i++) {
			x = x * 1664525u + 1013904223u;
			s[i] = (uint8_t)(x >> 30);
			x = x * 1664525u + 1013904223u;
			// Every other letter of t copies s: the strings share structure.
			t[i] = (i & 1) ? s[i] : (uint8_t)(x >> 30);
		}
		sum = sum * 10007 + edit_distance();
	}
	return sum;
}
