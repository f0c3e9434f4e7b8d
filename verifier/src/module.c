// SPDX-License-Identifier: MIT
// Read-only lookups on a loaded module for the stages after validation:
// the loader finds exports and the manifest's custom section by name.
#include <isola/verifier.h>

#include <string.h>

static bool vf_name_is(const struct vf_module *m, struct vf_range r,
		       const char *name, size_t len)
{
	return r.len == len && memcmp(m->bytes + r.off, name, len) == 0;
}

const struct vf_export *vf_find_export(const struct vf_module *m,
				       const char *name, size_t len,
				       uint8_t kind)
{
	for (uint32_t i = 0; i < m->nexports; i++)
		if (m->exports[i].kind == kind &&
		    vf_name_is(m, m->exports[i].name, name, len))
			return &m->exports[i];
	return NULL;
}

const struct vf_custom *vf_find_custom(const struct vf_module *m,
				       const char *name, size_t len,
				       const struct vf_custom *after)
{
	uint32_t i = after ? (uint32_t)(after - m->customs) + 1 : 0;

	for (; i < m->ncustoms; i++)
		if (vf_name_is(m, m->customs[i].name, name, len))
			return &m->customs[i];
	return NULL;
}
