// SPDX-License-Identifier: MIT
// The shell's console link (sh.h). Two connections to /svc/console, both
// parked in the endpoint set: one to print and read lines (with the words
// Tab completes from), one that stays armed with `watch` so a Ctrl-C
// reaches the shell while a SIP runs in the foreground or the shell
// sleeps. Waits go in slices of SH_SLICE_NS with a look at the watcher in
// between, so Ctrl-C ends them within a slice.
#include "sh.h"

#include <contracts/console.h>
#include <sip/sip.h>
#include <stdio.h>
#include <string.h>

#include <spawn/spawn.h>

#define SH_SLICE_NS 50000000LL // 50 ms
#define SH_WORDS_TEXT 2048     // the completion list: prompt, then words

static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;

static struct {
	uint32_t con;   // key: the connection to read and print, state ready
	uint32_t watch; // key: the Ctrl-C connection
	bool armed;     // the watcher is in state watching
	char words[SH_WORDS_TEXT];
	uint32_t nwords; // bytes of words[] (each word ends with '\n')
} term;

// Binds /svc/console for one more connection; its key, or 0.
static uint32_t bind_console(void)
{
	uint32_t exp = 0, imp = 0;

	if (rt_chan_create(hash, &exp, &imp) != 0)
		return 0;
	if (spawn_ns_bind(SH_NS, "/svc/console", exp) != 0) {
		rt_chan_close(imp);
		return 0;
	}
	return isola_eset_put(imp);
}

static void arm(void);

bool sh_term_open(void)
{
	term.con = bind_console();
	term.watch = term.con ? bind_console() : 0;
	arm(); // from now on, a Ctrl-C while anything but the prompt reads counts
	return term.con && term.watch;
}

void sh_term_word(const char *word)
{
	uint32_t n = (uint32_t)strlen(word);

	if (n == 0 || term.nwords + n + 1 > SH_WORDS_TEXT)
		return;
	strlcpy(&term.words[term.nwords], word, SH_WORDS_TEXT - term.nwords);
	term.nwords += n;
	term.words[term.nwords++] = '\n';
}

// The completion list for this read: the prompt line, then the words.
static int32_t words_block(const char *prompt)
{
	static char text[SH_WORDS_TEXT + SH_LINE_MAX + 2];
	uint32_t n = (uint32_t)strlcpy(text, prompt, sizeof(text) - 1);

	text[n++] = '\n';
	for (uint32_t i = 0; i < term.nwords && n < sizeof(text); i++)
		text[n++] = term.words[i];
	int32_t blk = isola_blk_alloc(n, ISOLA_BLK_TYPE_BYTES);

	if (blk > 0)
		isola_blk_write((uint32_t)blk, 0, text, n);
	return blk;
}

int32_t sh_term_read(const char *prompt, SIP_COUNT(size) char *line, uint32_t size)
{
	uint32_t text = 0, msg = 0;

	printf("%s", prompt);
	sip_flush();
	int32_t words = words_block(prompt);
	uint32_t con = isola_eset_take(term.con, hash);

	if (words > 0)
		rt_chan_send(con, CONSOLE_MSG_READ_LINE_COMPLETING, &words, sizeof(words));
	else
		rt_chan_send(con, CONSOLE_MSG_READ_LINE, NULL, 0);
	int32_t gone = rt_chan_recv(con, &text, sizeof(text), &msg);

	term.con = isola_eset_put(con);
	if (gone != 0)
		return SH_READ_GONE;
	int32_t n = isola_blk_len(text);
	uint32_t take = (uint32_t)n < size - 1 ? (uint32_t)n : size - 1;

	isola_blk_read(text, 0, line, take);
	isola_blk_free(text);
	line[take] = '\0';
	// One NUL byte is an empty line, one ETX a line dropped with Ctrl-C.
	if (take == 1 && line[0] == '\003')
		return SH_READ_CANCELLED;
	if (take == 1 && line[0] == '\0')
		return 0;
	return (int32_t)take;
}

// Whether a Ctrl-C has come since the watcher was armed; it is disarmed
// then. Looks without waiting.
static bool interrupted(void)
{
	uint32_t keys[1] = { term.watch };
	uint32_t at = 0, msg = 0;

	if (!term.watch || !term.armed || isola_eset_select(keys, 1, 0, &at) != 0)
		return false;
	uint32_t w = isola_eset_take(term.watch, hash);
	uint32_t none = 0;
	int32_t gone = rt_chan_recv(w, &none, sizeof(none), &msg);

	term.watch = isola_eset_put(w);
	term.armed = false;
	return gone == 0;
}

// Arms the watcher for the wait that follows (it stays armed between
// waits; a Ctrl-C at the shell's own prompt only drops the line and
// leaves it armed, console.c).
static void arm(void)
{
	if (!term.watch || term.armed)
		return; // a one-command shell has no console link
	uint32_t w = isola_eset_take(term.watch, hash);

	term.armed = rt_chan_send(w, CONSOLE_MSG_WATCH, NULL, 0) == 0;
	term.watch = isola_eset_put(w);
}

int32_t sh_term_wait(int32_t id, int64_t timeout_ns, struct isola_proc_status *st)
{
	int64_t end = timeout_ns < 0 ? -1 : isola_time_ns() + timeout_ns;

	arm();
	for (;;) {
		int64_t slice = SH_SLICE_NS;

		if (end >= 0 && end - isola_time_ns() < slice)
			slice = end - isola_time_ns() > 0 ? end - isola_time_ns() : 0;
		int32_t r = isola_proc_wait(SH_PM, id, slice, st);

		if (r != -ERR_TIMEOUT)
			return r;
		if (interrupted())
			return SH_INTERRUPTED;
		if (end >= 0 && isola_time_ns() >= end)
			return -ERR_TIMEOUT;
	}
}

bool sh_term_sleep(int64_t ns)
{
	int64_t end = isola_time_ns() + ns;

	arm();
	for (int64_t now = isola_time_ns(); now < end; now = isola_time_ns()) {
		isola_sleep_ns(end - now < SH_SLICE_NS ? end - now : SH_SLICE_NS);
		if (interrupted())
			return false;
	}
	return true;
}
