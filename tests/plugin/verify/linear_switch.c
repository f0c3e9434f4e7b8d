// SPDX-License-Identifier: MIT
// CC007/CC008: switch over a receive's result. A receive consumes the
// endpoint and returns a tagged message; taking any field of a message's
// variant hands the function every handle of that variant.
#include "kv_contract.h"

void forgets_the_key(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	switch (m.tag) {
	case KV_EXP_READY_GET: {
		kv_exp_ready next = kv_exp_send_missing(m.get.ep);
		kv_exp_ready_close(next);
		break;
	}
	case KV_EXP_READY_QUIT:
		kv_exp_done_close(m.quit.ep);
		break;
	case KV_EXP_READY_CLOSED:
		break;
	}
} // expected-error {{[CC008] linear handle 'm.get.key' is not consumed on every path before it goes out of scope}}

void receive_consumes_the_endpoint(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep); // expected-note {{'ep' was consumed here}}
	switch (m.tag) {
	case KV_EXP_READY_QUIT:
		kv_exp_done_close(m.quit.ep);
		kv_exp_ready_close(ep); // expected-error {{[CC007] linear handle 'ep' used after it was consumed}}
		return;
	case KV_EXP_READY_GET:
		xh_free(m.get.key);
		kv_exp_ready_close(kv_exp_send_missing(m.get.ep));
		return;
	case KV_EXP_READY_CLOSED:
		return;
	}
}

void takes_a_field_twice(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	switch (m.tag) {
	case KV_EXP_READY_GET:
		xh_free(m.get.key); // expected-note {{'m.get.key' was consumed here}}
		xh_free(m.get.key); // expected-error {{[CC007] linear handle 'm.get.key' used after it was consumed}}
		kv_exp_ready_close(kv_exp_send_missing(m.get.ep));
		break;
	case KV_EXP_READY_QUIT:
		kv_exp_done_close(m.quit.ep);
		break;
	case KV_EXP_READY_CLOSED:
		break;
	}
}

void default_arm_leaks(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	switch (m.tag) {
	case KV_EXP_READY_GET:
		xh_free(m.get.key);
		kv_exp_ready_close(kv_exp_send_missing(m.get.ep));
		return;
	default:
		return; // expected-error {{[CC008] linear handle 'm.quit.ep' is not consumed before it goes out of scope}}
	}
}

void not_equal_leaks(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	if (m.tag != KV_EXP_READY_QUIT)
		return; // expected-error {{[CC008] linear handle 'm.get.ep' is not consumed before it goes out of scope}} \
		           expected-error {{[CC008] linear handle 'm.get.key' is not consumed before it goes out of scope}}
	kv_exp_done_close(m.quit.ep);
}

void leaks_the_next_state(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	if (m.tag == KV_EXP_READY_QUIT)
		kv_exp_done_close(m.quit.ep);
	if (m.tag != KV_EXP_READY_GET)
		return;
	xh_bytes key = m.get.key;
	kv_exp_answering a = m.get.ep;
	xh_free(key);
} // expected-error {{[CC008] linear handle 'a' is not consumed before it goes out of scope}}

void ignores_quit(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	switch (m.tag) {
	case KV_EXP_READY_GET:
		xh_free(m.get.key);
		kv_exp_ready_close(kv_exp_send_missing(m.get.ep));
		break;
	case KV_EXP_READY_QUIT:
		break;
	case KV_EXP_READY_CLOSED:
		break;
	}
} // expected-error {{[CC008] linear handle 'm.quit.ep' is not consumed on every path before it goes out of scope}}

int returns_on_quit(kv_exp_ready ep)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	if (m.tag == KV_EXP_READY_QUIT)
		return 0; // expected-error {{[CC008] linear handle 'm.quit.ep' is not consumed before it goes out of scope}}
	if (m.tag != KV_EXP_READY_GET)
		return 1;
	xh_free(m.get.key);
	return 2; // expected-error {{[CC008] linear handle 'm.get.ep' is not consumed before it goes out of scope}}
}

// Accepted: each case takes and consumes its variant's handles.
int serve_one(kv_exp_ready ep, xh_bytes value)
{
	struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
	switch (m.tag) {
	case KV_EXP_READY_GET: {
		xh_bytes key = m.get.key;
		xh_free(key);
		kv_exp_ready_close(kv_exp_send_found(m.get.ep, value));
		return 1;
	}
	case KV_EXP_READY_QUIT:
		kv_exp_done_close(m.quit.ep);
		break;
	case KV_EXP_READY_CLOSED:
		break;
	}
	xh_free(value);
	return 0;
}
