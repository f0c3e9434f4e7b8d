// SPDX-License-Identifier: MIT
// The kernel's accounts (account.h) and memory pools: every SIP's account
// draws on one pool, capped at 5/8 of the memory the kernel manages, which
// also counts the exchange heap's pages (blocks are charged to their
// payers, account.h); verified images draw on a pool of 1/4 (image.c); the
// last 1/8 and more is the kernel's own. So no SIP, and no set of SIPs,
// can take the memory the kernel needs to keep running and stop them.
#include <sip.h>

static struct account_set set;
static struct mem_pool images;

static size_t exchange_bytes(void)
{
	return __atomic_load_n(&kchan_heap()->pages, __ATOMIC_RELAXED) * 4096;
}

void kaccounts_init(void)
{
	struct kmem_stats m;
	kmem_stats(&m);
	size_t total = m.frames_total * 4096;
	account_set_init(&set, total / 8 * 5, exchange_bytes, kchan_heap(),
			 kheap_backing());
	images = (struct mem_pool){ 0, total / 4, NULL };
}

struct account_set *kaccounts(void)
{
	return &set;
}

struct mem_pool *kimage_pool(void)
{
	return &images;
}
