// SPDX-License-Identifier: MIT
// Writes NAME.h, the C header a SIP includes: payload structs pinned to the
// descriptor's layout, one linear C type per endpoint side and state, and
// typed wrappers that consume an endpoint in one state and return it in the
// next, so plain C type checking rejects out-of-order messages. The shape of
// the header is documented in docs/contracts.md ("The generated header").
#include "gen.h"

#include <stdlib.h>
#include <string.h>

#define NAME_MAX_ 512

// The prelude's names take part in the clash check (a contract `isola`
// with a message `bytes` would redefine struct isola_bytes).
static void declare_prelude(struct gen *g)
{
	static const char *const fns[] = { "rt_chan_create", "rt_chan_send", "rt_chan_recv",
					   "rt_chan_close", "rt_chan_select", "rt_chan_info",
					   "rt_eset_put", "rt_eset_take",
					   "ISOLA_ENDPOINT_MISMATCH" };
	gen_declare(g, GEN_NS_TAG, "isola_bytes");
	gen_declare(g, GEN_NS_TAG, "isola_endpoint");
	gen_declare(g, GEN_NS_TAG, "isola_chan_info");
	for (int s = CONTRACT_BOOL; s <= CONTRACT_SCALAR_LAST; s++)
		gen_declare(g, GEN_NS_TAG, "isola_block_%s", cc_scalar_name((uint8_t)s));
	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		gen_declare(g, GEN_NS_ORDINARY, "%s", fns[i]);
}

static void prelude(struct gen *g)
{
	declare_prelude(g);
	gen_emit(g, "#ifndef ISOLA_CONTRACT_PRELUDE\n#define ISOLA_CONTRACT_PRELUDE\n"
		    "// Shared by every generated contract header.\n"
		    "struct ISOLA_LINEAR isola_bytes { uint32_t h; };\n"
		    "// An endpoint of any contract, side and state (`endpoint` fields).\n"
		    "struct ISOLA_LINEAR isola_endpoint { uint32_t h; };\n");
	for (int s = CONTRACT_BOOL; s <= CONTRACT_SCALAR_LAST; s++)
		gen_emit(g, "struct ISOLA_LINEAR isola_block_%s { uint32_t h; };\n",
			 cc_scalar_name((uint8_t)s));
	gen_emit(g,
		 "// Provided by libsip (docs/contracts.md, \"What the header needs\").\n"
		 "int32_t rt_chan_create(const uint8_t *hash, uint32_t *exp, uint32_t *imp);\n"
		 "int32_t rt_chan_send(uint32_t ep, uint32_t msg, const void *payload, uint32_t size);\n"
		 "int32_t rt_chan_recv(uint32_t ep, void *buf, uint32_t size, uint32_t *msg);\n"
		 "void rt_chan_close(uint32_t ep);\n"
		 "// Waits until one of eps[0..n) has a message or a closed peer.\n"
		 "int32_t rt_chan_select(const uint32_t *eps, uint32_t n, uint32_t *index);\n"
		 "// What an endpoint is (the kernel's chan_info, docs/abi.md); 0 or error.\n"
		 "struct isola_chan_info {\n\tuint8_t hash[%d];\n\tuint16_t state;\n"
		 "\tuint8_t side;\n\tuint8_t closed;\n};\n"
		 "_Static_assert(sizeof(struct isola_chan_info) == %d, \"chan_info\");\n"
		 "int32_t rt_chan_info(uint32_t ep, struct isola_chan_info *out);\n"
		 "// The SIP's endpoint set (docs/abi.md): park an endpoint under a\n"
		 "// key, take it back (the kernel checks the contract hash names).\n"
		 "uint32_t rt_eset_put(uint32_t ep);\n"
		 "uint32_t rt_eset_take(uint32_t key, const uint8_t *hash);\n"
		 "// The err of a failed NAME_SIDE_STATE_from_any: -ERR_CHAN_PAYLOAD.\n"
		 "#define ISOLA_ENDPOINT_MISMATCH (-%d)\n"
		 "#endif\n\n",
		 CONTRACT_HASH_SIZE, CONTRACT_HASH_SIZE + 4, (int)ERR_CHAN_PAYLOAD);
}

