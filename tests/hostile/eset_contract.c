// SPDX-License-Identifier: MIT
// Hostile: parks a kv endpoint and takes it back claiming it is a console
// endpoint. The kernel compares the contracts: trapped (2208).
#include "hostile.h"

#include <contracts/console.h>

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const uint8_t console_hash[32] = CONSOLE_CONTRACT_HASH;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	uint32_t key = isola_eset_put(imp);
	printf("taking kv endpoint %#x back as a console one\n", (unsigned)key);
	uint32_t h = isola_eset_take(key, console_hash);
	printf("eset_take returned %#x\n", (unsigned)h);
	return 1;
}
