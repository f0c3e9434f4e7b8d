// SPDX-License-Identifier: MIT
// Console input: bytes polled from the serial port on each timer tick go
// into a ring buffer that readers wait on.
#ifndef ISOLA_CONSOLE_H
#define ISOLA_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

// Called from the timer interrupt.
void console_poll(void);
// Waits for one byte of input.
int console_getc(void);
// Copies up to len bytes of what has arrived, without waiting; the count.
size_t console_read(uint8_t *buf, size_t len);
// Waits until input has arrived or the deadline (arch_time_ns) passes.
void console_wait_input(uint64_t deadline);
// Reads a line with echo and backspace handling; returns its length
// (without the newline). Overlong lines are cut at cap - 1.
size_t console_readline(char *buf, size_t cap);

#endif
