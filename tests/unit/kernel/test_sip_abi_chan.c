// SPDX-License-Identifier: MIT
// The channel part of the kernel ABI, between driven SIPs: create, send,
// try_send, recv, select, close, info and expect with good arguments,
// ordinary failures (a closed peer, a time-out, an unknown contract) and
// hostile ones (ranges past the end of memory or wrapping, forged, stale
// and wrong-kind handles in arguments and in a message's fields, messages
// the contract's state does not allow), which stop the SIP with nothing
// moved. Blocks and endpoints carried by messages change hands exactly
// once; a SIP that ends with messages in flight leaves nothing behind.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "abi_fixture.h"

#define P 0x100u    // a payload
#define BUF 0x200u  // a receive buffer
#define OUT 0x300u  // out words
#define HASH 0x400u // a contract hash

static uint32_t blk_with(struct sip *s, const char *text)
{
	uint32_t n = (uint32_t)strlen(text);
	uint32_t h = (uint32_t)ABI_OK(s, "blk_alloc", ARGS(n, abi_bytes_type()));
	assert_true((int32_t)h > 0);
	memcpy(abi_at(s, P + 0x80), text, n);
	assert_int_equal(ABI_OK(s, "blk_write", ARGS(h, 0, P + 0x80, n)), 0);
	return h;
}

static void create_and_info(void **state)
{
	struct fixture *f = *state;
	struct sip *s = f->s;
	uint64_t m = f->msize;
	abi_put_hash(s, HASH, "kv");
	assert_int_equal(ABI_OK(s, "chan_create", ARGS(HASH, OUT, OUT + 4)), 0);
	uint32_t exp = abi_get32(s, OUT), imp = abi_get32(s, OUT + 4);
	assert_true((int32_t)exp > 0 && (int32_t)imp > 0 && exp != imp);
	assert_int_equal(ABI_OK(s, "chan_info", ARGS(imp, m - 36)), 0);
	assert_memory_equal(abi_at(s, m - 36), abi_at(s, HASH), 32);
	assert_int_equal(*abi_at(s, m - 2), 1); // importer
	assert_int_equal(*abi_at(s, m - 1), 0); // not closed
	ABI_STOPS(s, "chan_info", ERR_ABI_RANGE, ARGS(imp, m - 35));
	ABI_STOPS(s, "chan_info", ERR_ABI_RANGE, ARGS(imp, 0xffffffe0u));
	assert_int_equal(ABI_OK(s, "chan_expect", ARGS(exp, HASH)), exp);
	// An unknown contract: both ends written as 0.
	abi_put32(s, OUT + 8, 0x1234);
	abi_put32(s, OUT + 12, 0x1234);
	abi_at(s, HASH)[0] ^= 1;
	ABI_FAILS(s, "chan_create", ERR_NOTFOUND, ARGS(HASH, OUT + 8, OUT + 12));
	assert_int_equal(abi_get32(s, OUT + 8), 0);
	assert_int_equal(abi_get32(s, OUT + 12), 0);
	ABI_STOPS(s, "chan_expect", ERR_CHAN_CONTRACT, ARGS(exp, HASH));
	// Hash and out pointers outside memory: nothing is made.
	ABI_STOPS(s, "chan_create", ERR_ABI_RANGE, ARGS(m - 31, OUT, OUT + 4));
	ABI_STOPS(s, "chan_create", ERR_ABI_RANGE, ARGS(0xfffffff0u, OUT, OUT + 4));
	ABI_STOPS(s, "chan_create", ERR_ABI_RANGE, ARGS(HASH, m - 3, OUT + 4));
	ABI_STOPS(s, "chan_create", ERR_ABI_RANGE, ARGS(HASH, OUT, 0xfffffffeu));
	ABI_STOPS(s, "chan_expect", ERR_ABI_RANGE, ARGS(exp, m - 16));
	assert_int_equal(s->handles.used, 2);
	// Close: handle 0 is ignored; a closed handle is stale; the peer sees
	// the close.
	assert_int_equal(ABI_OK(s, "chan_close", ARGS(0)), 0);
	assert_int_equal(ABI_OK(s, "chan_close", ARGS(exp)), 0);
	ABI_STOPS(s, "chan_close", ERR_HANDLE_STALE, ARGS(exp));
	ABI_STOPS(s, "chan_info", ERR_HANDLE_STALE, ARGS(exp, OUT));
	ABI_STOPS(s, "chan_expect", ERR_HANDLE_STALE, ARGS(exp, HASH));
	ABI_STOPS(s, "chan_info", ERR_HANDLE_INVALID, ARGS(0x4242, OUT));
	assert_int_equal(ABI_OK(s, "chan_info", ARGS(imp, OUT)), 0);
	assert_int_equal(*abi_at(s, OUT + 35), 1);
	assert_int_equal(ABI_OK(s, "chan_close", ARGS(imp)), 0);
}

