// SPDX-License-Identifier: MIT
// The SIP-level checks, as a list of passes over a validated module:
// sections, imports, entry point, manifest and its limits, contracts
// (decoded with the channels library's contract_decode and compared with
// the system registry), endpoints, then the ownership and protocol
// analysis (own_interp.c). Rules S-* in docs/verifier-rules.md.
#include "sip_internal.h"

#include <isola/fmt.h>

#include <stdarg.h>
#include <string.h>

struct vf_sip {
	const struct vf_module *m;
	const struct vf_sip_env *env;
	struct vf_sip_result *out;
	struct vf_sip_mem mem;
	struct vf_sip_sections sec;
	struct vf_manifest *man; // NULL: no manifest
	uint32_t ncontracts;
	const struct contract *contracts[VF_SIP_MAX_CONTRACTS + VF_MANIFEST_MAX_ENDPOINTS];
	void *arena[VF_SIP_MAX_CONTRACTS + VF_MANIFEST_MAX_ENDPOINTS];
	size_t arena_size[VF_SIP_MAX_CONTRACTS + VF_MANIFEST_MAX_ENDPOINTS];
};

void *vf_sip_alloc(struct vf_sip_mem *mem, size_t size)
{
	void *p;

	size = (size + 15) & ~(size_t)15;
	if (size == 0 || size > mem->a->cap || mem->used > mem->a->cap - size)
		return NULL;
	p = mem->a->alloc(mem->a->ctx, size);
	if (!p)
		return NULL;
	mem->used += size;
	memset(p, 0, size);
	return p;
}

void vf_sip_free(struct vf_sip_mem *mem, void *p, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	if (!p)
		return;
	mem->used -= size;
	if (mem->a->free)
		mem->a->free(mem->a->ctx, p, size);
}

void vf_sip_diag_set(struct vf_diag *d, isola_err_t code, uint32_t off)
{
	d->code = code;
	d->offset = off;
	d->func_index = VF_NO_INDEX;
	d->instr_off = VF_NO_INDEX;
	d->detail[0] = '\0';
}

ISOLA_MUST_CHECK
static isola_err_t vf_sip_fail(struct vf_sip *s, isola_err_t code, uint32_t off,
			       const char *fmt, ...) ISOLA_PRINTF(4, 5);

ISOLA_MUST_CHECK
static isola_err_t vf_sip_fail(struct vf_sip *s, isola_err_t code, uint32_t off,
			       const char *fmt, ...)
{
	va_list ap;

	vf_sip_diag_set(&s->out->diag, code, off);
	va_start(ap, fmt);
	isola_vsnprintf(s->out->diag.detail, sizeof(s->out->diag.detail), fmt, ap);
	va_end(ap);
	return code;
}

// The manifest (S-CHAR to S-HARDWARE, S-MEMORY): well formed (the parser's
// codes) and within the limits the module can be held to: its initial
// memory fits the manifest's memory.
ISOLA_MUST_CHECK
static isola_err_t vf_sip_manifest(struct vf_sip *s)
{
	struct vf_manifest_diag md;
	const struct vf_module *m = s->m;

	if (!s->sec.manifest)
		return ERR_OK;
	s->man = vf_sip_alloc(&s->mem, sizeof(*s->man));
	if (!s->man)
		return vf_sip_fail(s, ERR_VF_NOMEM, 0, "manifest");
	if (vf_manifest_parse(s->sec.manifest, s->sec.manifest_len, s->man,
			      &md) != ERR_OK) {
		if (md.line)
			return vf_sip_fail(s, md.code, s->sec.manifest_off + md.offset,
					   "manifest line %u: %s", md.line, md.detail);
		return vf_sip_fail(s, md.code, s->sec.manifest_off + md.offset,
				   "manifest: %s", md.detail);
	}
	if (m->nmemories > 0 &&
	    (uint64_t)m->memories[0].limits.min * VF_MANIFEST_MEMORY_UNIT >
		    s->man->memory)
		return vf_sip_fail(s, ERR_SIP_MEMORY_OVER, s->sec.manifest_off,
				   "%u pages, manifest memory %u bytes",
				   m->memories[0].limits.min, s->man->memory);
	return ERR_OK;
}

static bool vf_same_name(const struct contract *c, const char *name, size_t len)
{
	return c->name_len == len && memcmp(c->name, name, len) == 0;
}

