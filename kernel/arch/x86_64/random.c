// SPDX-License-Identifier: MIT
// The CPU's random generator: RDSEED (a fresh seed) where CPUID says it
// exists, else RDRAND, each retried a few times since either may have
// nothing ready. Used by lib/entropy.c.
#include <arch.h>

#include "cpu.h"

#define TRIES 10

static int have = -1; // bit 0: RDRAND, bit 1: RDSEED; -1 before CPUID

static int features(void)
{
	if (have < 0) {
		uint32_t r[4];

		have = 0;
		cpuid(0, 0, r);
		uint32_t max = r[0];

		cpuid(1, 0, r);
		if (r[2] & (1u << 30))
			have |= 1;
		if (max >= 7) {
			cpuid(7, 0, r);
			if (r[1] & (1u << 18))
				have |= 2;
		}
	}
	return have;
}

bool arch_random(uint64_t *out)
{
	int f = features();
	uint8_t ok = 0;

	for (int i = 0; (f & 2) && i < TRIES && !ok; i++)
		__asm__ volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
	for (int i = 0; (f & 1) && i < TRIES && !ok; i++)
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
	return ok;
}
