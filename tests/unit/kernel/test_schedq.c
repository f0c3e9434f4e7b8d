// SPDX-License-Identifier: MIT
// The scheduler's queues: FIFO order of the run queue, deadline order of
// the sleep queue (stable for equal deadlines), removal from the middle.
#include <schedq.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

struct item {
	struct list_node link;
	struct sleep_entry sleep;
	int id;
};

static void test_runq_round_robin(void **state)
{
	(void)state;
	struct runq q;
	struct item it[4];
	runq_init(&q);
	assert_null(runq_pop(&q));
	for (int i = 0; i < 4; i++) {
		it[i].id = i;
		runq_push(&q, &it[i].link);
	}
	runq_remove(&q, &it[2].link);
	assert_int_equal(q.n, 3);
	// Pop and push back: the order cycles 0 1 3 0 1 3.
	int order[6];
	for (int k = 0; k < 6; k++) {
		struct list_node *n = runq_pop(&q);
		struct item *x = ISOLA_CONTAINER_OF(n, struct item, link);
		order[k] = x->id;
		runq_push(&q, n);
	}
	int want[6] = { 0, 1, 3, 0, 1, 3 };
	assert_memory_equal(order, want, sizeof(want));
}

static void test_sleepq_order(void **state)
{
	(void)state;
	struct sleepq q;
	struct item it[5];
	uint64_t d[5] = { 50, 10, 30, 10, 40 };
	sleepq_init(&q);
	assert_int_equal(sleepq_next_deadline(&q), UINT64_MAX);
	for (int i = 0; i < 5; i++) {
		it[i].id = i;
		it[i].sleep.queued = false;
		sleepq_insert(&q, &it[i].sleep, d[i]);
	}
	sleepq_remove(&q, &it[4].sleep);
	sleepq_remove(&q, &it[4].sleep); // twice is harmless
	assert_int_equal(sleepq_next_deadline(&q), 10);
	assert_null(sleepq_pop_due(&q, 9));
	int got[4], n = 0;
	struct sleep_entry *e;
	while ((e = sleepq_pop_due(&q, 100)))
		got[n++] = ISOLA_CONTAINER_OF(e, struct item, sleep)->id;
	int want[4] = { 1, 3, 2, 0 }; // equal deadlines keep insertion order
	assert_int_equal(n, 4);
	assert_memory_equal(got, want, sizeof(want));
	assert_int_equal(q.n, 0);
}

static void test_sleepq_random(void **state)
{
	(void)state;
	struct sleepq q;
	static struct item it[500];
	sleepq_init(&q);
	srand(3);
	for (int i = 0; i < 500; i++) {
		it[i].sleep.queued = false;
		sleepq_insert(&q, &it[i].sleep, (uint64_t)(rand() % 1000));
	}
	uint64_t last = 0;
	struct sleep_entry *e;
	int n = 0;
	while ((e = sleepq_pop_due(&q, UINT64_MAX))) {
		assert_true(e->deadline >= last);
		last = e->deadline;
		n++;
	}
	assert_int_equal(n, 500);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runq_round_robin),
		cmocka_unit_test(test_sleepq_order),
		cmocka_unit_test(test_sleepq_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
