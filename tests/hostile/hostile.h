// SPDX-License-Identifier: MIT
// Shared by the hostile SIPs (docs/hostile.md): the kernel ABI, stdout on
// the kernel log, and a way to keep the compiler from folding away the
// hostile operation each SIP exists to perform.
#ifndef HOSTILE_H
#define HOSTILE_H

#include <sip/abi.h>
#include <sip/sip.h>
#include <stdint.h>
#include <stdio.h>

// v, read back through a volatile object: the optimizer cannot see the value.
static inline uint32_t hostile_opaque(uint32_t v)
{
	static volatile uint32_t box;
	box = v;
	return box;
}

// The kv contract's hash (channels/contracts/kv.contract), to make a
// channel of a system contract with both ends in the SIP itself.
#include <contracts/kv.h>

// Makes a kv channel; traps (exit 90) if the kernel refuses.
static inline void hostile_kv_pair(uint32_t *exp, uint32_t *imp)
{
	static const uint8_t hash[32] = KV_CONTRACT_HASH;
	int32_t r = isola_chan_create(hash, exp, imp);
	if (r != 0) {
		printf("chan_create failed: %d\n", (int)r);
		isola_exit(90);
	}
}

// A bytes block of n bytes; exit 91 if the kernel refuses.
static inline uint32_t hostile_block(uint32_t n)
{
	int32_t h = isola_blk_alloc(n, ISOLA_BLK_TYPE_BYTES);
	if (h <= 0) {
		printf("blk_alloc(%u) failed: %d\n", (unsigned)n, (int)h);
		isola_exit(91);
	}
	return (uint32_t)h;
}

#endif
