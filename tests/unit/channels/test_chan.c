// SPDX-License-Identifier: MIT
// The channel core against the kv contract (state form) and the timer
// interface: every illegal (state, message, side) is refused with
// ERR_CHAN_PROTOCOL and moves nothing, every legal one passes; a sent
// block or endpoint is dead for the sender at once; close releases what was
// queued; payload, ownership and select errors.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "support.h"

static const char kv_src[] =
	"contract kv {\n"
	"  in message get(bytes key);\n"
	"  in message put(bytes key, bytes value);\n"
	"  out message found(bytes value);\n"
	"  out message missing();\n"
	"  out message stored();\n"
	"  in message quit();\n"
	"  state ready { get? -> answering; put? -> storing; quit? -> done; }\n"
	"  state answering { found! -> ready; missing! -> ready; }\n"
	"  state storing { stored! -> ready; }\n"
	"  state done { }\n"
	"}\n"
	"contract holder {\n"
	"  in message give(kv.imp@ready client, uint32 tag);\n"
	"  out message back(kv.imp@ready client);\n"
	"  out message ack();\n"
	"  state s { give? -> t; }\n"
	"  state t { back! -> s; ack! -> s; }\n"
	"}\n"
	"contract sr {\n"
	"  in message give(sr.exp@a e); out message ok();\n"
	"  state a { give? -> b; } state b { ok! -> a; }\n"
	"}\n"
	"interface relay {\n"
	"  message pass(endpoint e);\n"
	"  message two(endpoint a, endpoint b);\n"
	"}\n";

static const char timer_src[] =
	"interface timer \"Timer service\" {\n"
	"  message set_timeout(uint64 timeout);\n"
	"  message add_to_timeout(uint64 increment);\n"
	"  message cancel_timeout();\n"
	"  message wakeup();\n"
	"  message get_remaining();\n"
	"  message remaining(uint64 time);\n"
	"};\n";

struct fix {
	struct host_env h;
	struct xheap_owner client, service;
	const struct contract *kv;
	struct chan_endpoint *exp, *imp;
};

static int setup(void **state)
{
	static struct fix fx;
	memset(&fx, 0, sizeof(fx));
	host_env_init(&fx.h);
	xheap_owner_init(&fx.h.xh, &fx.client);
	xheap_owner_init(&fx.h.xh, &fx.service);
	fx.kv = test_contract(kv_src, "kv");
	assert_int_equal(chan_create(&fx.h.env, fx.kv, &fx.service, &fx.client,
				     &fx.exp, &fx.imp), ERR_OK);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fix *fx = *state;
	if (fx->exp)
		assert_int_equal(chan_close(fx->exp, &fx->service), ERR_OK);
	if (fx->imp)
		assert_int_equal(chan_close(fx->imp, &fx->client), ERR_OK);
	xheap_owner_release(&fx->h.xh, &fx->client);
	xheap_owner_release(&fx->h.xh, &fx->service);
	xheap_owner_fini(&fx->h.xh, &fx->client);
	xheap_owner_fini(&fx->h.xh, &fx->service);
	host_env_fini(&fx->h);
	test_contracts_free();
	return 0;
}

// Sends msg with zero scalars and fresh blocks for its block fields. On
// any error the blocks must still belong to the sender: it frees them.
static isola_err_t send_fresh(struct fix *fx, struct chan_endpoint *ep,
			      struct xheap_owner *o, uint16_t msg)
{
	const struct contract *c = chan_endpoint_contract(ep);
	const struct contract_msg *m = &c->msgs[msg];
	uint8_t data[CONTRACT_MAX_INLINE] = { 0 };
	struct chan_obj mv[CONTRACT_MAX_MOVED];
	for (uint8_t i = 0; i < m->n_moved; i++) {
		const struct contract_field *f = &m->fields[m->moved[i]];
		assert_int_equal(f->kind, CONTRACT_K_BLOCK);
		mv[i].kind = CONTRACT_K_BLOCK;
		assert_int_equal(xheap_alloc(&fx->h.xh, o, 32, f->type_tag, &mv[i].u.blk), ERR_OK);
	}
	isola_err_t err = chan_send(ep, o, msg, data, m->size, mv, m->n_moved);
	for (uint8_t i = 0; err != ERR_OK && err != ERR_CLOSED && i < m->n_moved; i++)
		assert_int_equal(xheap_free(&fx->h.xh, o, mv[i].u.blk), ERR_OK);
	return err;
}

// Receives one message and frees the blocks it brought.
static isola_err_t recv_free(struct fix *fx, struct chan_endpoint *ep,
			     struct xheap_owner *o, uint16_t *msg)
{
	uint8_t buf[CONTRACT_MAX_INLINE];
	struct chan_msg m;
	isola_err_t err = chan_recv(ep, o, buf, sizeof(buf), &m);
	if (err != ERR_OK)
		return err;
	*msg = m.msg;
	for (uint8_t i = 0; i < m.n_moved; i++) {
		assert_int_equal(m.moved[i].kind, CONTRACT_K_BLOCK);
		assert_ptr_equal(xheap_block_owner(m.moved[i].u.blk), o);
		assert_int_equal(xheap_free(&fx->h.xh, o, m.moved[i].u.blk), ERR_OK);
	}
	return ERR_OK;
}

