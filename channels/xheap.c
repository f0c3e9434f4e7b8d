// SPDX-License-Identifier: MIT
// The exchange heap (see isola/xheap.h for the model). Small blocks: six
// power-of-two classes from 64 to 2048 bytes including the 48-byte header,
// carved from 16 KiB slab runs, each counting its live blocks; xheap_trim
// gives empty runs back to the page source.
// Large blocks: whole pages straight from the page source, returned on free.
// Owner lists are doubly linked, so transfer and free are O(1). A block's
// footprint (slot or pages) is charged to its payer from allocation to
// free; the charge moves when a receiver takes the block.
#include <isola/assert.h>
#include <isola/xheap.h>

#include "spin.h"

#include <string.h>

#define XHEAP_MAGIC_LIVE 0xb10cu
#define XHEAP_MAGIC_FREE 0xf4eeu
#define XHEAP_SLAB_PAGES 4u
#define XHEAP_SLAB_HDR 64u
#define XHEAP_MIN_CLASS 64u

ISOLA_STATIC_ASSERT(xheap_header_size, sizeof(struct xheap_block) == 48);

// The start of a slab run.
struct xheap_slab {
	struct xheap_link link; // in xh->slabs
	uint32_t used;          // live blocks carved from it
	uint16_t cls;
};
ISOLA_STATIC_ASSERT(xheap_slab_header, sizeof(struct xheap_slab) <= XHEAP_SLAB_HDR);

static struct xheap_slab *slab_of(struct xheap_block *b)
{
	return (struct xheap_slab *)((uint8_t *)b - b->place);
}

static void link_init(struct xheap_link *l)
{
	l->prev = l->next = l;
}

static void link_add(struct xheap_link *head, struct xheap_link *l)
{
	l->next = head->next;
	l->prev = head;
	head->next->prev = l;
	head->next = l;
}

static void link_del(struct xheap_link *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
	link_init(l);
}

static bool link_empty(const struct xheap_link *head)
{
	return head->next == head;
}

void xheap_init(struct xheap *xh, const struct xheap_page_source *src)
{
	memset(xh, 0, sizeof(*xh));
	xh->src = *src;
	for (unsigned i = 0; i < XHEAP_NCLASSES; i++)
		link_init(&xh->free[i]);
	link_init(&xh->owners);
	link_init(&xh->slabs);
	xheap_owner_init(xh, &xh->in_flight);
}

void xheap_fini(struct xheap *xh)
{
	ISOLA_ASSERT(xh->nblocks == 0);
	while (!link_empty(&xh->slabs)) {
		struct xheap_link *l = xh->slabs.next;
		link_del(l);
		xh->src.free(xh->src.ctx, l, XHEAP_SLAB_PAGES);
		xh->pages -= XHEAP_SLAB_PAGES;
	}
	ISOLA_ASSERT(xh->pages == 0);
}

void xheap_owner_init(struct xheap *xh, struct xheap_owner *o)
{
	link_init(&o->blocks);
	o->nblocks = o->bytes = o->charged = 0;
	chan_spin_lock(&xh->lock);
	link_add(&xh->owners, &o->owners);
	chan_spin_unlock(&xh->lock);
}

void xheap_owner_fini(struct xheap *xh, struct xheap_owner *o)
{
	ISOLA_ASSERT(o->nblocks == 0 && link_empty(&o->blocks) && o->charged == 0);
	chan_spin_lock(&xh->lock);
	link_del(&o->owners);
	chan_spin_unlock(&xh->lock);
}

// The smallest class whose slot holds the header and size bytes of data.
static unsigned class_of(size_t size)
{
	size_t total = size + sizeof(struct xheap_block);
	unsigned c = 0;
	while (c < XHEAP_NCLASSES && (XHEAP_MIN_CLASS << c) < total)
		c++;
	return c;
}

static size_t large_pages(size_t size)
{
	return (size + sizeof(struct xheap_block) + XHEAP_PAGE_SIZE - 1) /
	       XHEAP_PAGE_SIZE;
}

size_t xheap_footprint(size_t size)
{
	unsigned c = class_of(size);
	return c < XHEAP_NCLASSES ? XHEAP_MIN_CLASS << c
				  : large_pages(size) * XHEAP_PAGE_SIZE;
}

static size_t block_footprint(const struct xheap_block *b)
{
	return b->cls < XHEAP_NCLASSES ? XHEAP_MIN_CLASS << b->cls
				       : (size_t)b->place * XHEAP_PAGE_SIZE;
}

