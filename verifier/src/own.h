// SPDX-License-Identifier: MIT
// Internal to the ownership and protocol analysis (own_state.c,
// own_abi.c, own_interp.c): the abstract state of one function at one
// program point and its lattice operations. The design comment is at the
// top of own_interp.c; what it follows and what it does not is in
// docs/verifier-rules.md ("Ownership and protocol analysis").
#ifndef VF_OWN_H
#define VF_OWN_H

#include "sip_internal.h"

#include <isola/vf_instr.h>

#define OWN_MAX_OBJS 48	 // abstract objects per function
#define OWN_PARAM_OBJS 8 // the first 8 i32 parameters
#define OWN_MAX_SLOTS 32 // tracked stack-frame words
#define OWN_MAX_VALS 4096 // locals + operand stack
#define OWN_MAX_DEPTH 200
#define OWN_MAX_ITER 6 // loop passes before widening
#define OWN_QUIET_ROUNDS 4 // most passes over the module that learn summaries
// Bounds on the work and memory of one function (docs/verifier-rules.md,
// "Bounds"): a function over either is not analysed (ERR_SIP_OWN_LIMIT).
// Work is counted in units of about one abstract value read or written:
// an instruction costs 1, a join or copy of states the values it touches.
#define OWN_WORK_PER_BYTE 256u // per byte of the body, plus OWN_WORK_SLACK
#define OWN_WORK_SLACK 16u	// bytes: what even the smallest body gets
#define OWN_MAX_FN_BYTES (4u << 20) // abstract states of one function
#define OWN_NO_STATE 0xffffu

// An abstract value.
enum own_kind {
	OWN_TOP = 0,   // anything
	OWN_CONST = 1, // the i32 constant v
	OWN_SP = 2,    // the stack pointer at entry plus (int32_t)v
	OWN_H = 3,     // a handle: object v
	// One of several handles, or none: what a join of different values
	// leaves. v has bit (i % 32) set for each object i it may be. Reading
	// it makes those objects unknown (own_read); a value never read
	// again (a local the compiler reuses) loses nothing.
	OWN_LOST = 4,
	// A comparison of handle-or-error object (v & 0xff) with a constant:
	// true iff the value is an error (v & 0x100) or iff it is a handle.
	// Branching on it refines the object on each path (own_refine).
	// With OWN_TEST_CODE (always with OWN_TEST_ERR) it is the object's
	// error code itself, as a callee returns it next to the handle
	// (libsip's struct sip_bytes_made): 0 with a handle, negative without.
	OWN_TEST = 5,
};
#define OWN_TEST_ERR 0x100u
#define OWN_TEST_CODE 0x200u
// A test of x == 0 (i32.eqz): true says no handle, but false does not say
// a handle, as a negative error code is nonzero too; nothing is confirmed.
#define OWN_TEST_ZERO 0x400u

struct own_val {
	uint8_t k;
	uint32_t v;
};

// An object's ownership state.
enum own_st {
	OWN_NONE = 0,  // not created on this path
	OWN_OWNED = 1, // held by this function
	OWN_FREED = 2, // freed or closed
	OWN_SENT = 3,  // moved away by a send or a spawn
	OWN_MAYBE = 4, // unknown: paths disagree or it escaped; no reports
	// The call that makes it failed on this path: the value is an error
	// code, no handle. Joined with any other state it gives that state.
	OWN_ERR = 5,
};

enum own_obj_kind { OWN_K_ANY = 0, OWN_K_BLOCK = 1, OWN_K_EP = 2 };

struct own_obj {
	uint8_t st;	// enum own_st
	uint8_t kind;	// enum own_obj_kind
	uint8_t side;	// endpoints: enum contract_side
	bool confirmed; // used as a handle (so it is valid): a leak is definite
	uint16_t pstate; // endpoints: protocol state, OWN_NO_STATE unknown
	const struct contract *c; // endpoints: NULL unknown
	uint32_t site;	// code offset where it was made
};

struct own_slot {
	int32_t off; // from the entry stack pointer
	struct own_val val;
};

struct own_state {
	bool live; // false: unreachable
	bool sp_known;
	bool frame_escaped; // a frame address went where stores may use it
	int32_t sp; // current stack pointer, from the entry one
	uint32_t nstack;
	uint32_t nslots;
	struct own_slot slots[OWN_MAX_SLOTS];
	struct own_obj objs[OWN_MAX_OBJS];
	struct own_val *vals; // locals then the operand stack
};

// A per-function summary, for its callers.
enum own_param_eff {
	OWN_P_UNKNOWN = 0, // treat the handle as escaped
	OWN_P_NONE = 1,	   // not used as a handle
	OWN_P_USE = 2,	   // used, still owned by the caller afterwards
	OWN_P_CONSUME = 3, // freed, closed or sent on every path
};

