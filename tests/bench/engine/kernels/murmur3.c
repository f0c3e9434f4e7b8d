// SPDX-License-Identifier: MIT
// MurmurHash3 x64_128 (64-bit multiply-rotate mixing, 16-byte blocks and
// the final avalanche) over a 64 KiB buffer, with a new seed each pass.
#include "kernel.h"

static uint8_t buf[65536];

static uint64_t rotl(uint64_t x, int r)
{
	return (x << r) | (x >> (64 - r));
}

static uint64_t fmix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return k;
}

static uint64_t load64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

// The buffer's length is a multiple of 16: no tail.
static uint64_t murmur3(uint64_t seed)
{
	const uint64_t c1 = 0x87c37b91114253d5ull, c2 = 0x4cf5ad432745937full;
	uint64_t h1 = seed, h2 = seed;
	for (uint32_t off = 0; off < sizeof(buf); off += 16) {
		uint64_t k1 = load64(buf + off), k2 = load64(buf + off + 8);
		h1 ^= rotl(k1 * c1, 31) * c2;
		h1 = (rotl(h1, 27) + h2) * 5 + 0x52dce729;
		h2 ^= rotl(k2 * c2, 33) * c1;
		h2 = (rotl(h2, 31) + h1) * 5 + 0x38495ab5;
	}
	h1 ^= sizeof(buf);
	h2 ^= sizeof(buf);
	h1 += h2;
	h2 += h1;
	h1 = fmix(h1);
	h2 = fmix(h2);
	h1 += h2;
	h2 += h1;
	return h1 ^ rotl(h2, 17);
}

uint64_t run(void)
{
	uint32_t x = 1;
	for (uint32_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	uint64_t h = 0;
	for (int rep = 0; rep < 3000; rep++)
		h = murmur3(h + (uint64_t)rep);
	return h;
}
