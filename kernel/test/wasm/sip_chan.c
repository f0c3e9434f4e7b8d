// SPDX-License-Identifier: MIT
// A SIP that talks to itself over a kv channel through the kernel ABI: a
// block moves both ways, select sees the message, both ends close. Its
// argument string picks a misuse instead (the kernel must stop it):
// "protocol" sends a message the state does not allow, "forged" uses a
// handle never issued, "stale" uses a block after sending it.
#include <contracts/kv.h>

#define IMPORT(n) __attribute__((import_module("isola"), import_name(#n)))
IMPORT(args) int isola_args(char *buf, int len);
IMPORT(chan_create) int chan_create(const unsigned char *hash, unsigned *exp, unsigned *imp);
IMPORT(chan_send) int chan_send(unsigned ep, unsigned msg, const void *p, unsigned size);
IMPORT(chan_recv) int chan_recv(unsigned ep, void *buf, unsigned size, unsigned *msg);
IMPORT(chan_select) int chan_select(const unsigned *eps, unsigned n, long long timeout, unsigned *index);
IMPORT(chan_close) int chan_close(unsigned ep);
IMPORT(blk_alloc) int blk_alloc(unsigned size, unsigned type);
IMPORT(blk_free) int blk_free(unsigned blk);
IMPORT(blk_len) int blk_len(unsigned blk);
IMPORT(blk_write) int blk_write(unsigned blk, unsigned off, const void *src, unsigned len);
IMPORT(blk_load8) int blk_load8(unsigned blk, unsigned off);

static const unsigned char kv_hash[32] = KV_CONTRACT_HASH;

static int same(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

__attribute__((export_name("main"))) int sip_main(void)
{
	char mode[16] = { 0 };
	unsigned exp, imp, msg, idx, key, got, in[2]; // ready may receive put: 8 bytes
	isola_args(mode, sizeof(mode) - 1);
	if (chan_create(kv_hash, &exp, &imp) != 0)
		return 1;
	if (same(mode, "protocol")) // found goes from the exporter, not to it
		return chan_send(imp, KV_MSG_FOUND, &imp, 4);
	if (same(mode, "forged"))
		return blk_len(0x7777);
	key = (unsigned)blk_alloc(5, 3);
	if ((int)key < 0 || blk_write(key, 0, "hello", 5) != 0)
		return 2;
	if (chan_send(imp, KV_MSG_GET, &key, 4) != 0)
		return 3;
	if (same(mode, "stale"))
		return blk_len(key);
	if (chan_select(&exp, 1, 0, &idx) != 0 || idx != 0)
		return 4;
	if (chan_recv(exp, in, sizeof(in), &msg) != 0 || msg != KV_MSG_GET)
		return 5;
	got = in[0];
	if (blk_len(got) != 5 || blk_load8(got, 0) != 'h')
		return 6;
	if (chan_send(exp, KV_MSG_FOUND, &got, 4) != 0)
		return 7;
	if (chan_recv(imp, &key, 4, &msg) != 0 || msg != KV_MSG_FOUND ||
	    blk_load8(key, 4) != 'o')
		return 8;
	if (blk_free(key) != 0 || chan_close(imp) != 0)
		return 9;
	if (chan_recv(exp, in, sizeof(in), &msg) != -15) // closed: -ERR_CLOSED
		return 10;
	return chan_close(exp);
}
