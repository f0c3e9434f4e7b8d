// SPDX-License-Identifier: MIT
// libFuzzer harness for the verifier: every input is decoded and validated
// under the full feature set and under the MVP alone. A crash, a sanitizer
// report, a leak, a diagnostic pointing outside the input, or an accepted
// module whose ranges leave the input are all failures. The DWARF line
// lookup runs on every input too, and every accepted module goes through
// the SIP-level checks and the ownership analysis as a SIP (sipcheck.h),
// which must neither crash nor leak nor point outside the input.
#include <isola/sipcheck.h>
#include <isola/verifier.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
		struct vf_sip_env env = {NULL, 0, &a, VF_SIP_REQUIRE};
		struct vf_sip_result res;
		check_module(m, size);
		if (vf_sip_check(m, &env, &res) != ERR_OK &&
		    (res.diag.offset > size || res.diag.code == ERR_INTERNAL))
			abort();
		vf_module_free(m);
	} else if (d.offset > size || d.code == ERR_INTERNAL) {
		abort();
	}
	if (live != 0)
		abort();
}

// A module shell whose one function body is the fuzzer's input, so most
// inputs reach the instruction validator instead of failing in the
// header: types [] -> [], [i32] -> [i32], [i32 i64] -> [f32 f64]; two
// functions (an import and the body); table, memory, two globals, one
// element and one passive data segment, and a data count.
static const uint8_t shell_head[] = {
	0, 'a', 's', 'm', 1, 0, 0, 0,
	0x01, 0x10, 0x03, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x01, 0x7f,
	0x60, 0x02, 0x7f, 0x7e, 0x02, 0x7d, 0x7c,
	0x02, 0x07, 0x01, 0x01, 'm', 0x01, 'f', 0x00, 0x01,
	0x03, 0x02, 0x01, 0x02,
	0x04, 0x04, 0x01, 0x70, 0x00, 0x02,
	0x05, 0x03, 0x01, 0x00, 0x01,
	0x06, 0x0b, 0x02, 0x7f, 0x01, 0x41, 0x00, 0x0b, 0x7e, 0x00, 0x42, 0x00, 0x0b,
	0x09, 0x07, 0x01, 0x00, 0x41, 0x00, 0x0b, 0x01, 0x00,
	0x0c, 0x01, 0x01,
};
static const uint8_t shell_data[] = {0x0b, 0x04, 0x01, 0x01, 0x01, 'x'};

static void run_as_body(const uint8_t *data, size_t size)
{
	static uint8_t buf[sizeof(shell_head) + 16 + 4096 + sizeof(shell_data)];
	size_t n = sizeof(shell_head), body = size + 1; // + locals count 0

	if (size > 4096)
		return;
	memcpy(buf, shell_head, n);
	buf[n++] = 0x0a;
	// Code section: count 1, body size, then the body (as 5-byte LEBs).
	uint32_t sec = (uint32_t)(1 + 5 + body);
	for (int i = 0; i < 5; i++, sec >>= 7)
		buf[n++] = (uint8_t)((sec & 0x7f) | (i < 4 ? 0x80 : 0));
	buf[n++] = 1;
	uint32_t b = (uint32_t)body;
	for (int i = 0; i < 5; i++, b >>= 7)
		buf[n++] = (uint8_t)((b & 0x7f) | (i < 4 ? 0x80 : 0));
	buf[n++] = 0; // no locals
	memcpy(buf + n, data, size);
	n += size;
	memcpy(buf + n, shell_data, sizeof(shell_data));
	n += sizeof(shell_data);
	run(buf, n, VF_FEATURES_ALL);
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
	run_as_body(data, size);
	return 0;
}
