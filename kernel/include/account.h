// SPDX-License-Identifier: MIT
// Accounts: who pays for every kernel object a SIP causes to exist. A
// memory account is a capped allocator (kernel heap bytes) drawing on a
// pool, the system-wide cap its kind shares: one pool for SIPs, one for
// verified images. A SIP's account adds the exchange heap (the blocks it
// holds and those it sent that no one has received yet, xheap.h's payer)
// with its own limit, and the channels it created. An account outlives its
// SIP while it still pays for something (a message in flight, a channel
// another SIP holds): it is "ended" and freed by account_sweep once its
// last charge is gone. Portable: the heap underneath is a backing the
// embedder supplies (kmalloc in the kernel, malloc in host tests).
// docs/security.md has the model.
#ifndef ISOLA_ACCOUNT_H
#define ISOLA_ACCOUNT_H

#include <isola/verifier.h>
#include <isola/xheap.h>
#include <list.h>

#define ACCOUNT_NAME_MAX 32

// Where an account's bytes come from: an allocator and the true size of
// what it returned (what is charged).
struct mem_backing {
	void *(*alloc)(size_t size);
	void (*free)(void *p);
	size_t (*size)(const void *p);
};

// A cap shared by many accounts. extra (may be NULL) reports bytes that
// count against the cap without going through an account (the exchange
// heap's pages, for the SIP pool).
struct mem_pool {
	size_t used, cap; // atomic
	size_t (*extra)(void);
};

// A capped allocator: the verifier's and engine's allocator interface
// (alloc) over the backing, charging used against cap and the pool.
struct mem_account {
	struct vf_allocator alloc;
	size_t used, peak, cap; // atomic
	struct mem_pool *pool;
	const struct mem_backing *backing;
};

void mem_account_init(struct mem_account *a, size_t cap, struct mem_pool *pool,
		      const struct mem_backing *backing);
// Charges n bytes (no memory moves): false when the account or the pool
// would go over its cap.
ISOLA_MUST_CHECK bool mem_account_charge(struct mem_account *a, size_t n);
void mem_account_uncharge(struct mem_account *a, size_t n);
// Memory charged to a (NULL when over a cap or out of memory), and its
// free. zalloc zeroes it.
ISOLA_MUST_CHECK void *mem_account_alloc(struct mem_account *a, size_t size);
ISOLA_MUST_CHECK void *mem_account_zalloc(struct mem_account *a, size_t size);
void mem_account_free(struct mem_account *a, void *p);

// Room left in a pool, counting its extra.
size_t mem_pool_room(const struct mem_pool *p);

// A SIP's account.
struct account {
	struct mem_account mem;    // kernel heap: its state, instance, channels
	struct xheap_owner xo;     // exchange: xo.charged against xcap
	size_t xcap;
	uint32_t channels;         // channels it made that still exist (atomic)
	uint32_t id;               // its SIP's id
	char name[ACCOUNT_NAME_MAX];
	bool ended;                // its SIP has been reclaimed
	struct list_node link;     // in the list of accounts
};

// The accounts of a system: the list, the pool SIPs share, the exchange
// heap their blocks come from.
struct account_set {
	struct list_node all;
	int lock;
	struct mem_pool pool;
	struct xheap *xh;
	const struct mem_backing *backing;
	size_t live, ended; // counts
};

void account_set_init(struct account_set *set, size_t pool_cap,
		      size_t (*pool_extra)(void), struct xheap *xh,
		      const struct mem_backing *backing);

// A new account with the given caps (its own structure comes from the
// backing, outside every account). NULL when out of memory.
ISOLA_MUST_CHECK struct account *account_new(struct account_set *set, uint32_t id,
			    const char *name, size_t kmem_cap, size_t xcap);
// The SIP is gone: it holds nothing any more (its blocks were released).
// The account is freed now if it pays for nothing, else by a later sweep.
void account_end(struct account_set *set, struct account *a);
// Frees every ended account that pays for nothing; returns how many.
size_t account_sweep(struct account_set *set);

// Reserves n bytes of exchange heap for a block a is about to allocate:
// ERR_SIP_MEMORY_LIMIT over a's own limit, ERR_NOMEM over the pool (the
// reservation is counted there until account_exchange_done, so SIPs
// allocating at once cannot pass it together).
ISOLA_MUST_CHECK isola_err_t account_exchange_reserve(struct account_set *set,
						      const struct account *a, size_t n);
// The block is made (its pages now count) or was not: the reservation ends.
void account_exchange_done(struct account_set *set, size_t n);

// What a pays for in all: kernel heap plus exchange.
static inline size_t account_total(const struct account *a)
{
	return __atomic_load_n(&a->mem.used, __ATOMIC_RELAXED) +
	       __atomic_load_n(&a->xo.charged, __ATOMIC_RELAXED);
}

static inline struct account *account_of(struct xheap_owner *o)
{
	return ISOLA_CONTAINER_OF(o, struct account, xo);
}

struct account_totals {
	size_t live, ended;       // accounts
	size_t ended_bytes;       // what ended accounts still pay for
	size_t pool_used, pool_cap;
};
void account_set_totals(struct account_set *set, struct account_totals *out);

#endif
