// SPDX-License-Identifier: MIT
// Hostile: integer division by zero (i32.div_s).
// The engine traps: trapped (3002, integer divide by zero).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	int32_t zero = (int32_t)hostile_opaque(0);
	printf("dividing by zero\n");
	int32_t q = 42 / zero;
	printf("the division returned %d\n", (int)q);
	return 1;
}
