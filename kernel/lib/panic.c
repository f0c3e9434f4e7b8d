// SPDX-License-Identifier: MIT
// Panic and the kernel's assertion hook (see panic.h).
#include <arch.h>
#include <isola/assert.h>
#include <isola/fmt.h>
#include <klog.h>
#include <panic.h>

bool kernel_test_mode;
static volatile int panicking;

// Prints one frame. A return address is looked up one byte back: a call
// to a function that does not return may be the last instruction of its
// caller, and the address after it already belongs to the next function.
static void print_pc(uint64_t pc, bool is_return_address)
{
	const char *name;
	uint64_t off;
	uint64_t at = is_return_address ? pc - 1 : pc;
	if (ksyms_lookup(at, &name, &off))
		klog(KLOG_ERROR, "    %016lx %s+%#lx", (unsigned long)pc, name,
		     (unsigned long)(off + (pc - at)));
	else
		klog(KLOG_ERROR, "    %016lx ?", (unsigned long)pc);
}

// Collapses runs of the same return address (deep recursion) into one
// line and a count.
struct frame_run {
	uint64_t last;
	unsigned repeats;
};

static void flush_run(struct frame_run *r)
{
	if (r->repeats)
		klog(KLOG_ERROR, "    ... %u more frames at %016lx", r->repeats,
		     (unsigned long)r->last);
	r->repeats = 0;
}

static void print_frame(uint64_t pc, void *ctx)
{
	struct frame_run *r = ctx;
	if (r && pc == r->last) {
		r->repeats++;
		return;
	}
	if (r) {
		flush_run(r);
		r->last = pc;
	}
	print_pc(pc, true);
}

void panic_backtrace(uint64_t pc, uint64_t fp)
{
	struct frame_run r = { 0, 0 };
	klog(KLOG_ERROR, "  backtrace:");
	print_pc(pc, false);
	arch_backtrace(fp, print_frame, &r, 64);
	flush_run(&r);
}

static ISOLA_NORETURN void stop(bool with_backtrace, const char *fmt,
				 va_list ap)
{
	char msg[160];
	arch_irq_save();
	if (panicking++) // a panic while panicking: stop at once
		arch_exit(false);
	isola_vsnprintf(msg, sizeof(msg), fmt, ap);
	klog(KLOG_ERROR, "PANIC: %s", msg);
	if (with_backtrace) {
		struct frame_run r = { 0, 0 };
		klog(KLOG_ERROR, "  backtrace of panic():");
		arch_backtrace(arch_frame_pointer(), print_frame, &r, 64);
		flush_run(&r);
	}
	klog(KLOG_ERROR, "system halted");
	if (kernel_test_mode)
		arch_exit(false);
	arch_halt_forever();
}

void panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	stop(true, fmt, ap);
}

void panic_after_dump(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	stop(false, fmt, ap);
}

void isola_assert_fail(const char *expr, const char *file, int line,
		       const char *func)
{
	panic("assertion '%s' failed in %s (%s:%d)", expr, func, file, line);
}