isola_err_t vf_sip_contract(const uint8_t *desc, size_t len,
			    const struct vf_sip_env *env,
			    struct contract_arena *arena,
			    const struct contract **out, struct vf_diag *d)
{
	struct contract_diag cd = {0};
	const struct contract *c;
	isola_err_t err = contract_decode(desc, len, arena, &c, &cd);

	if (err != ERR_OK) {
		vf_sip_diag_set(d, ERR_SIP_CONTRACT_DESC, cd.offset);
		isola_snprintf(d->detail, sizeof(d->detail), "%s",
			       isola_err_message(err));
		return d->code;
	}
	// S-CONTRACT-SYSTEM: a system contract's name carries its hash.
	for (size_t i = 0; i < env->nsystem; i++) {
		const struct contract_registry_entry *e = env->system[i];
		if (vf_same_name(c, e->name, strlen(e->name)) &&
		    memcmp(e->hash, c->hash, CONTRACT_HASH_SIZE) != 0) {
			vf_sip_diag_set(d, ERR_SIP_CONTRACT_HASH, 0);
			isola_snprintf(d->detail, sizeof(d->detail),
				       "'%s': system hash %02x%02x%02x%02x, image "
				       "%02x%02x%02x%02x", e->name, e->hash[0],
				       e->hash[1], e->hash[2], e->hash[3], c->hash[0],
				       c->hash[1], c->hash[2], c->hash[3]);
			return d->code;
		}
	}
	*out = c;
	return ERR_OK;
}

// Decodes desc into a new arena and keeps it in s->contracts.
ISOLA_MUST_CHECK
static isola_err_t vf_sip_decode(struct vf_sip *s, const uint8_t *desc,
				 size_t len, uint32_t off)
{
	uint32_t i = s->ncontracts;
	size_t size = CONTRACT_ARENA_SIZE(len);
	struct contract_arena a;

	s->arena[i] = vf_sip_alloc(&s->mem, size);
	if (!s->arena[i])
		return vf_sip_fail(s, ERR_VF_NOMEM, off, "contract arena");
	s->arena_size[i] = size;
	s->ncontracts++;
	a = (struct contract_arena){s->arena[i], size, 0};
	if (vf_sip_contract(desc, len, s->env, &a, &s->contracts[i],
			    &s->out->diag) != ERR_OK) {
		s->out->diag.offset += off;
		return s->out->diag.code;
	}
	return ERR_OK;
}

// S-CONTRACT-*: every entry of isola.contracts decodes, at most
// VF_SIP_MAX_CONTRACTS, no two different ones with one name.
ISOLA_MUST_CHECK
static isola_err_t vf_sip_contracts(struct vf_sip *s)
{
	size_t off = 0;

	for (;;) {
		const uint8_t *desc;
		size_t len;
		uint32_t at = s->sec.contracts_off + (uint32_t)off;
		isola_err_t err = vf_contracts_next(s->sec.contracts,
						    s->sec.contracts_len, &off,
						    &desc, &len);
		if (err != ERR_OK)
			return vf_sip_fail(s, err, at, "isola.contracts entry");
		if (!desc)
			return ERR_OK;
		if (s->ncontracts == VF_SIP_MAX_CONTRACTS)
			return vf_sip_fail(s, ERR_SIP_CONTRACT_COUNT, at,
					   "more than %u", VF_SIP_MAX_CONTRACTS);
		TRY(vf_sip_decode(s, desc, len, at + 4));
		const struct contract *c = s->contracts[s->ncontracts - 1];
		for (uint32_t i = 0; i + 1 < s->ncontracts; i++)
			if (vf_same_name(s->contracts[i], c->name, c->name_len) &&
			    memcmp(s->contracts[i]->hash, c->hash,
				   CONTRACT_HASH_SIZE) != 0)
				return vf_sip_fail(s, ERR_SIP_CONTRACT_DUP, at,
						   "'%.*s'", (int)c->name_len,
						   c->name);
	}
}

// The contract named name: a declared one, else a system one (decoded
// and kept), else NULL.
ISOLA_MUST_CHECK
static isola_err_t vf_sip_by_name(struct vf_sip *s, const char *name,
				  const struct contract **out)
{
	size_t len = strlen(name);

	*out = NULL;
	for (uint32_t i = 0; i < s->ncontracts; i++)
		if (vf_same_name(s->contracts[i], name, len)) {
			*out = s->contracts[i];
			return ERR_OK;
		}
	for (size_t i = 0; i < s->env->nsystem; i++) {
		const struct contract_registry_entry *e = s->env->system[i];
		if (strcmp(e->name, name) != 0)
			continue;
		TRY(vf_sip_decode(s, e->desc, e->desc_len, s->sec.manifest_off));
		*out = s->contracts[s->ncontracts - 1];
		return ERR_OK;
	}
	return ERR_OK;
}

static bool vf_has_state(const struct contract *c, const char *name)
{
	size_t len = strlen(name);

	if (c->form == CONTRACT_FORM_INTERFACE)
		return false;
	for (uint16_t i = 0; i < c->n_states; i++)
		if (c->states[i].name_len == len &&
		    memcmp(c->states[i].name, name, len) == 0)
			return true;
	return false;
}

