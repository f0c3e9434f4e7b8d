// SPDX-License-Identifier: MIT
// The SIP image sections: the manifest parser (every directive, defaults,
// every limit at and one past its bound, every error code with its line),
// the canonical text round trip, finding the sections in a module and
// walking the contracts section.
#include "vf_test.h"

#include <isola/manifest.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

static isola_err_t parse_n(const char *t, size_t n, struct vf_manifest *m,
			   struct vf_manifest_diag *d)
{
	return vf_manifest_parse((const uint8_t *)t, n, m, d);
}

static isola_err_t parse(const char *t, struct vf_manifest *m,
			 struct vf_manifest_diag *d)
{
	return parse_n(t, strlen(t), m, d);
}

// ---- accepted -----------------------------------------------------------

static void test_example(void **state)
{
	static const char t[] = "name shell\nversion 1.0\nmemory 1M\n"
				"endpoint ns ns.imp@idle\nendpoint pm procmgr\n";
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	assert_int_equal(parse(t, &m, &d), ERR_OK);
	assert_int_equal(d.code, ERR_OK);
	assert_string_equal(m.name, "shell");
	assert_string_equal(m.version, "1.0");
	assert_int_equal(m.memory, 1u << 20);
	assert_int_equal(m.stack, VF_MANIFEST_STACK_DEFAULT);
	assert_int_equal(m.exchange, VF_MANIFEST_EXCHANGE_DEFAULT);
	assert_int_equal(m.nendpoints, 2);
	assert_string_equal(m.endpoints[0].name, "ns");
	assert_string_equal(m.endpoints[0].contract, "ns");
	assert_string_equal(m.endpoints[0].state, "idle");
	assert_int_equal(m.endpoints[0].side, VF_EP_IMP);
	assert_false(m.endpoints[0].is_procmgr);
	assert_string_equal(m.endpoints[1].name, "pm");
	assert_true(m.endpoints[1].is_procmgr);
	assert_string_equal(m.endpoints[1].contract, "");
	assert_int_equal(m.hardware, 0);
}

static void test_defaults(void **state)
{
	struct vf_manifest m;
	(void)state;

	assert_int_equal(parse("name a", &m, NULL), ERR_OK);
	assert_string_equal(m.name, "a");
	assert_string_equal(m.version, "");
	assert_int_equal(m.memory, 16u << 20);
	assert_int_equal(m.stack, 64u << 10);
	assert_int_equal(m.exchange, 16u << 20);
	assert_int_equal(m.hardware, 0);
	assert_int_equal(m.nendpoints, 0);
}

static void test_every_directive(void **state)
{
	static const char t[] =
		"# a comment line\n"
		"\n"
		"   \t \n"
		"\tname  Sh_e.l-9 # trailing comment\n"
		"version  release 2, build 7  \n"
		"memory 65536\n"
		"stack 8K\n"
		"exchange 0\n"
		"endpoint out console.exp\n"
		"endpoint\tin2 fs.imp@Open_1\n"
		"endpoint _pm procmgr\n"
		"hardware serial\n";
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	assert_int_equal(parse(t, &m, &d), ERR_OK);
	assert_string_equal(m.name, "Sh_e.l-9");
	assert_string_equal(m.version, "release 2, build 7");
	assert_int_equal(m.memory, 65536);
	assert_int_equal(m.stack, 8192);
	assert_int_equal(m.exchange, 0);
	assert_int_equal(m.hardware, VF_HW_SERIAL);
	assert_int_equal(m.nendpoints, 3);
	assert_string_equal(m.endpoints[0].contract, "console");
	assert_int_equal(m.endpoints[0].side, VF_EP_EXP);
	assert_string_equal(m.endpoints[0].state, "");
	assert_string_equal(m.endpoints[1].name, "in2");
	assert_string_equal(m.endpoints[1].contract, "fs");
	assert_string_equal(m.endpoints[1].state, "Open_1");
	assert_true(m.endpoints[2].is_procmgr);
}

// ---- rejected -----------------------------------------------------------

struct mf_case {
	const char *name;
	const char *text;
	isola_err_t code;
	uint32_t line;
};

#define R(n, t, c, l) {n, t, c, l}

