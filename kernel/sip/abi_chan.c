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

// The signatures come from common/include/isola/abi.def (abi.c defines
// them), so the binding table cannot disagree with the verifier's check.
#define ISOLA_ABI(name, np, nr, ...) extern const struct vf_functype abi_type_##name;
#include <isola/abi.def>
#undef ISOLA_ABI
#define ABI_ENTRY(name, fn) { #name, &abi_type_##name, fn }


#define SELECT_MAX 64

static uint16_t obj_kind(uint8_t contract_kind)
{
	return contract_kind == CONTRACT_K_BLOCK ? HANDLE_KIND_BLOCK
						 : HANDLE_KIND_ENDPOINT;
}

static isola_err_t get_ep(struct sip *s, uint32_t h, struct chan_endpoint **ep)
{
	return handle_get(&s->handles, h, HANDLE_KIND_ENDPOINT, (void **)ep);
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

// A failed chan_create: both handles 0 (never a valid handle), so the
// SIP can give the ends back like any others and its own code need not
// write them (the verifier then sees every handle the call makes).
static isola_err_t create_failed(struct sip *s, uint64_t *a, isola_err_t err)
{
	TRY(abi_put_u32(s, (uint32_t)a[1], 0));
	TRY(abi_put_u32(s, (uint32_t)a[2], 0));
	return abi_ret_err(a, err);
}

// chan_create(hash, exp_out, imp_out) -> 0 | -err
static isola_err_t abi_create(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	const uint8_t *hash = abi_user(s, (uint32_t)a[0], CONTRACT_HASH_SIZE);
	if (!hash || !abi_user(s, (uint32_t)a[1], 4) || !abi_user(s, (uint32_t)a[2], 4))
		return ERR_ABI_RANGE;
	const struct contract *c = kcontract_get(hash);
	if (!c)
		return create_failed(s, a, ERR_NOTFOUND);
	struct chan_endpoint *exp, *imp;
	// The channel is charged to s's account and holds c itself.
	isola_err_t err = s->handles.cap - s->handles.used < 2 ? ERR_LIMIT
		: chan_create(kchan_env(), c, sip_xo(s), sip_xo(s), &exp, &imp);
	kcontract_put(c);
	if (err != ERR_OK)
		return create_failed(s, a, err);
	uint32_t he, hi;
	struct chan_obj oe = { CONTRACT_K_ENDPOINT, { .ep = exp } };
	struct chan_obj oi = { CONTRACT_K_ENDPOINT, { .ep = imp } };
	if (adopt(s, &oe, &he) != ERR_OK || adopt(s, &oi, &hi) != ERR_OK)
		return ERR_INTERNAL; // room was checked above
	TRY(abi_put_u32(s, (uint32_t)a[1], he));
	TRY(abi_put_u32(s, (uint32_t)a[2], hi));
	a[0] = 0;
	return ERR_OK;
}

// Looks up the handles in a message's moved fields.
static isola_err_t collect_moved(struct sip *s, const struct contract_msg *m,
				 const uint8_t *payload, struct chan_obj *objs,
				 uint32_t *hs)
{
	for (size_t i = 0; i < m->n_moved; i++) {
		const struct contract_field *f = &m->fields[m->moved[i]];
		memcpy(&hs[i], payload + f->offset, 4);
		objs[i].kind = f->kind;
		TRY(handle_get(&s->handles, hs[i], obj_kind(f->kind),
			       (void **)&objs[i].u.blk));
	}
	return ERR_OK;
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
static isola_err_t send_waiting(struct sip *s, struct chan_endpoint *ep,
				uint16_t msg, const uint8_t *buf, size_t len,
				const struct chan_obj *objs, size_t n)
{
	struct ready_arg r = { &ep, 1, CHAN_EV_WRITABLE | CHAN_EV_CLOSED };
	for (;;) {
		isola_err_t err = chan_send(ep, sip_xo(s), msg, buf, len, objs, n);
		if (err != ERR_AGAIN)
			return err;
		TRY(abi_block(s, any_ready, &r, 0));
	}
}

// chan_send / chan_try_send (ep, msg, payload, size) -> 0 | -ERR_CLOSED,
// and for chan_try_send -ERR_AGAIN when an interface-form queue is full
// (nothing moved). wait says which.
static isola_err_t send(struct sip *s, uint64_t *a, bool wait)
{
	struct chan_endpoint *ep;
	TRY(get_ep(s, (uint32_t)a[0], &ep));
	const struct contract *c = chan_endpoint_contract(ep);
	uint32_t msg = (uint32_t)a[1], size = (uint32_t)a[3];
	uint16_t next;
	// The protocol first: a message the state does not allow is refused
	// as such, whatever its payload holds.
	if (msg >= c->n_msgs ||
	    !contract_can_send(c, chan_endpoint_side(ep), chan_endpoint_state(ep),
			       (uint16_t)msg, &next))
		return ERR_CHAN_PROTOCOL;
	const struct contract_msg *m = &c->msgs[msg];
	if (size != m->size)
		return ERR_CHAN_PAYLOAD;
	const uint8_t *p = abi_user(s, (uint32_t)a[2], size);
	if (!p)
		return ERR_ABI_RANGE;
	uint8_t buf[CONTRACT_MAX_INLINE];
	memcpy(buf, p, size);
	struct chan_obj objs[CONTRACT_MAX_MOVED];
	uint32_t hs[CONTRACT_MAX_MOVED];
	TRY(collect_moved(s, m, buf, objs, hs));
	for (size_t i = 0; i < m->n_moved; i++)
		if (objs[i].kind == CONTRACT_K_ENDPOINT)
			kchan_set_waiter(objs[i].u.ep, NULL);
	isola_err_t err = wait ? send_waiting(s, ep, (uint16_t)msg, buf, size,
					      objs, m->n_moved)
			       : chan_send(ep, sip_xo(s), (uint16_t)msg, buf, size,
					   objs, m->n_moved);
	// Full (and not waiting), or an endpoint that may not go where it
	// was sent: its own channel or a queue inside itself. A server that
	// forwards an end a client gave it cannot tell beforehand, so these
	// are answers, not faults: nothing moved, the SIP keeps all.
	if (err == ERR_AGAIN || err == ERR_CHAN_SELF || err == ERR_CHAN_CYCLE) {
		for (size_t i = 0; i < m->n_moved; i++)
			if (objs[i].kind == CONTRACT_K_ENDPOINT)
				kchan_set_waiter(objs[i].u.ep, &s->wq);
		return abi_ret_err(a, err);
	}
	if (err != ERR_OK && err != ERR_CLOSED)
		return err; // a protocol or payload error stops the SIP
	void *gone;
	for (size_t i = 0; i < m->n_moved; i++)
		(void)handle_take(&s->handles, hs[i], obj_kind(objs[i].kind), &gone);
	return err == ERR_OK ? (a[0] = 0, ERR_OK) : abi_ret_err(a, err);
}

static isola_err_t abi_send(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)th;
	return send(ctx, a, true);
}

static isola_err_t abi_try_send(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)th;
	return send(ctx, a, false);
}

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

