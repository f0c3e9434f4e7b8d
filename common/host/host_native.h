// SPDX-License-Identifier: MIT
// Native code on the host, for the engine's tools, tests and fuzzers and
// the kernel's host fake (docs/engine.md, "On the host and in the
// kernel"): code pages from mmap, written, then sealed read-only and
// executable with mprotect; reservations mapped inaccessible and opened
// page by page; and a SIGSEGV/SIGBUS hook that may resume the faulting
// thread elsewhere. ctx is unused.
#ifndef ISOLA_HOST_NATIVE_H
#define ISOLA_HOST_NATIVE_H

#include <isola/err.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *host_code_alloc(void *ctx, size_t size) ISOLA_MUST_CHECK;
isola_err_t host_code_seal(void *ctx, void *p, size_t size) ISOLA_MUST_CHECK;
void host_code_free(void *ctx, void *p, size_t size);

isola_err_t host_vm_reserve(void *ctx, uint64_t size, void **base) ISOLA_MUST_CHECK;
isola_err_t host_vm_commit(void *ctx, void *base, uint64_t from,
			   uint64_t to) ISOLA_MUST_CHECK;
void host_vm_release(void *ctx, void *base, uint64_t size, uint64_t committed);

// On SIGSEGV or SIGBUS, fn gets the faulting instruction, the address and
// r15 (where native code keeps its thread); when it returns true the
// thread resumes at *resume with its registers as they were. Otherwise
// the signal is fatal, as without a handler.
typedef bool (*host_fault_fn)(uint64_t pc, uint64_t addr, uint64_t r15,
			      uint64_t *resume);
void host_fault_install(host_fault_fn fn);

#endif
