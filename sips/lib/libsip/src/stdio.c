// SPDX-License-Identifier: MIT
// stdout and the printf family on wasm32. stdout is one buffer, sent to
// the console (console.c) at each newline, when it is full, at
// sip_flush() and at exit.
#include "rt.h"
#include "sip_internal.h"

#include <stdio.h>
#include <sip/sip.h>

#define STDOUT_SIZE 1024

static char out_buf[STDOUT_SIZE];
static size_t out_len;

void sip_flush(void)
{
	size_t n = out_len;

	// Emptied first: a failure path that prints must not send it twice.
	out_len = 0;
	if (n)
		rt_console_write(out_buf, n);
}

void rt_stdout_put(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (out_len == STDOUT_SIZE)
			sip_flush();
		out_buf[out_len++] = s[i];
		if (s[i] == '\n')
			sip_flush();
	}
}

static void stdout_sink(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	rt_stdout_put(s, n);
}

int vprintf(const char *fmt, va_list ap)
{
	return rt_vformat(stdout_sink, NULL, fmt, ap);
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return rt_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = rt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

int puts(const char *s)
{
	rt_stdout_put(s, rt_strlen(s));
	rt_stdout_put("\n", 1);
	return 0;
}

int putchar(int c)
{
	char ch = (char)c;

	rt_stdout_put(&ch, 1);
	return (unsigned char)ch;
}
