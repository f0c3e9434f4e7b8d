// SPDX-License-Identifier: MIT
// Compiled (not run) for the host and for wasm32 against the headers
// contractc generates from channels/contracts/ and alltypes.contract
// (every payload type; its wrappers are compiled even though unused): a
// client and a service written the way a SIP would.
// With -DBAD_ORDER one line sends out of order and must not compile.
#include "alltypes.h"
#include "console.h"
#include "kv.h"
#include "naming.h"
#include "ns.h"
#include "provider.h"
#include "timer.h"

// Stands in for libsip's release of a block handle.
void drop_block(struct isola_bytes b);
int kv_client(struct kv_imp_ready ep, struct isola_bytes key);
int kv_serve(struct kv_exp_ready ep);
void timer_client(struct timer_imp t);
void naming_lookup(struct naming_imp_idle ns, struct isola_bytes name);
int serve_two(struct kv_exp_ready a, struct timer_exp t);
int bind_kv(struct ns_imp_idle ns, struct isola_bytes path, struct kv_imp_ready kv);
int accept_kv(struct provider_exp p);

int kv_client(struct kv_imp_ready ep, struct isola_bytes key)
{
	struct kv_imp_answering a = kv_imp_ready_send_get(ep, key);
#ifdef BAD_ORDER
	a = kv_imp_ready_send_get(a, key); // a is in state answering, not ready
#endif
	struct kv_imp_answering_msg r = kv_imp_answering_recv(a);
	switch (r.tag) {
	case KV_IMP_ANSWERING_FOUND:
		drop_block(r.found.value);
		kv_imp_done_close(kv_imp_ready_send_quit(r.found.ep));
		return 1;
	case KV_IMP_ANSWERING_MISSING:
		kv_imp_done_close(kv_imp_ready_send_quit(r.missing.ep));
		return 0;
	case KV_IMP_ANSWERING_CLOSED:
		return -1;
	}
	return -1;
}

int kv_serve(struct kv_exp_ready ep)
{
	for (;;) {
		struct kv_exp_ready_msg r = kv_exp_ready_recv(ep);
		switch (r.tag) {
		case KV_EXP_READY_GET:
			ep = kv_exp_answering_send_missing(r.get.ep);
			drop_block(r.get.key);
			break;
		case KV_EXP_READY_PUT:
			drop_block(r.put.key);
			ep = kv_exp_storing_send_stored(r.put.ep);
			drop_block(r.put.value);
			break;
		case KV_EXP_READY_QUIT:
			kv_exp_done_close(r.quit.ep);
			return 0;
		case KV_EXP_READY_CLOSED:
			return -1;
		}
	}
}

void timer_client(struct timer_imp t)
{
	t = timer_imp_send_set_timeout(t, 1000);
	t = timer_imp_send_get_remaining(t);
	struct timer_imp_msg r = timer_imp_recv(t);
	if (r.tag == TIMER_IMP_REMAINING)
		timer_imp_close(timer_imp_send_cancel_timeout(r.remaining.ep));
	else if (r.tag == TIMER_IMP_WAKEUP)
		timer_imp_close(r.wakeup.ep);
	else if (r.tag != TIMER_IMP_CLOSED)
		timer_imp_close(r.set_timeout.ep);
}

void naming_lookup(struct naming_imp_idle ns, struct isola_bytes name)
{
	struct naming_name_info hint = { 1, { 0 } };
	struct naming_imp_looking l = naming_imp_idle_send_lookup(ns, name, hint);
	struct naming_imp_looking_msg r = naming_imp_looking_recv(l);
	if (r.tag == NAMING_IMP_LOOKING_CONNECT) {
		kv_client(r.connect.client, (struct isola_bytes){ 0 });
		naming_imp_idle_close(r.connect.ep);
	} else if (r.tag == NAMING_IMP_LOOKING_NOT_FOUND) {
		naming_imp_idle_close(r.not_found.ep);
	}
}

// Waits on two endpoints at once, then receives on the one that is ready.
int serve_two(struct kv_exp_ready a, struct timer_exp t)
{
	uint32_t hs[2] = { kv_exp_ready_handle(a), timer_exp_handle(t) };
	uint32_t which = 0;
	if (rt_chan_select(hs, 2, &which) != 0)
		which = 0;
	if (which == 0) {
		timer_exp_close(t);
		return kv_serve(a);
	}
	struct timer_exp_msg m = timer_exp_recv(t);
	kv_exp_ready_close(a);
	if (m.tag == TIMER_EXP_SET_TIMEOUT)
		timer_exp_close(m.set_timeout.ep);
	else if (m.tag == TIMER_EXP_CANCEL_TIMEOUT)
		timer_exp_close(m.cancel_timeout.ep);
	return 1;
}

// A client binds a path with one end of its kv channel, passed as any
// endpoint; the name service only forwards it.
int bind_kv(struct ns_imp_idle ns, struct isola_bytes path, struct kv_imp_ready kv)
{
	struct ns_imp_replying r = ns_imp_idle_send_bind(ns, path, kv_imp_ready_to_any(kv));
	struct ns_imp_replying_msg m = ns_imp_replying_recv(r);
	switch (m.tag) {
	case NS_IMP_REPLYING_OK:
		ns_imp_idle_close(m.ok.ep);
		return 0;
	case NS_IMP_REPLYING_FAILED:
		ns_imp_idle_close(m.failed.ep);
		return -1;
	case NS_IMP_REPLYING_CLOSED:
		return -1;
	}
	return -1;
}

// The service takes the connection back as the kv end it expects.
int accept_kv(struct provider_exp p)
{
	struct provider_exp_msg m = provider_exp_recv(p);
	if (m.tag != PROVIDER_EXP_CONNECT)
		return -1;
	provider_exp_close(m.connect.ep);
	struct kv_exp_ready_cast c = kv_exp_ready_from_any(m.connect.client);
	if (c.err != 0)
		return c.err;
	return kv_serve(c.ep);
}
