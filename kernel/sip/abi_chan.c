// SPDX-License-Identifier: MIT
// The channel part of the ABI: create, send, receive, select, close, info.
// A SIP names endpoints and blocks by handles; a message's block and
// endpoint fields hold handles at the offsets the contract's layout gives.
// Send looks them up (any bad one stops the SIP before anything moves),
// hands the objects to the channel core, and kills the handles once the
// core has taken them. Receive gives the received objects new handles in
// the receiver's table and writes those into the message. Waiting happens
// on the SIP's own wait queue (see kchan.c).
#include "abi_internal.h"

#include <string.h>

static uint16_t obj_kind(uint8_t contract_kind)
{
	return contract_kind == CONTRACT_K_BLOCK ? HANDLE_KIND_BLOCK
						 : HANDLE_KIND_ENDPOINT;
}

static enum abi_fault decode_ep(struct sip *s, uint32_t h,
				struct chan_endpoint **ep)
{
	return abi_decode_handle(s, h, HANDLE_KIND_ENDPOINT, (void **)ep);
}

// Gives a received or new object a handle in s's table. On a full table
// the object is released and ERR_LIMIT returned.
static isola_err_t adopt(struct sip *s, const struct chan_obj *o, uint32_t *h)
{
	isola_err_t err = handle_insert(&s->handles, obj_kind(o->kind),
					o->u.blk, h);
	if (o->kind == CONTRACT_K_ENDPOINT) {
		if (err == ERR_OK)
			kchan_set_waiter(o->u.ep, &s->wq);
		else
			(void)chan_close(o->u.ep, sip_xo(s));
	} else if (err != ERR_OK) {
		(void)xheap_free(kchan_heap(), sip_xo(s), o->u.blk);
	}
	return err;
}

// chan_create(hash, exp_out, imp_out) -> 0 | -err
struct abi_create {
	const uint8_t *hash;
	uint8_t *exp_out, *imp_out;
};

static enum abi_fault abi_decode_chan_create(struct sip *s,
					     const struct abi_in_chan_create *in,
					     struct abi_create *d)
{
	d->hash = abi_user(s, in->hash, CONTRACT_HASH_SIZE);
	d->exp_out = abi_user(s, in->exp_out, 4);
	d->imp_out = abi_user(s, in->imp_out, 4);
	return d->hash && d->exp_out && d->imp_out ? ABI_OK : ABI_FAULT_RANGE;
}

// A failed chan_create writes handle 0 (never a valid handle) to both
// ends, so the SIP can give them back like any others and its own code
// need not write them (the verifier then sees every handle the call makes).
static abi_ret_t abi_invoke_chan_create(struct sip *s, struct abi_create *d)
{
	uint32_t he = 0, hi = 0;
	const struct contract *c = kcontract_get(d->hash);
	struct chan_endpoint *exp, *imp;
	// The channel is charged to s's account and holds c itself.
	isola_err_t err = !c ? ERR_NOTFOUND
		: s->handles.cap - s->handles.used < 2 ? ERR_LIMIT
		: chan_create(kchan_env(), c, sip_xo(s), sip_xo(s), &exp, &imp);
	if (c)
		kcontract_put(c);
	if (err == ERR_OK) {
		struct chan_obj oe = { CONTRACT_K_ENDPOINT, { .ep = exp } };
		struct chan_obj oi = { CONTRACT_K_ENDPOINT, { .ep = imp } };
		// Room for both was checked above.
		err = adopt(s, &oe, &he);
		if (err == ERR_OK)
			err = adopt(s, &oi, &hi);
	}
	abi_put_u32(d->exp_out, he);
	abi_put_u32(d->imp_out, hi);
	return err == ERR_OK ? 0 : ABI_ERR(err);
}
ABI_CALL(chan_create, struct abi_create, abi_decode_chan_create,
	 abi_invoke_chan_create)

// chan_send and chan_try_send: the endpoint, the message (copied out of
// linear memory) and the objects its moved fields name.
struct abi_send {
	struct chan_endpoint *ep;
	const struct contract_msg *m;
	uint16_t msg;
	uint32_t size;
	uint8_t buf[CONTRACT_MAX_INLINE];
	struct chan_obj objs[CONTRACT_MAX_MOVED];
	uint32_t hs[CONTRACT_MAX_MOVED];
};

