// SPDX-License-Identifier: MIT
// Address ranges for reserved regions: first fit on granules, reuse of a
// released range, lookups that stop at the size asked, full tables and
// windows, bad frees, and random runs against a granule-by-granule model.
#include <vmm_range.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define BASE 0x10000000000ull // 1 TiB
#define G 0x40000000ull       // 1 GiB granule
#define CAP 8

static struct vmm_range storage[CAP];
static struct vmm_ranges r;

static int setup(void **state)
{
	(void)state;
	memset(storage, 0xa5, sizeof(storage));
	vmm_ranges_init(&r, BASE, BASE + 64 * G, G, storage, CAP);
	return 0;
}

static uint64_t take(uint64_t size)
{
	uint64_t b = 0;
	assert_int_equal(vmm_ranges_alloc(&r, size, &b), ERR_OK);
	return b;
}

static void test_first_fit_on_granules(void **state)
{
	(void)state;
	assert_int_equal(take(8 * G), BASE);
	// 10 GiB + 64 KiB takes 11 granules.
	assert_int_equal(take(10 * G + 0x10000), BASE + 8 * G);
	assert_int_equal(take(0x10000), BASE + 19 * G);
	assert_int_equal(take(G), BASE + 20 * G);
	assert_int_equal(r.n, 4);
}

static void test_released_range_is_reused(void **state)
{
	(void)state;
	uint64_t a = take(8 * G), b = take(8 * G), c = take(8 * G);
	assert_int_equal(vmm_ranges_free(&r, b, 8 * G), ERR_OK);
	// A smaller range fits in the hole, and so does one of the old size.
	assert_int_equal(take(2 * G), b);
	assert_int_equal(take(6 * G), b + 2 * G);
	// The hole is full now: the next one goes after c.
	assert_int_equal(take(G), c + 8 * G);
	assert_int_equal(vmm_ranges_free(&r, a, 8 * G), ERR_OK);
	assert_int_equal(take(9 * G), c + 9 * G); // too large for a's hole
	assert_int_equal(take(8 * G), a);
}

static void test_find_stops_at_size(void **state)
{
	(void)state;
	uint64_t a = take(G / 2), b = take(3 * G);
	assert_null(vmm_ranges_find(&r, BASE - 1));
	assert_ptr_equal(vmm_ranges_find(&r, a), &r.v[0]);
	assert_ptr_equal(vmm_ranges_find(&r, a + G / 2 - 1), &r.v[0]);
	assert_null(vmm_ranges_find(&r, a + G / 2)); // the granule's slack
	assert_null(vmm_ranges_find(&r, b - 1));
	assert_ptr_equal(vmm_ranges_find(&r, b), &r.v[1]);
	assert_ptr_equal(vmm_ranges_find(&r, b + 3 * G - 1), &r.v[1]);
	assert_null(vmm_ranges_find(&r, b + 3 * G));
	assert_null(vmm_ranges_find(&r, UINT64_MAX));
	assert_null(vmm_ranges_find(&r, 0));
}

static void test_bad_sizes_and_full(void **state)
{
	(void)state;
	uint64_t b = 7;
	assert_int_equal(vmm_ranges_alloc(&r, 0, &b), ERR_INVAL);
	assert_int_equal(vmm_ranges_alloc(&r, 64 * G + 1, &b), ERR_NOMEM);
	assert_int_equal(vmm_ranges_alloc(&r, UINT64_MAX, &b), ERR_NOMEM);
	assert_int_equal(b, 7);
	assert_int_equal(take(64 * G), BASE); // the whole window
	assert_int_equal(vmm_ranges_alloc(&r, 1, &b), ERR_NOMEM);
	assert_int_equal(vmm_ranges_free(&r, BASE, 64 * G), ERR_OK);
	for (int i = 0; i < CAP; i++)
		assert_int_equal(take(1), BASE + (uint64_t)i * G);
	assert_int_equal(vmm_ranges_alloc(&r, 1, &b), ERR_LIMIT);
	assert_int_equal(b, 7);
}

static void test_bad_frees_change_nothing(void **state)
{
	(void)state;
	uint64_t a = take(2 * G);
	assert_int_equal(vmm_ranges_free(&r, a + G, G), ERR_NOTFOUND);
	assert_int_equal(vmm_ranges_free(&r, BASE + 40 * G, G), ERR_NOTFOUND);
	assert_int_equal(vmm_ranges_free(&r, a, G), ERR_INVAL);
	assert_int_equal(r.n, 1);
	assert_int_equal(vmm_ranges_free(&r, a, 2 * G), ERR_OK);
	assert_int_equal(vmm_ranges_free(&r, a, 2 * G), ERR_NOTFOUND);
	assert_int_equal(r.n, 0);
}

static void test_window_end_not_on_granule(void **state)
{
	(void)state;
	// A window of 2.5 granules holds two whole ones and no third.
	vmm_ranges_init(&r, BASE, BASE + 2 * G + G / 2, G, storage, CAP);
	uint64_t b;
	assert_int_equal(take(G), BASE);
	assert_int_equal(take(G), BASE + G);
	assert_int_equal(vmm_ranges_alloc(&r, 1, &b), ERR_NOMEM);
}

// The model: which granules are taken, and by which range's start.
#define MG 48
static int owner[MG]; // 0 free, else 1 + index of the start granule

static uint64_t model_alloc(uint64_t granules)
{
	for (uint64_t s = 0; s + granules <= MG; s++) {
		uint64_t k = 0;
		while (k < granules && !owner[s + k])
			k++;
		if (k == granules) {
			for (k = 0; k < granules; k++)
				owner[s + k] = (int)s + 1;
			return s;
		}
	}
	return UINT64_MAX;
}

static void test_random_against_model(void **state)
{
	(void)state;
	struct vmm_range big[64];
	const uint64_t g = 16;
	vmm_ranges_init(&r, 0x1000, 0x1000 + MG * g, g, big, 64);
	memset(owner, 0, sizeof(owner));
	uint64_t live[64], sizes[64];
	size_t nlive = 0;
	srand(12345);
	for (int step = 0; step < 20000; step++) {
		if (nlive && (rand() % 3 == 0 || nlive == 64)) {
			size_t i = (size_t)rand() % nlive;
			assert_int_equal(vmm_ranges_free(&r, live[i], sizes[i]), ERR_OK);
			uint64_t s = (live[i] - 0x1000) / g;
			for (uint64_t k = s; k < MG && owner[k] == (int)s + 1; k++)
				owner[k] = 0;
			live[i] = live[--nlive];
			sizes[i] = sizes[nlive];
			continue;
		}
		uint64_t size = 1 + (uint64_t)rand() % (6 * g);
		uint64_t want = model_alloc((size + g - 1) / g), got = 0;
		isola_err_t err = vmm_ranges_alloc(&r, size, &got);
		if (want == UINT64_MAX) {
			assert_int_equal(err, ERR_NOMEM);
			continue;
		}
		assert_int_equal(err, ERR_OK);
		assert_int_equal(got, 0x1000 + want * g);
		assert_int_equal(vmm_ranges_find(&r, got + size - 1)->base, got);
		live[nlive] = got;
		sizes[nlive++] = size;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_first_fit_on_granules, setup),
		cmocka_unit_test_setup(test_released_range_is_reused, setup),
		cmocka_unit_test_setup(test_find_stops_at_size, setup),
		cmocka_unit_test_setup(test_bad_sizes_and_full, setup),
		cmocka_unit_test_setup(test_bad_frees_change_nothing, setup),
		cmocka_unit_test_setup(test_window_end_not_on_granule, setup),
		cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