// The legal sends of kv, written out independently of the implementation:
// {state, side, message}.
static const struct {
	const char *state, *msg;
	enum contract_side side;
} kv_legal[] = {
	{ "ready", "get", CONTRACT_IMP },      { "ready", "put", CONTRACT_IMP },
	{ "ready", "quit", CONTRACT_IMP },     { "answering", "found", CONTRACT_EXP },
	{ "answering", "missing", CONTRACT_EXP }, { "storing", "stored", CONTRACT_EXP },
};

// A message that leads from ready to each state (NULL: none needed).
static const char *path_to(const char *state)
{
	if (!strcmp(state, "answering"))
		return "get";
	if (!strcmp(state, "storing"))
		return "put";
	if (!strcmp(state, "done"))
		return "quit";
	return NULL;
}

static bool is_legal(const char *state, const char *msg, enum contract_side side)
{
	for (size_t i = 0; i < sizeof(kv_legal) / sizeof(kv_legal[0]); i++)
		if (!strcmp(kv_legal[i].state, state) && !strcmp(kv_legal[i].msg, msg) &&
		    kv_legal[i].side == side)
			return true;
	return false;
}

static void drive_to(struct fix *fx, const char *state)
{
	const char *m = path_to(state);
	uint16_t got;
	if (!m)
		return;
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, m)), ERR_OK);
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_OK);
	assert_int_equal(got, test_msg(fx->kv, m));
	assert_int_equal(chan_endpoint_state(fx->exp), test_state(fx->kv, state));
	assert_int_equal(chan_endpoint_state(fx->imp), test_state(fx->kv, state));
}

static void test_every_state_message_side(void **state)
{
	static const char *states[] = { "ready", "answering", "storing", "done" };
	static const char *msgs[] = { "get", "put", "found", "missing", "stored", "quit" };
	unsigned legal = 0, refused = 0;
	teardown(state);
	for (size_t s = 0; s < 4; s++) {
		for (size_t m = 0; m < 6; m++) {
			for (int side = CONTRACT_EXP; side <= CONTRACT_IMP; side++) {
				setup(state);
				struct fix *fx = *state;
				drive_to(fx, states[s]);
				struct chan_endpoint *ep = side == CONTRACT_EXP ? fx->exp : fx->imp;
				struct chan_endpoint *peer = side == CONTRACT_EXP ? fx->imp : fx->exp;
				struct xheap_owner *o = side == CONTRACT_EXP ? &fx->service : &fx->client;
				struct xheap_owner *po = side == CONTRACT_EXP ? &fx->client : &fx->service;
				uint16_t id = test_msg(fx->kv, msgs[m]), got;
				isola_err_t err = send_fresh(fx, ep, o, id);
				if (is_legal(states[s], msgs[m], (enum contract_side)side)) {
					assert_int_equal(err, ERR_OK);
					assert_int_equal(recv_free(fx, peer, po, &got), ERR_OK);
					assert_int_equal(got, id);
					legal++;
				} else {
					assert_int_equal(err, ERR_CHAN_PROTOCOL);
					assert_int_equal(chan_endpoint_state(ep),
							 test_state(fx->kv, states[s]));
					refused++;
				}
				teardown(state);
			}
		}
	}
	assert_int_equal(legal, 6);
	assert_int_equal(refused, 4 * 6 * 2 - 6);
	setup(state);
}

// Every legal sequence of up to SEQ_DEPTH operations on kv passes: at each
// step every legal send of either side and every pending receive is tried,
// each sequence replayed on a fresh channel.
enum { SEQ_DEPTH = 12 };

struct seq_op {
	int side; // who acts
	int msg; // message sent, or -1 for a receive
};

static bool seq_next_state(const struct contract *c, int side, uint16_t st, uint16_t msg,
			   bool send, uint16_t *next)
{
	// The exporter receives `in` messages: exp_recv is set on those.
	bool exp_recv = (side == CONTRACT_EXP) != send;
	const struct contract_state *s = &c->states[st];
	for (int t = 0; t < s->n_trans; t++)
		if (s->trans[t].msg == msg && s->trans[t].exp_recv == exp_recv) {
			*next = s->trans[t].next;
			return true;
		}
	return false;
}

static unsigned seq_count;

static void seq_replay(struct fix *fx, const struct seq_op *ops, int n)
{
	struct chan_endpoint *ep[2];
	struct xheap_owner *own[2] = { &fx->service, &fx->client };
	assert_int_equal(chan_create(&fx->h.env, fx->kv, own[0], own[1], &ep[0], &ep[1]), ERR_OK);
	for (int k = 0; k < n; k++) {
		uint16_t got;
		if (ops[k].msg >= 0) {
			assert_int_equal(send_fresh(fx, ep[ops[k].side], own[ops[k].side],
						    (uint16_t)ops[k].msg), ERR_OK);
		} else {
			assert_int_equal(recv_free(fx, ep[ops[k].side], own[ops[k].side], &got),
					 ERR_OK);
		}
	}
	assert_int_equal(chan_close(ep[0], own[0]), ERR_OK);
	assert_int_equal(chan_close(ep[1], own[1]), ERR_OK);
	assert_int_equal(fx->h.xh.nblocks, 0);
	seq_count++;
}

