// SPDX-License-Identifier: MIT
// The ABI tests' fixture (abi_fixture.h).
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "abi_fixture.h"

const uint8_t *abi_hello;
size_t abi_hello_size;

int abi_boot(void **state)
{
	(void)state;
	host_env_boot(ISOLA_TEST_INITRD);
	abi_hello = host_read_file(WASM("sip_hello"), &abi_hello_size);
	return abi_hello ? 0 : -1;
}

struct sip *abi_sip(uint32_t *id)
{
	assert_int_equal(host_spawn("hello", abi_hello, abi_hello_size, id), ERR_OK);
	struct sip *s = host_sip(*id);
	assert_non_null(s);
	return s;
}

void abi_end(uint32_t id)
{
	int32_t code;
	enum sip_state st = host_end(id, &code);
	assert_true(st == SIP_KILLED || st == SIP_EXITED);
}

int abi_setup(void **state)
{
	static struct fixture f;
	memset(&f, 0, sizeof(f));
	host_snapshot(&f.base);
	f.s = abi_sip(&f.id);
	f.msize = host_mem(f.s)->size;
	*state = &f;
	return 0;
}

int abi_teardown(void **state)
{
	struct fixture *f = *state;
	const char *broken = host_check_ownership();
	if (broken)
		fail_msg("ownership: %s", broken);
	abi_end(f->id);
	const char *diff = host_baseline_diff(&f->base);
	if (diff)
		fail_msg("not back at baseline: %s", diff);
	return 0;
}

uint64_t abi_ok_(struct sip *s, const char *name, const uint64_t *a, size_t n)
{
	uint64_t ret = 0;
	isola_err_t err = host_abi(s, name, a, n, &ret);
	if (err != ERR_OK)
		fail_msg("%s stopped the SIP with %d", name, (int)err);
	return ret;
}

void abi_fails_(struct sip *s, const char *name, const uint64_t *a, size_t n,
		isola_err_t code)
{
	uint64_t ret = abi_ok_(s, name, a, n);
	if ((int32_t)ret != -(int32_t)code)
		fail_msg("%s returned %d, not -%d", name, (int32_t)ret, (int)code);
}

void abi_stops_(struct sip *s, const char *name, const uint64_t *a, size_t n,
		isola_err_t code)
{
	uint64_t ret = 0;
	isola_err_t err = host_abi(s, name, a, n, &ret);
	if (err != code)
		fail_msg("%s: %d, not a stop with %d", name, (int)err, (int)code);
}

uint8_t *abi_at(struct sip *s, uint64_t off)
{
	return host_mem(s)->base + off;
}

void abi_put32(struct sip *s, uint64_t off, uint32_t v)
{
	memcpy(abi_at(s, off), &v, 4);
}

uint32_t abi_get32(struct sip *s, uint64_t off)
{
	uint32_t v;
	memcpy(&v, abi_at(s, off), 4);
	return v;
}

void abi_put_hash(struct sip *s, uint64_t off, const char *name)
{
	const struct contract *c = kcontract_by_name(name, strlen(name), NULL, 0);
	assert_non_null(c);
	memcpy(abi_at(s, off), c->hash, CONTRACT_HASH_SIZE);
}

uint32_t abi_msg(const char *cname, const char *name)
{
	const struct contract *c = kcontract_by_name(cname, strlen(cname), NULL, 0);
	assert_non_null(c);
	for (uint32_t i = 0; i < c->n_msgs; i++)
		if (c->msgs[i].name_len == strlen(name) &&
		    memcmp(c->msgs[i].name, name, c->msgs[i].name_len) == 0)
			return i;
	fail_msg("no message %s in %s", name, cname);
	return 0;
}

void abi_link(struct sip *a, struct sip *b, const char *cname, uint32_t *ha,
	      uint32_t *hb)
{
	const struct contract *c = kcontract_by_name(cname, strlen(cname), NULL, 0);
	struct chan_endpoint *exp, *imp;
	assert_non_null(c);
	assert_int_equal(chan_create(kchan_env(), c, sip_xo(a), sip_xo(b), &exp, &imp),
			 ERR_OK);
	assert_int_equal(handle_insert(&a->handles, HANDLE_KIND_ENDPOINT, exp, ha), ERR_OK);
	assert_int_equal(handle_insert(&b->handles, HANDLE_KIND_ENDPOINT, imp, hb), ERR_OK);
	kchan_set_waiter(exp, &a->wq);
	kchan_set_waiter(imp, &b->wq);
}

uint32_t abi_msg_size(const char *cname, const char *name)
{
	const struct contract *c = kcontract_by_name(cname, strlen(cname), NULL, 0);
	return c->msgs[abi_msg(cname, name)].size;
}

uint32_t abi_bytes_type(void)
{
	const struct contract *c = kcontract_by_name("kv", 2, NULL, 0);
	return c->msgs[abi_msg("kv", "get")].fields[0].type_tag;
}
