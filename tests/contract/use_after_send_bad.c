// SPDX-License-Identifier: MIT
// Writes to a block after sending it in kv's get.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	int32_t b = isola_blk_alloc(8, 3);
	if (b < 0)
		return 1;
	isola_blk_store32((uint32_t)b, 0, 1);
	struct kv_get get = { { (uint32_t)b } };
	(void)isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	isola_blk_store32((uint32_t)b, 0, 2); // VERIFY-ERROR E1472
	isola_chan_close(imp);
	isola_chan_close(exp);
	return 0;
}
