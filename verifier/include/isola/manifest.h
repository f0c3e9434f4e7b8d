// SPDX-License-Identifier: MIT
// The two custom sections of a SIP image (docs/abi.md, "SIP images"):
// the isola.manifest text, parsed strictly into a caller-supplied struct
// vf_manifest, and the isola.contracts section, walked entry by entry.
// No allocation; the same code runs in the kernel's loader, sipverify and
// the tests. Checks and error codes: docs/verifier-rules.md (1400-1449).
#ifndef ISOLA_MANIFEST_H
#define ISOLA_MANIFEST_H

#include <isola/compiler.h>
#include <isola/err.h>
#include <isola/vf_module.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VF_MANIFEST_SECTION "isola.manifest"
#define VF_CONTRACTS_SECTION "isola.contracts"

// Lengths exclude the terminating NUL the struct fields always carry.
#define VF_MANIFEST_NAME_MAX 31	    // SIP and endpoint names
#define VF_MANIFEST_VERSION_MAX 63
#define VF_MANIFEST_CONTRACT_MAX 63 // contract names
#define VF_MANIFEST_STATE_MAX 63
#define VF_MANIFEST_MAX_ENDPOINTS 16
#define VF_MANIFEST_LINE_MAX 255     // bytes per line, without the newline
#define VF_MANIFEST_MAX_SIZE 65536u // bytes of the whole text

#define VF_MANIFEST_KIB 1024u
#define VF_MANIFEST_MIB (1024u * 1024u)
#define VF_MANIFEST_MEMORY_UNIT (64u * VF_MANIFEST_KIB) // a wasm page
#define VF_MANIFEST_MEMORY_MIN VF_MANIFEST_MEMORY_UNIT
#define VF_MANIFEST_MEMORY_MAX (256u * VF_MANIFEST_MIB)
#define VF_MANIFEST_MEMORY_DEFAULT (16u * VF_MANIFEST_MIB)
#define VF_MANIFEST_STACK_MIN (4u * VF_MANIFEST_KIB)
#define VF_MANIFEST_STACK_MAX (16u * VF_MANIFEST_MIB)
#define VF_MANIFEST_STACK_DEFAULT (64u * VF_MANIFEST_KIB)
#define VF_MANIFEST_EXCHANGE_MAX (1024u * VF_MANIFEST_MIB) // 0 is allowed
#define VF_MANIFEST_EXCHANGE_DEFAULT (16u * VF_MANIFEST_MIB)

// Hardware rights (`hardware NAME`).
#define VF_HW_SERIAL (1u << 0)
#define VF_HW_ALL VF_HW_SERIAL

enum vf_ep_side {
	VF_EP_EXP = 0,
	VF_EP_IMP = 1,
};

// One `endpoint` line. For `endpoint NAME procmgr`, is_procmgr is set and
// contract, state and side are empty/0.
struct vf_manifest_endpoint {
	char name[VF_MANIFEST_NAME_MAX + 1];
	char contract[VF_MANIFEST_CONTRACT_MAX + 1];
	char state[VF_MANIFEST_STATE_MAX + 1]; // "": the initial state
	uint8_t side;			       // enum vf_ep_side
	bool is_procmgr;
};

struct vf_manifest {
	char name[VF_MANIFEST_NAME_MAX + 1];
	char version[VF_MANIFEST_VERSION_MAX + 1]; // "" if none
	uint32_t memory;   // bytes
	uint32_t stack;	   // bytes
	uint32_t exchange; // bytes
	uint32_t hardware; // VF_HW_* bits
	uint32_t nendpoints;
	struct vf_manifest_endpoint endpoints[VF_MANIFEST_MAX_ENDPOINTS];
};

// Why a manifest was rejected. line is 1-based (0: not about one line,
// e.g. a missing name or an oversized text); offset is the byte in the
// text where the problem is (the start of the bad token or character).
struct vf_manifest_diag {
	isola_err_t code;
	uint32_t line;
	uint32_t offset;
	char detail[64];
};

// Parses text[0 .. len) strictly (grammar: docs/abi.md). On success *out
// is filled (defaults for absent directives) and diag->code is ERR_OK; on
// failure *out is unspecified and diag says why with an ERR_MANIFEST_*
// code. diag may be NULL.
isola_err_t vf_manifest_parse(const uint8_t *text, size_t len,
			      struct vf_manifest *out,
			      struct vf_manifest_diag *diag) ISOLA_MUST_CHECK;

// Writes m's canonical text (one directive a line, defaults included,
// NUL-terminated) to buf[0 .. len). Returns the length without the NUL, or
// the length it would need if len is too small (like snprintf).
size_t vf_manifest_format(const struct vf_manifest *m, char *buf, size_t len);

// Whether two parsed manifests say the same thing.
bool vf_manifest_equal(const struct vf_manifest *a,
		       const struct vf_manifest *b);

// ---- sections -----------------------------------------------------------

// The payloads of the SIP sections of a decoded module; a missing one has
// ptr NULL and len 0. off is the payload's offset in the module's input.
struct vf_sip_sections {
	const uint8_t *manifest;
	size_t manifest_len;
	uint32_t manifest_off;
	const uint8_t *contracts;
	size_t contracts_len;
	uint32_t contracts_off;
};

// Finds isola.manifest and isola.contracts in m. ERR_MANIFEST_SECTION_DUP
// if either appears twice (*dup_off, if not NULL, is then the second
// section's id byte); *out is written only on success.
isola_err_t vf_sip_sections_find(const struct vf_module *m,
				 struct vf_sip_sections *out,
				 uint32_t *dup_off) ISOLA_MUST_CHECK;

// Largest descriptor accepted in isola.contracts.
#define VF_CONTRACT_DESC_MAX (1024u * 1024u)

// Walks the contracts section sec[0 .. len): entries are a little-endian
// u32 length then that many descriptor bytes. Start with *off = 0. Each
// call returns ERR_OK and sets *desc/*desc_len to the next entry and
// advances *off; at the end of the section it returns ERR_OK with *desc
// NULL and *desc_len 0. Errors (nothing written, *off stays at the bad
// entry): ERR_MANIFEST_CONTRACTS_TRUNCATED (a length or a descriptor runs
// past the end), ERR_MANIFEST_CONTRACTS_EMPTY (a zero length),
// ERR_MANIFEST_CONTRACTS_LARGE (over VF_CONTRACT_DESC_MAX).
isola_err_t vf_contracts_next(const uint8_t *sec, size_t len, size_t *off,
			      const uint8_t **desc,
			      size_t *desc_len) ISOLA_MUST_CHECK;

// Walks the whole section: ERR_OK with *count entries, or the first
// error with *bad_off the offset of the entry at fault. count and bad_off
// may be NULL.
isola_err_t vf_contracts_check(const uint8_t *sec, size_t len,
			       uint32_t *count,
			       size_t *bad_off) ISOLA_MUST_CHECK;

#endif
