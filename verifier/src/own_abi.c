// SPDX-License-Identifier: MIT
// What the kernel ABI's calls do to the ownership analysis's state:
// blk_alloc, chan_create and eset_take make objects, blk_free and
// chan_close end them, chan_send and proc_spawn move the handles of the
// payload's moved fields and eset_put moves its endpoint into the SIP's
// endpoint set, block operations and sends use them, and chan_send/
// chan_recv are checked against the endpoint's contract and state
// (docs/abi.md).
#include "own.h"

#include <isola/fmt.h>

#include <string.h>

static const struct {
	const char *name;
	uint8_t abi;
} own_abi_names[] = {
	{"exit", OWN_ABI_EXIT},		     {"chan_create", OWN_ABI_CHAN_CREATE},
	{"chan_send", OWN_ABI_CHAN_SEND},    {"chan_recv", OWN_ABI_CHAN_RECV},
	{"chan_select", OWN_ABI_CHAN_SELECT}, {"chan_close", OWN_ABI_CHAN_CLOSE},
	{"chan_info", OWN_ABI_CHAN_INFO},    {"blk_alloc", OWN_ABI_BLK_ALLOC},
	{"blk_free", OWN_ABI_BLK_FREE},	     {"blk_len", OWN_ABI_BLK_USE},
	{"blk_read", OWN_ABI_BLK_USE},	     {"blk_write", OWN_ABI_BLK_USE},
	{"blk_load8", OWN_ABI_BLK_USE},	     {"blk_load32", OWN_ABI_BLK_USE},
	{"blk_load64", OWN_ABI_BLK_USE},     {"blk_store8", OWN_ABI_BLK_USE},
	{"blk_store32", OWN_ABI_BLK_USE},    {"blk_store64", OWN_ABI_BLK_USE},
	{"proc_spawn", OWN_ABI_PROC_SPAWN},   {"eset_put", OWN_ABI_ESET_PUT},
	{"eset_take", OWN_ABI_ESET_TAKE},    {"chan_expect", OWN_ABI_CHAN_EXPECT},
};

static enum own_abi own_abi_of(const struct vf_module *m,
			      const struct vf_import *im)
{
	if (im->module.len != 5 ||
	    memcmp(vf_range_ptr(m, im->module), "isola", 5) != 0)
		return OWN_ABI_OTHER;
	for (size_t j = 0; j < ISOLA_ARRAY_LEN(own_abi_names); j++)
		if (strlen(own_abi_names[j].name) == im->field.len &&
		    memcmp(own_abi_names[j].name, vf_range_ptr(m, im->field),
			   im->field.len) == 0)
			return (enum own_abi)own_abi_names[j].abi;
	return OWN_ABI_OTHER;
}

void own_abi_table(const struct vf_module *m, uint8_t *calls)
{
	for (uint32_t fi = 0; fi < m->nimported_funcs; fi++)
		calls[fi] = OWN_ABI_OTHER + 1;
	// The first import of a function index decides, as before.
	for (uint32_t i = m->nimports; i-- > 0;) {
		const struct vf_import *im = &m->imports[i];
		if (im->kind == VF_EXTERN_FUNC && im->index < m->nimported_funcs)
			calls[im->index] = (uint8_t)(own_abi_of(m, im) + 1);
	}
}

static struct own_obj *own_obj_of(struct own_fn *f, struct own_val v)
{
	if (v.k != OWN_H || v.v >= OWN_MAX_OBJS)
		return NULL;
	return &f->cur.objs[v.v];
}

// A handle used where the kernel would trap on a dead one.
static void own_use(struct own_fn *f, struct own_val v, const char *what)
{
	struct own_obj *o = own_obj_of(f, v);

	if (!o)
		return;
	if (o->st == OWN_FREED)
		own_error(f, ERR_SIP_OWN_FREED, "%s of a handle freed, closed or "
			  "sent before", what);
	else if (o->st == OWN_SENT)
		own_error(f, ERR_SIP_OWN_MOVED, "%s of a handle sent before", what);
	else if (o->st == OWN_OWNED)
		o->confirmed = true;
}

// A handle given up: freed/closed (to OWN_FREED) or moved (OWN_SENT).
static void own_release(struct own_fn *f, struct own_val v, uint8_t to,
			const char *what)
{
	struct own_obj *o = own_obj_of(f, v);

	if (!o)
		return;
	if (o->st == OWN_FREED)
		own_error(f, to == OWN_FREED ? ERR_SIP_OWN_DOUBLE_FREE
					     : ERR_SIP_OWN_FREED,
			  "%s of a handle freed or closed before", what);
	else if (o->st == OWN_SENT)
		own_error(f, ERR_SIP_OWN_MOVED, "%s of a handle sent before", what);
	else if (o->st == OWN_OWNED)
		o->st = to;
}

