// SPDX-License-Identifier: MIT
// The exchange heap: size classes and large blocks, zeroed memory, type
// tags, per-owner accounting, payers' charges, all-or-nothing transfer, release of an owner,
// ownership errors, running out of pages, and pages given back.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "support.h"

static void test_sizes_and_accounting(void **state)
{
	(void)state;
	struct host_env h;
	struct xheap_owner a;
	static const size_t sizes[] = { 1, 15, 16, 17, 80, 200, 1000, 1999, 2000,
					4000, 4048, 4049, 65536, 1 << 20 };
	struct xheap_block *b[sizeof(sizes) / sizeof(sizes[0])];
	size_t total = 0;
	host_env_init(&h);
	xheap_owner_init(&h.xh, &a);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		assert_int_equal(xheap_alloc(&h.xh, &a, sizes[i], (uint32_t)i, &b[i]), ERR_OK);
		uint8_t *d = xheap_block_data(b[i]);
		assert_int_equal((uintptr_t)d % 16, 0);
		assert_int_equal(d[0], 0);
		assert_int_equal(d[sizes[i] - 1], 0);
		memset(d, 0xab, sizes[i]); // ASan catches a block that is too small
		assert_int_equal(b[i]->type, i);
		assert_int_equal(b[i]->size, sizes[i]);
		total += sizes[i];
		assert_int_equal(a.nblocks, i + 1);
		assert_int_equal(a.bytes, total);
	}
	assert_int_equal(xheap_check(&h.xh), ERR_OK);
	// Freed small slots are reused, and come back zeroed.
	assert_int_equal(xheap_free(&h.xh, &a, b[0]), ERR_OK);
	struct xheap_block *again;
	assert_int_equal(xheap_alloc(&h.xh, &a, 1, 0, &again), ERR_OK);
	assert_ptr_equal(again, b[0]);
	assert_int_equal(((uint8_t *)xheap_block_data(again))[0], 0);
	assert_int_equal(xheap_owner_release(&h.xh, &a), sizeof(sizes) / sizeof(sizes[0]));
	assert_int_equal(a.nblocks, 0);
	assert_int_equal(a.bytes, 0);
	xheap_owner_fini(&h.xh, &a);
	host_env_fini(&h);
}

static void test_bad_sizes_and_owners(void **state)
{
	(void)state;
	struct host_env h;
	struct xheap_owner a, b;
	struct xheap_block *x, *y;
	host_env_init(&h);
	xheap_owner_init(&h.xh, &a);
	xheap_owner_init(&h.xh, &b);
	assert_int_equal(xheap_alloc(&h.xh, &a, 0, 0, &x), ERR_XHEAP_SIZE);
	assert_int_equal(xheap_alloc(&h.xh, &a, XHEAP_MAX_BLOCK + 1, 0, &x), ERR_XHEAP_SIZE);
	assert_int_equal(xheap_alloc(&h.xh, &a, 10, 0, &x), ERR_OK);
	assert_int_equal(xheap_alloc(&h.xh, &b, 10, 0, &y), ERR_OK);
	assert_int_equal(xheap_free(&h.xh, &b, x), ERR_XHEAP_NOT_OWNER);
	// All or nothing: y is not a's, so x must not move either.
	struct xheap_block *both[2] = { x, y };
	assert_int_equal(xheap_transfer(&h.xh, both, 2, &a, &b), ERR_XHEAP_NOT_OWNER);
	assert_ptr_equal(xheap_block_owner(x), &a);
	assert_int_equal(a.nblocks, 1);
	assert_int_equal(xheap_transfer(&h.xh, both, 1, &a, &b), ERR_OK);
	assert_ptr_equal(xheap_block_owner(x), &b);
	assert_int_equal(a.nblocks, 0);
	assert_int_equal(b.nblocks, 2);
	assert_int_equal(b.bytes, 20);
	assert_int_equal(xheap_free(&h.xh, &b, x), ERR_OK);
	assert_int_equal(xheap_free(&h.xh, &b, x), ERR_XHEAP_NOT_OWNER); // double free
	assert_int_equal(xheap_check(&h.xh), ERR_OK);
	assert_int_equal(xheap_owner_release(&h.xh, &b), 1);
	xheap_owner_fini(&h.xh, &a);
	xheap_owner_fini(&h.xh, &b);
	host_env_fini(&h);
}

