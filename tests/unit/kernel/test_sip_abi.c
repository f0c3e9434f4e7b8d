// SPDX-License-Identifier: MIT
// The kernel ABI's basic, exchange-heap and endpoint-set functions, called
// as a SIP calls them (the import resolver's binding, the engine's
// host-call signature), each with good arguments, bad ones (an ordinary
// failure returned as -code) and hostile ones (pointer and length that
// wrap, run past the end of linear memory, or name forged, stale or
// wrong-kind handles), which stop the SIP with the code docs/abi.md gives.
// After each test the kernel is back at its baseline.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "abi_fixture.h"

#include <entropy.h>

#define SCRATCH 0x100u

// Pointer and length pairs that leave linear memory of size m.
static void each_bad_range(uint64_t m, void (*fn)(struct sip *s, uint64_t p,
						   uint64_t n),
			   struct sip *s)
{
	const uint64_t bad[][2] = {
		{ m - 1, 2 },	       // one byte past the end
		{ m + 1, 0 },	       // empty, but starts past the end
		{ 0xffffffffu, 1 },    // the top of the 32-bit space
		{ 0xfffffff0u, 0x20 }, // wraps around 2^32
		{ 16, 0xffffffffu },   // length wraps
		{ m, 1 },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		fn(s, bad[i][0], bad[i][1]);
}

// ---- basics ----

static void log_bad(struct sip *s, uint64_t p, uint64_t n)
{
	ABI_STOPS(s, "log", ERR_ABI_RANGE, ARGS(p, n));
}

static void log_lines(void **state)
{
	struct fixture *f = *state;
	memcpy(abi_at(f->s, SCRATCH), "hi\x01there", 8);
	host_log_clear();
	assert_int_equal(ABI_OK(f->s, "log", ARGS(SCRATCH, 8)), 0);
	assert_true(host_log_has("[hello] hi?there"));
	// Ranges that end exactly at the end of memory are fine.
	assert_int_equal(ABI_OK(f->s, "log", ARGS(f->msize - 2, 2)), 0);
	assert_int_equal(ABI_OK(f->s, "log", ARGS(f->msize, 0)), 0);
	each_bad_range(f->msize, log_bad, f->s);
}

static void exit_stops(void **state)
{
	struct fixture *f = *state;
	ABI_STOPS(f->s, "exit", ERR_SIP_EXITED, ARGS(5));
	assert_int_equal(f->s->exit_code, 5);
	ABI_STOPS(f->s, "exit", ERR_SIP_EXITED, ARGS(0xffffffffu));
	assert_int_equal(f->s->exit_code, -1);
}

static void time_and_sleep(void **state)
{
	struct fixture *f = *state;
	uint64_t saved = host_env.now_ns;
	ABI_OK(f->s, "yield", NOARGS);
	host_env.now_ns = 12345;
	assert_int_equal(ABI_OK(f->s, "time_ns", NOARGS), 12345);
	assert_int_equal(ABI_OK(f->s, "cycles", NOARGS), 12345);
	ABI_OK(f->s, "sleep_ns", ARGS(1000));
	assert_true(host_env.now_ns >= 12345 + 1000);
	uint64_t t = host_env.now_ns;
	ABI_OK(f->s, "sleep_ns", ARGS((uint64_t)-5)); // negative: no sleep
	assert_true(host_env.now_ns - t <= 1);
	// The longest sleep is capped at 2^62 ns.
	ABI_OK(f->s, "sleep_ns", ARGS(INT64_MAX));
	assert_true(host_env.now_ns - t <= (1ull << 62) + 2);
	// A kill ends a sleep at once.
	f->s->kill_requested = true;
	ABI_STOPS(f->s, "sleep_ns", ERR_ENG_KILLED, ARGS(1000));
	f->s->kill_requested = false;
	host_env.now_ns = saved;
}

static void args_bad(struct sip *s, uint64_t p, uint64_t n)
{
	ABI_STOPS(s, "args", ERR_ABI_RANGE, ARGS(p, n));
}

static void args_copied(void **state)
{
	struct fixture *f = *state;
	memset(abi_at(f->s, SCRATCH), 'x', 16);
	assert_int_equal(ABI_OK(f->s, "args", ARGS(SCRATCH, 16)), 5);
	assert_memory_equal(abi_at(f->s, SCRATCH), "hello", 5);
	assert_int_equal(ABI_OK(f->s, "args", ARGS(SCRATCH + 32, 2)), 5);
	assert_memory_equal(abi_at(f->s, SCRATCH + 32), "he", 2);
	assert_int_equal(*abi_at(f->s, SCRATCH + 34), 0); // not written
	assert_int_equal(ABI_OK(f->s, "args", ARGS(f->msize, 0)), 5);
	assert_int_equal(ABI_OK(f->s, "args", ARGS(f->msize - 5, 5)), 5);
	each_bad_range(f->msize, args_bad, f->s);
}

static void random_bad(struct sip *s, uint64_t p, uint64_t n)
{
	ABI_STOPS(s, "random", ERR_ABI_RANGE, ARGS(p, n));
}

// random fills exactly the bytes asked for, from either source (the CPU's
// generator, here the host's, or the seeded fallback); two draws differ;
// more than 256 bytes is refused without a write; a bad range stops.
static void random_filled(void **state)
{
	struct fixture *f = *state;
	uint8_t a[64], b[64];

	for (int hw = 0; hw < 2; hw++) {
		host_env.hw_random = hw;
		memset(abi_at(f->s, SCRATCH), 0, 130);
		assert_int_equal(ABI_OK(f->s, "random", ARGS(SCRATCH, 64)), 0);
		memcpy(a, abi_at(f->s, SCRATCH), 64);
		assert_int_equal(ABI_OK(f->s, "random", ARGS(SCRATCH + 64, 64)), 0);
		memcpy(b, abi_at(f->s, SCRATCH + 64), 64);
		assert_memory_not_equal(a, b, 64);
		assert_int_equal(*abi_at(f->s, SCRATCH + 128), 0); // not written
		assert_int_equal(entropy_hw(), hw);
		int ones = 0;
		for (int i = 0; i < 64; i++)
			ones += __builtin_popcount(a[i]);
		assert_in_range(ones, 160, 352); // 512 bits, about half set
	}
	host_env.hw_random = false;
	memset(abi_at(f->s, SCRATCH), 0, 300);
	ABI_FAILS(f->s, "random", ERR_RANGE, ARGS(SCRATCH, 257));
	assert_int_equal(*abi_at(f->s, SCRATCH), 0);
	assert_int_equal(ABI_OK(f->s, "random", ARGS(SCRATCH, 256)), 0);
	assert_int_equal(ABI_OK(f->s, "random", ARGS(f->msize, 0)), 0);
	each_bad_range(f->msize, random_bad, f->s);
}

// ---- blocks ----

static uint32_t blk_new(struct sip *s, uint32_t size)
{
	uint64_t h = ABI_OK(s, "blk_alloc", ARGS(size, 0));
	assert_true((int32_t)h > 0);
	return (uint32_t)h;
}

static void blocks_good(void **state)
{
	struct fixture *f = *state;
	uint32_t h = blk_new(f->s, 16);
	assert_int_equal(ABI_OK(f->s, "blk_len", ARGS(h)), 16);
	memcpy(abi_at(f->s, SCRATCH), "abcdefgh", 8);
	assert_int_equal(ABI_OK(f->s, "blk_write", ARGS(h, 8, SCRATCH, 8)), 0);
	memset(abi_at(f->s, SCRATCH + 64), 0x55, 16);
	assert_int_equal(ABI_OK(f->s, "blk_read", ARGS(h, 0, SCRATCH + 64, 16)), 0);
	assert_memory_equal(abi_at(f->s, SCRATCH + 64), "\0\0\0\0\0\0\0\0abcdefgh", 16);
	assert_int_equal(ABI_OK(f->s, "blk_load8", ARGS(h, 15)), 'h');
	assert_int_equal(ABI_OK(f->s, "blk_load32", ARGS(h, 12)), 0x68676665);
	ABI_OK(f->s, "blk_store8", ARGS(h, 0, 0x1ff)); // only the low byte
	assert_int_equal(ABI_OK(f->s, "blk_load8", ARGS(h, 0)), 0xff);
	ABI_OK(f->s, "blk_store32", ARGS(h, 12, 0xdeadbeef));
	assert_int_equal(ABI_OK(f->s, "blk_load32", ARGS(h, 12)), 0xdeadbeef);
	ABI_OK(f->s, "blk_store64", ARGS(h, 8, 0x0123456789abcdefull));
	assert_int_equal(ABI_OK(f->s, "blk_load64", ARGS(h, 8)), 0x0123456789abcdefull);
	// Empty copies at the block's end.
	assert_int_equal(ABI_OK(f->s, "blk_read", ARGS(h, 16, SCRATCH, 0)), 0);
	assert_int_equal(ABI_OK(f->s, "blk_write", ARGS(h, 16, f->msize, 0)), 0);
	assert_int_equal(ABI_OK(f->s, "blk_free", ARGS(h)), 0);
	assert_int_equal(ABI_OK(f->s, "blk_free", ARGS(0)), 0); // 0 is ignored
}

static void blocks_ordinary_failures(void **state)
{
	struct fixture *f = *state;
	ABI_FAILS(f->s, "blk_alloc", ERR_XHEAP_SIZE, ARGS(0, 0));
	ABI_FAILS(f->s, "blk_alloc", ERR_XHEAP_SIZE, ARGS(XHEAP_MAX_BLOCK + 1, 0));
	ABI_FAILS(f->s, "blk_alloc", ERR_XHEAP_SIZE, ARGS(0xffffffffu, 0));
	// Over the SIP's exchange limit (16 MiB by default).
	uint32_t h = blk_new(f->s, 12u << 20);
	ABI_FAILS(f->s, "blk_alloc", ERR_SIP_MEMORY_LIMIT, ARGS(8u << 20, 0));
	ABI_OK(f->s, "blk_free", ARGS(h));
	h = blk_new(f->s, 8u << 20); // the limit is free again
	ABI_OK(f->s, "blk_free", ARGS(h));
	// The exchange heap's pages run out: an ordinary failure too.
	size_t saved = host_env.frames_free;
	host_env.frames_free = 0;
	ABI_FAILS(f->s, "blk_alloc", ERR_XHEAP_NOMEM, ARGS(64 << 10, 0));
	host_env.frames_free = saved;
}

static void blocks_hostile(void **state)
{
	struct fixture *f = *state;
	uint32_t h = blk_new(f->s, 16);
	uint64_t m = f->msize;
	// Offsets and lengths outside the block, wrapping or not.
	ABI_STOPS(f->s, "blk_write", ERR_ABI_RANGE, ARGS(h, 9, SCRATCH, 8));
	ABI_STOPS(f->s, "blk_write", ERR_ABI_RANGE, ARGS(h, 0xffffffffu, SCRATCH, 2));
	ABI_STOPS(f->s, "blk_read", ERR_ABI_RANGE, ARGS(h, 17, SCRATCH, 0));
	ABI_STOPS(f->s, "blk_read", ERR_ABI_RANGE, ARGS(h, 8, SCRATCH, 0xfffffff9u));
	ABI_STOPS(f->s, "blk_load8", ERR_ABI_RANGE, ARGS(h, 16));
	ABI_STOPS(f->s, "blk_load32", ERR_ABI_RANGE, ARGS(h, 13));
	ABI_STOPS(f->s, "blk_load64", ERR_ABI_RANGE, ARGS(h, 9));
	ABI_STOPS(f->s, "blk_load64", ERR_ABI_RANGE, ARGS(h, 0xfffffffcu));
	ABI_STOPS(f->s, "blk_store8", ERR_ABI_RANGE, ARGS(h, 16, 1));
	ABI_STOPS(f->s, "blk_store32", ERR_ABI_RANGE, ARGS(h, 0xfffffffeu, 1));
	ABI_STOPS(f->s, "blk_store64", ERR_ABI_RANGE, ARGS(h, 12, 1));
	// Linear-memory sides outside memory.
	ABI_STOPS(f->s, "blk_read", ERR_ABI_RANGE, ARGS(h, 0, m - 4, 8));
	ABI_STOPS(f->s, "blk_write", ERR_ABI_RANGE, ARGS(h, 0, 0xfffffff8u, 16));
	ABI_STOPS(f->s, "blk_write", ERR_ABI_RANGE, ARGS(h, 0, m + 1, 0));
	// Nothing was written by any of them.
	assert_int_equal(ABI_OK(f->s, "blk_load64", ARGS(h, 8)), 0);
	// Forged, wrong-kind and stale handles.
	ABI_STOPS(f->s, "blk_len", ERR_HANDLE_INVALID, ARGS(0x7777));
	ABI_STOPS(f->s, "blk_len", ERR_HANDLE_INVALID, ARGS(0));
	ABI_STOPS(f->s, "blk_len", ERR_HANDLE_INVALID, ARGS(h + 1));
	ABI_STOPS(f->s, "blk_len", ERR_HANDLE_INVALID, ARGS(h + 0x10000)); // a later generation
	ABI_STOPS(f->s, "blk_len", ERR_HANDLE_INVALID, ARGS(h | 0x80000000u));
	ABI_OK(f->s, "blk_free", ARGS(h));
	ABI_STOPS(f->s, "blk_len", ERR_HANDLE_STALE, ARGS(h));
	ABI_STOPS(f->s, "blk_free", ERR_HANDLE_STALE, ARGS(h));
	ABI_STOPS(f->s, "blk_read", ERR_HANDLE_STALE, ARGS(h, 0, SCRATCH, 1));
	ABI_STOPS(f->s, "blk_store8", ERR_HANDLE_STALE, ARGS(h, 0, 1));
	// An endpoint is not a block, and a block not an endpoint.
	abi_put_hash(f->s, SCRATCH, "kv");
	ABI_OK(f->s, "chan_create", ARGS(SCRATCH, SCRATCH + 32, SCRATCH + 36));
	uint32_t exp = abi_get32(f->s, SCRATCH + 32);
	uint32_t imp = abi_get32(f->s, SCRATCH + 36);
	ABI_STOPS(f->s, "blk_len", ERR_HANDLE_KIND, ARGS(exp));
	ABI_STOPS(f->s, "blk_free", ERR_HANDLE_KIND, ARGS(imp));
	h = blk_new(f->s, 4);
	ABI_STOPS(f->s, "chan_close", ERR_HANDLE_KIND, ARGS(h));
	ABI_OK(f->s, "chan_close", ARGS(exp));
	ABI_OK(f->s, "chan_close", ARGS(imp));
	ABI_OK(f->s, "blk_free", ARGS(h));
}

// A SIP's table has SIP_HANDLES slots: the next block is -ERR_LIMIT,
// and a channel needs two.
static void handle_table_full(void **state)
{
	struct fixture *f = *state;
	static uint32_t hs[SIP_HANDLES];
	uint32_t n = 0;
	for (;;) {
		uint64_t h = ABI_OK(f->s, "blk_alloc", ARGS(1, 0));
		if ((int32_t)h < 0) {
			assert_int_equal((int32_t)h, -(int32_t)ERR_LIMIT);
			break;
		}
		hs[n++] = (uint32_t)h;
	}
	assert_int_equal(n, SIP_HANDLES);
	ABI_OK(f->s, "blk_free", ARGS(hs[--n]));
	abi_put_hash(f->s, SCRATCH, "kv");
	abi_put32(f->s, SCRATCH + 32, 0xaaaa);
	abi_put32(f->s, SCRATCH + 36, 0xbbbb);
	ABI_FAILS(f->s, "chan_create", ERR_LIMIT, ARGS(SCRATCH, SCRATCH + 32, SCRATCH + 36));
	assert_int_equal(abi_get32(f->s, SCRATCH + 32), 0);
	assert_int_equal(abi_get32(f->s, SCRATCH + 36), 0);
	assert_null(host_check_ownership());
	while (n)
		ABI_OK(f->s, "blk_free", ARGS(hs[--n]));
	// The slots are reused, with new generations.
	uint32_t h = blk_new(f->s, 1);
	assert_int_not_equal(h, hs[0]);
	ABI_OK(f->s, "blk_free", ARGS(h));
}

// ---- the endpoint set ----

static void eset_round_trip(void **state)
{
	struct fixture *f = *state;
	struct sip *s = f->s;
	abi_put_hash(s, SCRATCH, "kv");
	ABI_OK(s, "chan_create", ARGS(SCRATCH, SCRATCH + 32, SCRATCH + 36));
	uint32_t exp = abi_get32(s, SCRATCH + 32);
	uint32_t imp = abi_get32(s, SCRATCH + 36);
	uint32_t key = (uint32_t)ABI_OK(s, "eset_put", ARGS(exp));
	assert_true((int32_t)key > 0);
	// Parking killed the handle; the key is not an endpoint.
	ABI_STOPS(s, "chan_close", ERR_HANDLE_STALE, ARGS(exp));
	ABI_STOPS(s, "chan_close", ERR_HANDLE_KIND, ARGS(key));
	ABI_STOPS(s, "eset_put", ERR_HANDLE_STALE, ARGS(exp));
	ABI_STOPS(s, "eset_take", ERR_HANDLE_KIND, ARGS(imp, 0));
	// Nothing to receive: select on the key times out.
	abi_put32(s, SCRATCH + 64, key);
	ABI_FAILS(s, "eset_select", ERR_TIMEOUT, ARGS(SCRATCH + 64, 1, 0, SCRATCH + 68));
	// A message towards the parked end wakes its select.
	uint32_t blk = (uint32_t)ABI_OK(s, "blk_alloc", ARGS(3, abi_bytes_type()));
	abi_put32(s, SCRATCH + 72, blk);
	ABI_OK(s, "chan_send", ARGS(imp, abi_msg("kv", "get"), SCRATCH + 72, 4));
	abi_put32(s, SCRATCH + 68, 99);
	assert_int_equal(ABI_OK(s, "eset_select", ARGS(SCRATCH + 64, 1, 0, SCRATCH + 68)), 0);
	assert_int_equal(abi_get32(s, SCRATCH + 68), 0);
	// Taking it back with the wrong contract's hash stops the SIP.
	abi_put_hash(s, SCRATCH + 128, "timer");
	ABI_STOPS(s, "eset_take", ERR_CHAN_CONTRACT, ARGS(key, SCRATCH + 128));
	ABI_STOPS(s, "eset_take", ERR_ABI_RANGE, ARGS(key, f->msize - 31));
	ABI_STOPS(s, "eset_take", ERR_ABI_RANGE, ARGS(key, 0xfffffff0u));
	uint32_t ep = (uint32_t)ABI_OK(s, "eset_take", ARGS(key, SCRATCH));
	ABI_STOPS(s, "eset_take", ERR_HANDLE_STALE, ARGS(key, 0));
	ABI_STOPS(s, "eset_select", ERR_HANDLE_STALE, ARGS(SCRATCH + 64, 1, 0, SCRATCH + 68));
	ABI_OK(s, "chan_close", ARGS(ep)); // frees the queued block too
	ABI_OK(s, "chan_close", ARGS(imp));
}

// The invariant check the fuzzer relies on sees a block named by a
// handle of a SIP that does not hold it, and a block named twice.
static void ownership_check_catches(void **state)
{
	struct fixture *f = *state;
	uint32_t id;
	struct sip *other = abi_sip(&id);
	uint32_t h = blk_new(f->s, 8);
	void *b;
	handle_t h2, h3;
	assert_int_equal(handle_get(&f->s->handles, h, HANDLE_KIND_BLOCK, &b), ERR_OK);
	assert_null(host_check_ownership());
	assert_int_equal(handle_insert(&other->handles, HANDLE_KIND_BLOCK, b, &h2), ERR_OK);
	assert_non_null(host_check_ownership());
	assert_int_equal(handle_take(&other->handles, h2, HANDLE_KIND_BLOCK, &b), ERR_OK);
	assert_int_equal(handle_insert(&f->s->handles, HANDLE_KIND_BLOCK, b, &h3), ERR_OK);
	assert_non_null(host_check_ownership());
	assert_int_equal(handle_take(&f->s->handles, h3, HANDLE_KIND_BLOCK, &b), ERR_OK);
	assert_null(host_check_ownership());
	abi_end(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(log_lines, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(exit_stops, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(time_and_sleep, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(args_copied, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(random_filled, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(blocks_good, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(blocks_ordinary_failures, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(blocks_hostile, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(handle_table_full, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(eset_round_trip, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(ownership_check_catches, abi_setup, abi_teardown),
	};
	return cmocka_run_group_tests(tests, abi_boot, NULL);
}
