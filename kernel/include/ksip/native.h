// SPDX-License-Identifier: MIT
// Native code for SIPs (kernel/sip/native.c): which executor images are
// prepared for (the kernel options engine= and bounds=), the engine's code
// memory and guarded linear memories on the environment's vmm, charged to
// the image's and the SIP's accounts, and the fault handler that turns an
// out-of-bounds access of a SIP's native code into that SIP's trap.
// docs/engine.md, "Native code in the kernel".
#ifndef ISOLA_KSIP_NATIVE_H
#define ISOLA_KSIP_NATIVE_H

#include <account.h>
#include <isola/engine.h>

// engine: "jit" (the default) or "interp"; bounds: "guard" (the default)
// or "explicit"; NULL keeps the current value. ERR_INVAL, and nothing
// changes, for any other value.
ISOLA_MUST_CHECK isola_err_t sip_native_set(const char *engine, const char *bounds);
// The executor and bounds in use ("jit" or "interp", "guard" or
// "explicit"), for the log and the shell.
const char *sip_native_engine(void);
const char *sip_native_bounds(void);
// How to prepare an image whose memory account is a: code memory charged
// to a, written to *cm (which must live as long as the preparation).
void sip_native_prepare_config(struct mem_account *a, struct eng_code_mem *cm,
			       struct eng_prepare_config *out);
// Guarded linear memory charged to a, for the instances of images
// prepared with guard regions, written to *vm.
void sip_native_vm(struct mem_account *a, struct eng_vm *vm);
// Registers the fault handler (once, at boot).
void sip_native_init(void);

#endif