// The contract whose 32-byte hash is at constant address addr in an
// active data segment, or NULL.
static const struct contract *own_contract_at(struct own_fn *f,
					      struct own_val addr)
{
	const struct vf_module *m = f->m;

	if (addr.k != OWN_CONST)
		return NULL;
	own_charge(f, m->ndatas);
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct vf_data *d = &m->datas[i];
		if (d->mode != VF_SEG_ACTIVE || d->offset.kind != VF_CONST_I32)
			continue;
		uint32_t base = (uint32_t)d->offset.value;
		if (addr.v < base || addr.v - base > d->bytes.len ||
		    d->bytes.len - (addr.v - base) < CONTRACT_HASH_SIZE)
			continue;
		const uint8_t *h = m->bytes + d->bytes.off + (addr.v - base);
		for (uint32_t j = 0; j < f->in->ncontracts; j++)
			if (memcmp(f->in->contracts[j]->hash, h,
				   CONTRACT_HASH_SIZE) == 0)
				return f->in->contracts[j];
	}
	return NULL;
}

// Where chan_create writes a new handle: a frame slot, or untracked.
static void own_put_handle(struct own_fn *f, struct own_val at, uint32_t o)
{
	if (o >= OWN_MAX_OBJS)
		return;
	if (at.k == OWN_SP) {
		own_slot_set(&f->cur, (int32_t)at.v, (struct own_val){OWN_H, o});
		return;
	}
	f->cur.objs[o].st = OWN_MAYBE;
	own_note(f, ERR_SIP_OWN_UNTRACKED, "chan_create writes its handles "
		 "outside the stack frame");
}

static void own_chan_create(struct own_fn *f, struct own_val *a)
{
	const struct contract *c = own_contract_at(f, a[0]);
	uint32_t oe = own_new_obj(f, 0, OWN_K_EP);
	uint32_t oi = own_new_obj(f, 1, OWN_K_EP);

	for (int i = 0; i < 2; i++) {
		uint32_t o = i ? oi : oe;
		if (o >= OWN_MAX_OBJS)
			continue;
		f->cur.objs[o].c = c;
		f->cur.objs[o].side = i ? CONTRACT_IMP : CONTRACT_EXP;
		f->cur.objs[o].pstate = c ? 0 : OWN_NO_STATE;
	}
	own_put_handle(f, a[1], oe);
	own_put_handle(f, a[2], oi);
}

// "a!, b?": the messages side may send (!) or receive (?) in state.
static void own_allowed(const struct contract *c, uint8_t side, uint16_t st,
			char *buf, size_t len)
{
	size_t n = 0;
	uint16_t next;

	buf[0] = '\0';
	for (uint16_t i = 0; i < c->n_msgs && n + 1 < len; i++) {
		bool s = contract_can_send(c, side, st, i, &next);
		bool r = contract_can_recv(c, side, st, i, &next);
		if (!s && !r)
			continue;
		isola_snprintf(buf + n, len - n, "%s%.*s%s", n ? ", " : "",
			       (int)c->msgs[i].name_len, c->msgs[i].name,
			       s ? "!" : "?");
		n = strlen(buf);
	}
	if (n == 0)
		isola_snprintf(buf, len, "nothing");
}

static void own_send_protocol(struct own_fn *f, struct own_obj *o,
			      struct own_val msg)
{
	const struct contract *c = o->c;
	uint16_t next;
	char allowed[64];

	if (!c || msg.k != OWN_CONST)
		return;
	if (msg.v >= c->n_msgs) {
		own_error(f, ERR_SIP_OWN_MSG, "message %u; '%.*s' has %u", msg.v,
			  (int)c->name_len, c->name, c->n_msgs);
		return;
	}
	if (o->pstate == OWN_NO_STATE)
		return;
	if (contract_can_send(c, o->side, o->pstate, (uint16_t)msg.v, &next)) {
		o->pstate = next;
		return;
	}
	own_allowed(c, o->side, o->pstate, allowed, sizeof(allowed));
	own_error(f, ERR_SIP_OWN_SEND, "'%.*s' sent in state '%.*s'; allowed "
		  "here: %s", (int)c->msgs[msg.v].name_len, c->msgs[msg.v].name,
		  (int)c->states[o->pstate].name_len, c->states[o->pstate].name,
		  allowed);
}

// The moved fields of message cm in the payload at frame address at.
static void own_release_moved(struct own_fn *f, const struct contract_msg *cm,
			      struct own_val at)
{
	for (uint8_t i = 0; i < cm->n_moved && !f->stop; i++) {
		const struct contract_field *fl = &cm->fields[cm->moved[i]];
		struct own_val *v = own_slot_find(&f->cur,
						  (int32_t)(at.v + fl->offset));
		if (v)
			own_release(f, own_read(&f->cur, *v), OWN_SENT, "send");
	}
}