static const struct mf_case rejects[] = {
	R("empty", "", ERR_MANIFEST_NO_NAME, 0),
	R("comment only", "# name x\n", ERR_MANIFEST_NO_NAME, 0),
	R("no name", "memory 1M\n", ERR_MANIFEST_NO_NAME, 0),
	R("unknown", "name a\nmemroy 1M\n", ERR_MANIFEST_DIRECTIVE, 2),
	R("case", "Name a\n", ERR_MANIFEST_DIRECTIVE, 1),
	R("name twice", "name a\nname b\n", ERR_MANIFEST_DUPLICATE, 2),
	R("version twice", "name a\nversion 1\nversion 1\n",
	  ERR_MANIFEST_DUPLICATE, 3),
	R("memory twice", "name a\nmemory 1M\nmemory 1M\n",
	  ERR_MANIFEST_DUPLICATE, 3),
	R("stack twice", "name a\nstack 8K\nstack 8K\n", ERR_MANIFEST_DUPLICATE, 3),
	R("exchange twice", "name a\nexchange 1\nexchange 1\n",
	  ERR_MANIFEST_DUPLICATE, 3),
	R("serial twice", "name a\nhardware serial\nhardware serial\n",
	  ERR_MANIFEST_DUPLICATE, 3),
	R("name no arg", "name\n", ERR_MANIFEST_ARGS, 1),
	R("name two args", "name a b\n", ERR_MANIFEST_ARGS, 1),
	R("version no arg", "name a\nversion   # x\n", ERR_MANIFEST_ARGS, 2),
	R("memory no arg", "name a\nmemory\n", ERR_MANIFEST_ARGS, 2),
	R("endpoint 1 arg", "name a\nendpoint e\n", ERR_MANIFEST_ARGS, 2),
	R("endpoint 3 args", "name a\nendpoint e c.exp x\n", ERR_MANIFEST_ARGS, 2),
	R("endpoint 5 args", "name a\nendpoint e c.exp x y z\n",
	  ERR_MANIFEST_ARGS, 2),
	R("hardware no arg", "name a\nhardware\n", ERR_MANIFEST_ARGS, 2),
	R("name char", "name a/b\n", ERR_MANIFEST_NAME, 1),
	R("name at", "name a@b\n", ERR_MANIFEST_NAME, 1),
	R("name long", "name abcdefghijklmnopqrstuvwxyz012345\n",
	  ERR_MANIFEST_NAME, 1),
	R("size letters", "name a\nmemory lots\n", ERR_MANIFEST_SIZE, 2),
	R("size suffix only", "name a\nmemory M\n", ERR_MANIFEST_SIZE, 2),
	R("size lower k", "name a\nstack 64k\n", ERR_MANIFEST_SIZE, 2),
	R("size G", "name a\nmemory 1G\n", ERR_MANIFEST_SIZE, 2),
	R("size KM", "name a\nmemory 1KM\n", ERR_MANIFEST_SIZE, 2),
	R("size sign", "name a\nmemory +64K\n", ERR_MANIFEST_SIZE, 2),
	R("size negative", "name a\nexchange -1\n", ERR_MANIFEST_SIZE, 2),
	R("size hex", "name a\nmemory 0x10000\n", ERR_MANIFEST_SIZE, 2),
	R("memory zero", "name a\nmemory 0\n", ERR_MANIFEST_SIZE_RANGE, 2),
	R("memory align", "name a\nmemory 100K\n", ERR_MANIFEST_MEMORY_ALIGN, 2),
	R("memory align bytes", "name a\nmemory 65537\n",
	  ERR_MANIFEST_MEMORY_ALIGN, 2),
	R("endpoint name digit", "name a\nendpoint 1e c.exp\n",
	  ERR_MANIFEST_ENDPOINT_NAME, 2),
	R("endpoint name dot", "name a\nendpoint e.f c.exp\n",
	  ERR_MANIFEST_ENDPOINT_NAME, 2),
	R("endpoint dup", "name a\nendpoint e c.exp\nendpoint e d.imp\n",
	  ERR_MANIFEST_ENDPOINT_DUP, 3),
	R("endpoint dup procmgr", "name a\nendpoint e procmgr\nendpoint e procmgr\n",
	  ERR_MANIFEST_ENDPOINT_DUP, 3),
	R("no side", "name a\nendpoint e contract\n", ERR_MANIFEST_CONTRACT, 2),
	R("no contract", "name a\nendpoint e .exp\n", ERR_MANIFEST_CONTRACT, 2),
	R("contract dotted", "name a\nendpoint e a.b.exp\n",
	  ERR_MANIFEST_CONTRACT, 2),
	R("contract digit", "name a\nendpoint e 9c.exp\n", ERR_MANIFEST_CONTRACT, 2),
	R("bad side", "name a\nendpoint e c.both\n", ERR_MANIFEST_SIDE, 2),
	R("empty side", "name a\nendpoint e c.\n", ERR_MANIFEST_SIDE, 2),
	R("side case", "name a\nendpoint e c.EXP\n", ERR_MANIFEST_SIDE, 2),
	R("empty state", "name a\nendpoint e c.exp@\n", ERR_MANIFEST_STATE, 2),
	R("two ats", "name a\nendpoint e c.exp@s@t\n", ERR_MANIFEST_STATE, 2),
	R("state char", "name a\nendpoint e c.exp@s-t\n", ERR_MANIFEST_STATE, 2),
	R("procmgr state", "name a\nendpoint e procmgr@x\n",
	  ERR_MANIFEST_CONTRACT, 2),
	R("hardware", "name a\nhardware disk\n", ERR_MANIFEST_HARDWARE, 2),
	R("hardware case", "name a\nhardware Serial\n", ERR_MANIFEST_HARDWARE, 2),
	R("crlf", "name a\r\n", ERR_MANIFEST_CHAR, 1),
	R("cr", "name a\nversion 1\rx\n", ERR_MANIFEST_CHAR, 2),
	R("del", "name a\x7f\n", ERR_MANIFEST_CHAR, 1),
	R("utf-8", "name a\nversion caf\xc3\xa9\n", ERR_MANIFEST_CHAR, 2),
	R("vtab", "name\va\n", ERR_MANIFEST_CHAR, 1),
	R("char in comment", "name a # \x01\n", ERR_MANIFEST_CHAR, 1),
	R("char after error line", "name a\nname b\x01\n", ERR_MANIFEST_CHAR, 2),
};

