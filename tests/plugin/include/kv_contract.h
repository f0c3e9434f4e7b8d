// SPDX-License-Identifier: MIT
// A hand-written stand-in for the header contractc generates for the `kv`
// contract of DESIGN.md (section 5), exporting side: one linear struct per
// endpoint state, send wrappers that consume the endpoint in one state and
// return it in the next, and a receive that returns a tagged message whose
// variants hold the payload and the endpoint in its next state.
#ifndef TEST_KV_CONTRACT_H
#define TEST_KV_CONTRACT_H

#include <isola/linear.h>

typedef struct ISOLA_LINEAR xh_bytes { int handle; } xh_bytes;
typedef struct ISOLA_LINEAR kv_exp_ready { int handle; } kv_exp_ready;
typedef struct ISOLA_LINEAR kv_exp_answering { int handle; } kv_exp_answering;
typedef struct ISOLA_LINEAR kv_exp_done { int handle; } kv_exp_done;

enum kv_exp_ready_tag { KV_GET, KV_QUIT, KV_CLOSED };

// The result of a receive in state `ready`: switch on `tag`, then take the
// fields of that message's variant.
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

struct kv_exp_ready_msg kv_exp_ready_recv(kv_exp_ready ep);
kv_exp_ready kv_exp_send_found(kv_exp_answering ep, xh_bytes value);
kv_exp_ready kv_exp_send_missing(kv_exp_answering ep);
void kv_exp_done_close(kv_exp_done ep);
void kv_exp_ready_close(kv_exp_ready ep);

// Exchange-heap blocks.
xh_bytes xh_alloc(unsigned long size);
void xh_free(xh_bytes b);
unsigned long xh_size(ISOLA_BORROWED xh_bytes b);
int kv_exp_ready_peer_alive(ISOLA_BORROWED kv_exp_ready ep);

#endif
