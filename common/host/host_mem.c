// SPDX-License-Identifier: MIT
// Host memory callbacks (see host_mem.h).
#include "host_mem.h"
#include <stdlib.h>

void *host_pages_alloc(void *ctx, size_t npages)
{
	(void)ctx;
	return aligned_alloc(HOST_PAGE_SIZE, npages * HOST_PAGE_SIZE);
}

void host_pages_free(void *ctx, void *p, size_t npages)
{
	(void)ctx;
	(void)npages;
	free(p);
}

void *host_mem_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return malloc(size);
}

void host_mem_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

void *host_chan_alloc(void *ctx, struct xheap_owner *payer,
		      const struct contract *c, size_t size)
{
	(void)payer;
	(void)c;
	return host_mem_alloc(ctx, size);
}

void host_chan_free(void *ctx, struct xheap_owner *payer,
		    const struct contract *c, void *p, size_t size)
{
	(void)payer;
	(void)c;
	host_mem_free(ctx, p, size);
}