static void test_rejects(void **state)
{
	(void)state;
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(rejects); i++) {
		const struct mf_case *c = &rejects[i];
		struct vf_manifest m;
		struct vf_manifest_diag d;
		isola_err_t err = parse(c->text, &m, &d);
		if (err != c->code || d.code != c->code || d.line != c->line) {
			fprintf(stderr, "case '%s': got %d line %u (%s), want %d line %u\n",
				c->name, (int)err, d.line, d.detail, (int)c->code,
				c->line);
			fail();
		}
		assert_true(d.offset <= strlen(c->text));
	}
}

static void test_nul_byte(void **state)
{
	static const char t[] = "name a\nversion 1\0x\n";
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	assert_int_equal(parse_n(t, sizeof(t) - 1, &m, &d), ERR_MANIFEST_CHAR);
	assert_int_equal(d.line, 2);
	assert_int_equal(d.offset, 16);
	// A trailing NUL, as a C string written whole would leave.
	assert_int_equal(parse_n("name a\n", 8, &m, &d), ERR_MANIFEST_CHAR);
	assert_int_equal(d.line, 2);
}

static void test_offsets(void **state)
{
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	assert_int_equal(parse("name a\nendpoint e c.bad\n", &m, &d),
			 ERR_MANIFEST_SIDE);
	assert_int_equal(d.offset, 20);
	assert_int_equal(parse("name a\n  frob\n", &m, &d),
			 ERR_MANIFEST_DIRECTIVE);
	assert_int_equal(d.offset, 9);
	assert_string_equal(d.detail, "frob");
	// diag may be NULL.
	assert_int_equal(parse("frob\n", &m, NULL), ERR_MANIFEST_DIRECTIVE);
}

// ---- limits -------------------------------------------------------------

struct size_case {
	const char *line; // after "name a\n"
	isola_err_t code;
	uint32_t value;	  // of the field, when accepted
	size_t field;	  // offsetof in struct vf_manifest
};

#define OK_AT(l, v, f) {l, ERR_OK, v, offsetof(struct vf_manifest, f)}
#define BAD(l, c) {l, c, 0, 0}

