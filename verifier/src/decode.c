// SPDX-License-Identifier: MIT
// The verifier's main entry, which reads as its list of passes: check the
// header, walk the sections in order (each section's decoder validates
// what it can see at once; function bodies are validated as the code
// section is read), then the whole-module checks. One pass over the input,
// no recursion. Design: docs/verifier.md.
#include "vf_env.h"

#include <isola/assert.h>

#include <string.h>

// Kept with a loaded module so vf_module_free can give it all back.
struct vf_owner {
	struct vf_allocator alloc;
	struct vf_blk *blocks;
};

// Section ids in the order the binary format requires them (M-ORDER);
// the data count section (12) sits between element and code.
static int vf_section_rank(uint8_t id)
{
	static const int8_t rank[13] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10};
	return id < 13 ? rank[id] : -1;
}

ISOLA_MUST_CHECK
static isola_err_t vf_header(struct vf_env *e, struct vf_rd *r)
{
	static const uint8_t magic[4] = {0x00, 0x61, 0x73, 0x6d};
	static const uint8_t version[4] = {0x01, 0x00, 0x00, 0x00};

	if (r->end - r->p < 4 || memcmp(r->p, magic, 4) != 0)
		return vf_fail(e, ERR_VF_MAGIC, r->p);
	r->p += 4;
	if (r->end - r->p < 4)
		return vf_fail(e, ERR_VF_EOF, r->end);
	if (memcmp(r->p, version, 4) != 0)
		return vf_fail(e, ERR_VF_VERSION, r->p);
	r->p += 4;
	return ERR_OK;
}

