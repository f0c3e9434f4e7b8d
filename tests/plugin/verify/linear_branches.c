// SPDX-License-Identifier: MIT
// CC007/CC008: linear handles on branches. A handle consumed on one arm only
// is "maybe consumed" after the merge: using it or leaving it is an error.
#include "kv_contract.h"

void use_after_free(void)
{
	xh_bytes b = xh_alloc(16);
	xh_free(b); // expected-note {{'b' was consumed here}}
	xh_free(b); // expected-error {{[CC007] linear handle 'b' used after it was consumed}}
}

kv_exp_ready use_after_send(kv_exp_answering ep, xh_bytes value)
{
	kv_exp_ready next = kv_exp_send_found(ep, value); // expected-note {{'ep' was sent here}}
	kv_exp_send_missing(ep); // expected-error {{[CC007] linear handle 'ep' used after it was sent}} \
	                            expected-error {{[CC008] linear handle returned by 'kv_exp_send_missing' is dropped}}
	return next;
}

void consumed_on_one_arm(int c)
{
	xh_bytes b = xh_alloc(16);
	if (c)
		xh_free(b); // expected-note {{'b' was consumed here}}
	xh_free(b); // expected-error {{[CC007] linear handle 'b' may have been consumed on some path before this use}}
}

void leaked_on_one_arm(int c)
{
	xh_bytes b = xh_alloc(16);
	if (c)
		xh_free(b);
} // expected-error {{[CC008] linear handle 'b' is not consumed on every path before it goes out of scope}}

void leaked_on_every_path(void)
{
	xh_bytes b = xh_alloc(16);
	(void)b;
} // expected-error {{[CC008] linear handle 'b' is not consumed before it goes out of scope}}

void short_circuit(int a, int c)
{
	xh_bytes b = xh_alloc(16);
	if (a && c) {
		xh_free(b);
		return;
	}
	if (!a)
		xh_free(b); // expected-note {{'b' was consumed here}}
	if (c)
		xh_free(b); // expected-error {{[CC007] linear handle 'b' may have been consumed on some path before this use}}
} // expected-error {{[CC008] linear handle 'b' is not consumed on every path before it goes out of scope}}

// Accepted: every path consumes exactly once.
void both_arms(int c)
{
	xh_bytes b = xh_alloc(16);
	if (c)
		xh_free(b);
	else
		xh_free(b);
}

void conditional_move(int c)
{
	xh_bytes a = xh_alloc(1);
	xh_bytes b = xh_alloc(2);
	xh_bytes keep;
	if (c) {
		keep = a;
		xh_free(b);
	} else {
		keep = b;
		xh_free(a);
	}
	xh_free(keep);
}

unsigned long field_reads_borrow(void)
{
	xh_bytes b = xh_alloc(16);
	unsigned long h = (unsigned long)b.h;
	xh_free(b);
	return h;
}