static const struct size_case sizes[] = {
	OK_AT("memory 64K", 65536, memory),
	OK_AT("memory 256M", 256u << 20, memory),
	OK_AT("memory 262144K", 256u << 20, memory),
	OK_AT("memory 0000128K", 128u << 10, memory),
	BAD("memory 262208K", ERR_MANIFEST_SIZE_RANGE),
	BAD("memory 257M", ERR_MANIFEST_SIZE_RANGE),
	BAD("memory 32K", ERR_MANIFEST_SIZE_RANGE),
	BAD("memory 4096M", ERR_MANIFEST_SIZE_RANGE),
	OK_AT("stack 4K", 4096, stack),
	OK_AT("stack 4096", 4096, stack),
	OK_AT("stack 4097", 4097, stack),
	OK_AT("stack 16M", 16u << 20, stack),
	BAD("stack 4095", ERR_MANIFEST_SIZE_RANGE),
	BAD("stack 16385K", ERR_MANIFEST_SIZE_RANGE),
	BAD("stack 0", ERR_MANIFEST_SIZE_RANGE),
	OK_AT("exchange 0", 0, exchange),
	OK_AT("exchange 1", 1, exchange),
	OK_AT("exchange 1024M", 1u << 30, exchange),
	OK_AT("exchange 1073741824", 1u << 30, exchange),
	BAD("exchange 1073741825", ERR_MANIFEST_SIZE_RANGE),
	BAD("exchange 1025M", ERR_MANIFEST_SIZE_RANGE),
	// Values that do not fit in 32 bits, with and without a suffix.
	BAD("exchange 4294967295", ERR_MANIFEST_SIZE_RANGE),
	BAD("exchange 4294967296", ERR_MANIFEST_SIZE_RANGE),
	BAD("exchange 4194304K", ERR_MANIFEST_SIZE_RANGE),
	BAD("exchange 4096M", ERR_MANIFEST_SIZE_RANGE),
	BAD("exchange 17592186044416M", ERR_MANIFEST_SIZE_RANGE),
	BAD("exchange 18446744073709551616", ERR_MANIFEST_SIZE_RANGE),
	BAD("exchange 99999999999999999999999999999999999999K",
	    ERR_MANIFEST_SIZE_RANGE),
	BAD("memory 99999999999999999999999999999999999999x", ERR_MANIFEST_SIZE),
};

static void test_sizes(void **state)
{
	(void)state;
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(sizes); i++) {
		const struct size_case *c = &sizes[i];
		char t[128];
		struct vf_manifest m;
		struct vf_manifest_diag d;
		uint32_t v;

		snprintf(t, sizeof(t), "name a\n%s\n", c->line);
		if (parse(t, &m, &d) != c->code) {
			fprintf(stderr, "'%s': got %d (%s)\n", c->line,
				(int)d.code, d.detail);
			fail();
		}
		if (c->code != ERR_OK) {
			assert_int_equal(d.line, 2);
			continue;
		}
		memcpy(&v, (const char *)&m + c->field, sizeof(v));
		assert_int_equal(v, c->value);
	}
}

// A string of n copies of c.
static void fill(char *dst, char c, size_t n)
{
	memset(dst, c, n);
	dst[n] = '\0';
}

static isola_err_t parse_fmt(struct vf_manifest *m, struct vf_manifest_diag *d,
			     const char *fmt, const char *arg)
{
	char t[512];

	snprintf(t, sizeof(t), fmt, arg);
	return parse(t, m, d);
}

