// SPDX-License-Identifier: MIT
// Kernel log (see klog.h). Lines are formatted into a local buffer and
// written under one lock, so lines from different threads never mix. The
// serial port is slow (a byte at a time, polled), so the lock does not
// disable interrupts: a writer may be preempted, and a contending writer
// yields until it is done. A writer that finds someone waiting when it
// lets go yields too, so that a thread writing chunk after chunk (a SIP's
// serial_write) cannot keep the others, the console's echo among them,
// from the port. Code that runs with interrupts disabled (a
// trap, a panic) cannot wait: it takes the lock if it is free and writes
// anyway if not, so its lines may mix with one being written.
#include <arch.h>
#include <isola/fmt.h>
#include <klog.h>
#include <sched.h>

#define KLOG_LINE_MAX 256

static int out_lock;
static int out_wanted; // a writer yielded, waiting for out_lock
static int log_level = KLOG_INFO;
static const char level_tag[] = "EWID";

void klog_set_level(int level)
{
	log_level = level;
}

// Takes the output lock; false when it could not (interrupts disabled and
// the lock held by a preempted writer).
static bool out_acquire(void)
{
	bool can_wait = arch_irq_enabled();
	while (__atomic_exchange_n(&out_lock, 1, __ATOMIC_ACQUIRE)) {
		if (!can_wait)
			return false;
		__atomic_store_n(&out_wanted, 1, __ATOMIC_RELAXED);
		sched_yield();
	}
	return true;
}

void kputs_raw(const char *s, size_t n)
{
	bool held = out_acquire();
	arch_console_write(s, n);
	if (!held)
		return;
	__atomic_store_n(&out_lock, 0, __ATOMIC_RELEASE);
	if (__atomic_exchange_n(&out_wanted, 0, __ATOMIC_RELAXED) && arch_irq_enabled())
		sched_yield();
}

void kvprintf(const char *fmt, va_list ap)
{
	char line[KLOG_LINE_MAX];
	int n = isola_vsnprintf(line, sizeof(line), fmt, ap);
	kputs_raw(line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void klog(enum klog_level level, const char *fmt, ...)
{
	if ((int)level > log_level)
		return;
	char line[KLOG_LINE_MAX];
	uint64_t ns = arch_time_ns();
	int n = isola_snprintf(line, sizeof(line), "[%5lu.%06lu] %c ",
			       (unsigned long)(ns / 1000000000),
			       (unsigned long)(ns / 1000 % 1000000),
			       level_tag[level]);
	va_list ap;
	va_start(ap, fmt);
	n += isola_vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	kputs_raw(line, (size_t)n);
}
