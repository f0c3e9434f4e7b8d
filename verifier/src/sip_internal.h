// SPDX-License-Identifier: MIT
// Internal to the SIP-level checks (sip_check.c) and the ownership
// analysis (own_*.c): memory taken from the caller's allocator within its
// cap, and the analysis entry point. The analysis itself is described at
// the top of own_interp.c and in docs/verifier-rules.md.
#ifndef VF_SIP_INTERNAL_H
#define VF_SIP_INTERNAL_H

#include <isola/sipcheck.h>

struct vf_sip_mem {
	const struct vf_allocator *a;
	size_t used;
};

// size bytes (zeroed), or NULL when the cap would be passed.
void *vf_sip_alloc(struct vf_sip_mem *mem, size_t size);
void vf_sip_free(struct vf_sip_mem *mem, void *p, size_t size);

// Sets *d to a diagnostic outside code (func_index VF_NO_INDEX).
void vf_sip_diag_set(struct vf_diag *d, isola_err_t code, uint32_t off);

// What the analysis gets: the module, its contracts (declared ones and the
// system ones its endpoints name), the flags and where to report.
struct vf_own_in {
	const struct vf_module *m;
	struct vf_sip_mem *mem;
	uint32_t flags; // VF_SIP_*
	const struct contract *const *contracts;
	uint32_t ncontracts;
	bool all_system; // every system contract is among them
	struct vf_sip_result *out;
};

// Analyses every function body; reports the first definite violation in
// out->diag and the first notes in out->notes. Returns out->diag.code
// (ERR_OK, an ERR_SIP_OWN_* code, or ERR_VF_NOMEM).
isola_err_t vf_own_analyse(const struct vf_own_in *in) ISOLA_MUST_CHECK;

#endif
