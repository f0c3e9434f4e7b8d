// SPDX-License-Identifier: MIT
// A hand-written stand-in for the header contractc generates for the `kv`
// contract (exporting side, a subset of its messages), in the same shape:
// one linear struct per endpoint state, inline send wrappers that consume an
// endpoint in one state and return it in the next, and a receive that
// returns a tag and one variant per message, holding the endpoint in its
// next state and the payload. The inline functions wrap raw
// handles the way generated code does; sipcheck trusts included headers.
#ifndef TEST_KV_CONTRACT_H
#define TEST_KV_CONTRACT_H

#include <isola/linear.h>

typedef struct ISOLA_LINEAR xh_bytes { unsigned h; } xh_bytes;
typedef struct ISOLA_LINEAR kv_exp_ready { unsigned h; } kv_exp_ready;
typedef struct ISOLA_LINEAR kv_exp_answering { unsigned h; } kv_exp_answering;
typedef struct ISOLA_LINEAR kv_exp_done { unsigned h; } kv_exp_done;

struct kv_get { xh_bytes key; };
struct kv_found { xh_bytes value; };

enum kv_exp_ready_tag {
	KV_EXP_READY_CLOSED = 0,
	KV_EXP_READY_GET,
	KV_EXP_READY_QUIT,
};

// Switch on tag, then take the fields of that message's variant.
// KV_EXP_READY_CLOSED: the peer has closed; the endpoint is released.
struct kv_exp_ready_msg {
	enum kv_exp_ready_tag tag;
	struct {
		kv_exp_answering ep;
		xh_bytes key;
	} get;
	struct {
		kv_exp_done ep;
	} quit;
};

// The runtime's raw channel calls (libsip).
int rt_chan_send(unsigned ep, unsigned msg, const void *payload, unsigned size);
int rt_chan_recv(unsigned ep, void *buf, unsigned size, unsigned *msg);
void rt_chan_close(unsigned ep);

static inline struct kv_exp_ready_msg kv_exp_ready_recv(kv_exp_ready ep_)
{
	struct kv_exp_ready_msg r_;
	union {
		char none_;
		struct kv_get get;
	} buf_;
	unsigned id_ = 0;
	__builtin_memset(&r_, 0, sizeof(r_));
	if (rt_chan_recv(ep_.h, &buf_, sizeof(buf_), &id_) != 0) {
		rt_chan_close(ep_.h);
		r_.tag = KV_EXP_READY_CLOSED;
		return r_;
	}
	switch (id_) {
	case 1:
		r_.tag = KV_EXP_READY_GET;
		r_.get.ep = (kv_exp_answering){ep_.h};
		r_.get.key = buf_.get.key;
		break;
	case 2:
		r_.tag = KV_EXP_READY_QUIT;
		r_.quit.ep = (kv_exp_done){ep_.h};
		break;
	default:
		__builtin_trap();
	}
	return r_;
}

static inline kv_exp_ready kv_exp_send_found(kv_exp_answering ep_,
					     xh_bytes value)
{
	struct kv_found m_;
	m_.value = value;
	(void)rt_chan_send(ep_.h, 3, &m_, sizeof(m_));
	return (kv_exp_ready){ep_.h};
}

static inline kv_exp_ready kv_exp_send_missing(kv_exp_answering ep_)
{
	(void)rt_chan_send(ep_.h, 4, 0, 0);
	return (kv_exp_ready){ep_.h};
}

static inline void kv_exp_done_close(kv_exp_done ep_)
{
	rt_chan_close(ep_.h);
}

static inline void kv_exp_ready_close(kv_exp_ready ep_)
{
	rt_chan_close(ep_.h);
}

// Exchange-heap blocks (libsip).
xh_bytes xh_alloc(unsigned long size);
void xh_free(xh_bytes b);
unsigned long xh_size(ISOLA_BORROWED xh_bytes b);
int kv_exp_ready_peer_alive(ISOLA_BORROWED kv_exp_ready ep);

#endif
