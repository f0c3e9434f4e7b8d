// SPDX-License-Identifier: MIT
// Sends kv's get twice without waiting for the answer.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	struct kv_get get = { { (uint32_t)isola_blk_alloc(8, 3) } };
	(void)isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	get.key.h = (uint32_t)isola_blk_alloc(8, 3);
	(void)isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get)); // VERIFY-ERROR E1470
	isola_chan_close(imp);
	isola_chan_close(exp);
	return 0;
}
