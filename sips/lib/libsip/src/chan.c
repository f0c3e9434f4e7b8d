// SPDX-License-Identifier: MIT
// The channel functions the generated contract headers call (docs/
// contracts.md, "What the header needs from libsip") and the bytes-block
// helpers of sip/sip.h, on the kernel ABI. Misuse (a wrong handle, a
// message the state forbids) stops the SIP in the kernel; only ordinary
// failures come back here, as negative error codes.
#include "rt.h"
#include "sip_internal.h"

#include <sip/abi.h>
#include <sip/sip.h>
#include <string.h>

_Static_assert(sizeof(struct isola_chan_info) == 36, "chan_info writes 36 bytes");

// On failure the kernel writes 0 to both handles, which rt_chan_close
// accepts, so a SIP can give back the ends of a failed create like any
// others. A plain call, so the verifier sees the import's effect here.
int32_t rt_chan_create(const uint8_t *hash, uint32_t *exp, uint32_t *imp)
{
	return isola_chan_create(hash, exp, imp);
}

// A send to a closed peer returns nonzero; the endpoint still advances.
int32_t rt_chan_send(uint32_t ep, uint32_t msg, const void *payload, uint32_t size)
{
	return isola_chan_send(ep, msg, payload, size);
}

// Waits; 0, or nonzero once the peer has closed and nothing is left.
int32_t rt_chan_recv(uint32_t ep, void *buf, uint32_t size, uint32_t *msg)
{
	return isola_chan_recv(ep, buf, size, msg);
}

// Handle 0 (the end of a failed create or cast) is accepted and ignored,
// by the kernel too. No branch on ep: the verifier then sees that every
// path closes it.
void rt_chan_close(uint32_t ep)
{
	rt_ns_forget(ep);
	(void)isola_chan_close(ep);
}

// Waits without a time limit.
int32_t rt_chan_select(const uint32_t *eps, uint32_t n, uint32_t *index)
{
	return isola_chan_select(eps, n, -1, index);
}

int32_t rt_chan_info(uint32_t ep, struct isola_chan_info *out)
{
	return isola_chan_info(ep, out);
}

// The generated NAME_SIDE_STATE_park and _unpark (docs/contracts.md).
uint32_t rt_eset_put(uint32_t ep)
{
	return isola_eset_put(ep);
}

uint32_t rt_eset_take(uint32_t key, const uint8_t *hash)
{
	return isola_eset_take(key, hash);
}

struct sip_bytes_made sip_bytes_make(const void *buf, uint32_t n)
{
	struct sip_bytes_made r = { 0, { 0 } };
	int32_t h = isola_blk_alloc(n, ISOLA_BLK_TYPE_BYTES);

	if (h < 0) {
		r.err = h;
		return r;
	}
	r.bytes.h = (uint32_t)h;
	(void)isola_blk_write(r.bytes.h, 0, buf, n);
	return r;
}

// A block holds at least one byte (docs/abi.md): the empty string is
// made as its terminator alone, which sip_bytes_read_str reads back as "".
struct sip_bytes_made sip_bytes_from_str(const char *s)
{
	uint32_t n = (uint32_t)strlen(s);

	return sip_bytes_make(s, n ? n : 1);
}

uint32_t sip_bytes_len(struct isola_bytes b)
{
	return (uint32_t)isola_blk_len(b.h);
}

uint32_t sip_bytes_read(struct isola_bytes b, void *buf, uint32_t size)
{
	uint32_t n = sip_bytes_len(b);

	if (n > size)
		n = size;
	(void)isola_blk_read(b.h, 0, buf, n);
	return n;
}

uint32_t sip_bytes_read_str(struct isola_bytes b, char *buf, uint32_t size)
{
	uint32_t len = sip_bytes_len(b);

	if (size == 0)
		return len;
	uint32_t n = sip_bytes_read(b, buf, size - 1);

	buf[n] = '\0';
	return len;
}

void sip_bytes_free(struct isola_bytes b)
{
	(void)isola_blk_free(b.h); // the kernel ignores handle 0
}

struct isola_endpoint sip_start_endpoint(uint32_t k)
{
	return (struct isola_endpoint){ k + 1 };
}
