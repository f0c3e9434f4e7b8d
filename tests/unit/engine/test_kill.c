// SPDX-License-Identifier: MIT
// unit.engine.kill: another thread stops an endless loop (plain loop and
// a loop of calls) with the kill flag; fuel stops it deterministically
// and refuel extends it; recursion on a small native stack ends in a
// trap, never a crash (wasm calls do not use the native stack); sample
// requests reach the hook at the next poll point.
#include "eng_test.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct killer {
	struct eng_thread *th;
	struct timespec at;
};

static void *kill_later(void *p)
{
	struct killer *k = p;
	usleep(20000);
	clock_gettime(CLOCK_MONOTONIC, &k->at);
	eng_thread_kill(k->th);
	return NULL;
}

static void kill_export(const char *name)
{
	struct et t;
	struct killer k;
	pthread_t pt;
	struct timespec done;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	k.th = t.th;
	assert_int_equal(pthread_create(&pt, NULL, kill_later, &k), 0);
	assert_int_equal(et_call(&t, t.inst, name, NULL, NULL), ERR_ENG_KILLED);
	clock_gettime(CLOCK_MONOTONIC, &done);
	pthread_join(pt, NULL);
	long us = (done.tv_sec - k.at.tv_sec) * 1000000L +
		  (done.tv_nsec - k.at.tv_nsec) / 1000;
	// Informative only: timing is measured, not asserted.
	printf("%s: stopped %ld us after the kill flag was set\n", name, us);
	// Re-armed, the instance runs again.
	eng_thread_clear_kill(t.th);
	uint64_t a = 3, r;
	assert_int_equal(et_call(&t, t.inst, "count", &a, &r), ERR_OK);
	et_fini(&t);
}

static void test_kill_loop(void **state)
{
	(void)state;
	kill_export("spin");
}

static void test_kill_calls(void **state)
{
	(void)state;
	kill_export("spin_calls");
}

static void test_fuel(void **state)
{
	struct et t;
	uint64_t a = 100, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	eng_thread_set_fuel(t.th, 50);
	assert_int_equal(et_call(&t, t.inst, "spin", NULL, NULL), ERR_ENG_OUT_OF_FUEL);
	assert_int_equal(eng_thread_fuel(t.th), 0);
	// One unit per function entry and per loop back-edge: 100 iterations
	// are one entry and 99 back-edges.
	eng_thread_set_fuel(t.th, 100);
	assert_int_equal(et_call(&t, t.inst, "count", &a, &r), ERR_OK);
	assert_int_equal(r, 100);
	assert_int_equal(eng_thread_fuel(t.th), 0);
	eng_thread_set_fuel(t.th, 99);
	assert_int_equal(et_call(&t, t.inst, "count", &a, &r), ERR_ENG_OUT_OF_FUEL);
	et_fini(&t);
}

static int refuels;

static uint64_t refuel(void *ctx, struct eng_thread *th)
{
	(void)ctx;
	(void)th;
	return ++refuels < 5 ? 10 : 0;
}

static void test_refuel(void **state)
{
	struct et t;
	(void)state;
	et_load(&t, "engine.wasm");
	eng_thread_free(t.th);
	struct eng_thread_config tc = {.alloc = &t.alloc, .refuel = refuel};
	assert_int_equal(eng_thread_new(&tc, &t.th), ERR_OK);
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	eng_thread_set_fuel(t.th, 10);
	refuels = 0;
	assert_int_equal(et_call(&t, t.inst, "spin", NULL, NULL), ERR_ENG_OUT_OF_FUEL);
	assert_int_equal(refuels, 5);
	et_fini(&t);
}

// A profiler's sample requests: the hook gets the function running at the
// next poll point (its entry, then its loop's back-edge), once per request.
static uint32_t sampled, sampled_func, sampled_off[2];

static void on_sample(void *ctx, uint32_t func_index, uint32_t code_off)
{
	(void)ctx;
	sampled_func = func_index;
	sampled_off[sampled < 2 ? sampled : 1] = code_off;
	sampled++;
}

static uint64_t refuel_and_sample(void *ctx, struct eng_thread *th)
{
	(void)ctx;
	eng_thread_request_sample(th);
	return 10;
}

static void test_sample(void **state)
{
	struct et t;
	struct eng_extern ex;
	uint64_t a = 100, r = 0;
	(void)state;
	et_load(&t, "engine.wasm");
	eng_thread_free(t.th);
	struct eng_thread_config tc = {.alloc = &t.alloc, .refuel = refuel_and_sample,
				       .sample = on_sample};
	assert_int_equal(eng_thread_new(&tc, &t.th), ERR_OK);
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	assert_int_equal(eng_instance_export(t.inst, "count", 5, &ex), ERR_OK);
	sampled = 0;
	eng_thread_request_sample(t.th); // taken at the entry of count
	eng_thread_set_fuel(t.th, 50);   // then one request per refuel
	assert_int_equal(et_call(&t, t.inst, "count", &a, &r), ERR_OK);
	assert_int_equal(r, 100);
	assert_int_equal(sampled_func, ex.u.func->index);
	assert_true(sampled >= 5 && sampled <= 7);
	// Offsets come from trap sites: count has none, so both are its start.
	assert_true(sampled_off[1] >= sampled_off[0]);
	// A request and a kill together: the sample is taken, then the kill.
	sampled = 0;
	eng_thread_request_sample(t.th);
	eng_thread_kill(t.th);
	assert_int_equal(et_call(&t, t.inst, "spin", NULL, NULL), ERR_ENG_KILLED);
	assert_int_equal(sampled, 1);
	eng_thread_clear_kill(t.th);
	et_fini(&t);
}

struct small {
	struct et *t;
	isola_err_t err;
};

static void *recurse(void *p)
{
	struct small *s = p;
	uint64_t a = 0, r;
	s->err = et_call(s->t, s->t->inst, "rec", &a, &r);
	return NULL;
}

static void test_small_native_stack(void **state)
{
	struct et t;
	struct small s = {&t, ERR_OK};
	pthread_attr_t attr;
	pthread_t pt;
	(void)state;
	et_load(&t, "engine.wasm");
	assert_int_equal(et_instantiate(&t, &t.inst), ERR_OK);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	assert_int_equal(pthread_create(&pt, &attr, recurse, &s), 0);
	pthread_join(pt, NULL);
	assert_int_equal(s.err, ERR_ENG_TRAP_STACK);
	et_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_loop),
		cmocka_unit_test(test_kill_calls),
		cmocka_unit_test(test_fuel),
		cmocka_unit_test(test_refuel),
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_small_native_stack),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
