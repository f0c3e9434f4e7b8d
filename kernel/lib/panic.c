// SPDX-License-Identifier: MIT
// Panic and the kernel's assertion hook (see panic.h).
#include <arch.h>
#include <isola/assert.h>
#include <isola/fmt.h>
#include <klog.h>
#include <panic.h>

bool kernel_test_mode;
static volatile int panicking;

static void print_frame(uint64_t pc, void *ctx)
{
	const char *name;
	uint64_t off;
	(void)ctx;
	if (ksyms_lookup(pc, &name, &off))
		klog(KLOG_ERROR, "    %016lx %s+%#lx", (unsigned long)pc, name,
		     (unsigned long)off);
	else
		klog(KLOG_ERROR, "    %016lx ?", (unsigned long)pc);
}

void panic_backtrace(uint64_t pc, uint64_t fp)
{
	klog(KLOG_ERROR, "  backtrace:");
	print_frame(pc, NULL);
	arch_backtrace(fp, print_frame, NULL, 32);
}

void panic(const char *fmt, ...)
{
	char msg[160];
	arch_irq_save();
	if (panicking++) // a panic while panicking: stop at once
		arch_exit(false);
	va_list ap;
	va_start(ap, fmt);
	isola_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	klog(KLOG_ERROR, "PANIC: %s", msg);
	klog(KLOG_ERROR, "  backtrace of panic():");
	arch_backtrace(arch_frame_pointer(), print_frame, NULL, 32);
	klog(KLOG_ERROR, "system halted");
	if (kernel_test_mode)
		arch_exit(false);
	arch_halt_forever();
}

void isola_assert_fail(const char *expr, const char *file, int line,
		       const char *func)
{
	panic("assertion '%s' failed in %s (%s:%d)", expr, func, file, line);
}
