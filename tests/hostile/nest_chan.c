// SPDX-License-Identifier: MIT
// Hostile: makes channels without end, each one's exporting end sent into
// the previous one's queue (an ns attach that nobody receives), so it
// holds two handles while the channels pile up inside each other. Each
// channel is charged to the SIP that made it: chan_create fails once its
// kernel-memory account is full, long before the system's memory is, and
// everything nested is closed when it ends. Exits 0 when it was refused,
// 1 when it never was.
#include "hostile.h"

#include <contracts/ns.h>

SIP_NS_ENDPOINT(0);

#define NEST_MAX 1000000

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	static const uint8_t hash[32] = NS_CONTRACT_HASH;
	uint32_t root, cur;
	int32_t r = isola_chan_create(hash, &root, &cur);
	uint32_t n = 1;
	for (; r == 0 && n < NEST_MAX; n++) {
		uint32_t exp, imp;
		r = isola_chan_create(hash, &exp, &imp);
		if (r != 0)
			break;
		// attach moves exp into cur's queue, towards an end that is
		// itself in flight (or root, for the first).
		if (isola_chan_send(cur, NS_MSG_ATTACH, &exp, sizeof(exp)) != 0)
			return 1;
		isola_chan_close(cur);
		cur = imp;
	}
	printf("%u channels nested, then chan_create returned %d\n", (unsigned)n, (int)r);
	return r < 0 ? 0 : 1;
}
