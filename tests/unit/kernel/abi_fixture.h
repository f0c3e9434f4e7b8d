// SPDX-License-Identifier: MIT
// What the host tests of the kernel ABI share: a SIP that the test drives
// (spawned from a kernel test module, its own code never runs), calls
// made as that SIP through the engine's host-call signature, its linear
// memory, and a check that the kernel is back at its baseline after each
// test. A call either returns to the SIP (a result, maybe -code) or stops
// it with a code: ABI_OK, ABI_FAILS and ABI_STOPS assert which.
#ifndef ISOLA_TEST_ABI_FIXTURE_H
#define ISOLA_TEST_ABI_FIXTURE_H

#include "host_env.h"

#define WASM(n) ISOLA_TEST_WASM_DIR "/ktest_" n ".wasm"
#define ARGS(...) (const uint64_t[]){ __VA_ARGS__ }, \
	sizeof((const uint64_t[]){ __VA_ARGS__ }) / sizeof(uint64_t)
#define NOARGS NULL, 0

struct fixture {
	struct host_baseline base;
	uint32_t id;
	struct sip *s;
	uint64_t msize; // bytes of its linear memory
};

// Group setup: boots the host kernel and reads the test modules.
int abi_boot(void **state);
// Per test: a baseline, then a driven SIP of the kernel test module
// sip_hello. Teardown ends it and checks the baseline and ownership.
int abi_setup(void **state);
int abi_teardown(void **state);
// A second driven SIP (ends it with abi_end).
struct sip *abi_sip(uint32_t *id);
void abi_end(uint32_t id);

uint64_t abi_ok_(struct sip *s, const char *name, const uint64_t *a, size_t n);
void abi_fails_(struct sip *s, const char *name, const uint64_t *a, size_t n,
		isola_err_t code);
void abi_stops_(struct sip *s, const char *name, const uint64_t *a, size_t n,
		isola_err_t code);
// The call returns to the SIP; its result.
#define ABI_OK(s, name, ...) abi_ok_(s, name, __VA_ARGS__)
// The call returns -code to the SIP.
#define ABI_FAILS(s, name, code, ...) abi_fails_(s, name, __VA_ARGS__, code)
// The call stops the SIP with code.
#define ABI_STOPS(s, name, code, ...) abi_stops_(s, name, __VA_ARGS__, code)

// The SIP's memory at off.
uint8_t *abi_at(struct sip *s, uint64_t off);
void abi_put32(struct sip *s, uint64_t off, uint32_t v);
uint32_t abi_get32(struct sip *s, uint64_t off);
// Writes the hash of system contract name at off.
void abi_put_hash(struct sip *s, uint64_t off, const char *name);
// The number of message name in system contract cname.
uint32_t abi_msg(const char *cname, const char *name);

// The type tag of a `bytes` block (what blk_alloc's type must be for a
// block sent as bytes).
uint32_t abi_bytes_type(void);
// The payload size of that message.
uint32_t abi_msg_size(const char *cname, const char *name);
// A channel of system contract cname made by the kernel, its exporting end
// a handle *ha of a and its importing end *hb of b (as a spawner's grants
// would put them).
void abi_link(struct sip *a, struct sip *b, const char *cname, uint32_t *ha,
	      uint32_t *hb);

extern const uint8_t *abi_hello;
extern size_t abi_hello_size;

#endif
