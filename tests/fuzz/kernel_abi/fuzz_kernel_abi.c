// SPDX-License-Identifier: MIT
// libFuzzer harness for the kernel ABI: one kernel instance (the SIP
// layer on its host environment, tests/unit/kernel/host_env.c), several
// SIPs linked by channels, and the input as a sequence of ABI calls, each
// made as one of the SIPs through the engine's host-call signature with
// arguments the input picks: live, stale and forged handles, offsets and
// lengths at and past the end of memory, messages of any number and
// payload, with handles in their moved fields. A call that stops its SIP
// ends it (the kernel reclaims it) and a new SIP takes its place. After
// every call the invariants must hold (host_check_ownership: every block
// and endpoint held once, by the SIP whose handle names it, accounts and
// charges balanced); at the end, with every SIP gone, every counter is
// back at its baseline. AddressSanitizer catches anything freed twice.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host_env.h"

#define NSIPS 3
#define MAX_OPS 200
#define SCRATCH 0x400u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// The SIPs' image, verified once: a spawn then costs what the kernel's
// spawn of a cached image costs.
static struct sip_image *image;

struct input {
	const uint8_t *p;
	size_t n;
};

static uint8_t byte(struct input *in)
{
	if (!in->n)
		return 0;
	in->n--;
	return *in->p++;
}

static uint32_t word(struct input *in)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = v << 8 | byte(in);
	return v;
}

struct world {
	uint32_t ids[NSIPS];
	struct sip *s[NSIPS];
};

static void die(const char *what)
{
	fprintf(stderr, "fuzz_kernel_abi: %s\n", what);
	abort();
}

static void check(void)
{
	const char *broken = host_check_ownership();
	if (broken)
		die(broken);
}

static void spawn(struct world *w, int i)
{
	if (sip_start(image, "hello", 5, NULL, 0, NULL, 0, &w->ids[i]) != ERR_OK)
		die("cannot spawn");
	w->s[i] = host_sip(w->ids[i]);
}

static void end(struct world *w, int i)
{
	int32_t code;
	(void)host_end(w->ids[i], &code);
	w->s[i] = NULL;
}

// A handle of s the input picks: a live or freed slot with its current
// generation, an older generation (stale), or any word (forged).
static uint32_t pick_handle(struct sip *s, struct input *in)
{
	uint8_t how = byte(in);
	if (how < 200) {
		uint32_t i = byte(in) % 16; // the first slots are where handles are
		const struct handle_slot *sl = &s->handles.slots[i];
		uint16_t gen = how < 180 ? sl->gen : (uint16_t)(sl->gen - 1);
		return (uint32_t)(gen & 0x7fff) << 16 | (i + 1);
	}
	return word(in);
}

// An address in s's memory, near its end or past it at times.
static uint32_t pick_addr(struct sip *s, struct input *in)
{
	uint64_t m = host_mem(s)->size;
	switch (byte(in) % 8) {
	case 0: return (uint32_t)(m - (byte(in) % 64));
	case 1: return word(in);
	default: return SCRATCH + byte(in) * 4;
	}
}

static uint32_t pick_len(struct input *in)
{
	uint8_t b = byte(in);
	return b < 240 ? b : word(in);
}

static const struct contract *pick_contract(struct input *in)
{
	static const char *const names[] = { "kv", "naming", "kvbind", "timer" };
	const char *n = names[byte(in) % 4];
	return kcontract_by_name(n, strlen(n), NULL, 0);
}

// A message's payload at SCRATCH: bytes from the input, and handles the
// input picks in its moved fields.
static uint32_t build_payload(struct sip *s, const struct contract *c,
			      uint16_t msg, struct input *in)
{
	if (!c || msg >= c->n_msgs)
		return pick_len(in);
	const struct contract_msg *m = &c->msgs[msg];
	uint8_t *p = host_mem(s)->base + SCRATCH;
	for (uint32_t i = 0; i < m->size && i < 256; i++)
		p[i] = byte(in);
	for (uint8_t i = 0; i < m->n_moved; i++) {
		uint32_t h = pick_handle(s, in);
		memcpy(p + m->fields[m->moved[i]].offset, &h, 4);
	}
	return byte(in) < 240 ? m->size : pick_len(in);
}

static const struct contract *contract_of(struct sip *s, uint32_t h)
{
	struct chan_endpoint *ep;
	if (handle_get(&s->handles, h, HANDLE_KIND_ENDPOINT, (void **)&ep) != ERR_OK)
		return NULL;
	return chan_endpoint_contract(ep);
}

