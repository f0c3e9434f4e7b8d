// SPDX-License-Identifier: MIT
// Host fixtures for the channels tests: a page source and channel memory
// from the C library with leak counters, and contracts compiled from source
// text through contractc's front end.
#ifndef ISOLA_TEST_CHANNELS_SUPPORT_H
#define ISOLA_TEST_CHANNELS_SUPPORT_H

#include <isola/chan.h>

struct cc_file;

struct host_env {
	struct xheap xh;
	struct chan_env env;
	long pages_out; // pages the heap holds from the source
	long chan_bytes_out; // channel memory not yet freed
	// The payer and contract of the last channel allocation and free.
	struct xheap_owner *alloc_payer, *free_payer;
	const struct contract *alloc_contract, *free_contract;
	unsigned wakes; // calls to the wake hook
	unsigned last_events;
	struct chan_endpoint *last_woken;
	long page_limit; // fail page allocations beyond this (0: no limit)
	// Called from the wake hook, if set (to test calls made from it).
	void (*on_wake)(struct host_env *h, struct chan_endpoint *ep, unsigned events);
	void *user;
};

void host_env_init(struct host_env *h);
// Checks the heap, finishes it and asserts nothing leaked.
void host_env_fini(struct host_env *h);

// Compiles src; asserts it has no errors; returns contract `name`'s model.
// The file stays allocated until test_contracts_free.
const struct contract *test_contract(const char *src, const char *name);
void test_contracts_free(void);

// The index of message `name` in c, asserting it exists.
uint16_t test_msg(const struct contract *c, const char *name);
uint16_t test_state(const struct contract *c, const char *name);

#endif
