// SPDX-License-Identifier: MIT
// What the system benchmark times (see bench.h): each case is a loop of
// raw kernel calls, so the figures are the kernel ABI plus the
// interpreter's cost of the loop, nothing of libsip's.
#include "bench.h"

#include <isola/err.h>
#include <contracts/pingpong.h>
#include <sip/abi.h>
#include <stdio.h>
#include <string.h>

static volatile int64_t sink;
static char arg_buf[4];

static void fail(struct bench_ctx *ctx, int32_t err)
{
	if (ctx->failed == 0)
		ctx->failed = err < 0 ? err : -ERR_INTERNAL;
}

// One round trip with an 8-byte value on endpoint ep.
static void round_trip(struct bench_ctx *ctx, uint32_t ep, uint64_t v)
{
	uint64_t got = 0;
	uint32_t msg = 0;

	if (isola_chan_send(ep, PINGPONG_MSG_PING, &v, sizeof(v)) < 0 ||
	    isola_chan_recv(ep, &got, sizeof(got), &msg) < 0 || got != v)
		fail(ctx, -ERR_CLOSED);
}

static const uint8_t pingpong_hash[32] = PINGPONG_CONTRACT_HASH;

// One round trip on ep carrying block b; returns the block's new handle,
// or 0 when it did not come back.
static uint32_t round_trip_block(struct bench_ctx *ctx, uint32_t ep, uint32_t b)
{
	uint32_t msg = 0;

	if (isola_chan_send(ep, PINGPONG_MSG_PINGB, &b, sizeof(b)) < 0 ||
	    isola_chan_recv(ep, &b, sizeof(b), &msg) < 0) {
		fail(ctx, -ERR_CLOSED);
		return 0;
	}
	return b;
}

// n round trips on the first end, 8-byte payloads or a block of
// ctx->block_size bytes.
static void round_trips(struct bench_ctx *ctx, bool block, uint32_t n)
{
	uint32_t ep = isola_eset_take(ctx->keys[0], pingpong_hash);

	if (!block) {
		for (uint32_t i = 0; i < n && !ctx->failed; i++)
			round_trip(ctx, ep, i);
	} else {
		int32_t b = isola_blk_alloc(ctx->block_size, ISOLA_BLK_TYPE_BYTES);

		if (bench_is_err(b))
			fail(ctx, b);
		for (uint32_t i = 0; i < n && !ctx->failed; i++)
			b = (int32_t)round_trip_block(ctx, ep, (uint32_t)b);
		(void)isola_blk_free(ctx->failed ? 0 : (uint32_t)b);
	}
	ctx->keys[0] = isola_eset_put(ep);
}

// n round trips over the eight ends in turn, benchpong selecting. The
// ends are taken out one by one (constant positions: the verifier follows
// them) and parked again after the batch.
static void round_trips_select(struct bench_ctx *ctx, uint32_t n)
{
	_Static_assert(BENCH_EPS == 8, "round_trips_select takes eight ends");
	uint32_t h[BENCH_EPS];

	h[0] = isola_eset_take(ctx->keys[0], pingpong_hash);
	h[1] = isola_eset_take(ctx->keys[1], pingpong_hash);
	h[2] = isola_eset_take(ctx->keys[2], pingpong_hash);
	h[3] = isola_eset_take(ctx->keys[3], pingpong_hash);
	h[4] = isola_eset_take(ctx->keys[4], pingpong_hash);
	h[5] = isola_eset_take(ctx->keys[5], pingpong_hash);
	h[6] = isola_eset_take(ctx->keys[6], pingpong_hash);
	h[7] = isola_eset_take(ctx->keys[7], pingpong_hash);
	for (uint32_t i = 0; i < n && !ctx->failed; i++) {
		round_trip(ctx, h[ctx->next % BENCH_EPS], i);
		ctx->next++;
	}
	ctx->keys[0] = isola_eset_put(h[0]);
	ctx->keys[1] = isola_eset_put(h[1]);
	ctx->keys[2] = isola_eset_put(h[2]);
	ctx->keys[3] = isola_eset_put(h[3]);
	ctx->keys[4] = isola_eset_put(h[4]);
	ctx->keys[5] = isola_eset_put(h[5]);
	ctx->keys[6] = isola_eset_put(h[6]);
	ctx->keys[7] = isola_eset_put(h[7]);
}

