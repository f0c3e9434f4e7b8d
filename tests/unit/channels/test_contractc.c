// SPDX-License-Identifier: MIT
// contractc's front end as an accept/reject table: each case is a source
// text, the expected first error code and its line and column (ERR_OK for
// accepted sources). Messages are not checked, only codes and positions.
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"

struct cc_case {
	const char *name, *src;
	isola_err_t err;
	int line, col;
};

#define KV_MSGS "in message get(bytes key); out message found(bytes v); "

static const struct cc_case cases[] = {
	{ "timer_verbatim",
	  "interface timer \"Timer service\" {\n"
	  "    // set the one (and only) timeout value (in us) for this client\n"
	  "    message set_timeout(uint64 timeout);\n"
	  "    message add_to_timeout(uint64 increment);\n"
	  "    message cancel_timeout();\n    message wakeup();\n"
	  "    message get_remaining();\n    message remaining(uint64 time);\n};\n",
	  ERR_OK, 0, 0 },
	{ "kv_design",
	  "contract kv \"Key-value store\" {\n"
	  "    in  message get(bytes key);            // in = towards the exporting side\n"
	  "    out message found(bytes value);\n    out message missing();\n"
	  "    in  message quit();\n"
	  "    state ready { get? -> answering; quit? -> done; }\n"
	  "    state answering { found! -> ready; missing! -> ready; }\n"
	  "    state done { }\n}\n",
	  ERR_OK, 0, 0 },
	{ "all_types",
	  "contract t { struct p { int8 a; uint16 b; int32 c; int64 d; float32 e;\n"
	  "float64 f; bool g; uint8[3] h; }\n"
	  "message m(p x, block<p> y, block<float64> z, bytes w, t.exp q, int16[2] r); }",
	  ERR_OK, 0, 0 },
	{ "any_endpoint", "interface p { message connect(endpoint client); }", ERR_OK, 0, 0 },
	{ "any_and_self",
	  "contract s { in message a(endpoint c, s.exp@i me); out message ok();\n"
	  "state i { a? -> r; } state r { ok! -> i; } }", ERR_OK, 0, 0 },
	{ "any_in_struct", "contract a { struct s { endpoint e; } message x(s v); }",
	  ERR_CONTRACT_BAD_TYPE, 1, 25 },
	{ "any_is_keyword", "contract a { message x(int8 endpoint); }", ERR_CONTRACT_SYNTAX, 1, 29 },
	{ "any_no_side", "contract a { message x(endpoint.imp e); }", ERR_CONTRACT_SYNTAX, 1, 32 },
	{ "cast_clash", "contract a { in message x(); out message y();\n"
	  "state s { x? -> s_cast; } state s_cast { y! -> s; } }",
	  ERR_CONTRACT_NAME_CLASH, 1, 10 },
	{ "prelude_clash_chan_info", "contract isola { struct chan_info { int8 v; } message m(chan_info c); }",
	  ERR_CONTRACT_NAME_CLASH, 1, 10 },
	{ "lex_bad_char", "contract a {\n  message x(); $ }", ERR_CONTRACT_LEX, 2, 16 },
	{ "lex_open_comment", "contract a { message x(); } /* no end", ERR_CONTRACT_LEX, 1, 29 },
	{ "lex_open_string", "contract a \"doc { }", ERR_CONTRACT_LEX, 1, 12 },
	{ "syntax_semicolon", "contract a {\n  message x()\n}", ERR_CONTRACT_SYNTAX, 3, 1 },
	{ "syntax_empty", "  // nothing\n", ERR_CONTRACT_SYNTAX, 2, 1 },
	{ "syntax_keyword_name", "contract a { message state(); }", ERR_CONTRACT_SYNTAX, 1, 22 },
	{ "syntax_arrow", "contract a { in message x(); state s { x? s; } }",
	  ERR_CONTRACT_SYNTAX, 1, 43 },
	{ "unknown_type", "contract a {\n message x(point p); }", ERR_CONTRACT_UNKNOWN_NAME, 2, 12 },
	{ "unknown_msg", "contract a { " KV_MSGS "\nstate s { got? -> s; } }",
	  ERR_CONTRACT_UNKNOWN_NAME, 2, 11 },
	{ "unknown_state", "contract a { " KV_MSGS "\nstate s { get? -> t; } }",
	  ERR_CONTRACT_UNKNOWN_NAME, 2, 19 },
	{ "unknown_contract", "contract a { message x(b.imp e); }", ERR_CONTRACT_UNKNOWN_NAME, 1, 24 },
	{ "bad_side", "contract a { message x(a.client e); }", ERR_CONTRACT_UNKNOWN_NAME, 1, 24 },
	{ "endpoint_needs_state",
	  "contract a { " KV_MSGS "message x(a.imp e);\nstate s { get? -> s; } }",
	  ERR_CONTRACT_BAD_TYPE, 1, 79 },
	{ "endpoint_state_missing",
	  "contract a { " KV_MSGS "in message x(a.imp e);\nstate s { get? -> s; } }",
	  ERR_CONTRACT_BAD_TYPE, 1, 82 },
	{ "endpoint_interface_state", "contract a { message x(a.imp@s e); }",
	  ERR_CONTRACT_BAD_TYPE, 1, 24 },
	{ "duplicate_msg", "contract a { message x();\n message x(); }", ERR_CONTRACT_DUPLICATE, 2, 10 },
	{ "duplicate_field", "contract a { message x(bool f, int8 f); }",
	  ERR_CONTRACT_DUPLICATE, 1, 37 },
	{ "duplicate_contract", "contract a { message x(); }\ncontract a { message y(); }",
	  ERR_CONTRACT_DUPLICATE, 2, 10 },
	{ "wrong_direction", "contract a { " KV_MSGS "\nstate s { found? -> s; } }",
	  ERR_CONTRACT_DIRECTION, 2, 11 },
	{ "no_direction", "contract a {\n message x(); in message y();\n state s { y? -> s; } }",
	  ERR_CONTRACT_NO_DIRECTION, 2, 10 },
	{ "states_in_interface", "interface a { in message x();\n state s { x? -> s; } }",
	  ERR_CONTRACT_STATES_IN_INTERFACE, 2, 8 },
	{ "nondeterministic", "contract a { " KV_MSGS "\nstate s { get? -> s; get? -> t; }\n"
	  "state t { found! -> s; } }", ERR_CONTRACT_NONDETERMINISTIC, 2, 22 },
	{ "mixed_state", "contract a { " KV_MSGS "\nstate s { get? -> s; found! -> s; } }",
	  ERR_CONTRACT_MIXED_STATE, 2, 22 },
	{ "mixed_state_second", "contract a { " KV_MSGS "\nstate s { get? -> t; }\n"
	  "state t { get? -> s; found! -> s; } }", ERR_CONTRACT_MIXED_STATE, 3, 22 },
	{ "one_way_cycle_pure", "contract a { " KV_MSGS "in message g2();\n"
	  "state s { get? -> t; }\nstate t { g2? -> s; } }", ERR_CONTRACT_ONE_WAY_CYCLE, 2, 7 },
	{ "out_cycle", "contract a { " KV_MSGS "\nstate s { found! -> s; } }",
	  ERR_CONTRACT_ONE_WAY_CYCLE, 2, 7 },
	{ "inline_too_big", "contract a {\n message x(uint64[40] v); }",
	  ERR_CONTRACT_INLINE_SIZE, 2, 10 },
	{ "struct_too_big", "contract a {\n struct s { uint8[65] v; } message x(s v); }",
	  ERR_CONTRACT_INLINE_SIZE, 2, 9 },
	{ "too_many_moved",
	  "contract a { message x(bytes a, bytes b, bytes c, bytes d, bytes e,\n"
	  "bytes f, bytes g, bytes h, bytes i); }", ERR_CONTRACT_TOO_MANY_MOVED, 1, 22 },
	{ "array_len_zero", "contract a { message x(uint8[0] v); }", ERR_CONTRACT_LIMIT, 1, 24 },
	{ "struct_holds_block", "contract a { struct s { bytes b; } message x(s v); }",
	  ERR_CONTRACT_BAD_TYPE, 1, 25 },
	{ "array_of_struct", "contract a { struct s { int8 b; } message x(s[2] v); }",
	  ERR_CONTRACT_BAD_TYPE, 1, 45 },
	{ "c_keyword", "contract a { message int(); }", ERR_CONTRACT_NAME_CLASH, 1, 22 },
	{ "double_underscore", "contract a { message x__y(); }", ERR_CONTRACT_NAME_CLASH, 1, 22 },
	{ "trailing_underscore", "contract a_ { message x(); }", ERR_CONTRACT_NAME_CLASH, 1, 10 },
	{ "generated_clash", "contract a { struct get { int8 v; } message get(int8 v); }",
	  ERR_CONTRACT_NAME_CLASH, 1, 10 },
	{ "generated_clash_case", "contract a { message get(); message GET(); }",
	  ERR_CONTRACT_NAME_CLASH, 1, 10 },
	{ "type_like_name", "contract a { message x(uint32 size_t); }", ERR_CONTRACT_NAME_CLASH, 1, 31 },
	{ "prelude_clash", "contract isola { struct block_uint8 { int8 v; } message m(block_uint8 c); }",
	  ERR_CONTRACT_NAME_CLASH, 1, 10 },
	{ "field_named_ep", "contract a { message x(int8 ep); }", ERR_CONTRACT_NAME_CLASH, 1, 29 },
	{ "message_named_tag", "contract a { message tag(); }", ERR_CONTRACT_NAME_CLASH, 1, 22 },
	{ "ref_cycle", "contract a { message x(b.imp e); }\ncontract b { message y(a.imp e); }",
	  ERR_CONTRACT_REF_CYCLE, 1, 10 },
	{ "int_overflow", "contract a { message x(uint8[99999999999] v); }", ERR_CONTRACT_LEX, 1, 30 },
};

