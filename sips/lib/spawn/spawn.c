// SPDX-License-Identifier: MIT
// The generic spawn rule and the ns requests of init and the shell (see
// spawn.h). The manifest is read line by line into fixed arrays; every
// endpoint made for the child is closed again if the spawn fails, so the
// name service sees the connection go away.
#include "spawn.h"

#include <isola/err.h>
#include <contracts/ns.h>
#include <sip/abi.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SPAWN_ARGS_MAX 1024     // the kernel's limit on an argument string
#define SPAWN_NAME_MAX 32       // a SIP name is at most 31 characters
#define SPAWN_MANIFEST_MAX 2048 // a manifest longer than this is refused
#define SPAWN_EPS_MAX 16        // at most 16 endpoint lines (docs/abi.md)
#define SPAWN_WORD_MAX 64

static const uint8_t ns_hash[32] = NS_CONTRACT_HASH;

// The words of one manifest line, cut to SPAWN_WORD_MAX - 1 characters.
struct spawn_line {
	char word[3][SPAWN_WORD_MAX];
	uint32_t n;
};

// What spawn_sip builds: the child's initial handles, in manifest order
// (endpoint lines, then hardware): a granted capability (0: none), or the
// key of a new ns end parked in the SIP's endpoint set (made: closed again
// on failure).
struct spawn_eps {
	uint32_t h[SPAWN_EPS_MAX + 1];
	bool made[SPAWN_EPS_MAX + 1];
	uint32_t n;
	bool serial; // the manifest says `hardware serial`
};

// A bytes block holding the n characters of s[0..n); its handle or -error.
static int32_t blk_from_str(const char *s, uint32_t n)
{
	int32_t b = n ? isola_blk_alloc(n, ISOLA_BLK_TYPE_BYTES) : -ERR_INVAL;

	if (b > 0)
		isola_blk_write((uint32_t)b, 0, s, n);
	return b;
}

// Whether ns can take a request now: open and idle. A name service that
// has ended must not be sent to: the send would leave ns waiting for an
// answer that never comes, and the next request would break the contract.
static bool ns_usable(uint32_t ns)
{
	struct isola_chan_info info;

	return rt_chan_info(ns, &info) == 0 && !info.closed && info.state == 0;
}

// Waits for the answer to a request that ends in ok or failed(code).
static int32_t ns_reply(uint32_t ns)
{
	int32_t code = 0;
	uint32_t msg = 0;

	if (rt_chan_recv(ns, &code, sizeof(code), &msg) != 0)
		return -ERR_CLOSED;
	if (msg == NS_MSG_OK)
		return 0;
	return code < 0 ? code : -ERR_INTERNAL;
}

int32_t spawn_ns_attach(uint32_t ns)
{
	uint32_t exp = 0, imp = 0;

	ns = isola_chan_expect(ns, ns_hash); // the verifier learns its contract
	if (!ns_usable(ns))
		return -ERR_CLOSED;
	int32_t err = rt_chan_create(ns_hash, &exp, &imp);

	if (err < 0)
		return err;
	// attach moves the exporting end; the payload is its handle.
	rt_chan_send(ns, NS_MSG_ATTACH, &exp, sizeof(exp));
	err = ns_reply(ns);
	if (err < 0) {
		rt_chan_close(imp);
		return err;
	}
	return (int32_t)imp;
}

int32_t spawn_ns_bind(uint32_t ns, const char *path, uint32_t client)
{
	int32_t b = ns_usable(ns) ? blk_from_str(path, (uint32_t)strlen(path)) : -ERR_CLOSED;

	if (b < 0) {
		rt_chan_close(client);
		return b;
	}
	uint32_t payload[2] = { (uint32_t)b, client }; // struct ns_bind

	ns = isola_chan_expect(ns, ns_hash); // the verifier learns its contract
	rt_chan_send(ns, NS_MSG_BIND, payload, sizeof(payload));
	return ns_reply(ns);
}