// The C type of a field, without the array suffix.
static void field_ctype(const struct gen *g, const struct cc_type *t, char *buf, size_t n)
{
	const struct cc_contract *c = g->c;
	switch (t->kind) {
	case CC_TY_SCALAR:
	case CC_TY_ARRAY:
		snprintf(buf, n, "%s", cc_scalar_c(t->scalar));
		return;
	case CC_TY_STRUCT:
		snprintf(buf, n, "struct %s_%s", c->name, t->name);
		return;
	case CC_TY_BLOCK:
		if (t->bytes)
			snprintf(buf, n, "struct isola_bytes");
		else if (t->strct >= 0)
			snprintf(buf, n, "struct %s_%s_block", c->name, t->name);
		else
			snprintf(buf, n, "struct isola_block_%s", cc_scalar_name(t->scalar));
		return;
	case CC_TY_ENDPOINT: {
		char ep[NAME_MAX_];
		if (t->any) {
			snprintf(buf, n, "struct isola_endpoint");
			return;
		}
		const struct cc_contract *tc = &g->f->contracts[t->target];
		gen_ep_name(tc, t->side_v, tc->nstates ? t->state_v : -1, ep, sizeof(ep));
		snprintf(buf, n, "struct %s", ep);
		return;
	}
	}
}

static void field_decl(struct gen *g, const struct cc_field *f, const char *indent)
{
	char ty[NAME_MAX_];
	field_ctype(g, &f->type, ty, sizeof(ty));
	if (f->type.kind == CC_TY_ARRAY)
		gen_emit(g, "%s%s %s[%u];\n", indent, ty, f->name, f->type.count);
	else
		gen_emit(g, "%s%s %s;\n", indent, ty, f->name);
}

static void struct_body(struct gen *g, const char *tag, const struct cc_field *fl,
			size_t n, const struct contract_field *mf, uint32_t size)
{
	gen_emit(g, "struct %s {\n", tag);
	for (size_t i = 0; i < n; i++)
		field_decl(g, &fl[i], "\t");
	gen_emit(g, "};\n_Static_assert(sizeof(struct %s) == %u, \"layout of %s\");\n",
		 tag, size, tag);
	for (size_t i = 0; i < n; i++)
		gen_emit(g, "_Static_assert(__builtin_offsetof(struct %s, %s) == %u, "
			    "\"layout of %s\");\n", tag, fl[i].name, mf[i].offset, tag);
}

static void types(struct gen *g)
{
	const struct cc_contract *c = g->c;
	const struct contract *m = c->model;
	char tag[NAME_MAX_];
	for (size_t i = 0; i < c->nstructs; i++) {
		gen_line(g, c->structs[i].pos);
		snprintf(tag, sizeof(tag), "%s_%s", c->name, c->structs[i].name);
		gen_declare(g, GEN_NS_TAG, "%s", tag);
		gen_declare(g, GEN_NS_TAG, "%s_block", tag);
		if (m)
			struct_body(g, tag, c->structs[i].fields, c->structs[i].nfields,
				    m->structs[i].fields, m->structs[i].size);
		gen_emit(g, "struct ISOLA_LINEAR %s_block { uint32_t h; };\n\n", tag);
	}
	for (size_t i = 0; i < c->nmsgs; i++) {
		if (c->msgs[i].nfields == 0)
			continue;
		gen_line(g, c->msgs[i].pos);
		snprintf(tag, sizeof(tag), "%s_%s", c->name, c->msgs[i].name);
		gen_declare(g, GEN_NS_TAG, "%s", tag);
		if (m)
			struct_body(g, tag, c->msgs[i].fields, c->msgs[i].nfields,
				    m->msgs[i].fields, m->msgs[i].size);
		gen_emit(g, "\n");
	}
}

static void ids(struct gen *g)
{
	const struct cc_contract *c = g->c;
	char un[NAME_MAX_];
	snprintf(un, sizeof(un), "%s", gen_upper(g, c->name));
	gen_line(g, c->pos);
	gen_emit(g, "enum {\n");
	for (size_t i = 0; i < c->nmsgs; i++) {
		gen_declare(g, GEN_NS_ORDINARY, "%s_MSG_%s", un, gen_upper(g, c->msgs[i].name));
		gen_emit(g, "\t%s_MSG_%s = %zu,\n", un, gen_upper(g, c->msgs[i].name), i);
	}
	gen_emit(g, "};\n");
	gen_declare(g, GEN_NS_ORDINARY, "%s_CONTRACT_HASH", un);
	gen_emit(g, "#define %s_CONTRACT_HASH {", un);
	for (size_t i = 0; c->desc && i < CONTRACT_HASH_SIZE; i++)
		gen_emit(g, "%s0x%02x", i ? ", " : " ", c->desc[CONTRACT_DESC_HASH_OFFSET + i]);
	gen_emit(g, " }\n");
	if (c->model)
		gen_emit(g, "#define %s_QUEUE_IN %u\n#define %s_QUEUE_OUT %u\n\n", un,
			 c->model->bound[CONTRACT_IN], un, c->model->bound[CONTRACT_OUT]);
}

