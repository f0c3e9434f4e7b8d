// SPDX-License-Identifier: MIT
// The corrected twin of parked_send_bad.c: the endpoint is taken back
// (with its contract, which the kernel checks) before the send.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	uint32_t key = isola_eset_put(imp);
	imp = isola_eset_take(key, kv_hash);
	(void)isola_chan_send(imp, KV_MSG_QUIT, 0, 0);
	isola_chan_close(imp);
	isola_chan_close(exp);
	return 0;
}
