// SPDX-License-Identifier: MIT
// The SIP-level checks on a validated module (docs/verifier-rules.md,
// codes 1450-1499): imports only from module "isola" with the kernel ABI's
// exact signatures (common/include/isola/abi.def), the entry export, the
// manifest within the system's limits, every contract descriptor of
// isola.contracts well formed and, for system contracts, identical to the
// system registry's, every manifest endpoint naming a known contract and
// state; then the static ownership and protocol analysis of the code
// (own_*.c). One source for the kernel's loader, sipverify and the tests.
#ifndef ISOLA_SIPCHECK_H
#define ISOLA_SIPCHECK_H

#include <isola/compiler.h>
#include <isola/contract.h>
#include <isola/err.h>
#include <isola/manifest.h>
#include <isola/verifier.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

// Most descriptors one image may declare (the kernel's limit too).
#define VF_SIP_MAX_CONTRACTS 32
// Notes kept in struct vf_sip_result (the count goes on).
#define VF_SIP_MAX_NOTES 4

// What to check. Without VF_SIP_REQUIRE a module with no isola.manifest
// is a plain WebAssembly module and only its SIP sections (none) are
// looked at; with it (the kernel) every module is a SIP.
#define VF_SIP_REQUIRE (1u << 0)
#define VF_SIP_STRICT (1u << 1)	     // notes are errors
#define VF_SIP_NO_ANALYSIS (1u << 2) // skip the ownership analysis
// Leave the import and entry-point checks to the caller: the kernel's
// engine binds imports from the same abi.def and reports its own codes.
#define VF_SIP_NO_INTERFACE (1u << 3)
// A module without isola.manifest is not a SIP image: ERR_SIP_NOT_SIP
// (sipverify, unless asked to check plain WebAssembly). The kernel, which
// names such a module after its file, does not set it.
#define VF_SIP_MANIFEST (1u << 4)

struct vf_sip_env {
	// The system contracts (contractc's registry entries): an image's
	// descriptor with one of these names must be byte-identical to it.
	const struct contract_registry_entry *const *system;
	size_t nsystem;
	// Scratch for decoded contracts and the analysis; everything taken
	// is given back before vf_sip_check returns.
	const struct vf_allocator *alloc;
	uint32_t flags; // VF_SIP_*
};

// The verdict. diag.code is ERR_OK when the module is accepted; otherwise
// the first error, with func_index/instr_off set when it is in code (the
// DWARF address of the instruction) and offset the byte in the input.
// Notes say where the analysis could not follow a handle.
struct vf_sip_result {
	struct vf_diag diag;
	bool is_sip; // it had a manifest, or VF_SIP_REQUIRE
	uint32_t nnotes;
	struct vf_diag notes[VF_SIP_MAX_NOTES];
};

// Runs every check on m (which vf_module_load accepted). Returns
// out->diag.code: ERR_OK, an ERR_MANIFEST_* / ERR_SIP_* code, or
// ERR_VF_NOMEM when env->alloc ran out.
isola_err_t vf_sip_check(const struct vf_module *m,
			 const struct vf_sip_env *env,
			 struct vf_sip_result *out) ISOLA_MUST_CHECK;

// Just the import and entry-point checks (no allocation).
isola_err_t vf_sip_check_imports(const struct vf_module *m,
				 struct vf_diag *diag) ISOLA_MUST_CHECK;
isola_err_t vf_sip_check_entry(const struct vf_module *m,
			       struct vf_diag *diag) ISOLA_MUST_CHECK;

// Decodes one descriptor of isola.contracts and checks it against the
// system registry. arena must hold CONTRACT_ARENA_SIZE(len) bytes. On
// success *out points into arena and desc.
isola_err_t vf_sip_contract(const uint8_t *desc, size_t len,
			    const struct vf_sip_env *env,
			    struct contract_arena *arena,
			    const struct contract **out,
			    struct vf_diag *diag) ISOLA_MUST_CHECK;

#endif
