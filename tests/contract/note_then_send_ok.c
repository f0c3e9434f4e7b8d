// SPDX-License-Identifier: MIT
// The corrected twin of note_then_send_bad.c: the endpoint is parked in
// the endpoint set (its key is no handle) and the answer is received
// before the next request.
#include "common.h"

static uint32_t kept;

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	kept = isola_eset_put(exp);
	struct kv_get get = { { (uint32_t)isola_blk_alloc(8, 3) } };
	isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	isola_chan_close(imp);
	isola_chan_close(isola_eset_take(kept, kv_hash));
	return 0;
}