// Endpoint types for every side and state.
static void endpoints(struct gen *g)
{
	const struct cc_contract *c = g->c;
	size_t n = c->nstates ? c->nstates : 1;
	char ep[NAME_MAX_];
	for (int side = CONTRACT_EXP; side <= CONTRACT_IMP; side++) {
		for (size_t s = 0; s < n; s++) {
			gen_ep_name(c, side, c->nstates ? (int)s : -1, ep, sizeof(ep));
			gen_line(g, c->nstates ? c->states[s].pos : c->pos);
			gen_declare(g, GEN_NS_TAG, "%s", ep);
			gen_emit(g, "struct ISOLA_LINEAR %s { uint32_t h; };\n", ep);
		}
	}
	gen_emit(g, "\n");
}

// The messages side can send (or receive) in state, with next states.
// Interface form: state is -1 and the next state is -1 as well.
static size_t moves(const struct cc_contract *c, int side, int state, bool send,
		    int *msg, int *next)
{
	size_t n = 0;
	if (state < 0) {
		int want = send == (side == CONTRACT_IMP) ? CONTRACT_IN : CONTRACT_OUT;
		for (size_t i = 0; i < c->nmsgs; i++) {
			if (c->msgs[i].dir == want || c->msgs[i].dir == CONTRACT_BOTH) {
				msg[n] = (int)i;
				next[n++] = -1;
			}
		}
		return n;
	}
	const struct cc_state *s = &c->states[state];
	for (size_t t = 0; t < s->ntrans; t++) {
		// '?' means the exporter receives, so the importer sends.
		bool sends = s->trans[t].recv == (side == CONTRACT_IMP);
		if (sends == send) {
			msg[n] = s->trans[t].msg_v;
			next[n++] = s->trans[t].next_v;
		}
	}
	return n;
}

static void send_params(struct gen *g, const struct cc_msg *m)
{
	char ty[NAME_MAX_];
	for (size_t i = 0; i < m->nfields; i++) {
		field_ctype(g, &m->fields[i].type, ty, sizeof(ty));
		if (m->fields[i].type.kind == CC_TY_ARRAY)
			gen_emit(g, ", const %s %s[%u]", ty, m->fields[i].name,
				 m->fields[i].type.count);
		else
			gen_emit(g, ", %s %s", ty, m->fields[i].name);
	}
}

static void send_fn(struct gen *g, const char *ep, const char *next_ep,
		    const struct cc_msg *m)
{
	const struct cc_contract *c = g->c;
	char id[NAME_MAX_];
	snprintf(id, sizeof(id), "%s_MSG_", gen_upper(g, c->name));
	strncat(id, gen_upper(g, m->name), sizeof(id) - strlen(id) - 1);
	gen_declare(g, GEN_NS_ORDINARY, "%s_send_%s", ep, m->name);
	gen_line(g, m->pos);
	gen_emit(g, "static inline struct %s %s_send_%s(struct %s ep_", next_ep, ep,
		 m->name, ep);
	send_params(g, m);
	gen_emit(g, ")\n{\n");
	if (m->nfields == 0) {
		gen_emit(g, "\t(void)rt_chan_send(ep_.h, %s, 0, 0);\n", id);
	} else {
		gen_emit(g, "\tstruct %s_%s m_;\n", c->name, m->name);
		for (size_t i = 0; i < m->nfields; i++) {
			const char *fn = m->fields[i].name;
			if (m->fields[i].type.kind == CC_TY_ARRAY)
				gen_emit(g, "\t__builtin_memcpy(m_.%s, %s, sizeof(m_.%s));\n",
					 fn, fn, fn);
			else
				gen_emit(g, "\tm_.%s = %s;\n", fn, fn);
		}
		gen_emit(g, "\t(void)rt_chan_send(ep_.h, %s, &m_, sizeof(m_));\n", id);
	}
	gen_emit(g, "\treturn (struct %s){ ep_.h };\n}\n\n", next_ep);
}

