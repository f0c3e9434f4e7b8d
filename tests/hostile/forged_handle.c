// SPDX-License-Identifier: MIT
// Hostile: uses a handle the kernel never issued (0x0badc0de: generation
// 0x0bad, slot 0xc0dd, far past the 256-slot table).
// The ABI's handle check stops it: trapped (108, invalid handle).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t h = hostile_opaque(0x0badc0deu);
	printf("blk_len of forged handle %#x\n", (unsigned)h);
	int32_t n = isola_blk_len(h);
	printf("blk_len returned %d\n", (int)n);
	return 1;
}
