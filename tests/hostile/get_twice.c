// SPDX-License-Identifier: MIT
// Hostile: sends kv's `get` twice without waiting for the answer; the
// second is not allowed in state `answering`: trapped (2200).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	struct kv_get get = { { hostile_block(8) } };
	int32_t r = isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	printf("first get: %d; sending a second one\n", (int)r);
	get.key.h = hostile_block(8);
	r = isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	printf("second get returned %d\n", (int)r);
	return 1;
}
