// SPDX-License-Identifier: MIT
// contractc's front end as one call, shared by the command line, the unit
// tests and the fuzzer: parse, check, encode and validate, check names.
// Each pass runs only if the previous ones found no error.
#include "cc.h"

struct cc_file *cc_compile(struct cc_ctx *cx, const char *src, size_t len)
{
	struct cc_file *f = cc_parse(cx, src, len);
	if (cx->nerrors == 0)
		cc_check(cx, f);
	if (cx->nerrors == 0)
		cc_encode(cx, f);
	if (cx->nerrors == 0)
		cc_check_names(cx, f);
	return f;
}