// Builds every index space that comes before the section of rank next and
// was not built by its own section (a module without a table section
// still has its imported tables).
ISOLA_MUST_CHECK
static isola_err_t vf_spaces_before(struct vf_env *e, int next)
{
	static const int kind_rank[4] = {3, 4, 5, 6};

	for (int k = 0; k < 4; k++)
		if (!e->spaces_built[k] && next > kind_rank[k])
			TRY(vf_space_build(e, (enum vf_extern_kind)k, 0));
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_section_body(struct vf_env *e, uint8_t id,
				   struct vf_rd *r, const uint8_t *start)
{
	switch (id) {
	case 0: return vf_sec_custom(e, r, start);
	case 1: return vf_sec_type(e, r);
	case 2: return vf_sec_import(e, r);
	case 3: return vf_sec_function(e, r);
	case 4: return vf_sec_table(e, r);
	case 5: return vf_sec_memory(e, r);
	case 6: return vf_sec_global(e, r);
	case 7: return vf_sec_export(e, r);
	case 8: return vf_sec_start(e, r);
	case 9: return vf_sec_elem(e, r);
	case 10: return vf_sec_code(e, r);
	case 11: return vf_sec_data(e, r);
	case 12: return vf_sec_datacount(e, r);
	}
	return vf_fail(e, ERR_INTERNAL, start);
}

// One section: id, size, contents that must fill exactly size bytes.
ISOLA_MUST_CHECK
static isola_err_t vf_section(struct vf_env *e, struct vf_rd *r, int *last)
{
	const uint8_t *start = r->p;
	uint8_t id = *r->p++;
	uint32_t size;
	int rank = vf_section_rank(id);

	if (rank < 0 || (id == 12 && !(e->features & VF_FEAT_BULK_MEMORY))) {
		if (id == 12 || id == 13)
			return vf_failf(e, ERR_VF_UNSUPPORTED, start,
					"section id %u", id);
		return vf_failf(e, ERR_VF_SECTION_ID, start, "id %u", id);
	}
	TRY(vf_rd_u32(e, r, &size));
	if (size > (size_t)(r->end - r->p))
		return vf_fail(e, ERR_VF_EOF, r->end);
	if (rank != 0) {
		if (rank <= *last)
			return vf_failf(e, ERR_VF_SECTION_ORDER, start,
					"section id %u", id);
		*last = rank;
		TRY(vf_spaces_before(e, rank));
	}
	struct vf_rd sub = {r->p, r->p + size};
	TRY(vf_section_body(e, id, &sub, start));
	if (sub.p != sub.end)
		return vf_fail(e, ERR_VF_SECTION_SIZE, sub.p);
	r->p = sub.end;
	return ERR_OK;
}

// Whole-module checks after the last section (M-FUNC-CODE, M-DATA-COUNT).
ISOLA_MUST_CHECK
static isola_err_t vf_finish(struct vf_env *e, const uint8_t *end)
{
	struct vf_module *m = e->m;

	TRY(vf_spaces_before(e, 100));
	if (e->nlocal_funcs != 0 && !e->saw_code)
		return vf_fail(e, ERR_VF_FUNC_CODE_COUNT, end);
	if (m->has_data_count && m->ndatas != m->data_count)
		return vf_fail(e, ERR_VF_DATA_COUNT, end);
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_load(struct vf_env *e, struct vf_rd *r)
{
	int last = 0;

	TRY(vf_alloc(e, 1, sizeof(struct vf_module), (void **)&e->m));
	e->m->bytes = e->base;
	e->m->size = (size_t)(e->end - e->base);
	e->m->features = e->features;
	e->m->start = VF_NO_INDEX;
	TRY(vf_header(e, r));
	while (r->p < r->end)
		TRY(vf_section(e, r, &last));
	return vf_finish(e, r->end);
}

static void vf_scratch_free(struct vf_env *e)
{
	vf_free(e, e->s.vals);
	vf_free(e, e->s.ctls);
	vf_free(e, e->s.locals);
	vf_free(e, e->s.blocks);
	memset(&e->s, 0, sizeof(e->s));
}

isola_err_t vf_module_load(const uint8_t *bytes, size_t size,
			   const struct vf_options *opts,
			   struct vf_module **out, struct vf_diag *diag)
{
	struct vf_env e;
	struct vf_rd r = {bytes, bytes + size};

	// Caller contract (verifier.h), not input: a violation is our bug.
	ISOLA_ASSERT(opts != NULL && opts->alloc != NULL &&
		     opts->alloc->alloc != NULL && out != NULL && diag != NULL &&
		     (bytes != NULL || size == 0));
	memset(&e, 0, sizeof(e));
	memset(diag, 0, sizeof(*diag));
	e.base = bytes;
	e.end = bytes + size;
	e.features = opts->features & VF_FEATURES_ALL;
	e.flags = opts->flags;
	e.diag = diag;
	e.alloc = opts->alloc;
	e.cur_func = VF_NO_INDEX;
	diag->func_index = VF_NO_INDEX;
	diag->instr_off = VF_NO_INDEX;
	if (size > VF_MAX_MODULE_SIZE)
		return vf_fail(&e, ERR_VF_LIMIT_MODULE, bytes);
	isola_err_t err = vf_load(&e, &r);
	vf_scratch_free(&e);
	if (err != ERR_OK) {
		vf_free_all(&e);
		return err;
	}
	struct vf_owner *o;
	if (vf_alloc(&e, 1, sizeof(*o), (void **)&o) != ERR_OK) {
		vf_free_all(&e);
		return diag->code;
	}
	o->alloc = *e.alloc;
	o->blocks = e.blocks;
	e.m->priv = o;
	e.m->mem_used = e.mem_used;
	*out = e.m;
	return ERR_OK;
}

void vf_module_free(struct vf_module *m)
{
	if (m == NULL)
		return;
	struct vf_owner *o = m->priv;
	struct vf_allocator a = o->alloc;
	struct vf_env e;

	memset(&e, 0, sizeof(e));
	e.alloc = &a;
	e.blocks = o->blocks;
	e.mem_used = m->mem_used;
	vf_free_all(&e);
}
