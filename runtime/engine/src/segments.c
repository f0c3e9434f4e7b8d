// SPDX-License-Identifier: MIT
// Data and element segments: memory.init and table.init (shared by the
// instructions and instantiation) and the active segments applied when an
// instance is created. With bulk memory, segments are applied in order
// and writes before a failing one stay; in the MVP every segment is
// checked first and nothing is written if one does not fit.
#include "eng_internal.h"

static uint32_t eng_data_len(const struct eng_instance *inst, uint32_t seg)
{
	return inst->data_dropped[seg] ? 0 : inst->m->datas[seg].bytes.len;
}

static uint32_t eng_elem_len(const struct eng_instance *inst, uint32_t seg)
{
	return inst->elem_dropped[seg] ? 0 : inst->m->elems[seg].count;
}

isola_err_t eng_memory_init_seg(struct eng_instance *inst, uint32_t seg,
				uint32_t dst, uint32_t src, uint32_t n)
{
	struct eng_memory *mem = inst->mem;
	if ((uint64_t)src + n > eng_data_len(inst, seg) ||
	    (uint64_t)dst + n > mem->size)
		return ERR_ENG_TRAP_MEMORY;
	if (n)
		memcpy(mem->base + dst,
		       vf_range_ptr(inst->m, inst->m->datas[seg].bytes) + src, n);
	return ERR_OK;
}

isola_err_t eng_table_init_seg(struct eng_instance *inst, uint32_t seg,
			       uint32_t dst, uint32_t src, uint32_t n)
{
	struct eng_table *t = inst->table;
	if ((uint64_t)src + n > eng_elem_len(inst, seg) ||
	    (uint64_t)dst + n > t->size)
		return ERR_ENG_TRAP_TABLE;
	const uint32_t *funcs = inst->m->elems[seg].funcs;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t fi = funcs[src + i];
		t->elems[dst + i] = fi == VF_NO_INDEX ? NULL : inst->funcs[fi];
	}
	return ERR_OK;
}

// The value of an offset expression: a constant or an (imported) global.
static uint32_t eng_offset(const struct eng_instance *inst,
			   const struct vf_const *c)
{
	if (c->kind == VF_CONST_GLOBAL_GET)
		return (uint32_t)inst->globals[c->value]->bits;
	return (uint32_t)c->value;
}

// MVP: every active segment must fit before anything is written.
ISOLA_MUST_CHECK
static isola_err_t eng_check_all(struct eng_instance *inst)
{
	const struct vf_module *m = inst->m;
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct vf_elem *e = &m->elems[i];
		if (e->mode == VF_SEG_ACTIVE &&
		    (uint64_t)eng_offset(inst, &e->offset) + e->count > inst->table->size)
			return ERR_ENG_SEGMENT_OOB;
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct vf_data *d = &m->datas[i];
		if (d->mode == VF_SEG_ACTIVE &&
		    (uint64_t)eng_offset(inst, &d->offset) + d->bytes.len > inst->mem->size)
			return ERR_ENG_SEGMENT_OOB;
	}
	return ERR_OK;
}

isola_err_t eng_apply_segments(struct eng_instance *inst)
{
	const struct vf_module *m = inst->m;
	bool bulk = (m->features & VF_FEAT_BULK_MEMORY) != 0;
	if (!bulk)
		TRY(eng_check_all(inst));
	for (uint32_t i = 0; i < m->nelems; i++) {
		const struct vf_elem *e = &m->elems[i];
		if (e->mode == VF_SEG_PASSIVE)
			continue;
		if (e->mode == VF_SEG_ACTIVE &&
		    eng_table_init_seg(inst, i, eng_offset(inst, &e->offset), 0,
				       e->count) != ERR_OK)
			return ERR_ENG_SEGMENT_OOB;
		inst->elem_dropped[i] = true;
	}
	for (uint32_t i = 0; i < m->ndatas; i++) {
		const struct vf_data *d = &m->datas[i];
		if (d->mode != VF_SEG_ACTIVE)
			continue;
		if (eng_memory_init_seg(inst, i, eng_offset(inst, &d->offset), 0,
					d->bytes.len) != ERR_OK)
			return ERR_ENG_SEGMENT_OOB;
		inst->data_dropped[i] = true;
	}
	return ERR_OK;
}
