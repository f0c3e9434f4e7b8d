// SPDX-License-Identifier: MIT
// CC010: linear handles live only in local variables and parameters: no
// address, no globals, arrays, pointers or fields of ordinary structs, no
// copies of whole messages, no handles made from nothing.
#include "kv_contract.h"

xh_bytes saved; // expected-error {{[CC010] linear handle of type 'xh_bytes' (aka 'struct xh_bytes') cannot be stored in a global or static variable}}

struct cache {
	xh_bytes *slot; // expected-error {{[CC010] linear handle of type 'xh_bytes *' (aka 'struct xh_bytes *') cannot be stored in memory behind a pointer}}
	xh_bytes current; // expected-error {{[CC010] linear handle of type 'xh_bytes' (aka 'struct xh_bytes') cannot be stored in a struct field}}
	xh_bytes ring[4]; // expected-error {{[CC010] linear handle of type 'xh_bytes[4]' (aka 'struct xh_bytes[4]') cannot be stored in an array}}
};

void address(void)
{
	xh_bytes b = xh_alloc(1);
	xh_free(*&b); // expected-error {{[CC010] cannot take the address of linear handle 'b'}}
}

void keep(struct kv_exp_ready_msg *m); // expected-error {{[CC010] linear handle of type 'struct kv_exp_ready_msg *' cannot be stored in memory behind a pointer}}

void store_in_message(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	if (m.tag == KV_EXP_READY_QUIT)
		kv_exp_done_close(m.quit.ep);
	if (m.tag != KV_EXP_READY_GET)
		return;
	xh_free(m.get.key);
	m.get.key = xh_alloc(4); // expected-error {{[CC010] linear handle of type 'xh_bytes' (aka 'struct xh_bytes') cannot be stored in a struct field}}
	kv_exp_ready_close(kv_exp_send_missing(m.get.ep));
}

void copy_message(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	struct kv_exp_ready_msg copy = m; // expected-error {{[CC010] message 'struct kv_exp_ready_msg' holding linear handles must be taken apart in place, not copied}}
}

void forge(void)
{
	xh_bytes fake = {3}; // expected-error {{[CC010] linear handle of type 'xh_bytes' (aka 'struct xh_bytes') cannot be made from an initializer; handles come from the runtime and contract headers}} expected-note {{there is no empty handle: to say 'none', give each path its own handle, or park an endpoint (NAME_SIDE_STATE_park) and keep its key, a plain number that is 0 for none}}
	xh_free(fake);
	xh_free((xh_bytes){4}); // expected-error {{[CC010] linear handle of type 'xh_bytes' (aka 'struct xh_bytes') cannot be made from an initializer; handles come from the runtime and contract headers}} expected-note {{there is no empty handle}}
}

// Accepted: locals, parameters, returns, and the fields of a received
// message taken in place.
xh_bytes local_only(void)
{
	xh_bytes b = xh_alloc(8);
	xh_bytes c = b;
	return c;
}
