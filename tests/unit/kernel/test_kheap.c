// SPDX-License-Identifier: MIT
// Kernel heap on host pages: sizes, alignment, reuse, counters back to
// zero, corrupt frees refused.
#include <kheap.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static size_t pages_out;

static void *host_alloc(void *ctx, size_t n)
{
	(void)ctx;
	void *p = aligned_alloc(KHEAP_PAGE, n * KHEAP_PAGE);
	if (p)
		pages_out += n;
	return p;
}

static void host_free(void *ctx, void *p, size_t n)
{
	(void)ctx;
	pages_out -= n;
	free(p);
}

static void *fail_alloc(void *ctx, size_t n)
{
	(void)ctx;
	(void)n;
	return NULL;
}

static struct kheap h;

static int setup(void **state)
{
	(void)state;
	struct kheap_pages src = { NULL, host_alloc, host_free };
	pages_out = 0;
	kheap_init(&h, &src);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	kheap_trim(&h);
	assert_int_equal(h.stats.pages, 0);
	assert_int_equal(pages_out, 0);
	return 0;
}

static void test_sizes_and_alignment(void **state)
{
	(void)state;
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 100, 1000, 2048, 2049, 4000, 70000 };
	void *p[sizeof(sizes) / sizeof(sizes[0])];
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		p[i] = kheap_alloc(&h, sizes[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % 16, 0);
		assert_true(kheap_size(p[i]) >= sizes[i]);
		memset(p[i], 0xcc, sizes[i]);
	}
	assert_int_equal(h.stats.objects, sizeof(sizes) / sizeof(sizes[0]));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		assert_int_equal(kheap_free(&h, p[i]), ERR_OK);
	assert_int_equal(h.stats.objects, 0);
	assert_int_equal(h.stats.bytes_in_use, 0);
}

static void test_reuse_and_page_return(void **state)
{
	(void)state;
	void *p[1000];
	for (int i = 0; i < 1000; i++)
		assert_non_null(p[i] = kheap_alloc(&h, 64));
	size_t peak = h.stats.pages;
	assert_true(peak >= 1000 * 64 / KHEAP_PAGE);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(kheap_free(&h, p[i]), ERR_OK);
	// All but at most one cached slab went back.
	assert_true(h.stats.pages <= 1);
	void *q = kheap_alloc(&h, 64);
	assert_non_null(q);
	assert_int_equal(kheap_free(&h, q), ERR_OK);
}

static void test_bad_frees(void **state)
{
	(void)state;
	char *p = kheap_alloc(&h, 100);
	char *big = kheap_alloc(&h, 10000);
	assert_int_equal(kheap_free(&h, p + 1), ERR_HEAP_CORRUPT);  // not a slot
	assert_int_equal(kheap_free(&h, big + 16), ERR_HEAP_CORRUPT);
	char *foreign = aligned_alloc(KHEAP_PAGE, KHEAP_PAGE);
	memset(foreign, 0, KHEAP_PAGE);
	assert_int_equal(kheap_free(&h, foreign + 64), ERR_HEAP_CORRUPT);
	free(foreign);
	assert_int_equal(kheap_free(&h, NULL), ERR_OK);
	assert_int_equal(kheap_free(&h, p), ERR_OK);
	assert_int_equal(kheap_free(&h, big), ERR_OK);
	assert_int_equal(h.stats.objects, 0);
}

static void test_out_of_pages(void **state)
{
	(void)state;
	struct kheap empty;
	struct kheap_pages src = { NULL, fail_alloc, host_free };
	kheap_init(&empty, &src);
	assert_null(kheap_alloc(&empty, 10));
	assert_null(kheap_alloc(&empty, 100000));
	assert_null(kheap_alloc(&h, SIZE_MAX));
	assert_int_equal(empty.stats.failures, 2);
}

static void test_random_churn(void **state)
{
	(void)state;
	void *held[256] = { 0 };
	srand(2);
	for (int step = 0; step < 20000; step++) {
		int i = rand() % 256;
		if (held[i]) {
			assert_int_equal(kheap_free(&h, held[i]), ERR_OK);
			held[i] = NULL;
		} else {
			size_t sz = (size_t)(rand() % 5000) + 1;
			held[i] = kheap_alloc(&h, sz);
			assert_non_null(held[i]);
			memset(held[i], i, sz);
		}
	}
	for (int i = 0; i < 256; i++)
		assert_int_equal(kheap_free(&h, held[i]), ERR_OK);
	assert_int_equal(h.stats.objects, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_sizes_and_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse_and_page_return, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_out_of_pages, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_churn, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
