// SPDX-License-Identifier: MIT
// libFuzzer harness for the contract descriptor decoder, the kernel's view
// of an untrusted isola.contracts section: any byte string must decode to
// an error code or a valid model. A valid model then gets a channel, one
// send of every message with an empty payload and a close, which must
// leave no block or memory behind.
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <host_mem.h>
#include <isola/chan.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void exercise(const struct contract *c)
{
	struct xheap xh;
	struct xheap_owner a, b;
	struct xheap_page_source src = { NULL, host_pages_alloc, host_pages_free };
	struct chan_env env = { NULL, &xh, host_chan_alloc, host_chan_free, NULL };
	struct chan_endpoint *e, *i;
	uint8_t buf[CONTRACT_MAX_INLINE] = { 0 };
	xheap_init(&xh, &src);
	xheap_owner_init(&xh, &a);
	xheap_owner_init(&xh, &b);
	if (chan_create(&env, c, &a, &b, &e, &i) == ERR_OK) {
		for (uint16_t m = 0; m < c->n_msgs; m++) {
			uint32_t len = c->msgs[m].size;
			if (c->msgs[m].n_moved == 0) {
				(void)chan_send(i, &b, m, buf, len, NULL, 0);
				(void)chan_send(e, &a, m, buf, len, NULL, 0);
			}
		}
		struct chan_msg got;
		(void)chan_recv(e, &a, buf, sizeof(buf), &got);
		if (chan_close(e, &a) != ERR_OK || chan_close(i, &b) != ERR_OK)
			abort();
	}
	if (xheap_check(&xh) != ERR_OK || xh.nblocks != 0)
		abort();
	xheap_owner_fini(&xh, &a);
	xheap_owner_fini(&xh, &b);
	xheap_owner_fini(&xh, &xh.in_flight);
	xheap_fini(&xh);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t asize = CONTRACT_ARENA_SIZE(size);
	struct contract_arena a = { malloc(asize), asize, 0 };
	const struct contract *c;
	isola_err_t err = contract_decode_unhashed(data, size, &a, &c, NULL);
	if (err == ERR_DESC_ARENA)
		abort(); // CONTRACT_ARENA_SIZE promises to be enough
	if (err == ERR_OK)
		exercise(c);
	free(a.base);
	return 0;
}
