// SPDX-License-Identifier: MIT
// Hostile: sends kv's `get` carrying a block whose element type is not the
// field's (`bytes`). chan_send's decoder checks each moved block's type
// before anything moves: trapped (2202), the block still the sender's and
// reclaimed with it.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	int32_t b = isola_blk_alloc(8, ISOLA_BLK_TYPE_BYTES + 4);
	if (b <= 0) {
		printf("blk_alloc failed: %d\n", (int)b);
		return 91;
	}
	struct kv_get get = { { (uint32_t)b } };
	printf("sending get with a block of another type\n");
	int32_t r = isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	printf("chan_send returned %d\n", (int)r);
	return 1;
}
