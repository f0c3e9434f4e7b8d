// SPDX-License-Identifier: MIT
// Hostile: sends kv's `put` with the same block as key and value, so one
// block would arrive twice. The move check stops it: trapped (2203).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	uint32_t b = hostile_block(16);
	struct kv_put put = { { b }, { b } };
	printf("sending put with block %#x twice\n", (unsigned)b);
	int32_t r = isola_chan_send(imp, KV_MSG_PUT, &put, sizeof(put));
	printf("chan_send returned %d\n", (int)r);
	return 1;
}
