// SPDX-License-Identifier: MIT
// A module that never returns on its own: the kernel test kills it.
static volatile unsigned counter;

__attribute__((export_name("spin"))) void spin(void)
{
	for (;;)
		counter++;
}
