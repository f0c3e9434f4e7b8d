// SPDX-License-Identifier: MIT
// The console's line editor: turns typed bytes into one line with echo,
// hands out the finished line, and keeps the history of lines handed out.
// Keys: printable bytes are added (past CONSOLE_LINE_MAX the bell rings
// and they are dropped); backspace and DEL erase one; Ctrl-U erases the
// line, Ctrl-W the last word; Up and Down (ESC [ A, ESC [ B, or ESC O A/B)
// walk the history; Tab completes the last word from the reader's words;
// Ctrl-C drops the line; CR or LF end it (the LF of a CR LF pair is
// skipped); other control bytes and escape sequences are ignored. The
// service loop (console.c) decides who gets the line.
#ifndef SIPS_CONSOLE_LINE_H
#define SIPS_CONSOLE_LINE_H

#include <stdbool.h>
#include <stdint.h>

// The longest line (without its newline).
#define CONSOLE_LINE_MAX 255
// Lines kept in the history.
#define CONSOLE_HISTORY 32
// The largest completion list (prompt line and words).
#define CONSOLE_WORDS_MAX 2048

// The serial capability: the manifest's `hardware serial` slot, after its
// one endpoint (ns, handle 1).
#define CONSOLE_SERIAL 2

// The byte a line dropped with Ctrl-C is answered with.
#define CONSOLE_CANCELLED 0x03

enum line_event {
	LINE_MORE,      // the line goes on
	LINE_DONE,      // finished: line_take has it
	LINE_CANCELLED, // dropped with Ctrl-C: line_take gives nothing
};

// Takes one typed byte and echoes what it did.
enum line_event line_feed(char c);
// The finished line (not terminated) and its length; the editor starts a
// new line, and the line (if not empty) joins the history.
uint32_t line_take(SIP_COUNT(size) char *buf, uint32_t size);
// The words Tab completes from for the line being read: text[0..n) as in
// console.contract (prompt line, then one word per line); n == 0 for none.
void line_set_words(SIP_COUNT(n) const char *text, uint32_t n);

#endif
