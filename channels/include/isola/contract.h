// SPDX-License-Identifier: MIT
// Contracts as the kernel and the channel core see them: the binary
// descriptor (the canonical form a SIP carries in its isola.contracts
// section and contractc writes to NAME.desc), its decoder and validator, and
// the decoded model with layouts and queue bounds. Portable and freestanding.
// The language itself is in docs/contracts.md; the rules in docs/channels.md.
#ifndef ISOLA_CONTRACT_H
#define ISOLA_CONTRACT_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONTRACT_DESC_MAGIC 0x52544349u // "ICTR", little-endian
#define CONTRACT_DESC_VERSION 1
#define CONTRACT_HASH_SIZE 32 // SHA-256

// Limits (checked by the decoder, so also by contractc).
#define CONTRACT_MAX_NAME 64
#define CONTRACT_MAX_MSGS 1024
#define CONTRACT_MAX_STATES 1024
#define CONTRACT_MAX_TRANS 64 // per state
#define CONTRACT_MAX_STRUCTS 64
#define CONTRACT_MAX_REFS 16
#define CONTRACT_MAX_FIELDS 16 // per message or struct
#define CONTRACT_MAX_MOVED 8 // blocks and endpoints per message
#define CONTRACT_MAX_INLINE 256 // bytes of inline payload per message
#define CONTRACT_MAX_STRUCT_SIZE 64
#define CONTRACT_MAX_ARRAY 256
#define CONTRACT_MAX_BOUND 64 // queue depth per direction
#define CONTRACT_IFACE_DEPTH 16 // queue depth of an interface-form channel
#define CONTRACT_HANDLE_SIZE 4 // a block or endpoint handle in a SIP payload
#define CONTRACT_NO_STATE 0xffffu
#define CONTRACT_REF_SELF 0xffu
// An endpoint field of any contract, side and state (`endpoint` in the
// language). Canonical form: side CONTRACT_EXP and CONTRACT_NO_STATE.
#define CONTRACT_REF_ANY 0xfeu

enum contract_form {
	CONTRACT_FORM_INTERFACE = 0, // no states: any message at any time
	CONTRACT_FORM_STATES = 1, // Singularity form
};

// in: towards the exporting side; out: away from it; both: either side.
enum contract_dir { CONTRACT_IN = 0, CONTRACT_OUT = 1, CONTRACT_BOTH = 2 };

// The two ends. EXP is the exporting (service) side, IMP the importer.
enum contract_side { CONTRACT_EXP = 0, CONTRACT_IMP = 1 };

enum contract_scalar {
	CONTRACT_BOOL = 1,
	CONTRACT_I8,
	CONTRACT_U8,
	CONTRACT_I16,
	CONTRACT_U16,
	CONTRACT_I32,
	CONTRACT_U32,
	CONTRACT_I64,
	CONTRACT_U64,
	CONTRACT_F32,
	CONTRACT_F64,
	CONTRACT_SCALAR_LAST = CONTRACT_F64,
};

enum contract_kind {
	CONTRACT_K_SCALAR = 1, // inline, copied
	CONTRACT_K_ARRAY = 2, // fixed array of a scalar, inline
	CONTRACT_K_STRUCT = 3, // a struct of this contract, inline
	CONTRACT_K_BLOCK = 4, // exchange-heap block (bytes = block<uint8>), moved
	CONTRACT_K_ENDPOINT = 5, // channel end, moved
};

struct contract_field {
	uint8_t kind; // enum contract_kind
	uint8_t scalar; // SCALAR, ARRAY, BLOCK of scalar
	uint16_t count; // ARRAY: element count
	uint8_t strct; // STRUCT, BLOCK of struct: struct index; else 0xff
	uint8_t ref; // ENDPOINT: index in refs[], CONTRACT_REF_SELF or _ANY
	uint8_t side; // ENDPOINT: enum contract_side (REF_ANY: 0)
	uint16_t state; // ENDPOINT: state index, CONTRACT_NO_STATE for interfaces and REF_ANY
	// Computed by the decoder:
	uint32_t offset; // in the payload (wasm32 C layout)
	uint32_t type_tag; // BLOCK: element type tag (see contract_type_tag)
};

struct contract_struct {
	const char *name; // not NUL-terminated; name_len bytes
	uint8_t name_len;
	uint8_t n_fields;
	struct contract_field *fields;
	uint32_t size, align, tag;
};

struct contract_msg {
	const char *name;
	uint8_t name_len;
	uint8_t dir; // enum contract_dir
	uint8_t n_fields;
	uint8_t n_moved;
	struct contract_field *fields;
	uint8_t moved[CONTRACT_MAX_MOVED]; // field indices of moved fields
	uint32_t size, align; // inline payload
};

