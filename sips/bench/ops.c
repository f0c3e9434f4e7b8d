// SPDX-License-Identifier: MIT
// What the system benchmark times (see bench.h): each case is a loop of
// raw kernel calls, so the figures are the kernel ABI plus the
// interpreter's cost of the loop, nothing of libsip's.
#include "bench.h"

#include <isola/err.h>
#include <pingpong.h>
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

// One round trip carrying ctx->block, which comes back as a new handle.
static void round_trip_block(struct bench_ctx *ctx)
{
	uint32_t b = ctx->block;
	uint32_t msg = 0;

	ctx->block = 0;
	if (isola_chan_send(ctx->eps[0], PINGPONG_MSG_PINGB, &b, sizeof(b)) < 0 ||
	    isola_chan_recv(ctx->eps[0], &b, sizeof(b), &msg) < 0) {
		fail(ctx, -ERR_CLOSED);
		return;
	}
	ctx->block = b;
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
		for (uint32_t i = 0; i < n && !ctx->failed; i++)
			round_trip(ctx, ctx->eps[0], i);
		break;
	case OP_RT_BLOCK:
		for (uint32_t i = 0; i < n && !ctx->failed; i++)
			round_trip_block(ctx);
		break;
	case OP_RT_SELECT:
		for (uint32_t i = 0; i < n && !ctx->failed; i++) {
			round_trip(ctx, ctx->eps[ctx->next % BENCH_EPS], i);
			ctx->next++;
		}
		break;
	case OP_SPAWN:
		for (uint32_t i = 0; i < n && !ctx->failed; i++)
			spawn_wait(ctx);
		break;
	}
}

int32_t bench_pong_start(struct bench_ctx *ctx, const char *mode, uint32_t n)
{
	static const uint8_t hash[32] = PINGPONG_CONTRACT_HASH;
	static char diag[128];
	char args[64];
	uint32_t exp[BENCH_EPS];
	int32_t img = isola_image_open(BENCH_PM, "benchpong", 9, diag, sizeof(diag));

	if (bench_is_err(img)) {
		printf("bench: cannot open benchpong (%d): %s\n", (int)img, diag);
		return img;
	}
	for (uint32_t i = 0; i < BENCH_EPS; i++) {
		int32_t err = isola_chan_create(hash, &exp[i], &ctx->eps[i]);

		if (err < 0)
			return err;
	}
	int len = snprintf(args, sizeof(args), "benchpong %s %u", mode, (unsigned)n);
	int32_t id = isola_proc_spawn((uint32_t)img, args, (uint32_t)len, exp, BENCH_EPS);

	isola_image_close((uint32_t)img);
	return id;
}

int32_t bench_pong_stop(struct bench_ctx *ctx, int32_t id)
{
	struct isola_proc_status st = { 0, 0 };

	for (uint32_t i = 0; i < BENCH_EPS; i++)
		isola_chan_close(ctx->eps[i]);
	int32_t err = isola_proc_wait(BENCH_PM, id, -1, &st);

	if (err < 0)
		return err;
	return st.state == ISOLA_PROC_EXITED && st.code == 0 ? 0 : -ERR_INTERNAL;
}
