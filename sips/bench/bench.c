// SPDX-License-Identifier: MIT
// bench: Singularity's table of basic costs, measured in Isola (see
// bench.h and docs/performance.md). Each figure is the median of many
// batches, after a warm-up batch, in TSC cycles per operation, with the
// 10th and 90th percentiles; one line per figure:
//   bench: KEY MEDIAN P10 P90 UNIT
// then `bench: done` (or `bench: failed ...`), and bench exits. An
// argument names the one row to run (image_open, loop, cycles_read,
// kernel_call, yield, roundtrip, roundtrip_block, select_roundtrip,
// spawn) and a second how many times; none: every row once.
#include "bench.h"

#include <isola/err.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

SIP_NS_ENDPOINT(0); // started by the kernel: no name service, stdout is the log

static uint64_t samples[BENCH_SAMPLES_MAX];
static struct bench_ctx ctx;

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

// The p-th percentile (0..100) of the sorted samples[0..n).
static uint64_t pct(uint32_t n, uint32_t p)
{
	uint32_t i = (n - 1) * p / 100;

	return i < BENCH_SAMPLES_MAX ? samples[i] : 0;
}

static void report(const char *key, uint32_t n, uint32_t div, const char *unit)
{
	qsort(samples, n, sizeof(samples[0]), cmp_u64);
	printf("bench: %s %llu %llu %llu %s\n", key, (unsigned long long)(pct(n, 50) / div),
	       (unsigned long long)(pct(n, 10) / div), (unsigned long long)(pct(n, 90) / div),
	       unit);
}

// Times bench_mode.samples batches of `per` operations (after one warm-up
// batch) and reports cycles per operation, divided by div.
static void measure(const char *key, enum bench_op op, uint32_t per, uint32_t div)
{
	uint32_t n = bench_mode.samples < BENCH_SAMPLES_MAX ? bench_mode.samples
							    : BENCH_SAMPLES_MAX;

	bench_run(&ctx, op, per);
	for (uint32_t s = 0; s < n; s++) {
		int64_t c0 = isola_cycles();

		bench_run(&ctx, op, per);
		samples[s] = (uint64_t)(isola_cycles() - c0) / per;
	}
	if (!ctx.failed)
		report(key, n, div, "cycles");
}

// The first image_open of NAME (verify + prepare): cycles, and per KiB.
static void image_load(const char *name)
{
	static char diag[128];
	char path[48], key[64];
	char none[1];
	int32_t size;

	snprintf(path, sizeof(path), "sips/%s.sip", name);
	size = isola_initrd_read(BENCH_PM, path, (uint32_t)strlen(path), none, 0);
	int64_t c0 = isola_cycles();
	int32_t img = isola_image_open(BENCH_PM, name, (uint32_t)strlen(name), diag,
				       sizeof(diag));
	uint64_t c = (uint64_t)(isola_cycles() - c0);

	if (bench_is_err(img) || size <= 0) {
		printf("bench: failed image_open %s (%d) %s\n", name, (int)img, diag);
		ctx.failed = bench_is_err(img) ? img : size;
		return;
	}
	isola_image_close((uint32_t)img);
	snprintf(key, sizeof(key), "image_open_%s", name);
	printf("bench: %s %llu %llu %llu cycles\n", key, (unsigned long long)c,
	       (unsigned long long)c, (unsigned long long)c);
	snprintf(key, sizeof(key), "image_bytes_%s", name);
	printf("bench: %s %d %d %d bytes\n", key, (int)size, (int)size, (int)size);
	snprintf(key, sizeof(key), "image_open_per_kib_%s", name);
	uint64_t per = c * 1024 / (uint64_t)size;

	printf("bench: %s %llu %llu %llu cycles\n", key, (unsigned long long)per,
	       (unsigned long long)per, (unsigned long long)per);
}

