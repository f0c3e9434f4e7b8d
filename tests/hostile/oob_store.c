// SPDX-License-Identifier: MIT
// Hostile: stores far outside linear memory, at 0xfffffff0.
// The engine's bounds check traps: trapped (3001, out of bounds memory access).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t at = hostile_opaque(0xfffffff0u);
	printf("storing at %#x\n", (unsigned)at);
	*(volatile uint32_t *)(uintptr_t)at = 0xdeadbeefu;
	printf("the store went through\n");
	return 1;
}
