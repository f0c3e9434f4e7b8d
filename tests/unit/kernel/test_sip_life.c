// SPDX-License-Identifier: MIT
// A SIP's life on the host: spawn, run, end in every way a SIP can end,
// and every kernel counter back where it was (heap objects, frames,
// threads, accounts, pool, exchange heap, contracts). Failures injected at
// each allocation and at thread creation undo exactly what they did; the
// SIP table fills and says so.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "host_env.h"

#define WASM(n) ISOLA_TEST_WASM_DIR "/ktest_" n ".wasm"

struct image {
	const uint8_t *bytes;
	size_t size;
};
static struct image hello, sexit, strap, badptr, badimport, spin, sleeper;

static void load(struct image *im, const char *path)
{
	im->bytes = host_read_file(path, &im->size);
	assert_non_null(im->bytes);
}

static int boot(void **state)
{
	(void)state;
	host_env_boot(ISOLA_TEST_INITRD);
	load(&hello, WASM("sip_hello"));
	load(&sexit, WASM("sip_exit"));
	load(&strap, WASM("sip_trap"));
	load(&badptr, WASM("sip_badptr"));
	load(&badimport, WASM("sip_badimport"));
	load(&spin, WASM("spin"));
	load(&sleeper, WASM("sip_sleep"));
	return 0;
}

static void expect_baseline(const struct host_baseline *b)
{
	const char *diff = host_baseline_diff(b);
	if (diff)
		fail_msg("not back at baseline: %s", diff);
	assert_null(host_check_ownership());
}

// Spawns im, runs its thread to its end, waits for it.
static void run_expect(const char *name, const struct image *im,
		       enum sip_state want, int32_t want_code)
{
	uint32_t id;
	enum sip_state st;
	int32_t code;
	assert_int_equal(host_spawn(name, im->bytes, im->size, &id), ERR_OK);
	assert_true(host_run_sip(id));
	assert_int_equal(sip_wait(id, &st, &code), ERR_OK);
	assert_int_equal(st, want);
	assert_int_equal(code, want_code);
}

static void runs_and_exits(void **state)
{
	(void)state;
	struct host_baseline b;
	host_snapshot(&b);
	host_log_clear();
	run_expect("hello", &hello, SIP_EXITED, 0);
	assert_true(host_log_has("[hello] hello from a SIP"));
	run_expect("exit", &sexit, SIP_EXITED, 7);
	expect_baseline(&b);
}

static void faults_are_contained(void **state)
{
	(void)state;
	struct host_baseline b;
	host_snapshot(&b);
	run_expect("trap", &strap, SIP_TRAPPED, ERR_ENG_TRAP_MEMORY);
	run_expect("badptr", &badptr, SIP_TRAPPED, ERR_ABI_RANGE);
	expect_baseline(&b);
}

static void rejected_images_leave_nothing(void **state)
{
	(void)state;
	struct host_baseline b;
	uint32_t id = 0;
	struct vf_diag d;
	static const uint8_t junk[] = "#!/bin/sh\nrm -rf /\n";
	host_snapshot(&b);
	assert_int_equal(sip_spawn("badimport", badimport.bytes, badimport.size, &id, &d),
			 ERR_ENG_IMPORT_UNKNOWN);
	assert_int_equal(sip_spawn("cut", hello.bytes, hello.size - 7, &id, &d),
			 ERR_SIP_REJECTED);
	assert_int_not_equal(d.code, ERR_OK);
	assert_int_equal(sip_spawn("junk", junk, sizeof(junk), &id, &d), ERR_SIP_REJECTED);
	assert_int_equal(sip_spawn("noentry", spin.bytes, spin.size, &id, &d),
			 ERR_SIP_NO_ENTRY);
	assert_int_equal(id, 0);
	expect_baseline(&b);
}

