// SPDX-License-Identifier: MIT
// The bounded raw-bytes reader (raw.h).
#include "raw.h"

#include <string.h>

size_t vf_raw_left(const struct vf_raw *r)
{
	return r->bad ? 0 : (size_t)(r->end - r->p);
}

uint8_t vf_raw_byte(struct vf_raw *r)
{
	if (vf_raw_left(r) < 1) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

uint32_t vf_raw_u32(struct vf_raw *r)
{
	uint32_t v = 0;

	for (unsigned i = 0; i < 5; i++) {
		uint8_t b = vf_raw_byte(r);
		if (r->bad || (i == 4 && (b & 0xf0))) {
			r->bad = true;
			return 0;
		}
		v |= (uint32_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80))
			return v;
	}
	return 0; // not reached: the fifth byte has no continuation bit
}

struct vf_raw vf_raw_sub(struct vf_raw *r)
{
	uint32_t len = vf_raw_u32(r);
	struct vf_raw s = {r->p, r->p, true};

	if (r->bad || len > vf_raw_left(r)) {
		r->bad = true;
		return s;
	}
	s.end = r->p + len;
	s.bad = false;
	r->p += len;
	return s;
}

struct vf_raw vf_raw_sections(const uint8_t *bytes, size_t size)
{
	static const uint8_t magic[4] = {0, 'a', 's', 'm'};

	if (!bytes || size < 8 || memcmp(bytes, magic, sizeof(magic)) != 0)
		return (struct vf_raw){NULL, NULL, true};
	return (struct vf_raw){bytes + 8, bytes + size, false};
}

bool vf_raw_next_custom(struct vf_raw *mod, struct vf_raw *name,
			struct vf_raw *payload)
{
	while (vf_raw_left(mod) > 0) {
		uint8_t id = vf_raw_byte(mod);
		struct vf_raw sec = vf_raw_sub(mod);
		if (mod->bad)
			return false;
		if (id != 0)
			continue;
		*name = vf_raw_sub(&sec);
		if (sec.bad)
			continue; // a custom section without a name: skipped
		*payload = sec;
		return true;
	}
	return false;
}
