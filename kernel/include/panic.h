// SPDX-License-Identifier: MIT
// Stopping the kernel on a broken invariant: log, backtrace, then halt (or,
// in test mode, exit QEMU with a failure status). Never for bad input.
#ifndef ISOLA_PANIC_H
#define ISOLA_PANIC_H

#include <isola/compiler.h>
#include <stdbool.h>
#include <stdint.h>

ISOLA_NORETURN void panic(const char *fmt, ...) ISOLA_PRINTF(1, 2);

// The same, for a caller that has already printed registers and a
// backtrace (the exception handler).
ISOLA_NORETURN void panic_after_dump(const char *fmt, ...) ISOLA_PRINTF(1, 2);

// Prints a symbolized backtrace starting at pc with frame pointer fp.
void panic_backtrace(uint64_t pc, uint64_t fp);

// Looks up the function containing pc: its name and pc's offset in it.
// Returns false when pc is in no known function.
ISOLA_MUST_CHECK bool ksyms_lookup(uint64_t pc, const char **name, uint64_t *offset);
// The address range [start, end) of the function called name (up to the
// next symbol). Returns false when there is none. A linear search.
ISOLA_MUST_CHECK bool ksyms_find(const char *name, uint64_t *start, uint64_t *end);

// Set when the kernel runs tests: a panic then exits QEMU with failure.
extern bool kernel_test_mode;

#endif
