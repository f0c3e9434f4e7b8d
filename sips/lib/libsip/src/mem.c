// SPDX-License-Identifier: MIT
// Memory functions (memcpy, memmove, memset, memcmp, memchr). Word-sized
// copies when both pointers share alignment, bytes otherwise. The build
// passes -fno-builtin so these loops are never turned back into calls to
// themselves.
#include "rt.h"

typedef uint32_t rt_word;
#define WORD sizeof(rt_word)

static bool is_word_aligned(const void *a, const void *b)
{
	return (((uintptr_t)a | (uintptr_t)b) & (WORD - 1)) == 0;
}

void *rt_memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (is_word_aligned(d, s)) {
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*(rt_word *)(void *)d = *(const rt_word *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
	return dst;
}

void *rt_memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d == s || n == 0)
		return dst;
	// Forwards is safe unless dst starts inside [src, src + n).
	if ((uintptr_t)d - (uintptr_t)s >= n)
		return rt_memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *rt_memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int rt_memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	}
	return 0;
}

void *rt_memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (size_t i = 0; i < n; i++) {
		if (p[i] == (unsigned char)c)
			return (void *)(uintptr_t)(p + i);
	}
	return NULL;
}
