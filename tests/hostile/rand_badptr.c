// SPDX-License-Identifier: MIT
// Hostile: asks the kernel's random call to write 16 bytes at 0xfffffff0,
// whose end wraps to 0 in 32 bits. The ABI's range check stops it before
// a byte is written: trapped (115, pointer outside linear memory).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t p = hostile_opaque(0xfffffff0u);
	printf("random(%#x, 16)\n", (unsigned)p);
	int32_t r = isola_random((void *)(uintptr_t)p, 16);
	printf("random returned %d\n", (int)r);
	return 1;
}
