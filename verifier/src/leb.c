// SPDX-License-Identifier: MIT
// Reading the binary format's primitives: LEB128 integers with their
// length and range rules (M-LEB-LONG, M-LEB-RANGE), names with UTF-8
// validation (M-UTF8), vector counts bounded by the bytes left (M-LENGTH)
// and value types (M-VALTYPE). The one-byte fast paths are in vf_env.h.
#include "vf_env.h"

// The LEB128 readers are the instruction reader's (instr.c), reporting
// through the environment.
ISOLA_MUST_CHECK
static isola_err_t vf_rd_done(struct vf_env *e, struct vf_rd *r,
			      struct vf_cursor *c, isola_err_t err)
{
	if (err != ERR_OK)
		return vf_fail(e, err, c->err_at);
	r->p = c->p;
	return ERR_OK;
}

isola_err_t vf_rd_u32_slow(struct vf_env *e, struct vf_rd *r, uint32_t *out)
{
	struct vf_cursor c = {r->p, r->end, NULL};

	return vf_rd_done(e, r, &c, vf_cur_u32_slow(&c, out));
}

isola_err_t vf_rd_s32_slow(struct vf_env *e, struct vf_rd *r, int32_t *out)
{
	struct vf_cursor c = {r->p, r->end, NULL};
	int64_t v;

	TRY(vf_rd_done(e, r, &c, vf_cur_signed(&c, 32, &v)));
	*out = (int32_t)v;
	return ERR_OK;
}

isola_err_t vf_rd_s33(struct vf_env *e, struct vf_rd *r, int64_t *out)
{
	struct vf_cursor c = {r->p, r->end, NULL};

	return vf_rd_done(e, r, &c, vf_cur_signed(&c, 33, out));
}

isola_err_t vf_rd_s64_slow(struct vf_env *e, struct vf_rd *r, int64_t *out)
{
	struct vf_cursor c = {r->p, r->end, NULL};

	return vf_rd_done(e, r, &c, vf_cur_signed(&c, 64, out));
}

isola_err_t vf_rd_count(struct vf_env *e, struct vf_rd *r, uint32_t max,
			uint32_t min_size, uint32_t *out)
{
	const uint8_t *at = r->p;
	uint32_t n;

	TRY(vf_rd_u32(e, r, &n));
	if ((uint64_t)n * min_size > (uint64_t)(r->end - r->p))
		return vf_failf(e, ERR_VF_LENGTH, at, "count %u", n);
	if (n > max)
		return vf_failf(e, ERR_VF_LIMIT_COUNT, at, "count %u, limit %u",
				n, max);
	*out = n;
	return ERR_OK;
}

// Length of the UTF-8 sequence starting at p (at most n bytes), 0 if bad.
static size_t vf_utf8_seq(const uint8_t *p, size_t n)
{
	uint8_t b = p[0];
	size_t len;
	uint32_t cp;

	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		len = 2, cp = b & 0x1f;
	else if (b >= 0xe0 && b <= 0xef)
		len = 3, cp = b & 0x0f;
	else if (b >= 0xf0 && b <= 0xf4)
		len = 4, cp = b & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	// Overlong forms, surrogates and values past U+10FFFF.
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return len;
}

bool vf_is_utf8(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t l = vf_utf8_seq(p + i, n - i);
		if (l == 0)
			return false;
		i += l;
	}
	return true;
}

isola_err_t vf_rd_name(struct vf_env *e, struct vf_rd *r, struct vf_range *out)
{
	const uint8_t *at = r->p;
	uint32_t len;

	TRY(vf_rd_u32(e, r, &len));
	if (len > (size_t)(r->end - r->p))
		return vf_fail(e, ERR_VF_LENGTH, at);
	if (!vf_is_utf8(r->p, len))
		return vf_fail(e, ERR_VF_UTF8, r->p);
	out->off = vf_off(e, r->p);
	out->len = len;
	r->p += len;
	return ERR_OK;
}

isola_err_t vf_rd_valtype(struct vf_env *e, struct vf_rd *r, vf_valtype_t *out)
{
	uint8_t b;

	TRY(vf_rd_byte(e, r, &b));
	switch (b) {
	case VF_TYPE_I32:
	case VF_TYPE_I64:
	case VF_TYPE_F32:
	case VF_TYPE_F64:
		*out = b;
		return ERR_OK;
	case 0x7b: // v128
	case 0x70: // funcref as a value
	case 0x6f: // externref
		return vf_failf(e, ERR_VF_UNSUPPORTED, r->p - 1,
				"value type 0x%02x", b);
	default:
		return vf_failf(e, ERR_VF_VALTYPE, r->p - 1, "byte 0x%02x", b);
	}
}
