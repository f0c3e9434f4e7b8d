// SPDX-License-Identifier: MIT
// The channel core's private structures, shared by chan.c (life cycle,
// select, close) and chan_xfer.c (send and receive). Not for use outside
// channels/.
#ifndef ISOLA_CHANNELS_CHAN_INTERNAL_H
#define ISOLA_CHANNELS_CHAN_INTERNAL_H

#include <isola/chan.h>

// An endpoint's owner while one thread is using it. Claiming is a
// compare-and-swap from the caller's owner to this value, so two threads
// of one SIP can never use one linear handle at once (ERR_CHAN_BUSY).
extern struct xheap_owner chan_busy_owner;
#define CHAN_BUSY (&chan_busy_owner)

struct chan_endpoint {
	struct chan *ch;
	struct xheap_owner *owner; // atomic; NULL once closed
	uint16_t state; // touched only by the thread that claimed the endpoint
	uint8_t side; // enum contract_side
	void *wait; // the embedder's
	struct chan_endpoint *next_close; // close worklist
};

// A message slot: header, moved objects, then the inline payload.
struct chan_slot {
	uint16_t msg;
	uint8_t n_moved;
	uint32_t len;
};

// count is written only under the channel lock, with atomic stores, so the
// claimed sender may read it without the lock (chan_xfer.c, ring_full).
struct chan_ring {
	uint32_t head, count, cap, slot_size;
	uint8_t *slots;
};

static inline void chan_ring_set_count(struct chan_ring *r, uint32_t n)
{
	__atomic_store_n(&r->count, n, __ATOMIC_RELAXED);
}

struct chan {
	const struct contract *c;
	const struct chan_env *env;
	int lock; // guards rings and closed[]
	uint8_t closed[2]; // by side
	struct chan_endpoint ep[2]; // by side
	struct chan_ring ring[2]; // by direction: IN goes towards EXP
	size_t alloc_size;
	struct xheap_owner *payer; // charged for the channel's memory
	int refs; // atomic: ends not yet closed
};

// The ring messages travel in when sent from side (IN for the importer).
static inline struct chan_ring *chan_out_ring(struct chan_endpoint *ep)
{
	return &ep->ch->ring[contract_side_out_dir((enum contract_side)ep->side)];
}

static inline struct chan_ring *chan_in_ring(struct chan_endpoint *ep)
{
	return &ep->ch->ring[contract_side_out_dir((enum contract_side)ep->side) ^ 1];
}

static inline struct chan_endpoint *chan_peer(struct chan_endpoint *ep)
{
	return &ep->ch->ep[ep->side ^ 1];
}

static inline struct chan_slot *chan_ring_slot(struct chan_ring *r, uint32_t i)
{
	return (struct chan_slot *)(r->slots + (size_t)((r->head + i) % r->cap) *
					       r->slot_size);
}

static inline struct chan_obj *chan_slot_moved(struct chan_slot *s)
{
	return (struct chan_obj *)(s + 1);
}

static inline uint8_t *chan_slot_data(struct chan_slot *s)
{
	return (uint8_t *)(chan_slot_moved(s) + s->n_moved);
}

// Claims ep for caller (CAS owner caller -> busy); releases it with owner.
isola_err_t chan_claim(struct chan_endpoint *ep, struct xheap_owner *caller)
	ISOLA_MUST_CHECK;
void chan_unclaim(struct chan_endpoint *ep, struct xheap_owner *owner);

// Releases moved objects of a message nobody will receive: blocks are
// freed from the in-flight owner, endpoints are closed. The objects must be
// owned by the in-flight owner.
void chan_release_objs(struct xheap *xh, struct chan_obj *objs, size_t n);

// Calls the embedder's wake hook, if any. No core lock may be held.
void chan_wake(struct chan_endpoint *ep, unsigned events);

#endif
