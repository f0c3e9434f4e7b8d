// SPDX-License-Identifier: MIT
// CC007: calls that borrow a handle (ISOLA_BORROWED parameters) leave it
// owned by the caller; a borrowed parameter cannot be consumed.
#include "kv_contract.h"

unsigned long size_then_free(void)
{
	xh_bytes b = xh_alloc(16);
	unsigned long n = xh_size(b);
	n += xh_size(b);
	xh_free(b);
	return n;
}

unsigned long borrow_after_free(void)
{
	xh_bytes b = xh_alloc(16);
	xh_free(b); // expected-note {{'b' was consumed here}}
	return xh_size(b); // expected-error {{[CC007] linear handle 'b' used after it was consumed}}
}

void forget_after_borrow(void)
{
	xh_bytes b = xh_alloc(16);
	if (xh_size(b) > 8)
		xh_free(b);
} // expected-error {{[CC008] linear handle 'b' is not consumed on every path before it goes out of scope}}

unsigned long consume_borrowed(ISOLA_BORROWED xh_bytes b)
{
	unsigned long n = xh_size(b);
	xh_free(b); // expected-error {{[CC007] borrowed handle 'b' cannot be consumed; the caller still owns it}}
	return n;
}

xh_bytes return_borrowed(ISOLA_BORROWED xh_bytes b)
{
	return b; // expected-error {{[CC007] borrowed handle 'b' cannot be consumed; the caller still owns it}}
}

// Accepted: a borrowed parameter is used and left alone; it never leaks.
unsigned long twice(ISOLA_BORROWED xh_bytes b)
{
	return xh_size(b) * 2;
}

unsigned long lend(void)
{
	xh_bytes b = xh_alloc(32);
	unsigned long n = twice(b) + twice(b);
	xh_free(b);
	return n;
}

int endpoint_alive(kv_exp_ready ep)
{
	int alive = kv_exp_ready_peer_alive(ep);
	kv_exp_ready_close(ep);
	return alive;
}