int32_t spawn_ns_list(uint32_t ns, SIP_COUNT(len) char *buf, uint32_t len)
{
	uint32_t text = 0, msg = 0;

	buf[0] = '\0';
	if (!ns_usable(ns))
		return -ERR_CLOSED;
	rt_chan_send(ns, NS_MSG_LIST, NULL, 0);
	if (rt_chan_recv(ns, &text, sizeof(text), &msg) != 0)
		return -ERR_CLOSED;
	int32_t n = isola_blk_len(text);
	uint32_t take = (uint32_t)n < len - 1 ? (uint32_t)n : len - 1;

	isola_blk_read(text, 0, buf, take);
	buf[take] = '\0';
	isola_blk_free(text);
	return n;
}

// Splits line[from..to) into at most three words; '#' starts a comment.
static void line_split(SIP_COUNT(n) const char *text, uint32_t n, uint32_t from, uint32_t to,
		       struct spawn_line *out)
{
	uint32_t len = 0;

	out->n = 0;
	for (uint32_t i = from; i < to && i < n && text[i] != '#'; i++) {
		bool space = text[i] == ' ' || text[i] == '\t' || text[i] == '\r';

		if (space && len) {
			out->word[out->n][len] = '\0';
			out->n++;
			len = 0;
		}
		if (space)
			continue;
		if (out->n == 3)
			return; // a fourth word: the caller sees three
		if (len < SPAWN_WORD_MAX - 1)
			out->word[out->n][len++] = text[i];
	}
	if (len && out->n < 3) {
		out->word[out->n][len] = '\0';
		out->n++;
	}
}

// Adds the endpoint one manifest line asks for; 0 or -error with msg set.
static int32_t eps_add(struct spawn_eps *eps, const struct spawn_line *l, uint32_t ns,
		       const struct spawn_grants *g, char *msg, uint32_t msg_len)
{
	const char *spec = l->word[2];
	uint32_t h = g->pm; // a procmgr line: the granted scope, or 0
	bool made = false;

	if (eps->n == SPAWN_EPS_MAX) {
		snprintf(msg, msg_len, "more than %d endpoints", SPAWN_EPS_MAX);
		return -ERR_LIMIT;
	}
	if (strcmp(spec, "ns.imp") == 0 || strcmp(spec, "ns.imp@idle") == 0) {
		int32_t err = ns ? spawn_ns_attach(ns) : -ERR_NOTFOUND;

		if (err < 0) {
			snprintf(msg, msg_len, "no connection to the name service (%d)",
				 (int)err);
			return err;
		}
		h = isola_eset_put((uint32_t)err);
		made = true;
	} else if (strcmp(spec, "procmgr") != 0) {
		snprintf(msg, msg_len, "cannot provide endpoint '%s' (%s)", l->word[1], spec);
		return -ERR_UNSUPPORTED;
	}
	eps->h[eps->n] = h;
	eps->made[eps->n] = made;
	eps->n++;
	return 0;
}

// Closes the ns ends made for a child that did not start.
static void eps_drop(const struct spawn_eps *eps)
{
	for (uint32_t i = 0; i < eps->n && i < SPAWN_EPS_MAX; i++)
		if (eps->made[i])
			rt_chan_close(isola_eset_take(eps->h[i], 0));
}

// Adds the hardware slots after the endpoints: the serial port, when the
// manifest asks for it, only if it was granted. 0 or -error with msg set.
static int32_t eps_hardware(struct spawn_eps *eps, const struct spawn_grants *g, char *msg,
			    uint32_t msg_len)
{
	if (!eps->serial)
		return 0;
	if (!g->serial) {
		snprintf(msg, msg_len, "it needs the serial port (hardware serial), "
				       "which was not granted");
		return -ERR_SIP_NOT_GRANTED;
	}
	eps->h[eps->n] = g->serial;
	eps->made[eps->n] = false;
	eps->n++;
	return 0;
}

