// SPDX-License-Identifier: MIT
// Handle tables: issue, look up, move out, change kind (the endpoint
// set's parking), stale and forged handles, capacity, drain.
#include <handle.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#define KIND_BLOCK 1
#define KIND_ENDPOINT 2
#define KIND_PARKED 3

static struct handle_slot slots[8];
static struct handle_table t;
static int objs[16];

static int setup(void **state)
{
	(void)state;
	handle_table_init(&t, slots, 8);
	return 0;
}

static void test_insert_get_take(void **state)
{
	(void)state;
	handle_t a, b;
	void *o;
	assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[0], &a), ERR_OK);
	assert_int_equal(handle_insert(&t, KIND_ENDPOINT, &objs[1], &b), ERR_OK);
	assert_int_not_equal(a, 0);
	assert_int_not_equal(a, b);
	assert_int_equal(handle_get(&t, a, KIND_BLOCK, &o), ERR_OK);
	assert_ptr_equal(o, &objs[0]);
	assert_int_equal(handle_get(&t, a, KIND_ENDPOINT, &o), ERR_HANDLE_KIND);
	assert_int_equal(handle_take(&t, b, KIND_ENDPOINT, &o), ERR_OK);
	assert_ptr_equal(o, &objs[1]);
	assert_int_equal(t.used, 1);
	// The moved handle is dead at once.
	assert_int_equal(handle_get(&t, b, KIND_ENDPOINT, &o), ERR_HANDLE_STALE);
	assert_int_equal(handle_take(&t, b, KIND_ENDPOINT, &o), ERR_HANDLE_STALE);
}

// Through every generation a slot goes through, its handles stay positive
// as an int32_t (a SIP tells them from -code by the sign), and the one
// just before is stale.
static void test_handles_stay_positive(void **state)
{
	(void)state;
	handle_t prev = 0, h;
	void *obj;
	for (int i = 0; i < 70000; i++) {
		assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[0], &h), ERR_OK);
		assert_true((int32_t)h > 0);
		if (prev)
			assert_int_equal(handle_get(&t, prev, KIND_BLOCK, &obj), ERR_HANDLE_STALE);
		assert_int_equal(handle_take(&t, h, KIND_BLOCK, &obj), ERR_OK);
		prev = h;
	}
}

static void test_stale_after_reuse(void **state)
{
	(void)state;
	handle_t a, c;
	void *o;
	assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[0], &a), ERR_OK);
	assert_int_equal(handle_take(&t, a, KIND_BLOCK, &o), ERR_OK);
	assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[2], &c), ERR_OK);
	assert_int_equal(c & 0xffff, a & 0xffff); // same slot, new generation
	assert_int_equal(handle_get(&t, a, KIND_BLOCK, &o), ERR_HANDLE_STALE);
	assert_int_equal(handle_get(&t, c, KIND_BLOCK, &o), ERR_OK);
	assert_ptr_equal(o, &objs[2]);
}

static void test_forged(void **state)
{
	(void)state;
	handle_t a;
	void *o = NULL;
	assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[0], &a), ERR_OK);
	static const handle_t forged[] = { 0, 0xffffffffu, 9, 0x10000, 8 + 1 };
	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++)
		assert_int_equal(handle_get(&t, forged[i], KIND_BLOCK, &o),
				 ERR_HANDLE_INVALID);
	// A generation the slot never had.
	assert_int_equal(handle_get(&t, a + (5u << 16), KIND_BLOCK, &o),
			 ERR_HANDLE_INVALID);
	// A free slot at its current generation was never issued.
	assert_int_equal(handle_get(&t, 2, KIND_BLOCK, &o), ERR_HANDLE_INVALID);
	assert_null(o);
}

static void test_full(void **state)
{
	(void)state;
	handle_t h[8], extra = 77;
	for (int i = 0; i < 8; i++)
		assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[i], &h[i]), ERR_OK);
	assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[9], &extra), ERR_LIMIT);
	assert_int_equal(handle_insert(&t, HANDLE_KIND_NONE, &objs[9], &extra), ERR_INVAL);
	assert_int_equal(extra, 77);
}