// A get from b (importer) to a (exporter) with a block, the answer back.
static void send_recv_between_sips(void **state)
{
	struct fixture *f = *state;
	struct sip *a = f->s;
	uint32_t bid, ha, hb;
	struct sip *b = abi_sip(&bid);
	abi_link(a, b, "kv", &ha, &hb);
	uint32_t get = abi_msg("kv", "get"), missing = abi_msg("kv", "missing");
	uint32_t key = blk_with(b, "key");
	abi_put32(b, P, key);
	assert_int_equal(ABI_OK(b, "chan_send", ARGS(hb, get, P, 4)), 0);
	// Sent: b's handle is dead at once; the block is in flight.
	ABI_STOPS(b, "blk_len", ERR_HANDLE_STALE, ARGS(key));
	assert_null(host_check_ownership());
	assert_int_equal(kchan_heap()->in_flight.nblocks, 1);
	// a's buffer must hold the largest message its state can receive.
	ABI_STOPS(a, "chan_recv", ERR_CHAN_BUFFER,
		  ARGS(ha, BUF, abi_msg_size("kv", "put") - 1, OUT));
	ABI_STOPS(a, "chan_recv", ERR_ABI_RANGE, ARGS(ha, f->msize - 4, 8, OUT));
	ABI_STOPS(a, "chan_recv", ERR_ABI_RANGE, ARGS(ha, BUF, 8, f->msize - 2));
	assert_int_equal(ABI_OK(a, "chan_recv", ARGS(ha, BUF, 8, OUT)), 0);
	assert_int_equal(abi_get32(a, OUT), get);
	uint32_t got = abi_get32(a, BUF);
	assert_int_equal(ABI_OK(a, "blk_len", ARGS(got)), 3);
	assert_int_equal(ABI_OK(a, "blk_load8", ARGS(got, 0)), 'k');
	assert_null(host_check_ownership());
	// a now owes an answer: it cannot receive, and only found or missing
	// may go.
	abi_put32(a, OUT + 8, ha);
	ABI_STOPS(a, "chan_select", ERR_CHAN_PROTOCOL, ARGS(OUT + 8, 1, 0, OUT + 12));
	ABI_STOPS(a, "chan_send", ERR_CHAN_PROTOCOL, ARGS(ha, get, P, 4));
	assert_int_equal(ABI_OK(a, "chan_try_send", ARGS(ha, missing, P, 0)), 0);
	assert_int_equal(ABI_OK(b, "chan_recv", ARGS(hb, BUF, 64, OUT)), 0);
	assert_int_equal(abi_get32(b, OUT), missing);
	ABI_OK(a, "blk_free", ARGS(got));
	abi_end(bid);
	// b's end closed with it: a sees closed.
	ABI_FAILS(a, "chan_recv", ERR_CLOSED, ARGS(ha, BUF, 8, OUT));
	ABI_OK(a, "chan_close", ARGS(ha));
}

