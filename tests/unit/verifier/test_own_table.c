// SPDX-License-Identifier: MIT
// Accept/reject table for the ownership analysis on small modules
// (docs/verifier-rules.md, "Ownership and protocol analysis"): handles
// made by a callee that returns (error code, handle) as libsip's
// sip_bytes_make does, the error code tested in the caller, notes under
// VF_SIP_STRICT never hiding a definite error, and VF_SIP_MANIFEST
// refusing a module that is not a SIP image. Each accepted row has a
// rejected twin next to it.
#include "vf_test.h"

#include <isola/sipcheck.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

// Functions of every module: the imports blk_alloc (0), blk_free (1) and
// blk_len (2), then make (3): () -> (i32 i32), main (4) and aux (5):
// () -> (), and use (6): (i32) -> (). Each has one i32 local. Global 0 is
// the stack pointer, global 1 a plain one; one page of memory.
enum { F_MAKE = 3, F_MAIN = 4, F_AUX = 5, F_USE = 6, NFUNCS = 7 };
#define NO_FUNC VF_NO_INDEX

// make: a block of 8 bytes, returned as (0, handle), or (error, 0) when
// blk_alloc fails, as sip_bytes_make returns struct sip_bytes_made.
#define MAKE "\x02\x40\x41\x08\x41\x03\x10\x00\x22\x00\x41\x00\x4e\x0d\x00" \
	     "\x20\x00\x41\x00\x0f\x0b\x41\x00\x20\x00"
// main's pieces: a raw block kept in global 1 (a note at offset 6), and a
// raw block used, freed and freed again (the second free at offset 18).
// use: keeps its parameter in a frame word on one path only (as
// sip_bytes_read_str does), then uses it: its summary says "used".
#define USE "\x23\x00\x21\x01\x02\x40\x41\x00\x28\x02\x00\x0d\x00\x20\x01" \
	    "\x20\x00\x36\x02\x08\x0b\x20\x00\x10\x02\x1a"
#define NOTE "\x41\x08\x41\x03\x10\x00\x24\x01"
#define DFREE "\x41\x08\x41\x03\x10\x00\x22\x00\x10\x02\x1a\x20\x00\x10\x01" \
	      "\x1a\x20\x00\x10\x01\x1a"

struct own_case {
	const char *name;
	const char *main;
	size_t main_n;
	const char *aux;
	size_t aux_n;
	bool manifest; // an isola.manifest section ("name t")
	uint32_t flags;
	isola_err_t code;
	uint32_t func; // where the diagnostic is, or NO_FUNC (offset absolute)
	uint32_t off;  // from the function's first instruction
};

// Pieces of main: make's results, the handle in local 0 and the code on
// the stack; blk_len and blk_free of local 0.
#define MADE "\x10\x03\x21\x00"
#define LEN0 "\x20\x00\x10\x02\x1a"
#define FREE0 "\x20\x00\x10\x01\x1a"

