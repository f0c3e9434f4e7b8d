// SPDX-License-Identifier: MIT
// The WASI calls' bookkeeping (wasi_core.c): args_sizes_get/args_get over
// the argument string, the standard streams' fdstat, and poll_oneoff's
// deadlines and events, against the layouts of WASI preview 1.
#include "rt.h"
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

static void test_args(void **state)
{
	char line[] = "sqlite3 :memory: \"select 1\"";
	struct rt_wasi_args a;
	char *argv[RT_WASI_ARGV_MAX + 1];
	char buf[64];

	(void)state;
	rt_wasi_args_init(&a, line);
	assert_int_equal(a.argc, 3);
	assert_int_equal(a.bytes, sizeof("sqlite3") + sizeof(":memory:") + sizeof("select 1"));
	memset(buf, 'x', sizeof(buf));
	rt_wasi_args_copy(&a, argv, buf);
	assert_ptr_equal(argv[0], buf);
	assert_string_equal(argv[0], "sqlite3");
	assert_string_equal(argv[1], ":memory:");
	assert_string_equal(argv[2], "select 1");
	assert_int_equal(buf[a.bytes], 'x'); // nothing written past the words
}

static void test_args_empty_and_many(void **state)
{
	char empty[] = "";
	struct rt_wasi_args a;

	(void)state;
	rt_wasi_args_init(&a, empty);
	assert_int_equal(a.argc, 0);
	assert_int_equal(a.bytes, 0);
	// More words than argv holds: the rest are dropped, not overrun.
	char many[3 * (RT_WASI_ARGV_MAX + 10) + 1];
	for (int i = 0; i < RT_WASI_ARGV_MAX + 10; i++)
		memcpy(many + 3 * i, "ab ", 3);
	many[sizeof(many) - 1] = '\0';
	rt_wasi_args_init(&a, many);
	assert_int_equal(a.argc, RT_WASI_ARGV_MAX);
	assert_int_equal(a.bytes, 3 * RT_WASI_ARGV_MAX);
	assert_null(a.argv[RT_WASI_ARGV_MAX]);
}

static void test_fdstat(void **state)
{
	uint8_t st[RT_WASI_FDSTAT_SIZE];

	(void)state;
	assert_int_equal(rt_wasi_fdstat(0, st), RT_WASI_OK);
	assert_int_equal(st[0], 2);			// a character device
	assert_true(rt_ld64(st + 8) & (1u << 1));	// stdin reads
	assert_false(rt_ld64(st + 8) & (1u << 6));	// and does not write
	assert_false(rt_ld64(st + 8) & (1u << 2));	// nor seek (not a file)
	assert_int_equal(rt_wasi_fdstat(1, st), RT_WASI_OK);
	assert_true(rt_ld64(st + 8) & (1u << 6));
	assert_false(rt_ld64(st + 8) & (1u << 1));
	assert_int_equal(rt_wasi_fdstat(2, st), RT_WASI_OK);
	assert_int_equal(rt_wasi_fdstat(RT_WASI_ROOT_FD, st), RT_WASI_EBADF);
	rt_wasi_fdstat_dir(st);				// the preopened ones
	assert_int_equal(st[0], 3);			// a directory
	assert_true(rt_ld64(st + 8) & (1u << 13));	// paths open in it
	assert_true(rt_ld64(st + 16) & (1u << 1));	// files may read
	assert_int_equal(rt_wasi_fdstat(4, st), RT_WASI_EBADF);
	assert_int_equal(rt_wasi_fdstat(UINT32_MAX, st), RT_WASI_EBADF);
}

static void test_prestat(void **state)
{
	uint8_t ps[8], st[RT_WASI_FDSTAT_SIZE];

	(void)state;
	memset(ps, 0xff, sizeof(ps));
	rt_wasi_prestat(7, ps);
	assert_int_equal(ps[0], 0); // a directory
	assert_int_equal(ps[1] | ps[2] | ps[3], 0);
	assert_int_equal(ps[4] | ps[5] << 8 | ps[6] << 16 | ps[7] << 24, 7);
	rt_wasi_fdstat_file(st);
	assert_int_equal(st[0], 4);			// a regular file
	assert_true(rt_ld64(st + 8) & (1u << 2));	// seekable
	assert_false(rt_ld64(st + 8) & (1u << 6));	// not writable
}

static void test_file(void **state)
{
	const uint8_t data[] = "0123456789";
	struct rt_wasi_file f = { data, 10, 0 };
	uint8_t buf[16], st[64];
	uint64_t pos;

	(void)state;
	assert_int_equal(rt_wasi_file_pread(&f, 0, buf, 4), 4);
	assert_memory_equal(buf, "0123", 4);
	assert_int_equal(rt_wasi_file_pread(&f, 8, buf, 16), 2); // cut at the end
	assert_int_equal(rt_wasi_file_pread(&f, 10, buf, 16), 0);
	assert_int_equal(rt_wasi_file_pread(&f, UINT64_MAX, buf, 16), 0);
	assert_int_equal(rt_wasi_file_seek(&f, 3, 0, &pos), RT_WASI_OK);
	assert_int_equal(pos, 3);
	assert_int_equal(rt_wasi_file_seek(&f, 4, 1, &pos), RT_WASI_OK);
	assert_int_equal(pos, 7);
	assert_int_equal(rt_wasi_file_seek(&f, -2, 2, &pos), RT_WASI_OK);
	assert_int_equal(pos, 8);
	assert_int_equal(rt_wasi_file_seek(&f, 100, 2, &pos), RT_WASI_OK); // past the end
	assert_int_equal(pos, 110);
	// Refused, and the position stays: below 0, overflow, a bad whence.
	assert_int_equal(rt_wasi_file_seek(&f, -11, 2, &pos), RT_WASI_EINVAL);
	assert_int_equal(rt_wasi_file_seek(&f, INT64_MAX, 1, &pos), RT_WASI_EINVAL);
	assert_int_equal(rt_wasi_file_seek(&f, 0, 3, &pos), RT_WASI_EINVAL);
	assert_int_equal(f.pos, 110);
	rt_wasi_file_stat(&f, 9, st);
	assert_int_equal(rt_ld64(st + 8), 9);
	assert_int_equal(st[16], 4);
	assert_int_equal(rt_ld64(st + 32), 10);
}