// Starts benchnull from the open image and waits for it.
static void spawn_wait(struct bench_ctx *ctx)
{
	static const char args[] = "benchnull";
	uint32_t none[1] = { 0 };
	struct isola_proc_status st = { 0, 0 };
	int32_t id = isola_proc_spawn(ctx->image, args, sizeof(args) - 1, none, 0);

	if (id < 0) {
		fail(ctx, id);
		return;
	}
	int32_t err = isola_proc_wait(BENCH_PM, id, -1, &st);

	if (err < 0 || st.state != ISOLA_PROC_EXITED || st.code != 0)
		fail(ctx, err < 0 ? err : -ERR_INTERNAL);
}

void bench_run(struct bench_ctx *ctx, enum bench_op op, uint32_t n)
{
	if (ctx->failed)
		return;
	switch (op) {
	case OP_LOOP:
		for (uint32_t i = 0; i < n; i++)
			sink = i;
		break;
	case OP_CYCLES:
		for (uint32_t i = 0; i < n; i++)
			sink = isola_cycles();
		break;
	case OP_ARGS:
		for (uint32_t i = 0; i < n; i++)
			sink = isola_args(arg_buf, 0);
		break;
	case OP_YIELD:
		for (uint32_t i = 0; i < n; i++)
			isola_yield();
		break;
	case OP_RT:
	case OP_RT_BLOCK:
		round_trips(ctx, op == OP_RT_BLOCK, n);
		break;
	case OP_RT_SELECT:
		round_trips_select(ctx, n);
		break;
	case OP_SPAWN:
		for (uint32_t i = 0; i < n && !ctx->failed; i++)
			spawn_wait(ctx);
		break;
	}
}

// Closes the ends parked under keys[0..n).
static void close_parked(SIP_COUNT(n) const uint32_t *keys, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		(void)isola_chan_close(isola_eset_take(keys[i], 0));
}

// Makes n (BENCH_EPS) channels: the exporting ends' keys go to exp (for
// the spawn, which takes keys), the importing ends' to ctx->keys. 0 or
// -error.
static int32_t make_channels(struct bench_ctx *ctx, SIP_COUNT(n) uint32_t *exp, uint32_t n)
{
	for (uint32_t i = 0; i < n && i < BENCH_EPS; i++) {
		uint32_t e = 0, m = 0;
		int32_t err = isola_chan_create(pingpong_hash, &e, &m);

		if (err < 0) {
			close_parked(exp, i);
			close_parked(ctx->keys, i);
			return err;
		}
		exp[i] = isola_eset_put(e);
		ctx->keys[i] = isola_eset_put(m);
	}
	return 0;
}

int32_t bench_pong_start(struct bench_ctx *ctx, const char *mode, uint32_t n)
{
	static char diag[128];
	char args[64];
	uint32_t exp[BENCH_EPS];
	int32_t img = isola_image_open(BENCH_PM, "benchpong", 9, diag, sizeof(diag));

	if (bench_is_err(img)) {
		printf("bench: cannot open benchpong (%d): %s\n", (int)img, diag);
		return img;
	}
	int32_t id = make_channels(ctx, exp, BENCH_EPS);

	if (id == 0) {
		int len = snprintf(args, sizeof(args), "benchpong %s %u", mode, (unsigned)n);

		id = isola_proc_spawn((uint32_t)img, args, (uint32_t)len, exp, BENCH_EPS);
		if (id < 0) {
			close_parked(exp, BENCH_EPS);
			close_parked(ctx->keys, BENCH_EPS);
		}
	}
	isola_image_close((uint32_t)img);
	return id;
}

int32_t bench_pong_stop(struct bench_ctx *ctx, int32_t id)
{
	struct isola_proc_status st = { 0, 0 };

	close_parked(ctx->keys, BENCH_EPS);
	int32_t err = isola_proc_wait(BENCH_PM, id, -1, &st);

	if (err < 0)
		return err;
	return st.state == ISOLA_PROC_EXITED && st.code == 0 ? 0 : -ERR_INTERNAL;
}