struct own_sum {
	bool done;
	// Every return gives a new owned handle, or on some paths a constant
	// (an error code) instead; at least one gives a handle.
	bool ret_fresh;
	bool ret_other; // so far: a return that gave neither
	uint8_t ret_kind;
	uint8_t ret_index; // as that result
	// 1 + the result that is the handle's error code (0 where the handle
	// is returned, an error where it is not), or 0: none. own_code_mask
	// keeps the candidates (a bit per result) over the returns.
	uint8_t ret_code;
	uint8_t code_mask;
	const struct contract *ret_c; // its contract, if one is known
	uint8_t param[OWN_PARAM_OBJS];
};

// The ABI functions the analysis gives a meaning to.
enum own_abi {
	OWN_ABI_OTHER = 0,
	OWN_ABI_EXIT,
	OWN_ABI_CHAN_CREATE,
	OWN_ABI_CHAN_SEND,
	OWN_ABI_CHAN_RECV,
	OWN_ABI_CHAN_SELECT,
	OWN_ABI_CHAN_CLOSE,
	OWN_ABI_CHAN_INFO,
	OWN_ABI_BLK_ALLOC,
	OWN_ABI_BLK_FREE,
	OWN_ABI_BLK_USE, // len, read, write, loads, stores: a[0] is the block
	OWN_ABI_PROC_SPAWN,
	OWN_ABI_ESET_PUT,
	OWN_ABI_ESET_TAKE,
	OWN_ABI_CHAN_EXPECT,
};

// The analysis of one function.
struct own_fn {
	const struct vf_own_in *in;
	const struct vf_module *m;
	uint32_t fi;
	uint32_t nlocals; // parameters and declared locals
	uint32_t nvals;	  // nlocals + stack capacity
	const uint8_t *p, *end; // the reader
	const uint8_t *op_at;	// the instruction being interpreted
	struct own_state cur;
	uint32_t nsites;
	uint32_t sites[OWN_MAX_OBJS];
	struct own_sum *sum; // this function's, being computed
	const uint8_t *calls; // per function: enum own_abi + 1, or 0
	uint64_t work, budget; // units spent and allowed (OWN_WORK_*)
	bool any_return;
	bool stop; // an error was reported
	bool over; // over the work budget: the function is given up
	bool ended; // the walk is over: the function's end, or too deep
};

// Counts units of work; past the budget the function is given up.
static inline void own_charge(struct own_fn *f, uint64_t units)
{
	f->work += units;
	if (f->work > f->budget)
		f->over = true;
}

// Reports a definite violation at f->op_at (the first one wins) or a note.
void own_error(struct own_fn *f, isola_err_t code, const char *fmt, ...)
	ISOLA_PRINTF(3, 4);
void own_note(struct own_fn *f, isola_err_t code, const char *fmt, ...)
	ISOLA_PRINTF(3, 4);

// The effect of calling ABI function abi with args[0 .. n) (own_abi.c).
// Pushes the result values itself.
void own_abi_call(struct own_fn *f, enum own_abi abi, struct own_val *args,
		  uint32_t n, uint32_t nresults);
// Fills calls[0 .. m->nimported_funcs) with each import's enum own_abi
// plus 1 (one pass over the imports).
void own_abi_table(const struct vf_module *m, uint8_t *calls);
// The object for a new handle made at the current instruction (second:
// the second one of the same call), or OWN_MAX_OBJS when the table is full.
uint32_t own_new_obj(struct own_fn *f, uint32_t second, uint8_t kind);
// Pushes v on the operand stack (inline: most instructions push).
static inline void own_push(struct own_fn *f, struct own_val v)
{
	if (f->nlocals + f->cur.nstack < f->nvals)
		f->cur.vals[f->nlocals + f->cur.nstack++] = v;
}
// v goes where the analysis cannot see: a note when it is a handle the
// function knows to be one (own_interp.c), and v's object becomes unknown.
void own_escape(struct own_fn *f, struct own_val v, const char *why);
// own_escape of the frame words at off .. off + len (len 0: from off on);
// the slots stay.
void own_slots_escape(struct own_fn *f, int32_t off, uint32_t len, const char *why);
// On the path where condition c is true (truth) or false: an object a
// test showed to be an error code is OWN_ERR there, and one it showed to
// be a handle is confirmed. Returns that object, with what it was before
// in *was (when was is not NULL), or OWN_MAX_OBJS when nothing changed.
uint32_t own_refine(struct own_state *s, struct own_val c, bool truth,
		    struct own_obj *was);

