// SPDX-License-Identifier: MIT
// The kernel ABI a SIP imports from module "isola" (kernel/sip/abi*.c,
// docs/abi.md): binding it to a SIP, resolving imports, and the faults a
// call's decoder may end the SIP with. The functions and their typed
// parameters are the rows of common/include/isola/abi.def.
#ifndef ISOLA_SIP_ABI_H
#define ISOLA_SIP_ABI_H

#include <isola/err.h>
#include <stddef.h>
#include <stdint.h>

#define ABI_MAX_FUNCS 48

// prof_ctl's operations (libsip's ISOLA_PROF_*, docs/abi.md).
enum abi_prof_op {
	ABI_PROF_START = 0,
	ABI_PROF_STOP = 1,
	ABI_PROF_SHOW = 2,
};

struct sip;
struct eng_extern;

// Why a call stops its SIP: the SIP broke a rule of docs/abi.md. Each
// value is the error code the SIP ends with (trapped, status = code), so
// SIPs and tests see the codes they always saw. ABI_OK: no fault.
enum abi_fault {
	ABI_OK = ERR_OK,
	ABI_FAULT_INVAL = ERR_INVAL,                   // an argument out of its range
	ABI_FAULT_RANGE = ERR_ABI_RANGE,               // outside linear memory or a block
	ABI_FAULT_DENIED = ERR_ABI_DENIED,             // a right the SIP lacks
	ABI_FAULT_HANDLE_INVALID = ERR_HANDLE_INVALID, // a handle that names nothing
	ABI_FAULT_HANDLE_STALE = ERR_HANDLE_STALE,     // a handle whose object is gone
	ABI_FAULT_HANDLE_KIND = ERR_HANDLE_KIND,       // a handle of another kind
	ABI_FAULT_PROTOCOL = ERR_CHAN_PROTOCOL,        // not allowed in the state
	ABI_FAULT_PAYLOAD = ERR_CHAN_PAYLOAD,          // not the message's shape
	ABI_FAULT_DUPLICATE = ERR_CHAN_DUPLICATE,      // one object moved twice
	ABI_FAULT_BUFFER = ERR_CHAN_BUFFER,            // a receive buffer too small
	ABI_FAULT_CONTRACT = ERR_CHAN_CONTRACT,        // an endpoint of another contract
};

// Fills s->abi with the functions of abi.def, bound to s.
void abi_bind(struct sip *s);
// The engine's import resolver (ctx is the SIP): only module "isola"
// exists. ERR_ENG_IMPORT_UNKNOWN for anything else.
ISOLA_MUST_CHECK isola_err_t abi_resolve(void *ctx, const char *module,
					 size_t module_len, const char *field,
					 size_t field_len, uint8_t kind,
					 struct eng_extern *out);

#endif