// Takes a slab run from the source and carves it into class c's free list.
// Called without the lock (the source may take its own).
static isola_err_t slab_refill(struct xheap *xh, unsigned c)
{
	uint8_t *run = xh->src.alloc(xh->src.ctx, XHEAP_SLAB_PAGES);
	if (!run)
		return ERR_XHEAP_NOMEM;
	size_t slot = XHEAP_MIN_CLASS << c;
	size_t end = XHEAP_SLAB_PAGES * XHEAP_PAGE_SIZE;
	struct xheap_slab *slab = (struct xheap_slab *)run;
	slab->used = 0;
	slab->cls = (uint16_t)c;
	chan_spin_lock(&xh->lock);
	link_add(&xh->slabs, &slab->link);
	xh->pages += XHEAP_SLAB_PAGES;
	for (size_t off = XHEAP_SLAB_HDR; off + slot <= end; off += slot) {
		struct xheap_block *b = (struct xheap_block *)(run + off);
		b->place = (uint32_t)off;
		b->cls = (uint16_t)c;
		b->magic = XHEAP_MAGIC_FREE;
		b->owner = NULL;
		link_add(&xh->free[c], &b->link);
	}
	chan_spin_unlock(&xh->lock);
	return ERR_OK;
}

static struct xheap_block *alloc_large(struct xheap *xh, size_t size)
{
	size_t npages = large_pages(size);
	struct xheap_block *b = xh->src.alloc(xh->src.ctx, npages);
	if (!b)
		return NULL;
	b->place = (uint32_t)npages;
	b->cls = XHEAP_NCLASSES;
	return b;
}

// Takes a free slot of class c under the lock; NULL if the list is empty.
static struct xheap_block *take_small(struct xheap *xh, unsigned c)
{
	if (link_empty(&xh->free[c]))
		return NULL;
	struct xheap_block *b = ISOLA_CONTAINER_OF(xh->free[c].next,
						   struct xheap_block, link);
	link_del(&b->link);
	slab_of(b)->used++;
	return b;
}

// Gives a block to an owner; the lock is held.
static void adopt(struct xheap *xh, struct xheap_owner *o, struct xheap_block *b)
{
	b->owner = o;
	link_add(&o->blocks, &b->link);
	o->nblocks++;
	o->bytes += b->size;
	xh->nblocks++;
	xh->bytes += b->size;
}

isola_err_t xheap_alloc(struct xheap *xh, struct xheap_owner *o, size_t size,
			uint32_t type, struct xheap_block **out)
{
	if (size == 0 || size > XHEAP_MAX_BLOCK)
		return ERR_XHEAP_SIZE;
	unsigned c = class_of(size);
	struct xheap_block *b = NULL;
	if (c == XHEAP_NCLASSES) {
		b = alloc_large(xh, size);
		if (!b)
			return ERR_XHEAP_NOMEM;
		chan_spin_lock(&xh->lock);
		xh->pages += b->place;
	} else {
		chan_spin_lock(&xh->lock);
		while (!(b = take_small(xh, c))) {
			chan_spin_unlock(&xh->lock);
			TRY(slab_refill(xh, c));
			chan_spin_lock(&xh->lock);
		}
	}
	b->size = (uint32_t)size;
	b->type = type;
	b->magic = XHEAP_MAGIC_LIVE;
	b->payer = o;
	o->charged += block_footprint(b);
	adopt(xh, o, b);
	chan_spin_unlock(&xh->lock);
	memset(xheap_block_data(b), 0, size);
	*out = b;
	return ERR_OK;
}

// Takes a block away from its owner; the lock is held.
static void disown(struct xheap *xh, struct xheap_block *b)
{
	struct xheap_owner *o = b->owner;
	link_del(&b->link);
	o->nblocks--;
	o->bytes -= b->size;
	xh->nblocks--;
	xh->bytes -= b->size;
	b->owner = NULL;
}

// Unlinks a block and puts small ones on their free list; returns the pages
// of a large one for the caller to give back after dropping the lock.
static size_t free_locked(struct xheap *xh, struct xheap_block *b)
{
	disown(xh, b);
	b->payer->charged -= block_footprint(b);
	b->payer = NULL;
	b->magic = XHEAP_MAGIC_FREE;
	if (b->cls < XHEAP_NCLASSES) {
		link_add(&xh->free[b->cls], &b->link);
		slab_of(b)->used--;
		return 0;
	}
	xh->pages -= b->place;
	return b->place;
}

isola_err_t xheap_free(struct xheap *xh, struct xheap_owner *o,
		       struct xheap_block *b)
{
	chan_spin_lock(&xh->lock);
	if (b->owner != o || b->magic != XHEAP_MAGIC_LIVE) {
		chan_spin_unlock(&xh->lock);
		return ERR_XHEAP_NOT_OWNER;
	}
	size_t npages = free_locked(xh, b);
	chan_spin_unlock(&xh->lock);
	if (npages)
		xh->src.free(xh->src.ctx, b, npages);
	return ERR_OK;
}

