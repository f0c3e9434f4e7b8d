// SPDX-License-Identifier: MIT
// The registry tables contractc writes: every entry is reachable through
// the isola_contracts section, decodes, and carries the descriptor's hash;
// the same contract from two files (kv) would have one hash.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include <isola/contract.h>

extern const struct contract_registry_entry *const __start_isola_contracts[];
extern const struct contract_registry_entry *const __stop_isola_contracts[];
extern const struct contract_registry_entry contract_registry_kv;
extern const struct contract_registry_entry contract_registry_naming;

static void test_entries_decode(void **state)
{
	(void)state;
	size_t n = (size_t)(__stop_isola_contracts - __start_isola_contracts);
	assert_int_equal(n, 4);
	for (size_t i = 0; i < n; i++) {
		const struct contract_registry_entry *e = __start_isola_contracts[i];
		struct contract_arena a = { malloc(CONTRACT_ARENA_SIZE(e->desc_len)),
					    CONTRACT_ARENA_SIZE(e->desc_len), 0 };
		const struct contract *c;
		assert_int_equal(contract_decode(e->desc, e->desc_len, &a, &c, NULL), ERR_OK);
		assert_memory_equal(c->hash, e->hash, CONTRACT_HASH_SIZE);
		assert_int_equal(c->name_len, strlen(e->name));
		assert_memory_equal(c->name, e->name, c->name_len);
		assert_ptr_equal(contract_registry_find(__start_isola_contracts, n, e->hash), e);
		free(a.base);
	}
}

// naming refers to kv by hash: the reference is the registered kv.
static void test_reference_hash(void **state)
{
	(void)state;
	struct contract_arena a = { malloc(CONTRACT_ARENA_SIZE(contract_registry_naming.desc_len)),
				    CONTRACT_ARENA_SIZE(contract_registry_naming.desc_len), 0 };
	const struct contract *c;
	assert_int_equal(contract_decode(contract_registry_naming.desc,
					 contract_registry_naming.desc_len, &a, &c, NULL), ERR_OK);
	bool found = false;
	for (uint8_t i = 0; i < c->n_refs; i++)
		found |= !memcmp(c->refs[i], contract_registry_kv.hash, CONTRACT_HASH_SIZE);
	assert_true(found);
	free(a.base);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_decode),
		cmocka_unit_test(test_reference_hash),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
