// SPDX-License-Identifier: MIT
// Hostile: loads a 32-bit word that straddles the end of linear memory.
// The engine's bounds check traps: trapped (3001, out of bounds memory access).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t end = (uint32_t)__builtin_wasm_memory_size(0) * 65536u;
	uint32_t at = hostile_opaque(end - 2);
	printf("loading 4 bytes at %#x, memory ends at %#x\n", (unsigned)at, (unsigned)end);
	uint32_t v = *(volatile uint32_t *)(uintptr_t)at;
	printf("the load returned %#x\n", (unsigned)v);
	return 1; // not stopped
}
