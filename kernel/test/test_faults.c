// SPDX-License-Identifier: MIT
// Crash tests: each must end in a readable fault dump and a failure exit,
// never a hang. The QEMU tests check the dump and the exit status.
#include <ktest.h>
#include <panic.h>
#include <sched.h>

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

static volatile int depth_limit = 1 << 30; // never reached: the guard is

static int recurse(int n)
{
	volatile char pad[256];
	pad[0] = (char)n;
	if (n >= depth_limit)
		return 0;
	return recurse(n + 1) + pad[0];
}

static void overflow_main(void *arg)
{
	(void)arg;
	klog(KLOG_INFO, "%d", recurse(0));
}

KTEST_CRASH(fault_stack_overflow)
{
	struct thread *t;
	// The thread runs off the bottom of its stack into the guard page.
	if (thread_create("deep", overflow_main, NULL, &t) == ERR_OK)
		thread_join(t);
}
