// SPDX-License-Identifier: MIT
// What every benchmark kernel provides: run() does a fixed amount of work
// and returns a checksum, the same natively and in wasm (no libc).
#ifndef BENCH_KERNEL_H
#define BENCH_KERNEL_H

#include <stdint.h>

uint64_t run(void);

#endif
