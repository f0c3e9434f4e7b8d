// SPDX-License-Identifier: MIT
// The exchange-heap part of the ABI: allocate, free, length, copy between
// a block and linear memory, and in-place loads and stores. Every offset
// is checked against the block; a bad one stops the SIP. A SIP may pay for
// at most its manifest's exchange limit (at most half of the kernel's
// memory) in blocks it allocated or received, or sent and no one has
// received yet. Copies go in chunks, with a kill check between them.
#include "abi_internal.h"

#include <kmem.h>
#include <string.h>

// The block a handle names, and a range in it.
struct abi_blk {
	struct xheap_block *b;
	uint8_t *p; // the range's first byte
};

static enum abi_fault decode_blk(struct sip *s, uint32_t h, struct abi_blk *d)
{
	return abi_decode_handle(s, h, HANDLE_KIND_BLOCK, (void **)&d->b);
}

// The bytes [off, off + len) of block h.
static enum abi_fault decode_blk_range(struct sip *s, uint32_t h, uint64_t off,
				       uint64_t len, struct abi_blk *d)
{
	enum abi_fault f = decode_blk(s, h, d);
	if (f != ABI_OK)
		return f;
	if (off > d->b->size || len > d->b->size - off)
		return ABI_FAULT_RANGE;
	d->p = (uint8_t *)xheap_block_data(d->b) + off;
	return ABI_OK;
}

// blk_alloc(size, type) -> handle | -err. The block's memory counts
// against the SIP's exchange limit (the manifest's, clamped to half of the
// memory there is, sip.c) from now until a receiver takes it, and against
// the pool all SIPs share.
static enum abi_fault abi_decode_blk_alloc(struct sip *s,
					   const struct abi_in_blk_alloc *in,
					   struct abi_in_blk_alloc *d)
{
	(void)s;
	*d = *in;
	return ABI_OK;
}

static abi_ret_t abi_invoke_blk_alloc(struct sip *s, struct abi_in_blk_alloc *d)
{
	if (d->size == 0 || d->size > XHEAP_MAX_BLOCK)
		return ABI_ERR(ERR_XHEAP_SIZE);
	size_t fp = xheap_footprint(d->size);
	isola_err_t room = account_exchange_reserve(kaccounts(), s->acct, fp);
	if (room != ERR_OK)
		return ABI_ERR(room);
	struct xheap_block *b;
	isola_err_t err = xheap_alloc(kchan_heap(), sip_xo(s), d->size, d->type, &b);
	account_exchange_done(kaccounts(), fp);
	if (err != ERR_OK)
		return ABI_ERR(err);
	uint32_t h;
	err = handle_insert(&s->handles, HANDLE_KIND_BLOCK, b, &h);
	if (err != ERR_OK) {
		(void)xheap_free(kchan_heap(), sip_xo(s), b);
		return ABI_ERR(err);
	}
	return h;
}
ABI_CALL(blk_alloc, struct abi_in_blk_alloc, abi_decode_blk_alloc,
	 abi_invoke_blk_alloc)

// blk_free(blk) -> 0. Handle 0 is accepted and ignored, as chan_close's.
static enum abi_fault abi_decode_blk_free(struct sip *s,
					  const struct abi_in_blk_free *in,
					  uint32_t *h)
{
	void *b;
	*h = in->blk;
	return *h ? abi_decode_handle(s, *h, HANDLE_KIND_BLOCK, &b) : ABI_OK;
}

static abi_ret_t abi_invoke_blk_free(struct sip *s, uint32_t *h)
{
	struct xheap_block *b;
	if (*h == 0 ||
	    handle_take(&s->handles, *h, HANDLE_KIND_BLOCK, (void **)&b) != ERR_OK)
		return 0; // checked by the decoder
	isola_err_t err = xheap_free(kchan_heap(), sip_xo(s), b);
	return err == ERR_OK ? 0 : ABI_ERR(err);
}
ABI_CALL(blk_free, uint32_t, abi_decode_blk_free, abi_invoke_blk_free)

// blk_len(blk) -> size
static enum abi_fault abi_decode_blk_len(struct sip *s,
					 const struct abi_in_blk_len *in,
					 struct abi_blk *d)
{
	return decode_blk(s, in->blk, d);
}

static abi_ret_t abi_invoke_blk_len(struct sip *s, struct abi_blk *d)
{
	(void)s;
	return d->b->size;
}
ABI_CALL(blk_len, struct abi_blk, abi_decode_blk_len, abi_invoke_blk_len)

// blk_read(blk, off, dst, len) / blk_write(blk, off, src, len) -> 0
struct abi_copy {
	struct abi_blk blk;
	uint8_t *user;
	uint32_t len;
};