// st: each side's state; q: messages queued towards each side (FIFO).
static void seq_walk(struct fix *fx, struct seq_op *ops, int n, const uint16_t st[2],
		     const int q[2][SEQ_DEPTH], const int qn[2])
{
	seq_replay(fx, ops, n);
	if (n == SEQ_DEPTH)
		return;
	const struct contract *c = fx->kv;
	for (int side = 0; side < 2; side++) {
		uint16_t nst[2] = { st[0], st[1] }, next;
		int nq[2][SEQ_DEPTH], nqn[2] = { qn[0], qn[1] };
		memcpy(nq, q, sizeof(nq));
		if (qn[side] > 0) { // receive the head message
			bool ok = seq_next_state(c, side, st[side], (uint16_t)q[side][0], false, &next);
			assert_true(ok);
			nst[side] = next;
			memmove(nq[side], nq[side] + 1, sizeof(int) * (SEQ_DEPTH - 1));
			nqn[side]--;
			ops[n] = (struct seq_op){ side, -1 };
			seq_walk(fx, ops, n + 1, nst, (const int(*)[SEQ_DEPTH])nq, nqn);
		}
		for (uint16_t m = 0; m < c->n_msgs; m++) {
			if (!seq_next_state(c, side, st[side], m, true, &next))
				continue;
			uint16_t s2[2] = { st[0], st[1] };
			int q2[2][SEQ_DEPTH], q2n[2] = { qn[0], qn[1] };
			memcpy(q2, q, sizeof(q2));
			s2[side] = next;
			q2[side ^ 1][q2n[side ^ 1]++] = m;
			ops[n] = (struct seq_op){ side, m };
			seq_walk(fx, ops, n + 1, s2, (const int(*)[SEQ_DEPTH])q2, q2n);
		}
	}
}

static void test_every_legal_sequence(void **state)
{
	struct fix *fx = *state;
	struct seq_op ops[SEQ_DEPTH];
	uint16_t st[2] = { 0, 0 };
	int q[2][SEQ_DEPTH] = { { 0 } }, qn[2] = { 0, 0 };
	seq_count = 0;
	seq_walk(fx, ops, 0, st, (const int(*)[SEQ_DEPTH])q, qn);
	// From each `ready`, four steps lead to three `ready`s again (get
	// found, get missing, put stored), passing 3 nodes per level; quit
	// ends after two. Ready at levels 0, 4, 8 (1, 3, 9 of them):
	// 1 + 12 * (1 + 3 + 9) sequences.
	assert_int_equal(seq_count, 157);
}

// Receiving in a state where this side must send is a violation; in a
// final state it only ever reports the peer's close.
static void test_recv_in_wrong_state(void **state)
{
	struct fix *fx = *state;
	uint16_t got;
	assert_int_equal(recv_free(fx, fx->imp, &fx->client, &got), ERR_CHAN_PROTOCOL);
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_AGAIN);
	drive_to(fx, "answering");
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_CHAN_PROTOCOL);
	assert_int_equal(send_fresh(fx, fx->exp, &fx->service, test_msg(fx->kv, "missing")), ERR_OK);
	// The importer is still in answering until it receives the answer.
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "quit")),
			 ERR_CHAN_PROTOCOL);
	assert_int_equal(recv_free(fx, fx->imp, &fx->client, &got), ERR_OK);
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "quit")), ERR_OK);
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_OK);
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_AGAIN);
	assert_int_equal(chan_close(fx->imp, &fx->client), ERR_OK);
	fx->imp = NULL;
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_CLOSED);
}

// A long legal conversation: the data arrives intact, blocks are not copied.
static void test_conversation_moves_blocks(void **state)
{
	struct fix *fx = *state;
	for (int round = 0; round < 100; round++) {
		struct xheap_block *key;
		struct chan_obj mv = { CONTRACT_K_BLOCK, { 0 } };
		assert_int_equal(xheap_alloc(&fx->h.xh, &fx->client, 64, CONTRACT_U8, &key), ERR_OK);
		memset(xheap_block_data(key), round, 64);
		mv.u.blk = key;
		assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "get"),
					   &(uint32_t){ 0 }, 4, &mv, 1), ERR_OK);
		// The sender's handle is dead at once.
		assert_ptr_equal(xheap_block_owner(key), &fx->h.xh.in_flight);
		assert_int_equal(xheap_free(&fx->h.xh, &fx->client, key), ERR_XHEAP_NOT_OWNER);
		assert_int_equal(fx->client.nblocks, 0);
		uint8_t buf[16];
		struct chan_msg m;
		assert_int_equal(chan_recv(fx->exp, &fx->service, buf, sizeof(buf), &m), ERR_OK);
		assert_ptr_equal(m.moved[0].u.blk, key); // the same block: no copy
		assert_ptr_equal(xheap_block_owner(key), &fx->service);
		assert_int_equal(((uint8_t *)xheap_block_data(key))[63], (uint8_t)round);
		mv.u.blk = key;
		assert_int_equal(chan_send(fx->exp, &fx->service, test_msg(fx->kv, "found"),
					   &(uint32_t){ 0 }, 4, &mv, 1), ERR_OK);
		assert_int_equal(chan_recv(fx->imp, &fx->client, buf, sizeof(buf), &m), ERR_OK);
		assert_int_equal(m.msg, test_msg(fx->kv, "found"));
		assert_int_equal(xheap_free(&fx->h.xh, &fx->client, m.moved[0].u.blk), ERR_OK);
		assert_int_equal(xheap_check(&fx->h.xh), ERR_OK);
	}
}

