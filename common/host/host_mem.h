// SPDX-License-Identifier: MIT
// Host memory for portable code that takes its memory from the embedder:
// 4 KiB page sources (the exchange heap, the kernel heap) and sized
// malloc/free pairs (the channel core). ctx is unused.
#ifndef ISOLA_HOST_MEM_H
#define ISOLA_HOST_MEM_H

#include <isola/compiler.h>
#include <stddef.h>

#define HOST_PAGE_SIZE 4096u

void *host_pages_alloc(void *ctx, size_t npages) ISOLA_MUST_CHECK;
void host_pages_free(void *ctx, void *p, size_t npages);
void *host_mem_alloc(void *ctx, size_t size) ISOLA_MUST_CHECK;
void host_mem_free(void *ctx, void *p, size_t size);

// The channel core's chan_env.alloc/free on the C library, charging nobody.
struct xheap_owner;
struct contract;
void *host_chan_alloc(void *ctx, struct xheap_owner *payer,
		      const struct contract *c, size_t size) ISOLA_MUST_CHECK;
void host_chan_free(void *ctx, struct xheap_owner *payer,
		    const struct contract *c, void *p, size_t size);

#endif