static const struct own_case cases[] = {
	// The caller skips the block on the error code (br_if on it) and
	// uses it on the other path: it must free it there.
	{"code_br_if_leak", S("\x02\x40" MADE "\x0d\x00" LEN0 "\x0b"), S(""), true, 0,
	 ERR_SIP_OWN_LEAK, F_MAIN, 2},
	{"code_br_if_freed", S("\x02\x40" MADE "\x0d\x00" LEN0 FREE0 "\x0b"), S(""), true,
	 0, ERR_OK, 0, 0},
	// code != 0, then br_if.
	{"code_ne_leak", S("\x02\x40" MADE "\x41\x00\x47\x0d\x00" LEN0 "\x0b"), S(""),
	 true, 0, ERR_SIP_OWN_LEAK, F_MAIN, 2},
	{"code_ne_freed", S("\x02\x40" MADE "\x41\x00\x47\x0d\x00" LEN0 FREE0 "\x0b"),
	 S(""), true, 0, ERR_OK, 0, 0},
	// if (code == 0) { use }: the error path joins the handle path.
	{"code_eqz_if_leak", S(MADE "\x45\x04\x40" LEN0 "\x0b"), S(""), true, 0,
	 ERR_SIP_OWN_LEAK, F_MAIN, 0},
	{"code_eqz_if_freed", S(MADE "\x45\x04\x40" FREE0 "\x0b"), S(""), true, 0, ERR_OK,
	 0, 0},
	// Used after it was freed.
	{"code_use_after_free", S("\x02\x40" MADE "\x0d\x00" FREE0 LEN0 "\x0b"), S(""),
	 true, 0, ERR_SIP_OWN_FREED, F_MAIN, 15},
	// Never looked at: it may be an error code, so no leak is claimed.
	{"unchecked_unused", S(MADE "\x1a"), S(""), true, 0, ERR_OK, 0, 0},
	{"unchecked_used", S(MADE "\x1a" LEN0), S(""), true, 0, ERR_SIP_OWN_LEAK, F_MAIN, 0},
	// A raw block tested with !h: nonzero may still be an error code, so
	// the other path does not know it holds a block; with h < 0 it does.
	{"raw_eqz_unused", S("\x41\x08\x41\x03\x10\x00\x22\x00\x45\x04\x40\x0f\x0b"),
	 S(""), true, 0, ERR_OK, 0, 0},
	{"raw_lt_unused", S("\x41\x08\x41\x03\x10\x00\x22\x00\x41\x00\x48\x04\x40"
			    "\x0f\x0b"),
	 S(""), true, 0, ERR_SIP_OWN_LEAK, F_MAIN, 4},
	// A handle passed to use, which kept it in a frame word on one path
	// only: still the caller's, no note, so it must be freed.
	{"slot_one_path_freed", S("\x02\x40" MADE "\x0d\x00\x20\x00\x10\x06" FREE0 "\x0b"),
	 S(""), true, VF_SIP_STRICT, ERR_OK, 0, 0},
	{"slot_one_path_leak", S("\x02\x40" MADE "\x0d\x00\x20\x00\x10\x06\x0b"),
	 S(""), true, VF_SIP_STRICT, ERR_SIP_OWN_LEAK, F_MAIN, 2},
	// A note, then a definite error in the same function: the error is
	// the verdict, with and without VF_SIP_STRICT.
	{"strict_note_then_error", S(NOTE DFREE), S(""), true, VF_SIP_STRICT,
	 ERR_SIP_OWN_DOUBLE_FREE, F_MAIN, 26},
	{"note_then_error", S(NOTE DFREE), S(""), true, 0, ERR_SIP_OWN_DOUBLE_FREE,
	 F_MAIN, 26},
	// ... and in a later function.
	{"strict_note_error_later", S(NOTE), S(DFREE), true, VF_SIP_STRICT,
	 ERR_SIP_OWN_DOUBLE_FREE, F_AUX, 18},
	// A note alone: accepted, or under VF_SIP_STRICT the verdict.
	{"note_only", S(NOTE), S(""), true, 0, ERR_OK, 0, 0},
	{"strict_note_only", S(NOTE), S(""), true, VF_SIP_STRICT,
	 ERR_SIP_OWN_UNTRACKED, F_MAIN, 6},
	// VF_SIP_MANIFEST: a module without isola.manifest is not a SIP.
	{"sip_with_manifest", S(""), S(""), true, VF_SIP_MANIFEST, ERR_OK, 0, 0},
	{"not_a_sip", S(""), S(""), false, VF_SIP_MANIFEST, ERR_SIP_NOT_SIP, NO_FUNC, 0},
	{"plain_module", S(""), S(""), false, 0, ERR_OK, 0, 0},
};

