// SPDX-License-Identifier: MIT
// Kernel heap (see kheap.h). Every page starts with a header; a pointer's
// header is found by rounding down to the page, since a large object begins
// in its first page and a small one lives inside one slab page.
#include <kheap.h>
#include <isola/assert.h>
#include <string.h>

#define SLAB_MAGIC 0x51ab51ab51ab51abull
#define LARGE_MAGIC 0x1a26e1a26e1a26e1ull
#define HEADER_SIZE 64u

struct kheap_slab {
	uint64_t magic;
	struct kheap_slab *next, *prev; // in the class's partial list
	void *free_list;
	uint32_t cls, nfree, nslots, on_list;
};

struct kheap_large {
	uint64_t magic;
	size_t npages;
};

ISOLA_STATIC_ASSERT(slab_header_fits, sizeof(struct kheap_slab) <= HEADER_SIZE);

static size_t class_size(unsigned cls)
{
	return (size_t)16 << cls;
}

static unsigned class_of(size_t size)
{
	unsigned cls = 0;
	while (class_size(cls) < size)
		cls++;
	return cls;
}

void kheap_init(struct kheap *h, const struct kheap_pages *src)
{
	memset(h, 0, sizeof(*h));
	h->src = *src;
}

static void list_remove(struct kheap *h, struct kheap_slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		h->partial[s->cls] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
	s->on_list = 0;
}

static void list_push(struct kheap *h, struct kheap_slab *s)
{
	s->prev = NULL;
	s->next = h->partial[s->cls];
	if (s->next)
		s->next->prev = s;
	h->partial[s->cls] = s;
	s->on_list = 1;
}

static struct kheap_slab *slab_new(struct kheap *h, unsigned cls)
{
	struct kheap_slab *s = h->src.alloc(h->src.ctx, 1);
	if (!s)
		return NULL;
	size_t sz = class_size(cls);
	memset(s, 0, sizeof(*s));
	s->magic = SLAB_MAGIC;
	s->cls = cls;
	s->nslots = (uint32_t)((KHEAP_PAGE - HEADER_SIZE) / sz);
	s->nfree = s->nslots;
	char *obj = (char *)s + HEADER_SIZE;
	for (uint32_t i = 0; i < s->nslots; i++, obj += sz) {
		*(void **)obj = s->free_list;
		s->free_list = obj;
	}
	h->stats.pages++;
	list_push(h, s);
	return s;
}

static void *alloc_small(struct kheap *h, size_t size)
{
	unsigned cls = class_of(size);
	struct kheap_slab *s = h->partial[cls];
	if (!s && !(s = slab_new(h, cls)))
		return NULL;
	void *p = s->free_list;
	s->free_list = *(void **)p;
	if (--s->nfree == 0)
		list_remove(h, s);
	h->stats.bytes_in_use += class_size(cls);
	return p;
}

size_t kheap_large_pages(size_t size)
{
	if (size >= SIZE_MAX / 2)
		return 0;
	return (size + HEADER_SIZE + KHEAP_PAGE - 1) / KHEAP_PAGE;
}

// Makes pages a large object (not yet counted as one).
static void *make_large(struct kheap *h, void *pages, size_t npages)
{
	struct kheap_large *l = pages;
	l->magic = LARGE_MAGIC;
	l->npages = npages;
	h->stats.pages += npages;
	h->stats.bytes_in_use += npages * KHEAP_PAGE;
	return (char *)l + HEADER_SIZE;
}

void *kheap_adopt_large(struct kheap *h, void *pages, size_t npages)
{
	h->stats.allocs++;
	h->stats.objects++;
	return make_large(h, pages, npages);
}

static void *alloc_large(struct kheap *h, size_t size)
{
	size_t npages = kheap_large_pages(size);
	void *pages = h->src.alloc(h->src.ctx, npages);
	return pages ? make_large(h, pages, npages) : NULL;
}

void *kheap_alloc(struct kheap *h, size_t size)
{
	void *p = NULL;
	if (size == 0)
		size = 1;
	if (size <= KHEAP_MAX_SMALL)
		p = alloc_small(h, size);
	else if (size < SIZE_MAX / 2)
		p = alloc_large(h, size);
	if (!p) {
		h->stats.failures++;
		return NULL;
	}
	h->stats.allocs++;
	h->stats.objects++;
	return p;
}

static isola_err_t free_small(struct kheap *h, struct kheap_slab *s, void *p)
{
	size_t sz = class_size(s->cls);
	uintptr_t off = (uintptr_t)p - (uintptr_t)s - HEADER_SIZE;
	if (s->cls >= KHEAP_NCLASSES || off % sz || off / sz >= s->nslots ||
	    s->nfree >= s->nslots)
		return ERR_HEAP_CORRUPT;
	*(void **)p = s->free_list;
	s->free_list = p;
	s->nfree++;
	h->stats.bytes_in_use -= sz;
	if (s->nfree == s->nslots && (s->on_list ? s->next || s->prev : 1)) {
		// Empty and not the class's only partial slab: give it back.
		if (s->on_list)
			list_remove(h, s);
		s->magic = 0;
		h->src.free(h->src.ctx, s, 1);
		h->stats.pages--;
	} else if (!s->on_list) {
		list_push(h, s);
	}
	return ERR_OK;
}

isola_err_t kheap_free(struct kheap *h, void *p)
{
	if (!p)
		return ERR_OK;
	void *page = (void *)ISOLA_ALIGN_DOWN((uintptr_t)p, (uintptr_t)KHEAP_PAGE);
	uint64_t magic = *(uint64_t *)page;
	if (magic == SLAB_MAGIC) {
		TRY(free_small(h, page, p));
	} else if (magic == LARGE_MAGIC && (char *)p == (char *)page + HEADER_SIZE) {
		struct kheap_large *l = page;
		size_t npages = l->npages;
		h->stats.pages -= npages;
		h->stats.bytes_in_use -= npages * KHEAP_PAGE;
		l->magic = 0;
		h->src.free(h->src.ctx, page, npages);
	} else {
		return ERR_HEAP_CORRUPT;
	}
	h->stats.frees++;
	h->stats.objects--;
	return ERR_OK;
}

void kheap_trim(struct kheap *h)
{
	for (unsigned c = 0; c < KHEAP_NCLASSES; c++) {
		struct kheap_slab *s = h->partial[c], *next;
		for (; s; s = next) {
			next = s->next;
			if (s->nfree != s->nslots)
				continue;
			list_remove(h, s);
			s->magic = 0;
			h->src.free(h->src.ctx, s, 1);
			h->stats.pages--;
		}
	}
}

size_t kheap_size(const void *p)
{
	const void *page =
		(const void *)ISOLA_ALIGN_DOWN((uintptr_t)p, (uintptr_t)KHEAP_PAGE);
	const struct kheap_slab *s = page;
	if (s->magic == SLAB_MAGIC)
		return class_size(s->cls);
	ISOLA_ASSERT(s->magic == LARGE_MAGIC);
	return ((const struct kheap_large *)page)->npages * KHEAP_PAGE - HEADER_SIZE;
}
