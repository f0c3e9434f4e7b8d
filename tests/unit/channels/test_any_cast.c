// SPDX-License-Identifier: MIT
// The casts of generated headers between typed endpoints and struct
// isola_endpoint (`endpoint` fields), and parking, run on the host:
// rt_chan_info, rt_chan_close and rt_eset_* stand in for libsip and report
// what the "kernel" says. A cast that matches keeps the handle; any other
// answer closes it.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kv.h"
#include "ns.h"
#include "provider.h"
#include "timer.h"

enum { EXP = 0, IMP = 1 }; // sides as chan_info reports them

static struct isola_chan_info fake_info;
static int32_t fake_info_err;
static uint32_t closed_h, n_closed;

int32_t rt_chan_info(uint32_t ep, struct isola_chan_info *out)
{
	(void)ep;
	if (fake_info_err == 0)
		*out = fake_info;
	return fake_info_err;
}

void rt_chan_close(uint32_t ep)
{
	closed_h = ep;
	n_closed++;
}

// The endpoint set: put gives key h + 1000; take gives back handle key + 1
// and remembers the contract hash it was told.
static uint32_t put_h, taken_key;
static const uint8_t *taken_hash;

uint32_t rt_eset_put(uint32_t ep)
{
	put_h = ep;
	return ep + 1000;
}

uint32_t rt_eset_take(uint32_t key, const uint8_t *hash)
{
	taken_key = key;
	taken_hash = hash;
	return key + 1;
}

static void say(const uint8_t *hash, uint8_t side, uint16_t state)
{
	memcpy(fake_info.hash, hash, sizeof(fake_info.hash));
	fake_info.side = side;
	fake_info.state = state;
	fake_info.closed = 0;
	fake_info_err = 0;
	n_closed = 0;
	closed_h = 0;
}

static const uint8_t kv_hash[32] = KV_CONTRACT_HASH;
static const uint8_t ns_hash[32] = NS_CONTRACT_HASH;
static const uint8_t provider_hash[32] = PROVIDER_CONTRACT_HASH;

static void test_abi_shape(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct isola_chan_info), 36);
	assert_int_equal(offsetof(struct isola_chan_info, state), 32);
	assert_int_equal(offsetof(struct isola_chan_info, side), 34);
	assert_int_equal(offsetof(struct isola_chan_info, closed), 35);
	assert_int_equal(ISOLA_ENDPOINT_MISMATCH, -2202);
	assert_int_equal(sizeof(struct provider_connect), 12);
	assert_int_equal(sizeof(struct ns_bind), 8);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct kv_imp_ready ep = { 41 };
	struct isola_endpoint any = kv_imp_ready_to_any(ep);
	assert_int_equal(any.h, 41);
	say(kv_hash, IMP, 0); // kv's first state, ready
	struct kv_imp_ready_cast c = kv_imp_ready_from_any(any);
	assert_int_equal(c.err, 0);
	assert_int_equal(c.ep.h, 41);
	assert_int_equal(n_closed, 0);
}

static void expect_refused(struct kv_imp_ready_cast c, uint32_t h)
{
	assert_int_equal(c.err, ISOLA_ENDPOINT_MISMATCH);
	assert_int_equal(n_closed, 1);
	assert_int_equal(closed_h, h);
}

static void test_mismatches_close(void **state)
{
	(void)state;
	struct isola_endpoint any = { 7 };
	say(kv_hash, IMP, 1); // answering, not ready
	expect_refused(kv_imp_ready_from_any(any), 7);
	say(kv_hash, EXP, 0); // the other side
	expect_refused(kv_imp_ready_from_any(any), 7);
	say(ns_hash, IMP, 0); // another contract
	expect_refused(kv_imp_ready_from_any(any), 7);
	uint8_t last[32];
	memcpy(last, kv_hash, 32);
	last[31] ^= 1; // the hash is compared to its last byte
	say(last, IMP, 0);
	expect_refused(kv_imp_ready_from_any(any), 7);
	say(kv_hash, IMP, 0);
	fake_info_err = -2201; // no such endpoint
	expect_refused(kv_imp_ready_from_any(any), 7);
}

// Interface form: no state to compare, any value the kernel reports fits.
static void test_interface_ignores_state(void **state)
{
	(void)state;
	struct isola_endpoint any = provider_imp_to_any((struct provider_imp){ 9 });
	say(provider_hash, IMP, 3);
	struct provider_imp_cast c = provider_imp_from_any(any);
	assert_int_equal(c.err, 0);
	assert_int_equal(c.ep.h, 9);
	say(provider_hash, IMP, 0);
	struct provider_exp_cast x = provider_exp_from_any(any);
	assert_int_equal(x.err, ISOLA_ENDPOINT_MISMATCH);
	assert_int_equal(n_closed, 1);
}

// The name service's forms: a self reference and an any field.
static void test_ns_fields(void **state)
{
	(void)state;
	struct ns_attach a = { .client = { 5 } };
	struct ns_bind b = { .path = { 1 }, .client = ns_exp_idle_to_any(a.client) };
	assert_int_equal(b.client.h, 5);
	say(ns_hash, EXP, 0);
	struct ns_exp_idle_cast c = ns_exp_idle_from_any(b.client);
	assert_int_equal(c.err, 0);
	assert_int_equal(c.ep.h, 5);
	say(ns_hash, EXP, 0);
	struct ns_exp_replying_cast r = ns_exp_replying_from_any(b.client);
	assert_int_equal(r.err, ISOLA_ENDPOINT_MISMATCH);
	say(ns_hash, EXP, 0);
	struct timer_exp_cast t = timer_exp_from_any(b.client);
	assert_int_equal(t.err, ISOLA_ENDPOINT_MISMATCH);
}

// Parking gives the key; unparking names the contract to the kernel and
// checks side and state as from_any does.
static void test_park_unpark(void **state)
{
	(void)state;
	uint32_t key = kv_imp_ready_park((struct kv_imp_ready){ 41 });
	assert_int_equal(put_h, 41);
	assert_int_equal(key, 1041);
	say(kv_hash, IMP, 0);
	struct kv_imp_ready_cast c = kv_imp_ready_unpark(key);
	assert_int_equal(taken_key, 1041);
	assert_non_null(taken_hash);
	assert_memory_equal(taken_hash, kv_hash, 32);
	assert_int_equal(c.err, 0);
	assert_int_equal(c.ep.h, 1042);
	assert_int_equal(n_closed, 0);
	say(kv_hash, IMP, 1); // parked while answering: not ready
	expect_refused(kv_imp_ready_unpark(7), 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_park_unpark),
		cmocka_unit_test(test_abi_shape),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_mismatches_close),
		cmocka_unit_test(test_interface_ignores_state),
		cmocka_unit_test(test_ns_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
