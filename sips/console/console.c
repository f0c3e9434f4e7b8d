// SPDX-License-Identifier: MIT
// The console service (channels/contracts/console.contract): publishes
// /svc/console and serves every client from one loop. write goes to the
// serial port at once; read_line requests queue up in arrival order and
// the first one gets the keyboard (line.c); watch requests wait for the
// next Ctrl-C. Ctrl-C drops the line being read and interrupts every
// watcher but those of the client whose line it dropped (clients are told
// apart by the name service's `from`): so a shell at its prompt only loses
// its line, while a SIP in the shell's foreground, reading or not, gets
// the shell interrupted. While someone reads or watches, the
// loop waits on its endpoints for at most CONSOLE_POLL_NS and polls the
// serial port in between, so other SIPs' writes keep flowing. It logs
// through the kernel only: its own stdout would be itself.
#include <svc/svc.h>
#include "line.h"

#include <contracts/console.h>
#include <isola/err.h>
#include <sip/abi.h>
#include <sip/sip.h>
#include <stdio.h>

#define CONSOLE_PATH "/svc/console"
#define CONSOLE_POLL_NS 20000000 // 20 ms between looks at the keyboard
#define CONSOLE_CHUNK 256	 // bytes copied from a block per serial write
#define CONSOLE_WRITE_MAX 16384	 // the most of one write that is shown
#define CONSOLE_CLIENTS_MAX (SVC_SET_MAX - 1)
#define CONSOLE_AHEAD 256	 // keys typed ahead of the next read_line

// eps holds the provider end and the clients in state ready. A client
// that asked for a line is in state reading, which must send, so it
// cannot be waited on: it moves to the queue readers[0..nreaders) (keys
// in the SIP's endpoint set), whose head owns the keyboard, until its
// line is sent; with it go the words Tab completes from. A watcher (state
// watching) waits likewise in watchers[0..nwatchers).
static struct svc_set eps;
static uint32_t readers[CONSOLE_CLIENTS_MAX];
static uint64_t readers_from[CONSOLE_CLIENTS_MAX];
static char reader_words[CONSOLE_CLIENTS_MAX][CONSOLE_WORDS_MAX];
static uint32_t reader_words_len[CONSOLE_CLIENTS_MAX];
static uint32_t nreaders;
static uint32_t watchers[CONSOLE_CLIENTS_MAX];
static uint64_t watchers_from[CONSOLE_CLIENTS_MAX];
static uint32_t nwatchers;
static char ahead[CONSOLE_AHEAD];
static uint32_t nahead;

// Writes a client's text. One write shows at most CONSOLE_WRITE_MAX bytes
// and says how many it left out, so one client's huge block cannot hold
// the console (every other client, the echo, Ctrl-C) for long; stdout
// writes come in far smaller pieces.
static void write_block(uint32_t blk)
{
	char chunk[CONSOLE_CHUNK];
	uint32_t len = (uint32_t)isola_blk_len(blk);
	uint32_t shown = len < CONSOLE_WRITE_MAX ? len : CONSOLE_WRITE_MAX;

	for (uint32_t off = 0; off < shown; off += CONSOLE_CHUNK) {
		uint32_t n = shown - off < CONSOLE_CHUNK ? shown - off : CONSOLE_CHUNK;

		(void)isola_blk_read(blk, off, chunk, n);
		(void)isola_serial_write(CONSOLE_SERIAL, chunk, n);
	}
	if (shown < len) {
		int n = snprintf(chunk, sizeof(chunk), "\n[console: %u more bytes of one write not shown]\n",
				 (unsigned)(len - shown));

		(void)isola_serial_write(CONSOLE_SERIAL, chunk, n > 0 ? (uint32_t)n : 0);
	}
	(void)isola_blk_free(blk);
}

// Removes the reader at queue position k, keeping the order, and returns
// its endpoint's handle. The next head's words become the editor's.
static uint32_t readers_remove(uint32_t k)
{
	static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;
	uint32_t h = isola_eset_take(readers[k], hash);

	for (uint32_t j = k + 1; j < nreaders; j++) {
		readers[j - 1] = readers[j];
		readers_from[j - 1] = readers_from[j];
		reader_words_len[j - 1] = reader_words_len[j];
		for (uint32_t b = 0; b < reader_words_len[j]; b++)
			reader_words[j - 1][b] = reader_words[j][b];
	}
	nreaders--;
	if (k == 0 && nreaders > 0)
		line_set_words(reader_words[0], reader_words_len[0]);
	return h;
}

// Closes the readers and watchers that have gone away while waiting.
static void waiters_prune(void)
{
	for (uint32_t k = 0; k < nreaders;) {
		if (svc_parked_open(&readers[k])) {
			k++;
			continue;
		}
		rt_chan_close(readers_remove(k));
	}
	for (uint32_t k = 0; k < nwatchers;) {
		if (svc_parked_open(&watchers[k])) {
			k++;
			continue;
		}
		rt_chan_close(isola_eset_take(watchers[k], 0));
		nwatchers--;
		watchers[k] = watchers[nwatchers];
		watchers_from[k] = watchers_from[nwatchers];
	}
}

// Answers the head of the queue with text[0..n); it goes back to the
// endpoints waited on.
static void answer_head(SIP_COUNT(n) const char *text, uint32_t n)
{
	uint64_t from = readers_from[0];
	uint32_t h = readers_remove(0);
	int32_t blk = svc_bytes_make(text, n);

	if (blk < 0) {
		rt_chan_close(h); // line is the only answer the state allows
		return;
	}
	(void)rt_chan_send(h, CONSOLE_MSG_LINE, &blk, sizeof(blk));
	// The set has room: h came from it and was counted.
	int32_t at = svc_set_add(&eps, h);

	if (at >= 0)
		eps.from[at] = from;
}

