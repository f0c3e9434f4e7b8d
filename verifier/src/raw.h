// SPDX-License-Identifier: MIT
// Reading a module's raw bytes outside validation: the DWARF line lookup
// (dwarf.c) and the function-name lookup (names.c) serve modules that may
// have been rejected, so they walk the bytes with this bounded reader. A
// failed read sets bad, which sticks; every read after it gives 0.
#ifndef VF_RAW_H
#define VF_RAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vf_raw {
	const uint8_t *p, *end;
	bool bad;
};

size_t vf_raw_left(const struct vf_raw *r);
uint8_t vf_raw_byte(struct vf_raw *r);
// An unsigned LEB128 u32 as the binary format has it: at most five bytes,
// the fifth carrying only the top four bits (M-LEB-LONG, M-LEB-RANGE).
uint32_t vf_raw_u32(struct vf_raw *r);
// A u32-length-prefixed run of bytes, as a reader of its own; r moves
// past it.
struct vf_raw vf_raw_sub(struct vf_raw *r);

// The sections of the module in bytes[0 .. size), after its header (bad
// when the magic number is missing).
struct vf_raw vf_raw_sections(const uint8_t *bytes, size_t size);
// The next custom section of mod: its name and its payload after the
// name. False at the end, or at the first malformed section.
bool vf_raw_next_custom(struct vf_raw *mod, struct vf_raw *name,
			struct vf_raw *payload);

#endif
