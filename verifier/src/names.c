// SPDX-License-Identifier: MIT
// Reading a function's name from the "name" custom section (WebAssembly
// 1.0, appendix 7.4.1: subsection 1 is the function name map, a vector of
// (funcidx, name) in increasing index order). The section is untrusted and
// the module may have been rejected, so this walks the raw bytes with its
// own bounded reader: any malformed byte means "no name", never an error.
// sipverify shows the result next to a diagnostic's function index.
#include <isola/vf_names.h>

#include <string.h>

#define NM_SUB_FUNCS 1

// A cursor over bytes [p, end); bad sticks once a read fails.
struct nm_rd {
	const uint8_t *p, *end;
	bool bad;
};

static size_t nm_left(const struct nm_rd *r)
{
	return r->bad ? 0 : (size_t)(r->end - r->p);
}

static uint8_t nm_byte(struct nm_rd *r)
{
	if (nm_left(r) < 1) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

// An unsigned LEB128 u32: at most five bytes, and the fifth may only carry
// the top four bits (the binary format's M-LEB-LONG and M-LEB-RANGE).
static uint32_t nm_u32(struct nm_rd *r)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 5; i++) {
		uint8_t b = nm_byte(r);
		if (r->bad)
			return 0;
		if (i == 4 && (b & 0xf0)) {
			r->bad = true;
			return 0;
		}
		v |= (uint32_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	return 0; // not reached: the fifth byte has no continuation bit
}

// A length-prefixed run of bytes, as a sub-reader; r moves past it.
static struct nm_rd nm_sub(struct nm_rd *r)
{
	uint32_t len = nm_u32(r);
	struct nm_rd s = {r->p, r->p, true};

	if (r->bad || len > nm_left(r)) {
		r->bad = true;
		return s;
	}
	s.end = r->p + len;
	s.bad = false;
	r->p += len;
	return s;
}

// The payload (after the name) of the first custom section called "name";
// bad when there is none or the sections before it are malformed.
static struct nm_rd nm_find_section(const uint8_t *bytes, size_t size)
{
	static const uint8_t magic[4] = {0, 'a', 's', 'm'};
	struct nm_rd r = {NULL, NULL, true};

	if (!bytes || size < 8 || memcmp(bytes, magic, sizeof(magic)) != 0)
		return r;
	r = (struct nm_rd){bytes + 8, bytes + size, false};
	while (nm_left(&r) > 0) {
		uint8_t id = nm_byte(&r);
		struct nm_rd sec = nm_sub(&r);
		if (r.bad || id != 0)
			continue;
		struct nm_rd name = nm_sub(&sec);
		if (!sec.bad && name.end - name.p == 4 &&
		    memcmp(name.p, "name", 4) == 0)
			return sec;
	}
	r.bad = true;
	return r;
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
static bool nm_func_map(struct nm_rd *map, uint32_t func_index, char *out)
{
	uint32_t count = nm_u32(map), prev = 0;
	bool found = false;

	for (uint32_t i = 0; i < count && !map->bad; i++) {
		uint32_t idx = nm_u32(map);
		struct nm_rd name = nm_sub(map);
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
	struct nm_rd sec = nm_find_section(bytes, size);

	out[0] = '\0';
	// Subsections: id, size, contents; 0 (module name) may come first.
	while (nm_left(&sec) > 0) {
		uint8_t id = nm_byte(&sec);
		struct nm_rd sub = nm_sub(&sec);
		if (sec.bad)
			return false;
		if (id != NM_SUB_FUNCS)
			continue;
		if (nm_func_map(&sub, func_index, out))
			return true;
		out[0] = '\0';
		return false;
	}
	return false;
}
