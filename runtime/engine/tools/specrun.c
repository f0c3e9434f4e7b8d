// SPDX-License-Identifier: MIT
// specrun: runs wast2json command lists through the verifier and the
// engine. Every command kind is checked; text-format assert_malformed
// modules are counted as skipped (there is no text parser to test). Prints
// one line per file and a final "N passed, N failed" line; exit status 1
// if anything failed. Usage: specrun [--features=LIST] [-v] FILE.json...
#include "host.h"
#include "json.h"
#include "specrun.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sr_fail(struct sr *r, const struct json *cmd, const char *fmt,
		    const char *a)
{
	const struct json *line = json_get(cmd, "line");
	r->failed++;
	printf("  %s:%d: %s: ", r->file, line ? (int)line->num : 0,
	       json_str(cmd, "type"));
	printf(fmt, a);
	printf("\n");
}

ISOLA_MUST_CHECK
static isola_err_t sr_resolve(void *ctx, const char *module, size_t mlen,
			      const char *field, size_t flen, uint8_t kind,
			      struct eng_extern *out)
{
	struct sr *r = ctx;
	if (mlen == 8 && memcmp(module, "spectest", 8) == 0)
		return spectest_lookup(r->st, field, flen, kind, out);
	for (size_t i = r->nregs; i-- > 0;) {
		if (strlen(r->regs[i].name) != mlen ||
		    memcmp(r->regs[i].name, module, mlen) != 0)
			continue;
		if (eng_instance_export(r->regs[i].inst, field, flen, out) != ERR_OK)
			return ERR_ENG_IMPORT_UNKNOWN;
		return ERR_OK;
	}
	return ERR_ENG_IMPORT_UNKNOWN;
}

static void sr_add_name(struct sr *r, struct sr_name **arr, size_t *n,
			const char *name, struct eng_instance *inst)
{
	(void)r;
	*arr = realloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[*n].name = strdup(name);
	(*arr)[*n].inst = inst;
	(*n)++;
}

// Loads and verifies the module file of cmd. ERR_OK and *m, or the
// verifier's code.
isola_err_t sr_load(struct sr *r, const struct json *cmd, struct vf_module **m)
{
	const char *fn = json_str(cmd, "filename");
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", r->dir, fn ? fn : "");
	size_t len = 0;
	uint8_t *bytes = host_read_file(path, &len);
	if (bytes == NULL)
		return ERR_IO;
	struct vf_diag diag;
	isola_err_t err = host_load(r->env, bytes, len, m, &diag);
	if (err != ERR_OK) {
		free(bytes);
		return err;
	}
	r->loaded = realloc(r->loaded, (r->nloaded + 1) * sizeof(*r->loaded));
	r->loaded[r->nloaded++] = (struct sr_loaded){bytes, *m, NULL};
	return ERR_OK;
}

// Instantiates a loaded module; the instance is kept until the file ends
// even when instantiation fails after creating it (its functions may sit
// in an imported table).
isola_err_t sr_instantiate(struct sr *r, struct vf_module *m,
			   struct eng_instance **out)
{
	struct eng_config cfg = {.alloc = &r->env->alloc,
				 .mem_alloc = &r->env->mem_alloc,
				 .resolve = sr_resolve,
				 .resolve_ctx = r,
				 .prepare = &r->env->prepare,
				 .vm = &r->env->vm};
	struct eng_instance *inst = NULL;
	isola_err_t err = eng_instantiate(m, &cfg, r->env->th, &inst);
	r->loaded[r->nloaded - 1].inst = inst;
	*out = inst;
	return err;
}

static void sr_module(struct sr *r, const struct json *cmd)
{
	struct vf_module *m;
	struct eng_instance *inst;
	isola_err_t err = sr_load(r, cmd, &m);
	if (err == ERR_OK)
		err = sr_instantiate(r, m, &inst);
	if (err != ERR_OK) {
		r->cur = NULL;
		sr_fail(r, cmd, "%s", isola_err_name(err));
		return;
	}
	r->cur = inst;
	const char *name = json_str(cmd, "name");
	if (name)
		sr_add_name(r, &r->names, &r->nnames, name, inst);
	r->passed++;
}

