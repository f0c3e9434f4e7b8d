// SPDX-License-Identifier: MIT
// The SIP sections of a decoded module: finding isola.manifest and
// isola.contracts (each at most once), walking the length-prefixed
// descriptors of isola.contracts (rules S-SECTION-DUP, S-CONTRACTS-*), and
// the manifest's canonical text. The descriptors themselves are decoded
// by the contract code in channels/, not here.
#include <isola/fmt.h>
#include <isola/manifest.h>
#include <isola/verifier.h>

#include <stdarg.h>
#include <string.h>

// ---- finding the sections -----------------------------------------------

// The one custom section called name: ERR_OK with *out (NULL if absent),
// or ERR_MANIFEST_SECTION_DUP with *dup_off the second one's id byte.
ISOLA_MUST_CHECK
static isola_err_t sip_section_once(const struct vf_module *m,
				    const char *name,
				    const struct vf_custom **out,
				    uint32_t *dup_off)
{
	const struct vf_custom *c = vf_find_custom(m, name, strlen(name), NULL);
	const struct vf_custom *again;

	if (c) {
		again = vf_find_custom(m, name, strlen(name), c);
		if (again) {
			if (dup_off)
				*dup_off = again->section_off;
			return ERR_MANIFEST_SECTION_DUP;
		}
	}
	*out = c;
	return ERR_OK;
}

isola_err_t vf_sip_sections_find(const struct vf_module *m,
				 struct vf_sip_sections *out,
				 uint32_t *dup_off)
{
	const struct vf_custom *man, *con;

	TRY(sip_section_once(m, VF_MANIFEST_SECTION, &man, dup_off));
	TRY(sip_section_once(m, VF_CONTRACTS_SECTION, &con, dup_off));
	memset(out, 0, sizeof(*out));
	if (man) {
		out->manifest = vf_range_ptr(m, man->payload);
		out->manifest_len = man->payload.len;
		out->manifest_off = man->payload.off;
	}
	if (con) {
		out->contracts = vf_range_ptr(m, con->payload);
		out->contracts_len = con->payload.len;
		out->contracts_off = con->payload.off;
	}
	return ERR_OK;
}

// ---- the contracts section ----------------------------------------------

static uint32_t get_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

isola_err_t vf_contracts_next(const uint8_t *sec, size_t len, size_t *off,
			      const uint8_t **desc, size_t *desc_len)
{
	size_t at = *off, left;
	uint32_t n;

	if (at >= len) {
		*desc = NULL;
		*desc_len = 0;
		return ERR_OK;
	}
	left = len - at;
	// S-CONTRACTS-TRUNCATED, S-CONTRACTS-EMPTY, S-CONTRACTS-LARGE
	if (left < 4)
		return ERR_MANIFEST_CONTRACTS_TRUNCATED;
	n = get_le32(sec + at);
	if (n == 0)
		return ERR_MANIFEST_CONTRACTS_EMPTY;
	if (n > VF_CONTRACT_DESC_MAX)
		return ERR_MANIFEST_CONTRACTS_LARGE;
	if (n > left - 4)
		return ERR_MANIFEST_CONTRACTS_TRUNCATED;
	*desc = sec + at + 4;
	*desc_len = n;
	*off = at + 4 + n;
	return ERR_OK;
}

isola_err_t vf_contracts_check(const uint8_t *sec, size_t len,
			       uint32_t *count, size_t *bad_off)
{
	const uint8_t *d;
	size_t off = 0, n;
	uint32_t i = 0;

	for (;;) {
		isola_err_t err = vf_contracts_next(sec, len, &off, &d, &n);
		if (err != ERR_OK) {
			if (bad_off)
				*bad_off = off;
			return err;
		}
		if (!d)
			break;
		i++;
	}
	if (count)
		*count = i;
	return ERR_OK;
}

// ---- canonical text -----------------------------------------------------

struct fmt_out {
	char *buf;
	size_t len;
	size_t n; // would-be length
};

static void out_line(struct fmt_out *o, const char *fmt, ...)
	ISOLA_PRINTF(2, 3);

static void out_line(struct fmt_out *o, const char *fmt, ...)
{
	size_t room = o->n < o->len ? o->len - o->n : 0;
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = isola_vsnprintf(room ? o->buf + o->n : NULL, room, fmt, ap);
	va_end(ap);
	if (k > 0)
		o->n += (size_t)k;
}

static void out_endpoint(struct fmt_out *o, const struct vf_manifest_endpoint *e)
{
	if (e->is_procmgr) {
		out_line(o, "endpoint %s procmgr\n", e->name);
		return;
	}
	out_line(o, "endpoint %s %s.%s%s%s\n", e->name, e->contract,
		 e->side == VF_EP_EXP ? "exp" : "imp", e->state[0] ? "@" : "",
		 e->state);
}

size_t vf_manifest_format(const struct vf_manifest *m, char *buf, size_t len)
{
	struct fmt_out o = {buf, len, 0};

	if (len)
		buf[0] = '\0';
	out_line(&o, "name %s\n", m->name);
	if (m->version[0])
		out_line(&o, "version %s\n", m->version);
	out_line(&o, "memory %u\n", m->memory);
	out_line(&o, "stack %u\n", m->stack);
	out_line(&o, "exchange %u\n", m->exchange);
	for (uint32_t i = 0; i < m->nendpoints && i < VF_MANIFEST_MAX_ENDPOINTS;
	     i++)
		out_endpoint(&o, &m->endpoints[i]);
	if (m->hardware & VF_HW_SERIAL)
		out_line(&o, "hardware serial\n");
	return o.n;
}

static bool str_eq(const char *a, const char *b)
{
	size_t n = strlen(a);

	return n == strlen(b) && memcmp(a, b, n) == 0;
}

static bool endpoint_equal(const struct vf_manifest_endpoint *a,
			   const struct vf_manifest_endpoint *b)
{
	return str_eq(a->name, b->name) && str_eq(a->contract, b->contract) &&
	       str_eq(a->state, b->state) && a->side == b->side &&
	       a->is_procmgr == b->is_procmgr;
}

bool vf_manifest_equal(const struct vf_manifest *a, const struct vf_manifest *b)
{
	if (!str_eq(a->name, b->name) || !str_eq(a->version, b->version) ||
	    a->memory != b->memory || a->stack != b->stack ||
	    a->exchange != b->exchange || a->hardware != b->hardware ||
	    a->nendpoints != b->nendpoints)
		return false;
	for (uint32_t i = 0; i < a->nendpoints && i < VF_MANIFEST_MAX_ENDPOINTS;
	     i++)
		if (!endpoint_equal(&a->endpoints[i], &b->endpoints[i]))
			return false;
	return true;
}
