// SPDX-License-Identifier: MIT
// Shared by the header writer and the name checker: the writer runs once
// with no output file to collect every C name it would declare, so the
// clash check and the header can never disagree. Internal to contractc.
#ifndef ISOLA_CONTRACTC_GEN_H
#define ISOLA_CONTRACTC_GEN_H

#include "cc.h"

enum gen_ns { GEN_NS_ORDINARY = 0, GEN_NS_TAG = 1 };

struct gen_name {
	enum gen_ns ns;
	char *s;
};

struct gen {
	FILE *out; // NULL: collect names only
	const struct cc_file *f;
	const struct cc_contract *c;
	struct gen_name *names;
	size_t nnames;
	struct cc_pos at; // the contract line being generated (gen_line)
	char up[CONTRACT_MAX_NAME * 4 + 16]; // scratch for upper-case names
};

void gen_emit(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void gen_declare(struct gen *g, enum gen_ns ns, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
// Upper-cases s into g->up (valid until the next call).
const char *gen_upper(struct gen *g, const char *s);
// The endpoint type name of side/state of contract c ("kv_imp_ready").
void gen_ep_name(const struct cc_contract *c, int side, int state, char *buf, size_t n);
// What follows comes from the contract file at pos: a #line directive
// naming g->f->line_file (nothing without one). gen_reline repeats the
// last one before each further definition, so each starts at that line.
void gen_line(struct gen *g, struct cc_pos pos);
void gen_reline(struct gen *g);

// The casts between endpoint type ep (side, state; -1 for an interface)
// and struct isola_endpoint: NAME_SIDE_STATE_to_any and _from_any.
void gen_any_casts(struct gen *g, const char *ep, int side, int state);

// Writes (or, with g->out NULL, collects the names of) the whole header.
void gen_header(struct gen *g);

#endif
