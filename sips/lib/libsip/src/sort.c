// SPDX-License-Identifier: MIT
// qsort and bsearch. qsort is a heap sort: O(n log n) in the worst case,
// no recursion and no extra memory, which matters more in a SIP (small
// value stack, no guarantee malloc succeeds) than being stable or fast on
// sorted input.
#include "rt.h"

static void swap_bytes(unsigned char *a, unsigned char *b, size_t size)
{
	while (size--) {
		unsigned char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

// Moves the element at root down until the max-heap [0, n) is restored.
static void sift_down(unsigned char *base, size_t root, size_t n, size_t size, rt_cmp_fn cmp)
{
	for (;;) {
		size_t child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && cmp(base + child * size, base + (child + 1) * size) < 0)
			child++;
		if (cmp(base + root * size, base + child * size) >= 0)
			return;
		swap_bytes(base + root * size, base + child * size, size);
		root = child;
	}
}

void rt_qsort(void *base, size_t n, size_t size, rt_cmp_fn cmp)
{
	unsigned char *b = base;

	if (n < 2 || size == 0)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(b, i, n, size, cmp);
	for (size_t end = n - 1; end > 0; end--) {
		swap_bytes(b, b + end * size, size);
		sift_down(b, 0, end, size, cmp);
	}
}

void *rt_bsearch(const void *key, const void *base, size_t n, size_t size, rt_cmp_fn cmp)
{
	const unsigned char *b = base;
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = cmp(key, b + mid * size);

		if (c == 0)
			return (void *)(uintptr_t)(b + mid * size);
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