// Writes subscription i: a clock (id, timeout, abstime) or an fd one.
static void sub_clock(uint8_t *subs, int i, uint64_t user, uint32_t id, uint64_t t, bool abs)
{
	uint8_t *s = subs + i * RT_WASI_SUBSCRIPTION_SIZE;

	memset(s, 0, RT_WASI_SUBSCRIPTION_SIZE);
	rt_st64(s, user);
	s[8] = RT_WASI_EVENT_CLOCK;
	s[16] = (uint8_t)id;
	rt_st64(s + 24, t);
	s[40] = abs ? 1 : 0;
}

static void sub_fd(uint8_t *subs, int i, uint64_t user, int type, uint32_t fd)
{
	uint8_t *s = subs + i * RT_WASI_SUBSCRIPTION_SIZE;

	memset(s, 0, RT_WASI_SUBSCRIPTION_SIZE);
	rt_st64(s, user);
	s[8] = (uint8_t)type;
	s[16] = (uint8_t)fd;
}

static void test_poll_clocks(void **state)
{
	uint8_t subs[3 * RT_WASI_SUBSCRIPTION_SIZE], ev[3 * RT_WASI_EVENT_SIZE];
	uint64_t until;

	(void)state;
	sub_clock(subs, 0, 7, RT_WASI_CLOCK_MONOTONIC, 500, false);
	sub_clock(subs, 1, 8, RT_WASI_CLOCK_REALTIME, 1300, true);
	assert_int_equal(rt_wasi_poll_deadline(subs, 2, 1000, &until), RT_WASI_OK);
	assert_int_equal(until, 1300); // the absolute one comes first
	assert_int_equal(rt_wasi_poll_events(subs, 2, 1000, 1299, ev), 0);
	assert_int_equal(rt_wasi_poll_events(subs, 2, 1000, 1300, ev), 1);
	assert_int_equal(rt_ld64(ev), 8);
	assert_int_equal(ev[10], RT_WASI_EVENT_CLOCK);
	assert_int_equal(ev[8] | ev[9] << 8, RT_WASI_OK);
	assert_int_equal(rt_wasi_poll_events(subs, 2, 1000, 1500, ev), 2);
	// A time already past: ready now.
	sub_clock(subs, 0, 1, RT_WASI_CLOCK_MONOTONIC, 10, true);
	assert_int_equal(rt_wasi_poll_deadline(subs, 1, 1000, &until), RT_WASI_OK);
	assert_int_equal(until, 0);
	// A relative timeout that would overflow saturates.
	sub_clock(subs, 0, 1, RT_WASI_CLOCK_MONOTONIC, UINT64_MAX - 5, false);
	assert_int_equal(rt_wasi_poll_deadline(subs, 1, 1000, &until), RT_WASI_OK);
	assert_int_equal(until, UINT64_MAX);
}

static void test_poll_fds_and_errors(void **state)
{
	uint8_t subs[3 * RT_WASI_SUBSCRIPTION_SIZE], ev[3 * RT_WASI_EVENT_SIZE];
	uint64_t until;

	(void)state;
	sub_fd(subs, 0, 1, RT_WASI_EVENT_FD_READ, 0);
	sub_fd(subs, 1, 2, RT_WASI_EVENT_FD_WRITE, 1);
	sub_fd(subs, 2, 3, RT_WASI_EVENT_FD_READ, 9);
	assert_int_equal(rt_wasi_poll_deadline(subs, 3, 50, &until), RT_WASI_OK);
	assert_int_equal(until, 0);
	assert_int_equal(rt_wasi_poll_events(subs, 3, 50, 50, ev), 3);
	assert_int_equal(ev[24], 1); // stdin: at its end
	assert_int_equal(ev[RT_WASI_EVENT_SIZE + 8], RT_WASI_OK);
	assert_int_equal(ev[RT_WASI_EVENT_SIZE + 10], RT_WASI_EVENT_FD_WRITE);
	assert_int_equal(ev[2 * RT_WASI_EVENT_SIZE + 8], RT_WASI_EBADF);
	// Malformed: no subscriptions, an unknown tag, a CPU-time clock.
	assert_int_equal(rt_wasi_poll_deadline(subs, 0, 0, &until), RT_WASI_EINVAL);
	subs[8] = 9;
	assert_int_equal(rt_wasi_poll_deadline(subs, 1, 0, &until), RT_WASI_EINVAL);
	sub_clock(subs, 0, 1, 2, 10, false);
	assert_int_equal(rt_wasi_poll_deadline(subs, 1, 0, &until), RT_WASI_EINVAL);
	assert_int_equal(rt_wasi_poll_events(subs, 1, 0, 100, ev), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_args_empty_and_many),
		cmocka_unit_test(test_fdstat),
		cmocka_unit_test(test_prestat),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_poll_clocks),
		cmocka_unit_test(test_poll_fds_and_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
