// SPDX-License-Identifier: MIT
// String functions. There is no strcpy/strcat/strncpy: strlcpy and strlcat
// always terminate and report the length they needed, so truncation is
// visible. strdup/strndup live with the allocator (libc.c).
#include "rt.h"

size_t rt_strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t rt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int rt_strcmp(const char *a, const char *b)
{
	return rt_strncmp(a, b, SIZE_MAX);
}

int rt_strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];

		if (x != y)
			return x < y ? -1 : 1;
		if (!x)
			break;
	}
	return 0;
}

char *rt_strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)(uintptr_t)s;
		if (!*s)
			return NULL;
	}
}

char *rt_strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)(uintptr_t)last;
	}
}

size_t rt_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = rt_strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		rt_memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

size_t rt_strlcat(char *dst, const char *src, size_t size)
{
	size_t used = rt_strnlen(dst, size);

	// No terminator within size: nothing can be appended.
	if (used == size)
		return size + rt_strlen(src);
	return used + rt_strlcpy(dst + used, src, size - used);
}

char *rt_strstr(const char *hay, const char *needle)
{
	size_t n = rt_strlen(needle);

	for (; *hay; hay++) {
		if (rt_strncmp(hay, needle, n) == 0)
			return (char *)(uintptr_t)hay;
	}
	return n ? NULL : (char *)(uintptr_t)hay;
}

size_t rt_strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && rt_strchr(accept, s[n]))
		n++;
	return n;
}

size_t rt_strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !rt_strchr(reject, s[n]))
		n++;
	return n;
}

char *rt_strtok_r(char *s, const char *delim, char **save)
{
	if (!s)
		s = *save;
	s += rt_strspn(s, delim);
	if (!*s) {
		*save = s;
		return NULL;
	}
	char *end = s + rt_strcspn(s, delim);

	if (*end)
		*end++ = '\0';
	*save = end;
	return s;
}
