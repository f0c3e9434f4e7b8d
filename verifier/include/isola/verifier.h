// SPDX-License-Identifier: MIT
// The verifier's entry points: decode and validate a WebAssembly module
// from a buffer, with a feature set and a caller-supplied allocator, and
// get either a struct vf_module or a diagnostic (error code, byte offset,
// function index and instruction offset). One source for the kernel's
// loader, sipverify and the tests. Design: docs/verifier.md; every check
// and its code: docs/verifier-rules.md.
#ifndef ISOLA_VERIFIER_H
#define ISOLA_VERIFIER_H

#include <isola/compiler.h>
#include <isola/err.h>
#include <isola/vf_module.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Feature set (wabt's flags). MVP is the empty set.
#define VF_FEAT_SIGN_EXT (1u << 0)
#define VF_FEAT_SAT_FLOAT_TO_INT (1u << 1)
#define VF_FEAT_BULK_MEMORY (1u << 2)
#define VF_FEAT_MUTABLE_GLOBALS (1u << 3)
#define VF_FEAT_MULTI_VALUE (1u << 4)
#define VF_FEATURES_MVP 0u
#define VF_FEATURES_ALL 0x1fu // what SIPs get

// Parses a comma-separated list of feature names ("mvp", "sign-ext",
// "sat-float-to-int", "bulk-memory", "mutable-globals", "multi-value",
// "all"); names add up. ERR_VF_FEATURE_NAME for an unknown name.
isola_err_t vf_features_parse(const char *list, uint32_t *out) ISOLA_MUST_CHECK;

// The name of one VF_FEAT_* bit, or NULL.
const char *vf_feature_name(uint32_t bit);

// Memory for the verifier. alloc returns size bytes aligned to 16 or NULL;
// free gets back exactly what alloc returned with the same size (it may be
// NULL for an arena that frees all at once). The verifier never asks for
// more than cap bytes in total, counting each block while it is live.
struct vf_allocator {
	void *(*alloc)(void *ctx, size_t size);
	void (*free)(void *ctx, void *ptr, size_t size);
	void *ctx;
	size_t cap;
};

// A ready-made allocator over one caller buffer (bump pointer; free only
// takes back the most recent block). The cap is the buffer size.
struct vf_arena {
	uint8_t *base;
	size_t size;
	size_t used;
};
void vf_arena_init(struct vf_arena *a, void *buf, size_t size);
struct vf_allocator vf_arena_allocator(struct vf_arena *a);

// What the verifier is asked to do.
#define VF_OPT_BLOCK_TABLE (1u << 0) // fill vf_func.blocks for the engine

struct vf_options {
	uint32_t features; // VF_FEAT_* bits
	uint32_t flags;	   // VF_OPT_* bits
	const struct vf_allocator *alloc;
};

// Why a module was rejected. func_index and instr_off are VF_NO_INDEX when
// the error is not inside a function body; instr_off is relative to the
// code section payload (the DWARF address), offset is absolute in the input.
struct vf_diag {
	isola_err_t code;
	uint32_t offset;
	uint32_t func_index;
	uint32_t instr_off;
	char detail[96]; // extra words ("expected i32, got f64"), may be ""
};

// Decodes and validates bytes[0 .. size). On success *out is the module,
// allocated from opts->alloc, and diag->code is ERR_OK. On failure *out is
// untouched, everything allocated is freed and diag says why: an ERR_VF_*
// code when the module is malformed, invalid, unsupported or over a
// limit; ERR_VF_NOMEM when the allocator's cap was reached. bytes must
// outlive the module. size may be at most VF_MAX_MODULE_SIZE.
isola_err_t vf_module_load(const uint8_t *bytes, size_t size,
			   const struct vf_options *opts,
			   struct vf_module **out,
			   struct vf_diag *diag) ISOLA_MUST_CHECK;

// Gives everything back to the allocator the module was loaded with.
void vf_module_free(struct vf_module *m);

// The export named name[0 .. len) of the given kind (enum vf_extern_kind),
// or NULL.
const struct vf_export *vf_find_export(const struct vf_module *m,
				       const char *name, size_t len,
				       uint8_t kind);

// The first custom section named name[0 .. len) after `after` (NULL: from
// the start), or NULL. Custom sections may repeat.
const struct vf_custom *vf_find_custom(const struct vf_module *m,
				       const char *name, size_t len,
				       const struct vf_custom *after);

// Validates an embedded module and a mutated twin (which must be rejected
// with a known code and offset) using an arena over scratch; 16 KiB is
// enough. ERR_OK, ERR_VF_NOMEM if scratch is too small, or ERR_INTERNAL
// when the verifier does not behave as built. For kernel start-up tests.
isola_err_t vf_selftest(void *scratch, size_t size) ISOLA_MUST_CHECK;

// Limits (docs/verifier.md). Modules over them are rejected with a limit
// code, never misread.
#define VF_MAX_MODULE_SIZE (1024u * 1024u * 1024u)
#define VF_MAX_TYPES 1000000u
#define VF_MAX_FUNCS 1000000u
#define VF_MAX_IMPORTS 100000u
#define VF_MAX_EXPORTS 100000u
#define VF_MAX_GLOBALS 1000000u
#define VF_MAX_SEGMENTS 100000u
#define VF_MAX_ELEM_ENTRIES 10000000u
#define VF_MAX_PARAMS 1000u
#define VF_MAX_RESULTS 1000u
#define VF_MAX_LOCALS 50000u
#define VF_MAX_BODY_SIZE 7654321u
#define VF_MAX_DEPTH 65536u
#define VF_MAX_CUSTOMS 10000u
#define VF_MAX_PAGES 65536u

// Source position for a code-section offset, from the DWARF .debug_line
// custom section of the module in bytes[0 .. size) (which need not be
// valid: this is used for rejected modules too). Returns false if there is
// no line for code_off. dir and file point into bytes (not NUL-terminated).
struct vf_srcpos {
	const char *dir;
	uint32_t dir_len;
	const char *file;
	uint32_t file_len;
	uint32_t line;
	uint32_t column;
};
bool vf_debug_line_lookup(const uint8_t *bytes, size_t size,
			  uint32_t code_off, struct vf_srcpos *out);

#endif
