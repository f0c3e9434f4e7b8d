// SPDX-License-Identifier: MIT
// A stand-in for libsip in the sipcc tests: only the entry point.
int main(void);
void _start(void);

void _start(void)
{
	(void)main();
}