// A transition, written from the exporting side: exp_recv means the
// exporter receives (and the importer sends) the message.
struct contract_trans {
	uint16_t msg;
	uint8_t exp_recv;
	uint16_t next;
};

struct contract_state {
	const char *name;
	uint8_t name_len;
	uint8_t n_trans;
	struct contract_trans *trans;
};

struct contract {
	uint8_t form;
	uint8_t hash[CONTRACT_HASH_SIZE];
	const char *name;
	uint8_t name_len;
	uint8_t n_refs, n_structs;
	uint16_t n_msgs, n_states; // interface form: one implicit state
	const uint8_t (*refs)[CONTRACT_HASH_SIZE];
	struct contract_struct *structs;
	struct contract_msg *msgs;
	struct contract_state *states;
	// Per direction (index enum contract_dir IN/OUT): the queue depth and
	// the largest inline payload.
	uint16_t bound[2];
	uint32_t max_size[2];
};

// Where a decode error was found, so contractc can point at the source.
enum contract_where {
	CONTRACT_AT_CONTRACT = 0,
	CONTRACT_AT_STRUCT,
	CONTRACT_AT_MSG,
	CONTRACT_AT_STATE,
};
struct contract_diag {
	uint8_t where; // enum contract_where
	uint16_t index; // struct, message or state index
	uint32_t offset; // byte offset in the descriptor
};

// A decode arena: memory the caller supplies; the model points into it and
// into the descriptor, which must outlive the model.
struct contract_arena {
	uint8_t *base;
	size_t size, used;
};

// Decodes and validates an untrusted descriptor: structure, limits, hash,
// layouts, determinism, no mixed states, no one-way cycles, queue bounds.
// ERR_DESC_ARENA if the arena is too small (CONTRACT_ARENA_SIZE(len) is
// always enough). On error, *diag (if not NULL) says where.
isola_err_t contract_decode(const uint8_t *desc, size_t len,
			    struct contract_arena *arena,
			    const struct contract **out,
			    struct contract_diag *diag) ISOLA_MUST_CHECK;

// Decodes without checking the hash (contractc uses this before it has one).
isola_err_t contract_decode_unhashed(const uint8_t *desc, size_t len,
				     struct contract_arena *arena,
				     const struct contract **out,
				     struct contract_diag *diag) ISOLA_MUST_CHECK;

#define CONTRACT_ARENA_SIZE(len) (sizeof(struct contract) + 64 + (size_t)(len)*48)

// SHA-256 of the descriptor with its hash field taken as zero.
void contract_desc_hash(const uint8_t *desc, size_t len,
			uint8_t out[CONTRACT_HASH_SIZE]);

// Writes the hash into a descriptor built with a zero hash field.
void contract_desc_seal(uint8_t *desc, size_t len);

// Offset of the hash field in a descriptor.
#define CONTRACT_DESC_HASH_OFFSET 8

// The size and alignment of a scalar in a payload.
uint32_t contract_scalar_size(enum contract_scalar s);

// Type tag of a block's element: the scalar code for a scalar, or a hash of
// the struct's canonical layout with the top bit set.
uint32_t contract_type_tag(const struct contract *c, const struct contract_field *f);

// Is sending message msg from side allowed in state? Sets *next.
bool contract_can_send(const struct contract *c, enum contract_side side,
		       uint16_t state, uint16_t msg, uint16_t *next);
bool contract_can_recv(const struct contract *c, enum contract_side side,
		       uint16_t state, uint16_t msg, uint16_t *next);
// Does the state have at least one receive (resp. send) transition for side?
bool contract_state_receives(const struct contract *c, enum contract_side side,
			     uint16_t state);
bool contract_state_sends(const struct contract *c, enum contract_side side,
			  uint16_t state);

// The direction index (CONTRACT_IN or CONTRACT_OUT) of a message sent by side.
static inline enum contract_dir contract_side_out_dir(enum contract_side side)
{
	return side == CONTRACT_IMP ? CONTRACT_IN : CONTRACT_OUT;
}

// A system contract compiled into the kernel (contractc's NAME.registry.c).
struct contract_registry_entry {
	const char *name;
	const uint8_t *desc;
	uint32_t desc_len;
	uint8_t hash[CONTRACT_HASH_SIZE];
};

// Finds the entry with the given hash; NULL if none.
const struct contract_registry_entry *
contract_registry_find(const struct contract_registry_entry *const *entries,
		       size_t n, const uint8_t hash[CONTRACT_HASH_SIZE]);

#endif
