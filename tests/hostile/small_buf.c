// SPDX-License-Identifier: MIT
// Hostile: receives a kv `get` (4 bytes) with a 4-byte buffer. State
// `ready` of the service can also receive `put` (8 bytes), and the buffer
// must hold the largest: trapped (2206, receive buffer too small).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp, msg = 0;
	hostile_kv_pair(&exp, &imp);
	struct kv_get get = { { hostile_block(8) } };
	int32_t r = isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get));
	printf("sent get: %d; receiving it into 4 bytes\n", (int)r);
	uint32_t buf;
	r = isola_chan_recv(exp, &buf, sizeof(buf), &msg);
	printf("chan_recv returned %d\n", (int)r);
	return 1;
}