struct eng_instance *sr_find(struct sr *r, const char *name)
{
	if (name == NULL)
		return r->cur;
	for (size_t i = r->nnames; i-- > 0;)
		if (strcmp(r->names[i].name, name) == 0)
			return r->names[i].inst;
	return NULL;
}

static void sr_register(struct sr *r, const struct json *cmd)
{
	struct eng_instance *inst = sr_find(r, json_str(cmd, "name"));
	if (inst == NULL) {
		sr_fail(r, cmd, "%s", "no such module");
		return;
	}
	sr_add_name(r, &r->regs, &r->nregs, json_str(cmd, "as"), inst);
	r->passed++;
}

static void sr_command(struct sr *r, const struct json *cmd)
{
	const char *type = json_str(cmd, "type");
	if (type == NULL)
		return;
	if (strcmp(type, "module") == 0)
		sr_module(r, cmd);
	else if (strcmp(type, "register") == 0)
		sr_register(r, cmd);
	else if (!sr_assert(r, cmd))
		sr_fail(r, cmd, "%s", "unknown command");
}

static void sr_reset(struct sr *r)
{
	for (size_t i = r->nloaded; i-- > 0;)
		if (r->loaded[i].inst)
			eng_instance_free(r->loaded[i].inst);
	for (size_t i = 0; i < r->nloaded; i++) {
		vf_module_free(r->loaded[i].m);
		free(r->loaded[i].bytes);
	}
	for (size_t i = 0; i < r->nnames; i++)
		free(r->names[i].name);
	for (size_t i = 0; i < r->nregs; i++)
		free(r->regs[i].name);
	free(r->loaded);
	free(r->names);
	free(r->regs);
	r->loaded = NULL;
	r->names = r->regs = NULL;
	r->nloaded = r->nnames = r->nregs = 0;
	r->cur = NULL;
}

static void sr_file(struct sr *r, const char *path)
{
	size_t len;
	char *text = (char *)host_read_file(path, &len);
	struct json *doc = text ? json_parse(text, len) : NULL;
	free(text);
	int p0 = r->passed, f0 = r->failed, s0 = r->skipped;
	r->file = path;
	const struct json *cmds = json_get(doc, "commands");
	if (cmds == NULL || cmds->kind != JSON_ARR) {
		printf("%s: cannot read\n", path);
		r->failed++;
		json_free(doc);
		return;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		snprintf(dir, sizeof(dir), ".");
	r->dir = dir;
	r->st = spectest_new(r->env);
	for (size_t i = 0; i < cmds->n; i++)
		sr_command(r, &cmds->items[i]);
	sr_reset(r);
	spectest_free(r->st, r->env);
	printf("%s: %d passed, %d failed", path, r->passed - p0, r->failed - f0);
	if (r->skipped > s0)
		printf(", %d skipped (text format)", r->skipped - s0);
	printf("\n");
	json_free(doc);
}

int main(int argc, char **argv)
{
	uint32_t features = VF_FEATURES_ALL;
	struct host_env env;
	struct sr r;
	int first = 1;
	memset(&r, 0, sizeof(r));
	host_env_init(&env, features);
	for (; first < argc && argv[first][0] == '-'; first++) {
		int e = host_engine_option(&env, argv[first]);
		if (e < 0) {
			fprintf(stderr, "specrun: %s: use --engine=jit|interp, --bounds=explicit|guard\n",
				argv[first]);
			return 2;
		}
		if (e > 0)
			continue;
		if (strncmp(argv[first], "--features=", 11) == 0) {
			if (vf_features_parse(argv[first] + 11, &features) != ERR_OK) {
				fprintf(stderr, "specrun: bad feature list\n");
				return 2;
			}
		} else {
			fprintf(stderr, "usage: specrun [--features=LIST] [--engine=jit|interp] [--bounds=explicit|guard] FILE.json...\n");
			return 2;
		}
	}
	if (first == argc) {
		fprintf(stderr, "usage: specrun [--features=LIST] [--engine=jit|interp] [--bounds=explicit|guard] FILE.json...\n");
		return 2;
	}
	env.features = features;
	r.env = &env;
	for (int i = first; i < argc; i++)
		sr_file(&r, argv[i]);
	printf("%d passed, %d failed", r.passed, r.failed);
	if (r.skipped)
		printf(", %d skipped (text-format modules)", r.skipped);
	printf("\n");
	host_env_fini(&env);
	return r.failed ? 1 : 0;
}