static void test_send_twice_and_foreign_block(void **state)
{
	struct fix *fx = *state;
	struct xheap_block *b, *theirs;
	struct chan_obj mv = { CONTRACT_K_BLOCK, { 0 } };
	assert_int_equal(xheap_alloc(&fx->h.xh, &fx->client, 8, CONTRACT_U8, &b), ERR_OK);
	assert_int_equal(xheap_alloc(&fx->h.xh, &fx->service, 8, CONTRACT_U8, &theirs), ERR_OK);
	// A block the sender does not own: refused, nothing moves.
	mv.u.blk = theirs;
	assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 4, &mv, 1), ERR_CHAN_NOT_OWNER);
	assert_ptr_equal(xheap_block_owner(theirs), &fx->service);
	assert_int_equal(chan_endpoint_state(fx->imp), test_state(fx->kv, "ready"));
	// The same block twice in one message.
	struct chan_obj two[2] = { { CONTRACT_K_BLOCK, { .blk = b } },
				   { CONTRACT_K_BLOCK, { .blk = b } } };
	assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "put"),
				   (uint32_t[2]){ 0, 0 }, 8, two, 2), ERR_CHAN_DUPLICATE);
	// Wrong payload length, wrong count, wrong kind, wrong element type.
	mv.u.blk = b;
	assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 3, &mv, 1), ERR_CHAN_PAYLOAD);
	assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 4, &mv, 0), ERR_CHAN_PAYLOAD);
	struct chan_obj wrong_kind = { CONTRACT_K_ENDPOINT, { .ep = fx->exp } };
	assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 4, &wrong_kind, 1), ERR_CHAN_PAYLOAD);
	struct xheap_block *typed;
	assert_int_equal(xheap_alloc(&fx->h.xh, &fx->client, 8, CONTRACT_U32, &typed), ERR_OK);
	mv.u.blk = typed;
	assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 4, &mv, 1), ERR_CHAN_PAYLOAD);
	// An endpoint the caller does not own, and an unknown message id.
	mv.u.blk = b;
	assert_int_equal(chan_send(fx->imp, &fx->service, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 4, &mv, 1), ERR_CHAN_NOT_OWNER);
	assert_int_equal(chan_send(fx->imp, &fx->client, 999, NULL, 0, NULL, 0),
			 ERR_CHAN_PROTOCOL);
	// Now legally, then again with the same (dead) block.
	assert_int_equal(chan_send(fx->imp, &fx->client, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 4, &mv, 1), ERR_OK);
	assert_int_equal(fx->client.nblocks, 1); // only `typed` is left
	struct chan_endpoint *e2, *i2;
	assert_int_equal(chan_create(&fx->h.env, fx->kv, &fx->service, &fx->client,
				     &e2, &i2), ERR_OK);
	assert_int_equal(chan_send(i2, &fx->client, test_msg(fx->kv, "get"),
				   &(uint32_t){ 0 }, 4, &mv, 1), ERR_CHAN_NOT_OWNER);
	assert_int_equal(chan_endpoint_state(i2), test_state(fx->kv, "ready"));
	assert_int_equal(chan_close(i2, &fx->client), ERR_OK);
	assert_int_equal(chan_close(e2, &fx->service), ERR_OK);
	assert_int_equal(xheap_free(&fx->h.xh, &fx->client, b), ERR_XHEAP_NOT_OWNER);
	assert_int_equal(xheap_free(&fx->h.xh, &fx->client, typed), ERR_OK);
}

// Closing an end releases the blocks queued towards it; the peer drains
// what is queued towards itself before it sees ERR_CLOSED.
static void test_close_releases_queued(void **state)
{
	struct fix *fx = *state;
	uint16_t got;
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "put")), ERR_OK);
	assert_int_equal(fx->h.xh.in_flight.nblocks, 2);
	assert_int_equal(chan_close(fx->exp, &fx->service), ERR_OK);
	fx->exp = NULL;
	assert_int_equal(fx->h.xh.in_flight.nblocks, 0);
	assert_int_equal(fx->h.xh.nblocks, 0);
	assert_true(fx->h.last_events & CHAN_EV_CLOSED);
	assert_ptr_equal(fx->h.last_woken, fx->imp);
	// Sending to a closed peer consumes the message and reports it.
	assert_int_equal(recv_free(fx, fx->imp, &fx->client, &got), ERR_CLOSED);
	assert_int_equal(xheap_check(&fx->h.xh), ERR_OK);
}

