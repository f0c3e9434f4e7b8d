// SPDX-License-Identifier: MIT
// Kernel heap: size-class slabs of 4 KiB pages for small objects, whole
// pages for large ones, with counters so tests can prove nothing leaks.
// Pages come from a page source the environment supplies (frames in the
// kernel, aligned_alloc on the host). Not locked: kmalloc() wraps it.
#ifndef ISOLA_KHEAP_H
#define ISOLA_KHEAP_H

#include <isola/err.h>
#include <stddef.h>
#include <stdint.h>

#define KHEAP_PAGE 4096u
#define KHEAP_NCLASSES 8 // 16 .. 2048 bytes
#define KHEAP_MAX_SMALL 2048u

struct kheap_pages {
	void *ctx;
	// Returns npages contiguous, page-aligned pages, or NULL.
	void *(*alloc)(void *ctx, size_t npages);
	void (*free)(void *ctx, void *pages, size_t npages);
};

struct kheap_slab;

struct kheap_stats {
	size_t bytes_in_use; // rounded to class or page size
	size_t objects;      // live allocations
	size_t pages;        // pages held from the source
	size_t allocs, frees, failures;
};

struct kheap {
	struct kheap_pages src;
	struct kheap_slab *partial[KHEAP_NCLASSES]; // slabs with free slots
	struct kheap_stats stats;
};

void kheap_init(struct kheap *h, const struct kheap_pages *src);

// Returns size bytes aligned to 16 (or NULL, counted in stats.failures).
ISOLA_MUST_CHECK void *kheap_alloc(struct kheap *h, size_t size);

// A large object in two steps, so its pages can be found without the
// heap's lock: the pages a size over KHEAP_MAX_SMALL takes (0 when it is
// too large), then the object made of pages the caller got from the page
// source.
size_t kheap_large_pages(size_t size);
ISOLA_MUST_CHECK void *kheap_adopt_large(struct kheap *h, void *pages, size_t npages);

// Frees p (NULL is ignored). ERR_HEAP_CORRUPT when p was not handed out by
// this heap or its page header is damaged; nothing is changed then.
ISOLA_MUST_CHECK isola_err_t kheap_free(struct kheap *h, void *p);

// Gives every cached empty slab back to the page source.
void kheap_trim(struct kheap *h);

// The usable size of an allocation.
size_t kheap_size(const void *p);

#endif
