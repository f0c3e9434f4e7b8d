// SPDX-License-Identifier: MIT
// Hostile: manifest `exchange 16M`; queues 1 MiB blocks in messages on
// channels whose both ends it holds, never receiving them, hoping that
// blocks in flight escape its limit. They stay charged to it until a
// receiver takes them: blk_alloc returns -ERR_SIP_MEMORY_LIMIT (114)
// before 16 MiB are out. Exits 0 when the limit held, 1 otherwise.
#include "hostile.h"

#include <isola/err.h>

SIP_NS_ENDPOINT(0);

#define MIB (1u << 20)

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t blocks = 0;
	int32_t r = 0;
	for (int i = 0; i < 64 && r >= 0; i++) {
		uint32_t exp, imp;
		hostile_kv_pair(&exp, &imp);
		int32_t key = isola_blk_alloc(MIB, ISOLA_BLK_TYPE_BYTES);
		int32_t value = key > 0 ? isola_blk_alloc(MIB, ISOLA_BLK_TYPE_BYTES) : key;
		r = value;
		if (value <= 0) {
			isola_blk_free(key > 0 ? (uint32_t)key : 0);
			break;
		}
		blocks += 2;
		struct kv_put put = { { (uint32_t)key }, { (uint32_t)value } };
		if (isola_chan_send(imp, KV_MSG_PUT, &put, sizeof(put)) != 0)
			return 1;
	}
	printf("%u MiB queued in flight, then blk_alloc returned %d\n",
	       (unsigned)blocks, (int)r);
	return r == -ERR_SIP_MEMORY_LIMIT && blocks < 16 ? 0 : 1;
}