// S-EP-CONTRACT, S-EP-STATE: each endpoint names a declared or system
// contract, and a state it has.
ISOLA_MUST_CHECK
static isola_err_t vf_sip_endpoints(struct vf_sip *s)
{
	if (!s->man)
		return ERR_OK;
	for (uint32_t i = 0; i < s->man->nendpoints; i++) {
		const struct vf_manifest_endpoint *e = &s->man->endpoints[i];
		const struct contract *c;
		if (e->is_procmgr)
			continue;
		TRY(vf_sip_by_name(s, e->contract, &c));
		if (!c)
			return vf_sip_fail(s, ERR_SIP_EP_CONTRACT, s->sec.manifest_off,
					   "endpoint %s: '%s'", e->name, e->contract);
		if (e->state[0] && !vf_has_state(c, e->state))
			return vf_sip_fail(s, ERR_SIP_EP_STATE, s->sec.manifest_off,
					   "endpoint %s: '%s' has no state '%s'",
					   e->name, e->contract, e->state);
	}
	return ERR_OK;
}

// Every system contract, for the analysis to recognise chan_create's
// hash argument (a SIP may make channels of contracts it does not list).
// Sets *all when every one found room.
ISOLA_MUST_CHECK
static isola_err_t vf_sip_all_system(struct vf_sip *s, bool *all)
{
	*all = true;
	for (size_t i = 0; i < s->env->nsystem; i++) {
		const struct contract_registry_entry *e = s->env->system[i];
		bool have = false;
		for (uint32_t j = 0; j < s->ncontracts && !have; j++)
			have = memcmp(s->contracts[j]->hash, e->hash,
				      CONTRACT_HASH_SIZE) == 0;
		if (!have && s->ncontracts == ISOLA_ARRAY_LEN(s->contracts))
			*all = false;
		if (have || s->ncontracts == ISOLA_ARRAY_LEN(s->contracts))
			continue;
		TRY(vf_sip_decode(s, e->desc, e->desc_len, 0));
	}
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t vf_sip_passes(struct vf_sip *s)
{
	uint32_t dup = 0;
	isola_err_t err = vf_sip_sections_find(s->m, &s->sec, &dup);

	if (err != ERR_OK)
		return vf_sip_fail(s, err, dup, "duplicate SIP section");
	if (!s->sec.manifest && (s->env->flags & VF_SIP_MANIFEST))
		return vf_sip_fail(s, ERR_SIP_NOT_SIP, 0, "a SIP image is made by "
				   "sipcc, which embeds the manifest");
	s->out->is_sip = s->sec.manifest || (s->env->flags & VF_SIP_REQUIRE);
	if (!s->out->is_sip) {
		size_t bad = 0;
		err = vf_contracts_check(s->sec.contracts, s->sec.contracts_len,
					 NULL, &bad);
		if (err != ERR_OK)
			return vf_sip_fail(s, err, s->sec.contracts_off + (uint32_t)bad,
					   "isola.contracts entry");
		return ERR_OK;
	}
	if (!(s->env->flags & VF_SIP_NO_INTERFACE)) {
		TRY(vf_sip_check_imports(s->m, &s->out->diag));
		TRY(vf_sip_check_entry(s->m, &s->out->diag));
	}
	TRY(vf_sip_manifest(s));
	TRY(vf_sip_contracts(s));
	TRY(vf_sip_endpoints(s));
	if (s->env->flags & VF_SIP_NO_ANALYSIS)
		return ERR_OK;
	bool all = true;
	TRY(vf_sip_all_system(s, &all));
	struct vf_own_in in = {s->m, &s->mem, s->env->flags, s->contracts,
			       s->ncontracts, all, s->out};
	return vf_own_analyse(&in);
}

isola_err_t vf_sip_check(const struct vf_module *m,
			 const struct vf_sip_env *env,
			 struct vf_sip_result *out)
{
	struct vf_sip *s;
	struct vf_sip_mem mem = {env->alloc, 0};

	memset(out, 0, sizeof(*out));
	vf_sip_diag_set(&out->diag, ERR_OK, 0);
	s = vf_sip_alloc(&mem, sizeof(*s));
	if (!s) {
		vf_sip_diag_set(&out->diag, ERR_VF_NOMEM, 0);
		return ERR_VF_NOMEM;
	}
	s->m = m;
	s->env = env;
	s->out = out;
	s->mem = mem;
	(void)vf_sip_passes(s);
	while (s->ncontracts > 0) {
		s->ncontracts--;
		vf_sip_free(&s->mem, s->arena[s->ncontracts],
			    s->arena_size[s->ncontracts]);
	}
	if (s->man)
		vf_sip_free(&s->mem, s->man, sizeof(*s->man));
	mem.used = s->mem.used;
	vf_sip_free(&mem, s, sizeof(*s));
	return out->diag.code;
}
