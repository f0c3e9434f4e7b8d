// SPDX-License-Identifier: MIT
// The corrected twin of global_bad.c: the endpoint is parked in the SIP's
// endpoint set and the global keeps its key, which is no handle.
#include "common.h"

static uint32_t kept;

static void keep(void)
{
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return;
	kept = isola_eset_put(imp);
	isola_chan_close(exp);
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	keep();
	if (kept)
		isola_chan_close(isola_eset_take(kept, kv_hash));
	return 0;
}
