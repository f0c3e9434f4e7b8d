// SPDX-License-Identifier: MIT
// The one list of Isola error codes. Each part declares its codes in its own
// range in common/include/isola/err/<part>.def (X-macro rows of
// ISOLA_ERR(NAME, VALUE, "message")), joined once in err/all.def; this
// header makes them one enum.
// Values are stable: never renumber a code, only add new ones.
#ifndef ISOLA_ERR_H
#define ISOLA_ERR_H

#include <isola/compiler.h>

// Ranges: see err/all.def.
typedef enum isola_err {
#define ISOLA_ERR(name, value, msg) name = value,
#include <isola/err/all.def>
#undef ISOLA_ERR
} isola_err_t;

// The message for an error code; "unknown error" for a value not in the list.
const char *isola_err_message(isola_err_t err);

// The symbolic name ("ERR_NOMEM"); "ERR_UNKNOWN" for a value not in the list.
const char *isola_err_name(isola_err_t err);

// Propagate a failure from a call that leaves nothing to release.
#define TRY(expr)                                                              \
	do {                                                                   \
		isola_err_t try_err_ = (expr);                                 \
		if (try_err_ != ERR_OK)                                        \
			return try_err_;                                       \
	} while (0)

#endif
