// SPDX-License-Identifier: MIT
// The corrected twin of recursion_bad.c: the recursive call frees the
// second block, and nothing frees it again.
#include "common.h"

__attribute__((noinline)) static void drop(uint32_t a, uint32_t b, uint32_t depth)
{
	isola_blk_free(a);
	if (depth > 0)
		drop(b, 0, 0);
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