// State operations (own_state.c). Only objects below nobjs are looked
// at: the others are OWN_NONE in every state of the function (objects
// are numbered in the order their sites are met), so they are equal.
// Only the values below nlocals + nstack are copied: those above it are
// never read before they are written.
void own_copy(struct own_state *dst, const struct own_state *src,
	      uint32_t nlocals, uint32_t nobjs);
// dst = dst joined with src; returns true if dst changed.
bool own_join(struct own_state *dst, const struct own_state *src,
	      uint32_t nlocals, uint32_t nobjs);
void own_escape_val(struct own_state *s, struct own_val v);
// The value as an instruction reads it: an OWN_LOST value escapes the
// objects it may be and reads as TOP.
struct own_val own_read(struct own_state *s, struct own_val v);
struct own_val *own_slot_find(struct own_state *s, int32_t off);
void own_slot_set(struct own_state *s, int32_t off, struct own_val v);
// Forgets slots at off .. off + len (len 0: everything from off on),
// escaping the handles they held.
void own_slots_clobber(struct own_state *s, int32_t off, uint32_t len);
void own_widen(struct own_state *s, uint32_t nlocals);


// The interpreter's control stack and run (own_interp.c, own_flow.c).
struct own_ctl {
	uint8_t op;	     // 0 function, 0x02 block, 0x03 loop, 0x04 if/else
	uint32_t height;     // stack height below the block's values
	uint32_t nparams, nresults;
	const uint8_t *body; // loop: first instruction of the body
	uint32_t iter;
	struct own_state *label; // branches to this label, joined
	struct own_state *alt;	 // if: the else entry; loop: the header
};

// The call graph the first pass records (own_rounds.c): which summaries
// each function read. When one of them changes, the function is analysed
// again.
struct own_deps {
	bool recording;	    // the first pass: calls add edges
	uint32_t *edges;    // callees, function after function
	uint32_t nedges, cap;
	uint32_t *edge_at;  // function fi's callees: edges[edge_at[fi] ..
			    // edge_at[fi + 1])
	uint8_t *many;	    // its callees are not all recorded: always stale
	uint8_t *found;	    // its last quiet analysis found an error or note
	uint32_t *seen;	    // callee -> last function that recorded it + 1
	uint32_t *analysed; // per function: seq of its last analysis
	uint32_t *changed;  // per function: seq when its summary last changed
	uint32_t *order;    // callees first: the order of later passes
	uint32_t *stack, *next; // the depth-first search's
	uint32_t seq, last_change;
};

struct own_run {
	struct own_fn f;
	struct own_ctl *ctls;
	uint32_t nctls;
	struct own_sum *sums;
	struct own_deps deps;
};

// Analyses function fi; its summary goes to r->sums[fi] (own_interp.c).
isola_err_t own_function(struct own_run *r, uint32_t fi) ISOLA_MUST_CHECK;
// calls[fi] for every function: its enum own_abi + 1 for an import or a
// thin wrapper of one, else 0 (own_interp.c).
void own_calls_table(const struct vf_module *m, uint8_t *calls);
// The function being analysed read callee's summary (own_rounds.c).
void own_dep_add(struct own_run *r, uint32_t callee);

struct own_state *own_state_new(struct own_run *r);
void own_state_del(struct own_run *r, struct own_state *s);
uint32_t own_nobjs(const struct own_fn *f);
uint64_t own_state_cost(const struct own_fn *f);
void own_branch(struct own_run *r, struct own_ctl *c);
void own_at_return(struct own_fn *f);
bool own_push_ctl(struct own_run *r, uint8_t op, uint32_t np, uint32_t nr);
bool own_end(struct own_run *r);
void own_else(struct own_run *r);

// The operand stack, for the handlers (inline: every instruction pops).
static inline struct own_val own_pop(struct own_fn *f)
{
	if (f->cur.nstack == 0)
		return (struct own_val){OWN_TOP, 0};
	return own_read(&f->cur, f->cur.vals[f->nlocals + --f->cur.nstack]);
}

static inline void own_popn(struct own_fn *f, uint32_t n)
{
	while (n--)
		(void)own_pop(f);
}

// Pops pop operands and pushes push unknown values.
static inline void own_top(struct own_fn *f, uint32_t pop, uint32_t push)
{
	own_popn(f, pop);
	while (push--)
		own_push(f, (struct own_val){OWN_TOP, 0});
}

// Calls (own_interp.c).
void own_call(struct own_run *r, uint32_t callee);
void own_call_indirect(struct own_fn *f, uint32_t ti);
// Interprets the instructions from f->p to the end of the walk: the
// function's final end, a verdict, or the work budget spent (own_ops.c).
void own_walk(struct own_run *r);

#endif
