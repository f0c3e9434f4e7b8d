// SPDX-License-Identifier: MIT
// Reading a function's name from the "name" custom section (WebAssembly
// 1.0, appendix 7.4.1: subsection 1 is the function name map, a vector of
// (funcidx, name) in increasing index order). The section is untrusted and
// the module may have been rejected, so this walks the raw bytes (raw.h):
// any malformed byte means "no name", never an error.
// sipverify shows the result next to a diagnostic's function index.
// clang gives a C program's main the name __main_argc_argv (or
// __main_void) on wasm32-wasi, for the C library's start-up to call; it
// is reported as the `main` its author wrote.
#include <isola/vf_names.h>

#include "raw.h"

#include <string.h>

#define NM_SUB_FUNCS 1

// The payload (after the name) of the first custom section called "name";
// bad when there is none or the sections before it are malformed.
static struct vf_raw nm_find_section(const uint8_t *bytes, size_t size)
{
	struct vf_raw mod = vf_raw_sections(bytes, size), name, sec;

	while (vf_raw_next_custom(&mod, &name, &sec))
		if (name.end - name.p == 4 && memcmp(name.p, "name", 4) == 0)
			return sec;
	return (struct vf_raw){NULL, NULL, true};
}

// Copies n bytes of a name into out, cut and made printable.
static void nm_copy(const uint8_t *s, size_t n, char *out)
{
	if (n > VF_FUNC_NAME_MAX)
		n = VF_FUNC_NAME_MAX;
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? (char)s[i] : '?';
	out[n] = '\0';
}

// Walks the whole function name map (so that a corrupt map gives no name
// at all) and copies the entry for func_index if there is one.
static bool nm_func_map(struct vf_raw *map, uint32_t func_index, char *out)
{
	uint32_t count = vf_raw_u32(map), prev = 0;
	bool found = false;

	for (uint32_t i = 0; i < count && !map->bad; i++) {
		uint32_t idx = vf_raw_u32(map);
		struct vf_raw name = vf_raw_sub(map);
		if (map->bad || (i > 0 && idx <= prev))
			return false;
		prev = idx;
		if (idx == func_index && name.end > name.p) {
			nm_copy(name.p, (size_t)(name.end - name.p), out);
			found = true;
		}
	}
	// Trailing bytes after the vector are malformed too.
	return found && !map->bad && map->p == map->end;
}

bool vf_func_name_lookup(const uint8_t *bytes, size_t size,
			 uint32_t func_index, char out[VF_FUNC_NAME_MAX + 1])
{
	struct vf_raw sec = nm_find_section(bytes, size);

	out[0] = '\0';
	// Subsections: id, size, contents; 0 (module name) may come first.
	while (vf_raw_left(&sec) > 0) {
		uint8_t id = vf_raw_byte(&sec);
		struct vf_raw sub = vf_raw_sub(&sec);
		if (sec.bad)
			return false;
		if (id != NM_SUB_FUNCS)
			continue;
		if (nm_func_map(&sub, func_index, out)) {
			if (strcmp(out, "__main_argc_argv") == 0 || strcmp(out, "__main_void") == 0)
				memcpy(out, "main", sizeof("main"));
			return true;
		}
		out[0] = '\0';
		return false;
	}
	return false;
}
