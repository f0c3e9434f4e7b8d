// SPDX-License-Identifier: MIT
// wasmgen: writes a random valid WebAssembly module (text format) from a
// seed, for the differential test against wabt's wasm-interp. Helpers with
// random signatures call only lower-numbered helpers (so every run ends);
// exported run_N functions take no parameters, mix statements, loops with
// bounded counters, memory, globals, calls and call_indirect (which may
// trap), and return an i64. Float results leave through a NaN-canonicalising
// reinterpretation, so only behaviour the spec fixes is compared.
// Usage: wasmgen SEED > module.wat
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

enum { I32, I64, F32, F64 };
static const char *const tn[] = {"i32", "i64", "f32", "f64"};

#define MAX_HELPERS 8
#define MAX_LOCALS 32

struct fn {
	int nparams, result;
	int params[3];
	int nlocals;
	int locals[MAX_LOCALS]; // types of params and locals
};

struct gen {
	uint64_t s;
	int nhelpers;
	struct fn helpers[MAX_HELPERS];
	struct fn *cur;
	int cur_index; // helper index, or MAX_HELPERS for run functions
	int loops;
};

static uint32_t rnd(struct gen *g, uint32_t n)
{
	g->s ^= g->s << 13;
	g->s ^= g->s >> 7;
	g->s ^= g->s << 17;
	return (uint32_t)(g->s % n);
}

static void expr(struct gen *g, int t, int d);

static void int_const(struct gen *g, int t)
{
	static const int64_t k[] = {0, 1, -1, 2, 7, 31, 32, 63, 64, 255, 0x7fff,
				    0x8000, 0x7fffffff, INT32_MIN, INT64_MAX,
				    INT64_MIN, 0xffff, 1000, -1000, 12345};
	int64_t v = rnd(g, 3) ? k[rnd(g, sizeof(k) / sizeof(k[0]))]
			      : (int64_t)(((uint64_t)rnd(g, 0xffffffffu) << 32) |
					  rnd(g, 0xffffffffu));
	if (t == I32)
		printf("(i32.const %" PRId32 ")", (int32_t)v);
	else
		printf("(i64.const %" PRId64 ")", v);
}

static void float_const(struct gen *g, int t)
{
	static const char *const k[] = {
		"0", "-0", "1", "-1", "0.5", "-1.5", "2.5", "3.5", "1e10", "-1e-10",
		"inf", "-inf", "nan", "0x1p+31", "-0x1p+31", "0x1p+63", "0x1p+32",
		"4294967295", "-2147483649", "123.456", "0x1p-149", "1e38"};
	printf("(%s.const %s)", tn[t], k[rnd(g, sizeof(k) / sizeof(k[0]))]);
}

// A local of type t in the current function, or -1.
static int pick_local(struct gen *g, int t)
{
	int start = rnd(g, (uint32_t)g->cur->nlocals);
	for (int i = 0; i < g->cur->nlocals; i++) {
		int j = (start + i) % g->cur->nlocals;
		// The last four locals are scratch (canonicalisation, counters).
		if (j < g->cur->nlocals - 6 && g->cur->locals[j] == t)
			return j;
	}
	return -1;
}

static void leaf(struct gen *g, int t)
{
	int l = pick_local(g, t);
	uint32_t r = rnd(g, 4);
	if (r == 0 && l >= 0)
		printf("(local.get %d)", l);
	else if (r == 1)
		printf("(global.get %d)", t);
	else if (t <= I64)
		int_const(g, t);
	else
		float_const(g, t);
}

static void unary(struct gen *g, int t, int d)
{
	static const char *const iu[] = {"clz", "ctz", "popcnt", "extend8_s", "extend16_s", "eqz"};
	static const char *const fu[] = {"abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"};
	if (t <= I64) {
		const char *op = iu[rnd(g, 6)];
		if (op[0] == 'e' && op[1] == 'q') { // eqz gives i32
			printf("(%s (%s.eqz ", t == I64 ? "i64.extend_i32_u" : "i32.add (i32.const 0)", tn[t]);
			expr(g, t, d - 1);
			printf("))");
			return;
		}
		printf("(%s.%s ", tn[t], op);
	} else {
		printf("(%s.%s ", tn[t], fu[rnd(g, 7)]);
	}
	expr(g, t, d - 1);
	printf(")");
}

