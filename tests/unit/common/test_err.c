// SPDX-License-Identifier: MIT
// The error list: every code has a name and a message, codes sit in their
// part's range, and no two rows share a value.
#include <isola/err.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

struct row {
	int value;
	const char *name, *msg;
};

static const struct row rows[] = {
#define ISOLA_ERR(name, value, msg) { value, #name, msg },
#include <isola/err/all.def>
#undef ISOLA_ERR
};

static void test_names_and_messages(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_string_equal(isola_err_name((isola_err_t)rows[i].value), rows[i].name);
		assert_string_equal(isola_err_message((isola_err_t)rows[i].value), rows[i].msg);
		assert_true(strlen(rows[i].msg) > 0);
	}
	assert_string_equal(isola_err_name((isola_err_t)99999), "ERR_UNKNOWN");
	assert_string_equal(isola_err_message((isola_err_t)99999), "unknown error");
}

static void test_values_unique(void **state)
{
	(void)state;
	size_t n = sizeof(rows) / sizeof(rows[0]);
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			assert_int_not_equal(rows[i].value, rows[j].value);
}

static isola_err_t fails(void)
{
	return ERR_NOMEM;
}

static isola_err_t propagates(int *reached)
{
	TRY(fails());
	*reached = 1;
	return ERR_OK;
}

static void test_try_propagates(void **state)
{
	(void)state;
	int reached = 0;
	assert_int_equal(propagates(&reached), ERR_NOMEM);
	assert_int_equal(reached, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_and_messages),
		cmocka_unit_test(test_values_unique),
		cmocka_unit_test(test_try_propagates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
