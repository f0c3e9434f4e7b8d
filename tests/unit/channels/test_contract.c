// SPDX-License-Identifier: MIT
// The descriptor: SHA-256 against the standard vectors, a hash that
// ignores comments and layout, queue bounds, and a decoder that answers
// every truncated or mutated descriptor with an error code or a valid
// model (ASan and UBSan watch it), never a crash. An `endpoint` field has
// one canonical encoding, and the decoder refuses every other.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "support.h"

static void hex(const uint8_t *h, char *out)
{
	for (int i = 0; i < 32; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

static void test_sha256_vectors(void **state)
{
	(void)state;
	uint8_t h[32];
	char s[65];
	contract_desc_hash((const uint8_t *)"abc", 3, h);
	hex(h, s);
	assert_string_equal(s, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	contract_desc_hash((const uint8_t *)"", 0, h);
	hex(h, s);
	assert_string_equal(s, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	// The 448-bit standard vector, then the same bytes as a "descriptor":
	// bytes 8..39 (the hash field) count as zero.
	static const char m448[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t buf[56];
	memcpy(buf, m448, 56);
	contract_desc_hash(buf, 8, h);
	hex(h, s);
	assert_string_equal(s, "c76eab381b7ee893e0b558e38575d60aac40e4b67ba27bd891711c618c641a2d");
	memset(buf + 8, 0, 32);
	contract_desc_hash(buf, 56, h);
	hex(h, s);
	assert_string_equal(s, "c4136bccdaaf996332211aaec50628599726a7b88406ada60eb7c5ad399ae8f4");
}

static const char kv_a[] =
	"contract kv \"Key-value store\" {\n"
	"  in message get(bytes key); // comment\n"
	"  out message found(bytes value);\n"
	"  out message missing();\n"
	"  state ready { get? -> answering; }\n"
	"  state answering { found! -> ready; missing! -> ready; }\n"
	"}\n";
static const char kv_b[] =
	"/* the same contract, laid out differently */ contract kv \"other words\"\n"
	"{ in message get ( bytes key ) ; out message found(bytes value); out message\n"
	"missing(); state ready{get?->answering;} state answering {found!->ready;\n"
	"missing!->ready;}};";
static const char kv_c[] = // one message renamed: a different contract
	"contract kv { in message get(bytes key); out message found(bytes value);\n"
	"out message absent(); state ready { get? -> answering; }\n"
	"state answering { found! -> ready; absent! -> ready; } }";

static void test_hash_is_canonical(void **state)
{
	(void)state;
	const struct contract *a = test_contract(kv_a, "kv");
	const struct contract *b = test_contract(kv_b, "kv");
	const struct contract *c = test_contract(kv_c, "kv");
	assert_memory_equal(a->hash, b->hash, CONTRACT_HASH_SIZE);
	assert_memory_not_equal(a->hash, c->hash, CONTRACT_HASH_SIZE);
	test_contracts_free();
}

static void test_bounds(void **state)
{
	(void)state;
	// Three ins in a row at most (a, b, c), one out, then a cycle back.
	const struct contract *c = test_contract(
		"contract p { in message a(); in message b(); in message c();\n"
		"out message r(uint64 x, uint8[3] y);\n"
		"state s0 { a? -> s1; b? -> s2; }\n state s1 { b? -> s2; }\n"
		"state s2 { c? -> s3; }\n state s3 { r! -> s0; } }", "p");
	assert_int_equal(c->form, CONTRACT_FORM_STATES);
	assert_int_equal(c->bound[CONTRACT_IN], 3);
	assert_int_equal(c->bound[CONTRACT_OUT], 1);
	assert_int_equal(c->msgs[3].size, 16);
	assert_int_equal(c->msgs[3].fields[1].offset, 8);
	assert_int_equal(c->max_size[CONTRACT_OUT], 16);
	assert_int_equal(c->max_size[CONTRACT_IN], 0);
	test_contracts_free();
}

// Every prefix and every single-byte change of a real descriptor.
static void test_decoder_mutations(void **state)
{
	(void)state;
	struct cc_ctx cx = { 0 };
	static const char src[] =
		"contract kvbind { in message hi(); out message ok();\n"
		"state a { hi? -> b; } state b { ok! -> a; } }\n"
		"contract n { struct st { uint32 f; uint8[24] t; }\n"
		"in message r(bytes name, kvbind.exp@a s, st info);\n"
		"out message x(block<st> rows, float64 d);\n"
		"in message y(n.imp@s0 e); state s0 { r? -> s1; y? -> s1; } state s1 { x! -> s0; } }";
	struct cc_file *f = cc_compile(&cx, src, strlen(src));
	assert_int_equal(cx.nerrors, 0);
	const struct cc_contract *n = &f->contracts[1];
	size_t len = n->desc_len, arena_size = CONTRACT_ARENA_SIZE(len);
	uint8_t *arena = malloc(arena_size), *copy = malloc(len);
	const struct contract *out;
	unsigned accepted = 0;
	for (size_t cut = 0; cut < len; cut++) {
		struct contract_arena a = { arena, arena_size, 0 };
		memcpy(copy, n->desc, cut);
		assert_int_not_equal(contract_decode_unhashed(copy, cut, &a, &out, NULL), ERR_OK);
	}
	for (size_t i = 0; i < len; i++) {
		for (int bit = 0; bit < 8; bit++) {
			struct contract_arena a = { arena, arena_size, 0 };
			memcpy(copy, n->desc, len);
			copy[i] ^= (uint8_t)(1u << bit);
			isola_err_t err = contract_decode(copy, len, &a, &out, NULL);
			// Every change is caught: outside the hash field the digest
			// differs, inside it the stored hash is wrong.
			assert_int_not_equal(err, ERR_OK);
			a.used = 0;
			if (contract_decode_unhashed(copy, len, &a, &out, NULL) == ERR_OK)
				accepted++;
		}
	}
	assert_true(accepted > 0); // some changes (names, hash bytes) stay valid
	struct contract_arena small = { arena, 64, 0 };
	assert_int_equal(contract_decode(n->desc, len, &small, &out, NULL), ERR_DESC_ARENA);
	free(arena);
	free(copy);
	cc_file_free(f);
	cc_ctx_free(&cx);
}

// An `endpoint` field: kind ENDPOINT, ref CONTRACT_REF_ANY, side 0 and no
// state on the wire, no entry in refs[]; a moved 4-byte handle slot.
static const char any_src[] =
	"contract fwd { in message pass(uint8 t, endpoint e); out message ok();\n"
	"state a { pass? -> b; } state b { ok! -> a; } }";
static const uint8_t any_wire[] = { CONTRACT_K_ENDPOINT, CONTRACT_REF_ANY, 0, 0xff, 0xff };

static void test_any_endpoint_field(void **state)
{
	(void)state;
	const struct contract *c = test_contract(any_src, "fwd");
	const struct contract_msg *m = &c->msgs[test_msg(c, "pass")];
	const struct contract_field *f = &m->fields[1];
	assert_int_equal(c->n_refs, 0);
	assert_int_equal(f->kind, CONTRACT_K_ENDPOINT);
	assert_int_equal(f->ref, CONTRACT_REF_ANY);
	assert_int_equal(f->side, CONTRACT_EXP);
	assert_int_equal(f->state, CONTRACT_NO_STATE);
	assert_int_equal(f->offset, 4);
	assert_int_equal(m->size, 8);
	assert_int_equal(m->n_moved, 1);
	assert_int_equal(m->moved[0], 1);
	test_contracts_free();
}

// Where the any field's bytes sit in the descriptor.
static size_t find_wire(const uint8_t *d, size_t len)
{
	for (size_t i = 0; i + sizeof(any_wire) <= len; i++)
		if (!memcmp(d + i, any_wire, sizeof(any_wire)))
			return i;
	fail_msg("no any-endpoint field in the descriptor");
	return 0;
}

// The canonical form is the only one: another side or any state is
// malformed, even with a freshly sealed hash.
static void test_any_endpoint_canonical(void **state)
{
	(void)state;
	struct cc_ctx cx = { 0 };
	struct cc_file *f = cc_compile(&cx, any_src, strlen(any_src));
	assert_int_equal(cx.nerrors, 0);
	const struct cc_contract *n = &f->contracts[0];
	size_t len = n->desc_len, at = find_wire(n->desc, len);
	size_t arena_size = CONTRACT_ARENA_SIZE(len);
	uint8_t *arena = malloc(arena_size), *copy = malloc(len);
	const struct contract *out;
	struct contract_diag d;
	static const uint8_t bad[][3] = { { 1, 0xff, 0xff }, { 0, 0, 0 }, { 0, 0xfe, 0xff },
					  { 2, 0xff, 0xff } };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct contract_arena a = { arena, arena_size, 0 };
		memcpy(copy, n->desc, len);
		memcpy(copy + at + 2, bad[k], 3);
		contract_desc_seal(copy, len);
		assert_int_equal(contract_decode(copy, len, &a, &out, &d), ERR_DESC_MALFORMED);
		assert_int_equal(d.where, CONTRACT_AT_MSG);
	}
	struct contract_arena a = { arena, arena_size, 0 };
	assert_int_equal(contract_decode(n->desc, len, &a, &out, NULL), ERR_OK);
	free(arena);
	free(copy);
	cc_file_free(f);
	cc_ctx_free(&cx);
}

static void test_registry_find(void **state)
{
	(void)state;
	struct contract_registry_entry a = { .name = "a" }, b = { .name = "b" };
	memset(a.hash, 1, sizeof(a.hash));
	memset(b.hash, 2, sizeof(b.hash));
	const struct contract_registry_entry *const all[] = { &a, &b };
	uint8_t want[32];
	memset(want, 2, sizeof(want));
	assert_ptr_equal(contract_registry_find(all, 2, want), &b);
	memset(want, 3, sizeof(want));
	assert_null(contract_registry_find(all, 2, want));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_hash_is_canonical),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_decoder_mutations),
		cmocka_unit_test(test_any_endpoint_field),
		cmocka_unit_test(test_any_endpoint_canonical),
		cmocka_unit_test(test_registry_find),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
