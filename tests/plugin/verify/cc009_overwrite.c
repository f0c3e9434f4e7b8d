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

void receive_over_a_live_message(kv_exp_ready ep, kv_exp_ready other)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	if (m.tag == KV_EXP_READY_QUIT) {
		m = kv_exp_ready_recv(other); // expected-error {{[CC009] linear handle 'm.quit.ep' is overwritten while it is still owned}}
		return;
	}
	if (m.tag == KV_EXP_READY_GET) {
		xh_free(m.get.key);
		kv_exp_ready_close(kv_exp_send_missing(m.get.ep));
	}
	kv_exp_ready_close(other);
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

void receive_again(kv_exp_ready ep, kv_exp_ready other)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	if (m.tag == KV_EXP_READY_QUIT)
		kv_exp_done_close(m.quit.ep);
	else if (m.tag == KV_EXP_READY_GET)
		kv_exp_ready_close(kv_exp_send_found(m.get.ep, m.get.key));
	m = kv_exp_ready_recv(other);
	if (m.tag == KV_EXP_READY_QUIT)
		kv_exp_done_close(m.quit.ep);
	else if (m.tag == KV_EXP_READY_GET)
		kv_exp_ready_close(kv_exp_send_found(m.get.ep, m.get.key));
}
