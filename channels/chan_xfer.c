// SPDX-License-Identifier: MIT
// Send and receive. Send validates first and commits after (the seL4
// order): transition, payload shape, moved objects' kinds, types and
// ownership; only then do blocks and endpoints change owner (to the heap's
// in-flight owner) and the message enter the ring. Receive hands them to
// the receiver. No lock is held across anything that may block.
#include "chan_internal.h"

#include <isola/assert.h>
#include <string.h>

#include "spin.h"

// Does endpoint e fit field f of contract c (contract, side, state)? An
// any-endpoint field takes every endpoint; the receiver casts it back.
static bool endpoint_fits(const struct contract *c, const struct contract_field *f,
			  struct chan_endpoint *e)
{
	const struct contract *ec = e->ch->c;
	if (f->ref == CONTRACT_REF_ANY)
		return true;
	const uint8_t *want = f->ref == CONTRACT_REF_SELF ? c->hash : c->refs[f->ref];
	if (memcmp(ec->hash, want, CONTRACT_HASH_SIZE) != 0 || e->side != f->side)
		return false;
	return f->state == CONTRACT_NO_STATE || e->state == f->state;
}

// Checks the moved objects against the message's moved fields, before any
// of them is touched: kinds, block types, no duplicates, not ep itself.
static isola_err_t check_moved(struct chan_endpoint *ep, const struct contract_msg *m,
			       const struct chan_obj *mv, size_t n)
{
	if (n != m->n_moved)
		return ERR_CHAN_PAYLOAD;
	for (size_t i = 0; i < n; i++) {
		const struct contract_field *f = &m->fields[m->moved[i]];
		if (mv[i].kind != f->kind || !mv[i].u.blk)
			return ERR_CHAN_PAYLOAD;
		if (f->kind == CONTRACT_K_BLOCK && mv[i].u.blk->type != f->type_tag)
			return ERR_CHAN_PAYLOAD;
		// Neither end of this channel may travel in it: ep would be
		// gone, and its peer would sit in its own queue forever.
		if (f->kind == CONTRACT_K_ENDPOINT &&
		    (mv[i].u.ep == ep || mv[i].u.ep == chan_peer(ep)))
			return ERR_CHAN_SELF;
		for (size_t j = 0; j < i; j++)
			if (mv[j].u.blk == mv[i].u.blk)
				return ERR_CHAN_DUPLICATE;
	}
	return ERR_OK;
}

// Claims the moved endpoints and checks their contract and state; on
// failure gives back the ones already claimed.
static isola_err_t claim_endpoints(struct chan_endpoint *ep,
				   const struct contract_msg *m,
				   const struct chan_obj *mv, size_t n,
				   struct xheap_owner *caller)
{
	size_t i;
	isola_err_t err = ERR_OK;
	for (i = 0; i < n; i++) {
		if (mv[i].kind != CONTRACT_K_ENDPOINT)
			continue;
		err = chan_claim(mv[i].u.ep, caller);
		if (err != ERR_OK)
			break;
		if (!endpoint_fits(ep->ch->c, &m->fields[m->moved[i]], mv[i].u.ep)) {
			chan_unclaim(mv[i].u.ep, caller);
			err = ERR_CHAN_PAYLOAD;
			break;
		}
	}
	if (err == ERR_OK)
		return ERR_OK;
	for (size_t j = 0; j < i; j++)
		if (mv[j].kind == CONTRACT_K_ENDPOINT)
			chan_unclaim(mv[j].u.ep, caller);
	return err;
}

// Hands the moved objects from caller to the in-flight owner.
static isola_err_t take_objects(struct chan_endpoint *ep, const struct contract_msg *m,
				const struct chan_obj *mv, size_t n,
				struct xheap_owner *caller)
{
	struct xheap *xh = ep->ch->env->xh;
	struct xheap_block *blk[CONTRACT_MAX_MOVED];
	size_t nb = 0;
	TRY(claim_endpoints(ep, m, mv, n, caller));
	for (size_t i = 0; i < n; i++)
		if (mv[i].kind == CONTRACT_K_BLOCK)
			blk[nb++] = mv[i].u.blk;
	if (xheap_transfer(xh, blk, nb, caller, &xh->in_flight) != ERR_OK) {
		for (size_t i = 0; i < n; i++)
			if (mv[i].kind == CONTRACT_K_ENDPOINT)
				chan_unclaim(mv[i].u.ep, caller);
		return ERR_CHAN_NOT_OWNER;
	}
	for (size_t i = 0; i < n; i++)
		if (mv[i].kind == CONTRACT_K_ENDPOINT)
			chan_unclaim(mv[i].u.ep, &xh->in_flight);
	return ERR_OK;
}

