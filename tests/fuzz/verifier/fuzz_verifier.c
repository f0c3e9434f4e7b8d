// SPDX-License-Identifier: MIT
// libFuzzer harness for the verifier: every input is decoded and validated
// under the full feature set and under the MVP alone. A crash, a sanitizer
// report, a leak, a diagnostic pointing outside the input, or an accepted
// module whose ranges leave the input are all failures. The DWARF line
// lookup runs on every input too.
#include <isola/verifier.h>

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t live;

static void *fz_alloc(void *ctx, size_t size)
{
	(void)ctx;
	live += size;
	return aligned_alloc(16, size);
}

static void fz_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	live -= size;
	free(p);
}

static void check_range(struct vf_range r, size_t size)
{
	if ((uint64_t)r.off + r.len > size)
		abort();
}

static void check_module(const struct vf_module *m, size_t size)
{
	for (uint32_t i = m->nimported_funcs; i < m->nfuncs; i++) {
		const struct vf_func *f = &m->funcs[i];
		check_range(f->body, size);
		if (f->type_index >= m->ntypes)
			abort();
		for (uint32_t b = 0; b < f->nblocks; b++)
			if (f->blocks[b].end_off <= f->blocks[b].off ||
			    f->blocks[b].end_off >= f->body.off + f->body.len)
				abort();
	}
	for (uint32_t i = 0; i < m->ncustoms; i++)
		check_range(m->customs[i].payload, size);
	for (uint32_t i = 0; i < m->ndatas; i++)
		check_range(m->datas[i].bytes, size);
	for (uint32_t i = 0; i < m->nexports; i++)
		check_range(m->exports[i].name, size);
}

static void run(const uint8_t *data, size_t size, uint32_t features)
{
	struct vf_allocator a = {fz_alloc, fz_free, NULL, 256u << 20};
	struct vf_options o = {.features = features, .alloc = &a,
			       .flags = VF_OPT_BLOCK_TABLE};
	struct vf_module *m = NULL;
	struct vf_diag d;

	if (vf_module_load(data, size, &o, &m, &d) == ERR_OK) {
		check_module(m, size);
		vf_module_free(m);
	} else if (d.offset > size || d.code == ERR_INTERNAL) {
		abort();
	}
	if (live != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vf_srcpos pos;

	// The line table is read from modules that may be malformed.
	for (uint32_t off = 0; off < 64; off += 7)
		if (vf_debug_line_lookup(data, size, off, &pos) &&
		    (pos.file == NULL ||
		     (const uint8_t *)pos.file < data ||
		     (const uint8_t *)pos.file + pos.file_len > data + size))
			abort();
	run(data, size, VF_FEATURES_ALL);
	run(data, size, VF_FEATURES_MVP);
	return 0;
}
