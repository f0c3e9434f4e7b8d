// SPDX-License-Identifier: MIT
// The exchange heap: blocks that move between SIPs without being copied.
// Small blocks come from size-class slabs (returned by xheap_trim once
// empty), large ones from whole pages; the pages come from the embedder
// (the kernel's frame allocator, a host allocator in tests). Every block
// has exactly one holder: a SIP's xheap_owner, or the heap's "in flight"
// owner while it sits in a message. Every block also has a payer, the
// owner its memory is charged to: the holder, or while it is in flight
// the owner that sent it, until a receiver takes it. Transfer between
// owners is O(1); releasing an owner frees all it holds. One spinlock per
// heap guards the free lists and the owner lists; callers must not be
// preempted inside these calls (short, bounded, never block).
#ifndef ISOLA_XHEAP_H
#define ISOLA_XHEAP_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define XHEAP_PAGE_SIZE 4096u
#define XHEAP_MAX_BLOCK (64u * 1024 * 1024) // largest block, bytes of data
#define XHEAP_NCLASSES 6 // 64 .. 2048 bytes including the header

// Where pages come from. alloc returns npages contiguous, page-aligned
// pages or NULL; free gets back exactly what alloc gave.
struct xheap_page_source {
	void *ctx;
	void *(*alloc)(void *ctx, size_t npages);
	void (*free)(void *ctx, void *base, size_t npages);
};

struct xheap_link {
	struct xheap_link *prev, *next;
};

// An accounting principal. Embedded in the owner's structure (the kernel's
// SIP account); must be registered with xheap_owner_init before use.
struct xheap_owner {
	struct xheap_link blocks; // list head
	struct xheap_link owners; // in the heap's list of owners
	size_t nblocks, bytes; // bytes = data bytes of the blocks held
	size_t charged; // memory of the blocks it pays for: held or sent and
			// still in flight (slots and pages, headers included)
};

// A block. The data follows the header (xheap_block_data).
struct xheap_block {
	struct xheap_link link; // in the owner's list, or a free list
	struct xheap_owner *owner; // the holder; NULL when free
	struct xheap_owner *payer; // charged for it (see above)
	uint32_t size; // data bytes asked for
	uint32_t type; // element type tag (contract_type_tag), 0 = untyped
	uint32_t place; // large block: pages; small block: bytes back to the
			// start of its slab run
	uint16_t cls; // size class, or XHEAP_NCLASSES for large
	uint16_t magic;
};

struct xheap {
	struct xheap_page_source src;
	int lock;
	struct xheap_link free[XHEAP_NCLASSES];
	struct xheap_link owners; // every registered owner, in_flight too
	struct xheap_link slabs; // slab runs, returned by xheap_fini
	struct xheap_owner in_flight;
	size_t pages; // pages taken from the source
	size_t nblocks, bytes; // all live blocks (sum over owners)
};

void xheap_init(struct xheap *xh, const struct xheap_page_source *src);
// Returns every page to the source. All owners must be empty.
void xheap_fini(struct xheap *xh);

void xheap_owner_init(struct xheap *xh, struct xheap_owner *o);
// Unregisters an owner; it must hold nothing and pay for nothing (release
// it first, and wait until what it sent has been received or freed).
void xheap_owner_fini(struct xheap *xh, struct xheap_owner *o);

// The memory a block of size data bytes takes from the heap: its size
// class's slot, or its whole pages. What an owner is charged for it.
size_t xheap_footprint(size_t size);

// A new zeroed block of size bytes (1..XHEAP_MAX_BLOCK) held by and
// charged to o, remembering its element type tag. ERR_XHEAP_SIZE,
// ERR_XHEAP_NOMEM.
isola_err_t xheap_alloc(struct xheap *xh, struct xheap_owner *o, size_t size,
			uint32_t type, struct xheap_block **out) ISOLA_MUST_CHECK;

// Frees a block held by o (its payer stops paying for it);
// ERR_XHEAP_NOT_OWNER if o does not hold it.
isola_err_t xheap_free(struct xheap *xh, struct xheap_owner *o,
		       struct xheap_block *b) ISOLA_MUST_CHECK;

// Moves n blocks from one holder to another, all or nothing:
// ERR_XHEAP_NOT_OWNER (nothing moved) if from does not hold every one.
// Moving into the heap's in-flight owner leaves each block's payer as it
// was (the sender pays while it travels); moving to any other owner makes
// that owner the payer.
isola_err_t xheap_transfer(struct xheap *xh, struct xheap_block *const *b,
			   size_t n, struct xheap_owner *from,
			   struct xheap_owner *to) ISOLA_MUST_CHECK;

// Gives slab runs with no live block back to the page source, so that page
// counts return to a baseline once blocks are freed; returns the pages.
size_t xheap_trim(struct xheap *xh);

// Frees every block o holds (reclaim); returns how many.
size_t xheap_owner_release(struct xheap *xh, struct xheap_owner *o);

// Walks every owner and checks its list against its counters and the heap
// totals, and every owner's charge against the blocks it pays for;
// ERR_INTERNAL on a mismatch. For tests and debug builds.
isola_err_t xheap_check(struct xheap *xh) ISOLA_MUST_CHECK;

static inline void *xheap_block_data(struct xheap_block *b)
{
	return b + 1;
}
static inline struct xheap_owner *xheap_block_owner(const struct xheap_block *b)
{
	return __atomic_load_n(&b->owner, __ATOMIC_ACQUIRE);
}

#endif
