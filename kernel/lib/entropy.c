// SPDX-License-Identifier: MIT
// Random bytes for SIPs (the `random` call of the kernel ABI, behind
// WASI's random_get). Each 64-bit word comes from the CPU's generator
// (arch_random: RDSEED or RDRAND) when it has one and it answers;
// otherwise from xoshiro256**, seeded at first use from the time-stamp
// counter and the clock and stirred with the counter at every call. That
// fallback is not fit for keys: docs/abi.md says so, and `entropy_hw`
// tells which source served the last word.
#include <arch.h>
#include <entropy.h>
#include <string.h>

static struct {
	uint64_t s[4];
	bool seeded;
	bool hw; // the last word came from the CPU
} ent;

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t xoshiro_next(void)
{
	uint64_t *s = ent.s;
	uint64_t r = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return r;
}

static void stir(void)
{
	uint64_t x = arch_cycles() ^ rotl(arch_time_ns(), 32);

	if (!ent.seeded) {
		for (int i = 0; i < 4; i++)
			ent.s[i] = splitmix64(&x);
		ent.seeded = true;
		return;
	}
	ent.s[0] ^= splitmix64(&x);
}

// One word: from the CPU with interrupts on (RDSEED may retry for a while);
// the shared generator only with them off, a few instructions.
static uint64_t next_word(void)
{
	uint64_t v;

	ent.hw = arch_random(&v);
	if (ent.hw)
		return v;
	uint64_t f = arch_irq_save();

	v = xoshiro_next();
	arch_irq_restore(f);
	return v;
}

void entropy_fill(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint64_t f = arch_irq_save();

	stir();
	arch_irq_restore(f);
	while (n) {
		uint64_t v = next_word();
		size_t k = n < sizeof(v) ? n : sizeof(v);

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

bool entropy_hw(void)
{
	return ent.hw;
}
