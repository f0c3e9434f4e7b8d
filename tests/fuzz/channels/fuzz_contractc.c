// SPDX-License-Identifier: MIT
// libFuzzer harness for contractc's front end: any byte string is a
// contract source. Whatever it is, contractc must answer with diagnostics
// or outputs, never crash, leak or hit undefined behaviour; accepted
// contracts are also decoded again and written out (header, registry).
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink(void)
{
	static FILE *f;
	if (!f)
		f = fopen("/dev/null", "w");
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cc_ctx cx = { .path = "fuzz" };
	struct cc_file *f = cc_compile(&cx, (const char *)data, size);
	if (cx.nerrors == 0) {
		// Compiling again gives the same descriptors, byte for byte.
		struct cc_ctx cx2 = { .path = "fuzz" };
		struct cc_file *f2 = cc_compile(&cx2, (const char *)data, size);
		if (cx2.nerrors != 0 || f2->ncontracts != f->ncontracts)
			abort();
		for (size_t i = 0; i < f->ncontracts; i++) {
			const struct cc_contract *c = &f->contracts[i];
			if (!c->model || !c->desc)
				abort(); // accepted means encoded and decoded
			if (c->desc_len != f2->contracts[i].desc_len ||
			    memcmp(c->desc, f2->contracts[i].desc, c->desc_len) != 0)
				abort();
			// Accepted means it writes, too.
			if (cc_write_header(f, i, sink()) != 0 ||
			    cc_write_registry(f, i, sink()) != 0)
				abort();
		}
		cc_file_free(f2);
		cc_ctx_free(&cx2);
	}
	cc_print_diags(&cx, sink());
	cc_file_free(f);
	cc_ctx_free(&cx);
	return 0;
}
