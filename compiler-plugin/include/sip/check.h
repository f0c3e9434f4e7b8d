// SPDX-License-Identifier: MIT
// Annotations and code contracts of the checked C subset (docs/checked-c.md).
// libsip includes this header; the sipcheck plugin recognises the annotations
// and the contract statements below and checks them at compile time. The
// failure path, sip_contract_failed(), is implemented by libsip and stops the
// SIP with "contract violated: requires x > 0 (file.c:12)".
#ifndef SIP_CHECK_H
#define SIP_CHECK_H

#include <isola/linear.h>

// Called when a contract check fails; never returns. `what` is the clause
// kind and its source text, e.g. "requires x > 0".
__attribute__((noreturn)) void sip_contract_failed(const char *what,
                                                   const char *file, int line);

// A pointer parameter or function result that may be null: every
// dereference must follow a null check (rule CC013). Locals need no
// annotation; the analysis follows what is stored in them.
#define SIP_NULLABLE __attribute__((annotate("isola.nullable")))

// On a pointer parameter: the pointer addresses `n` elements, where `n` names
// another parameter of the same function. Indexing it is then allowed and is
// checked at run time against `n`; callers pass an array or a SIP_COUNT
// pointer that covers `n` (rule CC014).
#define SIP_COUNT(n) __attribute__((annotate("isola.count:" #n)))

// Declares a kernel import (module "isola"). Only libsip may (rule CC011).
#define SIP_KERNEL_IMPORT(name)                                                \
	__attribute__((import_module("isola"), import_name(#name)))

// Precondition: the first statements of a function body. Checked on entry.
#define SIP_REQUIRES(cond)                                                     \
	((cond) ? (void)0                                                      \
		: sip_contract_failed("requires " #cond, __FILE__, __LINE__))

// Loop invariant: the first statement of a loop body. Checked on every
// iteration.
#define SIP_INVARIANT(cond)                                                    \
	((cond) ? (void)0                                                      \
		: sip_contract_failed("invariant " #cond, __FILE__, __LINE__))

// The result of the enclosing function, named so that SIP_ENSURES can speak
// of it: SIP_RESULT(int, r); declares `r`, and sipcheck stores the returned
// value into it on every return before the postconditions are checked.
#define SIP_RESULT(type, name)                                                 \
	__attribute__((annotate("isola.result"), unused)) type name

// Postcondition: among the first statements of a function body, after
// SIP_REQUIRES and SIP_RESULT. sipcheck moves the check to every return. A
// compile without sipcheck (sipcc --no-check) does not check postconditions.
#define SIP_ENSURES(cond)                                                      \
	do {                                                                   \
		if (0)                                                         \
			sip_ensures_check_((cond), "ensures " #cond, __FILE__, \
					   __LINE__);                          \
	} while (0)

// Inserted by sipcheck around a run-time index into an array or a
// SIP_COUNT pointer (CC014): stops the SIP unless index < count.
static inline unsigned long sip_bounds_check_(unsigned long index,
					      unsigned long count,
					      const char *file, int line)
{
	if (index >= count)
		sip_contract_failed("bounds index < count", file, line);
	return index;
}

// Inserted by sipcheck around the count passed with an array or a SIP_COUNT
// pointer to a SIP_COUNT parameter (CC014): stops the SIP unless the count
// fits the array.
static inline unsigned long sip_count_check_(unsigned long count,
					     unsigned long length,
					     const char *file, int line)
{
	if (count > length)
		sip_contract_failed("bounds count <= length", file, line);
	return count;
}

// The check SIP_ENSURES keeps under `if (0)`, for sipcheck to move to every
// return of the function.
static inline void sip_ensures_check_(int ok, const char *what,
				      const char *file, int line)
{
	if (!ok)
		sip_contract_failed(what, file, line);
}

#endif
