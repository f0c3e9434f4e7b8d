// SPDX-License-Identifier: MIT
// Compiled (not run) for the host and for wasm32 against the headers
// contractc generates from channels/contracts/: a client and a service
// written the way a SIP would, so the typed wrappers must type-check.
// With -DBAD_ORDER one line sends out of order and must not compile.
#include "kv.h"
#include "naming.h"
#include "timer.h"

int kv_client(struct kv_imp_ready ep, struct isola_bytes key);
int kv_serve(struct kv_exp_ready ep);
void timer_client(struct timer_imp t);
void naming_lookup(struct naming_imp_idle ns, struct isola_bytes name);

int kv_client(struct kv_imp_ready ep, struct isola_bytes key)
{
	struct kv_imp_answering a = kv_imp_ready_send_get(ep, key);
#ifdef BAD_ORDER
	a = kv_imp_ready_send_get(a, key); // a is in state answering, not ready
#endif
	struct kv_imp_answering_recv r = kv_imp_answering_recv(a);
	switch (r.tag) {
	case KV_IMP_ANSWERING_FOUND:
		rt_chan_close(r.u.found.msg.value.h);
		kv_imp_done_close(kv_imp_ready_send_quit(r.u.found.ep));
		return 1;
	case KV_IMP_ANSWERING_MISSING:
		kv_imp_done_close(kv_imp_ready_send_quit(r.u.missing.ep));
		return 0;
	case KV_IMP_ANSWERING_CLOSED:
		isola_closed_drop(r.u.closed);
		return -1;
	}
	return -1;
}

int kv_serve(struct kv_exp_ready ep)
{
	for (;;) {
		struct kv_exp_ready_recv r = kv_exp_ready_recv(ep);
		switch (r.tag) {
		case KV_EXP_READY_GET:
			ep = kv_exp_answering_send_missing(r.u.get.ep);
			rt_chan_close(r.u.get.msg.key.h);
			break;
		case KV_EXP_READY_PUT:
			rt_chan_close(r.u.put.msg.key.h);
			ep = kv_exp_storing_send_stored(r.u.put.ep);
			rt_chan_close(r.u.put.msg.value.h);
			break;
		case KV_EXP_READY_QUIT:
			kv_exp_done_close(r.u.quit.ep);
			return 0;
		case KV_EXP_READY_CLOSED:
			isola_closed_drop(r.u.closed);
			return -1;
		}
	}
}

void timer_client(struct timer_imp t)
{
	t = timer_imp_send_set_timeout(t, 1000);
	t = timer_imp_send_get_remaining(t);
	struct timer_imp_recv r = timer_imp_recv(t);
	if (r.tag == TIMER_IMP_REMAINING)
		timer_imp_close(timer_imp_send_cancel_timeout(r.u.remaining.ep));
	else if (r.tag == TIMER_IMP_WAKEUP)
		timer_imp_close(r.u.wakeup.ep);
	else if (r.tag == TIMER_IMP_CLOSED)
		isola_closed_drop(r.u.closed);
	else
		timer_imp_close(r.u.set_timeout.ep);
}

void naming_lookup(struct naming_imp_idle ns, struct isola_bytes name)
{
	struct naming_name_info hint = { 1, { 0 } };
	struct naming_imp_looking l = naming_imp_idle_send_lookup(ns, name, hint);
	struct naming_imp_looking_recv r = naming_imp_looking_recv(l);
	if (r.tag == NAMING_IMP_LOOKING_CONNECT) {
		kv_client(r.u.connect.msg.client, (struct isola_bytes){ 0 });
		naming_imp_idle_close(r.u.connect.ep);
	} else if (r.tag == NAMING_IMP_LOOKING_NOT_FOUND) {
		naming_imp_idle_close(r.u.not_found.ep);
	} else {
		isola_closed_drop(r.u.closed);
	}
}
