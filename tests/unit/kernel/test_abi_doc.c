// SPDX-License-Identifier: MIT
// docs/abi.md against common/include/isola/abi.def: every row of abi.def
// has a line in one of the doc's function tables whose import cell names
// it and whose signature cell is the one the row's typed, named
// parameters give; every import the tables name is a row. Mutated copies
// of the doc must fail, so the check can fail.
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

// A parameter as docs/abi.md writes it: its name, and the wasm type for
// the signed values (I32, I64); handles, addresses and lengths are i32
// without saying so.
#define DOC_TYPE_HANDLE ""
#define DOC_TYPE_UPTR ""
#define DOC_TYPE_U32 ""
#define DOC_TYPE_I32 " i32"
#define DOC_TYPE_I64 " i64"
#define DOC_RES_NONE ""
#define DOC_RES_I32 " -> i32"
#define DOC_RES_I64 " -> i64"
#define P(type, name) ", " #name DOC_TYPE_##type
#define ISOLA_ABI(name, res, params) { #name, "" params, DOC_RES_##res },
static const struct {
	const char *name, *params, *res;
} def[] = {
#include <isola/abi.def>
};
#undef ISOLA_ABI
#undef P

#define NROWS (sizeof(def) / sizeof(def[0]))

// "`(a, b i64) -> i32`" for row i.
static void doc_sig(size_t i, char *buf, size_t len)
{
	const char *p = def[i].params;
	snprintf(buf, len, "`(%s)%s`", p[0] ? p + 2 : "", def[i].res);
}

static bool is_row(const char *name, size_t n)
{
	for (size_t i = 0; i < NROWS; i++)
		if (strlen(def[i].name) == n && memcmp(def[i].name, name, n) == 0)
			return true;
	return false;
}

// Does the table line have `name` in its first cell and sig in its second?
static bool line_documents(const char *line, const char *name, const char *sig)
{
	char want[64];
	const char *bar = strchr(line + 1, '|');
	if (line[0] != '|' || !bar)
		return false;
	snprintf(want, sizeof(want), "`%s`", name);
	const char *at = strstr(line, want);
	if (!at || at > bar)
		return false;
	return strncmp(bar + 2, sig, strlen(sig)) == 0 && bar[2 + strlen(sig)] == ' ';
}

// The number of rows of abi.def the doc does not show as abi.def says.
static int missing_rows(const char *doc)
{
	int bad = 0;
	for (size_t i = 0; i < NROWS; i++) {
		char sig[200];
		bool found = false;
		doc_sig(i, sig, sizeof(sig));
		for (const char *l = doc; l && *l && !found; l = strchr(l, '\n'), l = l ? l + 1 : l)
			found = line_documents(l, def[i].name, sig);
		if (!found) {
			print_message("docs/abi.md: no line for %s %s\n", def[i].name, sig);
			bad++;
		}
	}
	return bad;
}

// The number of imports the function tables name that abi.def has not:
// backquoted words in the first cell of a line whose second cell is a
// signature.
static int unknown_imports(const char *doc)
{
	int bad = 0;
	for (const char *l = doc; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l) {
		const char *bar = l[0] == '|' ? strchr(l + 1, '|') : NULL;
		if (!bar || strncmp(bar, "| `(", 4) != 0)
			continue;
		for (const char *q = strchr(l, '`'); q && q < bar;) {
			const char *e = strchr(q + 1, '`');
			if (!e || e > bar)
				break;
			if (!is_row(q + 1, (size_t)(e - q - 1))) {
				print_message("docs/abi.md: '%.*s' is no row of abi.def\n",
					      (int)(e - q - 1), q + 1);
				bad++;
			}
			q = strchr(e + 1, '`');
		}
	}
	return bad;
}

static char *read_doc(void)
{
	FILE *f = fopen(ISOLA_ABI_DOC, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

// Replaces the first from in doc by to (same length or shorter).
static void mutate(char *doc, const char *from, const char *to)
{
	char *at = strstr(doc, from);
	assert_non_null(at);
	size_t nf = strlen(from), nt = strlen(to);
	assert_true(nt <= nf);
	memcpy(at, to, nt);
	memmove(at + nt, at + nf, strlen(at + nf) + 1);
}

static void test_doc_matches_def(void **state)
{
	(void)state;
	char *doc = read_doc();
	assert_int_equal(missing_rows(doc), 0);
	assert_int_equal(unknown_imports(doc), 0);
	free(doc);
}

// A parameter renamed, a type dropped, a result dropped, a row removed,
// an import the ABI has not: each is found.
static void test_drift_is_found(void **state)
{
	static const char *const cases[][2] = {
		{ "`(ep, msg, payload, size) -> i32`", "`(ep, msg, data, size) -> i32`" },
		{ "`(ns i64)`", "`(ns)`" },
		{ "`() -> i64`", "`()`" },
		{ "| `eset_put` |", "| `eset_pu` |" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *doc = read_doc();
		mutate(doc, cases[i][0], cases[i][1]);
		assert_true(missing_rows(doc) + unknown_imports(doc) > 0);
		free(doc);
	}
	char *doc = read_doc();
	mutate(doc, "| `blk_len` |", "| `blk_lem` |");
	assert_int_equal(unknown_imports(doc), 1);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_doc_matches_def),
		cmocka_unit_test(test_drift_is_found),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