static int drained;

static void count_drained(void *ctx, uint16_t kind, void *obj)
{
	(void)ctx;
	assert_int_equal(kind, KIND_BLOCK);
	assert_non_null(obj);
	drained++;
}

static void test_drain(void **state)
{
	(void)state;
	handle_t h[5];
	void *o;
	for (int i = 0; i < 5; i++)
		assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[i], &h[i]), ERR_OK);
	assert_int_equal(handle_take(&t, h[2], KIND_BLOCK, &o), ERR_OK);
	drained = 0;
	handle_table_drain(&t, count_drained, NULL);
	assert_int_equal(drained, 4);
	assert_int_equal(t.used, 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(handle_get(&t, h[i], KIND_BLOCK, &o), ERR_HANDLE_STALE);
}

static void test_random_against_model(void **state)
{
	(void)state;
	handle_t live[8];
	int nlive = 0;
	srand(4);
	for (int step = 0; step < 20000; step++) {
		void *o;
		if (nlive < 8 && rand() % 2) {
			assert_int_equal(handle_insert(&t, KIND_BLOCK, &objs[nlive], &live[nlive]), ERR_OK);
			nlive++;
		} else if (nlive) {
			int i = rand() % nlive;
			handle_t dead = live[i];
			assert_int_equal(handle_take(&t, dead, KIND_BLOCK, &o), ERR_OK);
			live[i] = live[--nlive];
			assert_int_not_equal(handle_get(&t, dead, KIND_BLOCK, &o), ERR_OK);
		}
		assert_int_equal(t.used, (uint32_t)nlive);
		for (int i = 0; i < nlive; i++)
			assert_int_equal(handle_get(&t, live[i], KIND_BLOCK, &o), ERR_OK);
	}
}

// Parking an endpoint and taking it back: the object stays, each step
// gives a new handle in the same slot and leaves the old one stale.
static void test_rekind(void **state)
{
	(void)state;
	handle_t h, key, back;
	void *o;
	assert_int_equal(handle_insert(&t, KIND_ENDPOINT, &objs[2], &h), ERR_OK);
	assert_int_equal(handle_rekind(&t, h, KIND_ENDPOINT, KIND_PARKED, &key), ERR_OK);
	assert_int_not_equal(key, h);
	assert_int_equal(handle_get(&t, h, KIND_ENDPOINT, &o), ERR_HANDLE_STALE);
	assert_int_equal(handle_get(&t, key, KIND_ENDPOINT, &o), ERR_HANDLE_KIND);
	// A key is not taken back as another kind, nor twice.
	assert_int_equal(handle_rekind(&t, key, KIND_BLOCK, KIND_ENDPOINT, &back),
			 ERR_HANDLE_KIND);
	assert_int_equal(handle_rekind(&t, key, KIND_PARKED, KIND_ENDPOINT, &back), ERR_OK);
	assert_int_equal(handle_rekind(&t, key, KIND_PARKED, KIND_ENDPOINT, &back),
			 ERR_HANDLE_STALE);
	assert_int_equal(handle_get(&t, back, KIND_ENDPOINT, &o), ERR_OK);
	assert_ptr_equal(o, &objs[2]);
	assert_int_equal(t.used, 1);
	assert_int_equal(handle_rekind(&t, back, KIND_ENDPOINT, 0, &key), ERR_INVAL);
	assert_int_equal(handle_rekind(&t, 0, KIND_ENDPOINT, KIND_PARKED, &key),
			 ERR_HANDLE_INVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_insert_get_take, setup),
		cmocka_unit_test_setup(test_stale_after_reuse, setup),
		cmocka_unit_test_setup(test_handles_stay_positive, setup),
		cmocka_unit_test_setup(test_forged, setup),
		cmocka_unit_test_setup(test_full, setup),
		cmocka_unit_test_setup(test_drain, setup),
		cmocka_unit_test_setup(test_rekind, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
