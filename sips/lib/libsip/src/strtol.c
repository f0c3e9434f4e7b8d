// SPDX-License-Identifier: MIT
// Number parsing with C's strtoull/strtoll rules: leading white space, an
// optional sign, base 0 (prefix 0x = 16, 0 = 8, else 10) or 2..36 (16 also
// takes 0x), *end after the last digit used (or at s when there is none),
// and saturation with an overflow report on a range error.
#include "rt.h"

#include <limits.h>

struct rt_num {
	unsigned long long mag; // the digits' value, saturated
	bool neg;
	bool overflow;
	const char *end;
};

static int digit_value(char c)
{
	if (rt_isdigit(c))
		return c - '0';
	if (rt_isalpha(c))
		return rt_tolower(c) - 'a' + 10;
	return 99;
}

// Returns the base the digits at *p use and skips its prefix.
static int take_prefix(const char **p, int base)
{
	const char *s = *p;
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16;

	if ((base == 0 || base == 16) && hex) {
		*p = s + 2;
		return 16;
	}
	if (base == 0)
		return s[0] == '0' ? 8 : 10;
	return base;
}

static void parse(struct rt_num *n, const char *s, int base)
{
	n->mag = 0;
	n->neg = false;
	n->overflow = false;
	n->end = s;
	if (base < 0 || base == 1 || base > 36)
		return;
	while (rt_isspace(*s))
		s++;
	if (*s == '+' || *s == '-')
		n->neg = *s++ == '-';
	base = take_prefix(&s, base);
	const char *first = s;

	// The bound is a division: a checked multiply would need 128-bit
	// helpers that wasm32 has no library for.
	for (int d; (d = digit_value(*s)) < base; s++) {
		if (n->mag > (ULLONG_MAX - (unsigned)d) / (unsigned)base)
			n->overflow = true;
		else
			n->mag = n->mag * (unsigned)base + (unsigned)d;
	}
	if (s != first)
		n->end = s;
}

static void set_end(char **end, const char *at, bool *overflow, bool over)
{
	if (end)
		*end = (char *)(uintptr_t)at;
	if (overflow)
		*overflow = over;
}

unsigned long long rt_strtoull(const char *s, char **end, int base, bool *overflow)
{
	struct rt_num n;

	parse(&n, s, base);
	set_end(end, n.end, overflow, n.overflow);
	if (n.overflow)
		return ULLONG_MAX;
	return n.neg ? -n.mag : n.mag;
}

long long rt_strtoll(const char *s, char **end, int base, bool *overflow)
{
	struct rt_num n;
	unsigned long long limit;

	parse(&n, s, base);
	limit = n.neg ? (unsigned long long)LLONG_MAX + 1 : (unsigned long long)LLONG_MAX;
	if (n.mag > limit)
		n.overflow = true;
	set_end(end, n.end, overflow, n.overflow);
	if (n.overflow)
		return n.neg ? LLONG_MIN : LLONG_MAX;
	if (n.neg)
		return n.mag == limit ? LLONG_MIN : -(long long)n.mag;
	return (long long)n.mag;
}
