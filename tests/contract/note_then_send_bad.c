// SPDX-License-Identifier: MIT
// Keeps a handle in a global (a note, an error under --strict) and then
// sends kv's get twice: under --strict the definite protocol error is the
// verdict, not the note before it. VERIFY-STRICT
#include "common.h"

static uint32_t kept;

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	kept = exp;
	struct kv_get get = { { (uint32_t)isola_blk_alloc(8, 3) } };
	isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	get.key.h = (uint32_t)isola_blk_alloc(8, 3);
	isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get)); // VERIFY-ERROR E1470
	isola_chan_close(imp);
	isola_chan_close(kept);
	return 0;
}
