// SPDX-License-Identifier: MIT
// Interrupt and exception dispatch. An exception goes first to the vmm's
// fault hook, which takes those of natively compiled SIP code and of
// linear memories (vmm.h); any other is a kernel bug: print vector, error
// code, registers and a symbolized backtrace, then stop; under test this
// exits QEMU with a failure status.
#include "cpu.h"
#include <arch.h>
#include <klog.h>
#include <panic.h>
#include <prof.h>
#include <sched.h>
#include <vmm.h>

#define X86_VEC_NMI 2
#define X86_VEC_DF 8
#define X86_VEC_MC 18
#define X86_VEC_PF 14
// Page-fault error code bits (SDM vol. 3A, 4.7).
#define X86_PF_PROTECTION (1u << 0)
#define X86_PF_WRITE (1u << 1)
#define X86_PF_FETCH (1u << 4)

static const char *const exception_names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow",
	"bound range exceeded", "invalid opcode", "device not available",
	"double fault", "coprocessor segment overrun", "invalid TSS",
	"segment not present", "stack-segment fault", "general protection",
	"page fault", "reserved", "x87 floating-point", "alignment check",
	"machine check", "SIMD floating-point", "virtualization",
	"control protection",
};

static void dump_frame(const struct x86_trap_frame *f)
{
	const char *name = f->vector < 32 && exception_names[f->vector]
				   ? exception_names[f->vector]
				   : "unknown";
	klog(KLOG_ERROR, "exception %lu (%s), error code %#lx",
	     (unsigned long)f->vector, name, (unsigned long)f->error);
	if (f->vector == X86_VEC_PF)
		klog(KLOG_ERROR, "  fault address %#lx (%s, %s)",
		     (unsigned long)read_cr2(),
		     f->error & X86_PF_PROTECTION ? "protection" : "not present",
		     f->error & X86_PF_FETCH ? "instruction fetch"
		     : f->error & X86_PF_WRITE ? "write" : "read");
	klog(KLOG_ERROR, "  rip %016lx  rsp %016lx  rflags %016lx",
	     f->rip, f->rsp, f->rflags);
	klog(KLOG_ERROR, "  rax %016lx  rbx %016lx  rcx %016lx", f->rax, f->rbx, f->rcx);
	klog(KLOG_ERROR, "  rdx %016lx  rsi %016lx  rdi %016lx", f->rdx, f->rsi, f->rdi);
	klog(KLOG_ERROR, "  rbp %016lx  r8  %016lx  r9  %016lx", f->rbp, f->r8, f->r9);
	klog(KLOG_ERROR, "  r10 %016lx  r11 %016lx  r12 %016lx", f->r10, f->r11, f->r12);
	klog(KLOG_ERROR, "  r13 %016lx  r14 %016lx  r15 %016lx", f->r13, f->r14, f->r15);
	klog(KLOG_ERROR, "  cs %#lx  ss %#lx", f->cs, f->ss);
}

static ISOLA_NORETURN void fatal_exception(const struct x86_trap_frame *f)
{
	// A push onto a stack's guard page faults while delivering the page
	// fault too, so an overflow arrives as a double fault; CR2 still
	// holds the first fault's address.
	if ((f->vector == X86_VEC_PF || f->vector == X86_VEC_DF) &&
	    thread_guard_hit(read_cr2()))
		klog(KLOG_ERROR, "kernel stack overflow in thread '%s'",
		     sched_current_name());
	dump_frame(f);
	panic_backtrace(f->rip, f->rbp);
	panic_after_dump("unhandled exception %lu in thread '%s'", (unsigned long)f->vector,
	      sched_current_name());
}

// The profiler's sample of f. An interrupt held back while interrupts
// were off is taken one instruction after the sti that ends the stretch
// (SDM Vol. 2B, STI: the instruction after it runs first), which in
// arch_irq_restore is its final `ret` (sti; pop rbp; ret): the stretch
// is then charged to the caller, whose return address is on top of the
// stack, one byte back so that it names the calling function.
// Only kernel text is read for that pattern: other code (sealed code
// memory) may start right after an absent page.
static void prof_sample(const struct x86_trap_frame *f)
{
	bool on = prof_is_running();
	x86_timer_vary(on);
	if (!on)
		return;
	const uint8_t *p = (const uint8_t *)f->rip;
	bool in_text = f->rip >= (uint64_t)_text_start + 2 && f->rip < (uint64_t)_text_end;
	if (in_text && p[-2] == 0xfb && p[-1] == 0x5d && p[0] == 0xc3)
		prof_tick(*(const uint64_t *)f->rsp - 1, true);
	else
		prof_tick(f->rip, false);
}

static void dispatch_interrupt(struct x86_trap_frame *f)
{
	switch (f->vector) {
	case X86_VEC_TIMER:
		x86_lapic_eoi();
		prof_sample(f); // before the tick may switch threads
		sched_tick();
		return;
	case X86_VEC_SPURIOUS:
		return; // no EOI for spurious interrupts (SDM 11.9)
	default:
		klog(KLOG_WARN, "unexpected interrupt %lu", (unsigned long)f->vector);
		x86_lapic_eoi();
		return;
	}
}

// The value on top of the interrupted stack, when it can be read safely
// (an aligned address of a data page), else 0.
static uint64_t stack_top(uint64_t rsp)
{
	if (rsp % 8 || arch_page_kind(rsp) != ARCH_PAGE_DATA)
		return 0;
	return *(const uint64_t *)(uintptr_t)rsp;
}

// Offers the exception to the vmm's fault hook; true when it was taken
// and f->rip is where the thread resumes.
static bool hook_exception(struct x86_trap_frame *f)
{
	struct vmm_fault vf = {
		.rip = f->rip,
		.precise = f->vector != X86_VEC_NMI && f->vector != X86_VEC_DF &&
			   f->vector != X86_VEC_MC,
	};
	if (f->vector == X86_VEC_PF) {
		vf.page_fault = true;
		vf.addr = read_cr2();
		if (f->error & X86_PF_FETCH)
			vf.caller = stack_top(f->rsp);
	}
	uint64_t resume;
	if (!vmm_fault_dispatch(&vf, &resume))
		return false;
	f->rip = resume;
	return true;
}

static void dispatch_exception(struct x86_trap_frame *f)
{
	// A gate clears IF; iretq sets it again from the frame.
	bool was_on = f->rflags & X86_RFLAGS_IF;
	if (was_on)
		x86_irqoff_begin(f->rip);
	if (!hook_exception(f))
		fatal_exception(f);
	if (was_on)
		x86_irqoff_end(f->rip);
}

void x86_trap(struct x86_trap_frame *f)
{
	if (f->vector < 32) {
		dispatch_exception(f);
		return;
	}
	// An interrupt gate clears IF; iretq sets it again from the frame.
	bool was_on = f->rflags & X86_RFLAGS_IF;
	if (was_on)
		x86_irqoff_begin(f->rip);
	dispatch_interrupt(f);
	if (was_on)
		x86_irqoff_end(f->rip);
}
