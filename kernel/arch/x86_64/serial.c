// SPDX-License-Identifier: MIT
// 16550 UART on COM1: 115200 8N1, FIFOs on; output polled, input polled
// from the timer tick (no IRQ routing needed on any machine type).
#include "cpu.h"

#define COM1 0x3f8
#define REG_DATA 0
#define REG_IER 1
#define REG_FCR 2
#define REG_LCR 3
#define REG_MCR 4
#define REG_LSR 5
#define LSR_DATA_READY 0x01
#define LSR_THR_EMPTY 0x20

static int serial_present;

void x86_serial_init(void)
{
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x80); // DLAB on
	outb(COM1 + REG_DATA, 0x01); // divisor 1: 115200 baud
	outb(COM1 + REG_IER, 0x00);
	outb(COM1 + REG_LCR, 0x03); // 8N1, DLAB off
	outb(COM1 + REG_FCR, 0xc7); // FIFO on, cleared, 14-byte threshold
	outb(COM1 + REG_MCR, 0x03); // DTR, RTS
	// An absent UART reads back 0xff everywhere.
	serial_present = inb(COM1 + REG_LSR) != 0xff;
}

static void serial_putc(char c)
{
	for (int spin = 0; spin < 100000; spin++)
		if (inb(COM1 + REG_LSR) & LSR_THR_EMPTY)
			break;
	outb(COM1 + REG_DATA, (uint8_t)c);
}

void x86_serial_write(const char *s, uint64_t n)
{
	if (!serial_present)
		return;
	for (uint64_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

int x86_serial_poll(void)
{
	if (!serial_present || !(inb(COM1 + REG_LSR) & LSR_DATA_READY))
		return -1;
	return inb(COM1 + REG_DATA);
}