// The moved fields of message msg of contract c in the payload at at.
static void own_send_moved(struct own_fn *f, const struct contract *c,
			   struct own_val msg, struct own_val at)
{
	if (c && msg.k == OWN_CONST && msg.v < c->n_msgs && at.k == OWN_SP)
		own_release_moved(f, &c->msgs[msg.v], at);
}

// Whether messages a and b move handles at the same offsets. Their kinds
// need not agree: a send whose handle is of another kind than the field's
// stops the SIP, so after a send that returns, what was at those offsets
// has moved either way.
static bool own_same_moves(const struct contract_msg *a,
			   const struct contract_msg *b)
{
	if (a->n_moved != b->n_moved)
		return false;
	for (uint8_t i = 0; i < a->n_moved; i++)
		if (a->fields[a->moved[i]].offset != b->fields[b->moved[i]].offset)
			return false;
	return true;
}

// A send on an endpoint whose contract the analysis does not know (one
// received, or kept by a caller). The kernel takes the message only if its
// size is exactly that of message msg of the endpoint's contract, so when
// every contract the SIP declares agrees on the offsets message msg of
// that size moves, those are the moved ones; otherwise the handles in
// the payload are lost to the analysis, as they are when no declared
// contract has such a message (the endpoint's contract is one the SIP
// does not declare, received from another SIP).
static void own_send_unknown(struct own_fn *f, struct own_val *a)
{
	const struct contract_msg *first = NULL;
	bool agree = true;

	if (a[2].k != OWN_SP)
		return; // a payload outside the frame holds no handle followed
	if (a[1].k != OWN_CONST || a[3].k != OWN_CONST || !f->in->all_system)
		agree = false;
	for (uint32_t i = 0; i < f->in->ncontracts && agree; i++) {
		const struct contract *c = f->in->contracts[i];
		if (a[1].v >= c->n_msgs || c->msgs[a[1].v].size != a[3].v)
			continue;
		if (!first)
			first = &c->msgs[a[1].v];
		else
			agree = own_same_moves(first, &c->msgs[a[1].v]);
	}
	if (first && agree) {
		own_release_moved(f, first, a[2]);
		return;
	}
	uint32_t len = a[3].k == OWN_CONST ? a[3].v : 0; // 0: to the end
	own_slots_escape(f, (int32_t)a[2].v, len, "handle in the payload of a "
			 "send on an endpoint of unknown contract");
	own_slots_clobber(&f->cur, (int32_t)a[2].v, len);
}

static void own_chan_send(struct own_fn *f, struct own_val *a)
{
	struct own_obj *o = own_obj_of(f, a[0]);

	own_use(f, a[0], "send");
	if (!f->stop && (!o || !o->c))
		own_send_unknown(f, a);
	if (f->stop || !o || !o->c)
		return;
	if (o->st == OWN_OWNED)
		own_send_protocol(f, o, a[1]);
	if (!f->stop && (o->st == OWN_OWNED || o->st == OWN_MAYBE))
		own_send_moved(f, o->c, a[1], a[2]);
}

static void own_chan_recv(struct own_fn *f, struct own_val *a)
{
	struct own_obj *o = own_obj_of(f, a[0]);
	char allowed[64];

	own_use(f, a[0], "receive");
	if (a[1].k == OWN_SP)
		own_slots_clobber(&f->cur, (int32_t)a[1].v,
				  a[2].k == OWN_CONST ? a[2].v : 0);
	if (a[3].k == OWN_SP)
		own_slots_clobber(&f->cur, (int32_t)a[3].v, 4);
	if (f->stop || !o || o->st != OWN_OWNED || !o->c ||
	    o->pstate == OWN_NO_STATE)
		return;
	const struct contract *c = o->c;
	if (!contract_state_receives(c, o->side, o->pstate)) {
		own_allowed(c, o->side, o->pstate, allowed, sizeof(allowed));
		own_error(f, ERR_SIP_OWN_RECV, "state '%.*s'; allowed here: %s",
			  (int)c->states[o->pstate].name_len,
			  c->states[o->pstate].name, allowed);
		return;
	}
	// One possible message: its next state is known.
	uint16_t next = OWN_NO_STATE, nx;
	uint32_t count = 0;
	for (uint16_t i = 0; i < c->n_msgs; i++)
		if (contract_can_recv(c, o->side, o->pstate, i, &nx))
			count++, next = nx;
	o->pstate = count == 1 ? next : OWN_NO_STATE;
}