// Sends that must stop the sender, each with nothing moved: the state,
// the block and the handle are as they were, so a good send then works.
static void hostile_sends(void **state)
{
	struct fixture *f = *state;
	struct sip *s = f->s;
	uint64_t m = f->msize;
	abi_put_hash(s, HASH, "kv");
	ABI_OK(s, "chan_create", ARGS(HASH, OUT, OUT + 4));
	uint32_t exp = abi_get32(s, OUT), imp = abi_get32(s, OUT + 4);
	uint32_t get = abi_msg("kv", "get"), found = abi_msg("kv", "found");
	uint32_t key = blk_with(s, "k");
	abi_put32(s, P, key);
	ABI_STOPS(s, "chan_send", ERR_CHAN_PROTOCOL, ARGS(imp, found, P, 4)); // wrong way
	ABI_STOPS(s, "chan_send", ERR_CHAN_PROTOCOL, ARGS(exp, get, P, 4));   // wrong side
	ABI_STOPS(s, "chan_send", ERR_CHAN_PROTOCOL, ARGS(imp, 0xffff, P, 4));
	ABI_STOPS(s, "chan_send", ERR_CHAN_PAYLOAD, ARGS(imp, get, P, 3));
	ABI_STOPS(s, "chan_send", ERR_CHAN_PAYLOAD, ARGS(imp, get, P, 0xffffffffu));
	ABI_STOPS(s, "chan_send", ERR_ABI_RANGE, ARGS(imp, get, m - 2, 4));
	ABI_STOPS(s, "chan_send", ERR_ABI_RANGE, ARGS(imp, get, 0xfffffffeu, 4));
	ABI_STOPS(s, "chan_send", ERR_HANDLE_INVALID, ARGS(imp + 0x10000, get, P, 4));
	abi_put32(s, P + 4, 0x7777);
	ABI_STOPS(s, "chan_send", ERR_HANDLE_INVALID, ARGS(imp, get, P + 4, 4)); // forged field
	abi_put32(s, P + 4, exp);
	ABI_STOPS(s, "chan_send", ERR_HANDLE_KIND, ARGS(imp, get, P + 4, 4)); // endpoint as bytes
	ABI_STOPS(s, "chan_send", ERR_HANDLE_KIND, ARGS(key, get, P, 4));     // block as endpoint
	ABI_STOPS(s, "chan_try_send", ERR_HANDLE_INVALID, ARGS(0, get, P, 4));
	assert_int_equal(ABI_OK(s, "blk_len", ARGS(key)), 1); // still held
	assert_null(host_check_ownership());
	assert_int_equal(ABI_OK(s, "chan_send", ARGS(imp, get, P, 4)), 0);
	ABI_STOPS(s, "blk_len", ERR_HANDLE_STALE, ARGS(key));
	// The exporter closes with the block queued towards it: freed.
	ABI_OK(s, "chan_close", ARGS(exp));
	ABI_OK(s, "chan_close", ARGS(imp));
	assert_int_equal(kchan_heap()->nblocks, 0);
	// A send to a closed peer: -ERR_CLOSED, what it carried is freed.
	ABI_OK(s, "chan_create", ARGS(HASH, OUT, OUT + 4));
	exp = abi_get32(s, OUT);
	imp = abi_get32(s, OUT + 4);
	ABI_OK(s, "chan_close", ARGS(exp));
	uint32_t k2 = blk_with(s, "kk");
	abi_put32(s, P, k2);
	ABI_FAILS(s, "chan_send", ERR_CLOSED, ARGS(imp, get, P, 4));
	ABI_STOPS(s, "blk_len", ERR_HANDLE_STALE, ARGS(k2));
	assert_int_equal(kchan_heap()->nblocks, 0);
	ABI_OK(s, "chan_close", ARGS(imp));
}

static void select_and_wait(void **state)
{
	struct fixture *f = *state;
	struct sip *a = f->s;
	uint64_t m = f->msize;
	uint32_t bid, ha, hb;
	struct sip *b = abi_sip(&bid);
	abi_link(a, b, "kv", &ha, &hb);
	abi_put32(a, OUT, ha);
	uint64_t t0 = host_env.now_ns;
	ABI_FAILS(a, "chan_select", ERR_TIMEOUT, ARGS(OUT, 1, 0, OUT + 4));
	ABI_FAILS(a, "chan_select", ERR_TIMEOUT, ARGS(OUT, 1, 5000, OUT + 4));
	assert_true(host_env.now_ns >= t0 + 5000);
	ABI_STOPS(a, "chan_select", ERR_INVAL, ARGS(OUT, 0, 0, OUT + 4));
	ABI_STOPS(a, "chan_select", ERR_INVAL, ARGS(OUT, 65, 0, OUT + 4));
	ABI_STOPS(a, "chan_select", ERR_ABI_RANGE, ARGS(m - 2, 1, 0, OUT + 4));
	ABI_STOPS(a, "chan_select", ERR_ABI_RANGE, ARGS(0xfffffffcu, 2, 0, OUT + 4));
	ABI_STOPS(a, "chan_select", ERR_ABI_RANGE, ARGS(OUT, 1, 0, m - 3));
	abi_put32(a, OUT + 8, 0x5151);
	ABI_STOPS(a, "chan_select", ERR_HANDLE_INVALID, ARGS(OUT, 2, 0, OUT + 4));
	abi_put32(b, P, 0);
	ABI_OK(b, "chan_send", ARGS(hb, abi_msg("kv", "quit"), P, 0));
	abi_put32(a, OUT + 4, 77);
	assert_int_equal(ABI_OK(a, "chan_select", ARGS(OUT, 1, -1, OUT + 4)), 0);
	assert_int_equal(abi_get32(a, OUT + 4), 0);
	assert_int_equal(ABI_OK(a, "chan_recv", ARGS(ha, BUF, 8, OUT + 4)), 0);
	// Now in "done": nothing can come; a wait with no time limit would
	// never end, and the host's watchdog kills the waiting SIP.
	ABI_STOPS(a, "chan_recv", ERR_ENG_KILLED, ARGS(ha, BUF, 8, OUT + 4));
	abi_end(bid);
}

