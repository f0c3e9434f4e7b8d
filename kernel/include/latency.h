// SPDX-License-Identifier: MIT
// The kernel's latency report: the longest interrupts-off stretch since
// boot or the last reset, with where it began and ended (lib/latency.c).
#ifndef ISOLA_LATENCY_H
#define ISOLA_LATENCY_H

#include <stdbool.h>
#include <stddef.h>

// Writes one line, "irqoff longest N.NNN us, from FUNC+OFF to FUNC+OFF";
// with reset, starts a new measurement. Returns the line's length.
size_t latency_report(char *buf, size_t len, bool reset);

#endif
