// SPDX-License-Identifier: MIT
// Hostile: a manifest that allows 256 MiB of linear memory, grown in 16 MiB
// steps. The SIP's kernel-memory account (64 MiB) runs out first:
// memory.grow returns -1 below 64 MiB, and the SIP still runs. It checks
// that and exits (0); anything else exits 1.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

#define STEP 256 // pages: 16 MiB

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	unsigned steps = 0;
	while (steps < 32 && __builtin_wasm_memory_grow(0, STEP) != (size_t)-1)
		steps++;
	size_t pages = __builtin_wasm_memory_size(0);
	volatile uint8_t *last = (volatile uint8_t *)(uintptr_t)(pages * 65536u - 1);
	*last = 0xa5;
	int ok = steps < 32 && pages * 65536u <= (64u << 20) && *last == 0xa5;
	printf("grew %u steps of 16 MiB to %u KiB, then memory.grow failed\n",
	       steps, (unsigned)(pages * 64));
	return ok ? 0 : 1;
}
