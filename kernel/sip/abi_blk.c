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

// The signatures come from common/include/isola/abi.def (abi.c defines
// them), so the binding table cannot disagree with the verifier's check.
#define ISOLA_ABI(name, np, nr, ...) extern const struct vf_functype abi_type_##name;
#include <isola/abi.def>
#undef ISOLA_ABI
#define ABI_ENTRY(name, fn) { #name, &abi_type_##name, fn }


static isola_err_t get_blk(struct sip *s, uint32_t h, struct xheap_block **b)
{
	return handle_get(&s->handles, h, HANDLE_KIND_BLOCK, (void **)b);
}

// The bytes [off, off + len) of block h, or a stop code.
static isola_err_t blk_range(struct sip *s, uint32_t h, uint64_t off,
			     uint64_t len, uint8_t **out)
{
	struct xheap_block *b;
	TRY(get_blk(s, h, &b));
	if (off > b->size || len > b->size - off)
		return ERR_ABI_RANGE;
	*out = (uint8_t *)xheap_block_data(b) + off;
	return ERR_OK;
}

// blk_alloc(size, type) -> handle | -err. The block's memory counts
// against the SIP's exchange limit (the manifest's, clamped to half of the
// memory there is, sip.c) from now until a receiver takes it, and against
// the pool all SIPs share.
static isola_err_t abi_alloc(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	uint32_t size = (uint32_t)a[0];
	if (size == 0 || size > XHEAP_MAX_BLOCK)
		return abi_ret_err(a, ERR_XHEAP_SIZE);
	size_t fp = xheap_footprint(size);
	isola_err_t room = account_exchange_reserve(kaccounts(), s->acct, fp);
	if (room != ERR_OK)
		return abi_ret_err(a, room);
	struct xheap_block *b;
	isola_err_t err = xheap_alloc(kchan_heap(), sip_xo(s), size, (uint32_t)a[1], &b);
	account_exchange_done(kaccounts(), fp);
	if (err != ERR_OK)
		return abi_ret_err(a, err);
	uint32_t h;
	err = handle_insert(&s->handles, HANDLE_KIND_BLOCK, b, &h);
	if (err != ERR_OK) {
		(void)xheap_free(kchan_heap(), sip_xo(s), b);
		return abi_ret_err(a, err);
	}
	a[0] = h;
	return ERR_OK;
}

// blk_free(blk) -> 0. Handle 0 is accepted and ignored, as chan_close's.
static isola_err_t abi_free(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct xheap_block *b;
	if ((uint32_t)a[0] == 0)
		return a[0] = 0, ERR_OK;
	TRY(handle_take(&s->handles, (uint32_t)a[0], HANDLE_KIND_BLOCK, (void **)&b));
	TRY(xheap_free(kchan_heap(), sip_xo(s), b));
	a[0] = 0;
	return ERR_OK;
}

// blk_len(blk) -> size
static isola_err_t abi_len(void *ctx, struct eng_thread *th, uint64_t *a)
{
	struct sip *s = ctx;
	(void)th;
	struct xheap_block *b;
	TRY(get_blk(s, (uint32_t)a[0], &b));
	a[0] = b->size;
	return ERR_OK;
}

// blk_read(blk, off, dst, len) / blk_write(blk, off, src, len) -> 0
static isola_err_t copy(struct sip *s, uint64_t *a, bool to_block)
{
	uint32_t len = (uint32_t)a[3];
	uint8_t *bp, *up = abi_user(s, (uint32_t)a[2], len);
	TRY(blk_range(s, (uint32_t)a[0], (uint32_t)a[1], len, &bp));
	if (!up)
		return ERR_ABI_RANGE;
	// A block and linear memory never overlap, so chunks may go in order.
	for (uint32_t done = 0; done < len; done += ABI_COPY_CHUNK) {
		uint32_t n = len - done < ABI_COPY_CHUNK ? len - done : ABI_COPY_CHUNK;
		if (s->kill_requested)
			return ERR_ENG_KILLED;
		memcpy(to_block ? bp + done : up + done, to_block ? up + done : bp + done, n);
	}
	a[0] = 0;
	return ERR_OK;
}

static isola_err_t abi_read(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)th;
	return copy(ctx, a, false);
}

static isola_err_t abi_write(void *ctx, struct eng_thread *th, uint64_t *a)
{
	(void)th;
	return copy(ctx, a, true);
}

// In place: loads return zero-extended values, stores write the low bytes.
static isola_err_t load(struct sip *s, uint64_t *a, unsigned width)
{
	uint8_t *p;
	TRY(blk_range(s, (uint32_t)a[0], (uint32_t)a[1], width, &p));
	uint64_t v = 0;
	memcpy(&v, p, width);
	a[0] = v;
	return ERR_OK;
}

static isola_err_t store(struct sip *s, uint64_t *a, unsigned width)
{
	uint8_t *p;
	TRY(blk_range(s, (uint32_t)a[0], (uint32_t)a[1], width, &p));
	memcpy(p, &a[2], width);
	return ERR_OK;
}

#define LOAD_STORE(w)                                                          \
	static isola_err_t abi_load##w(void *ctx, struct eng_thread *th,       \
				       uint64_t *a)                            \
	{                                                                      \
		(void)th;                                                      \
		return load(ctx, a, (w) / 8);                                  \
	}                                                                      \
	static isola_err_t abi_store##w(void *ctx, struct eng_thread *th,      \
					uint64_t *a)                           \
	{                                                                      \
		(void)th;                                                      \
		return store(ctx, a, (w) / 8);                                 \
	}
LOAD_STORE(8)
LOAD_STORE(32)
LOAD_STORE(64)

const struct abi_entry abi_blk[] = {
	ABI_ENTRY(blk_alloc, abi_alloc),
	ABI_ENTRY(blk_free, abi_free),
	ABI_ENTRY(blk_len, abi_len),
	ABI_ENTRY(blk_read, abi_read),
	ABI_ENTRY(blk_write, abi_write),
	ABI_ENTRY(blk_load8, abi_load8),
	ABI_ENTRY(blk_load32, abi_load32),
	ABI_ENTRY(blk_load64, abi_load64),
	ABI_ENTRY(blk_store8, abi_store8),
	ABI_ENTRY(blk_store32, abi_store32),
	ABI_ENTRY(blk_store64, abi_store64),
};
const size_t abi_blk_n = ISOLA_ARRAY_LEN(abi_blk);
