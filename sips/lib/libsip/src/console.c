// SPDX-License-Identifier: MIT
// stdout's destination. On first use libsip binds "/svc/console" through
// the name service (ns.c): it makes a console channel, sends the exporting
// end with ns.bind and keeps the importing end if the answer is ok, parked
// in the SIP's endpoint set (a handle kept in a global is one the verifier
// cannot follow). Each flush takes it out for one write(text) answered by
// written. Without an ns endpoint, a failed bind or a closed console, text
// goes to the kernel log instead, one isola_log call per line; a console
// that closed is bound again at each write, so text returns to it once it
// has been started again. The log gets whole lines (log_text).
#include "rt.h"
#include "sip_internal.h"

#include <contracts/console.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <string.h>

#define LOG_LINE_MAX 199 // the kernel cuts longer log lines
#define CONSOLE_PATH "/svc/console"

enum link_state { LINK_UNTRIED, LINK_BOUND, LINK_NONE };

static struct {
	enum link_state console;
	uint32_t key; // the console end's, while console == LINK_BOUND
	bool lost;    // it was bound and has closed: bind again on each write
} link;

static const uint8_t console_hash[32] = CONSOLE_CONTRACT_HASH;

// Binds /svc/console through the name service (ns.c); parks the
// importing end on ok.
static void console_bind(void)
{
	struct console_pair p = console_create();

	link.console = LINK_NONE;
	if (p.err != 0) {
		console_exp_ready_close(p.exp);
		console_imp_ready_close(p.imp);
		return;
	}
	if (rt_ns_request(false, CONSOLE_PATH, console_exp_ready_to_any(p.exp).h) != 0) {
		console_imp_ready_close(p.imp);
		return;
	}
	link.key = isola_eset_put(p.imp.h);
	link.console = LINK_BOUND;
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
	link.lost = true;
	return false;
}

// The kernel log takes whole lines: text without a newline waits in
// `pending` for the rest of its line (or until it holds LOG_LINE_MAX
// bytes, or the SIP ends), so pieces written apart make one line.
static char pending[LOG_LINE_MAX];
static size_t npending;

void rt_console_flush_log(void)
{
	if (npending)
		isola_log(pending, (int32_t)npending);
	npending = 0;
}

static void log_text(const char *text, size_t n)
{
	while (n) {
		const char *nl = memchr(text, '\n', n);
		size_t line = nl ? (size_t)(nl - text) : n;
		size_t room = LOG_LINE_MAX - npending;
		size_t part = line < room ? line : room;

		memcpy(pending + npending, text, part);
		npending += part;
		text += part;
		n -= part;
		if (part == line && nl) {
			text++; // the newline ends the line
			n--;
			rt_console_flush_log();
		} else if (npending == LOG_LINE_MAX) {
			rt_console_flush_log();
		}
	}
}

void rt_console_write(const char *text, size_t n)
{
	if (link.console == LINK_UNTRIED)
		console_bind();
	if (link.console == LINK_BOUND) {
		rt_console_flush_log(); // what the log held comes first
		if (console_send(text, n))
			return;
	}
	// A console that went away may have been started again (init
	// restarts it): bind anew while it is lost, else the kernel log.
	if (link.lost) {
		console_bind();
		link.lost = link.console != LINK_BOUND;
		if (!link.lost && console_send(text, n))
			return;
	}
	log_text(text, n);
}
