// SPDX-License-Identifier: MIT
// Sends a message kv does not have on an endpoint the kernel has checked
// to be a kv endpoint (chan_expect): the analysis knows its contract.
#include "common.h"

__attribute__((noinline)) static void poke(uint32_t ep)
{
	ep = isola_chan_expect(ep, kv_hash);
	(void)isola_chan_send(ep, 99, 0, 0); // VERIFY-ERROR E1476
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	if (isola_chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	poke(imp);
	isola_chan_close(imp);
	isola_chan_close(exp);
	return 0;
}
