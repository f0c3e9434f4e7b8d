// SPDX-License-Identifier: MIT
// The smoke-test run (benchquick): every row, few iterations.
#include "bench.h"

const struct bench_mode bench_mode = { "quick", 5, 20, 10, 1 };
