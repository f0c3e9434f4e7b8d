// SPDX-License-Identifier: MIT
// The isola.manifest parser: a SIP's name, limits, initial endpoints and
// hardware rights, one directive a line (grammar: docs/abi.md). It is
// strict: every byte is checked, every directive is known, every value is
// in range, and each rejection has its own code (rules S-* in
// docs/verifier-rules.md). Bounded work, no allocation.
#include <isola/fmt.h>
#include <isola/manifest.h>

#include <stdarg.h>
#include <string.h>

// Tokens kept per line: a directive takes at most two arguments, so a
// fourth token is only counted, to reject the line.
#define MF_MAX_TOKENS 4

struct mf_tok {
	const uint8_t *p;
	size_t n;
};

struct mf_line {
	struct mf_tok tok[MF_MAX_TOKENS];
	uint32_t ntok; // capped at MF_MAX_TOKENS
	struct mf_tok rest; // after the directive, trimmed (version text)
};

struct mf_parser {
	const uint8_t *text;
	struct vf_manifest *m;
	struct vf_manifest_diag *diag;
	uint32_t line;
	uint32_t seen; // MF_ONCE_* bits of single-valued directives
};

#define MF_ONCE_NAME (1u << 0)
#define MF_ONCE_VERSION (1u << 1)
#define MF_ONCE_MEMORY (1u << 2)
#define MF_ONCE_STACK (1u << 3)
#define MF_ONCE_EXCHANGE (1u << 4)

ISOLA_MUST_CHECK
static isola_err_t mf_fail(struct mf_parser *p, isola_err_t code,
			   const uint8_t *at, const char *fmt, ...)
	ISOLA_PRINTF(4, 5);

ISOLA_MUST_CHECK
static isola_err_t mf_fail(struct mf_parser *p, isola_err_t code,
			   const uint8_t *at, const char *fmt, ...)
{
	struct vf_manifest_diag *d = p->diag;
	va_list ap;

	if (!d)
		return code;
	d->code = code;
	d->line = p->line;
	d->offset = (uint32_t)(at - p->text);
	va_start(ap, fmt);
	isola_vsnprintf(d->detail, sizeof(d->detail), fmt, ap);
	va_end(ap);
	return code;
}

static bool mf_tok_is(const struct mf_tok *t, const char *s)
{
	return t->n == strlen(s) && memcmp(t->p, s, t->n) == 0;
}

// The first c in [s, e), or e.
static const uint8_t *mf_find(const uint8_t *s, const uint8_t *e, uint8_t c)
{
	while (s < e && *s != c)
		s++;
	return s;
}

static void mf_copy(char *dst, const struct mf_tok *t)
{
	memcpy(dst, t->p, t->n);
	dst[t->n] = '\0';
}

