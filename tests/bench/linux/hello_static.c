// SPDX-License-Identifier: MIT
// The program bench_linux forks and execs: prints one line and exits.
#include <stdio.h>

int main(void)
{
	puts("hello");
	return 0;
}
