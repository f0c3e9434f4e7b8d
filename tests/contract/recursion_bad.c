// SPDX-License-Identifier: MIT
// A function that calls itself: it frees its first block, and its second
// one through the recursive call, then frees that one again.
#include "common.h"

__attribute__((noinline)) static void drop(uint32_t a, uint32_t b, uint32_t depth)
{
	isola_blk_free(a);
	if (depth > 0) {
		drop(b, 0, 0);
		isola_blk_free(b); // VERIFY-ERROR E1474
	}
}

int main(int argc, char **argv)
{
	(void)argv;
	int32_t a = isola_blk_alloc(8, 3);
	int32_t b = isola_blk_alloc(8, 3);
	if (a < 0 || b < 0)
		return 1;
	drop((uint32_t)a, (uint32_t)b, (uint32_t)argc);
	return 0;
}
