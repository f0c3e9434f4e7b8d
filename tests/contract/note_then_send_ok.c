// SPDX-License-Identifier: MIT
// The corrected twin of note_then_send_bad.c: the global keeps a parked
// endpoint's key, which is no handle, and one get is sent.
#include "common.h"

static uint32_t kept;

int main(int argc, char **argv)
{
	struct kv_pair p = kv_create();
	struct kv_get first = { { (uint32_t)isola_blk_alloc(8, 3) } };

	kept = isola_eset_put(p.exp.h);
	(void)isola_chan_send(p.imp.h, KV_MSG_GET, &first, sizeof(first));
	isola_chan_close(p.imp.h);
	isola_chan_close(isola_eset_take(kept, kv_hash));
	return argc > 1 && argv[1] != 0;
}
