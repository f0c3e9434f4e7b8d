// SPDX-License-Identifier: MIT
// A busy SIP for the profiler's system test (system.prof_spin): it spends
// a third of a second of its time in one named function, spin_hot, so
// that `prof show` must put prof_spin:spin_hot above every other SIP
// function (docs/profiling.md).
#include <sip/abi.h>

// The hot function: a loop with a result the caller uses, never inlined
// so that the name section names it.
__attribute__((noinline)) static uint32_t spin_hot(uint32_t n, uint32_t x)
{
	for (uint32_t i = 0; i < n; i++)
		x = x * 1103515245u + 12345u + i;
	return x;
}

int main(void)
{
	int64_t end = isola_time_ns() + 300000000;
	uint32_t x = 1;

	while (isola_time_ns() < end)
		x = spin_hot(100000, x);
	// Uses x, so the loop is not optimized away; the exit status stays 0.
	if (x == 42u)
		(void)isola_log("42", 2); // a log line is all it is
	return 0;
}
