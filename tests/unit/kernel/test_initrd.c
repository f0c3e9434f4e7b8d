// SPDX-License-Identifier: MIT
// The newc cpio reader on archives made here, and on broken ones.
#include <initrd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

static uint8_t ar[4096];
static size_t len;

static void put_entry(const char *name, uint32_t mode, const char *data)
{
	size_t dlen = strlen(data), nlen = strlen(name) + 1;
	len += (size_t)sprintf((char *)ar + len,
		"070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x%08x%08x%08zx%08x",
		1u, mode, 0u, 0u, 1u, 0u, dlen, 0u, 0u, 0u, 0u, nlen, 0u);
	memcpy(ar + len, name, nlen);
	len = (len + nlen + 3) & ~(size_t)3;
	memcpy(ar + len, data, dlen);
	len = (len + dlen + 3) & ~(size_t)3;
}

static void build(void)
{
	memset(ar, 0, sizeof(ar));
	len = 0;
	put_entry(".", 040755, "");
	put_entry("./motd", 0100644, "hello\n");
	put_entry("./sips", 040755, "");
	put_entry("./sips/init.sip", 0100644, "\0asm-ish");
	put_entry("TRAILER!!!", 0, "");
}

static void test_iterate_and_find(void **state)
{
	(void)state;
	build();
	size_t cur = 0;
	struct initrd_file f;
	assert_int_equal(initrd_next(ar, len, &cur, &f), ERR_OK);
	assert_string_equal(f.name, "motd");
	assert_int_equal(f.size, 6);
	assert_memory_equal(f.data, "hello\n", 6);
	assert_int_equal(initrd_next(ar, len, &cur, &f), ERR_OK);
	assert_string_equal(f.name, "sips/init.sip");
	assert_int_equal(initrd_next(ar, len, &cur, &f), ERR_NOTFOUND);
	assert_int_equal(initrd_find(ar, len, "motd", &f), ERR_OK);
	assert_int_equal(initrd_find(ar, len, "nope", &f), ERR_NOTFOUND);
}

static void test_broken_archives(void **state)
{
	(void)state;
	struct initrd_file f;
	size_t cur;
	build();
	// Every truncation point is refused cleanly (ASan checks the reads).
	for (size_t cut = 0; cut < len - 4; cut++) {
		cur = 0;
		isola_err_t err;
		do
			err = initrd_next(ar, cut, &cur, &f);
		while (err == ERR_OK);
		assert_true(err == ERR_TRUNCATED || err == ERR_SYNTAX);
	}
	build();
	ar[0] = 'X'; // bad magic
	cur = 0;
	assert_int_equal(initrd_next(ar, len, &cur, &f), ERR_SYNTAX);
	build();
	ar[6 + 6 * 8] = 'g'; // bad hex digit in the file size
	cur = 0;
	assert_int_equal(initrd_next(ar, len, &cur, &f), ERR_SYNTAX);
	build();
	memcpy(ar + 6 + 11 * 8, "ffffffff", 8); // huge name size
	cur = 0;
	assert_int_equal(initrd_next(ar, len, &cur, &f), ERR_SYNTAX);
	build();
	memcpy(ar + 6 + 6 * 8, "7fffffff", 8); // file size past the end
	cur = 0;
	assert_int_equal(initrd_next(ar, len, &cur, &f), ERR_TRUNCATED);
	cur = 0;
	assert_int_equal(initrd_next(ar, 0, &cur, &f), ERR_TRUNCATED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iterate_and_find),
		cmocka_unit_test(test_broken_archives),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
