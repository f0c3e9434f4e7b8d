// SPDX-License-Identifier: MIT
// Function names from a module's WebAssembly "name" custom section, so
// that diagnostics can say which function they point into. Works on the
// raw bytes like the DWARF lookup in verifier.h: the module may have been
// rejected. Design: docs/verifier.md ("sipverify").
#ifndef ISOLA_VF_NAMES_H
#define ISOLA_VF_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Longer names are cut to this many bytes.
#define VF_FUNC_NAME_MAX 255u

// The name of function func_index (imports included, as in the function
// index space) from the function name map (subsection 1) of the first
// "name" custom section of the module in bytes[0 .. size), which is
// untrusted and need not be valid. On success out[] holds a NUL-terminated
// copy safe to print: at most VF_FUNC_NAME_MAX bytes, every byte outside
// printable ASCII replaced by '?'. Returns false, with out[0] = '\0', when
// there is no such name: no section, no entry for func_index, an empty
// name, or a name section that is malformed anywhere up to the end of its
// function name map (overlong or out-of-range LEB128, a length past its
// container, indices not strictly increasing).
bool vf_func_name_lookup(const uint8_t *bytes, size_t size,
			 uint32_t func_index, char out[VF_FUNC_NAME_MAX + 1]);

#endif
