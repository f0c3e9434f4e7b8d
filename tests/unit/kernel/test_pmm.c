// SPDX-License-Identifier: MIT
// Frame allocator: counts, contiguity, holes, double frees, exhaustion,
// and long runs found a word at a time against a bit-by-bit model.
#include <pmm.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define F PMM_FRAME

static struct memmap mm;
static struct pmm p;
static void *storage;

// Two usable ranges with a 4-frame hole between them.
static int setup(void **state)
{
	(void)state;
	memset(&mm, 0, sizeof(mm));
	mm.ranges[0] = (struct mem_range){ 0x100000, 0x100000 + 8 * F };
	mm.ranges[1] = (struct mem_range){ 0x100000 + 12 * F, 0x100000 + 20 * F };
	mm.n = 2;
	storage = malloc(pmm_bitmap_bytes(&mm));
	pmm_init(&p, &mm, storage);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(storage);
	return 0;
}

static void test_counts(void **state)
{
	(void)state;
	assert_int_equal(p.total, 16);
	assert_int_equal(p.free, 16);
	assert_int_equal(pmm_bitmap_bytes(&mm), 8); // 20 frames -> one word
}

static void test_alloc_all_then_fail(void **state)
{
	(void)state;
	uint64_t a[16];
	for (int i = 0; i < 16; i++) {
		assert_int_equal(pmm_alloc(&p, 1, &a[i]), ERR_OK);
		// Never a frame from the hole.
		assert_false(a[i] >= 0x100000 + 8 * F && a[i] < 0x100000 + 12 * F);
	}
	uint64_t x = 7;
	assert_int_equal(pmm_alloc(&p, 1, &x), ERR_PMM_NOFRAME);
	assert_int_equal(x, 7);
	for (int i = 0; i < 16; i++)
		assert_int_equal(pmm_free(&p, a[i], 1), ERR_OK);
	assert_int_equal(p.free, 16);
	assert_int_equal(p.peak_used, 16);
}

static void test_contiguous_skips_hole(void **state)
{
	(void)state;
	uint64_t a, b, c;
	assert_int_equal(pmm_alloc(&p, 6, &a), ERR_OK);
	assert_int_equal(a, 0x100000);
	// 2 left before the hole; a run of 4 must come from the second range.
	assert_int_equal(pmm_alloc(&p, 4, &b), ERR_OK);
	assert_int_equal(b, 0x100000 + 12 * F);
	assert_int_equal(pmm_alloc(&p, 9, &c), ERR_PMM_NOFRAME);
	assert_int_equal(pmm_alloc(&p, 0, &c), ERR_PMM_NOFRAME);
	assert_int_equal(pmm_free(&p, a, 6), ERR_OK);
	assert_int_equal(pmm_free(&p, b, 4), ERR_OK);
}

static void test_bad_frees(void **state)
{
	(void)state;
	uint64_t a;
	assert_int_equal(pmm_alloc(&p, 2, &a), ERR_OK);
	assert_int_equal(pmm_free(&p, a + 1, 1), ERR_INVAL);          // unaligned
	assert_int_equal(pmm_free(&p, 0x1000, 1), ERR_INVAL);         // below
	assert_int_equal(pmm_free(&p, 0x100000 + 9 * F, 1), ERR_INVAL); // hole
	assert_int_equal(pmm_free(&p, 0x100000 + 100 * F, 1), ERR_INVAL); // above
	assert_int_equal(pmm_free(&p, a, 3), ERR_INVAL);              // partly free
	assert_int_equal(pmm_free(&p, a, 2), ERR_OK);
	assert_int_equal(pmm_free(&p, a, 2), ERR_INVAL);              // double
	assert_int_equal(p.free, 16);
}

static void test_random_churn(void **state)
{
	(void)state;
	uint64_t held[16];
	size_t nheld = 0;
	srand(1);
	for (int step = 0; step < 10000; step++) {
		if (nheld < 16 && rand() % 2) {
			if (pmm_alloc(&p, 1, &held[nheld]) == ERR_OK)
				nheld++;
		} else if (nheld) {
			size_t i = (size_t)rand() % nheld;
			assert_int_equal(pmm_free(&p, held[i], 1), ERR_OK);
			held[i] = held[--nheld];
		}
		assert_int_equal(p.free + nheld, 16);
	}
	while (nheld)
		assert_int_equal(pmm_free(&p, held[--nheld], 1), ERR_OK);
}

