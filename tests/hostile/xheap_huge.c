// SPDX-License-Identifier: MIT
// Hostile: asks the exchange heap for far more than the machine has: 64 MiB
// blocks (the largest size) until the kernel says no, with a manifest
// `exchange 1024M` so the SIP's own limit is not what stops it; and sizes
// out of range (0, 64 MiB + 1, 4 GiB - 1). Expected: -ERR_XHEAP_SIZE (2300)
// for the bad sizes, then -ERR_XHEAP_NOMEM (2302), -ERR_NOMEM (1) or
// -ERR_SIP_MEMORY_LIMIT (114: the kernel clamps the SIP's own limit to half
// of its memory) after a few blocks (114 is also right for 4 GiB - 1,
// which is past the limit too); the SIP frees them and exits (0).
// Anything else exits 1.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

#define BIG (64u << 20)
#define MAX_BLOCKS 64

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static uint32_t blocks[MAX_BLOCKS];
	int bad = 0;
	static const uint32_t wrong[] = { 0, BIG + 1, 0xffffffffu };
	for (unsigned i = 0; i < sizeof(wrong) / sizeof(wrong[0]); i++) {
		int32_t r = isola_blk_alloc(wrong[i], ISOLA_BLK_TYPE_BYTES);
		// 4 GiB - 1 is also past the 1 GiB limit: either error will do.
		if (r != -2300 && !(wrong[i] > (1u << 30) && r == -114)) {
			printf("blk_alloc(%#x) returned %d\n", (unsigned)wrong[i], (int)r);
			bad |= 1;
		}
	}
	unsigned n = 0;
	int32_t r = 0;
	while (n < MAX_BLOCKS) {
		r = isola_blk_alloc(BIG, ISOLA_BLK_TYPE_BYTES);
		if (r <= 0)
			break;
		blocks[n++] = (uint32_t)r;
		isola_blk_store8((uint32_t)r, BIG - 1, 1); // touch the last byte
	}
	printf("got %u blocks of 64 MiB, then blk_alloc returned %d\n", n, (int)r);
	if (r != -2302 && r != -1 && r != -114)
		bad |= 2;
	for (unsigned i = 0; i < n; i++)
		if (isola_blk_free(blocks[i]) != 0)
			bad |= 4;
	// After the failure the heap still works.
	uint32_t b = hostile_block(4096);
	isola_blk_free(b);
	return bad ? 1 : 0;
}
