// SPDX-License-Identifier: MIT
// Internal to the verifier: the environment every pass takes first, the
// byte reader with its LEB128 fast paths, the tracked allocator and the
// failure helpers. The passes themselves are listed in decode.c; the
// design comment is docs/verifier.md.
#ifndef VF_ENV_H
#define VF_ENV_H

#include <isola/err.h>
#include <isola/verifier.h>
#include <isola/vf_instr.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// The "unknown" operand type of unreachable code (rule V-STACK-POLY).
#define VF_TYPE_ANY ((vf_valtype_t)0)

// A cursor over [p, end) of the input.
struct vf_rd {
	const uint8_t *p;
	const uint8_t *end;
};

// Every block the verifier allocates starts with this header, so a
// failed load can give everything back.
struct vf_blk {
	struct vf_blk *prev, *next;
	size_t size;
	size_t pad;
};

struct vf_ctl; // validate.c

// What an import describes, kept until its index space is built.
struct vf_import_desc {
	uint32_t type_index;
	struct vf_table table;
	struct vf_memory memory;
	struct vf_globaltype global;
};

// An operand-stack slot holds a value type. It is wider than a byte on
// purpose: stores through a character type may alias anything, which would
// make the compiler reload the validator's state after every push.
typedef uint16_t vf_slot_t;

// Scratch for validating one function body, reused across bodies.
struct vf_scratch {
	vf_slot_t *vals;
	uint32_t vals_cap;
	struct vf_ctl *ctls;
	uint32_t ctls_cap;
	vf_valtype_t *locals;
	uint32_t locals_cap;
	struct vf_block *blocks;
	uint32_t blocks_cap;
};

struct vf_env {
	const uint8_t *base;
	const uint8_t *end;
	uint32_t features;
	uint32_t flags;
	struct vf_diag *diag;
	const struct vf_allocator *alloc;
	size_t mem_used;
	struct vf_blk *blocks; // every live allocation
	struct vf_module *m;
	uint32_t cur_func; // function being validated, VF_NO_INDEX outside
	// Writable views of the module's arrays while it is built.
	struct vf_functype *types;
	struct vf_import *imports;
	struct vf_func *funcs;
	struct vf_table *tables;
	struct vf_memory *memories;
	struct vf_global *globals;
	struct vf_import_desc *import_descs;
	struct vf_custom *customs;
	uint32_t customs_cap;
	uint32_t nlocal_funcs; // from the function section
	bool saw_code;
	uint8_t *chunk; // vf_carve's current chunk
	size_t chunk_left;
	size_t chunk_size;
	bool spaces_built[4];  // per enum vf_extern_kind
	struct vf_scratch s;
};

// ---- failure ----------------------------------------------------------

// Records code at absolute input position at (rule IDs in
// docs/verifier-rules.md) and returns it, so callers write
// `return vf_fail(e, ERR_..., p);`.
isola_err_t vf_fail(struct vf_env *e, isola_err_t code, const uint8_t *at)
	ISOLA_MUST_CHECK;
// Same, with a detail line formatted like printf.
isola_err_t vf_failf(struct vf_env *e, isola_err_t code, const uint8_t *at,
		     const char *fmt, ...) ISOLA_PRINTF(4, 5) ISOLA_MUST_CHECK;

static inline uint32_t vf_off(const struct vf_env *e, const uint8_t *p)
{
	return (uint32_t)(p - e->base);
}

// ---- memory -------------------------------------------------------------

// Zeroed memory of n elements of size sz, tracked for vf_free_all.
isola_err_t vf_alloc(struct vf_env *e, size_t n, size_t sz, void **out)
	ISOLA_MUST_CHECK;
void vf_free(struct vf_env *e, void *p);
// Small per-function arrays (local runs, block tables) carved from larger
// chunks, to keep allocator calls per module few. Zeroed, 8-byte aligned.
isola_err_t vf_carve(struct vf_env *e, size_t n, size_t sz, void **out)
	ISOLA_MUST_CHECK;
// Grows *arr (of *cap elements of size sz) to hold at least need.
isola_err_t vf_grow(struct vf_env *e, void **arr, uint32_t *cap, uint32_t need,
		    size_t sz) ISOLA_MUST_CHECK;
void vf_free_all(struct vf_env *e);

// ---- reading ------------------------------------------------------------

isola_err_t vf_rd_u32_slow(struct vf_env *e, struct vf_rd *r, uint32_t *out)
	ISOLA_MUST_CHECK;