// The result of a receive: a tag and one variant per message, each with
// the endpoint in its next state and the payload fields. No union: the
// sipcheck plugin tracks the handles of each variant (docs/checked-c.md).
static void recv_types(struct gen *g, const char *ep, const int *msg,
		       const int *next, size_t n, int side)
{
	const struct cc_contract *c = g->c;
	char uep[NAME_MAX_], nep[NAME_MAX_];
	snprintf(uep, sizeof(uep), "%s", gen_upper(g, ep));
	gen_declare(g, GEN_NS_TAG, "%s_tag", ep);
	gen_declare(g, GEN_NS_ORDINARY, "%s_CLOSED", uep);
	gen_emit(g, "enum %s_tag {\n\t%s_CLOSED = 0,\n", ep, uep);
	for (size_t i = 0; i < n; i++) {
		gen_declare(g, GEN_NS_ORDINARY, "%s_%s", uep, gen_upper(g, c->msgs[msg[i]].name));
		gen_emit(g, "\t%s_%s,\n", uep, gen_upper(g, c->msgs[msg[i]].name));
	}
	gen_declare(g, GEN_NS_TAG, "%s_msg", ep);
	gen_emit(g, "};\n// Switch on tag, then take the fields of that message's variant.\n"
		    "// %s_CLOSED: the peer has closed; the endpoint is already released.\n"
		    "struct %s_msg {\n\tenum %s_tag tag;\n", uep, ep, ep);
	for (size_t i = 0; i < n; i++) {
		const struct cc_msg *m = &c->msgs[msg[i]];
		gen_ep_name(c, side, next[i], nep, sizeof(nep));
		gen_emit(g, "\tstruct {\n\t\tstruct %s ep;\n", nep);
		for (size_t f = 0; f < m->nfields; f++)
			field_decl(g, &m->fields[f], "\t\t");
		gen_emit(g, "\t} %s;\n", m->name);
	}
	gen_emit(g, "};\n");
}

// Copies one received message's payload into its variant.
static void recv_case(struct gen *g, const char *uep, const char *un,
		      const struct cc_msg *m, const char *nep)
{
	const char *mn = m->name;
	gen_emit(g, "\tcase %s_MSG_%s:\n", un, gen_upper(g, mn));
	gen_emit(g, "\t\tr_.tag = %s_%s;\n\t\tr_.%s.ep = (struct %s){ ep_.h };\n",
		 uep, gen_upper(g, mn), mn, nep);
	for (size_t f = 0; f < m->nfields; f++) {
		const char *fn = m->fields[f].name;
		if (m->fields[f].type.kind == CC_TY_ARRAY)
			gen_emit(g, "\t\t__builtin_memcpy(r_.%s.%s, buf_.%s.%s, sizeof(r_.%s.%s));\n",
				 mn, fn, mn, fn, mn, fn);
		else
			gen_emit(g, "\t\tr_.%s.%s = buf_.%s.%s;\n", mn, fn, mn, fn);
	}
	gen_emit(g, "\t\tbreak;\n");
}

static void recv_fn(struct gen *g, const char *ep, const int *msg, const int *next,
		    size_t n, int side)
{
	const struct cc_contract *c = g->c;
	char uep[NAME_MAX_], nep[NAME_MAX_], un[NAME_MAX_];
	recv_types(g, ep, msg, next, n, side);
	snprintf(uep, sizeof(uep), "%s", gen_upper(g, ep));
	snprintf(un, sizeof(un), "%s", gen_upper(g, c->name));
	gen_declare(g, GEN_NS_ORDINARY, "%s_recv", ep);
	gen_reline(g);
	gen_emit(g, "static inline struct %s_msg %s_recv(struct %s ep_)\n{\n"
		    "\tstruct %s_msg r_;\n\tunion {\n\t\tchar none_;\n", ep, ep, ep, ep);
	for (size_t i = 0; i < n; i++)
		if (c->msgs[msg[i]].nfields)
			gen_emit(g, "\t\tstruct %s_%s %s;\n", c->name,
				 c->msgs[msg[i]].name, c->msgs[msg[i]].name);
	gen_emit(g, "\t} buf_;\n\tuint32_t id_ = 0;\n"
		    "\t__builtin_memset(&r_, 0, sizeof(r_));\n"
		    "\tif (rt_chan_recv(ep_.h, &buf_, sizeof(buf_), &id_) != 0) {\n"
		    "\t\trt_chan_close(ep_.h);\n"
		    "\t\tr_.tag = %s_CLOSED;\n\t\treturn r_;\n\t}\n\tswitch (id_) {\n", uep);
	for (size_t i = 0; i < n; i++) {
		gen_ep_name(c, side, next[i], nep, sizeof(nep));
		recv_case(g, uep, un, &c->msgs[msg[i]], nep);
	}
	gen_emit(g, "\tdefault: // the kernel delivers only what the state allows\n"
		    "\t\t__builtin_trap();\n\t}\n\treturn r_;\n}\n\n");
}

