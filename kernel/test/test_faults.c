// SPDX-License-Identifier: MIT
// Crash tests: each must end in a readable fault dump and a failure exit,
// never a hang. The QEMU tests check the dump and the exit status.
#include <ktest.h>
#include <panic.h>

static volatile int zero;

KTEST_CRASH(fault_divide_by_zero)
{
	volatile int x = 42 / zero;
	(void)x;
}

KTEST_CRASH(fault_unmapped_address)
{
	volatile uint64_t *p = (volatile uint64_t *)0x0000700000000000ull;
	*p = 1;
}

KTEST_CRASH(fault_null_pointer)
{
	volatile int *p = (volatile int *)(uintptr_t)zero;
	(void)*p;
}

KTEST_CRASH(fault_panic)
{
	panic("deliberate panic from a test");
}