// A large map with random holes punched by allocations: every run the
// allocator returns is free in a bit-by-bit model and lies in usable RAM.
static void test_long_runs_match_model(void **state)
{
	(void)state;
	enum { FRAMES = 4096 };
	static bool used[FRAMES];
	struct memmap big;
	struct pmm q;
	memset(&big, 0, sizeof(big));
	memset(used, 0, sizeof(used));
	big.ranges[0] = (struct mem_range){ 0x100000, 0x100000 + (uint64_t)FRAMES * F };
	big.n = 1;
	void *bits = malloc(pmm_bitmap_bytes(&big));
	pmm_init(&q, &big, bits);
	srand(7);
	for (int step = 0; step < 3000; step++) {
		size_t n = 1 + (size_t)rand() % (step % 3 ? 7 : 300);
		uint64_t addr;
		if (pmm_alloc(&q, n, &addr) != ERR_OK)
			continue;
		size_t first = (size_t)((addr - 0x100000) / F);
		assert_true(first + n <= FRAMES);
		for (size_t i = first; i < first + n; i++) {
			assert_false(used[i]);
			used[i] = true;
		}
		// Free about half of them again, leaving an uneven map.
		if (rand() % 2) {
			assert_int_equal(pmm_free(&q, addr, n), ERR_OK);
			for (size_t i = first; i < first + n; i++)
				used[i] = false;
		}
	}
	size_t model_free = 0;
	for (size_t i = 0; i < FRAMES; i++)
		model_free += !used[i];
	assert_int_equal(q.free, model_free);
	free(bits);
}

// A search in bounded steps, with frames taken by someone else between
// two steps (the kernel lets go of its lock there): the run it returns
// was free when it was taken, and a step looks at no more than it may.
static void test_search_in_steps(void **state)
{
	(void)state;
	enum { FRAMES = 1024 };
	struct memmap big;
	struct pmm q;
	struct pmm_search s;
	uint64_t addr, mine;
	memset(&big, 0, sizeof(big));
	big.ranges[0] = (struct mem_range){ 0x100000, 0x100000 + (uint64_t)FRAMES * F };
	big.n = 1;
	void *bits = malloc(pmm_bitmap_bytes(&big));
	pmm_init(&q, &big, bits);
	// Every other frame of the first 256 held: 128 one-frame runs.
	uint64_t held[256];
	for (int i = 0; i < 256; i++)
		assert_int_equal(pmm_alloc(&q, 1, &held[i]), ERR_OK);
	for (int i = 1; i < 256; i += 2)
		assert_int_equal(pmm_free(&q, held[i], 1), ERR_OK);
	pmm_search_begin(&q, &s, 100);
	assert_int_equal(pmm_search_step(&q, &s, 10, &addr), PMM_MORE);
	// Someone takes frames ahead of the search meanwhile.
	assert_int_equal(pmm_alloc(&q, 300, &mine), ERR_OK);
	enum pmm_step r;
	while ((r = pmm_search_step(&q, &s, 10, &addr)) == PMM_MORE)
		;
	assert_int_equal(r, PMM_FOUND);
	assert_true(addr >= mine + 300 * F || addr + 100 * F <= mine);
	for (int i = 0; i < 256; i++)
		assert_true(addr + 100 * F <= held[i] || addr > held[i]);
	// Nothing long enough: NONE, after both passes.
	pmm_search_begin(&q, &s, FRAMES);
	assert_int_equal(pmm_search_step(&q, &s, SIZE_MAX, &addr), PMM_NONE);
	free(bits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_all_then_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contiguous_skips_hole, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_frees, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_churn, setup, teardown),
		cmocka_unit_test(test_long_runs_match_model),
		cmocka_unit_test(test_search_in_steps),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
