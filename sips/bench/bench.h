// SPDX-License-Identifier: MIT
// The system benchmark (docs/performance.md): bench.c runs the table of
// basic costs, ops.c holds what is timed, mode_*.c says how long. bench is
// started as the first SIP (init=bench) with the process-manager
// capability as handle 1 and nothing else; its helpers are benchpong (the
// other side of yields and round trips) and benchnull (an empty SIP).
#ifndef SIPS_BENCH_BENCH_H
#define SIPS_BENCH_BENCH_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stdint.h>

#define BENCH_PM 1     // handle of the process-manager capability
#define BENCH_EPS 8    // endpoints of benchpong (the select set)
#define BENCH_SAMPLES_MAX 201

// How many samples, and how many operations in each, per kind of operation.
struct bench_mode {
	const char *name;
	uint32_t samples;    // batches measured (after one warm-up batch)
	uint32_t cheap;      // operations per batch: counter reads, kernel calls
	uint32_t ipc;        // yields and round trips
	uint32_t spawns;     // spawn + wait, one per sample
};

extern const struct bench_mode bench_mode;

// What a batch does n times.
enum bench_op {
	OP_LOOP,      // an empty loop iteration (the measuring overhead)
	OP_CYCLES,    // isola_cycles
	OP_ARGS,      // isola_args(buf, 0): the cheapest call that checks arguments
	OP_YIELD,     // isola_yield, benchpong yielding too
	OP_RT,        // ping + pong, 8-byte payload
	OP_RT_BLOCK,  // pingb + pongb, one exchange-heap block there and back
	OP_RT_SELECT, // ping on one of 8 channels, benchpong selecting over them
	OP_SPAWN,     // proc_spawn + proc_wait of benchnull
};

// The state the operations use. The importing ends towards benchpong are
// parked in the SIP's endpoint set between batches (docs/abi.md), so no
// handle is kept in memory; a batch takes what it uses out and back, two
// kernel calls per batch of many operations.
struct bench_ctx {
	uint32_t keys[BENCH_EPS]; // the ends' keys
	uint32_t block_size;      // the block of OP_RT_BLOCK (one per batch)
	uint32_t image;           // benchnull's image, for OP_SPAWN
	uint32_t next;           // OP_RT_SELECT: the channel of the next ping
	int32_t failed;          // the first error (< 0), then nothing runs
};

// A call that returns a handle failed: -code with code < 65536. A handle
// whose generation has reached 0x8000 is negative as an int32_t too, and
// bench's round trips make many generations (docs/performance.md).
static inline bool bench_is_err(int32_t r)
{
	return r < 0 && r > -65536;
}

// Runs op n times; errors go to ctx->failed.
void bench_run(struct bench_ctx *ctx, enum bench_op op, uint32_t n);

// Starts benchpong with args "benchpong MODE N" and eight new channels,
// whose importing ends are parked under ctx->keys. Its id, or -error.
int32_t bench_pong_start(struct bench_ctx *ctx, const char *mode, uint32_t n) ISOLA_MUST_CHECK;
// Closes the channels and waits for benchpong to end; 0 or -error.
int32_t bench_pong_stop(struct bench_ctx *ctx, int32_t id) ISOLA_MUST_CHECK;

#endif
