// SPDX-License-Identifier: MIT
// The full benchmark run (bench).
#include "bench.h"

const struct bench_mode bench_mode = { "full", 101, 1000, 200, 1 };