// Does endpoint e fit field f of contract c (contract, side, state)? The
// channel core checks the same when it sends; checked here first, it is
// the sender's fault, found before anything moved.
static bool endpoint_fits(const struct contract *c, const struct contract_field *f,
			  struct chan_endpoint *e)
{
	if (f->ref == CONTRACT_REF_ANY)
		return true;
	const uint8_t *want = f->ref == CONTRACT_REF_SELF ? c->hash : c->refs[f->ref];
	if (memcmp(chan_endpoint_contract(e)->hash, want, CONTRACT_HASH_SIZE) != 0 ||
	    chan_endpoint_side(e) != f->side)
		return false;
	return f->state == CONTRACT_NO_STATE || chan_endpoint_state(e) == f->state;
}

// Looks up the handles in the message's moved fields and checks the
// objects against the fields: block type, endpoint contract, side and
// state, nothing moved twice.
static enum abi_fault decode_moved(struct sip *s, struct abi_send *d)
{
	const struct contract *c = chan_endpoint_contract(d->ep);
	for (size_t i = 0; i < d->m->n_moved; i++) {
		const struct contract_field *f = &d->m->fields[d->m->moved[i]];
		struct chan_obj *o = &d->objs[i];
		memcpy(&d->hs[i], d->buf + f->offset, 4);
		o->kind = f->kind;
		enum abi_fault fault = abi_decode_handle(s, d->hs[i], obj_kind(f->kind),
							 (void **)&o->u.blk);
		if (fault != ABI_OK)
			return fault;
		if (f->kind == CONTRACT_K_BLOCK ? o->u.blk->type != f->type_tag
						: !endpoint_fits(c, f, o->u.ep))
			return ABI_FAULT_PAYLOAD;
		for (size_t j = 0; j < i; j++)
			if (d->objs[j].u.blk == o->u.blk)
				return ABI_FAULT_DUPLICATE;
	}
	return ABI_OK;
}

// The protocol first: a message the state does not allow is refused as
// such, whatever its payload holds.
static enum abi_fault decode_send(struct sip *s, uint32_t h, uint32_t msg,
				  uint32_t payload, uint32_t size, struct abi_send *d)
{
	uint16_t next;
	const uint8_t *p;
	enum abi_fault f = decode_ep(s, h, &d->ep);
	if (f != ABI_OK)
		return f;
	const struct contract *c = chan_endpoint_contract(d->ep);
	if (msg >= c->n_msgs ||
	    !contract_can_send(c, chan_endpoint_side(d->ep), chan_endpoint_state(d->ep),
			       (uint16_t)msg, &next))
		return ABI_FAULT_PROTOCOL;
	d->m = &c->msgs[msg];
	d->msg = (uint16_t)msg;
	d->size = size;
	if (size != d->m->size)
		return ABI_FAULT_PAYLOAD;
	if (!(p = abi_user(s, payload, size)))
		return ABI_FAULT_RANGE;
	memcpy(d->buf, p, size);
	return decode_moved(s, d);
}

struct ready_arg {
	struct chan_endpoint *const *eps;
	size_t n;
	unsigned events;
};

static bool any_ready(void *arg)
{
	struct ready_arg *r = arg;
	for (size_t i = 0; i < r->n; i++)
		if (chan_poll(r->eps[i]) & r->events)
			return true;
	return false;
}

// Sends, waiting while an interface-form queue is full.
static isola_err_t send_waiting(struct sip *s, struct abi_send *d)
{
	struct ready_arg r = { &d->ep, 1, CHAN_EV_WRITABLE | CHAN_EV_CLOSED };
	for (;;) {
		isola_err_t err = chan_send(d->ep, sip_xo(s), d->msg, d->buf, d->size,
					    d->objs, d->m->n_moved);
		if (err != ERR_AGAIN)
			return err;
		TRY(abi_block(s, any_ready, &r, 0));
	}
}

static void set_waiters(struct abi_send *d, struct waitq *wq)
{
	for (size_t i = 0; i < d->m->n_moved; i++)
		if (d->objs[i].kind == CONTRACT_K_ENDPOINT)
			kchan_set_waiter(d->objs[i].u.ep, wq);
}

