// SPDX-License-Identifier: MIT
// Hostile: INT32_MIN / -1, the one signed division whose result does not fit.
// The engine traps: trapped (3003, integer overflow).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int32_t min = (int32_t)hostile_opaque(0x80000000u);
	int32_t minus1 = (int32_t)hostile_opaque(0xffffffffu);
	printf("dividing INT32_MIN by -1\n");
	int32_t q = min / minus1;
	printf("the division returned %d\n", (int)q);
	return 1;
}
