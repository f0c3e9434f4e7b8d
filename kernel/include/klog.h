// SPDX-License-Identifier: MIT
// The kernel log: timestamped, levelled lines on the console (serial and
// the VGA mirror). `loglevel=N` on the command line hides levels above N.
#ifndef ISOLA_KLOG_H
#define ISOLA_KLOG_H

#include <isola/compiler.h>
#include <stdarg.h>
#include <stddef.h>

enum klog_level {
	KLOG_ERROR = 0,
	KLOG_WARN = 1,
	KLOG_INFO = 2,
	KLOG_DEBUG = 3,
};

void klog(enum klog_level level, const char *fmt, ...) ISOLA_PRINTF(2, 3);
void klog_set_level(int level);
// Plain console output, no prefix (test results, prompts).
void kprintf(const char *fmt, ...) ISOLA_PRINTF(1, 2);
void kvprintf(const char *fmt, va_list ap);
void kputs_raw(const char *s, size_t n);

#endif