static void test_peer_drains_before_closed(void **state)
{
	struct fix *fx = *state;
	uint16_t got;
	drive_to(fx, "storing");
	assert_int_equal(send_fresh(fx, fx->exp, &fx->service, test_msg(fx->kv, "stored")), ERR_OK);
	assert_int_equal(chan_close(fx->exp, &fx->service), ERR_OK);
	fx->exp = NULL;
	assert_int_equal(chan_poll(fx->imp) & (CHAN_EV_READABLE | CHAN_EV_CLOSED),
			 CHAN_EV_READABLE | CHAN_EV_CLOSED);
	assert_int_equal(recv_free(fx, fx->imp, &fx->client, &got), ERR_OK);
	assert_int_equal(got, test_msg(fx->kv, "stored"));
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "get")), ERR_CLOSED);
	assert_int_equal(fx->h.xh.nblocks, 0);
	assert_int_equal(chan_endpoint_state(fx->imp), test_state(fx->kv, "answering"));
	assert_int_equal(recv_free(fx, fx->imp, &fx->client, &got), ERR_CLOSED);
}

// One put/stored exchange on kv, the importer owned by `o`; it ends ready.
static void put_cycle(struct fix *fx, struct xheap_owner *o)
{
	uint16_t got;
	assert_int_equal(send_fresh(fx, fx->imp, o, test_msg(fx->kv, "put")), ERR_OK);
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_OK);
	assert_int_equal(send_fresh(fx, fx->exp, &fx->service, test_msg(fx->kv, "stored")), ERR_OK);
	assert_int_equal(recv_free(fx, fx->imp, o, &got), ERR_OK);
}

// Endpoints in a message are checked for kind, ownership and self-sending.
static void test_endpoint_payload_checks(void **state)
{
	struct fix *fx = *state;
	const struct contract *holder = test_contract(kv_src, "holder");
	struct chan_endpoint *hexp, *himp, *xe, *xi;
	uint8_t data[8] = { 0 };
	assert_int_equal(chan_create(&fx->h.env, holder, &fx->service, &fx->client,
				     &hexp, &himp), ERR_OK);
	assert_int_equal(chan_create(&fx->h.env, fx->kv, &fx->client, &fx->client, &xe, &xi),
			 ERR_OK);
	struct chan_obj mv = { CONTRACT_K_ENDPOINT, { .ep = xe } };
	// An exporting end does not fit kv.imp@ready, and stays with the sender.
	assert_int_equal(chan_send(himp, &fx->client, 0, data, 8, &mv, 1), ERR_CHAN_PAYLOAD);
	assert_ptr_equal(chan_endpoint_owner(xe), &fx->client);
	mv.u.ep = fx->exp; // not the client's
	assert_int_equal(chan_send(himp, &fx->client, 0, data, 8, &mv, 1), ERR_CHAN_NOT_OWNER);
	mv.u.ep = himp;
	assert_int_equal(chan_send(himp, &fx->client, 0, data, 8, &mv, 1), ERR_CHAN_SELF);
	// An importer that is not in state ready does not fit either.
	drive_to(fx, "storing");
	mv.u.ep = fx->imp;
	assert_int_equal(chan_send(himp, &fx->client, 0, data, 8, &mv, 1), ERR_CHAN_PAYLOAD);
	assert_int_equal(chan_endpoint_state(himp), test_state(holder, "s"));
	assert_int_equal(chan_close(xe, &fx->client), ERR_OK);
	assert_int_equal(chan_close(xi, &fx->client), ERR_OK);
	assert_int_equal(chan_close(himp, &fx->client), ERR_OK);
	assert_int_equal(chan_close(hexp, &fx->service), ERR_OK);
}

// An endpoint that travels is dead for the sender at once, usable by the
// receiver, and closed (the peer sees it) when the message carrying it is
// dropped.
static void test_endpoint_in_message(void **state)
{
	struct fix *fx = *state;
	const struct contract *holder = test_contract(kv_src, "holder");
	struct chan_endpoint *hexp, *himp;
	uint32_t tag = 7;
	uint16_t got;
	uint8_t data[8] = { 0 }, buf[16];
	struct chan_msg m;
	memcpy(data + 4, &tag, 4);
	assert_int_equal(chan_create(&fx->h.env, holder, &fx->service, &fx->client,
				     &hexp, &himp), ERR_OK);
	struct chan_obj mv = { CONTRACT_K_ENDPOINT, { .ep = fx->imp } };
	assert_int_equal(chan_send(himp, &fx->client, 0, data, 8, &mv, 1), ERR_OK);
	assert_ptr_equal(chan_endpoint_owner(fx->imp), &fx->h.xh.in_flight);
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "get")),
			 ERR_CHAN_NOT_OWNER);
	assert_int_equal(chan_recv(hexp, &fx->service, buf, sizeof(buf), &m), ERR_OK);
	assert_int_equal(m.n_moved, 1);
	assert_ptr_equal(m.moved[0].u.ep, fx->imp);
	assert_ptr_equal(chan_endpoint_owner(fx->imp), &fx->service);
	assert_int_equal(memcmp(buf + 4, &tag, 4), 0);
	put_cycle(fx, &fx->service);
	// Back it goes; then the holder's importer closes without receiving
	// it: kv's importer is closed with the message, kv's exporter sees it.
	mv.u.ep = fx->imp;
	assert_int_equal(chan_send(hexp, &fx->service, test_msg(holder, "back"), buf, 4, &mv, 1),
			 ERR_OK);
	assert_int_equal(chan_close(himp, &fx->client), ERR_OK);
	fx->imp = NULL;
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_CLOSED);
	assert_int_equal(chan_close(hexp, &fx->service), ERR_OK);
}