isola_err_t xheap_transfer(struct xheap *xh, struct xheap_block *const *b,
			   size_t n, struct xheap_owner *from,
			   struct xheap_owner *to)
{
	chan_spin_lock(&xh->lock);
	for (size_t i = 0; i < n; i++) {
		if (b[i]->owner != from || b[i]->magic != XHEAP_MAGIC_LIVE) {
			chan_spin_unlock(&xh->lock);
			return ERR_XHEAP_NOT_OWNER;
		}
	}
	for (size_t i = 0; i < n; i++) {
		disown(xh, b[i]);
		adopt(xh, to, b[i]);
		if (to != &xh->in_flight && b[i]->payer != to) {
			size_t fp = block_footprint(b[i]);
			b[i]->payer->charged -= fp;
			to->charged += fp;
			b[i]->payer = to;
		}
	}
	chan_spin_unlock(&xh->lock);
	return ERR_OK;
}

// Detaches one empty slab run (its free slots leave their list); the lock
// is held. NULL if every run has live blocks.
static struct xheap_slab *detach_empty_slab(struct xheap *xh)
{
	for (struct xheap_link *l = xh->slabs.next; l != &xh->slabs; l = l->next) {
		struct xheap_slab *slab = ISOLA_CONTAINER_OF(l, struct xheap_slab, link);
		if (slab->used)
			continue;
		size_t slot = XHEAP_MIN_CLASS << slab->cls;
		size_t end = XHEAP_SLAB_PAGES * XHEAP_PAGE_SIZE;
		for (size_t off = XHEAP_SLAB_HDR; off + slot <= end; off += slot)
			link_del(&((struct xheap_block *)((uint8_t *)slab + off))->link);
		link_del(&slab->link);
		xh->pages -= XHEAP_SLAB_PAGES;
		return slab;
	}
	return NULL;
}

size_t xheap_trim(struct xheap *xh)
{
	size_t pages = 0;
	for (;;) {
		chan_spin_lock(&xh->lock);
		struct xheap_slab *slab = detach_empty_slab(xh);
		chan_spin_unlock(&xh->lock);
		if (!slab)
			return pages;
		xh->src.free(xh->src.ctx, slab, XHEAP_SLAB_PAGES);
		pages += XHEAP_SLAB_PAGES;
	}
}

size_t xheap_owner_release(struct xheap *xh, struct xheap_owner *o)
{
	size_t count = 0;
	for (;;) {
		chan_spin_lock(&xh->lock);
		if (link_empty(&o->blocks)) {
			chan_spin_unlock(&xh->lock);
			return count;
		}
		struct xheap_block *b = ISOLA_CONTAINER_OF(o->blocks.next,
							   struct xheap_block, link);
		size_t npages = free_locked(xh, b);
		chan_spin_unlock(&xh->lock);
		if (npages)
			xh->src.free(xh->src.ctx, b, npages);
		count++;
	}
}

static bool owner_consistent(const struct xheap_owner *o, size_t *nb, size_t *by)
{
	size_t n = 0, bytes = 0;
	for (const struct xheap_link *l = o->blocks.next; l != &o->blocks; l = l->next) {
		const struct xheap_block *b =
			ISOLA_CONTAINER_OF(l, struct xheap_block, link);
		if (b->owner != o || b->magic != XHEAP_MAGIC_LIVE || !b->payer)
			return false;
		n++;
		bytes += b->size;
	}
	*nb += n;
	*by += bytes;
	return n == o->nblocks && bytes == o->bytes;
}

// The footprint of the blocks, among all, that o pays for. Every payer is
// a registered owner, so walking every holder's list finds them all.
static size_t paid_by(const struct xheap *xh, const struct xheap_owner *o)
{
	size_t sum = 0;
	for (const struct xheap_link *h = xh->owners.next; h != &xh->owners; h = h->next) {
		const struct xheap_owner *holder =
			ISOLA_CONTAINER_OF(h, struct xheap_owner, owners);
		for (const struct xheap_link *l = holder->blocks.next;
		     l != &holder->blocks; l = l->next) {
			const struct xheap_block *b =
				ISOLA_CONTAINER_OF(l, struct xheap_block, link);
			if (b->payer == o)
				sum += block_footprint(b);
		}
	}
	return sum;
}

isola_err_t xheap_check(struct xheap *xh)
{
	size_t nb = 0, by = 0;
	bool ok = true;
	chan_spin_lock(&xh->lock);
	for (struct xheap_link *l = xh->owners.next; ok && l != &xh->owners; l = l->next) {
		const struct xheap_owner *o =
			ISOLA_CONTAINER_OF(l, struct xheap_owner, owners);
		ok = owner_consistent(o, &nb, &by) && paid_by(xh, o) == o->charged;
	}
	ok = ok && nb == xh->nblocks && by == xh->bytes;
	chan_spin_unlock(&xh->lock);
	return ok ? ERR_OK : ERR_INTERNAL;
}