static void binary(struct gen *g, int t, int d)
{
	static const char *const ib[] = {"add", "sub", "mul", "div_s", "div_u", "rem_s",
					 "rem_u", "and", "or", "xor", "shl", "shr_s",
					 "shr_u", "rotl", "rotr"};
	static const char *const fb[] = {"add", "sub", "mul", "div", "min", "max"};
	// Division and remainder (3..6) trap often: pick them less.
	uint32_t i = rnd(g, 4) ? 7 + rnd(g, 11) : rnd(g, 15);
	printf("(%s.%s ", tn[t], t <= I64 ? ib[i < 15 ? i : i - 15] : fb[rnd(g, 6)]);
	expr(g, t, d - 1);
	expr(g, t, d - 1);
	printf(")");
}

static void compare(struct gen *g, int d)
{
	static const char *const ic[] = {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"};
	static const char *const fc[] = {"eq", "ne", "lt", "gt", "le", "ge"};
	int t = (int)rnd(g, 4);
	printf("(%s.%s ", tn[t], t <= I64 ? ic[rnd(g, 10)] : fc[rnd(g, 6)]);
	expr(g, t, d - 1);
	expr(g, t, d - 1);
	printf(")");
}

// With --raw-nan, float results leave with their NaN bits as they are,
// for comparing executors of one engine bit for bit.
static bool raw_nan;

// A float's bits as an integer with every NaN made canonical.
static void canon(struct gen *g, int ft, int d)
{
	int it = ft == F32 ? I32 : I64;
	if (raw_nan) {
		printf("(%s.reinterpret_%s ", tn[it], tn[ft]);
		expr(g, ft, d - 1);
		printf(")");
		return;
	}
	int tmp = g->cur->nlocals - (ft == F32 ? 6 : 5);
	printf("(if (result %s) (%s.eq (local.tee %d ", tn[it], tn[ft], tmp);
	expr(g, ft, d - 1);
	printf(") (local.get %d)) (then (%s.reinterpret_%s (local.get %d))) (else (%s.const %s)))",
	       tmp, tn[it], tn[ft], tmp, tn[it], ft == F32 ? "0x7fc00000" : "0x7ff8000000000000");
}

static void convert(struct gen *g, int t, int d)
{
	static const char *const to_i32[] = {"i32.wrap_i64 I64", "i32.trunc_f32_s F32", "i32.trunc_f32_u F32", "i32.trunc_f64_s F64", "i32.trunc_f64_u F64", "i32.trunc_sat_f32_s F32", "i32.trunc_sat_f64_u F64"};
	static const char *const to_i64[] = {"i64.extend_i32_s I32", "i64.extend_i32_u I32", "i64.trunc_f32_s F32", "i64.trunc_f64_u F64", "i64.trunc_sat_f64_s F64", "i64.trunc_sat_f32_u F32", "i64.extend32_s I64"};
	static const char *const to_f32[] = {"f32.convert_i32_s I32", "f32.convert_i32_u I32", "f32.convert_i64_s I64", "f32.convert_i64_u I64", "f32.demote_f64 F64", "f32.reinterpret_i32 I32"};
	static const char *const to_f64[] = {"f64.convert_i32_s I32", "f64.convert_i32_u I32", "f64.convert_i64_s I64", "f64.convert_i64_u I64", "f64.promote_f32 F32", "f64.reinterpret_i64 I64"};
	if (t <= I64 && rnd(g, 5) == 0) {
		if (t == I32)
			canon(g, F32, d);
		else
			canon(g, F64, d);
		return;
	}
	const char *const *tab = t == I32 ? to_i32 : t == I64 ? to_i64 : t == F32 ? to_f32 : to_f64;
	const char *c = tab[rnd(g, t <= I64 ? 7 : 6)];
	int n = 0;
	while (c[n] != ' ')
		n++;
	int from = c[n + 1] == 'I' ? (c[n + 2] == '3' ? I32 : I64) : (c[n + 2] == '3' ? F32 : F64);
	printf("(%.*s ", n, c);
	expr(g, from, d - 1);
	printf(")");
}

static void address(struct gen *g, int d)
{
	if (rnd(g, 24) == 0) {
		expr(g, I32, d - 1); // anywhere: often out of bounds
		return;
	}
	if (rnd(g, 3) == 0) {
		// base + constant, wrapping: the engine fuses this into the load.
		static const char *const k[] = {"8", "16", "24", "-8", "0x7f0", "4"};
		printf("(i32.add (i32.and (i32.const 0xfff8) ");
		expr(g, I32, d - 1);
		printf(") (i32.const %s))", k[rnd(g, 6)]);
		return;
	}
	printf("(i32.and (i32.const 0xfff8) ");
	expr(g, I32, d - 1);
	printf(")");
}

static void load(struct gen *g, int t, int d)
{
	static const char *const il[] = {"load", "load8_s", "load8_u", "load16_s", "load16_u"};
	const char *op = t <= I64 ? il[rnd(g, 5)] : "load";
	printf("(%s.%s offset=%u ", tn[t], op, rnd(g, 40) == 0 ? 65530 : rnd(g, 16));
	address(g, d);
	printf(")");
}

static void statement(struct gen *g, int d);

static void call(struct gen *g, int t, int d)
{
	int limit = g->cur_index < g->nhelpers ? g->cur_index : g->nhelpers;
	for (int i = 0; i < limit; i++) {
		int j = (int)rnd(g, (uint32_t)limit);
		if (g->helpers[j].result != t)
			continue;
		printf("(call $h%d", j);
		for (int p = 0; p < g->helpers[j].nparams; p++) {
			printf(" ");
			expr(g, g->helpers[j].params[p], d - 1);
		}
		printf(")");
		return;
	}
	leaf(g, t);
}

static void call_indirect(struct gen *g, int t, int d)
{
	int j = (int)rnd(g, (uint32_t)g->nhelpers);
	if (g->cur_index != MAX_HELPERS || g->helpers[j].result != t) {
		call(g, t, d);
		return;
	}
	printf("(call_indirect (type $t%d)", j);
	for (int p = 0; p < g->helpers[j].nparams; p++) {
		printf(" ");
		expr(g, g->helpers[j].params[p], d - 1);
	}
	printf(" (i32.const %u))", rnd(g, (uint32_t)g->nhelpers + 3));
}

// br_table: index 0 leaves the inner block (the value goes through the
// unary operator), the others leave the outer one directly.
static void br_table(struct gen *g, int t, int d)
{
	if (t > I64) {
		leaf(g, t);
		return;
	}
	printf("(block (result %s) (%s.%s (block (result %s) (br_table 0 1 1 ",
	       tn[t], tn[t], t == I32 ? "popcnt" : "clz", tn[t]);
	expr(g, t, d - 1);
	printf(" (i32.and (i32.const 3) ");
	expr(g, I32, d - 1);
	printf(")))))");
}

static void control(struct gen *g, int t, int d)
{
	uint32_t r = rnd(g, 4);
	if (r == 3) {
		br_table(g, t, d);
		return;
	}
	if (r == 0) {
		printf("(select ");
		expr(g, t, d - 1);
		expr(g, t, d - 1);
		expr(g, I32, d - 1);
		printf(")");
	} else if (r == 1) {
		printf("(if (result %s) ", tn[t]);
		expr(g, I32, d - 1);
		printf(" (then ");
		expr(g, t, d - 1);
		printf(") (else ");
		statement(g, d - 1);
		expr(g, t, d - 1);
		printf("))");
	} else {
		printf("(block (result %s) (drop (br_if 0 ", tn[t]);
		expr(g, t, d - 1);
		expr(g, I32, d - 1);
		printf(")) ");
		statement(g, d - 1);
		expr(g, t, d - 1);
		printf(")");
	}
}

static void loop(struct gen *g, int t, int d)
{
	if (g->loops >= 2) {
		leaf(g, t);
		return;
	}
	int cnt = g->cur->nlocals - 4 + g->loops;
	g->loops++;
	printf("(block (result %s) (local.set %d (i32.const %u)) (loop ", tn[t], cnt, 1 + rnd(g, 6));
	statement(g, d - 1);
	statement(g, d - 1);
	printf(" (br_if 0 (i32.ne (local.tee %d (i32.sub (local.get %d) (i32.const 1))) (i32.const 0)))) ",
	       cnt, cnt);
	expr(g, t, d - 1);
	printf(")");
	g->loops--;
}

static void expr(struct gen *g, int t, int d)
{
	if (d <= 0) {
		leaf(g, t);
		return;
	}
	switch (rnd(g, 14)) {
	case 0: case 1: leaf(g, t); break;
	case 2: unary(g, t, d); break;
	case 3: case 4: binary(g, t, d); break;
	case 5:
		if (t == I32)
			compare(g, d);
		else
			binary(g, t, d);
		break;
	case 6: convert(g, t, d); break;
	case 7: load(g, t, d); break;
	case 8: control(g, t, d); break;
	case 9: call(g, t, d); break;
	case 10: call_indirect(g, t, d); break;
	case 11: loop(g, t, d); break;
	case 12: {
		int l = pick_local(g, t);
		if (l < 0) {
			leaf(g, t);
			break;
		}
		printf("(local.tee %d ", l);
		expr(g, t, d - 1);
		printf(")");
		break;
	}
	default:
		if (t == I32)
			printf(rnd(g, 4) ? "(memory.size)" : "(memory.grow (i32.const 0))");
		else
			leaf(g, t);
		break;
	}
}

static void statement(struct gen *g, int d)
{
	int t = (int)rnd(g, 4);
	uint32_t r = rnd(g, 4);
	int l = pick_local(g, t);
	if (r == 0 && l >= 0) {
		printf(" (local.set %d ", l);
		expr(g, t, d);
		printf(")");
	} else if (r == 1) {
		printf(" (global.set %d ", t);
		expr(g, t, d);
		printf(")");
	} else if (r == 2 && t <= I64) {
		static const char *const st[] = {"store", "store8", "store16"};
		printf(" (%s.%s offset=%u ", tn[t], st[rnd(g, 3)], rnd(g, 16));
		address(g, d);
		printf(" ");
		expr(g, t, d);
		printf(")");
	} else {
		printf(" (drop ");
		expr(g, t, d);
		printf(")");
	}
}

// Declares locals: two of each type, then the scratch ones (f32 and f64
// for canonicalisation, two loop counters, two spare i32).
static void locals(struct fn *f)
{
	f->nlocals = f->nparams;
	for (int i = 0; i < f->nparams; i++)
		f->locals[i] = f->params[i];
	static const int extra[] = {I32, I32, I64, I64, F32, F32, F64, F64,
				    F32, F64, I32, I32, I32, I32};
	printf(" (local");
	for (int i = 0; i < 14; i++) {
		f->locals[f->nlocals++] = extra[i];
		printf(" %s", tn[extra[i]]);
	}
	printf(")");
}

static void result_i64(struct gen *g, int t, int d)
{
	if (t == I64)
		expr(g, I64, d);
	else if (t == I32) {
		printf("(i64.extend_i32_u ");
		expr(g, I32, d);
		printf(")");
	} else if (t == F32) {
		printf("(i64.extend_i32_u ");
		canon(g, F32, d + 1);
		printf(")");
	} else {
		canon(g, F64, d + 1);
	}
}

static void helpers(struct gen *g)
{
	for (int h = 0; h < g->nhelpers; h++) {
		struct fn *f = &g->helpers[h];
		printf("(type $t%d (func", h);
		for (int p = 0; p < f->nparams; p++)
			printf(" (param %s)", tn[f->params[p]]);
		printf(" (result %s)))\n", tn[f->result]);
	}
	for (int h = 0; h < g->nhelpers; h++) {
		struct fn *f = &g->helpers[h];
		g->cur = f;
		g->cur_index = h;
		printf("(func $h%d (type $t%d)", h, h);
		locals(f);
		statement(g, 3);
		printf(" ");
		expr(g, f->result, 4);
		printf(")\n");
	}
}

int main(int argc, char **argv)
{
	struct gen g = {0};
	if (argc > 1 && strcmp(argv[1], "--raw-nan") == 0) {
		raw_nan = true;
		argv++;
		argc--;
	}
	g.s = (argc > 1 ? strtoull(argv[1], NULL, 0) : 1) * 2654435761u + 88172645463325252ull;
	g.nhelpers = 2 + (int)rnd(&g, MAX_HELPERS - 1);
	for (int h = 0; h < g.nhelpers; h++) {
		struct fn *f = &g.helpers[h];
		f->nparams = (int)rnd(&g, 4);
		for (int p = 0; p < f->nparams; p++)
			f->params[p] = (int)rnd(&g, 4);
		f->result = (int)rnd(&g, 4);
	}
	printf("(module\n(memory 1 2)\n");
	printf("(global (mut i32) (i32.const 0)) (global (mut i64) (i64.const 0))\n");
	printf("(global (mut f32) (f32.const 0)) (global (mut f64) (f64.const 0))\n");
	printf("(table %d funcref)\n(elem (i32.const 0)", g.nhelpers + 1);
	for (int h = 0; h < g.nhelpers; h++)
		printf(" $h%d", h);
	printf(")\n(data (i32.const 0) \"\\01\\02\\03\\04\\ff\\fe\\80\\7f\\00\\00\\c0\\7f\")\n");
	helpers(&g);
	struct fn run = {0};
	for (int r = 0; r < 8; r++) {
		g.cur = &run;
		g.cur_index = MAX_HELPERS;
		printf("(func (export \"run_%d\") (result i64)", r);
		locals(&run);
		for (int s = 0; s < 3; s++)
			statement(&g, 3);
		printf(" ");
		result_i64(&g, (int)rnd(&g, 4), 5);
		printf(")\n");
	}
	printf(")\n");
	return 0;
}