// Neither end of a channel may travel in that channel; an end of another
// channel of the same contract may.
static void test_end_over_own_channel(void **state)
{
	struct fix *fx = *state;
	const struct contract *sr = test_contract(kv_src, "sr");
	struct chan_endpoint *e1, *i1, *e2, *i2;
	uint32_t slot = 0;
	assert_int_equal(chan_create(&fx->h.env, sr, &fx->client, &fx->client, &e1, &i1), ERR_OK);
	assert_int_equal(chan_create(&fx->h.env, sr, &fx->client, &fx->client, &e2, &i2), ERR_OK);
	struct chan_obj mv = { CONTRACT_K_ENDPOINT, { .ep = e1 } };
	assert_int_equal(chan_send(i1, &fx->client, 0, &slot, 4, &mv, 1), ERR_CHAN_SELF);
	mv.u.ep = i1;
	assert_int_equal(chan_send(i1, &fx->client, 0, &slot, 4, &mv, 1), ERR_CHAN_SELF);
	mv.u.ep = e2;
	assert_int_equal(chan_send(i1, &fx->client, 0, &slot, 4, &mv, 1), ERR_OK);
	assert_ptr_equal(chan_endpoint_owner(e2), &fx->h.xh.in_flight);
	// Closing e1 drops the message and closes e2 with it.
	assert_int_equal(chan_close(e1, &fx->client), ERR_OK);
	assert_int_equal(chan_poll(i2) & CHAN_EV_CLOSED, CHAN_EV_CLOSED);
	assert_int_equal(chan_close(i2, &fx->client), ERR_OK);
	assert_int_equal(chan_close(i1, &fx->client), ERR_OK);
}

// An `endpoint` field takes an end of any contract, either side, any
// state; self, ownership and duplicate checks still hold.
static void test_any_endpoint_field(void **state)
{
	struct fix *fx = *state;
	const struct contract *relay = test_contract(kv_src, "relay");
	struct chan_endpoint *re, *ri;
	uint8_t buf[16];
	struct chan_msg m;
	assert_int_equal(chan_create(&fx->h.env, relay, &fx->service, &fx->client, &re, &ri),
			 ERR_OK);
	uint16_t pass = test_msg(relay, "pass"), two = test_msg(relay, "two");
	struct chan_obj mv[2] = { { CONTRACT_K_ENDPOINT, { .ep = ri } },
				  { CONTRACT_K_ENDPOINT, { .ep = fx->imp } } };
	assert_int_equal(chan_send(ri, &fx->client, pass, buf, 4, mv, 1), ERR_CHAN_SELF);
	mv[0].u.ep = re;
	assert_int_equal(chan_send(ri, &fx->client, pass, buf, 4, mv, 1), ERR_CHAN_SELF);
	mv[0].u.ep = fx->exp; // the service's, not the client's
	assert_int_equal(chan_send(ri, &fx->client, pass, buf, 4, mv, 1), ERR_CHAN_NOT_OWNER);
	mv[0].u.ep = fx->imp;
	assert_int_equal(chan_send(ri, &fx->client, two, buf, 8, mv, 2), ERR_CHAN_DUPLICATE);
	mv[0].kind = CONTRACT_K_BLOCK; // a handle of the wrong kind
	assert_int_equal(chan_send(ri, &fx->client, pass, buf, 4, mv, 1), ERR_CHAN_PAYLOAD);
	mv[0].kind = CONTRACT_K_ENDPOINT;
	// kv's importer, in a state other than its first: it fits.
	drive_to(fx, "storing");
	assert_int_equal(chan_send(ri, &fx->client, pass, buf, 4, mv, 1), ERR_OK);
	assert_ptr_equal(chan_endpoint_owner(fx->imp), &fx->h.xh.in_flight);
	assert_int_equal(chan_recv(re, &fx->service, buf, sizeof(buf), &m), ERR_OK);
	assert_int_equal(m.msg, pass);
	assert_int_equal(m.n_moved, 1);
	assert_int_equal(m.moved[0].kind, CONTRACT_K_ENDPOINT);
	assert_ptr_equal(m.moved[0].u.ep, fx->imp);
	assert_ptr_equal(chan_endpoint_owner(fx->imp), &fx->service);
	assert_int_equal(chan_endpoint_state(fx->imp), test_state(fx->kv, "storing"));
	// The receiver uses it as what it is: kv's importer waiting for stored.
	uint16_t got;
	assert_int_equal(send_fresh(fx, fx->exp, &fx->service, test_msg(fx->kv, "stored")), ERR_OK);
	assert_int_equal(recv_free(fx, fx->imp, &fx->service, &got), ERR_OK);
	assert_int_equal(got, test_msg(fx->kv, "stored"));
	// The other way, an exporting end of another contract.
	mv[0].u.ep = fx->exp;
	assert_int_equal(chan_send(re, &fx->service, pass, buf, 4, mv, 1), ERR_OK);
	assert_int_equal(chan_recv(ri, &fx->client, buf, sizeof(buf), &m), ERR_OK);
	assert_ptr_equal(m.moved[0].u.ep, fx->exp);
	assert_int_equal(chan_close(fx->exp, &fx->client), ERR_OK);
	assert_int_equal(chan_close(fx->imp, &fx->service), ERR_OK);
	fx->exp = fx->imp = NULL;
	assert_int_equal(chan_close(ri, &fx->client), ERR_OK);
	assert_int_equal(chan_close(re, &fx->service), ERR_OK);
}