// Builds the handles from the image's manifest; 0 or -error with msg set.
static int32_t eps_build(struct spawn_eps *eps, uint32_t img, uint32_t ns,
			 const struct spawn_grants *g, char *msg, uint32_t msg_len)
{
	static char text[SPAWN_MANIFEST_MAX];
	struct spawn_line l;
	int32_t n = isola_image_manifest(img, text, sizeof(text));
	uint32_t start = 0;

	eps->n = 0;
	eps->serial = false;
	if (n < 0 || (uint32_t)n > sizeof(text)) {
		snprintf(msg, msg_len, "manifest unreadable or too long");
		return n < 0 ? n : -ERR_LIMIT;
	}
	for (uint32_t i = 0; i <= (uint32_t)n; i++) {
		if (i < (uint32_t)n && text[i] != '\n')
			continue;
		line_split(text, sizeof(text), start, i, &l);
		start = i + 1;
		if (l.n == 2 && strcmp(l.word[0], "hardware") == 0 &&
		    strcmp(l.word[1], "serial") == 0)
			eps->serial = true;
		if (l.n == 0 || strcmp(l.word[0], "endpoint") != 0)
			continue;
		int32_t err = l.n == 3 ? eps_add(eps, &l, ns, g, msg, msg_len) : -ERR_SYNTAX;

		if (err == -ERR_SYNTAX)
			snprintf(msg, msg_len, "malformed endpoint line");
		if (err < 0) {
			eps_drop(eps);
			return err;
		}
	}
	int32_t err = eps_hardware(eps, g, msg, msg_len);

	if (err < 0)
		eps_drop(eps);
	return err;
}

// Why the kernel refused a spawn, in words (common/err.c has them all).
static const char *spawn_refusal(int32_t err)
{
	return isola_err_message((isola_err_t)-err);
}

bool spawn_rights(const char *text, uint32_t *rights, SIP_COUNT(bad_len) char *bad,
		  uint32_t bad_len)
{
	char r[SPAWN_WORD_MAX];
	uint32_t i = 0;

	*rights = 0;
	bad[0] = '\0';
	if (strlcpy(r, text, sizeof(r)) >= sizeof(r)) {
		strlcpy(bad, text, bad_len);
		return false;
	}
	while (r[i]) {
		uint32_t n = (uint32_t)strcspn(&r[i], ",");

		if (n == 2 && strncmp(&r[i], "pm", 2) == 0) {
			*rights |= SPAWN_RIGHT_PM;
		} else if (n == 6 && strncmp(&r[i], "serial", 6) == 0) {
			*rights |= SPAWN_RIGHT_SERIAL;
		} else {
			r[i + n] = '\0';
			strlcpy(bad, &r[i], bad_len);
			return false;
		}
		i += n + (r[i + n] == ',');
	}
	return true;
}

// The first word of args, the SIP's name; false when there is none or it
// is too long.
static bool name_of(const char *args, SIP_COUNT(len) char *name, uint32_t len)
{
	uint32_t n = (uint32_t)strcspn(args, " ");

	if (n == 0 || n >= len)
		return false;
	memcpy(name, args, n);
	name[n] = '\0';
	return true;
}

int32_t spawn_sip(uint32_t ns, uint32_t pm, const struct spawn_grants *g, const char *args,
		  SIP_COUNT(msg_len) char *msg, uint32_t msg_len)
{
	static char diag[256];
	char name[SPAWN_NAME_MAX];
	struct spawn_eps eps;
	uint32_t alen = (uint32_t)strnlen(args, SPAWN_ARGS_MAX + 1);

	msg[0] = '\0';
	if (alen > SPAWN_ARGS_MAX || !name_of(args, name, sizeof(name))) {
		snprintf(msg, msg_len, "bad name or arguments too long");
		return -ERR_INVAL;
	}
	diag[0] = '\0';
	int32_t img = isola_image_open(pm, name, (uint32_t)strlen(name), diag, sizeof(diag));

	if (img < 0) {
		snprintf(msg, msg_len, "%s", img == -ERR_NOTFOUND ? "no such SIP" : diag);
		return img;
	}
	int32_t id = eps_build(&eps, (uint32_t)img, ns, g, msg, msg_len);

	if (id == 0) {
		id = isola_proc_spawn((uint32_t)img, args, alen, eps.h, eps.n);
		if (id < 0) {
			snprintf(msg, msg_len, "the kernel refused to start it: %s (error %d)",
				 spawn_refusal(id), (int)-id);
			eps_drop(&eps);
		}
	}
	isola_image_close((uint32_t)img);
	return id;
}