static void test_name_lengths(void **state)
{
	char s[80];
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	fill(s, 'n', 31);
	assert_int_equal(parse_fmt(&m, &d, "name %s\n", s), ERR_OK);
	assert_string_equal(m.name, s);
	fill(s, 'n', 32);
	assert_int_equal(parse_fmt(&m, &d, "name %s\n", s), ERR_MANIFEST_NAME);
	fill(s, 'v', 63);
	assert_int_equal(parse_fmt(&m, &d, "name a\nversion %s\n", s), ERR_OK);
	assert_string_equal(m.version, s);
	fill(s, 'v', 64);
	assert_int_equal(parse_fmt(&m, &d, "name a\nversion %s\n", s),
			 ERR_MANIFEST_VERSION);
	fill(s, 'e', 31);
	assert_int_equal(parse_fmt(&m, &d, "name a\nendpoint %s c.exp\n", s),
			 ERR_OK);
	fill(s, 'e', 32);
	assert_int_equal(parse_fmt(&m, &d, "name a\nendpoint %s c.exp\n", s),
			 ERR_MANIFEST_ENDPOINT_NAME);
	fill(s, 'c', 63);
	assert_int_equal(parse_fmt(&m, &d, "name a\nendpoint e %s.imp\n", s),
			 ERR_OK);
	assert_string_equal(m.endpoints[0].contract, s);
	fill(s, 'c', 64);
	assert_int_equal(parse_fmt(&m, &d, "name a\nendpoint e %s.imp\n", s),
			 ERR_MANIFEST_CONTRACT);
	fill(s, 's', 63);
	assert_int_equal(parse_fmt(&m, &d, "name a\nendpoint e c.imp@%s\n", s),
			 ERR_OK);
	assert_string_equal(m.endpoints[0].state, s);
	fill(s, 's', 64);
	assert_int_equal(parse_fmt(&m, &d, "name a\nendpoint e c.imp@%s\n", s),
			 ERR_MANIFEST_STATE);
}

static void test_endpoint_count(void **state)
{
	char t[1024];
	size_t n = 0;
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	n += (size_t)snprintf(t, sizeof(t), "name a\n");
	for (int i = 0; i < VF_MANIFEST_MAX_ENDPOINTS; i++)
		n += (size_t)snprintf(t + n, sizeof(t) - n,
				      "endpoint e%d c.exp\n", i);
	assert_int_equal(parse(t, &m, &d), ERR_OK);
	assert_int_equal(m.nendpoints, VF_MANIFEST_MAX_ENDPOINTS);
	assert_string_equal(m.endpoints[15].name, "e15");
	snprintf(t + n, sizeof(t) - n, "endpoint pm procmgr\n");
	assert_int_equal(parse(t, &m, &d), ERR_MANIFEST_ENDPOINTS);
	assert_int_equal(d.line, 18);
	// A repeated name is reported as such even past the limit.
	snprintf(t + n, sizeof(t) - n, "endpoint e3 procmgr\n");
	assert_int_equal(parse(t, &m, &d), ERR_MANIFEST_ENDPOINT_DUP);
}

static void test_line_length(void **state)
{
	char t[600];
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	// "name a" then spaces up to exactly 255 bytes: accepted.
	memcpy(t, "name a", 6);
	memset(t + 6, ' ', VF_MANIFEST_LINE_MAX - 6);
	t[VF_MANIFEST_LINE_MAX] = '\0';
	assert_int_equal(parse(t, &m, &d), ERR_OK);
	t[VF_MANIFEST_LINE_MAX] = '\n';
	t[VF_MANIFEST_LINE_MAX + 1] = '\0';
	assert_int_equal(parse(t, &m, &d), ERR_OK);
	// One more byte, even in a comment: rejected.
	memset(t + 6, ' ', VF_MANIFEST_LINE_MAX - 5);
	t[7] = '#';
	t[VF_MANIFEST_LINE_MAX + 1] = '\n';
	t[VF_MANIFEST_LINE_MAX + 2] = '\0';
	assert_int_equal(parse(t, &m, &d), ERR_MANIFEST_LINE_LONG);
	assert_int_equal(d.line, 1);
	assert_int_equal(d.offset, VF_MANIFEST_LINE_MAX);
}

static void test_total_size(void **state)
{
	size_t n = VF_MANIFEST_MAX_SIZE + 1;
	char *t = malloc(n);
	struct vf_manifest m;
	struct vf_manifest_diag d;
	(void)state;

	// Blank lines up to the limit: accepted; one byte more: rejected.
	assert_non_null(t);
	memset(t, '\n', n);
	memcpy(t, "name a", 6);
	assert_int_equal(parse_n(t, n - 1, &m, &d), ERR_OK);
	assert_int_equal(parse_n(t, n, &m, &d), ERR_MANIFEST_TOO_LARGE);
	assert_int_equal(d.line, 0);
	free(t);
}

// ---- canonical text -----------------------------------------------------

