// SPDX-License-Identifier: MIT
// The line editor (line.h). One line at a time: the console serves one
// reader at a time. Editing works on the end of the line only (there is
// no cursor to move), so every change is echoed as erase-and-retype.
#include "line.h"

#include <sip/abi.h>
#include <string.h>

static char line[CONSOLE_LINE_MAX];
static uint32_t len;
static bool after_cr; // the last byte ended a line with CR
static uint32_t esc;  // 1 after ESC, 2 after ESC [ or ESC O

// The history: a ring of the last lines handed out, and how far back Up
// has gone (0: the line being typed, saved in typed[] while away).
static char history[CONSOLE_HISTORY][CONSOLE_LINE_MAX];
static uint32_t hist_len[CONSOLE_HISTORY];
static uint32_t hist_n, hist_next, hist_at;
static char typed[CONSOLE_LINE_MAX];
static uint32_t typed_len;

static char words[CONSOLE_WORDS_MAX];
static uint32_t words_len;

static void echo(const char *s, uint32_t n)
{
	(void)isola_serial_write(CONSOLE_SERIAL, s, n);
}

static void bell(void)
{
	echo("\a", 1);
}

// Takes the last n characters off the screen and the line.
static void erase(uint32_t n)
{
	static const char rub[] = "\b \b\b \b\b \b\b \b\b \b\b \b\b \b\b \b";

	if (n > len)
		n = len;
	len -= n;
	while (n > 0) {
		uint32_t k = n < 8 ? n : 8;

		echo(rub, 3 * k);
		n -= k;
	}
}

// Appends src[0..n) to the line and the screen, as far as it fits.
static void append(const char *src, uint32_t n)
{
	uint32_t room = CONSOLE_LINE_MAX - len;
	uint32_t k = n < room ? n : room;

	if (k == 0) {
		bell(); // full: the key is dropped
		return;
	}
	memcpy(&line[len], src, k);
	echo(src, k);
	len += k;
	if (k < n)
		bell();
}

// The history entry `back` lines ago (1: the last one).
static uint32_t hist_slot(uint32_t back)
{
	return (hist_next + CONSOLE_HISTORY - back) % CONSOLE_HISTORY;
}

// Up (older) or Down (newer): shows another history entry.
static void hist_move(bool up)
{
	if ((up && hist_at == hist_n) || (!up && hist_at == 0)) {
		bell();
		return;
	}
	if (hist_at == 0) {
		for (uint32_t i = 0; i < len; i++)
			typed[i] = line[i];
		typed_len = len;
	}
	hist_at = up ? hist_at + 1 : hist_at - 1;
	erase(len);
	if (hist_at == 0) {
		append(typed, typed_len);
		return;
	}
	uint32_t s = hist_slot(hist_at);

	append(history[s], hist_len[s]);
}

// Ctrl-W: the last word and the spaces after it.
static void erase_word(void)
{
	uint32_t n = len;

	while (n > 0 && line[n - 1] == ' ')
		n--;
	while (n > 0 && line[n - 1] != ' ')
		n--;
	erase(len - n);
}

// Where word k of the completion list starts (the prompt is line 0), its
// length in *n; false when there is no such word.
static bool word_at(uint32_t k, uint32_t *start, uint32_t *n)
{
	uint32_t i = 0, line_no = 0;

	while (i < words_len && line_no < k) {
		line_no += words[i] == '\n';
		i++;
	}
	if (i >= words_len || line_no < k)
		return false;
	*start = i;
	for (*n = 0; i + *n < words_len && words[i + *n] != '\n'; (*n)++)
		;
	return true;
}

// Shows every word that starts like the one being typed, then the prompt
// and the line again.
static void list_choices(uint32_t from, uint32_t plen)
{
	uint32_t s, n, p0, pn;

	echo("\n", 1);
	for (uint32_t k = 1; word_at(k, &s, &n); k++) {
		if (n < plen || memcmp(&words[s], &line[from], plen) != 0)
			continue;
		echo(&words[s], n);
		echo("  ", 2);
	}
	echo("\n", 1);
	if (word_at(0, &p0, &pn))
		echo(&words[p0], pn);
	echo(line, len);
}

