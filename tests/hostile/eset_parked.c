// SPDX-License-Identifier: MIT
// Hostile: parks an endpoint in its endpoint set and keeps using the
// handle it had. Parking killed the handle: trapped (109, stale handle).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	uint32_t key = isola_eset_put(imp);
	printf("parked %#x under key %#x; sending on the old handle\n",
	       (unsigned)imp, (unsigned)key);
	int32_t r = isola_chan_send(imp, KV_MSG_QUIT, NULL, 0);
	printf("chan_send returned %d\n", (int)r);
	return 1;
}