static enum abi_fault decode_copy(struct sip *s, uint32_t blk, uint32_t off,
				  uint32_t user, uint32_t len, struct abi_copy *d)
{
	d->len = len;
	d->user = abi_user(s, user, len);
	enum abi_fault f = decode_blk_range(s, blk, off, len, &d->blk);
	if (f != ABI_OK)
		return f;
	return d->user ? ABI_OK : ABI_FAULT_RANGE;
}

// A block and linear memory never overlap, so chunks may go in order; a
// kill ends a long copy between two.
static abi_ret_t copy(struct sip *s, struct abi_copy *d, bool to_block)
{
	uint8_t *bp = d->blk.p, *up = d->user;
	for (uint32_t done = 0; done < d->len; done += ABI_COPY_CHUNK) {
		uint32_t n = d->len - done < ABI_COPY_CHUNK ? d->len - done : ABI_COPY_CHUNK;
		if (s->kill_requested)
			return ABI_ERR(ERR_ENG_KILLED);
		memcpy(to_block ? bp + done : up + done, to_block ? up + done : bp + done, n);
	}
	return 0;
}

static enum abi_fault abi_decode_blk_read(struct sip *s,
					  const struct abi_in_blk_read *in,
					  struct abi_copy *d)
{
	return decode_copy(s, in->blk, in->off, in->dst, in->len, d);
}

static abi_ret_t abi_invoke_blk_read(struct sip *s, struct abi_copy *d)
{
	return copy(s, d, false);
}
ABI_CALL(blk_read, struct abi_copy, abi_decode_blk_read, abi_invoke_blk_read)

static enum abi_fault abi_decode_blk_write(struct sip *s,
					   const struct abi_in_blk_write *in,
					   struct abi_copy *d)
{
	return decode_copy(s, in->blk, in->off, in->src, in->len, d);
}

static abi_ret_t abi_invoke_blk_write(struct sip *s, struct abi_copy *d)
{
	return copy(s, d, true);
}
ABI_CALL(blk_write, struct abi_copy, abi_decode_blk_write, abi_invoke_blk_write)

// In place: loads return zero-extended values, stores write the low bytes.
struct abi_poke {
	struct abi_blk blk;
	uint64_t v;
};

#define LOAD_STORE(w)                                                          \
	static enum abi_fault abi_decode_blk_load##w(                          \
		struct sip *s, const struct abi_in_blk_load##w *in,            \
		struct abi_blk *d)                                             \
	{                                                                      \
		return decode_blk_range(s, in->blk, in->off, (w) / 8, d);      \
	}                                                                      \
	static abi_ret_t abi_invoke_blk_load##w(struct sip *s,                 \
						struct abi_blk *d)             \
	{                                                                      \
		uint64_t v = 0;                                                \
		(void)s;                                                       \
		memcpy(&v, d->p, (w) / 8);                                     \
		return (abi_ret_t)v;                                           \
	}                                                                      \
	ABI_CALL(blk_load##w, struct abi_blk, abi_decode_blk_load##w,          \
		 abi_invoke_blk_load##w)                                       \
	static enum abi_fault abi_decode_blk_store##w(                         \
		struct sip *s, const struct abi_in_blk_store##w *in,           \
		struct abi_poke *d)                                            \
	{                                                                      \
		d->v = (uint64_t)in->v;                                        \
		return decode_blk_range(s, in->blk, in->off, (w) / 8, &d->blk);\
	}                                                                      \
	static abi_ret_t abi_invoke_blk_store##w(struct sip *s,                \
						 struct abi_poke *d)           \
	{                                                                      \
		(void)s;                                                       \
		memcpy(d->blk.p, &d->v, (w) / 8);                              \
		return 0;                                                      \
	}                                                                      \
	ABI_CALL(blk_store##w, struct abi_poke, abi_decode_blk_store##w,       \
		 abi_invoke_blk_store##w)
LOAD_STORE(8)
LOAD_STORE(32)
LOAD_STORE(64)

const struct abi_entry abi_blk[] = {
	ABI_ENTRY(blk_alloc),
	ABI_ENTRY(blk_free),
	ABI_ENTRY(blk_len),
	ABI_ENTRY(blk_read),
	ABI_ENTRY(blk_write),
	ABI_ENTRY(blk_load8),
	ABI_ENTRY(blk_load32),
	ABI_ENTRY(blk_load64),
	ABI_ENTRY(blk_store8),
	ABI_ENTRY(blk_store32),
	ABI_ENTRY(blk_store64),
};
const size_t abi_blk_n = ISOLA_ARRAY_LEN(abi_blk);