static bool run_case(const struct cc_case *k)
{
	bool ok = true;
	struct cc_ctx cx = { .path = k->name };
	struct cc_file *f = cc_compile(&cx, k->src, strlen(k->src));
	isola_err_t got = cc_first_error(&cx);
	if (got != k->err || (got != ERR_OK && (cx.diags[0].pos.line != k->line ||
						cx.diags[0].pos.col != k->col))) {
		cc_print_diags(&cx, stderr);
		ok = false;
		print_error("case %s: got %s at %d:%d, want %s at %d:%d\n", k->name,
			 isola_err_name(got), cx.ndiags ? cx.diags[0].pos.line : 0,
			 cx.ndiags ? cx.diags[0].pos.col : 0, isola_err_name(k->err),
			 k->line, k->col);
	}
	cc_file_free(f);
	cc_ctx_free(&cx);
	return ok;
}

static void test_table(void **state)
{
	(void)state;
	unsigned failed = 0;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		failed += !run_case(&cases[i]);
	assert_int_equal(failed, 0);
}

// A chain of n `in` transitions then one `out` back: the bound is n.
static char *chain(int n)
{
	size_t cap = 200 + (size_t)n * 64;
	char *s = malloc(cap), *p = s;
	p += sprintf(p, "contract c { in message m(); out message r();\n");
	for (int i = 0; i < n; i++)
		p += sprintf(p, "state s%d { m? -> s%d; }\n", i, i + 1);
	sprintf(p, "state s%d { r! -> s0; } }", n);
	return s;
}