// Yields and round trips against benchpong in the given mode.
static void with_pong(const char *mode, const char *key, enum bench_op op, uint32_t div)
{
	// A yielding benchpong must outlast every yield of ours, warm-up included.
	uint32_t n = (bench_mode.samples + 1) * bench_mode.ipc + 1000;
	int32_t id = bench_pong_start(&ctx, mode, n);

	if (id < 0) {
		ctx.failed = id;
		return;
	}
	measure(key, op, bench_mode.ipc, div);
	int32_t err = bench_pong_stop(&ctx, id);

	if (err < 0 && !ctx.failed)
		ctx.failed = err;
}

static bool wanted(const char *row);

static void blocks(void)
{
	static const uint32_t sizes[] = { 4, 64, 1024, 4096, 65536 };
	char key[48];
	int32_t id = bench_pong_start(&ctx, "recv", 0);

	if (id < 0) {
		ctx.failed = id;
		return;
	}
	for (uint32_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && !ctx.failed; i++) {
		ctx.block_size = sizes[i];
		snprintf(key, sizeof(key), "roundtrip_block_%u", (unsigned)sizes[i]);
		if (wanted("roundtrip_block") || wanted(key))
			measure(key, OP_RT_BLOCK, bench_mode.ipc, 1);
	}
	int32_t err = bench_pong_stop(&ctx, id);

	if (err < 0 && !ctx.failed)
		ctx.failed = err;
}

static void spawns(void)
{
	static char diag[128];
	int32_t img = isola_image_open(BENCH_PM, "benchnull", 9, diag, sizeof(diag));

	if (bench_is_err(img)) {
		ctx.failed = img;
		return;
	}
	ctx.image = (uint32_t)img;
	measure("spawn", OP_SPAWN, bench_mode.spawns, 1);
	isola_image_close(ctx.image);
}

// The row to run: all, or the one named by the argument (initargs=, as
// `init=bench initargs=roundtrip`), so that a profile covers one loop.
// roundtrip_block_SIZE names one size of roundtrip_block.
static char only[32];
static bool only_seen;

static bool wanted(const char *row)
{
	if (only[0] == '\0')
		return true;
	if (strcmp(only, row) != 0)
		return false;
	only_seen = true;
	return true;
}

static void run_rows(void)
{
	// First opens, before anything else opens these images.
	if (wanted("image_open")) {
		image_load("benchnull");
		image_load("benchpong");
		image_load("benchbig");
	}
	if (wanted("loop"))
		measure("loop", OP_LOOP, bench_mode.cheap, 1);
	if (wanted("cycles_read"))
		measure("cycles_read", OP_CYCLES, bench_mode.cheap, 1);
	if (wanted("kernel_call"))
		measure("kernel_call", OP_ARGS, bench_mode.cheap, 1);
	// Each of our yields is two: to benchpong and back.
	if (wanted("yield"))
		with_pong("yield", "yield", OP_YIELD, 2);
	if (wanted("roundtrip"))
		with_pong("recv", "roundtrip", OP_RT, 1);
	if (only[0] == '\0' || strncmp(only, "roundtrip_block", 15) == 0)
		blocks(); // the whole row, or one size of it
	if (wanted("select_roundtrip"))
		with_pong("select", "select_roundtrip", OP_RT_SELECT, 1);
	if (wanted("spawn"))
		spawns();
}

// bench [ROW [TIMES]]: every row once, or ROW TIMES times (a longer loop
// for a profile: docs/profiling.md).
int main(int argc, SIP_COUNT(argc) char **argv)
{
	long times = argc > 2 ? strtol(argv[2], NULL, 10) : 1;

	if (argc > 1)
		snprintf(only, sizeof(only), "%s", argv[1]);
	if (times < 1 || times > 1000)
		times = 1;
	printf("bench: mode %s samples %u\n", bench_mode.name, (unsigned)bench_mode.samples);
	for (long i = 0; i < times && !ctx.failed; i++)
		run_rows();
	if (only[0] != '\0' && !only_seen) {
		printf("bench: failed: no row named '%s' (rows: image_open loop "
		       "cycles_read kernel_call yield roundtrip roundtrip_block "
		       "roundtrip_block_SIZE select_roundtrip spawn)\n",
		       only);
		return 2;
	}
	if (ctx.failed) {
		printf("bench: failed %d\n", (int)ctx.failed);
		return 1;
	}
	printf("bench: done\n");
	return 0;
}
