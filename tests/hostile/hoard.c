// SPDX-License-Identifier: MIT
// Hostile: fills its handle table with channels and blocks, leaves blocks
// in messages queued on its own channels, then traps. Expected: the
// 257th handle is refused with -ERR_LIMIT (6), then trapped (3000), and
// the kernel reclaims every channel, block and queued message.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

#define CHANNELS 40

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	unsigned queued = 0, blocks = 0;
	for (int i = 0; i < CHANNELS; i++) {
		hostile_kv_pair(&exp, &imp);
		// A put carries two blocks; it waits in the queue towards exp.
		struct kv_put put = { { hostile_block(512) }, { hostile_block(4096) } };
		if (isola_chan_send(imp, KV_MSG_PUT, &put, sizeof(put)) == 0)
			queued++;
	}
	int32_t r;
	while ((r = isola_blk_alloc(1024, ISOLA_BLK_TYPE_BYTES)) > 0)
		blocks++;
	printf("%d channels, %u queued puts, %u more blocks, then blk_alloc "
	       "returned %d; trapping\n", CHANNELS, queued, blocks, (int)r);
	if (r != -6)
		return 1;
	__builtin_trap();
}
