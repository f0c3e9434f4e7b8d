// SPDX-License-Identifier: MIT
// Hostile: parks an endpoint in its endpoint set, takes it back, then
// takes it again with the same key. The key died with the first take:
// trapped (109, stale handle).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	uint32_t key = isola_eset_put(imp);
	uint32_t back = isola_eset_take(key, NULL);
	printf("took %#x back under key %#x; taking it again\n", (unsigned)back,
	       (unsigned)key);
	uint32_t again = isola_eset_take(key, NULL);
	printf("eset_take returned %#x\n", (unsigned)again);
	return 1;
}
