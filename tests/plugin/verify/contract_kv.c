// SPDX-License-Identifier: MIT
// The linear rules against the header contractc generates for
// channels/contracts/kv.contract (built into the build tree): its inline
// wrappers are trusted, the SIP's use of the handles is checked.
#include <contracts/kv.h>

void xh_free(struct isola_bytes b);
struct isola_bytes lookup(ISOLA_BORROWED struct isola_bytes key);

void serve_forgets_value(struct kv_exp_ready ep)
{
	for (;;) {
		struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
		switch (m.tag) {
		case KV_EXP_READY_CLOSED:
			return;
		case KV_EXP_READY_GET: {
			struct isola_bytes v = lookup(m.get.key);
			xh_free(m.get.key);
			ep = kv_exp_answering_send_found(m.get.ep, v);
			break;
		}
		case KV_EXP_READY_PUT:
			xh_free(m.put.key);
			ep = kv_exp_storing_send_stored(m.put.ep);
			break;
		case KV_EXP_READY_QUIT:
			kv_exp_done_close(m.quit.ep);
			return;
		}
	} // expected-error {{[CC008] linear handle 'm.put.value' is not consumed on every path before it goes out of scope}}
}

void reply_twice(struct kv_exp_answering ep)
{
	struct kv_exp_ready r = kv_exp_answering_send_missing(ep); // expected-note {{'ep' was sent here}}
	kv_exp_ready_close(r);
	kv_exp_answering_close(ep); // expected-error {{[CC007] linear handle 'ep' used after it was sent}}
}

// Accepted: a service loop and a client that close what they hold.
void serve(struct kv_exp_ready ep)
{
	for (;;) {
		struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
		switch (m.tag) {
		case KV_EXP_READY_CLOSED:
			return;
		case KV_EXP_READY_GET: {
			struct isola_bytes v = lookup(m.get.key);
			xh_free(m.get.key);
			ep = kv_exp_answering_send_found(m.get.ep, v);
			break;
		}
		case KV_EXP_READY_PUT:
			xh_free(m.put.key);
			xh_free(m.put.value);
			ep = kv_exp_storing_send_stored(m.put.ep);
			break;
		case KV_EXP_READY_QUIT:
			kv_exp_done_close(m.quit.ep);
			return;
		}
	}
}

int client(struct isola_bytes key)
{
	struct kv_pair p = kv_create();
	serve(p.exp);
	struct kv_imp_answering a = kv_imp_ready_send_get(p.imp, key);
	struct kv_imp_answering_msg r = kv_imp_answering_recv(a);
	switch (r.tag) {
	case KV_IMP_ANSWERING_CLOSED:
		return -1;
	case KV_IMP_ANSWERING_FOUND:
		xh_free(r.found.value);
		kv_imp_ready_close(r.found.ep);
		return 1;
	case KV_IMP_ANSWERING_MISSING:
		kv_imp_ready_close(r.missing.ep);
		return 0;
	}
	return -1;
}

// Parking: a key is a plain number, kept in an array; the endpoint it
// stands for is gone from the code until it is unparked.
static uint32_t parked[4];

void park_then_use(struct kv_imp_ready ep)
{
	parked[0] = kv_imp_ready_park(ep); // expected-note {{'ep' was consumed here}}
	kv_imp_ready_close(ep); // expected-error {{[CC007] linear handle 'ep' used after it was consumed}}
}

void unpark_and_forget(uint32_t i)
{
	struct kv_imp_ready_cast c = kv_imp_ready_unpark(parked[i & 3]);
	(void)c.err;
} // expected-error {{[CC008] linear handle 'c.ep' is not consumed before it goes out of scope; send, free or return it}}

// Accepted: clients parked by key, each taken back for one exchange.
void park_many(struct kv_imp_ready a, struct kv_imp_ready b)
{
	parked[0] = kv_imp_ready_park(a);
	parked[1] = kv_imp_ready_park(b);
}

void close_parked(uint32_t i)
{
	struct kv_imp_ready_cast c = kv_imp_ready_unpark(parked[i & 3]);
	kv_imp_ready_close(c.ep); // handle 0 after a mismatch: closing it is allowed
}
