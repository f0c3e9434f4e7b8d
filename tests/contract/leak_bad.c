// SPDX-License-Identifier: MIT
// Returns from main still owning a block it used.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int32_t b = isola_blk_alloc(16, ISOLA_BLK_TYPE_BYTES); // VERIFY-ERROR E1475
	if (b < 0)
		return 1;
	isola_blk_store32((uint32_t)b, 0, 1);
	return 0;
}
