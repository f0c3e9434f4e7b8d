// SPDX-License-Identifier: MIT
// Hostile: waits forever in chan_recv on a channel whose other end it
// holds and never uses. Started in the background and stopped with
// `kill ID`: a kill ends the wait: killed (0).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp, msg = 0;
	struct kv_put buf;
	hostile_kv_pair(&exp, &imp);
	printf("waiting for a message that never comes\n");
	int32_t r = isola_chan_recv(exp, &buf, sizeof(buf), &msg);
	printf("chan_recv returned %d\n", (int)r);
	return 1;
}
