// SPDX-License-Identifier: MIT
// Kernel tests: functions registered in the .ktests section and run by
// name from the command line (`ktest=NAME[,NAME...]` or `ktest=all`).
// Results are printed as `N passed, N failed` and reported to QEMU through
// isa-debug-exit. Tests marked KTEST_CRASH are expected to bring the
// kernel down (a fault dump) and are never part of `all`; tests marked
// KTEST_ALONE need a machine of their own (QEMU's instruction counting)
// and are run only by name.
#ifndef ISOLA_KTEST_H
#define ISOLA_KTEST_H

#include <klog.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ktest {
	const char *name;
	void (*fn)(void);
	bool crash; // expected to stop the kernel; run alone
	bool alone; // run only by name
};

#define KTEST_REGISTER(id, crash_, alone_)                                     \
	static void ktest_fn_##id(void);                                       \
	static const struct ktest ktest_##id                                   \
		__attribute__((used, section(".ktests"), aligned(8))) = {      \
			#id, ktest_fn_##id, crash_, alone_ };                  \
	static void ktest_fn_##id(void)

#define KTEST(id) KTEST_REGISTER(id, false, false)
#define KTEST_CRASH(id) KTEST_REGISTER(id, true, true)
#define KTEST_ALONE(id) KTEST_REGISTER(id, false, true)

// A wasm module from kernel/test/wasm/NAME.c, embedded in the kernel.
#define KTEST_WASM(name)                                                       \
	extern const uint8_t ktest_wasm_##name[], ktest_wasm_##name##_end[]
#define KTEST_WASM_SIZE(name)                                                  \
	((size_t)(ktest_wasm_##name##_end - ktest_wasm_##name))

// Records a check; on failure logs the condition and location.
void ktest_check(bool ok, const char *expr, const char *file, int line);
#define KT_EXPECT(cond) ktest_check((cond), #cond, __FILE__, __LINE__)

// Sorts v[0..n) in place (for benchmark medians).
void ktest_sort_u64(uint64_t *v, size_t n);

// Runs the tests named in spec; never returns (exits QEMU).
ISOLA_NORETURN void ktest_run(const char *spec);

#endif
