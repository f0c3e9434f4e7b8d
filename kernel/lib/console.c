// SPDX-License-Identifier: MIT
// Console input (see console.h): a ring filled from the timer tick,
// drained by readers who sleep on a wait queue while it is empty.
#include <arch.h>
#include <console.h>
#include <klog.h>
#include <sched.h>

#define RING_SIZE 4096

static uint8_t ring[RING_SIZE];
static volatile uint32_t head, tail; // head: next write, tail: next read
static struct waitq readers = { { &readers.head, &readers.head }, 0 };

void console_poll(void)
{
	int c;
	bool got = false;
	while ((c = arch_console_poll()) >= 0) {
		if (head - tail < RING_SIZE) // full: drop, never block the tick
			ring[head++ % RING_SIZE] = (uint8_t)c;
		got = true;
	}
	if (got)
		waitq_wake(&readers, 0);
}

int console_getc(void)
{
	uint64_t f = arch_irq_save();
	while (head == tail)
		waitq_wait(&readers, 0);
	int c = ring[tail++ % RING_SIZE];
	arch_irq_restore(f);
	return c;
}

size_t console_read(uint8_t *buf, size_t len)
{
	size_t n = 0;
	uint64_t f = arch_irq_save();
	while (n < len && head != tail)
		buf[n++] = ring[tail++ % RING_SIZE];
	arch_irq_restore(f);
	return n;
}

void console_wait_input(uint64_t deadline)
{
	uint64_t f = arch_irq_save();
	if (head == tail)
		(void)waitq_wait(&readers, deadline);
	arch_irq_restore(f);
}

size_t console_readline(char *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		int c = console_getc();
		if (c == '\r' || c == '\n') {
			kputs_raw("\n", 1);
			break;
		}
		if (c == 0x7f || c == '\b') {
			if (n) {
				n--;
				kputs_raw("\b \b", 3);
			}
			continue;
		}
		if (c < 0x20 || c > 0x7e || n + 1 >= cap)
			continue; // ignore control bytes and overflow
		buf[n++] = (char)c;
		kputs_raw(&buf[n - 1], 1);
	}
	buf[n] = '\0';
	return n;
}
