// SPDX-License-Identifier: MIT
// SHA-256 (FIPS 180-4), used for the stable hash of contract descriptors.
// Internal to channels/.
#ifndef ISOLA_CHANNELS_SHA256_H
#define ISOLA_CHANNELS_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint8_t buf[64];
	uint64_t total;
	uint32_t fill;
};

void contract_sha256_init(struct sha256 *s);
void contract_sha256_update(struct sha256 *s, const void *data, size_t len);
void contract_sha256_final(struct sha256 *s, uint8_t out[32]);

#endif
