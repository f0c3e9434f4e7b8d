// SPDX-License-Identifier: MIT
// VGA text console mirroring the kernel log, used when the loader reports
// an EGA text framebuffer (GRUB on BIOS). Light grey on black, scrolls.
#include "cpu.h"
#include <string.h>

static volatile uint16_t *vga;
static uint32_t cols, rows, col, row;

void x86_vga_init(uint64_t addr, uint32_t c, uint32_t r)
{
	if (!addr || !c || !r || c > 256 || r > 256)
		return;
	vga = (volatile uint16_t *)addr;
	cols = c;
	rows = r;
	for (uint32_t i = 0; i < cols * rows; i++)
		vga[i] = 0x0720;
}

static void scroll(void)
{
	for (uint32_t i = 0; i < cols * (rows - 1); i++)
		vga[i] = vga[i + cols];
	for (uint32_t i = cols * (rows - 1); i < cols * rows; i++)
		vga[i] = 0x0720;
	row = rows - 1;
}

void x86_vga_write(const char *s, uint64_t n)
{
	if (!vga)
		return;
	for (uint64_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n' || col == cols) {
			col = 0;
			if (++row == rows)
				scroll();
			if (c == '\n')
				continue;
		}
		if (c == '\r')
			continue;
		vga[row * cols + col++] = (uint16_t)(0x0700 | (uint8_t)c);
	}
}