// Makes one call as s; returns what the host function returned.
static isola_err_t one_call(struct sip *s, struct input *in)
{
	uint64_t r;
	uint32_t h = pick_handle(s, in);
	switch (byte(in) % 16) {
	case 0:
		return host_abi(s, "blk_alloc", (uint64_t[]){ pick_len(in), byte(in) }, 2, &r);
	case 1:
		return host_abi(s, "blk_free", (uint64_t[]){ h }, 1, &r);
	case 2:
		return host_abi(s, "blk_write", (uint64_t[]){ h, pick_len(in), pick_addr(s, in),
							     pick_len(in) }, 4, &r);
	case 3:
		return host_abi(s, "blk_read", (uint64_t[]){ h, pick_len(in), pick_addr(s, in),
							    pick_len(in) }, 4, &r);
	case 4: {
		const struct contract *c = pick_contract(in);
		memcpy(host_mem(s)->base + SCRATCH, c->hash, CONTRACT_HASH_SIZE);
		return host_abi(s, "chan_create", (uint64_t[]){ SCRATCH, SCRATCH + 32,
							       SCRATCH + 36 }, 3, &r);
	}
	case 5:
	case 6: {
		uint16_t msg = byte(in) % 12;
		uint32_t len = build_payload(s, contract_of(s, h), msg, in);
		return host_abi(s, byte(in) & 1 ? "chan_send" : "chan_try_send",
				(uint64_t[]){ h, msg, SCRATCH, len }, 4, &r);
	}
	case 7:
		return host_abi(s, "chan_recv", (uint64_t[]){ h, SCRATCH + 256, pick_len(in),
							     pick_addr(s, in) }, 4, &r);
	case 8: {
		uint32_t n = byte(in) % 5;
		for (uint32_t i = 0; i < n; i++) {
			uint32_t e = pick_handle(s, in);
			memcpy(host_mem(s)->base + SCRATCH + 4 * i, &e, 4);
		}
		return host_abi(s, byte(in) & 1 ? "chan_select" : "eset_select",
				(uint64_t[]){ SCRATCH, n, byte(in) % 3, SCRATCH + 64 }, 4, &r);
	}
	case 9:
		return host_abi(s, "chan_close", (uint64_t[]){ h }, 1, &r);
	case 10:
		return host_abi(s, "eset_put", (uint64_t[]){ h }, 1, &r);
	case 11:
		return host_abi(s, "eset_take", (uint64_t[]){ h, byte(in) & 1 ? 0 : pick_addr(s, in) },
				2, &r);
	case 12:
		return host_abi(s, "chan_info", (uint64_t[]){ h, pick_addr(s, in) }, 2, &r);
	case 13: {
		bool load = byte(in) & 1;
		return host_abi(s, load ? "blk_load32" : "blk_store64",
				(uint64_t[]){ h, pick_len(in), word(in) }, load ? 2 : 3, &r);
	}
	case 14:
		if (byte(in) & 1) // the profiler, without a process manager
			return host_abi(s, "prof_ctl", (uint64_t[]){ h, byte(in) % 4,
								     pick_addr(s, in), pick_len(in) },
					4, &r);
		return host_abi(s, "log", (uint64_t[]){ pick_addr(s, in), pick_len(in) }, 2, &r);
	default:
		return host_abi(s, "chan_expect", (uint64_t[]){ h, pick_addr(s, in) }, 2, &r);
	}
}

// A channel between SIPs a and b, as a spawner's grants would make one.
static void link_sips(struct world *w, int a, int b, const struct contract *c)
{
	struct chan_endpoint *exp, *imp;
	handle_t h;
	if (chan_create(kchan_env(), c, sip_xo(w->s[a]), sip_xo(w->s[b]), &exp, &imp) != ERR_OK)
		die("cannot link");
	if (handle_insert(&w->s[a]->handles, HANDLE_KIND_ENDPOINT, exp, &h) != ERR_OK ||
	    handle_insert(&w->s[b]->handles, HANDLE_KIND_ENDPOINT, imp, &h) != ERR_OK)
		die("cannot link");
	kchan_set_waiter(exp, &w->s[a]->wq);
	kchan_set_waiter(imp, &w->s[b]->wq);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct host_baseline base;
	if (!image) {
		size_t n;
		struct vf_diag d;
		host_env_boot(NULL);
		const uint8_t *bytes = host_read_file(ISOLA_TEST_WASM_DIR "/ktest_sip_hello.wasm", &n);
		if (!bytes || image_create("hello", bytes, n, &image, &d) != ERR_OK)
			die("no test module");
		host_snapshot(&base);
	}
	struct input in = { data, size };
	struct world w;
	for (int i = 0; i < NSIPS; i++)
		spawn(&w, i);
	for (int i = 0; i < NSIPS; i++)
		link_sips(&w, i, (i + 1) % NSIPS, pick_contract(&in));
	check();
	for (int op = 0; op < MAX_OPS && in.n; op++) {
		int i = byte(&in) % NSIPS;
		isola_err_t err = one_call(w.s[i], &in);
		check();
		if (err != ERR_OK) { // stopped: reclaimed, and replaced
			end(&w, i);
			check();
			spawn(&w, i);
		}
	}
	for (int i = 0; i < NSIPS; i++)
		end(&w, i);
	const char *diff = host_baseline_diff(&base);
	if (diff)
		die(diff);
	return 0;
}