// Sends that move endpoints take this lock around the cycle check and the
// enqueue. Only such sends put an endpoint inside a queue, so with them
// serialized the check below cannot be raced, and no set of endpoints can
// ever end up inside each other's queues, where nobody could receive or
// close them (docs/channels.md, "Reclaim").
static int move_lock;

#define CYCLE_WALK_MAX 64

// Pushes the endpoints queued towards e; true if target is among them.
static bool scan_ring(struct chan_endpoint *e, struct chan_endpoint *target,
		      struct chan_endpoint **stack, size_t *top, bool *overflow)
{
	struct chan *ch = e->ch;
	bool found = false;
	chan_spin_lock(&ch->lock);
	struct chan_ring *r = chan_in_ring(e);
	for (uint32_t i = 0; i < r->count && !found && !*overflow; i++) {
		struct chan_slot *s = chan_ring_slot(r, i);
		struct chan_obj *o = chan_slot_moved(s);
		for (uint8_t k = 0; k < s->n_moved && !found; k++) {
			if (o[k].kind != CONTRACT_K_ENDPOINT)
				continue;
			found = o[k].u.ep == target;
			if (*top == CYCLE_WALK_MAX)
				*overflow = true;
			else
				stack[(*top)++] = o[k].u.ep;
		}
	}
	chan_spin_unlock(&ch->lock);
	return found;
}

// Would queueing x towards target put target inside its own queue? That
// is so when target already sits in x's queue, or in the queue of an
// endpoint there, and so on. A walk too long to finish counts as a cycle.
static isola_err_t check_cycle(struct chan_endpoint *x, struct chan_endpoint *target)
{
	struct chan_endpoint *stack[CYCLE_WALK_MAX];
	size_t top = 0, seen = 0;
	bool overflow = false;
	stack[top++] = x;
	while (top) {
		struct chan_endpoint *e = stack[--top];
		if (++seen > CYCLE_WALK_MAX ||
		    scan_ring(e, target, stack, &top, &overflow) || overflow)
			return ERR_CHAN_CYCLE;
	}
	return ERR_OK;
}

static bool moves_endpoints(const struct chan_obj *mv, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (mv[i].kind == CONTRACT_K_ENDPOINT)
			return true;
	return false;
}

static isola_err_t check_cycles(struct chan_endpoint *ep,
				const struct chan_obj *mv, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (mv[i].kind == CONTRACT_K_ENDPOINT)
			TRY(check_cycle(mv[i].u.ep, chan_peer(ep)));
	return ERR_OK;
}

// Validation that needs neither the moved objects nor the lock.
static isola_err_t check_send(struct chan_endpoint *ep, uint16_t msg, size_t len,
			      uint16_t *next)
{
	const struct contract *c = ep->ch->c;
	if (msg >= c->n_msgs ||
	    !contract_can_send(c, (enum contract_side)ep->side, ep->state, msg, next))
		return ERR_CHAN_PROTOCOL;
	if (len != c->msgs[msg].size)
		return ERR_CHAN_PAYLOAD;
	return ERR_OK;
}

// Read without the lock: only this (claimed) sender makes count grow, so a
// stale value can only under-state the room. A spurious ERR_AGAIN is
// harmless: the waiter re-checks with chan_poll before it sleeps.
static bool ring_full(struct chan_endpoint *ep)
{
	struct chan_ring *r = chan_out_ring(ep);
	return __atomic_load_n(&r->count, __ATOMIC_RELAXED) >= r->cap;
}

// Puts the message in the ring, or reports that the peer has closed.
static bool enqueue(struct chan_endpoint *ep, uint16_t msg, const void *data,
		    size_t len, const struct chan_obj *mv, size_t n)
{
	struct chan *ch = ep->ch;
	chan_spin_lock(&ch->lock);
	if (ch->closed[ep->side ^ 1]) {
		chan_spin_unlock(&ch->lock);
		return false;
	}
	struct chan_ring *r = chan_out_ring(ep);
	// Only this (claimed) endpoint fills the ring, so the room seen
	// before is still there.
	ISOLA_ASSERT(r->count < r->cap);
	struct chan_slot *s = chan_ring_slot(r, r->count);
	s->msg = msg;
	s->n_moved = (uint8_t)n;
	s->len = (uint32_t)len;
	if (n)
		memcpy(chan_slot_moved(s), mv, n * sizeof(*mv));
	if (len)
		memcpy(chan_slot_data(s), data, len);
	chan_ring_set_count(r, r->count + 1);
	chan_spin_unlock(&ch->lock);
	return true;
}

