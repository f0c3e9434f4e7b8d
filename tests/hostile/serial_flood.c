// SPDX-License-Identifier: MIT
// Hostile: writes 8 MiB to the serial port in one call, again and again
// (manifest `hardware serial`, granted with `run --grant serial`). The
// kernel writes it in chunks with interrupts on and checks for a kill
// between chunks: the bystander keeps running, `kill ID` stops it at once,
// killed (0). It never ends by itself, so the kill cannot come too late on
// a fast machine. Each 64-byte line is one chunk, so the console's lines
// stay whole.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

#define FLOOD_SERIAL 1 // the hardware slot: no endpoints come before it
#define FLOOD_BYTES (8u << 20)
#define FLOOD_LINE 64

static char text[FLOOD_BYTES];

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (uint32_t i = 0; i < FLOOD_BYTES; i++)
		text[i] = i % FLOOD_LINE == FLOOD_LINE - 1 ? '\n' : '~';
	for (;;) {
		int32_t r = isola_serial_write(FLOOD_SERIAL, text, FLOOD_BYTES);
		if (r != 0) { // a write of granted, in-range text cannot fail
			printf("serial_write returned %d\n", (int)r);
			return 1;
		}
	}
}
