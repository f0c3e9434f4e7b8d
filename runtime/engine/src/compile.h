// SPDX-License-Identifier: MIT
// The compiler's state, shared by compile.c (functions, control flow,
// branches) and compile_ops.c (every other instruction). The compiler
// walks a validated body once with a virtual operand stack: each operand
// height has a fixed frame slot, local.get and constants are kept lazy so
// that instructions name locals and constants directly, and the internal
// code is slot-addressed, direct-threaded (docs/engine.md).
#ifndef ENG_COMPILE_H
#define ENG_COMPILE_H

#include "eng_internal.h"

#include <isola/vf_instr.h>

#define CC_NONE UINT32_MAX

enum cc_kind { CC_FUNC, CC_BLOCK, CC_LOOP, CC_IF };

struct cc_ctl {
	uint8_t kind;
	bool dead_entry; // entered in unreachable code: emits nothing
	uint32_t height; // operand height below the block's parameters
	uint32_t nparams, nresults;
	uint32_t patch;	     // chain of forward branch words to the end
	uint32_t loop_word;  // a loop's first word
	uint32_t else_patch; // an if's jump to its else, or CC_NONE
};

// A virtual operand: already in its own slot, still a local, or a
// constant not yet written anywhere.
enum cc_vkind { CC_V_SLOT, CC_V_LOCAL, CC_V_CONST };

struct cc_val {
	uint8_t kind;
	uint32_t local;
	uint64_t value;
};

struct cc {
	struct eng_prepared *prep;
	struct eng_arena scratch; // freed when compilation ends
	const struct vf_module *m;
	const void *const *labels;
	const uint8_t *p, *end;
	uint64_t *code;
	uint32_t n, code_cap;
	struct eng_site *sites;
	uint32_t nsites, sites_cap;
	struct cc_ctl *ctl;
	uint32_t nctl, ctl_cap;
	struct cc_val *vs; // the virtual operand stack, vs[0 .. h)
	uint32_t h, vs_cap;
	uint32_t max_h; // the highest operand height seen: the frame size
	// A bound was exceeded (the verifier's numbers were wrong): the
	// module is refused with ERR_INTERNAL rather than trusted.
	bool bad;
	bool dead; // the rest of the current block is unreachable
	uint32_t nlocals_all; // params + declared locals: slot of height 0
	uint32_t op_off;      // the current instruction's offset in the input
	// The destination word of the last instruction, if it wrote the top
	// operand and nothing since may observe that slot (for local.set).
	uint32_t last_dst;
	// The last i32 comparison, while its result is the fresh top operand
	// (br_if and if then fuse with it): its first word and operands.
	uint32_t last_cmp;
	uint8_t cmp_index; // row of cmp.def
	bool cmp_ri;	   // b is a constant
	uint64_t cmp_a, cmp_b;
};

// The compare-and-branch handler for row cmp of cmp.def.
static inline enum eng_op cc_fused(unsigned cmp, bool ri, bool loop)
{
	return (enum eng_op)(ENG_OP_BR_IF_EQ + 4 * cmp + (ri ? 1 : 0) + (loop ? 2 : 0));
}

static inline void cc_word(struct cc *c, uint64_t w)
{
	if (isola_unlikely(c->n >= c->code_cap)) {
		c->bad = true;
		return;
	}
	c->code[c->n++] = w;
}

// Makes room for k more operands; false (and bad) if there is none.
static inline bool cc_room(struct cc *c, uint32_t k)
{
	if (isola_unlikely(k > c->vs_cap || c->h > c->vs_cap - k)) {
		c->bad = true;
		return false;
	}
	if (c->h + k > c->max_h)
		c->max_h = c->h + k;
	return true;
}

static inline void cc_op(struct cc *c, enum eng_op op)
{
	cc_word(c, (uint64_t)(uintptr_t)c->labels[op]);
	c->last_dst = CC_NONE;
	c->last_cmp = CC_NONE;
}

static inline uint32_t cc_slot(const struct cc *c, uint32_t height)
{
	return c->nlocals_all + height;
}

// An opcode that may trap: remembers where it came from.
void cc_op_site(struct cc *c, enum eng_op op);

// The virtual stack (compile_ops.c). cc_pop returns the operand's slot
// (materialising a constant first); cc_push writes the destination word
// of a new slot operand and remembers it in last_dst; cc_flush writes
// every lazy operand to its own slot (before control flow and calls).
uint32_t cc_pop(struct cc *c);
void cc_push(struct cc *c);
void cc_flush(struct cc *c);
void cc_reset_slots(struct cc *c);

// The handlers of the instruction table's kinds (<isola/wasm_ops.def>):
// control in compile.c, the rest in compile_ops.c. in is the instruction,
// its immediates read; c->p is already past it. A kind without a handler
// here does not compile.
#define CC_HANDLER(kind) void cc_h_##kind(struct cc *c, const struct vf_instr *in);
CC_HANDLER(UNREACHABLE) CC_HANDLER(NOP) CC_HANDLER(BLOCK) CC_HANDLER(LOOP)
CC_HANDLER(IF) CC_HANDLER(ELSE) CC_HANDLER(END) CC_HANDLER(BR)
CC_HANDLER(BR_IF) CC_HANDLER(BR_TABLE) CC_HANDLER(RETURN) CC_HANDLER(CALL)
CC_HANDLER(CALL_INDIRECT) CC_HANDLER(DROP) CC_HANDLER(SELECT)
CC_HANDLER(LOCAL_GET) CC_HANDLER(LOCAL_SET) CC_HANDLER(LOCAL_TEE)
CC_HANDLER(GLOBAL_GET) CC_HANDLER(GLOBAL_SET) CC_HANDLER(LOAD)
CC_HANDLER(STORE) CC_HANDLER(MEMORY_SIZE) CC_HANDLER(MEMORY_GROW)
CC_HANDLER(CONST) CC_HANDLER(NUMERIC) CC_HANDLER(NUMERIC_TRAPS)
CC_HANDLER(MEMORY_INIT) CC_HANDLER(DATA_DROP) CC_HANDLER(MEMORY_COPY)
CC_HANDLER(MEMORY_FILL) CC_HANDLER(TABLE_INIT) CC_HANDLER(ELEM_DROP)
CC_HANDLER(TABLE_COPY)
#undef CC_HANDLER

#endif
