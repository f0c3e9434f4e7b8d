// SPDX-License-Identifier: MIT
// Parks an endpoint in the SIP's endpoint set, then sends on the handle it
// gave away.
#include "common.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	uint32_t key = isola_eset_put(imp);
	(void)isola_chan_send(imp, KV_MSG_QUIT, 0, 0); // VERIFY-ERROR E1472
	isola_chan_close(isola_eset_take(key, kv_hash));
	isola_chan_close(exp);
	return 0;
}
