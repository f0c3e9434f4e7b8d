// SPDX-License-Identifier: MIT
// The channel core: a channel is two endpoints (exporter and importer), each
// with its own contract state, and one bounded ring per direction sized from
// the contract. Send checks the transition and moves the payload: inline
// bytes are copied, blocks and endpoints change owner (the sender loses them
// before the receiver can see them). Nothing here blocks: a full ring or an
// empty one returns ERR_AGAIN and the embedder waits on the endpoint, woken
// through chan_env.wake. Design, locking and rules: docs/channels.md.
#ifndef ISOLA_CHAN_H
#define ISOLA_CHAN_H

#include <isola/contract.h>
#include <isola/xheap.h>

struct chan;
struct chan_endpoint;

// Readiness of an endpoint, as chan_poll reports it and wake announces it.
enum chan_event {
	CHAN_EV_READABLE = 1, // a message is queued towards this end
	CHAN_EV_WRITABLE = 2, // the ring away from this end has room
	CHAN_EV_CLOSED = 4, // the peer has closed
};

// What the embedder supplies. alloc/free: memory for a channel of
// contract c, charged to payer (the owner that created it) from creation
// until the last close frees it, whoever holds its ends by then (the
// kernel charges the creating SIP's account and keeps c alive); wake:
// called with no core lock held whenever an endpoint may have become
// ready, so the kernel can wake the threads waiting on it (may be NULL).
// All channels made with one env must use the same xheap.
struct chan_env {
	void *ctx;
	struct xheap *xh;
	void *(*alloc)(void *ctx, struct xheap_owner *payer,
		       const struct contract *c, size_t size);
	void (*free)(void *ctx, struct xheap_owner *payer,
		     const struct contract *c, void *p, size_t size);
	void (*wake)(void *ctx, struct chan_endpoint *ep, unsigned events);
};

// A block or endpoint moved by a message, in the order of the message's
// moved fields. The kernel fills it from the sender's handle table.
struct chan_obj {
	uint8_t kind; // CONTRACT_K_BLOCK or CONTRACT_K_ENDPOINT
	union {
		struct xheap_block *blk;
		struct chan_endpoint *ep;
	} u;
};

// A received message: its id, the moved objects (now owned by the
// receiver) and the inline payload length written to the caller's buffer.
struct chan_msg {
	uint16_t msg;
	uint8_t n_moved;
	uint32_t len;
	struct chan_obj moved[CONTRACT_MAX_MOVED];
};

// Creates a channel for contract c (which must outlive it) with both ends
// in the initial state, owned by exp_owner and imp_owner; its memory is
// charged to exp_owner (env->alloc). ERR_NOMEM.
isola_err_t chan_create(const struct chan_env *env, const struct contract *c,
			struct xheap_owner *exp_owner,
			struct xheap_owner *imp_owner, struct chan_endpoint **exp,
			struct chan_endpoint **imp) ISOLA_MUST_CHECK;

// Sends message msg from ep, which caller must own. data/len is the inline
// payload (exactly the message's size), moved the blocks and endpoints.
// Validates everything before committing:
//   ERR_CHAN_PROTOCOL  the contract does not allow msg from ep's state;
//   ERR_CHAN_PAYLOAD   wrong length, count, kind, block type, or endpoint
//                      contract, side or state;
//   ERR_CHAN_NOT_OWNER caller does not own ep or a moved object;
//   ERR_CHAN_DUPLICATE, ERR_CHAN_SELF, ERR_CHAN_BUSY;
//   ERR_CHAN_CYCLE     a moved endpoint would end up inside its own queue;
//   ERR_AGAIN          interface form: the ring is full; wait for WRITABLE.
// Nothing moved on those. ERR_CLOSED: the peer has closed; the message was
// consumed (its objects released) and ep advanced, as if delivered.
isola_err_t chan_send(struct chan_endpoint *ep, struct xheap_owner *caller,
		      uint16_t msg, const void *data, size_t len,
		      const struct chan_obj *moved, size_t n_moved) ISOLA_MUST_CHECK;

// Receives the next message towards ep into buf and *out; its moved objects
// now belong to caller. ERR_AGAIN: nothing queued (wait for READABLE or
// CLOSED); ERR_CLOSED: the peer closed and everything queued was received;
// ERR_CHAN_PROTOCOL: ep's state must send, not receive; ERR_CHAN_BUFFER:
// buf is smaller than the message (nothing consumed); ERR_CHAN_NOT_OWNER,
// ERR_CHAN_BUSY.
isola_err_t chan_recv(struct chan_endpoint *ep, struct xheap_owner *caller,
		      void *buf, size_t buflen, struct chan_msg *out) ISOLA_MUST_CHECK;

// Finds an endpoint among eps[0..n) with a message to receive or a closed
// peer, trying from index start (round robin); *index says which. ERR_AGAIN
// if none (wait on all of them), ERR_CHAN_NOT_OWNER, ERR_CHAN_PROTOCOL if an
// endpoint's state must send.
isola_err_t chan_select(struct chan_endpoint *const *eps, size_t n,
			struct xheap_owner *caller, size_t start,
			size_t *index) ISOLA_MUST_CHECK;

// The readiness of ep now (enum chan_event bits). No ownership check: for
// the kernel's re-check after it queued a waiter.
unsigned chan_poll(struct chan_endpoint *ep);

// Closes ep: messages queued towards it are released (their blocks freed,
// their endpoints closed in turn); the peer sees ERR_CLOSED after draining
// what is queued towards it. The last close frees the channel. ep is dead
// afterwards. ERR_CHAN_NOT_OWNER, ERR_CHAN_BUSY.
isola_err_t chan_close(struct chan_endpoint *ep, struct xheap_owner *caller)
	ISOLA_MUST_CHECK;

// Gives ep from one owner to another outside any message (the kernel binds
// a new SIP's start-up endpoints this way). ERR_CHAN_NOT_OWNER, ERR_CHAN_BUSY.
isola_err_t chan_endpoint_transfer(struct chan_endpoint *ep, struct xheap_owner *from,
				   struct xheap_owner *to) ISOLA_MUST_CHECK;

// Accessors. chan_endpoint_owner returns NULL for a closed endpoint and the
// heap's in-flight owner while it sits in a message.
struct xheap_owner *chan_endpoint_owner(const struct chan_endpoint *ep);
uint16_t chan_endpoint_state(const struct chan_endpoint *ep);
enum contract_side chan_endpoint_side(const struct chan_endpoint *ep);
const struct contract *chan_endpoint_contract(const struct chan_endpoint *ep);
// The embedder's per-endpoint word (the kernel's wait queue).
void **chan_endpoint_wait(struct chan_endpoint *ep);

#endif
