// SPDX-License-Identifier: MIT
// The invariants of the SIP layer, checked from outside after any call
// (tests, the ABI fuzzer): every exchange block and endpoint a handle
// names is held by that handle's SIP and named by no other handle; every
// block a SIP holds has its handle; every block is in a handle table or in
// flight; the exchange heap's charges match its blocks (xheap_check); the
// SIP pool's use is exactly what the accounts are charged.
#include "host_env.h"

#include <stdlib.h>

#define MAX_OBJS (SIP_MAX * SIP_HANDLES)

struct walk {
	const void *objs[MAX_OBJS];
	size_t n, blocks;
	const char *broken;
};

static void walk_sip(const struct sip *s, void *ctx)
{
	struct walk *w = ctx;
	const struct handle_table *t = &s->handles;
	struct xheap_owner *xo = &s->acct->xo;
	size_t blocks = 0;
	for (uint32_t i = 0; i < t->cap && !w->broken; i++) {
		const struct handle_slot *sl = &t->slots[i];
		if (sl->kind == HANDLE_KIND_BLOCK) {
			blocks++;
			if (xheap_block_owner(sl->obj) != xo)
				w->broken = "a block handle names a block its SIP does not hold";
		} else if (sl->kind == HANDLE_KIND_ENDPOINT || sl->kind == HANDLE_KIND_PARKED) {
			if (chan_endpoint_owner(sl->obj) != xo)
				w->broken = "an endpoint handle names an endpoint its SIP does not hold";
		} else {
			continue;
		}
		w->objs[w->n++] = sl->obj;
	}
	if (!w->broken && blocks != xo->nblocks)
		w->broken = "a SIP holds a block that has no handle";
	w->blocks += blocks;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(const void *const *)a;
	uintptr_t y = (uintptr_t)*(const void *const *)b;
	return x < y ? -1 : x > y;
}

// Does the SIP pool hold exactly what the accounts are charged, each
// account's own structure included?
static bool pool_balanced(void)
{
	struct account_set *set = kaccounts();
	size_t sum = 0;
	list_for_each(it, &set->all) {
		struct account *a = ISOLA_CONTAINER_OF(it, struct account, link);
		sum += a->mem.used + set->backing->size(a);
		if (a->mem.used > a->mem.cap)
			return false;
	}
	return sum == set->pool.used;
}

const char *host_check_ownership(void)
{
	static struct walk w; // large: not on the stack
	w.n = 0;
	w.blocks = 0;
	w.broken = NULL;
	sip_for_each(walk_sip, &w);
	if (w.broken)
		return w.broken;
	qsort(w.objs, w.n, sizeof(w.objs[0]), cmp_ptr);
	for (size_t i = 1; i < w.n; i++)
		if (w.objs[i] == w.objs[i - 1])
			return "two handles name one object";
	struct xheap *xh = kchan_heap();
	if (xh->nblocks != w.blocks + xh->in_flight.nblocks)
		return "a block is neither in a handle table nor in flight";
	if (xheap_check(xh) != ERR_OK)
		return "exchange heap charges";
	if (!pool_balanced())
		return "the SIP pool and the accounts disagree";
	return NULL;
}
