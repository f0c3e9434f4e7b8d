// SPDX-License-Identifier: MIT
// Hostile: executes WebAssembly's `unreachable`.
// The engine traps: trapped (3000, unreachable).
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("executing unreachable\n");
	if (hostile_opaque(1))
		__builtin_trap();
	return 1;
}