static void test_bound_limit(void **state)
{
	(void)state;
	for (int n = CONTRACT_MAX_BOUND; n <= CONTRACT_MAX_BOUND + 1; n++) {
		char *src = chain(n);
		struct cc_ctx cx = { 0 };
		struct cc_file *f = cc_compile(&cx, src, strlen(src));
		if (n == CONTRACT_MAX_BOUND) {
			assert_int_equal(cx.nerrors, 0);
			assert_int_equal(f->contracts[0].model->bound[CONTRACT_IN], n);
		} else {
			assert_int_equal(cc_first_error(&cx), ERR_CONTRACT_BOUND);
		}
		cc_file_free(f);
		cc_ctx_free(&cx);
		free(src);
	}
}

static void test_unreachable_is_warning(void **state)
{
	(void)state;
	static const char src[] = "contract a { " KV_MSGS "\nstate s { get? -> t; }\n"
				  "state t { found! -> s; }\nstate lost { } }";
	struct cc_ctx cx = { 0 };
	struct cc_file *f = cc_compile(&cx, src, strlen(src));
	assert_int_equal(cx.nerrors, 0);
	assert_int_equal(cx.ndiags, 1);
	assert_int_equal(cx.diags[0].err, ERR_OK);
	assert_int_equal(cx.diags[0].pos.line, 4);
	assert_int_equal(cx.diags[0].pos.col, 7);
	cc_file_free(f);
	cc_ctx_free(&cx);
}