// An end of A queued in B while an end of B would be queued in A: nobody
// could ever receive either. The second send is refused; what is allowed
// is reclaimed by closing the ends the owner holds.
static void test_endpoint_cycle_refused(void **state)
{
	struct fix *fx = *state;
	const struct contract *relay = test_contract(kv_src, "relay");
	struct chan_endpoint *ae, *ai, *be, *bi;
	uint8_t buf[16] = { 0 };
	uint16_t pass = test_msg(relay, "pass");
	assert_int_equal(chan_create(&fx->h.env, relay, &fx->client, &fx->client, &ae, &ai), ERR_OK);
	assert_int_equal(chan_create(&fx->h.env, relay, &fx->client, &fx->client, &be, &bi), ERR_OK);
	struct chan_obj mv = { CONTRACT_K_ENDPOINT, { .ep = ai } };
	assert_int_equal(chan_send(bi, &fx->client, pass, buf, 4, &mv, 1), ERR_OK); // ai -> be's queue
	mv.u.ep = be;
	assert_int_equal(chan_send(ae, &fx->client, pass, buf, 4, &mv, 1), ERR_CHAN_CYCLE);
	assert_ptr_equal(chan_endpoint_owner(be), &fx->client);
	mv.u.ep = bi; // bi's own queue is empty: no cycle
	assert_int_equal(chan_send(ae, &fx->client, pass, buf, 4, &mv, 1), ERR_OK);
	assert_int_equal(chan_close(ae, &fx->client), ERR_OK);
	assert_int_equal(chan_close(be, &fx->client), ERR_OK); // closes ai, then bi
	assert_int_equal(fx->h.xh.in_flight.nblocks, 0);
	assert_int_equal(xheap_check(&fx->h.xh), ERR_OK);
}

static void test_interface_queue_full(void **state)
{
	struct fix *fx = *state;
	const struct contract *t = test_contract(timer_src, "timer");
	struct chan_endpoint *e, *i;
	assert_int_equal(t->bound[CONTRACT_IN], CONTRACT_IFACE_DEPTH);
	assert_int_equal(chan_create(&fx->h.env, t, &fx->service, &fx->client, &e, &i), ERR_OK);
	uint64_t v = 42;
	uint16_t set = test_msg(t, "set_timeout");
	for (int k = 0; k < CONTRACT_IFACE_DEPTH; k++)
		assert_int_equal(chan_send(i, &fx->client, set, &v, 8, NULL, 0), ERR_OK);
	assert_false(chan_poll(i) & CHAN_EV_WRITABLE);
	assert_int_equal(chan_send(i, &fx->client, set, &v, 8, NULL, 0), ERR_AGAIN);
	// The other direction is independent, and the exporter may send too.
	assert_int_equal(chan_send(e, &fx->service, test_msg(t, "wakeup"), NULL, 0, NULL, 0), ERR_OK);
	uint8_t buf[8];
	struct chan_msg m;
	assert_int_equal(chan_recv(e, &fx->service, buf, 4, &m), ERR_CHAN_BUFFER);
	unsigned wakes = fx->h.wakes;
	assert_int_equal(chan_recv(e, &fx->service, buf, sizeof(buf), &m), ERR_OK);
	assert_int_equal(fx->h.wakes, wakes + 1);
	assert_ptr_equal(fx->h.last_woken, i);
	assert_true(fx->h.last_events & CHAN_EV_WRITABLE);
	assert_int_equal(m.msg, set);
	assert_int_equal(memcmp(buf, &v, 8), 0);
	assert_int_equal(chan_send(i, &fx->client, set, &v, 8, NULL, 0), ERR_OK);
	assert_int_equal(chan_recv(i, &fx->client, buf, sizeof(buf), &m), ERR_OK);
	assert_int_equal(m.msg, test_msg(t, "wakeup"));
	assert_int_equal(chan_close(i, &fx->client), ERR_OK);
	assert_int_equal(chan_close(e, &fx->service), ERR_OK); // frees 16 queued
}

