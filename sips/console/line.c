// SPDX-License-Identifier: MIT
// The line editor (line.h). One line at a time: the console serves one
// reader at a time, and keys typed before anyone reads stay in the serial
// port's buffer.
#include "line.h"

#include <sip/abi.h>

static char line[CONSOLE_LINE_MAX];
static uint32_t len;
static bool after_cr; // the last byte ended a line with CR

static void echo(const char *s, uint32_t n)
{
	(void)isola_serial_write(CONSOLE_SERIAL, s, n);
}

bool line_feed(char c)
{
	bool skip = after_cr && c == '\n';

	after_cr = c == '\r';
	if (skip)
		return false;
	if (c == '\r' || c == '\n') {
		echo("\n", 1);
		return true;
	}
	if (c == '\b' || c == 0x7f) {
		if (len > 0) {
			len--;
			echo("\b \b", 3);
		}
		return false;
	}
	if (c >= ' ' && c <= '~' && len < CONSOLE_LINE_MAX) {
		line[len++] = c;
		echo(&c, 1);
	}
	return false;
}

uint32_t line_take(SIP_COUNT(size) char *buf, uint32_t size)
{
	uint32_t n = len < size ? len : size;

	for (uint32_t i = 0; i < n; i++)
		buf[i] = line[i];
	len = 0;
	return n;
}
