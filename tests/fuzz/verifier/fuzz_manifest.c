// SPDX-License-Identifier: MIT
// libFuzzer harness for the SIP image sections: every input is parsed as
// an isola.manifest and walked as an isola.contracts section. Failures: a
// crash or sanitizer report, a diagnostic outside the input, an accepted
// manifest whose canonical text does not parse back to the same manifest,
// fields that break their documented bounds, or an iterator entry that
// leaves the section or does not move forward. Each entry (and the whole
// input) is also decoded as a contract descriptor by the SIP-level check
// (vf_sip_contract) against a one-entry system registry.
#include <isola/manifest.h>
#include <isola/sipcheck.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_bounds(const struct vf_manifest *m)
{
	if (m->name[0] == '\0' || m->nendpoints > VF_MANIFEST_MAX_ENDPOINTS ||
	    m->memory < VF_MANIFEST_MEMORY_MIN ||
	    m->memory > VF_MANIFEST_MEMORY_MAX ||
	    m->memory % VF_MANIFEST_MEMORY_UNIT ||
	    m->stack < VF_MANIFEST_STACK_MIN || m->stack > VF_MANIFEST_STACK_MAX ||
	    m->exchange > VF_MANIFEST_EXCHANGE_MAX || (m->hardware & ~VF_HW_ALL))
		abort();
	for (uint32_t i = 0; i < m->nendpoints; i++)
		for (uint32_t j = 0; j < i; j++)
			if (strcmp(m->endpoints[i].name, m->endpoints[j].name) == 0)
				abort();
}

static void fuzz_manifest(const uint8_t *data, size_t size)
{
	static char text[VF_MANIFEST_MAX_SIZE];
	struct vf_manifest m, again;
	struct vf_manifest_diag d;
	size_t n;

	if (vf_manifest_parse(data, size, &m, &d) != ERR_OK) {
		if (d.offset > size || d.code == ERR_OK || d.code == ERR_INTERNAL)
			abort();
		return;
	}
	check_bounds(&m);
	n = vf_manifest_format(&m, text, sizeof(text));
	if (n >= sizeof(text) || strlen(text) != n)
		abort();
	if (vf_manifest_parse((const uint8_t *)text, n, &again, &d) != ERR_OK ||
	    !vf_manifest_equal(&m, &again))
		abort();
}

static void fuzz_contracts(const uint8_t *data, size_t size)
{
	const uint8_t *desc;
	size_t off = 0, len, bad = 0, prev;
	uint32_t count = 0, walked = 0;
	isola_err_t err;

	for (;;) {
		prev = off;
		err = vf_contracts_next(data, size, &off, &desc, &len);
		if (err != ERR_OK) {
			if (off != prev)
				abort();
			break;
		}
		if (!desc)
			break;
		if (off <= prev || len == 0 || len > VF_CONTRACT_DESC_MAX ||
		    desc != data + prev + 4 || off != prev + 4 + len ||
		    off > size)
			abort();
		walked++;
	}
	// The one-call check agrees with the walk.
	if (vf_contracts_check(data, size, &count, &bad) != err ||
	    (err == ERR_OK && count != walked) || (err != ERR_OK && bad != off))
		abort();
}

// A registry entry named "kv" whose hash no decoded input can match by
// chance, so S-CONTRACT-SYSTEM is reached for inputs named kv.
static const struct contract_registry_entry fz_kv = {"kv", NULL, 0, {1, 2, 3}};
static const struct contract_registry_entry *const fz_registry[] = {&fz_kv};

static void *fz_alloc(void *ctx, size_t size)
{
	(void)ctx;
	return aligned_alloc(16, (size + 15) & ~(size_t)15);
}

static void fz_free(void *ctx, void *p, size_t size)
{
	(void)ctx;
	(void)size;
	free(p);
}

static void fuzz_descriptor(const uint8_t *desc, size_t len)
{
	struct vf_allocator a = {fz_alloc, fz_free, NULL, 64u << 20};
	struct vf_sip_env env = {fz_registry, 1, &a, 0};
	size_t size = CONTRACT_ARENA_SIZE(len);
	uint8_t *mem = fz_alloc(NULL, size);
	struct contract_arena arena = {mem, size, 0};
	const struct contract *c = NULL;
	struct vf_diag d;

	if (!mem)
		return;
	if (vf_sip_contract(desc, len, &env, &arena, &c, &d) == ERR_OK) {
		if (!c || c->name_len == 0 || arena.used > size)
			abort();
	} else if (d.code != ERR_SIP_CONTRACT_DESC &&
		   d.code != ERR_SIP_CONTRACT_HASH) {
		abort();
	}
	free(mem);
}

static void fuzz_descriptors(const uint8_t *data, size_t size)
{
	const uint8_t *desc;
	size_t off = 0, len;

	fuzz_descriptor(data, size);
	while (vf_contracts_next(data, size, &off, &desc, &len) == ERR_OK && desc)
		fuzz_descriptor(desc, len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_manifest(data, size);
	fuzz_contracts(data, size);
	fuzz_descriptors(data, size);
	return 0;
}