// 0 | -ERR_CLOSED, and for chan_try_send -ERR_AGAIN when an
// interface-form queue is full. ERR_CHAN_SELF and ERR_CHAN_CYCLE (an
// endpoint that may not go where it was sent: its own channel or a queue
// inside itself) are answers, not faults: a server that forwards an end a
// client gave it cannot tell beforehand. On those nothing moved and the
// SIP keeps all.
static abi_ret_t invoke_send(struct sip *s, struct abi_send *d, bool wait)
{
	set_waiters(d, NULL);
	isola_err_t err = wait ? send_waiting(s, d)
			       : chan_send(d->ep, sip_xo(s), d->msg, d->buf, d->size,
					   d->objs, d->m->n_moved);
	if (err != ERR_OK && err != ERR_CLOSED) {
		set_waiters(d, &s->wq);
		return ABI_ERR(err);
	}
	void *gone;
	for (size_t i = 0; i < d->m->n_moved; i++)
		(void)handle_take(&s->handles, d->hs[i], obj_kind(d->objs[i].kind), &gone);
	return err == ERR_OK ? 0 : ABI_ERR(err);
}

static enum abi_fault abi_decode_chan_send(struct sip *s,
					   const struct abi_in_chan_send *in,
					   struct abi_send *d)
{
	return decode_send(s, in->ep, in->msg, in->payload, in->size, d);
}

static abi_ret_t abi_invoke_chan_send(struct sip *s, struct abi_send *d)
{
	return invoke_send(s, d, true);
}
ABI_CALL(chan_send, struct abi_send, abi_decode_chan_send, abi_invoke_chan_send)

static enum abi_fault abi_decode_chan_try_send(struct sip *s,
					       const struct abi_in_chan_try_send *in,
					       struct abi_send *d)
{
	return decode_send(s, in->ep, in->msg, in->payload, in->size, d);
}

static abi_ret_t abi_invoke_chan_try_send(struct sip *s, struct abi_send *d)
{
	return invoke_send(s, d, false);
}
ABI_CALL(chan_try_send, struct abi_send, abi_decode_chan_try_send,
	 abi_invoke_chan_try_send)

// Gives the received objects handles in s's table and writes those into
// the message. If the table fills up, what is left is released and the
// message is reported as lost (ERR_LIMIT).
static isola_err_t adopt_all(struct sip *s, const struct contract *c,
			     const struct chan_msg *in, uint8_t *buf)
{
	const struct contract_msg *m = &c->msgs[in->msg];
	isola_err_t err = ERR_OK;
	for (size_t i = 0; i < in->n_moved; i++) {
		uint32_t h = 0;
		if (err == ERR_OK)
			err = adopt(s, &in->moved[i], &h);
		else if (in->moved[i].kind == CONTRACT_K_ENDPOINT)
			(void)chan_close(in->moved[i].u.ep, sip_xo(s));
		else
			(void)xheap_free(kchan_heap(), sip_xo(s), in->moved[i].u.blk);
		memcpy(buf + m->fields[m->moved[i]].offset, &h, 4);
	}
	return err;
}

// The largest message side may receive in state (*max: a receive buffer
// must hold it, docs/abi.md, whichever message comes), and whether it may
// receive there at all: not in a state that must send (the channel core's
// rule, checked here first so that it is the SIP's fault). One walk over
// the state's transitions.
static bool recv_rule(const struct contract *c, enum contract_side side,
		      uint16_t state, uint32_t *max)
{
	bool sends = false;
	if (c->form == CONTRACT_FORM_INTERFACE) {
		*max = c->max_size[contract_side_out_dir(side) ^ 1];
		return true;
	}
	*max = 0;
	const struct contract_state *st = &c->states[state];
	for (uint8_t i = 0; i < st->n_trans; i++) {
		const struct contract_trans *t = &st->trans[i];
		bool receives = side == CONTRACT_EXP ? t->exp_recv : !t->exp_recv;
		sends |= !receives;
		if (receives && c->msgs[t->msg].size > *max)
			*max = c->msgs[t->msg].size;
	}
	return !sends;
}

// chan_recv(ep, buf, size, msg_out) -> 0 | -ERR_CLOSED
struct abi_recv {
	struct chan_endpoint *ep;
	uint8_t *dst, *msg_out;
	uint32_t size;
};

