// SPDX-License-Identifier: MIT
// The allocator over fake regions: separate host allocations (never
// adjacent) or slices of one arena (adjacent, so they merge). A random
// mix of malloc, realloc and free keeps a pattern in every live block and
// checks it, and that no two live blocks overlap; misuse reaches the
// corrupt hook.
#include "rt.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#define ARENA (4u << 20)
#define LIVE 256

static unsigned char *regions[64];
static size_t n_regions;
static _Alignas(16) unsigned char arena[ARENA];
static size_t arena_used;
static size_t limit = SIZE_MAX;
static int corrupt_calls;

static void *more_separate(size_t want, size_t *got)
{
	if (n_regions == 64 || want > limit)
		return NULL;
	size_t n = want < 65536 ? 65536 : want;
	// An odd offset checks that the heap aligns the region itself.
	regions[n_regions] = malloc(n + 3);
	*got = n;
	return regions[n_regions++] + 3;
}

static void *more_arena(size_t want, size_t *got)
{
	size_t n = (want + 65535) & ~(size_t)65535;

	if (ARENA - arena_used < n)
		return NULL;
	*got = n;
	arena_used += n;
	return arena + arena_used - n;
}

static void on_corrupt(const char *what)
{
	(void)what;
	corrupt_calls++;
}

static void release_regions(void)
{
	for (size_t i = 0; i < n_regions; i++)
		free(regions[i]);
	n_regions = 0;
	arena_used = 0;
	limit = SIZE_MAX;
}

static uint32_t rng = 777;

static uint32_t next_rand(void)
{
	rng = rng * 1664525u + 1013904223u;
	return rng >> 8;
}

struct live {
	unsigned char *p;
	size_t n;
	unsigned char tag;
};

static void fill(struct live *l)
{
	memset(l->p, l->tag, l->n);
}

static void check(const struct live *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->p[i] != l->tag)
			fail_msg("block %p byte %zu changed", (void *)l->p, i);
	assert_int_equal((uintptr_t)l->p % 16, 0);
	assert_true(rt_heap_usable(l->p) >= l->n);
}

static size_t random_size(void)
{
	uint32_t r = next_rand();

	return r % 4 == 0 ? r % 40000 : r % 600;
}

static void churn(struct rt_heap *h, int rounds)
{
	struct live live[LIVE] = { { NULL, 0, 0 } };

	for (int r = 0; r < rounds; r++) {
		struct live *l = &live[next_rand() % LIVE];

		if (l->p)
			check(l);
		if (!l->p) {
			l->n = random_size();
			l->p = rt_heap_alloc(h, l->n);
		} else if (next_rand() % 3 == 0) {
			size_t n = random_size();
			unsigned char *q = rt_heap_realloc(h, l->p, n);

			if (n == 0) {
				l->p = NULL;
				continue;
			}
			assert_non_null(q);
			l->p = q;
			l->n = n < l->n ? n : l->n;
			check(l);
			l->n = n;
		} else {
			rt_heap_free(h, l->p);
			l->p = NULL;
			continue;
		}
		assert_non_null(l->p);
		l->tag = (unsigned char)(r | 1);
		fill(l);
	}
	for (int i = 0; i < LIVE; i++) {
		if (live[i].p) {
			check(&live[i]);
			rt_heap_free(h, live[i].p);
		}
	}
}

static void test_separate_regions(void **state)
{
	struct rt_heap h = { .more = more_separate, .corrupt = on_corrupt };

	(void)state;
	churn(&h, 20000);
	assert_int_equal(corrupt_calls, 0);
	release_regions();
}

static void test_arena_merges(void **state)
{
	struct rt_heap h = { .more = more_arena, .corrupt = on_corrupt };

	(void)state;
	churn(&h, 20000);
	// After freeing everything the large blocks merged back: a block
	// nearly as big as all the memory taken so far still fits.
	size_t used = arena_used;
	void *big = rt_heap_alloc(&h, used / 2);

	assert_non_null(big);
	assert_int_equal(arena_used, used);
	rt_heap_free(&h, big);
	release_regions();
}

static void test_limits_and_misuse(void **state)
{
	struct rt_heap h = { .more = more_separate, .corrupt = on_corrupt };

	(void)state;
	limit = 1 << 20;
	assert_null(rt_heap_alloc(&h, SIZE_MAX));
	assert_null(rt_heap_alloc(&h, SIZE_MAX - 8));
	assert_null(rt_heap_alloc(&h, 2 << 20));
	assert_null(rt_heap_calloc(&h, SIZE_MAX / 2, 4));
	unsigned char *z = rt_heap_calloc(&h, 100, 3);

	assert_non_null(z);
	for (int i = 0; i < 300; i++)
		assert_int_equal(z[i], 0);
	void *zero = rt_heap_alloc(&h, 0);

	assert_non_null(zero);
	assert_ptr_not_equal(zero, z);
	rt_heap_free(&h, zero);
	rt_heap_free(&h, zero);
	assert_int_equal(corrupt_calls, 1);
	assert_null(rt_heap_realloc(&h, zero, 10));
	assert_int_equal(corrupt_calls, 2);
	assert_null(rt_heap_realloc(&h, z, 0));
	rt_heap_free(&h, NULL);
	corrupt_calls = 0;
	release_regions();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_separate_regions),
		cmocka_unit_test(test_arena_merges),
		cmocka_unit_test(test_limits_and_misuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
