// SPDX-License-Identifier: MIT
// Calls wasi-libc's div, which returns a struct: it links with the
// standard C ABI of sipcc --unchecked, and is a link error (a signature
// mismatch, never a trap at run time) under checked C's multivalue ABI.
#include <stdlib.h>

int main(int argc, char **argv)
{
	div_t d = div(argc + 6, 3);

	(void)argv;
	return d.quot + d.rem - 2;
}
