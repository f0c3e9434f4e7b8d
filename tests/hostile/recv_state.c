// SPDX-License-Identifier: MIT
// Hostile: receives on kv's importing end in state `ready`, where that side
// must send. The contract check stops it instead of letting it wait
// forever: trapped (2200).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp, msg = 0;
	uint8_t buf[64];
	hostile_kv_pair(&exp, &imp);
	printf("receiving on the importer in state ready\n");
	int32_t r = isola_chan_recv(imp, buf, sizeof(buf), &msg);
	printf("chan_recv returned %d\n", (int)r);
	return 1;
}
