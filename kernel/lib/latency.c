// SPDX-License-Identifier: MIT
// The interrupts-off report (arch.h's arch_irqoff): the longest stretch
// with interrupts disabled, in microseconds, and the functions where it
// began and ended, for the kernel console, sys_info and the benchmarks
// (docs/security.md, "Bounded latency").
#include <arch.h>
#include <isola/fmt.h>
#include <latency.h>
#include <panic.h>

static void append_symbol(char *buf, size_t len, size_t *n, uint64_t pc)
{
	const char *name;
	uint64_t off;
	if (ksyms_lookup(pc, &name, &off))
		isola_appendf(buf, len, n, "%s+%#lx", name, (unsigned long)off);
	else
		isola_appendf(buf, len, n, "%#lx", (unsigned long)pc);
}

size_t latency_report(char *buf, size_t len, bool reset)
{
	struct arch_irqoff io;
	size_t n = 0;
	arch_irqoff_stats(&io);
	if (reset)
		arch_irqoff_reset();
	uint64_t ns = io.longest_cycles * 1000 / arch_cycles_per_us();
	isola_appendf(buf, len, &n, "irqoff longest %lu.%03lu us, from ",
		      (unsigned long)(ns / 1000), (unsigned long)(ns % 1000));
	append_symbol(buf, len, &n, io.from_pc);
	isola_appendf(buf, len, &n, " to ");
	append_symbol(buf, len, &n, io.to_pc);
	isola_appendf(buf, len, &n, "\n");
	return n;
}
