// SPDX-License-Identifier: MIT
// Hostile: sends a block in a kv `get`, then keeps writing to it. The block
// moved with the message, so the sender's handle is dead at once:
// trapped (109, stale handle).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	struct kv_get get = { { hostile_block(16) } };
	uint32_t b = get.key.h;
	int32_t r = isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	printf("sent block %#x: %d; now writing to it\n", (unsigned)b, (int)r);
	isola_blk_write(b, 0, "gotcha", 6);
	printf("the write went through\n");
	return 1;
}