isola_err_t chan_send(struct chan_endpoint *ep, struct xheap_owner *caller,
		      uint16_t msg, const void *data, size_t len,
		      const struct chan_obj *moved, size_t n_moved)
{
	uint16_t next;
	TRY(chan_claim(ep, caller));
	isola_err_t err = check_send(ep, msg, len, &next);
	if (err == ERR_OK)
		err = check_moved(ep, &ep->ch->c->msgs[msg], moved, n_moved);
	if (err == ERR_OK && ring_full(ep))
		err = ERR_AGAIN;
	bool locked = err == ERR_OK && moves_endpoints(moved, n_moved);
	if (locked) {
		chan_spin_lock(&move_lock);
		err = check_cycles(ep, moved, n_moved);
	}
	if (err == ERR_OK)
		err = take_objects(ep, &ep->ch->c->msgs[msg], moved, n_moved, caller);
	if (err != ERR_OK) {
		if (locked)
			chan_spin_unlock(&move_lock);
		chan_unclaim(ep, caller);
		return err;
	}
	bool delivered = enqueue(ep, msg, data, len, moved, n_moved);
	if (locked)
		chan_spin_unlock(&move_lock);
	ep->state = next;
	// Wake and release while ep is still claimed: once it is given back,
	// another thread may close it and free the channel.
	if (delivered) {
		chan_wake(chan_peer(ep), CHAN_EV_READABLE);
	} else {
		struct chan_obj copy[CONTRACT_MAX_MOVED];
		if (n_moved)
			memcpy(copy, moved, n_moved * sizeof(*moved));
		chan_release_objs(ep->ch->env->xh, copy, n_moved);
	}
	chan_unclaim(ep, caller);
	return delivered ? ERR_OK : ERR_CLOSED;
}

// Takes the head message towards ep; the channel lock is held.
static isola_err_t pop_locked(struct chan_endpoint *ep, void *buf, size_t buflen,
			      struct chan_msg *out, uint16_t *next)
{
	struct chan_ring *r = chan_in_ring(ep);
	if (r->count == 0)
		return ep->ch->closed[ep->side ^ 1] ? ERR_CLOSED : ERR_AGAIN;
	struct chan_slot *s = chan_ring_slot(r, 0);
	bool ok = contract_can_recv(ep->ch->c, (enum contract_side)ep->side,
				    ep->state, s->msg, next);
	// The sender followed the same state machine (docs/channels.md).
	ISOLA_ASSERT(ok);
	if (buflen < s->len)
		return ERR_CHAN_BUFFER;
	out->msg = s->msg;
	out->n_moved = s->n_moved;
	out->len = s->len;
	memcpy(out->moved, chan_slot_moved(s), s->n_moved * sizeof(struct chan_obj));
	if (s->len)
		memcpy(buf, chan_slot_data(s), s->len);
	r->head = (r->head + 1) % r->cap;
	chan_ring_set_count(r, r->count - 1);
	return ERR_OK;
}

// Gives the received objects to the receiver: one heap transfer for all
// the blocks, then the endpoints.
static void adopt_objects(struct chan_endpoint *ep, struct chan_msg *m,
			  struct xheap_owner *caller)
{
	struct xheap *xh = ep->ch->env->xh;
	struct xheap_block *blk[CONTRACT_MAX_MOVED];
	size_t nb = 0;
	for (uint8_t i = 0; i < m->n_moved; i++) {
		struct chan_obj *o = &m->moved[i];
		if (o->kind == CONTRACT_K_ENDPOINT)
			chan_unclaim(o->u.ep, caller);
		else
			blk[nb++] = o->u.blk;
	}
	if (nb == 0)
		return;
	isola_err_t err = xheap_transfer(xh, blk, nb, &xh->in_flight, caller);
	ISOLA_ASSERT(err == ERR_OK);
}

isola_err_t chan_recv(struct chan_endpoint *ep, struct xheap_owner *caller,
		      void *buf, size_t buflen, struct chan_msg *out)
{
	const struct contract *c;
	uint16_t next = 0;
	TRY(chan_claim(ep, caller));
	c = ep->ch->c;
	if (c->form == CONTRACT_FORM_STATES &&
	    contract_state_sends(c, (enum contract_side)ep->side, ep->state)) {
		chan_unclaim(ep, caller);
		return ERR_CHAN_PROTOCOL;
	}
	chan_spin_lock(&ep->ch->lock);
	isola_err_t err = pop_locked(ep, buf, buflen, out, &next);
	chan_spin_unlock(&ep->ch->lock);
	if (err == ERR_OK) {
		adopt_objects(ep, out, caller);
		ep->state = next;
		chan_wake(chan_peer(ep), CHAN_EV_WRITABLE);
	}
	chan_unclaim(ep, caller);
	return err;
}