// The largest message side may receive in state: a receive buffer must
// hold it (docs/abi.md), whichever message comes.
static uint32_t recv_max(const struct contract *c, enum contract_side side,
			 uint16_t state)
{
	if (c->form == CONTRACT_FORM_INTERFACE)
		return c->max_size[contract_side_out_dir(side) ^ 1];
	uint32_t max = 0;
	const struct contract_state *st = &c->states[state];
	for (uint8_t i = 0; i < st->n_trans; i++) {
		const struct contract_trans *t = &st->trans[i];
		bool receives = side == CONTRACT_EXP ? t->exp_recv : !t->exp_recv;
		if (receives && c->msgs[t->msg].size > max)
			max = c->msgs[t->msg].size;
	}
	return max;
}

// chan_recv(ep, buf, size, msg_out) -> 0 | -ERR_CLOSED
static isola_err_t abi_recv(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct chan_endpoint *ep;
	TRY(get_ep(s, (uint32_t)a[0], &ep));
	uint32_t size = (uint32_t)a[2];
	uint8_t *dst = abi_user(s, (uint32_t)a[1], size);
	if (!dst || !abi_user(s, (uint32_t)a[3], 4))
		return ERR_ABI_RANGE;
	if (size < recv_max(chan_endpoint_contract(ep), chan_endpoint_side(ep),
			    chan_endpoint_state(ep)))
		return ERR_CHAN_BUFFER;
	uint8_t buf[CONTRACT_MAX_INLINE];
	struct chan_msg in;
	struct ready_arg r = { &ep, 1, CHAN_EV_READABLE | CHAN_EV_CLOSED };
	isola_err_t err;
	while ((err = chan_recv(ep, sip_xo(s), buf,
				size < sizeof(buf) ? size : sizeof(buf), &in)) == ERR_AGAIN)
		TRY(abi_block(s, any_ready, &r, 0));
	if (err == ERR_CLOSED)
		return abi_ret_err(a, err);
	TRY(err); // a receive the state does not allow, a short buffer
	err = adopt_all(s, chan_endpoint_contract(ep), &in, buf);
	memcpy(dst, buf, in.len);
	TRY(abi_put_u32(s, (uint32_t)a[3], in.msg));
	return err == ERR_OK ? (a[0] = 0, ERR_OK) : abi_ret_err(a, err);
}

