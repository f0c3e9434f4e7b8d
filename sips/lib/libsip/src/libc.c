// SPDX-License-Identifier: MIT
// The standard names of the portable core (rt.h): one-line wrappers, plus
// errno for the strto* family. wasm32 only; the host tests call the rt_
// functions directly.
#include "rt.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

int errno;

void *memcpy(void *dst, const void *src, size_t n) { return rt_memcpy(dst, src, n); }
void *memmove(void *dst, const void *src, size_t n) { return rt_memmove(dst, src, n); }
void *memset(void *dst, int c, size_t n) { return rt_memset(dst, c, n); }
int memcmp(const void *a, const void *b, size_t n) { return rt_memcmp(a, b, n); }
void *memchr(const void *s, int c, size_t n) { return rt_memchr(s, c, n); }

size_t strlen(const char *s) { return rt_strlen(s); }
size_t strnlen(const char *s, size_t max) { return rt_strnlen(s, max); }
int strcmp(const char *a, const char *b) { return rt_strcmp(a, b); }
int strncmp(const char *a, const char *b, size_t n) { return rt_strncmp(a, b, n); }
char *strchr(const char *s, int c) { return rt_strchr(s, c); }
char *strrchr(const char *s, int c) { return rt_strrchr(s, c); }
char *strstr(const char *hay, const char *needle) { return rt_strstr(hay, needle); }
size_t strspn(const char *s, const char *accept) { return rt_strspn(s, accept); }
size_t strcspn(const char *s, const char *reject) { return rt_strcspn(s, reject); }
size_t strlcpy(char *dst, const char *src, size_t size) { return rt_strlcpy(dst, src, size); }
size_t strlcat(char *dst, const char *src, size_t size) { return rt_strlcat(dst, src, size); }
char *strtok_r(char *s, const char *delim, char **save) { return rt_strtok_r(s, delim, save); }

int isalpha(int c) { return rt_isalpha(c); }
int isdigit(int c) { return rt_isdigit(c); }
int isalnum(int c) { return rt_isalnum(c); }
int isxdigit(int c) { return rt_isxdigit(c); }
int isspace(int c) { return rt_isspace(c); }
int isupper(int c) { return rt_isupper(c); }
int islower(int c) { return rt_islower(c); }
int isprint(int c) { return rt_isprint(c); }
int isgraph(int c) { return rt_isgraph(c); }
int ispunct(int c) { return rt_ispunct(c); }
int iscntrl(int c) { return rt_iscntrl(c); }
int isblank(int c) { return rt_isblank(c); }
int tolower(int c) { return rt_tolower(c); }
int toupper(int c) { return rt_toupper(c); }

static void check_base(int base)
{
	if (base < 0 || base == 1 || base > 36)
		errno = EINVAL;
}

long long strtoll(const char *s, char **end, int base)
{
	bool over;
	long long v = rt_strtoll(s, end, base, &over);

	check_base(base);
	if (over)
		errno = ERANGE;
	return v;
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	bool over;
	unsigned long long v = rt_strtoull(s, end, base, &over);

	check_base(base);
	if (over)
		errno = ERANGE;
	return v;
}

// long is 32 bits on wasm32: saturate the 64-bit result again.
long strtol(const char *s, char **end, int base)
{
	long long v = strtoll(s, end, base);

	if (v > LONG_MAX || v < LONG_MIN) {
		errno = ERANGE;
		return v > 0 ? LONG_MAX : LONG_MIN;
	}
	return (long)v;
}

// Like C, a negated value that fits is returned negated (wrapped).
unsigned long strtoul(const char *s, char **end, int base)
{
	const char *p = s;
	unsigned long long v;

	while (rt_isspace(*p))
		p++;
	bool neg = *p == '-';
	v = strtoull(s, end, base);
	if (neg)
		v = -v;
	if (v > ULONG_MAX) {
		errno = ERANGE;
		return ULONG_MAX;
	}
	return neg ? -(unsigned long)v : (unsigned long)v;
}

int atoi(const char *s) { return (int)strtol(s, NULL, 10); }
long atol(const char *s) { return strtol(s, NULL, 10); }
int abs(int v) { return v < 0 ? -v : v; }
long labs(long v) { return v < 0 ? -v : v; }
long long llabs(long long v) { return v < 0 ? -v : v; }

void qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	rt_qsort(base, n, size, cmp);
}

void *bsearch(const void *key, const void *base, size_t n, size_t size,
	      int (*cmp)(const void *, const void *))
{
	return rt_bsearch(key, base, n, size, cmp);
}