static void roundtrip(const char *text)
{
	struct vf_manifest a, b;
	struct vf_manifest_diag d;
	char buf[4096];
	size_t n;

	assert_int_equal(parse(text, &a, &d), ERR_OK);
	n = vf_manifest_format(&a, buf, sizeof(buf));
	assert_int_equal(n, strlen(buf));
	assert_int_equal(parse(buf, &b, &d), ERR_OK);
	assert_true(vf_manifest_equal(&a, &b));
	// Too small a buffer: truncated, NUL-terminated, full length told.
	assert_int_equal(vf_manifest_format(&a, buf, 10), n);
	assert_int_equal(strlen(buf), 9);
	assert_int_equal(vf_manifest_format(&a, NULL, 0), n);
}

static void test_format(void **state)
{
	struct vf_manifest a, b;
	char buf[256];
	(void)state;

	roundtrip("name a\n");
	roundtrip("name shell\nversion 1.0 beta\nmemory 1M\nstack 4K\n"
		  "exchange 0\nendpoint ns ns.imp@idle\nendpoint pm procmgr\n"
		  "endpoint c console.exp\nhardware serial\n");
	assert_int_equal(parse("name x\nmemory 128K\nendpoint pm procmgr\n",
			       &a, NULL), ERR_OK);
	vf_manifest_format(&a, buf, sizeof(buf));
	assert_string_equal(buf, "name x\nmemory 131072\nstack 65536\n"
				 "exchange 16777216\nendpoint pm procmgr\n");
	assert_int_equal(parse("name x\nmemory 192K\n", &b, NULL), ERR_OK);
	assert_false(vf_manifest_equal(&a, &b));
}

// ---- sections -----------------------------------------------------------

static void add_custom(struct vf_buf *b, const char *name, const void *p,
		       size_t n)
{
	uint8_t s[256];
	size_t k = strlen(name);

	s[0] = (uint8_t)k;
	memcpy(s + 1, name, k);
	memcpy(s + 1 + k, p, n);
	buf_section(b, 0, s, 1 + k + n);
}

static void test_sections(void **state)
{
	static const uint8_t con[] = {3, 0, 0, 0, 'a', 'b', 'c'};
	struct vf_buf b = {.n = 0};
	struct vf_sip_sections s;
	struct vf_module *m;
	struct vf_diag d;
	uint32_t dup = 0;
	(void)state;

	buf_header(&b);
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	assert_int_equal(vf_sip_sections_find(m, &s, &dup), ERR_OK);
	assert_null(s.manifest);
	assert_null(s.contracts);
	assert_int_equal(s.manifest_len + s.contracts_len, 0);
	vf_module_free(m);

	add_custom(&b, "isola.manifest", "name a\n", 7);
	add_custom(&b, "other", "x", 1);
	add_custom(&b, "isola.contracts", con, sizeof(con));
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	assert_int_equal(vf_sip_sections_find(m, &s, &dup), ERR_OK);
	assert_int_equal(s.manifest_len, 7);
	assert_memory_equal(s.manifest, "name a\n", 7);
	assert_ptr_equal(s.manifest, b.b + s.manifest_off);
	assert_int_equal(s.contracts_len, sizeof(con));
	assert_ptr_equal(s.contracts, b.b + s.contracts_off);
	vf_module_free(m);

	size_t second = b.n;
	add_custom(&b, "isola.contracts", con, sizeof(con));
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	assert_int_equal(vf_sip_sections_find(m, &s, &dup),
			 ERR_MANIFEST_SECTION_DUP);
	assert_int_equal(dup, second);
	vf_module_free(m);

	b.n = 0;
	buf_header(&b);
	add_custom(&b, "isola.manifest", "", 0);
	second = b.n;
	add_custom(&b, "isola.manifest", "", 0);
	assert_int_equal(load(&b, VF_FEATURES_ALL, 0, &d, &m), ERR_OK);
	assert_int_equal(vf_sip_sections_find(m, &s, NULL),
			 ERR_MANIFEST_SECTION_DUP);
	assert_int_equal(vf_sip_sections_find(m, &s, &dup),
			 ERR_MANIFEST_SECTION_DUP);
	assert_int_equal(dup, second);
	vf_module_free(m);
}

// ---- the contracts section ----------------------------------------------

