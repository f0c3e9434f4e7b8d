// SPDX-License-Identifier: MIT
// Crash tests: each must end in a readable fault dump and a failure exit,
// never a hang. The QEMU tests check the dump and the exit status.
#include <kmem.h>
#include <ktest.h>
#include <panic.h>
#include <sched.h>
#include <vmm.h>

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

// Memory protection (docs/architecture.md, "Address space"): what no
// fault handler covers ends in the dump.

static volatile uint8_t ret_byte = 0xc3;

// Calls p from a frame of its own, so the backtrace names the test.
static __attribute__((noinline)) void call_data(void *p)
{
	((void (*)(void))p)();
	__asm__ volatile("" ::: "memory");
}

KTEST_CRASH(fault_write_kernel_text)
{
	*(volatile uint8_t *)(uintptr_t)&call_data = 0xc3;
}

KTEST_CRASH(fault_exec_heap)
{
	uint8_t *p = kmalloc(16);
	if (p) {
		p[0] = ret_byte;
		call_data(p);
	}
	klog(KLOG_ERROR, "heap data ran");
}

KTEST_CRASH(fault_write_sealed_code)
{
	uint8_t *p = vmm_code_alloc(VMM_PAGE);
	if (p && vmm_code_seal(p, VMM_PAGE) == ERR_OK)
		*(volatile uint8_t *)p = 0xc3;
	klog(KLOG_ERROR, "sealed code written");
}

static bool declining_handler(uint64_t rip, uint64_t addr, uint64_t *resume_rip)
{
	(void)rip;
	(void)resume_rip;
	klog(KLOG_ERROR, "fault handler declines the fault at %#lx", (unsigned long)addr);
	return false;
}

KTEST_CRASH(fault_region_declined)
{
	void *base;
	(void)vmm_set_fault_handler(declining_handler); // the test ends in a crash
	if (vmm_reserve(64 << 10, &base) == ERR_OK)
		(void)*(volatile uint64_t *)base;
	klog(KLOG_ERROR, "reserved page read");
}