// A block's footprint is charged to its payer: the allocator, the sender
// while it is in flight, then the receiver that takes it; a free, even of a
// block in flight, ends the charge.
static void test_payer_charges(void **state)
{
	(void)state;
	struct host_env h;
	struct xheap_owner a, b;
	struct xheap_block *small, *large;
	host_env_init(&h);
	xheap_owner_init(&h.xh, &a);
	xheap_owner_init(&h.xh, &b);
	assert_int_equal(xheap_footprint(1), 64);
	assert_int_equal(xheap_footprint(2000), 2048);
	assert_int_equal(xheap_footprint(2001), 4096);
	assert_int_equal(xheap_footprint(65536), 17 * 4096);
	assert_int_equal(xheap_alloc(&h.xh, &a, 10, 0, &small), ERR_OK);
	assert_int_equal(xheap_alloc(&h.xh, &a, 65536, 0, &large), ERR_OK);
	assert_int_equal(a.charged, 64 + 17 * 4096);
	struct xheap_block *both[2] = { small, large };
	assert_int_equal(xheap_transfer(&h.xh, both, 2, &a, &h.xh.in_flight), ERR_OK);
	assert_int_equal(a.charged, 64 + 17 * 4096); // the sender still pays
	assert_int_equal(h.xh.in_flight.charged, 0);
	assert_ptr_equal(small->payer, &a);
	assert_int_equal(xheap_check(&h.xh), ERR_OK);
	assert_int_equal(xheap_transfer(&h.xh, both, 1, &h.xh.in_flight, &b), ERR_OK);
	assert_int_equal(a.charged, 17 * 4096);
	assert_int_equal(b.charged, 64);
	// A block freed in flight (a queue drained at close) stops a's charge.
	assert_int_equal(xheap_free(&h.xh, &h.xh.in_flight, large), ERR_OK);
	assert_int_equal(a.charged, 0);
	assert_int_equal(xheap_check(&h.xh), ERR_OK);
	assert_int_equal(xheap_owner_release(&h.xh, &b), 1);
	assert_int_equal(b.charged, 0);
	xheap_owner_fini(&h.xh, &a);
	xheap_owner_fini(&h.xh, &b);
	host_env_fini(&h);
}

static void test_out_of_pages(void **state)
{
	(void)state;
	struct host_env h;
	struct xheap_owner a;
	struct xheap_block *x;
	host_env_init(&h);
	h.page_limit = 8;
	xheap_owner_init(&h.xh, &a);
	assert_int_equal(xheap_alloc(&h.xh, &a, 9 * XHEAP_PAGE_SIZE, 0, &x), ERR_XHEAP_NOMEM);
	assert_int_equal(xheap_alloc(&h.xh, &a, 6 * XHEAP_PAGE_SIZE, 0, &x), ERR_OK);
	assert_int_equal(h.pages_out, 7);
	struct xheap_block *s;
	assert_int_equal(xheap_alloc(&h.xh, &a, 100, 0, &s), ERR_XHEAP_NOMEM); // slab: 4
	assert_int_equal(a.nblocks, 1);
	assert_int_equal(xheap_free(&h.xh, &a, x), ERR_OK);
	assert_int_equal(h.pages_out, 0); // large blocks go straight back
	assert_int_equal(xheap_alloc(&h.xh, &a, 100, 0, &s), ERR_OK);
	assert_int_equal(xheap_owner_release(&h.xh, &a), 1);
	xheap_owner_fini(&h.xh, &a);
	host_env_fini(&h);
}

// Empty slab runs go back to the page source on trim; runs with a live
// block stay, and what stays still works.
static void test_trim_returns_empty_slabs(void **state)
{
	(void)state;
	struct host_env h;
	struct xheap_owner a;
	struct xheap_block *b[300], *keep;
	host_env_init(&h);
	xheap_owner_init(&h.xh, &a);
	assert_int_equal(xheap_trim(&h.xh), 0);
	for (size_t i = 0; i < 300; i++) // several runs of the 128-byte class
		assert_int_equal(xheap_alloc(&h.xh, &a, 64, 0, &b[i]), ERR_OK);
	assert_int_equal(xheap_alloc(&h.xh, &a, 1000, 0, &keep), ERR_OK);
	size_t taken = h.pages_out;
	assert_true(taken >= 12);
	assert_int_equal(xheap_trim(&h.xh), 0); // every run has live blocks
	for (size_t i = 0; i < 300; i++)
		assert_int_equal(xheap_free(&h.xh, &a, b[i]), ERR_OK);
	assert_int_equal(xheap_trim(&h.xh), taken - 4);
	assert_int_equal(h.pages_out, 4); // the run holding keep
	assert_int_equal(h.xh.pages, 4);
	assert_int_equal(xheap_alloc(&h.xh, &a, 64, 0, &b[0]), ERR_OK);
	assert_int_equal(xheap_check(&h.xh), ERR_OK);
	assert_int_equal(xheap_owner_release(&h.xh, &a), 2);
	assert_int_equal(xheap_trim(&h.xh), 8);
	assert_int_equal(h.pages_out, 0);
	xheap_owner_fini(&h.xh, &a);
	host_env_fini(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes_and_accounting),
		cmocka_unit_test(test_bad_sizes_and_owners),
		cmocka_unit_test(test_payer_charges),
		cmocka_unit_test(test_out_of_pages),
		cmocka_unit_test(test_trim_returns_empty_slabs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