// Imports through an in-memory file table.
static const char *const files[][2] = {
	{ "kv.contract", "contract kv { in message get(); out message got();\n"
			 "state r { get? -> a; } state a { got! -> r; } }" },
	{ "loop.contract", "import \"loop.contract\"; import \"kv.contract\";\n"
			   "contract lp { message m(kv.imp@r e); }" },
	{ "bad.contract", "contract b {\n  message m(nothing x); }" },
};

static char *mem_load(void *ctx, const char *importer, const char *path, size_t *len,
		      char **resolved)
{
	(void)ctx;
	(void)importer;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (!strcmp(files[i][0], path)) {
			*len = strlen(files[i][1]);
			*resolved = cc_strndup(path, strlen(path));
			return cc_strndup(files[i][1], *len);
		}
	}
	return NULL;
}

static struct cc_file *compile_with(const char *src, struct cc_ctx *cx)
{
	cx->load = mem_load;
	return cc_compile(cx, src, strlen(src));
}

static void test_imports(void **state)
{
	(void)state;
	struct cc_ctx cx = { 0 };
	struct cc_file *f = compile_with("import \"loop.contract\";\n"
					 "contract user { message u(kv.exp@a e, lp.imp p); }", &cx);
	assert_int_equal(cx.nerrors, 0);
	assert_int_equal(f->ncontracts, 3); // kv and lp imported once each
	size_t own = 0;
	for (size_t i = 0; i < f->ncontracts; i++)
		own += !f->contracts[i].imported;
	assert_int_equal(own, 1);
	cc_file_free(f);
	cc_ctx_free(&cx);

	f = compile_with("import \"bad.contract\";\ncontract a { message x(); }", &cx);
	assert_int_equal(cc_first_error(&cx), ERR_CONTRACT_UNKNOWN_NAME);
	assert_string_equal(cx.diags[0].pos.file, "bad.contract");
	assert_int_equal(cx.diags[0].pos.line, 2);
	cc_file_free(f);
	cc_ctx_free(&cx);

	f = compile_with("import \"missing.contract\";\ncontract a { message x(); }", &cx);
	assert_int_equal(cc_first_error(&cx), ERR_CONTRACT_IMPORT);
	cc_file_free(f);
	cc_ctx_free(&cx);

	struct cc_ctx no_loader = { 0 };
	static const char no_loader_src[] = "import \"kv.contract\"; contract a { message x(); }";
	f = cc_compile(&no_loader, no_loader_src, strlen(no_loader_src));
	assert_int_equal(cc_first_error(&no_loader), ERR_CONTRACT_IMPORT);
	cc_file_free(f);
	cc_ctx_free(&no_loader);

	// Only imported contracts: the file itself declares none.
	f = compile_with("import \"kv.contract\";", &cx);
	assert_int_equal(cc_first_error(&cx), ERR_CONTRACT_SYNTAX);
	cc_file_free(f);
	cc_ctx_free(&cx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_bound_limit),
		cmocka_unit_test(test_unreachable_is_warning),
		cmocka_unit_test(test_imports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
