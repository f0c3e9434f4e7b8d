// SPDX-License-Identifier: MIT
// Accounts: a memory account charges the true size of what it hands out
// against its cap and its pool's, and refuses past either without
// touching the other; an exchange charge follows the blocks a SIP holds
// and sends; an ended account stays while a message it paid for is in
// flight or a channel it made lives, and the sweep frees it after.
#include <account.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <malloc.h>
#include <cmocka.h>

static void *pages_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return aligned_alloc(4096, n * 4096);
}

static void pages_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	(void)n;
	free(p);
}

static size_t host_size(const void *p)
{
	return malloc_usable_size((void *)p);
}

static void host_free(void *p)
{
	free(p);
}

static const struct mem_backing backing = { malloc, host_free, host_size };

static size_t extra_bytes;
static size_t extra(void)
{
	return extra_bytes;
}

struct fix {
	struct xheap xh;
	struct account_set set;
};

static int setup(void **state)
{
	static struct fix fx;
	struct xheap_page_source src = { NULL, pages_alloc, pages_free };
	xheap_init(&fx.xh, &src);
	account_set_init(&fx.set, 1 << 20, extra, &fx.xh, &backing);
	extra_bytes = 0;
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fix *fx = *state;
	assert_int_equal(fx->set.live + fx->set.ended, 0);
	assert_int_equal(fx->set.pool.used, 0);
	xheap_owner_fini(&fx->xh, &fx->xh.in_flight);
	xheap_fini(&fx->xh);
	return 0;
}

static void test_caps(void **state)
{
	struct fix *fx = *state;
	struct mem_account a;
	mem_account_init(&a, 4096, &fx->set.pool, &backing);
	void *p = mem_account_zalloc(&a, 1000);
	assert_non_null(p);
	assert_int_equal(a.used, host_size(p));
	assert_int_equal(fx->set.pool.used, a.used);
	assert_null(mem_account_zalloc(&a, 5000)); // over its own cap
	assert_null(mem_account_alloc(&a, 4096 - 8)); // the sum would pass it
	size_t before = fx->set.pool.used;
	// Over the pool: the account is left as it was.
	extra_bytes = (1 << 20) - before - 100;
	assert_false(mem_account_charge(&a, 200));
	assert_int_equal(fx->set.pool.used, before);
	assert_int_equal(a.used, host_size(p));
	extra_bytes = 0;
	assert_true(mem_account_charge(&a, 200));
	mem_account_uncharge(&a, 200);
	assert_int_equal(a.peak, host_size(p) + 200);
	mem_account_free(&a, p);
	assert_int_equal(a.used, 0);
	assert_int_equal(fx->set.pool.used, 0);
	// The allocator interface the verifier and engine use.
	void *q = a.alloc.alloc(a.alloc.ctx, 64);
	assert_non_null(q);
	a.alloc.free(a.alloc.ctx, q, 64);
	assert_int_equal(a.used, 0);
}

static void test_exchange_room(void **state)
{
	struct fix *fx = *state;
	struct account *a = account_new(&fx->set, 1, "a", 1 << 16, 8192);
	assert_non_null(a);
	struct xheap_block *b;
	size_t before = fx->set.pool.used;
	assert_int_equal(account_exchange_reserve(&fx->set, a, 8192), ERR_OK);
	assert_int_equal(fx->set.pool.used, before + 8192); // held while allocating
	assert_int_equal(xheap_alloc(&fx->xh, &a->xo, 4060, 0, &b), ERR_OK);
	account_exchange_done(&fx->set, 8192);
	assert_int_equal(fx->set.pool.used, before);
	assert_int_equal(a->xo.charged, 8192); // a large block: two pages
	assert_int_equal(account_exchange_reserve(&fx->set, a, 1), ERR_SIP_MEMORY_LIMIT);
	assert_int_equal(account_exchange_reserve(&fx->set, a, SIZE_MAX), ERR_SIP_MEMORY_LIMIT);
	assert_int_equal(xheap_free(&fx->xh, &a->xo, b), ERR_OK);
	// Two reservations at once cannot pass the pool together.
	extra_bytes = (1 << 20) - before - 96;
	assert_int_equal(account_exchange_reserve(&fx->set, a, 64), ERR_OK);
	assert_int_equal(account_exchange_reserve(&fx->set, a, 64), ERR_NOMEM);
	account_exchange_done(&fx->set, 64);
	extra_bytes = 1 << 20; // the exchange heap has taken the whole pool
	assert_int_equal(account_exchange_reserve(&fx->set, a, 64), ERR_NOMEM);
	extra_bytes = 0;
	account_end(&fx->set, a);
	assert_int_equal(fx->set.live + fx->set.ended, 0); // freed at once
}

// A message sent and not received keeps its sender's account after the
// sender ends; the receiver taking it moves the charge and frees it.
static void test_ended_account_lingers(void **state)
{
	struct fix *fx = *state;
	struct account *a = account_new(&fx->set, 1, "sender", 1 << 16, 1 << 16);
	struct account *r = account_new(&fx->set, 2, "receiver", 1 << 16, 1 << 16);
	struct xheap_block *b;
	assert_int_equal(xheap_alloc(&fx->xh, &a->xo, 100, 0, &b), ERR_OK);
	assert_int_equal(xheap_transfer(&fx->xh, &b, 1, &a->xo, &fx->xh.in_flight), ERR_OK);
	assert_int_equal(xheap_owner_release(&fx->xh, &a->xo), 0);
	account_end(&fx->set, a);
	struct account_totals t;
	account_set_totals(&fx->set, &t);
	assert_int_equal(t.live, 1);
	assert_int_equal(t.ended, 1);
	assert_int_equal(t.ended_bytes, 256);
	assert_int_equal(account_sweep(&fx->set), 0);
	assert_int_equal(xheap_transfer(&fx->xh, &b, 1, &fx->xh.in_flight, &r->xo), ERR_OK);
	assert_int_equal(r->xo.charged, 256);
	assert_int_equal(account_sweep(&fx->set), 1);
	account_set_totals(&fx->set, &t);
	assert_int_equal(t.ended, 0);
	assert_int_equal(xheap_owner_release(&fx->xh, &r->xo), 1);
	account_end(&fx->set, r);
}

// Kernel memory and channels an ended account still pays for keep it too.
static void test_ended_account_with_channel(void **state)
{
	struct fix *fx = *state;
	struct account *a = account_new(&fx->set, 3, "maker", 1 << 16, 0);
	void *chan = mem_account_alloc(&a->mem, 300);
	__atomic_fetch_add(&a->channels, 1, __ATOMIC_RELAXED);
	account_end(&fx->set, a);
	assert_int_equal(account_sweep(&fx->set), 0);
	mem_account_free(&a->mem, chan);
	assert_int_equal(account_sweep(&fx->set), 0); // still one channel
	__atomic_fetch_sub(&a->channels, 1, __ATOMIC_RELAXED);
	assert_int_equal(account_sweep(&fx->set), 1);
}

static void test_long_name_cut(void **state)
{
	struct fix *fx = *state;
	char name[100];
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	struct account *a = account_new(&fx->set, 4, name, 4096, 0);
	assert_int_equal(strlen(a->name), ACCOUNT_NAME_MAX - 1);
	account_end(&fx->set, a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_caps, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exchange_room, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ended_account_lingers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ended_account_with_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_name_cut, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
