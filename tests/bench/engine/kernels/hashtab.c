// SPDX-License-Identifier: MIT
// Hash table with open addressing (linear probing, 64-bit keys): inserts,
// lookups and deletions with tombstones over a 2^16-slot table.
#include "kernel.h"

#define SLOTS (1u << 16)
#define EMPTY 0u
#define GONE 1u
static uint64_t keys[SLOTS];
static uint32_t vals[SLOTS];

static uint32_t hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return (uint32_t)k & (SLOTS - 1);
}

static void put(uint64_t k, uint32_t v)
{
	uint32_t i = hash(k);
	while (keys[i] != EMPTY && keys[i] != GONE && keys[i] != k)
		i = (i + 1) & (SLOTS - 1);
	keys[i] = k;
	vals[i] = v;
}

static int64_t get(uint64_t k)
{
	for (uint32_t i = hash(k);; i = (i + 1) & (SLOTS - 1)) {
		if (keys[i] == EMPTY)
			return -1;
		if (keys[i] == k)
			return vals[i];
	}
}

static void del(uint64_t k)
{
	for (uint32_t i = hash(k);; i = (i + 1) & (SLOTS - 1)) {
		if (keys[i] == EMPTY)
			return;
		if (keys[i] == k) {
			keys[i] = GONE;
			return;
		}
	}
}

uint64_t run(void)
{
	uint64_t sum = 0;
	for (int rep = 0; rep < 6; rep++) {
		for (uint32_t i = 0; i < SLOTS; i++)
			keys[i] = EMPTY;
		for (uint64_t i = 2; i < 40000; i++)
			put(i * 2654435761u + (uint64_t)rep, (uint32_t)i);
		for (uint64_t i = 2; i < 40000; i += 3)
			del(i * 2654435761u + (uint64_t)rep);
		for (uint64_t i = 0; i < 80000; i++) {
			int64_t v = get(i * 2654435761u + (uint64_t)rep);
			sum += v < 0 ? 1 : (uint64_t)v;
		}
	}
	return sum;
}