// A SIP that ends with a message in flight: the block is paid by its
// ended account until the receiver takes it, then the account goes.
static void in_flight_outlives_sender(void **state)
{
	struct fixture *f = *state;
	struct sip *a = f->s;
	uint32_t bid, ha, hb;
	struct sip *b = abi_sip(&bid);
	abi_link(a, b, "kv", &ha, &hb);
	uint32_t key = blk_with(b, "payload");
	abi_put32(b, P, key);
	ABI_OK(b, "chan_send", ARGS(hb, abi_msg("kv", "get"), P, 4));
	abi_end(bid);
	struct account_totals t;
	(void)account_sweep(kaccounts());
	account_set_totals(kaccounts(), &t);
	assert_int_equal(t.ended, 1); // b's account pays for the block
	assert_true(t.ended_bytes > 0);
	assert_int_equal(ABI_OK(a, "chan_recv", ARGS(ha, BUF, 8, OUT)), 0);
	uint32_t got = abi_get32(a, BUF);
	assert_int_equal(ABI_OK(a, "blk_len", ARGS(got)), 7);
	(void)account_sweep(kaccounts());
	account_set_totals(kaccounts(), &t);
	assert_int_equal(t.ended, 0);
	assert_null(host_check_ownership());
	ABI_OK(a, "chan_close", ARGS(ha));
	// a still holds the block: reclaim frees it.
}

// An endpoint carried in a message: naming.publish moves a kv exporter.
static void endpoints_move(void **state)
{
	struct fixture *f = *state;
	struct sip *s = f->s;
	abi_put_hash(s, HASH, "naming");
	ABI_OK(s, "chan_create", ARGS(HASH, OUT, OUT + 4));
	uint32_t nexp = abi_get32(s, OUT), nimp = abi_get32(s, OUT + 4);
	abi_put_hash(s, HASH, "kv");
	ABI_OK(s, "chan_create", ARGS(HASH, OUT, OUT + 4));
	uint32_t kexp = abi_get32(s, OUT), kimp = abi_get32(s, OUT + 4);
	uint32_t name = blk_with(s, "svc");
	uint32_t publish = abi_msg("naming", "publish");
	uint32_t size = abi_msg_size("naming", "publish");
	assert_int_equal(size, 8);
	abi_put32(s, P, name);
	abi_put32(s, P + 4, kimp); // an importer where an exporter must go
	ABI_STOPS(s, "chan_send", ERR_CHAN_PAYLOAD, ARGS(nimp, publish, P, size));
	abi_put32(s, P + 4, kexp);
	assert_int_equal(ABI_OK(s, "chan_send", ARGS(nimp, publish, P, size)), 0);
	ABI_STOPS(s, "chan_info", ERR_HANDLE_STALE, ARGS(kexp, BUF));
	ABI_STOPS(s, "blk_len", ERR_HANDLE_STALE, ARGS(name));
	assert_null(host_check_ownership());
	assert_int_equal(ABI_OK(s, "chan_recv", ARGS(nexp, BUF, 64, OUT)), 0);
	uint32_t kexp2 = abi_get32(s, BUF + 4);
	assert_int_not_equal(kexp2, kexp);
	assert_int_equal(ABI_OK(s, "chan_info", ARGS(kexp2, OUT)), 0);
	assert_int_equal(*abi_at(s, OUT + 34), 0); // the exporter
	assert_null(host_check_ownership());
	ABI_OK(s, "chan_close", ARGS(nimp));
	// The rest (nexp, kexp2, kimp, the name block) goes with the SIP.
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(create_and_info, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(send_recv_between_sips, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(hostile_sends, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(select_and_wait, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(in_flight_outlives_sender, abi_setup, abi_teardown),
		cmocka_unit_test_setup_teardown(endpoints_move, abi_setup, abi_teardown),
	};
	return cmocka_run_group_tests(tests, abi_boot, NULL);
}
