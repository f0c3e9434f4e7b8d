// SPDX-License-Identifier: MIT
// The input is a number string (parsed by rt_strtoll/rt_strtoull and the
// host's strtoll/strtoull with the base from the first byte) and, from the
// same bytes, one integer conversion (flags, width, precision, length and
// conversion picked from tables) printed by rt_vsnprintf and snprintf.
// Any difference aborts. The whole input is also an argument string for
// rt_args_split (quotes, backslashes): every word it returns must lie in
// the string and end there, none may hold more bytes than the input.
#include "rt.h"
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int rt_snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = rt_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}

static void fuzz_strtol(const char *s, int base)
{
	char *e1, *e2;
	bool over;

	errno = 0;
	long long want = strtoll(s, &e2, base);
	long long got = rt_strtoll(s, &e1, base, &over);

	if (got != want || e1 != e2 || over != (errno == ERANGE))
		abort();
	errno = 0;
	unsigned long long uwant = strtoull(s, &e2, base);
	unsigned long long ugot = rt_strtoull(s, &e1, base, &over);

	if (ugot != uwant || e1 != e2 || over != (errno == ERANGE))
		abort();
}

static void fuzz_format(const uint8_t *d, long long v)
{
	static const char *const flags[] = { "", "-", "0", "+", " ", "#", "-+", "0#", "- #" };
	static const char *const lens[] = { "", "hh", "h", "l", "ll", "z", "j" };
	static const char convs[] = "diuxXo";
	char fmt[32], a[128], b[128];
	const char *len = lens[d[2] % 7];

	snprintf(fmt, sizeof(fmt), "%%%s%d.%d%s%c", flags[d[0] % 9], d[1] % 40, d[3] % 30 - 1,
		 len, convs[d[4] % 6]);
	if (d[3] % 30 == 0) // no precision
		snprintf(fmt, sizeof(fmt), "%%%s%d%s%c", flags[d[0] % 9], d[1] % 40, len, convs[d[4] % 6]);
	int na, nb;

	if (len[0] == 'l' || len[0] == 'z' || len[0] == 'j') {
		na = rt_snprintf(a, sizeof(a), fmt, v);
		nb = snprintf(b, sizeof(b), fmt, v);
	} else {
		na = rt_snprintf(a, sizeof(a), fmt, (int)v);
		nb = snprintf(b, sizeof(b), fmt, (int)v);
	}
	if (na != nb || strcmp(a, b) != 0)
		abort();
}

static void fuzz_args(const uint8_t *data, size_t size)
{
	enum { MAX = 8 };
	char *line = malloc(size + 1), *argv[MAX + 1];
	size_t total = 0;

	memcpy(line, data, size);
	line[size] = '\0';
	int argc = rt_args_split(line, argv, MAX);
	if (argc < 0 || argc > MAX || argv[argc] != NULL)
		abort();
	for (int i = 0; i < argc; i++) {
		if (argv[i] < line || argv[i] > line + size)
			abort();
		total += strlen(argv[i]); // ASan: each ends inside line
	}
	if (total > size)
		abort();
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_args(data, size);
	char s[64];
	static const int bases[] = { 0, 2, 8, 10, 16, 36, 3, 7 };

	if (size < 5)
		return 0;
	size_t n = size - 1 < sizeof(s) - 1 ? size - 1 : sizeof(s) - 1;

	memcpy(s, data + 1, n);
	s[n] = '\0';
	fuzz_strtol(s, bases[data[0] % 8]);
	fuzz_format(data, rt_strtoll(s, NULL, 0, NULL) ^ ((long long)data[0] << 40));
	return 0;
}
