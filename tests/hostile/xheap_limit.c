// SPDX-License-Identifier: MIT
// Hostile: goes past its manifest's `exchange 64K`. 48 KiB is granted; 32
// KiB more is refused with -ERR_SIP_MEMORY_LIMIT (114); once the first
// block is freed, 32 KiB is granted again. The SIP checks that and
// exits (0); anything else exits 1.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int bad = 0;
	int32_t a = isola_blk_alloc(48 << 10, ISOLA_BLK_TYPE_BYTES);
	int32_t b = isola_blk_alloc(32 << 10, ISOLA_BLK_TYPE_BYTES);
	int32_t c = isola_blk_alloc(64 << 20, ISOLA_BLK_TYPE_BYTES);
	printf("48K: %d, then 32K: %d, then 64M: %d\n", (int)a, (int)b, (int)c);
	if (a <= 0 || b != -114 || c != -114)
		bad |= 1;
	if (a > 0)
		isola_blk_free((uint32_t)a);
	b = isola_blk_alloc(32 << 10, ISOLA_BLK_TYPE_BYTES);
	printf("after freeing the 48K block, 32K: %d\n", (int)b);
	if (b <= 0)
		bad |= 2;
	else
		isola_blk_free((uint32_t)b);
	return bad ? 1 : 0;
}
