// SPDX-License-Identifier: MIT
// Hostile: receives a kv `get` (4 bytes) into a 2-byte buffer, smaller than
// the message itself. The receive check stops it before anything moves:
// trapped (2206, receive buffer too small).
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
	printf("sent get: %d; receiving it into 2 bytes\n", (int)r);
	uint16_t buf;
	r = isola_chan_recv(exp, &buf, sizeof(buf), &msg);
	printf("chan_recv returned %d\n", (int)r);
	return 1;
}
