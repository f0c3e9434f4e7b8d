// SPDX-License-Identifier: MIT
// Recursive Fibonacci: calls and returns.
#include "kernel.h"

static uint32_t fib(uint32_t n)
{
	return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

// NOTE: volatile keeps the argument from being folded at compile time.
static volatile uint32_t arg = 32;

uint64_t run(void)
{
	return fib(arg);
}
