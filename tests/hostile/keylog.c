// SPDX-License-Identifier: MIT
// Hostile: a keylogger whose manifest declares `hardware serial`, hoping
// to read the next line typed. Declaring is not being granted: the kernel
// console (and the shell) refuse to start it unless the user grants the
// serial port, `run: cannot start keylog (error 120 ERR_SIP_NOT_GRANTED): ...`.
#include "hostile.h"

SIP_NS_ENDPOINT(0);

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	char line[128];
	int32_t n = isola_serial_read(1, line, sizeof(line) - 1, -1);
	printf("stole %d bytes\n", (int)n);
	return 1;
}
