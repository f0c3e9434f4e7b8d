// SPDX-License-Identifier: MIT
// CC007/CC008: early returns. Returning a handle moves it to the caller; a
// handle still owned at a return, or at the end of the function, leaks.
#include "kv_contract.h"

int early_return_leaks(int c)
{
	xh_bytes b = xh_alloc(16);
	if (c)
		return -1; // expected-error {{[CC008] linear handle 'b' is not consumed before it goes out of scope}}
	xh_free(b);
	return 0;
}

int parameter_leaks(xh_bytes b, int c)
{
	if (c)
		return 1; // expected-error {{[CC008] linear handle 'b' is not consumed before it goes out of scope}}
	xh_free(b);
	return 0;
}

void parameter_leaks_at_end(xh_bytes b)
{
	(void)b;
} // expected-error {{[CC008] linear handle 'b' is not consumed before it goes out of scope}}

xh_bytes use_after_return_path(int c)
{
	xh_bytes b = xh_alloc(16);
	xh_bytes keep = b; // expected-note {{'b' was moved here}}
	if (c)
		return keep;
	xh_free(b); // expected-error {{[CC007] linear handle 'b' used after it was moved}}
	return keep;
}

void dropped_result(void)
{
	xh_alloc(16); // expected-error {{[CC008] linear handle returned by 'xh_alloc' is dropped; keep it in a variable and consume it}}
	(void)xh_alloc(16); // expected-error {{[CC008] linear handle returned by 'xh_alloc' is dropped; keep it in a variable and consume it}}
}

int dropped_in_other_positions(int c)
{
	if (c)
		xh_alloc(1); // expected-error {{[CC008] linear handle returned by 'xh_alloc' is dropped}}
	for (int i = 0; i < c; xh_alloc(2), i++) // expected-error {{[CC008] linear handle returned by 'xh_alloc' is dropped}}
		;
	return (xh_alloc(3), c); // expected-error {{[CC008] linear handle returned by 'xh_alloc' is dropped}}
}

// Accepted: return the handle, or consume it before every return.
xh_bytes make(int big)
{
	if (big)
		return xh_alloc(4096);
	xh_bytes b = xh_alloc(16);
	return b;
}

int consume_then_return(xh_bytes b, int c)
{
	if (c) {
		xh_free(b);
		return 1;
	}
	xh_free(b);
	return 0;
}

void pass_through(void)
{
	xh_free(make(1));
}
