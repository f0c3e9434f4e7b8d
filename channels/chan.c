// SPDX-License-Identifier: MIT
// Channel life cycle: creation with rings sized from the contract,
// claiming endpoints, readiness, select, and close with the release of
// everything still queued towards the closing end. Send and receive are in
// chan_xfer.c. Locking is described in docs/channels.md ("Concurrency").
#include "chan_internal.h"

#include <isola/assert.h>
#include <string.h>

#include "spin.h"

struct xheap_owner chan_busy_owner;

// The largest number of moved objects among messages going in direction d.
static uint32_t max_moved(const struct contract *c, unsigned d)
{
	uint32_t n = 0;
	for (uint16_t i = 0; i < c->n_msgs; i++) {
		const struct contract_msg *m = &c->msgs[i];
		if ((m->dir == d || m->dir == CONTRACT_BOTH) && m->n_moved > n)
			n = m->n_moved;
	}
	return n;
}

static size_t ring_bytes(const struct contract *c, unsigned d, uint32_t *slot)
{
	size_t s = sizeof(struct chan_slot) + max_moved(c, d) * sizeof(struct chan_obj) +
		   c->max_size[d];
	*slot = (uint32_t)((s + 7) & ~(size_t)7);
	return (size_t)*slot * c->bound[d];
}

static void init_endpoint(struct chan *ch, enum contract_side side,
			  struct xheap_owner *owner)
{
	struct chan_endpoint *ep = &ch->ep[side];
	ep->ch = ch;
	ep->owner = owner;
	ep->side = (uint8_t)side;
	ep->state = 0;
}

isola_err_t chan_create(const struct chan_env *env, const struct contract *c,
			struct xheap_owner *exp_owner,
			struct xheap_owner *imp_owner, struct chan_endpoint **exp,
			struct chan_endpoint **imp)
{
	uint32_t slot[2];
	size_t head = (sizeof(struct chan) + 7) & ~(size_t)7;
	size_t in = ring_bytes(c, CONTRACT_IN, &slot[0]);
	size_t out = ring_bytes(c, CONTRACT_OUT, &slot[1]);
	uint8_t *mem = env->alloc(env->ctx, exp_owner, c, head + in + out);
	if (!mem)
		return ERR_NOMEM;
	struct chan *ch = (struct chan *)mem;
	memset(ch, 0, sizeof(*ch));
	ch->c = c;
	ch->env = env;
	ch->alloc_size = head + in + out;
	ch->payer = exp_owner;
	ch->refs = 2;
	for (unsigned d = 0; d < 2; d++) {
		ch->ring[d].cap = c->bound[d];
		ch->ring[d].slot_size = slot[d];
		ch->ring[d].slots = mem + head + (d ? in : 0);
	}
	init_endpoint(ch, CONTRACT_EXP, exp_owner);
	init_endpoint(ch, CONTRACT_IMP, imp_owner);
	*exp = &ch->ep[CONTRACT_EXP];
	*imp = &ch->ep[CONTRACT_IMP];
	return ERR_OK;
}

