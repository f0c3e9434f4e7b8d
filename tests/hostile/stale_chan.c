// SPDX-License-Identifier: MIT
// Hostile: closes an endpoint, then sends on it.
// The handle's generation no longer matches: trapped (109, stale handle).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	isola_chan_close(imp);
	printf("sending quit on closed endpoint %#x\n", (unsigned)imp);
	int32_t r = isola_chan_send(imp, KV_MSG_QUIT, NULL, 0);
	printf("chan_send returned %d\n", (int)r);
	return 1;
}
