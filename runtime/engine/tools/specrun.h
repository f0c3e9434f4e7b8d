// SPDX-License-Identifier: MIT
// The spec runner's state and the functions its two files share:
// specrun.c (files, modules, registration) and specrun_assert.c
// (actions, values and every assert_* command).
#ifndef ENG_SPECRUN_H
#define ENG_SPECRUN_H

#include "host.h"
#include "json.h"

struct sr_loaded {
	uint8_t *bytes;
	struct vf_module *m;
	struct eng_instance *inst;
};

struct sr_name {
	char *name;
	struct eng_instance *inst;
};

struct sr {
	struct host_env *env;
	struct spectest *st;
	const char *file, *dir;
	struct eng_instance *cur;
	struct sr_loaded *loaded;
	size_t nloaded;
	struct sr_name *names, *regs;
	size_t nnames, nregs;
	int passed, failed, skipped;
};

isola_err_t sr_load(struct sr *r, const struct json *cmd, struct vf_module **m)
	ISOLA_MUST_CHECK;
isola_err_t sr_instantiate(struct sr *r, struct vf_module *m,
			   struct eng_instance **out) ISOLA_MUST_CHECK;
struct eng_instance *sr_find(struct sr *r, const char *name);
// Runs an assert_* or action command; false if the kind is unknown.
bool sr_assert(struct sr *r, const struct json *cmd);

#endif
