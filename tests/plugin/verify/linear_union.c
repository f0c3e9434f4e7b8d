// SPDX-License-Identifier: MIT
// CC008: messages whose variants are union members. Each member is a
// variant, selected by the tag; its handles must be consumed in its arm.
#include "union_msg.h"

union local_variants {
	tm_ready ep; // expected-error {{[CC003] union 'union local_variants' holds a linear handle in field 'ep'}}
	int raw;
};

void forgets_payload(tm_ready ep)
{
	struct tm_msg m = tm_recv(ep);
	switch (m.tag) {
	case TM_CLOSED:
		tm_drop(m.u.closed);
		break;
	case TM_TICK:
		tm_close(m.u.tick.ep);
		break;
	case TM_DATA:
		tm_close(m.u.data.ep);
		break; // the payload is still owned here
	}
} // expected-error {{[CC008] linear handle 'm.u.data.payload' is not consumed on every path before it goes out of scope}}

void forgets_closed(tm_ready ep)
{
	struct tm_msg m = tm_recv(ep);
	if (m.tag == TM_CLOSED)
		return; // expected-error {{[CC008] linear handle 'm.u.closed' is not consumed before it goes out of scope}}
	if (m.tag == TM_TICK) {
		tm_close(m.u.tick.ep);
		return;
	}
	if (m.tag == TM_DATA) {
		tm_free(m.u.data.payload);
		tm_close(m.u.data.ep);
	}
}

// Accepted: each arm consumes its own variant.
void handles_all(tm_ready ep)
{
	struct tm_msg m = tm_recv(ep);
	switch (m.tag) {
	case TM_CLOSED:
		tm_drop(m.u.closed);
		break;
	case TM_TICK:
		tm_close(m.u.tick.ep);
		break;
	case TM_DATA:
		tm_free(m.u.data.payload);
		tm_close(m.u.data.ep);
		break;
	}
}
