// SPDX-License-Identifier: MIT
// stdout's destination. On first use libsip binds "/svc/console" through
// the name service: it makes a console channel, sends the exporting end
// with ns.bind and keeps the importing end if the answer is ok, parked in
// the SIP's endpoint set (a handle kept in a global is one the verifier
// cannot follow). Each flush takes it out for one write(text) answered
// by written. Without an ns endpoint, a
// failed bind or a closed console, text goes to the kernel log instead,
// one isola_log call per line.
#include "rt.h"
#include "sip_internal.h"

#include <console.h>
#include <ns.h>
#include <sip/abi.h>
#include <sip/sip.h>

#define LOG_LINE_MAX 199 // the kernel cuts longer log lines
#define CONSOLE_PATH "/svc/console"

enum link_state { LINK_UNTRIED, LINK_BOUND, LINK_NONE };

static struct {
	enum link_state ns;   // checked (BOUND: usable), or not yet
	uint32_t ns_handle;   // the initial ns endpoint (never parked)
	bool adopted;	      // sip_ns_adopt has been called: ns_key is used
	uint32_t ns_key;      // the adopted ns end's key; 0 while it is taken
	enum link_state console;
	uint32_t key; // the console end's, while console == LINK_BOUND
} link;

static const uint8_t ns_hash[32] = NS_CONTRACT_HASH;
static const uint8_t console_hash[32] = CONSOLE_CONTRACT_HASH;

static bool is_ns_endpoint(uint32_t h)
{
	struct isola_chan_info info;

	if (rt_chan_info(h, &info) != 0)
		return false;
	// Side 1: the importing end; state 0: idle, the initial state.
	return rt_memcmp(info.hash, ns_hash, sizeof(ns_hash)) == 0 && info.side == 1 &&
	       info.state == 0 && !info.closed;
}

uint32_t sip_ns(void)
{
	if (link.ns == LINK_UNTRIED) {
		uint32_t h = sip_ns_endpoint;

		link.ns = h && is_ns_endpoint(h) ? LINK_BOUND : LINK_NONE;
		link.ns_handle = link.ns == LINK_BOUND ? h : 0;
	}
	return link.ns == LINK_BOUND ? link.ns_handle : 0;
}

uint32_t sip_ns_take(void)
{
	if (!link.adopted)
		return sip_ns();
	uint32_t key = link.ns_key;

	link.ns_key = 0;
	return key ? isola_eset_take(key, ns_hash) : 0;
}

void sip_ns_give(uint32_t ns)
{
	struct isola_chan_info info;

	if (!link.adopted || !ns || link.ns_key)
		return;
	// A name service that has gone leaves the end half way through a
	// request: no one may use it again.
	if (rt_chan_info(ns, &info) != 0 || info.closed)
		rt_chan_close(ns);
	else
		link.ns_key = isola_eset_put(ns);
}

void sip_ns_adopt(uint32_t ns)
{
	uint32_t old = link.adopted && link.ns_key ? isola_eset_take(link.ns_key, 0) : 0;

	rt_chan_close(old);
	link.adopted = true;
	link.ns_key = isola_eset_put(ns);
}

void rt_console_forget(uint32_t h)
{
	uint32_t ns = link.ns == LINK_UNTRIED ? sip_ns_endpoint : link.ns_handle;
	if (h && h == ns) {
		link.ns = LINK_NONE;
		link.ns_handle = 0;
	}
}

// Sends ns.bind(path, client) and waits for the answer; 0 on ok. *gone
// says the name service has gone (the receive has closed ns).
static int32_t ns_bind(uint32_t ns, struct isola_endpoint client, bool *gone)
{
	struct sip_bytes_made path = sip_bytes_from_str(CONSOLE_PATH);

	if (path.err) {
		rt_chan_close(client.h);
		return path.err;
	}
	struct ns_imp_idle idle = { ns };
	struct ns_imp_replying_msg m =
		ns_imp_replying_recv(ns_imp_idle_send_bind(idle, path.bytes, client));

	switch (m.tag) {
	case NS_IMP_REPLYING_OK:
		return 0;
	case NS_IMP_REPLYING_FAILED:
		return m.failed.code < 0 ? m.failed.code : -1;
	case NS_IMP_REPLYING_CLOSED:
		// The receive has released the handle: there is no ns any more.
		link.ns = LINK_NONE;
		link.ns_handle = 0;
		*gone = true;
		return -1;
	}
	return -1;
}

static void console_bind(void)
{
	uint32_t ns = sip_ns_take();
	struct console_pair p;

	link.console = LINK_NONE;
	if (!ns)
		return;
	ns = isola_chan_expect(ns, ns_hash); // checked: is_ns_endpoint
	p = console_create();
	bool gone = false;
	int32_t err = p.err ? p.err : ns_bind(ns, console_exp_ready_to_any(p.exp), &gone);

	if (err == 0) {
		link.key = isola_eset_put(p.imp.h);
		link.console = LINK_BOUND;
	} else {
		console_imp_ready_close(p.imp);
	}
	if (!gone)
		sip_ns_give(ns);
}

// One write/written exchange; false when the console is gone.
static bool console_send(const char *text, size_t n)
{
	struct sip_bytes_made b = sip_bytes_make(text, (uint32_t)n);

	if (b.err) {
		sip_bytes_free(b.bytes);
		return false;
	}
	struct console_imp_ready ep = { isola_eset_take(link.key, console_hash) };
	struct console_imp_writing_msg m =
		console_imp_writing_recv(console_imp_ready_send_write(ep, b.bytes));

	if (m.tag == CONSOLE_IMP_WRITING_WRITTEN) {
		link.key = isola_eset_put(m.written.ep.h);
		return true;
	}
	link.console = LINK_NONE; // the receive has closed the end
	return false;
}

static void log_lines(const char *text, size_t n)
{
	while (n) {
		const char *nl = rt_memchr(text, '\n', n);
		size_t line = nl ? (size_t)(nl - text) : n;
		size_t part = line < LOG_LINE_MAX ? line : LOG_LINE_MAX;

		isola_log(text, (int32_t)part);
		// A newline that ends a piece is consumed with it.
		if (part == line && nl)
			part++;
		text += part;
		n -= part;
	}
}

void rt_console_write(const char *text, size_t n)
{
	if (link.console == LINK_UNTRIED)
		console_bind();
	if (link.console == LINK_BOUND && console_send(text, n))
		return;
	log_lines(text, n);
}