isola_err_t chan_claim(struct chan_endpoint *ep, struct xheap_owner *caller)
{
	struct xheap_owner *expect = caller;
	if (caller && caller != CHAN_BUSY &&
	    __atomic_compare_exchange_n(&ep->owner, &expect, CHAN_BUSY, false,
					__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return ERR_OK;
	return expect == CHAN_BUSY ? ERR_CHAN_BUSY : ERR_CHAN_NOT_OWNER;
}

void chan_unclaim(struct chan_endpoint *ep, struct xheap_owner *owner)
{
	__atomic_store_n(&ep->owner, owner, __ATOMIC_RELEASE);
}

void chan_wake(struct chan_endpoint *ep, unsigned events)
{
	const struct chan_env *env = ep->ch->env;
	if (env->wake)
		env->wake(env->ctx, ep, events);
}

// Readiness under the channel lock.
static unsigned poll_locked(struct chan_endpoint *ep)
{
	unsigned ev = 0;
	struct chan_ring *out = chan_out_ring(ep);
	if (chan_in_ring(ep)->count > 0)
		ev |= CHAN_EV_READABLE;
	if (out->count < out->cap)
		ev |= CHAN_EV_WRITABLE;
	if (ep->ch->closed[ep->side ^ 1])
		ev |= CHAN_EV_CLOSED;
	return ev;
}

unsigned chan_poll(struct chan_endpoint *ep)
{
	chan_spin_lock(&ep->ch->lock);
	unsigned ev = poll_locked(ep);
	chan_spin_unlock(&ep->ch->lock);
	return ev;
}

static bool must_send(struct chan_endpoint *ep)
{
	const struct contract *c = ep->ch->c;
	enum contract_side side = (enum contract_side)ep->side;
	return c->form == CONTRACT_FORM_STATES &&
	       contract_state_sends(c, side, ep->state);
}

// Claims ep for the caller and reports whether it is ready to receive.
static isola_err_t select_one(struct chan_endpoint *ep, struct xheap_owner *caller,
			      bool *ready)
{
	TRY(chan_claim(ep, caller));
	isola_err_t err = must_send(ep) ? ERR_CHAN_PROTOCOL : ERR_OK;
	*ready = chan_poll(ep) & (CHAN_EV_READABLE | CHAN_EV_CLOSED);
	chan_unclaim(ep, caller);
	return err;
}

isola_err_t chan_select(struct chan_endpoint *const *eps, size_t n,
			struct xheap_owner *caller, size_t start, size_t *index)
{
	bool found = false;
	size_t first = 0;
	// Every endpoint is checked, so a bad one is reported even when an
	// earlier one is ready.
	for (size_t k = 0; k < n; k++) {
		size_t i = (start + k) % n;
		bool ready;
		TRY(select_one(eps[i], caller, &ready));
		if (ready && !found) {
			found = true;
			first = i;
		}
	}
	if (!found)
		return ERR_AGAIN;
	*index = first;
	return ERR_OK;
}

// Claims an in-flight endpoint found in a dropped message and queues it.
static void push_close(struct chan_endpoint **work, struct chan_endpoint *ep,
		       struct xheap_owner *in_flight)
{
	isola_err_t err = chan_claim(ep, in_flight);
	ISOLA_ASSERT(err == ERR_OK);
	ep->next_close = *work;
	*work = ep;
}

// Drops everything queued towards ep; the channel lock is held. Blocks are
// freed now; endpoints go on the worklist (their channels' locks are taken
// later, one at a time).
static void drain_locked(struct chan_endpoint *ep, struct chan_endpoint **work)
{
	struct xheap *xh = ep->ch->env->xh;
	struct chan_ring *r = chan_in_ring(ep);
	for (; r->count > 0; chan_ring_set_count(r, r->count - 1),
			      r->head = (r->head + 1) % r->cap) {
		struct chan_slot *s = chan_ring_slot(r, 0);
		struct chan_obj *o = chan_slot_moved(s);
		for (uint8_t i = 0; i < s->n_moved; i++) {
			if (o[i].kind == CONTRACT_K_ENDPOINT) {
				push_close(work, o[i].u.ep, &xh->in_flight);
			} else {
				isola_err_t err = xheap_free(xh, &xh->in_flight, o[i].u.blk);
				ISOLA_ASSERT(err == ERR_OK);
			}
		}
	}
}

// Closes one claimed endpoint. The channel is freed by whichever close
// drops the last reference, after its wake, so a wake never touches freed
// memory even when both ends close at once.
static void close_one(struct chan_endpoint *ep, struct chan_endpoint **work)
{
	struct chan *ch = ep->ch;
	struct chan_endpoint *peer = chan_peer(ep);
	chan_spin_lock(&ch->lock);
	drain_locked(ep, work);
	ch->closed[ep->side] = 1;
	bool peer_open = !ch->closed[peer->side];
	chan_spin_unlock(&ch->lock);
	chan_unclaim(ep, NULL);
	if (peer_open)
		chan_wake(peer, CHAN_EV_CLOSED);
	if (__atomic_sub_fetch(&ch->refs, 1, __ATOMIC_ACQ_REL) == 0)
		ch->env->free(ch->env->ctx, ch->payer, ch->c, ch, ch->alloc_size);
}

// Closes a claimed endpoint and, iteratively, every endpoint that was in
// flight towards it.
static void close_claimed(struct chan_endpoint *ep)
{
	struct chan_endpoint *work = ep;
	ep->next_close = NULL;
	while (work) {
		struct chan_endpoint *e = work;
		work = e->next_close;
		close_one(e, &work);
	}
}

isola_err_t chan_close(struct chan_endpoint *ep, struct xheap_owner *caller)
{
	TRY(chan_claim(ep, caller));
	close_claimed(ep);
	return ERR_OK;
}

void chan_release_objs(struct xheap *xh, struct chan_obj *objs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (objs[i].kind == CONTRACT_K_ENDPOINT) {
			isola_err_t err = chan_claim(objs[i].u.ep, &xh->in_flight);
			ISOLA_ASSERT(err == ERR_OK);
			close_claimed(objs[i].u.ep);
		} else {
			isola_err_t err = xheap_free(xh, &xh->in_flight, objs[i].u.blk);
			ISOLA_ASSERT(err == ERR_OK);
		}
	}
}

isola_err_t chan_endpoint_transfer(struct chan_endpoint *ep, struct xheap_owner *from,
				   struct xheap_owner *to)
{
	if (!to || to == CHAN_BUSY)
		return ERR_INVAL;
	TRY(chan_claim(ep, from));
	chan_unclaim(ep, to);
	return ERR_OK;
}

struct xheap_owner *chan_endpoint_owner(const struct chan_endpoint *ep)
{
	return __atomic_load_n(&ep->owner, __ATOMIC_ACQUIRE);
}

uint16_t chan_endpoint_state(const struct chan_endpoint *ep)
{
	return ep->state;
}

enum contract_side chan_endpoint_side(const struct chan_endpoint *ep)
{
	return (enum contract_side)ep->side;
}

const struct contract *chan_endpoint_contract(const struct chan_endpoint *ep)
{
	return ep->ch->c;
}

void **chan_endpoint_wait(struct chan_endpoint *ep)
{
	return &ep->wait;
}
