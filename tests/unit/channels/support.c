// SPDX-License-Identifier: MIT
// Host fixtures for the channels tests (see support.h).
#include "support.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"

static void *page_alloc(void *ctx, size_t n)
{
	struct host_env *h = ctx;
	// Counters are atomic: the heap calls its source without its lock.
	long out = __atomic_load_n(&h->pages_out, __ATOMIC_RELAXED);
	if (h->page_limit && out + (long)n > h->page_limit)
		return NULL;
	void *p = aligned_alloc(XHEAP_PAGE_SIZE, n * XHEAP_PAGE_SIZE);
	if (p)
		__atomic_fetch_add(&h->pages_out, (long)n, __ATOMIC_RELAXED);
	return p;
}

static void page_free(void *ctx, void *p, size_t n)
{
	struct host_env *h = ctx;
	__atomic_fetch_sub(&h->pages_out, (long)n, __ATOMIC_RELAXED);
	free(p);
}

static void *mem_alloc(void *ctx, struct xheap_owner *payer,
		       const struct contract *c, size_t n)
{
	struct host_env *h = ctx;
	h->alloc_payer = payer;
	h->alloc_contract = c;
	__atomic_fetch_add(&h->chan_bytes_out, (long)n, __ATOMIC_RELAXED);
	return malloc(n);
}

static void mem_free(void *ctx, struct xheap_owner *payer,
		     const struct contract *c, void *p, size_t n)
{
	struct host_env *h = ctx;
	h->free_payer = payer;
	h->free_contract = c;
	__atomic_fetch_sub(&h->chan_bytes_out, (long)n, __ATOMIC_RELAXED);
	free(p);
}

static void wake(void *ctx, struct chan_endpoint *ep, unsigned events)
{
	struct host_env *h = ctx;
	__atomic_fetch_add(&h->wakes, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&h->last_events, events, __ATOMIC_RELAXED);
	__atomic_store_n(&h->last_woken, ep, __ATOMIC_RELAXED);
	if (h->on_wake)
		h->on_wake(h, ep, events);
}

void host_env_init(struct host_env *h)
{
	memset(h, 0, sizeof(*h));
	struct xheap_page_source src = { h, page_alloc, page_free };
	xheap_init(&h->xh, &src);
	h->env = (struct chan_env){ h, &h->xh, mem_alloc, mem_free, wake };
}

void host_env_fini(struct host_env *h)
{
	assert_int_equal(xheap_check(&h->xh), ERR_OK);
	assert_int_equal(h->xh.nblocks, 0);
	assert_int_equal(h->chan_bytes_out, 0);
	xheap_owner_fini(&h->xh, &h->xh.in_flight);
	xheap_fini(&h->xh);
	assert_int_equal(h->pages_out, 0);
}

static struct cc_file *files[64];
static size_t nfiles;

const struct contract *test_contract(const char *src, const char *name)
{
	struct cc_ctx cx = { .path = "test" };
	struct cc_file *f = cc_compile(&cx, src, strlen(src));
	if (cx.nerrors)
		cc_print_diags(&cx, stderr);
	assert_int_equal(cx.nerrors, 0);
	cc_ctx_free(&cx);
	assert_true(nfiles < 64);
	files[nfiles++] = f;
	for (size_t i = 0; i < f->ncontracts; i++)
		if (!strcmp(f->contracts[i].name, name))
			return f->contracts[i].model;
	fail_msg("no contract %s", name);
	return NULL;
}

void test_contracts_free(void)
{
	while (nfiles > 0)
		cc_file_free(files[--nfiles]);
}

static uint16_t find(const char *name, const char *const *names,
		     const uint8_t *lens, size_t stride, size_t n)
{
	(void)stride;
	for (size_t i = 0; i < n; i++)
		if (strlen(name) == lens[i] && !memcmp(names[i], name, lens[i]))
			return (uint16_t)i;
	fail_msg("no name %s", name);
	return 0;
}

uint16_t test_msg(const struct contract *c, const char *name)
{
	const char *names[CONTRACT_MAX_MSGS];
	uint8_t lens[CONTRACT_MAX_MSGS];
	for (uint16_t i = 0; i < c->n_msgs; i++) {
		names[i] = c->msgs[i].name;
		lens[i] = c->msgs[i].name_len;
	}
	return find(name, names, lens, 0, c->n_msgs);
}

uint16_t test_state(const struct contract *c, const char *name)
{
	const char *names[CONTRACT_MAX_STATES];
	uint8_t lens[CONTRACT_MAX_STATES];
	for (uint16_t i = 0; i < c->n_states; i++) {
		names[i] = c->states[i].name;
		lens[i] = c->states[i].name_len;
	}
	return find(name, names, lens, 0, c->n_states);
}
