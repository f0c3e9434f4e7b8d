// SPDX-License-Identifier: MIT
// Hostile: passes an endpoint handle where a block is expected (blk_write).
// The handle check looks at the kind: trapped (110, handle names an object
// of another kind).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	printf("blk_write to endpoint %#x\n", (unsigned)exp);
	int32_t r = isola_blk_write(exp, 0, "overwrite", 9);
	printf("blk_write returned %d\n", (int)r);
	return 1;
}
