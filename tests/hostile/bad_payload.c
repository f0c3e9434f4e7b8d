// SPDX-License-Identifier: MIT
// Hostile: sends kv's `get` with a 3-byte payload (the message is 4 bytes).
// The payload check stops it: trapped (2202).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	struct kv_get get = { { hostile_block(8) } };
	printf("sending get with 3 bytes of payload\n");
	int32_t r = isola_chan_send(imp, KV_MSG_GET, &get, 3);
	printf("chan_send returned %d\n", (int)r);
	return 1;
}
