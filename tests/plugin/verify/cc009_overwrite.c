// SPDX-License-Identifier: MIT
// CC009: a live handle cannot be overwritten (the old one would leak).
#include "kv_contract.h"

void overwrite(void)
{
	xh_bytes b = xh_alloc(16);
	b = xh_alloc(32); // expected-error {{[CC009] linear handle 'b' is overwritten while it is still owned}}
	xh_free(b);
}

void overwrite_on_one_path(int c)
{
	xh_bytes b = xh_alloc(16);
	if (c)
		xh_free(b);
	b = xh_alloc(32); // expected-error {{[CC009] linear handle 'b' is overwritten while it is still owned}}
	xh_free(b);
}

void overwrite_parameter(xh_bytes b)
{
	b = xh_alloc(1); // expected-error {{[CC009] linear handle 'b' is overwritten while it is still owned}}
	xh_free(b);
}

// Accepted: reuse a variable once its handle is consumed.
void reuse(void)
{
	xh_bytes b = xh_alloc(16);
	xh_free(b);
	b = xh_alloc(32);
	xh_free(b);
}

void assign_later(int c)
{
	xh_bytes b;
	if (c)
		b = xh_alloc(1);
	else
		b = xh_alloc(2);
	xh_free(b);
}
