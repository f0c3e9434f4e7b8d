// SPDX-License-Identifier: MIT
// The decoded and validated WebAssembly module: what the verifier hands to
// the loader, the execution engine and the contract checks. Everything here
// is read-only once vf_module_load() has returned it. Names, code bodies,
// data and custom-section payloads are not copied: they are offsets into
// the caller's input buffer (m->bytes), which must outlive the module.
// Design and limits: docs/verifier.md. Stable: extended only by adding.
#ifndef ISOLA_VF_MODULE_H
#define ISOLA_VF_MODULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Value types, with their binary encodings.
typedef uint8_t vf_valtype_t;
#define VF_TYPE_I32 ((vf_valtype_t)0x7f)
#define VF_TYPE_I64 ((vf_valtype_t)0x7e)
#define VF_TYPE_F32 ((vf_valtype_t)0x7d)
#define VF_TYPE_F64 ((vf_valtype_t)0x7c)
#define VF_TYPE_FUNCREF ((vf_valtype_t)0x70) // table elements only

// "No index": no start function, a null element, no function.
#define VF_NO_INDEX UINT32_MAX

// A byte range of the input: [off, off + len).
struct vf_range {
	uint32_t off;
	uint32_t len;
};

// A function type. types[0 .. nparams) are the parameters and
// types[nparams .. nparams + nresults) the results.
struct vf_functype {
	uint32_t nparams;
	uint32_t nresults;
	const vf_valtype_t *types;
};

struct vf_limits {
	uint32_t min;
	uint32_t max; // meaningful only if has_max
	bool has_max;
};

enum vf_extern_kind {
	VF_EXTERN_FUNC = 0,
	VF_EXTERN_TABLE = 1,
	VF_EXTERN_MEMORY = 2,
	VF_EXTERN_GLOBAL = 3,
};

struct vf_globaltype {
	vf_valtype_t type;
	bool is_mutable;
};

// A constant expression (global initialisers, segment offsets, element
// expressions). One instruction followed by end.
enum vf_const_kind {
	VF_CONST_I32 = 0x41,
	VF_CONST_I64 = 0x42,
	VF_CONST_F32 = 0x43,
	VF_CONST_F64 = 0x44,
	VF_CONST_GLOBAL_GET = 0x23,
	VF_CONST_REF_NULL = 0xd0, // element expressions only
	VF_CONST_REF_FUNC = 0xd2, // element expressions only
};

struct vf_const {
	uint8_t kind;	// enum vf_const_kind
	uint64_t value; // integer value, float bits, or global/func index
};

struct vf_import {
	struct vf_range module; // UTF-8 name, validated
	struct vf_range field;
	uint8_t kind;	// enum vf_extern_kind
	uint32_t index; // index in the space of its kind
	uint32_t offset; // of the import entry, for diagnostics
};

// One run of locals of one type, as declared in the code section.
struct vf_local_run {
	uint32_t count;
	vf_valtype_t type;
};

// The control side table for one block, loop or if: where its else and end
// opcodes are. Offsets are absolute in the input. else_off is 0 when an if
// has no else. Filled only with VF_OPT_BLOCK_TABLE.
struct vf_block {
	uint32_t off;	  // the block/loop/if opcode
	uint32_t else_off; // the else opcode, 0 if none
	uint32_t end_off;  // the matching end opcode
};

// A function. Imported functions come first in the index space and have
// no body (body.len == 0, nlocal_runs == 0).
struct vf_func {
	uint32_t type_index;
	bool is_imported;
	struct vf_range body;	// the whole body entry after its size
	uint32_t code_off;	// first instruction (after the locals)
	uint32_t nlocals;	// declared locals, not counting parameters
	uint32_t nlocal_runs;
	const struct vf_local_run *local_runs;
	// Learnt by validation, for the engine:
	uint32_t max_stack;	// most operand-stack values live at once
	uint32_t max_depth;	// deepest control nesting (function = 1)
	uint32_t nblocks;	// entries of blocks[] (block, loop, if)
	const struct vf_block *blocks; // sorted by off; NULL if not asked for
};

struct vf_table {
	vf_valtype_t elem_type; // VF_TYPE_FUNCREF
	struct vf_limits limits;
	bool is_imported;
};

struct vf_memory {
	struct vf_limits limits; // in 64 KiB pages
	bool is_imported;
};

struct vf_global {
	struct vf_globaltype type;
	bool is_imported;
	struct vf_const init; // meaningless for imports
};

struct vf_export {
	struct vf_range name;
	uint8_t kind; // enum vf_extern_kind
	uint32_t index;
};

enum vf_seg_mode {
	VF_SEG_ACTIVE = 0,
	VF_SEG_PASSIVE = 1,
	VF_SEG_DECLARATIVE = 2, // element segments only
};

// An element segment. funcs[i] is a function index, or VF_NO_INDEX for a
// null reference.
struct vf_elem {
	uint8_t mode; // enum vf_seg_mode
	vf_valtype_t elem_type;
	uint32_t table_index;  // active only
	struct vf_const offset; // active only: i32.const or global.get
	uint32_t count;
	const uint32_t *funcs;
	uint32_t offset_in_file; // of the segment, for diagnostics
};

struct vf_data {
	uint8_t mode; // VF_SEG_ACTIVE or VF_SEG_PASSIVE
	uint32_t memory_index; // active only
	struct vf_const offset; // active only
	struct vf_range bytes;  // the initial contents in the input
};

// A custom section: its name and its payload after the name.
struct vf_custom {
	struct vf_range name;
	struct vf_range payload;
	uint32_t section_off; // the section id byte
};

struct vf_module {
	const uint8_t *bytes; // the input, borrowed
	size_t size;
	uint32_t features; // VF_FEAT_* it was validated with

	uint32_t ntypes;
	const struct vf_functype *types;
	uint32_t nimports;
	const struct vf_import *imports;

	// Index spaces; imports first.
	uint32_t nfuncs, nimported_funcs;
	const struct vf_func *funcs;
	uint32_t ntables, nimported_tables;
	const struct vf_table *tables;
	uint32_t nmemories, nimported_memories;
	const struct vf_memory *memories;
	uint32_t nglobals, nimported_globals;
	const struct vf_global *globals;

	uint32_t nexports;
	const struct vf_export *exports;
	uint32_t start; // VF_NO_INDEX if none

	uint32_t nelems;
	const struct vf_elem *elems;
	uint32_t ndatas;
	const struct vf_data *datas;
	bool has_data_count;
	uint32_t data_count;

	uint32_t ncustoms;
	const struct vf_custom *customs;

	// Payload of the code section (after its size): DWARF code addresses
	// are relative to code_section.off. len 0 if there is no code section.
	struct vf_range code_section;

	// Totals learnt by validation.
	uint32_t max_stack; // over all functions
	uint32_t max_depth;
	size_t mem_used; // bytes taken from the allocator

	void *priv; // the verifier's bookkeeping for vf_module_free
};

// The type of function func_index (which must be < m->nfuncs).
static inline const struct vf_functype *
vf_func_type(const struct vf_module *m, uint32_t func_index)
{
	return &m->types[m->funcs[func_index].type_index];
}

// A pointer to byte r.off of the input.
static inline const uint8_t *vf_range_ptr(const struct vf_module *m,
					  struct vf_range r)
{
	return m->bytes + r.off;
}

#endif
