// SPDX-License-Identifier: MIT
// Keeps a block's handle in a global (a note, an error under --strict),
// then sends kv's get twice: under --strict the definite protocol error
// is the verdict, not the note before it. VERIFY-STRICT
#include "common.h"

static uint32_t kept;

int main(int argc, char **argv)
{
	struct kv_pair p = kv_create();
	struct kv_get first = { { (uint32_t)isola_blk_alloc(8, 3) } };
	struct kv_get second = { { (uint32_t)isola_blk_alloc(8, 3) } };

	kept = (uint32_t)isola_blk_alloc(8, 3);
	(void)isola_chan_send(p.imp.h, KV_MSG_GET, &first, sizeof(first));
	(void)isola_chan_send(p.imp.h, KV_MSG_GET, &second, sizeof(second)); // VERIFY-ERROR E1470
	isola_chan_close(p.imp.h);
	isola_chan_close(p.exp.h);
	isola_blk_free(kept);
	return argc > 1 && argv[1] != 0;
}