// chan_select(eps, n, timeout_ns, index_out) -> 0 | -ERR_TIMEOUT
static isola_err_t abi_select(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)th;
	return abi_select_kind(ctx, a, HANDLE_KIND_ENDPOINT);
}

isola_err_t abi_select_kind(struct sip *s, uint64_t *a, uint16_t kind)
{
	uint32_t n = (uint32_t)a[1];
	if (n == 0 || n > SELECT_MAX)
		return ERR_INVAL;
	const uint8_t *hp = abi_user(s, (uint32_t)a[0], (uint64_t)n * 4);
	if (!hp || !abi_user(s, (uint32_t)a[3], 4))
		return ERR_ABI_RANGE;
	struct chan_endpoint *eps[SELECT_MAX];
	for (uint32_t i = 0; i < n; i++) {
		uint32_t h;
		memcpy(&h, hp + 4 * i, 4);
		TRY(handle_get(&s->handles, h, kind, (void **)&eps[i]));
	}
	uint64_t deadline = abi_deadline((int64_t)a[2]);
	struct ready_arg r = { eps, n, CHAN_EV_READABLE | CHAN_EV_CLOSED };
	size_t index;
	isola_err_t err;
	while ((err = chan_select(eps, n, sip_xo(s), s->select_next % n, &index)) == ERR_AGAIN) {
		err = abi_block(s, any_ready, &r, deadline);
		if (err == ERR_TIMEOUT)
			return abi_ret_err(a, err);
		TRY(err);
	}
	TRY(err);
	s->select_next = (uint32_t)index + 1;
	TRY(abi_put_u32(s, (uint32_t)a[3], (uint32_t)index));
	a[0] = 0;
	return ERR_OK;
}

// chan_close(ep) -> 0. Handle 0, never a valid one (the ends of a
// failed chan_create), is accepted and ignored, as free(NULL) is.
static isola_err_t abi_close(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct chan_endpoint *ep;
	if ((uint32_t)a[0] == 0)
		return a[0] = 0, ERR_OK;
	TRY(handle_take(&s->handles, (uint32_t)a[0], HANDLE_KIND_ENDPOINT,
			(void **)&ep));
	kchan_set_waiter(ep, NULL);
	TRY(chan_close(ep, sip_xo(s)));
	a[0] = 0;
	return ERR_OK;
}

// chan_info(ep, out) -> 0: hash, state, side, closed (36 bytes).
static isola_err_t abi_info(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct chan_endpoint *ep;
	TRY(get_ep(s, (uint32_t)a[0], &ep));
	uint8_t *out = abi_user(s, (uint32_t)a[1], 36);
	if (!out)
		return ERR_ABI_RANGE;
	uint16_t state = chan_endpoint_state(ep);
	memcpy(out, chan_endpoint_contract(ep)->hash, CONTRACT_HASH_SIZE);
	memcpy(out + 32, &state, 2);
	out[34] = (uint8_t)chan_endpoint_side(ep);
	out[35] = (chan_poll(ep) & CHAN_EV_CLOSED) != 0;
	a[0] = 0;
	return ERR_OK;
}

// chan_expect(ep, hash) -> ep: stops the SIP unless ep is an endpoint of
// the contract whose 32-byte hash is at hash. What it tells the SIP's
// code, it tells the verifier too (docs/verifier-rules.md).
static isola_err_t abi_expect(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct chan_endpoint *ep;
	const uint8_t *hash = abi_user(s, (uint32_t)a[1], CONTRACT_HASH_SIZE);
	if (!hash)
		return ERR_ABI_RANGE;
	TRY(get_ep(s, (uint32_t)a[0], &ep));
	if (memcmp(chan_endpoint_contract(ep)->hash, hash, CONTRACT_HASH_SIZE) != 0)
		return ERR_CHAN_CONTRACT;
	return ERR_OK; // the result is ep, already in a[0]
}

const struct abi_entry abi_chan[] = {
	ABI_ENTRY(chan_create, abi_create),
	ABI_ENTRY(chan_send, abi_send),
	ABI_ENTRY(chan_try_send, abi_try_send),
	ABI_ENTRY(chan_recv, abi_recv),
	ABI_ENTRY(chan_select, abi_select),
	ABI_ENTRY(chan_close, abi_close),
	ABI_ENTRY(chan_info, abi_info),
	ABI_ENTRY(chan_expect, abi_expect),
};
const size_t abi_chan_n = ISOLA_ARRAY_LEN(abi_chan);