static void state_fns(struct gen *g, int side, int state, int *msg, int *next)
{
	const struct cc_contract *c = g->c;
	char ep[NAME_MAX_], nep[NAME_MAX_];
	struct cc_pos at = state >= 0 ? c->states[state].pos : c->pos;
	gen_ep_name(c, side, state, ep, sizeof(ep));
	size_t n = moves(c, side, state, true, msg, next);
	for (size_t i = 0; i < n; i++) {
		gen_ep_name(c, side, next[i], nep, sizeof(nep));
		send_fn(g, ep, nep, &c->msgs[msg[i]]);
	}
	n = moves(c, side, state, false, msg, next);
	gen_line(g, at);
	if (n > 0) {
		recv_fn(g, ep, msg, next, n, side);
		// For rt_chan_select: the handle number, the endpoint only lent.
		gen_declare(g, GEN_NS_ORDINARY, "%s_handle", ep);
		gen_reline(g);
		gen_emit(g, "static inline uint32_t %s_handle(ISOLA_BORROWED struct %s ep_)\n"
			    "{\n\treturn ep_.h;\n}\n\n", ep, ep);
	}
	gen_declare(g, GEN_NS_ORDINARY, "%s_close", ep);
	gen_reline(g);
	gen_emit(g, "static inline void %s_close(struct %s ep_)\n{\n"
		    "\trt_chan_close(ep_.h);\n}\n\n", ep, ep);
	gen_any_casts(g, ep, side, state);
}

static void create_fn(struct gen *g)
{
	const struct cc_contract *c = g->c;
	char exp[NAME_MAX_], imp[NAME_MAX_];
	gen_ep_name(c, CONTRACT_EXP, c->nstates ? 0 : -1, exp, sizeof(exp));
	gen_ep_name(c, CONTRACT_IMP, c->nstates ? 0 : -1, imp, sizeof(imp));
	gen_declare(g, GEN_NS_TAG, "%s_pair", c->name);
	gen_declare(g, GEN_NS_ORDINARY, "%s_create", c->name);
	gen_line(g, c->pos);
	gen_emit(g, "// A new channel; both ends in the initial state. err != 0: no channel.\n"
		    "struct %s_pair {\n\tint32_t err;\n\tstruct %s exp;\n\tstruct %s imp;\n};\n"
		    "static inline struct %s_pair %s_create(void)\n{\n"
		    "\tstatic const uint8_t hash_[%d] = %s_CONTRACT_HASH;\n"
		    "\tstruct %s_pair p_;\n"
		    "\tp_.err = rt_chan_create(hash_, &p_.exp.h, &p_.imp.h);\n"
		    "\treturn p_;\n}\n\n",
		 c->name, exp, imp, c->name, c->name, CONTRACT_HASH_SIZE,
		 gen_upper(g, c->name), c->name);
}

static void includes(struct gen *g)
{
	const struct cc_contract *c = g->c;
	for (size_t i = 0; i < c->nrefs; i++)
		gen_emit(g, "#include \"%s.h\"\n", g->f->contracts[c->refs[i]].name);
	gen_emit(g, "\n");
}

void gen_header(struct gen *g)
{
	const struct cc_contract *c = g->c;
	int *msg = calloc(c->nmsgs + 1, sizeof(int));
	int *next = calloc(c->nmsgs + 1, sizeof(int));
	if (!msg || !next)
		exit(1);
	gen_emit(g, "// Generated by contractc from contract '%s'; do not edit.\n", c->name);
	if (c->doc)
		gen_emit(g, "// %s\n", c->doc);
	gen_emit(g, "#ifndef ISOLA_CONTRACT_%s_H\n#define ISOLA_CONTRACT_%s_H\n\n"
		    "#include <isola/linear.h>\n#include <stdbool.h>\n#include <stdint.h>\n",
		 gen_upper(g, c->name), gen_upper(g, c->name));
	includes(g);
	prelude(g);
	ids(g);
	endpoints(g);
	types(g);
	create_fn(g);
	for (int side = CONTRACT_EXP; side <= CONTRACT_IMP; side++) {
		if (c->nstates == 0)
			state_fns(g, side, -1, msg, next);
		for (size_t s = 0; s < c->nstates; s++)
			state_fns(g, side, (int)s, msg, next);
	}
	gen_emit(g, "#endif\n");
	free(msg);
	free(next);
}

int cc_write_header(const struct cc_file *f, size_t i, FILE *out)
{
	struct gen g = { .out = out, .f = f, .c = &f->contracts[i] };
	gen_header(&g);
	return ferror(out) ? -1 : 0;
}
