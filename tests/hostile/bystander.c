// SPDX-License-Identifier: MIT
// The well-behaved SIP that runs in the background while the hostile ones
// are stopped: every 10 ms it round-trips a block through a kv channel to
// itself and checks the contents; every 25 rounds it logs
// "bystander: alive N". When the exchange heap is full (another SIP took
// it) it logs that and tries again next round. It runs until killed; a
// failed check exits 1.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

// 1: done and checked; 0: failed; -1: no block to send this round.
static int round_trip(uint32_t exp, uint32_t imp, uint32_t n)
{
	int32_t h = isola_blk_alloc(64, ISOLA_BLK_TYPE_BYTES);
	uint32_t b = (uint32_t)h, msg = 0, got;
	struct kv_put put;
	if (h <= 0) {
		printf("bystander: blk_alloc returned %d, retrying\n", (int)h);
		return -1;
	}
	isola_blk_store32(b, 60, (int32_t)n);
	struct kv_get get = { { b } };
	if (isola_chan_send(imp, KV_MSG_GET, &get, sizeof(get)) != 0)
		return 0;
	if (isola_chan_recv(exp, &put, sizeof(put), &msg) != 0 || msg != KV_MSG_GET)
		return 0;
	got = (uint32_t)isola_blk_load32(put.key.h, 60);
	struct kv_found found = { put.key };
	if (isola_chan_send(exp, KV_MSG_FOUND, &found, sizeof(found)) != 0)
		return 0;
	if (isola_chan_recv(imp, &found, sizeof(found), &msg) != 0 || msg != KV_MSG_FOUND)
		return 0;
	isola_blk_free(found.value.h);
	return got == n;
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	uint32_t exp, imp;
	hostile_kv_pair(&exp, &imp);
	for (uint32_t n = 1;; n++) {
		isola_sleep_ns(10 * 1000 * 1000);
		if (round_trip(exp, imp, n) == 0) {
			printf("bystander: round trip %u failed\n", (unsigned)n);
			return 1;
		}
		if (n % 25 == 0)
			printf("bystander: alive %u\n", (unsigned)n);
	}
}