static bool is_alpha(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(uint8_t c)
{
	return c >= '0' && c <= '9';
}

// `[A-Za-z_][A-Za-z0-9_]*` of 1 to max bytes: endpoint, contract and state
// names (contracts are named like C identifiers, docs/contracts.md).
static bool is_ident(const struct mf_tok *t, size_t max)
{
	if (t->n == 0 || t->n > max || is_digit(t->p[0]))
		return false;
	for (size_t i = 0; i < t->n; i++)
		if (!is_alpha(t->p[i]) && !is_digit(t->p[i]) && t->p[i] != '_')
			return false;
	return true;
}

// ---- values -------------------------------------------------------------

// S-NAME: 1-31 characters of [A-Za-z0-9_.-].
ISOLA_MUST_CHECK
static isola_err_t mf_name(struct mf_parser *p, const struct mf_line *l)
{
	const struct mf_tok *t = &l->tok[1];

	if (t->n > VF_MANIFEST_NAME_MAX)
		return mf_fail(p, ERR_MANIFEST_NAME, t->p, "%zu characters", t->n);
	for (size_t i = 0; i < t->n; i++) {
		uint8_t c = t->p[i];
		if (!is_alpha(c) && !is_digit(c) && c != '_' && c != '.' &&
		    c != '-')
			return mf_fail(p, ERR_MANIFEST_NAME, t->p + i, "'%c'", c);
	}
	mf_copy(p->m->name, t);
	return ERR_OK;
}

// S-VERSION: free text to the end of the line (or the comment).
ISOLA_MUST_CHECK
static isola_err_t mf_version(struct mf_parser *p, const struct mf_line *l)
{
	if (l->rest.n > VF_MANIFEST_VERSION_MAX)
		return mf_fail(p, ERR_MANIFEST_VERSION, l->rest.p,
			       "%zu characters", l->rest.n);
	mf_copy(p->m->version, &l->rest);
	return ERR_OK;
}

// S-SIZE: decimal digits and an optional K or M suffix. The digits are
// checked first and the value is built in 64 bits, stopping as soon as it
// passes 32 bits, so no input can overflow.
ISOLA_MUST_CHECK
static isola_err_t mf_size(struct mf_parser *p, const struct mf_tok *t,
			   uint32_t *out)
{
	size_t nd = t->n, i;
	uint64_t v = 0, mul = 1;

	if (nd && t->p[nd - 1] == 'K')
		mul = VF_MANIFEST_KIB, nd--;
	else if (nd && t->p[nd - 1] == 'M')
		mul = VF_MANIFEST_MIB, nd--;
	if (nd == 0)
		return mf_fail(p, ERR_MANIFEST_SIZE, t->p, "no digits");
	for (i = 0; i < nd; i++)
		if (!is_digit(t->p[i]))
			return mf_fail(p, ERR_MANIFEST_SIZE, t->p + i, "'%c'",
				       t->p[i]);
	for (i = 0; i < nd; i++) {
		v = v * 10 + (uint64_t)(t->p[i] - '0');
		if (v * mul > UINT32_MAX)
			return mf_fail(p, ERR_MANIFEST_SIZE_RANGE, t->p,
				       "%.*s", (int)t->n, (const char *)t->p);
	}
	*out = (uint32_t)(v * mul);
	return ERR_OK;
}

// S-SIZE-RANGE: within [min, max].
ISOLA_MUST_CHECK
static isola_err_t mf_size_in(struct mf_parser *p, const struct mf_tok *t,
			      uint32_t min, uint32_t max, uint32_t *out)
{
	uint32_t v;

	TRY(mf_size(p, t, &v));
	if (v < min || v > max)
		return mf_fail(p, ERR_MANIFEST_SIZE_RANGE, t->p,
			       "%u not in %u..%u", v, min, max);
	*out = v;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t mf_memory(struct mf_parser *p, const struct mf_line *l)
{
	uint32_t v;

	TRY(mf_size_in(p, &l->tok[1], VF_MANIFEST_MEMORY_MIN,
		       VF_MANIFEST_MEMORY_MAX, &v));
	// S-MEMORY-ALIGN: the limit is a whole number of wasm pages.
	if (v % VF_MANIFEST_MEMORY_UNIT)
		return mf_fail(p, ERR_MANIFEST_MEMORY_ALIGN, l->tok[1].p,
			       "%u bytes", v);
	p->m->memory = v;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t mf_stack(struct mf_parser *p, const struct mf_line *l)
{
	return mf_size_in(p, &l->tok[1], VF_MANIFEST_STACK_MIN,
			  VF_MANIFEST_STACK_MAX, &p->m->stack);
}

ISOLA_MUST_CHECK
static isola_err_t mf_exchange(struct mf_parser *p, const struct mf_line *l)
{
	return mf_size_in(p, &l->tok[1], 0, VF_MANIFEST_EXCHANGE_MAX,
			  &p->m->exchange);
}

// S-HARDWARE: a known device, each at most once.
ISOLA_MUST_CHECK
static isola_err_t mf_hardware(struct mf_parser *p, const struct mf_line *l)
{
	const struct mf_tok *t = &l->tok[1];

	if (!mf_tok_is(t, "serial"))
		return mf_fail(p, ERR_MANIFEST_HARDWARE, t->p, "%.*s",
			       (int)ISOLA_MIN(t->n, 40), (const char *)t->p);
	if (p->m->hardware & VF_HW_SERIAL)
		return mf_fail(p, ERR_MANIFEST_DUPLICATE, t->p, "hardware serial");
	p->m->hardware |= VF_HW_SERIAL;
	return ERR_OK;
}

// ---- endpoints ----------------------------------------------------------

// CONTRACT.SIDE[@STATE] into ep (rules S-CONTRACT, S-SIDE, S-STATE).
ISOLA_MUST_CHECK
static isola_err_t mf_contract_ref(struct mf_parser *p, const struct mf_tok *t,
				   struct vf_manifest_endpoint *ep)
{
	struct mf_tok ref = *t, state = {t->p + t->n, 0}, contract, side;
	const uint8_t *at = mf_find(t->p, t->p + t->n, '@');
	size_t dot;

	if (at < t->p + t->n) {
		ref.n = (size_t)(at - t->p);
		state.p = at + 1;
		state.n = t->n - ref.n - 1;
		if (!is_ident(&state, VF_MANIFEST_STATE_MAX))
			return mf_fail(p, ERR_MANIFEST_STATE, state.p, "%.*s",
				       (int)ISOLA_MIN(state.n, 40),
				       (const char *)state.p);
	}
	for (dot = ref.n; dot > 0 && ref.p[dot - 1] != '.'; dot--)
		;
	if (dot == 0)
		return mf_fail(p, ERR_MANIFEST_CONTRACT, t->p, "no .exp or .imp");
	contract = (struct mf_tok){ref.p, dot - 1};
	side = (struct mf_tok){ref.p + dot, ref.n - dot};
	if (!is_ident(&contract, VF_MANIFEST_CONTRACT_MAX))
		return mf_fail(p, ERR_MANIFEST_CONTRACT, t->p, "%.*s",
			       (int)ISOLA_MIN(contract.n, 40),
			       (const char *)contract.p);
	if (mf_tok_is(&side, "exp"))
		ep->side = VF_EP_EXP;
	else if (mf_tok_is(&side, "imp"))
		ep->side = VF_EP_IMP;
	else
		return mf_fail(p, ERR_MANIFEST_SIDE, side.p, "%.*s",
			       (int)ISOLA_MIN(side.n, 40), (const char *)side.p);
	mf_copy(ep->contract, &contract);
	mf_copy(ep->state, &state);
	return ERR_OK;
}

static bool mf_has_endpoint(const struct vf_manifest *m, const struct mf_tok *t)
{
	for (uint32_t i = 0; i < m->nendpoints; i++)
		if (mf_tok_is(t, m->endpoints[i].name))
			return true;
	return false;
}

ISOLA_MUST_CHECK
static isola_err_t mf_endpoint(struct mf_parser *p, const struct mf_line *l)
{
	struct vf_manifest *m = p->m;
	const struct mf_tok *name = &l->tok[1];
	struct vf_manifest_endpoint *ep;

	// S-ENDPOINT-NAME, S-ENDPOINT-DUP, S-ENDPOINTS
	if (!is_ident(name, VF_MANIFEST_NAME_MAX))
		return mf_fail(p, ERR_MANIFEST_ENDPOINT_NAME, name->p, "%.*s",
			       (int)ISOLA_MIN(name->n, 40), (const char *)name->p);
	if (mf_has_endpoint(m, name))
		return mf_fail(p, ERR_MANIFEST_ENDPOINT_DUP, name->p, "%.*s",
			       (int)name->n, (const char *)name->p);
	if (m->nendpoints == VF_MANIFEST_MAX_ENDPOINTS)
		return mf_fail(p, ERR_MANIFEST_ENDPOINTS, l->tok[0].p,
			       "at most %u", VF_MANIFEST_MAX_ENDPOINTS);
	ep = &m->endpoints[m->nendpoints];
	memset(ep, 0, sizeof(*ep));
	if (mf_tok_is(&l->tok[2], "procmgr"))
		ep->is_procmgr = true;
	else
		TRY(mf_contract_ref(p, &l->tok[2], ep));
	mf_copy(ep->name, name);
	m->nendpoints++;
	return ERR_OK;
}

// ---- lines --------------------------------------------------------------

struct mf_directive {
	const char *word;
	isola_err_t (*parse)(struct mf_parser *p, const struct mf_line *l);
	uint32_t ntok;	   // tokens including the directive; 0: any >= 2
	uint32_t once_bit; // 0: may repeat
};

static const struct mf_directive mf_directives[] = {
	{"name", mf_name, 2, MF_ONCE_NAME},
	{"version", mf_version, 0, MF_ONCE_VERSION},
	{"memory", mf_memory, 2, MF_ONCE_MEMORY},
	{"stack", mf_stack, 2, MF_ONCE_STACK},
	{"exchange", mf_exchange, 2, MF_ONCE_EXCHANGE},
	{"endpoint", mf_endpoint, 3, 0},
	{"hardware", mf_hardware, 2, 0},
};

ISOLA_MUST_CHECK
static isola_err_t mf_directive(struct mf_parser *p, const struct mf_line *l)
{
	const struct mf_tok *w = &l->tok[0];

	for (size_t i = 0; i < ISOLA_ARRAY_LEN(mf_directives); i++) {
		const struct mf_directive *d = &mf_directives[i];
		if (!mf_tok_is(w, d->word))
			continue;
		// S-ARGS, S-DUPLICATE
		if (d->ntok ? l->ntok != d->ntok : l->ntok < 2)
			return mf_fail(p, ERR_MANIFEST_ARGS, w->p, "%s", d->word);
		if (p->seen & d->once_bit)
			return mf_fail(p, ERR_MANIFEST_DUPLICATE, w->p, "%s",
				       d->word);
		p->seen |= d->once_bit;
		return d->parse(p, l);
	}
	// S-DIRECTIVE
	return mf_fail(p, ERR_MANIFEST_DIRECTIVE, w->p, "%.*s",
		       (int)ISOLA_MIN(w->n, 40), (const char *)w->p);
}

static bool is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

// Splits [s, e) (comment already cut) into tokens and the trimmed rest.
static void mf_split(const uint8_t *s, const uint8_t *e, struct mf_line *l)
{
	l->ntok = 0;
	l->rest = (struct mf_tok){e, 0};
	while (s < e) {
		const uint8_t *t = s;
		if (is_blank(*s)) {
			s++;
			continue;
		}
		while (s < e && !is_blank(*s))
			s++;
		if (l->ntok == 1)
			l->rest.p = t;
		if (l->ntok < MF_MAX_TOKENS)
			l->tok[l->ntok++] = (struct mf_tok){t, (size_t)(s - t)};
	}
	if (l->ntok >= 2) {
		const uint8_t *r = l->rest.p;
		while (is_blank(e[-1]))
			e--;
		l->rest.n = (size_t)(e - r);
	}
}

// S-CHAR, S-LINE: the line at s is printable ASCII and tabs, at most
// VF_MANIFEST_LINE_MAX bytes. *eol is its newline or the end of the text.
ISOLA_MUST_CHECK
static isola_err_t mf_scan_line(struct mf_parser *p, const uint8_t *s,
				const uint8_t *end, const uint8_t **eol)
{
	const uint8_t *q;

	for (q = s; q < end && *q != '\n'; q++) {
		if ((*q < 0x20 || *q > 0x7e) && *q != '\t')
			return mf_fail(p, ERR_MANIFEST_CHAR, q, "byte 0x%02x", *q);
		if (q - s == VF_MANIFEST_LINE_MAX)
			return mf_fail(p, ERR_MANIFEST_LINE_LONG, q,
				       "over %u bytes", VF_MANIFEST_LINE_MAX);
	}
	*eol = q;
	return ERR_OK;
}

ISOLA_MUST_CHECK
static isola_err_t mf_line(struct mf_parser *p, const uint8_t *s,
			   const uint8_t *eol)
{
	struct mf_line l;

	mf_split(s, mf_find(s, eol, '#'), &l);
	if (l.ntok == 0)
		return ERR_OK;
	return mf_directive(p, &l);
}

static void mf_defaults(struct vf_manifest *m)
{
	memset(m, 0, sizeof(*m));
	m->memory = VF_MANIFEST_MEMORY_DEFAULT;
	m->stack = VF_MANIFEST_STACK_DEFAULT;
	m->exchange = VF_MANIFEST_EXCHANGE_DEFAULT;
}

isola_err_t vf_manifest_parse(const uint8_t *text, size_t len,
			      struct vf_manifest *out,
			      struct vf_manifest_diag *diag)
{
	struct mf_parser p = {.text = text, .m = out, .diag = diag};
	const uint8_t *s = text, *end = text + len, *eol;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	// S-SIZE-TOTAL
	if (len > VF_MANIFEST_MAX_SIZE)
		return mf_fail(&p, ERR_MANIFEST_TOO_LARGE, text,
			       "%zu bytes", len);
	mf_defaults(out);
	while (s < end) {
		p.line++;
		TRY(mf_scan_line(&p, s, end, &eol));
		TRY(mf_line(&p, s, eol));
		if (eol == end)
			break;
		s = eol + 1;
	}
	// S-NO-NAME
	p.line = 0;
	if (!(p.seen & MF_ONCE_NAME))
		return mf_fail(&p, ERR_MANIFEST_NO_NAME, text, "no name line");
	return ERR_OK;
}
