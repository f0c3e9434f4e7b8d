// SPDX-License-Identifier: MIT
// Hostile: frees a block, then writes to it through the dead handle.
// The handle's generation no longer matches: trapped (109, stale handle).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t b = hostile_block(64);
	isola_blk_free(b);
	printf("writing to freed block %#x\n", (unsigned)b);
	isola_blk_store32(b, 0, 0x41414141);
	printf("the write went through\n");
	return 1;
}
