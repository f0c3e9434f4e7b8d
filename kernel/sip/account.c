// SPDX-License-Identifier: MIT
// Accounts (see account.h). Charges are lock-free: a charge adds to the
// pool first and then to the account, each with a compare-and-swap that
// refuses to pass the cap, and undoes the pool's part if the account
// refuses, so concurrent charges can never together pass either cap. The
// list of accounts has its own small lock, taken only to add, end and
// sweep.
#include <account.h>
#include <isola/assert.h>
#include <string.h>

static void set_lock(struct account_set *set)
{
	while (__atomic_exchange_n(&set->lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&set->lock, __ATOMIC_RELAXED))
			;
}

static void set_unlock(struct account_set *set)
{
	__atomic_store_n(&set->lock, 0, __ATOMIC_RELEASE);
}

// Adds n to *used unless that passes cap (counting extra too).
static bool add_capped(size_t *used, size_t cap, size_t extra, size_t n)
{
	size_t u = __atomic_load_n(used, __ATOMIC_RELAXED);
	do {
		if (n > cap || extra > cap - n || u > cap - n - extra)
			return false;
	} while (!__atomic_compare_exchange_n(used, &u, u + n, true,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return true;
}

static size_t pool_extra(const struct mem_pool *p)
{
	return p && p->extra ? p->extra() : 0;
}

size_t mem_pool_room(const struct mem_pool *p)
{
	size_t used = __atomic_load_n(&p->used, __ATOMIC_RELAXED) + pool_extra(p);
	return used < p->cap ? p->cap - used : 0;
}

bool mem_account_charge(struct mem_account *a, size_t n)
{
	if (a->pool && !add_capped(&a->pool->used, a->pool->cap, pool_extra(a->pool), n))
		return false;
	if (!add_capped(&a->used, a->cap, 0, n)) {
		if (a->pool)
			__atomic_fetch_sub(&a->pool->used, n, __ATOMIC_RELAXED);
		return false;
	}
	// The peak is a report, not a limit: a lost race only loses a peak.
	size_t u = __atomic_load_n(&a->used, __ATOMIC_RELAXED);
	if (u > __atomic_load_n(&a->peak, __ATOMIC_RELAXED))
		__atomic_store_n(&a->peak, u, __ATOMIC_RELAXED);
	return true;
}

void mem_account_uncharge(struct mem_account *a, size_t n)
{
	ISOLA_ASSERT(__atomic_load_n(&a->used, __ATOMIC_RELAXED) >= n);
	// The account's own count goes last: once it reaches zero, a sweep
	// on another thread may free the account.
	if (a->pool)
		__atomic_fetch_sub(&a->pool->used, n, __ATOMIC_RELAXED);
	__atomic_fetch_sub(&a->used, n, __ATOMIC_RELEASE);
}

void *mem_account_alloc(struct mem_account *a, size_t size)
{
	// A request over the cap fails before it reaches the heap.
	if (size > a->cap)
		return NULL;
	void *p = a->backing->alloc(size);
	if (!p)
		return NULL;
	if (!mem_account_charge(a, a->backing->size(p))) {
		a->backing->free(p);
		return NULL;
	}
	return p;
}

void *mem_account_zalloc(struct mem_account *a, size_t size)
{
	void *p = mem_account_alloc(a, size);
	if (p)
		memset(p, 0, size);
	return p;
}

void mem_account_free(struct mem_account *a, void *p)
{
	if (!p)
		return;
	const struct mem_backing *b = a->backing;
	size_t n = b->size(p);
	b->free(p);
	mem_account_uncharge(a, n); // the last touch of a (see above)
}

static void *alloc_cb(void *ctx, size_t size)
{
	return mem_account_alloc(ctx, size);
}

static void free_cb(void *ctx, void *p, size_t size)
{
	(void)size;
	mem_account_free(ctx, p);
}

void mem_account_init(struct mem_account *a, size_t cap, struct mem_pool *pool,
		      const struct mem_backing *backing)
{
	a->used = a->peak = 0;
	a->cap = cap;
	a->pool = pool;
	a->backing = backing;
	a->alloc = (struct vf_allocator){ alloc_cb, free_cb, a, cap };
}

// ---- SIP accounts ----

void account_set_init(struct account_set *set, size_t pool_cap,
		      size_t (*extra)(void), struct xheap *xh,
		      const struct mem_backing *backing)
{
	memset(set, 0, sizeof(*set));
	list_init(&set->all);
	set->pool = (struct mem_pool){ 0, pool_cap, extra };
	set->xh = xh;
	set->backing = backing;
}

struct account *account_new(struct account_set *set, uint32_t id,
			    const char *name, size_t kmem_cap, size_t xcap)
{
	struct account *a = set->backing->alloc(sizeof(*a));
	if (!a)
		return NULL;
	// The account itself counts against the pool, so ended accounts kept
	// for what they still pay for cannot pile up outside it.
	size_t own = set->backing->size(a);
	if (!add_capped(&set->pool.used, set->pool.cap, pool_extra(&set->pool), own)) {
		set->backing->free(a);
		return NULL;
	}
	memset(a, 0, sizeof(*a));
	mem_account_init(&a->mem, kmem_cap, &set->pool, set->backing);
	xheap_owner_init(set->xh, &a->xo);
	a->xcap = xcap;
	a->id = id;
	size_t n = strnlen(name, ACCOUNT_NAME_MAX - 1);
	memcpy(a->name, name, n);
	set_lock(set);
	list_push_back(&set->all, &a->link);
	set->live++;
	set_unlock(set);
	return a;
}

static bool pays_nothing(const struct account *a)
{
	return account_total(a) == 0 &&
	       __atomic_load_n(&a->channels, __ATOMIC_RELAXED) == 0;
}

static void account_free(struct account_set *set, struct account *a)
{
	size_t own = set->backing->size(a);
	xheap_owner_fini(set->xh, &a->xo);
	set->backing->free(a);
	__atomic_fetch_sub(&set->pool.used, own, __ATOMIC_RELAXED);
}

void account_end(struct account_set *set, struct account *a)
{
	ISOLA_ASSERT(a->xo.nblocks == 0);
	set_lock(set);
	a->ended = true;
	set->live--;
	set->ended++;
	set_unlock(set);
	(void)account_sweep(set);
}

size_t account_sweep(struct account_set *set)
{
	size_t n = 0;
	for (;;) {
		struct account *found = NULL;
		set_lock(set);
		list_for_each(it, &set->all) {
			struct account *a = ISOLA_CONTAINER_OF(it, struct account, link);
			if (a->ended && pays_nothing(a)) {
				found = a;
				list_remove(&a->link);
				set->ended--;
				break;
			}
		}
		set_unlock(set);
		if (!found)
			return n;
		account_free(set, found);
		n++;
	}
}

isola_err_t account_exchange_reserve(struct account_set *set,
				     const struct account *a, size_t n)
{
	size_t have = __atomic_load_n(&a->xo.charged, __ATOMIC_RELAXED);
	if (n > a->xcap || have > a->xcap - n)
		return ERR_SIP_MEMORY_LIMIT;
	return add_capped(&set->pool.used, set->pool.cap, pool_extra(&set->pool), n)
		       ? ERR_OK : ERR_NOMEM;
}

void account_exchange_done(struct account_set *set, size_t n)
{
	__atomic_fetch_sub(&set->pool.used, n, __ATOMIC_RELAXED);
}

void account_set_totals(struct account_set *set, struct account_totals *out)
{
	memset(out, 0, sizeof(*out));
	set_lock(set);
	out->live = set->live;
	out->ended = set->ended;
	list_for_each(it, &set->all) {
		struct account *a = ISOLA_CONTAINER_OF(it, struct account, link);
		if (a->ended)
			out->ended_bytes += account_total(a);
	}
	set_unlock(set);
	out->pool_used = __atomic_load_n(&set->pool.used, __ATOMIC_RELAXED);
	out->pool_cap = set->pool.cap;
}