// proc_spawn's endpoints: n handles at eps move to the new SIP.
static void own_spawn(struct own_fn *f, struct own_val *a)
{
	if (a[3].k != OWN_SP)
		return;
	if (a[4].k != OWN_CONST || a[4].v > 64) {
		own_slots_clobber(&f->cur, (int32_t)a[3].v, 0);
		return;
	}
	for (uint32_t i = 0; i < a[4].v && !f->stop; i++) {
		struct own_val *v = own_slot_find(&f->cur,
						  (int32_t)(a[3].v + 4 * i));
		if (!v)
			continue;
		struct own_val h = own_read(&f->cur, *v);
		struct own_obj *o = own_obj_of(f, h);
		// A failed spawn moves nothing (docs/abi.md): either may be.
		own_release(f, h, OWN_SENT, "spawn");
		if (o && o->st == OWN_SENT)
			o->st = OWN_MAYBE;
	}
}

// Any other call: the kernel may write where a frame address points.
static void own_clobber_args(struct own_fn *f, struct own_val *a, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (a[i].k == OWN_SP)
			own_slots_clobber(&f->cur, (int32_t)a[i].v, 0);
}

// eset_take(key, hash): the kernel stops the SIP on a key that names no
// parked endpoint, or one of another contract than hash names, so the
// result is an endpoint this function owns, of that contract when hash
// is a constant the analysis can read; its protocol state is unknown.
static struct own_val own_eset_take(struct own_fn *f, struct own_val *a)
{
	uint32_t o = own_new_obj(f, 0, OWN_K_EP);

	if (o >= OWN_MAX_OBJS)
		return (struct own_val){OWN_TOP, 0};
	f->cur.objs[o].confirmed = true;
	f->cur.objs[o].c = own_contract_at(f, a[1]);
	return (struct own_val){OWN_H, o};
}

// chan_expect(ep, hash): the kernel stops the SIP unless ep is of the
// contract hash names, so ep's contract is known from here on. An ep the
// analysis did not know gets an object of unknown ownership, which only
// carries the contract (no leak is claimed for it).
static struct own_val own_chan_expect(struct own_fn *f, struct own_val *a)
{
	const struct contract *c = own_contract_at(f, a[1]);
	struct own_obj *o = own_obj_of(f, a[0]);

	own_use(f, a[0], "chan_expect");
	if (o) {
		if (!o->c && c)
			o->c = c, o->kind = OWN_K_EP;
		return a[0];
	}
	uint32_t n = c ? own_new_obj(f, 0, OWN_K_EP) : OWN_MAX_OBJS;
	if (n >= OWN_MAX_OBJS)
		return (struct own_val){OWN_TOP, 0};
	f->cur.objs[n].st = OWN_MAYBE;
	f->cur.objs[n].c = c;
	return (struct own_val){OWN_H, n};
}

void own_abi_call(struct own_fn *f, enum own_abi abi, struct own_val *a,
		  uint32_t n, uint32_t nresults)
{
	struct own_val res = {OWN_TOP, 0};
	uint32_t o;

	switch (abi) {
	case OWN_ABI_EXIT: f->cur.live = false; return;
	case OWN_ABI_CHAN_CREATE: own_chan_create(f, a); break;
	case OWN_ABI_CHAN_SEND: own_chan_send(f, a); break;
	case OWN_ABI_CHAN_RECV: own_chan_recv(f, a); break;
	case OWN_ABI_CHAN_CLOSE: own_release(f, a[0], OWN_FREED, "close"); break;
	case OWN_ABI_CHAN_INFO:
		own_use(f, a[0], "chan_info");
		own_clobber_args(f, a + 1, 1);
		break;
	case OWN_ABI_BLK_ALLOC:
		o = own_new_obj(f, 0, OWN_K_BLOCK);
		if (o < OWN_MAX_OBJS)
			res = (struct own_val){OWN_H, o};
		break;
	case OWN_ABI_BLK_FREE: own_release(f, a[0], OWN_FREED, "free"); break;
	case OWN_ABI_BLK_USE:
		own_use(f, a[0], "block access");
		own_clobber_args(f, a + 1, n - 1);
		break;
	case OWN_ABI_PROC_SPAWN: own_spawn(f, a); break;
	case OWN_ABI_ESET_PUT:
		own_release(f, a[0], OWN_SENT, "eset_put");
		break;
	case OWN_ABI_ESET_TAKE: res = own_eset_take(f, a); break;
	case OWN_ABI_CHAN_EXPECT: res = own_chan_expect(f, a); break;
	default: own_clobber_args(f, a, n); break;
	}
	if (f->stop || !f->cur.live)
		return;
	for (uint32_t i = 0; i < nresults; i++)
		own_push(f, i == 0 ? res : (struct own_val){OWN_TOP, 0});
}
