// SPDX-License-Identifier: MIT
// malloc and friends on wasm32: the portable heap (heap.c) over the SIP's
// linear memory. Memory starts at __heap_base (after data and stack, set
// by wasm-ld) and grows with memory.grow up to the manifest's limit.
#include "rt.h"

#include <stdlib.h>
#include <string.h>
#include "sip_internal.h"

#define WASM_PAGE 65536u

extern unsigned char __heap_base;

static uintptr_t heap_brk; // the first byte not yet given to the heap

static void *wasm_more(size_t want, size_t *got)
{
	uintptr_t end = __builtin_wasm_memory_size(0) * (uintptr_t)WASM_PAGE;

	if (!heap_brk)
		heap_brk = (uintptr_t)&__heap_base;
	if (end - heap_brk < want) {
		size_t pages = (want - (end - heap_brk) + WASM_PAGE - 1) / WASM_PAGE;

		if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1)
			return NULL;
		end += pages * WASM_PAGE;
	}
	void *region = (void *)heap_brk;

	*got = end - heap_brk;
	heap_brk = end;
	return region;
}

static struct rt_heap heap = { .more = wasm_more, .corrupt = sip_heap_corrupt };

void *malloc(size_t n)
{
	return rt_heap_alloc(&heap, n);
}

void *calloc(size_t n, size_t size)
{
	return rt_heap_calloc(&heap, n, size);
}

void *realloc(void *p, size_t n)
{
	return rt_heap_realloc(&heap, p, n);
}

void free(void *p)
{
	rt_heap_free(&heap, p);
}

char *strndup(const char *s, size_t max)
{
	size_t n = rt_strnlen(s, max);
	char *d = malloc(n + 1);

	if (d) {
		rt_memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

char *strdup(const char *s)
{
	return strndup(s, SIZE_MAX);
}
