// SPDX-License-Identifier: MIT
// rt_qsort on random, sorted, reversed and duplicate-heavy arrays of
// several element sizes; rt_bsearch finds every element and no gap.
#include "rt.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

struct rec {
	int key;
	char pad[13];
};

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

static int cmp_rec(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return (x->key > y->key) - (x->key < y->key);
}

static uint32_t rng = 12345;

static uint32_t next_rand(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static void check_sorted_ints(size_t n, int mode)
{
	int *a = malloc((n + 1) * sizeof(*a));
	long long sum = 0, sum2 = 0;

	for (size_t i = 0; i < n; i++) {
		a[i] = mode == 0 ? (int)(next_rand() % 1000) - 500 : mode == 1 ? (int)i
		     : mode == 2 ? (int)(n - i) : (int)(next_rand() % 3);
		sum += a[i];
	}
	rt_qsort(a, n, sizeof(*a), cmp_int);
	for (size_t i = 0; i < n; i++) {
		sum2 += a[i];
		if (i)
			assert_true(a[i - 1] <= a[i]);
	}
	assert_true(sum == sum2);
	for (size_t i = 0; i < n; i++) {
		int *hit = rt_bsearch(&a[i], a, n, sizeof(*a), cmp_int);

		assert_non_null(hit);
		assert_int_equal(*hit, a[i]);
	}
	free(a);
}

static void test_ints(void **state)
{
	static const size_t sizes[] = { 0, 1, 2, 3, 7, 16, 100, 1000, 4097 };

	(void)state;
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (int mode = 0; mode < 4; mode++)
			check_sorted_ints(sizes[s], mode);
}

static void test_records_and_misses(void **state)
{
	struct rec r[200];
	int evens[50];

	(void)state;
	for (int i = 0; i < 200; i++) {
		r[i].key = (int)(next_rand() % 10000);
		memset(r[i].pad, i, sizeof(r[i].pad));
	}
	rt_qsort(r, 200, sizeof(r[0]), cmp_rec);
	for (int i = 1; i < 200; i++)
		assert_true(r[i - 1].key <= r[i].key);
	for (int i = 0; i < 50; i++)
		evens[i] = 2 * i;
	for (int k = -1; k < 101; k++) {
		int *hit = rt_bsearch(&k, evens, 50, sizeof(int), cmp_int);

		if (k % 2 == 0 && k >= 0 && k < 100)
			assert_int_equal(*hit, k);
		else
			assert_null(hit);
	}
	assert_null(rt_bsearch(&evens[0], evens, 0, sizeof(int), cmp_int));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_records_and_misses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
