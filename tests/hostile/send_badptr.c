// SPDX-License-Identifier: MIT
// Hostile: chan_send with a payload pointer outside linear memory.
// The ABI's range check stops it before anything moves: trapped (115).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	uint32_t p = hostile_opaque(0xfffffffeu);
	printf("chan_send(get, payload at %#x)\n", (unsigned)p);
	int32_t r = isola_chan_send(imp, KV_MSG_GET, (const void *)(uintptr_t)p, 4);
	printf("chan_send returned %d\n", (int)r);
	return 1;
}
