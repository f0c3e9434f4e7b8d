// SPDX-License-Identifier: MIT
// CC007/CC008: linear handles in loops. The analysis iterates to a fixpoint,
// so a handle consumed in one iteration is seen as consumed in the next.
#include "kv_contract.h"

void free_in_loop(int n)
{
	xh_bytes b = xh_alloc(16);
	for (int i = 0; i < n; i++)
		xh_free(b); // expected-error {{[CC007] linear handle 'b' may have been consumed on some path before this use}} \
		               expected-note {{'b' was consumed here}}
} // expected-error {{[CC008] linear handle 'b' is not consumed on every path before it goes out of scope}}

void leak_per_iteration(int n)
{
	while (n--) {
		xh_bytes b = xh_alloc(16);
		if (n == 3)
			continue; // expected-error {{[CC008] linear handle 'b' is not consumed before it goes out of scope}}
		if (n == 5)
			break; // expected-error {{[CC008] linear handle 'b' is not consumed before it goes out of scope}}
		xh_free(b);
	}
}

void scope_opened_by_a_plain_local(int n)
{
	while (n--) {
		unsigned long size = (unsigned long)n * 2;
		xh_bytes b = xh_alloc(size);
		if (size == 4)
			continue; // expected-error {{[CC008] linear handle 'b' is not consumed before it goes out of scope}}
		xh_free(b);
	}
}

void carried_across_iterations(int n)
{
	xh_bytes b = xh_alloc(16);
	do {
		xh_free(b); // expected-error {{[CC007] linear handle 'b' may have been consumed on some path before this use}} \
		               expected-note {{'b' was consumed here}}
		if (n > 2)
			b = xh_alloc(8);
	} while (--n);
} // expected-error {{[CC008] linear handle 'b' is not consumed on every path before it goes out of scope}}

// Accepted: allocate, use and free within one iteration; or carry a handle
// around a loop, consuming the old one before taking the next.
void per_iteration(int n)
{
	for (int i = 0; i < n; i++) {
		xh_bytes b = xh_alloc(16);
		if (i & 1) {
			xh_free(b);
			continue;
		}
		xh_free(b);
	}
}

void serve_until_quit(kv_exp_ready ep)
{
	for (;;) {
		struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
		if (m.tag == KV_EXP_READY_QUIT) {
			kv_exp_done_close(m.quit.ep);
			return;
		}
		if (m.tag == KV_EXP_READY_CLOSED)
			return;
		xh_free(m.get.key);
		ep = kv_exp_send_missing(m.get.ep);
	}
}
