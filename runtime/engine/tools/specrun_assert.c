// SPDX-License-Identifier: MIT
// The spec runner's assertions: running an action (invoke or get),
// parsing argument and expected values (bit patterns as decimal strings,
// NaN classes), and checking each assert_* command against the engine's
// results and trap codes (matched by the spec's message text).
#include "specrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SR_MAX_VALUES 64

struct sr_result {
	isola_err_t err;
	uint32_t n;
	uint64_t vals[SR_MAX_VALUES];
};

static uint64_t sr_value(const struct json *v)
{
	const char *s = json_str(v, "value");
	return s ? strtoull(s, NULL, 10) : 0;
}

// Runs cmd's action. ERR_NOTFOUND if the module or export is missing.
static void sr_action(struct sr *r, const struct json *cmd, struct sr_result *res)
{
	const struct json *act = json_get(cmd, "action");
	const struct json *field = json_get(act, "field");
	struct eng_instance *inst = sr_find(r, json_str(act, "module"));
	struct eng_extern x;
	res->n = 0;
	res->err = ERR_NOTFOUND;
	if (inst == NULL || field == NULL ||
	    eng_instance_export(inst, field->str, field->len, &x) != ERR_OK)
		return;
	if (strcmp(json_str(act, "type"), "get") == 0) {
		res->err = x.kind == VF_EXTERN_GLOBAL ? ERR_OK : ERR_NOTFOUND;
		res->n = 1;
		res->vals[0] = x.u.global->bits;
		return;
	}
	const struct json *args = json_get(act, "args");
	uint64_t a[SR_MAX_VALUES];
	size_t nargs = args ? args->n : 0;
	if (x.kind != VF_EXTERN_FUNC || nargs > SR_MAX_VALUES ||
	    x.u.func->type->nresults > SR_MAX_VALUES)
		return;
	for (size_t i = 0; i < nargs; i++)
		a[i] = sr_value(&args->items[i]);
	res->n = x.u.func->type->nresults;
	res->err = eng_call(r->env->th, x.u.func, a, res->vals);
}

static bool sr_match(const struct json *e, uint64_t got)
{
	const char *type = json_str(e, "type"), *v = json_str(e, "value");
	bool f32 = strcmp(type, "f32") == 0, f64 = strcmp(type, "f64") == 0;
	if (v && strncmp(v, "nan:", 4) == 0) {
		bool canon = strcmp(v, "nan:canonical") == 0;
		if (f32)
			return canon ? (got & 0x7fffffffu) == 0x7fc00000u
				     : (got & 0x7fc00000u) == 0x7fc00000u;
		return canon ? (got & ~0x8000000000000000ull) == 0x7ff8000000000000ull
			     : (got & 0x7ff8000000000000ull) == 0x7ff8000000000000ull;
	}
	uint64_t want = sr_value(e);
	if (f32 || strcmp(type, "i32") == 0)
		return (uint32_t)got == (uint32_t)want && got >> 32 == 0;
	(void)f64;
	return got == want;
}

static bool sr_trap_matches(isola_err_t err, const char *text)
{
	if (err == ERR_OK || err == ERR_NOTFOUND)
		return false;
	if (text == NULL)
		return true;
	const char *msg = isola_err_message(err);
	return strncmp(msg, text, strlen(text)) == 0;
}

static void sr_bad(struct sr *r, const struct json *cmd, const char *why)
{
	const struct json *line = json_get(cmd, "line");
	const struct json *act = json_get(cmd, "action");
	const struct json *field = json_get(act, "field");
	r->failed++;
	printf("  %s:%d: %s %s: %s\n", r->file, line ? (int)line->num : 0,
	       json_str(cmd, "type"), field ? field->str : "", why);
}

static void sr_ok(struct sr *r, bool ok, const struct json *cmd, const char *why)
{
	if (ok)
		r->passed++;
	else
		sr_bad(r, cmd, why);
}

static void sr_assert_return(struct sr *r, const struct json *cmd)
{
	struct sr_result res;
	const struct json *exp = json_get(cmd, "expected");
	sr_action(r, cmd, &res);
	if (res.err != ERR_OK) {
		sr_bad(r, cmd, isola_err_name(res.err));
		return;
	}
	size_t n = exp ? exp->n : 0;
	bool ok = n == res.n;
	for (size_t i = 0; ok && i < n; i++)
		ok = sr_match(&exp->items[i], res.vals[i]);
	sr_ok(r, ok, cmd, "wrong result");
}

static void sr_assert_trap(struct sr *r, const struct json *cmd, const char *text)
{
	struct sr_result res;
	sr_action(r, cmd, &res);
	sr_ok(r, sr_trap_matches(res.err, text), cmd,
	      res.err == ERR_OK ? "no trap" : isola_err_name(res.err));
}

// assert_invalid and assert_malformed: the verifier must reject.
static void sr_assert_rejected(struct sr *r, const struct json *cmd)
{
	const char *mt = json_str(cmd, "module_type");
	if (mt && strcmp(mt, "text") == 0) {
		r->skipped++;
		return;
	}
	struct vf_module *m;
	isola_err_t err = sr_load(r, cmd, &m);
	sr_ok(r, err != ERR_OK && err != ERR_IO, cmd, "accepted");
}

// assert_unlinkable / assert_uninstantiable / assert_trap on a module.
static void sr_assert_instantiate(struct sr *r, const struct json *cmd,
				  bool link_error)
{
	struct vf_module *m;
	struct eng_instance *inst;
	isola_err_t err = sr_load(r, cmd, &m);
	if (err != ERR_OK) {
		sr_bad(r, cmd, "module rejected by the verifier");
		return;
	}
	err = sr_instantiate(r, m, &inst);
	// In the MVP a segment that does not fit fails linking (nothing is
	// written); with bulk memory it is a trap during instantiation.
	bool mvp_seg = err == ERR_ENG_SEGMENT_OOB &&
		       !(m->features & VF_FEAT_BULK_MEMORY);
	bool is_link = err == ERR_ENG_IMPORT_UNKNOWN ||
		       err == ERR_ENG_IMPORT_TYPE || mvp_seg;
	sr_ok(r, err != ERR_OK && is_link == link_error, cmd,
	      err == ERR_OK ? "instantiated" : isola_err_name(err));
}

static void sr_action_cmd(struct sr *r, const struct json *cmd)
{
	struct sr_result res;
	sr_action(r, cmd, &res);
	sr_ok(r, res.err == ERR_OK, cmd, isola_err_name(res.err));
}

bool sr_assert(struct sr *r, const struct json *cmd)
{
	const char *type = json_str(cmd, "type");
	const char *text = json_str(cmd, "text");
	if (strcmp(type, "assert_return") == 0)
		sr_assert_return(r, cmd);
	else if (strcmp(type, "assert_trap") == 0 && json_get(cmd, "action"))
		sr_assert_trap(r, cmd, text);
	else if (strcmp(type, "assert_exhaustion") == 0)
		sr_assert_trap(r, cmd, "call stack exhausted");
	else if (strcmp(type, "assert_invalid") == 0 ||
		 strcmp(type, "assert_malformed") == 0)
		sr_assert_rejected(r, cmd);
	else if (strcmp(type, "assert_unlinkable") == 0)
		sr_assert_instantiate(r, cmd, true);
	else if (strcmp(type, "assert_uninstantiable") == 0 ||
		 strcmp(type, "assert_trap") == 0)
		sr_assert_instantiate(r, cmd, false);
	else if (strcmp(type, "action") == 0)
		sr_action_cmd(r, cmd);
	else
		return false;
	return true;
}