// One function body: one i32 local, then the code and end.
static void body(struct vf_buf *sec, const char *code, size_t n, uint32_t base,
		 uint32_t *first)
{
	buf_u32(sec, (uint32_t)(n + 4));
	buf_byte(sec, 1), buf_byte(sec, 1), buf_byte(sec, 0x7f);
	*first = base + (uint32_t)sec->n;
	buf_put(sec, code, n);
	buf_byte(sec, 0x0b);
}

// The module of c; first[f] is the absolute offset of function f's first
// instruction.
static void build(struct vf_buf *b, const struct own_case *c, uint32_t *first)
{
	static const uint8_t types[] = {5, 0x60, 2, 0x7f, 0x7f, 1, 0x7f, 0x60, 1, 0x7f,
					1, 0x7f, 0x60, 0, 2, 0x7f, 0x7f, 0x60, 0, 0,
					0x60, 1, 0x7f, 0};
	static const uint8_t imports[] = {
		3, 5, 'i', 's', 'o', 'l', 'a', 9, 'b', 'l', 'k', '_', 'a', 'l', 'l',
		'o', 'c', 0, 0, 5, 'i', 's', 'o', 'l', 'a', 8, 'b', 'l', 'k', '_',
		'f', 'r', 'e', 'e', 0, 1, 5, 'i', 's', 'o', 'l', 'a', 7, 'b', 'l',
		'k', '_', 'l', 'e', 'n', 0, 1};
	static const uint8_t funcs[] = {4, 2, 3, 3, 4};
	static const uint8_t memory[] = {1, 0, 1};
	static const uint8_t globals[] = {2, 0x7f, 1, 0x41, 0, 0x0b, 0x7f, 1, 0x41, 0, 0x0b};
	static const char manifest[] = "\x0eisola.manifestname t\n";
	struct vf_buf sec = {0};

	b->n = 0;
	buf_header(b);
	buf_section(b, 1, types, sizeof(types));
	buf_section(b, 2, imports, sizeof(imports));
	buf_section(b, 3, funcs, sizeof(funcs));
	buf_section(b, 5, memory, sizeof(memory));
	buf_section(b, 6, globals, sizeof(globals));
	// The code section's payload starts after its id and a one-byte size
	// when it is under 128 bytes, else two.
	uint32_t n = (uint32_t)(sizeof(MAKE) - 1 + sizeof(USE) - 1 + c->main_n +
				c->aux_n + 21);
	uint32_t base = (uint32_t)b->n + 1 + (n < 128 ? 1 : 2);
	buf_byte(&sec, 4);
	body(&sec, MAKE, sizeof(MAKE) - 1, base, &first[F_MAKE]);
	body(&sec, c->main, c->main_n, base, &first[F_MAIN]);
	body(&sec, c->aux, c->aux_n, base, &first[F_AUX]);
	body(&sec, USE, sizeof(USE) - 1, base, &first[F_USE]);
	assert_int_equal(sec.n, n);
	buf_section(b, 10, sec.b, sec.n);
	if (c->manifest)
		buf_section(b, 0, manifest, sizeof(manifest) - 1);
}

static void run_case(const struct own_case *c)
{
	const struct vf_allocator *a = test_allocator(64u << 20);
	struct vf_sip_env env = {NULL, 0, a, VF_SIP_NO_INTERFACE | c->flags};
	struct vf_sip_result res;
	struct vf_module *m;
	struct vf_diag d;
	struct vf_buf b;
	uint32_t first[NFUNCS] = {0};

	build(&b, c, first);
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	isola_err_t err = vf_sip_check(m, &env, &res);
	vf_module_free(m);
	if (err != c->code)
		fail_msg("%s: got %d (%s), want %d", c->name, err, res.diag.detail,
			 c->code);
	if (err == ERR_OK)
		return;
	uint32_t off = c->func == NO_FUNC ? c->off : first[c->func] + c->off;
	if (res.diag.func_index != c->func || res.diag.offset != off)
		fail_msg("%s: at func %u offset %u, want func %u offset %u", c->name,
			 res.diag.func_index, res.diag.offset, c->func, off);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
