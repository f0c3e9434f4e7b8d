// SPDX-License-Identifier: MIT
// Host benchmark of the channel core: the cost of one send plus one
// receive with an 8-byte inline payload and with a 64 KiB exchange-heap
// block, measured side by side in one run. Nothing is copied for the
// block, so the two must be nearly equal. Also one round trip of the
// state-form kv protocol (get + found with a block).
#include <host_mem.h>
#include <isola/chan.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cc.h"

static const char src[] =
	"interface bench { message small(uint64 v); message big(bytes b); }\n"
	"contract kv { in message get(bytes key); out message found(bytes value);\n"
	"  state ready { get? -> answering; } state answering { found! -> ready; } }\n";

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static struct xheap xh;
static struct xheap_owner a, b;
static struct chan_env env = { NULL, &xh, host_chan_alloc, host_chan_free, NULL };

static void check(isola_err_t err)
{
	if (err != ERR_OK) {
		fprintf(stderr, "bench_channels: %s\n", isola_err_name(err));
		exit(1);
	}
}

// One iteration: side `from` sends, the other receives; sides alternate so
// the block goes back and forth. Returns ns per send+receive.
static double pingpong(const struct contract *c, uint16_t msg, struct xheap_block *blk,
		       long iters)
{
	struct chan_endpoint *e, *i;
	struct chan_endpoint *ep[2];
	struct xheap_owner *own[2] = { &a, &b };
	uint64_t v = 12345;
	uint8_t buf[64];
	struct chan_msg got;
	check(chan_create(&env, c, &a, &b, &e, &i));
	ep[0] = e;
	ep[1] = i;
	double t0 = now_ns();
	for (long k = 0; k < iters; k++) {
		int s = (int)(k & 1);
		struct chan_obj mv = { CONTRACT_K_BLOCK, { .blk = blk } };
		check(chan_send(ep[s], own[s], msg, &v, 8 - 4 * (blk != NULL), &mv, blk != NULL));
		check(chan_recv(ep[s ^ 1], own[s ^ 1], buf, sizeof(buf), &got));
	}
	double ns = (now_ns() - t0) / (double)iters;
	check(chan_close(e, &a));
	check(chan_close(i, &b));
	return ns;
}

// The importer (owned by a, like the block) asks, the exporter answers.
static double kv_round_trip(const struct contract *c, struct xheap_block *blk, long iters)
{
	struct chan_endpoint *e, *i;
	uint8_t buf[64];
	struct chan_msg got;
	check(chan_create(&env, c, &b, &a, &e, &i));
	double t0 = now_ns();
	for (long k = 0; k < iters; k++) {
		struct chan_obj mv = { CONTRACT_K_BLOCK, { .blk = blk } };
		check(chan_send(i, &a, 0, &(uint32_t){ 0 }, 4, &mv, 1));
		check(chan_recv(e, &b, buf, sizeof(buf), &got));
		check(chan_send(e, &b, 1, &(uint32_t){ 0 }, 4, &mv, 1));
		check(chan_recv(i, &a, buf, sizeof(buf), &got));
	}
	double ns = (now_ns() - t0) / (double)iters;
	check(chan_close(e, &b));
	check(chan_close(i, &a));
	return ns;
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 1000000;
	struct cc_ctx cx = { 0 };
	struct cc_file *f = cc_compile(&cx, src, strlen(src));
	struct xheap_page_source ps = { NULL, host_pages_alloc, host_pages_free };
	struct xheap_block *small_blk, *big_blk;
	if (cx.nerrors)
		return 1;
	xheap_init(&xh, &ps);
	xheap_owner_init(&xh, &a);
	xheap_owner_init(&xh, &b);
	check(xheap_alloc(&xh, &a, 8, CONTRACT_U8, &small_blk));
	check(xheap_alloc(&xh, &a, 64 * 1024, CONTRACT_U8, &big_blk));
	const struct contract *bench = f->contracts[0].model, *kv = f->contracts[1].model;
	// Rounds interleave the cases so that noise from other work on the
	// machine hits them alike; the minimum of each is the cost.
	enum { ROUNDS = 7 };
	double best[4] = { 1e30, 1e30, 1e30, 1e30 };
	for (int round = 0; round < ROUNDS; round++) {
		double r[4] = { pingpong(bench, 0, NULL, iters),
				pingpong(bench, 1, small_blk, iters),
				pingpong(bench, 1, big_blk, iters),
				kv_round_trip(kv, big_blk, iters / 2) };
		for (int k = 0; k < 4; k++)
			best[k] = r[k] < best[k] ? r[k] : best[k];
	}
	printf("send+recv, 8-byte inline payload:  %6.1f ns\n", best[0]);
	printf("send+recv, 8-byte block:           %6.1f ns\n", best[1]);
	printf("send+recv, 64 KiB block:           %6.1f ns\n", best[2]);
	printf("kv get+found round trip, 64 KiB:   %6.1f ns\n", best[3]);
	printf("(minimum of %d rounds of %ld operations each)\n", ROUNDS, iters);
	xheap_owner_release(&xh, &a);
	cc_file_free(f);
	cc_ctx_free(&cx);
	return 0;
}
