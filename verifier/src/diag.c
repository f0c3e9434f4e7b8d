// SPDX-License-Identifier: MIT
// Recording why a module was rejected: the code, the byte offset, and the
// function index and code-section offset when the error is in a body.
// Only the first failure is kept; later calls on the way out leave it.
#include "vf_env.h"

#include <isola/fmt.h>
#include <stdarg.h>

static void vf_record(struct vf_env *e, isola_err_t code, const uint8_t *at)
{
	struct vf_diag *d = e->diag;
	struct vf_module *m = e->m;

	d->code = code;
	d->offset = at ? vf_off(e, at) : 0;
	d->func_index = VF_NO_INDEX;
	d->instr_off = VF_NO_INDEX;
	d->detail[0] = '\0';
	if (e->cur_func != VF_NO_INDEX) {
		d->func_index = e->cur_func;
		if (at && m && d->offset >= m->code_section.off)
			d->instr_off = d->offset - m->code_section.off;
	}
}

isola_err_t vf_fail(struct vf_env *e, isola_err_t code, const uint8_t *at)
{
	vf_record(e, code, at);
	return code;
}

isola_err_t vf_failf(struct vf_env *e, isola_err_t code, const uint8_t *at,
		     const char *fmt, ...)
{
	va_list ap;

	vf_record(e, code, at);
	va_start(ap, fmt);
	isola_vsnprintf(e->diag->detail, sizeof(e->diag->detail), fmt, ap);
	va_end(ap);
	return code;
}