// Answers the head reader with the finished line, or with ETX when it was
// dropped with Ctrl-C.
static void deliver(enum line_event ev)
{
	char text[CONSOLE_LINE_MAX];
	uint32_t n = line_take(text, sizeof(text));

	// A block is never empty: an empty line travels as one NUL byte.
	if (ev == LINE_CANCELLED)
		text[0] = CONSOLE_CANCELLED, n = 1;
	else if (n == 0)
		text[n++] = '\0';
	answer_head(text, n);
}

// Ctrl-C: every watcher but those of client `spared` (0: none) hears
// interrupted and goes back to the set.
static void interrupt_watchers(uint64_t spared)
{
	static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;

	for (uint32_t k = 0; k < nwatchers;) {
		if (spared && watchers_from[k] == spared) {
			k++;
			continue;
		}
		uint64_t from = watchers_from[k];
		uint32_t h = isola_eset_take(watchers[k], hash);

		nwatchers--;
		watchers[k] = watchers[nwatchers];
		watchers_from[k] = watchers_from[nwatchers];
		(void)rt_chan_send(h, CONSOLE_MSG_INTERRUPTED, 0, 0);
		int32_t at = svc_set_add(&eps, h);

		if (at >= 0)
			eps.from[at] = from;
	}
}

// Takes key k out of what was typed ahead.
static void ahead_drop(uint32_t k)
{
	for (uint32_t j = k + 1; j < nahead; j++)
		ahead[j - 1] = ahead[j];
	nahead--;
}

// Feeds what has been typed to the head reader's line, without waiting.
// A Ctrl-C interrupts the watchers at once, even when nobody reads (then
// it is used up); other keys left over when the queue runs empty wait in
// ahead[] for the next reader (keys beyond that stay in the serial
// port's buffer).
static void poll_keys(void)
{
	char keys[CONSOLE_AHEAD];
	uint32_t room = CONSOLE_AHEAD - nahead;
	uint32_t used = 0;

	if (room > 0) {
		int32_t n = isola_serial_read(CONSOLE_SERIAL, keys, room, 0);

		for (int32_t k = 0; k < n && (uint32_t)k < room; k++)
			ahead[nahead++] = keys[k];
	}
	for (uint32_t k = 0; nreaders == 0 && k < nahead;) {
		if (ahead[k] != CONSOLE_CANCELLED) {
			k++;
			continue;
		}
		interrupt_watchers(0);
		ahead_drop(k);
	}
	while (used < nahead && nreaders > 0) {
		char c = ahead[used++];
		uint64_t reader = readers_from[0];
		enum line_event ev = line_feed(c);

		if (c == CONSOLE_CANCELLED)
			interrupt_watchers(reader);
		if (ev != LINE_MORE)
			deliver(ev);
	}
	for (uint32_t k = used; k < nahead; k++)
		ahead[k - used] = ahead[k];
	nahead -= used;
}

static void accept_client(uint32_t i)
{
	static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;

	// Queued readers and watchers hold places in the set too.
	if (svc_set_accept(&eps, i, hash, SVC_SET_MAX - nreaders - nwatchers) == -ERR_CLOSED)
		svc_log("console: the name service has gone; no new clients");
}

// Queues the client at position i as a reader, with the words in blk
// (0: none).
static void add_reader(uint32_t i, uint32_t blk)
{
	uint32_t k = nreaders;

	reader_words_len[k] = blk ? svc_bytes_take(blk, reader_words[k], CONSOLE_WORDS_MAX) : 0;
	if (reader_words_len[k] > CONSOLE_WORDS_MAX)
		reader_words_len[k] = CONSOLE_WORDS_MAX;
	// The queue has room, since every client was counted.
	readers_from[nreaders] = eps.from[i];
	readers[nreaders++] = isola_eset_put(svc_set_take(&eps, i));
	if (k == 0)
		line_set_words(reader_words[0], reader_words_len[0]);
}

// Takes one request from the client at position i.
static void serve(uint32_t i)
{
	uint32_t blk = 0;
	uint32_t msg = 0;

	if (svc_set_recv(&eps, i, &blk, sizeof(blk), &msg) != 0) {
		svc_set_drop(&eps, i);
		return;
	}
	switch (msg) {
	case CONSOLE_MSG_WRITE:
		write_block(blk);
		(void)svc_set_send(&eps, i, CONSOLE_MSG_WRITTEN, 0, 0, true);
		return;
	case CONSOLE_MSG_WATCH:
		watchers_from[nwatchers] = eps.from[i];
		watchers[nwatchers++] = isola_eset_put(svc_set_take(&eps, i));
		return;
	case CONSOLE_MSG_READ_LINE_COMPLETING:
		add_reader(i, blk);
		return;
	default:
		add_reader(i, 0);
		return;
	}
}

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	if (svc_publish(&eps, CONSOLE_PATH) < 0) {
		svc_log("console: cannot publish " CONSOLE_PATH);
		return 1;
	}
	svc_log("console: ready");
	while (eps.n + nreaders + nwatchers > 0) {
		uint32_t i = 0;
		bool keyboard = nreaders + nwatchers > 0;

		if (svc_set_wait(&eps, keyboard ? CONSOLE_POLL_NS : -1, &i) == 0 && i < eps.n) {
			if (eps.provider[i])
				accept_client(i);
			else
				serve(i);
		}
		if (nreaders + nwatchers > 0) {
			waiters_prune();
			poll_keys();
		}
	}
	return 0;
}
