// SPDX-License-Identifier: MIT
// Random bytes (kernel/lib/entropy.c): from the CPU's generator where it
// has one, else from a seeded generator that is not fit for keys.
#ifndef ISOLA_ENTROPY_H
#define ISOLA_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>

// Fills buf with n random bytes. Callable with interrupts on or off.
void entropy_fill(void *buf, size_t n);
// Whether the last word entropy_fill made came from the CPU's generator.
bool entropy_hw(void);

#endif
