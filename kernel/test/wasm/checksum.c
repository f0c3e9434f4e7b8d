// SPDX-License-Identifier: MIT
// A small module the kernel tests verify (and, with the engine, run):
// a checksum over its own linear memory, a loop, a call and a table.
#include <stdint.h>

static uint8_t buffer[4096];

static uint32_t mix(uint32_t h, uint32_t v)
{
	return (h ^ v) * 16777619u;
}

static uint32_t (*const steps[2])(uint32_t, uint32_t) = { mix, mix };

__attribute__((export_name("checksum"))) uint32_t checksum(uint32_t n)
{
	uint32_t h = 2166136261u;
	if (n > sizeof(buffer))
		n = sizeof(buffer);
	for (uint32_t i = 0; i < n; i++) {
		buffer[i] = (uint8_t)(i * 7);
		h = steps[i & 1](h, buffer[i]);
	}
	return h;
}