static enum abi_fault abi_decode_chan_recv(struct sip *s,
					   const struct abi_in_chan_recv *in,
					   struct abi_recv *d)
{
	enum abi_fault f = decode_ep(s, in->ep, &d->ep);
	if (f != ABI_OK)
		return f;
	d->size = in->size;
	d->dst = abi_user(s, in->buf, in->size);
	d->msg_out = abi_user(s, in->msg_out, 4);
	if (!d->dst || !d->msg_out)
		return ABI_FAULT_RANGE;
	uint32_t max;
	bool may = recv_rule(chan_endpoint_contract(d->ep), chan_endpoint_side(d->ep),
			     chan_endpoint_state(d->ep), &max);
	if (d->size < max)
		return ABI_FAULT_BUFFER;
	return may ? ABI_OK : ABI_FAULT_PROTOCOL;
}

static abi_ret_t abi_invoke_chan_recv(struct sip *s, struct abi_recv *d)
{
	uint8_t buf[CONTRACT_MAX_INLINE];
	struct chan_msg in;
	struct ready_arg r = { &d->ep, 1, CHAN_EV_READABLE | CHAN_EV_CLOSED };
	size_t len = d->size < sizeof(buf) ? d->size : sizeof(buf);
	isola_err_t err;
	while ((err = chan_recv(d->ep, sip_xo(s), buf, len, &in)) == ERR_AGAIN) {
		err = abi_block(s, any_ready, &r, 0);
		if (err != ERR_OK)
			return ABI_ERR(err); // killed
	}
	if (err != ERR_OK)
		return ABI_ERR(err);
	err = adopt_all(s, chan_endpoint_contract(d->ep), &in, buf);
	memcpy(d->dst, buf, in.len);
	abi_put_u32(d->msg_out, in.msg);
	return err == ERR_OK ? 0 : ABI_ERR(err);
}
ABI_CALL(chan_recv, struct abi_recv, abi_decode_chan_recv, abi_invoke_chan_recv)

// chan_select(eps, n, timeout_ns, index_out) -> 0 | -ERR_TIMEOUT. Every
// endpoint must be in a state that receives.
enum abi_fault abi_decode_select(struct sip *s, uint32_t eps, uint32_t n,
				 int64_t timeout_ns, uint32_t index_out,
				 uint16_t kind, struct abi_select *d)
{
	const uint8_t *hp;
	if (n == 0 || n > ABI_SELECT_MAX)
		return ABI_FAULT_INVAL;
	d->n = n;
	d->index_out = abi_user(s, index_out, 4);
	hp = abi_user(s, eps, (uint64_t)n * 4);
	if (!hp || !d->index_out)
		return ABI_FAULT_RANGE;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h;
		memcpy(&h, hp + 4 * i, 4);
		enum abi_fault f = abi_decode_handle(s, h, kind, (void **)&d->eps[i]);
		if (f != ABI_OK)
			return f;
	}
	d->deadline = abi_deadline(timeout_ns);
	// The first look changes nothing (select only reports), and in it the
	// channel core checks every endpoint's state: one that must send is
	// the SIP's fault. The states cannot change while the SIP waits, so
	// the invoker's later looks cannot find one.
	d->first = chan_select(d->eps, n, sip_xo(s), s->select_next % n, &d->index);
	return d->first == ERR_CHAN_PROTOCOL ? ABI_FAULT_PROTOCOL : ABI_OK;
}

abi_ret_t abi_invoke_select(struct sip *s, struct abi_select *d)
{
	struct ready_arg r = { d->eps, d->n, CHAN_EV_READABLE | CHAN_EV_CLOSED };
	isola_err_t err = d->first;
	while (err == ERR_AGAIN) {
		err = abi_block(s, any_ready, &r, d->deadline);
		if (err != ERR_OK)
			return ABI_ERR(err); // timed out, or killed
		err = chan_select(d->eps, d->n, sip_xo(s), s->select_next % d->n,
				  &d->index);
	}
	if (err != ERR_OK)
		return ABI_ERR(err);
	s->select_next = (uint32_t)d->index + 1;
	abi_put_u32(d->index_out, (uint32_t)d->index);
	return 0;
}

