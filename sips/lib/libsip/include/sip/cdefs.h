// SPDX-License-Identifier: MIT
// Attributes shared by libsip's public headers. SIP_NULLABLE is the same
// annotation sip/check.h defines (the definitions are identical, so either
// header may come first); it marks results and parameters that may be null
// for the checked-C null analysis (rule CC013). ISOLA_MUST_CHECK
// (isola/compiler.h) marks functions whose result says whether they failed.
#ifndef SIP_CDEFS_H
#define SIP_CDEFS_H

#include <isola/compiler.h>

#ifndef SIP_NULLABLE
#define SIP_NULLABLE __attribute__((annotate("isola.nullable")))
#endif

#define SIP_PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define SIP_NORETURN __attribute__((noreturn))

#endif