static void test_select(void **state)
{
	struct fix *fx = *state;
	struct chan_endpoint *e2, *i2;
	size_t idx = 99;
	assert_int_equal(chan_create(&fx->h.env, fx->kv, &fx->service, &fx->client, &e2, &i2), ERR_OK);
	struct chan_endpoint *eps[2] = { fx->exp, e2 };
	assert_int_equal(chan_select(eps, 2, &fx->service, 0, &idx), ERR_AGAIN);
	assert_int_equal(chan_select(eps, 2, &fx->client, 0, &idx), ERR_CHAN_NOT_OWNER);
	assert_int_equal(send_fresh(fx, i2, &fx->client, test_msg(fx->kv, "quit")), ERR_OK);
	assert_int_equal(chan_select(eps, 2, &fx->service, 0, &idx), ERR_OK);
	assert_int_equal(idx, 1);
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "quit")), ERR_OK);
	assert_int_equal(chan_select(eps, 2, &fx->service, 0, &idx), ERR_OK);
	assert_int_equal(idx, 0);
	assert_int_equal(chan_select(eps, 2, &fx->service, 1, &idx), ERR_OK);
	assert_int_equal(idx, 1); // round robin from start
	uint16_t got;
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_OK);
	assert_int_equal(chan_close(i2, &fx->client), ERR_OK);
	assert_int_equal(chan_close(e2, &fx->service), ERR_OK);
	// A state that must send cannot be selected on.
	struct chan_endpoint *imps[1] = { fx->imp };
	assert_int_equal(chan_close(fx->exp, &fx->service), ERR_OK);
	fx->exp = NULL;
	assert_int_equal(chan_select(imps, 1, &fx->client, 0, &idx), ERR_OK); // done: closed
	struct chan_endpoint *e3, *i3;
	assert_int_equal(chan_create(&fx->h.env, fx->kv, &fx->service, &fx->client, &e3, &i3), ERR_OK);
	struct chan_endpoint *sel[1] = { i3 };
	assert_int_equal(chan_select(sel, 1, &fx->client, 0, &idx), ERR_CHAN_PROTOCOL);
	assert_int_equal(chan_close(i3, &fx->client), ERR_OK);
	assert_int_equal(chan_close(e3, &fx->service), ERR_OK);
}

// The wake hook runs while the sender still holds its claim on the
// endpoint: a second use of that endpoint meanwhile gets ERR_CHAN_BUSY.
static isola_err_t busy_result;

static void wake_reenters(struct host_env *h, struct chan_endpoint *woken, unsigned ev)
{
	struct fix *fx = h->user;
	(void)woken;
	(void)ev;
	busy_result = chan_send(fx->imp, &fx->client, test_msg(fx->kv, "quit"), NULL, 0, NULL, 0);
	h->on_wake = NULL;
}

static void test_busy_endpoint(void **state)
{
	struct fix *fx = *state;
	fx->h.user = fx;
	fx->h.on_wake = wake_reenters;
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "get")), ERR_OK);
	assert_int_equal(busy_result, ERR_CHAN_BUSY);
	assert_int_equal(chan_endpoint_state(fx->imp), test_state(fx->kv, "answering"));
}

static void test_endpoint_transfer(void **state)
{
	struct fix *fx = *state;
	uint16_t got;
	assert_int_equal(chan_endpoint_transfer(fx->imp, &fx->service, &fx->service),
			 ERR_CHAN_NOT_OWNER);
	assert_int_equal(chan_endpoint_transfer(fx->imp, &fx->client, &fx->service), ERR_OK);
	assert_ptr_equal(chan_endpoint_owner(fx->imp), &fx->service);
	assert_int_equal(send_fresh(fx, fx->imp, &fx->client, test_msg(fx->kv, "quit")),
			 ERR_CHAN_NOT_OWNER);
	assert_int_equal(send_fresh(fx, fx->imp, &fx->service, test_msg(fx->kv, "quit")), ERR_OK);
	assert_int_equal(recv_free(fx, fx->exp, &fx->service, &got), ERR_OK);
	assert_int_equal(chan_close(fx->imp, &fx->service), ERR_OK);
	fx->imp = NULL;
}

// A channel's memory is charged to the owner that made it (the exporting
// end's first owner) and given back by the last close, whoever holds the
// ends by then.
static void test_channel_payer(void **state)
{
	struct fix *fx = *state;
	assert_ptr_equal(fx->h.alloc_payer, &fx->service);
	assert_ptr_equal(fx->h.alloc_contract, fx->kv);
	assert_int_equal(chan_endpoint_transfer(fx->exp, &fx->service, &fx->client), ERR_OK);
	assert_int_equal(chan_close(fx->exp, &fx->client), ERR_OK);
	assert_null(fx->h.free_payer);
	assert_int_equal(chan_close(fx->imp, &fx->client), ERR_OK);
	assert_ptr_equal(fx->h.free_payer, &fx->service);
	assert_ptr_equal(fx->h.free_contract, fx->kv);
	fx->exp = fx->imp = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_every_state_message_side, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_legal_sequence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recv_in_wrong_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_conversation_moves_blocks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_send_twice_and_foreign_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_releases_queued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_peer_drains_before_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoint_payload_checks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoint_in_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_over_own_channel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_any_endpoint_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoint_cycle_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_interface_queue_full, setup, teardown),
		cmocka_unit_test_setup_teardown(test_select, setup, teardown),
		cmocka_unit_test_setup_teardown(test_busy_endpoint, setup, teardown),
		cmocka_unit_test_setup_teardown(test_endpoint_transfer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_channel_payer, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