static enum abi_fault abi_decode_chan_select(struct sip *s,
					     const struct abi_in_chan_select *in,
					     struct abi_select *d)
{
	return abi_decode_select(s, in->eps, in->n, in->timeout_ns, in->index_out,
				 HANDLE_KIND_ENDPOINT, d);
}
ABI_CALL(chan_select, struct abi_select, abi_decode_chan_select,
	 abi_invoke_select)

// chan_close(ep) -> 0. Handle 0, never a valid one (the ends of a
// failed chan_create), is accepted and ignored, as free(NULL) is.
static enum abi_fault abi_decode_chan_close(struct sip *s,
					    const struct abi_in_chan_close *in,
					    uint32_t *h)
{
	struct chan_endpoint *ep;
	*h = in->ep;
	return *h ? decode_ep(s, *h, &ep) : ABI_OK;
}

static abi_ret_t abi_invoke_chan_close(struct sip *s, uint32_t *h)
{
	struct chan_endpoint *ep;
	if (*h == 0 ||
	    handle_take(&s->handles, *h, HANDLE_KIND_ENDPOINT, (void **)&ep) != ERR_OK)
		return 0; // checked by the decoder
	kchan_set_waiter(ep, NULL);
	isola_err_t err = chan_close(ep, sip_xo(s));
	return err == ERR_OK ? 0 : ABI_ERR(err);
}
ABI_CALL(chan_close, uint32_t, abi_decode_chan_close, abi_invoke_chan_close)

// chan_info(ep, out) -> 0: hash, state, side, closed (36 bytes).
struct abi_info {
	struct chan_endpoint *ep;
	uint8_t *out;
};

static enum abi_fault abi_decode_chan_info(struct sip *s,
					   const struct abi_in_chan_info *in,
					   struct abi_info *d)
{
	enum abi_fault f = decode_ep(s, in->ep, &d->ep);
	return f != ABI_OK ? f : abi_decode_user(s, in->out, 36, &d->out);
}

static abi_ret_t abi_invoke_chan_info(struct sip *s, struct abi_info *d)
{
	uint16_t state = chan_endpoint_state(d->ep);
	(void)s;
	memcpy(d->out, chan_endpoint_contract(d->ep)->hash, CONTRACT_HASH_SIZE);
	memcpy(d->out + 32, &state, 2);
	d->out[34] = (uint8_t)chan_endpoint_side(d->ep);
	d->out[35] = (chan_poll(d->ep) & CHAN_EV_CLOSED) != 0;
	return 0;
}
ABI_CALL(chan_info, struct abi_info, abi_decode_chan_info, abi_invoke_chan_info)

// chan_expect(ep, hash) -> ep: stops the SIP unless ep is an endpoint of
// the contract whose 32-byte hash is at hash. What it tells the SIP's
// code, it tells the verifier too (docs/verifier-rules.md).
static enum abi_fault abi_decode_chan_expect(struct sip *s,
					     const struct abi_in_chan_expect *in,
					     uint32_t *h)
{
	struct chan_endpoint *ep;
	uint8_t *hash;
	*h = in->ep;
	enum abi_fault f = abi_decode_user(s, in->hash, CONTRACT_HASH_SIZE, &hash);
	if (f == ABI_OK)
		f = decode_ep(s, in->ep, &ep);
	if (f == ABI_OK &&
	    memcmp(chan_endpoint_contract(ep)->hash, hash, CONTRACT_HASH_SIZE) != 0)
		f = ABI_FAULT_CONTRACT;
	return f;
}

static abi_ret_t abi_invoke_chan_expect(struct sip *s, uint32_t *h)
{
	(void)s;
	return *h;
}
ABI_CALL(chan_expect, uint32_t, abi_decode_chan_expect, abi_invoke_chan_expect)

const struct abi_entry abi_chan[] = {
	ABI_ENTRY(chan_create),
	ABI_ENTRY(chan_send),
	ABI_ENTRY(chan_try_send),
	ABI_ENTRY(chan_recv),
	ABI_ENTRY(chan_select),
	ABI_ENTRY(chan_close),
	ABI_ENTRY(chan_info),
	ABI_ENTRY(chan_expect),
};
const size_t abi_chan_n = ISOLA_ARRAY_LEN(abi_chan);
