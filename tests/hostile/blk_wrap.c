// SPDX-License-Identifier: MIT
// Hostile: reads a block at an offset whose end wraps around 2^32
// (0xfffffff0 + 32). The block range check stops it: trapped (115).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint8_t buf[32];
	uint32_t b = hostile_block(64);
	uint32_t off = hostile_opaque(0xfffffff0u);
	printf("blk_read(%#x, off %#x, 32 bytes)\n", (unsigned)b, (unsigned)off);
	int32_t r = isola_blk_read(b, off, buf, sizeof(buf));
	printf("blk_read returned %d\n", (int)r);
	return 1;
}