// Tab: completes the word being typed as far as all matching words agree
// (and a space after it when only one matches); lists them when that
// adds nothing.
static void complete(void)
{
	uint32_t from = len, s, n, best = 0, first = 0, matches = 0;

	while (from > 0 && line[from - 1] != ' ')
		from--;
	uint32_t plen = len - from;

	for (uint32_t k = 1; word_at(k, &s, &n); k++) {
		if (n < plen || memcmp(&words[s], &line[from], plen) != 0)
			continue;
		if (matches++ == 0) {
			first = s;
			best = n;
			continue;
		}
		uint32_t c = 0;

		while (c < best && c < n && words[first + c] == words[s + c])
			c++;
		best = c;
	}
	if (matches == 0) {
		bell();
		return;
	}
	if (best > plen)
		append(&words[first + plen], best - plen);
	if (matches == 1)
		append(" ", 1);
	else if (best == plen)
		list_choices(from, plen);
}

// The byte after ESC [ (or ESC O): A is Up, B is Down; others are
// ignored.
static void escape_end(char c)
{
	esc = 0;
	if (c == 'A')
		hist_move(true);
	else if (c == 'B')
		hist_move(false);
}

// Control bytes; true when c was one.
static bool control(char c, enum line_event *ev)
{
	switch (c) {
	case '\b':
	case 0x7f:
		if (len > 0)
			erase(1);
		return true;
	case 0x15: // Ctrl-U
		erase(len);
		return true;
	case 0x17: // Ctrl-W
		erase_word();
		return true;
	case '\t':
		complete();
		return true;
	case 0x1b:
		esc = 1;
		return true;
	case 0x03: // Ctrl-C
		echo("^C\n", 3);
		len = 0;
		hist_at = 0;
		*ev = LINE_CANCELLED;
		return true;
	}
	return (unsigned char)c < ' ';
}

enum line_event line_feed(char c)
{
	enum line_event ev = LINE_MORE;
	bool skip = after_cr && c == '\n';

	after_cr = c == '\r';
	if (skip)
		return LINE_MORE;
	if (esc == 1) {
		esc = c == '[' || c == 'O' ? 2 : 0;
		return LINE_MORE;
	}
	if (esc == 2) {
		// Parameters come before the final byte (ESC [ 1 ; 5 A).
		if ((c >= '0' && c <= '9') || c == ';')
			return LINE_MORE;
		escape_end(c);
		return LINE_MORE;
	}
	if (c == '\r' || c == '\n') {
		echo("\n", 1);
		return LINE_DONE;
	}
	if (control(c, &ev))
		return ev;
	if ((unsigned char)c <= '~')
		append(&c, 1);
	return LINE_MORE;
}

// Keeps a finished line in the history, unless empty or the same as the
// last one.
static void hist_add(void)
{
	uint32_t last = hist_slot(1);

	if (len == 0 || (hist_n && hist_len[last] == len && memcmp(history[last], line, len) == 0))
		return;
	for (uint32_t i = 0; i < len; i++)
		history[hist_next][i] = line[i];
	hist_len[hist_next] = len;
	hist_next = (hist_next + 1) % CONSOLE_HISTORY;
	if (hist_n < CONSOLE_HISTORY)
		hist_n++;
}

uint32_t line_take(SIP_COUNT(size) char *buf, uint32_t size)
{
	uint32_t n = len < size ? len : size;

	for (uint32_t i = 0; i < n; i++)
		buf[i] = line[i];
	hist_add();
	len = 0;
	hist_at = 0;
	words_len = 0;
	return n;
}

void line_set_words(SIP_COUNT(n) const char *text, uint32_t n)
{
	words_len = n < CONSOLE_WORDS_MAX ? n : CONSOLE_WORDS_MAX;
	for (uint32_t i = 0; i < words_len; i++)
		words[i] = text[i];
}
