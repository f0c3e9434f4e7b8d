// SPDX-License-Identifier: MIT
// The corrected twin of leak_bad.c.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int32_t b = isola_blk_alloc(16, ISOLA_BLK_TYPE_BYTES);
	if (b < 0)
		return 1;
	isola_blk_store32((uint32_t)b, 0, 1);
	isola_blk_free((uint32_t)b);
	return 0;
}
