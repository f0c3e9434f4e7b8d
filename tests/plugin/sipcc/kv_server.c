// SPDX-License-Identifier: MIT
// A small key-value service in checked C, as a SIP would write it against
// the kv contract (tests/plugin/include/kv_contract.h): it must compile clean
// under sipcc, plugin loaded, to a wasm32 object.
#include "kv_contract.h"

#define KV_SLOTS 16
#define KV_KEY_MAX 32

struct kv_entry {
	unsigned char key[KV_KEY_MAX];
	unsigned key_len;
	int value;
	int used;
};

static struct kv_entry table[KV_SLOTS];

SIP_NULLABLE struct kv_entry *kv_find(SIP_COUNT(len) const unsigned char *key,
				      unsigned len);
unsigned kv_read_key(ISOLA_BORROWED xh_bytes b, SIP_COUNT(max) unsigned char *out,
		     unsigned max);
xh_bytes kv_encode(int value);

static unsigned hash(SIP_COUNT(len) const unsigned char *key, unsigned len)
{
	SIP_RESULT(unsigned, h);
	SIP_ENSURES(h < KV_SLOTS);
	unsigned acc = 2166136261u;
	for (unsigned i = 0; i < len; i++) {
		SIP_INVARIANT(i < len);
		acc = (acc ^ key[i]) * 16777619u;
	}
	return acc % KV_SLOTS;
}

static int lookup(SIP_COUNT(len) const unsigned char *key, unsigned len,
		  int *value)
{
	SIP_REQUIRES(len <= KV_KEY_MAX);
	struct kv_entry *e = &table[hash(key, len)];
	if (!e->used || e->key_len != len)
		return 0;
	for (unsigned i = 0; i < len; i++)
		if (e->key[i] != key[i])
			return 0;
	*value = e->value;
	return 1;
}

static kv_exp_ready answer(kv_exp_answering ep, xh_bytes key)
{
	unsigned char buf[KV_KEY_MAX];
	unsigned len = kv_read_key(key, buf, KV_KEY_MAX);
	xh_free(key);
	int value = 0;
	if (!lookup(buf, len, &value))
		return kv_exp_send_missing(ep);
	return kv_exp_send_found(ep, kv_encode(value));
}

int kv_serve(kv_exp_ready ep)
{
	int served = 0;
	for (;;) {
		struct kv_exp_ready_msg m = kv_exp_ready_recv(ep);
		switch (m.tag) {
		case KV_EXP_READY_GET:
			ep = answer(m.get.ep, m.get.key);
			served++;
			break;
		case KV_EXP_READY_QUIT:
			kv_exp_done_close(m.quit.ep);
			return served;
		case KV_EXP_READY_CLOSED:
				return served;
		}
	}
}

int kv_probe(SIP_COUNT(len) const unsigned char *name, unsigned len)
{
	struct kv_entry *e = kv_find(name, len < 4 ? len : 4);
	if (e == 0)
		return -1;
	return e->value;
}
