// SPDX-License-Identifier: MIT
// contractc's lexer: identifiers, decimal and hex integers, double-quoted
// strings without escapes, punctuation ({ } ( ) [ ] < > ; , . @ ? ! ->),
// and // and /* */ comments. Positions are 1-based line and column.
#include "cc.h"

void cc_lex_init(struct cc_lexer *lx, const char *src, size_t len)
{
	lx->src = lx->p = src;
	lx->end = src + len;
	lx->pos.line = 1;
	lx->pos.col = 1;
}

static void advance(struct cc_lexer *lx)
{
	if (*lx->p == '\n') {
		lx->pos.line++;
		lx->pos.col = 1;
	} else {
		lx->pos.col++;
	}
	lx->p++;
}

static bool at(const struct cc_lexer *lx, size_t k, char ch)
{
	return lx->end - lx->p > (ptrdiff_t)k && lx->p[k] == ch;
}

// Skips blanks and comments; false on an unterminated block comment.
static bool skip_space(struct cc_lexer *lx)
{
	while (lx->p < lx->end) {
		char ch = *lx->p;
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			advance(lx);
		} else if (ch == '/' && at(lx, 1, '/')) {
			while (lx->p < lx->end && *lx->p != '\n')
				advance(lx);
		} else if (ch == '/' && at(lx, 1, '*')) {
			lx->comment = lx->pos;
			advance(lx);
			advance(lx);
			while (lx->p < lx->end && !(*lx->p == '*' && at(lx, 1, '/')))
				advance(lx);
			if (lx->p >= lx->end)
				return false;
			advance(lx);
			advance(lx);
		} else {
			return true;
		}
	}
	return true;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

// An integer; kind BAD if it overflows 32 bits or has junk digits.
static void lex_int(struct cc_lexer *lx, struct cc_tok *t)
{
	unsigned base = 10;
	if (*lx->p == '0' && (at(lx, 1, 'x') || at(lx, 1, 'X'))) {
		base = 16;
		advance(lx);
		advance(lx);
	}
	t->kind = CC_T_INT;
	bool any = false;
	while (lx->p < lx->end && (is_alpha(*lx->p) || is_digit(*lx->p))) {
		int v = hex_val(*lx->p);
		if (v < 0 || (unsigned)v >= base || t->value > 0xffffffffu)
			t->kind = CC_T_BAD;
		else
			t->value = t->value * base + (unsigned)v;
		any = true;
		advance(lx);
	}
	if (!any || t->value > 0xffffffffu)
		t->kind = CC_T_BAD;
}

static void lex_string(struct cc_lexer *lx, struct cc_tok *t)
{
	advance(lx);
	t->text = lx->p;
	while (lx->p < lx->end && *lx->p != '"' && *lx->p != '\n')
		advance(lx);
	t->len = (size_t)(lx->p - t->text);
	if (lx->p >= lx->end || *lx->p != '"') {
		t->kind = CC_T_BAD;
		return;
	}
	advance(lx);
	t->kind = CC_T_STRING;
}

static bool strchr_punct(char c)
{
	const char *set = "{}()[]<>;,.@?!";
	for (; *set; set++)
		if (*set == c)
			return true;
	return false;
}

struct cc_tok cc_lex_next(struct cc_lexer *lx)
{
	struct cc_tok t = { 0 };
	bool ok = skip_space(lx);
	t.pos = lx->pos;
	t.text = lx->p;
	if (!ok) {
		t.pos = lx->comment; // point at the unterminated comment
		t.kind = CC_T_BAD;
		return t;
	}
	if (lx->p >= lx->end)
		return t; // CC_T_EOF
	char ch = *lx->p;
	if (is_alpha(ch)) {
		while (lx->p < lx->end && (is_alpha(*lx->p) || is_digit(*lx->p)))
			advance(lx);
		t.kind = CC_T_IDENT;
	} else if (is_digit(ch)) {
		lex_int(lx, &t);
	} else if (ch == '"') {
		lex_string(lx, &t);
		return t;
	} else if (ch == '-' && at(lx, 1, '>')) {
		advance(lx);
		advance(lx);
		t.kind = CC_T_PUNCT;
	} else if (ch && strchr_punct(ch)) {
		advance(lx);
		t.kind = CC_T_PUNCT;
	} else {
		advance(lx);
		t.kind = CC_T_BAD;
	}
	t.len = (size_t)(lx->p - t.text);
	return t;
}