isola_err_t vf_rd_s32_slow(struct vf_env *e, struct vf_rd *r, int32_t *out)
	ISOLA_MUST_CHECK;
isola_err_t vf_rd_s33(struct vf_env *e, struct vf_rd *r, int64_t *out)
	ISOLA_MUST_CHECK;
isola_err_t vf_rd_s64_slow(struct vf_env *e, struct vf_rd *r, int64_t *out)
	ISOLA_MUST_CHECK;
// A name: u32 length then UTF-8 bytes (rule M-UTF8).
isola_err_t vf_rd_name(struct vf_env *e, struct vf_rd *r, struct vf_range *out)
	ISOLA_MUST_CHECK;
// A vector count, rejected if above max or if the remaining bytes cannot
// hold count entries of at least min_size bytes each.
isola_err_t vf_rd_count(struct vf_env *e, struct vf_rd *r, uint32_t max,
			uint32_t min_size, uint32_t *out) ISOLA_MUST_CHECK;
bool vf_is_utf8(const uint8_t *p, size_t n);

ISOLA_MUST_CHECK
static inline isola_err_t vf_rd_byte(struct vf_env *e, struct vf_rd *r,
				     uint8_t *out)
{
	if (isola_unlikely(r->p >= r->end))
		return vf_fail(e, ERR_VF_EOF, r->p);
	*out = *r->p++;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static inline isola_err_t vf_rd_u32(struct vf_env *e, struct vf_rd *r,
				    uint32_t *out)
{
	if (isola_likely(r->p < r->end && *r->p < 0x80)) {
		*out = *r->p++;
		return ERR_OK;
	}
	return vf_rd_u32_slow(e, r, out);
}

// Signed LEB128; one-byte values (most constants) take the fast path.
ISOLA_MUST_CHECK
static inline isola_err_t vf_rd_s32(struct vf_env *e, struct vf_rd *r,
				    int32_t *out)
{
	if (isola_likely(r->p < r->end && *r->p < 0x80)) {
		int32_t v = *r->p++;
		*out = (v & 0x40) ? v - 0x80 : v;
		return ERR_OK;
	}
	return vf_rd_s32_slow(e, r, out);
}

ISOLA_MUST_CHECK
static inline isola_err_t vf_rd_s64(struct vf_env *e, struct vf_rd *r,
				    int64_t *out)
{
	if (isola_likely(r->p < r->end && *r->p < 0x80)) {
		int32_t v = *r->p++;
		*out = (v & 0x40) ? v - 0x80 : v;
		return ERR_OK;
	}
	return vf_rd_s64_slow(e, r, out);
}

ISOLA_MUST_CHECK
static inline isola_err_t vf_rd_skip(struct vf_env *e, struct vf_rd *r,
				     size_t n)
{
	if (isola_unlikely((size_t)(r->end - r->p) < n))
		return vf_fail(e, ERR_VF_EOF, r->end);
	r->p += n;
	return ERR_OK;
}

// A value type byte: MVP numbers, or ERR_VF_UNSUPPORTED for v128 and
// reference types, or ERR_VF_VALTYPE (rule M-VALTYPE).
isola_err_t vf_rd_valtype(struct vf_env *e, struct vf_rd *r,
			  vf_valtype_t *out) ISOLA_MUST_CHECK;

// ---- passes -------------------------------------------------------------

isola_err_t vf_sec_type(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_import(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_function(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_table(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_memory(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_global(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_export(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_start(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_elem(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_datacount(struct vf_env *e, struct vf_rd *r)
	ISOLA_MUST_CHECK;
isola_err_t vf_sec_code(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_data(struct vf_env *e, struct vf_rd *r) ISOLA_MUST_CHECK;
isola_err_t vf_sec_custom(struct vf_env *e, struct vf_rd *r,
			  const uint8_t *sec_start) ISOLA_MUST_CHECK;
// Builds the index space of one kind: imported entries then nlocal more.
isola_err_t vf_space_build(struct vf_env *e, enum vf_extern_kind kind,
			   uint32_t nlocal) ISOLA_MUST_CHECK;
// A constant expression of type want (rules V-CONST-*).
isola_err_t vf_const_expr(struct vf_env *e, struct vf_rd *r,
			  vf_valtype_t want, struct vf_const *out)
	ISOLA_MUST_CHECK;
// Validates the instructions of function fi in [r->p, r->end).
isola_err_t vf_validate_body(struct vf_env *e, struct vf_rd *r, uint32_t fi)
	ISOLA_MUST_CHECK;

#endif