static void test_contracts_walk(void **state)
{
	static const uint8_t sec[] = {2, 0, 0, 0, 'a', 'b', 1, 0, 0, 0, 'c'};
	const uint8_t *desc = (const uint8_t *)"x";
	size_t off = 0, n = 99, bad = 0;
	uint32_t count = 0;
	(void)state;

	assert_int_equal(vf_contracts_next(sec, sizeof(sec), &off, &desc, &n),
			 ERR_OK);
	assert_ptr_equal(desc, sec + 4);
	assert_int_equal(n, 2);
	assert_int_equal(off, 6);
	assert_int_equal(vf_contracts_next(sec, sizeof(sec), &off, &desc, &n),
			 ERR_OK);
	assert_ptr_equal(desc, sec + 10);
	assert_int_equal(n, 1);
	assert_int_equal(vf_contracts_next(sec, sizeof(sec), &off, &desc, &n),
			 ERR_OK);
	assert_null(desc);
	assert_int_equal(n, 0);
	assert_int_equal(off, sizeof(sec));
	assert_int_equal(vf_contracts_check(sec, sizeof(sec), &count, &bad),
			 ERR_OK);
	assert_int_equal(count, 2);
	// An empty (or absent) section has no entries.
	assert_int_equal(vf_contracts_check(NULL, 0, &count, NULL), ERR_OK);
	assert_int_equal(count, 0);
}

struct walk_case {
	const char *name;
	const uint8_t *sec;
	size_t len;
	isola_err_t code;
	size_t bad_off;
};

static const uint8_t w_short_len[] = {2, 0, 0, 0, 'a', 'b', 1, 0, 0};
static const uint8_t w_short_body[] = {2, 0, 0, 0, 'a', 'b', 3, 0, 0, 0, 'c'};
static const uint8_t w_zero[] = {2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0};
static const uint8_t w_huge[] = {0xff, 0xff, 0xff, 0xff, 'a'};
static const uint8_t w_over[] = {1, 0, 0x10, 0, 'a'}; // 1 MiB + 1
static const uint8_t w_max_short[] = {0, 0, 0x10, 0, 'a'}; // 1 MiB, 1 byte

static const struct walk_case walks[] = {
	{"short length", w_short_len, sizeof(w_short_len),
	 ERR_MANIFEST_CONTRACTS_TRUNCATED, 6},
	{"one byte", w_short_len, 1, ERR_MANIFEST_CONTRACTS_TRUNCATED, 0},
	{"short body", w_short_body, sizeof(w_short_body),
	 ERR_MANIFEST_CONTRACTS_TRUNCATED, 6},
	{"zero length", w_zero, sizeof(w_zero), ERR_MANIFEST_CONTRACTS_EMPTY, 6},
	{"huge", w_huge, sizeof(w_huge), ERR_MANIFEST_CONTRACTS_LARGE, 0},
	{"over max", w_over, sizeof(w_over), ERR_MANIFEST_CONTRACTS_LARGE, 0},
	{"max truncated", w_max_short, sizeof(w_max_short),
	 ERR_MANIFEST_CONTRACTS_TRUNCATED, 0},
};

static void test_contracts_reject(void **state)
{
	(void)state;
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(walks); i++) {
		const struct walk_case *c = &walks[i];
		size_t bad = 12345;
		uint32_t count = 77;
		if (vf_contracts_check(c->sec, c->len, &count, &bad) != c->code ||
		    bad != c->bad_off) {
			fprintf(stderr, "case '%s': bad_off %zu\n", c->name, bad);
			fail();
		}
		assert_int_equal(count, 77); // written only on success
	}
}

static void test_contracts_max(void **state)
{
	size_t n = 4 + VF_CONTRACT_DESC_MAX;
	uint8_t *sec = calloc(1, n);
	const uint8_t *desc;
	size_t off = 0, len;
	(void)state;

	assert_non_null(sec);
	sec[2] = 0x10; // exactly VF_CONTRACT_DESC_MAX
	assert_int_equal(vf_contracts_next(sec, n, &off, &desc, &len), ERR_OK);
	assert_int_equal(len, VF_CONTRACT_DESC_MAX);
	assert_int_equal(off, n);
	free(sec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_directive),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_offsets),
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_name_lengths),
		cmocka_unit_test(test_endpoint_count),
		cmocka_unit_test(test_line_length),
		cmocka_unit_test(test_total_size),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_contracts_walk),
		cmocka_unit_test(test_contracts_reject),
		cmocka_unit_test(test_contracts_max),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
