// SPDX-License-Identifier: MIT
// Two threads on real CPUs: a producer streams messages with fresh blocks
// through an interface-form channel while a consumer receives and frees
// them, so the heap's and the channel's locks are contended; then a
// state-form ping-pong moves one block back and forth; both ends close at
// the same moment. A thread that gets ERR_AGAIN sleeps the way the kernel
// will (docs/channels.md, "Waiting"): note the wake count, re-check with
// chan_poll, sleep until the wake hook signals. Order, contents and the
// accounting must come out exact.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <string.h>

#include "support.h"

enum { STREAM = 50000, PINGS = 20000 };

static const char src[] =
	"interface pipe { in message data(uint64 seq, bytes b); }\n"
	"contract pp { in message ping(bytes b); out message pong(bytes b);\n"
	"  state a { ping? -> b; } state b { pong! -> a; } }\n";

static pthread_mutex_t wait_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wait_cond = PTHREAD_COND_INITIALIZER;
static unsigned long wake_gen;

static void on_wake(struct host_env *h, struct chan_endpoint *ep, unsigned ev)
{
	(void)h;
	(void)ep;
	(void)ev;
	pthread_mutex_lock(&wait_lock);
	wake_gen++;
	pthread_cond_broadcast(&wait_cond);
	pthread_mutex_unlock(&wait_lock);
}

static unsigned long wake_mark(void)
{
	pthread_mutex_lock(&wait_lock);
	unsigned long g = wake_gen;
	pthread_mutex_unlock(&wait_lock);
	return g;
}

// Sleeps until ep has one of `want`, or a wake came after `mark`.
static void wait_for(struct chan_endpoint *ep, unsigned want, unsigned long mark)
{
	pthread_mutex_lock(&wait_lock);
	while (wake_gen == mark && !(chan_poll(ep) & want))
		pthread_cond_wait(&wait_cond, &wait_lock);
	pthread_mutex_unlock(&wait_lock);
}

struct side {
	struct host_env *h;
	struct chan_endpoint *ep;
	struct xheap_owner *own;
	pthread_barrier_t *bar;
	struct xheap_block *blk; // ping-pong: the block, if this side starts
	long errors;
};

static void *producer(void *arg)
{
	struct side *s = arg;
	for (uint64_t seq = 0; seq < STREAM; seq++) {
		struct xheap_block *b;
		while (xheap_alloc(&s->h->xh, s->own, 24, CONTRACT_U8, &b) != ERR_OK)
			s->errors++;
		memcpy(xheap_block_data(b), &seq, 8);
		uint64_t data[2] = { seq, 0 };
		struct chan_obj mv = { CONTRACT_K_BLOCK, { .blk = b } };
		isola_err_t err;
		for (;;) {
			unsigned long mark = wake_mark();
			err = chan_send(s->ep, s->own, 0, data, 16, &mv, 1);
			if (err != ERR_AGAIN)
				break;
			wait_for(s->ep, CHAN_EV_WRITABLE | CHAN_EV_CLOSED, mark);
		}
		s->errors += err != ERR_OK;
	}
	pthread_barrier_wait(s->bar);
	s->errors += chan_close(s->ep, s->own) != ERR_OK;
	return NULL;
}

static void *consumer(void *arg)
{
	struct side *s = arg;
	for (uint64_t seq = 0; seq < STREAM; seq++) {
		uint64_t data[2];
		struct chan_msg m;
		isola_err_t err;
		for (;;) {
			unsigned long mark = wake_mark();
			err = chan_recv(s->ep, s->own, data, sizeof(data), &m);
			if (err != ERR_AGAIN)
				break;
			wait_for(s->ep, CHAN_EV_READABLE | CHAN_EV_CLOSED, mark);
		}
		uint64_t in_block;
		memcpy(&in_block, xheap_block_data(m.moved[0].u.blk), 8);
		s->errors += err != ERR_OK || data[0] != seq || in_block != seq;
		s->errors += xheap_free(&s->h->xh, s->own, m.moved[0].u.blk) != ERR_OK;
	}
	pthread_barrier_wait(s->bar);
	s->errors += chan_close(s->ep, s->own) != ERR_OK;
	return NULL;
}

// Sends when holding the block, receives otherwise; PINGS exchanges.
static void *pinger(void *arg)
{
	struct side *s = arg;
	bool exp = chan_endpoint_side(s->ep) == CONTRACT_EXP;
	for (int k = 0; k < PINGS; k++) {
		if (s->blk) {
			struct chan_obj mv = { CONTRACT_K_BLOCK, { .blk = s->blk } };
			uint32_t slot = 0;
			s->errors += chan_send(s->ep, s->own, exp ? 1 : 0, &slot, 4, &mv, 1) != ERR_OK;
			s->blk = NULL;
		} else {
			struct chan_msg m;
			uint32_t slot;
			isola_err_t err;
			for (;;) {
				unsigned long mark = wake_mark();
				err = chan_recv(s->ep, s->own, &slot, 4, &m);
				if (err != ERR_AGAIN)
					break;
				wait_for(s->ep, CHAN_EV_READABLE | CHAN_EV_CLOSED, mark);
			}
			s->errors += err != ERR_OK;
			s->blk = m.moved[0].u.blk;
			s->errors += xheap_block_owner(s->blk) != s->own;
		}
	}
	pthread_barrier_wait(s->bar);
	s->errors += chan_close(s->ep, s->own) != ERR_OK;
	return NULL;
}

static void run_pair(void *(*fa)(void *), struct side *a, void *(*fb)(void *), struct side *b)
{
	pthread_t ta, tb;
	assert_int_equal(pthread_create(&ta, NULL, fa, a), 0);
	assert_int_equal(pthread_create(&tb, NULL, fb, b), 0);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	assert_int_equal(a->errors, 0);
	assert_int_equal(b->errors, 0);
}

static void test_two_threads(void **state)
{
	(void)state;
	struct host_env h;
	struct xheap_owner p, c;
	pthread_barrier_t bar;
	struct chan_endpoint *e, *i;
	host_env_init(&h);
	h.on_wake = on_wake;
	xheap_owner_init(&h.xh, &p);
	xheap_owner_init(&h.xh, &c);
	pthread_barrier_init(&bar, NULL, 2);
	const struct contract *pipe = test_contract(src, "pipe");
	const struct contract *pp = test_contract(src, "pp");

	assert_int_equal(chan_create(&h.env, pipe, &c, &p, &e, &i), ERR_OK);
	struct side prod = { &h, i, &p, &bar, NULL, 0 }, cons = { &h, e, &c, &bar, NULL, 0 };
	run_pair(producer, &prod, consumer, &cons);
	assert_int_equal(h.xh.nblocks, 0);

	struct xheap_block *blk;
	assert_int_equal(xheap_alloc(&h.xh, &p, 64 * 1024, CONTRACT_U8, &blk), ERR_OK);
	assert_int_equal(chan_create(&h.env, pp, &c, &p, &e, &i), ERR_OK);
	struct side ia = { &h, i, &p, &bar, blk, 0 }, ea = { &h, e, &c, &bar, NULL, 0 };
	run_pair(pinger, &ia, pinger, &ea);
	// PINGS is even: the block is back with the importer's owner.
	assert_ptr_equal(xheap_block_owner(blk), &p);
	assert_int_equal(xheap_free(&h.xh, &p, blk), ERR_OK);

	pthread_barrier_destroy(&bar);
	xheap_owner_fini(&h.xh, &p);
	xheap_owner_fini(&h.xh, &c);
	host_env_fini(&h);
	test_contracts_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_threads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
