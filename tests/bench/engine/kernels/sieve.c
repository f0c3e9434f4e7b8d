// SPDX-License-Identifier: MIT
// Sieve of Eratosthenes over the integers below 2^23, one byte per number:
// counts the primes and sums the last few; repeated.
#include "kernel.h"

#define LIMIT (1u << 23)
static uint8_t composite[LIMIT];

static uint32_t sieve(void)
{
	for (uint32_t i = 0; i < LIMIT; i++)
		composite[i] = 0;
	uint32_t primes = 0;
	for (uint32_t i = 2; i < LIMIT; i++) {
		if (composite[i])
			continue;
		primes++;
		if ((uint64_t)i * i >= LIMIT)
			continue;
		for (uint32_t j = i * i; j < LIMIT; j += i)
			composite[j] = 1;
	}
	return primes;
}

uint64_t run(void)
{
	uint64_t sum = 0;
	for (int rep = 0; rep < 3; rep++) {
		sum = sum * 1000003 + sieve();
		uint32_t found = 0;
		for (uint32_t i = LIMIT - 1; found < 16; i--)
			if (!composite[i]) {
				sum += i;
				found++;
			}
	}
	return sum;
}
