// SPDX-License-Identifier: MIT
// SIP-level checks on a module's interface: every import is a function of
// module "isola" listed in common/include/isola/abi.def with exactly that
// signature (the kernel binds from the same list), and the entry point is
// exported with an acceptable type. Rules S-IMPORT-* and S-ENTRY in
// docs/verifier-rules.md.
#include <isola/fmt.h>
#include <isola/sipcheck.h>

#include <string.h>

struct vf_abi_row {
	const char *name;
	uint8_t nparams, nresults;
	vf_valtype_t types[8];
};

// Each row's wasm signature, derived from its typed parameters: every
// type but I64 is an i32 (common/include/isola/abi.def).
#define VF_ABI_WASM_HANDLE VF_TYPE_I32
#define VF_ABI_WASM_UPTR VF_TYPE_I32
#define VF_ABI_WASM_U32 VF_TYPE_I32
#define VF_ABI_WASM_I32 VF_TYPE_I32
#define VF_ABI_WASM_I64 VF_TYPE_I64
#define VF_ABI_NRES_NONE 0
#define VF_ABI_NRES_I32 1
#define VF_ABI_NRES_I64 1
#define VF_ABI_RES_NONE
#define VF_ABI_RES_I32 VF_TYPE_I32,
#define VF_ABI_RES_I64 VF_TYPE_I64,
#define P(type, name) +1
#define ISOLA_ABI(n, res, params) enum { VF_ABI_NP_##n = 0 params };
#include <isola/abi.def>
#undef ISOLA_ABI
#undef P
#define P(type, name) VF_ABI_WASM_##type,
#define ISOLA_ABI(n, res, params)                                             \
	{ #n, VF_ABI_NP_##n, VF_ABI_NRES_##res, { params VF_ABI_RES_##res } },
static const struct vf_abi_row vf_abi_rows[] = {
#include <isola/abi.def>
};
#undef ISOLA_ABI
#undef P

static void vf_sip_diag(struct vf_diag *d, isola_err_t code, uint32_t off)
{
	d->code = code;
	d->offset = off;
	d->func_index = VF_NO_INDEX;
	d->instr_off = VF_NO_INDEX;
	d->detail[0] = '\0';
}

static const struct vf_abi_row *vf_abi_find(const uint8_t *name, uint32_t len)
{
	for (size_t i = 0; i < ISOLA_ARRAY_LEN(vf_abi_rows); i++)
		if (strlen(vf_abi_rows[i].name) == len &&
		    memcmp(vf_abi_rows[i].name, name, len) == 0)
			return &vf_abi_rows[i];
	return NULL;
}

static bool vf_abi_type_is(const struct vf_abi_row *r,
			   const struct vf_functype *t)
{
	uint32_t n = t->nparams + t->nresults;

	return t->nparams == r->nparams && t->nresults == r->nresults &&
	       (n == 0 || memcmp(t->types, r->types, n) == 0);
}

static const char *vf_type_word(vf_valtype_t t)
{
	return t == VF_TYPE_I32	  ? "i32"
	       : t == VF_TYPE_I64 ? "i64"
	       : t == VF_TYPE_F32 ? "f32"
				  : "f64";
}

// Appends "(i32, i32) -> i32" to buf (NUL-terminated, cut to len).
static void vf_sig_text(char *buf, size_t len, const vf_valtype_t *t,
			uint32_t np, uint32_t nr)
{
	size_t n = strlen(buf);

	for (uint32_t i = 0; i < np + nr && n + 1 < len; i++) {
		const char *sep = i == np ? (np ? ") -> " : "() -> ")
				  : i == 0 ? "("
					   : ", ";
		isola_snprintf(buf + n, len - n, "%s%s", sep, vf_type_word(t[i]));
		n = strlen(buf);
	}
	if (nr == 0 && n + 1 < len)
		isola_snprintf(buf + n, len - n, "%s", np ? ")" : "()");
}

isola_err_t vf_sip_check_imports(const struct vf_module *m,
				 struct vf_diag *d)
{
	for (uint32_t i = 0; i < m->nimports; i++) {
		const struct vf_import *im = &m->imports[i];
		const uint8_t *mod = vf_range_ptr(m, im->module);
		const uint8_t *field = vf_range_ptr(m, im->field);
		int flen = (int)(im->field.len > 40 ? 40 : im->field.len);
		const struct vf_abi_row *row;

		if (im->module.len != 5 || memcmp(mod, "isola", 5) != 0) {
			vf_sip_diag(d, ERR_SIP_IMPORT_MODULE, im->offset);
			isola_snprintf(d->detail, sizeof(d->detail), "'%.*s'.'%.*s'",
				       (int)(im->module.len > 40 ? 40 : im->module.len),
				       (const char *)mod, flen, (const char *)field);
			return d->code;
		}
		if (im->kind != VF_EXTERN_FUNC) {
			vf_sip_diag(d, ERR_SIP_IMPORT_KIND, im->offset);
			isola_snprintf(d->detail, sizeof(d->detail), "'%.*s'", flen,
				       (const char *)field);
			return d->code;
		}
		row = vf_abi_find(field, im->field.len);
		if (!row) {
			vf_sip_diag(d, ERR_SIP_IMPORT_UNKNOWN, im->offset);
			isola_snprintf(d->detail, sizeof(d->detail), "'%.*s'", flen,
				       (const char *)field);
			return d->code;
		}
		const struct vf_functype *t = vf_func_type(m, im->index);
		if (!vf_abi_type_is(row, t)) {
			vf_sip_diag(d, ERR_SIP_IMPORT_TYPE, im->offset);
			size_t n;
			isola_snprintf(d->detail, sizeof(d->detail), "%s: ", row->name);
			vf_sig_text(d->detail, sizeof(d->detail), t->types,
				    t->nparams, t->nresults);
			n = strlen(d->detail);
			isola_snprintf(d->detail + n, sizeof(d->detail) - n, ", wants ");
			vf_sig_text(d->detail, sizeof(d->detail), row->types,
				    row->nparams, row->nresults);
			return d->code;
		}
	}
	return ERR_OK;
}

isola_err_t vf_sip_check_entry(const struct vf_module *m, struct vf_diag *d)
{
	const struct vf_export *e = vf_find_export(m, "_start", 6, VF_EXTERN_FUNC);
	const struct vf_functype *t;

	if (!e)
		e = vf_find_export(m, "main", 4, VF_EXTERN_FUNC);
	if (!e) {
		vf_sip_diag(d, ERR_SIP_ENTRY_MISSING, 0);
		return d->code;
	}
	t = vf_func_type(m, e->index);
	if (t->nparams != 0 || t->nresults > 1 ||
	    (t->nresults == 1 && t->types[0] != VF_TYPE_I32)) {
		vf_sip_diag(d, ERR_SIP_ENTRY_TYPE, e->name.off);
		isola_snprintf(d->detail, sizeof(d->detail), "'%.*s' is ",
			       (int)e->name.len, (const char *)vf_range_ptr(m, e->name));
		vf_sig_text(d->detail, sizeof(d->detail), t->types, t->nparams,
			    t->nresults);
		return d->code;
	}
	return ERR_OK;
}
