// SPDX-License-Identifier: MIT
// Hostile: grows linear memory past its manifest's limit (memory 256K),
// page by page and in one huge step, and keeps trying. memory.grow
// returns -1 each time and the memory stays at the limit; the SIP checks
// that and exits (0). Any other outcome exits 1.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

#define LIMIT_PAGES 4 // the manifest's memory 256K

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int bad = 0;
	if (__builtin_wasm_memory_grow(0, hostile_opaque(0x10000)) != (size_t)-1)
		bad |= 1; // 4 GiB more
	if (__builtin_wasm_memory_grow(0, hostile_opaque(0xffffffffu)) != (size_t)-1)
		bad |= 2;
	unsigned grown = 0;
	while (__builtin_wasm_memory_grow(0, 1) != (size_t)-1 && grown < 100000)
		grown++;
	size_t pages = __builtin_wasm_memory_size(0);
	if (pages != LIMIT_PAGES)
		bad |= 4;
	for (int i = 0; i < 10000; i++)
		if (__builtin_wasm_memory_grow(0, 1) != (size_t)-1)
			bad |= 8;
	// The last byte below the limit is usable.
	volatile uint8_t *last = (volatile uint8_t *)(uintptr_t)(pages * 65536u - 1);
	*last = 0x5a;
	if (*last != 0x5a || __builtin_wasm_memory_size(0) != pages)
		bad |= 16;
	printf("grew %u pages to %u, then memory.grow failed as it should%s (%#x)\n",
	       grown, (unsigned)pages, bad ? " NOT" : "", (unsigned)bad);
	return bad ? 1 : 0;
}
