// SPDX-License-Identifier: MIT
// The console's line editor: turns typed bytes into one line with echo,
// backspace and DEL, and hands out the finished line. The service loop
// (console.c) decides who gets it.
#ifndef SIPS_CONSOLE_LINE_H
#define SIPS_CONSOLE_LINE_H

#include <stdbool.h>
#include <stdint.h>

// The longest line (without its newline).
#define CONSOLE_LINE_MAX 255

// The serial capability: the manifest's `hardware serial` slot, after its
// one endpoint (ns, handle 1).
#define CONSOLE_SERIAL 2

// Takes one typed byte and echoes it: printable bytes are added (past
// CONSOLE_LINE_MAX they are dropped), backspace and DEL erase one ("\b \b"), CR or
// LF end the line (echo "\n"; the LF of a CR LF pair is skipped), other
// control bytes are ignored. True when the line is finished.
bool line_feed(char c);
// The finished line (not terminated) and its length; the editor starts a
// new line.
uint32_t line_take(SIP_COUNT(size) char *buf, uint32_t size);

#endif
