// SPDX-License-Identifier: MIT
// Hostile: passes log a pointer outside linear memory (0xfffffff0, 16
// bytes: its end wraps to 0 in 32 bits). The ABI's range check stops it:
// trapped (115, pointer outside linear memory).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t p = hostile_opaque(0xfffffff0u);
	printf("log(%#x, 16)\n", (unsigned)p);
	int32_t r = isola_log((const char *)(uintptr_t)p, 16);
	printf("log returned %d\n", (int)r);
	return 1;
}