// Killed before its thread ran, and after: both end killed or exited,
// and a second kill or wait finds nothing.
static void kill_and_wait(void **state)
{
	(void)state;
	struct host_baseline b;
	uint32_t id;
	enum sip_state st;
	int32_t code;
	host_snapshot(&b);
	assert_int_equal(host_spawn("sleeper", sleeper.bytes, sleeper.size, &id), ERR_OK);
	assert_int_equal(sip_kill(id, 0), ERR_OK);
	assert_true(host_run_sip(id));
	assert_int_equal(sip_kill(id, 0), ERR_NOTFOUND); // not running any more
	assert_int_equal(sip_wait(id, &st, &code), ERR_OK);
	assert_int_equal(st, SIP_KILLED);
	assert_int_equal(sip_kill(id, 0), ERR_NOTFOUND);
	assert_int_equal(sip_wait(id, &st, &code), ERR_NOTFOUND);
	// Its hour of sleep passes on the host's clock at once.
	uint64_t t0 = arch_time_ns();
	run_expect("sleeper", &sleeper, SIP_EXITED, 0);
	assert_true(arch_time_ns() - t0 >= 3600ull * 1000000000ull);
	// A deadline passes while the SIP has not run.
	assert_int_equal(host_spawn("sleeper", sleeper.bytes, sleeper.size, &id), ERR_OK);
	assert_int_equal(sip_wait_until(id, arch_time_ns() + 1000, NULL, 0, &st, &code),
			 ERR_TIMEOUT);
	assert_int_equal(host_end(id, &code), SIP_KILLED);
	expect_baseline(&b);
}

// Every allocation and the thread of a spawn, failed in turn: the spawn
// fails cleanly each time, then succeeds.
static void spawn_failures_undo_everything(void **state)
{
	(void)state;
	struct host_baseline b;
	host_snapshot(&b);
	unsigned n;
	for (n = 1; n < 10000; n++) {
		uint32_t id;
		host_env.fail_kmalloc = n;
		isola_err_t err = host_spawn("hello", hello.bytes, hello.size, &id);
		host_env.fail_kmalloc = 0;
		if (err == ERR_OK) {
			assert_int_equal(host_end(id, &(int32_t){ 0 }), SIP_KILLED);
			break;
		}
		assert_true(err == ERR_NOMEM || err == ERR_SIP_REJECTED);
		expect_baseline(&b);
	}
	assert_true(n > 3); // the spawn allocates, so some of these failed
	uint32_t id;
	host_env.fail_thread = 1;
	assert_int_equal(host_spawn("hello", hello.bytes, hello.size, &id), ERR_NOMEM);
	expect_baseline(&b);
}

// A full table refuses a spawn until one of its SIPs ends; an ended SIP
// nobody waits for is then forgotten to make room.
static void table_fills(void **state)
{
	(void)state;
	struct host_baseline b;
	static uint32_t ids[SIP_MAX];
	uint32_t id;
	host_snapshot(&b);
	for (int i = 0; i < SIP_MAX; i++)
		assert_int_equal(host_spawn("hello", hello.bytes, hello.size, &ids[i]),
				 ERR_OK);
	assert_int_equal(host_spawn("hello", hello.bytes, hello.size, &id),
			 ERR_SIP_TABLE_FULL);
	assert_true(host_run_sip(ids[0])); // ends; no one waits for it
	assert_int_equal(host_spawn("hello", hello.bytes, hello.size, &id), ERR_OK);
	enum sip_state st;
	int32_t code;
	assert_int_equal(sip_wait(ids[0], &st, &code), ERR_NOTFOUND); // evicted
	for (int i = 1; i < SIP_MAX; i++)
		assert_int_equal(host_end(ids[i], &code), SIP_KILLED);
	assert_int_equal(host_end(id, &code), SIP_KILLED);
	expect_baseline(&b);
}

static void many_come_and_go(void **state)
{
	(void)state;
	struct host_baseline b;
	host_snapshot(&b);
	for (int i = 0; i < 50; i++)
		run_expect(i % 2 ? "trap" : "exit", i % 2 ? &strap : &sexit,
			   i % 2 ? SIP_TRAPPED : SIP_EXITED,
			   i % 2 ? (int32_t)ERR_ENG_TRAP_MEMORY : 7);
	expect_baseline(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(runs_and_exits),
		cmocka_unit_test(faults_are_contained),
		cmocka_unit_test(rejected_images_leave_nothing),
		cmocka_unit_test(kill_and_wait),
		cmocka_unit_test(spawn_failures_undo_everything),
		cmocka_unit_test(table_fills),
		cmocka_unit_test(many_come_and_go),
	};
	return cmocka_run_group_tests(tests, boot, NULL);
}
