// SPDX-License-Identifier: MIT
// benchbig: a SIP with a large code section (1,024 small functions), so
// bench can time the first image_open (verify + prepare) of a big image.
// Run, it computes a checksum and exits with status 0.
#include <sip/sip.h>
#include <stdint.h>

SIP_NS_ENDPOINT(0);

static volatile uint32_t seed = 1;

#define BIG_FN(n)                                                              \
	__attribute__((noinline)) static uint32_t big_##n(uint32_t x)          \
	{                                                                      \
		for (uint32_t i = 0; i < (n % 7) + 3; i++) {                   \
			x = x * 2654435761u + (uint32_t)(n);                   \
			x ^= x >> ((n % 13) + 3);                              \
			if (x & (1u << (n % 31)))                              \
				x += seed;                                     \
		}                                                              \
		return x;                                                      \
	}
#define BIG_CALL(n) x = big_##n(x);

#define BIG4(M, n) M(n##0) M(n##1) M(n##2) M(n##3)
#define BIG16(M, n) BIG4(M, n##0) BIG4(M, n##1) BIG4(M, n##2) BIG4(M, n##3)
#define BIG64(M, n) BIG16(M, n##0) BIG16(M, n##1) BIG16(M, n##2) BIG16(M, n##3)
#define BIG256(M, n) BIG64(M, n##0) BIG64(M, n##1) BIG64(M, n##2) BIG64(M, n##3)
#define BIG1024(M) BIG256(M, 10) BIG256(M, 11) BIG256(M, 12) BIG256(M, 13)

BIG1024(BIG_FN)

int main(void)
{
	uint32_t x = seed;

	BIG1024(BIG_CALL)
	return x == 0xffffffffu ? 1 : 0;
}
