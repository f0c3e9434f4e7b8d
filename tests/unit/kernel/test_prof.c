// SPDX-License-Identifier: MIT
// The profiler's portable core (kernel/prof/prof_run.c): the run's fixed
// buffers drop rather than overrun, wasm functions are named from a
// module's name section, and the report aggregates, ranks and symbolizes
// with a fake kernel symbol table.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include <prof.h>

static struct prof_sample samples[8];
static struct prof_place places[2];
static struct prof_entry rows[8];
static char text[2048];

static struct prof_run new_run(void)
{
	memset(samples, 0, sizeof(samples));
	memset(places, 0, sizeof(places));
	return (struct prof_run){ .samples = samples, .cap = 8, .places = places,
				  .places_cap = 2, .hz = 1000 };
}

// A fake symbol table: chan_send at 0x1000, chan_recv at 0x2000, and
// nothing from 0x3000.
static bool fake_sym(void *ctx, uint64_t pc, const char **name)
{
	(void)ctx;
	if (pc < 0x1000 || pc >= 0x3000)
		return false;
	*name = pc < 0x2000 ? "chan_send" : "chan_recv";
	return true;
}

// A module with only a name section naming function 1 "hot".
static const uint8_t named[] = {
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
	0x00, 0x0d, 0x04, 'n', 'a', 'm', 'e',           // custom "name"
	0x01, 0x06, 0x01, 0x01, 0x03, 'h', 'o', 't',    // functions: 1 "hot"
};

static void add(struct prof_run *r, uint8_t kind, uint64_t pc, const char *ctx,
		uint32_t place, bool irqoff)
{
	struct prof_sample s = { .pc = pc, .kind = kind, .place = place,
				 .irqoff = irqoff, .in_sip = true };
	uint32_t i;
	prof_copy_name(s.ctx, ctx, sizeof(s.ctx));
	(void)prof_run_add(r, &s, &i);
}

static void full_buffer_drops(void **state)
{
	(void)state;
	struct prof_run r = new_run();
	for (int i = 0; i < 11; i++)
		add(&r, PROF_KERNEL, 0x1000, "bench", 0, false);
	assert_int_equal(r.n, 8);
	assert_int_equal(r.dropped, 3);
}

static void places_named_once(void **state)
{
	(void)state;
	struct prof_run r = new_run();
	uint32_t a, b, c;
	assert_true(prof_run_place(&r, "spin", 1, named, sizeof(named), &a));
	assert_true(prof_run_place(&r, "spin", 1, named, sizeof(named), &b));
	assert_int_equal(a, b);
	assert_string_equal(r.places[a].name, "hot");
	assert_true(prof_run_place(&r, "spin", 2, named, sizeof(named), &c));
	assert_string_equal(r.places[c].name, ""); // no name: "func 2"
	assert_false(prof_run_place(&r, "other", 1, named, sizeof(named), &c));
	assert_int_equal(r.places_dropped, 1);
	// A malformed name section names nothing.
	uint8_t bad[sizeof(named)];
	memcpy(bad, named, sizeof(bad));
	bad[17] = 0x7f; // more names than there are bytes
	r = new_run();
	assert_true(prof_run_place(&r, "spin", 1, bad, sizeof(bad), &a));
	assert_string_equal(r.places[a].name, "");
}

static void report_ranks_and_names(void **state)
{
	(void)state;
	struct prof_run r = new_run();
	uint32_t hot, anon;
	assert_true(prof_run_place(&r, "spin", 1, named, sizeof(named), &hot));
	assert_true(prof_run_place(&r, "spin", 4, named, sizeof(named), &anon));
	add(&r, PROF_KERNEL, 0x1010, "bench", 0, false);
	add(&r, PROF_WASM, 0, "spin", hot, false);
	add(&r, PROF_KERNEL, 0x1020, "bench", 0, false); // same function
	add(&r, PROF_WASM, 0, "spin", hot, false);
	add(&r, PROF_WASM, 0, "spin", hot, false);
	add(&r, PROF_KERNEL, 0x2000, "bench", 0, true);
	add(&r, PROF_WASM, 0, "spin", anon, false);
	add(&r, PROF_WASM_PENDING, 0, "spin", 0, false);
	size_t n = prof_report(&r, fake_sym, NULL, rows, 4, 3, text, sizeof(text));
	assert_int_equal(n, strlen(text));
	const char *want =
		"prof: 8 samples at 1000 Hz, 0 dropped (buffer full)\n"
		"prof:  share samples  where\n"
		"prof:  37.5%       3  wasm   spin:hot\n"
		"prof:  25.0%       2  kernel chan_send [bench]\n"
		"prof:  12.5%       1  kernel chan_recv (irq-off end) [bench]\n"
		"prof: 2 samples in 2 other places\n";
	assert_string_equal(text, want);
	// The rest, in full: the unnamed function and the pending sample.
	n = prof_report(&r, fake_sym, NULL, rows, 8, 10, text, sizeof(text));
	(void)n;
	assert_non_null(strstr(text, "wasm   spin:func 4\n"));
	assert_non_null(strstr(text, "wasm   spin:? (no poll point reached)\n"));
}

static void report_edges(void **state)
{
	(void)state;
	struct prof_run r = new_run();
	size_t n = prof_report(&r, fake_sym, NULL, rows, 4, 3, text, sizeof(text));
	assert_string_equal(text, "prof: 0 samples at 1000 Hz, 0 dropped (buffer full)\n"
				  "prof: no samples\n");
	// A cut buffer: terminated, the full length returned.
	char small[8];
	assert_int_equal(prof_report(&r, fake_sym, NULL, rows, 4, 3, small, sizeof(small)), n);
	assert_string_equal(small, "prof: 0");
	// More places than rows: the extra samples are "other"; an unknown
	// kernel address is "?".
	add(&r, PROF_KERNEL, 0x9000, "idle", 0, false);
	add(&r, PROF_KERNEL, 0x1000, "a", 0, false);
	add(&r, PROF_KERNEL, 0x1000, "b", 0, false);
	prof_report(&r, fake_sym, NULL, rows, 2, 5, text, sizeof(text));
	assert_non_null(strstr(text, "kernel ? [idle]\n"));
	assert_non_null(strstr(text, "prof: 1 samples in 1 other places\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(full_buffer_drops),
		cmocka_unit_test(places_named_once),
		cmocka_unit_test(report_ranks_and_names),
		cmocka_unit_test(report_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
