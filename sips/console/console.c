// SPDX-License-Identifier: MIT
// The console service (channels/contracts/console.contract): publishes
// /svc/console and serves every client from one loop. write goes to the
// serial port at once; read_line requests queue up in arrival order and
// the first one gets the keyboard (line.c). While someone reads, the loop
// waits on its endpoints for at most CONSOLE_POLL_NS and polls the serial
// port in between, so other SIPs' writes keep flowing. It logs through
// the kernel only: its own stdout would be itself.
#include "../common/svc.h"
#include "line.h"

#include <console.h>
#include <isola/err.h>
#include <sip/abi.h>
#include <sip/sip.h>

#define CONSOLE_PATH "/svc/console"
#define CONSOLE_POLL_NS 20000000 // 20 ms between looks at the keyboard
#define CONSOLE_CHUNK 256	 // bytes copied from a block per serial write
#define CONSOLE_CLIENTS_MAX (SVC_SET_MAX - 1)
#define CONSOLE_AHEAD 64	 // keys typed ahead of the next read_line

// eps holds the provider end and the clients in state ready. A client
// that asked for a line is in state reading, which must send, so it
// cannot be waited on: it moves to the queue readers[0..nreaders) (keys
// in the SIP's endpoint set), whose head owns the keyboard, until its
// line is sent.
static struct svc_set eps;
static uint32_t readers[CONSOLE_CLIENTS_MAX];
static uint32_t nreaders;
static char ahead[CONSOLE_AHEAD];
static uint32_t nahead;

static void write_block(uint32_t blk)
{
	char chunk[CONSOLE_CHUNK];
	uint32_t len = (uint32_t)isola_blk_len(blk);

	for (uint32_t off = 0; off < len; off += CONSOLE_CHUNK) {
		uint32_t n = len - off < CONSOLE_CHUNK ? len - off : CONSOLE_CHUNK;

		(void)isola_blk_read(blk, off, chunk, n);
		(void)isola_serial_write(CONSOLE_SERIAL, chunk, n);
	}
	(void)isola_blk_free(blk);
}

// Removes the reader at queue position k, keeping the order, and returns
// its endpoint's handle.
static uint32_t readers_remove(uint32_t k)
{
	uint32_t h = isola_eset_take(readers[k], 0);

	for (uint32_t j = k + 1; j < nreaders; j++)
		readers[j - 1] = readers[j];
	nreaders--;
	return h;
}

// Closes the readers that have gone away while waiting for a line.
static void readers_prune(void)
{
	for (uint32_t k = 0; k < nreaders;) {
		if (svc_parked_open(&readers[k])) {
			k++;
			continue;
		}
		rt_chan_close(readers_remove(k));
	}
}

// Answers the head of the queue with the finished line; it goes back to
// the endpoints waited on.
static void deliver(void)
{
	char text[CONSOLE_LINE_MAX];
	uint32_t n = line_take(text, sizeof(text));
	uint32_t h = readers_remove(0);

	// A block is never empty: an empty line travels as one NUL byte.
	if (n == 0)
		text[n++] = '\0';
	int32_t blk = svc_bytes_make(text, n);
	if (blk < 0) {
		rt_chan_close(h); // line is the only answer the state allows
		return;
	}
	(void)rt_chan_send(h, CONSOLE_MSG_LINE, &blk, sizeof(blk));
	// The set has room: h came from it and was counted.
	(void)svc_set_add(&eps, h);
}

// Feeds what has been typed to the head reader's line, without waiting.
// Keys left over when the queue runs empty wait in ahead[] for the next
// reader (keys beyond that stay in the serial port's buffer).
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
	while (used < nahead && nreaders > 0)
		if (line_feed(ahead[used++]))
			deliver();
	for (uint32_t k = used; k < nahead; k++)
		ahead[k - used] = ahead[k];
	nahead -= used;
}

static void accept_client(uint32_t i)
{
	static const uint8_t hash[32] = CONSOLE_CONTRACT_HASH;

	// Queued readers hold places in the set too (they are out of eps).
	if (svc_set_accept(&eps, i, hash, SVC_SET_MAX - nreaders) == -ERR_CLOSED)
		svc_log("console: the name service has gone; no new clients");
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
	if (msg == CONSOLE_MSG_WRITE) {
		write_block(blk);
		(void)svc_set_send(&eps, i, CONSOLE_MSG_WRITTEN, 0, 0, true);
		return;
	}
	// read_line: the queue has room, since every client was counted.
	readers[nreaders++] = isola_eset_put(svc_set_take(&eps, i));
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
	while (eps.n + nreaders > 0) {
		uint32_t i = 0;

		if (svc_set_wait(&eps, nreaders ? CONSOLE_POLL_NS : -1, &i) == 0 && i < eps.n) {
			if (eps.provider[i])
				accept_client(i);
			else
				serve(i);
		}
		if (nreaders) {
			readers_prune();
			poll_keys();
		}
	}
	return 0;
}
