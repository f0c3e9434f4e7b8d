// SPDX-License-Identifier: MIT
// Hostile: asks the kernel's random call for more than it gives in one
// call (257 bytes: -ERR_RANGE, nothing written), then for 256 bytes
// 20,000 times in a row, which must neither hold interrupts off for long
// (the suite measures it) nor escape the scheduler. Exits 0 when every
// answer was as documented (docs/abi.md), 1 otherwise.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

static uint8_t buf[300];

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int bad = 0;
	if (isola_random(buf, hostile_opaque(257)) != -3) // -ERR_RANGE
		bad |= 1;
	for (unsigned i = 0; i < sizeof(buf); i++)
		if (buf[i])
			bad |= 2;
	unsigned zeros = 0;
	for (int i = 0; i < 20000; i++) {
		if (isola_random(buf, 256) != 0)
			bad |= 4;
		zeros += buf[0] == 0 && buf[1] == 0 && buf[2] == 0 && buf[3] == 0;
	}
	if (zeros > 2) // four zero bytes: about once in 4 billion draws
		bad |= 8;
	printf("random: 20000 draws of 256 bytes%s (%#x)\n", bad ? " NOT as documented" : "",
	       (unsigned)bad);
	return bad ? 1 : 0;
}
